//! From blocks to passages, and from passages to rows: the second half of reuse detection.
//!
//! 1. Blocks (runs of seeds moving forward on both sides, already extended at their edges) that repeat a
//!    longer block's document text against another place in the output (a repeated phrase) are dropped; blocks
//!    on the same diagonal that overlap after extension are joined.
//! 2. Blocks are merged into passages in document order, each into the open passage it continues best, only
//!    where the result is consistent on the output side: either the block moves forward in the output (the
//!    stretch between the two is aligned word by word and joins the passage, however edited) or it sits within
//!    `max_gap_words` of the passage's output span without overlapping what the passage already aligns (a
//!    paragraph or sentence swap). A block that jumps back onto output text the passage already holds, or far
//!    away, starts a passage of its own. A merge that would take the passage under `min_similarity` is not made.
//! 3. Rows: passages of one output that overlap in the document are cut to the part the longer one leaves
//!    ([`claim`]); then, across outputs, every document character a passage aligns gets exactly one best row
//!    ([`attribute`]): the passage covering most of the text not yet attributed wins, then the earliest
//!    output published before the document, then the most similar. The others are cut to what is left, or
//!    kept as rows that are not the best source when what is left is shorter than `min_passage_chars`.
//!
//! Similarity is measured on the aligned part only: within blocks and over the edited stretches between blocks
//! that follow each other on both sides (1 minus word edits over the longer side). Text of the document that no
//! block aligns (an aside between two swapped paragraphs) is in the passage's span but not in its similarity.

use chrono::NaiveDate;

use crate::normalize::Word;

/// Largest Levenshtein table (cells) computed for the stretch between two blocks; larger stretches count as
/// wholly edited.
const MAX_GAP_CELLS: usize = 250_000;
/// A stretch between two blocks up to this many words joins them whatever its similarity.
const STRETCH_FREE_WORDS: usize = 8;
/// Words two blocks may overlap on either side and still be merged as consecutive.
const OVERLAP_WORDS: usize = 2;
/// Passages whose unattributed coverage is within this share of the best are tied; the date then decides.
const COVERAGE_TIE: f64 = 0.05;

/// An aligned stretch of a passage, in characters of both texts, with its word length and edit distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub doc: (usize, usize),
    pub out: (usize, usize),
    /// Words on the longer side.
    pub len: f64,
    /// Word edits between the two sides.
    pub dist: f64,
    /// False for document text inside the passage that nothing aligns (an aside, or an edited stretch joined
    /// without alignment): it belongs to the passage's span, not to its coverage or similarity.
    pub aligned: bool,
}

impl Segment {
    /// The part of the segment over document characters `[a, b)`, its output side and its edits scaled
    /// linearly.
    fn clip(&self, a: usize, b: usize) -> Option<Segment> {
        let (d0, d1) = (self.doc.0.max(a), self.doc.1.min(b));
        if d1 <= d0 {
            return None;
        }
        let dl = (self.doc.1 - self.doc.0).max(1) as f64;
        let ol = (self.out.1 - self.out.0) as f64;
        let f0 = (d0 - self.doc.0) as f64 / dl;
        let f1 = (d1 - self.doc.0) as f64 / dl;
        let share = f1 - f0;
        Some(Segment {
            doc: (d0, d1),
            out: (
                self.out.0 + (f0 * ol).round() as usize,
                self.out.0 + (f1 * ol).round() as usize,
            ),
            len: self.len * share,
            dist: self.dist * share,
            aligned: self.aligned,
        })
    }
}

/// A block in word positions, after extension, with the edits inside it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub d0: usize,
    pub d1: usize,
    pub o0: usize,
    pub o1: usize,
    pub dist: usize,
    /// Length of the alignment that `dist` counts edits over (at least the longer side).
    pub alen: usize,
    pub seeds: usize,
}

impl Span {
    fn len(&self) -> usize {
        (self.d1 - self.d0).max(self.o1 - self.o0)
    }
    fn diagonal(&self) -> i64 {
        self.d0 as i64 - self.o0 as i64
    }
}

/// One output's passage in one document, in characters of both texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub output: usize,
    /// Sorted by document position; they do not overlap in the document.
    pub segments: Vec<Segment>,
    pub seeds: usize,
    pub blocks: u32,
}

impl Candidate {
    pub fn doc_span(&self) -> (usize, usize) {
        (
            self.segments.first().map_or(0, |s| s.doc.0),
            self.segments.iter().map(|s| s.doc.1).max().unwrap_or(0),
        )
    }
    pub fn out_span(&self) -> (usize, usize) {
        (
            self.segments.iter().map(|s| s.out.0).min().unwrap_or(0),
            self.segments.iter().map(|s| s.out.1).max().unwrap_or(0),
        )
    }
    pub fn similarity(&self) -> f64 {
        let len: f64 = self.segments.iter().map(|s| s.len).sum();
        let dist: f64 = self.segments.iter().map(|s| s.dist).sum();
        if len <= 0.0 {
            0.0
        } else {
            (1.0 - dist / len).clamp(0.0, 1.0)
        }
    }
    /// Document characters the segments align, outside `claimed` (sorted, disjoint).
    fn coverage_outside(&self, claimed: &[(usize, usize)]) -> usize {
        self.segments
            .iter()
            .filter(|s| s.aligned)
            .map(|s| s.doc.1 - s.doc.0 - overlap_with(s.doc, claimed))
            .sum()
    }
    /// The parts of the passage outside `claimed` (sorted, disjoint) of at least `min_chars` document
    /// characters.
    fn pieces_outside(&self, claimed: &[(usize, usize)], min_chars: usize) -> Vec<Candidate> {
        let (a, b) = self.doc_span();
        let mut free = Vec::new();
        let mut at = a;
        for &(c0, c1) in claimed {
            if c1 <= at || c0 >= b {
                continue;
            }
            if c0 > at {
                free.push((at, c0));
            }
            at = at.max(c1);
        }
        if at < b {
            free.push((at, b));
        }
        free.into_iter()
            .filter_map(|(x, y)| {
                let segments: Vec<Segment> =
                    self.segments.iter().filter_map(|s| s.clip(x, y)).collect();
                let c = Candidate {
                    output: self.output,
                    segments,
                    seeds: self.seeds,
                    blocks: self.blocks,
                };
                let (s, e) = c.doc_span();
                let aligned = c.segments.iter().any(|s| s.aligned);
                (aligned && e - s >= min_chars).then_some(c)
            })
            .collect()
    }
}

/// Characters of `span` inside the sorted, disjoint intervals `set`.
fn overlap_with(span: (usize, usize), set: &[(usize, usize)]) -> usize {
    set.iter()
        .map(|&(a, b)| b.min(span.1).saturating_sub(a.max(span.0)))
        .sum()
}

/// Adds `span` to the sorted, disjoint intervals `set`.
fn add_interval(set: &mut Vec<(usize, usize)>, span: (usize, usize)) {
    set.push(span);
    set.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(set.len());
    for &(a, b) in set.iter() {
        match out.last_mut() {
            Some(l) if a <= l.1 => l.1 = l.1.max(b),
            _ => out.push((a, b)),
        }
    }
    *set = out;
}

/// Drops blocks that align a stretch of the document a longer block already aligns elsewhere in the output
/// (a phrase the output repeats); joins blocks on the same diagonal that overlap. Leaves the blocks sorted by
/// document position (in place: the blocks kept so far are the front of `spans`).
pub fn prune(spans: &mut Vec<Span>) {
    spans.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.d0, s.o0));
    let mut kept = 0;
    'next: for i in 0..spans.len() {
        let s = spans[i];
        for k in spans[..kept].iter_mut() {
            let ov = s.d1.min(k.d1).saturating_sub(s.d0.max(k.d0));
            if ov == 0 {
                continue;
            }
            if (s.diagonal() - k.diagonal()).unsigned_abs() as usize <= OVERLAP_WORDS {
                // the same alignment cut in two by the chain: one block
                let (d0, d1) = (k.d0.min(s.d0), k.d1.max(s.d1));
                let (o0, o1) = (k.o0.min(s.o0), k.o1.max(s.o1));
                *k = Span {
                    d0,
                    d1,
                    o0,
                    o1,
                    dist: k.dist + s.dist,
                    alen: k.alen + s.alen,
                    seeds: k.seeds + s.seeds,
                };
                continue 'next;
            }
            if ov * 2 >= s.d1 - s.d0 {
                continue 'next;
            }
        }
        spans[kept] = s;
        kept += 1;
    }
    spans.truncate(kept);
    spans.sort_by_key(|s| (s.d0, s.o0));
}

/// Word ranges `(d0, d1, o0, o1)` of the document and the output.
type Stretch = (usize, usize, usize, usize);
/// An aligned part of a passage in word positions: a [`Stretch`], its length on the longer side and its edits.
pub type Part = (usize, usize, usize, usize, usize, usize);

/// A passage as merged: its parts, seeds and blocks.
#[derive(Debug, Clone)]
pub struct Merged {
    pub parts: Vec<Part>,
    pub seeds: usize,
    pub blocks: u32,
}

/// A passage being assembled, in word positions.
#[derive(Debug, Clone)]
struct Open {
    d0: usize,
    /// Blocks and aligned stretches between them.
    parts: Vec<Part>,
    d1: usize,
    o0: usize,
    o1: usize,
    /// Output word intervals the passage aligns.
    out_spans: Vec<(usize, usize)>,
    len: usize,
    dist: usize,
    seeds: usize,
    blocks: u32,
}

/// The memory [`merge`] works in, kept from one output and one document to the next: the passages being
/// merged, and lists of parts and of output spans given back by the passages of the output before.
#[derive(Debug, Default)]
pub struct Merging {
    open: Vec<Open>,
    done: Vec<Open>,
    parts: Vec<Vec<Part>>,
    out_spans: Vec<Vec<(usize, usize)>>,
    /// The passages merged last.
    pub merged: Vec<Merged>,
}

impl Merging {
    /// Gives the memory of the passages merged last back for the next merge.
    pub fn recycle(&mut self) {
        for m in self.merged.drain(..) {
            let mut parts = m.parts;
            parts.clear();
            self.parts.push(parts);
        }
    }

    /// A huge document does not keep its memory for the rest of the run.
    pub fn shrink_if_huge(&mut self) {
        if self.parts.len() + self.out_spans.len() > 1 << 12 {
            *self = Merging::default();
        }
    }
}

impl Open {
    fn new(b: Span, memory: &mut Merging) -> Open {
        let mut parts = memory.parts.pop().unwrap_or_default();
        parts.push((b.d0, b.d1, b.o0, b.o1, b.alen, b.dist));
        let mut out_spans = memory.out_spans.pop().unwrap_or_default();
        out_spans.push((b.o0, b.o1));
        Open {
            d0: b.d0,
            parts,
            d1: b.d1,
            o0: b.o0,
            o1: b.o1,
            out_spans,
            len: b.alen,
            dist: b.dist,
            seeds: b.seeds,
            blocks: 1,
        }
    }
}

/// How block `b` may join passage `p`, best first: with the stretch between them aligned (a block moving
/// forward on both sides), or without (a swap, or an edited stretch too different to align), each with a cost
/// to choose between passages. Empty where the block is inconsistent with the passage.
fn joins(p: &Open, b: &Span, gap: usize) -> Vec<(Option<Stretch>, usize)> {
    let mut out = Vec::new();
    if b.d0 > p.d1 + gap || b.d0 + OVERLAP_WORDS < p.d1 {
        return out;
    }
    // output text the passage aligns already is never aligned twice
    if p.out_spans.iter().any(|&s| clashes(s, (b.o0, b.o1))) {
        return out;
    }
    // forward on both sides from the nearest output text the passage aligns before the block: the stretch
    // between them is aligned (after a swap, the block continues from the sentence before it in the output)
    let prev = p
        .out_spans
        .iter()
        .map(|&(_, z)| z)
        .filter(|&z| z <= b.o0 + OVERLAP_WORDS)
        .max();
    if let Some(z) = prev {
        if b.o0 <= z + gap {
            let (gd0, go0) = (p.d1.min(b.d0), z.min(b.o0));
            let cost = (b.d0.saturating_sub(p.d1)).max(b.o0.saturating_sub(z));
            out.push((Some((gd0, b.d0, go0, b.o0)), cost));
        }
    }
    // without aligning the stretch: near the passage's output span
    if b.o1 + gap >= p.o0 && b.o0 <= p.o1 + gap {
        let og = if b.o1 <= p.o0 {
            p.o0 - b.o1
        } else {
            b.o0.saturating_sub(p.o1)
        };
        out.push((None, gap + og + b.d0.saturating_sub(p.d1)));
    }
    out
}

/// Whether passage `q` (starting after `p` in the document) continues `p`: near it on both sides, over output
/// text `p` does not align, and similar enough together.
fn fusable(p: &Open, q: &Open, gap: usize, min_similarity: f64) -> bool {
    if q.d0 > p.d1 + gap {
        return false;
    }
    let og = if q.o1 <= p.o0 {
        p.o0 - q.o1
    } else {
        q.o0.saturating_sub(p.o1)
    };
    let clash = q
        .out_spans
        .iter()
        .any(|&a| p.out_spans.iter().any(|&b| clashes(a, b)));
    let dist = p.dist + q.dist;
    let len = (p.len + q.len).max(1);
    og <= gap && !clash && 1.0 - dist as f64 / len as f64 >= min_similarity
}

/// Whether two output spans of blocks overlap by more than the edge of an extension: more than a couple of words
/// and more than a third of the shorter (a phrase repeated, not an overshoot).
fn clashes(a: (usize, usize), b: (usize, usize)) -> bool {
    let ov = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let shorter = (a.1 - a.0).min(b.1 - b.0);
    ov > OVERLAP_WORDS.max(shorter / 3)
}

/// Merges blocks (sorted by document position) into passages, into `memory.merged`; see the module comment.
/// `distance` gives the word edits between two word ranges `(d0, d1, o0, o1)`.
pub fn merge(
    spans: &[Span],
    gap: usize,
    min_similarity: f64,
    min_seeds: usize,
    distance: impl Fn(usize, usize, usize, usize) -> usize,
    memory: &mut Merging,
) {
    memory.recycle();
    let mut open = std::mem::take(&mut memory.open);
    let mut done = std::mem::take(&mut memory.done);
    open.clear();
    done.clear();
    for b in spans {
        let mut i = 0;
        while i < open.len() {
            if b.d0 > open[i].d1 + gap {
                done.push(open.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let mut best: Option<(usize, usize, Option<Stretch>, usize, usize)> = None;
        for (pi, p) in open.iter().enumerate() {
            for (stretch, cost) in joins(p, b, gap) {
                let (glen, gdist) = match stretch {
                    Some((d0, d1, o0, o1)) => {
                        let len = (d1 - d0).max(o1 - o0);
                        let dist = if (d1 - d0) * (o1 - o0) > MAX_GAP_CELLS {
                            len
                        } else {
                            distance(d0, d1, o0, o1)
                        };
                        (len, dist)
                    }
                    None => (0, 0),
                };
                // evidence of its own, whatever the gap: a stretch longer than a chain's gap must itself be
                // half as similar as a passage, and a block joined without aligning the stretch (and the
                // passage it joins) must hold min_seeds seeds; a stray shared phrase joins nothing
                let weak = match stretch {
                    Some(_) => {
                        glen > STRETCH_FREE_WORDS
                            && 1.0 - gdist as f64 / (glen as f64) < min_similarity / 2.0
                    }
                    None => {
                        (b.seeds < min_seeds || p.seeds < min_seeds)
                            && b.d0.saturating_sub(p.d1) > STRETCH_FREE_WORDS
                    }
                };
                if weak {
                    continue;
                }
                let len = p.len + glen + b.alen;
                let dist = p.dist + gdist + b.dist;
                if (1.0 - dist as f64 / len.max(1) as f64) < min_similarity {
                    continue;
                }
                if best.is_none_or(|x| cost < x.1) {
                    best = Some((pi, cost, stretch, glen, gdist));
                }
                break;
            }
        }
        match best {
            Some((pi, _, stretch, glen, gdist)) => {
                let p = &mut open[pi];
                let mut b = *b;
                if let Some((d0, d1, o0, o1)) = stretch {
                    if d1 > d0 || o1 > o0 {
                        p.parts.push((d0, d1, o0, o1, glen, gdist));
                    }
                    // a block overlapping the passage by a word or two starts where the passage ends
                    let z = p
                        .out_spans
                        .iter()
                        .map(|&(_, z)| z)
                        .filter(|&z| z <= b.o0 + OVERLAP_WORDS)
                        .max()
                        .unwrap_or(b.o0);
                    b.d0 = b.d0.max(p.d1).min(b.d1);
                    b.o0 = b.o0.max(z).min(b.o1);
                }
                p.parts.push((b.d0, b.d1, b.o0, b.o1, b.alen, b.dist));
                p.len += glen + b.alen;
                p.dist += gdist + b.dist;
                p.d1 = p.d1.max(b.d1);
                p.o0 = p.o0.min(b.o0);
                p.o1 = p.o1.max(b.o1);
                p.out_spans.push((b.o0, b.o1));
                p.seeds += b.seeds;
                p.blocks += 1;
            }
            None => open.push(Open::new(*b, memory)),
        }
    }
    done.append(&mut open);
    // passages that a block jumping ahead opened before the blocks between arrived (a sentence swap across
    // more than the gap): consecutive passages near each other on both sides, over different output text
    done.sort_by_key(|p| p.d0);
    let fused = &mut open;
    for mut q in done.drain(..) {
        if let Some(p) = fused.last_mut() {
            if p.seeds >= min_seeds && q.seeds >= min_seeds && fusable(p, &q, gap, min_similarity) {
                p.parts.extend_from_slice(&q.parts);
                p.out_spans.extend_from_slice(&q.out_spans);
                q.parts.clear();
                q.out_spans.clear();
                memory.parts.push(q.parts);
                memory.out_spans.push(q.out_spans);
                p.d1 = p.d1.max(q.d1);
                p.o0 = p.o0.min(q.o0);
                p.o1 = p.o1.max(q.o1);
                p.len += q.len;
                p.dist += q.dist;
                p.seeds += q.seeds;
                p.blocks += q.blocks;
                continue;
            }
        }
        fused.push(q);
    }
    for mut p in fused.drain(..) {
        p.out_spans.clear();
        memory.out_spans.push(p.out_spans);
        memory.merged.push(Merged {
            parts: p.parts,
            seeds: p.seeds,
            blocks: p.blocks,
        });
    }
    memory.open = open;
    memory.done = done;
}

/// Converts word-position parts to a candidate in characters (`doc` and `out` are the two texts' words).
pub fn to_candidate(
    output: usize,
    parts: &[Part],
    seeds: usize,
    blocks: u32,
    doc: &[Word],
    out: &[Word],
) -> Candidate {
    // char offsets of word ranges; an empty side takes the position where it would start
    let chars = |words: &[Word], a: usize, b: usize| -> (usize, usize) {
        if b > a {
            (words[a].start as usize, words[b - 1].end as usize)
        } else if a < words.len() {
            (words[a].start as usize, words[a].start as usize)
        } else {
            let e = words.last().map_or(0, |w| w.end as usize);
            (e, e)
        }
    };
    let mut segments: Vec<Segment> = parts
        .iter()
        .filter(|p| p.1 > p.0 || p.3 > p.2)
        .map(|&(d0, d1, o0, o1, len, dist)| Segment {
            doc: chars(doc, d0, d1),
            out: chars(out, o0, o1),
            len: len as f64,
            dist: dist as f64,
            aligned: true,
        })
        .collect();
    segments.sort_by_key(|s| s.doc.0);
    for i in 1..segments.len() {
        let next = segments[i].doc.0;
        if segments[i - 1].doc.1 > next {
            segments[i - 1].doc.1 = next.max(segments[i - 1].doc.0);
        }
    }
    // the text between aligned parts (white space, or a stretch nothing aligns) belongs to the passage too
    let mut filled = Vec::with_capacity(segments.len() * 2);
    for s in segments {
        if let Some(prev) = filled.last().copied() {
            let prev: Segment = prev;
            if s.doc.0 > prev.doc.1 {
                filled.push(Segment {
                    doc: (prev.doc.1, s.doc.0),
                    out: (prev.out.1, prev.out.1),
                    len: 0.0,
                    dist: 0.0,
                    aligned: false,
                });
            }
        }
        filled.push(s);
    }
    let segments = filled;
    Candidate {
        output,
        segments,
        seeds,
        blocks,
    }
}

/// Cuts passages of one output that overlap in the document: the one aligning more keeps the shared text, the
/// other keeps what is left where that is `min_chars` long or more.
pub fn claim(mut cands: Vec<Candidate>, min_chars: usize) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        let cov = |c: &Candidate| c.coverage_outside(&[]);
        cov(b).cmp(&cov(a)).then(a.doc_span().cmp(&b.doc_span()))
    });
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        let span = c.doc_span();
        if overlap_with(span, &taken) == 0 {
            add_interval(&mut taken, span);
            out.push(c);
            continue;
        }
        for piece in c.pieces_outside(&taken, min_chars) {
            add_interval(&mut taken, piece.doc_span());
            out.push(piece);
        }
    }
    out
}

/// One row of the result: a candidate and whether it is the best source of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cand: Candidate,
    pub best: bool,
}

/// Attributes the document's text to outputs: see the module comment. `published` gives each output's
/// publication date.
pub fn attribute(
    cands: Vec<Candidate>,
    published: impl Fn(usize) -> Option<NaiveDate>,
    doc_date: Option<NaiveDate>,
    min_chars: usize,
) -> Vec<Row> {
    let before = |o: usize| match (published(o), doc_date) {
        (Some(p), Some(d)) => p <= d,
        _ => true,
    };
    let mut left: Vec<Candidate> = cands;
    let mut claimed: Vec<(usize, usize)> = Vec::new();
    let mut rows = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let cov: Vec<usize> = left.iter().map(|c| c.coverage_outside(&claimed)).collect();
        let top = cov.iter().copied().max().unwrap_or(0);
        let tie = (top as f64 * (1.0 - COVERAGE_TIE)).floor() as usize;
        let pick = (0..left.len())
            .filter(|&i| cov[i] >= tie)
            .min_by(|&i, &j| {
                let key = |i: usize| {
                    let o = left[i].output;
                    (!before(o), published(o).unwrap_or(NaiveDate::MAX))
                };
                key(i)
                    .cmp(&key(j))
                    .then(
                        left[j]
                            .similarity()
                            .partial_cmp(&left[i].similarity())
                            .unwrap_or(std::cmp::Ordering::Equal),
                    )
                    .then(cov[j].cmp(&cov[i]))
                    .then(left[i].output.cmp(&left[j].output))
            })
            .unwrap_or(0);
        let c = left.swap_remove(pick);
        let span = c.doc_span();
        if overlap_with(span, &claimed) == 0 {
            add_interval(&mut claimed, span);
            rows.push(Row {
                cand: c,
                best: true,
            });
            continue;
        }
        let pieces = c.pieces_outside(&claimed, min_chars);
        if pieces.is_empty() {
            rows.push(Row {
                cand: c,
                best: false,
            });
        } else {
            for p in pieces {
                add_interval(&mut claimed, p.doc_span());
                rows.push(Row {
                    cand: p,
                    best: true,
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.cand.doc_span(), r.cand.output));
    rows
}
