//! The PAN measures the reuse benchmark scores with (`benches/reuse/pan.rs`), tested on their own: the module
//! lives with the benchmark and is included here by path.

#[allow(dead_code)]
#[path = "../benches/reuse/pan.rs"]
mod pan;

use pan::*;

fn pair(doc: &str, d: (usize, usize), s: (usize, usize)) -> Pair {
    Pair {
        doc: doc.into(),
        source: "o".into(),
        doc_span: d,
        source_span: s,
    }
}

#[test]
fn exact_detection_scores_one() {
    let c = [pair("a", (10, 110), (0, 100))];
    let s = score(&c, &c);
    assert_eq!(
        (s.precision, s.recall, s.granularity, s.plagdet),
        (1.0, 1.0, 1.0, 1.0)
    );
}

#[test]
fn half_a_case_found_in_two_pieces() {
    let c = [pair("a", (0, 100), (0, 100))];
    let r = [pair("a", (0, 25), (0, 25)), pair("a", (50, 75), (50, 75))];
    let s = score(&c, &r);
    assert_eq!(s.precision, 1.0);
    assert!((s.recall - 0.5).abs() < 1e-12);
    assert_eq!(s.granularity, 2.0);
    let f1 = 2.0 * 0.5 / 1.5;
    assert!((s.plagdet - f1 / 3f64.log2()).abs() < 1e-12);
}

#[test]
fn a_detection_must_overlap_both_sides_and_the_same_document() {
    let c = [pair("a", (0, 100), (0, 100))];
    let r = [
        pair("a", (0, 100), (200, 300)),
        pair("b", (0, 100), (0, 100)),
    ];
    let s = score(&c, &r);
    assert_eq!((s.precision, s.recall, s.detected), (0.0, 0.0, 0));
}

#[test]
fn a_detection_running_past_its_case_loses_precision() {
    let c = [pair("a", (0, 100), (0, 100))];
    let r = [pair("a", (0, 200), (0, 100))];
    let s = score(&c, &r);
    assert!((s.precision - 200.0 / 300.0).abs() < 1e-12);
    assert_eq!(s.recall, 1.0);
}
