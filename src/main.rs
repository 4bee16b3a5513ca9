//! The `uptake` binary: parse the flags, set up logging, run the command, map the result to an exit code
//! (0 all well, 1 fatal error, 2 finished but some inputs were skipped).

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command};
use tracing_subscriber::EnvFilter;
use uptake::pipeline::{self, Summary};
use uptake::query::Format;

/// mimalloc instead of the C library's allocator: a WARC run hands each record's body from the reading thread to
/// the workers, and glibc spent 8% of a WET run's CPU time in malloc and free (docs/web-scale.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_t` (mimalloc.h, the same in mimalloc 2 and 3;
/// `libmimalloc-sys` builds mimalloc 3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// mimalloc's own; `libmimalloc-sys` links the library, whose every function is there.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// Tells mimalloc never to hand freed pages back to the system while the process runs (`purge_delay = -1`, where
/// its default hands them back a second after they are freed): freed memory is used again instead of faulted in
/// again, zeroed. On a WET run that took system time from 0.73 to 0.35 s and page faults from 6,300 to 2,000.
/// Peak RSS is about 190 MB (flat in the input's size; glibc's was 147), with `no_thp` (Cargo.toml).
fn keep_freed_pages() {
    // SAFETY: an option setter with a plain integer argument, called before any other thread starts.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_pages();
    uptake::memory::limit_arenas();
    // Before any thread starts: query results print more rows and longer strings than polars' defaults,
    // unless the user set these.
    for (key, value) in [("POLARS_FMT_MAX_ROWS", "50"), ("POLARS_FMT_STR_LEN", "60")] {
        if std::env::var_os(key).is_none() {
            std::env::set_var(key, value);
        }
    }
    let cli = Cli::parse();
    init_logging(&cli);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("uptake={level},warn")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .init();
    // A panic inside a third-party parser is caught and reported per document; log it as one line.
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        tracing::warn!("a library failed: {payload}{place}");
    }));
}

/// ", 3 own pages (not counted)" for the closing line; nothing when no document is on an own site.
fn own_note(s: &pipeline::Summary) -> String {
    match (s.own_documents, s.own_counted) {
        (0, _) => String::new(),
        (n, true) => format!(", {n} own pages (counted)"),
        (n, false) => format!(", {n} own pages (not counted)"),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let summary = match cli.command {
        Command::Run {
            common,
            report_dir,
            counting,
            sharding,
        } => {
            let cfg = sharding.apply(counting.apply(common.resolve(report_dir.as_ref())?));
            let s = pipeline::run_all(&cfg)?;
            if let Some(shard) = cfg.shard {
                eprintln!(
                    "uptake: shard {shard}: {} documents read, {} mentions, {} reused passages; tables in {}; when every shard is done: uptake merge --shards {}",
                    s.documents,
                    s.mentions,
                    s.passages,
                    cfg.out_dir.display(),
                    shard.count
                );
                return Ok(finish(&s));
            }
            eprintln!(
                "uptake: {} documents read, {} mentions, {} reused passages, {} copies of outputs{}; tables in {}, report in {}",
                s.documents,
                s.mentions,
                s.passages,
                s.copies,
                own_note(&s),
                cfg.out_dir.display(),
                cfg.report_dir.join("index.html").display()
            );
            s
        }
        Command::Crawl { common, sharding } => {
            let cfg = sharding.apply(common.resolve(None)?);
            let s = pipeline::run_crawl(&cfg)?;
            eprintln!(
                "uptake: {} documents read into {}",
                s.documents,
                cfg.out_dir.display()
            );
            s
        }
        Command::Detect {
            common,
            counting,
            sharding,
        } => {
            let cfg = sharding.apply(counting.apply(common.resolve(None)?));
            let s = pipeline::run_detect(&cfg)?;
            eprintln!(
                "uptake: {} mentions and {} reused passages in {} documents{}",
                s.mentions,
                s.passages,
                s.documents,
                own_note(&s)
            );
            s
        }
        Command::Report {
            common,
            report_dir,
            counting,
        } => {
            let cfg = counting.apply(common.resolve(report_dir.as_ref())?);
            let s = pipeline::run_report(&cfg)?;
            eprintln!(
                "uptake: report in {}",
                cfg.report_dir.join("index.html").display()
            );
            s
        }
        Command::Merge {
            common,
            report_dir,
            counting,
            shards,
            from,
            results_url,
        } => {
            let mut cfg = counting.apply(common.resolve(report_dir.as_ref())?);
            cfg.results_url = results_url;
            let which = match shards {
                Some(n) => pipeline::merge::Shards::Count(n),
                None => pipeline::merge::Shards::Dirs(from),
            };
            let s = pipeline::merge::run_merge(&cfg, &which)?;
            eprintln!(
                "uptake: shards merged: {} documents, {} mentions, {} reused passages, {} copies of outputs{}; tables in {}, report in {}",
                s.documents,
                s.mentions,
                s.passages,
                s.copies,
                own_note(&s),
                cfg.out_dir.display(),
                cfg.report_dir.join("index.html").display()
            );
            s
        }
        Command::Eval { common, expected } => {
            let cfg = common.resolve(None)?;
            let s = uptake::eval::evaluate(&cfg, &expected)?;
            println!(
                "labelled set: {} documents ({} traps)\nprecision {:.4} ({} right, {} false)\nrecall    {:.4} ({} right, {} missed)\ndates     {}/{} right\ntargets (precision >= {}, recall >= {}, every date): {}\n{}",
                s.documents,
                s.traps,
                s.precision,
                s.true_pairs,
                s.false_pairs,
                s.recall,
                s.true_pairs,
                s.missed_pairs,
                s.dates_right,
                s.dates_expected,
                uptake::eval::TARGET_PRECISION,
                uptake::eval::TARGET_RECALL,
                if s.met() { "met" } else { "NOT met" },
                s.report
            );
            return Ok(if s.met() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        Command::Query {
            common,
            file,
            sql,
            format,
            params,
            output,
        } => {
            let cfg = common.resolve(None)?;
            let (sql, origin) = match (file, sql) {
                (Some(f), _) => (
                    std::fs::read_to_string(&f)
                        .with_context(|| format!("cannot read {}", f.display()))?,
                    f.display().to_string(),
                ),
                (None, Some(s)) => (s, "--sql".to_string()),
                (None, None) => anyhow::bail!("give a FILE.sql or --sql"),
            };
            let given = params
                .iter()
                .map(|p| uptake::query::parse_param(p))
                .collect::<Result<Vec<_>, _>>()?;
            let sql = uptake::query::bind(&sql, &given, &origin)?;
            let mut df = uptake::query::run_sql(&cfg.out_dir, &sql, &origin)?;
            let bytes = match format {
                Format::Parquet => uptake::query::parquet(&mut df, &origin)?,
                f => uptake::query::format(&mut df, f, &origin)?.into_bytes(),
            };
            match output {
                Some(path) => {
                    uptake::fsutil::write_atomic(&path, &bytes)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("uptake: {} rows written to {}", df.height(), path.display());
                }
                None if format == Format::Parquet => {
                    anyhow::bail!("Parquet is binary: give --output FILE")
                }
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    Ok(finish(&summary))
}

/// The crawl's per-host summary: what was fetched, not modified, disallowed and why anything failed; a host not
/// reached is one line with the kind of failure and one with the reason.
fn print_hosts(s: &Summary) {
    if s.hosts.is_empty() {
        return;
    }
    eprintln!("uptake: crawl per host:");
    for h in &s.hosts {
        if let Some((kind, why)) = &h.unreachable_reason {
            eprintln!(
                "  [{}] {}: unreachable ({}): {} URL(s) not asked",
                h.source,
                h.host,
                kind.label(),
                h.unreachable
            );
            eprintln!("      {why}");
            continue;
        }
        eprintln!(
            "  [{}] {}: {} fetched, {} not modified, {} sitemaps, {} redirects, {} disallowed, {} failed, {} refused, {} not fetched",
            h.source,
            h.host,
            h.fetched,
            h.not_modified,
            h.sitemaps,
            h.redirects,
            h.disallowed,
            h.failed,
            h.refused,
            h.not_fetched
        );
        if let Some(r) = &h.robots {
            eprintln!("      {r}");
        }
        for (why, n) in h.reasons.iter().take(5) {
            eprintln!("      {n} × {why}");
        }
    }
}

/// Hosts whose documents have no sector: candidates for the publisher registry.
fn print_unclassified(s: &Summary) {
    if s.unclassified.is_empty() {
        return;
    }
    let n: usize = s.unclassified.iter().map(|(_, n)| n).sum();
    let list: Vec<String> = s
        .unclassified
        .iter()
        .take(15)
        .map(|(h, n)| format!("{h} ({n})"))
        .collect();
    eprintln!(
        "uptake: {n} document(s) have no sector (unclassified); add their hosts to the publisher registry: {}{}",
        list.join(", "),
        if s.unclassified.len() > 15 { ", …" } else { "" }
    );
}

fn finish(s: &Summary) -> ExitCode {
    print_hosts(s);
    for note in &s.notes {
        eprintln!("uptake: {note}");
    }
    print_unclassified(s);
    if !s.without_text.is_empty() {
        eprintln!(
            "uptake: reuse not measured for {} output(s) without a text read in this run (the catalogue's `text` gives none, or it could not be read): {}",
            s.without_text.len(),
            s.without_text.join(", ")
        );
    }
    if s.skipped.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!("uptake: skipped {} input(s):", s.skipped.len());
    for k in &s.skipped {
        eprintln!("  [{}] {}: {}", k.stage, k.location, k.reason);
    }
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index of `purge_delay` is the one mimalloc reads: the options around it hold their documented defaults
    /// (mimalloc 3's: `purge_delay` 1,000 ms, `use_numa_nodes` 0, `os_tag` 100), and the value set is the value
    /// read back.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::vars().any(|(k, _)| k.starts_with("MIMALLOC_")) {
            eprintln!("a MIMALLOC_ variable is set: the defaults are not checked");
        } else {
            // SAFETY: option getters with plain integer arguments.
            let get = |o: std::ffi::c_int| unsafe { mi_option_get(o) };
            assert_eq!(get(MI_OPTION_PURGE_DELAY), 1000);
            assert_eq!(get(MI_OPTION_PURGE_DELAY + 1), 0);
            assert_eq!(get(MI_OPTION_PURGE_DELAY + 3), 100);
        }
        keep_freed_pages();
        // SAFETY: as above.
        assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, -1);
    }
}
