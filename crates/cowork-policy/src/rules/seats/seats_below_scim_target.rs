use crate::diagnostic::{Draft, plural};
use crate::model::Billing;
use crate::rules::Context;

declare_rule! {
    /// ## What it flags
    ///
    /// An org whose SCIM target (the distinct direct members of its SCIM-synced groups) is
    /// larger than its seat count. Says by how many, on seat and consumption billing alike.
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
        let Some(seats) = o.seats else { continue };
        let scim = &cx.access.scim[org.index()];
        let (target, groups) = (scim.users, &scim.groups);
        if (target as u64) <= seats.value {
            continue;
        }
        let over = target as u64 - seats.value;
        let mut help = format!(
            "add at least {} or take users out of SCIM-synced groups: SCIM fails silently for everyone past the last seat",
            plural(over as usize, "seat")
        );
        if o.billing.is_some_and(|b| b.value == Billing::Consumption) {
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
        for &(group, size) in groups.iter().take(3) {
            let g = policy.group(group);
            draft = draft.related(
                g.scim.map_or(g.name.span, |s| s.span),
                format!("`{}` syncs {}", g.name.value, plural(size, "user")),
            );
        }
        out.push(draft);
    }
}
