//! The page's sections after the overview, each a maud template: the row of an output in the table of all
//! outputs, the themes over time, a section per output with its evidence, the functioning scorecard, and the
//! methods and coverage. Every value spliced in is escaped; text from data goes through [`Text`].

use std::collections::BTreeSet;

use maud::{html, Markup};

use super::figure;
use super::text::{dash, fmt_date, highlight, link_or_text, Text};
use crate::records::{Check, EvidenceKind, SCORECARD_CHECKS};
use crate::records::{Evidence, OutputMetrics};
use crate::report::charts::{ripple_stem, sectors_stem, Chart};
use crate::report::ReportInput;

/// The `class` of a row with nothing in it (greyed).
fn none_if(empty: bool) -> Option<&'static str> {
    empty.then_some("none")
}

/// One output's row in the table of all outputs (the columns of `OUTPUT_COLUMNS`).
pub fn output_row(o: &OutputMetrics) -> Markup {
    html! {
        tr class=[none_if(o.documents == 0)] {
            th scope="row" class="name" { a href={ "#o-" (Text(&o.output_id)) } { (Text(&o.title)) } }
            td class="n" { (o.year) }
            td class="n" { (o.documents) }
            td class="n" { (o.mentions) }
            @if o.reuse_measured {
                td class="n" { (o.passages) }
                td class="n" { (o.reused_chars) }
            } @else {
                td class="n none" title="no text of the output was read: reuse not measured" { "n/m" }
                td class="n none" title="no text of the output was read: reuse not measured" { "n/m" }
            }
            td class="n" { (o.publishers) }
            td class="n" { (o.sectors) }
            td class="n" { (o.countries) }
            td class="d" { (dash(o.first_uptake)) }
            td class="n" { (dash(o.months_to_first_uptake)) }
            td class="n" { (dash(o.half_life_years)) }
            td class="n" { (o.years_active) }
            td class="n" { (o.generations.iter().skip(1).sum::<u64>()) }
        }
    }
}

/// Uptake rolled up by theme.
pub fn themes(input: &ReportInput) -> Markup {
    let a = input.analysis;
    let mut names: Vec<&str> = a.themes.iter().map(|t| t.theme.as_str()).collect();
    names.dedup();
    html! {
        section id="themes" {
            h2 { "Themes over time" } "\n"
            p {
                "Documents citing or reusing any output of a theme: recurring BPF themes accumulate uptake across their \
                 yearly reports. " i { "Without a year" } " counts documents that name a theme's forum with no year to \
                 say which output (theme-level mentions, not counted for any output)."
            }
            "\n"
            table {
                thead {
                    tr {
                        th scope="col" { "Theme" } th scope="col" class="n" { "Outputs" }
                        th scope="col" class="n" { "Documents" } th scope="col" class="n" { "Without a year" }
                        th scope="col" { "Years with uptake" } th scope="col" { "Peak year" }
                    }
                }
                tbody { "\n" @for name in names { (theme_row(input, name)) "\n" } }
            }
        }
        "\n"
    }
}

fn theme_row(input: &ReportInput, name: &str) -> Markup {
    let a = input.analysis;
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
        .collect::<BTreeSet<_>>()
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
    html! {
        tr class=[none_if(total == 0)] {
            th scope="row" { (Text(name)) }
            td class="n" { (outputs) }
            td class="n" { (total) }
            td class="n" { (unyeared) }
            td { @if active.is_empty() { "—" } @else { (active.join(", ")) } }
            td { (dash(peak)) }
        }
    }
}

/// One output: its numbers, its two charts and the evidence behind them.
pub fn output_section(o: &OutputMetrics, charts: &[Chart]) -> Markup {
    let id = Text(&o.output_id);
    let later: u64 = o.generations.iter().skip(1).sum();
    html! {
        section class="output" id={ "o-" (id) } {
            h2 { (Text(&o.title)) } "\n"
            p class="meta" {
                @match o.published { Some(d) => { "published " (d) }, None => (o.year) }
                " · "
                @match &o.theme { Some(t) => (Text(t)), None => "no theme" }
                " · " code { (id) }
                @if o.dated_before_output > 0 {
                    " · " span class="flag" { (o.dated_before_output) " document(s) dated before the output" }
                }
            }
            "\n"
            @if o.documents == 0 {
                p { "No citing or reusing document was found in the sources read." }
            } @else {
                p {
                    b { (o.documents) } " documents · " b { (o.mentions) } " mentions · "
                    @if o.reuse_measured {
                        b { (o.passages) } " reused passages (" (o.reused_chars) " characters) · "
                    } @else {
                        "reuse not measured (no text of the output was read) · "
                    }
                    (o.publishers) " publishers · "
                    (o.sectors) " sectors · " (o.countries) " countries"
                    @if o.undated_documents > 0 { " · " (o.undated_documents) " undated" }
                }
                "\n"
                p class="meta" {
                    "First uptake " (dash(o.first_uptake)) " (" (dash(o.months_to_first_uptake))
                    " months after publication) · half-life "
                    @match o.half_life_years { Some(y) => { (y) " year(s)" }, None => "—" }
                    " · active in " (o.years_active) " year(s)"
                    @if later > 0 {
                        " · " b { (later) } " further document(s) cite those documents (second-order ripple)"
                    }
                }
                "\n"
                div class="pair" {
                    @for stem in [ripple_stem(&o.output_id), sectors_stem(&o.output_id)] {
                        @if let Some(c) = charts.iter().find(|c| c.stem == stem) { (figure(c)) }
                    }
                }
                "\n"
                h3 { "Evidence" }
                table {
                    thead {
                        tr {
                            th scope="col" { "Date" } th scope="col" { "Document" } th scope="col" { "Publisher" }
                            th scope="col" { "Kind" } th scope="col" { "Passage" } th scope="col" class="n" { "Score" }
                        }
                    }
                    tbody { "\n" @for e in &o.evidence { (evidence_row(e)) "\n" } }
                }
            }
        }
        "\n"
    }
}

/// One mention or reused passage: where, who, what kind, the words themselves and the score.
fn evidence_row(e: &Evidence) -> Markup {
    let kind_class = if e.kind == EvidenceKind::Reuse {
        "kind reuse"
    } else {
        "kind"
    };
    html! {
        tr {
            td { (fmt_date(e.published)) }
            td {
                (link_or_text(&e.url, &e.doc_title))
                @if let Some(o) = &e.in_output {
                    " " span class="meta" { "(the output " code { (Text(o)) } ")" }
                }
            }
            td {
                @if let Some(p) = &e.publisher { (Text(p)) }
                @if let Some(s) = &e.sector { " " span class="meta" { "(" (Text(s)) ")" } }
            }
            td { span class=(kind_class) { (Text(e.kind.as_str())) } }
            td class="snippet" { (highlight(&e.snippet, &e.matched)) }
            td class="n" { (format_args!("{:.2}", e.score)) }
        }
    }
}

/// The functioning scorecard: six checks per output, unknown shown as unknown.
pub fn scorecard(input: &ReportInput) -> Markup {
    html! {
        section id="scorecard" {
            h2 { "How each BPF worked: the functioning scorecard" } "\n"
            p {
                "The six checks of " i { "BPF on BPFs" } " (2020), chapter D.c. Only facts stated in public sources \
                 are filled; a grey " span class="unknown" { "?" } " is " b { "unknown" } ", not a failure."
            }
            "\n"
            @if input.activity.is_empty() {
                p class="meta" { "No activity file was given (" code { "activity" } " in the config)." }
            } @else {
                div class="wide" {
                    table {
                        thead {
                            tr {
                                th scope="col" { "Output" }
                                @for name in SCORECARD_CHECKS { th scope="col" { (name) } }
                                th scope="col" class="n" { "Known to pass" }
                            }
                        }
                        tbody { "\n" @for a in input.activity { (scorecard_row(a)) "\n" } }
                    }
                }
                "\n"
                details {
                    summary { "Sources of these facts" }
                    ul {
                        "\n"
                        @for a in input.activity.iter().filter(|a| !a.sources.is_empty()) {
                            li { code { (Text(&a.output_id)) } ": " (Text(&a.sources)) } "\n"
                        }
                    }
                }
            }
        }
        "\n"
    }
}

fn scorecard_row(a: &crate::records::Activity) -> Markup {
    let checks = a.checks();
    let pass = checks.iter().filter(|c| **c == Check::Pass).count();
    let known = checks.iter().filter(|c| **c != Check::Unknown).count();
    html! {
        tr {
            th scope="row" { a href={ "#o-" (Text(&a.output_id)) } { (Text(&a.output_id)) } }
            @for c in checks {
                @let (class, sign) = match c {
                    Check::Pass => ("yes", "✓"),
                    Check::Fail => ("no", "✗"),
                    Check::Unknown => ("unknown", "?"),
                };
                td class=(class) title=(c.as_str()) { (sign) " " span class="meta" { (c.as_str()) } }
            }
            td class="n" { (pass) " of " (known) " known" }
        }
    }
}

/// How the numbers were found, what was read, crawled and skipped.
pub fn methods(input: &ReportInput) -> Markup {
    html! {
        section id="methods" {
            h2 { "Methods and coverage" } "\n"
            p {
                "References are titles (and their shortened forms), aliases, themes named with a forum cue and a year, \
                 the forum with a year and an output's topic (lists, a theme's history, a page about one forum), and \
                 links to an output's addresses. Reused passages are runs of shared word sequences, allowing light \
                 edits, scored by token-level similarity. Documents that are copies of an output are not counted as \
                 uptake of it (" (input.analysis.copies) " here); what they cite of other outputs is, marked "
                i { "the output" } " in the evidence: one forum's output building on another's."
            }
            "\n"
            p {
                b { "Metrics." } " " i { "Documents" } " counts each citing document once per output, however often \
                it cites. " i { "Months to first" } " runs from the output's publication date (the catalogue's, else \
                1 January of its year) to the first dated citing document. " i { "Half-life" } " is the number of \
                years after publication by which half of the dated citing documents had appeared. " i { "Years active" }
                " counts the years with at least one citing document. The " i { "second generation" } " are \
                documents that link to a citing document without citing the output themselves; later generations \
                follow links further. Sectors and countries are those of the publisher, where known."
            }
            "\n"
            h3 { "What was read" }
            table {
                thead {
                    tr { th scope="col" { "Source" } th scope="col" { "Kind" } th scope="col" class="n" { "Documents" } }
                }
                tbody {
                    "\n"
                    @for (name, kind) in &input.sources {
                        @let n = input.documents.iter().filter(|d| &d.source == name).count();
                        tr { th scope="row" { (Text(name)) } td { (Text(kind)) } td class="n" { (n) } } "\n"
                    }
                }
            }
            "\n"
            p {
                "Documents read: " (input.documents.len()) ". Undated documents are counted without a year; documents \
                 dated before the output they cite are flagged in their section."
            }
            "\n"
            (unmeasured(input))
            (crawl_table(input))
            @if input.skipped.is_empty() {
                p { "No input was skipped." } "\n"
            } @else {
                h3 { "Skipped (" (input.skipped.len()) ")" }
                p { "These inputs could not be read; uptake they hold is not counted." }
                table {
                    thead { tr { th scope="col" { "Stage" } th scope="col" { "Location" } th scope="col" { "Reason" } } }
                    tbody {
                        "\n"
                        @for s in input.skipped {
                            tr { td { (Text(s.stage.as_str())) } td { (Text(&s.location)) } td { (Text(&s.reason)) } } "\n"
                        }
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

/// The outputs whose reuse was not measured: the run read no text of theirs.
fn unmeasured(input: &ReportInput) -> Markup {
    let missing: Vec<&OutputMetrics> = input
        .analysis
        .outputs
        .iter()
        .filter(|o| !o.reuse_measured)
        .collect();
    html! {
        @if !missing.is_empty() {
            h3 { "Reuse not measured (" (missing.len()) " outputs)" }
            p {
                "No text of these outputs was read (the catalogue gives none, or it could not be fetched), so reused "
                "passages of them could not be looked for: their reuse is unknown, not zero. References to them "
                "are counted."
            }
            p class="meta" {
                @for (i, o) in missing.iter().enumerate() {
                    @if i > 0 { ", " }
                    code { (Text(&o.output_id)) }
                }
            }
            "\n"
        }
    }
}

/// What the crawl did per host (nothing without http sources).
fn crawl_table(input: &ReportInput) -> Markup {
    let mut hosts: Vec<&str> = input.crawl_log.iter().map(|r| r.host.as_str()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    let count = |host: &str, outcomes: &[&str]| {
        input
            .crawl_log
            .iter()
            .filter(|r| r.host == host && outcomes.contains(&r.outcome.as_str()))
            .count()
    };
    html! {
        @if !hosts.is_empty() {
            h3 { "Web crawl" }
            table {
                thead {
                    tr {
                        th scope="col" { "Host" } th scope="col" class="n" { "Fetched" }
                        th scope="col" class="n" { "Not modified" } th scope="col" class="n" { "Disallowed" }
                        th scope="col" class="n" { "Failed or refused" } th scope="col" class="n" { "Not fetched" }
                    }
                }
                tbody {
                    "\n"
                    @for host in hosts {
                        tr {
                            th scope="row" { (Text(host)) }
                            td class="n" { (count(host, &["fetched"])) }
                            td class="n" { (count(host, &["not_modified"])) }
                            td class="n" { (count(host, &["disallowed"])) }
                            td class="n" { (count(host, &["failed", "refused"])) }
                            td class="n" { (count(host, &["not_fetched", "unreachable"])) }
                        }
                        "\n"
                    }
                }
            }
            "\n"
        }
    }
}
