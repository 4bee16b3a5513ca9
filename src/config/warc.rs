//! The `kind = "warc"` source: web archive files (WARC 1.0 and 1.1, plain or gzip per record) and Common Crawl's
//! WET text extracts, from local paths and globs or a paths file of URLs (the form of Common Crawl's
//! `warc.paths.gz`). Remote files are downloaded politely into the crawl folder; every setting has a named default.

use std::path::PathBuf;

use serde::Deserialize;

/// Default largest record block read (the `Content-Length` of a record): a larger record is skipped, never read
/// into memory. The same as the largest PDF an http source takes.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = super::DEFAULT_MAX_PDF_BYTES;
/// Default prefix of the relative lines of a paths file (`crawl-data/CC-MAIN-…/x.warc.gz`).
pub const DEFAULT_WARC_BASE_URL: &str = "https://data.commoncrawl.org/";
/// Default pause after each request for a remote file (retries and resumed downloads included), in milliseconds.
pub const DEFAULT_WARC_DELAY_MS: u64 = 1000;
/// Default longest wait for a connection or for the next bytes of a remote file, in milliseconds.
pub const DEFAULT_WARC_TIMEOUT_MS: u64 = 60_000;
/// Default retries of a remote file after a failed request (408, 429, 5xx, network errors, a connection
/// dropped part-way); a retry that got more bytes resets the count.
pub const DEFAULT_WARC_MAX_RETRIES: u32 = 5;
/// Default first backoff before a retry of a remote file; each retry doubles it.
pub const DEFAULT_WARC_RETRY_BASE_MS: u64 = 2000;

/// The WARC record types that can become documents.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum WarcRecordType {
    /// An HTTP response: its status line and headers are read, and a 2xx body is extracted like a fetched page.
    Response,
    /// Text converted from another record (Common Crawl's WET files): the block is the text.
    Conversion,
    /// A resource captured without HTTP (a file, a feed): the block is the document.
    Resource,
}

impl WarcRecordType {
    /// The `WARC-Type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            WarcRecordType::Response => "response",
            WarcRecordType::Conversion => "conversion",
            WarcRecordType::Resource => "resource",
        }
    }
}

/// Which records of a `warc` source become documents of the run.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WarcKeep {
    /// Every document record: a row of `documents`, its text saved, its links in `links`.
    #[default]
    All,
    /// Only the records the detection pre-filter passes (`[detect] prefilter`: those in which the detector can
    /// find anything); the others are counted and dropped (no row, no saved text, no links). What a run over
    /// Common Crawl wants: nearly every page of the web cites nothing. A run that does not detect (`crawl`), or
    /// with the pre-filter off, keeps every record.
    Passed,
    /// Only the records in which the detector found something: a mention, a theme mention or a candidate passage
    /// (a passage the finish may still drop as a site template). The others are counted and dropped like
    /// `passed` drops them. A run that does not detect keeps every record.
    Found,
}

impl WarcKeep {
    /// The value as the config writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            WarcKeep::All => "all",
            WarcKeep::Passed => "passed",
            WarcKeep::Found => "found",
        }
    }
}

fn default_record_types() -> Vec<WarcRecordType> {
    vec![
        WarcRecordType::Response,
        WarcRecordType::Conversion,
        WarcRecordType::Resource,
    ]
}

/// Whether `scheme` is an object store's, read through `object_store`: `s3` (and `s3a`) for Amazon S3 and
/// S3-compatible stores, `gs` for Google Cloud Storage, `az` (and Azure's other spellings) for Azure Blob Storage.
pub fn is_object_store_scheme(scheme: &str) -> bool {
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "s3" | "s3a" | "gs" | "az" | "adl" | "azure" | "abfs" | "abfss"
    )
}

/// Whether `text` is a URL on an object store (`s3://bucket/key`, …).
pub fn is_object_store_url(text: &str) -> bool {
    text.split_once("://")
        .is_some_and(|(scheme, _)| is_object_store_scheme(scheme))
}

/// Whether `text` is a URL a `warc` source downloads: http, https, or an object store's.
pub fn is_download_url(text: &str) -> bool {
    text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("http")
            || scheme.eq_ignore_ascii_case("https")
            || is_object_store_scheme(scheme)
    })
}

/// Web archive files to read.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WarcSource {
    /// Name of the source, shown in tables and the report.
    pub name: String,
    /// WARC or WET files (`.warc`, `.warc.gz`, `.warc.wet.gz`, …) or glob patterns (`*`, `?`, `[…]`, `**`),
    /// relative to the config file; read in the order given, each pattern's matches in name order.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// A file (plain or gzip, relative to the config file, or a URL: http, https, `s3://`, `gs://`, `az://`,
    /// downloaded once and kept) listing one file a line: a URL of those kinds, an absolute local path, or a path
    /// relative to `base_url` (Common Crawl's `warc.paths.gz` and `wet.paths.gz`). Blank lines and lines
    /// starting with `#` are skipped.
    #[serde(default)]
    pub paths_file: Option<PathBuf>,
    /// What the relative lines of `paths_file` are joined to: an http or https URL, or an object store's
    /// (`s3://commoncrawl/` reads Common Crawl's bucket directly, with the credentials of the environment).
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Largest record block read, in bytes; a larger record is skipped with its file and offset named.
    #[serde(default = "default_max_record_bytes")]
    pub max_record_bytes: u64,
    /// Record types read as documents: `response`, `conversion`, `resource` (all three by default). Other records
    /// (`request`, `metadata`, `revisit`, `warcinfo`) are never documents.
    #[serde(default = "default_record_types")]
    pub record_types: Vec<WarcRecordType>,
    /// Pause after each request for a remote file, in milliseconds.
    #[serde(default = "default_delay_ms")]
    pub delay_ms: u64,
    /// User-Agent sent when downloading remote files; include a contact URL.
    #[serde(default = "default_user_agent")]
    pub user_agent: String,
    /// Longest wait for a connection or for the next bytes of a remote file, in milliseconds (a whole file may
    /// take longer).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Retries of a remote file after a failed request; a download cut short resumes where it stopped (HTTP
    /// `Range`), and a retry that got more bytes resets the count.
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// First backoff before a retry, in milliseconds; it doubles per retry.
    #[serde(default = "default_retry_base_ms")]
    pub retry_base_ms: u64,
    /// Which records become documents: `all` (the default); `passed`, only those the detection pre-filter
    /// passes; `found`, only those in which the detector found something (the others are counted, not kept).
    #[serde(default)]
    pub keep: WarcKeep,
}

fn default_base_url() -> String {
    DEFAULT_WARC_BASE_URL.to_string()
}
fn default_max_record_bytes() -> u64 {
    DEFAULT_MAX_RECORD_BYTES
}
fn default_delay_ms() -> u64 {
    DEFAULT_WARC_DELAY_MS
}
fn default_user_agent() -> String {
    super::DEFAULT_USER_AGENT.to_string()
}
fn default_timeout_ms() -> u64 {
    DEFAULT_WARC_TIMEOUT_MS
}
fn default_max_retries() -> u32 {
    DEFAULT_WARC_MAX_RETRIES
}
fn default_retry_base_ms() -> u64 {
    DEFAULT_WARC_RETRY_BASE_MS
}

impl WarcSource {
    /// Checks what serde cannot. The message names the source and the field.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        if self.paths.is_empty() && self.paths_file.is_none() {
            return Err(format!(
                "source {name:?}: give `paths` or `paths_file` (or both)"
            ));
        }
        match url::Url::parse(&self.base_url) {
            Ok(u) if is_download_url(u.as_str()) && u.host_str().is_some() => {}
            _ => {
                return Err(format!(
                    "source {name:?}: base_url {:?} is not an http, https or object store (s3://, gs://, \
                     az://) URL",
                    self.base_url
                ))
            }
        }
        if self.record_types.is_empty() {
            return Err(format!("source {name:?}: `record_types` is empty"));
        }
        if self.max_record_bytes == 0 {
            return Err(format!(
                "source {name:?}: `max_record_bytes` must be at least 1"
            ));
        }
        if self.user_agent.trim().is_empty() || self.user_agent.contains(['\r', '\n']) {
            return Err(format!(
                "source {name:?}: `user_agent` must be one non-empty line"
            ));
        }
        if self.timeout_ms == 0 {
            return Err(format!("source {name:?}: `timeout_ms` must be at least 1"));
        }
        Ok(())
    }
}
