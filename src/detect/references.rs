//! References: titles, aliases and themes (with a forum cue and a year) matched in a document's words, fuzzily
//! where a phrase is long enough, plus links to an output's URLs. A name shared by several outputs is given to
//! one only when a year next to it says which; otherwise it is left out, never guessed.

pub use crate::textutil::normalize_url;
use std::collections::HashMap;

use crate::config::DetectConfig;
use crate::records::{Document, Mention, MentionKind, Output};
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

/// Words that make a nearby theme or short name refer to the IGF's forums.
const FORUM_CUES: &[&[&str]] = &[&["igf"], &["bpf"], &["internet", "governance", "forum"]];
/// Words that mean "BPF" is the Berkeley Packet Filter.
const PACKET_FILTER_WORDS: &[&str] = &[
    "packet", "berkeley", "ebpf", "kernel", "filter", "xdp", "bytecode", "tcpdump",
];
/// Phrases shorter than this many words are matched exactly only.
const MIN_FUZZY_WORDS: usize = 3;
/// How far, in words, a theme's cue and year may stand from it.
const THEME_REACH_WORDS: usize = 8;
/// Snippet context either side of a mention, in characters.
const SNIPPET_CHARS: usize = 80;

/// A document's words, stemmed words and characters, for looking around a match.
struct DocWords<'a> {
    tokens: &'a [Token],
    words: Vec<String>,
    chars: Vec<char>,
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
    pub fn find(&self, doc: &Document, tokens: &[Token], cfg: &DetectConfig) -> Vec<Mention> {
        let doc_words = DocWords {
            words: tokens.iter().map(|t| stem(&t.norm)).collect(),
            chars: doc.text.chars().collect(),
            tokens,
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
        for (s, e, p, score) in found {
            if taken[s..e].iter().any(|t| *t) || in_url[s..e].iter().any(|t| *t) {
                continue;
            }
            let phrase = &self.phrases[p];
            let start = tokens[s].start;
            let end = tokens[e - 1].end;
            if let Some(outputs) = self.resolve(phrase, &doc_words, &taken, s, e, cfg) {
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
        mentions
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
    ) -> Option<Vec<(usize, MentionKind)>> {
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
        // A theme's cue must not be part of a name already matched ("the 2017 BPF Cybersecurity, which … a
        // cybersecurity strategy": the second word is not a new reference).
        let free: Vec<&str> = (lo..hi)
            .filter(|&j| !(is_theme && taken[j]))
            .map(|j| words[j].as_str())
            .collect();
        let cue = FORUM_CUES
            .iter()
            .any(|cue| free.windows(cue.len()).any(|w| w == *cue));
        // Generic names need the forum named nearby: a theme, a name of fewer than four words without "BPF" or
        // "IGF" in it, and "Best Practice Forum on …" (a common name for unrelated events).
        let short_name =
            phrase.words.len() < 4 && !phrase.words.iter().any(|w| w == "bpf" || w == "igf");
        let generic_forum = phrase
            .words
            .windows(3)
            .any(|w| w == ["best", "practice", "forum"]);
        if (is_theme || short_name || generic_forum) && !cue {
            return None;
        }
        if phrase.candidates.len() == 1 && !is_theme {
            let c = &phrase.candidates[0];
            return Some(vec![(c.output, c.kind)]);
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
            Some(chosen)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
