use crate::model::ExportProblemKind;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An identity-provider export named under `directoryExports:` that is missing part of
    /// what it lists: a page that an earlier page says follows (`@odata.nextLink`,
    /// `nextPageToken`), a page number skipped between the files saved, or SCIM pages that do
    /// not cover `totalResults`.
    ///
    /// ## Why it matters
    ///
    /// Every count the checker makes from the export is then short: the members SCIM would
    /// provision against the seats (SEAT001), the users a nested group leaves out (IDP001),
    /// who gets Cowork. A check that passes on half a directory passes by accident. Directory
    /// APIs page their answers (Microsoft Graph by `@odata.nextLink`, Google's Directory API by
    /// `nextPageToken`, Okta by the `Link` header, SCIM by `startIndex` and `totalResults`,
    /// RFC 7644 section 3.4.2.4), and an export script that stops after the first page is
    /// easy to write.
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
    ///   - name: google
    ///     kind: google-workspace
    /// directoryExports:
    ///   - idp: google
    ///     format: google
    ///     files: ["members-*.json"]
    ///     assigned: [sales@acme.com]
    /// ```
    ///
    /// ```json members-sales@acme.com.json
    /// {
    ///   "kind": "admin#directory#members",
    ///   "members": [
    ///     {"email": "ana@acme.com", "role": "MEMBER", "type": "USER", "status": "ACTIVE"}
    ///   ],
    ///   "nextPageToken": "page-2"
    /// }
    /// ```
    ///
    /// ## Instead
    ///
    /// Save every page: the reader takes `members-sales@acme.com.2.json` as the second page.
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     seats: 50
    /// identityProviders:
    ///   - name: google
    ///     kind: google-workspace
    /// directoryExports:
    ///   - idp: google
    ///     format: google
    ///     files: ["members-*.json"]
    ///     assigned: [sales@acme.com]
    /// ```
    ///
    /// ```json members-sales@acme.com.json
    /// {
    ///   "kind": "admin#directory#members",
    ///   "members": [
    ///     {"email": "ana@acme.com", "role": "MEMBER", "type": "USER", "status": "ACTIVE"}
    ///   ],
    ///   "nextPageToken": "page-2"
    /// }
    /// ```
    ///
    /// ```json members-sales@acme.com.2.json
    /// {
    ///   "kind": "admin#directory#members",
    ///   "members": [
    ///     {"email": "bo@acme.com", "role": "MEMBER", "type": "USER", "status": "ACTIVE"}
    ///   ]
    /// }
    /// ```
    pub(crate) static RULE = {
        code: "IDP012",
        name: "export-incomplete",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for problem in &cx.policy.export_problems {
        if problem.kind == ExportProblemKind::Incomplete {
            out.push(
                Draft::new(&RULE, problem.span, problem.message.clone())
                    .label("the export stops here")
                    .help("export again with every page (docs/idp/ shows the paging of each format): until then, seats and access are counted from part of the directory"),
            );
        }
    }
}
