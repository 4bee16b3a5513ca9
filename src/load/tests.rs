//! Tests of the schema layer: one list of tables, records that come back as they were written, and
//! docs/tables.md generated from the declarations.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;

use super::schema::Cell as _;
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
    assert_eq!(TABLES.len(), 17);
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
    assert_eq!(seen, 13);
}

/// The polars type of a column whose docs say `doc`.
fn dtype_of(doc: &str) -> DataType {
    match doc.trim_end_matches('?') {
        "str" => DataType::String,
        "u64" => DataType::UInt64,
        "i32" => DataType::Int32,
        "i64" => DataType::Int64,
        "f64" => DataType::Float64,
        "bool" => DataType::Boolean,
        "date" => DataType::Date,
        "list[str]" => DataType::List(Box::new(DataType::String)),
        other => panic!("a type the docs do not explain: {other}"),
    }
}

#[test]
fn frames_have_the_declared_columns_in_order_with_the_documented_types() {
    let frames = [
        (documents::DOC, documents_frame(&[]).unwrap()),
        (outputs::DOC, outputs_frame(&[]).unwrap()),
        (mentions::DOC, mentions_frame(&[]).unwrap()),
        (crawl_log::DOC, crawl_log_frame(&[]).unwrap()),
        (scorecard::DOC, scorecard_frame(&[]).unwrap()),
        (metrics::DOC, metrics_frame(&[]).unwrap()),
        (theme_mentions::DOC, theme_mentions_frame(&[]).unwrap()),
        (works::DOC, works_frame(&[]).unwrap()),
    ];
    for (doc, df) in frames {
        let got: Vec<(&str, DataType)> = df
            .columns()
            .iter()
            .map(|c| (c.name().as_str(), c.dtype().clone()))
            .collect();
        let want: Vec<(&str, DataType)> = doc
            .columns
            .iter()
            .map(|c| (c.name, dtype_of(c.dtype)))
            .collect();
        assert_eq!(got, want, "{}", doc.name);
    }
}

#[test]
fn list_columns_come_last_each_beside_a_kept_joined_column_named_in_the_plural() {
    let mut lists = Vec::new();
    for t in SCHEMA {
        for c in t.columns.iter().filter(|c| c.dtype == "list[str]") {
            let joined = match c.name.strip_suffix("_list").unwrap() {
                "alias" => "aliases".to_string(),
                "query" => "queries".to_string(),
                one => format!("{one}s"),
            };
            let kept = t.columns.iter().find(|j| j.name == joined);
            assert!(
                kept.is_some_and(|j| j.dtype.starts_with("str")),
                "{}.{}: no string column `{joined}` beside it",
                t.name,
                c.name
            );
            lists.push(format!("{}.{}", t.name, c.name));
        }
        // List columns came last when they were added, so they moved no earlier column; only columns added
        // after them (named here) may follow them.
        const ADDED_AFTER_THE_LISTS: [&str; 4] = [
            "documents.found_by",
            "documents.is_own",
            "documents.warc_file",
            "documents.warc_offset",
        ];
        let first = t.columns.iter().position(|c| c.dtype == "list[str]");
        if let Some(first) = first {
            let after: Vec<&str> = t.columns[first..]
                .iter()
                .skip_while(|c| c.dtype == "list[str]")
                .map(|c| c.name)
                .collect();
            for name in after {
                assert!(
                    ADDED_AFTER_THE_LISTS.contains(&format!("{}.{name}", t.name).as_str()),
                    "{}: a column after the list columns that was not added after them: {name}",
                    t.name
                );
            }
        }
    }
    assert_eq!(
        lists,
        [
            "documents.other_url_list",
            "outputs.alias_list",
            "outputs.url_list",
            "theme_mentions.candidate_list",
            "works.query_list",
            "works.output_id_list",
            "works.institution_list"
        ]
    );
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

/// The lists of column `name` of table `table` in `out`, read back from the Parquet file.
fn lists(out: &Path, table: &str, name: &str) -> Vec<Vec<String>> {
    let df = read_table(out, table).unwrap();
    let mut got = Vec::new();
    schema::ListStr::each(df.column(name).unwrap(), |v| got.push(v)).unwrap();
    got
}

/// The strings of column `name` of table `table` in `out` (a null as `None`).
fn strings(out: &Path, table: &str, name: &str) -> Vec<Option<String>> {
    let df = read_table(out, table).unwrap();
    let mut got = Vec::new();
    schema::OptStr::each(df.column(name).unwrap(), |v| got.push(v)).unwrap();
    got
}

#[test]
fn list_columns_round_trip_beside_the_joined_strings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let docs = vec![
        document(),
        Document::from_text("file:///b.txt", "two words".into()),
    ];
    write_table(out, documents::NAME, documents_frame(&docs)).unwrap();
    write_table(out, links::NAME, links_frame(&docs)).unwrap();
    assert_eq!(
        lists(out, documents::NAME, "other_url_list"),
        [docs[0].other_urls.clone(), vec![]]
    );
    assert_eq!(
        strings(out, documents::NAME, "other_urls"),
        [
            Some("https://example.org/b https://example.org/c".to_string()),
            None
        ]
    );
    let output = Output {
        id: "2015-gender".into(),
        year: 2015,
        title: "Online abuse and gender-based violence against women".into(),
        theme: None,
        theme_aliases: vec![],
        aliases: vec!["BPF Gender".into(), "Gender | Access, \"2015\"".into()],
        urls: vec!["https://example.org/gender".into()],
        texts: Vec::new(),
        published: None,
    };
    let bare = Output {
        aliases: vec![],
        urls: vec![],
        ..output.clone()
    };
    write_table(out, outputs::NAME, outputs_frame(&[output.clone(), bare])).unwrap();
    assert_eq!(
        lists(out, outputs::NAME, "alias_list"),
        [output.aliases.clone(), vec![]]
    );
    assert_eq!(
        lists(out, outputs::NAME, "url_list"),
        [output.urls.clone(), vec![]]
    );
    assert_eq!(
        strings(out, outputs::NAME, "aliases")[0].as_deref(),
        Some("BPF Gender | Gender | Access, \"2015\"")
    );
    let t = ThemeMention {
        doc_id: "d".into(),
        theme: "Gender and Access".into(),
        candidates: vec!["2015-gender".into(), "2016-gender".into()],
        ..ThemeMention::default()
    };
    write_table(
        out,
        theme_mentions::NAME,
        theme_mentions_frame(std::slice::from_ref(&t)),
    )
    .unwrap();
    assert_eq!(
        lists(out, theme_mentions::NAME, "candidate_list"),
        std::slice::from_ref(&t.candidates)
    );
    // The stage commands read the joined columns back, as before the list columns, so a table written before
    // them (without the list column) reads as well.
    assert_eq!(read_theme_mentions(out).unwrap(), [t]);
    let df = documents_frame(&docs)
        .unwrap()
        .drop("other_url_list")
        .unwrap();
    write_table(out, documents::NAME, Ok(df)).unwrap();
    assert_eq!(
        read_documents(out).unwrap()[0].other_urls,
        docs[0].other_urls
    );
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
