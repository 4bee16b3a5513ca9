//! References: titles, aliases and themes (with a forum cue and a year) matched in a document's words, fuzzily
//! where a phrase is long enough, plus links to an output's URLs. A name shared by several outputs is given to
//! one only when a year next to it says which; otherwise it is left out, never guessed.

pub use crate::textutil::normalize_url;
use std::collections::HashMap;

use crate::config::DetectConfig;
use crate::records::{Document, Mention, MentionKind, Output, ThemeMention};
use crate::textutil::{collapse_whitespace, snippet_chars, tokenize, urls_in_text, Token};

/// Light stemming applied to both sides: a plural `s` is dropped from words of four letters or more.
fn stem(w: &str) -> String {
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

fn stem_words(text: &str) -> Vec<String> {
    tokenize(text).iter().map(|t| stem(&t.norm)).collect()
}

/// Words that make a nearby short name refer to the IGF's forums.
const FORUM_CUES: &[&[&str]] = &[&["igf"], &["bpf"], &["internet", "governance", "forum"]];
/// Words that make a nearby theme refer to a Best Practice Forum: naming the IGF alone is not enough ("at IGF
/// 2016 we discussed cybersecurity" cites no forum output). "Best Practice Forum on <theme>" is matched through
/// the outputs' aliases, under the rules for generic forum names.
const THEME_CUES: &[&[&str]] = &[&["bpf"]];
/// Words that mean "BPF" is the Berkeley Packet Filter.
const PACKET_FILTER_WORDS: &[&str] = &[
    "packet", "berkeley", "ebpf", "kernel", "filter", "xdp", "bytecode", "tcpdump",
];
/// Phrases shorter than this many words are matched exactly only.
const MIN_FUZZY_WORDS: usize = 3;
/// How far, in words, a theme's cue and year may stand from it.
const THEME_REACH_WORDS: usize = 8;
/// Most words a page break may put inside a title (a page number, a running head).
const MAX_BREAK_WORDS: usize = 8;
/// Score of a title found across a page break.
const PAGE_BREAK_SCORE: f64 = 0.95;
/// Snippet context either side of a mention, in characters.
const SNIPPET_CHARS: usize = 80;

/// A document's words, stemmed words and characters, for looking around a match.
struct DocWords<'a> {
    tokens: &'a [Token],
    words: Vec<String>,
    chars: Vec<char>,
    /// The document defines "BPF" as something else ("BPF: basis point fee", "Berkeley Packet Filter (BPF)").
    bpf_other: bool,
    /// "IGF" means something else here (insulin-like growth factor).
    igf_other: bool,
    /// The document's own year, for "this year's" and "last year's".
    year: Option<i32>,
}

/// What a matched name refers to.
enum Resolved {
    /// These outputs.
    Outputs(Vec<(usize, MentionKind)>),
    /// A name shared by these outputs, with the forum named but no year to choose: a theme-level mention.
    Theme(Vec<usize>),
}

/// Whether the text defines "BPF" as something other than a Best Practice Forum.
fn bpf_defined_otherwise(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)\bBPFs?\s*(?::|=|\(|–|—| - )\s*([A-Za-z]+(?:\s+[A-Za-z]+)?)|([A-Za-z]+\s+[A-Za-z]+)\s*\(\s*BPFs?\s*\)")
            .expect("a valid pattern")
    });
    static PACKETS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let packets = PACKETS.get_or_init(|| {
        regex::Regex::new(
            r"(?i)packet filter|\bebpf\b|\bbpf (?:program|bytecode|verifier|maps?|jit)\b",
        )
        .expect("a valid pattern")
    });
    if packets.is_match(text) {
        return true;
    }
    re.captures_iter(text).any(|c| {
        let words = c
            .get(1)
            .or_else(|| c.get(2))
            .map_or("", |m| m.as_str())
            .to_ascii_lowercase();
        !(words.starts_with("best practice")
            || words.contains("practice forum")
            || words.starts_with("igf"))
    })
}

/// Whether "IGF" means the insulin-like growth factor here.
fn igf_defined_otherwise(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)\bIGF-?[12]\b|insulin-like growth factor|growth factor")
            .expect("a valid pattern")
    });
    re.is_match(text)
}

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
        return Some(tokenize(&line).iter().map(|t| stem(&t.norm)).collect());
    }
    None
}

#[derive(Debug, Clone)]
struct Candidate {
    output: usize,
    kind: MentionKind,
}

#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    joined: String,
    candidates: Vec<Candidate>,
}

/// The names of every output, ready to match.
#[derive(Debug)]
pub struct ReferenceIndex {
    phrases: Vec<Phrase>,
    by_first: HashMap<String, Vec<usize>>,
    by_second: HashMap<String, Vec<usize>>,
    years: Vec<i32>,
    ids: Vec<String>,
    themes: Vec<Option<String>>,
    urls: HashMap<String, usize>,
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
    pub fn new(outputs: &[Output]) -> ReferenceIndex {
        let mut by_words: HashMap<Vec<String>, Vec<Candidate>> = HashMap::new();
        let mut add = |text: &str, output: usize, kind: MentionKind| {
            let words = stem_words(text);
            if words.is_empty() {
                return;
            }
            let c = by_words.entry(words).or_default();
            if !c.iter().any(|x| x.output == output) {
                c.push(Candidate { output, kind });
            }
        };
        for (i, o) in outputs.iter().enumerate() {
            add(&o.title, i, MentionKind::Title);
            for a in &o.aliases {
                add(a, i, MentionKind::Alias);
            }
            if let Some(t) = &o.theme {
                add(t, i, MentionKind::ThemeYear);
            }
            for t in &o.theme_aliases {
                add(t, i, MentionKind::ThemeYear);
            }
        }
        let mut phrases: Vec<Phrase> = by_words
            .into_iter()
            .map(|(words, candidates)| Phrase {
                joined: words.join(" "),
                words,
                candidates,
            })
            .collect();
        phrases.sort_by(|a, b| a.joined.cmp(&b.joined));
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_second: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in phrases.iter().enumerate() {
            by_first.entry(p.words[0].clone()).or_default().push(i);
            if p.words.len() >= MIN_FUZZY_WORDS {
                by_second.entry(p.words[1].clone()).or_default().push(i);
            }
        }
        let mut urls = HashMap::new();
        for (i, o) in outputs.iter().enumerate() {
            for u in &o.urls {
                urls.insert(normalize_url(u), i);
            }
        }
        ReferenceIndex {
            phrases,
            by_first,
            by_second,
            years: outputs.iter().map(|o| o.year).collect(),
            ids: outputs.iter().map(|o| o.id.clone()).collect(),
            themes: outputs.iter().map(|o| o.theme.clone()).collect(),
            urls,
        }
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
        let doc_words = DocWords {
            words: tokens.iter().map(|t| stem(&t.norm)).collect(),
            chars: doc.text.chars().collect(),
            tokens,
            bpf_other: bpf_defined_otherwise(&doc.text),
            igf_other: igf_defined_otherwise(&doc.text),
            year: doc
                .published
                .as_ref()
                .map(|p| chrono::Datelike::year(&p.date)),
        };
        let (tokens, words) = (doc_words.tokens, &doc_words.words);
        // Words inside a written-out URL are not names (the URL itself is matched as a link).
        let url_spans = urls_in_text(&doc.text);
        let in_url: Vec<bool> = tokens
            .iter()
            .map(|t| {
                url_spans
                    .iter()
                    .any(|l| l.start <= t.start && t.end <= l.end)
            })
            .collect();
        let mut found: Vec<(usize, usize, usize, f64)> = Vec::new(); // (start tok, end tok, phrase, score)
        for i in 0..words.len() {
            let mut tried: Vec<usize> = Vec::new();
            if let Some(ps) = self.by_first.get(&words[i]) {
                tried.extend(ps);
            }
            if i + 1 < words.len() {
                if let Some(ps) = self.by_second.get(&words[i + 1]) {
                    tried.extend(ps);
                }
            }
            tried.sort_unstable();
            tried.dedup();
            for p in tried {
                let phrase = &self.phrases[p];
                let n = phrase.words.len();
                if i + n > words.len() {
                    continue;
                }
                let window = &words[i..i + n];
                if window == phrase.words.as_slice() {
                    found.push((i, i + n, p, 1.0));
                } else if n >= MIN_FUZZY_WORDS
                    && (window[0] == phrase.words[0] || window[1] == phrase.words[1])
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
        mentions.sort_by(|a, b| (a.start, &a.output_id).cmp(&(b.start, &b.output_id)));
        (mentions, themes)
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
        let packet_context = window
            .iter()
            .any(|w| PACKET_FILTER_WORDS.contains(&w.as_str()));
        let has_bpf = |ws: &[String]| ws.iter().any(|w| w == "bpf");
        if packet_context && (has_bpf(window) || has_bpf(&words[s..e])) {
            return None;
        }
        // "BPF" or "IGF" defined as something else in this document: names built on them say nothing.
        if (doc.bpf_other && has_bpf(&words[s..e]))
            || (doc.igf_other && words[s..e].iter().any(|w| w == "igf"))
        {
            return None;
        }
        // A theme's cue must not be part of a name already matched ("the 2017 BPF Cybersecurity, which … a
        // cybersecurity strategy": the second word is not a new reference).
        let free: Vec<&str> = (lo..hi)
            .filter(|&j| !(is_theme && taken[j]))
            .map(|j| words[j].as_str())
            .collect();
        let heading = heading_words(chars, tokens[s].start).unwrap_or_default();
        let cues = if is_theme { THEME_CUES } else { FORUM_CUES };
        let has_cue = |ws: &[&str]| {
            cues.iter()
                .filter(|cue| {
                    let disowned =
                        (doc.bpf_other && **cue == ["bpf"]) || (doc.igf_other && **cue == ["igf"]);
                    !disowned
                })
                .any(|cue| ws.windows(cue.len()).any(|w| w == *cue))
        };
        // A list under a heading that names the forum ("IGF 2016 outputs:") is cued by it.
        let cue =
            has_cue(&free) || has_cue(&heading.iter().map(String::as_str).collect::<Vec<_>>());
        // "this year's" / "last year's" right before the name, or in its sentence: the document's year says which.
        let relative_year = |from: usize, to: usize| -> Option<i32> {
            let ws = &words[from..to];
            ws.windows(2)
                .find_map(|w| match (w[0].as_str(), w[1].as_str()) {
                    ("thi", "year") | ("this", "year") => doc.year,
                    ("last", "year") => doc.year.map(|y| y - 1),
                    ("next", "year") => doc.year.map(|y| y + 1),
                    _ => None,
                })
        };
        // A generic forum name is a citation when written like one: right after "the", a year or "this year's",
        // with its year attached ("the 2015 Best Practice Forum on …", "… Forum on IXPs (2015)").
        let citation_style = {
            let before = s.checked_sub(1).map(|j| words[j].as_str());
            let sentence_start = s == lo;
            let year_before = before.and_then(year_of_word).is_some();
            let relative_before = s >= 2 && relative_year(s - 2, s).is_some()
                || s >= 3 && relative_year(s - 3, s).is_some();
            let year_after = words.get(e).and_then(|w| year_of_word(w)).is_some()
                && !boundary(chars, tokens[e - 1].end, tokens[e].start);
            let plain_before =
                sentence_start || before == Some("the") || year_before || relative_before;
            plain_before && (year_before || year_after || relative_before)
        };
        // Generic names need the forum named nearby: a theme, a name of fewer than four words without "BPF" or
        // "IGF" in it, and "Best Practice Forum on …" (a common name for unrelated events).
        let short_name =
            phrase.words.len() < 4 && !phrase.words.iter().any(|w| w == "bpf" || w == "igf");
        let generic_forum = phrase
            .words
            .windows(3)
            .any(|w| w == ["best", "practice", "forum"]);
        if (is_theme || short_name) && !cue {
            return None;
        }
        if generic_forum && !cue && !citation_style {
            return None;
        }
        if phrase.candidates.len() == 1 && !is_theme {
            let c = &phrase.candidates[0];
            return Some(Resolved::Outputs(vec![(c.output, c.kind)]));
        }
        // A year in the window picks the output; the nearest year wins, with any year written right beside it
        // ("2014/2015").
        let mut years: Vec<(usize, i32)> = Vec::new(); // (distance in tokens, year)
        for (j, w) in words.iter().enumerate().take(hi).skip(lo) {
            if let Ok(y) = w.parse::<i32>() {
                if w.len() == 4 && (1990..=2100).contains(&y) {
                    let d = if j < s {
                        s - j
                    } else {
                        j.saturating_sub(e - 1)
                    };
                    years.push((d, y));
                }
            }
        }
        years.sort();
        if years.is_empty() {
            // No year in the sentence: "this year's" / "last year's", then a heading or list title above.
            let fallback =
                relative_year(lo, hi).or_else(|| heading.iter().find_map(|w| year_of_word(w)));
            match fallback {
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

    #[test]
    fn bpf_and_igf_defined_otherwise_are_recognised() {
        assert!(bpf_defined_otherwise("BPF: basis point fee."));
        assert!(bpf_defined_otherwise(
            "The Berkeley Packet Filter (BPF) runs in the kernel."
        ));
        assert!(bpf_defined_otherwise("We load eBPF programs."));
        assert!(!bpf_defined_otherwise(
            "The Best Practice Forum (BPF) on IXPs met."
        ));
        assert!(!bpf_defined_otherwise(
            "BPFs (Best Practice Forums) of the IGF."
        ));
        assert!(!bpf_defined_otherwise(
            "The 2015 BPF on Gender published its report."
        ));
        assert!(igf_defined_otherwise("IGF-1 levels rose."));
        assert!(!igf_defined_otherwise("The IGF 2015 in Brazil."));
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
