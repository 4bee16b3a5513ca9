//! Fuzz target: `uptake::fuzz::normalize` (see its documentation for what it runs and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| uptake::fuzz::normalize(data));
