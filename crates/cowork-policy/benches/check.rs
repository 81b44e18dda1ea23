//! Load and check synthetic orgs of 1,000, 2,000, 10,000 and 100,000 users (see
//! `cowork_policy::synth` and `docs/performance.md`). Run with
//! `cargo bench -p cowork-policy --bench check`.
//!
//! `load` is `load_sources` on texts already in memory (parsing, then building the model);
//! `check` is everything after loading: the graph, effective access, every rule, and turning
//! spans into locations. Sample counts are small so that the whole run takes a few minutes on
//! two cores; each sample is one call.

use cowork_policy::synth::{Params, generate};
use divan::Bencher;

fn main() {
    divan::main();
}

const USERS: [usize; 4] = [1_000, 2_000, 10_000, 100_000];

fn files(users: usize) -> Vec<(String, String)> {
    generate(&Params::for_users(users))
}

#[divan::bench(args = USERS, sample_count = 20, sample_size = 1)]
fn load(bencher: Bencher, users: usize) {
    let files = files(users);
    bencher.bench_local(|| {
        cowork_policy::load_sources(
            files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        )
    });
}

#[divan::bench(args = USERS, sample_count = 20, sample_size = 1)]
fn check(bencher: Bencher, users: usize) {
    let Ok(policy) = cowork_policy::load_sources(files(users)) else {
        eprintln!("the synthetic org of {users} users did not load");
        return;
    };
    bencher.bench_local(|| cowork_policy::check(&policy));
}
