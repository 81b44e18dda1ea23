use crate::model::{DeployMethod, IdpId, OrgId, Plan, Span, SsoState, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::identity::{idps_of_org, verified_for_parent, verifying_parent};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A `team` section that names no IdP admin (`idpAdmins`) or no DNS admin (`dnsAdmins`), or
    /// no MDM admin (`mdmAdmins`) while the deployment that applies to one of its orgs pushes the
    /// desktop app by MDM (`method: mdm`). One finding per missing role. A policy with no `team`
    /// section at all is left to TEAM001.
    ///
    /// A team whose orgs are all existing Enterprise orgs is not asked for an IdP admin nor a DNS
    /// admin: the guide says that work is "already done if on Claude Enterprise". An org counts
    /// as one when the policy shows that work done: its `plan` is `enterprise`, every identity
    /// provider its users sign in with has `sso: enforced` (for a parent org with no groups of
    /// its own, those of the orgs under it; an org with none is not one), and it or its parent
    /// has verified domains (`verifiedDomains`). It is still asked for an MDM admin.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Identify who you need before you start. Later steps stall if these
    /// people aren't looped in early." Its list names a "DNS admin and IdP admin (already done if
    /// on Claude Enterprise)" and an "MDM admin, if deploying centrally". SSO, SCIM and the IdP
    /// groups every role refers to wait on the IdP admin; domain verification waits on whoever
    /// can add DNS records; an MDM push waits on the MDM admin. On an existing Enterprise org,
    /// with its domains verified and SSO enforced, that work is behind it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   primaryOwners: [ana@acme.com]
    ///   dnsAdmins: [carl@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// team:
    ///   primaryOwners: [ana@acme.com]
    ///   dnsAdmins: [carl@acme.com]
    ///   idpAdmins: [dina@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "TEAM002",
        name: "rollout-role-missing",
        area: Team,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, team) in policy.teams.iter().enumerate() {
        let orgs = orgs_of(policy, &policy.teams, &policy.teams[index]);
        if orgs.is_empty() {
            continue;
        }
        let scope = orgs_phrase(policy, &orgs);
        // "DNS admin and IdP admin (already done if on Claude Enterprise)".
        let established = orgs.iter().all(|&org| existing_enterprise(cx, org));
        if team.idp_admins.is_empty() && !established {
            out.push(
                Draft::new(
                    &RULE,
                    team.span,
                    format!("the rollout team of {scope} has no IdP admin"),
                )
                .label("no `idpAdmins` in this team")
                .help("add `idpAdmins` with who administers the identity provider: SSO, SCIM and the IdP groups that roles refer to wait on them"),
            );
        }
        if team.dns_admins.is_empty() && !established {
            out.push(
                Draft::new(
                    &RULE,
                    team.span,
                    format!("the rollout team of {scope} has no DNS admin"),
                )
                .label("no `dnsAdmins` in this team")
                .help(
                    "add `dnsAdmins` with who can add the DNS TXT records that verify your domains",
                ),
            );
        }
        if team.mdm_admins.is_empty() {
            // The orgs that deploy by MDM, and where each deployment says so (once per section).
            let mut by_mdm: Vec<OrgId> = Vec::new();
            let mut methods: Vec<Span> = Vec::new();
            for &org in &orgs {
                let Some(method) = for_org(&policy.deployments, org)
                    .and_then(|d| d.method)
                    .filter(|m| m.value == DeployMethod::Mdm)
                else {
                    continue;
                };
                by_mdm.push(org);
                if !methods.contains(&method.span) {
                    methods.push(method.span);
                }
            }
            if by_mdm.is_empty() {
                continue;
            }
            let message = if by_mdm.len() == orgs.len() {
                format!(
                    "the rollout team of {scope} has no MDM admin, and the desktop app is pushed by MDM"
                )
            } else {
                format!(
                    "the rollout team of {scope} has no MDM admin, and {} {} the desktop app by MDM",
                    orgs_phrase(policy, &by_mdm),
                    if by_mdm.len() == 1 { "pushes" } else { "push" }
                )
            };
            let mut draft = Draft::new(&RULE, team.span, message)
                .label("no `mdmAdmins` in this team")
                .help("add `mdmAdmins` with who pushes the desktop app through your MDM tool, or deploy with `method: self-install`");
            for span in methods {
                draft = draft.related(span, "deployed by MDM here");
            }
            out.push(draft);
        }
    }
}

/// Whether the policy shows `org` as an existing Enterprise org, whose DNS and IdP work is done:
/// on the Enterprise plan, with SSO enforced by every identity provider its users sign in with
/// (a parent without groups of its own: those of the orgs under it), and domains verified by it
/// or its parent.
fn existing_enterprise(cx: &Context<'_>, org: OrgId) -> bool {
    let policy = cx.policy;
    if policy.org(org).plan.map(|p| p.value) != Some(Plan::Enterprise) {
        return false;
    }
    let mut idps: Vec<IdpId> = idps_of_org(policy, org);
    if idps.is_empty() {
        for child in policy.org_ids() {
            if child != org && verifying_parent(policy, child) == org {
                idps.extend(idps_of_org(policy, child));
            }
        }
    }
    let enforced = !idps.is_empty()
        && idps.iter().all(|idp| {
            policy.idps[idp.index()]
                .sso
                .is_some_and(|s| s.value == SsoState::Enforced)
        });
    enforced && !verified_for_parent(policy, verifying_parent(policy, org)).is_empty()
}
