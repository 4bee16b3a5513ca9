//! Load: turns records into polars data frames and writes them as Parquet files (through a temporary file and a
//! rename); reads the tables back into records for the later stages. The column lists here are the public data
//! contract documented in docs/tables.md.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

mod analysis;
pub use analysis::{
    citations_frame, cites_frame, metrics_frame, ripple_frame, scorecard_frame,
    theme_mentions_frame, themes_frame,
};

use crate::fsutil::write_atomic;
use crate::records::{
    CrawlLogRow, DatePrecision, Dated, Document, Link, Mention, MentionKind, Output, Passage,
    Skipped, ThemeMention, UptakeRow,
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

/// Table names, in the order they are written.
pub const TABLES: &[&str] = &[
    "documents",
    "outputs",
    "mentions",
    "passages",
    "uptake",
    "links",
    "skipped",
    "crawl_log",
    "metrics",
    "ripple",
    "themes",
    "citations",
    "scorecard",
    "theme_mentions",
    "cites",
];

/// The path of a table in `out_dir`.
pub fn table_path(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join(format!("{name}.parquet"))
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

pub(crate) fn str_col(name: &str, v: Vec<Option<String>>) -> Column {
    Series::new(name.into(), v).into()
}
pub(crate) fn u64_col(name: &str, v: Vec<u64>) -> Column {
    Series::new(name.into(), v).into()
}

pub(crate) fn date_col(name: &str, v: Vec<Option<NaiveDate>>) -> PolarsResult<Column> {
    let days: Vec<Option<i32>> = v
        .into_iter()
        .map(|d| d.map(|d| (d - epoch()).num_days() as i32))
        .collect();
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

/// The `documents` table.
pub fn documents_frame(docs: &[Document]) -> PolarsResult<DataFrame> {
    let n = docs.len();
    DataFrame::new(
        n,
        vec![
            str_col(
                "doc_id",
                docs.iter().map(|d| Some(d.doc_id.clone())).collect(),
            ),
            str_col(
                "source",
                docs.iter().map(|d| Some(d.source.clone())).collect(),
            ),
            str_col("url", docs.iter().map(|d| Some(d.url.clone())).collect()),
            str_col("title", docs.iter().map(|d| d.title.clone()).collect()),
            str_col(
                "publisher",
                docs.iter().map(|d| d.publisher.clone()).collect(),
            ),
            str_col("sector", docs.iter().map(|d| d.sector.clone()).collect()),
            str_col("country", docs.iter().map(|d| d.country.clone()).collect()),
            str_col(
                "sector_from",
                docs.iter().map(|d| d.sector_from.clone()).collect(),
            ),
            str_col(
                "extract_key",
                docs.iter().map(|d| d.extract_key.clone()).collect(),
            ),
            date_col(
                "published",
                docs.iter()
                    .map(|d| d.published.as_ref().map(|p| p.date))
                    .collect(),
            )?,
            str_col(
                "published_from",
                docs.iter()
                    .map(|d| d.published.as_ref().map(|p| p.from.clone()))
                    .collect(),
            ),
            str_col(
                "published_precision",
                docs.iter()
                    .map(|d| {
                        d.published
                            .as_ref()
                            .map(|p| p.precision.as_str().to_string())
                    })
                    .collect(),
            ),
            str_col(
                "content_type",
                docs.iter().map(|d| Some(d.content_type.clone())).collect(),
            ),
            u64_col(
                "chars",
                docs.iter()
                    .map(|d| d.text_chars.unwrap_or_else(|| d.text.chars().count()) as u64)
                    .collect(),
            ),
            str_col("copy_of", docs.iter().map(|d| d.copy_of.clone()).collect()),
            str_col(
                "location",
                docs.iter().map(|d| Some(d.location.clone())).collect(),
            ),
            str_col(
                "linked_from",
                docs.iter().map(|d| d.linked_from.clone()).collect(),
            ),
            str_col(
                "other_urls",
                docs.iter()
                    .map(|d| Some(d.other_urls.join(" ")).filter(|s| !s.is_empty()))
                    .collect(),
            ),
        ],
    )
}

/// The `outputs` table.
pub fn outputs_frame(outputs: &[Output]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        outputs.len(),
        vec![
            str_col("id", outputs.iter().map(|o| Some(o.id.clone())).collect()),
            Series::new(
                "year".into(),
                outputs.iter().map(|o| o.year).collect::<Vec<i32>>(),
            )
            .into(),
            str_col(
                "title",
                outputs.iter().map(|o| Some(o.title.clone())).collect(),
            ),
            str_col("theme", outputs.iter().map(|o| o.theme.clone()).collect()),
            str_col(
                "aliases",
                outputs
                    .iter()
                    .map(|o| Some(o.aliases.join(" | ")))
                    .collect(),
            ),
            str_col(
                "urls",
                outputs.iter().map(|o| Some(o.urls.join(" "))).collect(),
            ),
            date_col("published", outputs.iter().map(|o| o.published).collect())?,
            Series::new(
                "has_text".into(),
                outputs
                    .iter()
                    .map(|o| o.text_path.is_some())
                    .collect::<Vec<bool>>(),
            )
            .into(),
        ],
    )
}

/// The `mentions` table.
pub fn mentions_frame(m: &[Mention]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        m.len(),
        vec![
            str_col("doc_id", m.iter().map(|x| Some(x.doc_id.clone())).collect()),
            str_col(
                "output_id",
                m.iter().map(|x| Some(x.output_id.clone())).collect(),
            ),
            str_col(
                "kind",
                m.iter()
                    .map(|x| Some(x.kind.as_str().to_string()))
                    .collect(),
            ),
            u64_col("start", m.iter().map(|x| x.start as u64).collect()),
            u64_col("end", m.iter().map(|x| x.end as u64).collect()),
            str_col(
                "snippet",
                m.iter().map(|x| Some(x.snippet.clone())).collect(),
            ),
            str_col(
                "matched",
                m.iter().map(|x| Some(x.matched.clone())).collect(),
            ),
            Series::new(
                "score".into(),
                m.iter().map(|x| x.score).collect::<Vec<f64>>(),
            )
            .into(),
        ],
    )
}

/// The `passages` table.
pub fn passages_frame(p: &[Passage]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        p.len(),
        vec![
            str_col("doc_id", p.iter().map(|x| Some(x.doc_id.clone())).collect()),
            str_col(
                "output_id",
                p.iter().map(|x| Some(x.output_id.clone())).collect(),
            ),
            u64_col("doc_start", p.iter().map(|x| x.doc_start as u64).collect()),
            u64_col("doc_end", p.iter().map(|x| x.doc_end as u64).collect()),
            u64_col(
                "output_start",
                p.iter().map(|x| x.output_start as u64).collect(),
            ),
            u64_col(
                "output_end",
                p.iter().map(|x| x.output_end as u64).collect(),
            ),
            Series::new(
                "similarity".into(),
                p.iter().map(|x| x.similarity).collect::<Vec<f64>>(),
            )
            .into(),
            str_col(
                "snippet",
                p.iter().map(|x| Some(x.snippet.clone())).collect(),
            ),
            u64_col("blocks", p.iter().map(|x| x.blocks as u64).collect()),
            Series::new(
                "best_source".into(),
                p.iter().map(|x| x.best_source).collect::<Vec<bool>>(),
            )
            .into(),
        ],
    )
}

/// The `uptake` table.
pub fn uptake_frame(u: &[UptakeRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        u.len(),
        vec![
            str_col(
                "output_id",
                u.iter().map(|x| Some(x.output_id.clone())).collect(),
            ),
            Series::new(
                "year".into(),
                u.iter().map(|x| x.year).collect::<Vec<Option<i32>>>(),
            )
            .into(),
            u64_col("documents", u.iter().map(|x| x.documents).collect()),
            u64_col("mentions", u.iter().map(|x| x.mentions).collect()),
            u64_col("passages", u.iter().map(|x| x.passages).collect()),
            u64_col("reused_chars", u.iter().map(|x| x.reused_chars).collect()),
            u64_col(
                "cumulative_documents",
                u.iter().map(|x| x.cumulative_documents).collect(),
            ),
        ],
    )
}

/// The `links` table: every link found in a document (extra table).
pub fn links_frame(docs: &[Document]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &Link)> = docs
        .iter()
        .flat_map(|d| d.links.iter().map(move |l| (d.doc_id.as_str(), l)))
        .collect();
    DataFrame::new(
        rows.len(),
        vec![
            str_col(
                "doc_id",
                rows.iter().map(|r| Some(r.0.to_string())).collect(),
            ),
            str_col("url", rows.iter().map(|r| Some(r.1.url.clone())).collect()),
            u64_col("start", rows.iter().map(|r| r.1.start as u64).collect()),
            u64_col("end", rows.iter().map(|r| r.1.end as u64).collect()),
        ],
    )
}

/// The `skipped` table: inputs left out, with the stage and the reason (extra table).
pub fn skipped_frame(s: &[Skipped]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        s.len(),
        vec![
            str_col("stage", s.iter().map(|x| Some(x.stage.clone())).collect()),
            str_col(
                "location",
                s.iter().map(|x| Some(x.location.clone())).collect(),
            ),
            str_col("reason", s.iter().map(|x| Some(x.reason.clone())).collect()),
        ],
    )
}

/// The `crawl_log` table: one row per URL a crawl of an http source finished in this run.
pub fn crawl_log_frame(rows: &[CrawlLogRow]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&CrawlLogRow) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let u = |f: fn(&CrawlLogRow) -> Option<u64>| rows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new(
        rows.len(),
        vec![
            str_col("source", s(|r| Some(r.source.clone()))),
            str_col("url", s(|r| Some(r.url.clone()))),
            str_col("host", s(|r| Some(r.host.clone()))),
            str_col("kind", s(|r| Some(r.kind.clone()))),
            opt_u64_col("depth", u(|r| Some(u64::from(r.depth)))),
            str_col("linked_from", s(|r| r.linked_from.clone())),
            str_col("outcome", s(|r| Some(r.outcome.clone()))),
            opt_u64_col("http_status", u(|r| r.http_status.map(u64::from))),
            str_col("content_type", s(|r| r.content_type.clone())),
            opt_u64_col("bytes", u(|r| r.bytes)),
            str_col("content_hash", s(|r| r.content_hash.clone())),
            str_col("fetched_at", s(|r| r.fetched_at.clone())),
            opt_u64_col("elapsed_ms", u(|r| r.elapsed_ms)),
            opt_u64_col("attempts", u(|r| Some(u64::from(r.attempts)))),
            str_col("error", s(|r| r.error.clone())),
            str_col("final_url", s(|r| r.final_url.clone())),
        ],
    )
}

pub(crate) fn opt_u64_col(name: &str, values: Vec<Option<u64>>) -> Column {
    Series::new(name.into(), values).into()
}

/// Reads `theme_mentions` back; a folder written before the table existed gives none.
pub fn read_theme_mentions(out_dir: &Path) -> Result<Vec<ThemeMention>, LoadError> {
    if !table_path(out_dir, "theme_mentions").is_file() {
        return Ok(Vec::new());
    }
    let df = read_table(out_dir, "theme_mentions")?;
    let rows = (|| -> PolarsResult<Vec<ThemeMention>> {
        let c = Cols { df: &df };
        let (doc, theme, cand, snippet, matched) = (
            c.req_strs("doc_id")?,
            c.req_strs("theme")?,
            c.req_strs("candidates")?,
            c.req_strs("snippet")?,
            c.req_strs("matched")?,
        );
        let (start, end) = (c.u64s("start")?, c.u64s("end")?);
        Ok((0..df.height())
            .map(|i| ThemeMention {
                doc_id: doc[i].clone(),
                theme: theme[i].clone(),
                candidates: cand[i].split_whitespace().map(str::to_string).collect(),
                start: start[i] as usize,
                end: end[i] as usize,
                snippet: snippet[i].clone(),
                matched: matched[i].clone(),
            })
            .collect())
    })();
    with_path(out_dir, "theme_mentions", rows)
}

/// Reads `crawl_log` back; a folder written before the table existed gives none.
pub fn read_crawl_log(out_dir: &Path) -> Result<Vec<CrawlLogRow>, LoadError> {
    if !table_path(out_dir, "crawl_log").is_file() {
        return Ok(Vec::new());
    }
    let df = read_table(out_dir, "crawl_log")?;
    with_path(out_dir, "crawl_log", crawl_log_from(&df))
}

fn crawl_log_from(df: &DataFrame) -> PolarsResult<Vec<CrawlLogRow>> {
    let c = Cols { df };
    let s = |n: &str| c.strs(n);
    let (source, url, host, kind, linked_from, outcome) = (
        s("source")?,
        s("url")?,
        s("host")?,
        s("kind")?,
        s("linked_from")?,
        s("outcome")?,
    );
    let (content_type, content_hash, fetched_at, error, final_url) = (
        s("content_type")?,
        s("content_hash")?,
        s("fetched_at")?,
        s("error")?,
        s("final_url")?,
    );
    let n = |name: &str| -> PolarsResult<Vec<Option<u64>>> {
        Ok(df
            .column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .iter()
            .collect())
    };
    let (depth, status, bytes, elapsed, attempts) = (
        n("depth")?,
        n("http_status")?,
        n("bytes")?,
        n("elapsed_ms")?,
        n("attempts")?,
    );
    Ok((0..df.height())
        .map(|i| CrawlLogRow {
            source: source[i].clone().unwrap_or_default(),
            url: url[i].clone().unwrap_or_default(),
            host: host[i].clone().unwrap_or_default(),
            kind: kind[i].clone().unwrap_or_default(),
            depth: depth[i].unwrap_or(0) as u32,
            linked_from: linked_from[i].clone(),
            outcome: outcome[i].clone().unwrap_or_default(),
            http_status: status[i].map(|v| v as u16),
            content_type: content_type[i].clone(),
            bytes: bytes[i],
            content_hash: content_hash[i].clone(),
            fetched_at: fetched_at[i].clone(),
            elapsed_ms: elapsed[i],
            attempts: attempts[i].unwrap_or(0) as u32,
            error: error[i].clone(),
            final_url: final_url[i].clone(),
        })
        .collect())
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

/// Typed column access for reading tables back.
struct Cols<'a> {
    df: &'a DataFrame,
}

impl Cols<'_> {
    fn strs(&self, name: &str) -> PolarsResult<Vec<Option<String>>> {
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect())
    }
    /// A column added in a later version: all missing in tables written before it.
    fn opt_strs(&self, name: &str) -> PolarsResult<Vec<Option<String>>> {
        if self.df.column(name).is_err() {
            return Ok(vec![None; self.df.height()]);
        }
        self.strs(name)
    }
    fn req_strs(&self, name: &str) -> PolarsResult<Vec<String>> {
        Ok(self
            .strs(name)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    }
    fn u64s(&self, name: &str) -> PolarsResult<Vec<u64>> {
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .iter()
            .map(Option::unwrap_or_default)
            .collect())
    }
    /// A number column added in a later version: `missing` in tables written before it.
    fn opt_u64s(&self, name: &str, missing: u64) -> PolarsResult<Vec<u64>> {
        if self.df.column(name).is_err() {
            return Ok(vec![missing; self.df.height()]);
        }
        self.u64s(name)
    }
    /// A boolean column added in a later version: `missing` in tables written before it.
    fn opt_bools(&self, name: &str, missing: bool) -> PolarsResult<Vec<bool>> {
        if self.df.column(name).is_err() {
            return Ok(vec![missing; self.df.height()]);
        }
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::Boolean)?
            .bool()?
            .iter()
            .map(|v| v.unwrap_or(missing))
            .collect())
    }
    fn i32s(&self, name: &str) -> PolarsResult<Vec<Option<i32>>> {
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::Int32)?
            .i32()?
            .iter()
            .collect())
    }
    fn f64s(&self, name: &str) -> PolarsResult<Vec<f64>> {
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .map(Option::unwrap_or_default)
            .collect())
    }
}

fn with_path<T>(out_dir: &Path, name: &str, r: PolarsResult<T>) -> Result<T, LoadError> {
    r.map_err(|error| LoadError::Polars {
        path: table_path(out_dir, name),
        error,
    })
}

/// Reads the `documents` table back into records (text empty, links from the `links` table).
pub fn read_documents(out_dir: &Path) -> Result<Vec<Document>, LoadError> {
    let docs = read_document_records(out_dir)?;
    let links_df = read_table(out_dir, "links")?;
    let links = with_path(out_dir, "links", links_from(&links_df))?;
    let mut by_id: std::collections::HashMap<String, Vec<Link>> = std::collections::HashMap::new();
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

fn documents_from(df: &DataFrame) -> PolarsResult<Vec<Document>> {
    let c = Cols { df };
    let ids = c.req_strs("doc_id")?;
    let source = c.req_strs("source")?;
    let url = c.req_strs("url")?;
    let title = c.strs("title")?;
    let publisher = c.strs("publisher")?;
    let sector = c.strs("sector")?;
    let published = c.i32s("published")?;
    let from = c.strs("published_from")?;
    let precision = c.strs("published_precision")?;
    let ctype = c.req_strs("content_type")?;
    let copy_of = c.strs("copy_of")?;
    let location = c.req_strs("location")?;
    let linked_from = c.opt_strs("linked_from")?;
    let country = c.opt_strs("country")?;
    let sector_from = c.opt_strs("sector_from")?;
    let extract_key = c.opt_strs("extract_key")?;
    let other_urls = c.opt_strs("other_urls")?;
    let chars = c.u64s("chars")?;
    let mut out = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        let published = published[i].map(|days| Dated {
            date: epoch() + chrono::Duration::days(days as i64),
            precision: match precision[i].as_deref() {
                Some("year") => DatePrecision::Year,
                Some("month") => DatePrecision::Month,
                _ => DatePrecision::Day,
            },
            from: from[i].clone().unwrap_or_default(),
        });
        out.push(Document {
            doc_id: ids[i].clone(),
            source: source[i].clone(),
            url: url[i].clone(),
            location: location[i].clone(),
            title: title[i].clone(),
            publisher: publisher[i].clone(),
            sector: sector[i].clone(),
            country: country[i].clone(),
            sector_from: sector_from[i].clone(),
            extract_key: extract_key[i].clone(),
            published,
            content_type: ctype[i].clone(),
            text: String::new(),
            text_chars: Some(chars[i] as usize),
            links: Vec::new(),
            copy_of: copy_of[i].clone(),
            linked_from: linked_from[i].clone(),
            other_urls: other_urls[i]
                .as_deref()
                .map(|u| u.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Reads the `documents` table alone: documents without their links (the `links` table has them).
pub fn read_document_records(out_dir: &Path) -> Result<Vec<Document>, LoadError> {
    let df = read_table(out_dir, "documents")?;
    with_path(out_dir, "documents", documents_from(&df))
}

/// The rows of a slice of the `links` table: each link with its document's id.
pub fn links_from(df: &DataFrame) -> PolarsResult<Vec<(String, Link)>> {
    let c = Cols { df };
    let ids = c.req_strs("doc_id")?;
    let urls = c.req_strs("url")?;
    let starts = c.u64s("start")?;
    let ends = c.u64s("end")?;
    Ok((0..ids.len())
        .map(|i| {
            (
                ids[i].clone(),
                Link {
                    url: urls[i].clone(),
                    start: starts[i] as usize,
                    end: ends[i] as usize,
                },
            )
        })
        .collect())
}

/// Reads the `mentions` table back into records.
pub fn read_mentions(out_dir: &Path) -> Result<Vec<Mention>, LoadError> {
    let df = read_table(out_dir, "mentions")?;
    with_path(out_dir, "mentions", {
        let c = Cols { df: &df };
        (|| {
            let doc = c.req_strs("doc_id")?;
            let out = c.req_strs("output_id")?;
            let kind = c.req_strs("kind")?;
            let start = c.u64s("start")?;
            let end = c.u64s("end")?;
            let snippet = c.req_strs("snippet")?;
            let matched = c.req_strs("matched")?;
            let score = c.f64s("score")?;
            Ok((0..doc.len())
                .map(|i| Mention {
                    doc_id: doc[i].clone(),
                    output_id: out[i].clone(),
                    kind: match kind[i].as_str() {
                        "title" => MentionKind::Title,
                        "alias" => MentionKind::Alias,
                        "link" => MentionKind::Link,
                        "context" => MentionKind::Context,
                        _ => MentionKind::ThemeYear,
                    },
                    start: start[i] as usize,
                    end: end[i] as usize,
                    snippet: snippet[i].clone(),
                    matched: matched[i].clone(),
                    score: score[i],
                })
                .collect())
        })()
    })
}

/// Reads the `passages` table back into records.
pub fn read_passages(out_dir: &Path) -> Result<Vec<Passage>, LoadError> {
    let df = read_table(out_dir, "passages")?;
    with_path(out_dir, "passages", {
        let c = Cols { df: &df };
        (|| {
            let doc = c.req_strs("doc_id")?;
            let out = c.req_strs("output_id")?;
            let ds = c.u64s("doc_start")?;
            let de = c.u64s("doc_end")?;
            let os = c.u64s("output_start")?;
            let oe = c.u64s("output_end")?;
            let sim = c.f64s("similarity")?;
            let snip = c.req_strs("snippet")?;
            let blocks = c.opt_u64s("blocks", 1)?;
            let best = c.opt_bools("best_source", true)?;
            Ok((0..doc.len())
                .map(|i| Passage {
                    doc_id: doc[i].clone(),
                    output_id: out[i].clone(),
                    doc_start: ds[i] as usize,
                    doc_end: de[i] as usize,
                    output_start: os[i] as usize,
                    output_end: oe[i] as usize,
                    similarity: sim[i],
                    snippet: snip[i].clone(),
                    blocks: blocks[i] as u32,
                    best_source: best[i],
                })
                .collect())
        })()
    })
}

/// Reads the `uptake` table back into records.
pub fn read_uptake(out_dir: &Path) -> Result<Vec<UptakeRow>, LoadError> {
    let df = read_table(out_dir, "uptake")?;
    with_path(out_dir, "uptake", {
        let c = Cols { df: &df };
        (|| {
            let out = c.req_strs("output_id")?;
            let year = c.i32s("year")?;
            let docs = c.u64s("documents")?;
            let mentions = c.u64s("mentions")?;
            let passages = c.u64s("passages")?;
            let chars = c.u64s("reused_chars")?;
            let cum = c.u64s("cumulative_documents")?;
            Ok((0..out.len())
                .map(|i| UptakeRow {
                    output_id: out[i].clone(),
                    year: year[i],
                    documents: docs[i],
                    mentions: mentions[i],
                    passages: passages[i],
                    reused_chars: chars[i],
                    cumulative_documents: cum[i],
                })
                .collect())
        })()
    })
}

/// Reads the `skipped` table back into records.
pub fn read_skipped(out_dir: &Path) -> Result<Vec<Skipped>, LoadError> {
    let df = read_table(out_dir, "skipped")?;
    with_path(out_dir, "skipped", {
        let c = Cols { df: &df };
        (|| {
            let stage = c.req_strs("stage")?;
            let loc = c.req_strs("location")?;
            let reason = c.req_strs("reason")?;
            Ok((0..stage.len())
                .map(|i| Skipped {
                    stage: stage[i].clone(),
                    location: loc[i].clone(),
                    reason: reason[i].clone(),
                })
                .collect())
        })()
    })
}
