//! Peers run side by side with uptake on the neutral set (issue 14), each as a process of its own: the set is
//! written to a temporary folder in the peer's input format, the peer runs, its output spans are read back as
//! PAN pairs. Only these adapters are ours; the peers are installed outside the repository (docs/reuse.md,
//! "Peers on the same set").
//!
//! - `UPTAKE_BENCH_PASSIM`: passim's `seriatim` command (the one its `passim` command wraps). It is run as
//!   `seriatim --pairwise --fields ref --filterpairs "ref = 1 AND ref2 = 0" ARGS input.json out`: the outputs are
//!   the only sources, the documents the only targets. ARGS are `UPTAKE_BENCH_PASSIM_ARGS`, none by default:
//!   seriatim's own mode, the best source of each target passage (like uptake's best rows); `--all-pairs` is
//!   what `passim` passes (every source). Its pairwise alignments (`out/align.json`) are read; its wall time is
//!   taken when they are complete (`_SUCCESS`), so passim's clustering step after them is not counted.
//! - `UPTAKE_BENCH_TEXTPAIR`: TextPAIR's Go core (`compareNgrams`), with `lz4` on PATH (it compresses its
//!   results with it). The n-gram files it reads are made here (TextPAIR's preprocessing needs a PhiloLogic
//!   database): word trigrams of the normalised words of at least 2 characters, numbers left out, as TextPAIR's
//!   defaults do, without its Porter stemming. Settings: those of TextPAIR's `sa_config.ini`, then
//!   `UPTAKE_BENCH_TEXTPAIR_ARGS`.
//! - uptake itself, end to end in its own process: this benchmark's binary started again with
//!   `UPTAKE_BENCH_UPTAKE_JOB` (read the texts, index, detect, attribute, write the rows).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::pan::Pair;

/// What one run of a peer process took.
pub struct Measured {
    /// From start to exit, or to the moment `done_when` appeared.
    pub seconds: f64,
    /// From start to exit.
    pub total_seconds: f64,
    /// Largest sum of the resident memory of the process and its descendants, sampled every 20 ms, or the
    /// largest peak of one of them (its VmHWM) if that is more (MB).
    pub peak_rss_mb: f64,
    pub status: i32,
}

/// A process's peak resident memory (VmHWM), in bytes.
fn hwm(pid: i32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}

/// Resident memory of `pid` and its descendants now, and the largest peak of one of them, in bytes.
fn tree_rss(root: i32) -> (u64, u64) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return (0, 0);
    };
    let mut parent: Vec<(i32, i32, u64)> = Vec::new();
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // the command name is in parentheses and may hold spaces: fields after the last ')'
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        // f[1] is the parent (field 4), f[21] the resident set in pages (field 24)
        let (Some(ppid), Some(rss)) = (
            f.get(1).and_then(|s| s.parse().ok()),
            f.get(21).and_then(|s| s.parse::<u64>().ok()),
        ) else {
            continue;
        };
        parent.push((pid, ppid, rss));
    }
    let mut tree = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for &(pid, ppid, _) in &parent {
            if tree.contains(&ppid) && !tree.contains(&pid) {
                tree.push(pid);
                grew = true;
            }
        }
    }
    // SAFETY: sysconf has no preconditions
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    let now = parent
        .iter()
        .filter(|(pid, _, _)| tree.contains(pid))
        .map(|(_, _, rss)| rss * page)
        .sum();
    (now, tree.iter().map(|&p| hwm(p)).max().unwrap_or(0))
}

/// Runs `cmd` with its output sent to `log`, sampling the memory of its process tree; `done_when` (a file)
/// ends the timed part when it appears before the process exits.
pub fn measure(
    cmd: &mut Command,
    log: &Path,
    done_when: Option<&Path>,
) -> Result<Measured, String> {
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let t = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as i32;
    let (mut peak, mut done_at) = (0u64, None);
    let status = loop {
        let mut st = 0;
        // SAFETY: waits on our own child; a plain out-parameter. (Not wait4's ru_maxrss: it counts the
        // benchmark's own memory, shared with the child until it starts the peer.)
        let r = unsafe { libc::waitpid(pid, &mut st, libc::WNOHANG) };
        if r == pid {
            break if libc::WIFEXITED(st) {
                libc::WEXITSTATUS(st)
            } else {
                -1
            };
        }
        if r < 0 {
            return Err("lost the peer's process".into());
        }
        let (now, one) = tree_rss(pid);
        peak = peak.max(now).max(one);
        if done_at.is_none() && done_when.is_some_and(Path::exists) {
            done_at = Some(t.elapsed().as_secs_f64());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let total = t.elapsed().as_secs_f64();
    Ok(Measured {
        seconds: done_at.unwrap_or(total),
        total_seconds: total,
        peak_rss_mb: peak as f64 / 1e6,
        status,
    })
}

/// The last lines of a log, to show why a peer failed.
fn tail(log: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n    ")
}

/// A peer's detections on one set and what the run took.
pub struct PeerRun {
    pub detections: Vec<Pair>,
    pub run: Measured,
    /// Seconds spent here writing its input (TextPAIR's n-grams), not counted in `run`.
    pub prep_seconds: f64,
    pub note: String,
}

fn words_of(env: &str, default: &str) -> Vec<String> {
    std::env::var(env)
        .unwrap_or_else(|_| default.to_string())
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// Runs passim over `outputs` (sources) and `docs` (targets).
pub fn run_passim(
    command: &Path,
    outputs: &[(String, String)],
    docs: &[(String, String)],
) -> Result<PeerRun, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let input = dir.path().join("input.json");
    let mut lines = String::new();
    for (r, set) in [(1, outputs), (0, docs)] {
        for (id, text) in set {
            lines.push_str(&serde_json::json!({"id": id, "ref": r, "text": text}).to_string());
            lines.push('\n');
        }
    }
    std::fs::write(&input, lines).map_err(|e| e.to_string())?;
    let out = dir.path().join("out");
    let align = out.join("align.json");
    let args = words_of("UPTAKE_BENCH_PASSIM_ARGS", "");
    let log = dir.path().join("log.txt");
    let run = measure(
        Command::new(command)
            .current_dir(dir.path())
            .args(["--pairwise", "--fields", "ref", "--filterpairs"])
            .arg("ref = 1 AND ref2 = 0")
            .args(&args)
            .arg(&input)
            .arg(&out),
        &log,
        Some(&align.join("_SUCCESS")),
    )?;
    if !align.join("_SUCCESS").exists() {
        return Err(format!(
            "passim failed (exit {}) before its alignments were written:\n    {}",
            run.status,
            tail(&log, 12)
        ));
    }
    let mut detections = Vec::new();
    for e in std::fs::read_dir(&align)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let p = e.path();
        if !p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("part-"))
        {
            continue;
        }
        let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            let n = |k: &str| v[k].as_u64().unwrap_or(0) as usize;
            // `id`, `begin`, `end`: the source (an output); `id2`, `begin2`, `end2`: the target (a document)
            detections.push(Pair {
                doc: v["id2"].as_str().unwrap_or_default().into(),
                source: v["id"].as_str().unwrap_or_default().into(),
                doc_span: (n("begin2"), n("end2")),
                source_span: (n("begin"), n("end")),
            });
        }
    }
    let mode = if args.is_empty() {
        "seriatim (best source per target passage)".to_string()
    } else {
        format!("seriatim {}", args.join(" "))
    };
    let note = if run.status == 0 {
        mode
    } else {
        let why = if std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("ClassNotFoundException: org.graphframes")
        {
            " (its clustering step needs the graphframes jar, which is not installed)"
        } else {
            ""
        };
        format!(
            "{mode}; exited {} after writing its alignments{why}; {:.1} s to exit",
            run.status, run.total_seconds
        )
    };
    Ok(PeerRun {
        detections,
        run,
        prep_seconds: 0.0,
        note,
    })
}

/// Byte offset of each character boundary of `text` (one more than there are characters).
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

/// The character at or after byte `b` of a text whose character boundaries are `offsets`.
fn char_at(offsets: &[usize], b: usize) -> usize {
    offsets.partition_point(|&o| o < b)
}

/// Writes one text's TextPAIR n-gram file: `{ngram: [[index, start byte, end byte], ...]}`.
fn write_ngrams(text: &str, path: &Path) -> std::io::Result<()> {
    let offsets = byte_offsets(text);
    let chars: Vec<char> = text.chars().collect();
    let words: Vec<_> = uptake::normalize::words(text)
        .into_iter()
        .filter(|w| {
            let s = &chars[w.start as usize..w.end as usize];
            s.len() >= 2 && !s.iter().all(|c| c.is_numeric())
        })
        .collect();
    let mut index: std::collections::BTreeMap<i32, Vec<[usize; 3]>> = Default::default();
    for (i, g) in words.windows(3).enumerate() {
        let h = g.iter().fold(0u64, |h, w| h.rotate_left(21) ^ w.hash);
        let key = (h ^ (h >> 32)) as u32 as i32;
        index.entry(key).or_default().push([
            i,
            offsets[g[0].start as usize],
            offsets[g[2].end as usize],
        ]);
    }
    let json: serde_json::Map<String, serde_json::Value> = index
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
        .collect();
    std::fs::write(path, serde_json::Value::Object(json).to_string())
}

/// Runs TextPAIR's Go core over `outputs` (sources) and `docs` (targets).
pub fn run_textpair(
    command: &Path,
    outputs: &[(String, String)],
    docs: &[(String, String)],
) -> Result<PeerRun, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let t = Instant::now();
    // TextPAIR names texts by number (it sorts them by it) and skips a source and a target of the same name
    let mut names: Vec<(String, String, Vec<usize>)> = Vec::new();
    let mut side =
        |set: &[(String, String)], kind: &str, first: usize| -> Result<PathBuf, String> {
            let ngrams = dir.path().join(format!("{kind}_ngrams"));
            let texts = dir.path().join(format!("{kind}_texts"));
            std::fs::create_dir_all(&ngrams).map_err(|e| e.to_string())?;
            std::fs::create_dir_all(&texts).map_err(|e| e.to_string())?;
            let mut meta = serde_json::Map::new();
            for (i, (id, text)) in set.iter().enumerate() {
                let n = (first + i).to_string();
                let file = texts.join(format!("{n}.txt"));
                std::fs::write(&file, text).map_err(|e| e.to_string())?;
                write_ngrams(text, &ngrams.join(format!("{n}.json"))).map_err(|e| e.to_string())?;
                meta.insert(
                    n.clone(),
                    serde_json::json!({
                        "filename": file.to_string_lossy(),
                        "title": id,
                        "start_byte": "0",
                        "end_byte": text.len().to_string(),
                    }),
                );
                names.push((n, id.clone(), byte_offsets(text)));
            }
            let meta_path = dir.path().join(format!("{kind}_metadata.json"));
            std::fs::write(&meta_path, serde_json::Value::Object(meta).to_string())
                .map_err(|e| e.to_string())?;
            Ok(meta_path)
        };
    let source_meta = side(outputs, "source", 1)?;
    let target_meta = side(docs, "target", 100_001)?;
    let prep_seconds = t.elapsed().as_secs_f64();
    let out = dir.path().join("out");
    // sa_config.ini's matching defaults (flex_gap is on there, off in the binary's own defaults)
    let defaults = [
        "--matching_window_size=30",
        "--minimum_matching_ngrams_in_docs=4",
        "--duplicate_threshold=80",
        "--minimum_matching_ngrams_in_window=4",
        "--max_gap=15",
        "--minimum_matching_ngrams=4",
        "--flex_gap=true",
        "--merge_passages_on_byte_distance=true",
        "--passage_distance_multiplier=0.5",
        "--merge_passages_on_ngram_distance=true",
    ];
    let extra = words_of("UPTAKE_BENCH_TEXTPAIR_ARGS", "");
    let threads = format!("--threads={}", rayon::current_num_threads());
    let log = dir.path().join("log.txt");
    let run = measure(
        Command::new(command)
            .current_dir(dir.path())
            .arg(format!("--output_path={}", out.display()))
            .arg(format!(
                "--source_files={}",
                dir.path().join("source_ngrams").display()
            ))
            .arg(format!(
                "--target_files={}",
                dir.path().join("target_ngrams").display()
            ))
            .arg(format!("--source_metadata={}", source_meta.display()))
            .arg(format!("--target_metadata={}", target_meta.display()))
            .arg(&threads)
            .args(defaults)
            .args(&extra),
        &log,
        None,
    )?;
    if run.status != 0 {
        return Err(format!(
            "TextPAIR failed (exit {}):\n    {}",
            run.status,
            tail(&log, 12)
        ));
    }
    let offsets: std::collections::HashMap<&str, (&str, &[usize])> = names
        .iter()
        .map(|(n, id, o)| (n.as_str(), (id.as_str(), o.as_slice())))
        .collect();
    let mut detections = Vec::new();
    let results = out.join("result_batches");
    for e in std::fs::read_dir(&results)
        .map_err(|e| format!("no results in {}: {e}", results.display()))?
        .flatten()
    {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "lz4") {
            continue;
        }
        let o = Command::new("lz4")
            .args(["-d", "-c", "-q"])
            .arg(&p)
            .output()
            .map_err(|e| format!("lz4: {e}"))?;
        for line in String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            let name = |k: &str| match &v[k] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let n = |k: &str| v[k].as_u64().unwrap_or(0) as usize;
            let (Some((src, so)), Some((doc, dof))) = (
                offsets.get(name("source_doc_id").as_str()),
                offsets.get(name("target_doc_id").as_str()),
            ) else {
                continue;
            };
            detections.push(Pair {
                doc: doc.to_string(),
                source: src.to_string(),
                doc_span: (
                    char_at(dof, n("target_start_byte")),
                    char_at(dof, n("target_end_byte")),
                ),
                source_span: (
                    char_at(so, n("source_start_byte")),
                    char_at(so, n("source_end_byte")),
                ),
            });
        }
    }
    Ok(PeerRun {
        detections,
        run,
        prep_seconds,
        note: format!(
            "{} {}",
            threads,
            defaults
                .iter()
                .copied()
                .chain(extra.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    })
}

/// Runs uptake end to end in a process of its own: this binary again, reading the job's texts.
pub fn run_uptake_process(
    outputs: &[(String, String)],
    docs: &[(String, String)],
) -> Result<PeerRun, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let job = dir.path().join("job.json");
    let rows = dir.path().join("rows.json");
    std::fs::write(
        &job,
        serde_json::json!({"outputs": outputs, "docs": docs}).to_string(),
    )
    .map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let log = dir.path().join("log.txt");
    let run = measure(
        Command::new(exe)
            .env("UPTAKE_BENCH_UPTAKE_JOB", &job)
            .env("UPTAKE_BENCH_UPTAKE_ROWS", &rows),
        &log,
        None,
    )?;
    if run.status != 0 {
        return Err(format!("failed:\n    {}", tail(&log, 12)));
    }
    #[derive(serde::Deserialize)]
    struct Rows {
        rows: Vec<(String, String, usize, usize, usize, usize)>,
        peak_rss_bytes: u64,
    }
    let Rows {
        rows: v,
        peak_rss_bytes,
    } = serde_json::from_slice(&std::fs::read(&rows).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    // a run shorter than a sampling step: the process's own peak, which it reports
    let mut run = run;
    run.peak_rss_mb = run.peak_rss_mb.max(peak_rss_bytes as f64 / 1e6);
    Ok(PeerRun {
        detections: v
            .into_iter()
            .map(|(doc, source, a, b, c, d)| Pair {
                doc,
                source,
                doc_span: (a, b),
                source_span: (c, d),
            })
            .collect(),
        run,
        prep_seconds: 0.0,
        note: "read the texts, index, detect, attribute, write the best rows".into(),
    })
}

/// The child side of `run_uptake_process`: reads the job, writes the best-source rows.
pub fn uptake_job(job: &Path, rows: &Path, cfg: &uptake::config::DetectConfig) {
    use rayon::prelude::*;
    #[derive(serde::Deserialize)]
    struct Job {
        outputs: Vec<(String, String)>,
        docs: Vec<(String, String)>,
    }
    let job: Job = serde_json::from_slice(&std::fs::read(job).expect("job file")).expect("job");
    let texts: Vec<uptake::detect::reuse::OutputText> = job
        .outputs
        .iter()
        .map(|(id, text)| uptake::detect::reuse::OutputText {
            id: id.clone(),
            text: text.clone(),
            ..Default::default()
        })
        .collect();
    let index = uptake::detect::reuse::ReuseIndex::new(&texts, cfg);
    let found: Vec<(String, String, usize, usize, usize, usize)> = job
        .docs
        .par_iter()
        .flat_map_iter(|(id, text)| crate::rows_of(&index, cfg, id, text))
        .filter(|p| p.best_source)
        .map(|p| {
            (
                p.doc_id,
                p.output_id,
                p.doc_start,
                p.doc_end,
                p.output_start,
                p.output_end,
            )
        })
        .collect();
    let out = serde_json::json!({"rows": found, "peak_rss_bytes": hwm(std::process::id() as i32)});
    std::fs::write(rows, out.to_string()).expect("rows file");
}
