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
    // every table, from the one list the writers use
    for &t in load::TABLES {
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

#[test]
fn a_rerun_takes_unchanged_documents_as_they_were_and_extracts_changed_ones() {
    use super::fixture;
    let tmp = tempfile::tempdir().unwrap();
    // A copy of the small fixture, so one file can change between runs.
    let dir = tmp.path().join("small");
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    for f in ["catalogue.toml", "uptake.toml"] {
        std::fs::copy(fixture(&format!("small/{f}")), dir.join(f)).unwrap();
    }
    std::fs::create_dir_all(dir.join("outputs")).unwrap();
    for e in std::fs::read_dir(fixture("small/outputs")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("outputs").join(e.file_name())).unwrap();
    }
    for e in std::fs::read_dir(fixture("small/corpus")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("corpus").join(e.file_name())).unwrap();
    }
    let cfg = dir.join("uptake.toml");
    let run = || {
        let o = uptake(&["run", "--config", s(&cfg)]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let first = run();
    assert!(
        !first.contains("unchanged since the previous run"),
        "{first}"
    );
    let before = load::read_table(&dir.join("out"), "documents").unwrap();
    let second = run();
    assert!(
        second.contains("3 documents unchanged since the previous run"),
        "{second}"
    );
    let after = load::read_table(&dir.join("out"), "documents").unwrap();
    assert!(before.equals_missing(&after), "the same documents table");
    // One file changes: only it is extracted again, and its new text is what the tables say.
    let notes = dir.join("corpus/notes.txt");
    let text = std::fs::read_to_string(&notes).unwrap();
    std::fs::write(&notes, format!("{text}\nA line added for the re-run.\n")).unwrap();
    let third = run();
    assert!(
        third.contains("2 documents unchanged since the previous run"),
        "{third}"
    );
    let texts: Vec<String> = std::fs::read_dir(dir.join("out/text"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .collect();
    assert!(texts
        .iter()
        .any(|t| t.contains("A line added for the re-run.")));
}
