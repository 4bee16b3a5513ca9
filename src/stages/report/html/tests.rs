//! The page built from data whose every string is hostile (markup, quotes, ampersands, a control character, a
//! `javascript:` URL): nothing of it becomes markup, and a browser's parser gives each string back as the reader
//! should see it.

use scraper::{Html, Selector};

use super::render;
use crate::records::{
    Activity, CiteRow, CrawlLogRow, Document, EvidenceKind, RippleRow, SkipStage, Skipped,
    ThemeRow, UptakeRow, UrlKind, UrlOutcome,
};
use crate::records::{Analysis, Evidence, OutputMetrics};
use crate::report::ReportInput;

/// What a hostile string of `field` is; every one would run script or add an element if written raw.
fn hostile(field: &str) -> String {
    format!("{field} <script>alert('{field}')</script> \"q\" & <img src=x onerror=alert(1)>\u{7}")
}

/// The text a reader should see for [`hostile`]: the same, with the control character replaced.
fn seen(field: &str) -> String {
    hostile(field).replace('\u{7}', "\u{FFFD}")
}

fn evidence() -> Evidence {
    let snippet = format!("before {} after", hostile("snippet"));
    Evidence {
        doc_id: "d1".into(),
        doc_title: hostile("doc_title"),
        url: "javascript:alert(document.cookie)".into(),
        published: None,
        publisher: Some(hostile("publisher")),
        sector: Some(hostile("sector")),
        // a closed set: the kind cannot carry crawled text
        kind: EvidenceKind::Reuse,
        start: 0,
        end: snippet.len(),
        matched: hostile("snippet"),
        snippet,
        score: 0.5,
        in_output: Some(hostile("in_output")),
    }
}

fn output() -> OutputMetrics {
    OutputMetrics {
        output_id: "2015-x".into(),
        title: hostile("title"),
        year: 2015,
        theme: Some(hostile("theme")),
        documents: 1,
        mentions: 1,
        passages: 0,
        reused_chars: 0,
        undated_documents: 1,
        publishers: 1,
        sectors: 1,
        countries: 0,
        by_sector: vec![(hostile("by_sector"), 1)],
        published: None,
        first_uptake: None,
        months_to_first_uptake: None,
        half_life_years: None,
        years_active: 0,
        first_year: None,
        last_year: None,
        generations: vec![1],
        dated_before_output: 0,
        reuse_measured: true,
        evidence: vec![evidence()],
        own_documents: 1,
        own_counted: false,
    }
}

/// The page of the hostile data, written by `render`.
fn render_hostile(render: fn(&ReportInput) -> String) -> String {
    let analysis = Analysis {
        uptake: vec![UptakeRow {
            output_id: "2015-x".into(),
            year: Some(2016),
            documents: 1,
            mentions: 1,
            passages: 0,
            reused_chars: 0,
            cumulative_documents: 1,
            own_documents: 1,
            own_counted: false,
        }],
        outputs: vec![output()],
        citations: vec![],
        ripple: vec![RippleRow {
            output_id: "2015-x".into(),
            generation: 1,
            year: Some(2016),
            documents: 1,
            cumulative_documents: 1,
            own_counted: false,
        }],
        themes: vec![ThemeRow {
            theme: hostile("theme"),
            year: Some(2016),
            documents: 1,
            outputs: 1,
            cumulative_documents: 1,
            own_counted: false,
        }],
        // the own page's citing relation, kept but not counted
        cites: vec![CiteRow {
            doc_id: "own1".into(),
            output_id: "2015-x".into(),
            mentions: 1,
            passages: 0,
            strongest: EvidenceKind::Title,
            best_score: 1.0,
            start: 0,
            snippet: hostile("own_snippet"),
            dated_before_output: false,
            is_own: true,
            counted: false,
        }],
        copies: 0,
        own_documents: 1,
        own_counted: false,
    };
    let documents = [Document {
        doc_id: "own1".into(),
        title: Some(hostile("own_title")),
        is_own: true,
        ..Document::from_text("javascript:alert(2)", String::new())
    }];
    let activity = [Activity {
        output_id: "2015-x".into(),
        sources: hostile("activity_sources"),
        ..Activity::default()
    }];
    let crawl_log = [CrawlLogRow {
        source: "web".into(),
        url: "https://a.example/".into(),
        host: hostile("host"),
        kind: UrlKind::Page,
        depth: 0,
        linked_from: None,
        outcome: UrlOutcome::Fetched,
        http_status: Some(200),
        content_type: None,
        bytes: None,
        content_hash: None,
        fetched_at: None,
        elapsed_ms: None,
        attempts: 1,
        error: None,
        final_url: None,
    }];
    // a host not reached, named in the coverage banner with its hostile reason
    let crawl_log = [
        crawl_log[0].clone(),
        CrawlLogRow {
            source: hostile("crawl_source"),
            host: hostile("unreached_host"),
            outcome: UrlOutcome::Unreachable,
            http_status: None,
            error: Some(format!("dns: {}", hostile("unreached_reason"))),
            ..crawl_log[0].clone()
        },
    ];
    let skipped = [Skipped {
        stage: SkipStage::Extract,
        location: hostile("location"),
        reason: hostile("reason"),
    }];
    render(&ReportInput {
        analysis: &analysis,
        documents: &documents,
        skipped: &skipped,
        sources: vec![(hostile("source_name"), hostile("source_kind"))],
        activity: &activity,
        crawl_log: &crawl_log,
        theme_mentions: &[],
        own_sites: vec![hostile("own_site")],
        organisation: Some(hostile("organisation")),
    })
}

fn page() -> String {
    render_hostile(render)
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn hostile_text_is_escaped_and_reads_back_as_written() {
    let html = page();
    assert!(!html.contains("<script"), "a script element");
    assert!(!html.contains("<img"), "an injected image");
    assert!(!html.contains("javascript:"), "a javascript: URL");
    assert!(!html.contains('\u{7}'), "a control character");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &quot;q&quot; &amp;")
    );

    let doc = Html::parse_document(&html);
    for forbidden in [
        "script", "img", "iframe", "object", "embed", "link", "base", "form",
    ] {
        assert_eq!(
            doc.select(&Selector::parse(forbidden).unwrap()).count(),
            0,
            "a <{forbidden}> element"
        );
    }
    for e in doc.select(&Selector::parse("*").unwrap()) {
        for (name, _) in e.value().attrs() {
            assert!(!name.starts_with("on"), "an event handler: {name}");
        }
    }
    // each field read back by the parser is the text itself: escaped once, not twice, and not cut
    let expect = |selector: &str, field: &str| {
        let found = texts(&doc, selector);
        assert!(
            found.iter().any(|t| t.contains(&seen(field))),
            "{field} in {selector}: {found:?}"
        );
    };
    expect("section.output h2", "title");
    expect("th.name a", "title");
    expect("section.output p.meta", "theme");
    expect("#themes th[scope=row]", "theme");
    expect("td.snippet mark", "snippet");
    expect("td.snippet", "snippet");
    expect("td", "doc_title");
    expect("td code", "in_output");
    expect("td", "publisher");
    expect("td span.meta", "sector");
    assert!(texts(&doc, "span.kind").iter().any(|t| t == "reuse"));
    expect("#scorecard li", "activity_sources");
    expect("#methods th[scope=row]", "source_name");
    expect("#methods td", "source_kind");
    expect("#methods th[scope=row]", "host");
    assert!(texts(&doc, "#methods td").iter().any(|t| t == "extract"));
    expect("#methods td", "location");
    expect("#methods td", "reason");
    expect("#own h2", "organisation");
    expect("#own p", "own_site");
    expect("p.own-scope b", "own_site");
    expect("#own td", "own_title");
    expect("#own td a", "title");
    // the documents' links were refused, so their titles stand alone (only the links within the page remain)
    assert_eq!(
        doc.select(&Selector::parse("td a:not([href^='#'])").unwrap())
            .count(),
        0
    );
    expect("#coverage td", "crawl_source");
    expect("#coverage th[scope=row]", "unreached_host");
    expect("#coverage td span.meta", "unreached_reason");
    assert!(texts(&doc, "#coverage td span.meta")
        .iter()
        .all(|t| !t.starts_with("dns: ")));
    expect("#coverage p code", "crawl_source");
    assert!(texts(&doc, "#coverage td b").iter().any(|t| t == "DNS"));
    // the sector chart draws the hostile sector name as text: plotters escapes it
    let titles = texts(&doc, "svg text");
    assert!(
        titles.iter().any(|t| t.contains("by_sector <script>")),
        "{titles:?}"
    );
}
