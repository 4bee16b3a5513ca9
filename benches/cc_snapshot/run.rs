//! One end-to-end run: the real binary's `uptake run` as a child process over a generated config, its wall time,
//! CPU time (user + system, from `wait4`) and peak RSS (`ru_maxrss`), its RSS sampled as it runs, and the planted
//! cases looked up in the tables it wrote.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use polars::prelude::*;

use crate::generate::Plant;

/// What a child run took.
#[derive(Debug, Default, Clone)]
pub struct Measured {
    pub wall: f64,
    pub user: f64,
    pub sys: f64,
    pub peak_rss_mb: f64,
    /// (seconds since the start, RSS in MB), sampled twice a second.
    pub rss: Vec<(f64, f64)>,
    pub exit: i32,
}

impl Measured {
    pub fn cpu(&self) -> f64 {
        self.user + self.sys
    }

    /// RSS at each tenth of the run, in MB.
    pub fn rss_profile(&self) -> String {
        (1..=10)
            .filter_map(|k| {
                let at = self.wall * k as f64 / 10.0;
                self.rss
                    .iter()
                    .rev()
                    .find(|(t, _)| *t <= at)
                    .map(|(_, m)| format!("{m:.0}"))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn rss_mb(pid: i32) -> Option<f64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| {
            l.strip_prefix("VmRSS:")?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map(|kb| kb / 1e3)
}

/// Runs `bin run --config <config>` into `work` (out/ and reports/, which must not exist) with `threads` rayon
/// threads, its log in `work/log.txt`.
pub fn run(bin: &Path, config: &Path, work: &Path, threads: usize) -> Measured {
    std::fs::create_dir_all(work).unwrap();
    let log = std::fs::File::create(work.join("log.txt")).unwrap();
    let t = Instant::now();
    let child = Command::new(bin)
        .arg("run")
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(work.join("out"))
        .arg("--report-dir")
        .arg(work.join("reports"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
    let pid = child.id() as i32;
    let mut m = Measured::default();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `ru` are valid for wait4 to write; `pid` is our child, not yet reaped.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if r == pid {
            break;
        }
        assert!(
            r == 0 || std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted,
            "wait4: {}",
            std::io::Error::last_os_error()
        );
        if let Some(mb) = rss_mb(pid) {
            m.rss.push((t.elapsed().as_secs_f64(), mb));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    m.wall = t.elapsed().as_secs_f64();
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    m.user = tv(ru.ru_utime);
    m.sys = tv(ru.ru_stime);
    m.peak_rss_mb = ru.ru_maxrss as f64 / 1e3;
    m.exit = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // the child is reaped: its handle must not wait again
    std::mem::forget(child);
    m
}

/// A column of strings.
fn strings(df: &DataFrame, col: &str) -> Vec<String> {
    df.column(col)
        .and_then(|c| {
            Ok(c.str()?
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect())
        })
        .unwrap_or_else(|e| panic!("column {col}: {e}"))
}

/// What the tables of a run hold about the planted cases.
#[derive(Debug, Default)]
pub struct Recall {
    pub documents: usize,
    pub mentions: usize,
    pub passages: usize,
    pub citations: (usize, usize),
    pub passages_found: (usize, usize),
    pub missed: Vec<String>,
}

/// Looks up every case of `plants` among the first `pages` pages in the tables of `out`: a citation is found when
/// its page has a mention of its output, a passage when its page has a passage of its output.
pub fn recall(out: &Path, plants: &[Plant], pages: usize) -> Recall {
    let docs = uptake::load::read_table(out, "documents").expect("documents.parquet");
    let by_url: HashMap<String, String> = strings(&docs, "url")
        .into_iter()
        .zip(strings(&docs, "doc_id"))
        .collect();
    let pairs = |name: &str| -> HashSet<(String, String)> {
        let df =
            uptake::load::read_table(out, name).unwrap_or_else(|e| panic!("{name}.parquet: {e}"));
        strings(&df, "doc_id")
            .into_iter()
            .zip(strings(&df, "output_id"))
            .collect()
    };
    let mentions = pairs("mentions");
    let passages = pairs("passages");
    let mut r = Recall {
        documents: docs.height(),
        mentions: mentions.len(),
        passages: passages.len(),
        ..Recall::default()
    };
    for p in plants.iter().filter(|p| p.page < pages) {
        let found = by_url.get(&p.url).is_some_and(|id| {
            let key = (id.clone(), p.output_id.clone());
            if p.citation {
                mentions.contains(&key)
            } else {
                passages.contains(&key)
            }
        });
        let tally = if p.citation {
            &mut r.citations
        } else {
            &mut r.passages_found
        };
        tally.1 += 1;
        tally.0 += found as usize;
        if !found {
            r.missed.push(format!(
                "{} {} of {} (page {}{})",
                if p.citation { "citation" } else { "passage" },
                p.url,
                p.output_id,
                p.page,
                if by_url.contains_key(&p.url) {
                    ""
                } else {
                    ", not among the documents"
                }
            ));
        }
    }
    r
}
