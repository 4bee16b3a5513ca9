//! PDF extraction: text through pdf-extract and the Info dictionary (title, author, creation date) through lopdf.
//! A PDF that makes either library fail or panic becomes an error naming the file, never a crash.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::dates::parse_date;
use super::{ExtractError, Extracted};
use crate::records::{ContentKind, Dated};
use crate::textutil::urls_in_text;

/// Largest decompressed stream that is not an image (page contents, forms, fonts, metadata), in bytes.
pub const MAX_PDF_STREAM_BYTES: u64 = 32 << 20;
/// Largest total of those streams in one PDF, in bytes.
pub const MAX_PDF_STREAMS_TOTAL_BYTES: u64 = 128 << 20;

/// Refuses decompression bombs before any library inflates them: every Flate stream that is not an image is
/// inflated once into a counter (never into memory), up to the limits above. Images are not inflated by text
/// extraction, so they are not counted.
fn check_streams(doc: &lopdf::Document) -> Result<(), String> {
    use lopdf::Object;
    let mut total = 0u64;
    for (id, obj) in &doc.objects {
        let Object::Stream(st) = obj else { continue };
        let flate = match st.dict.get(b"Filter") {
            Ok(Object::Name(n)) => n == b"FlateDecode",
            Ok(Object::Array(a)) => a
                .first()
                .is_some_and(|f| matches!(f, Object::Name(n) if n == b"FlateDecode")),
            _ => false,
        };
        let image = matches!(st.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image");
        if !flate || image {
            continue;
        }
        let n = inflated_len(&st.content, MAX_PDF_STREAM_BYTES + 1);
        if n > MAX_PDF_STREAM_BYTES {
            return Err(format!(
                "refused: stream {} {} decompresses to more than {} MB (a decompression bomb?)",
                id.0,
                id.1,
                MAX_PDF_STREAM_BYTES >> 20
            ));
        }
        total += n;
        if total > MAX_PDF_STREAMS_TOTAL_BYTES {
            return Err(format!(
                "refused: its streams decompress to more than {} MB in all (a decompression bomb?)",
                MAX_PDF_STREAMS_TOTAL_BYTES >> 20
            ));
        }
    }
    Ok(())
}

/// Bytes that `data` inflates to, counted up to `cap` (a damaged stream counts what inflated before the damage).
fn inflated_len(data: &[u8], cap: u64) -> u64 {
    use std::io::Read;
    let mut d = flate2::read::ZlibDecoder::new(data).take(cap);
    let mut buf = [0u8; 64 * 1024];
    let mut n = 0u64;
    while let Ok(k) = d.read(&mut buf) {
        if k == 0 {
            break;
        }
        n += k as u64;
    }
    n
}

/// Extracts text and Info metadata from PDF bytes.
pub fn extract_pdf(bytes: &[u8], location: &str) -> Result<Extracted, ExtractError> {
    let err = |message: String| ExtractError::Pdf {
        location: location.to_string(),
        message,
    };
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<(String, Info), String> {
        let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
        if doc.is_encrypted() {
            doc.decrypt("").map_err(|e| format!("encrypted: {e}"))?;
        }
        check_streams(&doc)?;
        let info = read_info(&doc);
        let mut text = String::new();
        {
            let mut out = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc(&doc, &mut out).map_err(|e| e.to_string())?;
        }
        Ok((text, info))
    }));
    let (raw_text, info) = match result {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return Err(err(e)),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            return Err(err(format!("the PDF extractor panicked: {msg}")));
        }
    };
    let text = tidy_pdf_text(&raw_text);
    let links = urls_in_text(&text);
    let published = info
        .created
        .as_deref()
        .and_then(|c| {
            parse_date(c).map(|(date, precision)| Dated {
                date,
                precision,
                from: "pdf:CreationDate".into(),
            })
        })
        .or_else(|| {
            info.xmp_date.as_deref().and_then(|c| {
                parse_date(c).map(|(date, precision)| Dated {
                    date,
                    precision,
                    from: "pdf:xmp".into(),
                })
            })
        });
    Ok(Extracted {
        text,
        links,
        title: info.title,
        publisher: info.author,
        published,
        content_type: ContentKind::Pdf,
    })
}

#[derive(Debug, Default)]
struct Info {
    title: Option<String>,
    author: Option<String>,
    created: Option<String>,
    /// `xmp:CreateDate`, else `dc:date`, of the catalog's XMP metadata stream.
    xmp_date: Option<String>,
}

/// The creation date in the document's XMP metadata (element or attribute form).
fn xmp_date(doc: &lopdf::Document) -> Option<String> {
    let catalog = doc.catalog().ok()?;
    let id = catalog.get(b"Metadata").ok()?.as_reference().ok()?;
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let xml = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 20)]).into_owned();
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r#"(?s)xmp:CreateDate(?:>\s*|\s*=\s*")([0-9][0-9T:.+\-Z]{3,40})|dc:date>.*?(?:<rdf:li>)?\s*([0-9][0-9T:.+\-Z]{3,40})"#,
        )
        .expect("a valid pattern")
    });
    let c = re.captures(&xml)?;
    c.get(1)
        .or_else(|| c.get(2))
        .map(|m| m.as_str().to_string())
}

fn read_info(doc: &lopdf::Document) -> Info {
    let dict = match doc.trailer.get(b"Info") {
        Ok(lopdf::Object::Reference(id)) => doc.get_object(*id).and_then(|o| o.as_dict()).ok(),
        Ok(lopdf::Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let xmp = xmp_date(doc);
    let Some(dict) = dict else {
        return Info {
            xmp_date: xmp,
            ..Info::default()
        };
    };
    let get = |key: &[u8]| match dict.get(key) {
        Ok(lopdf::Object::String(bytes, _)) => {
            Some(pdf_string(bytes)).filter(|s| !s.trim().is_empty())
        }
        _ => None,
    };
    Info {
        title: get(b"Title"),
        author: get(b"Author"),
        created: get(b"CreationDate"),
        xmp_date: xmp,
    }
}

/// Decodes a PDF text string: UTF-16BE with a BOM, UTF-8 with a BOM, else PDFDocEncoding (read as Latin-1).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units).trim().to_string();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).trim().to_string();
    }
    bytes
        .iter()
        .map(|&b| b as char)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Normalises pdf-extract's output: line endings, trailing spaces, runs of blank lines.
fn tidy_pdf_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}
