//! Integration tests: the `uptake` binary run on real files (the demo corpus and fixtures named for the case they
//! test), its Parquet tables read back through polars. One test binary keeps link time down.

/// A local web archive speaking the CDX protocol, for the wayback tests.
mod archive;
mod bad_input;
mod crash;
mod crawl;
mod demo;
mod deploy;
mod dir_s3;
mod feed;
mod hostile;
mod metrics;
mod openalex;
mod output_texts;
mod own;
/// The benchmark's PDF writer: real PDFs for the hostile-input and reuse tests.
#[path = "../../benches/reuse/pdf.rs"]
mod pdf;
mod prefilter;
mod queries;
mod reach;
mod references;
mod remote;
mod report;
mod reuse;
/// A local object store speaking the S3 protocol, for the object storage tests.
mod s3;
mod seed;
mod shard;
mod site;
mod sources_all;
mod stages;
mod warc;
mod warc_keep;
mod warc_out;
mod warc_s3;
mod wayback;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary with `args` from the package root.
pub fn uptake(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_uptake"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .output()
        .expect("the uptake binary runs")
}

/// The exit code, stderr and stdout of a run, for assertion messages.
pub fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stderr\n{}\n--- stdout\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    )
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Writes a config into `dir` and returns its path.
pub fn write_config(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("uptake.toml");
    std::fs::write(&p, body).unwrap();
    p
}

/// Writes a config into `dir` with the default catalogue, results in `dir/out` and `dir/reports`, and one `http`
/// source named `web` seeded at `seed`, 10 ms between requests.
pub fn web_config(dir: &Path, seed: &str) -> PathBuf {
    write_config(
        dir,
        &format!(
            "catalogue = {:?}\nout_dir = \"out\"\nreport_dir = \"reports\"\n\n[[source]]\nname = \"web\"\n\
             kind = \"http\"\nseeds = [{seed:?}]\ndelay_ms = 10\n",
            catalogue()
        ),
    )
}

/// The default catalogue, as an absolute path.
pub fn catalogue() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/catalogue.toml")
        .display()
        .to_string()
}

/// Writes a config into `dir` with the default catalogue and one folder source named `name` at `path`.
pub fn dir_source_config(dir: &Path, name: &str, path: &str) -> PathBuf {
    write_config(
        dir,
        &format!(
            "catalogue = {:?}\n[[source]]\nname = {name:?}\nkind = \"dir\"\npath = {path:?}\n",
            catalogue()
        ),
    )
}

/// Runs every stage on the demo into `out` and `report`, and checks it succeeded.
pub fn run_demo(out: &Path, report: &Path) {
    let o = uptake(&[
        "run",
        "--config",
        "data/uptake.toml",
        "--out",
        s(out),
        "--report-dir",
        s(report),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}

/// A column of a table as text, nulls as empty strings.
pub fn strs(df: &polars::prelude::DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .unwrap()
        .cast(&polars::prelude::DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect()
}

/// Rows of `table` in `out` as column → text maps, for the columns named.
pub fn table_rows(
    out: &Path,
    table: &str,
    cols: &[&'static str],
) -> Vec<std::collections::HashMap<&'static str, String>> {
    let df = uptake::load::read_table(out, table).unwrap();
    let values: Vec<Vec<String>> = cols.iter().map(|c| strs(&df, c)).collect();
    (0..df.height())
        .map(|i| {
            cols.iter()
                .zip(&values)
                .map(|(c, v)| (*c, v[i].clone()))
                .collect()
        })
        .collect()
}

/// A listener on 127.0.0.1 at a port the system picks, and its base URL (`http://127.0.0.1:PORT`), for a test
/// server started with [`serve`].
pub fn local_listener() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    (listener, base)
}

/// Serves `app` on `listener` from a thread of its own (a tokio runtime of two threads) while the tests run.
pub fn serve(listener: std::net::TcpListener, app: axum::Router) {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
}
