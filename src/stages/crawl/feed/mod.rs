//! The `kind = "feed"` source: RSS and Atom feeds whose entries' pages become documents.
//!
//! Each feed is read through the [`ApiClient`] (polite, cached, conditional: an unchanged feed answers 304), and
//! with `follow_pagination` its older pages too (`rel="next"`, WordPress `?paged=N`) until a page brings no entry
//! not seen before. Entries matching `include` are remembered in the crawl state (`feed_entries`, beside the
//! URLs whose copies they use), and their pages fetched through the crawler as [`Lead`]s: robots.txt, politeness,
//! the body cache, the entry's title and date (`published_from = feed-entry` when the page carries no date of its
//! own) and `found_by = "feed: <feed URL>"`.
//!
//! A re-run reads only new entries: an entry seen in an earlier run whose page is in the cache is not asked again,
//! its document is built from the stored copy (so it stays in the tables, even after it has left the feed, and
//! its extraction is reused). `recheck_seen` asks those pages again, conditionally. An entry whose page was never
//! fetched (it failed, or `max_entries` was reached) is asked again by the next run.

pub mod parse;

use std::collections::{HashMap, HashSet};

use regex::Regex;
use url::Url;

use super::api::{ApiClient, ApiError};
use super::state::{PageCopy, SeenEntry};
use super::{fetch_leads, Body, CachedDoc, CrawlError, CrawlOutcome, Lead, Web};
use crate::config::FeedSource;
use crate::records::{FallbackDate, Overrides, RawDoc, SkipStage, Skipped};
use crate::textutil::frontier_url;

/// `documents.published_from` of a page dated by its feed entry.
pub const FEED_ENTRY_DATE: &str = "feed-entry";

/// Why a feed gave no entries; each names the feed's URL.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("feed {feed}: {error}")]
    Request { feed: String, error: ApiError },
    #[error("feed {url}: {reason}")]
    Malformed { url: String, reason: String },
}

/// Reads the feeds of `cfg` and fetches the pages of their selected entries. A feed that cannot be read is a
/// skip naming its URL; the other feeds are still read, and the entries seen before keep their documents.
pub(crate) async fn crawl(cfg: &FeedSource, web: &Web) -> Result<CrawlOutcome, CrawlError> {
    let started = std::time::Instant::now();
    let settings = cfg.http_settings();
    let include: Vec<Regex> = cfg
        .include
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect();
    // The number of feed requests is bounded by the feeds and `max_feed_pages`; no budget of its own.
    let client = ApiClient::new(web, &settings, u32::MAX)?;
    let mut out = CrawlOutcome::default();
    let known: HashSet<(String, String)> = web
        .state
        .borrow()
        .feed_entries(&cfg.name)?
        .into_iter()
        .map(|e| (e.feed, e.id))
        .collect();
    let mut read = Vec::new();
    for feed in &cfg.feeds {
        if let Err(e) = read_feed(&client, cfg, feed, &known, &include, &mut read).await {
            let location = match &e {
                FeedError::Request { feed, .. } => feed.clone(),
                FeedError::Malformed { url, .. } => url.clone(),
            };
            tracing::warn!("source {:?}: {e}; skipped", cfg.name);
            out.skipped.push(Skipped {
                stage: SkipStage::Crawl,
                location,
                reason: e.to_string(),
            });
        }
    }
    let new = web.state.borrow_mut().add_feed_entries(&cfg.name, &read)?;

    // Every entry seen so far that the source still selects, one per page.
    let mut links = HashSet::new();
    let entries: Vec<SeenEntry> = web
        .state
        .borrow()
        .feed_entries(&cfg.name)?
        .into_iter()
        .filter(|e| selected(&include, e.title.as_deref(), &e.text, &e.link))
        .filter(|e| links.insert(page_key(&e.link)))
        .collect();
    let mut copies: HashMap<String, PageCopy> = HashMap::new();
    {
        let state = web.state.borrow();
        for e in &entries {
            if let Some(c) = state.page_copy(&cfg.name, &page_key(&e.link))? {
                if web.cache.has(&c.content_hash) {
                    copies.insert(page_key(&e.link), c);
                }
            }
        }
    }
    // Entries without a copy count against `max_entries`; rechecks of seen ones do not.
    let mut leads = Vec::new();
    let (mut unread, mut waiting) = (0usize, 0usize);
    for e in &entries {
        let has_copy = copies.contains_key(&page_key(&e.link));
        if has_copy && !cfg.recheck_seen {
            continue;
        }
        if !has_copy {
            if unread >= cfg.max_entries as usize {
                waiting += 1;
                continue;
            }
            unread += 1;
        }
        leads.push(lead_of(e));
    }
    if waiting > 0 {
        tracing::info!(
            "source {:?}: max_entries ({}) reached; {waiting} entries wait for the next run",
            cfg.name,
            cfg.max_entries
        );
    }
    let fetched = if leads.is_empty() {
        CrawlOutcome::default()
    } else {
        fetch_leads(&settings, &leads, web).await?
    };

    // The entries whose page this run did not fetch take their stored copy.
    let mut docs = fetched.cached;
    let mut by_hash: HashMap<String, usize> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match &d.body {
            Body::Cache { hash, .. } => Some((hash.clone(), i)),
            Body::File(_) => None,
        })
        .collect();
    let have: HashSet<String> = docs
        .iter()
        .flat_map(|d| d.urls().map(str::to_string))
        .collect();
    let mut from_cache = 0usize;
    for e in &entries {
        let key = page_key(&e.link);
        if have.contains(&key) {
            continue;
        }
        let Some(copy) = copies.get(&key) else {
            continue;
        };
        if let Some(&i) = by_hash.get(&copy.content_hash) {
            let m = &mut docs[i].meta;
            if m.url != copy.url && !m.other_urls.contains(&copy.url) {
                m.other_urls.push(copy.url.clone());
            }
            continue;
        }
        by_hash.insert(copy.content_hash.clone(), docs.len());
        docs.push(copied_doc(cfg, e, copy, web));
        from_cache += 1;
    }

    let mut log = client.take_log();
    out.hosts = super::summarise(&cfg.name, &log, &HashMap::new());
    out.hosts.extend(fetched.hosts);
    log.extend(fetched.log);
    out.log = log;
    out.skipped.extend(fetched.skipped);
    tracing::info!(
        "source {:?}: {} feeds ({} requests), {new} new entries, {} entries selected, {} pages asked, \
         {from_cache} documents from earlier runs, in {:.3} s",
        cfg.name,
        cfg.feeds.len(),
        client.spent(),
        entries.len(),
        leads.len(),
        started.elapsed().as_secs_f64()
    );
    out.cached = docs;
    Ok(out)
}

/// Reads one feed (and its older pages when asked), adding its selected entries to `read`.
async fn read_feed(
    client: &ApiClient<'_>,
    cfg: &FeedSource,
    feed: &str,
    known: &HashSet<(String, String)>,
    include: &[Regex],
    read: &mut Vec<SeenEntry>,
) -> Result<(), FeedError> {
    let max_pages = if cfg.follow_pagination {
        cfg.max_feed_pages.max(1)
    } else {
        1
    };
    let mut url = feed.to_string();
    let mut asked = HashSet::new();
    for page in 1..=max_pages {
        asked.insert(url.clone());
        let answer = match client.get(&url).await {
            Ok(a) => a,
            // Past the last page of a paged feed.
            Err(ApiError::Status {
                status: 404 | 410, ..
            }) if page > 1 => return Ok(()),
            Err(error) => {
                return Err(FeedError::Request {
                    feed: feed.to_string(),
                    error,
                })
            }
        };
        let malformed = |reason: String| FeedError::Malformed {
            url: url.clone(),
            reason,
        };
        let base = Url::parse(&url).map_err(|e| malformed(e.to_string()))?;
        let parsed = parse::parse_feed(&answer.bytes, &base).map_err(|reason| {
            match answer.content_type.as_deref() {
                Some(ct) => malformed(format!("{reason} (Content-Type {ct})")),
                None => malformed(reason),
            }
        })?;
        if !answer.fresh {
            tracing::debug!("{url}: unchanged since the last run");
        }
        if parsed.unlinked > 0 {
            tracing::debug!("{url}: {} entries without a link", parsed.unlinked);
        }
        let (mut chosen, mut unseen) = (0, 0);
        for e in &parsed.entries {
            if !selected(include, e.title.as_deref(), &e.text, &e.link) {
                continue;
            }
            chosen += 1;
            if !known.contains(&(feed.to_string(), e.id.clone())) {
                unseen += 1;
            }
            read.push(SeenEntry {
                feed: feed.to_string(),
                id: e.id.clone(),
                link: e.link.clone(),
                title: e.title.clone(),
                text: e.text.clone(),
                date: e.date.clone(),
            });
        }
        // The older pages were read before once a page brings only entries already seen.
        if parsed.entries.is_empty() || (chosen > 0 && unseen == 0) {
            return Ok(());
        }
        let next = parsed.next.clone().or_else(|| {
            parsed
                .wordpress
                .then(|| wordpress_page(feed, page + 1))
                .flatten()
        });
        match next {
            Some(n) if !asked.contains(&n) => url = n,
            _ => return Ok(()),
        }
    }
    Ok(())
}

/// Page `n` of a WordPress feed: `?paged=n` (other query parameters kept).
fn wordpress_page(feed: &str, n: u32) -> Option<String> {
    let mut u = Url::parse(feed).ok()?;
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| k != "paged")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    u.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("paged", &n.to_string());
    Some(u.to_string())
}

/// Whether an entry is about the subject: it matches one of `include` (title, text and link), or there is none.
fn selected(include: &[Regex], title: Option<&str>, text: &str, link: &str) -> bool {
    if include.is_empty() {
        return true;
    }
    let hay = format!("{}\n{text}\n{link}", title.unwrap_or(""));
    include.iter().any(|re| re.is_match(&hay))
}

/// The URL of an entry's page as the crawler keys it.
fn page_key(link: &str) -> String {
    Url::parse(link)
        .map(|u| frontier_url(u).to_string())
        .unwrap_or_else(|_| link.to_string())
}

fn found_by(e: &SeenEntry) -> String {
    format!("feed: {}", e.feed)
}

fn feed_date(e: &SeenEntry) -> Option<FallbackDate> {
    e.date.as_ref().map(|d| FallbackDate {
        value: d.clone(),
        from: FEED_ENTRY_DATE,
    })
}

fn lead_of(e: &SeenEntry) -> Lead {
    Lead {
        url: e.link.clone(),
        known_as: None,
        fallback_date: feed_date(e),
        overrides: Overrides {
            title: e.title.clone(),
            ..Overrides::default()
        },
        found_by: Some(found_by(e)),
    }
}

/// The document of an entry from the page's stored copy, as the run that fetched it made it.
fn copied_doc(cfg: &FeedSource, e: &SeenEntry, copy: &PageCopy, web: &Web) -> CachedDoc {
    let fallback_date = feed_date(e).or_else(|| {
        copy.last_modified.as_ref().map(|v| FallbackDate {
            value: v.clone(),
            from: "http-last-modified",
        })
    });
    CachedDoc {
        meta: RawDoc {
            source: cfg.name.clone(),
            key: copy.url.clone(),
            url: copy.url.clone(),
            location: copy.url.clone(),
            bytes: Vec::new(),
            content_type_hint: copy.content_type.clone(),
            overrides: Overrides {
                title: e.title.clone(),
                ..Overrides::default()
            },
            linked_from: None,
            // Nearest first, as the crawl lists the URLs that redirected to a page.
            other_urls: copy.redirected_from.iter().rev().cloned().collect(),
            fallback_date,
            found_by: Some(found_by(e)),
            warc: None,
        },
        body: Body::Cache {
            hash: copy.content_hash.clone(),
            cache: web.cache.clone(),
        },
    }
}

#[cfg(test)]
mod tests;
