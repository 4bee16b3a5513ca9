//! The coverage banner that opens the page when the crawl did not reach every host: which sources and hosts,
//! why, and that the counts below cover only what was reached (see [`crate::report::coverage`]).

use maud::{html, Markup};

use super::text::Text;
use crate::report::coverage::coverage;
use crate::report::ReportInput;

/// The banner's frame: the warm colour of the page's flags.
const STYLE: &str = "border:2px solid var(--warm);background:#fff8f3";

/// The banner, or nothing when every host was reached.
pub fn coverage_banner(input: &ReportInput) -> Markup {
    let Some(c) = coverage(input.crawl_log) else {
        return html! {};
    };
    let hosts = c.unreached.len();
    html! {
        // Styled in place (the page's CSP allows inline style), so a page without the banner is unchanged.
        section id="coverage" class="coverage" role="note" style=(STYLE) {
            h2 { "Not every host was reached" }
            p {
                "The crawl could not reach " (hosts) " host" @if hosts != 1 { "s" } " (below). "
                strong { "The counts in this report cover only what was reached" }
                "; uptake on these hosts is not in them."
                @if c.nothing_answered { " No host answered at all: was the machine offline?" }
            }
            @if !c.empty_sources.is_empty() {
                p {
                    "Nothing was fetched from the source" @if c.empty_sources.len() != 1 { "s" } " "
                    @for (i, s) in c.empty_sources.iter().enumerate() {
                        @if i > 0 { ", " }
                        code { (Text(s)) }
                    }
                    "."
                }
            }
            table {
                thead {
                    tr {
                        th scope="col" { "Source" } th scope="col" { "Host" } th scope="col" { "Why" }
                        th scope="col" class="n" { "URLs not fetched" } th scope="col" class="n" { "Seeds" }
                    }
                }
                tbody {
                    "\n"
                    @for u in &c.unreached {
                        tr {
                            td { (Text(u.source)) }
                            th scope="row" { (Text(u.host)) }
                            td { b { (u.label()) } ": " span class="meta" { (Text(u.cause())) } }
                            td class="n" { (u.urls) }
                            td class="n" { (u.seeds) }
                        }
                        "\n"
                    }
                }
            }
        }
        "\n"
    }
}
