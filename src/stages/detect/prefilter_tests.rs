use super::*;
use crate::config::DetectConfig;
use crate::detect::{Detection, Detector};
use crate::records::{Link, Output, TextSource};

fn catalogue() -> Vec<Output> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    crate::config::load_catalogue(&path).expect("the catalogue loads")
}

/// The catalogue's own output texts (the demo's text files).
fn texts_of(outputs: &[Output]) -> Vec<(String, String)> {
    outputs
        .iter()
        .filter_map(|o| {
            let text: Vec<String> = o
                .texts
                .iter()
                .filter_map(|t| match t {
                    TextSource::File(p) => std::fs::read_to_string(p).ok(),
                    TextSource::Url(_) => None,
                })
                .collect();
            (!text.is_empty()).then(|| (o.id.clone(), text.join("\n\n")))
        })
        .collect()
}

fn detector(outputs: &[Output], texts: &[(String, String)], prefilter: bool) -> Detector {
    let cfg = DetectConfig {
        prefilter,
        ..DetectConfig::default()
    };
    Detector::new(outputs, texts, &cfg)
}

fn doc(text: &str) -> Document {
    Document::from_text("https://example.com/page", text.to_string())
}

/// An output with an address and no text, named so that no test text names it.
fn output(id: &str, url: &str) -> Output {
    Output {
        id: id.into(),
        year: 2015,
        title: format!("Zebra Crossings {id}"),
        theme: None,
        theme_aliases: vec![],
        aliases: vec![],
        urls: vec![url.into()],
        texts: vec![],
        published: None,
    }
}

fn look(d: &Detector, text: &str) -> Look {
    d.prefilter_look(&doc(text)).expect("the pre-filter is on")
}

#[test]
fn names_pass_in_every_form_the_detector_reads_them_and_plain_text_does_not() {
    let outputs = catalogue();
    let d = detector(&outputs, &[], true);
    for citing in [
        "We read Online Child Protection last week.",
        "WE READ ONLINE CHILD PROTECTION LAST WEEK.",
        "The BPF on IXPs met.",
        "The B\u{ad}PF on IXPs met.",
        "The İGF met.",
        "#IGF2019 was busy.",
        "Best Prac-\ntice Forum on spam.",
        "BÉST PRÁCTICE FÓRUM",
        "El Foro de Buenas Pra\u{301}cticas sobre ciberseguridad.",
        "Internet of Things (IoT), Big Data, Arti\u{fb01}cial Intelligence (AI), 2018.",
        "Cyber\u{200b}security Agreements were signed.",
        "The Inter-\nnet Gover-\r\n  nance Forum met in Paris.",
    ] {
        assert_eq!(look(&d, citing), Look::Name, "{citing:?}");
    }
    for plain in [
        "The kernel maps pages of memory for each process.",
        "Best practices for packaging Python code.",
        "ＢＰＦ and ＩＧＦ in full-width letters.",
        "eBPF programs",
        "",
    ] {
        assert_eq!(look(&d, plain), Look::Nothing, "{plain:?}");
    }
}

/// Random texts of the catalogue's names and the vocabulary's words (each word possibly capitalised, accented,
/// hyphenated at a line end or pluralised) among filler words.
fn random_text(rng: &mut fastrand::Rng, pool: &[String], filler: &[&str]) -> String {
    let mut out = String::new();
    for _ in 0..rng.usize(0..60) {
        let w: String = if rng.u8(..) < 40 && !pool.is_empty() {
            pool[rng.usize(..pool.len())].clone()
        } else {
            filler[rng.usize(..filler.len())].to_string()
        };
        let w = match rng.u8(..8) {
            0 => w.to_uppercase(),
            1 => w.replacen('e', "é", 1),
            2 if w.is_char_boundary(2) && w.len() > 4 => format!("{}-\n{}", &w[..2], &w[2..]),
            3 => format!("{w}s"),
            4 => format!("{w}{}", rng.i32(2010..2022)),
            _ => w,
        };
        out.push_str(&w);
        out.push_str([" ", " ", ", ", ". ", "\n", "\n\n", " (", ") "][rng.usize(..8)]);
    }
    out
}

fn name_pool(outputs: &[Output]) -> Vec<String> {
    let vocab = super::super::vocabulary::Vocabulary::bundled();
    let mut pool: Vec<String> = Vec::new();
    for o in outputs {
        pool.push(o.title.clone());
        pool.extend(o.aliases.iter().cloned());
        pool.extend(o.theme.iter().cloned());
        pool.extend(o.theme_aliases.iter().cloned());
        pool.extend(o.title.split_whitespace().map(str::to_string));
    }
    pool.extend(vocab.series_acronyms.iter().cloned());
    pool.extend(vocab.org_acronyms.iter().cloned());
    for n in vocab.series_names.iter().chain(&vocab.org_names) {
        pool.push(n.join(" "));
        pool.extend(n.iter().cloned());
    }
    pool
}

const FILLER: &[&str] = &[
    "the", "a", "of", "and", "to", "in", "report", "year", "page", "memory", "process", "online",
    "value", "data", "meeting", "paris", "2015", "2019", "this", "last", "we", "read", "forum",
    "practice", "best", "local", "women", "access", "security", "internet",
];

#[test]
fn shingles_of_an_output_text_pass_however_they_are_written() {
    let outputs = vec![Output {
        id: "o".into(),
        year: 2015,
        title: "Zebra Crossings".into(),
        theme: None,
        theme_aliases: vec![],
        aliases: vec![],
        urls: vec![],
        texts: vec![],
        published: None,
    }];
    let text = "Municipal planners weigh pedestrian safety against traffic flow when painting \
                stripes across busy avenues near schools. Quiet lanes need none. Amber beacons \
                blink twice nightly; amber beacons blink twice nightly; amber beacons blink twice.";
    let texts = vec![("o".to_string(), text.to_string())];
    let d = detector(&outputs, &texts, true);
    // six words of the text are three shingles of four: the three seeds a passage needs (`min_seeds`)
    for seeded in [
        "They weigh pedestrian safety against traffic flow, they say.",
        "THEY WEIGH PEDESTRIAN SAFETY AGAINST TRAFFIC FLOW.",
        "weigh, pedestrian; safety. against (traffic) flow",
        "weigh pedés-\ntrian safety against tra\u{fb03}c flow",
        "weigh pedes\u{ad}trian safety\n\nagainst traffic flow",
        "weigh pedestrian safety against traffic. Other words. safety against traffic flow",
        // a shingle the output holds three times gives three seeds at once
        "Amber beacons blink twice",
    ] {
        assert_eq!(look(&d, seeded), Look::Seed, "{seeded:?}");
    }
    for unseeded in [
        "They weigh pedestrian safety against traffic.",
        "They weigh pedestrian comfort against traffic flow.",
        "weigh pedestrian safety",
        "quiet lanes need none",
    ] {
        assert_eq!(look(&d, unseeded), Look::Nothing, "{unseeded:?}");
    }
    // three seeds of one output as far apart as a passage can hold them pass; farther apart they do not
    let spaced = |gap: usize| {
        let filler = " word".repeat(gap);
        format!(
            "weigh pedestrian safety against.{filler} planners weigh pedestrian safety.{filler} \
             traffic flow when painting."
        )
    };
    let reach = d.reuse.seed_reach(&DetectConfig::default());
    assert_eq!(look(&d, &spaced(reach - 4 - 4)), Look::Seed);
    assert_eq!(look(&d, &spaced(reach - 4 + 1)), Look::Nothing);
    // the title is a name, not seeds (shingles made only of an output's name seed nothing)
    assert_eq!(look(&d, "Zebra Crossings"), Look::Name);
    // and the detector agrees where it finds a passage: a long quotation is seeded
    let quoting = format!("As the report says, {text} We agree.");
    assert_eq!(look(&d, &quoting), Look::Seed);
    let found = detector(&outputs, &texts, false).detect_all(&[doc(&quoting)]);
    assert_eq!(found[0].passages.len(), 1, "{found:?}");
}

#[test]
fn links_and_addresses_of_outputs_pass_and_other_links_do_not() {
    let d = detector(
        &[output("a", "https://www.Example.org/reports/o.pdf")],
        &[],
        true,
    );
    let with_links = |links: &[&str]| Document {
        links: links
            .iter()
            .map(|u| Link {
                url: u.to_string(),
                start: 0,
                end: 1,
            })
            .collect(),
        ..doc("Nothing to see.")
    };
    let look_at = |d: &Detector, doc: &Document| d.prefilter_look(doc).unwrap();
    for output_link in [
        "https://example.org/reports/o.pdf",
        "HTTP://WWW.EXAMPLE.ORG/reports/o.pdf/?utm_source=mail#top",
        "https://ex%61mple.org/reports/o.pdf",
        "https://exam\tple.org/reports/o.pdf",
        "https://example.org/reports/%6F.pdf",
    ] {
        let doc = with_links(&["https://other.net/", output_link]);
        assert_eq!(look_at(&d, &doc), Look::Address, "{output_link}");
        assert!(d.refs.links_an_output(&doc), "{output_link}");
    }
    for other in [
        "https://example.org/reports/other.pdf",
        "https://example.org.evil.net/reports/o.pdf",
        "https://other.net/?u=example.org/reports/o.pdf",
        "https://bücher.example/o.pdf",
    ] {
        let doc = with_links(&[other]);
        assert_eq!(look_at(&d, &doc), Look::Nothing, "{other}");
        assert!(!d.refs.links_an_output(&doc), "{other}");
    }
    // a page at an output's address is a copy of it
    let at = Document {
        url: "https://example.org/reports/o.pdf".into(),
        ..doc("Nothing to see.")
    };
    assert_eq!(look_at(&d, &at), Look::Address);
    let found = d.detect_all(&[at]);
    assert_eq!(found[0].copy_of.as_deref(), Some("a"));
    // an IP address has other spellings: every link is compared in full
    let d = detector(&[output("b", "http://127.0.0.1:8080/o")], &[], true);
    assert!(matches!(
        d.prefilter.as_ref().unwrap().hosts,
        Hosts::CompareAll
    ));
    assert_eq!(
        look_at(&d, &with_links(&["http://0x7f.0.0.1:8080/o"])),
        Look::Address
    );
    // without any output URL no link is one
    let d = detector(&[], &[], true);
    assert!(matches!(d.prefilter.as_ref().unwrap().hosts, Hosts::NoUrls));
    assert_eq!(
        look_at(&d, &with_links(&["https://example.org/reports/o.pdf"])),
        Look::Nothing
    );
}

/// Random links built from the pieces a URL parser reads in an authority (schemes in any case, slashes and back
/// slashes, user info, ports, hosts in any case and with a `www.` or a trailing dot, paths, queries and fragments
/// that spell a host too, special bytes): every link that is an output's URL is one the pre-filter compares
/// (reading only an `http:` URL's authority for the hosts loses none).
#[test]
fn every_link_that_is_an_output_url_is_compared() {
    let d = detector(
        &[output("a", "https://www.Example.org/reports/o.pdf")],
        &[],
        true,
    );
    let p = d.prefilter.as_ref().unwrap();
    let pick = |rng: &mut fastrand::Rng, xs: &[&'static str]| xs[rng.usize(..xs.len())];
    let mut rng = fastrand::Rng::with_seed(5);
    let (mut outputs, mut compared) = (0, 0);
    for _ in 0..60_000 {
        let mut url = String::new();
        url += pick(
            &mut rng,
            &[
                "http:", "https:", "HTTP:", "HtTpS:", "ftp:", "", " http:", "http", "ht\ttp:",
                "http:\n",
            ],
        );
        url += pick(&mut rng, &["//", "", "/", "///", "\\\\", "/\\", "\\"]);
        url += pick(&mut rng, &["", "", "user@", "u:p@", "a@b@", "x%40@"]);
        url += pick(&mut rng, &["", "www.", "WWW.", "w."]);
        url += pick(
            &mut rng,
            &[
                "example.org",
                "EXAMPLE.ORG",
                "Example.org.",
                "other.net",
                "exam%70le.org",
                "ex\tample.org",
                "example.org.evil",
                "\u{ff45}xample.org",
                "EXAMPLE\u{3002}org",
                "bücher.example",
            ],
        );
        url += pick(&mut rng, &["", "", ":80", ":443", ":x"]);
        url += pick(
            &mut rng,
            &[
                "/reports/o.pdf",
                "\\reports\\o.pdf",
                "/reports/o.pdf/",
                "/x?u=example.org/reports/o.pdf",
                "#example.org",
                "?a=1",
                "/reports/%6F.pdf",
                "",
                "/reports/o.pdf?utm_source=x#top",
                "/réports/o.pdf",
                "/x/%2e%2e/reports/o.pdf",
                "/reports/o.pdf\t",
            ],
        );
        let output = d.refs.output_for_url(&url).is_some();
        let compare = p.may_spell_output_host(&url);
        assert!(
            !output || compare,
            "{url:?} is an output's URL but is not compared"
        );
        outputs += usize::from(output);
        compared += usize::from(compare);
    }
    // the set holds many of each kind
    assert!(
        outputs > 2_000 && compared > outputs + 2_000,
        "{outputs} {compared}"
    );
}

/// A plain text's links, left in the text by extraction for later (`Deferred::text_links`), pass and are found as
/// the same links collected at once.
#[test]
fn links_written_in_a_text_count_the_same_read_now_or_later() {
    let d = detector(
        &[output("a", "https://www.Example.org/reports/o.pdf")],
        &[],
        true,
    );
    let cases = [
        (
            "Read https://example.org/reports/o.pdf today.",
            Look::Address,
        ),
        ("Read (WWW.EXAMPLE.ORG/reports/o.pdf).", Look::Address),
        ("At https://ex%61mple.org/reports/o.pdf, and", Look::Address),
        ("At https://example.org/reports/%6F.pdf; so", Look::Address),
        (
            "Two: https://other.net/ and www.example.org/reports/o.pdf",
            Look::Address,
        ),
        (
            "Read https://example.org/reports/other.pdf today.",
            Look::Nothing,
        ),
        (
            "Read https://other.net/?u=example.org/reports/o.pdf",
            Look::Nothing,
        ),
        ("Read https://bücher.example/o.pdf today.", Look::Nothing),
        ("Read example.org/reports/o.pdf, no scheme.", Look::Nothing),
    ];
    for (text, want) in cases {
        let now = Document {
            links: crate::textutil::urls_in_text(text),
            ..doc(text)
        };
        let later = Document {
            deferred: crate::records::Deferred {
                text_links: true,
                ..Default::default()
            },
            ..doc(text)
        };
        assert!(later.links.is_empty());
        assert_eq!(d.prefilter_look(&now).unwrap(), want, "{text}");
        assert_eq!(d.prefilter_look(&later).unwrap(), want, "{text}");
        assert_eq!(
            d.refs.links_an_output(&later),
            want == Look::Address,
            "{text}"
        );
        let found = d.detect_all(&[now, later]);
        assert_eq!(found[0], found[1], "{text}");
        assert_eq!(
            found[1].mentions.len(),
            usize::from(want == Look::Address),
            "{text}"
        );
    }
}

/// Random documents of the catalogue's names, pieces of the outputs' texts, links and filler: the detector
/// with the pre-filter finds exactly what it finds without it, and the documents the pre-filter turns away
/// are documents it finds nothing in.
#[test]
fn the_detector_finds_the_same_with_and_without_the_prefilter() {
    let outputs = catalogue();
    let texts = texts_of(&outputs);
    assert!(texts.len() >= 4, "the demo's output texts: {}", texts.len());
    let on = detector(&outputs, &texts, true);
    let off = detector(&outputs, &texts, false);
    let pool = name_pool(&outputs);
    let urls: Vec<&String> = outputs.iter().flat_map(|o| &o.urls).collect();
    let mut rng = fastrand::Rng::with_seed(23);
    let mut docs = Vec::new();
    for i in 0..600 {
        let mut text = random_text(&mut rng, &pool, FILLER);
        if rng.u8(..4) == 0 {
            // a piece of an output's text, 3 to 80 words long, lightly edited
            let (_, t) = &texts[rng.usize(..texts.len())];
            let words: Vec<&str> = t.split_whitespace().collect();
            let n = rng.usize(3..80).min(words.len());
            let from = rng.usize(..=words.len() - n);
            let piece: Vec<&str> = words[from..from + n]
                .iter()
                .map(|w| if rng.u8(..20) == 0 { "changed" } else { w })
                .collect();
            text = format!(
                "{text} {} {}",
                piece.join(" "),
                random_text(&mut rng, &pool, FILLER)
            );
        }
        let chars = text.chars().count();
        let links = if rng.u8(..5) == 0 && !urls.is_empty() {
            vec![Link {
                url: urls[rng.usize(..urls.len())].to_uppercase(),
                start: 0,
                end: chars.min(5),
            }]
        } else {
            vec![]
        };
        docs.push(Document {
            links,
            ..Document::from_text(&format!("https://example.com/{}/{i}", i % 7), text)
        });
    }
    let with = on.detect_all(&docs);
    let without = off.detect_all(&docs);
    let mut skipped = 0;
    for ((d, a), b) in docs.iter().zip(&with).zip(&without) {
        assert_eq!(a, b, "{:?}", d.text);
        if !on.prefilter_look(d).unwrap().passes() {
            skipped += 1;
            assert_eq!(b, &Detection::default(), "{:?}", d.text);
        }
    }
    let found = |ds: &[Detection]| ds.iter().filter(|x| **x != Detection::default()).count();
    let passages: usize = with.iter().map(|x| x.passages.len()).sum();
    // the set holds documents of every kind: turned away, citing, reusing
    assert!(
        skipped > 50 && found(&with) > 100 && passages > 20,
        "skipped {skipped}, found {}, passages {passages}",
        found(&with)
    );
}
