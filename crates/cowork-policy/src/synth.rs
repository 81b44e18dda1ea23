//! A seeded generator of synthetic orgs, to benchmark with and to try the checker on a repo the
//! size of a large company. Behind the cargo feature `synth`; `cowork-policy synth` writes its
//! output to a directory.
//!
//! The shape follows a large single-org rollout: one org, one identity provider, a group
//! `all-staff` with everyone in it, and groups whose sizes are heavy-tailed (Zipf-like: a few
//! groups with tens of percent of the company, many of a handful of users), so that each user is
//! a direct member of about five groups. About 1% of the groups nest another group, which
//! IDP001 reports. Members of one group are drawn from a window of neighbouring users, so users
//! share groups the way people of one department do. Roles, spend limits and rollout steps
//! complete the picture; some roles withhold an entitlement and one spend limit is zero, so the
//! access rules have something to look at.
//!
//! The output is deterministic: the same [`Params`] give the same files, byte for byte, on every
//! platform. The generator carries its own small PRNG (splitmix64) rather than a dependency.
//!
//! ```
//! use cowork_policy::synth::{Params, generate};
//!
//! let files = generate(&Params::for_users(1_000));
//! let policy = cowork_policy::load_sources(files)?;
//! assert_eq!(policy.user_count(), 1_000);
//! assert_eq!(policy.group_count(), 100);
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use std::fmt::Write as _;

use crate::import::Format;

mod export;
mod live;

/// The seed [`Params::for_users`] uses.
pub const DEFAULT_SEED: u64 = 42;

/// The email domain of every synthetic user.
const DOMAIN: &str = "synth.example";

/// What to generate. Start from [`Params::for_users`] and change what you need.
///
/// Every file must stay under [`crate::MAX_FILE_BYTES`]: the `all-staff` group lists every user
/// in one file, which holds up to about 400,000 users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// How many users (distinct emails). Every user is in `all-staff`.
    pub users: usize,
    /// How many groups, `all-staff` included.
    pub groups: usize,
    /// How many custom roles.
    pub roles: usize,
    /// How many spend limits.
    pub limits: usize,
    /// The seed of the PRNG: the same seed gives the same files.
    pub seed: u64,
    /// The average number of groups a user is a direct member of, `all-staff` included. The
    /// total number of memberships is about `users * groups_per_user`.
    pub groups_per_user: usize,
    /// How many groups in a thousand nest another group (`memberGroups`).
    pub nested_per_mille: usize,
    /// How many files the groups are spread over.
    pub group_files: usize,
}

impl Params {
    /// Parameters for `users` users, with the rest scaled like a large org: a group per 10
    /// users, a role per 50 groups (at least 5), a spend limit per 200 groups (at least 3), 5
    /// groups per user, 1% of groups nested, and a group file per 4 groups, between 1 and 200.
    ///
    /// 100,000 users give 10,000 groups in 200 files, about 500,000 memberships, 200 roles and
    /// 50 spend limits; 1,000 users give 100 groups in 25 files, 5 roles and 3 limits.
    pub fn for_users(users: usize) -> Params {
        let groups = (users / 10).max(2);
        Params {
            users,
            groups,
            roles: (groups / 50).max(5),
            limits: (groups / 200).max(3),
            seed: DEFAULT_SEED,
            groups_per_user: 5,
            nested_per_mille: 10,
            group_files: (groups / 4).clamp(1, 200),
        }
    }
}

/// What [`generate_with_counts`] produced, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Files written.
    pub files: usize,
    /// Distinct users.
    pub users: usize,
    /// Groups, `all-staff` included.
    pub groups: usize,
    /// Direct memberships: (group, user) pairs, summed over groups.
    pub memberships: usize,
    /// Groups that nest another group.
    pub nested_groups: usize,
    /// Custom roles.
    pub roles: usize,
    /// Spend limits.
    pub limits: usize,
}

/// Generate a synthetic policy repo: `(relative path, YAML text)` pairs, with `/` separators,
/// ready for [`crate::load_sources`] or to be written to disk. It loads without errors; it does
/// have findings (every nested group is an IDP001).
pub fn generate(params: &Params) -> Vec<(String, String)> {
    generate_with_counts(params).0
}

/// [`generate`], and what it generated, counted.
pub fn generate_with_counts(params: &Params) -> (Vec<(String, String)>, Counts) {
    build(params, None)
}

/// The same org as [`generate`] (same users, groups, members, nesting, roles, spend limits and
/// steps), its groups written as an identity provider's export in `format` instead of YAML:
/// the export's files under `groups/export/`, in the layout [`crate::import`] documents for
/// the format, paged as the export commands of `docs/idp/` page them, and `groups/directory.yaml`
/// naming them under `directoryExports:`, with the groups YAML marks `scim: true` as
/// `assigned`.
///
/// The groups keep their names, except in `gam`, whose CSV names a group only by its email:
/// there group `x` is `x@groups.synth.example`, in the roles and spend limits too. Okta groups
/// cannot nest, so the `okta` export leaves the nesting out (each group lists its direct users,
/// as Okta would): it has no IDP001 findings where the others have one per nested group.
///
/// ```
/// use cowork_policy::import::Format;
/// use cowork_policy::synth::{Params, generate_export};
///
/// let files = generate_export(&Params::for_users(1_000), Format::Msgraph);
/// let policy = cowork_policy::load_sources(files)?;
/// assert_eq!(policy.user_count(), 1_000);
/// assert_eq!(policy.group_count(), 100);
/// # Ok::<(), cowork_policy::LoadErrors>(())
/// ```
pub fn generate_export(params: &Params, format: Format) -> Vec<(String, String)> {
    build(params, Some(format)).0
}

/// [`generate_export`], and what it generated, counted (nested groups as the export has them:
/// none in `okta`).
pub fn generate_export_with_counts(
    params: &Params,
    format: Format,
) -> (Vec<(String, String)>, Counts) {
    build(params, Some(format))
}

/// A snapshot of the live org that [`generate`]'s policy describes, as `cowork-policy pull`
/// writes one: `(relative path, JSON text)` pairs for [`crate::live::Snapshot::from_files`] or
/// a folder. Every endpoint answers, paged as the API pages it, with what the policy says:
/// members (the first the Primary Owner), ten pending invites, every group with its source,
/// roles and direct members, every role's permissions, the configured and effective limits in
/// minor units as strings, the Compliance API's settings. Drift finds nothing in it, except
/// DRIFT011 when the org has more groups than the profile's limit (100, so above 1,000 users).
///
/// ```
/// use cowork_policy::synth::{Params, generate, generate_live};
///
/// let params = Params::for_users(1_000);
/// let policy = cowork_policy::load_sources(generate(&params))?;
/// let snapshot = cowork_policy::live::Snapshot::from_files(generate_live(&params)).unwrap();
/// assert_eq!(snapshot.members.len(), 1_000);
/// let report = cowork_policy::drift(&policy, &snapshot);
/// assert!(report.findings.is_empty(), "{:?}", report.findings);
/// # Ok::<(), cowork_policy::LoadErrors>(())
/// ```
pub fn generate_live(params: &Params) -> Vec<(String, String)> {
    let mut rng = Rng::new(params.seed);
    let emails: Vec<String> = (0..params.users).map(email).collect();
    let groups = plan_groups(params, &mut rng);
    let roles = plan_roles(params, groups.len(), &mut rng);
    let limits = plan_limits(params, groups.len(), &mut rng);
    live::files(&groups, &roles, &limits, &emails)
}

fn build(params: &Params, format: Option<Format>) -> (Vec<(String, String)>, Counts) {
    let mut rng = Rng::new(params.seed);
    let users = params.users;
    let emails: Vec<String> = (0..users).map(email).collect();

    let mut groups = plan_groups(params, &mut rng);
    let roles = plan_roles(params, groups.len(), &mut rng);
    let limits = plan_limits(params, groups.len(), &mut rng);
    if let Some(format) = format {
        for group in &mut groups {
            group.name = export::exported_name(format, &group.name);
        }
        if format == Format::Okta {
            for group in &mut groups {
                group.nests = None;
            }
        }
    }

    let export_option = format.map_or(String::new(), |f| format!(" --export {}", f.name()));
    let header = format!(
        "# Generated by `cowork-policy synth --users {users} --seed {}{export_option}`: synthetic data.\napiVersion: cowork-policy/v1\n",
        params.seed
    );
    let mut files = Vec::new();
    files.push(("org.yaml".to_string(), org_file(&header, users)));
    files.push(("identity/okta.yaml".to_string(), idp_file(&header)));

    if let Some(format) = format {
        files.push((
            "groups/directory.yaml".to_string(),
            directory_file(&header, format, &groups),
        ));
        for (path, text) in export::files(format, &groups, &emails) {
            files.push((format!("groups/export/{path}"), text));
        }
    }
    let chunks = if format.is_some() {
        0
    } else {
        params.group_files.clamp(1, groups.len().max(1))
    };
    let mut start = 0;
    for chunk in 0..chunks {
        // Spread the remainder over the first files.
        let len = groups.len() / chunks + usize::from(chunk < groups.len() % chunks);
        let end = (start + len).min(groups.len());
        let mut text = header.clone();
        text.push_str("groups:\n");
        for group in groups.get(start..end).unwrap_or(&[]) {
            write_group(&mut text, group, &groups, &emails);
        }
        files.push((format!("groups/groups-{:03}.yaml", chunk + 1), text));
        start = end;
    }
    files.push((
        "rbac/roles.yaml".to_string(),
        roles_file(&header, &roles, &groups),
    ));
    files.push((
        "rbac/spend-limits.yaml".to_string(),
        limits_file(&header, &limits, &groups),
    ));
    files.push(("rollout/steps.yaml".to_string(), steps_file(&header)));

    let counts = Counts {
        files: files.len(),
        users,
        groups: groups.len(),
        memberships: groups.iter().map(|g| g.members.len()).sum(),
        nested_groups: groups.iter().filter(|g| g.nests.is_some()).count(),
        roles: roles.len(),
        limits: limits.len(),
    };
    (files, counts)
}

/// splitmix64 (Steele, Lea and Flood): tiny, fast, and good enough to shape test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by Lemire's multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

const FIRST: &[&str] = &[
    "ana", "bo", "cy", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal", "lena",
    "mateo", "nia", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "vik", "wen", "xia",
    "yusuf", "zoe", "amir", "bea", "chen", "dev", "emma", "felix", "grace", "hugo", "ines", "jin",
    "kai", "lucia", "mika", "noor",
];

const LAST: &[&str] = &[
    "garcia",
    "smith",
    "kim",
    "nguyen",
    "muller",
    "rossi",
    "silva",
    "khan",
    "okafor",
    "tanaka",
    "dubois",
    "novak",
    "jensen",
    "haddad",
    "ivanova",
    "costa",
    "berg",
    "sato",
    "mendes",
    "walsh",
    "park",
    "fischer",
    "lopez",
    "ali",
    "moreau",
    "kowalski",
    "yilmaz",
    "andersen",
    "reyes",
    "wong",
    "patel",
    "schmidt",
    "ortiz",
    "lindqvist",
    "mensah",
    "romano",
    "sousa",
    "hart",
    "ng",
    "brandt",
    "ferrari",
    "hughes",
    "abe",
    "keller",
    "diaz",
    "popescu",
    "olsen",
    "banda",
    "vargas",
    "murphy",
];

/// User `i`'s email: `first.last@`, with a number once the name pairs run out. Unique per `i`.
fn email(i: usize) -> String {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len()) % LAST.len()];
    match i / (FIRST.len() * LAST.len()) {
        0 => format!("{first}.{last}@{DOMAIN}"),
        n => format!("{first}.{last}{n}@{DOMAIN}"),
    }
}

const DEPARTMENTS: &[&str] = &[
    "engineering",
    "sales",
    "marketing",
    "finance",
    "legal",
    "people",
    "support",
    "product",
    "design",
    "data",
    "security",
    "it",
    "operations",
    "research",
    "partnerships",
    "procurement",
];

const KINDS: &[&str] = &[
    "team", "project", "squad", "guild", "office", "oncall", "council", "pod",
];

struct PlannedGroup {
    name: String,
    scim: bool,
    /// User indices.
    members: Vec<usize>,
    /// The index of a group this one nests.
    nests: Option<usize>,
}

/// Group 0 is `all-staff`; the others get Zipf-like sizes (weight `1/rank`, jittered) in a
/// shuffled order, so that the sizes sum to about `users * (groups_per_user - 1)`.
fn plan_groups(params: &Params, rng: &mut Rng) -> Vec<PlannedGroup> {
    let users = params.users;
    let count = params.groups;
    let mut groups: Vec<PlannedGroup> = Vec::with_capacity(count);
    if count == 0 {
        return groups;
    }
    groups.push(PlannedGroup {
        name: "all-staff".to_string(),
        scim: true,
        members: (0..users).collect(),
        nests: None,
    });

    let others = count - 1;
    let harmonic: f64 = (1..=others).map(|r| 1.0 / r as f64).sum();
    let total = (users * params.groups_per_user.saturating_sub(1)) as f64;
    let scale = if harmonic > 0.0 {
        total / harmonic
    } else {
        0.0
    };
    let mut ranks: Vec<usize> = (1..=others).collect();
    for i in (1..ranks.len()).rev() {
        ranks.swap(i, rng.below(i + 1));
    }
    for (i, rank) in ranks.into_iter().enumerate() {
        let index = i + 1;
        let jitter = 0.8 + 0.4 * rng.unit();
        let size = ((scale / rank as f64 * jitter).round() as usize).clamp(users.min(2), users);
        let department = DEPARTMENTS[rng.below(DEPARTMENTS.len())];
        let kind = KINDS[rng.below(KINDS.len())];
        groups.push(PlannedGroup {
            name: format!("{department}-{kind}-{index}"),
            // One group in ten is not synced by SCIM.
            scim: rng.below(10) != 0,
            members: window_sample(rng, users, size),
            nests: None,
        });
    }

    // About `nested_per_mille` groups in a thousand nest a later group: never a cycle.
    let nested = count * params.nested_per_mille / 1000;
    let nested = if nested == 0 && params.nested_per_mille > 0 && count > 2 {
        1
    } else {
        nested
    };
    let mut placed = 0;
    let mut attempts = 0;
    while placed < nested && attempts < nested * 20 && count > 2 {
        attempts += 1;
        // A parent among groups 1..count-1, and a child after it.
        let parent = 1 + rng.below(count - 2);
        let child = parent + 1 + rng.below(count - parent - 1);
        if let Some(group) = groups.get_mut(parent)
            && group.nests.is_none()
        {
            group.nests = Some(child);
            placed += 1;
        }
    }
    groups
}

/// `size` distinct users out of a window of about three times as many neighbouring users
/// (wrapping around), by selection sampling: neighbours share groups, as a department does.
fn window_sample(rng: &mut Rng, users: usize, size: usize) -> Vec<usize> {
    if size >= users {
        return (0..users).collect();
    }
    let window = size.saturating_mul(3).min(users);
    let start = rng.below(users);
    let mut members = Vec::with_capacity(size);
    let mut needed = size;
    for offset in 0..window {
        if needed == 0 {
            break;
        }
        if rng.below(window - offset) < needed {
            members.push((start + offset) % users);
            needed -= 1;
        }
    }
    members
}

struct PlannedRole {
    name: String,
    entitlements: Vec<&'static str>,
    withholds: Vec<&'static str>,
    groups: Vec<usize>,
}

/// `everyone` (chat, on `all-staff`), `cowork-users` (cowork and chat, on a few groups), then
/// roles with random entitlements on one to six random groups; every twentieth role withholds
/// `claude-code`.
fn plan_roles(params: &Params, groups: usize, rng: &mut Rng) -> Vec<PlannedRole> {
    const ENTITLEMENTS: [&str; 3] = ["cowork", "chat", "claude-code"];
    let mut roles = Vec::with_capacity(params.roles);
    let random_groups = |rng: &mut Rng, most: usize| -> Vec<usize> {
        if groups < 2 {
            return Vec::new();
        }
        let mut list: Vec<usize> = (0..1 + rng.below(most))
            .map(|_| 1 + rng.below(groups - 1))
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    };
    for i in 0..params.roles {
        let role = match i {
            0 => PlannedRole {
                name: "everyone".to_string(),
                entitlements: vec!["chat"],
                withholds: Vec::new(),
                groups: if groups > 0 { vec![0] } else { Vec::new() },
            },
            1 => PlannedRole {
                name: "cowork-users".to_string(),
                entitlements: vec!["cowork", "chat"],
                withholds: Vec::new(),
                groups: random_groups(rng, 12),
            },
            _ if i % 20 == 19 => PlannedRole {
                name: format!("restricted-{i:03}"),
                entitlements: if rng.below(2) == 0 {
                    vec!["chat"]
                } else {
                    vec!["cowork", "chat"]
                },
                withholds: vec!["claude-code"],
                groups: random_groups(rng, 3),
            },
            _ => {
                // A non-empty subset of the three entitlements.
                let bits = 1 + rng.below(7);
                PlannedRole {
                    name: format!("role-{i:03}"),
                    entitlements: ENTITLEMENTS
                        .iter()
                        .enumerate()
                        .filter(|(b, _)| bits & (1 << b) != 0)
                        .map(|(_, e)| *e)
                        .collect(),
                    withholds: Vec::new(),
                    groups: random_groups(rng, 6),
                }
            }
        };
        roles.push(role);
    }
    roles
}

struct PlannedLimit {
    name: String,
    amount: &'static str,
    groups: Vec<usize>,
}

/// `frozen` (0, on one group), then limits of assorted amounts on one to five random groups.
fn plan_limits(params: &Params, groups: usize, rng: &mut Rng) -> Vec<PlannedLimit> {
    const AMOUNTS: &[&str] = &[
        "25",
        "50",
        "75",
        "100",
        "150",
        "200",
        "300",
        "500",
        "19.99",
        "unlimited",
    ];
    let mut limits = Vec::with_capacity(params.limits);
    for i in 0..params.limits {
        let (name, amount, most) = match i {
            0 => ("frozen".to_string(), "0", 1),
            _ => (
                format!("limit-{i:02}"),
                *rng.pick(AMOUNTS).unwrap_or(&"100"),
                5,
            ),
        };
        let mut list: Vec<usize> = if groups < 2 {
            Vec::new()
        } else {
            (0..1 + rng.below(most))
                .map(|_| 1 + rng.below(groups - 1))
                .collect()
        };
        list.sort_unstable();
        list.dedup();
        limits.push(PlannedLimit {
            name,
            amount,
            groups: list,
        });
    }
    limits
}

/// Append a line to a `String`. Writing to a `String` cannot fail.
macro_rules! line {
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// A worst case that a large org's repo can reach, for [`shape`]: long chains and loops of
/// nesting or of rollout steps, where a walk over groups or steps that is recursive, or repeated
/// per group or per step, would overflow the stack or take quadratic time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `n` groups, each nesting the next (`g0` nests `g1`, ..., `g{n-2}` nests `g{n-1}`), each
    /// with one direct member of its own: `n - 1` IDP001 findings.
    NestedChain,
    /// The same chain, with nested groups syncing (`platform.nestedGroupsSync: [okta]`): user
    /// `i` counts in groups `g0` to `g{i}`, so effective access holds `n (n + 1) / 2` (user,
    /// group) pairs, which is what the table costs, whatever the algorithm.
    NestedChainSynced,
    /// The chain closed into a loop: `g{n-1}` nests `g0`. One IDP002 finding, and `n` IDP001.
    NestedCycle,
    /// `n` custom steps `s0`..`s{n-1}`, each `done` and `after` the one before (`s0` after the
    /// built-in `planning`), dated one day earlier than the one before: `n` ORDER001 findings,
    /// each with up to 3 of the `i` steps dated later that it depends on.
    StepChain,
    /// `n` custom steps, each `after` the next and the last after the first (and `s0` after
    /// `planning`, which is done, so the rollout reaches the loop): one ORDER002 finding.
    StepCycle,
}

/// A policy repo of one [`Shape`] of size `n` (at least 1): one org with an identity provider,
/// and the shape's groups or steps. `(relative path, YAML text)` pairs, as [`generate`] gives.
///
/// ```
/// use cowork_policy::synth::{Shape, shape};
///
/// let policy = cowork_policy::load_sources(shape(Shape::NestedCycle, 3))?;
/// let report = cowork_policy::check(&policy);
/// assert!(report.findings.iter().any(|f| f.code == "IDP002"));
/// # Ok::<(), cowork_policy::LoadErrors>(())
/// ```
pub fn shape(shape: Shape, n: usize) -> Vec<(String, String)> {
    let n = n.max(1);
    let header = format!(
        "# Generated by `cowork_policy::synth::shape({shape:?}, {n})`: synthetic data.\napiVersion: cowork-policy/v1\n"
    );
    let mut files = vec![
        ("org.yaml".to_string(), org_file(&header, n)),
        ("identity/okta.yaml".to_string(), idp_file(&header)),
    ];
    let mut text = header.clone();
    match shape {
        Shape::NestedChain | Shape::NestedChainSynced | Shape::NestedCycle => {
            if shape == Shape::NestedChainSynced {
                text.push_str("platform:\n  nestedGroupsSync: [okta]\n");
            }
            text.push_str("groups:\n");
            for i in 0..n {
                line!(text, "  - name: g{i}");
                line!(text, "    scim: true");
                line!(text, "    members: [{}]", email(i));
                if i + 1 < n {
                    line!(text, "    memberGroups: [g{}]", i + 1);
                } else if shape == Shape::NestedCycle {
                    line!(text, "    memberGroups: [g0]");
                }
            }
            files.push(("groups.yaml".to_string(), text));
        }
        Shape::StepChain => {
            // The last step on 2025-06-01, each one before it a day later: every step is
            // dated before the steps it needs.
            let last = days_from_civil(2025, 6, 1);
            text.push_str("steps:\n  - name: planning\n    status: done\n");
            for i in 0..n {
                let (year, month, day) = civil_from_days(last + (n - 1 - i) as i64);
                line!(text, "  - name: s{i}");
                line!(text, "    status: done");
                line!(text, "    date: {year:04}-{month:02}-{day:02}");
                if i == 0 {
                    line!(text, "    after: [planning]");
                } else {
                    line!(text, "    after: [s{}]", i - 1);
                }
            }
            files.push(("steps.yaml".to_string(), text));
        }
        Shape::StepCycle => {
            text.push_str("steps:\n  - name: planning\n    status: done\n");
            for i in 0..n {
                line!(text, "  - name: s{i}");
                line!(text, "    status: pending");
                let next = (i + 1) % n;
                if i == 0 {
                    line!(text, "    after: [planning, s{next}]");
                } else {
                    line!(text, "    after: [s{next}]");
                }
            }
            files.push(("steps.yaml".to_string(), text));
        }
    }
    files
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` days after 1970-01-01, as (year, month, day): the inverse of
/// [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The `directoryExports:` entry naming the export under `groups/export/`; the groups YAML
/// marks `scim: true` are the ones assigned to the app.
fn directory_file(header: &str, format: Format, groups: &[PlannedGroup]) -> String {
    let mut text = header.to_string();
    text.push_str("directoryExports:\n");
    line!(text, "  - idp: okta");
    line!(text, "    format: {}", format.name());
    line!(text, "    files: [\"export/*\"]");
    line!(text, "    assigned:");
    for group in groups.iter().filter(|g| g.scim) {
        line!(text, "      - {}", group.name);
    }
    text
}

fn org_file(header: &str, users: usize) -> String {
    let mut text = header.to_string();
    text.push_str("orgs:\n");
    line!(text, "  - name: synth");
    line!(text, "    plan: enterprise");
    line!(text, "    architecture: single");
    line!(text, "    billing: seats");
    line!(text, "    seats: {}", users + users / 4 + 10);
    line!(text, "    coworkEnabled: true");
    line!(text, "    rbac: tested");
    line!(text, "    defaultSpendLimit: 100");
    line!(text, "    identityProvider: okta");
    text
}

fn idp_file(header: &str) -> String {
    let mut text = header.to_string();
    text.push_str("identityProviders:\n");
    line!(text, "  - name: okta");
    line!(text, "    kind: okta");
    line!(text, "    protocol: saml");
    line!(text, "    sso: enforced");
    line!(text, "    scim: true");
    line!(text, "    domains: [{DOMAIN}]");
    text
}

fn write_group(
    text: &mut String,
    group: &PlannedGroup,
    groups: &[PlannedGroup],
    emails: &[String],
) {
    line!(text, "  - name: {}", group.name);
    line!(text, "    scim: {}", group.scim);
    if group.members.is_empty() {
        line!(text, "    members: []");
    } else {
        line!(text, "    members:");
        for &member in &group.members {
            if let Some(email) = emails.get(member) {
                line!(text, "      - {email}");
            }
        }
    }
    if let Some(nested) = group.nests.and_then(|n| groups.get(n)) {
        line!(text, "    memberGroups: [{}]", nested.name);
    }
}

fn name_list(indices: &[usize], groups: &[PlannedGroup]) -> String {
    indices
        .iter()
        .filter_map(|&i| groups.get(i))
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn roles_file(header: &str, roles: &[PlannedRole], groups: &[PlannedGroup]) -> String {
    let mut text = header.to_string();
    text.push_str("roles:\n");
    for role in roles {
        line!(text, "  - name: {}", role.name);
        line!(text, "    entitlements: [{}]", role.entitlements.join(", "));
        if !role.withholds.is_empty() {
            line!(text, "    withholds: [{}]", role.withholds.join(", "));
        }
        line!(text, "    groups: [{}]", name_list(&role.groups, groups));
    }
    text
}

fn limits_file(header: &str, limits: &[PlannedLimit], groups: &[PlannedGroup]) -> String {
    let mut text = header.to_string();
    text.push_str("spendLimits:\n");
    for limit in limits {
        line!(text, "  - name: {}", limit.name);
        line!(text, "    amount: {}", limit.amount);
        line!(text, "    groups: [{}]", name_list(&limit.groups, groups));
    }
    text
}

/// Mid-rollout: identity and RBAC configured and tested, SSO enforced, connectors in progress,
/// launch pending; plus one custom step.
fn steps_file(header: &str) -> String {
    const STEPS: &[(&str, &str, Option<&str>)] = &[
        ("planning", "done", Some("2025-01-13")),
        ("sso-configured", "done", Some("2025-01-27")),
        ("idp-groups", "done", Some("2025-02-10")),
        ("rbac-roles-configured", "done", Some("2025-02-24")),
        ("rbac-tested", "done", Some("2025-03-10")),
        ("sso-enforced", "done", Some("2025-03-17")),
        ("security-controls", "done", Some("2025-02-03")),
        ("observability-live", "done", Some("2025-02-17")),
        ("connectors-live", "in-progress", Some("2025-04-07")),
        ("plugins-approved", "pending", None),
        ("desktop-deployed", "pending", None),
        ("prelaunch-checklist", "in-progress", None),
        ("pilot-launch", "pending", Some("2025-05-05")),
    ];
    let mut text = header.to_string();
    text.push_str("steps:\n");
    for &(name, status, date) in STEPS {
        line!(text, "  - name: {name}");
        line!(text, "    status: {status}");
        if let Some(date) = date {
            line!(text, "    date: {date}");
        }
    }
    line!(text, "  - name: legal-review");
    line!(text, "    status: done");
    line!(text, "    date: 2025-02-28");
    line!(text, "    after: [planning]");
    text
}

#[cfg(test)]
mod tests {
    use super::{Params, generate, generate_with_counts};

    #[test]
    fn civil_dates_round_trip() {
        use super::{civil_from_days, days_from_civil};
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            civil_from_days(days_from_civil(2024, 2, 29) + 1),
            (2024, 3, 1)
        );
        assert_eq!(
            civil_from_days(days_from_civil(2025, 12, 31) + 1),
            (2026, 1, 1)
        );
        for days in -1000..100_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn same_seed_same_files_other_seed_other_files() {
        let params = Params::for_users(2_000);
        assert_eq!(generate(&params), generate(&params));
        let other = Params {
            seed: 7,
            ..params.clone()
        };
        assert_ne!(generate(&params), generate(&other));
    }

    #[test]
    fn scales_like_a_large_org() {
        let p = Params::for_users(100_000);
        assert_eq!((p.groups, p.roles, p.limits), (10_000, 200, 50));
        assert_eq!(p.group_files, 200);
        let p = Params::for_users(1_000);
        assert_eq!((p.groups, p.roles, p.limits), (100, 5, 3));
    }

    #[test]
    fn loads_without_errors_and_has_the_asked_shape() {
        for users in [1, 10, 1_000, 10_000] {
            let params = Params::for_users(users);
            let (files, counts) = generate_with_counts(&params);
            assert_eq!(counts.files, files.len());
            let policy = match crate::load_sources(files) {
                Ok(policy) => policy,
                Err(errors) => panic!("{users} users: {:?}", errors.errors()),
            };
            assert_eq!(policy.user_count(), users);
            assert_eq!(policy.group_count(), params.groups);
            let memberships: usize = policy.groups.iter().map(|g| g.members.len()).sum();
            assert_eq!(memberships, counts.memberships);
            if users >= 1_000 {
                let per_user = memberships as f64 / users as f64;
                assert!((4.5..5.5).contains(&per_user), "{per_user} groups per user");
                assert_eq!(counts.nested_groups, params.groups / 100);
            }
            let report = crate::check(&policy);
            let nested = report
                .findings
                .iter()
                .filter(|f| f.code == "IDP001")
                .count();
            assert_eq!(nested, counts.nested_groups);
            assert!(report.findings.iter().all(|f| f.code != "IDP003"));
        }
    }

    #[test]
    fn group_sizes_are_heavy_tailed() {
        let params = Params::for_users(10_000);
        let files = generate(&params);
        let policy = match crate::load_sources(files) {
            Ok(policy) => policy,
            Err(errors) => panic!("{:?}", errors.errors()),
        };
        let mut sizes: Vec<usize> = policy.groups.iter().map(|g| g.members.len()).collect();
        sizes.sort_unstable();
        let median = sizes[sizes.len() / 2];
        let largest_but_all_staff = sizes[sizes.len() - 2];
        assert!(median < 50, "median group of {median}");
        assert!(
            largest_but_all_staff > 2_000,
            "largest group of {largest_but_all_staff}"
        );
    }
}
