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

#[test]
fn report_text_snapshots() {
    let (_tmp, html, md) = run_small();
    insta::assert_snapshot!("summary_md", md);
    insta::assert_snapshot!("index_html", html);
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
