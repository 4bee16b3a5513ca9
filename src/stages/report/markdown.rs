//! `summary.md`: the text for the annual report on intersessional impact — a headline, a table per output and
//! the caveats, in Markdown that pastes into any editor.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{write_file, ReportError, ReportFormat, ReportInput};
use crate::records::{Check, SCORECARD_CHECKS};

/// The Markdown summary.
pub struct MarkdownSummary;

impl ReportFormat for MarkdownSummary {
    fn name(&self) -> &'static str {
        "markdown"
    }
    fn write(&self, input: &ReportInput, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
        Ok(vec![write_file(&dir.join("summary.md"), &render(input))?])
    }
}

/// Markdown-safe table cell text.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders the summary.
pub fn render(input: &ReportInput) -> String {
    let a = input.analysis;
    let mut s = String::new();
    let _ = writeln!(s, "# Uptake summary\n");
    if let Some(c) = super::coverage::coverage(input.crawl_log) {
        const NAMED: usize = 10;
        let n = c.unreached.len();
        let mut hosts: Vec<String> = c
            .unreached
            .iter()
            .take(NAMED)
            .map(|u| format!("{} ({})", cell(u.host), u.label()))
            .collect();
        if n > NAMED {
            hosts.push(format!("and {} more", n - NAMED));
        }
        let _ = writeln!(
            s,
            "> **Coverage:** the crawl could not reach {n} host(s): {}. The counts below cover only what was reached.{}\n",
            hosts.join(", "),
            if c.nothing_answered { " No host answered at all: was the machine offline?" } else { "" }
        );
    }
    let mentions: u64 = a.outputs.iter().map(|o| o.mentions).sum();
    let passages: u64 = a.outputs.iter().map(|o| o.passages).sum();
    let _ = writeln!(
        s,
        "{} of {} tracked outputs were taken up by {} documents, with {} mentions and {} reused passages, out of {} documents read ({} skipped, {} copies of outputs not counted{}).\n",
        input.taken_up(),
        a.outputs.len(),
        input.citing_documents(),
        mentions,
        passages,
        input.documents.len(),
        input.skipped.len(),
        a.copies,
        input
            .own_scope()
            .map(|scope| format!("; {}: {} read", cell(&scope), a.own_documents))
            .unwrap_or_default()
    );
    let unmeasured: Vec<&str> = a
        .outputs
        .iter()
        .filter(|o| !o.reuse_measured)
        .map(|o| o.output_id.as_str())
        .collect();
    if !unmeasured.is_empty() {
        let _ = writeln!(
            s,
            "Reuse not measured for {} outputs without a text read in this run (unknown, not zero): {}.\n",
            unmeasured.len(),
            unmeasured.join(", ")
        );
    }
    let mut ranked: Vec<_> = a.outputs.iter().filter(|o| o.documents > 0).collect();
    ranked.sort_by(|x, y| {
        y.documents
            .cmp(&x.documents)
            .then(x.output_id.cmp(&y.output_id))
    });
    if !ranked.is_empty() {
        let _ = writeln!(s, "## Most taken up\n");
        let _ = writeln!(
            s,
            "| Output | Year | Documents | Mentions | Passages | Reused chars | Sectors | Countries | First uptake | Months to first | Half-life (years) |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        let dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
        for o in &ranked {
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&o.title),
                o.output_id,
                o.year,
                o.documents,
                o.mentions,
                measured(o, o.passages),
                measured(o, o.reused_chars),
                o.sectors,
                o.countries,
                dash(o.first_uptake.map(|d| d.to_string())),
                dash(o.months_to_first_uptake.map(|m| m.to_string())),
                dash(o.half_life_years.map(|m| m.to_string())),
            );
        }
        s.push('\n');
    }
    let rippled: Vec<_> = a
        .outputs
        .iter()
        .filter(|o| o.generations.iter().skip(1).sum::<u64>() > 0)
        .collect();
    if !rippled.is_empty() {
        let _ = writeln!(s, "## Ripples beyond direct uptake\n");
        let _ = writeln!(
            s,
            "Documents that link to a citing document, without citing the output themselves (second generation), and so on.\n"
        );
        for o in rippled {
            let gens: Vec<String> = o
                .generations
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, n)| **n > 0)
                .map(|(g, n)| format!("{n} in generation {}", g + 1))
                .collect();
            let _ = writeln!(
                s,
                "- {} (`{}`): {}",
                cell(&o.title),
                o.output_id,
                gens.join(", ")
            );
        }
        s.push('\n');
    }
    let mut themes: Vec<(&str, u64)> = Vec::new();
    for t in &a.themes {
        match themes.iter_mut().find(|(n, _)| *n == t.theme) {
            Some(e) => e.1 = e.1.max(t.cumulative_documents),
            None => themes.push((t.theme.as_str(), t.cumulative_documents)),
        }
    }
    themes.retain(|t| t.1 > 0);
    themes.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    if !themes.is_empty() {
        let _ = writeln!(s, "## Themes\n");
        let _ = writeln!(s, "| Theme | Documents citing any of its outputs |");
        let _ = writeln!(s, "|---|---:|");
        for (t, n) in themes {
            let _ = writeln!(s, "| {} | {n} |", cell(t));
        }
        s.push('\n');
    }
    if !input.activity.is_empty() {
        let _ = writeln!(s, "## How the BPFs worked\n");
        let _ = writeln!(
            s,
            "The functioning checks of *BPF on BPFs* (chapter D.c), over {} outputs. Unknown means no public source states it.\n",
            input.activity.len()
        );
        let _ = writeln!(s, "| Check | Yes | No | Unknown |");
        let _ = writeln!(s, "|---|---:|---:|---:|");
        let all: Vec<[Check; 6]> = input.activity.iter().map(|a| a.checks()).collect();
        for (i, name) in SCORECARD_CHECKS.iter().enumerate() {
            let n = |c: Check| all.iter().filter(|x| x[i] == c).count();
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {} |",
                n(Check::Pass),
                n(Check::Fail),
                n(Check::Unknown)
            );
        }
        s.push('\n');
    }
    own_follow_up(input, &mut s);
    let none: Vec<_> = a.outputs.iter().filter(|o| o.documents == 0).collect();
    if !none.is_empty() {
        let _ = writeln!(s, "## No uptake found\n");
        for o in none {
            let _ = writeln!(s, "- {} ({}, `{}`)", cell(&o.title), o.year, o.output_id);
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## Caveats\n");
    let _ = writeln!(
        s,
        "Counts cover only the sources read: {}. A document citing an output several times counts once per output. Undated documents are counted without a year.",
        input
            .sources
            .iter()
            .map(|(n, k)| format!("{} ({k})", cell(n)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s
}

/// A reuse figure, or `n/m` when the output's reuse was not measured.
fn measured(o: &crate::records::OutputMetrics, n: u64) -> String {
    if o.reuse_measured {
        n.to_string()
    } else {
        "n/m".into()
    }
}

/// The section of the own documents: each with the outputs it cites (nothing when the catalogue names no own site).
fn own_follow_up(input: &ReportInput, s: &mut String) {
    if input.own_scope().is_none() {
        return;
    }
    let rows = input.own_follow_up();
    let _ = writeln!(s, "## {}\n", cell(&input.own_heading()));
    let _ = writeln!(
        s,
        "Pages on {} are {} own follow-up of its outputs, not uptake by others; they are {} ({} read, {} citing or reusing an output).\n",
        cell(&input.own_sites.join(", ")),
        cell(&input.own_whose()),
        if input.analysis.own_counted {
            "counted above like any other document"
        } else {
            "not counted above"
        },
        input.analysis.own_documents,
        rows.len()
    );
    let title = |id: &str| {
        input
            .analysis
            .outputs
            .iter()
            .find(|o| o.output_id == id)
            .map_or(id.to_string(), |o| cell(&o.title))
    };
    for (d, cites) in &rows {
        let cited: Vec<String> = cites
            .iter()
            .map(|c| {
                format!(
                    "{} (`{}`, {})",
                    title(&c.output_id),
                    c.output_id,
                    c.strongest
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "- {} ({}, {}): {}",
            cell(d.title.as_deref().unwrap_or(&d.url)),
            d.published
                .as_ref()
                .map_or("undated".to_string(), |p| p.date.to_string()),
            cell(&d.url),
            cited.join(", ")
        );
    }
    if !rows.is_empty() {
        s.push('\n');
    }
}
