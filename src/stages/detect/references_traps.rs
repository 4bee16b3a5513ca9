//! Traps: where the series' or the organisation's acronym means something else in a document (the Berkeley
//! Packet Filter, "BPF: basis point fee", the Intergovernmental Forum on Mining).

use crate::detect::vocabulary::{phrase_at, stem_words, Vocabulary};
use crate::textutil::Token;

/// Characters either side of a series acronym searched for a definition of it.
const DEFINITION_REACH_CHARS: usize = 60;

/// Whether the text defines the series' acronym as something else ("BPF: basis point fee", "Berkeley Packet Filter
/// (BPF)", eBPF programs). Only the text around each written acronym is searched: most documents never write it
/// and cost one scan of their words.
pub(super) fn series_defined_otherwise(
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
pub(super) fn org_defined_otherwise(vocab: &Vocabulary, words: &[String]) -> bool {
    if !words.iter().any(|w| vocab.is_org_acronym(w)) {
        return false;
    }
    (0..words.len()).any(|i| vocab.org_otherwise.iter().any(|p| phrase_at(words, i, p)))
}
