declare_rule! {
    /// ## What it flags
    ///
    /// Members whose live effective monthly spend limit differs from the one the policy computes
    /// for them (the most restrictive limit of their groups, else the org's
    /// `defaultSpendLimit`), grouped by the policy line that sets the policy's amount.
    ///
    /// ## Why it matters
    ///
    /// A limit edited by hand in the console, a per-user override, a group the policy does not
    /// know, or a seat-tier default all change what a member may spend without reaching git.
    /// The policy's limit checks and `cowork-policy access` then describe amounts nobody is
    /// held to: a budget meant as a cap is not one, or a member is stopped short.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// spendLimits:
    ///   - name: engineering
    ///     amount: 150
    ///     groups: [engineering]
    /// ```
    ///
    /// The snapshot's `effective_spend_limits.json` gives `ana@acme.com` `"amount": "20000"`
    /// (200.00) from a `user` override.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// spendLimits:
    ///   - name: engineering
    ///     amount: 200
    ///     groups: [engineering]
    /// ```
    ///
    /// Or remove the override in the console, so the group's limit applies again.
    pub(crate) static RULE = {
        code: "DRIFT009",
        name: "effective-limit-mismatch",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
