//! Aligning a document's words with an output's: a block's edges extended while the words keep matching, and
//! the word edit distance of a block or a gap (Myers/Hyyrö bit vectors, with a bound on the cells aligned).

use super::blocks::{Block, Blocks};
use crate::normalize::Word;

/// Edge extension stops once its score falls this far below the best it reached.
const EXTEND_DROP: i32 = 4;
/// Blocks up to this size (in words, product of both sides) are aligned whole where the piecewise alignment
/// between their seeds finds many edits.
const MAX_BLOCK_CELLS: usize = 250_000;
/// Segments longer than this (in words, product of both sides) are not aligned word by word.
const MAX_ALIGN_CELLS: usize = 4_000_000;

/// Extends a block at both edges while the words keep matching, allowing single-word substitutions, insertions
/// and deletions, and stopping once the score falls [`EXTEND_DROP`] below its best.
pub(super) fn extend(b: &mut Block, doc: &[Word], out: &[Word]) {
    let eq = |d: usize, o: usize| doc[d].hash == out[o].hash;
    // backwards: the words before the block, nearest first
    let (d0, o0) = (b.d0, b.o0);
    let (i, j) = walk(d0, o0, |i, j| eq(d0 - 1 - i, o0 - 1 - j));
    (b.d0, b.o0) = (d0 - i, o0 - j);
    // forwards: the words after it
    let (d1, o1) = (b.d1, b.o1);
    let (i, j) = walk(doc.len() - d1, out.len() - o1, |i, j| eq(d1 + i, o1 + j));
    (b.d1, b.o1) = (d1 + i, o1 + j);
}

/// One edge's extension: `same(i, j)` tells whether the `i`-th document word and the `j`-th output word from the
/// edge are equal, of at most `nd` and `no` words. A match scores one, a substitution, insertion or deletion of a
/// word costs one; the walk stops once the score falls [`EXTEND_DROP`] below its best, and gives the words of
/// each side taken at the best.
fn walk(nd: usize, no: usize, same: impl Fn(usize, usize) -> bool) -> (usize, usize) {
    let (mut i, mut j) = (0, 0);
    let (mut best, mut score, mut at) = (0i32, 0i32, (0, 0));
    while i < nd && j < no {
        if same(i, j) {
            i += 1;
            j += 1;
            score += 1;
        } else if i + 1 < nd && same(i + 1, j) {
            i += 2;
            j += 1;
            score -= 1;
        } else if j + 1 < no && same(i, j + 1) {
            i += 1;
            j += 2;
            score -= 1;
        } else {
            i += 1;
            j += 1;
            score -= 1;
        }
        if score > best {
            best = score;
            at = (i, j);
        } else if score < best - EXTEND_DROP {
            break;
        }
    }
    at
}

/// Levenshtein distance of two word slices ([`levenshtein`]), or the longer length where the slices are too long to align.
pub(super) fn word_distance(a: &[Word], b: &[Word]) -> usize {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    if a.len() * b.len() > MAX_ALIGN_CELLS {
        return a.len().max(b.len());
    }
    levenshtein(a, b)
}

/// Levenshtein distance of two word slices compared by hash (what `strsim::generic_levenshtein` gives on their
/// hashes): the common head and tail are dropped (which leaves the distance as it is), then a shorter side of up
/// to 64 words is aligned 64 cells at a time (Myers' bit-vector algorithm, in Hyyrö's form), a longer one by the
/// usual row of cells.
pub(super) fn levenshtein(a: &[Word], b: &[Word]) -> usize {
    let head = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| x.hash == y.hash)
        .count();
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x.hash == y.hash)
        .count();
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.len();
    }
    if short.len() > 64 {
        let mut row: Vec<usize> = (1..=short.len()).collect();
        let mut result = short.len();
        for (i, x) in long.iter().enumerate() {
            result = i + 1;
            let mut diagonal = i;
            for (cell, y) in row.iter_mut().zip(short) {
                let substitute = diagonal + usize::from(x.hash != y.hash);
                diagonal = *cell;
                result = (result + 1).min(substitute).min(diagonal + 1);
                *cell = result;
            }
        }
        return result;
    }
    let m = short.len();
    let last = 1u64 << (m - 1);
    let (mut vp, mut vn, mut dist) = (!0u64, 0u64, m);
    for y in long {
        let eq = short
            .iter()
            .enumerate()
            .fold(0u64, |e, (i, x)| e | (u64::from(x.hash == y.hash) << i));
        let x = eq | vn;
        let d0 = ((x & vp).wrapping_add(vp) ^ vp) | x;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            dist += 1;
        } else if hn & last != 0 {
            dist -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    dist
}

/// Word-level Levenshtein distance of a block's two spans and the length of that alignment (at least the longer
/// side), computed between consecutive seeds (which match exactly) so that long blocks cost linear time. Where
/// that finds many edits (seeds chained across a shifted diagonal make the piecewise distance overshoot), a
/// block small enough is aligned whole instead, and the better of the two is kept.
pub(super) fn block_distance(
    b: &Block,
    blocks: &Blocks,
    doc: &[Word],
    out: &[Word],
    k: usize,
) -> (usize, usize) {
    let (mut pd, mut po) = (b.d0, b.o0);
    let (mut dist, mut gaps_d, mut gaps_max) = (0, 0, 0);
    // a block's seeds are in the order `chain` took them: sorted, as the output's seeds are
    debug_assert!(blocks.seeds_of(b).is_sorted());
    let mut segment = |d0: usize, d1: usize, o0: usize, o1: usize| {
        gaps_d += d1 - d0;
        gaps_max += (d1 - d0).max(o1 - o0);
        word_distance(&doc[d0..d1], &out[o0..o1])
    };
    for (d, o) in blocks.seeds_of(b) {
        if d < pd || o < po {
            // overlaps the previous seed: it continues the exact run only on the same diagonal
            if d + k > pd && d as i64 - o as i64 == pd as i64 - po as i64 {
                pd = d + k;
                po = o + k;
            }
            continue;
        }
        dist += segment(pd, d, po, o);
        pd = d + k;
        po = o + k;
    }
    if pd < b.d1 || po < b.o1 {
        dist += segment(pd.min(b.d1), b.d1, po.min(b.o1), b.o1);
    }
    let (dl, ol) = (b.d1 - b.d0, b.o1 - b.o0);
    let alen = (dl - gaps_d.min(dl) + gaps_max).max(dl.max(ol));
    if dist * 4 > alen && dl * ol <= MAX_BLOCK_CELLS {
        let whole = word_distance(&doc[b.d0..b.d1], &out[b.o0..b.o1]);
        let longer = dl.max(ol);
        if (whole as f64) / (longer.max(1) as f64) < dist as f64 / alen.max(1) as f64 {
            return (whole, longer);
        }
    }
    (dist, alen)
}
