//! The names of the outputs, ready to match: titles, aliases, themes and the shorter forms derived from the titles,
//! and the first look that tells which documents can cite at all.

use super::{MentionKind, ReferenceIndex};
use crate::detect::context;
use crate::detect::vocabulary::{stem, Vocabulary};
use crate::textutil::collapse_whitespace;

#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) output: usize,
    pub(super) kind: MentionKind,
    /// A variant derived from the title (its opening words): a citation only with the series named or a year
    /// written beside it.
    pub(super) derived: bool,
}

#[derive(Debug)]
pub(super) struct Phrase {
    pub(super) words: Vec<String>,
    pub(super) joined: String,
    pub(super) candidates: Vec<Candidate>,
    /// Matched fuzzily too: a written name (not a title's opening) of three words or more.
    pub(super) fuzzy: bool,
}

impl Phrase {
    pub(super) fn fuzzy(&self, vocab: &Vocabulary) -> bool {
        self.fuzzy && !vocab.topic_ignore.contains(&self.words[1])
    }
}

/// Cheap bounds before an edit distance: the lengths of the two must be close enough, and most words must stand
/// equal in place, for the similarity to reach `min` (a Levenshtein distance is at least the difference of the
/// lengths).
pub(super) fn may_be_similar(window: &[String], phrase: &Phrase, min: f64) -> bool {
    let len = |ws: &[String]| {
        ws.iter().map(|w| w.chars().count()).sum::<usize>() + ws.len().saturating_sub(1)
    };
    let (a, b) = (len(window), phrase.joined.chars().count());
    let longest = a.max(b) as f64;
    if (a.abs_diff(b) as f64) > (1.0 - min) * longest {
        return false;
    }
    let equal = window
        .iter()
        .zip(&phrase.words)
        .filter(|(x, y)| x == y)
        .count();
    equal * 2 >= phrase.words.len()
}

/// Groups of words a document must hold enough of to cite an output (see [`ReferenceIndex::may_cite`]).
#[derive(Debug, Default)]
pub(super) struct Gate {
    /// Word hash (and its plural's) → the groups it belongs to, each with the word's slot: the word's place
    /// among the group's distinct words, counted over all groups (a word and its plural are one word of a
    /// group, however often each stands; group `g`'s words have slots `first_slot[g]..first_slot[g + 1]`).
    pub(super) groups_of: foldhash::HashMap<u64, Vec<(u32, u32)>>,
    /// Per group: its first slot; one more at the end, the number of slots.
    pub(super) first_slot: Vec<u32>,
    /// Per group: how many of its distinct words a document must hold.
    pub(super) need: Vec<u32>,
    /// Per group: the fewest consecutive words that must hold them (a name is matched where its words stand
    /// together; `usize::MAX` where they may be anywhere in the document).
    pub(super) reach: Vec<usize>,
    /// One bit per word hash of `groups_of` (by the hash's low bits): a clear bit answers the lookup of almost
    /// every word of a document from 8 KB, without the map.
    pub(super) bits: Vec<u64>,
}

/// Bits in [`Gate::bits`] (a power of two).
const GATE_BITS: usize = 1 << 16;

impl Gate {
    #[inline]
    fn may_hold(&self, h: u64) -> bool {
        let i = h as usize & (GATE_BITS - 1);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The hashes a document's word has when its stem is `stem`: the stem itself and its plural.
pub(super) fn stem_hashes(stem: &str) -> Vec<u64> {
    [stem.to_string(), format!("{stem}s")]
        .iter()
        .filter(|v| self::stem(v) == stem)
        .filter_map(|v| match crate::normalize::words(v).as_slice() {
            [w] => Some(w.hash),
            _ => None,
        })
        .collect()
}

/// Fewest words of a title's opening that stand for it (with a year or the series beside them).
pub(super) const MIN_PREFIX_WORDS: usize = 4;

/// Shorter forms of a title that people cite it by: cut at its parenthesis, colon or dash ("Regulation and
/// Mitigation of Unsolicited Communications" for the title ending "(e.g. spam)"), with the acronyms it defines
/// standing for their expansions ("IoT, Big Data, AI") or dropped. Each comes with whether it is only the
/// title's opening (needs a year or the series beside it).
pub fn title_variants(title: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |v: String, derived: bool| {
        let v = collapse_whitespace(v.trim().trim_end_matches([',', ':', '-', '–', ' ']));
        if !v.is_empty() && v != title && !out.iter().any(|(x, _)| *x == v) {
            out.push((v, derived));
        }
    };
    // cut at the first parenthesis, colon or spaced dash
    for sep in ["(", ":", " – ", " — ", " - "] {
        if let Some(i) = title.find(sep) {
            push(title[..i].to_string(), false);
        }
    }
    // acronyms defined in the title: "Internet of Things (IoT)" → "IoT"; or the parenthesis dropped
    let mut with_acronyms = title.to_string();
    let mut without = title.to_string();
    for acronym in context::title_acronyms(title) {
        let paren = format!("({acronym})");
        let Some(at) = title.find(&paren) else {
            continue;
        };
        let letters: Vec<char> = acronym.chars().filter(char::is_ascii_uppercase).collect();
        let before: Vec<&str> = title[..at].split_whitespace().collect();
        let mut k = 0;
        let mut taken = 0;
        for w in before.iter().rev() {
            if k == letters.len() {
                break;
            }
            taken += 1;
            if w.chars()
                .next()
                .is_some_and(|c| c.to_ascii_uppercase() == letters[letters.len() - 1 - k])
            {
                k += 1;
            }
        }
        if k == letters.len() {
            let expansion = before[before.len() - taken..].join(" ");
            with_acronyms = with_acronyms.replacen(&format!("{expansion} {paren}"), &acronym, 1);
        }
        without = without.replacen(&format!(" {paren}"), "", 1);
    }
    push(with_acronyms.clone(), false);
    push(without, false);
    // the opening words of the title (and of its acronym form), ending on a word that carries meaning
    for base in [title.to_string(), with_acronyms] {
        let ws: Vec<&str> = base.split_whitespace().collect();
        for n in MIN_PREFIX_WORDS..ws.len() {
            let last = ws[n - 1]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let weak = last.len() < 3
                || matches!(
                    last.as_str(),
                    "and"
                        | "the"
                        | "for"
                        | "with"
                        | "from"
                        | "into"
                        | "that"
                        | "of"
                        | "in"
                        | "to"
                        | "on"
                        | "a"
                );
            if !weak && !ws[n - 1].ends_with('(') {
                push(ws[..n].join(" "), true);
            }
        }
    }
    out
}

impl ReferenceIndex {
    /// The first look's word groups: a document can cite by name only if it holds enough words of one group —
    /// an acronym of the series or the organisation (also glued to a year, "IGF2019"); all but one word of one of
    /// their names ("Best Practice Fortum" still counts); half the words of a name that cites without them (titles
    /// and their variants: a fuzzy match needs half its words in place). Themes need the series named, so its
    /// groups are enough for them.
    pub(super) fn gate(phrases: &[Phrase], vocab: &Vocabulary) -> Gate {
        let mut groups: Vec<(Vec<String>, usize, usize)> = Vec::new();
        for a in vocab.series_acronyms.iter().chain(&vocab.org_acronyms) {
            groups.push((vec![a.clone()], 1, usize::MAX));
            for y in 1990..=2100 {
                groups.push((vec![format!("{a}{y}")], 1, usize::MAX));
            }
        }
        for name in vocab.series_names.iter().chain(&vocab.org_names) {
            let distinct: std::collections::BTreeSet<&String> = name.iter().collect();
            groups.push((name.clone(), distinct.len(), usize::MAX));
        }
        for p in phrases {
            let is_theme = p
                .candidates
                .iter()
                .all(|c| c.kind == MentionKind::ThemeYear);
            // a name holding an acronym or the series' name is covered by their groups
            let cued = p
                .words
                .iter()
                .any(|w| vocab.is_series_acronym(w) || vocab.is_org_acronym(w))
                || vocab
                    .series_names
                    .iter()
                    .any(|n| p.words.windows(n.len()).any(|w| w == n.as_slice()));
            if !is_theme && !cued {
                // the words that carry meaning (a fuzzy match needs half of them in place)
                let content: std::collections::BTreeSet<&String> = p
                    .words
                    .iter()
                    .filter(|w| !vocab.topic_ignore.contains(w))
                    .collect();
                let content: Vec<String> = if content.is_empty() {
                    p.words.clone()
                } else {
                    content.into_iter().cloned().collect()
                };
                // every word for an exact match; half for a fuzzy one
                let need = if p.fuzzy && content.len() > 2 {
                    content.len().div_ceil(2).max(2)
                } else {
                    content.len()
                };
                // [`ReferenceIndex::find`] matches a name over its own number of words, or that many and up to
                // `MAX_BREAK_WORDS` more across a page break: its words stand within that reach of each other
                groups.push((content, need, p.words.len() + super::MAX_BREAK_WORDS));
            }
        }
        let mut gate = Gate::default();
        let mut slots = 0u32;
        for (g, (words, need, reach)) in groups.into_iter().enumerate() {
            gate.need.push(need as u32);
            gate.reach.push(reach);
            gate.first_slot.push(slots);
            let distinct: std::collections::BTreeSet<String> = words.into_iter().collect();
            for w in distinct {
                for h in stem_hashes(&w) {
                    gate.groups_of.entry(h).or_default().push((g as u32, slots));
                }
                slots += 1;
            }
        }
        gate.first_slot.push(slots);
        gate.bits = vec![0; GATE_BITS / 64];
        for &h in gate.groups_of.keys() {
            let i = h as usize & (GATE_BITS - 1);
            gate.bits[i / 64] |= 1 << (i % 64);
        }
        gate
    }

    /// A first look at a document's words (hashes from [`crate::normalize::words`]): whether it holds enough
    /// words of one name or cue for a reference to be possible: a cue anywhere, or a name's words as close
    /// together as a match of the name needs them (common words of a title scattered over a page cite nothing).
    /// A document without them cites nothing by name or context, and [`Self::find`] need not read it (links are
    /// looked at apart, see [`Self::links_an_output`]). A bit per word hash answers most words without the map.
    pub fn may_cite(&self, words: &[crate::normalize::Word]) -> bool {
        thread_local! {
            /// Per slot of a group word: where it last stood in the document at hand (`usize::MAX`: nowhere),
            /// and the slots set, to clear them for the next document.
            static SEEN: std::cell::RefCell<(Vec<usize>, Vec<u32>)> = Default::default();
        }
        let gate = &self.gate;
        SEEN.with_borrow_mut(|(last, set)| {
            let slots = gate.first_slot.last().copied().unwrap_or(0) as usize;
            if last.len() != slots {
                *last = vec![usize::MAX; slots];
            }
            let found = words.iter().enumerate().any(|(at, w)| {
                if !gate.may_hold(w.hash) {
                    return false;
                }
                let Some(groups) = gate.groups_of.get(&w.hash) else {
                    return false;
                };
                groups.iter().any(|&(g, slot)| {
                    if last[slot as usize] == usize::MAX {
                        set.push(slot);
                    }
                    last[slot as usize] = at;
                    let g = g as usize;
                    let group = &last[gate.first_slot[g] as usize..gate.first_slot[g + 1] as usize];
                    let reach = gate.reach[g];
                    let near = group
                        .iter()
                        .filter(|&&q| q != usize::MAX && at - q < reach)
                        .count();
                    near >= gate.need[g] as usize
                })
            });
            for &slot in set.iter() {
                last[slot as usize] = usize::MAX;
            }
            set.clear();
            found
        })
    }
}
