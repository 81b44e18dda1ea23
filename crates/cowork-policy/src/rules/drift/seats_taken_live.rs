declare_rule! {
    /// ## What it flags
    ///
    /// An org whose live members and pending invites together take more than the `seats` the
    /// policy records.
    ///
    /// ## Why it matters
    ///
    /// A pending invite holds a seat until it is accepted, expires or is deleted. Past the last
    /// seat, SCIM fails silently for everyone it still has to provision and new invites are
    /// refused, while the policy's own seat check, which counts only the synced groups, passes.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 2
    /// ```
    ///
    /// The snapshot's `users.json` lists 2 members and `invites.json` 1 pending invite.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     seats: 3
    /// ```
    ///
    /// Buy the seat and record it, or delete the invites nobody will accept.
    pub(crate) static RULE = {
        code: "DRIFT003",
        name: "seats-taken-live",
        area: Drift,
        severity: Error,
        stage: Drift,
    };
}
