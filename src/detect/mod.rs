//! Detect: finds references to the tracked outputs ([`references`]) and reused passages of their texts
//! ([`reuse`]) in each document, and marks documents that are copies of an output. Writes nothing.

pub mod references;
pub mod reuse;

use crate::config::DetectConfig;
use crate::records::{Document, Mention, MentionKind, Output, Passage, ThemeMention};
use crate::textutil::tokenize;

pub use references::normalize_url;

/// What detection found in one document.
#[derive(Debug, Default, Clone)]
pub struct Detection {
    pub mentions: Vec<Mention>,
    pub passages: Vec<Passage>,
    /// Shared names found without a year to choose an output.
    pub theme_mentions: Vec<ThemeMention>,
    /// The output this document is a copy of.
    pub copy_of: Option<String>,
}

/// Both indexes over the catalogue, built once per run.
#[derive(Debug)]
pub struct Detector {
    refs: references::ReferenceIndex,
    reuse: reuse::ReuseIndex,
    cfg: DetectConfig,
}

impl Detector {
    /// `texts` pairs an output id with the output's own text (outputs without text take no part in reuse).
    pub fn new(outputs: &[Output], texts: &[(String, String)], cfg: &DetectConfig) -> Detector {
        Detector {
            refs: references::ReferenceIndex::new(outputs),
            reuse: reuse::ReuseIndex::new(texts, cfg),
            cfg: cfg.clone(),
        }
    }

    /// Detects references and reuse in one document.
    pub fn detect(&self, doc: &Document) -> Detection {
        let tokens = tokenize(&doc.text);
        let (mut mentions, theme_mentions) = self.refs.find(doc, &tokens, &self.cfg);
        let mut passages = self.reuse.find(&doc.doc_id, &doc.text, &tokens, &self.cfg);
        // A "passage" that is mostly the output's own title is a reference, not reuse.
        passages.retain(|p| {
            let named: usize = mentions
                .iter()
                .filter(|m| m.output_id == p.output_id && m.kind != MentionKind::Link)
                .map(|m| {
                    m.end
                        .min(p.doc_end)
                        .saturating_sub(m.start.max(p.doc_start))
                })
                .sum();
            named * 2 < p.doc_end - p.doc_start
        });
        // An output's title inside a passage copied from that output is reuse, not a further reference.
        mentions.retain(|m| {
            m.kind == MentionKind::Link
                || !passages.iter().any(|p| {
                    p.output_id == m.output_id && p.doc_start <= m.start && m.end <= p.doc_end
                })
        });
        let copy_of = self
            .refs
            .output_for_url(&doc.url)
            .map(|o| self.refs.id(o).to_string())
            .or_else(|| copy_by_coverage(&passages, &tokens, self.cfg.copy_coverage));
        Detection {
            mentions,
            passages,
            theme_mentions,
            copy_of,
        }
    }
}

/// The output whose passages cover at least `threshold` of the document's words.
fn copy_by_coverage(
    passages: &[Passage],
    tokens: &[crate::textutil::Token],
    threshold: f64,
) -> Option<String> {
    if tokens.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    let mut ids: Vec<&str> = passages.iter().map(|p| p.output_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let covered = tokens
            .iter()
            .filter(|t| {
                passages
                    .iter()
                    .any(|p| p.output_id == id && t.start >= p.doc_start && t.end <= p.doc_end)
            })
            .count();
        let share = covered as f64 / tokens.len() as f64;
        if share >= threshold && best.is_none_or(|(b, _)| share > b) {
            best = Some((share, id));
        }
    }
    best.map(|(_, id)| id.to_string())
}
