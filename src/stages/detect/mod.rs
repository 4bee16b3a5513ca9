//! Detect: finds references to the tracked outputs ([`references`]) and reused passages of their texts
//! ([`reuse`]) in each document, and marks documents that are copies of an output. Writes nothing. A
//! [`prefilter`] first sends on only the documents in which anything can be found.

pub mod context;
pub mod prefilter;
pub mod references;
pub mod reuse;
pub mod vocabulary;

use crate::config::DetectConfig;
use crate::records::{Document, Mention, MentionKind, Output, Passage, ThemeMention};
use crate::textutil::tokenize;
use chrono::NaiveDate;

pub use references::normalize_url;

/// What detection found in one document, once the run's pass is finished.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Detection {
    pub mentions: Vec<Mention>,
    pub passages: Vec<Passage>,
    /// Shared names found without a year to choose an output.
    pub theme_mentions: Vec<ThemeMention>,
    /// The output this document is a copy of.
    pub copy_of: Option<String>,
}

/// What the first look at one document found, waiting for the run's pass to end: only a [`Finisher`] (which
/// exists once every document went through [`Pass::detect`]) turns it into a [`Detection`].
#[derive(Debug, Default)]
pub struct Pending {
    mentions: Vec<Mention>,
    theme_mentions: Vec<ThemeMention>,
    /// Passages found, before the site-template filter and attribution of [`Finisher::finish`].
    found: Vec<reuse::Found>,
    /// The document's site and length in characters, where passages were found (for the template filter).
    site: Option<(u64, usize)>,
    /// The pre-filter found nothing the detector could start from: the detection is empty.
    skipped: bool,
}

impl Pending {
    /// Whether reuse was found: only then does finishing need the document's text.
    pub fn has_reuse(&self) -> bool {
        !self.found.is_empty()
    }

    /// References found so far (final unless reuse was found too).
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// Shared names found without a year to choose an output.
    pub fn theme_mentions(&self) -> &[ThemeMention] {
        &self.theme_mentions
    }

    /// Whether the pre-filter sent the document past the detector (its detection is empty).
    pub fn skipped(&self) -> bool {
        self.skipped
    }

    /// Nothing found, not even a candidate passage: the detection is final and empty (finishing can add nothing
    /// to it).
    pub fn found_nothing(&self) -> bool {
        self.mentions.is_empty() && self.theme_mentions.is_empty() && self.found.is_empty()
    }
}

/// Both indexes over the catalogue, built once per run. Detection runs in a [`Pass`] over the run's documents;
/// the pass ends in a [`Finisher`], which completes each document's [`Pending`] result. The order is in the
/// types: a pending result cannot be finished while the pass can still see documents, since finishing takes the
/// pass by value.
#[derive(Debug)]
pub struct Detector {
    refs: references::ReferenceIndex,
    reuse: reuse::ReuseIndex,
    cfg: DetectConfig,
    /// The first look at each document, unless `cfg.prefilter` is off.
    prefilter: Option<prefilter::Prefilter>,
}

/// One pass of a [`Detector`] over the documents of a run. [`Pass::detect`] takes `&self`, so documents may go
/// through it from many threads.
#[derive(Debug)]
pub struct Pass<'d> {
    detector: &'d Detector,
    /// Passages by place on a site's pages, to find templates; see [`SiteTemplates`].
    templates: SiteTemplates,
}

/// A finished [`Pass`]: what every document of the run showed is known, so each document's result can be
/// completed.
#[derive(Debug)]
pub struct Finisher<'d> {
    detector: &'d Detector,
    templates: SiteTemplates,
}

/// Where a passage stands on a page of a site: the site (host), the passage's text and output, and its
/// distance from the start or from the end of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Place {
    site: u64,
    text: u64,
    output: u64,
    from_start: bool,
    offset: usize,
}

/// Counts of pages holding each passage at each place: the same passage at the same place on several pages of
/// one site is a template, footer or navigation. Grows with the passages found (about 100 bytes each), not
/// with the documents.
#[derive(Debug, Default)]
struct SiteTemplates {
    pages: std::sync::Mutex<std::collections::HashMap<Place, u32>>,
}

impl SiteTemplates {
    fn places(site: u64, chars: usize, f: &reuse::Found) -> [Place; 2] {
        let output = hash_str(&f.passage.output_id);
        let at = |from_start, offset| Place {
            site,
            text: f.text_hash,
            output,
            from_start,
            offset,
        };
        [
            at(true, f.passage.doc_start),
            at(false, chars.saturating_sub(f.passage.doc_end)),
        ]
    }

    fn record(&self, site: u64, chars: usize, found: &[reuse::Found]) {
        let mut places: Vec<Place> = found
            .iter()
            .flat_map(|f| Self::places(site, chars, f))
            .collect();
        places.sort_unstable_by_key(|p| (p.text, p.output, p.from_start, p.offset));
        places.dedup();
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        for p in places {
            *pages.entry(p).or_default() += 1;
        }
    }

    /// Whether `f` stands at the same place on `min_pages` pages of the site. A passage that makes up half its
    /// page or more is the page's content (a copy of an output in several formats), never a template.
    fn is_template(&self, site: u64, chars: usize, f: &reuse::Found, min_pages: usize) -> bool {
        if (f.passage.doc_end - f.passage.doc_start) * 2 >= chars {
            return false;
        }
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        Self::places(site, chars, f)
            .iter()
            .any(|p| pages.get(p).is_some_and(|&n| n as usize >= min_pages))
    }
}

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The site a document belongs to: its URL's host, or its source's name for documents without one.
fn site_of(doc: &Document) -> u64 {
    let host = url::Url::parse(&doc.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    match host {
        Some(h) if !h.is_empty() => hash_str(&h),
        _ => hash_str(&format!("source:{}", doc.source)),
    }
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
        let refs = references::ReferenceIndex::with_vocabulary(outputs, vocab);
        let reuse = reuse::ReuseIndex::new(&texts, cfg);
        let prefilter = cfg.prefilter.then(|| prefilter::Prefilter::new(&refs));
        Detector {
            refs,
            reuse,
            cfg: cfg.clone(),
            prefilter,
        }
    }

    /// What the pre-filter sees in `doc` (see [`prefilter`]), or `None` when it is off.
    pub fn prefilter_look(&self, doc: &Document) -> Option<prefilter::Look> {
        let p = self.prefilter.as_ref()?;
        SCRATCH.with_borrow_mut(|s| Some(self.look(p, doc, s)))
    }

    /// One pass over `doc`'s text into `scratch` (its words and shingle lookups), and what the pre-filter `p`
    /// sees in it.
    fn look(
        &self,
        p: &prefilter::Prefilter,
        doc: &Document,
        scratch: &mut Scratch,
    ) -> prefilter::Look {
        let (words, probe) = scratch;
        self.reuse.scan(&doc.text, words, probe);
        p.look(&self.refs, &self.reuse, &self.cfg, doc, words, probe)
    }

    /// Starts a pass over the documents of a run.
    pub fn pass(&self) -> Pass<'_> {
        Pass {
            detector: self,
            templates: SiteTemplates::default(),
        }
    }

    /// Detects references and reuse in a few documents at once: one pass over `docs`, finished. For tests,
    /// benchmarks and fuzzing; a run passes its documents through [`Detector::pass`] as they arrive.
    pub fn detect_all(&self, docs: &[Document]) -> Vec<Detection> {
        let pass = self.pass();
        let pending: Vec<Pending> = docs.iter().map(|d| pass.detect(d)).collect();
        let finisher = pass.finish();
        pending
            .into_iter()
            .zip(docs)
            .map(|(p, d)| finisher.finish(p, d))
            .collect()
    }
}

/// What the pre-filter's look already answered about a document, so that detection does not ask again (`None`:
/// not asked).
#[derive(Debug, Default, Clone, Copy)]
struct Known {
    /// Whether [`references::ReferenceIndex::may_cite_text`] passes it.
    may_cite: Option<bool>,
    /// Whether one of its links is an output's URL ([`references::ReferenceIndex::links_an_output`]).
    links_an_output: Option<bool>,
    /// Whether its shingles may seed a passage ([`reuse::ReuseIndex::may_seed`]: if not, reuse finds nothing).
    may_seed: Option<bool>,
}

impl From<prefilter::Look> for Known {
    /// The look asks in this order and stops at the first yes: its address and links, its seeds, its names.
    fn from(look: prefilter::Look) -> Known {
        use prefilter::Look;
        match look {
            Look::Address | Look::Nothing => Known::default(),
            Look::Seed => Known {
                may_cite: None,
                links_an_output: Some(false),
                may_seed: Some(true),
            },
            Look::Name => Known {
                may_cite: Some(true),
                links_an_output: Some(false),
                may_seed: Some(false),
            },
        }
    }
}

/// The words and shingle lookups of the document at hand.
type Scratch = (Vec<crate::normalize::Word>, reuse::Probe);

thread_local! {
    /// The [`Scratch`] of the document at hand, in memory kept from one document to the next.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Default::default());
}

impl<'d> Pass<'d> {
    /// The first look at one document: references, and passages of the outputs' texts. Reuse is final only
    /// after [`Finisher::finish`], once every document of the run has been seen.
    pub fn detect(&self, doc: &Document) -> Pending {
        let detector = self.detector;
        SCRATCH.with_borrow_mut(|scratch| {
            // one pass over the text: its words, and each shingle looked up in the reuse index's filter; a
            // document the pre-filter turns away goes no further
            let pending = match &detector.prefilter {
                Some(p) => match detector.look(p, doc, scratch) {
                    prefilter::Look::Nothing => Pending {
                        skipped: true,
                        ..Pending::default()
                    },
                    look => self.detect_words(doc, &scratch.0, &mut scratch.1, Known::from(look)),
                },
                None => {
                    let (words, probe) = scratch;
                    detector.reuse.scan(&doc.text, words, probe);
                    self.detect_words(doc, words, probe, Known::default())
                }
            };
            // a huge document does not keep its memory for the rest of the run
            if scratch.0.capacity() > 1 << 20 {
                scratch.0 = Vec::new();
            }
            pending
        })
    }

    fn detect_words(
        &self,
        doc: &Document,
        words: &[crate::normalize::Word],
        probe: &mut reuse::Probe,
        known: Known,
    ) -> Pending {
        let Pass {
            detector,
            templates,
        } = self;
        let Detector {
            refs, reuse, cfg, ..
        } = detector;
        // most documents hold no word a reference needs: they are not read for references at all
        let may_cite = known
            .may_cite
            .unwrap_or_else(|| refs.may_cite_text(&doc.text, words, cfg));
        let links_an_output = || {
            known
                .links_an_output
                .unwrap_or_else(|| refs.links_an_output(doc))
        };
        let (mentions, theme_mentions) = if may_cite || links_an_output() {
            let tokens = tokenize(&doc.text);
            refs.find(doc, &tokens, cfg)
        } else {
            (Vec::new(), Vec::new())
        };
        // a document none of whose shingles passed the filter holds no seed, and one whose seeds the look found
        // too few or too far apart grows no passage: nothing more to build
        let found = if probe.is_empty() || known.may_seed == Some(false) {
            Vec::new()
        } else {
            reuse.find_probed(&doc.doc_id, &doc.text, words, probe, || doc_date(doc), cfg)
        };
        let site = (!found.is_empty()).then(|| (site_of(doc), doc.text.chars().count()));
        if let Some((site, chars)) = site {
            if cfg.boilerplate_site_pages > 0 {
                templates.record(site, chars, &found);
            }
        }
        Pending {
            mentions,
            theme_mentions,
            found,
            site,
            skipped: false,
        }
    }

    /// Ends the pass: no document can be added after this.
    pub fn finish(self) -> Finisher<'d> {
        Finisher {
            detector: self.detector,
            templates: self.templates,
        }
    }
}

impl Finisher<'_> {
    /// Completes the detection of one document once every document has been seen: drops passages that stand
    /// at the same place on `boilerplate_site_pages` pages of the document's site (templates), attributes each
    /// covered character to one best source, settles passages against mentions, and marks the document a copy
    /// of an output where it is one.
    pub fn finish(&self, pending: Pending, doc: &Document) -> Detection {
        let Finisher {
            detector,
            templates,
        } = self;
        let Pending {
            mut mentions,
            theme_mentions,
            mut found,
            site,
            skipped,
        } = pending;
        if skipped {
            // nothing to start from, and the document's address is no output's: what the rest would give
            return Detection::default();
        }
        if let Some((site, chars)) = site {
            let min_pages = detector.cfg.boilerplate_site_pages;
            if min_pages > 0 {
                found.retain(|f| !templates.is_template(site, chars, f, min_pages));
            }
        }
        let filter = detector.reuse.boilerplate_filter(&detector.cfg);
        let mut passages = filter.apply_with_text(found, doc_date(doc), &doc.text);
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
        let copy_of = detector
            .refs
            .output_for_url(&doc.url)
            .map(|o| detector.refs.id(o).to_string())
            .or_else(|| copy_by_coverage(&passages, &doc.text, detector.cfg.copy_coverage));
        // An output's title inside a passage copied from that output is reuse, not a further reference (a copy
        // of an output keeps its title: it names what it copies).
        if copy_of.is_none() {
            mentions.retain(|m| {
                m.kind == MentionKind::Link
                    || !passages.iter().any(|p| {
                        p.output_id == m.output_id && p.doc_start <= m.start && m.end <= p.doc_end
                    })
            });
        }
        Detection {
            mentions,
            passages,
            theme_mentions,
            copy_of,
        }
    }
}

/// The byte offset of character `n` of `text` (its length for the character after the last), or `None` beyond;
/// an ASCII start of the text is skipped a run at a time.
pub(crate) fn char_to_byte(text: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if n <= bytes.len() && bytes[..n].is_ascii() {
        return Some(n);
    }
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .nth(n)
}

/// The document's date, its first page read where extraction left that for later
/// ([`crate::extract::document_date`]).
fn doc_date(doc: &Document) -> Option<NaiveDate> {
    crate::extract::document_date(doc)
}

/// Length of the ASCII bytes at the start of `bytes`, sixteen bytes at a time.
fn ascii_prefix(bytes: &[u8]) -> usize {
    let whole = bytes.chunks_exact(16).take_while(|c| c.is_ascii()).count() * 16;
    whole + bytes[whole..].iter().take_while(|b| b.is_ascii()).count()
}

/// The output whose passages cover at least `threshold` of the document's text (white space aside). One pass
/// over the text counts the characters that are not white space up to each passage's edges.
fn copy_by_coverage(passages: &[Passage], text: &str, threshold: f64) -> Option<String> {
    if passages.is_empty() {
        return None;
    }
    let mut edges: Vec<usize> = passages
        .iter()
        .flat_map(|p| [p.doc_start, p.doc_end])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    // `counted[i]`: characters other than white space before character `edges[i]` (or in the whole text); a
    // run of ASCII is counted without stepping through it character by character
    let mut counted = Vec::with_capacity(edges.len() + 1);
    let bytes = text.as_bytes();
    let (mut at, mut chars, mut total) = (0usize, 0usize, 0usize);
    for &edge in edges.iter().chain([usize::MAX].iter()) {
        while chars < edge && at < bytes.len() {
            // at most `edge - chars` characters ahead: no more bytes than that
            let ahead = &bytes[at..at + (edge - chars).min(bytes.len() - at)];
            let ascii = ascii_prefix(ahead);
            total += ahead[..ascii]
                .iter()
                .filter(|&&b| !matches!(b, b' ' | b'\t'..=b'\r'))
                .count();
            chars += ascii;
            at += ascii;
            if ascii < ahead.len() {
                let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else {
                    break; // (`at` always stands at a character's first byte)
                };
                total += !c.is_whitespace() as usize;
                chars += 1;
                at += c.len_utf8();
            }
        }
        counted.push(total);
    }
    counted.pop(); // the whole text's
    if total == 0 {
        return None;
    }
    let before = |at: usize| counted[edges.binary_search(&at).expect("an edge")];
    let mut best: Option<(f64, &str)> = None;
    let mut ids: Vec<&str> = passages.iter().map(|p| p.output_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let mut spans: Vec<(usize, usize)> = passages
            .iter()
            .filter(|p| p.output_id == id && p.doc_start < p.doc_end)
            .map(|p| (p.doc_start, p.doc_end))
            .collect();
        spans.sort_unstable();
        let mut n = 0;
        let mut open: Option<(usize, usize)> = None;
        for (a, b) in spans {
            match open {
                Some((x, y)) if a <= y => open = Some((x, y.max(b))),
                _ => {
                    if let Some((x, y)) = open {
                        n += before(y) - before(x);
                    }
                    open = Some((a, b));
                }
            }
        }
        if let Some((x, y)) = open {
            n += before(y) - before(x);
        }
        let share = n as f64 / total as f64;
        if share >= threshold && best.is_none_or(|(b, _)| share > b) {
            best = Some((share, id));
        }
    }
    best.map(|(_, id)| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The measure as it was written first: a flag per character and per output.
    fn copy_by_flags(passages: &[Passage], text: &str, threshold: f64) -> Option<String> {
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

    #[test]
    fn copy_coverage_counts_what_a_flag_per_character_counts() {
        let mut rng = fastrand::Rng::with_seed(14);
        let pieces = [
            "word ", "é", "\n\n", "  ", "ﬁ", "x", "\t", "\u{a0}", "\u{3000}", "\u{85}", "\x0b",
            "\x0c", "\r", "\x1c",
        ];
        for round in 0..2000 {
            let text: String = (0..rng.usize(0..60))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let chars = text.chars().count();
            let passages: Vec<Passage> = (0..rng.usize(0..6))
                .map(|_| {
                    let a = rng.usize(0..chars + 5);
                    Passage {
                        doc_id: "d".into(),
                        output_id: ["a", "b", "c"][rng.usize(..3)].into(),
                        doc_start: a,
                        doc_end: a + rng.usize(0..30),
                        output_start: 0,
                        output_end: 0,
                        similarity: 1.0,
                        snippet: String::new(),
                        blocks: 1,
                        best_source: true,
                    }
                })
                .collect();
            let threshold = [0.0, 0.3, 0.6, 0.9][round % 4];
            assert_eq!(
                copy_by_coverage(&passages, &text, threshold),
                copy_by_flags(&passages, &text, threshold),
                "{text:?} {passages:?}"
            );
        }
    }
}
