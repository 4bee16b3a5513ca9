//! References: titles, aliases and themes (with a forum cue and a year) matched in a document's words, fuzzily
//! where a phrase is long enough, plus links to an output's URLs. A name shared by several outputs is given to
//! one only when a year next to it says which; otherwise it is left out, never guessed. The names and the first
//! look are in `references_names.rs`, a document's subject and the contextual references in
//! `references_subject.rs`, the acronyms that mean something else in `references_traps.rs` (docs/references.md).

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

#[path = "references_names.rs"]
mod names;
#[path = "references_subject.rs"]
mod subject;
#[path = "references_traps.rs"]
mod traps;

pub use names::title_variants;
use names::{may_be_similar, Candidate, Gate, Phrase, MIN_PREFIX_WORDS};
use traps::{org_defined_otherwise, series_defined_otherwise};

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

    /// Whether a document links to one of the outputs' addresses.
    pub fn links_an_output(&self, doc: &Document) -> bool {
        if doc.deferred.text_links {
            return crate::textutil::url_spans(&doc.text)
                .any(|span| self.output_for_url(&span.url(&doc.text)).is_some());
        }
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

    /// The outputs' URLs, normalised ([`normalize_url`]).
    pub(crate) fn output_url_keys(&self) -> impl Iterator<Item = &str> {
        self.urls.keys().map(String::as_str)
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
        let doc_year = crate::extract::document_date(doc).map(|d| chrono::Datelike::year(&d));
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
        for link in crate::extract::document_links(doc).iter() {
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
#[path = "references_tests.rs"]
mod tests;
