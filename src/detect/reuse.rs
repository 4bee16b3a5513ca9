//! Reuse: passages of an output's text found again in a document. Word shingles of the outputs are indexed once;
//! a document's shingles that hit the index are seeds, chained per output while both sides move forward with
//! small gaps (so light edits keep one passage, and reordered blocks give one passage each), then scored with a
//! token-level Levenshtein similarity (strsim) and filtered by length and similarity.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::config::DetectConfig;
use crate::records::Passage;
use crate::textutil::{snippet, tokenize, Token};

/// A shingle present in this many outputs or more is boilerplate and seeds nothing.
const BOILERPLATE_OUTPUTS: usize = 3;
/// Longest passage snippet kept for the tables and the report, in characters.
const SNIPPET_MAX_CHARS: usize = 400;
/// A shingle repeated more often than this within the outputs seeds nothing.
const MAX_POSTINGS: usize = 32;

fn shingle_hash(words: &[Token]) -> u64 {
    let mut h = DefaultHasher::new();
    for w in words {
        w.norm.hash(&mut h);
    }
    h.finish()
}

/// The outputs' texts, tokenised, with an index of their shingles.
#[derive(Debug)]
pub struct ReuseIndex {
    k: usize,
    outputs: Vec<(String, Vec<Token>)>,
    index: HashMap<u64, Vec<(u32, u32)>>,
}

#[derive(Debug, Clone, Copy)]
struct Chain {
    d0: usize,
    o0: usize,
    d1: usize,
    o1: usize,
    seeds: usize,
}

impl ReuseIndex {
    /// Indexes `(output id, text)` pairs.
    pub fn new(texts: &[(String, String)], cfg: &DetectConfig) -> ReuseIndex {
        let k = cfg.shingle_words;
        let mut index: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
        let mut outputs = Vec::with_capacity(texts.len());
        for (oi, (id, text)) in texts.iter().enumerate() {
            let tokens = tokenize(text);
            for (pos, w) in tokens.windows(k).enumerate() {
                index
                    .entry(shingle_hash(w))
                    .or_default()
                    .push((oi as u32, pos as u32));
            }
            outputs.push((id.clone(), tokens));
        }
        index.retain(|_, postings| {
            let distinct: HashSet<u32> = postings.iter().map(|p| p.0).collect();
            distinct.len() < BOILERPLATE_OUTPUTS && postings.len() <= MAX_POSTINGS
        });
        ReuseIndex { k, outputs, index }
    }

    /// Passages of indexed outputs found in `text`, whose words (from [`tokenize`]) are `tokens`.
    pub fn find(
        &self,
        doc_id: &str,
        text: &str,
        tokens: &[Token],
        cfg: &DetectConfig,
    ) -> Vec<Passage> {
        let k = self.k;
        let mut seeds: HashMap<u32, Vec<(usize, usize)>> = HashMap::new();
        for (d, w) in tokens.windows(k).enumerate() {
            if let Some(postings) = self.index.get(&shingle_hash(w)) {
                for &(o, opos) in postings {
                    seeds.entry(o).or_default().push((d, opos as usize));
                }
            }
        }
        let mut passages = Vec::new();
        let mut by_output: Vec<_> = seeds.into_iter().collect();
        by_output.sort_by_key(|(o, _)| *o);
        for (o, mut s) in by_output {
            s.sort_unstable();
            let (id, otoks) = &self.outputs[o as usize];
            let chains = chain(&s, cfg.max_gap_words);
            let mut spans: Vec<Passage> = Vec::new();
            for c in chains {
                if c.seeds < 2 {
                    continue;
                }
                let (dt0, dt1) = (c.d0, c.d1 + k - 1);
                let (ot0, ot1) = (c.o0, c.o1 + k - 1);
                spans.push(Passage {
                    doc_id: doc_id.to_string(),
                    output_id: id.clone(),
                    doc_start: dt0,
                    doc_end: dt1 + 1,
                    output_start: ot0,
                    output_end: ot1 + 1,
                    similarity: 0.0,
                    snippet: String::new(),
                });
            }
            // merge spans that overlap in the document (token indices still)
            spans.sort_by_key(|p| (p.doc_start, p.doc_end));
            let mut merged: Vec<Passage> = Vec::new();
            for p in spans {
                match merged.last_mut() {
                    Some(m)
                        if p.doc_start <= m.doc_end
                            && p.output_start <= m.output_end
                            && p.output_end >= m.output_start =>
                    {
                        m.doc_end = m.doc_end.max(p.doc_end);
                        m.output_start = m.output_start.min(p.output_start);
                        m.output_end = m.output_end.max(p.output_end);
                    }
                    _ => merged.push(p),
                }
            }
            for mut p in merged {
                let dw: Vec<&str> = tokens[p.doc_start..p.doc_end]
                    .iter()
                    .map(|t| t.norm.as_str())
                    .collect();
                let ow: Vec<&str> = otoks[p.output_start..p.output_end]
                    .iter()
                    .map(|t| t.norm.as_str())
                    .collect();
                let dist = strsim::generic_levenshtein(&dw, &ow);
                p.similarity = 1.0 - dist as f64 / dw.len().max(ow.len()).max(1) as f64;
                // token indices → character offsets
                p.doc_start = tokens[p.doc_start].start;
                p.doc_end = tokens[p.doc_end - 1].end;
                p.output_start = otoks[p.output_start].start;
                p.output_end = otoks[p.output_end - 1].end;
                if p.doc_end - p.doc_start >= cfg.min_passage_chars
                    && p.similarity >= cfg.min_similarity
                {
                    p.snippet = snippet(
                        text,
                        p.doc_start,
                        p.doc_end.min(p.doc_start + SNIPPET_MAX_CHARS),
                        0,
                    );
                    if p.doc_end - p.doc_start > SNIPPET_MAX_CHARS {
                        p.snippet.push('…');
                    }
                    passages.push(p);
                }
            }
        }
        passages.sort_by(|a, b| (a.doc_start, &a.output_id).cmp(&(b.doc_start, &b.output_id)));
        passages
    }
}

/// Chains seeds `(doc pos, output pos)`, sorted by doc pos, into runs that move forward on both sides with gaps
/// of at most `gap` words.
fn chain(seeds: &[(usize, usize)], gap: usize) -> Vec<Chain> {
    let mut open: Vec<Chain> = Vec::new();
    let mut done: Vec<Chain> = Vec::new();
    for &(d, o) in seeds {
        // close chains that can no longer be extended
        let mut i = 0;
        while i < open.len() {
            if d > open[i].d1 + gap {
                done.push(open.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let best = open
            .iter_mut()
            .filter(|c| d > c.d1 && o > c.o1 && o <= c.o1 + gap)
            .min_by_key(|c| (d - c.d1) + (o - c.o1));
        match best {
            Some(c) => {
                c.d1 = d;
                c.o1 = o;
                c.seeds += 1;
            }
            None => open.push(Chain {
                d0: d,
                o0: o,
                d1: d,
                o1: o,
                seeds: 1,
            }),
        }
    }
    done.extend(open);
    done.sort_by_key(|c| (c.d0, c.o0));
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Online abuse and gender-based violence against women is a growing concern. It ranges from \
        harassment and threats to the non-consensual sharing of intimate images, and it limits how women use the \
        Internet. Responses must involve platforms, governments and civil society working together with survivors.";

    fn index() -> (ReuseIndex, DetectConfig) {
        let cfg = DetectConfig::default();
        (
            ReuseIndex::new(&[("o1".to_string(), SOURCE.to_string())], &cfg),
            cfg,
        )
    }

    #[test]
    fn finds_verbatim_passage_with_exact_offsets() {
        let (idx, cfg) = index();
        let doc = format!("Our blog. {SOURCE} Thanks for reading.");
        let p = idx.find("d", &doc, &tokenize(&doc), &cfg);
        assert_eq!(p.len(), 1, "{p:?}");
        let got: String = doc
            .chars()
            .skip(p[0].doc_start)
            .take(p[0].doc_end - p[0].doc_start)
            .collect();
        assert!(
            got.starts_with("Online abuse") && got.ends_with("survivors"),
            "{got}"
        );
        assert_eq!(p[0].output_start, 0);
        assert!((p[0].similarity - 1.0).abs() < 1e-9);
    }

    #[test]
    fn survives_light_edits() {
        let (idx, cfg) = index();
        let edited = SOURCE
            .replace("growing concern", "serious and growing concern")
            .replace("limits how", "restricts how")
            .replace("working together", "acting together");
        let p = idx.find("d", &edited, &tokenize(&edited), &cfg);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].similarity > 0.8 && p[0].similarity < 1.0,
            "{}",
            p[0].similarity
        );
    }

    #[test]
    fn unrelated_text_finds_nothing() {
        let (idx, cfg) = index();
        let text = "Packet filters in the kernel compile bytecode for every socket.";
        let p = idx.find("d", text, &tokenize(text), &cfg);
        assert!(p.is_empty());
    }
}
