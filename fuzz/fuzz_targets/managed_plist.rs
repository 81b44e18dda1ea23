//! One input: a managed file's bytes as `managed.mobileconfig`, checked and rendered
//! (`run_managed` in `src/lib.rs`; docs/fuzzing.md says how to run it).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cowork_policy_fuzz::run_managed(data, "mobileconfig"));
