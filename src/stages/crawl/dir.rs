//! The `dir` source: a local folder walked recursively in name order; its `manifest.csv` supplies URLs and
//! metadata that override what extraction finds. A folder on object storage (`s3://bucket/prefix`, …) is listed
//! and its objects copied into the crawl folder, under names made of the SHA-256 of their URLs (never of a key's
//! text), then read the same way, each document named by its object's URL.

use std::collections::HashMap;
use std::path::Path;

use super::{CrawlError, CrawlOutcome};
use crate::config::rows::{read_rows, CsvRow};
use crate::config::DirSource;
use crate::records::{Overrides, RawDoc, SkipStage, Skipped};

/// File extensions a dir source reads.
pub const DIR_EXTENSIONS: &[&str] = &["html", "htm", "pdf", "txt", "md"];

/// A row of `manifest.csv`, as read (see [`crate::config::rows`] for the rules every input CSV follows).
#[derive(Debug, serde::Deserialize)]
struct ManifestRow {
    path: Option<String>,
    url: Option<String>,
    title: Option<String>,
    publisher: Option<String>,
    published: Option<String>,
    sector: Option<String>,
    country: Option<String>,
}

impl CsvRow for ManifestRow {
    const COLUMNS: &'static [&'static str] = &[
        "path",
        "url",
        "title",
        "publisher",
        "published",
        "sector",
        "country",
    ];
    const OPTIONAL: &'static [&'static str] = &[
        "url",
        "title",
        "publisher",
        "published",
        "sector",
        "country",
    ];
}

/// Reads `manifest.csv` (columns `path,url,title,publisher,published,sector,country`; all but `path` optional) into
/// overrides by relative path.
fn read_manifest(path: &Path) -> Result<HashMap<String, Overrides>, CrawlError> {
    let err = |line: Option<u64>, message: String| CrawlError::Manifest {
        path: path.to_path_buf(),
        message: match line {
            Some(l) => format!("line {l}: {message}"),
            None => message,
        },
    };
    let rows = read_rows::<ManifestRow>(path).map_err(|e| err(e.line, e.message))?;
    let mut map = HashMap::new();
    for (line, row) in rows {
        let Some(rel) = row.path.map(|p| p.replace('\\', "/")) else {
            return Err(err(Some(line), "empty path".into()));
        };
        map.insert(
            rel,
            Overrides {
                url: row.url,
                title: row.title,
                publisher: row.publisher,
                published: row.published,
                sector: row.sector,
                country: row.country,
                origin: None,
            },
        );
    }
    Ok(map)
}

/// The content type a file extension stands for (the types a dir source reads), or `None`.
pub fn content_type_for(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain",
        _ => return None,
    })
}

/// Reads the files of a folder source into `out`; with a `shard`, only the files of that shard (keyed by
/// [`crate::shard::file_key`]: the manifest URL's host, else the path inside the folder).
pub(super) fn read_dir_source(
    d: &DirSource,
    shard: Option<&crate::shard::Shard>,
    out: &mut CrawlOutcome,
) -> Result<(), CrawlError> {
    if !d.path.is_dir() {
        return Err(CrawlError::MissingDir {
            path: d.path.clone(),
        });
    }
    let manifest_path = d.path.join("manifest.csv");
    let mut manifest = if manifest_path.is_file() {
        match read_manifest(&manifest_path) {
            Ok(m) => m,
            Err(e) => {
                manifest_unread(out, manifest_path.display().to_string(), &e);
                HashMap::new()
            }
        }
    } else {
        HashMap::new()
    };
    let walker = walkdir::WalkDir::new(&d.path).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let location = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| d.path.display().to_string());
                let reason = format!(
                    "cannot read: {}",
                    e.io_error().map(|e| e.to_string()).unwrap_or(e.to_string())
                );
                skip_file(out, location, reason);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let rel = path
            .strip_prefix(&d.path)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let file = FolderFile {
            rel: &rel,
            local: path,
            location: path.display().to_string(),
            size,
        };
        add_file(d, file, &mut manifest, shard, out);
    }
    warn_unused(manifest, &manifest_path.display().to_string());
    Ok(())
}

/// One file of a folder source: its path inside the folder, where it is on this machine, and how tables and
/// messages name it.
struct FolderFile<'a> {
    rel: &'a str,
    local: &'a Path,
    location: String,
    size: u64,
}

/// Adds `file` of folder source `d` to `out` as a document to read, with its manifest row taken from
/// `manifest`, unless its type is not read, it is over `max_bytes`, or it is another shard's.
fn add_file(
    d: &DirSource,
    file: FolderFile,
    manifest: &mut HashMap<String, Overrides>,
    shard: Option<&crate::shard::Shard>,
    out: &mut CrawlOutcome,
) {
    let FolderFile {
        rel,
        local,
        location,
        size,
    } = file;
    let Some(content_type) = content_type_for(Path::new(rel)) else {
        return;
    };
    let overrides = manifest.remove(rel).unwrap_or_default();
    if let Some(s) = shard {
        if !s.takes(&crate::shard::file_key(rel, overrides.url.as_deref())) {
            return;
        }
    }
    if size > d.max_bytes {
        let reason = format!("{size} bytes is over max_bytes = {}", d.max_bytes);
        skip_file(out, location, reason);
        return;
    }
    let url = match &overrides.url {
        Some(u) => u.clone(),
        None if crate::config::is_object_store_url(&location) => location.clone(),
        None => file_url(local),
    };
    let meta = RawDoc {
        source: d.name.clone(),
        key: format!("{}/{}", d.name, rel),
        url,
        location,
        bytes: Vec::new(),
        content_type_hint: Some(content_type.to_string()),
        overrides,
        linked_from: None,
        other_urls: vec![],
        fallback_date: None,
        found_by: None,
        warc: None,
    };
    out.docs
        .push(super::CachedDoc::file(meta, local.to_path_buf()));
}

/// Warns of the manifest rows (of the manifest at `manifest`) that named no file.
fn warn_unused(manifest: HashMap<String, Overrides>, at: &str) {
    let mut unused: Vec<_> = manifest.into_keys().collect();
    unused.sort();
    for rel in unused {
        tracing::warn!("{at}: row for {rel:?} names no file in the folder");
    }
}

/// Reads a folder source on object storage into `out`: its objects are listed, those of the types read (and
/// `manifest.csv`) copied into `crawl_dir` (again on every run: they are small and may have changed), then read
/// like a local folder's files; with a `shard`, only that shard's objects are copied.
pub(super) fn read_object_dir_source(
    d: &DirSource,
    crawl_dir: &Path,
    shard: Option<&crate::shard::Shard>,
    out: &mut CrawlOutcome,
) -> Result<(), CrawlError> {
    let url = d.path.to_string_lossy().trim_end_matches('/').to_string();
    let fail = |message: String| CrawlError::ObjectFolder {
        url: url.clone(),
        message,
    };
    let folder = objects::Folder::open(&url, crawl_dir).map_err(fail)?;
    let rels = folder.list().map_err(fail)?;
    let mut manifest = HashMap::new();
    if rels.iter().any(|r| r == "manifest.csv") {
        let manifest_url = format!("{url}/manifest.csv");
        let read = folder
            .copy("manifest.csv")
            .map_err(|message| CrawlError::Manifest {
                path: manifest_url.clone().into(),
                message,
            })
            .and_then(|(local, _)| read_manifest(&local));
        match read {
            Ok(m) => manifest = m,
            Err(e) => manifest_unread(out, manifest_url, &e),
        }
    }
    for rel in &rels {
        if content_type_for(Path::new(rel)).is_none() {
            continue;
        }
        if let Some(s) = shard {
            let listed = manifest.get(rel).and_then(|o: &Overrides| o.url.as_deref());
            if !s.takes(&crate::shard::file_key(rel, listed)) {
                continue;
            }
        }
        let location = format!("{url}/{rel}");
        match folder.copy(rel) {
            Ok((local, size)) => {
                let file = FolderFile {
                    rel,
                    local: &local,
                    location,
                    size,
                };
                add_file(d, file, &mut manifest, None, out);
            }
            Err(reason) => skip_file(out, location, reason),
        }
    }
    warn_unused(manifest, &format!("{url}/manifest.csv"));
    Ok(())
}

/// Folders on object storage, through [`crate::remote`] (with the `tables` feature, which builds
/// `object_store`).
mod objects {
    use std::path::{Path, PathBuf};

    /// A folder on object storage and where its objects are copied.
    pub struct Folder {
        #[cfg(feature = "tables")]
        remote: crate::remote::Remote,
        url: String,
        dir: PathBuf,
    }

    impl Folder {
        /// The folder at `url`, its copies kept under `crawl_dir/objects`.
        pub fn open(url: &str, crawl_dir: &Path) -> Result<Folder, String> {
            let dir = crawl_dir.join("objects");
            #[cfg(feature = "tables")]
            {
                let remote = crate::remote::Remote::open(url).map_err(|e| e.to_string())?;
                Ok(Folder {
                    remote,
                    url: url.to_string(),
                    dir,
                })
            }
            #[cfg(not(feature = "tables"))]
            {
                let _ = dir;
                Err(format!(
                    "{url}: reading object storage needs uptake built with its `tables` feature"
                ))
            }
        }

        /// The objects under the folder, as paths relative to it, sorted.
        pub fn list(&self) -> Result<Vec<String>, String> {
            #[cfg(feature = "tables")]
            return self.remote.list("").map_err(|e| e.to_string());
            #[cfg(not(feature = "tables"))]
            unreachable!("no folder opens without the tables feature")
        }

        /// Copies object `rel` into the crawl folder: its local path and size.
        pub fn copy(&self, rel: &str) -> Result<(PathBuf, u64), String> {
            let url = format!("{}/{rel}", self.url);
            let local = self.dir.join(crate::crawl::content_hash(url.as_bytes()));
            #[cfg(feature = "tables")]
            {
                let bytes = match self.remote.get(rel) {
                    Ok(Some(b)) => b,
                    Ok(None) => return Err("no such object".into()),
                    Err(e) => return Err(e.to_string()),
                };
                std::fs::create_dir_all(&self.dir)
                    .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
                crate::fsutil::write_atomic(&local, &bytes)
                    .map_err(|e| format!("cannot write {}: {e}", local.display()))?;
                Ok((local, bytes.len() as u64))
            }
            #[cfg(not(feature = "tables"))]
            {
                let _ = local;
                unreachable!("no folder opens without the tables feature")
            }
        }
    }
}

/// Records a file of a folder source skipped (logged as a warning).
fn skip_file(out: &mut CrawlOutcome, location: String, reason: String) {
    tracing::warn!("{location}: {reason}");
    out.skipped.push(Skipped {
        stage: SkipStage::Crawl,
        location,
        reason,
    });
}

/// Records a folder's manifest that could not be read (logged as an error); the folder is read without it.
fn manifest_unread(out: &mut CrawlOutcome, location: String, e: &CrawlError) {
    tracing::error!("{e}; reading the folder without it");
    out.skipped.push(Skipped {
        stage: SkipStage::Crawl,
        location,
        reason: e.to_string(),
    });
}

/// A `file://` URL for a local path (absolute where the path can be resolved).
pub fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    url::Url::from_file_path(&abs)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| format!("file://{}", abs.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Result<HashMap<String, Overrides>, CrawlError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("manifest.csv");
        std::fs::write(&p, text).unwrap();
        read_manifest(&p)
    }

    #[test]
    fn manifest_rows_follow_the_one_csv_reader() {
        let m = manifest(
            "# where the files were found\n\
             Title,PATH,url\n\
             \"Internet Governance Forum, Geneva 2017: report\",sub\\a.pdf,https://a.example/r\n\
             ,b.html,\n\
             ,\"#1.html\",\n",
        )
        .unwrap();
        let a = &m["sub/a.pdf"];
        assert_eq!(
            a.title.as_deref(),
            Some("Internet Governance Forum, Geneva 2017: report")
        );
        assert_eq!(a.url.as_deref(), Some("https://a.example/r"));
        assert_eq!(a.publisher, None);
        assert_eq!(m["b.html"], Overrides::default());
        assert!(m.contains_key("#1.html"), "a quoted path may start with #");
    }

    #[test]
    fn manifest_errors_name_the_file_and_line() {
        let e = manifest("path,url\na.html,x\n\n ,y\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("manifest.csv: line 4: empty path"), "{e}");
        let e = manifest("path,author\n").unwrap_err().to_string();
        assert!(
            e.contains("manifest.csv: line 1: unknown column \"author\""),
            "{e}"
        );
        let e = manifest("url,title\n").unwrap_err().to_string();
        assert!(e.contains("missing column path"), "{e}");
    }
}
