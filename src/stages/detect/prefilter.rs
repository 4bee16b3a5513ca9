//! The pre-filter: a cheap first look at a document that tells whether the full detector can find anything in it.
//! With a few dozen outputs, nearly every page on the web cites none and reuses none of their text; those pages
//! skip the detector and get the empty result it would have given them.
//!
//! It reads the detector's own pass over the text (its normalised words, and each shingle looked up in the reuse
//! index, [`ReuseIndex::scan`]) and passes a document when any of these holds, each a necessary condition of
//! something the detector finds:
//!
//! - **a link or an address**: a link of the document, or its own URL, that is one of the outputs' URLs (a link is
//!   a reference; a page at an output's address is a copy of it). An Aho-Corasick automaton over the outputs'
//!   hosts answers for most links without parsing them.
//! - **seeds**: shingles of the reuse index that give one output the seeds a passage needs, close enough
//!   together ([`ReuseIndex::may_seed`]). Every passage grows from seeds, and the detector builds nothing from
//!   fewer.
//! - **a name**: a cue, or a name's words where a match of the name needs them, for the reference detector's
//!   first look ([`ReferenceIndex::may_cite_text`]: the series' and organisation's acronyms, alone or glued to a
//!   year, and the words of their names; the outputs' titles, title variants and aliases where their words stand
//!   in place as an exact, page-broken or fuzzy match needs them, each word looked up by its hash in the
//!   normalised form the detector reads, and the words of a possible fuzzy match read from the text and compared
//!   as the detector compares them). Themes and contextual references need the series named, which the series'
//!   words cover. The reference detector reads no document that fails this look.
//!
//! The look is conservative: it may pass a document the detector then finds nothing in, never the other way
//! round. A document it passes goes on with the words and shingle lookups of the same pass: nothing is read
//! twice. (An Aho-Corasick automaton over the names, run over the normalised text written out in the same pass,
//! gave the same answers and cost more than the whole look without it: docs/web-scale.md.)

use aho_corasick::AhoCorasick;

use super::references::ReferenceIndex;
use super::reuse::{Probe, ReuseIndex};
use crate::config::DetectConfig;
use crate::normalize::Word;
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
    /// How links are looked at before the exact comparison.
    hosts: Hosts,
}

/// The first look at a link: the outputs' URLs are compared with it only when it may be one of them.
#[derive(Debug)]
enum Hosts {
    /// No output has a URL: no link is one.
    NoUrls,
    /// A link that is one of the outputs' URLs spells out one of these hosts (ASCII case aside; in its authority,
    /// [`authority`], if it is an `http:` URL), unless it holds a byte the URL parser rewrites in a host
    /// (non-ASCII or `%` there, a tab or line break anywhere): those links are compared exactly.
    Spelled(AhoCorasick),
    /// Some output's URL has no host a link must spell out (an IP address, no host at all): every link is
    /// compared exactly.
    CompareAll,
}

impl Prefilter {
    /// The pre-filter of the outputs in `refs`.
    pub fn new(refs: &ReferenceIndex) -> Prefilter {
        Prefilter {
            hosts: Hosts::of(refs),
        }
    }

    /// What the pre-filter sees in `doc`, whose text [`ReuseIndex::scan`] turned into `words` and `probe`: the
    /// first reason found to pass it to the detector, if any (its links and address first, then its shingles,
    /// then its names).
    pub(crate) fn look(
        &self,
        refs: &ReferenceIndex,
        reuse: &ReuseIndex,
        cfg: &DetectConfig,
        doc: &Document,
        words: &[Word],
        probe: &mut Probe,
    ) -> Look {
        if self.may_be_output_url(refs, &doc.url) || self.may_link_an_output(refs, doc) {
            Look::Address
        } else if reuse.may_seed(probe, cfg) {
            Look::Seed
        } else if refs.may_cite_text(&doc.text, words, cfg) {
            Look::Name
        } else {
            Look::Nothing
        }
    }

    /// Whether one of `doc`'s links is one of the outputs' URLs; the links of a plain text whose extraction left
    /// them for later are read from the text here without being collected (most are not compared at all).
    fn may_link_an_output(&self, refs: &ReferenceIndex, doc: &Document) -> bool {
        if !doc.deferred.text_links {
            return doc
                .links
                .iter()
                .any(|l| self.may_be_output_url(refs, &l.url));
        }
        // a `www.` form's URL is `http://` and the span: the span spells out the same host
        crate::textutil::url_spans(&doc.text).any(|span| {
            self.may_spell_output_host(&doc.text[span.start..span.end])
                && refs.output_for_url(&span.url(&doc.text)).is_some()
        })
    }

    /// Whether `url` is one of the outputs' URLs, parsing it only where it may be.
    fn may_be_output_url(&self, refs: &ReferenceIndex, url: &str) -> bool {
        self.may_spell_output_host(url) && refs.output_for_url(url).is_some()
    }

    /// Whether `url` may be one of the outputs' URLs: whether it is to be compared with them at all.
    fn may_spell_output_host(&self, url: &str) -> bool {
        match &self.hosts {
            Hosts::NoUrls => false,
            Hosts::CompareAll => true,
            Hosts::Spelled(hosts) => {
                // the parser drops tabs and line breaks anywhere, before it finds the authority
                if memchr::memchr3(b'\t', b'\n', b'\r', url.as_bytes()).is_some() {
                    return true;
                }
                let part = authority(url).unwrap_or(url);
                part.bytes().any(|b| b >= 0x80 || b == b'%') || hosts.is_match(part)
            }
        }
    }
}

/// The authority of an `http:` or `https:` URL (ASCII case aside) without tabs or line breaks, where the URL
/// parser finds its host: after the scheme and any slashes or back slashes, up to the first slash, back slash,
/// `?` or `#`. A URL whose host is one of the outputs' spells it out there, or holds there a byte the parser
/// rewrites in a host (non-ASCII, `%`); what comes after cannot change the host. `None` for any other string.
fn authority(url: &str) -> Option<&str> {
    let b = url.as_bytes();
    let after = if b.len() >= 5 && b[..5].eq_ignore_ascii_case(b"http:") {
        5
    } else if b.len() >= 6 && b[..6].eq_ignore_ascii_case(b"https:") {
        6
    } else {
        return None;
    };
    let rest = url[after..].trim_start_matches(['/', '\\']);
    Some(&rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())])
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
        // a DFA without a prefilter: links are short, and the prefilter's rare-byte search (memchr, then a check)
        // cost more on them than reading each byte once
        Hosts::Spelled(
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(&hosts)
                .expect("the outputs' hosts make an automaton"),
        )
    }
}

#[cfg(test)]
#[path = "prefilter_tests.rs"]
mod tests;
