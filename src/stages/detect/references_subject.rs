//! A document's own subject (its title or first headings naming one forum) and the contextual references read
//! with it: the units of the text handed to [`crate::detect::context`].

use super::*;

impl ReferenceIndex {
    /// The subject the document's title (or first line) names, and the years the first of them to give any
    /// gives.
    pub(super) fn title_read(
        &self,
        doc: &Document,
        series_ok: bool,
        org_ok: bool,
        names_ok: bool,
    ) -> (Option<Subject>, Vec<YearMark>, bool) {
        // the title, then the first lines when they are short (headings above the text)
        let lines = doc
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(HEADING_LINES)
            .enumerate()
            .filter(|(i, l)| *i == 0 || l.split_whitespace().count() <= HEADING_MAX_WORDS)
            .map(|(_, l)| l);
        let lines: Vec<&str> = lines.collect();
        let joined = lines.join("\n");
        let read = |title: &str| {
            let tokens = crate::textutil::tokenize(title);
            let words: Vec<String> = tokens.iter().map(|t| stem(&t.norm)).collect();
            let mut cues = scan_cues(&self.vocab, &words, series_ok, org_ok);
            drop_unanchored_names(&self.vocab, &words, &mut cues, names_ok);
            let chars: Vec<char> = title.chars().collect();
            let gap = |j: usize| -> String {
                if j == 0 || j >= tokens.len() {
                    return String::new();
                }
                chars[tokens[j - 1].end..tokens[j].start].iter().collect()
            };
            let years = scan_years(&self.vocab, &words, &cues, gap, None);
            let subject = context::subject_of(&self.topics, &self.vocab, &words, &cues, &years);
            (subject, years, cues.contains(&Cue::Series))
        };
        let title = doc.title.as_deref().map(read);
        let headings = read(&joined);
        let subject = title
            .as_ref()
            .and_then(|t| t.0)
            .or_else(|| lines.iter().find_map(|l| read(l).0))
            .or(headings.0);
        // the years of the title, else of the headings
        let title_years = match &title {
            Some(t) if !t.1.is_empty() => t.1.clone(),
            _ => headings.1,
        };
        let single = |marks: &[YearMark]| {
            let ys: std::collections::BTreeSet<i32> =
                marks.iter().flat_map(|m| m.years.iter().copied()).collect();
            (ys.len() == 1).then(|| *ys.iter().next().expect("one year"))
        };
        let subject = subject.map(|s| Subject {
            year: s.year.or_else(|| single(&title_years)),
            ..s
        });
        let title_series = title.as_ref().is_some_and(|t| t.2) || headings.2;
        (subject, title_years, title_series)
    }

    /// Adds the contextual citations (enumerations, a theme's history, a document's own subject) of outputs that
    /// no name already cites in the same place.
    pub(super) fn contextual(
        &self,
        doc: &Document,
        dw: &DocWords<'_>,
        subject: Option<Subject>,
        (title_cue, title_years): (bool, Vec<YearMark>),
        mentions: &mut Vec<Mention>,
    ) {
        let (tokens, chars) = (dw.tokens, &dw.chars);
        let n = tokens.len();
        if n == 0 {
            return;
        }
        let gap = |j: usize| -> &[char] {
            // the characters after word j
            let end = tokens.get(j + 1).map_or(chars.len(), |t| t.start);
            &chars[tokens[j].end.min(end)..end]
        };
        let line_before = |j: usize| -> usize {
            // length of the line that ends after word j
            let mut p = tokens[j].end;
            while p > 0 && chars[p - 1] != '\n' {
                p -= 1;
            }
            tokens[j].end - p
        };
        let mut unit_end = vec![false; n];
        let mut lead_in = vec![false; n];
        let mut clause_end = vec![false; n];
        let mut open_paren = vec![false; n];
        let mut line_start = vec![false; n];
        let mut list_item = vec![false; n];
        for j in 0..n {
            let g = gap(j);
            let newline = g.contains(&'\n');
            let paragraph = g.windows(2).any(|w| w == ['\n', '\n']);
            // "1. " opening a list item ends nothing
            let numbering = tokens[j].norm.len() <= 3
                && tokens[j].norm.bytes().all(|b| b.is_ascii_digit())
                && (j == 0 || chars[tokens[j - 1].end..tokens[j].start].contains(&'\n'));
            let stop = (!numbering
                && g.windows(2)
                    .any(|w| matches!(w[0], '.' | '!' | '?') && w[1].is_whitespace()))
                || (j + 1 == n);
            let colon = g.contains(&':');
            let next_item = newline
                && tokens.get(j + 1).is_some_and(|t| {
                    let mut p = t.start;
                    while p > 0 && chars[p - 1] != '\n' {
                        p -= 1;
                    }
                    let lead: String = chars[p..t.start].iter().collect();
                    let lead = lead.trim();
                    !lead.is_empty() || chars[t.start].is_ascii_digit()
                });
            unit_end[j] =
                paragraph || stop || (newline && (colon || next_item || line_before(j) < 50));
            lead_in[j] = unit_end[j] && colon;
            clause_end[j] = g.iter().any(|c| matches!(c, ',' | ';' | ')')) || unit_end[j];
            if j + 1 < n {
                open_paren[j + 1] = g.contains(&'(');
                line_start[j + 1] = newline;
                // a list item: a bullet before it on its line, or "1." / "2)" opening it
                let lead = g
                    .iter()
                    .rev()
                    .take_while(|c| **c != '\n')
                    .any(|c| matches!(c, '•' | '-' | '*' | '–' | '·' | '▪'));
                let numbered = tokens[j + 1].norm.len() <= 3
                    && tokens[j + 1].norm.bytes().all(|b| b.is_ascii_digit())
                    && tokens.get(j + 2).is_some_and(|t| {
                        chars[tokens[j + 1].end..t.start]
                            .iter()
                            .any(|c| matches!(c, '.' | ')' | '/'))
                    });
                list_item[j + 1] = newline && (lead || numbered);
            }
        }
        let cx = Context {
            words: &dw.words,
            cues: &dw.cues,
            years: &dw.years,
            unit_end: &unit_end,
            lead_in: &lead_in,
            clause_end: &clause_end,
            open_paren: &open_paren,
            line_start: &line_start,
            list_item: &list_item,
            subject,
            title_cue,
            title_years,
        };
        let mut cited = context::cited(&self.topics, &self.vocab, &cx);
        // the subject itself, in its title's year
        if let Some(o) = subject.and_then(|s| self.topics.of_theme(s.theme, s.year?)) {
            cited.push(context::Cited {
                output: o,
                start: 0,
                end: 1,
            });
        }
        let mut seen: Vec<usize> = mentions
            .iter()
            .filter_map(|m| self.ids.iter().position(|id| *id == m.output_id))
            .collect();
        for c in cited {
            if seen.contains(&c.output) {
                continue;
            }
            seen.push(c.output);
            let start = tokens[c.start.min(n - 1)].start;
            let end = tokens[c.end.clamp(1, n) - 1].end;
            mentions.push(Mention {
                doc_id: doc.doc_id.clone(),
                output_id: self.ids[c.output].clone(),
                kind: MentionKind::Context,
                start,
                end,
                snippet: snippet_chars(chars, start, end, SNIPPET_CHARS),
                matched: matched_text(chars, start, end),
                score: CONTEXT_SCORE,
            });
        }
    }
}
