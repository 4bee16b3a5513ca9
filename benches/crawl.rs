//! Crawl benchmark (not a timed test): a generated site of 10,000 documents (9,000 HTML pages, 1,000 PDFs)
//! spread over 16 origins on 127.0.0.1, crawled by the release `uptake crawl` with delay 0 and concurrency 16,
//! then crawled again with every URL answering 304. Where the local toolchain ships the Rust book, it is served
//! on loopback and crawled as a real site. Prints pages per second, peak RSS and the re-run speed-up. Last, the
//! toolchain's whole documentation (standard library API pages and books) is served and taken through `run`,
//! `crawl`, `detect` and `report` one by one, with each command's peak RSS (`UPTAKE_BENCH_ONLY=docs-site` runs
//! only that; `UPTAKE_BENCH_DOCS_SITE_PAGES` caps its pages, default 10,000).
//!
//! Run: `cargo bench --bench crawl` (`UPTAKE_BENCH_PAGES=2000` for a smaller site, `UPTAKE_BENCH_WORDS=4000` for
//! pages of about 30 KB instead of 3 KB).

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

const HOSTS: usize = 16;
const UA: &str = "uptake-bench/1.0 (+http://127.0.0.1/contact)";
const WORDS: &[&str] = &[
    "exchange",
    "network",
    "policy",
    "access",
    "gender",
    "security",
    "forum",
    "practice",
    "local",
    "content",
    "community",
    "operators",
    "traffic",
    "regional",
    "capacity",
    "governance",
    "openness",
    "trust",
    "routing",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "across",
    "between",
    "through",
];

struct Served {
    body: Vec<u8>,
    content_type: &'static str,
    etag: String,
}

#[derive(Default)]
struct Counters {
    full: AtomicU64,
    not_modified: AtomicU64,
}

struct Host {
    files: HashMap<String, Served>,
    counters: Arc<Counters>,
}

fn etag(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

async fn serve_file(State(host): State<Arc<Host>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let inm = req
        .headers()
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let Some(f) = host.files.get(&path) else {
        let mut r = Response::new(Body::from("not found"));
        *r.status_mut() = StatusCode::NOT_FOUND;
        return r;
    };
    if inm.as_deref() == Some(f.etag.as_str()) {
        host.counters.not_modified.fetch_add(1, Ordering::Relaxed);
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        return r;
    }
    if path != "/robots.txt" {
        host.counters.full.fetch_add(1, Ordering::Relaxed);
    }
    let mut r = Response::new(Body::from(f.body.clone()));
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_static(f.content_type));
    h.insert("etag", HeaderValue::from_str(&f.etag).unwrap());
    r
}

/// Binds `n` listeners on 127.0.0.1; returns them with their base URLs.
fn bind(n: usize) -> (Vec<TcpListener>, Vec<String>) {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let bases = listeners
        .iter()
        .map(|l| format!("http://{}", l.local_addr().unwrap()))
        .collect();
    (listeners, bases)
}

/// Serves each host's files on its listener, all on one runtime with one worker thread.
fn start(
    listeners: Vec<TcpListener>,
    hosts: Vec<HashMap<String, Served>>,
    counters: Arc<Counters>,
) {
    for l in &listeners {
        l.set_nonblocking(true).unwrap();
    }
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut tasks = Vec::new();
            for (files, l) in hosts.into_iter().zip(listeners) {
                let state = Arc::new(Host {
                    files,
                    counters: counters.clone(),
                });
                let app = axum::Router::new().fallback(serve_file).with_state(state);
                let l = tokio::net::TcpListener::from_std(l).unwrap();
                tasks.push(tokio::spawn(async move { axum::serve(l, app).await }));
            }
            for t in tasks {
                let _ = t.await;
            }
        });
    });
}

fn prose(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(if i % 17 == 0 { '.' } else { ' ' });
            if i % 17 == 0 {
                s.push(' ');
            }
        }
        s.push_str(WORDS[rng.usize(..WORDS.len())]);
    }
    s
}

/// The generated site: HTML page h links pages 10h+1..10h+10 and PDF h; each document sits on host (index % 16).
fn generate(pages: usize, words: usize, bases: &[String]) -> Vec<HashMap<String, Served>> {
    let pdf_template = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/demo/corpus/pdf/ixp-reference-list-2017.pdf"),
    )
    .unwrap();
    let html_n = pages * 9 / 10;
    let pdf_n = pages - html_n;
    let mut rng = fastrand::Rng::with_seed(2020);
    let mut hosts: Vec<HashMap<String, Served>> = (0..HOSTS).map(|_| HashMap::new()).collect();
    let base = |i: usize| &bases[i % HOSTS];
    for h in 0..html_n {
        let mut links = String::new();
        for c in 10 * h + 1..=10 * h + 10 {
            if c < html_n {
                links.push_str(&format!(
                    "<li><a href=\"{}/p/{c}.html\">page {c}</a></li>",
                    base(c)
                ));
            }
        }
        if h < pdf_n {
            links.push_str(&format!(
                "<li><a href=\"{}/d/{h}.pdf\">report {h}</a></li>",
                base(h)
            ));
        }
        let body = format!(
            "<!DOCTYPE html><html><head><title>Page {h}</title></head><body><nav>menu</nav><main><h1>Page {h}</h1><p>{}</p><ul>{links}</ul></main></body></html>",
            prose(&mut rng, words)
        )
        .into_bytes();
        hosts[h % HOSTS].insert(
            format!("/p/{h}.html"),
            Served {
                etag: etag(&body),
                body,
                content_type: "text/html; charset=utf-8",
            },
        );
    }
    for p in 0..pdf_n {
        let mut body = pdf_template.clone();
        body.extend_from_slice(format!("%bench {p}\n").as_bytes());
        hosts[p % HOSTS].insert(
            format!("/d/{p}.pdf"),
            Served {
                etag: etag(&body),
                body,
                content_type: "application/pdf",
            },
        );
    }
    for h in &mut hosts {
        let body = b"User-agent: *\nAllow: /\n".to_vec();
        h.insert(
            "/robots.txt".into(),
            Served {
                etag: etag(&body),
                body,
                content_type: "text/plain",
            },
        );
    }
    hosts
}

/// Runs the binary, polling its peak RSS; returns (wall time, peak RSS in MB, stderr).
fn run_uptake(args: &[&str]) -> (Duration, f64, String) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_uptake"))
        .args(args)
        .env("RUST_LOG", "uptake=info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("uptake runs");
    let pid = child.id();
    let mut peak_kb = 0u64;
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let err = reader.join().unwrap();
    (started.elapsed(), peak_kb as f64 / 1024.0, err)
}

/// The crawl phase's own time, from uptake's log line "N documents from M URLs in X s".
fn crawl_phase(stderr: &str) -> (u64, u64, f64) {
    for line in stderr.lines() {
        if let Some(rest) = line.split("documents from ").nth(1) {
            let docs: u64 = line
                .split(": ")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let mut it = rest.split_whitespace();
            let urls: u64 = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
            let secs: f64 = it.nth(2).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
            return (docs, urls, secs);
        }
    }
    panic!("no crawl summary in the log:\n{stderr}");
}

fn write_config(dir: &Path, seeds: &[String], extra: &str) -> PathBuf {
    let catalogue =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/catalogue.toml");
    let cfg = dir.join("bench.toml");
    std::fs::write(
        &cfg,
        format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"bench\"\nkind = \"http\"\nseeds = {seeds:?}\nallow_domains = [\"127.0.0.1\"]\nuser_agent = {UA:?}\ndelay_ms = 0\n{extra}\n",
            catalogue.display()
        ),
    )
    .unwrap();
    cfg
}

fn report(label: &str, wall: Duration, rss: f64, stderr: &str) -> f64 {
    let (docs, urls, secs) = crawl_phase(stderr);
    println!(
        "| {label} | {urls} | {docs} | {secs:.2} s | {:.0} | {:.2} s | {rss:.0} MB |",
        urls as f64 / secs,
        wall.as_secs_f64()
    );
    secs
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if std::env::var("UPTAKE_BENCH_ONLY").as_deref() == Ok("docs-site") {
        docs_site();
        return;
    }
    let pages: usize = std::env::var("UPTAKE_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let counters = Arc::new(Counters::default());
    let (listeners, bases) = bind(HOSTS);
    let words: usize = std::env::var("UPTAKE_BENCH_WORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    start(listeners, generate(pages, words, &bases), counters.clone());
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &[format!("{}/p/0.html", bases[0])],
        "concurrency = 16\nmax_depth = 10\nmax_pages = 100000\nsitemaps = false",
    );
    println!("Crawl benchmark: {pages} documents (90% HTML pages of {words} words, 10% PDF), {HOSTS} hosts on 127.0.0.1, delay 0, concurrency 16\n");
    println!("| run | URLs | documents | crawl phase | URLs/s | whole command | peak RSS |");
    println!("|---|---|---|---|---|---|---|");
    let (wall, rss, err) = run_uptake(&["crawl", "--config", cfg.to_str().unwrap()]);
    let first = report("first crawl", wall, rss, &err);
    let full_first = counters.full.swap(0, Ordering::Relaxed);
    let (wall, rss, err) = run_uptake(&["crawl", "--config", cfg.to_str().unwrap()]);
    let second = report("re-run (304)", wall, rss, &err);
    let full_second = counters.full.load(Ordering::Relaxed);
    let nm = counters.not_modified.load(Ordering::Relaxed);
    println!(
        "\nBodies served: {full_first} on the first crawl, {full_second} on the re-run ({nm} answered 304). Re-run crawl phase {:.1}x faster.",
        first / second
    );
    rust_book();
    docs_site();
}

/// The toolchain's documentation folder (`share/doc/rust/html`), where rustup installed it.
fn toolchain_docs() -> Option<PathBuf> {
    std::fs::read_dir(std::env::var("HOME").unwrap_or_default() + "/.rustup/toolchains")
        .ok()?
        .find_map(|e| {
            let p = e.ok()?.path().join("share/doc/rust/html");
            p.join("std").is_dir().then_some(p)
        })
}

/// Every file under `dir`, keyed by its path below `dir`, with a content type from its extension.
fn site_files(dir: &Path) -> HashMap<String, Served> {
    let mut files = HashMap::new();
    for e in walk(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ct = match e.extension().and_then(|x| x.to_str()) {
            Some("html") => "text/html; charset=utf-8",
            Some("css") => "text/css",
            Some("js") => "application/javascript",
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            _ => "application/octet-stream",
        };
        let body = std::fs::read(&e).unwrap();
        files.insert(
            format!("/{rel}"),
            Served {
                etag: etag(&body),
                body,
                content_type: ct,
            },
        );
    }
    files
}

fn rust_book() {
    let Some(book) = toolchain_docs()
        .map(|d| d.join("book"))
        .filter(|b| b.is_dir())
    else {
        println!("\nNo Rust book under ~/.rustup/toolchains/*/share/doc/rust/html/book: real-site crawl skipped.");
        return;
    };
    let files = site_files(&book);
    let n = files.len();
    let (listeners, bases) = bind(1);
    start(listeners, vec![files], Arc::new(Counters::default()));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &[format!("{}/index.html", bases[0])],
        "concurrency = 1\nmax_depth = 20\nmax_pages = 100000",
    );
    println!(
        "\nThe Rust book ({}; {n} files) served on one loopback host, delay 0:\n",
        book.display()
    );
    println!("| run | URLs | documents | crawl phase | URLs/s | whole command | peak RSS |");
    println!("|---|---|---|---|---|---|---|");
    let (wall, rss, err) = run_uptake(&["crawl", "--config", cfg.to_str().unwrap()]);
    report("first crawl", wall, rss, &err);
    let (wall, rss, err) = run_uptake(&["crawl", "--config", cfg.to_str().unwrap()]);
    report("re-run (304)", wall, rss, &err);
}

/// Issue 15's memory case: the toolchain's whole documentation (the standard library's API pages, the books)
/// served on one loopback host and taken through every command (`run`, then `crawl`, `detect` and `report` one
/// by one) against the bundled catalogue and its output texts, with each command's peak RSS. Pages are capped
/// by `UPTAKE_BENCH_DOCS_SITE_PAGES` (default 10,000).
fn docs_site() {
    let Some(docs) = toolchain_docs() else {
        println!("\nNo toolchain documentation under ~/.rustup/toolchains: documentation-site run skipped.");
        return;
    };
    let pages: usize = std::env::var("UPTAKE_BENCH_DOCS_SITE_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let files = site_files(&docs);
    let n = files.len();
    let (listeners, bases) = bind(1);
    start(listeners, vec![files], Arc::new(Counters::default()));
    let tmp = tempfile::tempdir().unwrap();
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalogue.toml");
    let cfg = tmp.path().join("docs.toml");
    std::fs::write(
        &cfg,
        format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"docs\"\nkind = \"http\"\nseeds = [\"{}/std/index.html\", \"{}/index.html\"]\nallow_domains = [\"127.0.0.1\"]\nuser_agent = {UA:?}\ndelay_ms = 0\nconcurrency = 8\nmax_depth = 30\nmax_pages = {pages}\nsitemaps = false\n",
            catalogue.display(),
            bases[0],
            bases[0]
        ),
    )
    .unwrap();
    println!(
        "\nThe toolchain's documentation ({}; {n} files) on one loopback host, at most {pages} pages, every command:\n",
        docs.display()
    );
    println!("| command | documents | whole command | peak RSS |");
    println!("|---|---|---|---|");
    let c = cfg.to_str().unwrap();
    for (label, args) in [
        ("run", vec!["run", "--config", c]),
        ("crawl", vec!["crawl", "--config", c]),
        ("detect", vec!["detect", "--config", c]),
        ("report", vec!["report", "--config", c]),
    ] {
        let (wall, rss, err) = run_uptake(&args);
        let docs = std::fs::read_dir(tmp.path().join("out/text"))
            .map(|d| d.count().saturating_sub(1))
            .unwrap_or(0);
        if !err.contains("ERROR") {
            println!(
                "| {label} | {docs} | {:.1} s | {rss:.0} MB |",
                wall.as_secs_f64()
            );
        } else {
            println!(
                "| {label} | failed | {:.1} s | {rss:.0} MB |\n{err}",
                wall.as_secs_f64()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
