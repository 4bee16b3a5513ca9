//! Command-line flags (clap) and their resolution into a [`Config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use uptake::config::{Config, ConfigError};
use uptake::query::Format;
use uptake::shard::Shard;

/// The config used when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "data/uptake.toml";

/// Measure how published reports are taken up: who cites them, who reuses their text, and how far the ripples
/// spread over the years.
#[derive(Debug, Parser)]
#[command(
    name = "uptake",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 all well, 1 fatal error, 2 finished but some inputs were skipped.\nThe default config is data/uptake.toml: the bundled demo corpus, offline."
)]
pub struct Cli {
    /// More log output (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors in the log.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every stage: read the sources, extract, detect, write the tables and the report.
    Run {
        #[command(flatten)]
        common: Common,
        /// Folder for the report (overrides `report_dir` in the config).
        #[arg(long, value_name = "DIR")]
        report_dir: Option<PathBuf>,
        #[command(flatten)]
        counting: Counting,
        #[command(flatten)]
        sharding: Sharding,
    },
    /// Read the sources and extract the documents: texts and the documents, outputs, links and skipped tables.
    Crawl {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        sharding: Sharding,
    },
    /// Find references and reused passages in what `crawl` left: the mentions, passages and uptake tables.
    Detect {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        counting: Counting,
        #[command(flatten)]
        sharding: Sharding,
    },
    /// Join the shards of a sharded run (`--shard K/N`) into `out_dir` and run the analysis and the report over
    /// all of them.
    Merge {
        #[command(flatten)]
        common: Common,
        /// Folder for the report (overrides `report_dir` in the config).
        #[arg(long, value_name = "DIR")]
        report_dir: Option<PathBuf>,
        #[command(flatten)]
        counting: Counting,
        /// The number of shards N: merges `<out>/shards=N/shard=0` to `shard=N-1`.
        #[arg(
            long,
            value_name = "N",
            required_unless_present = "from",
            conflicts_with = "from"
        )]
        shards: Option<u32>,
        /// Shard folders named one by one instead (each holds a `shard.json`), e.g. copied from the workers.
        #[arg(long, value_name = "DIR", num_args = 1..)]
        from: Vec<PathBuf>,
        /// Read the shards from `URL/shards=N/shard=K` on object storage (s3://, gs://, az://, file://) into
        /// `<out>/shards=N/`, and copy the merged tables and texts to `URL/` and the report to `URL/reports/`.
        #[arg(long, value_name = "URL", conflicts_with = "from", requires = "shards")]
        results_url: Option<String>,
    },
    /// Write the charts, index.html and summary.md from the tables, and run the SQL files of `queries_dir`.
    Report {
        #[command(flatten)]
        common: Common,
        /// Folder for the report (overrides `report_dir` in the config).
        #[arg(long, value_name = "DIR")]
        report_dir: Option<PathBuf>,
        #[command(flatten)]
        counting: Counting,
    },
    /// Score reference finding against a labelled set: precision, recall and dates (see tests/labelled).
    Eval {
        #[command(flatten)]
        common: Common,
        /// The labels: per document, the outputs it cites.
        #[arg(
            long,
            value_name = "FILE",
            default_value = "tests/labelled/expected.toml"
        )]
        expected: PathBuf,
    },
    /// Run polars SQL over the tables.
    #[command(about = query_about())]
    Query {
        #[command(flatten)]
        common: Common,
        /// A file holding one SQL query.
        #[arg(
            value_name = "FILE.sql",
            required_unless_present = "sql",
            conflicts_with = "sql"
        )]
        file: Option<PathBuf>,
        /// The SQL query itself.
        #[arg(long, value_name = "SQL")]
        sql: Option<String>,
        /// How to print the result (`parquet` needs --output).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// A value for a parameter `:NAME` of the query (repeatable); overrides its `-- param` default.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Write the result to this file (replaced atomically) instead of printing it.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// The help line of `query`: the tables, from the one list of them.
fn query_about() -> String {
    format!(
        "Run polars SQL over the tables ({})",
        uptake::load::TABLES.join(", ")
    )
}

/// Flags every subcommand takes.
#[derive(Debug, Args)]
pub struct Common {
    /// The config file (TOML); paths in it are relative to it.
    #[arg(long, short = 'c', value_name = "FILE", default_value = DEFAULT_CONFIG)]
    pub config: PathBuf,
    /// Folder for the tables and texts (overrides `out_dir` in the config).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Folder for the crawl state and the cache of fetched bodies (overrides `crawl_dir`; default `<out>/crawl`).
    #[arg(long, value_name = "DIR")]
    pub crawl_dir: Option<PathBuf>,
}

impl Common {
    /// Loads the config and applies the flags that override it.
    pub fn resolve(&self, report_dir: Option<&PathBuf>) -> Result<Config, ConfigError> {
        let mut cfg = Config::load(&self.config)?;
        if let Some(o) = &self.out {
            cfg.out_dir = o.clone();
        }
        if let Some(c) = &self.crawl_dir {
            cfg.crawl_dir = Some(c.clone());
        }
        if let Some(r) = report_dir {
            cfg.report_dir = r.clone();
        }
        Ok(cfg)
    }
}

/// The shard flag of the commands that read inputs (`run`, `crawl`, `detect`).
#[derive(Debug, Args)]
pub struct Sharding {
    /// Read only the K-th of N slices of every source's inputs (K from 0 to N-1; hosts, folder files, feeds,
    /// targets and queries are cut by a stable hash) into `<out>/shards=N/shard=K`, for `uptake merge --shards N`.
    /// `run` stops before the report. See docs/deploy.md.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Copy the shard's finished folder to `URL/shards=N/shard=K` on object storage (s3://, gs://, az://,
    /// file://; credentials from AWS_*, GOOGLE_*, AZURE_*), for a merge on another machine.
    #[arg(long, value_name = "URL", requires = "shard")]
    pub results_url: Option<String>,
}

impl Sharding {
    /// `cfg` for the shard, if one is given.
    pub fn apply(&self, cfg: Config) -> Config {
        let mut cfg = match self.shard {
            Some(s) => cfg.for_shard(s),
            None => cfg,
        };
        cfg.results_url.clone_from(&self.results_url);
        cfg
    }
}

/// Flags of the commands that count uptake (`run`, `detect`, `report`).
#[derive(Debug, Args)]
pub struct Counting {
    /// Count the documents on the catalogue's `own_sites` (the publishing organisation's own pages) as uptake like
    /// any other (overrides `count_own` in the config).
    #[arg(long)]
    pub count_own: bool,
}

impl Counting {
    /// `cfg` with the flags applied.
    pub fn apply(&self, mut cfg: Config) -> Config {
        if self.count_own {
            cfg.count_own = true;
        }
        cfg
    }
}
