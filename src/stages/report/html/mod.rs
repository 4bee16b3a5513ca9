//! `index.html`: one self-contained page (inline CSS, no script, no network) with the overview, a section per
//! output and the methods. The page is written with maud's `html!`, which escapes every spliced value; text that
//! came from data goes through [`text::Text`] (the same escaping plus apostrophes and control characters). Links
//! keep only http, https and file URLs. The only markup spliced in unescaped is this file's CSS and the charts'
//! SVG, which plotters escapes as it draws.

mod banner;
mod own;
mod sections;
#[cfg(test)]
mod tests;
mod text;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use maud::{html, Markup, PreEscaped, Render, DOCTYPE};

use super::charts::{chart_file, charts, Chart};
use super::{write_file, ReportError, ReportFormat, ReportInput};
use text::Text;

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

/// The Content-Security-Policy of the page: inline style and images beside it, nothing else.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:";

/// A chart inlined as SVG (with its alternative text as the SVG's title), with links to its files for slides.
fn figure(c: &Chart) -> Markup {
    let png = chart_file(&c.stem, "png");
    let svg_file = chart_file(&c.stem, "svg");
    let body = match c.svg() {
        Ok(svg) => PreEscaped(inline_svg(svg, &format!("chart-{}", c.stem), &c.alt)),
        // The PNG beside the page says the same.
        Err(_) => html! { img src=(Text(&png)) alt=(Text(&c.alt)); },
    };
    html! {
        figure {
            (body)
            figcaption { (Text(&c.alt)) " · " a href=(Text(&png)) { "PNG" } " · " a href=(Text(&svg_file)) { "SVG" } }
        }
        "\n"
    }
}

/// plotters' SVG (which escapes the text it draws) with the role, label and class the page gives it, and `alt` as
/// its title.
fn inline_svg(svg: String, id: &str, alt: &str) -> String {
    let open = format!(
        "<svg role=\"img\" aria-labelledby=\"{}\" class=\"chart\" ",
        Text(id).render().into_string()
    );
    let svg = svg.replacen("<svg ", &open, 1);
    match svg.find('>') {
        Some(i) => {
            let title = html! { title id=(Text(id)) { (Text(alt)) } };
            format!("{}{}{}", &svg[..=i], title.into_string(), &svg[i + 1..])
        }
        None => svg,
    }
}

/// The columns of the table of all outputs: heading and whether it holds a number (right-aligned).
const OUTPUT_COLUMNS: [(&str, bool); 14] = [
    ("Output", false),
    ("Year", true),
    ("Documents", true),
    ("Mentions", true),
    ("Passages", true),
    ("Reused chars", true),
    ("Publishers", true),
    ("Sectors", true),
    ("Countries", true),
    ("First uptake", false),
    ("Months to first", true),
    ("Half-life (years)", true),
    ("Years active", true),
    ("2nd generation", true),
];

/// A table's header row from its columns.
fn header_row(columns: &[(&str, bool)]) -> Markup {
    html! {
        tr { @for (name, numeric) in columns { th scope="col" class=[numeric.then_some("n")] { (name) } } }
    }
}

/// Renders the whole page.
pub fn render(input: &ReportInput) -> String {
    let a = input.analysis;
    let charts = charts(input);
    let chart = |stem: &str| charts.iter().find(|c| c.stem == stem);
    let figures = |stems: [&str; 2]| {
        html! { @for c in stems.into_iter().filter_map(chart) { (figure(c)) } }
    };
    let nl = "\n";
    let page = html! {
        (DOCTYPE) (nl)
        html lang="en" {
            (nl)
            head {
                (nl) meta charset="utf-8";
                (nl) meta name="viewport" content="width=device-width, initial-scale=1";
                (nl) meta http-equiv="Content-Security-Policy" content=(CSP);
                (nl) title { "Uptake report" }
                (nl) style { (PreEscaped(CSS)) }
                (nl)
            }
            (nl)
            body {
                (nl)
                header {
                    h1 { "Who took up the reports?" }
                    p {
                        "Citations, references, reused text and the ripples beyond them, found for "
                        (a.outputs.len()) " tracked outputs in " (input.documents.len()) " documents."
                    }
                }
                (nl)
                nav class="toc" aria-label="Contents" {
                    a href="#overview" { "Overview" } a href="#themes" { "Themes" }
                    @if !input.own_sites.is_empty() { a href="#own" { "Own follow-up" } }
                    a href="#outputs" { "Outputs" } a href="#scorecard" { "Scorecard" } a href="#methods" { "Methods" }
                }
                (nl)
                main {
                    (nl)
                    (banner::coverage_banner(input))
                    (cards(input)) (nl)
                    (own::scope_note(input))
                    section id="overview" {
                        h2 { "Overview" } (nl)
                        (figures(["small-multiples", "heatmap"]))
                        (heat_table(input))
                        (figures(["sectors", "overview"]))
                        h3 { "All outputs" }
                        div class="wide" {
                            table {
                                thead { (header_row(&OUTPUT_COLUMNS)) }
                                tbody { (nl) @for o in &a.outputs { (sections::output_row(o)) (nl) } }
                            }
                        }
                    }
                    (nl)
                    (sections::themes(input))
                    (own::section(input))
                    div id="outputs" {} (nl)
                    @for o in &a.outputs { (sections::output_section(o, &charts)) }
                    (sections::scorecard(input))
                    (sections::methods(input))
                }
                (nl)
                footer {
                    "Generated by uptake " (env!("CARGO_PKG_VERSION")) ". Every count links to the passage behind it."
                }
                (nl)
            }
            (nl)
        }
        (nl)
    };
    page.into_string()
}

/// The headline numbers, one card each.
fn cards(input: &ReportInput) -> Markup {
    let a = input.analysis;
    let passages: u64 = a.outputs.iter().map(|o| o.passages).sum();
    let mentions: u64 = a.outputs.iter().map(|o| o.mentions).sum();
    let later: BTreeSet<&str> = a
        .ripple
        .iter()
        .filter(|r| r.generation > 1 && r.documents > 0)
        .map(|r| r.output_id.as_str())
        .collect();
    let sectors = input
        .sector_shares()
        .iter()
        .filter(|s| s.0 != "unclassified")
        .count();
    let taken_up = format!("of {} outputs taken up", a.outputs.len());
    let cards: [(usize, &str); 7] = [
        (input.taken_up(), &taken_up),
        (input.citing_documents(), "citing or reusing documents"),
        (mentions as usize, "mentions"),
        (passages as usize, "reused passages"),
        (later.len(), "outputs with second-order ripples"),
        (sectors, "sectors reached"),
        (input.skipped.len(), "documents skipped"),
    ];
    html! {
        div class="cards" { @for (n, what) in cards { div class="card" { b { (n) } span { (what) } } } }
    }
}

/// The heat map's numbers as a table, for screen readers and for copying.
fn heat_table(input: &ReportInput) -> Markup {
    let a = input.analysis;
    let years: BTreeSet<i32> = a
        .uptake
        .iter()
        .filter(|u| u.documents > 0)
        .filter_map(|u| u.year)
        .collect();
    let documents = |output_id: &str, year: i32| {
        a.uptake
            .iter()
            .find(|u| u.output_id == output_id && u.year == Some(year))
            .map_or(0, |u| u.documents)
    };
    html! {
        @if !years.is_empty() {
            details {
                summary { "The heat map as a table" }
                table {
                    thead { tr { th scope="col" { "Output" } @for y in &years { th scope="col" class="n" { (y) } } } }
                    tbody {
                        "\n"
                        @for o in a.outputs.iter().filter(|o| o.documents > 0) {
                            tr {
                                th scope="row" { (Text(&o.output_id)) }
                                @for y in &years {
                                    @let n = documents(&o.output_id, *y);
                                    td class="n" { @if n > 0 { (n) } }
                                }
                            }
                            "\n"
                        }
                    }
                }
            }
            "\n"
        }
    }
}
