//! OpenTelemetry export of Cowork session data.

pub(crate) mod otel_collector_not_allowlisted;
pub(crate) mod otel_desktop_too_old;
pub(crate) mod otel_endpoint_missing;
pub(crate) mod otel_port_protocol_mismatch;
pub(crate) mod otel_untested_parent_child;

use crate::model::rollout::PerOrg;
use crate::model::{Endpoint, OrgId, for_org};
use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &otel_endpoint_missing::RULE,
    &otel_untested_parent_child::RULE,
    &otel_collector_not_allowlisted::RULE,
    &otel_port_protocol_mismatch::RULE,
    &otel_desktop_too_old::RULE,
];

/// The endpoint as a message shows it: `host` or `host:port`.
pub(crate) fn host_port(endpoint: &Endpoint) -> String {
    match endpoint.port {
        Some(port) => format!("{}:{port}", endpoint.host),
        None => endpoint.host.clone(),
    }
}

/// For the orgs `orgs`, the section of `sections` that applies to each, grouped: each section
/// that applies to one of them, in order, with the orgs it applies to. Orgs with none are left
/// out.
pub(crate) fn group_by_section<'a, T: PerOrg>(
    sections: &'a [T],
    orgs: &[OrgId],
) -> Vec<(&'a T, Vec<OrgId>)> {
    let mut groups: Vec<(&T, Vec<OrgId>)> = Vec::new();
    for &org in orgs {
        let Some(section) = for_org(sections, org) else {
            continue;
        };
        match groups.iter_mut().find(|(s, _)| std::ptr::eq(*s, section)) {
            Some((_, orgs)) => orgs.push(org),
            None => groups.push((section, vec![org])),
        }
    }
    groups
}
