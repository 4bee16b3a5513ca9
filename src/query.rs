//! Query: polars SQL over the tables in `out_dir` (every table of [`TABLES`] that exists), printed as a table, CSV
//! or JSON, or written as Parquet. A query may take parameters: `:name` in the SQL, a default declared in a
//! comment line `-- param name = value`, and `--param name=value` to override it. Values always enter the SQL as
//! quoted string literals, so a parameter cannot change the query's shape. CSV has no lists: the `csv` format
//! writes a list cell as the JSON array the `json` format shows (docs/tables.md, "List columns").

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
            let mut flat = nested_as_json(df).map_err(ferr)?;
            let mut buf = Vec::new();
            CsvWriter::new(&mut buf).finish(&mut flat).map_err(ferr)?;
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

/// `df` with each nested column (a list) as a string column for CSV, which has no lists: a cell holds the JSON
/// array the `json` format shows (`["a","b"]`, `[]` when empty); a null stays null (an empty CSV field).
fn nested_as_json(df: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            if !c.dtype().is_nested() {
                return c.clone();
            }
            let cells = c.as_materialized_series().iter().map(|v| match v {
                AnyValue::Null => None,
                v => Some(json_value(v).to_string()),
            });
            StringChunked::from_iter_options(c.name().clone(), cells).into_column()
        })
        .collect();
    DataFrame::new(df.height(), columns)
}

/// A cell as JSON: lists as arrays, numbers and flags as themselves, anything else (text, dates) as its text.
fn json_value(v: AnyValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::from(s),
        AnyValue::StringOwned(s) => Value::from(s.as_str()),
        AnyValue::List(items) => Value::Array(items.iter().map(json_value).collect()),
        v if v.is_signed_integer() => v.extract::<i64>().map_or(Value::Null, Value::from),
        v if v.is_unsigned_integer() => v.extract::<u64>().map_or(Value::Null, Value::from),
        v if v.is_float() => v
            .extract::<f64>()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        v => Value::from(v.to_string()),
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

    /// A frame with a list of strings (with a quote and a comma in one item, an empty list and a null list) and
    /// a list of numbers.
    fn with_lists() -> DataFrame {
        let mut names = ListStringChunkedBuilder::new("names".into(), 3, 3);
        names.append_values_iter(["a \"b\", c", "d"].into_iter());
        names.append_values_iter(std::iter::empty());
        names.append_null();
        let years = Series::new(
            "years".into(),
            &[
                Series::new("".into(), &[2014i32, 2015]),
                Series::new("".into(), &[2016i32]),
                Series::new("".into(), Vec::<i32>::new()),
            ],
        );
        let id = Series::new("id".into(), &["x", "y", "z"]);
        DataFrame::new(
            3,
            vec![
                id.into_column(),
                names.finish().into_column(),
                years.into_column(),
            ],
        )
        .unwrap()
    }

    #[test]
    fn csv_writes_each_list_as_the_json_array_json_shows() {
        let mut df = with_lists();
        let csv = format(&mut df, Format::Csv, "q").unwrap();
        assert_eq!(
            csv,
            "id,names,years\n\
             x,\"[\"\"a \\\"\"b\\\"\", c\"\",\"\"d\"\"]\",\"[2014,2015]\"\n\
             y,[],[2016]\n\
             z,,[]\n"
        );
        // Each CSV cell, unquoted, is the JSON the json format gives for the same value.
        let json = format(&mut df, Format::Json, "q").unwrap();
        let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(rows[0]["names"], serde_json::json!(["a \"b\", c", "d"]));
        assert_eq!(rows[1]["names"], serde_json::json!([]));
        assert_eq!(rows[2]["names"], serde_json::Value::Null);
        assert_eq!(rows[0]["years"], serde_json::json!([2014, 2015]));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let cells: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        for (i, row) in cells.iter().enumerate() {
            for (j, col) in ["names", "years"].iter().enumerate() {
                let cell = &row[j + 1];
                let want = &rows[i][col];
                if want.is_null() {
                    assert_eq!(cell, "", "row {i} {col}");
                } else {
                    assert_eq!(
                        &serde_json::from_str::<serde_json::Value>(cell).unwrap(),
                        want
                    );
                }
            }
        }
        // The table format shows the lists as lists; the frame itself is left as it was.
        let table = format(&mut df, Format::Table, "q").unwrap();
        assert!(
            table.contains("list[str]") && table.contains("list[i32]"),
            "{table}"
        );
        assert!(df.column("names").unwrap().dtype().is_nested());
    }
}
