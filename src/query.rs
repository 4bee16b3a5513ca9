//! Query: polars SQL over the tables in `out_dir` (`documents`, `outputs`, `mentions`, `passages`, `uptake`,
//! `links`, `skipped`), printed as a table, CSV or JSON.

use std::path::Path;

use polars::prelude::*;
use polars::sql::SQLContext;

use crate::load::{read_table, table_path, LoadError, TABLES};

/// Errors of a query; each names the query or the table.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{origin}: {error}")]
    Sql { origin: String, error: PolarsError },
    #[error("{origin}: cannot format the result: {error}")]
    Format { origin: String, error: PolarsError },
    #[error("no tables in {dir}: run `uptake run` first")]
    NoTables { dir: String },
}

/// How a result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Runs `sql` over the tables in `out_dir`; `origin` names the query in errors (a file path or `--sql`).
pub fn run_sql(out_dir: &Path, sql: &str, origin: &str) -> Result<DataFrame, QueryError> {
    let mut ctx = SQLContext::new();
    let mut any = false;
    for name in TABLES {
        if table_path(out_dir, name).is_file() {
            ctx.register(name, read_table(out_dir, name)?.lazy());
            any = true;
        }
    }
    if !any {
        return Err(QueryError::NoTables {
            dir: out_dir.display().to_string(),
        });
    }
    let sql_err = |error| QueryError::Sql {
        origin: origin.to_string(),
        error,
    };
    ctx.execute(sql)
        .map_err(sql_err)?
        .collect()
        .map_err(sql_err)
}

/// Formats a result.
pub fn format(df: &mut DataFrame, format: Format, origin: &str) -> Result<String, QueryError> {
    let ferr = |error| QueryError::Format {
        origin: origin.to_string(),
        error,
    };
    match format {
        Format::Table => Ok(format!("{df}\n")),
        Format::Csv => {
            let mut buf = Vec::new();
            CsvWriter::new(&mut buf).finish(df).map_err(ferr)?;
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
        Format::Json => {
            let mut buf = Vec::new();
            JsonWriter::new(&mut buf)
                .with_json_format(JsonFormat::Json)
                .finish(df)
                .map_err(ferr)?;
            let mut s = String::from_utf8_lossy(&buf).into_owned();
            s.push('\n');
            Ok(s)
        }
    }
}
