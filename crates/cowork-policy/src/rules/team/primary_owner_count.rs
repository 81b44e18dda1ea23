use crate::diagnostic::list_names;
use crate::model::{OrgId, Span, UserId, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// An org whose rollout team does not name exactly one Primary Owner: the `team` section
    /// that applies to it lists no one, or two or more people, in `primaryOwners`; or no `team`
    /// section applies to it at all while the rollout has reached `planning` (that step, or any
    /// step after it, is in progress or done). A team section shared by several orgs is reported
    /// once, naming them.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide's first step is "Assemble your rollout team": "Identify who you need
    /// before you start. Later steps stall if these people aren't looped in early." Its first
    /// name is the "Primary Owner (one per org; confirm who holds it)". The platform has exactly
    /// one Primary Owner per org, and only that person can do some things (such as enable the
    /// Analytics API and create its keys). No name means nobody has confirmed who holds the role;
    /// two names mean someone believes they hold it and does not.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   primaryOwners: [ana@acme.com, bo@acme.com]
    ///   idpAdmins: [carl@acme.com]
    ///   dnsAdmins: [carl@acme.com]
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
    /// ```
    pub(crate) static RULE = {
        code: "TEAM001",
        name: "primary-owner-count",
        area: Team,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, team) in policy.teams.iter().enumerate() {
        let orgs = orgs_of(policy, &policy.teams, &policy.teams[index]);
        if orgs.is_empty() {
            continue;
        }
        let scope = orgs_phrase(policy, &orgs);
        // Distinct people, each at its first mention.
        let mut owners: Vec<(UserId, Span)> = Vec::new();
        for owner in &team.primary_owners {
            if !owners.iter().any(|&(u, _)| u == owner.value) {
                owners.push((owner.value, owner.span));
            }
        }
        match owners.as_slice() {
            [_] => {}
            [] => out.push(
                Draft::new(
                    &RULE,
                    team.span,
                    format!("the rollout team of {scope} names no Primary Owner"),
                )
                .label("no `primaryOwners` in this team")
                .help(if orgs.len() == 1 {
                    "confirm who holds the org's Primary Owner role and add them to `primaryOwners`"
                } else {
                    "confirm who holds the Primary Owner role of each org and add them to `primaryOwners`, with a `team` section per org if they differ"
                }),
            ),
            [(_, first), rest @ ..] => {
                let emails: Vec<&str> = owners
                    .iter()
                    .map(|&(u, _)| policy.user(u).email.as_str())
                    .collect();
                let mut draft = Draft::new(
                    &RULE,
                    rest[0].1,
                    format!(
                        "the rollout team of {scope} names {} Primary Owners ({}); there is exactly one per org",
                        owners.len(),
                        list_names(&emails, 3)
                    ),
                )
                .label("a second Primary Owner")
                .related(*first, "first Primary Owner named here")
                .help(if orgs.len() == 1 {
                    "confirm who holds the org's Primary Owner role, keep only them in `primaryOwners`, and name the others in another role"
                } else {
                    "confirm who holds the Primary Owner role of each org; if they differ, give each org its own `team` section with `org:` and one Primary Owner"
                });
                for &(_, span) in rest.iter().skip(1).take(2) {
                    draft = draft.related(span, "another Primary Owner named here");
                }
                out.push(draft);
            }
        }
    }
    // Orgs with no team whose rollout has reached `planning`, each with where it shows.
    let reached: Vec<(OrgId, (Span, String))> = policy
        .org_ids()
        .filter(|&org| for_org(&policy.teams, org).is_none())
        .filter_map(|org| cx.reached_at(Some(org), "planning").map(|at| (org, at)))
        .collect();
    let without: Vec<OrgId> = reached.iter().map(|&(org, _)| org).collect();
    let Some((_, evidence)) = reached.into_iter().next() else {
        return;
    };
    let scope = orgs_phrase(policy, &without);
    out.push(
        Draft::new(
            &RULE,
            evidence.0,
            format!(
                "no rollout team names a Primary Owner for {scope}; the rollout has reached `planning`"
            ),
        )
        .label(evidence.1)
        .help(match without.as_slice() {
            _ if policy.teams.is_empty() => "add a `team` section with the one person who holds the Primary Owner role in `primaryOwners`, and the DNS and IdP admins".to_string(),
            [org] => format!(
                "add a `team` section with `org: {}` and the one person who holds its Primary Owner role in `primaryOwners`",
                policy.org(*org).name.value
            ),
            _ => "add a `team` section with `org:` for each of these orgs, or one without `org:` for every org that has none, with the one person who holds the Primary Owner role in `primaryOwners`".to_string(),
        }),
    );
}
