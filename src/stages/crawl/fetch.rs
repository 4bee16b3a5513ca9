//! One HTTP request, done robustly: conditional headers, retries with exponential backoff and jitter on 408,
//! 429, 5xx and network errors (honouring `Retry-After`), and a size cap per content type that refuses a body,
//! never truncates it. Redirects are not followed here: the crawler queues their targets like any URL, so each
//! hop waits its host's turn.

use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap};
use reqwest::{Client, StatusCode};

use crate::config::HttpSource;
use crate::records::NetworkFailure;

/// The validators of a cached copy, sent as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default)]
pub struct Conditional {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// How a request ended.
#[derive(Debug)]
pub enum Answer {
    /// A 2xx body, whole.
    Body {
        status: u16,
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        bytes: Vec<u8>,
    },
    /// 304: the cached copy is current.
    NotModified {
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// A 3xx with a `Location`.
    Redirect { status: u16, location: String },
    /// An answer that is final and not a success (404, 403, 410, or a 5xx after the last retry).
    Status { status: u16, host_failure: bool },
    /// The body was refused (too large, or a type uptake does not read); not retried.
    Refused { status: u16, reason: String },
    /// The request failed after the last retry (connect, timeout, dropped connection); `reason` starts with
    /// the kind (`dns: …`).
    Failed {
        kind: NetworkFailure,
        reason: String,
    },
}

/// One request and what it took.
#[derive(Debug)]
pub struct Fetched {
    pub answer: Answer,
    pub attempts: u32,
    pub elapsed: Duration,
    /// What was said on the wire in the last attempt, when a server answered and the source writes WARC files
    /// ([`Limits::record`]).
    pub exchange: Option<Exchange>,
}

/// Most bytes of the body of an answer that is not a 2xx (a redirect's, a 404's) kept for the WARC files; a
/// longer one is written cut (`WARC-Truncated: length`).
pub const MAX_OTHER_BODY_BYTES: usize = 64 * 1024;

/// One request and its answer as the WARC files keep them: the request as sent (its line and headers; reqwest
/// adds `Host`, `User-Agent`, `Accept` and `Accept-Encoding` as written here), the status line and headers as
/// received, and the body of an answer that is not a 2xx (a 2xx body is in [`Answer::Body`]).
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: String,
    /// The request line and headers, in order.
    pub request: Vec<(String, String)>,
    /// `HTTP/1.1`, `HTTP/2.0`.
    pub version: String,
    pub status: u16,
    /// The response's headers as received, in order (reqwest has removed `Content-Encoding` and
    /// `Content-Length` from a body it decompressed).
    pub headers: Vec<(String, String)>,
    /// When the request was sent.
    pub date: chrono::DateTime<chrono::Utc>,
    /// The server's address.
    pub ip: Option<String>,
    /// The body of an answer that is not a 2xx, up to [`MAX_OTHER_BODY_BYTES`].
    pub other_body: Vec<u8>,
    /// `other_body` was cut.
    pub truncated: bool,
}

/// Crawl settings of one source that a request needs.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_retries: u32,
    pub retry_base: Duration,
    pub max_retry_after: Duration,
    pub max_html_bytes: u64,
    pub max_pdf_bytes: u64,
    /// Keep JSON bodies too (API answers); pages of a crawl are never JSON documents.
    pub accept_json: bool,
    /// Keep the [`Exchange`] of each request for the WARC files (and read the bodies of answers that are not a
    /// 2xx, up to [`MAX_OTHER_BODY_BYTES`]).
    pub record: bool,
    /// The User-Agent the client sends, for the request record.
    pub user_agent: String,
}

impl Limits {
    pub fn of(src: &HttpSource) -> Limits {
        Limits {
            max_retries: src.max_retries,
            retry_base: Duration::from_millis(src.retry_base_ms),
            max_retry_after: Duration::from_millis(src.max_retry_after_ms),
            max_html_bytes: src.max_html_bytes,
            max_pdf_bytes: src.max_pdf_bytes,
            accept_json: false,
            record: false,
            user_agent: src.user_agent.clone(),
        }
    }
}

/// Builds the client of a source: its User-Agent and timeouts, no automatic redirects.
pub fn client(src: &HttpSource) -> reqwest::Result<Client> {
    Client::builder()
        .user_agent(src.user_agent.clone())
        .connect_timeout(Duration::from_millis(src.connect_timeout_ms))
        .timeout(Duration::from_millis(src.timeout_ms))
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(2)
        .build()
}

/// Content types whose bodies the crawler keeps or reads for links and sitemaps.
fn readable(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim();
    mime.is_empty()
        || mime.starts_with("text/")
        || mime.contains("html")
        || mime.contains("xml")
        || mime.contains("pdf")
        || mime == "application/octet-stream"
        || mime == "application/x-gzip"
        || mime == "application/gzip"
}

fn is_pdf_type(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().contains("pdf"))
}

fn header(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date in any of its three forms (see
/// [`crate::textutil::parse_http_date`]); a date in the past is no wait.
pub fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = header(h, header::RETRY_AFTER)?;
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = crate::textutil::parse_http_date(&v)?;
    let wait = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Backoff before retry `attempt` (1-based): `base × 2^(attempt-1)` plus jitter up to as much again.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << (attempt - 1).min(16));
    let jitter_ms = fastrand::u64(0..=exp.as_millis().min(u64::MAX as u128) as u64);
    exp + Duration::from_millis(jitter_ms)
}

enum Attempt {
    Done(Answer),
    /// Worth another try, after at least this long (from `Retry-After`), with the reason if it was the last.
    Retry(Option<Duration>, Answer),
    /// `Retry-After` asked for longer than allowed: give up now.
    GiveUp(Answer),
}

/// Fetches `url` with retries. A retry never comes sooner than `floor` (the host's delay) after the last answer.
pub async fn fetch(
    client: &Client,
    url: &str,
    cond: &Conditional,
    limits: &Limits,
    floor: Duration,
) -> Fetched {
    let start = Instant::now();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut exchange = None;
        let result = once(client, url, cond, limits, &mut exchange).await;
        let (wait, answer) = match result {
            Attempt::Done(a) | Attempt::GiveUp(a) => {
                return Fetched {
                    answer: a,
                    attempts: attempt,
                    elapsed: start.elapsed(),
                    exchange,
                }
            }
            Attempt::Retry(wait, a) => (wait, a),
        };
        if attempt > limits.max_retries {
            return Fetched {
                answer,
                attempts: attempt,
                elapsed: start.elapsed(),
                exchange,
            };
        }
        let pause = match wait {
            Some(w) => w.max(backoff(limits.retry_base, attempt)),
            None => backoff(limits.retry_base, attempt),
        }
        .max(floor);
        tracing::debug!("{url}: attempt {attempt} failed; retrying in {pause:?}");
        tokio::time::sleep(pause).await;
    }
}

/// The request line and headers as reqwest sends them for `url` with `cond`.
fn request_head(url: &str, cond: &Conditional, limits: &Limits) -> Vec<(String, String)> {
    let (target, host) = match url::Url::parse(url) {
        Ok(u) => {
            let mut t = u.path().to_string();
            if let Some(q) = u.query() {
                t = format!("{t}?{q}");
            }
            let host = match (u.host_str(), u.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_string(),
                _ => String::new(),
            };
            (t, host)
        }
        Err(_) => (url.to_string(), String::new()),
    };
    let mut head = vec![
        (format!("GET {target} HTTP/1.1"), String::new()),
        ("Host".to_string(), host),
        ("User-Agent".to_string(), limits.user_agent.clone()),
        ("Accept".to_string(), "*/*".to_string()),
        ("Accept-Encoding".to_string(), "gzip".to_string()),
    ];
    if let Some(e) = &cond.etag {
        head.push(("If-None-Match".into(), e.clone()));
    }
    if let Some(lm) = &cond.last_modified {
        head.push(("If-Modified-Since".into(), lm.clone()));
    }
    head
}

/// Reads the body of an answer that is not a 2xx for the WARC files, up to [`MAX_OTHER_BODY_BYTES`].
async fn other_body(resp: &mut reqwest::Response, ex: &mut Option<Exchange>) {
    let Some(ex) = ex.as_mut() else { return };
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = MAX_OTHER_BODY_BYTES - ex.other_body.len();
        if chunk.len() > room {
            ex.other_body.extend_from_slice(&chunk[..room]);
            ex.truncated = true;
            return;
        }
        ex.other_body.extend_from_slice(&chunk);
    }
}

async fn once(
    client: &Client,
    url: &str,
    cond: &Conditional,
    limits: &Limits,
    exchange: &mut Option<Exchange>,
) -> Attempt {
    let mut req = client.get(url);
    if let Some(e) = &cond.etag {
        req = req.header(header::IF_NONE_MATCH, e);
    }
    if let Some(lm) = &cond.last_modified {
        req = req.header(header::IF_MODIFIED_SINCE, lm);
    }
    let sent_at = chrono::Utc::now();
    let mut resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            let (kind, reason) = network_failure(&e);
            let failed = Answer::Failed { kind, reason };
            // A name that does not resolve, or a TLS peer that is not what it should be, will not change in
            // seconds: no retry.
            return match kind {
                NetworkFailure::Dns | NetworkFailure::Tls => Attempt::GiveUp(failed),
                _ => Attempt::Retry(None, failed),
            };
        }
    };
    let status = resp.status();
    let headers = resp.headers().clone();
    if limits.record {
        *exchange = Some(Exchange {
            url: url.to_string(),
            request: request_head(url, cond, limits),
            version: format!("{:?}", resp.version()),
            status: status.as_u16(),
            headers: headers
                .iter()
                .map(|(n, v)| {
                    let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
                    (n.as_str().to_string(), v)
                })
                .collect(),
            date: sent_at,
            ip: resp.remote_addr().map(|a| a.ip().to_string()),
            other_body: Vec::new(),
            truncated: false,
        });
        if !status.is_success() && status != StatusCode::NOT_MODIFIED {
            other_body(&mut resp, exchange).await;
        }
    }
    if status == StatusCode::NOT_MODIFIED {
        return Attempt::Done(Answer::NotModified {
            etag: header(&headers, header::ETAG),
            last_modified: header(&headers, header::LAST_MODIFIED),
        });
    }
    if status.is_redirection() {
        return Attempt::Done(match header(&headers, header::LOCATION) {
            Some(location) => Answer::Redirect {
                status: status.as_u16(),
                location,
            },
            None => Answer::Status {
                status: status.as_u16(),
                host_failure: false,
            },
        });
    }
    let retryable = status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error();
    if retryable {
        let failed = Answer::Status {
            status: status.as_u16(),
            host_failure: true,
        };
        return match retry_after(&headers) {
            Some(w) if w > limits.max_retry_after => Attempt::GiveUp(Answer::Status {
                status: status.as_u16(),
                host_failure: true,
            }),
            w => Attempt::Retry(w, failed),
        };
    }
    if !status.is_success() {
        return Attempt::Done(Answer::Status {
            status: status.as_u16(),
            host_failure: false,
        });
    }
    let content_type = header(&headers, header::CONTENT_TYPE);
    let json = |ct: &str| limits.accept_json && ct.to_ascii_lowercase().contains("json");
    if let Some(ct) = content_type
        .as_deref()
        .filter(|ct| !readable(ct) && !json(ct))
    {
        return Attempt::Done(Answer::Refused {
            status: status.as_u16(),
            reason: format!("content type {ct:?} is not read"),
        });
    }
    // The cap by declared type; a body sniffed as PDF later under an HTML type was still held to the HTML cap.
    let (cap, cap_name) = if is_pdf_type(content_type.as_deref()) || url_looks_pdf(url) {
        (limits.max_pdf_bytes, "max_pdf_bytes")
    } else {
        (limits.max_html_bytes, "max_html_bytes")
    };
    let too_large = |n: u64| {
        Attempt::Done(Answer::Refused {
            status: status.as_u16(),
            reason: format!("body of {n} bytes or more is over {cap_name} = {cap}; refused"),
        })
    };
    if let Some(n) = resp.content_length().filter(|&n| n > cap) {
        return too_large(n);
    }
    let mut bytes = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if (bytes.len() + chunk.len()) as u64 > cap {
                    return too_large((bytes.len() + chunk.len()) as u64);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                let (kind, why) = network_failure(&e);
                let detail = why.strip_prefix(&format!("{kind}: ")).unwrap_or(&why);
                let reason = format!(
                    "{kind}: the body broke off after {} bytes: {detail}",
                    bytes.len(),
                );
                return Attempt::Retry(None, Answer::Failed { kind, reason });
            }
        }
    }
    Attempt::Done(Answer::Body {
        status: status.as_u16(),
        content_type,
        etag: header(&headers, header::ETAG),
        last_modified: header(&headers, header::LAST_MODIFIED),
        bytes,
    })
}

fn url_looks_pdf(url: &str) -> bool {
    url.split(['?', '#'])
        .next()
        .is_some_and(|p| p.to_ascii_lowercase().ends_with(".pdf"))
}

/// The kind of a network failure and its reason, `kind: cause` (`dns: failed to lookup address information: …`),
/// from a reqwest error's cause chain: the first cause that tells the kind (outermost first), and the innermost
/// cause's words, which are the most precise.
fn network_failure(e: &reqwest::Error) -> (NetworkFailure, String) {
    let mut kind = None;
    let mut innermost = None;
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        kind = kind.or_else(|| failure_kind(s));
        let text = s.to_string();
        if !text.trim().is_empty() {
            innermost = Some(text);
        }
        source = s.source();
    }
    let kind = if e.is_timeout() {
        NetworkFailure::Timeout
    } else {
        kind.unwrap_or(NetworkFailure::Other)
    };
    let cause = innermost.unwrap_or_else(|| e.to_string());
    (kind, format!("{kind}: {cause}"))
}

/// The kind one cause of a request's error tells, if it tells one.
fn failure_kind(cause: &(dyn std::error::Error + 'static)) -> Option<NetworkFailure> {
    use std::io::ErrorKind;
    if cause.is::<rustls::Error>() {
        return Some(NetworkFailure::Tls);
    }
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        // An io::Error hides the error it wraps from `source()`, and may wrap another io::Error: rustls's
        // handshake errors travel that way.
        let mut wrapped = io.get_ref();
        while let Some(inner) = wrapped {
            if inner.is::<rustls::Error>() {
                return Some(NetworkFailure::Tls);
            }
            wrapped = inner
                .downcast_ref::<std::io::Error>()
                .and_then(|e| e.get_ref());
        }
        match io.kind() {
            ErrorKind::ConnectionRefused => return Some(NetworkFailure::Refused),
            ErrorKind::TimedOut => return Some(NetworkFailure::Timeout),
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof => return Some(NetworkFailure::Reset),
            _ => {}
        }
    }
    // hyper-util names a resolver's failure "dns error"; the system resolver says "failed to lookup address";
    // hyper says a connection closed early in words only.
    let text = cause.to_string().to_ascii_lowercase();
    if text.starts_with("dns error") || text.contains("failed to lookup address") {
        Some(NetworkFailure::Dns)
    } else if text.contains("connection closed before message completed") {
        Some(NetworkFailure::Reset)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_bounded_jitter() {
        let base = Duration::from_millis(100);
        for attempt in 1..=4 {
            let floor = 100 * (1 << (attempt - 1));
            for _ in 0..50 {
                let b = backoff(base, attempt).as_millis() as u64;
                assert!(b >= floor && b <= 2 * floor, "attempt {attempt}: {b}");
            }
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
        // a date in the future, in each of the three forms HTTP allows, is a wait until then
        let later = std::time::SystemTime::now() + Duration::from_secs(3600);
        let imf = httpdate::fmt_http_date(later);
        let when = chrono::DateTime::<chrono::Utc>::from(later);
        for form in [
            imf.clone(),
            when.format("%A, %d-%b-%y %H:%M:%S GMT").to_string(),
            when.format("%a %b %e %H:%M:%S %Y").to_string(),
        ] {
            h.insert(header::RETRY_AFTER, form.parse().unwrap());
            let wait = retry_after(&h).unwrap_or_else(|| panic!("{form:?} is not read"));
            assert!(
                wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600),
                "{form:?}: {wait:?}"
            );
        }
    }

    #[test]
    fn only_document_types_are_read() {
        for ok in [
            "text/html; charset=windows-1252",
            "application/pdf",
            "application/xml",
            "text/plain",
            "application/xhtml+xml",
        ] {
            assert!(readable(ok), "{ok}");
        }
        for no in ["image/png", "video/mp4", "application/zip"] {
            assert!(!readable(no), "{no}");
        }
    }
}
