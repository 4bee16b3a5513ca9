//! `keep = "passed"` on a `warc` source: the records the pre-filter turns away are no documents of the run (no
//! row, no saved text, no links), the rest are found exactly as with `keep = "all"`; and the links between
//! records of WARC files, which the crawl no longer lists before extraction, still make the ripple.

use std::collections::BTreeSet;
use std::io::Write;

use super::{catalogue, describe, s, table_rows, uptake, write_config};

/// A WET `conversion` record compressed as its own gzip member, as Common Crawl writes them.
fn wet(uri: &str, text: &str) -> Vec<u8> {
    let r = format!(
        "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2021-04-02T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n\r\n",
        &uptake::crawl::content_hash(uri.as_bytes())[..32],
        text.len()
    );
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(r.as_bytes()).unwrap();
    e.finish().unwrap()
}

const PLAN: &str = "https://cn.example/outreach-plan";
const LINKER: &str = "https://garden.example/links";

/// Runs `uptake run` over the file with `keep`; gives the output folder and the run's standard error.
fn run(tmp: &std::path::Path, keep: &str) -> (std::path::PathBuf, String) {
    let cfg = write_config(
        tmp,
        &format!(
            "catalogue = {:?}\nout_dir = \"out-{keep}\"\nreport_dir = \"reports-{keep}\"\n\n[[source]]\n\
             name = \"cc\"\nkind = \"warc\"\npaths = [\"wet/*.warc.wet.gz\"]\nkeep = \"{keep}\"\n",
            catalogue()
        ),
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert!(o.status.success(), "{}", describe(&o));
    (
        tmp.join(format!("out-{keep}")),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn keep_passed_drops_what_the_prefilter_turns_away_and_finds_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("wet")).unwrap();
    let records = [
        wet(
            PLAN,
            "Outreach plan\n\nOur community network's outreach plan draws on the IGF Best Practice Forum on \
             Gender and Access 2016 report, Overcoming Barriers to Enable Women's Meaningful Internet Access.\n",
        ),
        wet(
            "https://garden.example/tomatoes",
            "Tomatoes\n\nWater the seedlings in the morning and stake them once the second truss sets.\n",
        ),
        // cites nothing, but links to the citing page: the ripple's second generation
        wet(
            LINKER,
            &format!("Links\n\nOur neighbours wrote down how they reach new members: {PLAN} is worth a read.\n"),
        ),
        wet(
            "https://garden.example/compost",
            "Compost\n\nTurn the heap every fortnight and keep it as damp as a wrung-out sponge.\n",
        ),
    ];
    std::fs::write(
        tmp.path().join("wet/part-00000.warc.wet.gz"),
        records.concat(),
    )
    .unwrap();

    let (all, _) = run(tmp.path(), "all");
    let (passed, stderr) = run(tmp.path(), "passed");

    let urls = |out: &std::path::Path| -> BTreeSet<String> {
        table_rows(out, "documents", &["url"])
            .into_iter()
            .map(|r| r["url"].clone())
            .collect()
    };
    assert_eq!(urls(&all).len(), 4);
    assert_eq!(urls(&passed), BTreeSet::from([PLAN.to_string()]));
    assert!(
        stderr.contains("source \"cc\": 3 records")
            && stderr.contains("turned away by the pre-filter"),
        "{stderr}"
    );
    // only the kept document's text is saved
    let texts: Vec<String> = std::fs::read_dir(passed.join("text"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    assert_eq!(texts.len(), 1, "{texts:?}");

    // what is found is the same
    for (table, cols) in [
        ("mentions", &["doc_id", "output_id", "start", "end"][..]),
        (
            "passages",
            &["doc_id", "output_id", "doc_start", "doc_end"][..],
        ),
        ("uptake", &["output_id", "year", "documents"][..]),
    ] {
        assert_eq!(
            table_rows(&all, table, cols),
            table_rows(&passed, table, cols),
            "{table}"
        );
    }
    assert!(!table_rows(&all, "mentions", &["doc_id"]).is_empty());

    // the page that only links to the citing page is the ripple's second generation when every record is kept
    // (its link to another record of the file is kept although the crawl listed no record beforehand); with
    // `keep = "passed"` it is no document of the run
    let second = |out: &std::path::Path| {
        table_rows(
            out,
            "ripple",
            &["output_id", "generation", "year", "documents"],
        )
        .into_iter()
        .filter(|r| {
            r["output_id"] == "2016-gender" && r["generation"] == "2" && r["year"] == "2021"
        })
        .map(|r| r["documents"].clone())
        .collect::<Vec<_>>()
    };
    assert_eq!(second(&all), ["1"], "generation 2 with every record kept");
    assert!(
        second(&passed).iter().all(|d| d == "0"),
        "{:?}",
        second(&passed)
    );
}
