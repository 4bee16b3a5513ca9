//! Results on object storage, so the workers of a sharded run need no shared disk: a shard copies its finished
//! folder to `<url>/shards=N/shard=K/`, the merge copies every shard's folder down, merges on its own disk and
//! copies the merged tables, texts and report up (`pipeline::merge`). The URL is any that `object_store` reads:
//! `s3://bucket/prefix` (Amazon S3 and S3-compatible stores), `gs://bucket/prefix` (Google Cloud Storage),
//! `az://container/prefix` (Azure Blob Storage), `file:///path`. Credentials and endpoints come from the
//! environment as each store's own tools read them: `AWS_*` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_REGION`, `AWS_ENDPOINT` for a store that is not Amazon's, `AWS_ALLOW_HTTP`), `GOOGLE_*`, `AZURE_*`.
//!
//! A file smaller than [`MULTIPART_FROM_BYTES`] is one PUT, read whole; a larger one goes up in parts of
//! [`PART_BYTES`] (a multipart upload: S3's, GCS's, Azure's blocks), read from disk a part at a time with a few
//! parts in flight, so that memory stays flat whatever a table's size and files past S3's 5 GB limit for one PUT
//! go up too. An upload whose part fails is aborted, leaving no object and no parts. Objects come down the same
//! way: a small one whole, a large one in ranges the size of a part, a few in flight, each written as its turn
//! comes. Object keys read back are checked before they become paths: a key with an empty, `.` or `..` part is
//! refused.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// Requests to the store in flight at once.
const IN_FLIGHT: usize = 16;
/// Files of this many bytes or more go up in parts; smaller ones in one PUT, read whole (at most [`IN_FLIGHT`]
/// at once, so the whole-file reads hold at most 256 MiB).
pub const MULTIPART_FROM_BYTES: u64 = 16 << 20;
/// The size of a part: S3 and GCS take parts of 5 MiB to 5 GiB, the last one smaller.
pub const PART_BYTES: usize = 16 << 20;
/// The most parts an upload may have (S3's limit): a file larger than this many parts of [`PART_BYTES`] goes up
/// in larger parts.
const MAX_PARTS: u64 = 10_000;
/// Parts of one file in flight at once (the file's memory: this many parts and the one being read).
const PARTS_IN_FLIGHT: usize = 4;

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
    /// Files of this many bytes or more go up in parts ([`MULTIPART_FROM_BYTES`]).
    multipart_from_bytes: u64,
    /// The size of a part ([`PART_BYTES`]; larger for a file of more than [`MAX_PARTS`] of them).
    part_bytes: usize,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote").field("url", &self.url).finish()
    }
}

/// The store holding `url` and the object's key (or folder's prefix) in it, with the store's settings from the
/// environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`). Nothing is requested yet.
pub fn store_for(url: &str) -> Result<(Box<dyn ObjectStore>, Key), RemoteError> {
    let options = std::env::vars().filter(|(k, _)| {
        k.starts_with("AWS_") || k.starts_with("GOOGLE_") || k.starts_with("AZURE_")
    });
    store_with(url, options.map(|(k, v)| (k.to_ascii_lowercase(), v)))
}

/// [`store_for`] with the store's settings given as `(name, value)` pairs instead of read from the environment.
fn store_with(
    url: &str,
    options: impl IntoIterator<Item = (String, String)>,
) -> Result<(Box<dyn ObjectStore>, Key), RemoteError> {
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
    object_store::parse_url_opts(&parsed, options).map_err(|e| bad(e.to_string()))
}

impl Remote {
    /// The folder at `url`, with the store's settings from the environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`).
    pub fn open(url: &str) -> Result<Remote, RemoteError> {
        let (store, root) = store_for(url)?;
        Remote::with_store(url, store, root)
    }

    /// The folder at `url` with the store's settings given as `(name, value)` pairs (`aws_endpoint`,
    /// `aws_access_key_id`, ...: the environment variables' names in lower case) instead of read from the
    /// environment.
    pub fn open_with(
        url: &str,
        options: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Remote, RemoteError> {
        let (store, root) = store_with(url, options)?;
        Remote::with_store(url, store, root)
    }

    fn with_store(
        url: &str,
        store: Box<dyn ObjectStore>,
        root: Key,
    ) -> Result<Remote, RemoteError> {
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
            multipart_from_bytes: MULTIPART_FROM_BYTES,
            part_bytes: PART_BYTES,
        })
    }

    /// The same folder with files of `from_bytes` or more sent in parts of `part_bytes` (a store takes parts of
    /// 5 MiB or more but the last): smaller than the defaults, for tests.
    pub fn with_parts(mut self, from_bytes: u64, part_bytes: usize) -> Remote {
        self.multipart_from_bytes = from_bytes;
        self.part_bytes = part_bytes.max(1);
        self
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
        Ok(self.list_sized(rel)?.into_iter().map(|(n, _)| n).collect())
    }

    /// [`Self::list`] with each object's size in bytes.
    fn list_sized(&self, rel: &str) -> Result<Vec<(String, u64)>, RemoteError> {
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
            out.push((parts.join("/"), m.size));
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
        let files = local_files(local, &|r| skip(r.split('/').next().unwrap_or("")))?;
        if let Some(l) = last {
            self.delete(&[under(rel, l)])?;
        }
        let (first, then): (Vec<_>, Vec<_>) =
            files.iter().partition(|(r, ..)| Some(r.as_str()) != last);
        self.put_files(rel, first)?;
        self.put_files(rel, then)?;
        let copied: std::collections::HashSet<&str> =
            files.iter().map(|(r, ..)| r.as_str()).collect();
        let stale: Vec<String> = self
            .list(rel)?
            .into_iter()
            .filter(|r| !copied.contains(r.as_str()))
            .filter(|r| !skip(r.split('/').next().unwrap_or("")))
            .map(|r| under(rel, &r))
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

    /// Copies the files under the local folder `local` that `keep` takes (by relative path) and that `rel` does
    /// not hold yet, or holds at another size, keeping their relative paths. Deletes nothing: for a folder that
    /// only grows (a crawl's WARC files, which an earlier copy may hold and a later run no longer has). Returns
    /// the number of files copied.
    pub fn upload_new(
        &self,
        local: &Path,
        rel: &str,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<usize, RemoteError> {
        let there: std::collections::HashMap<String, u64> =
            self.list_sized(rel)?.into_iter().collect();
        let files = local_files(local, &|r| !keep(r))?;
        let new: Vec<_> = files
            .iter()
            .filter(|(r, _, len)| there.get(r) != Some(len))
            .collect();
        let n = new.len();
        self.put_files(rel, new)?;
        Ok(n)
    }

    /// Copies `files` (relative path, local path, size) under `rel`: the small ones whole, [`IN_FLIGHT`] at a
    /// time; then the large ones one at a time, in parts.
    fn put_files(&self, rel: &str, files: Vec<&(String, PathBuf, u64)>) -> Result<(), RemoteError> {
        let (whole, in_parts): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(.., len)| *len < self.multipart_from_bytes);
        self.rt.block_on(async {
            let puts = futures_util::stream::iter(whole.into_iter().map(|(r, path, _)| {
                let name = under(rel, r);
                async move {
                    let bytes = tokio::fs::read(path)
                        .await
                        .map_err(|error| RemoteError::Io {
                            path: path.clone(),
                            error,
                        })?;
                    self.store
                        .put(&self.key(&name), PutPayload::from(bytes))
                        .await
                        .map_err(|e| self.store_error(&name, e))?;
                    Ok::<(), RemoteError>(())
                }
            }))
            .buffer_unordered(IN_FLIGHT)
            .collect::<Vec<_>>()
            .await;
            puts.into_iter().collect::<Result<Vec<()>, _>>()?;
            // large files one at a time, each with a few parts in flight
            for (r, path, len) in in_parts {
                self.put_in_parts(&under(rel, r), path, *len).await?;
            }
            Ok(())
        })
    }

    /// Copies the local file `path` (`len` bytes) to `rel` in parts: a multipart upload, the file read a part at
    /// a time, at most [`PARTS_IN_FLIGHT`] parts in flight. An upload that fails is aborted (its parts deleted).
    async fn put_in_parts(&self, rel: &str, path: &Path, len: u64) -> Result<(), RemoteError> {
        let part = part_size(len, self.part_bytes);
        let io = |error| RemoteError::Io {
            path: path.to_path_buf(),
            error,
        };
        let mut file = tokio::fs::File::open(path).await.map_err(io)?;
        let mut upload = self
            .store
            .put_multipart(&self.key(rel))
            .await
            .map_err(|e| self.store_error(rel, e))?;
        let mut in_flight = futures_util::stream::FuturesUnordered::new();
        let mut sent: Result<(), RemoteError> = Ok(());
        loop {
            let mut buf = vec![0u8; part];
            let filled = match read_part(&mut file, &mut buf).await {
                Ok(n) => n,
                Err(error) => {
                    sent = Err(io(error));
                    break;
                }
            };
            if filled == 0 {
                break;
            }
            while in_flight.len() >= PARTS_IN_FLIGHT {
                if let Some(Err(e)) = in_flight.next().await {
                    sent = Err(self.store_error(rel, e));
                    break;
                }
            }
            if sent.is_err() {
                break;
            }
            buf.truncate(filled);
            in_flight.push(upload.put_part(PutPayload::from(buf)));
            if filled < part {
                break;
            }
        }
        while sent.is_ok() {
            match in_flight.next().await {
                None => break,
                Some(Ok(())) => {}
                Some(Err(e)) => sent = Err(self.store_error(rel, e)),
            }
        }
        drop(in_flight);
        let done = match sent {
            Ok(()) => upload
                .complete()
                .await
                .map(|_| ())
                .map_err(|e| self.store_error(rel, e)),
            Err(e) => Err(e),
        };
        if done.is_err() {
            if let Err(e) = upload.abort().await {
                tracing::warn!(
                    "{}: the failed upload was not aborted: {e}",
                    self.url_of(rel)
                );
            }
        }
        done
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
        let objects = self.list_sized(rel)?;
        let join = |a: &str| under(rel, a);
        let (whole, in_parts): (Vec<_>, Vec<_>) = objects
            .iter()
            .partition(|(_, len)| *len < self.multipart_from_bytes);
        self.rt.block_on(async {
            let gets = futures_util::stream::iter(whole.into_iter().map(|(name, _)| {
                let full = join(name);
                let to = local.join(name);
                async move {
                    let bytes = match self.store.get(&self.key(&full)).await {
                        Ok(r) => r.bytes().await.map_err(|e| self.store_error(&full, e))?,
                        Err(e) => return Err(self.store_error(&full, e)),
                    };
                    create_parent(&to).await?;
                    tokio::fs::write(&to, &bytes)
                        .await
                        .map_err(|error| RemoteError::Io { path: to, error })
                }
            }))
            .buffer_unordered(IN_FLIGHT)
            .collect::<Vec<_>>()
            .await;
            gets.into_iter().collect::<Result<Vec<()>, _>>()?;
            // large objects one at a time, each in ranges with a few in flight
            for (name, len) in in_parts {
                let to = local.join(name);
                create_parent(&to).await?;
                let got = self.get_in_parts(&join(name), &to, *len).await;
                if got.is_err() {
                    // no part of an object is left to look whole
                    let _ = tokio::fs::remove_file(&to).await;
                }
                got?;
            }
            Ok::<(), RemoteError>(())
        })?;
        Ok(objects.len())
    }

    /// Copies the object `rel` (`len` bytes) to the local file `to` a range at a time (ranges the size of an
    /// upload's parts, [`PARTS_IN_FLIGHT`] of them in flight), each written as its turn comes.
    async fn get_in_parts(&self, rel: &str, to: &Path, len: u64) -> Result<(), RemoteError> {
        use tokio::io::AsyncWriteExt;
        let part = part_size(len, self.part_bytes) as u64;
        let key = self.key(rel);
        let io = |error| RemoteError::Io {
            path: to.to_path_buf(),
            error,
        };
        let mut file = tokio::fs::File::create(to).await.map_err(io)?;
        let ranges = (0..len.div_ceil(part)).map(|i| i * part..((i + 1) * part).min(len));
        let mut parts = futures_util::stream::iter(ranges.map(|r| self.store.get_range(&key, r)))
            .buffered(PARTS_IN_FLIGHT);
        while let Some(bytes) = parts.next().await {
            let bytes = bytes.map_err(|e| self.store_error(rel, e))?;
            file.write_all(&bytes).await.map_err(io)?;
        }
        file.flush().await.map_err(io)
    }
}

/// `name` under the folder `rel` (`""`: the root).
fn under(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// The files under the local folder `local`, sorted: `(relative path with `/`, path, size)`, those for which
/// `skip` (given the relative path) is true left out.
fn local_files(
    local: &Path,
    skip: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, PathBuf, u64)>, RemoteError> {
    let io = |path: &Path, error: String| RemoteError::Io {
        path: path.to_path_buf(),
        error: std::io::Error::other(error),
    };
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(local).sort_by_file_name() {
        let e = e.map_err(|e| io(e.path().unwrap_or(local), e.to_string()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel_path = e.path().strip_prefix(local).unwrap_or(e.path());
        let rel = rel_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if skip(&rel) {
            continue;
        }
        let len = e
            .metadata()
            .map_err(|err| io(e.path(), err.to_string()))?
            .len();
        files.push((rel, e.path().to_path_buf(), len));
    }
    Ok(files)
}

/// Creates the folder that will hold the file `to`.
async fn create_parent(to: &Path) -> Result<(), RemoteError> {
    match to.parent() {
        Some(dir) => tokio::fs::create_dir_all(dir)
            .await
            .map_err(|error| RemoteError::Io {
                path: dir.to_path_buf(),
                error,
            }),
        None => Ok(()),
    }
}

/// The size of the parts of a file of `len` bytes: `part_bytes`, or larger (whole MiB) when the file would need
/// more than [`MAX_PARTS`] of them.
fn part_size(len: u64, part_bytes: usize) -> usize {
    const MIB: u64 = 1 << 20;
    let least = len.div_ceil(MAX_PARTS).div_ceil(MIB) * MIB;
    (part_bytes as u64).max(least) as usize
}

/// Reads from `file` until `buf` is full or the file ends: the bytes read.
async fn read_part(file: &mut tokio::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use tokio::io::AsyncReadExt;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]).await? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
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

    /// A test's three folders under `root`: the local one, the bucket, and where the copy comes back.
    fn folders(root: &Path) -> (PathBuf, PathBuf, PathBuf) {
        (root.join("local"), root.join("bucket"), root.join("back"))
    }

    #[test]
    fn a_folder_goes_up_and_comes_down_whole_and_stale_objects_go() {
        let tmp = tempfile::tempdir().unwrap();
        let (local, bucket, back) = folders(tmp.path());
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
    fn parts_stay_within_the_stores_count_and_files_in_parts_come_back_whole() {
        const MIB: u64 = 1 << 20;
        assert_eq!(part_size(100 * MIB, PART_BYTES), PART_BYTES);
        for len in [160 * 1024 * MIB, 1 << 40, 5 << 40] {
            let part = part_size(len, PART_BYTES) as u64;
            assert!(len.div_ceil(part) <= MAX_PARTS, "{len}");
            assert_eq!(part % MIB, 0);
        }
        // over the local file system, every file in parts of three bytes
        let tmp = tempfile::tempdir().unwrap();
        let (local, bucket, back) = folders(tmp.path());
        std::fs::create_dir_all(local.join("text")).unwrap();
        std::fs::create_dir_all(&bucket).unwrap();
        for (p, t) in [("a.parquet", "0123456789"), ("text/d1.txt", "one")] {
            std::fs::write(local.join(p), t).unwrap();
        }
        let url = url::Url::from_directory_path(&bucket).unwrap().to_string();
        let r = Remote::open(&format!("{url}run")).unwrap().with_parts(1, 3);
        assert_eq!(r.upload(&local, "s", &|_| false, None).unwrap(), 2);
        assert_eq!(r.download("s", &back).unwrap(), 2);
        assert_eq!(tree(&back), tree(&local));
    }

    #[test]
    fn only_object_store_urls_are_taken() {
        for bad in ["http://example.org/x", "not a url", "ftp://x/y"] {
            assert!(Remote::open(bad).is_err(), "{bad}");
        }
    }
}
