declare_rule! {
    /// ## What it flags
    ///
    /// A live org with more RBAC groups than the platform profile's limit of groups per
    /// organization (`group_limit`).
    ///
    /// ## Why it matters
    ///
    /// Past the limit, the next group the identity provider pushes or an admin creates is
    /// refused, so a new team gets none of its roles or spend limits. The policy's own count
    /// (IDP007) sees only the groups it lists; hand-made and stray SCIM groups count too.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// ```
    ///
    /// The snapshot's `rbac_groups.json` lists 101 groups.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// ```
    ///
    /// With the groups nobody uses deleted, and teams that share roles and limits in one group.
    pub(crate) static RULE = {
        code: "DRIFT011",
        name: "live-group-limit",
        area: Drift,
        severity: Error,
        stage: Drift,
    };
}
