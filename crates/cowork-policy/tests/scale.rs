//! The worst shapes a large org's repo can reach (`cowork_policy::synth::shape`): long chains
//! and loops of nested groups and of rollout steps. `check` and `diff` must finish without
//! overflowing the stack (the test threads' stacks are small, as rayon's are), and each finding
//! must stay short however long the chain. How fast they run is measured by the benchmark
//! (`benches/check.rs`, figures in `docs/performance.md`), not here: these tests check results.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

use cowork_policy::synth::{Shape, shape};
use cowork_policy::{CheckOptions, Finding, Policy, Report, access::EffectiveAccess};

/// Large enough that a recursion per group or step overflows a test thread's 2 MiB stack in a
/// debug build, as petgraph's recursive Tarjan did from about 5,000 nodes on; the issue saw
/// the same in release builds at 100,000 groups, and 30,000 steps under `diff`.
const DEEP: usize = 10_000;

/// No finding may print more than this: a few names, then a count.
const MAX_MESSAGE: usize = 400;
const MAX_RELATED: usize = 8;

fn load(which: Shape, n: usize) -> Policy {
    cowork_policy::load_sources(shape(which, n)).unwrap()
}

fn of<'r>(report: &'r Report, code: &str) -> Vec<&'r Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

fn assert_short(finding: &Finding) {
    assert!(
        finding.message.len() <= MAX_MESSAGE,
        "{}: {} bytes: {}",
        finding.code,
        finding.message.len(),
        &finding.message[..MAX_MESSAGE.min(finding.message.len())]
    );
    assert!(
        finding.related.len() <= MAX_RELATED,
        "{}: {} related locations",
        finding.code,
        finding.related.len()
    );
}

/// `diff` builds each side on rayon's threads: a policy against itself changes nothing.
fn assert_diff_is_empty(policy: &Policy) {
    let diff = cowork_policy::diff::diff(policy, policy);
    assert!(diff.is_empty(), "{diff:?}");
}

#[test]
fn a_deep_chain_of_nested_groups() {
    let policy = load(Shape::NestedChain, DEEP);
    let report = cowork_policy::check(&policy);
    assert!(of(&report, "IDP002").is_empty());
    let nested = of(&report, "IDP001");
    assert_eq!(nested.len(), DEEP - 1);
    for finding in &nested {
        assert_short(finding);
    }
    // `g0` nests `g1`, which brings everyone below it; the last nesting brings one user. Each
    // of them is listed directly by their own synced group, so they sync, but not as members.
    let first = nested
        .iter()
        .find(|f| f.message.starts_with("group `g0` nests group `g1`: "))
        .unwrap();
    let more = DEEP - 1 - 3;
    assert!(
        first.message.starts_with(&format!(
            "group `g0` nests group `g1`: {} users reached only through it (`",
            DEEP - 1
        )) && first.message.ends_with(&format!(
            " and {more} more) sync through other groups but are not its members in Claude"
        )),
        "{}",
        first.message
    );
    let last = format!(
        "group `g{}` nests group `g{}`: 1 user reached",
        DEEP - 2,
        DEEP - 1
    );
    assert!(
        nested.iter().any(|f| f.message.starts_with(&last)),
        "{last}"
    );
    assert_diff_is_empty(&policy);
}

#[test]
fn a_deep_loop_of_nested_groups_is_one_short_finding() {
    let policy = load(Shape::NestedCycle, DEEP);
    let report = cowork_policy::check(&policy);
    let cycles = of(&report, "IDP002");
    assert_eq!(cycles.len(), 1);
    let cycle = cycles[0];
    assert_short(cycle);
    assert_eq!(
        cycle.message,
        format!(
            "groups contain each other: `g0` → `g1` → `g2` → `g3` → … → `g{}` → `g0`, a loop of {DEEP} groups",
            DEEP - 1
        )
    );
    // Every nesting in the loop brings everyone else in it.
    let nested = of(&report, "IDP001");
    assert_eq!(nested.len(), DEEP);
    for finding in &nested {
        assert_short(finding);
        assert!(
            finding
                .message
                .contains(&format!(": {} users reached only through it", DEEP - 1)),
            "{}",
            finding.message
        );
    }
    assert_diff_is_empty(&policy);
}

#[test]
fn a_deep_loop_of_custom_steps_is_one_short_finding() {
    let policy = load(Shape::StepCycle, DEEP);
    let report = cowork_policy::check(&policy);
    let cycles = of(&report, "ORDER002");
    assert_eq!(cycles.len(), 1);
    let cycle = cycles[0];
    assert_short(cycle);
    assert_eq!(
        cycle.message,
        format!(
            "steps need each other, so none can start: `s1` → `s0` → `s{}` → `s{}` → … → `s2` → `s1`, a loop of {DEEP} steps",
            DEEP - 1,
            DEEP - 2
        )
    );
    assert_diff_is_empty(&policy);
}

/// Each step is dated a day before the step it needs: one ORDER001 per step, naming its direct
/// prerequisite, with the three latest steps it depends on as related locations.
#[test]
fn a_long_chain_of_dated_done_steps() {
    let n = 3_000;
    let policy = load(Shape::StepChain, n);
    let report = cowork_policy::check(&policy);
    let order = of(&report, "ORDER001");
    assert_eq!(order.len(), n - 1);
    for finding in &order {
        assert_short(finding);
    }
    // The latest of the steps before `s100` is `s0`, through the chain.
    let finding = order
        .iter()
        .find(|f| f.message.starts_with("step `s100` "))
        .unwrap();
    assert_eq!(
        finding.message,
        format!(
            "step `s100` is dated {}, before `s0` ({}), which it depends on through other steps",
            date_of(100),
            date_of(0)
        )
    );
    let related: Vec<&str> = finding.related.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        related,
        [0, 1, 2].map(|i| format!("`s{i}` is dated {} here", date_of(i)))
    );
    let first = order
        .iter()
        .find(|f| f.message.starts_with("step `s1` "))
        .unwrap();
    assert_eq!(
        first.message,
        format!(
            "step `s1` is dated {}, before its prerequisite `s0` ({})",
            date_of(1),
            date_of(0)
        )
    );
    assert_diff_is_empty(&policy);
}

/// The date of step `s{i}` in the 3,000-step chain, as the shape writes it.
fn date_of(i: usize) -> String {
    let files = shape(Shape::StepChain, 3_000);
    let text = &files.iter().find(|(p, _)| p == "steps.yaml").unwrap().1;
    let at = text.find(&format!("  - name: s{i}\n")).unwrap();
    let date = text[at..].find("date: ").unwrap() + at + "date: ".len();
    text[date..date + 10].to_string()
}

/// With nested groups syncing, user `i` counts in `g0` to `g{i}`: the access table holds every
/// one of those pairs, and IDP001 says nothing.
#[test]
fn a_long_chain_of_nested_groups_that_sync() {
    let n = 600;
    let policy = load(Shape::NestedChainSynced, n);
    let report = cowork_policy::check(&policy);
    assert!(of(&report, "IDP001").is_empty());
    let access = EffectiveAccess::new(&policy, &CheckOptions::default());
    let table = access.table();
    let mut sizes: Vec<usize> = table.classes().iter().map(|c| c.groups.len()).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, (1..=n).collect::<Vec<_>>());
    let deepest = table
        .classes()
        .iter()
        .find(|c| c.groups.len() == n)
        .unwrap();
    assert_eq!(deepest.groups.first().map(String::as_str), Some("g0"));
    assert_eq!(
        deepest.groups.last().map(String::as_str),
        Some(format!("g{}", n - 1).as_str())
    );
    assert_diff_is_empty(&policy);
}

/// A step done before thousands of prerequisites it lists: one ORDER001, naming three of them
/// and how many more, pointing at five.
#[test]
fn a_step_done_before_thousands_of_prerequisites_is_one_short_finding() {
    let n = 2_000;
    let mut text = String::from("apiVersion: cowork-policy/v1\nsteps:\n");
    for i in 0..n {
        text.push_str(&format!("  - name: p{i}\n    status: pending\n"));
    }
    let after: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    text.push_str(&format!(
        "  - name: last\n    status: done\n    after: [{}]\n",
        after.join(", ")
    ));
    let policy = cowork_policy::load_sources([("steps.yaml", text.as_str())]).unwrap();
    let report = cowork_policy::check(&policy);
    let order = of(&report, "ORDER001");
    assert_eq!(order.len(), 1);
    assert_short(order[0]);
    assert_eq!(
        order[0].message,
        format!(
            "step `last` is done but {n} of its prerequisites are not: `p0` (pending), `p1` (pending), `p2` (pending) and {} more",
            n - 3
        )
    );
}
