//! The `warc` source: web archive files read record by record. WARC 1.0 and 1.1, plain or compressed record by
//! record (Common Crawl's WARC and WET files), from local paths and globs or from a paths file of URLs, which are
//! downloaded politely into the crawl folder first (`download`).
//!
//! The crawl only finds the files (downloading remote ones) and hands each source on as a [`WarcStream`]; the
//! intake then reads each file once, record by record, body and all, and extracts each document as it comes, so
//! a record is decompressed once and memory stays flat however large the files are. `response` records with a 2xx
//! status become documents like fetched pages (the HTTP head is split off, chunks joined and compression undone:
//! `http`); WET `conversion` records are text already; `resource` records are their block. `WARC-Target-URI` is
//! the document's URL and key, and `WARC-Date` its last-resort date (`published_from = warc-date`: the page existed
//! then, so it was published no later). A damaged record is skipped with its file and offset named and the rest of
//! the file read (`reader`).
//!
//! Why an own reader rather than the `warc` crate (0.4 on crates.io, evaluated): the crate decompresses with
//! libflate's multi-member decoder, which hides where each gzip member starts, so it can give no record offsets
//! (needed for the `documents` table's `warc_offset`, which a CDX index and replay tools read) and cannot resume
//! after a damaged member; it stops at the first parse error; and it brings nom and libflate. The format is small:
//! a header of named fields and a block of `Content-Length` bytes, which a few hundred lines over `BufRead` and
//! flate2's one-member gzip decoder read with exact offsets, a bounded header and recovery.

mod download;
mod http;
mod inflate;
pub mod reader;

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use super::{CrawlError, CrawlOutcome};
use crate::config::{WarcRecordType, WarcSource};
use crate::records::{FallbackDate, Overrides, RawDoc, SkipStage, Skipped, WarcRecordRef};
use reader::{Event, Header};

pub use download::local_path;

/// The `location` of a record: its file and byte offset.
pub fn record_location(file: &str, offset: u64) -> String {
    format!("{file}@{offset}")
}

/// One file to read: its name in tables and messages (a path, or the URL it comes from) and, for a remote one,
/// the URL to download.
#[derive(Debug, Clone, PartialEq)]
enum Input {
    Local(PathBuf),
    Remote(String),
}

/// What the records of a file gave, for the log.
#[derive(Debug, Default)]
struct Counts {
    records: usize,
    documents: usize,
    /// Records of other types (request, metadata, warcinfo, revisit, …) or types not asked for.
    other_types: usize,
    /// `response` records that are not HTTP (`dns:` lookups) or not 2xx.
    not_documents: usize,
    /// Types extraction does not read (images, scripts, …).
    unreadable: usize,
    duplicates: usize,
    skipped: usize,
}

/// What reading a record's block found.
enum Scan {
    Doc {
        url: String,
        content_type: Option<String>,
        /// The document's body (for a response, without its HTTP head, chunks joined, compression undone).
        body: Vec<u8>,
    },
    OtherType,
    NotDocument,
    Unreadable,
    /// A URL a record before it in the source already gave.
    Duplicate,
    /// Skipped, with the reason.
    Skip(String),
}

/// A `warc` source's files, found by the crawl, to be read record by record when the intake reaches them.
#[derive(Debug, Clone)]
pub struct WarcStream {
    src: WarcSource,
    /// Each file's name in tables and messages (its path, or the URL it was downloaded from) and local path.
    files: Vec<(String, PathBuf)>,
}

/// Stops a [`WarcStream`] whose reader has gone.
const STOPPED: &str = "the reader of the stream has stopped";

impl WarcStream {
    /// The source's name.
    pub fn source(&self) -> &str {
        &self.src.name
    }

    /// Reads every file in order, handing `emit` each document (its body read) and each record or file skipped
    /// (logged by whoever takes them, not here). `emit` returns false to stop.
    pub fn read(&self, emit: &mut dyn FnMut(Result<RawDoc, Skipped>) -> bool) {
        let started = std::time::Instant::now();
        // ids are hashes already: foldhash, not the default SipHash
        let mut seen: foldhash::HashSet<u64> = foldhash::HashSet::default();
        let mut documents = 0;
        for (name, path) in &self.files {
            match read_file(&self.src, name, path, &mut seen, emit) {
                Ok(None) => return,
                Ok(Some(c)) => {
                    documents += c.documents;
                    tracing::info!(
                        "{name}: {} records, {} documents; {} of other types, {} not 2xx or not HTTP, {} of \
                         types not read, {} URLs seen before, {} skipped",
                        c.records,
                        c.documents,
                        c.other_types,
                        c.not_documents,
                        c.unreadable,
                        c.duplicates,
                        c.skipped
                    );
                }
                Err(e) => {
                    if !emit(Err(Skipped::new(SkipStage::Crawl, name, &e))) {
                        return;
                    }
                }
            }
        }
        tracing::info!(
            "source {:?}: {documents} documents in {:.3} s",
            self.src.name,
            started.elapsed().as_secs_f64()
        );
    }
}

/// Finds a `warc` source's files (downloading remote ones) and hands them on as a [`WarcStream`] in
/// `out.streams`, read when the intake reaches them. With a `shard`, only the files of that shard, keyed by their
/// file name (the same on every machine, local or downloaded). A file that is not a WARC file is skipped here.
pub(super) fn read_warc_source(
    src: &WarcSource,
    crawl_dir: &Path,
    shard: Option<&crate::shard::Shard>,
    out: &mut CrawlOutcome,
) -> Result<(), CrawlError> {
    let mut downloader = Downloading {
        src,
        crawl_dir,
        made: None,
    };
    let mut inputs = inputs(src, &mut downloader, out);
    if let Some(s) = shard {
        inputs.retain(|i| s.takes(&input_key(i)));
    }
    let mut files = Vec::new();
    for input in inputs {
        let (name, path) = match input {
            Input::Local(p) => (p.display().to_string(), p),
            Input::Remote(url) => match downloader.fetch(&url) {
                Ok(p) => (url, p),
                Err(reason) => {
                    tracing::error!("{url}: {reason}");
                    out.skipped.push(Skipped {
                        stage: SkipStage::Crawl,
                        location: url,
                        reason,
                    });
                    continue;
                }
            },
        };
        let looks = looks_like_warc(&path).map_err(|e| CrawlError::ReadFile {
            path: PathBuf::from(&name),
            message: e.to_string(),
        });
        match looks {
            Ok(true) => files.push((name, path)),
            Ok(false) => {
                let e = CrawlError::Warc {
                    location: name.clone(),
                    message:
                        "not a WARC file (it starts neither with WARC/ nor with a gzip header)"
                            .into(),
                };
                tracing::error!("{e}");
                out.skipped.push(Skipped::new(SkipStage::Crawl, &name, &e));
            }
            Err(e) => {
                tracing::error!("{e}");
                out.skipped.push(Skipped::new(SkipStage::Crawl, &name, &e));
            }
        }
    }
    out.streams.push(WarcStream {
        src: src.clone(),
        files,
    });
    Ok(())
}

/// The key a file is sharded by: its file name.
fn input_key(input: &Input) -> String {
    match input {
        Input::Local(p) => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string()),
        Input::Remote(url) => url
            .rsplit('/')
            .next()
            .unwrap_or(url)
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .to_string(),
    }
}

/// The files of a source, in order: `paths` (globs expanded in name order), then the lines of `paths_file` (a
/// local file, or a URL downloaded first like the files it lists). What cannot be found is skipped.
fn inputs(src: &WarcSource, downloader: &mut Downloading, out: &mut CrawlOutcome) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut skip = |location: String, reason: String| {
        tracing::error!("{location}: {reason}");
        out.skipped.push(Skipped {
            stage: SkipStage::Crawl,
            location,
            reason,
        });
    };
    for p in &src.paths {
        let text = p.to_string_lossy();
        if text.contains(['*', '?', '[']) {
            let matches = match glob::glob(&text) {
                Ok(m) => m,
                Err(e) => {
                    skip(text.into_owned(), format!("not a glob pattern: {e}"));
                    continue;
                }
            };
            let mut found: Vec<PathBuf> = matches
                .filter_map(|m| m.ok())
                .filter(|m| m.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                skip(text.into_owned(), "the pattern matches no file".into());
            }
            inputs.extend(found.into_iter().map(Input::Local));
        } else if p.is_file() {
            inputs.push(Input::Local(p.clone()));
        } else {
            skip(text.into_owned(), "no such file".into());
        }
    }
    if let Some(list) = &src.paths_file {
        let name = list.to_string_lossy().into_owned();
        let local = if crate::config::is_download_url(&name) {
            downloader.fetch(&name)
        } else {
            Ok(list.clone())
        };
        match local.and_then(|p| read_paths_file(&p, &src.base_url)) {
            Ok(v) => inputs.extend(v),
            Err(reason) => skip(name, reason),
        }
    }
    inputs
}

/// The downloader of a source's remote files, made when the first is needed.
struct Downloading<'a> {
    src: &'a WarcSource,
    crawl_dir: &'a Path,
    made: Option<download::Downloader>,
}

impl Downloading<'_> {
    /// The local copy of `url` (see [`download::Downloader::fetch`]).
    fn fetch(&mut self, url: &str) -> Result<PathBuf, String> {
        if self.made.is_none() {
            self.made = Some(download::Downloader::new(self.src, self.crawl_dir)?);
        }
        self.made.as_mut().expect("made above").fetch(url)
    }
}

/// The files a paths file lists: URLs (http, https, or an object store's), absolute paths, and paths relative to
/// `base_url`.
fn read_paths_file(path: &Path, base_url: &str) -> Result<Vec<Input>, String> {
    let gzip = reader::is_gzip(path).map_err(|e| format!("cannot read: {e}"))?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut text = String::new();
    let read = if gzip {
        flate2::read::MultiGzDecoder::new(file).read_to_string(&mut text)
    } else {
        std::io::BufReader::new(file).read_to_string(&mut text)
    };
    read.map_err(|e| format!("cannot read: {e}"))?;
    let base = if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    };
    let base = url::Url::parse(&base).map_err(|e| format!("base_url {base_url:?}: {e}"))?;
    let mut inputs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |e: String| format!("line {}: {line:?}: {e}", i + 1);
        if line.starts_with("http://")
            || line.starts_with("https://")
            || crate::config::is_object_store_url(line)
        {
            let u = url::Url::parse(line).map_err(|e| bad(e.to_string()))?;
            inputs.push(Input::Remote(u.to_string()));
        } else if let Some(rest) = line.strip_prefix("file://") {
            let u = url::Url::parse(line).map_err(|e| bad(e.to_string()))?;
            let p = u
                .to_file_path()
                .map_err(|()| bad(format!("not a local path: {rest}")))?;
            inputs.push(Input::Local(p));
        } else if Path::new(line).is_absolute() {
            inputs.push(Input::Local(PathBuf::from(line)));
        } else {
            let u = base.join(line).map_err(|e| bad(e.to_string()))?;
            inputs.push(Input::Remote(u.to_string()));
        }
    }
    Ok(inputs)
}

/// Content types extraction reads (those the http crawler keeps as pages).
fn readable_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim();
    mime.is_empty()
        || mime.starts_with("text/")
        || mime.contains("html")
        || mime.contains("xml")
        || mime.contains("pdf")
        || mime == "application/octet-stream"
}

/// Reads a record's block: a document's URL, type and body, or why the record is no document. A URL `seen`
/// before in the source is a duplicate, its body not read.
fn read_block(
    src: &WarcSource,
    header: &Header,
    block: &mut dyn BufRead,
    seen: &mut foldhash::HashSet<u64>,
) -> std::io::Result<Scan> {
    // `record_type()` without its lower-cased copy
    let warc_type = header.get("WARC-Type").unwrap_or("");
    let kind = if warc_type.eq_ignore_ascii_case("response") {
        WarcRecordType::Response
    } else if warc_type.eq_ignore_ascii_case("conversion") {
        WarcRecordType::Conversion
    } else if warc_type.eq_ignore_ascii_case("resource") {
        WarcRecordType::Resource
    } else {
        return Ok(Scan::OtherType);
    };
    if !src.record_types.contains(&kind) {
        return Ok(Scan::OtherType);
    }
    let Some(url) = header.target_uri().map(str::to_string) else {
        return Ok(Scan::Skip(format!(
            "a {} record without WARC-Target-URI",
            kind.as_str()
        )));
    };
    if header.content_length > src.max_record_bytes {
        return Ok(Scan::Skip(format!(
            "{url}: the record's block of {} bytes is over max_record_bytes = {}",
            header.content_length, src.max_record_bytes
        )));
    }
    let warc_type = header.get("Content-Type").map(str::to_string);
    let mut head = None;
    let content_type = match kind {
        WarcRecordType::Response => {
            let is_http = warc_type
                .as_deref()
                .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"));
            if !is_http {
                return Ok(Scan::NotDocument);
            }
            let h = match http::read_head(block)? {
                Ok(h) => h,
                Err(why) => return Ok(Scan::Skip(format!("{url}: {why}"))),
            };
            if !h.is_success() {
                return Ok(Scan::NotDocument);
            }
            let t = h
                .get("Content-Type")
                .or(header.get("WARC-Identified-Payload-Type"))
                .map(str::to_string);
            head = Some(h);
            t
        }
        WarcRecordType::Conversion => warc_type.or_else(|| Some("text/plain".into())),
        WarcRecordType::Resource => warc_type,
    };
    if !content_type.as_deref().is_none_or(readable_type) {
        return Ok(Scan::Unreadable);
    }
    // the URL is the document's key: its id's 64 bits stand for it (eight bytes a record, however long the URL)
    if !seen.insert(crate::extract::doc_id_bits(&url)) {
        return Ok(Scan::Duplicate);
    }
    // the block's length is bounded by max_record_bytes, checked above
    let mut body = Vec::with_capacity(header.content_length as usize);
    block.read_to_end(&mut body)?;
    if let Some(h) = head {
        body = match http::decode_body(&h, body, src.max_record_bytes) {
            Ok(b) => b,
            Err(why) => return Ok(Scan::Skip(format!("{url}: {why}"))),
        };
    }
    Ok(Scan::Doc {
        url,
        content_type,
        body,
    })
}

/// Reads one file's records, handing each document and each skipped record to `emit`; `name` is how tables and
/// messages name it. An error means the file could not be read at all; `None` that `emit` stopped the reading.
fn read_file(
    src: &WarcSource,
    name: &str,
    path: &Path,
    seen: &mut foldhash::HashSet<u64>,
    emit: &mut dyn FnMut(Result<RawDoc, Skipped>) -> bool,
) -> Result<Option<Counts>, CrawlError> {
    let io_err = |e: std::io::Error| CrawlError::ReadFile {
        path: PathBuf::from(name),
        message: e.to_string(),
    };
    let mut counts = Counts::default();
    let stopped = std::cell::Cell::new(false);
    // the reader hands each record's block to the first closure and its outcome to the second: the block is read
    // (and checked for duplicates) in the first, the document handed on in the second
    let read = reader::read_records(
        path,
        |_, header, block| {
            if stopped.get() {
                return Err(std::io::Error::other(STOPPED));
            }
            read_block(src, header, block, seen)
        },
        |event| {
            let item = match event {
                Event::Record { pos, header, value } => {
                    counts.records += 1;
                    match value {
                        Scan::Doc {
                            url,
                            content_type,
                            body,
                        } => {
                            counts.documents += 1;
                            Ok(RawDoc {
                                source: src.name.clone(),
                                key: url.clone(),
                                location: record_location(name, pos.offset),
                                url,
                                bytes: body,
                                content_type_hint: content_type,
                                overrides: Overrides::default(),
                                linked_from: None,
                                other_urls: Vec::new(),
                                fallback_date: header.get("WARC-Date").map(|d| FallbackDate {
                                    value: d.to_string(),
                                    from: "warc-date",
                                }),
                                found_by: None,
                                warc: Some(WarcRecordRef {
                                    file: name.to_string(),
                                    offset: pos.offset,
                                }),
                            })
                        }
                        Scan::OtherType => {
                            counts.other_types += 1;
                            return;
                        }
                        Scan::NotDocument => {
                            counts.not_documents += 1;
                            return;
                        }
                        Scan::Unreadable => {
                            counts.unreadable += 1;
                            return;
                        }
                        Scan::Duplicate => {
                            counts.duplicates += 1;
                            return;
                        }
                        Scan::Skip(reason) => {
                            counts.skipped += 1;
                            // the intake logs every skip it is handed
                            let location = record_location(name, pos.offset);
                            Err(Skipped {
                                stage: SkipStage::Crawl,
                                location,
                                reason,
                            })
                        }
                    }
                }
                Event::Corrupt { pos, reason } => {
                    counts.skipped += 1;
                    let location = record_location(name, pos.offset);
                    let reason = format!(
                        "damaged WARC record at byte offset {}: {reason}",
                        pos.offset
                    );
                    Err(Skipped {
                        stage: SkipStage::Crawl,
                        location,
                        reason,
                    })
                }
            };
            if !stopped.get() && !emit(item) {
                stopped.set(true);
            }
        },
    );
    match read {
        _ if stopped.get() => Ok(None),
        Ok(()) => Ok(Some(counts)),
        Err(e) => Err(io_err(e)),
    }
}

/// Whether a file starts like a WARC file (plain, after any line ends) or a gzip file.
fn looks_like_warc(path: &Path) -> std::io::Result<bool> {
    if reader::is_gzip(path)? {
        return Ok(true);
    }
    let mut head = Vec::new();
    std::fs::File::open(path)?.take(64).read_to_end(&mut head)?;
    let start = head
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(head.len());
    Ok(head[start..].starts_with(b"WARC/") || head.is_empty())
}

#[cfg(test)]
#[path = "reader_fast_tests.rs"]
mod reader_fast_tests;
#[cfg(test)]
mod tests;
