//! One input: one or several policy files (and maybe a config and a second policy to diff),
//! through the loader, every rule and every renderer. The input format and the checks are in
//! `src/lib.rs`; `docs/fuzzing.md` says how to run it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cowork_policy_fuzz::run(data));
