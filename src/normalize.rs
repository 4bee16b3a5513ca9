//! Text normalisation shared by every matcher: a document's text becomes a stream of words, each folded to a
//! canonical form and carrying its character span in the original text. What it survives:
//!
//! - case, accents (`é` and `e` + combining accent both become `e`) and ligatures (`ﬁ` → `fi`);
//! - punctuation, quotes and dashes of every kind (they separate words and are dropped);
//! - hyphenation at line ends (`inter-` newline `national` is one word) and hyphenated compounds
//!   (`multi-stakeholder` and `multistakeholder` compare equal);
//! - soft hyphens, zero-width spaces and joiners and byte-order marks left inside words by PDF converters;
//! - white space and line breaks of any length.
//!
//! Markup is gone before this point (extraction joins inline elements without adding spaces), so a sentence split
//! by `<em>` or a link reads as one.

/// Lower-case Latin letters with a diacritic and their base letter, sorted for binary search.
const LATIN_FOLD: &[(char, char)] = &[
    ('à', 'a'),
    ('á', 'a'),
    ('â', 'a'),
    ('ã', 'a'),
    ('ä', 'a'),
    ('å', 'a'),
    ('ç', 'c'),
    ('è', 'e'),
    ('é', 'e'),
    ('ê', 'e'),
    ('ë', 'e'),
    ('ì', 'i'),
    ('í', 'i'),
    ('î', 'i'),
    ('ï', 'i'),
    ('ñ', 'n'),
    ('ò', 'o'),
    ('ó', 'o'),
    ('ô', 'o'),
    ('õ', 'o'),
    ('ö', 'o'),
    ('ù', 'u'),
    ('ú', 'u'),
    ('û', 'u'),
    ('ü', 'u'),
    ('ý', 'y'),
    ('ÿ', 'y'),
    ('ā', 'a'),
    ('ă', 'a'),
    ('ą', 'a'),
    ('ć', 'c'),
    ('ĉ', 'c'),
    ('ċ', 'c'),
    ('č', 'c'),
    ('ď', 'd'),
    ('ē', 'e'),
    ('ĕ', 'e'),
    ('ė', 'e'),
    ('ę', 'e'),
    ('ě', 'e'),
    ('ĝ', 'g'),
    ('ğ', 'g'),
    ('ġ', 'g'),
    ('ģ', 'g'),
    ('ĥ', 'h'),
    ('ĩ', 'i'),
    ('ī', 'i'),
    ('ĭ', 'i'),
    ('į', 'i'),
    ('ĵ', 'j'),
    ('ķ', 'k'),
    ('ĺ', 'l'),
    ('ļ', 'l'),
    ('ľ', 'l'),
    ('ń', 'n'),
    ('ņ', 'n'),
    ('ň', 'n'),
    ('ō', 'o'),
    ('ŏ', 'o'),
    ('ő', 'o'),
    ('ŕ', 'r'),
    ('ŗ', 'r'),
    ('ř', 'r'),
    ('ś', 's'),
    ('ŝ', 's'),
    ('ş', 's'),
    ('š', 's'),
    ('ţ', 't'),
    ('ť', 't'),
    ('ũ', 'u'),
    ('ū', 'u'),
    ('ŭ', 'u'),
    ('ů', 'u'),
    ('ű', 'u'),
    ('ų', 'u'),
    ('ŵ', 'w'),
    ('ŷ', 'y'),
    ('ź', 'z'),
    ('ż', 'z'),
    ('ž', 'z'),
    ('ơ', 'o'),
    ('ư', 'u'),
    ('ǎ', 'a'),
    ('ǐ', 'i'),
    ('ǒ', 'o'),
    ('ǔ', 'u'),
    ('ǖ', 'u'),
    ('ǘ', 'u'),
    ('ǚ', 'u'),
    ('ǜ', 'u'),
    ('ǟ', 'a'),
    ('ǡ', 'a'),
    ('ǧ', 'g'),
    ('ǩ', 'k'),
    ('ǫ', 'o'),
    ('ǭ', 'o'),
    ('ǰ', 'j'),
    ('ǵ', 'g'),
    ('ǹ', 'n'),
    ('ǻ', 'a'),
    ('ȁ', 'a'),
    ('ȃ', 'a'),
    ('ȅ', 'e'),
    ('ȇ', 'e'),
    ('ȉ', 'i'),
    ('ȋ', 'i'),
    ('ȍ', 'o'),
    ('ȏ', 'o'),
    ('ȑ', 'r'),
    ('ȓ', 'r'),
    ('ȕ', 'u'),
    ('ȗ', 'u'),
    ('ș', 's'),
    ('ț', 't'),
    ('ȟ', 'h'),
    ('ȧ', 'a'),
    ('ȩ', 'e'),
    ('ȫ', 'o'),
    ('ȭ', 'o'),
    ('ȯ', 'o'),
    ('ȱ', 'o'),
    ('ȳ', 'y'),
];

/// Receives the folded characters of one word at a time.
pub trait WordSink {
    /// One folded character of the current word.
    fn push(&mut self, c: char);
    /// The current word ended; it spans characters `[start, end)` of the text.
    fn end(&mut self, start: usize, end: usize);
}

/// Characters that vanish without ending a word: soft hyphen, zero-width space, joiners, word joiner, BOM and
/// combining marks.
fn ignorable(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{300}'..='\u{36f}')
}

/// Hyphens that join the letters either side of them (not dashes, which separate).
fn joining_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Pushes the canonical form of one word character.
#[inline]
fn fold<S: WordSink>(c: char, sink: &mut S) {
    if c.is_ascii() {
        sink.push(c.to_ascii_lowercase());
        return;
    }
    let lig: &str = match c {
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        _ => "",
    };
    if !lig.is_empty() {
        lig.chars().for_each(|l| sink.push(l));
        return;
    }
    for l in c.to_lowercase() {
        // Lower-casing can make what the cases above fold (`ẞ` → `ß`) or ignore (`İ` → `i` + a combining dot):
        // fold those too, so that normalising twice changes nothing (found by the `normalize` fuzz target).
        if ignorable(l) {
            continue;
        }
        if l == 'ß' {
            sink.push('s');
            sink.push('s');
            continue;
        }
        match LATIN_FOLD.binary_search_by_key(&l, |&(from, _)| from) {
            Ok(i) => sink.push(LATIN_FOLD[i].1),
            Err(_) => sink.push(l),
        }
    }
}

/// The character at byte `i` of `text` and its length in bytes (ASCII without decoding).
#[inline]
fn char_at(bytes: &[u8], text: &str, i: usize) -> (char, usize) {
    let b = bytes[i];
    if b < 0x80 {
        return (b as char, 1);
    }
    let c = text[i..].chars().next().unwrap_or('\u{fffd}');
    (c, c.len_utf8())
}

/// Splits `text` into normalised words and hands each to `sink`. Offsets count characters (not bytes).
pub fn scan<S: WordSink>(text: &str, sink: &mut S) {
    let bytes = text.as_bytes();
    let mut i = 0usize; // byte index of the next character
    let mut pos = 0usize; // character index of the next character
    let mut start = 0usize;
    let mut end = 0usize; // one past the last word character
    let mut in_word = false;
    let mut last_letter = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            // the common case: a run of ASCII letters and digits, without decoding
            if !in_word {
                in_word = true;
                start = pos;
            }
            let run = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                sink.push(bytes[i].to_ascii_lowercase() as char);
                i += 1;
            }
            pos += i - run;
            end = pos;
            last_letter = bytes[i - 1].is_ascii_alphabetic();
            continue;
        }
        if b == b' ' || b == b'\n' {
            // the common separators
            i += 1;
            pos += 1;
            if in_word {
                sink.end(start, end);
                in_word = false;
            }
            continue;
        }
        let (c, len) = char_at(bytes, text, i);
        i += len;
        pos += 1;
        // general punctuation (dashes, quotes, ellipsis, spaces) is never part of a word: skip the Unicode tables
        // Ignorable marks are dropped before anything else: some are alphabetic (the combining Latin letters
        // U+0363-U+036F), and must neither start a word nor count as one (found by the `normalize` fuzz target).
        if ignorable(c) {
            continue;
        }
        let punctuation = ('\u{2010}'..='\u{205f}').contains(&c) && !joining_hyphen(c);
        if !punctuation && c.is_alphanumeric() {
            if !in_word {
                in_word = true;
                start = pos - 1;
            }
            fold(c, sink);
            end = pos;
            last_letter = c.is_alphabetic();
            continue;
        }
        if in_word && last_letter && joining_hyphen(c) {
            // join if a letter follows directly, or after white space that holds a line break
            let (mut j, mut skipped, mut newline) = (i, 0, false);
            let next = loop {
                if j >= bytes.len() {
                    break None;
                }
                let (w, wl) = char_at(bytes, text, j);
                if w.is_whitespace() || ignorable(w) {
                    newline |= w == '\n' || w == '\r';
                    skipped += 1;
                    j += wl;
                } else {
                    break Some(w);
                }
            };
            if next.is_some_and(char::is_alphabetic) && (skipped == 0 || newline) {
                i = j;
                pos += skipped;
                continue;
            }
        }
        if in_word {
            sink.end(start, end);
            in_word = false;
        }
    }
    if in_word {
        sink.end(start, end);
    }
}

/// A normalised word as a 64-bit hash with its character span: what reuse detection compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

const MIX: u64 = 0x517c_c1b7_2722_0a95;

struct HashSink {
    h: u64,
    words: Vec<Word>,
}

impl WordSink for HashSink {
    #[inline]
    fn push(&mut self, c: char) {
        self.h = (self.h.rotate_left(5) ^ c as u64).wrapping_mul(MIX);
    }
    #[inline]
    fn end(&mut self, start: usize, end: usize) {
        let h = self.h;
        self.h = 0;
        self.words.push(Word {
            hash: (h ^ (h >> 29)).wrapping_mul(MIX) ^ 0x9e37_79b9_7f4a_7c15,
            start: start as u32,
            end: end as u32,
        });
    }
}

/// The normalised words of `text` as hashes. Texts over 4 G characters are cut there (offsets are 32-bit).
pub fn words(text: &str) -> Vec<Word> {
    let mut sink = HashSink {
        h: 0,
        words: Vec::with_capacity(text.len() / 6),
    };
    scan(text, &mut sink);
    sink.words
}

struct StringSink {
    current: String,
    out: Vec<(String, usize, usize)>,
}

impl WordSink for StringSink {
    fn push(&mut self, c: char) {
        self.current.push(c);
    }
    fn end(&mut self, start: usize, end: usize) {
        self.out
            .push((std::mem::take(&mut self.current), start, end));
    }
}

/// The normalised words of `text` as strings with their character spans.
pub fn word_strings(text: &str) -> Vec<(String, usize, usize)> {
    let mut sink = StringSink {
        current: String::new(),
        out: Vec::new(),
    };
    scan(text, &mut sink);
    sink.out
}

/// The normalised words of `text` joined by single spaces (for tests and debugging).
pub fn normalized(text: &str) -> String {
    word_strings(text)
        .into_iter()
        .map(|w| w.0)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_fold_like_their_lower_case() {
        // The capital sharp s lowers to `ß`, and dotted capital I to `i` and a combining dot.
        assert_eq!(normalized("STRAẞE Straße"), "strasse strasse");
        assert_eq!(normalized("İstanbul"), "istanbul");
        // Combining Latin letters are alphabetic but, like every combining mark, dropped.
        assert_eq!(normalized("e\u{36b} \u{36b} x\u{363}y"), "e xy");
        for s in ["ẞ", "İ", "STRAẞE", "\u{36b}"] {
            assert_eq!(normalized(&normalized(s)), normalized(s), "{s}");
        }
    }

    #[test]
    fn case_and_punctuation() {
        assert_eq!(
            normalized("The Forum's REPORT, (2016)!"),
            "the forum s report 2016"
        );
    }

    #[test]
    fn quotes_and_dashes_separate() {
        assert_eq!(
            normalized("“Best” ‘practice’ — forums – and \"more\""),
            normalized("Best practice forums and more")
        );
    }

    #[test]
    fn hyphenation_at_line_end_joins() {
        assert_eq!(
            normalized("inter-\nnational co-\r\n  operation"),
            "international cooperation"
        );
        assert_eq!(
            normalized("multi-stakeholder"),
            normalized("multistakeholder")
        );
        // a dash between spaced words, and hyphens next to digits, separate
        assert_eq!(
            normalized("long - term 2014-2019 COVID-19"),
            "long term 2014 2019 covid 19"
        );
        // a hyphen at a line end before a digit or at the end of the text keeps the words apart
        assert_eq!(normalized("page-\n12 end-"), "page 12 end");
    }

    #[test]
    fn ligatures_and_accents_fold() {
        assert_eq!(
            normalized("ﬁnancial ﬂows eﬀort oﬃce"),
            "financial flows effort office"
        );
        assert_eq!(
            normalized("Café naïve"),
            normalized("cafe\u{301} nai\u{308}ve")
        );
        assert_eq!(normalized("Æsop straße"), "aesop strasse");
    }

    #[test]
    fn pdf_artefacts_vanish() {
        assert_eq!(
            normalized("govern\u{ad}ance re\u{200b}use \u{feff}data"),
            "governance reuse data"
        );
    }

    #[test]
    fn whitespace_and_line_breaks() {
        assert_eq!(normalized("  one\n\n\ttwo\r\nthree  "), "one two three");
    }

    #[test]
    fn offsets_are_characters_of_the_original() {
        let text = "Ça ﬁne inter-\nnational";
        let w = word_strings(text);
        let spans: Vec<String> = w
            .iter()
            .map(|(_, s, e)| text.chars().skip(*s).take(e - s).collect())
            .collect();
        assert_eq!(spans, ["Ça", "ﬁne", "inter-\nnational"]);
        let h = words(text);
        assert_eq!(h.len(), 3);
        assert_eq!((h[2].start, h[2].end), (7, 22));
    }

    #[test]
    fn equal_words_hash_equal() {
        let a = words("Reuse of ﬁndings");
        let b = words("REUSE, of fin\u{ad}dings");
        assert_eq!(
            a.iter().map(|w| w.hash).collect::<Vec<_>>(),
            b.iter().map(|w| w.hash).collect::<Vec<_>>()
        );
        assert_ne!(a[0].hash, a[1].hash);
    }
}
