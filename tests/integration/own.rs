//! The publisher's own pages (tests/fixtures/own, whose catalogue lists `own_sites`): an own session page and an
//! outside page cite the same output. The own page is read, detected and marked `is_own`, its citing relation kept
//! in `cites` but not counted: the output's uptake is 1 document, and 2 with `--count-own` (with the metrics,
//! the ripple through the own page and the report's wording following). The report lists the own pages in their
//! own section. A bad `own_sites` entry stops the run naming the catalogue.

use polars::prelude::*;
use uptake::load;

use super::{describe, fixture, s, uptake, write_config};

/// Runs `uptake run` on the fixture with `extra` flags; returns the folder, the tables' folder and the report's.
fn run_fixture(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (out, rep) = (tmp.path().join("out"), tmp.path().join("reports"));
    let cfg = fixture("own/uptake.toml");
    let mut args = vec![
        "run",
        "--config",
        s(&cfg),
        "--out",
        s(&out),
        "--report-dir",
        s(&rep),
    ];
    args.extend_from_slice(extra);
    let o = uptake(&args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    (tmp, out, rep)
}

/// Column `col` of every row of `table`, as text ("" for null), keyed by column `key`.
fn column(out: &std::path::Path, table: &str, key: &str, col: &str) -> Vec<(String, String)> {
    let df = load::read_table(out, table).unwrap();
    let text = |v: AnyValue| match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        other => other.to_string(),
    };
    let mut rows: Vec<(String, String)> = (0..df.height())
        .map(|i| {
            (
                text(df.column(key).unwrap().get(i).unwrap()),
                text(df.column(col).unwrap().get(i).unwrap()),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// The metric `col` of the fixture's one output.
fn metric(out: &std::path::Path, col: &str) -> String {
    let rows = column(out, "metrics", "output_id", col);
    assert_eq!(rows.len(), 1);
    rows[0].1.clone()
}

const OWN_PAGE: &str = "https://www.forum.example/sessions/2016-widgets-summary";

#[test]
fn own_pages_are_kept_and_marked_but_not_counted() {
    let (_tmp, out, rep) = run_fixture(&[]);
    // the session page (a subdomain of forum.example) and the hub page (under the prefix) are own
    let want: Vec<(String, String)> = [
        ("https://blog.example/2016/widgets", "false"),
        ("https://hub.example/forum/about", "true"),
        ("https://reader.example/2017/list", "false"),
        (OWN_PAGE, "true"),
    ]
    .map(|(u, f)| (u.to_string(), f.to_string()))
    .to_vec();
    assert_eq!(column(&out, "documents", "url", "is_own"), want);
    // both citing relations are in `cites`; the own one is flagged and not counted
    let cites = load::read_table(&out, "cites").unwrap();
    assert_eq!(cites.height(), 2);
    let own_rows = cites
        .clone()
        .lazy()
        .filter(col("is_own"))
        .collect()
        .unwrap();
    assert_eq!(own_rows.height(), 1);
    assert_eq!(
        own_rows.column("counted").unwrap().bool().unwrap().get(0),
        Some(false)
    );
    // the uptake: 1 document (the outside blog), the own page beside it
    for (col, want) in [
        ("documents", "1"),
        ("mentions", "1"),
        ("own_documents", "1"),
        ("own_counted", "false"),
        ("sectors", "1"),
        // the own page (2016-04-02) is not the first uptake: the blog (2016-06-01) is, 7 months after 2015-11
        ("first_uptake", "2016-06-01"),
        ("months_to_first_uptake", "7"),
        // the reading list links only to the own page: no ripple through it
        ("generation_2", "0"),
    ] {
        assert_eq!(metric(&out, col), want, "metrics.{col}");
    }
    let uptake_rows = column(&out, "uptake", "year", "documents");
    assert_eq!(
        uptake_rows,
        [("2015", "0"), ("2016", "1"), ("2017", "0")].map(|(y, n)| (y.to_string(), n.to_string()))
    );
    let own_2016 = column(&out, "uptake", "year", "own_documents");
    assert_eq!(own_2016[1], ("2016".to_string(), "1".to_string()));
    for table in ["uptake", "ripple", "metrics"] {
        let flags = load::read_table(&out, table).unwrap();
        let flags = flags.column("own_counted").unwrap().bool().unwrap();
        assert!(
            !flags.is_empty() && flags.iter().all(|f| f == Some(false)),
            "{table}.own_counted"
        );
    }
    // the report: every headline says so, and the own pages have their own section (the vocabulary names the WXF)
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    assert!(
        html.contains("own pages of forum.example and https://hub.example/forum/ not counted"),
        "headline note"
    );
    let section = &html[html.find("<section id=\"own\">").expect("the own section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("The WXF&#39;s own follow-up"), "{section}");
    assert!(section.contains("Session summary: the widget exchanges plenary"));
    assert!(section.contains(OWN_PAGE));
    assert!(section.contains("href=\"#o-2015-widgets\""));
    assert!(section.contains("<b>not counted</b>"));
    assert!(
        !section.contains("hub.example/forum/about"),
        "an own page citing nothing is not listed"
    );
    assert!(html.contains("href=\"#own\""), "the contents link to it");
    let md = std::fs::read_to_string(rep.join("summary.md")).unwrap();
    assert!(
        md.contains(
            "own pages of forum.example and https://hub.example/forum/ not counted: 2 read"
        ),
        "{md}"
    );
    assert!(md.contains("## The WXF's own follow-up"), "{md}");
    assert!(
        md.contains("1 of 1 tracked outputs were taken up by 1 documents"),
        "{md}"
    );
}

#[test]
fn count_own_counts_them_like_any_other() {
    let (_tmp, out, rep) = run_fixture(&["--count-own"]);
    for (col, want) in [
        ("documents", "2"),
        ("mentions", "2"),
        ("own_documents", "1"),
        ("own_counted", "true"),
        ("sectors", "2"),
        ("first_uptake", "2016-04-02"),
        ("months_to_first_uptake", "5"),
        // the reading list links to the own page, now a citing document
        ("generation_2", "1"),
    ] {
        assert_eq!(metric(&out, col), want, "metrics.{col}");
    }
    let cites = load::read_table(&out, "cites").unwrap();
    let counted = cites.column("counted").unwrap().bool().unwrap();
    assert!(counted.iter().all(|c| c == Some(true)));
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    assert!(html.contains(
        "own pages of forum.example and https://hub.example/forum/ counted like any other"
    ));
    assert!(html.contains("<section id=\"own\">"));
    let md = std::fs::read_to_string(rep.join("summary.md")).unwrap();
    assert!(md.contains("taken up by 2 documents"), "{md}");
}

#[test]
fn the_stage_commands_take_count_own_too() {
    let (_tmp, out, rep) = run_fixture(&[]);
    let cfg = fixture("own/uptake.toml");
    // `detect --count-own` rewrites the tables counting the own page
    let o = uptake(&[
        "detect",
        "--config",
        s(&cfg),
        "--out",
        s(&out),
        "--count-own",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(metric(&out, "documents"), "2");
    assert_eq!(metric(&out, "own_counted"), "true");
    // `report` without the flag leaves them out again, and says so
    let o = uptake(&[
        "report",
        "--config",
        s(&cfg),
        "--out",
        s(&out),
        "--report-dir",
        s(&rep),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let md = std::fs::read_to_string(rep.join("summary.md")).unwrap();
    assert!(md.contains("taken up by 1 documents"), "{md}");
    assert!(
        md.contains("https://hub.example/forum/ not counted"),
        "{md}"
    );
}

#[test]
fn a_bad_own_site_stops_the_run_naming_the_catalogue() {
    let tmp = tempfile::tempdir().unwrap();
    let catalogue = tmp.path().join("bad-catalogue.toml");
    std::fs::write(
        &catalogue,
        "own_sites = [\"forum.example/sessions\"]\n[[output]]\nid = \"a\"\nyear = 2015\ntitle = \"T\"\n",
    )
    .unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\n[[source]]\nname = \"c\"\nkind = \"dir\"\npath = {:?}\n",
            s(&catalogue),
            s(&fixture("own/corpus"))
        ),
    );
    let o = uptake(&[
        "run",
        "--config",
        s(&cfg),
        "--out",
        s(&tmp.path().join("out")),
        "--report-dir",
        s(&tmp.path().join("rep")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad-catalogue.toml")
            && err.contains("own_sites")
            && err.contains("forum.example/sessions"),
        "{err}"
    );
}
