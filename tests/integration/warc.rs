//! `kind = "warc"` sources end to end: WARC and WET files written here (invented pages citing BPF outputs) read by
//! the binary into documents, mentions and uptake; and remote files listed in a paths file, downloaded from an
//! HTTP server on 127.0.0.1 that drops the first connection part-way, resumed with a `Range` request, and not
//! fetched again on the next run.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::{catalogue, describe, s, table_rows, uptake, write_config};

/// One WARC/1.0 record.
pub(super) fn record(ty: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {ty}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        uuid_like(uri, ty),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn uuid_like(uri: &str, ty: &str) -> String {
    let h = uptake::crawl::content_hash(format!("{ty} {uri}").as_bytes());
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// An HTTP response as a crawler stores it: chunked and gzip-compressed when `encoded`.
fn http(status: &str, content_type: &str, body: &[u8], encoded: bool) -> Vec<u8> {
    if !encoded {
        let mut r = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        return r;
    }
    let z = gz(body);
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for chunk in z.chunks(50) {
        r.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        r.extend_from_slice(chunk);
        r.extend_from_slice(b"\r\n");
    }
    r.extend_from_slice(b"0\r\n\r\n");
    r
}

pub(super) fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn page(title: &str, para: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>{para}</p>\
         </main></body></html>"
    )
}

pub(super) const GENDER_CITE: &str = "Our community network's outreach plan draws on the IGF Best Practice Forum on Gender \
    and Access 2016 report, Overcoming Barriers to Enable Women's Meaningful Internet Access, and on what the \
    women who use the network told us.";

#[test]
fn warc_and_wet_records_become_documents_mentions_and_uptake() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/demo/corpus/pdf/ixp-reference-list-2017.pdf"),
    )
    .unwrap();
    let cite_page = page("Outreach plan", GENDER_CITE);
    let date = "2019-03-10T08:15:00Z";
    let mut damaged = gz(&record(
        "response",
        "https://damaged.example/",
        date,
        "application/http; msgtype=response",
        &http(
            "200 OK",
            "text/html",
            page("Lost", "lost words").as_bytes(),
            false,
        ),
    ));
    let n = damaged.len();
    damaged[n - 6] ^= 0xff; // the stored length: the member's check fails
    let members = [
        gz(&record(
            "warcinfo",
            "urn:x",
            date,
            "application/warc-fields",
            b"software: a test\r\n",
        )),
        gz(&record(
            "request",
            "https://cn.example/outreach",
            date,
            "application/http; msgtype=request",
            b"GET /outreach HTTP/1.1\r\nHost: cn.example\r\n\r\n",
        )),
        gz(&record(
            "response",
            "https://cn.example/outreach",
            date,
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "text/html; charset=utf-8",
                cite_page.as_bytes(),
                true,
            ),
        )),
        gz(&record(
            "metadata",
            "https://cn.example/outreach",
            date,
            "application/warc-fields",
            b"fetchTimeMs: 80\r\n",
        )),
        damaged,
        gz(&record(
            "response",
            "https://cn.example/gone",
            date,
            "application/http; msgtype=response",
            &http("404 Not Found", "text/html", b"<p>not here</p>", false),
        )),
        gz(&record(
            "response",
            "https://ix.example/reference-list.pdf",
            "2018-01-05T00:00:00Z",
            "application/http; msgtype=response",
            &http("200 OK", "application/pdf", &pdf, false),
        )),
    ];
    let offsets: Vec<u64> = members
        .iter()
        .scan(0u64, |at, m| {
            let o = *at;
            *at += m.len() as u64;
            Some(o)
        })
        .collect();
    std::fs::write(dir.join("crawl-00001.warc.gz"), members.concat()).unwrap();
    // a WET file: text already extracted, as Common Crawl writes it (plain here)
    let wet_text = "Women online: a reading list\n\nThe Best Practice Forum report Overcoming Barriers to \
                    Enable Women's Meaningful Internet Access (2016) maps what keeps women offline.\n";
    let wet = record(
        "conversion",
        "https://reading.example/women-online",
        "2020-06-01T00:00:00Z",
        "text/plain",
        wet_text.as_bytes(),
    );
    std::fs::write(dir.join("crawl-00001.warc.wet"), &wet).unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"archive\"\n\
             kind = \"warc\"\npaths = [\"archive/*.warc.gz\", \"archive/crawl-00001.warc.wet\"]\n",
            catalogue()
        ),
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    // the damaged record is skipped, so the run exits 2
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let out = tmp.path().join("out");
    let warc_name = dir.join("crawl-00001.warc.gz").display().to_string();
    let docs = table_rows(
        &out,
        "documents",
        &[
            "doc_id",
            "url",
            "location",
            "content_type",
            "published",
            "published_from",
            "warc_file",
            "warc_offset",
        ],
    );
    let by_url: HashMap<&str, &HashMap<&str, String>> =
        docs.iter().map(|d| (d["url"].as_str(), d)).collect();
    assert_eq!(docs.len(), 3, "{docs:#?}");
    let cited = by_url["https://cn.example/outreach"];
    assert_eq!(cited["content_type"], "html");
    assert_eq!(cited["published"], "2019-03-10");
    assert_eq!(cited["published_from"], "warc-date");
    assert_eq!(cited["warc_file"], warc_name);
    assert_eq!(cited["warc_offset"], offsets[2].to_string());
    assert_eq!(cited["location"], format!("{warc_name}@{}", offsets[2]));
    let pdf_doc = by_url["https://ix.example/reference-list.pdf"];
    assert_eq!(pdf_doc["content_type"], "pdf");
    assert_eq!(pdf_doc["warc_offset"], offsets[6].to_string());
    let wet_doc = by_url["https://reading.example/women-online"];
    assert_eq!(wet_doc["content_type"], "text");
    assert_eq!(wet_doc["warc_offset"], "0");
    assert_eq!(wet_doc["published_from"], "warc-date");

    // the damaged record, named with its file and offset
    let skipped = table_rows(&out, "skipped", &["stage", "location", "reason"]);
    assert_eq!(skipped.len(), 1, "{skipped:#?}");
    assert_eq!(skipped[0]["stage"], "crawl");
    assert_eq!(
        skipped[0]["location"],
        format!("{warc_name}@{}", offsets[4])
    );
    assert!(skipped[0]["reason"].contains("damaged"), "{skipped:#?}");

    // the citations land in mentions and uptake, under the WARC documents
    let mentions = table_rows(&out, "mentions", &["doc_id", "output_id"]);
    for d in [cited, wet_doc] {
        assert!(
            mentions
                .iter()
                .any(|m| m["doc_id"] == d["doc_id"] && m["output_id"] == "2016-gender"),
            "{} cites 2016-gender: {mentions:#?}",
            d["url"]
        );
    }
    let uptake_rows = table_rows(&out, "uptake", &["output_id", "year", "documents"]);
    let count = |year: &str| {
        uptake_rows
            .iter()
            .find(|r| r["output_id"] == "2016-gender" && r["year"] == year)
            .map(|r| r["documents"].clone())
    };
    assert_eq!(count("2019").as_deref(), Some("1"), "{uptake_rows:#?}");
    assert_eq!(count("2020").as_deref(), Some("1"), "{uptake_rows:#?}");
}

/// A file server on 127.0.0.1 speaking HTTP/1.1 by hand (one connection at a time, closed after each answer):
/// `Range: bytes=N-` is answered 206, a path in `drop_after` is cut off after that many body bytes on its first
/// request (the connection closed mid-body), and a path in `busy` answers its first request 503.
/// A request's path and `Range` header.
type Request = (String, Option<String>);

struct FileServer {
    base: String,
    /// (path, Range header) of every request.
    log: Arc<Mutex<Vec<Request>>>,
    /// (User-Agent, arrival) of every request.
    seen_by: Arc<Mutex<Vec<(String, std::time::Instant)>>>,
}

impl FileServer {
    fn start(
        files: HashMap<String, Vec<u8>>,
        drop_after: HashMap<String, usize>,
        busy: &[&str],
    ) -> FileServer {
        let mut busy: std::collections::HashSet<String> =
            busy.iter().map(|b| b.to_string()).collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        let seen_by = Arc::new(Mutex::new(Vec::new()));
        let agents = seen_by.clone();
        std::thread::spawn(move || {
            let mut dropped = std::collections::HashSet::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut req = Vec::new();
                let mut buf = [0u8; 4096];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let req = String::from_utf8_lossy(&req).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                let range = req.lines().find_map(|l| {
                    let (n, v) = l.split_once(':')?;
                    n.eq_ignore_ascii_case("range")
                        .then(|| v.trim().to_string())
                });
                seen.lock().unwrap().push((path.clone(), range.clone()));
                let agent = req.lines().find_map(|l| {
                    let (n, v) = l.split_once(':')?;
                    n.eq_ignore_ascii_case("user-agent")
                        .then(|| v.trim().to_string())
                });
                agents
                    .lock()
                    .unwrap()
                    .push((agent.unwrap_or_default(), std::time::Instant::now()));
                if busy.remove(&path) {
                    let _ = stream.write_all(
                        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                }
                let Some(body) = files.get(&path) else {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                };
                let from = range
                    .as_deref()
                    .and_then(|r| r.strip_prefix("bytes="))
                    .and_then(|r| r.strip_suffix('-'))
                    .and_then(|n| n.parse::<usize>().ok());
                let (head, part) = match from {
                    Some(n) if n < body.len() => (
                        format!(
                            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {n}-{}/{}\r\nContent-Length: {}\r\n",
                            body.len() - 1,
                            body.len(),
                            body.len() - n
                        ),
                        &body[n..],
                    ),
                    _ => (
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n", body.len()),
                        &body[..],
                    ),
                };
                let _ = stream.write_all(
                    format!(
                        "{head}Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                );
                let cut = drop_after
                    .get(&path)
                    .copied()
                    .filter(|_| dropped.insert(path.clone()));
                match cut {
                    Some(k) => {
                        let _ = stream.write_all(&part[..k.min(part.len())]);
                        let _ = stream.flush();
                        // closed mid-body
                    }
                    None => {
                        let _ = stream.write_all(part);
                    }
                }
                let _ = stream.flush();
                drop(stream);
            }
        });
        FileServer { base, log, seen_by }
    }

    fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

#[test]
fn remote_files_from_a_paths_file_are_downloaded_resumed_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    // a WET file of 40 records, compressed record by record, the citing one last
    let mut wet = Vec::new();
    for i in 0..40 {
        let text = if i == 39 {
            GENDER_CITE.to_string()
        } else {
            format!("Page {i} of a site about bicycles, rivers and bread, with nothing to do with forums.")
        };
        wet.extend(gz(&record(
            "conversion",
            &format!("https://site{i}.example/"),
            "2021-02-03T04:05:06Z",
            "text/plain",
            text.as_bytes(),
        )));
    }
    let warc = gz(&record(
        "response",
        "https://cn.example/outreach",
        "2019-03-10T08:15:00Z",
        "application/http; msgtype=response",
        &http(
            "200 OK",
            "text/html",
            page("Outreach plan", GENDER_CITE).as_bytes(),
            false,
        ),
    ));
    let wet_path = "/crawl-data/CC-MAIN-2021-10/segments/1/wet/part-00000.warc.wet.gz";
    let warc_path = "/mirror/part-00000.warc.gz";
    let half = wet.len() / 2;
    let server = FileServer::start(
        HashMap::from([
            (wet_path.to_string(), wet.clone()),
            (warc_path.to_string(), warc),
        ]),
        HashMap::from([(wet_path.to_string(), half)]),
        &[warc_path],
    );
    let listing = format!(
        "{}\n{}{warc_path}\n{}/missing.warc.gz\n",
        &wet_path[1..],
        server.base,
        server.base
    );
    std::fs::write(tmp.path().join("wet.paths.gz"), gz(listing.as_bytes())).unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\n\n[[source]]\nname = \"cc\"\nkind = \"warc\"\n\
             paths_file = \"wet.paths.gz\"\nbase_url = \"{}/\"\ndelay_ms = 20\nretry_base_ms = 10\n\
             max_retries = 2\nuser_agent = \"uptake-test/1.0 (+http://127.0.0.1/contact)\"\n",
            catalogue(),
            server.base
        ),
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    // the missing file is skipped: exit 2
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let reqs = server.requests();
    let wet_reqs: Vec<Option<String>> = reqs
        .iter()
        .filter(|(p, _)| p == wet_path)
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(
        wet_reqs,
        [None, Some(format!("bytes={half}-"))],
        "the broken download resumed where it stopped: {reqs:?}"
    );
    assert_eq!(
        reqs.iter().filter(|(p, _)| p == warc_path).count(),
        2,
        "a 503 is retried: {reqs:?}"
    );
    assert_eq!(
        reqs.iter().filter(|(p, _)| p == "/missing.warc.gz").count(),
        1,
        "a 404 is not retried: {reqs:?}"
    );
    let seen_by = server.seen_by.lock().unwrap().clone();
    for (i, (agent, at)) in seen_by.iter().enumerate() {
        assert_eq!(agent, "uptake-test/1.0 (+http://127.0.0.1/contact)");
        if i > 0 {
            let gap = at.duration_since(seen_by[i - 1].1);
            assert!(
                gap >= std::time::Duration::from_millis(20),
                "request {i} came {gap:?} after the one before"
            );
        }
    }
    let wet_url = format!("{}{wet_path}", server.base);
    let local = uptake::crawl::warc::local_path(&tmp.path().join("out/crawl"), &wet_url);
    assert_eq!(
        std::fs::read(&local).unwrap(),
        wet,
        "the resumed copy is whole"
    );
    let out = tmp.path().join("out");
    let docs = table_rows(&out, "documents", &["url", "warc_file", "published_from"]);
    assert_eq!(docs.len(), 41, "{docs:#?}");
    let cited = docs
        .iter()
        .find(|d| d["url"] == "https://cn.example/outreach")
        .unwrap();
    assert_eq!(cited["warc_file"], format!("{}{warc_path}", server.base));
    assert_eq!(cited["published_from"], "warc-date");
    assert!(docs.iter().any(|d| d["warc_file"] == wet_url));
    let skipped = table_rows(&out, "skipped", &["location", "reason"]);
    assert_eq!(skipped.len(), 1, "{skipped:#?}");
    assert_eq!(
        skipped[0]["location"],
        format!("{}/missing.warc.gz", server.base)
    );
    assert_eq!(skipped[0]["reason"], "HTTP 404");

    // a second run reads the kept copies and asks only for what it lacks
    let before = server.requests().len();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let again: Vec<String> = server.requests()[before..]
        .iter()
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(again, ["/missing.warc.gz"]);
    assert_eq!(table_rows(&out, "documents", &["url"]).len(), 41);
}
