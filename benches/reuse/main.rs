//! Reuse detection benchmark: `cargo bench --bench reuse`. Every text is generated at run time from files on this
//! machine; none is committed.
//!
//! 1. A PAN-style labelled set, generated with a fixed seed from real prose on this machine (licences, pydoc
//!    topics, the Rust docs where present): 30 outputs and documents of other prose into which passages are
//!    reused verbatim, lightly edited, heavily edited, reordered, split by an aside, as short quotations, inside
//!    HTML and inside PDF. Prints PAN precision, recall, granularity and plagdet (best-source rows) per kind.
//! 2. Natural reuse between licence versions (GPL-2 → GPL-3 and others) and between editions of Python's pydoc
//!    topics (3.12 → 3.13, 3.6 → 3.13, from ~/.pyenv).
//! 3. text-matcher (`pip install text-matcher`) and uptake on a shared subset of the labelled set.
//! 4. The neutral set of issue 14 (see `neutral.rs`): 10 licences, 60 documents of pydoc prose, 120 planted
//!    light edits and a heavy variant; strict and "any source that holds the text" views; text-matcher, uptake
//!    in a process of its own and, where installed, passim and TextPAIR's Go core on the same sets in the same
//!    run (`peers.rs`), side by side with wall time, peak RSS and ratios.
//! 5. Throughput (see `throughput.rs`) on a dense corpus (every document reuses) and a sparse one (one in a
//!    thousand), documents of about 10 KB: detection (references and reuse together, as a run does it) and reuse
//!    alone, MB/s on one core and on all, peak RSS, RSS growth per document, and checksums of the rows.
//!
//! Environment: `UPTAKE_BENCH_CORPUS_MB` (default 200, per corpus), `UPTAKE_BENCH_DOCS_PER_KIND` (default 60),
//! `UPTAKE_BENCH_SKIP_TEXT_MATCHER=1`, `UPTAKE_BENCH_ONLY_NEUTRAL=1` (section 4 alone), the peers of `peers.rs`
//! (`UPTAKE_BENCH_PASSIM`, `UPTAKE_BENCH_TEXTPAIR` and their `_ARGS`), and detector settings `UPTAKE_BENCH_SHINGLE_WORDS`,
//! `UPTAKE_BENCH_MAX_GAP_WORDS`, `UPTAKE_BENCH_MIN_SEEDS`, `UPTAKE_BENCH_MIN_SIMILARITY`;
//! `UPTAKE_BENCH_SHOW=1` prints the misses of the labelled set and the neutral set's cases;
//! `UPTAKE_BENCH_ONLY_THROUGHPUT=1` runs the throughput section alone and `UPTAKE_BENCH_CORPORA=dense` (or
//! `sparse`) one of its corpora (for profiling).

mod cases;
mod neutral;
mod pan;
mod pdf;
mod peers;
mod prose;
mod throughput;

use std::time::Instant;

use crate::pan::{score, Pair, Scores};
use rayon::prelude::*;
use uptake::config::DetectConfig;
use uptake::detect::reuse::{OutputText, ReuseIndex};

use cases::{Doc, Kind, Output, KINDS};

const SEED: u64 = 20_261_126;
const OUTPUTS: usize = 30;
/// Size of each output in the throughput index.
const OUTPUT_CHARS: usize = 150_000;
/// Size of each output in the labelled set (smaller, so that enough prose is left to host the cases after
/// near-duplicates are removed).
const LABELLED_OUTPUT_CHARS: usize = 50_000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn index_of(outputs: &[Output], cfg: &DetectConfig) -> ReuseIndex {
    let texts: Vec<OutputText> = outputs
        .iter()
        .map(|o| OutputText {
            id: o.id.clone(),
            text: o.text.clone(),
            ..Default::default()
        })
        .collect();
    ReuseIndex::new(&texts, cfg)
}

/// The rows uptake gives for one document: its passages found and attributed.
pub fn rows_of(
    index: &ReuseIndex,
    cfg: &DetectConfig,
    id: &str,
    text: &str,
) -> Vec<uptake::records::Passage> {
    let found = index.find(id, text, &uptake::normalize::words(text), None, cfg);
    index.boilerplate_filter(cfg).apply(found, None)
}

/// Runs detection over `docs` and returns the best-source rows as PAN pairs; prints the count and checksum of
/// every row (to show that two builds give the same rows).
fn detect(index: &ReuseIndex, docs: &[Doc], cfg: &DetectConfig) -> Vec<Pair> {
    let rows: Vec<_> = docs
        .par_iter()
        .flat_map_iter(|d| rows_of(index, cfg, &d.id, &d.text))
        .collect();
    println!(
        "rows: {} ({} best-source), checksum {:016x}",
        rows.len(),
        rows.iter().filter(|p| p.best_source).count(),
        throughput::rows_checksum(&rows)
    );
    rows.into_iter()
        .filter(|p| p.best_source)
        .map(|p| Pair {
            doc: p.doc_id,
            source: p.output_id,
            doc_span: (p.doc_start, p.doc_end),
            source_span: (p.output_start, p.output_end),
        })
        .collect()
}

fn case_pairs(docs: &[Doc], outputs: &[Output], kind: Option<Kind>) -> Vec<Pair> {
    docs.iter()
        .flat_map(|d| {
            d.cases
                .iter()
                .filter(move |c| kind.is_none_or(|k| c.kind == k))
                .map(move |c| Pair {
                    doc: d.id.clone(),
                    source: outputs[c.output].id.clone(),
                    doc_span: c.doc_span,
                    source_span: c.source_span,
                })
        })
        .collect()
}

/// One row of a PAN score table, its label `width` characters wide.
pub fn print_scores_as(width: usize, label: &str, s: &Scores) {
    println!(
        "  {label:<width$} {:>9.4} {:>9.4} {:>11.4} {:>9.4} {:>7} {:>9} {:>10}",
        s.precision, s.recall, s.granularity, s.plagdet, s.cases, s.detected, s.detections
    );
}

/// The head of a PAN score table whose first column is `first`, `width` characters wide.
pub fn header_as(width: usize, first: &str) {
    println!(
        "  {first:<width$} {:>9} {:>9} {:>11} {:>9} {:>7} {:>9} {:>10}",
        "precision", "recall", "granularity", "plagdet", "cases", "detected", "detections"
    );
}

fn print_scores(label: &str, s: &Scores) {
    print_scores_as(10, label, s);
}

fn header() {
    header_as(10, "kind");
}

/// Per-kind scores: the cases of the kind against the detections that detect one of them.
fn kind_scores(cases: &[Pair], detections: &[Pair]) -> Scores {
    let mine: Vec<Pair> = detections
        .iter()
        .filter(|r| {
            cases.iter().any(|c| {
                r.doc == c.doc
                    && r.source == c.source
                    && r.doc_span.1.min(c.doc_span.1) > r.doc_span.0.max(c.doc_span.0)
                    && r.source_span.1.min(c.source_span.1) > r.source_span.0.max(c.source_span.0)
            })
        })
        .cloned()
        .collect();
    score(cases, &mine)
}

fn main() {
    let t0 = Instant::now();
    let mut cfg = DetectConfig::default();
    cfg.shingle_words = env_usize("UPTAKE_BENCH_SHINGLE_WORDS", cfg.shingle_words);
    cfg.max_gap_words = env_usize("UPTAKE_BENCH_MAX_GAP_WORDS", cfg.max_gap_words);
    cfg.min_seeds = env_usize("UPTAKE_BENCH_MIN_SEEDS", cfg.min_seeds);
    if let Some(v) = std::env::var("UPTAKE_BENCH_MIN_SIMILARITY")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        cfg.min_similarity = v;
    }
    // started again by the neutral set's side-by-side run: uptake end to end in a process of its own
    if let (Some(job), Some(rows)) = (
        std::env::var_os("UPTAKE_BENCH_UPTAKE_JOB"),
        std::env::var_os("UPTAKE_BENCH_UPTAKE_ROWS"),
    ) {
        peers::uptake_job(job.as_ref(), rows.as_ref(), &cfg);
        return;
    }
    if std::env::var_os("UPTAKE_BENCH_ONLY_NEUTRAL").is_some() {
        let with_tm = std::env::var_os("UPTAKE_BENCH_SKIP_TEXT_MATCHER").is_none();
        neutral::run(SEED, &cfg, with_tm);
        println!("\nwhole benchmark: {:.1} s", t0.elapsed().as_secs_f64());
        return;
    }
    let per_kind = env_usize("UPTAKE_BENCH_DOCS_PER_KIND", 60);
    let corpus_mb = env_usize("UPTAKE_BENCH_CORPUS_MB", 200);

    // ---- prose
    let mut pool = prose::pool(16_000_000);
    let mut rng = fastrand::Rng::with_seed(SEED);
    rng.shuffle(&mut pool);
    let total: usize = pool.iter().map(|p| p.text.len()).sum();
    if std::env::var_os("UPTAKE_BENCH_ONLY_THROUGHPUT").is_none() {
        accuracy(&pool, total, per_kind, &cfg);
    }

    // ---- throughput
    // the throughput index takes the first 4.5 MB of the prose as it comes; the rest hosts the corpus
    let big_bytes = (OUTPUTS * OUTPUT_CHARS).min(total * 3 / 4);
    let (big_sources, big_hosts, _) = prose::separate(&pool, big_bytes, false);
    let big = cases::outputs(&big_sources, OUTPUTS, big_bytes / OUTPUTS);
    let big_index = index_of(&big, &cfg);
    println!(
        "\nthroughput corpus prose: {} paragraphs ({:.2} MB) sharing fewer than 2 5-word shingles with the index",
        big_hosts.len(),
        big_hosts.iter().map(|p| p.text.len()).sum::<usize>() as f64 / 1e6
    );
    throughput::run(&big_index, &big_hosts, &big, corpus_mb, SEED + 1, &cfg);
    println!("\nwhole benchmark: {:.1} s", t0.elapsed().as_secs_f64());
}

/// Prints detections that detect no case, and cases detected in pieces or not at all (for tuning).
fn show_misses(docs: &[Doc], outputs: &[Output], cases: &[Pair], detections: &[Pair]) {
    let text = |doc: &str| {
        docs.iter()
            .find(|d| d.id == doc)
            .map(|d| d.text.clone())
            .unwrap_or_default()
    };
    let out = |id: &str| {
        outputs
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.text.clone())
            .unwrap_or_default()
    };
    let cut = |t: &str, (a, b): (usize, usize)| -> String {
        t.chars().skip(a).take((b - a).min(300)).collect()
    };
    for r in detections
        .iter()
        .filter(|r| {
            !cases
                .iter()
                .any(|c| kind_scores(std::slice::from_ref(c), std::slice::from_ref(r)).detected > 0)
        })
        .take(12)
    {
        println!(
            "FALSE {} {} {:?} {:?}\n  doc: {}\n  out: {}",
            r.doc,
            r.source,
            r.doc_span,
            r.source_span,
            cut(&text(&r.doc), r.doc_span),
            cut(&out(&r.source), r.source_span)
        );
    }
    for c in cases {
        let mine: Vec<&Pair> = detections
            .iter()
            .filter(|r| kind_scores(std::slice::from_ref(c), std::slice::from_ref(*r)).detected > 0)
            .collect();
        let s = kind_scores(std::slice::from_ref(c), detections);
        if mine.len() != 1 || s.recall < 0.8 {
            println!(
                "CASE {} ({} words) {} {:?} {:?} recall {:.2} detections {:?}",
                c.doc,
                uptake::normalize::words(&text(&c.doc)).len(),
                c.source,
                c.doc_span,
                c.source_span,
                s.recall,
                mine.iter()
                    .map(|r| (r.doc_span, r.source_span))
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn text_matcher(outputs: &[Output], docs: &[Doc], cfg: &DetectConfig) {
    println!("\ntext-matcher on a shared subset of the labelled set");
    // 3 outputs, cut to 30 KB each, and 4 documents of every kind reusing them plus 8 without reuse
    let chosen: Vec<usize> = vec![0, 1, 2];
    let sub_outputs: Vec<Output> = chosen
        .iter()
        .map(|&i| {
            let o = &outputs[i];
            let keep = o.paras.iter().take_while(|p| p.1 <= 30_000).count().max(1);
            let end = o.paras[keep - 1].1;
            Output {
                id: o.id.clone(),
                text: o.text.chars().take(end).collect(),
                paras: o.paras[..keep].to_vec(),
            }
        })
        .collect();
    let mut sub_docs: Vec<Doc> = Vec::new();
    for kind in KINDS {
        sub_docs.extend(
            docs.iter()
                .filter(|d| {
                    d.cases.iter().any(|c| {
                        c.kind == kind
                            && chosen.contains(&c.output)
                            && c.source_span.1 <= sub_outputs[c.output].text.chars().count()
                    })
                })
                .take(4)
                .cloned(),
        );
    }
    sub_docs.extend(docs.iter().filter(|d| d.cases.is_empty()).take(8).cloned());
    let cases: Vec<Pair> = case_pairs(&sub_docs, &sub_outputs, None);
    let chars: usize = sub_docs
        .iter()
        .map(|d| d.text.chars().count())
        .sum::<usize>();
    println!(
        "  {} outputs ({} KB), {} documents ({} KB), {} cases, {} pairs compared",
        sub_outputs.len(),
        sub_outputs.iter().map(|o| o.text.len()).sum::<usize>() / 1000,
        sub_docs.len(),
        chars / 1000,
        cases.len(),
        sub_outputs.len() * sub_docs.len()
    );
    // uptake: index and detection, timed together
    let t = Instant::now();
    let index = index_of(&sub_outputs, cfg);
    let ours = detect(&index, &sub_docs, cfg);
    let our_s = t.elapsed().as_secs_f64();
    let pairs = |v: Vec<(String, String)>| v;
    let tm = match neutral::run_text_matcher(
        &pairs(
            sub_outputs
                .iter()
                .map(|o| (o.id.clone(), o.text.clone()))
                .collect(),
        ),
        &pairs(
            sub_docs
                .iter()
                .map(|d| (d.id.clone(), d.text.clone()))
                .collect(),
        ),
    ) {
        Ok(tm) => tm,
        Err(e) => {
            println!("  text-matcher not run: {e}");
            return;
        }
    };
    let (theirs, their_s) = (tm.detections, tm.seconds);
    println!(
        "  text-matcher: stopwords {}",
        if tm.stopwords_removed {
            "removed"
        } else {
            "kept (NLTK's stopword list is not installed)"
        }
    );
    header();
    for kind in KINDS {
        let kc: Vec<Pair> = sub_docs
            .iter()
            .flat_map(|d| {
                d.cases
                    .iter()
                    .filter(|c| c.kind == kind)
                    .map(move |c| (d, c))
            })
            .map(|(d, c)| Pair {
                doc: d.id.clone(),
                source: sub_outputs[c.output.min(2)].id.clone(),
                doc_span: c.doc_span,
                source_span: c.source_span,
            })
            .filter(|p| cases.contains(p))
            .collect();
        if kc.is_empty() {
            continue;
        }
        print_scores(&format!("{}/up", kind.name()), &kind_scores(&kc, &ours));
        print_scores(&format!("{}/tm", kind.name()), &kind_scores(&kc, &theirs));
    }
    print_scores("all/uptake", &score(&cases, &ours));
    print_scores("all/t-m", &score(&cases, &theirs));
    println!(
        "  time: uptake {:.3} s (index and detection, {} threads), text-matcher {:.1} s (matching only, one process): {:.0}x",
        our_s,
        rayon::current_num_threads(),
        their_s,
        their_s / our_s
    );
}

/// Sections 1 to 4: the labelled set, natural reuse, text-matcher and the neutral set.
fn accuracy(pool: &[prose::Para], total: usize, per_kind: usize, cfg: &DetectConfig) {
    let for_outputs = (OUTPUTS * LABELLED_OUTPUT_CHARS).min(total / 3);
    let (source_paras, host_paras, dropped) = prose::separate(pool, for_outputs, true);
    let mut origins: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for p in pool.iter() {
        let e = origins.entry(p.origin).or_default();
        e.0 += 1;
        e.1 += p.text.len();
    }
    println!("reuse benchmark (seed {SEED})");
    println!(
        "prose: {} paragraphs, {:.1} MB",
        pool.len(),
        total as f64 / 1e6
    );
    println!(
        "  {dropped} paragraphs left out as natural near-duplicates (2 or more 5-word shingles shared with an output)"
    );
    for (o, (n, b)) in &origins {
        println!("  {o:<10} {n:>6} paragraphs {:>6.2} MB", *b as f64 / 1e6);
    }
    let outputs = cases::outputs(
        &source_paras,
        OUTPUTS,
        (for_outputs / OUTPUTS).min(OUTPUT_CHARS),
    );
    let out_chars: usize = outputs.iter().map(|o| o.text.len()).sum();
    println!(
        "outputs: {} of {:.0} KB on average ({:.2} MB); host prose: {} paragraphs",
        outputs.len(),
        out_chars as f64 / outputs.len() as f64 / 1e3,
        out_chars as f64 / 1e6,
        host_paras.len()
    );

    // ---- labelled set
    let mut gen = cases::Generator::new(SEED, &host_paras);
    let mut docs = Vec::new();
    let mut lost = 0;
    for (ki, kind) in KINDS.iter().enumerate() {
        for i in 0..per_kind {
            let oi = (ki * per_kind + i) % outputs.len();
            match gen.doc(
                format!("{}-{i:03}", kind.name()),
                &outputs,
                Some((*kind, oi)),
            ) {
                Some(d) => docs.push(d),
                None => lost += 1,
            }
        }
    }
    for i in 0..per_kind * 2 {
        docs.extend(gen.doc(format!("negative-{i:03}"), &outputs, None));
    }
    if lost > 0 {
        println!("note: {lost} documents lost their markers in extraction and are left out");
    }
    let doc_chars: usize = docs.iter().map(|d| d.text.len()).sum();
    println!(
        "labelled set: {} documents ({:.1} MB), {} cases, {} documents without reuse",
        docs.len(),
        doc_chars as f64 / 1e6,
        docs.iter().map(|d| d.cases.len()).sum::<usize>(),
        docs.iter().filter(|d| d.cases.is_empty()).count()
    );
    let t = Instant::now();
    let index = index_of(&outputs, cfg);
    println!(
        "index: {} shingles of {} words in {:.2} s",
        index.shingles(),
        cfg.shingle_words,
        t.elapsed().as_secs_f64()
    );
    let detections = detect(&index, &docs, cfg);
    let all_cases = case_pairs(&docs, &outputs, None);
    println!("\nPAN measures (character level; a detection counts where it overlaps a case on both sides)");
    header();
    for kind in KINDS {
        let cases = case_pairs(&docs, &outputs, Some(kind));
        print_scores(kind.name(), &kind_scores(&cases, &detections));
    }
    print_scores("overall", &score(&all_cases, &detections));
    if std::env::var_os("UPTAKE_BENCH_SHOW").is_some() {
        show_misses(&docs, &outputs, &all_cases, &detections);
    }

    // ---- natural reuse between licence versions
    println!("\nnatural reuse between licence versions (the older indexed, the newer searched)");
    let licences = prose::licences();
    let get = |n: &str| {
        licences
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, t)| t.clone())
    };
    for (old, new) in [
        ("GPL-2", "GPL-3"),
        ("LGPL-2", "LGPL-2.1"),
        ("GFDL-1.2", "GFDL-1.3"),
        ("MPL-1.1", "MPL-2.0"),
    ] {
        let (Some(a), Some(b)) = (get(old), get(new)) else {
            println!("  {old} -> {new}: not on this machine");
            continue;
        };
        let idx = ReuseIndex::new(
            &[OutputText {
                id: old.into(),
                text: a.clone(),
                ..Default::default()
            }],
            cfg,
        );
        let found = idx.find(new, &b, &uptake::normalize::words(&b), None, cfg);
        let ps: Vec<_> = found.into_iter().map(|f| f.passage).collect();
        let covered = uptake::detect::reuse::covered(ps.iter().map(|p| (p.doc_start, p.doc_end)));
        let src = uptake::detect::reuse::covered(ps.iter().map(|p| (p.output_start, p.output_end)));
        let sim = ps
            .iter()
            .map(|p| p.similarity * (p.doc_end - p.doc_start) as f64)
            .sum::<f64>()
            / covered.max(1) as f64;
        println!(
            "  {old:>8} -> {new:<8} {:>3} passages, {:>5.1}% of {new} and {:>5.1}% of {old} covered, similarity {:.3}; longest {} chars",
            ps.len(),
            100.0 * covered as f64 / b.chars().count() as f64,
            100.0 * src as f64 / a.chars().count() as f64,
            sim,
            ps.iter().map(|p| p.doc_end - p.doc_start).max().unwrap_or(0)
        );
    }

    neutral::editions(cfg);

    // ---- text-matcher on a shared subset
    let with_tm = std::env::var_os("UPTAKE_BENCH_SKIP_TEXT_MATCHER").is_none();
    if with_tm {
        text_matcher(&outputs, &docs, cfg);
    }

    // ---- the neutral set, with text-matcher on the same set
    neutral::run(SEED, cfg, with_tm);
}
