use crate::diagnostic::list_names;
use crate::model::{IdpId, OrgId, SsoState};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::identity::{idps_of_org, verified_for_parent, verifying_parent};

declare_rule! {
    /// ## What it flags
    ///
    /// An identity provider whose SSO is `configured` or further along that lists, in
    /// `domains`, a domain not verified (`verifiedDomains`) for an org that signs in with it: an
    /// org whose `identityProvider` it is, or one with groups whose `idp` it is. Verification
    /// belongs to the parent org, so a child org's domain may be verified on its parent or on
    /// any org under that parent. One finding per domain.
    ///
    /// An org whose parent records no verified domain at all is left alone: the policy does not
    /// track DNS verification there. List the domains under `verifiedDomains` to have them
    /// checked.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide puts a "DNS admin and IdP admin" in the rollout team: "Identify who you
    /// need before you start. Later steps stall if these people aren't looped in early." SSO
    /// signs users in by their email domain, and a domain counts only once it is verified by a
    /// DNS TXT record, a verification that belongs to the parent organization. Users of a domain
    /// that is not verified cannot sign in through SSO, and enforcing SSO then locks them out.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     verifiedDomains: [acme.com]
    /// identityProviders:
    ///   - name: okta
    ///     sso: configured
    ///     domains: [acme.com, acme.io]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     verifiedDomains: [acme.com, acme.io]
    /// identityProviders:
    ///   - name: okta
    ///     sso: configured
    ///     domains: [acme.com, acme.io]
    /// ```
    pub(crate) static RULE = {
        code: "IDP006",
        name: "domain-not-verified",
        area: Identity,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, idp) in policy.idps.iter().enumerate() {
        let Some(sso) = idp.sso.filter(|s| s.value >= SsoState::Configured) else {
            continue;
        };
        let id = IdpId(index as u32);
        // Each org that signs in with this IdP, with its parent and what the parent verifies.
        let orgs: Vec<(OrgId, OrgId, Vec<&str>)> = policy
            .org_ids()
            .filter(|&o| idps_of_org(policy, o).contains(&id))
            .map(|o| {
                let parent = verifying_parent(policy, o);
                (o, parent, verified_for_parent(policy, parent))
            })
            .filter(|(_, _, verified)| !verified.is_empty())
            .collect();
        for domain in &idp.domains {
            let missing: Vec<&(OrgId, OrgId, Vec<&str>)> = orgs
                .iter()
                .filter(|(_, _, verified)| verified.binary_search(&domain.value.as_str()).is_err())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let mut parents: Vec<&str> = missing
                .iter()
                .map(|(_, parent, _)| policy.org(*parent).name.value.as_str())
                .collect();
            parents.sort_unstable();
            parents.dedup();
            let mut draft = Draft::new(
                &RULE,
                domain.span,
                format!(
                    "domain `{}` of identity provider `{}` (SSO `{}`) is not verified on {} {}",
                    domain.value,
                    idp.name.value,
                    sso_word(sso.value),
                    if parents.len() == 1 { "org" } else { "orgs" },
                    list_names(&parents, 3)
                ),
            )
            .label(format!("not verified on {}", list_names(&parents, 3)))
            .help(format!(
                "have the DNS admin verify `{}` with a DNS TXT record on {} and list it under `verifiedDomains`, or take it out of the `domains` of `{}`",
                domain.value,
                list_names(&parents, 3),
                idp.name.value
            ));
            for (org, parent, verified) in &missing {
                let o = policy.org(*org);
                let label = if org == parent {
                    format!(
                        "`{}` signs in with `{}` and verifies {}",
                        o.name.value,
                        idp.name.value,
                        list_names(verified, 3)
                    )
                } else {
                    format!(
                        "`{}` signs in with `{}`; its parent `{}` verifies {}",
                        o.name.value,
                        idp.name.value,
                        policy.org(*parent).name.value,
                        list_names(verified, 3)
                    )
                };
                draft = draft.related(o.name.span, label);
            }
            out.push(draft);
        }
    }
}

fn sso_word(state: SsoState) -> &'static str {
    match state {
        SsoState::Planned => "planned",
        SsoState::Configured => "configured",
        SsoState::Tested => "tested",
        SsoState::Enforced => "enforced",
    }
}
