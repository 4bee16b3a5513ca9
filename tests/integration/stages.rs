//! The stage commands run one after another give the same tables as `uptake run`; `uptake query` answers in
//! table, CSV and JSON.

use super::{describe, s, uptake};
use uptake::load;

#[test]
fn stages_one_by_one_match_run() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let o = uptake(&[
        "run",
        "--out",
        s(&a),
        "--report-dir",
        s(&tmp.path().join("ra")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    for cmd in ["crawl", "detect"] {
        let o = uptake(&[cmd, "--out", s(&b)]);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", describe(&o));
    }
    let rb = tmp.path().join("rb");
    let o = uptake(&["report", "--out", s(&b), "--report-dir", s(&rb)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(rb.join("index.html").is_file());
    for t in [
        "documents",
        "outputs",
        "mentions",
        "passages",
        "uptake",
        "links",
        "skipped",
        "metrics",
        "ripple",
        "themes",
        "citations",
        "scorecard",
        "crawl_log",
    ] {
        let x = load::read_table(&a, t).unwrap();
        let y = load::read_table(&b, t).unwrap();
        assert!(
            x.equals_missing(&y),
            "table {t} differs between run and the stages"
        );
    }
}

#[test]
fn detect_without_crawl_names_the_missing_table() {
    let tmp = tempfile::tempdir().unwrap();
    let o = uptake(&["detect", "--out", s(&tmp.path().join("empty"))]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("documents.parquet"));
}

#[test]
fn query_prints_csv_json_and_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = uptake(&[
        "run",
        "--out",
        s(&out),
        "--report-dir",
        s(&tmp.path().join("r")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let sql = "SELECT output_id, COUNT(*) AS n FROM mentions WHERE output_id = '2016-ixp' GROUP BY output_id";
    let o = uptake(&["query", "--out", s(&out), "--sql", sql, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "output_id,n\n2016-ixp,6\n"
    );
    let o = uptake(&["query", "--out", s(&out), "--sql", sql, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v[0]["n"], 6);
    let o = uptake(&["query", "--out", s(&out), "queries/top_outputs.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2016-ixp"));
    let o = uptake(&[
        "query",
        "--out",
        s(&out),
        "--sql",
        "SELECT nope FROM mentions",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--sql"));
}
