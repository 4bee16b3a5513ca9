//! Intake: the crawl and extract stages as one stream. Every source is read, each raw document extracted (or
//! taken as the previous run left it, when nothing extraction reads has changed) and handed to the caller, in
//! order, a batch at a time; the documents the caller keeps are enriched from the publisher registry, their texts
//! saved in the store and their links streamed to the `links` table. Only documents' metadata and the compact
//! link graph stay.

use anyhow::Result;
use rayon::prelude::*;

use crate::analyse::graph::LinkGraph;
use crate::config::Config;
use crate::crawl::{CrawlOutcome, HostSummary};
use crate::extract::extract_deferring;
use crate::load;
use crate::records::{CrawlLogRow, Document, Link, RawDoc, SkipStage, Skipped, WorkRecord};
use crate::store::{Store, ROWS_PER_BATCH};

use super::previous::{extraction_key, key_salt, Previous};
use super::progress;

/// Raw documents extracted at once (in parallel), then handed on in order.
pub const DOCS_PER_BATCH: usize = 64;
/// Records a WARC source's reader thread hands over at once: one hand-over per record cost the two threads a
/// lock and a wake-up each (4% of a one-file WET run), one per this many costs a sixteenth of that.
const STREAMED_PER_SEND: usize = 16;

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
    /// A document extracted now; with its raw document when its extraction key is still to be made
    /// ([`extract_one`]).
    Fresh(Document, Option<Box<RawDoc>>),
    Reused(Document),
    Skipped(Skipped),
}

/// Crawls every source and extracts each document, saving texts in `store` and streaming the `links` table.
/// `each` receives the documents of each batch, in order and each once (texts in memory; what extraction leaves
/// for later, the date on a text's first page and a plain text's links, may still be unread:
/// [`crate::extract::document_date`], [`crate::extract::document_links`]), and may take documents out (they are
/// then no documents of the run: no text saved, no links, no row); then those left are enriched from the
/// publisher registry, what extraction left is read, their extraction keys are made where they wait (see
/// [`extract_one`]), their texts saved, and
/// [`Intake::docs`] keeps their metadata (`text_chars` set, text and links dropped).
pub fn crawl_and_extract(
    cfg: &Config,
    crawled: CrawlOutcome,
    store: &Store,
    output_urls: &[&str],
    mut each: impl FnMut(&mut Vec<Document>) -> Result<()> + Send,
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
    let mut seen = foldhash::HashSet::default();
    // the raw documents of a batch whose extraction keys wait until `each` has said which documents stay, by
    // their ids' bits (each once: `seen`)
    let mut keys_to_make: Vec<(u64, Box<RawDoc>)> = Vec::new();
    let mut reused = 0;
    let pb = progress(crawled.docs.len() + crawled.cached.len(), "extract");
    // folder documents first, then fetched ones, each body read when its batch comes; then the records of WARC
    // files, read once, in order, by a thread of their own as extraction takes them
    let listed = crawled.docs.into_iter().chain(crawled.cached).map(|c| {
        let location = c.location().to_string();
        c.load()
            .map_err(|e| Skipped::new(SkipStage::Crawl, &location, &e))
    });
    let streams = crawled.streams;
    let (mut streamed, mut linked) = (0usize, false);
    std::thread::scope(|scope| -> Result<()> {
        // as many records wait in the channel as before it carried them in groups: two batches
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Result<RawDoc, Skipped>>>(
            2 * DOCS_PER_BATCH / STREAMED_PER_SEND,
        );
        if !streams.is_empty() {
            scope.spawn(move || {
                let mut group = Vec::with_capacity(STREAMED_PER_SEND);
                let mut open = true;
                for s in &streams {
                    s.read(&mut |item| {
                        group.push(item);
                        if group.len() == STREAMED_PER_SEND {
                            let full = std::mem::replace(
                                &mut group,
                                Vec::with_capacity(STREAMED_PER_SEND),
                            );
                            open = tx.send(full).is_ok();
                        }
                        open
                    });
                    if !open {
                        break;
                    }
                }
                if open && !group.is_empty() {
                    // the receiver may have stopped taking: then these records are not needed
                    let _ = tx.send(group);
                }
            });
        } else {
            // no stream: the channel ends at once
            drop(tx);
        }
        // the loop runs on a thread of the pool, so that its parallel steps start there instead of being handed
        // to the pool and waited for, three times a batch (with one thread, rayon's wake-ups, yields and waits
        // were 4-5% of a WET run's CPU time)
        rayon::scope(|_| -> Result<()> {
            let from_streams = rx.into_iter().flatten().inspect(|_| {
                streamed += 1;
                pb.inc_length(1);
            });
            let mut inputs = listed.chain(from_streams).peekable();
            let mut done = 0usize;
            while inputs.peek().is_some() {
                let batch: Vec<Result<RawDoc, Skipped>> =
                    inputs.by_ref().take(DOCS_PER_BATCH).collect();
                if crate::fsutil::pausing() {
                    for n in done + 1..=done + batch.len() {
                        crate::fsutil::checkpoint(&format!("extract:{n}"));
                    }
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
                    let (doc, raw) = match r {
                        Extracted::Fresh(d, raw) => (d, raw),
                        Extracted::Reused(d) => {
                            reused += 1;
                            (d, None)
                        }
                        Extracted::Skipped(s) => {
                            pb.suspend(|| tracing::warn!("skipped: {}: {}", s.location, s.reason));
                            intake.skipped.push(s);
                            continue;
                        }
                    };
                    // The same key twice (two sources cannot share a name, so this is a manifest mistake) keeps the
                    // first.
                    if !seen.insert(seen_key(&doc.doc_id)) {
                        continue;
                    }
                    if let Some(raw) = raw {
                        keys_to_make.push((seen_key(&doc.doc_id), raw));
                    }
                    docs.push(doc);
                }

                each(&mut docs)?;
                // the documents that stay get what was left for later: what the publisher registry says of
                // their hosts, what extraction did not read (the first page's date, a plain text's links), and
                // the extraction key
                keys_to_make.sort_unstable_by_key(|(key, _)| *key);
                docs.par_iter_mut().for_each(|d| {
                    registry.enrich(d);
                    crate::extract::settle(d);
                    let key = seen_key(&d.doc_id);
                    if let Ok(i) = keys_to_make.binary_search_by_key(&key, |(k, _)| *k) {
                        d.extract_key = Some(extraction_key(&keys_to_make[i].1, &salt));
                    }
                });
                keys_to_make.clear();
                for d in &docs {
                    store.save_doc_text(&d.doc_id, &d.text)?;
                }
                for mut d in docs {
                    // the links go to the graph, and wait as rows of the links table until there are enough to write
                    intake.links.add_links(&d.doc_id, &d.links);
                    waiting += d.links.len();
                    linked |= !d.links.is_empty();
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
            Ok(())
        })
    })?;
    pb.finish_and_clear();
    if reused > 0 {
        tracing::info!("{reused} documents unchanged since the previous run: not extracted again");
    }
    if !link_rows.is_empty() {
        links_table.write(load::links_frame(&link_rows))?;
    }
    links_table.finish(|| load::links_frame(&[]))?;
    if streamed > 0 && linked {
        // the documents of WARC files were not known when the graph began: keep the links to them too
        let mut graph = LinkGraph::keeping(
            intake
                .docs
                .iter()
                .flat_map(|d| std::iter::once(&d.url).chain(&d.other_urls))
                .map(String::as_str)
                .chain(output_urls.iter().copied()),
        );
        read_links(store, &mut graph)?;
        intake.links = graph;
    }
    // a work's document is the one its text became, if extraction kept it
    for w in &mut intake.works {
        w.doc_id = w
            .doc_key
            .as_deref()
            .map(crate::extract::doc_id)
            .filter(|id| seen.contains(&seen_key(id)));
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

/// What the set of documents seen keeps of a document id: its 64 bits (a folder manifest's own ids, which are
/// not hex, hashed the same way).
fn seen_key(doc_id: &str) -> u64 {
    crate::extract::doc_id_bits_of(doc_id).unwrap_or_else(|| crate::extract::doc_id_bits(doc_id))
}

/// Extracts a raw document, or takes it as the previous run left it. With no previous run there is nothing to
/// look its extraction key up in: the key, a digest of the whole body, is made only for the documents of the run
/// (after `each`, which may drop most of a `warc` source's records), from the raw document handed back.
fn extract_one(raw: Result<RawDoc, Skipped>, previous: &Previous, salt: &str) -> Extracted {
    let raw = match raw {
        Ok(r) => r,
        Err(s) => return Extracted::Skipped(s),
    };
    let key = if previous.is_empty() {
        None
    } else {
        let key = extraction_key(&raw, salt);
        if let Some(mut doc) = previous.take(&key) {
            doc.warc = raw.warc;
            return Extracted::Reused(doc);
        }
        Some(key)
    };
    match extract_deferring(&raw) {
        Ok(d) => match key {
            Some(key) => Extracted::Fresh(
                Document {
                    extract_key: Some(key),
                    ..d
                },
                None,
            ),
            None => Extracted::Fresh(d, Some(Box::new(raw))),
        },
        Err(e) => Extracted::Skipped(Skipped::new(SkipStage::Extract, &raw.location, &e)),
    }
}
