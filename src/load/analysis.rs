//! The tables of the analysis: `metrics` (one row per output), `ripple` (generations per output and year),
//! `themes` (uptake per theme and year), `citations` (links between corpus documents) and `scorecard` (the
//! functioning checks per output).

use polars::prelude::*;

use super::{date_col, opt_u64_col, str_col, u64_col};
use crate::analyse::OutputMetrics;
use crate::records::{
    Activity, Citation, CiteRow, RippleRow, ThemeMention, ThemeRow, SCORECARD_CHECKS,
};

fn opt_i32_col(name: &str, v: Vec<Option<i32>>) -> Column {
    Series::new(name.into(), v).into()
}

/// The `metrics` table.
pub fn metrics_frame(m: &[OutputMetrics]) -> PolarsResult<DataFrame> {
    let gen = |g: usize| {
        m.iter()
            .map(move |o| o.generations.get(g).copied().unwrap_or(0))
    };
    DataFrame::new(
        m.len(),
        vec![
            str_col(
                "output_id",
                m.iter().map(|o| Some(o.output_id.clone())).collect(),
            ),
            Series::new(
                "year".into(),
                m.iter().map(|o| o.year).collect::<Vec<i32>>(),
            )
            .into(),
            str_col("theme", m.iter().map(|o| o.theme.clone()).collect()),
            u64_col("documents", m.iter().map(|o| o.documents).collect()),
            u64_col("mentions", m.iter().map(|o| o.mentions).collect()),
            u64_col("passages", m.iter().map(|o| o.passages).collect()),
            u64_col("reused_chars", m.iter().map(|o| o.reused_chars).collect()),
            u64_col("publishers", m.iter().map(|o| o.publishers).collect()),
            u64_col("sectors", m.iter().map(|o| o.sectors).collect()),
            u64_col("countries", m.iter().map(|o| o.countries).collect()),
            date_col("published", m.iter().map(|o| o.published).collect())?,
            date_col("first_uptake", m.iter().map(|o| o.first_uptake).collect())?,
            Series::new(
                "months_to_first_uptake".into(),
                m.iter()
                    .map(|o| o.months_to_first_uptake)
                    .collect::<Vec<Option<i64>>>(),
            )
            .into(),
            opt_u64_col(
                "half_life_years",
                m.iter().map(|o| o.half_life_years.map(u64::from)).collect(),
            ),
            u64_col("years_active", m.iter().map(|o| o.years_active).collect()),
            opt_i32_col("first_year", m.iter().map(|o| o.first_year).collect()),
            opt_i32_col("last_year", m.iter().map(|o| o.last_year).collect()),
            u64_col("generation_2", gen(1).collect()),
            u64_col(
                "later_generations",
                m.iter()
                    .map(|o| o.generations.iter().skip(2).sum())
                    .collect(),
            ),
            u64_col(
                "generations",
                m.iter()
                    .map(|o| o.generations.iter().filter(|&&n| n > 0).count() as u64)
                    .collect(),
            ),
            u64_col(
                "undated_documents",
                m.iter().map(|o| o.undated_documents).collect(),
            ),
            u64_col(
                "dated_before_output",
                m.iter().map(|o| o.dated_before_output).collect(),
            ),
        ],
    )
}

/// The `ripple` table.
pub fn ripple_frame(r: &[RippleRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        r.len(),
        vec![
            str_col(
                "output_id",
                r.iter().map(|x| Some(x.output_id.clone())).collect(),
            ),
            u64_col(
                "generation",
                r.iter().map(|x| u64::from(x.generation)).collect(),
            ),
            opt_i32_col("year", r.iter().map(|x| x.year).collect()),
            u64_col("documents", r.iter().map(|x| x.documents).collect()),
            u64_col(
                "cumulative_documents",
                r.iter().map(|x| x.cumulative_documents).collect(),
            ),
        ],
    )
}

/// The `themes` table.
pub fn themes_frame(t: &[ThemeRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        t.len(),
        vec![
            str_col("theme", t.iter().map(|x| Some(x.theme.clone())).collect()),
            opt_i32_col("year", t.iter().map(|x| x.year).collect()),
            u64_col("documents", t.iter().map(|x| x.documents).collect()),
            u64_col("outputs", t.iter().map(|x| x.outputs).collect()),
            u64_col(
                "cumulative_documents",
                t.iter().map(|x| x.cumulative_documents).collect(),
            ),
        ],
    )
}

/// The `citations` table.
pub fn citations_frame(c: &[Citation]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        c.len(),
        vec![
            str_col("doc_id", c.iter().map(|x| Some(x.doc_id.clone())).collect()),
            str_col(
                "cited_doc_id",
                c.iter().map(|x| Some(x.cited_doc_id.clone())).collect(),
            ),
            str_col("url", c.iter().map(|x| Some(x.url.clone())).collect()),
        ],
    )
}

/// The `scorecard` table: the facts of `activity.csv` and the six checks (`yes`, `no`, `unknown`).
pub fn scorecard_frame(a: &[Activity]) -> PolarsResult<DataFrame> {
    let count = |f: fn(&Activity) -> Option<u32>| a.iter().map(|x| f(x).map(u64::from)).collect();
    let checks: Vec<[crate::records::Check; 6]> = a.iter().map(Activity::checks).collect();
    let mut cols = vec![
        str_col(
            "output_id",
            a.iter().map(|x| Some(x.output_id.clone())).collect(),
        ),
        opt_u64_col("open_virtual_meetings", count(|x| x.open_virtual_meetings)),
        opt_u64_col(
            "mailing_list_subscribers",
            count(|x| x.mailing_list_subscribers),
        ),
        opt_u64_col("mailing_list_messages", count(|x| x.mailing_list_messages)),
    ];
    let names = [
        "check_meetings",
        "check_mailing_list",
        "check_process_documented",
        "check_draft_before_meeting",
        "check_session",
        "check_output_published",
    ];
    debug_assert_eq!(names.len(), SCORECARD_CHECKS.len());
    for (i, name) in names.iter().enumerate() {
        cols.push(str_col(
            name,
            checks
                .iter()
                .map(|c| Some(c[i].as_str().to_string()))
                .collect(),
        ));
    }
    let tally = |want: fn(crate::records::Check) -> bool| {
        checks
            .iter()
            .map(|c| c.iter().filter(|x| want(**x)).count() as u64)
            .collect()
    };
    cols.push(u64_col(
        "checks_passed",
        tally(|c| c == crate::records::Check::Pass),
    ));
    cols.push(u64_col(
        "checks_known",
        tally(|c| c != crate::records::Check::Unknown),
    ));
    cols.push(str_col(
        "sources",
        a.iter().map(|x| Some(x.sources.clone())).collect(),
    ));
    DataFrame::new(a.len(), cols)
}

/// The `cites` table: one row per (document, output).
pub fn cites_frame(c: &[CiteRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        c.len(),
        vec![
            str_col("doc_id", c.iter().map(|x| Some(x.doc_id.clone())).collect()),
            str_col(
                "output_id",
                c.iter().map(|x| Some(x.output_id.clone())).collect(),
            ),
            u64_col("mentions", c.iter().map(|x| x.mentions).collect()),
            u64_col("passages", c.iter().map(|x| x.passages).collect()),
            str_col(
                "strongest",
                c.iter().map(|x| Some(x.strongest.clone())).collect(),
            ),
            Series::new(
                "best_score".into(),
                c.iter().map(|x| x.best_score).collect::<Vec<f64>>(),
            )
            .into(),
            u64_col("start", c.iter().map(|x| x.start as u64).collect()),
            str_col(
                "snippet",
                c.iter().map(|x| Some(x.snippet.clone())).collect(),
            ),
            Series::new(
                "dated_before_output".into(),
                c.iter()
                    .map(|x| x.dated_before_output)
                    .collect::<Vec<bool>>(),
            )
            .into(),
        ],
    )
}

/// The `theme_mentions` table: shared names found without a year to choose an output.
pub fn theme_mentions_frame(t: &[ThemeMention]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        t.len(),
        vec![
            str_col("doc_id", t.iter().map(|x| Some(x.doc_id.clone())).collect()),
            str_col("theme", t.iter().map(|x| Some(x.theme.clone())).collect()),
            str_col(
                "candidates",
                t.iter().map(|x| Some(x.candidates.join(" "))).collect(),
            ),
            u64_col("start", t.iter().map(|x| x.start as u64).collect()),
            u64_col("end", t.iter().map(|x| x.end as u64).collect()),
            str_col(
                "snippet",
                t.iter().map(|x| Some(x.snippet.clone())).collect(),
            ),
            str_col(
                "matched",
                t.iter().map(|x| Some(x.matched.clone())).collect(),
            ),
        ],
    )
}
