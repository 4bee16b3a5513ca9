//! Pipeline: runs the stages in order for the CLI. Each command builds its results beside the previous ones and
//! swaps them in only when every step succeeded, so a failed run leaves earlier results whole.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::analyse::analyse;
use crate::config::{load_activity, load_catalogue, Config, SourceConfig};
use crate::crawl::{content_type_for, crawl, file_url, HostSummary};
use crate::detect::Detector;
use crate::extract::extract;
use crate::fsutil::{write_atomic, StagedDir};
use crate::load;
use crate::records::{Activity, Document, Output, Overrides, RawDoc, Skipped};
use crate::report::{self, ReportInput};

/// What a command did, for the closing summary and the exit code.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub mentions: usize,
    pub passages: usize,
    pub copies: usize,
    pub skipped: Vec<Skipped>,
    pub written: Vec<PathBuf>,
    /// What the crawl of http sources did per host.
    pub hosts: Vec<HostSummary>,
    /// Hosts whose documents have no sector (neither the manifest, the registry nor the domain says), with counts.
    pub unclassified: Vec<(String, usize)>,
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

/// Path of a document's saved text.
pub fn doc_text_path(out_dir: &Path, doc_id: &str) -> PathBuf {
    out_dir.join("text").join(format!("{doc_id}.txt"))
}

/// Path of an output's saved text.
pub fn output_text_path(out_dir: &Path, output_id: &str) -> PathBuf {
    out_dir
        .join("text")
        .join("outputs")
        .join(format!("{output_id}.txt"))
}

/// Writes a text into the staging folder. A plain write is enough there: the staging folder replaces the old
/// results only when every stage succeeded, so a half-written text is never seen.
fn write_text(path: &Path, text: &str) -> Result<()> {
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

/// Reads the outputs' own texts through the extractor. An output text that cannot be read is skipped.
fn output_texts(outputs: &[Output], skipped: &mut Vec<Skipped>) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for o in outputs {
        let Some(path) = &o.text_path else { continue };
        let location = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!("{location}: cannot read the text of output {}: {e}", o.id);
                skipped.push(Skipped {
                    stage: "catalogue".into(),
                    location,
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let raw = RawDoc {
            source: "catalogue".into(),
            key: format!("catalogue/{}", o.id),
            url: file_url(path),
            location: location.clone(),
            bytes,
            content_type_hint: content_type_for(path).map(str::to_string),
            overrides: Overrides::default(),
            linked_from: None,
            other_urls: vec![],
            fallback_date: None,
        };
        match extract(&raw) {
            Ok(d) => texts.push((o.id.clone(), d.text)),
            Err(e) => {
                tracing::warn!("text of output {}: {e}", o.id);
                skipped.push(Skipped::new("catalogue", &location, &e));
            }
        }
    }
    texts
}

/// The functioning facts of `activity` in the config (none when it names no file).
pub fn activity(cfg: &Config, outputs: &[Output]) -> Result<Vec<Activity>> {
    match &cfg.activity_path {
        Some(p) => Ok(load_activity(p, outputs)?),
        None => Ok(Vec::new()),
    }
}

/// Documents the previous run in `out_dir` extracted, by extraction key: a body whose bytes and metadata, the
/// uptake binary and the publisher registry are all unchanged is taken as it was, not extracted again.
struct Previous {
    by_key: HashMap<String, Document>,
    dir: PathBuf,
}

impl Previous {
    /// The previous run's documents; none when there are none or they cannot be read.
    fn load(out_dir: &Path) -> Previous {
        let docs = if load::table_path(out_dir, "documents").is_file() {
            load::read_documents(out_dir).unwrap_or_else(|e| {
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
            dir: out_dir.to_path_buf(),
        }
    }

    /// The document extracted under `key`, with its text, if both are still there.
    fn take(&mut self, key: &str) -> Option<Document> {
        let mut d = self.by_key.remove(key)?;
        d.text = std::fs::read_to_string(doc_text_path(&self.dir, &d.doc_id)).ok()?;
        Some(d)
    }
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

/// Crawl and extract: reads every source, extracts each document, and writes the texts and the `documents`,
/// `outputs`, `links` and `skipped` tables into `out`.
pub fn crawl_stage(cfg: &Config, outputs: &[Output], out: &Path) -> Result<Summary> {
    let mut summary = Summary::default();
    let crawled = crawl(&cfg.sources, &cfg.crawl_dir());
    summary.skipped.extend(crawled.skipped);
    summary.hosts = crawled.hosts;
    let texts = output_texts(outputs, &mut summary.skipped);
    for (id, text) in &texts {
        write_text(&output_text_path(out, id), text)?;
    }
    let mut previous = Previous::load(&cfg.out_dir);
    let salt = key_salt(cfg);
    let mut reused = 0;
    let pb = progress(crawled.docs.len() + crawled.cached.len(), "extract");
    let mut docs: Vec<Document> = Vec::with_capacity(crawled.docs.len() + crawled.cached.len());
    let cached = crawled.cached.into_iter().map(|c| {
        let location = c.location().to_string();
        c.load().map_err(|e| (location, e))
    });
    let read = crawled.docs.into_iter().map(Ok);
    for raw in read.chain(cached) {
        let raw = match raw {
            Ok(r) => r,
            Err((location, e)) => {
                pb.suspend(|| tracing::warn!("skipped: {e}"));
                summary.skipped.push(Skipped::new("crawl", &location, &e));
                pb.inc(1);
                continue;
            }
        };
        pb.set_message(raw.key.clone());
        crate::fsutil::checkpoint(&format!("extract:{}", docs.len() + 1));
        let key = extraction_key(&raw, &salt);
        if let Some(doc) = previous.take(&key) {
            write_text(&doc_text_path(out, &doc.doc_id), &doc.text)?;
            docs.push(doc);
            reused += 1;
            pb.inc(1);
            continue;
        }
        match extract(&raw).map(|d| Document {
            extract_key: Some(key),
            ..d
        }) {
            Ok(doc) => {
                write_text(&doc_text_path(out, &doc.doc_id), &doc.text)?;
                docs.push(doc);
            }
            Err(e) => {
                pb.suspend(|| tracing::warn!("skipped: {e}"));
                summary
                    .skipped
                    .push(Skipped::new("extract", &raw.location, &e));
            }
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    if reused > 0 {
        tracing::info!("{reused} documents unchanged since the previous run: not extracted again");
    }
    let registry = match &cfg.publishers_path {
        Some(p) => crate::publishers::Registry::load(p)?,
        None => crate::publishers::Registry::default(),
    };
    for d in &mut docs {
        registry.enrich(d);
    }
    summary.unclassified = crate::publishers::unclassified_hosts(&docs);
    // The same key twice (two sources cannot share a name, so this is a manifest mistake) keeps the first.
    let mut seen = std::collections::HashSet::new();
    docs.retain(|d| seen.insert(d.doc_id.clone()));
    summary.documents = docs.len();
    for (name, frame) in [
        ("outputs", load::outputs_frame(outputs)),
        ("documents", load::documents_frame(&docs)),
        ("links", load::links_frame(&docs)),
        ("skipped", load::skipped_frame(&summary.skipped)),
        ("crawl_log", load::crawl_log_frame(&crawled.log)),
        ("scorecard", load::scorecard_frame(&activity(cfg, outputs)?)),
    ] {
        summary.written.push(load::write_table(out, name, frame)?);
    }
    tracing::info!(
        "read {} documents, skipped {}",
        docs.len(),
        summary.skipped.len()
    );
    Ok(summary)
}

/// Detect, load and analyse: reads the documents and texts the crawl left in `out`, finds mentions and reused
/// passages, and writes the `mentions`, `passages`, `documents` (with `copy_of`) and `uptake` tables.
pub fn detect_stage(cfg: &Config, outputs: &[Output], out: &Path) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut docs = load::read_documents(out)?;
    let mut skipped = load::read_skipped(out)?;
    let mut texts = Vec::new();
    for o in outputs {
        let p = output_text_path(out, &o.id);
        if p.is_file() {
            let t = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            texts.push((o.id.clone(), t));
        }
    }
    // Texts are read one document at a time on each thread and dropped after detection, so memory holds the
    // index and the documents' metadata, not the corpus.
    let read_text = |d: &Document| -> Result<Document, Skipped> {
        let p = doc_text_path(out, &d.doc_id);
        match std::fs::read_to_string(&p) {
            Ok(text) => Ok(Document { text, ..d.clone() }),
            Err(e) => {
                tracing::warn!("{}: text of {} is missing: {e}", p.display(), d.url);
                Err(Skipped {
                    stage: "detect".into(),
                    location: d.location.clone(),
                    reason: format!("saved text {} cannot be read: {e}", p.display()),
                })
            }
        }
    };
    let vocabulary = crate::config::load_vocabulary(&cfg.catalogue_path)?;
    let detector = Detector::with_vocabulary(outputs, &texts, &cfg.detect, vocabulary);
    let pb = progress(docs.len(), "detect");
    let detections: Vec<Result<_, Skipped>> = {
        use rayon::prelude::*;
        docs.par_iter()
            .map(|d| {
                let r = read_text(d).map(|full| detector.detect(&full));
                pb.inc(1);
                r
            })
            .collect()
    };
    pb.finish_and_clear();
    crate::fsutil::checkpoint("detect:documents");
    let mut kept = Vec::with_capacity(docs.len());
    let mut pending = Vec::with_capacity(docs.len());
    for (d, r) in docs.drain(..).zip(detections) {
        match r {
            Ok(det) => {
                kept.push(d);
                pending.push(det);
            }
            Err(s) => skipped.push(s),
        }
    }
    let mut docs = kept;
    let mut mentions = Vec::new();
    let mut passages = Vec::new();
    let mut theme_mentions = Vec::new();
    let detections: Vec<_> = {
        use rayon::prelude::*;
        docs.par_iter()
            .zip(pending)
            .map(|(d, mut det)| {
                // the text is needed again only where passages were found (to measure a copy's coverage)
                if det.has_reuse() {
                    match read_text(d) {
                        Ok(full) => detector.finish(&mut det, &full),
                        Err(_) => detector.finish(&mut det, d),
                    }
                } else {
                    detector.finish(&mut det, d);
                }
                det
            })
            .collect()
    };
    for (d, det) in docs.iter_mut().zip(detections) {
        d.copy_of = det.copy_of;
        mentions.extend(det.mentions);
        passages.extend(det.passages);
        theme_mentions.extend(det.theme_mentions);
    }
    let analysis = analyse(outputs, &docs, &mentions, &passages);
    summary.documents = docs.len();
    summary.mentions = mentions.len();
    summary.passages = passages.len();
    summary.copies = analysis.copies as usize;
    for (name, frame) in [
        ("mentions", load::mentions_frame(&mentions)),
        ("passages", load::passages_frame(&passages)),
        ("documents", load::documents_frame(&docs)),
        ("uptake", load::uptake_frame(&analysis.uptake)),
        ("metrics", load::metrics_frame(&analysis.outputs)),
        ("ripple", load::ripple_frame(&analysis.ripple)),
        ("themes", load::themes_frame(&analysis.themes)),
        ("citations", load::citations_frame(&analysis.citations)),
        (
            "theme_mentions",
            load::theme_mentions_frame(&theme_mentions),
        ),
        ("cites", load::cites_frame(&analysis.cites)),
        ("skipped", load::skipped_frame(&skipped)),
    ] {
        summary.written.push(load::write_table(out, name, frame)?);
    }
    summary.skipped = skipped;
    tracing::info!(
        "found {} mentions and {} reused passages in {} documents ({} copies of outputs)",
        mentions.len(),
        passages.len(),
        docs.len(),
        analysis.copies
    );
    Ok(summary)
}

/// Report: reads the tables in `out`, writes charts, `index.html` and `summary.md` into `report`, and runs the
/// SQL files of `queries_dir` into `report/queries/<name>.csv`.
pub fn report_stage(
    cfg: &Config,
    outputs: &[Output],
    out: &Path,
    report: &Path,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let docs = load::read_documents(out)?;
    let mentions = load::read_mentions(out)?;
    let passages = load::read_passages(out)?;
    let mut skipped = load::read_skipped(out)?;
    let analysis = analyse(outputs, &docs, &mentions, &passages);
    let activity = activity(cfg, outputs)?;
    let crawl_log = load::read_crawl_log(out)?;
    let theme_mentions = load::read_theme_mentions(out)?;
    if let Some(qdir) = &cfg.queries_dir {
        run_queries(qdir, out, report, &mut summary.written, &mut skipped);
    }
    let input = ReportInput {
        analysis: &analysis,
        documents: &docs,
        skipped: &skipped,
        sources: cfg
            .sources
            .iter()
            .map(|s| {
                let kind = match s {
                    SourceConfig::Dir(_) => "dir",
                    SourceConfig::Http(_) => "http",
                };
                (s.name().to_string(), kind.to_string())
            })
            .collect(),
        activity: &activity,
        crawl_log: &crawl_log,
        theme_mentions: &theme_mentions,
    };
    summary.written.extend(report::write_all(&input, report)?);
    summary.documents = docs.len();
    summary.mentions = mentions.len();
    summary.passages = passages.len();
    summary.copies = analysis.copies as usize;
    summary.skipped = skipped;
    Ok(summary)
}

fn run_queries(
    qdir: &Path,
    out: &Path,
    report: &Path,
    written: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) {
    crate::fsutil::checkpoint("report:queries");
    let Ok(entries) = std::fs::read_dir(qdir) else {
        tracing::warn!(
            "queries folder {} cannot be read; no queries run",
            qdir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for f in files {
        let origin = f.display().to_string();
        let stem: String = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let result = std::fs::read_to_string(&f)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|sql| crate::query::bind(&sql, &[], &origin).map_err(|e| e.to_string()))
            .and_then(|sql| crate::query::run_sql(out, &sql, &origin).map_err(|e| e.to_string()))
            .and_then(|mut df| {
                crate::query::format(&mut df, crate::query::Format::Csv, &origin)
                    .map_err(|e| e.to_string())
            });
        match result {
            Ok(csv) => {
                let path = report.join("queries").join(format!("{stem}.csv"));
                match write_atomic(&path, csv.as_bytes()) {
                    Ok(()) => written.push(path),
                    Err(e) => tracing::warn!("{}: {e}", path.display()),
                }
            }
            Err(reason) => {
                tracing::warn!("query {origin} failed: {reason}");
                skipped.push(Skipped {
                    stage: "query".into(),
                    location: origin,
                    reason,
                });
            }
        }
    }
}

/// Every stage: crawl, extract, detect, load, analyse, report. Both folders are staged and swapped in at the end.
pub fn run_all(cfg: &Config) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let out = StagedDir::new(&cfg.out_dir)
        .with_context(|| format!("cannot create a folder beside {}", cfg.out_dir.display()))?;
    let rep = StagedDir::new(&cfg.report_dir)
        .with_context(|| format!("cannot create a folder beside {}", cfg.report_dir.display()))?;
    let crawl = crawl_stage(cfg, &outputs, out.path())?;
    let detect = detect_stage(cfg, &outputs, out.path())?;
    let mut summary = report_stage(cfg, &outputs, out.path(), rep.path())?;
    let (staged_out, staged_rep) = (out.path().to_path_buf(), rep.path().to_path_buf());
    out.commit()
        .with_context(|| format!("cannot move the new results into {}", cfg.out_dir.display()))?;
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
    let mut written: Vec<PathBuf> = crawl
        .written
        .iter()
        .chain(detect.written.iter())
        .map(|p| rebase(p, &staged_out, &cfg.out_dir))
        .collect();
    written.extend(
        summary
            .written
            .iter()
            .map(|p| rebase(p, &staged_rep, &cfg.report_dir)),
    );
    written.sort();
    written.dedup();
    summary.written = written;
    // The crawl's own findings belong to the whole run's closing summary.
    summary.hosts = crawl.hosts;
    summary.unclassified = crawl.unclassified;
    Ok(summary)
}

/// The crawl stage alone, staged and swapped into `out_dir`.
pub fn run_crawl(cfg: &Config) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let out = StagedDir::new(&cfg.out_dir)?;
    let summary = crawl_stage(cfg, &outputs, out.path())?;
    out.commit()?;
    Ok(summary)
}

/// The detect stage alone, on what the crawl left in `out_dir`.
pub fn run_detect(cfg: &Config) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    detect_stage(cfg, &outputs, &cfg.out_dir)
}

/// The report stage alone, staged and swapped into `report_dir`.
pub fn run_report(cfg: &Config) -> Result<Summary> {
    let outputs = load_catalogue(&cfg.catalogue_path)?;
    let rep = StagedDir::new(&cfg.report_dir)?;
    let summary = report_stage(cfg, &outputs, &cfg.out_dir, rep.path())?;
    rep.commit()?;
    Ok(summary)
}
