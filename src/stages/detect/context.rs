//! Contextual references: citations that name no output by its name but by the series, a year and a topic. A
//! document is cut into units (sentences, list items under a lead-in that ends with a colon); a unit that carries a
//! series cue ("BPF", "Best Practices Forum", "Foro de Buenas Prácticas") and years (figures, ranges, meetings,
//! relative years) cites the outputs of those years whose topic it names:
//! - an enumeration under one year ("the 2016 BPFs on cybersecurity, gender and access, IXPs and IPv6");
//! - a theme's history, a year per item ("online abuse (2015), access barriers (2016)");
//! - a document whose own subject is one forum (its title "BPF on Gender and Access", "IGF 2017 – BPF
//!   Cybersecurity"): the subject in the title's year, and "the BPF", "it", "the output" beside a year in its
//!   text.
//!
//! A topic is read against the outputs of the year only: their themes, theme aliases, acronyms and alias cores
//! are strong words (one is enough), the other words of their titles weak (two are needed), and a word shared by
//! two outputs of the same year tells neither.

use std::collections::{BTreeSet, HashMap};

use super::vocabulary::{phrase_at, stem_words, Cue, Vocabulary, YearForm, YearMark};
use crate::records::Output;

/// Longest unit, in words, that inherits a lead-in's cue and years (a list item, not a paragraph).
const MAX_ITEM_WORDS: usize = 40;
/// How many units after a lead-in inherit it.
const MAX_ITEMS: usize = 16;
/// How many units back the series, named, still cues a list of topics.
const CUE_LOOKBACK_UNITS: usize = 2;
/// How many units back a unit with the series but no year looks for one.
const YEAR_LOOKBACK_UNITS: usize = 6;
/// A unit of at most this many words that follows the series goes on with it whatever it names; a longer one must
/// list two topics.
const SHORT_UNIT_WORDS: usize = 15;
/// Outputs a longer unit must list to go on with the series named before it.
const MIN_LISTED_AFTER_CUE: usize = 3;
/// Score a topic needs: a strong word counts two, a weak one one.
const MIN_TOPIC_SCORE: usize = 2;

/// The topics of every output, as stemmed words.
#[derive(Debug, Default)]
pub struct Topics {
    /// Per output: phrases that name its topic on their own (theme, theme aliases, acronyms, alias cores).
    strong: Vec<Vec<Vec<String>>>,
    /// Per output: the other content words of its title.
    weak: Vec<BTreeSet<String>>,
    /// Per output: its theme, numbered.
    theme: Vec<Option<usize>>,
    /// (theme, year) → output.
    by_theme_year: HashMap<(usize, i32), usize>,
    /// year → outputs.
    by_year: HashMap<i32, Vec<usize>>,
    /// Per theme: its strong phrases.
    theme_phrases: Vec<Vec<Vec<String>>>,
    /// Title words that only one theme's outputs hold, with that theme.
    theme_words: Vec<(String, usize)>,
}

/// Acronyms a title defines or uses: "Internet of Things (IoT)", "IXPs", "ICTs".
pub fn title_acronyms(title: &str) -> Vec<String> {
    title
        .split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| {
            let caps = w.chars().filter(char::is_ascii_uppercase).count();
            w.len() >= 2 && caps >= 2 && caps * 2 >= w.len()
        })
        .map(str::to_string)
        .collect()
}

impl Topics {
    pub fn new(outputs: &[Output], vocab: &Vocabulary) -> Topics {
        let cue_word = |w: &String| vocab.is_cue_word(w);
        let content = |w: &String| w.len() >= 3 && !vocab.topic_ignore.contains(w) && !cue_word(w);
        let mut themes: Vec<String> = Vec::new();
        let mut t = Topics::default();
        for (i, o) in outputs.iter().enumerate() {
            let mut strong: Vec<Vec<String>> = Vec::new();
            let mut push = |p: Vec<String>| {
                if !p.is_empty() && !strong.contains(&p) {
                    strong.push(p);
                }
            };
            for name in o.theme.iter().chain(&o.theme_aliases) {
                push(stem_words(name));
            }
            for a in title_acronyms(&o.title) {
                let words = stem_words(&a);
                if !words.iter().all(&cue_word) {
                    push(words);
                }
            }
            for a in &o.aliases {
                // the core of an alias: "BPF on IXPs" → "IXPs"
                let words: Vec<String> = stem_words(a);
                let core: Vec<String> = words
                    .iter()
                    .skip_while(|w| cue_word(w) || *w == "on" || *w == "of")
                    .cloned()
                    .collect();
                if core.len() < words.len() && core.iter().any(&content) {
                    push(core);
                }
            }
            let theme = o.theme.as_ref().map(|name| {
                themes.iter().position(|x| x == name).unwrap_or_else(|| {
                    themes.push(name.clone());
                    t.theme_phrases.push(Vec::new());
                    themes.len() - 1
                })
            });
            if let Some(th) = theme {
                t.by_theme_year.insert((th, o.year), i);
                for p in o
                    .theme
                    .iter()
                    .chain(&o.theme_aliases)
                    .map(|n| stem_words(n))
                {
                    if !t.theme_phrases[th].contains(&p) {
                        t.theme_phrases[th].push(p);
                    }
                }
            }
            let weak: BTreeSet<String> =
                stem_words(&o.title).into_iter().filter(&content).collect();
            t.strong.push(strong);
            t.weak.push(weak);
            t.theme.push(theme);
            t.by_year.entry(o.year).or_default().push(i);
        }
        let mut owners: std::collections::BTreeMap<&String, BTreeSet<Option<usize>>> =
            Default::default();
        for (o, weak) in t.weak.iter().enumerate() {
            for w in weak {
                owners.entry(w).or_default().insert(t.theme[o]);
            }
        }
        t.theme_words = owners
            .into_iter()
            .filter_map(|(w, ts)| match ts.into_iter().collect::<Vec<_>>()[..] {
                [Some(th)] => Some((w.clone(), th)),
                _ => None,
            })
            .collect();
        t
    }

    /// How well words `ws` name output `o`'s topic among the outputs of its year.
    pub fn score(&self, o: usize, year: i32, ws: &[String]) -> usize {
        self.scores(o, year, ws).0
    }

    /// [`Topics::score`], and whether a strong word counted.
    fn scores(&self, o: usize, year: i32, ws: &[String]) -> (usize, bool) {
        let siblings = self.by_year.get(&year).map(Vec::as_slice).unwrap_or(&[]);
        let others = || siblings.iter().filter(move |&&x| x != o);
        let mut score = 0;
        for p in &self.strong[o] {
            let shared = others().any(|&x| self.strong[x].contains(p));
            if !shared && (0..ws.len()).any(|i| phrase_at(ws, i, p)) {
                score += 2;
            }
        }
        let strong = score > 0;
        let present: BTreeSet<&String> = ws.iter().collect();
        for w in &self.weak[o] {
            let shared = others().any(|&x| self.weak[x].contains(w));
            if !shared && present.contains(w) {
                score += 1;
            }
        }
        (score, strong)
    }

    /// The outputs of `year` that words `ws` name, best first; `all` keeps every one that scores, else only the
    /// best (ties kept).
    fn named(&self, year: i32, ws: &[String], all: bool, strong_only: bool) -> Vec<usize> {
        let Some(outs) = self.by_year.get(&year) else {
            return Vec::new();
        };
        let mut scored: Vec<(usize, usize)> = outs
            .iter()
            .map(|&o| (self.scores(o, year, ws), o))
            .filter(|&((s, strong), _)| s >= MIN_TOPIC_SCORE && (strong || !strong_only))
            .map(|((s, _), o)| (s, o))
            .collect();
        scored.sort_by_key(|x| std::cmp::Reverse(x.0));
        let best = scored.first().map_or(0, |x| x.0);
        scored
            .into_iter()
            .filter(|&(s, _)| all || s == best)
            .map(|(_, o)| o)
            .collect()
    }

    /// The theme whose name stands in `ws`, when exactly one does.
    fn theme_in(&self, ws: &[String]) -> Option<usize> {
        let found: BTreeSet<usize> = self
            .theme_phrases
            .iter()
            .enumerate()
            .filter(|(_, ps)| {
                ps.iter()
                    .any(|p| (0..ws.len()).any(|i| phrase_at(ws, i, p)))
            })
            .map(|(t, _)| t)
            .collect();
        (found.len() == 1).then(|| *found.iter().next().expect("one theme"))
    }

    /// The theme whose outputs' topic words `ws` name ("the BPF on Developing meaningful multistakeholder
    /// participation mechanisms"), when exactly one theme's do.
    fn theme_by_topic(&self, ws: &[String]) -> Option<usize> {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        for (o, theme) in self.theme.iter().enumerate() {
            let Some(t) = theme else { continue };
            let year = self
                .by_year
                .iter()
                .find(|(_, outs)| outs.contains(&o))
                .map(|(y, _)| *y)?;
            if self.score(o, year, ws) >= MIN_TOPIC_SCORE {
                found.insert(*t);
            }
        }
        if found.is_empty() {
            // a word that only one theme's titles hold names it ("BPF - Multistakeholder")
            let present: BTreeSet<&String> = ws.iter().collect();
            for (w, t) in &self.theme_words {
                if present.contains(w) {
                    found.insert(*t);
                }
            }
        }
        (found.len() == 1).then(|| *found.iter().next().expect("one theme"))
    }

    /// The output of a theme in a year.
    pub fn of_theme(&self, theme: usize, year: i32) -> Option<usize> {
        self.by_theme_year.get(&(theme, year)).copied()
    }
}

/// A document's own subject: one forum's theme, and the year its title gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub theme: usize,
    pub year: Option<i32>,
}

/// The subject a title (or first line) names: a series cue and one theme; the year from a figure or a meeting.
pub fn subject_of(
    topics: &Topics,
    vocab: &Vocabulary,
    title_words: &[String],
    title_cues: &[Cue],
    title_years: &[YearMark],
) -> Option<Subject> {
    if !title_cues.contains(&Cue::Series) {
        return None;
    }
    let theme = topics
        .theme_in(title_words)
        .or_else(|| topics.theme_by_topic(title_words))?;
    let years: BTreeSet<i32> = title_years
        .iter()
        .filter(|m| m.form != YearForm::Relative)
        .flat_map(|m| m.years.iter().copied())
        .collect();
    let _ = vocab;
    Some(Subject {
        theme,
        year: (years.len() == 1).then(|| *years.iter().next().expect("one year")),
    })
}

/// A document as the contextual reader sees it.
pub struct Context<'a> {
    pub words: &'a [String],
    pub cues: &'a [Cue],
    pub years: &'a [YearMark],
    /// Unit boundaries: `unit_end[j]` says a unit ends after word `j`; `lead_in[j]` that it ends with a colon.
    pub unit_end: &'a [bool],
    pub lead_in: &'a [bool],
    /// `clause_end[j]`: a comma or semicolon follows word `j`.
    pub clause_end: &'a [bool],
    /// `line_start[j]`: word `j` begins a line.
    pub line_start: &'a [bool],
    /// `list_item[j]`: word `j` begins a line that a bullet or a number opens.
    pub list_item: &'a [bool],
    /// `open_paren[j]`: an opening parenthesis stands right before word `j`.
    pub open_paren: &'a [bool],
    pub subject: Option<Subject>,
    /// The title names the series and no one forum ("2014 Best Practices Forums"): the whole document is cued.
    pub title_cue: bool,
    /// Years the document's title gives (a list of topics under the series with no year of its own takes them).
    pub title_years: Vec<YearMark>,
}

/// A contextual citation: the output and the words that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    pub output: usize,
    pub start: usize,
    pub end: usize,
}

/// Every contextual citation in a document.
pub fn cited(topics: &Topics, vocab: &Vocabulary, cx: &Context<'_>) -> Vec<Cited> {
    let n = cx.words.len();
    let mut out: Vec<Cited> = Vec::new();
    let has_series = cx.cues.contains(&Cue::Series);
    if n == 0 || (!has_series && cx.subject.is_none()) {
        return out;
    }
    // the units
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    for j in 0..n {
        if cx.unit_end[j] || j + 1 == n {
            units.push((a, j + 1));
            a = j + 1;
        }
    }
    let subject_ref = |a: usize, b: usize| {
        (a..b).any(|i| vocab.subject_refs.iter().any(|p| phrase_at(cx.words, i, p)))
    };
    let mut inherited: Option<(bool, Vec<&YearMark>, usize)> = None; // (cue, years, units left)
                                                                     // the last units: whether each named the series, and its years
    let mut recent: Vec<(bool, Vec<&YearMark>)> = Vec::new();
    for &(a, b) in &units {
        let own_marks: Vec<&YearMark> = cx
            .years
            .iter()
            .filter(|m| m.start >= a && m.start < b)
            .collect();
        let own_cue = cx.cues[a..b].contains(&Cue::Series);
        // in a document about one forum, a unit may speak of it without naming it ("In 2016, we looked at ...")
        let subject_here = cx.subject;
        let speaks_of_subject = |s: &Subject, y: i32, ws: &[String]| {
            subject_ref(a, b)
                || topics.theme_phrases[s.theme]
                    .iter()
                    .any(|p| (a..b).any(|i| phrase_at(cx.words, i, p)))
                || topics
                    .of_theme(s.theme, y)
                    .is_some_and(|o| topics.score(o, y, ws) >= MIN_TOPIC_SCORE)
        };
        let (mut cue, mut marks) = (own_cue || cx.title_cue, own_marks.clone());
        if let Some((icue, imarks, left)) = &mut inherited {
            // a list item on its own line (a bullet, a number, or a short line) goes on with the lead-in
            let item = (a == 0 || cx.line_start[a])
                && (cx.list_item[a] || b - a <= SHORT_UNIT_WORDS || {
                    let ws = topic_words(cx, a, b);
                    let years = if own_marks.is_empty() {
                        imarks.clone()
                    } else {
                        own_marks.clone()
                    };
                    years
                        .iter()
                        .flat_map(|m| m.years.iter())
                        .map(|&y| topics.named(y, &ws, true, false).len())
                        .sum::<usize>()
                        >= MIN_LISTED_AFTER_CUE
                });
            if *left > 0 && b - a <= MAX_ITEM_WORDS && item {
                *left -= 1;
                cue |= *icue;
                if marks.is_empty() {
                    marks = imarks.clone();
                }
            } else {
                inherited = None;
            }
        }
        // the series named just before: a short unit or one that lists several topics goes on with it
        let cue_before = recent.iter().rev().take(CUE_LOOKBACK_UNITS).any(|r| r.0);
        let years_before: Option<Vec<&YearMark>> = recent
            .iter()
            .rev()
            .take(YEAR_LOOKBACK_UNITS)
            .find(|r| !r.1.is_empty())
            .map(|r| r.1.clone());
        recent.push((own_cue, own_marks.clone()));
        if cx.lead_in[b - 1] && (own_cue || !own_marks.is_empty()) {
            inherited = Some((
                own_cue || cue,
                if own_marks.is_empty() {
                    marks.clone()
                } else {
                    own_marks.clone()
                },
                MAX_ITEMS,
            ));
        }
        // a year from the units before, or the title: only a topic's strong words name it then
        let years_borrowed = marks.is_empty();
        if (cue || cue_before || subject_here.is_some()) && marks.is_empty() {
            marks = years_before.unwrap_or_else(|| cx.title_years.iter().collect());
        }
        if marks.is_empty() || !(cue || cue_before || subject_here.is_some()) {
            continue;
        }
        // the series named just before holds for a short unit, or one that lists several topics
        if !cue && cue_before {
            let ws = topic_words(cx, a, b);
            let listed: usize = marks
                .iter()
                .flat_map(|m| m.years.iter())
                .map(|&y| topics.named(y, &ws, true, false).len())
                .sum();
            cue = b - a <= SHORT_UNIT_WORDS || listed >= MIN_LISTED_AFTER_CUE;
        }
        if !cue && subject_here.is_none() {
            continue;
        }
        // without the series named, the unit speaks of the subject only ("In 2016, it looked at ..."), and of
        // single years: "since 2016" starts a period, "between 2016 and 2019" spans one
        let subject_only = !cue;
        let since = |m: &YearMark| {
            // "since 2016", "since IGF 2016"
            let mut j = m.start;
            while j > a && cx.cues[j - 1] == Cue::Organisation {
                j -= 1;
            }
            j > 0 && vocab.since_words.contains(&cx.words[j - 1])
        };
        marks.retain(|m| (years_borrowed || !since(m)) && (!subject_only || m.years.len() <= 2));
        if marks.is_empty() {
            continue;
        }
        let theme = topics
            .theme_in(&cx.words[a..b])
            .or(subject_here.map(|s| s.theme));
        let distinct: BTreeSet<&Vec<i32>> = marks.iter().map(|m| &m.years).collect();
        if distinct.len() <= 1 {
            // one year group for the whole unit: every output of those years whose topic it names
            let ws = topic_words(cx, a, b);
            // with a borrowed year, weak words name topics only in a list of several
            let listed: usize = marks[0]
                .years
                .iter()
                .map(|&y| topics.named(y, &ws, true, false).len())
                .sum();
            let strong_only = years_borrowed && listed < MIN_LISTED_AFTER_CUE;
            for &y in &marks[0].years {
                let mut named = if subject_only {
                    Vec::new()
                } else {
                    topics.named(y, &ws, true, strong_only)
                };
                if subject_only && !subject_here.is_some_and(|s| speaks_of_subject(&s, y, &ws)) {
                    continue;
                }
                // the theme alone names a year's output, not every output of a span
                if named.is_empty() && marks[0].years.len() <= 2 {
                    if let Some(o) = theme.and_then(|t| topics.of_theme(t, y)) {
                        named.push(o);
                    }
                }
                for o in named {
                    out.push(Cited {
                        output: o,
                        start: marks[0].start,
                        end: marks[0].end,
                    });
                }
            }
            continue;
        }
        // a year per item: each year takes the clause it closes ("online abuse (2015)") or opens ("in 2016, ...")
        for (k, m) in marks.iter().enumerate() {
            if m.start < a {
                continue;
            }
            let backward = cx.open_paren[m.start]
                || (m.end >= b || cx.clause_end[m.end - 1])
                    && m.start > a
                    && !cx.clause_end[m.start - 1];
            let (s, e) = if backward {
                let mut s = m.start;
                let floor = if k > 0 { marks[k - 1].end.max(a) } else { a };
                while s > floor && !cx.clause_end[s - 1] {
                    s -= 1;
                }
                (s, m.start)
            } else {
                let mut e = m.end;
                let ceil = marks.get(k + 1).map_or(b, |x| x.start.min(b));
                while e < ceil && !cx.clause_end[e - 1] {
                    e += 1;
                }
                (m.end, e)
            };
            let ws = topic_words(cx, s, e);
            for &y in &m.years {
                let mut named = if subject_only {
                    Vec::new()
                } else {
                    topics.named(y, &ws, true, false)
                };
                if subject_only && !subject_here.is_some_and(|s| speaks_of_subject(&s, y, &ws)) {
                    continue;
                }
                if named.is_empty() && m.years.len() <= 2 {
                    if let Some(o) = theme.and_then(|t| topics.of_theme(t, y)) {
                        named.push(o);
                    }
                }
                for o in named {
                    out.push(Cited {
                        output: o,
                        start: s.min(m.start),
                        end: e.max(m.end),
                    });
                }
            }
        }
    }
    out
}

/// The words of `a..b` that can name a topic (cues and years aside).
fn topic_words(cx: &Context<'_>, a: usize, b: usize) -> Vec<String> {
    (a..b)
        .filter(|&j| cx.cues[j] == Cue::None && !cx.years.iter().any(|m| m.start <= j && j < m.end))
        .map(|j| cx.words[j].clone())
        .collect()
}
