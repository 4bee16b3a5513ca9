//! Detect: finds references to the tracked outputs ([`references`]) and reused passages of their texts
//! ([`reuse`]) in each document, and marks documents that are copies of an output. Writes nothing.

pub mod context;
pub mod references;
pub mod reuse;
pub mod vocabulary;

use crate::config::DetectConfig;
use crate::records::{Document, Mention, MentionKind, Output, Passage, ThemeMention};
use crate::textutil::tokenize;
use chrono::NaiveDate;

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
    /// Passages found, before the boilerplate filter and attribution of [`Detector::finish`].
    found: Vec<reuse::Found>,
}

impl Detection {
    /// Whether reuse was found (before [`Detector::finish`]): only then does finishing need the document's text.
    pub fn has_reuse(&self) -> bool {
        !self.found.is_empty()
    }
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
        Detector::with_vocabulary(outputs, texts, cfg, vocabulary::Vocabulary::bundled())
    }

    /// [`Detector::new`] with a catalogue's own vocabulary (see [`vocabulary`]).
    pub fn with_vocabulary(
        outputs: &[Output],
        texts: &[(String, String)],
        cfg: &DetectConfig,
        vocab: vocabulary::Vocabulary,
    ) -> Detector {
        let texts: Vec<reuse::OutputText> = texts
            .iter()
            .map(|(id, text)| {
                let output = outputs.iter().find(|o| &o.id == id);
                reuse::OutputText {
                    id: id.clone(),
                    text: text.clone(),
                    published: output.and_then(|o| {
                        o.published
                            .or_else(|| NaiveDate::from_ymd_opt(o.year, 1, 1))
                    }),
                    names: output
                        .map(|o| {
                            std::iter::once(&o.title)
                                .chain(&o.aliases)
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect();
        Detector {
            refs: references::ReferenceIndex::with_vocabulary(outputs, vocab),
            reuse: reuse::ReuseIndex::new(&texts, cfg),
            cfg: cfg.clone(),
        }
    }

    /// Detects references and reuse in one document. Reuse is final only after [`Detector::finish`], once every
    /// document of the run has been seen.
    pub fn detect(&self, doc: &Document) -> Detection {
        let words = crate::normalize::words(&doc.text);
        // most documents hold no word a reference needs: they are not read for references at all
        let (mentions, theme_mentions) =
            if self.refs.may_cite(&words) || self.refs.links_an_output(doc) {
                let tokens = tokenize(&doc.text);
                self.refs.find(doc, &tokens, &self.cfg)
            } else {
                (Vec::new(), Vec::new())
            };
        let found = self
            .reuse
            .find(&doc.doc_id, &doc.text, &words, doc_date(doc), &self.cfg);
        Detection {
            mentions,
            passages: Vec::new(),
            theme_mentions,
            copy_of: None,
            found,
        }
    }

    /// Completes the detection of one document once every document has been seen: drops boilerplate passages,
    /// settles passages against mentions, and marks the document a copy of an output where it is one.
    pub fn finish(&self, det: &mut Detection, doc: &Document) {
        let filter = self.reuse.boilerplate_filter(&self.cfg);
        let mut passages = filter.apply(std::mem::take(&mut det.found), doc_date(doc));
        let mentions = &mut det.mentions;
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
        det.copy_of = self
            .refs
            .output_for_url(&doc.url)
            .map(|o| self.refs.id(o).to_string())
            .or_else(|| copy_by_coverage(&passages, &doc.text, self.cfg.copy_coverage));
        // An output's title inside a passage copied from that output is reuse, not a further reference (a copy
        // of an output keeps its title: it names what it copies).
        if det.copy_of.is_none() {
            mentions.retain(|m| {
                m.kind == MentionKind::Link
                    || !passages.iter().any(|p| {
                        p.output_id == m.output_id && p.doc_start <= m.start && m.end <= p.doc_end
                    })
            });
        }
        det.passages = passages;
    }
}

fn doc_date(doc: &Document) -> Option<NaiveDate> {
    doc.published.as_ref().map(|d| d.date)
}

/// The output whose passages cover at least `threshold` of the document's text (white space aside).
fn copy_by_coverage(passages: &[Passage], text: &str, threshold: f64) -> Option<String> {
    let chars: Vec<bool> = text.chars().map(char::is_whitespace).collect();
    let total = chars.iter().filter(|w| !**w).count();
    if total == 0 {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    let mut ids: Vec<&str> = passages.iter().map(|p| p.output_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let mut covered = vec![false; chars.len()];
        for p in passages.iter().filter(|p| p.output_id == id) {
            covered[p.doc_start.min(chars.len())..p.doc_end.min(chars.len())].fill(true);
        }
        let n = covered
            .iter()
            .zip(&chars)
            .filter(|(c, w)| **c && !**w)
            .count();
        let share = n as f64 / total as f64;
        if share >= threshold && best.is_none_or(|(b, _)| share > b) {
            best = Some((share, id));
        }
    }
    best.map(|(_, id)| id.to_string())
}
