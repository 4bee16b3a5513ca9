//! The `kind = "openalex"` source: scholarly works that name an output, found through the OpenAlex works API,
//! each a candidate document whose text is fetched through the crawler; detection then says whether it cites.
//!
//! The protocol followed is OpenAlex's public documentation (developers.openalex.org, read in late 2026):
//! "Searching" (`search` covers title, abstract and full text; a phrase in double quotes is matched as a phrase;
//! one search parameter per request), "Filter" (`from_publication_date:YYYY-MM-DD`), "Select fields" (`select`
//! of root-level fields), "Page through results" (`cursor=*`, then `meta.next_cursor` until it is null;
//! `per_page` up to 100; the older docs spell it `per-page`, the API takes both), "Authentication & Pricing"
//! (`api_key`; a search costs $1 per 1,000 calls, a free key gives $1 a day; at most 100 requests a second;
//! `mailto` identifies the caller) and "Errors" (429 when the allowance is spent, JSON `error`/`message`
//! bodies), with the work and authorship objects of docs.openalex.org (`doi`, `publication_date`, `type`,
//! `primary_location.source.display_name`, `best_oa_location.pdf_url` / `landing_page_url`,
//! `authorships[].institutions[]` with `ror`, `type`, `country_code`) and the pyalex client's README (the same
//! parameters as query parameters).
//!
//! For each query (see `config::openalex` for which names are searched) pages of 100 are asked until
//! `max_results_per_query` works or the last page (a null `next_cursor`, or a page shorter than 100: the empty
//! page the API would give after it is not asked). Requests go through [`ApiClient`]: one at a time per host
//! with `delay_ms` between them, 429 and 5xx retried after `Retry-After`, answers cached so a re-run asks
//! conditionally, at most `max_requests` over the network in a run (then cached answers only, and the summary
//! says what was not asked; the same when OpenAlex refuses with 401, 403 or a last 429, as every later request
//! would be refused too, and after three queries in a row failed: an unreachable API is not asked 50 times). A malformed answer is a skip naming its URL; the query stops there and the others go
//! on; the works read before it are kept. The same work found by several queries is one candidate with all of
//! them. Each work's text (open-access PDF, else landing page, else DOI) is fetched through the crawler
//! ([`fetch_leads`]: robots.txt, politeness, the body cache); a work without any is still listed in `works`.

mod work;

use std::collections::HashMap;

use super::api::{ApiClient, ApiError};
use super::{fetch_leads, summarise, CrawlError, CrawlOutcome, Lead, Web};
use crate::config::{OpenAlexSource, WorkQuery, OPENALEX_PER_PAGE};
use crate::records::{CrawlLogRow, SkipStage, Skipped, UrlOutcome, WorkRecord};
use work::{overrides, Page, Work, SELECT};

/// Queries failing in a row (unreachable, 5xx after the retries, answers that are not works pages: a captive
/// portal's HTML) after which the API is no longer asked in this run.
const MAX_FAILED_IN_A_ROW: usize = 3;

/// What a run of the source asked and found, for its summary line.
#[derive(Debug, Default)]
struct Tally {
    queries: usize,
    /// Queries (or their later pages) not asked: the budget was spent, or OpenAlex refused, and no earlier
    /// answer was cached.
    not_asked: usize,
    /// Why the API is no longer asked.
    stopped: Option<String>,
    failed_queries: usize,
    failed_in_a_row: usize,
    malformed_works: usize,
}

/// The works found so far, each once, in the order first found.
#[derive(Debug, Default)]
struct Found {
    works: Vec<WorkRecord>,
    by_id: HashMap<String, usize>,
}

impl Found {
    fn add(&mut self, source: &str, w: &Work, q: &WorkQuery) {
        let label = q.label();
        let i = match self.by_id.get(w.id.trim()) {
            Some(&i) => i,
            None => {
                let i = self.works.len();
                self.by_id.insert(w.id.trim().to_string(), i);
                self.works.push(WorkRecord {
                    url: w.text_url(),
                    ..w.record(source)
                });
                i
            }
        };
        let rec = &mut self.works[i];
        if !rec.queries.contains(&label) {
            rec.queries.push(label);
        }
        for o in &q.output_ids {
            if !rec.output_ids.contains(o) {
                rec.output_ids.push(o.clone());
            }
        }
    }
}

/// Keeps the API key out of logs, tables and messages: every `api_key=` value becomes `REDACTED`.
fn redact(s: &str) -> String {
    static KEY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    KEY.get_or_init(|| regex::Regex::new(r"api_key=[^&#\s\)\]\x22']*").expect("a valid pattern"))
        .replace_all(s, "api_key=REDACTED")
        .into_owned()
}

fn redact_row(mut r: CrawlLogRow) -> CrawlLogRow {
    r.url = redact(&r.url);
    r.error = r.error.map(|e| redact(&e));
    r.final_url = r.final_url.map(|u| redact(&u));
    r
}

/// The URL of one page of a query.
fn page_url(cfg: &OpenAlexSource, q: &WorkQuery, cursor: &str) -> String {
    let base = format!("{}/works", cfg.base_url.trim_end_matches('/'));
    let mut u = url::Url::parse(&base).expect("base_url was validated");
    {
        let mut p = u.query_pairs_mut();
        p.append_pair("search", &format!("\"{}\"", q.phrase));
        if let Some(y) = q.from_year {
            p.append_pair("filter", &format!("from_publication_date:{y:04}-01-01"));
        }
        p.append_pair("select", SELECT);
        p.append_pair("per_page", &OPENALEX_PER_PAGE.to_string());
        p.append_pair("cursor", cursor);
        if let Some(m) = &cfg.mailto {
            p.append_pair("mailto", m);
        }
        if let Some(k) = &cfg.api_key {
            p.append_pair("api_key", k);
        }
    }
    u.to_string()
}

/// How one query ended.
enum Ended {
    Done,
    Budget,
    Failed,
    /// OpenAlex refused (401, 403: "slow down", 429 after the retries: the allowance is spent): asking more
    /// would be refused too.
    Refused(u16),
}

/// Asks the pages of one query, adding its works to `found`; a failure is a skip in `skipped`.
async fn search(
    cfg: &OpenAlexSource,
    client: &ApiClient<'_>,
    q: &WorkQuery,
    found: &mut Found,
    tally: &mut Tally,
    skipped: &mut Vec<Skipped>,
) -> Ended {
    let mut cursor = "*".to_string();
    let mut taken = 0u32;
    loop {
        let url = page_url(cfg, q, &cursor);
        let shown = redact(&url);
        let answer = match client.get(&url).await {
            Ok(a) => a,
            Err(ApiError::Budget { .. }) => return Ended::Budget,
            Err(e) => {
                let reason = redact(&e.to_string());
                tracing::warn!("{reason}");
                skipped.push(Skipped::new(SkipStage::Crawl, &shown, reason));
                return match e {
                    ApiError::Status { status, .. } if matches!(status, 401 | 403 | 429) => {
                        Ended::Refused(status)
                    }
                    _ => Ended::Failed,
                };
            }
        };
        let page: Page = match serde_json::from_slice(&answer.bytes) {
            Ok(p) => p,
            Err(e) => {
                let ct = answer
                    .content_type
                    .as_deref()
                    .map(|c| format!(", Content-Type {c}"))
                    .unwrap_or_default();
                let reason = format!(
                    "not an OpenAlex works answer ({e}{ct}); the query's later pages are not asked"
                );
                tracing::warn!("{shown}: {reason}");
                skipped.push(Skipped::new(SkipStage::Crawl, &shown, reason));
                return Ended::Failed;
            }
        };
        let n = page.results.len();
        for (i, v) in page.results.into_iter().enumerate() {
            if taken >= cfg.max_results_per_query {
                break;
            }
            match serde_json::from_value::<Work>(v) {
                Ok(w) if !w.id.trim().is_empty() => {
                    found.add(&cfg.name, &w, q);
                    taken += 1;
                }
                other => {
                    let why = match other {
                        Err(e) => e.to_string(),
                        Ok(_) => "no id".to_string(),
                    };
                    tracing::warn!("{shown}: result {i} is not a work ({why}); skipped");
                    skipped.push(Skipped::new(
                        SkipStage::Crawl,
                        &shown,
                        format!("result {i} is not an OpenAlex work ({why})"),
                    ));
                    tally.malformed_works += 1;
                }
            }
        }
        tracing::debug!(
            "{shown}: {n} works of {} matching{}",
            page.meta.count.unwrap_or_default(),
            if answer.fresh {
                ""
            } else {
                " (the cached answer)"
            }
        );
        if taken >= cfg.max_results_per_query {
            return Ended::Done;
        }
        // a page shorter than asked for is the last: the empty page after it would cost a request
        if n < OPENALEX_PER_PAGE as usize {
            return Ended::Done;
        }
        match page.meta.next_cursor {
            Some(next) if !next.is_empty() && next != cursor => cursor = next,
            _ => return Ended::Done,
        }
    }
}

/// Searches OpenAlex for every query of the source and fetches the works' texts.
pub(crate) async fn crawl(cfg: &OpenAlexSource, web: &Web) -> Result<CrawlOutcome, CrawlError> {
    let name = &cfg.name;
    if cfg.mailto.is_none() {
        tracing::warn!(
            "source {name:?}: no `mailto` is set; OpenAlex asks callers to give an e-mail address"
        );
    }
    if cfg.api_key.is_none() {
        tracing::info!(
            "source {name:?}: no `api_key`; without one OpenAlex allows very few searches a day (a key is free)"
        );
    }
    let client = ApiClient::new(web, &cfg.api_settings(), cfg.max_requests)?;
    // once the budget is spent or OpenAlex refuses, the rest is answered from earlier runs' answers only
    let cache_only = ApiClient::new(web, &cfg.api_settings(), 0)?;
    let queries = cfg.all_queries();
    if queries.is_empty() {
        tracing::warn!(
            "source {name:?}: no query to ask (no distinctive name and no extra_queries)"
        );
    }
    let mut out = CrawlOutcome::default();
    let mut found = Found::default();
    let mut tally = Tally {
        queries: queries.len(),
        ..Tally::default()
    };
    let pb = web.spinner();
    for (i, q) in queries.iter().enumerate() {
        pb.set_message(format!(
            "{name}: query {}/{}, {} works",
            i + 1,
            queries.len(),
            found.works.len()
        ));
        let c = if tally.stopped.is_some() {
            &cache_only
        } else {
            &client
        };
        let (why, what) = match search(cfg, c, q, &mut found, &mut tally, &mut out.skipped).await {
            Ended::Done => {
                tally.failed_in_a_row = 0;
                continue;
            }
            Ended::Failed => {
                tally.failed_queries += 1;
                tally.failed_in_a_row += 1;
                if tally.failed_in_a_row < MAX_FAILED_IN_A_ROW || tally.stopped.is_some() {
                    continue;
                }
                let why = format!("{MAX_FAILED_IN_A_ROW} queries in a row failed");
                (why.clone(), format!("{why} (see the skipped URLs)"))
            }
            Ended::Refused(status) => {
                tally.failed_queries += 1;
                let why = format!("OpenAlex refused with HTTP {status}");
                (why.clone(), why)
            }
            Ended::Budget => {
                tally.not_asked += 1;
                (
                    "budget spent, raise `max_requests`".to_string(),
                    format!("the budget of {} requests is spent", cfg.max_requests),
                )
            }
        };
        if tally.stopped.is_none() {
            tracing::warn!(
                "source {name:?}: {what}; the other queries are answered from earlier runs' answers or not asked"
            );
            tally.stopped = Some(why);
        }
    }
    pb.finish_and_clear();
    let api_log: Vec<CrawlLogRow> = client.take_log().into_iter().map(redact_row).collect();
    let mut works = found.works;
    let mut fetched_texts = 0;
    if cfg.fetch_texts {
        let mut leads: Vec<Lead> = Vec::new();
        for w in &works {
            let Some(u) = &w.url else { continue };
            if leads.iter().any(|l| l.url == *u) {
                continue;
            }
            leads.push(Lead {
                url: u.clone(),
                known_as: None,
                fallback_date: None,
                overrides: overrides(w),
                found_by: Some(w.queries.join(" | ")),
            });
        }
        if !leads.is_empty() {
            match fetch_leads(&cfg.fetch_settings(), &leads, web).await {
                Ok(f) => {
                    let key_of: HashMap<&str, &str> = f
                        .cached
                        .iter()
                        .flat_map(|d| d.urls().map(move |u| (u, d.meta.key.as_str())))
                        .collect();
                    for w in &mut works {
                        let Some(u) = w.url.as_deref().and_then(|u| url::Url::parse(u).ok()) else {
                            continue;
                        };
                        let u = crate::textutil::frontier_url(u).to_string();
                        w.doc_key = key_of.get(u.as_str()).map(|k| k.to_string());
                        fetched_texts += usize::from(w.doc_key.is_some());
                    }
                    out.cached = f.cached;
                    out.skipped.extend(f.skipped);
                    out.log = f.log;
                    out.hosts = f.hosts;
                }
                Err(e) => {
                    tracing::error!("source {name:?}: the works' texts could not be fetched: {e}");
                    out.skipped
                        .push(Skipped::new(SkipStage::Crawl, &cfg.base_url, e));
                }
            }
        }
    }
    let answered = |o: UrlOutcome| api_log.iter().filter(|r| r.outcome == o).count();
    let without_text = works.iter().filter(|w| w.url.is_none()).count();
    let mut line = format!(
        "[{name}] OpenAlex: {} requests of a budget of {} ({} answered, {} not modified, {} failed); {} queries",
        client.spent(),
        cfg.max_requests,
        answered(UrlOutcome::Fetched),
        answered(UrlOutcome::NotModified),
        answered(UrlOutcome::Failed) + answered(UrlOutcome::Refused),
        tally.queries
    );
    if tally.failed_queries > 0 {
        line.push_str(&format!(" ({} stopped by an error)", tally.failed_queries));
    }
    if let Some(why) = tally.stopped.as_ref().filter(|_| tally.not_asked > 0) {
        line.push_str(&format!(" ({} not finished: {why})", tally.not_asked));
    }
    line.push_str(&format!(
        "; {} works, {} texts fetched, {} without any text to fetch",
        works.len(),
        fetched_texts,
        without_text
    ));
    if tally.malformed_works > 0 {
        line.push_str(&format!(
            ", {} malformed results skipped",
            tally.malformed_works
        ));
    }
    tracing::info!("{line}");
    out.notes.push(line);
    let mut hosts = summarise(name, &api_log, &HashMap::new());
    hosts.append(&mut out.hosts);
    out.hosts = hosts;
    let mut log = api_log;
    log.append(&mut out.log);
    out.log = log;
    out.works = works;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_url_holds_the_phrase_the_year_the_cursor_and_the_contact() {
        let mut cfg: OpenAlexSource = toml::from_str(
            "name = \"oa\"\nmailto = \"me@example.org\"\napi_key = \"k3y\"\nbase_url = \"http://127.0.0.1:9/\"",
        )
        .unwrap();
        cfg.from_year = None;
        let q = WorkQuery {
            phrase: "Best Practice Forum on Gender".into(),
            from_year: Some(2015),
            output_ids: vec!["2015-gender".into()],
        };
        let u = url::Url::parse(&page_url(&cfg, &q, "*")).unwrap();
        assert_eq!(u.path(), "/works");
        let p: HashMap<String, String> = u.query_pairs().into_owned().collect();
        assert_eq!(p["search"], "\"Best Practice Forum on Gender\"");
        assert_eq!(p["filter"], "from_publication_date:2015-01-01");
        assert_eq!(p["cursor"], "*");
        assert_eq!(p["per_page"], "100");
        assert_eq!(p["mailto"], "me@example.org");
        assert_eq!(p["api_key"], "k3y");
        assert!(p["select"].contains("best_oa_location"));
        let shown = redact(u.as_str());
        assert!(
            !shown.contains("k3y") && shown.contains("api_key=REDACTED"),
            "{shown}"
        );
        assert_eq!(
            redact("GET http://x/works?api_key=abc&mailto=m: HTTP 500"),
            "GET http://x/works?api_key=REDACTED&mailto=m: HTTP 500"
        );
    }
}
