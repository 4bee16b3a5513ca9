//! Real prose present on every machine, split into paragraphs: the licences in /usr/share/common-licenses,
//! Python's pydoc_data topics and, where present, the Rust documentation under ~/.rustup.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A paragraph and where it came from.
#[derive(Debug, Clone)]
pub struct Para {
    pub text: String,
    pub origin: &'static str,
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Whether a line reads as prose (not code, tables or navigation).
fn prose_like(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic() || *c == ' ').count();
    words(s) >= 10 && letters * 10 >= s.chars().count() * 8 && !s.contains('{') && !s.contains("=>")
}

fn paragraphs_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| prose_like(p))
}

/// Licence texts by name (real files only; the GPL, LGPL and GFDL links are left out).
pub fn licences() -> Vec<(String, String)> {
    let dir = Path::new("/usr/share/common-licenses");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_symlink() {
            continue;
        }
        if let Ok(t) = std::fs::read_to_string(&p) {
            out.push((e.file_name().to_string_lossy().into_owned(), t));
        }
    }
    out.sort();
    out
}

pub fn pydoc_topics() -> Vec<String> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, pydoc_data.topics as t; print(json.dumps(list(t.topics.values())))",
        ])
        .output();
    match out {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).unwrap_or_default(),
        _ => {
            eprintln!("note: python3 with pydoc_data is not available; its topics are left out");
            Vec::new()
        }
    }
}

fn rust_doc_root() -> Option<PathBuf> {
    let home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".rustup")))?;
    let toolchains = std::fs::read_dir(home.join("toolchains")).ok()?;
    let mut roots: Vec<PathBuf> = toolchains
        .flatten()
        .map(|t| t.path().join("share/doc/rust/html"))
        .filter(|p| p.is_dir())
        .collect();
    roots.sort();
    roots.pop()
}

fn rust_docs(max_chars: usize) -> Vec<String> {
    let Some(root) = rust_doc_root() else {
        eprintln!("note: no Rust documentation under ~/.rustup; it is left out");
        return Vec::new();
    };
    let mut files = Vec::new();
    for book in [
        "book",
        "reference",
        "nomicon",
        "rust-by-example",
        "cargo",
        "rustc",
        "edition-guide",
        "embedded-book",
        "std",
        "core",
        "alloc",
    ] {
        for e in walkdir::WalkDir::new(root.join(book))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = e.path();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".html")
                && name != "print.html"
                && name != "toc.html"
                && name != "404.html"
            {
                files.push(p.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    let mut total = 0;
    for f in files {
        let Ok(html) = std::fs::read_to_string(&f) else {
            continue;
        };
        let ex = uptake::extract::extract_html(&html, "file:///rust-docs/");
        for line in ex.text.lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if prose_like(&line) {
                total += line.len();
                out.push(line);
            }
        }
        if total >= max_chars {
            break;
        }
    }
    out
}

/// Every paragraph of real prose found, deduplicated, in a fixed order.
pub fn pool(rust_max_chars: usize) -> Vec<Para> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut push = |text: String, origin: &'static str, out: &mut Vec<Para>| {
        if seen.insert(uptake::normalize::normalized(&text)) {
            out.push(Para { text, origin });
        }
    };
    for (_, t) in licences() {
        for p in paragraphs_of(&t) {
            push(p, "licences", &mut out);
        }
    }
    for t in pydoc_topics() {
        for p in paragraphs_of(&t) {
            push(p, "pydoc", &mut out);
        }
    }
    for p in rust_docs(rust_max_chars) {
        push(p, "rust-docs", &mut out);
    }
    out
}

fn shingles(text: &str) -> Vec<u64> {
    let w = uptake::normalize::words(text);
    w.windows(5)
        .map(|g| g.iter().fold(0u64, |h, x| h.rotate_left(13) ^ x.hash))
        .collect()
}

/// Splits the pool into paragraphs for the outputs (about `output_bytes` of them) and paragraphs of host prose,
/// leaving out every paragraph that shares 2 or more 5-word shingles with an output paragraph already taken:
/// such natural near-duplicates (licence clauses, the reference's repeated sentences) would be real reuse that
/// no case labels. With `strict_sources` false, output paragraphs are taken as they come and only the host
/// prose is filtered. Returns the two lists and the number left out.
pub fn separate(
    pool: &[Para],
    output_bytes: usize,
    strict_sources: bool,
) -> (Vec<Para>, Vec<Para>, usize) {
    let mut taken: HashSet<u64> = HashSet::new();
    let (mut sources, mut hosts, mut dropped, mut bytes) = (Vec::new(), Vec::new(), 0, 0);
    for p in pool {
        let sh = shingles(&p.text);
        let shared = sh.iter().filter(|h| taken.contains(h)).count();
        if bytes < output_bytes {
            if shared >= 2 && strict_sources {
                dropped += 1;
                continue;
            }
            taken.extend(sh);
            bytes += p.text.len();
            sources.push(p.clone());
        } else if shared >= 2 {
            dropped += 1;
        } else {
            hosts.push(p.clone());
        }
    }
    (sources, hosts, dropped)
}
