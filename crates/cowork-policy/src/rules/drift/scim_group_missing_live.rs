declare_rule! {
    /// ## What it flags
    ///
    /// A group the policy says SCIM syncs (`scim: true`) that the live org has no RBAC group of
    /// that name for.
    ///
    /// ## Why it matters
    ///
    /// Roles and spend limits are attached to the live group. When the identity provider does
    /// not push the group (it is not assigned to the app, or it was renamed), its members get
    /// none of the roles and limits the policy gives them, and the policy's checks of that
    /// group describe nothing real.
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
    /// The snapshot's `rbac_groups.json` has no group named `engineering`.
    ///
    /// ## Instead
    ///
    /// Assign `engineering` to the app in the identity provider and push it, or, if it was
    /// renamed there, rename it in the policy:
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: eng
    ///     scim: true
    ///     members: [ana@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "DRIFT004",
        name: "scim-group-missing-live",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
