declare_rule! {
    /// ## What it flags
    ///
    /// An org setting in force live that contradicts the state the policy records.
    ///
    /// The settings of the Compliance API compared: "Require SSO" (`sso_claude_ai_enforced`)
    /// against the identity provider's `sso`; directory sync (`directory_sync_enabled`)
    /// against its `scim`; the provisioning mode (`sso_provisioning_mode`) against the org's
    /// `provisioning`; Skills (`skills_enabled`) against the org's `skillsEnabled`; and, where
    /// the policy has an `extensionAllowlist`, the desktop extension allowlist turned off
    /// (`desktop_extension_allowlist_enabled`). Each is compared only where the policy records it and the Compliance API lists it (it
    /// lists no Cowork egress hosts and no mount controls, so those are not compared).
    ///
    /// ## Why it matters
    ///
    /// The order rules judge the rollout by the states the policy records: SSO enforced only
    /// after groups and roles are tested, SCIM before the seats run out. When the console says
    /// otherwise, those checks passed on an org that does not exist: SSO enforced early locks out
    /// everyone not yet provisioned, and a provisioning mode other than the policy's lets
    /// people in (or keeps them out) by a path nobody reviewed.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: okta
    ///     kind: okta
    ///     sso: tested
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     provisioning: scim
    /// ```
    ///
    /// The snapshot's `compliance_settings/00001.json` has `sso_claude_ai_enforced` `true`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: okta
    ///     kind: okta
    ///     sso: enforced
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     provisioning: scim
    /// ```
    ///
    /// Once the order rules pass with it; else turn "Require SSO" off until they do.
    pub(crate) static RULE = {
        code: "DRIFT010",
        name: "org-setting-mismatch",
        area: Drift,
        severity: Error,
        stage: Drift,
    };
}
