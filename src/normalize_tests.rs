//! The normaliser's tests: folding, hyphenation, spans, and the fast paths against the general one.

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

/// Texts that mix ASCII runs with everything the general path handles: ligatures, accents (precomposed and
/// combining), hyphenation at line ends, soft hyphens and other PDF artefacts, capitals that fold to two
/// letters, dashes, quotes, other scripts, and words longer than eight bytes.
const MIXED: &[&str] = &[
    "",
    "a",
    "The Forum's REPORT, (2016)!",
    "ﬁnancial ﬂows eﬀort oﬃce Æsop STRAẞE straße İstanbul",
    "Café naïve cafe\u{301} nai\u{308}ve ÉCOLE Ærø",
    "inter-\nnational co-\r\n  operation multi-stakeholder page-\n12 end-",
    "govern\u{ad}ance re\u{200b}use \u{feff}data x\u{363}y e\u{36b} \u{36b}",
    "“Best” ‘practice’ — forums – and \"more\"… 2014-2019 COVID-19",
    "Internationalisation internationalisation-and-multistakeholderism INTERNATIONALISATION",
    "abcdefgh abcdefghi abcdefghijklmnopq ABCDEFGHIJKLMNOPQ a1b2c3d4e5f6g7h8i9",
    "naïveté-internationalisation ﬁﬁﬁﬁﬁﬁﬁﬁﬁ 32비트 42i32라고 Привет, мир! 東京2020",
    "\t\tone\n\n\ttwo\r\nthree  ",
    "@[`{/:09AZaz] ~^_|\\ \x10\x19\x7f",
];

#[test]
fn the_fast_path_gives_the_general_paths_words() {
    for t in MIXED {
        assert_eq!(words(t), words_general(t), "{t:?}");
    }
    // and on random mixtures of the same pieces, cut anywhere
    let pieces: Vec<&str> = vec![
        "a",
        "Z",
        "9",
        "abcdefgh",
        "ABCDEFGHIJ",
        " ",
        "\n",
        "\r\n",
        "-",
        "-\n",
        "\u{2010}",
        "—",
        "'",
        ".",
        "é",
        "e\u{301}",
        "ﬁ",
        "ﬃ",
        "Æ",
        "ß",
        "ẞ",
        "İ",
        "\u{ad}",
        "\u{200b}",
        "\u{feff}",
        "\u{36b}",
        "비",
        "ж",
        "東",
        "\t",
        "\x10",
        "@",
        "[",
        "`",
        "{",
    ];
    let mut rng = fastrand::Rng::with_seed(14);
    for _ in 0..3000 {
        let n = rng.usize(0..40);
        let t: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
        assert_eq!(words(&t), words_general(&t), "{t:?}");
    }
    // and on any characters at all, mostly ASCII
    for _ in 0..3000 {
        let t: String = (0..rng.usize(0..60))
            .filter_map(|_| match rng.u8(..4) {
                0 => char::from_u32(rng.u32(0x80..0x3_0000)),
                _ => Some(rng.u8(0..0x80) as char),
            })
            .collect();
        assert_eq!(words(&t), words_general(&t), "{t:?}");
    }
}

#[test]
fn the_block_path_gives_the_general_paths_words() {
    // long texts, mostly ASCII as web text is, so that blocks of 64 bytes are read whole, cut short by every
    // byte the general path handles, and end inside words, runs of separators and characters of several bytes
    let ascii = [
        "the",
        " ",
        "Forum",
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGH",
        "0123456789",
        ", ",
        ".\n",
        "\t",
        "a",
        "(x)",
        "  ",
        "IGF2019",
        "e",
        "_",
        "@",
        "`",
        "[",
        "{",
        "\x7f",
    ];
    let other = [
        "-", "-\n", "é", "e\u{301}", "ﬁ", "ß", "İ", "\u{ad}", "—", "“", "비", "ж", "東",
        "\u{2010}", "Æ", "€", "😀",
    ];
    let mut rng = fastrand::Rng::with_seed(64);
    let mut blocks = 0usize;
    for round in 0..4000 {
        let n = rng.usize(0..200);
        // from no other piece at all to one in three
        let share = round % 4;
        let t: String = (0..n)
            .map(|_| {
                if share > 0 && rng.usize(..12) < share {
                    other[rng.usize(..other.len())]
                } else {
                    ascii[rng.usize(..ascii.len())]
                }
            })
            .collect();
        blocks += t.len() / 64;
        assert_eq!(words(&t), words_general(&t), "{t:?}");
    }
    assert!(blocks > 10_000, "the texts hold blocks: {blocks}");
}

#[test]
fn a_short_word_hashes_as_the_hasher_hashes_it() {
    let alnum = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = fastrand::Rng::with_seed(16);
    for run in 1..=16 {
        for _ in 0..500 {
            // the word, then anything (the hash reads past the word and must not see it)
            let mut rest: Vec<u8> = (0..run).map(|_| alnum[rng.usize(..alnum.len())]).collect();
            rest.extend((0..16 + rng.usize(..8)).map(|_| rng.u8(..)));
            let mut h = WordHasher::default();
            rest[..run]
                .iter()
                .for_each(|&b| h.byte(b.to_ascii_lowercase()));
            assert_eq!(
                WordHasher::short_ascii_word(&rest, run),
                Some(h.finish()),
                "{:?}",
                String::from_utf8_lossy(&rest[..run])
            );
        }
    }
    assert_eq!(WordHasher::short_ascii_word(b"abcdefghijklmnopq", 17), None);
    assert_eq!(
        WordHasher::short_ascii_word(b"abc def", 3),
        None,
        "fewer than 16 bytes to read"
    );
}

#[test]
fn blocks_are_classified_as_a_byte_at_a_time() {
    for b in 0..=255u8 {
        for j in 0..64 {
            let mut block = [b'a'; 64];
            block[j] = b;
            block[(j + 17) % 64] = b' ';
            let (alnum, special) = classify(&block);
            for (k, &x) in block.iter().enumerate() {
                assert_eq!(
                    alnum >> k & 1 == 1,
                    x.is_ascii_alphanumeric(),
                    "{b:#x} at {j}, {k}"
                );
                assert_eq!(
                    special >> k & 1 == 1,
                    x >= 0x80 || x == b'-',
                    "{b:#x} at {j}, {k}"
                );
            }
        }
    }
}

#[test]
fn the_fast_path_gives_the_general_paths_words_for_every_two_byte_character() {
    for cp in 0x80u32..0x800 {
        let c = char::from_u32(cp).expect("no surrogate below U+0800");
        for t in [
            format!("{c}"),
            format!("ab{c}cd"),
            format!("x {c} y"),
            format!("ab-{c}cd {c}{c}-\n{c}x {c}-\ny"),
            format!("Ab{c}\u{301}ÉÆ{c}ß 12{c}34"),
        ] {
            assert_eq!(words(&t), words_general(&t), "{t:?}");
        }
        // after every number of bytes already in the hasher's eight
        for k in 0..8 {
            let t = format!("{}{c}{c}{c}{c}{c}z{c}{c}", &"abcdefgh"[..k]);
            assert_eq!(words(&t), words_general(&t), "{t:?}");
        }
    }
}

#[test]
fn the_fast_path_finds_runs_and_folds_as_the_general_path() {
    // the run finder against the byte-by-byte test, at every offset of every byte value
    let all: Vec<u8> = (0..=255u8)
        .chain(b"abcXYZ0123456789mnop".iter().copied())
        .collect();
    for i in 0..all.len() {
        let want = all[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        assert_eq!(ascii_alnum_run(&all[i..]), want, "at {i}");
    }
    // equal words hash equal however they were written, and different words differently
    let w = words("Governance GOVERNANCE gover\u{ad}nance governancE governances governanc");
    assert!(w[..4].iter().all(|x| x.hash == w[0].hash));
    assert_ne!(w[4].hash, w[0].hash);
    assert_ne!(w[5].hash, w[0].hash);
    // a word of eight bytes and the same word with a ninth: the length is part of the hash
    let w = words("abcdefgh abcdefgh\u{ad} abcdefghi");
    assert_eq!(w[0].hash, w[1].hash);
    assert_ne!(w[0].hash, w[2].hash);
}

#[test]
fn letters_without_case_fold_to_themselves_from_the_table() {
    // CJK ideographs, Hangul syllables, hiragana and katakana: letters the table takes whole
    let table = three_byte_table();
    for c in ('\u{3041}'..='\u{3096}')
        .chain('\u{30a1}'..='\u{30fa}')
        .chain('\u{4e00}'..='\u{9fff}')
        .chain('\u{ac00}'..='\u{d7a3}')
    {
        assert_eq!(table[c as usize - 0x800], ThreeByte::Letter, "{c:?}");
    }
    // the joining hyphens are the general path's
    assert_eq!(table[0x2010 - 0x800], ThreeByte::General);
    assert_eq!(table[0x2011 - 0x800], ThreeByte::General);
    let t = "東京2020年 한국어 텍스트 ひらがな カタカナ、漢字。ー（全角）ＡＢＣ１２３";
    assert_eq!(words(t), words_general(t));
    assert_eq!(
        normalized(t),
        "東京2020年 한국어 텍스트 ひらがな カタカナ 漢字 ー 全角 ａｂｃ１２３"
    );
}

#[test]
fn the_fast_path_gives_the_general_paths_words_for_every_three_byte_character() {
    for cp in 0x800u32..0x10000 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        for t in [
            format!("ab{c}cd x {c} y"),
            format!("ab-{c}cd {c}{c}-\n{c}x {c}-\ny"),
            format!("Ab{c}\u{301}É{c}ß 12{c}34 {c}\u{ad}{c}"),
        ] {
            assert_eq!(words(&t), words_general(&t), "{t:?}");
        }
        // after every number of bytes already in the hasher's eight
        for k in 0..8 {
            let t = format!("{}{c}{c}{c}z{c}", &"abcdefgh"[..k]);
            assert_eq!(words(&t), words_general(&t), "{t:?}");
        }
    }
}
