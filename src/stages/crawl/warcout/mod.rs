//! WARC out: every answer the crawler and the API client got is written into WARC/1.1 files in the crawl
//! folder (`<crawl_dir>/warc/uptake-<run time>-<n>.warc.gz`), so what a run counted can be replayed later in
//! standard tools (pywb, ReplayWeb.page) and read back by uptake itself as a `warc` source.
//!
//! Each file opens with a `warcinfo` record; each answer gives a `request`, a `response` and a `metadata`
//! record (the request and metadata name the response in `WARC-Concurrent-To`), each compressed as its own gzip
//! member, as Common Crawl writes them. A response record holds the status line and headers as received and
//! the body: 2xx bodies whole, the bodies of redirects and errors up to
//! [`super::fetch::MAX_OTHER_BODY_BYTES`]. reqwest hands over bodies decompressed and de-chunked, so, as Common
//! Crawl does, `Content-Encoding`, `Transfer-Encoding` and `Content-Length` are kept renamed `X-Crawler-…` and a
//! `Content-Length` of the stored body is added. A 304 gives a `revisit` record (profile
//! `server-not-modified`) whose block is the 304's head; when the response that gave the cached body was written
//! to a WARC file, the revisit names its `WARC-Refers-To-Date` and carries its `WARC-Payload-Digest` ([`Earlier`]),
//! which replay tools use to find the body. Answers refused (too large, a type not read) and
//! requests that got no answer write nothing.
//!
//! The records of one answer are prepared (digests, compression) off the coordinator ([`prepare`]) and appended
//! by the one [`WarcWriter`] of the crawl, shared by every source through [`super::Web`]; a file is closed and
//! the next one begun when it would pass [`DEFAULT_WARC_MAX_BYTES`].

pub mod digest;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use super::fetch::{Answer, Exchange, Fetched};
use digest::{record_id, sha1, warc_digest, Sha1};

/// A WARC file is closed and the next one begun before it would pass this size (compressed), as Common Crawl's
/// files are about 1 GB.
pub const DEFAULT_WARC_MAX_BYTES: u64 = 1_000_000_000;

/// The folder of the WARC files, in the crawl folder.
pub const WARC_DIR: &str = "warc";

/// How the names of the crawl's own WARC files begin (`uptake-<run time>-<n>.warc.gz`); the folder also keeps the
/// files a `warc` source downloaded, named by their URL's hash.
const OWN_FILE_PREFIX: &str = "uptake-";

/// Whether `name` (a file name in [`WARC_DIR`]) is one of the WARC files a crawl wrote, not a download.
pub fn is_own_file(name: &str) -> bool {
    name.starts_with(OWN_FILE_PREFIX) && name.ends_with(".warc.gz")
}

/// How the WARC files of a crawl are written.
#[derive(Debug, Clone, PartialEq)]
pub struct WarcOptions {
    /// Size at which a file is closed and the next begun, in bytes.
    pub max_bytes: u64,
}

impl Default for WarcOptions {
    fn default() -> WarcOptions {
        WarcOptions {
            max_bytes: DEFAULT_WARC_MAX_BYTES,
        }
    }
}

/// The records of one answer, compressed and ready to append.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Gzip members, one per record, back to back.
    bytes: Vec<u8>,
    /// Where the response (or revisit) record's member starts in `bytes`.
    response_at: u64,
    /// The response record's `WARC-Date` and `WARC-Payload-Digest` (a revisit's: the earlier record's, if known).
    earlier: Option<Earlier>,
}

impl Prepared {
    /// The `WARC-Date` and `WARC-Payload-Digest` of the response record, what a later revisit of the same URL
    /// refers to (a revisit's: the record it refers to, when known).
    pub fn response(&self) -> Option<&Earlier> {
        self.earlier.as_ref()
    }
}

/// A response record a revisit record refers to: its `WARC-Date` and, when it has one, `WARC-Payload-Digest`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Earlier {
    pub date: String,
    pub digest: Option<String>,
}

/// Where a record was written: the file's path relative to the crawl folder (`warc/uptake-….warc.gz`) and the
/// byte offset of its gzip member.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub file: String,
    pub offset: u64,
}

/// The WARC files of one crawl.
pub struct WarcWriter {
    crawl_dir: PathBuf,
    /// `uptake-<run time>`.
    stem: String,
    next_n: u32,
    max_bytes: u64,
    current: Option<OpenFile>,
    /// Set after a write failed: the crawl goes on, without WARC files.
    broken: bool,
}

struct OpenFile {
    file: File,
    rel: String,
    size: u64,
}

impl WarcWriter {
    /// A writer for a crawl into `crawl_dir` started now; no file is made until the first record.
    pub fn new(crawl_dir: &Path, opts: &WarcOptions) -> WarcWriter {
        WarcWriter {
            crawl_dir: crawl_dir.to_path_buf(),
            stem: format!(
                "{OWN_FILE_PREFIX}{}",
                chrono::Utc::now().format("%Y%m%d%H%M%S")
            ),
            next_n: 0,
            max_bytes: opts.max_bytes.max(1),
            current: None,
            broken: false,
        }
    }

    /// Appends the records of one answer; gives where its response record lies, or `None` when nothing could be
    /// written (the failure is logged once, naming the file).
    pub fn append(&mut self, p: &Prepared) -> Option<Written> {
        if self.broken || p.bytes.is_empty() {
            return None;
        }
        match self.try_append(p) {
            Ok(w) => Some(w),
            Err((path, e)) => {
                tracing::error!(
                    "{}: cannot write the WARC file: {e}; no more WARC records are written in this run",
                    path.display()
                );
                self.broken = true;
                self.current = None;
                None
            }
        }
    }

    fn try_append(&mut self, p: &Prepared) -> Result<Written, (PathBuf, std::io::Error)> {
        let full = self
            .current
            .as_ref()
            .is_some_and(|c| c.size + p.bytes.len() as u64 > self.max_bytes);
        if full {
            self.current = None;
        }
        if self.current.is_none() {
            self.current = Some(self.open_next()?);
        }
        let cur = self.current.as_mut().expect("opened");
        let at = cur.size;
        let path = self.crawl_dir.join(&cur.rel);
        cur.file.write_all(&p.bytes).map_err(|e| (path, e))?;
        cur.size += p.bytes.len() as u64;
        Ok(Written {
            file: cur.rel.clone(),
            offset: at + p.response_at,
        })
    }

    /// Creates the next file (a name not taken yet) and writes its `warcinfo` record.
    fn open_next(&mut self) -> Result<OpenFile, (PathBuf, std::io::Error)> {
        let dir = self.crawl_dir.join(WARC_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| (dir.clone(), e))?;
        loop {
            let name = format!("{}-{:05}.warc.gz", self.stem, self.next_n);
            self.next_n += 1;
            let path = dir.join(&name);
            let file = match File::options().write(true).create_new(true).open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err((path, e)),
            };
            let info = warcinfo(&name);
            let mut open = OpenFile {
                file,
                rel: format!("{WARC_DIR}/{name}"),
                size: 0,
            };
            open.file.write_all(&info).map_err(|e| (path, e))?;
            open.size = info.len() as u64;
            return Ok(open);
        }
    }
}

/// The `warcinfo` record of a file named `name`, compressed.
fn warcinfo(name: &str) -> Vec<u8> {
    let fields = format!(
        "software: uptake/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\ndescription: pages, feeds and API answers fetched by an uptake crawl\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let head = vec![
        ("WARC-Type", "warcinfo".to_string()),
        ("WARC-Date", warc_date(&chrono::Utc::now())),
        ("WARC-Filename", name.to_string()),
        ("WARC-Record-ID", record_id()),
        ("Content-Type", "application/warc-fields".to_string()),
    ];
    gzip_record(&head, &[fields.as_bytes()])
}

/// A time as `WARC-Date` writes it (UTC, to the second).
fn warc_date(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One record, compressed as its own gzip member: the header fields given, `WARC-Block-Digest` and
/// `Content-Length` of the block (the concatenation of `parts`), the block, and the two closing line ends.
fn gzip_record(fields: &[(&str, String)], parts: &[&[u8]]) -> Vec<u8> {
    let mut block_digest = Sha1::default();
    let mut len = 0;
    for p in parts {
        block_digest.update(p);
        len += p.len();
    }
    let mut head = String::from("WARC/1.1\r\n");
    for (n, v) in fields {
        head.push_str(&format!("{n}: {}\r\n", one_line(v)));
    }
    head.push_str(&format!(
        "WARC-Block-Digest: {}\r\nContent-Length: {len}\r\n\r\n",
        warc_digest(block_digest.finish())
    ));
    let mut gz = GzEncoder::new(Vec::with_capacity(len / 3 + 512), Compression::default());
    // writing into a Vec cannot fail
    let _ = gz.write_all(head.as_bytes());
    for p in parts {
        let _ = gz.write_all(p);
    }
    let _ = gz.write_all(b"\r\n\r\n");
    gz.finish().unwrap_or_default()
}

/// A header value on one line (a value with a line break would end the header early).
fn one_line(v: &str) -> String {
    v.replace(['\r', '\n'], " ")
}

/// The response's status line and headers as a block writes them, with the headers a decoded body no longer
/// matches renamed `X-Crawler-…` and a `Content-Length` of `body_len` added (`None`: a 304, kept as received).
fn response_head(ex: &Exchange, body_len: Option<usize>) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(ex.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut head = format!("{} {} {reason}\r\n", ex.version, ex.status);
    for (n, v) in &ex.headers {
        let lower = n.to_ascii_lowercase();
        let renamed = body_len.is_some()
            && matches!(
                lower.as_str(),
                "content-encoding" | "transfer-encoding" | "content-length"
            );
        if renamed {
            head.push_str(&format!("X-Crawler-{n}: {}\r\n", one_line(v)));
        } else {
            head.push_str(&format!("{n}: {}\r\n", one_line(v)));
        }
    }
    if let Some(len) = body_len {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// The records of one fetch: request, response (or revisit for a 304) and metadata; `None` when the fetch got
/// no answer to keep (a network failure, a body refused). `source` names the source in the metadata record;
/// `earlier` is the response record that gave the cached body, which the revisit record of a 304 refers to.
pub fn prepare(fetched: &Fetched, source: &str, earlier: Option<&Earlier>) -> Option<Prepared> {
    let ex = fetched.exchange.as_ref()?;
    let (body, revisit): (&[u8], bool) = match &fetched.answer {
        Answer::Body { bytes, .. } => (bytes, false),
        Answer::NotModified { .. } => (&[], true),
        Answer::Redirect { .. } | Answer::Status { .. } => (&ex.other_body, false),
        Answer::Refused { .. } | Answer::Failed { .. } => return None,
    };
    let date = warc_date(&ex.date);
    let response_id = record_id();
    let mut common = vec![
        ("WARC-Date", date.clone()),
        ("WARC-Target-URI", ex.url.clone()),
    ];
    if let Some(ip) = &ex.ip {
        common.push(("WARC-IP-Address", ip.clone()));
    }
    let mut out = Prepared::default();
    // the request
    let mut req = String::new();
    for (i, (n, v)) in ex.request.iter().enumerate() {
        if i == 0 {
            req.push_str(&format!("{n}\r\n"));
        } else {
            req.push_str(&format!("{n}: {}\r\n", one_line(v)));
        }
    }
    req.push_str("\r\n");
    let mut fields = vec![("WARC-Type", "request".to_string())];
    fields.extend(common.iter().cloned());
    fields.push(("WARC-Record-ID", record_id()));
    fields.push(("WARC-Concurrent-To", response_id.clone()));
    fields.push((
        "Content-Type",
        "application/http;msgtype=request".to_string(),
    ));
    out.bytes = gzip_record(&fields, &[req.as_bytes()]);
    // the response
    out.response_at = out.bytes.len() as u64;
    let head = response_head(ex, (!revisit).then_some(body.len()));
    let mut fields = vec![(
        "WARC-Type",
        if revisit { "revisit" } else { "response" }.to_string(),
    )];
    fields.extend(common.iter().cloned());
    fields.push(("WARC-Record-ID", response_id.clone()));
    fields.push((
        "Content-Type",
        "application/http;msgtype=response".to_string(),
    ));
    if revisit {
        fields.push((
            "WARC-Profile",
            "http://netpreserve.org/warc/1.1/revisit/server-not-modified".to_string(),
        ));
        fields.push(("WARC-Refers-To-Target-URI", ex.url.clone()));
        if let Some(e) = earlier {
            fields.push(("WARC-Refers-To-Date", e.date.clone()));
            if let Some(d) = &e.digest {
                fields.push(("WARC-Payload-Digest", d.clone()));
            }
            out.earlier = Some(e.clone());
        }
    } else {
        let digest = warc_digest(sha1(body));
        fields.push(("WARC-Payload-Digest", digest.clone()));
        if ex.truncated {
            fields.push(("WARC-Truncated", "length".to_string()));
        }
        out.earlier = Some(Earlier {
            date: date.clone(),
            digest: Some(digest),
        });
    }
    out.bytes.extend(gzip_record(&fields, &[&head, body]));
    // the metadata
    let meta = format!(
        "fetchTimeMs: {}\r\nattempts: {}\r\nsource: {}\r\n",
        fetched.elapsed.as_millis(),
        fetched.attempts,
        one_line(source)
    );
    let mut fields = vec![("WARC-Type", "metadata".to_string())];
    fields.extend(common);
    fields.push(("WARC-Record-ID", record_id()));
    fields.push(("WARC-Concurrent-To", response_id));
    fields.push(("Content-Type", "application/warc-fields".to_string()));
    out.bytes.extend(gzip_record(&fields, &[meta.as_bytes()]));
    Some(out)
}

/// Prepares the records of `fetched` on a blocking thread (hashing and compressing a large body takes a while)
/// and gives the fetch back with them.
pub async fn prepare_off_thread(
    fetched: Fetched,
    source: std::sync::Arc<str>,
    earlier: Option<Earlier>,
) -> (Fetched, Option<Prepared>) {
    let done = tokio::task::spawn_blocking(move || {
        let p = prepare(&fetched, &source, earlier.as_ref());
        (fetched, p)
    })
    .await;
    match done {
        Ok(both) => both,
        Err(e) => {
            // the fetch went with the failed task: say so, and give an answer without a body
            tracing::error!("preparing WARC records failed: {e}");
            let failed = Fetched {
                answer: Answer::Failed {
                    kind: crate::records::NetworkFailure::Other,
                    reason: format!("internal error: {e}"),
                },
                attempts: 0,
                elapsed: std::time::Duration::ZERO,
                exchange: None,
            };
            (failed, None)
        }
    }
}

#[cfg(test)]
mod tests;
