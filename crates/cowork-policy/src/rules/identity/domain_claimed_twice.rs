use std::collections::BTreeMap;

use crate::diagnostic::list_names;
use crate::model::{OrgId, Policy, Span};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::identity::{verified_for_parent, verifying_parent};

declare_rule! {
    /// ## What it flags
    ///
    /// Two kinds of domain claimed twice:
    ///
    /// - one domain verified (`verifiedDomains`) under two different parent orgs. A child org's
    ///   verified domains count for its parent; an org without a parent is its own parent;
    /// - the domains of one parent org spread over two identity providers: two different
    ///   identity providers both list, in `domains`, domains verified by the same parent org.
    ///
    /// The finding points at the second claim, in the order the policy is written, with the
    /// first as its related location. A domain verified under two parents counts, for the second
    /// check, only for the parent that verified it first.
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: domain verification "belongs to the parent
    /// organization; one domain can be verified by only one parent; all of an org's domains must
    /// be managed through a single IdP." The second verification or the second identity provider
    /// is refused when it is set up, and the users of those domains cannot sign in where the
    /// policy expects them. The rollout guide makes the number of identity providers the first
    /// question of the org architecture: "Decide between a single org with role-based access
    /// controls (RBAC) and groups, parent-child, or multiple parents based on how many identity
    /// providers you have".
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     verifiedDomains: [acme.com, acme.io]
    /// identityProviders:
    ///   - name: okta
    ///     domains: [acme.com]
    ///   - name: google
    ///     domains: [acme.io]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     verifiedDomains: [acme.com, acme.io]
    /// identityProviders:
    ///   - name: okta
    ///     domains: [acme.com, acme.io]
    /// ```
    pub(crate) static RULE = {
        code: "IDP011",
        name: "domain-claimed-twice",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let refused = verified_under_two_parents(cx.policy, out);
    spread_over_two_idps(cx.policy, &refused, out);
}

/// One verification of a domain: where, by which org, and the parent it counts for.
struct Claim {
    span: Span,
    org: OrgId,
    parent: OrgId,
}

/// Reports domains verified under two parents, and returns the claims reported: each domain
/// with a parent that claimed it second.
fn verified_under_two_parents<'p>(
    policy: &'p Policy,
    out: &mut Vec<Draft>,
) -> Vec<(&'p str, OrgId)> {
    let mut refused = Vec::new();
    let mut claims: BTreeMap<&str, Vec<Claim>> = BTreeMap::new();
    for org in policy.org_ids() {
        let parent = verifying_parent(policy, org);
        for domain in &policy.org(org).verified_domains {
            claims
                .entry(domain.value.as_str())
                .or_default()
                .push(Claim {
                    span: domain.span,
                    org,
                    parent,
                });
        }
    }
    for (domain, mut claims) in claims {
        claims.sort_by_key(|c| c.span);
        let Some(first) = claims.first() else {
            continue;
        };
        let mut parents_seen = vec![first.parent];
        for claim in &claims[1..] {
            if parents_seen.contains(&claim.parent) {
                continue;
            }
            parents_seen.push(claim.parent);
            refused.push((domain, claim.parent));
            let org = &policy.org(claim.org).name.value;
            let parent = &policy.org(claim.parent).name.value;
            out.push(
                Draft::new(
                    &RULE,
                    claim.span,
                    format!(
                        "domain `{domain}` is verified under parent org `{parent}`{} and under `{}`{}: one domain can be verified by only one parent",
                        through(policy, claim),
                        policy.org(first.parent).name.value,
                        through(policy, first),
                    ),
                )
                .label(format!("second verification of `{domain}`"))
                .related(
                    first.span,
                    format!(
                        "`{domain}` first verified here, by `{}`",
                        policy.org(first.org).name.value
                    ),
                )
                .help(format!(
                    "remove `{domain}` from the `verifiedDomains` of `{org}`, or bring `{parent}` and `{}` under one parent org",
                    policy.org(first.parent).name.value
                )),
            );
        }
    }
    refused
}

/// ` (by its child `x`)` when a child org made the claim, else nothing.
fn through(policy: &Policy, claim: &Claim) -> String {
    if claim.org == claim.parent {
        String::new()
    } else {
        format!(" (by its child `{}`)", policy.org(claim.org).name.value)
    }
}

/// Reports parent orgs whose domains are on two IdPs. A domain verified under two parents counts
/// for the first only: the later claim is reported already.
fn spread_over_two_idps(policy: &Policy, refused: &[(&str, OrgId)], out: &mut Vec<Draft>) {
    for parent in policy.org_ids() {
        if verifying_parent(policy, parent) != parent {
            continue;
        }
        let mut verified = verified_for_parent(policy, parent);
        verified.retain(|d| !refused.contains(&(*d, parent)));
        if verified.is_empty() {
            continue;
        }
        // Each IdP listing some of these domains, with those entries, in the order written.
        let mut idps: Vec<(usize, Vec<(Span, &str)>)> = policy
            .idps
            .iter()
            .enumerate()
            .map(|(index, idp)| {
                let entries: Vec<(Span, &str)> = idp
                    .domains
                    .iter()
                    .filter(|d| verified.binary_search(&d.value.as_str()).is_ok())
                    .map(|d| (d.span, d.value.as_str()))
                    .collect();
                (index, entries)
            })
            .filter(|(_, entries)| !entries.is_empty())
            .collect();
        idps.sort_by_key(|(_, entries)| entries.first().map(|(span, _)| *span));
        let Some((first, first_entries)) = idps.first() else {
            continue;
        };
        let first_name = &policy.idps[*first].name.value;
        let first_domains: Vec<&str> = first_entries.iter().map(|(_, d)| *d).collect();
        let org = &policy.org(parent).name.value;
        for (index, entries) in &idps[1..] {
            let Some(&(span, _)) = entries.first() else {
                continue;
            };
            let name = &policy.idps[*index].name.value;
            let domains: Vec<&str> = entries.iter().map(|(_, d)| *d).collect();
            out.push(
                Draft::new(
                    &RULE,
                    span,
                    format!(
                        "identity provider `{name}` lists {} of org `{org}`, whose {} already on `{first_name}`: all of an org's domains must be on one identity provider",
                        list_names(&domains, 3),
                        if first_domains.len() == 1 {
                            format!("domain {} is", list_names(&first_domains, 3))
                        } else {
                            format!("domains {} are", list_names(&first_domains, 3))
                        },
                    ),
                )
                .label(format!("second identity provider for `{org}`"))
                .related(
                    first_entries.first().map_or(span, |(s, _)| *s),
                    format!("`{org}`'s domains first listed here, on `{first_name}`"),
                )
                .help(format!(
                    "manage every domain of `{org}` through one identity provider (move {} to `{first_name}`), or verify them under a parent org of their own",
                    list_names(&domains, 3)
                )),
            );
        }
    }
}
