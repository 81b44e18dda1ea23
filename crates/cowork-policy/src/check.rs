//! `check`: the pipeline from a loaded policy to a [`Report`]. Build the graph and the access
//! table once, run every rule the config selects, give the findings the config's severities,
//! turn spans into locations, let waivers accept findings, and sort.

use crate::config::{self, Config};
use crate::diagnostic::{Finding, PlatformInfo, Related, Report};
use crate::effective::Access;
use crate::graph::Graph;
use crate::model::{Date, Policy};
use crate::profile::{self, Facts, Profile};
use crate::rules::{self, Rule};
use crate::waiver;

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
    /// The platform facts to check `policy` with: the profile these options name, else the
    /// config's, else the policy's own, then the policy's overrides of single facts.
    pub(crate) fn facts(&self, policy: &Policy) -> Facts {
        profile::resolve(
            &policy.platform,
            self.profile.as_ref().or(self.config.profile()),
        )
    }

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
    let facts = options.facts(policy);
    let graph = Graph::build(policy);
    let access = Access::build(policy, &facts);
    let today = options.today.unwrap_or_else(Date::today);
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
        .map(|draft| {
            let verdict = verdict(draft.rule);
            finding(policy, draft, verdict)
        })
        .collect();
    // The managed-settings files the policy carries, checked by the managed stage's rules.
    let mut findings = findings;
    findings.extend(
        crate::managed::carried_findings(policy)
            .into_iter()
            .filter_map(|mut finding| {
                let rule = rules::find(finding.code)?;
                match verdict(rule) {
                    config::Verdict::Off => None,
                    config::Verdict::Severity(severity) => {
                        finding.severity = severity;
                        Some(finding)
                    }
                    _ => Some(finding),
                }
            }),
    );
    let (mut findings, mut waived) = waiver::apply(policy, config, today, findings);
    findings.sort_by(report_order);
    waived.sort_by(|a, b| report_order(&a.finding, &b.finding));
    Report {
        findings,
        waived,
        files: policy.policy_file_count(),
        skipped_files: policy.skipped.clone(),
        platform: platform_info(policy, &facts),
    }
}

/// A rule's draft as a finding of `policy`: its spans located, at the severity the config's
/// verdict gives it.
pub(crate) fn finding(policy: &Policy, draft: rules::Draft, verdict: config::Verdict) -> Finding {
    Finding {
        code: draft.rule.code,
        name: draft.rule.name,
        severity: match verdict {
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
    }
}

/// The order of a report's findings: by location, code, message.
pub(crate) fn report_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message))
}

/// The platform facts a report says it assumed.
pub(crate) fn platform_info(policy: &Policy, facts: &Facts) -> PlatformInfo {
    PlatformInfo {
        profile: facts.profile.to_string(),
        date: facts.date.to_string(),
        overrides: policy
            .platform
            .overridden()
            .into_iter()
            .map(String::from)
            .collect(),
        overrides_checked_on: policy.platform.checked_on.map(|d| d.value.to_string()),
    }
}
