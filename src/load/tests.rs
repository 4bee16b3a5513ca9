//! Tests of the schema layer: one list of tables, records that come back as they were written, and
//! docs/tables.md generated from the declarations.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::records::{DatePrecision, Dated, MentionKind, UrlOutcome};

const BEGIN: &str = "<!-- BEGIN generated";
const END: &str = "<!-- END generated -->";

/// `text` with the part between the markers replaced by `reference`.
fn with_reference(text: &str, reference: &str) -> String {
    let begin = text
        .find(BEGIN)
        .expect("docs/tables.md has the BEGIN marker");
    let begin = begin + text[begin..].find('\n').expect("a line after the marker") + 1;
    let end = text.find(END).expect("docs/tables.md has the END marker");
    format!("{}\n{}{}", &text[..begin], reference, &text[end..])
}

#[test]
fn docs_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/tables.md");
    let text = std::fs::read_to_string(&path).expect("docs/tables.md");
    let want = with_reference(&text, &tables_markdown());
    if std::env::var_os("UPTAKE_BLESS").is_some() {
        std::fs::write(&path, &want).expect("write docs/tables.md");
        return;
    }
    assert!(
        text == want,
        "docs/tables.md is out of date with the table declarations: run `UPTAKE_BLESS=1 cargo test --lib \
         docs_are_current` and commit the result"
    );
}

#[test]
fn one_list_of_tables_with_unique_names_and_columns() {
    assert_eq!(TABLES.len(), 15);
    let names: BTreeSet<&str> = TABLES.iter().copied().collect();
    assert_eq!(names.len(), TABLES.len());
    for (t, name) in SCHEMA.iter().zip(TABLES) {
        assert_eq!(t.name, *name);
        let cols: BTreeSet<&str> = t.columns.iter().map(|c| c.name).collect();
        assert_eq!(cols.len(), t.columns.len(), "{}: a column twice", t.name);
        for c in t.columns {
            assert!(
                !c.doc.is_empty(),
                "{}.{} has no documentation",
                t.name,
                c.name
            );
        }
    }
}

#[test]
fn closed_set_columns_document_every_name() {
    let mut seen = 0;
    for t in SCHEMA {
        for c in t.columns.iter().filter(|c| !c.names.is_empty()) {
            seen += 1;
            let doc = c.doc.join(" ");
            for name in c.names {
                assert!(
                    doc.contains(&format!("`{name}`")),
                    "{}.{}: the docs do not name `{name}`",
                    t.name,
                    c.name
                );
            }
        }
    }
    // mentions.kind, documents.content_type, crawl_log.kind and .outcome, cites.strongest, skipped.stage, six
    // scorecard checks
    assert_eq!(seen, 12);
}

#[test]
fn frames_have_the_declared_columns_in_order() {
    let frames = [
        (documents::DOC, documents_frame(&[]).unwrap()),
        (mentions::DOC, mentions_frame(&[]).unwrap()),
        (crawl_log::DOC, crawl_log_frame(&[]).unwrap()),
        (scorecard::DOC, scorecard_frame(&[]).unwrap()),
        (metrics::DOC, metrics_frame(&[]).unwrap()),
    ];
    for (doc, df) in frames {
        let got: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        let want: Vec<&str> = doc.columns.iter().map(|c| c.name).collect();
        assert_eq!(got, want, "{}", doc.name);
    }
}

fn document() -> Document {
    let mut d = Document::from_text("https://example.org/a", String::new());
    d.doc_id = "00000000000000aa".into();
    d.title = Some("A title".into());
    d.country = Some("KE".into());
    d.published = Some(Dated {
        date: NaiveDate::from_ymd_opt(2019, 3, 1).unwrap(),
        precision: DatePrecision::Month,
        from: "url".into(),
    });
    d.text_chars = Some(1234);
    d.other_urls = vec![
        "https://example.org/b".into(),
        "https://example.org/c".into(),
    ];
    d.links = vec![Link {
        url: "https://example.org/x".into(),
        start: 3,
        end: 9,
    }];
    d
}

#[test]
fn records_come_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let docs = vec![
        document(),
        Document::from_text("file:///b.txt", "two words".into()),
    ];
    write_table(out, documents::NAME, documents_frame(&docs)).unwrap();
    write_table(out, links::NAME, links_frame(&docs)).unwrap();
    let back = read_documents(out).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0].published, docs[0].published);
    assert_eq!(back[0].other_urls, docs[0].other_urls);
    assert_eq!(back[0].links, docs[0].links);
    assert_eq!(back[0].country.as_deref(), Some("KE"));
    assert_eq!(back[1].text_chars, Some(9));
    assert_eq!(back[1].published, None);
    let mentions: Vec<Mention> = MentionKind::ALL
        .iter()
        .enumerate()
        .map(|(i, &kind)| Mention {
            doc_id: format!("d{i}"),
            output_id: "2015-gender".into(),
            kind,
            start: i,
            end: i + 4,
            snippet: "…".into(),
            matched: "BPF".into(),
            score: 0.5,
        })
        .collect();
    write_table(out, mentions::NAME, mentions_frame(&mentions)).unwrap();
    assert_eq!(read_mentions(out).unwrap(), mentions);
    let log = vec![CrawlLogRow {
        source: "web".into(),
        url: "https://example.org/".into(),
        depth: 2,
        outcome: UrlOutcome::Fetched,
        http_status: Some(200),
        attempts: 1,
        ..CrawlLogRow::default()
    }];
    write_table(out, crawl_log::NAME, crawl_log_frame(&log)).unwrap();
    assert_eq!(read_crawl_log(out).unwrap(), log);
}

#[test]
fn columns_added_later_read_as_documented_from_older_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let p = Passage {
        doc_id: "d".into(),
        output_id: "o".into(),
        blocks: 3,
        best_source: false,
        ..Passage::default()
    };
    let mut df = passages_frame(&[p]).unwrap();
    df = df.drop("blocks").unwrap().drop("best_source").unwrap();
    write_table(out, passages::NAME, Ok(df)).unwrap();
    let back = read_passages(out).unwrap();
    assert_eq!((back[0].blocks, back[0].best_source), (1, true));
    // A column that was always there is required.
    let df = mentions_frame(&[]).unwrap().drop("kind").unwrap();
    write_table(out, mentions::NAME, Ok(df)).unwrap();
    assert!(matches!(read_mentions(out), Err(LoadError::Polars { .. })));
}
