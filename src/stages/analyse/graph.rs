//! The links of a run, held compactly for the ripple: each distinct URL once, and per document the ids of the
//! URLs it links to, in order. A documentation site of 3,000 pages has a million links to 400,000 distinct URLs
//! (every method's anchor is one); as records with their own strings they took hundreds of megabytes. The graph
//! keeps only the links that can matter (see [`LinkGraph::keeping`]): those to a URL that is a document of the
//! run, which the ripple follows, or an output's, which detection reads. The `links` table itself has every link
//! and is streamed to Parquet as documents arrive.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::records::{Citation, Document, Link};
use crate::textutil::normalize_url;

/// Strings held once each, by id.
#[derive(Debug, Default)]
struct Interned {
    strings: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, u32>,
}

impl Interned {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        let s: Arc<str> = Arc::from(s);
        self.strings.push(s.clone());
        self.ids.insert(s, id);
        id
    }

    fn get(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
}

/// The id of "no fragment".
const NO_FRAGMENT: u32 = u32::MAX;

/// The links of every document of a run.
#[derive(Debug, Default)]
pub struct LinkGraph {
    /// URLs without their fragment: a site's pages link to a few thousand pages, at a hundred thousand anchors.
    bases: Interned,
    /// Fragments (after `#`), shared by many pages (`#method.len`).
    fragments: Interned,
    /// Per document: its id and the range of `targets` that holds its links.
    docs: HashMap<Box<str>, (u32, u32)>,
    /// Each link's URL: base and fragment.
    targets: Vec<(u32, u32)>,
    /// Each link's place in its document's text (characters), beside `targets`.
    spans: Vec<(u32, u32)>,
    /// Normalised URLs whose links are kept; `None` keeps every link.
    keep: Option<HashSet<String>>,
}

impl LinkGraph {
    /// An empty graph that keeps every link.
    pub fn new() -> LinkGraph {
        LinkGraph::default()
    }

    /// An empty graph that keeps only links to `urls` (after [`normalize_url`]): the URLs of the run's documents
    /// (its citations) and of the outputs (the links detection reads). Citations are those of a graph that keeps
    /// everything.
    pub fn keeping<'a>(urls: impl IntoIterator<Item = &'a str>) -> LinkGraph {
        LinkGraph {
            keep: Some(urls.into_iter().map(normalize_url).collect()),
            ..LinkGraph::default()
        }
    }

    fn intern(&mut self, url: &str) -> (u32, u32) {
        match url.split_once('#') {
            Some((base, fragment)) => (self.bases.id(base), self.fragments.id(fragment)),
            None => (self.bases.id(url), NO_FRAGMENT),
        }
    }

    fn url(&self, (base, fragment): (u32, u32)) -> std::borrow::Cow<'_, str> {
        let base = self.bases.get(base);
        if fragment == NO_FRAGMENT {
            base.into()
        } else {
            format!("{base}#{}", self.fragments.get(fragment)).into()
        }
    }

    /// Adds a document's links (in the order the document gives them). A document added twice keeps its first
    /// links, as the documents table keeps the first of two documents with one id.
    pub fn add<'a>(
        &mut self,
        doc_id: &str,
        links: impl IntoIterator<Item = (&'a str, usize, usize)>,
    ) {
        if self.docs.contains_key(doc_id) {
            return;
        }
        let start = self.targets.len() as u32;
        for (u, from, to) in links {
            if let Some(keep) = &self.keep {
                if !keep.contains(&normalize_url(u)) {
                    continue;
                }
            }
            let id = self.intern(u);
            self.targets.push(id);
            self.spans.push((clamp(from), clamp(to)));
        }
        let end = self.targets.len() as u32;
        self.docs.insert(doc_id.into(), (start, end));
    }

    /// Adds a document's links; see [`LinkGraph::add`].
    pub fn add_links(&mut self, doc_id: &str, links: &[Link]) {
        self.add(
            doc_id,
            links.iter().map(|l| (l.url.as_str(), l.start, l.end)),
        );
    }

    fn range(&self, doc_id: &str) -> std::ops::Range<usize> {
        let (start, end) = self.docs.get(doc_id).copied().unwrap_or((0, 0));
        start as usize..end as usize
    }

    /// The URLs document `doc_id` links to, in order.
    pub fn links_of(&self, doc_id: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.targets[self.range(doc_id)]
            .iter()
            .map(|&id| self.url(id))
    }

    /// Document `doc_id`'s links as records, as they were added.
    pub fn link_records(&self, doc_id: &str) -> Vec<Link> {
        let r = self.range(doc_id);
        self.targets[r.clone()]
            .iter()
            .zip(&self.spans[r])
            .map(|(&id, &(start, end))| Link {
                url: self.url(id).into_owned(),
                start: start as usize,
                end: end as usize,
            })
            .collect()
    }

    /// Links kept, in all.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Distinct URLs linked to, fragments aside.
    pub fn distinct_urls(&self) -> usize {
        self.bases.strings.len()
    }

    /// Whether there are no links.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Every (citing, cited) pair of `docs` joined by a link; each pair once, with its first link. Links match a
    /// document's URL or any of its other URLs after normalisation; a document never cites itself. The same
    /// rows as [`super::ripple::citations`] gives for documents that carry their links.
    pub fn citations(&self, docs: &[Document]) -> Vec<Citation> {
        let mut by_url: HashMap<String, &str> = HashMap::new();
        for d in docs {
            for u in std::iter::once(&d.url).chain(&d.other_urls) {
                if u.starts_with("http") {
                    by_url.entry(normalize_url(u)).or_insert(&d.doc_id);
                }
            }
        }
        // each distinct URL is normalised once
        let mut cited_by_url: HashMap<(u32, u32), Option<&str>> = HashMap::new();
        let mut out = Vec::new();
        for d in docs {
            let mut seen = BTreeSet::new();
            for &id in &self.targets[self.range(&d.doc_id)] {
                let cited = *cited_by_url
                    .entry(id)
                    .or_insert_with(|| by_url.get(&normalize_url(&self.url(id))).copied());
                if let Some(cited) = cited {
                    if cited != d.doc_id && seen.insert(cited) {
                        out.push(Citation {
                            doc_id: d.doc_id.clone(),
                            cited_doc_id: cited.to_string(),
                            url: self.url(id).into_owned(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// A place in a text, in the graph's 32 bits (texts of 4 billion characters and more are not expected).
fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, url: &str, links: &[&str]) -> Document {
        let mut d = Document::from_text(url, String::new());
        d.doc_id = id.into();
        d.links = links
            .iter()
            .map(|u| Link {
                url: u.to_string(),
                start: 0,
                end: 1,
            })
            .collect();
        d
    }

    #[test]
    fn citations_equal_those_of_documents_carrying_their_links() {
        let docs = vec![
            doc(
                "a",
                "https://x.example/a",
                &[
                    "https://x.example/b",
                    "https://X.example/b/",
                    "https://x.example/a",
                    "https://x.example/c#part",
                    "https://elsewhere.example/",
                ],
            ),
            doc("b", "https://x.example/b", &["https://x.example/a"]),
            doc("c", "https://x.example/c", &[]),
        ];
        let mut g = LinkGraph::new();
        for d in &docs {
            g.add_links(&d.doc_id, &d.links);
        }
        let from_graph = g.citations(&docs);
        let from_docs = super::super::ripple::citations(&docs);
        assert_eq!(from_graph.len(), 3, "{from_graph:?}");
        assert_eq!(
            format!("{from_graph:?}"),
            format!("{from_docs:?}"),
            "the graph gives the documents' own citations"
        );
        assert_eq!(g.len(), 6);
        assert_eq!(
            g.distinct_urls(),
            5,
            "each distinct URL is held once, fragments apart"
        );
        assert_eq!(
            g.links_of("a").collect::<Vec<_>>()[3],
            "https://x.example/c#part"
        );
    }

    #[test]
    fn a_graph_keeping_the_documents_urls_gives_the_same_citations() {
        let docs = vec![
            doc(
                "a",
                "https://x.example/a",
                &[
                    "https://x.example/b#part",
                    "https://x.example/elsewhere",
                    "https://out.example/report.pdf",
                    "https://x.example/c",
                ],
            ),
            doc("b", "https://x.example/b", &["https://x.example/a/"]),
            doc("c", "https://x.example/c", &[]),
        ];
        let mut all = LinkGraph::new();
        let mut some = LinkGraph::keeping(
            docs.iter()
                .map(|d| d.url.as_str())
                .chain(["https://out.example/report.pdf"]),
        );
        for d in &docs {
            all.add_links(&d.doc_id, &d.links);
            some.add_links(&d.doc_id, &d.links);
        }
        assert_eq!(
            format!("{:?}", some.citations(&docs)),
            format!("{:?}", all.citations(&docs))
        );
        assert_eq!((all.len(), some.len()), (5, 4));
        assert!(some
            .links_of("a")
            .any(|u| u == "https://out.example/report.pdf"));
        assert_eq!(some.link_records("a")[0].url, "https://x.example/b#part");
    }

    #[test]
    fn a_document_added_twice_keeps_its_first_links() {
        let mut g = LinkGraph::new();
        g.add("a", [("https://x.example/1", 3, 9)]);
        g.add("a", [("https://x.example/2", 0, 1)]);
        assert_eq!(g.links_of("a").collect::<Vec<_>>(), ["https://x.example/1"]);
        let back = g.link_records("a");
        assert_eq!((back[0].start, back[0].end), (3, 9));
        assert_eq!(g.links_of("missing").count(), 0);
    }
}
