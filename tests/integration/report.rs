//! The report on a small fixture: snapshots of `summary.md` and `index.html` (insta), and hostile text from
//! documents rendered inert.

use super::{describe, fixture, s, uptake};

fn run_small() -> (tempfile::TempDir, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let rep = tmp.path().join("reports");
    let cfg = fixture("small/uptake.toml");
    let o = uptake(&[
        "run",
        "--config",
        s(&cfg),
        "--out",
        s(&out),
        "--report-dir",
        s(&rep),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    let md = std::fs::read_to_string(rep.join("summary.md")).unwrap();
    (tmp, html, md)
}

/// The page with each inline chart's drawing left out (its title, the alternative text, stays): the snapshot is
/// of the report's text, not of plotters' coordinates.
fn without_drawings(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg ") {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find("</svg>")
            .map(|e| i + e + 6)
            .unwrap_or(rest.len());
        let svg = &rest[i..end];
        let title = svg
            .find("<title")
            .and_then(|t| svg[t..].find("</title>").map(|e| &svg[t..t + e + 8]))
            .unwrap_or("");
        out.push_str(&format!("<svg …>{title}</svg>"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn report_text_snapshots() {
    let (_tmp, html, md) = run_small();
    insta::assert_snapshot!("summary_md", md);
    insta::assert_snapshot!("index_html", without_drawings(&html));
}

#[test]
fn charts_are_inline_svg_with_titles_and_files_for_slides() {
    let (tmp, html, _) = run_small();
    let svgs = html.matches("<svg role=\"img\" aria-labelledby=").count();
    assert!(svgs >= 5, "inline charts: {svgs}");
    assert_eq!(
        svgs,
        html.matches("<title id=\"chart-").count(),
        "every chart has a title"
    );
    for stem in [
        "overview",
        "small-multiples",
        "heatmap",
        "sectors",
        "2015-widgets",
    ] {
        for ext in ["svg", "png"] {
            let p = tmp
                .path()
                .join("reports/charts")
                .join(format!("{stem}.{ext}"));
            assert!(
                p.is_file() && p.metadata().unwrap().len() > 500,
                "{}",
                p.display()
            );
        }
    }
    // no external resources: no stylesheet or script element, and nothing loaded from elsewhere
    for needle in [
        "<link",
        "<script",
        "src=\"http",
        "src=\"//",
        "url(http",
        "@import",
    ] {
        assert!(!html.contains(needle), "external resource: {needle}");
    }
    assert!(html.contains("@media print"));
}

#[test]
fn hostile_document_text_is_inert() {
    let (tmp, html, _) = run_small();
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("javascript:"), "no javascript: URL");
    assert!(!html.contains("<img src=x"), "no injected element");
    assert!(html.contains("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;"));
    // every chart the page names exists beside it
    for src in html.split("src=\"").skip(1) {
        let path = &src[..src.find('"').unwrap()];
        assert!(
            tmp.path().join("reports").join(path).is_file(),
            "{path} exists"
        );
    }
}
