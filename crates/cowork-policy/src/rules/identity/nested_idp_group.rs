use std::collections::HashMap;

use crate::diagnostic::{Draft, list_first, plural};
use crate::model::Entitlement;
use crate::rules::Context;

declare_rule! {
    /// ## What it flags
    ///
    /// A group that lists another group among its members (`memberGroups`). The finding names
    /// the users who are in the group only through the nested one: they will not get this
    /// group's roles nor its spend limit.
    ///
    /// A group whose identity provider's kind is listed in the profile's `nestedGroupsSync` is
    /// left alone: there nested members do sync, and effective access counts them.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Nested IdP groups are not supported; only direct members sync." The
    /// IdP shows the nested users as members, so the admin believes they have access; Claude
    /// never sees them, and nothing reports it. Some identity providers can pass nested members
    /// on (Google Workspace groups can nest); where the platform syncs them, say so with
    /// `platform: {nestedGroupsSync: [google-workspace]}`.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: all-staff
    ///     members: [ana@acme.com]
    ///     memberGroups: [contractors]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: all-staff
    ///     members: [ana@acme.com, bo@acme.com]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "IDP001",
        name: "nested-idp-group",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // Who each nesting leaves out, for every nesting at once: one pass over the nesting graph,
    // not a walk per nesting, which a long chain of groups makes quadratic.
    let left_out: HashMap<_, _> = cx
        .graph
        .nested_only(3)
        .into_iter()
        .map(|n| ((n.group, n.nested), n))
        .collect();
    for id in policy.group_ids() {
        let group = policy.group(id);
        let syncs_nested = group
            .idp
            .and_then(|idp| policy.idps[idp.index()].kind)
            .is_some_and(|kind| cx.facts.nested_groups_sync.contains(&kind.value));
        if syncs_nested {
            // Effective access counts the nested members as members of this group.
            continue;
        }
        for nested in &group.member_groups {
            if nested.value == id {
                // A group that nests itself adds no one; IDP002 reports the loop.
                continue;
            }
            let Some(left_out) = left_out.get(&(id, nested.value)) else {
                continue;
            };
            let emails: Vec<&str> = left_out
                .first
                .iter()
                .map(|&u| policy.user(u).email.as_str())
                .collect();
            let nested_name = &policy.group(nested.value).name;
            let message = if left_out.count == 0 {
                format!(
                    "group `{}` nests group `{}`: nested groups do not sync, though today every user in it is also a direct member",
                    group.name.value, nested_name.value
                )
            } else {
                format!(
                    "group `{}` nests group `{}`: {} reached only through it will not sync ({})",
                    group.name.value,
                    nested_name.value,
                    plural(left_out.count, "user"),
                    list_first(&emails, left_out.count)
                )
            };
            let mut missed = Vec::new();
            for role in policy.role_ids() {
                let role = policy.role(role);
                // A role also on the nested group reaches its direct members anyway.
                let on_group = role.groups.iter().any(|g| g.value == id);
                let on_nested = role.groups.iter().any(|g| g.value == nested.value);
                if on_group && !on_nested {
                    let grants: Vec<&str> = Entitlement::ALL
                        .iter()
                        .filter(|&&e| role.grant(e).is_some())
                        .map(|e| e.as_str())
                        .collect();
                    missed.push(format!(
                        "role `{}` ({})",
                        role.name.value,
                        grants.join(", ")
                    ));
                }
            }
            if let Some((_, limit)) = cx.access.group_limits[id.index()] {
                missed.push(format!("spend limit `{}`", policy.limit(limit).name.value));
            }
            let help = if missed.is_empty() {
                format!(
                    "list these users directly in `{}`, or flatten the groups in the IdP",
                    group.name.value
                )
            } else {
                format!(
                    "list these users directly in `{}`, or flatten the groups in the IdP; until then they miss its {}",
                    group.name.value,
                    missed.join(" and ")
                )
            };
            out.push(
                Draft::new(&RULE, nested.span, message)
                    .label("nested group: its members do not sync")
                    .related(
                        nested_name.span,
                        format!("`{}` defined here", nested_name.value),
                    )
                    .help(help),
            );
        }
    }
}
