//! The publisher registry (`data/publishers.csv`): who publishes at an address, with the sector and country the
//! ripple metrics need. A URL prefix wins over a domain, a longer match over a shorter; where the registry says
//! nothing, the domain's suffix may (.gov and .gouv: government, .int: intergovernmental, .edu and .ac.*:
//! academia); the rest stays unclassified and is listed so the registry can be extended.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::rows::{read_rows, CsvRow};
use crate::config::ConfigError;
use crate::records::Document;

/// The sectors a registry row may name.
pub const SECTORS: [&str; 7] = [
    "intergovernmental",
    "government",
    "civil society",
    "academia",
    "private sector",
    "technical community",
    "media",
];

/// A row of the registry file, as read.
#[derive(Debug, serde::Deserialize)]
struct Row {
    #[serde(rename = "match")]
    pattern: Option<String>,
    publisher: Option<String>,
    sector: Option<String>,
    country: Option<String>,
}

impl CsvRow for Row {
    const COLUMNS: &'static [&'static str] = &["match", "publisher", "sector", "country"];
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// A lowercase domain, or a URL prefix (starting with http).
    pattern: String,
    publisher: Option<String>,
    sector: Option<String>,
    country: Option<String>,
}

/// The registry, ready to classify URLs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registry {
    entries: Vec<Entry>,
}

/// What the registry or the domain says of a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub publisher: Option<String>,
    pub sector: Option<String>,
    pub country: Option<String>,
    /// `registry` or `domain`.
    pub from: &'static str,
}

impl Registry {
    /// Reads `match,publisher,sector,country` rows (under the rules of [`crate::config::rows`]: lines starting
    /// with `#` are comments, cells are trimmed, a quoted cell may hold commas).
    pub fn load(path: &Path) -> Result<Registry, ConfigError> {
        let invalid = |line: u64, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: format!("line {line}: {message}"),
        };
        let mut entries = Vec::new();
        for (line, row) in read_rows::<Row>(path)? {
            let Some(pattern) = row.pattern else {
                return Err(invalid(line, "empty match".into()));
            };
            if let Some(s) = &row.sector {
                if !SECTORS.contains(&s.as_str()) {
                    return Err(invalid(
                        line,
                        format!("sector {s:?} is not one of {}", SECTORS.join(", ")),
                    ));
                }
            }
            entries.push(Entry {
                pattern: pattern.to_ascii_lowercase(),
                publisher: row.publisher,
                sector: row.sector,
                country: row.country,
            });
        }
        Ok(Registry { entries })
    }

    /// Classifies an http(s) URL; `None` for other URLs and for hosts neither the registry nor the domain rules know.
    pub fn classify(&self, url: &str) -> Option<Classified> {
        let parsed = url::Url::parse(url).ok()?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return None;
        }
        let host = parsed.host_str()?.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        let lower = url.to_ascii_lowercase();
        let best = self
            .entries
            .iter()
            .filter(|e| {
                if e.pattern.starts_with("http") {
                    lower.starts_with(&e.pattern)
                        || lower.replacen("://www.", "://", 1).starts_with(&e.pattern)
                } else {
                    host == e.pattern || host.ends_with(&format!(".{}", e.pattern))
                }
            })
            .max_by_key(|e| (e.pattern.starts_with("http"), e.pattern.len()));
        if let Some(e) = best {
            return Some(Classified {
                publisher: e.publisher.clone(),
                sector: e.sector.clone(),
                country: e.country.clone(),
                from: "registry",
            });
        }
        domain_sector(&host).map(|sector| Classified {
            publisher: None,
            sector: Some(sector.to_string()),
            country: None,
            from: "domain",
        })
    }

    /// Fills what a document lacks (publisher, sector, country) from the registry, and records where its sector
    /// came from. The manifest and the document's own metadata win.
    pub fn enrich(&self, doc: &mut Document) {
        let Some(c) = self.classify(&doc.url) else {
            return;
        };
        if doc.publisher.is_none() {
            doc.publisher = c.publisher;
        }
        if doc.country.is_none() {
            doc.country = c.country;
        }
        if doc.sector.is_none() && c.sector.is_some() {
            doc.sector = c.sector;
            doc.sector_from = Some(c.from.into());
        }
    }
}

/// The sector a domain's suffix says: .gov, .gov.xx, .gouv.xx, .gob.xx: government; .int: intergovernmental; .edu,
/// .edu.xx, .ac.xx: academia.
pub fn domain_sector(host: &str) -> Option<&'static str> {
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let last = labels.last().copied()?;
    let second = n.checked_sub(2).map(|i| labels[i]);
    let is = |l: Option<&str>, names: &[&str]| l.is_some_and(|l| names.contains(&l));
    if last == "int" {
        return Some("intergovernmental");
    }
    if last == "gov"
        || last == "mil"
        || is(second, &["gov", "gouv", "gob", "govt", "go"]) && last.len() == 2
    {
        return Some("government");
    }
    if last == "edu" || (is(second, &["edu", "ac"]) && last.len() == 2) {
        return Some("academia");
    }
    None
}

/// Hosts of documents that stayed unclassified, with their counts, most documents first.
pub fn unclassified_hosts(docs: &[Document]) -> Vec<(String, usize)> {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.sector.is_none()) {
        let host = url::Url::parse(&d.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "(local files)".into());
        *by.entry(host).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(rows: &str) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.csv");
        std::fs::write(&p, format!("match,publisher,sector,country\n{rows}")).unwrap();
        Registry::load(&p).unwrap()
    }

    #[test]
    fn prefixes_beat_domains_and_subdomains_match() {
        let r = registry(
            "un.org,United Nations,intergovernmental,\nhttps://www.un.org/development/desa,UN DESA,intergovernmental,\n",
        );
        let c = r
            .classify("https://www.un.org/development/desa/report")
            .unwrap();
        assert_eq!(c.publisher.as_deref(), Some("UN DESA"));
        let c = r.classify("https://news.un.org/en/story").unwrap();
        assert_eq!(c.publisher.as_deref(), Some("United Nations"));
        assert!(r.classify("https://notun.org/").is_none());
        assert!(r.classify("file:///tmp/x.txt").is_none());
    }

    #[test]
    fn domain_suffixes_give_a_sector() {
        for (host, want) in [
            ("www.ntia.gov", Some("government")),
            ("numerique.gouv.fr", Some("government")),
            ("www.itu.int", Some("intergovernmental")),
            ("cs.stanford.edu", Some("academia")),
            ("www.ox.ac.uk", Some("academia")),
            ("example.org", None),
            ("gov.example.com", None),
        ] {
            assert_eq!(domain_sector(host), want, "{host}");
        }
    }

    #[test]
    fn a_bad_sector_is_named_with_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.csv");
        std::fs::write(&p, "match,publisher,sector,country\na.org,A,charity,\n").unwrap();
        let e = Registry::load(&p).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("charity"), "{e}");
    }

    #[test]
    fn the_shipped_registry_loads() {
        let r = Registry::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/publishers.csv"))
            .unwrap();
        let c = r
            .classify("https://unesdoc.unesco.org/ark:/48223/pf0000369853")
            .unwrap();
        assert_eq!(c.sector.as_deref(), Some("intergovernmental"));
    }
}
