//! Store: the output folder behind one type. It knows where each table and each saved text lives, writes tables
//! whole or as a stream of row groups (each through a temporary file and a rename, so a reader never sees half a
//! table), and reads the tables back for the stage-by-stage commands. A command that writes a new set of results
//! works in a [`Staged`] store beside the old one, swapped in whole when every step succeeded (and recovered
//! after a killed run: [`crate::fsutil::StagedDir`]); `detect` alone opens the results folder itself.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;

use crate::fsutil::StagedDir;
use crate::load::{self, LoadError};

/// Rows a streamed table holds in memory before they are written as a row group.
pub const ROWS_PER_BATCH: usize = 65_536;

/// The output folder of one command: tables (`<name>.parquet`), document texts (`text/<doc_id>.txt`) and output
/// texts (`text/outputs/<output_id>.txt`).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// Errors of the store, each naming the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot write {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Table(#[from] LoadError),
    #[error("cannot create a folder beside {path}: {error}")]
    Stage {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot move the new results into {path}: {error}")]
    Commit {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// A store built beside the results folder `target`, swapped in by [`Staged::commit`]; dropped without a commit,
/// it is removed and the previous results stay as they were.
#[derive(Debug)]
pub struct Staged {
    dir: StagedDir,
    store: Store,
    target: PathBuf,
}

impl Staged {
    /// The store to write into.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Moves the new results into place.
    pub fn commit(self) -> Result<(), StoreError> {
        let target = self.target;
        self.dir.commit().map_err(|error| StoreError::Commit {
            path: target,
            error,
        })
    }
}

impl Store {
    /// The store in `dir` (created on the first write).
    pub fn new(dir: &Path) -> Store {
        Store {
            dir: dir.to_path_buf(),
        }
    }

    /// A new store staged beside the results folder `target`, after recovering from a killed run.
    pub fn staged(target: &Path) -> Result<Staged, StoreError> {
        let dir = StagedDir::new(target).map_err(|error| StoreError::Stage {
            path: target.to_path_buf(),
            error,
        })?;
        Ok(Staged {
            store: Store::new(dir.path()),
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of table `name`.
    pub fn table_path(&self, name: &str) -> PathBuf {
        load::table_path(&self.dir, name)
    }

    /// Whether table `name` exists.
    pub fn has_table(&self, name: &str) -> bool {
        self.table_path(name).is_file()
    }

    /// Path of a document's saved text.
    pub fn doc_text_path(&self, doc_id: &str) -> PathBuf {
        self.dir.join("text").join(format!("{doc_id}.txt"))
    }

    /// Path of an output's saved text.
    pub fn output_text_path(&self, output_id: &str) -> PathBuf {
        self.dir
            .join("text")
            .join("outputs")
            .join(format!("{output_id}.txt"))
    }

    /// Saves a document's text.
    pub fn save_doc_text(&self, doc_id: &str, text: &str) -> Result<(), StoreError> {
        write_text(&self.doc_text_path(doc_id), text)
    }

    /// Saves an output's text.
    pub fn save_output_text(&self, output_id: &str, text: &str) -> Result<(), StoreError> {
        write_text(&self.output_text_path(output_id), text)
    }

    /// A document's saved text.
    pub fn doc_text(&self, doc_id: &str) -> Result<String, StoreError> {
        read_text(&self.doc_text_path(doc_id))
    }

    /// An output's saved text, or `None` when the output has none.
    pub fn output_text(&self, output_id: &str) -> Result<Option<String>, StoreError> {
        let p = self.output_text_path(output_id);
        if !p.is_file() {
            return Ok(None);
        }
        read_text(&p).map(Some)
    }

    /// Writes a whole table; returns its path.
    pub fn write_table(
        &self,
        name: &str,
        frame: PolarsResult<DataFrame>,
    ) -> Result<PathBuf, StoreError> {
        Ok(load::write_table(&self.dir, name, frame)?)
    }

    /// A table written as a stream of row groups; see [`TableWriter`].
    pub fn table_writer(&self, name: &'static str) -> TableWriter {
        TableWriter {
            name,
            path: self.table_path(name),
            writer: None,
        }
    }

    /// Reads table `name` `rows` at a time, handing each slice to `each`, so a large table is never whole in
    /// memory.
    pub fn read_table_in_slices(
        &self,
        name: &str,
        rows: usize,
        mut each: impl FnMut(&DataFrame) -> PolarsResult<()>,
    ) -> Result<(), StoreError> {
        let path = self.table_path(name);
        if !path.is_file() {
            return Err(LoadError::Missing { path }.into());
        }
        let perr = |error| LoadError::Polars {
            path: path.clone(),
            error,
        };
        let open = || {
            File::open(&path).map_err(|error| StoreError::Read {
                path: path.clone(),
                error,
            })
        };
        let total = ParquetReader::new(open()?).num_rows().map_err(perr)?;
        let mut offset = 0;
        while offset < total {
            let df = ParquetReader::new(open()?)
                .with_slice(Some((offset, rows)))
                .finish()
                .map_err(perr)?;
            each(&df).map_err(perr)?;
            offset += rows;
        }
        Ok(())
    }
}

/// A table written while its rows arrive: each [`TableWriter::write`] appends row groups to a temporary file,
/// and [`TableWriter::finish`] renames it into place. Dropped unfinished, it removes the temporary file.
pub struct TableWriter {
    name: &'static str,
    path: PathBuf,
    writer: Option<(PathBuf, BatchedWriter<File>)>,
}

impl TableWriter {
    fn part_path(&self) -> PathBuf {
        self.path.with_extension("parquet.part")
    }

    fn polars_error(&self, error: PolarsError) -> StoreError {
        LoadError::Polars {
            path: self.path.clone(),
            error,
        }
        .into()
    }

    /// Appends the rows of `frame`.
    pub fn write(&mut self, frame: PolarsResult<DataFrame>) -> Result<(), StoreError> {
        let df = frame.map_err(|e| self.polars_error(e))?;
        if self.writer.is_none() {
            let part = self.part_path();
            if let Some(dir) = part.parent() {
                std::fs::create_dir_all(dir).map_err(|error| StoreError::Write {
                    path: dir.to_path_buf(),
                    error,
                })?;
            }
            let file = File::create(&part).map_err(|error| StoreError::Write {
                path: part.clone(),
                error,
            })?;
            let w = ParquetWriter::new(file)
                .batched(df.schema())
                .map_err(|e| self.polars_error(e))?;
            self.writer = Some((part, w));
        }
        if df.height() == 0 {
            return Ok(());
        }
        let (_, w) = self.writer.as_mut().expect("opened above");
        let r = w.write_batch(&df);
        r.map_err(|e| self.polars_error(e))
    }

    /// Closes the table and moves it into place; `empty` gives the frame of a table that received no rows (its
    /// schema). Returns the table's path.
    pub fn finish(
        mut self,
        empty: impl FnOnce() -> PolarsResult<DataFrame>,
    ) -> Result<PathBuf, StoreError> {
        if self.writer.is_none() {
            self.write(empty())?;
        }
        let (part, w) = self.writer.take().expect("opened above");
        crate::fsutil::checkpoint(&format!("table:{}", self.name));
        w.finish().map_err(|e| self.polars_error(e))?;
        drop(w);
        std::fs::rename(&part, &self.path).map_err(|error| StoreError::Write {
            path: self.path.clone(),
            error,
        })?;
        Ok(self.path.clone())
    }
}

impl Drop for TableWriter {
    fn drop(&mut self) {
        if let Some((part, _)) = self.writer.take() {
            let _ = std::fs::remove_file(part);
        }
    }
}

/// Writes a text into the store. A plain write is enough: texts are written into a staging folder, which replaces
/// the old results only when every stage succeeded, so a half-written text is never seen.
fn write_text(path: &Path, text: &str) -> Result<(), StoreError> {
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)
    };
    write().map_err(|error| StoreError::Write {
        path: path.to_path_buf(),
        error,
    })
}

fn read_text(path: &Path) -> Result<String, StoreError> {
    std::fs::read_to_string(path).map_err(|error| StoreError::Read {
        path: path.to_path_buf(),
        error,
    })
}
