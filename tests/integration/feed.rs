//! `kind = "feed"` sources against a real HTTP server on 127.0.0.1 serving RSS 2.0 and Atom feeds written for
//! these tests (and their entries' pages): entry dates used when a page has none, `include`, relative links, a
//! malformed feed, paged feeds (Atom `rel="next"`, WordPress `?paged=N`), and re-runs that read only new entries.
//! What was asked is read from the server's log; what uptake concluded from its Parquet tables.

use std::collections::HashMap;
use std::path::Path;

use uptake::load;

use super::site::{Reply, Site};
use super::{describe, fixture, s, strs, table_rows, uptake, write_config};

const UA: &str = "uptake-test/1.0 (+http://127.0.0.1/contact)";

/// `documents` rows by URL: the columns a feed sets.
fn documents(out: &Path) -> HashMap<String, HashMap<&'static str, String>> {
    table_rows(
        out,
        "documents",
        &[
            "doc_id",
            "url",
            "source",
            "title",
            "published",
            "published_from",
            "found_by",
            "other_urls",
        ],
    )
    .into_iter()
    .map(|r| (r["url"].clone(), r))
    .collect()
}

/// (doc_id, output_id) of every mention.
fn mentions(out: &Path) -> Vec<(String, String)> {
    let df = load::read_table(out, "mentions").unwrap();
    strs(&df, "doc_id")
        .into_iter()
        .zip(strs(&df, "output_id"))
        .collect()
}

/// An article page; `meta` goes in its head. The text carries no date of its own.
fn page(title: &str, meta: &str, body: &str) -> Reply {
    Reply::html(&format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body><main><h1>{title}</h1>\
         <p>{body}</p><p>Exchanges of widgets between neighbouring networks keep traffic local and cheap.</p>\
         </main></body></html>"
    ))
}

fn rss(items: &[String]) -> Reply {
    Reply::typed(
        "application/rss+xml; charset=utf-8",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Widget wire</title>\
             <link>/</link><description>News about widgets</description>{}</channel></rss>",
            items.concat()
        )
        .into_bytes(),
    )
}

fn item(title: &str, link: &str, date: Option<&str>, description: &str) -> String {
    let date = date
        .map(|d| format!("<pubDate>{d}</pubDate>"))
        .unwrap_or_default();
    format!(
        "<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{link}#id</guid>{date}\
         <description><![CDATA[<p>{description}</p>]]></description></item>"
    )
}

fn config(dir: &Path, sources: &str) -> std::path::PathBuf {
    write_config(
        dir,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n{sources}",
            fixture("small/catalogue.toml").display()
        ),
    )
}

#[test]
fn feed_entries_become_dated_documents_and_reruns_read_only_new_entries() {
    let site = Site::start(vec![]);
    let cites = "The Best Practice Forum report Enabling Environments for Open Widget Exchanges \
                 is the reference on this topic.";
    let mut items = vec![
        item(
            "Widgets &amp;amp; the BPF",
            "/news/cites-the-report",
            Some("Tue, 05 Jun 2018 09:00:00 +0200"),
            "What the forum found about widget exchanges.",
        ),
        item(
            "A dated page on the BPF",
            "/news/dated-page",
            Some("Mon, 01 Jan 2018 12:00:00 GMT"),
            "The page says when it was published.",
        ),
        item(
            "Undated notes",
            "/news/undated",
            None,
            "Notes from the IGF village.",
        ),
        item(
            "Weather for the weekend",
            "/news/weather",
            Some("Sat, 02 Jun 2018 07:00:00 GMT"),
            "Rain in the hills, sun by the sea.",
        ),
    ];
    site.set_routes(vec![
        ("/rss.xml", rss(&items)),
        (
            "/atom.xml",
            Reply::typed(
                "application/atom+xml",
                b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                  <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"/blog/\">\
                  <title>Exchange notes</title><id>urn:x-test:notes</id>\
                  <entry><id>urn:x-test:notes:1</id><title type=\"html\">Notes on the &lt;b&gt;IGF&lt;/b&gt;</title>\
                  <link rel=\"alternate\" type=\"text/html\" href=\"atom-entry\"/>\
                  <published>2016-10-10T08:00:00Z</published><updated>2017-01-01T00:00:00Z</updated>\
                  <summary>Two forums compared.</summary></entry></feed>"
                    .to_vec(),
            ),
        ),
        (
            "/broken.xml",
            Reply::typed(
                "application/rss+xml",
                b"<rss><channel><item><title>IGF</title></channel></rss>".to_vec(),
            ),
        ),
        ("/news/cites-the-report", page("A page", "", cites)),
        (
            "/news/dated-page",
            page(
                "Dated",
                "<meta property=\"article:published_time\" content=\"2017-03-04T10:00:00Z\">",
                "A page that knows its date.",
            ),
        ),
        ("/news/undated", page("Undated", "", "Notes without a date.")),
        ("/news/weather", page("Weather", "", "Rain.")),
        ("/blog/atom-entry", page("Atom entry", "", "Notes of an Atom entry.")),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &format!(
            "[[source]]\nname = \"news-feeds\"\nkind = \"feed\"\nfeeds = [{:?}, {:?}, {:?}]\n\
             include = [\"(?i)igf|best practice forum|bpf\"]\nuser_agent = {UA:?}\ndelay_ms = 0\n",
            site.url("/rss.xml"),
            site.url("/broken.xml"),
            site.url("/atom.xml"),
        ),
    );
    let run = || {
        let o = uptake(&["run", "--config", s(&cfg)]);
        // The malformed feed is a skip: exit code 2.
        assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(
            err.contains(&format!("feed {}", site.url("/broken.xml")))
                && err.contains("not well-formed"),
            "the skip names the feed: {err}"
        );
        err
    };
    run();
    let out = tmp.path().join("out");
    let paths = site.paths();
    assert!(
        !paths.iter().any(|p| p == "/news/weather"),
        "an entry failing include is not fetched: {paths:?}"
    );
    assert!(site.hits().iter().all(|h| h.user_agent == UA));
    let docs = documents(&out);
    assert_eq!(docs.len(), 4, "{:?}", docs.keys());
    let d = &docs[&site.url("/news/cites-the-report")];
    assert_eq!(d["source"], "news-feeds");
    assert_eq!(
        d["title"], "Widgets & the BPF",
        "the entry's title, unescaped"
    );
    assert_eq!(
        (d["published"].as_str(), d["published_from"].as_str()),
        ("2018-06-05", "feed-entry"),
        "the page has no date: the entry's"
    );
    assert_eq!(d["found_by"], format!("feed: {}", site.url("/rss.xml")));
    let dated = &docs[&site.url("/news/dated-page")];
    assert_eq!(
        (
            dated["published"].as_str(),
            dated["published_from"].as_str()
        ),
        ("2017-03-04", "meta:article:published_time"),
        "the page's own date comes first"
    );
    let undated = &docs[&site.url("/news/undated")];
    assert_eq!(
        undated["published_from"], "http-last-modified",
        "an entry without a date leaves the page to its Last-Modified"
    );
    let atom = &docs[&site.url("/blog/atom-entry")];
    assert_eq!(
        (atom["published"].as_str(), atom["published_from"].as_str()),
        ("2016-10-10", "feed-entry"),
        "Atom's published, its link relative to xml:base"
    );
    assert_eq!(atom["title"], "Notes on the IGF");
    assert_eq!(atom["found_by"], format!("feed: {}", site.url("/atom.xml")));
    let cited: Vec<_> = mentions(&out)
        .into_iter()
        .filter(|(doc, _)| *doc == d["doc_id"])
        .map(|(_, o)| o)
        .collect();
    assert!(
        cited.contains(&"2015-widgets".to_string()),
        "the mention lands in the tables: {cited:?}"
    );
    let log = load::read_table(&out, "crawl_log").unwrap();
    let kinds: HashMap<String, String> = strs(&log, "url")
        .into_iter()
        .zip(strs(&log, "kind"))
        .collect();
    assert_eq!(kinds[&site.url("/rss.xml")], "api", "feeds are logged");
    assert_eq!(kinds[&site.url("/news/undated")], "page");
    let skipped = load::read_table(&out, "skipped").unwrap();
    assert!(
        strs(&skipped, "location").contains(&site.url("/broken.xml")),
        "{skipped}"
    );

    // The RSS feed gains an entry: only its page is fetched; the others stay documents from the cache.
    items.insert(
        0,
        item(
            "A new BPF story",
            "/news/new-entry",
            Some("Thu, 07 Jun 2018 09:00:00 GMT"),
            "Fresh news.",
        ),
    );
    site.set_routes(vec![
        ("/rss.xml", rss(&items)),
        ("/news/new-entry", page("New", "", "A new story.")),
    ]);
    site.clear_hits();
    run();
    let hits = site.hits();
    let pages: Vec<_> = hits
        .iter()
        .filter(|h| h.path.starts_with("/news/") || h.path.starts_with("/blog/"))
        .collect();
    assert_eq!(pages.len(), 1, "only the new entry is asked: {pages:?}");
    assert_eq!(
        (pages[0].path.as_str(), pages[0].status),
        ("/news/new-entry", 200)
    );
    let atom_hit = hits.iter().find(|h| h.path == "/atom.xml").unwrap();
    assert!(
        atom_hit.conditional && atom_hit.status == 304,
        "an unchanged feed is asked conditionally: {atom_hit:?}"
    );
    let again = documents(&out);
    assert_eq!(again.len(), 5, "{:?}", again.keys());
    for (url, row) in &docs {
        assert_eq!(&again[url], row, "the same document as the first run");
    }
    assert_eq!(
        again[&site.url("/news/new-entry")]["published"],
        "2018-06-07"
    );
    assert!(mentions(&out)
        .iter()
        .any(|(doc, o)| *doc == d["doc_id"] && o == "2015-widgets"));

    // An entry that has left the feed keeps its document.
    items.retain(|i| !i.contains("/news/undated"));
    site.set_route("/rss.xml", rss(&items));
    site.clear_hits();
    run();
    let docs3 = documents(&out);
    assert!(docs3.contains_key(&site.url("/news/undated")));
    assert_eq!(docs3.len(), 5);
    assert!(site
        .paths()
        .iter()
        .all(|p| !p.starts_with("/news/") && !p.starts_with("/blog/")));
}

#[test]
fn paged_feeds_are_followed_once_and_reruns_stop_at_the_first_page() {
    let site = Site::start(vec![]);
    let atom_page = |n: usize, next: Option<&str>| {
        let next = next
            .map(|p| format!("<link rel=\"next\" href=\"{p}\"/>"))
            .unwrap_or_default();
        Reply::typed(
            "application/atom+xml",
            format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:x-test:paged</id>{next}\
                 <entry><id>urn:x-test:paged:{n}</id><title>Paged {n}</title>\
                 <link href=\"/paged/{n}\"/><updated>2017-0{n}-01T00:00:00Z</updated></entry></feed>"
            )
            .into_bytes(),
        )
    };
    let wp_page = |n: usize| {
        Reply::typed(
            "application/rss+xml",
            format!(
                "<rss version=\"2.0\"><channel><title>WP</title><generator>https://wordpress.org/?v=6.5</generator>\
                 <item><title>WordPress {n}</title><link>/wp/{n}</link><guid>/wp/?p={n}</guid></item>\
                 </channel></rss>"
            )
            .into_bytes(),
        )
    };
    site.set_routes(vec![
        ("/paged.xml", atom_page(1, Some("/paged.xml?page=2"))),
        ("/paged.xml?page=2", atom_page(2, Some("/paged.xml?page=3"))),
        ("/paged.xml?page=3", atom_page(3, Some("/paged.xml?page=4"))),
        ("/paged.xml?page=4", atom_page(4, None)),
        ("/wp/feed/", wp_page(1)),
        ("/wp/feed/?paged=2", wp_page(2)),
        ("/paged/1", page("P1", "", "Page one.")),
        ("/paged/2", page("P2", "", "Page two.")),
        ("/paged/3", page("P3", "", "Page three.")),
        ("/paged/4", page("P4", "", "Page four.")),
        ("/wp/1", page("W1", "", "WordPress one.")),
        ("/wp/2", page("W2", "", "WordPress two.")),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &format!(
            "[[source]]\nname = \"paged\"\nkind = \"feed\"\nfeeds = [{:?}, {:?}]\nfollow_pagination = true\n\
             max_feed_pages = 3\nuser_agent = {UA:?}\ndelay_ms = 0\n",
            site.url("/paged.xml"),
            site.url("/wp/feed/"),
        ),
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let paths = site.paths();
    for p in ["/paged.xml", "/paged.xml?page=2", "/paged.xml?page=3"] {
        assert!(paths.contains(&p.to_string()), "{p}: {paths:?}");
    }
    assert!(
        !paths.contains(&"/paged.xml?page=4".to_string()),
        "max_feed_pages: {paths:?}"
    );
    assert!(
        paths.contains(&"/wp/feed/?paged=3".to_string()),
        "WordPress pages are asked until one is missing: {paths:?}"
    );
    let docs = documents(&tmp.path().join("out"));
    assert_eq!(docs.len(), 5, "{:?}", docs.keys());
    assert_eq!(docs[&site.url("/paged/2")]["published"], "2017-02-01");
    assert_eq!(docs[&site.url("/paged/2")]["published_from"], "feed-entry");

    // Nothing new: each first page answers 304 and brings only seen entries, so no older page is asked.
    site.clear_hits();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let hits = site.hits();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, ["/paged.xml", "/wp/feed/"], "{hits:?}");
    assert!(hits.iter().all(|h| h.conditional && h.status == 304));
    assert_eq!(documents(&tmp.path().join("out")), docs);
}

#[test]
fn max_entries_spreads_the_work_and_recheck_seen_asks_conditionally() {
    let site = Site::start(vec![]);
    site.set_routes(vec![
        (
            "/f.xml",
            rss(&[
                item("One", "/a", Some("Mon, 01 Jan 2018 00:00:00 GMT"), "First."),
                item("Two", "/b", None, "Second."),
                item("Gone", "/missing", None, "Third."),
            ]),
        ),
        ("/a", page("A", "", "Page a.")),
        ("/b", page("B", "", "Page b.")),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &format!(
            "[[source]]\nname = \"capped\"\nkind = \"feed\"\nfeeds = [{:?}]\nmax_entries = 2\nrecheck_seen = true\nmax_retries = 0\n\
             user_agent = {UA:?}\ndelay_ms = 0\n",
            site.url("/f.xml"),
        ),
    );
    let pages = |site: &Site| -> Vec<(String, u16, bool)> {
        site.hits()
            .into_iter()
            .filter(|h| h.path != "/f.xml" && h.path != "/robots.txt")
            .map(|h| (h.path, h.status, h.conditional))
            .collect()
    };
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(
        pages(&site),
        [("/a".into(), 200, false), ("/b".into(), 200, false)],
        "two entries, the third waits"
    );
    // The next run asks the waiting entry, and (recheck_seen) the others conditionally.
    site.clear_hits();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let mut asked = pages(&site);
    asked.sort();
    assert_eq!(
        asked,
        [
            ("/a".into(), 304, true),
            ("/b".into(), 304, true),
            ("/missing".into(), 404, false)
        ]
    );
    assert_eq!(documents(&tmp.path().join("out")).len(), 2);
    // A page that failed is asked again by the next run; a recheck that fails keeps the stored copy.
    site.set_route("/a", Reply::status(500));
    site.clear_hits();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(pages(&site).contains(&("/missing".into(), 404, false)));
    let docs = documents(&tmp.path().join("out"));
    assert_eq!(docs.len(), 2, "{:?}", docs.keys());
    assert_eq!(docs[&site.url("/a")]["published_from"], "feed-entry");
}
