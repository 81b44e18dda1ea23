use crate::diagnostic::list_names;
use crate::model::{Architecture, IdpId, Span};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::identity::idps_of_org;

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `architecture: single` that does not fit one org:
    ///
    /// - its users sign in through more than one identity provider: the org's
    ///   `identityProvider` and a different `idp` on some of its groups, or more than one
    ///   identity provider defined while the policy has only this one org;
    /// - or it says `dataIsolation: true`: units of the organisation need their data isolated
    ///   from each other, which one org cannot give.
    ///
    /// One finding per reason, at the `architecture` value. A top-level org (no parent, no
    /// children) that leaves `architecture` out has not recorded it: unknown, and one org in
    /// fact, so it is flagged the same way at its name, saying the architecture is not recorded
    /// (see "Settings not recorded" in docs/format.md). A child org records none: its parent
    /// does.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Decide between a single org with role-based access controls (RBAC)
    /// and groups, parent-child, or multiple parents based on how many identity providers you
    /// have and how much data isolation you need. This decision shapes every step below and is
    /// challenging to change later." A single org has one place for its domains ("all of an
    /// org's domains must be managed through a single IdP") and shares its data across everyone
    /// in it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     architecture: single
    ///     identityProvider: okta
    /// identityProviders:
    ///   - name: okta
    ///   - name: entra
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    ///   - name: acquired-team
    ///     idp: entra
    ///     members: [bo@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     architecture: single
    ///     identityProvider: okta
    /// identityProviders:
    ///   - name: okta
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    ///   - name: acquired-team
    ///     members: [bo@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "ORG001",
        name: "architecture-mismatch",
        area: Org,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        // A top-level org that does not record its architecture is unknown, not something else
        // than a single org: flagged as not recorded where a single org would be.
        let top_level = o.parent.is_none() && !policy.orgs.iter().any(|c| c.parent == Some(org));
        let (span, subject, label) = match o.architecture {
            Some(a) if a.value == Architecture::Single => (
                a.span,
                format!("org `{}` is a single org", o.name.value),
                "one org",
            ),
            None if top_level => (
                o.name.span,
                format!(
                    "org `{}`, whose `architecture` is not recorded, is one org",
                    o.name.value
                ),
                "`architecture` not recorded",
            ),
            _ => continue,
        };
        // Where each identity provider comes in: the org's own, then the groups on another.
        let mut related: Vec<(Span, String)> = Vec::new();
        let idps = idps_of_org(policy, org);
        for &idp in &idps {
            let name = &policy.idps[idp.index()].name;
            if o.idp == Some(idp) {
                related.push((
                    name.span,
                    format!("`{}`, the org's identity provider", name.value),
                ));
            } else if let Some(group) = policy
                .groups
                .iter()
                .find(|g| g.org == Some(org) && g.idp == Some(idp))
            {
                related.push((
                    group.name.span,
                    format!("group `{}` is on `{}`", group.name.value, name.value),
                ));
            }
        }
        let (idps, defined_only) =
            if idps.len() < 2 && policy.orgs.len() == 1 && policy.idps.len() > 1 {
                related = policy
                    .idps
                    .iter()
                    .map(|i| {
                        (
                            i.name.span,
                            format!("identity provider `{}` defined here", i.name.value),
                        )
                    })
                    .collect();
                ((0..policy.idps.len() as u32).map(IdpId).collect(), true)
            } else {
                (idps, false)
            };
        if idps.len() > 1 {
            let names: Vec<&str> = idps
                .iter()
                .map(|i| policy.idps[i.index()].name.value.as_str())
                .collect();
            let message = if defined_only {
                format!(
                    "{subject}, but the policy defines {} identity providers for it ({})",
                    names.len(),
                    list_names(&names, 3)
                )
            } else {
                format!(
                    "{subject}, but its users sign in through {} identity providers ({})",
                    names.len(),
                    list_names(&names, 3)
                )
            };
            let mut draft = Draft::new(&RULE, span, message)
                .label(label)
                .help(format!(
                    "bring `{}` onto one identity provider, or choose `parent-child` or `multi-parent` with one org per identity provider: an org's domains must all be on one identity provider",
                    o.name.value
                ));
            for (span, label) in related.into_iter().take(3) {
                draft = draft.related(span, label);
            }
            out.push(draft);
        }
        if let Some(isolation) = o.data_isolation.filter(|d| d.value) {
            out.push(
                Draft::new(
                    &RULE,
                    span,
                    format!("{subject}, but its units need their data isolated from each other"),
                )
                .label(label)
                .related(isolation.span, "data isolation required here")
                .help(format!(
                    "choose `parent-child` for `{}`, with a child org for each unit whose data must stay apart: everyone in one org shares it",
                    o.name.value
                )),
            );
        }
    }
}
