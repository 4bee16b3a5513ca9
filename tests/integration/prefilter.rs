//! The detection pre-filter (`[detect] prefilter`, on by default) changes nothing the detector finds: the demo
//! corpus, the labelled set and the seed report, each run once with it and once without, give the same mentions,
//! passages, theme mentions and copies, row for row; and on the documents read back, the pre-filter does turn
//! documents away (the comparison means something). The fuzz inputs of the `detect` target are compared the
//! same way by `tests/fuzz_regressions.rs`.

use std::path::{Path, PathBuf};

use super::{catalogue, describe, s, uptake, write_config};
use uptake::config::{load_catalogue, load_vocabulary, DetectConfig};
use uptake::detect::{Detection, Detector};
use uptake::load;
use uptake::store::Store;

/// Runs `uptake run` over the folder `corpus` with the default catalogue, the pre-filter on or off, into
/// `dir/out-on` or `dir/out-off`.
fn run(dir: &Path, corpus: &Path, prefilter: bool) -> PathBuf {
    let tag = if prefilter { "on" } else { "off" };
    let sub = dir.join(tag);
    std::fs::create_dir_all(&sub).unwrap();
    let cfg = write_config(
        &sub,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"report\"\n\n[detect]\nprefilter = {prefilter}\n\n\
             [[source]]\nname = \"corpus\"\nkind = \"dir\"\npath = {:?}\n",
            catalogue(),
            corpus.display().to_string()
        ),
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    sub.join("out")
}

/// Every detection table of the two runs is the same; returns the number of mentions and passages.
fn same_tables(on: &Path, off: &Path) -> (usize, usize) {
    let mentions = load::read_mentions(on).unwrap();
    assert_eq!(mentions, load::read_mentions(off).unwrap(), "mentions");
    let passages = load::read_passages(on).unwrap();
    assert_eq!(passages, load::read_passages(off).unwrap(), "passages");
    assert_eq!(
        load::read_theme_mentions(on).unwrap(),
        load::read_theme_mentions(off).unwrap(),
        "theme mentions"
    );
    let copies = |out: &Path| -> Vec<(String, Option<String>)> {
        load::read_document_records(out)
            .unwrap()
            .into_iter()
            .map(|d| (d.doc_id, d.copy_of))
            .collect()
    };
    assert_eq!(copies(on), copies(off), "documents and their copies");
    (mentions.len(), passages.len())
}

/// The run's documents read back (texts, links) through the detector with and without the pre-filter: the same
/// detections. Returns how many documents the pre-filter turned away, of how many.
fn turned_away(out: &Path) -> (usize, usize) {
    let cat = Path::new(&catalogue()).to_path_buf();
    let outputs = load_catalogue(&cat).unwrap();
    let store = Store::new(out);
    let texts: Vec<(String, String)> = outputs
        .iter()
        .filter_map(|o| Some((o.id.clone(), store.output_text(&o.id).unwrap()?)))
        .collect();
    assert!(!texts.is_empty(), "the catalogue's output texts were read");
    let detector = |prefilter| {
        Detector::with_vocabulary(
            &outputs,
            &texts,
            &DetectConfig {
                prefilter,
                ..DetectConfig::default()
            },
            load_vocabulary(&cat).unwrap(),
        )
    };
    let (on, off) = (detector(true), detector(false));
    let docs: Vec<_> = load::read_documents(out)
        .unwrap()
        .into_iter()
        .map(|d| uptake::records::Document {
            text: store.doc_text(&d.doc_id).unwrap(),
            ..d
        })
        .collect();
    let with: Vec<Detection> = on.detect_all(&docs);
    assert_eq!(with, off.detect_all(&docs));
    let away = docs
        .iter()
        .filter(|d| !on.prefilter_look(d).unwrap().passes())
        .count();
    (away, docs.len())
}

#[test]
fn the_demo_corpus_gives_the_same_tables_with_and_without_the_prefilter() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/corpus");
    let (on, off) = (
        run(tmp.path(), &corpus, true),
        run(tmp.path(), &corpus, false),
    );
    let (mentions, passages) = same_tables(&on, &off);
    assert!(
        mentions > 20 && passages > 5,
        "{mentions} mentions, {passages} passages"
    );
    let (away, all) = turned_away(&on);
    assert!(
        away >= 2 && away < all,
        "{away} of {all} documents turned away"
    );
}

#[test]
fn the_labelled_set_gives_the_same_tables_with_and_without_the_prefilter() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled/corpus");
    let (on, off) = (
        run(tmp.path(), &corpus, true),
        run(tmp.path(), &corpus, false),
    );
    let (mentions, _) = same_tables(&on, &off);
    assert!(mentions > 80, "{mentions} mentions");
    let (away, all) = turned_away(&on);
    assert!(
        away >= 5 && away < all,
        "{away} of {all} documents turned away"
    );
}

#[test]
fn the_seed_report_gives_the_same_tables_with_and_without_the_prefilter() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/bpf-on-bpfs-2020.txt");
    assert!(
        seed.is_file(),
        "{} is missing: the seed ships with the project's shared material",
        seed.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(&seed, corpus.join("seed.txt")).unwrap();
    let (on, off) = (
        run(tmp.path(), &corpus, true),
        run(tmp.path(), &corpus, false),
    );
    let (mentions, _) = same_tables(&on, &off);
    assert!(mentions >= 30, "{mentions} mentions");
    assert_eq!(turned_away(&on), (0, 1), "the seed cites: it passes");
}
