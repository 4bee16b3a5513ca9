//! One answer of the crawl, off the coordinator: robots.txt fetched (redirects followed), and a page's answer
//! turned into what the state stores, the cache holds and the frontier gains (links, sitemap entries, a redirect).

use std::time::Duration;

use reqwest::Client;
use url::Url;

use super::super::fetch::{self, Conditional, Fetched, Limits};
use super::super::links::html_links;
use super::super::robots::{looks_like_sitemap, parse_sitemap, Sitemap};
use super::super::state::{Answer, BodyCache, Queued, Validators};
use super::super::warcout::{prepare_off_thread, Prepared};
use crate::records::{NetworkFailure, UrlKind, UrlOutcome};
use crate::textutil::frontier_url;

/// Most redirects followed when fetching robots.txt (RFC 9309 asks for at least five).
const ROBOTS_MAX_REDIRECTS: usize = 5;

/// A frontier entry with what only this process needs to know.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub q: Queued,
    /// URLs that redirected here in this chain, oldest first.
    pub chain: Vec<String>,
}

/// A finished task.
pub(super) enum Done {
    Robots {
        origin: String,
        status: u16,
        body: Vec<u8>,
        /// The network failure that kept robots.txt from being read, with its reason.
        failure: Option<(NetworkFailure, String)>,
        /// The WARC records of its answers (one per redirect hop).
        warc: Vec<Prepared>,
    },
    Item {
        origin: String,
        item: Item,
        result: Box<Processed>,
        /// The WARC records of the answer, when WARC files are written.
        warc: Option<Prepared>,
    },
}

/// An answer turned into what the state stores and what the frontier gains.
pub(super) struct Processed {
    pub answer: Answer,
    pub links: Vec<Url>,
    pub sitemap: Option<Sitemap>,
    pub redirect: Option<Url>,
    pub host_failure: bool,
}

/// Fetches robots.txt of an origin, following up to five redirects.
pub(super) async fn fetch_robots(
    client: &Client,
    origin: &str,
    limits: &Limits,
    floor: Duration,
    name: std::sync::Arc<str>,
) -> Done {
    let mut url = format!("{origin}/robots.txt");
    let mut status = 0;
    let mut body = Vec::new();
    let mut failure = None;
    let mut warc = Vec::new();
    for _ in 0..=ROBOTS_MAX_REDIRECTS {
        let mut f = fetch::fetch(client, &url, &Conditional::default(), limits, floor).await;
        if limits.record {
            let (back, p) = prepare_off_thread(f, name.clone(), None).await;
            f = back;
            warc.extend(p);
        }
        match f.answer {
            fetch::Answer::Body {
                status: s, bytes, ..
            } => {
                status = s;
                body = bytes;
            }
            fetch::Answer::Redirect { location, .. } => {
                match Url::parse(&url).and_then(|u| u.join(&location)) {
                    Ok(next) => {
                        url = next.to_string();
                        continue;
                    }
                    Err(_) => status = 404,
                }
            }
            fetch::Answer::Status { status: s, .. } => status = s,
            fetch::Answer::Failed { kind, reason } => failure = Some((kind, reason)),
            fetch::Answer::Refused { .. } | fetch::Answer::NotModified { .. } => status = 0,
        }
        break;
    }
    // Too many redirects: RFC 9309 treats robots.txt as unavailable (as a 4xx).
    if status == 0 && failure.is_none() && body.is_empty() && url != format!("{origin}/robots.txt")
    {
        status = 404;
    }
    Done::Robots {
        origin: origin.to_string(),
        status,
        body,
        failure,
        warc,
    }
}

pub(super) fn is_html(content_type: Option<&str>, bytes: &[u8]) -> bool {
    if bytes.starts_with(b"%PDF-") {
        return false;
    }
    if content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

/// Turns a fetch into what is stored: bodies go to the cache, HTML gives links, sitemaps give entries.
pub(super) async fn process(
    fetched: Fetched,
    item: &Item,
    prior: Validators,
    cache: BodyCache,
) -> Processed {
    let mut answer = Answer {
        attempts: fetched.attempts,
        elapsed_ms: Some(fetched.elapsed.as_millis() as u64),
        ..Answer::default()
    };
    let mut out = Processed {
        answer: Answer::default(),
        links: vec![],
        sitemap: None,
        redirect: None,
        host_failure: false,
    };
    let page_url = Url::parse(&item.q.url).ok();
    let body = match fetched.answer {
        fetch::Answer::Body {
            status,
            content_type,
            etag,
            last_modified,
            bytes,
        } => {
            answer.http_status = Some(status);
            answer.etag = etag;
            answer.last_modified = last_modified;
            answer.content_type = content_type;
            answer.outcome = UrlOutcome::Fetched;
            Some(bytes)
        }
        fetch::Answer::NotModified {
            etag,
            last_modified,
        } => {
            // A 304 may omit the validators: the earlier ones stay.
            answer.http_status = Some(304);
            answer.etag = etag.or(prior.etag);
            answer.last_modified = last_modified.or(prior.last_modified);
            answer.content_type = prior.content_type;
            answer.outcome = UrlOutcome::NotModified;
            answer.content_hash = prior.content_hash.clone();
            answer.links = prior.links.clone();
            out.links = match prior.links {
                Some(stored) => stored.lines().filter_map(|l| Url::parse(l).ok()).collect(),
                // Stored before links were kept: read the cached body once.
                None => {
                    let (c, h, page) = (cache.clone(), prior.content_hash, page_url.clone());
                    let ct = answer.content_type.clone();
                    tokio::task::spawn_blocking(move || {
                        let bytes = c.get(h.as_deref()?)?;
                        let p = page?;
                        is_html(ct.as_deref(), &bytes).then(|| html_links(&p, &bytes).links)
                    })
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default()
                }
            };
            None
        }
        fetch::Answer::Redirect { status, location } => {
            answer.http_status = Some(status);
            answer.outcome = UrlOutcome::Redirect;
            match page_url.as_ref().map(|u| u.join(&location)) {
                Some(Ok(target)) => {
                    let target = frontier_url(target);
                    answer.final_url = Some(target.to_string());
                    out.redirect = Some(target);
                }
                _ => {
                    answer.outcome = UrlOutcome::Failed;
                    answer.error = Some(format!("redirect to an unusable Location {location:?}"));
                }
            }
            None
        }
        fetch::Answer::Status {
            status,
            host_failure,
        } => {
            answer.http_status = Some(status);
            answer.outcome = UrlOutcome::Failed;
            answer.error = Some(format!("HTTP {status}"));
            out.host_failure = host_failure;
            None
        }
        fetch::Answer::Refused { status, reason } => {
            answer.http_status = Some(status);
            answer.outcome = UrlOutcome::Refused;
            answer.error = Some(reason);
            None
        }
        fetch::Answer::Failed { reason, .. } => {
            answer.outcome = UrlOutcome::Failed;
            answer.error = Some(reason);
            out.host_failure = true;
            None
        }
    };
    if let Some(bytes) = body {
        answer.bytes = Some(bytes.len() as u64);
        let kind = item.q.kind;
        let ct = answer.content_type.clone();
        let page = page_url.clone();
        let handled = tokio::task::spawn_blocking(move || {
            let sitemap_like = kind == UrlKind::Sitemap
                || (ct.as_deref().is_some_and(|c| c.contains("xml"))
                    || !is_html(ct.as_deref(), &bytes))
                    && looks_like_sitemap(&bytes);
            if sitemap_like {
                return match parse_sitemap(&bytes) {
                    Ok(sm) => Ok((None, vec![], Some(sm))),
                    Err(e) if kind == UrlKind::Sitemap => Err(format!("not a sitemap: {e}")),
                    Err(_) => Ok((None, vec![], None)),
                }
                .map(|(h, l, s)| (h, l, s, true));
            }
            let hash = Some(cache.put(&bytes).map_err(|e| e.to_string())?);
            let links = match &page {
                Some(p) if is_html(ct.as_deref(), &bytes) => html_links(p, &bytes).links,
                _ => vec![],
            };
            Ok((hash, links, None, false))
        })
        .await
        .unwrap_or_else(|e| Err(format!("internal error: {e}")));
        match handled {
            Ok((hash, links, sitemap, is_sitemap)) => {
                if is_sitemap {
                    answer.outcome = UrlOutcome::Sitemap;
                    answer.content_hash = None;
                } else if hash.is_some() {
                    answer.content_hash = hash;
                    answer.links =
                        Some(links.iter().map(Url::as_str).collect::<Vec<_>>().join("\n"));
                }
                out.links = links;
                out.sitemap = sitemap;
            }
            Err(e) => {
                answer.outcome = UrlOutcome::Failed;
                answer.error = Some(e);
            }
        }
    }
    out.answer = answer;
    out
}
