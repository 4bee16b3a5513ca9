//! Reference detection throughput: `cargo bench --bench references [-- FOLDER...]`.
//!
//! The detector (references and reuse, the default catalogue and its demo output texts) runs on one thread over
//! documents nobody here wrote: by default the text files this machine ships under /usr/share/doc and Python's
//! standard library documentation (read at run time, never copied into the repository), which cite nothing, and
//! the team's labelled set (tests/labelled/corpus), which cites on every page. Any folders named after `--` are
//! read instead (the real-page development set, say). Prints MB/s per set, the best of three rounds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use uptake::config::{load_catalogue, load_vocabulary, DetectConfig};
use uptake::detect::Detector;
use uptake::records::Document;

/// Rounds per set; the best is kept (the machine is shared and noisy).
const ROUNDS: usize = 3;
/// Each round reads the set this many times over, so that a round lasts long enough to time.
const PASSES: usize = 5;
/// Largest file read.
const MAX_FILE_BYTES: u64 = 1 << 20;

fn texts_under(dir: &Path, exts: &[&str]) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.len() <= MAX_FILE_BYTES && m.len() > 0)
        })
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            exts.iter().any(|x| name.ends_with(x)) || name.starts_with("readme")
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

fn document(i: usize, text: &str) -> Document {
    Document {
        source: "bench".into(),
        ..Document::from_text(&format!("d{i}"), text.to_string())
    }
}

fn measure(name: &str, det: &Detector, texts: &[String]) {
    let docs: Vec<Document> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| document(i, t))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    if bytes == 0 {
        println!("{name}: no documents here");
        return;
    }
    let mut best = f64::MAX;
    let mut mentions = 0;
    // an order-independent checksum of every mention of a pass (to show that two builds find the same)
    let mut sum = 0u64;
    for _ in 0..ROUNDS {
        let t = Instant::now();
        mentions = 0;
        for _ in 0..PASSES {
            sum = 0;
            let pass = det.pass();
            for d in &docs {
                let found = pass.detect(d);
                mentions += found.mentions().len();
                for m in found
                    .mentions()
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .chain(found.theme_mentions().iter().map(|m| format!("{m:?}")))
                {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    std::hash::Hash::hash(&m, &mut h);
                    sum = sum.wrapping_add(std::hash::Hasher::finish(&h));
                }
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mb = (bytes * PASSES) as f64 / 1e6;
    println!(
        "{name}: {} documents, {:.2} MB x {PASSES}, best of {ROUNDS}: {:.2} s, {:.1} MB/s on one thread ({} mentions a pass, checksum {sum:016x})",
        docs.len(),
        bytes as f64 / 1e6,
        best,
        mb / best,
        mentions / PASSES
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = root.join("data/catalogue.toml");
    let outputs = load_catalogue(&catalogue).expect("the catalogue loads");
    let texts: Vec<(String, String)> = outputs
        .iter()
        .filter_map(|o| {
            let p = o.texts.iter().find_map(|t| match t {
                uptake::records::TextSource::File(p) => Some(p),
                uptake::records::TextSource::Url(_) => None,
            })?;
            Some((o.id.clone(), std::fs::read_to_string(p).ok()?))
        })
        .collect();
    let det = Detector::with_vocabulary(
        &outputs,
        &texts,
        &DetectConfig::default(),
        load_vocabulary(&catalogue).expect("the vocabulary loads"),
    );
    let folders: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if !folders.is_empty() {
        for f in &folders {
            measure(
                &f.display().to_string(),
                &det,
                &texts_under(f, &["txt", "md", "rst", "html"]),
            );
        }
        return;
    }
    let mut shipped = texts_under(Path::new("/usr/share/doc"), &[".txt", ".md", ".rst"]);
    for lib in ["/usr/lib/python3", "/root/.pyenv/versions"] {
        if Path::new(lib).is_dir() {
            shipped.extend(texts_under(Path::new(lib), &[".rst"]));
        }
    }
    measure(
        "documentation this machine ships (cites nothing)",
        &det,
        &shipped,
    );
    measure(
        "tests/labelled (cites on every page)",
        &det,
        &texts_under(
            &root.join("tests/labelled/corpus"),
            &[".txt", ".md", ".html"],
        ),
    );
}
