//! The previous run's extractions: a document whose body and metadata, the uptake binary and the publisher
//! registry are all unchanged since the last run is taken as that run left it (text and links), not extracted
//! again.

use std::collections::HashMap;
use std::path::Path;

use crate::config::Config;
use crate::load;
use crate::records::{Document, Link, RawDoc};
use crate::store::Store;

use super::intake::for_each_doc_links;

/// Documents the previous run in `out_dir` extracted, by extraction key: a body whose bytes and metadata, the
/// uptake binary and the publisher registry are all unchanged is taken as it was, not extracted again. Their
/// links wait compressed, a document's in one block (a re-run of a large site would otherwise hold every link's
/// URL twice).
pub struct Previous {
    by_key: HashMap<String, Document>,
    links: HashMap<String, Vec<u8>>,
    store: Store,
}

impl Previous {
    /// The previous run's documents; none when there are none or they cannot be read.
    pub fn load(out_dir: &Path) -> Previous {
        let store = Store::new(out_dir);
        let mut links = HashMap::new();
        let docs = if store.has_table("documents") && store.has_table("links") {
            load::read_document_records(out_dir)
                .and_then(|d| {
                    for_each_doc_links(&store, |id, l| {
                        links.insert(id, pack(&l));
                    })
                    .map(|()| d)
                })
                .unwrap_or_else(|e| {
                    tracing::debug!("previous documents not reused: {e}");
                    Vec::new()
                })
        } else {
            Vec::new()
        };
        Previous {
            by_key: docs
                .into_iter()
                .filter_map(|d| Some((d.extract_key.clone()?, d)))
                .collect(),
            links,
            store,
        }
    }

    /// Whether there is no document to take (no previous run, or none that can be read).
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The document extracted under `key`, with its text and links, if both are still there.
    pub fn take(&self, key: &str) -> Option<Document> {
        let d = self.by_key.get(key)?;
        let text = self.store.doc_text(&d.doc_id).ok()?;
        let links = match self.links.get(&d.doc_id) {
            Some(packed) => unpack(packed)?,
            None => Vec::new(),
        };
        Some(Document {
            text,
            text_chars: None,
            links,
            ..d.clone()
        })
    }
}

/// A document's links as one compressed block.
fn pack(links: &[Link]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    for l in links {
        let _ = writeln!(z, "{}\t{}\t{}", l.start, l.end, l.url);
    }
    z.finish().unwrap_or_default()
}

/// The links of [`pack`]; `None` when the block is damaged.
fn unpack(packed: &[u8]) -> Option<Vec<Link>> {
    use std::io::Read;
    let mut raw = String::new();
    flate2::read::DeflateDecoder::new(packed)
        .read_to_string(&mut raw)
        .ok()?;
    raw.lines()
        .map(|line| {
            let mut f = line.splitn(3, '\t');
            Some(Link {
                start: f.next()?.parse().ok()?,
                end: f.next()?.parse().ok()?,
                url: f.next()?.to_string(),
            })
        })
        .collect()
}

/// What every extraction key shares: the uptake binary (its size and modification time) and the registry.
pub fn key_salt(cfg: &Config) -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    let registry = cfg
        .publishers_path
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .map(|b| crate::crawl::content_hash(&b))
        .unwrap_or_default();
    format!("{}|{exe}|{registry}", env!("CARGO_PKG_VERSION"))
}

/// The extraction key of a raw document: a digest of everything extraction reads.
pub fn extraction_key(raw: &RawDoc, salt: &str) -> String {
    let o = &raw.overrides;
    let f = raw.fallback_date.as_ref();
    let parts = [
        salt,
        &raw.source,
        &raw.key,
        &raw.url,
        &raw.location,
        &crate::crawl::content_hash(&raw.bytes),
        raw.content_type_hint.as_deref().unwrap_or(""),
        o.url.as_deref().unwrap_or(""),
        o.title.as_deref().unwrap_or(""),
        o.publisher.as_deref().unwrap_or(""),
        o.published.as_deref().unwrap_or(""),
        o.sector.as_deref().unwrap_or(""),
        o.country.as_deref().unwrap_or(""),
        raw.linked_from.as_deref().unwrap_or(""),
        &raw.other_urls.join(" "),
        f.map_or("", |f| f.value.as_str()),
        f.map_or("", |f| f.from),
        raw.found_by.as_deref().unwrap_or(""),
        o.origin.unwrap_or(""),
    ];
    // Where the body's WARC record lies is not part of the key: the same body read from another record (a
    // crawl's new WARC file, an archive copied elsewhere) extracts to the same document, which takes the new
    // record's place (see `extract_one`).
    crate::crawl::content_hash(parts.join("\u{1f}").as_bytes())
}
