declare_rule! {
    /// ## What it flags
    ///
    /// A group whose configured monthly spend limit live (`spend_limits.json`, a limit of
    /// scope `rbac_group`) is not the amount of the policy's limit on it: another amount, a
    /// limit the policy has and the org does not, or a limit the org has and the policy does
    /// not. The API's amounts are minor units written as strings (`"50000"` is 500.00), and
    /// `null` is unlimited, as `amount: unlimited` is in the policy.
    ///
    /// ## Why it matters
    ///
    /// A group's limit is the per-member default of everyone in it, and the most restrictive
    /// of a member's group limits wins. A limit raised by hand in the console lifts the cap of
    /// the whole group without reaching git, and one the policy sets but nobody configured caps
    /// nothing. The effective limit of each member (DRIFT009) shows the outcome; this shows
    /// the setting to change.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     usageCredits: true
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// spendLimits:
    ///   - name: engineering
    ///     amount: 150
    ///     groups: [engineering]
    /// ```
    ///
    /// The snapshot's `spend_limits.json` has `"amount": "50000"` (500.00) for the live group
    /// `engineering`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     usageCredits: true
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// spendLimits:
    ///   - name: engineering
    ///     amount: 500
    ///     groups: [engineering]
    /// ```
    ///
    /// Or set the group's limit back to 150.00 in the console.
    pub(crate) static RULE = {
        code: "DRIFT014",
        name: "group-limit-mismatch",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
