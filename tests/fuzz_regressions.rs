//! Replays every saved fuzz input through the function its target fuzzes: the inputs that once found a bug
//! (`fuzz/regressions/TARGET/`) and the hand-written seeds (`fuzz/seeds/TARGET/`). Runs on stable, without
//! libFuzzer, as part of the ordinary test suite.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Slowest a single saved input may be (debug build): the fuzzer calls anything over 10 s (release) a hang.
const MAX_PER_INPUT: Duration = Duration::from_secs(60);

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file());
    out.sort();
    out
}

#[test]
fn every_target_has_a_fuzz_binary_and_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut binaries: Vec<String> = files(&root.join("fuzz_targets"))
        .iter()
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    binaries.sort();
    let mut targets: Vec<String> = uptake::fuzz::TARGETS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    targets.sort();
    assert_eq!(
        binaries, targets,
        "fuzz/fuzz_targets/*.rs and uptake::fuzz::TARGETS"
    );
    for t in &targets {
        assert!(
            manifest.contains(&format!("path = \"fuzz_targets/{t}.rs\"")),
            "fuzz/Cargo.toml declares {t}"
        );
        let source = std::fs::read_to_string(root.join(format!("fuzz_targets/{t}.rs"))).unwrap();
        assert!(
            source.contains(&format!("uptake::fuzz::{t}(data)")),
            "fuzz_targets/{t}.rs calls uptake::fuzz::{t}"
        );
    }
}

#[test]
fn saved_inputs_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, run) in uptake::fuzz::TARGETS {
        for kind in ["regressions", "seeds"] {
            for path in files(&root.join(kind).join(name)) {
                let data = std::fs::read(&path).unwrap();
                let started = Instant::now();
                let outcome = catch_unwind(AssertUnwindSafe(|| run(&data)));
                let took = started.elapsed();
                replayed += 1;
                if outcome.is_err() {
                    failures.push(format!("{}: panicked (message above)", path.display()));
                } else if took > MAX_PER_INPUT {
                    failures.push(format!("{}: took {took:.1?}", path.display()));
                }
            }
        }
    }
    assert!(
        replayed >= uptake::fuzz::TARGETS.len(),
        "every target has a saved input"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
