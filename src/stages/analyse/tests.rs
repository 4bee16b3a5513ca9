//! Own documents in the analysis: kept in `cites` (flagged), left out of the uptake, the metrics, the ripple's
//! roots and later generations, and the themes, unless counted.

use chrono::NaiveDate;

use super::*;
use crate::records::{DatePrecision, Dated, Link, MentionKind};

fn doc(id: &str, url: &str, date: &str, own: bool, links: &[&str]) -> Document {
    Document {
        doc_id: id.into(),
        published: Some(Dated {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            precision: DatePrecision::Day,
            from: "manifest".into(),
        }),
        sector: Some(if own { "intergovernmental" } else { "media" }.into()),
        links: links
            .iter()
            .map(|u| Link {
                url: u.to_string(),
                start: 0,
                end: 1,
            })
            .collect(),
        is_own: own,
        ..Document::from_text(url, String::new())
    }
}

fn mention(doc_id: &str) -> Mention {
    Mention {
        doc_id: doc_id.into(),
        output_id: "o".into(),
        kind: MentionKind::Title,
        start: 0,
        end: 1,
        snippet: String::new(),
        matched: String::new(),
        score: 1.0,
    }
}

/// `own` (2016) and `outside` (2017) cite the output; `own` links to `outside`, `fan` (2018) links to `own`
/// only, `reader` (2019) links to `outside`.
fn analysis(own_counted: bool) -> Analysis {
    let output = Output {
        id: "o".into(),
        year: 2015,
        title: "T".into(),
        theme: Some("Widgets".into()),
        theme_aliases: vec![],
        aliases: vec![],
        urls: vec![],
        texts: Vec::new(),
        published: None,
    };
    let docs = [
        doc(
            "own",
            "https://www.forum.example/s",
            "2016-03-01",
            true,
            &["https://out.example/a"],
        ),
        doc("outside", "https://out.example/a", "2017-03-01", false, &[]),
        doc(
            "fan",
            "https://fan.example/f",
            "2018-03-01",
            false,
            &["https://www.forum.example/s"],
        ),
        doc(
            "reader",
            "https://read.example/r",
            "2019-03-01",
            false,
            &["https://out.example/a"],
        ),
    ];
    let mentions = [mention("own"), mention("outside")];
    analyse_with_citations(
        &[output],
        &docs,
        ripple::citations(&docs),
        &mentions,
        &[],
        own_counted,
    )
}

#[test]
fn own_documents_are_flagged_and_left_out_of_every_count() {
    let a = analysis(false);
    let m = &a.outputs[0];
    assert_eq!((m.documents, m.own_documents, m.own_counted), (1, 1, false));
    assert_eq!(m.first_uptake, NaiveDate::from_ymd_opt(2017, 3, 1));
    assert_eq!(m.months_to_first_uptake, Some(26));
    assert_eq!(m.by_sector, [("media".to_string(), 1)]);
    assert!(m.evidence.iter().all(|e| e.doc_id == "outside"));
    // generation 2 is the reader only: the own page is no root (so `fan` is not reached) and no later generation
    assert_eq!(m.generations, [1, 1]);
    let cites: Vec<(&str, bool, bool)> = a
        .cites
        .iter()
        .map(|c| (c.doc_id.as_str(), c.is_own, c.counted))
        .collect();
    assert_eq!(cites, [("outside", false, true), ("own", true, false)]);
    let y2016 = a.uptake.iter().find(|u| u.year == Some(2016)).unwrap();
    assert_eq!((y2016.documents, y2016.own_documents), (0, 1));
    assert!(a.uptake.iter().all(|u| !u.own_counted));
    assert!(a.ripple.iter().all(|r| !r.own_counted));
    let theme_total = a.themes.iter().map(|t| t.documents).sum::<u64>();
    assert_eq!(theme_total, 1);
    assert!(a.themes.iter().all(|t| !t.own_counted));
    assert_eq!((a.own_documents, a.own_counted), (1, false));
}

#[test]
fn counted_own_documents_are_uptake_like_any_other() {
    let a = analysis(true);
    let m = &a.outputs[0];
    assert_eq!((m.documents, m.own_documents, m.own_counted), (2, 1, true));
    assert_eq!(m.first_uptake, NaiveDate::from_ymd_opt(2016, 3, 1));
    // the own page is a root: `fan` links to it (generation 2), as does `reader` to `outside`
    assert_eq!(m.generations, [2, 2]);
    assert!(a.cites.iter().all(|c| c.counted));
    let y2016 = a.uptake.iter().find(|u| u.year == Some(2016)).unwrap();
    assert_eq!((y2016.documents, y2016.own_documents), (1, 1));
    assert!(a.ripple.iter().all(|r| r.own_counted));
}

#[test]
fn the_uptake_rows_have_the_same_years_counted_or_not() {
    let years = |a: &Analysis| a.uptake.iter().map(|u| u.year).collect::<Vec<_>>();
    assert_eq!(years(&analysis(false)), years(&analysis(true)));
}
