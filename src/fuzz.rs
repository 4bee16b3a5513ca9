//! Entry points for the fuzz targets in `fuzz/` and for the regression tests that replay what they found
//! (`tests/fuzz_regressions.rs`). Each takes arbitrary bytes, runs one parser the way a run does, and panics only
//! when an invariant of its result breaks; errors for bad input are the expected outcome, not a failure.
//!
//! They live in the library, not in the fuzz crate, so that the stable test suite replays every saved input
//! through exactly the code the fuzzer ran, and so the parsers they reach stay private to their stages.

use std::path::Path;

use url::Url;

use crate::config::{parse_catalogue, Config, DetectConfig};
use crate::crawl::{links, robots as robots_txt};
use crate::detect::Detector;
use crate::extract;
use crate::normalize as norm;
use crate::records::{ContentKind, Output, Overrides, RawDoc};

/// A fuzz target's function: it takes any bytes and panics only when an invariant breaks.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: each name is a file in `fuzz/fuzz_targets/` and a folder of saved inputs in
/// `fuzz/regressions/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("html", html),
    ("pdf", pdf),
    ("robots", robots),
    ("config", config),
    ("catalogue", catalogue),
    ("normalize", normalize),
    ("detect", detect),
];

fn raw(bytes: &[u8], content_type: &str, location: &str) -> RawDoc {
    RawDoc {
        source: "fuzz".into(),
        key: format!("fuzz/{location}"),
        url: format!("https://example.org/{location}"),
        location: location.into(),
        bytes: bytes.to_vec(),
        content_type_hint: Some(content_type.into()),
        overrides: Overrides::default(),
        linked_from: None,
        other_urls: Vec::new(),
        fallback_date: None,
        found_by: None,
        warc: None,
    }
}

/// What every extracted document must satisfy.
fn check_document(doc: &crate::records::Document) {
    assert!(
        doc.text.chars().any(char::is_alphanumeric),
        "an extracted document has text"
    );
    for t in [&doc.title, &doc.publisher].into_iter().flatten() {
        assert!(!t.trim().is_empty(), "titles and publishers are not blank");
    }
    for l in &doc.links {
        assert!(!l.url.is_empty(), "links have a URL");
    }
}

/// The HTML extractor (charset sniffing, the nesting guard, text, metadata and dates) and the crawler's link
/// reader, on one page.
pub fn html(data: &[u8]) {
    if let Ok(doc) = extract::extract(&raw(data, "text/html", "page.html")) {
        assert_eq!(doc.content_type, ContentKind::Html);
        check_document(&doc);
    }
    let page = Url::parse("https://example.org/dir/page.html").expect("a valid URL");
    let found = links::html_links(&page, data);
    for l in &found.links {
        assert!(matches!(l.scheme(), "http" | "https"), "followed link {l}");
        assert!(l.fragment().is_none(), "links lose their fragment: {l}");
    }
    assert!(
        !found.nofollow || found.links.is_empty(),
        "nofollow pages give no links"
    );
}

/// The PDF extractor: lopdf, the decompression-bomb check, pdf-extract (whose panics must be caught) and the
/// Info and XMP metadata.
pub fn pdf(data: &[u8]) {
    // Seeds need not start with `%PDF-`: give every input the header so the PDF path is what runs.
    let mut bytes = Vec::with_capacity(data.len() + 8);
    if !data.starts_with(b"%PDF-") {
        bytes.extend_from_slice(b"%PDF-1.4\n");
    }
    bytes.extend_from_slice(data);
    match extract::extract(&raw(&bytes, "application/pdf", "doc.pdf")) {
        Ok(doc) => {
            assert_eq!(doc.content_type, ContentKind::Pdf);
            check_document(&doc);
        }
        Err(e) => assert!(
            e.to_string().contains("doc.pdf"),
            "errors name the file: {e}"
        ),
    }
}

/// robots.txt rules (allow checks, `Crawl-delay`, `Sitemap:` lines) and the sitemap reader (plain or gzip).
pub fn robots(data: &[u8]) {
    let rules = robots_txt::Rules::from_answer("uptake/0.1 (+https://example.org/bot)", 200, data);
    for path in ["/", "/a/b.pdf", "/%2F?x=1", "/ä/ö"] {
        let _ = rules.check(&format!("https://example.org{path}"));
    }
    if let Some(d) = rules.crawl_delay() {
        assert!(d.as_secs() <= 86_400, "crawl delays are capped at a day");
    }
    let _ = rules.sitemaps();
    let _ = robots_txt::looks_like_sitemap(data);
    if let Ok(sm) = robots_txt::parse_sitemap(data) {
        assert!(sm.urls.len() <= robots_txt::MAX_SITEMAP_ENTRIES);
        assert!(sm.sitemaps.len() <= robots_txt::MAX_SITEMAP_ENTRIES);
    }
}

/// The config loader: TOML, `deny_unknown_fields`, value checks and path resolution.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz/uptake.toml");
    match Config::parse(path, text) {
        Ok(c) => {
            let d = &c.detect;
            assert!(d.shingle_words >= 2 && d.min_seeds >= 1);
            assert!((0.0..=1.0).contains(&d.min_similarity));
            let mut names: Vec<&str> = c.sources.iter().map(|s| s.name()).collect();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            assert_eq!(n, names.len(), "source names are unique");
        }
        Err(e) => assert!(
            e.to_string().contains("uptake.toml"),
            "errors name the file: {e}"
        ),
    }
}

/// The catalogue loader: outputs, themes, ids, years and dates.
pub fn catalogue(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_catalogue(Path::new("fuzz/catalogue.toml"), text) {
        Ok(outputs) => {
            assert!(!outputs.is_empty());
            let mut ids = std::collections::HashSet::new();
            for o in &outputs {
                assert!(ids.insert(&o.id), "ids are unique");
                assert!(!o.title.trim().is_empty() && (1900..=2200).contains(&o.year));
            }
        }
        Err(e) => assert!(
            e.to_string().contains("catalogue.toml"),
            "errors name the file: {e}"
        ),
    }
}

/// The normaliser every matcher reads text through: spans in order and inside the text, hashes that agree with
/// the words they stand for, and normalising twice changing nothing.
pub fn normalize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let chars = text.chars().count();
    let words = norm::words(&text);
    let strings = norm::word_strings(&text);
    assert_eq!(words.len(), strings.len());
    let mut last_end = 0;
    for (w, (s, start, end)) in words.iter().zip(&strings) {
        assert!(!s.is_empty(), "words are not empty");
        assert!(
            last_end <= *start && start < end && *end <= chars,
            "span {start}..{end} after {last_end} in {chars} characters"
        );
        assert_eq!((w.start as usize, w.end as usize), (*start, *end));
        last_end = *end;
    }
    let once = norm::normalized(&text);
    let twice = norm::normalized(&once);
    assert_eq!(once, twice, "normalising is idempotent");
    // Equal words hash equally: the normalised text's words hash as the original's did.
    let again = norm::words(&once);
    assert_eq!(
        words.iter().map(|w| w.hash).collect::<Vec<_>>(),
        again.iter().map(|w| w.hash).collect::<Vec<_>>()
    );
}

/// Reference and reuse detection: the input is an output's title, its text and a document, separated by NUL
/// bytes. Every mention and passage must lie inside the texts, with a similarity between 0 and 1, and the
/// detector finds the same with its pre-filter as without it.
pub fn detect(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let (title, output_text, doc_text) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if title.trim().is_empty() {
        return;
    }
    let output = Output {
        id: "o".into(),
        year: 2015,
        title: title.trim().to_string(),
        theme: Some("Theme".into()),
        theme_aliases: vec!["T".into()],
        aliases: vec![],
        urls: vec!["https://example.org/o.pdf".into()],
        texts: Vec::new(),
        published: None,
    };
    let cfg = DetectConfig::default();
    let texts = [("o".to_string(), output_text.to_string())];
    let detector = Detector::new(std::slice::from_ref(&output), &texts, &cfg);
    let Ok(doc) = extract::extract(&raw(doc_text.as_bytes(), "text/plain", "doc.txt")) else {
        return;
    };
    let det = detector
        .detect_all(std::slice::from_ref(&doc))
        .pop()
        .expect("one detection per document");
    // the pre-filter (on by default) changes nothing the detector finds
    let cfg_off = DetectConfig {
        prefilter: false,
        ..cfg
    };
    let without = Detector::new(std::slice::from_ref(&output), &texts, &cfg_off)
        .detect_all(std::slice::from_ref(&doc))
        .pop()
        .expect("one detection per document");
    assert_eq!(det, without, "the pre-filter changed what was found");
    let doc_chars = doc.text.chars().count();
    let out_chars = output_text.chars().count();
    for m in &det.mentions {
        assert!(m.start < m.end && m.end <= doc_chars, "mention {m:?}");
    }
    for p in &det.passages {
        assert!(
            p.doc_start < p.doc_end && p.doc_end <= doc_chars,
            "passage {p:?}"
        );
        assert!(
            p.output_start < p.output_end && p.output_end <= out_chars,
            "passage {p:?}"
        );
        assert!((0.0..=1.0).contains(&p.similarity), "passage {p:?}");
    }
}
