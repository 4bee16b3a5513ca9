//! The seeds a document can give: whether the shingles a scan found can seed any passage at all, the question
//! the detection pre-filter asks ([`crate::detect::prefilter`]) before the detector builds anything.

use super::{DetectConfig, Probe, ReuseIndex, Seed, CHAIN_GAP};

impl ReuseIndex {
    /// The farthest apart, in document words, two seeds of one output can stand and still count towards one
    /// passage: `chain` puts a seed into a block within `CHAIN_GAP` words after the block's last seed's
    /// shingle, `hopeful` keeps blocks that start within `max_gap_words` of the shingles before them, and only
    /// those with `min_seeds` seeds together. Seeds of one output split wherever two in a row (in document order)
    /// stand farther apart than this can give no passage unless one side holds `min_seeds` seeds.
    pub(crate) fn seed_reach(&self, cfg: &DetectConfig) -> usize {
        self.k + cfg.max_gap_words.max(CHAIN_GAP)
    }

    /// Whether the shingles `probe` found ([`Self::scan`]) can seed a passage: whether they give one output
    /// `min_seeds` seeds (one per place the output holds a shingle) with no two in a row farther apart than
    /// [`Self::seed_reach`]. [`Self::find_probed`] builds nothing from less (it also drops shingles repeated in
    /// the document, which are counted here: the count can only be higher). The detection pre-filter's question
    /// ([`crate::detect::prefilter`]).
    pub(crate) fn may_seed(&self, probe: &mut Probe, cfg: &DetectConfig) -> bool {
        let (reach, min) = (self.seed_reach(cfg), cfg.min_seeds.max(1));
        // the table lookups, kept for the detector's seeds
        if !probe.looked_up {
            self.look_up(probe);
        }
        // per output with seeds: (output, seeds since the last gap wider than `reach`, where the last stood)
        let mut counts: Vec<(u32, usize, usize)> = Vec::new();
        for &(first, d, len) in &probe.hits {
            let d = d as usize;
            for &(o, _) in &self.postings[first as usize..(first + len) as usize] {
                let c = match counts.iter().position(|c| c.0 == o) {
                    Some(i) => &mut counts[i],
                    None => {
                        counts.push((o, 0, d));
                        counts.last_mut().expect("one pushed")
                    }
                };
                if d - c.2 > reach {
                    c.1 = 0;
                }
                c.1 += 1;
                c.2 = d;
                if c.1 >= min {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether `seeds` (one output's, sorted by document word) hold `min` in a row with no two farther apart in the
/// document than `reach`: what the blocks [`Blocks::keep_hopeful`](super::blocks::Blocks::keep_hopeful) keeps
/// need (a block's seeds stand at most `k` + `CHAIN_GAP` words apart, and a run's blocks at most `k` +
/// `max_gap_words`), so that an output whose seeds fail it has no block to chain and extend.
pub(super) fn in_reach(seeds: &[Seed], reach: usize, min: usize) -> bool {
    let mut run = 0;
    let mut last = 0u32;
    for &(d, _, _) in seeds {
        if run > 0 && (d - last) as usize > reach {
            run = 0;
        }
        run += 1;
        last = d;
        if run >= min {
            return true;
        }
    }
    false
}
