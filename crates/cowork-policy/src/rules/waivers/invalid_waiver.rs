declare_rule! {
    /// ## What it flags
    ///
    /// A waiver that cannot be applied: it gives no reason, its `until` date is not a date, it
    /// names a rule that does not exist or a rule that may not be waived (`IDP005`, `RBAC001` and
    /// `SEAT001` unless the config says otherwise), it is an inline comment where the config
    /// forbids them (`[waivers] inline = false`), or the comment cannot be read. Such a waiver
    /// waives nothing: the finding it names stays active.
    ///
    /// ## Why it matters
    ///
    /// A waiver is a decision someone answers for: accepting a known problem, for a reason, until
    /// a date. One that cannot be read as such must not silence anything, so it fails closed: the
    /// finding fires as if the waiver were not there, and this error says why. Lockouts (SSO
    /// enforced before users can sign in, RBAC enforced before roles grant anything) and users
    /// SCIM cannot provision are not accepted risks but broken rollouts, so by default no waiver
    /// hides them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 3 # cowork-policy: allow SEAT002 until=2027-01-31
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
    ///     seats: 3 # cowork-policy: allow SEAT002 reason="ten seats ordered in IT-1234" until=2027-01-31
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com, bo@acme.com, cy@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "WAIVE001",
        name: "invalid-waiver",
        area: Waivers,
        severity: Error,
        stage: Waivers,
    };
}
