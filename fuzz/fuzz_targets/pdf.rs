//! Fuzz target: `uptake::fuzz::pdf` (see its documentation for what it runs and checks).
//!
//! pdf-extract panics on many damaged PDFs; uptake catches those panics and reports the file, which is the
//! behaviour under test. libFuzzer's panic hook would abort on them before they are caught, so this target
//! installs a silent hook: a panic that escapes uptake still aborts (libfuzzer-sys catches it at the top and
//! aborts), and replaying the input in `tests/fuzz_regressions.rs` shows its message.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| uptake::fuzz::pdf(data)
);
