//! Where the crawl may go: the scope of a source (allowed hosts, include and exclude patterns), the origin key
//! of a URL, and the links of an HTML page (honouring `<base href>` and a robots `nofollow` meta tag), in the
//! frontier form of [`crate::textutil::frontier_url`]. Text is not extracted here; the extract stage does that.

use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

use crate::config::HttpSource;
use crate::textutil::frontier_url;

/// File endings that are never documents: the crawler does not ask for them.
const NOT_DOCUMENTS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "css", "js", "mjs",
    "json", "zip", "gz", "tgz", "rar", "7z", "mp3", "mp4", "m4a", "avi", "mov", "webm", "ogg",
    "wav", "woff", "woff2", "ttf", "eot", "exe", "dmg", "iso", "doc", "docx", "xls", "xlsx", "ppt",
    "pptx", "odt", "csv", "ics",
];

/// The part of the web a source may fetch.
#[derive(Debug, Clone)]
pub struct Scope {
    hosts: Vec<String>,
    include: Vec<Regex>,
    exclude: Vec<Regex>,
    /// In a sharded run, the shard whose hosts alone are crawled.
    shard: Option<crate::shard::Shard>,
}

impl Scope {
    /// The scope of a source (its patterns were checked when the config was read).
    pub fn new(src: &HttpSource) -> Scope {
        let mut hosts: Vec<String> = if src.allow_domains.is_empty() {
            src.seeds
                .iter()
                .filter_map(|s| Url::parse(s).ok()?.host_str().map(str::to_string))
                .collect()
        } else {
            src.allow_domains.clone()
        };
        for h in &mut hosts {
            *h = h.trim().trim_start_matches("*.").to_ascii_lowercase();
        }
        let compile = |ps: &[String]| ps.iter().filter_map(|p| Regex::new(p).ok()).collect();
        Scope {
            hosts,
            include: compile(&src.include),
            exclude: compile(&src.exclude),
            shard: None,
        }
    }

    /// The scope narrowed to the hosts of one shard of a sharded run ([`crate::shard::Shard::takes_url`]).
    pub fn sharded(self, shard: crate::shard::Shard) -> Scope {
        Scope {
            shard: Some(shard),
            ..self
        }
    }

    /// Whether the host is allowed (itself or a subdomain of an allowed domain; `*` allows every host) and, in a
    /// sharded run, belongs to this shard.
    pub fn host_allowed(&self, url: &Url) -> bool {
        self.in_domains(url) && self.in_shard(url)
    }

    fn in_domains(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        self.hosts
            .iter()
            .any(|d| d == "*" || host == *d || host.ends_with(&format!(".{d}")))
    }

    fn in_shard(&self, url: &Url) -> bool {
        self.shard.is_none_or(|s| s.takes_url(url))
    }

    /// `Ok` when a discovered URL may be fetched, else the reason it may not.
    pub fn check(&self, url: &Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("scheme {} is not crawled", url.scheme()));
        }
        if !self.in_domains(url) {
            return Err("host outside allow_domains".into());
        }
        if !self.in_shard(url) {
            return Err("host crawled by another shard".into());
        }
        let s = url.as_str();
        if !self.include.is_empty() && !self.include.iter().any(|r| r.is_match(s)) {
            return Err("matches no include pattern".into());
        }
        if let Some(r) = self.exclude.iter().find(|r| r.is_match(s)) {
            return Err(format!("matches exclude pattern {:?}", r.as_str()));
        }
        if not_a_document(url) {
            return Err("not a document type".into());
        }
        Ok(())
    }
}

/// Whether a URL's ending (an image, style, script, archive, media or office file) says it is no document.
pub(crate) fn not_a_document(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        Some((_, ext)) => NOT_DOCUMENTS.contains(&ext),
        None => false,
    }
}

/// The origin key of a URL's host (`scheme://host:port`): politeness and robots.txt are per origin.
pub fn origin_key(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Links of an HTML page.
#[derive(Debug, Default, PartialEq)]
pub struct PageLinks {
    pub links: Vec<Url>,
    /// The page asked robots not to follow its links (`<meta name="robots" content="nofollow">`).
    pub nofollow: bool,
}

/// The http(s) links of an HTML page, resolved against its URL or its `<base href>`, without fragments, each
/// once, in document order.
pub fn html_links(page: &Url, bytes: &[u8]) -> PageLinks {
    let text = String::from_utf8_lossy(bytes);
    let depth = crate::textutil::nesting_depth(&text);
    if depth > crate::textutil::MAX_HTML_DEPTH {
        tracing::warn!(
            "{page}: elements nested {depth} deep (more than {}); its links are not followed",
            crate::textutil::MAX_HTML_DEPTH
        );
        return PageLinks::default();
    }
    let doc = Html::parse_document(&text);
    let sel = |s: &str| Selector::parse(s).expect("a valid selector");
    let nofollow = doc.select(&sel("meta[name]")).any(|m| {
        let v = m.value();
        v.attr("name")
            .is_some_and(|n| n.eq_ignore_ascii_case("robots"))
            && v.attr("content").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("nofollow") || c.contains("none")
            })
    });
    if nofollow {
        return PageLinks {
            links: Vec::new(),
            nofollow,
        };
    }
    let base = doc
        .select(&sel("base[href]"))
        .next()
        .and_then(|b| page.join(b.value().attr("href")?.trim()).ok())
        .unwrap_or_else(|| page.clone());
    let mut seen = std::collections::HashSet::new();
    let mut links = Vec::new();
    for el in doc.select(&sel("a[href], area[href], iframe[src], frame[src]")) {
        let v = el.value();
        if v.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("nofollow"))
        }) {
            continue;
        }
        let Some(href) = v.attr("href").or_else(|| v.attr("src")) else {
            continue;
        };
        let Ok(url) = base.join(href.trim()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let url = frontier_url(url);
        if seen.insert(url.as_str().to_string()) {
            links.push(url);
        }
    }
    PageLinks { links, nofollow }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(toml_extra: &str) -> HttpSource {
        toml::from_str(&format!(
            "name = \"s\"\nseeds = [\"https://www.example.org/start\"]\n{toml_extra}"
        ))
        .unwrap()
    }

    #[test]
    fn scope_follows_hosts_and_patterns() {
        let s = Scope::new(&source(
            "allow_domains = [\"example.org\"]\ninclude = [\"/docs/\"]\nexclude = [\"/docs/private\"]",
        ));
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(s.check(&u("https://www.example.org/docs/a.pdf")).is_ok());
        assert!(s.check(&u("https://example.org/docs/a.html")).is_ok());
        assert!(s.check(&u("https://badexample.org/docs/a")).is_err());
        assert!(s.check(&u("https://example.org/blog/")).is_err());
        assert!(s.check(&u("https://example.org/docs/private/x")).is_err());
        assert!(s.check(&u("https://example.org/docs/logo.png")).is_err());
        assert!(s.check(&u("ftp://example.org/docs/a")).is_err());
    }

    #[test]
    fn a_sharded_scope_keeps_the_hosts_of_its_shard() {
        use crate::shard::{shard_of, Shard};
        let hosts: Vec<String> = (0..40).map(|i| format!("h{i}.example.org")).collect();
        let u = |h: &str| Url::parse(&format!("https://{h}/docs/a.html")).unwrap();
        for k in 0..3 {
            let s = Scope::new(&source("allow_domains = [\"example.org\"]"))
                .sharded(Shard::new(k, 3).unwrap());
            for h in &hosts {
                let mine = shard_of(h, 3) == k;
                assert_eq!(s.host_allowed(&u(h)), mine, "{h} on shard {k}");
                match s.check(&u(h)) {
                    Ok(()) => assert!(mine),
                    Err(why) => assert_eq!(why, "host crawled by another shard"),
                }
            }
            // the domains still bound it
            assert_eq!(
                s.check(&u("other.org")).unwrap_err(),
                "host outside allow_domains"
            );
        }
    }

    #[test]
    fn seeds_hosts_are_the_default_scope() {
        let s = Scope::new(&source(""));
        assert!(s.host_allowed(&Url::parse("https://www.example.org/x").unwrap()));
        assert!(!s.host_allowed(&Url::parse("https://example.org/x").unwrap()));
    }

    #[test]
    fn links_resolve_against_base_and_skip_nofollow() {
        let page = Url::parse("https://example.org/a/page.html").unwrap();
        let html = br#"<html><head><base href="https://example.org/b/"></head><body>
            <a href="x.pdf#p2">x</a><a href="x.pdf">again</a><a href="mailto:a@b">m</a>
            <a rel="nofollow" href="/skip">s</a><a href="//other.org/y">y</a></body></html>"#;
        let got = html_links(&page, html);
        let urls: Vec<&str> = got.links.iter().map(Url::as_str).collect();
        assert_eq!(urls, ["https://example.org/b/x.pdf", "https://other.org/y"]);
        let none = html_links(
            &page,
            br#"<meta name="ROBOTS" content="noindex, nofollow"><a href="/z">z</a>"#,
        );
        assert!(none.nofollow && none.links.is_empty());
    }

    #[test]
    fn too_deep_pages_give_no_links_without_parsing() {
        let page = Url::parse("https://example.org/").unwrap();
        // 200,000 nested elements take html5ever minutes; the pre-scan refuses them at once.
        let html = format!(r#"<a href="/x">x</a>{}"#, "<div>".repeat(200_000));
        assert_eq!(html_links(&page, html.as_bytes()), PageLinks::default());
        let shallow = format!(r#"<a href="/x">x</a>{}"#, "<div>".repeat(100));
        assert_eq!(html_links(&page, shallow.as_bytes()).links.len(), 1);
    }
}
