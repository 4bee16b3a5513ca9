//! `keep` on a `warc` source: with `"passed"` the records the pre-filter turns away are no documents of the run
//! (no row, no saved text, no links), with `"found"` neither are those in which nothing was found; what is found
//! is the same as with `keep = "all"`; and the links between records of WARC files, which the crawl no longer
//! lists before extraction, still make the ripple.

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
const READING: &str = "https://notes.example/reading";

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
fn keep_passed_and_found_drop_records_and_find_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("wet")).unwrap();
    let records = [
        wet(
            PLAN,
            "Outreach plan\n\nPublished 12 March 2020\n\nOur community network's outreach plan draws on the IGF Best Practice Forum on \
             Gender and Access 2016 report, Overcoming Barriers to Enable Women's Meaningful Internet Access.\n",
        ),
        wet(
            "https://garden.example/tomatoes",
            "Tomatoes\n\n1 May 2019\n\nWater the seedlings in the morning and stake them once the second truss sets.\n",
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
        // words of an output's name, close together, but no reference: the pre-filter passes it, the detector
        // finds nothing
        wet(
            "https://garden.example/forum",
            "Forum\n\nThe best practice in our garden forum: gender balance on the rota, and access to the shed \
             for everyone.\n",
        ),
        // an output's address written out in the text (a `www.` form, a full stop after it), and no other
        // reference (the pre-filter passes it on the address alone): a link, kept
        wet(
            READING,
            "Reading\n\nWhat our volunteers read this winter: \
             WWW.whm.intgovforum.org/en/content/2014-best-practices-forums.\n",
        ),
    ];
    std::fs::write(
        tmp.path().join("wet/part-00000.warc.wet.gz"),
        records.concat(),
    )
    .unwrap();

    let (all, _) = run(tmp.path(), "all");
    let (passed, stderr) = run(tmp.path(), "passed");
    let (found, found_stderr) = run(tmp.path(), "found");

    let urls = |out: &std::path::Path| -> BTreeSet<String> {
        table_rows(out, "documents", &["url"])
            .into_iter()
            .map(|r| r["url"].clone())
            .collect()
    };
    assert_eq!(urls(&all).len(), 6);
    let forum = "https://garden.example/forum".to_string();
    assert_eq!(
        urls(&passed),
        BTreeSet::from([PLAN.to_string(), forum, READING.to_string()])
    );
    assert_eq!(
        urls(&found),
        BTreeSet::from([PLAN.to_string(), READING.to_string()])
    );
    assert!(
        stderr.contains("source \"cc\": 3 records")
            && stderr.contains("turned away by the pre-filter"),
        "{stderr}"
    );
    assert!(
        found_stderr.contains("source \"cc\": 4 records")
            && found_stderr.contains("nothing found in them"),
        "{found_stderr}"
    );
    // only the kept documents' texts are saved
    let texts = |out: &std::path::Path| {
        std::fs::read_dir(out.join("text"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .count()
    };
    assert_eq!((texts(&all), texts(&passed), texts(&found)), (6, 3, 2));

    // what is found is the same (the uptake table's years span the documents kept: its rows with documents are
    // compared)
    for (table, cols) in [
        ("mentions", &["doc_id", "output_id", "start", "end"][..]),
        (
            "passages",
            &["doc_id", "output_id", "doc_start", "doc_end"][..],
        ),
        ("uptake", &["output_id", "year", "documents"][..]),
    ] {
        for other in [&passed, &found] {
            let rows = |out: &std::path::Path| {
                let mut r = table_rows(out, table, cols);
                r.retain(|row| row.get("documents").is_none_or(|d| d != "0"));
                r
            };
            assert_eq!(rows(&all), rows(other), "{table}");
        }
    }
    assert!(!table_rows(&all, "mentions", &["doc_id"]).is_empty());
    // the address is a link mention, and a row of the links table, whichever records are kept
    for out in [&all, &passed, &found] {
        let docs = table_rows(out, "documents", &["doc_id", "url"]);
        let reading = &docs.iter().find(|d| d["url"] == READING).unwrap()["doc_id"];
        let kinds: Vec<String> = table_rows(out, "mentions", &["doc_id", "output_id", "kind"])
            .into_iter()
            .filter(|m| &m["doc_id"] == reading)
            .map(|m| format!("{} {}", m["output_id"], m["kind"]))
            .collect();
        assert_eq!(kinds, ["2014-csirt link"], "{}", out.display());
        let links: Vec<String> = table_rows(out, "links", &["doc_id", "url"])
            .into_iter()
            .filter(|l| &l["doc_id"] == reading)
            .map(|l| l["url"].clone())
            .collect();
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(
            links,
            ["http://WWW.whm.intgovforum.org/en/content/2014-best-practices-forums"]
        );
    }

    // a date on the first page wins over the record's date, in every document kept, whichever records are kept
    // (the run reads it only for the records it keeps)
    let dates = |out: &std::path::Path| {
        table_rows(out, "documents", &["url", "published", "published_from"])
            .into_iter()
            .map(|r| {
                (
                    r["url"].clone(),
                    (r["published"].clone(), r["published_from"].clone()),
                )
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let first_page = |d: &str| (d.to_string(), "text:first-page".to_string());
    let all_dates = dates(&all);
    assert_eq!(all_dates[PLAN], first_page("2020-03-12"));
    assert_eq!(
        all_dates["https://garden.example/tomatoes"],
        first_page("2019-05-01")
    );
    assert_eq!(
        all_dates[LINKER],
        ("2021-04-02".to_string(), "warc-date".to_string())
    );
    for other in [&passed, &found] {
        for (url, date) in dates(other) {
            assert_eq!(all_dates[&url], date, "{url}");
        }
    }

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
