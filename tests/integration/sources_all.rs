//! Every kind of source in one run, each against a local server speaking its protocol: a website (http), the
//! OpenAlex works API, a web archive's CDX index with its captures, and an RSS feed; the output's own text fetched
//! from a URL and used for reuse; the publisher's own pages kept apart. What each source found is read back from
//! the tables. All text here was written for these tests.

use std::collections::HashMap;

use super::archive::{Archive, Capture};
use super::openalex::server::{work, OpenAlex};
use super::site::{Reply, Site};
use super::{describe, table_rows, uptake, write_config};

const UA: &str = "uptake-test/1.0 (+http://127.0.0.1/contact)";
const TITLE: &str = "Enabling Environments for Open Widget Exchanges";
/// The output's own text, served at a URL the catalogue names; a blog post quotes a passage of it.
const REPORT: &str = "Exchanges that publish their routing policy in plain words, keep a public register of their \
    members and meet in the open every season grow faster than those that do not; a published policy halves the \
    time a newcomer needs to connect, and the seasonal meeting is where most later agreements begin.";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>{body}</p>\
         </main></body></html>"
    )
}

#[test]
fn one_run_reads_every_source_kind_with_its_metadata_and_keeps_own_pages_apart() {
    let site = Site::start(vec![
        (
            "/robots.txt",
            Reply::typed("text/plain", b"User-agent: *\nAllow: /\n".to_vec()),
        ),
        ("/texts/widgets.html", Reply::html(&page(TITLE, REPORT))),
        (
            "/forum/session-2016.html",
            Reply::html(&page(
                "Session summary",
                &format!("The forum's session of 2016 discussed {TITLE} and its follow-up."),
            )),
        ),
        (
            "/blog/exchanges.html",
            Reply::html(&page(
                "What we learnt",
                &format!(
                    "As the forum's report {TITLE} put it: {REPORT} We agree with every word."
                ),
            )),
        ),
        (
            "/feed.xml",
            Reply::typed(
                "application/rss+xml",
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>News</title>\
                     <item><title>Widget news</title><link>/news/widgets.html</link>\
                     <pubDate>Tue, 14 Mar 2017 09:00:00 GMT</pubDate></item></channel></rss>"
                    .to_string()
                    .into_bytes(),
            ),
        ),
        (
            "/news/widgets.html",
            Reply::html(&page(
                "Widget news",
                &format!("Regulators cited {TITLE} at this week's meeting."),
            )),
        ),
    ]);
    let archive = Archive::start(vec![Capture::html(
        "20150612080000",
        "http://gone.example/2015/widgets.html",
        &page(
            "A page that is gone",
            &format!("Our members read {TITLE}, the forum's report of this year."),
        ),
    )]);
    let scholarly = OpenAlex::start();
    scholarly.set_file(
        "/robots.txt",
        "text/plain",
        b"User-agent: *\nAllow: /\n".to_vec(),
    );
    scholarly.set_file(
        "/landing/w1.html",
        "text/html; charset=utf-8",
        page(
            "Exchanges in review",
            &format!("This article reviews {TITLE} and what came of it."),
        )
        .into_bytes(),
    );
    scholarly.set_works(
        TITLE,
        vec![work(
            "W1",
            "Exchanges in review",
            "2018-05-02",
            Some("https://doi.org/10.5555/exchanges.2018"),
            None,
            Some(scholarly.url("/landing/w1.html")),
            Some("Journal of Invented Studies"),
            &[(
                "University of Somewhere",
                "https://ror.org/00x",
                "education",
                "NZ",
            )],
        )],
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("catalogue.toml"),
        format!(
            "own_sites = [{:?}]\n\n[[output]]\nid = \"2015-widgets\"\nyear = 2015\npublished = \"2015-01\"\n\
             title = {TITLE:?}\ntext = [{:?}]\n",
            site.url("/forum/"),
            site.url("/texts/widgets.html"),
        ),
    )
    .unwrap();
    let cfg = write_config(
        dir,
        &format!(
            "catalogue = \"catalogue.toml\"\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n\
             [[source]]\nname = \"web\"\nkind = \"http\"\nseeds = [{:?}, {:?}]\nmax_depth = 0\nsitemaps = false\n\
             delay_ms = 0\nuser_agent = {UA:?}\n\n\
             [[source]]\nname = \"scholarly\"\nkind = \"openalex\"\nbase_url = {:?}\nmailto = \"me@example.org\"\n\
             delay_ms = 0\nfetch_delay_ms = 0\nuser_agent = {UA:?}\n\n\
             [[source]]\nname = \"past\"\nkind = \"wayback\"\ntargets = [\"gone.example/\"]\nfrom = \"2014\"\n\
             to = \"2017\"\ncdx_url = {:?}\narchive_url = {:?}\ndelay_ms = 0\nuser_agent = {UA:?}\n\n\
             [[source]]\nname = \"news\"\nkind = \"feed\"\nfeeds = [{:?}]\ndelay_ms = 0\nuser_agent = {UA:?}\n",
            site.url("/forum/session-2016.html"),
            site.url("/blog/exchanges.html"),
            scholarly.url(""),
            archive.cdx_url(),
            archive.archive_url(),
            site.url("/feed.xml"),
        ),
    );
    let o = uptake(&["run", "--config", cfg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", describe(&o));
    let out = dir.join("out");

    // a document from each kind, with what its source knew of it
    let docs = table_rows(
        &out,
        "documents",
        &[
            "doc_id",
            "source",
            "url",
            "published",
            "published_from",
            "found_by",
            "sector",
            "is_own",
        ],
    );
    let by_source = |s: &str| -> Vec<&HashMap<&'static str, String>> {
        docs.iter().filter(|d| d["source"] == s).collect()
    };
    assert_eq!(by_source("web").len(), 2, "{docs:#?}");
    let work = by_source("scholarly");
    assert_eq!(work.len(), 1, "{docs:#?}");
    assert_eq!(
        (work[0]["published"].as_str(), work[0]["sector"].as_str()),
        ("2018-05-02", "academia")
    );
    assert!(work[0]["found_by"].contains(TITLE), "{:?}", work[0]);
    let past = by_source("past");
    assert_eq!(past.len(), 1, "{docs:#?}");
    assert_eq!(past[0]["url"], "http://gone.example/2015/widgets.html");
    assert_eq!(
        (
            past[0]["published"].as_str(),
            past[0]["published_from"].as_str()
        ),
        ("2015-06-12", "archive-capture")
    );
    let news = by_source("news");
    assert_eq!(news.len(), 1, "{docs:#?}");
    assert_eq!(
        (
            news[0]["published"].as_str(),
            news[0]["published_from"].as_str()
        ),
        ("2017-03-14", "feed-entry")
    );
    assert!(news[0]["found_by"].starts_with("feed: "));

    // the own page is kept and marked, and not counted
    let own: Vec<_> = docs.iter().filter(|d| d["is_own"] == "true").collect();
    assert_eq!(own.len(), 1, "{docs:#?}");
    assert!(own[0]["url"].ends_with("/forum/session-2016.html"));
    let metrics = table_rows(
        &out,
        "metrics",
        &[
            "output_id",
            "documents",
            "own_documents",
            "own_counted",
            "reuse_measured",
        ],
    );
    assert_eq!(metrics.len(), 1);
    let m = &metrics[0];
    // the blog, the work, the archived page and the news entry; the forum's own page apart
    assert_eq!(
        (
            m["documents"].as_str(),
            m["own_documents"].as_str(),
            m["own_counted"].as_str()
        ),
        ("4", "1", "false"),
        "{m:?}"
    );
    assert_eq!(m["reuse_measured"], "true");

    // the output's text came from its URL, and the blog's quotation of it is a reused passage
    let parts = table_rows(&out, "output_texts", &["output_id", "origin", "location"]);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["origin"], "url");
    let blog_id = &by_source("web")
        .into_iter()
        .find(|d| d["url"].ends_with("/blog/exchanges.html"))
        .unwrap()["doc_id"];
    let passages = table_rows(&out, "passages", &["doc_id", "output_id"]);
    assert!(
        passages.iter().any(|p| &p["doc_id"] == blog_id),
        "{passages:?}"
    );
    let html = std::fs::read_to_string(dir.join("reports/index.html")).unwrap();
    assert!(html.contains("id=\"own\""), "the own section");
    for kind in ["http", "openalex", "wayback", "feed"] {
        assert!(
            html.contains(&format!("<td>{kind}</td>")),
            "{kind} in the sources table"
        );
    }
}
