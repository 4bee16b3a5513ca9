//! `summary.md`: the text for the annual report on intersessional impact — a headline, a table per output and
//! the caveats, in Markdown that pastes into any editor.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{write_file, ReportError, ReportFormat, ReportInput};

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
    let mentions: u64 = a.outputs.iter().map(|o| o.mentions).sum();
    let passages: u64 = a.outputs.iter().map(|o| o.passages).sum();
    let _ = writeln!(
        s,
        "{} of {} tracked outputs were taken up by {} documents, with {} mentions and {} reused passages, out of {} documents read ({} skipped, {} copies of outputs not counted).\n",
        input.taken_up(),
        a.outputs.len(),
        input.citing_documents(),
        mentions,
        passages,
        input.documents.len(),
        input.skipped.len(),
        a.copies
    );
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
            "| Output | Year | Documents | Mentions | Passages | Reused chars | First uptake |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---|");
        for o in &ranked {
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {} | {} | {} | {} |",
                cell(&o.title),
                o.output_id,
                o.year,
                o.documents,
                o.mentions,
                o.passages,
                o.reused_chars,
                o.first_uptake
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into())
            );
        }
        s.push('\n');
    }
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
