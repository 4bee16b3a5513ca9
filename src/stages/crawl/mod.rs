//! Crawl: reads the configured sources into raw document bodies. A `dir` source is walked on disk; a `warc`
//! source (web archive files, local or downloaded) is read record by record; an `http`
//! source is crawled politely and resumably (robots.txt, per-host delay, retries, a SQLite state and a
//! content-addressed body cache, conditional GET on re-runs); a `wayback` source lists a web archive's captures
//! and fetches them through the same crawler ([`wayback`]); a `feed` source reads RSS and Atom feeds and fetches
//! their entries' pages through the same crawler ([`feed`]). Nothing here extracts text.

pub(crate) mod api;
mod dir;
mod feed;
mod fetch;
pub(crate) mod gate;
pub(crate) mod links;
mod openalex;
pub(crate) mod robots;
mod state;
pub mod warc;
pub mod warcout;
mod wayback;
mod web;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

pub use dir::{content_type_for, file_url, DIR_EXTENSIONS};
pub use state::content_hash;
pub use warcout::{is_own_file as is_own_warc_file, WarcOptions, DEFAULT_WARC_MAX_BYTES, WARC_DIR};
pub use wayback::ARCHIVE_CAPTURE;

use crate::config::{HttpSource, SourceConfig};
use crate::records::{
    CrawlLogRow, FallbackDate, NetworkFailure, Overrides, RawDoc, SkipStage, Skipped, UrlKind,
    UrlOutcome, WorkRecord,
};
use crate::records::{Output, TextSource};
use crate::shard::Shard;
use state::{BodyCache, Row, State};

/// Errors of the crawl stage; each names the path or URL.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("source folder {path} does not exist or is not a folder")]
    MissingDir { path: PathBuf },
    #[error("{path}: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("source folder {url}: {message}")]
    ObjectFolder { url: String, message: String },
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
    #[error("{location}: {message}")]
    Warc { location: String, message: String },
}

/// A document whose body is read only when extraction reaches it, so memory does not grow with the size of the
/// crawl: from the body cache (fetched over HTTP) or from its file (folder sources).
#[derive(Debug, Clone)]
pub struct CachedDoc {
    meta: RawDoc,
    body: Body,
}

/// Where a [`CachedDoc`]'s body is.
#[derive(Debug, Clone)]
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
    /// Parts of the outputs' own texts fetched from the catalogue's `text` URLs (not documents of the corpus).
    pub output_texts: Vec<TextDoc>,
    /// Scholarly works found by `openalex` sources (the `works` table), whether or not a text was fetched.
    pub works: Vec<WorkRecord>,
    /// Lines for the closing summary, one per source that has something to say (what an API source spent).
    pub notes: Vec<String>,
    /// The files of `warc` sources, read record by record when extraction reaches them (after `docs` and
    /// `cached`).
    pub streams: Vec<warc::WarcStream>,
}

/// A document fetched as part `part` of output `output_id`'s own text.
#[derive(Debug)]
pub struct TextDoc {
    pub output_id: String,
    pub part: u32,
    pub doc: CachedDoc,
}

/// The name under which the catalogue's text URLs are crawled (in `crawl_log` and the crawl state).
pub const CATALOGUE_TEXTS: &str = "catalogue";

/// Reads every configured source; `crawl_dir` holds the state and cache of the web sources. Folders and WARC
/// files are read first; the web sources then crawl at the same time, politeness kept per host across them (see
/// [`gate`]). A
/// source that cannot be read at all is reported as skipped and the others go on. The outcome lists sources in
/// the config's order. The outputs' text URLs are fetched alongside (see [`CATALOGUE_TEXTS`]).
pub fn crawl(sources: &[SourceConfig], crawl_dir: &Path, outputs: &[Output]) -> CrawlOutcome {
    crawl_with(
        sources,
        crawl_dir,
        outputs,
        Some(&WarcOptions::default()),
        None,
    )
}

/// [`crawl`] of one shard of a sharded run: only the inputs of `shard` are read (see [`crate::shard`]: each
/// source's lists are cut by [`Shard::slice`], a folder's files and an http crawl's hosts as they are met). The
/// catalogue's text URLs are fetched by every shard.
pub fn crawl_shard(
    sources: &[SourceConfig],
    crawl_dir: &Path,
    outputs: &[Output],
    shard: Option<Shard>,
) -> CrawlOutcome {
    crawl_with(
        sources,
        crawl_dir,
        outputs,
        Some(&WarcOptions::default()),
        shard,
    )
}

/// [`crawl`], with every answer of the web sources written into WARC files in `<crawl_dir>/warc` when `warc`
/// is set (see [`warcout`]), and only the inputs of `shard` read when it is set.
pub fn crawl_with(
    sources: &[SourceConfig],
    crawl_dir: &Path,
    outputs: &[Output],
    warc: Option<&WarcOptions>,
    shard: Option<Shard>,
) -> CrawlOutcome {
    let sliced: Vec<SourceConfig>;
    let sources = match shard {
        Some(s) => {
            sliced = sources.iter().filter_map(|src| s.slice(src)).collect();
            &sliced[..]
        }
        None => sources,
    };
    let mut parts: Vec<Option<CrawlOutcome>> = sources.iter().map(|_| None).collect();
    let mut on_web = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        match source {
            SourceConfig::Dir(d) => {
                let mut out = CrawlOutcome::default();
                let read = if d
                    .path
                    .to_str()
                    .is_some_and(crate::config::is_object_store_url)
                {
                    dir::read_object_dir_source(d, crawl_dir, shard.as_ref(), &mut out)
                } else {
                    dir::read_dir_source(d, shard.as_ref(), &mut out)
                };
                if let Err(e) = read {
                    skip_source(&mut out, &d.path.display().to_string(), &e);
                }
                parts[i] = Some(out);
            }
            SourceConfig::Warc(w) => {
                let mut out = CrawlOutcome::default();
                if let Err(e) = warc::read_warc_source(w, crawl_dir, shard.as_ref(), &mut out) {
                    skip_source(&mut out, &w.name, &e);
                }
                parts[i] = Some(out);
            }
            _ => on_web.push(i),
        }
    }
    let text_parts = text_urls(outputs);
    let mut texts = CrawlOutcome::default();
    if !on_web.is_empty() || !text_parts.is_empty() {
        match Web::open(crawl_dir, warc) {
            Ok((mut web, rt)) => {
                web.shard = shard;
                let all = on_web.iter().map(|&i| {
                    let web = &web;
                    async move { (i, crawl_web_source(&sources[i], web).await) }
                });
                let both = futures_util::future::join(
                    futures_util::future::join_all(all),
                    fetch_output_texts(&text_parts, sources, &web),
                );
                let (each, t) = rt.block_on(both);
                for (i, out) in each {
                    parts[i] = Some(out);
                }
                texts = t;
            }
            Err(e) => {
                for &i in &on_web {
                    let mut out = CrawlOutcome::default();
                    skip_source(&mut out, &web_location(&sources[i]), &e);
                    parts[i] = Some(out);
                }
                for (id, _, url) in &text_parts {
                    texts.skipped.push(Skipped {
                        stage: SkipStage::Catalogue,
                        location: url.clone(),
                        reason: format!("text of output {id} not fetched: {e}"),
                    });
                }
            }
        }
    }
    let mut out = CrawlOutcome::default();
    for part in parts.into_iter().flatten().chain([texts]) {
        out.docs.extend(part.docs);
        out.cached.extend(part.cached);
        out.skipped.extend(part.skipped);
        out.log.extend(part.log);
        out.hosts.extend(part.hosts);
        out.output_texts.extend(part.output_texts);
        out.works.extend(part.works);
        out.notes.extend(part.notes);
        out.streams.extend(part.streams);
    }
    out
}

/// The catalogue's text URLs: output id, part number, URL.
fn text_urls(outputs: &[Output]) -> Vec<(String, u32, String)> {
    let mut parts = Vec::new();
    for o in outputs {
        for (i, t) in o.texts.iter().enumerate() {
            if let TextSource::Url(u) = t {
                parts.push((o.id.clone(), i as u32, u.clone()));
            }
        }
    }
    parts
}

/// Fetches the outputs' text URLs through the crawler, with the default politeness and the User-Agent of the
/// config's first http source. A part that could not be fetched is a skip of the catalogue stage naming the
/// output.
async fn fetch_output_texts(
    parts: &[(String, u32, String)],
    sources: &[SourceConfig],
    web: &Web,
) -> CrawlOutcome {
    if parts.is_empty() {
        return CrawlOutcome::default();
    }
    let mut settings = HttpSource::named(CATALOGUE_TEXTS);
    if let Some(h) = sources.iter().find_map(|s| match s {
        SourceConfig::Http(h) => Some(h),
        _ => None,
    }) {
        settings.user_agent.clone_from(&h.user_agent);
    }
    let mut leads: Vec<Lead> = Vec::new();
    for (_, _, url) in parts {
        if !leads.iter().any(|l| &l.url == url) {
            leads.push(Lead {
                url: url.clone(),
                ..Lead::default()
            });
        }
    }
    let mut out = match fetch_leads(&settings, &leads, web).await {
        Ok(o) => o,
        Err(e) => {
            let mut out = CrawlOutcome::default();
            skip_source(&mut out, CATALOGUE_TEXTS, &e);
            return out;
        }
    };
    let normal = |u: &str| {
        url::Url::parse(u)
            .map(|u| crate::textutil::frontier_url(u).to_string())
            .unwrap_or_else(|_| u.to_string())
    };
    let docs = std::mem::take(&mut out.cached);
    // failures of these pages are the catalogue's, named with their output
    out.skipped.clear();
    for (id, part, url) in parts {
        let want = normal(url);
        match docs.iter().find(|d| d.urls().any(|u| u == want)) {
            Some(d) => out.output_texts.push(TextDoc {
                output_id: id.clone(),
                part: *part,
                doc: d.clone(),
            }),
            None => {
                let why = out
                    .log
                    .iter()
                    .rev()
                    .find(|r| r.url == want)
                    .and_then(|r| r.error.clone().or_else(|| Some(r.outcome.to_string())))
                    .unwrap_or_else(|| "no answer".into());
                tracing::warn!("{url}: the text of output {id} was not fetched: {why}");
                out.skipped.push(Skipped {
                    stage: SkipStage::Catalogue,
                    location: url.clone(),
                    reason: format!("text of output {id} not fetched: {why}"),
                });
            }
        }
    }
    out
}

/// How a web source is named in messages: its seeds.
fn web_location(source: &SourceConfig) -> String {
    match source {
        SourceConfig::Http(h) => h.seeds.join(" "),
        SourceConfig::Wayback(w) => w.targets.join(" "),
        SourceConfig::Feed(f) => f.feeds.join(" "),
        SourceConfig::OpenAlex(o) => o.base_url.clone(),
        other => other.name().to_string(),
    }
}

/// Crawls one web source; a failure that stops it is its skip.
async fn crawl_web_source(source: &SourceConfig, web: &Web) -> CrawlOutcome {
    let result = match source {
        SourceConfig::Http(h) => match (
            crawl_http_in(h, web, web.shard).await,
            &h.archive_dead_links,
        ) {
            (Ok(out), Some(archive)) => Ok(wayback::rescue_dead_links(h, archive, out, web).await),
            (result, _) => result,
        },
        SourceConfig::Wayback(w) => wayback::crawl(w, web).await,
        SourceConfig::Feed(f) => feed::crawl(f, web).await,
        SourceConfig::OpenAlex(o) => openalex::crawl(o, web).await,
        // read before the web sources, in `crawl`
        SourceConfig::Dir(_) | SourceConfig::Warc(_) => Ok(CrawlOutcome::default()),
    };
    result.unwrap_or_else(|e| {
        let mut out = CrawlOutcome::default();
        skip_source(&mut out, &web_location(source), &e);
        out
    })
}

fn skip_source(out: &mut CrawlOutcome, location: &str, e: &CrawlError) {
    tracing::error!("{e}");
    out.skipped.push(Skipped {
        stage: SkipStage::Crawl,
        location: location.to_string(),
        reason: e.to_string(),
    });
}

/// What the web sources of one crawl share: the crawl state, the body cache, the politeness gate and the
/// progress display. Sources run as futures on one thread (their requests on the runtime's workers), so the
/// state and the gate are borrowed only between two awaits.
pub(crate) struct Web {
    pub state: RefCell<State>,
    pub gate: RefCell<gate::HostGate>,
    pub cache: BodyCache,
    pub crawl_dir: PathBuf,
    /// The WARC files every answer is written into, when the config asks for them (`warc_out`); borrowed only
    /// to append, never across an await.
    pub warc: Option<RefCell<warcout::WarcWriter>>,
    bars: MultiProgress,
    /// In a sharded run, the shard whose hosts the `http` sources crawl.
    pub shard: Option<Shard>,
}

impl Web {
    fn open(
        crawl_dir: &Path,
        warc: Option<&WarcOptions>,
    ) -> Result<(Web, tokio::runtime::Runtime), CrawlError> {
        let state = State::open(crawl_dir)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| CrawlError::Runtime {
                message: e.to_string(),
            })?;
        let web = Web {
            state: RefCell::new(state),
            gate: RefCell::new(gate::HostGate::default()),
            cache: BodyCache::new(crawl_dir),
            crawl_dir: crawl_dir.to_path_buf(),
            warc: warc.map(|o| RefCell::new(warcout::WarcWriter::new(crawl_dir, o))),
            bars: MultiProgress::new(),
            shard: None,
        };
        Ok((web, rt))
    }

    /// A spinner line of its own for one source.
    pub fn spinner(&self) -> ProgressBar {
        let pb = self.bars.add(ProgressBar::new_spinner());
        pb.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }
}

/// A URL that another source found (an API hit, an archive capture, a feed entry, an output's text), to be
/// fetched as a document, with what that source knows of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lead {
    /// The URL fetched.
    pub url: String,
    /// The address the document is known by, when not `url` (the original address of an archive capture).
    pub known_as: Option<String>,
    /// A date for a document that carries none of its own (a feed entry's date, a capture's time).
    pub fallback_date: Option<FallbackDate>,
    /// What the finding source knows of the document (title, publisher, date, sector, country).
    pub overrides: Overrides,
    /// How the source found it (the query, the feed, the archive lookup), for the `documents` table.
    pub found_by: Option<String>,
}

/// Fetches `leads` with the politeness, limits and crawl state of `settings` (its name, User-Agent, delays,
/// retries, size caps; its seeds and link settings are ignored): each lead is fetched once (conditionally on a
/// re-run), redirects followed to any host, no link or sitemap followed. Each document takes its lead's address
/// and metadata; what the document says of itself comes first at extraction, the lead's date only when it has
/// none.
pub(crate) async fn fetch_leads(
    settings: &HttpSource,
    leads: &[Lead],
    web: &Web,
) -> Result<CrawlOutcome, CrawlError> {
    let mut src = settings.clone();
    src.seeds = leads.iter().map(|l| l.url.clone()).collect();
    src.allow_domains = vec!["*".into()];
    src.include.clear();
    src.exclude.clear();
    src.sitemaps = false;
    src.max_depth = 0;
    // Each redirect hop counts as a page: a lead may take up to `max_redirects` of them.
    src.max_pages = u32::try_from(leads.len())
        .unwrap_or(u32::MAX)
        .saturating_mul(src.max_redirects.saturating_add(1))
        .max(1);
    let mut out = crawl_http(&src, web).await?;
    let by_url: HashMap<String, &Lead> = leads
        .iter()
        .filter_map(|l| {
            let u = url::Url::parse(&l.url).ok()?;
            Some((crate::textutil::frontier_url(u).to_string(), l))
        })
        .collect();
    for doc in &mut out.cached {
        let Some(lead) = doc.urls().find_map(|u| by_url.get(u)).copied() else {
            continue;
        };
        let m = &mut doc.meta;
        if let Some(k) = &lead.known_as {
            m.other_urls.push(std::mem::replace(&mut m.url, k.clone()));
            m.key = k.clone();
        }
        if lead.fallback_date.is_some() {
            m.fallback_date = lead.fallback_date.clone();
        }
        m.overrides.fill_from(&lead.overrides);
        m.found_by.clone_from(&lead.found_by);
    }
    Ok(out)
}

async fn crawl_http(src: &HttpSource, web: &Web) -> Result<CrawlOutcome, CrawlError> {
    crawl_http_in(src, web, None).await
}

/// Crawls an http source; with a `shard`, only the hosts of that shard.
async fn crawl_http_in(
    src: &HttpSource,
    web: &Web,
    shard: Option<Shard>,
) -> Result<CrawlOutcome, CrawlError> {
    let client = fetch::client(src).map_err(|e| CrawlError::Client {
        name: src.name.clone(),
        message: e.to_string(),
    })?;
    let (run, resumed) = web.state.borrow_mut().begin_run(&src.name)?;
    let started = std::time::Instant::now();
    let mut crawler = web::Crawler::new(
        src,
        run,
        resumed,
        &mut web.state.borrow_mut(),
        &web.gate,
        web.warc.as_ref(),
        web.spinner(),
    )?;
    if let Some(s) = shard {
        crawler.keep_shard(s);
    }
    crawler.run(&web.state, &web.cache, &client).await?;
    let state = &mut web.state.borrow_mut();
    state.finish_run(run)?;
    let rows = state.rows_of_run(&src.name, run)?;
    let notes: HashMap<String, String> = crawler
        .robots_notes
        .iter()
        .map(|n| (n.origin.clone(), n.note.clone()))
        .collect();
    let log: Vec<CrawlLogRow> = rows.iter().map(|r| log_row(&src.name, r)).collect();
    let hosts = summarise(&src.name, &log, &notes);
    let docs = documents(src, &rows, &web.cache, &web.crawl_dir);
    tracing::info!(
        "source {:?}: {} documents from {} URLs in {:.3} s",
        src.name,
        docs.len(),
        log.len(),
        started.elapsed().as_secs_f64()
    );
    let mut out = CrawlOutcome::default();
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
    out.cached = docs;
    out.log = log;
    out.hosts = hosts;
    Ok(out)
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

/// Whether no host answered any request of the crawl (pages, robots.txt, API calls, feeds): there were
/// requests, and every one that was tried ended in a network failure (no answer at all, not even a 5xx). A
/// machine without network looks like this.
pub fn no_host_answered(log: &[CrawlLogRow]) -> bool {
    let mut tried = log
        .iter()
        .filter(|r| r.outcome != UrlOutcome::NotFetched)
        .peekable();
    tried.peek().is_some()
        && tried.all(|r| {
            r.http_status.is_none()
                && matches!(r.outcome, UrlOutcome::Unreachable | UrlOutcome::Failed)
                && r.error
                    .as_deref()
                    .and_then(NetworkFailure::of_error)
                    .is_some_and(NetworkFailure::is_network)
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
fn documents(
    src: &HttpSource,
    rows: &[Row],
    cache: &BodyCache,
    crawl_dir: &Path,
) -> Vec<CachedDoc> {
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
                found_by: None,
                warc: r
                    .answer
                    .warc_file
                    .as_ref()
                    .zip(r.answer.warc_offset)
                    .map(|(f, offset)| crate::records::WarcRecordRef {
                        file: crawl_dir.join(f).display().to_string(),
                        offset,
                    }),
            },
            body: Body::Cache {
                hash: hash.to_string(),
                cache: cache.clone(),
            },
        });
    }
    docs
}
