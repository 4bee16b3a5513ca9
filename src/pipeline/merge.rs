//! Merge: the shards of a sharded run (`--shard K/N`, see [`crate::shard`]) joined into one results folder. Each
//! shard left the tables of its own documents ([`SHARD_TABLES`]); the merge concatenates them, copies the
//! documents' texts, and runs the analysis ([`MERGED_TABLES`]: uptake, metrics, ripple, citations, cites, themes,
//! scorecard) and the report over the union, as `report` does over one folder. A citation from a document of
//! one shard to a document of another is found here: the links of every shard are read into one graph.
//!
//! What every shard did alike is taken once: the catalogue's text URLs (fetched by every shard) from shard 0
//! (their `crawl_log` rows, `output_texts`, the texts), and a skip that several shards give alike (a broken
//! manifest, a missing folder) as often as the shard that gave it most. A document two shards read (the same
//! URL found by two feeds or two searches of different shards) is kept from the lower shard.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use polars::prelude::{DataFrame, UniqueKeepStrategy};

use crate::config::{load_catalogue, Config};
use crate::crawl::CATALOGUE_TEXTS;
use crate::fsutil::StagedDir;
use crate::load;
use crate::records::{Document, Output, SkipStage, Skipped, TextPart};
use crate::shard::{file_sha256, Marker, Shard, MARKER_FILE};
use crate::store::{Store, ROWS_PER_BATCH};

use super::detecting::Found;
use super::intake::{for_each_doc_links, read_links};
use super::readback::{corpus_graph, stored_text_parts};
use super::reporting::report_run;
use super::{activity, commit_run, write_detected, Own, Run, Summary};

/// The tables a shard writes: what each document gives whatever the other documents are (and the catalogue's
/// `outputs`, the same in every shard).
pub const SHARD_TABLES: &[&str] = &[
    "documents",
    "outputs",
    "mentions",
    "passages",
    "links",
    "skipped",
    "crawl_log",
    "theme_mentions",
    "output_texts",
    "works",
];

/// The tables only a whole run (or the merge) writes: the analysis over every document.
pub const MERGED_TABLES: &[&str] = &[
    "uptake",
    "metrics",
    "ripple",
    "themes",
    "citations",
    "scorecard",
    "cites",
];

/// Where the merge finds the shards.
#[derive(Debug, Clone)]
pub enum Shards {
    /// The N shard folders of the results folder: `<out_dir>/shards=N/shard=0` … `shard=N-1`.
    Count(u32),
    /// Shard folders named one by one (copied from the workers, say), in any order.
    Dirs(Vec<PathBuf>),
}

/// A shard found and checked: its marker and folder.
#[derive(Debug, Clone)]
struct Found1 {
    marker: Marker,
    dir: PathBuf,
}

/// Writes the marker of a finished shard into `store` (last, so a shard folder with a marker is whole).
pub(crate) fn mark_shard(cfg: &Config, shard: Shard, detected: bool, store: &Store) -> Result<()> {
    Marker::new(shard, detected, &cfg.config_path, &cfg.catalogue_path)
        .and_then(|m| m.write(store.dir()))
        .with_context(|| format!("cannot write {} in {}", MARKER_FILE, store.dir().display()))
}

/// Top-level entries of a results folder that are never copied to object storage: the crawl state and body
/// cache (a shard's own), staging and backup folders, the shards below a merged folder, and its report (copied
/// on its own).
fn not_copied(top: &str) -> bool {
    top == "crawl" || top == "reports" || top.starts_with('.') || top.starts_with("shards=")
}

/// Copies a finished shard's folder to `results_url/shards=N/shard=K` when the config names one (its marker
/// last, so a merge that sees the marker sees the whole shard).
pub(crate) fn push_shard(cfg: &Config) -> Result<()> {
    let (Some(url), Some(shard)) = (&cfg.results_url, cfg.shard) else {
        return Ok(());
    };
    let remote = crate::remote::Remote::open(url)?;
    let rel = shard_rel(shard);
    // the crawl's own WARC files first (a worker's disk may not outlive it), then the shard, its marker last
    let warc = cfg.crawl_dir().join(crate::crawl::WARC_DIR);
    if warc.is_dir() {
        let to = warc_rel(shard);
        let n = remote.upload_new(&warc, &to, &crate::crawl::is_own_warc_file)?;
        tracing::info!(
            "shard {shard}: {n} WARC files copied to {}",
            remote.url_of(&to)
        );
    }
    let n = remote.upload(&cfg.out_dir, &rel, &not_copied, Some(MARKER_FILE))?;
    tracing::info!("shard {shard}: {n} files copied to {}", remote.url_of(&rel));
    Ok(())
}

/// Where the WARC files a shard's crawl wrote lie under a results URL: outside the shard's folder, which a merge
/// copies down whole, and kept from run to run (a re-run's 304s refer to an earlier run's records).
fn warc_rel(shard: Shard) -> String {
    format!("crawl/{}/{}", shard_rel(shard), crate::crawl::WARC_DIR)
}

/// Where shard K of N lies under a results URL.
fn shard_rel(shard: Shard) -> String {
    format!("shards={}/shard={}", shard.count, shard.index)
}

/// Copies every shard of `n` from `url` into `<out_dir>/shards=N/shard=K` (each folder replaced whole); a shard
/// not finished there (no marker) is named.
fn pull_shards(cfg: &Config, url: &str, n: u32) -> Result<()> {
    let remote = crate::remote::Remote::open(url)?;
    let mut missing = Vec::new();
    for k in 0..n {
        let shard = Shard { index: k, count: n };
        let rel = shard_rel(shard);
        if remote.get(&format!("{rel}/{MARKER_FILE}"))?.is_none() {
            missing.push(format!(
                "{shard} (no {MARKER_FILE} in {})",
                remote.url_of(&rel)
            ));
            continue;
        }
        let target = shard.dir_in(&cfg.out_dir);
        let staged = StagedDir::new(&target)
            .with_context(|| format!("cannot create a folder beside {}", target.display()))?;
        let files = remote.download(&rel, staged.path())?;
        staged
            .commit()
            .with_context(|| format!("cannot move the shard into {}", target.display()))?;
        tracing::info!(
            "shard {shard}: {files} files copied from {}",
            remote.url_of(&rel)
        );
    }
    if !missing.is_empty() {
        bail!(
            "not finished: {}; run `uptake run --shard K/{n} --results-url {url}` for each, then merge again",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Copies the merged tables and texts to `url` and the report to `url/reports`.
fn push_merged(cfg: &Config, url: &str) -> Result<()> {
    let remote = crate::remote::Remote::open(url)?;
    let n = remote.upload(&cfg.out_dir, "", &not_copied, None)?;
    let r = remote.upload(
        &cfg.report_dir,
        "reports",
        &|top| top.starts_with('.'),
        None,
    )?;
    tracing::info!("{n} result files and {r} report files copied to {url}");
    Ok(())
}

/// The shard folders `shards` names under `cfg`'s results folder, each checked: a finished shard (its
/// marker), detection done, every table there, one of each index 0 to N-1, all run with this config and
/// catalogue. Sorted by index.
fn check_shards(cfg: &Config, shards: &Shards) -> Result<Vec<Found1>> {
    // each folder with the shard it should hold, when that is known
    let dirs: Vec<(Option<Shard>, PathBuf)> = match shards {
        Shards::Count(0) => bail!("--shards must be at least 1"),
        Shards::Count(n) => (0..*n)
            .map(|k| {
                let s = Shard {
                    index: k,
                    count: *n,
                };
                (Some(s), s.dir_in(&cfg.out_dir))
            })
            .collect(),
        Shards::Dirs(d) if d.is_empty() => bail!("name the shard folders to merge"),
        Shards::Dirs(d) => d.iter().map(|d| (None, d.clone())).collect(),
    };
    let config_sha = file_sha256(&cfg.config_path)
        .with_context(|| format!("cannot read {}", cfg.config_path.display()))?;
    let catalogue_sha = file_sha256(&cfg.catalogue_path)
        .with_context(|| format!("cannot read {}", cfg.catalogue_path.display()))?;
    let mut found: Vec<Found1> = Vec::new();
    let mut unfinished = Vec::new();
    for (shard, dir) in &dirs {
        match Marker::read(dir).map_err(anyhow::Error::msg)? {
            Some(marker) => found.push(Found1 {
                marker,
                dir: dir.clone(),
            }),
            None => unfinished.push(match shard {
                Some(s) => format!("shard {s} (no {MARKER_FILE} in {})", dir.display()),
                None => format!("{} (no {MARKER_FILE})", dir.display()),
            }),
        }
    }
    let count = found
        .first()
        .map(|f| f.marker.shards)
        .or(match shards {
            Shards::Count(n) => Some(*n),
            Shards::Dirs(_) => None,
        })
        .unwrap_or(0);
    if !unfinished.is_empty() {
        bail!(
            "not finished: {}; run `uptake run --shard K/{count}` for each (K from 0 to {}), then merge again",
            unfinished.join(", "),
            count.saturating_sub(1)
        );
    }
    for f in &found {
        let m = &f.marker;
        let shard = format!("{}/{}", m.shard, m.shards);
        if m.shards != count {
            bail!(
                "{}: shard {shard} is one of {} shards, the others of {count}",
                f.dir.display(),
                m.shards
            );
        }
        if !m.detected {
            bail!(
                "{}: shard {shard} was crawled but not detected: run `uptake detect --shard {shard}`",
                f.dir.display()
            );
        }
        for (what, path, sha, want) in [
            ("config", &cfg.config_path, &m.config_sha256, &config_sha),
            (
                "catalogue",
                &cfg.catalogue_path,
                &m.catalogue_sha256,
                &catalogue_sha,
            ),
        ] {
            if sha != want {
                bail!(
                    "{}: shard {shard} ran with another {what} than {} (SHA-256 {sha}, not {want}): run it again with this one",
                    f.dir.display(),
                    path.display()
                );
            }
        }
        if m.version != env!("CARGO_PKG_VERSION") {
            tracing::warn!(
                "{}: shard {shard} was written by uptake {}, this is {}",
                f.dir.display(),
                m.version,
                env!("CARGO_PKG_VERSION")
            );
        }
        for t in SHARD_TABLES {
            let p = load::table_path(&f.dir, t);
            if !p.is_file() {
                bail!("{}: shard {shard} has no table {t}", p.display());
            }
        }
    }
    found.sort_by_key(|f| f.marker.shard);
    for pair in found.windows(2) {
        if pair[0].marker.shard == pair[1].marker.shard {
            bail!(
                "shard {}/{count} is given twice: {} and {}",
                pair[0].marker.shard,
                pair[0].dir.display(),
                pair[1].dir.display()
            );
        }
    }
    let have: HashSet<u32> = found.iter().map(|f| f.marker.shard).collect();
    let missing: Vec<String> = (0..count)
        .filter(|k| !have.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard(s) {} missing: run `uptake run --shard K/{count}` for each, then merge again",
            missing.join(", ")
        );
    }
    Ok(found)
}

/// Merges the shards into `cfg.out_dir` (tables and texts, staged and swapped in; the shard folders stay) and
/// writes the report into `cfg.report_dir`.
pub fn run_merge(cfg: &Config, shards: &Shards) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    if let Some(url) = &cfg.results_url {
        let Shards::Count(n) = shards else {
            bail!("--results-url reads the shards by their number: give --shards N");
        };
        pull_shards(cfg, url, *n)?;
    }
    let found = check_shards(cfg, shards)?;
    let out = Store::staged(&cfg.out_dir)?;
    let store = out.store();
    let mut notes = Vec::new();
    let joined = join(&outputs, &found, store, &mut notes)?;
    crate::memory::log("joining the shards");
    let mut links = corpus_graph(&joined.docs, &outputs);
    read_links(store, &mut links)?;
    let run = Run::analysed(
        &outputs,
        joined.docs,
        &links,
        joined.found,
        joined.skipped,
        joined.parts,
        Own::of(cfg)?,
    );
    let mut run = Run {
        crawl_log: joined.crawl_log,
        activity: activity(cfg, &outputs)?,
        ..run
    };
    let mut written = joined.written;
    let mut tables = Summary::default();
    write_detected(&run, store, &mut tables, false)?;
    written.append(&mut tables.written);
    written.push(store.write_table("scorecard", load::scorecard_frame(&run.activity))?);
    crate::memory::log("the analysis");
    let rep = StagedDir::new(&cfg.report_dir)
        .with_context(|| format!("cannot create a folder beside {}", cfg.report_dir.display()))?;
    let mut summary = report_run(cfg, &mut run, store, rep.path())?;
    summary.written = commit_run(cfg, out, rep, &written, &summary.written)?;
    summary.notes = notes;
    summary.unclassified = crate::publishers::unclassified_hosts(&run.docs);
    if let Some(url) = &cfg.results_url {
        push_merged(cfg, url)?;
    }
    Ok(summary)
}

/// The union of the shards' document-level records, the streamed tables already written.
struct Joined {
    docs: Vec<Document>,
    found: Found,
    skipped: Vec<Skipped>,
    crawl_log: Vec<crate::records::CrawlLogRow>,
    parts: Vec<TextPart>,
    written: Vec<PathBuf>,
}

/// Joins the shards' tables and texts into `store`: `links`, `crawl_log`, `works`, `output_texts`, `outputs`
/// and the texts are written here; the documents, what detection found and the skips are returned for the
/// analysis (which writes them).
fn join(
    outputs: &[Output],
    shards: &[Found1],
    store: &Store,
    notes: &mut Vec<String>,
) -> Result<Joined> {
    // documents: each id once, from the lowest shard that has it
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut docs = Vec::new();
    let mut twice = 0usize;
    for (i, s) in shards.iter().enumerate() {
        let from = Store::new(&s.dir);
        for d in load::read_document_records(&s.dir)? {
            if owner.contains_key(&d.doc_id) {
                twice += 1;
                continue;
            }
            owner.insert(d.doc_id.clone(), i);
            let text = from.doc_text_path(&d.doc_id);
            if text.is_file() {
                link_or_copy(&text, &store.doc_text_path(&d.doc_id))?;
            } else {
                tracing::warn!("{}: the text of {} is missing", text.display(), d.url);
            }
            docs.push(d);
        }
    }
    if twice > 0 {
        let note = format!(
            "{twice} document(s) read by two shards (the same address found by sources of different shards): each kept once, from the lower shard"
        );
        tracing::info!("{note}");
        notes.push(note);
    }
    let owned = |i: usize| {
        let owner = &owner;
        move |id: &str| owner.get(id) == Some(&i)
    };
    let mut found = Found::default();
    for (i, s) in shards.iter().enumerate() {
        let mine = owned(i);
        found.mentions.extend(
            load::read_mentions(&s.dir)?
                .into_iter()
                .filter(|m| mine(&m.doc_id)),
        );
        found.passages.extend(
            load::read_passages(&s.dir)?
                .into_iter()
                .filter(|p| mine(&p.doc_id)),
        );
        found.theme_mentions.extend(
            load::read_theme_mentions(&s.dir)?
                .into_iter()
                .filter(|t| mine(&t.doc_id)),
        );
    }
    let mut written = vec![join_links(shards, &owned, store)?];
    // what every shard did alike comes from shard 0
    let mut crawl_log = Vec::new();
    for (i, s) in shards.iter().enumerate() {
        crawl_log.extend(
            load::read_crawl_log(&s.dir)?
                .into_iter()
                .filter(|r| i == 0 || r.source != CATALOGUE_TEXTS),
        );
    }
    let skipped = join_skipped(shards)?;
    let parts = stored_text_parts(&Store::new(&shards[0].dir), outputs)?;
    let first = Store::new(&shards[0].dir);
    for o in outputs {
        let text = first.output_text(&o.id)?;
        if let Some(t) = &text {
            store.save_output_text(&o.id, t)?;
        }
        for s in &shards[1..] {
            if Store::new(&s.dir).output_text(&o.id)? != text {
                let note = format!(
                    "shard {}/{} read another text of output {} than shard 0 (the catalogue's text changed or failed between them): its reuse there may differ from one machine's run; run that shard again",
                    s.marker.shard, s.marker.shards, o.id
                );
                tracing::warn!("{note}");
                notes.push(note);
            }
        }
    }
    for (name, frame) in [
        ("outputs", load::outputs_frame(outputs)),
        ("output_texts", load::output_texts_frame(&parts)),
        ("crawl_log", load::crawl_log_frame(&crawl_log)),
    ] {
        written.push(store.write_table(name, frame)?);
    }
    written.push(store.write_table("works", join_works(shards))?);
    Ok(Joined {
        docs,
        found,
        skipped,
        crawl_log,
        parts,
        written,
    })
}

/// The `links` of every shard's own documents, streamed into `store`.
fn join_links<F: Fn(&str) -> bool>(
    shards: &[Found1],
    owned: &dyn Fn(usize) -> F,
    store: &Store,
) -> Result<PathBuf> {
    let mut table = store.table_writer("links");
    for (i, s) in shards.iter().enumerate() {
        let mine = owned(i);
        let mut rows: Vec<Document> = Vec::new();
        let mut waiting = 0usize;
        let mut failed = None;
        let read = for_each_doc_links(&Store::new(&s.dir), |id, links| {
            if failed.is_some() || !mine(&id) {
                return;
            }
            waiting += links.len();
            rows.push(Document {
                links,
                ..Document::from_text(&id, String::new())
            });
            if waiting >= ROWS_PER_BATCH {
                if let Err(e) = table.write(load::links_frame(&rows)) {
                    failed = Some(e);
                }
                rows.clear();
                waiting = 0;
            }
        });
        read?;
        if let Some(e) = failed {
            return Err(e.into());
        }
        if !rows.is_empty() {
            table.write(load::links_frame(&rows))?;
        }
    }
    Ok(table.finish(|| load::links_frame(&[]))?)
}

/// The skips of every shard. A skip of the catalogue's texts comes from shard 0; any other skip that several
/// shards give alike (a broken manifest, a missing folder: what every shard meets) is kept as often as the
/// shard that gave it most often.
fn join_skipped(shards: &[Found1]) -> Result<Vec<Skipped>> {
    let key = |s: &Skipped| (s.stage.to_string(), s.location.clone(), s.reason.clone());
    let mut most: HashMap<(String, String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, sh) in shards.iter().enumerate() {
        let mut here: HashMap<(String, String, String), usize> = HashMap::new();
        for s in load::read_skipped(&sh.dir)? {
            if i > 0 && s.stage == SkipStage::Catalogue {
                continue;
            }
            let k = key(&s);
            let n = here.entry(k.clone()).or_default();
            *n += 1;
            let kept = most.entry(k).or_default();
            if *n > *kept {
                *kept = *n;
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// The `works` of every shard, each work (source and OpenAlex id) once, from the lowest shard that found it.
fn join_works(shards: &[Found1]) -> polars::prelude::PolarsResult<DataFrame> {
    let mut all: Option<DataFrame> = None;
    for s in shards {
        let df = load::read_table(&s.dir, "works")
            .map_err(|e| polars::prelude::PolarsError::ComputeError(e.to_string().into()))?;
        all = Some(match all {
            None => df,
            Some(mut a) => {
                a.vstack_mut(&df)?;
                a
            }
        });
    }
    let all = all.expect("at least one shard");
    all.unique_stable(
        Some(&["source".to_string(), "openalex_id".to_string()]),
        UniqueKeepStrategy::First,
        None,
    )
}

/// Hard-links `from` at `to` (a copy when the two are on different file systems).
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_a_shards_or_the_merges() {
        let mut both: Vec<&str> = SHARD_TABLES.iter().chain(MERGED_TABLES).copied().collect();
        both.sort_unstable();
        let mut all: Vec<&str> = load::TABLES.to_vec();
        all.sort_unstable();
        assert_eq!(
            both, all,
            "a new table must be classed: written per shard, or by the merge"
        );
    }
}
