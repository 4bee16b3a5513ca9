//! Analyse: per-output uptake over time (the `uptake` table), the per-output metrics and evidence lists the report
//! draws, the ripple beyond direct uptake ([`ripple`]: generations along links between documents) and uptake by
//! theme. Documents that are copies of a tracked output are not uptake of that output and are left out of its
//! counts; what a copy cites of the *other* outputs is counted (an output citing an earlier one is continuity
//! between forums, part of the ripple), and its evidence says which output it is.
//!
//! Documents on the catalogue's own sites (`Document::is_own`: the publishing organisation's own pages) are
//! detected and kept, and their citing relations stay in `cites` (flagged), but unless `own_counted` they are
//! left out of every count: the uptake, the metrics (first uptake, months to first uptake, sectors...), the
//! ripple (neither its roots nor any later generation) and the themes. Each row says whether they were counted.

pub mod graph;
mod ripple;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::records::{
    Citation, CiteRow, Document, EvidenceKind, Mention, Output, Passage, UptakeRow,
};

pub use ripple::MAX_GENERATIONS;

pub use crate::records::{Analysis, Evidence, OutputMetrics};

/// Computes the uptake table and the per-output metrics, the citations among `docs` taken from their own links;
/// own documents are not counted.
pub fn analyse(
    outputs: &[Output],
    docs: &[Document],
    mentions: &[Mention],
    passages: &[Passage],
) -> Analysis {
    analyse_with_citations(
        outputs,
        docs,
        ripple::citations(docs),
        mentions,
        passages,
        false,
    )
}

/// [`analyse`] with the citations among `docs` given (a run keeps its links in a [`graph::LinkGraph`], not in
/// the documents), counting the own documents (`Document::is_own`) as uptake when `own_counted`.
pub fn analyse_with_citations(
    outputs: &[Output],
    docs: &[Document],
    citations: Vec<Citation>,
    mentions: &[Mention],
    passages: &[Passage],
    own_counted: bool,
) -> Analysis {
    let doc_by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.doc_id.as_str(), d)).collect();
    let is_own = |doc_id: &str| doc_by_id.get(doc_id).is_some_and(|d| d.is_own);
    // what counts as uptake at all: no copy of an output, no own document unless they are counted
    let counts = |doc_id: &str| own_counted || !is_own(doc_id);
    let counted = |doc_id: &str| {
        doc_by_id
            .get(doc_id)
            .is_some_and(|d| d.copy_of.is_none() && (own_counted || !d.is_own))
    };
    // a copy of one output counts for the others it cites
    let counted_for = |doc_id: &str, output_id: &str| {
        doc_by_id
            .get(doc_id)
            .is_some_and(|d| d.copy_of.as_deref() != Some(output_id))
    };
    let year_of = |doc_id: &str| {
        doc_by_id
            .get(doc_id)
            .and_then(|d| d.published.as_ref())
            .map(|p| p.date.year())
    };
    let max_year = docs
        .iter()
        .filter(|d| d.copy_of.is_none())
        .filter_map(|d| d.published.as_ref().map(|p| p.date.year()))
        .max();
    let mut cited_by: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &citations {
        cited_by
            .entry(c.cited_doc_id.as_str())
            .or_default()
            .push(c.doc_id.as_str());
    }
    let mut ripple_rows = Vec::new();
    let mut cites = Vec::new();
    let mut citing_by_output: HashMap<&str, BTreeSet<&str>> = HashMap::new();

    let mut uptake = Vec::new();
    let mut metrics = Vec::new();
    for o in outputs {
        // per year (None = undated): documents, mentions, passages, reused chars (what is counted)
        let mut by_year: BTreeMap<Option<i32>, (BTreeSet<&str>, u64, u64, u64)> = BTreeMap::new();
        // own documents per year, counted or not
        let mut own_by_year: BTreeMap<Option<i32>, BTreeSet<&str>> = BTreeMap::new();
        // every piece of evidence, own documents' included (the `cites` rows keep them, flagged)
        let mut evidence = Vec::new();
        for m in mentions
            .iter()
            .filter(|m| m.output_id == o.id && counted_for(&m.doc_id, &o.id))
        {
            if is_own(&m.doc_id) {
                own_by_year
                    .entry(year_of(&m.doc_id))
                    .or_default()
                    .insert(&m.doc_id);
            }
            if counts(&m.doc_id) {
                let e = by_year.entry(year_of(&m.doc_id)).or_default();
                e.0.insert(&m.doc_id);
                e.1 += 1;
            }
            let mut ev = evidence_for(
                doc_by_id[m.doc_id.as_str()],
                m.kind.into(),
                m.start,
                m.end,
                &m.snippet,
                m.score,
            );
            ev.matched = m.matched.clone();
            evidence.push(ev);
        }
        for p in passages
            .iter()
            .filter(|p| p.output_id == o.id && counted_for(&p.doc_id, &o.id))
        {
            if is_own(&p.doc_id) {
                own_by_year
                    .entry(year_of(&p.doc_id))
                    .or_default()
                    .insert(&p.doc_id);
            }
            if counts(&p.doc_id) {
                let e = by_year.entry(year_of(&p.doc_id)).or_default();
                e.0.insert(&p.doc_id);
                e.2 += 1;
                e.3 += (p.doc_end - p.doc_start) as u64;
            }
            evidence.push(evidence_for(
                doc_by_id[p.doc_id.as_str()],
                EvidenceKind::Reuse,
                p.doc_start,
                p.doc_end,
                &p.snippet,
                p.similarity,
            ));
        }
        // One citing relation per document: the number of mentions and the strongest evidence.
        let mut per_doc: BTreeMap<&str, Vec<&Evidence>> = BTreeMap::new();
        for ev in &evidence {
            per_doc.entry(ev.doc_id.as_str()).or_default().push(ev);
        }
        for (doc_id, evs) in per_doc {
            let best = evs
                .iter()
                .min_by(|a, b| {
                    b.score
                        .total_cmp(&a.score)
                        .then(a.kind.cmp(&b.kind))
                        .then(a.start.cmp(&b.start))
                })
                .expect("at least one piece of evidence");
            cites.push(CiteRow {
                doc_id: doc_id.to_string(),
                output_id: o.id.clone(),
                mentions: evs.iter().filter(|e| e.kind != EvidenceKind::Reuse).count() as u64,
                passages: evs.iter().filter(|e| e.kind == EvidenceKind::Reuse).count() as u64,
                strongest: best.kind,
                best_score: best.score,
                start: best.start,
                snippet: best.snippet.clone(),
                dated_before_output: best.published.is_some_and(|p| p.year() < o.year),
                is_own: is_own(doc_id),
                counted: counts(doc_id),
            });
        }
        // the evidence shown behind the counts is what was counted
        evidence.retain(|e| counts(&e.doc_id));
        evidence.sort_by(|a, b| {
            (a.published.is_none(), a.published, &a.doc_title, a.start).cmp(&(
                b.published.is_none(),
                b.published,
                &b.doc_title,
                b.start,
            ))
        });
        let data_years: Vec<i32> = by_year
            .keys()
            .chain(own_by_year.keys())
            .flatten()
            .copied()
            .collect();
        let first = data_years
            .iter()
            .copied()
            .min()
            .unwrap_or(o.year)
            .min(o.year);
        let last = max_year.unwrap_or(o.year).max(o.year);
        let mut cumulative: BTreeSet<&str> = BTreeSet::new();
        for y in first..=last {
            let (docs_y, m, p, c) = by_year.get(&Some(y)).cloned().unwrap_or_default();
            cumulative.extend(docs_y.iter().copied());
            uptake.push(UptakeRow {
                output_id: o.id.clone(),
                year: Some(y),
                documents: docs_y.len() as u64,
                mentions: m,
                passages: p,
                reused_chars: c,
                cumulative_documents: cumulative.len() as u64,
                own_documents: own_by_year.get(&Some(y)).map_or(0, |d| d.len() as u64),
                own_counted,
            });
        }
        let undated = by_year.get(&None).cloned();
        let own_undated = own_by_year.get(&None).map_or(0, |d| d.len() as u64);
        if undated.is_some() || own_undated > 0 {
            let (docs_n, m, p, c) = undated.clone().unwrap_or_default();
            cumulative.extend(docs_n.iter().copied());
            uptake.push(UptakeRow {
                output_id: o.id.clone(),
                year: None,
                documents: docs_n.len() as u64,
                mentions: m,
                passages: p,
                reused_chars: c,
                cumulative_documents: cumulative.len() as u64,
                own_documents: own_undated,
                own_counted,
            });
        }
        let citing: Vec<&Document> = cumulative.iter().map(|id| doc_by_id[id]).collect();
        let gens = ripple::generations(&cumulative, &cited_by, &|d: &str| counted(d));
        ripple_rows.extend(ripple::ripple_rows(
            &o.id,
            &gens,
            &doc_by_id,
            (first, last),
            own_counted,
        ));
        citing_by_output.insert(o.id.as_str(), cumulative.clone());
        let dated_years: Vec<i32> = citing
            .iter()
            .filter_map(|d| d.published.as_ref().map(|p| p.date.year()))
            .collect();
        let first_uptake = citing
            .iter()
            .filter_map(|d| d.published.as_ref().map(|p| p.date))
            .min();
        let start = o
            .published
            .or_else(|| NaiveDate::from_ymd_opt(o.year, 1, 1));
        let months = match (first_uptake, start) {
            (Some(f), Some(s)) if f >= s => Some(whole_months(s, f)),
            _ => None,
        };
        let mut sectors: BTreeMap<String, u64> = BTreeMap::new();
        for d in &citing {
            let s = d.sector.clone().unwrap_or_else(|| "unclassified".into());
            *sectors.entry(s).or_default() += 1;
        }
        let mut by_sector: Vec<(String, u64)> = sectors.into_iter().collect();
        by_sector.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let distinct = |f: fn(&Document) -> Option<&String>| {
            citing
                .iter()
                .filter_map(|d| f(d))
                .collect::<BTreeSet<_>>()
                .len() as u64
        };
        metrics.push(OutputMetrics {
            output_id: o.id.clone(),
            title: o.title.clone(),
            year: o.year,
            theme: o.theme.clone(),
            documents: citing.len() as u64,
            mentions: by_year.values().map(|v| v.1).sum(),
            passages: by_year.values().map(|v| v.2).sum(),
            reused_chars: by_year.values().map(|v| v.3).sum(),
            undated_documents: undated.map(|u| u.0.len() as u64).unwrap_or(0),
            publishers: distinct(|d| d.publisher.as_ref()),
            sectors: distinct(|d| d.sector.as_ref()),
            countries: distinct(|d| d.country.as_ref()),
            by_sector,
            published: o.published,
            first_uptake,
            months_to_first_uptake: months,
            half_life_years: ripple::half_life(o.year, dated_years.clone()),
            years_active: dated_years.iter().collect::<BTreeSet<_>>().len() as u64,
            first_year: dated_years.iter().copied().min(),
            last_year: dated_years.iter().copied().max(),
            generations: gens.iter().map(|g| g.len() as u64).collect(),
            dated_before_output: citing
                .iter()
                .filter(|d| d.published.as_ref().is_some_and(|p| p.date.year() < o.year))
                .count() as u64,
            // known only to the run, which sets it from the texts it read
            reuse_measured: true,
            evidence,
            own_documents: own_by_year.values().map(|d| d.len() as u64).sum(),
            own_counted,
        });
    }
    let mut themes: BTreeMap<String, (i32, Vec<&str>)> = BTreeMap::new();
    for o in outputs {
        if let Some(t) = &o.theme {
            let e = themes.entry(t.clone()).or_insert((o.year, Vec::new()));
            e.0 = e.0.min(o.year);
            e.1.push(o.id.as_str());
        }
    }
    let theme_rows = ripple::theme_rows(
        &themes,
        &citing_by_output,
        &doc_by_id,
        max_year,
        own_counted,
    );
    Analysis {
        uptake,
        outputs: metrics,
        ripple: ripple_rows,
        themes: theme_rows,
        citations,
        cites,
        copies: docs.iter().filter(|d| d.copy_of.is_some()).count() as u64,
        own_documents: docs.iter().filter(|d| d.is_own).count() as u64,
        own_counted,
    }
}

/// Whole months from `from` to `to` (a month counts once its day of the month is reached).
fn whole_months(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut m = (to.year() - from.year()) as i64 * 12 + to.month() as i64 - from.month() as i64;
    if to.day() < from.day() {
        m -= 1;
    }
    m.max(0)
}

fn evidence_for(
    d: &Document,
    kind: EvidenceKind,
    start: usize,
    end: usize,
    snippet: &str,
    score: f64,
) -> Evidence {
    Evidence {
        doc_id: d.doc_id.clone(),
        doc_title: d.title.clone().unwrap_or_else(|| d.url.clone()),
        url: d.url.clone(),
        published: d.published.as_ref().map(|p| p.date),
        publisher: d.publisher.clone(),
        sector: d.sector.clone(),
        kind,
        start,
        end,
        snippet: snippet.to_string(),
        matched: String::new(),
        score,
        in_output: d.copy_of.clone(),
    }
}

#[cfg(test)]
mod tests;
