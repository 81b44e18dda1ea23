use crate::diagnostic::plural;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An org whose SCIM target is above 90% of its seats but still within them.
    ///
    /// 90% is the default threshold; set another in the config with
    /// `[rules.seat-headroom] threshold-percent`.
    ///
    /// ## Why it matters
    ///
    /// Provisioning past the last seat "silently fails with no error" (the rollout guide). With
    /// little headroom, the next hires or the next group added to SCIM are the ones who silently
    /// never get an account.
    ///
    /// ## Example
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
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 10
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com, bo@acme.com, cy@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "SEAT002",
        name: "seat-headroom",
        area: Seats,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(seats) = o.seats.filter(|s| s.value > 0) else {
            continue;
        };
        // The share of seats above which the SCIM target leaves too little room, in percent.
        let threshold = cx.options.seat_headroom_percent;
        let target = cx.access.scim[org.index()].users as u64;
        if target > seats.value || target * 100 <= seats.value * threshold {
            continue;
        }
        let permille = target * 1000 / seats.value;
        let percent = if permille.is_multiple_of(10) {
            format!("{}", permille / 10)
        } else {
            format!("{}.{}", permille / 10, permille % 10)
        };
        out.push(
            Draft::new(
                &RULE,
                seats.span,
                format!(
                    "org `{}` would provision {} by SCIM, {percent}% of its {} ({} left)",
                    o.name.value,
                    plural(target as usize, "user"),
                    plural(seats.value as usize, "seat"),
                    seats.value - target
                ),
            )
            .label(format!("over {threshold}% used"))
            .help("add seats before the next hires or groups reach SCIM: provisioning past the last seat fails silently"),
        );
    }
}
