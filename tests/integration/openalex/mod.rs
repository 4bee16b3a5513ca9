//! `kind = "openalex"` against a local server that speaks the OpenAlex works API as documented
//! (developers.openalex.org: `search`, `filter=from_publication_date:`, `select`, `per_page` up to 100, `cursor=*`
//! then `meta.next_cursor` until a page comes back empty with a null cursor, `mailto`, `api_key`, 429 with
//! `Retry-After`, ETag and 304), serving the works' open-access PDFs and landing pages too. The works, PDFs and
//! pages are invented here in the documented shapes. What was asked is read from the server's log; what uptake
//! concluded from its tables.

pub(crate) mod server;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use polars::prelude::*;
use serde_json::{json, Value};
use uptake::load;

use super::{describe, s, uptake, write_config};
use server::{work, Hit, OpenAlex, Scripted};

/// Rows of a table as column → text maps (lists as `a;b`).
fn rows(out: &Path, table: &str) -> Vec<HashMap<String, String>> {
    let df = load::read_table(out, table).unwrap();
    let cols: Vec<(String, Vec<String>)> = df
        .columns()
        .iter()
        .map(|c| {
            let values: Vec<String> = if c.dtype().is_nested() {
                c.list()
                    .unwrap()
                    .series_iter()
                    .map(|l| {
                        l.map(|l| {
                            l.str()
                                .unwrap()
                                .iter()
                                .map(|v| v.unwrap_or("").to_string())
                                .collect::<Vec<_>>()
                                .join(";")
                        })
                        .unwrap_or_default()
                    })
                    .collect()
            } else {
                c.cast(&DataType::String)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.unwrap_or("").to_string())
                    .collect()
            };
            (c.name().to_string(), values)
        })
        .collect();
    (0..df.height())
        .map(|i| {
            cols.iter()
                .map(|(n, v)| (n.clone(), v[i].clone()))
                .collect()
        })
        .collect()
}

fn config(dir: &Path, catalogue: &Path, base: &str, extra: &str) -> PathBuf {
    write_config(
        dir,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"openalex\"\nkind = \"openalex\"\nbase_url = {base:?}\nuser_agent = \"uptake-test/1.0 (+http://127.0.0.1/contact)\"\ndelay_ms = 20\nfetch_delay_ms = 20\nretry_base_ms = 100\n{extra}\n",
            catalogue.display()
        ),
    )
}

/// A catalogue of invented outputs.
fn catalogue(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("catalogue.toml");
    std::fs::write(&p, body).unwrap();
    p
}

const TWO_OUTPUTS: &str = r#"
[[output]]
id = "2015-abuse"
year = 2015
title = "Online Abuse and Gender-Based Violence Against Women"
aliases = ["Best Practice Forum on Gender and Access", "BPF on Gender"]

[[output]]
id = "2019-agreements"
year = 2019
title = "Cybersecurity Agreements"
aliases = ["BPF Cybersecurity", "Best Practice Forum on Cybersecurity"]
"#;

const TITLE: &str = "Online Abuse and Gender-Based Violence Against Women";
const ALIAS: &str = "Best Practice Forum on Gender and Access";
const CYBER: &str = "Best Practice Forum on Cybersecurity";
const EXTRA: &str = "Internet Governance Forum best practice";

/// The OpenAlex stand-in with the works of [`TWO_OUTPUTS`]' queries, their PDF and landing pages.
fn scholarly_server() -> OpenAlex {
    let server = OpenAlex::start();
    let pdf = super::pdf::write(&[vec![
        "Women online: a review of measures against abuse".to_string(),
        "In 2015 the Internet Governance Forum published the report".to_string(),
        format!("{TITLE}, which collected practices from many regions."),
        "This review builds on its recommendations.".to_string(),
    ]]);
    server.set_file("/files/w100.pdf", "application/pdf", pdf);
    server.set_file(
        "/landing/w102.html",
        "text/html; charset=utf-8",
        format!(
            "<!DOCTYPE html><html><head><title>Connecting women</title></head><body><main><h1>Connecting women</h1>\
             <p>Our study follows the {ALIAS} of the Internet Governance Forum, whose 2015 report listed the \
             barriers women face.</p></main></body></html>"
        )
        .into_bytes(),
    );
    server.set_file(
        "/landing/w103.html",
        "text/html; charset=utf-8",
        b"<!DOCTYPE html><html><head><title>Norms</title></head><body><main><h1>Norms in cyberspace</h1>\
          <p>A survey of state practice on norms of responsible behaviour.</p></main></body></html>"
            .to_vec(),
    );
    server.set_file(
        "/robots.txt",
        "text/plain",
        b"User-agent: *\nAllow: /\n".to_vec(),
    );
    let w100 = work(
        "W100",
        "Women online: a review of measures against abuse",
        "2019-03-15",
        Some("https://doi.org/10.5555/abuse.2019"),
        Some(server.url("/files/w100.pdf")),
        Some(server.url("/landing/w100")),
        Some("Journal of Invented Studies"),
        &[(
            "University of Nowhere",
            "https://ror.org/00nowhere",
            "education",
            "KE",
        )],
    );
    // closed access, no DOI: nothing to fetch
    let w101 = work(
        "W101",
        "A closed ministry study",
        "2018-06-01",
        None,
        None,
        None,
        None,
        &[(
            "Ministry of Examples",
            "https://ror.org/00ministry",
            "government",
            "FR",
        )],
    );
    let w102 = work(
        "W102",
        "Connecting women",
        "2020-01-10",
        None,
        None,
        Some(server.url("/landing/w102.html")),
        None,
        &[("Acme Research Ltd", "", "company", "US")],
    );
    // published before the output's year: the filter leaves it out
    let w_old = work(
        "W099",
        "Too early",
        "2014-05-01",
        None,
        None,
        None,
        None,
        &[],
    );
    let w103 = work(
        "W103",
        "Norms in cyberspace",
        "2021-02-02",
        Some("10.5555/norms"),
        None,
        Some(server.url("/landing/w103.html")),
        Some("Invented Review of Norms"),
        &[(
            "United Nations Institute for Disarmament Research",
            "https://ror.org/00unidir",
            "other",
            "CH",
        )],
    );
    server.set_works(TITLE, vec![w100.clone(), w101, w102.clone(), w_old]);
    server.set_works(ALIAS, vec![w102]);
    server.set_works(CYBER, vec![w103]);
    server.set_works(EXTRA, vec![w100]);
    server
}

#[test]
fn works_are_found_fetched_and_recorded_with_their_institutions() {
    let tmp = tempfile::tempdir().unwrap();
    let server = scholarly_server();
    let cfg = config(
        tmp.path(),
        &catalogue(tmp.path(), TWO_OUTPUTS),
        &server.base,
        &format!("mailto = \"me@example.org\"\napi_key = \"secret-key-123\"\nextra_queries = [{EXTRA:?}]"),
    );
    let o = uptake(&["run", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);

    // What was asked: each distinctive name once, as a phrase, from the output's year, with the contact and
    // the key; the acronym aliases and the two-word title are not searched.
    let api = server.api_hits();
    let searched: Vec<&str> = api.iter().map(|h| h.params["search"].as_str()).collect();
    assert_eq!(
        searched,
        [
            format!("\"{TITLE}\""),
            format!("\"{ALIAS}\""),
            format!("\"{CYBER}\""),
            format!("\"{EXTRA}\"")
        ]
    );
    for h in &api {
        assert_eq!(h.params["mailto"], "me@example.org");
        assert_eq!(h.params["api_key"], "secret-key-123");
        assert_eq!(h.params["per_page"], "100");
        assert_eq!(h.params["cursor"], "*");
    }
    assert_eq!(api[0].params["filter"], "from_publication_date:2015-01-01");
    assert_eq!(api[2].params["filter"], "from_publication_date:2019-01-01");
    assert!(
        !api[3].params.contains_key("filter"),
        "an extra query has no year"
    );

    // The works: one row each, the one found twice with both queries.
    let out = tmp.path().join("out");
    let works = rows(&out, "works");
    assert_eq!(works.len(), 4, "{works:#?}");
    let by_id = |id: &str| {
        works
            .iter()
            .find(|w| w["openalex_id"] == format!("https://openalex.org/{id}"))
            .unwrap_or_else(|| panic!("{id} in works"))
    };
    let w100 = by_id("W100");
    assert_eq!(w100["doi"], "https://doi.org/10.5555/abuse.2019");
    assert_eq!(w100["publication_date"], "2019-03-15");
    assert_eq!(w100["venue"], "Journal of Invented Studies");
    assert_eq!(w100["type"], "article");
    assert_eq!(w100["sector"], "academia");
    assert_eq!(w100["country"], "KE");
    assert_eq!(
        w100["institution_list"],
        "University of Nowhere|https://ror.org/00nowhere|education|KE"
    );
    assert_eq!(w100["url"], server.url("/files/w100.pdf"));
    assert_eq!(w100["output_ids"], "2015-abuse");
    assert_eq!(w100["query_list"].split(';').count(), 2, "{w100:?}");
    assert!(w100["queries"].contains("(extra query)"), "{w100:?}");
    assert!(!w100["doc_id"].is_empty());
    let w101 = by_id("W101");
    assert_eq!(w101["doc_id"], "", "no open-access text, still a candidate");
    assert_eq!(w101["url"], "");
    assert_eq!(w101["sector"], "government");
    assert_eq!(w101["country"], "FR");
    let w102 = by_id("W102");
    assert_eq!(w102["query_list"].split(';').count(), 2, "{w102:?}");
    assert_eq!(w102["sector"], "private sector");
    let w103 = by_id("W103");
    assert_eq!(w103["doi"], "https://doi.org/10.5555/norms");
    assert_eq!(w103["sector"], "intergovernmental");
    assert_eq!(
        w103["country"], "",
        "an intergovernmental body has no country"
    );
    assert_eq!(w103["output_ids"], "2019-agreements");

    // The fetched texts are documents with the work's metadata, found by its queries.
    let docs = rows(&out, "documents");
    let doc = docs
        .iter()
        .find(|d| d["doc_id"] == w100["doc_id"])
        .expect("W100's document");
    assert_eq!(doc["source"], "openalex");
    assert_eq!(doc["content_type"], "pdf");
    assert_eq!(doc["published"], "2019-03-15");
    assert_eq!(doc["published_precision"], "day");
    assert_eq!(doc["published_from"], "openalex");
    assert_eq!(doc["publisher"], "Journal of Invented Studies");
    assert_eq!(doc["sector"], "academia");
    assert_eq!(doc["sector_from"], "openalex");
    assert_eq!(doc["country"], "KE");
    assert_eq!(doc["found_by"], w100["queries"]);
    let landing = docs
        .iter()
        .find(|d| d["doc_id"] == w102["doc_id"])
        .expect("W102's document");
    assert_eq!(landing["publisher"], "Acme Research Ltd");
    assert_eq!(docs.len(), 3, "W100, W102 and W103 fetched");

    // Detection ran on the fetched texts: the PDF cites the output by its title, the landing page by its alias.
    let mentions = rows(&out, "mentions");
    let cited = |doc_id: &str, kind: &str| {
        mentions
            .iter()
            .any(|m| m["doc_id"] == doc_id && m["output_id"] == "2015-abuse" && m["kind"] == kind)
    };
    assert!(cited(&w100["doc_id"], "title"), "{mentions:#?}");
    assert!(cited(&w102["doc_id"], "alias"), "{mentions:#?}");
    assert!(!mentions.iter().any(|m| m["doc_id"] == w103["doc_id"]));

    // The API requests are in crawl_log as kind api, the key nowhere.
    let log = rows(&out, "crawl_log");
    let api_rows: Vec<_> = log.iter().filter(|r| r["kind"] == "api").collect();
    assert_eq!(api_rows.len(), 4);
    assert!(api_rows.iter().all(|r| r["outcome"] == "fetched"));
    assert!(api_rows[0]["url"].contains("api_key=REDACTED"));
    for r in &log {
        assert!(!r.values().any(|v| v.contains("secret-key-123")), "{r:?}");
    }
    assert!(!err.contains("secret-key-123"), "{err}");
    assert!(
        err.contains("[openalex] OpenAlex: 4 requests of a budget of 500 (4 answered, 0 not modified, 0 failed); 4 queries; 4 works, 3 texts fetched, 1 without any text to fetch"),
        "{err}"
    );
}

/// One output whose names are too generic to search: the queries are the extra ones.
const GENERIC_OUTPUT: &str = r#"
[[output]]
id = "2015-widgets"
year = 2015
title = "Widget Exchanges"
aliases = ["BPF on Widgets"]
"#;

#[test]
fn pages_to_the_end_waits_when_rate_limited_and_skips_a_malformed_answer_losing_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = OpenAlex::start();
    let many: Vec<Value> = (0..300)
        .map(|i| {
            work(
                &format!("W{i}"),
                &format!("Work {i}"),
                "2019-01-01",
                None,
                None,
                None,
                None,
                &[],
            )
        })
        .collect();
    server.set_works("paging phrase", many);
    server.set_works(
        "rate limited phrase",
        vec![work(
            "W1000",
            "Patience",
            "2019-01-01",
            None,
            None,
            None,
            None,
            &[],
        )],
    );
    server.script(
        "rate limited phrase",
        vec![Scripted {
            status: 429,
            headers: vec![
                ("retry-after", "1".into()),
                ("content-type", "application/json".into()),
            ],
            body: json!({"error": "Rate limit exceeded", "message": "slow down"}).to_string(),
        }],
    );
    server.script(
        "broken answer phrase",
        vec![Scripted {
            status: 200,
            headers: vec![("content-type", "application/json".into())],
            body: "{\"meta\": {\"count\": 2, \"per_page\": 100, \"next_cursor\": null}, \"results\": [{\"id\":".into(),
        }],
    );
    let mut half = vec![work(
        "W2000",
        "Whole",
        "2019-01-01",
        None,
        None,
        None,
        None,
        &[],
    )];
    half.push(json!(42));
    half.push(json!({"title": "a work without an id"}));
    server.set_works("half broken phrase", half);
    // "Rate limit exceeded; slow down": asking more would be refused too
    server.script(
        "refused phrase",
        vec![Scripted {
            status: 403,
            headers: vec![("content-type", "application/json".into())],
            body: json!({"error": "Forbidden", "message": "slow down"}).to_string(),
        }],
    );
    server.set_works(
        "never asked phrase",
        vec![work(
            "W3000",
            "Unseen",
            "2019-01-01",
            None,
            None,
            None,
            None,
            &[],
        )],
    );
    let cfg = config(
        tmp.path(),
        &catalogue(tmp.path(), GENERIC_OUTPUT),
        &server.base,
        "extra_queries = [\"paging phrase\", \"rate limited phrase\", \"broken answer phrase\", \"half broken phrase\", \"refused phrase\", \"never asked phrase\"]\nmax_results_per_query = 1000\nfetch_texts = false",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no `mailto` is set"), "{err}");

    let api = server.api_hits();
    let of = |phrase: &str| -> Vec<Hit> {
        api.iter()
            .filter(|h| h.params["search"] == format!("\"{phrase}\""))
            .cloned()
            .collect()
    };
    // Paging: three full pages, each with a next_cursor, then the empty page with a null one.
    let cursors: Vec<String> = of("paging phrase")
        .iter()
        .map(|h| h.params["cursor"].clone())
        .collect();
    assert_eq!(cursors, ["*", "c100", "c200", "c300"]);
    // Rate limited: asked again after the Retry-After second.
    let limited = of("rate limited phrase");
    assert_eq!(limited.len(), 2);
    assert_eq!((limited[0].status, limited[1].status), (429, 200));
    let gap = limited[1].at.duration_since(limited[0].at);
    assert!(
        gap >= Duration::from_millis(950),
        "asked again after {gap:?}"
    );
    // The malformed answer stops its query only; the next query was asked.
    assert_eq!(of("broken answer phrase").len(), 1);
    assert_eq!(of("half broken phrase").len(), 1);
    // Refused: the query after it is not asked.
    assert_eq!(of("refused phrase").len(), 1);
    assert_eq!(of("never asked phrase").len(), 0);
    assert!(err.contains("OpenAlex refused with HTTP 403"), "{err}");

    let out = tmp.path().join("out");
    let works = rows(&out, "works");
    assert_eq!(works.len(), 300 + 1 + 1, "every well-formed work is kept");
    assert!(works
        .iter()
        .all(|w| w["doc_id"].is_empty() && w["output_ids"].is_empty()));
    let skipped = rows(&out, "skipped");
    let broken: Vec<_> = skipped
        .iter()
        .filter(|r| r["location"].contains("search=%22broken+answer+phrase%22"))
        .collect();
    assert_eq!(broken.len(), 1, "{skipped:#?}");
    assert!(broken[0]["location"].starts_with(&server.url("/works?")));
    assert!(
        broken[0]["reason"].contains("not an OpenAlex works answer"),
        "{:?}",
        broken[0]
    );
    let half: Vec<_> = skipped
        .iter()
        .filter(|r| r["location"].contains("half+broken"))
        .collect();
    assert_eq!(half.len(), 2, "{skipped:#?}");
    assert!(half
        .iter()
        .any(|r| r["reason"].contains("result 1 is not an OpenAlex work")));
    let log = rows(&out, "crawl_log");
    let retried = log
        .iter()
        .find(|r| r["url"].contains("rate+limited"))
        .unwrap();
    assert_eq!(
        (retried["attempts"].as_str(), retried["outcome"].as_str()),
        ("2", "fetched")
    );
    assert!(
        err.contains("[openalex] OpenAlex: 8 requests of a budget of 500 (7 answered, 0 not modified, 1 failed); 6 queries (2 stopped by an error) (1 not finished: OpenAlex refused with HTTP 403); 302 works, 0 texts fetched, 302 without any text to fetch, 2 malformed results skipped"),
        "{err}"
    );
}

#[test]
fn the_budget_stops_asking_and_a_rerun_asks_conditionally() {
    let tmp = tempfile::tempdir().unwrap();
    let server = OpenAlex::start();
    for (i, p) in ["first phrase", "second phrase", "third phrase"]
        .iter()
        .enumerate()
    {
        server.set_works(
            p,
            vec![work(
                &format!("W{i}"),
                p,
                "2019-01-01",
                None,
                None,
                None,
                None,
                &[],
            )],
        );
    }
    let cat = catalogue(tmp.path(), GENERIC_OUTPUT);
    let run = |budget: u32| {
        let cfg = config(
            tmp.path(),
            &cat,
            &server.base,
            &format!("mailto = \"me@example.org\"\nextra_queries = [\"first phrase\", \"second phrase\", \"third phrase\"]\nmax_requests = {budget}"),
        );
        let o = uptake(&["crawl", "--config", s(&cfg)]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    let out = tmp.path().join("out");

    // A budget of two: the third query is not asked, and the run says so.
    let err = run(2);
    let api = server.api_hits();
    assert_eq!(api.len(), 2);
    assert!(api.iter().all(|h| h.params["mailto"] == "me@example.org"));
    assert!(err.contains("the budget of 2 requests is spent"), "{err}");
    assert!(
        err.contains("[openalex] OpenAlex: 2 requests of a budget of 2 (2 answered, 0 not modified, 0 failed); 3 queries (1 not finished: budget spent, raise `max_requests`); 2 works"),
        "{err}"
    );
    assert_eq!(rows(&out, "works").len(), 2);

    // A re-run asks conditionally: the two answers it has are not modified, the third is new.
    let err = run(10);
    let api = server.api_hits();
    assert_eq!(api.len(), 5);
    let again: Vec<(bool, u16)> = api[2..].iter().map(|h| (h.conditional, h.status)).collect();
    assert_eq!(again, [(true, 304), (true, 304), (false, 200)]);
    assert!(
        err.contains("3 requests of a budget of 10 (1 answered, 2 not modified, 0 failed)"),
        "{err}"
    );
    let log = rows(&out, "crawl_log");
    let outcomes: Vec<&str> = log.iter().map(|r| r["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["not_modified", "not_modified", "fetched"]);
    assert_eq!(rows(&out, "works").len(), 3);

    // No budget at all: the cached answers, nothing asked.
    let err = run(0);
    assert_eq!(server.api_hits().len(), 5, "nothing asked");
    assert_eq!(
        rows(&out, "works").len(),
        3,
        "every work from the cached answers"
    );
    assert!(err.contains("0 requests of a budget of 0"), "{err}");
    assert!(!err.contains("not finished"), "{err}");
}

#[test]
fn an_unreachable_api_is_given_up_after_three_failed_queries() {
    let tmp = tempfile::tempdir().unwrap();
    // a port nothing listens on: every connection is refused
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let cfg = config(
        tmp.path(),
        &catalogue(tmp.path(), GENERIC_OUTPUT),
        &base,
        "mailto = \"me@example.org\"\nmax_retries = 0\nextra_queries = [\"one\", \"two\", \"three\", \"four\", \"five\"]",
    );
    let o = uptake(&["crawl", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("1 requests of a budget of 500 (0 answered, 0 not modified, 1 failed); 5 queries (3 stopped by an error) (2 not finished: 3 queries in a row failed)"),
        "{err}"
    );
    // one request found the host refusing connections: the next queries do not ask it again in this run
    let out = tmp.path().join("out");
    let log = rows(&out, "crawl_log");
    assert_eq!(log.len(), 3, "{log:#?}");
    let outcomes: Vec<&str> = log.iter().map(|r| r["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["failed", "unreachable", "unreachable"]);
    assert!(log
        .iter()
        .all(|r| r["kind"] == "api" && r["error"].starts_with("refused: ")));
    assert!(err.contains("no host answered"), "{err}");
    let skipped = rows(&out, "skipped");
    assert_eq!(skipped.len(), 3, "{skipped:#?}");
    assert!(skipped
        .iter()
        .all(|r| r["location"].starts_with(&format!("{base}/works?search="))));
}
