//! Polite requests to web APIs and feeds (OpenAlex, an archive's CDX index, RSS and Atom): the documents a
//! source fetches are found here, then fetched through the crawler as [`super::Lead`]s.
//!
//! A request waits its turn on the host in the crawl's shared gate (one request at a time per host, the source's
//! delay between answers, across every source of the run), is retried on 408, 429, 5xx and network errors
//! (honouring `Retry-After`), counts against the source's per-run budget, and lands in the `crawl_log` as a URL of
//! kind `api`. Every answer is cached in the crawl folder (the body in the body cache, its validators beside it),
//! so a re-run asks conditionally (`If-None-Match`, `If-Modified-Since`) and a source whose budget is spent still
//! has the answers of earlier runs. Every answer is written into the crawl's WARC files when they are kept
//! ([`super::warcout`]). robots.txt is not consulted for an API, which is meant to be called; the pages
//! an API lists are fetched through the crawler, which honours it.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::Client;
use serde::{Deserialize, Serialize};
use url::Url;

use super::fetch::{self, Conditional, Limits};
use super::links::origin_key;
use super::{content_hash, CrawlError, Web};
use crate::config::HttpSource;
use crate::records::{CrawlLogRow, NetworkFailure, UrlKind, UrlOutcome};

/// Most redirects followed from one API URL.
const MAX_API_REDIRECTS: usize = 5;

/// Why an API request gave nothing; each names the URL.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{url}: the request budget of this source ({budget}) is spent and no earlier answer is cached")]
    Budget { url: String, budget: u32 },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: {reason}")]
    Failed { url: String, reason: String },
}

/// An API answer.
#[derive(Debug, Clone)]
pub struct ApiAnswer {
    /// The body.
    pub bytes: Vec<u8>,
    /// The answer came over the network in this run (`false`: a 304, or the cached answer of an earlier run
    /// because the budget is spent).
    pub fresh: bool,
    /// The `Content-Type` of the answer, when known.
    pub content_type: Option<String>,
}

/// What is kept of an answer beside its body in the cache.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
    content_hash: String,
    fetched_at: String,
}

/// Requests of one source to APIs and feeds.
pub struct ApiClient<'w> {
    web: &'w Web,
    source: String,
    client: Client,
    limits: Limits,
    delay: Duration,
    gate_id: usize,
    budget: u32,
    spent: Cell<u32>,
    dir: PathBuf,
    log: RefCell<Vec<CrawlLogRow>>,
}

impl<'w> ApiClient<'w> {
    /// A client with `settings`' User-Agent, timeouts, retries, delay and size caps, and at most `budget`
    /// requests over the network in this run.
    pub fn new(
        web: &'w Web,
        settings: &HttpSource,
        budget: u32,
    ) -> Result<ApiClient<'w>, CrawlError> {
        let client = fetch::client(settings).map_err(|e| CrawlError::Client {
            name: settings.name.clone(),
            message: e.to_string(),
        })?;
        let mut limits = Limits::of(settings);
        limits.accept_json = true;
        limits.record = web.warc.is_some();
        let gate_id = web.gate.borrow_mut().register();
        Ok(ApiClient {
            web,
            source: settings.name.clone(),
            client,
            limits,
            delay: Duration::from_millis(settings.delay_ms),
            gate_id,
            budget,
            spent: Cell::new(0),
            dir: web.crawl_dir.join("api"),
            log: RefCell::new(Vec::new()),
        })
    }

    /// Requests made over the network so far.
    pub fn spent(&self) -> u32 {
        self.spent.get()
    }

    /// The `crawl_log` rows of the requests made so far.
    pub fn take_log(&self) -> Vec<CrawlLogRow> {
        std::mem::take(&mut self.log.borrow_mut())
    }

    fn stored_path(&self, url: &str) -> PathBuf {
        self.dir
            .join(format!("{}.json", &content_hash(url.as_bytes())[..32]))
    }

    fn stored(&self, url: &str) -> Option<(Stored, Vec<u8>)> {
        let text = std::fs::read_to_string(self.stored_path(url)).ok()?;
        let s: Stored = serde_json::from_str(&text).ok()?;
        if s.url != url {
            return None;
        }
        let bytes = self.web.cache.get(&s.content_hash)?;
        Some((s, bytes))
    }

    fn store(&self, s: &Stored) {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&self.dir)?;
            let text = serde_json::to_string(s).map_err(std::io::Error::other)?;
            crate::fsutil::write_atomic(&self.stored_path(&s.url), text.as_bytes())
        };
        if let Err(e) = write() {
            tracing::warn!("{}: the answer could not be cached: {e}", s.url);
        }
    }

    /// Waits until this client may ask `origin`, and takes it; or, when the host is found unreachable in the
    /// meantime, gives up waiting with the reason.
    async fn turn(&self, origin: &str) -> Result<(), String> {
        loop {
            let claimed = {
                let mut gate = self.web.gate.borrow_mut();
                if let Some(reason) = gate.dead(origin) {
                    return Err(reason.to_string());
                }
                gate.claim(origin, self.gate_id, Instant::now())
            };
            match claimed {
                Ok(()) => return Ok(()),
                Err(at) => tokio::time::sleep_until(at.into()).await,
            }
        }
    }

    /// GETs `url`: conditionally when an earlier answer is cached; from the cache when the budget is spent.
    pub async fn get(&self, url: &str) -> Result<ApiAnswer, ApiError> {
        let mut url = url.to_string();
        for _ in 0..=MAX_API_REDIRECTS {
            match self.get_once(&url).await? {
                Step::Answer(a) => return Ok(a),
                Step::Redirect(next) => url = next,
            }
        }
        Err(ApiError::Failed {
            url,
            reason: format!("more than {MAX_API_REDIRECTS} redirects"),
        })
    }

    async fn get_once(&self, url: &str) -> Result<Step, ApiError> {
        let failed = |reason: String| ApiError::Failed {
            url: url.to_string(),
            reason,
        };
        let parsed = Url::parse(url).map_err(|e| failed(format!("not a URL: {e}")))?;
        let origin = origin_key(&parsed);
        let cached = self.stored(url);
        if self.spent.get() >= self.budget {
            return match cached {
                Some((s, bytes)) => {
                    tracing::debug!(
                        "{url}: budget spent; the answer of {} is used",
                        s.fetched_at
                    );
                    Ok(Step::Answer(ApiAnswer {
                        bytes,
                        fresh: false,
                        content_type: s.content_type,
                    }))
                }
                None => Err(ApiError::Budget {
                    url: url.to_string(),
                    budget: self.budget,
                }),
            };
        }
        let cond = cached
            .as_ref()
            .map(|(s, _)| Conditional {
                etag: s.etag.clone(),
                last_modified: s.last_modified.clone(),
            })
            .unwrap_or_default();
        if let Err(reason) = self.turn(&origin).await {
            // the host did not answer earlier in this run: not asked again
            let mut row = self.log_row(url, &origin);
            row.outcome = UrlOutcome::Unreachable;
            row.error = Some(reason.clone());
            self.log.borrow_mut().push(row);
            return Err(failed(reason));
        }
        self.spent.set(self.spent.get() + 1);
        let mut fetched = fetch::fetch(&self.client, url, &cond, &self.limits, self.delay).await;
        self.web
            .gate
            .borrow_mut()
            .release(&origin, self.gate_id, Instant::now() + self.delay);
        if let Some(w) = &self.web.warc {
            let (back, records) =
                // (the API's own cache keeps no record of earlier WARC records: a revisit names the target only)
                super::warcout::prepare_off_thread(fetched, self.source.as_str().into(), None)
                    .await;
            fetched = back;
            if let Some(p) = records {
                w.borrow_mut().append(&p);
            }
        }
        let mut row = self.log_row(url, &origin);
        row.elapsed_ms = Some(fetched.elapsed.as_millis() as u64);
        row.attempts = fetched.attempts;
        let result = match fetched.answer {
            fetch::Answer::Body {
                status,
                content_type,
                etag,
                last_modified,
                bytes,
            } => {
                row.outcome = UrlOutcome::Fetched;
                row.http_status = Some(status);
                row.content_type.clone_from(&content_type);
                row.bytes = Some(bytes.len() as u64);
                match self.web.cache.put(&bytes) {
                    Ok(hash) => {
                        row.content_hash = Some(hash.clone());
                        self.store(&Stored {
                            url: url.to_string(),
                            etag,
                            last_modified,
                            content_type: content_type.clone(),
                            content_hash: hash,
                            fetched_at: row.fetched_at.clone().unwrap_or_default(),
                        });
                    }
                    Err(e) => tracing::warn!("{url}: the answer could not be cached: {e}"),
                }
                Ok(Step::Answer(ApiAnswer {
                    bytes,
                    fresh: true,
                    content_type,
                }))
            }
            fetch::Answer::NotModified { .. } => match cached {
                Some((s, bytes)) => {
                    row.outcome = UrlOutcome::NotModified;
                    row.http_status = Some(304);
                    row.content_hash = Some(s.content_hash.clone());
                    Ok(Step::Answer(ApiAnswer {
                        bytes,
                        fresh: false,
                        content_type: s.content_type,
                    }))
                }
                None => Err(failed(
                    "304 Not Modified for a request without validators".into(),
                )),
            },
            fetch::Answer::Redirect { status, location } => {
                row.outcome = UrlOutcome::Redirect;
                row.http_status = Some(status);
                match parsed.join(&location) {
                    Ok(next) => {
                        row.final_url = Some(next.to_string());
                        Ok(Step::Redirect(next.to_string()))
                    }
                    Err(_) => Err(failed(format!(
                        "redirect to an unusable Location {location:?}"
                    ))),
                }
            }
            fetch::Answer::Status { status, .. } => {
                row.http_status = Some(status);
                Err(ApiError::Status {
                    url: url.to_string(),
                    status,
                })
            }
            fetch::Answer::Refused { status, reason } => {
                row.outcome = UrlOutcome::Refused;
                row.http_status = Some(status);
                Err(failed(reason))
            }
            fetch::Answer::Failed { reason, kind } => {
                if matches!(
                    kind,
                    NetworkFailure::Dns | NetworkFailure::Refused | NetworkFailure::Tls
                ) {
                    self.web.gate.borrow_mut().mark_dead(&row.host, &reason);
                }
                // the row names the URL already: its error starts with the failure's kind (`dns: ...`)
                row.error = Some(reason.clone());
                Err(failed(reason))
            }
        };
        if let (Err(e), None) = (&result, &row.error) {
            row.error = Some(e.to_string());
        }
        self.log.borrow_mut().push(row);
        result
    }
}

impl ApiClient<'_> {
    /// A `crawl_log` row of this client for `url`, failed until the answer says otherwise.
    fn log_row(&self, url: &str, origin: &str) -> CrawlLogRow {
        CrawlLogRow {
            source: self.source.clone(),
            url: url.to_string(),
            host: origin.to_string(),
            kind: UrlKind::Api,
            depth: 0,
            linked_from: None,
            outcome: UrlOutcome::Failed,
            http_status: None,
            content_type: None,
            bytes: None,
            content_hash: None,
            fetched_at: Some(super::state::now()),
            elapsed_ms: None,
            attempts: 0,
            error: None,
            final_url: None,
        }
    }
}

enum Step {
    Answer(ApiAnswer),
    Redirect(String),
}
