declare_rule! {
    /// ## What it flags
    ///
    /// A managed file, checked against the policy, that leaves out a setting the policy decides
    /// or writes it otherwise: egress hosts the policy does not allow or that the file lacks,
    /// other workspace folders, another OTEL endpoint, extensions enabled where the policy's
    /// allowlist is empty.
    ///
    /// ## Why it matters
    ///
    /// The policy is what the checker reasons about; the file is what every laptop gets. When
    /// they differ, every finding about the policy's egress allowlist or OpenTelemetry export is
    /// about a rollout that does not exist. `cowork-policy managed-settings` compiles the file
    /// from the policy, so the two agree by construction; a file edited by hand drifts.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// security:
    ///   egressAllowlist: [github.com]
    /// ```
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "coworkEgressAllowedHosts"="[\"github.com\",\"pastebin.com\"]"
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// security:
    ///   egressAllowlist: [github.com]
    /// ```
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "coworkEgressAllowedHosts"="[\"github.com\"]"
    /// ```
    pub(crate) static RULE = {
        code: "MDM008",
        name: "differs-from-policy",
        area: Managed,
        severity: Error,
        stage: Managed,
    };
}
