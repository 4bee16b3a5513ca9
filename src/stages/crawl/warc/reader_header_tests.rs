//! The header read in the stream's buffer against the header read line by line.

use super::super::RecordPos;
use super::*;

/// What reading a header gave: the header or the error, and where the stream stood after.
fn outcome(r: Result<Header, HeaderError>, s: &Stream) -> (Result<Header, String>, RecordPos) {
    let r = r.map_err(|e| match e {
        HeaderError::Bad(why) => why,
        HeaderError::Io(e) => format!("io: {e}"),
    });
    (r, s.pos())
}

#[test]
fn headers_read_in_the_buffer_are_what_reading_line_by_line_gives() {
    const LINES: [&[u8]; 22] = [
        b"WARC-Type: conversion",
        b"WARC-Target-URI: https://example.org/a",
        b"warc-target-uri:<https://example.org/b>",
        b"Content-Length: 12",
        b"content-length:  7 ",
        b"Content-Length: x",
        b"Content-Type: text/plain",
        b"  continued value",
        b"\tcontinued",
        b"no colon here",
        b"bad name: value",
        b": empty name",
        b"WARC-Date: 2026-11-14T00:00:00Z",
        b"X-Caf\xc3\xa9: \xc3\xa9t\xc3\xa9",
        b"X-Bad: \xff\xfe",
        b"X-Wide:\xe2\x80\x83spaced\xe2\x80\x83",
        b"",
        b"\r",
        b"WARC/1.0",
        b"WARC/1.1",
        b"WARC/2.0",
        b" WARC/1.0",
    ];
    const ENDS: [&[u8]; 4] = [b"\r\n", b"\n", b"\r\r\n", b"\n"];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("headers.warc");
    let mut rng = fastrand::Rng::with_seed(2026);
    let (mut read, mut same) = (0, 0);
    for _ in 0..2_000 {
        let mut bytes = Vec::new();
        if rng.u8(..8) != 0 {
            bytes.extend_from_slice(if rng.bool() { b"WARC/1.0" } else { b"WARC/1.1" });
            bytes.extend_from_slice(ENDS[rng.usize(..ENDS.len())]);
        }
        for _ in 0..rng.usize(..8) {
            bytes.extend_from_slice(LINES[rng.usize(..LINES.len())]);
            bytes.extend_from_slice(ENDS[rng.usize(..ENDS.len())]);
        }
        if rng.u8(..4) != 0 {
            bytes.extend_from_slice(b"Content-Length: 3\r\n\r\nabc\r\n\r\n");
        }
        std::fs::write(&path, &bytes).unwrap();
        let mut a = Stream::open(&path, false).unwrap();
        let mut b = Stream::open(&path, false).unwrap();
        let fast = outcome(read_header(&mut a), &a);
        let lines = outcome(read_header_by_lines(&mut b), &b);
        read += usize::from(fast.0.is_ok());
        same += usize::from(
            header_in_buffer(&mut Stream::open(&path, false).unwrap())
                .unwrap()
                .is_some(),
        );
        assert_eq!(fast, lines, "{:?}", String::from_utf8_lossy(&bytes));
    }
    assert!(
        read > 200 && same > 100,
        "headers read: {read}, in the buffer: {same}"
    );
}
