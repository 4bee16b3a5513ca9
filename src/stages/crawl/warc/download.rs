//! Remote WARC and WET files, downloaded politely into the crawl folder before they are read: one request at a
//! time with `delay_ms` after each, a read timeout rather than a total one (a Common Crawl file is about 1 GB),
//! retries with a doubling backoff on 408, 429, 5xx and network errors, and a download cut short resumed where it
//! stopped with an HTTP `Range` request. A file is kept under a name made of the SHA-256 of its URL (never of
//! the URL's text), written as `.part` until complete, and never fetched again once complete.
//!
//! Files on object storage (`s3://bucket/key`, `gs://…`, `az://…`: Common Crawl's own bucket is
//! `s3://commoncrawl/`) are read through `object_store` with the store's credentials from the environment, the
//! same way: a ranged GET resumes a cut download, and the same retries, backoff and pause apply on top of the
//! store client's own.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_RANGE, RANGE};
use reqwest::{Client, StatusCode};

use crate::config::WarcSource;

/// Longest `Retry-After` honoured; a longer one is waited this long.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// How one request ended.
enum Attempt {
    /// The whole file is in the `.part` file.
    Complete,
    /// Worth another request; `progressed` when bytes were added; `wait` what `Retry-After` asked for.
    Retry {
        reason: String,
        progressed: bool,
        wait: Option<Duration>,
    },
    /// Not worth another request.
    Fatal(String),
}

/// Downloads the remote files of one source, one after the other.
pub struct Downloader {
    rt: tokio::runtime::Runtime,
    client: Client,
    dir: PathBuf,
    delay: Duration,
    retry_base: Duration,
    max_retries: u32,
    /// When the last request ended.
    last: Option<Instant>,
}

/// The folder of `crawl_dir` where remote WARC files are kept.
pub fn download_dir(crawl_dir: &Path) -> PathBuf {
    crawl_dir.join("warc")
}

/// Where the complete download of `url` is kept.
pub fn local_path(crawl_dir: &Path, url: &str) -> PathBuf {
    let ext = if url.split(['?', '#']).next().unwrap_or("").ends_with(".gz") {
        "warc.gz"
    } else {
        "warc"
    };
    download_dir(crawl_dir).join(format!(
        "{}.{ext}",
        crate::crawl::content_hash(url.as_bytes())
    ))
}

impl Downloader {
    pub fn new(src: &WarcSource, crawl_dir: &Path) -> Result<Downloader, String> {
        let timeout = Duration::from_millis(src.timeout_ms);
        let client = Client::builder()
            .user_agent(src.user_agent.clone())
            .connect_timeout(timeout)
            .read_timeout(timeout)
            // a .warc.gz served with Content-Encoding: gzip must stay compressed, record by record
            .no_gzip()
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the downloader: {e}"))?;
        Ok(Downloader {
            rt,
            client,
            dir: crawl_dir.to_path_buf(),
            delay: Duration::from_millis(src.delay_ms),
            retry_base: Duration::from_millis(src.retry_base_ms),
            max_retries: src.max_retries,
            last: None,
        })
    }

    /// The local copy of `url`, downloaded unless a complete copy is there.
    pub fn fetch(&mut self, url: &str) -> Result<PathBuf, String> {
        let done = local_path(&self.dir, url);
        if done.is_file() {
            tracing::info!("{url}: already downloaded ({})", done.display());
            return Ok(done);
        }
        std::fs::create_dir_all(download_dir(&self.dir))
            .map_err(|e| format!("cannot create {}: {e}", download_dir(&self.dir).display()))?;
        let mut part = done.clone().into_os_string();
        part.push(".part");
        let part = PathBuf::from(part);
        let mut failures = 0u32;
        tracing::info!("{url}: downloading into {}", done.display());
        loop {
            if let Some(last) = self.last {
                std::thread::sleep((last + self.delay).saturating_duration_since(Instant::now()));
            }
            let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
            let started = Instant::now();
            let attempt = if crate::config::is_object_store_url(url) {
                self.rt.block_on(attempt_object(url, &part, have))
            } else {
                self.rt.block_on(self.attempt(url, &part, have))
            };
            self.last = Some(Instant::now());
            match attempt {
                Attempt::Complete => {
                    std::fs::rename(&part, &done).map_err(|e| {
                        format!(
                            "cannot rename {} to {}: {e}",
                            part.display(),
                            done.display()
                        )
                    })?;
                    let bytes = std::fs::metadata(&done).map(|m| m.len()).unwrap_or(0);
                    tracing::info!(
                        "{url}: downloaded {bytes} bytes in {:.1} s{}",
                        started.elapsed().as_secs_f64(),
                        if have > 0 {
                            format!(" (resumed at byte {have})")
                        } else {
                            String::new()
                        }
                    );
                    return Ok(done);
                }
                Attempt::Fatal(reason) => return Err(reason),
                Attempt::Retry {
                    reason,
                    progressed,
                    wait,
                } => {
                    if progressed {
                        failures = 0;
                    }
                    failures += 1;
                    if failures > self.max_retries {
                        return Err(format!(
                            "{reason} (gave up after {failures} failed requests in a row)"
                        ));
                    }
                    let backoff = self.retry_base.saturating_mul(1 << (failures - 1).min(16));
                    let wait = backoff.max(wait.unwrap_or_default().min(MAX_RETRY_AFTER));
                    tracing::warn!(
                        "{url}: {reason}; retrying in {:.1} s{}",
                        wait.as_secs_f64(),
                        if progressed {
                            " from where it stopped"
                        } else {
                            ""
                        }
                    );
                    std::thread::sleep(wait);
                }
            }
        }
    }

    /// One request for the rest of `url`, appended to `part` (which holds `have` bytes).
    async fn attempt(&self, url: &str, part: &Path, have: u64) -> Attempt {
        let mut req = self.client.get(url);
        if have > 0 {
            req = req.header(RANGE, format!("bytes={have}-"));
        }
        let mut resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Retry {
                    reason: format!("request failed: {}", error_chain(&e)),
                    progressed: false,
                    wait: None,
                }
            }
        };
        let status = resp.status();
        let content_range = resp
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (start, total) = match status {
            StatusCode::OK => (0, resp.content_length()),
            StatusCode::PARTIAL_CONTENT => match content_range.as_deref().and_then(parse_range) {
                Some((start, _, total)) if start == have => (have, total),
                _ => {
                    // not the range asked for: start over
                    let _ = std::fs::remove_file(part);
                    return Attempt::Retry {
                        reason: format!(
                            "answered 206 with Content-Range {content_range:?} for bytes={have}-"
                        ),
                        progressed: false,
                        wait: None,
                    };
                }
            },
            StatusCode::RANGE_NOT_SATISFIABLE => {
                let total = content_range
                    .as_deref()
                    .and_then(|r| r.strip_prefix("bytes */"))
                    .and_then(|t| t.trim().parse::<u64>().ok());
                if total == Some(have) {
                    return Attempt::Complete;
                }
                let _ = std::fs::remove_file(part);
                return Attempt::Retry {
                    reason: format!("answered 416 to bytes={have}-"),
                    progressed: false,
                    wait: None,
                };
            }
            s if s == StatusCode::REQUEST_TIMEOUT
                || s == StatusCode::TOO_MANY_REQUESTS
                || s.is_server_error() =>
            {
                return Attempt::Retry {
                    reason: format!("HTTP {}", s.as_u16()),
                    progressed: false,
                    wait: super::super::fetch::retry_after(resp.headers()),
                }
            }
            s => return Attempt::Fatal(format!("HTTP {}", s.as_u16())),
        };
        let mut file = match open_part(part, start) {
            Ok(f) => f,
            Err(a) => return a,
        };
        let mut got = 0u64;
        let cut = loop {
            match resp.chunk().await {
                Ok(Some(bytes)) => {
                    if let Err(e) = file.write_all(&bytes) {
                        return Attempt::Fatal(format!("cannot write {}: {e}", part.display()));
                    }
                    got += bytes.len() as u64;
                }
                Ok(None) => break None,
                Err(e) => break Some(error_chain(&e)),
            }
        };
        if let Err(e) = file.flush() {
            return Attempt::Fatal(format!("cannot write {}: {e}", part.display()));
        }
        ended(start, got, cut, total)
    }
}

/// Where a download starts writing: a new `part` file from byte 0, else appending to the `have` bytes there.
fn open_part(part: &Path, start: u64) -> Result<std::io::BufWriter<std::fs::File>, Attempt> {
    let file = if start == 0 {
        std::fs::File::create(part)
    } else {
        std::fs::OpenOptions::new().append(true).open(part)
    };
    file.map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| Attempt::Fatal(format!("cannot write {}: {e}", part.display())))
}

/// How a download that wrote `got` bytes from byte `start` ended: `cut` short with a reason, or at its end,
/// which must be byte `total` when that is known.
fn ended(start: u64, got: u64, cut: Option<String>, total: Option<u64>) -> Attempt {
    let now = start + got;
    let progressed = got > 0;
    if let Some(reason) = cut {
        return Attempt::Retry {
            reason: format!("the download broke off at byte {now}: {reason}"),
            progressed,
            wait: None,
        };
    }
    match total {
        Some(t) if now != t => Attempt::Retry {
            reason: format!("the download ended at byte {now} of {t}"),
            progressed,
            wait: None,
        },
        _ => Attempt::Complete,
    }
}

/// One request for the rest of the object at `url`, appended to `part` (which holds `have` bytes).
#[cfg(feature = "tables")]
async fn attempt_object(url: &str, part: &Path, have: u64) -> Attempt {
    use futures_util::StreamExt;
    use object_store::{GetOptions, GetRange, ObjectStoreExt};
    let (store, key) = match crate::remote::store_for(url) {
        Ok(s) => s,
        Err(e) => return Attempt::Fatal(e.to_string()),
    };
    if have > 0 {
        // a complete `.part` (the rename did not happen) or an object replaced by a shorter one
        match store.head(&key).await {
            Ok(meta) if meta.size == have => return Attempt::Complete,
            Ok(meta) if meta.size < have => {
                let _ = std::fs::remove_file(part);
                return Attempt::Retry {
                    reason: format!(
                        "the object has {} bytes, fewer than the {have} downloaded: starting over",
                        meta.size
                    ),
                    progressed: false,
                    wait: None,
                };
            }
            Ok(_) => {}
            Err(e) => return object_error(e),
        }
    }
    let options = GetOptions {
        range: (have > 0).then_some(GetRange::Offset(have)),
        ..GetOptions::default()
    };
    let got = match store.get_opts(&key, options).await {
        Ok(r) => r,
        Err(e) => return object_error(e),
    };
    let (start, total) = (got.range.start, got.meta.size);
    if start != have {
        let _ = std::fs::remove_file(part);
        return Attempt::Retry {
            reason: format!("asked for the bytes from {have}, given those from {start}"),
            progressed: false,
            wait: None,
        };
    }
    let mut file = match open_part(part, start) {
        Ok(f) => f,
        Err(a) => return a,
    };
    let mut stream = got.into_stream();
    let mut written = 0u64;
    let cut = loop {
        match stream.next().await {
            Some(Ok(bytes)) => {
                if let Err(e) = file.write_all(&bytes) {
                    return Attempt::Fatal(format!("cannot write {}: {e}", part.display()));
                }
                written += bytes.len() as u64;
            }
            Some(Err(e)) => break Some(e.to_string()),
            None => break None,
        }
    };
    if let Err(e) = file.flush() {
        return Attempt::Fatal(format!("cannot write {}: {e}", part.display()));
    }
    ended(start, written, cut, Some(total))
}

/// Without the `tables` feature there is no object store client.
#[cfg(not(feature = "tables"))]
async fn attempt_object(_url: &str, _part: &Path, _have: u64) -> Attempt {
    Attempt::Fatal("reading object storage needs uptake built with its `tables` feature".into())
}

/// What an object store's error means for the download: a missing object or refused credentials are final;
/// anything else (the store client has retried it already) is worth another request.
#[cfg(feature = "tables")]
fn object_error(e: object_store::Error) -> Attempt {
    use object_store::Error as E;
    match e {
        E::NotFound { .. } => Attempt::Fatal("no such object".into()),
        E::PermissionDenied { .. }
        | E::Unauthenticated { .. }
        | E::InvalidPath { .. }
        | E::NotSupported { .. }
        | E::NotImplemented { .. }
        | E::UnknownConfigurationKey { .. } => Attempt::Fatal(error_chain(&e)),
        other => Attempt::Retry {
            reason: error_chain(&other),
            progressed: false,
            wait: None,
        },
    }
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`).
fn parse_range(v: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (a, b) = span.split_once('-')?;
    Some((
        a.trim().parse().ok()?,
        b.trim().parse().ok()?,
        total.trim().parse().ok(),
    ))
}

/// An error with its causes, for messages (reqwest's own message is often only "error decoding response body").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            parse_range("bytes 100-199/200"),
            Some((100, 199, Some(200)))
        );
        assert_eq!(parse_range("bytes 0-9/*"), Some((0, 9, None)));
        assert_eq!(parse_range("items 0-9/10"), None);
    }

    #[test]
    fn local_names_come_from_the_url_hash_only() {
        let dir = Path::new("/c");
        let a = local_path(dir, "https://h.example/crawl-data/../../etc/x.warc.gz");
        assert_eq!(a.parent().unwrap(), Path::new("/c/warc"));
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(name.ends_with(".warc.gz") && !name.contains(".."), "{name}");
        assert!(local_path(dir, "https://h.example/x.warc")
            .to_str()
            .unwrap()
            .ends_with(".warc"));
    }
}
