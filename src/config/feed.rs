//! The `kind = "feed"` source: RSS and Atom feeds of news sites and blogs. Each selected entry's link is fetched
//! as a document through the crawler; the entry's date dates a page that carries none. The politeness keys are
//! those of an `http` source, with the same defaults.

use serde::Deserialize;

use super::http::*;

/// Default most entries whose pages are fetched in one run (entries past it wait for the next run).
pub const DEFAULT_MAX_ENTRIES: u32 = 500;
/// Default most pages read of one paged feed (`follow_pagination`), the first included.
pub const DEFAULT_MAX_FEED_PAGES: u32 = 10;

super::politeness::web_source! {
    crawl
    /// RSS and Atom feeds whose entries are fetched as documents.
    #[derive(Debug, Clone, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct FeedSource {
        /// Name of the source, shown in tables and the report.
        pub name: String,
        /// The feeds' URLs (http or https): RSS 2.0, RSS 1.0 (RDF) or Atom.
        pub feeds: Vec<String>,
        /// Regular expressions matched against each entry's title, summary and link; when any are given, an entry
        /// matching none is not fetched.
        #[serde(default)]
        pub include: Vec<String>,
        /// Most entries whose pages are fetched in one run; the others are remembered and fetched by later runs.
        #[serde(default = "default_max_entries")]
        pub max_entries: u32,
        /// Read the older pages of a paged feed: Atom `<link rel="next">` (RFC 5005), or WordPress's `?paged=2`.
        /// Paging stops at a page without an entry not seen before.
        #[serde(default)]
        pub follow_pagination: bool,
        /// Most pages read of one feed when `follow_pagination` is on, the first included.
        #[serde(default = "default_max_feed_pages")]
        pub max_feed_pages: u32,
        /// Ask again (conditionally) for the pages of entries seen in earlier runs, to notice edits. Off: a re-run
        /// fetches only new entries and takes the others' pages as the cache holds them.
        #[serde(default)]
        pub recheck_seen: bool,
        /// Pause between two requests to one host, in milliseconds (robots.txt `Crawl-delay` can raise it for pages).
        #[serde(default = "default_delay_ms")]
        pub delay_ms: u64,
        /// Hosts whose entry pages are fetched at once; each host always has at most one request in flight.
        #[serde(default = "default_concurrency")]
        pub concurrency: usize,
    }
}

fn default_max_entries() -> u32 {
    DEFAULT_MAX_ENTRIES
}
fn default_max_feed_pages() -> u32 {
    DEFAULT_MAX_FEED_PAGES
}
fn default_delay_ms() -> u64 {
    DEFAULT_DELAY_MS
}
fn default_concurrency() -> usize {
    DEFAULT_CONCURRENCY
}

impl FeedSource {
    /// Checks what serde cannot: URLs, patterns and ranges. The message names the source and the field.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        if self.feeds.is_empty() {
            return Err(format!("source {name:?}: `feeds` is empty"));
        }
        for feed in &self.feeds {
            match url::Url::parse(feed) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
                Ok(_) => {
                    return Err(format!(
                        "source {name:?}: feed {feed:?} is not an http or https URL"
                    ))
                }
                Err(e) => return Err(format!("source {name:?}: feed {feed:?}: {e}")),
            }
        }
        for p in &self.include {
            if let Err(e) = regex::Regex::new(p) {
                return Err(format!("source {name:?}: include pattern {p:?}: {e}"));
            }
        }
        if self.max_feed_pages == 0 {
            return Err(format!(
                "source {name:?}: `max_feed_pages` must be at least 1"
            ));
        }
        // The politeness keys are checked as an http source's are.
        let mut http = self.http_settings();
        http.seeds.clone_from(&self.feeds);
        http.validate()
    }

    /// The settings of the crawler that fetches the entries' pages (and of the client that reads the feeds):
    /// this source's name and politeness; no seeds, links or sitemaps of its own.
    pub fn http_settings(&self) -> HttpSource {
        let mut h = HttpSource {
            seeds: Vec::new(),
            allow_domains: vec!["*".into()],
            include: Vec::new(),
            exclude: Vec::new(),
            sitemaps: false,
            max_depth: 0,
            max_pages: self.max_entries.max(1),
            delay_ms: self.delay_ms,
            concurrency: self.concurrency,
            ..HttpSource::named(&self.name)
        };
        self.crawl_keys_into(&mut h);
        h
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{Config, SourceConfig};

    #[test]
    fn the_curated_syntax_parses_with_defaults() {
        let text = "catalogue = \"c\"\n[[source]]\nname = \"news-feeds\"\nkind = \"feed\"\n\
                    feeds = [\"https://dig.watch/feed\", \"https://blog.example/atom.xml\"]\n\
                    include = [\"(?i)igf|best practice forum|bpf\"]\n";
        let cfg = Config::parse(Path::new("x.toml"), text).unwrap();
        let SourceConfig::Feed(f) = &cfg.sources[0] else {
            panic!("a feed source: {:?}", cfg.sources[0]);
        };
        assert_eq!(f.name, "news-feeds");
        assert_eq!(f.feeds.len(), 2);
        assert_eq!(f.max_entries, DEFAULT_MAX_ENTRIES);
        assert!(!f.follow_pagination && !f.recheck_seen);
        assert_eq!(f.max_feed_pages, DEFAULT_MAX_FEED_PAGES);
        assert_eq!(f.delay_ms, DEFAULT_DELAY_MS);
        assert_eq!(f.user_agent, DEFAULT_USER_AGENT);
        let h = f.http_settings();
        assert_eq!(
            (h.name.as_str(), h.max_depth, h.sitemaps),
            ("news-feeds", 0, false)
        );
    }

    #[test]
    fn feed_sources_are_validated_naming_the_field() {
        for (extra, expect) in [
            ("feeds = []", "`feeds` is empty"),
            ("feeds = [\"ftp://x.org/rss\"]", "not an http or https URL"),
            (
                "feeds = [\"https://x.org/rss\"]\ninclude = [\"(\"]",
                "include pattern",
            ),
            (
                "feeds = [\"https://x.org/rss\"]\nmax_feed_pages = 0",
                "max_feed_pages",
            ),
            (
                "feeds = [\"https://x.org/rss\"]\nconcurrency = 0",
                "concurrency",
            ),
            (
                "feeds = [\"https://x.org/rss\"]\nseeds = [\"https://x.org/\"]",
                "seeds",
            ),
        ] {
            let text =
                format!("catalogue = \"c\"\n[[source]]\nname = \"f\"\nkind = \"feed\"\n{extra}\n");
            let e = Config::parse(Path::new("c.toml"), &text)
                .unwrap_err()
                .to_string();
            assert!(e.contains(expect) && e.contains("c.toml"), "{extra}: {e}");
        }
    }
}
