declare_rule! {
    /// ## What it flags
    ///
    /// A live org whose members do not include exactly one Primary Owner (`primary_owner`).
    ///
    /// ## Why it matters
    ///
    /// An org has exactly one Primary Owner, and some steps only they can take (enabling the
    /// Analytics API and creating its keys, for one). A snapshot with none, or several, means
    /// the org is not what the rollout assumes: who holds the org's highest role needs a look
    /// before a step waits on them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// ```
    ///
    /// The snapshot's `users.json` lists members with the roles `owner` and `user`, and none
    /// with `primary_owner`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// ```
    ///
    /// With one member on `primary_owner`: make one owner the Primary Owner in the console.
    pub(crate) static RULE = {
        code: "DRIFT007",
        name: "live-primary-owner-count",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
