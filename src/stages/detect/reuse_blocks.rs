//! Blocks: one output's seeds in a document chained into runs that move forward on both sides, and the runs
//! that can be part of a passage. A block's seeds are a linked list in one arena ([`Blocks`]), kept from one
//! document to the next with the rest of a [`super::Probe`]: chaining allocates nothing once the arena has grown.

use super::{DetectConfig, Seed};

/// The end of a block's list of seeds.
const END: u32 = u32::MAX;

/// A run of seeds moving forward on both sides; its seeds are in [`Blocks::seeds`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    /// The first seed's place in the arena.
    first: u32,
    /// The last seed's place in the arena.
    tail: u32,
    /// Number of seeds.
    pub(super) len: u32,
    /// The last seed chained.
    last: (usize, usize),
    pub(super) d0: usize,
    pub(super) d1: usize,
    pub(super) o0: usize,
    pub(super) o1: usize,
}

/// The blocks of one output in one document, with the memory they use, kept from one document to the next.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    /// Every block's seeds: `(document word, output word, the next seed of the block or END)`.
    seeds: Vec<(u32, u32, u32)>,
    /// Blocks still open to seeds while chaining.
    open: Vec<Block>,
    /// The blocks, sorted by document word, then output word.
    pub(super) list: Vec<Block>,
}

impl Blocks {
    /// The seeds `(document word, output word)` of block `b`, in the order they were chained (sorted).
    pub(super) fn seeds_of(&self, b: &Block) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut at = b.first;
        std::iter::from_fn(move || {
            let &(d, o, next) = self.seeds.get(at as usize)?;
            at = next;
            Some((d as usize, o as usize))
        })
    }

    /// Chains seeds `(doc word, output word, entry)`, sorted by doc word, into blocks that move forward on both
    /// sides with gaps of at most `gap` words; into `self.list`, sorted by document word, then output word.
    pub(super) fn chain(&mut self, seeds: &[Seed], gap: usize, k: usize) {
        let Blocks {
            seeds: arena,
            open,
            list,
        } = self;
        arena.clear();
        open.clear();
        list.clear();
        for &(d, o, _) in seeds {
            let (d, o) = (d as usize, o as usize);
            let mut i = 0;
            while i < open.len() {
                if d > open[i].d1 + gap {
                    list.push(open.swap_remove(i));
                } else {
                    i += 1;
                }
            }
            let best = open
                .iter_mut()
                .filter(|b| {
                    let (ld, lo) = b.last;
                    d > ld && o > lo && d <= b.d1 + gap && o <= b.o1 + gap
                })
                .min_by_key(|b| {
                    let (ld, lo) = b.last;
                    (d - ld).abs_diff(o - lo) * 2 + (d - ld) + (o - lo)
                });
            let at = arena.len() as u32;
            arena.push((d as u32, o as u32, END));
            match best {
                Some(b) => {
                    b.d1 = b.d1.max(d + k);
                    b.o1 = b.o1.max(o + k);
                    b.last = (d, o);
                    arena[b.tail as usize].2 = at;
                    b.tail = at;
                    b.len += 1;
                }
                None => open.push(Block {
                    first: at,
                    tail: at,
                    len: 1,
                    last: (d, o),
                    d0: d,
                    d1: d + k,
                    o0: o,
                    o1: o + k,
                }),
            }
        }
        list.append(open);
        list.sort_by_key(|b| (b.d0, b.o0));
    }

    /// Keeps the blocks (sorted by document word) that can be part of a passage: those in a run of blocks each
    /// within `max_gap_words` of the next in the document with `min_seeds` seeds between them. Lone seeds of
    /// unrelated text (a shared phrase) are dropped here, before the cost of extending them.
    pub(super) fn keep_hopeful(&mut self, cfg: &DetectConfig) {
        let list = &mut self.list;
        let mut kept = 0;
        // the run at hand: its first block, how far it reaches in the document and its seeds
        let (mut run, mut reach, mut seeds) = (0usize, 0usize, 0usize);
        for i in 0..list.len() {
            let b = list[i];
            if i > run && b.d0 > reach + cfg.max_gap_words {
                if seeds >= cfg.min_seeds {
                    list.copy_within(run..i, kept);
                    kept += i - run;
                }
                run = i;
                seeds = 0;
            }
            reach = if i == run { b.d1 } else { reach.max(b.d1) };
            seeds += b.len as usize;
        }
        if seeds >= cfg.min_seeds {
            let end = list.len();
            list.copy_within(run..end, kept);
            kept += end - run;
        }
        list.truncate(kept);
    }
}
