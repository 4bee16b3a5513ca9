//! Unit tests of reuse detection: one per kind of reuse the benchmark measures, on hand-written prose.

use super::*;
use crate::config::DetectConfig;

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
fn shingles_shared_by_many_outputs_seed_nothing() {
    let footer = "This report was produced by the Internet Governance Forum Best Practice Forum and is published under \
        a Creative Commons Attribution licence for all to share and adapt";
    let a = format!("{SOURCE} {footer}");
    let b = format!("{OTHER} {footer}");
    let c = format!("Some entirely different words about spectrum auctions. {footer}");
    let idx = index_of(&[("a", &a, None), ("b", &b, None), ("c", &c, None)]);
    let doc = format!("A news item. {footer}. The end of the item.");
    assert!(find_in(&idx, &doc).is_empty());
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
fn document_frequency_boilerplate_is_dropped_after_the_run() {
    let phrase = "Responses must involve platforms, governments and civil society working together with survivors, \
        and they must be measured against what survivors report.";
    let idx = index_of(&[("o1", SOURCE, None)]);
    let c = cfg();
    let mut all = Vec::new();
    for i in 0..40 {
        let doc = format!("Item {i}. {OTHER} {phrase}");
        all.push(idx.find("d", &doc, &normalize::words(&doc), None, &c));
    }
    assert!(all.iter().all(|f| f.len() == 1));
    let filter = idx.boilerplate_filter(&c);
    let kept: usize = all.into_iter().map(|f| filter.apply(f, None).len()).sum();
    assert_eq!(kept, 0);
}
