//! Load and check synthetic orgs of 1,000, 2,000, 10,000 and 100,000 users (see
//! `cowork_policy::synth` and `docs/performance.md`). Run with
//! `cargo bench -p cowork-policy --bench check`.
//!
//! `diff` is `cowork_policy::diff::diff` of two orgs of the same size (seeds 1 and 2), loaded.
//!
//! `load` is `load_sources` on texts already in memory (parsing, then building the model);
//! `check` is everything after loading: the graph, effective access, every rule, and turning
//! spans into locations. Sample counts are small so that the whole run takes a few minutes on
//! two cores; each sample is one call.
//!
//! `load_export` and `check_export` are `load` and `check` of the 100,000-user org with its
//! groups as each identity provider's export (`cowork_policy::synth::generate_export`): `load`
//! then reads the export files (JSON or CSV) and the policy's few YAML files.
//!
//! `shape_check` and `shape_diff` are `check`, and `diff` of a policy with itself, on the worst
//! shapes of `cowork_policy::synth::shape` (long chains and loops of nested groups and of
//! rollout steps), at the sizes issue 10 found to abort or stall.
//!
//! `read_live` is `live::Snapshot::from_files` on the snapshot of the live 100,000-user org
//! (`cowork_policy::synth::generate_live`: every endpoint answered, 10,209 files), texts
//! already in memory; `drift` is `cowork_policy::drift` of that org's policy, loaded, against
//! the snapshot, read: effective access and every comparison.
//!
//! `huge_non_policy_neighbour` is `load_dir` on a small policy beside a sparse 2 GiB YAML file
//! with no line break.

use cowork_policy::import::Format;
use cowork_policy::synth::{Params, Shape, generate, generate_export, generate_live, shape};
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

/// The size of the live org drift is measured on: the target.
const LIVE_USERS: usize = 100_000;

#[divan::bench(sample_count = 10, sample_size = 1)]
fn read_live(bencher: Bencher) {
    let files = generate_live(&Params::for_users(LIVE_USERS));
    bencher.bench_local(|| {
        cowork_policy::live::Snapshot::from_files(
            files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        )
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn drift(bencher: Bencher) {
    let params = Params::for_users(LIVE_USERS);
    let Ok(policy) = cowork_policy::load_sources(generate(&params)) else {
        eprintln!("the synthetic org of {LIVE_USERS} users did not load");
        return;
    };
    let Ok(snapshot) = cowork_policy::live::Snapshot::from_files(generate_live(&params)) else {
        eprintln!("the synthetic snapshot of {LIVE_USERS} users did not read");
        return;
    };
    bencher.bench_local(|| cowork_policy::drift(&policy, &snapshot));
}

/// The size of the exported orgs: the large org of the target.
const EXPORT_USERS: usize = 100_000;

#[divan::bench(args = Format::ALL, sample_count = 20, sample_size = 1)]
fn load_export(bencher: Bencher, format: Format) {
    let files = generate_export(&Params::for_users(EXPORT_USERS), format);
    bencher.bench_local(|| {
        cowork_policy::load_sources(
            files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        )
    });
}

#[divan::bench(args = Format::ALL, sample_count = 20, sample_size = 1)]
fn check_export(bencher: Bencher, format: Format) {
    let files = generate_export(&Params::for_users(EXPORT_USERS), format);
    let Ok(policy) = cowork_policy::load_sources(files) else {
        eprintln!("the synthetic org exported as {format} did not load");
        return;
    };
    bencher.bench_local(|| cowork_policy::check(&policy));
}

/// `diff` of two synthetic orgs of the same size and different seeds (everything after loading
/// both: two access tables, two checks, the merge and the grouping).
#[divan::bench(args = USERS, sample_count = 10, sample_size = 1)]
fn diff(bencher: Bencher, users: usize) {
    let side = |seed| {
        let mut params = Params::for_users(users);
        params.seed = seed;
        cowork_policy::load_sources(generate(&params))
    };
    let (Ok(base), Ok(head)) = (side(1), side(2)) else {
        eprintln!("the synthetic orgs of {users} users did not load");
        return;
    };
    bencher.bench_local(|| cowork_policy::diff::diff(&base, &head));
}

/// The worst shapes, each at the size that aborted or stalled before: a chain of 100,000
/// nested groups and a loop of 100,000 custom steps (stack overflow), a chain of 8,000 dated
/// `done` steps (40 s), a chain of 8,000 nested groups that sync (43 s, 539 MB), a nesting loop
/// of 50,000 groups (78 s).
const SHAPES: [(Shape, usize); 5] = [
    (Shape::NestedChain, 100_000),
    (Shape::StepCycle, 100_000),
    (Shape::StepChain, 8_000),
    (Shape::NestedChainSynced, 8_000),
    (Shape::NestedCycle, 50_000),
];

fn shape_policy(which: Shape, n: usize) -> Option<cowork_policy::Policy> {
    match cowork_policy::load_sources(shape(which, n)) {
        Ok(policy) => Some(policy),
        Err(_) => {
            eprintln!("the shape {which:?} of {n} did not load");
            None
        }
    }
}

#[divan::bench(args = SHAPES, sample_count = 5, sample_size = 1)]
fn shape_check(bencher: Bencher, (which, n): (Shape, usize)) {
    let Some(policy) = shape_policy(which, n) else {
        return;
    };
    bencher.bench_local(|| cowork_policy::check(&policy));
}

/// `diff` of a shape with itself: both sides built on rayon's threads, whose stacks are small.
#[divan::bench(args = SHAPES, sample_count = 5, sample_size = 1)]
fn shape_diff(bencher: Bencher, (which, n): (Shape, usize)) {
    let Some(policy) = shape_policy(which, n) else {
        return;
    };
    bencher.bench_local(|| cowork_policy::diff::diff(&policy, &policy));
}

/// A folder holding one small policy file beside a sparse 2 GiB `dump.yaml` with no line break
/// (the shape of issue 10's item 6): `load_dir` reads only a bounded prefix of the dump to tell
/// that it is not policy. The dump is sparse, so it takes no disk space.
#[divan::bench(sample_count = 10, sample_size = 1)]
#[expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up its folder has nothing to measure"
)]
fn huge_non_policy_neighbour(bencher: Bencher) {
    let dir = std::env::temp_dir().join(format!("cowork-policy-bench-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    std::fs::write(
        dir.join("org.yaml"),
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n",
    )
    .expect("the policy file");
    let dump = std::fs::File::create(dir.join("dump.yaml")).expect("the dump");
    std::io::Write::write_all(&mut &dump, b"data: ").expect("the dump's first bytes");
    dump.set_len(2 << 30).expect("a sparse 2 GiB dump");
    bencher.bench_local(|| cowork_policy::load_dir(&dir).expect("the policy loads"));
    let _ = std::fs::remove_dir_all(&dir);
}
