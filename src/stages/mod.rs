//! The stages of a run, in order. Each takes the records of the one before it and gives its own; none imports
//! another's internals, and none writes the tables or texts of the output folder (the pipeline's store does).
//! The crawl keeps its own state and body cache, and the report writes the report folder.
//!
//! - [`crawl`]: reads the sources (folders, websites) into raw documents, politely and resumably.
//! - [`extract`]: turns a raw document (HTML, PDF, text) into a document record: text, metadata, links, date.
//! - [`detect`]: finds references to the catalogue's outputs and passages reused from their texts.
//! - [`analyse`]: uptake over time, metrics, the ripple along links, themes.
//! - [`report`]: charts, the HTML report and the Markdown summary.

#[cfg(feature = "tables")]
pub mod analyse;
pub mod crawl;
pub mod detect;
pub mod extract;
#[cfg(feature = "tables")]
pub mod report;
