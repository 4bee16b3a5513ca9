//! References: titles, aliases and themes (with a forum cue and a year) matched in a document's words, fuzzily
//! where a phrase is long enough, plus links to an output's URLs. A name shared by several outputs is given to
//! one only when a year next to it says which; otherwise it is left out, never guessed.

pub use crate::textutil::normalize_url;
use std::collections::HashMap;

use super::context::{self, Context, Subject, Topics};
use super::vocabulary::{
    anchored, drop_unanchored_names, scan_cues, scan_years, stem, stem_words, Cue, Vocabulary,
    YearMark,
};
use crate::config::DetectConfig;
use crate::records::{Document, Mention, MentionKind, Output, ThemeMention};
use crate::textutil::{collapse_whitespace, snippet_chars, urls_in_text, Token};

// Cues: a theme needs the series named beside it (the vocabulary's `[series]`: naming the organisation alone
// is not enough, "at IGF 2016 we discussed cybersecurity" cites no forum output); a short name needs the series
// or the organisation. "Best Practice Forum on <theme>" is matched through the outputs' aliases, under the rules
// for generic forum names.
/// Phrases shorter than this many words are matched exactly only.
const MIN_FUZZY_WORDS: usize = 3;
/// How far, in words, a theme's cue and year may stand from it.
const THEME_REACH_WORDS: usize = 8;
/// Most words a page break may put inside a title (a page number, a running head).
const MAX_BREAK_WORDS: usize = 8;
/// Score of a title found across a page break.
const PAGE_BREAK_SCORE: f64 = 0.95;
/// How many of a document's first lines may name its subject when its title does not.
const HEADING_LINES: usize = 5;
/// Longest line, in words, read as a heading.
const HEADING_MAX_WORDS: usize = 14;
/// Score of a contextual citation (series, year and topic, no name).
const CONTEXT_SCORE: f64 = 0.8;
/// Snippet context either side of a mention, in characters.
const SNIPPET_CHARS: usize = 80;

/// A document's words, stemmed words and characters, for looking around a match.
struct DocWords<'a> {
    tokens: &'a [Token],
    words: Vec<String>,
    chars: Vec<char>,
    /// Per word: whether it names the series or the organisation (acronyms that mean something else in this
    /// document, "BPF: basis point fee", "IGF-1", name neither).
    cues: Vec<Cue>,
    /// Every year the document writes: figures, ranges, meetings, relative years.
    years: Vec<YearMark>,
    /// The year of the document's title or heading, if it gives one.
    heading_year: Option<i32>,
}

/// What a matched name refers to.
enum Resolved {
    /// These outputs.
    Outputs(Vec<(usize, MentionKind)>),
    /// A name shared by these outputs, with the forum named but no year to choose: a theme-level mention.
    Theme(Vec<usize>),
}

/// Characters either side of a series acronym searched for a definition of it.
const DEFINITION_REACH_CHARS: usize = 60;

/// Whether the text defines the series' acronym as something else ("BPF: basis point fee", "Berkeley Packet Filter
/// (BPF)", eBPF programs). Only the text around each written acronym is searched: most documents never write it
/// and cost one scan of their words.
fn series_defined_otherwise(
    vocab: &Vocabulary,
    words: &[String],
    tokens: &[Token],
    chars: &[char],
) -> bool {
    static AFTER: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let after_re = AFTER.get_or_init(|| {
        regex::Regex::new(r"^s?\s*(?::|=|\(|–|—| - )\s*((?:[A-Za-z]+[\s-]+){0,4}[A-Za-z]+)")
            .expect("a valid pattern")
    });
    static BEFORE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let before_re = BEFORE.get_or_init(|| {
        regex::Regex::new(r"((?:[A-Za-z]+[\s-]+){0,4}[A-Za-z]+)\s*\(\s*$").expect("a valid pattern")
    });
    static CLOSE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let close_re = CLOSE.get_or_init(|| regex::Regex::new(r"^s?\s*\)").expect("a valid pattern"));
    // An expansion: words whose initials spell the acronym (from the first words after it, or the last before),
    // and that are not one of the series' own names ("Best Practice Forum").
    let expands_otherwise = |acronym: &str, defined: &str, from_end: bool| {
        let ws: Vec<&str> = defined
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .collect();
        let n = acronym.len();
        if ws.len() < n {
            return false;
        }
        let pick = if from_end {
            &ws[ws.len() - n..]
        } else {
            &ws[..n]
        };
        let initials: String = pick
            .iter()
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_lowercase();
        if initials != acronym {
            return false;
        }
        let stemmed = stem_words(&pick.join(" "));
        !vocab
            .series_names
            .iter()
            .any(|p| p.starts_with(&stemmed) || stemmed.starts_with(p))
    };
    for (i, w) in words.iter().enumerate() {
        // "ebpf" is not a series acronym but says the document is about packet filters
        if vocab
            .series_acronyms
            .iter()
            .any(|a| w.len() == a.len() + 1 && w.starts_with('e') && w.ends_with(a.as_str()))
        {
            return true;
        }
        if !vocab.is_series_acronym(w) {
            continue;
        }
        let (s, e) = (tokens[i].start, tokens[i].end);
        let after: String = chars[e..(e + DEFINITION_REACH_CHARS).min(chars.len())]
            .iter()
            .collect();
        let ahead: String = chars[s.saturating_sub(DEFINITION_REACH_CHARS)..s]
            .iter()
            .collect();
        // "BPF program", "BPF maps": the packet filter's own words right after it
        if words
            .get(i + 1)
            .is_some_and(|n| vocab.series_trap_words.contains(n))
        {
            return true;
        }
        if after_re
            .captures(&after)
            .is_some_and(|c| expands_otherwise(w, &c[1], false))
        {
            return true;
        }
        if close_re.is_match(&after)
            && before_re
                .captures(&ahead)
                .is_some_and(|c| expands_otherwise(w, &c[1], true))
        {
            return true;
        }
    }
    false
}

/// Whether the organisation's acronym means something else here ("Intergovernmental Forum on Mining", "IGF-1").
fn org_defined_otherwise(vocab: &Vocabulary, words: &[String]) -> bool {
    if !words.iter().any(|w| vocab.is_org_acronym(w)) {
        return false;
    }
    (0..words.len()).any(|i| {
        vocab
            .org_otherwise
            .iter()
            .any(|p| super::vocabulary::phrase_at(words, i, p))
    })
}

/// A bare four-digit year (1990 to 2100).
fn year_of_word(w: &str) -> Option<i32> {
    let y: i32 = w.parse().ok()?;
    (w.len() == 4 && (1990..=2100).contains(&y)).then_some(y)
}

/// The heading or list title above a list item, as its stemmed words: the mention's line must be a list item or a
/// short line; the first line above it that is neither a list item nor blank must be short.
fn heading_words(chars: &[char], at: usize) -> Option<Vec<String>> {
    let line_start = |pos: usize| {
        let mut p = pos.min(chars.len());
        while p > 0 && chars[p - 1] != '\n' {
            p -= 1;
        }
        p
    };
    let line_at = |start: usize| {
        let mut e = start;
        while e < chars.len() && chars[e] != '\n' {
            e += 1;
        }
        chars[start..e].iter().collect::<String>()
    };
    let is_item = |l: &str| {
        let t = l.trim_start();
        t.starts_with(['-', '*', '•', '–', '·'])
            || t.split_once(['.', ')']).is_some_and(|(n, _)| {
                !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())
            })
    };
    let short = |l: &str| l.split_whitespace().count() <= 12;
    let mut start = line_start(at);
    let own = line_at(start);
    if !(is_item(&own) || short(&own)) {
        return None;
    }
    for _ in 0..40 {
        if start == 0 {
            return None;
        }
        start = line_start(start - 1);
        let line = line_at(start);
        if line.trim().is_empty() || is_item(&line) {
            continue;
        }
        if !short(&line) {
            return None;
        }
        return Some(stem_words(&line));
    }
    None
}

#[derive(Debug, Clone)]
struct Candidate {
    output: usize,
    kind: MentionKind,
    /// A variant derived from the title (its opening words): a citation only with the series named or a year
    /// written beside it.
    derived: bool,
}

#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    joined: String,
    candidates: Vec<Candidate>,
    /// Matched fuzzily too: a written name (not a title's opening) of three words or more.
    fuzzy: bool,
}

impl Phrase {
    fn fuzzy(&self, vocab: &Vocabulary) -> bool {
        self.fuzzy && !vocab.topic_ignore.contains(&self.words[1])
    }
}

/// Cheap bounds before an edit distance: the lengths of the two must be close enough, and most words must stand
/// equal in place, for the similarity to reach `min` (a Levenshtein distance is at least the difference of the
/// lengths).
fn may_be_similar(window: &[String], phrase: &Phrase, min: f64) -> bool {
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

/// The names of every output, ready to match.
#[derive(Debug)]
pub struct ReferenceIndex {
    phrases: Vec<Phrase>,
    by_first: foldhash::HashMap<String, Vec<usize>>,
    by_second: foldhash::HashMap<String, Vec<usize>>,
    years: Vec<i32>,
    ids: Vec<String>,
    themes: Vec<Option<String>>,
    urls: HashMap<String, usize>,
    vocab: Vocabulary,
    topics: Topics,
    /// The first look: see [`ReferenceIndex::may_cite`].
    gate: Gate,
}

/// Groups of words a document must hold enough of to cite an output (see [`ReferenceIndex::may_cite`]).
#[derive(Debug, Default)]
struct Gate {
    /// Word hash (and its plural's) → the groups it belongs to.
    groups_of: foldhash::HashMap<u64, Vec<u32>>,
    /// Per group: how many of its distinct words a document must hold.
    need: Vec<u32>,
}

/// The hashes a document's word has when its stem is `stem`: the stem itself and its plural.
fn stem_hashes(stem: &str) -> Vec<u64> {
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
const MIN_PREFIX_WORDS: usize = 4;

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

/// The characters `[start, end)` with white space collapsed.
fn matched_text(chars: &[char], start: usize, end: usize) -> String {
    let end = end.min(chars.len());
    collapse_whitespace(&chars[start.min(end)..end].iter().collect::<String>())
}

/// Whether the text between two tokens ends a sentence: a paragraph break, or `.`, `!`, `?` or `;` before
/// white space.
fn boundary(chars: &[char], from: usize, to: usize) -> bool {
    let gap = &chars[from.min(chars.len())..to.min(chars.len())];
    gap.windows(2).any(|w| {
        (w[0] == '\n' && w[1] == '\n')
            || (matches!(w[0], '.' | '!' | '?' | ';') && w[1].is_whitespace())
    }) || gap.last().is_some_and(|c| matches!(c, '!' | '?' | ';'))
}

impl ReferenceIndex {
    /// The index with the bundled vocabulary.
    pub fn new(outputs: &[Output]) -> ReferenceIndex {
        ReferenceIndex::with_vocabulary(outputs, Vocabulary::bundled())
    }

    /// The index of `outputs`, read with a catalogue's vocabulary.
    pub fn with_vocabulary(outputs: &[Output], vocab: Vocabulary) -> ReferenceIndex {
        let mut by_words: HashMap<Vec<String>, Vec<Candidate>> = HashMap::new();
        let mut add = |text: &str, output: usize, kind: MentionKind, derived: bool| {
            let words = stem_words(text);
            if words.is_empty() {
                return;
            }
            let c = by_words.entry(words).or_default();
            match c.iter_mut().find(|x| x.output == output) {
                // a written name is never weaker than a derived one
                Some(x) => x.derived &= derived,
                None => c.push(Candidate {
                    output,
                    kind,
                    derived,
                }),
            }
        };
        // per output: the words of its title and of the variants written in full (not openings)
        let mut title_forms: Vec<Vec<Vec<String>>> = vec![Vec::new(); outputs.len()];
        let mut title_keys: Vec<Vec<Vec<String>>> = vec![Vec::new(); outputs.len()];
        for (i, o) in outputs.iter().enumerate() {
            title_forms[i].push(stem_words(&o.title));
            title_keys[i].push(stem_words(&o.title));
            for (v, derived) in title_variants(&o.title) {
                if !derived {
                    title_forms[i].push(stem_words(&v));
                }
                title_keys[i].push(stem_words(&v));
            }
        }
        for (i, o) in outputs.iter().enumerate() {
            add(&o.title, i, MentionKind::Title, false);
            for a in &o.aliases {
                add(a, i, MentionKind::Alias, false);
            }
            for (v, derived) in title_variants(&o.title) {
                // a variant must keep words of its own ("Best Practices" is no title): two, or three for a
                // title's opening
                let own = stem_words(&v)
                    .iter()
                    .filter(|w| !vocab.topic_ignore.contains(w) && !vocab.is_cue_word(w))
                    .count();
                if own >= if derived { 3 } else { 2 } {
                    add(&v, i, MentionKind::Alias, derived);
                }
            }
            if let Some(t) = &o.theme {
                add(t, i, MentionKind::ThemeYear, false);
            }
            for t in &o.theme_aliases {
                add(t, i, MentionKind::ThemeYear, false);
            }
        }
        // Titles that are another output's title (a year's title cut short the next year: "Regulation and
        // Mitigation of Unsolicited Communications") or the theme's own name ("IoT, Big Data, AI") are shared
        // names: a year beside them says which output.
        for i in 0..outputs.len() {
            let theme_names: Vec<Vec<String>> = outputs[i]
                .theme
                .iter()
                .chain(&outputs[i].theme_aliases)
                .map(|t| stem_words(t))
                .collect();
            let mut sharers: Vec<(usize, MentionKind)> = Vec::new();
            if title_forms[i].iter().any(|f| theme_names.contains(f)) {
                for (j, other) in outputs.iter().enumerate() {
                    if j != i && other.theme.is_some() && other.theme == outputs[i].theme {
                        sharers.push((j, MentionKind::ThemeYear));
                    }
                }
            }
            for j in 0..outputs.len() {
                let prefix = |a: &Vec<String>, b: &Vec<String>| {
                    a.len() >= MIN_PREFIX_WORDS && b.starts_with(a)
                };
                if j != i
                    && title_forms[j]
                        .iter()
                        .any(|a| title_forms[i].iter().any(|b| prefix(a, b) || prefix(b, a)))
                    && !sharers.iter().any(|x| x.0 == j)
                {
                    sharers.push((j, MentionKind::Title));
                }
            }
            for key in &title_keys[i] {
                if let Some(c) = by_words.get_mut(key) {
                    for &(j, kind) in &sharers {
                        if !c.iter().any(|x| x.output == j) {
                            c.push(Candidate {
                                output: j,
                                kind,
                                derived: false,
                            });
                        }
                    }
                }
            }
        }
        // a title's opening shared by outputs of different themes is common wording ("Creating an Enabling
        // Environment"), no name
        by_words.retain(|_, c| {
            let mut themes: Vec<Option<&String>> =
                c.iter().map(|x| outputs[x.output].theme.as_ref()).collect();
            themes.sort();
            themes.dedup();
            !(c.iter().all(|x| x.derived) && (themes.len() > 1 || themes == [None] && c.len() > 1))
        });
        let mut phrases: Vec<Phrase> = by_words
            .into_iter()
            .map(|(words, candidates)| Phrase {
                joined: words.join(" "),
                fuzzy: words.len() >= MIN_FUZZY_WORDS && !candidates.iter().all(|c| c.derived),
                words,
                candidates,
            })
            .collect();
        phrases.sort_by(|a, b| a.joined.cmp(&b.joined));
        let mut by_first: foldhash::HashMap<String, Vec<usize>> = Default::default();
        let mut by_second: foldhash::HashMap<String, Vec<usize>> = Default::default();
        for (i, p) in phrases.iter().enumerate() {
            by_first.entry(p.words[0].clone()).or_default().push(i);
            // a typo in the first word: found through the second (a written name only, its second word one that
            // carries meaning)
            if p.fuzzy(&vocab) {
                by_second.entry(p.words[1].clone()).or_default().push(i);
            }
        }
        let mut urls = HashMap::new();
        for (i, o) in outputs.iter().enumerate() {
            for u in &o.urls {
                urls.insert(normalize_url(u), i);
            }
        }
        let gate = Self::gate(&phrases, &vocab);
        ReferenceIndex {
            gate,
            phrases,
            by_first,
            by_second,
            years: outputs.iter().map(|o| o.year).collect(),
            ids: outputs.iter().map(|o| o.id.clone()).collect(),
            themes: outputs.iter().map(|o| o.theme.clone()).collect(),
            urls,
            topics: Topics::new(outputs, &vocab),
            vocab,
        }
    }

    /// The first look's word groups: a document can cite by name only if it holds enough words of one group —
    /// an acronym of the series or the organisation (also glued to a year, "IGF2019"); all but one word of one of
    /// their names ("Best Practice Fortum" still counts); half the words of a name that cites without them (titles
    /// and their variants: a fuzzy match needs half its words in place). Themes need the series named, so its
    /// groups are enough for them.
    fn gate(phrases: &[Phrase], vocab: &Vocabulary) -> Gate {
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
                groups.push((content, need));
            }
        }
        let mut gate = Gate::default();
        for (g, (words, need)) in groups.into_iter().enumerate() {
            gate.need.push(need as u32);
            let distinct: std::collections::BTreeSet<String> = words.into_iter().collect();
            for w in distinct {
                for h in stem_hashes(&w) {
                    gate.groups_of.entry(h).or_default().push(g as u32);
                }
            }
        }
        gate
    }

    /// A first look at a document's words (hashes from [`crate::normalize::words`]): whether it holds enough
    /// words of one name or cue for a reference to be possible. A document without them cites nothing by name
    /// or context, and [`Self::find`] need not read it (links are looked at apart, see
    /// [`Self::links_an_output`]).
    pub fn may_cite(&self, words: &[crate::normalize::Word]) -> bool {
        let mut present: foldhash::HashSet<u64> = Default::default();
        let mut counts: foldhash::HashMap<u32, u32> = Default::default();
        for w in words {
            let Some(groups) = self.gate.groups_of.get(&w.hash) else {
                continue;
            };
            if !present.insert(w.hash) {
                continue;
            }
            for &g in groups {
                let c = counts.entry(g).or_default();
                *c += 1;
                if *c >= self.gate.need[g as usize] {
                    return true;
                }
            }
        }
        false
    }

    /// Whether a document links to one of the outputs' addresses.
    pub fn links_an_output(&self, doc: &Document) -> bool {
        doc.links
            .iter()
            .any(|l| self.output_for_url(&l.url).is_some())
    }

    /// The id of output `o`.
    pub fn id(&self, o: usize) -> &str {
        &self.ids[o]
    }

    /// The output whose URL this is, if any.
    pub fn output_for_url(&self, u: &str) -> Option<usize> {
        self.urls.get(&normalize_url(u)).copied()
    }

    /// Every reference to an output in the document.
    /// `tokens` are the document's words from [`tokenize`].
    pub fn find(
        &self,
        doc: &Document,
        tokens: &[Token],
        cfg: &DetectConfig,
    ) -> (Vec<Mention>, Vec<ThemeMention>) {
        let words: Vec<String> = tokens.iter().map(|t| stem(&t.norm)).collect();
        let chars: Vec<char> = doc.text.chars().collect();
        let vocab = &self.vocab;
        let series_ok = !series_defined_otherwise(vocab, &words, tokens, &chars);
        let org_ok = !org_defined_otherwise(vocab, &words);
        let mut cues = scan_cues(vocab, &words, series_ok, org_ok);
        let names_ok = anchored(vocab, &words, &cues);
        drop_unanchored_names(vocab, &words, &mut cues, names_ok);
        let doc_year = doc
            .published
            .as_ref()
            .map(|p| chrono::Datelike::year(&p.date));
        // The document's own subject, from its title or first line: relative years count from its year.
        let (subject, title_years, title_series) =
            self.title_read(doc, series_ok, org_ok, names_ok);
        let title_year = {
            let ys: std::collections::BTreeSet<i32> = title_years
                .iter()
                .flat_map(|m| m.years.iter().copied())
                .collect();
            (ys.len() == 1).then(|| *ys.iter().next().expect("one year"))
        };
        let ref_year = subject.and_then(|s| s.year).or(title_year).or(doc_year);
        let gap = |j: usize| -> String {
            if j == 0 || j >= tokens.len() {
                return String::new();
            }
            chars[tokens[j - 1].end..tokens[j].start].iter().collect()
        };
        let years = scan_years(vocab, &words, &cues, gap, ref_year);
        let doc_words = DocWords {
            words,
            chars,
            tokens,
            cues,
            years,
            heading_year: subject.and_then(|s| s.year).or(title_year),
        };
        let (tokens, words) = (doc_words.tokens, &doc_words.words);
        // Words inside a written-out URL are not names (the URL itself is matched as a link).
        let url_spans = urls_in_text(&doc.text);
        // (the spans come in order: one pass over both)
        let mut next_url = 0;
        let in_url: Vec<bool> = tokens
            .iter()
            .map(|t| {
                while next_url < url_spans.len() && url_spans[next_url].end < t.end {
                    next_url += 1;
                }
                url_spans
                    .get(next_url)
                    .is_some_and(|l| l.start <= t.start && t.end <= l.end)
            })
            .collect();
        let mut found: Vec<(usize, usize, usize, f64)> = Vec::new(); // (start tok, end tok, phrase, score)
        let mut tried: Vec<usize> = Vec::new();
        for i in 0..words.len() {
            tried.clear();
            if let Some(ps) = self.by_first.get(&words[i]) {
                tried.extend(ps);
            }
            if i + 1 < words.len() {
                if let Some(ps) = self.by_second.get(&words[i + 1]) {
                    tried.extend(ps);
                }
            }
            if tried.is_empty() {
                continue;
            }
            tried.sort_unstable();
            tried.dedup();
            for &p in &tried {
                let phrase = &self.phrases[p];
                let n = phrase.words.len();
                if i + n > words.len() {
                    continue;
                }
                let window = &words[i..i + n];
                if window == phrase.words.as_slice() {
                    found.push((i, i + n, p, 1.0));
                } else if phrase.fuzzy
                    && (window[0] == phrase.words[0] || window[1] == phrase.words[1])
                    && may_be_similar(window, phrase, cfg.min_name_similarity)
                {
                    let score = strsim::normalized_levenshtein(&window.join(" "), &phrase.joined);
                    if score >= cfg.min_name_similarity {
                        found.push((i, i + n, p, score));
                    }
                }
                // A long title broken by a page break (a page number, a running head) in a reference list.
                if n >= 5 && window[0] == phrase.words[0] {
                    let k = window
                        .iter()
                        .zip(&phrase.words)
                        .take_while(|(a, b)| a == b)
                        .count();
                    if (2..n).contains(&k) {
                        let rest = &phrase.words[k..];
                        let last =
                            (i + k + MAX_BREAK_WORDS).min(words.len().saturating_sub(rest.len()));
                        for j in i + k + 1..=last {
                            if &words[j..j + rest.len()] == rest
                                && doc_words.chars[tokens[i + k - 1].end..tokens[j].start]
                                    .windows(2)
                                    .any(|w| w == ['\n', '\n'])
                            {
                                found.push((i, j + rest.len(), p, PAGE_BREAK_SCORE));
                                break;
                            }
                        }
                    }
                }
            }
        }
        // longest and best matches first; overlapping shorter ones are dropped
        found.sort_by(|a, b| {
            (b.1 - b.0)
                .cmp(&(a.1 - a.0))
                .then(b.3.total_cmp(&a.3))
                .then(a.0.cmp(&b.0))
        });
        let mut taken = vec![false; words.len()];
        let mut mentions = Vec::new();
        let mut themes = Vec::new();
        for (s, e, p, score) in found {
            if taken[s..e].iter().any(|t| *t) || in_url[s..e].iter().any(|t| *t) {
                continue;
            }
            let phrase = &self.phrases[p];
            let start = tokens[s].start;
            let end = tokens[e - 1].end;
            match self.resolve(phrase, &doc_words, &taken, s, e, cfg) {
                None => {}
                Some(Resolved::Theme(candidates)) => {
                    taken[s..e].iter_mut().for_each(|t| *t = true);
                    themes.push(ThemeMention {
                        doc_id: doc.doc_id.clone(),
                        theme: candidates
                            .iter()
                            .find_map(|&c| self.themes[c].clone())
                            .unwrap_or_default(),
                        candidates: candidates.iter().map(|&c| self.ids[c].clone()).collect(),
                        start,
                        end,
                        snippet: snippet_chars(&doc_words.chars, start, end, SNIPPET_CHARS),
                        matched: matched_text(&doc_words.chars, start, end),
                    });
                }
                Some(Resolved::Outputs(outputs)) => {
                    taken[s..e].iter_mut().for_each(|t| *t = true);
                    for (output, kind) in outputs {
                        mentions.push(Mention {
                            doc_id: doc.doc_id.clone(),
                            output_id: self.ids[output].clone(),
                            kind,
                            start,
                            end,
                            snippet: snippet_chars(&doc_words.chars, start, end, SNIPPET_CHARS),
                            matched: matched_text(&doc_words.chars, start, end),
                            score,
                        });
                    }
                }
            }
        }
        for link in &doc.links {
            if let Some(o) = self.output_for_url(&link.url) {
                mentions.push(Mention {
                    doc_id: doc.doc_id.clone(),
                    output_id: self.ids[o].clone(),
                    kind: MentionKind::Link,
                    start: link.start,
                    end: link.end,
                    snippet: snippet_chars(&doc_words.chars, link.start, link.end, SNIPPET_CHARS),
                    matched: matched_text(&doc_words.chars, link.start, link.end),
                    score: 1.0,
                });
            }
        }
        let title_years = if title_year.is_some() {
            title_years
        } else {
            Vec::new()
        };
        let title_cue = subject.is_none() && title_series;
        self.contextual(
            doc,
            &doc_words,
            subject,
            (title_cue, title_years),
            &mut mentions,
        );
        mentions.sort_by(|a, b| (a.start, &a.output_id).cmp(&(b.start, &b.output_id)));
        (mentions, themes)
    }

    /// The subject a document's title (or, without one, its first line) names.
    /// The subject the document's title (or first line) names, and the years the first of them to give any
    /// gives.
    fn title_read(
        &self,
        doc: &Document,
        series_ok: bool,
        org_ok: bool,
        names_ok: bool,
    ) -> (Option<Subject>, Vec<YearMark>, bool) {
        // the title, then the first lines when they are short (headings above the text)
        let lines = doc
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(HEADING_LINES)
            .enumerate()
            .filter(|(i, l)| *i == 0 || l.split_whitespace().count() <= HEADING_MAX_WORDS)
            .map(|(_, l)| l);
        let lines: Vec<&str> = lines.collect();
        let joined = lines.join("\n");
        let read = |title: &str| {
            let tokens = crate::textutil::tokenize(title);
            let words: Vec<String> = tokens.iter().map(|t| stem(&t.norm)).collect();
            let mut cues = scan_cues(&self.vocab, &words, series_ok, org_ok);
            drop_unanchored_names(&self.vocab, &words, &mut cues, names_ok);
            let chars: Vec<char> = title.chars().collect();
            let gap = |j: usize| -> String {
                if j == 0 || j >= tokens.len() {
                    return String::new();
                }
                chars[tokens[j - 1].end..tokens[j].start].iter().collect()
            };
            let years = scan_years(&self.vocab, &words, &cues, gap, None);
            let subject = context::subject_of(&self.topics, &self.vocab, &words, &cues, &years);
            (subject, years, cues.contains(&Cue::Series))
        };
        let title = doc.title.as_deref().map(read);
        let headings = read(&joined);
        let subject = title
            .as_ref()
            .and_then(|t| t.0)
            .or_else(|| lines.iter().find_map(|l| read(l).0))
            .or(headings.0);
        // the years of the title, else of the headings
        let title_years = match &title {
            Some(t) if !t.1.is_empty() => t.1.clone(),
            _ => headings.1,
        };
        let single = |marks: &[YearMark]| {
            let ys: std::collections::BTreeSet<i32> =
                marks.iter().flat_map(|m| m.years.iter().copied()).collect();
            (ys.len() == 1).then(|| *ys.iter().next().expect("one year"))
        };
        let subject = subject.map(|s| Subject {
            year: s.year.or_else(|| single(&title_years)),
            ..s
        });
        let title_series = title.as_ref().is_some_and(|t| t.2) || headings.2;
        (subject, title_years, title_series)
    }

    /// Adds the contextual citations (enumerations, a theme's history, a document's own subject) of outputs that
    /// no name already cites in the same place.
    fn contextual(
        &self,
        doc: &Document,
        dw: &DocWords<'_>,
        subject: Option<Subject>,
        (title_cue, title_years): (bool, Vec<YearMark>),
        mentions: &mut Vec<Mention>,
    ) {
        let (tokens, chars) = (dw.tokens, &dw.chars);
        let n = tokens.len();
        if n == 0 {
            return;
        }
        let gap = |j: usize| -> &[char] {
            // the characters after word j
            let end = tokens.get(j + 1).map_or(chars.len(), |t| t.start);
            &chars[tokens[j].end.min(end)..end]
        };
        let line_before = |j: usize| -> usize {
            // length of the line that ends after word j
            let mut p = tokens[j].end;
            while p > 0 && chars[p - 1] != '\n' {
                p -= 1;
            }
            tokens[j].end - p
        };
        let mut unit_end = vec![false; n];
        let mut lead_in = vec![false; n];
        let mut clause_end = vec![false; n];
        let mut open_paren = vec![false; n];
        let mut line_start = vec![false; n];
        let mut list_item = vec![false; n];
        for j in 0..n {
            let g = gap(j);
            let newline = g.contains(&'\n');
            let paragraph = g.windows(2).any(|w| w == ['\n', '\n']);
            // "1. " opening a list item ends nothing
            let numbering = tokens[j].norm.len() <= 3
                && tokens[j].norm.bytes().all(|b| b.is_ascii_digit())
                && (j == 0 || chars[tokens[j - 1].end..tokens[j].start].contains(&'\n'));
            let stop = (!numbering
                && g.windows(2)
                    .any(|w| matches!(w[0], '.' | '!' | '?') && w[1].is_whitespace()))
                || (j + 1 == n);
            let colon = g.contains(&':');
            let next_item = newline
                && tokens.get(j + 1).is_some_and(|t| {
                    let mut p = t.start;
                    while p > 0 && chars[p - 1] != '\n' {
                        p -= 1;
                    }
                    let lead: String = chars[p..t.start].iter().collect();
                    let lead = lead.trim();
                    !lead.is_empty() || chars[t.start].is_ascii_digit()
                });
            unit_end[j] =
                paragraph || stop || (newline && (colon || next_item || line_before(j) < 50));
            lead_in[j] = unit_end[j] && colon;
            clause_end[j] = g.iter().any(|c| matches!(c, ',' | ';' | ')')) || unit_end[j];
            if j + 1 < n {
                open_paren[j + 1] = g.contains(&'(');
                line_start[j + 1] = newline;
                // a list item: a bullet before it on its line, or "1." / "2)" opening it
                let lead = g
                    .iter()
                    .rev()
                    .take_while(|c| **c != '\n')
                    .any(|c| matches!(c, '•' | '-' | '*' | '–' | '·' | '▪'));
                let numbered = tokens[j + 1].norm.len() <= 3
                    && tokens[j + 1].norm.bytes().all(|b| b.is_ascii_digit())
                    && tokens.get(j + 2).is_some_and(|t| {
                        chars[tokens[j + 1].end..t.start]
                            .iter()
                            .any(|c| matches!(c, '.' | ')' | '/'))
                    });
                list_item[j + 1] = newline && (lead || numbered);
            }
        }
        let cx = Context {
            words: &dw.words,
            cues: &dw.cues,
            years: &dw.years,
            unit_end: &unit_end,
            lead_in: &lead_in,
            clause_end: &clause_end,
            open_paren: &open_paren,
            line_start: &line_start,
            list_item: &list_item,
            subject,
            title_cue,
            title_years,
        };
        let mut cited = context::cited(&self.topics, &self.vocab, &cx);
        // the subject itself, in its title's year
        if let Some(o) = subject.and_then(|s| self.topics.of_theme(s.theme, s.year?)) {
            cited.push(context::Cited {
                output: o,
                start: 0,
                end: 1,
            });
        }
        let mut seen: Vec<usize> = mentions
            .iter()
            .filter_map(|m| self.ids.iter().position(|id| *id == m.output_id))
            .collect();
        for c in cited {
            if seen.contains(&c.output) {
                continue;
            }
            seen.push(c.output);
            let start = tokens[c.start.min(n - 1)].start;
            let end = tokens[c.end.clamp(1, n) - 1].end;
            mentions.push(Mention {
                doc_id: doc.doc_id.clone(),
                output_id: self.ids[c.output].clone(),
                kind: MentionKind::Context,
                start,
                end,
                snippet: snippet_chars(chars, start, end, SNIPPET_CHARS),
                matched: matched_text(chars, start, end),
                score: CONTEXT_SCORE,
            });
        }
    }

    /// Decides which outputs a matched phrase refers to, or `None` when the context does not say.
    fn resolve(
        &self,
        phrase: &Phrase,
        doc: &DocWords<'_>,
        taken: &[bool],
        s: usize,
        e: usize,
        cfg: &DetectConfig,
    ) -> Option<Resolved> {
        let (tokens, words, chars) = (doc.tokens, &doc.words, &doc.chars);
        let from = tokens[s].start.saturating_sub(cfg.context_chars);
        let to = tokens[e - 1].end + cfg.context_chars;
        let mut lo = tokens.partition_point(|t| t.start < from);
        let mut hi = tokens.partition_point(|t| t.end <= to);
        let is_theme = phrase
            .candidates
            .iter()
            .all(|c| c.kind == MentionKind::ThemeYear);
        if is_theme {
            // a theme is a common word: its cue and year must stand right beside it
            lo = lo.max(s.saturating_sub(THEME_REACH_WORDS));
            hi = hi.min(e + THEME_REACH_WORDS);
        }
        // the context ends at the sentence: a year in the next sentence says nothing about this name
        let mut a = s;
        while a > lo && !boundary(chars, tokens[a - 1].end, tokens[a].start) {
            a -= 1;
        }
        let mut b = e;
        while b < hi && !boundary(chars, tokens[b - 1].end, tokens[b].start) {
            b += 1;
        }
        let (lo, hi) = (a, b);
        let window = &words[lo..hi];
        let series_word = |w: &String| self.vocab.is_series_acronym(w);
        let packet_context = window
            .iter()
            .any(|w| self.vocab.series_trap_words.contains(w));
        if packet_context && (window.iter().any(series_word) || words[s..e].iter().any(series_word))
        {
            return None;
        }
        // The series' or the organisation's acronym meaning something else here: names built on it say nothing.
        let disowned = |w: &String| {
            (self.vocab.is_series_acronym(w) || self.vocab.is_org_acronym(w))
                && doc.cues[s..e].iter().all(|c| *c == Cue::None)
        };
        if words[s..e].iter().any(disowned) {
            return None;
        }
        // A theme's cue must not be part of a name already matched ("the 2017 BPF Cybersecurity, which … a
        // cybersecurity strategy": the second word is not a new reference).
        let heading = heading_words(chars, tokens[s].start).unwrap_or_default();
        let heading_cues = scan_cues(&self.vocab, &heading, true, true);
        let wanted = |c: Cue| {
            if is_theme {
                c == Cue::Series
            } else {
                c != Cue::None
            }
        };
        // A list under a heading that names the forum ("IGF 2016 outputs:") is cued by it.
        // a name holding the series' name ("Best Practice Forum on IXPs") is cued from outside it
        let names_series = self
            .vocab
            .series_names
            .iter()
            .any(|n| phrase.words.windows(n.len()).any(|w| w == n.as_slice()))
            && !phrase.words.iter().any(|w| self.vocab.is_series_acronym(w));
        let cue = (lo..hi).any(|j| {
            let inside = (s..e).contains(&j);
            // a theme's cue outside it must be free; a name holding the series' name needs one outside it
            let spent = if inside {
                names_series
            } else {
                is_theme && taken[j]
            };
            !spent && wanted(doc.cues[j])
        }) || heading_cues.iter().any(|c| wanted(*c));
        // The years near the name: figures, ranges, meetings and relative years ("this year's"), as marks.
        let marks: Vec<&YearMark> = doc
            .years
            .iter()
            .filter(|m| m.start < hi && m.end > lo)
            .collect();
        // A generic forum name is a citation when written like one: right after "the", a year or "this year's",
        // with its year attached ("the 2015 Best Practice Forum on …", "… Forum on IXPs (2015)").
        let before = s.checked_sub(1).map(|j| words[j].as_str());
        let mark_before = marks
            .iter()
            .any(|m| m.end == s || m.end + 1 == s && before == Some("s"));
        let year_after = marks.iter().any(|m| m.start == e)
            && e < tokens.len()
            && !boundary(chars, tokens[e - 1].end, tokens[e].start);
        let citation_style = {
            let plain_before = s == lo || before == Some("the") || mark_before;
            plain_before && (mark_before || year_after)
        };
        // Generic names need the forum named nearby: a theme, a name of fewer than four words without the series'
        // or organisation's acronym in it, and "Best Practice Forum on …" (a common name for unrelated events).
        let short_name = phrase.words.len() < 4
            && !phrase
                .words
                .iter()
                .any(|w| self.vocab.is_series_acronym(w) || self.vocab.is_org_acronym(w));
        let generic_forum = names_series;
        let derived = phrase.candidates.iter().all(|c| c.derived);
        if (is_theme || short_name) && !cue {
            return None;
        }
        // a title's opening is a citation with its year attached ("online abuse and gender-based violence (2015)")
        if derived && !cue && !(mark_before || year_after) {
            return None;
        }
        if generic_forum && !cue && !citation_style {
            return None;
        }
        if phrase.candidates.len() == 1 && !is_theme {
            let c = &phrase.candidates[0];
            // a short name among years that are none of its own ("mapping cybersecurity agreements in 2021")
            // is the words, not the output
            let own = self.years[c.output];
            let other_years = if marks.is_empty() {
                short_name && doc.heading_year.is_some_and(|y| y != own)
            } else {
                !marks.iter().any(|m| m.years.contains(&own))
            };
            if (short_name || derived) && other_years {
                return None;
            }
            return Some(Resolved::Outputs(vec![(c.output, c.kind)]));
        }
        // A year in the window picks the output; the nearest year wins, with any year written right beside it
        // ("2014/2015").
        let mut years: Vec<(usize, i32)> = Vec::new(); // (distance in tokens, year)
        for m in &marks {
            let d = if m.end <= s {
                s - m.end + 1
            } else {
                m.start.saturating_sub(e - 1)
            };
            years.extend(m.years.iter().map(|&y| (d, y)));
        }
        years.sort();
        if years.is_empty() {
            // No year in the sentence: a heading or list title above.
            match heading.iter().find_map(|w| year_of_word(w)) {
                Some(y) => years.push((0, y)),
                None => {
                    let all: Vec<usize> = phrase.candidates.iter().map(|c| c.output).collect();
                    return Some(Resolved::Theme(all));
                }
            }
        }
        let &(nearest, _) = years.first()?;
        let chosen: Vec<(usize, MentionKind)> = phrase
            .candidates
            .iter()
            .filter(|c| {
                years
                    .iter()
                    .any(|&(d, y)| d <= nearest + 2 && y == self.years[c.output])
            })
            .map(|c| (c.output, c.kind))
            .collect();
        if chosen.is_empty() {
            None
        } else {
            Some(Resolved::Outputs(chosen))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined_otherwise(text: &str) -> (bool, bool) {
        let v = Vocabulary::bundled();
        let tokens = crate::textutil::tokenize(text);
        let words: Vec<String> = tokens.iter().map(|t| stem(&t.norm)).collect();
        let chars: Vec<char> = text.chars().collect();
        (
            series_defined_otherwise(&v, &words, &tokens, &chars),
            org_defined_otherwise(&v, &words),
        )
    }

    #[test]
    fn bpf_and_igf_defined_otherwise_are_recognised() {
        assert!(defined_otherwise("BPF: basis point fee.").0);
        assert!(defined_otherwise("The Berkeley Packet Filter (BPF) runs in the kernel.").0);
        assert!(defined_otherwise("We load eBPF programs.").0);
        assert!(!defined_otherwise("The Best Practice Forum (BPF) on IXPs met.").0);
        assert!(!defined_otherwise("BPFs (Best Practice Forums) of the IGF.").0);
        assert!(!defined_otherwise("The 2015 BPF on Gender published its report.").0);
        assert!(defined_otherwise("IGF-1 levels rose.").1);
        assert!(
            defined_otherwise("The IGF (Intergovernmental Forum on Mining) on local content.").1
        );
        assert!(!defined_otherwise("The IGF 2015 in Brazil.").1);
    }

    #[test]
    fn the_first_look_passes_what_can_cite_and_little_else() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
        let outputs = crate::config::load_catalogue(&path).expect("the catalogue loads");
        let idx = ReferenceIndex::new(&outputs);
        let may = |t: &str| idx.may_cite(&crate::normalize::words(t));
        for citing in [
            "We read Online Child Protection last week.",
            "The BPF on IXPs met.",
            "We discussed Enabling Enviroments to Establish Succesful IXPs.",
            "#IGF2019 was busy.",
            "El Foro de Buenas Prácticas sobre ciberseguridad.",
            "Regulation and mitigation of unsolicited communications (2014).",
            "The Internet Governance Forum met in Paris.",
        ] {
            assert!(may(citing), "{citing}");
        }
        for plain in [
            "The kernel maps pages of memory for each process.",
            "Best practices for packaging Python code.",
            "The cache is flushed on exit, and its pages are freed.",
        ] {
            assert!(!may(plain), "{plain}");
        }
    }

    #[test]
    fn title_variants_cut_and_use_acronyms() {
        let v: Vec<String> =
            title_variants("Internet of Things (IoT), Big Data, Artificial Intelligence (AI)")
                .into_iter()
                .map(|x| x.0)
                .collect();
        assert!(v.contains(&"IoT, Big Data, AI".to_string()), "{v:?}");
        let v: Vec<(String, bool)> =
            title_variants("Regulation and Mitigation of Unsolicited Communications (e.g. “spam”)");
        assert!(
            v.contains(&(
                "Regulation and Mitigation of Unsolicited Communications".to_string(),
                false
            )),
            "{v:?}"
        );
        let v = title_variants("Online Abuse and Gender-Based Violence Against Women");
        assert!(
            v.contains(&("Online Abuse and Gender-Based Violence".to_string(), true)),
            "{v:?}"
        );
        assert!(!v.iter().any(|x| x.0 == "Online Abuse and"), "{v:?}");
    }

    #[test]
    fn a_list_takes_the_heading_above_it() {
        let chars: Vec<char> = "Intro paragraph.\n\nIGF 2016 outputs:\n- first\n- second item\n"
            .chars()
            .collect();
        let at = chars.iter().collect::<String>().find("second").unwrap();
        let words = heading_words(&chars, at).unwrap();
        assert!(words.contains(&"2016".to_string()) && words.contains(&"igf".to_string()));
        let prose: Vec<char> = "IGF 2016\n\nA long paragraph of prose that goes on and on well past twelve words before it names the forum on cybersecurity.".chars().collect();
        let at = prose
            .iter()
            .collect::<String>()
            .find("cybersecurity")
            .unwrap();
        assert_eq!(heading_words(&prose, at), None, "prose is not a list item");
    }

    #[test]
    fn urls_normalise() {
        assert_eq!(
            normalize_url(
                "https://www.IntGovForum.org/multilingual/content/bpf-ixps/?utm_source=x#top"
            ),
            normalize_url("http://intgovforum.org/multilingual/content/bpf-ixps")
        );
        assert_eq!(
            normalize_url("https://a.org/b%20c"),
            normalize_url("https://a.org/b c")
        );
        assert_ne!(
            normalize_url("https://a.org/b?id=1"),
            normalize_url("https://a.org/b?id=2")
        );
    }
}
