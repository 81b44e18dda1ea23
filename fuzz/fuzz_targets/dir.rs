//! One input: one or several files written to a directory and loaded from it, then every rule
//! and every renderer. The input format and the checks are in `src/lib.rs`; `docs/fuzzing.md`
//! says how to run it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cowork_policy_fuzz::run_dir(data));
