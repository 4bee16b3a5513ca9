//! The seed report (../shared/seed/bpf-on-bpfs-2020.txt, a real document that cites every BPF) read as a
//! citing document: every one of the 26 BPFs of 2014-2019 is found, and the four BPFs of 2020 it names in its
//! list of 2020 topics and its acknowledgements. The seed must be there: a missing seed fails the test.

use std::collections::BTreeSet;

use super::{catalogue, describe, dir_source_config, s, uptake};
use uptake::load;

#[test]
fn seed_report_cites_all_26_bpfs_of_2014_2019_and_the_2020_bpfs() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/bpf-on-bpfs-2020.txt");
    assert!(
        seed.is_file(),
        "{} is missing: the seed ships with the project's shared material",
        seed.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::copy(&seed, src.join("seed.txt")).unwrap();
    let cfg = dir_source_config(tmp.path(), "seed", "src");
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = tmp.path().join("out");
    let cited: BTreeSet<String> = load::read_mentions(&out)
        .unwrap()
        .into_iter()
        .map(|m| m.output_id)
        .collect();
    let outputs = uptake::config::load_catalogue(std::path::Path::new(&catalogue())).unwrap();
    let missing: Vec<&str> = outputs
        .iter()
        .filter(|o| (2014..=2019).contains(&o.year) && !cited.contains(&o.id))
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        outputs
            .iter()
            .filter(|o| (2014..=2019).contains(&o.year))
            .count(),
        26
    );
    assert!(missing.is_empty(), "not found in the seed: {missing:?}");
    let missing_2020: Vec<&str> = outputs
        .iter()
        .filter(|o| o.year == 2020 && !cited.contains(&o.id))
        .map(|o| o.id.as_str())
        .collect();
    assert!(
        missing_2020.is_empty(),
        "2020 BPFs not found in the seed: {missing_2020:?}"
    );
}
