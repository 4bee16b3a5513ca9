//! Records written by [`WarcWriter`] read back with uptake's own WARC reader: fields, digests, offsets, rotation.

use std::time::Duration;

use super::digest::{base32, sha1};
use super::*;
use crate::stages::crawl::warc::reader::{self, Event, Header, RecordPos};

fn exchange(url: &str, status: u16, headers: &[(&str, &str)]) -> Exchange {
    Exchange {
        url: url.to_string(),
        request: vec![
            ("GET /a HTTP/1.1".into(), String::new()),
            ("Host".into(), "example.org".into()),
        ],
        version: "HTTP/1.1".into(),
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        date: chrono::Utc::now(),
        ip: Some("127.0.0.1".into()),
        other_body: Vec::new(),
        truncated: false,
    }
}

fn body(url: &str, bytes: &[u8]) -> Fetched {
    Fetched {
        answer: Answer::Body {
            status: 200,
            content_type: Some("text/html".into()),
            etag: None,
            last_modified: None,
            bytes: bytes.to_vec(),
        },
        attempts: 1,
        elapsed: Duration::from_millis(5),
        exchange: Some(exchange(
            url,
            200,
            &[
                ("content-type", "text/html"),
                ("transfer-encoding", "chunked"),
            ],
        )),
    }
}

/// Every record of a file: position, header, block.
fn records(path: &Path) -> Vec<(RecordPos, Header, Vec<u8>)> {
    let mut out = Vec::new();
    reader::read_records(
        path,
        |_, _, r| {
            let mut b = Vec::new();
            r.read_to_end(&mut b)?;
            Ok(b)
        },
        |e| match e {
            Event::Record { pos, header, value } => {
                out.push((pos, header, value));
            }
            Event::Corrupt { pos, reason } => panic!("corrupt at {pos:?}: {reason}"),
        },
    )
    .unwrap();
    out
}

#[test]
fn an_answer_gives_request_response_and_metadata_with_right_digests() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::new(dir.path(), &WarcOptions::default());
    let page = b"<html><body>Hello, archive.</body></html>".repeat(40);
    let p = prepare(&body("http://example.org/a", &page), "web", None).unwrap();
    let at = w.append(&p).unwrap();
    assert!(at.file.starts_with("warc/uptake-") && at.file.ends_with("-00000.warc.gz"));
    let recs = records(&dir.path().join(&at.file));
    let types: Vec<String> = recs.iter().map(|r| r.1.record_type()).collect();
    assert_eq!(types, ["warcinfo", "request", "response", "metadata"]);
    let (pos, resp, block) = &recs[2];
    assert_eq!(pos.offset, at.offset);
    assert_eq!(resp.version, "1.1");
    assert_eq!(resp.target_uri(), Some("http://example.org/a"));
    let want = format!("sha1:{}", base32(&sha1(&page)));
    assert_eq!(resp.get("WARC-Payload-Digest"), Some(want.as_str()));
    // what a later revisit refers to: this record's date and payload digest
    let earlier = p.response().unwrap();
    assert_eq!(Some(earlier.date.as_str()), resp.get("WARC-Date"));
    assert_eq!(earlier.digest.as_deref(), Some(want.as_str()));
    let block_digest = format!("sha1:{}", base32(&sha1(block)));
    assert_eq!(resp.get("WARC-Block-Digest"), Some(block_digest.as_str()));
    let text = String::from_utf8_lossy(block);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(
        text.contains("X-Crawler-transfer-encoding: chunked\r\n"),
        "{text}"
    );
    assert!(text.contains(&format!("Content-Length: {}\r\n\r\n", page.len())));
    assert!(block.ends_with(&page));
    let id = resp.get("WARC-Record-ID").unwrap();
    assert_eq!(recs[1].1.get("WARC-Concurrent-To"), Some(id));
    assert_eq!(recs[3].1.get("WARC-Concurrent-To"), Some(id));
    // the record at the offset, read alone
    let (h, _) = reader::read_record_at(
        &dir.path().join(&at.file),
        RecordPos {
            offset: at.offset,
            skip: 0,
        },
        1 << 20,
    )
    .unwrap();
    assert_eq!(h.record_type(), "response");
}

#[test]
fn a_304_is_a_revisit_and_a_refused_body_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::new(dir.path(), &WarcOptions::default());
    let nm = Fetched {
        answer: Answer::NotModified {
            etag: None,
            last_modified: None,
        },
        attempts: 1,
        elapsed: Duration::ZERO,
        exchange: Some(exchange("http://example.org/a", 304, &[("etag", "\"x\"")])),
    };
    let p = prepare(&nm, "web", None).unwrap();
    assert_eq!(p.response(), None);
    let at = w.append(&p).unwrap();
    let recs = records(&dir.path().join(&at.file));
    let r = &recs[2].1;
    assert_eq!(r.record_type(), "revisit");
    assert_eq!(
        r.get("WARC-Profile"),
        Some("http://netpreserve.org/warc/1.1/revisit/server-not-modified")
    );
    assert_eq!(
        r.get("WARC-Refers-To-Target-URI"),
        Some("http://example.org/a")
    );
    // no earlier record known: nothing to refer to but the URI
    assert_eq!(r.get("WARC-Payload-Digest"), None);
    assert_eq!(r.get("WARC-Refers-To-Date"), None);
    // with the earlier response known, the revisit names its date and carries its payload digest
    let earlier = Earlier {
        date: "2026-11-01T10:00:00Z".into(),
        digest: Some("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ".into()),
    };
    let p = prepare(&nm, "web", Some(&earlier)).unwrap();
    assert_eq!(p.response(), Some(&earlier));
    let at = w.append(&p).unwrap();
    let recs = records(&dir.path().join(&at.file));
    let (_, r, _) = recs
        .iter()
        .find(|(pos, _, _)| pos.offset == at.offset)
        .unwrap();
    assert_eq!(r.record_type(), "revisit");
    assert_eq!(r.get("WARC-Refers-To-Date"), Some("2026-11-01T10:00:00Z"));
    assert_eq!(
        r.get("WARC-Payload-Digest"),
        Some("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
    );
    let refused = Fetched {
        answer: Answer::Refused {
            status: 200,
            reason: "too large".into(),
        },
        ..nm
    };
    assert!(prepare(&refused, "web", None).is_none());
}

#[test]
fn files_rotate_at_the_limit_and_each_starts_with_warcinfo() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::new(dir.path(), &WarcOptions { max_bytes: 3000 });
    let mut written = Vec::new();
    for i in 0..6 {
        let page: Vec<u8> = (0..2000u32).map(|x| (x * 7 + i) as u8).collect();
        let url = format!("http://example.org/{i}");
        let at = w
            .append(&prepare(&body(&url, &page), "web", None).unwrap())
            .unwrap();
        written.push((url, at));
    }
    let files: std::collections::BTreeSet<&str> =
        written.iter().map(|(_, w)| w.file.as_str()).collect();
    assert!(files.len() >= 3, "{files:?}");
    for f in &files {
        let recs = records(&dir.path().join(f));
        assert_eq!(recs[0].1.record_type(), "warcinfo");
        assert_eq!(recs[0].1.get("WARC-Filename"), f.strip_prefix("warc/"));
    }
    for (url, at) in &written {
        let (h, _) = reader::read_record_at(
            &dir.path().join(&at.file),
            RecordPos {
                offset: at.offset,
                skip: 0,
            },
            1 << 20,
        )
        .unwrap();
        assert_eq!(h.target_uri(), Some(url.as_str()));
    }
}
