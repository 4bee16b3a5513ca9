//! Intake: the crawl and extract stages as one stream. Every source is read, each raw document extracted (or
//! taken as the previous run left it, when nothing extraction reads has changed), enriched from the publisher
//! registry, its text saved in the store and its links streamed to the `links` table; then the document is
//! handed to the caller, in order, a batch at a time. Only documents' metadata and the compact link graph stay.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use crate::analyse::graph::LinkGraph;
use crate::config::Config;
use crate::crawl::{crawl, CrawlError, HostSummary};
use crate::extract::extract;
use crate::load;
use crate::records::{CrawlLogRow, Document, Link, RawDoc, Skipped};
use crate::store::{Store, ROWS_PER_BATCH};

use super::progress;

/// Raw documents extracted at once (in parallel), then handed on in order.
pub const DOCS_PER_BATCH: usize = 64;

/// What the crawl and extraction of a run leave beside the documents handed on.
#[derive(Debug, Default)]
pub struct Intake {
    /// The documents, in order, each once; their texts are in the store and their links in `links`.
    pub docs: Vec<Document>,
    /// Every document's links (the `links` table has them with their places).
    pub links: LinkGraph,
    pub skipped: Vec<Skipped>,
    pub log: Vec<CrawlLogRow>,
    pub hosts: Vec<HostSummary>,
    /// Hosts whose documents have no sector, with counts.
    pub unclassified: Vec<(String, usize)>,
}

/// Documents the previous run in `out_dir` extracted, by extraction key: a body whose bytes and metadata, the
/// uptake binary and the publisher registry are all unchanged is taken as it was, not extracted again.
struct Previous {
    by_key: HashMap<String, Document>,
    links: LinkGraph,
    store: Store,
}

impl Previous {
    /// The previous run's documents; none when there are none or they cannot be read.
    fn load(out_dir: &Path) -> Previous {
        let store = Store::new(out_dir);
        let mut links = LinkGraph::new();
        let docs = if store.has_table("documents") && store.has_table("links") {
            load::read_document_records(out_dir)
                .and_then(|d| read_links(&store, &mut links).map(|()| d))
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

    /// The document extracted under `key`, with its text and links, if both are still there.
    fn take(&self, key: &str) -> Option<Document> {
        let d = self.by_key.get(key)?;
        let text = self.store.doc_text(&d.doc_id).ok()?;
        Some(Document {
            text,
            text_chars: None,
            links: self.links.link_records(&d.doc_id),
            ..d.clone()
        })
    }
}

/// Reads the `links` table of `store` into `graph`, a slice at a time.
pub fn read_links(store: &Store, graph: &mut LinkGraph) -> Result<(), load::LoadError> {
    let mut pending: Option<(String, Vec<Link>)> = None;
    let path = store.table_path("links");
    let r = store.read_table_in_slices("links", ROWS_PER_BATCH, |df| {
        for (doc_id, link) in load::links_from(df)? {
            match &mut pending {
                Some((id, links)) if *id == doc_id => links.push(link),
                _ => {
                    if let Some((id, links)) = pending.take() {
                        graph.add(&id, links.iter().map(|l| (l.url.as_str(), l.start, l.end)));
                    }
                    pending = Some((doc_id, vec![link]));
                }
            }
        }
        Ok(())
    });
    if let Some((id, links)) = pending.take() {
        graph.add(&id, links.iter().map(|l| (l.url.as_str(), l.start, l.end)));
    }
    r.map_err(|e| match e {
        crate::store::StoreError::Table(t) => t,
        other => load::LoadError::Io {
            path,
            error: std::io::Error::other(other.to_string()),
        },
    })
}

/// What every extraction key shares: the uptake binary (its size and modification time) and the registry.
fn key_salt(cfg: &Config) -> String {
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
fn extraction_key(raw: &RawDoc, salt: &str) -> String {
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
    ];
    crate::crawl::content_hash(parts.join("\u{1f}").as_bytes())
}

/// One raw document's way through extraction.
enum Extracted {
    Fresh(Document),
    Reused(Document),
    Skipped(Skipped),
}

/// Crawls every source and extracts each document, saving texts in `store` and streaming the `links` table.
/// `each` receives the documents of each batch, in order and each once (enriched, texts and links in memory);
/// then [`Intake::docs`] keeps their metadata (`text_chars` set, text and links dropped).
pub fn crawl_and_extract(
    cfg: &Config,
    store: &Store,
    mut each: impl FnMut(&mut [Document]) -> Result<()>,
) -> Result<Intake> {
    let crawled = crawl(&cfg.sources, &cfg.crawl_dir());
    let mut intake = Intake {
        skipped: crawled.skipped,
        log: crawled.log,
        hosts: crawled.hosts,
        ..Intake::default()
    };
    let previous = Previous::load(&cfg.out_dir);
    let salt = key_salt(cfg);
    let registry = match &cfg.publishers_path {
        Some(p) => crate::publishers::Registry::load(p)?,
        None => crate::publishers::Registry::default(),
    };
    let mut links_table = store.table_writer("links");
    let mut seen = HashSet::new();
    let mut reused = 0;
    let pb = progress(crawled.docs.len() + crawled.cached.len(), "extract");
    type Input = Result<RawDoc, (String, CrawlError)>;
    let read = crawled.docs.into_iter().map(Ok);
    let cached = crawled.cached.into_iter().map(|c| {
        let location = c.location().to_string();
        c.load().map_err(|e| (location, e))
    });
    let mut inputs = read.chain(cached).peekable();
    let mut done = 0usize;
    while inputs.peek().is_some() {
        let batch: Vec<Input> = inputs.by_ref().take(DOCS_PER_BATCH).collect();
        for n in done + 1..=done + batch.len() {
            crate::fsutil::checkpoint(&format!("extract:{n}"));
        }
        done += batch.len();
        let results: Vec<Extracted> = batch
            .into_par_iter()
            .map(|raw| {
                let r = extract_one(raw, &previous, &salt);
                pb.inc(1);
                r
            })
            .collect();
        let mut docs = Vec::with_capacity(results.len());
        for r in results {
            let mut doc = match r {
                Extracted::Fresh(d) => d,
                Extracted::Reused(d) => {
                    reused += 1;
                    d
                }
                Extracted::Skipped(s) => {
                    pb.suspend(|| tracing::warn!("skipped: {}: {}", s.location, s.reason));
                    intake.skipped.push(s);
                    continue;
                }
            };
            // The same key twice (two sources cannot share a name, so this is a manifest mistake) keeps the
            // first.
            if !seen.insert(doc.doc_id.clone()) {
                continue;
            }
            registry.enrich(&mut doc);
            store.save_doc_text(&doc.doc_id, &doc.text)?;
            links_table.write(load::links_frame(std::slice::from_ref(&doc)))?;
            docs.push(doc);
        }
        each(&mut docs)?;
        for mut d in docs {
            intake.links.add_links(&d.doc_id, &d.links);
            d.links = Vec::new();
            if d.text_chars.is_none() {
                d.text_chars = Some(d.text.chars().count());
            }
            d.text = String::new();
            intake.docs.push(d);
        }
    }
    pb.finish_and_clear();
    if reused > 0 {
        tracing::info!("{reused} documents unchanged since the previous run: not extracted again");
    }
    links_table.finish(|| load::links_frame(&[]))?;
    intake.unclassified = crate::publishers::unclassified_hosts(&intake.docs);
    tracing::info!(
        "read {} documents, skipped {}",
        intake.docs.len(),
        intake.skipped.len()
    );
    Ok(intake)
}

fn extract_one(
    raw: Result<RawDoc, (String, CrawlError)>,
    previous: &Previous,
    salt: &str,
) -> Extracted {
    let raw = match raw {
        Ok(r) => r,
        Err((location, e)) => return Extracted::Skipped(Skipped::new("crawl", &location, &e)),
    };
    let key = extraction_key(&raw, salt);
    if let Some(doc) = previous.take(&key) {
        return Extracted::Reused(doc);
    }
    match extract(&raw) {
        Ok(d) => Extracted::Fresh(Document {
            extract_key: Some(key),
            ..d
        }),
        Err(e) => Extracted::Skipped(Skipped::new("extract", &raw.location, &e)),
    }
}
