declare_rule! {
    /// ## What it flags
    ///
    /// A group whose live `source_type` (`scim` or `direct`) contradicts the policy's `scim`
    /// flag for it.
    ///
    /// ## Why it matters
    ///
    /// A group the policy takes for synced but that was created in Claude (`direct`) does not
    /// follow the directory: joiners are not added and leavers keep their roles. A group the
    /// policy takes for hand-made but that SCIM owns cannot be renamed or have its members
    /// changed in Claude, and the seat count the policy checks leaves its members out.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     scim: true
    ///     members: [ana@acme.com]
    /// ```
    ///
    /// The snapshot's `rbac_groups.json` has `engineering` with `source_type` `direct`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     scim: false
    ///     members: [ana@acme.com]
    /// ```
    ///
    /// Or delete the hand-made group and let the identity provider push its own.
    pub(crate) static RULE = {
        code: "DRIFT006",
        name: "group-source-mismatch",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
