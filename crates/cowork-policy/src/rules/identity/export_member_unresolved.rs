use crate::model::ExportProblemKind;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// A member of an exported group that the export cannot name by email: a member given only
    /// by its id, with no users listing to look it up in and no `display` that is an email; a
    /// member whose type nothing tells (no `type`, `$ref` or `@odata.type`); a nested group the
    /// export does not list; an email attribute whose value is not an email.
    ///
    /// ## Why it matters
    ///
    /// SCIM names group members by id (RFC 7643 section 4.2: `value` is the member's `id`), and
    /// emails live on the Users resources. A member the checker cannot name is left out of
    /// every count: the seats it takes, the access it gets, the nested users it leaves behind.
    /// The finding names the id, so the export can be completed or the member looked up.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     seats: 50
    /// identityProviders:
    ///   - name: okta
    ///     kind: okta
    /// directoryExports:
    ///   - idp: okta
    ///     format: scim
    ///     files: [groups.json]
    ///     assigned: [Sales]
    /// ```
    ///
    /// ```json groups.json
    /// {
    ///   "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    ///   "totalResults": 1,
    ///   "Resources": [
    ///     {
    ///       "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///       "id": "g1",
    ///       "displayName": "Sales",
    ///       "members": [{"value": "2819c223", "type": "User"}]
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// ## Instead
    ///
    /// Export the users too: their `userName` names each member.
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     seats: 50
    /// identityProviders:
    ///   - name: okta
    ///     kind: okta
    /// directoryExports:
    ///   - idp: okta
    ///     format: scim
    ///     files: [groups.json, users.json]
    ///     assigned: [Sales]
    /// ```
    ///
    /// ```json groups.json
    /// {
    ///   "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    ///   "totalResults": 1,
    ///   "Resources": [
    ///     {
    ///       "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///       "id": "g1",
    ///       "displayName": "Sales",
    ///       "members": [{"value": "2819c223", "type": "User"}]
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// ```json users.json
    /// {
    ///   "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    ///   "totalResults": 1,
    ///   "Resources": [
    ///     {
    ///       "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///       "id": "2819c223",
    ///       "userName": "ana@acme.com"
    ///     }
    ///   ]
    /// }
    /// ```
    pub(crate) static RULE = {
        code: "IDP013",
        name: "export-member-unresolved",
        area: Identity,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for problem in &cx.policy.export_problems {
        if problem.kind == ExportProblemKind::Unresolved {
            out.push(
                Draft::new(&RULE, problem.span, problem.message.clone())
                    .label("not counted")
                    .help("export the users as well (docs/idp/), or set `emailAttribute:` to the attribute that holds the email"),
            );
        }
    }
}
