declare_rule! {
    /// ## What it flags
    ///
    /// A waiver in use whose `until` date falls within the next 14 days (the config's
    /// `[waivers] expiring-within-days`). It still waives today.
    ///
    /// ## Why it matters
    ///
    /// The day after its `until` date a waiver stops waiving, and the finding it accepted fails
    /// the check again, often in an unrelated pull request. A note ahead of time gives the owner
    /// the chance to fix the finding or renew the waiver on purpose.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 3 # cowork-policy: allow SEAT002 reason="ten seats ordered in IT-1234" until=2026-12-01
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
    ///     seats: 3 # cowork-policy: allow SEAT002 reason="ten seats ordered in IT-1234" until=2027-03-31
    /// groups:
    ///   - name: everyone
    ///     scim: true
    ///     members: [ana@acme.com, bo@acme.com, cy@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "WAIVE003",
        name: "waiver-expiring",
        area: Waivers,
        severity: Info,
        stage: Waivers,
    };
}
