//! Crawl: reads the configured sources into raw document bodies. A `dir` source is walked on disk; an `http`
//! source is crawled politely and resumably (robots.txt, per-host delay, retries, a SQLite state and a
//! content-addressed body cache, conditional GET on re-runs). Nothing here extracts text.

mod dir;
mod fetch;
pub(crate) mod links;
pub(crate) mod robots;
mod state;
mod web;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub use dir::{content_type_for, file_url, DIR_EXTENSIONS};
pub use state::content_hash;

use crate::config::{HttpSource, SourceConfig};
use crate::records::{
    CrawlLogRow, FallbackDate, NetworkFailure, Overrides, RawDoc, SkipStage, Skipped, UrlKind,
    UrlOutcome,
};
use state::{BodyCache, Row, State};

/// Errors of the crawl stage; each names the path or URL.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("source folder {path} does not exist or is not a folder")]
    MissingDir { path: PathBuf },
    #[error("{path}: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("crawl state {path}: {message}")]
    State { path: PathBuf, message: String },
    #[error("body cache {path}: {message}")]
    Cache { path: PathBuf, message: String },
    #[error("source {name:?}: cannot build an HTTP client: {message}")]
    Client { name: String, message: String },
    #[error(
        "{url}: the cached body is missing or damaged; it will be fetched again on the next run"
    )]
    CachedBody { url: String },
    #[error("cannot start the crawler: {message}")]
    Runtime { message: String },
    #[error("{path}: cannot read: {message}")]
    ReadFile { path: PathBuf, message: String },
}

/// A document whose body is read only when extraction reaches it, so memory does not grow with the size of the
/// crawl: from the body cache (fetched over HTTP) or from its file (folder sources).
#[derive(Debug)]
pub struct CachedDoc {
    meta: RawDoc,
    body: Body,
}

/// Where a [`CachedDoc`]'s body is.
#[derive(Debug)]
enum Body {
    Cache { hash: String, cache: BodyCache },
    File(PathBuf),
}

impl CachedDoc {
    /// A document of a folder source, read from `path` when loaded.
    fn file(meta: RawDoc, path: PathBuf) -> CachedDoc {
        CachedDoc {
            meta,
            body: Body::File(path),
        }
    }

    /// The URL, for messages.
    pub fn location(&self) -> &str {
        &self.meta.location
    }

    /// The document's URL and the other URLs with the same content.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.meta.url.as_str())
            .chain(self.meta.other_urls.iter().map(String::as_str))
    }

    /// Reads the body. From the cache, its hash is checked and a damaged copy removed, so the next run fetches
    /// the URL without validators.
    pub fn load(self) -> Result<RawDoc, CrawlError> {
        let bytes = match &self.body {
            Body::Cache { hash, cache } => match cache.get(hash) {
                Some(b) => b,
                None => {
                    cache.remove(hash);
                    return Err(CrawlError::CachedBody {
                        url: self.meta.url.clone(),
                    });
                }
            },
            Body::File(path) => std::fs::read(path).map_err(|e| CrawlError::ReadFile {
                path: path.clone(),
                message: e.to_string(),
            })?,
        };
        Ok(RawDoc { bytes, ..self.meta })
    }
}

/// What happened on one host, for the closing summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostSummary {
    pub source: String,
    pub host: String,
    pub fetched: usize,
    pub not_modified: usize,
    pub sitemaps: usize,
    pub redirects: usize,
    pub disallowed: usize,
    pub failed: usize,
    pub refused: usize,
    pub not_fetched: usize,
    /// URLs not asked because the host could not be reached (its robots.txt: a network failure, or 5xx).
    pub unreachable: usize,
    /// Why the host could not be reached: the kind, and the reason as the crawl log has it (`dns: …`).
    pub unreachable_reason: Option<(NetworkFailure, String)>,
    /// What robots.txt said.
    pub robots: Option<String>,
    /// Failure reasons with their counts, most frequent first.
    pub reasons: Vec<(String, usize)>,
}

/// What a crawl produced.
#[derive(Debug, Default)]
pub struct CrawlOutcome {
    /// Documents of folders, each read when extraction reaches it.
    pub docs: Vec<CachedDoc>,
    /// Documents fetched over HTTP, bodies in the cache.
    pub cached: Vec<CachedDoc>,
    pub skipped: Vec<Skipped>,
    /// Every URL an http crawl finished in this run.
    pub log: Vec<CrawlLogRow>,
    pub hosts: Vec<HostSummary>,
}

/// Reads every configured source; `crawl_dir` holds the state and cache of http sources. A source that cannot
/// be read at all is reported as skipped and the others go on.
pub fn crawl(sources: &[SourceConfig], crawl_dir: &Path) -> CrawlOutcome {
    let mut out = CrawlOutcome::default();
    let mut web: Option<(State, tokio::runtime::Runtime)> = None;
    for source in sources {
        let result = match source {
            SourceConfig::Dir(d) => {
                dir::read_dir_source(d, &mut out).map_err(|e| (d.path.display().to_string(), e))
            }
            SourceConfig::Http(h) => {
                if web.is_none() {
                    match open_web(crawl_dir) {
                        Ok(w) => web = Some(w),
                        Err(e) => {
                            skip_source(&mut out, &h.seeds.join(" "), &e);
                            continue;
                        }
                    }
                }
                let (state, rt) = web.as_mut().expect("opened above");
                crawl_http(h, state, rt, crawl_dir, &mut out).map_err(|e| (h.seeds.join(" "), e))
            }
        };
        if let Err((location, e)) = result {
            skip_source(&mut out, &location, &e);
        }
    }
    out
}

fn skip_source(out: &mut CrawlOutcome, location: &str, e: &CrawlError) {
    tracing::error!("{e}");
    out.skipped.push(Skipped {
        stage: SkipStage::Crawl,
        location: location.to_string(),
        reason: e.to_string(),
    });
}

fn open_web(crawl_dir: &Path) -> Result<(State, tokio::runtime::Runtime), CrawlError> {
    let state = State::open(crawl_dir)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CrawlError::Runtime {
            message: e.to_string(),
        })?;
    Ok((state, rt))
}

fn spinner() -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

fn crawl_http(
    src: &HttpSource,
    state: &mut State,
    rt: &tokio::runtime::Runtime,
    crawl_dir: &Path,
    out: &mut CrawlOutcome,
) -> Result<(), CrawlError> {
    let cache = BodyCache::new(crawl_dir);
    let client = fetch::client(src).map_err(|e| CrawlError::Client {
        name: src.name.clone(),
        message: e.to_string(),
    })?;
    let (run, resumed) = state.begin_run(&src.name)?;
    let started = std::time::Instant::now();
    let mut crawler = web::Crawler::new(src, run, resumed, state, spinner())?;
    crawler.warned_unreachable = out.hosts.iter().any(|h| h.unreachable_reason.is_some());
    rt.block_on(crawler.run(state, &cache, &client))?;
    state.finish_run(run)?;
    let rows = state.rows_of_run(&src.name, run)?;
    let notes: HashMap<String, String> = crawler
        .robots_notes
        .iter()
        .map(|n| (n.origin.clone(), n.note.clone()))
        .collect();
    let log: Vec<CrawlLogRow> = rows.iter().map(|r| log_row(&src.name, r)).collect();
    let hosts = summarise(&src.name, &log, &notes);
    let docs = documents(src, &rows, &cache);
    tracing::info!(
        "source {:?}: {} documents from {} URLs in {:.3} s",
        src.name,
        docs.len(),
        log.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(reason) = nothing_fetched(&log, &hosts, docs.is_empty()) {
        // Hosts not reached were warned of already (the first of them): the closing summary lists the skip.
        if hosts.iter().any(|h| h.unreachable_reason.is_some()) {
            tracing::info!("source {:?}: {reason}", src.name);
        } else {
            tracing::warn!("source {:?}: {reason}", src.name);
        }
        out.skipped.push(Skipped {
            stage: SkipStage::Crawl,
            location: format!("source {:?}", src.name),
            reason,
        });
    }
    for r in &log {
        if r.kind == UrlKind::Page && r.outcome.is_failure() {
            out.skipped.push(Skipped {
                stage: SkipStage::Crawl,
                location: r.url.clone(),
                reason: r.error.clone().unwrap_or_else(|| r.outcome.to_string()),
            });
        }
    }
    out.cached.extend(docs);
    out.log.extend(log);
    out.hosts.extend(hosts);
    Ok(())
}

fn log_row(source: &str, r: &Row) -> CrawlLogRow {
    let a = &r.answer;
    CrawlLogRow {
        source: source.to_string(),
        url: r.queued.url.clone(),
        host: url::Url::parse(&r.queued.url)
            .map(|u| links::origin_key(&u))
            .unwrap_or_default(),
        kind: r.queued.kind,
        depth: r.queued.depth,
        linked_from: r.queued.linked_from.clone(),
        outcome: a.outcome,
        http_status: a.http_status,
        content_type: a.content_type.clone(),
        bytes: a.bytes,
        content_hash: a.content_hash.clone(),
        fetched_at: r.fetched_at.clone(),
        elapsed_ms: a.elapsed_ms,
        attempts: a.attempts,
        error: a.error.clone(),
        final_url: a.final_url.clone(),
    }
}

/// Why a source counts as skipped: it gave no document and every seed was unreachable or failed (a seed that
/// robots.txt disallows, or that redirected out of scope, is the site's answer, not a failure). `None` when it
/// gave a document or a seed was answered.
fn nothing_fetched(log: &[CrawlLogRow], hosts: &[HostSummary], no_docs: bool) -> Option<String> {
    let seeds: Vec<&CrawlLogRow> = log
        .iter()
        .filter(|r| r.depth == 0 && r.kind == UrlKind::Page && r.linked_from.is_none())
        .collect();
    let failed = |r: &&CrawlLogRow| {
        r.outcome.is_failure()
            || matches!(r.outcome, UrlOutcome::Unreachable | UrlOutcome::NotFetched)
    };
    if !no_docs || seeds.is_empty() || !seeds.iter().all(failed) {
        return None;
    }
    let unreached: Vec<&HostSummary> = hosts
        .iter()
        .filter(|h| h.unreachable_reason.is_some())
        .collect();
    let mut reason = format!(
        "nothing fetched: {} seed(s) unreachable or failed",
        seeds.len()
    );
    if let Some((_, why)) = unreached
        .first()
        .and_then(|h| h.unreachable_reason.as_ref())
    {
        let names: Vec<&str> = unreached.iter().take(5).map(|h| h.host.as_str()).collect();
        reason = format!(
            "{reason}; {} host(s) not reached ({why}): {}{}",
            unreached.len(),
            names.join(", "),
            if unreached.len() > 5 { ", …" } else { "" }
        );
    } else if let Some(why) = seeds.iter().find_map(|r| r.error.as_deref()) {
        reason = format!("{reason} ({why})");
    }
    Some(reason)
}

/// Whether no host of any http source answered: there were hosts to ask, and every one was unreachable by a
/// network failure (no answer at all, not even a 5xx). A machine without network looks like this.
pub fn no_host_answered(hosts: &[HostSummary]) -> bool {
    !hosts.is_empty()
        && hosts.iter().all(|h| {
            h.unreachable_reason
                .as_ref()
                .is_some_and(|(kind, _)| kind.is_network())
        })
}

/// Counts per host, in the order hosts were first met.
fn summarise(
    source: &str,
    log: &[CrawlLogRow],
    notes: &HashMap<String, String>,
) -> Vec<HostSummary> {
    let mut order: Vec<String> = Vec::new();
    let mut by_host: HashMap<String, (HostSummary, BTreeMap<String, usize>)> = HashMap::new();
    for r in log {
        let (h, reasons) = by_host.entry(r.host.clone()).or_insert_with(|| {
            order.push(r.host.clone());
            let s = HostSummary {
                source: source.to_string(),
                host: r.host.clone(),
                robots: notes.get(&r.host).cloned(),
                ..HostSummary::default()
            };
            (s, BTreeMap::new())
        });
        match r.outcome {
            UrlOutcome::Fetched => h.fetched += 1,
            UrlOutcome::NotModified => h.not_modified += 1,
            UrlOutcome::Sitemap => h.sitemaps += 1,
            UrlOutcome::Redirect => h.redirects += 1,
            UrlOutcome::Disallowed => h.disallowed += 1,
            UrlOutcome::Refused => h.refused += 1,
            UrlOutcome::NotFetched => h.not_fetched += 1,
            UrlOutcome::Failed => h.failed += 1,
            UrlOutcome::Unreachable => {
                h.unreachable += 1;
                if h.unreachable_reason.is_none() {
                    let why = r.error.clone().unwrap_or_default();
                    let kind = NetworkFailure::of_error(&why).unwrap_or(NetworkFailure::Other);
                    h.unreachable_reason = Some((kind, why));
                }
            }
        }
        if r.outcome.is_failure()
            || matches!(r.outcome, UrlOutcome::NotFetched | UrlOutcome::Unreachable)
        {
            let why = r.error.clone().unwrap_or_else(|| r.outcome.to_string());
            *reasons.entry(why).or_default() += 1;
        }
    }
    order
        .into_iter()
        .map(|host| {
            let (mut s, reasons) = by_host.remove(&host).expect("counted");
            let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            s.reasons = reasons;
            s
        })
        .collect()
}

/// The documents of a run: each body once, under the first URL that gave it, with the other URLs kept.
fn documents(src: &HttpSource, rows: &[Row], cache: &BodyCache) -> Vec<CachedDoc> {
    let mut redirected: HashMap<&str, Vec<String>> = HashMap::new();
    for r in rows {
        if r.answer.outcome == UrlOutcome::Redirect {
            if let Some(t) = &r.answer.final_url {
                redirected
                    .entry(t.as_str())
                    .or_default()
                    .push(r.queued.url.clone());
            }
        }
    }
    let mut by_hash: HashMap<&str, usize> = HashMap::new();
    let mut docs: Vec<CachedDoc> = Vec::new();
    for r in rows {
        let ok = r.answer.outcome.has_body() && r.queued.kind == UrlKind::Page;
        let Some(hash) = r.answer.content_hash.as_deref().filter(|_| ok) else {
            continue;
        };
        // Every URL whose redirect chain ended here.
        let mut others = Vec::new();
        let mut stack = vec![r.queued.url.clone()];
        while let Some(u) = stack.pop() {
            for from in redirected.remove(u.as_str()).unwrap_or_default() {
                stack.push(from.clone());
                others.push(from);
            }
        }
        if let Some(&i) = by_hash.get(hash) {
            let d = &mut docs[i].meta;
            d.other_urls.push(r.queued.url.clone());
            d.other_urls.append(&mut others);
            continue;
        }
        by_hash.insert(hash, docs.len());
        let fallback_date = match (&r.queued.sitemap_lastmod, &r.answer.last_modified) {
            (Some(v), _) => Some(FallbackDate {
                value: v.clone(),
                from: "sitemap-lastmod",
            }),
            (None, Some(v)) => Some(FallbackDate {
                value: v.clone(),
                from: "http-last-modified",
            }),
            _ => None,
        };
        docs.push(CachedDoc {
            meta: RawDoc {
                source: src.name.clone(),
                key: r.queued.url.clone(),
                url: r.queued.url.clone(),
                location: r.queued.url.clone(),
                bytes: Vec::new(),
                content_type_hint: r.answer.content_type.clone(),
                overrides: Overrides::default(),
                linked_from: r.queued.linked_from.clone(),
                other_urls: others,
                fallback_date,
            },
            body: Body::Cache {
                hash: hash.to_string(),
                cache: cache.clone(),
            },
        });
    }
    docs
}
