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

/// Splits a text into normalised words with character offsets (see [`crate::normalize`]).
pub fn tokenize(text: &str) -> Vec<Token> {
    crate::normalize::word_strings(text)
        .into_iter()
        .map(|(norm, start, end)| Token { norm, start, end })
        .collect()
}

/// The normalised words of a phrase, for matching.
pub fn norm_words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.norm).collect()
}

/// The span `[start, end)` with up to `context` characters either side, cut at word boundaries (an ellipsis
/// marks a cut), on one line.
pub fn snippet(text: &str, start: usize, end: usize, context: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    snippet_chars(&chars, start, end, context)
}

/// [`snippet`] over a text already split into characters (for many snippets of one text).
pub fn snippet_chars(chars: &[char], start: usize, end: usize, context: usize) -> String {
    let end = end.min(chars.len());
    let start = start.min(end);
    let mut from = start.saturating_sub(context);
    if from > 0 && chars[from - 1].is_alphanumeric() {
        while from < start && !chars[from].is_whitespace() {
            from += 1;
        }
    }
    let mut to = (end + context).min(chars.len());
    if to < chars.len() && chars[to].is_alphanumeric() {
        while to > end && !chars[to - 1].is_whitespace() {
            to -= 1;
        }
    }
    let mut out = String::new();
    if from > 0 && context > 0 {
        out.push('…');
    }
    out.push_str(&collapse_whitespace(
        &chars[from..to].iter().collect::<String>(),
    ));
    if to < chars.len() && context > 0 {
        out.push('…');
    }
    out
}

/// Runs of white space become one space; the ends are trimmed.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// Normalises a URL for comparison: scheme, `www.`, trailing slash, fragment and tracking parameters dropped;
/// percent-encoding decoded; case folded in the host.
pub fn normalize_url(u: &str) -> String {
    let Ok(parsed) = url::Url::parse(u.trim()) else {
        return u.trim().trim_end_matches('/').to_ascii_lowercase();
    };
    let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path = percent_decode(parsed.path());
    let path = path.trim_end_matches('/');
    let mut query: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_")
                || k == "fbclid"
                || k == "gclid"
                || k == "mc_cid"
                || k == "mc_eid")
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    query.sort();
    let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if q.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{host}{path}?{}", q.join("&"))
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_char_offsets() {
        let t = tokenize("Ça va, “Best” ﬁne");
        let words: Vec<_> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(words, ["ca", "va", "best", "fine"]);
        assert_eq!((t[2].start, t[2].end), (8, 12));
        assert_eq!((t[3].start, t[3].end), (14, 17));
    }

    #[test]
    fn snippet_collapses_whitespace() {
        assert_eq!(snippet("aaa\n\n bbb ccc", 6, 9, 4), "…bbb ccc");
        assert_eq!(
            snippet("one two three four five", 8, 13, 5),
            "…two three four…"
        );
        assert_eq!(snippet("one two", 0, 7, 5), "one two");
    }

    #[test]
    fn finds_urls_in_text() {
        let l = urls_in_text("see https://example.org/a.pdf. and www.igf.org");
        assert_eq!(l[0].url, "https://example.org/a.pdf");
        assert_eq!((l[0].start, l[0].end), (4, 29));
        assert_eq!(l[1].url, "http://www.igf.org");
    }
}
