//! Table benchmark (not a timed test): generated records for the five largest tables (documents with their
//! links, mentions, passages, crawl_log) turned into frames and written as Parquet, then read back into records,
//! through the public functions of `uptake::load`. Prints the best of three rounds for writing and for reading.
//!
//! Run: `cargo bench --bench tables` (`UPTAKE_BENCH_ROWS=50000` for other sizes; the default is 100,000 mentions,
//! with a document per four mentions, five links a document, a passage per ten mentions and a crawl_log row per
//! document). With `UPTAKE_BENCH_OUT=DIR` the tables are also left in DIR, to compare the files two versions write.
//!
//! Measured on 2 shared cores, best of 3 per run, three runs alternating: the hand-written load code before the
//! schema layer (commit 419c517) wrote in 138-144 ms and read in 135-148 ms; the schema layer writes in 81-83 ms
//! and reads in 48-49 ms (at 400,000 mentions: 572 → 321 ms and 642 → 220 ms). The columns are built from
//! borrowed strings instead of cloned `Vec<Option<String>>`s, and read once into the records instead of into
//! per-column vectors first. Both versions write byte-identical files (`UPTAKE_BENCH_OUT`).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use uptake::load;
use uptake::records::{
    ContentKind, CrawlLogRow, DatePrecision, Dated, Document, Link, Mention, MentionKind, Passage,
    UrlKind, UrlOutcome,
};

fn documents(n: usize) -> Vec<Document> {
    (0..n)
        .map(|i| {
            let mut d = Document::from_text(
                &format!("https://site{}.example/page/{i}", i % 50),
                String::new(),
            );
            d.doc_id = format!("{i:016x}");
            d.source = "web".into();
            d.title = Some(format!("Page {i} on exchange points and local content"));
            d.publisher = (i % 3 != 0).then(|| format!("Publisher {}", i % 40));
            d.sector = (i % 2 == 0).then(|| "civil society".to_string());
            d.country = (i % 5 == 0).then(|| "KE".to_string());
            d.sector_from = d.sector.as_ref().map(|_| "registry".to_string());
            d.extract_key = Some(format!("{:064x}", i as u128 * 7919));
            d.published = (i % 7 != 0).then(|| Dated {
                date: NaiveDate::from_ymd_opt(2010 + (i % 14) as i32, 1 + (i % 12) as u32, 1)
                    .unwrap(),
                precision: [
                    DatePrecision::Day,
                    DatePrecision::Month,
                    DatePrecision::Year,
                ][i % 3],
                from: "meta:citation_publication_date".into(),
            });
            d.content_type = ContentKind::Html;
            d.text_chars = Some(2_000 + i % 5_000);
            d.linked_from = Some(format!("https://site{}.example/", i % 50));
            d.other_urls = if i % 10 == 0 {
                vec![format!("https://mirror.example/{i}")]
            } else {
                Vec::new()
            };
            d.links = (0..5)
                .map(|k| Link {
                    url: format!("https://site{}.example/page/{}", k, i + k),
                    start: 100 * k,
                    end: 100 * k + 20,
                })
                .collect();
            d
        })
        .collect()
}

fn mentions(n: usize) -> Vec<Mention> {
    let kinds = [
        MentionKind::Title,
        MentionKind::Alias,
        MentionKind::ThemeYear,
        MentionKind::Link,
        MentionKind::Context,
    ];
    (0..n)
        .map(|i| Mention {
            doc_id: format!("{:016x}", i / 4),
            output_id: format!("20{:02}-output", 10 + i % 12),
            kind: kinds[i % kinds.len()],
            start: i % 3_000,
            end: i % 3_000 + 40,
            snippet: format!(
                "… the report of the Best Practice Forum on IXPs, number {i}, as cited here …"
            ),
            matched: "Best Practice Forum on IXPs".into(),
            score: 0.9 + (i % 10) as f64 / 100.0,
        })
        .collect()
}

fn passages(n: usize) -> Vec<Passage> {
    (0..n)
        .map(|i| Passage {
            doc_id: format!("{:016x}", i * 4),
            output_id: format!("20{:02}-output", 10 + i % 12),
            doc_start: i % 2_000,
            doc_end: i % 2_000 + 300,
            output_start: i % 9_000,
            output_end: i % 9_000 + 290,
            similarity: 0.5 + (i % 50) as f64 / 100.0,
            snippet: format!("reused text of passage {i}, which stands in the document as it stood in the output"),
            blocks: 1 + (i % 3) as u32,
            best_source: i % 4 != 0,
        })
        .collect()
}

fn crawl_log(n: usize) -> Vec<CrawlLogRow> {
    let outcomes = [
        UrlOutcome::Fetched,
        UrlOutcome::NotModified,
        UrlOutcome::Redirect,
        UrlOutcome::Failed,
        UrlOutcome::Refused,
        UrlOutcome::NotFetched,
    ];
    (0..n)
        .map(|i| CrawlLogRow {
            source: "web".into(),
            url: format!("https://site{}.example/page/{i}", i % 50),
            host: format!("https://site{}.example", i % 50),
            kind: if i % 100 == 0 {
                UrlKind::Sitemap
            } else {
                UrlKind::Page
            },
            depth: (i % 4) as u32,
            linked_from: (i % 9 != 0).then(|| format!("https://site{}.example/", i % 50)),
            outcome: outcomes[i % outcomes.len()],
            http_status: (i % 6 != 5).then_some(200),
            content_type: Some("text/html; charset=utf-8".into()),
            bytes: Some(10_000 + i as u64),
            content_hash: Some(format!("{:064x}", i as u128 * 104_729)),
            fetched_at: Some("2026-11-29T19:30:00Z".into()),
            elapsed_ms: Some((i % 800) as u64),
            attempts: 1 + (i % 2) as u32,
            error: (i % 6 == 3).then(|| "connection reset".to_string()),
            final_url: (i % 6 == 2).then(|| format!("https://site{}.example/moved/{i}", i % 50)),
        })
        .collect()
}

fn best(times: &[Duration]) -> f64 {
    times.iter().min().expect("rounds").as_secs_f64() * 1000.0
}

fn main() {
    let n: usize = std::env::var("UPTAKE_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let docs = documents(n / 4);
    let mentions = mentions(n);
    let passages = passages(n / 10);
    let log = crawl_log(n / 4);
    let dir = tempfile::tempdir().expect("temporary folder");
    let kept = std::env::var_os("UPTAKE_BENCH_OUT").map(std::path::PathBuf::from);
    let out = kept.as_deref().unwrap_or(dir.path());
    std::fs::create_dir_all(out).expect("output folder");
    let (mut writes, mut reads) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let t = Instant::now();
        load::write_table(out, "documents", load::documents_frame(&docs)).unwrap();
        load::write_table(out, "links", load::links_frame(&docs)).unwrap();
        load::write_table(out, "mentions", load::mentions_frame(&mentions)).unwrap();
        load::write_table(out, "passages", load::passages_frame(&passages)).unwrap();
        load::write_table(out, "crawl_log", load::crawl_log_frame(&log)).unwrap();
        writes.push(t.elapsed());
        let t = Instant::now();
        let d = load::read_documents(out).unwrap();
        let m = load::read_mentions(out).unwrap();
        let p = load::read_passages(out).unwrap();
        let c = load::read_crawl_log(out).unwrap();
        reads.push(t.elapsed());
        assert_eq!(
            (d.len(), m.len(), p.len(), c.len()),
            (docs.len(), mentions.len(), passages.len(), log.len())
        );
        assert_eq!(m, mentions);
        assert_eq!(p, passages);
        assert_eq!(c, log);
    }
    let links: usize = docs.iter().map(|d| d.links.len()).sum();
    println!(
        "tables: {} documents ({links} links), {} mentions, {} passages, {} crawl_log rows",
        docs.len(),
        mentions.len(),
        passages.len(),
        log.len()
    );
    println!(
        "write (frames and Parquet): {:.0} ms (best of 3)",
        best(&writes)
    );
    println!(
        "read (Parquet into records): {:.0} ms (best of 3)",
        best(&reads)
    );
}
