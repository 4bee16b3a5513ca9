//! robots.txt and sitemaps. robots.txt follows RFC 9309: a 2xx body is parsed (rules for our User-Agent,
//! `Crawl-delay`, `Sitemap:` lines), a 4xx allows everything, a 5xx or an unreachable host disallows everything
//! (the host is *unreachable*, with the kind of failure kept for the crawl log and the report). Sitemaps
//! (`urlset` and `sitemapindex`, gzip or not) are read with a streaming XML parser.

use std::io::Read;
use std::time::Duration;

use quick_xml::events::Event;
use quick_xml::Reader;
use texting_robots::Robot;

use crate::records::{NetworkFailure, UrlOutcome};

/// A host's robots.txt rules for this run.
#[derive(Debug)]
pub enum Rules {
    /// No usable robots.txt (4xx): every path is allowed.
    AllowAll,
    /// robots.txt could not be read for another reason (refused as too large or of a type uptake does not read,
    /// or an answer that is neither 2xx, 4xx nor 5xx): nothing is fetched from the host.
    DisallowAll(String),
    /// robots.txt could not be reached (a network failure) or answered 5xx: nothing is fetched from the host.
    /// `reason` starts with the kind (`dns: …`).
    Unreachable {
        kind: NetworkFailure,
        reason: String,
    },
    /// Parsed rules.
    Parsed(Box<Robot>),
}

impl Rules {
    /// Reads a robots.txt answer (`status` 0 when there was none) for `agent`.
    pub fn from_answer(agent: &str, status: u16, body: &[u8]) -> Rules {
        match status {
            200..=299 => match Robot::new(robot_token(agent), body) {
                Ok(r) => Rules::Parsed(Box::new(r)),
                // An unparsable file is treated as no file, as RFC 9309 asks of invalid lines.
                Err(_) => Rules::AllowAll,
            },
            400..=499 => Rules::AllowAll,
            0 => Rules::DisallowAll("robots.txt could not be fetched".into()),
            500..=599 => Rules::Unreachable {
                kind: NetworkFailure::ServerError,
                reason: format!(
                    "{}: robots.txt answered HTTP {status}",
                    NetworkFailure::ServerError
                ),
            },
            s => Rules::DisallowAll(format!("robots.txt answered HTTP {s}")),
        }
    }

    /// Whether `url` may be fetched; `Err` gives the outcome it is logged with instead (`disallowed` or
    /// `unreachable`) and why.
    pub fn check(&self, url: &str) -> Result<(), (UrlOutcome, String)> {
        match self {
            Rules::AllowAll => Ok(()),
            Rules::DisallowAll(why) => Err((UrlOutcome::Disallowed, format!("disallowed: {why}"))),
            Rules::Unreachable { reason, .. } => Err((UrlOutcome::Unreachable, reason.clone())),
            Rules::Parsed(r) => {
                if r.allowed(url) {
                    Ok(())
                } else {
                    Err((UrlOutcome::Disallowed, "disallowed by robots.txt".into()))
                }
            }
        }
    }

    /// The `Crawl-delay` for our agent, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f64(f64::from(d).min(86_400.0))),
            _ => None,
        }
    }

    /// The `Sitemap:` URLs.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            Rules::Parsed(r) => &r.sitemaps,
            _ => &[],
        }
    }
}

/// The product token of a User-Agent (`uptake/0.1 (+https://…)` → `uptake`), which robots.txt groups name.
fn robot_token(agent: &str) -> &str {
    agent
        .split(|c: char| c == '/' || c.is_whitespace())
        .next()
        .filter(|t| !t.is_empty())
        .unwrap_or(agent)
}

/// What a sitemap lists.
#[derive(Debug, Default, PartialEq)]
pub struct Sitemap {
    /// Page URLs with their `lastmod`.
    pub urls: Vec<(String, Option<String>)>,
    /// Child sitemaps of a sitemap index.
    pub sitemaps: Vec<String>,
}

/// Most entries read from one sitemap (the protocol's own limit).
pub const MAX_SITEMAP_ENTRIES: usize = 50_000;
/// Largest uncompressed sitemap read from a gzip body.
const MAX_SITEMAP_BYTES: u64 = 50 * 1024 * 1024;

/// Whether a body is a sitemap: XML whose root is `urlset` or `sitemapindex` (gzip-compressed or not).
pub fn looks_like_sitemap(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return true;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    head.contains("<urlset") || head.contains("<sitemapindex")
}

/// Parses a sitemap or sitemap index. Errors name what is wrong; the caller adds the URL.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, String> {
    let unzipped;
    let xml: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_SITEMAP_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("not a readable gzip sitemap: {e}"))?;
        if out.len() as u64 > MAX_SITEMAP_BYTES {
            return Err(format!(
                "uncompressed sitemap is over {MAX_SITEMAP_BYTES} bytes"
            ));
        }
        unzipped = out;
        &unzipped
    } else {
        bytes
    };
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut out = Sitemap::default();
    let mut path: Vec<String> = Vec::new();
    let (mut loc, mut lastmod) = (String::new(), String::new());
    let mut root_seen = false;
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if !root_seen {
                    root_seen = true;
                    if name != "urlset" && name != "sitemapindex" {
                        return Err(format!(
                            "root element <{name}> is not urlset or sitemapindex"
                        ));
                    }
                }
                if name == "url" || name == "sitemap" {
                    loc.clear();
                    lastmod.clear();
                }
                path.push(name);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let entry = loc.trim().to_string();
                if !entry.is_empty() {
                    let lm = Some(lastmod.trim().to_string()).filter(|l| !l.is_empty());
                    match name.as_str() {
                        "url" => out.urls.push((entry, lm)),
                        "sitemap" => out.sitemaps.push(entry),
                        _ => {}
                    }
                }
                if out.urls.len() + out.sitemaps.len() >= MAX_SITEMAP_ENTRIES {
                    break;
                }
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                push_to(&path, &mut loc, &mut lastmod, &text);
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                push_to(&path, &mut loc, &mut lastmod, &text);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = r.decode().map_err(|e| e.to_string())?;
                        quick_xml::escape::resolve_xml_entity(&name)
                            .unwrap_or("")
                            .to_string()
                    }
                };
                push_to(&path, &mut loc, &mut lastmod, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err("no urlset or sitemapindex element".into());
    }
    Ok(out)
}

fn push_to(path: &[String], loc: &mut String, lastmod: &mut String, text: &str) {
    match path.last().map(String::as_str) {
        Some("loc") => loc.push_str(text),
        Some("lastmod") => lastmod.push_str(text),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UA: &str = "uptake/0.1 (+https://example.org/contact)";

    #[test]
    fn robots_answers_follow_rfc_9309() {
        let body =
            b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\nSitemap: https://h/sitemap.xml\n";
        let r = Rules::from_answer(UA, 200, body);
        assert!(r.check("https://h/public/a").is_ok());
        assert!(r.check("https://h/private/a").is_err());
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert_eq!(r.sitemaps(), ["https://h/sitemap.xml"]);
        assert!(Rules::from_answer(UA, 404, b"")
            .check("https://h/private/a")
            .is_ok());
        // a 5xx makes the host unreachable (RFC 9309 2.3.1.4), named as a server error
        let (outcome, why) = Rules::from_answer(UA, 503, b"")
            .check("https://h/a")
            .unwrap_err();
        assert_eq!(outcome, UrlOutcome::Unreachable);
        assert_eq!(
            NetworkFailure::of_error(&why),
            Some(NetworkFailure::ServerError)
        );
        assert!(why.contains("HTTP 503"), "{why}");
        assert_eq!(
            Rules::from_answer(UA, 0, b"")
                .check("https://h/a")
                .unwrap_err()
                .0,
            UrlOutcome::Disallowed
        );
    }

    #[test]
    fn robots_groups_match_our_product_token() {
        let body = b"User-agent: uptake\nDisallow: /\n\nUser-agent: *\nAllow: /\n";
        let r = Rules::from_answer(UA, 200, body);
        assert!(r.check("https://h/a").is_err());
    }

    #[test]
    fn sitemaps_and_indexes_parse_with_entities() {
        let set =
            br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>https://h/a?x=1&amp;y=2</loc><lastmod>2019-11-20</lastmod></url>
            <url><loc> https://h/b.pdf </loc></url></urlset>"#;
        let s = parse_sitemap(set).unwrap();
        assert_eq!(
            s.urls,
            [
                (
                    "https://h/a?x=1&y=2".to_string(),
                    Some("2019-11-20".to_string())
                ),
                ("https://h/b.pdf".to_string(), None)
            ]
        );
        let index =
            br#"<sitemapindex><sitemap><loc>https://h/s1.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(parse_sitemap(index).unwrap().sitemaps, ["https://h/s1.xml"]);
        assert!(parse_sitemap(b"<html><body>no</body></html>").is_err());
        assert!(parse_sitemap(b"<urlset><url><loc>x</url>").is_err());
    }

    #[test]
    fn gzip_sitemaps_are_read() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<urlset><url><loc>https://h/z</loc></url></urlset>")
            .unwrap();
        let bytes = gz.finish().unwrap();
        assert!(looks_like_sitemap(&bytes));
        assert_eq!(parse_sitemap(&bytes).unwrap().urls.len(), 1);
    }
}
