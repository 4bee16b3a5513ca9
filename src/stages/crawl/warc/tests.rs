//! The WARC reader and source on files written here: plain and compressed record by record, WARC/1.0 and 1.1,
//! records of every type, damaged records in the middle, a record over the size cap, and documents read back
//! from their offsets.

use std::io::Write;
use std::path::Path;

use super::reader::{read_record_at, read_records, Event, RecordPos};
use super::*;
use crate::config::WarcSource;

/// One WARC record.
fn record(version: &str, ty: &str, uri: Option<&str>, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut h = format!("WARC/{version}\r\nWARC-Type: {ty}\r\n");
    if let Some(u) = uri {
        h.push_str(&format!("WARC-Target-URI: {u}\r\n"));
    }
    h.push_str(&format!(
        "WARC-Date: 2019-03-10T08:15:00Z\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len(),
        block.len()
    ));
    let mut r = h.into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

const PAGE: &str = "<html><head><title>Access notes</title></head><body><main><p>Our network draws on the \
                    IGF Best Practice Forum on Gender and Access 2016 report.</p></main></body></html>";

/// The records of a small crawl: warcinfo, a request, an HTML page, its metadata, a 404, a PDF, a resource, a
/// DNS lookup and a WARC/1.1 page with angle brackets around its URI.
fn crawl_records() -> Vec<Vec<u8>> {
    let pdf = b"%PDF-1.4\n% a small PDF body for the test\n%%EOF\n";
    vec![
        record(
            "1.0",
            "warcinfo",
            None,
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "1.0",
            "request",
            Some("https://a.example/page"),
            "application/http; msgtype=request",
            b"GET /page HTTP/1.1\r\nHost: a.example\r\n\r\n",
        ),
        record(
            "1.0",
            "response",
            Some("https://a.example/page"),
            "application/http; msgtype=response",
            &http_response("200 OK", "text/html; charset=utf-8", PAGE.as_bytes()),
        ),
        record(
            "1.0",
            "metadata",
            Some("https://a.example/page"),
            "application/warc-fields",
            b"fetchTimeMs: 12\r\n",
        ),
        record(
            "1.0",
            "response",
            Some("https://a.example/missing"),
            "application/http; msgtype=response",
            &http_response("404 Not Found", "text/html", b"<p>gone</p>"),
        ),
        record(
            "1.0",
            "response",
            Some("https://a.example/report.pdf"),
            "application/http; msgtype=response",
            &http_response("200 OK", "application/pdf", pdf),
        ),
        record(
            "1.0",
            "resource",
            Some("file:///notes.txt"),
            "text/plain",
            b"Notes citing the Best Practice Forum on Gender and Access.",
        ),
        record(
            "1.0",
            "response",
            Some("dns:a.example"),
            "text/dns",
            b"a.example. 300 IN A 127.0.0.1\n",
        ),
        record(
            "1.1",
            "response",
            Some("<https://b.example/news>"),
            "application/http;msgtype=response",
            &http_response("200 OK", "text/html", b"<p>WARC 1.1 page</p>"),
        ),
    ]
}

/// What [`events`] gives per record: `Ok((offset, skip, type, uri))`, or `Err((offset, reason))` when damaged.
type Seen = Result<(u64, u64, String, String), (u64, String)>;

/// Every event of a file.
fn events(path: &Path) -> Vec<Seen> {
    let mut v = Vec::new();
    read_records(
        path,
        |_, _, block| {
            // read a little of each block, as the crawl does
            let mut b = [0u8; 7];
            let _ = block.read(&mut b)?;
            Ok(())
        },
        |e| match e {
            Event::Record { pos, header, .. } => v.push(Ok((
                pos.offset,
                pos.skip,
                header.record_type(),
                header.target_uri().unwrap_or("").to_string(),
            ))),
            Event::Corrupt { pos, reason } => v.push(Err((pos.offset, reason))),
        },
    )
    .unwrap();
    v
}

fn write(dir: &Path, name: &str, parts: &[Vec<u8>]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, parts.concat()).unwrap();
    p
}

/// Bytes of a record's header (up to and with the blank line).
fn header_len(record: &[u8]) -> u64 {
    record.windows(4).position(|w| w == b"\r\n\r\n").unwrap() as u64 + 4
}

/// Offsets of each part in their concatenation.
fn offsets(parts: &[Vec<u8>]) -> Vec<u64> {
    let mut at = 0;
    parts
        .iter()
        .map(|p| {
            let o = at;
            at += p.len() as u64;
            o
        })
        .collect()
}

#[test]
fn plain_and_gzipped_files_give_every_record_at_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl_records();
    let members: Vec<Vec<u8>> = records.iter().map(|r| gz(r)).collect();
    for (name, parts) in [("plain.warc", &records), ("crawl.warc.gz", &members)] {
        let path = write(dir.path(), name, parts);
        let got = events(&path);
        let want = offsets(parts);
        assert_eq!(got.len(), records.len(), "{name}: {got:?}");
        for (i, e) in got.iter().enumerate() {
            let (offset, skip, _, _) = e.as_ref().unwrap();
            assert_eq!((*offset, *skip), (want[i], 0), "{name} record {i}");
        }
        let types: Vec<&str> = got.iter().map(|e| e.as_ref().unwrap().2.as_str()).collect();
        assert_eq!(
            types,
            [
                "warcinfo", "request", "response", "metadata", "response", "response", "resource",
                "response", "response"
            ]
        );
        assert_eq!(got[8].as_ref().unwrap().3, "https://b.example/news");
        // a record read again from its offset alone
        let (h, block) = read_record_at(
            &path,
            RecordPos {
                offset: want[5],
                skip: 0,
            },
            1 << 20,
        )
        .unwrap();
        assert_eq!(h.target_uri(), Some("https://a.example/report.pdf"));
        assert!(block.starts_with(b"HTTP/1.1 200 OK"));
        assert_eq!(h.version, "1.0");
    }
}

#[test]
fn one_gzip_member_for_many_records_is_read_with_positions_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl_records();
    // two members of several records each, as `gzip` of a concatenation gives
    let first = gz(&records[..4].concat());
    let second = gz(&records[4..].concat());
    let path = write(dir.path(), "whole.warc.gz", &[first.clone(), second]);
    let got = events(&path);
    assert_eq!(got.len(), records.len(), "{got:?}");
    let inner = offsets(&records[..4]);
    for (i, e) in got.iter().take(4).enumerate() {
        let (offset, skip, _, _) = e.as_ref().unwrap();
        assert_eq!((*offset, *skip), (0, inner[i]));
    }
    let (offset, skip, _, uri) = got[5].as_ref().unwrap().clone();
    assert_eq!(
        (offset, uri.as_str()),
        (first.len() as u64, "https://a.example/report.pdf")
    );
    let (h, _) = read_record_at(&path, RecordPos { offset, skip }, 1 << 20).unwrap();
    assert_eq!(h.target_uri(), Some("https://a.example/report.pdf"));
}

#[test]
fn damaged_records_are_named_with_their_offset_and_the_next_one_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = |uri: &str| {
        record(
            "1.0",
            "conversion",
            Some(uri),
            "text/plain",
            b"Text of a page that cites the Best Practice Forum on Gender and Access.",
        )
    };
    // compressed record by record: damaged deflate data, a wrong checksum, a block cut short, a bad header
    let mut bad_deflate = gz(&good("https://x.example/2"));
    let n = bad_deflate.len();
    for b in &mut bad_deflate[12..n - 12] {
        *b ^= 0x5a;
    }
    let mut bad_crc = gz(&good("https://x.example/3"));
    let n = bad_crc.len();
    bad_crc[n - 8] ^= 0xff;
    let mut short = good("https://x.example/4");
    let cut = short.len() - 30;
    short.truncate(cut);
    let bad_header = b"WARC/1.0\r\nthis is not a field\r\n\r\n".to_vec();
    let members = vec![
        gz(&good("https://x.example/1")),
        bad_deflate,
        gz(&good("https://x.example/2b")),
        bad_crc,
        gz(&short),
        gz(&bad_header),
        gz(&good("https://x.example/5")),
    ];
    let at = offsets(&members);
    let path = write(dir.path(), "damaged.warc.wet.gz", &members);
    let got = events(&path);
    let summary: Vec<String> = got
        .iter()
        .map(|e| match e {
            Ok((o, _, _, u)) => format!("ok {o} {u}"),
            Err((o, why)) => format!("bad {o} {why}"),
        })
        .collect();
    assert_eq!(summary.len(), 7, "{summary:#?}");
    assert_eq!(summary[0], format!("ok {} https://x.example/1", at[0]));
    assert!(
        summary[1].starts_with(&format!("bad {} damaged gzip member", at[1])),
        "{summary:#?}"
    );
    assert_eq!(summary[2], format!("ok {} https://x.example/2b", at[2]));
    assert!(
        summary[3].starts_with(&format!("bad {} damaged gzip member", at[3])),
        "{summary:#?}"
    );
    assert!(
        summary[4].starts_with(&format!("bad {} the block is cut short", at[4])),
        "{summary:#?}"
    );
    assert!(
        summary[5].starts_with(&format!("bad {} bad WARC header", at[5])),
        "{summary:#?}"
    );
    assert_eq!(summary[6], format!("ok {} https://x.example/5", at[6]));

    // plain: a Content-Length running past the end of the file, a header that is not one, and a Content-Length
    // shorter than its block
    let text = String::from_utf8(good("https://y.example/3")).unwrap();
    let declared = text
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .trim()
        .to_string();
    let with_length = |text: &str, length: &str| {
        text.replacen(
            &format!("Content-Length: {declared}"),
            &format!("Content-Length: {length}"),
            1,
        )
        .into_bytes()
    };
    let shorter = (declared.parse::<usize>().unwrap() - 20).to_string();
    let parts = vec![
        with_length(&text, "99999999"),
        good("https://y.example/1"),
        b"WARC/1.0\r\nWARC-Type conversion\r\n\r\nsome text\r\n\r\n".to_vec(),
        good("https://y.example/2"),
        with_length(&text, &shorter),
        good("https://y.example/4"),
    ];
    let at = offsets(&parts);
    let total: u64 = parts.iter().map(|p| p.len() as u64).sum();
    let path = write(dir.path(), "damaged.warc", &parts);
    let got = events(&path);
    let summary: Vec<String> = got
        .iter()
        .map(|e| match e {
            Ok((o, _, _, u)) => format!("ok {o} {u}"),
            Err((o, why)) => format!("bad {o} {why}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            // the records it ran over are read all the same
            format!(
                "bad {} the block is cut short: {} of 99999999 bytes",
                at[0],
                total - header_len(&parts[0])
            ),
            format!("ok {} https://y.example/1", at[1]),
            format!(
                "bad {} bad WARC header: header line \"WARC-Type conversion\" has no ':'",
                at[2]
            ),
            format!("ok {} https://y.example/2", at[3]),
            format!(
                "bad {} the block is not {shorter} bytes long, as its Content-Length says",
                at[4]
            ),
            format!("ok {} https://y.example/4", at[5]),
        ]
    );
}

#[test]
fn a_file_cut_short_ends_with_a_damaged_record() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl_records();
    let mut members: Vec<Vec<u8>> = records.iter().take(3).map(|r| gz(r)).collect();
    let last = members.last_mut().unwrap();
    last.truncate(last.len() / 2);
    let at = offsets(&members);
    let path = write(dir.path(), "cut.warc.gz", &members);
    let got = events(&path);
    assert_eq!(got.len(), 3, "{got:?}");
    let (o, why) = got[2].as_ref().unwrap_err();
    assert_eq!(*o, at[2]);
    assert!(why.contains("damaged gzip member"), "{why}");

    let plain: Vec<Vec<u8>> = records.iter().take(3).cloned().collect();
    let mut bytes = plain.concat();
    bytes.truncate(bytes.len() - 40);
    let path = dir.path().join("cut.warc");
    std::fs::write(&path, bytes).unwrap();
    let got = events(&path);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[2].as_ref().unwrap_err().1.contains("cut short"));
}

fn source(paths: Vec<std::path::PathBuf>, extra: &str) -> WarcSource {
    let text = format!(
        "name = \"archive\"\npaths = {:?}\n{extra}\n",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    );
    let w: WarcSource = toml::from_str(&text).unwrap();
    w.validate().unwrap();
    w
}

/// Reads a source as a run does: its files found, then every record streamed. Gives the documents (bodies read)
/// and everything skipped, the crawl's skips first.
fn stream(
    src: &WarcSource,
    dir: &Path,
    shard: Option<&crate::shard::Shard>,
) -> (Vec<RawDoc>, Vec<Skipped>) {
    let mut out = CrawlOutcome::default();
    read_warc_source(src, dir, shard, &mut out).unwrap();
    let (mut docs, mut skipped) = (Vec::new(), out.skipped);
    for s in &out.streams {
        s.read(&mut |item| {
            match item {
                Ok(d) => docs.push(d),
                Err(s) => skipped.push(s),
            }
            true
        });
    }
    (docs, skipped)
}

#[test]
fn the_source_makes_documents_of_2xx_responses_conversions_and_resources() {
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<Vec<u8>> = crawl_records().iter().map(|r| gz(r)).collect();
    let at = offsets(&members);
    let path = write(dir.path(), "crawl.warc.gz", &members);
    let wet = write(
        dir.path(),
        "crawl.warc.wet.gz",
        &[gz(&record(
            "1.0",
            "conversion",
            Some("https://c.example/text"),
            "text/plain",
            b"A page's text.",
        ))],
    );
    let src = source(vec![dir.path().join("*.gz")], "");
    let (loaded, skipped) = stream(&src, dir.path(), None);
    assert!(skipped.is_empty(), "{skipped:?}");
    let urls: Vec<&str> = loaded.iter().map(|d| d.url.as_str()).collect();
    // name order: crawl.warc.gz, crawl.warc.wet.gz
    assert_eq!(
        urls,
        [
            "https://a.example/page",
            "https://a.example/report.pdf",
            "file:///notes.txt",
            "https://b.example/news",
            "https://c.example/text"
        ]
    );
    let d = &loaded[0];
    assert_eq!(d.key, "https://a.example/page");
    assert_eq!(
        d.content_type_hint.as_deref(),
        Some("text/html; charset=utf-8")
    );
    let name = path.display().to_string();
    assert_eq!(d.location, format!("{name}@{}", at[2]));
    assert_eq!(
        d.warc,
        Some(WarcRecordRef {
            file: name.clone(),
            offset: at[2]
        })
    );
    let f = d.fallback_date.as_ref().unwrap();
    assert_eq!(
        (f.value.as_str(), f.from),
        ("2019-03-10T08:15:00Z", "warc-date")
    );
    assert_eq!(loaded[4].content_type_hint.as_deref(), Some("text/plain"));
    assert_eq!(
        loaded[4].warc.as_ref().unwrap().file,
        wet.display().to_string()
    );
    assert_eq!(loaded[0].bytes, PAGE.as_bytes());
    assert!(loaded[1].bytes.starts_with(b"%PDF-1.4"));
    assert_eq!(
        loaded[2].bytes,
        b"Notes citing the Best Practice Forum on Gender and Access."
    );
    assert_eq!(loaded[4].bytes, b"A page's text.");
    let doc = crate::extract::extract(&loaded[0]).unwrap();
    assert!(doc.text.contains("Gender and Access 2016"));
    let p = doc.published.unwrap();
    assert_eq!(
        (p.date.to_string().as_str(), p.from.as_str()),
        ("2019-03-10", "warc-date")
    );
    assert_eq!(doc.warc.unwrap().offset, at[2]);

    // only the types asked for
    let src = source(vec![path.clone()], "record_types = [\"resource\"]");
    let (docs, _) = stream(&src, dir.path(), None);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].url, "file:///notes.txt");
}

#[test]
fn records_over_the_cap_and_missing_files_are_skipped_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![b'x'; 5000];
    let parts = vec![
        gz(&record(
            "1.0",
            "conversion",
            Some("https://d.example/big"),
            "text/plain",
            &big,
        )),
        gz(&record(
            "1.0",
            "conversion",
            Some("https://d.example/small"),
            "text/plain",
            b"small",
        )),
        gz(&record("1.0", "conversion", None, "text/plain", b"no uri")),
    ];
    let at = offsets(&parts);
    let path = write(dir.path(), "big.wet.gz", &parts);
    std::fs::write(dir.path().join("not-a-warc.gz.txt"), "hello").unwrap();
    let src = source(
        vec![
            path.clone(),
            dir.path().join("absent.warc.gz"),
            dir.path().join("nothing-*.warc"),
            dir.path().join("not-a-warc.gz.txt"),
        ],
        "max_record_bytes = 1000",
    );
    let (docs, skipped) = stream(&src, dir.path(), None);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].url, "https://d.example/small");
    let skipped: Vec<(String, String)> = skipped
        .iter()
        .map(|s| (s.location.clone(), s.reason.clone()))
        .collect();
    let name = path.display().to_string();
    assert_eq!(skipped.len(), 5, "{skipped:#?}");
    assert!(skipped[0].0.ends_with("absent.warc.gz") && skipped[0].1 == "no such file");
    assert!(skipped[1].0.ends_with("nothing-*.warc") && skipped[1].1.contains("matches no file"));
    // a file that is no WARC file is skipped when the files are found, its records when they are read
    assert!(skipped[2].1.contains("not a WARC file"), "{skipped:#?}");
    assert_eq!(skipped[3].0, format!("{name}@{}", at[0]));
    assert!(
        skipped[3]
            .1
            .contains("5000 bytes is over max_record_bytes = 1000"),
        "{skipped:#?}"
    );
    assert_eq!(skipped[4].0, format!("{name}@{}", at[2]));
    assert!(skipped[4].1.contains("without WARC-Target-URI"));
}

#[test]
fn paths_files_list_urls_local_files_and_common_crawl_paths() {
    let dir = tempfile::tempdir().unwrap();
    let list = "# a comment\n\ncrawl-data/CC-MAIN-2024-10/segments/1/wet/a.warc.wet.gz\n\
                https://mirror.example/x.warc.gz\n/data/local.warc\nfile:///data/other.warc.gz\n";
    let plain = dir.path().join("wet.paths");
    std::fs::write(&plain, list).unwrap();
    let gzipped = dir.path().join("wet.paths.gz");
    std::fs::write(&gzipped, gz(list.as_bytes())).unwrap();
    for p in [&plain, &gzipped] {
        let got = read_paths_file(p, "https://data.commoncrawl.org").unwrap();
        assert_eq!(
            got,
            [
                Input::Remote(
                    "https://data.commoncrawl.org/crawl-data/CC-MAIN-2024-10/segments/1/wet/a.warc.wet.gz"
                        .into()
                ),
                Input::Remote("https://mirror.example/x.warc.gz".into()),
                Input::Local("/data/local.warc".into()),
                Input::Local("/data/other.warc.gz".into()),
            ]
        );
    }
}

#[test]
fn shards_read_each_file_once_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        let r = record(
            "1.1",
            "conversion",
            Some(&format!("https://s.example/{i}")),
            "text/plain",
            b"Some text.",
        );
        write(dir.path(), &format!("part-{i:02}.warc.wet.gz"), &[gz(&r)]);
    }
    let src = source(vec![dir.path().join("*.gz")], "");
    let mut seen: Vec<String> = Vec::new();
    for k in 0..3 {
        let shard = crate::shard::Shard::new(k, 3).unwrap();
        let (docs, _) = stream(&src, dir.path(), Some(&shard));
        seen.extend(docs.into_iter().map(|d| d.url));
    }
    seen.sort();
    let mut all: Vec<String> = (0..12).map(|i| format!("https://s.example/{i}")).collect();
    all.sort();
    assert_eq!(seen, all, "every file read by exactly one shard");
}
