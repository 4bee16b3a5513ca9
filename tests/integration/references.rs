//! References the way people cite: the labelled set (tests/labelled, written by the team: 105 documents, 37 of them
//! traps) scored by `uptake eval` against its targets, the theme-level mentions it must keep apart, and a second
//! catalogue of an invented organisation, with its own vocabulary, that needs no change of code.

use std::path::Path;

use super::{describe, s, uptake};

fn labelled() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled/uptake.toml")
}

#[test]
fn the_labelled_set_meets_the_precision_recall_and_date_targets() {
    let o = uptake(&["eval", "--config", s(&labelled())]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(
        text.contains("targets (precision >= 0.99, recall >= 0.97, every date): met"),
        "{text}"
    );
    assert!(text.contains("no errors"), "{text}");
    for form in [
        "title-typo",
        "reference-split",
        "reference-hyphenated",
        "reference-page-break",
        "acronym-year",
        "theme-cue-year",
        "heading-year",
        "this-year",
        "last-year",
        "link",
        "repeated",
        "enumeration",
        "subject",
        "theme-history",
        "year-range",
        "relative-year",
        "meeting",
        "title-short",
        "forum-spelled",
        "output-cites-output",
        "other-language",
    ] {
        assert!(
            text.contains(&format!("  {form} ")),
            "form {form} is covered: {text}"
        );
    }
}

#[test]
fn a_shared_name_without_a_year_is_a_theme_level_mention_not_a_citation() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = uptake(&[
        "run",
        "--config",
        s(&labelled()),
        "--out",
        s(&out),
        "--report-dir",
        s(&tmp.path().join("r")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let q = |sql: &str| {
        let mut df = uptake::query::run_sql(&out, sql, "test").unwrap();
        uptake::query::format(&mut df, uptake::query::Format::Csv, "test").unwrap()
    };
    let themes = q("SELECT d.location, t.theme, t.candidates, t.matched FROM theme_mentions t JOIN documents d ON d.doc_id = t.doc_id ORDER BY d.location");
    assert!(
        themes.contains("n01-no-year.txt,IXPs,2015-ixp 2016-ixp,BPF on IXPs"),
        "{themes}"
    );
    assert!(
        themes.contains("n02-no-year-cyber.txt,Cybersecurity,"),
        "{themes}"
    );
    // The candidates as a list column too, in CSV as a JSON array.
    let candidates =
        q("SELECT t.candidates, t.candidate_list FROM theme_mentions t WHERE t.theme = 'IXPs'");
    assert!(
        candidates.contains("2015-ixp 2016-ixp,\"[\"\"2015-ixp\"\",\"\"2016-ixp\"\"]\"\n"),
        "{candidates}"
    );
    let cited = q("SELECT COUNT(*) AS n FROM cites c JOIN documents d ON d.doc_id = c.doc_id WHERE d.location LIKE '%n0%-no-year%'");
    assert_eq!(cited, "n\n0\n", "theme-level mentions are not citations");
    // Ten mentions of one report in one document are one citing relation.
    let ten = q("SELECT c.mentions FROM cites c JOIN documents d ON d.doc_id = c.doc_id WHERE d.location LIKE '%m02-ten-times%'");
    assert_eq!(ten, "mentions\n10\n");
    // The 2016 IXP output (a copy, at its own address) builds on the 2015 one: counted for 2015, never for 2016.
    let chain = q(include_str!("../../queries/outputs_citing_outputs.sql"));
    assert!(chain.contains("2016-ixp,2015-ixp,"), "{chain}");
    assert!(!chain.contains("2016-ixp,2016-ixp"), "{chain}");
}

/// An invented organisation (the Ocean Data Council) whose task forces publish a report a year: its catalogue names
/// its own vocabulary, and the IGF's words mean nothing there.
#[test]
fn another_organisations_catalogue_and_vocabulary_work_without_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "catalogue.toml",
        r#"vocabulary = "vocabulary.toml"
[[output]]
id = "2019-fisheries"
year = 2019
title = "Sharing Catch Data Across Regional Fisheries Bodies"
theme = "Fisheries"
[[output]]
id = "2020-fisheries"
year = 2020
title = "Open Standards for Fisheries Observer Records"
theme = "Fisheries"
[[output]]
id = "2020-reefs"
year = 2020
title = "Coral Reef Monitoring with Citizen Divers"
theme = "Coral Reefs"
"#,
    );
    write(
        "vocabulary.toml",
        r#"[series]
acronyms = ["TF"]
names = ["Task Force", "Grupo de Trabajo"]
[organisation]
acronyms = ["ODC"]
names = ["Ocean Data Council"]
[relative]
last_year = ["last year"]
[ordinals]
words = ["first", "second", "third", "fourth"]
[meeting_words]
before = ["in", "at"]
[[meeting]]
year = 2019
edition = 3
places = ["Lisbon"]
[[meeting]]
year = 2020
edition = 4
places = ["Hobart"]
"#,
    );
    write(
        "uptake.toml",
        "catalogue = \"catalogue.toml\"\nout_dir = \"out\"\n[[source]]\nname = \"docs\"\nkind = \"dir\"\npath = \"corpus\"\n",
    );
    write(
        "corpus/a-enumeration.txt",
        "Newsletter\n\nThe ODC's 2020 Task Forces covered fisheries and coral reefs.\n",
    );
    write(
        "corpus/b-meeting.txt",
        "Notes\n\nAt the third ODC meeting, the TF on Fisheries presented its findings.\n",
    );
    write(
        "corpus/c-city.txt",
        "Diary\n\nThe TF in Hobart discussed observer records for fisheries.\n",
    );
    write(
        "corpus/d-spanish.txt",
        "Boletín\n\nEn 2019, el Grupo de Trabajo del ODC sobre fisheries publicó su informe.\n",
    );
    write(
        "corpus/x-igf-words.txt",
        "Digest\n\nThe 2016 BPFs published drafts on cybersecurity, IXPs and IPv6.\n",
    );
    write(
        "corpus/y-navy-task-force.txt",
        "Navy news\n\nThe Task Force on fisheries patrols met in 2020.\n",
    );
    write(
        "expected.toml",
        r#"[[doc]]
path = "a-enumeration.txt"
form = "enumeration"
cites = ["2020-fisheries", "2020-reefs"]
[[doc]]
path = "b-meeting.txt"
form = "meeting"
cites = ["2019-fisheries"]
[[doc]]
path = "c-city.txt"
form = "meeting"
cites = ["2020-fisheries"]
[[doc]]
path = "d-spanish.txt"
form = "other-language"
cites = ["2019-fisheries"]
[[doc]]
path = "x-igf-words.txt"
form = "trap"
trap = true
[[doc]]
path = "y-navy-task-force.txt"
form = "trap"
trap = true
"#,
    );
    let o = uptake(&[
        "eval",
        "--config",
        s(&dir.join("uptake.toml")),
        "--expected",
        s(&dir.join("expected.toml")),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("no errors"), "{text}\n{}", describe(&o));
    assert!(text.contains("recall    1.0000 (5 right"), "{text}");
}
