//! The tables of the analysis, declared once each: `metrics` (one row per output), `ripple` (generations per
//! output and year), `themes` (uptake per theme and year), `citations` (links between corpus documents),
//! `scorecard` (the functioning checks per output), `theme_mentions` (shared names without a year) and `cites`
//! (one row per document and output it cites).

use super::schema::table;
use crate::analyse::OutputMetrics;
use crate::records::{
    Activity, Check, Citation, CiteRow, EvidenceKind, RippleRow, ThemeMention, ThemeRow,
};

table! {
    /// One row per output (copies of outputs excluded from every count; documents on the catalogue's
    /// `own_sites` too, unless `own_counted`).
    pub mod metrics = "metrics" for o: OutputMetrics;
    {
        /// from the catalogue
        "output_id": Str = &o.output_id;
        /// from the catalogue
        "year": I32 = o.year;
        /// from the catalogue
        "theme": OptStr = o.theme.as_deref();
        /// distinct citing documents over all years (as in `uptake`)
        "documents": U64 = o.documents;
        /// mentions over all years
        "mentions": U64 = o.mentions;
        /// reused passages over all years
        "passages": U64 = o.passages;
        /// characters of the documents inside reused passages, over all years
        "reused_chars": U64 = o.reused_chars;
        /// distinct publishers of the citing documents, where known: the breadth the seed calls "enlarging the
        /// IGF footprint"
        "publishers": U64 = o.publishers;
        /// distinct sectors of the citing documents, where known
        "sectors": U64 = o.sectors;
        /// distinct countries of the citing documents, where known
        "countries": U64 = o.countries;
        /// the catalogue's publication date
        "published": OptDate = o.published;
        /// the earliest dated citing document
        "first_uptake": OptDate = o.first_uptake;
        /// whole months from `published` (else 1 January of `year`) to `first_uptake`; null when the first is
        /// dated earlier
        "months_to_first_uptake": OptI64 = o.months_to_first_uptake;
        /// years from `year` until half of the dated citing documents had appeared (the ⌈n/2⌉-th, in date
        /// order)
        "half_life_years": OptU64 = o.half_life_years.map(u64::from);
        /// distinct years with a citing document
        "years_active": U64 = o.years_active;
        /// the first such year
        "first_year": OptI32 = o.first_year;
        /// the last such year
        "last_year": OptI32 = o.last_year;
        /// documents that link to a citing document without citing the output themselves
        "generation_2": U64 = o.generations.get(1).copied().unwrap_or(0);
        /// documents of generation 3 and later (each links to one of the generation before)
        "later_generations": U64 = o.generations.iter().skip(2).sum();
        /// how many generations have documents
        "generations": U64 = o.generations.iter().filter(|&&n| n > 0).count() as u64;
        /// citing documents without a date
        "undated_documents": U64 = o.undated_documents;
        /// citing documents dated before the output's year (flagged: a wrong date or match)
        "dated_before_output": U64 = o.dated_before_output;
        /// whether the run had the output's own text (`output_texts`); when false, `passages` and `reused_chars`
        /// are not measured (unknown, not zero)
        "reuse_measured": Bool = o.reuse_measured;
        /// whether documents on the catalogue's `own_sites` are counted in every number of the row (`count_own`)
        "own_counted": Bool = o.own_counted;
        /// documents on the own sites citing or reusing the output, counted or not
        "own_documents": U64 = o.own_documents;
    }
}

table! {
    /// One row per output, generation and year. Generation 1 is direct uptake (the `uptake` table's documents);
    /// generation n+1 holds the documents not reached before that link to a document of generation n. Links are
    /// matched after URL normalisation against each document's URL and `other_urls`; at most 10 generations are
    /// followed.
    pub mod ripple = "ripple" for r: RippleRow;
    {
        /// the output
        "output_id": Str = &r.output_id;
        /// 1 for direct uptake, n+1 for documents linking to generation n
        "generation": U64 = u64::from(r.generation);
        /// the year; null for undated documents
        "year": OptI32 = r.year;
        /// documents of that generation that year
        "documents": U64 = r.documents;
        /// documents of the generation up to and including the year (on the null-year row: all of them)
        "cumulative_documents": U64 = r.cumulative_documents;
        /// whether documents on the catalogue's `own_sites` are counted, as roots and in every generation
        "own_counted": Bool = r.own_counted;
    }
}

table! {
    /// One row per theme and year.
    pub mod themes = "themes" for t: ThemeRow;
    {
        /// the theme
        "theme": Str = &t.theme;
        /// the year; null for undated documents
        "year": OptI32 = t.year;
        /// distinct documents citing or reusing any output of the theme
        "documents": U64 = t.documents;
        /// outputs of the theme taken up that year
        "outputs": U64 = t.outputs;
        /// distinct documents up to and including the year
        "cumulative_documents": U64 = t.cumulative_documents;
        /// whether documents on the catalogue's `own_sites` are counted
        "own_counted": Bool = t.own_counted;
    }
}

table! {
    /// Links between corpus documents: the edges ripples follow.
    pub mod citations = "citations" for c: Citation;
    {
        /// the citing document
        "doc_id": Str = &c.doc_id;
        /// the corpus document it links to
        "cited_doc_id": Str = &c.cited_doc_id;
        /// the link as written in the citing document
        "url": Str = &c.url;
    }
}

table! {
    /// One row per line of the activity file: its facts and the six checks of the functioning scorecard, each
    /// `yes`, `no` or `unknown`.
    pub mod scorecard = "scorecard" for a: Activity;
    {
        /// the output
        "output_id": Str = &a.output_id;
        /// open virtual meetings held
        "open_virtual_meetings": OptU64 = a.open_virtual_meetings.map(u64::from);
        /// subscribers of the mailing list
        "mailing_list_subscribers": OptU64 = a.mailing_list_subscribers.map(u64::from);
        /// messages on the mailing list
        "mailing_list_messages": OptU64 = a.mailing_list_messages.map(u64::from);
        /// at least 3 open virtual meetings: `yes`, `no` or `unknown`
        "check_meetings": Name<Check> = a.checks()[0];
        /// an active mailing list (stated, else any messages): `yes`, `no` or `unknown`
        "check_mailing_list": Name<Check> = a.checks()[1];
        /// the process documented on the IGF website: `yes`, `no` or `unknown`
        "check_process_documented": Name<Check> = a.checks()[2];
        /// a draft published before the annual meeting: `yes`, `no` or `unknown`
        "check_draft_before_meeting": Name<Check> = a.checks()[3];
        /// a session at the annual meeting: `yes`, `no` or `unknown`
        "check_session": Name<Check> = a.checks()[4];
        /// the final output published: `yes`, `no` or `unknown`
        "check_output_published": Name<Check> = a.checks()[5];
        /// checks known to pass
        "checks_passed": U64 = a.checks().iter().filter(|&&c| c == Check::Pass).count() as u64;
        /// checks whose answer is known
        "checks_known": U64 = a.checks().iter().filter(|&&c| c != Check::Unknown).count() as u64;
        /// where the facts come from
        "sources": Str = &a.sources;
    }
}

table! {
    /// Names several outputs share, found with the forum named but no year to choose one. They are not counted
    /// as uptake of any output.
    pub mod theme_mentions = "theme_mentions" for t: ThemeMention, read ThemeMention = ThemeMention::default();
    {
        /// the document
        "doc_id": Str = &t.doc_id, read |t, v| t.doc_id = v;
        /// the theme of the candidate outputs
        "theme": Str = &t.theme, read |t, v| t.theme = v;
        /// every output the name could mean (space-separated output ids; kept beside `candidate_list`)
        "candidates": Str = t.candidates.join(" "),
            read |t, v| t.candidates = v.split_whitespace().map(str::to_string).collect();
        /// where the name starts in the document's text
        "start": U64 = t.start as u64, read |t, v| t.start = v as usize;
        /// where it ends
        "end": U64 = t.end as u64, read |t, v| t.end = v as usize;
        /// the span with the text around it
        "snippet": Str = &t.snippet, read |t, v| t.snippet = v;
        /// the matched words themselves
        "matched": Str = &t.matched, read |t, v| t.matched = v;
        /// the output ids of `candidates` as a list
        "candidate_list": ListStr = &t.candidates;
    }
}

table! {
    /// One row per document and output it cites or reuses.
    pub mod cites = "cites" for c: CiteRow;
    {
        /// the citing document
        "doc_id": Str = &c.doc_id;
        /// the output
        "output_id": Str = &c.output_id;
        /// mentions of the output in the document
        "mentions": U64 = c.mentions;
        /// passages of the output reused in the document
        "passages": U64 = c.passages;
        /// the kind of the strongest evidence: `title`, `alias`, `link`, `theme_year`, `context` or `reuse`
        "strongest": Name<EvidenceKind> = c.strongest;
        /// its score (match score or passage similarity)
        "best_score": F64 = c.best_score;
        /// where it starts in the document's text
        "start": U64 = c.start as u64;
        /// the text around it
        "snippet": Str = &c.snippet;
        /// the document is dated before the output's year (flagged: a wrong date or a wrong match)
        "dated_before_output": Bool = c.dated_before_output;
        /// the document is on one of the catalogue's `own_sites` (the row is kept, counted only when own
        /// documents are)
        "is_own": Bool = c.is_own;
        /// whether the relation is counted in `uptake`, `metrics`, `ripple` and `themes`: false for an own
        /// document unless `count_own`
        "counted": Bool = c.counted;
    }
}
