//! Reporting: the report stage. Charts, `index.html` and `summary.md` from a run's records in memory, and the
//! SQL files of the queries folder run over the tables into `queries/<name>.csv`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::{Config, SourceConfig};
use crate::fsutil::write_atomic;
use crate::records::{SkipStage, Skipped};
use crate::report::{self, ReportInput};
use crate::store::Store;

use super::{Run, Summary};

/// Writes the report of `run` into `report`; queries read the tables in `store`.
pub fn report_run(cfg: &Config, run: &mut Run, store: &Store, report: &Path) -> Result<Summary> {
    let mut summary = Summary::default();
    if let Some(qdir) = &cfg.queries_dir {
        run_queries(
            qdir,
            store.dir(),
            report,
            &mut summary.written,
            &mut run.skipped,
        );
    }
    let input = ReportInput {
        analysis: &run.analysis,
        documents: &run.docs,
        skipped: &run.skipped,
        sources: cfg
            .sources
            .iter()
            .map(|s| {
                let kind = match s {
                    SourceConfig::Dir(_) => "dir",
                    SourceConfig::Http(_) => "http",
                    SourceConfig::Wayback(_) => "wayback",
                    SourceConfig::Feed(_) => "feed",
                    SourceConfig::OpenAlex(_) => "openalex",
                    SourceConfig::Warc(_) => "warc",
                };
                (s.name().to_string(), kind.to_string())
            })
            .collect(),
        activity: &run.activity,
        crawl_log: &run.crawl_log,
        theme_mentions: &run.found.theme_mentions,
        own_sites: run.own.sites.names(),
        organisation: run.own.organisation.clone(),
    };
    summary.written.extend(report::write_all(&input, report)?);
    summary.count(run);
    Ok(summary)
}

fn run_queries(
    qdir: &Path,
    out: &Path,
    report: &Path,
    written: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) {
    crate::fsutil::checkpoint("report:queries");
    let Ok(entries) = std::fs::read_dir(qdir) else {
        tracing::warn!(
            "queries folder {} cannot be read; no queries run",
            qdir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for f in files {
        let origin = f.display().to_string();
        let stem: String = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let result = std::fs::read_to_string(&f)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|sql| crate::query::bind(&sql, &[], &origin).map_err(|e| e.to_string()))
            .and_then(|sql| crate::query::run_sql(out, &sql, &origin).map_err(|e| e.to_string()))
            .and_then(|mut df| {
                crate::query::format(&mut df, crate::query::Format::Csv, &origin)
                    .map_err(|e| e.to_string())
            });
        match result {
            Ok(csv) => {
                let path = report.join("queries").join(format!("{stem}.csv"));
                match write_atomic(&path, csv.as_bytes()) {
                    Ok(()) => written.push(path),
                    Err(e) => tracing::warn!("{}: {e}", path.display()),
                }
            }
            Err(reason) => {
                tracing::warn!("query {origin} failed: {reason}");
                skipped.push(Skipped {
                    stage: SkipStage::Query,
                    location: origin,
                    reason,
                });
            }
        }
    }
}
