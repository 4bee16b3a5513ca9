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

/// What a document must hold to cite an output (see [`ReferenceIndex::may_cite`]): enough words of one cue group
/// (the series' and organisation's acronyms and names), or a name's words in the places a match of the name needs
/// them.
#[derive(Debug, Default)]
pub(super) struct Gate {
    /// Word hash (and its plural's) → what a document word with that hash can be: a word of a cue group, or the
    /// first or second word of a name.
    pub(super) of_hash: foldhash::HashMap<u64, Vec<GateWord>>,
    /// Per cue group: its first slot (a word's place among the group's distinct words, counted over all groups;
    /// a word and its plural are one word of a group, however often each stands); one more at the end, the
    /// number of slots.
    pub(super) first_slot: Vec<u32>,
    /// Per cue group: how many of its distinct words a document must hold (anywhere in it).
    pub(super) need: Vec<u32>,
    /// The names, each as its words' hashes.
    pub(super) names: Vec<GateName>,
    /// A name's first words have no hash to look for: every document may cite (never so with names of words).
    pub(super) open: bool,
    /// One bit per word hash of `of_hash` (by the hash's low bits): a clear bit answers the lookup of almost
    /// every word of a document from 8 KB, without the map.
    pub(super) bits: Vec<u64>,
}

/// What a word of a document can be, for the first look.
#[derive(Debug, Clone, Copy)]
pub(super) enum GateWord {
    /// A word of cue group `group`, in slot `slot`.
    Cue { group: u32, slot: u32 },
    /// Word `at` (0 or 1) of name `name`: where a match of the name can start. `other`: the hashes of the
    /// other of the name's first two words, where a match needs both in place (the name is matched exactly only,
    /// or across a page break); zeros where it need not stand.
    Name { name: u32, at: u8, other: [u64; 2] },
}

/// A name (a phrase of [`ReferenceIndex::find`]) as the first look reads it.
#[derive(Debug)]
pub(super) struct GateName {
    /// Per word of the name: the hashes of the document words whose stem it is ([`stem_hashes`]; one of them
    /// twice where there is one).
    pub(super) words: Vec<[u64; 2]>,
    /// Per word of the name (empty where none is): a word no hash stands for, which any document word may be.
    pub(super) any: Vec<bool>,
    /// Matched fuzzily too ([`Phrase::fuzzy`]).
    pub(super) fuzzy: bool,
    /// The phrase of [`ReferenceIndex::find`] it is.
    pub(super) phrase: u32,
}

/// Whether a match of a name can start at a word, as far as the words' hashes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    No,
    Yes,
    /// Only a fuzzy match can: how similar the words are decides.
    Fuzzy,
}

impl GateName {
    fn new(words: &[String], fuzzy: bool, phrase: usize) -> GateName {
        let hashes: Vec<Vec<u64>> = words.iter().map(|w| stem_hashes(w)).collect();
        let any: Vec<bool> = hashes.iter().map(Vec::is_empty).collect();
        GateName {
            words: hashes
                .iter()
                .map(|h| match h.as_slice() {
                    [a, b, ..] => [*a, *b],
                    [a] => [*a, *a],
                    [] => [0, 0],
                })
                .collect(),
            any: if any.contains(&true) { any } else { Vec::new() },
            fuzzy,
            phrase: phrase as u32,
        }
    }

    /// Whether document word `w` can be word `j` of the name.
    #[inline]
    fn holds(&self, j: usize, w: &crate::normalize::Word) -> bool {
        let [a, b] = self.words[j];
        a == w.hash || b == w.hash || self.any.get(j).copied().unwrap_or(false)
    }

    /// Whether a match of this name can start at word `i` of `words`, by each of the ways
    /// [`ReferenceIndex::find`] matches a name there. Exactly: every word in place. Across a page break (a name
    /// of five words or more): its first words in place, two or more, and the rest of it, in place, starting one
    /// to `MAX_BREAK_WORDS` words after them (the break itself is not looked at). Fuzzily (a name of three words
    /// or more): its first or its second word in place, and half its words or more (`may_be_similar`); then
    /// only the words' similarity can tell ([`Start::Fuzzy`]). Every way needs the name's length of words from
    /// `i` on.
    pub(super) fn may_start_at(&self, words: &[crate::normalize::Word], i: usize) -> Start {
        let n = self.words.len();
        let Some(window) = words.get(i..i + n) else {
            return Start::No;
        };
        if n == 0 {
            return Start::No;
        }
        let first = self.holds(0, &window[0]);
        let second = n > 1 && self.holds(1, &window[1]);
        if first && (n == 1 || second) {
            // the words in place from the first on
            let head = 1 + window[1..]
                .iter()
                .enumerate()
                .take_while(|&(j, w)| self.holds(j + 1, w))
                .count();
            if head == n {
                return Start::Yes;
            }
            // `find` takes the words equal from the first on (`head` or fewer, if a hash stood for two words)
            // and looks for the rest after them
            if n >= 5 {
                for k in 2..=head {
                    let rest = n - k;
                    let last =
                        (i + k + super::MAX_BREAK_WORDS).min(words.len().saturating_sub(rest));
                    for j in i + k + 1..=last {
                        if (0..rest).all(|r| self.holds(k + r, &words[j + r])) {
                            return Start::Yes;
                        }
                    }
                }
            }
        }
        if !self.fuzzy || (!first && !second) {
            return Start::No;
        }
        // half the words or more in place (`equal * 2 >= n`), counted until it is reached or out of reach
        let need = n.div_ceil(2);
        let mut equal = usize::from(first) + usize::from(second);
        for (j, w) in window.iter().enumerate().skip(2) {
            if equal >= need || equal + (n - j) < need {
                break;
            }
            equal += usize::from(self.holds(j, w));
        }
        if equal >= need {
            Start::Fuzzy
        } else {
            Start::No
        }
    }
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
    /// The first look's cue groups and names: a document can cite only if it holds enough words of one cue group
    /// — an acronym of the series or the organisation (also glued to a year, "IGF2019"), or every word of one of
    /// their names — or one name's words where a match of it needs them ([`GateName::may_start_at`]). Themes need
    /// the series named, so its groups are enough for them; every other name (titles, their variants, aliases)
    /// is looked for in place.
    pub(super) fn gate(phrases: &[Phrase], vocab: &Vocabulary) -> Gate {
        let mut groups: Vec<(Vec<String>, usize)> = Vec::new();
        for a in vocab.series_acronyms.iter().chain(&vocab.org_acronyms) {
            groups.push((vec![a.clone()], 1));
            for y in 1990..=2100 {
                groups.push((vec![format!("{a}{y}")], 1));
            }
        }
        for name in vocab.series_names.iter().chain(&vocab.org_names) {
            let distinct: std::collections::BTreeSet<&String> = name.iter().collect();
            groups.push((name.clone(), distinct.len()));
        }
        let mut gate = Gate::default();
        let mut slots = 0u32;
        for (g, (words, need)) in groups.into_iter().enumerate() {
            gate.need.push(need as u32);
            gate.first_slot.push(slots);
            let distinct: std::collections::BTreeSet<String> = words.into_iter().collect();
            for w in distinct {
                for h in stem_hashes(&w) {
                    gate.of_hash.entry(h).or_default().push(GateWord::Cue {
                        group: g as u32,
                        slot: slots,
                    });
                }
                slots += 1;
            }
        }
        gate.first_slot.push(slots);
        for (pi, p) in phrases.iter().enumerate() {
            let is_theme = p
                .candidates
                .iter()
                .all(|c| c.kind == MentionKind::ThemeYear);
            if is_theme {
                continue;
            }
            let name = gate.names.len() as u32;
            let g = GateName::new(&p.words, p.fuzzy, pi);
            // where a match starts, the name's first word stands, or its second where `find` looks the name up by
            // its second word too (`by_second`: a fuzzy match with a typo in the first word). A match that is not
            // fuzzy needs both (exact, or across a page break): it is looked for where the one that tells more
            // stands (not a word as common as "the"), the other beside it.
            let both = !p.fuzzy && p.words.len() > 1 && g.any.is_empty();
            let starts: Vec<(usize, [u64; 2])> = if both {
                let at = usize::from(
                    vocab.topic_ignore.contains(&p.words[0])
                        && !vocab.topic_ignore.contains(&p.words[1]),
                );
                vec![(at, g.words[1 - at])]
            } else {
                let n = if p.fuzzy(vocab) { 2 } else { 1 };
                (0..n).map(|at| (at, [0, 0])).collect()
            };
            for (at, other) in starts {
                let hashes = stem_hashes(&p.words[at]);
                // (a word no hash stands for could start a match anywhere)
                gate.open |= hashes.is_empty();
                for h in hashes {
                    gate.of_hash.entry(h).or_default().push(GateWord::Name {
                        name,
                        at: at as u8,
                        other,
                    });
                }
            }
            gate.names.push(g);
        }
        gate.bits = vec![0; GATE_BITS / 64];
        for &h in gate.of_hash.keys() {
            let i = h as usize & (GATE_BITS - 1);
            gate.bits[i / 64] |= 1 << (i % 64);
        }
        gate
    }

    /// A first look at a document's words (hashes from [`crate::normalize::words`], in the places of the words
    /// [`Self::find`] reads): whether a reference is possible: a cue anywhere, or a name's words in the places a
    /// match of the name needs them (common words of a title near each other, "local content", cite nothing
    /// unless they stand where the title's words would). A document without either cites nothing by name or
    /// context, and [`Self::find`] need not read it (links are looked at apart, see [`Self::links_an_output`]).
    /// A bit per word hash answers most words without the map; a name is checked only where its first or
    /// second word stands.
    pub fn may_cite(&self, words: &[crate::normalize::Word]) -> bool {
        self.first_look(words, None)
    }

    /// [`Self::may_cite`], for the document whose text is `text`: where only a fuzzy match of a name could start,
    /// the words there are read from the text and compared with the name as [`Self::find`] compares them with
    /// `cfg.min_name_similarity` (the same configuration must be handed to `find`).
    pub fn may_cite_text(
        &self,
        text: &str,
        words: &[crate::normalize::Word],
        cfg: &crate::config::DetectConfig,
    ) -> bool {
        self.first_look(words, Some((text, cfg.min_name_similarity)))
    }

    /// Whether a fuzzy match of `phrase` can start at word `i` of the document whose text is `text` and words
    /// `words`: what [`Self::find`] asks of the stemmed words there (taken from the text; where they cannot be
    /// told, the answer is yes).
    fn fuzzy_at(
        phrase: &Phrase,
        text: &str,
        words: &[crate::normalize::Word],
        i: usize,
        min: f64,
    ) -> bool {
        let n = phrase.words.len();
        let (start, end) = (words[i].start as usize, words[i + n - 1].end as usize);
        let Some(b0) = super::super::char_to_byte(text, start) else {
            return true;
        };
        let Some(b1) = super::super::char_to_byte(&text[b0..], end.saturating_sub(start)) else {
            return true;
        };
        let found: Vec<String> = crate::normalize::word_strings(&text[b0..b0 + b1])
            .into_iter()
            .map(|(w, _, _)| stem(&w))
            .collect();
        if found.len() != n {
            return true;
        }
        (found[0] == phrase.words[0] || found[1] == phrase.words[1])
            && may_be_similar(&found, phrase, min)
            && strsim::normalized_levenshtein(&found.join(" "), &phrase.joined) >= min
    }

    fn first_look(&self, words: &[crate::normalize::Word], text: Option<(&str, f64)>) -> bool {
        thread_local! {
            /// Per slot of a cue group word: whether it stands in the document at hand, and the slots set, to
            /// clear them for the next document.
            static SEEN: std::cell::RefCell<(Vec<bool>, Vec<u32>)> = Default::default();
        }
        let gate = &self.gate;
        if gate.open {
            return true;
        }
        SEEN.with_borrow_mut(|(seen, set)| {
            let slots = gate.first_slot.last().copied().unwrap_or(0) as usize;
            if seen.len() != slots {
                *seen = vec![false; slots];
            }
            let found = words.iter().enumerate().any(|(at, w)| {
                if !gate.may_hold(w.hash) {
                    return false;
                }
                let Some(can_be) = gate.of_hash.get(&w.hash) else {
                    return false;
                };
                can_be.iter().any(|&c| match c {
                    GateWord::Cue { group, slot } => {
                        if !seen[slot as usize] {
                            seen[slot as usize] = true;
                            set.push(slot);
                        }
                        let g = group as usize;
                        let group =
                            &seen[gate.first_slot[g] as usize..gate.first_slot[g + 1] as usize];
                        group.iter().filter(|&&s| s).count() >= gate.need[g] as usize
                    }
                    GateWord::Name { name, at: j, other } => {
                        let Some(i) = at.checked_sub(j as usize) else {
                            return false;
                        };
                        // most places where one of a name's first words stands lack the other one it needs
                        let beside = if j == 0 { at + 1 } else { i };
                        let wanted = other == [0, 0]
                            || words
                                .get(beside)
                                .is_some_and(|w| other[0] == w.hash || other[1] == w.hash);
                        if !wanted {
                            return false;
                        }
                        let g = &gate.names[name as usize];
                        match g.may_start_at(words, i) {
                            Start::No => false,
                            Start::Yes => true,
                            Start::Fuzzy => text.is_none_or(|(text, min)| {
                                Self::fuzzy_at(
                                    &self.phrases[g.phrase as usize],
                                    text,
                                    words,
                                    i,
                                    min,
                                )
                            }),
                        }
                    }
                })
            });
            for &slot in set.iter() {
                seen[slot as usize] = false;
            }
            set.clear();
            found
        })
    }
}
