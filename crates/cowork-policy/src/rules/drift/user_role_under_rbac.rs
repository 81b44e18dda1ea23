declare_rule! {
    /// ## What it flags
    ///
    /// Members of the live org still on the `user` role while the policy records RBAC as
    /// `enforced` for the org.
    ///
    /// ## Why it matters
    ///
    /// Custom roles govern only members on the `managed` role. A member left on `user` keeps
    /// everything the org enables, whatever the roles of their groups withhold, so enforcement
    /// the policy counts on does not reach them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: enforced
    /// ```
    ///
    /// The snapshot's `users.json` lists `bo@acme.com` with the role `user`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// ```
    ///
    /// Until every member is migrated to `managed`; then record `enforced` again.
    pub(crate) static RULE = {
        code: "DRIFT008",
        name: "user-role-under-rbac",
        area: Drift,
        severity: Error,
        stage: Drift,
    };
}
