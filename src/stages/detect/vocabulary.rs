//! The vocabulary around a catalogue: the names of the series that publishes the outputs and of its organisation
//! (in every language the catalogue's readers write), the annual meetings that stand for years, relative years,
//! and the words that mean a name is something else. It is data (`data/vocabulary.toml` by default, or the file a
//! catalogue names with `vocabulary = "..."`), compiled here into stemmed phrases, and scanned over a document's
//! words into per-word cues and year marks that the reference detector reads.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::ConfigError;

/// The vocabulary shipped with uptake: the IGF's Best Practice Forums.
pub const BUNDLED: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/vocabulary.toml"));

/// Light stemming applied to both sides of every match: a plural `s` is dropped from words of four letters or
/// more.
pub(crate) fn stem(w: &str) -> String {
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// A phrase as stemmed, normalised words.
pub(crate) fn stem_words(text: &str) -> Vec<String> {
    crate::textutil::tokenize(text)
        .iter()
        .map(|t| stem(&t.norm))
        .collect()
}

/// Whether `phrase` stands at word `i` of `words`.
pub(crate) fn phrase_at(words: &[String], i: usize, phrase: &[String]) -> bool {
    !phrase.is_empty() && words.len() >= i + phrase.len() && words[i..i + phrase.len()] == *phrase
}

/// The vocabulary file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    #[serde(default)]
    series: SeriesEntry,
    #[serde(default)]
    organisation: OrganisationEntry,
    #[serde(default)]
    series_traps: WordsEntry,
    #[serde(default)]
    subject: SubjectEntry,
    #[serde(default)]
    relative: RelativeEntry,
    #[serde(default)]
    meeting_words: MeetingWordsEntry,
    #[serde(default)]
    ordinals: WordsEntry,
    #[serde(default)]
    topics: TopicsEntry,
    #[serde(default, rename = "meeting")]
    meetings: Vec<MeetingEntry>,
}

/// `[series]`: the forum whose outputs the catalogue lists.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesEntry {
    /// Acronyms ("BPF").
    #[serde(default)]
    acronyms: Vec<String>,
    /// Names, in every language ("Best Practice Forum", "Foro de Buenas Prácticas").
    #[serde(default)]
    names: Vec<String>,
    /// A name whose last word is misspelt by one letter still cues, for last words of at least this many letters.
    #[serde(default = "default_misspelt_min_letters")]
    misspelt_min_letters: usize,
}

/// Misspelt series names are accepted for last words of five letters or more ("Fortum").
const fn default_misspelt_min_letters() -> usize {
    5
}

/// `[organisation]`: who runs the series.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationEntry {
    #[serde(default)]
    acronyms: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    /// Phrases that, anywhere in a document, make the acronym mean something else there.
    #[serde(default)]
    acronym_means_otherwise: Vec<String>,
}

/// A plain list of words or phrases.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsEntry {
    #[serde(default)]
    words: Vec<String>,
}

/// `[subject]`: words that refer back to a document's own subject.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectEntry {
    #[serde(default)]
    references: Vec<String>,
}

/// `[topics]`: words that never tell one output's topic from another's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsEntry {
    #[serde(default)]
    ignore: Vec<String>,
}

/// `[meeting_words]`: words before a place that make it the meeting's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingWordsEntry {
    #[serde(default)]
    before: Vec<String>,
}

/// `[relative]`: relative years.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelativeEntry {
    #[serde(default)]
    this_year: Vec<String>,
    #[serde(default)]
    last_year: Vec<String>,
    #[serde(default)]
    next_year: Vec<String>,
    /// "past" in "the past two years".
    #[serde(default)]
    past_years: Vec<String>,
    /// Number words one, two, ... (each list in order from one).
    #[serde(default)]
    numbers: Vec<String>,
    #[serde(default)]
    numbers_es: Vec<String>,
    #[serde(default)]
    numbers_fr: Vec<String>,
    #[serde(default)]
    numbers_pt: Vec<String>,
    /// "years" in "the past two years".
    #[serde(default)]
    years: Vec<String>,
    /// Words before two years that make them a span ("between 2016 and 2019").
    #[serde(default)]
    between: Vec<String>,
    /// Words before a year that start a period ("since 2016"): the year alone cites nothing.
    #[serde(default)]
    since: Vec<String>,
}

/// One `[[meeting]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingEntry {
    year: i32,
    #[serde(default)]
    edition: Option<u32>,
    #[serde(default)]
    places: Vec<String>,
}

/// An annual meeting, compiled.
#[derive(Debug, Clone)]
pub struct Meeting {
    pub year: i32,
    pub edition: Option<u32>,
    pub places: Vec<Vec<String>>,
}

/// The compiled vocabulary: every phrase as stemmed words.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// The organisation as a report names it, as written: its first acronym, else its first name ("IGF").
    pub org_label: Option<String>,
    pub series_acronyms: Vec<String>,
    pub series_names: Vec<Vec<String>>,
    pub misspelt_min_letters: usize,
    pub org_acronyms: Vec<String>,
    pub org_names: Vec<Vec<String>>,
    pub org_otherwise: Vec<Vec<String>>,
    pub series_trap_words: Vec<String>,
    pub subject_refs: Vec<Vec<String>>,
    pub this_year: Vec<Vec<String>>,
    pub last_year: Vec<Vec<String>>,
    pub next_year: Vec<Vec<String>>,
    pub past_words: Vec<String>,
    /// Number words with their values.
    pub numbers: Vec<(String, i32)>,
    pub years_words: Vec<String>,
    pub since_words: Vec<String>,
    pub between_words: Vec<String>,
    pub meeting_before: Vec<String>,
    pub ordinals: Vec<String>,
    pub meetings: Vec<Meeting>,
    /// Words that never tell one output's topic from another's.
    pub topic_ignore: Vec<String>,
    /// The first word of every phrase the scans look for: any other word is passed over at once.
    starts: foldhash::HashSet<String>,
    /// The first word of every meeting's place.
    place_starts: foldhash::HashSet<String>,
}

fn phrases(list: &[String]) -> Vec<Vec<String>> {
    list.iter()
        .map(|s| stem_words(s))
        .filter(|w| !w.is_empty())
        .collect()
}

fn words(list: &[String]) -> Vec<String> {
    phrases(list).into_iter().flatten().collect()
}

impl Vocabulary {
    /// The vocabulary shipped with uptake.
    pub fn bundled() -> Vocabulary {
        Vocabulary::parse(Path::new("data/vocabulary.toml"), BUNDLED)
            .expect("the bundled vocabulary is valid")
    }

    /// Reads a vocabulary file.
    pub fn load(path: &Path) -> Result<Vocabulary, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        Vocabulary::parse(path, &text)
    }

    /// Parses vocabulary `text` as if read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Vocabulary, ConfigError> {
        let f: VocabularyFile = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let r = &f.relative;
        let mut numbers = Vec::new();
        for list in [&r.numbers, &r.numbers_es, &r.numbers_fr, &r.numbers_pt] {
            for (i, w) in list.iter().enumerate() {
                if let Some(w) = stem_words(w).into_iter().next() {
                    numbers.push((w, i as i32 + 1));
                }
            }
        }
        let org_label = f
            .organisation
            .acronyms
            .iter()
            .chain(&f.organisation.names)
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .map(str::to_string);
        let mut v = Vocabulary {
            org_label,
            series_acronyms: words(&f.series.acronyms),
            series_names: phrases(&f.series.names),
            misspelt_min_letters: f.series.misspelt_min_letters,
            org_acronyms: words(&f.organisation.acronyms),
            org_names: phrases(&f.organisation.names),
            org_otherwise: phrases(&f.organisation.acronym_means_otherwise),
            series_trap_words: words(&f.series_traps.words),
            subject_refs: phrases(&f.subject.references),
            this_year: phrases(&r.this_year),
            last_year: phrases(&r.last_year),
            next_year: phrases(&r.next_year),
            past_words: words(&r.past_years),
            numbers,
            years_words: words(&r.years),
            since_words: words(&r.since),
            between_words: words(&r.between),
            meeting_before: words(&f.meeting_words.before),
            ordinals: words(&f.ordinals.words),
            topic_ignore: words(&f.topics.ignore),
            starts: Default::default(),
            place_starts: Default::default(),
            meetings: f
                .meetings
                .iter()
                .map(|m| Meeting {
                    year: m.year,
                    edition: m.edition,
                    places: phrases(&m.places),
                })
                .collect(),
        };
        let firsts: Vec<String> = v
            .series_names
            .iter()
            .chain(&v.org_names)
            .chain(&v.this_year)
            .chain(&v.last_year)
            .chain(&v.next_year)
            .chain(v.meetings.iter().flat_map(|m| &m.places))
            .filter_map(|p| p.first().cloned())
            .chain(v.series_acronyms.iter().cloned())
            .chain(v.org_acronyms.iter().cloned())
            .chain(v.past_words.iter().cloned())
            .chain(v.ordinals.iter().cloned())
            .collect();
        v.starts = firsts.into_iter().collect();
        v.place_starts = v
            .meetings
            .iter()
            .flat_map(|m| &m.places)
            .filter_map(|p| p.first().cloned())
            .collect();
        Ok(v)
    }

    /// Whether a scan need look at the word: it opens a phrase, or holds a figure.
    fn may_start(&self, w: &str) -> bool {
        self.starts.contains(w)
            || w.as_bytes().first().is_some_and(u8::is_ascii_digit)
            || w.len() > 4 && w.as_bytes()[w.len() - 1].is_ascii_digit()
    }

    /// The vocabulary a catalogue names (`vocabulary = "..."`, relative to the catalogue), or the bundled one.
    pub fn for_catalogue(vocabulary: Option<&PathBuf>) -> Result<Vocabulary, ConfigError> {
        match vocabulary {
            Some(p) => Vocabulary::load(p),
            None => Ok(Vocabulary::bundled()),
        }
    }

    /// Whether a word is a series acronym.
    pub fn is_series_acronym(&self, w: &str) -> bool {
        self.series_acronyms.iter().any(|a| a == w)
    }

    /// Whether a word is an organisation acronym.
    pub fn is_org_acronym(&self, w: &str) -> bool {
        self.org_acronyms.iter().any(|a| a == w)
    }

    /// Whether a word is part of a name of the series or the organisation.
    pub fn is_cue_word(&self, w: &str) -> bool {
        self.is_series_acronym(w)
            || self.is_org_acronym(w)
            || self.series_names.iter().any(|p| p.iter().any(|x| x == w))
            || self.org_names.iter().any(|p| p.iter().any(|x| x == w))
    }

    /// Every phrase that names the series or the organisation, for a document's cheap first look.
    pub fn cue_words(&self) -> impl Iterator<Item = &String> {
        self.series_acronyms
            .iter()
            .chain(&self.org_acronyms)
            .chain(self.series_names.iter().filter_map(|p| p.last()))
            .chain(self.org_names.iter().filter_map(|p| p.last()))
    }
}

/// What a word of a document is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cue {
    #[default]
    None,
    /// The series' acronym or name.
    Series,
    /// The organisation's acronym or name.
    Organisation,
}

/// Marks every word of a document that names the series or the organisation. `series_ok` and `org_ok` say
/// whether the acronyms mean them in this document (a packet filter, a growth factor).
pub fn scan_cues(vocab: &Vocabulary, words: &[String], series_ok: bool, org_ok: bool) -> Vec<Cue> {
    let mut cues = vec![Cue::None; words.len()];
    for i in 0..words.len() {
        if cues[i] != Cue::None {
            continue;
        }
        let w = &words[i];
        if !vocab.may_start(w) {
            continue;
        }
        if series_ok && vocab.is_series_acronym(w) {
            cues[i] = Cue::Series;
            continue;
        }
        if org_ok && vocab.is_org_acronym(w) {
            cues[i] = Cue::Organisation;
            continue;
        }
        // an acronym glued to a year or a theme ("IGF2019", "#BPFGender2018")
        if let Some(c) = glued_acronym(vocab, w, series_ok, org_ok) {
            cues[i] = c;
            continue;
        }
        let series_len = vocab
            .series_names
            .iter()
            .find(|p| name_at(words, i, p, vocab.misspelt_min_letters))
            .map(Vec::len);
        if let Some(n) = series_len {
            cues[i..i + n].fill(Cue::Series);
            continue;
        }
        if let Some(p) = vocab.org_names.iter().find(|p| phrase_at(words, i, p)) {
            cues[i..i + p.len()].fill(Cue::Organisation);
        }
    }
    cues
}

/// Whether the series is anchored in a document: its acronym or the organisation is named. Without either, a
/// "Best Practice Forum" is anyone's (a chamber of commerce's, a hospital's), and its name cues nothing.
pub fn anchored(vocab: &Vocabulary, words: &[String], cues: &[Cue]) -> bool {
    cues.iter().zip(words).any(|(c, w)| {
        *c == Cue::Organisation || (*c == Cue::Series && !is_series_name_word(vocab, w))
    })
}

fn is_series_name_word(vocab: &Vocabulary, w: &str) -> bool {
    !vocab.is_series_acronym(w) && glued_acronym(vocab, w, true, false).is_none()
}

/// Drops the cues of series names (not acronyms) where the document does not anchor them.
pub fn drop_unanchored_names(
    vocab: &Vocabulary,
    words: &[String],
    cues: &mut [Cue],
    anchored: bool,
) {
    if anchored {
        return;
    }
    for (c, w) in cues.iter_mut().zip(words) {
        if *c == Cue::Series && is_series_name_word(vocab, w) {
            *c = Cue::None;
        }
    }
}

/// A series or organisation acronym at the start of a longer word that ends in a year or goes on in letters
/// (`igf2019`, `bpfgender2018`).
fn glued_acronym(vocab: &Vocabulary, w: &str, series_ok: bool, org_ok: bool) -> Option<Cue> {
    // bytes, not a `str` slice: the fourth byte from the end may fall inside a character (`32비트`)
    let tail_is_year = w.len() > 4 && w.as_bytes()[w.len() - 4..].iter().all(u8::is_ascii_digit);
    if !tail_is_year {
        return None;
    }
    if series_ok
        && vocab
            .series_acronyms
            .iter()
            .any(|a| w.starts_with(a.as_str()))
    {
        return Some(Cue::Series);
    }
    if org_ok && vocab.org_acronyms.iter().any(|a| w.starts_with(a.as_str())) {
        return Some(Cue::Organisation);
    }
    None
}

/// Whether a series name stands at `i`, its last word allowed one wrong letter when long enough.
fn name_at(words: &[String], i: usize, p: &[String], min_letters: usize) -> bool {
    if p.is_empty() || words.len() < i + p.len() {
        return false;
    }
    let n = p.len();
    if words[i..i + n - 1] != p[..n - 1] {
        return false;
    }
    let (got, want) = (&words[i + n - 1], &p[n - 1]);
    got == want
        || (want.chars().count() >= min_letters
            && got.chars().count() + 1 >= want.chars().count()
            && strsim::levenshtein(got, want) <= 1)
}

/// The year in a word, if it is one (four digits, 1990 to 2100) or ends in one after an acronym (`igf2019`).
pub fn year_in_word(vocab: &Vocabulary, w: &str) -> Option<i32> {
    let tail = w.get(w.len().saturating_sub(4)..)?;
    if !tail.bytes().all(|b| b.is_ascii_digit()) || tail.len() != 4 {
        return None;
    }
    if w.len() > 4 && glued_acronym(vocab, w, true, true).is_none() {
        return None;
    }
    let y: i32 = tail.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// The number an ordinal word or figure stands for ("eleventh", "11th", "11e").
fn ordinal(vocab: &Vocabulary, w: &str) -> Option<u32> {
    if let Some(i) = vocab.ordinals.iter().position(|o| o == w) {
        return Some(i as u32 + 1);
    }
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    let rest = &w[digits.len()..];
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    matches!(
        rest,
        "th" | "st" | "nd" | "rd" | "e" | "eme" | "o" | "a" | "er" | "re"
    )
    .then(|| digits.parse().ok())
    .flatten()
}

/// How a year was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearForm {
    /// A figure: "2015", "IGF2019", a range "2014-2015".
    Explicit,
    /// A meeting's place or edition: "in Paris", "the 11th IGF".
    Meeting,
    /// Relative to the document's year: "last year", "the past two years".
    Relative,
}

/// Years written at words `start..end` of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearMark {
    pub start: usize,
    pub end: usize,
    pub years: Vec<i32>,
    pub form: YearForm,
}

/// Most years "the past N years" stands for: a longer stretch ("over the past five years") is a history, not a
/// citation of each year's output.
const MAX_PAST_YEARS: i32 = 2;

/// Longest year range read as every year between ("2014-2017").
const MAX_RANGE_YEARS: i32 = 8;

/// Every year a document writes: figures (ranges and lists joined into one mark), meetings, editions, and
/// relative years against `ref_year`. `tokens` give the characters between words (a dash makes a range).
pub fn scan_years(
    vocab: &Vocabulary,
    words: &[String],
    cues: &[Cue],
    gap: impl Fn(usize) -> String,
    ref_year: Option<i32>,
) -> Vec<YearMark> {
    let mut marks: Vec<YearMark> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !vocab.may_start(&words[i]) {
            i += 1;
            continue;
        }
        if let Some(y) = year_in_word(vocab, &words[i]) {
            let mut years = vec![y];
            let mut end = i + 1;
            // a range or a list of years: "2014-2015", "2014 to 2016", "2015 and 2016", "2014, 2015"
            loop {
                let mut j = end;
                let connector = words.get(j).map(String::as_str);
                if matches!(
                    connector,
                    Some("and" | "to" | "through" | "until" | "y" | "et" | "e" | "a" | "au")
                ) {
                    j += 1;
                }
                let Some(next) = words.get(j).and_then(|w| year_in_word(vocab, w)) else {
                    break;
                };
                let between = gap(end);
                let dash = j == end && between.contains(['-', '–', '—', '/']);
                // "between 2016 and 2019", "entre 2016 y 2019"
                let spanned = i > 0 && vocab.between_words.contains(&words[i - 1]) && j > end;
                let ranged = dash
                    || spanned
                    || matches!(connector, Some("to" | "through" | "until" | "a" | "au"));
                let last = *years.last().expect("a year");
                if ranged && next > last && next - last <= MAX_RANGE_YEARS {
                    years.extend(last + 1..=next);
                } else if j > end || between.contains(',') || dash {
                    years.push(next);
                } else {
                    break;
                }
                end = j + 1;
            }
            marks.push(YearMark {
                start: i,
                end,
                years,
                form: YearForm::Explicit,
            });
            i = end;
            continue;
        }
        if let Some(m) = meeting_at(vocab, words, cues, i) {
            i = m.end;
            marks.push(m);
            continue;
        }
        if let Some(m) = relative_at(vocab, words, i, ref_year) {
            i = m.end;
            marks.push(m);
            continue;
        }
        i += 1;
    }
    marks
}

/// A meeting at word `i`: a place after "in"/"at" or before the organisation's acronym, or an edition beside it.
fn meeting_at(vocab: &Vocabulary, words: &[String], cues: &[Cue], i: usize) -> Option<YearMark> {
    let w = &words[i];
    let maybe_edition =
        w.as_bytes().first().is_some_and(u8::is_ascii_digit) || vocab.ordinals.contains(w);
    if !maybe_edition && !vocab.place_starts.contains(w) {
        return None;
    }
    let org_near =
        |from: usize, to: usize| (from..to.min(cues.len())).any(|j| cues[j] == Cue::Organisation);
    for m in &vocab.meetings {
        for p in &m.places {
            if !phrase_at(words, i, p) {
                continue;
            }
            let after = i + p.len();
            let before_ok = i > 0 && vocab.meeting_before.contains(&words[i - 1]);
            if before_ok || org_near(after, after + 1) || (i > 0 && org_near(i - 1, i)) {
                return Some(YearMark {
                    start: i,
                    end: after,
                    years: vec![m.year],
                    form: YearForm::Meeting,
                });
            }
        }
    }
    let n = ordinal(vocab, &words[i])?;
    // "the 11th IGF", "the 11th annual IGF", "the eleventh annual meeting of the IGF"
    if !org_near(i + 1, i + 6) {
        return None;
    }
    let m = vocab.meetings.iter().find(|m| m.edition == Some(n))?;
    Some(YearMark {
        start: i,
        end: i + 1,
        years: vec![m.year],
        form: YearForm::Meeting,
    })
}

/// A relative year at word `i`, resolved against `ref_year`.
fn relative_at(
    vocab: &Vocabulary,
    words: &[String],
    i: usize,
    ref_year: Option<i32>,
) -> Option<YearMark> {
    let y = ref_year?;
    let mark = |len: usize, years: Vec<i32>| YearMark {
        start: i,
        end: i + len,
        years,
        form: YearForm::Relative,
    };
    for (list, delta) in [
        (&vocab.this_year, 0),
        (&vocab.last_year, -1),
        (&vocab.next_year, 1),
    ] {
        if let Some(p) = list.iter().find(|p| phrase_at(words, i, p)) {
            return Some(mark(p.len(), vec![y + delta]));
        }
    }
    // "the past two years", "los últimos dos años"
    if vocab.past_words.contains(&words[i]) {
        let n = words.get(i + 1).and_then(|w| {
            vocab
                .numbers
                .iter()
                .find(|(x, _)| x == w)
                .map(|(_, n)| *n)
                .or_else(|| w.parse::<i32>().ok().filter(|n| (1..=9).contains(n)))
        })?;
        if n <= MAX_PAST_YEARS
            && words
                .get(i + 2)
                .is_some_and(|w| vocab.years_words.contains(w))
        {
            return Some(mark(3, (y - n + 1..=y).collect()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years_of(text: &str, ref_year: Option<i32>) -> Vec<Vec<i32>> {
        let v = Vocabulary::bundled();
        let tokens = crate::textutil::tokenize(text);
        let words: Vec<String> = tokens.iter().map(|t| stem(&t.norm)).collect();
        let chars: Vec<char> = text.chars().collect();
        let cues = scan_cues(&v, &words, true, true);
        let gap = |j: usize| -> String {
            if j == 0 || j >= tokens.len() {
                return String::new();
            }
            chars[tokens[j - 1].end..tokens[j].start].iter().collect()
        };
        scan_years(&v, &words, &cues, gap, ref_year)
            .into_iter()
            .map(|m| m.years)
            .collect()
    }

    #[test]
    fn the_bundled_vocabulary_loads() {
        let v = Vocabulary::bundled();
        assert!(v.is_series_acronym("bpf"));
        assert!(v.is_org_acronym("igf"));
        assert_eq!(
            v.org_label.as_deref(),
            Some("IGF"),
            "as written, for the report"
        );
        assert_eq!(
            v.meetings.iter().find(|m| m.year == 2016).unwrap().edition,
            Some(11)
        );
    }

    #[test]
    fn years_ranges_meetings_and_relative_years() {
        assert_eq!(
            years_of("In 2014-2015 the BPF", None),
            vec![vec![2014, 2015]]
        );
        assert_eq!(
            years_of("from 2016 to 2018", None),
            vec![vec![2016, 2017, 2018]]
        );
        assert_eq!(years_of("in 2015 and 2016", None), vec![vec![2015, 2016]]);
        assert_eq!(years_of("the BPF in Paris", None), vec![vec![2018]]);
        assert_eq!(years_of("at the 11th IGF", None), vec![vec![2016]]);
        assert_eq!(
            years_of("IGF2019 in Berlin", None),
            vec![vec![2019], vec![2019]]
        );
        assert_eq!(
            years_of("the past two years", Some(2017)),
            vec![vec![2016, 2017]]
        );
        assert_eq!(years_of("last year", Some(2017)), vec![vec![2016]]);
        assert_eq!(years_of("el año pasado", Some(2017)), vec![vec![2016]]);
        assert!(years_of("last year", None).is_empty());
        assert!(
            years_of("Paris is a city", None).is_empty(),
            "a place needs 'in' or the IGF"
        );
        assert!(years_of("page 1234 of 56789", None).is_empty());
    }

    #[test]
    fn cues_in_every_language_and_misspelt() {
        let v = Vocabulary::bundled();
        let cues = |t: &str| {
            let w = stem_words(t);
            scan_cues(&v, &w, true, true)
        };
        assert!(cues("the Best Practices Forums of 2016").contains(&Cue::Series));
        assert!(cues("el Foro de Buenas Prácticas").contains(&Cue::Series));
        assert!(cues("the Best Practice Fortum on IXPs").contains(&Cue::Series));
        assert!(cues("Fórum de Governança da Internet").contains(&Cue::Organisation));
        assert!(cues("#BPFGender2018").contains(&Cue::Series));
        assert!(!cues("a best practice guide").contains(&Cue::Series));
        assert!(!cues("the BPF",).is_empty());
        let w = stem_words("the BPF");
        assert!(!scan_cues(&v, &w, false, true).contains(&Cue::Series));
    }

    #[test]
    fn words_ending_in_other_scripts_are_no_glued_acronym() {
        // found by the reuse benchmark on the Rust docs' Korean pages: the last four bytes cut a character
        let v = Vocabulary::bundled();
        for w in ["32비트", "42i32라고", "1되지", "igf되지"] {
            assert_eq!(glued_acronym(&v, w, true, true), None, "{w}");
            assert!(is_series_name_word(&v, w), "{w}");
        }
        assert_eq!(
            glued_acronym(&v, "igf2019", true, true),
            Some(Cue::Organisation)
        );
        assert!(cues_of(&v, "the BPF 32비트 IGF2019").contains(&Cue::Organisation));
    }

    #[test]
    fn the_organisation_label_is_its_first_acronym_else_its_first_name() {
        let label = |text: &str| {
            Vocabulary::parse(Path::new("v.toml"), text)
                .unwrap()
                .org_label
        };
        assert_eq!(
            label("[organisation]\nacronyms = [\"WXF\"]\nnames = [\"Widget Exchange Forum\"]\n")
                .as_deref(),
            Some("WXF")
        );
        assert_eq!(
            label("[organisation]\nnames = [\" Widget Exchange Forum \"]\n").as_deref(),
            Some("Widget Exchange Forum")
        );
        assert_eq!(label(""), None);
    }

    fn cues_of(v: &Vocabulary, t: &str) -> Vec<Cue> {
        scan_cues(v, &stem_words(t), true, true)
    }
}
