//! The schema layer: each table is declared once with `table!` (its name, its documentation, and
//! per column the name, the cell type, the documentation, how the value is taken from a record and, for tables
//! read back, how it is put into one). The declaration gives the writer (records to a polars frame), the reader
//! (a frame back into records) and the table's entry in docs/tables.md ([`markdown`]).
//!
//! Cell types are the unit structs below ([`Str`], [`OptStr`], [`U64`], ..., [`ListStr`] for a list of strings,
//! and [`Name`] for a closed set of `records`, written as its names): each knows its Parquet type, its type in the
//! docs, how to build a column from the values of the records and how to read a column back.

use std::marker::PhantomData;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::records::ClosedSet;

/// A table's documentation, from its declaration: what docs/tables.md shows.
#[derive(Debug, Clone, Copy)]
pub struct TableDoc {
    pub name: &'static str,
    /// The lines of the table's doc comment.
    pub doc: &'static [&'static str],
    pub columns: &'static [ColumnDoc],
}

/// A column's documentation, from its declaration.
#[derive(Debug, Clone, Copy)]
pub struct ColumnDoc {
    pub name: &'static str,
    /// The type as the docs show it (`str`, `u64?`...; `?` marks a column that may hold nulls).
    pub dtype: &'static str,
    /// The names a closed-set column holds (empty for other columns).
    pub names: &'static [&'static str],
    /// The lines of the column's doc comment.
    pub doc: &'static [&'static str],
}

/// A cell type: its name in the docs and how a column of it is read back.
pub trait Cell {
    /// The value a reader hands to the record.
    type Value: Clone;
    /// The type as the docs show it.
    const DOC: &'static str;
    /// The names of a closed set (other cells: none).
    const NAMES: &'static [&'static str] = &[];
    /// Calls `f` with the value of each row of `col`, in order.
    fn each(col: &Column, f: impl FnMut(Self::Value)) -> PolarsResult<()>;
}

/// Reads column `name` of `df` into `rows` (one per row of the frame) through `set`. A column that is absent is
/// an error, unless `missing` gives the value of tables written before the column existed.
pub fn read_column<C: Cell, R>(
    df: &DataFrame,
    name: &str,
    missing: Option<C::Value>,
    rows: &mut [R],
    mut set: impl FnMut(&mut R, C::Value),
) -> PolarsResult<()> {
    match (df.column(name), missing) {
        (Ok(col), _) => {
            let mut rows = rows.iter_mut();
            C::each(col, |v| {
                if let Some(r) = rows.next() {
                    set(r, v)
                }
            })
        }
        (Err(_), Some(value)) => {
            for r in rows {
                set(r, value.clone());
            }
            Ok(())
        }
        (Err(e), None) => Err(e),
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// Text that is always there (read back: a null is the empty string).
pub struct Str;
/// Text that may be missing.
pub struct OptStr;
/// An unsigned count or offset.
pub struct U64;
/// An unsigned number that may be missing.
pub struct OptU64;
/// A year that is always there.
pub struct I32;
/// A year that may be missing.
pub struct OptI32;
/// A signed number that may be missing.
pub struct OptI64;
/// A score or similarity.
pub struct F64;
/// A flag.
pub struct Bool;
/// A date that may be missing (days since 1970 in Parquet).
pub struct OptDate;
/// A list of strings (a Parquet list column; read back: a null list is the empty list, a null item the empty
/// string).
pub struct ListStr;
/// A value of a closed set, written as its name (read back: a name not in the set is an error).
pub struct Name<T>(PhantomData<T>);

impl Str {
    pub fn write<S: AsRef<str>>(
        name: &str,
        values: impl Iterator<Item = S>,
    ) -> PolarsResult<Column> {
        Ok(StringChunked::from_iter_values(name.into(), values).into_column())
    }
}
impl OptStr {
    pub fn write<S: AsRef<str>>(
        name: &str,
        values: impl Iterator<Item = Option<S>>,
    ) -> PolarsResult<Column> {
        Ok(StringChunked::from_iter_options(name.into(), values).into_column())
    }
}
impl U64 {
    pub fn write(name: &str, values: impl Iterator<Item = u64>) -> PolarsResult<Column> {
        Ok(UInt64Chunked::from_iter_values(name.into(), values).into_column())
    }
}
impl OptU64 {
    pub fn write(name: &str, values: impl Iterator<Item = Option<u64>>) -> PolarsResult<Column> {
        Ok(UInt64Chunked::from_iter_options(name.into(), values).into_column())
    }
}
impl I32 {
    pub fn write(name: &str, values: impl Iterator<Item = i32>) -> PolarsResult<Column> {
        Ok(Int32Chunked::from_iter_values(name.into(), values).into_column())
    }
}
impl OptI32 {
    pub fn write(name: &str, values: impl Iterator<Item = Option<i32>>) -> PolarsResult<Column> {
        Ok(Int32Chunked::from_iter_options(name.into(), values).into_column())
    }
}
impl OptI64 {
    pub fn write(name: &str, values: impl Iterator<Item = Option<i64>>) -> PolarsResult<Column> {
        Ok(Int64Chunked::from_iter_options(name.into(), values).into_column())
    }
}
impl F64 {
    pub fn write(name: &str, values: impl Iterator<Item = f64>) -> PolarsResult<Column> {
        Ok(Float64Chunked::from_iter_values(name.into(), values).into_column())
    }
}
impl Bool {
    pub fn write(name: &str, values: impl Iterator<Item = bool>) -> PolarsResult<Column> {
        Ok(BooleanChunked::from_iter_values(name.into(), values).into_column())
    }
}
impl OptDate {
    pub fn write(
        name: &str,
        values: impl Iterator<Item = Option<NaiveDate>>,
    ) -> PolarsResult<Column> {
        let days = values.map(|d| d.map(|d| (d - epoch()).num_days() as i32));
        Ok(Int32Chunked::from_iter_options(name.into(), days)
            .into_date()
            .into_column())
    }
}

impl ListStr {
    /// One list per value (anything that is a slice of strings, e.g. `&Vec<String>`).
    pub fn write<L: AsRef<[S]>, S: AsRef<str>>(
        name: &str,
        values: impl Iterator<Item = L>,
    ) -> PolarsResult<Column> {
        let (rows, _) = values.size_hint();
        let mut b = ListStringChunkedBuilder::new(name.into(), rows, rows);
        for list in values {
            b.append_values_iter(list.as_ref().iter().map(AsRef::as_ref));
        }
        Ok(b.finish().into_column())
    }
}

impl<T: ClosedSet> Name<T> {
    pub fn write(name: &str, values: impl Iterator<Item = T>) -> PolarsResult<Column> {
        Ok(StringChunked::from_iter_values(name.into(), values.map(T::name)).into_column())
    }
}

impl<T: ClosedSet> Cell for Name<T> {
    type Value = T;
    const DOC: &'static str = "str";
    const NAMES: &'static [&'static str] = T::NAMES;
    fn each(col: &Column, mut f: impl FnMut(T)) -> PolarsResult<()> {
        let cast = col.cast(&DataType::String)?;
        for v in cast.str()?.iter() {
            let v = v.unwrap_or_default();
            f(v.parse().map_err(|e| {
                PolarsError::ComputeError(format!("column `{}`: {e}", col.name()).into())
            })?);
        }
        Ok(())
    }
}

/// The values of `col` cast to `$dtype`, through accessor `$as` (a macro: the cast column must outlive the
/// iterator).
macro_rules! each_cast {
    ($col:expr, $dtype:expr, $as:ident, $f:expr, $map:expr) => {{
        let cast = $col.cast(&$dtype)?;
        let mut f = $f;
        for v in cast.$as()?.iter() {
            f($map(v));
        }
        Ok(())
    }};
}

impl Cell for Str {
    type Value = String;
    const DOC: &'static str = "str";
    fn each(col: &Column, f: impl FnMut(String)) -> PolarsResult<()> {
        each_cast!(col, DataType::String, str, f, |v: Option<&str>| v
            .map(str::to_string)
            .unwrap_or_default())
    }
}
impl Cell for OptStr {
    type Value = Option<String>;
    const DOC: &'static str = "str?";
    fn each(col: &Column, f: impl FnMut(Option<String>)) -> PolarsResult<()> {
        each_cast!(col, DataType::String, str, f, |v: Option<&str>| v
            .map(str::to_string))
    }
}
impl Cell for U64 {
    type Value = u64;
    const DOC: &'static str = "u64";
    fn each(col: &Column, f: impl FnMut(u64)) -> PolarsResult<()> {
        each_cast!(col, DataType::UInt64, u64, f, Option::unwrap_or_default)
    }
}
impl Cell for OptU64 {
    type Value = Option<u64>;
    const DOC: &'static str = "u64?";
    fn each(col: &Column, f: impl FnMut(Option<u64>)) -> PolarsResult<()> {
        each_cast!(col, DataType::UInt64, u64, f, |v| v)
    }
}
impl Cell for I32 {
    type Value = i32;
    const DOC: &'static str = "i32";
    fn each(col: &Column, f: impl FnMut(i32)) -> PolarsResult<()> {
        each_cast!(col, DataType::Int32, i32, f, Option::unwrap_or_default)
    }
}
impl Cell for OptI32 {
    type Value = Option<i32>;
    const DOC: &'static str = "i32?";
    fn each(col: &Column, f: impl FnMut(Option<i32>)) -> PolarsResult<()> {
        each_cast!(col, DataType::Int32, i32, f, |v| v)
    }
}
impl Cell for OptI64 {
    type Value = Option<i64>;
    const DOC: &'static str = "i64?";
    fn each(col: &Column, f: impl FnMut(Option<i64>)) -> PolarsResult<()> {
        each_cast!(col, DataType::Int64, i64, f, |v| v)
    }
}
impl Cell for F64 {
    type Value = f64;
    const DOC: &'static str = "f64";
    fn each(col: &Column, f: impl FnMut(f64)) -> PolarsResult<()> {
        each_cast!(col, DataType::Float64, f64, f, Option::unwrap_or_default)
    }
}
impl Cell for Bool {
    type Value = bool;
    const DOC: &'static str = "bool";
    fn each(col: &Column, f: impl FnMut(bool)) -> PolarsResult<()> {
        each_cast!(col, DataType::Boolean, bool, f, Option::unwrap_or_default)
    }
}
impl Cell for ListStr {
    type Value = Vec<String>;
    const DOC: &'static str = "list[str]";
    fn each(col: &Column, mut f: impl FnMut(Vec<String>)) -> PolarsResult<()> {
        let cast = col.cast(&DataType::List(Box::new(DataType::String)))?;
        for list in cast.list()?.series_iter() {
            let items = match list {
                Some(items) => items
                    .str()?
                    .iter()
                    .map(|v| v.unwrap_or_default().to_string())
                    .collect(),
                None => Vec::new(),
            };
            f(items);
        }
        Ok(())
    }
}
impl Cell for OptDate {
    type Value = Option<NaiveDate>;
    const DOC: &'static str = "date?";
    fn each(col: &Column, f: impl FnMut(Option<NaiveDate>)) -> PolarsResult<()> {
        each_cast!(col, DataType::Int32, i32, f, |v: Option<i32>| v
            .map(|days| epoch() + chrono::Duration::days(i64::from(days))))
    }
}

/// Declares one table: a module `$module` holding `NAME`, `DOC` (its [`TableDoc`]), `frame` (records to a
/// data frame, columns in the order declared) and, for a table read back, `from_frame` (a data frame back into
/// records).
///
/// ```text
/// table! {
///     /// What one row is.
///     pub mod mentions = "mentions" for m: Mention, read Mention = blank();
///     {
///         /// The column's documentation.
///         "doc_id": Str = &m.doc_id, read |m, v| m.doc_id = v;
///         "blocks": U64 = u64::from(m.blocks), read |m, v| m.blocks = v as u32, missing 1;
///     }
/// }
/// ```
///
/// Each column is `"name": CellType = value` (`Name<MentionKind>` for a closed set), where `value` is an expression of the record bound to the name
/// after `for`. A table read back says `read Type = blank` (the record type read, usually the one written, and
/// a record each row starts from); its columns that are read say `read` with a closure that puts the cell's
/// value into the record, and `missing` with the value of tables written before the column existed.
macro_rules! table {
    (
        $(#[doc = $tdoc:literal])*
        $vis:vis mod $module:ident = $name:literal for $r:ident : $Rec:ty
        $(, read $RRec:ty = $init:expr)?;
        {
            $(
                $(#[doc = $cdoc:literal])*
                $col:literal : $Cell:ident $(<$Arg:ty>)? = $get:expr
                $(, read $set:expr)?
                $(, missing $miss:expr)?
            ;)*
        }
    ) => {
        $(#[doc = $tdoc])*
        $vis mod $module {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::load::schema::{self as s, Cell as _};
            #[allow(unused_imports)]
            use polars::prelude::{DataFrame, PolarsResult};

            /// The table's name (its file is `<name>.parquet`).
            pub const NAME: &str = $name;

            /// The table's documentation.
            pub const DOC: s::TableDoc = s::TableDoc {
                name: $name,
                doc: &[$($tdoc),*],
                columns: &[$(s::ColumnDoc {
                    name: $col,
                    dtype: <s::$Cell $(<$Arg>)? as s::Cell>::DOC,
                    names: <s::$Cell $(<$Arg>)? as s::Cell>::NAMES,
                    doc: &[$($cdoc),*],
                }),*],
            };

            /// The records as a data frame, one row each.
            pub fn frame(rows: &[$Rec]) -> PolarsResult<DataFrame> {
                DataFrame::new(
                    rows.len(),
                    vec![$(<s::$Cell $(<$Arg>)?>::write($col, rows.iter().map(|$r| $get))?),*],
                )
            }

            $crate::load::schema::table!(
                @reader [$($RRec = $init)?] $(($col, [s::$Cell $(<$Arg>)?], [$($set)?], [$($miss)?]))*
            );
        }
    };
    (@reader [] $($rest:tt)*) => {};
    (@reader [$RRec:ty = $init:expr] $(($col:literal, [$Cell:ty], [$($set:expr)?], [$($miss:expr)?]))*) => {
        /// The records of a data frame written by [`frame`].
        pub fn from_frame(df: &DataFrame) -> PolarsResult<Vec<$RRec>> {
            let mut rows: Vec<$RRec> = (0..df.height()).map(|_| $init).collect();
            $($crate::load::schema::table!(@col $RRec, df, rows, $col, $Cell, [$($set)?], [$($miss)?]);)*
            Ok(rows)
        }
    };
    (@col $RRec:ty, $df:ident, $rows:ident, $col:literal, $Cell:ty, [], [$($miss:expr)?]) => {};
    (@col $RRec:ty, $df:ident, $rows:ident, $col:literal, $Cell:ty, [$set:expr], []) => {
        s::read_column::<$Cell, $RRec>($df, $col, None, &mut $rows, $set)?
    };
    (@col $RRec:ty, $df:ident, $rows:ident, $col:literal, $Cell:ty, [$set:expr], [$miss:expr]) => {
        s::read_column::<$Cell, $RRec>($df, $col, Some($miss), &mut $rows, $set)?
    };
}
pub(crate) use table;

/// The Markdown reference of `tables`: per table a heading, its documentation and a table of its columns.
pub fn markdown(tables: &[TableDoc]) -> String {
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("### `{}`\n\n", t.name));
        let doc = lines(t.doc);
        if !doc.is_empty() {
            out.push_str(&doc);
            out.push_str("\n\n");
        }
        out.push_str("| column | type | meaning |\n|---|---|---|\n");
        for c in t.columns {
            let meaning = c
                .doc
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .replace('|', "\\|");
            out.push_str(&format!("| `{}` | {} | {} |\n", c.name, c.dtype, meaning));
        }
        out.push('\n');
    }
    out
}

/// Doc comment lines as Markdown: the space after `///` dropped, paragraphs kept.
fn lines(doc: &[&str]) -> String {
    doc.iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}
