//! Results on object storage: two shards on two "machines" (folders that share nothing) copy their results to a
//! bucket of a local S3-protocol store (`s3.rs`), and a merge on a third reads them from there: the tables and
//! report equal one run's, every request is signed, the crawl state stays home, a shard not yet in the bucket is
//! named, and a shard copied again leaves no stale object. A shard's own WARC files go to the bucket beside its
//! folder and stay there; large files go up in parts.

use std::path::Path;

use super::s3::S3;
use super::shard::assert_same_results;
use super::site::{Reply, Site};
use super::{describe, s, uptake, web_config};

#[test]
fn shards_and_merge_without_a_shared_disk_through_s3() {
    let store = S3::start();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/uptake.toml");
    let url = "s3://results/run1";
    let (single, rs) = (root.join("single"), root.join("rs"));
    let o = uptake(&[
        "run",
        "--config",
        s(&config),
        "--out",
        s(&single),
        "--report-dir",
        s(&rs),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let shard = |k: u32| {
        let out = root.join(format!("worker-{k}/out"));
        let o = store.uptake(&[
            "run",
            "--config",
            s(&config),
            "--out",
            s(&out),
            "--shard",
            &format!("{k}/2"),
            "--results-url",
            url,
        ]);
        assert_eq!(o.status.code(), Some(0), "shard {k}: {}", describe(&o));
    };
    let (merged, rm) = (root.join("merger/out"), root.join("merger/reports"));
    let merge = || {
        store.uptake(&[
            "merge",
            "--config",
            s(&config),
            "--out",
            s(&merged),
            "--report-dir",
            s(&rm),
            "--shards",
            "2",
            "--results-url",
            url,
        ])
    };
    shard(0);
    // shard 1 is not in the bucket yet
    let o = merge();
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("1/2 (no shard.json in s3://results/run1/shards=2/shard=1)"),
        "{err}"
    );
    // a stale object of an earlier copy of shard 0 goes when it is copied again
    store.put(
        "results/run1/shards=2/shard=0/text/0000000000000000.txt",
        b"old",
    );
    shard(0);
    shard(1);
    let keys = store.keys();
    assert!(
        !keys.iter().any(|k| k.ends_with("0000000000000000.txt")),
        "{keys:?}"
    );
    let o = merge();
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_same_results(&single, &merged, &rs, &rm);
    let keys = store.keys();
    for want in [
        "results/run1/shards=2/shard=0/shard.json",
        "results/run1/shards=2/shard=1/documents.parquet",
        "results/run1/documents.parquet",
        "results/run1/metrics.parquet",
        "results/run1/reports/index.html",
        "results/run1/reports/summary.md",
    ] {
        assert!(keys.iter().any(|k| k == want), "{want} not in {keys:?}");
    }
    let texts = keys
        .iter()
        .filter(|k| k.starts_with("results/run1/text/") && k.ends_with(".txt"))
        .count();
    assert!(texts >= 32, "every document's text: {texts}");
    assert!(
        !keys
            .iter()
            .any(|k| k.contains("/crawl/") || k.contains("/.")),
        "no crawl state or staging folder: {keys:?}"
    );
    // the merged folder on the third machine is whole, and every request was signed
    assert!(merged.join("shards=2/shard=1/shard.json").is_file());
    let log = store.log();
    assert!(log.len() > 20);
    assert!(log.iter().all(|(_, _, signed)| *signed), "{log:?}");
    assert!(log
        .iter()
        .any(|(m, q, _)| m == "POST" && q.ends_with("?delete")));
}

/// A file past the multipart threshold goes up in parts of at least S3's 5 MiB and comes down whole, in ranges;
/// a part the store refuses fails the copy with the object's URL and aborts the upload, leaving no object and no parts.
#[test]
fn a_large_file_goes_up_in_parts_and_a_refused_part_leaves_nothing() {
    let store = S3::start();
    let tmp = tempfile::tempdir().unwrap();
    let local = tmp.path().join("local");
    std::fs::create_dir_all(&local).unwrap();
    // 12.5 MiB that no shift of a part would reproduce: parts of 5, 5 and 2.5 MiB
    let big: Vec<u8> = (0u32..25 << 19)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(local.join("big.parquet"), &big).unwrap();
    std::fs::write(local.join("small.json"), b"{}").unwrap();
    let options = store
        .env()
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v));
    let remote = uptake::remote::Remote::open_with("s3://results/run", options)
        .unwrap()
        .with_parts(6 << 20, 5 << 20);
    assert_eq!(remote.upload(&local, "a", &|_| false, None).unwrap(), 2);
    assert!(
        store.object("results/run/a/big.parquet").as_deref() == Some(&big[..]),
        "the object is the file"
    );
    let log = store.log();
    let count = |method: &str, what: &dyn Fn(&str) -> bool| {
        log.iter()
            .filter(|(m, p, _)| m == method && what(p))
            .count()
    };
    assert_eq!(
        count("POST", &|p| p
            .starts_with("/results/run/a/big.parquet?uploads")),
        1
    );
    assert_eq!(
        count("PUT", &|p| p.starts_with("/results/run/a/big.parquet?")
            && p.contains("partNumber=")),
        3
    );
    assert_eq!(
        count("POST", &|p| p
            .starts_with("/results/run/a/big.parquet?uploadId=")),
        1
    );
    assert_eq!(count("PUT", &|p| p == "/results/run/a/small.json?"), 1);
    assert!(log.iter().all(|(.., signed)| *signed));
    let back = tmp.path().join("back");
    assert_eq!(remote.download("a", &back).unwrap(), 2);
    assert!(std::fs::read(back.join("big.parquet")).unwrap() == big);
    // ... in ranges the size of a part; the small file whole
    let ranges: Vec<Option<String>> = store
        .gets()
        .into_iter()
        .filter(|(k, _)| k == "results/run/a/big.parquet")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(ranges.len(), 3, "{ranges:?}");
    assert!(ranges.iter().all(Option::is_some), "{ranges:?}");
    assert_eq!(std::fs::read(back.join("small.json")).unwrap(), b"{}");

    store.refuse_part("results/run/b/big.parquet", 2);
    let err = remote
        .upload(&local, "b", &|_| false, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("s3://results/run/b/big.parquet"), "{err}");
    assert_eq!(store.object("results/run/b/big.parquet"), None);
    assert_eq!(store.open_uploads(), 0, "the failed upload was aborted");
    assert!(store
        .log()
        .iter()
        .any(|(m, p, _)| m == "DELETE" && p.starts_with("/results/run/b/big.parquet?uploadId=")));
}

/// The WARC files a shard's crawl wrote go to the bucket beside the shard's folder (not into it: a merge copies
/// that down whole), byte for byte; a re-run copies only its new files and keeps the earlier ones, which its 304
/// revisits refer to; a file of the crawl folder the crawl did not write (a `warc` source's download) stays home.
#[test]
fn a_shards_warc_files_go_to_the_bucket_and_stay_there() {
    let store = S3::start();
    let site = Site::start(vec![
        (
            "/",
            Reply::html(
                "<html><head><title>Notes</title></head><body><p>Notes of a community network.</p>\
                 <a href=\"/b.html\">more</a></body></html>",
            ),
        ),
        (
            "/b.html",
            Reply::html(
                "<html><head><title>More</title></head><body><p>More notes.</p></body></html>",
            ),
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = web_config(tmp.path(), &site.url("/"));
    let warc_dir = tmp.path().join("out/shards=1/shard=0/crawl/warc");
    std::fs::create_dir_all(&warc_dir).unwrap();
    std::fs::write(warc_dir.join("0123456789abcdef.warc.gz"), b"a download").unwrap();
    let run = || {
        let o = store.uptake(&[
            "run",
            "--config",
            s(&cfg),
            "--shard",
            "0/1",
            "--results-url",
            "s3://results/run2",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    };
    let own = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&warc_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("uptake-"))
            .collect();
        v.sort();
        v
    };
    let in_bucket = || -> Vec<String> {
        store
            .keys()
            .into_iter()
            .filter_map(|k| {
                k.strip_prefix("results/run2/crawl/shards=1/shard=0/warc/")
                    .map(str::to_string)
            })
            .collect()
    };
    run();
    let first = own();
    assert!(!first.is_empty(), "the crawl wrote WARC files");
    assert_eq!(in_bucket(), first, "only the crawl's own files");
    for name in &first {
        assert!(
            store.object(&format!("results/run2/crawl/shards=1/shard=0/warc/{name}"))
                == Some(std::fs::read(warc_dir.join(name)).unwrap()),
            "{name} byte for byte"
        );
    }
    assert!(
        !store
            .keys()
            .iter()
            .any(|k| k.starts_with("results/run2/shards=1/shard=0/crawl/")),
        "nothing of the crawl folder in the shard's folder"
    );
    // a re-run (answered 304) writes new files: they go up, the first run's stay and are not sent again
    let puts_before = store.log().len();
    run();
    let second = own();
    assert!(second.len() > first.len(), "{second:?}");
    assert_eq!(in_bucket(), second);
    let again: Vec<String> = store.log()[puts_before..]
        .iter()
        .filter(|(m, p, _)| m == "PUT" && first.iter().any(|f| p.contains(f.as_str())))
        .map(|(_, p, _)| p.clone())
        .collect();
    assert!(again.is_empty(), "sent again: {again:?}");
}
