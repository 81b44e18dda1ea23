use crate::diagnostic::{list_names, plural};
use crate::model::Billing;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An org whose SCIM target (the distinct direct members of its SCIM-synced groups) is
    /// larger than its seat count. Says by how many, on seat and consumption billing alike.
    /// Where the platform profile says an identity provider's nested groups sync
    /// (`nestedGroupsSync`), the users nested groups pass on count too, as they do for access.
    ///
    /// What the policy does not record is unknown, not off (see "Settings not recorded" in
    /// docs/format.md), so the rule also flags:
    ///
    /// - an org that SCIM provisions (its SCIM target is not empty, or it provisions by SCIM
    ///   and has groups that may sync) whose `seats` is not recorded, at the org's name;
    /// - an org that provisions by SCIM (`provisioning: scim`, or, with `provisioning` left out,
    ///   an identity provider with `scim: true`) whose groups that leave `scim` out would, if
    ///   SCIM syncs them, take the target past the seats. The message names those groups:
    ///   record `scim: true` or `scim: false` on each. A group's `scim` left out is not counted
    ///   as synced, nor as not synced.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Confirm that your seat allocation covers everyone you intend to
    /// provision via SCIM. Even on consumption-based billing, seat count gates provisioning — if
    /// SCIM tries to provision more users than you have seats, provisioning silently fails with
    /// no error."
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 2
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com, bo@acme.com, cy@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 3
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com, bo@acme.com, cy@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "SEAT001",
        name: "seats-below-scim-target",
        area: Seats,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        let scim = &cx.access.scim[org.index()];
        let target = scim.users;
        // Counting the groups that do not record `scim`, in an org that provisions by SCIM.
        let upper = target + scim.unrecorded_users;
        let consumption = o.billing.is_some_and(|b| b.value == Billing::Consumption);
        let unrecorded_names = || -> Vec<&str> {
            scim.unrecorded_groups
                .iter()
                .map(|&(g, _)| policy.group(g).name.value.as_str())
                .collect()
        };
        let Some(seats) = o.seats else {
            if upper == 0 {
                continue;
            }
            let mut help = format!(
                "record org `{}`'s `seats`: SCIM fails silently for everyone past the last seat",
                o.name.value
            );
            if consumption {
                help.push_str(", even on consumption billing");
            }
            let (count, how) = if target > 0 {
                (target, "would provision")
            } else {
                (upper, "may provision")
            };
            let mut draft = Draft::new(
                &RULE,
                o.name.span,
                format!(
                    "org `{}` {how} {} by SCIM, but its seat count is not recorded",
                    o.name.value,
                    plural(count, "user"),
                ),
            )
            .label("no `seats`")
            .help(help);
            for &(group, size) in scim.groups.iter().take(3) {
                let g = policy.group(group);
                draft = draft.related(
                    g.scim.map_or(g.name.span, |s| s.span),
                    format!("`{}` syncs {}", g.name.value, plural(size, "user")),
                );
            }
            if let Some(billing) = o.billing.filter(|_| consumption) {
                draft = draft.related(
                    billing.span,
                    "seats gate provisioning on consumption billing too",
                );
            }
            out.push(draft);
            continue;
        };
        if (target as u64) <= seats.value {
            if (upper as u64) <= seats.value {
                continue;
            }
            // Over only if groups that do not say whether SCIM syncs them do.
            let over = upper as u64 - seats.value;
            let names = unrecorded_names();
            let mut draft = Draft::new(
                &RULE,
                seats.span,
                format!(
                    "org `{}` provisions by SCIM and {} {} not record `scim` ({}): if {}, SCIM would provision {} for {} ({over} over)",
                    o.name.value,
                    plural(names.len(), "group"),
                    if names.len() == 1 { "does" } else { "do" },
                    list_names(&names, 3),
                    if names.len() == 1 { "it syncs" } else { "they sync" },
                    plural(upper, "user"),
                    plural(seats.value as usize, "seat"),
                ),
            )
            .label(format!(
                "{} for up to {}",
                plural(seats.value as usize, "seat"),
                plural(upper, "user")
            ))
            .help(format!(
                "record `scim: true` or `scim: false` on {}, and add seats if they sync: SCIM fails silently for everyone past the last seat",
                if names.len() == 1 { "this group" } else { "these groups" }
            ));
            for &(group, size) in scim.unrecorded_groups.iter().take(3) {
                let g = policy.group(group);
                draft = draft.related(
                    g.name.span,
                    format!(
                        "`{}` ({}) does not record `scim`",
                        g.name.value,
                        plural(size, "user")
                    ),
                );
            }
            out.push(draft);
            continue;
        }
        let over = target as u64 - seats.value;
        let mut help = format!(
            "add at least {} or take users out of SCIM-synced groups: SCIM fails silently for everyone past the last seat",
            plural(over as usize, "seat")
        );
        if consumption {
            help.push_str(", even on consumption billing");
        }
        let mut draft = Draft::new(
            &RULE,
            seats.span,
            format!(
                "org `{}` would provision {} by SCIM but has {} ({over} over)",
                o.name.value,
                plural(target, "user"),
                plural(seats.value as usize, "seat")
            ),
        )
        .label(format!(
            "{} for {}",
            plural(seats.value as usize, "seat"),
            plural(target, "user")
        ))
        .help(help);
        for &(group, size) in scim.groups.iter().take(3) {
            let g = policy.group(group);
            draft = draft.related(
                g.scim.map_or(g.name.span, |s| s.span),
                format!("`{}` syncs {}", g.name.value, plural(size, "user")),
            );
        }
        out.push(draft);
    }
}
