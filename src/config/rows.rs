//! The one reader of the CSV files a user writes: a folder source's `manifest.csv`, the activity file and the
//! publisher registry. Each file's row is a serde struct ([`CsvRow`]); one set of rules holds for all three:
//!
//! - UTF-8 (a byte-order mark is ignored), lines ending in LF or CRLF;
//! - lines starting with `#` are comments, blank lines are skipped;
//! - the first other line is the header; it names the file's columns in any order, case-insensitively; a column
//!   the file does not know is refused, and so is a missing one unless the file lets it be left out;
//! - cells are trimmed, and an empty cell is unknown (`None`); a cell in double quotes may hold commas, quotes
//!   (doubled) and line breaks;
//! - every row has as many cells as the header.
//!
//! Errors name the file and the line (of the row's start), and the column where one is at fault.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// An error reading a CSV file: its path, the line (when one is at fault) and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{}{}: {}",
    .path.display(),
    .line.map(|l| format!(": line {l}")).unwrap_or_default(),
    .message
)]
pub struct CsvError {
    pub path: PathBuf,
    pub line: Option<u64>,
    pub message: String,
}

impl From<CsvError> for super::ConfigError {
    fn from(e: CsvError) -> Self {
        let message = match e.line {
            Some(l) => format!("line {l}: {}", e.message),
            None => e.message,
        };
        super::ConfigError::Invalid {
            path: e.path,
            message,
        }
    }
}

/// The row of one CSV file, read with serde: fields named as the (lowercase) columns, `Option` for cells that may
/// be empty.
pub trait CsvRow: DeserializeOwned {
    /// Every column of the file, in the order the documentation lists them.
    const COLUMNS: &'static [&'static str];
    /// The columns a file may leave out (their cells are unknown); the others must be in the header.
    const OPTIONAL: &'static [&'static str] = &[];
}

/// Reads every row of the CSV file at `path` under the rules of this module, each with the line it starts on.
pub fn read_rows<T: CsvRow>(path: &Path) -> Result<Vec<(u64, T)>, CsvError> {
    let error = |line: Option<u64>, message: String| CsvError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| error(None, format!("cannot read: {e}")))?;
    // a spreadsheet's UTF-8 byte-order mark (the csv crate would read it as part of the first cell)
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text);
    let line_of = |pos: &csv::Position| line_of_record(text, pos.byte());
    let header = reader
        .headers()
        .map_err(|e| describe(path, &e, &[], &line_of))?;
    let header_line = header.position().map(line_of);
    let names: Vec<String> = header.iter().map(str::to_ascii_lowercase).collect();
    if names.iter().all(String::is_empty) {
        return Err(error(
            None,
            format!("no header; the columns are {}", T::COLUMNS.join(",")),
        ));
    }
    if let Some(n) = names.iter().find(|n| !T::COLUMNS.contains(&n.as_str())) {
        return Err(error(
            header_line,
            format!(
                "unknown column {n:?}; the columns are {}",
                T::COLUMNS.join(",")
            ),
        ));
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(error(header_line, format!("column {n:?} appears twice")));
        }
    }
    let missing: Vec<&str> = T::COLUMNS
        .iter()
        .copied()
        .filter(|c| !T::OPTIONAL.contains(c) && !names.iter().any(|n| n == c))
        .collect();
    if !missing.is_empty() {
        return Err(error(
            header_line,
            format!(
                "missing column{} {}; the columns are {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(","),
                T::COLUMNS.join(",")
            ),
        ));
    }
    let header = csv::StringRecord::from(names.clone());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| describe(path, &e, &names, &line_of))?;
        let line = record.position().map_or(0, line_of);
        let row = record.deserialize::<T>(Some(&header)).map_err(|e| {
            let unplaced = matches!(
                e.kind(),
                csv::ErrorKind::Deserialize { err, .. } if err.field().is_none()
            );
            let mut e = describe(path, &e, &names, &line_of);
            if unplaced {
                if let Some(c) = failing_column::<T>(&record, &header, &e.message) {
                    e.message = format!("{}: {}", names[c], e.message);
                }
            }
            e
        })?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// The line a record starts on, from the byte where the csv crate says it does: that is where the previous one
/// ended, so line ends, blank lines and comment lines are skipped first (the crate's own line count leaves
/// comment lines out).
fn line_of_record(text: &[u8], byte: u64) -> u64 {
    let mut i = (byte as usize).min(text.len());
    loop {
        while i < text.len() && matches!(text[i], b'\r' | b'\n') {
            i += 1;
        }
        let line_start = i == 0 || matches!(text[i - 1], b'\r' | b'\n');
        if i < text.len() && text[i] == b'#' && line_start {
            i += text[i..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(text.len() - i);
            continue;
        }
        break;
    }
    1 + text[..i].iter().filter(|&&b| b == b'\n').count() as u64
}

/// The column whose cell a row's error comes from, when the csv crate does not say (an error of a
/// `deserialize_with` function carries no column): the first cell whose row, cut after it, fails alike.
fn failing_column<T: CsvRow>(
    record: &csv::StringRecord,
    header: &csv::StringRecord,
    message: &str,
) -> Option<usize> {
    (1..=record.len())
        .find(|&k| {
            let cut: csv::StringRecord = record.iter().take(k).collect();
            let head: csv::StringRecord = header.iter().take(k).collect();
            match cut.deserialize::<T>(Some(&head)) {
                Err(e) => match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string() == message,
                    _ => false,
                },
                Ok(_) => false,
            }
        })
        .map(|k| k - 1)
}

/// A csv error in the words of this module, with its line and column.
fn describe(
    path: &Path,
    e: &csv::Error,
    columns: &[String],
    line_of: &dyn Fn(&csv::Position) -> u64,
) -> CsvError {
    let (line, message) = match e.kind() {
        csv::ErrorKind::Io(e) => (None, format!("cannot read: {e}")),
        csv::ErrorKind::Utf8 { pos, err } => (
            pos.as_ref().map(line_of),
            match columns.get(err.field()) {
                Some(c) => format!("{c}: not UTF-8; save the file as UTF-8"),
                None => format!(
                    "cell {}: not UTF-8; save the file as UTF-8",
                    err.field() + 1
                ),
            },
        ),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => (
            pos.as_ref().map(line_of),
            format!("{len} cells where the header has {expected_len}"),
        ),
        csv::ErrorKind::Deserialize { pos, err } => {
            let column = err
                .field()
                .and_then(|f| columns.get(f as usize))
                .map(|c| format!("{c}: "))
                .unwrap_or_default();
            let what = match err.kind() {
                csv::DeserializeErrorKind::Message(m) => m.clone(),
                other => other.to_string(),
            };
            (pos.as_ref().map(line_of), format!("{column}{what}"))
        }
        _ => (None, e.to_string()),
    };
    CsvError {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// For `deserialize_with`: a whole number, or `None` for an empty cell.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let v: Option<String> = serde::Deserialize::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{v:?} is not a whole number"))),
    }
}

/// For `deserialize_with`: `yes` or `no` (any case), or `None` for an empty cell or `unknown`.
pub fn yes_no<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v: Option<String> = serde::Deserialize::deserialize(d)?;
    match v
        .as_deref()
        .map(str::trim)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("" | "unknown") => Ok(None),
        Some("yes") => Ok(Some(true)),
        Some("no") => Ok(Some(false)),
        Some(v) => Err(serde::de::Error::custom(format!(
            "{v:?} is not yes, no or empty"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Row {
        name: String,
        note: Option<String>,
        #[serde(default, deserialize_with = "whole_number")]
        count: Option<u32>,
        #[serde(default, deserialize_with = "yes_no")]
        open: Option<bool>,
    }

    impl CsvRow for Row {
        const COLUMNS: &'static [&'static str] = &["name", "note", "count", "open"];
        const OPTIONAL: &'static [&'static str] = &["count", "open"];
    }

    fn read(text: &[u8]) -> Result<Vec<(u64, Row)>, CsvError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.csv");
        std::fs::write(&p, text).unwrap();
        read_rows::<Row>(&p)
    }

    fn row(name: &str, note: Option<&str>, count: Option<u32>, open: Option<bool>) -> Row {
        Row {
            name: name.into(),
            note: note.map(str::to_string),
            count,
            open,
        }
    }

    #[test]
    fn quoted_commas_comments_and_any_column_order() {
        let text = "\u{feff}# a comment before the header\r\n\
                    Note , NAME,open,count\r\n\
                    \"Geneva, Switzerland\",  a  ,yes,3\r\n\
                    # a comment between rows\r\n\
                    \r\n\
                    \"said \"\"hello\"\"\nover two lines\",b,,\r\n\
                    ,c,No,\r\n";
        let rows = read(text.as_bytes()).unwrap();
        assert_eq!(
            rows,
            [
                (
                    3,
                    row("a", Some("Geneva, Switzerland"), Some(3), Some(true))
                ),
                (
                    6,
                    row("b", Some("said \"hello\"\nover two lines"), None, None)
                ),
                (8, row("c", None, None, Some(false))),
            ]
        );
        // optional columns may be left out
        let rows = read(b"name,note\nx,\n").unwrap();
        assert_eq!(rows, [(2, row("x", None, None, None))]);
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_column() {
        let e = |text: &str| read(text.as_bytes()).unwrap_err().to_string();
        let got = e("# c\nname,note,count\na,,1\n\nb,,many\n");
        assert!(
            got.contains("f.csv: line 5: count: \"many\" is not a whole number"),
            "{got}"
        );
        let got = e("name,note,open\na,,maybe\n");
        assert!(
            got.contains("line 2: open: \"maybe\" is not yes, no or empty"),
            "{got}"
        );
        let got = e("name,note\na,b,c\n");
        assert!(
            got.contains("line 2: 3 cells where the header has 2"),
            "{got}"
        );
        let got = e("name,notes\n");
        assert!(got.contains("line 1: unknown column \"notes\""), "{got}");
        let got = e("# only\nname,count\n");
        assert!(got.contains("line 2: missing column note;"), "{got}");
        let got = e("name,note,Name\n");
        assert!(got.contains("column \"name\" appears twice"), "{got}");
        assert!(e("").contains("f.csv: no header"), "{}", e(""));
        let got = read(b"name,note\na,caf\xe9\n").unwrap_err();
        assert_eq!(got.line, Some(2), "{got}");
        assert!(got.to_string().contains("note: not UTF-8"), "{got}");
        let missing = read_rows::<Row>(Path::new("/no/such/file.csv")).unwrap_err();
        assert!(
            missing
                .to_string()
                .starts_with("/no/such/file.csv: cannot read"),
            "{missing}"
        );
    }
}
