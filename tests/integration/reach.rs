//! Hosts the crawler cannot reach, each for a real reason made on this machine: a closed port (connection
//! refused), a name under the reserved `.invalid` TLD (RFC 6761: it never resolves), a server that accepts and
//! never answers (timeout), plain HTTP asked for TLS, a server that hangs up at once. Each host's URLs are logged
//! `unreachable` with the kind of failure, a source that fetched nothing is skipped (exit code 2), and the report
//! opens with a banner naming what was not reached, also when written later from the tables.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use uptake::load;
use uptake::records::{CrawlLogRow, NetworkFailure, SkipStage, UrlOutcome};

use super::site::{Reply, Site};
use super::{describe, fixture, s, uptake, write_config};

const UA: &str = "uptake-test/1.0 (+http://127.0.0.1/contact)";

/// An `[[source]]` of kind http named `name` over `seeds`, with `extra` keys.
fn http_source(name: &str, seeds: &[String], extra: &str) -> String {
    format!("\n[[source]]\nname = {name:?}\nkind = \"http\"\nseeds = {seeds:?}\nuser_agent = {UA:?}\n{extra}\n")
}

/// A config over the small catalogue with `sources`.
fn config(dir: &Path, sources: &[String]) -> PathBuf {
    let catalogue = fixture("small/catalogue.toml").display().to_string();
    write_config(
        dir,
        &format!(
            "catalogue = {catalogue:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n{}",
            sources.concat()
        ),
    )
}

/// A port on 127.0.0.1 that nothing listens on: bound, then let go.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    port
}

/// A server that accepts connections and never answers (each connection held open until the process ends).
fn silent_server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in l.incoming().flatten() {
            held.push(stream);
        }
    });
    base
}

/// A server that reads the request and hangs up without a word.
fn hang_up_server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in l.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
        }
    });
    base
}

fn log_of(out: &Path) -> Vec<CrawlLogRow> {
    load::read_crawl_log(out).unwrap()
}

/// The one row of `url` in the crawl log.
fn row<'a>(log: &'a [CrawlLogRow], url: &str) -> &'a CrawlLogRow {
    log.iter()
        .find(|r| r.url == url)
        .unwrap_or_else(|| panic!("{url} not in {log:#?}"))
}

/// Checks that `url` was logged unreachable with a reason of `kind`, and returns the reason.
fn unreachable_as(log: &[CrawlLogRow], url: &str, kind: NetworkFailure) -> String {
    let r = row(log, url);
    assert_eq!(r.outcome, UrlOutcome::Unreachable, "{r:?}");
    let error = r.error.clone().unwrap_or_default();
    assert_eq!(NetworkFailure::of_error(&error), Some(kind), "{r:?}");
    assert_eq!(r.attempts, 0, "never asked: {r:?}");
    error
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_closed_port_is_unreachable_refused_and_its_source_skipped() {
    let port = closed_port();
    let seed = format!("http://127.0.0.1:{port}/");
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &[http_source(
            "closed",
            &[seed.clone(), format!("{seed}page.html")],
            "delay_ms = 10\nmax_retries = 1\nretry_base_ms = 10",
        )],
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let out = tmp.path().join("out");
    let log = log_of(&out);
    let why = unreachable_as(&log, &seed, NetworkFailure::Refused);
    assert!(why.to_lowercase().contains("refused"), "{why}");
    unreachable_as(&log, &format!("{seed}page.html"), NetworkFailure::Refused);

    // the source is skipped, with its name and the reason, in the table and the closing summary
    let skipped = load::read_skipped(&out).unwrap();
    let skip = skipped
        .iter()
        .find(|k| k.location == "source \"closed\"")
        .unwrap_or_else(|| panic!("{skipped:?}"));
    assert_eq!(skip.stage, SkipStage::Crawl);
    assert!(skip.reason.starts_with("nothing fetched"), "{skip:?}");
    assert!(skip.reason.contains("refused: "), "{skip:?}");
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "[closed] http://127.0.0.1:{port}: unreachable (connection refused): 2 URL(s) not asked"
        )),
        "{err}"
    );
    assert!(
        err.contains("[crawl] source \"closed\": nothing fetched"),
        "{err}"
    );
    // the host is warned of once, and the run as a whole once
    assert_eq!(
        err.matches(" WARN ").count(),
        2,
        "one warning for the host, one for the run: {err}"
    );
    assert_eq!(
        err.matches("no host answered: is this machine online?")
            .count(),
        1,
        "{err}"
    );
}

#[test]
fn a_name_that_never_resolves_is_unreachable_dns_at_once() {
    // RFC 6761: no name under .invalid resolves, with or without a network.
    let seed = "http://uptake-test.invalid/".to_string();
    let tmp = tempfile::tempdir().unwrap();
    // Retries with this base would take 2 + 4 + 8 s and more: a DNS failure is not retried.
    let cfg = config(
        tmp.path(),
        &[http_source(
            "nowhere",
            std::slice::from_ref(&seed),
            "delay_ms = 10\nmax_retries = 3\nretry_base_ms = 2000",
        )],
    );
    let started = Instant::now();
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let log = log_of(&tmp.path().join("out"));
    unreachable_as(&log, &seed, NetworkFailure::Dns);
    assert!(
        took < Duration::from_secs(6),
        "a DNS failure gives up the host at once; took {took:?}"
    );
    let err = stderr(&o);
    assert!(err.contains("unreachable (DNS)"), "{err}");
    assert!(err.contains("no host answered"), "{err}");
}

#[test]
fn a_server_that_never_answers_is_unreachable_timeout() {
    let base = silent_server();
    let seed = format!("{base}/");
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &[http_source(
            "silent",
            std::slice::from_ref(&seed),
            "delay_ms = 10\ntimeout_ms = 300\nmax_retries = 1\nretry_base_ms = 10",
        )],
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let log = log_of(&tmp.path().join("out"));
    let why = unreachable_as(&log, &seed, NetworkFailure::Timeout);
    assert!(why.contains("timed out"), "{why}");
    assert!(
        stderr(&o).contains("unreachable (timeout)"),
        "{}",
        describe(&o)
    );
}

#[test]
fn tls_to_a_plain_server_and_a_hang_up_are_named() {
    let plain = Site::start(vec![("/", Reply::html("<p>plain</p>"))]);
    let tls_seed = format!("{}/", plain.base.replace("http://", "https://"));
    let hang_up = format!("{}/", hang_up_server());
    let tmp = tempfile::tempdir().unwrap();
    let fast = "delay_ms = 10\nmax_retries = 1\nretry_base_ms = 10";
    let cfg = config(
        tmp.path(),
        &[
            http_source("tls", std::slice::from_ref(&tls_seed), fast),
            http_source("hang-up", std::slice::from_ref(&hang_up), fast),
        ],
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let log = log_of(&tmp.path().join("out"));
    unreachable_as(&log, &tls_seed, NetworkFailure::Tls);
    unreachable_as(&log, &hang_up, NetworkFailure::Reset);
    // the plain server saw a TLS handshake, not a request: no path was asked
    assert!(plain.paths().is_empty(), "{:?}", plain.paths());
}

#[test]
fn robots_txt_answering_503_is_unreachable_as_a_server_error_not_offline() {
    let site = Site::start(vec![
        ("/robots.txt", Reply::status(503)),
        ("/", Reply::html("<p>never asked</p>")),
    ]);
    let seed = site.url("/");
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &[http_source(
            "failing",
            std::slice::from_ref(&seed),
            "delay_ms = 10\nmax_retries = 0",
        )],
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let log = log_of(&tmp.path().join("out"));
    let why = unreachable_as(&log, &seed, NetworkFailure::ServerError);
    assert!(why.contains("HTTP 503"), "{why}");
    assert_eq!(site.paths(), ["/robots.txt"]);
    let err = stderr(&o);
    assert!(err.contains("unreachable (server error)"), "{err}");
    // a server answered: the machine is online
    assert!(!err.contains("no host answered"), "{err}");
}

/// The page of a run, the banner's text, and the names in its table's rows.
fn banner(report: &Path) -> (String, String, Vec<String>) {
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let text = doc
        .select(&sel("#coverage"))
        .map(|e| e.text().collect::<String>())
        .collect::<String>();
    let hosts = doc
        .select(&sel("#coverage th[scope=row]"))
        .map(|e| e.text().collect::<String>())
        .collect();
    (html, text, hosts)
}

#[test]
fn a_run_with_one_source_reached_and_one_not_opens_its_report_with_a_banner() {
    let site = Site::start(vec![(
        "/",
        Reply::html(
            "<html><head><title>Widget notes</title></head><body><main><p>Notes on widget exchanges \
             and how they grow.</p></main></body></html>",
        ),
    )]);
    let port = closed_port();
    let unreached = format!("http://127.0.0.1:{port}");
    let tmp = tempfile::tempdir().unwrap();
    let fast = "delay_ms = 10\nmax_retries = 1\nretry_base_ms = 10";
    let cfg = config(
        tmp.path(),
        &[
            http_source("reached", &[site.url("/")], fast),
            http_source("unreached", &[format!("{unreached}/")], fast),
        ],
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = stderr(&o);
    assert!(
        !err.contains("no host answered"),
        "one host answered: {err}"
    );

    // the reached source's document is there
    let out = tmp.path().join("out");
    let docs = load::read_document_records(&out).unwrap();
    assert_eq!(
        docs.iter().map(|d| d.url.as_str()).collect::<Vec<_>>(),
        [site.url("/")]
    );
    let skipped = load::read_skipped(&out).unwrap();
    assert_eq!(
        skipped
            .iter()
            .map(|k| k.location.as_str())
            .collect::<Vec<_>>(),
        ["source \"unreached\""]
    );

    // the page opens with the banner, naming the host not reached and why; the reached host is not in it
    let report = tmp.path().join("reports");
    let (html, text, hosts) = banner(&report);
    assert_eq!(hosts, [unreached.as_str()]);
    assert!(text.contains("connection refused"), "{text}");
    assert!(text.contains("cover only what was reached"), "{text}");
    assert!(text.contains("unreached"), "{text}");
    assert!(
        html.find("id=\"coverage\"").unwrap() < html.find("class=\"cards\"").unwrap(),
        "the banner comes first"
    );
    let summary = std::fs::read_to_string(report.join("summary.md")).unwrap();
    assert!(
        summary.contains(&format!("{unreached} (connection refused)")),
        "{summary}"
    );

    // `uptake report` later, from the tables alone, says the same
    let later = tmp.path().join("later");
    let o = uptake(&["report", "--config", s(&cfg), "--report-dir", s(&later)]);
    assert!(o.status.code() != Some(1), "{}", describe(&o));
    let (_, later_text, later_hosts) = banner(&later);
    assert_eq!(later_hosts, hosts);
    assert_eq!(later_text, text);
}

#[test]
fn a_run_that_reaches_every_host_has_no_banner() {
    let site = Site::start(vec![(
        "/",
        Reply::html("<p>Notes on widget exchanges.</p>"),
    )]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(
        tmp.path(),
        &[http_source("reached", &[site.url("/")], "delay_ms = 10")],
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let (html, _, _) = banner(&tmp.path().join("reports"));
    assert!(!html.contains("id=\"coverage\""));
    let summary = std::fs::read_to_string(tmp.path().join("reports/summary.md")).unwrap();
    assert!(!summary.contains("Coverage"), "{summary}");
}
