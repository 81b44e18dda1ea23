use std::collections::BTreeMap;

use crate::diagnostic::{Severity, list_names, plural};
use crate::model::{At, OrgId, Policy, Span, Team, UserId, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A pilot department of the launch plan (`pilotDepartments`) with fewer than 2 champions
    /// in the rollout team that applies to its org (distinct people in the team's `champions`
    /// entries for that department, whose names are compared ignoring case). More than 3 is
    /// reported too, at severity info. When no `team` section applies at all, one finding names
    /// every pilot department of the launch plan. Champions of a department outside the pilot
    /// are fine.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Select 2–3 champions per department or team", and "identify 2–3 per
    /// department as part of your pilot group. These are the people who will drive peer adoption
    /// in Phase 2." On launch day it asks to "Have champions available in their departments to
    /// help with first-time setup and answer questions", and its pre-launch message tells users
    /// "who their department champion is". A department with one champion has no one when that
    /// person is away; one with many has no clear contact.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   primaryOwners: [ana@acme.com]
    ///   idpAdmins: [carl@acme.com]
    ///   dnsAdmins: [carl@acme.com]
    ///   champions:
    ///     - department: finance
    ///       people: [fay@acme.com]
    /// launch:
    ///   pilotDepartments: [finance]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   primaryOwners: [ana@acme.com]
    ///   idpAdmins: [carl@acme.com]
    ///   dnsAdmins: [carl@acme.com]
    ///   champions:
    ///     - department: finance
    ///       people: [fay@acme.com, gus@acme.com]
    /// launch:
    ///   pilotDepartments: [finance]
    /// ```
    pub(crate) static RULE = {
        code: "TEAM003",
        name: "champions-per-department",
        area: Team,
        severity: Warning,
        check: check,
    };
}

/// Fewer champions than this per pilot department is a warning.
const FEWEST: usize = 2;
/// More champions than this per pilot department is worth knowing.
const MOST: usize = 3;

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, launch) in policy.launches.iter().enumerate() {
        // Each pilot department once, at its first mention.
        let mut departments: Vec<&At<String>> = Vec::new();
        for department in &launch.pilot_departments {
            if !departments
                .iter()
                .any(|d| same(&d.value, &department.value))
            {
                departments.push(department);
            }
        }
        if departments.is_empty() {
            continue;
        }
        // The orgs of this launch plan, by the team that applies to them.
        let mut by_team: BTreeMap<Option<usize>, Vec<OrgId>> = BTreeMap::new();
        for org in orgs_of(policy, &policy.launches, &policy.launches[index]) {
            let team = for_org(&policy.teams, org)
                .and_then(|t| policy.teams.iter().position(|u| std::ptr::eq(t, u)));
            by_team.entry(team).or_default().push(org);
        }
        for (team, orgs) in by_team {
            let scope = orgs_phrase(policy, &orgs);
            let Some(team) = team.map(|t| &policy.teams[t]) else {
                let names: Vec<&str> = departments.iter().map(|d| d.value.as_str()).collect();
                out.push(
                    Draft::new(
                        &RULE,
                        departments[0].span,
                        format!(
                            "{} {} {} no champions: no rollout team applies to {scope}",
                            if names.len() == 1 { "pilot department" } else { "pilot departments" },
                            list_names(&names, 3),
                            if names.len() == 1 { "has" } else { "have" },
                        ),
                    )
                    .label("no rollout team names champions for the pilot")
                    .help("add a `team` section whose `champions` name 2 to 3 people per pilot department"),
                );
                continue;
            };
            for department in &departments {
                if let Some(draft) = department_draft(policy, team, department, &scope) {
                    out.push(draft);
                }
            }
        }
    }
}

/// The finding for one pilot department of a launch plan, checked against one team.
fn department_draft(
    policy: &Policy,
    team: &Team,
    department: &At<String>,
    scope: &str,
) -> Option<Draft> {
    let name = &department.value;
    let entries: Vec<_> = team
        .champions
        .iter()
        .filter(|c| same(&c.department.value, name))
        .collect();
    // Distinct people, each at its first mention.
    let mut people: Vec<(UserId, Span)> = Vec::new();
    for person in entries.iter().flat_map(|c| &c.people) {
        if !people.iter().any(|&(u, _)| u == person.value) {
            people.push((person.value, person.span));
        }
    }
    let emails: Vec<&str> = people
        .iter()
        .map(|&(u, _)| policy.user(u).email.as_str())
        .collect();
    if people.len() > MOST {
        return Some(
            Draft::new(
                &RULE,
                people[MOST].1,
                format!(
                    "pilot department `{name}` has {} ({}) in the rollout team of {scope}, more than the 2 to 3 the guide suggests",
                    plural(people.len(), "champion"),
                    list_names(&emails, 3)
                ),
            )
            .severity(Severity::Info)
            .label(format!("champion number {} for `{name}`", MOST + 1))
            .related(department.span, "pilot department listed here")
            .help(format!(
                "keep 2 to 3 champions per department or team; if `{name}` is large, split it into teams in `pilotDepartments`, each with its own champions"
            )),
        );
    }
    if people.len() >= FEWEST {
        return None;
    }
    let help = format!(
        "name 2 to 3 champions for `{name}` in the team's `champions`: people already experimenting with AI tools, or who volunteered for the pilot"
    );
    let (team_span, team_label) = match team.champions.first() {
        Some(first) => (
            first.department.span,
            format!("champions listed here, none for `{name}`"),
        ),
        None => (team.span, "no `champions` in this rollout team".to_string()),
    };
    Some(match entries.first() {
        Some(entry) => Draft::new(
            &RULE,
            entry.department.span,
            if people.is_empty() {
                format!("pilot department `{name}` has no champions in the rollout team of {scope}")
            } else {
                format!(
                    "pilot department `{name}` has only 1 champion ({}) in the rollout team of {scope}; the guide asks for 2 to 3",
                    list_names(&emails, 3)
                )
            },
        )
        .label(if people.is_empty() {
            format!("no champions for `{name}`")
        } else {
            format!("only 1 champion for `{name}`")
        })
        .related(department.span, "pilot department listed here")
        .help(help),
        None => Draft::new(
            &RULE,
            department.span,
            format!("pilot department `{name}` has no champions in the rollout team of {scope}"),
        )
        .label(format!("no champions for `{name}`"))
        .related(team_span, team_label)
        .help(help),
    })
}

/// Whether two department names are the same, ignoring case and surrounding blanks.
fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
