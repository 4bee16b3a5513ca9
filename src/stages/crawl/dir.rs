//! The `dir` source: a local folder walked recursively in name order; its `manifest.csv` supplies URLs and
//! metadata that override what extraction finds.

use std::collections::HashMap;
use std::path::Path;

use super::{CrawlError, CrawlOutcome};
use crate::config::DirSource;
use crate::records::{Overrides, RawDoc, Skipped};

/// File extensions a dir source reads.
pub const DIR_EXTENSIONS: &[&str] = &["html", "htm", "pdf", "txt", "md"];

/// Reads `manifest.csv` (columns `path,url,title,publisher,published,sector,country`; all but `path` optional) into overrides by relative path.
fn read_manifest(path: &Path) -> Result<HashMap<String, Overrides>, CrawlError> {
    let err = |message: String| CrawlError::Manifest {
        path: path.to_path_buf(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| err(e.to_string()))?;
    let headers = reader.headers().map_err(|e| err(e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let path_col = col("path").ok_or_else(|| err("no `path` column".into()))?;
    let known = [
        "path",
        "url",
        "title",
        "publisher",
        "published",
        "sector",
        "country",
    ];
    if let Some(h) = headers
        .iter()
        .find(|h| !known.iter().any(|k| h.eq_ignore_ascii_case(k)))
    {
        return Err(err(format!(
            "unknown column {h:?}; expected {}",
            known.join(",")
        )));
    }
    let cols: Vec<Option<usize>> = known[1..].iter().map(|k| col(k)).collect();
    let mut map = HashMap::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| err(format!("row {}: {e}", i + 2)))?;
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let rel = row.get(path_col).unwrap_or("").trim().replace('\\', "/");
        if rel.is_empty() {
            return Err(err(format!("row {}: empty path", i + 2)));
        }
        map.insert(
            rel,
            Overrides {
                url: get(cols[0]),
                title: get(cols[1]),
                publisher: get(cols[2]),
                published: get(cols[3]),
                sector: get(cols[4]),
                country: get(cols[5]),
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

pub(super) fn read_dir_source(d: &DirSource, out: &mut CrawlOutcome) -> Result<(), CrawlError> {
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
                tracing::error!("{e}; reading the folder without it");
                out.skipped.push(Skipped {
                    stage: "crawl".into(),
                    location: manifest_path.display().to_string(),
                    reason: e.to_string(),
                });
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
                tracing::warn!("{location}: {reason}");
                out.skipped.push(Skipped {
                    stage: "crawl".into(),
                    location,
                    reason,
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Some(content_type) = content_type_for(path) else {
            continue;
        };
        let rel = path
            .strip_prefix(&d.path)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let location = path.display().to_string();
        let skip = |reason: String, out: &mut CrawlOutcome| {
            tracing::warn!("{location}: {reason}");
            out.skipped.push(Skipped {
                stage: "crawl".into(),
                location: location.clone(),
                reason,
            });
        };
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if size > d.max_bytes {
            skip(
                format!("{size} bytes is over max_bytes = {}", d.max_bytes),
                out,
            );
            continue;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                skip(format!("cannot read: {e}"), out);
                continue;
            }
        };
        let overrides = manifest.remove(&rel).unwrap_or_default();
        let url = match &overrides.url {
            Some(u) => u.clone(),
            None => file_url(path),
        };
        out.docs.push(RawDoc {
            source: d.name.clone(),
            key: format!("{}/{}", d.name, rel),
            url,
            location,
            bytes,
            content_type_hint: Some(content_type.to_string()),
            overrides,
            linked_from: None,
            other_urls: vec![],
            fallback_date: None,
        });
    }
    let mut unused: Vec<_> = manifest.into_keys().collect();
    unused.sort();
    for rel in unused {
        tracing::warn!(
            "{}: row for {rel:?} names no file in the folder",
            manifest_path.display()
        );
    }
    Ok(())
}

/// A `file://` URL for a local path (absolute where the path can be resolved).
pub fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    url::Url::from_file_path(&abs)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| format!("file://{}", abs.display()))
}
