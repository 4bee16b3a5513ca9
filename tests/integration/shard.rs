//! Sharded runs: four `uptake run --shard K/4` processes at once, then `uptake merge`, give the tables and the
//! report of one `uptake run` over the same corpus: folder documents (the demo corpus and a folder written here)
//! and an http source over several local sites (each its own port, so its own host and shard), with citations
//! that cross shards (a second-generation ripple), an output text fetched from a URL by every shard, a redirect,
//! a 404 and robots.txt. A shard killed part-way and run again alone gives the same merged result.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use polars::prelude::*;
use uptake::shard::shard_of;

use super::site::{Reply, Site};
use super::{describe, s, uptake};

const N: u32 = 4;

/// Columns that say when or where this run stored something, not what it found: the crawl's times, and where the
/// crawl's WARC files put each record (each shard writes its own files): left out of the comparison.
const RUN_SPECIFIC: &[(&str, &str)] = &[
    ("crawl_log", "fetched_at"),
    ("crawl_log", "elapsed_ms"),
    ("documents", "warc_file"),
    ("documents", "warc_offset"),
];

fn page(title: &str, date: &str, body: &str) -> Reply {
    Reply::html(&format!(
        "<!DOCTYPE html><html><head><title>{title}</title>\
         <meta name=\"citation_publication_date\" content=\"{date}\"></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    ))
}

fn host_shard(site: &Site) -> u32 {
    let host = site.base.trim_start_matches("http://");
    shard_of(host, N)
}

/// The corpus: sites, a folder, a catalogue whose IXP output's text is on a site, and the config.
struct Corpus {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    config: PathBuf,
    /// The site of the report citing the IPv6 output, and the site whose page links to it.
    cited: Site,
    citing: Site,
    _others: Vec<Site>,
    /// The folder file that links to the cited report.
    linking_file: String,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_path_buf();
    // sites until two of them fall to different shards (each port is a host of its own)
    let mut sites: Vec<Site> = (0..4).map(|_| Site::start(vec![])).collect();
    while sites.iter().all(|x| host_shard(x) == host_shard(&sites[0])) {
        sites.push(Site::start(vec![]));
    }
    let cited_at = 0;
    let citing_at = sites
        .iter()
        .position(|x| host_shard(x) != host_shard(&sites[0]))
        .unwrap();
    let citing = sites.remove(citing_at);
    let cited = sites.remove(cited_at);
    let (reuse, text_site) = (sites.remove(0), sites.remove(0));
    let report = cited.url("/report.html");
    cited.set_routes(vec![
        (
            "/",
            page(
                "Regional registry news",
                "2019-01-10",
                "<p>Our news pages.</p><a href=\"/report.html\">report</a> <a href=\"/moved\">moved</a> <a href=\"/gone\">gone</a>",
            ),
        ),
        (
            "/report.html",
            page(
                "Registry annual report 2018",
                "2018-06-01",
                "<p>In 2018 the registry again drew on the IGF Best Practice Forum report Creating an Enabling Environment for IPv6 Adoption (2015) when it advised operators on their address plans.</p>",
            ),
        ),
        ("/moved", Reply::redirect("/new-place.html")),
        (
            "/new-place.html",
            page("Where the page went", "2019-02-02", "<p>Moved content about routing.</p>"),
        ),
        ("/gone", Reply::status(404)),
    ]);
    citing.set_routes(vec![
        (
            "/robots.txt",
            Reply::typed("text/plain", b"User-agent: *\nDisallow: /private/\n".to_vec()),
        ),
        (
            "/",
            page(
                "Operators' forum",
                "2020-03-03",
                "<p>Welcome.</p><a href=\"/notes.html\">notes</a> <a href=\"/private/x.html\">private</a>",
            ),
        ),
        (
            "/notes.html",
            page(
                "Notes from the operators' forum 2020",
                "2020-04-04",
                &format!(
                    "<p>The registry's plan is worth reading: <a href=\"{report}\">the registry annual report</a>. A local group summarised the exchange point work in <a href=\"https://ngo.example/ixp-notes\">their notes</a>.</p>"
                ),
            ),
        ),
    ]);
    let ixp_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/outputs/2015-ixp.txt"),
    )
    .unwrap();
    text_site.set_route(
        "/texts/ixp.txt",
        Reply::typed("text/plain", ixp_text.into_bytes()),
    );
    reuse.set_routes(vec![(
        "/",
        page(
            "Building an exchange point in our region",
            "2021-05-05",
            "<p>Our plan, in the words we found most useful: The experiences gathered for this report show that the technical side of building an exchange point is rarely the hard part. Switches are affordable and operators know how to configure them. What decides whether an exchange point succeeds is trust among the networks that are expected to connect to it, and that trust takes years to build.</p>",
        ),
    )]);
    // a folder: one file known by a URL (its host shards it), one linking to the cited report from another
    // shard than the report's
    let folder = tmp.join("corpus");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("ixp-notes.html"),
        "<!DOCTYPE html><html><head><title>Notes on exchange points</title>\
         <meta name=\"citation_publication_date\" content=\"2018-09-09\"></head><body>\
         <p>We read Contributing to the success and continued development of Internet exchange points, the IGF 2016 Best Practice Forum output, and kept these notes.</p></body></html>",
    )
    .unwrap();
    let linking_file = (0..)
        .map(|i| format!("reading-{i}.html"))
        .find(|f| shard_of(f, N) != host_shard(&cited))
        .unwrap();
    std::fs::write(
        folder.join(&linking_file),
        format!(
            "<!DOCTYPE html><html><head><title>Reading list</title>\
             <meta name=\"citation_publication_date\" content=\"2021-01-01\"></head><body>\
             <p>Worth reading: <a href=\"{report}\">a registry's report</a>.</p></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        folder.join("manifest.csv"),
        "path,url,publisher,sector,country\nixp-notes.html,https://ngo.example/ixp-notes,NGO Example,civil society,KE\n",
    )
    .unwrap();
    // the catalogue, with the IXP output's text on a site and the other texts where they are
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let catalogue = std::fs::read_to_string(data.join("catalogue.toml"))
        .unwrap()
        .replace(
            "text = \"demo/outputs/2015-ixp.txt\"",
            &format!("text = {:?}", text_site.url("/texts/ixp.txt")),
        )
        .replace(
            "text = \"demo/",
            &format!("text = \"{}/demo/", data.display()),
        );
    std::fs::write(tmp.join("catalogue.toml"), catalogue).unwrap();
    let seeds = [
        cited.url("/"),
        report.clone(),
        citing.url("/"),
        reuse.url("/"),
    ];
    let config = tmp.join("uptake.toml");
    std::fs::write(
        &config,
        format!(
            "catalogue = \"catalogue.toml\"\nactivity = {:?}\npublishers = {:?}\n\
             [[source]]\nname = \"demo\"\nkind = \"dir\"\npath = {:?}\n\
             [[source]]\nname = \"local\"\nkind = \"dir\"\npath = \"corpus\"\n\
             [[source]]\nname = \"web\"\nkind = \"http\"\nseeds = {seeds:?}\ndelay_ms = 20\nretry_base_ms = 10\n",
            data.join("activity.csv").display().to_string(),
            data.join("publishers.csv").display().to_string(),
            data.join("demo/corpus").display().to_string(),
        ),
    )
    .unwrap();
    Corpus {
        _tmp: dir,
        root: tmp,
        config,
        cited,
        citing,
        _others: vec![reuse, text_site],
        linking_file,
    }
}

fn shard_cmd(config: &Path, out: &Path, k: u32) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_uptake"));
    c.args(["run", "--config", s(config), "--out", s(out)])
        .arg("--shard")
        .arg(format!("{k}/{N}"))
        .env_remove("RUST_LOG")
        .env_remove(uptake::fsutil::PAUSE_AT_VAR);
    c
}

/// Runs the N shards as N processes at once.
fn run_shards(config: &Path, out: &Path, which: &[u32]) {
    let children: Vec<_> = which
        .iter()
        .map(|&k| {
            let c = shard_cmd(config, out, k)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the uptake binary runs");
            (k, c)
        })
        .collect();
    for (k, c) in children {
        let o = c.wait_with_output().unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 2)),
            "shard {k}: {}",
            describe(&o)
        );
    }
}

fn merge(config: &Path, out: &Path, report: &Path) -> std::process::Output {
    uptake(&[
        "merge",
        "--config",
        s(config),
        "--shards",
        &N.to_string(),
        "--out",
        s(out),
        "--report-dir",
        s(report),
    ])
}

/// A table's rows as text, sorted (row order is the shards', not one run's), without the run-specific columns.
fn rows(out: &Path, table: &str) -> Vec<String> {
    let df = uptake::load::read_table(out, table).unwrap();
    let keep: Vec<&Column> = df
        .columns()
        .iter()
        .filter(|c| !RUN_SPECIFIC.contains(&(table, c.name().as_str())))
        .collect();
    let mut out: Vec<String> = (0..df.height())
        .map(|i| {
            keep.iter()
                .map(|c| format!("{}={}", c.name(), c.get(i).unwrap()))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    out.sort();
    out
}

/// Every table of `a` and `b` holds the same rows; the report's summary and page are the same.
pub fn assert_same_results(a: &Path, b: &Path, ra: &Path, rb: &Path) {
    for &t in uptake::load::TABLES {
        let (x, y) = (rows(a, t), rows(b, t));
        if x != y {
            let only_a: Vec<&String> = x.iter().filter(|r| !y.contains(r)).take(4).collect();
            let only_b: Vec<&String> = y.iter().filter(|r| !x.contains(r)).take(4).collect();
            panic!(
                "table {t} differs ({} rows and {} rows)\nonly in {}:\n{only_a:#?}\nonly in {}:\n{only_b:#?}",
                x.len(),
                y.len(),
                a.display(),
                b.display()
            );
        }
    }
    for f in ["summary.md", "index.html"] {
        let (x, y) = (
            std::fs::read_to_string(ra.join(f)).unwrap(),
            std::fs::read_to_string(rb.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            ra.display(),
            rb.display()
        );
    }
}

fn column(out: &Path, table: &str, col: &str) -> Vec<String> {
    let df = uptake::load::read_table(out, table).unwrap();
    let c = df.column(col).unwrap();
    (0..df.height())
        .map(|i| c.get(i).unwrap().to_string().trim_matches('"').to_string())
        .collect()
}

/// The doc id of the document at `url` in `out`.
fn doc_id(out: &Path, url: &str) -> String {
    let ids = column(out, "documents", "doc_id");
    let urls = column(out, "documents", "url");
    let i = urls
        .iter()
        .position(|u| u == url)
        .unwrap_or_else(|| panic!("no document at {url}: {urls:?}"));
    ids[i].clone()
}

/// The run on one machine that the shards are compared with: its output folder and report folder.
fn single_run(c: &Corpus) -> (PathBuf, PathBuf) {
    let (single, rs) = (c.root.join("single"), c.root.join("rs"));
    let o = uptake(&[
        "run",
        "--config",
        s(&c.config),
        "--out",
        s(&single),
        "--report-dir",
        s(&rs),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    (single, rs)
}

#[test]
fn four_shards_merged_give_the_tables_and_report_of_one_run() {
    let c = corpus();
    let (single, rs) = single_run(&c);
    let sharded = c.root.join("sharded");
    run_shards(&c.config, &sharded, &[0, 1, 2, 3]);
    // each shard holds its own documents and no analysis
    let mut with_docs = 0;
    let mut per_shard_docs = 0;
    for k in 0..N {
        let dir = sharded.join(format!("shards={N}/shard={k}"));
        assert!(dir.join("shard.json").is_file(), "shard {k} finished");
        assert!(
            !dir.join("metrics.parquet").exists(),
            "a shard writes no analysis"
        );
        let n = column(&dir, "documents", "doc_id").len();
        per_shard_docs += n;
        with_docs += (n > 0) as usize;
        // every shard fetched the output text it needs
        assert!(
            column(&dir, "crawl_log", "url")
                .iter()
                .any(|u| u.ends_with("/texts/ixp.txt")),
            "shard {k} fetched the catalogue's text URL"
        );
    }
    assert!(with_docs >= 3, "the corpus is spread over the shards");
    // the shard folders read as one table with polars' hive partitioning: a `shard` column from the folders
    let glob = sharded.join(format!("shards={N}/shard=*/documents.parquet"));
    let args = ScanArgsParquet {
        hive_options: polars::io::HiveOptions {
            enabled: Some(true),
            ..Default::default()
        },
        ..Default::default()
    };
    let all = LazyFrame::scan_parquet(PlRefPath::new(s(&glob).to_string()), args)
        .unwrap()
        .collect()
        .unwrap();
    assert_eq!(all.height(), per_shard_docs);
    let shard_col = all
        .column("shard")
        .unwrap()
        .as_materialized_series()
        .clone();
    let shards = shard_col.n_unique().unwrap();
    assert_eq!(shards, with_docs, "{:?}", all.get_column_names());
    assert!(all.column("shards").is_ok());
    let rm = c.root.join("rm");
    let o = merge(&c.config, &sharded, &rm);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    assert_eq!(
        column(&sharded, "documents", "doc_id").len(),
        per_shard_docs,
        "each document once"
    );
    assert_same_results(&single, &sharded, &rs, &rm);

    // what the comparison covers: a citation from one shard's document to another's, a second generation
    let report = doc_id(&sharded, &c.cited.url("/report.html"));
    let notes = doc_id(&sharded, &c.citing.url("/notes.html"));
    let cited = column(&sharded, "citations", "cited_doc_id");
    let citing = column(&sharded, "citations", "doc_id");
    assert!(
        citing
            .iter()
            .zip(&cited)
            .any(|(a, b)| *a == notes && *b == report),
        "the notes (shard {}) cite the report (shard {})",
        host_shard(&c.citing),
        host_shard(&c.cited)
    );
    let linking = column(&sharded, "documents", "location")
        .iter()
        .position(|l| l.ends_with(&c.linking_file))
        .unwrap();
    let linking = column(&sharded, "documents", "doc_id")[linking].clone();
    assert!(citing
        .iter()
        .zip(&cited)
        .any(|(a, b)| *a == linking && *b == report));
    let gens = column(&sharded, "ripple", "generation");
    let outs = column(&sharded, "ripple", "output_id");
    let docs = column(&sharded, "ripple", "documents");
    assert!(
        (0..gens.len()).any(|i| outs[i] == "2015-ipv6" && gens[i] == "2" && docs[i] != "0"),
        "a second generation of the IPv6 output"
    );
    assert!(
        column(&sharded, "passages", "output_id")
            .iter()
            .any(|o| o == "2015-ixp"),
        "reuse of the text fetched from a URL"
    );
    // the catalogue's text URL once in the merged crawl log, as in one run
    let texts = column(&sharded, "crawl_log", "url")
        .iter()
        .filter(|u| u.ends_with("/texts/ixp.txt"))
        .count();
    assert_eq!(texts, 1);
}

#[test]
fn a_shard_killed_part_way_and_run_again_alone_gives_the_same_merge() {
    let c = corpus();
    let (single, rs) = single_run(&c);
    let sharded = c.root.join("sharded");
    // the shard of the cited report's host stops after its crawl has stored two answers, and is killed
    let victim = host_shard(&c.cited);
    let others: Vec<u32> = (0..N).filter(|&k| k != victim).collect();
    run_shards(&c.config, &sharded, &others);
    let mut child = shard_cmd(&c.config, &sharded, victim)
        .env(uptake::fsutil::PAUSE_AT_VAR, "crawl:2")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "the shard ended without pausing"
        );
        if line.contains("paused at crawl:2") {
            break;
        }
        assert!(Instant::now() < deadline);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // the merge refuses while a shard is missing, naming it
    let rm = c.root.join("rm");
    let o = merge(&c.config, &sharded, &rm);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let msg = String::from_utf8_lossy(&o.stderr);
    assert!(
        msg.contains(&format!("shard {victim}/{N} (no shard.json")),
        "{msg}"
    );
    // the shard alone, again: its crawl resumes, and the merge is one run's
    let o = shard_cmd(&c.config, &sharded, victim).output().unwrap();
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("resuming an interrupted crawl"),
        "{}",
        describe(&o)
    );
    let o = merge(&c.config, &sharded, &rm);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", describe(&o));
    assert_same_results(&single, &sharded, &rs, &rm);
}
