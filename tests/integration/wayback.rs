//! `kind = "wayback"` sources and `archive_dead_links` against a local archive speaking the CDX protocol
//! (`archive.rs`): paging to the end with resume keys, the date range sent and honoured, non-documents never
//! asked, a capture that redirects, a malformed CDX answer and a malformed row, a page citing an output read at
//! its original address and dated by its capture (or by its own date), the dead links of an http source read
//! from the archive, and re-runs that ask only what changed. What uptake concluded is read from its tables; what
//! it asked, from the archive's log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::archive::{Archive, Capture};
use super::site::{Reply, Site};
use super::{describe, fixture, s, table_rows, uptake, write_config};

const UA: &str = "uptake-test/1.0 (+http://127.0.0.1/contact)";

/// `documents` by URL.
fn documents(out: &Path) -> HashMap<String, HashMap<&'static str, String>> {
    table_rows(
        out,
        "documents",
        &[
            "doc_id",
            "source",
            "url",
            "published",
            "published_from",
            "found_by",
            "linked_from",
            "other_urls",
            "title",
        ],
    )
    .into_iter()
    .map(|r| (r["url"].clone(), r))
    .collect()
}

fn page(title: &str, body: &str, head: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body><main><h1>{title}</h1>\
         <p>{body}</p></main></body></html>"
    )
}

const CITING: &str =
    "Our network read Enabling Environments for Open Widget Exchanges, the report of the \
    Best Practice Forum on Widgets, and took up its advice on shared registries.";

fn config(dir: &Path, archive: &Archive, source_keys: &str) -> PathBuf {
    write_config(
        dir,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"past\"\n\
             kind = \"wayback\"\ncdx_url = {:?}\narchive_url = {:?}\ndelay_ms = 0\nretry_base_ms = 10\n\
             user_agent = {UA:?}\n{source_keys}\n",
            fixture("small/catalogue.toml").display().to_string(),
            archive.cdx_url(),
            archive.archive_url()
        ),
    )
}

/// The archive of a blog that is gone: pages over several years, a style sheet, an image, a page out of scope,
/// captures outside the range, a capture that redirects, a page on a subdomain.
fn blog_archive() -> Archive {
    let a = Archive::start(vec![
        Capture::html(
            "20150310120000",
            "http://www.blog.example:80/notes/widgets",
            &page("Notes on widgets", CITING, ""),
        ),
        Capture::html(
            "20160101000000",
            "https://blog.example/notes/widgets",
            &page("Notes on widgets", &format!("{CITING} Updated later."), ""),
        ),
        Capture::html(
            "20151111000000",
            "http://blog.example/notes/dated",
            &page(
                "A dated note",
                "A note on widget registries.",
                "<meta property=\"article:published_time\" content=\"2015-01-20T09:00:00Z\">",
            ),
        ),
        Capture::html(
            "20150601000000",
            "http://blog.example/notes/moved",
            "<html><body>stale</body></html>",
        ),
        Capture::html(
            "20150602080000",
            "http://blog.example/notes/moved",
            &page(
                "Moved note",
                "A note that the archive holds a day later.",
                "",
            ),
        ),
        Capture::html(
            "20170707070707",
            "http://news.blog.example/notes/sub",
            &page("News", "News from the subdomain.", ""),
        ),
        Capture::typed(
            "20150310120001",
            "http://blog.example/notes/style.css",
            "text/css",
            b"body{}".to_vec(),
        ),
        Capture::typed(
            "20150310120002",
            "http://blog.example/notes/logo.png",
            "image/png",
            b"\x89PNG".to_vec(),
        ),
        Capture::html(
            "20150505000000",
            "http://blog.example/about",
            &page("About", "About this blog.", ""),
        ),
        Capture::html(
            "20130505000000",
            "http://blog.example/notes/early",
            &page("Early", "Before the range.", ""),
        ),
        Capture::html(
            "20180101000000",
            "http://blog.example/notes/late",
            &page("Late", "After the range.", ""),
        ),
    ]);
    a.redirect(
        "20150601000000",
        "http://blog.example/notes/moved",
        "20150602080000",
    );
    a
}

#[test]
fn archived_pages_are_read_at_their_original_address_and_dated_by_their_capture() {
    let archive = blog_archive();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &archive,
        "targets = [\"blog.example/\"]\nfrom = \"2014\"\nto = \"2017\"\ninclude = [\"/notes/\"]\ncdx_rows = 2",
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = tmp.path().join("out");

    // The listing: the date range and the documented parameters on every request, paged to the end.
    let cdx = archive.cdx_hits();
    assert!(cdx.len() >= 3, "{cdx:?}");
    for h in &cdx {
        let p = |k: &str| h.param(k).unwrap_or("");
        assert_eq!(
            (p("url"), p("matchType"), p("from"), p("to"), p("output")),
            ("blog.example", "domain", "2014", "2017", "json"),
            "{h:?}"
        );
        assert_eq!(
            (p("filter"), p("collapse"), p("limit")),
            ("statuscode:200", "digest", "2")
        );
    }
    assert!(cdx[0].param("resumeKey").is_none());
    assert!(
        cdx[1..].iter().all(|h| h.param("resumeKey").is_some()),
        "{cdx:?}"
    );
    // 9 captures of the domain in the range at 2 a page: 5 pages, the last without a resume key.
    assert_eq!(cdx.len(), 5, "{cdx:?}");

    // Only documents in scope were asked, each once, raw (id_).
    let mut asked = archive.capture_hits();
    asked.sort();
    assert_eq!(
        asked,
        [
            "20150310120000id_/http://www.blog.example/notes/widgets",
            "20150601000000id_/http://blog.example/notes/moved",
            "20150602080000id_/http://blog.example/notes/moved",
            "20151111000000id_/http://blog.example/notes/dated",
            "20170707070707id_/http://news.blog.example/notes/sub",
        ]
    );

    let docs = documents(&out);
    let mut urls: Vec<&String> = docs.keys().collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "http://blog.example/notes/dated",
            "http://blog.example/notes/moved",
            "http://news.blog.example/notes/sub",
            "http://www.blog.example/notes/widgets",
        ]
    );
    let w = &docs["http://www.blog.example/notes/widgets"];
    assert_eq!(
        (w["source"].as_str(), w["found_by"].as_str()),
        ("past", "wayback: blog.example/ 2014-2017")
    );
    // The earliest capture in the range, dated by it: an upper bound of the page's date.
    assert_eq!(
        (w["published"].as_str(), w["published_from"].as_str()),
        ("2015-03-10", "archive-capture")
    );
    assert!(
        w["other_urls"].contains("/web/20150310120000id_/http://www.blog.example/notes/widgets")
    );
    // A page with a date of its own keeps it.
    let d = &docs["http://blog.example/notes/dated"];
    assert_eq!(d["published"], "2015-01-20");
    assert_ne!(d["published_from"], "archive-capture");
    // The archive redirected to the capture it holds: read, at the original address, dated by that capture.
    let m = &docs["http://blog.example/notes/moved"];
    assert_eq!(
        (m["title"].as_str(), m["published"].as_str()),
        ("Moved note", "2015-06-02")
    );

    // The citing page is a mention of the output, at its original URL.
    let mentions = table_rows(&out, "mentions", &["doc_id", "output_id"]);
    assert!(
        mentions
            .iter()
            .any(|r| r["doc_id"] == w["doc_id"] && r["output_id"] == "2015-widgets"),
        "{mentions:?}"
    );
    let log = table_rows(&out, "crawl_log", &["url", "kind", "outcome"]);
    assert_eq!(log.iter().filter(|r| r["kind"] == "api").count(), 5);

    // A re-run asks the index conditionally (unchanged: 304) and no capture at all: captures never change.
    archive.clear_hits();
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let hits = archive.hits();
    assert!(
        hits.iter()
            .all(|h| h.path.starts_with("/cdx/") && h.conditional && h.status == 304),
        "{hits:?}"
    );
    assert_eq!(hits.len(), 5, "{hits:?}");
    assert_eq!(documents(&out), docs, "the same documents from the cache");
    let log = table_rows(&out, "crawl_log", &["url", "kind", "outcome", "attempts"]);
    let pages: Vec<_> = log.iter().filter(|r| r["kind"] == "page").collect();
    assert_eq!(pages.len(), 4, "{pages:?}");
    assert!(
        pages
            .iter()
            .all(|r| r["outcome"] == "not_modified" && r["attempts"] == "0"),
        "{pages:?}"
    );

    // A new capture: the index answers anew, and only the new capture is fetched.
    archive.add(Capture::html(
        "20161212000000",
        "http://blog.example/notes/new",
        &page("New note", "A note archived since.", ""),
    ));
    archive.clear_hits();
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(
        archive.capture_hits(),
        ["20161212000000id_/http://blog.example/notes/new"]
    );
    let docs = documents(&out);
    assert_eq!(docs.len(), 5);
    assert_eq!(
        docs["http://blog.example/notes/new"]["published"],
        "2016-12-12"
    );
}

#[test]
fn the_latest_capture_is_read_when_asked_and_max_captures_stops_the_listing() {
    let archive = blog_archive();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &archive,
        "targets = [\"blog.example/notes/\"]\nfrom = \"2014\"\nto = \"2017\"\ncapture = \"latest\"\nmax_captures = 1",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let cdx = archive.cdx_hits();
    assert_eq!(
        (cdx[0].param("url"), cdx[0].param("matchType")),
        (Some("blog.example/notes/"), Some("prefix"))
    );
    // The first page in urlkey order is `notes/dated`; one document only.
    let docs = documents(&tmp.path().join("out"));
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert!(docs.contains_key("http://blog.example/notes/dated"));
    assert_eq!(archive.capture_hits().len(), 1);

    // Without the cap, the latest capture of the widgets page is read (the 2016 one, at its https address).
    let cfg = config(
        tmp.path(),
        &archive,
        "targets = [\"blog.example/notes/widgets\"]\nfrom = \"2014\"\nto = \"2017\"\ncapture = \"latest\"",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let docs = documents(&tmp.path().join("out"));
    let w = &docs["https://blog.example/notes/widgets"];
    assert_eq!(
        (w["published"].as_str(), w["published_from"].as_str()),
        ("2016-01-01", "archive-capture")
    );
}

#[test]
fn a_malformed_cdx_answer_is_a_skip_naming_its_url_and_nothing_else_is_lost() {
    let archive = blog_archive();
    let mut garbled = Capture::html(
        "20150909000000",
        "http://blog.example/notes/garbled",
        &page("Garbled", "A row of three fields.", ""),
    );
    garbled.garbled = true;
    archive.add(garbled);
    archive.break_cdx_for("broken.example");
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &archive,
        "targets = [\"broken.example\", \"blog.example/notes/\"]\nfrom = \"2014\"\nto = \"2017\"",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let out = tmp.path().join("out");
    let skipped = table_rows(&out, "skipped", &["location", "reason"]);
    let broken = skipped
        .iter()
        .find(|r| r["location"].contains("url=broken.example"))
        .unwrap_or_else(|| panic!("{skipped:?}"));
    assert!(
        broken["location"].starts_with(&archive.cdx_url())
            && broken["reason"].contains("CDX answer (text/html) cannot be read"),
        "{broken:?}"
    );
    let row = skipped
        .iter()
        .find(|r| r["location"] == "http://blog.example/notes/garbled")
        .unwrap_or_else(|| panic!("{skipped:?}"));
    assert!(row["reason"].contains("3 fields"), "{row:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("url=broken.example"));
    // The other target's pages are all read.
    let docs = documents(&out);
    assert_eq!(docs.len(), 3, "{:?}", docs.keys());
}

#[test]
fn dead_links_of_an_http_source_are_read_from_the_archive() {
    let archive = Archive::start(Vec::new());
    let site = Site::start(vec![
        (
            "/",
            Reply::html(
                "<html><body><main><p>Links</p><a href=\"/gone\">gone</a> <a href=\"/vanished\">vanished</a> \
                 <a href=\"/never\">never</a> <a href=\"/live\">live</a></main></body></html>",
            ),
        ),
        ("/gone", Reply::status(404)),
        ("/vanished", Reply::status(410)),
        ("/never", Reply::status(404)),
        ("/live", Reply::html(&page("Live", "A page still there.", ""))),
    ]);
    archive.add(Capture::html(
        "20150101000000",
        &site.url("/gone"),
        &page("Gone note", "An early version.", ""),
    ));
    archive.add(Capture::html(
        "20170303000000",
        &site.url("/gone"),
        &page("Gone note", CITING, ""),
    ));
    archive.add(Capture::html(
        "20160606000000",
        &site.url("/vanished"),
        &page("Vanished note", "A page about widget registries.", ""),
    ));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"web\"\n\
             kind = \"http\"\nseeds = [{:?}]\ndelay_ms = 0\nuser_agent = {UA:?}\n\
             archive_dead_links = {{ cdx_url = {:?}, archive_url = {:?}, delay_ms = 0 }}\n",
            fixture("small/catalogue.toml").display().to_string(),
            site.url("/"),
            archive.cdx_url(),
            archive.archive_url()
        ),
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    // `/never` is in no archive: still a skip.
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let out = tmp.path().join("out");

    let cdx = archive.cdx_hits();
    assert_eq!(cdx.len(), 3, "{cdx:?}");
    for h in &cdx {
        assert_eq!(
            (h.param("matchType"), h.param("limit"), h.param("filter")),
            (Some("exact"), Some("-1"), Some("statuscode:200")),
            "{h:?}"
        );
    }
    let docs = documents(&out);
    let gone = &docs[&site.url("/gone")];
    assert_eq!(
        (
            gone["source"].as_str(),
            gone["found_by"].as_str(),
            gone["published"].as_str(),
            gone["published_from"].as_str(),
            gone["linked_from"].as_str(),
        ),
        (
            "web",
            "wayback: dead link (HTTP 404)",
            "2017-03-03",
            "archive-capture",
            site.url("/").as_str()
        ),
        "the latest capture, at the dead address"
    );
    assert_eq!(
        docs[&site.url("/vanished")]["found_by"],
        "wayback: dead link (HTTP 410)"
    );
    assert_eq!(docs[&site.url("/live")]["found_by"], "");
    let mentions = table_rows(&out, "mentions", &["doc_id", "output_id"]);
    assert!(
        mentions
            .iter()
            .any(|r| r["doc_id"] == gone["doc_id"] && r["output_id"] == "2015-widgets"),
        "{mentions:?}"
    );
    let skipped = table_rows(&out, "skipped", &["location", "reason"]);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["location"], site.url("/never"));
    assert!(skipped[0]["reason"].contains("HTTP 404; the web archive holds no copy"));
    // The crawl log keeps the 404 and the lookups, under the source's name.
    let log = table_rows(&out, "crawl_log", &["source", "url", "kind", "http_status"]);
    assert!(log.iter().all(|r| r["source"] == "web"), "{log:?}");
    assert!(log
        .iter()
        .any(|r| r["url"] == site.url("/gone") && r["http_status"] == "404"));
    assert_eq!(log.iter().filter(|r| r["kind"] == "api").count(), 3);

    // Without the switch, nothing is asked of the archive.
    archive.clear_hits();
    let plain = tempfile::tempdir().unwrap();
    let cfg = write_config(
        plain.path(),
        &format!(
            "catalogue = {:?}\n[[source]]\nname = \"web\"\nkind = \"http\"\nseeds = [{:?}]\ndelay_ms = 0\n",
            fixture("small/catalogue.toml").display().to_string(),
            site.url("/")
        ),
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(archive.hits().is_empty());
}
