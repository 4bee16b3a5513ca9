//! Reuse: passages of an output's text found again in a document.
//!
//! The outputs' texts are normalised ([`crate::normalize`]) and every run of `shingle_words` words (a shingle)
//! is hashed into an index once per run. A document streams past it: each of its shingles is looked up (a bit
//! filter answers most misses without touching the table), and hits become seeds `(document word, output word)`.
//! Per output, seeds are chained into blocks that move forward on both sides (gaps of a few words), each block
//! is extended at both edges by a greedy alignment, and only then are blocks merged into passages, where they
//! are consistent on the output side ([`reuse_assemble`](self) explains the rules and the attribution of each
//! document character to one best source). Similarity is 1 minus the word-level Levenshtein distance (strsim)
//! over the aligned part. Offsets are characters of the original texts.
//!
//! Boilerplate is judged by provenance, never by how many documents or outputs hold a text: shingles made only
//! of common words, shingles of known legal or licence text (`boilerplate_texts`), and shingles repeated many
//! times within the outputs or within one document seed nothing; text several outputs share seeds a passage of
//! each, and attribution picks one; passages found in the same place of several pages of one site (a template,
//! footer or navigation) are dropped by [`crate::detect::Detector::finish`].

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use chrono::NaiveDate;

use crate::config::DetectConfig;
use crate::normalize::{self, Word};
use crate::records::Passage;

#[path = "reuse_align.rs"]
mod align;
#[path = "reuse_assemble.rs"]
mod assemble;
#[path = "reuse_blocks.rs"]
mod blocks;
#[path = "reuse_seeds.rs"]
mod seeds;
#[path = "reuse_table.rs"]
mod table;
use align::{block_distance, extend, word_distance};
use assemble::{Candidate, Span};
use blocks::Blocks;
use table::{filter_bits, prefetch, Entry, IdHasher, Table};

/// Longest passage snippet kept for the tables and the report, in characters.
const SNIPPET_MAX_CHARS: usize = 400;
/// A shingle repeated more often than this within the outputs seeds nothing.
const MAX_POSTINGS: usize = 16;
/// A shingle repeated more often than this within one document (a running header) seeds nothing there.
const MAX_DOC_REPEATS: usize = 8;
/// A word making up this share of the outputs' words or more is common; shingles of common words only (`of the
/// use of`) seed nothing.
const COMMON_WORD_SHARE: f64 = 0.002;
/// ... and occurs at least this often (small catalogues have no common words).
const MIN_COMMON_COUNT: u32 = 20;
/// Largest gap between two seeds chained into one block, in words (blocks are merged into passages later,
/// with gaps up to `max_gap_words`).
const CHAIN_GAP: usize = 8;

/// A hash of a run of words: what a passage's text is known by ([`Found::text_hash`]; the index has its own,
/// [`shingle_key`]).
fn shingle_hash(words: &[Word]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for w in words {
        h = (h.rotate_left(23) ^ w.hash).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 31)
}

/// The odd multiplier of [`shingle_key`]'s polynomial.
const KEY_MUL: u64 = 0x9e37_79b9_7f4a_7c15;

/// The index's hash of one shingle (the same in the index and in a document): its words' hashes as the
/// coefficients of a polynomial in [`KEY_MUL`] (the first word's the highest power), wrapping, folded. Unlike
/// [`shingle_hash`], it rolls: [`Rolling`] gives each next shingle's from the last one's in two multiplications.
fn shingle_key(words: &[Word]) -> u64 {
    let raw = words
        .iter()
        .fold(0u64, |h, w| h.wrapping_mul(KEY_MUL).wrapping_add(w.hash));
    fold_key(raw)
}

/// The last step of [`shingle_key`]: the high bits mixed into the low ones (which pick the filter's bits and
/// the table's slot).
#[inline]
fn fold_key(raw: u64) -> u64 {
    raw ^ (raw >> 31)
}

/// [`shingle_key`] of each run of `k` words as the words come, one at a time.
struct Rolling {
    raw: u64,
    /// `KEY_MUL` to the power `k`: the weight of the word that leaves the window as the next comes in.
    out_mul: u64,
}

impl Rolling {
    fn new(k: usize) -> Rolling {
        Rolling {
            raw: 0,
            out_mul: (0..k).fold(1u64, |m, _| m.wrapping_mul(KEY_MUL)),
        }
    }

    /// Word hash `new` comes in and `old` (0 while fewer than `k` words came before) leaves: the key of the
    /// last `k` words (once `k` have come).
    #[inline]
    fn push(&mut self, new: u64, old: u64) -> u64 {
        self.raw = self
            .raw
            .wrapping_mul(KEY_MUL)
            .wrapping_add(new)
            .wrapping_sub(old.wrapping_mul(self.out_mul));
        fold_key(self.raw)
    }
}

/// [`shingle_key`] of every run of `k` words of `words`, into `out`.
fn shingle_keys(words: &[Word], k: usize, out: &mut Vec<u64>) {
    let mut roll = Rolling::new(k);
    for (i, w) in words.iter().enumerate() {
        let old = match i.checked_sub(k) {
            Some(j) => words[j].hash,
            None => 0,
        };
        let h = roll.push(w.hash, old);
        if i + 1 >= k {
            out.push(h);
        }
    }
}

/// Shingles looked up ahead of the one tested (their filter words are asked for from memory first).
const PROBE_AHEAD: usize = 16;

/// One document's shingle lookups: what [`ReuseIndex::scan`] or [`ReuseIndex::probe_words`] found in the
/// index's filter, for [`ReuseIndex::find_probed`]. Kept from one document to the next, its memory is reused.
#[derive(Debug, Default)]
pub struct Probe {
    /// The hash of every shingle, by its first word.
    hashes: Vec<u64>,
    /// `(hash, document word)` of the shingles through the filter.
    maybe: Vec<(u64, u32)>,
    /// `(entry's first posting, document word, entry's postings)` of the shingles in the table.
    hits: Vec<(u32, u32, u32)>,
    /// `hits` are those of `maybe` (in the order of `maybe`).
    looked_up: bool,
    /// The entries of `hits`, sorted (to find those repeated within the document).
    firsts: Vec<u32>,
    /// Per output: its seeds in the document, sorted by document word (then output word).
    by_output: Vec<Vec<Seed>>,
    /// The outputs whose `by_output` list is not empty.
    touched: Vec<u32>,
    /// The memory of assembling the passages of the output at hand.
    assembly: Assembly,
}

/// The memory of assembling one output's passages in one document.
#[derive(Debug, Default)]
struct Assembly {
    /// The output's blocks.
    blocks: Blocks,
    /// The blocks, extended, as spans.
    spans: Vec<Span>,
    /// Spans merged into passages.
    merging: assemble::Merging,
}

impl Probe {
    /// Whether no shingle passed the filter: the document holds no seed.
    pub fn is_empty(&self) -> bool {
        self.maybe.is_empty()
    }

    /// A huge document does not keep its memory for the rest of the run.
    fn shrink_if_huge(&mut self) {
        if self.hashes.capacity() > 1 << 20 {
            self.hashes = Vec::new();
        }
        if self.maybe.capacity() > 1 << 20 {
            self.maybe = Vec::new();
        }
        if self.hits.capacity() > 1 << 20 {
            self.hits = Vec::new();
        }
        if self.firsts.capacity() > 1 << 20 {
            self.firsts = Vec::new();
        }
        for list in &mut self.by_output {
            if list.capacity() > 1 << 20 {
                *list = Vec::new();
            }
        }
    }
}

/// One output's text to index.
#[derive(Debug, Clone, Default)]
pub struct OutputText {
    pub id: String,
    pub text: String,
    /// Publication date (the catalogue's, or 1 January of its year), for attribution.
    pub published: Option<NaiveDate>,
    /// The output's title and aliases: shingles made only of a name seed nothing (a name is a reference, which
    /// [`crate::detect::references`] finds).
    pub names: Vec<String>,
}

/// One output's text as the index keeps it.
#[derive(Debug)]
struct IndexedOutput {
    id: String,
    words: Vec<Word>,
    /// Publication date (the catalogue's, or 1 January of its year), for attribution.
    published: Option<NaiveDate>,
}

/// The outputs' texts, normalised, with an index of their shingles.
#[derive(Debug)]
pub struct ReuseIndex {
    k: usize,
    outputs: Vec<IndexedOutput>,
    table: Table,
    /// Number of entries (shingles that can seed).
    entries: usize,
    /// `(output, word position)` of every indexed shingle, grouped by entry.
    postings: Vec<(u32, u32)>,
    /// A blocked Bloom filter: three bits in one 64-bit word per shingle; a clear bit means no indexed shingle
    /// has that hash. Answers most lookups of unrelated text from one cache line.
    filter: Vec<u64>,
    filter_shift: u32,
}

/// A passage of one output found in one document, before attribution ([`BoilerplateFilter::apply`]): the
/// passage over its whole span (`best_source` says whether it is the best source of some of its text among the
/// passages found in the document), with its aligned segments.
#[derive(Debug, Clone)]
pub struct Found {
    pub passage: Passage,
    cand: Candidate,
    /// Hash of the document's normalised words over the passage (the same text on several pages of a site).
    pub(crate) text_hash: u64,
}

/// Seeds of one output in one document: document word, output word, index entry (its first posting).
type Seed = (u32, u32, u32);

impl ReuseIndex {
    /// Indexes the outputs' texts.
    pub fn new(texts: &[OutputText], cfg: &DetectConfig) -> ReuseIndex {
        let k = cfg.shingle_words.max(1);
        let all: Vec<Vec<Word>> = texts.iter().map(|t| normalize::words(&t.text)).collect();
        let mut freq: HashMap<u64, u32, BuildHasherDefault<IdHasher>> = HashMap::default();
        for w in all.iter().flatten() {
            *freq.entry(w.hash).or_default() += 1;
        }
        let total: usize = all.iter().map(Vec::len).sum();
        let common_min = ((total as f64 * COMMON_WORD_SHARE) as u32).max(MIN_COMMON_COUNT);
        let common = |w: &Word| freq.get(&w.hash).is_some_and(|&n| n >= common_min);
        let mut outputs = Vec::with_capacity(texts.len());
        let mut raw: HashMap<u64, Vec<(u32, u32)>, BuildHasherDefault<IdHasher>> =
            HashMap::default();
        // shingles of known legal and licence text seed nothing
        let legal: std::collections::HashSet<u64> = cfg
            .boilerplate_texts
            .iter()
            .flat_map(|t| {
                let w = normalize::words(t);
                w.windows(k).map(shingle_key).collect::<Vec<_>>()
            })
            .collect();
        for (oi, (t, words)) in texts.iter().zip(all).enumerate() {
            let names: std::collections::HashSet<u64> = t
                .names
                .iter()
                .flat_map(|n| {
                    let w = normalize::words(n);
                    w.windows(k).map(shingle_key).collect::<Vec<_>>()
                })
                .collect();
            for (pos, w) in words.windows(k).enumerate() {
                let h = shingle_key(w);
                if !names.contains(&h) && !legal.contains(&h) && !w.iter().all(common) {
                    raw.entry(h).or_default().push((oi as u32, pos as u32));
                }
            }
            outputs.push(IndexedOutput {
                id: t.id.clone(),
                words,
                published: t.published,
            });
        }
        let mut table = Table::with_capacity(raw.len());
        let mut entries = 0;
        let mut postings = Vec::new();
        let bits = (raw.len() * 8).next_power_of_two().max(1 << 16);
        let filter_shift = 64 - (bits / 64).trailing_zeros();
        let mut filter = vec![0u64; bits / 64];
        for (h, list) in raw {
            if list.len() > MAX_POSTINGS {
                continue;
            }
            table.insert(
                h,
                Entry {
                    first: postings.len() as u32,
                    len: list.len() as u32,
                },
            );
            entries += 1;
            postings.extend(list);
            filter[(h >> filter_shift) as usize] |= filter_bits(h);
        }
        ReuseIndex {
            k,
            outputs,
            table,
            entries,
            postings,
            filter,
            filter_shift,
        }
    }

    /// Number of shingles that can seed a passage.
    pub fn shingles(&self) -> usize {
        self.entries
    }

    /// Whether the filter lets `h` through (it may be in the table).
    #[inline]
    fn maybe(&self, h: u64) -> bool {
        let bits = filter_bits(h);
        self.filter[(h >> self.filter_shift) as usize] & bits == bits
    }

    /// Passages of indexed outputs found in `text` (whose normalised words are `words`), with the best source
    /// of each marked against the document's date.
    pub fn find(
        &self,
        doc_id: &str,
        text: &str,
        words: &[Word],
        doc_date: Option<NaiveDate>,
        cfg: &DetectConfig,
    ) -> Vec<Found> {
        thread_local! {
            /// The shingle lookups of the document at hand, in memory kept from one document to the next.
            static PROBE: std::cell::RefCell<Probe> = std::cell::RefCell::new(Probe::default());
        }
        PROBE.with_borrow_mut(|probe| {
            self.probe_words(words, probe);
            self.find_probed(doc_id, text, words, probe, || doc_date, cfg)
        })
    }

    /// Normalises `text` into `words` (as [`normalize::words_into`] does) and, in the same pass, hashes each
    /// shingle as its last word is produced and looks it up in the index's filter: `probe` ends up as
    /// [`Self::probe_words`] would leave it, but for the hashes of every shingle, which it does not keep (only
    /// those of the last few, in a ring). A document whose `probe` is [empty](Probe::is_empty) holds no
    /// seed, and [`Self::find_probed`] finds nothing in it.
    pub fn scan(&self, text: &str, words: &mut Vec<Word>, probe: &mut Probe) {
        let k = self.k;
        probe.looked_up = false;
        let Probe { hashes, maybe, .. } = probe;
        hashes.clear();
        maybe.clear();
        // the last `PROBE_AHEAD` shingles' keys, by shingle modulo `PROBE_AHEAD`, and how many there were
        let mut ring = [0u64; PROBE_AHEAD];
        let mut n = 0usize;
        let mut roll = Rolling::new(k);
        normalize::words_into_each(text, words, |w| {
            let len = w.len();
            let Some(&Word { hash: new, .. }) = w.last() else {
                return;
            };
            let old = match len.checked_sub(k + 1) {
                Some(j) => w[j].hash,
                None => 0,
            };
            let h = roll.push(new, old);
            if len >= k {
                prefetch(self.filter_word(h));
                // the shingle `PROBE_AHEAD` back: its filter word was asked for then
                let slot = &mut ring[n % PROBE_AHEAD];
                if n >= PROBE_AHEAD && self.maybe(*slot) {
                    maybe.push((*slot, (n - PROBE_AHEAD) as u32));
                }
                *slot = h;
                n += 1;
            }
        });
        for d in n.saturating_sub(PROBE_AHEAD)..n {
            let h = ring[d % PROBE_AHEAD];
            if self.maybe(h) {
                maybe.push((h, d as u32));
            }
        }
        probe.shrink_if_huge();
    }

    /// The shingles of `words` that pass the index's filter, into `probe` (the path apart from normalising:
    /// hashes first, then lookups with the filter words prefetched a few positions ahead; the filter is larger
    /// than the caches, and waiting on it one lookup at a time would dominate).
    pub fn probe_words(&self, words: &[Word], probe: &mut Probe) {
        let k = self.k;
        probe.looked_up = false;
        let Probe { hashes, maybe, .. } = probe;
        hashes.clear();
        shingle_keys(words, k, hashes);
        maybe.clear(); // (hash, doc word) through the filter
        for &h in hashes.iter().take(PROBE_AHEAD) {
            prefetch(self.filter_word(h));
        }
        for (d, &h) in hashes.iter().enumerate() {
            if let Some(&next) = hashes.get(d + PROBE_AHEAD) {
                prefetch(self.filter_word(next));
            }
            if self.maybe(h) {
                maybe.push((h, d as u32));
            }
        }
        probe.shrink_if_huge();
    }

    /// [`Self::find`] for a document whose shingles `probe` looked up ([`Self::scan`] or [`Self::probe_words`]
    /// over the same `words`).
    pub fn find_probed(
        &self,
        doc_id: &str,
        text: &str,
        words: &[Word],
        probe: &mut Probe,
        doc_date: impl FnOnce() -> Option<NaiveDate>,
        cfg: &DetectConfig,
    ) -> Vec<Found> {
        let k = self.k;
        if words.len() < k || probe.is_empty() {
            return Vec::new();
        }
        self.seeds(probe);
        if probe.touched.is_empty() {
            return Vec::new();
        }
        let mut cands = Vec::new();
        let Probe {
            by_output,
            touched,
            assembly,
            ..
        } = probe;
        touched.sort_unstable();
        for &o in touched.iter() {
            let list = &mut by_output[o as usize];
            cands.extend(self.passages_of(o as usize, list, words, cfg, assembly));
            list.clear();
        }
        assembly.merging.shrink_if_huge();
        touched.clear();
        if cands.is_empty() {
            return Vec::new();
        }
        let rows = assemble::attribute(
            cands.clone(),
            |o| self.outputs[o].published,
            doc_date(),
            cfg.min_passage_chars,
        );
        let mut found: Vec<Found> = cands
            .into_iter()
            .map(|c| {
                let (a, b) = c.doc_span();
                let best = rows.iter().any(|r| {
                    let (x, y) = r.cand.doc_span();
                    r.best && r.cand.output == c.output && y.min(b) > x.max(a)
                });
                let lo = words.partition_point(|w| (w.start as usize) < a);
                let hi = words.partition_point(|w| (w.start as usize) < b);
                let text_hash = shingle_hash(&words[lo..hi]);
                let mut passage = self.passage(doc_id, &c, text, None);
                passage.best_source = best;
                Found {
                    passage,
                    cand: c,
                    text_hash,
                }
            })
            .collect();
        found.sort_by(|a, b| {
            (a.passage.doc_start, &a.passage.output_id)
                .cmp(&(b.passage.doc_start, &b.passage.output_id))
        });
        found
    }

    /// The filter word that shingle hash `h` falls in.
    #[inline]
    fn filter_word(&self, h: u64) -> *const u64 {
        self.filter
            .as_ptr()
            .wrapping_add((h >> self.filter_shift) as usize)
    }

    /// Seeds of the document whose shingles `probe` looked up, into `probe.by_output`: per output, `(document
    /// word, output word, entry)` sorted by document word, then output word (the order of the hits, which
    /// stand in document order, one per word, and of each entry's postings, sorted by output and output word),
    /// with the outputs that have any in `probe.touched`. The lookups go through memory kept in `probe`, so a
    /// document without a seed allocates nothing.
    fn seeds(&self, probe: &mut Probe) {
        if !probe.looked_up {
            self.look_up(probe);
        }
        probe.looked_up = false;
        let Probe {
            hits,
            firsts,
            by_output,
            touched,
            ..
        } = probe;
        touched.clear();
        if hits.is_empty() {
            return;
        }
        // Entries repeated within this document (running headers) seed nothing.
        firsts.clear();
        firsts.extend(hits.iter().map(|h| h.0));
        firsts.sort_unstable();
        let mut w = 0;
        let mut i = 0;
        while i < firsts.len() {
            let mut j = i + 1;
            while j < firsts.len() && firsts[j] == firsts[i] {
                j += 1;
            }
            if j - i > MAX_DOC_REPEATS {
                firsts[w] = firsts[i];
                w += 1;
            }
            i = j;
        }
        firsts.truncate(w); // the repeated entries, sorted
        if by_output.len() < self.outputs.len() {
            by_output.resize_with(self.outputs.len(), Vec::new);
        }
        for &(first, d, len) in hits.iter() {
            if !firsts.is_empty() && firsts.binary_search(&first).is_ok() {
                continue;
            }
            for &(o, opos) in &self.postings[first as usize..(first + len) as usize] {
                let list = &mut by_output[o as usize];
                if list.is_empty() {
                    touched.push(o);
                }
                list.push((d, opos, first));
            }
        }
        probe.shrink_if_huge();
    }

    /// The table entries of the shingles through the filter, into `probe.hits` in document order (the
    /// postings asked for from memory as they are found).
    fn look_up(&self, probe: &mut Probe) {
        const AHEAD: usize = PROBE_AHEAD;
        let Probe { maybe, hits, .. } = probe;
        hits.clear(); // (entry's first posting, doc word, entry's postings)
        for &(h, _) in maybe.iter().take(AHEAD) {
            prefetch(self.table.slot(h));
        }
        for (i, &(h, d)) in maybe.iter().enumerate() {
            if let Some(&(next, _)) = maybe.get(i + AHEAD) {
                prefetch(self.table.slot(next));
            }
            if let Some(e) = self.table.get(h) {
                // the postings are read after the sort in `seeds`: asked for from memory now
                prefetch(self.postings.as_ptr().wrapping_add(e.first as usize));
                hits.push((e.first, d, e.len));
            }
        }
        probe.looked_up = true;
    }

    /// The row of candidate `c` in document `doc_id`; its snippet from `text`, or from `from` (a passage over a
    /// span that holds `c`'s) when the text is not at hand.
    fn passage(&self, doc_id: &str, c: &Candidate, text: &str, from: Option<&Passage>) -> Passage {
        let (doc_start, doc_end) = c.doc_span();
        let (output_start, output_end) = c.out_span();
        let mut snip = match from {
            Some(p) if text.is_empty() => {
                let skip = doc_start.saturating_sub(p.doc_start);
                p.snippet
                    .chars()
                    .filter(|&ch| ch != '…')
                    .skip(skip)
                    .take((doc_end - doc_start).min(SNIPPET_MAX_CHARS))
                    .collect()
            }
            _ => snippet_within(text, doc_start, doc_end.min(doc_start + SNIPPET_MAX_CHARS)),
        };
        if doc_end - doc_start > SNIPPET_MAX_CHARS {
            snip.push('…');
        }
        Passage {
            doc_id: doc_id.to_string(),
            output_id: self.outputs[c.output].id.clone(),
            doc_start,
            doc_end,
            output_start,
            output_end,
            similarity: c.similarity(),
            snippet: snip,
            blocks: c.blocks,
            best_source: true,
        }
    }

    /// Chains one output's seeds (sorted by document word) into blocks, extends them, merges them into
    /// passages, keeps those long and similar enough, and cuts passages that overlap in the document.
    fn passages_of(
        &self,
        o: usize,
        seeds: &[Seed],
        words: &[Word],
        cfg: &DetectConfig,
        assembly: &mut Assembly,
    ) -> Vec<Candidate> {
        let Assembly {
            blocks,
            spans,
            merging,
        } = assembly;
        let k = self.k;
        let out = &self.outputs[o];
        if seeds.len() < cfg.min_seeds
            || !seeds::in_reach(seeds, self.seed_reach(cfg), cfg.min_seeds)
        {
            return Vec::new();
        }
        blocks.chain(seeds, CHAIN_GAP, k);
        blocks.keep_hopeful(cfg);
        // the output's words at each block's edges, where extension reads first: asked for from memory for
        // every block before the first is extended
        for b in &blocks.list {
            prefetch(out.words.as_ptr().wrapping_add(b.o0.saturating_sub(1)));
            prefetch(out.words.as_ptr().wrapping_add(b.o1));
        }
        spans.clear();
        spans.extend(blocks.list.iter().map(|&b| {
            let mut b = b;
            extend(&mut b, words, &out.words);
            let (dist, alen) = block_distance(&b, blocks, words, &out.words, k);
            Span {
                d0: b.d0,
                d1: b.d1,
                o0: b.o0,
                o1: b.o1,
                dist,
                alen,
                seeds: b.len as usize,
            }
        }));
        assemble::prune(spans);
        assemble::merge(
            spans,
            cfg.max_gap_words,
            cfg.min_similarity,
            cfg.min_seeds,
            |d0, d1, o0, o1| word_distance(&words[d0..d1], &out.words[o0..o1]),
            merging,
        );
        let cands: Vec<Candidate> = merging
            .merged
            .iter()
            .filter(|m| m.seeds >= cfg.min_seeds)
            .map(|m| assemble::to_candidate(o, &m.parts, m.seeds, m.blocks, words, &out.words))
            .filter(|c| {
                let (a, b) = c.doc_span();
                b - a >= cfg.min_passage_chars && c.similarity() >= cfg.min_similarity
            })
            .collect();
        assemble::claim(cands, cfg.min_passage_chars)
    }

    /// The attribution of passages to rows (the name is kept from when this step also dropped passages
    /// quoted by many documents; it no longer does: see [`DetectConfig::boilerplate_doc_share`]).
    pub fn boilerplate_filter(&self, cfg: &DetectConfig) -> BoilerplateFilter<'_> {
        BoilerplateFilter {
            index: self,
            min_chars: cfg.min_passage_chars,
        }
    }
}

/// Turns the passages found in one document into rows: every document character that a passage aligns gets
/// exactly one best row (see [`assemble`]). Drops nothing for being popular.
pub struct BoilerplateFilter<'a> {
    index: &'a ReuseIndex,
    min_chars: usize,
}

impl BoilerplateFilter<'_> {
    /// The rows of the passages `found` in one document (snippets cut from the passages' own).
    pub fn apply(&self, found: Vec<Found>, doc_date: Option<NaiveDate>) -> Vec<Passage> {
        self.apply_with_text(found, doc_date, "")
    }

    /// The rows of the passages `found` in one document whose text is `text` (snippets taken from it; an
    /// empty `text` takes them from the passages' own).
    pub fn apply_with_text(
        &self,
        found: Vec<Found>,
        doc_date: Option<NaiveDate>,
        text: &str,
    ) -> Vec<Passage> {
        let Some(doc_id) = found.first().map(|f| f.passage.doc_id.clone()) else {
            return Vec::new();
        };
        let cands: Vec<Candidate> = found.iter().map(|f| f.cand.clone()).collect();
        let rows = assemble::attribute(
            cands,
            |o| self.index.outputs[o].published,
            doc_date,
            self.min_chars,
        );
        rows.into_iter()
            .map(|r| {
                let (a, b) = r.cand.doc_span();
                let from = found.iter().map(|f| &f.passage).find(|p| {
                    p.output_id == self.index.outputs[r.cand.output].id
                        && p.doc_start <= a
                        && b <= p.doc_end
                });
                let mut p = self.index.passage(&doc_id, &r.cand, text, from);
                p.best_source = r.best;
                p
            })
            .collect()
    }
}

/// [`snippet`](crate::textutil::snippet) of characters `[start, end)` of `text` without context (what the tables keep of a passage: its
/// characters with white space collapsed), reading only the text up to `end`, an ASCII start of it a run at a
/// time, instead of splitting the whole text into characters.
fn snippet_within(text: &str, start: usize, end: usize) -> String {
    let Some(b0) = super::char_to_byte(text, start) else {
        return String::new();
    };
    let b1 =
        b0 + super::char_to_byte(&text[b0..], end.saturating_sub(start)).unwrap_or(text.len() - b0);
    let mut out = String::with_capacity(b1 - b0);
    for w in text[b0..b1].split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Number of positions covered by a set of half-open intervals.
pub fn covered(spans: impl Iterator<Item = (usize, usize)>) -> usize {
    let mut v: Vec<(usize, usize)> = spans.collect();
    v.sort_unstable();
    let (mut total, mut reach) = (0, 0);
    for (a, b) in v {
        let a = a.max(reach);
        if b > a {
            total += b - a;
            reach = b;
        }
    }
    total
}

#[cfg(test)]
#[path = "reuse_tests.rs"]
mod tests;
