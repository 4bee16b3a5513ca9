//! A local web archive for the wayback tests (axum on 127.0.0.1, its own tokio runtime), built from the
//! wayback-cdx-server README of internetarchive/wayback: `GET /cdx/search/cdx` answers the documented queries
//! (`url` with `matchType` exact, prefix, host or domain; `from`/`to` as 1 to 14 digits, inclusive; `filter=
//! statuscode:200`; `collapse=digest` over adjacent rows; `limit` N for the first rows and -N for the last;
//! `showResumeKey=true` and `resumeKey=`) with `output=json`: a JSON array whose first row names the fields
//! `urlkey, timestamp, original, mimetype, statuscode, digest, length`, then one row per capture sorted by urlkey
//! and time, then, when rows remain, an empty row and a row holding the resume key. `GET /web/<ts>id_/<url>`
//! serves a capture as archived, or redirects to another capture as the Wayback Machine does when asked for a
//! time it does not hold. CDX answers carry an ETag and honour If-None-Match. Every request is logged.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::{local_listener, serve};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

/// One capture the archive holds.
#[derive(Clone, Debug)]
pub struct Capture {
    pub timestamp: String,
    pub original: String,
    pub mimetype: String,
    pub statuscode: String,
    pub digest: String,
    pub body: Vec<u8>,
    /// Listed as a row of three fields only (a malformed row).
    pub garbled: bool,
}

impl Capture {
    pub fn html(timestamp: &str, original: &str, body: &str) -> Capture {
        Capture::typed(timestamp, original, "text/html", body.as_bytes().to_vec())
    }

    pub fn typed(timestamp: &str, original: &str, mimetype: &str, body: Vec<u8>) -> Capture {
        Capture {
            timestamp: timestamp.into(),
            original: original.into(),
            mimetype: mimetype.into(),
            statuscode: "200".into(),
            digest: digest(&body),
            body,
            garbled: false,
        }
    }
}

/// One request the archive saw.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Path and query as sent.
    pub path: String,
    /// The decoded query parameters.
    pub query: Vec<(String, String)>,
    pub conditional: bool,
    pub status: u16,
}

impl Hit {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    captures: Mutex<Vec<Capture>>,
    /// (timestamp, urlkey) asked → timestamp redirected to.
    redirects: Mutex<HashMap<(String, String), String>>,
    /// `url` parameters whose CDX answer is an HTML error page.
    broken: Mutex<HashSet<String>>,
    hits: Mutex<Vec<Hit>>,
}

/// A running archive.
pub struct Archive {
    pub base: String,
    shared: Arc<Shared>,
}

impl Archive {
    pub fn start(captures: Vec<Capture>) -> Archive {
        let (listener, base) = local_listener();
        let shared = Arc::new(Shared::default());
        *shared.captures.lock().unwrap() = captures;
        let app = axum::Router::new()
            .fallback(handle)
            .with_state((shared.clone(), base.clone()));
        serve(listener, app);
        Archive { base, shared }
    }

    pub fn cdx_url(&self) -> String {
        format!("{}/cdx/search/cdx", self.base)
    }

    pub fn archive_url(&self) -> String {
        format!("{}/web/", self.base)
    }

    pub fn add(&self, c: Capture) {
        self.shared.captures.lock().unwrap().push(c);
    }

    /// Asking the capture of `original` at `from` is answered with a redirect to its capture at `to`.
    pub fn redirect(&self, from: &str, original: &str, to: &str) {
        self.shared
            .redirects
            .lock()
            .unwrap()
            .insert((from.into(), urlkey(original)), to.into());
    }

    /// The CDX query for `url` is answered with an HTML error page.
    pub fn break_cdx_for(&self, url: &str) {
        self.shared.broken.lock().unwrap().insert(url.into());
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    pub fn cdx_hits(&self) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path.starts_with("/cdx/"))
            .collect()
    }

    /// The capture requests, as `<timestamp>id_/<original>`.
    pub fn capture_hits(&self) -> Vec<String> {
        self.hits()
            .into_iter()
            .filter_map(|h| h.path.strip_prefix("/web/").map(str::to_string))
            .collect()
    }

    pub fn clear_hits(&self) {
        self.shared.hits.lock().unwrap().clear();
    }
}

fn digest(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("D{:016X}", h.finish())
}

/// Host without `www.` and the port, lowercased; path and query.
fn parts(u: &str) -> (String, String) {
    let full = if u.contains("://") {
        u.to_string()
    } else {
        format!("http://{u}")
    };
    let Ok(p) = url::Url::parse(&full) else {
        return (u.to_string(), String::new());
    };
    let host = p.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let mut rest = p.path().to_string();
    if let Some(q) = p.query() {
        rest.push('?');
        rest.push_str(q);
    }
    (host, rest)
}

/// The SURT form the index sorts by: `org,example)/path?query`.
fn urlkey(u: &str) -> String {
    let (host, rest) = parts(u);
    let rev: Vec<&str> = host.split('.').rev().collect();
    format!("{}){}", rev.join(","), rest.to_ascii_lowercase())
}

fn pad(v: &str, fill: char) -> String {
    let mut s = v.to_string();
    while s.len() < 14 {
        s.push(fill);
    }
    s
}

fn matches(c: &Capture, url: &str, match_type: &str) -> bool {
    let (host, _) = parts(&c.original);
    let (want_host, _) = parts(url);
    match match_type {
        "prefix" => urlkey(&c.original).starts_with(&urlkey(url)),
        "host" => host == want_host,
        "domain" => host == want_host || host.ends_with(&format!(".{want_host}")),
        _ => urlkey(&c.original) == urlkey(url),
    }
}

fn respond(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap();
    resp.headers_mut()
        .insert("content-type", HeaderValue::from_str(content_type).unwrap());
    resp
}

async fn handle(State((shared, base)): State<(Arc<Shared>, String)>, req: Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let if_none_match = req
        .headers()
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let hit = shared.hits.lock().unwrap().len();
    shared.hits.lock().unwrap().push(Hit {
        path: path.clone(),
        query: query.clone(),
        conditional: if_none_match.is_some(),
        status: 0,
    });
    let resp = if req.uri().path() == "/cdx/search/cdx" {
        cdx(&shared, &query, if_none_match.as_deref())
    } else if let Some(rest) = path.strip_prefix("/web/") {
        capture(&shared, &base, rest)
    } else {
        respond(404, "text/plain", b"not found".to_vec())
    };
    shared.hits.lock().unwrap()[hit].status = resp.status().as_u16();
    resp
}

fn capture(shared: &Shared, base: &str, rest: &str) -> Response {
    let Some((ts, original)) = rest.split_once("id_/") else {
        return respond(404, "text/plain", b"not an id_ capture".to_vec());
    };
    let key = urlkey(original);
    if let Some(to) = shared
        .redirects
        .lock()
        .unwrap()
        .get(&(ts.to_string(), key.clone()))
    {
        let mut resp = respond(302, "text/plain", Vec::new());
        resp.headers_mut().insert(
            "location",
            HeaderValue::from_str(&format!("{base}/web/{to}id_/{original}")).unwrap(),
        );
        return resp;
    }
    let captures = shared.captures.lock().unwrap();
    match captures
        .iter()
        .find(|c| c.timestamp == ts && urlkey(&c.original) == key)
    {
        Some(c) => respond(200, &c.mimetype, c.body.clone()),
        None => respond(
            404,
            "text/html",
            b"<html><body>Not in archive</body></html>".to_vec(),
        ),
    }
}

fn cdx(shared: &Shared, query: &[(String, String)], if_none_match: Option<&str>) -> Response {
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(url) = param("url") else {
        return respond(400, "text/plain", b"url is required".to_vec());
    };
    if shared.broken.lock().unwrap().contains(url) {
        return respond(
            200,
            "text/html",
            b"<html><body><h1>Service temporarily unavailable</h1></body></html>".to_vec(),
        );
    }
    let match_type = param("matchType").unwrap_or("exact");
    let filters: Vec<&str> = query
        .iter()
        .filter(|(k, _)| k == "filter")
        .map(|(_, v)| v.as_str())
        .collect();
    let mut rows: Vec<Capture> = shared
        .captures
        .lock()
        .unwrap()
        .iter()
        .filter(|c| matches(c, url, match_type))
        .filter(|c| param("from").is_none_or(|f| pad(&c.timestamp, '0') >= pad(f, '0')))
        .filter(|c| param("to").is_none_or(|t| pad(&c.timestamp, '0') <= pad(t, '9')))
        .filter(|c| {
            filters.iter().all(|f| match f.strip_prefix("statuscode:") {
                Some(code) => c.statuscode == code,
                None => true,
            })
        })
        .cloned()
        .collect();
    rows.sort_by_key(|c| (urlkey(&c.original), c.timestamp.clone()));
    if query.iter().any(|(k, v)| k == "collapse" && v == "digest") {
        rows.dedup_by(|later, earlier| later.digest == earlier.digest);
    }
    if let Some(key) = param("resumeKey") {
        let after = rows
            .iter()
            .position(|c| format!("{} {}!", urlkey(&c.original), c.timestamp) == key);
        rows = match after {
            Some(i) => rows.split_off(i + 1),
            None => Vec::new(),
        };
    }
    let limit: i64 = param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(150_000);
    let mut more = false;
    if limit < 0 {
        let n = limit.unsigned_abs() as usize;
        rows = rows.split_off(rows.len().saturating_sub(n));
    } else if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        more = true;
    }
    let fields = |c: &Capture| -> Vec<String> {
        let all = vec![
            urlkey(&c.original),
            c.timestamp.clone(),
            c.original.clone(),
            c.mimetype.clone(),
            c.statuscode.clone(),
            c.digest.clone(),
            c.body.len().to_string(),
        ];
        if c.garbled {
            all[..3].to_vec()
        } else {
            all
        }
    };
    let body = if param("output") == Some("json") {
        let mut out: Vec<Vec<String>> = vec![[
            "urlkey",
            "timestamp",
            "original",
            "mimetype",
            "statuscode",
            "digest",
            "length",
        ]
        .map(String::from)
        .to_vec()];
        out.extend(rows.iter().map(fields));
        if more && param("showResumeKey") == Some("true") {
            let last = rows.last().expect("more rows after a full page");
            let key: String = url::form_urlencoded::byte_serialize(
                format!("{} {}!", urlkey(&last.original), last.timestamp).as_bytes(),
            )
            .collect();
            out.push(Vec::new());
            out.push(vec![key]);
        }
        if rows.is_empty() && !more {
            // The Internet Archive answers an empty listing with an empty array.
            out.clear();
        }
        serde_json::to_string(&out).unwrap()
    } else {
        rows.iter()
            .map(|c| fields(c).join(" ") + "\n")
            .collect::<String>()
    };
    let etag = format!("\"{}\"", digest(body.as_bytes()));
    if if_none_match == Some(etag.as_str()) {
        let mut resp = respond(304, "application/json", Vec::new());
        resp.headers_mut()
            .insert("etag", HeaderValue::from_str(&etag).unwrap());
        return resp;
    }
    let mut resp = respond(200, "application/json", body.into_bytes());
    resp.headers_mut()
        .insert("etag", HeaderValue::from_str(&etag).unwrap());
    resp
}
