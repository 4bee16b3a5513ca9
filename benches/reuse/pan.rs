//! The PAN measures of text-reuse detection (Potthast et al., "An Evaluation Framework for Plagiarism
//! Detection", COLING 2010): character precision and recall, granularity and plagdet.
//!
//! A case is a reused span: characters of a source (an output) and of a document. A detection detects a case
//! when both are about the same document and source and they overlap on both sides. Precision is the mean,
//! over detections, of the share of the detection's characters (both sides counted) that lie in cases it
//! detects; recall is the mean, over cases, of the share of the case's characters that detections of it cover;
//! granularity is the mean number of detections per detected case; plagdet = F1 / log2(1 + granularity).

/// A pair of spans: `[start, end)` characters in a document and in a source, with their names.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub doc: String,
    pub source: String,
    pub doc_span: (usize, usize),
    pub source_span: (usize, usize),
}

impl Pair {
    fn len(&self) -> usize {
        (self.doc_span.1 - self.doc_span.0) + (self.source_span.1 - self.source_span.0)
    }

    fn detects(&self, case: &Pair) -> bool {
        self.doc == case.doc
            && self.source == case.source
            && overlap(self.doc_span, case.doc_span) > 0
            && overlap(self.source_span, case.source_span) > 0
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Length of the union of `spans` clipped to `within`.
pub fn union_within(within: (usize, usize), spans: &mut [(usize, usize)]) -> usize {
    spans.sort_unstable();
    let (mut total, mut reach) = (0, within.0);
    for &(a, b) in spans.iter() {
        let (a, b) = (a.max(reach).max(within.0), b.min(within.1));
        if b > a {
            total += b - a;
            reach = b;
        }
    }
    total
}

/// Characters of `p` (both sides) covered by `others`, and how many `others` there are.
fn overlap_with<'a>(p: &Pair, others: impl Iterator<Item = &'a Pair>) -> (usize, usize) {
    let (mut doc, mut src): (Vec<_>, Vec<_>) = others.map(|o| (o.doc_span, o.source_span)).unzip();
    let n = doc.len();
    (
        union_within(p.doc_span, &mut doc) + union_within(p.source_span, &mut src),
        n,
    )
}

/// The PAN measures of one set of detections against one set of cases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub granularity: f64,
    pub plagdet: f64,
    pub cases: usize,
    pub detections: usize,
    /// Cases detected at least once.
    pub detected: usize,
}

/// Scores `detections` against `cases`. With no detections precision is 1 (nothing claimed wrongly); with no
/// cases recall is 1.
pub fn score(cases: &[Pair], detections: &[Pair]) -> Scores {
    let mut precision = 0.0;
    for r in detections {
        let (inside, _) = overlap_with(r, cases.iter().filter(|s| r.detects(s)));
        precision += inside as f64 / r.len().max(1) as f64;
    }
    let (mut recall, mut detected, mut per_case) = (0.0, 0usize, 0usize);
    for s in cases {
        let (inside, n) = overlap_with(s, detections.iter().filter(|r| r.detects(s)));
        if n > 0 {
            detected += 1;
            per_case += n;
        }
        recall += inside as f64 / s.len().max(1) as f64;
    }
    from_sums(
        precision,
        recall,
        cases.len(),
        detections.len(),
        detected,
        per_case,
    )
}

/// The PAN measures from their sums: each detection's share inside cases (`precision_sum`), each case's share
/// detected (`recall_sum`), how many cases were detected at least once, and how many detections those drew.
pub fn from_sums(
    precision_sum: f64,
    recall_sum: f64,
    cases: usize,
    detections: usize,
    detected: usize,
    per_case: usize,
) -> Scores {
    let mean = |sum: f64, n: usize| if n == 0 { 1.0 } else { sum / n as f64 };
    let (precision, recall) = (mean(precision_sum, detections), mean(recall_sum, cases));
    let granularity = if detected == 0 {
        1.0
    } else {
        per_case as f64 / detected as f64
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Scores {
        precision,
        recall,
        granularity,
        plagdet: f1 / (1.0 + granularity).log2(),
        cases,
        detections,
        detected,
    }
}
