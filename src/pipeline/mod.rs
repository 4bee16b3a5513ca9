//! Pipeline: wires the stages for the CLI. One run hands records forward in memory: [`intake`] crawls and
//! extracts a batch of documents at a time (taking unchanged ones from the previous run, `previous`) and hands
//! each batch to [`detecting`]; the analysis and the report ([`reporting`]) take what detection found. The tables
//! are written into a [`Store`] as the run goes; only the stage-by-stage commands (`detect` after `crawl`,
//! `report` after `detect`) read them back ([`readback`]). Each command builds
//! its results beside the previous ones and swaps them in only when every step succeeded, so a failed run leaves
//! earlier results whole.

pub mod detecting;
pub mod intake;
pub mod merge;
mod previous;
pub mod readback;
pub mod reporting;
pub mod texts;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::analyse::graph::LinkGraph;
use crate::analyse::{analyse_with_citations, Analysis};
use crate::config::{load_activity, load_catalogue, Config, OwnSites};
use crate::crawl::HostSummary;
use crate::detect::Detector;
use crate::fsutil::StagedDir;
use crate::load;
use crate::records::{Activity, CrawlLogRow, Document, Output, Skipped, TextPart};
use crate::store::Store;

use detecting::{Detecting, Found, Keeping};
use intake::crawl_and_extract;
use readback::{detect_from_store, run_from_store};
use reporting::report_run;
use texts::output_texts;

/// What a command did, for the closing summary and the exit code.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub mentions: usize,
    pub passages: usize,
    pub copies: usize,
    /// Documents on the catalogue's own sites, and whether they were counted as uptake.
    pub own_documents: usize,
    pub own_counted: bool,
    pub skipped: Vec<Skipped>,
    pub written: Vec<PathBuf>,
    /// What the crawl of http sources did per host.
    pub hosts: Vec<HostSummary>,
    /// Hosts whose documents have no sector (neither the manifest, the registry nor the domain says), with counts.
    pub unclassified: Vec<(String, usize)>,
    /// Outputs without any text read in the run: their reuse was not measured.
    pub without_text: Vec<String>,
    /// The crawl's lines per source for the closing summary (what an API source spent).
    pub notes: Vec<String>,
}

impl Summary {
    /// Counts what `run` holds.
    fn count(&mut self, run: &Run) {
        self.documents = run.docs.len();
        self.mentions = run.found.mentions.len();
        self.passages = run.found.passages.len();
        self.copies = run.analysis.copies as usize;
        self.own_documents = run.analysis.own_documents as usize;
        self.own_counted = run.analysis.own_counted;
        self.skipped = run.skipped.clone();
        self.without_text = run
            .analysis
            .outputs
            .iter()
            .filter(|o| !o.reuse_measured)
            .map(|o| o.output_id.clone())
            .collect();
    }
}

fn progress(len: usize, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>9} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix(what.to_string());
    pb
}

/// Path of a document's saved text (see [`Store::doc_text_path`]).
pub fn doc_text_path(out_dir: &Path, doc_id: &str) -> PathBuf {
    Store::new(out_dir).doc_text_path(doc_id)
}

/// The functioning facts of `activity` in the config (none when it names no file).
pub fn activity(cfg: &Config, outputs: &[Output]) -> Result<Vec<Activity>> {
    match &cfg.activity_path {
        Some(p) => Ok(load_activity(p, outputs)?),
        None => Ok(Vec::new()),
    }
}

/// The publishing organisation's own pages: where they are (the catalogue's `own_sites`), whether they count as
/// uptake (`count_own`), and how the report names the organisation (the vocabulary's).
#[derive(Debug, Clone, Default)]
pub struct Own {
    pub sites: OwnSites,
    pub counted: bool,
    /// The organisation's acronym or name, as written ("IGF"), if the vocabulary gives one.
    pub organisation: Option<String>,
}

impl Own {
    /// The own sites and the organisation of the config's catalogue, and its `count_own`.
    pub fn of(cfg: &Config) -> Result<Own> {
        Ok(Own {
            sites: crate::config::load_own_sites(&cfg.catalogue_path)?,
            counted: cfg.count_own,
            organisation: crate::config::load_vocabulary(&cfg.catalogue_path)?.org_label,
        })
    }

    /// Marks each document whose URL is on an own site (and unmarks the others: the catalogue decides at every
    /// run, whatever an earlier table said).
    pub fn mark(&self, docs: &mut [Document]) {
        for d in docs {
            d.is_own = self.sites.contains(&d.url);
        }
    }
}

/// The detector of a run: the catalogue's outputs, their texts and the vocabulary.
pub(crate) fn detector(
    cfg: &Config,
    outputs: &[Output],
    texts: &[(String, String)],
) -> Result<Detector> {
    let vocabulary = crate::config::load_vocabulary(&cfg.catalogue_path)?;
    Ok(Detector::with_vocabulary(
        outputs,
        texts,
        &cfg.detect,
        vocabulary,
    ))
}

/// The outputs' URLs.
pub(crate) fn output_urls(outputs: &[Output]) -> Vec<&str> {
    outputs
        .iter()
        .flat_map(|o| o.urls.iter().map(String::as_str))
        .collect()
}

/// Everything a run found, in memory: what the report and the tables are made of.
#[derive(Debug)]
pub struct Run {
    pub docs: Vec<Document>,
    pub found: Found,
    pub analysis: Analysis,
    pub skipped: Vec<Skipped>,
    pub crawl_log: Vec<CrawlLogRow>,
    pub activity: Vec<Activity>,
    /// The parts of the outputs' own texts the run read.
    pub text_parts: Vec<TextPart>,
    /// The own sites, whether they were counted, and the organisation's name.
    pub own: Own,
}

impl Run {
    /// The records of a run with their analysis (the citations among `docs` from `links`, the documents on
    /// the own sites marked and counted as `own` says); no crawl log or activity yet. An output without any of
    /// `text_parts` has its reuse marked not measured.
    fn analysed(
        outputs: &[Output],
        mut docs: Vec<Document>,
        links: &LinkGraph,
        found: Found,
        skipped: Vec<Skipped>,
        text_parts: Vec<TextPart>,
        own: Own,
    ) -> Run {
        own.mark(&mut docs);
        let analysis = analyse_with_citations(
            outputs,
            &docs,
            links.citations(&docs),
            &found.mentions,
            &found.passages,
            own.counted,
        );
        let mut analysis = analysis;
        for m in &mut analysis.outputs {
            m.reuse_measured = text_parts.iter().any(|p| p.output_id == m.output_id);
        }
        Run {
            docs,
            found,
            analysis,
            skipped,
            crawl_log: Vec::new(),
            activity: Vec::new(),
            text_parts,
            own,
        }
    }
}

/// Crawls, extracts and detects into `store`, handing each batch of documents from extraction to detection in
/// memory; writes the crawl's tables (`outputs`, `links`, `crawl_log`, `scorecard`) and, when `detect` is set,
/// everything else but the report. Without `detect`, the documents are written as the crawl left them.
fn crawl_into(
    cfg: &Config,
    outputs: &[Output],
    store: &Store,
    detect: bool,
) -> Result<(Run, Summary)> {
    // the crawl takes only the sources: what they need of the catalogue (the openalex queries) goes in first
    let cfg = &cfg.for_outputs(outputs);
    let mut summary = Summary::default();
    let own = Own::of(cfg)?;
    let mut skipped = Vec::new();
    let warc = cfg.warc_out.then(crate::crawl::WarcOptions::default);
    let mut crawled = crate::crawl::crawl_with(
        &cfg.sources,
        &cfg.crawl_dir(),
        outputs,
        warc.as_ref(),
        cfg.shard,
    );
    if crate::crawl::no_host_answered(&crawled.log) {
        tracing::warn!("no host answered: is this machine online?");
    }
    let texts = output_texts(outputs, &mut crawled, &mut skipped);
    for (id, text) in &texts.texts {
        store.save_output_text(id, text)?;
    }
    let detector = detector(cfg, outputs, &texts.texts)?;
    let mut detecting = Detecting::new(&detector);
    let mut keeping = Keeping::new(cfg);
    let mut intake = crawl_and_extract(cfg, crawled, store, &output_urls(outputs), |docs| {
        if detect {
            let rule = |d: &Document, p: &crate::detect::Pending| keeping.drops(d, p);
            let dropped = detecting.add(docs, &rule);
            keeping.count(&dropped);
        }
        Ok(())
    })?;
    if detect {
        // a run that does not detect keeps every record (docs/sources.md)
        intake.notes.extend(keeping.notes());
    }
    crate::memory::log("crawl and extraction");
    skipped.append(&mut intake.skipped);
    let activity = activity(cfg, outputs)?;
    let mut docs = intake.docs;
    for (name, frame) in [
        ("outputs", load::outputs_frame(outputs)),
        ("output_texts", load::output_texts_frame(&texts.parts)),
        ("crawl_log", load::crawl_log_frame(&intake.log)),
        ("works", load::works_frame(&intake.works)),
        ("scorecard", load::scorecard_frame(&activity)),
    ] {
        if cfg.shard.is_none() || merge::SHARD_TABLES.contains(&name) {
            summary.written.push(store.write_table(name, frame)?);
        }
    }
    summary.written.push(store.table_path("links"));
    let found = if detect {
        crate::fsutil::checkpoint("detect:documents");
        detecting.finish(&mut docs, store)
    } else {
        drop(detecting);
        Found::default()
    };
    crate::memory::log("detection");
    let run = Run::analysed(
        outputs,
        docs,
        &intake.links,
        found,
        skipped,
        texts.parts,
        own,
    );
    let run = Run {
        crawl_log: intake.log,
        activity,
        ..run
    };
    crate::memory::log("analysis");
    summary.hosts = intake.hosts;
    summary.unclassified = intake.unclassified;
    summary.notes = intake.notes;
    if detect {
        write_detected(&run, store, &mut summary, cfg.shard.is_some())?;
    } else {
        for (name, frame) in [
            ("documents", load::documents_frame(&run.docs)),
            ("skipped", load::skipped_frame(&run.skipped)),
        ] {
            summary.written.push(store.write_table(name, frame)?);
        }
    }
    summary.count(&run);
    if let Some(shard) = cfg.shard {
        merge::mark_shard(cfg, shard, detect, store)?;
    }
    crate::memory::log("the tables");
    Ok((run, summary))
}

/// Writes the tables of the detect stage: mentions, passages, documents (with `copy_of`), the analysis and the
/// skipped inputs. A shard (`sharded`) writes no analysis: that is the merge's, over every shard's documents.
pub(crate) fn write_detected(
    run: &Run,
    store: &Store,
    summary: &mut Summary,
    sharded: bool,
) -> Result<()> {
    let (found, analysis) = (&run.found, &run.analysis);
    for (name, frame) in [
        ("mentions", load::mentions_frame(&found.mentions)),
        ("passages", load::passages_frame(&found.passages)),
        ("documents", load::documents_frame(&run.docs)),
        ("uptake", load::uptake_frame(&analysis.uptake)),
        ("metrics", load::metrics_frame(&analysis.outputs)),
        ("ripple", load::ripple_frame(&analysis.ripple)),
        ("themes", load::themes_frame(&analysis.themes)),
        ("citations", load::citations_frame(&analysis.citations)),
        (
            "theme_mentions",
            load::theme_mentions_frame(&found.theme_mentions),
        ),
        ("cites", load::cites_frame(&analysis.cites)),
        ("skipped", load::skipped_frame(&run.skipped)),
    ] {
        if !sharded || merge::SHARD_TABLES.contains(&name) {
            summary.written.push(store.write_table(name, frame)?);
        }
    }
    tracing::info!(
        "found {} mentions and {} reused passages in {} documents ({} copies of outputs)",
        found.mentions.len(),
        found.passages.len(),
        run.docs.len(),
        analysis.copies
    );
    Ok(())
}

/// Crawl, extract and detect into `out`, in memory from start to end; every table but the report's. For
/// evaluation and tests.
pub fn crawl_and_detect(cfg: &Config, outputs: &[Output], out: &Path) -> Result<Run> {
    Ok(crawl_into(cfg, outputs, &Store::new(out), true)?.0)
}

/// Every stage: crawl, extract, detect, analyse, report, with records handed forward in memory. Both folders
/// are staged and swapped in at the end. A shard (`cfg.shard`) stops after detection: it writes the
/// document-level tables into its folder and no report (see [`merge`]).
pub fn run_all(cfg: &Config) -> Result<Summary> {
    if cfg.shard.is_some() {
        let summary = crawl_stage(cfg, true)?;
        merge::push_shard(cfg)?;
        return Ok(summary);
    }
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let out = Store::staged(&cfg.out_dir)?;
    let rep = StagedDir::new(&cfg.report_dir)
        .with_context(|| format!("cannot create a folder beside {}", cfg.report_dir.display()))?;
    let store = out.store();
    let (mut run, crawled) = crawl_into(cfg, &outputs, store, true)?;
    let mut summary = report_run(cfg, &mut run, store, rep.path())?;
    crate::memory::log("the report");
    summary.written = commit_run(cfg, out, rep, &crawled.written, &summary.written)?;
    // The crawl's own findings belong to the whole run's closing summary.
    summary.hosts = crawled.hosts;
    summary.unclassified = crawled.unclassified;
    summary.notes = crawled.notes;
    Ok(summary)
}

/// Swaps the staged output folder and report into `out_dir` and `report_dir`, and gives the files written in
/// each (`tables`, `reported`: paths in the staged folders) at their final places, sorted, each once.
fn commit_run(
    cfg: &Config,
    out: crate::store::Staged,
    rep: StagedDir,
    tables: &[PathBuf],
    reported: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    let (staged_out, staged_rep) = (out.store().dir().to_path_buf(), rep.path().to_path_buf());
    out.commit()?;
    rep.commit().with_context(|| {
        format!(
            "cannot move the new report into {}",
            cfg.report_dir.display()
        )
    })?;
    let rebase = |p: &PathBuf, from: &Path, to: &Path| {
        p.strip_prefix(from)
            .map(|r| to.join(r))
            .unwrap_or_else(|_| p.clone())
    };
    let mut all: Vec<PathBuf> = tables
        .iter()
        .map(|p| rebase(p, &staged_out, &cfg.out_dir))
        .chain(
            reported
                .iter()
                .map(|p| rebase(p, &staged_rep, &cfg.report_dir)),
        )
        .collect();
    all.sort();
    all.dedup();
    Ok(all)
}

/// The crawl stage alone (crawl and extract), staged and swapped into `out_dir`.
pub fn run_crawl(cfg: &Config) -> Result<Summary> {
    let summary = crawl_stage(cfg, false)?;
    merge::push_shard(cfg)?;
    Ok(summary)
}

/// Crawl and extract (and, with `detect`, detect) into a staged `out_dir`, swapped in at the end.
fn crawl_stage(cfg: &Config, detect: bool) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let out = Store::staged(&cfg.out_dir)?;
    let (_, summary) = crawl_into(cfg, &outputs, out.store(), detect)?;
    out.commit()?;
    Ok(summary)
}

/// The detect stage alone, on what the crawl left in `out_dir`.
pub fn run_detect(cfg: &Config) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let summary = detect_from_store(cfg, &outputs, &Store::new(&cfg.out_dir))?;
    merge::push_shard(cfg)?;
    Ok(summary)
}

/// The report stage alone, from the tables in `out_dir`, staged and swapped into `report_dir`.
pub fn run_report(cfg: &Config) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let store = Store::new(&cfg.out_dir);
    let mut run = run_from_store(cfg, &outputs, &store)?;
    let rep = StagedDir::new(&cfg.report_dir)?;
    crate::memory::log("reading the tables");
    let summary = report_run(cfg, &mut run, &store, rep.path())?;
    crate::memory::log("the report");
    rep.commit()?;
    Ok(summary)
}
