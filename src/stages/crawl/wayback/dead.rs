//! Dead links of an http source looked up in a web archive (`archive_dead_links`). After the source's crawl,
//! every page that answered 404 or 410 is looked up in the CDX index (`matchType=exact`, `limit=-1`: its latest
//! capture answered 200), and the captures found are fetched as documents that keep the dead URL as their address
//! (`found_by` = `wayback: dead link (HTTP 404)`), with the page that linked to it. The crawler itself is not
//! changed: the dead URLs come from the crawl's log. A page recovered this way is no longer a skip; one the
//! archive does not hold stays one, saying so.
//!
//! The lookups and captures are asked under their own crawl-state name (`<source> (dead links)`), so a re-run of
//! the source's crawl never resumes them; the documents and log rows carry the source's name.

use std::collections::HashSet;

use super::super::api::{ApiClient, ApiError};
use super::super::{CrawlOutcome, Lead, Web};
use super::{captures, cdx, frontier_capture, ARCHIVE_CAPTURE};
use crate::config::{DeadLinkArchive, HttpSource};
use crate::records::{FallbackDate, UrlKind, UrlOutcome};

/// A page that answered 404 or 410, with the page that linked to it.
struct Dead {
    url: String,
    status: u16,
    linked_from: Option<String>,
}

/// Looks up the dead pages of a finished http crawl in the archive and adds their archived copies to `out`.
pub(crate) async fn rescue_dead_links(
    src: &HttpSource,
    archive: &DeadLinkArchive,
    mut out: CrawlOutcome,
    web: &Web,
) -> CrawlOutcome {
    let mut seen = HashSet::new();
    let dead: Vec<Dead> = out
        .log
        .iter()
        .filter(|r| r.kind == UrlKind::Page && r.outcome == UrlOutcome::Failed)
        .filter_map(|r| {
            let status = r.http_status.filter(|s| matches!(s, 404 | 410))?;
            seen.insert(r.url.clone()).then(|| Dead {
                url: r.url.clone(),
                status,
                linked_from: r.linked_from.clone(),
            })
        })
        .collect();
    if dead.is_empty() {
        return out;
    }
    let mut settings = src.clone();
    settings.name = format!("{} (dead links)", src.name);
    settings.delay_ms = src.delay_ms.max(archive.delay_ms);
    settings.archive_dead_links = None;
    let client = match ApiClient::new(web, &settings, archive.max_requests) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("source {:?}: dead links not looked up: {e}", src.name);
            return out;
        }
    };
    let mut leads = Vec::new();
    let mut not_archived = Vec::new();
    for d in &dead {
        let query = match cdx::latest_url(&archive.cdx_url, &d.url) {
            Ok(q) => q,
            Err(e) => {
                tracing::warn!("{}: not looked up in the archive: {e}", d.url);
                break;
            }
        };
        let answer = match client.get(&query).await {
            Ok(a) => a,
            Err(e @ ApiError::Budget { .. }) => {
                tracing::warn!(
                    "source {:?}: dead links past this one are not looked up: {e}",
                    src.name
                );
                break;
            }
            Err(e) => {
                tracing::warn!("{}: the archive could not be asked: {e}", d.url);
                continue;
            }
        };
        let page = match cdx::parse(&answer.bytes) {
            Ok(p) => p,
            Err(why) => {
                tracing::warn!("{query}: the CDX answer cannot be read: {why}");
                continue;
            }
        };
        let latest = page
            .rows
            .into_iter()
            .filter(|r| r.statuscode == "200" || r.statuscode.is_empty())
            .max_by_key(|r| super::padded(&r.timestamp));
        let Some(capture) = latest else {
            not_archived.push(d.url.clone());
            continue;
        };
        leads.push(Lead {
            url: frontier_capture(&archive.archive_url, &capture.timestamp, &capture.original),
            known_as: Some(d.url.clone()),
            fallback_date: cdx::capture_date(&capture.timestamp).map(|value| FallbackDate {
                value,
                from: ARCHIVE_CAPTURE,
            }),
            overrides: Default::default(),
            found_by: Some(format!("wayback: dead link (HTTP {})", d.status)),
        });
    }
    let mut api_log = client.take_log();
    let mut found = if leads.is_empty() {
        CrawlOutcome::default()
    } else {
        match captures::fetch(&settings, &leads, web).await {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!("source {:?}: archived copies not fetched: {e}", src.name);
                CrawlOutcome::default()
            }
        }
    };
    for doc in &mut found.cached {
        doc.meta.source.clone_from(&src.name);
        if let Some(d) = dead.iter().find(|d| d.url == doc.meta.url) {
            doc.meta.linked_from.clone_from(&d.linked_from);
        }
    }
    for r in api_log.iter_mut().chain(found.log.iter_mut()) {
        r.source.clone_from(&src.name);
    }
    for h in &mut found.hosts {
        h.source.clone_from(&src.name);
    }
    let recovered: HashSet<&str> = found.cached.iter().map(|d| d.meta.url.as_str()).collect();
    out.skipped
        .retain(|s| !recovered.contains(s.location.as_str()));
    for s in &mut out.skipped {
        if not_archived.contains(&s.location) {
            s.reason.push_str("; the web archive holds no copy");
        }
    }
    tracing::info!(
        "source {:?}: {} dead links, {} found in the archive, {} read",
        src.name,
        dead.len(),
        leads.len(),
        recovered.len()
    );
    out.cached.append(&mut found.cached);
    out.skipped.append(&mut found.skipped);
    out.log.append(&mut api_log);
    out.log.append(&mut found.log);
    out.hosts.append(&mut found.hosts);
    out
}
