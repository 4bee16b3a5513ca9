//! Output texts from the web: the catalogue's `text` may be URLs (several parts make one text), fetched through
//! the crawler from a real HTTP server on 127.0.0.1; an output without a text takes the document an http source
//! crawled at one of its addresses; an output with no text at all has its reuse marked not measured. All text here
//! was written for these tests.

use std::path::Path;

use uptake::load;

use super::site::{Reply, Site};
use super::{describe, strs, uptake, write_config};

/// About 400 characters of an invented report, quoted by a citing page below.
const REPORT: &str = "Widget exchanges that publish their routing policies in plain language, keep a public \
    register of members and hold an open meeting every season grow faster than exchanges that do not. \
    Our survey of forty exchanges found that a published policy halves the time a new member needs to \
    connect, and that a seasonal meeting brings operators who would never otherwise speak to each other \
    into the same room, where most of the later agreements begin.";
const SUMMARY: &str =
    "Executive summary. The forum recommends three practices to every new exchange.";
/// The text of an output the catalogue gives no text for: its page on the site is crawled.
const GADGETS: &str = "Gadget registries should name a contact for every entry, answer abuse reports within \
    two working days, and publish a yearly account of the complaints they received and how each one was \
    settled, so that the people who rely on the registry can judge whether it deserves their trust.";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>{body}</p>\
         </main></body></html>"
    )
}

fn rows(out: &Path, table: &str, cols: &[&str]) -> Vec<Vec<String>> {
    let df = load::read_table(out, table).unwrap();
    let values: Vec<Vec<String>> = cols.iter().map(|c| strs(&df, c)).collect();
    (0..df.height())
        .map(|i| values.iter().map(|v| v[i].clone()).collect())
        .collect()
}

#[test]
fn output_texts_come_from_urls_files_and_crawled_pages_and_reuse_is_found_in_them() {
    let site = Site::start(vec![
        (
            "/robots.txt",
            Reply::typed("text/plain", b"User-agent: *\nAllow: /\n".to_vec()),
        ),
        (
            "/files/widgets-report.html",
            Reply::html(&page("Widget exchanges report", REPORT)).with_header("ETag", "\"r1\""),
        ),
        ("/files/gone.pdf", Reply::status(404)),
        (
            "/bpf-gadgets",
            Reply::html(&page("Gadget registries", GADGETS)),
        ),
        (
            "/news.html",
            Reply::html(&page(
                "News",
                &format!("A blog post quoting the gadget forum: \"{GADGETS}\""),
            )),
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("summary.txt"), SUMMARY).unwrap();
    std::fs::write(
        dir.join("catalogue.toml"),
        format!(
            "[[output]]\nid = \"2016-widgets\"\nyear = 2016\ntitle = \"Growing Widget Exchanges Beyond the First Decade\"\n\
             text = [{:?}, \"summary.txt\", {:?}]\n\n\
             [[output]]\nid = \"2017-gadgets\"\nyear = 2017\ntitle = \"Trustworthy Gadget Registries\"\nurls = [{:?}]\n\n\
             [[output]]\nid = \"2018-nothing\"\nyear = 2018\ntitle = \"An Output Nobody Kept\"\n",
            site.url("/files/widgets-report.html"),
            site.url("/files/gone.pdf"),
            site.url("/bpf-gadgets"),
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.join("corpus")).unwrap();
    std::fs::write(
        dir.join("corpus/citing.txt"),
        format!("A study of exchanges in 2019 repeated the forum's finding word for word: {REPORT} We agree."),
    )
    .unwrap();
    let cfg = write_config(
        dir,
        &format!(
            "catalogue = \"catalogue.toml\"\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n\
             [[source]]\nname = \"corpus\"\nkind = \"dir\"\npath = \"corpus\"\n\n\
             [[source]]\nname = \"site\"\nkind = \"http\"\nseeds = [{:?}, {:?}]\ndelay_ms = 0\nsitemaps = false\n\
             max_depth = 0\nuser_agent = \"uptake-test/1.0\"\n",
            site.url("/bpf-gadgets"),
            site.url("/news.html"),
        ),
    );
    let o = uptake(&["run", "--config", cfg.to_str().unwrap()]);
    // the missing part is a skip: exit 2, named with its output
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("gone.pdf") && err.contains("text of output 2016-widgets"),
        "{err}"
    );
    assert!(
        err.contains("reuse not measured for 1 output(s)") && err.contains("2018-nothing"),
        "{err}"
    );
    let out = dir.join("out");

    // the parts, in the catalogue's order, with their places in the joined text
    let parts = rows(
        &out,
        "output_texts",
        &["output_id", "part", "location", "origin", "start", "end"],
    );
    let widgets: Vec<&Vec<String>> = parts.iter().filter(|r| r[0] == "2016-widgets").collect();
    assert_eq!(widgets.len(), 2, "{parts:?}");
    assert_eq!(
        (widgets[0][1].as_str(), widgets[0][3].as_str()),
        ("0", "url")
    );
    assert_eq!(
        (widgets[1][1].as_str(), widgets[1][3].as_str()),
        ("1", "file")
    );
    let text = std::fs::read_to_string(out.join("text/outputs/2016-widgets.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let span = |r: &Vec<String>| -> String {
        chars[r[4].parse::<usize>().unwrap()..r[5].parse::<usize>().unwrap()]
            .iter()
            .collect()
    };
    assert!(span(widgets[0]).contains("Widget exchanges that publish"));
    assert_eq!(span(widgets[1]), SUMMARY);
    let gadgets: Vec<&Vec<String>> = parts.iter().filter(|r| r[0] == "2017-gadgets").collect();
    assert_eq!(gadgets.len(), 1, "{parts:?}");
    assert_eq!(gadgets[0][3], "crawled");
    assert!(gadgets[0][2].ends_with("/bpf-gadgets"));
    assert!(!parts.iter().any(|r| r[0] == "2018-nothing"));

    // reuse is found against the fetched part and against the crawled page
    let docs = rows(&out, "documents", &["doc_id", "url"]);
    let url_of = |id: &str| -> String {
        docs.iter()
            .find(|d| d[0] == id)
            .map(|d| d[1].clone())
            .unwrap_or_default()
    };
    let passages: Vec<Vec<String>> = rows(
        &out,
        "passages",
        &["output_id", "doc_id", "output_start", "output_end"],
    )
    .into_iter()
    .map(|mut p| {
        p[1] = url_of(&p[1]);
        p
    })
    .collect();
    let in_report = passages
        .iter()
        .find(|p| p[0] == "2016-widgets" && p[1].contains("citing"))
        .unwrap_or_else(|| panic!("no passage of the fetched report: {passages:?}"));
    let (s, e): (u64, u64) = (in_report[2].parse().unwrap(), in_report[3].parse().unwrap());
    let (ps, pe): (u64, u64) = (
        widgets[0][4].parse().unwrap(),
        widgets[0][5].parse().unwrap(),
    );
    assert!(ps <= s && e <= pe, "the passage lies in the report's part");
    assert!(
        passages
            .iter()
            .any(|p| p[0] == "2017-gadgets" && p[1].contains("news")),
        "{passages:?}"
    );

    // the metrics say which outputs had their reuse measured
    let metrics = rows(&out, "metrics", &["output_id", "reuse_measured"]);
    for (id, measured) in [
        ("2016-widgets", "true"),
        ("2017-gadgets", "true"),
        ("2018-nothing", "false"),
    ] {
        assert!(
            metrics.iter().any(|m| m[0] == id && m[1] == measured),
            "{id}: {metrics:?}"
        );
    }
    let html = std::fs::read_to_string(dir.join("reports/index.html")).unwrap();
    assert!(html.contains("Reuse not measured (1 outputs)"), "coverage");

    // the text URL was fetched through the crawler: logged under the catalogue, asked conditionally on a re-run
    let log = rows(&out, "crawl_log", &["source", "url", "outcome"]);
    assert!(log.iter().any(|r| r[0] == "catalogue"
        && r[1].ends_with("widgets-report.html")
        && r[2] == "fetched"));
    site.clear_hits();
    let o = uptake(&["run", "--config", cfg.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let again = site
        .hits()
        .into_iter()
        .find(|h| h.path == "/files/widgets-report.html")
        .expect("the text URL is asked again");
    assert!(again.conditional, "the re-run asks with its validators");
    let passages = rows(&dir.join("out"), "passages", &["output_id"]);
    assert!(passages.iter().any(|p| p[0] == "2016-widgets"));
}
