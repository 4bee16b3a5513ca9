//! A WARC record's header: the version line and the named fields, read from the record stream with a bounded
//! length. A header that lies whole in the stream's buffer is parsed in place into one string; anything unusual
//! (a header across the buffer's end, a bad line) is read line by line, which gives every error.

use std::io::{self, BufRead, Read};

use super::{Stream, MAX_HEADER_BYTES};

/// A record's header: the version and the named fields, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    /// `1.0` or `1.1` (what follows `WARC/`).
    pub version: String,
    /// The fields' names and values, one after another (one string for the header, not two a field).
    text: String,
    /// Each field as byte offsets into `text`: where its name starts, where its value starts (the name's end),
    /// and where the value ends.
    fields: Vec<(usize, usize, usize)>,
    /// Bytes in the block.
    pub content_length: u64,
}

impl Header {
    /// The value of a field (names compare without case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(from, value, _)| self.text[*from..*value].eq_ignore_ascii_case(name))
            .map(|(_, value, to)| &self.text[*value..*to])
    }

    /// Adds a field.
    fn push_field(&mut self, name: &str, value: &str) {
        let from = self.text.len();
        self.text.push_str(name);
        let at = self.text.len();
        self.text.push_str(value);
        self.fields.push((from, at, self.text.len()));
    }

    /// Continues the last field's value with a space and `more`; false when there is no field yet.
    fn continue_field(&mut self, more: &str) -> bool {
        let Some(last) = self.fields.last_mut() else {
            return false;
        };
        // the last field's value ends the text
        self.text.push(' ');
        self.text.push_str(more);
        last.2 = self.text.len();
        true
    }

    /// `WARC-Type`, lower-cased.
    pub fn record_type(&self) -> String {
        self.get("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }

    /// `WARC-Target-URI` without the angle brackets WARC 1.0's grammar put around it.
    pub fn target_uri(&self) -> Option<&str> {
        let v = self.get("WARC-Target-URI")?.trim();
        let v = v
            .strip_prefix('<')
            .and_then(|v| v.strip_suffix('>'))
            .unwrap_or(v);
        Some(v).filter(|v| !v.is_empty())
    }
}

/// Why a header could not be read.
pub(super) enum HeaderError {
    /// The bytes are not a WARC header.
    Bad(String),
    /// The stream failed (damaged gzip data, or the disk).
    Io(io::Error),
}

impl From<io::Error> for HeaderError {
    fn from(e: io::Error) -> Self {
        HeaderError::Io(e)
    }
}

/// One line of at most `left` bytes (`left` is lowered by what was read), without its line end; `None` at the
/// end of the stream.
fn read_line(s: &mut Stream, left: &mut u64) -> Result<Option<String>, HeaderError> {
    let mut line = Vec::new();
    let n = s.by_ref().take(*left).read_until(b'\n', &mut line)?;
    *left -= n as u64;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(HeaderError::Bad(if *left == 0 {
            format!("the header is longer than {MAX_HEADER_BYTES} bytes")
        } else {
            "the header is cut short".into()
        }));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Reads a record header at the stream's position.
pub(super) fn read_header(s: &mut Stream) -> Result<Header, HeaderError> {
    if let Some(header) = header_in_buffer(s)? {
        return Ok(header);
    }
    read_header_by_lines(s)
}

/// [`read_header`] a line at a time, through the stream's buffer and past it.
pub(super) fn read_header_by_lines(s: &mut Stream) -> Result<Header, HeaderError> {
    let mut left = MAX_HEADER_BYTES;
    let first = read_line(s, &mut left)?.unwrap_or_default();
    let Some(version) = first.strip_prefix("WARC/") else {
        let shown: String = first.chars().take(40).collect();
        return Err(HeaderError::Bad(format!(
            "expected a WARC/1.0 or WARC/1.1 line, found {shown:?}"
        )));
    };
    let version = version.trim().to_string();
    if !version_is_1(&version) {
        return Err(HeaderError::Bad(format!(
            "WARC version {version:?} is not 1.0 or 1.1"
        )));
    }
    let mut header = Header {
        version,
        ..Header::default()
    };
    loop {
        let Some(line) = read_line(s, &mut left)? else {
            return Err(HeaderError::Bad("the header is cut short".into()));
        };
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if !header.continue_field(line.trim()) {
                return Err(HeaderError::Bad(
                    "a continuation line opens the header".into(),
                ));
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            let shown: String = line.chars().take(40).collect();
            return Err(HeaderError::Bad(format!(
                "header line {shown:?} has no ':'"
            )));
        };
        let name = name.trim();
        if !good_field_name(name) {
            return Err(HeaderError::Bad(format!("bad field name {name:?}")));
        }
        header.push_field(name, value.trim());
    }
    header.content_length = match header
        .get("Content-Length")
        .map(|v| v.trim().parse::<u64>())
    {
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return Err(HeaderError::Bad(format!(
                "Content-Length {:?} is not a number",
                header.get("Content-Length").unwrap_or_default()
            )))
        }
        None => return Err(HeaderError::Bad("no Content-Length".into())),
    };
    Ok(header)
}

fn version_is_1(version: &str) -> bool {
    version.starts_with("1.") || version == "1"
}

fn good_field_name(name: &str) -> bool {
    !name.is_empty() && !name.contains([' ', '\t'])
}

/// The header at the stream's position when all of it is in the stream's buffer and it is plain (UTF-8, no
/// continuation line, every line a field, a Content-Length that is a number): what the line by line reading of
/// [`read_header`] would give, read in place and consumed. `None` leaves the stream as it was, for that reading
/// (which also gives every error).
pub(super) fn header_in_buffer(s: &mut Stream) -> io::Result<Option<Header>> {
    let buf = s.fill_buf()?;
    // the header must end within the bytes the line by line reading allows
    let buf = &buf[..buf.len().min(MAX_HEADER_BYTES as usize)];
    // most headers are a few hundred bytes in ten fields or so
    let mut header = Header {
        text: String::with_capacity(buf.len().min(1024)),
        fields: Vec::with_capacity(16),
        ..Header::default()
    };
    let mut at = 0;
    let mut first = true;
    let end = loop {
        let Some(n) = memchr::memchr(b'\n', &buf[at..]) else {
            return Ok(None);
        };
        let mut line = &buf[at..at + n];
        at += n + 1;
        while let [rest @ .., b'\r'] = line {
            line = rest;
        }
        let Ok(line) = std::str::from_utf8(line) else {
            return Ok(None);
        };
        if first {
            first = false;
            match line.strip_prefix("WARC/").map(str::trim) {
                Some(v) if version_is_1(v) => header.version = v.to_string(),
                _ => return Ok(None),
            }
            continue;
        }
        if line.is_empty() {
            break at;
        }
        if line.starts_with([' ', '\t']) {
            return Ok(None);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Ok(None);
        };
        let name = name.trim();
        if !good_field_name(name) {
            return Ok(None);
        }
        header.push_field(name, value.trim());
    };
    match header
        .get("Content-Length")
        .map(|v| v.trim().parse::<u64>())
    {
        Some(Ok(n)) => header.content_length = n,
        _ => return Ok(None),
    }
    s.consume(end);
    Ok(Some(header))
}

#[cfg(test)]
#[path = "reader_header_tests.rs"]
mod tests;
