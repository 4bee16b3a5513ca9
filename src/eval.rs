//! Evaluation of reference finding against a labelled set: a config whose source is a folder of documents, and an
//! `expected.toml` naming, per document (path relative to that folder), the outputs it cites, whether it is a trap
//! and its publication date. Runs crawl and detection into a temporary folder and scores (document, output) pairs:
//! precision, recall, recall per citation form, false pairs in traps, and dates.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::config::{load_catalogue, Config};
use crate::pipeline::crawl_and_detect;

/// Precision the labelled set must reach.
pub const TARGET_PRECISION: f64 = 0.99;
/// Recall the labelled set must reach.
pub const TARGET_RECALL: f64 = 0.97;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFile {
    doc: Vec<ExpectedDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedDoc {
    path: String,
    /// Where the document was read (labels of third-party pages name it; their text stays outside the repository).
    #[serde(default)]
    #[allow(dead_code)]
    url: Option<String>,
    #[serde(default)]
    form: String,
    /// Every citation form the document uses (`form` is the main one).
    #[serde(default)]
    #[allow(dead_code)]
    forms: Vec<String>,
    /// The labeller's words on a doubtful case.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    cites: Vec<String>,
    #[serde(default)]
    trap: bool,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    published_from: Option<String>,
}

/// The scores of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub documents: usize,
    pub traps: usize,
    pub true_pairs: usize,
    pub false_pairs: usize,
    pub missed_pairs: usize,
    pub precision: f64,
    pub recall: f64,
    pub dates_expected: usize,
    pub dates_right: usize,
    /// Human-readable lines: per-form recall and every error.
    pub report: String,
}

impl Scores {
    /// Whether the targets are met: precision, recall and every expected date.
    pub fn met(&self) -> bool {
        self.precision >= TARGET_PRECISION
            && self.recall >= TARGET_RECALL
            && self.dates_right == self.dates_expected
    }
}

/// Runs the pipeline on the config's sources and scores it against `expected`.
pub fn evaluate(cfg: &Config, expected: &Path) -> Result<Scores> {
    let text = std::fs::read_to_string(expected)
        .with_context(|| format!("cannot read {}", expected.display()))?;
    let want: ExpectedFile = toml::from_str(&text)
        .with_context(|| format!("{} is not a valid labels file", expected.display()))?;
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let known: BTreeSet<&str> = outputs.iter().map(|o| o.id.as_str()).collect();
    for d in &want.doc {
        for c in &d.cites {
            anyhow::ensure!(
                known.contains(c.as_str()),
                "{}: {} cites {c:?}, which is not in the catalogue",
                expected.display(),
                d.path
            );
        }
    }
    let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
    let out = tmp.path();
    let run = crawl_and_detect(cfg, &outputs, out)?;
    let (docs, mentions, passages) = (&run.docs, &run.found.mentions, &run.found.passages);

    let mut report = String::new();
    let (mut tp, mut fp, mut missed) = (0, 0, 0);
    let (mut dates_expected, mut dates_right) = (0, 0);
    let mut by_form: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut errors = Vec::new();
    for e in &want.doc {
        let suffix = format!("/{}", e.path);
        let Some(d) = docs
            .iter()
            .find(|d| d.location.replace('\\', "/").ends_with(&suffix))
        else {
            errors.push(format!("{}: not read (see the skipped table)", e.path));
            missed += e.cites.len();
            continue;
        };
        let got: BTreeSet<&str> = mentions
            .iter()
            .filter(|m| m.doc_id == d.doc_id)
            .map(|m| m.output_id.as_str())
            .chain(
                passages
                    .iter()
                    .filter(|p| p.doc_id == d.doc_id)
                    .map(|p| p.output_id.as_str()),
            )
            .collect();
        let expect: BTreeSet<&str> = e.cites.iter().map(String::as_str).collect();
        let right = got.intersection(&expect).count();
        tp += right;
        let f = by_form.entry(e.form.as_str()).or_default();
        f.0 += right;
        f.1 += expect.len();
        for x in got.difference(&expect) {
            fp += 1;
            errors.push(format!(
                "{}: false {x}{}",
                e.path,
                if e.trap { " (trap)" } else { "" }
            ));
        }
        for x in expect.difference(&got) {
            missed += 1;
            errors.push(format!("{}: missed {x}", e.path));
        }
        if let Some(p) = &e.published {
            dates_expected += 1;
            let date = d.published.as_ref().map(|x| x.date.to_string());
            let from = d.published.as_ref().map(|x| x.from.clone());
            if date.as_deref() == Some(p.as_str())
                && (e.published_from.is_none() || from == e.published_from)
            {
                dates_right += 1;
            } else {
                errors.push(format!(
                    "{}: dated {} from {}, expected {p} from {}",
                    e.path,
                    date.unwrap_or_else(|| "nothing".into()),
                    from.unwrap_or_else(|| "nothing".into()),
                    e.published_from.as_deref().unwrap_or("any")
                ));
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + missed);
    let _ = writeln!(report, "recall by citation form:");
    for (form, (right, total)) in &by_form {
        if *total > 0 {
            let _ = writeln!(report, "  {form:<24} {right}/{total}");
        }
    }
    if errors.is_empty() {
        let _ = writeln!(report, "no errors");
    } else {
        let _ = writeln!(report, "errors:");
        for e in errors {
            let _ = writeln!(report, "  {e}");
        }
    }
    Ok(Scores {
        documents: want.doc.len(),
        traps: want.doc.iter().filter(|d| d.trap).count(),
        true_pairs: tp,
        false_pairs: fp,
        missed_pairs: missed,
        precision,
        recall,
        dates_expected,
        dates_right,
        report,
    })
}
