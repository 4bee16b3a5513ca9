//! Extract: turns a raw body into a [`Document`] — text, links, title, publisher and publication date, with
//! the signal each came from. One entry point dispatches on the content type; manifest values override.

mod dates;
mod html;
mod pdf;

use sha2::{Digest, Sha256};

pub use crate::textutil::MAX_HTML_DEPTH;
pub use dates::{date_in_url, first_page_date, parse_date};
pub use html::extract_html;
pub use pdf::extract_pdf;

use crate::records::{ContentKind, Dated, Document, Link, RawDoc};
use crate::textutil::urls_in_text;

/// Errors of the extraction stage; each names the file or URL.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{location}: the file is empty")]
    Empty { location: String },
    #[error("{location}: no text could be extracted")]
    NoText { location: String },
    #[error("{location}: not a readable PDF: {message}")]
    Pdf { location: String, message: String },
    #[error("{location}: refused: {reason}")]
    Refused { location: String, reason: String },
    #[error("{location}: unsupported content type {content_type:?}")]
    Unsupported {
        location: String,
        content_type: String,
    },
}

/// What an extractor found, before the manifest is applied.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub links: Vec<Link>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<Dated>,
    pub content_type: ContentKind,
}

/// The document id for a stable key: 16 hex digits of its SHA-256, safe as a file name.
pub fn doc_id(key: &str) -> String {
    format!("{:016x}", doc_id_bits(key))
}

/// The 64 bits [`doc_id`] writes in hex: what a set of the documents seen keeps (eight bytes a document).
pub fn doc_id_bits(key: &str) -> u64 {
    let digest = Sha256::digest(key.as_bytes());
    u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"))
}

/// [`doc_id_bits`] read back from a document id; `None` for what [`doc_id`] does not write.
pub fn doc_id_bits_of(doc_id: &str) -> Option<u64> {
    (doc_id.len() == 16)
        .then(|| u64::from_str_radix(doc_id, 16).ok())
        .flatten()
}

/// The kind of body: from the hint, then from the first bytes.
fn sniff(raw: &RawDoc) -> ContentKind {
    let head = &raw.bytes[..raw.bytes.len().min(1024)];
    if head.starts_with(b"%PDF-") {
        return ContentKind::Pdf;
    }
    let hint = raw
        .content_type_hint
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if hint.contains("pdf") {
        return ContentKind::Pdf;
    }
    if hint.contains("html") || hint.contains("xhtml") {
        return ContentKind::Html;
    }
    if hint.is_empty() {
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        if lower.contains("<!doctype html") || lower.contains("<html") {
            return ContentKind::Html;
        }
    }
    ContentKind::Text
}

/// Bytes of an undeclared body that the encoding detector reads (enough for any real page to show its script;
/// the rest is decoded with what these say).
const DETECT_BYTES: usize = 1 << 20;

/// Decodes bytes to text: BOM, then a declared charset (header or `<meta>`), then UTF-8, then the encoding
/// `chardetng` (Firefox's detector) guesses from the bytes: windows-1252 for Western European text, and the
/// legacy encodings of other scripts (windows-1251, Shift_JIS, GBK, ISO-8859-2, ...) where the bytes say so.
pub fn decode(bytes: &[u8], declared: Option<&str>, look_for_meta: bool) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let from_label = |label: &str| {
        encoding_rs::Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())
    };
    let mut enc = declared.and_then(|d| {
        d.to_ascii_lowercase()
            .split("charset=")
            .nth(1)
            .and_then(|c| from_label(c.split(';').next().unwrap_or(c)))
    });
    if enc.is_none() && look_for_meta {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        if let Some(pos) = head.find("charset=") {
            let rest = &head[pos + 8..];
            let label: String = rest
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            enc = from_label(&label);
        }
    }
    match enc {
        Some(e) => e.decode_without_bom_handling(bytes).0.into_owned(),
        // the same answer as `std::str::from_utf8`, in a sixth of its time on web text
        None => match simdutf8::basic::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let mut detector =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                let head = &bytes[..bytes.len().min(DETECT_BYTES)];
                detector.feed(head, head.len() == bytes.len());
                detector
                    .guess(None, chardetng::Utf8Detection::Deny)
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned()
            }
        },
    }
}

/// Extracts one raw body into a document. Manifest values override what the body says.
pub fn extract(raw: &RawDoc) -> Result<Document, ExtractError> {
    let mut doc = extract_deferring(raw)?;
    settle(&mut doc);
    Ok(doc)
}

/// [`extract`], leaving the date on the text's first page and a plain text's links to be read later
/// ([`settle`], [`document_date`], [`document_links`]): a run reads them only for the documents it keeps and
/// where detection needs them, not for the records of a `warc` source that it drops (on a WET file, the date
/// was 3% of the run's time).
pub fn extract_deferring(raw: &RawDoc) -> Result<Document, ExtractError> {
    if raw.bytes.is_empty() {
        return Err(ExtractError::Empty {
            location: raw.location.clone(),
        });
    }
    // a plain text's links are the URLs written out in it: collected later
    let kind = sniff(raw);
    let text_links = kind == ContentKind::Text;
    let mut ex = match kind {
        ContentKind::Pdf => pdf::extract_pdf(&raw.bytes, &raw.location)?,
        ContentKind::Html => {
            let text = decode(&raw.bytes, raw.content_type_hint.as_deref(), true);
            let depth = crate::textutil::nesting_depth(&text);
            if depth > MAX_HTML_DEPTH {
                return Err(ExtractError::Refused {
                    location: raw.location.clone(),
                    reason: format!(
                        "elements nested {depth} deep (more than {}; the HTML parser's time grows with the square \
                         of the depth)",
                        MAX_HTML_DEPTH
                    ),
                });
            }
            html::extract_html(&text, &raw.url)
        }
        ContentKind::Text => {
            plain_text(decode(&raw.bytes, raw.content_type_hint.as_deref(), false))
        }
    };
    if !ex.text.chars().any(char::is_alphanumeric) {
        return Err(ExtractError::NoText {
            location: raw.location.clone(),
        });
    }
    let o = &raw.overrides;
    if let Some(t) = &o.title {
        ex.title = Some(t.clone());
    }
    if let Some(p) = &o.publisher {
        ex.publisher = Some(p.clone());
    }
    if let Some(p) = &o.published {
        match parse_date(p) {
            Some((date, precision)) => {
                ex.published = Some(Dated {
                    date,
                    precision,
                    from: o.origin.unwrap_or("manifest").into(),
                })
            }
            None => tracing::warn!(
                "{}: manifest date {p:?} is not a date; ignored",
                raw.location
            ),
        }
    }
    if ex.published.is_none() && raw.url.starts_with("http") {
        ex.published = date_in_url(&raw.url).map(|(date, precision)| Dated {
            date,
            precision,
            from: "url".into(),
        });
    }
    // the first page's date comes next; what comes after it is read now, and replaced by it when it is read
    let first_page_date = ex.published.is_none();
    if ex.published.is_none() {
        ex.published = raw.fallback_date.as_ref().and_then(|f| {
            let (date, precision) = parse_date(&f.value).or_else(|| {
                let d = crate::textutil::parse_http_date(&f.value)?;
                Some((d.date_naive(), crate::records::DatePrecision::Day))
            })?;
            Some(Dated {
                date,
                precision,
                from: f.from.into(),
            })
        });
    }
    if o.title.is_none() {
        ex.title = ex
            .title
            .map(|t| strip_site_suffix(t, ex.publisher.as_deref()));
    }
    Ok(Document {
        doc_id: doc_id(&raw.key),
        source: raw.source.clone(),
        url: raw.url.clone(),
        location: raw.location.clone(),
        title: ex.title.filter(|t| !t.trim().is_empty()),
        publisher: ex.publisher.filter(|t| !t.trim().is_empty()),
        sector: o.sector.clone(),
        country: o.country.clone(),
        sector_from: o
            .sector
            .as_ref()
            .map(|_| o.origin.unwrap_or("manifest").to_string()),
        extract_key: None,
        text_chars: None,
        published: ex.published,
        content_type: ex.content_type,
        text: ex.text,
        links: ex.links,
        copy_of: None,
        linked_from: raw.linked_from.clone(),
        other_urls: raw.other_urls.clone(),
        found_by: raw.found_by.clone(),
        // set from the catalogue's own sites by the pipeline, at every run
        is_own: false,
        warc: raw.warc.clone(),
        deferred: crate::records::Deferred {
            first_page_date,
            text_links,
        },
    })
}

/// The date of the text's first page, as extraction reads it.
fn first_page_dated(doc: &Document) -> Option<Dated> {
    first_page_date(&doc.text).map(|(date, precision)| Dated {
        date,
        precision,
        from: format!("{}:first-page", doc.content_type),
    })
}

/// Reads what [`extract_deferring`] left in `doc` (the date on its first page, its text's links): `doc` is then
/// what [`extract`] gives.
pub fn settle(doc: &mut Document) {
    let deferred = std::mem::take(&mut doc.deferred);
    if deferred.first_page_date {
        if let Some(d) = first_page_dated(doc) {
            doc.published = Some(d);
        }
    }
    if deferred.text_links {
        doc.links = urls_in_text(&doc.text);
    }
}

/// The date of `doc` that [`settle`] would give it, without settling it.
pub fn document_date(doc: &Document) -> Option<chrono::NaiveDate> {
    if doc.deferred.first_page_date {
        if let Some(d) = first_page_date(&doc.text) {
            return Some(d.0);
        }
    }
    doc.published.as_ref().map(|d| d.date)
}

/// The links of `doc` that [`settle`] would give it, without settling it.
pub fn document_links(doc: &Document) -> std::borrow::Cow<'_, [crate::records::Link]> {
    if doc.deferred.text_links {
        urls_in_text(&doc.text).into()
    } else {
        doc.links.as_slice().into()
    }
}

/// "Article | Site Name" → "Article" when the site name is the publisher.
fn strip_site_suffix(title: String, publisher: Option<&str>) -> String {
    let Some(p) = publisher.map(str::trim).filter(|p| !p.is_empty()) else {
        return title;
    };
    for sep in [" | ", " - ", " – ", " — ", " · "] {
        if let Some(head) = title.strip_suffix(&format!("{sep}{p}")) {
            if !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title
}

/// Plain text is kept as it is (line endings normalised); its links are the URLs written in it.
pub fn extract_plain(text: String) -> Extracted {
    let mut ex = plain_text(text);
    ex.links = urls_in_text(&ex.text);
    ex
}

/// [`extract_plain`] without the links.
fn plain_text(text: String) -> Extracted {
    // most texts hold no carriage return: look for one (the memchr crate's SIMD search, several times the
    // standard library's on a text of a few kB) before copying the text twice
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    let title = text
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(200).collect());
    Extracted {
        title,
        text,
        content_type: ContentKind::Text,
        ..Default::default()
    }
}

/// Builds text from a stream of pieces, collapsing whitespace, placing line and paragraph breaks, and recording
/// the character span of each open link's visible text.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    chars: usize,
    pending_space: bool,
    pending_break: u8,
    open_links: Vec<(String, Option<usize>)>,
    links: Vec<Link>,
}

impl TextBuilder {
    /// Appends text; runs of whitespace become one space.
    pub fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
                continue;
            }
            if self.chars > 0 {
                if self.pending_break > 0 {
                    let n = self.pending_break as usize;
                    self.text.push_str(&"\n".repeat(n));
                    self.chars += n;
                } else if self.pending_space {
                    self.text.push(' ');
                    self.chars += 1;
                }
            }
            self.pending_break = 0;
            self.pending_space = false;
            for l in self.open_links.iter_mut() {
                if l.1.is_none() {
                    l.1 = Some(self.chars);
                }
            }
            self.text.push(c);
            self.chars += 1;
        }
    }
    /// The next text starts a new line.
    pub fn line(&mut self) {
        self.pending_break = self.pending_break.max(1);
    }
    /// The next text starts a new paragraph.
    pub fn paragraph(&mut self) {
        self.pending_break = 2;
    }
    pub fn open_link(&mut self, url: String) {
        self.open_links.push((url, None));
    }
    pub fn close_link(&mut self) {
        if let Some((url, Some(start))) = self.open_links.pop() {
            if self.chars > start {
                self.links.push(Link {
                    url,
                    start,
                    end: self.chars,
                });
            }
        }
    }
    pub fn finish(mut self) -> (String, Vec<Link>) {
        while !self.open_links.is_empty() {
            self.close_link();
        }
        self.text.push('\n');
        (self.text, self.links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_is_stripped_from_titles() {
        let t = |s: &str, p| strip_site_suffix(s.to_string(), p);
        assert_eq!(
            t("Naming the harm | Women Online", Some("Women Online")),
            "Naming the harm"
        );
        assert_eq!(
            t("Naming the harm | Women Online", Some("Other")),
            "Naming the harm | Women Online"
        );
        assert_eq!(t("| Women Online", Some("Women Online")), "| Women Online");
    }

    #[test]
    fn builder_tracks_link_spans() {
        let mut b = TextBuilder::default();
        b.push_text("  See  ");
        b.open_link("https://x.org/".into());
        b.push_text(" the report ");
        b.close_link();
        b.paragraph();
        b.push_text("Next");
        let (text, links) = b.finish();
        assert_eq!(text, "See the report\n\nNext\n");
        assert_eq!(links[0].start, 4);
        assert_eq!(links[0].end, 14);
    }

    #[test]
    fn decodes_latin1_by_meta_and_fallback() {
        let bytes = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode(bytes, None, true).contains("café"));
        assert_eq!(decode(b"caf\xe9", None, false), "café");
        assert_eq!(decode("café".as_bytes(), None, false), "café");
    }

    #[test]
    fn last_modified_dates_in_every_http_form_date_a_page() {
        let raw = |value: &str| RawDoc {
            source: "web".into(),
            key: "https://example.org/page".into(),
            url: "https://example.org/page".into(),
            location: "https://example.org/page".into(),
            bytes: b"<html><body><p>A page without a date of its own.</p></body></html>".to_vec(),
            content_type_hint: Some("text/html".into()),
            overrides: Default::default(),
            linked_from: None,
            other_urls: Vec::new(),
            fallback_date: Some(crate::records::FallbackDate {
                value: value.into(),
                from: "http-last-modified",
            }),
            found_by: None,
            warc: None,
        };
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "1994-11-06",
        ] {
            let d = extract(&raw(form)).unwrap().published;
            let d = d.unwrap_or_else(|| panic!("{form:?} gave no date"));
            assert_eq!(
                (d.date.to_string().as_str(), d.precision, d.from.as_str()),
                (
                    "1994-11-06",
                    crate::records::DatePrecision::Day,
                    "http-last-modified"
                ),
                "{form:?}"
            );
        }
        assert_eq!(extract(&raw("last week")).unwrap().published, None);
    }

    #[test]
    fn a_first_page_date_read_later_is_the_one_read_at_once() {
        let raw = |url: &str, body: &str, fallback: Option<&str>| RawDoc {
            source: "cc".into(),
            key: url.into(),
            url: url.into(),
            location: url.into(),
            bytes: body.as_bytes().to_vec(),
            content_type_hint: Some("text/plain".into()),
            overrides: Default::default(),
            linked_from: None,
            other_urls: Vec::new(),
            fallback_date: fallback.map(|v| crate::records::FallbackDate {
                value: v.into(),
                from: "warc-date",
            }),
            found_by: None,
            warc: None,
        };
        let dated = "Minutes\n\nPublished 12 March 2020\n\nThe meeting opened.\n";
        let undated = "Minutes\n\nThe meeting opened.\n";
        for (r, from) in [
            // the first page's date, over the record's
            (
                raw("https://a.example/m", dated, Some("2021-04-02")),
                Some("text:first-page"),
            ),
            (
                raw("https://a.example/m", dated, None),
                Some("text:first-page"),
            ),
            // no date on the first page: the record's
            (
                raw("https://a.example/m", undated, Some("2021-04-02")),
                Some("warc-date"),
            ),
            (raw("https://a.example/m", undated, None), None),
            // a date in the URL comes before the first page's, which is then not read at all
            (
                raw("https://a.example/2019/05/m", dated, Some("2021-04-02")),
                Some("url"),
            ),
        ] {
            let at_once = extract(&r).unwrap();
            let mut later = extract_deferring(&r).unwrap();
            assert_eq!(later.deferred.first_page_date, from != Some("url"));
            assert!(later.deferred.text_links && later.links.is_empty());
            assert_eq!(*document_links(&later), at_once.links);
            assert_eq!(
                document_date(&later),
                at_once.published.as_ref().map(|d| d.date)
            );
            settle(&mut later);
            assert_eq!(later.deferred, Default::default());
            assert_eq!(later.links, at_once.links);
            assert_eq!(later.published, at_once.published);
            assert_eq!(later.published.as_ref().map(|d| d.from.as_str()), from);
            // settled twice, the same
            settle(&mut later);
            assert_eq!(later.published, at_once.published);
        }
    }

    #[test]
    fn simd_utf8_validation_agrees_with_std() {
        // pieces of valid and broken UTF-8: truncated, overlong, surrogate, past U+10FFFF, stray continuation
        const PIECES: [&[u8]; 12] = [
            b"plain ascii text ",
            "caf\u{e9} \u{1f600} \u{4e2d}".as_bytes(),
            b"\xc3",
            b"\xe2\x82",
            b"\xf0\x9f\x98",
            b"\xc0\xaf",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\x80",
            b"\xff",
            b"0123456789abcdef0123456789abcdef",
            b"\n",
        ];
        let mut rng = fastrand::Rng::with_seed(8);
        let mut valid = 0;
        for _ in 0..20_000 {
            let mut bytes = Vec::new();
            for _ in 0..rng.usize(..20) {
                bytes.extend_from_slice(PIECES[rng.usize(..PIECES.len())]);
            }
            let std_ok = std::str::from_utf8(&bytes).is_ok();
            valid += usize::from(std_ok);
            assert_eq!(
                simdutf8::basic::from_utf8(&bytes).is_ok(),
                std_ok,
                "{bytes:?}"
            );
        }
        assert!(valid > 1_000, "valid texts: {valid}");
    }

    #[test]
    fn undeclared_legacy_encodings_are_detected() {
        // A Western European page saved in windows-1252, declaring nothing: accents, the euro sign and curly
        // quotes (0x80, 0x93, 0x94 are C1 controls in ISO-8859-1, letters in windows-1252).
        let page = b"<html><head><title>R\xe9sum\xe9</title></head><body><p>Le d\xe9veloppement num\xe9rique \
            co\xfbte 5 \x80 ; \x93\xe0 l\x92\xe9cole\x94, disent les \xe9l\xe8ves fran\xe7ais. \
            La soci\xe9t\xe9 civile a particip\xe9 \xe0 la r\xe9union.</p></body></html>";
        let text = decode(page, Some("text/html"), true);
        assert!(
            text.contains("Résumé")
                && text.contains("5 €")
                && text.contains("“à l’école”")
                && text.contains("français"),
            "{text}"
        );
        // The undeclared page of the bad-inputs corpus (its integration test reads it whole).
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad_inputs/cp1252-no-charset.html");
        let text = decode(&std::fs::read(fixture).unwrap(), None, true);
        assert!(
            text.contains("At the café we read the “IGF Best Practice Forum on IXPs 2016” report."),
            "{text}"
        );
        // Cyrillic in windows-1251 was read as windows-1252 (mojibake) before the detector.
        let (cyrillic, _, _) = encoding_rs::WINDOWS_1251
            .encode("Форум по управлению интернетом: доклад о передовом опыте и рекомендации.");
        let text = decode(&cyrillic, None, false);
        assert_eq!(
            text,
            "Форум по управлению интернетом: доклад о передовом опыте и рекомендации."
        );
        // A declared charset still wins over the guess.
        assert_eq!(
            decode(
                &cyrillic[..10],
                Some("text/plain; charset=windows-1252"),
                false
            ),
            encoding_rs::WINDOWS_1252.decode(&cyrillic[..10]).0
        );
    }
}
