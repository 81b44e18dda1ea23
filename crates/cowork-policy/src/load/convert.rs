//! From parsed documents to the [`Policy`] model: names become ids, values are checked (emails,
//! dates), duplicates are refused, and references that name nothing are kept for IDP003.

use std::borrow::Cow;
use std::collections::HashMap;

use hashbrown::HashTable;
use rayon::prelude::*;

use super::builder::{Builder, Names, UserKeys, at, opt, string};
use super::raw::{self, Document, S};
use super::span;
use crate::error::LoadError;
use crate::import::{self, Export, ProblemKind};
use crate::model::{
    Amount, Architecture, At, Billing, Date, Entitlement, ExportProblem, ExportProblemKind, FileId,
    Group, GroupId, Idp, IdpId, IdpKind, Kind, Limit, Org, OrgId, Plan, Policy, Provisioning,
    RbacState, Role, Sources, Span, SsoState, Step, StepId, StepStatus, Unresolved, steps,
};

/// Where a group comes from: written under `groups:`, or read from an export.
enum GroupSource<'d> {
    Written(FileId, &'d raw::RawGroup),
    /// The group `group` of `exports[entry]`.
    Imported {
        entry: usize,
        group: usize,
    },
}

/// A `directoryExports:` entry, resolved once for all its groups.
struct ExportEntry {
    org: Option<OrgId>,
    idp: Option<IdpId>,
    /// Each name or id under `assigned:`, with where it is written, and whether a group of the
    /// export matched it.
    assigned: Vec<(At<String>, bool)>,
    /// The indices into `assigned` of each name or id written there: a lookup per group
    /// instead of a scan of the whole list (thousands of groups, thousands assigned).
    assigned_index: HashMap<String, Vec<usize>>,
}

/// `exports` are those of every `directoryExports:` entry in document order, their files the
/// last `export_files` of `sources`.
pub(super) fn build(
    sources: Sources,
    documents: Vec<(FileId, Vec<Document>)>,
    skipped: Vec<super::classify::Defines>,
    exports: Vec<Export>,
    export_files: usize,
) -> Result<Policy, (Vec<LoadError>, Sources)> {
    let mut b = Builder {
        sources,
        errors: Vec::new(),
        users: Vec::new(),
        user_ids: HashTable::new(),
        user_keys: UserKeys::default(),
        unresolved: Vec::new(),
        user_assignments: Vec::new(),
        entities: Vec::new(),
    };
    let docs: Vec<(FileId, &Document)> = documents
        .iter()
        .flat_map(|(file, docs)| docs.iter().map(move |d| (*file, d)))
        .collect();

    super::rollout::redact_secrets(&mut b, &docs);

    // Pass 1: names of every kind, so references may point forward and across files.
    let mut org_names = Names::new(Kind::Org);
    let mut idp_names = Names::new(Kind::Idp);
    let mut group_names = Names::new(Kind::Group);
    let mut role_names = Names::new(Kind::Role);
    let mut limit_names = Names::new(Kind::Limit);
    let mut step_names = Names::new(Kind::Step);
    let mut connector_names = Names::new(Kind::Connector);
    let mut plugin_names = Names::new(Kind::Plugin);
    for &(builtin, _) in steps::BUILTIN {
        step_names.ids.insert(
            builtin.to_string(),
            (
                step_names.order.len() as u32,
                Span {
                    file: FileId(0),
                    start: 0,
                    end: 0,
                },
            ),
        );
        step_names.order.push(builtin.to_string());
    }
    let mut org_raw = Vec::new();
    let mut idp_raw = Vec::new();
    let mut group_raw = Vec::new();
    let mut role_raw = Vec::new();
    let mut limit_raw = Vec::new();
    let mut step_raw = Vec::new();
    for &(file, doc) in &docs {
        for org in &doc.orgs {
            b.entity(file, &org.0, Kind::Org, &org.0.value.name);
            if org_names.define(&mut b, &string(file, &org.0.value.name)) {
                org_raw.push((file, &org.0.value));
            }
        }
        for idp in &doc.identity_providers {
            b.entity(file, &idp.0, Kind::Idp, &idp.0.value.name);
            if idp_names.define(&mut b, &string(file, &idp.0.value.name)) {
                idp_raw.push((file, &idp.0.value));
            }
        }
        for group in &doc.groups {
            b.entity(file, &group.0, Kind::Group, &group.0.value.name);
            if group_names.define(&mut b, &string(file, &group.0.value.name)) {
                group_raw.push(GroupSource::Written(file, &group.0.value));
            }
        }
        for role in &doc.roles {
            b.entity(file, &role.0, Kind::Role, &role.0.value.name);
            if role_names.define(&mut b, &string(file, &role.0.value.name)) {
                role_raw.push((file, &role.0.value));
            }
        }
        for limit in &doc.spend_limits {
            b.entity(file, &limit.0, Kind::Limit, &limit.0.value.name);
            if limit_names.define(&mut b, &string(file, &limit.0.value.name)) {
                limit_raw.push((file, &limit.0.value));
            }
        }
        for step in &doc.steps {
            // Its entity key waits for its org, resolved once every org is known.
            step_raw.push((file, step));
        }
        for connector in &doc.connectors {
            b.entity(file, &connector.0, Kind::Connector, &connector.0.value.name);
            connector_names.define(&mut b, &string(file, &connector.0.value.name));
        }
        for plugin in &doc.plugins {
            b.entity(file, &plugin.0, Kind::Plugin, &plugin.0.value.name);
            plugin_names.define(&mut b, &string(file, &plugin.0.value.name));
        }
    }

    // Groups read from exports, named after the written ones: a name both written and exported
    // is an error unless the entry says which wins.
    let export_file_ids: HashMap<String, FileId> = {
        let first = b.sources.len() - export_files;
        b.sources
            .paths()
            .enumerate()
            .skip(first)
            .map(|(i, path)| (path.to_string(), FileId(i as u32)))
            .collect()
    };
    // Consecutive locations are nearly always in the same file: remember the last one rather
    // than hash its name again for each of half a million members.
    let last_file: std::cell::RefCell<(String, FileId)> =
        std::cell::RefCell::new((String::new(), FileId(0)));
    let at_location = |location: &crate::model::Location| {
        let mut last = last_file.borrow_mut();
        if last.0 != location.file {
            let id = export_file_ids
                .get(&location.file)
                .copied()
                .unwrap_or(FileId(0));
            *last = (location.file.clone(), id);
        }
        Span {
            file: last.1,
            start: location.bytes.start as u32,
            end: location.bytes.end as u32,
        }
    };
    let entries: Vec<(FileId, &raw::RawDirectoryExport)> = docs
        .iter()
        .flat_map(|&(file, doc)| {
            doc.directory_exports
                .iter()
                .map(move |e| (file, &e.0.value))
        })
        .collect();
    for (entry, export) in exports.iter().enumerate() {
        let prefer = entries
            .get(entry)
            .and_then(|(_, e)| e.prefer.as_ref())
            .map(|p| p.0.value);
        for (index, group) in export.groups.iter().enumerate() {
            let name = At::new(group.name.clone(), at_location(&group.location));
            let source = GroupSource::Imported {
                entry,
                group: index,
            };
            match group_names.ids.get(&name.value).copied() {
                None => {
                    b.entity_at(name.span, format!("{}/{}", Kind::Group.key(), name.value));
                    group_names.define(&mut b, &name);
                    group_raw.push(source);
                }
                Some((id, first)) => {
                    let written = matches!(group_raw[id as usize], GroupSource::Written(..));
                    match prefer {
                        Some(raw::RawPrefer::Export) if written => {
                            group_raw[id as usize] = source;
                        }
                        Some(raw::RawPrefer::Policy) if written => {}
                        _ => b.errors.push(LoadError::Duplicate {
                            kind: Kind::Group.noun(),
                            name: name.value.clone(),
                            location: b.sources.locate(name.span),
                            first: b.sources.locate(first),
                        }),
                    }
                }
            }
        }
    }

    // Steps: built-ins are predefined; the policy may mention each once per org (or once for
    // every org), and add custom ones.
    let mut step_list: Vec<Step> = steps::BUILTIN
        .iter()
        .map(|&(name, _)| Step {
            name: name.to_string(),
            org: None,
            span: None,
            status: None,
            date: None,
            after: Vec::new(),
            builtin: true,
        })
        .collect();
    // The first entry of each step name: what a name in `after:` resolves to, before the graph
    // picks the entry that applies to each org.
    let mut first_of: HashMap<String, u32> = steps::BUILTIN
        .iter()
        .enumerate()
        .map(|(i, &(name, _))| (name.to_string(), i as u32))
        .collect();
    let mut step_of_raw = Vec::new();
    for &(file, spanned) in &step_raw {
        let raw = &spanned.0.value;
        let name = string(file, &raw.name);
        let org = match &raw.org {
            Some(o) => {
                let from = format!("step `{}`", name.value);
                match org_names.resolve(&mut b, &string(file, o), &from) {
                    Some(id) => Some(OrgId(id)),
                    None => {
                        // Applies to no org: recorded as unresolved (IDP003), and left out.
                        b.entity(file, &spanned.0, Kind::Step, &raw.name);
                        continue;
                    }
                }
            }
            None => None,
        };
        let key = match org {
            Some(o) => format!("{}/{}", org_names.order[o.index()], name.value),
            None => name.value.clone(),
        };
        b.entity_at(
            span(file, &spanned.0),
            format!("{}/{key}", Kind::Step.key()),
        );
        let existing = step_list
            .iter()
            .position(|s| s.name == name.value && s.org == org);
        let id = match existing {
            Some(id) if step_list[id].span.is_none() => id as u32,
            Some(id) => {
                let first = step_list[id].span;
                b.errors.push(LoadError::Duplicate {
                    kind: Kind::Step.noun(),
                    name: key,
                    location: b.sources.locate(name.span),
                    first: b.sources.locate(first.unwrap_or(name.span)),
                });
                continue;
            }
            None => {
                let builtin = steps::BUILTIN.iter().any(|&(n, _)| n == name.value);
                if step_names.get(&name.value).is_none() {
                    step_names.define(&mut b, &name);
                }
                step_list.push(Step {
                    name: name.value.clone(),
                    org,
                    span: None,
                    status: None,
                    date: None,
                    after: Vec::new(),
                    builtin,
                });
                let id = step_list.len() as u32 - 1;
                first_of.entry(name.value.clone()).or_insert(id);
                id
            }
        };
        let step = &mut step_list[id as usize];
        step.span = Some(name.span);
        step.status = opt(file, &raw.status, |s| match s {
            raw::RawStepStatus::Pending => StepStatus::Pending,
            raw::RawStepStatus::InProgress => StepStatus::InProgress,
            raw::RawStepStatus::Done => StepStatus::Done,
            raw::RawStepStatus::Skipped => StepStatus::Skipped,
        });
        if let Some(date) = &raw.date {
            let text = string(file, date);
            match Date::parse(&text.value) {
                Some(d) => step.date = Some(At::new(d, text.span)),
                None => b.errors.push(LoadError::Invalid {
                    location: b.sources.locate(text.span),
                    message: format!("`{}` is not a date: expected `YYYY-MM-DD`", text.value),
                    help: None,
                }),
            }
        }
        step_of_raw.push((file, raw, id, name));
    }
    let mut inherit = Vec::new();
    for (file, raw, id, name) in step_of_raw {
        let from = format!("step `{}`", name.value);
        match &raw.after {
            Some(after) => {
                let mut resolved = Vec::new();
                for prerequisite in after {
                    let p = string(file, prerequisite);
                    if step_names.resolve(&mut b, &p, &from).is_some()
                        && let Some(&first) = first_of.get(&p.value)
                    {
                        resolved.push(At::new(StepId(first), p.span));
                    }
                }
                step_list[id as usize].after = resolved;
            }
            // An org's entry takes the `after:` of the shared entry, when the policy lists one.
            None if step_list[id as usize].org.is_some()
                && step_list
                    .iter()
                    .any(|s| s.name == name.value && s.org.is_none() && s.span.is_some()) =>
            {
                inherit.push(id);
            }
            None if !step_list[id as usize].builtin => b.unresolved.push(Unresolved {
                kind: Kind::Step,
                name: name.clone(),
                from: from.clone(),
                message: Some(format!(
                    "step `{}` is not a built-in step, and declares no prerequisites as a custom step would",
                    name.value
                )),
                help: None,
                candidates: steps::BUILTIN.iter().map(|(n, _)| n.to_string()).collect(),
            }),
            None => {}
        }
    }
    for id in inherit {
        let name = step_list[id as usize].name.clone();
        if let Some(shared) = step_list
            .iter()
            .find(|s| s.name == name && s.org.is_none())
            .map(|s| s.after.clone())
        {
            step_list[id as usize].after = shared;
        }
    }

    // Identity providers.
    let idps: Vec<Idp> = idp_raw
        .iter()
        .map(|&(file, raw)| Idp {
            name: string(file, &raw.name),
            kind: opt(file, &raw.kind, |k| match k {
                raw::RawIdpKind::Okta => IdpKind::Okta,
                raw::RawIdpKind::EntraId => IdpKind::EntraId,
                raw::RawIdpKind::GoogleWorkspace => IdpKind::GoogleWorkspace,
                raw::RawIdpKind::Other => IdpKind::Other,
            }),
            sso: opt(file, &raw.sso, |s| match s {
                raw::RawSsoState::Planned => SsoState::Planned,
                raw::RawSsoState::Configured => SsoState::Configured,
                raw::RawSsoState::Tested => SsoState::Tested,
                raw::RawSsoState::Enforced => SsoState::Enforced,
            }),
            scim: opt(file, &raw.scim, |s| *s),
            domains: raw.domains.iter().map(|d| domain(file, d)).collect(),
            sso_email_attribute: raw.sso_email_attribute.as_ref().map(|a| string(file, a)),
            scim_email_attribute: raw.scim_email_attribute.as_ref().map(|a| string(file, a)),
            scim_token: raw.scim_token.as_ref().map(|t| b.secret(file, t)),
            client_secret: raw.client_secret.as_ref().map(|t| b.secret(file, t)),
        })
        .collect();

    // Orgs.
    let mut orgs: Vec<Org> = Vec::new();
    for &(file, raw) in &org_raw {
        let name = string(file, &raw.name);
        let from = format!("org `{}`", name.value);
        let idp = raw
            .identity_provider
            .as_ref()
            .and_then(|i| idp_names.resolve(&mut b, &string(file, i), &from))
            .map(IdpId);
        let parent = raw
            .parent
            .as_ref()
            .and_then(|p| org_names.resolve(&mut b, &string(file, p), &from))
            .map(OrgId);
        orgs.push(Org {
            plan: opt(file, &raw.plan, |p| match p {
                raw::RawPlan::Free => Plan::Free,
                raw::RawPlan::Pro => Plan::Pro,
                raw::RawPlan::Max => Plan::Max,
                raw::RawPlan::Team => Plan::Team,
                raw::RawPlan::Enterprise => Plan::Enterprise,
            }),
            architecture: opt(file, &raw.architecture, |a| match a {
                raw::RawArchitecture::Single => Architecture::Single,
                raw::RawArchitecture::ParentChild => Architecture::ParentChild,
                raw::RawArchitecture::MultiParent => Architecture::MultiParent,
            }),
            billing: opt(file, &raw.billing, |x| match x {
                raw::RawBilling::Seats => Billing::Seats,
                raw::RawBilling::Consumption => Billing::Consumption,
            }),
            seats: opt(file, &raw.seats, |s| *s),
            cowork_enabled: opt(file, &raw.cowork_enabled, |c| *c),
            rbac: opt(file, &raw.rbac, |r| match r {
                raw::RawRbacState::Off => RbacState::Off,
                raw::RawRbacState::Configured => RbacState::Configured,
                raw::RawRbacState::Tested => RbacState::Tested,
                raw::RawRbacState::Enforced => RbacState::Enforced,
            }),
            default_limit: opt(file, &raw.default_spend_limit, amount),
            idp,
            parent,
            provisioning: opt(file, &raw.provisioning, |p| match p {
                raw::RawProvisioning::InviteOnly => Provisioning::InviteOnly,
                raw::RawProvisioning::Jit => Provisioning::Jit,
                raw::RawProvisioning::Scim => Provisioning::Scim,
            }),
            usage_credits: opt(file, &raw.usage_credits, |c| *c),
            skills_enabled: opt(file, &raw.skills_enabled, |c| *c),
            analytics_api: opt(file, &raw.analytics_api, |c| *c),
            data_isolation: opt(file, &raw.data_isolation, |c| *c),
            verified_domains: raw
                .verified_domains
                .iter()
                .map(|d| domain(file, d))
                .collect(),
            name,
        });
    }

    // Each export entry's org, identity provider and assigned groups, resolved once.
    let mut export_entries: Vec<ExportEntry> = Vec::with_capacity(entries.len());
    for &(file, entry) in &entries {
        let idp_name = string(file, &entry.idp);
        let from = format!("the export of identity provider `{}`", idp_name.value);
        let org = b.owner_org(file, &entry.org, &org_names, &idp_name, &from);
        let idp = idp_names.resolve(&mut b, &idp_name, &from).map(IdpId);
        let assigned: Vec<(At<String>, bool)> = entry
            .assigned
            .iter()
            .map(|a| (string(file, a), false))
            .collect();
        let mut assigned_index: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, (name, _)) in assigned.iter().enumerate() {
            assigned_index
                .entry(name.value.clone())
                .or_default()
                .push(index);
        }
        export_entries.push(ExportEntry {
            org,
            idp,
            assigned,
            assigned_index,
        });
    }

    // Groups: members become users; nested groups and orgs are resolved.
    let export_group_ids: Vec<HashMap<&str, usize>> = exports
        .iter()
        .map(|export| {
            let mut ids = HashMap::with_capacity(export.groups.len());
            for (index, group) in export.groups.iter().enumerate() {
                ids.entry(group.id.as_str()).or_insert(index);
            }
            ids
        })
        .collect();
    // Imported members made ready on every core (half a million in a large export): trimmed,
    // checked and hashed; interned below one after another, so users are numbered in order.
    let prepared: Vec<Vec<Prepared<'_>>> = {
        let keys = &b.user_keys;
        group_raw
            .par_iter()
            .map(|source| match *source {
                GroupSource::Imported { entry, group } => {
                    prepare(&exports[entry].groups[group], &export_file_ids, keys)
                }
                GroupSource::Written(..) => Vec::new(),
            })
            .collect()
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut export_problems = Vec::new();
    for (source, prepared) in group_raw.iter().zip(&prepared) {
        let (file, raw) = match *source {
            GroupSource::Written(file, raw) => (file, raw),
            GroupSource::Imported { entry, group } => {
                let export = &exports[entry];
                let g = &export.groups[group];
                let resolved = &mut export_entries[entry];
                let name = At::new(g.name.clone(), at_location(&g.location));
                let mut scim = At::new(false, name.span);
                // Every entry naming the group by name or id is matched; the last one written
                // is where its flag points.
                let by_name = resolved.assigned_index.get(&g.name).into_iter().flatten();
                let by_id = resolved.assigned_index.get(&g.id).into_iter().flatten();
                let matches: Vec<usize> = by_name.chain(by_id).copied().collect();
                if let Some(&last) = matches.iter().max() {
                    scim = At::new(true, resolved.assigned[last].0.span);
                }
                for index in matches {
                    resolved.assigned[index].1 = true;
                }
                let mut members = Vec::with_capacity(prepared.len());
                for member in prepared {
                    let Some((key, hash)) = &member.key else {
                        export_problems.push(ExportProblem {
                            kind: ExportProblemKind::Unresolved,
                            span: member.span,
                            message: format!(
                                "member `{}` of group `{}` is not an email address, so no seat can be matched to it",
                                member.email, g.name
                            ),
                            group: None,
                        });
                        continue;
                    };
                    let user = b.intern_hashed(member.email, key, *hash);
                    members.push(At::new(user, member.span));
                }
                members.sort_by_key(|m| m.value);
                members.dedup_by_key(|m| m.value);
                let member_groups = g
                    .groups
                    .iter()
                    .filter_map(|nested| {
                        let name =
                            &export.groups[*export_group_ids[entry].get(nested.id.as_str())?].name;
                        let id = group_names.get(name)?;
                        Some(At::new(GroupId(id), at_location(&nested.location)))
                    })
                    .collect();
                groups.push(Group {
                    org: resolved.org,
                    idp: resolved.idp,
                    scim: Some(scim),
                    members,
                    member_groups,
                    name,
                });
                continue;
            }
        };
        let name = string(file, &raw.name);
        let from = format!("group `{}`", name.value);
        let org = b.owner_org(file, &raw.org, &org_names, &name, &from);
        let idp = match &raw.idp {
            Some(i) => idp_names
                .resolve(&mut b, &string(file, i), &from)
                .map(IdpId),
            None => org.and_then(|o| orgs[o.index()].idp),
        };
        let mut members = Vec::with_capacity(raw.members.len());
        for member in &raw.members {
            let email = span(file, &member.0);
            if let Some(user) = b.user(&member.0.value, email, Some(&group_names)) {
                members.push(At::new(user, email));
            }
        }
        members.sort_by_key(|m| m.value);
        members.dedup_by_key(|m| m.value);
        let member_groups = raw
            .member_groups
            .iter()
            .filter_map(|g| {
                let g = string(file, g);
                group_names
                    .resolve(&mut b, &g, &from)
                    .map(|id| At::new(GroupId(id), g.span))
            })
            .collect();
        groups.push(Group {
            name,
            org,
            idp,
            scim: opt(file, &raw.scim, |s| *s),
            members,
            member_groups,
        });
    }

    // Assigned names that name no group of their export, and what the exports left unknown.
    for (entry, resolved) in export_entries.iter().enumerate() {
        for (assigned, matched) in &resolved.assigned {
            if !matched {
                b.unresolved.push(Unresolved {
                    kind: Kind::Group,
                    name: assigned.clone(),
                    from: "`assigned` of a directory export".into(),
                    message: None,
                    help: None,
                    candidates: exports[entry]
                        .groups
                        .iter()
                        .map(|g| g.name.clone())
                        .collect(),
                });
            }
        }
    }
    for export in &exports {
        for problem in &export.problems {
            let kind = match problem.kind {
                ProblemKind::MissingPage { .. }
                | ProblemKind::PageGap { .. }
                | ProblemKind::MissingScimPage { .. } => ExportProblemKind::Incomplete,
                ProblemKind::UnresolvedMember { .. }
                | ProblemKind::UnknownMemberType { .. }
                | ProblemKind::UnknownGroup { .. } => ExportProblemKind::Unresolved,
                ProblemKind::WholeDomain { .. } => ExportProblemKind::WholeDomain,
                // Told by the graph (IDP002), or not a problem for seats or access: an inactive
                // user is not provisioned, a device cannot sign in, an inferred type is right.
                ProblemKind::Cycle { .. }
                | ProblemKind::NotActive { .. }
                | ProblemKind::NotAPerson { .. }
                | ProblemKind::TypeInferred { .. } => continue,
            };
            let group = match &problem.kind {
                ProblemKind::WholeDomain { group, .. } => group_names.get(group).map(GroupId),
                _ => None,
            };
            export_problems.push(ExportProblem {
                kind,
                span: at_location(&problem.location),
                message: problem.to_string(),
                group,
            });
        }
    }

    // Half a million imported users and their strings in a large org: freed on another core
    // while the rest is converted and checked.
    rayon::spawn(move || drop(exports));

    // Roles and limits: assigned to groups by name; an email there is a user assignment.
    let mut roles = Vec::new();
    for &(file, raw) in &role_raw {
        let name = string(file, &raw.name);
        let from = format!("role `{}`", name.value);
        let groups = b.assignments(file, &raw.groups, &group_names, Kind::Role, &from);
        roles.push(Role {
            entitlements: raw
                .entitlements
                .iter()
                .map(|e| at(file, e, entitlement))
                .collect(),
            withholds: raw
                .withholds
                .iter()
                .map(|e| at(file, e, entitlement))
                .collect(),
            groups,
            name,
        });
    }
    let mut limits = Vec::new();
    for &(file, raw) in &limit_raw {
        let name = string(file, &raw.name);
        let from = format!("spend limit `{}`", name.value);
        let groups = b.assignments(file, &raw.groups, &group_names, Kind::Limit, &from);
        limits.push(Limit {
            amount: at(file, &raw.amount, amount),
            groups,
            name,
        });
    }

    let rollout = super::rollout::build(
        &mut b,
        &docs,
        &super::rollout::Names {
            orgs: &org_names,
            groups: &group_names,
            connectors: &connector_names,
        },
    );

    skipped_definitions(&mut b, &skipped);
    if !b.errors.is_empty() {
        return Err((b.errors, b.sources));
    }
    b.entities.sort_by_key(|e| (e.span.file, e.span.start));
    Ok(Policy {
        sources: b.sources,
        orgs,
        idps,
        groups,
        users: b.users,
        roles,
        limits,
        step_entries: {
            let mut entries: HashMap<String, Vec<StepId>> = HashMap::new();
            for (i, step) in step_list.iter().enumerate() {
                entries
                    .entry(step.name.clone())
                    .or_default()
                    .push(StepId(i as u32));
            }
            entries
        },
        steps: step_list,
        unresolved: b.unresolved,
        user_assignments: b.user_assignments,
        skipped: skipped.into_iter().map(|d| d.path).collect(),
        entities: b.entities,
        connectors: rollout.connectors,
        plugins: rollout.plugins,
        marketplaces: rollout.marketplaces,
        security: rollout.security,
        networks: rollout.networks,
        deployments: rollout.deployments,
        observability: rollout.observability,
        desktop: rollout.desktop,
        managed_files: Vec::new(),
        teams: rollout.teams,
        launches: rollout.launches,
        platform: rollout.platform,
        waivers: Vec::new(),
        export_files,
        export_problems,
    })
}

/// An imported member made ready on any thread: where it is written, its email trimmed, and the
/// key and hash it is interned by ([`UserKeys::key`]), or none when it is no email.
struct Prepared<'e> {
    span: Span,
    email: &'e str,
    key: Option<(Cow<'e, str>, u64)>,
}

/// The members of an imported group that have an email (one without is a problem the reader
/// recorded), in order.
fn prepare<'e>(
    group: &'e import::Group,
    files: &HashMap<String, FileId>,
    keys: &UserKeys,
) -> Vec<Prepared<'e>> {
    // A group's members are nearly always in one file: its id is looked up when the file changes.
    let mut last: (&str, FileId) = ("", FileId(0));
    group
        .users
        .iter()
        .filter_map(|user| {
            let email = user.email.as_deref()?.trim();
            let location = &user.location;
            if last.0 != location.file {
                let id = files.get(&location.file).copied().unwrap_or(FileId(0));
                last = (&location.file, id);
            }
            Some(Prepared {
                span: Span {
                    file: last.1,
                    start: location.bytes.start as u32,
                    end: location.bytes.end as u32,
                },
                email,
                key: super::builder::is_email(email).then(|| keys.key(email)),
            })
        })
        .collect()
}

/// References that name nothing because what they name is in a skipped file: one error per
/// such file, at the first of them, so that the cause comes before the unknown references it
/// would otherwise bury itself under.
fn skipped_definitions(b: &mut Builder, skipped: &[super::classify::Defines]) {
    fn section(kind: Kind) -> &'static str {
        match kind {
            Kind::Org => "orgs",
            Kind::Idp => "identityProviders",
            Kind::Group => "groups",
            Kind::Role => "roles",
            Kind::Limit => "spendLimits",
            Kind::Step => "steps",
            Kind::Connector => "connectors",
            Kind::Plugin => "plugins",
            Kind::Section(key) => key,
        }
    }
    for file in skipped {
        let defines = |u: &&Unresolved| {
            let key = section(u.kind);
            file.sections.iter().any(|s| s == key)
                && (u.message.is_some() || file.names.contains(&u.name.value))
        };
        let needing: Vec<&Unresolved> = b.unresolved.iter().filter(defines).collect();
        let Some(first) = needing.first() else {
            continue;
        };
        let mut what: Vec<String> = Vec::new();
        for u in &needing {
            let item = match u.message {
                Some(_) => format!("its top-level `{}`", section(u.kind)),
                None => format!("{} `{}`", u.kind.noun(), u.name.value),
            };
            if !what.contains(&item) {
                what.push(item);
            }
        }
        let error = LoadError::Invalid {
            location: b.sources.locate(first.name.span),
            message: format!(
                "`{}` was skipped as not policy, but {} need what it defines: {}",
                file.path,
                crate::diagnostic::plural(needing.len(), "reference"),
                match what.len() {
                    0..=3 => what.join(", "),
                    n => format!("{} and {} more", what[..3].join(", "), n - 3),
                }
            ),
            help: Some(format!(
                "add `apiVersion: {}` as the first line of `{}`",
                raw::API_VERSION,
                file.path
            )),
        };
        b.errors.push(error);
    }
}

/// A domain, lowercased.
fn domain(file: FileId, value: &S<String>) -> At<String> {
    at(file, value, |d| d.trim().to_ascii_lowercase())
}

fn amount(raw: &raw::RawAmount) -> Amount {
    match *raw {
        raw::RawAmount::Cents(c) => Amount::Cents(c),
        raw::RawAmount::Unlimited => Amount::Unlimited,
    }
}

fn entitlement(raw: &raw::RawEntitlement) -> Entitlement {
    match raw {
        raw::RawEntitlement::Cowork => Entitlement::Cowork,
        raw::RawEntitlement::Chat => Entitlement::Chat,
        raw::RawEntitlement::ClaudeCode => Entitlement::ClaudeCode,
    }
}
