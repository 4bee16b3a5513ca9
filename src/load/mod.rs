//! Load: turns records into polars data frames and writes them as Parquet files (through a temporary file and a
//! rename); reads the tables back into records for the later stages. Each table is declared once (`tables.rs`
//! and `analysis.rs`, through the schema layer of `schema.rs`): its columns there are the public data contract,
//! and docs/tables.md's column reference is generated from them ([`tables_markdown`]).

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

mod analysis;
pub mod schema;
mod tables;

pub use analysis::{citations, cites, metrics, ripple, scorecard, theme_mentions, themes};
pub use tables::{
    crawl_log, documents, links, mentions, output_texts, outputs, passages, skipped, uptake, works,
};

use crate::analyse::OutputMetrics;
use crate::fsutil::write_atomic;
use crate::records::{
    Activity, Citation, CiteRow, CrawlLogRow, Document, Link, Mention, Output, Passage, RippleRow,
    Skipped, TextPart, ThemeMention, ThemeRow, UptakeRow, WorkRecord,
};

/// Errors of the load stage; each names the table file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {error}")]
    Polars { path: PathBuf, error: PolarsError },
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{path}: the table is missing; run the earlier stage first (`uptake run` runs them all)"
    )]
    Missing { path: PathBuf },
}

/// Every table, in the order they are written: the one list the writers, `query`, the docs and the tests use.
pub const SCHEMA: &[schema::TableDoc] = &[
    documents::DOC,
    outputs::DOC,
    mentions::DOC,
    passages::DOC,
    uptake::DOC,
    links::DOC,
    skipped::DOC,
    crawl_log::DOC,
    metrics::DOC,
    ripple::DOC,
    themes::DOC,
    citations::DOC,
    scorecard::DOC,
    theme_mentions::DOC,
    cites::DOC,
    output_texts::DOC,
    works::DOC,
];

/// Table names, in the order they are written (those of [`SCHEMA`]).
pub const TABLES: &[&str] = &names::<{ SCHEMA.len() }>();

const fn names<const N: usize>() -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = SCHEMA[i].name;
        i += 1;
    }
    out
}

/// The column reference of docs/tables.md: every table of [`SCHEMA`], from its declaration.
pub fn tables_markdown() -> String {
    schema::markdown(SCHEMA)
}

/// The path of a table in `out_dir`.
pub fn table_path(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join(format!("{name}.parquet"))
}

/// The `documents` table.
pub fn documents_frame(docs: &[Document]) -> PolarsResult<DataFrame> {
    documents::frame(docs)
}

/// The `outputs` table.
pub fn outputs_frame(outputs: &[Output]) -> PolarsResult<DataFrame> {
    outputs::frame(outputs)
}

/// The `mentions` table.
pub fn mentions_frame(m: &[Mention]) -> PolarsResult<DataFrame> {
    mentions::frame(m)
}

/// The `passages` table.
pub fn passages_frame(p: &[Passage]) -> PolarsResult<DataFrame> {
    passages::frame(p)
}

/// The `uptake` table.
pub fn uptake_frame(u: &[UptakeRow]) -> PolarsResult<DataFrame> {
    uptake::frame(u)
}

/// The `links` table: every link found in a document (extra table).
pub fn links_frame(docs: &[Document]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &Link)> = docs
        .iter()
        .flat_map(|d| d.links.iter().map(move |l| (d.doc_id.as_str(), l)))
        .collect();
    links::frame(&rows)
}

/// The `skipped` table: inputs left out, with the stage and the reason (extra table).
pub fn skipped_frame(s: &[Skipped]) -> PolarsResult<DataFrame> {
    skipped::frame(s)
}

/// The `crawl_log` table: one row per URL a crawl of an http source finished in this run.
pub fn crawl_log_frame(rows: &[CrawlLogRow]) -> PolarsResult<DataFrame> {
    crawl_log::frame(rows)
}

/// The `output_texts` table: the parts of each output's own text read in the run.
pub fn output_texts_frame(parts: &[TextPart]) -> PolarsResult<DataFrame> {
    output_texts::frame(parts)
}

/// Reads `output_texts` back; a folder written before the table existed gives none.
pub fn read_output_texts(out_dir: &Path) -> Result<Vec<TextPart>, LoadError> {
    if !table_path(out_dir, output_texts::NAME).is_file() {
        return Ok(Vec::new());
    }
    read_rows(out_dir, output_texts::NAME, output_texts::from_frame)
}

/// The `works` table: the scholarly works `openalex` sources found (empty when there is none).
pub fn works_frame(rows: &[WorkRecord]) -> PolarsResult<DataFrame> {
    works::frame(rows)
}

/// The `metrics` table.
pub fn metrics_frame(m: &[OutputMetrics]) -> PolarsResult<DataFrame> {
    metrics::frame(m)
}

/// The `ripple` table.
pub fn ripple_frame(r: &[RippleRow]) -> PolarsResult<DataFrame> {
    ripple::frame(r)
}

/// The `themes` table.
pub fn themes_frame(t: &[ThemeRow]) -> PolarsResult<DataFrame> {
    themes::frame(t)
}

/// The `citations` table.
pub fn citations_frame(c: &[Citation]) -> PolarsResult<DataFrame> {
    citations::frame(c)
}

/// The `scorecard` table: the facts of `activity.csv` and the six checks (`yes`, `no`, `unknown`).
pub fn scorecard_frame(a: &[Activity]) -> PolarsResult<DataFrame> {
    scorecard::frame(a)
}

/// The `cites` table: one row per (document, output).
pub fn cites_frame(c: &[CiteRow]) -> PolarsResult<DataFrame> {
    cites::frame(c)
}

/// The `theme_mentions` table: shared names found without a year to choose an output.
pub fn theme_mentions_frame(t: &[ThemeMention]) -> PolarsResult<DataFrame> {
    theme_mentions::frame(t)
}

/// Writes a frame to `<out_dir>/<name>.parquet` atomically.
pub fn write_table(
    out_dir: &Path,
    name: &str,
    df: PolarsResult<DataFrame>,
) -> Result<PathBuf, LoadError> {
    let path = table_path(out_dir, name);
    let perr = |error| LoadError::Polars {
        path: path.clone(),
        error,
    };
    let mut df = df.map_err(perr)?;
    crate::fsutil::checkpoint(&format!("table:{name}"));
    let mut buf: Vec<u8> = Vec::new();
    ParquetWriter::new(&mut buf).finish(&mut df).map_err(perr)?;
    write_atomic(&path, &buf).map_err(|error| LoadError::Io {
        path: path.clone(),
        error,
    })?;
    Ok(path)
}

/// Reads `<out_dir>/<name>.parquet`.
pub fn read_table(out_dir: &Path, name: &str) -> Result<DataFrame, LoadError> {
    let path = table_path(out_dir, name);
    if !path.is_file() {
        return Err(LoadError::Missing { path });
    }
    let file = File::open(&path).map_err(|error| LoadError::Io {
        path: path.clone(),
        error,
    })?;
    ParquetReader::new(file)
        .finish()
        .map_err(|error| LoadError::Polars { path, error })
}

fn with_path<T>(out_dir: &Path, name: &str, r: PolarsResult<T>) -> Result<T, LoadError> {
    r.map_err(|error| LoadError::Polars {
        path: table_path(out_dir, name),
        error,
    })
}

/// Reads table `name` and turns it into records with `from_frame`.
fn read_rows<T>(
    out_dir: &Path,
    name: &str,
    from_frame: fn(&DataFrame) -> PolarsResult<Vec<T>>,
) -> Result<Vec<T>, LoadError> {
    let df = read_table(out_dir, name)?;
    with_path(out_dir, name, from_frame(&df))
}

/// Reads the `documents` table alone: documents without their links (the `links` table has them).
pub fn read_document_records(out_dir: &Path) -> Result<Vec<Document>, LoadError> {
    read_rows(out_dir, documents::NAME, documents::from_frame)
}

/// The rows of a slice of the `links` table: each link with its document's id.
pub fn links_from(df: &DataFrame) -> PolarsResult<Vec<(String, Link)>> {
    links::from_frame(df)
}

/// Reads the `documents` table back into records (text empty, links from the `links` table).
pub fn read_documents(out_dir: &Path) -> Result<Vec<Document>, LoadError> {
    let docs = read_document_records(out_dir)?;
    let links = read_rows(out_dir, links::NAME, links::from_frame)?;
    let mut by_id: HashMap<String, Vec<Link>> = HashMap::new();
    for (id, l) in links {
        by_id.entry(id).or_default().push(l);
    }
    Ok(docs
        .into_iter()
        .map(|mut d| {
            d.links = by_id.remove(&d.doc_id).unwrap_or_default();
            d
        })
        .collect())
}

/// Reads the `mentions` table back into records.
pub fn read_mentions(out_dir: &Path) -> Result<Vec<Mention>, LoadError> {
    read_rows(out_dir, mentions::NAME, mentions::from_frame)
}

/// Reads the `passages` table back into records.
pub fn read_passages(out_dir: &Path) -> Result<Vec<Passage>, LoadError> {
    read_rows(out_dir, passages::NAME, passages::from_frame)
}

/// Reads the `uptake` table back into records.
pub fn read_uptake(out_dir: &Path) -> Result<Vec<UptakeRow>, LoadError> {
    read_rows(out_dir, uptake::NAME, uptake::from_frame)
}

/// Reads the `skipped` table back into records.
pub fn read_skipped(out_dir: &Path) -> Result<Vec<Skipped>, LoadError> {
    read_rows(out_dir, skipped::NAME, skipped::from_frame)
}

/// Reads `theme_mentions` back; a folder written before the table existed gives none.
pub fn read_theme_mentions(out_dir: &Path) -> Result<Vec<ThemeMention>, LoadError> {
    if !table_path(out_dir, theme_mentions::NAME).is_file() {
        return Ok(Vec::new());
    }
    read_rows(out_dir, theme_mentions::NAME, theme_mentions::from_frame)
}

/// Reads `crawl_log` back; a folder written before the table existed gives none.
pub fn read_crawl_log(out_dir: &Path) -> Result<Vec<CrawlLogRow>, LoadError> {
    if !table_path(out_dir, crawl_log::NAME).is_file() {
        return Ok(Vec::new());
    }
    read_rows(out_dir, crawl_log::NAME, crawl_log::from_frame)
}

#[cfg(test)]
mod tests;
