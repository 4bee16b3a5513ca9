//! Date parsing for publication dates: ISO 8601 and its short forms, PDF dates (`D:YYYYMMDD…`), written dates
//! ("5 November 2019", "November 2019") and dates inside URLs (`/2019/11/05/`).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::records::DatePrecision;

fn plausible_year(y: i32) -> bool {
    (1900..=2200).contains(&y)
}

fn build(y: i32, m: Option<u32>, d: Option<u32>) -> Option<(NaiveDate, DatePrecision)> {
    if !plausible_year(y) {
        return None;
    }
    match (m, d) {
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d).map(|x| (x, DatePrecision::Day)),
        (Some(m), None) => NaiveDate::from_ymd_opt(y, m, 1).map(|x| (x, DatePrecision::Month)),
        _ => NaiveDate::from_ymd_opt(y, 1, 1).map(|x| (x, DatePrecision::Year)),
    }
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:$|[T\s])").unwrap()
});
static COMPACT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})").unwrap());
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})(?:st|nd|rd|th|er|º|°)?\s+(?:de\s+)?(\p{L}{3,10})\.?,?\s+(?:de\s+)?(\d{4})$").unwrap()
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$").unwrap()
});
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(\p{L}{3,10})\.?,?\s+(?:de\s+)?(\d{4})$").unwrap());
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-](\d{1,2})(?:[/-](\d{1,2}))?(?:[/_.-]|$)").unwrap()
});

/// A mail archive's date line ("Tue Jul 8 13:22:37 BRT 2014", "Fri, 5 Jun 2015 10:01:00 +0200"): mailing lists
/// write their posts' dates so.
static MAIL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[a-z]{3},?\s+)?(?:([a-z]{3,9})\s+(\d{1,2})|(\d{1,2})\s+([a-z]{3,9}))\s+(?:(\d{4})\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:[a-z]{2,5}|[+-]\d{4}))?(?:\s+(\d{4}))?$").unwrap()
});

/// Parses a mail archive's date line.
fn mail_date(s: &str) -> Option<(NaiveDate, DatePrecision)> {
    // the time's colon: without one, the expression (run over a whole paragraph of web text) cannot match
    if !s.contains(':') {
        return None;
    }
    let c = MAIL_DATE.captures(s.trim())?;
    let year: i32 = c.get(5).or(c.get(6))?.as_str().parse().ok()?;
    let (month, day) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(m), Some(d), _, _) => (m, d),
        (_, _, Some(d), Some(m)) => (m, d),
        _ => return None,
    };
    build(
        year,
        Some(crate::textutil::month_number(month.as_str())?),
        day.as_str().parse().ok(),
    )
}

/// Parses a date as written in metadata or a manifest.
pub fn parse_date(s: &str) -> Option<(NaiveDate, DatePrecision)> {
    let s = s.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    if let Some(c) = ISO.captures(s) {
        let y = c[1].parse().ok()?;
        let m = c.get(2).and_then(|m| m.as_str().parse().ok());
        let d = c.get(3).and_then(|d| d.as_str().parse().ok());
        return build(y, m, d);
    }
    if let Some(c) = COMPACT.captures(s) {
        return build(c[1].parse().ok()?, c[2].parse().ok(), c[3].parse().ok());
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(s) {
        return build(
            c[3].parse().ok()?,
            crate::textutil::month_number(&c[2]),
            c[1].parse().ok(),
        );
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s) {
        return build(
            c[3].parse().ok()?,
            crate::textutil::month_number(&c[1]),
            c[2].parse().ok(),
        );
    }
    if let Some(c) = MONTH_YEAR.captures(s) {
        let m = crate::textutil::month_number(&c[1])?;
        return build(c[2].parse().ok()?, Some(m), None);
    }
    None
}

/// Whether `s` holds four ASCII digits in a row: every date [`parse_date`] or [`mail_date`] gives has its year
/// so (`\d` matches any decimal digit, but the year is then parsed as an `i32`, which takes ASCII digits only),
/// so a line without them holds no date.
fn has_year_digits(s: &str) -> bool {
    // a run of four digits that starts at or after `i` and holds byte `i + 3` is looked for from there: where
    // that byte is no digit, no run starts at `i` to `i + 3`, and the text is read four bytes at a step
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if !b[i + 3].is_ascii_digit() {
            i += 4;
            continue;
        }
        let mut j = i + 3;
        while j > i && b[j - 1].is_ascii_digit() {
            j -= 1;
        }
        if j == i {
            return true;
        }
        // the digits before `i + 3` start at `j`, after a byte that is none: a run starts there or later
        i = j;
    }
    false
}

/// Words that may stand before a first-page date ("Published: 5 May 2020"), longest of a stem first.
const CUES: [&str; 12] = [
    "published",
    "dated",
    "date",
    "issued",
    "updated",
    "released",
    "publicado el",
    "publicado em",
    "publicado",
    "publié le",
    "publié",
    "fecha",
];

/// A date standing on its own line near the start of a text, as a cover page or a letter writes it: "November
/// 2019", "Geneva, 12 March 2018", "Date: 2019-11-20", "Published 5 May 2020". Only the first lines are read, a
/// line must be a date and little else, and a bare year is not enough.
pub fn first_page_date(text: &str) -> Option<(NaiveDate, DatePrecision)> {
    for line in lines(text)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(12)
    {
        // every date read below has a year of four ASCII digits: the lines of web text, whole paragraphs, mostly
        // have none, and are passed over before any word is counted
        if !has_year_digits(line) {
            continue;
        }
        let mut l = line.trim_end_matches(['.', ',', ';']).trim();
        // a cue is at most 13 bytes: only the line's start is lowered (lines of web text are whole paragraphs)
        let head = &l.as_bytes()[..l.len().min(16)];
        let lower = head.to_ascii_lowercase();
        if let Some(cue) = CUES.iter().find(|c| lower.starts_with(c.as_bytes())) {
            l = l[cue.len()..].trim_start_matches([':', ' ', '\t']).trim();
            l = l.strip_prefix("on ").unwrap_or(l);
            l = l.strip_prefix("le ").unwrap_or(l);
        }
        // the last ", " (what `rsplit_once(", ")` finds), looked for by its comma (memrchr)
        let mut end = l.len();
        let last_comma = loop {
            match l[..end].rfind(',') {
                Some(i) if l.as_bytes().get(i + 1) == Some(&b' ') => break Some(i),
                Some(i) => end = i,
                None => break None,
            }
        };
        if let Some(d) = mail_date(l) {
            return Some(d);
        }
        // "Geneva, 12 March 2018" (but not "March 12, 2018", which parses whole)
        let after = last_comma.map(|i| l[i + 2..].trim());
        for c in std::iter::once(l).chain(after) {
            // "3 de marzo de 2017" is three words and a year; five words or more are not a date (counted no
            // further)
            if c.split_whitespace()
                .filter(|w| !w.eq_ignore_ascii_case("de"))
                .nth(4)
                .is_some()
            {
                continue;
            }
            if let Some((date, precision)) = parse_date(c) {
                if precision != DatePrecision::Year {
                    return Some((date, precision));
                }
            }
        }
    }
    None
}

/// The lines of `text`, as [`str::lines`] gives them but for a carriage return before the line feed, which it
/// leaves at the line's end (the callers trim it), found with the memchr crate's SIMD search.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r.as_bytes()) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                (!r.is_empty()).then_some(r)
            }
        }
    })
}

/// Finds a date in a URL path such as `/2019/11/05/title` or `/2019-11-title`.
pub fn date_in_url(url: &str) -> Option<(NaiveDate, DatePrecision)> {
    // the date starts `/19` or `/20` in the parsed path, which holds what the URL holds but for tabs and line
    // breaks (dropped), back slashes (made slashes) and dot segments (dropped whole): without one of those, a URL
    // without a `/19` or `/20` holds no date, and is not parsed
    if !url.contains(['\t', '\n', '\r', '\\']) && !url.contains("/19") && !url.contains("/20") {
        return None;
    }
    date_in_parsed_url(url)
}

/// [`date_in_url`] without its first look: the URL parsed, then its path read.
fn date_in_parsed_url(url: &str) -> Option<(NaiveDate, DatePrecision)> {
    let path = match url::Url::parse(url) {
        Ok(u) => u.path().to_string(),
        Err(_) => url.to_string(),
    };
    let c = URL_DATE.captures(&path)?;
    let m: u32 = c[2].parse().ok()?;
    if !(1..=12).contains(&m) {
        return None;
    }
    build(
        c[1].parse().ok()?,
        Some(m),
        c.get(3).and_then(|d| d.as_str().parse().ok()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `first_page_date` as it was before it lowered only a line's start and stopped counting words at five:
    /// what it must still give.
    fn first_page_date_before(text: &str) -> Option<(NaiveDate, DatePrecision)> {
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(12)
        {
            let mut l = line.trim_end_matches(['.', ',', ';']).trim();
            let lower = l.to_ascii_lowercase();
            if let Some(cue) = CUES.iter().find(|c| lower.starts_with(*c)) {
                l = l[cue.len()..].trim_start_matches([':', ' ', '\t']).trim();
                l = l.strip_prefix("on ").unwrap_or(l);
                l = l.strip_prefix("le ").unwrap_or(l);
            }
            let mut candidates = vec![l];
            if let Some((_, after)) = l.rsplit_once(", ") {
                candidates.push(after.trim());
            }
            if let Some(d) = mail_date(l) {
                return Some(d);
            }
            for c in candidates {
                if c.split_whitespace()
                    .filter(|w| !w.eq_ignore_ascii_case("de"))
                    .count()
                    > 4
                {
                    continue;
                }
                if let Some((date, precision)) = parse_date(c) {
                    if precision != DatePrecision::Year {
                        return Some((date, precision));
                    }
                }
            }
        }
        None
    }

    #[test]
    fn first_page_dates_are_what_they_were_on_random_lines() {
        const PIECES: [&str; 24] = [
            "Published",
            "PUBLIÉ LE",
            "publicado el",
            "Date:",
            "Fecha",
            "Updated on",
            "le",
            "de",
            "marzo",
            "3",
            "12 March 2018",
            "2019-11-20",
            "November 2019",
            "Geneva,",
            ", ",
            ",",
            "Tue, 3 Jun 2008 11:05:30 GMT",
            "the",
            "report",
            "   ",
            "2017",
            "Mai",
            "\t",
            "é",
        ];
        let mut rng = fastrand::Rng::with_seed(17);
        // line ends of every kind, and texts of more than the twelve lines read
        const ENDS: [&str; 6] = ["\n", "\r\n", "\r", "\n\n", "\n \t\n", "\u{2028}"];
        same_as_before((0..20_000).map(|_| {
            let most = if rng.bool() { 4 } else { 16 };
            let lines = 1 + rng.usize(..most);
            let mut text = String::new();
            for _ in 0..lines {
                for _ in 0..rng.usize(..12) {
                    text.push_str(PIECES[rng.usize(..PIECES.len())]);
                    text.push(if rng.u8(..5) == 0 { ',' } else { ' ' });
                }
                text.push_str(ENDS[rng.usize(..ENDS.len())]);
            }
            text
        }));
    }

    /// Asserts that [`first_page_date`] gives what the version before it gave on each of `texts`, and that more
    /// than a thousand of them are dated.
    fn same_as_before(texts: impl Iterator<Item = String>) {
        let (mut differ, mut dated) = (0, 0);
        for text in texts {
            let now = first_page_date(&text);
            dated += usize::from(now.is_some());
            if now != first_page_date_before(&text) {
                differ += 1;
                eprintln!("{text:?}");
            }
        }
        assert_eq!(differ, 0);
        assert!(dated > 1_000, "the texts hold dates: {dated}");
    }

    /// Random short strings near dates: a written date whose words are kept, replaced by date pieces, dropped or
    /// doubled, joined by white space of several kinds or by nothing (so runs of digits of every length occur).
    fn random_date_like(rng: &mut fastrand::Rng) -> String {
        const DATES: [&str; 10] = [
            "Tue Jul 8 13:22:37 BRT 2014",
            "Fri, 5 Jun 2015 10:01:00 +0200",
            "Sun Nov 6 08:49:37 1994",
            "5 November 2019",
            "3 de marzo de 2017",
            "Sept. 12, 2014",
            "2019-11-05T10:00:00",
            "D:20180412093000Z",
            "November 2019",
            "Geneva, 12 March 2018",
        ];
        const PIECES: [&str; 30] = [
            "Tue",
            "Fri,",
            "Jul",
            "marzo",
            "de",
            "1er",
            "Sept.",
            "mai",
            "8",
            "12",
            "20",
            "19",
            "2019",
            "1899",
            "2201",
            "05",
            "13:22:37",
            "10:01",
            "BRT",
            "+0200",
            "-0500",
            "\u{661}\u{669}\u{662}\u{660}",
            "\u{ff12}\u{ff10}\u{ff11}\u{ff19}",
            "\u{ff11}",
            "th",
            "º",
            "é",
            "x",
            "2019-11",
            "12:00",
        ];
        const SEPARATORS: [&str; 8] = [" ", " ", " ", "  ", "\t", "\u{a0}", "", ","];
        let mut s = String::new();
        for word in DATES[rng.usize(..DATES.len())].split(' ') {
            let words = match rng.u8(..20) {
                0..=13 => vec![word],
                14..=16 => vec![PIECES[rng.usize(..PIECES.len())]],
                17 => vec![],
                _ => vec![word, PIECES[rng.usize(..PIECES.len())]],
            };
            for w in words {
                s.push_str(w);
                s.push_str(SEPARATORS[rng.usize(..SEPARATORS.len())]);
            }
        }
        s
    }

    #[test]
    fn every_date_has_a_year_of_ascii_digits() {
        let mut rng = fastrand::Rng::with_seed(1917);
        let (mut parsed, mut mailed) = (0, 0);
        for _ in 0..100_000 {
            let s = random_date_like(&mut rng);
            if parse_date(&s).is_some() {
                parsed += 1;
                assert!(has_year_digits(&s), "{s:?}");
            }
            if mail_date(&s).is_some() {
                mailed += 1;
                assert!(has_year_digits(&s), "{s:?}");
            }
        }
        assert!(
            parsed > 1_000 && mailed > 100,
            "dates made: {parsed}, {mailed}"
        );
    }

    #[test]
    fn first_page_dates_are_what_they_were_on_random_date_like_lines() {
        let mut rng = fastrand::Rng::with_seed(71);
        same_as_before((0..30_000).map(|_| {
            let mut text = String::new();
            for _ in 0..1 + rng.usize(..4) {
                text.push_str(&random_date_like(&mut rng));
                text.push('\n');
            }
            text
        }));
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn mail_archive_dates() {
        let d = |s: &str| first_page_date(s).map(|x| x.0.to_string());
        assert_eq!(
            d("[List] Open call\n\nAna ana at example.org\nTue Jul 8 13:22:37 BRT 2014\n\nDear all").as_deref(),
            Some("2014-07-08")
        );
        assert_eq!(
            d("Subject: x\nFri, 5 Jun 2015 10:01:00 +0200\n").as_deref(),
            Some("2015-06-05")
        );
        assert_eq!(d("Meeting at 10:00 on Tuesday\n"), None);
    }

    #[test]
    fn months_in_spanish_french_and_portuguese() {
        let d = |s: &str| parse_date(s).map(|x| x.0.to_string());
        assert_eq!(d("3 de marzo de 2017").as_deref(), Some("2017-03-03"));
        assert_eq!(d("1er février 2016").as_deref(), Some("2016-02-01"));
        assert_eq!(d("12 de março de 2018").as_deref(), Some("2018-03-12"));
        assert_eq!(d("août 2019").as_deref(), Some("2019-08-01"));
        assert_eq!(d("diciembre 2020").as_deref(), Some("2020-12-01"));
        assert_eq!(d("5 November 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(
            first_page_date("Boletín\n\nPublicado el 3 de marzo de 2017\n\nTexto.")
                .map(|x| x.0.to_string()),
            Some("2017-03-03".to_string())
        );
        // an unknown month gives the year only
        assert_eq!(
            parse_date("3 de blah de 2017").map(|x| x.1),
            Some(DatePrecision::Year)
        );
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(
            parse_date("2019-11-05"),
            Some((ymd(2019, 11, 5), DatePrecision::Day))
        );
        assert_eq!(
            parse_date("2019-11-05T10:00:00+01:00"),
            Some((ymd(2019, 11, 5), DatePrecision::Day))
        );
        assert_eq!(
            parse_date("2017/03"),
            Some((ymd(2017, 3, 1), DatePrecision::Month))
        );
        assert_eq!(
            parse_date("2016"),
            Some((ymd(2016, 1, 1), DatePrecision::Year))
        );
        assert_eq!(
            parse_date("D:20180412093000Z"),
            Some((ymd(2018, 4, 12), DatePrecision::Day))
        );
        assert_eq!(
            parse_date("5 November 2019"),
            Some((ymd(2019, 11, 5), DatePrecision::Day))
        );
        assert_eq!(
            parse_date("Sept. 12, 2014"),
            Some((ymd(2014, 9, 12), DatePrecision::Day))
        );
        assert_eq!(
            parse_date("November 2019"),
            Some((ymd(2019, 11, 1), DatePrecision::Month))
        );
        assert_eq!(parse_date("2019-13-40"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn finds_first_page_dates_and_nothing_else() {
        let d = |s: &str| first_page_date(s).map(|(d, p)| (d.to_string(), p));
        assert_eq!(
            d("Ministry\nNovember 2019\n\nText"),
            Some(("2019-11-01".into(), DatePrecision::Month))
        );
        assert_eq!(
            d("Geneva, 12 March 2018\n\nStatement"),
            Some(("2018-03-12".into(), DatePrecision::Day))
        );
        assert_eq!(
            d("Title\nPublished: 5 May 2020"),
            Some(("2020-05-05".into(), DatePrecision::Day))
        );
        assert_eq!(
            d("Title\nDate: 2019-11-20"),
            Some(("2019-11-20".into(), DatePrecision::Day))
        );
        assert_eq!(
            d("In November 2015, the forum met in Brazil and agreed on many things."),
            None
        );
        assert_eq!(
            d("Annual report\n2019\n"),
            None,
            "a bare year is not a date"
        );
        let long = format!("{}November 2019", "line\n".repeat(20));
        assert_eq!(d(&long), None, "only the first lines are read");
    }

    #[test]
    fn finds_dates_in_urls() {
        assert_eq!(
            date_in_url("https://blog.example.org/2014/09/12/best-practice-forum/"),
            Some((ymd(2014, 9, 12), DatePrecision::Day))
        );
        assert_eq!(
            date_in_url("https://example.org/news/2016-11-ixp-report"),
            Some((ymd(2016, 11, 1), DatePrecision::Month))
        );
        assert_eq!(date_in_url("https://example.org/a/b"), None);
    }

    #[test]
    fn the_first_look_at_a_url_turns_away_no_date() {
        let pieces = [
            "/",
            "\\",
            "\t",
            "\n",
            "\r",
            "19",
            "20",
            "2019",
            "2020",
            "1999",
            "11",
            "5",
            "-",
            "_",
            ".",
            "..",
            "a",
            "%2F",
            "x19",
            "?",
            "#",
            "13",
            "/2014/",
            "/2014-09",
            "/19\t98/0",
            "\\2001\\",
            "/20\n16/",
            "/a/../2017/",
            "/./1998-",
            "/2\t014/09/",
            "/1\n999-1",
        ];
        let mut rng = fastrand::Rng::with_seed(2019);
        let mut dated = 0;
        for _ in 0..50_000 {
            let mut u =
                String::from(["https://ex.org", "http://a.b/c", "ex.org", "/x"][rng.usize(..4)]);
            for _ in 0..rng.usize(1..12) {
                u.push_str(pieces[rng.usize(..pieces.len())]);
            }
            let want = date_in_parsed_url(&u);
            dated += usize::from(want.is_some());
            assert_eq!(date_in_url(&u), want, "{u:?}");
        }
        assert!(dated > 1_000, "dated URLs: {dated}");
    }

    #[test]
    fn year_digits_are_found_as_one_byte_at_a_time_finds_them() {
        let naive = |s: &str| {
            s.as_bytes()
                .windows(4)
                .any(|w| w.iter().all(u8::is_ascii_digit))
        };
        let pieces = [
            "1", "2", "0", "a", " ", "é", "12", "123", "9999", "x1", "\n",
        ];
        let mut rng = fastrand::Rng::with_seed(4);
        let mut years = 0;
        for _ in 0..50_000 {
            let s: String = (0..rng.usize(..16))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            years += usize::from(naive(&s));
            assert_eq!(has_year_digits(&s), naive(&s), "{s:?}");
        }
        assert!(years > 10_000, "texts with a year: {years}");
    }

    #[test]
    fn lines_are_the_standard_librarys_lines_trimmed() {
        let pieces = ["a", "b c", " ", "\n", "\r", "\r\n", "\n\n", "é", "\t"];
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..20_000 {
            let s: String = (0..rng.usize(..12))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let ours: Vec<&str> = lines(&s).map(str::trim).collect();
            let std: Vec<&str> = s.lines().map(str::trim).collect();
            assert_eq!(ours, std, "{s:?}");
        }
    }
}
