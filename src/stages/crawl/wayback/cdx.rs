//! The CDX protocol of web archives, as the wayback-cdx-server README of internetarchive/wayback documents it
//! (the server behind `https://web.archive.org/cdx/search/cdx`; pywb's CDX server API speaks the same queries):
//! the query (`url`, `matchType`, `from`/`to`, `output=json`, `filter=statuscode:200`, `collapse=digest`,
//! `limit`, `showResumeKey`/`resumeKey`), the JSON answer (an array whose first row names the fields, then one
//! row per capture, then, when rows remain, an empty row and a row holding the resume key) and the capture URL
//! `<archive>/<timestamp>id_/<original>` that gives the capture as archived, without the archive's rewriting.

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use url::Url;

use crate::config::{pad_time, Target};

/// One capture listed by the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The archive's canonical form of the URL (SURT): `http`/`https`, `www.` and default ports give one key.
    pub urlkey: String,
    /// `YYYYMMDDhhmmss`, in UTC.
    pub timestamp: String,
    /// The URL as it was captured.
    pub original: Url,
    pub mimetype: String,
    pub statuscode: String,
}

/// One CDX answer.
#[derive(Debug, Default, PartialEq)]
pub struct Page {
    pub rows: Vec<Row>,
    /// Rows that could not be read.
    pub bad: Vec<BadRow>,
    /// The key that continues the listing; `None` at its end.
    pub resume_key: Option<String>,
}

/// A row of a CDX answer that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    /// Its place in the answer (`row 3`; the header is row 1).
    pub place: String,
    /// Its original URL, when the row has one.
    pub original: Option<String>,
    pub why: String,
}

/// Characters escaped when a resume key goes back into a query. The key comes already percent-encoded (the
/// README's `org%2Carchive%29%2F+19980109140106%21`), so `%` and `+` stay as they are.
const KEY_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'&')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// The query listing the 200 captures of a target in a date range, `limit` rows at a time.
pub fn listing_url(
    cdx_url: &str,
    target: &Target,
    from: Option<&str>,
    to: Option<&str>,
    limit: u32,
    resume_key: Option<&str>,
) -> Result<String, String> {
    let mut u = Url::parse(cdx_url).map_err(|e| format!("{cdx_url}: {e}"))?;
    {
        let mut q = u.query_pairs_mut();
        q.append_pair("url", &target.url)
            .append_pair("matchType", target.match_type);
        if let Some(f) = from {
            q.append_pair("from", f);
        }
        if let Some(t) = to {
            q.append_pair("to", t);
        }
        q.append_pair("output", "json")
            .append_pair("filter", "statuscode:200")
            .append_pair("collapse", "digest")
            .append_pair("limit", &limit.to_string())
            .append_pair("showResumeKey", "true");
    }
    let mut s = u.to_string();
    if let Some(k) = resume_key {
        let _ = write!(s, "&resumeKey={}", utf8_percent_encode(k, KEY_ESCAPES));
    }
    Ok(s)
}

/// The query for the latest 200 capture of one URL (`matchType=exact`, `limit=-1`: the last row).
pub fn latest_url(cdx_url: &str, page: &str) -> Result<String, String> {
    let mut u = Url::parse(cdx_url).map_err(|e| format!("{cdx_url}: {e}"))?;
    u.query_pairs_mut()
        .append_pair("url", page)
        .append_pair("matchType", "exact")
        .append_pair("output", "json")
        .append_pair("filter", "statuscode:200")
        .append_pair("limit", "-1");
    Ok(u.to_string())
}

/// The URL of a capture as archived (`id_`: the archive's own links and banner left out).
pub fn capture_url(archive_url: &str, timestamp: &str, original: &Url) -> String {
    let sep = if archive_url.ends_with('/') { "" } else { "/" };
    format!("{archive_url}{sep}{timestamp}id_/{original}")
}

/// The capture time in a capture URL: the first path segment of 4 to 14 digits, with or without a mode such as
/// `id_`.
pub fn capture_timestamp(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    u.path().split('/').find_map(|seg| {
        let digits = seg.trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '_');
        let ok = (4..=14).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| digits.to_string())
    })
}

/// A capture time as a date (`YYYY-MM-DD`, or as much of it as the timestamp gives).
pub fn capture_date(timestamp: &str) -> Option<String> {
    let t = timestamp.as_bytes();
    if t.len() < 4 || !t.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(match t.len() {
        4 | 5 => timestamp[..4].to_string(),
        6 | 7 => format!("{}-{}", &timestamp[..4], &timestamp[4..6]),
        _ => format!(
            "{}-{}-{}",
            &timestamp[..4],
            &timestamp[4..6],
            &timestamp[6..8]
        ),
    })
}

/// Whether a capture time lies in `[from, to]`, each bound as many digits as given (`to = "2017"` reaches the
/// end of 2017), as the CDX server reads them.
pub fn in_range(timestamp: &str, from: Option<&str>, to: Option<&str>) -> bool {
    let ts = pad_time(timestamp, '0');
    from.is_none_or(|f| ts >= pad_time(f, '0')) && to.is_none_or(|t| ts <= pad_time(t, '9'))
}

/// Whether a capture can be a document: an HTML, PDF or plain-text type, or a type the index does not know
/// (`unk`, `application/octet-stream`, a revisit) on a URL whose ending is not an image, style, script, archive
/// or media file. Images, styles, scripts, feeds and the like are never asked.
pub fn is_document(mimetype: &str, url: &Url) -> bool {
    let mime = mimetype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.contains("html") || mime == "application/pdf" || mime == "text/plain" {
        return true;
    }
    let unknown = matches!(
        mime.as_str(),
        "" | "-" | "unk" | "unknown" | "application/octet-stream" | "warc/revisit"
    );
    unknown && !super::super::links::not_a_document(url)
}

/// Reads a CDX JSON answer. An answer that is not a JSON array of rows, or whose first row names no
/// `timestamp` and `original` field, is an error; a row that cannot be read is listed in [`Page::bad`] and the
/// others are kept.
pub fn parse(bytes: &[u8]) -> Result<Page, String> {
    let rows: Vec<Vec<serde_json::Value>> =
        serde_json::from_slice(bytes).map_err(|e| format!("not a CDX JSON array of rows: {e}"))?;
    let mut page = Page::default();
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Ok(page); // no capture at all: the server answers `[]`
    };
    let names: Vec<String> = header.iter().map(text).collect();
    let field = |name: &str| names.iter().position(|n| n == name);
    let (Some(ts), Some(orig)) = (field("timestamp"), field("original")) else {
        return Err(format!(
            "the first row names the fields, but {names:?} lacks \"timestamp\" or \"original\""
        ));
    };
    let (key, mime, status) = (field("urlkey"), field("mimetype"), field("statuscode"));
    let mut after_end = false;
    for (i, row) in rows.enumerate() {
        let place = format!("row {}", i + 2);
        let original = row.get(orig).map(text).filter(|o| !o.is_empty());
        let mut bad = |why: String| {
            page.bad.push(BadRow {
                place: place.clone(),
                original: original.clone(),
                why,
            })
        };
        if row.is_empty() {
            after_end = true;
            continue;
        }
        if after_end {
            after_end = false;
            match row.as_slice() {
                [k] if !text(k).is_empty() => page.resume_key = Some(text(k)),
                _ => bad("a resume key row must hold one string".into()),
            }
            continue;
        }
        if row.len() != names.len() {
            bad(format!(
                "{} fields where the header names {}",
                row.len(),
                names.len()
            ));
            continue;
        }
        let get = |i: Option<usize>| i.map(|i| text(&row[i])).unwrap_or_default();
        let timestamp = get(Some(ts));
        let url = match Url::parse(&get(Some(orig))) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u,
            _ => {
                bad("the original URL is not an http or https URL".into());
                continue;
            }
        };
        if !((4..=14).contains(&timestamp.len()) && timestamp.bytes().all(|b| b.is_ascii_digit())) {
            bad(format!("capture time {timestamp:?} is not YYYYMMDDhhmmss"));
            continue;
        }
        page.rows.push(Row {
            urlkey: get(key),
            timestamp,
            original: url,
            mimetype: get(mime),
            statuscode: get(status),
        });
    }
    Ok(page)
}

/// A JSON value as the text of a CDX field (the Internet Archive writes every field as a string).
fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_readme_answer_with_its_resume_key() {
        let answer = br#"[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
 ["org,example)/", "19970126045828", "http://www.example.org:80/", "text/html", "200", "Q4YU", "1415"],
 ["org,example)/", "19971011050034", "http://www.example.org:80/", "text/html", "200", "XAHD", "1402"],
 [],
 ["org%2Cexample%29%2F+19971011050034%21"]]"#;
        let p = parse(answer).unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[1].timestamp, "19971011050034");
        assert_eq!(p.rows[0].original.as_str(), "http://www.example.org/");
        assert_eq!(
            p.resume_key.as_deref(),
            Some("org%2Cexample%29%2F+19971011050034%21")
        );
        assert!(p.bad.is_empty());
    }

    #[test]
    fn bad_rows_are_named_and_the_rest_kept() {
        let answer =
            br#"[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
 ["org,example)/a", "2015x", "http://example.org/a", "text/html", "200", "D", "1"],
 ["org,example)/b", "20150101000000", "http://example.org/b"],
 ["org,example)/c", "20150101000000", "mailto:x@example.org", "text/html", "200", "D", "1"],
 ["org,example)/d", "20150101000000", "http://example.org/d", "text/html", "200", "D", "1"]]"#;
        let p = parse(answer).unwrap();
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.bad.len(), 3);
        assert_eq!(p.bad[0].original.as_deref(), Some("http://example.org/a"));
        assert_eq!(p.bad[1].original.as_deref(), Some("http://example.org/b"));
        assert!(p.bad[1].why.contains("3 fields"), "{:?}", p.bad);
        assert_eq!(p.bad[2].place, "row 4");
        assert!(parse(b"<html>busy</html>")
            .unwrap_err()
            .contains("not a CDX JSON"));
        assert!(parse(br#"[["a","b"]]"#).unwrap_err().contains("timestamp"));
        assert_eq!(parse(b"[]").unwrap(), Page::default());
    }

    #[test]
    fn queries_carry_the_documented_parameters() {
        let t = Target {
            url: "example.org".into(),
            match_type: "domain",
        };
        let u = listing_url(
            "https://web.archive.org/cdx/search/cdx",
            &t,
            Some("2014"),
            Some("2017"),
            500,
            Some("org%2Cexample%29%2F+2015%21"),
        )
        .unwrap();
        assert_eq!(
            u,
            "https://web.archive.org/cdx/search/cdx?url=example.org&matchType=domain&from=2014&to=2017\
             &output=json&filter=statuscode%3A200&collapse=digest&limit=500&showResumeKey=true\
             &resumeKey=org%2Cexample%29%2F+2015%21"
        );
        let l = latest_url(
            "https://web.archive.org/cdx/search/cdx",
            "https://x.org/a?b=1",
        )
        .unwrap();
        assert!(
            l.contains("url=https%3A%2F%2Fx.org%2Fa%3Fb%3D1&matchType=exact"),
            "{l}"
        );
        assert!(l.ends_with("&limit=-1"), "{l}");
    }

    #[test]
    fn captures_times_and_types() {
        let o = Url::parse("http://example.org/p?q=1").unwrap();
        let c = capture_url("https://web.archive.org/web", "20150304101112", &o);
        assert_eq!(
            c,
            "https://web.archive.org/web/20150304101112id_/http://example.org/p?q=1"
        );
        assert_eq!(capture_timestamp(&c).as_deref(), Some("20150304101112"));
        assert_eq!(
            capture_date("20150304101112").as_deref(),
            Some("2015-03-04")
        );
        assert_eq!(capture_date("2015").as_deref(), Some("2015"));
        assert!(in_range("20171231235959", Some("2014"), Some("2017")));
        assert!(!in_range("20180101000000", Some("2014"), Some("2017")));
        assert!(!in_range("20131231235959", Some("2014"), None));
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(is_document("text/html", &u("http://x.org/a")));
        assert!(is_document("application/pdf", &u("http://x.org/a.pdf")));
        assert!(is_document("unk", &u("http://x.org/report")));
        assert!(!is_document("unk", &u("http://x.org/logo.png")));
        assert!(!is_document("image/png", &u("http://x.org/a")));
        assert!(!is_document("text/css", &u("http://x.org/a.css")));
        assert!(!is_document(
            "application/javascript",
            &u("http://x.org/a.js")
        ));
    }
}
