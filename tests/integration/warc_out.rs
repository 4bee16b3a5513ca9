//! WARC out: a crawl of a small site on 127.0.0.1 (HTML pages citing an output, a PDF, a redirect, a 404) writes
//! WARC files in the crawl folder; they are opened here record by record, their digests checked, the documents'
//! `warc_file`/`warc_offset` followed to the records, and the files read back by uptake as a `warc` source, which
//! gives the same documents and mentions. A re-run answered with 304s writes revisit records and keeps the
//! documents' records; a tiny size limit makes the writer rotate files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;
use uptake::crawl::warcout::digest::{base32, sha1};
use uptake::load;

use super::site::{Reply, Site};
use super::{catalogue, describe, s, strs, table_rows, uptake, web_config, write_config};

const CITE: &str =
    "Our community network's outreach plan draws on the IGF Best Practice Forum on Gender \
    and Access 2016 report, Overcoming Barriers to Enable Women's Meaningful Internet Access.";

fn page(title: &str, para: &str, links: &[&str]) -> String {
    let anchors: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">{l}</a></li>"))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>{para}</p>\
         <ul>{anchors}</ul></main></body></html>"
    )
}

/// One WARC record: where its gzip member starts, its header fields and its block.
#[derive(Debug, Clone)]
struct Rec {
    offset: u64,
    fields: Vec<(String, String)>,
    block: Vec<u8>,
}

impl Rec {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses one decompressed record.
fn parse(offset: u64, bytes: &[u8]) -> Rec {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header ends");
    let head = std::str::from_utf8(&bytes[..end]).unwrap();
    let mut lines = head.split("\r\n");
    assert_eq!(lines.next(), Some("WARC/1.1"));
    let fields: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(": ").expect("name: value");
            (n.to_string(), v.to_string())
        })
        .collect();
    let rec = Rec {
        offset,
        fields,
        block: Vec::new(),
    };
    let len: usize = rec.get("Content-Length").unwrap().parse().unwrap();
    let block = bytes[end + 4..end + 4 + len].to_vec();
    assert_eq!(
        &bytes[end + 4 + len..],
        b"\r\n\r\n",
        "record ends with two CRLF"
    );
    Rec { block, ..rec }
}

/// Every record of a file, each its own gzip member.
fn records(path: &Path) -> Vec<Rec> {
    let mut r = BufReader::new(std::fs::File::open(path).unwrap());
    let mut out = Vec::new();
    loop {
        let offset = r.stream_position().unwrap();
        if r.fill_buf().unwrap().is_empty() {
            break;
        }
        let mut bytes = Vec::new();
        GzDecoder::new(&mut r).read_to_end(&mut bytes).unwrap();
        out.push(parse(offset, &bytes));
    }
    out
}

/// The record whose gzip member starts at `offset`, read alone.
fn record_at(path: &Path, offset: u64) -> Rec {
    let mut f = std::fs::File::open(path).unwrap();
    f.seek(SeekFrom::Start(offset)).unwrap();
    let mut bytes = Vec::new();
    GzDecoder::new(BufReader::new(f))
        .read_to_end(&mut bytes)
        .unwrap();
    parse(offset, &bytes)
}

fn warc_files(crawl_dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(crawl_dir.join("warc"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// `documents` rows by URL, with the columns compared.
fn documents(out: &Path) -> BTreeMap<String, HashMap<&'static str, String>> {
    table_rows(
        out,
        "documents",
        &[
            "url",
            "doc_id",
            "title",
            "chars",
            "content_type",
            "warc_file",
            "warc_offset",
        ],
    )
    .into_iter()
    .map(|r| (r["url"].clone(), r))
    .collect()
}

fn mentions(out: &Path) -> BTreeSet<(String, String)> {
    let df = load::read_table(out, "mentions").unwrap();
    let docs = strs(&df, "doc_id");
    let outputs = strs(&df, "output_id");
    docs.into_iter().zip(outputs).collect()
}

fn digest(body: &[u8]) -> String {
    format!("sha1:{}", base32(&sha1(body)))
}

#[test]
fn crawled_answers_are_written_to_warc_files_and_read_back() {
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/demo/corpus/pdf/ixp-reference-list-2017.pdf"),
    )
    .unwrap();
    let index = page(
        "Index",
        "Notes of a community network.",
        &["/cited.html", "/report.pdf", "/old", "/missing"],
    );
    let cited = page("Outreach plan", CITE, &[]);
    let moved = page(
        "Moved notes",
        "A page that moved, about widget exchanges.",
        &[],
    );
    let site = Site::start(vec![
        ("/", Reply::html(&index)),
        ("/cited.html", Reply::html(&cited)),
        ("/report.pdf", Reply::typed("application/pdf", pdf.clone())),
        ("/old", Reply::redirect("/moved.html")),
        ("/moved.html", Reply::html(&moved)),
    ]);
    let bodies: HashMap<String, Vec<u8>> = [
        ("/", index.into_bytes()),
        ("/cited.html", cited.into_bytes()),
        ("/report.pdf", pdf),
        ("/moved.html", moved.into_bytes()),
    ]
    .into_iter()
    .map(|(p, b)| (site.url(p), b))
    .collect();

    let tmp = tempfile::tempdir().unwrap();
    let cfg = web_config(tmp.path(), &site.url("/"));
    let o = uptake(&["run", "--config", s(&cfg)]);
    // the 404 is a skipped page: exit 2
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let out = tmp.path().join("out");
    let crawl_dir = out.join("crawl");
    let first = documents(&out);
    assert_eq!(
        first.keys().cloned().collect::<BTreeSet<_>>(),
        bodies.keys().cloned().collect::<BTreeSet<_>>()
    );

    // every file opens with warcinfo; every record's block digest is right; request and metadata name their
    // response
    let files = warc_files(&crawl_dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let recs = records(&files[0]);
    assert_eq!(recs[0].get("WARC-Type"), Some("warcinfo"));
    let mut by_type: BTreeMap<String, Vec<&Rec>> = BTreeMap::new();
    for r in &recs {
        assert_eq!(r.get("WARC-Block-Digest"), Some(digest(&r.block).as_str()));
        let id = r.get("WARC-Record-ID").unwrap();
        assert!(id.starts_with("<urn:uuid:") && id.len() == 47, "{id}");
        by_type
            .entry(r.get("WARC-Type").unwrap().to_string())
            .or_default()
            .push(r);
    }
    let responses = &by_type["response"];
    // robots.txt (404), the four pages, the redirect and the 404
    assert_eq!(
        responses.len(),
        7,
        "{:#?}",
        responses
            .iter()
            .map(|r| r.get("WARC-Target-URI"))
            .collect::<Vec<_>>()
    );
    assert_eq!(by_type["request"].len(), 7);
    assert_eq!(by_type["metadata"].len(), 7);
    let ids: BTreeSet<&str> = responses
        .iter()
        .map(|r| r.get("WARC-Record-ID").unwrap())
        .collect();
    for r in by_type["request"].iter().chain(&by_type["metadata"]) {
        assert!(ids.contains(r.get("WARC-Concurrent-To").unwrap()));
    }
    let status_of = |url: &str| {
        let r = responses
            .iter()
            .find(|r| r.get("WARC-Target-URI") == Some(url))
            .unwrap_or_else(|| panic!("no response for {url}"));
        String::from_utf8_lossy(&r.block[..12]).into_owned()
    };
    assert_eq!(status_of(&site.url("/old")), "HTTP/1.1 301");
    assert_eq!(status_of(&site.url("/missing")), "HTTP/1.1 404");
    assert_eq!(status_of(&site.url("/robots.txt")), "HTTP/1.1 404");

    // each document points at its response record, whose payload digest is the SHA-1 of the body served
    for (url, d) in &first {
        let file = PathBuf::from(&d["warc_file"]);
        assert_eq!(
            file,
            crawl_dir.join("warc").join(files[0].file_name().unwrap())
        );
        let offset: u64 = d["warc_offset"].parse().unwrap();
        assert!(
            recs.iter().any(|x| x.offset == offset),
            "{url}: no record starts at {offset}"
        );
        let r = record_at(&file, offset);
        assert_eq!(r.get("WARC-Type"), Some("response"));
        assert_eq!(r.get("WARC-Target-URI"), Some(url.as_str()));
        assert_eq!(
            r.get("Content-Type"),
            Some("application/http;msgtype=response")
        );
        let body = &bodies[url];
        assert_eq!(
            r.get("WARC-Payload-Digest"),
            Some(digest(body).as_str()),
            "{url}"
        );
        assert!(r.block.ends_with(body), "{url}");
        assert!(String::from_utf8_lossy(&r.block).starts_with("HTTP/1.1 200 OK\r\n"));
    }
    let cited_id = &first[&site.url("/cited.html")]["doc_id"];
    let first_mentions = mentions(&out);
    assert!(
        first_mentions.contains(&(cited_id.clone(), "2016-gender".to_string())),
        "{first_mentions:?}"
    );

    // the files read back as a warc source give the same documents and mentions
    let replay = tmp.path().join("replay");
    std::fs::create_dir_all(&replay).unwrap();
    let cfg2 = write_config(
        &replay,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"web\"\n\
             kind = \"warc\"\npaths = [{:?}]\n",
            catalogue(),
            format!("{}/*.warc.gz", crawl_dir.join("warc").display())
        ),
    );
    let o = uptake(&["run", "--config", s(&cfg2)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let again = documents(&replay.join("out"));
    assert_eq!(
        again.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );
    for (url, d) in &again {
        for col in [
            "doc_id",
            "title",
            "chars",
            "content_type",
            "warc_file",
            "warc_offset",
        ] {
            assert_eq!(d[col], first[url][col], "{url}: {col}");
        }
    }
    assert_eq!(mentions(&replay.join("out")), first_mentions);

    // a re-run is answered with 304s: revisit records, and the documents keep their records
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(site.hits().iter().any(|h| h.status == 304));
    let rerun = documents(&out);
    for (url, d) in &rerun {
        assert_eq!(d["warc_file"], first[url]["warc_file"], "{url}");
        assert_eq!(d["warc_offset"], first[url]["warc_offset"], "{url}");
    }
    let files = warc_files(&crawl_dir);
    assert_eq!(files.len(), 2, "{files:?}");
    let second = records(&files[1]);
    // each revisit refers to the response of the first run that gave the body: its date and payload digest
    let first_records = records(&files[0]);
    let responses: BTreeMap<&str, _> = first_records
        .iter()
        .filter(|r| r.get("WARC-Type") == Some("response"))
        .map(|r| (r.get("WARC-Target-URI").unwrap(), r))
        .collect();
    let revisits: BTreeSet<&str> = second
        .iter()
        .filter(|r| r.get("WARC-Type") == Some("revisit"))
        .map(|r| {
            assert_eq!(
                r.get("WARC-Profile"),
                Some("http://netpreserve.org/warc/1.1/revisit/server-not-modified")
            );
            assert!(r.block.starts_with(b"HTTP/1.1 304 Not Modified\r\n"));
            let url = r.get("WARC-Target-URI").unwrap();
            let earlier = responses[url];
            assert_eq!(r.get("WARC-Refers-To-Target-URI"), Some(url));
            assert_eq!(
                r.get("WARC-Refers-To-Date"),
                earlier.get("WARC-Date"),
                "{url}"
            );
            assert!(earlier.get("WARC-Payload-Digest").is_some(), "{url}");
            assert_eq!(
                r.get("WARC-Payload-Digest"),
                earlier.get("WARC-Payload-Digest"),
                "{url}"
            );
            url
        })
        .collect();
    for url in bodies.keys() {
        assert!(revisits.contains(url.as_str()), "{url}: {revisits:?}");
    }
}

#[test]
fn warc_files_rotate_at_a_small_limit_and_can_be_turned_off() {
    let routes: Vec<(String, Reply)> = (0..6)
        .map(|i| {
            let words: String = (0..200)
                .map(|w| format!("w{}x{i} ", w * 7919 % 1000))
                .collect();
            (
                format!("/p{i}.html"),
                Reply::html(&page(&format!("Page {i}"), &words, &[])),
            )
        })
        .collect();
    let links: Vec<String> = routes.iter().map(|(p, _)| p.clone()).collect();
    let link_refs: Vec<&str> = links.iter().map(String::as_str).collect();
    let mut all: Vec<(&str, Reply)> = routes
        .iter()
        .map(|(p, r)| (p.as_str(), r.clone()))
        .collect();
    let index = page("Index", "All pages.", &link_refs);
    all.push(("/", Reply::html(&index)));
    let site = Site::start(all);
    let mut src = uptake::config::HttpSource::named("web");
    src.seeds = vec![site.url("/")];
    src.delay_ms = 0;
    let sources = [uptake::config::SourceConfig::Http(src)];

    let tmp = tempfile::tempdir().unwrap();
    let opts = uptake::crawl::WarcOptions { max_bytes: 2500 };
    let out = uptake::crawl::crawl_with(&sources, tmp.path(), &[], Some(&opts), None);
    let files = warc_files(tmp.path());
    assert!(files.len() >= 3, "{files:?}");
    for f in &files {
        assert!(std::fs::metadata(f).unwrap().len() > 0);
        let recs = records(f);
        assert_eq!(recs[0].get("WARC-Type"), Some("warcinfo"));
        assert_eq!(
            recs[0].get("WARC-Filename"),
            f.file_name().and_then(|n| n.to_str())
        );
    }
    assert_eq!(out.cached.len(), 7);
    for doc in out.cached {
        let d = doc.load().unwrap();
        let w = d.warc.expect("a record");
        let r = record_at(Path::new(&w.file), w.offset);
        assert_eq!(r.get("WARC-Target-URI"), Some(d.url.as_str()));
        assert!(r.block.ends_with(&d.bytes));
    }

    // turned off: no file, no record refs (a fresh crawl folder)
    let off = tempfile::tempdir().unwrap();
    let out = uptake::crawl::crawl_with(&sources, off.path(), &[], None, None);
    assert!(!off.path().join("warc").exists());
    assert_eq!(out.cached.len(), 7);
    assert!(out
        .cached
        .into_iter()
        .all(|d| d.load().unwrap().warc.is_none()));
}
