//! The in-process passes over the generated files, on this thread: the pre-filter alone over the WET records'
//! text, and over the WARC pages extraction (HTML to text, timed on its own) then the pre-filter; after the
//! pre-filter, the first pass of detection over the same documents (what `uptake run` does to each, the pre-filter
//! included). Files are read record by record and handled a batch at a time; only the timed work is counted.
//! [`read_alone`] times the reading itself: the WARC reader over the files, each record's block read out.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use uptake::crawl::warc::reader::{read_records, Event};
use uptake::detect::prefilter::Look;
use uptake::detect::Detector;
use uptake::records::{Document, RawDoc};

/// Records handled at a time.
const BATCH: usize = 1_000;

/// CPU time of the calling thread, in seconds.
pub fn thread_cpu_secs() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// Wall and CPU seconds of some work, and what it went over.
#[derive(Default, Clone, Copy, Debug)]
pub struct Timed {
    pub secs: f64,
    pub cpu: f64,
    pub bytes: u64,
    pub records: u64,
}

impl Timed {
    fn time<T>(&mut self, records: usize, bytes: u64, f: impl FnOnce() -> T) -> T {
        let (t, c) = (Instant::now(), thread_cpu_secs());
        let out = f();
        self.secs += t.elapsed().as_secs_f64();
        self.cpu += thread_cpu_secs() - c;
        self.bytes += bytes;
        self.records += records as u64;
        out
    }
}

/// What a pass gave.
#[derive(Default, Debug)]
pub struct Pass {
    /// Extraction of the HTML (WARC only): bytes are the HTML's.
    pub extract: Timed,
    /// The pre-filter: bytes are the text's.
    pub prefilter: Timed,
    /// The text's normalised words alone, the first part of the pre-filter's pass (same documents).
    pub words: Timed,
    /// The first pass of detection ([`uptake::detect::Pass::detect`], the pre-filter first), same documents.
    pub detect: Timed,
    /// Documents the first pass of detection found something in (a mention or a passage).
    pub found: u64,
    pub passed: u64,
    pub looks: [u64; 4],
    pub failed: u64,
}

impl Pass {
    fn look(&mut self, det: &Detector, detection: &uptake::detect::Pass, docs: &[Document]) {
        let bytes = docs.iter().map(|d| d.text.len() as u64).sum();
        let mut words = Vec::new();
        let n: usize = self.words.time(docs.len(), bytes, || {
            docs.iter()
                .map(|d| {
                    uptake::normalize::words_into(&d.text, &mut words);
                    words.len()
                })
                .sum()
        });
        std::hint::black_box(n);
        let looks: Vec<Look> = self.prefilter.time(docs.len(), bytes, || {
            docs.iter()
                .map(|d| det.prefilter_look(d).unwrap_or(Look::Nothing))
                .collect()
        });
        let found: u64 = self.detect.time(docs.len(), bytes, || {
            docs.iter()
                .map(|d| u64::from(!detection.detect(d).found_nothing()))
                .sum()
        });
        self.found += found;
        for l in looks {
            self.passed += l.passes() as u64;
            self.looks[match l {
                Look::Address => 0,
                Look::Seed => 1,
                Look::Name => 2,
                Look::Nothing => 3,
            }] += 1;
        }
    }

    /// The share of records passed, and by which look first.
    pub fn shares(&self) -> String {
        let all = self.looks.iter().sum::<u64>().max(1) as f64;
        let pct = |n: u64| 100.0 * n as f64 / all;
        format!(
            "{:.2}% passed (address {:.2}%, seeds {:.2}%, name {:.2}%)",
            pct(self.passed),
            pct(self.looks[0]),
            pct(self.looks[1]),
            pct(self.looks[2])
        )
    }
}

/// A page of HTML from a response record's block (HTTP head, blank line, body).
fn split_http(block: &[u8]) -> Option<&[u8]> {
    let at = block.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some(&block[at + 4..])
}

/// The pass over `files` (WET when `wet`, else WARC), stopping after `limit` documents.
pub fn pass(det: &Detector, files: &[std::path::PathBuf], wet: bool, limit: usize) -> Pass {
    let mut p = Pass::default();
    let detection = det.pass();
    let mut batch: Vec<(String, Vec<u8>)> = Vec::with_capacity(BATCH);
    let seen = std::cell::Cell::new(0usize);
    let want = if wet { "conversion" } else { "response" };
    let flush = |p: &mut Pass, batch: &mut Vec<(String, Vec<u8>)>| {
        let docs: Vec<Document> = if wet {
            batch
                .drain(..)
                .map(|(url, b)| Document::from_text(&url, String::from_utf8_lossy(&b).into_owned()))
                .collect()
        } else {
            let raws: Vec<RawDoc> = batch.drain(..).map(|(url, b)| raw(&url, b)).collect();
            let bytes = raws.iter().map(|r| r.bytes.len() as u64).sum();
            let docs: Vec<Option<Document>> = p.extract.time(raws.len(), bytes, || {
                raws.iter()
                    .map(|r| uptake::extract::extract(r).ok())
                    .collect()
            });
            p.failed += docs.iter().filter(|d| d.is_none()).count() as u64;
            docs.into_iter().flatten().collect()
        };
        p.look(det, &detection, &docs);
    };
    for f in files {
        if seen.get() >= limit {
            break;
        }
        read_records(
            f,
            |_, h, r: &mut dyn BufRead| {
                if h.record_type() != want || seen.get() >= limit {
                    return Ok(None);
                }
                let mut b = Vec::with_capacity(h.content_length as usize);
                r.read_to_end(&mut b)?;
                Ok(Some((h.target_uri().unwrap_or("").to_string(), b)))
            },
            |e| {
                if let Event::Record {
                    value: Some((url, b)),
                    ..
                } = e
                {
                    seen.set(seen.get() + 1);
                    let body = if wet {
                        b
                    } else {
                        split_http(&b).unwrap_or_default().to_vec()
                    };
                    batch.push((url, body));
                    if batch.len() == BATCH {
                        flush(&mut p, &mut batch);
                    }
                }
            },
        )
        .unwrap_or_else(|e| panic!("reading {}: {e}", f.display()));
    }
    flush(&mut p, &mut batch);
    p
}

/// The reading alone: the WARC reader over `files` (each gzip member decompressed, each header parsed), the block
/// of each record of the pass's type (`conversion` when `wet`, else `response`) read out into one buffer, until
/// `limit` of them; the bytes are the blocks'.
pub fn read_alone(files: &[std::path::PathBuf], wet: bool, limit: usize) -> Timed {
    let want = if wet { "conversion" } else { "response" };
    let mut t = Timed::default();
    let mut buf = Vec::new();
    let (mut records, mut bytes) = (0usize, 0u64);
    t.time(0, 0, || {
        for f in files {
            let read = read_records(
                f,
                |_, h, r: &mut dyn BufRead| {
                    if records >= limit {
                        // the reader stops at an error of the block's reading: the rest is not read
                        return Err(std::io::Error::other("enough records"));
                    }
                    if h.record_type() != want {
                        return Ok(());
                    }
                    buf.clear();
                    r.read_to_end(&mut buf)?;
                    records += 1;
                    bytes += buf.len() as u64;
                    Ok(())
                },
                |_| {},
            );
            if records >= limit {
                break;
            }
            read.unwrap_or_else(|e| panic!("reading {}: {e}", f.display()));
        }
    });
    t.records = records as u64;
    t.bytes = bytes;
    t
}

/// A fetched HTML page, as a `warc` source hands it to extraction.
fn raw(url: &str, bytes: Vec<u8>) -> RawDoc {
    RawDoc {
        source: "cc".into(),
        key: url.to_string(),
        url: url.to_string(),
        location: url.to_string(),
        bytes,
        content_type_hint: Some("text/html".into()),
        overrides: Default::default(),
        linked_from: None,
        other_urls: Vec::new(),
        fallback_date: None,
        found_by: None,
        warc: None,
    }
}

/// The detector of the generated catalogue with the default settings, as `uptake run` builds it.
pub fn detector(dir: &Path) -> Detector {
    let catalogue = dir.join("catalogue.toml");
    let outputs =
        uptake::config::load_catalogue(&catalogue).expect("the generated catalogue loads");
    let texts: Vec<(String, String)> = outputs
        .iter()
        .filter_map(|o| {
            let t =
                std::fs::read_to_string(dir.join("outputs").join(format!("{}.txt", o.id))).ok()?;
            Some((o.id.clone(), t))
        })
        .collect();
    Detector::with_vocabulary(
        &outputs,
        &texts,
        &uptake::config::DetectConfig::default(),
        uptake::config::load_vocabulary(&catalogue).expect("the vocabulary loads"),
    )
}
