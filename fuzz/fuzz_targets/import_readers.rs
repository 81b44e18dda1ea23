//! One input: one or several IdP export files through every reader of
//! `cowork_policy::import` and the SCIM PATCH normaliser. The input format and the checks are
//! in `src/lib.rs` (`run_import`); `docs/fuzzing.md` says how to run it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cowork_policy_fuzz::run_import(data));
