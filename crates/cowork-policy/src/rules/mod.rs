//! The rule registry: one table of every rule, and the driver that runs them.
//!
//! Each rule is one file under `rules/<area>/`, declared with `declare_rule!`. Its doc comment
//! is its documentation: `cowork-policy explain`, `docs/rules.md` and later SARIF all read it
//! from [`Rule::explain`]. Rules do no I/O and cannot fail: they read the model, the graph and
//! the access table, and push findings.

use crate::diagnostic::Severity;
use crate::diagnostic::list_names;
use crate::effective::Access;
use crate::graph::Graph;
use crate::model::rollout::PerOrg;
use crate::model::{Date, OrgId, Policy, Span, StepId, StepStatus, for_org};
use crate::profile::Facts;

/// Declare a rule: its doc comment (sections `## What it flags`, `## Why it matters`,
/// `## Example`, `## Instead`), stable code, kebab-case name, area, default severity and check
/// function, or, for a rule whose findings a later stage of `check` reports, `stage:` and the
/// stage. The doc lines are gathered with `concat!`, as clippy does, so no proc macro is needed.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            area: $area:ident,
            severity: $severity:ident,
            check: $check:path $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            area: $crate::rules::Area::$area,
            severity: $crate::diagnostic::Severity::$severity,
            doc: concat!($($doc, "\n"),*),
            check: $crate::rules::Check::Model($check),
        };
    };
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            area: $area:ident,
            severity: $severity:ident,
            stage: $stage:ident $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            area: $crate::rules::Area::$area,
            severity: $crate::diagnostic::Severity::$severity,
            doc: concat!($($doc, "\n"),*),
            check: $crate::rules::Check::Stage($crate::rules::Stage::$stage),
        };
    };
}

mod connectors;
mod deployment;
mod draft;
pub(crate) mod drift;
mod identity;
mod launch;
mod limits;
pub(crate) mod managed;
mod observability;
mod order;
mod org;
mod platform;
mod plugins;
mod rbac;
mod seats;
mod security;
mod team;
pub(crate) mod waivers;

pub(crate) use draft::Draft;

/// OBS003, which the managed-file checker also reports, on a profile's own egress list.
pub(crate) fn otel_collector_rule() -> &'static Rule {
    &observability::otel_collector_not_allowlisted::RULE
}

/// SEC005, which the managed-file checker also reports (`crate::managed`).
pub(crate) fn plaintext_secret_rule() -> &'static Rule {
    &security::plaintext_secret::RULE
}
pub(crate) use plugins::reach as plugin_reach;

/// What a rule looks at, for grouping in `cowork-policy rules` and in `docs/rules.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Area {
    /// Identity providers, SSO, SCIM and IdP groups.
    Identity,
    /// Seats and SCIM provisioning.
    Seats,
    /// Roles and RBAC.
    Rbac,
    /// Spend limits.
    Limits,
    /// The order of rollout steps.
    Order,
    /// Connectors to data sources.
    Connectors,
    /// Plugins and the plugin marketplace.
    Plugins,
    /// Security controls, network prerequisites and secrets.
    Security,
    /// Desktop deployment.
    Deployment,
    /// OpenTelemetry export.
    Observability,
    /// Org architecture and plans.
    Org,
    /// The rollout team.
    Team,
    /// The launch plan.
    Launch,
    /// The platform profile: whether its facts are current.
    Platform,
    /// The waivers themselves: invalid, stale or expiring.
    Waivers,
    /// The desktop app's managed files (MDM profiles, registry exports).
    Managed,
    /// The live org against the policy: what a snapshot of the org shows that the policy does
    /// not say.
    Drift,
}

impl Area {
    /// The area's heading, such as `identity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Identity => "identity",
            Area::Seats => "seats",
            Area::Rbac => "rbac",
            Area::Limits => "limits",
            Area::Order => "order",
            Area::Connectors => "connectors",
            Area::Plugins => "plugins",
            Area::Security => "security",
            Area::Deployment => "deployment",
            Area::Observability => "observability",
            Area::Org => "org",
            Area::Team => "team",
            Area::Launch => "launch",
            Area::Platform => "platform",
            Area::Waivers => "waivers",
            Area::Managed => "managed",
            Area::Drift => "drift",
        }
    }
}

/// What rules read: the policy, its graph and its effective access, each built once, the
/// platform facts, the day to compare dates against, and the rule options of the config.
pub(crate) struct Context<'a> {
    pub policy: &'a Policy,
    pub graph: &'a Graph,
    pub access: &'a Access,
    pub facts: &'a Facts,
    pub today: Date,
    pub options: &'a RuleOptions,
}

impl Context<'_> {
    /// Whether, and where, the policy shows that the rollout of `org` has reached built-in step
    /// `step`: the org's entry of it, or of a step that needs it, is in progress or done. Rules
    /// that flag something missing wait until the rollout reaches the step that needs it, so a
    /// repo early in its rollout is not told about its launch plan. Steps are per org (see
    /// [`Policy::step_in`]): a region that launches next year has not reached `pilot-launch`
    /// because another region has. `org` is `None` only for a policy that defines no org. The
    /// answer is a span and a label saying so: the step's own status when it is in progress or done, else that of the
    /// nearest started step of the org that needs it (breadth first along "is needed by").
    /// `None` when the org's rollout has not reached it. Absence rules point here when there is
    /// no section to point at.
    pub fn reached_at(&self, org: Option<OrgId>, step: &str) -> Option<(Span, String)> {
        let policy = self.policy;
        let target = policy.step_in(org, step)?;
        // Only the entries this org sees: another org's entry, or a shared one the org replaces
        // with its own, says nothing about this org's rollout.
        let applies = |s: StepId| policy.step_in(org, &policy.step(s).name) == Some(s);
        let mut seen = vec![false; policy.steps.len()];
        let mut queue = std::collections::VecDeque::from([target]);
        while let Some(s) = queue.pop_front() {
            if std::mem::replace(&mut seen[s.index()], true) {
                continue;
            }
            let found = policy.step(s);
            if let Some(status) = found.status {
                let state = match status.value {
                    StepStatus::Done => Some("done"),
                    StepStatus::InProgress => Some("in progress"),
                    StepStatus::Pending | StepStatus::Skipped => None,
                };
                if let Some(state) = state {
                    let name = step_name(policy, s);
                    let label = if s == target {
                        format!("{name} is {state}")
                    } else {
                        format!("{name} is {state}: the rollout is past `{step}`")
                    };
                    return Some((status.span, label));
                }
            }
            queue.extend(
                self.graph
                    .dependents(s)
                    .iter()
                    .copied()
                    .filter(|&next| applies(next)),
            );
        }
        None
    }
}

/// Options that rules read from their [`Context`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleOptions {
    /// SEAT002: warn above this share of seats, in percent.
    pub seat_headroom_percent: u64,
    /// PLAT001: report platform facts last checked more than this many days ago.
    pub platform_max_age_days: u32,
}

/// A step for a message: `` `pilot-launch` ``, or `` `pilot-launch` of org `acme-emea` `` for an
/// org's own entry.
pub(crate) fn step_name(policy: &Policy, step: StepId) -> String {
    let s = policy.step(step);
    match s.org {
        Some(org) => format!("`{}` of org `{}`", s.name, policy.org(org).name.value),
        None => format!("`{}`", s.name),
    }
}

/// The orgs a per-org section applies to (see [`for_org`]): the org it names, else every org
/// without a section of its own. In org order.
pub(crate) fn orgs_of<T: PerOrg>(policy: &Policy, sections: &[T], section: &T) -> Vec<OrgId> {
    policy
        .org_ids()
        .filter(|&org| for_org(sections, org).is_some_and(|s| std::ptr::eq(s, section)))
        .collect()
}

/// `` org `acme` ``, `` orgs `acme-us` and `acme-eu` ``, or `no org`, for a message.
pub(crate) fn orgs_phrase(policy: &Policy, orgs: &[OrgId]) -> String {
    let names: Vec<&str> = orgs
        .iter()
        .map(|&o| policy.org(o).name.value.as_str())
        .collect();
    match names.len() {
        0 => "no org".to_string(),
        1 => format!("org {}", list_names(&names, 1)),
        _ => format!("orgs {}", list_names(&names, 3)),
    }
}

/// A rule: its metadata and documentation. Get them with [`crate::rules()`] or [`crate::rule()`].
#[derive(Debug)]
pub struct Rule {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) area: Area,
    pub(crate) severity: Severity,
    pub(crate) doc: &'static str,
    pub(crate) check: Check,
}

/// How a rule's findings come about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// A function of the model, run with every other rule by [`run`].
    Model(fn(&Context<'_>, &mut Vec<Draft>)),
    /// Reported by a stage of [`crate::check_with`] that runs after the rules: the rule has no
    /// function of its own.
    Stage(Stage),
}

/// A stage of [`crate::check_with`] after the rules, which reports findings of its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Waivers applied to the findings (`crate::waiver`): invalid, stale and expiring waivers.
    Waivers,
    /// A managed file checked by `crate::managed::check_file`, outside `check_with`, and the
    /// managed files a policy carries (Claude Code's `managed-settings.json`), inside it.
    Managed,
    /// The policy compared with a snapshot of the live org by `crate::drift`, outside
    /// `check_with`.
    Drift,
}

impl Rule {
    /// The stable code, such as `IDP001`. Codes are never reused or renumbered.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The kebab-case name, such as `nested-idp-group`. It names the bad pattern.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What the rule looks at.
    pub fn area(&self) -> Area {
        self.area
    }

    /// The default severity.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The rule's documentation in Markdown: the sections `## What it flags`, `## Why it
    /// matters`, `## Example` and `## Instead`.
    pub fn explain(&self) -> String {
        let mut text = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text.trim().to_string()
    }

    /// The first sentence of "What it flags", on one line: what `cowork-policy rules` lists
    /// and SARIF's `shortDescription`. A sentence that introduces a list ends without its colon.
    pub fn summary(&self) -> String {
        let explain = self.explain();
        let body = explain
            .split_once("## What it flags")
            .map_or(explain.as_str(), |(_, rest)| rest);
        let paragraph = body
            .trim_start()
            .split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // A sentence ends at a full stop followed by a capital letter (so not at "e.g. a").
        let end = paragraph
            .match_indices(". ")
            .find(|(i, _)| {
                paragraph[i + 2..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            })
            .map_or(paragraph.len(), |(i, _)| i + 1);
        paragraph[..end].trim_end_matches(':').to_string()
    }
}

/// Every area's rules.
static AREAS: &[&[&Rule]] = &[
    connectors::RULES,
    deployment::RULES,
    drift::RULES,
    identity::RULES,
    launch::RULES,
    limits::RULES,
    managed::RULES,
    observability::RULES,
    order::RULES,
    org::RULES,
    platform::RULES,
    plugins::RULES,
    rbac::RULES,
    seats::RULES,
    security::RULES,
    team::RULES,
    waivers::RULES,
];

/// Every rule, in code order.
pub(crate) fn all() -> &'static [&'static Rule] {
    static SORTED: std::sync::LazyLock<Vec<&'static Rule>> = std::sync::LazyLock::new(|| {
        let mut rules: Vec<&'static Rule> =
            AREAS.iter().flat_map(|area| area.iter().copied()).collect();
        rules.sort_by_key(|rule| rule.code);
        rules
    });
    &SORTED
}

/// The rule with this code (`IDP001`) or name (`nested-idp-group`), in any case.
pub(crate) fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Run every rule of the model that `enabled` lets through. Rules reported by a later stage are
/// left to it.
pub(crate) fn run(context: &Context<'_>, enabled: impl Fn(&Rule) -> bool) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for rule in all() {
        if let Check::Model(check) = rule.check
            && enabled(rule)
        {
            check(context, &mut drafts);
        }
    }
    drafts
}
