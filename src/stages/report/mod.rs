//! Report: what a MAG member reads first. Charts (plotters, SVG and PNG), `index.html` that opens from disk with
//! no network and links every figure to its evidence, and `summary.md` for the annual report. Each format is one
//! file behind [`ReportFormat`]; all of them draw from one [`ReportInput`] and recompute nothing.

mod charts;
pub mod coverage;
mod html;
mod markdown;

use std::path::{Path, PathBuf};

use crate::records::Analysis;
use crate::records::{Activity, CiteRow, CrawlLogRow, Document, Skipped, ThemeMention};

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
    /// The publishing organisation's own sites, as the catalogue writes them (`own_sites`; empty when none).
    pub own_sites: Vec<String>,
    /// The organisation's acronym or name as written ("IGF"), from the vocabulary, if it gives one.
    pub organisation: Option<String>,
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

    /// The title of the section listing the own documents: "The IGF's own follow-up", or "Own follow-up" when the
    /// vocabulary names no organisation.
    pub fn own_heading(&self) -> String {
        match self.organisation_possessive() {
            Some(whose) => format!("The {whose} own follow-up"),
            None => "Own follow-up".into(),
        }
    }

    /// Whose the own pages are: "the IGF's", or "the publisher's" when the vocabulary names no organisation.
    pub fn own_whose(&self) -> String {
        match self.organisation_possessive() {
            Some(whose) => format!("the {whose}"),
            None => "the publisher's".into(),
        }
    }

    /// "IGF's" ("United Nations'"), when the vocabulary names the organisation.
    fn organisation_possessive(&self) -> Option<String> {
        let org = self.organisation.as_deref().map(str::trim)?;
        if org.is_empty() {
            return None;
        }
        Some(if org.ends_with('s') {
            format!("{org}'")
        } else {
            format!("{org}'s")
        })
    }

    /// What every headline number says of the own pages ("own pages of intgovforum.org not counted"); `None` when
    /// the catalogue names no own site.
    pub fn own_scope(&self) -> Option<String> {
        if self.own_sites.is_empty() {
            return None;
        }
        let sites = match self.own_sites.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => String::new(),
        };
        Some(if self.analysis.own_counted {
            format!("own pages of {sites} counted like any other")
        } else {
            format!("own pages of {sites} not counted")
        })
    }

    /// The documents on the own sites that cite or reuse an output, each with its citing relations (the `cites`
    /// rows, kept whether counted or not), oldest first (undated last).
    pub fn own_follow_up(&self) -> Vec<(&Document, Vec<&CiteRow>)> {
        let mut out: Vec<(&Document, Vec<&CiteRow>)> = self
            .documents
            .iter()
            .filter(|d| d.is_own)
            .map(|d| {
                let cites = self
                    .analysis
                    .cites
                    .iter()
                    .filter(|c| c.doc_id == d.doc_id)
                    .collect();
                (d, cites)
            })
            .filter(|(_, cites): &(_, Vec<_>)| !cites.is_empty())
            .collect();
        let date = |d: &Document| d.published.as_ref().map(|p| p.date);
        out.sort_by(|(a, _), (b, _)| {
            (date(a).is_none(), date(a), &a.title, &a.url).cmp(&(
                date(b).is_none(),
                date(b),
                &b.title,
                &b.url,
            ))
        });
        out
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
