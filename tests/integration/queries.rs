//! Every SQL file of `queries/` runs on the demo's tables in every output format, each opens with a comment stating
//! its question, and parameters bind from `--param` or the file's declared default. `SELECT *` of every table
//! (list columns too) runs in every format, a list cell in CSV being the JSON array the `json` format shows.

use std::path::Path;

use polars::prelude::SerReader;
use uptake::load;

use super::{describe, run_demo, s, uptake};

fn query_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("queries"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
    files.sort();
    files
}

#[test]
fn every_query_file_runs_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &tmp.path().join("reports"));
    let files = query_files();
    assert!(files.len() >= 10, "at least 10 queries: {files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            text.starts_with("-- ") && text.lines().next().unwrap().contains('?'),
            "{} opens with a comment asking its question",
            f.display()
        );
        for format in ["table", "csv", "json"] {
            let o = uptake(&["query", s(f), "--out", s(&out), "--format", format]);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{} as {format}: {}",
                f.display(),
                describe(&o)
            );
            assert!(
                !o.stdout.is_empty(),
                "{} as {format} printed nothing",
                f.display()
            );
        }
        let pq = tmp.path().join("result.parquet");
        let o = uptake(&[
            "query",
            s(f),
            "--out",
            s(&out),
            "--format",
            "parquet",
            "--output",
            s(&pq),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{} as parquet: {}",
            f.display(),
            describe(&o)
        );
        let df = polars::prelude::ParquetReader::new(std::fs::File::open(&pq).unwrap())
            .finish()
            .unwrap();
        let csv = uptake(&["query", s(f), "--out", s(&out), "--format", "csv"]);
        let rows = String::from_utf8_lossy(&csv.stdout).lines().count() - 1;
        assert!(df.height() <= rows, "{}: parquet rows", f.display());
    }
    // The whole demo's queries also ran into the report.
    assert!(tmp.path().join("reports/queries/scorecard.csv").is_file());
    assert!(load::read_table(&out, "metrics").is_ok());
}

#[test]
fn select_star_from_every_table_runs_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &tmp.path().join("reports"));
    let mut lists = 0;
    for &t in load::TABLES {
        let table = load::read_table(&out, t).unwrap();
        let names: Vec<&str> = table
            .get_column_names()
            .iter()
            .map(|n| n.as_str())
            .collect();
        lists += table
            .columns()
            .iter()
            .filter(|c| c.dtype().is_nested())
            .count();
        let sql = format!("SELECT * FROM {t}");
        let query = |format: &str| {
            let o = uptake(&["query", "--sql", &sql, "--out", s(&out), "--format", format]);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{t} as {format}: {}",
                describe(&o)
            );
            String::from_utf8(o.stdout).unwrap()
        };
        assert!(query("table").contains(&format!("shape: ({}, {})", table.height(), names.len())));
        let json: serde_json::Value = serde_json::from_str(&query("json")).expect("valid JSON");
        let json = json.as_array().unwrap();
        assert_eq!(json.len(), table.height(), "{t} as json");
        let csv = query("csv");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, names, "{t} as csv");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), table.height(), "{t} as csv");
        // A list cell in CSV is the JSON array the json format shows; the json format shows it as an array.
        for c in table.columns().iter().filter(|c| c.dtype().is_nested()) {
            let i = names.iter().position(|n| *n == c.name().as_str()).unwrap();
            for (row, obj) in rows.iter().zip(json) {
                let cell: serde_json::Value = serde_json::from_str(&row[i]).unwrap();
                assert!(cell.is_array(), "{t}.{}: {cell}", c.name());
                assert_eq!(cell, obj[c.name().as_str()], "{t}.{}", c.name());
            }
        }
        let pq = tmp.path().join(format!("{t}.parquet"));
        let o = uptake(&[
            "query",
            "--sql",
            &sql,
            "--out",
            s(&out),
            "--format",
            "parquet",
            "--output",
            s(&pq),
        ]);
        assert_eq!(o.status.code(), Some(0), "{t} as parquet: {}", describe(&o));
        let back = polars::prelude::ParquetReader::new(std::fs::File::open(&pq).unwrap())
            .finish()
            .unwrap();
        assert!(back.equals_missing(&table), "{t} as parquet");
    }
    assert_eq!(lists, 7, "the seven list columns (three of them in works)");
    // The catalogue's aliases: the list column holds what the joined column joins with ` | `.
    let o = uptake(&[
        "query",
        "--sql",
        "SELECT aliases, alias_list FROM outputs WHERE id = '2014-csirt'",
        "--out",
        s(&out),
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(&o.stdout[..]);
    let row = reader.records().next().expect("one row").unwrap();
    let list: Vec<String> = serde_json::from_str(&row[1]).unwrap();
    assert_eq!(list.len(), 6, "{list:?}");
    assert_eq!(list.join(" | "), &row[0]);
}

#[test]
fn parameters_bind_from_the_command_line_or_the_default() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &tmp.path().join("reports"));
    let q = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries/passages_for_output.sql");
    let default = uptake(&["query", s(&q), "--out", s(&out), "--format", "csv"]);
    assert_eq!(default.status.code(), Some(0), "{}", describe(&default));
    assert!(String::from_utf8_lossy(&default.stdout).contains("Naming the harm"));
    let ixp = uptake(&[
        "query",
        s(&q),
        "--out",
        s(&out),
        "--format",
        "csv",
        "--param",
        "output_id=2015-ixp",
    ]);
    let text = String::from_utf8_lossy(&ixp.stdout);
    assert!(
        text.contains("Operating guideline") && !text.contains("Naming the harm"),
        "{text}"
    );
    let missing = uptake(&[
        "query",
        "--sql",
        "SELECT * FROM outputs WHERE id = :nope",
        "--out",
        s(&out),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--param nope=VALUE"));
    let binary = uptake(&[
        "query",
        "--sql",
        "SELECT 1 AS x",
        "--out",
        s(&out),
        "--format",
        "parquet",
    ]);
    assert_eq!(binary.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&binary.stderr).contains("--output FILE"));
}
