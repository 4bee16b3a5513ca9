//! The publishing organisation's own pages (the catalogue's `own_sites`): the note under the headline numbers
//! saying whether they are counted, and their own section listing each own page with what it cites. Text from
//! data goes through [`Text`].

use std::collections::HashMap;

use maud::{html, Markup};

use super::text::{fmt_date, link_or_text, Text};
use crate::records::EvidenceKind;
use crate::report::ReportInput;

/// Under the headline numbers: whether own pages are counted in them, and where they are listed (nothing when
/// the catalogue names no own site).
pub fn scope_note(input: &ReportInput) -> Markup {
    let Some(scope) = input.own_scope() else {
        return html! {};
    };
    let listed = input.own_follow_up().len();
    html! {
        p class="meta own-scope" {
            "Every number on this page: " b { (Text(&scope)) } " ("
            (input.analysis.own_documents) " read, " (listed) " citing or reusing an output; see "
            a href="#own" { (Text(&input.own_heading())) } ")."
        }
        "\n"
    }
}

/// The own documents that cite or reuse an output, each with the outputs it cites and the strongest evidence
/// (nothing when the catalogue names no own site).
pub fn section(input: &ReportInput) -> Markup {
    let Some(scope) = input.own_scope() else {
        return html! {};
    };
    let sites = input.own_sites.join(", ");
    let titles: HashMap<&str, &str> = input
        .analysis
        .outputs
        .iter()
        .map(|o| (o.output_id.as_str(), o.title.as_str()))
        .collect();
    let rows = input.own_follow_up();
    html! {
        section id="own" {
            h2 { (Text(&input.own_heading())) } "\n"
            p {
                "Pages on " (Text(&sites)) " are " (Text(&input.own_whose())) " own: its follow-up of its outputs \
                 (forum pages, session pages, transcripts), not uptake by others. They are read and searched like any \
                 other document; here they are "
                @if input.analysis.own_counted {
                    b { "counted" } " in every number like any other document (" code { "count_own" } ")."
                } @else {
                    b { "not counted" } " in any number, ripple or chart (" code { "--count-own" } " counts them)."
                }
                " " (input.analysis.own_documents) " own pages were read; " (rows.len()) " cite or reuse an output."
            }
            "\n"
            @if rows.is_empty() {
                p class="meta" { "No own page cites or reuses a tracked output (" (Text(&scope)) ")." }
            } @else {
                table {
                    thead {
                        tr { th scope="col" { "Date" } th scope="col" { "Own page" } th scope="col" { "Cites" } }
                    }
                    tbody {
                        "\n"
                        @for (d, cites) in &rows {
                            tr {
                                td class="d" { (fmt_date(d.published.as_ref().map(|p| p.date))) }
                                td { (link_or_text(&d.url, d.title.as_deref().unwrap_or(&d.url))) }
                                td {
                                    @for (i, c) in cites.iter().enumerate() {
                                        @if i > 0 { br; }
                                        a href={ "#o-" (Text(&c.output_id)) } {
                                            (Text(titles.get(c.output_id.as_str()).copied().unwrap_or(&c.output_id)))
                                        }
                                        " "
                                        span class=(if c.strongest == EvidenceKind::Reuse { "kind reuse" } else { "kind" }) {
                                            (Text(c.strongest.as_str()))
                                        }
                                    }
                                }
                            }
                            "\n"
                        }
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}
