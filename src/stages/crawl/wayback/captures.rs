//! Fetching archive captures as documents. A capture is fetched through the crawler ([`fetch_leads`]: the
//! archive's robots.txt, the shared per-host politeness, retries, the body cache), and the archive's redirect to
//! the nearest capture it holds is followed; the document keeps its lead's address (the original URL) and is
//! dated by the capture it came from. A capture never changes, so a capture already in the body cache from an
//! earlier run is read from there without asking the archive again (kept in `<crawl_dir>/wayback/`, one file per
//! source named by a hash of the source's name); it is logged as `not_modified` with 0 attempts.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::super::links::origin_key;
use super::super::{
    content_hash, fetch_leads, state, Body, CachedDoc, CrawlError, CrawlOutcome, HostSummary, Lead,
    Web,
};
use super::cdx;
use crate::config::HttpSource;
use crate::records::{CrawlLogRow, FallbackDate, RawDoc, UrlKind, UrlOutcome};

/// `documents.published_from` of a page dated by its capture: an upper bound (the page existed then).
pub const ARCHIVE_CAPTURE: &str = "archive-capture";

/// What is kept of a fetched capture.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kept {
    /// The capture that answered (the one asked, or the one the archive redirected to).
    final_url: String,
    content_hash: String,
    content_type: Option<String>,
    fetched_at: Option<String>,
}

/// The captures of one source already fetched, by the capture URL asked.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    source: String,
    captures: BTreeMap<String, Kept>,
}

fn index_path(web: &Web, source: &str) -> PathBuf {
    web.crawl_dir
        .join("wayback")
        .join(format!("{}.json", &content_hash(source.as_bytes())[..32]))
}

fn load(path: &Path, source: &str) -> Index {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Index {
            source: source.to_string(),
            ..Index::default()
        };
    };
    match serde_json::from_str::<Index>(&text) {
        Ok(i) if i.source == source => i,
        Ok(_) | Err(_) => {
            tracing::warn!(
                "{}: not a capture list of source {source:?}; its captures are fetched again",
                path.display()
            );
            Index {
                source: source.to_string(),
                ..Index::default()
            }
        }
    }
}

fn save(path: &Path, index: &Index) {
    let write = || -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(index).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomic(path, text.as_bytes())
    };
    if let Err(e) = write() {
        tracing::warn!(
            "{}: the list of fetched captures could not be saved ({e}); they are fetched again next run",
            path.display()
        );
    }
}

/// The date of a capture URL, as a fallback for a page without one.
pub fn capture_fallback(url: &str) -> Option<FallbackDate> {
    let ts = cdx::capture_timestamp(url)?;
    Some(FallbackDate {
        value: cdx::capture_date(&ts)?,
        from: ARCHIVE_CAPTURE,
    })
}

/// Fetches the captures of `leads` (each `url` a capture in the crawler's frontier form, `known_as` its original
/// URL) with the politeness and crawl state of `settings`; captures fetched in an earlier run come from the
/// cache.
pub async fn fetch(
    settings: &HttpSource,
    leads: &[Lead],
    web: &Web,
) -> Result<CrawlOutcome, CrawlError> {
    let path = index_path(web, &settings.name);
    let mut index = load(&path, &settings.name);
    let (reuse, ask): (Vec<&Lead>, Vec<&Lead>) = leads.iter().partition(|l| {
        index
            .captures
            .get(&l.url)
            .is_some_and(|k| web.cache.has(&k.content_hash))
    });
    let ask: Vec<Lead> = ask.into_iter().cloned().collect();
    let mut out = if ask.is_empty() {
        CrawlOutcome::default()
    } else {
        fetch_leads(settings, &ask, web).await?
    };
    let hops: HashMap<String, String> = out
        .log
        .iter()
        .filter(|r| r.outcome == UrlOutcome::Redirect)
        .filter_map(|r| Some((r.url.clone(), r.final_url.clone()?)))
        .collect();
    let final_of = |u: &str| {
        let mut u = u.to_string();
        for _ in 0..=settings.max_redirects {
            match hops.get(&u) {
                Some(next) => u.clone_from(next),
                None => break,
            }
        }
        u
    };
    let mut doc_of: HashMap<String, usize> = HashMap::new();
    for (i, d) in out.cached.iter().enumerate() {
        for u in d.urls() {
            doc_of.entry(u.to_string()).or_insert(i);
        }
    }
    let now = state::now();
    let mut changed = false;
    for lead in &ask {
        let fin = final_of(&lead.url);
        let Some(&i) = doc_of.get(&fin) else {
            continue;
        };
        let doc = &mut out.cached[i];
        if lead.known_as.as_deref() == Some(doc.meta.url.as_str()) {
            if let Some(date) = capture_fallback(&fin) {
                doc.meta.fallback_date = Some(date);
            }
        }
        if let Body::Cache { hash, .. } = &doc.body {
            index.captures.insert(
                lead.url.clone(),
                Kept {
                    final_url: fin,
                    content_hash: hash.clone(),
                    content_type: doc.meta.content_type_hint.clone(),
                    fetched_at: Some(now.clone()),
                },
            );
            changed = true;
        }
    }
    let mut reused: Vec<CachedDoc> = Vec::new();
    let mut by_hash: HashMap<String, usize> = HashMap::new();
    for lead in reuse {
        let k = index.captures[&lead.url].clone();
        let host = url::Url::parse(&lead.url)
            .map(|u| origin_key(&u))
            .unwrap_or_default();
        out.log.push(CrawlLogRow {
            source: settings.name.clone(),
            url: lead.url.clone(),
            host: host.clone(),
            kind: UrlKind::Page,
            outcome: UrlOutcome::NotModified,
            content_type: k.content_type.clone(),
            content_hash: Some(k.content_hash.clone()),
            fetched_at: k.fetched_at.clone(),
            attempts: 0,
            final_url: (k.final_url != lead.url).then(|| k.final_url.clone()),
            ..CrawlLogRow::default()
        });
        match out.hosts.iter_mut().find(|h| h.host == host) {
            Some(h) => h.not_modified += 1,
            None => out.hosts.push(HostSummary {
                source: settings.name.clone(),
                host,
                not_modified: 1,
                ..HostSummary::default()
            }),
        }
        let mut other_urls = vec![lead.url.clone()];
        if k.final_url != lead.url {
            other_urls.push(k.final_url.clone());
        }
        if let Some(&i) = by_hash.get(&k.content_hash) {
            let m: &mut RawDoc = &mut reused[i].meta;
            m.other_urls.extend(lead.known_as.iter().cloned());
            m.other_urls.append(&mut other_urls);
            continue;
        }
        let address = lead.known_as.clone().unwrap_or_else(|| lead.url.clone());
        by_hash.insert(k.content_hash.clone(), reused.len());
        reused.push(CachedDoc {
            meta: RawDoc {
                source: settings.name.clone(),
                key: address.clone(),
                url: address,
                location: k.final_url.clone(),
                bytes: Vec::new(),
                content_type_hint: k.content_type.clone(),
                overrides: lead.overrides.clone(),
                linked_from: None,
                other_urls,
                fallback_date: capture_fallback(&k.final_url).or(lead.fallback_date.clone()),
                found_by: lead.found_by.clone(),
                warc: None,
            },
            body: Body::Cache {
                hash: k.content_hash,
                cache: web.cache.clone(),
            },
        });
    }
    if !reused.is_empty() {
        tracing::info!(
            "source {:?}: {} captures read from the cache (a capture never changes)",
            settings.name,
            reused.len()
        );
    }
    reused.append(&mut out.cached);
    out.cached = reused;
    if changed {
        save(&path, &index);
    }
    Ok(out)
}
