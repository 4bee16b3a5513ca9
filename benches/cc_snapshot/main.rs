//! A Common Crawl snapshot in small (issue 17, "Benchmark and plan"): `cargo bench --bench cc_snapshot`. The
//! figures and what they mean are in docs/web-scale.md; the plan built on them in docs/snapshot-plan.md.
//!
//! 1. **Generate** (once; reused while `manifest.txt` matches the options): WET files (`warcinfo`, then a
//!    `conversion` record per page) and WARC files (`warcinfo`, then per page a `request`, a `response` with an
//!    HTTP/1.1 200 head and an HTML page around the page's text, and a `metadata` record), one gzip member per
//!    record as Common Crawl writes them, in `UPTAKE_BENCH_DIR`. The pages are the web-scale benchmark's records
//!    (`../web_scale/records.rs`: text this machine ships, a language mix, one planted citation or passage in
//!    10,000) and the catalogue's 31 outputs get paragraphs of the Rust documentation as their texts; the
//!    catalogue, the texts, the planted cases (`planted.tsv`) and a config per run are written beside the files.
//! 2. **End to end**: the real binary (`uptake run`, `UPTAKE_BENCH_UPTAKE` for another one) as a child process
//!    over the WET files, then over the WARC files, each into a fresh folder, with `RAYON_NUM_THREADS` set to
//!    `UPTAKE_BENCH_THREADS` (default 1): wall time, CPU time (user + system, `wait4`), peak RSS (`ru_maxrss`) and
//!    RSS every half second; then every planted case is looked up in the tables it wrote.
//! 3. **In process**, on one thread: the pre-filter alone over the WET records' text, then the first pass of
//!    detection over it; the reading of the WET files alone (inflating, headers, blocks), and the two in a row per
//!    MB of text, the most an end-to-end run could reach; over the WARC pages, HTML extraction then the pre-filter.
//!
//! MB are 10^6 bytes. Options: `UPTAKE_BENCH_DIR` (default: `cc_snapshot` under Cargo's bench temporary folder),
//! `UPTAKE_BENCH_WET_PAGES` (default 400,000), `UPTAKE_BENCH_WARC_PAGES` (default 200,000),
//! `UPTAKE_BENCH_WET_FILES` and `UPTAKE_BENCH_WARC_FILES` (default 10 each), `UPTAKE_BENCH_PLANT_EVERY` (10,000),
//! `UPTAKE_BENCH_SEED`, `UPTAKE_BENCH_OUTPUT_KB` (150), `UPTAKE_BENCH_ENGLISH_PERCENT` (45),
//! `UPTAKE_BENCH_GZIP_LEVEL` (6, what Common Crawl writes), `UPTAKE_BENCH_RUNS` (`wet,warc`; `both` reads both
//! kinds in one run), `UPTAKE_BENCH_WARC_KEYS` (TOML lines appended to the runs' `[[source]]` table),
//! `UPTAKE_BENCH_THREADS`, `UPTAKE_BENCH_SKIP` (`run`, `inprocess`), `UPTAKE_BENCH_INPROCESS_PAGES` (a cap on
//! the in-process passes) and `UPTAKE_BENCH_KEEP_RUNS=1` (keep the runs' folders, deleted by default).
//!
//! `UPTAKE_BENCH_REALWEB=<dir>` measures something else: real web pages (listed in `realweb-pages.tsv`, their
//! texts in `<dir>/texts/`) through the pre-filter and the real binary (`realweb.rs`).

mod generate;
mod html;
mod inprocess;
#[allow(dead_code)]
#[path = "../reuse/prose.rs"]
mod prose;
mod realweb;
#[allow(dead_code)]
#[path = "../web_scale/records.rs"]
mod records;
mod run;

use std::path::{Path, PathBuf};

use generate::{Params, Sizes};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// One end-to-end run and its figures.
fn end_to_end(
    dir: &Path,
    kind: &str,
    sizes: &Sizes,
    p: &Params,
    plants: &[generate::Plant],
    table: &mut Vec<String>,
) {
    let bin = std::env::var_os("UPTAKE_BENCH_UPTAKE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_uptake")));
    let threads = env_usize("UPTAKE_BENCH_THREADS", 1).max(1);
    let extra = std::env::var("UPTAKE_BENCH_WARC_KEYS").unwrap_or_default();
    let config = generate::write_config(dir, kind, &extra);
    let work = dir.join("runs").join(format!(
        "{kind}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S")
    ));
    println!(
        "\nend to end, {kind}: {} run --config {} (RAYON_NUM_THREADS={threads}; load average {})",
        bin.display(),
        config.display(),
        loadavg()
    );
    let m = run::run(&bin, &config, &work, threads);
    println!(
        "  exit {}; wall {:.1} s, CPU {:.1} s (user {:.1}, system {:.1}); peak RSS {:.0} MB; load average after {}",
        m.exit,
        m.wall,
        m.cpu(),
        m.user,
        m.sys,
        m.peak_rss_mb,
        loadavg()
    );
    println!("  RSS (MB) at each tenth of the run: {}", m.rss_profile());
    if !matches!(m.exit, 0 | 2) {
        let log = std::fs::read_to_string(work.join("log.txt")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        panic!(
            "the run failed; the end of its log:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    let (gz, text, html, pages) = match kind {
        "wet" => (sizes.wet_gz, sizes.wet_text, 0, p.wet_pages),
        "warc" => (
            sizes.warc_gz,
            sizes.warc_text,
            sizes.warc_html,
            p.warc_pages,
        ),
        _ => (
            sizes.wet_gz + sizes.warc_gz,
            sizes.wet_text + sizes.warc_text,
            sizes.warc_html,
            p.wet_pages + p.warc_pages,
        ),
    };
    // the planted cases a run can find: those among the pages its files hold (the WARC pages are the first of the
    // WET pages)
    let planted_in = match kind {
        "wet" => p.wet_pages,
        "warc" => p.warc_pages,
        _ => p.wet_pages.max(p.warc_pages),
    };
    let r = run::recall(&work.join("out"), plants, planted_in);
    let cpu = m.cpu();
    let core_wall = m.wall * threads as f64;
    println!(
        "  {pages} records read, {} documents kept; {} (document, output) pairs with a mention, {} with a passage",
        r.documents, r.mentions, r.passages
    );
    println!(
        "  per CPU second: {:.0} records/s, {:.1} MB/s of compressed files, {:.1} MB/s of page text{}",
        pages as f64 / cpu,
        mb(gz) / cpu,
        mb(text) / cpu,
        if html > 0 {
            format!(", {:.1} MB/s of HTML", mb(html) / cpu)
        } else {
            String::new()
        }
    );
    println!(
        "  per wall second x {threads} thread(s): {:.0} records/s, {:.1} MB/s compressed, {:.1} MB/s of text",
        pages as f64 / core_wall,
        mb(gz) / core_wall,
        mb(text) / core_wall
    );
    println!(
        "  planted cases found: citations {} of {}, passages {} of {}",
        r.citations.0, r.citations.1, r.passages_found.0, r.passages_found.1
    );
    for miss in &r.missed {
        println!("    missed: {miss}");
    }
    table.push(format!(
        "| end to end, {kind} | {pages} ({} kept) | {:.0} | {:.1} | {:.1} | {} | {:.0} MB | {}/{} citations, {}/{} \
         passages |",
        r.documents,
        pages as f64 / cpu,
        mb(gz) / cpu,
        mb(text) / cpu,
        if html > 0 {
            format!("{:.1}", mb(html) / cpu)
        } else {
            "-".into()
        },
        m.peak_rss_mb,
        r.citations.0,
        r.citations.1,
        r.passages_found.0,
        r.passages_found.1
    ));
    if std::env::var("UPTAKE_BENCH_KEEP_RUNS").as_deref() == Ok("1") {
        println!("  kept {}", work.display());
    } else {
        let _ = std::fs::remove_dir_all(&work);
    }
}

/// A row of the table for in-process work `t`: its rate in MB of text, or of HTML where `html`; `last` in the
/// last column.
fn timed_row(what: &str, t: &inprocess::Timed, html: bool, last: &str) -> String {
    let rate = format!("{:.1}", mb(t.bytes) / t.cpu);
    let (text, html) = if html {
        ("-", rate.as_str())
    } else {
        (rate.as_str(), "-")
    };
    format!(
        "| {what} | {} | {:.0} | - | {text} | {html} | - | {last} |",
        t.records,
        t.records as f64 / t.cpu
    )
}

/// The in-process passes.
fn in_process(dir: &Path, sizes: &Sizes, table: &mut Vec<String>) {
    let limit = env_usize("UPTAKE_BENCH_INPROCESS_PAGES", usize::MAX);
    let det = inprocess::detector(dir);
    let wet = inprocess::pass(&det, &generate::files(dir, true), true, limit);
    let f = &wet.prefilter;
    println!(
        "\nin process, WET: pre-filter alone over {} records, {:.1} MB of text: {:.0} records/s, {:.1} MB/s per CPU \
         second ({:.1} per wall second); {}",
        f.records,
        mb(f.bytes),
        f.records as f64 / f.cpu,
        mb(f.bytes) / f.cpu,
        mb(f.bytes) / f.secs,
        wet.shares()
    );
    let w = &wet.words;
    println!(
        "  of which the normalised words alone (normalize::words_into, the same records): {:.1} MB/s per CPU second",
        mb(w.bytes) / w.cpu
    );
    let d = &wet.detect;
    println!(
        "  the first pass of detection (the pre-filter, then the detectors on what it passes) over the same records: \
         {:.1} MB/s per CPU second; something found in {}",
        mb(d.bytes) / d.cpu,
        wet.found
    );
    let read = inprocess::read_alone(&generate::files(dir, true), true, limit);
    println!(
        "in process, WET: the reading alone (each gzip member inflated, each header parsed, each block read out) over \
         {} records, {:.1} MB of text: {:.1} MB/s per CPU second",
        read.records,
        mb(read.bytes),
        mb(read.bytes) / read.cpu
    );
    // the two in a row, per MB of text: what a run would reach with extraction, hand-overs and tables free
    let ceiling = 1.0 / (read.cpu / mb(read.bytes) + d.cpu / mb(d.bytes));
    println!(
        "  reading, then the first pass of detection: {ceiling:.1} MB of text per CPU second at most for an end-to-end \
         run ({:.2} + {:.2} ms of CPU a MB)",
        1e3 * read.cpu / mb(read.bytes),
        1e3 * d.cpu / mb(d.bytes)
    );
    let warc = inprocess::pass(&det, &generate::files(dir, false), false, limit);
    let (x, f) = (&warc.extract, &warc.prefilter);
    println!(
        "in process, WARC: extraction of {} pages, {:.1} MB of HTML: {:.0} records/s, {:.1} MB/s of HTML per CPU \
         second ({:.1} per wall second); {} failed",
        x.records,
        mb(x.bytes),
        x.records as f64 / x.cpu,
        mb(x.bytes) / x.cpu,
        mb(x.bytes) / x.secs,
        warc.failed
    );
    println!(
        "  then the pre-filter over their {:.1} MB of extracted text ({:.0}% of the HTML; the pages' own text is \
         {:.0}%): {:.0} records/s, {:.1} MB/s per CPU second; {}",
        mb(f.bytes),
        100.0 * f.bytes as f64 / x.bytes.max(1) as f64,
        100.0 * sizes.warc_text as f64 / sizes.warc_html.max(1) as f64,
        f.records as f64 / f.cpu,
        mb(f.bytes) / f.cpu,
        warc.shares()
    );
    table.push(timed_row("reading alone, WET files", &read, false, "-"));
    let found = format!("found in {}", wet.found);
    table.push(timed_row(
        "first pass of detection, WET text",
        d,
        false,
        &found,
    ));
    table.push(format!(
        "| reading then the first pass, WET (an end-to-end run's ceiling) | {} | - | - | {ceiling:.1} | - | - | - |",
        d.records
    ));
    let passed = |n: u64, t: &inprocess::Timed| {
        format!("{:.2}% passed", 100.0 * n as f64 / t.records.max(1) as f64)
    };
    let w = &wet.prefilter;
    table.push(timed_row(
        "pre-filter alone, WET text",
        w,
        false,
        &passed(wet.passed, w),
    ));
    table.push(timed_row("HTML extraction alone, WARC pages", x, true, "-"));
    table.push(timed_row(
        "pre-filter alone, extracted WARC text",
        f,
        false,
        &passed(warc.passed, f),
    ));
}

fn main() {
    if let Some(dir) = std::env::var_os("UPTAKE_BENCH_REALWEB") {
        realweb::main(Path::new(&dir));
        return;
    }
    let dir = std::env::var_os("UPTAKE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("cc_snapshot"));
    std::fs::create_dir_all(&dir).unwrap();
    let p = Params {
        wet_pages: env_usize("UPTAKE_BENCH_WET_PAGES", 400_000),
        warc_pages: env_usize("UPTAKE_BENCH_WARC_PAGES", 200_000),
        wet_files: env_usize("UPTAKE_BENCH_WET_FILES", 10).max(1),
        warc_files: env_usize("UPTAKE_BENCH_WARC_FILES", 10).max(1),
        every: env_usize("UPTAKE_BENCH_PLANT_EVERY", 10_000).max(2),
        seed: env_usize("UPTAKE_BENCH_SEED", 2026) as u64,
        output_kb: env_usize("UPTAKE_BENCH_OUTPUT_KB", 150),
        english_percent: env_usize("UPTAKE_BENCH_ENGLISH_PERCENT", 45),
        level: env_usize("UPTAKE_BENCH_GZIP_LEVEL", 6).min(9) as u32,
    };
    println!(
        "cc_snapshot: {} UTC, {} cores, load average {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outputs = uptake::config::load_catalogue(&root.join("data/catalogue.toml"))
        .expect("the catalogue loads");
    let sizes = generate::ensure(&dir, &p, &outputs);
    let plants = generate::read_planted(&dir);
    println!(
        "the set: WET {} pages in {} files, {:.1} MB on disk, {:.1} MB of text ({:.0} bytes a page); WARC {} pages \
         in {} files, {:.1} MB on disk, {:.1} MB of HTML ({:.0} bytes a page) around {:.1} MB of text; {} planted \
         cases ({} in the WARC pages); total on disk {:.1} MB",
        p.wet_pages,
        generate::files(&dir, true).len(),
        mb(sizes.wet_gz),
        mb(sizes.wet_text),
        sizes.wet_text as f64 / p.wet_pages.max(1) as f64,
        p.warc_pages,
        generate::files(&dir, false).len(),
        mb(sizes.warc_gz),
        mb(sizes.warc_html),
        sizes.warc_html as f64 / p.warc_pages.max(1) as f64,
        mb(sizes.warc_text),
        plants.len(),
        plants.iter().filter(|c| c.page < p.warc_pages).count(),
        mb(sizes.wet_gz + sizes.warc_gz)
    );
    let skip = std::env::var("UPTAKE_BENCH_SKIP").unwrap_or_default();
    let mut table = vec![
        "| what | records | records/s | MB/s compressed | MB/s text | MB/s HTML | peak RSS | planted found |".to_string(),
        "|---|---|---|---|---|---|---|---|".to_string(),
    ];
    if !skip.contains("run") {
        let runs = std::env::var("UPTAKE_BENCH_RUNS").unwrap_or_else(|_| "wet,warc".into());
        for kind in runs.split(',').map(str::trim) {
            assert!(
                matches!(kind, "wet" | "warc" | "both"),
                "UPTAKE_BENCH_RUNS: {kind:?} is not wet, warc or both"
            );
            end_to_end(&dir, kind, &sizes, &p, &plants, &mut table);
        }
    }
    if !skip.contains("inprocess") {
        in_process(&dir, &sizes, &mut table);
    }
    println!(
        "\nPer CPU second (one core); MB are 10^6 bytes; load average at the end {}\n{}",
        loadavg(),
        table.join("\n")
    );
}
