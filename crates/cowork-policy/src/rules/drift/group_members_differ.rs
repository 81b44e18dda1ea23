declare_rule! {
    /// ## What it flags
    ///
    /// A group whose live members (`rbac_group_members`) are not the members the policy gives
    /// it: members the policy lists who are missing live, and live members the policy does not
    /// list.
    ///
    /// For a group that nests others, the members of the nested groups count only where the
    /// platform profile's `nestedGroupsSync` names the group's identity provider (and the group
    /// is synced by SCIM); by default only direct members sync, so a nested member found live
    /// is one the policy does not expect.
    ///
    /// ## Why it matters
    ///
    /// Roles and spend limits follow the live group. A member missing from it lacks what the
    /// policy grants them; an extra member holds what the policy's effective access says they
    /// do not, and `cowork-policy access` answers for a group that is not the real one.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     scim: true
    ///     members: [ana@acme.com, bo@acme.com]
    /// ```
    ///
    /// The snapshot's `rbac_group_members/00001.json` lists `ana@acme.com` and `eve@acme.com`
    /// for `engineering`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     scim: true
    ///     members: [ana@acme.com, eve@acme.com]
    /// ```
    ///
    /// Or change the group in the identity provider (a SCIM group) or the console (a direct
    /// one) until it holds the policy's members.
    pub(crate) static RULE = {
        code: "DRIFT012",
        name: "group-members-differ",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
