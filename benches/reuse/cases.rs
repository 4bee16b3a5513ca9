//! The labelled set: outputs made of real prose, and documents of other real prose into which passages of the
//! outputs are reused in eight ways, each case recorded with its exact spans on both sides. Everything is drawn
//! from one seeded generator, so the set is the same on every run and machine with the same prose.

use fastrand::Rng;

use crate::pdf;
use crate::prose::Para;

/// How a passage was reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Verbatim,
    /// About 10% of the words replaced, deleted or inserted.
    Light,
    /// About 30% of the words edited, and two sentences swapped.
    Heavy,
    /// Paragraphs (or sentence groups) in another order.
    Reordered,
    /// An aside of other prose inserted in the middle.
    Split,
    /// One or two sentences, about 200 characters.
    Short,
    /// Verbatim or light, inside HTML markup that splits sentences and words, then extracted.
    Html,
    /// Verbatim or light, in a PDF with ligatures, hyphenation at line ends and running headers, then extracted.
    Pdf,
}

pub const KINDS: [Kind; 8] = [
    Kind::Verbatim,
    Kind::Light,
    Kind::Heavy,
    Kind::Reordered,
    Kind::Split,
    Kind::Short,
    Kind::Html,
    Kind::Pdf,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Verbatim => "verbatim",
            Kind::Light => "light",
            Kind::Heavy => "heavy",
            Kind::Reordered => "reordered",
            Kind::Split => "split",
            Kind::Short => "short",
            Kind::Html => "html",
            Kind::Pdf => "pdf",
        }
    }
}

/// A tracked output: paragraphs of prose joined by blank lines.
#[derive(Debug, Clone)]
pub struct Output {
    pub id: String,
    pub text: String,
    /// Character span of each paragraph.
    pub paras: Vec<(usize, usize)>,
}

/// One reused passage.
#[derive(Debug, Clone)]
pub struct Case {
    pub kind: Kind,
    pub output: usize,
    pub doc_span: (usize, usize),
    pub source_span: (usize, usize),
}

/// A case before its document is built: its kind, output and span in the output.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub kind: Kind,
    pub output: usize,
    pub source_span: (usize, usize),
}

/// A document of the labelled set, as detection sees it (HTML and PDF already extracted).
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: String,
    pub text: String,
    pub cases: Vec<Case>,
}

/// Builds `n` outputs of about `target_chars` each from the paragraphs, in order.
pub fn outputs(paras: &[Para], n: usize, target_chars: usize) -> Vec<Output> {
    let mut out = Vec::new();
    let mut it = paras.iter();
    for i in 0..n {
        let (mut text, mut spans, mut chars) = (String::new(), Vec::new(), 0usize);
        while chars < target_chars {
            let Some(p) = it.next() else { break };
            if !text.is_empty() {
                text.push_str("\n\n");
                chars += 2;
            }
            let len = p.text.chars().count();
            spans.push((chars, chars + len));
            text.push_str(&p.text);
            chars += len;
        }
        if spans.is_empty() {
            break;
        }
        out.push(Output {
            id: format!("out{i:02}"),
            text,
            paras: spans,
        });
    }
    out
}

fn char_slice(s: &str, a: usize, b: usize) -> String {
    s.chars().skip(a).take(b - a).collect()
}

/// Sentences of a paragraph (split after `. `, `? `, `! `), keeping their punctuation.
pub fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = p.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        if matches!(c, '.' | '?' | '!')
            && chars.get(i + 1) == Some(&' ')
            && cur.split_whitespace().count() >= 4
        {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Edits about `rate` of the words: each edited word is replaced, deleted or followed by an inserted word.
pub fn edit_words(text: &str, rate: f64, rng: &mut Rng, vocab: &[String]) -> String {
    text.split("\n\n")
        .map(|para| {
            let mut out: Vec<String> = Vec::new();
            for w in para.split_whitespace() {
                if rng.f64() < rate {
                    match rng.u8(0..3) {
                        0 => out.push(vocab[rng.usize(0..vocab.len())].clone()),
                        1 => {}
                        _ => {
                            out.push(w.to_string());
                            out.push(vocab[rng.usize(0..vocab.len())].clone());
                        }
                    }
                } else {
                    out.push(w.to_string());
                }
            }
            out.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The generator's state: prose to draw host text and vocabulary from.
pub struct Generator<'a> {
    pub rng: Rng,
    hosts: &'a [Para],
    vocab: Vec<String>,
}

impl<'a> Generator<'a> {
    pub fn new(seed: u64, hosts: &'a [Para]) -> Generator<'a> {
        let mut vocab: Vec<String> = hosts
            .iter()
            .take(2000)
            .flat_map(|p| {
                p.text.split_whitespace().map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
            })
            .filter(|w| w.len() >= 3)
            .collect();
        vocab.sort();
        vocab.dedup();
        Generator {
            rng: Rng::with_seed(seed),
            hosts,
            vocab,
        }
    }

    pub fn host_para(&mut self) -> String {
        self.hosts[self.rng.usize(0..self.hosts.len())].text.clone()
    }

    /// Picks a source span of `output` for `kind`: its character span and text.
    fn pick_source(&mut self, o: &Output, kind: Kind) -> ((usize, usize), String) {
        let n = o.paras.len();
        if kind == Kind::Short {
            for _ in 0..50 {
                let (a, b) = o.paras[self.rng.usize(0..n)];
                let para = char_slice(&o.text, a, b);
                let sents = sentences(&para);
                let take = if sents[0].chars().count() < 120 && sents.len() > 1 {
                    2
                } else {
                    1
                };
                let text = sents[..take].join(" ");
                let len = text.chars().count();
                if (120..=320).contains(&len) {
                    return ((a, a + len), text);
                }
            }
        }
        let (min, max) = (500, 2500);
        let want_paras = if kind == Kind::Reordered { 2 } else { 1 };
        loop {
            let i = self.rng.usize(0..n);
            let mut j = i;
            while j + 1 < n && (j + 1 - i < want_paras || o.paras[j].1 - o.paras[i].0 < min) {
                j += 1;
            }
            let (a, b) = (o.paras[i].0, o.paras[j].1);
            if b - a >= min.min(300) && b - a <= max * 2 && j + 1 - i >= want_paras.min(n) {
                return ((a, b), char_slice(&o.text, a, b));
            }
        }
    }

    /// The reused text for a case of `kind` made from `source`.
    fn reuse(&mut self, kind: Kind, source: &str) -> String {
        match kind {
            Kind::Verbatim | Kind::Short => source.to_string(),
            Kind::Light => edit_words(source, 0.10, &mut self.rng, &self.vocab),
            Kind::Heavy => {
                let mut sents: Vec<String> = source.split("\n\n").flat_map(sentences).collect();
                if sents.len() >= 2 {
                    let i = self.rng.usize(0..sents.len() - 1);
                    sents.swap(i, i + 1);
                }
                edit_words(&sents.join(" "), 0.30, &mut self.rng, &self.vocab)
            }
            Kind::Reordered => {
                let mut blocks: Vec<String> = source.split("\n\n").map(str::to_string).collect();
                if blocks.len() < 2 {
                    let s = sentences(source);
                    let mid = s.len() / 2;
                    blocks = vec![s[..mid].join(" "), s[mid..].join(" ")];
                }
                let r = 1 + self.rng.usize(0..blocks.len() - 1);
                blocks.rotate_left(r);
                blocks.join("\n\n")
            }
            Kind::Split => {
                let s = sentences(source);
                let aside: String = sentences(&self.host_para())
                    .into_iter()
                    .next()
                    .unwrap_or_default()
                    .split_whitespace()
                    .take(40)
                    .collect::<Vec<_>>()
                    .join(" ");
                let mid = (s.len() / 2).max(1).min(s.len());
                let mut parts = s[..mid].to_vec();
                parts.push(format!("({aside})"));
                parts.extend_from_slice(&s[mid..]);
                parts.join(" ")
            }
            Kind::Html | Kind::Pdf => {
                if self.rng.bool() {
                    source.to_string()
                } else {
                    edit_words(source, 0.10, &mut self.rng, &self.vocab)
                }
            }
        }
    }

    /// One document with a case of `kind` from `output` (or none), built around host paragraphs.
    pub fn doc(
        &mut self,
        id: String,
        outputs: &[Output],
        case: Option<(Kind, usize)>,
    ) -> Option<Doc> {
        let hosts: Vec<String> = (0..self.rng.usize(3..10))
            .map(|_| self.host_para())
            .collect();
        let at = self.rng.usize(0..=hosts.len());
        let Some((kind, oi)) = case else {
            return Some(Doc {
                id,
                text: hosts.join("\n\n"),
                cases: Vec::new(),
            });
        };
        let (source_span, source) = self.pick_source(&outputs[oi], kind);
        let reused = self.reuse(kind, &source);
        match kind {
            Kind::Html | Kind::Pdf => {
                let case = Planned {
                    kind,
                    output: oi,
                    source_span,
                };
                if kind == Kind::Html {
                    self.html_doc(id, &hosts, at, &reused, case)
                } else {
                    self.pdf_doc(id, &hosts, at, &reused, case)
                }
            }
            _ => {
                let before: Vec<&str> = hosts[..at].iter().map(String::as_str).collect();
                let mut text = before.join("\n\n");
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                let start = text.chars().count();
                text.push_str(&reused);
                let end = text.chars().count();
                for h in &hosts[at..] {
                    text.push_str("\n\n");
                    text.push_str(h);
                }
                Some(Doc {
                    id,
                    text,
                    cases: vec![Case {
                        kind,
                        output: oi,
                        doc_span: (start, end),
                        source_span,
                    }],
                })
            }
        }
    }

    fn html_doc(
        &mut self,
        id: String,
        hosts: &[String],
        at: usize,
        reused: &str,
        case: Planned,
    ) -> Option<Doc> {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut html = format!(
            "<!doctype html><html><head><title>Bench page {id}</title></head><body>\
             <header><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav></header><article>\n"
        );
        for h in &hosts[..at] {
            html.push_str(&format!("<p>{}</p>\n", esc(h)));
        }
        html.push_str("<p>QZXJSTART</p>\n");
        for para in reused.split("\n\n") {
            let words: Vec<String> = para.split_whitespace().map(esc).collect();
            let mut out = String::new();
            let mut i = 0;
            while i < words.len() {
                if i > 0 {
                    out.push(if self.rng.u8(0..12) == 0 { '\n' } else { ' ' });
                }
                let w = &words[i];
                match self.rng.u8(0..20) {
                    0 if i + 3 < words.len() => {
                        out.push_str(&format!("<em>{} {}</em>", w, words[i + 1]));
                        i += 1;
                    }
                    1 if i + 3 < words.len() => {
                        out.push_str(&format!(
                            "<a href=\"https://example.org/{i}\">{} {} {}</a>",
                            w,
                            words[i + 1],
                            words[i + 2]
                        ));
                        i += 2;
                    }
                    2 if w.len() > 6
                        && w.is_ascii()
                        && w.chars().all(|c| c.is_ascii_alphabetic()) =>
                    {
                        // markup splitting a word
                        let (a, b) = w.split_at(w.len() / 2);
                        out.push_str(&format!("{a}<span class=\"hl\">{b}</span>"));
                    }
                    _ => out.push_str(w),
                }
                i += 1;
            }
            html.push_str(&format!("<p>{out}</p>\n"));
        }
        html.push_str("<p>QZXJEND</p>\n");
        for h in &hosts[at..] {
            html.push_str(&format!("<p>{}</p>\n", esc(h)));
        }
        html.push_str("</article><footer>Bench site footer</footer></body></html>");
        let text = uptake::extract::extract_html(&html, "https://bench.example/page").text;
        unmark(id, &text, case)
    }

    fn pdf_doc(
        &mut self,
        id: String,
        hosts: &[String],
        at: usize,
        reused: &str,
        case: Planned,
    ) -> Option<Doc> {
        let mut paras: Vec<String> = hosts[..at].to_vec();
        paras.push("QZXJSTART".into());
        paras.extend(reused.split("\n\n").map(str::to_string));
        paras.push("QZXJEND".into());
        paras.extend(hosts[at..].iter().cloned());
        let mut lines: Vec<String> = Vec::new();
        for p in &paras {
            let mut line = String::new();
            for w in p.split_whitespace() {
                if line.chars().count() + 1 + w.chars().count() > 80 && !line.is_empty() {
                    let n = w.chars().count();
                    if n >= 9 && w.chars().all(char::is_alphabetic) && self.rng.bool() {
                        // hyphenate at the line end
                        let cut = n / 2;
                        let head: String = w.chars().take(cut).collect();
                        let tail: String = w.chars().skip(cut).collect();
                        line.push(' ');
                        line.push_str(&head);
                        line.push('-');
                        lines.push(std::mem::take(&mut line));
                        line.push_str(&tail);
                        continue;
                    }
                    lines.push(std::mem::take(&mut line));
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(w);
            }
            lines.push(line);
            lines.push(String::new());
        }
        let lig = |l: &str| l.replace("fi", "ﬁ").replace("fl", "ﬂ");
        let pages: Vec<Vec<String>> = lines
            .chunks(50)
            .enumerate()
            .map(|(i, chunk)| {
                let mut page = vec![
                    format!("Benchmark Quarterly Review - page {}", i + 1),
                    String::new(),
                ];
                page.extend(chunk.iter().map(|l| lig(l)));
                page
            })
            .collect();
        let bytes = pdf::write(&pages);
        let text = match uptake::extract::extract_pdf(&bytes, &id) {
            Ok(e) => e.text,
            Err(e) => {
                eprintln!("{id}: {e}");
                return None;
            }
        };
        unmark(id, &text, case)
    }
}

/// Removes the two markers around the case from extracted text and records the case's span between them.
fn unmark(id: String, text: &str, case: Planned) -> Option<Doc> {
    let s = text.find("QZXJSTART")?;
    let e = text.find("QZXJEND")?;
    let before = &text[..s];
    let mid = &text[s + "QZXJSTART".len()..e];
    let after = &text[e + "QZXJEND".len()..];
    let lead = mid.chars().take_while(|c| c.is_whitespace()).count();
    let trail = mid.chars().rev().take_while(|c| c.is_whitespace()).count();
    let start = before.chars().count() + lead;
    let end = before.chars().count() + mid.chars().count() - trail;
    Some(Doc {
        id,
        text: format!("{before}{mid}{after}"),
        cases: vec![Case {
            kind: case.kind,
            output: case.output,
            doc_span: (start, end.max(start)),
            source_span: case.source_span,
        }],
    })
}
