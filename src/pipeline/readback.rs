//! Reading back: the stage-by-stage commands. `detect` after `crawl` reads the documents, their links and texts
//! from the store; `report` after `detect` reads every table. Within one `run` nothing is read back.

use anyhow::Result;

use crate::analyse::graph::LinkGraph;
use crate::config::Config;
use crate::load;
use crate::records::{Document, Output, TextFrom, TextPart};
use crate::store::Store;

use super::detecting::{detect_stored, Found};
use super::intake::read_links;
use super::{activity, detector, output_urls, write_detected, Own, Run, Summary};

/// A graph keeping the links to `docs` and to the outputs (see [`LinkGraph::keeping`]).
pub(crate) fn corpus_graph(docs: &[Document], outputs: &[Output]) -> LinkGraph {
    LinkGraph::keeping(
        docs.iter()
            .flat_map(|d| {
                std::iter::once(&d.url)
                    .chain(&d.other_urls)
                    .map(String::as_str)
            })
            .chain(output_urls(outputs)),
    )
}

/// Detect on what the crawl left in `store` (the `detect` command): documents, links and texts are read back.
pub fn detect_from_store(cfg: &Config, outputs: &[Output], store: &Store) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut docs = load::read_document_records(store.dir())?;
    let mut links = corpus_graph(&docs, outputs);
    read_links(store, &mut links)?;
    let mut skipped = load::read_skipped(store.dir())?;
    let mut texts = Vec::new();
    for o in outputs {
        if let Some(t) = store.output_text(&o.id)? {
            texts.push((o.id.clone(), t));
        }
    }
    let detector = detector(cfg, outputs, &texts)?;
    crate::memory::log("reading the documents and links");
    let found = detect_stored(&detector, &mut docs, &links, store, &mut skipped);
    crate::memory::log("detection");
    let parts = stored_text_parts(store, outputs)?;
    let run = Run::analysed(outputs, docs, &links, found, skipped, parts, Own::of(cfg)?);
    write_detected(&run, store, &mut summary, cfg.shard.is_some())?;
    summary.count(&run);
    if let Some(shard) = cfg.shard {
        super::merge::mark_shard(cfg, shard, true, store)?;
    }
    crate::memory::log("the tables");
    Ok(summary)
}

/// A run as the tables in `store` hold it (the `report` command): read back and analysed.
pub fn run_from_store(cfg: &Config, outputs: &[Output], store: &Store) -> Result<Run> {
    let out = store.dir();
    let docs = load::read_document_records(out)?;
    let mut links = corpus_graph(&docs, outputs);
    read_links(store, &mut links)?;
    let found = Found {
        mentions: load::read_mentions(out)?,
        passages: load::read_passages(out)?,
        theme_mentions: load::read_theme_mentions(out)?,
    };
    let parts = stored_text_parts(store, outputs)?;
    let run = Run::analysed(
        outputs,
        docs,
        &links,
        found,
        load::read_skipped(out)?,
        parts,
        Own::of(cfg)?,
    );
    Ok(Run {
        crawl_log: load::read_crawl_log(out)?,
        activity: activity(cfg, outputs)?,
        ..run
    })
}

/// The parts of the outputs' texts a crawl left in `store`; a folder written before `output_texts` existed
/// gives one part per saved output text.
pub(crate) fn stored_text_parts(store: &Store, outputs: &[Output]) -> Result<Vec<TextPart>> {
    if store.table_path(load::output_texts::NAME).is_file() {
        return Ok(load::read_output_texts(store.dir())?);
    }
    let mut parts = Vec::new();
    for o in outputs {
        if let Some(t) = store.output_text(&o.id)? {
            parts.push(TextPart {
                output_id: o.id.clone(),
                part: 0,
                location: store.output_text_path(&o.id).display().to_string(),
                from: TextFrom::File,
                start: 0,
                end: t.chars().count() as u64,
            });
        }
    }
    Ok(parts)
}
