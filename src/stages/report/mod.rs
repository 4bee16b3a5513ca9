//! Report: what a MAG member reads first. Charts (plotters, SVG and PNG), `index.html` that opens from disk with
//! no network and links every figure to its evidence, and `summary.md` for the annual report. Each format is one
//! file behind [`ReportFormat`]; all of them draw from one [`ReportInput`] and recompute nothing.

mod charts;
pub mod coverage;
mod html;
mod markdown;

use std::path::{Path, PathBuf};

use crate::records::Analysis;
use crate::records::{Activity, CrawlLogRow, Document, Skipped, ThemeMention};

/// Errors of the report stage; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {message}")]
    Chart { path: PathBuf, message: String },
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Everything a report is drawn from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    pub analysis: &'a Analysis,
    pub documents: &'a [Document],
    pub skipped: &'a [Skipped],
    /// Names of the sources read, with their kinds.
    pub sources: Vec<(String, String)>,
    /// The functioning facts per output (`activity.csv`); empty when none are given.
    pub activity: &'a [Activity],
    /// What the crawl of http sources did, URL by URL (empty without http sources).
    pub crawl_log: &'a [CrawlLogRow],
    /// Shared names found with the forum named but no year: uptake of a theme, not of one output.
    pub theme_mentions: &'a [ThemeMention],
}

impl ReportInput<'_> {
    /// Outputs with any uptake.
    pub fn taken_up(&self) -> usize {
        self.analysis
            .outputs
            .iter()
            .filter(|o| o.documents > 0)
            .count()
    }
    /// Documents citing or reusing any output, per sector of the publisher (`unclassified` when unknown), most
    /// first.
    pub fn sector_shares(&self) -> Vec<(String, u64)> {
        let citing: std::collections::BTreeSet<&str> = self
            .analysis
            .outputs
            .iter()
            .flat_map(|o| o.evidence.iter().map(|e| e.doc_id.as_str()))
            .collect();
        let mut by: std::collections::BTreeMap<String, u64> = Default::default();
        for d in self
            .documents
            .iter()
            .filter(|d| citing.contains(d.doc_id.as_str()))
        {
            let s = d.sector.clone().unwrap_or_else(|| "unclassified".into());
            *by.entry(s).or_default() += 1;
        }
        let mut v: Vec<(String, u64)> = by.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Distinct documents that cite or reuse any output.
    pub fn citing_documents(&self) -> usize {
        let mut ids: Vec<&str> = self
            .analysis
            .outputs
            .iter()
            .flat_map(|o| o.evidence.iter().map(|e| e.doc_id.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

/// One output format of the report.
pub trait ReportFormat {
    /// Short name for messages.
    fn name(&self) -> &'static str;
    /// Writes this format's files into `dir` and returns their paths.
    fn write(&self, input: &ReportInput, dir: &Path) -> Result<Vec<PathBuf>, ReportError>;
}

/// Every format, charts first (the HTML links them).
pub fn formats() -> Vec<Box<dyn ReportFormat>> {
    vec![
        Box::new(charts::Charts),
        Box::new(html::HtmlReport),
        Box::new(markdown::MarkdownSummary),
    ]
}

/// Writes every format into `dir`.
pub fn write_all(input: &ReportInput, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::new();
    for f in formats() {
        tracing::debug!("writing the {} report", f.name());
        crate::fsutil::checkpoint(&format!("report:{}", f.name()));
        written.extend(f.write(input, dir)?);
    }
    Ok(written)
}

fn write_file(path: &Path, text: &str) -> Result<PathBuf, ReportError> {
    crate::fsutil::write_atomic(path, text.as_bytes()).map_err(|error| ReportError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(path.to_path_buf())
}
