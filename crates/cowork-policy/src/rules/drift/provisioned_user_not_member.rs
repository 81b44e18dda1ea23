declare_rule! {
    /// ## What it flags
    ///
    /// A user whom a SCIM-synced group of the policy holds, in an org that provisions by SCIM,
    /// but who is not a member of the live org.
    ///
    /// ## Why it matters
    ///
    /// SCIM was meant to provision them. When it did not, the user is missing from the IdP
    /// group, the group is not assigned to the app, SCIM stopped at the last seat, or the push
    /// failed: in every case the user cannot sign in, and nothing tells the rollout team.
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
    ///     members: [ana@acme.com, bo@acme.com]
    /// ```
    ///
    /// The snapshot's `users.json` lists `ana@acme.com` only.
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
    ///     members: [ana@acme.com]
    /// ```
    ///
    /// Or find out why the identity provider did not push `bo@acme.com`, and push them.
    pub(crate) static RULE = {
        code: "DRIFT002",
        name: "provisioned-user-not-member",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
