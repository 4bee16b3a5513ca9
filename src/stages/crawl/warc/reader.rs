//! The WARC record reader: WARC/1.0 and WARC/1.1 records, one at a time, from a plain file or from a file
//! compressed record by record (a gzip member per record, as Common Crawl and every archiving crawler write them;
//! several records per member, or one member for the whole file, are read too). Memory is flat in the size of the
//! file and of a record: a block is handed to the caller as a stream limited to its `Content-Length`, and what the
//! caller leaves is skipped (decompressed and dropped, or passed over with a seek in a plain file).
//!
//! Each record comes with its [`RecordPos`]: the byte offset of its gzip member (or of the record, in a plain
//! file), which is what a CDX index gives and what [`read_record_at`] opens again. A damaged record is reported
//! with its position and the rest is read:
//! - a header that is not a WARC header, or a block whose length does not match what follows it (in a plain file,
//!   one that runs past the end of the file too): reading starts again one byte after the record's start and
//!   looks for the next `WARC/1.` at the start of a line (in a file compressed record by record this skips to
//!   the next member);
//! - a block cut short by the end of its gzip member: the next member is read;
//! - a gzip member that does not decompress (a bad header, damaged deflate data, a wrong checksum, a member cut
//!   short): reading starts again at the next gzip member header after the damaged one whose data decompresses
//!   to the start of a WARC record.
//!
//! A record must lie within one gzip member; one that runs past the end of its member is reported as cut short.
//!
//! A gzip member is decompressed whole in one call (libdeflate, [`super::inflate`]) when its compressed bytes fit
//! in a window of the file and its decompressed bytes in a buffer, both bounded ([`FastLimits`]); any other
//! member (larger, damaged, cut short, with a header CRC) is read as a stream (flate2) from its start, and only the
//! stream decides that a member is damaged, so what is reported and where reading resumes is the same either way.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;

use flate2::bufread::GzDecoder;

use super::inflate::{has_header_crc, GzipInflater, Inflated};
use file::Counting;
pub use header::Header;
use header::{read_header, HeaderError};

/// Longest WARC record header read (the version line and the named fields); a longer one is damaged.
pub const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// Bytes read from the file at once, and decompressed at once, when reading a file through.
const FILE_BUF_BYTES: usize = 128 * 1024;
const INFLATE_BUF_BYTES: usize = 256 * 1024;
/// The same when reading one record again (most are a few kilobytes).
const ONE_FILE_BUF_BYTES: usize = 16 * 1024;
const ONE_INFLATE_BUF_BYTES: usize = 32 * 1024;
/// The first bytes of a gzip member: the magic number and the deflate method.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// How far the fast path (a whole gzip member decompressed in one call) goes before the member is decompressed
/// as a stream instead: the compressed bytes kept buffered ahead, the most buffered for one member, and the
/// first and largest buffer for a member's decompressed bytes. Memory is flat: at most `window_max_bytes` plus
/// `out_max_bytes` per reader, whatever the sizes of the file and its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FastLimits {
    pub ahead_bytes: usize,
    pub window_max_bytes: usize,
    pub out_start_bytes: usize,
    pub out_max_bytes: usize,
}

impl FastLimits {
    /// A WARC record is a few kilobytes to a few megabytes; Common Crawl cuts its payloads at 1 MiB.
    pub(super) const DEFAULT: FastLimits = FastLimits {
        ahead_bytes: 1 << 20,
        window_max_bytes: 16 << 20,
        out_start_bytes: 1 << 20,
        out_max_bytes: 16 << 20,
    };
}

/// How many gzip members were decompressed whole in one call, and how many as a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct InflateCounts {
    pub whole: u64,
    pub streamed: u64,
}

/// Where a record starts: the byte offset in the file of the record (plain file) or of the gzip member holding
/// it, and the decompressed bytes before the record in that member (0 when each record has its own member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordPos {
    pub offset: u64,
    pub skip: u64,
}

/// What reading a file gives, record by record.
#[derive(Debug)]
pub enum Event<T> {
    /// A whole record and what the caller made of its block.
    Record {
        pos: RecordPos,
        header: Header,
        value: T,
    },
    /// A damaged record, skipped.
    Corrupt { pos: RecordPos, reason: String },
}

/// Whether a file starts like a gzip member.
pub fn is_gzip(path: &Path) -> io::Result<bool> {
    let mut head = [0u8; 3];
    let mut f = File::open(path)?;
    let n = read_full(&mut f, &mut head)?;
    Ok(n == 3 && head == GZIP_MAGIC)
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The decompressed bytes of a gzip file, one member at a time: reading returns nothing at the end of a member
/// until [`Stream::next_member`] starts the next.
struct Members {
    /// The current member's decoder when it is read as a stream, or else the file (when the whole member was
    /// decompressed at once, the file stands after it).
    dec: Option<GzDecoder<Counting>>,
    raw: Option<Counting>,
    /// The fast path's decompressor and limits; none when every member is read as a stream.
    fast: Option<(GzipInflater, FastLimits)>,
    counts: InflateCounts,
    /// Decompressed bytes, `buf[start..end]` not yet read: a piece of the stream, or the whole member.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Offset of the current member in the file.
    member: u64,
    /// Decompressed bytes of the current member consumed.
    within: u64,
}

impl Members {
    fn take_raw(&mut self) -> Counting {
        match self.dec.take() {
            Some(d) => d.into_inner(),
            None => self.raw.take().expect("a gzip stream holds its file"),
        }
    }

    /// Starts a member at the file's current position; false at the end of the file. The member is decompressed
    /// whole when `whole` and the fast path can, else as a stream.
    fn start_member(&mut self, whole: bool) -> io::Result<bool> {
        let mut raw = self.take_raw();
        self.start = 0;
        self.end = 0;
        self.within = 0;
        let started = match raw.fill_buf() {
            Err(e) => Err(e),
            Ok([]) => Ok(None),
            Ok(_) => {
                self.member = raw.pos;
                if whole {
                    self.inflate_whole(&mut raw).map(Some)
                } else {
                    Ok(Some(false))
                }
            }
        };
        match started {
            Ok(Some(false)) => {
                self.counts.streamed += 1;
                self.dec = Some(GzDecoder::new(raw));
                Ok(true)
            }
            Ok(Some(true)) => {
                self.counts.whole += 1;
                self.raw = Some(raw);
                Ok(true)
            }
            Ok(None) => {
                self.raw = Some(raw);
                Ok(false)
            }
            Err(e) => {
                self.raw = Some(raw);
                Err(e)
            }
        }
    }

    /// Decompresses the member at the file's position into `buf` in one call and moves the file past it. False,
    /// with the file where it was, when the member is not whole and good within the limits (cut short by the end
    /// of the file, damaged, larger than the limits, or with a header CRC): the stream reads it and says what
    /// is wrong.
    fn inflate_whole(&mut self, raw: &mut Counting) -> io::Result<bool> {
        let Some((inflater, limits)) = self.fast.as_mut() else {
            return Ok(false);
        };
        let mut want = limits.ahead_bytes;
        if self.buf.len() < limits.out_start_bytes {
            self.buf.resize(limits.out_start_bytes, 0);
        }
        loop {
            // twice the bytes ahead: each is moved to the buffer's front at most once
            let input = raw.ahead(want, 2 * limits.ahead_bytes)?;
            // the limits hold even where the buffers are larger
            let input = &input[..input.len().min(limits.window_max_bytes)];
            if has_header_crc(input) {
                return Ok(false);
            }
            let have = input.len();
            let room = self.buf.len().min(limits.out_max_bytes);
            match inflater.member(input, &mut self.buf[..room]) {
                Inflated::Member { read, written } => {
                    raw.consume(read);
                    self.end = written;
                    return Ok(true);
                }
                Inflated::OutputFull => {
                    if room >= limits.out_max_bytes {
                        return Ok(false);
                    }
                    self.buf.resize((room * 2).min(limits.out_max_bytes), 0);
                }
                // damaged, or cut by the end of the window: only more input tells them apart
                Inflated::Bad => {
                    if have >= limits.window_max_bytes {
                        return Ok(false);
                    }
                    want = (have * 2)
                        .max(limits.ahead_bytes)
                        .min(limits.window_max_bytes);
                    if raw.ahead(want, want)?.len() <= have {
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// Starts a member at `at`.
    fn start_member_at(&mut self, at: u64, whole: bool) -> io::Result<bool> {
        let mut raw = self.take_raw();
        raw.seek_to(at)?;
        self.raw = Some(raw);
        self.start_member(whole)
    }

    /// Whether the member starting at `at` decompresses to the start of a WARC record.
    fn starts_record_at(&mut self, at: u64) -> bool {
        // a stream: only the first bytes are wanted, and most candidates are not members
        if !matches!(self.start_member_at(at, false), Ok(true)) {
            return false;
        }
        while self.end < 5 {
            let Some(dec) = self.dec.as_mut() else {
                return false;
            };
            match dec.read(&mut self.buf[self.end..]) {
                Ok(0) | Err(_) => return false,
                Ok(n) => self.end += n,
            }
        }
        self.buf[..self.end].starts_with(b"WARC/")
    }

    /// Looks for the next member after `from` that decompresses to the start of a record; false when there is
    /// none.
    fn resync(&mut self, from: u64) -> io::Result<bool> {
        let mut at = from;
        loop {
            let Some(candidate) = self.find_magic(at)? else {
                let mut raw = self.take_raw();
                let len = raw.len;
                raw.seek_to(len)?;
                self.raw = Some(raw);
                self.start = 0;
                self.end = 0;
                return Ok(false);
            };
            if self.starts_record_at(candidate) {
                return Ok(true);
            }
            at = candidate + 1;
        }
    }

    /// The offset of the next gzip magic at or after `from`.
    fn find_magic(&mut self, from: u64) -> io::Result<Option<u64>> {
        let mut raw = self.take_raw();
        let found = find_bytes(&mut raw, from, &GZIP_MAGIC);
        self.raw = Some(raw);
        found
    }
}

/// The offset of the first `needle` at or after `from` in `raw`, reading forward from there.
fn find_bytes(raw: &mut Counting, from: u64, needle: &[u8]) -> io::Result<Option<u64>> {
    raw.seek_to(from)?;
    let mut carry: Vec<u8> = Vec::new();
    let mut base = from;
    let mut chunk = vec![0u8; FILE_BUF_BYTES];
    loop {
        let n = raw.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        let mut hay = std::mem::take(&mut carry);
        hay.extend_from_slice(&chunk[..n]);
        if let Some(i) = hay.windows(needle.len()).position(|w| w == needle) {
            return Ok(Some(base + i as u64));
        }
        let keep = (needle.len() - 1).min(hay.len());
        base += (hay.len() - keep) as u64;
        carry = hay[hay.len() - keep..].to_vec();
    }
}

impl Read for Members {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        file::read_from_buffer(self, out)
    }
}

impl BufRead for Members {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            if let Some(dec) = self.dec.as_mut() {
                self.end = dec.read(&mut self.buf)?;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }
    fn consume(&mut self, n: usize) {
        self.start += n;
        self.within += n as u64;
    }
}

/// The decompressed bytes of a WARC file, with the position of each.
enum Stream {
    Plain(Counting),
    Gzip(Box<Members>),
}

impl Stream {
    /// Opens `path` (gzip or plain, from its first bytes) positioned at its start; `one` when only one record
    /// will be read (smaller buffers, and members read as a stream: only the record's part of its member is
    /// decompressed).
    fn open(path: &Path, one: bool) -> io::Result<Stream> {
        Stream::open_with(path, one, (!one).then_some(FastLimits::DEFAULT))
    }

    /// [`Stream::open`] with the fast path's limits, or none to read every member as a stream.
    fn open_with(path: &Path, one: bool, fast: Option<FastLimits>) -> io::Result<Stream> {
        let (file_buf, inflate_buf) = if one {
            (ONE_FILE_BUF_BYTES, ONE_INFLATE_BUF_BYTES)
        } else {
            (FILE_BUF_BYTES, INFLATE_BUF_BYTES)
        };
        let mut raw = Counting::open(path, file_buf)?;
        let gzip = raw.fill_buf()?.starts_with(&GZIP_MAGIC);
        Ok(if gzip {
            let fast = match fast {
                Some(limits) => Some((GzipInflater::new()?, limits)),
                None => None,
            };
            let mut m = Members {
                dec: None,
                raw: Some(raw),
                fast,
                counts: InflateCounts::default(),
                buf: vec![0u8; inflate_buf],
                start: 0,
                end: 0,
                member: 0,
                within: 0,
            };
            m.start_member(true)?;
            Stream::Gzip(Box::new(m))
        } else {
            Stream::Plain(raw)
        })
    }

    /// The position of the next byte.
    fn pos(&self) -> RecordPos {
        match self {
            Stream::Plain(c) => RecordPos {
                offset: c.pos,
                skip: 0,
            },
            Stream::Gzip(m) => RecordPos {
                offset: m.member,
                skip: m.within,
            },
        }
    }

    fn is_gzip(&self) -> bool {
        matches!(self, Stream::Gzip(_))
    }

    fn counts(&self) -> InflateCounts {
        match self {
            Stream::Plain(_) => InflateCounts::default(),
            Stream::Gzip(m) => m.counts,
        }
    }

    /// At the end of a member, starts the next; false at the end of the file.
    fn next_member(&mut self) -> io::Result<bool> {
        match self {
            Stream::Plain(_) => Ok(false),
            Stream::Gzip(m) => m.start_member(true),
        }
    }

    /// Goes to `pos` (a member's start, then `pos.skip` decompressed bytes into it).
    fn seek_pos(&mut self, pos: RecordPos) -> io::Result<()> {
        match self {
            Stream::Plain(c) => c.seek_to(pos.offset + pos.skip),
            Stream::Gzip(m) => {
                m.start_member_at(pos.offset, true)?;
                let skipped = self.skip(pos.skip)?;
                if skipped < pos.skip {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the member ends before the record",
                    ));
                }
                Ok(())
            }
        }
    }

    /// Skips up to `n` bytes of the current member (a plain file: of the file); returns how many were there.
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        match self {
            Stream::Plain(c) => {
                let k = n.min(c.len.saturating_sub(c.pos));
                // a seek within the buffer keeps it; beyond, the next read fills it from the new place
                c.seek_to(c.pos + k)?;
                Ok(k)
            }
            Stream::Gzip(_) => {
                let mut done = 0;
                while done < n {
                    let avail = self.fill_buf()?.len() as u64;
                    if avail == 0 {
                        break;
                    }
                    let k = avail.min(n - done);
                    self.consume(k as usize);
                    done += k;
                }
                Ok(done)
            }
        }
    }

    /// After a damaged gzip member: the next member after `from` that starts a record.
    fn resync(&mut self, from: u64) -> io::Result<bool> {
        match self {
            Stream::Plain(_) => Ok(false),
            Stream::Gzip(m) => m.resync(from),
        }
    }

    /// Reads forward to the next `WARC/1.` at the start of a line, in this member, and goes there; false at the
    /// member's end. Only for damaged records: a byte at a time.
    fn find_record_start(&mut self) -> io::Result<bool> {
        const NEEDLE: &[u8] = b"\nWARC/1.";
        let mut matched = 0;
        loop {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let mut used = 0;
            for &b in buf {
                used += 1;
                if b == NEEDLE[matched] {
                    matched += 1;
                    if matched == NEEDLE.len() {
                        break;
                    }
                } else {
                    matched = usize::from(b == b'\n');
                }
            }
            self.consume(used);
            if matched == NEEDLE.len() {
                // back to the `W`
                let back = (NEEDLE.len() - 1) as u64;
                let mut at = self.pos();
                match self {
                    Stream::Plain(_) => at.offset -= back,
                    Stream::Gzip(_) => at.skip -= back,
                }
                self.seek_pos(at)?;
                return Ok(true);
            }
        }
    }
}

impl Read for Stream {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(c) => c.read(out),
            Stream::Gzip(m) => m.read(out),
        }
    }
}

impl BufRead for Stream {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Stream::Plain(c) => c.fill_buf(),
            Stream::Gzip(m) => m.fill_buf(),
        }
    }
    fn consume(&mut self, n: usize) {
        match self {
            Stream::Plain(c) => c.consume(n),
            Stream::Gzip(m) => m.consume(n),
        }
    }
}

/// Skips the line ends between records, going on to the next member where one ends; false at the end of the
/// file.
fn skip_to_next(s: &mut Stream) -> io::Result<bool> {
    loop {
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            if s.next_member()? {
                continue;
            }
            return Ok(false);
        }
        let n = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let all = n == buf.len();
        s.consume(n);
        if !all {
            return Ok(true);
        }
    }
}

/// After a block: the line ends, then the end of the member or file, or the next record. False when something
/// else follows (the block was not as long as its `Content-Length` said).
fn block_ends_well(s: &mut Stream) -> io::Result<bool> {
    loop {
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            return Ok(true);
        }
        let n = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if n == buf.len() {
            s.consume(n);
            continue;
        }
        let rest = &buf[n..];
        let ok = if rest.len() >= 5 {
            rest.starts_with(b"WARC/")
        } else {
            b"WARC/".starts_with(rest)
        };
        s.consume(n);
        return Ok(ok);
    }
}

/// Whether an I/O error of a gzip stream is damaged data (rather than the disk failing).
fn is_damage(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
    )
}

/// What went wrong with one record, and how reading goes on.
enum Damage {
    /// Start again one byte after the record, at the next record start.
    Rescan(String),
    /// The block was cut short at the end of its member or file: go on from here.
    GoOn(String),
    /// The gzip data is damaged: look for the next member after the current one's start.
    Resync(String),
}

/// Reads every record of `path` in order. `on_block` gets each record's header and its block (limited to its
/// `Content-Length`; what it leaves unread is skipped) and makes a value of it; `emit` gets each record with its
/// value once the record is known to be whole, and each damaged record. An error is returned only when the file
/// cannot be opened or read from the disk.
pub fn read_records<T>(
    path: &Path,
    on_block: impl FnMut(RecordPos, &Header, &mut dyn BufRead) -> io::Result<T>,
    emit: impl FnMut(Event<T>),
) -> io::Result<()> {
    read_records_with(path, Some(FastLimits::DEFAULT), on_block, emit).map(|_| ())
}

/// [`read_records`] with the fast path's limits (none: every member read as a stream); gives how the members
/// were decompressed.
pub(super) fn read_records_with<T>(
    path: &Path,
    fast: Option<FastLimits>,
    mut on_block: impl FnMut(RecordPos, &Header, &mut dyn BufRead) -> io::Result<T>,
    mut emit: impl FnMut(Event<T>),
) -> io::Result<InflateCounts> {
    let mut s = Stream::open_with(path, false, fast)?;
    loop {
        let at_record = match skip_to_next(&mut s) {
            Ok(b) => b,
            Err(e) if s.is_gzip() && is_damage(&e) => {
                let pos = RecordPos {
                    offset: s.pos().offset,
                    skip: 0,
                };
                emit(Event::Corrupt {
                    pos,
                    reason: format!("damaged gzip member: {e}"),
                });
                if s.resync(pos.offset + 1)? {
                    continue;
                }
                break;
            }
            Err(e) => return Err(e),
        };
        if !at_record {
            break;
        }
        let pos = s.pos();
        let damage = match read_header(&mut s) {
            Err(HeaderError::Bad(why)) => Damage::Rescan(format!("bad WARC header: {why}")),
            Err(HeaderError::Io(e)) if s.is_gzip() && is_damage(&e) => {
                Damage::Resync(format!("damaged gzip member: {e}"))
            }
            Err(HeaderError::Io(e)) => return Err(e),
            Ok(header) => {
                let len = header.content_length;
                let mut block = s.by_ref().take(len);
                let value = on_block(pos, &header, &mut block);
                let left = block.limit();
                let outcome = value.and_then(|v| {
                    let skipped = s.skip(left)?;
                    if skipped < left {
                        let why = format!(
                            "the block is cut short: {} of {len} bytes",
                            len - left + skipped
                        );
                        // a member ends where its record does; in a plain file, a Content-Length too large may
                        // have run over records that are whole
                        return Ok(Err(if s.is_gzip() {
                            Damage::GoOn(why)
                        } else {
                            Damage::Rescan(why)
                        }));
                    }
                    Ok(if block_ends_well(&mut s)? {
                        Ok(v)
                    } else {
                        Err(Damage::Rescan(format!(
                            "the block is not {len} bytes long, as its Content-Length says"
                        )))
                    })
                });
                match outcome {
                    Ok(Ok(value)) => {
                        emit(Event::Record { pos, header, value });
                        continue;
                    }
                    Ok(Err(d)) => d,
                    Err(e) if s.is_gzip() && is_damage(&e) => {
                        Damage::Resync(format!("damaged gzip member: {e}"))
                    }
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                        Damage::GoOn(format!("the block is cut short: {e}"))
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        match damage {
            Damage::GoOn(reason) => emit(Event::Corrupt { pos, reason }),
            Damage::Rescan(reason) => {
                emit(Event::Corrupt { pos, reason });
                let rescanned = s.seek_pos(pos).and_then(|()| {
                    s.skip(1)?;
                    s.find_record_start()
                });
                match rescanned {
                    Ok(_) => {}
                    Err(e) if s.is_gzip() && is_damage(&e) => {
                        if !s.resync(pos.offset + 1)? {
                            break;
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Damage::Resync(reason) => {
                emit(Event::Corrupt { pos, reason });
                if !s.resync(pos.offset + 1)? {
                    break;
                }
            }
        }
    }
    Ok(s.counts())
}

/// Reads the record at `pos` of `path`: its header and its whole block, which must be at most `max_bytes`.
pub fn read_record_at(
    path: &Path,
    pos: RecordPos,
    max_bytes: u64,
) -> Result<(Header, Vec<u8>), String> {
    let mut s = Stream::open(path, true).map_err(|e| format!("cannot open: {e}"))?;
    s.seek_pos(pos)
        .map_err(|e| format!("cannot reach the record: {e}"))?;
    match skip_to_next(&mut s) {
        Ok(true) => {}
        Ok(false) => return Err("no record here (the file is shorter than it was)".into()),
        Err(e) => return Err(format!("cannot read the record: {e}")),
    }
    let header = match read_header(&mut s) {
        Ok(h) => h,
        Err(HeaderError::Bad(why)) => return Err(format!("bad WARC header: {why}")),
        Err(HeaderError::Io(e)) => return Err(format!("cannot read the record: {e}")),
    };
    if header.content_length > max_bytes {
        return Err(format!(
            "the record's block of {} bytes is over max_record_bytes = {max_bytes}",
            header.content_length
        ));
    }
    let mut block = Vec::with_capacity(header.content_length as usize);
    s.by_ref()
        .take(header.content_length)
        .read_to_end(&mut block)
        .map_err(|e| format!("cannot read the record: {e}"))?;
    if (block.len() as u64) < header.content_length {
        return Err(format!(
            "the block is cut short: {} of {} bytes",
            block.len(),
            header.content_length
        ));
    }
    Ok((header, block))
}

#[path = "reader_file.rs"]
mod file;
#[path = "reader_header.rs"]
mod header;
