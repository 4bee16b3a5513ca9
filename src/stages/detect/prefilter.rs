//! The pre-filter: a cheap first look at a document that tells whether the full detector can find anything in it.
//! With a few dozen outputs, nearly every page on the web cites none and reuses none of their text; those pages
//! skip the detector and get the empty result it would have given them.
//!
//! It passes a document when any of these holds, each a necessary condition of something the detector finds:
//!
//! - **a name**: one Aho-Corasick automaton over every word the reference detector's first look keys on (the
//!   series' and organisation's acronyms, alone or glued to a year, and the words of their names; the words of the
//!   outputs' titles, title variants and aliases; see [`super::references`]), each as a whole word, run over the
//!   document's *normalised* text: the very words the detector reads, written out in the same pass over the text
//!   that hashes them ([`crate::normalize::words_into_each_with`]), so case, accents, ligatures, hyphenation and
//!   invisible characters are folded exactly as the detector folds them. The words found are then counted as the
//!   first look counts them (enough words of one name, close enough together). Themes and contextual references
//!   need the series named, which the series' words cover. The reference detector reads no document that fails
//!   this look.
//! - **seeds**: shingles of the reuse index (found by the same pass) that give one output the seeds a passage
//!   needs, close enough together ([`ReuseIndex::may_seed`]). Every passage grows from seeds, and the detector
//!   builds nothing from fewer.
//! - **a link or an address**: a link of the document, or its own URL, that is one of the outputs' URLs (a link is
//!   a reference; a page at an output's address is a copy of it). An automaton over the outputs' hosts answers
//!   for most links without parsing them.
//!
//! The look is conservative: it may pass a document the detector then finds nothing in, never the other way
//! round. A document it passes goes on with the words and shingle lookups of that one pass: nothing is read
//! twice.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::references::ReferenceIndex;
use super::reuse::{Probe, ReuseIndex};
use crate::config::DetectConfig;
use crate::normalize::WordSink;
use crate::records::Document;

/// What the pre-filter saw in a document: the first reason found to pass it, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// A link or the document's own address is an output's URL.
    Address,
    /// Shingles of an output's text that give it the seeds a passage needs.
    Seed,
    /// Enough words of a name or cue for the reference detector's first look.
    Name,
    /// Nothing the detector could start from: it would find nothing.
    Nothing,
}

impl Look {
    /// Whether the document goes on to the full detector.
    pub fn passes(self) -> bool {
        self != Look::Nothing
    }
}

/// The pre-filter of one catalogue, built with its [`super::Detector`].
#[derive(Debug)]
pub struct Prefilter {
    /// Every word of the first look after a space, over a document's normalised text (as [`WordsText`]
    /// writes it).
    names: AhoCorasick,
    /// Per pattern of `names`: the detector's hash of its word (which names its groups in the first look).
    name_hashes: Vec<u64>,
    /// How links are looked at before the exact comparison.
    hosts: Hosts,
    /// Every word of `names` is ASCII (see [`WordsText`]).
    ascii_only: bool,
}

/// The first look at a link: the outputs' URLs are compared with it only when it may be one of them.
#[derive(Debug)]
enum Hosts {
    /// No output has a URL: no link is one.
    NoUrls,
    /// A link that is one of the outputs' URLs spells out one of these hosts (ASCII case aside), unless it holds
    /// a byte the URL parser rewrites in a host (non-ASCII, `%`, tab, line breaks): those links are compared
    /// exactly.
    Spelled(AhoCorasick),
    /// Some output's URL has no host a link must spell out (an IP address, no host at all): every link is
    /// compared exactly.
    CompareAll,
}

/// Writes a text's normalised words between single spaces (`" one two "`), for the names automaton: a
/// [`WordSink`] fed the words the detector hashes. Where every word the automaton looks for is ASCII, a word
/// with any other character can be none of them: it is written as one byte that no word holds (0xff), which
/// keeps the words' positions and spares copying text in other scripts.
pub(crate) struct WordsText<'a> {
    text: &'a mut Vec<u8>,
    ascii_only: bool,
    /// The current word holds a character other than ASCII (and `ascii_only`): its 0xff is written.
    other: bool,
}

impl<'a> WordsText<'a> {
    /// Writes into `text`, which it clears, for `prefilter`.
    pub(crate) fn new(text: &'a mut Vec<u8>, prefilter: &Prefilter) -> WordsText<'a> {
        text.clear();
        text.push(b' ');
        WordsText {
            text,
            ascii_only: prefilter.ascii_only,
            other: false,
        }
    }
}

impl WordSink for WordsText<'_> {
    #[inline]
    fn push(&mut self, c: char) {
        if self.other {
            return;
        }
        if c.is_ascii() {
            self.text.push(c as u8);
        } else if self.ascii_only {
            self.other = true;
            self.text.push(0xff);
        } else {
            let mut buf = [0u8; 4];
            self.text
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    #[inline]
    fn push_ascii(&mut self, run: &[u8]) {
        if self.other {
            return;
        }
        // letters and digits: setting bit 0x20 lowers a letter and leaves a digit as it is
        self.text.extend(run.iter().map(|b| b | 0x20));
    }

    #[inline]
    fn end(&mut self, _start: usize, _end: usize) {
        self.text.push(b' ');
        self.other = false;
    }
}

impl Prefilter {
    /// The pre-filter of the names in `refs` and the outputs' URLs.
    pub fn new(refs: &ReferenceIndex) -> Prefilter {
        let forms = refs.gate_forms();
        // each word after the space that starts it; the longest match at a word's start is the whole word if
        // any match is (no pattern holds a space), so one search without overlaps finds every word
        let names = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            // every pattern starts with a space, and so does every word: a search for the first byte would
            // stop at every word
            .prefilter(false)
            .build(forms.iter().map(|(f, _)| format!(" {f}")))
            .expect("the first look's words make an automaton");
        Prefilter {
            names,
            name_hashes: forms.iter().map(|&(_, h)| h).collect(),
            hosts: Hosts::of(refs),
            ascii_only: forms.iter().all(|(f, _)| f.is_ascii()),
        }
    }

    /// What the pre-filter sees in `doc`, whose text one pass of [`ReuseIndex::scan_with`] turned into `probe`
    /// and, through a [`WordsText`], into `words_text`: the first reason found to pass it to the detector, if
    /// any (its links and address first, then its shingles, then its names).
    pub(crate) fn look(
        &self,
        refs: &ReferenceIndex,
        reuse: &ReuseIndex,
        cfg: &DetectConfig,
        doc: &Document,
        probe: &mut Probe,
        words_text: &[u8],
    ) -> Look {
        if self.may_be_output_url(refs, &doc.url)
            || doc
                .links
                .iter()
                .any(|l| self.may_be_output_url(refs, &l.url))
        {
            return Look::Address;
        }
        if reuse.may_seed(probe, cfg) {
            return Look::Seed;
        }
        // the words found, at their word positions: one space before each word in the text written
        let mut counted = 0; // bytes of `words_text` whose spaces are counted
        let mut spaces = 0;
        let met = self
            .names
            .find_iter(words_text)
            // a whole word: a space after it
            .filter(|m| words_text.get(m.end()) == Some(&b' '))
            .map(|m| {
                spaces += words_text[counted..m.start()]
                    .iter()
                    .filter(|&&b| b == b' ')
                    .count();
                counted = m.start();
                let groups = refs
                    .gate_groups(self.name_hashes[m.pattern().as_usize()])
                    .unwrap_or_default();
                (spaces, groups)
            });
        if refs.gate_met(met) {
            Look::Name
        } else {
            Look::Nothing
        }
    }

    /// Whether `url` is one of the outputs' URLs, parsing it only where it may be.
    fn may_be_output_url(&self, refs: &ReferenceIndex, url: &str) -> bool {
        let compare = match &self.hosts {
            Hosts::NoUrls => false,
            Hosts::CompareAll => true,
            Hosts::Spelled(hosts) => {
                url.bytes()
                    .any(|b| b >= 0x80 || matches!(b, b'%' | b'\t' | b'\n' | b'\r'))
                    || hosts.is_match(url)
            }
        };
        compare && refs.output_for_url(url).is_some()
    }
}

impl Hosts {
    /// A link whose normalised form ([`super::normalize_url`]) is an output's is either no URL at all (then it is
    /// that normalised form, lower-cased: it holds the form's host part) or a URL with that host, which it spells
    /// out but for ASCII case, a `www.`, and what the parser rewrites (percent escapes, non-ASCII, tabs and line
    /// breaks, numeric IP forms).
    fn of(refs: &ReferenceIndex) -> Hosts {
        let mut hosts: Vec<&str> = refs
            .output_url_keys()
            .map(|u| u.split(['/', '?']).next().unwrap_or_default())
            .collect();
        if hosts.is_empty() {
            return Hosts::NoUrls;
        }
        hosts.sort_unstable();
        hosts.dedup();
        // an IP address has other spellings ("0x7f.1"), "[::1]" too; a URL without a host has nothing to spell
        let spelled = |h: &&str| {
            h.bytes().any(|b| b.is_ascii_alphabetic())
                && !h.contains([':', '[', ']'])
                && !h
                    .rsplit('.')
                    .find(|l| !l.is_empty())
                    .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()) || l.starts_with("0x"))
        };
        if !hosts.iter().all(spelled) {
            return Hosts::CompareAll;
        }
        Hosts::Spelled(
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&hosts)
                .expect("the outputs' hosts make an automaton"),
        )
    }
}

#[cfg(test)]
#[path = "prefilter_tests.rs"]
mod tests;
