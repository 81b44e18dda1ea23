declare_rule! {
    /// ## What it flags
    ///
    /// A member of the live org whom no SCIM-synced group of the policy holds, in an org that
    /// provisions by SCIM: someone added by hand in the admin console, by an invite, or left
    /// behind by a group the policy no longer syncs.
    ///
    /// ## Why it matters
    ///
    /// The policy is meant to say who is in the org. A member it does not know holds a seat,
    /// gets no synced group's roles and limits, and is not removed when they leave the
    /// directory's groups, since no group the identity provider manages holds them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     provisioning: scim
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com]
    /// ```
    ///
    /// The snapshot's `users.json` lists `ana@acme.com` and `eve@acme.com`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     provisioning: scim
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com, eve@acme.com]
    /// ```
    ///
    /// Or remove `eve@acme.com` from the org.
    pub(crate) static RULE = {
        code: "DRIFT001",
        name: "member-not-provisioned",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
