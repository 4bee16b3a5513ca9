//! `index.html`: one self-contained page (inline CSS, no script, no network) with the overview, a section per
//! output and the methods. Every string from a document is escaped; links keep only http, https and file URLs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::charts::ripple_chart;
use super::{write_file, ReportError, ReportFormat, ReportInput};
use crate::analyse::{Evidence, OutputMetrics};

/// The HTML report.
pub struct HtmlReport;

impl ReportFormat for HtmlReport {
    fn name(&self) -> &'static str {
        "html"
    }
    fn write(&self, input: &ReportInput, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
        Ok(vec![write_file(&dir.join("index.html"), &render(input))?])
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A safe href: http, https and file URLs only, escaped; anything else gives `None`.
fn safe_href(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https" | "file").then(|| escape_html(parsed.as_str()))
}

fn link_or_text(url: &str, text: &str) -> String {
    match safe_href(url) {
        Some(h) => format!(
            "<a href=\"{h}\" rel=\"noopener noreferrer\">{}</a>",
            escape_html(text)
        ),
        None => escape_html(text),
    }
}

const CSS: &str = r#"
:root{--ink:#263238;--muted:#607d8b;--accent:#2a9d8f;--warm:#e76f51;--bg:#fafaf7;--card:#fff;--line:#e0e0dc}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--ink);color:#fff;padding:2rem 2rem 1.5rem}header h1{margin:0 0 .3rem;font-size:1.9rem}header p{margin:0;color:#cfd8dc}
main{max-width:1100px;margin:0 auto;padding:1.5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.8rem;margin:1rem 0 1.5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem}.card b{display:block;font-size:1.8rem;color:var(--accent)}.card span{color:var(--muted);font-size:.9rem}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.2rem 1.4rem;margin:1.2rem 0}
h2{margin-top:0}h3{margin:.2rem 0 .6rem}table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.none td{color:var(--muted)}
img{max-width:100%;height:auto}.kind{display:inline-block;padding:0 .45rem;border-radius:6px;background:#e0f2f1;font-size:.8rem}.kind.reuse{background:#fbe9e7}
.snippet{color:#37474f;font-size:.88rem}mark{background:#fff3c4;color:inherit;padding:0 .1rem;border-radius:3px}.meta{color:var(--muted);font-size:.9rem}a{color:#00796b}nav.toc a{margin-right:.6rem}
.flag{color:var(--warm)}footer{color:var(--muted);font-size:.85rem;text-align:center;padding:2rem}
"#;

fn fmt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "undated".into())
}

/// Renders the whole page.
pub fn render(input: &ReportInput) -> String {
    let a = input.analysis;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Uptake report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header><h1>Who took up the reports?</h1><p>Citations, references and reused text found for {} tracked outputs in {} documents.</p></header>\n<main>\n",
        a.outputs.len(),
        input.documents.len()
    );
    let passages: u64 = a.outputs.iter().map(|o| o.passages).sum();
    let mentions: u64 = a.outputs.iter().map(|o| o.mentions).sum();
    let _ = writeln!(
        h,
        "<div class=\"cards\">\
<div class=\"card\"><b>{}</b><span>of {} outputs taken up</span></div>\
<div class=\"card\"><b>{}</b><span>citing or reusing documents</span></div>\
<div class=\"card\"><b>{}</b><span>mentions</span></div>\
<div class=\"card\"><b>{}</b><span>reused passages</span></div>\
<div class=\"card\"><b>{}</b><span>documents skipped</span></div>\
</div>",
        input.taken_up(),
        a.outputs.len(),
        input.citing_documents(),
        mentions,
        passages,
        input.skipped.len()
    );
    h.push_str("<section id=\"overview\"><h2>Overview</h2>\n<img src=\"charts/overview.svg\" alt=\"Citing documents per output\">\n");
    h.push_str("<table><thead><tr><th>Output</th><th>Year</th><th>Documents</th><th>Mentions</th><th>Passages</th><th>Reused chars</th><th>First uptake</th><th>Months to first</th></tr></thead><tbody>\n");
    for o in &a.outputs {
        let _ = writeln!(
            h,
            "<tr{}><td><a href=\"#o-{id}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            if o.documents == 0 { " class=\"none\"" } else { "" },
            escape_html(&o.title),
            o.year,
            o.documents,
            o.mentions,
            o.passages,
            o.reused_chars,
            o.first_uptake.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            o.months_to_first_uptake.map(|m| m.to_string()).unwrap_or_else(|| "—".into()),
            id = escape_html(&o.output_id),
        );
    }
    h.push_str("</tbody></table></section>\n");
    for o in &a.outputs {
        output_section(&mut h, o);
    }
    methods(&mut h, input);
    let _ = write!(
        h,
        "</main>\n<footer>Generated by uptake {}. Every count links to the passage behind it.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn output_section(h: &mut String, o: &OutputMetrics) {
    let id = escape_html(&o.output_id);
    let _ =
        write!(
        h,
        "<section id=\"o-{id}\"><h2>{}</h2>\n<p class=\"meta\">{} · {}{} · <code>{id}</code></p>\n",
        escape_html(&o.title),
        o.year,
        o.theme.as_deref().map(escape_html).unwrap_or_else(|| "no theme".into()),
        if o.dated_before_output > 0 {
            format!(
                " · <span class=\"flag\">{} document(s) dated before the output</span>",
                o.dated_before_output
            )
        } else {
            String::new()
        },
    );
    if o.documents == 0 {
        h.push_str(
            "<p>No citing or reusing document was found in the sources read.</p></section>\n",
        );
        return;
    }
    let _ = write!(
        h,
        "<p><b>{}</b> documents · <b>{}</b> mentions · <b>{}</b> reused passages ({} characters) · {} publishers · {} sectors{}</p>\n<img src=\"{}\" alt=\"Ripple curve of {id}\">\n",
        o.documents,
        o.mentions,
        o.passages,
        o.reused_chars,
        o.publishers,
        o.sectors,
        if o.undated_documents > 0 {
            format!(" · {} undated", o.undated_documents)
        } else {
            String::new()
        },
        ripple_chart(&o.output_id, "svg"),
    );
    h.push_str("<h3>Evidence</h3><table><thead><tr><th>Date</th><th>Document</th><th>Publisher</th><th>Kind</th><th>Passage</th><th>Score</th></tr></thead><tbody>\n");
    for e in &o.evidence {
        evidence_row(h, e);
    }
    h.push_str("</tbody></table></section>\n");
}

/// The snippet, escaped, with the matched words marked.
fn highlight(snippet: &str, matched: &str) -> String {
    match (!matched.is_empty())
        .then(|| snippet.find(matched))
        .flatten()
    {
        Some(i) => format!(
            "{}<mark>{}</mark>{}",
            escape_html(&snippet[..i]),
            escape_html(matched),
            escape_html(&snippet[i + matched.len()..])
        ),
        None => escape_html(snippet),
    }
}

fn evidence_row(h: &mut String, e: &Evidence) {
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td>{}</td><td>{}{}</td><td><span class=\"kind{}\">{}</span></td><td class=\"snippet\">{}</td><td class=\"n\">{:.2}</td></tr>",
        fmt_date(e.published),
        link_or_text(&e.url, &e.doc_title),
        e.publisher.as_deref().map(escape_html).unwrap_or_default(),
        e.sector
            .as_deref()
            .map(|s| format!(" <span class=\"meta\">({})</span>", escape_html(s)))
            .unwrap_or_default(),
        if e.kind == "reuse" { " reuse" } else { "" },
        escape_html(&e.kind),
        highlight(&e.snippet, &e.matched),
        e.score,
    );
}

fn methods(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"methods\"><h2>Methods and coverage</h2>\n<p>References are titles, aliases, themes named with a forum cue and a year, and links to an output's addresses. Reused passages are runs of shared word sequences, allowing light edits, scored by token-level similarity. Documents that are copies of an output are not counted as uptake");
    let _ = write!(
        h,
        " ({} here).</p>\n<p>Sources read: ",
        input.analysis.copies
    );
    let names: Vec<String> = input
        .sources
        .iter()
        .map(|(n, k)| format!("{} ({})", escape_html(n), escape_html(k)))
        .collect();
    h.push_str(&names.join(", "));
    let _ = writeln!(h, ". Documents read: {}.</p>", input.documents.len());
    if input.skipped.is_empty() {
        h.push_str("<p>No input was skipped.</p>\n");
    } else {
        h.push_str("<h3>Skipped</h3><table><thead><tr><th>Stage</th><th>Location</th><th>Reason</th></tr></thead><tbody>\n");
        for s in input.skipped {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape_html(&s.stage),
                escape_html(&s.location),
                escape_html(&s.reason)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_refuses_script_urls() {
        assert_eq!(
            escape_html("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
        assert_eq!(
            link_or_text("javascript:alert(1)", "<b>t</b>"),
            "&lt;b&gt;t&lt;/b&gt;"
        );
        assert!(link_or_text("https://a.org/?q=\"x\"", "t")
            .starts_with("<a href=\"https://a.org/?q=%22x%22\""));
    }
}
