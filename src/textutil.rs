//! Text helpers shared by detection and reporting: word tokens with character offsets, normalised forms,
//! and snippets cut on character boundaries.

use crate::records::Link;

/// A word of a text: its normalised form and its character span in the original text (end exclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub norm: String,
    pub start: usize,
    pub end: usize,
}

/// Folds typographic variants so that “quotes”, ligatures and dashes compare equal to their plain forms.
fn fold_char(c: char, out: &mut String) {
    match c {
        'ﬁ' => out.push_str("fi"),
        'ﬂ' => out.push_str("fl"),
        'ﬀ' => out.push_str("ff"),
        'ﬃ' => out.push_str("ffi"),
        'ﬄ' => out.push_str("ffl"),
        _ => out.extend(c.to_lowercase()),
    }
}

/// Splits a text into lowercase alphanumeric words with character offsets.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut pos = 0;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if current.is_empty() {
                start = pos;
            }
            fold_char(c, &mut current);
        } else if !current.is_empty() {
            tokens.push(Token {
                norm: std::mem::take(&mut current),
                start,
                end: pos,
            });
        }
        pos += 1;
    }
    if !current.is_empty() {
        tokens.push(Token {
            norm: current,
            start,
            end: pos,
        });
    }
    tokens
}

/// The normalised words of a phrase, for matching.
pub fn norm_words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.norm).collect()
}

/// Characters `[start, end)` of `text` (by character index).
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// The span `[start, end)` with up to `context` characters either side, on one line, trimmed.
pub fn snippet(text: &str, start: usize, end: usize, context: usize) -> String {
    let from = start.saturating_sub(context);
    let s = char_slice(text, from, end + context);
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

/// URLs written out in a text (`http://`, `https://`, `www.`), with their character spans; trailing punctuation
/// is left out.
pub fn urls_in_text(text: &str) -> Vec<Link> {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+"#).unwrap()
    });
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut last_byte = 0;
    for m in URL.find_iter(text) {
        let s = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        chars_before += text[last_byte..m.start()].chars().count();
        last_byte = m.start();
        let start = chars_before;
        let end = start + s.chars().count();
        let url = if s.to_ascii_lowercase().starts_with("www.") {
            format!("http://{s}")
        } else {
            s.to_string()
        };
        out.push(Link { url, start, end });
    }
    out
}

/// Number of characters in a text.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_char_offsets() {
        let t = tokenize("Ça va, “Best” ﬁne");
        let words: Vec<_> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(words, ["ça", "va", "best", "fine"]);
        assert_eq!((t[2].start, t[2].end), (8, 12));
        assert_eq!((t[3].start, t[3].end), (14, 17));
    }

    #[test]
    fn snippet_collapses_whitespace() {
        assert_eq!(snippet("aaa\n\n bbb ccc", 6, 9, 4), "a bbb ccc");
    }
}
