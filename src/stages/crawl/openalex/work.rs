//! The shapes of an OpenAlex works answer (`meta`, `results`) and of one work, as far as uptake reads them, and
//! what a work gives a candidate document: the URL of its text, its bibliographic record, and the sector and
//! country of its authors' institutions.
//!
//! Sectors use the vocabulary of the publisher registry (`publishers::SECTORS`). From the ROR type of an
//! institution: `education` → academia, `government` → government, `nonprofit` → civil society, `company` →
//! private sector, `facility` (a research facility) → academia; `healthcare`, `archive`, `funder` and `other` say
//! nothing certain (a hospital or an archive may be public or private) and give none. An institution whose name
//! is that of an intergovernmental organisation ([`IGO_NAMES`]) is `intergovernmental` whatever its type, with no
//! country. A work takes the sector of the first institution, in author order, that gives one, and that
//! institution's country (else the first country of any institution).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::records::{Institution, Overrides, WorkRecord};

/// Names of intergovernmental organisations (matched as whole words, case ignored) that make an institution
/// `intergovernmental`.
pub const IGO_NAMES: &[&str] = &[
    "United Nations",
    "UNESCO",
    "UNICEF",
    "UNDP",
    "UNCTAD",
    "World Bank",
    "OECD",
    "Organisation for Economic Co-operation and Development",
    "Organization for Economic Cooperation and Development",
    "International Telecommunication Union",
    "World Health Organization",
    "World Intellectual Property Organization",
    "International Monetary Fund",
    "International Labour Organization",
    "Council of Europe",
    "African Union",
    "Internet Governance Forum",
];

/// One page of `/works`: the documented `meta` and `results` are both required.
#[derive(Debug, Deserialize)]
pub struct Page {
    pub meta: Meta,
    /// Each work read on its own, so one malformed work does not lose the page.
    pub results: Vec<serde_json::Value>,
}

/// `meta` of a list answer.
#[derive(Debug, Deserialize)]
pub struct Meta {
    /// Works matching the query.
    #[serde(default)]
    pub count: Option<u64>,
    /// The cursor of the next page; `null` at the end.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A work, with the fields asked for by `select`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Work {
    pub id: String,
    pub doi: Option<String>,
    pub title: Option<String>,
    pub display_name: Option<String>,
    pub publication_date: Option<String>,
    #[serde(rename = "type")]
    pub work_type: Option<String>,
    pub primary_location: Option<Location>,
    pub best_oa_location: Option<Location>,
    pub authorships: Option<Vec<Authorship>>,
}

/// A place where a work is: a landing page, perhaps a PDF, and its source (journal, repository).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Location {
    pub landing_page_url: Option<String>,
    pub pdf_url: Option<String>,
    pub source: Option<LocationSource>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocationSource {
    pub display_name: Option<String>,
}

/// One author of a work and their institutions.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Authorship {
    pub institutions: Option<Vec<DehydratedInstitution>>,
}

/// An institution as a work lists it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DehydratedInstitution {
    pub display_name: Option<String>,
    pub ror: Option<String>,
    pub country_code: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// The fields of a work that uptake asks for (`select`: root-level fields only).
pub const SELECT: &str =
    "id,doi,title,display_name,publication_date,type,primary_location,best_oa_location,authorships";

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn http_url(s: &Option<String>) -> Option<String> {
    nonempty(s).filter(|u| url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https")))
}

/// Whether an institution's name is that of an intergovernmental organisation.
pub fn is_igo(name: &str) -> bool {
    let words = |s: &str| -> String {
        let w: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        format!(" {} ", w.join(" "))
    };
    let name = words(name);
    IGO_NAMES.iter().any(|n| name.contains(&words(n)))
}

/// The sector an institution gives (see the module documentation).
pub fn sector_of(inst: &Institution) -> Option<&'static str> {
    if is_igo(&inst.name) {
        return Some("intergovernmental");
    }
    match inst.kind.as_deref()? {
        "education" | "facility" => Some("academia"),
        "government" => Some("government"),
        "nonprofit" => Some("civil society"),
        "company" => Some("private sector"),
        _ => None,
    }
}

impl Work {
    /// The DOI as a URL.
    pub fn doi_url(&self) -> Option<String> {
        let d = nonempty(&self.doi)?;
        if d.starts_with("http://") || d.starts_with("https://") {
            Some(d)
        } else {
            Some(format!("https://doi.org/{}", d.trim_start_matches("doi:")))
        }
    }

    /// Where its text is: the best open-access PDF, else that location's landing page, else the primary
    /// location's landing page, else the DOI; `None` when OpenAlex knows none.
    pub fn text_url(&self) -> Option<String> {
        let oa = self.best_oa_location.as_ref();
        oa.and_then(|l| http_url(&l.pdf_url))
            .or_else(|| oa.and_then(|l| http_url(&l.landing_page_url)))
            .or_else(|| {
                self.primary_location
                    .as_ref()
                    .and_then(|l| http_url(&l.landing_page_url))
            })
            .or_else(|| {
                self.doi_url()
                    .filter(|u| http_url(&Some(u.clone())).is_some())
            })
    }

    /// The authors' institutions, in author order, each once.
    pub fn institutions(&self) -> Vec<Institution> {
        let mut out: Vec<Institution> = Vec::new();
        for a in self.authorships.iter().flatten() {
            for i in a.institutions.iter().flatten() {
                let Some(name) = nonempty(&i.display_name) else {
                    continue;
                };
                let inst = Institution {
                    name,
                    ror: nonempty(&i.ror),
                    kind: nonempty(&i.kind).map(|k| k.to_lowercase()),
                    country: nonempty(&i.country_code).map(|c| c.to_uppercase()),
                };
                if !out.contains(&inst) {
                    out.push(inst);
                }
            }
        }
        out
    }

    /// Its bibliographic record (without the queries, the URL and the document, which the crawl fills).
    pub fn record(&self, source: &str) -> WorkRecord {
        let institutions = self.institutions();
        let giving = institutions
            .iter()
            .find_map(|i| sector_of(i).map(|s| (s, i)));
        let sector = giving.map(|(s, _)| s.to_string());
        let country = match giving {
            Some(("intergovernmental", _)) => None,
            Some((_, i)) if i.country.is_some() => i.country.clone(),
            _ => institutions.iter().find_map(|i| i.country.clone()),
        };
        WorkRecord {
            source: source.to_string(),
            openalex_id: self.id.trim().to_string(),
            doi: self.doi_url(),
            title: nonempty(&self.title).or_else(|| nonempty(&self.display_name)),
            publication_date: nonempty(&self.publication_date)
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            venue: self
                .primary_location
                .as_ref()
                .and_then(|l| l.source.as_ref())
                .and_then(|s| nonempty(&s.display_name)),
            work_type: nonempty(&self.work_type),
            institutions,
            sector,
            country,
            ..WorkRecord::default()
        }
    }
}

/// What the work tells the document fetched for it: title, date (to the day), publisher (the venue, else the
/// first institution), sector and country.
pub fn overrides(w: &WorkRecord) -> Overrides {
    Overrides {
        url: None,
        title: w.title.clone(),
        publisher: w
            .venue
            .clone()
            .or_else(|| w.institutions.first().map(|i| i.name.clone())),
        published: w.publication_date.map(|d| d.format("%Y-%m-%d").to_string()),
        sector: w.sector.clone(),
        country: w.country.clone(),
        origin: Some("openalex"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(json: &str) -> Work {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_text_url_prefers_the_open_access_pdf() {
        let w = work(
            r#"{"id":"W1","doi":"https://doi.org/10.1/x",
                "primary_location":{"landing_page_url":"https://pub.example/x"},
                "best_oa_location":{"pdf_url":"https://repo.example/x.pdf","landing_page_url":"https://repo.example/x"}}"#,
        );
        assert_eq!(w.text_url().as_deref(), Some("https://repo.example/x.pdf"));
        let w = work(
            r#"{"id":"W1","doi":"10.1/x","best_oa_location":null,"primary_location":{"landing_page_url":null}}"#,
        );
        assert_eq!(w.text_url().as_deref(), Some("https://doi.org/10.1/x"));
        let w =
            work(r#"{"id":"W1","doi":null,"primary_location":{"landing_page_url":"ftp://x/y"}}"#);
        assert_eq!(w.text_url(), None);
    }

    #[test]
    fn institutions_give_the_sector_and_country() {
        let w = work(
            r#"{"id":"W1","publication_date":"2019-03-15","authorships":[
                {"institutions":[{"display_name":"St Elsewhere","type":"healthcare","country_code":"gb"}]},
                {"institutions":[{"display_name":"Univ of Somewhere","ror":"https://ror.org/01","type":"education","country_code":"KE"},
                                 {"display_name":"St Elsewhere","type":"healthcare","country_code":"gb"}]}]}"#,
        );
        let r = w.record("oa");
        assert_eq!(r.institutions.len(), 2);
        assert_eq!(r.sector.as_deref(), Some("academia"));
        assert_eq!(r.country.as_deref(), Some("KE"));
        assert_eq!(r.publication_date, NaiveDate::from_ymd_opt(2019, 3, 15));
        let igo = work(
            r#"{"id":"W2","authorships":[{"institutions":[{"display_name":"United Nations Development Programme","type":"other","country_code":"US"}]}]}"#,
        );
        let r = igo.record("oa");
        assert_eq!(r.sector.as_deref(), Some("intergovernmental"));
        assert_eq!(r.country, None);
        assert!(!is_igo("United Nationsville College"));
        assert!(is_igo("OECD Development Centre"));
    }
}
