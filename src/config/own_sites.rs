//! The publishing organisation's own sites (`own_sites` in the catalogue): where its own pages live, which are
//! its own follow-up of its outputs, not uptake by others. An entry is a domain, its subdomains included
//! (`intgovforum.org` covers `www.intgovforum.org` and `review.intgovforum.org`, not `notintgovforum.org`), or a
//! URL prefix with its scheme (`https://www.un.org/internet-governance-forum/`), matched on the host and port and
//! then at a path segment boundary (`https://x.org/igf` covers `/igf` and `/igf/...`, not `/igf-archive`); http
//! and https match alike. A document is own when its URL is on an own site.

use url::Url;

/// One entry of `own_sites`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnSite {
    /// A host and its subdomains, lowercase (`intgovforum.org`).
    Domain(String),
    /// A URL prefix: the host (lowercase), an explicit port, and the path without its trailing slash (empty for
    /// the whole host).
    Prefix {
        written: String,
        host: String,
        port: Option<u16>,
        path: String,
    },
}

/// The help every rejected entry carries.
const FORMS: &str = "write a domain (intgovforum.org) or a URL prefix with its scheme \
                     (https://www.un.org/internet-governance-forum/)";

impl OwnSite {
    /// Reads one entry as written in the catalogue; the error says what is wrong with it.
    pub fn parse(entry: &str) -> Result<OwnSite, String> {
        let e = entry.trim();
        if e.is_empty() {
            return Err(format!("own_sites: an entry is empty; {FORMS}"));
        }
        if e.contains("://") {
            let u = Url::parse(e).map_err(|err| format!("own_sites: {entry:?}: {err}; {FORMS}"))?;
            if !matches!(u.scheme(), "http" | "https") {
                return Err(format!(
                    "own_sites: {entry:?} is not an http or https URL; {FORMS}"
                ));
            }
            if u.query().is_some() || u.fragment().is_some() || !u.username().is_empty() {
                return Err(format!(
                    "own_sites: the prefix {entry:?} has a query, fragment or user name; a prefix is a scheme, host \
                     and path"
                ));
            }
            let host = host_of(&u)
                .ok_or_else(|| format!("own_sites: the prefix {entry:?} names no host; {FORMS}"))?;
            return Ok(OwnSite::Prefix {
                written: e.to_string(),
                host,
                port: u.port(),
                path: u.path().trim_end_matches('/').to_string(),
            });
        }
        let plain = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
        if !e.chars().all(plain)
            || e.starts_with(['.', '-'])
            || e.ends_with('-')
            || e.contains("..")
        {
            return Err(format!(
                "own_sites: {entry:?} is neither a domain nor a URL prefix; {FORMS}"
            ));
        }
        // the same normalisation (lowercase, IDNA) as the hosts of the URLs it is matched against
        let u = Url::parse(&format!("http://{e}/"))
            .map_err(|err| format!("own_sites: {entry:?}: {err}; {FORMS}"))?;
        let host =
            host_of(&u).ok_or_else(|| format!("own_sites: {entry:?} is not a domain; {FORMS}"))?;
        Ok(OwnSite::Domain(host))
    }

    /// The entry as the report names it.
    pub fn name(&self) -> &str {
        match self {
            OwnSite::Domain(d) => d,
            OwnSite::Prefix { written, .. } => written,
        }
    }

    /// Whether the http(s) URL `u` is on this site.
    fn covers(&self, u: &Url, host: &str) -> bool {
        match self {
            OwnSite::Domain(d) => {
                host == d
                    || host
                        .strip_suffix(d.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
            OwnSite::Prefix {
                host: h,
                port,
                path,
                ..
            } => {
                if host != h || u.port() != *port {
                    return false;
                }
                let p = u.path();
                path.is_empty()
                    || p.strip_prefix(path.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            }
        }
    }
}

/// The host of an http(s) URL, lowercase, without a trailing dot.
fn host_of(u: &Url) -> Option<String> {
    let h = u.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    (!h.is_empty()).then_some(h)
}

/// Every own site of a catalogue (none when it lists none: every document is then counted as uptake).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnSites {
    sites: Vec<OwnSite>,
}

impl OwnSites {
    /// Reads the entries of `own_sites`; the error names the entry at fault.
    pub fn parse(entries: &[String]) -> Result<OwnSites, String> {
        let sites = entries
            .iter()
            .map(|e| OwnSite::parse(e))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(OwnSites { sites })
    }

    /// Whether the catalogue names no own site.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    /// Whether `url` (an http or https URL) is on one of the own sites. Other URLs (`file://`, unparsable) never
    /// are.
    pub fn contains(&self, url: &str) -> bool {
        if self.sites.is_empty() {
            return false;
        }
        let Ok(u) = Url::parse(url.trim()) else {
            return false;
        };
        if !matches!(u.scheme(), "http" | "https") {
            return false;
        }
        let Some(host) = host_of(&u) else {
            return false;
        };
        self.sites.iter().any(|s| s.covers(&u, &host))
    }

    /// The sites as the report names them, in the catalogue's order.
    pub fn names(&self) -> Vec<String> {
        self.sites.iter().map(|s| s.name().to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(entries: &[&str]) -> OwnSites {
        OwnSites::parse(&entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn a_domain_covers_itself_and_its_subdomains_not_lookalikes() {
        let s = sites(&["intgovforum.org"]);
        for url in [
            "https://intgovforum.org/",
            "https://www.intgovforum.org/en/content/bpf-gender",
            "http://review.intgovforum.org/x?y=1",
            "https://WWW.IntGovForum.ORG/Path",
            "https://www.intgovforum.org:8443/a",
            "https://www.intgovforum.org./a",
        ] {
            assert!(s.contains(url), "{url} is own");
        }
        for url in [
            "https://notintgovforum.org/",
            "https://www.notintgovforum.org/a",
            "https://intgovforum.org.example.com/",
            "https://example.com/intgovforum.org/page",
            "https://example.com/?u=https://www.intgovforum.org/",
            "file:///home/x/intgovforum.org/page.html",
            "ftp://intgovforum.org/file",
            "javascript:alert(1)",
            "not a url",
            "",
        ] {
            assert!(!s.contains(url), "{url} is not own");
        }
    }

    #[test]
    fn a_prefix_matches_at_a_path_segment_with_or_without_its_trailing_slash() {
        for written in [
            "https://www.un.org/internet-governance-forum/",
            "https://www.un.org/internet-governance-forum",
        ] {
            let s = sites(&[written]);
            for url in [
                "https://www.un.org/internet-governance-forum",
                "https://www.un.org/internet-governance-forum/",
                "https://www.un.org/internet-governance-forum/bpf/2019?lang=fr",
                "http://www.un.org/internet-governance-forum/x",
                "https://WWW.UN.ORG/internet-governance-forum/x",
            ] {
                assert!(s.contains(url), "{written} covers {url}");
            }
            for url in [
                "https://www.un.org/internet-governance-forum-archive/x",
                "https://www.un.org/en/internet-governance-forum/",
                "https://www.un.org/",
                "https://un.org/internet-governance-forum/x",
                "https://news.un.org/internet-governance-forum/x",
                "https://www.un.org:8080/internet-governance-forum/x",
            ] {
                assert!(!s.contains(url), "{written} does not cover {url}");
            }
        }
        // a prefix of a whole host covers every path on it, and only that host
        let s = sites(&["https://igf.example/"]);
        assert!(s.contains("https://igf.example/any/page"));
        assert!(!s.contains("https://sub.igf.example/any/page"));
        // a port written in the prefix must match
        let s = sites(&["http://127.0.0.1:8080/forum/"]);
        assert!(s.contains("http://127.0.0.1:8080/forum/page"));
        assert!(!s.contains("http://127.0.0.1:9090/forum/page"));
    }

    #[test]
    fn several_sites_and_none() {
        let s = sites(&["intgovforum.org", "https://www.un.org/igf/"]);
        assert!(s.contains("https://www.intgovforum.org/a"));
        assert!(s.contains("https://www.un.org/igf/b"));
        assert!(!s.contains("https://www.un.org/other"));
        assert_eq!(s.names(), ["intgovforum.org", "https://www.un.org/igf/"]);
        let none = OwnSites::default();
        assert!(none.is_empty());
        assert!(!none.contains("https://www.intgovforum.org/a"));
    }

    #[test]
    fn bad_entries_are_refused_saying_why() {
        for (entry, says) in [
            ("", "empty"),
            ("   ", "empty"),
            ("intgovforum.org/bpf", "neither a domain nor a URL prefix"),
            (
                "www.intgovforum.org:443",
                "neither a domain nor a URL prefix",
            ),
            ("*.intgovforum.org", "neither a domain nor a URL prefix"),
            (".intgovforum.org", "neither a domain nor a URL prefix"),
            ("intgovforum..org", "neither a domain nor a URL prefix"),
            ("intgov forum.org", "neither a domain nor a URL prefix"),
            ("ftp://intgovforum.org/", "not an http or https URL"),
            ("https://", "own_sites"),
            ("https://x.org/a?b=1", "query"),
            ("https://x.org/a#top", "fragment"),
        ] {
            let e = OwnSite::parse(entry).unwrap_err();
            assert!(
                e.contains(says) && e.contains("own_sites"),
                "{entry:?}: {e}"
            );
        }
        assert_eq!(
            OwnSite::parse(" IntGovForum.org ").unwrap(),
            OwnSite::Domain("intgovforum.org".into())
        );
    }
}
