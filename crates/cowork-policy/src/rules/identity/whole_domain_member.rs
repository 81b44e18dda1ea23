use crate::model::ExportProblemKind;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// A Google Workspace group assigned to the Claude app whose export lists the whole domain
    /// as a member (`type: CUSTOMER`), with no email list.
    ///
    /// ## Why it matters
    ///
    /// A `CUSTOMER` member stands for every user of the Workspace account (Directory API,
    /// `members.list`). The export does not say who they are, so the checker cannot count
    /// whom the group provisions: the seat check (SEAT001) and access see only the members the
    /// export names, and a domain-wide group assigned to the Claude app can provision every
    /// user of the company. The target is unknown, and said so rather than guessed.
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
    ///     format: gam
    ///     files: [group-members.csv]
    ///     assigned: [everyone@acme.com]
    /// ```
    ///
    /// ```csv group-members.csv
    /// group,type,role,id,status,email
    /// everyone@acme.com,CUSTOMER,MEMBER,C01abc,,
    /// ```
    ///
    /// ## Instead
    ///
    /// Assign groups whose members are listed:
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
    ///     format: gam
    ///     files: [group-members.csv]
    ///     assigned: [claude-pilot@acme.com]
    /// ```
    ///
    /// ```csv group-members.csv
    /// group,type,role,id,status,email
    /// claude-pilot@acme.com,USER,MEMBER,1,ACTIVE,ana@acme.com
    /// ```
    pub(crate) static RULE = {
        code: "IDP014",
        name: "whole-domain-member",
        area: Identity,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for problem in &cx.policy.export_problems {
        // A group not assigned to the Claude app provisions no one, the whole domain included.
        let synced = problem
            .group
            .is_some_and(|g| cx.policy.group(g).scim_synced());
        if problem.kind == ExportProblemKind::WholeDomain && synced {
            out.push(
                Draft::new(&RULE, problem.span, problem.message.clone())
                    .label("every user of the domain")
                    .help("assign groups that list their members, or check the domain's user count against the seats by hand: SEAT001 counts only the members the export names"),
            );
        }
    }
}
