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
    /// A run of ASCII letters and digits of the current word, as they stand in the text (not yet lower case):
    /// the same as pushing each lower-cased (the default), which a sink may do faster.
    #[inline]
    fn push_ascii(&mut self, run: &[u8]) {
        for &b in run {
            self.push(b.to_ascii_lowercase() as char);
        }
    }
    /// [`Self::push_ascii`] of `rest[..run]`, where `rest` is the text from the run on (a sink may read past the
    /// run, to take its last bytes in one load).
    #[inline]
    fn push_ascii_in(&mut self, rest: &[u8], run: usize) {
        self.push_ascii(&rest[..run]);
    }
    /// The folded characters `chars` of one character of the text, which are `bytes` bytes of UTF-8 in the low
    /// bytes of `utf8` (eight or fewer): the same as pushing each (the default), which a sink may do at once.
    #[inline]
    fn push_folded(&mut self, chars: &[char], _utf8: u64, _bytes: u32) {
        chars.iter().for_each(|&c| self.push(c));
    }
    /// The current word ended; it spans characters `[start, end)` of the text.
    fn end(&mut self, start: usize, end: usize);
    /// A whole word that is one run of ASCII letters and digits, `rest[..run]`, spanning characters
    /// `[start, end)`, with no word at hand before it: the same as [`Self::push_ascii_in`] then [`Self::end`]
    /// (the default), which a sink may do at once.
    #[inline]
    fn ascii_word(&mut self, rest: &[u8], run: usize, start: usize, end: usize) {
        self.push_ascii_in(rest, run);
        self.end(start, end);
    }
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

/// What the general path does with a character of two bytes in UTF-8 (U+0080 to U+07FF: the Latin letters with
/// diacritics, Greek, Cyrillic, Hebrew, Arabic and more), worked out once with the general path's own functions.
#[derive(Clone, Copy)]
enum TwoByte {
    /// Ends the word at hand (punctuation, symbols, white space; no joining hyphen is in this range).
    Separator,
    /// Vanishes without ending a word ([`ignorable`]).
    Ignored,
    /// A letter or digit: what [`fold`] pushes (`len` characters, `bytes` bytes of UTF-8 in the low bytes of
    /// `utf8`; `bytes` is 0 where they take more than eight), and whether it is alphabetic.
    Word {
        folded: [char; 3],
        len: u8,
        utf8: u64,
        bytes: u8,
        alphabetic: bool,
    },
}

/// The characters [`fold`] pushes, for the tables.
struct Folded(Vec<char>);

impl WordSink for Folded {
    fn push(&mut self, c: char) {
        self.0.push(c);
    }
    fn end(&mut self, _: usize, _: usize) {}
}

/// [`TwoByte`] of every character from U+0080 to U+07FF, by code point less 0x80.
fn two_byte_table() -> &'static [TwoByte] {
    static TABLE: std::sync::OnceLock<Vec<TwoByte>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x800)
            .map(|cp| {
                let c = char::from_u32(cp).expect("no surrogate below U+0800");
                if ignorable(c) {
                    return TwoByte::Ignored;
                }
                if !c.is_alphanumeric() {
                    return TwoByte::Separator;
                }
                let mut out = Folded(Vec::new());
                fold(c, &mut out);
                let mut folded = ['\0'; 3];
                assert!(
                    out.0.len() <= 3,
                    "{c:?} folds to more than three characters"
                );
                folded[..out.0.len()].copy_from_slice(&out.0);
                let encoded: String = out.0.iter().collect();
                let (utf8, bytes) = match encoded.len() {
                    n @ 1..=8 => {
                        let mut b = [0u8; 8];
                        b[..n].copy_from_slice(encoded.as_bytes());
                        (u64::from_le_bytes(b), n as u8)
                    }
                    _ => (0, 0),
                };
                TwoByte::Word {
                    folded,
                    len: out.0.len() as u8,
                    utf8,
                    bytes,
                    alphabetic: c.is_alphabetic(),
                }
            })
            .collect()
    })
}

/// What the general path does with a character of three bytes in UTF-8 (U+0800 to U+FFFF: CJK, kana, Hangul, Thai,
/// Indic scripts, general punctuation, full-width forms), where it needs neither folding nor joining.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum ThreeByte {
    /// The general path's own (a hyphen that may join, a letter that folds to something else, a surrogate).
    General,
    /// Ends the word at hand.
    Separator,
    /// Vanishes without ending a word ([`ignorable`]).
    Ignored,
    /// A letter that folds to itself.
    Letter,
    /// A word character that is no letter (a digit, a number) and folds to itself.
    Other,
}

/// [`ThreeByte`] of every character from U+0800 to U+FFFF, by code point less 0x800, worked out once with the
/// general path's own functions.
fn three_byte_table() -> &'static [ThreeByte] {
    static TABLE: std::sync::OnceLock<Vec<ThreeByte>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x800u32..0x10000)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return ThreeByte::General;
                };
                if ignorable(c) {
                    return ThreeByte::Ignored;
                }
                let punctuation = ('\u{2010}'..='\u{205f}').contains(&c) && !joining_hyphen(c);
                if punctuation || !c.is_alphanumeric() {
                    return if joining_hyphen(c) {
                        ThreeByte::General
                    } else {
                        ThreeByte::Separator
                    };
                }
                let mut out = Folded(Vec::new());
                fold(c, &mut out);
                match (out.0.as_slice() == [c], c.is_alphabetic()) {
                    (true, true) => ThreeByte::Letter,
                    (true, false) => ThreeByte::Other,
                    (false, _) => ThreeByte::General,
                }
            })
            .collect()
    })
}

/// Length of the run of ASCII letters and digits at the start of `bytes`, eight bytes at a time.
#[inline]
fn ascii_alnum_run(bytes: &[u8]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // per byte, with the high bit cleared so that no sum carries into the next byte: a letter once
        // folded to lower case (0x61..=0x7a), or a digit (0x30..=0x39); bytes of 0x80 and over are neither
        let x7 = x & !HI;
        let t = x7 | (0x20 * LO);
        let letter = (t + 0x1f * LO) & !(t + 0x05 * LO);
        let digit = (x7 + 0x50 * LO) & !(x7 + 0x46 * LO);
        let alnum = (letter | digit) & !x & HI;
        let stop = !alnum & HI;
        if stop != 0 {
            return n + stop.trailing_zeros() as usize / 8;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()
}

/// Bytes read at once by the block path of [`scan_with`].
const BLOCK: usize = 64;

/// Two masks of the 64 bytes of `block`, bit `j` for byte `j`: ASCII letters and digits, and the bytes only the
/// general path handles (non-ASCII, and the hyphen, which may join).
#[cfg(target_arch = "x86_64")]
#[inline]
fn classify(block: &[u8; BLOCK]) -> (u64, u64) {
    use std::arch::x86_64::*;
    let (mut alnum, mut special) = (0u64, 0u64);
    for k in 0..BLOCK / 16 {
        // SAFETY: SSE2 is part of x86_64; the load reads bytes 16k..16k+16 of the 64-byte block, unaligned.
        let (a, s) = unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
            // as signed bytes, ASCII is positive and every other byte negative: no range below takes one
            let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let letter = _mm_and_si128(
                _mm_cmpgt_epi8(lower, _mm_set1_epi8(0x60)),
                _mm_cmplt_epi8(lower, _mm_set1_epi8(0x7b)),
            );
            let digit = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(0x2f)),
                _mm_cmplt_epi8(v, _mm_set1_epi8(0x3a)),
            );
            let hyphen = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'-' as i8));
            (
                _mm_movemask_epi8(_mm_or_si128(letter, digit)) as u16 as u64,
                _mm_movemask_epi8(_mm_or_si128(v, hyphen)) as u16 as u64,
            )
        };
        alnum |= a << (16 * k);
        special |= s << (16 * k);
    }
    (alnum, special)
}

/// [`classify`] a byte at a time, where there is no SSE2.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn classify(block: &[u8; BLOCK]) -> (u64, u64) {
    let (mut alnum, mut special) = (0u64, 0u64);
    for (j, &b) in block.iter().enumerate() {
        alnum |= u64::from(b.is_ascii_alphanumeric()) << j;
        special |= u64::from(b >= 0x80 || b == b'-') << j;
    }
    (alnum, special)
}

/// Splits `text` into normalised words and hands each to `sink`. Offsets count characters (not bytes).
pub fn scan<S: WordSink>(text: &str, sink: &mut S) {
    scan_with::<S, true>(text, sink)
}

/// [`scan`]; `FAST` takes blocks of 64 bytes, runs of ASCII letters and digits, ASCII separators and characters
/// of two bytes without the general path (which gives the same words; `false` is for tests that show it).
fn scan_with<S: WordSink, const FAST: bool>(text: &str, sink: &mut S) {
    let bytes = text.as_bytes();
    let mut s = Scanner {
        text,
        delta: 0,
        in_word: false,
        last_letter: false,
        start: 0,
        end: 0,
        two_byte: if FAST { two_byte_table() } else { &[] },
        three_byte: if FAST { three_byte_table() } else { &[] },
    };
    let mut i = 0usize; // byte index of the next character
    while i < bytes.len() {
        if FAST {
            if let Some(block) = bytes.get(i..i + BLOCK) {
                // the common case of web text: 64 bytes at a time, ASCII words from the masks, each byte only the
                // general path handles taken by it in place, and the masks read on after it
                let (alnum, special) = classify(block.try_into().expect("a block"));
                let mut p = 0usize;
                loop {
                    // the next such byte at or after `p` (`BLOCK` when there is none)
                    let m = ((special >> p) << p).trailing_zeros() as usize;
                    let next = s.ascii_part(i, alnum, p, m, sink);
                    if m == BLOCK {
                        p = next;
                        break;
                    }
                    p = s.step::<S, FAST>(i + m, sink) - i;
                    if p >= BLOCK {
                        break;
                    }
                }
                i += p;
                continue;
            }
        }
        i = s.step::<S, FAST>(i, sink);
    }
    s.end_word(sink);
}

/// Where a scan stands: the word at hand, and how character offsets follow byte offsets.
struct Scanner<'t> {
    text: &'t str,
    /// Byte offset less character offset (what characters of several bytes added so far).
    delta: usize,
    in_word: bool,
    /// Whether the word's last character is a letter (a hyphen after it may join).
    last_letter: bool,
    /// Character offsets: where the word at hand starts, and one past its last word character.
    start: usize,
    end: usize,
    two_byte: &'static [TwoByte],
    three_byte: &'static [ThreeByte],
}

impl Scanner<'_> {
    /// Ends the word at hand, if any.
    #[inline]
    fn end_word<S: WordSink>(&mut self, sink: &mut S) {
        if self.in_word {
            sink.end(self.start, self.end);
            self.in_word = false;
        }
    }

    /// A word character at character offset `pos` comes: a word starts there unless one is at hand.
    #[inline]
    fn begin(&mut self, pos: usize) {
        if !self.in_word {
            self.in_word = true;
            self.start = pos;
        }
    }

    /// Bytes `p..m` of the 64-byte block at byte `i`, which hold no byte only the general path handles; bit `j` of
    /// `alnum` says whether byte `j` of the block is an ASCII letter or digit. Gives where the next block is to
    /// start: `m`, or, when `m` is the block's end, the start of a word that runs on past it (read whole from
    /// the next block, instead of in two parts).
    #[inline(always)]
    fn ascii_part<S: WordSink>(
        &mut self,
        i: usize,
        alnum: u64,
        mut p: usize,
        m: usize,
        sink: &mut S,
    ) -> usize {
        let bytes = self.text.as_bytes();
        // the character offset of byte `i` were the block ASCII before `p` (wrapping: characters of several bytes
        // before `p` can make it "negative"; `base + p` on is the true offset)
        let base = i.wrapping_sub(self.delta);
        if p >= m {
            return m;
        }
        // the letters and digits of bytes `p..m`
        let mut a = alnum & (u64::MAX << p) & (u64::MAX >> (BLOCK - m));
        if self.in_word {
            // the word at hand goes on through the run at `p`, if there is one, and ends at the separator after it
            let run = (a >> p).trailing_ones() as usize;
            if run > 0 {
                sink.push_ascii_in(&bytes[i + p..], run);
                p += run;
                self.end = base.wrapping_add(p);
                self.last_letter = bytes[i + p - 1].is_ascii_alphabetic();
                if p == m {
                    return m;
                }
                a &= u64::MAX << p;
            }
            self.end_word(sink);
        }
        // each run's first and last byte: the runs are taken from the masks at once, not one after the other
        let mut starts = a & !(a << 1);
        let mut ends = a & !(a >> 1);
        while starts != 0 {
            let first = starts.trailing_zeros() as usize;
            let last = ends.trailing_zeros() as usize;
            starts &= starts - 1;
            ends &= ends - 1;
            let run = last + 1 - first;
            let at = base.wrapping_add(first);
            if last + 1 < m {
                // a whole word: a separator follows it in the block
                sink.ascii_word(&bytes[i + first..], run, at, at + run);
            } else if m == BLOCK && first > 0 {
                // the run reaches the block's end: the next block starts at it
                return first;
            } else {
                // the run reaches `m`: the word may go on after it
                self.begin(at);
                sink.push_ascii_in(&bytes[i + first..], run);
                self.end = at + run;
                self.last_letter = bytes[i + last].is_ascii_alphabetic();
            }
        }
        m
    }

    /// The character at byte `i` (with `FAST`, the whole run of ASCII letters and digits there): hands on what it
    /// makes of the word at hand, and gives the byte after what it read.
    #[inline(always)]
    fn step<S: WordSink, const FAST: bool>(&mut self, mut i: usize, sink: &mut S) -> usize {
        let bytes = self.text.as_bytes();
        let b = bytes[i];
        if FAST && b.is_ascii_alphanumeric() {
            // a run of ASCII letters and digits, without decoding
            self.begin(i - self.delta);
            let run = ascii_alnum_run(&bytes[i..]);
            sink.push_ascii_in(&bytes[i..], run);
            i += run;
            self.end = i - self.delta;
            self.last_letter = bytes[i - 1].is_ascii_alphabetic();
            return i;
        }
        if FAST && b < 0x80 && b != b'-' {
            // the common separators: every ASCII character but letters, digits and the hyphen (which may join)
            self.end_word(sink);
            return i + 1;
        }
        let pos = i - self.delta; // this character's offset
        if FAST && (0xc2..=0xdf).contains(&b) && i + 1 < bytes.len() {
            // a character of two bytes: what the general path does with it, from the table
            let cp = ((b as usize & 0x1f) << 6) | (bytes[i + 1] as usize & 0x3f);
            self.delta += 1;
            match self.two_byte[cp - 0x80] {
                TwoByte::Ignored => {}
                TwoByte::Separator => self.end_word(sink),
                TwoByte::Word {
                    folded,
                    len,
                    utf8,
                    bytes,
                    alphabetic,
                } => {
                    self.begin(pos);
                    let folded = &folded[..len as usize];
                    if bytes > 0 {
                        sink.push_folded(folded, utf8, bytes as u32);
                    } else {
                        folded.iter().for_each(|&f| sink.push(f));
                    }
                    self.end = pos + 1;
                    self.last_letter = alphabetic;
                }
            }
            return i + 2;
        }
        if FAST && (0xe0..=0xef).contains(&b) && i + 2 < bytes.len() {
            // a character of three bytes: what the general path does with it, from the table, where it needs
            // neither folding nor joining
            let cp = ((b as usize & 0x0f) << 12)
                | ((bytes[i + 1] as usize & 0x3f) << 6)
                | (bytes[i + 2] as usize & 0x3f);
            let class = self.three_byte[cp - 0x800];
            if class != ThreeByte::General {
                self.delta += 2;
                match class {
                    ThreeByte::Ignored => {}
                    ThreeByte::Separator => self.end_word(sink),
                    _ => {
                        self.begin(pos);
                        let c = char::from_u32(cp as u32).unwrap_or('\u{fffd}');
                        let utf8 = u64::from(b)
                            | u64::from(bytes[i + 1]) << 8
                            | u64::from(bytes[i + 2]) << 16;
                        sink.push_folded(&[c], utf8, 3);
                        self.end = pos + 1;
                        self.last_letter = class == ThreeByte::Letter;
                    }
                }
                return i + 3;
            }
        }
        let (c, len) = char_at(bytes, self.text, i);
        i += len;
        self.delta += len - 1;
        // Ignorable marks are dropped before anything else: some are alphabetic (the combining Latin letters
        // U+0363-U+036F), and must neither start a word nor count as one (found by the `normalize` fuzz target).
        if ignorable(c) {
            return i;
        }
        // general punctuation (dashes, quotes, ellipsis, spaces) is never part of a word: skip the Unicode tables
        let punctuation = ('\u{2010}'..='\u{205f}').contains(&c) && !joining_hyphen(c);
        if !punctuation && c.is_alphanumeric() {
            self.begin(pos);
            fold(c, sink);
            self.end = pos + 1;
            self.last_letter = c.is_alphabetic();
            return i;
        }
        if self.in_word && self.last_letter && joining_hyphen(c) {
            // join if a letter follows directly, or after white space that holds a line break
            let (mut j, mut skipped, mut newline) = (i, 0, false);
            let next = loop {
                if j >= bytes.len() {
                    break None;
                }
                let (w, wl) = char_at(bytes, self.text, j);
                if w.is_whitespace() || ignorable(w) {
                    newline |= w == '\n' || w == '\r';
                    skipped += 1;
                    j += wl;
                } else {
                    break Some(w);
                }
            };
            if next.is_some_and(char::is_alphabetic) && (skipped == 0 || newline) {
                // the white space skipped is `skipped` characters in `j - i` bytes
                self.delta += (j - i) - skipped;
                return j;
            }
        }
        self.end_word(sink);
        i
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
/// The odd multipliers of a word's first and second eight bytes.
const FIRST: u64 = 0x9e37_79b9_7f4a_7c15;
const SECOND: u64 = 0xc2b2_ae3d_27d4_eb4f;
const SPACES: u64 = 0x2020_2020_2020_2020;

/// Hashes a word's folded characters as UTF-8, eight bytes at a time: one multiplication per eight bytes of
/// ASCII, the same hash whether the bytes come one character at a time or as a run. The first two chunks of eight
/// are multiplied apart and added up (a word of 16 bytes or fewer, most words, hashes without a chain of
/// multiplications); later chunks go through a chain.
#[derive(Default)]
struct WordHasher {
    h: u64,
    /// Bytes not yet mixed in (the low `n` bytes).
    pending: u64,
    n: u32,
    /// Chunks of eight bytes mixed in so far.
    chunks: u32,
    /// Bytes of the word so far.
    len: u64,
}

/// The low `n` bytes of a word of eight (`n` from 0 to 8).
#[inline]
fn low_bytes(n: usize) -> u64 {
    let bits = 8 * n;
    (1u64 << (bits & 63)).wrapping_sub(1) | ((bits >> 6) as u64).wrapping_neg()
}

/// The last step of every word's hash.
#[inline]
fn avalanche(h: u64) -> u64 {
    (h ^ (h >> 29)).wrapping_mul(MIX) ^ 0x9e37_79b9_7f4a_7c15
}

impl WordHasher {
    #[inline]
    fn mix(&mut self, chunk: u64) {
        self.h = match self.chunks {
            0 => chunk.wrapping_mul(FIRST),
            1 => self.h ^ chunk.wrapping_mul(SECOND),
            _ => (self.h.rotate_left(5) ^ chunk).wrapping_mul(MIX),
        };
        self.chunks += 1;
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.pending |= (b as u64) << (8 * self.n);
        self.n += 1;
        self.len += 1;
        if self.n == 8 {
            self.mix(self.pending);
            self.pending = 0;
            self.n = 0;
        }
    }

    /// The low `n` bytes of `v` (one to eight), as [`Self::byte`] of each.
    #[inline]
    fn utf8(&mut self, v: u64, n: u32) {
        let free = 8 - self.n;
        self.pending |= v << (8 * self.n);
        self.len += n as u64;
        if n < free {
            self.n += n;
        } else {
            self.mix(self.pending);
            // the bytes that did not fit (none when `n` is `free`)
            self.pending = if free == 8 { 0 } else { v >> (8 * free) };
            self.n = n - free;
        }
    }

    #[inline]
    fn char(&mut self, c: char) {
        if c.is_ascii() {
            self.byte(c as u8);
        } else {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf).bytes().for_each(|b| self.byte(b));
        }
    }

    /// ASCII letters and digits, folded to lower case by setting bit 0x20 (which digits have).
    #[inline]
    fn ascii(&mut self, run: &[u8]) {
        if self.n != 0 {
            run.iter().for_each(|&b| self.byte(b | 0x20));
            return;
        }
        let mut chunks = run.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes(c.try_into().expect("eight bytes")) | SPACES);
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        for (t, &b) in tail.iter_mut().zip(rest) {
            *t = b | 0x20;
        }
        self.pending = u64::from_le_bytes(tail);
        self.n = rest.len() as u32;
        self.len += run.len() as u64;
    }

    /// [`Self::ascii`] of `rest[..run]`, taking the bytes after the last eight from one load of `rest` where it
    /// holds eight bytes from there.
    #[inline]
    fn ascii_in(&mut self, rest: &[u8], run: usize) {
        let full = run / 8 * 8;
        match rest.get(full..full + 8) {
            Some(last) if self.n == 0 => {
                for c in rest[..full].chunks_exact(8) {
                    self.mix(u64::from_le_bytes(c.try_into().expect("eight bytes")) | SPACES);
                }
                let tail = run - full;
                // the low `tail` bytes, each folded to lower case (`tail` is below eight)
                let keep = (1u64 << (8 * tail)) - 1;
                self.pending =
                    (u64::from_le_bytes(last.try_into().expect("eight bytes")) | SPACES) & keep;
                self.n = tail as u32;
                self.len += run as u64;
            }
            _ => self.ascii(&rest[..run]),
        }
    }

    /// The hash of a word that is `rest[..run]` alone, ASCII letters and digits, from a fresh hasher: what
    /// [`Self::ascii_in`] then [`Self::finish`] give, without a branch, for a word of 16 bytes or fewer with 16
    /// bytes to read.
    #[inline]
    fn short_ascii_word(rest: &[u8], run: usize) -> Option<u64> {
        let chunks = rest.get(..16)?;
        if run == 0 || run > 16 {
            return None;
        }
        // the first eight bytes, or fewer, then the next eight, or fewer (none for eight or fewer: zero)
        let c0 = (u64::from_le_bytes(chunks[..8].try_into().expect("eight bytes")) | SPACES)
            & low_bytes(run.min(8));
        let c1 = (u64::from_le_bytes(chunks[8..].try_into().expect("eight bytes")) | SPACES)
            & low_bytes(run.saturating_sub(8));
        Some(avalanche(
            c0.wrapping_mul(FIRST) ^ c1.wrapping_mul(SECOND) ^ run as u64,
        ))
    }

    /// The word's hash; the hasher is ready for the next word.
    #[inline]
    fn finish(&mut self) -> u64 {
        if self.n > 0 {
            self.mix(self.pending);
        }
        let h = self.h ^ self.len;
        *self = WordHasher::default();
        avalanche(h)
    }
}

struct HashSink<const RUNS: bool, F: FnMut(&[Word])> {
    h: WordHasher,
    words: Vec<Word>,
    /// Called with the words so far each time one is added.
    each: F,
}

impl<const RUNS: bool, F: FnMut(&[Word])> WordSink for HashSink<RUNS, F> {
    #[inline]
    fn push(&mut self, c: char) {
        self.h.char(c);
    }
    #[inline]
    fn push_ascii(&mut self, run: &[u8]) {
        if RUNS {
            self.h.ascii(run);
        } else {
            run.iter()
                .for_each(|&b| self.push(b.to_ascii_lowercase() as char));
        }
    }
    #[inline]
    fn push_ascii_in(&mut self, rest: &[u8], run: usize) {
        if RUNS {
            self.h.ascii_in(rest, run);
        } else {
            self.push_ascii(&rest[..run]);
        }
    }
    #[inline]
    fn push_folded(&mut self, chars: &[char], utf8: u64, bytes: u32) {
        if RUNS {
            self.h.utf8(utf8, bytes);
        } else {
            chars.iter().for_each(|&c| self.push(c));
        }
    }
    #[inline]
    fn end(&mut self, start: usize, end: usize) {
        self.words.push(Word {
            hash: self.h.finish(),
            start: start as u32,
            end: end as u32,
        });
        (self.each)(&self.words);
    }
    #[inline]
    fn ascii_word(&mut self, rest: &[u8], run: usize, start: usize, end: usize) {
        match WordHasher::short_ascii_word(rest, run).filter(|_| RUNS) {
            Some(hash) => {
                self.words.push(Word {
                    hash,
                    start: start as u32,
                    end: end as u32,
                });
                (self.each)(&self.words);
            }
            None => {
                self.push_ascii_in(rest, run);
                self.end(start, end);
            }
        }
    }
}

/// The normalised words of `text` as hashes. Texts over 4 G characters are cut there (offsets are 32-bit).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    words_into(text, &mut out);
    out
}

/// [`words`] into `out` (cleared first), to reuse its memory from one document to the next.
pub fn words_into(text: &str, out: &mut Vec<Word>) {
    words_into_each(text, out, |_| ());
}

/// [`words_into`], calling `each` with the words so far as each word is added (to look at a word while it is
/// fresh in the cache, in the same pass over the text).
#[inline]
pub fn words_into_each(text: &str, out: &mut Vec<Word>, each: impl FnMut(&[Word])) {
    out.clear();
    out.reserve(text.len() / 6);
    let mut sink = HashSink::<true, _> {
        h: WordHasher::default(),
        words: std::mem::take(out),
        each,
    };
    scan(text, &mut sink);
    *out = sink.words;
}

/// [`words`] through the general path only: every character decoded and folded one at a time (what the fast
/// path must agree with).
#[cfg(test)]
fn words_general(text: &str) -> Vec<Word> {
    let mut sink = HashSink::<false, _> {
        h: WordHasher::default(),
        words: Vec::new(),
        each: |_: &[Word]| (),
    };
    scan_with::<_, false>(text, &mut sink);
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
#[path = "normalize_tests.rs"]
mod tests;
