//! Crash safety: `uptake run` killed with SIGKILL at 20 points (extraction, detection, each kind of table write,
//! the report formats, the queries, and the moves of the finished results into place). After each kill the
//! previous results must be whole (every file is the previous run's or the new run's, byte for byte, and nothing
//! is missing), and the next run must complete with exactly the results of an uninterrupted one.
//!
//! The points are `uptake::fsutil::checkpoint` calls: with `UPTAKE_PAUSE_AT` naming one, the process stops there
//! and says so, and the test kills it. (A killed web crawl is tested in `crawl`, resumed from its state.)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{describe, fixture, s};

const POINTS: [&str; 20] = [
    "extract:1",
    "extract:20",
    "detect:documents",
    "table:documents",
    "table:mentions",
    "table:passages",
    "table:metrics",
    "table:cites",
    "report:queries",
    "report:charts",
    "report:html",
    "report:markdown",
    "commit:citations.parquet",
    "commit:documents.parquet",
    "commit:passages.parquet",
    "commit:text",
    "commit:uptake.parquet",
    "commit:charts",
    "commit:index.html",
    "commit:summary.md",
];

fn demo_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/uptake.toml")
}

fn run(config: &Path, root: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_uptake"))
        .args(["-q", "run", "--config", s(config), "--out"])
        .arg(root.join("out"))
        .arg("--report-dir")
        .arg(root.join("reports"))
        .env_remove("RUST_LOG")
        .env_remove(uptake::fsutil::PAUSE_AT_VAR)
        .output()
        .expect("the uptake binary runs")
}

/// Every file under `root` (hidden staging and backup folders aside) with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if e.file_type().is_file() && !rel.split('/').any(|c| c.starts_with('.')) {
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn hidden_leftovers(root: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for dir in [root.to_path_buf(), root.join("out"), root.join("reports")] {
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for e in rd.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with('.') {
                    v.push(format!("{}/{n}", dir.display()));
                }
            }
        }
    }
    v
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dst = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// Starts a run that stops at `point`, waits for it to say so, and kills it with SIGKILL.
fn kill_at(config: &Path, root: &Path, point: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_uptake"))
        .args(["-q", "run", "--config", s(config), "--out"])
        .arg(root.join("out"))
        .arg("--report-dir")
        .arg(root.join("reports"))
        .env_remove("RUST_LOG")
        .env(uptake::fsutil::PAUSE_AT_VAR, point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the uptake binary starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let marker = format!("uptake: paused at {point}");
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains(&marker) {
                let _ = tx.send(Ok(()));
                return;
            }
            seen.push(line);
        }
        let _ = tx.send(Err(seen.join("\n")));
    });
    let started = Instant::now();
    let reached = rx.recv_timeout(Duration::from_secs(120));
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    match reached {
        Ok(Ok(())) => {}
        Ok(Err(stderr)) => {
            panic!("{point}: the run ended ({status}) without reaching the point:\n{stderr}")
        }
        Err(_) => panic!("{point}: not reached in {:?}", started.elapsed()),
    }
}

#[test]
fn a_run_killed_at_any_of_20_points_leaves_the_previous_results_whole_and_the_next_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = demo_config();
    let small = fixture("small/uptake.toml");
    // the previous results: the small fixture's; the new run: the demo's, whose results differ in every file
    let previous = tmp.path().join("previous");
    let o = run(&small, &previous);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    let reference = tmp.path().join("reference");
    let o = run(&demo, &reference);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    let before = snapshot(&previous);
    let after = snapshot(&reference);
    assert!(before.len() > 20 && after.len() > 20);

    for (i, point) in POINTS.iter().enumerate() {
        let root = tmp.path().join(format!("run{i:02}"));
        copy_tree(&previous, &root);
        kill_at(&demo, &root, point);

        // the previous results are whole: each file is the old or the new one, byte for byte
        let now = snapshot(&root);
        for (path, bytes) in &now {
            assert!(
                before.get(path) == Some(bytes) || after.get(path) == Some(bytes),
                "{point}: {path} is neither the previous nor the new version"
            );
        }
        for path in before.keys() {
            let top = path.split('/').take(2).collect::<Vec<_>>().join("/");
            assert!(
                now.keys().any(|p| p.starts_with(&top)),
                "{point}: {top} is missing after the kill"
            );
        }

        // the next run completes, with exactly the results of an uninterrupted run, and clears what the killed
        // one left behind
        let o = run(&demo, &root);
        assert!(
            matches!(o.status.code(), Some(0 | 2)),
            "{point}: {}",
            describe(&o)
        );
        let again = snapshot(&root);
        let differ: Vec<&String> = after
            .keys()
            .chain(again.keys())
            .filter(|k| after.get(*k) != again.get(*k))
            .collect();
        // files only the previous (small) run wrote stay: `commit` never deletes what a run did not write
        let differ: Vec<&String> = differ
            .into_iter()
            .filter(|k| after.contains_key(*k) || before.get(*k) != again.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "{point}: differs from an uninterrupted run: {differ:?}"
        );
        let left = hidden_leftovers(&root);
        assert!(left.is_empty(), "{point}: left behind {left:?}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
