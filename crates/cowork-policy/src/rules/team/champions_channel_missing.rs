use crate::diagnostic::plural;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A rollout team that names champions but no `championsChannel`: the dedicated channel
    /// where champions share what they learn. A team without champions is left to TEAM003.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, "Identify & Enable Champions": "Create a dedicated communication
    /// channel for champions to share wins, tips, and common questions." Champions "drive peer
    /// adoption across their teams"; without a place to compare notes, each one meets the same
    /// questions alone, and the wins that should spread stay in one department.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   champions:
    ///     - department: finance
    ///       people: [ana.silva@acme.com, ben.okafor@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   championsChannel: "#cowork-champions"
    ///   champions:
    ///     - department: finance
    ///       people: [ana.silva@acme.com, ben.okafor@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "TEAM005",
        name: "champions-channel-missing",
        area: Team,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for team in &policy.teams {
        if team.champions_channel.is_some() {
            continue;
        }
        let Some(first) = team.champions.iter().find(|c| !c.people.is_empty()) else {
            continue;
        };
        let orgs = orgs_of(policy, &policy.teams, team);
        if orgs.is_empty() {
            continue;
        }
        let people: usize = team.champions.iter().map(|c| c.people.len()).sum();
        let departments = team
            .champions
            .iter()
            .filter(|c| !c.people.is_empty())
            .count();
        out.push(
            Draft::new(
                &RULE,
                first.department.span,
                format!(
                    "the {} of {} in {} have no dedicated channel to share wins, tips and common questions",
                    plural(people, "champion"),
                    orgs_phrase(policy, &orgs),
                    plural(departments, "department")
                ),
            )
            .label("champions named here")
            .help("create a channel for the champions, such as `#cowork-champions`, and record it as `championsChannel` in the team"),
        );
    }
}
