use crate::model::Kind;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// A role or spend limit whose `groups:` lists a user's email instead of a group.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Create IdP groups before configuring RBAC — RBAC references groups,
    /// not individual users." A per-user assignment has nowhere to go in Claude: the user gets
    /// neither the role nor the limit.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [chat]
    ///     groups: [ana@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: cowork-pilot
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [chat]
    ///     groups: [cowork-pilot]
    /// ```
    pub(crate) static RULE = {
        code: "IDP004",
        name: "role-assigned-to-user",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for assignment in &cx.policy.user_assignments {
        let email = &assignment.email.value;
        let takes = if assignment.kind == Kind::Limit {
            "spend limits apply to groups"
        } else {
            "RBAC takes groups"
        };
        out.push(
            Draft::new(
                &RULE,
                assignment.email.span,
                format!(
                    "{} is assigned to user `{email}`: {takes}, not individual users",
                    assignment.owner
                ),
            )
            .label("a user, not a group")
            .help(format!(
                "put `{email}` in a group (one the IdP syncs) and list that group here"
            )),
        );
    }
}
