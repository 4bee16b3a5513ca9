//! The `kind = "openalex"` source: scholarly works found through the OpenAlex works API, one phrase search per
//! distinctive name of each output of the catalogue (and per `extra_queries` entry), each hit fetched as a
//! candidate document. The crawl itself is in `crawl::openalex`; this module holds the settings and turns the
//! catalogue into queries ([`queries_for`]).
//!
//! Which names are searched: an output's title and each of its aliases, when the name has at least
//! `min_query_words` plain words. A plain word holds a letter, is not a stop word ("on", "and", "of"...) and is
//! not an acronym (two or more capitals: "BPF", "CSIRTs", "IPv6", "IoT"). So "Best Practice Forum on CSIRTs" is
//! searched and "BPF on CSIRTs" is not ("BPF" is also the Berkeley Packet Filter of many papers); a generic short
//! title such as "Cybersecurity Agreements" is not either. A name several outputs share ("Best Practice Forum on
//! Cybersecurity") is searched once, from the earliest of their years, for all of them.

use serde::Deserialize;

use super::http::{HttpSource, DEFAULT_DELAY_MS as DEFAULT_FETCH_DELAY_MS};
use crate::records::Output;

/// Default API address; tests point `base_url` at a local server.
pub const DEFAULT_OPENALEX_BASE_URL: &str = "https://api.openalex.org";
/// Default most requests to the API in one run. A search costs $1 per 1,000 calls (developers.openalex.org,
/// "Authentication & Pricing", 2026): a free API key's $1 a day buys 1,000; this leaves half a day's allowance.
pub const DEFAULT_OPENALEX_MAX_REQUESTS: u32 = 500;
/// Default most works taken from one query (two pages of 100).
pub const DEFAULT_OPENALEX_MAX_RESULTS_PER_QUERY: u32 = 200;
/// Default pause between two API requests, in milliseconds: OpenAlex allows 100 requests a second; 5 is polite.
pub const DEFAULT_OPENALEX_DELAY_MS: u64 = 200;
/// Default number of plain words a title or alias needs to be searched.
pub const DEFAULT_OPENALEX_MIN_QUERY_WORDS: usize = 3;
/// Results per page asked for: the API's largest page.
pub const OPENALEX_PER_PAGE: u32 = 100;

/// Words that do not make a name distinctive.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "e.g", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with",
];

super::politeness::web_source! {
    request
    /// Scholarly works searched in OpenAlex.
    #[derive(Debug, Clone, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct OpenAlexSource {
        /// Name of the source, shown in tables and the report.
        pub name: String,
        /// Your e-mail address, sent as `mailto` so OpenAlex can reach you (a warning when missing).
        #[serde(default)]
        pub mailto: Option<String>,
        /// An OpenAlex API key, sent as `api_key` (free; without one the daily allowance is tiny). Kept out of the
        /// `crawl_log` and of messages.
        #[serde(default)]
        pub api_key: Option<String>,
        /// The API's address (the works endpoint is `<base_url>/works`).
        #[serde(default = "default_base_url")]
        pub base_url: String,
        /// Phrases searched in addition to the catalogue's names (for no output in particular).
        #[serde(default)]
        pub extra_queries: Vec<String>,
        /// Most API requests over the network in one run; when spent, the answers cached by earlier runs are used
        /// and the rest is not asked (the summary says so). 0: cached answers only.
        #[serde(default = "default_max_requests")]
        pub max_requests: u32,
        /// Most works taken from one query (pages of 100 are asked until this many or the end).
        #[serde(default = "default_max_results_per_query")]
        pub max_results_per_query: u32,
        /// Works published from this year on (default: each output's year; extra queries: no limit).
        #[serde(default)]
        pub from_year: Option<i32>,
        /// Plain words (not acronyms, not stop words) a title or alias needs to be searched.
        #[serde(default = "default_min_query_words")]
        pub min_query_words: usize,
        /// Fetch each hit's open-access PDF or landing page (else its DOI) through the crawler and run detection on
        /// it; `false` lists the works only.
        #[serde(default = "yes")]
        pub fetch_texts: bool,
        /// Pause between two API requests, in milliseconds.
        #[serde(default = "default_delay_ms")]
        pub delay_ms: u64,
        /// Pause between two requests to one host when fetching the works' texts, in milliseconds.
        #[serde(default = "default_fetch_delay_ms")]
        pub fetch_delay_ms: u64,
        /// The searches, resolved from the catalogue by the pipeline ([`queries_for`]); not a config key.
        #[serde(skip)]
        pub queries: Vec<WorkQuery>,
    }
}

/// One phrase search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkQuery {
    /// The phrase, searched with double quotes around it.
    pub phrase: String,
    /// Works published from this year on.
    pub from_year: Option<i32>,
    /// The outputs the phrase names (empty for an extra query).
    pub output_ids: Vec<String>,
}

impl WorkQuery {
    /// How the query is shown in `documents.found_by` and `works.query`.
    pub fn label(&self) -> String {
        let from = self
            .from_year
            .map(|y| format!(" from {y}"))
            .unwrap_or_default();
        let outputs = if self.output_ids.is_empty() {
            "extra query".to_string()
        } else {
            self.output_ids.join(", ")
        };
        format!("openalex: search=\"{}\"{from} ({outputs})", self.phrase)
    }
}

fn yes() -> bool {
    true
}
fn default_base_url() -> String {
    DEFAULT_OPENALEX_BASE_URL.to_string()
}
fn default_max_requests() -> u32 {
    DEFAULT_OPENALEX_MAX_REQUESTS
}
fn default_max_results_per_query() -> u32 {
    DEFAULT_OPENALEX_MAX_RESULTS_PER_QUERY
}
fn default_min_query_words() -> usize {
    DEFAULT_OPENALEX_MIN_QUERY_WORDS
}
fn default_delay_ms() -> u64 {
    DEFAULT_OPENALEX_DELAY_MS
}
fn default_fetch_delay_ms() -> u64 {
    DEFAULT_FETCH_DELAY_MS
}

impl OpenAlexSource {
    /// Checks what serde cannot. The message names the source and the field.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        match url::Url::parse(&self.base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
            _ => {
                return Err(format!(
                    "source {name:?}: base_url {:?} is not an http or https URL",
                    self.base_url
                ))
            }
        }
        if let Some(m) = &self.mailto {
            if !m.contains('@') || m.chars().any(|c| c.is_whitespace() || c == '&') {
                return Err(format!(
                    "source {name:?}: mailto {m:?} is not an e-mail address"
                ));
            }
        }
        if let Some(k) = &self.api_key {
            if k.trim().is_empty() || k.chars().any(char::is_whitespace) {
                return Err(format!(
                    "source {name:?}: `api_key` must be one word without spaces"
                ));
            }
        }
        if self.max_results_per_query == 0 {
            return Err(format!(
                "source {name:?}: `max_results_per_query` must be at least 1"
            ));
        }
        if self.min_query_words == 0 {
            return Err(format!(
                "source {name:?}: `min_query_words` must be at least 1"
            ));
        }
        if let Some(q) = self.extra_queries.iter().find(|q| phrase(q).is_empty()) {
            return Err(format!("source {name:?}: extra query {q:?} has no words"));
        }
        if self.user_agent.trim().is_empty() || self.user_agent.contains(['\r', '\n']) {
            return Err(format!(
                "source {name:?}: `user_agent` must be one non-empty line"
            ));
        }
        Ok(())
    }

    /// The politeness settings of the API requests, as the crawler's settings type.
    pub fn api_settings(&self) -> HttpSource {
        let mut h = self.fetch_settings();
        h.delay_ms = self.delay_ms;
        h
    }

    /// The settings the works' texts are fetched with (robots.txt, `fetch_delay_ms`, the http size caps).
    pub fn fetch_settings(&self) -> HttpSource {
        let mut h = HttpSource::named(&self.name);
        h.delay_ms = self.fetch_delay_ms;
        self.request_keys_into(&mut h);
        h
    }

    /// Every search of a run: the catalogue's (see [`queries_for`]), then the extra queries not already among
    /// them.
    pub fn all_queries(&self) -> Vec<WorkQuery> {
        let mut all = self.queries.clone();
        for q in &self.extra_queries {
            let p = phrase(q);
            if !all.iter().any(|a| a.phrase.eq_ignore_ascii_case(&p)) {
                all.push(WorkQuery {
                    phrase: p,
                    from_year: self.from_year,
                    output_ids: Vec::new(),
                });
            }
        }
        all
    }
}

/// A name as searched: white space collapsed, double quotes (the phrase delimiter) removed.
pub fn phrase(name: &str) -> String {
    name.replace('"', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a word is an acronym: two or more capitals ("BPF", "CSIRTs", "IPv6", "IoT").
fn is_acronym(word: &str) -> bool {
    word.chars().filter(char::is_ascii_uppercase).count() >= 2
}

/// Plain words of a name: with a letter, not an acronym, not a stop word.
pub fn plain_words(name: &str) -> usize {
    name.split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '(' | ')' | '/'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !is_acronym(w))
        .filter(|w| !STOP_WORDS.contains(&w.to_lowercase().as_str()))
        .count()
}

/// The searches for `outputs`: each distinctive title or alias (at least `min_words` plain words) once, from
/// `from_year` or the earliest year of the outputs it names, in catalogue order.
pub fn queries_for(outputs: &[Output], min_words: usize, from_year: Option<i32>) -> Vec<WorkQuery> {
    let mut queries: Vec<WorkQuery> = Vec::new();
    for o in outputs {
        for name in std::iter::once(&o.title).chain(&o.aliases) {
            let p = phrase(name);
            if plain_words(&p) < min_words {
                tracing::debug!("openalex: {p:?} ({}) is too generic to search", o.id);
                continue;
            }
            let year = from_year.unwrap_or(o.year);
            match queries
                .iter_mut()
                .find(|q| q.phrase.eq_ignore_ascii_case(&p))
            {
                Some(q) => {
                    if !q.output_ids.contains(&o.id) {
                        q.output_ids.push(o.id.clone());
                    }
                    q.from_year = q.from_year.map(|y| y.min(year));
                }
                None => queries.push(WorkQuery {
                    phrase: p,
                    from_year: Some(year),
                    output_ids: vec![o.id.clone()],
                }),
            }
        }
    }
    queries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(id: &str, year: i32, title: &str, aliases: &[&str]) -> Output {
        Output {
            id: id.into(),
            year,
            title: title.into(),
            theme: None,
            theme_aliases: vec![],
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            urls: vec![],
            texts: Vec::new(),
            published: None,
        }
    }

    #[test]
    fn the_curated_syntax_parses_with_defaults_and_bad_values_are_named() {
        use crate::config::{Config, SourceConfig};
        let parse = |extra: &str| {
            Config::parse(
                std::path::Path::new("s.toml"),
                &format!(
                    "catalogue = \"c.toml\"\n[[source]]\nname = \"openalex\"\nkind = \"openalex\"\n{extra}\n"
                ),
            )
        };
        let cfg = parse(
            "mailto = \"you@example.org\"\nextra_queries = [\"Internet Governance Forum\"]\nmax_requests = 500",
        )
        .unwrap();
        let SourceConfig::OpenAlex(o) = &cfg.sources[0] else {
            panic!("an openalex source: {:?}", cfg.sources[0]);
        };
        assert_eq!(o.base_url, DEFAULT_OPENALEX_BASE_URL);
        assert_eq!(o.delay_ms, DEFAULT_OPENALEX_DELAY_MS);
        assert_eq!(
            o.max_results_per_query,
            DEFAULT_OPENALEX_MAX_RESULTS_PER_QUERY
        );
        assert!(o.fetch_texts && o.api_key.is_none() && o.from_year.is_none());
        assert_eq!(o.all_queries()[0].output_ids, Vec::<String>::new());
        assert_eq!(o.fetch_settings().delay_ms, crate::config::DEFAULT_DELAY_MS);
        assert_eq!(o.api_settings().delay_ms, DEFAULT_OPENALEX_DELAY_MS);
        for (extra, expect) in [
            ("base_url = \"ftp://x\"", "base_url"),
            ("mailto = \"nobody\"", "mailto"),
            ("api_key = \"two words\"", "api_key"),
            ("max_results_per_query = 0", "max_results_per_query"),
            ("extra_queries = [\" \\\" \"]", "extra query"),
            ("queries = []", "queries"),
        ] {
            let e = parse(extra).unwrap_err().to_string();
            assert!(e.contains(expect) && e.contains("s.toml"), "{extra}: {e}");
        }
    }

    #[test]
    fn acronyms_and_stop_words_are_not_plain_words() {
        assert_eq!(plain_words("BPF on CSIRTs"), 0);
        assert_eq!(plain_words("Best Practice Forum on CSIRTs"), 3);
        assert_eq!(plain_words("BPF Gender and Access"), 2);
        assert_eq!(plain_words("Cybersecurity Agreements"), 2);
        assert_eq!(plain_words("BPF on IoT, Big Data, AI"), 2);
        assert_eq!(
            plain_words("Regulation and Mitigation of Unsolicited Communications (e.g. “spam”)"),
            5
        );
    }

    #[test]
    fn distinctive_names_are_searched_once_from_the_earliest_year() {
        let outputs = [
            output(
                "2016-cyber",
                2016,
                "Building Confidence and Security in the use of ICTs",
                &[
                    "BPF on Cybersecurity",
                    "Best Practice Forum on Cybersecurity",
                ],
            ),
            output(
                "2019-cyber",
                2019,
                "Cybersecurity Agreements",
                &["Best Practice Forum on  Cybersecurity", "BPF Cybersecurity"],
            ),
        ];
        let q = queries_for(&outputs, 3, None);
        let phrases: Vec<&str> = q.iter().map(|q| q.phrase.as_str()).collect();
        assert_eq!(
            phrases,
            [
                "Building Confidence and Security in the use of ICTs",
                "Best Practice Forum on Cybersecurity"
            ]
        );
        assert_eq!(q[1].output_ids, ["2016-cyber", "2019-cyber"]);
        assert_eq!(q[1].from_year, Some(2016));
        assert_eq!(
            q[1].label(),
            "openalex: search=\"Best Practice Forum on Cybersecurity\" from 2016 (2016-cyber, 2019-cyber)"
        );
        let q = queries_for(&outputs, 3, Some(2010));
        assert!(q.iter().all(|q| q.from_year == Some(2010)));
    }

    #[test]
    fn the_shipped_catalogue_gives_distinctive_queries() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let outputs = crate::config::load_catalogue(&root.join("data/catalogue.toml")).unwrap();
        let q = queries_for(&outputs, DEFAULT_OPENALEX_MIN_QUERY_WORDS, None);
        assert!(q.iter().all(|q| !q.phrase.starts_with("BPF ")
            || plain_words(&q.phrase) >= DEFAULT_OPENALEX_MIN_QUERY_WORDS));
        assert!(!q.iter().any(|q| q.phrase == "BPF on CSIRTs"));
        assert!(q.iter().any(|q| q.phrase == "Best Practice Forum on CSIRTs"
            && q.output_ids == ["2014-csirt", "2015-csirt"]));
        // every output is searched by at least one name
        for o in &outputs {
            assert!(
                q.iter().any(|q| q.output_ids.contains(&o.id)),
                "{} has no query",
                o.id
            );
        }
    }
}
