//! The tables of crawl, extraction and detection, declared once each: `documents`, `outputs`, `mentions`,
//! `passages`, `uptake`, `links`, `skipped`, `crawl_log` and `works` (the analysis tables are in `analysis.rs`). Each
//! declaration gives the writer, the reader (for the tables read back) and the table's section of docs/tables.md.

use super::schema::table;
use crate::records::{
    ContentKind, CrawlLogRow, DatePrecision, Dated, Document, Link, Mention, MentionKind, Output,
    Passage, SkipStage, Skipped, TextFrom, TextPart, UptakeRow, UrlKind, UrlOutcome, WarcRecordRef,
    WorkRecord,
};

table! {
    /// One row per document read.
    pub mod documents = "documents" for d: Document, read Document = Document::default();
    {
        /// 16 hex digits of the SHA-256 of the document's key (`<source>/<relative path>` for a folder source,
        /// the URL for the web); the name of its text file
        "doc_id": Str = &d.doc_id, read |d, v| d.doc_id = v;
        /// the `[[source]]` it came from
        "source": Str = &d.source, read |d, v| d.source = v;
        /// the manifest's URL, else a `file://` URL for local files; for the web, the first URL that gave this
        /// body
        "url": Str = &d.url, read |d, v| d.url = v;
        /// manifest, else `citation_title`, `og:title`, `DC.title`, `<title>`, first `<h1>`; PDF Info Title;
        /// first line of a text file
        "title": OptStr = d.title.as_deref(), read |d, v| d.title = v;
        /// manifest, else `og:site_name`, JSON-LD `publisher.name`, `citation_publisher`, `DC.publisher`; PDF
        /// Info Author
        "publisher": OptStr = d.publisher.as_deref(), read |d, v| d.publisher = v;
        /// manifest, else the publisher registry or the domain (`intergovernmental`, `government`, `civil
        /// society`, `academia`, `private sector`, `technical community`, `media`)
        "sector": OptStr = d.sector.as_deref(), read |d, v| d.sector = v;
        /// manifest, else the publisher registry: the publisher's country (ISO 3166 alpha-2 code)
        "country": OptStr = d.country.as_deref(), read |d, v| d.country = v, missing None;
        /// where `sector` came from: `manifest`, `registry` (data/publishers.csv), `domain` (.gov, .int,
        /// .edu...) or `openalex` (the institutions of a work an `openalex` source found)
        "sector_from": OptStr = d.sector_from.as_deref(), read |d, v| d.sector_from = v, missing None;
        /// SHA-256 of everything extraction read: the body, the manifest values, the URL, the uptake binary and
        /// the publisher registry. A later run that computes the same key takes the document as it was instead
        /// of extracting it again
        "extract_key": OptStr = d.extract_key.as_deref(), read |d, v| d.extract_key = v, missing None;
        /// publication date (the first of the month or year when less precise)
        "published": OptDate = d.published.as_ref().map(|p| p.date),
            read |d, v| d.published = v.map(|date| Dated { date, precision: DatePrecision::Day, from: String::new() });
        /// where the date came from: `manifest`, `meta:citation_publication_date`, `meta:citation_date`,
        /// `meta:dc.date`, `meta:dc.date.issued`, `meta:dcterms.issued`, `meta:dcterms.date`,
        /// `meta:article:published_time`, `json-ld:datePublished`, `html:time`, `url` (a date in the canonical or
        /// document URL), `pdf:CreationDate`; last, for web documents, `feed-entry` (the date of the feed entry
        /// that listed it), `sitemap-lastmod`, `http-last-modified` or `archive-capture` (the time a web archive
        /// captured the page read: an upper bound, the page existed by then and may be older), and for records of
        /// WARC files `warc-date` (when the record was written: an upper bound too); `openalex`: the publication
        /// date of the work an `openalex` source found, before any other
        "published_from": OptStr = d.published.as_ref().map(|p| p.from.as_str()),
            read |d, v| if let Some(p) = &mut d.published { p.from = v.unwrap_or_default() };
        /// `day`, `month` or `year`
        "published_precision": OptStr = d.published.as_ref().map(|p| p.precision.as_str()),
            read |d, v| if let Some(p) = &mut d.published {
                p.precision = v.and_then(|v| v.parse().ok()).unwrap_or(DatePrecision::Day)
            };
        /// `html`, `pdf` or `text`
        "content_type": Name<ContentKind> = d.content_type, read |d, v| d.content_type = v;
        /// characters in the saved text
        "chars": U64 = d.text_chars.unwrap_or_else(|| d.text.chars().count()) as u64,
            read |d, v| d.text_chars = Some(v as usize);
        /// the output id when the document is a copy of a tracked output (at one of its URLs, or at least
        /// `copy_coverage` of its words reused from it), else null; copies are not counted as uptake
        "copy_of": OptStr = d.copy_of.as_deref(), read |d, v| d.copy_of = v;
        /// the file path or URL it was read from
        "location": Str = &d.location, read |d, v| d.location = v;
        /// web documents: the page that linked it, or the sitemap that listed it (null for a seed)
        "linked_from": OptStr = d.linked_from.as_deref(), read |d, v| d.linked_from = v, missing None;
        /// web documents: other URLs that gave the same body, and URLs that redirected here (space-separated;
        /// kept beside `other_url_list`)
        "other_urls": OptStr = Some(d.other_urls.join(" ")).filter(|s| !s.is_empty()),
            read |d, v| d.other_urls = split(v.as_deref().unwrap_or_default()), missing None;
        /// web documents: the URLs of `other_urls` as a list (empty when there is none)
        "other_url_list": ListStr = &d.other_urls;
        /// documents listed by another source (`openalex`, `feed`, `wayback`): how that source found it (the
        /// query, the feed, the archive lookup); null otherwise
        "found_by": OptStr = d.found_by.as_deref(), read |d, v| d.found_by = v, missing None;
        /// whether the document's `url` is on one of the catalogue's `own_sites` (the publishing organisation's
        /// own pages: its own follow-up, detected like any other but not counted as uptake unless `count_own`;
        /// `other_urls` are not consulted). Set from the catalogue at every run (older tables: false)
        "is_own": Bool = d.is_own, read |d, v| d.is_own = v, missing false;
        /// documents read from a web archive: the WARC file of its record (the path, or the URL the file was
        /// downloaded from); documents a web source fetched while `warc_out` is on: the crawl's WARC file holding
        /// the response that gave the body (`<crawl_dir>/warc/uptake-….warc.gz`); else null
        "warc_file": OptStr = d.warc.as_ref().map(|w| w.file.as_str()),
            read |d, v| d.warc = v.map(|file| WarcRecordRef { file, offset: 0 }), missing None;
        /// documents read from a web archive or fetched while `warc_out` is on: the byte offset of its record in
        /// `warc_file` (of the record's gzip member when the file is compressed record by record, as a CDX index
        /// gives it), else null
        "warc_offset": OptU64 = d.warc.as_ref().map(|w| w.offset),
            read |d, v| if let (Some(w), Some(o)) = (&mut d.warc, v) { w.offset = o }, missing None;
    }
}

table! {
    /// The catalogue: one row per tracked output.
    pub mod outputs = "outputs" for o: Output;
    {
        /// the output's id, e.g. `2015-gender`
        "id": Str = &o.id;
        /// the year of publication
        "year": I32 = o.year;
        /// the full title
        "title": Str = &o.title;
        /// the theme it belongs to (recurs across years)
        "theme": OptStr = o.theme.as_deref();
        /// other names people use when they cite it, joined with ` | ` (kept beside `alias_list`)
        "aliases": Str = o.aliases.join(" | ");
        /// addresses where it is published (space-separated; kept beside `url_list`)
        "urls": Str = o.urls.join(" ");
        /// the catalogue's publication date
        "published": OptDate = o.published;
        /// whether the catalogue gives the output's own text, as files or URLs (needed to find reused passages;
        /// `output_texts` says what a run could read)
        "has_text": Bool = !o.texts.is_empty();
        /// the names of `aliases` as a list, one name an item
        "alias_list": ListStr = &o.aliases;
        /// the addresses of `urls` as a list
        "url_list": ListStr = &o.urls;
    }
}

table! {
    /// One row per reference found.
    pub mod mentions = "mentions" for m: Mention, read Mention = Mention {
        doc_id: String::new(),
        output_id: String::new(),
        kind: MentionKind::Title,
        start: 0,
        end: 0,
        snippet: String::new(),
        matched: String::new(),
        score: 0.0,
    };
    {
        /// the citing document
        "doc_id": Str = &m.doc_id, read |m, v| m.doc_id = v;
        /// the output it cites
        "output_id": Str = &m.output_id, read |m, v| m.output_id = v;
        /// `title` (also its shortened forms, as `alias`), `alias`, `theme_year` (a theme with a forum cue and a
        /// year beside it), `link` (a link to one of the output's URLs) or `context` (the forum, a year and the
        /// output's topic without its name: a list, a theme's history, a page about one forum;
        /// docs/references.md)
        "kind": Name<MentionKind> = m.kind, read |m, v| m.kind = v;
        /// where the name (or the link's anchor text, or the written URL) starts
        "start": U64 = m.start as u64, read |m, v| m.start = v as usize;
        /// where it ends
        "end": U64 = m.end as u64, read |m, v| m.end = v as usize;
        /// the span with up to 80 characters either side, cut at word boundaries (`…` marks a cut)
        "snippet": Str = &m.snippet, read |m, v| m.snippet = v;
        /// the matched words or link text themselves (white space collapsed)
        "matched": Str = &m.matched, read |m, v| m.matched = v;
        /// 1 for an exact match; the normalised Levenshtein similarity for a fuzzy one ("Fortum")
        "score": F64 = m.score, read |m, v| m.score = v;
    }
}

table! {
    /// One row per reused passage.
    pub mod passages = "passages" for p: Passage, read Passage = Passage::default();
    {
        /// the document that reuses the text
        "doc_id": Str = &p.doc_id, read |p, v| p.doc_id = v;
        /// the output whose text it reuses
        "output_id": Str = &p.output_id, read |p, v| p.output_id = v;
        /// where the passage starts in the document's text
        "doc_start": U64 = p.doc_start as u64, read |p, v| p.doc_start = v as usize;
        /// where it ends in the document's text
        "doc_end": U64 = p.doc_end as u64, read |p, v| p.doc_end = v as usize;
        /// where it starts in the output's text
        "output_start": U64 = p.output_start as u64, read |p, v| p.output_start = v as usize;
        /// where it ends in the output's text
        "output_end": U64 = p.output_end as u64, read |p, v| p.output_end = v as usize;
        /// words aligned (1 − word-level Levenshtein distance, strsim, within each block) over the longer side
        /// of the passage; text that no block aligns (an aside, a repeated heading) lowers it
        "similarity": F64 = p.similarity, read |p, v| p.similarity = v;
        /// the reused text as it stands in the document (first 400 characters)
        "snippet": Str = &p.snippet, read |p, v| p.snippet = v;
        /// aligned blocks the passage is made of: 1 when reused in order, more when blocks were reordered or
        /// split by inserted text (added with reuse detection; read as 1 from older tables)
        "blocks": U64 = u64::from(p.blocks), read |p, v| p.blocks = v as u32, missing 1;
        /// whether this row is the best source of its span: every document character that any output's passage
        /// aligns has exactly one best row, chosen by aligned coverage, then the earliest output published
        /// before the document, then similarity (docs/reuse.md; older tables: true)
        "best_source": Bool = p.best_source, read |p, v| p.best_source = v, missing true;
    }
}

table! {
    /// One row per output and year. Rows run from the output's year (or the earliest citing document's year,
    /// if earlier) to the last year seen in the corpus, zeros included.
    pub mod uptake = "uptake" for u: UptakeRow, read UptakeRow = UptakeRow::default();
    {
        /// the output
        "output_id": Str = &u.output_id, read |u, v| u.output_id = v;
        /// the year; null for documents without a date (never dropped)
        "year": OptI32 = u.year, read |u, v| u.year = v;
        /// distinct documents citing or reusing the output that year (copies excluded; own documents only when
        /// `own_counted`)
        "documents": U64 = u.documents, read |u, v| u.documents = v;
        /// rows of `mentions` that year
        "mentions": U64 = u.mentions, read |u, v| u.mentions = v;
        /// rows of `passages` that year
        "passages": U64 = u.passages, read |u, v| u.passages = v;
        /// characters of the documents inside reused passages
        "reused_chars": U64 = u.reused_chars, read |u, v| u.reused_chars = v;
        /// distinct documents up to and including the year; on the null-year row, all of them
        "cumulative_documents": U64 = u.cumulative_documents, read |u, v| u.cumulative_documents = v;
        /// documents on the catalogue's `own_sites` citing or reusing the output that year, counted or not (older
        /// tables: 0)
        "own_documents": U64 = u.own_documents, read |u, v| u.own_documents = v, missing 0;
        /// whether own documents are counted in this row's other numbers (`count_own`; older tables, which knew
        /// no own sites: true)
        "own_counted": Bool = u.own_counted, read |u, v| u.own_counted = v, missing true;
    }
}

table! {
    /// Every link found in a document.
    pub mod links = "links" for l: (&str, &Link), read (String, Link) = Default::default();
    {
        /// the document the link is in
        "doc_id": Str = l.0, read |l, v| l.0 = v;
        /// the link's target as written (resolved against the page)
        "url": Str = &l.1.url, read |l, v| l.1.url = v;
        /// where its anchor text (or the URL itself) starts in the document's text
        "start": U64 = l.1.start as u64, read |l, v| l.1.start = v as usize;
        /// where it ends
        "end": U64 = l.1.end as u64, read |l, v| l.1.end = v as usize;
    }
}

table! {
    /// Every input left out, with the stage and the reason; for the web, pages that failed or were refused.
    pub mod skipped = "skipped" for s: Skipped, read Skipped = Skipped::default();
    {
        /// `crawl`, `extract`, `catalogue`, `detect` or `query`
        "stage": Name<SkipStage> = s.stage, read |s, v| s.stage = v;
        /// the file or URL
        "location": Str = &s.location, read |s, v| s.location = v;
        /// why it was left out
        "reason": Str = &s.reason, read |s, v| s.reason = v;
    }
}

table! {
    /// One row per URL an http source finished in this run (empty when there is none).
    pub mod crawl_log = "crawl_log" for r: CrawlLogRow, read CrawlLogRow = CrawlLogRow::default();
    {
        /// the `[[source]]` crawled
        "source": Str = &r.source, read |r, v| r.source = v;
        /// the URL
        "url": Str = &r.url, read |r, v| r.url = v;
        /// the origin (`scheme://host:port`): robots.txt, the delay and the summary are per origin
        "host": Str = &r.host, read |r, v| r.host = v;
        /// `page`, `sitemap`, or `api` (a request to an API or an index: OpenAlex, a CDX server, a feed)
        "kind": Name<UrlKind> = r.kind, read |r, v| r.kind = v;
        /// links from a seed (sitemap entries take their sitemap's depth)
        "depth": U64 = u64::from(r.depth), read |r, v| r.depth = v as u32;
        /// the page or sitemap it was found on
        "linked_from": OptStr = r.linked_from.as_deref(), read |r, v| r.linked_from = v;
        /// `fetched`, `not_modified` (304, cached body used; also an archive capture read from the cache
        /// without a request, 0 attempts: a capture never changes), `sitemap`, `redirect`, `disallowed`
        /// (robots.txt), `failed`, `refused` (too large, or a type uptake does not read), `not_fetched`
        /// (`max_pages` reached, or the host given up), `unreachable` (never asked: the host's robots.txt could
        /// not be reached, or answered 5xx; `error` starts with the kind: `dns`, `refused`, `timeout`, `tls`,
        /// `reset`, `other`, `server_error`)
        "outcome": Name<UrlOutcome> = r.outcome, read |r, v| r.outcome = v;
        /// the last status
        "http_status": OptU64 = r.http_status.map(u64::from), read |r, v| r.http_status = v.map(|s| s as u16);
        /// the Content-Type header
        "content_type": OptStr = r.content_type.as_deref(), read |r, v| r.content_type = v;
        /// body size
        "bytes": OptU64 = r.bytes, read |r, v| r.bytes = v;
        /// SHA-256 of the body: its name in the cache
        "content_hash": OptStr = r.content_hash.as_deref(), read |r, v| r.content_hash = v;
        /// RFC 3339 time the answer was stored
        "fetched_at": OptStr = r.fetched_at.as_deref(), read |r, v| r.fetched_at = v;
        /// time of the request with its retries
        "elapsed_ms": OptU64 = r.elapsed_ms, read |r, v| r.elapsed_ms = v;
        /// the number of attempts
        "attempts": U64 = u64::from(r.attempts), read |r, v| r.attempts = v as u32;
        /// why it failed, was refused, disallowed, not fetched or not reached; a network failure starts with its
        /// kind (`dns: failed to lookup address …`)
        "error": OptStr = r.error.as_deref(), read |r, v| r.error = v;
        /// a redirect's target
        "final_url": OptStr = r.final_url.as_deref(), read |r, v| r.final_url = v;
    }
}

table! {
    /// One row per scholarly work an `openalex` source found: a candidate, with its bibliographic record, whether
    /// or not a text could be fetched (a citation is what detection finds in the text: `mentions`, `passages`).
    pub mod works = "works" for w: WorkRecord;
    {
        /// the document its text became (`documents.doc_id`); null when OpenAlex knows no text for it (`url`
        /// null), `fetch_texts` is off, or the fetch or the extraction failed (see `skipped`)
        "doc_id": OptStr = w.doc_id.as_deref();
        /// the OpenAlex id (`https://openalex.org/W...`)
        "openalex_id": Str = &w.openalex_id;
        /// the DOI as a URL (`https://doi.org/10...`)
        "doi": OptStr = w.doi.as_deref();
        /// the work's title
        "title": OptStr = w.title.as_deref();
        /// OpenAlex's `publication_date` (to the day; also the document's `published`, `published_from` =
        /// `openalex`)
        "publication_date": OptDate = w.publication_date;
        /// where it is published: the primary location's source (a journal, a repository, a conference)
        "venue": OptStr = w.venue.as_deref();
        /// OpenAlex's type: `article`, `book-chapter`, `report`, `preprint`, `dissertation`, ...
        "type": OptStr = w.work_type.as_deref();
        /// every query that found it (`openalex: search="<phrase>" from <year> (<output ids>)`), joined with
        /// ` | `; the same text is the document's `found_by`
        "queries": Str = w.queries.join(" | ");
        /// the outputs those queries searched for (space-separated; empty for an extra query)
        "output_ids": Str = w.output_ids.join(" ");
        /// the authors' institutions in author order, each `name|ror|type|country`, joined with ` ; `
        "institutions": Str = institution_items(w).join(" ; ");
        /// the sector its institutions give (ROR type `education` or `facility`: `academia`, `government`,
        /// `nonprofit`: `civil society`, `company`: `private sector`; an intergovernmental organisation's name:
        /// `intergovernmental`); null when none does
        "sector": OptStr = w.sector.as_deref();
        /// that institution's country (ISO 3166 alpha-2; none for an intergovernmental one)
        "country": OptStr = w.country.as_deref();
        /// the `[[source]]` that found it
        "source": Str = &w.source;
        /// where its text was fetched from: the open-access PDF, else a landing page, else the DOI; null when
        /// OpenAlex knows none
        "url": OptStr = w.url.as_deref();
        /// the queries of `queries` as a list
        "query_list": ListStr = &w.queries;
        /// the outputs of `output_ids` as a list
        "output_id_list": ListStr = &w.output_ids;
        /// the institutions of `institutions` as a list, one `name|ror|type|country` an item (empty parts for
        /// what is unknown)
        "institution_list": ListStr = institution_items(w);
    }
}

/// A work's institutions as `name|ror|type|country` items.
fn institution_items(w: &WorkRecord) -> Vec<String> {
    w.institutions
        .iter()
        .map(|i| {
            format!(
                "{}|{}|{}|{}",
                i.name.replace('|', "/"),
                i.ror.as_deref().unwrap_or(""),
                i.kind.as_deref().unwrap_or(""),
                i.country.as_deref().unwrap_or("")
            )
        })
        .collect()
}

/// A space-separated list (read back from its joined column).
fn split(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

table! {
    /// The parts of each output's own text read in this run, which reuse is measured against (an output with no
    /// row had no text: its reuse was not measured).
    pub mod output_texts = "output_texts" for t: TextPart, read TextPart = TextPart::default();
    {
        /// the output
        "output_id": Str = &t.output_id, read |t, v| t.output_id = v;
        /// the part's place in the catalogue's `text` list, from 0
        "part": U64 = u64::from(t.part), read |t, v| t.part = v as u32;
        /// the file or URL read
        "location": Str = &t.location, read |t, v| t.location = v;
        /// `file` or `url` (the catalogue's `text`), or `crawled` (a document a source crawled at one of the
        /// output's `urls`, when the catalogue gives no text)
        "origin": Name<TextFrom> = t.from, read |t, v| t.from = v;
        /// where the part starts in `text/outputs/<output_id>.txt`, in characters
        "start": U64 = t.start, read |t, v| t.start = v;
        /// where it ends (exclusive)
        "end": U64 = t.end, read |t, v| t.end = v;
    }
}
