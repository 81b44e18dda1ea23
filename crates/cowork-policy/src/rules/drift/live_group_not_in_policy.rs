declare_rule! {
    /// ## What it flags
    ///
    /// RBAC groups of the live org whose names no group of the policy has.
    ///
    /// ## Why it matters
    ///
    /// A group created in the admin console, or pushed by the identity provider without being
    /// written down, can carry roles and spend limits nobody reviewed. The policy's effective
    /// access then misses whatever that group grants its members.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com]
    /// ```
    ///
    /// The snapshot's `rbac_groups.json` lists `everyone` and `contractors`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com]
    ///   - name: contractors
    ///     scim: false
    ///     members: [cy@partner.com]
    /// ```
    ///
    /// Or delete `contractors` in the admin console.
    pub(crate) static RULE = {
        code: "DRIFT005",
        name: "live-group-not-in-policy",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
