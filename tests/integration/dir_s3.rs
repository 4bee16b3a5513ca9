//! A `dir` source whose folder is on object storage (`s3://bucket/prefix`), served by a local store speaking the
//! S3 protocol (`s3.rs`): its objects are listed, copied into the crawl folder under hashed names and read like a
//! local folder's files, with the folder's `manifest.csv`; each document is named by its object's URL.

use super::s3::S3;
use super::warc::GENDER_CITE;
use super::{catalogue, describe, s, table_rows, write_config};

#[test]
fn a_folder_on_s3_is_read_like_a_local_one() {
    let store = S3::start();
    store.put("texts/bpf/report-a.txt", GENDER_CITE.as_bytes());
    store.put(
        "texts/bpf/sub/notes.md",
        b"# Notes\n\nMinutes of a community meeting about the new bus timetable and the library's hours.\n",
    );
    store.put("texts/bpf/logo.png", b"\x89PNG not read");
    store.put(
        "texts/bpf/manifest.csv",
        b"path,url,title,published\nreport-a.txt,https://cn.example/report-a,Outreach plan,2019-03-10\n",
    );
    // another folder of the same bucket is not read
    store.put("texts/other/x.txt", GENDER_CITE.as_bytes());
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"bucket\"\n\
             kind = \"dir\"\npath = \"s3://texts/bpf\"\n",
            catalogue()
        ),
    );
    let o = store.uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = tmp.path().join("out");
    let mut docs = table_rows(
        &out,
        "documents",
        &["url", "location", "title", "published"],
    );
    docs.sort_by(|a, b| a["url"].cmp(&b["url"]));
    assert_eq!(docs.len(), 2, "{docs:#?}");
    assert_eq!(docs[0]["url"], "https://cn.example/report-a");
    assert_eq!(docs[0]["location"], "s3://texts/bpf/report-a.txt");
    assert_eq!(docs[0]["title"], "Outreach plan");
    assert_eq!(docs[0]["published"], "2019-03-10");
    assert_eq!(docs[1]["url"], "s3://texts/bpf/sub/notes.md");
    assert_eq!(docs[1]["location"], "s3://texts/bpf/sub/notes.md");
    let mentions = table_rows(&out, "mentions", &["output_id"]);
    assert!(
        mentions.iter().any(|m| m["output_id"].contains("gender")),
        "{mentions:#?}"
    );
    // the copies are named by hashes, never by the objects' keys
    let copies: Vec<String> = std::fs::read_dir(out.join("crawl/objects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        copies.len(),
        3,
        "two documents and the manifest: {copies:?}"
    );
    assert!(
        copies
            .iter()
            .all(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit())),
        "{copies:?}"
    );
    let gets: Vec<String> = store.gets().into_iter().map(|(k, _)| k).collect();
    assert!(
        !gets
            .iter()
            .any(|k| k.ends_with(".png") || k.starts_with("texts/other")),
        "{gets:?}"
    );
    assert!(store.log().iter().all(|(_, _, signed)| *signed));
}
