use crate::model::{Amount, Span};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::limits::attachment;

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `usageCredits: false` where spend limits apply: a limit with an amount on one
    /// of its groups, or a `defaultSpendLimit` with an amount. A limit of `unlimited` sets no
    /// limit and does not count. An org that leaves `usageCredits` out has not recorded whether
    /// credits are on: unknown, not off. Its limits may govern nothing all the same, so it is
    /// flagged too, at the org's name, saying `usageCredits` is not recorded (see "Settings not
    /// recorded" in docs/format.md).
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
        // Off, or not recorded (unknown, not off): either way the limits may govern nothing.
        if o.usage_credits.is_some_and(|c| c.value) {
            continue;
        }
        let credits = o.usage_credits;
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
        let (span, state, label) = match credits {
            Some(c) => (c.span, "has usage credits off", "usage credits off"),
            None => (
                o.name.span,
                "does not record `usageCredits`",
                "`usageCredits` not recorded",
            ),
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "org `{}` {state} but sets spend limits, which need them: {}",
                o.name.value,
                join(&names, 3),
            ),
        )
        .label(label)
        .help(match credits {
            Some(_) => format!(
                "set `usageCredits: true` on org `{}` so its spend limits take effect, or remove the limits",
                o.name.value
            ),
            None => format!(
                "record `usageCredits` on org `{}` (`true` once usage credits are on): its spend limits take effect only with them",
                o.name.value
            ),
        });
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
