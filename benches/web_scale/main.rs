//! Web-scale detection: the pre-filter (`[detect] prefilter`, docs/web-scale.md) against the full detector, on
//! one thread. Run: `cargo bench --bench web_scale --no-default-features` (options below;
//! the records are made in `records.rs`).
//!
//! 1. **The demo corpus** (data/demo/corpus, extracted as a run extracts it, with data/catalogue.toml and its demo
//!    output texts) and **the labelled set** (tests/labelled/corpus): the share of documents the pre-filter
//!    passes, and its speed.
//! 2. **Two generated Common-Crawl-like sets**: text records shaped like WET `conversion` records (a URL on one
//!    of 20,000 hosts, a title line, navigation lines and paragraphs; sizes log-normal, median 3 KB, mean about
//!    4.5 KB, at most 200 KB), made at run time from text this machine ships and that cites nothing (third-party
//!    text is read here, never committed). *English*: the licences in /usr/share/common-licenses, Python's pydoc
//!    topics and the text files under /usr/share/doc, all technical English. *A language mix*: 45% of the records
//!    from those, the rest from the manual pages in /usr/share/man/LANG of fifteen other languages, weighted
//!    roughly as Common Crawl's language statistics weight them (Russian, German, Japanese and Chinese first).
//!    The catalogue's 31 outputs carry texts of about 150 KB each made of paragraphs of the Rust documentation
//!    under ~/.rustup (an index the size of the real reports'). One record in 10,000 holds a planted case,
//!    citations and passages in turn: a sentence naming an output by its title, year and forum, or 400-1,200
//!    characters of an output's text with 5% of the words edited. Per set (and per language group): the share of
//!    records the pre-filter passes (by the first reason it found), its speed, and the detector end to end with
//!    and without it (every record's detection compared, every planted case looked for in both).
//!
//! MB/s are megabytes (10^6) of document text per second of wall time on one thread; the figure in brackets is
//! per second of the thread's CPU time, which waiting for a core the other jobs on a shared machine hold does not
//! count. Records are generated outside the timing, a batch at a time (memory stays flat).
//!
//! Options: `UPTAKE_BENCH_RECORDS` (per set, default 200,000), `UPTAKE_BENCH_PLANT_EVERY` (default 10,000),
//! `UPTAKE_BENCH_OUTPUT_KB` (text per output, default 150), `UPTAKE_BENCH_ENGLISH_PERCENT` (of the mixed set,
//! default 45), `UPTAKE_BENCH_SEED`, and the detector's `UPTAKE_BENCH_SHINGLE_WORDS` and `UPTAKE_BENCH_MIN_SEEDS`.

#[allow(dead_code)]
#[path = "../reuse/prose.rs"]
mod prose;
mod records;

use std::path::Path;
use std::time::Instant;

use records::{english, other_languages, output_texts, Gen, Planted, Pool};
use uptake::config::{load_catalogue, load_vocabulary, DetectConfig};
use uptake::detect::prefilter::Look;
use uptake::detect::{Detection, Detector};
use uptake::records::{Document, Output, RawDoc, TextSource};

/// Records generated and timed at a time (each of one language).
const BATCH: usize = 1_000;
/// Timing passes over a small corpus (the demo, the labelled set).
const SMALL_PASSES: usize = 20;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// CPU time of the calling thread, in seconds.
fn thread_cpu_secs() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// A field of /proc/self/status, in kB.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// Wall and CPU seconds spent on some bytes.
#[derive(Default, Clone, Copy)]
struct Timed {
    secs: f64,
    cpu: f64,
    bytes: usize,
    docs: usize,
}

impl Timed {
    fn time<T>(&mut self, docs: &[Document], f: impl FnOnce() -> T) -> T {
        let (t, c) = (Instant::now(), thread_cpu_secs());
        let out = f();
        self.secs += t.elapsed().as_secs_f64();
        self.cpu += thread_cpu_secs() - c;
        self.bytes += docs.iter().map(|d| d.text.len()).sum::<usize>();
        self.docs += docs.len();
        out
    }

    fn show(&self) -> String {
        format!(
            "{:.1} MB/s ({:.1} per CPU second), {:.0} records/s",
            self.bytes as f64 / 1e6 / self.secs,
            self.bytes as f64 / 1e6 / self.cpu,
            self.docs as f64 / self.secs
        )
    }
}

/// Every document through one pass of `det` and its finisher, as a run does it.
fn detect(det: &Detector, docs: &[Document]) -> Vec<Detection> {
    let pass = det.pass();
    let pending: Vec<_> = docs.iter().map(|d| pass.detect(d)).collect();
    let finisher = pass.finish();
    pending
        .into_iter()
        .zip(docs)
        .map(|(p, d)| finisher.finish(p, d))
        .collect()
}

/// Counts of the pre-filter's looks.
#[derive(Default)]
struct Looks {
    address: usize,
    seed: usize,
    name: usize,
    nothing: usize,
}

impl Looks {
    fn add(&mut self, l: Look) {
        match l {
            Look::Address => self.address += 1,
            Look::Seed => self.seed += 1,
            Look::Name => self.name += 1,
            Look::Nothing => self.nothing += 1,
        }
    }

    fn show(&self) -> String {
        let all = (self.address + self.seed + self.name + self.nothing).max(1) as f64;
        let pct = |n: usize| 100.0 * n as f64 / all;
        format!(
            "passed {:.3}% of {} (a link or address {:.3}%, a seed {:.3}%, a name {:.3}%)",
            pct(self.address + self.seed + self.name),
            all as usize,
            pct(self.address),
            pct(self.seed),
            pct(self.name)
        )
    }
}

/// The catalogue with its vocabulary and the outputs' `texts`; the detection settings are the defaults but for
/// `UPTAKE_BENCH_SHINGLE_WORDS` and `UPTAKE_BENCH_MIN_SEEDS`.
fn detector(outputs: &[Output], texts: &[(String, String)], prefilter: bool) -> Detector {
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    let d = DetectConfig::default();
    let cfg = DetectConfig {
        prefilter,
        shingle_words: env_usize("UPTAKE_BENCH_SHINGLE_WORDS", d.shingle_words),
        min_seeds: env_usize("UPTAKE_BENCH_MIN_SEEDS", d.min_seeds),
        ..d
    };
    let t = Instant::now();
    let det = Detector::with_vocabulary(
        outputs,
        texts,
        &cfg,
        load_vocabulary(&catalogue).expect("the vocabulary loads"),
    );
    if prefilter {
        println!(
            "  detector with the pre-filter built in {:.2} s",
            t.elapsed().as_secs_f64()
        );
    }
    det
}

/// The documents of a folder, extracted as a run extracts them.
fn extracted(dir: &Path) -> Vec<Document> {
    let mut docs = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let p = e.path();
        let Some(ct) = uptake::crawl::content_type_for(p) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let raw = RawDoc {
            source: "bench".into(),
            key: p.display().to_string(),
            url: uptake::crawl::file_url(p),
            location: p.display().to_string(),
            bytes,
            content_type_hint: Some(ct.to_string()),
            overrides: Default::default(),
            linked_from: None,
            other_urls: Vec::new(),
            fallback_date: None,
            found_by: None,
            warc: None,
        };
        if let Ok(d) = uptake::extract::extract(&raw) {
            docs.push(d);
        }
    }
    docs
}

/// Section 1: a small corpus, read `SMALL_PASSES` times.
fn small(name: &str, on: &Detector, off: &Detector, docs: &[Document]) {
    let mut looks = Looks::default();
    for d in docs {
        looks.add(on.prefilter_look(d).expect("on"));
    }
    let (mut pre, mut full, mut both) = (Timed::default(), Timed::default(), Timed::default());
    let mut same = true;
    for _ in 0..SMALL_PASSES {
        pre.time(docs, || {
            docs.iter()
                .filter(|d| on.prefilter_look(d).is_some_and(Look::passes))
                .count()
        });
        let a = full.time(docs, || detect(off, docs));
        let b = both.time(docs, || detect(on, docs));
        same &= a == b;
    }
    let found = detect(off, docs)
        .iter()
        .filter(|d| **d != Detection::default())
        .count();
    println!(
        "{name}: {} documents, {:.2} MB, {found} with something found\n  pre-filter: {}\n  pre-filter alone: {}\n  \
         full detector: {}\n  pre-filter + detector: {}\n  detections identical: {same}",
        docs.len(),
        docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6,
        looks.show(),
        pre.show(),
        full.show(),
        both.show()
    );
    assert!(same, "{name}: the pre-filter changed what was found");
}

fn found_planted(det: &Detection, planted: &Planted, outputs: &[Output]) -> bool {
    match *planted {
        Planted::Citation(o) => det.mentions.iter().any(|m| m.output_id == outputs[o].id),
        Planted::Passage(o, a, b) => det
            .passages
            .iter()
            .any(|p| p.output_id == outputs[o].id && p.doc_start < b && a < p.doc_end),
    }
}

/// What one group of records gave.
#[derive(Default)]
struct Tally {
    looks: Looks,
    pre: Timed,
    full: Timed,
    both: Timed,
    planted: usize,
    found_full: usize,
    found_both: usize,
    differ: usize,
    mentions: usize,
    passages: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        let l = &mut self.looks;
        l.address += o.looks.address;
        l.seed += o.looks.seed;
        l.name += o.looks.name;
        l.nothing += o.looks.nothing;
        for (a, b) in [
            (&mut self.pre, &o.pre),
            (&mut self.full, &o.full),
            (&mut self.both, &o.both),
        ] {
            a.secs += b.secs;
            a.cpu += b.cpu;
            a.bytes += b.bytes;
            a.docs += b.docs;
        }
        self.planted += o.planted;
        self.found_full += o.found_full;
        self.found_both += o.found_both;
        self.differ += o.differ;
        self.mentions += o.mentions;
        self.passages += o.passages;
    }

    fn show(&self, name: &str) {
        println!(
            "  {name}: {:.1} MB in {} records ({:.0} bytes on average); {} mentions and {} passages found",
            self.pre.bytes as f64 / 1e6,
            self.pre.docs,
            self.pre.bytes as f64 / self.pre.docs.max(1) as f64,
            self.mentions,
            self.passages
        );
        println!("    pre-filter: {}", self.looks.show());
        println!("    pre-filter alone: {}", self.pre.show());
        println!("    full detector: {}", self.full.show());
        println!("    pre-filter + detector: {}", self.both.show());
        println!(
            "    planted cases found: {} of {} by the full detector, {} of {} with the pre-filter; records whose \
             detections differ: {}",
            self.found_full, self.planted, self.found_both, self.planted, self.differ
        );
    }
}

/// Section 2: one generated set of `records` records, from `pools` in proportion to their weights.
#[allow(clippy::too_many_arguments)]
fn web_set(
    name: &str,
    pools: &[Pool],
    records: usize,
    every: usize,
    seed: u64,
    outputs: &[Output],
    texts: &[(String, String)],
    (on, off): (&Detector, &Detector),
) {
    println!("\n{name}: {records} records, one in {every} planted");
    let mut gen = Gen {
        rng: fastrand::Rng::with_seed(seed),
    };
    let batches = records.div_ceil(BATCH);
    let total: f64 = pools.iter().map(|p| p.weight).sum();
    let mut tallies: Vec<Tally> = pools.iter().map(|_| Tally::default()).collect();
    let rss_start = status_kb("VmRSS:");
    for b in 0..batches {
        // the batch's pool: batches are shared out in proportion to the pools' weights
        let at = (b as f64 + 0.5) / batches as f64 * total;
        let mut acc = 0.0;
        let pi = pools
            .iter()
            .position(|p| {
                acc += p.weight;
                at < acc
            })
            .unwrap_or(pools.len() - 1);
        let (from, n) = (b * BATCH, BATCH.min(records - b * BATCH));
        let mut docs = Vec::with_capacity(n);
        let mut plants = Vec::with_capacity(n);
        for i in from..from + n {
            let plant = (i % every == every / 2).then(|| {
                let case = i / every;
                let oi = (case / 2) % texts.len();
                (
                    &outputs[oi],
                    oi,
                    texts[oi].1.as_str(),
                    case.is_multiple_of(2),
                )
            });
            let (d, p) = gen.record(i, &pools[pi], plant);
            docs.push(d);
            plants.push(p);
        }
        let t = &mut tallies[pi];
        for d in &docs {
            t.looks.add(on.prefilter_look(d).expect("on"));
        }
        t.pre.time(&docs, || {
            docs.iter()
                .filter(|d| on.prefilter_look(d).is_some_and(Look::passes))
                .count()
        });
        // the two detectors in turn go first
        let (x, y) = if b % 2 == 0 {
            let x = t.full.time(&docs, || detect(off, &docs));
            (x, t.both.time(&docs, || detect(on, &docs)))
        } else {
            let y = t.both.time(&docs, || detect(on, &docs));
            (t.full.time(&docs, || detect(off, &docs)), y)
        };
        for ((x, y), p) in x.iter().zip(&y).zip(&plants) {
            t.differ += (x != y) as usize;
            t.mentions += x.mentions.len();
            t.passages += x.passages.len();
            if let Some(p) = p {
                t.planted += 1;
                t.found_full += found_planted(x, p, outputs) as usize;
                t.found_both += found_planted(y, p, outputs) as usize;
                if !found_planted(y, p, outputs) {
                    println!("  missed with the pre-filter: {p:?}");
                }
            }
        }
    }
    let mut all = Tally::default();
    let mut others = Tally::default();
    for (p, t) in pools.iter().zip(&tallies) {
        all.add(t);
        if p.name != "English" {
            others.add(t);
        }
    }
    all.show("all records");
    if pools.len() > 1 {
        if let Some(i) = pools.iter().position(|p| p.name == "English") {
            tallies[i].show("English records");
        }
        others.show("records in other languages");
        let langs: Vec<String> = pools
            .iter()
            .zip(&tallies)
            .filter(|(p, _)| p.name != "English")
            .map(|(p, t)| format!("{} {}", p.name, t.pre.docs))
            .collect();
        println!("    (records per language: {})", langs.join(", "));
    }
    println!(
        "  memory: peak RSS {:.0} MB; RSS {:.0} MB at the start of the set and {:.0} MB at its end",
        status_kb("VmHWM:") as f64 / 1e3,
        rss_start as f64 / 1e3,
        status_kb("VmRSS:") as f64 / 1e3
    );
    assert_eq!(all.differ, 0, "the pre-filter changed what was found");
    assert_eq!(
        all.found_both, all.found_full,
        "the pre-filter changed the recall"
    );
}

/// Section 2: the generated sets.
fn web(outputs: &[Output]) {
    let records = env_usize("UPTAKE_BENCH_RECORDS", 200_000);
    let every = env_usize("UPTAKE_BENCH_PLANT_EVERY", 10_000).max(1);
    let per_output = env_usize("UPTAKE_BENCH_OUTPUT_KB", 150) * 1000;
    let seed = env_usize("UPTAKE_BENCH_SEED", 2026) as u64;
    let texts = output_texts(outputs, per_output);
    assert!(
        !texts.is_empty(),
        "no Rust documentation under ~/.rustup for the outputs' texts"
    );
    println!(
        "\nThe outputs: {} of the catalogue's, with {:.2} MB of text",
        texts.len(),
        texts.iter().map(|t| t.1.len()).sum::<usize>() as f64 / 1e6
    );
    let on = detector(outputs, &texts, true);
    let off = detector(outputs, &texts, false);
    let english_share = env_usize("UPTAKE_BENCH_ENGLISH_PERCENT", 45).min(100) as f64;
    let en = english(100.0);
    let others = other_languages(100.0 - english_share);
    println!(
        "  host text: English {} paragraphs; other languages {}",
        en.paras.len(),
        others
            .iter()
            .map(|p| format!("{} {}", p.name, p.paras.len()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        en.paras.len() > 1000,
        "too little English text on this machine"
    );
    web_set(
        "English technical prose (the outputs' own register)",
        std::slice::from_ref(&en),
        records,
        every,
        seed,
        outputs,
        &texts,
        (&on, &off),
    );
    let mixed: Vec<Pool> = std::iter::once(Pool {
        weight: english_share,
        ..en
    })
    .chain(others)
    .collect();
    web_set(
        &format!("A language mix like Common Crawl's ({english_share:.0}% English)"),
        &mixed,
        records,
        every,
        seed + 1,
        outputs,
        &texts,
        (&on, &off),
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outputs = load_catalogue(&root.join("data/catalogue.toml")).expect("the catalogue loads");
    let own: Vec<(String, String)> = outputs
        .iter()
        .filter_map(|o| {
            let text: Vec<String> = o
                .texts
                .iter()
                .filter_map(|t| match t {
                    TextSource::File(p) => uptake::extract::extract(&RawDoc {
                        source: "bench".into(),
                        key: p.display().to_string(),
                        url: uptake::crawl::file_url(p),
                        location: p.display().to_string(),
                        bytes: std::fs::read(p).ok()?,
                        content_type_hint: uptake::crawl::content_type_for(p).map(str::to_string),
                        overrides: Default::default(),
                        linked_from: None,
                        other_urls: Vec::new(),
                        fallback_date: None,
                        found_by: None,
                        warc: None,
                    })
                    .ok()
                    .map(|d| d.text),
                    TextSource::Url(_) => None,
                })
                .collect();
            (!text.is_empty()).then(|| (o.id.clone(), text.join("\n\n")))
        })
        .collect();
    println!(
        "data/catalogue.toml: {} outputs, {} with their demo text",
        outputs.len(),
        own.len()
    );
    let on = detector(&outputs, &own, true);
    let off = detector(&outputs, &own, false);
    small(
        "the demo corpus (data/demo/corpus)",
        &on,
        &off,
        &extracted(&root.join("data/demo/corpus")),
    );
    small(
        "the labelled set (tests/labelled/corpus)",
        &on,
        &off,
        &extracted(&root.join("tests/labelled/corpus")),
    );
    web(&outputs);
}
