//! The `kind = "wayback"` source: pages of the past read from a web archive (the Internet Archive's Wayback
//! Machine by default, or any archive speaking its CDX protocol), and the archive settings an http source uses to
//! look up its dead links (`archive_dead_links`). Every setting has a named default.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::http::HttpSource;

/// Default CDX endpoint: the Internet Archive's capture index.
pub const DEFAULT_WAYBACK_CDX_URL: &str = "https://web.archive.org/cdx/search/cdx";
/// Default prefix of a capture: `<archive_url><timestamp>id_/<original URL>` is the capture as it was archived.
pub const DEFAULT_WAYBACK_ARCHIVE_URL: &str = "https://web.archive.org/web/";
/// Default most captures (one per page) read from one wayback source in one run.
pub const DEFAULT_WAYBACK_MAX_CAPTURES: u32 = 500;
/// Default most CDX requests of one source in one run (captures are fetched apart from this budget).
pub const DEFAULT_WAYBACK_MAX_REQUESTS: u32 = 100;
/// Default CDX rows asked in one request (`limit`); the next rows follow with the resume key.
pub const DEFAULT_WAYBACK_CDX_ROWS: u32 = 5000;
/// Default pause between two requests to the archive, in milliseconds. The Wayback Machine limits its CDX
/// search to about 24 requests a minute per address (the limit the `wayback` Python client of EDGI adopted in
/// its v0.5.1 "to match the actual hard limits now set on Wayback Machine servers"); 2.5 s keeps the index and
/// the captures, which share the host's turn, under it.
pub const DEFAULT_WAYBACK_DELAY_MS: u64 = 2500;

/// Which capture of a page is read when the archive holds several in the date range.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CapturePick {
    /// The first capture in the range: the closest to publication, so its time is the tightest upper bound on
    /// the page's date, and what it shows existed by then.
    #[default]
    Earliest,
    /// The last capture in the range: the fullest version (later edits, comments, added links) before the page
    /// changed or died.
    Latest,
}

super::politeness::web_source! {
    crawl
    /// A web archive read through its CDX index.
    #[derive(Debug, Clone, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct WaybackSource {
        /// Name of the source, shown in tables and the report.
        pub name: String,
        /// Hosts or URL prefixes whose captures are read. A host alone (`genderit.org`, `genderit.org/`) covers the
        /// host and its subdomains (CDX `matchType=domain`); with a path (`apc.org/en/news/`) every URL under the
        /// prefix (`matchType=prefix`). A scheme, a leading `*.` and a trailing `*` are accepted and dropped.
        pub targets: Vec<String>,
        /// First capture time read, inclusive: 1 to 14 digits of `YYYYMMDDhhmmss` (`"2014"`, `"20140601"`).
        #[serde(default)]
        pub from: Option<String>,
        /// Last capture time read, inclusive, in the same form (`"2017"` reaches the end of 2017).
        #[serde(default)]
        pub to: Option<String>,
        /// Regular expressions over the original URL; when any are given, a page must match one to be read.
        #[serde(default)]
        pub include: Vec<String>,
        /// Regular expressions over the original URL; a page matching any is not read.
        #[serde(default)]
        pub exclude: Vec<String>,
        /// Which capture of a page is read: `earliest` (default) or `latest` in the date range.
        #[serde(default)]
        pub capture: CapturePick,
        /// Most pages (one capture each) read in one run, over all targets in their order.
        #[serde(default = "default_max_captures")]
        pub max_captures: u32,
        /// Most requests to the CDX index in one run; past it, the answers of earlier runs are used.
        #[serde(default = "default_max_requests")]
        pub max_requests: u32,
        /// Rows asked in one CDX request; more follow by the resume key.
        #[serde(default = "default_cdx_rows")]
        pub cdx_rows: u32,
        /// The CDX endpoint.
        #[serde(default = "default_cdx_url")]
        pub cdx_url: String,
        /// The prefix of captures: a capture is `<archive_url><timestamp>id_/<original URL>`.
        #[serde(default = "default_archive_url")]
        pub archive_url: String,
        /// Pause between two requests to the archive, in milliseconds (its robots.txt `Crawl-delay` can raise it).
        #[serde(default = "default_delay_ms")]
        pub delay_ms: u64,
    }
}

/// The archive an http source asks for the pages that answer 404 or 410 (`archive_dead_links = true`, or a
/// table with these keys).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeadLinkArchive {
    /// The CDX endpoint.
    #[serde(default = "default_cdx_url")]
    pub cdx_url: String,
    /// The prefix of captures.
    #[serde(default = "default_archive_url")]
    pub archive_url: String,
    /// Most CDX lookups (one per dead page) in one run.
    #[serde(default = "default_max_requests")]
    pub max_requests: u32,
    /// Pause between two requests to the archive, in milliseconds (the source's own `delay_ms` when larger).
    #[serde(default = "default_delay_ms")]
    pub delay_ms: u64,
}

impl Default for DeadLinkArchive {
    fn default() -> Self {
        DeadLinkArchive {
            cdx_url: DEFAULT_WAYBACK_CDX_URL.into(),
            archive_url: DEFAULT_WAYBACK_ARCHIVE_URL.into(),
            max_requests: DEFAULT_WAYBACK_MAX_REQUESTS,
            delay_ms: DEFAULT_WAYBACK_DELAY_MS,
        }
    }
}

/// Reads `archive_dead_links`: `true` (the Internet Archive with the defaults), `false`, or a table of
/// [`DeadLinkArchive`] keys.
pub(super) fn dead_link_archive<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DeadLinkArchive>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<DeadLinkArchive>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("true, false, or a table with cdx_url, archive_url, max_requests, delay_ms")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(v.then(DeadLinkArchive::default))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            DeadLinkArchive::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    d.deserialize_any(V)
}

fn default_cdx_url() -> String {
    DEFAULT_WAYBACK_CDX_URL.into()
}
fn default_archive_url() -> String {
    DEFAULT_WAYBACK_ARCHIVE_URL.into()
}
fn default_max_captures() -> u32 {
    DEFAULT_WAYBACK_MAX_CAPTURES
}
fn default_max_requests() -> u32 {
    DEFAULT_WAYBACK_MAX_REQUESTS
}
fn default_cdx_rows() -> u32 {
    DEFAULT_WAYBACK_CDX_ROWS
}
fn default_delay_ms() -> u64 {
    DEFAULT_WAYBACK_DELAY_MS
}

/// How a target is asked of the CDX index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The `url` parameter: the host, or the prefix without its scheme.
    pub url: String,
    /// `domain` for a host (subdomains included), `prefix` for a URL prefix.
    pub match_type: &'static str,
}

/// Reads a target as written in the config; `None` when it names no host.
pub fn parse_target(t: &str) -> Option<Target> {
    let mut s = t.trim();
    for scheme in ["http://", "https://"] {
        if s.len() >= scheme.len() && s[..scheme.len()].eq_ignore_ascii_case(scheme) {
            s = &s[scheme.len()..];
        }
    }
    let s = s.trim_start_matches("*.").trim_end_matches('*');
    let (host, path) = s.split_once('/').unwrap_or((s, ""));
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
    if !valid_host || s.contains(char::is_whitespace) {
        return None;
    }
    Some(if path.is_empty() {
        Target {
            url: host.to_ascii_lowercase(),
            match_type: "domain",
        }
    } else {
        Target {
            url: format!("{}/{path}", host.to_ascii_lowercase()),
            match_type: "prefix",
        }
    })
}

/// Whether a `from` / `to` value is a CDX time: 1 to 14 digits of `YYYYMMDDhhmmss`, at least the year.
fn is_cdx_time(v: &str) -> bool {
    (4..=14).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

/// A CDX time filled to 14 digits with `fill` (`0` for a lower bound, `9` for an upper one), so times of
/// different lengths compare as the CDX server reads them.
pub fn pad_time(v: &str, fill: char) -> String {
    let mut s = v.to_string();
    while s.len() < 14 {
        s.push(fill);
    }
    s
}

/// Checks an endpoint URL; the message names the source and the field.
fn check_endpoint(name: &str, field: &str, v: &str) -> Result<(), String> {
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        Ok(_) => Err(format!(
            "source {name:?}: {field} {v:?} is not an http or https URL"
        )),
        Err(e) => Err(format!("source {name:?}: {field} {v:?}: {e}")),
    }
}

impl DeadLinkArchive {
    /// Checks the endpoints of an http source's `archive_dead_links`.
    pub fn validate(&self, name: &str) -> Result<(), String> {
        check_endpoint(name, "archive_dead_links.cdx_url", &self.cdx_url)?;
        check_endpoint(name, "archive_dead_links.archive_url", &self.archive_url)
    }
}

impl WaybackSource {
    /// Checks what serde cannot: targets, times, patterns, endpoints and ranges. The message names the source and
    /// the field.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        if self.targets.is_empty() {
            return Err(format!("source {name:?}: `targets` is empty"));
        }
        for t in &self.targets {
            if parse_target(t).is_none() {
                return Err(format!(
                    "source {name:?}: target {t:?} is not a host or a URL prefix"
                ));
            }
        }
        for (field, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v {
                if !is_cdx_time(v) {
                    return Err(format!(
                        "source {name:?}: `{field}` {v:?} is not a time of 4 to 14 digits (YYYY, YYYYMMDD, …)"
                    ));
                }
            }
        }
        if let (Some(f), Some(t)) = (&self.from, &self.to) {
            if pad_time(f, '0') > pad_time(t, '9') {
                return Err(format!("source {name:?}: `from` {f:?} is after `to` {t:?}"));
            }
        }
        for (field, patterns) in [("include", &self.include), ("exclude", &self.exclude)] {
            for p in patterns {
                if let Err(e) = regex::Regex::new(p) {
                    return Err(format!("source {name:?}: {field} pattern {p:?}: {e}"));
                }
            }
        }
        check_endpoint(name, "cdx_url", &self.cdx_url)?;
        check_endpoint(name, "archive_url", &self.archive_url)?;
        for (field, v) in [
            ("max_captures", self.max_captures),
            ("cdx_rows", self.cdx_rows),
            ("max_host_failures", self.max_host_failures),
        ] {
            if v == 0 {
                return Err(format!("source {name:?}: `{field}` must be at least 1"));
            }
        }
        if self.user_agent.trim().is_empty() || self.user_agent.contains(['\r', '\n']) {
            return Err(format!(
                "source {name:?}: `user_agent` must be one non-empty line"
            ));
        }
        Ok(())
    }

    /// The crawl settings the archive is asked with: this source's name, User-Agent, delay, timeouts, retries and
    /// caps (one host, so one request at a time).
    pub fn http_settings(&self) -> HttpSource {
        let mut h = HttpSource {
            seeds: Vec::new(),
            allow_domains: vec!["*".into()],
            include: Vec::new(),
            exclude: Vec::new(),
            sitemaps: false,
            max_depth: 0,
            max_pages: self.max_captures,
            delay_ms: self.delay_ms,
            concurrency: 1,
            ..HttpSource::named(&self.name)
        };
        self.crawl_keys_into(&mut h);
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigFile, SourceConfig};

    fn source(toml_src: &str) -> Result<SourceConfig, toml::de::Error> {
        let f: ConfigFile = toml::from_str(&format!("catalogue = \"c.toml\"\n{toml_src}"))?;
        Ok(f.sources.into_iter().next().expect("one source"))
    }

    #[test]
    fn the_curated_entry_reads_with_its_defaults() {
        let s = source(
            "[[source]]\nname = \"archive-genderit\"\nkind = \"wayback\"\ntargets = [\"genderit.org/\"]\n\
             from = \"2014\"\nto = \"2017\"\ninclude = [\"(?i)igf|bpf|best-practice\"]\nmax_captures = 300\n",
        )
        .unwrap();
        let SourceConfig::Wayback(w) = s else {
            panic!("not a wayback source: {s:?}")
        };
        w.validate().unwrap();
        assert_eq!(w.max_captures, 300);
        assert_eq!(w.capture, CapturePick::Earliest);
        assert_eq!(w.delay_ms, DEFAULT_WAYBACK_DELAY_MS);
        assert_eq!(w.cdx_url, DEFAULT_WAYBACK_CDX_URL);
        assert_eq!(
            parse_target(&w.targets[0]),
            Some(Target {
                url: "genderit.org".into(),
                match_type: "domain"
            })
        );
    }

    #[test]
    fn targets_are_hosts_or_prefixes() {
        let t = |s: &str| parse_target(s).map(|t| (t.url, t.match_type));
        assert_eq!(
            t("https://Example.org"),
            Some(("example.org".into(), "domain"))
        );
        assert_eq!(t("*.example.org"), Some(("example.org".into(), "domain")));
        assert_eq!(
            t("example.org/news/*"),
            Some(("example.org/news/".into(), "prefix"))
        );
        assert_eq!(
            t("http://example.org/a?b=1"),
            Some(("example.org/a?b=1".into(), "prefix"))
        );
        assert_eq!(t("/only/a/path"), None);
        assert_eq!(t("two words.org"), None);
    }

    #[test]
    fn bad_values_are_named() {
        let bad_with = |targets: &str, extra: &str| {
            let s = source(&format!(
                "[[source]]\nname = \"a\"\nkind = \"wayback\"\ntargets = {targets}\n{extra}"
            ))
            .unwrap();
            let SourceConfig::Wayback(w) = s else {
                panic!()
            };
            w.validate().unwrap_err()
        };
        let bad = |extra: &str| bad_with("[\"example.org\"]", extra);
        assert!(bad_with("[]", "").contains("`targets` is empty"));
        assert!(bad_with("[\"/path\"]", "").contains("not a host"));
        assert!(bad("from = \"14\"").contains("`from`"));
        assert!(bad("from = \"2018\"\nto = \"2017\"").contains("after"));
        assert!(bad("include = [\"(\"]").contains("include pattern"));
        assert!(bad("cdx_url = \"ftp://x\"").contains("cdx_url"));
        assert!(bad("max_captures = 0").contains("max_captures"));
        let unknown = source(
            "[[source]]\nname = \"a\"\nkind = \"wayback\"\ntargets = [\"x.org\"]\nmax_pages = 3\n",
        )
        .unwrap_err();
        assert!(unknown.to_string().contains("max_pages"), "{unknown}");
    }

    #[test]
    fn archive_dead_links_is_a_switch_or_a_table() {
        let http = |extra: &str| {
            source(&format!(
                "[[source]]\nname = \"w\"\nkind = \"http\"\nseeds = [\"https://example.org/\"]\n{extra}"
            ))
        };
        let get = |s: SourceConfig| match s {
            SourceConfig::Http(h) => h.archive_dead_links,
            other => panic!("{other:?}"),
        };
        assert_eq!(get(http("").unwrap()), None);
        assert_eq!(get(http("archive_dead_links = false").unwrap()), None);
        assert_eq!(
            get(http("archive_dead_links = true").unwrap()),
            Some(DeadLinkArchive::default())
        );
        let t = get(http(
            "archive_dead_links = { cdx_url = \"http://127.0.0.1:9/cdx\", delay_ms = 0 }",
        )
        .unwrap())
        .unwrap();
        assert_eq!(
            (t.cdx_url.as_str(), t.delay_ms, t.archive_url.as_str()),
            ("http://127.0.0.1:9/cdx", 0, DEFAULT_WAYBACK_ARCHIVE_URL)
        );
        let typo = http("archive_dead_links = { cdx = \"x\" }").unwrap_err();
        assert!(typo.to_string().contains("cdx"), "{typo}");
    }
}
