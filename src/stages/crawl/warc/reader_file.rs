//! The file under the WARC reader: read through one buffer that knows the offset of its next byte and can hold a
//! window of the bytes ahead (a few megabytes, for the whole gzip member the fast path decompresses in one call).
//! A seek that lands within the buffer keeps it.

use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom};
use std::path::Path;

/// A buffered file that knows the offset of the next byte.
pub(super) struct Counting {
    file: File,
    /// `buf[start..end]` are the bytes from `pos` on; the file's own cursor is at the offset of `buf[end]`.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The offset of the next byte.
    pub(super) pos: u64,
    /// The file's length when it was opened.
    pub(super) len: u64,
    /// A read at the file's cursor gave nothing: the buffer holds the file up to its end.
    eof: bool,
}

impl Counting {
    pub(super) fn open(path: &Path, buf_bytes: usize) -> io::Result<Counting> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Counting {
            file,
            buf: vec![0u8; buf_bytes.max(1)],
            start: 0,
            end: 0,
            pos: 0,
            len,
            eof: false,
        })
    }

    pub(super) fn seek_to(&mut self, at: u64) -> io::Result<()> {
        let base = self.pos - self.start as u64;
        if at >= base && at <= base + self.end as u64 {
            self.start = (at - base) as usize;
        } else {
            self.file.seek(SeekFrom::Start(at))?;
            self.start = 0;
            self.end = 0;
            self.eof = false;
        }
        self.pos = at;
        Ok(())
    }

    /// The bytes from the next one on, at least `want` of them unless the file ends first. When fewer are
    /// buffered, the buffer is topped up to its size, first grown to `size` (at least `want`) when it is
    /// smaller; what is buffered moves to its front only when the room after it is less than `want`, so with a
    /// `size` of twice `want` a byte is moved at most once.
    pub(super) fn ahead(&mut self, want: usize, size: usize) -> io::Result<&[u8]> {
        if self.end - self.start < want && !self.eof {
            if self.buf.len() - self.start < want {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let size = size.max(want);
            if self.buf.len() < size {
                self.buf.resize(size, 0);
            }
            while self.end < self.buf.len() {
                match self.file.read(&mut self.buf[self.end..]) {
                    Ok(0) => {
                        self.eof = true;
                        break;
                    }
                    Ok(n) => self.end += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.start..self.end])
    }
}

/// `Read::read` of a reader through its own buffer: what [`BufRead::fill_buf`] holds, as much as `out` takes.
pub(super) fn read_from_buffer(r: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let avail = r.fill_buf()?;
    let n = avail.len().min(out.len());
    out[..n].copy_from_slice(&avail[..n]);
    r.consume(n);
    Ok(n)
}

impl Read for Counting {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_from_buffer(self, out)
    }
}

impl BufRead for Counting {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            if !self.eof {
                loop {
                    match self.file.read(&mut self.buf) {
                        Ok(n) => {
                            self.end = n;
                            self.eof = n == 0;
                            break;
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.pos += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_grows_tops_up_and_seeks_within_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let mut c = Counting::open(&path, 100).unwrap();
        assert_eq!(c.fill_buf().unwrap(), &bytes[..100]);
        c.consume(60);
        assert_eq!(c.ahead(30, 0).unwrap(), &bytes[60..100], "enough buffered");
        assert_eq!(
            c.ahead(70, 0).unwrap(),
            &bytes[60..160],
            "moved to the front, topped up"
        );
        assert_eq!(c.ahead(500, 0).unwrap(), &bytes[60..560], "grown");
        c.consume(100);
        assert_eq!(
            c.ahead(450, 1000).unwrap(),
            &bytes[160..1160],
            "moved and grown to the size asked"
        );
        c.consume(300);
        assert_eq!(
            c.ahead(500, 1000).unwrap(),
            &bytes[460..1160],
            "enough buffered"
        );
        c.consume(300);
        assert_eq!(
            c.ahead(500, 1000).unwrap(),
            &bytes[760..1760],
            "moved, topped up"
        );
        c.seek_to(770).unwrap();
        assert_eq!((c.pos, c.fill_buf().unwrap()), (770, &bytes[770..1760]));
        c.seek_to(9_990).unwrap();
        assert_eq!(
            c.ahead(500, 0).unwrap(),
            &bytes[9_990..],
            "the file ends first"
        );
        let mut rest = Vec::new();
        c.read_to_end(&mut rest).unwrap();
        assert_eq!((rest.as_slice(), c.pos), (&bytes[9_990..], 10_000));
        c.seek_to(0).unwrap();
        let mut all = Vec::new();
        c.read_to_end(&mut all).unwrap();
        assert_eq!(all, bytes);
    }
}
