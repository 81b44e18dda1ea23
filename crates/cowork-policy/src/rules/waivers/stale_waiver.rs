declare_rule! {
    /// ## What it flags
    ///
    /// A waiver that matches no finding: the rule no longer fires on that line or entity, the
    /// entity was renamed, or the config turns the rule off.
    ///
    /// ## Why it matters
    ///
    /// A stale waiver accepts nothing today, but it will silently accept the next finding of
    /// that rule on that line or entity, which nobody has reviewed. Removing it keeps every
    /// waiver a decision about a problem that exists.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 10 # cowork-policy: allow SEAT002 reason="ten seats ordered in IT-1234"
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
        code: "WAIVE002",
        name: "stale-waiver",
        area: Waivers,
        severity: Warning,
        stage: Waivers,
    };
}
