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
//! The common path is at the root: [`load_dir`] (or [`load_sources`]), [`check()`], and the
//! [`Report`] of [`Finding`]s; [`drift()`] compares a policy with a [`live`] snapshot of the org
//! into the same kind of report. The rest is in modules:
//!
//! - [`policy`]: read the loaded policy (orgs, groups, users, roles, limits, steps);
//! - [`access`]: who gets what, and why (effective access explained);
//! - [`diff`]: what a change to the policy does to effective access;
//! - [`diagram`]: the rollout and the groups as plain-data graphs;
//! - [`baseline`]: which findings are new (baselines, comparisons);
//! - [`config`]: `cowork-policy.toml`, which rules run and how loud;
//! - [`import`]: the groups an identity provider really has, read from its own exports;
//! - [`live`]: the live org, as a snapshot `cowork-policy pull` wrote or an admin bot built;
//! - [`managed`]: the desktop app's managed settings, compiled from the policy or checked;
//! - [`render`]: a report as text for a terminal, JSON, SARIF, JUnit, Markdown and more.
//!
//! The data flow is `load` → `model` → `graph` → effective access → `rules` → [`Report`] →
//! `render`; `ARCHITECTURE.md` in the repository draws it and the floors the modules form.
#![deny(missing_docs)]

pub mod access;
pub mod baseline;
mod check;
pub mod config;
mod confined;
mod desktop;
mod diagnostic;
pub mod diagram;
pub mod diff;
mod drift;
mod effective;
mod error;
mod fingerprint;
mod graph;
pub mod import;
pub mod live;
#[allow(
    clippy::result_large_err,
    reason = "a load error carries up to two locations; it is built once, on the cold path"
)]
mod load;
pub mod managed;
mod model;
mod order;
pub mod policy;
mod profile;
pub mod render;
mod rules;
mod schema;
mod suggest;
#[cfg(feature = "synth")]
pub mod synth;
mod waiver;

pub use check::{CheckOptions, check, check_with};
pub use diagnostic::{Finding, PlatformInfo, Related, Report, Severity, Waived, Waiver};
pub use drift::{drift, drift_org, drift_with};
pub use error::{LoadError, LoadErrors};
pub use load::{MAX_FILE_BYTES, load_dir, load_reader, load_sources, schema};
pub use model::{Date, Location, Policy};
pub use profile::Profile;
pub use rules::{Area, Rule};

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
/// `docs/drift.md`'s Rust example, compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/drift.md")]
struct DriftDocDoctests;
/// `docs/diff.md`'s Rust example, run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/diff.md")]
struct DiffDocDoctests;
/// `docs/graph.md`'s Rust example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/graph.md")]
struct GraphDocDoctests;

/// Load the policy files under `path` that the config's `include` and `exclude` patterns let
/// through (relative to the config file's folder, else to `path`). Excluded files are neither
/// read nor listed as skipped. A file given by path is read whatever the patterns say.
///
/// Paths in locations are relative to `path`, as with [`load_dir`].
pub fn load_dir_with(
    path: impl AsRef<std::path::Path>,
    config: &config::Config,
) -> Result<Policy, LoadErrors> {
    load::load_filtered(path.as_ref(), config.filter())
}

/// Every rule, in code order.
pub fn rules() -> impl ExactSizeIterator<Item = &'static Rule> {
    rules::all().iter().copied()
}

/// The rule with this code (`IDP001`) or name (`nested-idp-group`), in any case.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    rules::find(code_or_name)
}
