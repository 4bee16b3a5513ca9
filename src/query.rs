//! Query: polars SQL over the tables in `out_dir` (every table of [`TABLES`] that exists), printed as a table, CSV
//! or JSON, or written as Parquet. A query may take parameters: `:name` in the SQL, a default declared in a
//! comment line `-- param name = value`, and `--param name=value` to override it. Values always enter the SQL as
//! quoted string literals, so a parameter cannot change the query's shape.

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
    #[error("{origin}: the query uses :{name}; give --param {name}=VALUE or declare `-- param {name} = VALUE`")]
    MissingParam { origin: String, name: String },
    #[error("--param {given:?}: expected NAME=VALUE")]
    BadParam { given: String },
}

/// How a result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// Binary: needs `--output FILE`.
    Parquet,
}

/// Parses `NAME=VALUE`.
pub fn parse_param(given: &str) -> Result<(String, String), QueryError> {
    match given.split_once('=') {
        Some((k, v)) if is_name(k.trim()) => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(QueryError::BadParam {
            given: given.to_string(),
        }),
    }
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// The defaults a query declares in `-- param name = value` comment lines.
pub fn declared_params(sql: &str) -> Vec<(String, String)> {
    sql.lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("--")?
                .trim()
                .strip_prefix("param ")?
                .split_once('=')
        })
        .filter(|(k, _)| is_name(k.trim()))
        .map(|(k, v)| {
            (
                k.trim().to_string(),
                v.trim().trim_matches('\'').to_string(),
            )
        })
        .collect()
}

/// Replaces every `:name` outside comments and string literals with the value as a quoted literal. `given`
/// overrides the declared defaults.
pub fn bind(sql: &str, given: &[(String, String)], origin: &str) -> Result<String, QueryError> {
    let mut values = declared_params(sql);
    values.extend(given.iter().cloned());
    let value = |name: &str| values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
    let mut out = String::with_capacity(sql.len());
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Comments and string literals pass through untouched.
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(chars[i]);
                i += 1;
            }
            continue;
        }
        if c == '\'' || c == '"' {
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                i += 1;
                if chars[i - 1] == c {
                    break;
                }
            }
            continue;
        }
        let prev_colon = i > 0 && chars[i - 1] == ':';
        if c == ':'
            && !prev_colon
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '_')
        {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let name: String = chars[start..end].iter().collect();
            let v = value(&name).ok_or_else(|| QueryError::MissingParam {
                origin: origin.to_string(),
                name: name.clone(),
            })?;
            out.push('\'');
            out.push_str(&v.replace('\'', "''"));
            out.push('\'');
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
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

/// Writes a result as Parquet bytes.
pub fn parquet(df: &mut DataFrame, origin: &str) -> Result<Vec<u8>, QueryError> {
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .finish(df)
        .map_err(|error| QueryError::Format {
            origin: origin.to_string(),
            error,
        })?;
    Ok(buf)
}

/// Formats a result as text (Parquet is binary: see [`parquet`]).
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
        Format::Parquet => Err(QueryError::Format {
            origin: origin.to_string(),
            error: PolarsError::ComputeError("Parquet is binary: give --output FILE".into()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_bind_as_quoted_literals_outside_comments_and_strings() {
        let sql = "-- param id = 2015-gender\n-- uses :id in a comment\nSELECT ':id', x::text FROM t WHERE a = :id";
        let got = bind(sql, &[], "q").unwrap();
        assert!(
            got.ends_with("SELECT ':id', x::text FROM t WHERE a = '2015-gender'"),
            "{got}"
        );
        let got = bind(sql, &[("id".into(), "o'hara".into())], "q").unwrap();
        assert!(got.ends_with("a = 'o''hara'"), "{got}");
        let e = bind("SELECT :missing", &[], "q.sql")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("q.sql") && e.contains("--param missing=VALUE"),
            "{e}"
        );
        assert!(
            parse_param("id=x").is_ok() && parse_param("=x").is_err() && parse_param("x").is_err()
        );
    }
}
