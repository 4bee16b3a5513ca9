//! `index.html`: one self-contained page (inline CSS, no script, no network) with the overview, a section per
//! output and the methods. Every string from a document is escaped; links keep only http, https and file URLs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::charts::{chart_file, charts, ripple_stem, sectors_stem, Chart};
use super::{write_file, ReportError, ReportFormat, ReportInput};
use crate::analyse::{Evidence, OutputMetrics};
use crate::records::{Check, EvidenceKind, SCORECARD_CHECKS};

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
nav.toc{max-width:1100px;margin:0 auto;padding:.6rem 1.5rem 0}nav.toc a{margin-right:.9rem}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.8rem;margin:1rem 0 1.5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem}.card b{display:block;font-size:1.8rem;color:var(--accent)}.card span{color:var(--muted);font-size:.9rem}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.2rem 1.4rem;margin:1.2rem 0}
h2{margin-top:0}h3{margin:1rem 0 .6rem}table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.none td{color:var(--muted)}
figure{margin:1rem 0}figure svg.chart{max-width:100%;height:auto;display:block}figcaption{color:var(--muted);font-size:.85rem}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}.wide{overflow-x:auto}th.name{min-width:19rem;font-weight:600;color:var(--ink)}td.d{white-space:nowrap}
.kind{display:inline-block;padding:0 .45rem;border-radius:6px;background:#e0f2f1;font-size:.8rem}.kind.reuse{background:#fbe9e7}
.snippet{color:#37474f;font-size:.88rem}mark{background:#fff3c4;color:inherit;padding:0 .1rem;border-radius:3px}.meta{color:var(--muted);font-size:.9rem}a{color:#00796b}
.flag{color:var(--warm)}.yes{color:#1b7f5b;font-weight:600}.no{color:#b23c17;font-weight:600}.unknown{color:var(--muted)}
details{margin:.6rem 0}summary{cursor:pointer;color:#00796b}footer{color:var(--muted);font-size:.85rem;text-align:center;padding:2rem}
@media print{body{background:#fff;font-size:11pt}header{background:none;color:#000;padding:0 0 1rem}header p{color:#333}nav.toc,details summary{display:none}
details{display:block}section{border:none;padding:0;margin:0 0 1.5rem;break-inside:auto}figure,tr{break-inside:avoid}a{color:#000}section.output{break-before:page}}
"#;

fn fmt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "undated".into())
}

fn dash<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

/// A chart inlined as SVG (with its alternative text as the SVG's title), with links to its files for slides.
fn figure(h: &mut String, c: &Chart) {
    let id = format!("chart-{}", escape_html(&c.stem));
    let alt = escape_html(&c.alt);
    let body = match c.svg() {
        Ok(svg) => {
            let svg = svg.replacen(
                "<svg ",
                &format!("<svg role=\"img\" aria-labelledby=\"{id}\" class=\"chart\" "),
                1,
            );
            match svg.find('>') {
                Some(i) => format!(
                    "{}<title id=\"{id}\">{alt}</title>{}",
                    &svg[..=i],
                    &svg[i + 1..]
                ),
                None => svg,
            }
        }
        // The PNG beside the page says the same.
        Err(_) => format!(
            "<img src=\"{}\" alt=\"{alt}\">",
            escape_html(&chart_file(&c.stem, "png"))
        ),
    };
    let _ = writeln!(
        h,
        "<figure>{body}<figcaption>{alt} · <a href=\"{}\">PNG</a> · <a href=\"{}\">SVG</a></figcaption></figure>",
        escape_html(&chart_file(&c.stem, "png")),
        escape_html(&chart_file(&c.stem, "svg"))
    );
}

/// Renders the whole page.
pub fn render(input: &ReportInput) -> String {
    let a = input.analysis;
    let charts = charts(input);
    let chart = |stem: &str| charts.iter().find(|c| c.stem == stem);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:\">\n<title>Uptake report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header><h1>Who took up the reports?</h1><p>Citations, references, reused text and the ripples beyond them, found for {} tracked outputs in {} documents.</p></header>\n<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#overview\">Overview</a><a href=\"#themes\">Themes</a><a href=\"#outputs\">Outputs</a><a href=\"#scorecard\">Scorecard</a><a href=\"#methods\">Methods</a></nav>\n<main>\n",
        a.outputs.len(),
        input.documents.len()
    );
    let passages: u64 = a.outputs.iter().map(|o| o.passages).sum();
    let mentions: u64 = a.outputs.iter().map(|o| o.mentions).sum();
    let later: std::collections::BTreeSet<&str> = a
        .ripple
        .iter()
        .filter(|r| r.generation > 1 && r.documents > 0)
        .map(|r| r.output_id.as_str())
        .collect();
    let sectors = input.sector_shares();
    let _ = writeln!(
        h,
        "<div class=\"cards\">\
<div class=\"card\"><b>{}</b><span>of {} outputs taken up</span></div>\
<div class=\"card\"><b>{}</b><span>citing or reusing documents</span></div>\
<div class=\"card\"><b>{}</b><span>mentions</span></div>\
<div class=\"card\"><b>{}</b><span>reused passages</span></div>\
<div class=\"card\"><b>{}</b><span>outputs with second-order ripples</span></div>\
<div class=\"card\"><b>{}</b><span>sectors reached</span></div>\
<div class=\"card\"><b>{}</b><span>documents skipped</span></div>\
</div>",
        input.taken_up(),
        a.outputs.len(),
        input.citing_documents(),
        mentions,
        passages,
        later.len(),
        sectors.iter().filter(|s| s.0 != "unclassified").count(),
        input.skipped.len()
    );
    h.push_str("<section id=\"overview\"><h2>Overview</h2>\n");
    for stem in ["small-multiples", "heatmap"] {
        if let Some(c) = chart(stem) {
            figure(&mut h, c);
        }
    }
    heat_table(&mut h, input);
    for stem in ["sectors", "overview"] {
        if let Some(c) = chart(stem) {
            figure(&mut h, c);
        }
    }
    h.push_str("<h3>All outputs</h3><div class=\"wide\"><table><thead><tr><th scope=\"col\">Output</th><th scope=\"col\" class=\"n\">Year</th><th scope=\"col\" class=\"n\">Documents</th><th scope=\"col\" class=\"n\">Mentions</th><th scope=\"col\" class=\"n\">Passages</th><th scope=\"col\" class=\"n\">Reused chars</th><th scope=\"col\" class=\"n\">Publishers</th><th scope=\"col\" class=\"n\">Sectors</th><th scope=\"col\" class=\"n\">Countries</th><th scope=\"col\">First uptake</th><th scope=\"col\" class=\"n\">Months to first</th><th scope=\"col\" class=\"n\">Half-life (years)</th><th scope=\"col\" class=\"n\">Years active</th><th scope=\"col\" class=\"n\">2nd generation</th></tr></thead><tbody>\n");
    for o in &a.outputs {
        let _ = writeln!(
            h,
            "<tr{}><th scope=\"row\" class=\"name\"><a href=\"#o-{id}\">{}</a></th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"d\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if o.documents == 0 { " class=\"none\"" } else { "" },
            escape_html(&o.title),
            o.year,
            o.documents,
            o.mentions,
            o.passages,
            o.reused_chars,
            o.publishers,
            o.sectors,
            o.countries,
            dash(o.first_uptake),
            dash(o.months_to_first_uptake),
            dash(o.half_life_years),
            o.years_active,
            o.generations.iter().skip(1).sum::<u64>(),
            id = escape_html(&o.output_id),
        );
    }
    h.push_str("</tbody></table></div></section>\n");
    themes(&mut h, input);
    h.push_str("<div id=\"outputs\"></div>\n");
    for o in &a.outputs {
        output_section(&mut h, o, &charts);
    }
    scorecard(&mut h, input);
    methods(&mut h, input);
    let _ = write!(
        h,
        "</main>\n<footer>Generated by uptake {}. Every count links to the passage behind it.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// The heat map's numbers as a table, for screen readers and for copying.
fn heat_table(h: &mut String, input: &ReportInput) {
    let a = input.analysis;
    let years: std::collections::BTreeSet<i32> = a
        .uptake
        .iter()
        .filter(|u| u.documents > 0)
        .filter_map(|u| u.year)
        .collect();
    if years.is_empty() {
        return;
    }
    h.push_str("<details><summary>The heat map as a table</summary><table><thead><tr><th scope=\"col\">Output</th>");
    for y in &years {
        let _ = write!(h, "<th scope=\"col\" class=\"n\">{y}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for o in a.outputs.iter().filter(|o| o.documents > 0) {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th>",
            escape_html(&o.output_id)
        );
        for y in &years {
            let n = a
                .uptake
                .iter()
                .find(|u| u.output_id == o.output_id && u.year == Some(*y))
                .map_or(0, |u| u.documents);
            let _ = write!(
                h,
                "<td class=\"n\">{}</td>",
                if n > 0 { n.to_string() } else { String::new() }
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></details>\n");
}

/// Uptake rolled up by theme.
fn themes(h: &mut String, input: &ReportInput) {
    let a = input.analysis;
    let mut names: Vec<&str> = a.themes.iter().map(|t| t.theme.as_str()).collect();
    names.dedup();
    h.push_str("<section id=\"themes\"><h2>Themes over time</h2>\n<p>Documents citing or reusing any output of a theme: recurring BPF themes accumulate uptake across their yearly reports. <i>Without a year</i> counts documents that name a theme's forum with no year to say which output (theme-level mentions, not counted for any output).</p>\n<table><thead><tr><th scope=\"col\">Theme</th><th scope=\"col\" class=\"n\">Outputs</th><th scope=\"col\" class=\"n\">Documents</th><th scope=\"col\" class=\"n\">Without a year</th><th scope=\"col\">Years with uptake</th><th scope=\"col\">Peak year</th></tr></thead><tbody>\n");
    for name in names {
        let rows: Vec<_> = a.themes.iter().filter(|t| t.theme == name).collect();
        let outputs = a
            .outputs
            .iter()
            .filter(|o| o.theme.as_deref() == Some(name))
            .count();
        let total = rows
            .iter()
            .map(|r| r.cumulative_documents)
            .max()
            .unwrap_or(0);
        let unyeared = input
            .theme_mentions
            .iter()
            .filter(|t| t.theme == name)
            .map(|t| t.doc_id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let active: Vec<String> = rows
            .iter()
            .filter(|r| r.documents > 0)
            .map(|r| r.year.map_or("undated".into(), |y| y.to_string()))
            .collect();
        let peak = rows
            .iter()
            .filter(|r| r.documents > 0 && r.year.is_some())
            .max_by_key(|r| (r.documents, std::cmp::Reverse(r.year)))
            .and_then(|r| r.year);
        let _ = writeln!(
            h,
            "<tr{}><th scope=\"row\">{}</th><td class=\"n\">{outputs}</td><td class=\"n\">{total}</td><td class=\"n\">{unyeared}</td><td>{}</td><td>{}</td></tr>",
            if total == 0 { " class=\"none\"" } else { "" },
            escape_html(name),
            if active.is_empty() { "—".into() } else { active.join(", ") },
            dash(peak),
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn output_section(h: &mut String, o: &OutputMetrics, charts: &[Chart]) {
    let id = escape_html(&o.output_id);
    let _ = write!(
        h,
        "<section class=\"output\" id=\"o-{id}\"><h2>{}</h2>\n<p class=\"meta\">{} · {} · <code>{id}</code>{}</p>\n",
        escape_html(&o.title),
        o.published.map_or(o.year.to_string(), |d| format!("published {d}")),
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
    let later: u64 = o.generations.iter().skip(1).sum();
    let _ = writeln!(
        h,
        "<p><b>{}</b> documents · <b>{}</b> mentions · <b>{}</b> reused passages ({} characters) · {} publishers · {} sectors · {} countries{}</p>\n<p class=\"meta\">First uptake {} ({} months after publication) · half-life {} · active in {} year(s){}</p>",
        o.documents,
        o.mentions,
        o.passages,
        o.reused_chars,
        o.publishers,
        o.sectors,
        o.countries,
        if o.undated_documents > 0 {
            format!(" · {} undated", o.undated_documents)
        } else {
            String::new()
        },
        dash(o.first_uptake),
        dash(o.months_to_first_uptake),
        o.half_life_years.map_or("—".into(), |y| format!("{y} year(s)")),
        o.years_active,
        if later > 0 {
            format!(" · <b>{later}</b> further document(s) cite those documents (second-order ripple)")
        } else {
            String::new()
        },
    );
    h.push_str("<div class=\"pair\">");
    for stem in [ripple_stem(&o.output_id), sectors_stem(&o.output_id)] {
        if let Some(c) = charts.iter().find(|c| c.stem == stem) {
            figure(h, c);
        }
    }
    h.push_str("</div>\n");
    h.push_str("<h3>Evidence</h3><table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Document</th><th scope=\"col\">Publisher</th><th scope=\"col\">Kind</th><th scope=\"col\">Passage</th><th scope=\"col\" class=\"n\">Score</th></tr></thead><tbody>\n");
    for e in &o.evidence {
        evidence_row(h, e);
    }
    h.push_str("</tbody></table></section>\n");
}

/// The functioning scorecard: six checks per output, unknown shown as unknown.
fn scorecard(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"scorecard\"><h2>How each BPF worked: the functioning scorecard</h2>\n<p>The six checks of <i>BPF on BPFs</i> (2020), chapter D.c. Only facts stated in public sources are filled; a grey <span class=\"unknown\">?</span> is <b>unknown</b>, not a failure.</p>\n");
    if input.activity.is_empty() {
        h.push_str("<p class=\"meta\">No activity file was given (<code>activity</code> in the config).</p></section>\n");
        return;
    }
    h.push_str("<div class=\"wide\"><table><thead><tr><th scope=\"col\">Output</th>");
    for name in SCORECARD_CHECKS {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape_html(name));
    }
    h.push_str("<th scope=\"col\" class=\"n\">Known to pass</th></tr></thead><tbody>\n");
    for a in input.activity {
        let checks = a.checks();
        let _ = write!(
            h,
            "<tr><th scope=\"row\"><a href=\"#o-{0}\">{0}</a></th>",
            escape_html(&a.output_id)
        );
        for c in checks {
            let (class, sign) = match c {
                Check::Pass => ("yes", "✓"),
                Check::Fail => ("no", "✗"),
                Check::Unknown => ("unknown", "?"),
            };
            let _ = write!(
                h,
                "<td class=\"{class}\" title=\"{0}\">{sign} <span class=\"meta\">{0}</span></td>",
                c.as_str()
            );
        }
        let pass = checks.iter().filter(|c| **c == Check::Pass).count();
        let known = checks.iter().filter(|c| **c != Check::Unknown).count();
        let _ = writeln!(h, "<td class=\"n\">{pass} of {known} known</td></tr>");
    }
    h.push_str("</tbody></table></div>\n<details><summary>Sources of these facts</summary><ul>\n");
    for a in input.activity.iter().filter(|a| !a.sources.is_empty()) {
        let _ = writeln!(
            h,
            "<li><code>{}</code>: {}</li>",
            escape_html(&a.output_id),
            escape_html(&a.sources)
        );
    }
    h.push_str("</ul></details></section>\n");
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
        "<tr><td>{}</td><td>{}{}</td><td>{}{}</td><td><span class=\"kind{}\">{}</span></td><td class=\"snippet\">{}</td><td class=\"n\">{:.2}</td></tr>",
        fmt_date(e.published),
        link_or_text(&e.url, &e.doc_title),
        e.in_output
            .as_deref()
            .map(|o| format!(" <span class=\"meta\">(the output <code>{}</code>)</span>", escape_html(o)))
            .unwrap_or_default(),
        e.publisher.as_deref().map(escape_html).unwrap_or_default(),
        e.sector
            .as_deref()
            .map(|s| format!(" <span class=\"meta\">({})</span>", escape_html(s)))
            .unwrap_or_default(),
        if e.kind == EvidenceKind::Reuse { " reuse" } else { "" },
        e.kind,
        highlight(&e.snippet, &e.matched),
        e.score,
    );
}

fn methods(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"methods\"><h2>Methods and coverage</h2>\n<p>References are titles (and their shortened forms), aliases, themes named with a forum cue and a year, the forum with a year and an output's topic (lists, a theme's history, a page about one forum), and links to an output's addresses. Reused passages are runs of shared word sequences, allowing light edits, scored by token-level similarity. Documents that are copies of an output are not counted as uptake of it");
    let _ = writeln!(h, " ({} here); what they cite of other outputs is, marked <i>the output</i> in the evidence: one forum's output building on another's.</p>", input.analysis.copies);
    h.push_str("<p><b>Metrics.</b> <i>Documents</i> counts each citing document once per output, however often it cites. <i>Months to first</i> runs from the output's publication date (the catalogue's, else 1 January of its year) to the first dated citing document. <i>Half-life</i> is the number of years after publication by which half of the dated citing documents had appeared. <i>Years active</i> counts the years with at least one citing document. The <i>second generation</i> are documents that link to a citing document without citing the output themselves; later generations follow links further. Sectors and countries are those of the publisher, where known.</p>\n");
    h.push_str("<h3>What was read</h3><table><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Kind</th><th scope=\"col\" class=\"n\">Documents</th></tr></thead><tbody>\n");
    for (name, kind) in &input.sources {
        let n = input.documents.iter().filter(|d| &d.source == name).count();
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{n}</td></tr>",
            escape_html(name),
            escape_html(kind)
        );
    }
    let _ = writeln!(h, "</tbody></table>\n<p>Documents read: {}. Undated documents are counted without a year; documents dated before the output they cite are flagged in their section.</p>", input.documents.len());
    if !input.crawl_log.is_empty() {
        let mut hosts: Vec<&str> = input.crawl_log.iter().map(|r| r.host.as_str()).collect();
        hosts.sort_unstable();
        hosts.dedup();
        h.push_str("<h3>Web crawl</h3><table><thead><tr><th scope=\"col\">Host</th><th scope=\"col\" class=\"n\">Fetched</th><th scope=\"col\" class=\"n\">Not modified</th><th scope=\"col\" class=\"n\">Disallowed</th><th scope=\"col\" class=\"n\">Failed or refused</th><th scope=\"col\" class=\"n\">Not fetched</th></tr></thead><tbody>\n");
        for host in hosts {
            let count = |o: &[&str]| {
                input
                    .crawl_log
                    .iter()
                    .filter(|r| r.host == host && o.contains(&r.outcome.as_str()))
                    .count()
            };
            let _ = writeln!(
                h,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape_html(host),
                count(&["fetched"]),
                count(&["not_modified"]),
                count(&["disallowed"]),
                count(&["failed", "refused"]),
                count(&["not_fetched"]),
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if input.skipped.is_empty() {
        h.push_str("<p>No input was skipped.</p>\n");
    } else {
        let _ = writeln!(h, "<h3>Skipped ({})</h3><p>These inputs could not be read; uptake they hold is not counted.</p><table><thead><tr><th scope=\"col\">Stage</th><th scope=\"col\">Location</th><th scope=\"col\">Reason</th></tr></thead><tbody>", input.skipped.len());
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
