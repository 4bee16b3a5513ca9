//! The generated Common-Crawl-shaped set: WET files (`warcinfo`, then a `conversion` record per page) and WARC
//! files (`warcinfo`, then per page a `request`, a `response` holding an HTML page and a `metadata` record), one
//! gzip member per record as Common Crawl writes them, with the catalogue, the outputs' texts, the list of planted
//! cases and the run configs beside them. Pages are made by `records.rs` (the web-scale benchmark's generator);
//! page `i` is the same in both kinds, and the WARC pages are the first ones of the WET pages.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};
use uptake::records::Output;

use crate::html::{html_page, http_head, request_block};
use crate::records::{english, other_languages, output_texts, Gen, Planted, Pool};

/// Bumped whenever what is generated changes, so an old set is made again (2: gzip headers as Common Crawl's).
const FORMAT: u32 = 2;
/// The crawl's name in file names and `warcinfo`.
pub const CRAWL: &str = "CC-MAIN-2026-48";

/// What a set is generated from; written to `manifest.txt` and compared on reuse.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub wet_pages: usize,
    pub warc_pages: usize,
    pub wet_files: usize,
    pub warc_files: usize,
    pub every: usize,
    pub seed: u64,
    pub output_kb: usize,
    pub english_percent: usize,
    pub level: u32,
}

impl Params {
    fn manifest(&self) -> String {
        format!(
            "format = {FORMAT}\nwet_pages = {}\nwarc_pages = {}\nwet_files = {}\nwarc_files = {}\nplant_every = {}\n\
             seed = {}\noutput_kb = {}\nenglish_percent = {}\ngzip_level = {}\n",
            self.wet_pages,
            self.warc_pages,
            self.wet_files,
            self.warc_files,
            self.every,
            self.seed,
            self.output_kb,
            self.english_percent,
            self.level
        )
    }
}

/// What a generated set holds (`sizes.txt`, written with the manifest).
#[derive(Debug, Default, Clone, Copy)]
pub struct Sizes {
    /// Bytes of the WET files on disk (compressed) and of the conversion records' text.
    pub wet_gz: u64,
    pub wet_text: u64,
    /// Bytes of the WARC files on disk, of the response records' HTML and of those pages' text.
    pub warc_gz: u64,
    pub warc_html: u64,
    pub warc_text: u64,
}

impl Sizes {
    fn write(&self) -> String {
        format!(
            "wet_gz = {}\nwet_text = {}\nwarc_gz = {}\nwarc_html = {}\nwarc_text = {}\n",
            self.wet_gz, self.wet_text, self.warc_gz, self.warc_html, self.warc_text
        )
    }

    fn read(s: &str) -> Option<Sizes> {
        let get = |k: &str| -> Option<u64> {
            s.lines()
                .find_map(|l| l.strip_prefix(k)?.strip_prefix(" = ")?.parse().ok())
        };
        Some(Sizes {
            wet_gz: get("wet_gz")?,
            wet_text: get("wet_text")?,
            warc_gz: get("warc_gz")?,
            warc_html: get("warc_html")?,
            warc_text: get("warc_text")?,
        })
    }
}

/// One planted case: the page, its URL, the output and whether it is a citation (else a passage).
#[derive(Debug, Clone)]
pub struct Plant {
    pub page: usize,
    pub url: String,
    pub output_id: String,
    pub citation: bool,
}

/// The planted cases of a set, from `planted.tsv`.
pub fn read_planted(dir: &Path) -> Vec<Plant> {
    std::fs::read_to_string(dir.join("planted.tsv"))
        .expect("planted.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some(Plant {
                page: f.first()?.parse().ok()?,
                url: f.get(1)?.to_string(),
                output_id: f.get(2)?.to_string(),
                citation: *f.get(3)? == "citation",
            })
        })
        .collect()
}

/// The WET or WARC files of a set, in name order.
pub fn files(dir: &Path, wet: bool) -> Vec<PathBuf> {
    let sub = dir.join(if wet { "wet" } else { "warc" });
    let mut v: Vec<PathBuf> = std::fs::read_dir(&sub)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The set in `dir`: reused when its manifest matches `p`, else generated. Returns its sizes.
pub fn ensure(dir: &Path, p: &Params, outputs: &[Output]) -> Sizes {
    let manifest = dir.join("manifest.txt");
    if std::fs::read_to_string(&manifest).ok().as_deref() == Some(p.manifest().as_str()) {
        if let Some(s) = std::fs::read_to_string(dir.join("sizes.txt"))
            .ok()
            .and_then(|s| Sizes::read(&s))
        {
            println!("reusing the generated set in {}", dir.display());
            return s;
        }
    }
    for sub in ["wet", "warc", "outputs"] {
        let _ = std::fs::remove_dir_all(dir.join(sub));
    }
    let _ = std::fs::remove_file(&manifest);
    std::fs::create_dir_all(dir.join("wet")).unwrap();
    std::fs::create_dir_all(dir.join("warc")).unwrap();
    let t = Instant::now();
    let sizes = generate(dir, p, outputs);
    std::fs::write(dir.join("sizes.txt"), sizes.write()).unwrap();
    std::fs::write(&manifest, p.manifest()).unwrap();
    println!(
        "generated the set in {} in {:.0} s",
        dir.display(),
        t.elapsed().as_secs_f64()
    );
    sizes
}

/// The catalogue (data/catalogue.toml with each output's `text` pointing at `outputs/<id>.txt`) and the texts.
fn write_catalogue(dir: &Path, outputs: &[Output], texts: &[(String, String)]) {
    let src =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml"))
            .expect("data/catalogue.toml");
    std::fs::create_dir_all(dir.join("outputs")).unwrap();
    let mut out = String::from(
        "# Generated by `cargo bench --bench cc_snapshot` from data/catalogue.toml: each output's text is paragraphs\n\
         # of the Rust documentation on this machine (outputs/<id>.txt), not the real report.\n",
    );
    for line in src.lines() {
        if line.trim_start().starts_with("text =") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if let Some(id) = line
            .strip_prefix("id = \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            if texts.iter().any(|(o, _)| o == id) {
                let _ = writeln!(out, "text = \"outputs/{id}.txt\"");
            }
        }
    }
    std::fs::write(dir.join("catalogue.toml"), out).unwrap();
    for (id, text) in texts {
        std::fs::write(dir.join("outputs").join(format!("{id}.txt")), text).unwrap();
    }
    assert!(outputs.len() >= texts.len());
}

/// A file of gzip members, one per record.
struct GzFile {
    out: BufWriter<File>,
    level: u32,
    buf: Vec<u8>,
    rng: fastrand::Rng,
}

impl GzFile {
    fn create(path: &Path, level: u32, seed: u64) -> GzFile {
        GzFile {
            out: BufWriter::with_capacity(1 << 20, File::create(path).unwrap()),
            level,
            buf: Vec::new(),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.rng.u64(..), self.rng.u64(..));
        format!(
            "<urn:uuid:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}>",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            (b >> 48) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// Writes one record (`fields` are the header lines after `WARC-Type`, each ending in CRLF) and returns
    /// its record ID.
    fn record(&mut self, kind: &str, fields: &str, block: &[u8]) -> String {
        let id = self.uuid();
        let digest = Sha256::digest(block);
        let mut head = String::with_capacity(400);
        let _ = write!(
            head,
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {id}\r\n{fields}WARC-Block-Digest: sha256:"
        );
        for b in digest {
            let _ = write!(head, "{b:02x}");
        }
        let _ = write!(head, "\r\nContent-Length: {}\r\n\r\n", block.len());
        self.buf.clear();
        // the header Common Crawl's member writer gives every record: no name, no time, "Unix" (its deflater's
        // level is zlib's default, 6, which leaves the extra-flags byte 0)
        let mut z = flate2::GzBuilder::new()
            .operating_system(3)
            .write(&mut self.buf, flate2::Compression::new(self.level));
        z.write_all(head.as_bytes()).unwrap();
        z.write_all(block).unwrap();
        z.write_all(b"\r\n\r\n").unwrap();
        z.finish().unwrap();
        self.out.write_all(&self.buf).unwrap();
        id
    }

    fn warcinfo(&mut self, name: &str, date: &str) {
        let block = format!(
            "isPartOf: {CRAWL}\r\npublisher: uptake benchmark (generated)\r\ndescription: a generated set shaped \
             like a Common Crawl crawl\r\noperator: nobody\r\nsoftware: uptake cc_snapshot bench\r\n\
             format: WARC File Format 1.0\r\n"
        );
        self.record(
            "warcinfo",
            &format!(
                "WARC-Date: {date}\r\nWARC-Filename: {name}\r\nContent-Type: application/warc-fields\r\n"
            ),
            block.as_bytes(),
        );
    }

    fn finish(mut self) {
        self.out.flush().unwrap();
    }
}

/// The record date of page `i`: a crawl of about two weeks.
fn date(i: usize) -> String {
    let s = (i * 7) % (14 * 86_400);
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}Z",
        14 + s / 86_400,
        s / 3600 % 24,
        s / 60 % 60,
        s % 60
    )
}

/// The host of a record's URL (`https://host<h>.example/page/<i>`).
fn host_of(url: &str) -> &str {
    url.trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap_or("")
}

/// Which pool page `i` draws from, in proportion to the pools' weights.
fn pick(rng: &mut fastrand::Rng, pools: &[Pool]) -> usize {
    let total: f64 = pools.iter().map(|p| p.weight).sum();
    let at = rng.f64() * total;
    let mut acc = 0.0;
    pools
        .iter()
        .position(|p| {
            acc += p.weight;
            at < acc
        })
        .unwrap_or(pools.len() - 1)
}

fn generate(dir: &Path, p: &Params, outputs: &[Output]) -> Sizes {
    let texts = output_texts(outputs, p.output_kb * 1000);
    assert!(
        !texts.is_empty(),
        "no Rust documentation under ~/.rustup for the outputs' texts"
    );
    write_catalogue(dir, outputs, &texts);
    let share = p.english_percent.min(100) as f64;
    let pools: Vec<Pool> = std::iter::once(english(share))
        .chain(other_languages(100.0 - share))
        .collect();
    assert!(
        pools[0].paras.len() > 1000,
        "too little English text on this machine"
    );
    let mut gen = Gen {
        rng: fastrand::Rng::with_seed(p.seed),
    };
    let mut pick_rng = fastrand::Rng::with_seed(p.seed ^ 0x5eed);
    let mut planted = String::from("page\turl\toutput_id\tkind\n");
    let mut sizes = Sizes::default();
    let pages = p.wet_pages.max(p.warc_pages);
    let per_wet = p.wet_pages.div_ceil(p.wet_files.max(1)).max(1);
    let per_warc = p.warc_pages.div_ceil(p.warc_files.max(1)).max(1);
    let name = |n: usize, ext: &str| format!("{CRAWL}-2026111400{n:04}-{n:05}.{ext}");
    let (mut wet, mut warc): (Option<GzFile>, Option<GzFile>) = (None, None);
    let started = Instant::now();
    for i in 0..pages {
        let plant = (i % p.every == p.every / 2).then(|| {
            let case = i / p.every;
            let oi = (case / 2) % texts.len();
            (
                &outputs[oi],
                oi,
                texts[oi].1.as_str(),
                case.is_multiple_of(2),
            )
        });
        let pool = &pools[pick(&mut pick_rng, &pools)];
        let (doc, planted_case) = gen.record(i, pool, plant);
        if let Some(case) = planted_case {
            let (oi, kind) = match case {
                Planted::Citation(o) => (o, "citation"),
                Planted::Passage(o, ..) => (o, "passage"),
            };
            let _ = writeln!(planted, "{i}\t{}\t{}\t{kind}", doc.url, outputs[oi].id);
        }
        let when = date(i);
        let host = host_of(&doc.url).to_string();
        if i < p.wet_pages {
            if i % per_wet == 0 {
                if let Some(f) = wet.take() {
                    f.finish();
                }
                let n = name(i / per_wet, "warc.wet.gz");
                let mut f = GzFile::create(&dir.join("wet").join(&n), p.level, p.seed + i as u64);
                f.warcinfo(&n, &when);
                wet = Some(f);
            }
            let f = wet.as_mut().unwrap();
            let refers = f.uuid();
            f.record(
                "conversion",
                &format!(
                    "WARC-Target-URI: {}\r\nWARC-Date: {when}\r\nWARC-Refers-To: {refers}\r\n\
                     WARC-Identified-Content-Language: {}\r\nContent-Type: text/plain\r\n",
                    doc.url,
                    lang_code(&pool.name)
                ),
                doc.text.as_bytes(),
            );
            sizes.wet_text += doc.text.len() as u64;
        }
        if i < p.warc_pages {
            if i % per_warc == 0 {
                if let Some(f) = warc.take() {
                    f.finish();
                }
                let n = name(i / per_warc, "warc.gz");
                let mut f =
                    GzFile::create(&dir.join("warc").join(&n), p.level, p.seed + 7 + i as u64);
                f.warcinfo(&n, &when);
                warc = Some(f);
            }
            let f = warc.as_mut().unwrap();
            let ip = format!("10.{}.{}.{}", i % 250, (i / 250) % 250, 1 + i % 200);
            let req = request_block(&doc.url, &host);
            let req_id = f.record(
                "request",
                &format!(
                    "WARC-Target-URI: {}\r\nWARC-Date: {when}\r\nWARC-IP-Address: {ip}\r\n\
                     Content-Type: application/http; msgtype=request\r\n",
                    doc.url
                ),
                req.as_bytes(),
            );
            let html = html_page(&mut f.rng, &doc.url, &host, &pool.name, &doc.text);
            let mut block = http_head(html.len()).into_bytes();
            block.extend_from_slice(html.as_bytes());
            let resp_id = f.record(
                "response",
                &format!(
                    "WARC-Target-URI: {}\r\nWARC-Date: {when}\r\nWARC-IP-Address: {ip}\r\n\
                     WARC-Concurrent-To: {req_id}\r\nWARC-Identified-Payload-Type: text/html\r\n\
                     Content-Type: application/http; msgtype=response\r\n",
                    doc.url
                ),
                &block,
            );
            let meta = format!(
                "fetchTimeMs: {}\r\ncharset-detected: UTF-8\r\nlanguages-cld2: {{\"reliable\":true,\"languages\":\
                 [{{\"code\":\"{}\",\"text-covered\":0.98,\"score\":900.0}}]}}\r\n",
                40 + i % 900,
                lang_code(&pool.name)
            );
            f.record(
                "metadata",
                &format!(
                    "WARC-Target-URI: {}\r\nWARC-Date: {when}\r\nWARC-Concurrent-To: {resp_id}\r\n\
                     Content-Type: application/warc-fields\r\n",
                    doc.url
                ),
                meta.as_bytes(),
            );
            sizes.warc_html += html.len() as u64;
            sizes.warc_text += doc.text.len() as u64;
        }
        if (i + 1) % 100_000 == 0 {
            println!(
                "  {} pages generated in {:.0} s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    for f in [wet, warc].into_iter().flatten() {
        f.finish();
    }
    std::fs::write(dir.join("planted.tsv"), planted).unwrap();
    let on_disk = |wet: bool| -> u64 {
        files(dir, wet)
            .iter()
            .map(|f| f.metadata().unwrap().len())
            .sum()
    };
    sizes.wet_gz = on_disk(true);
    sizes.warc_gz = on_disk(false);
    sizes
}

/// ISO 639-3 code of a pool's language, as Common Crawl's WET headers give it.
fn lang_code(name: &str) -> &'static str {
    match name {
        "Russian" => "rus",
        "German" => "deu",
        "Japanese" => "jpn",
        "Chinese" => "zho",
        "Spanish" => "spa",
        "French" => "fra",
        "Italian" => "ita",
        "Dutch" => "nld",
        "Polish" => "pol",
        "Portuguese" => "por",
        "Czech" => "ces",
        "Swedish" => "swe",
        "Turkish" => "tur",
        "Ukrainian" => "ukr",
        "Korean" => "kor",
        _ => "eng",
    }
}

/// The config of one end-to-end run over `kind` ("wet", "warc" or "both"), with `extra` lines appended to the
/// source's table.
pub fn write_config(dir: &Path, kind: &str, extra: &str) -> PathBuf {
    let (paths, types) = match kind {
        "wet" => ("[\"wet/*.warc.wet.gz\"]", "[\"conversion\"]"),
        "warc" => ("[\"warc/*.warc.gz\"]", "[\"response\"]"),
        _ => (
            "[\"wet/*.warc.wet.gz\", \"warc/*.warc.gz\"]",
            "[\"conversion\", \"response\"]",
        ),
    };
    let cfg = format!(
        "# Generated by `cargo bench --bench cc_snapshot`: one run over the generated {kind} files.\n\
         catalogue = \"catalogue.toml\"\nout_dir = \"runs/out\"\nreport_dir = \"runs/reports\"\nwarc_out = false\n\n\
         [[source]]\nname = \"cc-{kind}\"\nkind = \"warc\"\npaths = {paths}\nrecord_types = {types}\n{extra}\n"
    );
    let path = dir.join(format!("config-{kind}.toml"));
    std::fs::write(&path, cfg).unwrap();
    path
}
