//! A local stand-in for the OpenAlex works API, as documented at developers.openalex.org: `/works` with
//! `search` (a phrase in double quotes), `filter=from_publication_date:`, `select` (root fields kept),
//! `per_page` (1 to 100, else 400 with a JSON `error` and `message`), `cursor=*` then the `meta.next_cursor` of
//! each non-empty page (an empty page has a null one), ETag and 304 on `If-None-Match`; replies scripted per
//! phrase (429 with `Retry-After`, 403, a malformed body) come first. Other paths serve files (the works' PDFs
//! and landing pages, robots.txt). Every request is logged with its parameters, whether it was conditional, its
//! status and its arrival time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::{local_listener, serve};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

/// A reply given instead of the computed page, once each, in order.
#[derive(Clone)]
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub params: HashMap<String, String>,
    pub conditional: bool,
    pub status: u16,
    pub at: Instant,
}

#[derive(Default)]
struct Shared {
    /// Works by phrase (the `search` value without its quotes).
    works: Mutex<HashMap<String, Vec<Value>>>,
    /// Replies given before the computed ones, by phrase.
    script: Mutex<HashMap<String, Vec<Scripted>>>,
    /// Other paths: content type and body.
    files: Mutex<HashMap<String, (&'static str, Vec<u8>)>>,
    hits: Mutex<Vec<Hit>>,
}

/// A running OpenAlex stand-in.
pub struct OpenAlex {
    pub base: String,
    shared: Arc<Shared>,
}

impl OpenAlex {
    pub fn start() -> OpenAlex {
        let shared = Shared::default();
        let (listener, base) = local_listener();
        let shared = Arc::new(shared);
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        serve(listener, app);
        OpenAlex { base, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set_works(&self, phrase: &str, works: Vec<Value>) {
        self.shared
            .works
            .lock()
            .unwrap()
            .insert(phrase.to_string(), works);
    }

    pub fn set_file(&self, path: &str, content_type: &'static str, body: Vec<u8>) {
        self.shared
            .files
            .lock()
            .unwrap()
            .insert(path.to_string(), (content_type, body));
    }

    pub fn script(&self, phrase: &str, replies: Vec<Scripted>) {
        self.shared
            .script
            .lock()
            .unwrap()
            .insert(phrase.to_string(), replies);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// The requests to `/works`, in order.
    pub fn api_hits(&self) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path == "/works")
            .collect()
    }
}

fn etag_of(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("W/\"{:016x}\"", h.finish())
}

fn reply(status: u16, headers: &[(&str, String)], body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap();
    for (n, v) in headers {
        resp.headers_mut().insert(
            axum::http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    resp
}

/// One page of `/works` as the API computes it: filtered, projected to `select`, a slice at the cursor.
fn works_page(shared: &Shared, params: &HashMap<String, String>) -> Result<String, (u16, String)> {
    let bad = |m: &str| {
        (
            400,
            json!({"error": "Invalid query parameters", "message": m}).to_string(),
        )
    };
    let per_page: usize = params
        .get("per_page")
        .or_else(|| params.get("per-page"))
        .map(|v| v.parse().map_err(|_| bad("per_page is not a number")))
        .transpose()?
        .unwrap_or(25);
    if !(1..=100).contains(&per_page) {
        return Err(bad("per_page must be between 1 and 100"));
    }
    let search = params.get("search").cloned().unwrap_or_default();
    let phrase = search.trim_matches('"');
    let from = match params.get("filter") {
        None => None,
        Some(f) => Some(
            f.strip_prefix("from_publication_date:")
                .ok_or_else(|| bad("unknown filter"))?
                .to_string(),
        ),
    };
    let works = shared.works.lock().unwrap();
    let all: Vec<&Value> = works
        .get(phrase)
        .into_iter()
        .flatten()
        .filter(|w| match (&from, w["publication_date"].as_str()) {
            (Some(from), Some(d)) => d >= from.as_str(),
            _ => true,
        })
        .collect();
    let offset = match params.get("cursor").map(String::as_str) {
        Some("*") => 0,
        Some(c) => c
            .strip_prefix("c")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad("invalid cursor"))?,
        None => return Err(bad("this stand-in only pages with cursors")),
    };
    let select: Vec<&str> = params
        .get("select")
        .map(|s| s.split(',').collect())
        .unwrap_or_default();
    let results: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(per_page)
        .map(|w| {
            let Some(o) = w.as_object().filter(|_| !select.is_empty()) else {
                return (*w).clone();
            };
            Value::Object(
                o.iter()
                    .filter(|(k, _)| select.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        })
        .collect();
    let next = (!results.is_empty()).then(|| format!("c{}", offset + results.len()));
    Ok(json!({
        "meta": {"count": all.len(), "db_response_time_ms": 12, "page": null, "per_page": per_page, "next_cursor": next},
        "results": results,
        "group_by": []
    })
    .to_string())
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let at = Instant::now();
    let path = req.uri().path().to_string();
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let if_none_match = req
        .headers()
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let index = {
        let mut hits = shared.hits.lock().unwrap();
        hits.push(Hit {
            path: path.clone(),
            params: params.clone(),
            conditional: if_none_match.is_some(),
            status: 0,
            at,
        });
        hits.len() - 1
    };
    let set_status = |code: u16| shared.hits.lock().unwrap()[index].status = code;
    if path != "/works" {
        let file = shared.files.lock().unwrap().get(&path).cloned();
        return match file {
            Some((ct, body)) => {
                set_status(200);
                reply(200, &[("content-type", ct.to_string())], body)
            }
            None => {
                set_status(404);
                reply(404, &[], b"not found".to_vec())
            }
        };
    }
    let phrase = params
        .get("search")
        .map(|s| s.trim_matches('"').to_string())
        .unwrap_or_default();
    let scripted = {
        let mut script = shared.script.lock().unwrap();
        script
            .get_mut(&phrase)
            .filter(|v| !v.is_empty())
            .map(|v| v.remove(0))
    };
    if let Some(r) = scripted {
        set_status(r.status);
        return reply(r.status, &r.headers, r.body.into_bytes());
    }
    match works_page(&shared, &params) {
        Ok(body) => {
            let etag = etag_of(body.as_bytes());
            if if_none_match.as_deref() == Some(etag.as_str()) {
                set_status(304);
                return reply(304, &[("etag", etag)], Vec::new());
            }
            set_status(200);
            reply(
                200,
                &[("content-type", "application/json".into()), ("etag", etag)],
                body.into_bytes(),
            )
        }
        Err((code, body)) => {
            set_status(code);
            reply(
                code,
                &[("content-type", "application/json".into())],
                body.into_bytes(),
            )
        }
    }
}

/// A work in the documented shape, with fields uptake does not read as well.
#[allow(clippy::too_many_arguments)]
pub fn work(
    id: &str,
    title: &str,
    date: &str,
    doi: Option<&str>,
    pdf: Option<String>,
    landing: Option<String>,
    venue: Option<&str>,
    institutions: &[(&str, &str, &str, &str)],
) -> Value {
    let location = |pdf: &Option<String>, landing: &Option<String>| {
        json!({
            "is_oa": pdf.is_some() || landing.is_some(),
            "landing_page_url": landing,
            "pdf_url": pdf,
            "source": venue.map(|v| json!({"id": "https://openalex.org/S1", "display_name": v, "type": "journal"})),
            "license": "cc-by",
            "version": "publishedVersion"
        })
    };
    let oa = pdf.is_some() || landing.is_some();
    json!({
        "id": format!("https://openalex.org/{id}"),
        "doi": doi,
        "title": title,
        "display_name": title,
        "publication_year": date[..4].parse::<i32>().unwrap(),
        "publication_date": date,
        "type": "article",
        "cited_by_count": 3,
        "open_access": {"is_oa": oa, "oa_status": if oa { "green" } else { "closed" }, "oa_url": pdf.clone().or(landing.clone())},
        "primary_location": if oa || venue.is_some() { location(&None, &landing) } else { Value::Null },
        "best_oa_location": if oa { location(&pdf, &landing) } else { Value::Null },
        "authorships": institutions.iter().enumerate().map(|(i, (name, ror, kind, cc))| json!({
            "author_position": if i == 0 { "first" } else { "middle" },
            "author": {"id": format!("https://openalex.org/A{i}"), "display_name": format!("Author {i}")},
            "institutions": [{
                "id": format!("https://openalex.org/I{i}"),
                "display_name": name,
                "ror": if ror.is_empty() { Value::Null } else { json!(ror) },
                "country_code": cc,
                "type": kind,
                "lineage": [format!("https://openalex.org/I{i}")]
            }],
            "countries": [cc],
            "raw_affiliation_strings": [name]
        })).collect::<Vec<_>>()
    })
}
