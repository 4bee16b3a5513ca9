//! The neutral set, shaped like the one issue 14's reviewer built and not tuned to the detector: 10 licence
//! texts that this machine ships as the outputs (near-duplicates among them: LGPL-2 and 2.1, GFDL-1.2 and 1.3,
//! GPL-1, 2 and 3), 60 documents of Python documentation prose (the pydoc topics of the python3 on PATH, taken
//! as they come, code samples included) with 120 planted passages of 400-1,200 characters cut at random word
//! boundaries, lightly edited (5% of the words replaced, deleted or followed by an inserted word); and a heavy
//! variant (60 passages, 30% of the words edited and two sentences swapped). Scored with the PAN measures on
//! best-source rows in two views: strict (the labelled source only) and "any source that holds the text counts".
//! text-matcher runs on the same set in the same run.
//!
//! Also: natural reuse between successive editions of the pydoc topics shipped with the Pythons under
//! ~/.pyenv (the older edition's topics indexed, the newer's searched; a topic's text should be attributed to
//! the topic of the same name).

use std::collections::HashSet;
use std::time::Instant;

use crate::pan::{from_sums, score, union_within, Pair, Scores};
use fastrand::Rng;
use rayon::prelude::*;
use uptake::config::DetectConfig;
use uptake::detect::reuse::{OutputText, ReuseIndex};

use crate::cases::{edit_words, sentences};
use crate::prose;

/// The licences used as outputs, by file name under /usr/share/common-licenses (the ten largest texts).
const LICENCES: [&str; 10] = [
    "GPL-3",
    "LGPL-2.1",
    "MPL-1.1",
    "LGPL-2",
    "GFDL-1.3",
    "GFDL-1.2",
    "GPL-2",
    "MPL-2.0",
    "GPL-1",
    "Apache-2.0",
];
const DOCS: usize = 60;
/// Characters of host prose per document (about the size of the reviewer's documents).
const HOST_CHARS: usize = 7_000;

/// One planted passage.
#[derive(Debug, Clone)]
pub struct Case {
    pub output: usize,
    pub doc_span: (usize, usize),
    pub source_span: (usize, usize),
}

#[derive(Debug, Clone)]
pub struct NDoc {
    pub id: String,
    pub text: String,
    pub cases: Vec<Case>,
}

pub struct Set {
    pub outputs: Vec<(String, String)>,
    pub docs: Vec<NDoc>,
}

impl Set {
    pub fn cases(&self) -> Vec<Pair> {
        self.docs
            .iter()
            .flat_map(|d| {
                d.cases.iter().map(move |c| Pair {
                    doc: d.id.clone(),
                    source: self.outputs[c.output].0.clone(),
                    doc_span: c.doc_span,
                    source_span: c.source_span,
                })
            })
            .collect()
    }
}

fn chars_of(s: &str, (a, b): (usize, usize)) -> String {
    s.chars().skip(a).take(b.saturating_sub(a)).collect()
}

/// Builds the set: `heavy` plants one heavily edited passage per document instead of two light ones.
pub fn build(seed: u64, heavy: bool) -> Option<Set> {
    let licences = prose::licences();
    let outputs: Vec<(String, String)> = LICENCES
        .iter()
        .filter_map(|n| licences.iter().find(|(name, _)| name == n).cloned())
        .collect();
    if outputs.len() < LICENCES.len() {
        println!("  not run: fewer than 10 of the licences are in /usr/share/common-licenses");
        return None;
    }
    let hosts: Vec<String> = prose::pydoc_topics()
        .iter()
        .flat_map(|t| t.split("\n\n").map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty())
        .collect();
    if hosts.len() < 100 {
        println!("  not run: python3's pydoc topics are not available");
        return None;
    }
    let mut vocab: Vec<String> = hosts
        .iter()
        .flat_map(|p| p.split_whitespace().map(|w| w.to_lowercase()))
        .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic))
        .collect();
    vocab.sort();
    vocab.dedup();
    let mut rng = Rng::with_seed(seed);
    let mut docs = Vec::new();
    for i in 0..DOCS {
        // a run of consecutive paragraphs, as a page of the docs reads
        let mut paras = Vec::new();
        let mut at = rng.usize(0..hosts.len());
        let mut size = 0;
        while size < HOST_CHARS {
            paras.push(hosts[at % hosts.len()].clone());
            size += hosts[at % hosts.len()].len();
            at += 1;
        }
        let n = if heavy { 1 } else { 2 };
        let mut slots: Vec<usize> = Vec::new();
        while slots.len() < n {
            let s = rng.usize(0..=paras.len());
            if !slots.contains(&s) {
                slots.push(s);
            }
        }
        slots.sort_unstable();
        let mut text = String::new();
        let mut cases = Vec::new();
        let mut chars = 0usize;
        let push = |text: &mut String, chars: &mut usize, s: &str| {
            if !text.is_empty() {
                text.push_str("\n\n");
                *chars += 2;
            }
            text.push_str(s);
            *chars += s.chars().count();
        };
        for pi in 0..=paras.len() {
            for _ in slots.iter().filter(|&&s| s == pi) {
                let output = rng.usize(0..outputs.len());
                let (span, source) = pick(&outputs[output].1, &mut rng);
                let reused = if heavy {
                    let mut sents = sentences(&source);
                    if sents.len() >= 2 {
                        let j = rng.usize(0..sents.len() - 1);
                        sents.swap(j, j + 1);
                    }
                    edit_words(&sents.join(" "), 0.30, &mut rng, &vocab)
                } else {
                    edit_words(&source, 0.05, &mut rng, &vocab)
                };
                push(&mut text, &mut chars, "");
                let start = chars;
                text.push_str(&reused);
                chars += reused.chars().count();
                cases.push(Case {
                    output,
                    doc_span: (start, chars),
                    source_span: span,
                });
            }
            if let Some(p) = paras.get(pi) {
                push(&mut text, &mut chars, p);
            }
        }
        docs.push(NDoc {
            id: format!("n{i:03}"),
            text,
            cases,
        });
    }
    Some(Set { outputs, docs })
}

/// A span of 400-1,200 characters of `text` from a word start to a word end, and its text.
fn pick(text: &str, rng: &mut Rng) -> ((usize, usize), String) {
    let chars: Vec<char> = text.chars().collect();
    loop {
        let len = rng.usize(400..=1200);
        if chars.len() <= len + 2 {
            continue;
        }
        let mut a = rng.usize(0..chars.len() - len);
        while a < chars.len()
            && (chars[a].is_whitespace() || (a > 0 && !chars[a - 1].is_whitespace()))
        {
            a += 1;
        }
        let mut b = (a + len).min(chars.len());
        while b < chars.len() && !chars[b].is_whitespace() {
            b += 1;
        }
        while b > a && chars[b - 1].is_whitespace() {
            b -= 1;
        }
        if b - a >= 400 {
            return ((a, b), chars[a..b].iter().collect());
        }
    }
}

/// Shingles of 5 normalised words.
fn shingles(text: &str) -> HashSet<u64> {
    uptake::normalize::words(text)
        .windows(5)
        .map(|g| g.iter().fold(0u64, |h, x| h.rotate_left(13) ^ x.hash))
        .collect()
}

/// PAN measures on the document side, where a detection detects a case when it overlaps it in the document
/// and its source holds the case's text: the labelled source, or another whose detected text and the case's
/// source text share half the 5-word shingles of the shorter.
pub fn any_source_scores(set: &Set, detections: &[Pair]) -> Scores {
    let out = |id: &str| {
        set.outputs
            .iter()
            .find(|(n, _)| n == id)
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    };
    let cases = set.cases();
    let case_sh: Vec<HashSet<u64>> = cases
        .iter()
        .map(|c| shingles(&chars_of(out(&c.source), c.source_span)))
        .collect();
    let det_sh: Vec<HashSet<u64>> = detections
        .iter()
        .map(|d| shingles(&chars_of(out(&d.source), d.source_span)))
        .collect();
    let ov = |a: (usize, usize), b: (usize, usize)| a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let ok = |di: usize, ci: usize| {
        let (d, c) = (&detections[di], &cases[ci]);
        if d.doc != c.doc || ov(d.doc_span, c.doc_span) == 0 {
            return false;
        }
        if d.source == c.source {
            return ov(d.source_span, c.source_span) > 0;
        }
        // the detected source text holds half the case's text, or half of it is the case's text
        let shared = det_sh[di].intersection(&case_sh[ci]).count();
        shared * 2 >= det_sh[di].len().min(case_sh[ci].len()).max(1)
    };
    // which cases each detection detects
    let detects: Vec<Vec<usize>> = (0..detections.len())
        .map(|di| (0..cases.len()).filter(|&ci| ok(di, ci)).collect())
        .collect();
    let mut precision = 0.0;
    for (di, d) in detections.iter().enumerate() {
        let mut spans: Vec<_> = detects[di].iter().map(|&ci| cases[ci].doc_span).collect();
        let len = (d.doc_span.1 - d.doc_span.0).max(1);
        precision += union_within(d.doc_span, &mut spans) as f64 / len as f64;
    }
    let (mut recall, mut detected, mut per_case) = (0.0, 0usize, 0usize);
    for (ci, c) in cases.iter().enumerate() {
        let mut spans: Vec<_> = (0..detections.len())
            .filter(|di| detects[*di].contains(&ci))
            .map(|di| detections[di].doc_span)
            .collect();
        if !spans.is_empty() {
            detected += 1;
            per_case += spans.len();
        }
        let len = (c.doc_span.1 - c.doc_span.0).max(1);
        recall += union_within(c.doc_span, &mut spans) as f64 / len as f64;
    }
    from_sums(
        precision,
        recall,
        cases.len(),
        detections.len(),
        detected,
        per_case,
    )
}

/// Runs uptake over the set; returns best-source rows, all rows and seconds (index and detection).
pub fn run_uptake(set: &Set, cfg: &DetectConfig) -> (Vec<Pair>, Vec<Pair>, f64) {
    let t = Instant::now();
    let texts: Vec<OutputText> = set
        .outputs
        .iter()
        .map(|(id, text)| OutputText {
            id: id.clone(),
            text: text.clone(),
            ..Default::default()
        })
        .collect();
    let index = ReuseIndex::new(&texts, cfg);
    let rows: Vec<_> = set
        .docs
        .par_iter()
        .flat_map_iter(|d| crate::rows_of(&index, cfg, &d.id, &d.text))
        .collect();
    let secs = t.elapsed().as_secs_f64();
    let pair = |p: &uptake::records::Passage| Pair {
        doc: p.doc_id.clone(),
        source: p.output_id.clone(),
        doc_span: (p.doc_start, p.doc_end),
        source_span: (p.output_start, p.output_end),
    };
    let best = rows.iter().filter(|p| p.best_source).map(pair).collect();
    let all = rows.iter().map(pair).collect();
    (best, all, secs)
}

/// What text-matcher found and the seconds it took (matching only, one process), or why it did not run.
pub struct TextMatcher {
    pub detections: Vec<Pair>,
    pub seconds: f64,
    pub stopwords_removed: bool,
    /// The driver's process: start to exit, and peak memory.
    pub process: crate::peers::Measured,
}

/// Runs text-matcher (scripts/text-matcher-driver.py) over every (output, document) pair.
pub fn run_text_matcher(
    outputs: &[(String, String)],
    docs: &[(String, String)],
) -> Result<TextMatcher, String> {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import text_matcher"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        return Err(
            "`pip install text-matcher` first (or set UPTAKE_BENCH_SKIP_TEXT_MATCHER=1)".into(),
        );
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let job = serde_json::json!({
        "outputs": outputs.iter().map(|(id, t)| (id.clone(), t.clone().into())).collect::<serde_json::Map<_, _>>(),
        "docs": docs.iter().map(|(id, t)| (id.clone(), t.clone().into())).collect::<serde_json::Map<_, _>>(),
    });
    let job_path = dir.path().join("job.json");
    let result_path = dir.path().join("result.json");
    std::fs::write(&job_path, job.to_string()).map_err(|e| e.to_string())?;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/text-matcher-driver.py");
    let log = dir.path().join("log.txt");
    let process = crate::peers::measure(
        std::process::Command::new("python3")
            .arg(&script)
            .arg(&job_path)
            .arg(&result_path),
        &log,
        None,
    )?;
    if process.status != 0 {
        return Err(format!(
            "text-matcher failed: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        ));
    }
    let result: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&result_path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let detections = result["detections"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| Pair {
                    doc: d[0].as_str().unwrap_or_default().into(),
                    source: d[1].as_str().unwrap_or_default().into(),
                    doc_span: (
                        d[2].as_u64().unwrap_or(0) as usize,
                        d[3].as_u64().unwrap_or(0) as usize,
                    ),
                    source_span: (
                        d[4].as_u64().unwrap_or(0) as usize,
                        d[5].as_u64().unwrap_or(0) as usize,
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(TextMatcher {
        detections,
        seconds: result["seconds"].as_f64().unwrap_or(f64::NAN),
        stopwords_removed: result["stopwords_removed"].as_bool() == Some(true),
        process,
    })
}

fn line(label: &str, s: &Scores) {
    crate::print_scores_as(29, label, s);
}

fn header() {
    crate::header_as(29, "tool / view");
}

/// Prints each case with the best rows overlapping it in the document (for tuning).
fn show(set: &Set, best: &[Pair]) {
    for c in set.cases() {
        let rows: Vec<_> = best
            .iter()
            .filter(|r| {
                r.doc == c.doc && r.doc_span.1.min(c.doc_span.1) > r.doc_span.0.max(c.doc_span.0)
            })
            .map(|r| (r.source.as_str(), r.doc_span, r.source_span))
            .collect();
        println!(
            "CASE {} {} {:?} {:?}: {rows:?}",
            c.doc, c.source, c.doc_span, c.source_span
        );
    }
}

/// One tool's line in the side-by-side table.
struct Side {
    name: String,
    seconds: f64,
    peak_rss_mb: Option<f64>,
    light: Scores,
    heavy_recall: Option<f64>,
    note: String,
}

fn texts(set: &Set) -> Vec<(String, String)> {
    set.docs
        .iter()
        .map(|d| (d.id.clone(), d.text.clone()))
        .collect()
}

/// Runs the neutral set (light, then heavy), text-matcher and the installed peers on both; prints the tables.
pub fn run(seed: u64, cfg: &DetectConfig, with_text_matcher: bool) {
    println!("\nneutral set (shaped like issue 14's reviewer's; generated here from files on this machine)");
    let Some(set) = build(seed, false) else {
        return;
    };
    let mb = set.docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "  outputs: {} licences ({}); documents: {} of pydoc prose ({mb:.2} MB), {} planted passages, 5% word edits",
        set.outputs.len(),
        LICENCES.join(", "),
        set.docs.len(),
        set.cases().len()
    );
    let (best, all, secs) = run_uptake(&set, cfg);
    if std::env::var_os("UPTAKE_BENCH_SHOW").is_some() {
        show(&set, &best);
    }
    header();
    let up_strict = score(&set.cases(), &best);
    let up_any = any_source_scores(&set, &best);
    line("uptake best, strict", &up_strict);
    line("uptake best, any source", &up_any);
    line("uptake all rows, any", &any_source_scores(&set, &all));
    let heavy = build(seed + 7, true);
    let mut sides: Vec<Side> = Vec::new();
    let heavy_up = heavy.as_ref().map(|h| {
        let (best, _, _) = run_uptake(h, cfg);
        any_source_scores(h, &best).recall
    });
    sides.push(Side {
        name: "uptake (in the bench)".into(),
        seconds: secs,
        peak_rss_mb: None,
        light: up_any,
        heavy_recall: heavy_up,
        note: format!(
            "index and detection, {} threads, texts in memory",
            rayon::current_num_threads()
        ),
    });
    // a tool run on the light set and, where built, the heavy one
    let mut side_by_side =
        |name: &str, run: &dyn Fn(&Set) -> Result<crate::peers::PeerRun, String>| {
            let light = match run(&set) {
                Ok(r) => r,
                Err(e) => {
                    println!("  {name} not run: {e}");
                    return;
                }
            };
            let heavy_recall = heavy.as_ref().and_then(|h| match run(h) {
                Ok(r) => Some(any_source_scores(h, &r.detections).recall),
                Err(e) => {
                    println!("  {name} on the heavy variant failed: {e}");
                    None
                }
            });
            line(
                &format!("{name}, strict"),
                &score(&set.cases(), &light.detections),
            );
            let s = any_source_scores(&set, &light.detections);
            line(&format!("{name}, any"), &s);
            let prep = if light.prep_seconds > 0.0 {
                format!(
                    "; input written in {:.2} s, not counted",
                    light.prep_seconds
                )
            } else {
                String::new()
            };
            sides.push(Side {
                name: name.into(),
                seconds: light.run.seconds,
                peak_rss_mb: Some(light.run.peak_rss_mb),
                light: s,
                heavy_recall,
                note: format!("{}{prep}", light.note),
            });
        };
    side_by_side("uptake (own process)", &|s: &Set| {
        crate::peers::run_uptake_process(&s.outputs, &texts(s))
    });
    if with_text_matcher {
        side_by_side("text-matcher", &|s: &Set| {
            let tm = run_text_matcher(&s.outputs, &texts(s))?;
            Ok(crate::peers::PeerRun {
                detections: tm.detections,
                note: format!(
                    "its driver's process; matching alone {:.2} s; stopwords {}",
                    tm.seconds,
                    if tm.stopwords_removed {
                        "removed"
                    } else {
                        "kept (NLTK's stopword list is not installed)"
                    }
                ),
                run: tm.process,
                prep_seconds: 0.0,
            })
        });
    } else {
        println!("  text-matcher skipped (UPTAKE_BENCH_SKIP_TEXT_MATCHER)");
    }
    match std::env::var_os("UPTAKE_BENCH_PASSIM") {
        Some(cmd) => side_by_side("passim", &|s: &Set| {
            crate::peers::run_passim(std::path::Path::new(&cmd), &s.outputs, &texts(s))
        }),
        None => println!(
            "  passim not run: set UPTAKE_BENCH_PASSIM to passim's `seriatim` command (passim 2 is Python on \
             pyspark and needs Java: `pip install .` in a clone of dasmiq/passim; docs/reuse.md, \"Peers on the same set\")"
        ),
    }
    match std::env::var_os("UPTAKE_BENCH_TEXTPAIR") {
        Some(cmd) => side_by_side("TextPAIR core", &|s: &Set| {
            crate::peers::run_textpair(std::path::Path::new(&cmd), &s.outputs, &texts(s))
        }),
        None => println!(
            "  TextPAIR not run: set UPTAKE_BENCH_TEXTPAIR to TextPAIR's Go core (`go build` in \
             lib/core/src/compareNgrams of ARTFL-Project/text-pair) and put `lz4` on PATH; docs/reuse.md"
        ),
    }
    println!("\n  side by side on the neutral set (any-source view; uptake: best rows; peers: the rows they give)");
    println!(
        "  {:<22} {:>9} {:>10} {:>9} {:>9} {:>11} {:>9} {:>7}",
        "tool", "wall s", "peak RSS", "precision", "recall", "granularity", "plagdet", "heavy R"
    );
    for s in &sides {
        println!(
            "  {:<22} {:>9.3} {:>10} {:>9.4} {:>9.4} {:>11.4} {:>9.4} {:>7}",
            s.name,
            s.seconds,
            s.peak_rss_mb
                .map_or("-".to_string(), |m| format!("{m:.0} MB")),
            s.light.precision,
            s.light.recall,
            s.light.granularity,
            s.light.plagdet,
            s.heavy_recall
                .map_or("-".to_string(), |r| format!("{r:.4}"))
        );
    }
    for s in &sides {
        println!("  {}: {}", s.name, s.note);
    }
    let process = sides.iter().find(|s| s.name == "uptake (own process)");
    for peer in sides.iter().filter(|s| !s.name.starts_with("uptake")) {
        let end_to_end = process.map_or("-".to_string(), |u| {
            format!("{:.0}x", peer.seconds / u.seconds)
        });
        println!(
            "  uptake / {}: {end_to_end} faster end to end (own process), {:.0}x in the bench; plagdet {:.2}, recall {:.2}, precision {:.2}, granularity {:.2}{}",
            peer.name,
            peer.seconds / secs,
            up_any.plagdet / peer.light.plagdet,
            up_any.recall / peer.light.recall,
            up_any.precision / peer.light.precision,
            up_any.granularity / peer.light.granularity,
            match (heavy_up, peer.heavy_recall) {
                (Some(u), Some(p)) => format!(", heavy recall {:.2}", u / p),
                _ => String::new(),
            }
        );
    }
    // recall must not fall as max_gap_words grows (issue 14, point 3)
    for (name, s) in [("light", Some(&set)), ("heavy", heavy.as_ref())] {
        let Some(s) = s else { continue };
        let recalls: Vec<String> = [10, 20, 30, 50, 75, 100, 150, 200]
            .iter()
            .map(|&gap| {
                let c = DetectConfig {
                    max_gap_words: gap,
                    ..cfg.clone()
                };
                let (best, _, _) = run_uptake(s, &c);
                format!("{gap}: {:.4}", any_source_scores(s, &best).recall)
            })
            .collect();
        println!(
            "  {name}: recall (best rows, any source) by max_gap_words: {}",
            recalls.join(", ")
        );
    }
    if let Some(heavy) = heavy {
        println!(
            "  heavy variant: {} passages, 30% word edits and a sentence swap",
            heavy.cases().len()
        );
        let (best, _, _) = run_uptake(&heavy, cfg);
        if std::env::var_os("UPTAKE_BENCH_SHOW").is_some() {
            show(&heavy, &best);
        }
        line("heavy, strict", &score(&heavy.cases(), &best));
        line("heavy, any", &any_source_scores(&heavy, &best));
    }
}

/// The pydoc topics of each Python under ~/.pyenv, by version, oldest first.
fn topic_editions() -> Vec<(String, Vec<(String, String)>)> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".pyenv")));
    let Some(root) = root else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(root.join("versions")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let v = e.file_name().to_string_lossy().into_owned();
        let Some(minor) = v.strip_prefix("3.").and_then(|r| r.split('.').next()) else {
            continue;
        };
        let path = e
            .path()
            .join(format!("lib/python3.{minor}/pydoc_data/topics.py"));
        if !path.is_file() {
            continue;
        }
        let o = std::process::Command::new("python3")
            .args([
                "-c",
                "import json, runpy, sys; print(json.dumps(runpy.run_path(sys.argv[1])['topics']))",
            ])
            .arg(&path)
            .output();
        let Ok(o) = o else { continue };
        let Ok(map) =
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&o.stdout)
        else {
            continue;
        };
        let topics: Vec<(String, String)> = map
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
            .collect();
        out.push((
            minor.parse::<u32>().unwrap_or(0),
            format!("3.{minor}"),
            topics,
        ));
    }
    out.sort_by_key(|e| e.0);
    out.into_iter().map(|(_, v, t)| (v, t)).collect()
}

/// Natural reuse between editions of the pydoc topics: coverage of the newer edition and how much of it is
/// attributed to the topic of the same name.
pub fn editions(cfg: &DetectConfig) {
    println!(
        "\nnatural reuse between editions of Python's pydoc topics (older indexed, newer searched)"
    );
    let eds = topic_editions();
    if eds.len() < 2 {
        println!("  not run: fewer than two Pythons with pydoc_data under ~/.pyenv");
        return;
    }
    let last = eds.len() - 1;
    let mut pairs = vec![(last - 1, last)];
    if last >= 2 {
        pairs.push((0, last));
    }
    for (a, b) in pairs {
        let (old_v, old) = &eds[a];
        let (new_v, new) = &eds[b];
        let t = Instant::now();
        let texts: Vec<OutputText> = old
            .iter()
            .map(|(k, t)| OutputText {
                id: k.clone(),
                text: t.clone(),
                ..Default::default()
            })
            .collect();
        let index = ReuseIndex::new(&texts, cfg);
        let rows: Vec<_> = new
            .par_iter()
            .flat_map_iter(|(k, t)| {
                let found = index.find(k, t, &uptake::normalize::words(t), None, cfg);
                index.boilerplate_filter(cfg).apply(found, None)
            })
            .collect();
        let secs = t.elapsed().as_secs_f64();
        let total: usize = new.iter().map(|(_, t)| t.chars().count()).sum();
        let best: Vec<_> = rows.iter().filter(|p| p.best_source).collect();
        let covered: usize = best.iter().map(|p| p.doc_end - p.doc_start).sum();
        let same: usize = best
            .iter()
            .filter(|p| p.doc_id == p.output_id)
            .map(|p| p.doc_end - p.doc_start)
            .sum();
        let in_both = new
            .iter()
            .filter(|(k, _)| old.iter().any(|(o, _)| o == k))
            .count();
        println!(
            "  {old_v} -> {new_v}: {} topics ({} also in {old_v}), {:.2} MB; {} best rows cover {:.1}%, {:.1}% of that attributed to the topic of the same name; {:.3} s",
            new.len(),
            in_both,
            total as f64 / 1e6,
            best.len(),
            100.0 * covered as f64 / total.max(1) as f64,
            100.0 * same as f64 / covered.max(1) as f64,
            secs
        );
    }
}
