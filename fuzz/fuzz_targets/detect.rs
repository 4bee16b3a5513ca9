//! Fuzz target: `uptake::fuzz::detect` (see its documentation for what it runs and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| uptake::fuzz::detect(data));
