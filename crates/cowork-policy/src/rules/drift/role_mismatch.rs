declare_rule! {
    /// ## What it flags
    ///
    /// A custom role whose live permissions (`rbac_role_permissions`) grant other entitlements
    /// than the role's `entitlements` (naming those missing live, those extra, and both sides),
    /// a role of the policy with no live role of its name once the org's `rbac` is past `off`,
    /// and a group whose live roles (`role_ids` in `rbac_groups.json`) are not the roles the
    /// policy puts on it.
    ///
    /// Live actions are read by the dated table `live::ROLE_ACTIONS`: `chat`, `claude_code`,
    /// and the blanket `capability_access_all` (every product feature). Cowork's own action
    /// and `capability_access_all_ga` are documented nowhere, so a role that holds an action
    /// the table does not know is not said to lack an entitlement the table has no action
    /// for.
    ///
    /// ## Why it matters
    ///
    /// Roles are edited in the console, never through the API, so a change made there reaches
    /// nobody's review. Once members are on custom roles, a role is all they have: "When a
    /// member's role is set to Custom roles, they have no default capabilities or
    /// permissions". A role that lost `claude_code` stops a team's work; one that gained a
    /// blanket grant gives features the rollout meant to gate, and the policy's access checks
    /// describe an org that no longer exists.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     rbac: configured
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: developer
    ///     entitlements: [chat, claude-code]
    ///     groups: [engineering]
    /// ```
    ///
    /// The snapshot's `rbac_role_permissions/00001.json` gives the live role `developer` only
    /// the action `chat`.
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     rbac: configured
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: developer
    ///     entitlements: [chat]
    ///     groups: [engineering]
    /// ```
    ///
    /// Or give the role Claude Code again in the console, so it grants what the policy says.
    pub(crate) static RULE = {
        code: "DRIFT013",
        name: "role-mismatch",
        area: Drift,
        severity: Warning,
        stage: Drift,
    };
}
