//! uptake: measure how published reports are taken up — who cites them, who reuses their text, and how the
//! ripples spread over the years.
//!
//! A run is a chain of [`stages`] joined by the typed records of [`records`]:
//! [`crawl`] → [`extract`] → [`detect`] → [`analyse`] → [`report`]. [`pipeline`] only wires them: it hands each
//! stage's records to the next in memory and writes the tables into the output folder through [`store`] (whose
//! table layout is [`load`]'s). Around them: [`config`] (config, catalogue, vocabulary), [`query`] (polars SQL over
//! the tables), [`eval`] (scoring against labelled sets), and the shared text helpers [`normalize`] and
//! [`textutil`].

pub mod config;
#[cfg(feature = "tables")]
pub mod eval;
pub mod fsutil;
#[cfg(feature = "fuzzing")]
pub mod fuzz;
#[cfg(feature = "tables")]
pub mod load;
pub mod memory;
pub mod normalize;
#[cfg(feature = "tables")]
pub mod pipeline;
pub mod publishers;
#[cfg(feature = "tables")]
pub mod query;
pub mod records;
#[cfg(feature = "tables")]
pub mod remote;
pub mod shard;
pub mod stages;
#[cfg(feature = "tables")]
pub mod store;
pub mod textutil;

#[cfg(feature = "tables")]
pub use stages::{analyse, report};
pub use stages::{crawl, detect, extract};
