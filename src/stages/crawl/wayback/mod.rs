//! The `kind = "wayback"` source: pages of the past read from a web archive. For each target (a host or a URL
//! prefix) the archive's CDX index lists the captures answered 200 in the date range, collapsed by digest, page by
//! page with the resume key (protocol in [`cdx`], after the wayback-cdx-server README of internetarchive/wayback);
//! one capture per page is chosen (the earliest in the range unless `capture = "latest"`), images, styles and
//! scripts left out; the chosen captures are fetched raw (`id_`) through the crawler and read as documents at
//! their original URL, dated by the capture when the page carries no date ([`captures`]). The index is asked
//! through [`ApiClient`]: politely, within `max_requests`, cached, conditionally on a re-run.
//!
//! The same archive serves the http sources that allow it (`archive_dead_links`): their pages that answered 404
//! or 410 are looked up after the crawl ([`dead`]).

mod captures;
mod cdx;
mod dead;

use std::collections::{HashMap, HashSet};

use regex::Regex;
use url::Url;

use super::api::{ApiClient, ApiError};
use super::{CrawlError, CrawlOutcome, Lead, Web};
use crate::config::{parse_target, CapturePick, WaybackSource};
use crate::records::{FallbackDate, SkipStage, Skipped};
use crate::textutil::frontier_url;

pub use captures::ARCHIVE_CAPTURE;
pub(crate) use dead::rescue_dead_links;

/// The capture chosen for one page.
#[derive(Debug, Clone)]
struct Chosen {
    timestamp: String,
    original: Url,
    /// The target that listed it (an index into the source's targets).
    target: usize,
}

/// Crawls a wayback source: lists its captures, fetches the chosen ones.
pub(crate) async fn crawl(cfg: &WaybackSource, web: &Web) -> Result<CrawlOutcome, CrawlError> {
    let started = std::time::Instant::now();
    let settings = cfg.http_settings();
    let client = ApiClient::new(web, &settings, cfg.max_requests)?;
    let mut out = CrawlOutcome::default();
    let chosen = list(cfg, &client, &mut out.skipped).await;
    out.log.extend(client.take_log());
    let span = format!(
        "{}-{}",
        cfg.from.as_deref().unwrap_or(""),
        cfg.to.as_deref().unwrap_or("")
    );
    let leads: Vec<Lead> = chosen
        .iter()
        .map(|c| Lead {
            url: frontier_capture(&cfg.archive_url, &c.timestamp, &c.original),
            known_as: Some(c.original.to_string()),
            fallback_date: cdx::capture_date(&c.timestamp).map(|value| FallbackDate {
                value,
                from: ARCHIVE_CAPTURE,
            }),
            overrides: Default::default(),
            found_by: Some(format!("wayback: {} {span}", cfg.targets[c.target])),
        })
        .collect();
    let fetched = captures::fetch(&settings, &leads, web).await?;
    tracing::info!(
        "source {:?}: {} captures listed by {} CDX requests, {} documents, in {:.1} s",
        cfg.name,
        leads.len(),
        client.spent(),
        fetched.cached.len(),
        started.elapsed().as_secs_f64()
    );
    out.cached = fetched.cached;
    out.skipped.extend(fetched.skipped);
    out.log.extend(fetched.log);
    out.hosts = fetched.hosts;
    Ok(out)
}

/// A capture URL in the crawler's frontier form (what its state and log are keyed by).
fn frontier_capture(archive_url: &str, timestamp: &str, original: &Url) -> String {
    let raw = cdx::capture_url(archive_url, timestamp, original);
    Url::parse(&raw)
        .map(|u| frontier_url(u).to_string())
        .unwrap_or(raw)
}

fn skip(skipped: &mut Vec<Skipped>, location: &str, reason: String) {
    tracing::warn!("{location}: {reason}");
    skipped.push(Skipped {
        stage: SkipStage::Crawl,
        location: location.to_string(),
        reason,
    });
}

/// Lists the captures of every target and chooses one per page, at most `max_captures` over all targets in
/// their order. A CDX answer that cannot be read ends its target's listing (what came before is kept) and is
/// skipped naming its URL; a row that cannot be read is skipped naming its original URL.
async fn list(
    cfg: &WaybackSource,
    client: &ApiClient<'_>,
    skipped: &mut Vec<Skipped>,
) -> Vec<Chosen> {
    let compile =
        |ps: &[String]| -> Vec<Regex> { ps.iter().filter_map(|p| Regex::new(p).ok()).collect() };
    let (include, exclude) = (compile(&cfg.include), compile(&cfg.exclude));
    let max = cfg.max_captures as usize;
    let mut chosen: Vec<Chosen> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    'targets: for (ti, t) in cfg.targets.iter().enumerate() {
        let Some(target) = parse_target(t) else {
            continue;
        };
        let mut resume: Option<String> = None;
        let mut keys_seen = HashSet::new();
        loop {
            let url = match cdx::listing_url(
                &cfg.cdx_url,
                &target,
                cfg.from.as_deref(),
                cfg.to.as_deref(),
                cfg.cdx_rows,
                resume.as_deref(),
            ) {
                Ok(u) => u,
                Err(e) => {
                    skip(skipped, &cfg.cdx_url, e);
                    break 'targets;
                }
            };
            let answer = match client.get(&url).await {
                Ok(a) => a,
                Err(e @ ApiError::Budget { .. }) => {
                    tracing::warn!(
                        "source {:?}: the listing of {t:?} stops here: {e}",
                        cfg.name
                    );
                    break;
                }
                Err(e) => {
                    skip(skipped, &url, e.to_string());
                    break;
                }
            };
            if !answer.fresh {
                tracing::debug!("{url}: the answer of an earlier run is used");
            }
            let page = match cdx::parse(&answer.bytes) {
                Ok(p) => p,
                Err(why) => {
                    let ct = answer.content_type.as_deref().unwrap_or("no Content-Type");
                    skip(
                        skipped,
                        &url,
                        format!("the CDX answer ({ct}) cannot be read: {why}"),
                    );
                    break;
                }
            };
            for b in page.bad {
                let location = b.original.as_deref().unwrap_or(&url);
                let reason = format!("{} of the CDX answer {url} skipped: {}", b.place, b.why);
                skip(skipped, location, reason);
            }
            for row in page.rows {
                if row.statuscode != "200"
                    || !cdx::in_range(&row.timestamp, cfg.from.as_deref(), cfg.to.as_deref())
                {
                    continue;
                }
                let original = frontier_url(row.original);
                if !cdx::is_document(&row.mimetype, &original) {
                    continue;
                }
                let s = original.as_str();
                if (!include.is_empty() && !include.iter().any(|r| r.is_match(s)))
                    || exclude.iter().any(|r| r.is_match(s))
                {
                    continue;
                }
                let key = if row.urlkey.is_empty() {
                    s.to_string()
                } else {
                    row.urlkey
                };
                match by_key.get(&key) {
                    Some(&i) => {
                        let c = &mut chosen[i];
                        let better = match cfg.capture {
                            CapturePick::Earliest => padded(&row.timestamp) < padded(&c.timestamp),
                            CapturePick::Latest => padded(&row.timestamp) > padded(&c.timestamp),
                        };
                        if better {
                            c.timestamp = row.timestamp;
                            c.original = original;
                        }
                    }
                    None => {
                        // Rows come sorted by page: a new page means the earlier ones are complete.
                        if chosen.len() >= max {
                            tracing::info!(
                                "source {:?}: max_captures ({max}) reached; the listing stops",
                                cfg.name
                            );
                            break 'targets;
                        }
                        by_key.insert(key, chosen.len());
                        chosen.push(Chosen {
                            timestamp: row.timestamp,
                            original,
                            target: ti,
                        });
                    }
                }
            }
            match page.resume_key {
                Some(k) if keys_seen.insert(k.clone()) => resume = Some(k),
                Some(k) => {
                    skip(
                        skipped,
                        &url,
                        format!(
                            "the CDX server gave the resume key {k:?} twice; the listing stops"
                        ),
                    );
                    break;
                }
                None => break,
            }
        }
    }
    chosen
}

/// A capture time padded to 14 digits, so times of different lengths compare.
fn padded(ts: &str) -> String {
    crate::config::pad_time(ts, '0')
}
