//! A local object store speaking the Amazon S3 REST protocol (path-style requests), for the tests of results and
//! inputs on object storage: PutObject, GetObject (with a `Range: bytes=A-` or `bytes=A-B` header: 206 and
//! `Content-Range`), HeadObject, DeleteObject, DeleteObjects (`POST ?delete`), ListObjectsV2
//! (`GET ?list-type=2&prefix=`, every key in one page) and multipart uploads (CreateMultipartUpload `POST ?uploads`,
//! UploadPart `PUT ?partNumber=N&uploadId=U`, CompleteMultipartUpload `POST ?uploadId=U`, which checks each part's
//! ETag and that every part but the last has 5 MiB or more, and AbortMultipartUpload `DELETE ?uploadId=U`), as
//! documented in the Amazon S3 API Reference. Objects live in memory. Every request is logged with whether it carried a SigV4 signature, and every GET of an object with
//! its `Range`. An object can be set to break off part-way through its next GET, as a dropped connection does.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::{local_listener, serve};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;

#[derive(Default)]
struct Shared {
    objects: Mutex<BTreeMap<String, Vec<u8>>>,
    /// (method, path and query, signed with AWS4-HMAC-SHA256)
    log: Mutex<Vec<(String, String, bool)>>,
    /// Each GET of an object: `bucket/key` and its `Range` header.
    gets: Mutex<Vec<(String, Option<String>)>>,
    /// Objects whose next GET sends only this many bytes, then drops the connection.
    cut: Mutex<BTreeMap<String, usize>>,
    /// Multipart uploads begun and neither completed nor aborted: by upload id, the object (`bucket/key`) and
    /// the parts by number.
    uploads: Mutex<BTreeMap<String, Upload>>,
    /// Uploads begun so far (the next upload id).
    begun: Mutex<u64>,
    /// Objects (`bucket/key`) whose UploadPart of this number is refused (403 AccessDenied).
    refuse_part: Mutex<BTreeMap<String, u32>>,
}

/// A multipart upload begun: its object (`bucket/key`) and its parts by number.
type Upload = (String, BTreeMap<u32, Vec<u8>>);

/// The least size of a part of a multipart upload but the last (S3's `EntityTooSmall`).
const MIN_PART_BYTES: usize = 5 << 20;

/// A running store; `endpoint` is its base URL.
pub struct S3 {
    pub endpoint: String,
    shared: Arc<Shared>,
}

impl S3 {
    pub fn start() -> S3 {
        let (listener, endpoint) = local_listener();
        let shared = Arc::new(Shared::default());
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        serve(listener, app);
        S3 { endpoint, shared }
    }

    /// The keys stored (`bucket/key`), sorted.
    pub fn keys(&self) -> Vec<String> {
        self.shared
            .objects
            .lock()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    /// Puts an object directly (`bucket/key`).
    pub fn put(&self, key: &str, bytes: &[u8]) {
        self.shared
            .objects
            .lock()
            .unwrap()
            .insert(key.to_string(), bytes.to_vec());
    }

    /// Makes the next GET of `key` (`bucket/key`) send its first `at` bytes and then drop the connection.
    pub fn cut_next_get(&self, key: &str, at: usize) {
        self.shared.cut.lock().unwrap().insert(key.to_string(), at);
    }

    /// Makes every UploadPart of part `n` of `key` (`bucket/key`) fail with 403 AccessDenied.
    pub fn refuse_part(&self, key: &str, n: u32) {
        self.shared
            .refuse_part
            .lock()
            .unwrap()
            .insert(key.to_string(), n);
    }

    /// Multipart uploads begun and neither completed nor aborted.
    pub fn open_uploads(&self) -> usize {
        self.shared.uploads.lock().unwrap().len()
    }

    /// The object `key` (`bucket/key`), if stored.
    pub fn object(&self, key: &str) -> Option<Vec<u8>> {
        self.shared.objects.lock().unwrap().get(key).cloned()
    }

    /// Every GET of an object: `bucket/key` and its `Range` header.
    pub fn gets(&self) -> Vec<(String, Option<String>)> {
        self.shared.gets.lock().unwrap().clone()
    }

    /// Every request: method, path and query, and whether it was signed.
    pub fn log(&self) -> Vec<(String, String, bool)> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Runs the uptake binary with `args`, its `AWS_*` settings pointing at this store.
    pub fn uptake(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_uptake"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_LOG")
            .envs(self.env())
            .output()
            .expect("the uptake binary runs")
    }

    /// The environment that points the `AWS_*` settings at this store.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_ACCESS_KEY_ID", "test-key".into()),
            ("AWS_SECRET_ACCESS_KEY", "test-secret".into()),
            ("AWS_REGION", "us-east-1".into()),
        ]
    }
}

const LAST_MODIFIED: &str = "Sun, 29 Nov 2026 12:00:00 GMT";
const LAST_MODIFIED_ISO: &str = "2026-11-29T12:00:00.000Z";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn etag(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn answer(status: StatusCode, headers: &[(&str, String)], body: Vec<u8>) -> Response {
    let mut r = Response::builder().status(status);
    for (k, v) in headers {
        r = r.header(*k, v);
    }
    r.body(Body::from(body)).unwrap()
}

/// The headers of an object's answer, `len` bytes of it sent.
fn object_headers(b: &[u8], len: usize) -> Vec<(&'static str, String)> {
    vec![
        ("etag", etag(b)),
        ("last-modified", LAST_MODIFIED.into()),
        ("content-length", len.to_string()),
        ("content-type", "application/octet-stream".into()),
    ]
}

/// The bytes `[a, z)` a `Range` header asks for (`bytes=A-`, `bytes=A-B`, `bytes=-N`) of an object of `len`
/// bytes, or `None` when it cannot be satisfied.
fn byte_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let (a, b) = header.trim().strip_prefix("bytes=")?.split_once('-')?;
    let (a, z) = match (a.trim(), b.trim()) {
        ("", n) => (len.saturating_sub(n.parse().ok()?), len),
        (a, "") => (a.parse().ok()?, len),
        (a, b) => (a.parse().ok()?, (b.parse::<usize>().ok()? + 1).min(len)),
    };
    (a < z).then_some((a, z))
}

fn xml(body: String) -> Response {
    answer(
        StatusCode::OK,
        &[("content-type", "application/xml".into())],
        body.into_bytes(),
    )
}

/// An S3 error answer.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    answer(
        status,
        &[("content-type", "application/xml".into())],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{}</Message></Error>",
            escape(message)
        )
        .into_bytes(),
    )
}

/// The text of each `<tag>` element of `xml`, in order.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(open.as_str())
        .skip(1)
        .map(|p| p.split(close.as_str()).next().unwrap_or(""))
        .collect()
}

/// CompleteMultipartUpload: the parts named in `body` (in ascending order, each with its ETag; all but the last of
/// 5 MiB or more) joined into the object.
fn complete(shared: &Shared, full: &str, id: &str, body: &[u8]) -> Response {
    let mut uploads = shared.uploads.lock().unwrap();
    let Some((key, parts)) = uploads.get(id).filter(|(k, _)| k == full) else {
        return error(StatusCode::NOT_FOUND, "NoSuchUpload", id);
    };
    let text = String::from_utf8_lossy(body);
    let listed = elements(&text, "Part");
    let mut object = Vec::new();
    let mut last = 0;
    for (i, part) in listed.iter().enumerate() {
        let n: u32 = elements(part, "PartNumber")
            .first()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        let tag = elements(part, "ETag").first().map(|t| unescape(t));
        let Some(bytes) = parts.get(&n).filter(|_| n > last) else {
            return error(StatusCode::BAD_REQUEST, "InvalidPart", &format!("part {n}"));
        };
        if tag.as_deref() != Some(etag(bytes).as_str()) {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidPart",
                &format!("ETag of part {n}"),
            );
        }
        if i + 1 < listed.len() && bytes.len() < MIN_PART_BYTES {
            return error(
                StatusCode::BAD_REQUEST,
                "EntityTooSmall",
                &format!("part {n}"),
            );
        }
        object.extend_from_slice(bytes);
        last = n;
    }
    if listed.is_empty() {
        return error(StatusCode::BAD_REQUEST, "MalformedXML", "no part");
    }
    let tag = format!("{}-{}\"", etag(&object).trim_end_matches('"'), listed.len());
    let key = key.clone();
    uploads.remove(id);
    shared.objects.lock().unwrap().insert(key.clone(), object);
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult><Key>{}</Key><ETag>{}</ETag></CompleteMultipartUploadResult>",
        escape(&key),
        escape(&tag)
    ))
}

fn no_such_key(key: &str) -> Response {
    answer(
        StatusCode::NOT_FOUND,
        &[("content-type", "application/xml".into())],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>{}</Key></Error>",
            escape(key)
        )
        .into_bytes(),
    )
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let method = req.method().clone();
    let range = req
        .headers()
        .get("range")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let signed = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256 "));
    shared
        .log
        .lock()
        .unwrap()
        .push((method.to_string(), format!("{path}?{query}"), signed));
    let params: BTreeMap<String, String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let trimmed = path.trim_start_matches('/');
    let (bucket, key) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    let (bucket, key) = (decode(bucket), decode(key));
    let full = format!("{bucket}/{key}");
    let body = to_bytes(req.into_body(), 1 << 30).await.unwrap().to_vec();
    // multipart uploads
    match (&method, params.get("uploadId")) {
        (&Method::POST, None) if !key.is_empty() && params.contains_key("uploads") => {
            let id = {
                let mut begun = shared.begun.lock().unwrap();
                *begun += 1;
                format!("upload-{}", *begun)
            };
            shared
                .uploads
                .lock()
                .unwrap()
                .insert(id.clone(), (full.clone(), BTreeMap::new()));
            return xml(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>",
                escape(&bucket),
                escape(&key)
            ));
        }
        (&Method::PUT, Some(id)) => {
            let Some(n) = params.get("partNumber").and_then(|n| n.parse::<u32>().ok()) else {
                return error(StatusCode::BAD_REQUEST, "InvalidArgument", "partNumber");
            };
            if shared.refuse_part.lock().unwrap().get(&full) == Some(&n) {
                return error(StatusCode::FORBIDDEN, "AccessDenied", "refused by the test");
            }
            let mut uploads = shared.uploads.lock().unwrap();
            let Some((_, parts)) = uploads.get_mut(id).filter(|(k, _)| *k == full) else {
                return error(StatusCode::NOT_FOUND, "NoSuchUpload", id);
            };
            let tag = etag(&body);
            parts.insert(n, body);
            return answer(StatusCode::OK, &[("etag", tag)], Vec::new());
        }
        (&Method::POST, Some(id)) => return complete(&shared, &full, id, &body),
        (&Method::DELETE, Some(id)) => {
            return match shared.uploads.lock().unwrap().remove(id) {
                Some(_) => answer(StatusCode::NO_CONTENT, &[], Vec::new()),
                None => error(StatusCode::NOT_FOUND, "NoSuchUpload", id),
            };
        }
        _ => {}
    }
    let mut objects = shared.objects.lock().unwrap();
    match (method, key.is_empty()) {
        (Method::PUT, false) => {
            let tag = etag(&body);
            objects.insert(full, body);
            answer(StatusCode::OK, &[("etag", tag)], Vec::new())
        }
        (Method::HEAD, false) => match objects.get(&full) {
            Some(b) => answer(StatusCode::OK, &object_headers(b, b.len()), Vec::new()),
            None => no_such_key(&key),
        },
        (Method::GET, false) => {
            shared
                .gets
                .lock()
                .unwrap()
                .push((full.clone(), range.clone()));
            let Some(b) = objects.get(&full) else {
                return no_such_key(&key);
            };
            let span = match range.as_deref().map(|r| byte_range(r, b.len())) {
                None => None,
                Some(Some(span)) => Some(span),
                Some(None) => {
                    return answer(
                        StatusCode::RANGE_NOT_SATISFIABLE,
                        &[("content-range", format!("bytes */{}", b.len()))],
                        Vec::new(),
                    )
                }
            };
            let (status, body, mut headers) = match span {
                Some((a, z)) => (
                    StatusCode::PARTIAL_CONTENT,
                    b[a..z].to_vec(),
                    vec![("content-range", format!("bytes {a}-{}/{}", z - 1, b.len()))],
                ),
                None => (StatusCode::OK, b.clone(), Vec::new()),
            };
            headers.extend(object_headers(b, body.len()));
            match shared.cut.lock().unwrap().remove(&full) {
                Some(at) if at < body.len() => {
                    // the promised length, then the connection drops after `at` bytes
                    let first = axum::body::Bytes::copy_from_slice(&body[..at]);
                    // (after a pause, so that the first bytes are on their way before the drop)
                    let stream = futures_util::stream::iter([Ok(first)]).chain(
                        futures_util::stream::once(async {
                            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                            Err(std::io::Error::other("connection dropped by the test"))
                        }),
                    );
                    let mut r = Response::builder().status(status);
                    for (k, v) in &headers {
                        r = r.header(*k, v);
                    }
                    r.body(Body::from_stream(stream)).unwrap()
                }
                _ => answer(status, &headers, body),
            }
        }
        (Method::DELETE, false) => {
            objects.remove(&full);
            answer(StatusCode::NO_CONTENT, &[], Vec::new())
        }
        (Method::POST, true) if params.contains_key("delete") => {
            let text = String::from_utf8_lossy(&body);
            let mut deleted = String::new();
            for part in text.split("<Key>").skip(1) {
                let k = unescape(part.split("</Key>").next().unwrap_or(""));
                objects.remove(&format!("{bucket}/{k}"));
                deleted.push_str(&format!("<Deleted><Key>{}</Key></Deleted>", escape(&k)));
            }
            xml(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{deleted}</DeleteResult>"
            ))
        }
        (Method::GET, true) if params.get("list-type").map(String::as_str) == Some("2") => {
            let prefix = params.get("prefix").cloned().unwrap_or_default();
            let mut contents = String::new();
            let mut n = 0;
            for (k, b) in objects.iter() {
                let Some(k) = k.strip_prefix(&format!("{bucket}/")) else {
                    continue;
                };
                if !k.starts_with(&prefix) {
                    continue;
                }
                n += 1;
                contents.push_str(&format!(
                    "<Contents><Key>{}</Key><LastModified>{LAST_MODIFIED_ISO}</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
                    escape(k),
                    escape(&etag(b)),
                    b.len()
                ));
            }
            xml(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{n}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{contents}</ListBucketResult>",
                escape(&bucket),
                escape(&prefix)
            ))
        }
        _ => answer(
            StatusCode::NOT_IMPLEMENTED,
            &[],
            b"not implemented".to_vec(),
        ),
    }
}
