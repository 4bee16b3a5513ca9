use super::*;

fn defined_otherwise(text: &str) -> (bool, bool) {
    let v = Vocabulary::bundled();
    let tokens = crate::textutil::tokenize(text);
    let words: Vec<String> = tokens.iter().map(|t| stem(&t.norm)).collect();
    let chars: Vec<char> = text.chars().collect();
    (
        series_defined_otherwise(&v, &words, &tokens, &chars),
        org_defined_otherwise(&v, &words),
    )
}

#[test]
fn bpf_and_igf_defined_otherwise_are_recognised() {
    assert!(defined_otherwise("BPF: basis point fee.").0);
    assert!(defined_otherwise("The Berkeley Packet Filter (BPF) runs in the kernel.").0);
    assert!(defined_otherwise("We load eBPF programs.").0);
    assert!(!defined_otherwise("The Best Practice Forum (BPF) on IXPs met.").0);
    assert!(!defined_otherwise("BPFs (Best Practice Forums) of the IGF.").0);
    assert!(!defined_otherwise("The 2015 BPF on Gender published its report.").0);
    assert!(defined_otherwise("IGF-1 levels rose.").1);
    assert!(defined_otherwise("The IGF (Intergovernmental Forum on Mining) on local content.").1);
    assert!(!defined_otherwise("The IGF 2015 in Brazil.").1);
}

#[test]
fn the_first_look_passes_what_can_cite_and_little_else() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    let outputs = crate::config::load_catalogue(&path).expect("the catalogue loads");
    let idx = ReferenceIndex::new(&outputs);
    let may = |t: &str| idx.may_cite(&crate::normalize::words(t));
    for citing in [
        "We read Online Child Protection last week.",
        "The BPF on IXPs met.",
        "We discussed Enabling Enviroments to Establish Succesful IXPs.",
        "#IGF2019 was busy.",
        "El Foro de Buenas Prácticas sobre ciberseguridad.",
        "Regulation and mitigation of unsolicited communications (2014).",
        "The Internet Governance Forum met in Paris.",
    ] {
        assert!(may(citing), "{citing}");
    }
    for plain in [
        "The kernel maps pages of memory for each process.",
        "Best practices for packaging Python code.",
        "The cache is flushed on exit, and its pages are freed.",
    ] {
        assert!(!may(plain), "{plain}");
    }
    // a title's words close enough together for a match (also across a page break) pass; the same words
    // scattered over a page do not, and [`ReferenceIndex::find`] finds nothing there either
    let filler = " the value is read from the file and written back".repeat(3);
    let near = "We read Online Child\n\n12\n\nProtection last week.";
    let far = format!("Shop online.{filler} The child process exits.{filler} Memory protection.");
    assert!(may(near));
    assert!(!may(&far), "{far}");
    let cfg = crate::config::DetectConfig::default();
    let found = |t: &str| {
        let doc = crate::records::Document::from_text("https://example.org/a", t.to_string());
        idx.find(&doc, &crate::textutil::tokenize(t), &cfg).0.len()
    };
    assert_eq!(found(&far), 0);
    // a word and its plural are one word of a name; the words of a name pass only in its places
    assert!(may("Cybersecurity cultures, norm and value."));
    assert!(!may("A value, and the values it holds."));
    assert!(!may("Norms and values."));
    assert!(!may("Big data is paged; its content is local."));
    assert_eq!(found("Norms and values."), 0);
    assert!(found("The IGF Best Practice Forum published Online Child Protection in 2014.") > 0);
}

#[test]
fn title_variants_cut_and_use_acronyms() {
    let v: Vec<String> =
        title_variants("Internet of Things (IoT), Big Data, Artificial Intelligence (AI)")
            .into_iter()
            .map(|x| x.0)
            .collect();
    assert!(v.contains(&"IoT, Big Data, AI".to_string()), "{v:?}");
    let v: Vec<(String, bool)> =
        title_variants("Regulation and Mitigation of Unsolicited Communications (e.g. “spam”)");
    assert!(
        v.contains(&(
            "Regulation and Mitigation of Unsolicited Communications".to_string(),
            false
        )),
        "{v:?}"
    );
    let v = title_variants("Online Abuse and Gender-Based Violence Against Women");
    assert!(
        v.contains(&("Online Abuse and Gender-Based Violence".to_string(), true)),
        "{v:?}"
    );
    assert!(!v.iter().any(|x| x.0 == "Online Abuse and"), "{v:?}");
}

#[test]
fn a_list_takes_the_heading_above_it() {
    let chars: Vec<char> = "Intro paragraph.\n\nIGF 2016 outputs:\n- first\n- second item\n"
        .chars()
        .collect();
    let at = chars.iter().collect::<String>().find("second").unwrap();
    let words = heading_words(&chars, at).unwrap();
    assert!(words.contains(&"2016".to_string()) && words.contains(&"igf".to_string()));
    let prose: Vec<char> = "IGF 2016\n\nA long paragraph of prose that goes on and on well past twelve words before it names the forum on cybersecurity.".chars().collect();
    let at = prose
        .iter()
        .collect::<String>()
        .find("cybersecurity")
        .unwrap();
    assert_eq!(heading_words(&prose, at), None, "prose is not a list item");
}

#[test]
fn urls_normalise() {
    assert_eq!(
        normalize_url(
            "https://www.IntGovForum.org/multilingual/content/bpf-ixps/?utm_source=x#top"
        ),
        normalize_url("http://intgovforum.org/multilingual/content/bpf-ixps")
    );
    assert_eq!(
        normalize_url("https://a.org/b%20c"),
        normalize_url("https://a.org/b c")
    );
    assert_ne!(
        normalize_url("https://a.org/b?id=1"),
        normalize_url("https://a.org/b?id=2")
    );
}

/// A name of the catalogue as a document may write it: in other case, with a typo, a word pluralised, cut by a page
/// break, or only its first words.
fn written(rng: &mut fastrand::Rng, name: &str) -> String {
    let mut words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    for _ in 0..rng.usize(0..3) {
        let i = rng.usize(..words.len());
        let w = &mut words[i];
        let chars: Vec<char> = w.chars().collect();
        let at = rng.usize(..chars.len());
        *w = match rng.u8(..8) {
            // a letter dropped, doubled, changed
            0 if chars.len() > 1 => chars
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != at)
                .map(|(_, c)| c)
                .collect(),
            1 => chars
                .iter()
                .enumerate()
                .flat_map(|(j, &c)| if j == at { vec![c, c] } else { vec![c] })
                .collect(),
            2 => chars
                .iter()
                .enumerate()
                .map(|(j, &c)| if j == at { 'x' } else { c })
                .collect(),
            3 => format!("{w}s"),
            4 => w.to_uppercase(),
            5 => w.trim_end_matches('s').to_string(),
            // hyphenated at a line end
            6 if chars.len() > 4 => format!(
                "{}-\n{}",
                chars[..2].iter().collect::<String>(),
                chars[2..].iter().collect::<String>()
            ),
            _ => w.clone(),
        };
    }
    if words.len() > 3 && rng.bool() {
        // a page break (a page number, a running head) inside the name
        let at = rng.usize(1..words.len());
        let head = ["\n\n12\n\n", "\n\nIGF 2019 Report 7\n\n", "\n\n", " 3 "][rng.usize(..4)];
        words.insert(at, head.to_string());
    }
    if words.len() > 4 && rng.u8(..4) == 0 {
        words.truncate(rng.usize(2..words.len()));
    }
    words.join(" ")
}

#[test]
fn the_first_look_turns_away_no_document_in_which_references_are_found() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    let outputs = crate::config::load_catalogue(&path).expect("the catalogue loads");
    let vocab = crate::config::load_vocabulary(&path).expect("the vocabulary loads");
    let idx = ReferenceIndex::with_vocabulary(&outputs, vocab);
    let cfg = crate::config::DetectConfig::default();
    let mut names: Vec<String> = Vec::new();
    for o in &outputs {
        names.push(o.title.clone());
        names.extend(o.aliases.iter().cloned());
        names.extend(o.theme.iter().cloned());
        names.extend(o.theme_aliases.iter().cloned());
        names.extend(title_variants(&o.title).into_iter().map(|v| v.0));
    }
    // words of the names among others, and (in half the texts) the series and the organisation named
    let plain = [
        "the",
        "a",
        "of",
        "and",
        "in",
        "report",
        "page",
        "memory",
        "online",
        "value",
        "data",
        "local",
        "content",
        "women",
        "access",
        "security",
        "internet",
        "big",
        "child",
        "norms",
        "forum",
        "practice",
        "best",
        "2015",
        "2016",
        "2019",
        "this",
        "year",
        "in 2017",
        "(2015)",
        "Technologies",
        "context",
        "enabling",
        "environment",
        "development",
    ];
    let cues = [
        "the BPF",
        "IGF",
        "Best Practice Forum",
        "Internet Governance Forum",
        "BPFs",
    ];
    let seps = [" ", " ", ", ", ". ", "\n", "\n\n", " (", ") ", " - "];
    let mut rng = fastrand::Rng::with_seed(14);
    let (mut found, mut found_uncued, mut turned_away) = (0, 0, 0);
    for _ in 0..6000 {
        let cued = rng.bool();
        let mut text = String::new();
        for _ in 0..rng.usize(1..40) {
            if rng.u8(..6) == 0 {
                let name = &names[rng.usize(..names.len())];
                text.push_str(&written(&mut rng, name));
            } else if cued && rng.u8(..8) == 0 {
                text.push_str(cues[rng.usize(..cues.len())]);
            } else {
                text.push_str(plain[rng.usize(..plain.len())]);
            }
            text.push_str(seps[rng.usize(..seps.len())]);
        }
        let doc = crate::records::Document::from_text("https://example.org/a", text.clone());
        let (mentions, themes) = idx.find(&doc, &crate::textutil::tokenize(&text), &cfg);
        let words = crate::normalize::words(&text);
        let may = idx.may_cite_text(&text, &words, &cfg);
        // reading the text only ever turns away more
        assert!(!may || idx.may_cite(&words), "{text:?}");
        if !mentions.is_empty() || !themes.is_empty() {
            found += 1;
            found_uncued += usize::from(!cued);
            assert!(may, "turned away, but {mentions:?} {themes:?} in {text:?}");
        } else if !may {
            turned_away += 1;
        }
    }
    // the texts hold documents of both kinds
    assert!(
        found > 2000 && found_uncued > 1000 && turned_away > 500,
        "found {found} ({found_uncued} without a cue), turned away {turned_away}"
    );
}
