//! Validate a Claude Cowork rollout kept as code.
//!
//! A policy repo is a folder of YAML files describing orgs, identity providers, IdP groups,
//! roles, spend limits and rollout steps. This crate loads it with exact locations, builds its
//! dependency graph and effective access, and reports what will hurt before it goes live:
//! nested groups whose members silently do not sync, SCIM targets above the seat count, SSO or
//! RBAC enforced in the wrong order, roles that add up where someone expected a deny, spend limits
//! that cap a user lower than intended.
//!
//! ```
//! let policy = cowork_policy::load_sources([(
//!     "policy.yaml",
//!     "apiVersion: cowork-policy/v1
//! orgs:
//!   - name: acme
//!     plan: enterprise
//!     seats: 2
//! groups:
//!   - name: everyone
//!     scim: true
//!     members: [ana@acme.com, bo@acme.com, cy@acme.com]
//! ",
//! )])?;
//! let report = cowork_policy::check(&policy);
//! assert_eq!(report.findings[0].code, "SEAT001");
//! assert_eq!(
//!     report.findings[0].message,
//!     "org `acme` would provision 3 users by SCIM but has 2 seats (1 over)"
//! );
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```
//!
//! The data flow is `load` → `model` → `graph` → `access` → `rules` → [`Report`] → `render`;
//! `ARCHITECTURE.md` in the repository draws it.
#![deny(missing_docs)]

mod access;
mod baseline;
mod config;
mod confined;
mod diagnostic;
mod diagram;
mod diff;
mod explain;
mod graph;
pub mod import;
#[allow(
    clippy::result_large_err,
    reason = "a load error carries up to two locations; it is built once, on the cold path"
)]
mod load;
mod model;
mod order;
mod profile;
pub mod render;
mod rules;
mod schema;
mod suggest;
#[cfg(feature = "synth")]
pub mod synth;
mod waiver;

pub use baseline::{Baseline, BaselineEntry, BaselineError, Comparison, compare};
pub use config::{CONFIG_FILE_NAME, Config, Overrides, Setting, SettingSource};
pub use diagnostic::{Finding, Location, PlatformInfo, Related, Report, Severity, Waived, Waiver};
pub use diagram::{
    Diagram, DiagramEdge, DiagramError, DiagramNode, EdgeKind, NodeKind, StepState, groups_diagram,
    rollout_diagram,
};
pub use diff::{
    AccessDiff, Direction, EntitlementChange, FIRST_USERS, LimitChange, SeatChange, StateChange,
    StepChange, diff, diff_with,
};
pub use explain::{
    AccessClass, AccessExplanation, AccessRow, AccessTable, EffectiveAccess, EntitlementCount,
    EntitlementGrant, GroupExplanation, GroupRef, LimitCount, LimitDecision, LimitRef, LimitSource,
    NestedMember, NestedRef, OrgAccess, RoleGrant, RoleOnGroup, Spend, Sso, State, Unknown,
    explain_access, explain_group,
};
pub use load::{
    LoadError, LoadErrors, MAX_FILE_BYTES, load_dir, load_dir_with, load_reader, load_sources,
};
pub use model::{Date, Policy};
pub use profile::Profile;
pub use rules::{Area, Rule};
pub use schema::schema;

/// The README's Rust examples, compiled and run as doc tests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// The crate's own README (the one crates.io shows), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadmeDoctests;

/// The Rust example of `docs/ci.md` (baselines and comparisons), compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/ci.md")]
struct CiDocDoctests;

/// `docs/access.md`'s Rust example, run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/access.md")]
struct AccessDoctests;
/// `docs/diff.md`'s Rust example, run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/diff.md")]
struct DiffDocDoctests;
/// `docs/graph.md`'s Rust example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/graph.md")]
struct GraphDocDoctests;

/// How to check: the day to compare dates against, the platform profile and the config.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The day dated rules compare against (a launch date reached, a waiver expired). Default:
    /// today, in UTC. Set it to make a run reproducible.
    pub today: Option<Date>,
    /// The platform profile to start from, in place of the one the config or the policy's
    /// `platform:` section names. The policy's overrides of single facts still apply.
    pub profile: Option<Profile>,
    /// Which rules run at which severity, rule options and waivers. Default: every rule at its
    /// default severity, default options, inline waivers only.
    pub config: Config,
}

impl CheckOptions {
    /// Check as of this day.
    pub fn today(mut self, today: Date) -> CheckOptions {
        self.today = Some(today);
        self
    }

    /// Start from this platform profile.
    pub fn profile(mut self, profile: Profile) -> CheckOptions {
        self.profile = Some(profile);
        self
    }

    /// Check with this config.
    pub fn config(mut self, config: Config) -> CheckOptions {
        self.config = config;
        self
    }
}

/// Check a loaded policy against every rule, as of today, with the policy's own platform
/// profile. Never fails: problems are findings.
pub fn check(policy: &Policy) -> Report {
    check_with(policy, &CheckOptions::default())
}

/// Check a loaded policy against every rule, with options. Never fails: problems are findings.
///
/// The rules the config selects run, their findings take the config's severities, then waivers
/// accept findings (into [`Report::waived`]) and the waiver rules judge the waivers.
pub fn check_with(policy: &Policy, options: &CheckOptions) -> Report {
    let config = &options.config;
    let facts = policy
        .platform
        .resolve(options.profile.as_ref().or(config.profile()));
    let graph = graph::Graph::build(policy);
    let access = access::Access::build(policy, &facts);
    let today = options.today.unwrap_or_else(profile::today);
    let rule_options = config.rule_options();
    let context = rules::Context {
        policy,
        graph: &graph,
        access: &access,
        facts: &facts,
        today,
        options: &rule_options,
    };
    let verdicts: std::collections::HashMap<&'static str, config::Verdict> = rules::all()
        .iter()
        .map(|rule| (rule.code, config.verdict(rule)))
        .collect();
    let verdict = |rule: &Rule| {
        verdicts
            .get(rule.code)
            .copied()
            .unwrap_or(config::Verdict::Default)
    };
    let findings: Vec<Finding> = rules::run(&context, |rule| verdict(rule) != config::Verdict::Off)
        .into_iter()
        .map(|draft| Finding {
            code: draft.rule.code,
            name: draft.rule.name,
            severity: match verdict(draft.rule) {
                config::Verdict::Severity(severity) => severity,
                _ => draft.severity.unwrap_or(draft.rule.severity),
            },
            message: draft.message,
            location: policy.sources.locate(draft.span),
            label: draft.label,
            related: draft
                .related
                .into_iter()
                .map(|(span, label)| Related {
                    location: policy.sources.locate(span),
                    label,
                })
                .collect(),
            help: draft.help,
            entity: policy.entity_key(draft.span),
        })
        .collect();
    let (mut findings, mut waived) = waiver::apply(policy, config, today, findings);
    let order = |a: &Finding, b: &Finding| {
        (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message))
    };
    findings.sort_by(order);
    waived.sort_by(|a, b| order(&a.finding, &b.finding));
    Report {
        findings,
        waived,
        files: policy.sources.len(),
        skipped_files: policy.skipped.clone(),
        platform: PlatformInfo {
            profile: facts.profile.to_string(),
            date: facts.date.to_string(),
            overrides: policy
                .platform
                .overridden()
                .into_iter()
                .map(String::from)
                .collect(),
            overrides_checked_on: policy.platform.checked_on.map(|d| d.value.to_string()),
        },
    }
}

/// Every rule, in code order.
pub fn rules() -> impl ExactSizeIterator<Item = &'static Rule> {
    rules::all().iter().copied()
}

/// The rule with this code (`IDP001`) or name (`nested-idp-group`), in any case.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    rules().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}
