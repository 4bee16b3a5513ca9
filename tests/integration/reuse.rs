//! Reuse inside HTML markup and inside a PDF: real files built here, extracted by uptake's extractors, then
//! matched against an output. (The other kinds of reuse are unit tests in `src/stages/detect/reuse_tests.rs`; their
//! rates are measured by `cargo bench --bench reuse`.)

use crate::pdf;
use uptake::config::DetectConfig;
use uptake::detect::reuse::{OutputText, ReuseIndex};
use uptake::records::Passage;

const SOURCE: &str = "Community networks are built, owned and run by the people they serve. They fill the gaps \
    that commercial operators leave in remote and rural areas, where a return on investment is too slow to attract \
    capital. Regulators can help by reserving spectrum for local use, by lowering licence fees for small operators \
    and by letting community networks reach national backbones at cost. Financing remains the hardest problem: \
    most networks start with volunteer labour and donated equipment, and few survive the first hardware \
    replacement without a stable source of income.";

fn find(text: &str) -> Vec<Passage> {
    let cfg = DetectConfig::default();
    let index = ReuseIndex::new(
        &[OutputText {
            id: "cn".into(),
            text: SOURCE.into(),
            ..Default::default()
        }],
        &cfg,
    );
    let words = uptake::normalize::words(text);
    let found = index.find("d", text, &words, None, &cfg);
    let filter = index.boilerplate_filter(&cfg);
    filter.apply(found, None)
}

fn span(text: &str, p: &Passage) -> String {
    text.chars()
        .skip(p.doc_start)
        .take(p.doc_end - p.doc_start)
        .collect()
}

#[test]
fn passage_inside_html_markup_is_found_whole() {
    let html = "<!doctype html><html><head><title>Connecting the last mile</title></head><body>\
        <nav><a href=\"/\">Home</a></nav><article><h1>Connecting the last mile</h1>\
        <p>Our members asked what the policy debate says. Here is the core of it.</p>\
        <blockquote><p>Community networks are <em>built, owned</em> and run by the people they serve. They fill \
        the gaps that commercial opera<span class=\"x\">tors</span> leave in remote and rural areas, where a \
        return on\n   investment is too slow to attract capital. <a href=\"/spectrum\">Regulators can help</a> by \
        reserving spectrum for local use, by lowering licence fees for small operators and by letting community \
        networks reach national backbones at&nbsp;cost.</p><p>Financing remains the hardest problem: most networks \
        start with volunteer labour &amp; donated equipment, and few survive the first hardware replacement \
        without a stable source of income.</p></blockquote><p>We will come back to financing next month.</p>\
        </article><footer>Rural Connect newsletter</footer></body></html>";
    let text = uptake::extract::extract_html(html, "https://example.org/last-mile").text;
    let p = find(&text);
    assert_eq!(p.len(), 1, "{p:?}\n{text}");
    let got = span(&text, &p[0]);
    assert!(got.starts_with("Community networks are built"), "{got}");
    assert!(got.ends_with("stable source of income"), "{got}");
    // "&" for "and" is the only difference the words see
    assert!(p[0].similarity > 0.97, "{}", p[0].similarity);
    assert_eq!(p[0].blocks, 1);
}

#[test]
fn passage_inside_a_pdf_with_ligatures_hyphenation_and_a_page_break_is_found_whole() {
    let lines = |s: &str| {
        s.lines()
            .map(|l| l.trim().replace("fi", "ﬁ"))
            .collect::<Vec<_>>()
    };
    let page1 = lines(
        "Annual review of rural connectivity - page 1

         Our review opens with the definition we work with.
         Community networks are built, owned and run by the people they serve. They
         ﬁll the gaps that commercial operators leave in remote and rural areas, where
         a return on investment is too slow to attract capital. Regulators can help by
         reserving spectrum for local use, by lowering licence fees for small opera-
         tors and by letting community networks reach national backbones at cost.",
    );
    let page2 = lines(
        "Annual review of rural connectivity - page 2

         Financing remains the hardest problem: most networks start with volunteer
         labour and donated equipment, and few survive the ﬁrst hardware replace-
         ment without a stable source of income.

         The rest of this review looks at three networks in detail.",
    );
    let bytes = pdf::write(&[page1, page2]);
    let text = uptake::extract::extract_pdf(&bytes, "review.pdf")
        .expect("the PDF written here is readable")
        .text;
    // the PDF's ligature glyphs reach the text as ligatures (so this case tests them): normalisation folds them
    assert!(text.contains("ﬁll the gaps"), "{text}");
    let p = find(&text);
    assert_eq!(p.len(), 1, "{p:?}\n{text}");
    let got = span(&text, &p[0]);
    assert!(got.starts_with("Community networks"), "{got}");
    assert!(got.ends_with("source of income"), "{got}");
    // the running header of page 2 sits inside the passage: a few words no block aligns
    assert!(
        p[0].similarity > 0.9 && p[0].similarity < 1.0,
        "{}",
        p[0].similarity
    );
}
