//! The outputs' own texts, which reuse is measured against. Each output's parts are read in the catalogue's
//! order (files from disk, URLs as the crawl fetched them) and extracted like any document; the parts are joined
//! into one text, and each part's place in it is kept (the `output_texts` table). An output whose catalogue entry
//! gives no text takes the text of a document that a source crawled at one of its `urls`. An output left without
//! any text has no reuse measured, which the report and the run summary say.

use std::collections::HashMap;

use crate::crawl::{content_type_for, file_url, CachedDoc, CrawlOutcome};
use crate::extract::extract;
use crate::records::{
    Output, Overrides, RawDoc, SkipStage, Skipped, TextFrom, TextPart, TextSource,
};
use crate::textutil::normalize_url;

/// Text between two parts of one output.
const PART_SEPARATOR: &str = "\n\n";

/// The outputs' texts of one run.
#[derive(Debug, Default)]
pub struct OutputTexts {
    /// Output id and its whole text, for outputs that have one.
    pub texts: Vec<(String, String)>,
    /// Where each part came from and where it sits in its output's text.
    pub parts: Vec<TextPart>,
}

/// Reads every output's text: the catalogue's files and fetched URLs (taken from `crawled.output_texts`), else a
/// crawled document at one of the output's addresses. A part that cannot be read is skipped and named.
pub fn output_texts(
    outputs: &[Output],
    crawled: &mut CrawlOutcome,
    skipped: &mut Vec<Skipped>,
) -> OutputTexts {
    let mut fetched: HashMap<(String, u32), CachedDoc> = crawled
        .output_texts
        .drain(..)
        .map(|t| ((t.output_id, t.part), t.doc))
        .collect();
    let mut result = OutputTexts::default();
    for o in outputs {
        let mut pieces: Vec<(u32, String, TextFrom, String)> = Vec::new();
        for (i, source) in o.texts.iter().enumerate() {
            let part = i as u32;
            let location = source.location();
            let raw = match source {
                TextSource::File(path) => match std::fs::read(path) {
                    Ok(bytes) => Ok(RawDoc {
                        url: file_url(path),
                        content_type_hint: content_type_for(path).map(str::to_string),
                        ..raw_doc(o, part, &location, bytes)
                    }),
                    Err(e) => Err(format!("cannot read: {e}")),
                },
                // not fetched: the crawl has already named it
                TextSource::Url(_) => match fetched.remove(&(o.id.clone(), part)) {
                    None => continue,
                    Some(doc) => doc.load().map_err(|e| e.to_string()),
                },
            };
            let from = match source {
                TextSource::File(_) => TextFrom::File,
                TextSource::Url(_) => TextFrom::Url,
            };
            match raw.map(|r| extract(&r).map_err(|e| e.to_string())) {
                Ok(Ok(d)) => pieces.push((part, location, from, d.text)),
                Ok(Err(e)) | Err(e) => {
                    tracing::warn!("{location}: the text of output {} is skipped: {e}", o.id);
                    skipped.push(Skipped {
                        stage: SkipStage::Catalogue,
                        location,
                        reason: format!("text of output {}: {e}", o.id),
                    });
                }
            }
        }
        if o.texts.is_empty() {
            if let Some((location, text)) = crawled_text(o, crawled) {
                pieces.push((0, location, TextFrom::Crawled, text));
            }
        }
        if pieces.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut at = 0u64;
        for (part, location, from, piece) in pieces {
            if !text.is_empty() {
                text.push_str(PART_SEPARATOR);
                at += PART_SEPARATOR.chars().count() as u64;
            }
            let chars = piece.chars().count() as u64;
            text.push_str(&piece);
            result.parts.push(TextPart {
                output_id: o.id.clone(),
                part,
                location,
                from,
                start: at,
                end: at + chars,
            });
            at += chars;
        }
        result.texts.push((o.id.clone(), text));
    }
    result
}

fn raw_doc(o: &Output, part: u32, location: &str, bytes: Vec<u8>) -> RawDoc {
    RawDoc {
        source: crate::crawl::CATALOGUE_TEXTS.into(),
        key: format!("catalogue/{}/{part}", o.id),
        url: location.to_string(),
        location: location.to_string(),
        bytes,
        content_type_hint: None,
        overrides: Overrides::default(),
        linked_from: None,
        other_urls: Vec::new(),
        fallback_date: None,
        found_by: None,
        warc: None,
    }
}

/// The text of the first crawled document found at one of `o`'s addresses, with that document's URL.
fn crawled_text(o: &Output, crawled: &CrawlOutcome) -> Option<(String, String)> {
    let wanted: Vec<String> = o.urls.iter().map(|u| normalize_url(u)).collect();
    if wanted.is_empty() {
        return None;
    }
    let doc = crawled
        .docs
        .iter()
        .chain(&crawled.cached)
        .find(|d| d.urls().any(|u| wanted.contains(&normalize_url(u))))?;
    let location = doc.location().to_string();
    let text = doc
        .clone()
        .load()
        .map_err(|e| e.to_string())
        .and_then(|r| extract(&r).map_err(|e| e.to_string()));
    match text {
        Ok(d) if !d.text.trim().is_empty() => {
            tracing::info!(
                "output {}: the catalogue gives no text; the document crawled at {location} is its text",
                o.id
            );
            Some((d.url, d.text))
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(
                "{location}: cannot be read as the text of output {}: {e}",
                o.id
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(id: &str, texts: Vec<TextSource>) -> Output {
        Output {
            id: id.into(),
            year: 2016,
            title: "A title".into(),
            theme: None,
            theme_aliases: Vec::new(),
            aliases: Vec::new(),
            urls: Vec::new(),
            texts,
            published: None,
        }
    }

    #[test]
    fn parts_are_joined_in_order_with_their_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.md");
        std::fs::write(&a, "First part, the executive summary.").unwrap();
        std::fs::write(&b, "Second part, the report itself.").unwrap();
        let missing = dir.path().join("gone.txt");
        let outputs = [output(
            "x",
            vec![
                TextSource::File(a),
                TextSource::File(missing),
                TextSource::File(b),
            ],
        )];
        let mut skipped = Vec::new();
        let t = output_texts(&outputs, &mut CrawlOutcome::default(), &mut skipped);
        let text = &t.texts[0].1;
        assert_eq!(t.parts.len(), 2);
        let chars: Vec<char> = text.chars().collect();
        let span = |p: &TextPart| {
            chars[p.start as usize..p.end as usize]
                .iter()
                .collect::<String>()
        };
        assert!(span(&t.parts[0]).starts_with("First part"));
        assert!(span(&t.parts[1]).starts_with("Second part"));
        assert_eq!((t.parts[0].part, t.parts[1].part), (0, 2));
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].location.ends_with("gone.txt"));
        assert!(skipped[0].reason.contains("text of output x"));
    }

    #[test]
    fn an_output_without_text_has_no_entry() {
        let t = output_texts(
            &[output("y", Vec::new())],
            &mut CrawlOutcome::default(),
            &mut Vec::new(),
        );
        assert!(t.texts.is_empty() && t.parts.is_empty());
    }
}
