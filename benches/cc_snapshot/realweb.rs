//! Real web pages through the pre-filter (`UPTAKE_BENCH_REALWEB=<dir>`): the pages listed in `realweb-pages.tsv`
//! beside this file (addresses, groups, languages, byte lengths and labels; their texts are third-party text and
//! are not in the repository) are read from `<dir>/texts/<n>.txt`, written into one WET file as Common Crawl
//! writes it (`warcinfo`, then a `conversion` record per page, a gzip member per record), and scored:
//!
//! 1. **In process**, for two catalogues: the shipped `data/catalogue.toml` (its names, aliases, URLs and
//!    vocabulary are the real ones, its output texts short demo texts) and a copy of it whose `2020-bpf-on-bpfs`
//!    output carries the real report as its text (`UPTAKE_BENCH_REALWEB_TEXT`, default
//!    `../shared/seed/bpf-on-bpfs-2020.txt` beside the repository). For each: the first reason the pre-filter
//!    passes each page (address, seeds, name), the share passed overall, per reason and per group, and for each
//!    page passed what the full detector then finds in it (outputs cited, themes named, passages), which of the
//!    series' cue words it holds, and what passes it: the series' or organisation's name alone (a detector with
//!    no output passes it), else each output that passes it alone, with the words of its names the page holds.
//! 2. **End to end**: the real binary (`uptake run`, `UPTAKE_BENCH_UPTAKE` for another one) over the WET file with
//!    a `warc` source, `keep = "passed"` then `keep = "found"`, for each catalogue: the closing summary's count of
//!    records not kept, and the pages kept.
//!
//! The set's form and the figures are in docs/web-scale.md ("Real web pages through the pre-filter").

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use uptake::detect::prefilter::Look;
use uptake::detect::Detector;
use uptake::records::{Document, Output};

/// The date given to every record (the texts were read from stored copies of varying age).
const DATE: &str = "2026-11-30T00:00:00Z";

/// The words that name the series or its organiser, shown beside a page passed on a name (a reading aid: the
/// pre-filter's own look is over the catalogue's names and vocabulary).
const CUES: [&str; 8] = [
    "best practice forum",
    "best practices forum",
    "bpf",
    "igf",
    "internet governance forum",
    "intgovforum",
    "foros de mejores prácticas",
    "dynamic coalition",
];

/// One page of the list.
struct Page {
    n: String,
    url: String,
    group: String,
    lang: String,
    /// The "should be found" label (hard group): whether the page names a BPF output or the BPFs.
    label: String,
    text: String,
}

/// The list beside this file, with each page's text read from `texts`.
fn pages(texts: &Path) -> Vec<Page> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/cc_snapshot/realweb-pages.tsv");
    let tsv = std::fs::read_to_string(&list).unwrap_or_else(|e| panic!("{}: {e}", list.display()));
    let mut out = Vec::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            f.len() >= 6,
            "{}: a line of fewer than 6 fields: {line}",
            list.display()
        );
        let path = texts.join(format!("{}.txt", f[0]));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the texts are kept outside the repository)",
                path.display()
            )
        });
        let bytes: usize = f[4].parse().expect("a byte length");
        assert_eq!(
            text.len(),
            bytes,
            "{}: {} bytes, the list says {bytes}: not the text that was measured",
            path.display(),
            text.len()
        );
        out.push(Page {
            n: f[0].into(),
            url: f[1].into(),
            group: f[2].into(),
            lang: f[3].into(),
            label: f[5].into(),
            text,
        });
    }
    out
}

/// A WARC record with its block.
fn record(ty: &str, uri: Option<&str>, content_type: &str, n: usize, block: &[u8]) -> Vec<u8> {
    let uri = uri
        .map(|u| format!("WARC-Target-URI: {u}\r\n"))
        .unwrap_or_default();
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {ty}\r\n{uri}WARC-Date: {DATE}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// The WET file of the pages, a gzip member per record; returns its path.
fn write_wet(dir: &Path, pages: &[Page]) -> PathBuf {
    let wet = dir.join("wet");
    std::fs::create_dir_all(&wet).unwrap();
    let path = wet.join("realweb.warc.wet.gz");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut member = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        f.write_all(&e.finish().unwrap()).unwrap();
    };
    let info = "Software-Info: uptake cc_snapshot bench (real web pages)\r\nformat: WARC File Format 1.0\r\n";
    member(&record(
        "warcinfo",
        None,
        "application/warc-fields",
        0,
        info.as_bytes(),
    ));
    for (i, p) in pages.iter().enumerate() {
        member(&record(
            "conversion",
            Some(&p.url),
            "text/plain",
            i + 1,
            p.text.as_bytes(),
        ));
    }
    f.flush().unwrap();
    path
}

/// The shipped catalogue, and a copy whose `2020-bpf-on-bpfs` output has `real_text` as its text (its other
/// texts made absolute so the copy reads them from anywhere).
fn catalogues(dir: &Path, real_text: &Path) -> Vec<(&'static str, PathBuf)> {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    let data = shipped.parent().unwrap();
    let toml = std::fs::read_to_string(&shipped).unwrap();
    let mut copy = String::new();
    let mut in_bpfs = false;
    for line in toml.lines() {
        if let Some(rel) = line
            .strip_prefix("text = \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            copy.push_str(&format!("text = {:?}\n", data.join(rel)));
            continue;
        }
        copy.push_str(line);
        copy.push('\n');
        if line.starts_with("id = ") {
            in_bpfs = line == "id = \"2020-bpf-on-bpfs\"";
        }
        if in_bpfs && line.starts_with("urls = ") {
            copy.push_str(&format!("text = {:?}\n", real_text));
            in_bpfs = false;
        }
    }
    assert!(
        copy.contains(&format!("{:?}", real_text)),
        "the 2020-bpf-on-bpfs output with a urls line"
    );
    let real = dir.join("catalogue-real-text.toml");
    std::fs::write(&real, copy).unwrap();
    vec![("shipped", shipped), ("real-text", real)]
}

/// A catalogue's outputs and their texts, read as `uptake run` reads them (text files through extraction).
struct Catalogue {
    path: PathBuf,
    outputs: Vec<Output>,
    texts: Vec<(String, String)>,
}

impl Catalogue {
    fn load(path: &Path) -> Catalogue {
        let outputs = uptake::config::load_catalogue(path).expect("the catalogue loads");
        // the outputs' file texts, read and extracted as `uptake run` reads them
        let mut skipped = Vec::new();
        let texts = uptake::pipeline::texts::output_texts(
            &outputs,
            &mut uptake::crawl::CrawlOutcome::default(),
            &mut skipped,
        )
        .texts;
        assert!(skipped.is_empty(), "output texts not read: {skipped:?}");
        Catalogue {
            path: path.to_path_buf(),
            outputs,
            texts,
        }
    }

    /// The detector `uptake run` builds with the default settings, over the outputs `keep` picks (all of them
    /// for a run; one, or none, to see which output's names or text pass a page).
    fn detector(&self, keep: impl Fn(&Output) -> bool) -> Detector {
        let outputs: Vec<Output> = self.outputs.iter().filter(|o| keep(o)).cloned().collect();
        let texts: Vec<(String, String)> = self
            .texts
            .iter()
            .filter(|(id, _)| outputs.iter().any(|o| &o.id == id))
            .cloned()
            .collect();
        Detector::with_vocabulary(
            &outputs,
            &texts,
            &uptake::config::DetectConfig::default(),
            uptake::config::load_vocabulary(&self.path).expect("the vocabulary loads"),
        )
    }
}

/// Why the pre-filter passes `doc`: the series' and organisation's names alone (a catalogue with no output),
/// else each output that passes it alone, with the words of its names the page holds.
fn why(
    cat: &Catalogue,
    vocab_only: &Detector,
    singles: &[(String, Detector)],
    doc: &Document,
) -> String {
    if vocab_only.prefilter_look(doc).is_some_and(Look::passes) {
        return "the series' or organisation's name".into();
    }
    let words: std::collections::HashSet<String> = doc
        .text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .collect();
    singles
        .iter()
        .filter(|(_, d)| d.prefilter_look(doc).is_some_and(Look::passes))
        .map(|(id, _)| {
            let o = cat.outputs.iter().find(|o| &o.id == id).unwrap();
            let mut held: Vec<String> = std::iter::once(&o.title)
                .chain(&o.aliases)
                .chain(o.theme.iter())
                .chain(&o.theme_aliases)
                .flat_map(|n| {
                    n.split(|c: char| !c.is_alphanumeric())
                        .map(str::to_lowercase)
                })
                .filter(|w| w.len() > 3 && words.contains(w))
                .collect();
            held.sort_unstable();
            held.dedup();
            format!("{id} ({})", held.join(" "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn pct(n: usize, of: usize) -> String {
    format!("{:.1}%", 100.0 * n as f64 / of.max(1) as f64)
}

/// Passed / address / seeds / name counts.
#[derive(Default)]
struct Tally([usize; 5]);

impl Tally {
    fn add(&mut self, l: Look) {
        self.0[0] += 1;
        self.0[match l {
            Look::Address => 1,
            Look::Seed => 2,
            Look::Name => 3,
            Look::Nothing => 4,
        }] += 1;
    }

    fn line(&self) -> String {
        let [all, a, s, n, _] = self.0;
        format!(
            "{all:>4} pages, {:>4} passed ({:>6}): address {a}, seeds {s}, name {n}",
            a + s + n,
            pct(a + s + n, all)
        )
    }
}

/// The in-process pass over `pages` with `catalogue`.
fn in_process(name: &str, catalogue: &Path, pages: &[Page]) {
    let cat = Catalogue::load(catalogue);
    let det = cat.detector(|_| true);
    let vocab_only = cat.detector(|_| false);
    let singles: Vec<(String, Detector)> = cat
        .outputs
        .iter()
        .map(|o| (o.id.clone(), cat.detector(|x| x.id == o.id)))
        .collect();
    let docs: Vec<Document> = pages
        .iter()
        .map(|p| Document::from_text(&p.url, p.text.clone()))
        .collect();
    let looks: Vec<Look> = docs
        .iter()
        .map(|d| {
            det.prefilter_look(d)
                .expect("the pre-filter is on by default")
        })
        .collect();
    let found = det.detect_all(&docs);
    let mut all = Tally::default();
    let mut general = Tally::default();
    let mut everyday = Tally::default();
    let mut by_group: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_lang: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_label: BTreeMap<&str, Tally> = BTreeMap::new();
    for (p, &l) in pages.iter().zip(&looks) {
        all.add(l);
        if p.group != "hard" {
            general.add(l);
            if p.group != "near" {
                everyday.add(l);
            }
        } else {
            by_label.entry(&p.label).or_default().add(l);
        }
        by_group.entry(&p.group).or_default().add(l);
        by_lang.entry(&p.lang).or_default().add(l);
    }
    println!("\nin process, catalogue {name} ({}):", catalogue.display());
    println!("  all pages:         {}", all.line());
    println!("  all but hard:      {}", general.line());
    println!("  everyday (neither near nor hard): {}", everyday.line());
    for (g, t) in &by_group {
        println!("  group {g:<13} {}", t.line());
    }
    for (g, t) in &by_lang {
        println!("  language {g:<10} {}", t.line());
    }
    for (g, t) in &by_label {
        println!("  hard, names BPF {g:<3} {}", t.line());
    }
    println!("  pages passed, and what the detector then finds in them:");
    for (i, ((p, l), d)) in pages.iter().zip(&looks).zip(&found).enumerate() {
        if !l.passes() {
            continue;
        }
        let lower = p.text.to_lowercase();
        let cues: Vec<&str> = CUES.iter().copied().filter(|c| lower.contains(c)).collect();
        let mut what: Vec<String> = d
            .mentions
            .iter()
            .map(|m| format!("mention {} ({:?})", m.output_id, m.matched))
            .collect();
        what.extend(
            d.theme_mentions
                .iter()
                .map(|t| format!("theme {} ({:?})", t.theme, t.matched)),
        );
        what.extend(
            d.passages
                .iter()
                .map(|s| format!("passage of {} ({:.2})", s.output_id, s.similarity)),
        );
        if let Some(c) = &d.copy_of {
            what.push(format!("copy of {c}"));
        }
        println!(
            "    {} {:<13} {:<8} label {:<3} cues [{}] found [{}] {}\n      passes on: {}",
            p.n,
            p.group,
            format!("{l:?}"),
            p.label,
            cues.join(", "),
            what.join("; "),
            p.url,
            why(&cat, &vocab_only, &singles, &docs[i])
        );
    }
}

/// The run config of `keep` over the WET file with `catalogue`.
fn config(dir: &Path, wet: &Path, name: &str, catalogue: &Path, keep: &str) -> PathBuf {
    let cfg = format!(
        "# Written by `cargo bench --bench cc_snapshot` (UPTAKE_BENCH_REALWEB): real web pages, keep = {keep:?}.\n\
         catalogue = {:?}\nout_dir = \"runs/out\"\nreport_dir = \"runs/reports\"\nwarc_out = false\n\n\
         [[source]]\nname = \"realweb\"\nkind = \"warc\"\npaths = [{:?}]\nrecord_types = [\"conversion\"]\nkeep = {keep:?}\n",
        catalogue, wet
    );
    let path = dir.join(format!("config-{name}-{keep}.toml"));
    std::fs::write(&path, cfg).unwrap();
    path
}

/// The end-to-end runs.
fn end_to_end(dir: &Path, wet: &Path, cats: &[(&str, PathBuf)]) {
    let bin = std::env::var_os("UPTAKE_BENCH_UPTAKE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_uptake")));
    for (name, catalogue) in cats {
        for keep in ["passed", "found"] {
            let config = config(dir, wet, name, catalogue, keep);
            let work = dir.join("runs").join(format!("{name}-{keep}"));
            let _ = std::fs::remove_dir_all(&work);
            println!(
                "\nend to end: {} run --config {}",
                bin.display(),
                config.display()
            );
            let m = crate::run::run(&bin, &config, &work, 1);
            let log = std::fs::read_to_string(work.join("log.txt")).unwrap_or_default();
            assert!(
                matches!(m.exit, 0 | 2),
                "the run failed (exit {}); its log:\n{log}",
                m.exit
            );
            for l in log
                .lines()
                .filter(|l| l.starts_with("uptake:") && l.contains("not kept"))
            {
                println!("  {}", l.trim());
            }
            let docs = uptake::load::read_table(&work.join("out"), "documents")
                .expect("documents.parquet");
            let urls = docs.column("url").unwrap().str().unwrap().clone();
            println!(
                "  exit {}, wall {:.1} s; {} documents kept:",
                m.exit,
                m.wall,
                docs.height()
            );
            for u in urls.iter().flatten() {
                println!("    {u}");
            }
            for table in ["mentions", "passages"] {
                let df = uptake::load::read_table(&work.join("out"), table).expect("a table");
                let ids = df.column("output_id").unwrap().str().unwrap().clone();
                let mut ids: Vec<&str> = ids.iter().flatten().collect();
                ids.sort_unstable();
                ids.dedup();
                println!(
                    "  {table}: {} rows, outputs [{}]",
                    df.height(),
                    ids.join(", ")
                );
            }
        }
    }
}

/// The whole measure over the texts in `dir`.
pub fn main(dir: &Path) {
    let pages = pages(&dir.join("texts"));
    let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
    let wet = write_wet(dir, &pages);
    println!(
        "real web pages: {} pages, {:.2} MB of text, median {} bytes; WET file {} ({:.2} MB)",
        pages.len(),
        bytes as f64 / 1e6,
        {
            let mut l: Vec<usize> = pages.iter().map(|p| p.text.len()).collect();
            l.sort_unstable();
            l[l.len() / 2]
        },
        wet.display(),
        std::fs::metadata(&wet).unwrap().len() as f64 / 1e6
    );
    let real_text = std::env::var_os("UPTAKE_BENCH_REALWEB_TEXT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/bpf-on-bpfs-2020.txt")
        });
    let real_text = real_text
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e} (UPTAKE_BENCH_REALWEB_TEXT)", real_text.display()));
    let cats = catalogues(dir, &real_text);
    for (name, c) in &cats {
        in_process(name, c, &pages);
    }
    if !std::env::var("UPTAKE_BENCH_SKIP")
        .unwrap_or_default()
        .contains("run")
    {
        end_to_end(dir, &wet, &cats);
    }
}
