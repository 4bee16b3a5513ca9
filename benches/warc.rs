//! The WARC reader's speed on a generated WET file compressed record by record, as Common Crawl writes them
//! (`cargo bench --bench warc`; a benchmark, not a timed test). Two passes over the same file:
//! 1. the reader alone (every record's header parsed, every block decompressed and skipped);
//! 2. the `warc` source as a run reads it (the files found, then every record streamed with its body, as the
//!    intake hands them to extraction).
//!
//! `UPTAKE_BENCH_WET_MB` sets the compressed size (default 200); `UPTAKE_BENCH_DIR` keeps the file between runs
//! (default: a temporary folder); `UPTAKE_BENCH_ONLY=reader` stops after the first pass. Run under
//! `/usr/bin/time -v` for the peak RSS.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use uptake::config::{SourceConfig, WarcSource};
use uptake::crawl::warc::reader::{read_records, Event};

/// Made-up words, so the text compresses like prose (about 3:1), not like repeated bytes.
fn vocabulary() -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ac", "ber", "cor", "da", "el", "fo", "gan", "hi", "in", "jo", "ka", "lo", "men", "no",
        "or", "pa", "qui", "ra", "son", "ti", "u", "ve", "wen", "xi", "ya", "zo", "the", "and",
        "net", "work",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    (0..4000)
        .map(|_| {
            let n = 1 + rng.usize(..3);
            (0..n)
                .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
                .collect()
        })
        .collect()
}

/// Writes a WET file of about `mb` compressed megabytes; returns its path, records and uncompressed bytes.
fn generate(path: &Path, mb: u64) -> (u64, u64) {
    let words = vocabulary();
    let mut rng = fastrand::Rng::with_seed(11);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (mut written, mut records, mut raw) = (0u64, 0u64, 0u64);
    while written < mb * 1_000_000 {
        // pages of 2 to 30 KB of text, skewed towards short ones as WET records are
        let target = 2_000 + (rng.f64().powi(2) * 28_000.0) as usize;
        let mut text = String::with_capacity(target + 16);
        while text.len() < target {
            // a Zipf-like pick: common words far more often
            let i = ((rng.f64().powi(3)) * words.len() as f64) as usize;
            text.push_str(&words[i.min(words.len() - 1)]);
            text.push(if rng.u8(..16) == 0 { '\n' } else { ' ' });
        }
        let rec = format!(
            "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://site{}.example/page/{records}\r\n\
             WARC-Date: 2024-05-18T01:58:10Z\r\nWARC-Record-ID: <urn:uuid:{records:032x}>\r\n\
             WARC-Refers-To: <urn:uuid:{records:032x}>\r\nWARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n\
             Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n\r\n",
            records % 5000,
            text.len()
        );
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(rec.as_bytes()).unwrap();
        let z = z.finish().unwrap();
        out.write_all(&z).unwrap();
        written += z.len() as u64;
        raw += rec.len() as u64;
        records += 1;
    }
    out.flush().unwrap();
    (records, raw)
}

fn mb_s(bytes: u64, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}

fn main() {
    let mb: u64 = std::env::var("UPTAKE_BENCH_WET_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var("UPTAKE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("bench-{mb}mb.warc.wet.gz"));
    if !path.is_file() {
        let t = Instant::now();
        let (records, raw) = generate(&path, mb);
        println!(
            "generated {}: {records} records, {:.1} MB of WARC text, in {:.1} s",
            path.display(),
            raw as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
    let gz_bytes = std::fs::metadata(&path).unwrap().len();

    // 1. the reader alone
    let t = Instant::now();
    let (mut records, mut block_bytes, mut damaged) = (0u64, 0u64, 0u64);
    read_records(
        &path,
        |_, h, _| {
            block_bytes += h.content_length;
            Ok(())
        },
        |e| match e {
            Event::Record { .. } => records += 1,
            Event::Corrupt { .. } => damaged += 1,
        },
    )
    .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(damaged, 0);
    println!(
        "reader: {records} records, {:.1} MB compressed, {:.1} MB of blocks in {secs:.2} s: {:.1} MB/s compressed, \
         {:.1} MB/s of blocks, {:.0} records/s",
        gz_bytes as f64 / 1e6,
        block_bytes as f64 / 1e6,
        mb_s(gz_bytes, secs),
        mb_s(block_bytes, secs),
        records as f64 / secs
    );

    if std::env::var("UPTAKE_BENCH_ONLY").as_deref() == Ok("reader") {
        return;
    }

    // 2. the source, as a run reads it: the files found, then every record streamed with its body
    let src: WarcSource = toml::from_str(&format!(
        "name = \"bench\"\npaths = [{:?}]\n",
        path.display().to_string()
    ))
    .unwrap();
    let t = Instant::now();
    let outcome = uptake::crawl::crawl(&[SourceConfig::Warc(src)], &dir.join("crawl"), &[]);
    assert!(outcome.skipped.is_empty());
    let (mut docs, mut body_bytes, mut skipped) = (0u64, 0u64, 0u64);
    for stream in &outcome.streams {
        stream.read(&mut |item| {
            match item {
                Ok(d) => {
                    docs += 1;
                    body_bytes += d.bytes.len() as u64;
                }
                Err(_) => skipped += 1,
            }
            true
        });
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(skipped, 0);
    println!(
        "the source streamed: {docs} documents, {:.1} MB of bodies, in {secs:.2} s: {:.1} MB/s compressed, \
         {:.1} MB/s of bodies, {:.0} documents/s",
        body_bytes as f64 / 1e6,
        mb_s(gz_bytes, secs),
        mb_s(body_bytes, secs),
        docs as f64 / secs
    );
}
