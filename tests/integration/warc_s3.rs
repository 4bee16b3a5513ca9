//! A `warc` source read straight from object storage, as a run beside Common Crawl's bucket reads
//! `s3://commoncrawl/`: the paths file and the WET files it lists are objects of a local store speaking the S3
//! protocol (`s3.rs`). Every request is signed; a download that breaks off, or that a killed run left part-way, is
//! resumed with a ranged GET; a missing object is skipped with its URL; and a second run fetches nothing it
//! already has.

use super::s3::S3;
use super::warc::{gz, record, GENDER_CITE};
use super::{catalogue, describe, s, table_rows, write_config};

/// A WET file of `n` records compressed one by one, the last citing a BPF output when `citing`.
fn wet(part: usize, n: usize, citing: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let text = if citing && i == n - 1 {
            GENDER_CITE.to_string()
        } else {
            format!(
                "Part {part}, page {i}: tide tables, ferry times and the harbour's opening hours."
            )
        };
        out.extend(gz(&record(
            "conversion",
            &format!("https://port{part}-{i}.example/"),
            "2021-02-03T04:05:06Z",
            "text/plain",
            text.as_bytes(),
        )));
    }
    out
}

#[test]
fn wet_files_are_read_from_an_s3_bucket_with_a_paths_file_there_too() {
    let store = S3::start();
    let crawl = "crawl-data/CC-MAIN-2021-10";
    let part0 = format!("{crawl}/segments/1/wet/part-00000.warc.wet.gz");
    let part1 = format!("{crawl}/segments/1/wet/part-00001.warc.wet.gz");
    let (wet0, wet1) = (wet(0, 30, false), wet(1, 25, true));
    store.put(&format!("commoncrawl/{part0}"), &wet0);
    store.put(&format!("commoncrawl/{part1}"), &wet1);
    let listing = format!("{part0}\n{part1}\n{crawl}/segments/1/wet/part-00009.warc.wet.gz\n");
    store.put(
        &format!("commoncrawl/{crawl}/wet.paths.gz"),
        &gz(listing.as_bytes()),
    );
    // the first GET of part 1 breaks off a third of the way in
    let cut_at = wet1.len() / 3;
    store.cut_next_get(&format!("commoncrawl/{part1}"), cut_at);

    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\n\n[[source]]\nname = \"cc\"\nkind = \"warc\"\n\
             paths_file = \"s3://commoncrawl/{crawl}/wet.paths.gz\"\nbase_url = \"s3://commoncrawl/\"\n\
             delay_ms = 0\nretry_base_ms = 10\nmax_retries = 2\n",
            catalogue()
        ),
    );
    // a run killed part-way through part 0 left its first bytes
    let out = tmp.path().join("out");
    let local0 =
        uptake::crawl::warc::local_path(&out.join("crawl"), &format!("s3://commoncrawl/{part0}"));
    std::fs::create_dir_all(local0.parent().unwrap()).unwrap();
    let mut partial = local0.clone().into_os_string();
    partial.push(".part");
    std::fs::write(&partial, &wet0[..100]).unwrap();

    let o = store.uptake(&["crawl", "--config", s(&cfg)]);
    // the missing object is skipped: exit 2
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let docs = table_rows(&out, "documents", &["url", "warc_file", "published_from"]);
    assert_eq!(docs.len(), 55, "{docs:#?}");
    let cited = docs
        .iter()
        .find(|d| d["url"] == "https://port1-24.example/")
        .expect("the citing record is a document");
    assert_eq!(cited["warc_file"], format!("s3://commoncrawl/{part1}"));
    assert_eq!(cited["published_from"], "warc-date");
    assert!(docs
        .iter()
        .any(|d| d["warc_file"] == format!("s3://commoncrawl/{part0}")));
    let skipped = table_rows(&out, "skipped", &["location", "reason"]);
    assert_eq!(skipped.len(), 1, "{skipped:#?}");
    assert_eq!(
        skipped[0]["location"],
        format!("s3://commoncrawl/{crawl}/segments/1/wet/part-00009.warc.wet.gz")
    );
    assert_eq!(skipped[0]["reason"], "no such object");

    // the killed run's download went on from its last byte, and the broken one from where it stopped; both
    // copies are whole
    let gets = store.gets();
    let part0_gets: Vec<Option<String>> = gets
        .iter()
        .filter(|(k, _)| *k == format!("commoncrawl/{part0}"))
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(part0_gets, [Some("bytes=100-".to_string())], "{gets:?}");
    assert_eq!(
        std::fs::read(&local0).unwrap(),
        wet0,
        "the resumed copy is whole"
    );
    let part1_gets: Vec<Option<String>> = gets
        .iter()
        .filter(|(k, _)| *k == format!("commoncrawl/{part1}"))
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(part1_gets.len(), 2, "{gets:?}");
    assert_eq!(part1_gets[0], None, "{gets:?}");
    let resumed_at: usize = part1_gets[1]
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.split('-').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("the second GET asks for a range: {gets:?}"));
    assert!(
        resumed_at > 0 && resumed_at <= cut_at,
        "resumed at byte {resumed_at}, cut at {cut_at}"
    );
    let local =
        uptake::crawl::warc::local_path(&out.join("crawl"), &format!("s3://commoncrawl/{part1}"));
    assert_eq!(
        std::fs::read(&local).unwrap(),
        wet1,
        "the resumed copy is whole"
    );
    assert!(
        store.log().iter().all(|(_, _, signed)| *signed),
        "every request is signed: {:?}",
        store.log()
    );

    // detection over the same files: the citation is found
    let o = store.uptake(&["detect", "--config", s(&cfg)]);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    let mentions = table_rows(&out, "mentions", &["doc_id", "output_id"]);
    assert!(
        mentions.iter().any(|m| m["output_id"].contains("gender")),
        "{mentions:#?}"
    );

    // a second crawl asks only for what it lacks: the missing object
    let before = store.gets().len();
    let o = store.uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let again: Vec<String> = store.gets()[before..]
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(
        again,
        [format!(
            "commoncrawl/{crawl}/segments/1/wet/part-00009.warc.wet.gz"
        )]
    );
    assert_eq!(table_rows(&out, "documents", &["url"]).len(), 55);
}
