//! `deploy/`: what can be checked without a cluster. The scripts parse (`bash -n`, and `sh -n` for the POSIX
//! entry point); the entry point maps each engine's variables (Kubernetes' `JOB_COMPLETION_INDEX`, a Slurm
//! array's `SLURM_ARRAY_TASK_*`, a hand-set `UPTAKE_SHARD`) to the right `--shard K/N` (run with a stand-in
//! binary that prints its arguments) and runs the real binary through two shards and a merge; the Kubernetes
//! manifests parse and agree with each other (shard count, image, paths, volume), checked with a reader of the
//! YAML they are written in and, where python3 has PyYAML, against PyYAML's reading too; the Dockerfile and the
//! Slurm scripts wire the same entry point.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{describe, s};

fn deploy(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(deploy(rel)).unwrap_or_else(|e| panic!("deploy/{rel}: {e}"))
}

#[test]
fn every_script_parses() {
    let mut scripts = Vec::new();
    for e in walkdir::WalkDir::new(deploy("")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sh") || name.ends_with(".sbatch") {
            scripts.push(e.path().to_path_buf());
        }
    }
    assert!(scripts.len() >= 5, "{scripts:?}");
    for p in &scripts {
        let o = Command::new("bash").arg("-n").arg(p).output().unwrap();
        assert!(o.status.success(), "{}: {}", p.display(), describe(&o));
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.starts_with("#!"), "{} has no #! line", p.display());
    }
    // the entry point is POSIX sh (slim images and clusters have no bash guarantee)
    let o = Command::new("sh")
        .arg("-n")
        .arg(deploy("shard-entry.sh"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&o));
}

/// Runs the entry point with only `env` set (and PATH), `UPTAKE_BIN` a stand-in printing its arguments, one a
/// line, and exiting with `FAKE_EXIT`.
fn entry(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("fake-uptake");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\nexit \"${FAKE_EXIT:-0}\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = Command::new("sh")
        .arg(deploy("shard-entry.sh"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("UPTAKE_BIN", &fake)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .collect::<Vec<_>>()
            .join(" "),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn the_entry_point_turns_each_engines_variables_into_the_shard() {
    let ok = |args: &[&str], env: &[(&str, &str)], want: &str| {
        let (code, out, err) = entry(args, env);
        assert_eq!(code, Some(0), "{env:?}: {err}");
        assert_eq!(out, want, "{env:?}");
    };
    // Kubernetes Indexed Job: the index, and N from the Job's env
    ok(
        &["run", "--out", "/results/out"],
        &[("JOB_COMPLETION_INDEX", "2"), ("UPTAKE_SHARDS", "4")],
        "run --shard 2/4 --out /results/out",
    );
    // no command: run
    ok(
        &[],
        &[("JOB_COMPLETION_INDEX", "0"), ("UPTAKE_SHARDS", "1")],
        "run --shard 0/1",
    );
    // a whole Slurm array 0-3: N from it
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "3"),
        ("SLURM_ARRAY_TASK_COUNT", "4"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
        ("SLURM_ARRAY_TASK_MAX", "3"),
    ];
    ok(&["crawl"], &slurm, "crawl --shard 3/4");
    // an array numbered 1-4, said so
    ok(
        &["detect", "-v"],
        &[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "4"),
            ("UPTAKE_SHARD_BASE", "1"),
        ],
        "detect --shard 3/4 -v",
    );
    // one task re-run alone (--array=2): N cannot come from the array
    let rerun = [
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_COUNT", "1"),
        ("SLURM_ARRAY_TASK_MIN", "2"),
        ("SLURM_ARRAY_TASK_MAX", "2"),
    ];
    let (code, out, err) = entry(&["run"], &rerun);
    assert_eq!(code, Some(64), "{out} {err}");
    assert!(err.contains("set UPTAKE_SHARDS=N"), "{err}");
    let mut with_n = rerun.to_vec();
    with_n.push(("UPTAKE_SHARDS", "4"));
    ok(&["run"], &with_n, "run --shard 2/4");
    // a hand-set shard wins over the engine's
    ok(
        &["run"],
        &[
            ("UPTAKE_SHARD", "1"),
            ("JOB_COMPLETION_INDEX", "3"),
            ("UPTAKE_SHARDS", "4"),
        ],
        "run --shard 1/4",
    );
    // the merge takes N; other commands pass through
    ok(
        &["merge", "--out", "o"],
        &[("UPTAKE_SHARDS", "4")],
        "merge --shards 4 --out o",
    );
    ok(&["merge"], &slurm, "merge --shards 4");
    // object storage instead of a shared disk
    ok(
        &["run", "--out", "/tmp/out"],
        &[
            ("JOB_COMPLETION_INDEX", "1"),
            ("UPTAKE_SHARDS", "2"),
            ("UPTAKE_RESULTS_URL", "s3://bucket/run"),
        ],
        "run --shard 1/2 --results-url s3://bucket/run --out /tmp/out",
    );
    ok(
        &["merge"],
        &[("UPTAKE_SHARDS", "2"), ("UPTAKE_RESULTS_URL", "gs://b/r")],
        "merge --shards 2 --results-url gs://b/r",
    );
    ok(&["query", "--sql", "SELECT 1"], &[], "query --sql SELECT 1");
    // refusals name what is missing or wrong
    for (env, why) in [
        (vec![("UPTAKE_SHARDS", "4")], "no shard index"),
        (vec![("JOB_COMPLETION_INDEX", "1")], "no shard count"),
        (
            vec![("JOB_COMPLETION_INDEX", "4"), ("UPTAKE_SHARDS", "4")],
            "not below the shard count",
        ),
        (
            vec![("JOB_COMPLETION_INDEX", "x"), ("UPTAKE_SHARDS", "4")],
            "not a whole number",
        ),
        (
            vec![("JOB_COMPLETION_INDEX", "0"), ("UPTAKE_SHARDS", "0")],
            "at least 1",
        ),
    ] {
        let (code, out, err) = entry(&["run"], &env);
        assert_eq!(code, Some(64), "{env:?}: {out}");
        assert!(err.contains(why), "{env:?}: {err}");
        assert!(out.is_empty(), "the binary did not run: {out}");
    }
    // exit 2 (inputs skipped) is a finished shard for the engine, unless strict; other failures pass
    let k8s = [("JOB_COMPLETION_INDEX", "0"), ("UPTAKE_SHARDS", "2")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut e = k8s.to_vec();
        e.extend_from_slice(extra);
        entry(&["run"], &e).0
    };
    assert_eq!(with(&[("FAKE_EXIT", "2")]), Some(0));
    assert_eq!(with(&[("FAKE_EXIT", "2"), ("UPTAKE_STRICT", "1")]), Some(2));
    assert_eq!(with(&[("FAKE_EXIT", "1")]), Some(1));
}

#[test]
fn the_entry_point_runs_the_binary_through_shards_and_a_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results/out");
    let reports = tmp.path().join("results/reports");
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/uptake.toml");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let o = Command::new("sh")
            .arg(deploy("shard-entry.sh"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_LOG")
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("UPTAKE_SHARD")
            .env("UPTAKE_BIN", env!("CARGO_BIN_EXE_uptake"))
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?} {env:?}: {}",
            describe(&o)
        );
    };
    for k in ["0", "1"] {
        run(
            &["run", "--config", s(&config), "--out", s(&out)],
            &[("JOB_COMPLETION_INDEX", k), ("UPTAKE_SHARDS", "2")],
        );
        assert!(out.join(format!("shards=2/shard={k}/shard.json")).is_file());
    }
    run(
        &[
            "merge",
            "--config",
            s(&config),
            "--out",
            s(&out),
            "--report-dir",
            s(&reports),
        ],
        &[("UPTAKE_SHARDS", "2")],
    );
    assert!(reports.join("index.html").is_file());
    let docs = uptake::load::read_table(&out, "documents").unwrap();
    assert_eq!(docs.height(), 32, "every document of the demo corpus");
}

/// A YAML node, as the manifests write it.
#[derive(Debug, Clone, PartialEq)]
enum Y {
    Map(Vec<(String, Y)>),
    Seq(Vec<Y>),
    /// A scalar, and whether it was quoted.
    Str(String, bool),
}

impl Y {
    fn get(&self, path: &str) -> &Y {
        let mut at = self;
        for key in path.split('.') {
            at = match (at, key.parse::<usize>()) {
                (Y::Seq(items), Ok(i)) => items.get(i),
                (Y::Map(m), _) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
            .unwrap_or_else(|| panic!("no {path} (at {key}) in {self:?}"));
        }
        at
    }
    fn str(&self, path: &str) -> String {
        match self.get(path) {
            Y::Str(s, _) => s.clone(),
            other => panic!("{path} is not a scalar: {other:?}"),
        }
    }
    fn strs(&self, path: &str) -> Vec<String> {
        match self.get(path) {
            Y::Seq(items) => items
                .iter()
                .map(|i| match i {
                    Y::Str(s, _) => s.clone(),
                    other => panic!("{path}: {other:?}"),
                })
                .collect(),
            other => panic!("{path} is not a list: {other:?}"),
        }
    }
    /// The value of env var `name` of the first container.
    fn env(&self, name: &str) -> String {
        let Y::Seq(env) = self.get("spec.template.spec.containers.0.env") else {
            panic!("no env");
        };
        env.iter()
            .find(|e| e.str("name") == name)
            .map(|e| e.str("value"))
            .unwrap_or_else(|| panic!("no env {name}"))
    }
    /// As JSON, scalars typed as YAML 1.1 reads them (for the comparison with PyYAML).
    fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Y::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), v.json())).collect()),
            Y::Seq(s) => Value::Array(s.iter().map(Y::json).collect()),
            Y::Str(s, true) => Value::String(s.clone()),
            Y::Str(s, false) => match (s.parse::<i64>(), s.as_str()) {
                (Ok(n), _) => Value::from(n),
                (_, "true") => Value::Bool(true),
                (_, "false") => Value::Bool(false),
                _ => Value::String(s.clone()),
            },
        }
    }
}

/// Reads the block YAML the manifests are written in: maps, lists, plain and quoted scalars, comments. Anything
/// else fails, naming the line.
fn parse_yaml(text: &str) -> Y {
    let mut lines: Vec<(usize, String, usize)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        assert!(!raw.contains('\t'), "line {}: a tab", n + 1);
        let t = raw.trim_end();
        let content = t.trim_start();
        if content.is_empty() || content.starts_with('#') || content == "---" {
            continue;
        }
        assert!(
            !content.contains(" #"),
            "line {}: a comment after a value",
            n + 1
        );
        lines.push((t.len() - content.len(), content.to_string(), n + 1));
    }
    let mut i = 0;
    let y = block(&mut lines, &mut i, 0);
    assert_eq!(
        i,
        lines.len(),
        "line {}: not read",
        lines.get(i).map_or(0, |l| l.2)
    );
    y
}

fn scalar(v: &str, line: usize) -> Y {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q) {
            let inner = inner
                .strip_suffix(q)
                .unwrap_or_else(|| panic!("line {line}: open quote"));
            return Y::Str(inner.to_string(), true);
        }
    }
    assert!(
        !v.starts_with(['{', '[', '&', '*', '|', '>', '!']),
        "line {line}: {v:?} is not a plain scalar"
    );
    Y::Str(v.to_string(), false)
}

fn block(lines: &mut [(usize, String, usize)], i: &mut usize, indent: usize) -> Y {
    let seq = lines[*i].1 == "-" || lines[*i].1.starts_with("- ");
    if seq {
        let mut items = Vec::new();
        while *i < lines.len() && lines[*i].0 == indent && lines[*i].1.starts_with('-') {
            let (_, content, line) = lines[*i].clone();
            let rest = content[1..].trim_start();
            if rest.is_empty() {
                *i += 1;
                let deeper = lines[*i].0;
                assert!(deeper > indent, "line {line}: an empty item");
                items.push(block(lines, i, deeper));
            } else if key_value(rest).is_some() {
                // a map whose first key is on the dash's line
                lines[*i] = (indent + 2, rest.to_string(), line);
                items.push(block(lines, i, indent + 2));
            } else {
                items.push(scalar(rest, line));
                *i += 1;
            }
        }
        return Y::Seq(items);
    }
    let mut map = Vec::new();
    while *i < lines.len() && lines[*i].0 == indent {
        let (_, content, line) = lines[*i].clone();
        assert!(
            !content.starts_with('-'),
            "line {line}: a list item among keys"
        );
        let (k, v) = key_value(&content).unwrap_or_else(|| panic!("line {line}: no `key:`"));
        assert!(
            !map.iter().any(|(x, _): &(String, Y)| *x == k),
            "line {line}: {k} twice"
        );
        *i += 1;
        let value = if !v.is_empty() {
            scalar(&v, line)
        } else if *i < lines.len()
            && (lines[*i].0 > indent || (lines[*i].0 == indent && lines[*i].1.starts_with('-')))
        {
            let at = lines[*i].0;
            block(lines, i, at)
        } else {
            Y::Str(String::new(), false)
        };
        map.push((k, value));
    }
    assert!(
        *i >= lines.len() || lines[*i].0 < indent,
        "line {}: indented oddly",
        lines[*i].2
    );
    Y::Map(map)
}

fn key_value(content: &str) -> Option<(String, String)> {
    if let Some(k) = content.strip_suffix(':') {
        return Some((k.to_string(), String::new()));
    }
    let (k, v) = content.split_once(": ")?;
    (!k.contains(' ') || k.starts_with('"'))
        .then(|| (k.trim_matches('"').to_string(), v.to_string()))
}

/// PyYAML's reading of a file as JSON, when python3 has PyYAML; `None` otherwise.
fn pyyaml(path: &Path) -> Option<serde_json::Value> {
    let o = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(path)
        .output()
        .ok()?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("No module named"),
            "PyYAML refuses {}: {err}",
            path.display()
        );
        return None;
    }
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
fn the_kubernetes_manifests_parse_and_agree() {
    let mut docs = BTreeMap::new();
    for f in ["shards-job.yaml", "merge-job.yaml", "results-pvc.yaml"] {
        let y = parse_yaml(&read(&format!("k8s/{f}")));
        match pyyaml(&deploy(&format!("k8s/{f}"))) {
            Some(py) => assert_eq!(y.json(), py, "{f}: PyYAML reads it otherwise"),
            None => {
                eprintln!("deploy: PyYAML is not installed: {f} read by the test's reader only")
            }
        }
        docs.insert(f, y);
    }
    let (shards, merge, pvc) = (
        &docs["shards-job.yaml"],
        &docs["merge-job.yaml"],
        &docs["results-pvc.yaml"],
    );
    assert_eq!(shards.str("kind"), "Job");
    assert_eq!(shards.str("apiVersion"), "batch/v1");
    assert_eq!(shards.str("spec.completionMode"), "Indexed");
    let n: u32 = shards.str("spec.completions").parse().unwrap();
    let parallel: u32 = shards.str("spec.parallelism").parse().unwrap();
    assert!(n >= 1 && (1..=n).contains(&parallel));
    // a pod is not told its Job's completions: UPTAKE_SHARDS says it, in both Jobs
    assert_eq!(shards.env("UPTAKE_SHARDS"), n.to_string());
    assert_eq!(merge.env("UPTAKE_SHARDS"), n.to_string());
    assert_eq!(merge.str("kind"), "Job");
    assert!(
        !matches!(merge.get("spec"), Y::Map(m) if m.iter().any(|(k, _)| k == "completionMode"))
    );
    let (a, b) = (
        shards.strs("spec.template.spec.containers.0.args"),
        merge.strs("spec.template.spec.containers.0.args"),
    );
    assert_eq!(a[0], "run");
    assert_eq!(b[0], "merge");
    let flag = |args: &[String], f: &str| {
        args.iter()
            .position(|x| x == f)
            .map(|i| args[i + 1].clone())
            .unwrap_or_else(|| panic!("no {f} in {args:?}"))
    };
    assert_eq!(
        flag(&a, "--out"),
        flag(&b, "--out"),
        "the merge reads where the shards wrote"
    );
    assert_eq!(
        flag(&a, "--config"),
        flag(&b, "--config"),
        "one config (the merge checks its digest)"
    );
    assert!(
        !a.iter().any(|x| x == "--shard"),
        "the entry point adds --shard"
    );
    for job in [shards, merge] {
        assert_eq!(job.str("spec.template.spec.restartPolicy"), "Never");
        let c = "spec.template.spec.containers.0";
        assert_eq!(
            job.str(&format!("{c}.image")),
            shards.str(&format!("{c}.image"))
        );
        assert_eq!(
            job.str("spec.template.spec.volumes.0.persistentVolumeClaim.claimName"),
            pvc.str("metadata.name")
        );
        let mount = job.str(&format!("{c}.volumeMounts.0.mountPath"));
        assert!(
            flag(&a, "--out").starts_with(&mount),
            "the results are on the volume"
        );
    }
    assert_eq!(pvc.strs("spec.accessModes"), ["ReadWriteMany"]);
    // the Dockerfile's entry point is the script, with `run` as its default command
    let docker = read("Dockerfile");
    assert!(docker.contains("COPY deploy/shard-entry.sh /usr/local/bin/shard-entry.sh"));
    assert!(docker.contains("ENTRYPOINT [\"/usr/local/bin/shard-entry.sh\"]"));
    assert!(docker.contains("CMD [\"run\""));
    assert!(docker.contains("cargo build --release --locked"));
    // its Rust is at least the crate's rust-version
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let want = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    let image = docker
        .lines()
        .find_map(|l| l.strip_prefix("FROM rust:"))
        .unwrap();
    let minor = |v: &str| -> u32 { v.split(['.', '-']).nth(1).unwrap().parse().unwrap() };
    assert!(
        minor(image) >= minor(want),
        "rust:{image} is older than {want}"
    );
}

#[test]
fn the_slurm_scripts_run_an_array_and_a_merge_after_it() {
    let shards = read("slurm/shards.sbatch");
    let merge = read("slurm/merge.sbatch");
    let submit = read("slurm/submit.sh");
    assert!(
        shards.contains("#SBATCH --array=0-"),
        "the array counts from 0"
    );
    assert!(shards.contains("shard-entry.sh") && shards.contains("run --config"));
    assert!(merge.contains("shard-entry.sh") && merge.contains("merge --config"));
    assert!(submit.contains("--array=\"0-$((n - 1))\""));
    assert!(submit.contains("--dependency=\"afterok:$shards\""));
    assert!(submit.contains("export UPTAKE_SHARDS=$n"));
    // submit.sh with a stand-in sbatch that logs its arguments and answers a job id
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("sbatch.log");
    let fake = tmp.path().join("sbatch");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"UPTAKE_SHARDS=$UPTAKE_SHARDS $*\" >> {}\necho \"$((1000 + $(wc -l < {})));cluster\"\n",
            log.display(),
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let submit = |n: &str| {
        let _ = std::fs::remove_file(&log);
        let path = format!(
            "{}:{}",
            tmp.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let o = Command::new("bash")
            .arg(deploy("slurm/submit.sh"))
            .arg(n)
            .env("UPTAKE_CONFIG", "c")
            .env("UPTAKE_OUT", "o")
            .env("PATH", path)
            .output()
            .unwrap();
        (o, std::fs::read_to_string(&log).unwrap_or_default())
    };
    let (o, calls) = submit("4");
    assert!(o.status.success(), "{}", describe(&o));
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(
        calls[0].starts_with("UPTAKE_SHARDS=4 --parsable --array=0-3 "),
        "{}",
        calls[0]
    );
    assert!(calls[0].ends_with("slurm/shards.sbatch"), "{}", calls[0]);
    assert!(
        calls[1].contains("--dependency=afterok:1001 "),
        "{}",
        calls[1]
    );
    assert!(calls[1].ends_with("slurm/merge.sbatch"), "{}", calls[1]);
    // a bad N is refused before anything is submitted
    for bad in ["0", "x", "-1"] {
        let (o, calls) = submit(bad);
        assert!(!o.status.success(), "{bad:?}");
        assert!(calls.is_empty(), "{bad:?}: {calls}");
    }
}

#[test]
fn the_yaml_reader_refuses_what_it_does_not_read() {
    let y = parse_yaml("a: 1\nb:\n  - x\n  - k: \"2\"\n    m: v\nc:\n- y\n");
    assert_eq!(
        y.json(),
        serde_json::json!({"a": 1, "b": ["x", {"k": "2", "m": "v"}], "c": ["y"]})
    );
    for bad in [
        "a: 1\n  b: 2\n",
        "a: [1, 2]\n",
        "a: 1\na: 2\n",
        "a:\t1\n",
        "- a\nb: 1\n",
    ] {
        assert!(
            std::panic::catch_unwind(|| parse_yaml(bad)).is_err(),
            "{bad:?} was read"
        );
    }
}
