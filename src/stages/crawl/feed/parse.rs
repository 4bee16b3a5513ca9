//! Reads a feed with a streaming XML parser: RSS 2.0 (and 0.9x: `rss/channel/item`), RSS 1.0 (RDF: `item`
//! beside `channel`) and Atom (`feed/entry`). Each entry gives its link, identifier, title, text and date; the
//! feed gives the next page of a paged feed. Real feeds are read leniently: CDATA, HTML-escaped titles and
//! summaries, HTML entities XML does not know (`&nbsp;`), relative links (against `xml:base` and the feed's URL),
//! dates in RFC 822 with or without weekday, seconds or a known zone, ISO 8601, and legacy encodings declared in
//! the XML declaration. What is not well-formed XML is refused whole, naming the byte where it broke.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use url::Url;

/// Most entries read from one feed document.
pub const MAX_FEED_ENTRIES: usize = 10_000;
/// Most characters kept of an entry's summary and content (what `include` is matched against).
pub const MAX_ENTRY_TEXT_CHARS: usize = 10_000;

/// The kind of a feed, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Rdf,
    Atom,
}

/// One feed document.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub format: Format,
    pub entries: Vec<Entry>,
    /// The next (older) page: Atom's or an `atom:link`'s `rel="next"` (RFC 5005), absolute.
    pub next: Option<String>,
    /// Made by WordPress (its `<generator>`): older pages are at `?paged=2`, `3`, ...
    pub wordpress: bool,
    /// Entries left out because they had no http(s) link.
    pub unlinked: usize,
}

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The entry's identifier: RSS `guid`, Atom `id`, RDF `rdf:about`, else the link.
    pub id: String,
    /// The page the entry announces (absolute http or https).
    pub link: String,
    /// The title as plain text.
    pub title: Option<String>,
    /// The summary and content as plain text, at most [`MAX_ENTRY_TEXT_CHARS`] characters.
    pub text: String,
    /// The entry's date as written by its publisher (its own zone): `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when no
    /// more is given.
    pub date: Option<String>,
}

/// An entry element being read.
#[derive(Debug, Default)]
struct Partial {
    depth: usize,
    about: Option<String>,
    title: Option<String>,
    link_text: Option<String>,
    guid: Option<(String, bool)>,
    id: Option<String>,
    /// Atom links: (rel, type, absolute href).
    links: Vec<(String, String, String)>,
    summary: String,
    content: String,
    /// Dates by element name, first one of each.
    dates: Vec<(String, String)>,
}

/// A field whose text is being collected.
#[derive(Debug)]
struct Capture {
    name: String,
    depth: usize,
    text: String,
    /// The element's base URL (for a link written as text).
    base: Option<Url>,
    /// `isPermaLink` of a `guid`.
    permalink: bool,
}

fn local(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase()
}

/// The attributes of an element as (full key, local key, value).
fn attrs(e: &BytesStart, reader: &Reader<&[u8]>) -> Vec<(String, String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let value = a
                .decode_and_unescape_value(reader.decoder())
                .map(Cow::into_owned)
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (
                String::from_utf8_lossy(a.key.as_ref()).to_ascii_lowercase(),
                String::from_utf8_lossy(a.key.local_name().as_ref()).to_ascii_lowercase(),
                value,
            )
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String, String)], local: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(_, l, _)| l == local)
        .map(|(_, _, v)| v.trim())
}

/// Resolves `href` against `base` (or takes it as absolute); only http and https URLs are kept.
fn absolute(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let u = match base {
        Some(b) => b.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// The XML as UTF-8: a BOM or the declaration's `encoding` decides; undeclared bytes that are not UTF-8 are read
/// as windows-1252, the usual mislabel.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return Cow::Owned(
            enc.decode_without_bom_handling(&bytes[bom..])
                .0
                .into_owned(),
        );
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let declared = head
        .strip_prefix("<?xml")
        .and_then(|d| d.split("?>").next())
        .and_then(|d| {
            let at = d.find("encoding")?;
            let rest = d[at + "encoding".len()..].trim_start().strip_prefix('=')?;
            let rest = rest.trim_start();
            let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            rest[1..].split(q).next().map(str::to_string)
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            Cow::Owned(enc.decode_without_bom_handling(bytes).0.into_owned())
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
            ),
        },
    }
}

/// Parses a feed read from `feed_url` (the base of relative links). Errors say what is wrong; the caller adds the
/// URL.
pub fn parse_feed(bytes: &[u8], feed_url: &Url) -> Result<Feed, String> {
    let xml = decode(bytes);
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().trim_text(false);
    let mut feed = Feed {
        format: Format::Rss,
        entries: Vec::new(),
        next: None,
        wordpress: false,
        unlinked: 0,
    };
    // Open elements: (local name, base URL in force inside it).
    let mut stack: Vec<(String, Option<Url>)> = Vec::new();
    let mut entry: Option<Partial> = None;
    let mut capture: Option<Capture> = None;
    let mut generator = String::new();
    let mut in_generator = false;
    let mut root_seen = false;
    loop {
        let ev = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = local(e);
                let a = attrs(e, &reader);
                let parent_base = match stack.last() {
                    Some((_, b)) => b.clone(),
                    None => Some(feed_url.clone()),
                };
                let base = match a.iter().find(|(k, _, _)| k == "xml:base") {
                    Some((_, _, v)) => match &parent_base {
                        Some(b) => b.join(v.trim()).ok(),
                        None => Url::parse(v.trim()).ok(),
                    }
                    .or(parent_base),
                    None => parent_base,
                };
                if stack.is_empty() {
                    if root_seen {
                        return Err(format!("a second root element <{name}> after the feed"));
                    }
                    root_seen = true;
                    feed.format = match name.as_str() {
                        "rss" => Format::Rss,
                        "rdf" => Format::Rdf,
                        "feed" => Format::Atom,
                        other => {
                            return Err(format!(
                                "not an RSS or Atom feed: the root element is <{other}>, not <rss>, <rdf:RDF> \
                                 or <feed>"
                            ))
                        }
                    };
                }
                let depth = stack.len() + 1;
                if let Some(c) = &mut capture {
                    // An element inside a captured field (Atom xhtml content): its text joins the field's.
                    c.text.push(' ');
                } else if let Some(p) = entry.as_mut().filter(|p| depth == p.depth + 1) {
                    if name == "link" && attr(&a, "href").is_some() {
                        let rel = attr(&a, "rel").unwrap_or("alternate").to_ascii_lowercase();
                        let ty = attr(&a, "type").unwrap_or("").to_ascii_lowercase();
                        if let Some(href) =
                            attr(&a, "href").and_then(|h| absolute(base.as_ref(), h))
                        {
                            p.links.push((rel, ty, href));
                        }
                    } else if !empty && is_entry_field(&name) {
                        capture = Some(Capture {
                            permalink: name == "guid"
                                && !attr(&a, "ispermalink")
                                    .is_some_and(|v| v.eq_ignore_ascii_case("false")),
                            name: name.clone(),
                            depth,
                            text: String::new(),
                            base: base.clone(),
                        });
                    }
                } else if entry.is_none() && (name == "item" || name == "entry") && depth > 1 {
                    if empty {
                        feed.unlinked += 1;
                    } else {
                        entry = Some(Partial {
                            depth,
                            about: attr(&a, "about").map(str::to_string),
                            ..Partial::default()
                        });
                    }
                } else if entry.is_none() && name == "link" {
                    let rel = attr(&a, "rel").unwrap_or("").to_ascii_lowercase();
                    if rel == "next" && feed.next.is_none() {
                        feed.next = attr(&a, "href").and_then(|h| absolute(base.as_ref(), h));
                    }
                } else if entry.is_none() && name == "generator" {
                    generator.push_str(attr(&a, "uri").unwrap_or(""));
                    generator.push(' ');
                    in_generator = !empty;
                }
                if !empty {
                    stack.push((name, base));
                }
            }
            Event::End(_) => {
                let depth = stack.len();
                if capture.as_ref().is_some_and(|c| c.depth == depth) {
                    let c = capture.take().expect("checked");
                    if let Some(p) = &mut entry {
                        take_field(p, c);
                    }
                } else if let Some(c) = &mut capture {
                    c.text.push(' ');
                }
                in_generator = false;
                if entry.as_ref().is_some_and(|p| p.depth == depth) {
                    let p = entry.take().expect("checked");
                    match finish(p) {
                        Some(e) => feed.entries.push(e),
                        None => feed.unlinked += 1,
                    }
                    if feed.entries.len() >= MAX_FEED_ENTRIES {
                        break;
                    }
                }
                stack.pop();
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                push_text(&mut capture, in_generator, &mut generator, &text);
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                push_text(&mut capture, in_generator, &mut generator, &text);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = r.decode().map_err(|e| e.to_string())?;
                        match quick_xml::escape::resolve_xml_entity(&name) {
                            Some(s) => s.to_string(),
                            // An HTML entity (`&nbsp;`, `&eacute;`): kept for the HTML reading of the text.
                            None => format!("&{name};"),
                        }
                    }
                };
                push_text(&mut capture, in_generator, &mut generator, &resolved);
            }
            Event::Eof => {
                if let Some((open, _)) = stack.last() {
                    return Err(format!("the feed ends inside <{open}>: it is cut short"));
                }
                if !root_seen {
                    return Err("not an RSS or Atom feed: no root element".into());
                }
                break;
            }
            _ => {}
        }
    }
    feed.wordpress = generator.to_ascii_lowercase().contains("wordpress");
    Ok(feed)
}

fn push_text(
    capture: &mut Option<Capture>,
    in_generator: bool,
    generator: &mut String,
    text: &str,
) {
    if let Some(c) = capture {
        c.text.push_str(text);
    } else if in_generator {
        generator.push_str(text);
    }
}

fn is_entry_field(name: &str) -> bool {
    matches!(
        name,
        "title"
            | "link"
            | "guid"
            | "id"
            | "description"
            | "summary"
            | "content"
            | "encoded"
            | "pubdate"
            | "published"
            | "updated"
            | "date"
            | "issued"
            | "created"
            | "modified"
    )
}

fn take_field(p: &mut Partial, c: Capture) {
    let text = c.text.trim();
    if text.is_empty() {
        return;
    }
    let first = |slot: &mut Option<String>, v: String| {
        if slot.is_none() {
            *slot = Some(v);
        }
    };
    match c.name.as_str() {
        "title" => first(&mut p.title, html_text(text)),
        "link" => {
            if let Some(u) = absolute(c.base.as_ref(), text) {
                first(&mut p.link_text, u);
            }
        }
        "guid" => {
            if p.guid.is_none() {
                // A permalink guid is a URL; relative ones resolve like links.
                let value = match (c.permalink, absolute(c.base.as_ref(), text)) {
                    (true, Some(u)) => u,
                    _ => text.to_string(),
                };
                p.guid = Some((value, c.permalink));
            }
        }
        "id" => first(&mut p.id, text.to_string()),
        "description" | "summary" => append_text(&mut p.summary, &html_text(text)),
        "content" | "encoded" => append_text(&mut p.content, &html_text(text)),
        date => {
            if !p.dates.iter().any(|(n, _)| n == date) {
                p.dates.push((date.to_string(), text.to_string()));
            }
        }
    }
}

fn append_text(to: &mut String, text: &str) {
    if text.is_empty() || to.chars().count() >= MAX_ENTRY_TEXT_CHARS {
        return;
    }
    if !to.is_empty() {
        to.push(' ');
    }
    to.push_str(text);
}

/// An entry from its fields; `None` without a usable link.
fn finish(p: Partial) -> Option<Entry> {
    let alternate = || {
        let alts: Vec<&(String, String, String)> = p
            .links
            .iter()
            .filter(|(rel, _, _)| rel == "alternate")
            .collect();
        alts.iter()
            .find(|(_, ty, _)| ty.contains("html"))
            .or(alts.first())
            .map(|(_, _, href)| href.clone())
    };
    let permalink_guid = p
        .guid
        .as_ref()
        .filter(|(_, perma)| *perma)
        .and_then(|(g, _)| absolute(None, g));
    let link = p
        .link_text
        .clone()
        .or_else(alternate)
        .or(permalink_guid)
        .or_else(|| p.about.as_deref().and_then(|a| absolute(None, a)))?;
    let id = p
        .guid
        .map(|(g, _)| g)
        .or(p.id)
        .or(p.about)
        .filter(|i| !i.trim().is_empty())
        .unwrap_or_else(|| link.clone());
    let date = [
        "published",
        "pubdate",
        "date",
        "issued",
        "created",
        "updated",
        "modified",
    ]
    .iter()
    .find_map(|want| {
        p.dates
            .iter()
            .filter(|(n, _)| n == want)
            .find_map(|(_, v)| entry_date(v))
    });
    let mut text = p.summary;
    append_text(&mut text, &p.content);
    let text: String = text.chars().take(MAX_ENTRY_TEXT_CHARS).collect();
    Some(Entry {
        id: id.trim().to_string(),
        link,
        title: p.title.filter(|t| !t.is_empty()),
        text,
        date,
    })
}

/// Elements whose end separates words when HTML is read as text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "blockquote",
    "section",
    "article",
    "figure",
    "figcaption",
    "table",
    "hr",
    "img",
];

/// HTML (an escaped title or summary) as plain text: tags dropped, entities decoded, whitespace collapsed.
pub fn html_text(s: &str) -> String {
    if !s.contains(['<', '&']) {
        return crate::textutil::collapse_whitespace(s);
    }
    if crate::textutil::nesting_depth(s) > crate::textutil::MAX_HTML_DEPTH {
        // Too deep for the HTML parser's time: tags dropped by pattern.
        let stripped = regex::Regex::new(r"<[^>]*>")
            .map(|re| re.replace_all(s, " ").into_owned())
            .unwrap_or_default();
        return crate::textutil::collapse_whitespace(&stripped);
    }
    let frag = scraper::Html::parse_fragment(s);
    let mut out = String::new();
    for edge in frag.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if let Some(t) = node.value().as_text() {
                    out.push_str(t);
                } else if let Some(el) = node.value().as_element() {
                    if BLOCKS.contains(&el.name()) {
                        out.push(' ');
                    }
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if node
                    .value()
                    .as_element()
                    .is_some_and(|el| BLOCKS.contains(&el.name()))
                {
                    out.push(' ');
                }
            }
        }
    }
    crate::textutil::collapse_whitespace(&out)
}

/// An entry's date as its publisher wrote it: `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`). Reads the HTTP and RFC 822
/// forms (through [`crate::textutil::parse_http_date`]), RFC 3339 and ISO 8601, and leniently what real feeds
/// write instead: no weekday, no seconds, a zone name, a full month name, a two-digit year.
pub fn entry_date(s: &str) -> Option<String> {
    use chrono::{Datelike, NaiveDate};
    static ISO: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T ])").expect("valid")
    });
    static DMY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(\d{1,2})[\s\-]+([a-z]{3,9})\.?,?[\s\-]+(\d{4}|\d{2})\b")
            .expect("valid")
    });
    static MDY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
            .expect("valid")
    });
    let s = s.trim();
    let day = |d: NaiveDate| Some(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()));
    if let Some(d) = crate::textutil::parse_http_date(s) {
        return day(d.date_naive());
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return day(d.date_naive());
    }
    if let Some(c) = ISO.captures(s) {
        let y: i32 = c[1].parse().ok()?;
        return match (c.get(2), c.get(3)) {
            (Some(m), Some(d)) => day(NaiveDate::from_ymd_opt(
                y,
                m.as_str().parse().ok()?,
                d.as_str().parse().ok()?,
            )?),
            (Some(m), None) => {
                let m: u32 = m.as_str().parse().ok()?;
                NaiveDate::from_ymd_opt(y, m, 1).map(|_| format!("{y:04}-{m:02}"))
            }
            _ => (1000..=9999).contains(&y).then(|| format!("{y:04}")),
        };
    }
    let year = |y: &str| -> Option<i32> {
        let n: i32 = y.parse().ok()?;
        Some(match (y.len(), n) {
            (2, 0..=49) => 2000 + n,
            (2, _) => 1900 + n,
            _ => n,
        })
    };
    if let Some(c) = DMY.captures(s) {
        let d = NaiveDate::from_ymd_opt(
            year(&c[3])?,
            crate::textutil::month_number(&c[2])?,
            c[1].parse().ok()?,
        );
        if let Some(d) = d {
            return day(d);
        }
    }
    if let Some(c) = MDY.captures(s) {
        return day(NaiveDate::from_ymd_opt(
            c[3].parse().ok()?,
            crate::textutil::month_number(&c[1])?,
            c[2].parse().ok()?,
        )?);
    }
    None
}
