//! The crawler against real HTTP servers on 127.0.0.1 started by the tests: robots.txt, sitemaps, redirects,
//! retries, timeouts, size caps, charsets, mislabelled types, scope, duplicates, conditional re-runs and a crawl
//! killed part-way and resumed. What was fetched, in which order and with which delays is read from the server's
//! own log; what uptake concluded is read from its Parquet tables.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use uptake::load;
use uptake::load::schema::{Cell as _, ListStr};

use super::site::{BrokenSite, Reply, Site};
use super::{describe, fixture, s, strs, table_rows, uptake, write_config};

const UA: &str = "uptake-test/1.0 (+http://127.0.0.1/contact)";

fn small_catalogue() -> String {
    fixture("small/catalogue.toml").display().to_string()
}

/// A config with one http source `web` over `seeds`; `extra` adds keys to the source.
fn http_config(dir: &Path, seeds: &[String], extra: &str) -> PathBuf {
    write_config(
        dir,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"web\"\nkind = \"http\"\nseeds = {seeds:?}\nuser_agent = {UA:?}\n{extra}\n",
            small_catalogue()
        ),
    )
}

/// One row of `crawl_log`.
#[derive(Debug, Clone)]
struct Logged {
    outcome: String,
    error: String,
    attempts: u64,
    final_url: String,
}

/// `crawl_log` by URL.
fn crawl_log(out: &Path) -> HashMap<String, Logged> {
    let df = load::read_table(out, "crawl_log").unwrap();
    let urls = strs(&df, "url");
    let outcome = strs(&df, "outcome");
    let error = strs(&df, "error");
    let attempts = strs(&df, "attempts");
    let final_url = strs(&df, "final_url");
    (0..urls.len())
        .map(|i| {
            (
                urls[i].clone(),
                Logged {
                    outcome: outcome[i].clone(),
                    error: error[i].clone(),
                    attempts: attempts[i].parse().unwrap_or(0),
                    final_url: final_url[i].clone(),
                },
            )
        })
        .collect()
}

/// `documents` rows as column → value maps, by URL.
fn documents(out: &Path) -> HashMap<String, HashMap<&'static str, String>> {
    table_rows(
        out,
        "documents",
        &[
            "doc_id",
            "url",
            "content_type",
            "published",
            "published_from",
            "linked_from",
            "other_urls",
            "title",
        ],
    )
    .into_iter()
    .map(|r| (r["url"].clone(), r))
    .collect()
}

fn doc_text(out: &Path, doc_id: &str) -> String {
    std::fs::read_to_string(out.join("text").join(format!("{doc_id}.txt"))).unwrap()
}

fn html_page(title: &str, links: &[String]) -> String {
    let anchors: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">{l}</a></li>"))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><main><h1>{title}</h1>\
         <p>This page is about widget exchanges and how they grow over the years.</p><ul>{anchors}</ul></main></body></html>"
    )
}

/// A PDF of the demo corpus (written for uptake).
fn pdf_bytes(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/demo/corpus/pdf")
            .join(name),
    )
    .unwrap()
}

#[test]
fn crawl_is_polite_robust_and_records_every_answer() {
    let outside = Site::start(vec![(
        "/outside.html",
        Reply::html(&html_page("Outside", &[])),
    )]);
    let outside_url = outside
        .url("/outside.html")
        .replace("127.0.0.1", "localhost");
    let site_routes = |base: &str| {
        let mut latin: Vec<u8> = b"<html><head><title>Caf\xe9 notes</title></head><body><main><p>Caf\xe9 r\xe9sum\xe9 \x96 na\xefve widget exchanges in Montr\xe9al.</p></main></body></html>".to_vec();
        latin.extend_from_slice(b"\n");
        let copy = html_page("Same page", &[]);
        vec![
            (
                "/robots.txt",
                Reply::typed(
                    "text/plain",
                    format!("User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap_index.xml\n").into_bytes(),
                ),
            ),
            (
                "/sitemap_index.xml",
                Reply::typed(
                    "application/xml",
                    format!(
                        "<?xml version=\"1.0\"?><sitemapindex><sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap>\
                         <sitemap><loc>{base}/sitemap_index.xml</loc></sitemap></sitemapindex>"
                    )
                    .into_bytes(),
                ),
            ),
            (
                "/sitemap-pages.xml",
                Reply::typed(
                    "application/xml",
                    format!(
                        "<urlset><url><loc>{base}/from-sitemap.html</loc><lastmod>2018-05-04</lastmod></url></urlset>"
                    )
                    .into_bytes(),
                ),
            ),
            ("/report.pdf", Reply::typed("application/pdf", pdf_bytes("ixp-reference-list-2017.pdf"))),
            ("/private/secret.html", Reply::html(&html_page("Secret", &[]))),
            ("/latin.html", Reply::typed("text/html; charset=windows-1252", latin)),
            ("/mislabelled", Reply::typed("text/html", pdf_bytes("csirt-statistics-2015.pdf"))),
            (
                "/flaky",
                Reply::Seq(vec![Reply::status(500), Reply::html(&html_page("Flaky", &[]))]),
            ),
            ("/redirect-1", Reply::redirect("/redirect-2")),
            ("/redirect-2", Reply::redirect("/landing.html")),
            ("/landing.html", Reply::html(&html_page("Landing", &[]))),
            ("/loop-a", Reply::redirect("/loop-b")),
            ("/loop-b", Reply::redirect("/loop-a")),
            ("/big.html", Reply::html(&"<p>big</p>".repeat(2_000))),
            ("/copy-a.html", Reply::html(&copy)),
            ("/copy-b.html", Reply::html(&copy)),
            (
                "/slow",
                Reply::Slow(Duration::from_secs(3), Box::new(Reply::html(&html_page("Slow", &[])))),
            ),
            (
                "/busy",
                Reply::Seq(vec![
                    Reply::status(429).with_header("retry-after", "1"),
                    Reply::html(&html_page("Busy", &[])),
                ]),
            ),
            ("/from-sitemap.html", Reply::html(&html_page("Listed", &[]))),
        ]
    };
    // The routes need the base URL, which exists once the server is bound: bind, then fill the routes.
    let site = Site::start(vec![]);
    let routes = site_routes(&site.base);
    let index_links: Vec<String> = [
        "/report.pdf",
        "/private/secret.html",
        "/latin.html",
        "/mislabelled",
        "/missing",
        "/flaky",
        "/redirect-1",
        "/loop-a",
        "/big.html",
        "/copy-a.html",
        "/copy-b.html",
        "/slow",
        "/busy",
    ]
    .iter()
    .map(|p| p.to_string())
    .chain([outside_url.clone()])
    .collect();
    site.set_routes(routes);
    site.set_route("/", Reply::html(&html_page("Index", &index_links)));

    let tmp = tempfile::tempdir().unwrap();
    let cfg = http_config(
        tmp.path(),
        &[site.url("/")],
        "delay_ms = 100\nconcurrency = 4\nmax_retries = 1\nretry_base_ms = 50\ntimeout_ms = 1000\nmax_html_bytes = 10000",
    );
    let started = Instant::now();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let out = tmp.path().join("out");

    // What the server saw: robots.txt first, never the disallowed path, one request at a time at 100 ms or more.
    let hits = site.hits();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths[0], "/robots.txt", "{paths:?}");
    assert!(!paths.contains(&"/private/secret.html"), "{paths:?}");
    assert!(outside.hits().is_empty(), "out-of-scope host was asked");
    assert!(hits.iter().all(|h| h.user_agent == UA));
    for w in hits.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(
            gap >= Duration::from_millis(90),
            "{} then {} only {gap:?} apart",
            w[0].path,
            w[1].path
        );
    }
    let count = |p: &str| paths.iter().filter(|x| **x == p).count();
    assert_eq!(count("/flaky"), 2, "500 then 200: {paths:?}");
    assert_eq!(count("/slow"), 2, "timeout, one retry: {paths:?}");
    assert_eq!(count("/missing"), 1, "404 is not retried: {paths:?}");
    assert_eq!(
        count("/sitemap_index.xml"),
        1,
        "self-listing index read once"
    );
    let busy: Vec<Instant> = hits
        .iter()
        .filter(|h| h.path == "/busy")
        .map(|h| h.at)
        .collect();
    assert_eq!(busy.len(), 2);
    assert!(
        busy[1] - busy[0] >= Duration::from_millis(950),
        "Retry-After: 1 honoured"
    );
    // The index's links are asked in document order.
    let order: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| ["/report.pdf", "/latin.html", "/mislabelled", "/missing"].contains(p))
        .collect();
    assert_eq!(
        order,
        ["/report.pdf", "/latin.html", "/mislabelled", "/missing"]
    );

    // What uptake recorded.
    let log = crawl_log(&out);
    let at = |p: &str| {
        log.get(&site.url(p))
            .unwrap_or_else(|| panic!("{p} not in crawl_log: {:?}", log.keys()))
            .clone()
    };
    for p in [
        "/",
        "/report.pdf",
        "/latin.html",
        "/mislabelled",
        "/landing.html",
        "/copy-a.html",
        "/from-sitemap.html",
    ] {
        assert_eq!(at(p).outcome, "fetched", "{p}: {:?}", at(p));
    }
    assert_eq!(at("/flaky").outcome, "fetched");
    assert_eq!(at("/flaky").attempts, 2);
    assert_eq!(at("/busy").outcome, "fetched");
    assert_eq!(at("/private/secret.html").outcome, "disallowed");
    assert_eq!(at("/missing").error, "HTTP 404");
    assert_eq!(at("/redirect-1").outcome, "redirect");
    assert_eq!(at("/redirect-1").final_url, site.url("/redirect-2"));
    assert!(
        at("/loop-b").error.contains("redirect loop"),
        "{:?}",
        at("/loop-b")
    );
    assert_eq!(at("/big.html").outcome, "refused");
    assert!(at("/big.html").error.contains("max_html_bytes"));
    assert_eq!(at("/slow").outcome, "failed");
    assert!(at("/slow").error.contains("timed out"), "{:?}", at("/slow"));
    assert_eq!(at("/slow").attempts, 2);
    assert_eq!(at("/sitemap_index.xml").outcome, "sitemap");
    assert!(!log.contains_key(&outside_url));

    // The documents: one per body, charset and type right, dates and provenance kept.
    let docs = documents(&out);
    let doc = |p: &str| {
        docs.get(&site.url(p))
            .unwrap_or_else(|| panic!("no document {p}: {:?}", docs.keys()))
    };
    assert_eq!(docs.len(), 9, "{:?}", docs.keys());
    assert!(doc("/copy-a.html")["other_urls"].contains(&site.url("/copy-b.html")));
    assert!(doc("/landing.html")["other_urls"].contains(&site.url("/redirect-1")));
    // The list column holds the URLs the joined column joins (a space, null when there is none).
    let df = load::read_table(&out, "documents").unwrap();
    let mut lists = Vec::new();
    ListStr::each(df.column("other_url_list").unwrap(), |l| lists.push(l)).unwrap();
    let joined: Vec<String> = lists.iter().map(|l| l.join(" ")).collect();
    assert_eq!(joined, strs(&df, "other_urls"));
    assert!(lists.iter().any(|l| l.contains(&site.url("/copy-b.html"))));
    assert_eq!(doc("/mislabelled")["content_type"], "pdf");
    assert_eq!(doc("/report.pdf")["linked_from"], site.url("/"));
    assert_eq!(doc("/from-sitemap.html")["published"], "2018-05-04");
    assert_eq!(
        doc("/from-sitemap.html")["published_from"],
        "sitemap-lastmod"
    );
    assert_eq!(doc("/landing.html")["published_from"], "http-last-modified");
    let latin = doc_text(&out, &doc("/latin.html")["doc_id"]);
    assert!(
        latin.contains("Café résumé – naïve widget exchanges in Montréal"),
        "{latin}"
    );

    // The closing summary names the host and the reasons.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("[web] {}:", site.base)), "{err}");
    assert!(err.contains("1 disallowed"), "{err}");
    assert!(err.contains("HTTP 404"), "{err}");
    assert!(took < Duration::from_secs(30), "crawl took {took:?}");
}

#[test]
fn robots_txt_answering_500_stops_everything_on_the_host() {
    let site = Site::start(vec![
        ("/robots.txt", Reply::status(500)),
        ("/", Reply::html(&html_page("Index", &["/a.html".into()]))),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = http_config(
        tmp.path(),
        &[site.url("/")],
        "delay_ms = 10\nmax_retries = 1\nretry_base_ms = 10",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    // RFC 9309 counts a 5xx robots.txt as unreachable: nothing is asked, and a source that fetched nothing is
    // skipped (exit 2)
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert_eq!(
        site.paths(),
        ["/robots.txt", "/robots.txt"],
        "one retry, then nothing"
    );
    let log = crawl_log(&tmp.path().join("out"));
    assert_eq!(log[&site.url("/")].outcome, "unreachable");
    assert_eq!(
        log[&site.url("/")].error,
        "server_error: robots.txt answered HTTP 500"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("robots.txt answered HTTP 500"));
}

#[test]
fn a_connection_dropped_mid_body_is_retried_then_reported() {
    let site = BrokenSite::start();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = http_config(
        tmp.path(),
        &[format!("{}/", site.base)],
        "delay_ms = 10\nmax_retries = 2\nretry_base_ms = 10",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert_eq!(*site.broken_hits.lock().unwrap(), 3);
    let log = crawl_log(&tmp.path().join("out"));
    let broken = &log[&format!("{}/broken", site.base)];
    assert_eq!(broken.outcome, "failed");
    assert_eq!(broken.attempts, 3);
    assert!(broken.error.contains("broke off"), "{broken:?}");
    // robots.txt answered 404 there: everything was allowed.
    assert_eq!(log[&format!("{}/", site.base)].outcome, "fetched");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broke off"), "{err}");
}

fn pages_site(n: usize) -> Site {
    let links: Vec<String> = (0..n).map(|i| format!("/p{i}.html")).collect();
    let mut routes = vec![("/".to_string(), Reply::html(&html_page("Index", &links)))];
    for i in 0..n {
        routes.push((
            format!("/p{i}.html"),
            Reply::html(&html_page(&format!("Page {i}"), &[])),
        ));
    }
    let site = Site::start(vec![]);
    for (p, r) in routes {
        site.set_route(&p, r);
    }
    site
}

#[test]
fn a_rerun_asks_with_validators_and_downloads_no_body() {
    let site = pages_site(5);
    site.set_route(
        "/doc.pdf",
        Reply::typed("application/pdf", pdf_bytes("rapporteur-report-2018.pdf")),
    );
    site.set_route(
        "/",
        Reply::html(&html_page("Index", &["/p0.html".into(), "/doc.pdf".into()])),
    );
    let tmp = tempfile::tempdir().unwrap();
    let cfg = http_config(tmp.path(), &[site.url("/")], "delay_ms = 0");
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let first = documents(&tmp.path().join("out"));
    assert_eq!(first.len(), 3);
    site.clear_hits();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let hits: Vec<_> = site
        .hits()
        .into_iter()
        .filter(|h| h.path != "/robots.txt")
        .collect();
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert!(
        hits.iter().all(|h| h.conditional && h.status == 304),
        "{hits:?}"
    );
    let log = crawl_log(&tmp.path().join("out"));
    assert_eq!(log[&site.url("/doc.pdf")].outcome, "not_modified");
    let second = documents(&tmp.path().join("out"));
    assert_eq!(first, second, "the same documents from the cache");

    // A damaged cached body: that run skips the document and removes the copy; the next fetches it whole.
    let pdf_hash = crawl_log_hash(&tmp.path().join("out"), &site.url("/doc.pdf"));
    let cached = tmp
        .path()
        .join("out/crawl/bodies")
        .join(&pdf_hash[..2])
        .join(&pdf_hash);
    std::fs::write(&cached, b"damaged").unwrap();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cached body is missing or damaged"));
    assert!(!cached.exists());
    site.clear_hits();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let pdf_hits: Vec<_> = site
        .hits()
        .into_iter()
        .filter(|h| h.path == "/doc.pdf")
        .collect();
    assert!(
        !pdf_hits[0].conditional && pdf_hits[0].status == 200,
        "{pdf_hits:?}"
    );
    assert_eq!(documents(&tmp.path().join("out")), first);
}

fn crawl_log_hash(out: &Path, url: &str) -> String {
    let df = load::read_table(out, "crawl_log").unwrap();
    let urls = strs(&df, "url");
    let hashes = strs(&df, "content_hash");
    let i = urls.iter().position(|u| u == url).unwrap();
    hashes[i].clone()
}

#[test]
fn a_crawl_killed_part_way_resumes_without_fetching_finished_urls() {
    let n = 30;
    let site = pages_site(n);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = http_config(tmp.path(), &[site.url("/")], "delay_ms = 60");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_uptake"))
        .args(["crawl", "--config", s(&cfg)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while site.paths().iter().filter(|p| p.starts_with("/p")).count() < 10 {
        assert!(Instant::now() < deadline, "the crawl did not get going");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before: Vec<String> = site.paths();
    site.clear_hits();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let after = site.paths();
    let again: Vec<&String> = after
        .iter()
        .filter(|p| p.starts_with("/p") && before.contains(p))
        .collect();
    // At most the one request in flight when the process died is asked again.
    assert!(again.len() <= 1, "fetched again: {again:?}");
    assert!(
        !after.contains(&"/".to_string()),
        "the finished index was fetched again"
    );
    let docs = documents(&tmp.path().join("out"));
    assert_eq!(docs.len(), n + 1, "every page once: {:?}", docs.keys());
    let log = crawl_log(&tmp.path().join("out"));
    assert!(log.values().all(|l| l.outcome == "fetched"), "{log:?}");
}

#[test]
fn a_host_failing_again_and_again_is_no_longer_asked() {
    let links: Vec<String> = (0..6).map(|i| format!("/down{i}")).collect();
    let site = Site::start(vec![("/", Reply::html(&html_page("Index", &links)))]);
    for l in &links {
        site.set_route(l, Reply::status(503));
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = http_config(
        tmp.path(),
        &[site.url("/")],
        "delay_ms = 0\nmax_retries = 0\nmax_host_failures = 2",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let asked: Vec<String> = site
        .paths()
        .into_iter()
        .filter(|p| p.starts_with("/down"))
        .collect();
    assert_eq!(
        asked,
        ["/down0", "/down1"],
        "two failures in a row, then nothing"
    );
    let log = crawl_log(&tmp.path().join("out"));
    let given_up = &log[&site.url("/down5")];
    assert_eq!(given_up.outcome, "not_fetched");
    assert!(
        given_up.error.contains("2 failures in a row"),
        "{given_up:?}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("4 not fetched"), "{err}");
}

#[test]
fn sources_crawl_at_the_same_time_and_take_turns_on_a_shared_host() {
    let pages = |prefix: &str, n: usize| -> Vec<String> {
        (1..=n).map(|i| format!("/{prefix}-{i}.html")).collect()
    };
    let routes = |links: &[(&str, Vec<String>)]| -> Vec<(String, Reply)> {
        let mut r = vec![(
            "/robots.txt".to_string(),
            Reply::typed("text/plain", b"User-agent: *\nAllow: /\n".to_vec()),
        )];
        for (index, children) in links {
            r.push((index.to_string(), Reply::html(&html_page(index, children))));
            for c in children {
                r.push((c.clone(), Reply::html(&html_page(c, &[]))));
            }
        }
        r
    };
    let a_routes = routes(&[
        ("/one.html", pages("one", 3)),
        ("/two.html", pages("two", 3)),
    ]);
    let a = Site::start(
        a_routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let b_routes = routes(&[("/index.html", pages("b", 3))]);
    let b = Site::start(
        b_routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let tmp = tempfile::tempdir().unwrap();
    let source = |name: &str, seed: String| {
        format!(
            "[[source]]\nname = {name:?}\nkind = \"http\"\nseeds = [{seed:?}]\nuser_agent = {UA:?}\ndelay_ms = 300\nsitemaps = false\n"
        )
    };
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n{}\n{}\n{}",
            small_catalogue(),
            source("a-one", a.url("/one.html")),
            source("a-two", a.url("/two.html")),
            source("b", b.url("/index.html")),
        ),
    );
    let o = uptake(&["crawl", "--config", cfg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", describe(&o));
    let (a_hits, b_hits) = (a.hits(), b.hits());
    let a_pages = a_hits.iter().filter(|h| h.path != "/robots.txt").count();
    assert_eq!(
        a_pages, 8,
        "both sources' pages of the shared host: {a_hits:?}"
    );
    assert_eq!(b_hits.iter().filter(|h| h.path != "/robots.txt").count(), 4);
    // Two sources on one host still ask it one request at a time, the delay apart.
    for w in a_hits.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap >= Duration::from_millis(250),
            "{} then {} only {gap:?} apart",
            w[0].path,
            w[1].path
        );
    }
    // The other host is crawled at the same time, not after.
    let a_last = a_hits.iter().map(|h| h.at).max().unwrap();
    let b_first = b_hits.iter().map(|h| h.at).min().unwrap();
    assert!(b_first < a_last, "the second host waited for the first");
    // The tables list the sources in the config's order.
    let log = load::read_table(&tmp.path().join("out"), "crawl_log").unwrap();
    let sources = strs(&log, "source");
    let mut order: Vec<&str> = Vec::new();
    for s in &sources {
        if order.last() != Some(&s.as_str()) {
            order.push(s);
        }
    }
    assert_eq!(order, ["a-one", "a-two", "b"]);
}
