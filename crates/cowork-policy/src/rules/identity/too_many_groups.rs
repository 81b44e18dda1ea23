use crate::diagnostic::{list_names, plural};
use crate::model::GroupId;
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An org with more groups than the platform allows in one organization (the profile's
    /// `groupLimit`: 100 today). The finding gives the count and the limit, and names the
    /// groups past the limit, in the order they are written.
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: "Each organization can have up to 100 groups." Groups
    /// past the limit cannot be created or synced, so the roles and spend limits written for
    /// them reach nobody. The limit is a platform fact: a policy whose platform allows more sets it with
    /// `platform: {groupLimit: ...}`.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// platform:
    ///   groupLimit: 2
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    ///   - name: sales
    ///     members: [bo@acme.com]
    ///   - name: support
    ///     members: [cy@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// platform:
    ///   groupLimit: 2
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    ///   - name: go-to-market
    ///     members: [bo@acme.com, cy@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "IDP007",
        name: "too-many-groups",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    let limit = cx.facts.group_limit;
    for org in policy.org_ids() {
        let mut groups: Vec<GroupId> = policy
            .group_ids()
            .filter(|&g| policy.group(g).org == Some(org))
            .collect();
        if groups.len() as u64 <= limit {
            continue;
        }
        // In the order they are written: the last ones are past the limit.
        groups.sort_by_key(|&g| policy.group(g).name.span);
        let allowed = usize::try_from(limit).unwrap_or(usize::MAX);
        let Some(&first_past) = groups.get(allowed) else {
            continue;
        };
        let past: Vec<&str> = groups[allowed..]
            .iter()
            .map(|&g| policy.group(g).name.value.as_str())
            .collect();
        let o = policy.org(org);
        let first_past = &policy.group(first_past).name;
        out.push(
            Draft::new(
                &RULE,
                o.name.span,
                format!(
                    "org `{}` has {}, {} over the limit of {limit} per org ({})",
                    o.name.value,
                    plural(groups.len(), "group"),
                    past.len(),
                    list_names(&past, 3),
                ),
            )
            .label(format!("{} in this org", plural(groups.len(), "group")))
            .related(
                first_past.span,
                if past.len() == 1 {
                    format!("`{}` is past the limit", first_past.value)
                } else {
                    format!("groups from `{}` on are past the limit", first_past.value)
                },
            )
            .help(format!(
                "merge or remove {} of the groups of `{}`: each organization can have up to {}",
                past.len(),
                o.name.value,
                plural(limit as usize, "group")
            )),
        );
    }
}
