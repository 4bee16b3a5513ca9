//! Results on object storage, so the workers of a sharded run need no shared disk: a shard copies its finished
//! folder to `<url>/shards=N/shard=K/`, the merge copies every shard's folder down, merges on its own disk and
//! copies the merged tables, texts and report up (`pipeline::merge`). The URL is any that `object_store` reads:
//! `s3://bucket/prefix` (Amazon S3 and S3-compatible stores), `gs://bucket/prefix` (Google Cloud Storage),
//! `az://container/prefix` (Azure Blob Storage), `file:///path`. Credentials and endpoints come from the
//! environment as each store's own tools read them: `AWS_*` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_REGION`, `AWS_ENDPOINT` for a store that is not Amazon's, `AWS_ALLOW_HTTP`), `GOOGLE_*`, `AZURE_*`.
//!
//! Each file is one PUT (S3 takes up to 5 GB in one). Object keys read back are checked before they become
//! paths: a key with an empty, `.` or `..` part is refused.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// Requests to the store in flight at once.
const IN_FLIGHT: usize = 16;

/// Errors of the object store copies; each names the URL or the file.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("{url}: {message}")]
    Url { url: String, message: String },
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{url}: {message}")]
    Store { url: String, message: String },
    #[error("cannot start the object store client: {0}")]
    Runtime(std::io::Error),
}

/// A folder on object storage.
pub struct Remote {
    store: Box<dyn ObjectStore>,
    root: Key,
    url: String,
    rt: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote").field("url", &self.url).finish()
    }
}

/// The store holding `url` and the object's key (or folder's prefix) in it, with the store's settings from the
/// environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`). Nothing is requested yet.
pub fn store_for(url: &str) -> Result<(Box<dyn ObjectStore>, Key), RemoteError> {
    let bad = |message: String| RemoteError::Url {
        url: url.to_string(),
        message,
    };
    let parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
    if !(crate::config::is_object_store_url(url) || parsed.scheme() == "file") {
        return Err(bad(format!(
            "scheme {} is not an object store (s3://, gs://, az://, file://)",
            parsed.scheme()
        )));
    }
    let options = std::env::vars().filter(|(k, _)| {
        k.starts_with("AWS_") || k.starts_with("GOOGLE_") || k.starts_with("AZURE_")
    });
    object_store::parse_url_opts(&parsed, options.map(|(k, v)| (k.to_ascii_lowercase(), v)))
        .map_err(|e| bad(e.to_string()))
}

impl Remote {
    /// The folder at `url`, with the store's settings from the environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`).
    pub fn open(url: &str) -> Result<Remote, RemoteError> {
        let (store, root) = store_for(url)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(RemoteError::Runtime)?;
        Ok(Remote {
            store,
            root,
            url: url.trim_end_matches('/').to_string(),
            rt,
        })
    }

    /// The URL of `rel` under this folder, for messages.
    pub fn url_of(&self, rel: &str) -> String {
        if rel.is_empty() {
            self.url.clone()
        } else {
            format!("{}/{rel}", self.url)
        }
    }

    fn key(&self, rel: &str) -> Key {
        rel.split('/')
            .filter(|p| !p.is_empty())
            .fold(self.root.clone(), |k, p| k.clone().join(p))
    }

    fn store_error(&self, rel: &str, e: impl std::fmt::Display) -> RemoteError {
        RemoteError::Store {
            url: self.url_of(rel),
            message: e.to_string(),
        }
    }

    /// The object `rel`, or `None` when there is none.
    pub fn get(&self, rel: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let key = self.key(rel);
        self.rt.block_on(async {
            match self.store.get(&key).await {
                Ok(r) => r
                    .bytes()
                    .await
                    .map(|b| Some(b.to_vec()))
                    .map_err(|e| self.store_error(rel, e)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(self.store_error(rel, e)),
            }
        })
    }

    /// The objects under `rel` (recursively), as paths relative to it, sorted. A key that cannot be a relative
    /// path is refused.
    pub fn list(&self, rel: &str) -> Result<Vec<String>, RemoteError> {
        let prefix = self.key(rel);
        let metas: Vec<_> = self
            .rt
            .block_on(self.store.list(Some(&prefix)).collect::<Vec<_>>());
        let mut out = Vec::new();
        for m in metas {
            let m = m.map_err(|e| self.store_error(rel, e))?;
            let Some(parts) = m.location.prefix_match(&prefix) else {
                continue;
            };
            let parts: Vec<String> = parts.map(|p| p.as_ref().to_string()).collect();
            if parts.is_empty() || parts.iter().any(|p| p.is_empty() || p == "." || p == "..") {
                return Err(self.store_error(
                    rel,
                    format!("object {} is not a plain relative path", m.location),
                ));
            }
            out.push(parts.join("/"));
        }
        out.sort();
        Ok(out)
    }

    /// Copies the files under the local folder `local` to `rel`, keeping their relative paths; top-level
    /// entries for which `skip` is true are left out. `last` (a top-level file name) is copied after every
    /// other file and, if present remotely, removed before them, so a reader that sees it sees the rest. Objects
    /// under `rel` that were not copied (and whose top-level name `skip` does not protect) are deleted. Returns
    /// the number of files copied.
    pub fn upload(
        &self,
        local: &Path,
        rel: &str,
        skip: &dyn Fn(&str) -> bool,
        last: Option<&str>,
    ) -> Result<usize, RemoteError> {
        let io = |path: &Path, error| RemoteError::Io {
            path: path.to_path_buf(),
            error,
        };
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for e in walkdir::WalkDir::new(local).sort_by_file_name() {
            let e = e.map_err(|e| {
                let path = e.path().unwrap_or(local).to_path_buf();
                io(&path, std::io::Error::other(e.to_string()))
            })?;
            if !e.file_type().is_file() {
                continue;
            }
            let rel_path = e.path().strip_prefix(local).unwrap_or(e.path());
            let parts: Vec<String> = rel_path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.first().is_some_and(|top| skip(top)) {
                continue;
            }
            files.push((parts.join("/"), e.path().to_path_buf()));
        }
        let join = |a: &str| {
            if rel.is_empty() {
                a.to_string()
            } else {
                format!("{rel}/{a}")
            }
        };
        if let Some(l) = last {
            self.delete(&[join(l)])?;
        }
        let (first, then): (Vec<_>, Vec<_>) =
            files.iter().partition(|(r, _)| Some(r.as_str()) != last);
        for batch in [first, then] {
            self.rt.block_on(async {
                let puts = futures_util::stream::iter(batch.into_iter().map(|(r, path)| {
                    let key = self.key(&join(r));
                    async move {
                        let bytes = tokio::fs::read(path).await.map_err(|e| io(path, e))?;
                        self.store
                            .put(&key, PutPayload::from(bytes))
                            .await
                            .map_err(|e| self.store_error(r, e))?;
                        Ok::<(), RemoteError>(())
                    }
                }))
                .buffer_unordered(IN_FLIGHT)
                .collect::<Vec<_>>()
                .await;
                puts.into_iter().collect::<Result<Vec<()>, _>>()
            })?;
        }
        let copied: std::collections::HashSet<&str> =
            files.iter().map(|(r, _)| r.as_str()).collect();
        let stale: Vec<String> = self
            .list(rel)?
            .into_iter()
            .filter(|r| !copied.contains(r.as_str()))
            .filter(|r| !skip(r.split('/').next().unwrap_or("")))
            .map(|r| join(&r))
            .collect();
        if !stale.is_empty() {
            tracing::info!(
                "{}: {} object(s) of an earlier copy removed",
                self.url_of(rel),
                stale.len()
            );
        }
        self.delete(&stale)?;
        Ok(files.len())
    }

    /// Deletes the objects `rels` (one that is not there is no error), in as few requests as the store allows
    /// (S3: a thousand a request).
    fn delete(&self, rels: &[String]) -> Result<(), RemoteError> {
        if rels.is_empty() {
            return Ok(());
        }
        let keys: Vec<object_store::Result<Key>> = rels.iter().map(|r| Ok(self.key(r))).collect();
        let results: Vec<object_store::Result<Key>> = self.rt.block_on(
            self.store
                .delete_stream(futures_util::stream::iter(keys).boxed())
                .collect::<Vec<_>>(),
        );
        for r in results {
            match r {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(self.store_error("", e)),
            }
        }
        Ok(())
    }

    /// Copies every object under `rel` into the local folder `local` (created), keeping the relative paths.
    /// Returns the number of files.
    pub fn download(&self, rel: &str, local: &Path) -> Result<usize, RemoteError> {
        let names = self.list(rel)?;
        let join = |a: &str| {
            if rel.is_empty() {
                a.to_string()
            } else {
                format!("{rel}/{a}")
            }
        };
        self.rt.block_on(async {
            let gets = futures_util::stream::iter(names.iter().map(|name| {
                let full = join(name);
                let to = local.join(name);
                async move {
                    let bytes = match self.store.get(&self.key(&full)).await {
                        Ok(r) => r.bytes().await.map_err(|e| self.store_error(&full, e))?,
                        Err(e) => return Err(self.store_error(&full, e)),
                    };
                    if let Some(dir) = to.parent() {
                        tokio::fs::create_dir_all(dir)
                            .await
                            .map_err(|error| RemoteError::Io {
                                path: dir.to_path_buf(),
                                error,
                            })?;
                    }
                    tokio::fs::write(&to, &bytes)
                        .await
                        .map_err(|error| RemoteError::Io { path: to, error })
                }
            }))
            .buffer_unordered(IN_FLIGHT)
            .collect::<Vec<_>>()
            .await;
            gets.into_iter().collect::<Result<Vec<()>, _>>()
        })?;
        Ok(names.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_folder_goes_up_and_comes_down_whole_and_stale_objects_go() {
        let tmp = tempfile::tempdir().unwrap();
        let (local, bucket, back) = (
            tmp.path().join("local"),
            tmp.path().join("bucket"),
            tmp.path().join("back"),
        );
        std::fs::create_dir_all(local.join("text/outputs")).unwrap();
        std::fs::create_dir_all(local.join("crawl")).unwrap();
        std::fs::create_dir_all(&bucket).unwrap();
        for (p, t) in [
            ("a.parquet", "A"),
            ("shard.json", "{}"),
            ("text/d1.txt", "one"),
            ("text/outputs/o.txt", "out"),
            ("crawl/state.sqlite", "not copied"),
        ] {
            std::fs::write(local.join(p), t).unwrap();
        }
        let url = url::Url::from_directory_path(&bucket).unwrap().to_string();
        let r = Remote::open(&format!("{url}run")).unwrap();
        let skip = |top: &str| top == "crawl";
        assert_eq!(
            r.upload(&local, "shards=2/shard=0", &skip, Some("shard.json"))
                .unwrap(),
            4
        );
        assert_eq!(
            r.list("shards=2/shard=0").unwrap(),
            [
                "a.parquet",
                "shard.json",
                "text/d1.txt",
                "text/outputs/o.txt"
            ]
        );
        assert_eq!(
            r.get("shards=2/shard=0/shard.json").unwrap().unwrap(),
            b"{}"
        );
        assert_eq!(r.get("shards=2/shard=1/shard.json").unwrap(), None);
        // a second copy without d1: the object goes
        std::fs::remove_file(local.join("text/d1.txt")).unwrap();
        r.upload(&local, "shards=2/shard=0", &skip, Some("shard.json"))
            .unwrap();
        assert!(!r
            .list("shards=2/shard=0")
            .unwrap()
            .contains(&"text/d1.txt".to_string()));
        assert_eq!(r.download("shards=2/shard=0", &back).unwrap(), 3);
        let mut want = tree(&local);
        want.retain(|(p, _)| !p.starts_with("crawl"));
        assert_eq!(tree(&back), want);
        // a protected top-level name is neither copied nor pruned
        r.upload(
            &local,
            "",
            &|top| top.starts_with("shards=") || top == "crawl",
            None,
        )
        .unwrap();
        assert!(r
            .list("")
            .unwrap()
            .contains(&"shards=2/shard=0/shard.json".to_string()));
    }

    #[test]
    fn only_object_store_urls_are_taken() {
        for bad in ["http://example.org/x", "not a url", "ftp://x/y"] {
            assert!(Remote::open(bad).is_err(), "{bad}");
        }
    }
}
