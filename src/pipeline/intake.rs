//! Intake: the crawl and extract stages as one stream. Every source is read, each raw document extracted (or
//! taken as the previous run left it, when nothing extraction reads has changed), enriched from the publisher
//! registry, its text saved in the store and its links streamed to the `links` table; then the document is
//! handed to the caller, in order, a batch at a time. Only documents' metadata and the compact link graph stay.

use std::collections::HashSet;

use anyhow::Result;
use rayon::prelude::*;

use crate::analyse::graph::LinkGraph;
use crate::config::Config;
use crate::crawl::{CrawlError, CrawlOutcome, HostSummary};
use crate::extract::extract;
use crate::load;
use crate::records::{CrawlLogRow, Document, Link, RawDoc, SkipStage, Skipped, WorkRecord};
use crate::store::{Store, ROWS_PER_BATCH};

use super::previous::{extraction_key, key_salt, Previous};
use super::progress;

/// Raw documents extracted at once (in parallel), then handed on in order.
pub const DOCS_PER_BATCH: usize = 64;

/// What the crawl and extraction of a run leave beside the documents handed on.
#[derive(Debug, Default)]
pub struct Intake {
    /// The documents, in order, each once; their texts are in the store and their links in `links`.
    pub docs: Vec<Document>,
    /// The links that can matter to the ripple or detection (the `links` table has every link).
    pub links: LinkGraph,
    pub skipped: Vec<Skipped>,
    pub log: Vec<CrawlLogRow>,
    pub hosts: Vec<HostSummary>,
    /// Scholarly works found (the `works` table), each with its document when one was read.
    pub works: Vec<WorkRecord>,
    /// The crawl's lines for the closing summary.
    pub notes: Vec<String>,
    /// Hosts whose documents have no sector, with counts.
    pub unclassified: Vec<(String, usize)>,
}

/// Reads the `links` table of `store` a slice at a time, handing each document's links (its rows are
/// consecutive) to `each`.
pub fn for_each_doc_links(
    store: &Store,
    mut each: impl FnMut(String, Vec<Link>),
) -> Result<(), load::LoadError> {
    let mut pending: Option<(String, Vec<Link>)> = None;
    let path = store.table_path("links");
    let r = store.read_table_in_slices("links", ROWS_PER_BATCH, |df| {
        for (doc_id, link) in load::links_from(df)? {
            match &mut pending {
                Some((id, links)) if *id == doc_id => links.push(link),
                _ => {
                    if let Some((id, links)) = pending.take() {
                        each(id, links);
                    }
                    pending = Some((doc_id, vec![link]));
                }
            }
        }
        Ok(())
    });
    if let Some((id, links)) = pending.take() {
        each(id, links);
    }
    r.map_err(|e| match e {
        crate::store::StoreError::Table(t) => t,
        other => load::LoadError::Io {
            path,
            error: std::io::Error::other(other.to_string()),
        },
    })
}

/// Reads the `links` table of `store` into `graph`.
pub fn read_links(store: &Store, graph: &mut LinkGraph) -> Result<(), load::LoadError> {
    for_each_doc_links(store, |id, links| graph.add_links(&id, &links))
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
    crawled: CrawlOutcome,
    store: &Store,
    output_urls: &[&str],
    mut each: impl FnMut(&mut [Document]) -> Result<()>,
) -> Result<Intake> {
    // the graph keeps links to what can be a document of this run, or an output
    let links = LinkGraph::keeping(
        crawled
            .docs
            .iter()
            .chain(&crawled.cached)
            .flat_map(|c| c.urls())
            .chain(output_urls.iter().copied()),
    );
    let mut intake = Intake {
        skipped: crawled.skipped,
        log: crawled.log,
        hosts: crawled.hosts,
        works: crawled.works,
        notes: crawled.notes,
        links,
        ..Intake::default()
    };
    crate::memory::trim();
    crate::memory::log("the crawl");
    let previous = Previous::load(&cfg.out_dir);
    crate::memory::log("reading the previous run's documents");
    let salt = key_salt(cfg);
    let registry = match &cfg.publishers_path {
        Some(p) => crate::publishers::Registry::load(p)?,
        None => crate::publishers::Registry::default(),
    };
    let mut links_table = store.table_writer("links");
    let (mut link_rows, mut waiting) = (Vec::new(), 0);
    let mut seen = HashSet::new();
    let mut reused = 0;
    let pb = progress(crawled.docs.len() + crawled.cached.len(), "extract");
    type Input = Result<RawDoc, (String, CrawlError)>;
    // folder documents first, then fetched ones; each body is read when its batch comes
    let mut inputs = crawled
        .docs
        .into_iter()
        .chain(crawled.cached)
        .map(|c| {
            let location = c.location().to_string();
            c.load().map_err(|e| (location, e))
        })
        .peekable();
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
            docs.push(doc);
        }

        each(&mut docs)?;
        for mut d in docs {
            // the links go to the graph, and wait as rows of the links table until there are enough to write
            intake.links.add_links(&d.doc_id, &d.links);
            waiting += d.links.len();
            link_rows.push(Document {
                links: std::mem::take(&mut d.links),
                ..Document::from_text(&d.doc_id, String::new())
            });
            if d.text_chars.is_none() {
                d.text_chars = Some(d.text.chars().count());
            }
            d.text = String::new();
            intake.docs.push(d);
        }
        if waiting >= ROWS_PER_BATCH {
            links_table.write(load::links_frame(&link_rows))?;
            link_rows.clear();
            waiting = 0;
            crate::memory::trim();
        }
    }
    pb.finish_and_clear();
    if reused > 0 {
        tracing::info!("{reused} documents unchanged since the previous run: not extracted again");
    }
    if !link_rows.is_empty() {
        links_table.write(load::links_frame(&link_rows))?;
    }
    links_table.finish(|| load::links_frame(&[]))?;
    // a work's document is the one its text became, if extraction kept it
    for w in &mut intake.works {
        w.doc_id = w
            .doc_key
            .as_deref()
            .map(crate::extract::doc_id)
            .filter(|id| seen.contains(id));
    }
    intake.unclassified = crate::publishers::unclassified_hosts(&intake.docs);
    tracing::debug!(
        "{} links to {} distinct URLs",
        intake.links.len(),
        intake.links.distinct_urls()
    );
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
        Err((location, e)) => {
            return Extracted::Skipped(Skipped::new(SkipStage::Crawl, &location, &e))
        }
    };
    let key = extraction_key(&raw, salt);
    if let Some(mut doc) = previous.take(&key) {
        doc.warc = raw.warc;
        return Extracted::Reused(doc);
    }
    match extract(&raw) {
        Ok(d) => Extracted::Fresh(Document {
            extract_key: Some(key),
            ..d
        }),
        Err(e) => Extracted::Skipped(Skipped::new(SkipStage::Extract, &raw.location, &e)),
    }
}
