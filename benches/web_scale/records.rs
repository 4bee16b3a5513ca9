//! The generated records of the web-scale benchmark: text pools by language (the English text this machine ships,
//! the manual pages in other languages), records shaped like WET `conversion` records, planted cases, and the
//! outputs' texts.

use std::path::Path;

use uptake::records::{Document, Output};

use crate::prose;

/// Hosts the records' URLs are spread over.
const HOSTS: usize = 20_000;

/// One planted case.
#[derive(Debug, Clone)]
pub enum Planted {
    /// A sentence citing output `usize`.
    Citation(usize),
    /// Characters `[start, end)` of the record are a lightly edited piece of output `usize`'s text.
    Passage(usize, usize, usize),
}

/// Text of one language to make records of: paragraphs, and short lines (titles, navigation).
pub struct Pool {
    pub name: String,
    pub paras: Vec<String>,
    pub lines: Vec<String>,
    /// Share of the records, in percent.
    pub weight: f64,
}

impl Pool {
    fn of(name: &str, texts: &[String], weight: f64) -> Pool {
        let mut paras = Vec::new();
        let mut lines = Vec::new();
        for t in texts {
            for p in t.split("\n\n") {
                let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
                let words = p.split_whitespace().count();
                if words >= 8 {
                    paras.push(p);
                } else if (2..8).contains(&words) && p.len() < 80 {
                    lines.push(p);
                }
            }
        }
        if lines.is_empty() {
            lines.push(name.to_string());
        }
        Pool {
            name: name.to_string(),
            paras,
            lines,
            weight,
        }
    }
}

/// English: the licences, Python's pydoc topics and the text files under /usr/share/doc (not the `copyright`
/// files: licence texts, which the Rust documentation holds too).
pub fn english(weight: f64) -> Pool {
    let mut texts: Vec<String> = prose::licences().into_iter().map(|(_, t)| t).collect();
    texts.extend(prose::pydoc_topics());
    for e in walkdir::WalkDir::new("/usr/share/doc")
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().to_lowercase();
        let texty =
            [".txt", ".md", ".rst"].iter().any(|x| name.ends_with(x)) || name.starts_with("readme");
        if texty && e.file_type().is_file() && e.metadata().is_ok_and(|m| m.len() < 1 << 20) {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                texts.push(t);
            }
        }
    }
    Pool::of("English", &texts, weight)
}

/// The text of a manual page (troff): requests dropped, font and character escapes taken out, paragraphs
/// separated by blank lines.
fn troff_text(src: &str) -> String {
    let mut out = String::new();
    for line in src.lines() {
        if let Some(rest) = line.strip_prefix('.') {
            // a request; the font macros carry text
            let (name, arg) = rest.split_once(' ').unwrap_or((rest, ""));
            if matches!(
                name,
                "B" | "I" | "BR" | "RB" | "IR" | "RI" | "BI" | "IB" | "SM"
            ) {
                out.push_str(arg.trim_matches('"'));
                out.push('\n');
            } else {
                out.push_str("\n\n");
            }
            continue;
        }
        if line.starts_with('\'') || line.trim().is_empty() {
            out.push_str("\n\n");
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('f') => match chars.next() {
                    Some('(') => {
                        chars.next();
                        chars.next();
                    }
                    Some('[') => while chars.next().is_some_and(|c| c != ']') {},
                    _ => {}
                },
                Some('(') => {
                    chars.next();
                    chars.next();
                    out.push('\'');
                }
                Some('*') if chars.next() == Some('(') => {
                    chars.next();
                    chars.next();
                }
                Some('s') => {
                    while chars
                        .peek()
                        .is_some_and(|c| c.is_ascii_digit() || *c == '-' || *c == '+')
                    {
                        chars.next();
                    }
                }
                Some('"') => break,
                Some('-') => out.push('-'),
                Some('e') => out.push('\\'),
                Some(' ') => out.push(' '),
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}

/// Other languages: the manual pages this machine ships in them (/usr/share/man/LANG), with shares of the
/// records roughly as Common Crawl's language statistics give them.
pub fn other_languages(total: f64) -> Vec<Pool> {
    // (directory, name, weight)
    let langs = [
        ("ru", "Russian", 6.0),
        ("de", "German", 6.0),
        ("ja", "Japanese", 5.0),
        ("zh_CN", "Chinese", 5.0),
        ("es", "Spanish", 4.5),
        ("fr", "French", 4.5),
        ("it", "Italian", 2.5),
        ("nl", "Dutch", 2.0),
        ("pl", "Polish", 2.0),
        ("pt", "Portuguese", 2.0),
        ("cs", "Czech", 1.0),
        ("sv", "Swedish", 1.0),
        ("tr", "Turkish", 1.0),
        ("uk", "Ukrainian", 1.0),
        ("ko", "Korean", 1.0),
    ];
    let mut pools = Vec::new();
    for (dir, name, weight) in langs {
        let mut texts = Vec::new();
        for e in walkdir::WalkDir::new(Path::new("/usr/share/man").join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !e.file_type().is_file() || !e.file_name().to_string_lossy().ends_with(".gz") {
                continue;
            }
            let Ok(f) = std::fs::File::open(e.path()) else {
                continue;
            };
            let mut src = String::new();
            if std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(f), &mut src).is_ok()
            {
                texts.push(troff_text(&src));
            }
        }
        let pool = Pool::of(name, &texts, weight);
        if pool.paras.len() >= 20 {
            pools.push(pool);
        }
    }
    let sum: f64 = pools.iter().map(|p| p.weight).sum();
    for p in &mut pools {
        p.weight *= total / sum;
    }
    pools
}

/// The generated records.
pub struct Gen {
    pub rng: fastrand::Rng,
}

/// A normal deviate (Box-Muller).
fn normal(rng: &mut fastrand::Rng) -> f64 {
    let (u, v) = (rng.f64().max(1e-12), rng.f64());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// `text` cut to at most `n` bytes, at a character boundary.
fn cut(text: &mut String, n: usize) {
    if text.len() > n {
        let mut at = n;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
}

impl Gen {
    /// Text bytes of the next record: log-normal, median 3 KB, at least 200 bytes and at most 200 KB.
    fn size(&mut self) -> usize {
        ((3000.0 * (0.9 * normal(&mut self.rng)).exp()) as usize).clamp(200, 200_000)
    }

    pub fn record(
        &mut self,
        i: usize,
        pool: &Pool,
        plant: Option<(&Output, usize, &str, bool)>,
    ) -> (Document, Option<Planted>) {
        let size = self.size();
        let rng = &mut self.rng;
        let mut text = String::new();
        // a title, then a few lines of navigation, as extracted pages start
        let title: Vec<&str> = pool.paras[rng.usize(..pool.paras.len())]
            .split_whitespace()
            .take(rng.usize(3..10))
            .collect();
        text.push_str(&title.join(" "));
        text.push('\n');
        for _ in 0..rng.usize(0..6) {
            text.push_str(&pool.lines[rng.usize(..pool.lines.len())]);
            text.push('\n');
        }
        let mut planted = None;
        let plant_at = rng.usize(0..3);
        let mut k = 0;
        while text.len() < size || (plant.is_some() && planted.is_none()) {
            if k == plant_at {
                if let Some((o, oi, output_text, citation)) = plant {
                    text.push('\n');
                    if citation {
                        text.push_str(&format!(
                            "In {}, the Internet Governance Forum's Best Practice Forum published \"{}\", which \
                             we read closely.",
                            o.year, o.title
                        ));
                        planted = Some(Planted::Citation(oi));
                    } else {
                        let start = text.chars().count();
                        text.push_str(&edited_piece(rng, output_text));
                        planted = Some(Planted::Passage(oi, start, text.chars().count()));
                    }
                    text.push('\n');
                    k += 1;
                    continue;
                }
            }
            text.push('\n');
            let para = &pool.paras[rng.usize(..pool.paras.len())];
            if planted.is_none() && plant.is_some() {
                text.push_str(para);
            } else {
                // the last paragraph is cut where the record's size is reached
                let room = size.saturating_sub(text.len());
                let mut p = para.clone();
                cut(&mut p, room.max(1));
                text.push_str(&p);
            }
            k += 1;
        }
        let host = rng.usize(..HOSTS);
        let doc = Document {
            source: "cc".into(),
            ..Document::from_text(&format!("https://host{host}.example/page/{i}"), text)
        };
        (doc, planted)
    }
}

/// 400 to 1,200 characters of `text` from a word boundary, 5% of the words replaced, deleted or followed by an
/// inserted word.
fn edited_piece(rng: &mut fastrand::Rng, text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let want = rng.usize(400..=1200);
    let from = rng.usize(..words.len().saturating_sub(400).max(1));
    let mut out: Vec<&str> = Vec::new();
    let mut len = 0;
    for w in &words[from..] {
        if len >= want {
            break;
        }
        len += w.len() + 1;
        match rng.u8(..60) {
            0 => out.push("indeed"),
            1 => {}
            2 => {
                out.push(w);
                out.push("also");
            }
            _ => out.push(w),
        }
    }
    out.join(" ")
}

/// The outputs' texts: paragraphs of the Rust documentation, about `bytes` per output.
pub fn output_texts(outputs: &[Output], bytes: usize) -> Vec<(String, String)> {
    let pool = prose::pool(outputs.len() * bytes * 2);
    let mut rust = pool.iter().filter(|p| p.origin == "rust-docs");
    let mut texts = Vec::new();
    for o in outputs {
        let mut t = String::new();
        while t.len() < bytes {
            let Some(p) = rust.next() else { break };
            t.push_str(&p.text);
            t.push_str("\n\n");
        }
        if t.is_empty() {
            break;
        }
        texts.push((o.id.clone(), t));
    }
    texts
}
