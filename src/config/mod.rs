//! Configuration and catalogue: reads the TOML files, rejects unknown keys naming the key and the file, resolves
//! every path against the file that names it, and validates what later stages rely on.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::records::{Output, TextSource};

mod activity;
mod feed;
mod http;
mod openalex;
mod own_sites;
pub(crate) mod politeness;
pub mod rows;
mod warc;
mod wayback;
pub use activity::load_activity;
pub use feed::*;
pub use http::*;
pub use openalex::*;
pub use own_sites::{OwnSite, OwnSites};
pub use warc::*;
pub use wayback::{
    pad_time, parse_target, CapturePick, DeadLinkArchive, Target, WaybackSource,
    DEFAULT_WAYBACK_ARCHIVE_URL, DEFAULT_WAYBACK_CDX_ROWS, DEFAULT_WAYBACK_CDX_URL,
    DEFAULT_WAYBACK_DELAY_MS, DEFAULT_WAYBACK_MAX_CAPTURES, DEFAULT_WAYBACK_MAX_REQUESTS,
};

/// Errors while reading the config or the catalogue; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Default number of words in a reuse seed (a shingle).
pub const DEFAULT_SHINGLE_WORDS: usize = 4;
/// Default shortest reused passage worth reporting, in characters of the document.
pub const DEFAULT_MIN_PASSAGE_CHARS: usize = 100;
/// Default lowest token similarity for a reused passage.
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.5;
/// Default largest gap between two seeds of one passage, in words.
pub const DEFAULT_MAX_GAP_WORDS: usize = 50;
/// Default number of seeds (shared shingles) a passage needs.
pub const DEFAULT_MIN_SEEDS: usize = 3;
/// Default of the deprecated `boilerplate_outputs` (accepted, no effect).
pub const DEFAULT_BOILERPLATE_OUTPUTS: usize = 3;
/// Default of the deprecated `boilerplate_doc_share` (accepted, no effect).
pub const DEFAULT_BOILERPLATE_DOC_SHARE: f64 = 0.1;
/// Default number of one site's pages holding the same passage in the same place that makes it a template.
pub const DEFAULT_BOILERPLATE_SITE_PAGES: usize = 3;
/// Default share of a document's characters covered by one output that makes it a copy of that output.
pub const DEFAULT_COPY_COVERAGE: f64 = 0.8;
/// Default lowest similarity for a fuzzy title or alias match.
pub const DEFAULT_MIN_NAME_SIMILARITY: f64 = 0.9;
/// Default distance, in characters, within which a year or a forum cue must stand near a mention.
pub const DEFAULT_CONTEXT_CHARS: usize = 80;
/// Default of the detection pre-filter: on (documents in which the detector can find nothing skip it).
pub const DEFAULT_PREFILTER: bool = true;
/// Default largest file read from a dir source.
pub const DEFAULT_MAX_BYTES: u64 = 100 * 1024 * 1024;

/// The config file as written (`data/uptake.toml` by default).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Catalogue of tracked outputs, relative to the config file.
    pub catalogue: PathBuf,
    /// Where tables and texts are written, relative to the config file.
    #[serde(default = "default_out_dir")]
    pub out_dir: PathBuf,
    /// Where the report is written, relative to the config file.
    #[serde(default = "default_report_dir")]
    pub report_dir: PathBuf,
    /// Folder of `*.sql` files run at the end of `uptake run`, relative to the config file.
    #[serde(default)]
    pub queries_dir: Option<PathBuf>,
    /// Crawl state (SQLite) and the cache of fetched bodies, relative to the config file (`<out_dir>/crawl` when
    /// unset). Kept between runs: a re-run asks only what changed, a killed crawl resumes.
    #[serde(default)]
    pub crawl_dir: Option<PathBuf>,
    /// What is known of how each output's process ran (CSV, see docs/configuration.md), relative to the config file.
    #[serde(default)]
    pub activity: Option<PathBuf>,
    /// The publisher registry (CSV: match,publisher,sector,country), relative to the config file.
    #[serde(default)]
    pub publishers: Option<PathBuf>,
    /// Detection thresholds.
    #[serde(default)]
    pub detect: DetectConfig,
    /// The sources to read.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    /// When true the documents on the catalogue's `own_sites` (the publishing organisation's own pages) are
    /// counted in the uptake metrics like any other; when false (the default) they are kept, detected and
    /// listed as the organisation's own follow-up, but left out of every count. `--count-own` sets it.
    #[serde(default)]
    pub count_own: bool,
    /// When true (the default) every answer the web sources fetch (pages, PDFs, redirects, errors, robots.txt,
    /// feeds, API answers) is written with its request into WARC files in `<crawl_dir>/warc`, and the
    /// `documents` table gives each crawled document's file and record offset (see docs/sources.md, "WARC out").
    #[serde(default = "default_warc_out")]
    pub warc_out: bool,
}

/// Default of `warc_out`: the crawl keeps WARC files of what it fetched.
pub const DEFAULT_WARC_OUT: bool = true;

fn default_warc_out() -> bool {
    DEFAULT_WARC_OUT
}

fn default_out_dir() -> PathBuf {
    PathBuf::from("out")
}
fn default_report_dir() -> PathBuf {
    PathBuf::from("reports")
}

/// Thresholds of the detection stage.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DetectConfig {
    /// Words in one reuse seed.
    pub shingle_words: usize,
    /// Shortest reused passage reported, in document characters.
    pub min_passage_chars: usize,
    /// Lowest token similarity of a reported passage, 0 to 1.
    pub min_similarity: f64,
    /// Largest gap between two seeds chained into one passage, in words.
    pub max_gap_words: usize,
    /// Share of a document's characters covered by one output's passages that makes the document a copy.
    pub copy_coverage: f64,
    /// Seeds (shingles shared with the output, boilerplate excluded) a passage needs.
    pub min_seeds: usize,
    /// Deprecated, accepted and ignored. It made shingles found in this many outputs or more seed nothing, so a
    /// document quoting text that several outputs share (a report repeating its predecessor) had no passage at
    /// all; such text now seeds a passage of each output holding it, and attribution gives each document
    /// character one best source (the earliest output published before the document). Known legal or licence
    /// text goes in `boilerplate_texts`.
    pub boilerplate_outputs: usize,
    /// Deprecated, accepted and ignored. It once made shingles found in more than this share of the documents
    /// boilerplate, which dropped exactly the passages most quoted across sites; boilerplate is now judged by
    /// provenance (`boilerplate_site_pages`, `boilerplate_texts`).
    pub boilerplate_doc_share: f64,
    /// The same passage (same document text, same output) at the same place (the same distance from the start
    /// or from the end of the page) on this many pages of one site (host) is a template, footer or navigation
    /// and is dropped. 0 turns it off.
    pub boilerplate_site_pages: usize,
    /// Known legal or licence text (a licence notice, a standard disclaimer): its shingles seed nothing.
    pub boilerplate_texts: Vec<String>,
    /// Lowest similarity of a fuzzy title or alias match, 0 to 1.
    pub min_name_similarity: f64,
    /// How near a year or a forum cue must stand to a theme or shared alias, in characters.
    pub context_chars: usize,
    /// A cheap first look at each document (the names and cue words the reference detector keys on, the
    /// shingles that can seed a passage, links to the outputs' URLs) sends only the documents in which the
    /// detector can find something through it; the others get the empty result the detector would give them.
    /// The results are the same either way; false runs every document through the whole detector (to compare).
    pub prefilter: bool,
}

impl Default for DetectConfig {
    fn default() -> Self {
        DetectConfig {
            shingle_words: DEFAULT_SHINGLE_WORDS,
            min_passage_chars: DEFAULT_MIN_PASSAGE_CHARS,
            min_similarity: DEFAULT_MIN_SIMILARITY,
            max_gap_words: DEFAULT_MAX_GAP_WORDS,
            copy_coverage: DEFAULT_COPY_COVERAGE,
            min_seeds: DEFAULT_MIN_SEEDS,
            boilerplate_outputs: DEFAULT_BOILERPLATE_OUTPUTS,
            boilerplate_doc_share: DEFAULT_BOILERPLATE_DOC_SHARE,
            boilerplate_site_pages: DEFAULT_BOILERPLATE_SITE_PAGES,
            boilerplate_texts: Vec::new(),
            min_name_similarity: DEFAULT_MIN_NAME_SIMILARITY,
            context_chars: DEFAULT_CONTEXT_CHARS,
            prefilter: DEFAULT_PREFILTER,
        }
    }
}

/// One `[[source]]` entry; `kind` selects the variant.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SourceConfig {
    /// A local folder read recursively (.html .htm .pdf .txt .md), with an optional `manifest.csv`.
    Dir(DirSource),
    /// A website crawled over HTTP(S).
    Http(HttpSource),
    /// Pages of the past read from a web archive through its CDX index.
    Wayback(WaybackSource),
    /// RSS and Atom feeds whose entries' pages are fetched.
    Feed(FeedSource),
    /// Scholarly works found through the OpenAlex API, their texts fetched over HTTP(S).
    #[serde(rename = "openalex")]
    OpenAlex(OpenAlexSource),
    /// Web archive files (WARC, WET), local or downloaded.
    Warc(WarcSource),
}

impl SourceConfig {
    pub fn name(&self) -> &str {
        match self {
            SourceConfig::Dir(d) => &d.name,
            SourceConfig::Http(h) => &h.name,
            SourceConfig::Wayback(w) => &w.name,
            SourceConfig::Feed(f) => &f.name,
            SourceConfig::OpenAlex(o) => &o.name,
            SourceConfig::Warc(w) => &w.name,
        }
    }
}

/// A local folder of documents.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DirSource {
    /// Name of the source, shown in tables and the report.
    pub name: String,
    /// The folder, relative to the config file; or a folder on object storage (`s3://bucket/prefix`, `gs://…`,
    /// `az://…`), whose objects are copied into the crawl folder and read from there.
    pub path: PathBuf,
    /// Files larger than this are skipped with a message.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
}

fn default_max_bytes() -> u64 {
    DEFAULT_MAX_BYTES
}

/// The resolved configuration: every path absolute or relative to the working directory.
#[derive(Debug, Clone)]
pub struct Config {
    pub config_path: PathBuf,
    pub catalogue_path: PathBuf,
    pub out_dir: PathBuf,
    pub report_dir: PathBuf,
    pub queries_dir: Option<PathBuf>,
    /// Set by the config or `--crawl-dir`; otherwise [`Config::crawl_dir`] puts it under `out_dir`.
    pub crawl_dir: Option<PathBuf>,
    pub activity_path: Option<PathBuf>,
    pub publishers_path: Option<PathBuf>,
    pub detect: DetectConfig,
    pub sources: Vec<SourceConfig>,
    /// Whether the documents on the catalogue's own sites count as uptake (`count_own`, `--count-own`).
    pub count_own: bool,
    /// Whether the crawl writes WARC files of what it fetched (`warc_out`).
    pub warc_out: bool,
    /// The slice of the inputs this run reads (`--shard K/N`, see [`crate::shard`]); `None` reads them all.
    pub shard: Option<crate::shard::Shard>,
    /// A folder on object storage (`s3://`, `gs://`, `az://`, `file://`; `--results-url`) a shard copies its
    /// results to and the merge reads the shards from and copies its results to (see `crate::remote`).
    pub results_url: Option<String>,
}

fn read_to_string(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
        path: path.to_path_buf(),
        error,
    })
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })
}

/// Joins `rel` to `base` and removes `.` and `name/..` pairs lexically, so messages show `out`, not
/// `data/../out`.
pub fn join_clean(base: &Path, rel: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    let joined = base.join(rel);
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

fn base_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Config {
    /// Where the crawl state and body cache live.
    pub fn crawl_dir(&self) -> PathBuf {
        self.crawl_dir
            .clone()
            .unwrap_or_else(|| self.out_dir.join("crawl"))
    }

    /// The config of one shard of a run: its results in `<out_dir>/shards=N/shard=K`, and its crawl state in
    /// `<crawl_dir>/shards=N/shard=K` when `crawl_dir` is set (else under the shard's results folder, as for any
    /// run). The report folder is the run's: a shard writes no report.
    pub fn for_shard(&self, shard: crate::shard::Shard) -> Config {
        let mut cfg = self.clone();
        cfg.out_dir = shard.dir_in(&self.out_dir);
        cfg.crawl_dir = self.crawl_dir.as_ref().map(|c| shard.dir_in(c));
        cfg.shard = Some(shard);
        cfg
    }

    /// The config with what its sources need from the catalogue resolved: each `openalex` source's searches
    /// (its `queries`, from the outputs' distinctive names). The crawl takes only the sources, so this is done
    /// before it.
    pub fn for_outputs(&self, outputs: &[Output]) -> Config {
        let mut cfg = self.clone();
        for s in &mut cfg.sources {
            if let SourceConfig::OpenAlex(o) = s {
                o.queries = queries_for(outputs, o.min_query_words, o.from_year);
            }
        }
        cfg
    }

    /// Reads and resolves a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::parse(path, &read_to_string(path)?)
    }

    /// Resolves config `text` as if read from `path`: relative paths are joined to `path`'s folder (lexically; no
    /// file is opened) and errors name `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let file: ConfigFile = parse_toml(path, text)?;
        let base = base_dir(path);
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let d = &file.detect;
        if d.shingle_words < 2 {
            return Err(invalid("detect.shingle_words must be at least 2".into()));
        }
        if d.min_seeds < 1 {
            return Err(invalid("detect.min_seeds must be at least 1".into()));
        }
        for (name, v) in [
            ("min_similarity", d.min_similarity),
            ("copy_coverage", d.copy_coverage),
            ("min_name_similarity", d.min_name_similarity),
            ("boilerplate_doc_share", d.boilerplate_doc_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid(format!(
                    "detect.{name} must lie between 0 and 1, not {v}"
                )));
            }
        }
        let mut names = HashSet::new();
        let mut sources = Vec::new();
        for s in file.sources {
            if !names.insert(s.name().to_string()) {
                return Err(invalid(format!("two sources are named {:?}", s.name())));
            }
            sources.push(match s {
                SourceConfig::Dir(mut d) => {
                    // a folder on object storage is read there, not looked for beside the config
                    if !d.path.to_str().is_some_and(is_object_store_url) {
                        d.path = join_clean(&base, &d.path);
                    }
                    SourceConfig::Dir(d)
                }
                SourceConfig::Http(h) => {
                    h.validate().map_err(invalid)?;
                    SourceConfig::Http(h)
                }
                SourceConfig::Wayback(w) => {
                    w.validate().map_err(invalid)?;
                    SourceConfig::Wayback(w)
                }
                SourceConfig::Feed(f) => {
                    f.validate().map_err(invalid)?;
                    SourceConfig::Feed(f)
                }
                SourceConfig::OpenAlex(o) => {
                    o.validate().map_err(invalid)?;
                    SourceConfig::OpenAlex(o)
                }
                SourceConfig::Warc(mut w) => {
                    w.validate().map_err(invalid)?;
                    w.paths = w.paths.iter().map(|p| join_clean(&base, p)).collect();
                    // a URL is downloaded, not looked for beside the config
                    w.paths_file = w.paths_file.map(|p| match p.to_str() {
                        Some(u) if is_download_url(u) => p,
                        _ => join_clean(&base, &p),
                    });
                    SourceConfig::Warc(w)
                }
            });
        }
        let out_dir = join_clean(&base, &file.out_dir);
        let crawl_dir = file.crawl_dir.as_ref().map(|c| join_clean(&base, c));
        Ok(Config {
            config_path: path.to_path_buf(),
            catalogue_path: join_clean(&base, &file.catalogue),
            crawl_dir,
            activity_path: file.activity.as_ref().map(|a| join_clean(&base, a)),
            publishers_path: file.publishers.as_ref().map(|p| join_clean(&base, p)),
            out_dir,
            report_dir: join_clean(&base, &file.report_dir),
            queries_dir: file.queries_dir.map(|q| join_clean(&base, &q)),
            detect: file.detect,
            sources,
            count_own: file.count_own,
            warc_out: file.warc_out,
            shard: None,
            results_url: None,
        })
    }
}

/// The catalogue file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    #[serde(default, rename = "output")]
    outputs: Vec<OutputEntry>,
    /// Other names of themes (acronyms and expansions), shared by every output of the theme.
    #[serde(default, rename = "theme")]
    themes: Vec<ThemeEntry>,
    /// The vocabulary file around these outputs (series and organisation names, meetings, relative years, trap
    /// words), relative to the catalogue; without it, the bundled `data/vocabulary.toml` (the IGF's BPFs).
    #[serde(default)]
    vocabulary: Option<PathBuf>,
    /// The publishing organisation's own sites: a domain (its subdomains included) or a URL prefix with its
    /// scheme. Documents there are its own follow-up, not counted as uptake unless `count_own` is set.
    #[serde(default)]
    own_sites: Vec<String>,
}

/// One `[[theme]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeEntry {
    /// The theme, as the outputs' `theme` spells it.
    name: String,
    /// Other names: acronyms and expansions ("CERTs", "incident response teams").
    #[serde(default)]
    aliases: Vec<String>,
}

/// One `[[output]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputEntry {
    /// Stable identifier: lowercase letters, digits, `-` and `_`.
    id: String,
    /// Year of publication.
    year: i32,
    /// Full title.
    title: String,
    /// Recurring theme.
    #[serde(default)]
    theme: Option<String>,
    /// Other names people cite it by.
    #[serde(default)]
    aliases: Vec<String>,
    /// Where it is published.
    #[serde(default)]
    urls: Vec<String>,
    /// When it was published: `YYYY-MM-DD` or `YYYY-MM` (the first of the month).
    #[serde(default)]
    published: Option<String>,
    /// The output's own text: a file (.txt, .md, .html, .pdf, relative to the catalogue) or an http(s) URL, or a
    /// list of them (the report, its executive summary, an HTML version), read in this order as one text.
    #[serde(default)]
    text: Option<OneOrMany>,
}

/// A value given as one string or as a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// `YYYY-MM-DD`, or `YYYY-MM` as the first of the month.
fn parse_catalogue_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
}

/// The vocabulary file a catalogue names (resolved against the catalogue's folder), if any.
pub fn catalogue_vocabulary(path: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let file: CatalogueFile = parse_toml(path, &read_to_string(path)?)?;
    Ok(file.vocabulary.map(|v| join_clean(&base_dir(path), &v)))
}

/// The own sites a catalogue lists (`own_sites`), validated; none when it lists none.
pub fn load_own_sites(path: &Path) -> Result<OwnSites, ConfigError> {
    let file: CatalogueFile = parse_toml(path, &read_to_string(path)?)?;
    own_sites_of(path, &file)
}

fn own_sites_of(path: &Path, file: &CatalogueFile) -> Result<OwnSites, ConfigError> {
    OwnSites::parse(&file.own_sites).map_err(|message| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    })
}

/// Reads a catalogue's vocabulary: the file it names, or the bundled one.
pub fn load_vocabulary(
    catalogue: &Path,
) -> Result<crate::detect::vocabulary::Vocabulary, ConfigError> {
    crate::detect::vocabulary::Vocabulary::for_catalogue(catalogue_vocabulary(catalogue)?.as_ref())
}

/// Reads and validates a catalogue.
pub fn load_catalogue(path: &Path) -> Result<Vec<Output>, ConfigError> {
    parse_catalogue(path, &read_to_string(path)?)
}

/// Validates catalogue `text` as if read from `path`. Text paths are resolved against `path`'s folder and must
/// name existing files (checked, never opened).
pub fn parse_catalogue(path: &Path, text: &str) -> Result<Vec<Output>, ConfigError> {
    let file: CatalogueFile = parse_toml(path, text)?;
    let base = base_dir(path);
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if file.outputs.is_empty() {
        return Err(invalid("the catalogue lists no [[output]]".into()));
    }
    own_sites_of(path, &file)?;
    if let Some(v) = &file.vocabulary {
        let p = join_clean(&base, v);
        if !p.is_file() {
            return Err(invalid(format!(
                "vocabulary file {} does not exist",
                p.display()
            )));
        }
    }
    let mut seen = HashSet::new();
    let mut outputs = Vec::with_capacity(file.outputs.len());
    for t in &file.themes {
        if !file
            .outputs
            .iter()
            .any(|o| o.theme.as_deref() == Some(t.name.as_str()))
        {
            return Err(invalid(format!(
                "[[theme]] {:?} is the theme of no output (check its spelling)",
                t.name
            )));
        }
    }
    for o in file.outputs {
        let id_ok = !o.id.is_empty()
            && o.id.len() <= 64
            && o.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !id_ok {
            return Err(invalid(format!(
                "output id {:?} must be 1 to 64 of a-z, 0-9, '-' and '_'",
                o.id
            )));
        }
        if !seen.insert(o.id.clone()) {
            return Err(invalid(format!("output id {:?} appears twice", o.id)));
        }
        if !(1900..=2200).contains(&o.year) {
            return Err(invalid(format!(
                "output {}: year {} is not plausible",
                o.id, o.year
            )));
        }
        if o.title.trim().is_empty() {
            return Err(invalid(format!("output {}: the title is empty", o.id)));
        }
        let mut texts = Vec::new();
        for t in o.text.map(OneOrMany::into_vec).unwrap_or_default() {
            let t = t.trim();
            let lower = t.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                let u = url::Url::parse(t).map_err(|e| {
                    invalid(format!(
                        "output {}: text {t:?} is not a usable URL: {e}",
                        o.id
                    ))
                })?;
                texts.push(TextSource::Url(u.to_string()));
                continue;
            }
            if t.is_empty() || t.contains("://") {
                return Err(invalid(format!(
                    "output {}: text {t:?} is neither a file nor an http(s) URL",
                    o.id
                )));
            }
            let p = join_clean(&base, Path::new(t));
            if !p.is_file() {
                return Err(invalid(format!(
                    "output {}: text file {} does not exist",
                    o.id,
                    p.display()
                )));
            }
            texts.push(TextSource::File(p));
        }
        let published = match &o.published {
            None => None,
            Some(p) => Some(parse_catalogue_date(p).ok_or_else(|| {
                invalid(format!(
                    "output {:?}: published = {p:?} is not YYYY-MM-DD or YYYY-MM",
                    o.id
                ))
            })?),
        };
        let theme_aliases = o
            .theme
            .as_ref()
            .and_then(|t| file.themes.iter().find(|x| x.name == *t))
            .map(|x| x.aliases.clone())
            .unwrap_or_default();
        outputs.push(Output {
            theme_aliases,
            published,
            id: o.id,
            year: o.year,
            title: o.title.trim().to_string(),
            theme: o.theme.filter(|t| !t.trim().is_empty()),
            aliases: o
                .aliases
                .into_iter()
                .filter(|a| !a.trim().is_empty())
                .collect(),
            urls: o.urls,
            texts,
        });
    }
    Ok(outputs)
}

#[cfg(test)]
mod tests;
