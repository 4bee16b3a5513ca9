//! uptake: measure how published reports are taken up — who cites them, who reuses their text, and how the
//! ripples spread over the years.
//!
//! The pipeline is a chain of stages, one module each, connected by the records in [`records`]:
//! [`config`] → [`crawl`] → [`extract`] → [`detect`] → [`load`] → [`analyse`] → [`report`], with [`query`]
//! running polars SQL over the tables. [`pipeline`] wires the stages together for the CLI.

#[cfg(feature = "tables")]
pub mod analyse;
pub mod config;
pub mod crawl;
pub mod detect;
#[cfg(feature = "tables")]
pub mod eval;
pub mod extract;
pub mod fsutil;
#[cfg(feature = "fuzzing")]
pub mod fuzz;
#[cfg(feature = "tables")]
pub mod load;
pub mod normalize;
#[cfg(feature = "tables")]
pub mod pipeline;
pub mod publishers;
#[cfg(feature = "tables")]
pub mod query;
pub mod records;
#[cfg(feature = "tables")]
pub mod report;
#[cfg(feature = "tables")]
pub mod store;
pub mod textutil;
