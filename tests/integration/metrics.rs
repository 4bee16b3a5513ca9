//! The analysis on a fixture small enough to compute by hand (tests/fixtures/ripple): every metric of the
//! `metrics` table, the generations of the `ripple` table, the `themes` roll-up, the `citations` between documents
//! and the `scorecard`. The expected values are worked out in the comments from the fixture's six documents.

use polars::prelude::*;
use uptake::load;

use super::{describe, fixture, s, uptake};

fn run_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = uptake(&[
        "run",
        "--config",
        s(&fixture("ripple/uptake.toml")),
        "--out",
        s(&out),
        "--report-dir",
        s(&tmp.path().join("reports")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    (tmp, out)
}

/// Column `name` of the row where `key_col` is `key`, as text ("" for null).
fn cell(df: &DataFrame, key_col: &str, key: &str, name: &str) -> String {
    let keys = df.column(key_col).unwrap().str().unwrap().clone();
    let i = keys
        .iter()
        .position(|k| k == Some(key))
        .unwrap_or_else(|| panic!("no row {key}"));
    let v = df.column(name).unwrap().get(i).unwrap();
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

#[test]
fn every_metric_matches_the_hand_computation() {
    let (_tmp, out) = run_fixture();
    let m = load::read_table(&out, "metrics").unwrap();
    let got = |id: &str, col: &str| cell(&m, "output_id", id, col);
    // 2015-widgets (published 2015-11): cited by d1 (2016-03-10, civil society, KE, Alpha), d2 (2017-06-01,
    // government, KE, Beta) and d3 (2019-01-20, academia, GH, Gamma). d4 (2018) links to d1: generation 2;
    // d5 (2020) links to d4: generation 3.
    for (col, want) in [
        ("documents", "3"),
        ("mentions", "3"),
        ("passages", "0"),
        ("publishers", "3"),
        ("sectors", "3"),
        ("countries", "2"),
        ("published", "2015-11-01"),
        ("first_uptake", "2016-03-10"),
        // November 2015 to March 2016: 4 whole months.
        ("months_to_first_uptake", "4"),
        // 3 dated documents: the 2nd arrived in 2017, 2 years after 2015.
        ("half_life_years", "2"),
        ("years_active", "3"),
        ("first_year", "2016"),
        ("last_year", "2019"),
        ("generation_2", "1"),
        ("later_generations", "1"),
        ("generations", "3"),
        ("undated_documents", "0"),
    ] {
        assert_eq!(got("2015-widgets", col), want, "2015-widgets {col}");
    }
    // 2016-widgets (no date: 1 January 2016): cited by d2 (2017-06-01) and d6 (undated, no publisher or sector).
    for (col, want) in [
        ("documents", "2"),
        ("publishers", "1"),
        ("sectors", "1"),
        ("countries", "1"),
        // No catalogue date: the column is empty and months count from 1 January.
        ("published", ""),
        ("first_uptake", "2017-06-01"),
        // January 2016 to June 2017: 17 months.
        ("months_to_first_uptake", "17"),
        ("half_life_years", "1"),
        ("years_active", "1"),
        ("undated_documents", "1"),
        ("generation_2", "0"),
        ("generations", "1"),
    ] {
        assert_eq!(got("2016-widgets", col), want, "2016-widgets {col}");
    }
}

#[test]
fn ripple_themes_citations_and_scorecard_match_the_hand_computation() {
    let (_tmp, out) = run_fixture();
    let sql = |q: &str| {
        let mut df = uptake::query::run_sql(&out, q, "test").unwrap();
        uptake::query::format(&mut df, uptake::query::Format::Csv, "test").unwrap()
    };
    assert_eq!(
        sql("SELECT output_id, generation, year, documents FROM ripple WHERE documents > 0 ORDER BY output_id, generation, year"),
        "output_id,generation,year,documents\n\
         2015-widgets,1,2016,1\n2015-widgets,1,2017,1\n2015-widgets,1,2019,1\n\
         2015-widgets,2,2018,1\n2015-widgets,3,2020,1\n\
         2016-widgets,1,2017,1\n2016-widgets,1,,1\n"
    );
    // Theme Widgets: d1 in 2016, d2 in 2017 (both outputs), d3 in 2019, d6 undated; rows run to 2020, the last
    // year of any document.
    assert_eq!(
        sql("SELECT year, documents, outputs, cumulative_documents FROM themes WHERE theme = 'Widgets' ORDER BY year NULLS LAST"),
        "year,documents,outputs,cumulative_documents\n\
         2015,0,0,0\n2016,1,1,1\n2017,1,2,2\n2018,0,0,2\n2019,1,1,3\n2020,0,0,3\n,1,1,4\n"
    );
    assert_eq!(
        sql("SELECT a.url AS citing, b.url AS cited FROM citations c JOIN documents a ON a.doc_id = c.doc_id JOIN documents b ON b.doc_id = c.cited_doc_id ORDER BY citing"),
        "citing,cited\nhttps://delta.example/d4,https://alpha.example/d1\nhttps://delta.example/d5,https://delta.example/d4\n"
    );
    // 4 meetings (>= 3: yes), 0 messages (no), documented yes, draft no, session yes, output yes; the other row
    // knows nothing and fails nothing.
    assert_eq!(
        sql("SELECT output_id, check_meetings, check_mailing_list, check_process_documented, check_draft_before_meeting, check_session, check_output_published, checks_passed, checks_known FROM scorecard ORDER BY output_id"),
        "output_id,check_meetings,check_mailing_list,check_process_documented,check_draft_before_meeting,check_session,check_output_published,checks_passed,checks_known\n\
         2015-widgets,yes,no,yes,no,yes,yes,4,6\n\
         2016-widgets,unknown,unknown,unknown,unknown,unknown,unknown,0,0\n"
    );
}
