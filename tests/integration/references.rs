//! References the way people cite: the labelled set (tests/labelled, written by the team: 71 documents, 25 of them
//! traps) scored by `uptake eval` against its targets, and the theme-level mentions it must keep apart.

use std::path::Path;

use super::{describe, s, uptake};

fn labelled() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled/uptake.toml")
}

#[test]
fn the_labelled_set_meets_the_precision_recall_and_date_targets() {
    let o = uptake(&["eval", "--config", s(&labelled())]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(
        text.contains("targets (precision >= 0.99, recall >= 0.97, every date): met"),
        "{text}"
    );
    assert!(text.contains("no errors"), "{text}");
    for form in [
        "title-typo",
        "reference-split",
        "reference-hyphenated",
        "reference-page-break",
        "acronym-year",
        "theme-cue-year",
        "heading-year",
        "this-year",
        "last-year",
        "link",
        "repeated",
    ] {
        assert!(
            text.contains(&format!("  {form} ")),
            "form {form} is covered: {text}"
        );
    }
}

#[test]
fn a_shared_name_without_a_year_is_a_theme_level_mention_not_a_citation() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = uptake(&[
        "run",
        "--config",
        s(&labelled()),
        "--out",
        s(&out),
        "--report-dir",
        s(&tmp.path().join("r")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let q = |sql: &str| {
        let mut df = uptake::query::run_sql(&out, sql, "test").unwrap();
        uptake::query::format(&mut df, uptake::query::Format::Csv, "test").unwrap()
    };
    let themes = q("SELECT d.location, t.theme, t.candidates, t.matched FROM theme_mentions t JOIN documents d ON d.doc_id = t.doc_id ORDER BY d.location");
    assert!(
        themes.contains("n01-no-year.txt,IXPs,2015-ixp 2016-ixp,BPF on IXPs"),
        "{themes}"
    );
    assert!(
        themes.contains("n02-no-year-cyber.txt,Cybersecurity,"),
        "{themes}"
    );
    let cited = q("SELECT COUNT(*) AS n FROM cites c JOIN documents d ON d.doc_id = c.doc_id WHERE d.location LIKE '%n0%-no-year%'");
    assert_eq!(cited, "n\n0\n", "theme-level mentions are not citations");
    // Ten mentions of one report in one document are one citing relation.
    let ten = q("SELECT c.mentions FROM cites c JOIN documents d ON d.doc_id = c.doc_id WHERE d.location LIKE '%m02-ten-times%'");
    assert_eq!(ten, "mentions\n10\n");
}
