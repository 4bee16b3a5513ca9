//! The HTTP response inside a WARC `response` record: the status line and headers, then the body as the server
//! sent it. Archiving crawlers (wget, Heritrix, warcprox, uptake's own) keep the bytes of the wire, so a body may
//! be chunked (`Transfer-Encoding: chunked`) and compressed (`Content-Encoding: gzip` or `deflate`); both are
//! undone here. Common Crawl stores bodies already decoded and renames those two headers (`X-Crawler-…`), so a
//! body that a header calls encoded but that is not is taken as it is.

use std::io::{BufRead, Read};

/// Longest HTTP status line and headers read; a longer head is not an HTTP response.
pub const MAX_HEAD_BYTES: u64 = 64 * 1024;

/// The status and headers of an HTTP response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    pub status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    /// The value of a header (names compare without case; the first of several).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the response is a success (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Reads an HTTP response's status line and headers from `r`, leaving it at the body. The outer error is the
/// stream failing; the inner one, bytes that are not an HTTP response.
pub fn read_head(r: &mut dyn BufRead) -> std::io::Result<Result<Head, String>> {
    let mut limited = r.take(MAX_HEAD_BYTES);
    let mut line = Vec::new();
    let mut read_line = |line: &mut Vec<u8>| -> std::io::Result<Result<Option<String>, String>> {
        line.clear();
        let n = limited.read_until(b'\n', line)?;
        if n == 0 {
            return Ok(Ok(None));
        }
        if line.last() != Some(&b'\n') {
            return Ok(Err("the HTTP head is cut short or too long".into()));
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        Ok(Ok(Some(String::from_utf8_lossy(line).into_owned())))
    };
    let status_line = match read_line(&mut line)? {
        Ok(Some(l)) => l,
        Ok(None) => return Ok(Err("the HTTP response is empty".into())),
        Err(e) => return Ok(Err(e)),
    };
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        let shown: String = status_line.chars().take(40).collect();
        return Ok(Err(format!("not an HTTP status line: {shown:?}")));
    }
    let Some(status) = parts
        .next()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| (100..1000).contains(c))
    else {
        return Ok(Err(format!("no status code in {status_line:?}")));
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let l = match read_line(&mut line)? {
            Ok(Some(l)) => l,
            // a head without the blank line: a response with no body
            Ok(None) => break,
            Err(e) => return Ok(Err(e)),
        };
        if l.is_empty() {
            break;
        }
        if l.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(l.trim());
            }
            continue;
        }
        // a line without ':' is ignored, as browsers do
        if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(Ok(Head { status, headers }))
}

/// The body of a response as the server meant it: chunks joined and compression undone, at most `max_bytes`.
pub fn decode_body(head: &Head, body: Vec<u8>, max_bytes: u64) -> Result<Vec<u8>, String> {
    let chunked = head
        .get("Transfer-Encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        // a body that does not parse as chunks was stored decoded
        dechunk(&body).unwrap_or(body)
    } else {
        body
    };
    let encoding = head
        .get("Content-Encoding")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match encoding.as_str() {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => {
            if !body.starts_with(&[0x1f, 0x8b]) {
                return Ok(body);
            }
            inflate(
                flate2::read::MultiGzDecoder::new(&body[..]),
                max_bytes,
                "gzip",
            )
        }
        "deflate" => {
            // zlib-wrapped as the standard says, or raw deflate as some servers send it
            let zlib = body.len() >= 2
                && body[0] & 0x0f == 8
                && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0;
            if zlib {
                inflate(
                    flate2::read::ZlibDecoder::new(&body[..]),
                    max_bytes,
                    "deflate",
                )
            } else {
                inflate(
                    flate2::read::DeflateDecoder::new(&body[..]),
                    max_bytes,
                    "deflate",
                )
            }
        }
        other => Err(format!("Content-Encoding {other:?} is not read")),
    }
}

/// Decompresses at most `max_bytes`; more is an error, never a truncation.
fn inflate(r: impl Read, max_bytes: u64, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decode the {name} body: {e}"))?;
    if out.len() as u64 > max_bytes {
        return Err(format!(
            "the decoded body is over max_record_bytes = {max_bytes}"
        ));
    }
    Ok(out)
}

/// Joins the chunks of a chunked body; `None` when it is not one.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let eol = memchr::memchr(b'\n', rest)?;
        let line = std::str::from_utf8(&rest[..eol]).ok()?.trim();
        // chunk extensions after ';' are ignored
        let size_text = line.split(';').next()?.trim();
        if size_text.is_empty() || !size_text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[eol + 1..];
        if size == 0 {
            // trailers, if any, are dropped
            return Some(out);
        }
        if rest.len() < size {
            // a body cut short keeps what arrived
            out.extend_from_slice(rest);
            return Some(out);
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        // the chunk's line end
        if rest.starts_with(b"\r\n") {
            rest = &rest[2..];
        } else if rest.starts_with(b"\n") {
            rest = &rest[1..];
        } else if rest.is_empty() {
            return Some(out);
        } else {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn head(text: &str) -> (Head, Vec<u8>) {
        let mut r = text.as_bytes();
        let h = read_head(&mut r).unwrap().unwrap();
        (h, r.to_vec())
    }

    #[test]
    fn status_headers_and_body_are_split() {
        let (h, body) = head(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=utf-8\r\nX-Thing\r\n\r\n<p>hi</p>",
        );
        assert_eq!(h.status, 200);
        assert!(h.is_success());
        assert_eq!(h.get("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(body, b"<p>hi</p>");
        let (h, _) = head("HTTP/1.0 404 Not Found\n\n");
        assert!(!h.is_success());
        assert!(read_head(&mut &b"GET / HTTP/1.1\r\n\r\n"[..])
            .unwrap()
            .is_err());
    }

    #[test]
    fn chunked_and_gzip_bodies_are_decoded_and_decoded_ones_kept() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>Best Practice Forum on Gender and Access</p>")
            .unwrap();
        let gz = gz.finish().unwrap();
        let mut chunked = format!("{:x};ext=1\r\n", 10).into_bytes();
        chunked.extend_from_slice(&gz[..10]);
        chunked.extend_from_slice(format!("\r\n{:x}\r\n", gz.len() - 10).as_bytes());
        chunked.extend_from_slice(&gz[10..]);
        chunked.extend_from_slice(b"\r\n0\r\nX-Trailer: y\r\n\r\n");
        let (h, _) =
            head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n");
        assert_eq!(
            decode_body(&h, chunked, 1000).unwrap(),
            b"<p>Best Practice Forum on Gender and Access</p>"
        );
        // Common Crawl's decoded body under the original headers
        assert_eq!(
            decode_body(&h, b"<p>plain</p>".to_vec(), 1000).unwrap(),
            b"<p>plain</p>"
        );
        // a bomb is refused, not truncated
        let mut big = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        big.write_all(&vec![b'a'; 10_000]).unwrap();
        let (h, _) = head("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
        let e = decode_body(&h, big.finish().unwrap(), 1000).unwrap_err();
        assert!(e.contains("max_record_bytes"), "{e}");
        let (h, _) = head("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n");
        assert!(decode_body(&h, b"x".to_vec(), 10).is_err());
    }

    #[test]
    fn deflate_bodies_are_read_wrapped_or_raw() {
        let text = b"deflated text of a page";
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(text).unwrap();
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        d.write_all(text).unwrap();
        let (h, _) = head("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
        assert_eq!(decode_body(&h, z.finish().unwrap(), 100).unwrap(), text);
        assert_eq!(decode_body(&h, d.finish().unwrap(), 100).unwrap(), text);
    }
}
