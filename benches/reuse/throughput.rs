//! Throughput on a dense corpus (every document reuses a passage) and a sparse one (one in a thousand), documents
//! of about 10 KB, against an index of 30 outputs. Two figures per corpus, on the same documents:
//!
//! - *detection*: what issue 14's target names, references and reuse together, the way a run does it:
//!   [`Detector::detect`] on every document of a batch (the first look for references, the reference matcher where
//!   it passes, reuse), then [`Detector::finish`] (site templates, attribution, copies); the catalogue is the
//!   shipped `data/catalogue.toml` (its titles, aliases and vocabulary), its first 30 outputs carrying the generated
//!   texts;
//! - *reuse only*: normalising, matching and attribution through [`ReuseIndex`] alone.
//!
//! Each on one thread and on all (batches alternate), MB/s; peak RSS and RSS growth per document with the rows
//! kept as a run keeps them; and a checksum of every row, so that two builds can be shown to give the same rows.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use uptake::config::{load_catalogue, load_vocabulary, DetectConfig};
use uptake::detect::reuse::ReuseIndex;
use uptake::detect::Detector;
use uptake::records::{Document, Mention, Passage};

use crate::cases::{self, Doc, Kind, Output};
use crate::status_kb;

/// An order-independent checksum of rows (every field that a table writes).
pub fn rows_checksum(rows: &[Passage]) -> u64 {
    rows.iter()
        .map(|p| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (
                &p.doc_id,
                &p.output_id,
                p.doc_start,
                p.doc_end,
                p.output_start,
                p.output_end,
                p.similarity.to_bits(),
                &p.snippet,
                p.blocks,
                p.best_source,
            )
                .hash(&mut h);
            h.finish()
        })
        .fold(0u64, u64::wrapping_add)
}

/// An order-independent checksum of mentions.
fn mentions_checksum(rows: &[Mention]) -> u64 {
    rows.iter()
        .map(|m| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            format!("{m:?}").hash(&mut h);
            h.finish()
        })
        .fold(0u64, u64::wrapping_add)
}

/// The detector a run builds: the shipped catalogue and vocabulary, its first outputs carrying `outputs`' texts.
fn detector(outputs: &[Output], cfg: &DetectConfig) -> Detector {
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    let listed = load_catalogue(&catalogue).expect("the catalogue loads");
    assert!(
        listed.len() >= outputs.len(),
        "the catalogue lists fewer outputs than the index has texts"
    );
    let texts: Vec<(String, String)> = listed
        .iter()
        .zip(outputs)
        .map(|(o, t)| (o.id.clone(), t.text.clone()))
        .collect();
    Detector::with_vocabulary(
        &listed,
        &texts,
        cfg,
        load_vocabulary(&catalogue).expect("the vocabulary loads"),
    )
}

/// CPU time of the whole process so far, in seconds (all threads). On a shared machine the CPU time of a
/// one-thread run is steadier than its wall time: waiting for a core the others hold does not count.
fn cpu_secs() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// Wall seconds, CPU seconds and bytes timed, per thread setting.
#[derive(Default)]
struct Timed {
    secs: [f64; 2],
    cpu: [f64; 2],
    bytes: [usize; 2],
}

impl Timed {
    fn add(&mut self, all: bool, (secs, cpu): (f64, f64), bytes: usize) {
        self.secs[all as usize] += secs;
        self.cpu[all as usize] += cpu;
        self.bytes[all as usize] += bytes;
    }
    fn mbs(&self, all: bool) -> f64 {
        self.bytes[all as usize] as f64 / 1e6 / self.secs[all as usize]
    }
    /// MB per CPU second, one thread.
    fn per_cpu(&self) -> f64 {
        self.bytes[0] as f64 / 1e6 / self.cpu[0]
    }
}

/// Wall and CPU seconds since `(t, c)`.
fn since((t, c): (Instant, f64)) -> (f64, f64) {
    (t.elapsed().as_secs_f64(), cpu_secs() - c)
}

/// Runs both corpora.
pub fn run(
    index: &ReuseIndex,
    hosts: &[crate::prose::Para],
    outputs: &[Output],
    corpus_mb: usize,
    seed: u64,
    cfg: &DetectConfig,
) {
    let t = Instant::now();
    let det = detector(outputs, cfg);
    println!(
        "\ndetector (references and reuse) built in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    for (label, every, kind) in [
        (
            "dense: every document reuses a lightly edited passage",
            1,
            Kind::Light,
        ),
        (
            "sparse: one document in a thousand reuses a passage",
            1000,
            Kind::Verbatim,
        ),
    ] {
        // `UPTAKE_BENCH_CORPORA=sparse` (or `dense`) runs one corpus only (for profiling)
        if std::env::var("UPTAKE_BENCH_CORPORA").is_ok_and(|c| !label.starts_with(c.as_str())) {
            continue;
        }
        let mut gen = cases::Generator::new(seed, hosts);
        println!("\n{label}");
        corpus(index, &det, &mut gen, outputs, corpus_mb, every, kind, cfg);
    }
}

#[allow(clippy::too_many_arguments)]
fn corpus(
    index: &ReuseIndex,
    det: &Detector,
    gen: &mut cases::Generator,
    outputs: &[Output],
    corpus_mb: usize,
    every: usize,
    kind: Kind,
    cfg: &DetectConfig,
) {
    println!(
        "  index: {} outputs, {:.2} MB of text, {} shingles; corpus generated outside the timing",
        outputs.len(),
        outputs.iter().map(|o| o.text.len()).sum::<usize>() as f64 / 1e6,
        index.shingles()
    );
    let threads = rayon::current_num_threads();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let target = corpus_mb * 1_000_000;
    let batch = 8_000_000;
    let (mut done, mut n, mut batches) = (0usize, 0usize, 0usize);
    let (mut detection, mut reuse_only) = (Timed::default(), Timed::default());
    // the rows found are kept, as a run keeps them for its tables: what memory grows by per document
    let mut kept: Vec<Passage> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    let (mut reuse_rows, mut reuse_best, mut reuse_sum) = (0usize, 0usize, 0u64);
    let mut base: Option<(u64, usize)> = None;
    let mut checkpoints = vec![target / 4, target / 2, target];
    while done < target {
        // a batch of documents of about 10 KB (the size of the reviewer's), one in `every` reusing a passage
        let mut docs: Vec<Doc> = Vec::new();
        let mut size = 0;
        while size < batch {
            n += 1;
            let case = (n % every == 0).then(|| (kind, n % outputs.len()));
            let Some(mut d) = gen.doc(format!("t{n}"), outputs, case) else {
                continue;
            };
            while d.text.len() < 10_000 {
                d.text.push_str("\n\n");
                d.text.push_str(&gen.host_para());
            }
            size += d.text.len();
            docs.push(d);
        }
        // pages of 50 sites, as a crawl finds them
        let documents: Vec<Document> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| Document {
                source: "bench".into(),
                ..Document::from_text(
                    &format!("https://site{}.example/{}", (n + i) % 50, d.id),
                    d.text.clone(),
                )
            })
            .collect();
        if done == 0 {
            // the best of three passes over the first batch (the machine is shared)
            let mut best = f64::MAX;
            let mut w = 0;
            for _ in 0..3 {
                let t = Instant::now();
                w = docs
                    .iter()
                    .map(|d| uptake::normalize::words(&d.text).len())
                    .sum::<usize>();
                best = best.min(t.elapsed().as_secs_f64());
            }
            println!(
                "  normalising alone (one thread, best of 3): {:.1} MB/s ({w} words in {:.0} MB)",
                size as f64 / 1e6 / best,
                size as f64 / 1e6
            );
        }
        let reuse = |docs: &[Doc]| -> Vec<Passage> {
            docs.par_iter()
                .flat_map_iter(|d| crate::rows_of(index, cfg, &d.id, &d.text))
                .collect()
        };
        // as a run does it: every document through the pass, then through the finisher
        let detect = |docs: &[Document]| -> (Vec<Passage>, Vec<Mention>) {
            let pass = det.pass();
            let pending: Vec<_> = docs.par_iter().map(|d| pass.detect(d)).collect();
            let finisher = pass.finish();
            let done: Vec<_> = docs
                .par_iter()
                .zip(pending)
                .map(|(d, p)| finisher.finish(p, d))
                .collect();
            let mut passages = Vec::new();
            let mut mentions = Vec::new();
            for r in done {
                passages.extend(r.passages);
                mentions.extend(r.mentions);
            }
            (passages, mentions)
        };
        // batches alternate between one thread and all threads, and which of the two paths runs first
        let all = batches % 2 == 1;
        for path in [batches / 2 % 2, 1 - batches / 2 % 2] {
            let t = (Instant::now(), cpu_secs());
            if path == 0 {
                let r = if all {
                    reuse(&docs)
                } else {
                    one.install(|| reuse(&docs))
                };
                reuse_only.add(all, since(t), size);
                reuse_rows += r.len();
                reuse_best += r.iter().filter(|p| p.best_source).count();
                reuse_sum = reuse_sum.wrapping_add(rows_checksum(&r));
            } else {
                let (p, m) = if all {
                    detect(&documents)
                } else {
                    one.install(|| detect(&documents))
                };
                detection.add(all, since(t), size);
                kept.extend(p);
                mentions.extend(m);
            }
        }
        batches += 1;
        done += size;
        drop(docs);
        drop(documents);
        if base.is_none() {
            base = Some((status_kb("VmRSS:"), n));
        }
        while checkpoints.first().is_some_and(|&c| done >= c) {
            println!(
                "  after {:>4} MB: peak RSS {:>4} MB, RSS now {:>4} MB",
                done / 1_000_000,
                status_kb("VmHWM:") / 1024,
                status_kb("VmRSS:") / 1024
            );
            checkpoints.remove(0);
        }
    }
    println!(
        "  corpus: {:.0} MB in {n} documents; reuse only: {reuse_rows} rows ({reuse_best} best-source), checksum {reuse_sum:016x}",
        done as f64 / 1e6,
    );
    println!(
        "  detection: {} rows ({} best-source), checksum {:016x}; {} mentions, checksum {:016x}",
        kept.len(),
        kept.iter().filter(|p| p.best_source).count(),
        rows_checksum(&kept),
        mentions.len(),
        mentions_checksum(&mentions)
    );
    if let Some((rss0, n0)) = base {
        let grown = status_kb("VmRSS:").saturating_sub(rss0) as f64 * 1024.0;
        println!(
            "  RSS growth after the first batch: {:.0} bytes per document, with the detection rows kept ({:.0} bytes per row of text and snippet)",
            grown / (n - n0).max(1) as f64,
            kept.iter().map(|p| p.snippet.len() + p.doc_id.len() + p.output_id.len() + 96).sum::<usize>() as f64
                / kept.len().max(1) as f64
        );
    }
    for (label, t) in [
        ("detection (references and reuse)", &detection),
        ("reuse only", &reuse_only),
    ] {
        println!(
            "  {label}: one thread {:.1} MB/s per core ({:.0} MB in {:.2} s; {:.1} MB per CPU second); {threads} threads {:.1} MB/s ({:.1} MB/s per core)",
            t.mbs(false),
            t.bytes[0] as f64 / 1e6,
            t.secs[0],
            t.per_cpu(),
            t.mbs(true),
            t.mbs(true) / threads as f64
        );
    }
}
