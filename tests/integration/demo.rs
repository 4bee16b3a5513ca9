//! The bundled demo: `uptake run` must give exactly the references, passages, copies, dates and own pages that
//! tests/expected/demo.toml lists, with offsets that point at the right characters of the saved texts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use uptake::load;

use super::run_demo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    doc: Vec<ExpectedDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedDoc {
    path: String,
    #[serde(default)]
    cites: Vec<String>,
    #[serde(default)]
    reuses: Vec<String>,
    #[serde(default)]
    copy_of: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    published_from: Option<String>,
    #[serde(default)]
    sector: Option<String>,
    #[serde(default)]
    contains: Option<String>,
    /// On the catalogue's own sites (intgovforum.org).
    #[serde(default)]
    own: bool,
}

fn rel(location: &str) -> String {
    location
        .split("corpus/")
        .nth(1)
        .unwrap_or(location)
        .replace('\\', "/")
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn demo_gives_exactly_the_expected_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let rep = tmp.path().join("reports");
    run_demo(&out, &rep);

    let expected: Expected =
        toml::from_str(&std::fs::read_to_string("tests/expected/demo.toml").unwrap())
            .expect("expected file parses");
    let docs = load::read_documents(&out).unwrap();
    let mentions = load::read_mentions(&out).unwrap();
    let passages = load::read_passages(&out).unwrap();
    assert_eq!(
        docs.len(),
        expected.doc.len(),
        "every demo document is read"
    );
    assert!(docs.len() >= 25);

    let by_path: BTreeMap<String, &uptake::records::Document> =
        docs.iter().map(|d| (rel(&d.location), d)).collect();
    for e in &expected.doc {
        let d = by_path
            .get(&e.path)
            .unwrap_or_else(|| panic!("{} was not read", e.path));
        let cites: BTreeSet<&str> = mentions
            .iter()
            .filter(|m| m.doc_id == d.doc_id)
            .map(|m| m.output_id.as_str())
            .collect();
        let want: BTreeSet<&str> = e.cites.iter().map(String::as_str).collect();
        assert_eq!(cites, want, "{}: cited outputs", e.path);
        let reuses: BTreeSet<&str> = passages
            .iter()
            .filter(|p| p.doc_id == d.doc_id)
            .map(|p| p.output_id.as_str())
            .collect();
        let want: BTreeSet<&str> = e.reuses.iter().map(String::as_str).collect();
        assert_eq!(reuses, want, "{}: reused outputs", e.path);
        assert_eq!(d.copy_of, e.copy_of, "{}: copy_of", e.path);
        assert_eq!(d.is_own, e.own, "{}: is_own", e.path);
        let published = d.published.as_ref().map(|p| p.date.to_string());
        assert_eq!(published, e.published, "{}: published", e.path);
        let from = d.published.as_ref().map(|p| p.from.clone());
        assert_eq!(from, e.published_from, "{}: published_from", e.path);
        if let Some(sector) = &e.sector {
            assert_eq!(d.sector.as_ref(), Some(sector), "{}: sector", e.path);
        }
        let text =
            std::fs::read_to_string(out.join("text").join(format!("{}.txt", d.doc_id))).unwrap();
        if let Some(c) = &e.contains {
            assert!(text.contains(c), "{}: text lacks {c:?}", e.path);
        }
        // boilerplate is gone from HTML texts
        if e.path.ends_with(".html") {
            for junk in [
                "Accept",
                "All rights reserved",
                "Most read",
                "dataLayer",
                "About us",
            ] {
                assert!(
                    !text.contains(junk),
                    "{}: boilerplate {junk:?} kept",
                    e.path
                );
            }
        }
    }

    // Offsets: each mention's span holds the name or link text; each passage's span shares its words with the
    // output's span, exactly so where the similarity is 1.
    for m in &mentions {
        let text =
            std::fs::read_to_string(out.join("text").join(format!("{}.txt", m.doc_id))).unwrap();
        let span = chars(&text, m.start, m.end);
        assert!(
            !span.trim().is_empty() && m.end > m.start,
            "empty mention span {m:?}"
        );
        assert_eq!(span.trim(), span, "mention span is trimmed: {m:?}");
    }
    for p in &passages {
        let doc_text =
            std::fs::read_to_string(out.join("text").join(format!("{}.txt", p.doc_id))).unwrap();
        let out_text = std::fs::read_to_string(
            out.join("text")
                .join("outputs")
                .join(format!("{}.txt", p.output_id)),
        )
        .unwrap();
        let dw = words(&chars(&doc_text, p.doc_start, p.doc_end));
        let ow = words(&chars(&out_text, p.output_start, p.output_end));
        assert!(dw.len() >= 15, "passage too short: {p:?}");
        if p.similarity >= 1.0 - 1e-9 {
            assert_eq!(
                dw, ow,
                "a passage of similarity 1 is the same words on both sides: {p:?}"
            );
        } else {
            let shared = dw.iter().filter(|w| ow.contains(w)).count();
            assert!(
                shared * 10 >= dw.len() * 7,
                "edited passage shares most words: {p:?}"
            );
        }
        assert!(p.snippet.len() > 50);
    }

    // The uptake table: every output from its year on, the undated document counted in a row without a year,
    // the copy not counted.
    let uptake_rows = load::read_uptake(&out).unwrap();
    let csirt: Vec<_> = uptake_rows
        .iter()
        .filter(|u| u.output_id == "2014-csirt")
        .collect();
    let undated = csirt
        .iter()
        .find(|u| u.year.is_none())
        .expect("undated row for 2014-csirt");
    assert_eq!(undated.documents, 1);
    assert_eq!(undated.cumulative_documents, 3);
    let y2014 = csirt.iter().find(|u| u.year == Some(2014)).unwrap();
    assert_eq!((y2014.documents, y2014.mentions), (1, 2));
    let y2015 = csirt.iter().find(|u| u.year == Some(2015)).unwrap();
    assert_eq!(
        (y2015.documents, y2015.passages, y2015.cumulative_documents),
        (1, 1, 2)
    );
    let gender2016: Vec<_> = uptake_rows
        .iter()
        .filter(|u| u.output_id == "2015-gender" && u.year == Some(2016))
        .collect();
    assert_eq!(
        gender2016[0].documents, 1,
        "the mirror (a copy) is not uptake"
    );
    assert!(uptake_rows
        .iter()
        .any(|u| u.output_id == "2020-local-content" && u.year == Some(2021)));
    // The IGF's own session page is the only document citing 2016-gender: listed, not counted.
    let gender2016_own: Vec<_> = uptake_rows
        .iter()
        .filter(|u| u.output_id == "2016-gender" && u.year == Some(2016))
        .collect();
    assert_eq!(
        (
            gender2016_own[0].documents,
            gender2016_own[0].own_documents,
            gender2016_own[0].own_counted
        ),
        (0, 1, false),
        "the IGF's own page is not uptake"
    );

    // The report and the query results are there.
    for f in [
        "index.html",
        "summary.md",
        "charts/overview.svg",
        "charts/overview.png",
        "charts/2015-gender.svg",
        "charts/2015-gender.png",
    ] {
        assert!(rep.join(f).is_file(), "{f} written");
    }
    assert!(
        rep.join("queries").read_dir().unwrap().count() >= 3,
        "queries/*.sql ran"
    );
}
