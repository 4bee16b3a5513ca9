//! The records of the crawl: what a URL was queued as and how it ended (`crawl_log`), why a host was not
//! reached, and the bibliographic records of the works an API source found.

use super::*;

/// An institution of a work's authors, as OpenAlex gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Institution {
    pub name: String,
    /// The ROR id (a URL), when known.
    pub ror: Option<String>,
    /// The ROR type: `education`, `government`, `nonprofit`, `company`, `healthcare`, `facility`, `archive`,
    /// `funder`, `other`.
    pub kind: Option<String>,
    /// ISO 3166 alpha-2 code.
    pub country: Option<String>,
}

/// A scholarly work an `openalex` source found (the `works` table): a candidate, whether or not its text could
/// be fetched; a citation is what detection finds in the text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkRecord {
    /// The `[[source]]` that found it.
    pub source: String,
    /// The OpenAlex id (`https://openalex.org/W...`).
    pub openalex_id: String,
    /// The DOI as a URL (`https://doi.org/10...`).
    pub doi: Option<String>,
    pub title: Option<String>,
    pub publication_date: Option<NaiveDate>,
    /// The venue (the primary location's source: a journal, a repository, a conference).
    pub venue: Option<String>,
    /// OpenAlex's type: `article`, `book-chapter`, `report`, `preprint`, ...
    pub work_type: Option<String>,
    /// Every query that found it (their labels), in the order asked.
    pub queries: Vec<String>,
    /// The outputs those queries were for.
    pub output_ids: Vec<String>,
    /// The authors' institutions, in author order, each once.
    pub institutions: Vec<Institution>,
    /// The sector its institutions give (see `crawl::openalex`).
    pub sector: Option<String>,
    /// The country its institutions give.
    pub country: Option<String>,
    /// The URL its text was fetched from (open-access PDF, landing page or DOI); `None` when there is none.
    pub url: Option<String>,
    /// The crawl key of the document fetched for it (set by the crawl).
    pub doc_key: Option<String>,
    /// The document holding its text, when one was fetched and extracted in this run (set by the pipeline).
    pub doc_id: Option<String>,
}

closed_set! {
    /// What a crawled URL was queued as.
    #[derive(Default)]
    pub enum UrlKind ("crawled URL kind") {
        /// A page or file, read as a document when fetched.
        #[default]
        Page = "page",
        /// A sitemap (from robots.txt or a sitemap index), read for its entries.
        Sitemap = "sitemap",
        /// A request to a web API or a feed (OpenAlex, an archive's CDX index, RSS or Atom), read for the
        /// documents it lists.
        Api = "api",
    }
}

closed_set! {
    /// How the crawl of one URL ended.
    #[derive(Default)]
    pub enum UrlOutcome ("crawl outcome") {
        /// A body was fetched (and cached).
        Fetched = "fetched",
        /// 304: the cached body was used.
        NotModified = "not_modified",
        /// A sitemap was read (its entries queued).
        Sitemap = "sitemap",
        /// A redirect (its target queued).
        Redirect = "redirect",
        /// robots.txt disallows it.
        Disallowed = "disallowed",
        Failed = "failed",
        /// Too large, or a type uptake does not read.
        Refused = "refused",
        /// Never requested: `max_pages` reached, or the host given up.
        #[default]
        NotFetched = "not_fetched",
        /// Never requested: the host's robots.txt could not be reached (a network failure, or a 5xx answer), so
        /// nothing is asked there (RFC 9309). `error` starts with the [`NetworkFailure`] kind: `dns: …`.
        Unreachable = "unreachable",
    }
}

closed_set! {
    /// Why a host was not reached: the kind of a network failure (or of a robots.txt answering 5xx). An `error` of
    /// the crawl log that starts with one of these names and `: ` is of that kind (see
    /// [`NetworkFailure::of_error`]).
    pub enum NetworkFailure ("network failure kind") {
        /// The host name did not resolve.
        Dns = "dns",
        /// The connection was refused: nothing listens on the port.
        Refused = "refused",
        /// No connection or no answer in time.
        Timeout = "timeout",
        /// The TLS handshake failed (a bad certificate, or no TLS on the other end).
        Tls = "tls",
        /// The connection was reset or closed before the answer was whole.
        Reset = "reset",
        /// Any other network failure (no route to the host, …).
        Other = "other",
        /// The server answered robots.txt with a 5xx: reached, but failing (RFC 9309 counts it as unreachable).
        ServerError = "server_error",
    }
}

impl NetworkFailure {
    /// The kind an error text starts with (`dns: failed to lookup address …` is `Dns`), if it names one.
    pub fn of_error(error: &str) -> Option<NetworkFailure> {
        error.split_once(": ").and_then(|(k, _)| k.parse().ok())
    }

    /// The kind for people: `DNS`, `connection refused`, …
    pub fn label(self) -> &'static str {
        match self {
            NetworkFailure::Dns => "DNS",
            NetworkFailure::Refused => "connection refused",
            NetworkFailure::Timeout => "timeout",
            NetworkFailure::Tls => "TLS",
            NetworkFailure::Reset => "connection reset",
            NetworkFailure::Other => "network error",
            NetworkFailure::ServerError => "server error",
        }
    }

    /// Whether the network itself failed (no answer came), as opposed to a server answering with an error.
    pub fn is_network(self) -> bool {
        self != NetworkFailure::ServerError
    }
}

impl UrlOutcome {
    /// A body is at hand (fetched now or cached): a document.
    pub fn has_body(self) -> bool {
        matches!(self, UrlOutcome::Fetched | UrlOutcome::NotModified)
    }
    /// The request failed or its answer was refused.
    pub fn is_failure(self) -> bool {
        matches!(self, UrlOutcome::Failed | UrlOutcome::Refused)
    }
}

/// One URL a crawl of an http source finished, for the `crawl_log` table and the per-host summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrawlLogRow {
    pub source: String,
    pub url: String,
    /// The origin (`scheme://host:port`).
    pub host: String,
    pub kind: UrlKind,
    pub depth: u32,
    pub linked_from: Option<String>,
    pub outcome: UrlOutcome,
    pub http_status: Option<u16>,
    pub content_type: Option<String>,
    pub bytes: Option<u64>,
    pub content_hash: Option<String>,
    pub fetched_at: Option<String>,
    pub elapsed_ms: Option<u64>,
    pub attempts: u32,
    pub error: Option<String>,
    /// The redirect target.
    pub final_url: Option<String>,
}
