//! Fuzz target: `uptake::fuzz::robots` (see its documentation for what it runs and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| uptake::fuzz::robots(data));
