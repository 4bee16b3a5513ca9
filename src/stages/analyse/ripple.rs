//! The ripple beyond direct uptake: which documents of the corpus link to which (the citation graph), the
//! generations of documents reached from an output through it, and uptake rolled up by theme.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Datelike;

use crate::records::{Citation, Document, RippleRow, ThemeRow};
use crate::textutil::normalize_url;

/// Most generations followed (generation 1 is direct uptake).
pub const MAX_GENERATIONS: u32 = 10;

/// Every (citing, cited) pair of corpus documents joined by a link; each pair once, with its first link. Links
/// match a document's URL or any of its other URLs after normalisation; a document never cites itself.
pub fn citations(docs: &[Document]) -> Vec<Citation> {
    let mut by_url: HashMap<String, &str> = HashMap::new();
    for d in docs {
        for u in std::iter::once(&d.url).chain(&d.other_urls) {
            if u.starts_with("http") {
                by_url.entry(normalize_url(u)).or_insert(&d.doc_id);
            }
        }
    }
    let mut out = Vec::new();
    for d in docs {
        let mut seen = BTreeSet::new();
        for l in &d.links {
            if let Some(&cited) = by_url.get(&normalize_url(&l.url)) {
                if cited != d.doc_id && seen.insert(cited) {
                    out.push(Citation {
                        doc_id: d.doc_id.clone(),
                        cited_doc_id: cited.to_string(),
                        url: l.url.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The generations reached from `first` (generation 1): generation n+1 holds the counted documents not yet reached
/// that cite a document of generation n.
pub fn generations<'a>(
    first: &BTreeSet<&'a str>,
    cited_by: &HashMap<&'a str, Vec<&'a str>>,
    counted: &dyn Fn(&str) -> bool,
) -> Vec<BTreeSet<&'a str>> {
    let mut gens = vec![first.clone()];
    let mut reached: BTreeSet<&str> = first.clone();
    while gens.len() < MAX_GENERATIONS as usize {
        let last = gens.last().expect("at least one generation");
        let next: BTreeSet<&str> = last
            .iter()
            .flat_map(|d| cited_by.get(d).into_iter().flatten().copied())
            .filter(|d| counted(d) && !reached.contains(d))
            .collect();
        if next.is_empty() {
            break;
        }
        reached.extend(next.iter().copied());
        gens.push(next);
    }
    gens
}

/// Rows per generation and year from `first` to `last`, plus an undated row where a generation has undated
/// documents. Generation 1 always has its rows; later ones only when they exist. `own_counted` says whether the
/// own sites' documents were let into the generations.
pub fn ripple_rows(
    output_id: &str,
    gens: &[BTreeSet<&str>],
    doc_by_id: &HashMap<&str, &Document>,
    (first, last): (i32, i32),
    own_counted: bool,
) -> Vec<RippleRow> {
    let mut rows = Vec::new();
    for (g, docs) in gens.iter().enumerate() {
        let mut per_year: BTreeMap<Option<i32>, u64> = BTreeMap::new();
        for d in docs {
            *per_year.entry(year_of(doc_by_id, d)).or_default() += 1;
        }
        let mut cumulative = 0;
        for y in first..=last {
            let n = per_year.get(&Some(y)).copied().unwrap_or(0);
            cumulative += n;
            rows.push(RippleRow {
                output_id: output_id.to_string(),
                generation: g as u32 + 1,
                year: Some(y),
                documents: n,
                cumulative_documents: cumulative,
                own_counted,
            });
        }
        if let Some(&n) = per_year.get(&None) {
            rows.push(RippleRow {
                output_id: output_id.to_string(),
                generation: g as u32 + 1,
                year: None,
                documents: n,
                cumulative_documents: cumulative + n,
                own_counted,
            });
        }
    }
    rows
}

pub fn year_of(doc_by_id: &HashMap<&str, &Document>, doc_id: &str) -> Option<i32> {
    doc_by_id
        .get(doc_id)
        .and_then(|d| d.published.as_ref())
        .map(|p| p.date.year())
}

/// Uptake per theme and year: `citing` maps each output id to the documents citing or reusing it (generation 1),
/// own documents among them when `own_counted`.
pub fn theme_rows(
    themes: &BTreeMap<String, (i32, Vec<&str>)>,
    citing: &HashMap<&str, BTreeSet<&str>>,
    doc_by_id: &HashMap<&str, &Document>,
    last_year: Option<i32>,
    own_counted: bool,
) -> Vec<ThemeRow> {
    let mut rows = Vec::new();
    for (theme, (first_year, outputs)) in themes {
        let mut per_year: BTreeMap<Option<i32>, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
        for o in outputs {
            for d in citing.get(o).into_iter().flatten() {
                let e = per_year.entry(year_of(doc_by_id, d)).or_default();
                e.0.insert(d);
                e.1.insert(o);
            }
        }
        let first = per_year
            .keys()
            .flatten()
            .copied()
            .min()
            .unwrap_or(*first_year)
            .min(*first_year);
        let last = last_year.unwrap_or(*first_year).max(*first_year);
        let mut cumulative: BTreeSet<&str> = BTreeSet::new();
        for y in first..=last {
            let (docs, outs) = per_year.get(&Some(y)).cloned().unwrap_or_default();
            cumulative.extend(docs.iter().copied());
            rows.push(ThemeRow {
                theme: theme.clone(),
                year: Some(y),
                documents: docs.len() as u64,
                outputs: outs.len() as u64,
                cumulative_documents: cumulative.len() as u64,
                own_counted,
            });
        }
        if let Some((docs, outs)) = per_year.get(&None) {
            cumulative.extend(docs.iter().copied());
            rows.push(ThemeRow {
                theme: theme.clone(),
                year: None,
                documents: docs.len() as u64,
                outputs: outs.len() as u64,
                cumulative_documents: cumulative.len() as u64,
                own_counted,
            });
        }
    }
    rows
}

/// Years from the publication year until at least half of the dated citing documents had appeared.
pub fn half_life(pub_year: i32, mut years: Vec<i32>) -> Option<u32> {
    if years.is_empty() {
        return None;
    }
    years.sort_unstable();
    let half = years.len().div_ceil(2);
    let y = years[half - 1];
    Some((y - pub_year).max(0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_life_is_the_year_half_the_documents_had_come() {
        assert_eq!(half_life(2015, vec![]), None);
        assert_eq!(half_life(2015, vec![2016]), Some(1));
        // 4 documents: the 2nd arrives in 2016.
        assert_eq!(half_life(2015, vec![2019, 2015, 2016, 2020]), Some(1));
        // 3 documents: the 2nd (of 3) arrives in 2018.
        assert_eq!(half_life(2015, vec![2016, 2018, 2021]), Some(3));
        // Documents dated before publication count as year 0.
        assert_eq!(half_life(2015, vec![2013, 2014]), Some(0));
    }
}
