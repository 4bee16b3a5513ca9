//! A real HTTP server on 127.0.0.1 for the crawler tests (axum on its own tokio runtime), serving fixture
//! replies by path and logging every request with its arrival time. Each `Site` is its own origin (port).
//! 200 answers carry an ETag and a Last-Modified and honour If-None-Match with 304.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{local_listener, serve};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

/// What a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status, headers and a body.
    Page {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// The n-th request gets the n-th reply; the last repeats.
    Seq(Vec<Reply>),
    /// Waits, then answers.
    Slow(Duration, Box<Reply>),
}

impl Reply {
    pub fn html(body: &str) -> Reply {
        Reply::typed("text/html; charset=utf-8", body.as_bytes().to_vec())
    }
    pub fn typed(content_type: &str, body: Vec<u8>) -> Reply {
        Reply::Page {
            status: 200,
            headers: vec![("content-type", content_type.to_string())],
            body,
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply::Page {
            status,
            headers: vec![("content-type", "text/plain".into())],
            body: format!("status {status}").into_bytes(),
        }
    }
    pub fn redirect(to: &str) -> Reply {
        Reply::Page {
            status: 301,
            headers: vec![("location", to.to_string())],
            body: vec![],
        }
    }
    pub fn with_header(self, name: &'static str, value: &str) -> Reply {
        match self {
            Reply::Page {
                status,
                mut headers,
                body,
            } => {
                headers.push((name, value.to_string()));
                Reply::Page {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub at: Instant,
    pub status: u16,
    pub conditional: bool,
    pub user_agent: String,
}

struct Shared {
    routes: Mutex<HashMap<String, Reply>>,
    counts: Mutex<HashMap<String, usize>>,
    hits: Mutex<Vec<Hit>>,
}

/// A running test site.
pub struct Site {
    pub base: String,
    shared: Arc<Shared>,
}

impl Site {
    /// Starts a site serving `routes` (path with query → reply); unknown paths answer 404.
    pub fn start(routes: Vec<(&str, Reply)>) -> Site {
        let (listener, base) = local_listener();
        let shared = Arc::new(Shared {
            routes: Mutex::new(
                routes
                    .into_iter()
                    .map(|(p, r)| (p.to_string(), r))
                    .collect(),
            ),
            counts: Mutex::new(HashMap::new()),
            hits: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        serve(listener, app);
        Site { base, shared }
    }

    /// Adds or replaces the reply of a path.
    pub fn set_route(&self, path: &str, reply: Reply) {
        self.shared
            .routes
            .lock()
            .unwrap()
            .insert(path.to_string(), reply);
    }

    /// Adds or replaces several routes.
    pub fn set_routes(&self, routes: Vec<(&str, Reply)>) {
        for (p, r) in routes {
            self.set_route(p, r);
        }
    }

    /// An absolute URL on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request so far, in arrival order.
    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// The paths requested so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.hits().into_iter().map(|h| h.path).collect()
    }

    /// Forgets the log (the routes and their hit counts stay).
    pub fn clear_hits(&self) {
        self.shared.hits.lock().unwrap().clear();
    }
}

fn etag_of(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let at = Instant::now();
    let (path, if_none_match, user_agent) = {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        (
            path,
            header("if-none-match"),
            header("user-agent").unwrap_or_default(),
        )
    };
    drop(req);
    // Logged on arrival: a client that times out drops the connection before any answer.
    let hit_index = {
        let mut hits = shared.hits.lock().unwrap();
        hits.push(Hit {
            path: path.clone(),
            at,
            status: 0,
            conditional: if_none_match.is_some(),
            user_agent,
        });
        hits.len() - 1
    };
    let n = {
        let mut counts = shared.counts.lock().unwrap();
        let c = counts.entry(path.clone()).or_insert(0);
        *c += 1;
        *c - 1
    };
    let mut reply = shared
        .routes
        .lock()
        .unwrap()
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Reply::status(404));
    loop {
        match reply {
            Reply::Seq(v) => reply = v[n.min(v.len() - 1)].clone(),
            Reply::Slow(d, r) => {
                tokio::time::sleep(d).await;
                reply = *r;
            }
            Reply::Page { .. } => break,
        }
    }
    let Reply::Page {
        status,
        headers,
        body,
    } = reply
    else {
        unreachable!()
    };
    let etag = etag_of(&body);
    let not_modified = status == 200 && if_none_match.as_deref() == Some(etag.as_str());
    let code = if not_modified { 304 } else { status };
    shared.hits.lock().unwrap()[hit_index].status = code;
    let mut resp = Response::new(if not_modified {
        Body::empty()
    } else {
        Body::from(body)
    });
    *resp.status_mut() = StatusCode::from_u16(code).unwrap();
    let h = resp.headers_mut();
    if status == 200 {
        h.insert("etag", HeaderValue::from_str(&etag).unwrap());
        h.insert(
            "last-modified",
            HeaderValue::from_static("Wed, 20 Nov 2019 10:00:00 GMT"),
        );
    }
    for (name, value) in headers {
        h.insert(name, HeaderValue::from_str(&value).unwrap());
    }
    resp
}

/// A raw TCP site for what axum will not do on purpose: it answers robots.txt with 404, `/` with a page linking
/// `/broken`, and `/broken` with a Content-Length of 5,000 bytes, sends 100 of them and closes the connection.
pub struct BrokenSite {
    pub base: String,
    pub broken_hits: Arc<Mutex<usize>>,
}

impl BrokenSite {
    pub fn start() -> BrokenSite {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let broken_hits = Arc::new(Mutex::new(0));
        let counter = broken_hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 4096];
                let n = stream.read(&mut buf).unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                let reply = match path.as_str() {
                    "/" => {
                        let body =
                            "<html><body><p>Index</p><a href=\"/broken\">broken</a></body></html>";
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        )
                    }
                    "/broken" => {
                        *counter.lock().unwrap() += 1;
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n{}",
                            "x".repeat(100)
                        )
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string(),
                };
                let _ = stream.write_all(reply.as_bytes());
                let _ = stream.flush();
                drop(stream);
            }
        });
        BrokenSite { base, broken_hits }
    }
}
