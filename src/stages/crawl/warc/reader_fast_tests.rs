//! The reader's fast path (a whole gzip member decompressed in one call) against the stream it falls back to, on
//! files generated here: every record's bytes and position the same both ways and as written, members larger
//! than the window or the output buffer read as a stream, and damaged, cut or wrongly checksummed members found
//! by the stream exactly as before.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::{Compression, GzBuilder};

use super::reader::{
    read_record_at, read_records_with, Event, FastLimits, InflateCounts, RecordPos,
};

/// Limits small enough for the generated files to need the stream for some members.
const TINY: FastLimits = FastLimits {
    ahead_bytes: 2 * 1024,
    window_max_bytes: 48 * 1024,
    out_start_bytes: 1024,
    out_max_bytes: 96 * 1024,
};

/// One record: its bytes (with the two line ends after its block), and its block.
fn record(id: usize, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://site{id}.example/page\r\n\
         WARC-Date: 2024-02-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{id:08x}-0000-0000-0000-000000000000>\r\n\
         Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// Invented text of `len` bytes, compressible like a page's text.
fn text(rng: &mut fastrand::Rng, len: usize) -> Vec<u8> {
    const WORDS: [&str; 16] = [
        "forum",
        "access",
        "gender",
        "policy",
        "network",
        "report",
        "the",
        "of",
        "and",
        "local",
        "community",
        "digital",
        "rights",
        "internet",
        "practice",
        "best",
    ];
    let mut t = Vec::with_capacity(len + 16);
    while t.len() < len {
        t.extend_from_slice(WORDS[rng.usize(..WORDS.len())].as_bytes());
        t.push(if rng.u8(..) < 20 { b'\n' } else { b' ' });
        if rng.u8(..) < 3 {
            // a few bytes that do not compress
            t.extend((0..rng.usize(1..40)).map(|_| rng.u8(..)));
        }
    }
    t.truncate(len);
    t
}

/// A gzip member of `bytes`, at one of several levels, some with a file name or comment in its header.
fn member(rng: &mut fastrand::Rng, bytes: &[u8]) -> Vec<u8> {
    let level = [
        Compression::none(),
        Compression::fast(),
        Compression::default(),
        Compression::best(),
    ][rng.usize(..4)];
    let mut b = GzBuilder::new();
    match rng.u8(..4) {
        0 => b = b.filename("part.warc"),
        1 => b = b.comment("made for a test").extra(vec![7u8; 9]),
        _ => {}
    }
    let mut e = b.write(Vec::new(), level);
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A generated file: its bytes, where each member starts and ends, and each record's position and block.
struct Generated {
    bytes: Vec<u8>,
    members: Vec<(usize, usize)>,
    records: Vec<(RecordPos, Vec<u8>)>,
    /// Decompressed bytes of each member.
    member_out: Vec<usize>,
}

/// `n` members of one to three records each, blocks mostly of a few kilobytes, some of 30 to 200 KB.
fn generate(seed: u64, n: usize) -> Generated {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut g = Generated {
        bytes: Vec::new(),
        members: Vec::new(),
        records: Vec::new(),
        member_out: Vec::new(),
    };
    let mut id = 0;
    for _ in 0..n {
        let mut plain = Vec::new();
        let offset = g.bytes.len() as u64;
        for _ in 0..[1, 1, 1, 1, 2, 3][rng.usize(..6)] {
            let len = if rng.u8(..) < 30 {
                rng.usize(30_000..200_000)
            } else {
                rng.usize(0..6_000)
            };
            let block = text(&mut rng, len);
            g.records.push((
                RecordPos {
                    offset,
                    skip: plain.len() as u64,
                },
                block.clone(),
            ));
            plain.extend_from_slice(&record(id, &block));
            id += 1;
        }
        let m = member(&mut rng, &plain);
        g.members.push((g.bytes.len(), g.bytes.len() + m.len()));
        g.member_out.push(plain.len());
        g.bytes.extend_from_slice(&m);
    }
    g
}

/// What reading gave: a record's position, its ID and its block, or a damaged record's position and reason.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Record(RecordPos, String, Vec<u8>),
    Corrupt(RecordPos, String),
}

/// Every event of `path` read with `fast` (none: as a stream); `prefix` reads only the first bytes of each
/// block (the rest is skipped), else the whole block is read.
fn read(path: &Path, fast: Option<FastLimits>, prefix: Option<u64>) -> (Vec<Seen>, InflateCounts) {
    let mut seen = Vec::new();
    let counts = read_records_with(
        path,
        fast,
        |_, _, block| {
            let mut v = Vec::new();
            match prefix {
                Some(n) => block.take(n).read_to_end(&mut v)?,
                None => block.read_to_end(&mut v)?,
            };
            Ok(v)
        },
        |e| {
            seen.push(match e {
                Event::Record { pos, header, value } => Seen::Record(
                    pos,
                    header.get("WARC-Record-ID").unwrap_or("").to_string(),
                    value,
                ),
                Event::Corrupt { pos, reason } => Seen::Corrupt(pos, reason),
            })
        },
    )
    .unwrap();
    (seen, counts)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Reads `path` whole with the default limits, with tiny ones and as a stream, whole blocks and prefixes; all
/// must give the same events. Gives them and the counts of the three ways.
fn same_every_way(path: &Path) -> (Vec<Seen>, [InflateCounts; 3]) {
    let (fast, c_fast) = read(path, Some(FastLimits::DEFAULT), None);
    let (tiny, c_tiny) = read(path, Some(TINY), None);
    let (stream, c_stream) = read(path, None, None);
    assert_eq!(
        fast,
        stream,
        "{}: whole members against the stream",
        path.display()
    );
    assert_eq!(
        tiny,
        stream,
        "{}: tiny limits against the stream",
        path.display()
    );
    assert_eq!(c_stream.whole, 0);
    for limits in [Some(FastLimits::DEFAULT), Some(TINY), None] {
        assert_eq!(
            read(path, limits, Some(10)).0,
            read(path, None, Some(10)).0,
            "{}: block prefixes with {limits:?}",
            path.display()
        );
    }
    (stream, [c_fast, c_tiny, c_stream])
}

fn seen_records(seen: &[Seen]) -> Vec<(RecordPos, Vec<u8>)> {
    seen.iter()
        .filter_map(|s| match s {
            Seen::Record(pos, _, block) => Some((*pos, block.clone())),
            Seen::Corrupt(..) => None,
        })
        .collect()
}

fn corrupt_at(seen: &[Seen]) -> Vec<u64> {
    seen.iter()
        .filter_map(|s| match s {
            Seen::Corrupt(pos, _) => Some(pos.offset),
            Seen::Record(..) => None,
        })
        .collect()
}

#[test]
fn generated_files_give_every_record_and_position_whole_or_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=4 {
        let g = generate(seed, 60);
        let path = write(dir.path(), &format!("g{seed}.warc.gz"), &g.bytes);
        let (seen, [fast, tiny, stream]) = same_every_way(&path);
        assert_eq!(seen_records(&seen), g.records, "seed {seed}: as written");
        let n = g.members.len() as u64;
        assert_eq!(
            fast,
            InflateCounts {
                whole: n,
                streamed: 0
            },
            "seed {seed}"
        );
        assert_eq!(
            stream,
            InflateCounts {
                whole: 0,
                streamed: n
            },
            "seed {seed}"
        );
        // under the tiny limits exactly the members over them are streamed: a member cut by the end of the
        // window is read whole once the window has grown
        let over = g
            .members
            .iter()
            .zip(&g.member_out)
            .filter(|((a, b), out)| b - a > TINY.window_max_bytes || **out > TINY.out_max_bytes)
            .count() as u64;
        assert!(
            over > 0 && over < n,
            "seed {seed}: {over} of {n} members over the tiny limits"
        );
        assert_eq!(
            tiny,
            InflateCounts {
                whole: n - over,
                streamed: over
            },
            "seed {seed}"
        );
        // what the fast path gives as positions opens the records again
        for (pos, block) in &g.records {
            let (_, again) = read_record_at(&path, *pos, 1 << 20).unwrap();
            assert_eq!(&again, block, "seed {seed}: record at {pos:?}");
        }
    }
}

/// A damaged file: its name, bytes, the offsets of its damaged members, and how far the members from an offset
/// on moved.
type Case = (&'static str, Vec<u8>, Vec<u64>, (u64, i64));

#[test]
fn damaged_cut_and_wrongly_checked_members_are_found_by_the_stream_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let g = generate(7, 24);
    let n = g.members.len();
    // a member of one record after good ones, within the tiny limits (so every way tries it whole first)
    let k = (n / 2..n - 1)
        .find(|&k| {
            let (a, b) = g.members[k];
            let records = g
                .records
                .iter()
                .filter(|(pos, _)| pos.offset == a as u64)
                .count();
            records == 1 && b - a <= TINY.window_max_bytes && g.member_out[k] <= TINY.out_max_bytes
        })
        .expect("a member of one small record");
    let (m_start, m_end) = g.members[k];
    let (last_start, last_end) = g.members[n - 1];
    let mut cases: Vec<Case> = Vec::new();
    // deflate data damaged in the middle of a member after good ones
    let mut b = g.bytes.clone();
    for i in (m_start + 20..m_end - 8).step_by(97) {
        b[i] ^= 0x5a;
    }
    cases.push(("damaged", b, vec![m_start as u64], (0, 0)));
    // a wrong CRC-32, then a wrong length, in a member's trailer: its data decompresses, only the check fails
    for (name, at) in [("crc", m_end - 8), ("isize", m_end - 3)] {
        let mut b = g.bytes.clone();
        b[at] ^= 0x01;
        cases.push((name, b, vec![m_start as u64], (0, 0)));
    }
    // the last member cut short, in its data and in its trailer
    for (name, cut) in [
        ("cut", (last_start + last_end) / 2),
        ("cut-trailer", last_end - 3),
    ] {
        cases.push((
            name,
            g.bytes[..cut].to_vec(),
            vec![last_start as u64],
            (0, 0),
        ));
    }
    // a member cut short in the middle of the file, the next member right after the cut
    let cut = (m_start + m_end) / 2;
    let mut b = g.bytes[..cut].to_vec();
    b.extend_from_slice(&g.bytes[m_end..]);
    let moved = (m_start as u64 + 1, cut as i64 - m_end as i64);
    cases.push(("cut-middle", b, vec![m_start as u64], moved));
    // bytes that are no gzip member after the last one, and between two
    let mut b = g.bytes.clone();
    b.extend_from_slice(&[0u8; 100]);
    cases.push(("trailing", b, vec![g.bytes.len() as u64], (0, 0)));
    let mut b = g.bytes[..m_end].to_vec();
    b.extend_from_slice(b"not a gzip member at all");
    b.extend_from_slice(&g.bytes[m_end..]);
    cases.push(("between", b, vec![m_end as u64], (m_end as u64, 24)));
    for (name, bytes, damaged, moved) in cases {
        let path = write(dir.path(), &format!("{name}.warc.gz"), &bytes);
        let (seen, [fast, tiny, _]) = same_every_way(&path);
        let corrupt = corrupt_at(&seen);
        assert!(
            !corrupt.is_empty() && corrupt.iter().all(|at| damaged.contains(at)),
            "{name}: {corrupt:?}"
        );
        if name == "crc" || name == "isize" {
            assert_eq!(corrupt, damaged, "{name}: the check fails once");
        }
        for counts in [fast, tiny] {
            assert!(
                counts.streamed >= 1,
                "{name}: the damaged member read as a stream ({counts:?})"
            );
        }
        assert!(
            fast.whole >= n as u64 - 2,
            "{name}: the good members read whole ({fast:?})"
        );
        // every record of every other member is there, at its place
        let good: Vec<_> = g
            .records
            .iter()
            .map(|(pos, block)| {
                let mut pos = *pos;
                if pos.offset >= moved.0 {
                    pos.offset = pos.offset.checked_add_signed(moved.1).unwrap();
                }
                (pos, block.clone())
            })
            .filter(|(pos, _)| !damaged.contains(&pos.offset))
            .collect();
        let got: Vec<_> = seen_records(&seen)
            .into_iter()
            .filter(|(pos, _)| !damaged.contains(&pos.offset))
            .collect();
        assert_eq!(got, good, "{name}");
        // the one-record member checked wrongly gives no record
        if ["damaged", "crc", "isize", "cut-middle"].contains(&name) {
            assert!(
                seen_records(&seen)
                    .iter()
                    .all(|(pos, _)| pos.offset != m_start as u64),
                "{name}"
            );
        }
    }
}

/// A gzip member written by hand with a header CRC (`FHCRC`), right or wrong.
fn member_with_header_crc(bytes: &[u8], right: bool) -> Vec<u8> {
    let mut m = vec![0x1f, 0x8b, 0x08, 0x02, 0, 0, 0, 0, 0, 0xff];
    let mut crc = flate2::Crc::new();
    crc.update(&m);
    let hcrc = (crc.sum() as u16) ^ u16::from(!right);
    m.extend_from_slice(&hcrc.to_le_bytes());
    let mut e = flate2::write::DeflateEncoder::new(m, Compression::default());
    e.write_all(bytes).unwrap();
    let mut m = e.finish().unwrap();
    let mut data_crc = flate2::Crc::new();
    data_crc.update(bytes);
    m.extend_from_slice(&data_crc.sum().to_le_bytes());
    m.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    m
}

#[test]
fn a_member_with_a_header_crc_is_read_as_a_stream_which_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(3);
    let blocks: Vec<Vec<u8>> = (0..3).map(|_| text(&mut rng, 2_000)).collect();
    for right in [true, false] {
        let parts = [
            member(&mut rng, &record(0, &blocks[0])),
            member_with_header_crc(&record(1, &blocks[1]), right),
            member(&mut rng, &record(2, &blocks[2])),
        ];
        let path = write(
            dir.path(),
            &format!("hcrc-{right}.warc.gz"),
            &parts.concat(),
        );
        let (seen, [fast, ..]) = same_every_way(&path);
        // a wrong one: the member after it is found by resyncing, which reads it as a stream
        let streamed = if right { 1 } else { 2 };
        assert_eq!(
            fast,
            InflateCounts {
                whole: 3 - streamed,
                streamed
            },
            "right: {right}"
        );
        let blocks_seen: Vec<_> = seen_records(&seen).into_iter().map(|(_, b)| b).collect();
        if right {
            assert_eq!(blocks_seen, blocks);
        } else {
            assert_eq!(corrupt_at(&seen), [parts[0].len() as u64]);
            assert_eq!(blocks_seen, [blocks[0].clone(), blocks[2].clone()]);
        }
    }
}

#[test]
fn one_member_for_the_whole_file_and_one_over_the_default_limits_are_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    // many records in one member, over the tiny limits
    let blocks: Vec<Vec<u8>> = (0..40).map(|i| text(&mut rng, 500 + i * 300)).collect();
    let plain: Vec<u8> = blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| record(i, b))
        .collect();
    let mut e = GzBuilder::new().write(Vec::new(), Compression::none());
    e.write_all(&plain).unwrap();
    let path = write(dir.path(), "one.warc.gz", &e.finish().unwrap());
    let (seen, [fast, tiny, _]) = same_every_way(&path);
    assert_eq!(
        fast,
        InflateCounts {
            whole: 1,
            streamed: 0
        }
    );
    assert_eq!(
        tiny,
        InflateCounts {
            whole: 0,
            streamed: 1
        }
    );
    let mut skip = 0;
    for (i, (pos, block)) in seen_records(&seen).into_iter().enumerate() {
        assert_eq!((pos, &block), (RecordPos { offset: 0, skip }, &blocks[i]));
        skip += record(i, &blocks[i]).len() as u64;
    }
    // a record of 17 MB between two small ones: over the default window and output buffer
    let big = text(&mut rng, 17 << 20);
    let parts = [
        member(&mut rng, &record(0, b"small before")),
        {
            let mut e = GzBuilder::new().write(Vec::new(), Compression::none());
            e.write_all(&record(1, &big)).unwrap();
            e.finish().unwrap()
        },
        member(&mut rng, &record(2, b"small after")),
    ];
    let path = write(dir.path(), "big.warc.gz", &parts.concat());
    let (seen, counts) = read(&path, Some(FastLimits::DEFAULT), None);
    assert_eq!(
        counts,
        InflateCounts {
            whole: 2,
            streamed: 1
        }
    );
    let blocks_seen: Vec<_> = seen_records(&seen).into_iter().map(|(_, b)| b).collect();
    assert_eq!(
        blocks_seen,
        [b"small before".to_vec(), big, b"small after".to_vec()]
    );
}
