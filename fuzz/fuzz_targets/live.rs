//! One input: the files of a live snapshot (`manifest.json` first, then `%% NAME` files), read
//! from memory by `cowork_policy::live::Snapshot::from_files`. The input format and the checks
//! are in `src/lib.rs`; `docs/fuzzing.md` says how to run it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cowork_policy_fuzz::run_live(data));
