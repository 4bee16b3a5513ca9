//! The records passed between stages: the whole vocabulary of the pipeline in one place.
//!
//! `Output` (a tracked report) comes from the catalogue; `RawDoc` from the crawl; `Document` from extraction;
//! `Mention` and `Passage` from detection; `Analysis` (with `OutputMetrics` and their `Evidence`) from the
//! analysis, for the report; `Skipped` from any stage that had to drop one input. Closed sets are enums
//! declared with `closed_set!`, each written to the tables as its name.

use std::path::PathBuf;

use chrono::NaiveDate;

/// A value that is not one of a closed set's names (reading a table or a file back).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a {set}")]
pub struct UnknownName {
    /// The set, e.g. `crawl outcome`.
    pub set: &'static str,
    pub value: String,
}

/// A closed set of names (an enum declared with `closed_set!`): what the schema layer writes as a string column
/// and parses back.
pub trait ClosedSet:
    Copy + std::fmt::Display + std::str::FromStr<Err = UnknownName> + 'static
{
    /// Every name, in declaration order.
    const NAMES: &'static [&'static str];
    /// The name the tables hold.
    fn name(self) -> &'static str;
}

/// Declares a closed set: an enum whose variants each have one name, the string the tables and files hold.
/// Gives `as_str`, `ALL`, `Display` (the name), `FromStr` (the name back), [`ClosedSet`] and serde as the name.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        pub enum $E:ident ($set:literal) {
            $($(#[$vmeta:meta])* $V:ident = $name:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        pub enum $E {
            $($(#[$vmeta])* #[serde(rename = $name)] $V,)*
        }

        impl $E {
            /// Every value, in declaration order.
            pub const ALL: &'static [$E] = &[$($E::$V),*];

            /// The name the tables hold.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($E::$V => $name,)*
                }
            }
        }

        impl ClosedSet for $E {
            const NAMES: &'static [&'static str] = &[$($name),*];
            fn name(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $E {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $E {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<$E, UnknownName> {
                match s {
                    $($name => Ok($E::$V),)*
                    _ => Err(UnknownName { set: $set, value: s.to_string() }),
                }
            }
        }
    };
}

/// One tracked output (a report whose uptake we measure), as read from the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Stable identifier, e.g. `2015-gender`.
    pub id: String,
    /// Year of publication.
    pub year: i32,
    /// Full title.
    pub title: String,
    /// Theme the output belongs to (recurs across years), e.g. `Gender and Access`.
    pub theme: Option<String>,
    /// Other names of the theme (acronyms and expansions), from the catalogue's `[[theme]]` entries.
    pub theme_aliases: Vec<String>,
    /// Other names people use when they cite it.
    pub aliases: Vec<String>,
    /// Addresses where the output is published.
    pub urls: Vec<String>,
    /// Where the output's own text is, in the catalogue's order: files (resolved against the catalogue file) and
    /// web addresses. Several parts (the report, its executive summary, an HTML version) make one text.
    pub texts: Vec<TextSource>,
    /// When it was published, if the catalogue says (months to first uptake count from here, else from 1 January
    /// of `year`).
    pub published: Option<NaiveDate>,
}

/// One part of an output's own text as the catalogue gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextSource {
    /// A local file (.txt, .md, .html, .pdf).
    File(PathBuf),
    /// An http(s) address, fetched through the crawler.
    Url(String),
}

impl TextSource {
    /// The path or URL, for messages and tables.
    pub fn location(&self) -> String {
        match self {
            TextSource::File(p) => p.display().to_string(),
            TextSource::Url(u) => u.clone(),
        }
    }
}

closed_set! {
    /// Where a part of an output's text came from.
    #[derive(Default)]
    pub enum TextFrom ("output text origin") {
        /// A file the catalogue names.
        #[default]
        File = "file",
        /// An address the catalogue names, fetched.
        Url = "url",
        /// A document a source crawled at one of the output's `urls` (the catalogue gives no text).
        Crawled = "crawled",
    }
}

/// One part of an output's text as read in a run: where it came from and where it sits in the joined text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextPart {
    pub output_id: String,
    /// 0-based, in the catalogue's order.
    pub part: u32,
    /// The file path or URL read.
    pub location: String,
    pub from: TextFrom,
    /// Character offsets of this part in the output's text (`out/text/outputs/<id>.txt`), end exclusive.
    pub start: u64,
    pub end: u64,
}

/// Manifest values that override what extraction finds (empty cells are `None`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub url: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub sector: Option<String>,
    /// Country of the publisher (ISO 3166 alpha-2 code, or a name).
    pub country: Option<String>,
    /// Who gives these values, for `published_from` and `sector_from` (`openalex`); `None`: the manifest.
    pub origin: Option<&'static str>,
}

impl Overrides {
    /// Takes each of `other`'s values where this has none.
    pub fn fill_from(&mut self, other: &Overrides) {
        let fill = |a: &mut Option<String>, b: &Option<String>| {
            if a.is_none() {
                a.clone_from(b);
            }
        };
        fill(&mut self.url, &other.url);
        fill(&mut self.title, &other.title);
        fill(&mut self.publisher, &other.publisher);
        fill(&mut self.published, &other.published);
        fill(&mut self.sector, &other.sector);
        fill(&mut self.country, &other.country);
        if self.origin.is_none() {
            self.origin = other.origin;
        }
    }
}

/// A fetched or read document body, before any parsing.
#[derive(Debug, Clone)]
pub struct RawDoc {
    /// Name of the `[[source]]` it came from.
    pub source: String,
    /// Stable key the document id is derived from (`source/relative/path` or the URL).
    pub key: String,
    /// Where the document lives (manifest URL, `file://` URL or fetched URL).
    pub url: String,
    /// Human-readable location for messages (a path or a URL).
    pub location: String,
    /// Raw bytes.
    pub bytes: Vec<u8>,
    /// Content-Type header or a type guessed from the file extension.
    pub content_type_hint: Option<String>,
    /// Values from a manifest.
    pub overrides: Overrides,
    /// The page that linked it (crawled documents), or the sitemap that listed it.
    pub linked_from: Option<String>,
    /// Other URLs with the same content (the same body at two URLs, or URLs that redirected here).
    pub other_urls: Vec<String>,
    /// A last-resort date: the HTTP `Last-Modified` header, the sitemap's `lastmod`, the feed entry's date or an
    /// archive capture's time, with which it was.
    pub fallback_date: Option<FallbackDate>,
    /// How a source that lists documents found this one (the OpenAlex query, the feed, the archive lookup).
    pub found_by: Option<String>,
    /// The WARC record the document was read from, if any.
    pub warc: Option<WarcRecordRef>,
}

/// Where a WARC record lies: the file (its path, or the URL it was downloaded from) and the byte offset of the
/// record in it (of its gzip member, in a file compressed record by record), as web archive indexes (CDX) give
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WarcRecordRef {
    pub file: String,
    pub offset: u64,
}

/// A date known from outside the document, used only when the document itself gives none.
#[derive(Debug, Clone, PartialEq)]
pub struct FallbackDate {
    /// The value as sent (an HTTP date or a W3C date).
    pub value: String,
    /// `sitemap-lastmod`, `http-last-modified`, `feed-entry`, `archive-capture` (a web archive's capture time:
    /// an upper bound) or `warc-date` (a WARC record's date: an upper bound too).
    pub from: &'static str,
}

/// A link found in a document, with the character span of its anchor text (or of the URL itself).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    pub url: String,
    pub start: usize,
    pub end: usize,
}

closed_set! {
    /// Precision of a publication date.
    pub enum DatePrecision ("date precision") {
        Year = "year",
        Month = "month",
        Day = "day",
    }
}

/// A date together with where it was found and how precise it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub date: NaiveDate,
    pub precision: DatePrecision,
    /// Which signal gave the date, e.g. `meta:citation_publication_date`, `pdf:CreationDate`, `manifest`.
    pub from: String,
}

closed_set! {
    /// What a body is read as: from the declared type, then from its first bytes.
    #[derive(Default)]
    pub enum ContentKind ("content kind") {
        Html = "html",
        Pdf = "pdf",
        #[default]
        Text = "text",
    }
}

/// What extraction left to be read later ([`Document::deferred`]): a run reads it only for the documents it keeps,
/// and where detection needs it (`crate::extract::settle`, `crate::extract::document_date`,
/// `crate::extract::document_links`), not for the records of a `warc` source that it drops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deferred {
    /// The date on the text's first page is still to be read. Where the first page holds one it replaces
    /// `published`, which holds what comes after it (the WARC record's date, say).
    pub first_page_date: bool,
    /// The links are the URLs written out in the text (a plain text's), still to be collected: `links` is empty.
    pub text_links: bool,
}

/// An extracted document: text and metadata, ready for detection.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub doc_id: String,
    pub source: String,
    pub url: String,
    pub location: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub sector: Option<String>,
    /// Country of the publisher, where known.
    pub country: Option<String>,
    /// Where the sector came from: `manifest`, `registry` or `domain`.
    pub sector_from: Option<String>,
    /// Digest of everything extraction read (body, metadata, the uptake binary, the registry): a later run with
    /// the same key takes the document as it is instead of extracting it again.
    pub extract_key: Option<String>,
    pub published: Option<Dated>,
    /// What the body was read as.
    pub content_type: ContentKind,
    pub text: String,
    /// Characters of the text where `text` is not held in memory (documents read back from the tables).
    pub text_chars: Option<usize>,
    pub links: Vec<Link>,
    /// The output this document is a copy of, if any (set by detection).
    pub copy_of: Option<String>,
    /// The page that linked it, or the sitemap that listed it (crawled documents).
    pub linked_from: Option<String>,
    /// Other URLs with the same content.
    pub other_urls: Vec<String>,
    /// How a source that lists documents found this one (the OpenAlex query, the feed, the archive lookup).
    pub found_by: Option<String>,
    /// The document is on one of the catalogue's own sites (its URL; `other_urls` are not consulted): the
    /// publishing organisation's own follow-up, detected like any other but counted as uptake only when
    /// `count_own` is set.
    pub is_own: bool,
    /// The WARC record the document was read from, if any.
    pub warc: Option<WarcRecordRef>,
    /// What extraction left to be read later, for the documents a run keeps (`crate::extract::settle`).
    pub deferred: Deferred,
}

impl Document {
    /// A document of plain text read from `url` (its id and location too), with no metadata: for tests,
    /// benchmarks and fuzzing.
    pub fn from_text(url: &str, text: String) -> Document {
        Document {
            doc_id: url.to_string(),
            source: String::new(),
            url: url.to_string(),
            location: url.to_string(),
            title: None,
            publisher: None,
            sector: None,
            country: None,
            sector_from: None,
            extract_key: None,
            published: None,
            content_type: ContentKind::Text,
            text,
            text_chars: None,
            links: Vec::new(),
            copy_of: None,
            linked_from: None,
            other_urls: Vec::new(),
            found_by: None,
            is_own: false,
            warc: None,
            deferred: Deferred::default(),
        }
    }
}

closed_set! {
    /// How a mention was recognised.
    pub enum MentionKind ("mention kind") {
        /// The output's full title.
        Title = "title",
        /// One of the output's aliases.
        Alias = "alias",
        /// The output's theme, with a forum cue and a year.
        ThemeYear = "theme_year",
        /// A link to one of the output's URLs.
        Link = "link",
        /// The series, a year and the output's topic, without its name: an item of an enumeration, a theme's
        /// history, or the subject of the document (see `detect::context`).
        Context = "context",
    }
}

closed_set! {
    /// What a piece of evidence is: a mention of one of the kinds of [`MentionKind`], or a reused passage. The
    /// order is the rank among evidence of equal score (the strongest first).
    pub enum EvidenceKind ("kind of evidence") {
        Title = "title",
        Alias = "alias",
        Link = "link",
        ThemeYear = "theme_year",
        Context = "context",
        /// A passage of the output's text reused in the document.
        Reuse = "reuse",
    }
}

impl From<MentionKind> for EvidenceKind {
    fn from(k: MentionKind) -> EvidenceKind {
        match k {
            MentionKind::Title => EvidenceKind::Title,
            MentionKind::Alias => EvidenceKind::Alias,
            MentionKind::ThemeYear => EvidenceKind::ThemeYear,
            MentionKind::Link => EvidenceKind::Link,
            MentionKind::Context => EvidenceKind::Context,
        }
    }
}

/// A reference to an output found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub doc_id: String,
    pub output_id: String,
    pub kind: MentionKind,
    /// Character offsets in the document's saved text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// The text around the mention.
    pub snippet: String,
    /// The matched text itself (white space collapsed).
    pub matched: String,
    /// Match quality in [0, 1].
    pub score: f64,
}

/// A shared name (a theme, or an alias several outputs carry) found with the forum named but no year to say which
/// output: kept as a theme-level mention with its candidates, never given to one output.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThemeMention {
    pub doc_id: String,
    /// The theme of the candidate outputs.
    pub theme: String,
    /// Every output the name could mean.
    pub candidates: Vec<String>,
    pub start: usize,
    pub end: usize,
    pub snippet: String,
    pub matched: String,
}

/// A passage of an output's text reused in a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Passage {
    pub doc_id: String,
    pub output_id: String,
    /// Character offsets in the document's saved text, end exclusive.
    pub doc_start: usize,
    pub doc_end: usize,
    /// Character offsets in the output's saved text, end exclusive.
    pub output_start: usize,
    pub output_end: usize,
    /// Token-level similarity of the two spans in [0, 1].
    pub similarity: f64,
    /// The reused text as it stands in the document (cut after a few hundred characters).
    pub snippet: String,
    /// Aligned blocks the passage is made of: 1 for a passage reused in order, more where blocks were reordered
    /// or split by inserted text.
    pub blocks: u32,
    /// Whether this output is the passage's best source among the outputs that hold the same text: the
    /// earliest published before the document, then the most similar.
    pub best_source: bool,
}

closed_set! {
    /// Where an input was left out.
    #[derive(Default)]
    pub enum SkipStage ("skip stage") {
        /// Reading a source, or a document's body.
        #[default]
        Crawl = "crawl",
        /// Extracting a document's text.
        Extract = "extract",
        /// Reading an output's own text named in the catalogue.
        Catalogue = "catalogue",
        /// Detecting in a document (its saved text missing).
        Detect = "detect",
        /// Running a query of the queries folder.
        Query = "query",
    }
}

/// One input a stage had to leave out, with the reason.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Skipped {
    pub stage: SkipStage,
    /// The file or URL.
    pub location: String,
    pub reason: String,
}

impl Skipped {
    /// A skip whose reason does not repeat the location (error messages often start with it).
    pub fn new(stage: SkipStage, location: &str, reason: impl std::fmt::Display) -> Skipped {
        let reason = reason.to_string();
        let reason = reason
            .strip_prefix(location)
            .and_then(|r| r.strip_prefix(": "))
            .map(str::to_string)
            .unwrap_or(reason);
        Skipped {
            stage,
            location: location.to_string(),
            reason,
        }
    }
}

/// One row of the `uptake` table: an output's uptake in one year (`year` is `None` for undated documents).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UptakeRow {
    pub output_id: String,
    pub year: Option<i32>,
    /// Distinct documents citing or reusing the output in that year.
    pub documents: u64,
    pub mentions: u64,
    pub passages: u64,
    pub reused_chars: u64,
    /// Distinct documents up to and including that year (for the undated row: all documents).
    pub cumulative_documents: u64,
    /// Documents on the own sites citing or reusing the output that year: part of `documents` when
    /// `own_counted`, left out of it otherwise.
    pub own_documents: u64,
    /// Whether the own sites' documents are counted in this row's numbers.
    pub own_counted: bool,
}

/// A document that links to another document of the corpus: the edge second-order ripples travel along.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub doc_id: String,
    pub cited_doc_id: String,
    /// The link as written in the citing document.
    pub url: String,
}

/// One row of the `ripple` table: documents of one generation that took an output up in one year. Generation 1
/// cites or reuses the output; generation n+1 cites (links to) a document of generation n and no earlier one.
#[derive(Debug, Clone, PartialEq)]
pub struct RippleRow {
    pub output_id: String,
    pub generation: u32,
    /// `None` for undated documents.
    pub year: Option<i32>,
    pub documents: u64,
    /// Documents of this generation up to and including the year (on the undated row: all of them).
    pub cumulative_documents: u64,
    /// Whether the own sites' documents are counted (as roots and in every generation).
    pub own_counted: bool,
}

/// One citing relation: a document and an output it cites or reuses, however often (the `cites` table).
#[derive(Debug, Clone, PartialEq)]
pub struct CiteRow {
    pub doc_id: String,
    pub output_id: String,
    pub mentions: u64,
    pub passages: u64,
    /// The kind of the strongest evidence.
    pub strongest: EvidenceKind,
    /// Its score (match score or passage similarity).
    pub best_score: f64,
    /// Where it stands in the document's text.
    pub start: usize,
    pub snippet: String,
    /// The document is dated before the output's year (flagged: a wrong date or a wrong match).
    pub dated_before_output: bool,
    /// The document is on one of the own sites.
    pub is_own: bool,
    /// The relation is counted in the uptake and the metrics (false for an own document unless own documents
    /// are counted).
    pub counted: bool,
}

/// One row of the `themes` table: uptake of every output of a theme in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeRow {
    pub theme: String,
    pub year: Option<i32>,
    /// Distinct documents citing or reusing any output of the theme.
    pub documents: u64,
    /// Distinct outputs of the theme taken up that year.
    pub outputs: u64,
    pub cumulative_documents: u64,
    /// Whether the own sites' documents are counted.
    pub own_counted: bool,
}

closed_set! {
    /// The answer of one functioning check: known to pass, known to fail, or unknown (never shown as a failure).
    pub enum Check ("check answer") {
        Pass = "yes",
        Fail = "no",
        Unknown = "unknown",
    }
}

impl Check {
    fn of(v: Option<bool>) -> Check {
        match v {
            Some(true) => Check::Pass,
            Some(false) => Check::Fail,
            None => Check::Unknown,
        }
    }
}

/// The names of the six checks of the functioning scorecard (BPF on BPFs, chapter D.c), in order.
pub const SCORECARD_CHECKS: [&str; 6] = [
    "At least 3 open virtual meetings",
    "Active mailing list",
    "Process documented on the IGF website",
    "Draft published before the annual meeting",
    "Session at the annual meeting",
    "Final output published",
];

/// What is known of how one output's process ran (`data/activity.csv`); `None` is unknown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Activity {
    pub output_id: String,
    pub open_virtual_meetings: Option<u32>,
    pub mailing_list_subscribers: Option<u32>,
    pub mailing_list_messages: Option<u32>,
    /// Stated outright; otherwise inferred from the message count.
    pub mailing_list_active: Option<bool>,
    pub process_documented: Option<bool>,
    pub draft_before_meeting: Option<bool>,
    pub session_at_meeting: Option<bool>,
    pub output_published: Option<bool>,
    /// Where the facts come from.
    pub sources: String,
}

impl Activity {
    /// The six checks, in the order of [`SCORECARD_CHECKS`].
    pub fn checks(&self) -> [Check; 6] {
        let meetings = self.open_virtual_meetings.map(|n| n >= 3);
        let list = self
            .mailing_list_active
            .or(self.mailing_list_messages.map(|n| n > 0));
        [
            Check::of(meetings),
            Check::of(list),
            Check::of(self.process_documented),
            Check::of(self.draft_before_meeting),
            Check::of(self.session_at_meeting),
            Check::of(self.output_published),
        ]
    }
}

// after `closed_set!`, which it uses
mod web;
pub use web::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: ClosedSet + std::fmt::Debug + PartialEq + serde::Serialize>(all: &[T]) {
        let mut names = std::collections::BTreeSet::new();
        for &v in all {
            assert!(names.insert(v.name()), "{v:?}: a name twice");
            assert_eq!(v.name().parse::<T>(), Ok(v));
            assert_eq!(v.to_string(), v.name());
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.name())
            );
        }
        assert!("no such name".parse::<T>().is_err());
    }

    #[test]
    fn closed_sets_read_back_their_names() {
        round_trips(MentionKind::ALL);
        round_trips(EvidenceKind::ALL);
        round_trips(UrlOutcome::ALL);
        round_trips(DatePrecision::ALL);
        round_trips(Check::ALL);
        round_trips(ContentKind::ALL);
        round_trips(UrlKind::ALL);
        round_trips(NetworkFailure::ALL);
    }

    #[test]
    fn network_failures_are_read_from_the_start_of_an_error() {
        assert_eq!(
            NetworkFailure::of_error("dns: failed to lookup address information"),
            Some(NetworkFailure::Dns)
        );
        assert_eq!(
            NetworkFailure::of_error("server_error: robots.txt answered HTTP 503"),
            Some(NetworkFailure::ServerError)
        );
        for none in ["HTTP 404", "redirect loop: a → b", "dns", "", "DNS: x"] {
            assert_eq!(NetworkFailure::of_error(none), None, "{none}");
        }
    }

    #[test]
    fn evidence_of_equal_score_ranks_title_alias_link_theme_year_context_reuse() {
        let mut kinds: Vec<EvidenceKind> = MentionKind::ALL.iter().map(|&k| k.into()).collect();
        kinds.push(EvidenceKind::Reuse);
        kinds.sort();
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            ["title", "alias", "link", "theme_year", "context", "reuse"]
        );
    }
}

/// One piece of evidence behind a count: a mention or a reused passage in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub doc_id: String,
    pub doc_title: String,
    pub url: String,
    pub published: Option<NaiveDate>,
    pub publisher: Option<String>,
    pub sector: Option<String>,
    /// A mention's kind, or `Reuse`.
    pub kind: EvidenceKind,
    pub start: usize,
    pub end: usize,
    pub snippet: String,
    /// The matched words inside the snippet (empty for reuse: the snippet is the passage).
    pub matched: String,
    /// Match score or passage similarity.
    pub score: f64,
    /// The tracked output the citing document is a copy of: an output citing another.
    pub in_output: Option<String>,
}

/// Totals and evidence for one output.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputMetrics {
    pub output_id: String,
    pub title: String,
    pub year: i32,
    pub theme: Option<String>,
    pub documents: u64,
    pub mentions: u64,
    pub passages: u64,
    pub reused_chars: u64,
    pub undated_documents: u64,
    pub publishers: u64,
    pub sectors: u64,
    /// Distinct countries of the citing publishers (where known).
    pub countries: u64,
    /// Citing documents per sector of the publisher (`unclassified` when unknown), most first.
    pub by_sector: Vec<(String, u64)>,
    /// When the output was published, if the catalogue says (months to first uptake then count from 1 January of
    /// its year).
    pub published: Option<NaiveDate>,
    pub first_uptake: Option<NaiveDate>,
    /// Whole months from publication to the first dated uptake (none when the first is dated earlier).
    pub months_to_first_uptake: Option<i64>,
    /// Years from the publication year until half of the dated citing documents had appeared.
    pub half_life_years: Option<u32>,
    /// Distinct years with at least one citing document.
    pub years_active: u64,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    /// Documents per generation: `[direct, second-order, ...]`.
    pub generations: Vec<u64>,
    /// Documents dated before the output's year (flagged: the date or the match may be wrong).
    pub dated_before_output: u64,
    /// The evidence behind the counts (own documents' only when they are counted).
    pub evidence: Vec<Evidence>,
    /// Whether the run had the output's own text, so that reuse of it could be found (`passages` and
    /// `reused_chars` are then measured; otherwise they are not zero but unknown).
    pub reuse_measured: bool,
    /// Documents on the own sites citing or reusing the output, counted or not.
    pub own_documents: u64,
    /// Whether the own documents are counted in every number above.
    pub own_counted: bool,
}

/// Everything the analysis gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub uptake: Vec<UptakeRow>,
    pub outputs: Vec<OutputMetrics>,
    /// Links between corpus documents.
    pub citations: Vec<Citation>,
    /// Generations of uptake per output and year.
    pub ripple: Vec<RippleRow>,
    /// Uptake per theme and year.
    pub themes: Vec<ThemeRow>,
    /// One row per (document, output): the citing relations counted.
    pub cites: Vec<CiteRow>,
    /// Documents that are copies of an output, not counted.
    pub copies: u64,
    /// Documents on the catalogue's own sites (counted as uptake only when `own_counted`).
    pub own_documents: u64,
    /// Whether the own sites' documents are counted in the uptake and every metric.
    pub own_counted: bool,
}
