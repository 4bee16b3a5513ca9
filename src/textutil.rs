//! Text helpers shared by the stages: word tokens with character offsets, normalised forms, snippets cut on
//! character boundaries, the one URL normaliser, HTTP dates, and the cheap nesting scan that guards every HTML
//! parse.

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

/// How [`urls_in_text`] finds `://` and `www.`.
enum Marks {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

/// A URL written out in a text: bytes `start..end` of it, trailing punctuation left out ([`url_spans`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlSpan {
    pub start: usize,
    pub end: usize,
    /// It starts with `www.` (in any case) and no scheme: its URL is `http://` and the span.
    pub www: bool,
}

impl UrlSpan {
    /// The span's URL: the span itself, with `http://` before a `www.` form.
    pub fn url(self, text: &str) -> std::borrow::Cow<'_, str> {
        let s = &text[self.start..self.end];
        if self.www {
            format!("http://{s}").into()
        } else {
            s.into()
        }
    }
}

/// URLs written out in a text (`http://`, `https://`, `www.`), with their character spans; trailing punctuation
/// is left out: [`url_spans`], each with its URL and character offsets.
pub fn urls_in_text(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut last_byte = 0;
    for span in url_spans(text) {
        chars_before += text[last_byte..span.start].chars().count();
        last_byte = span.start;
        out.push(Link {
            url: span.url(text).into_owned(),
            start: chars_before,
            end: chars_before + text[span.start..span.end].chars().count(),
        });
    }
    out
}

/// The URLs written out in a text (`http://`, `https://`, `www.`) as byte spans, in order; trailing punctuation
/// is left out.
///
/// What the regular expression `(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+` finds, leftmost first, without
/// running it: every match holds `://` or `www.` (in any case), which an automaton of those literals finds (a
/// SIMD search, as the expression's own prefilter), then the prefix before `://` is read (ASCII case aside, and
/// the long s `ſ` that the expression's case folding takes for `s`), the character before the prefix must be no
/// word character (`\b`), and the URL runs to the first white space or bracket. The test
/// `urls_are_what_the_regex_finds` compares the two on random texts; the expression, run forwards and backwards
/// from every start, was 6% of a WET run.
pub fn url_spans(text: &str) -> impl Iterator<Item = UrlSpan> + '_ {
    static MARKS: std::sync::LazyLock<Marks> = std::sync::LazyLock::new(|| {
        let mut marks = vec!["://".to_string()];
        // `www.` in every case: literals keep the SIMD search, which ASCII case folding loses
        for case in 0..8 {
            let w = |bit: u32| if case >> bit & 1 == 1 { 'W' } else { 'w' };
            marks.push(format!("{}{}{}.", w(0), w(1), w(2)));
        }
        // Teddy, the packed SIMD search, where it can be built; the general automaton otherwise (it would pick a
        // search for the first bytes, `:` and `w`, which web text is full of)
        match aho_corasick::packed::Searcher::new(&marks) {
            Some(s) => Marks::Packed(s),
            None => Marks::Automaton(
                aho_corasick::AhoCorasick::new(&marks).expect("nine literals make an automaton"),
            ),
        }
    });
    let b = text.as_bytes();
    // the end of the last URL: matches do not overlap
    let mut at = 0;
    let marks: Box<dyn Iterator<Item = (usize, usize, bool)>> = match &*MARKS {
        Marks::Packed(s) => Box::new(
            s.find_iter(text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize() == 0)),
        ),
        Marks::Automaton(a) => Box::new(
            a.find_iter(text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize() == 0)),
        ),
    };
    marks.filter_map(move |(c, mark_end, colon)| {
        let start = if colon {
            // `https?://`: the `s` (or `S`, or `ſ` in two bytes) is optional
            let before_colon = if c >= 1 && matches!(b[c - 1], b's' | b'S') {
                c - 1
            } else if c >= 2 && b[c - 2..c] == [0xc5, 0xbf] {
                c - 2
            } else {
                c
            };
            match before_colon.checked_sub(4) {
                Some(s) if b[s..before_colon].eq_ignore_ascii_case(b"http") => s,
                _ => return None,
            }
        } else {
            c
        };
        if start < at {
            return None;
        }
        let prefix_end = mark_end;
        // `\b` before a word character: the character before is none
        let bounded = text[..start]
            .chars()
            .next_back()
            .is_none_or(|ch| !regex_syntax::is_word_character(ch));
        let len = url_len(&text[prefix_end..]);
        if !bounded || len == 0 {
            return None;
        }
        let end = prefix_end + len;
        at = end;
        let s = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let www = s
            .as_bytes()
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"www."));
        Some(UrlSpan {
            start,
            end: start + s.len(),
            www,
        })
    })
}

/// The bytes of `rest` before the first white space or bracket, what ends a URL written in a text (ASCII read a
/// byte at a time from a table, other characters decoded).
fn url_len(rest: &str) -> usize {
    /// The ASCII characters that end a URL: the white space of `char::is_whitespace`, brackets and quotes.
    const STOPS: [bool; 128] = {
        let mut t = [false; 128];
        let stops = b"\t\n\x0b\x0c\r <>\"'()[]{}";
        let mut i = 0;
        while i < stops.len() {
            t[stops[i] as usize] = true;
            i += 1;
        }
        t
    };
    let b = rest.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            if STOPS[c as usize] {
                return i;
            }
            i += 1;
        } else {
            let ch = rest[i..].chars().next().expect("a character starts here");
            if ch.is_whitespace() {
                return i;
            }
            i += ch.len_utf8();
        }
    }
    b.len()
}

/// Number of characters in a text.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// The frontier form of a URL, what the crawler asks for and keys its state by: the URL as the url crate parses
/// it (scheme and host lowercased, default port and dot segments dropped) without its fragment, which never
/// reaches the server. [`normalize_url`] starts from this form.
pub fn frontier_url(mut url: url::Url) -> url::Url {
    url.set_fragment(None);
    url
}

/// Normalises a URL for comparison: the [`frontier_url`] form, then scheme, `www.`, trailing slash and tracking
/// parameters dropped; the path percent-decoded (invalid UTF-8 replaced); query parameters sorted; case folded in
/// the host. A string that is not a URL is trimmed, stripped of trailing slashes and lowercased.
pub fn normalize_url(u: &str) -> String {
    let Ok(parsed) = url::Url::parse(u.trim()).map(frontier_url) else {
        return u.trim().trim_end_matches('/').to_ascii_lowercase();
    };
    let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path = percent_encoding::percent_decode_str(parsed.path()).decode_utf8_lossy();
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

/// Reads an HTTP date (`Last-Modified`, `Retry-After`) in the three forms HTTP allows (RFC 9110 §5.6.7), with
/// the `httpdate` crate: the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete RFC 850 `Sunday,
/// 06-Nov-94 08:49:37 GMT` and C's asctime `Sun Nov  6 08:49:37 1994`. An RFC 2822 date with a numeric zone
/// (`Fri, 5 Jun 2015 10:01:00 +0200`), which some servers write, is read too and keeps its zone.
pub fn parse_http_date(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let s = s.trim();
    if let Ok(t) = httpdate::parse_http_date(s) {
        return Some(chrono::DateTime::<chrono::Utc>::from(t).fixed_offset());
    }
    chrono::DateTime::parse_from_rfc2822(s).ok()
}

/// Deepest element nesting an HTML page may have; deeper pages are refused by extraction and their links are not
/// followed by the crawler. html5ever checks the stack of open elements for each new element, so its time grows
/// with the square of the depth: 100,000 nested `<div>`s take minutes. Real pages stay under a few hundred
/// (browsers stop laying out past 512).
pub const MAX_HTML_DEPTH: usize = 1000;

/// Elements that never hold content and take no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The deepest nesting of elements in `html`, from a cheap scan of its tags (start tags deepen, end tags and
/// self-closing or void tags do not; comments and the insides of `script` and `style` count as tags too, which
/// only overstates). Linear in the length of `html`.
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    // The next `>` at or after `i`, found once and reused by every tag before it (so `<a<a<a…` stays linear).
    let mut next_gt = 0usize;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        match b.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(b.len(), |p| i + p);
                if next_gt < i {
                    next_gt = b[i..]
                        .iter()
                        .position(|&c| c == b'>')
                        .map_or(b.len(), |p| i + p);
                }
                let self_closing = b.get(next_gt - 1) == Some(&b'/');
                let void = name_end - i <= 8
                    && VOID
                        .iter()
                        .any(|v| v.eq_ignore_ascii_case(&html[i..name_end]));
                if !void && !self_closing {
                    depth += 1;
                    max = max.max(depth);
                }
                i = name_end;
            }
            _ => {}
        }
    }
    max
}

/// Month names in English, Spanish, French and Portuguese (the languages the IGF's community writes most), each
/// list in order from January. A name matches its first three letters or more ("Sept", "dic.", "févr").
const MONTHS: [[&str; 12]; 4] = [
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
];

/// A month's number from its name or its first three letters or more, in any of [`MONTHS`]' languages; `None`
/// when the name is unknown or shorter, or two months share it.
pub fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    if name.chars().count() < 3 {
        return None;
    }
    let mut found: Option<u32> = None;
    for list in &MONTHS {
        for (i, m) in list.iter().enumerate() {
            // the whole name, or its first letters (three or more)
            if *m == name || (m.starts_with(&name)) || (name.starts_with(m)) {
                let n = i as u32 + 1;
                match found {
                    Some(f) if f != n => return None,
                    _ => found = Some(n),
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `urls_in_text` as it was: the regular expression.
    fn urls_by_regex(text: &str) -> Vec<Link> {
        static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+"#).unwrap()
        });
        let mut out = Vec::new();
        for m in RE.find_iter(text) {
            let s = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let start = text[..m.start()].chars().count();
            let url = if s.len() >= 4 && s[..4].eq_ignore_ascii_case("www.") {
                format!("http://{s}")
            } else {
                s.to_string()
            };
            out.push(Link {
                url,
                start,
                end: start + s.chars().count(),
            });
        }
        out
    }

    #[test]
    fn a_url_ends_where_the_first_white_space_or_bracket_stands() {
        let by_chars = |rest: &str| {
            rest.find(|ch: char| {
                ch.is_whitespace()
                    || matches!(
                        ch,
                        '<' | '>' | '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}'
                    )
            })
            .unwrap_or(rest.len())
        };
        for cp in (0..0x3100).chain(0xfe00..0x10000).chain(0x1f600..0x1f650) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for t in [format!("a.b/{c}d"), format!("{c}"), format!("xé{c}{c}y")] {
                assert_eq!(url_len(&t), by_chars(&t), "{t:?}");
            }
        }
    }

    #[test]
    fn urls_are_what_the_regex_finds() {
        let fixed = [
            "see https://example.org/a.b, and www.Example.org.",
            "xhttp://a.b yhttps://c wwww.d.e _www.f (https://g.h/i) [www.j]",
            "éhttp://a ähttps://b 1www.c -http://d ‐www.e",
            "HTTPS://A HtTp://b WWW.c http:// https:// www. http://<x> https://\u{a0}y",
            "httpſ://long.s HTTPſ://x httpſ:/ ſwww.y https:/ http:x www",
            "http://a\u{2028}b http://c\u{3000}d www.e\u{85}f http://g'h http://i\"j",
            "https://https://a www.www.b http://x.y/https://z",
            "end http://q.r!?;:,.",
        ];
        for t in fixed {
            assert_eq!(urls_in_text(t), urls_by_regex(t), "{t:?}");
        }
        // random texts made of the pieces that decide a match
        let pieces = [
            "http",
            "https",
            "HTTP",
            "hTTpS",
            "://",
            ":/",
            "www",
            "WwW",
            ".",
            "ſ",
            "s",
            "x",
            "é",
            "_",
            "-",
            "1",
            " ",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "<",
            ">",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "'",
            "\"",
            ",",
            ";",
            "!",
            "?",
            ":",
            "/",
            "a.b",
            "ü",
            "中",
            "\u{301}",
            "\u{200d}",
            "·",
            "http://",
            "https://",
            "www.",
            "HTTPſ://",
            "Www.",
            "ttp",
            "ps:",
            "s:",
            "w.",
            "ww",
            "p",
            "S",
            "h",
        ];
        let mut rng = fastrand::Rng::with_seed(17);
        let mut urls = 0;
        for _ in 0..100_000 {
            let n = rng.usize(1..30);
            let t: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
            let want = urls_by_regex(&t);
            urls += want.len();
            assert_eq!(urls_in_text(&t), want, "{t:?}");
        }
        assert!(urls > 5_000, "the random texts hold URLs: {urls}");
    }

    #[test]
    fn nesting_depth_counts_open_elements() {
        assert_eq!(
            nesting_depth("<html><body><p>a<br>b<img src=x/></p><div/></body></html>"),
            3
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("text < 3 and 4 > 2"), 0);
        assert_eq!(nesting_depth("<BR><Img src=x><DIV><p/>"), 1);
    }

    #[test]
    fn nesting_depth_is_linear_on_tags_without_an_end() {
        // Every tag once looked for its `>` to the end of the text: quadratic, minutes on a few megabytes.
        let html = "<a".repeat(2_000_000);
        assert_eq!(nesting_depth(&html), 2_000_000);
    }

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

    /// `normalize_url` and the crawler's `links::normalise` as they were before both became the one normaliser
    /// here (the first decoded percent escapes by hand).
    mod before {
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

        pub fn normalise(mut url: url::Url) -> url::Url {
            url.set_fragment(None);
            url
        }
    }

    /// What the callers hand the normaliser: every URL written in the shipped data and the test corpora (the
    /// catalogue's output URLs, manifests, links of the pages), and the awkward forms links take on the web.
    fn callers_urls() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut urls = Vec::new();
        for dir in ["data", "tests/fixtures", "tests/labelled"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let Ok(text) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                urls.extend(urls_in_text(&text).into_iter().map(|l| l.url));
            }
        }
        assert!(urls.len() > 50, "the corpora hold URLs: {}", urls.len());
        for odd in [
            "https://www.IntGovForum.org/multilingual/content/bpf-ixps/?utm_source=x#top",
            "http://intgovforum.org/multilingual/content/bpf-ixps",
            "HTTPS://WWW.Example.ORG:443/a/./b/../c/",
            "https://example.org/b%20c",
            "https://example.org/b c",
            "https://example.org/caf%C3%A9/%E9t%E9",
            "https://example.org/%zz/%4/%",
            "https://example.org/a%2Fb%25",
            "https://example.org/doc?b=2&a=1&utm_medium=mail&fbclid=x&gclid=y&mc_cid=z&mc_eid=w",
            "https://example.org/doc?q=a+b&r=%26",
            "https://example.org/#only-a-fragment",
            "https://bücher.example/straße",
            "https://[::1]:8080/x",
            "http://127.0.0.1:3000/page.html#p2",
            "mailto:someone@example.org",
            "file:///tmp/corpus/a.html",
            "www.igf.org/",
            "not a url/",
            "  https://example.org/padded/  ",
            "",
        ] {
            urls.push(odd.to_string());
        }
        urls
    }

    #[test]
    fn the_one_url_normaliser_gives_what_both_old_ones_gave() {
        let urls = callers_urls();
        let mut parsed = 0;
        for u in &urls {
            assert_eq!(normalize_url(u), before::normalize_url(u), "{u:?}");
            if let Ok(url) = url::Url::parse(u) {
                parsed += 1;
                assert_eq!(frontier_url(url.clone()), before::normalise(url), "{u:?}");
            }
        }
        assert!(parsed > 50);
        // and what they gave is what the references test and the ripple analysis rely on
        assert_eq!(
            normalize_url(
                "https://www.IntGovForum.org/multilingual/content/bpf-ixps/?utm_source=x#top"
            ),
            "intgovforum.org/multilingual/content/bpf-ixps"
        );
        assert_eq!(
            normalize_url("https://example.org/caf%C3%A9/%E9t%E9"),
            "example.org/café/\u{fffd}t\u{fffd}"
        );
        assert_eq!(
            normalize_url("https://example.org/doc?b=2&a=1&utm_medium=mail&fbclid=x"),
            "example.org/doc?a=1&b=2"
        );
        assert_eq!(
            frontier_url(url::Url::parse("HTTP://Example.org:80/a#b").unwrap()).as_str(),
            "http://example.org/a"
        );
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        let want = chrono::DateTime::parse_from_rfc3339("1994-11-06T08:49:37Z").unwrap();
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            " Sun, 06 Nov 1994 08:49:37 GMT ",
        ] {
            assert_eq!(parse_http_date(form), Some(want), "{form:?}");
        }
        // a numeric zone (RFC 2822, not HTTP) is still read, and keeps its zone for the day it names
        let d = parse_http_date("Mon, 07 Nov 1994 00:49:37 +0100").unwrap();
        assert_eq!(d, want + chrono::Duration::hours(15));
        assert_eq!(d.date_naive().to_string(), "1994-11-07");
        for bad in [
            "",
            "yesterday",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "1994-11-06",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn finds_urls_in_text() {
        let l = urls_in_text("see https://example.org/a.pdf. and www.igf.org");
        assert_eq!(l[0].url, "https://example.org/a.pdf");
        assert_eq!((l[0].start, l[0].end), (4, 29));
        assert_eq!(l[1].url, "http://www.igf.org");
        let l = urls_in_text("WwW.Example.org/x and https://www.a.org");
        assert_eq!(l[0].url, "http://WwW.Example.org/x");
        assert_eq!(l[1].url, "https://www.a.org");
    }
}
