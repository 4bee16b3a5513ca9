//! The `kind = "http"` source: a website crawled politely. Every crawl setting sits on the source entry with a
//! named default, so one source can be gentler than another.

use serde::Deserialize;

/// Default pause between two requests to one host (after the first has finished), in milliseconds.
pub const DEFAULT_DELAY_MS: u64 = 1000;
/// Default number of hosts fetched from at once (one request in flight per host).
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Default link depth followed from a seed.
pub const DEFAULT_MAX_DEPTH: u32 = 2;
/// Default most documents fetched from one source in one run.
pub const DEFAULT_MAX_PAGES: u32 = 1000;
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 10_000;
/// Default total timeout of one request, body included.
pub const DEFAULT_TIMEOUT_MS: u64 = 120_000;
/// Default retries after a first failed attempt (408, 429, 5xx and network errors).
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// Default first backoff; each retry doubles it and adds up to as much again of jitter.
pub const DEFAULT_RETRY_BASE_MS: u64 = 1000;
/// Default longest wait honoured from a `Retry-After` header; a longer one gives the URL up.
pub const DEFAULT_MAX_RETRY_AFTER_MS: u64 = 120_000;
/// Default number of failures in a row after which a host is no longer asked.
pub const DEFAULT_MAX_HOST_FAILURES: u32 = 5;
/// Default longest robots.txt `Crawl-delay` honoured, in milliseconds.
pub const DEFAULT_MAX_CRAWL_DELAY_MS: u64 = 30_000;
/// Default size cap of an HTML, XML or plain-text body: a larger one is refused, never truncated.
pub const DEFAULT_MAX_HTML_BYTES: u64 = 10 * 1024 * 1024;
/// Default size cap of a PDF body.
pub const DEFAULT_MAX_PDF_BYTES: u64 = 100 * 1024 * 1024;
/// Default most redirects followed from one URL.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;
/// Default User-Agent; set your own with a contact URL for real crawls.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "uptake/",
    env!("CARGO_PKG_VERSION"),
    " (report-uptake crawler; +https://github.com/uptake-tool/uptake)"
);

super::politeness::web_source! {
    crawl
    /// A website to crawl.
    #[derive(Debug, Clone, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct HttpSource {
        /// Name of the source, shown in tables and the report.
        pub name: String,
        /// Start URLs (http or https). A seed that turns out to be a sitemap is read as one.
        pub seeds: Vec<String>,
        /// Hosts the crawl may enter, subdomains included (the seeds' hosts when empty; `"*"` allows every host).
        #[serde(default)]
        pub allow_domains: Vec<String>,
        /// Regular expressions; when any are given, a URL must match one to be fetched (seeds excepted).
        #[serde(default)]
        pub include: Vec<String>,
        /// Regular expressions; a URL matching any is never fetched (seeds excepted).
        #[serde(default)]
        pub exclude: Vec<String>,
        /// Read the `Sitemap:` lines of each host's robots.txt, and sitemap indexes recursively.
        #[serde(default = "yes")]
        pub sitemaps: bool,
        /// Links followed from a seed (0: the seeds and their sitemaps only).
        #[serde(default = "default_max_depth")]
        pub max_depth: u32,
        /// Most documents fetched from this source in one run.
        #[serde(default = "default_max_pages")]
        pub max_pages: u32,
        /// Pause between two requests to one host, in milliseconds (robots.txt `Crawl-delay` can raise it).
        #[serde(default = "default_delay_ms")]
        pub delay_ms: u64,
        /// Hosts fetched from at once; each host always has at most one request in flight.
        #[serde(default = "default_concurrency")]
        pub concurrency: usize,
        /// Look up pages that answer 404 or 410 in a web archive and read their latest archived copy under the dead
        /// address: `true` (the Internet Archive), or a table (`cdx_url`, `archive_url`, `max_requests`,
        /// `delay_ms`); off by default.
        #[serde(default, deserialize_with = "super::wayback::dead_link_archive")]
        pub archive_dead_links: Option<super::wayback::DeadLinkArchive>,
    }
}

fn yes() -> bool {
    true
}
fn default_max_depth() -> u32 {
    DEFAULT_MAX_DEPTH
}
fn default_max_pages() -> u32 {
    DEFAULT_MAX_PAGES
}
fn default_delay_ms() -> u64 {
    DEFAULT_DELAY_MS
}
fn default_concurrency() -> usize {
    DEFAULT_CONCURRENCY
}
pub(crate) fn default_user_agent() -> String {
    DEFAULT_USER_AGENT.to_string()
}
pub(crate) fn default_connect_timeout_ms() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}
pub(crate) fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}
pub(crate) fn default_max_retries() -> u32 {
    DEFAULT_MAX_RETRIES
}
pub(crate) fn default_retry_base_ms() -> u64 {
    DEFAULT_RETRY_BASE_MS
}
pub(crate) fn default_max_retry_after_ms() -> u64 {
    DEFAULT_MAX_RETRY_AFTER_MS
}
pub(crate) fn default_max_host_failures() -> u32 {
    DEFAULT_MAX_HOST_FAILURES
}
pub(crate) fn default_max_crawl_delay_ms() -> u64 {
    DEFAULT_MAX_CRAWL_DELAY_MS
}
pub(crate) fn default_max_html_bytes() -> u64 {
    DEFAULT_MAX_HTML_BYTES
}
pub(crate) fn default_max_pdf_bytes() -> u64 {
    DEFAULT_MAX_PDF_BYTES
}
pub(crate) fn default_max_redirects() -> u32 {
    DEFAULT_MAX_REDIRECTS
}

impl HttpSource {
    /// A source named `name` with every setting at its default and no seeds: the politeness of the requests
    /// uptake makes for other kinds of source and for the catalogue's text URLs.
    pub fn named(name: &str) -> HttpSource {
        HttpSource {
            name: name.to_string(),
            seeds: Vec::new(),
            allow_domains: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            sitemaps: true,
            max_depth: DEFAULT_MAX_DEPTH,
            max_pages: DEFAULT_MAX_PAGES,
            delay_ms: DEFAULT_DELAY_MS,
            concurrency: DEFAULT_CONCURRENCY,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base_ms: DEFAULT_RETRY_BASE_MS,
            max_retry_after_ms: DEFAULT_MAX_RETRY_AFTER_MS,
            max_host_failures: DEFAULT_MAX_HOST_FAILURES,
            max_crawl_delay_ms: DEFAULT_MAX_CRAWL_DELAY_MS,
            max_html_bytes: DEFAULT_MAX_HTML_BYTES,
            max_pdf_bytes: DEFAULT_MAX_PDF_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            archive_dead_links: None,
        }
    }

    /// Checks what serde cannot: URLs, patterns and ranges. The message names the source and the field.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        if self.seeds.is_empty() {
            return Err(format!("source {name:?}: `seeds` is empty"));
        }
        for seed in &self.seeds {
            match url::Url::parse(seed) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
                Ok(_) => {
                    return Err(format!(
                        "source {name:?}: seed {seed:?} is not an http or https URL"
                    ))
                }
                Err(e) => return Err(format!("source {name:?}: seed {seed:?}: {e}")),
            }
        }
        for (field, patterns) in [("include", &self.include), ("exclude", &self.exclude)] {
            for p in patterns {
                if let Err(e) = regex::Regex::new(p) {
                    return Err(format!("source {name:?}: {field} pattern {p:?}: {e}"));
                }
            }
        }
        if self.concurrency == 0 {
            return Err(format!("source {name:?}: `concurrency` must be at least 1"));
        }
        if self.max_host_failures == 0 {
            return Err(format!(
                "source {name:?}: `max_host_failures` must be at least 1"
            ));
        }
        if self.user_agent.trim().is_empty() || self.user_agent.contains(['\r', '\n']) {
            return Err(format!(
                "source {name:?}: `user_agent` must be one non-empty line"
            ));
        }
        if let Some(a) = &self.archive_dead_links {
            a.validate(name)?;
        }
        Ok(())
    }
}
