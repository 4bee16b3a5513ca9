//! HTML extraction with scraper: the main text without navigation, headers, footers, scripts and styles; links
//! with the span of their anchor text; title, publisher and publication date from the page's metadata.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node, Selector};

use super::dates::{date_in_url, parse_date};
use super::{Extracted, TextBuilder};
use crate::records::{ContentKind, Dated};

/// Elements whose content is never part of the main text.
const DROPPED: &[&str] = &[
    "nav", "header", "footer", "script", "style", "noscript", "template", "svg", "form", "aside",
    "iframe", "button", "select", "head",
];

/// Elements that start a new paragraph.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "figure",
    "dl",
    "hr",
];

/// Elements that start a new line.
const LINES: &[&str] = &[
    "br",
    "div",
    "li",
    "tr",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "address",
];

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Extracts text and metadata from a decoded HTML page found at `url`.
pub fn extract_html(html: &str, url: &str) -> Extracted {
    let doc = Html::parse_document(html);
    let base = url::Url::parse(url).ok();

    // meta name/property (lowercased) → first non-empty content
    let mut meta: HashMap<String, String> = HashMap::new();
    for m in doc.select(&selector("meta")) {
        let key = m
            .value()
            .attr("name")
            .or_else(|| m.value().attr("property"));
        let content = m
            .value()
            .attr("content")
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if let (Some(k), Some(c)) = (key, content) {
            meta.entry(k.trim().to_ascii_lowercase())
                .or_insert_with(|| c.to_string());
        }
    }
    let json_ld: Vec<serde_json::Value> = doc
        .select(&selector(r#"script[type="application/ld+json"]"#))
        .filter_map(|s| serde_json::from_str(&s.text().collect::<String>()).ok())
        .collect();
    let ld_objects = flatten_json_ld(&json_ld);

    let first_text = |sel: &str| {
        doc.select(&selector(sel))
            .map(|e| collapse(&e.text().collect::<String>()))
            .find(|t| !t.is_empty())
    };
    let title = meta
        .get("citation_title")
        .or_else(|| meta.get("og:title"))
        .or_else(|| meta.get("dc.title"))
        .cloned()
        .or_else(|| first_text("title"))
        .or_else(|| first_text("h1"));

    let ld_publisher = ld_objects.iter().find_map(|o| match o.get("publisher") {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Object(p)) => {
            p.get("name").and_then(|n| n.as_str()).map(str::to_string)
        }
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .find_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_string)),
        _ => None,
    });
    let publisher = meta
        .get("og:site_name")
        .cloned()
        .or(ld_publisher)
        .or_else(|| meta.get("citation_publisher").cloned())
        .or_else(|| meta.get("dc.publisher").cloned());

    let canonical = doc
        .select(&selector(r#"link[rel="canonical"]"#))
        .find_map(|l| l.value().attr("href"))
        .and_then(|h| resolve(base.as_ref(), h))
        .unwrap_or_else(|| url.to_string());
    let published = publication_date(&doc, &meta, &ld_objects, &canonical);

    // main text
    let root = ["main", "article", r#"[role="main"]"#, "body"]
        .iter()
        .find_map(|s| doc.select(&selector(s)).next());
    let mut b = TextBuilder::default();
    match root {
        Some(r) => walk(r, base.as_ref(), &mut b),
        None => walk(doc.root_element(), base.as_ref(), &mut b),
    }
    let (text, links) = b.finish();
    Extracted {
        text,
        links,
        title,
        publisher,
        published,
        content_type: ContentKind::Html,
    }
}

fn publication_date(
    doc: &Html,
    meta: &HashMap<String, String>,
    ld: &[&serde_json::Map<String, serde_json::Value>],
    canonical: &str,
) -> Option<Dated> {
    let dated = |s: &str, from: String| {
        parse_date(s).map(|(date, precision)| Dated {
            date,
            precision,
            from,
        })
    };
    for key in [
        "citation_publication_date",
        "citation_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.issued",
        "dcterms.date",
        "article:published_time",
    ] {
        if let Some(d) = meta.get(key).and_then(|v| dated(v, format!("meta:{key}"))) {
            return Some(d);
        }
    }
    if let Some(d) = ld
        .iter()
        .filter_map(|o| o.get("datePublished").and_then(|v| v.as_str()))
        .find_map(|v| dated(v, "json-ld:datePublished".into()))
    {
        return Some(d);
    }
    if let Some(d) = doc
        .select(&selector("time[datetime]"))
        .filter_map(|t| t.value().attr("datetime"))
        .find_map(|v| dated(v, "html:time".into()))
    {
        return Some(d);
    }
    date_in_url(canonical).map(|(date, precision)| Dated {
        date,
        precision,
        from: "url".into(),
    })
}

/// Every JSON-LD object, looking inside arrays and `@graph`.
fn flatten_json_ld(
    values: &[serde_json::Value],
) -> Vec<&serde_json::Map<String, serde_json::Value>> {
    fn visit<'a>(
        v: &'a serde_json::Value,
        out: &mut Vec<&'a serde_json::Map<String, serde_json::Value>>,
        depth: u8,
    ) {
        if depth > 8 {
            return;
        }
        match v {
            serde_json::Value::Array(a) => a.iter().for_each(|x| visit(x, out, depth + 1)),
            serde_json::Value::Object(o) => {
                out.push(o);
                if let Some(g) = o.get("@graph") {
                    visit(g, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for v in values {
        visit(v, &mut out, 0);
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn resolve(base: Option<&url::Url>, href: &str) -> Option<String> {
    let href = href.trim();
    let u = match base {
        Some(b) => b.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(u.scheme(), "http" | "https" | "file").then(|| u.to_string())
}

fn walk(el: ElementRef, base: Option<&url::Url>, b: &mut TextBuilder) {
    // An explicit stack keeps deeply nested pages from overflowing the thread's stack.
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        Leave(&'a str, bool),
    }
    let mut stack = vec![Step::Enter(*el)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node) => match node.value() {
                Node::Text(t) => b.push_text(t),
                Node::Element(e) => {
                    let name = e.name();
                    if DROPPED.contains(&name) {
                        continue;
                    }
                    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
                        continue;
                    }
                    let is_link = if name == "a" {
                        match e.attr("href").and_then(|h| resolve(base, h)) {
                            Some(u) => {
                                b.open_link(u);
                                true
                            }
                            None => false,
                        }
                    } else {
                        false
                    };
                    block_break(name, b);
                    stack.push(Step::Leave(name, is_link));
                    for child in node.children().rev() {
                        stack.push(Step::Enter(child));
                    }
                }
                _ => {}
            },
            Step::Leave(name, is_link) => {
                if is_link {
                    b.close_link();
                }
                block_break(name, b);
                if name == "td" || name == "th" {
                    b.push_text(" ");
                }
            }
        }
    }
}

fn block_break(name: &str, b: &mut TextBuilder) {
    if PARAGRAPHS.contains(&name) {
        b.paragraph();
    } else if LINES.contains(&name) {
        b.line();
    }
}
