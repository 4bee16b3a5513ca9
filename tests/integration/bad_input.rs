//! Bad input: a clear error naming the file for bad config and catalogue, a logged skip naming the file for a bad
//! document (the run goes on and exits 2), and a failed run that leaves the previous results whole.

use super::{catalogue, describe, dir_source_config, fixture, run_demo, s, uptake, write_config};
use uptake::load;

#[test]
fn unknown_config_key_is_named_with_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!("catalogue = {:?}\ncolour = \"red\"\n", catalogue()),
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("colour") && err.contains(s(&cfg)), "{err}");
}

#[test]
fn missing_catalogue_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), "catalogue = \"nope.toml\"\n");
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nope.toml"), "{err}");
    assert!(!tmp.path().join("out").exists(), "nothing written");
}

#[test]
fn bad_documents_are_skipped_and_named_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = dir_source_config(tmp.path(), "bad", s(&fixture("bad_inputs")));
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    for f in [
        "corrupt.pdf",
        "truncated.pdf",
        "empty.txt",
        "extractor-panics.pdf",
    ] {
        assert!(err.contains(f), "stderr names {f}: {err}");
    }
    assert!(
        !err.contains("thread 'main' panicked"),
        "uptake itself did not panic: {err}"
    );
    let out = tmp.path().join("out");
    let skipped = load::read_skipped(&out).unwrap();
    let mut skipped_files: Vec<String> = skipped
        .iter()
        .map(|k| k.location.rsplit('/').next().unwrap().to_string())
        .collect();
    skipped_files.sort();
    assert_eq!(
        skipped_files,
        [
            "corrupt.pdf",
            "empty.txt",
            "extractor-panics.pdf",
            "truncated.pdf"
        ]
    );
    let panicked = skipped
        .iter()
        .find(|k| k.location.ends_with("extractor-panics.pdf"))
        .unwrap();
    assert!(panicked.reason.contains("panicked"), "{}", panicked.reason);
    let docs = load::read_documents(&out).unwrap();
    assert_eq!(docs.len(), 2);
    let html = docs
        .iter()
        .find(|d| d.location.ends_with("cp1252-no-charset.html"))
        .unwrap();
    let text =
        std::fs::read_to_string(out.join("text").join(format!("{}.txt", html.doc_id))).unwrap();
    assert!(
        text.contains("café") && text.contains("“IGF Best Practice Forum on IXPs 2016”"),
        "{text}"
    );
    assert_eq!(html.title.as_deref(), Some("Café notes"));
    let mentions = load::read_mentions(&out).unwrap();
    let mut cited: Vec<&str> = mentions.iter().map(|m| m.output_id.as_str()).collect();
    cited.sort();
    assert_eq!(cited, ["2015-ixp", "2016-ixp"]);
    // the report lists what was skipped
    let report = std::fs::read_to_string(tmp.path().join("reports/index.html")).unwrap();
    assert!(report.contains("corrupt.pdf") && report.contains("Skipped"));
}

#[test]
fn missing_source_folder_is_skipped_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = dir_source_config(tmp.path(), "gone", "does-not-exist");
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does-not-exist"));
}

#[test]
fn unreadable_folder_is_skipped_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let locked = src.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("a.txt"), "IGF Best Practice Forum on IXPs 2016").unwrap();
    std::fs::write(src.join("b.txt"), "IGF Best Practice Forum on IXPs 2015").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        // root reads any folder: there is nothing unreadable to test with here
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: this user can read a folder with mode 000 (running as root)");
        return;
    }
    let cfg = dir_source_config(tmp.path(), "s", "src");
    let o = uptake(&["run", "--config", s(&cfg)]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("locked"));
    assert_eq!(
        load::read_documents(&tmp.path().join("out")).unwrap().len(),
        1
    );
}

#[test]
fn failed_run_leaves_previous_results_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &tmp.path().join("r"));
    let before = std::fs::read(out.join("documents.parquet")).unwrap();
    let texts_before = std::fs::read_dir(out.join("text")).unwrap().count();
    // a report folder that cannot be created (its parent is a file) makes the run fail after the crawl began
    let blocker = tmp.path().join("blocker");
    std::fs::write(&blocker, "a file").unwrap();
    let o = uptake(&[
        "run",
        "--config",
        "data/uptake.toml",
        "--out",
        s(&out),
        "--report-dir",
        s(&blocker.join("r")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("blocker"));
    assert_eq!(
        std::fs::read(out.join("documents.parquet")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read_dir(out.join("text")).unwrap().count(),
        texts_before
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders removed: {leftovers:?}"
    );
}
