//! Detecting: the detect stage over a run's documents as they arrive. Each batch goes through the detector's
//! [`Pass`] in parallel; when every document has been seen, the pass is finished and each document's pending
//! result completed. A document's text is needed again only where reuse was found; those texts are kept in
//! memory up to [`KEPT_TEXT_BYTES`], and read from the store beyond that. A `warc` source's `keep` decides, with
//! what the pass found, which of its records are documents of the run at all ([`Keeping`]).

use rayon::prelude::*;

use crate::config::{Config, SourceConfig, WarcKeep};
use crate::detect::{Detector, Pass, Pending};
use crate::records::{Document, Mention, Passage, SkipStage, Skipped, ThemeMention};
use crate::store::Store;

/// Bytes of document text kept in memory between the two passes, at most.
pub const KEPT_TEXT_BYTES: usize = 64 << 20;

/// The `warc` sources that keep only some of their records (`keep = "passed"` or `"found"`), and how many
/// records each did not keep.
pub struct Keeping {
    /// Each such source's name and setting, and the records (count, bytes of text) it did not keep.
    sources: Vec<(String, WarcKeep, usize, usize)>,
}

impl Keeping {
    /// The sources of `cfg` whose `keep` is not `all`.
    pub fn new(cfg: &Config) -> Keeping {
        let sources = cfg
            .sources
            .iter()
            .filter_map(|s| match s {
                SourceConfig::Warc(w) if w.keep != WarcKeep::All => {
                    Some((w.name.clone(), w.keep, 0, 0))
                }
                _ => None,
            })
            .collect();
        Keeping { sources }
    }

    /// Whether document `d`, whose detection so far is `p` (final and empty), is not kept.
    pub fn drops(&self, d: &Document, p: &Pending) -> bool {
        self.sources
            .iter()
            .find(|(name, ..)| *name == d.source)
            .is_some_and(|(_, keep, ..)| *keep == WarcKeep::Found || p.skipped())
    }

    /// Counts documents not kept.
    pub fn count(&mut self, dropped: &[Document]) {
        for d in dropped {
            if let Some(s) = self.sources.iter_mut().find(|(name, ..)| *name == d.source) {
                s.2 += 1;
                s.3 += d.text.len();
            }
        }
    }

    /// A line per source for the closing summary (also logged).
    pub fn notes(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|(name, keep, n, bytes)| {
                let why = match keep {
                    WarcKeep::Found => "nothing found in them",
                    _ => "turned away by the pre-filter",
                };
                let line = format!(
                    "source {name:?}: {n} records ({:.1} MB of text) not kept: {why} (keep = {:?})",
                    *bytes as f64 / 1e6,
                    keep.as_str()
                );
                tracing::info!("{line}");
                line
            })
            .collect()
    }
}

/// What detection found in a run.
#[derive(Debug, Default)]
pub struct Found {
    pub mentions: Vec<Mention>,
    pub passages: Vec<Passage>,
    pub theme_mentions: Vec<ThemeMention>,
}

/// A detect stage under way.
pub struct Detecting<'d> {
    pass: Pass<'d>,
    /// One per document handed in, in order.
    pending: Vec<(Pending, Option<String>)>,
    kept_bytes: usize,
    /// Documents `add` dropped.
    dropped: usize,
}

impl<'d> Detecting<'d> {
    /// Starts detection with `detector`.
    pub fn new(detector: &'d Detector) -> Detecting<'d> {
        Detecting {
            pass: detector.pass(),
            pending: Vec::new(),
            kept_bytes: 0,
            dropped: 0,
        }
    }

    /// Detects in a batch of documents (their texts in memory; each leaves with `text_chars` set and its text in
    /// place, copied where the finish needs it). A document for which `drop` says so, seeing what was found so
    /// far, is taken out of `docs` and handed back: it is no document of the run. `drop` is asked only of
    /// documents whose detection is already final and empty (the pre-filter turned them away, or nothing was
    /// found).
    pub fn add(
        &mut self,
        docs: &mut Vec<Document>,
        drop: &dyn Fn(&Document, &Pending) -> bool,
    ) -> Vec<Document> {
        let pass = &self.pass;
        let results: Vec<Pending> = docs.par_iter().map(|d| pass.detect(d)).collect();
        let mut dropped = Vec::new();
        let mut kept_docs = Vec::with_capacity(docs.len());
        for (mut d, p) in std::mem::take(docs).into_iter().zip(results) {
            if p.found_nothing() && drop(&d, &p) {
                dropped.push(d);
                continue;
            }
            if d.text_chars.is_none() {
                d.text_chars = Some(d.text.chars().count());
            }
            let keep = p.has_reuse() && self.kept_bytes + d.text.len() <= KEPT_TEXT_BYTES;
            if keep {
                self.kept_bytes += d.text.len();
            }
            self.pending.push((p, keep.then(|| d.text.clone())));
            kept_docs.push(d);
        }
        *docs = kept_docs;
        self.dropped += dropped.len();
        dropped
    }

    /// Ends the pass and completes every document's detection; `docs` are the documents handed in, in the
    /// same order (their `copy_of` is set here). Texts not kept are read from `store`.
    pub fn finish(self, docs: &mut [Document], store: &Store) -> Found {
        assert_eq!(
            docs.len(),
            self.pending.len(),
            "finish takes the documents handed in"
        );
        let passed_over = self.pending.iter().filter(|(p, _)| p.skipped()).count();
        if passed_over > 0 {
            tracing::info!(
                "pre-filter: {passed_over} of {} documents kept hold nothing the detector could find; passed over",
                docs.len()
            );
        }
        if self.dropped > 0 {
            tracing::info!(
                "{} records of warc sources not kept (the sources' `keep`)",
                self.dropped
            );
        }
        let finisher = self.pass.finish();
        let detections: Vec<_> = docs
            .par_iter()
            .zip(self.pending)
            .map(|(d, (p, kept))| {
                if !p.has_reuse() {
                    return finisher.finish(p, d);
                }
                let text = kept.or_else(|| match store.doc_text(&d.doc_id) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        tracing::warn!("{e}: passages of {} kept without their text", d.url);
                        None
                    }
                });
                match text {
                    Some(text) => finisher.finish(p, &Document { text, ..d.clone() }),
                    None => finisher.finish(p, d),
                }
            })
            .collect();
        let mut found = Found::default();
        for (d, det) in docs.iter_mut().zip(detections) {
            d.copy_of = det.copy_of;
            found.mentions.extend(det.mentions);
            found.passages.extend(det.passages);
            found.theme_mentions.extend(det.theme_mentions);
        }
        found
    }
}

/// Detects in documents read back from the store (the `detect` command after `crawl`): texts are read a batch
/// at a time, links come from `links`. A document whose text cannot be read is skipped and left out of `docs`.
pub fn detect_stored(
    detector: &Detector,
    docs: &mut Vec<Document>,
    links: &crate::analyse::graph::LinkGraph,
    store: &Store,
    skipped: &mut Vec<Skipped>,
) -> Found {
    let mut detecting = Detecting::new(detector);
    let mut kept = Vec::with_capacity(docs.len());
    let pb = super::progress(docs.len(), "detect");
    let mut all = std::mem::take(docs).into_iter().peekable();
    while all.peek().is_some() {
        let batch: Vec<Document> = all.by_ref().take(super::intake::DOCS_PER_BATCH).collect();
        let read: Vec<Result<Document, Skipped>> = batch
            .into_par_iter()
            .map(|d| match store.doc_text(&d.doc_id) {
                Ok(text) => Ok(Document {
                    text,
                    links: links.link_records(&d.doc_id),
                    ..d
                }),
                Err(e) => {
                    tracing::warn!("{e}: text of {} is missing", d.url);
                    Err(Skipped::new(SkipStage::Detect, &d.location, &e))
                }
            })
            .collect();
        let mut batch = Vec::with_capacity(read.len());
        for r in read {
            match r {
                Ok(d) => batch.push(d),
                Err(s) => skipped.push(s),
            }
        }
        pb.inc(batch.len() as u64);
        detecting.add(&mut batch, &|_, _| false);
        for mut d in batch {
            d.links = Vec::new();
            d.text = String::new();
            kept.push(d);
        }
    }
    pb.finish_and_clear();
    crate::fsutil::checkpoint("detect:documents");
    let found = detecting.finish(&mut kept, store);
    *docs = kept;
    found
}
