//! Crawl state and body cache. The state is one SQLite file (write-ahead log) holding, per source and URL, what
//! the crawl knows: queue position, last answer, ETag, Last-Modified, content hash, fetch time and error. Each
//! answer and the links it adds are written in one transaction, so a crawl killed at any instant resumes without
//! fetching finished URLs again. Bodies live in a content-addressed cache: the file name is the body's SHA-256,
//! never anything a URL or a title chose.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::CrawlError;
use crate::records::{ClosedSet, UrlKind, UrlOutcome};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    run_id      INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS urls (
    source         TEXT NOT NULL,
    url            TEXT NOT NULL,
    kind           TEXT NOT NULL,
    depth          INTEGER NOT NULL,
    linked_from    TEXT,
    redirected_from TEXT,
    seq            INTEGER NOT NULL,
    queued_run     INTEGER,
    done_run       INTEGER,
    outcome        TEXT,
    http_status    INTEGER,
    etag           TEXT,
    last_modified  TEXT,
    sitemap_lastmod TEXT,
    content_type   TEXT,
    content_hash   TEXT,
    bytes          INTEGER,
    fetched_at     TEXT,
    elapsed_ms     INTEGER,
    attempts       INTEGER,
    error          TEXT,
    final_url      TEXT,
    links          TEXT,
    warc_file      TEXT,
    warc_offset    INTEGER,
    warc_date      TEXT,
    warc_digest    TEXT,
    PRIMARY KEY (source, url)
);
CREATE INDEX IF NOT EXISTS urls_queued ON urls (source, queued_run);
CREATE TABLE IF NOT EXISTS feed_entries (
    source      TEXT NOT NULL,
    feed        TEXT NOT NULL,
    entry_id    TEXT NOT NULL,
    link        TEXT NOT NULL,
    title       TEXT,
    text        TEXT NOT NULL,
    date        TEXT,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (source, feed, entry_id)
);
";

/// A URL waiting in (or taken from) the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    pub url: String,
    pub kind: UrlKind,
    pub depth: u32,
    pub linked_from: Option<String>,
    /// The URL that redirected here, if any (the first of a chain).
    pub redirected_from: Option<String>,
    /// `lastmod` of the sitemap entry that listed it.
    pub sitemap_lastmod: Option<String>,
}

/// What one request ended with, as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub outcome: UrlOutcome,
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub content_hash: Option<String>,
    pub bytes: Option<u64>,
    pub elapsed_ms: Option<u64>,
    pub attempts: u32,
    pub error: Option<String>,
    pub final_url: Option<String>,
    /// The links of an HTML body, one absolute URL a line (kept so a 304 needs no parsing).
    pub links: Option<String>,
    /// The WARC file (relative to the crawl folder) holding the response that gave the body; a 304 keeps the
    /// earlier one.
    pub warc_file: Option<String>,
    /// The offset of that response record's gzip member.
    pub warc_offset: Option<u64>,
    /// That response record's `WARC-Date` and `WARC-Payload-Digest`, which a later revisit record refers to.
    pub warc_date: Option<String>,
    pub warc_digest: Option<String>,
}

/// The validators and cached body of a URL from an earlier answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_hash: Option<String>,
    pub content_type: Option<String>,
    pub links: Option<String>,
    /// The `WARC-Date` and `WARC-Payload-Digest` of the response record that holds the cached body, when one was
    /// written: a 304's revisit record refers to it.
    pub warc_date: Option<String>,
    pub warc_digest: Option<String>,
}

/// A stored row of this run, for the crawl log and the documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub queued: Queued,
    pub answer: Answer,
    pub fetched_at: Option<String>,
    pub seq: i64,
}

/// A feed entry as first seen (`feed` source): what its document is fetched and dated with.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenEntry {
    pub feed: String,
    pub id: String,
    pub link: String,
    pub title: Option<String>,
    pub text: String,
    pub date: Option<String>,
}

/// The stored copy of a page: the URL that gave the body (after redirects) and what its answer said.
#[derive(Debug, Clone, PartialEq)]
pub struct PageCopy {
    pub url: String,
    pub content_hash: String,
    pub content_type: Option<String>,
    pub last_modified: Option<String>,
    /// The URLs that redirected to `url`, first the one asked.
    pub redirected_from: Vec<String>,
}

/// The open crawl state of one crawl folder. Holds an exclusive lock on the folder while open.
pub struct State {
    conn: Connection,
    path: PathBuf,
    /// The last queue position handed out (only this process writes while it holds the lock).
    seq: i64,
    _lock: File,
}

/// The time now as RFC 3339 in UTC, to the millisecond (how the state and the crawl log write times).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl State {
    /// Opens (or creates) `<dir>/state.sqlite` and locks the folder against a second crawl.
    pub fn open(dir: &Path) -> Result<State, CrawlError> {
        let path = dir.join("state.sqlite");
        let err = |message: String| CrawlError::State {
            path: path.clone(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| err(format!("cannot create the folder: {e}")))?;
        let lock_path = dir.join("lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| err(format!("cannot open {}: {e}", lock_path.display())))?;
        lock.try_lock().map_err(|_| {
            err("another uptake process is crawling into this folder; wait for it to finish".into())
        })?;
        let conn = Connection::open(&path).map_err(|e| err(e.to_string()))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|_| conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|_| conn.busy_timeout(std::time::Duration::from_secs(5)))
            .and_then(|_| conn.execute_batch(SCHEMA))
            .map_err(|e| err(format!("not a usable crawl state: {e}")))?;
        // A state written by an older uptake gains the columns added since, empty: `links` (kept so a 304 needs
        // no parsing), where each body's WARC record is, and what a revisit record refers to (that record's date
        // and payload digest).
        for (column, ty) in [
            ("links", "TEXT"),
            ("warc_file", "TEXT"),
            ("warc_offset", "INTEGER"),
            ("warc_date", "TEXT"),
            ("warc_digest", "TEXT"),
        ] {
            let has: bool = conn
                .query_row(
                    "SELECT COUNT(*) FROM pragma_table_info('urls') WHERE name = ?1",
                    [column],
                    |r| r.get::<_, i64>(0),
                )
                .map(|n| n > 0)
                .map_err(|e| err(format!("not a usable crawl state: {e}")))?;
            if !has {
                conn.execute_batch(&format!("ALTER TABLE urls ADD COLUMN {column} {ty}"))
                    .map_err(|e| err(format!("cannot upgrade the crawl state: {e}")))?;
            }
        }
        let seq = conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM urls", [], |r| r.get(0))
            .map_err(|e| err(format!("not a usable crawl state: {e}")))?;
        Ok(State {
            conn,
            path,
            seq,
            _lock: lock,
        })
    }

    fn err(&self, e: rusqlite::Error) -> CrawlError {
        CrawlError::State {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// The run to continue for `source`: the unfinished one if the last crawl was cut short (`true`), else a new
    /// one (`false`).
    pub fn begin_run(&mut self, source: &str) -> Result<(i64, bool), CrawlError> {
        let open: Option<i64> = self
            .conn
            .query_row(
                "SELECT run_id FROM runs WHERE source = ?1 AND finished_at IS NULL ORDER BY run_id DESC LIMIT 1",
                params![source],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(run) = open {
            return Ok((run, true));
        }
        self.conn
            .execute(
                "INSERT INTO runs (source, started_at) VALUES (?1, ?2)",
                params![source, now()],
            )
            .map_err(|e| self.err(e))?;
        Ok((self.conn.last_insert_rowid(), false))
    }

    /// Marks a run finished: the next crawl of the source starts a new run.
    pub fn finish_run(&mut self, run: i64) -> Result<(), CrawlError> {
        self.conn
            .execute(
                "UPDATE runs SET finished_at = ?2 WHERE run_id = ?1",
                params![run, now()],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Every URL queued in `run`, in queue order, with whether it is finished.
    pub fn queued_in_run(&self, source: &str, run: i64) -> Result<Vec<(Queued, bool)>, CrawlError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT url, kind, depth, linked_from, redirected_from, sitemap_lastmod, done_run \
                 FROM urls WHERE source = ?1 AND queued_run = ?2 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![source, run], |r| {
                Ok((queued_of(r)?, r.get::<_, Option<i64>>(6)? == Some(run)))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Stores the answer for `done` (if any) and queues `added` in `run`, in one transaction. A URL already
    /// queued in this run is left as it is.
    pub fn record(
        &mut self,
        source: &str,
        run: i64,
        done: Option<(&Queued, &Answer)>,
        added: &[Queued],
    ) -> Result<(), CrawlError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| CrawlError::State {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut seq = self.seq;
        // A savepoint: its own transaction, or part of a batch (see `begin_batch`).
        let tx = self.conn.savepoint().map_err(err)?;
        {
            let mut add = tx
                .prepare_cached(
                    "INSERT INTO urls (source, url, kind, depth, linked_from, redirected_from, sitemap_lastmod, seq, queued_run) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                     ON CONFLICT (source, url) DO UPDATE SET kind = excluded.kind, depth = excluded.depth, \
                       linked_from = excluded.linked_from, redirected_from = excluded.redirected_from, \
                       sitemap_lastmod = COALESCE(excluded.sitemap_lastmod, urls.sitemap_lastmod), \
                       seq = excluded.seq, queued_run = excluded.queued_run \
                     WHERE urls.queued_run IS NOT excluded.queued_run",
                )
                .map_err(err)?;
            for q in added {
                seq += 1;
                add.execute(params![
                    source,
                    q.url,
                    q.kind.as_str(),
                    q.depth,
                    q.linked_from,
                    q.redirected_from,
                    q.sitemap_lastmod,
                    seq,
                    run
                ])
                .map_err(err)?;
            }
            if let Some((q, a)) = done {
                // Validators of an answer without a body keep the earlier ones (a failed re-fetch must not
                // forget the cached copy).
                tx.execute(
                    "UPDATE urls SET done_run = ?3, outcome = ?4, http_status = ?5, \
                       etag = CASE WHEN ?4 IN ('fetched', 'not_modified') THEN ?6 ELSE etag END, \
                       last_modified = CASE WHEN ?4 IN ('fetched', 'not_modified') THEN ?7 ELSE last_modified END, \
                       content_type = COALESCE(?8, content_type), \
                       content_hash = CASE WHEN ?4 IN ('fetched', 'not_modified') THEN ?9 ELSE content_hash END, \
                       bytes = ?10, fetched_at = ?11, elapsed_ms = ?12, attempts = ?13, error = ?14, final_url = ?15, \
                       links = CASE WHEN ?4 = 'fetched' THEN ?16 ELSE links END, \
                       warc_file = CASE WHEN ?4 IN ('fetched', 'sitemap') THEN ?17 ELSE warc_file END, \
                       warc_offset = CASE WHEN ?4 IN ('fetched', 'sitemap') THEN ?18 ELSE warc_offset END, \
                       warc_date = CASE WHEN ?4 IN ('fetched', 'sitemap') THEN ?19 ELSE warc_date END, \
                       warc_digest = CASE WHEN ?4 IN ('fetched', 'sitemap') THEN ?20 ELSE warc_digest END \
                     WHERE source = ?1 AND url = ?2",
                    params![
                        source,
                        q.url,
                        run,
                        a.outcome.as_str(),
                        a.http_status,
                        a.etag,
                        a.last_modified,
                        a.content_type,
                        a.content_hash,
                        a.bytes.map(|b| b as i64),
                        now(),
                        a.elapsed_ms.map(|b| b as i64),
                        a.attempts,
                        a.error,
                        a.final_url,
                        a.links,
                        a.warc_file,
                        a.warc_offset.map(|o| o as i64),
                        a.warc_date,
                        a.warc_digest
                    ],
                )
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        self.seq = seq;
        Ok(())
    }

    /// Opens a batch: the records until `end_batch` are committed together (each still all-or-nothing). A process
    /// killed inside a batch loses the batch's answers, which the next run asks again.
    pub fn begin_batch(&mut self) -> Result<(), CrawlError> {
        self.conn.execute_batch("BEGIN").map_err(|e| self.err(e))
    }

    /// Commits a batch.
    pub fn end_batch(&mut self) -> Result<(), CrawlError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    /// The validators of every URL of a source with a cached copy, read once at the start of a run.
    pub fn all_validators(&self, source: &str) -> Result<HashMap<String, Validators>, CrawlError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT url, etag, last_modified, content_hash, content_type, links, warc_date, warc_digest FROM urls \
                 WHERE source = ?1 AND content_hash IS NOT NULL",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![source], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Validators {
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        content_hash: r.get(3)?,
                        content_type: r.get(4)?,
                        links: r.get(5)?,
                        warc_date: r.get(6)?,
                        warc_digest: r.get(7)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<HashMap<_, _>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Every URL finished in `run`, in queue order.
    pub fn rows_of_run(&self, source: &str, run: i64) -> Result<Vec<Row>, CrawlError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT url, kind, depth, linked_from, redirected_from, sitemap_lastmod, outcome, http_status, etag, \
                   last_modified, content_type, content_hash, bytes, elapsed_ms, attempts, error, final_url, \
                   fetched_at, seq, warc_file, warc_offset, warc_date, warc_digest \
                 FROM urls WHERE source = ?1 AND done_run = ?2 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![source, run], |r| {
                Ok(Row {
                    queued: queued_of(r)?,
                    answer: Answer {
                        outcome: name_of(r, 6)?,
                        http_status: r.get(7)?,
                        etag: r.get(8)?,
                        last_modified: r.get(9)?,
                        content_type: r.get(10)?,
                        content_hash: r.get(11)?,
                        bytes: r.get::<_, Option<i64>>(12)?.map(|v| v as u64),
                        elapsed_ms: r.get::<_, Option<i64>>(13)?.map(|v| v as u64),
                        attempts: r.get::<_, Option<u32>>(14)?.unwrap_or(0),
                        error: r.get(15)?,
                        final_url: r.get(16)?,
                        links: None,
                        warc_file: r.get(19)?,
                        warc_offset: r.get::<_, Option<i64>>(20)?.map(|v| v as u64),
                        warc_date: r.get(21)?,
                        warc_digest: r.get(22)?,
                    },
                    fetched_at: r.get(17)?,
                    seq: r.get(18)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }
}

/// Feed entries (`feed` sources): each entry seen is remembered, so a re-run knows which entries are new and the
/// documents of entries that have left the feed stay documents.
impl State {
    /// Remembers the entries of `feed` not seen before (the first sighting is kept); returns how many were new.
    pub fn add_feed_entries(
        &mut self,
        source: &str,
        entries: &[SeenEntry],
    ) -> Result<usize, CrawlError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| CrawlError::State {
            path: path.clone(),
            message: e.to_string(),
        };
        let tx = self.conn.savepoint().map_err(err)?;
        let mut added = 0;
        {
            let mut add = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO feed_entries (source, feed, entry_id, link, title, text, date, seen_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err)?;
            let at = now();
            for e in entries {
                added += add
                    .execute(params![
                        source, e.feed, e.id, e.link, e.title, e.text, e.date, at
                    ])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(added)
    }

    /// Every entry seen by `source`, in the order first seen.
    pub fn feed_entries(&self, source: &str) -> Result<Vec<SeenEntry>, CrawlError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT feed, entry_id, link, title, text, date FROM feed_entries WHERE source = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![source], |r| {
                Ok(SeenEntry {
                    feed: r.get(0)?,
                    id: r.get(1)?,
                    link: r.get(2)?,
                    title: r.get(3)?,
                    text: r.get(4)?,
                    date: r.get(5)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The copy of `url` that an earlier run of `source` stored, following its redirects; `None` when it gave no
    /// body (never fetched, failed, or a loop).
    pub fn page_copy(&self, source: &str, url: &str) -> Result<Option<PageCopy>, CrawlError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT outcome, final_url, content_hash, content_type, last_modified FROM urls \
                 WHERE source = ?1 AND url = ?2 AND kind = 'page'",
            )
            .map_err(|e| self.err(e))?;
        let mut at = url.to_string();
        let mut chain: Vec<String> = Vec::new();
        for _ in 0..=crate::config::DEFAULT_MAX_REDIRECTS {
            type Got = (
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
            );
            let got: Option<Got> = stmt
                .query_row(params![source, at], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()
                .map_err(|e| self.err(e))?;
            let Some((outcome, final_url, hash, content_type, last_modified)) = got else {
                return Ok(None);
            };
            match (outcome.as_deref(), final_url, hash) {
                (Some("redirect"), Some(next), _) => {
                    if chain.contains(&next) || next == at {
                        return Ok(None);
                    }
                    chain.push(std::mem::replace(&mut at, next));
                }
                (Some("redirect"), None, _) | (_, _, None) => return Ok(None),
                (_, _, Some(content_hash)) => {
                    return Ok(Some(PageCopy {
                        url: at,
                        content_hash,
                        content_type,
                        last_modified,
                        redirected_from: chain,
                    }))
                }
            }
        }
        Ok(None)
    }
}

/// A queue entry from the first six columns of a row (`url, kind, depth, linked_from, redirected_from,
/// sitemap_lastmod`), the order every query of this module selects them in.
fn queued_of(r: &rusqlite::Row) -> rusqlite::Result<Queued> {
    Ok(Queued {
        url: r.get(0)?,
        kind: name_of(r, 1)?,
        depth: r.get(2)?,
        linked_from: r.get(3)?,
        redirected_from: r.get(4)?,
        sitemap_lastmod: r.get(5)?,
    })
}

/// The closed-set value stored in column `i` as its name (a kind is always stored; an outcome on every row
/// finished in a run).
fn name_of<T: ClosedSet>(r: &rusqlite::Row, i: usize) -> rusqlite::Result<T> {
    let name: Option<String> = r.get(i)?;
    name.unwrap_or_default().parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The content-addressed cache of fetched bodies: `<dir>/bodies/<first two hex digits>/<sha256>`.
#[derive(Debug, Clone)]
pub struct BodyCache {
    dir: PathBuf,
}

/// The SHA-256 of a body, in hex.
pub fn content_hash(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        hex.push(HEX[usize::from(b >> 4)] as char);
        hex.push(HEX[usize::from(b & 15)] as char);
    }
    hex
}

impl BodyCache {
    pub fn new(crawl_dir: &Path) -> BodyCache {
        BodyCache {
            dir: crawl_dir.join("bodies"),
        }
    }

    /// The file of a hash; `None` for anything that is not 64 hex digits, so no stored value can pick a path.
    pub fn path_of(&self, hash: &str) -> Option<PathBuf> {
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.dir.join(&hash[..2]).join(hash))
    }

    /// Stores a body under its hash (written to a temporary file and renamed) and returns the hash.
    pub fn put(&self, bytes: &[u8]) -> Result<String, CrawlError> {
        let hash = content_hash(bytes);
        let path = self.path_of(&hash).expect("a SHA-256 in hex");
        if path.is_file() {
            return Ok(hash);
        }
        let err = |e: std::io::Error| CrawlError::Cache {
            path: path.clone(),
            message: e.to_string(),
        };
        let dir = path.parent().expect("a cache file has a folder");
        std::fs::create_dir_all(dir).map_err(err)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(dir)
            .map_err(err)?;
        tmp.write_all(bytes).map_err(err)?;
        tmp.persist(&path).map_err(|e| err(e.error))?;
        Ok(hash)
    }

    /// Reads a body back, checking its hash; `None` when it is missing or damaged.
    pub fn get(&self, hash: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path_of(hash)?).ok()?;
        (content_hash(&bytes) == hash).then_some(bytes)
    }

    /// Removes a stored body (a damaged one), ignoring a missing file.
    pub fn remove(&self, hash: &str) {
        if let Some(p) = self.path_of(hash) {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Whether a body is stored (without reading it).
    pub fn has(&self, hash: &str) -> bool {
        self.path_of(hash).is_some_and(|p| p.is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(url: &str) -> Queued {
        Queued {
            url: url.into(),
            kind: UrlKind::Page,
            depth: 0,
            linked_from: None,
            redirected_from: None,
            sitemap_lastmod: None,
        }
    }

    #[test]
    fn a_run_left_open_is_resumed_and_a_finished_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(dir.path()).unwrap();
        let (run, resumed) = st.begin_run("s").unwrap();
        assert!(!resumed);
        st.record("s", run, None, &[q("http://a/1"), q("http://a/2")])
            .unwrap();
        let answer = Answer {
            outcome: UrlOutcome::Fetched,
            etag: Some("\"e1\"".into()),
            content_hash: Some("ab".repeat(32)),
            ..Answer::default()
        };
        st.record("s", run, Some((&q("http://a/1"), &answer)), &[])
            .unwrap();
        drop(st);
        let mut st = State::open(dir.path()).unwrap();
        assert_eq!(st.begin_run("s").unwrap(), (run, true));
        let queued = st.queued_in_run("s", run).unwrap();
        assert_eq!(
            queued
                .iter()
                .map(|(q, d)| (q.url.as_str(), *d))
                .collect::<Vec<_>>(),
            [("http://a/1", true), ("http://a/2", false)]
        );
        st.finish_run(run).unwrap();
        let (next, resumed) = st.begin_run("s").unwrap();
        assert!(next > run && !resumed);
        assert_eq!(
            st.all_validators("s").unwrap()["http://a/1"]
                .etag
                .as_deref(),
            Some("\"e1\"")
        );
        // A failed answer later keeps the validators of the cached copy.
        st.record("s", next, None, &[q("http://a/1")]).unwrap();
        let failed = Answer {
            outcome: UrlOutcome::Failed,
            error: Some("HTTP 500".into()),
            ..Answer::default()
        };
        st.record("s", next, Some((&q("http://a/1"), &failed)), &[])
            .unwrap();
        let rows = st.rows_of_run("s", next).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].answer.content_hash, Some("ab".repeat(32)));
    }

    #[test]
    fn a_304_keeps_the_warc_record_a_revisit_refers_to_and_an_old_state_gains_its_columns() {
        let dir = tempfile::tempdir().unwrap();
        let st = State::open(dir.path()).unwrap();
        // a state written before links and WARC records were kept
        st.conn
            .execute_batch(
                "ALTER TABLE urls DROP COLUMN links; ALTER TABLE urls DROP COLUMN warc_file; \
                 ALTER TABLE urls DROP COLUMN warc_offset; ALTER TABLE urls DROP COLUMN warc_date; \
                 ALTER TABLE urls DROP COLUMN warc_digest",
            )
            .unwrap();
        drop(st);
        let mut st = State::open(dir.path()).unwrap();
        let (run, _) = st.begin_run("s").unwrap();
        st.record("s", run, None, &[q("http://a/1")]).unwrap();
        let fetched = Answer {
            outcome: UrlOutcome::Fetched,
            content_hash: Some("ab".repeat(32)),
            warc_file: Some("warc/one.warc.gz".into()),
            warc_offset: Some(10),
            warc_date: Some("2026-11-01T10:00:00Z".into()),
            warc_digest: Some("sha1:AAAA".into()),
            ..Answer::default()
        };
        st.record("s", run, Some((&q("http://a/1"), &fetched)), &[])
            .unwrap();
        st.finish_run(run).unwrap();
        let (next, _) = st.begin_run("s").unwrap();
        st.record("s", next, None, &[q("http://a/1")]).unwrap();
        // the 304's own revisit record is elsewhere; the body's record stays the one referred to
        let not_modified = Answer {
            outcome: UrlOutcome::NotModified,
            content_hash: Some("ab".repeat(32)),
            warc_file: Some("warc/two.warc.gz".into()),
            warc_offset: Some(20),
            warc_date: Some("2026-11-02T10:00:00Z".into()),
            ..Answer::default()
        };
        st.record("s", next, Some((&q("http://a/1"), &not_modified)), &[])
            .unwrap();
        let v = &st.all_validators("s").unwrap()["http://a/1"];
        assert_eq!(v.warc_date.as_deref(), Some("2026-11-01T10:00:00Z"));
        assert_eq!(v.warc_digest.as_deref(), Some("sha1:AAAA"));
        let rows = st.rows_of_run("s", next).unwrap();
        assert_eq!(
            rows[0].answer.warc_file.as_deref(),
            Some("warc/one.warc.gz")
        );
        assert_eq!(
            rows[0].answer.warc_date.as_deref(),
            Some("2026-11-01T10:00:00Z")
        );
    }

    #[test]
    fn a_second_process_cannot_open_a_locked_folder() {
        let dir = tempfile::tempdir().unwrap();
        let _st = State::open(dir.path()).unwrap();
        let e = State::open(dir.path()).err().expect("locked");
        assert!(e.to_string().contains("another uptake process"), "{e}");
    }

    #[test]
    fn cache_paths_come_only_from_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BodyCache::new(dir.path());
        assert!(cache.path_of("../../etc/passwd").is_none());
        let h = cache.put(b"hello").unwrap();
        assert_eq!(cache.get(&h).unwrap(), b"hello");
        std::fs::write(cache.path_of(&h).unwrap(), b"damaged").unwrap();
        assert!(cache.get(&h).is_none());
    }
}
