use crate::diagnostic::Draft;
use crate::model::{Amount, Span};
use crate::rules::Context;
use crate::rules::limits::attachment;

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `usageCredits: false` where spend limits apply: a limit with an amount on one
    /// of its groups, or a `defaultSpendLimit` with an amount. A limit of `unlimited` sets no
    /// limit and does not count. An org that leaves `usageCredits` out has not said whether
    /// credits are on, so it is not flagged: only an explicit `false` is.
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: spend limits "need usage credits to be turned on for
    /// the organization." With usage credits off, the limits written for the org govern nothing:
    /// the budgets the policy gives its groups exist only on paper.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     usageCredits: false
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// spendLimits:
    ///   - name: pilot-budget
    ///     amount: 150
    ///     groups: [pilot]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     usageCredits: true
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// spendLimits:
    ///   - name: pilot-budget
    ///     amount: 150
    ///     groups: [pilot]
    /// ```
    pub(crate) static RULE = {
        code: "LIMIT003",
        name: "limits-without-usage-credits",
        area: Limits,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(credits) = o.usage_credits.filter(|c| !c.value) else {
            continue;
        };
        // Every limit that applies in the org: how the message names it, where it is attached,
        // and the label there.
        let mut limits: Vec<(String, Span, String)> = Vec::new();
        for limit in policy.limit_ids() {
            let l = policy.limit(limit);
            if l.amount.value == Amount::Unlimited {
                continue;
            }
            if let Some(group) = l
                .groups
                .iter()
                .find(|g| policy.group(g.value).org == Some(org))
            {
                limits.push((
                    format!("`{}` ({})", l.name.value, l.amount.value),
                    attachment(policy, limit, group.value),
                    format!(
                        "`{}` set on `{}` here",
                        l.name.value,
                        policy.group(group.value).name.value
                    ),
                ));
            }
        }
        if let Some(default) = o.default_limit.filter(|d| d.value != Amount::Unlimited) {
            limits.push((
                format!("a default of {}", default.value),
                default.span,
                "default limit set here".to_string(),
            ));
        }
        if limits.is_empty() {
            continue;
        }
        let names: Vec<String> = limits.iter().map(|(name, ..)| name.clone()).collect();
        let mut draft = Draft::new(
            &RULE,
            credits.span,
            format!(
                "org `{}` has usage credits off but sets spend limits, which need them: {}",
                o.name.value,
                join(&names, 3),
            ),
        )
        .label("usage credits off")
        .help(format!(
            "set `usageCredits: true` on org `{}` so its spend limits take effect, or remove the limits",
            o.name.value
        ));
        for (_, span, label) in limits.iter().take(3) {
            draft = draft.related(*span, label.clone());
        }
        out.push(draft);
    }
}

/// Join phrases that carry their own backticks: `a`, `b`, `c` and 2 more.
fn join(items: &[String], few: usize) -> String {
    let shown = &items[..items.len().min(few)];
    let rest = items.len() - shown.len();
    match (shown, rest) {
        ([], _) => String::new(),
        ([only], 0) => only.clone(),
        ([head @ .., last], 0) => format!("{} and {last}", head.join(", ")),
        (_, rest) => format!("{} and {rest} more", shown.join(", ")),
    }
}
