//! Sharded runs: `--shard K/N` takes the K-th of N slices of every source's inputs (K counts from 0, as
//! Kubernetes' `JOB_COMPLETION_INDEX` and a Slurm array `--array=0-(N-1)` do). Every input has a key, and
//! [`shard_of`] maps a key to its slice by a hash that is written out here (SHA-256, then Lamping and Veach's
//! jump consistent hash), so it never changes with the Rust version, the platform or the order of the inputs:
//! adding an input moves no other input, and growing N moves only the inputs that go to the new slices.
//!
//! The keys, per kind of source ([`Shard::slice`] for the lists of the config, the crawl for what it meets):
//!
//! | kind | key |
//! |---|---|
//! | `dir` | the host of the file's manifest URL when it has one ([`host_key`]: a site's pages stay on one shard, so the boilerplate check sees all of them), else the file's path inside the folder |
//! | `http` | the host of every URL (seeds, links, sitemaps, redirect targets): a host is crawled whole by one worker, so politeness and robots.txt stay per host |
//! | `feed` | the feed's URL (its entries are fetched by the shard that read the feed) |
//! | `wayback` | the target |
//! | `openalex` | the query's phrase (lower case) |
//!
//! The catalogue's own text URLs are fetched by every shard: each shard's detector needs the outputs' texts.
//!
//! Each shard writes the document-level tables into its own folder, `<out_dir>/shards=N/shard=K/` (hive-style
//! names, so `polars.scan_parquet("out/shards=4/shard=*/documents.parquet", hive_partitioning=True)` reads the
//! shards as one table with `shards` and `shard` columns), with a [`Marker`] written last. `uptake merge` joins
//! them and runs the analysis and the report over the union (`pipeline::merge`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};
use url::Url;

use crate::config::{phrase, SourceConfig};

/// Most shards a run may be cut into.
pub const MAX_SHARDS: u32 = 1_000_000;

/// The name of the file a finished shard leaves in its folder.
pub const MARKER_FILE: &str = "shard.json";

/// One slice of a sharded run: `index` counts from 0 to `count - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// Why a `--shard` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard {given:?}: {why} (write K/N with K from 0 to N-1, e.g. 0/4 for the first of four shards)")]
pub struct ShardError {
    pub given: String,
    pub why: String,
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let err = |why: &str| ShardError {
            given: s.to_string(),
            why: why.to_string(),
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(|| err("no '/'"))?;
        let k: u32 = k
            .trim()
            .parse()
            .map_err(|_| err("K is not a whole number"))?;
        let n: u32 = n
            .trim()
            .parse()
            .map_err(|_| err("N is not a whole number"))?;
        Shard::new(k, n).map_err(|why| err(&why))
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Shard `index` of `count`, or why there is no such shard.
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        if count == 0 {
            return Err("N must be at least 1".into());
        }
        if count > MAX_SHARDS {
            return Err(format!("N must be at most {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "K must be below N (shards count from 0: the last of {count} is {})",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the input with `key` belongs to this shard.
    pub fn takes(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }

    /// Whether this shard crawls `url`: its host ([`host_key`]) belongs to it. A URL without a host belongs to
    /// shard 0.
    pub fn takes_url(&self, url: &Url) -> bool {
        match host_key(url) {
            Some(h) => self.takes(&h),
            None => self.index == 0,
        }
    }

    /// The folder of this shard's results under the results folder `root`: `root/shards=N/shard=K`.
    pub fn dir_in(&self, root: &Path) -> PathBuf {
        shards_dir(root, self.count).join(format!("shard={}", self.index))
    }

    /// The part of `source` this shard reads, or `None` when nothing of it falls to this shard. The lists of
    /// the config are cut here (an http source's seeds, feeds, targets, queries); a folder's files and the
    /// URLs an http crawl meets are cut as they are read (see the crawl).
    pub fn slice(&self, source: &SourceConfig) -> Option<SourceConfig> {
        let keep = |items: &mut Vec<String>, key: &dyn Fn(&str) -> String| {
            items.retain(|i| self.takes(&key(i)));
            !items.is_empty()
        };
        let mut s = source.clone();
        let any = match &mut s {
            // a folder's files and a warc source's files are cut as they are listed (globs expanded)
            SourceConfig::Dir(_) | SourceConfig::Warc(_) => true,
            SourceConfig::Http(h) => keep(&mut h.seeds, &|u| url_key(u)),
            SourceConfig::Feed(f) => keep(&mut f.feeds, &|u| u.to_string()),
            SourceConfig::Wayback(w) => keep(&mut w.targets, &|t| t.to_string()),
            SourceConfig::OpenAlex(o) => {
                o.queries.retain(|q| self.takes(&query_key(&q.phrase)));
                o.extra_queries.retain(|q| self.takes(&query_key(q)));
                !o.queries.is_empty() || !o.extra_queries.is_empty()
            }
        };
        any.then_some(s)
    }
}

/// The slice (0 to `count - 1`) of the input with `key`: the first eight bytes of the key's SHA-256 as a
/// big-endian number, through the jump consistent hash. The same for every build and platform; the one function
/// every kind of source cuts its inputs with.
pub fn shard_of(key: &str, count: u32) -> u32 {
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    jump_hash(u64::from_be_bytes(first), count.max(1))
}

/// Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014): a key's bucket among
/// `buckets`; going from n to n + 1 buckets moves a key only into the new bucket.
fn jump_hash(mut key: u64, buckets: u32) -> u32 {
    let (mut b, mut j): (i64, i64) = (-1, 0);
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    b as u32
}

/// The key of a host for sharding: the host name in lower case without a leading `www.`, with the port when it
/// is not the scheme's default (`a.example`, `a.example:8080`). `http://` and `https://`, and `www.a.example`
/// and `a.example`, fall to the same shard.
pub fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// The key of a URL as written: its host's ([`host_key`]), or the text itself when it has none.
pub fn url_key(url: &str) -> String {
    Url::parse(url.trim())
        .ok()
        .and_then(|u| host_key(&u))
        .unwrap_or_else(|| url.to_string())
}

/// The key of a file of a `dir` source: its manifest URL's host when the manifest gives one, else its path
/// inside the folder (`/`-separated).
pub fn file_key(rel: &str, manifest_url: Option<&str>) -> String {
    manifest_url
        .and_then(|u| Url::parse(u.trim()).ok())
        .and_then(|u| host_key(&u))
        .unwrap_or_else(|| rel.to_string())
}

/// The key of an OpenAlex search: its phrase as searched, in lower case.
pub fn query_key(q: &str) -> String {
    phrase(q).to_lowercase()
}

/// The folder holding the shards of an N-way run under the results folder `root`: `root/shards=N`.
pub fn shards_dir(root: &Path, count: u32) -> PathBuf {
    root.join(format!("shards={count}"))
}

/// What a finished shard writes last into its folder (`shard.json`): which slice it is, whether detection ran,
/// and digests of the config and catalogue files it ran with, so a merge joins only shards of one run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Marker {
    pub shard: u32,
    pub shards: u32,
    /// Whether detection ran (`run` or `detect`); `crawl` alone leaves `false`.
    pub detected: bool,
    /// SHA-256 of the config file's bytes.
    pub config_sha256: String,
    /// SHA-256 of the catalogue file's bytes.
    pub catalogue_sha256: String,
    /// The uptake version that wrote the shard.
    pub version: String,
}

impl Marker {
    /// The marker of `shard` for the config at `config` and the catalogue at `catalogue`.
    pub fn new(
        shard: Shard,
        detected: bool,
        config: &Path,
        catalogue: &Path,
    ) -> std::io::Result<Marker> {
        Ok(Marker {
            shard: shard.index,
            shards: shard.count,
            detected,
            config_sha256: file_sha256(config)?,
            catalogue_sha256: file_sha256(catalogue)?,
            version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }

    /// Writes the marker into `dir` (atomically).
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomic(&dir.join(MARKER_FILE), format!("{text}\n").as_bytes())
    }

    /// Reads the marker of the shard folder `dir`; `None` when it has none.
    pub fn read(dir: &Path) -> Result<Option<Marker>, String> {
        let path = dir.join(MARKER_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The SHA-256 of a file's bytes, in hex.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_flags_parse_and_name_what_is_wrong() {
        assert_eq!("0/4".parse::<Shard>(), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(" 3 / 4 ".parse::<Shard>().unwrap().to_string(), "3/4");
        for (bad, why) in [
            ("4/4", "K must be below N"),
            ("1/0", "N must be at least 1"),
            ("2", "no '/'"),
            ("a/3", "K is not a whole number"),
            ("-1/3", "K is not a whole number"),
            ("1/2000000", "at most"),
        ] {
            let e = bad.parse::<Shard>().unwrap_err().to_string();
            assert!(e.contains(why) && e.contains("K/N"), "{bad}: {e}");
        }
    }

    /// The hash is written out: these values hold on every build and platform, forever (a change would move
    /// inputs between the shards of a run under way).
    #[test]
    fn the_shard_of_a_key_never_changes() {
        let got: Vec<u32> = ["a.example", "b.example", "html/report.html", "", "www"]
            .iter()
            .map(|k| shard_of(k, 7))
            .collect();
        assert_eq!(got, vec![6, 6, 6, 5, 4]);
        assert_eq!(shard_of("anything", 1), 0);
        assert_eq!(jump_hash(0, 1), 0);
        // the same values from a transcription of the paper's C++ code into Python (double arithmetic)
        assert_eq!(jump_hash(1, 1000), 549);
        assert_eq!(jump_hash(0xdead_beef, 1000), 285);
    }

    #[test]
    fn every_key_falls_to_exactly_one_shard_for_every_count() {
        let keys: Vec<String> = (0..2000).map(|i| format!("host-{i}.example")).collect();
        for n in 1..=33u32 {
            let mut per = vec![0usize; n as usize];
            for k in &keys {
                let owners: Vec<u32> = (0..n)
                    .filter(|&i| Shard::new(i, n).unwrap().takes(k))
                    .collect();
                assert_eq!(owners.len(), 1, "{k} with N = {n}: {owners:?}");
                assert_eq!(owners[0], shard_of(k, n));
                per[owners[0] as usize] += 1;
            }
            // balanced: no shard holds more than twice its share (2000 keys)
            let share = keys.len() / n as usize;
            assert!(per.iter().all(|&c| c <= 2 * share + 10), "N = {n}: {per:?}");
        }
    }

    #[test]
    fn growing_the_count_moves_keys_only_to_the_new_shard() {
        let keys: Vec<String> = (0..3000).map(|i| format!("f/{i}.html")).collect();
        for n in 1..20u32 {
            let mut moved = 0;
            for k in &keys {
                let (a, b) = (shard_of(k, n), shard_of(k, n + 1));
                if a != b {
                    assert_eq!(b, n, "{k}: from {a} to {b}, not to the new shard {n}");
                    moved += 1;
                }
            }
            // about one key in n + 1 moves
            let expected = keys.len() / (n as usize + 1);
            assert!(moved <= 2 * expected + 30, "N {n}→{}: {moved}", n + 1);
        }
    }

    #[test]
    fn hosts_are_keyed_without_scheme_www_or_default_port() {
        let k = |u: &str| host_key(&Url::parse(u).unwrap());
        assert_eq!(k("https://www.A.example/x"), Some("a.example".into()));
        assert_eq!(k("http://a.example:80/y"), Some("a.example".into()));
        assert_eq!(k("http://127.0.0.1:8123/"), Some("127.0.0.1:8123".into()));
        assert_eq!(k("file:///tmp/a.html"), None);
        assert_eq!(file_key("html/a.html", None), "html/a.html");
        assert_eq!(
            file_key("html/a.html", Some("https://www.ngo.example/r")),
            "ngo.example"
        );
        assert_eq!(file_key("a.html", Some("not a url")), "a.html");
        assert_eq!(
            query_key("  Internet  \"Exchange\" Points"),
            "internet exchange points"
        );
    }

    #[test]
    fn config_lists_are_cut_and_an_empty_slice_is_no_source() {
        let cfg = crate::config::Config::parse(
            Path::new("x/uptake.toml"),
            "catalogue = \"c.toml\"\n\
             [[source]]\nname = \"web\"\nkind = \"http\"\n\
             seeds = [\"https://a.example/\", \"https://b.example/\", \"https://c.example/\", \"https://www.a.example/x\"]\n\
             [[source]]\nname = \"news\"\nkind = \"feed\"\n\
             feeds = [\"https://a.example/feed\", \"https://b.example/feed\", \"https://c.example/rss\"]\n\
             [[source]]\nname = \"local\"\nkind = \"dir\"\npath = \"corpus\"\n",
        )
        .unwrap();
        for n in 1..6 {
            let mut seeds = Vec::new();
            let mut feeds = Vec::new();
            for i in 0..n {
                let sh = Shard::new(i, n).unwrap();
                for s in &cfg.sources {
                    match sh.slice(s) {
                        Some(SourceConfig::Http(h)) => {
                            assert!(!h.seeds.is_empty());
                            // a host's seeds stay together
                            let a = h.seeds.iter().filter(|u| u.contains("a.example")).count();
                            assert!(a == 0 || a == 2, "{:?}", h.seeds);
                            seeds.extend(h.seeds)
                        }
                        Some(SourceConfig::Feed(f)) => feeds.extend(f.feeds),
                        Some(SourceConfig::Dir(d)) => assert_eq!(d.name, "local"),
                        None => {}
                        other => panic!("{other:?}"),
                    }
                }
            }
            seeds.sort();
            feeds.sort();
            assert_eq!(seeds.len(), 4, "N = {n}: every seed once");
            seeds.dedup();
            assert_eq!(seeds.len(), 4);
            assert_eq!(feeds.len(), 3);
            feeds.dedup();
            assert_eq!(feeds.len(), 3);
        }
    }

    #[test]
    fn shard_folders_are_hive_style() {
        let s = Shard::new(2, 4).unwrap();
        assert_eq!(
            s.dir_in(Path::new("out")),
            PathBuf::from("out/shards=4/shard=2")
        );
    }

    #[test]
    fn a_marker_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.toml");
        std::fs::write(&f, "x").unwrap();
        let m = Marker::new(Shard::new(1, 3).unwrap(), true, &f, &f).unwrap();
        assert_eq!(
            m.config_sha256,
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
        );
        m.write(dir.path()).unwrap();
        assert_eq!(Marker::read(dir.path()).unwrap(), Some(m));
        assert_eq!(Marker::read(&dir.path().join("none")).unwrap(), None);
    }
}
