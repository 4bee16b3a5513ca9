//! Unit tests of reuse detection: one per kind of reuse the benchmark measures, on hand-written prose.

use super::align::levenshtein;
use super::*;
use crate::config::DetectConfig;
use crate::records::ContentKind;
use crate::textutil::snippet;

const SOURCE: &str = "Online abuse and gender-based violence against women is a growing concern across every region. \
    It ranges from harassment and threats to the non-consensual sharing of intimate images, and it limits how \
    women use the Internet for work, study and public debate. Responses must involve platforms, governments and \
    civil society working together with survivors, and they must be measured against what survivors report. \
    Reporting mechanisms are often hard to find, slow to answer and written in a language the user does not \
    read. Law enforcement agencies rarely hold the skills to collect digital evidence, and courts seldom treat \
    online harm as seriously as harm offline.";

const OTHER: &str = "Packet filters in the kernel compile bytecode for every socket that asks for one. The \
    verifier walks each program before it runs and refuses loops it cannot bound, so a filter always ends.";

fn cfg() -> DetectConfig {
    DetectConfig::default()
}

fn index_of(texts: &[(&str, &str, Option<&str>)]) -> ReuseIndex {
    let owned: Vec<_> = texts
        .iter()
        .map(|(id, t, d)| OutputText {
            id: id.to_string(),
            text: t.to_string(),
            published: d.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            names: Vec::new(),
        })
        .collect();
    ReuseIndex::new(&owned, &cfg())
}

fn find_in(idx: &ReuseIndex, doc: &str) -> Vec<Passage> {
    let found = idx.find("d", doc, &normalize::words(doc), None, &cfg());
    found.into_iter().map(|f| f.passage).collect()
}

fn span(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn verbatim_passage_has_exact_offsets_on_both_sides() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let doc = format!("Our blog. {SOURCE} Thanks for reading.");
    let p = find_in(&idx, &doc);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        span(&doc, p[0].doc_start, p[0].doc_end),
        SOURCE.trim_end_matches('.')
    );
    assert_eq!(
        (p[0].output_start, p[0].output_end),
        (0, SOURCE.chars().count() - 1)
    );
    assert!((p[0].similarity - 1.0).abs() < 1e-9);
    assert_eq!(p[0].blocks, 1);
}

#[test]
fn light_edits_keep_one_passage() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let edited = SOURCE
        .replace("growing concern", "serious and growing concern")
        .replace("limits how", "restricts how")
        .replace("working together", "acting together")
        .replace("rarely hold", "seldom have");
    let p = find_in(&idx, &edited);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].similarity > 0.85 && p[0].similarity < 1.0,
        "{}",
        p[0].similarity
    );
    assert!(span(&edited, p[0].doc_start, p[0].doc_end).starts_with("Online abuse"));
}

#[test]
fn heavy_edits_and_a_sentence_swap_are_still_found() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let heavy = "Abuse online and violence based on gender against women is a concern that grows in each region. \
        Responses need to involve platforms, states and civil society that work together with survivors, and \
        they must be judged by what survivors say. It goes from harassment and threats to sharing intimate \
        pictures without consent, and it limits how women use the web for jobs, study and public debate. \
        Mechanisms for reporting are often hard to locate, slow to reply and written in a tongue the user does \
        not read. Police agencies rarely hold the skills needed to gather digital evidence, and judges seldom \
        treat harm online as seriously as harm offline.";
    let p = find_in(&idx, heavy);
    assert_eq!(p.len(), 1, "{p:?}");
    let covered = p[0].doc_end - p[0].doc_start;
    assert!(
        covered * 10 >= heavy.chars().count() * 8,
        "{covered} of {}",
        heavy.chars().count()
    );
}

#[test]
fn reordered_paragraphs_give_one_passage_covering_both() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let (first, second) = SOURCE.split_at(SOURCE.find("Reporting mechanisms").unwrap());
    let doc = format!("Intro words here. {second}\n\n{first} Closing words.");
    let p = find_in(&idx, &doc);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].blocks >= 2, "{p:?}");
    let got = span(&doc, p[0].doc_start, p[0].doc_end);
    assert!(
        got.starts_with("Reporting") && got.contains("Online abuse"),
        "{got}"
    );
    assert_eq!(p[0].output_start, 0);
}

#[test]
fn the_shorter_block_of_a_swap_is_not_lost() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let cut = SOURCE.find("Law enforcement").unwrap();
    let (long, short) = SOURCE.split_at(cut);
    let doc = format!("{short}\n\n{long}");
    let p = find_in(&idx, &doc);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].doc_start, 0, "{p:?}");
}

#[test]
fn an_inserted_aside_does_not_split_the_passage() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let cut = SOURCE.find("Responses must").unwrap();
    let doc = format!(
        "{} (As our own survey of members found last spring, the picture is similar in small towns and cities.) {}",
        &SOURCE[..cut],
        &SOURCE[cut..]
    );
    let p = find_in(&idx, &doc);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(span(&doc, p[0].doc_start, p[0].doc_end).contains("survey of members"));
}

#[test]
fn a_short_quotation_is_found() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let quote = "It ranges from harassment and threats to the non-consensual sharing of intimate images, and it \
        limits how women use the Internet for work, study and public debate.";
    let doc = format!("{OTHER} As one report put it: \"{quote}\" {OTHER}");
    let p = find_in(&idx, &doc);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(span(&doc, p[0].doc_start, p[0].doc_end).starts_with("It ranges"));
}

#[test]
fn pdf_artefacts_in_the_document_do_not_break_a_passage() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    let pdf = SOURCE
        .replace("concern across", "con-\ncern across")
        .replace("non-consensual sharing", "non-\nconsensual shar\u{ad}ing")
        .replace("find,", "ﬁnd,")
        .replace("offline", "oﬄine")
        .replace(". ", ".\n\n");
    let p = find_in(&idx, &pdf);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!((p[0].similarity - 1.0).abs() < 1e-9, "{}", p[0].similarity);
}

#[test]
fn unrelated_text_and_short_overlaps_find_nothing() {
    let idx = index_of(&[("o1", SOURCE, None)]);
    assert!(find_in(&idx, OTHER).is_empty());
    // one shared phrase is a quotation too short to count
    let doc = format!("{OTHER} Responses must involve platforms. {OTHER}");
    assert!(find_in(&idx, &doc).is_empty());
}

#[test]
fn a_footer_shared_by_many_outputs_is_found_and_goes_to_one_best_source() {
    let footer = "This report was produced by the Internet Governance Forum Best Practice Forum and is published under \
        a Creative Commons Attribution licence for all to share and adapt";
    let a = format!("{SOURCE} {footer}");
    let b = format!("{OTHER} {footer}");
    let c = format!("Some entirely different words about spectrum auctions. {footer}");
    let idx = index_of(&[
        ("a", &a, Some("2017-01-01")),
        ("b", &b, Some("2015-01-01")),
        ("c", &c, Some("2016-01-01")),
    ]);
    let doc = format!("A news item. {footer}. The end of the item.");
    let rows = rows_of(&idx, &doc, Some("2020-01-01"));
    assert_rows_are_sound(&rows, &aligned_of(&idx, &doc, &cfg()));
    let best: Vec<_> = rows.iter().filter(|p| p.best_source).collect();
    assert_eq!(best.len(), 1, "{rows:?}");
    assert_eq!(best[0].output_id, "b");
    // the same text as a known licence notice seeds nothing
    let mut c2 = cfg();
    c2.boilerplate_texts = vec![footer.to_string()];
    let owned: Vec<_> = [("a", &a), ("b", &b), ("c", &c)]
        .iter()
        .map(|(id, t)| OutputText {
            id: id.to_string(),
            text: t.to_string(),
            ..Default::default()
        })
        .collect();
    let idx = ReuseIndex::new(&owned, &c2);
    assert!(idx
        .find("d", &doc, &normalize::words(&doc), None, &c2)
        .is_empty());
}

#[test]
fn a_passage_repeated_by_a_later_output_marks_the_earliest_as_best_source() {
    let later = format!("The 2019 report repeats its predecessor: {SOURCE}");
    let idx = index_of(&[
        ("o2019", &later, Some("2019-11-01")),
        ("o2016", SOURCE, Some("2016-12-01")),
    ]);
    let doc = format!("Quoted: {SOURCE}");
    let found = idx.find(
        "d",
        &doc,
        &normalize::words(&doc),
        NaiveDate::from_ymd_opt(2020, 3, 1),
        &cfg(),
    );
    assert_eq!(found.len(), 2, "{found:?}");
    let best: Vec<_> = found
        .iter()
        .filter(|f| f.passage.best_source)
        .map(|f| f.passage.output_id.as_str())
        .collect();
    assert_eq!(best, ["o2016"]);
    // a document dated before the 2016 output: neither was published before it, so the earlier still wins
    let found = idx.find(
        "d",
        &doc,
        &normalize::words(&doc),
        NaiveDate::from_ymd_opt(2017, 3, 1),
        &cfg(),
    );
    let best: Vec<_> = found
        .iter()
        .filter(|f| f.passage.best_source)
        .map(|f| f.passage.output_id.as_str())
        .collect();
    assert_eq!(best, ["o2016"]);
}

#[test]
fn running_headers_repeated_in_a_document_seed_nothing() {
    let header = "Annual review of the digital rights coalition page";
    let idx = index_of(&[("o1", &format!("{header}. {SOURCE}"), None)]);
    let doc: String = (1..=12)
        .map(|i| format!("{header} {i}. {OTHER}\n"))
        .collect();
    assert!(find_in(&idx, &doc).is_empty());
}

#[test]
fn a_passage_quoted_by_many_documents_is_reported_every_time() {
    let phrase = "Responses must involve platforms, governments and civil society working together with survivors, \
        and they must be measured against what survivors report.";
    let idx = index_of(&[("o1", SOURCE, None)]);
    let c = cfg();
    let filter = idx.boilerplate_filter(&c);
    for i in 0..40 {
        let doc = format!("Item {i}. {OTHER} {phrase}");
        let found = idx.find("d", &doc, &normalize::words(&doc), None, &c);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(filter.apply(found, None).len(), 1);
    }
}

/// The rows of one document, after attribution.
fn rows_of(idx: &ReuseIndex, doc: &str, date: Option<&str>) -> Vec<Passage> {
    let date = date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let found = idx.find("d", doc, &normalize::words(doc), date, &cfg());
    idx.boilerplate_filter(&cfg()).apply(found, date)
}

/// Document characters that some output's passage aligns (before attribution).
fn aligned_of(idx: &ReuseIndex, doc: &str, c: &DetectConfig) -> Vec<(usize, usize)> {
    idx.find("d", doc, &normalize::words(doc), None, c)
        .iter()
        .flat_map(|f| f.cand.segments.iter().filter(|s| s.aligned).map(|s| s.doc))
        .collect()
}

/// No exact duplicates, no two rows of one output over the same document text, at most one best row over any
/// character, and a best row over every character some passage aligns (`aligned`), but for slivers shorter than
/// a passage.
fn assert_rows_are_sound(rows: &[Passage], aligned: &[(usize, usize)]) {
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            assert_ne!(a, b, "duplicate row");
            if a.output_id == b.output_id {
                let ov = a
                    .doc_end
                    .min(b.doc_end)
                    .saturating_sub(a.doc_start.max(b.doc_start));
                assert_eq!(ov, 0, "rows of one output overlap: {a:?} {b:?}");
            }
        }
    }
    let end = rows
        .iter()
        .map(|p| p.doc_end)
        .chain(aligned.iter().map(|a| a.1))
        .max()
        .unwrap_or(0);
    let mut any = vec![false; end];
    let mut best = vec![0u32; end];
    for &(a, b) in aligned {
        any[a..b].fill(true);
    }
    for p in rows {
        if p.best_source {
            best[p.doc_start..p.doc_end]
                .iter_mut()
                .for_each(|b| *b += 1);
        }
    }
    assert!(
        best.iter().all(|&b| b <= 1),
        "a character with two best rows: {rows:?}"
    );
    let mut run = 0;
    for i in 0..end {
        if any[i] && best[i] == 0 {
            run += 1;
        } else {
            run = 0;
        }
        assert!(
            run < cfg().min_passage_chars,
            "no best row over {i}: {rows:?}"
        );
    }
}

#[test]
fn the_long_passage_of_the_true_source_wins_over_a_more_similar_fragment_of_a_sibling() {
    // the sibling holds one sentence of the source, verbatim; the document reuses the whole source with
    // light edits elsewhere, so the sibling's fragment is more similar than the source's passage
    let sentence = "Reporting mechanisms are often hard to find, slow to answer and written in a language the user \
        does not read.";
    let sibling = format!("{OTHER} {sentence} {OTHER}");
    let idx = index_of(&[("source", SOURCE, None), ("sibling", &sibling, None)]);
    let doc = SOURCE
        .replace("growing concern", "serious and growing concern")
        .replace("rarely hold", "seldom have");
    let rows = rows_of(&idx, &doc, None);
    assert_rows_are_sound(&rows, &aligned_of(&idx, &doc, &cfg()));
    let best: Vec<_> = rows.iter().filter(|p| p.best_source).collect();
    assert_eq!(best.len(), 1, "{rows:?}");
    assert_eq!(best[0].output_id, "source");
    assert!(best[0].doc_end - best[0].doc_start > doc.chars().count() * 9 / 10);
    // the sibling's row stays, not as the best source
    assert!(
        rows.iter()
            .any(|p| p.output_id == "sibling" && !p.best_source),
        "{rows:?}"
    );
}

#[test]
fn overlapping_passages_of_two_outputs_share_the_text_without_double_best_rows() {
    // output a holds the first two thirds of the source, output b the last two thirds
    let cut1 = SOURCE.find("Responses must").unwrap();
    let cut2 = SOURCE.find("Law enforcement").unwrap();
    let a = SOURCE[..cut2].to_string();
    let b = SOURCE[cut1..].to_string();
    let idx = index_of(&[("a", &a, Some("2018-01-01")), ("b", &b, Some("2019-01-01"))]);
    let doc = format!("{OTHER} {SOURCE} {OTHER}");
    let rows = rows_of(&idx, &doc, Some("2020-01-01"));
    assert_rows_are_sound(&rows, &aligned_of(&idx, &doc, &cfg()));
    // between them, the best rows cover the whole source
    let covered: usize = rows
        .iter()
        .filter(|p| p.best_source)
        .map(|p| p.doc_end - p.doc_start)
        .sum();
    assert!(
        covered + 5 >= SOURCE.chars().count() - 1,
        "{covered}: {rows:?}"
    );
}

/// A second output that repeats clauses of the first elsewhere (parallel wording).
fn repetitive_output() -> String {
    format!(
        "{SOURCE} In the annex, the same point is restated for the regional consultations: responses must \
         involve platforms, governments and civil society working together, and reporting mechanisms are often \
         hard to find. The annex closes with the list of contributors to the consultations."
    )
}

#[test]
fn a_repeated_phrase_elsewhere_in_the_output_does_not_stretch_the_source_span() {
    let out = repetitive_output();
    let idx = index_of(&[("o1", &out, None)]);
    let doc = format!("{OTHER} {SOURCE} {OTHER}");
    let rows = rows_of(&idx, &doc, None);
    assert_rows_are_sound(&rows, &aligned_of(&idx, &doc, &cfg()));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let p = &rows[0];
    assert_eq!(p.output_start, 0, "{p:?}");
    assert!(p.output_end <= SOURCE.chars().count(), "{p:?}");
    assert!(p.similarity > 0.99, "{p:?}");
}

#[test]
fn recall_never_drops_as_max_gap_words_grows() {
    let out = repetitive_output();
    let idx_texts = [("o1", out.as_str())];
    let heavy = "Abuse online and violence based on gender against women is a concern that grows in each region. \
        Responses need to involve platforms, states and civil society that work together with survivors, and \
        they must be judged by what survivors say. It goes from harassment and threats to sharing intimate \
        pictures without consent, and it limits how women use the web for jobs, study and public debate.";
    let (first, second) = SOURCE.split_at(SOURCE.find("Reporting mechanisms").unwrap());
    let cut = SOURCE.find("Responses must").unwrap();
    let docs: Vec<(String, usize, usize)> = [
        SOURCE.to_string(),
        SOURCE.replace("limits how", "restricts how").replace("rarely hold", "seldom have"),
        heavy.to_string(),
        format!("{second}\n\n{first}"),
        format!(
            "{} (As our own survey of members found last spring, the picture is similar in small towns and \
             cities, where few services exist and fewer are known.) {}",
            &SOURCE[..cut],
            &SOURCE[cut..]
        ),
    ]
    .into_iter()
    .map(|t| {
        let doc = format!("{OTHER}\n\n{t}\n\n{OTHER}");
        let start = OTHER.chars().count() + 2;
        let end = start + t.chars().count();
        (doc, start, end)
    })
    .collect();
    let mut last = 0.0;
    for gap in [10, 15, 20, 30, 40, 50, 75, 100, 150, 200] {
        let mut c = cfg();
        c.max_gap_words = gap;
        let owned: Vec<_> = idx_texts
            .iter()
            .map(|(id, t)| OutputText {
                id: id.to_string(),
                text: t.to_string(),
                ..Default::default()
            })
            .collect();
        let idx = ReuseIndex::new(&owned, &c);
        let mut hit = 0usize;
        let mut total = 0usize;
        for (doc, s, e) in &docs {
            let found = idx.find("d", doc, &normalize::words(doc), None, &c);
            let rows = idx.boilerplate_filter(&c).apply(found, None);
            let spans = rows
                .iter()
                .filter(|p| p.best_source)
                .map(|p| (p.doc_start.max(*s), p.doc_end.min(*e)));
            hit += covered(spans.filter(|(a, b)| b > a));
            total += e - s;
        }
        let recall = hit as f64 / total as f64;
        assert!(
            recall + 1e-9 >= last,
            "recall fell to {recall} at max_gap_words {gap} from {last}"
        );
        last = recall;
    }
    assert!(last > 0.8, "{last}");
}

#[test]
fn known_licence_text_seeds_nothing() {
    let notice = "This work is licensed under the Creative Commons Attribution 4.0 International License. To view \
        a copy of this license, visit the Creative Commons website or send a letter to Creative Commons.";
    let out = format!("{SOURCE} {notice}");
    let mut c = cfg();
    c.boilerplate_texts = vec![notice.to_string()];
    let idx = ReuseIndex::new(
        &[OutputText {
            id: "o1".into(),
            text: out,
            ..Default::default()
        }],
        &c,
    );
    let doc = format!("{OTHER} {notice} {OTHER}");
    assert!(idx
        .find("d", &doc, &normalize::words(&doc), None, &c)
        .is_empty());
    // the rest of the output is still found
    let doc = format!("{OTHER} {SOURCE} {OTHER}");
    assert_eq!(
        idx.find("d", &doc, &normalize::words(&doc), None, &c).len(),
        1
    );
}

fn page(url: &str, text: String) -> crate::records::Document {
    crate::records::Document {
        source: "web".into(),
        content_type: ContentKind::Html,
        ..crate::records::Document::from_text(url, text)
    }
}

/// The output the site-template tests quote.
fn gender_output() -> crate::records::Output {
    crate::records::Output {
        id: "o1".into(),
        year: 2016,
        title: "Online abuse and gender-based violence".into(),
        theme: None,
        theme_aliases: Vec::new(),
        aliases: Vec::new(),
        urls: Vec::new(),
        texts: Vec::new(),
        published: None,
    }
}

#[test]
fn a_passage_in_the_same_place_on_pages_of_one_site_is_a_template_but_quotes_across_sites_are_not()
{
    let output = gender_output();
    let quote = "Responses must involve platforms, governments and civil society working together with survivors, \
        and they must be measured against what survivors report.";
    let bodies = [
        "Spectrum auctions raised less than expected this year, and the regulator blames the timing.",
        "Our volunteers repaired forty routers in the valley and trained six new technicians.",
        "The conference moves online next spring; registration opens in January for members.",
        "A new survey of small operators shows that most still buy transit from one incumbent.",
    ];
    let detector = crate::detect::Detector::new(
        std::slice::from_ref(&output),
        &[("o1".to_string(), SOURCE.to_string())],
        &cfg(),
    );
    // one site puts the quotation in its footer on every page; four other sites quote it in their articles
    let mut docs = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        docs.push(page(
            &format!("https://coalition.example/news/{i}"),
            format!("{body} {OTHER}\n\nOur pledge: {quote}"),
        ));
        docs.push(page(
            &format!("https://site{i}.example/post"),
            format!("{body}\n\nAs the forum put it, {quote} {OTHER}"),
        ));
    }
    let dets = detector.detect_all(&docs);
    for (det, doc) in dets.iter().zip(&docs) {
        let expect = usize::from(!doc.url.starts_with("https://coalition."));
        assert_eq!(
            det.passages.len(),
            expect,
            "{}: {:?}",
            doc.url,
            det.passages
        );
    }
}

#[test]
fn text_shared_by_three_outputs_goes_to_the_earliest_whatever_boilerplate_outputs_says() {
    let shared = "Responses must involve platforms, governments and civil society working together with survivors, \
        and they must be measured against what survivors report.";
    let texts = [
        ("o2017", format!("{OTHER} {shared}"), "2017-06-01"),
        (
            "o2015",
            format!("Spectrum policy notes for regulators. {shared}"),
            "2015-06-01",
        ),
        (
            "o2016",
            format!("{shared} Closing remarks of the forum."),
            "2016-06-01",
        ),
    ];
    let mut c = cfg();
    c.boilerplate_outputs = 2; // deprecated: no effect
    let owned: Vec<_> = texts
        .iter()
        .map(|(id, t, d)| OutputText {
            id: id.to_string(),
            text: t.clone(),
            published: NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
            names: Vec::new(),
        })
        .collect();
    let idx = ReuseIndex::new(&owned, &c);
    let doc = format!("A news item. {shared} The end of the item.");
    let found = idx.find("d", &doc, &normalize::words(&doc), None, &c);
    let rows = idx.boilerplate_filter(&c).apply(found, None);
    assert_rows_are_sound(&rows, &aligned_of(&idx, &doc, &c));
    assert_eq!(rows.len(), 3, "{rows:?}");
    let best: Vec<_> = rows.iter().filter(|p| p.best_source).collect();
    assert_eq!(best.len(), 1, "{rows:?}");
    assert_eq!(best[0].output_id, "o2015");
}

#[test]
fn random_texts_with_repeated_phrases_give_sound_rows() {
    // phrases repeated within and across outputs: the hard case for merging and attribution
    let vocab: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
    let mut rng = fastrand::Rng::with_seed(14);
    let words = |rng: &mut fastrand::Rng, n: usize| -> Vec<String> {
        (0..n)
            .map(|_| vocab[rng.usize(0..vocab.len())].clone())
            .collect()
    };
    let phrases: Vec<Vec<String>> = (0..25).map(|_| words(&mut rng, 6)).collect();
    let output = |rng: &mut fastrand::Rng| -> String {
        let mut w = Vec::new();
        while w.len() < 300 {
            if rng.bool() {
                w.extend(phrases[rng.usize(0..phrases.len())].iter().cloned());
            } else {
                w.extend(words(rng, 5));
            }
        }
        w.join(" ")
    };
    let mut total_rows = 0;
    for round in 0..150 {
        let outs: Vec<String> = (0..3).map(|_| output(&mut rng)).collect();
        let mut doc: Vec<String> = words(&mut rng, 20);
        for _ in 0..rng.usize(1..4) {
            let o: Vec<&str> = outs[rng.usize(0..3)].split(' ').collect();
            let a = rng.usize(0..250);
            let piece: Vec<String> = o[a..(a + rng.usize(20..50)).min(o.len())]
                .iter()
                .map(|w| {
                    if rng.f64() < 0.2 {
                        vocab[rng.usize(0..vocab.len())].to_string()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            doc.extend(piece);
            let n = rng.usize(0..30);
            doc.extend(words(&mut rng, n));
        }
        let doc = doc.join(" ");
        let texts: Vec<(String, String, Option<&str>)> = outs
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    format!("o{i}"),
                    t.clone(),
                    Some(["2015-01-01", "2016-01-01", "2016-01-01"][i]),
                )
            })
            .collect();
        let refs: Vec<(&str, &str, Option<&str>)> = texts
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), *c))
            .collect();
        let idx = index_of(&refs);
        let rows = rows_of(&idx, &doc, Some("2020-01-01"));
        assert_rows_are_sound(&rows, &aligned_of(&idx, &doc, &cfg()));
        total_rows += rows.len();
        let doc_chars = doc.chars().count();
        for p in &rows {
            let out_chars = outs[p.output_id[1..].parse::<usize>().unwrap()]
                .chars()
                .count();
            assert!(
                p.doc_start < p.doc_end && p.doc_end <= doc_chars,
                "round {round}: {p:?}"
            );
            assert!(
                p.output_start <= p.output_end && p.output_end <= out_chars,
                "round {round}: {p:?}"
            );
            assert!((0.0..=1.0).contains(&p.similarity), "round {round}: {p:?}");
        }
    }
    assert!(total_rows > 150, "{total_rows}");
}

#[test]
fn a_heading_repeated_before_the_passage_does_not_join_it() {
    let title = "Online abuse and gender-based violence against women";
    let out = format!("{title}\n\n{SOURCE}");
    let idx = index_of(&[("o1", &out, None)]);
    let doc = format!("{title}\n{title}\n\n{SOURCE}");
    let rows = rows_of(&idx, &doc, None);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let got = span(&doc, rows[0].doc_start, rows[0].doc_end);
    assert!(
        got.starts_with(title) && !got.contains(&format!("{title}\n{title}")),
        "{got}"
    );
    assert_eq!(rows[0].output_start, 0);
}

#[test]
fn snippet_within_equals_the_snippet_of_the_whole_text() {
    for text in [
        format!("Ünïcödé — {SOURCE} ﬁnal “quoted” wörds."),
        format!("Plain  start,\t\n\n{SOURCE}\u{a0}then ünïcödé\u{3000}and  more \n"),
        "ascii only,  with\n\n white\tspace ".to_string(),
    ] {
        let n = text.chars().count();
        for start in (0..n + 2).step_by(3) {
            for end in [start, start + 1, start + 13, start + 90, n, n + 1] {
                let end = end.max(start);
                assert_eq!(
                    snippet_within(&text, start, end),
                    snippet(&text, start, end, 0),
                    "{start}..{end} of {text:?}"
                );
            }
        }
    }
}

#[test]
fn copies_of_an_output_on_several_pages_of_one_site_are_not_templates() {
    let output = gender_output();
    let detector = crate::detect::Detector::new(
        std::slice::from_ref(&output),
        &[("o1".to_string(), SOURCE.to_string())],
        &cfg(),
    );
    // the same report as a page, a print view and a mobile view: the page's content, not its template
    let docs: Vec<_> = ["page", "print", "mobile"]
        .iter()
        .map(|v| {
            page(
                &format!("https://mirror.example/{v}/report"),
                format!("Report. {SOURCE}"),
            )
        })
        .collect();
    let dets = detector.detect_all(&docs);
    for (det, doc) in dets.iter().zip(&docs) {
        assert_eq!(det.passages.len(), 1, "{}: {:?}", doc.url, det.passages);
    }
}

/// The fused scan (words and filter lookups in one pass over the text, [`ReuseIndex::scan`]) agrees with the
/// full path (words first, then every shingle hashed and looked up, [`ReuseIndex::find`]): the same words, the
/// same shingles through the filter, and the same passages, on documents with and without reuse; a document
/// without a seed leaves the probe empty.
#[test]
fn fused_scan_finds_what_the_full_path_finds() {
    let idx = index_of(&[("o1", SOURCE, None), ("o2", OTHER, None)]);
    let edited = SOURCE
        .replace("growing concern", "serious worry")
        .replace("platforms", "companies");
    let unrelated = "The harbour froze early that winter, and the ferries stopped until March. \
        Nobody in the village remembered a colder season.";
    let mut docs: Vec<String> = vec![
        format!("Our blog. {SOURCE} Thanks for reading."),
        format!("Intro. {edited}\n\nAnd then {OTHER}"),
        format!("Straße İstanbul ﬁrst — {SOURCE} “quoted” café"),
        unrelated.to_string(),
        "too short".to_string(),
        String::new(),
        format!("{unrelated} {}", &SOURCE[..60]),
    ];
    // a passage repeated as a running header, and one cut into words of every length
    docs.push(format!(
        "{OTHER} {OTHER} {OTHER} {OTHER} {OTHER} {OTHER} {OTHER} {OTHER} {OTHER} {OTHER}"
    ));
    docs.push(SOURCE.split(' ').take(40).collect::<Vec<_>>().join("\n"));
    let (mut words, mut probe, mut full) = (Vec::new(), Probe::default(), Probe::default());
    let mut with_seed = 0;
    for doc in &docs {
        idx.scan(doc, &mut words, &mut probe);
        assert_eq!(words, normalize::words(doc), "{doc}");
        idx.probe_words(&words, &mut full);
        assert!(probe.hashes.is_empty(), "{doc}");
        let keys: Vec<u64> = words.windows(idx.k).map(shingle_key).collect();
        assert_eq!(full.hashes, keys, "{doc}");
        assert_eq!(probe.maybe, full.maybe, "{doc}");
        let fused = idx.find_probed("d", doc, &words, &mut probe, || None, &cfg());
        let whole = idx.find("d", doc, &words, None, &cfg());
        let rows = |f: &[Found]| -> Vec<(Passage, u64)> {
            f.iter().map(|f| (f.passage.clone(), f.text_hash)).collect()
        };
        assert_eq!(rows(&fused), rows(&whole), "{doc}");
        let again = idx.find_probed("d", doc, &words, &mut full, || None, &cfg());
        assert_eq!(rows(&again), rows(&whole), "{doc}");
        assert_eq!(probe.hits, full.hits, "{doc}");
        if probe.is_empty() {
            assert!(whole.is_empty(), "{doc}");
        } else {
            with_seed += 1;
        }
    }
    // the documents that reuse were found, the unrelated and the short ones hold no seed
    assert!(with_seed >= 5, "{with_seed}");
    for doc in &docs[..3] {
        assert!(!find_in(&idx, doc).is_empty(), "{doc}");
    }
    for doc in &docs[3..6] {
        idx.scan(doc, &mut words, &mut probe);
        assert!(probe.is_empty(), "{doc}");
    }
}

#[test]
fn the_word_levenshtein_agrees_with_strsim() {
    // pseudo-random word slices over small vocabularies (many repeats), both sides of 64 words and lengths around it
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let word = |hash| Word {
        hash,
        start: 0,
        end: 0,
    };
    for round in 0..3000 {
        let vocabulary = 2 + next() % 6;
        let long = round % 5 == 0;
        let limit = if long { 140 } else { 70 };
        let a: Vec<Word> = (0..next() % limit)
            .map(|_| word(next() % vocabulary))
            .collect();
        let mut b: Vec<Word> = if round % 2 == 0 {
            // an edited copy of a: the head and tail in common
            let mut copy = Vec::new();
            for w in &a {
                let roll = next() % 20;
                if roll < 2 {
                    continue;
                }
                copy.push(if roll < 4 {
                    word(next() % vocabulary)
                } else {
                    *w
                });
            }
            copy
        } else {
            (0..next() % limit)
                .map(|_| word(next() % vocabulary))
                .collect()
        };
        if round % 7 == 0 {
            b.truncate(64);
        }
        let ah: Vec<u64> = a.iter().map(|w| w.hash).collect();
        let bh: Vec<u64> = b.iter().map(|w| w.hash).collect();
        let want = strsim::generic_levenshtein(&ah, &bh);
        assert_eq!(levenshtein(&a, &b), want, "{ah:?} / {bh:?}");
        assert_eq!(levenshtein(&b, &a), want, "{bh:?} / {ah:?}");
    }
}

#[test]
fn seeds_out_of_reach_leave_no_hopeful_block() {
    // the shortcut in `passages_of`: seeds that fail `in_reach` chain into no block `keep_hopeful` keeps
    let cfg = cfg();
    let idx = ReuseIndex::new(&[], &cfg);
    let reach = idx.seed_reach(&cfg);
    let mut rng = fastrand::Rng::with_seed(27);
    let (mut blocks, mut out_of_reach) = (Blocks::default(), 0);
    for _ in 0..5000 {
        let mut d = 0u32;
        let mut seeds: Vec<Seed> = (0..rng.usize(0..8))
            .map(|_| {
                d += rng.u32(0..reach as u32 * 2);
                (d, rng.u32(0..400), 0)
            })
            .collect();
        seeds.sort_unstable();
        blocks.chain(&seeds, CHAIN_GAP, idx.k);
        blocks.keep_hopeful(&cfg);
        if !seeds::in_reach(&seeds, reach, cfg.min_seeds) {
            out_of_reach += 1;
            assert!(blocks.list.is_empty(), "{seeds:?}");
        }
    }
    assert!(out_of_reach > 100);
}
