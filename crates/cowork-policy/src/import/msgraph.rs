//! Microsoft Graph (Entra ID) exports: `/groups`, `/groups/{id}/members`,
//! `/groups/{id}/transitiveMembers`, and optionally `/users`.
//!
//! # Layout
//!
//! A member listing does not name its group (the group is in the request URL), so the file name
//! does. Files, each the JSON body of one response page (`{"value": [...], ...}`):
//!
//! - `groups.json`: `GET /groups` (`id`, `displayName`; `$expand=members` inlines `members`);
//! - `members-<group id>.json`: `GET /groups/{id}/members`, the **direct** members;
//! - `transitive-members-<group id>.json`: `GET /groups/{id}/transitiveMembers`, the flattened
//!   set (optional);
//! - `users.json`: `GET /users` (optional), to name members that come with an id only.
//!
//! Further pages of a listing go in `<name>.2.json`, `<name>.3.json`, ... in the same folder.
//! Files may sit in subfolders; only the last component of the name counts.
//!
//! # Quirks
//!
//! - Each member has `@odata.type`: `#microsoft.graph.user`, `#microsoft.graph.group`, or a
//!   device, service principal or contact ([`super::ProblemKind::NotAPerson`], left out). Some
//!   documented examples omit it: then `userPrincipalName` tells a user and `groupTypes` or
//!   `securityEnabled` a group ([`super::ProblemKind::TypeInferred`]), else the listings.
//! - A member the caller may not fully read comes with only `@odata.type` and `id`: its email
//!   comes from `users.json`, else it is kept by id ([`super::ProblemKind::UnresolvedMember`]).
//! - `mail` and `userPrincipalName` can differ; which one is the email is
//!   [`super::Options::email_attribute`] (`userPrincipalName` by default).
//! - `@odata.nextLink` says a next page exists: without its file, a
//!   [`super::ProblemKind::MissingPage`].
//! - `transitiveMembers` minus `members` are the users who reach the group only through
//!   nesting, which Entra provisioning does not sync ([`super::Group::only_through_nesting`]).
//! - One documented response carries trailing commas: refused as not strict JSON, located.

use std::collections::HashSet;

use super::json::{Node, Value};
use super::{
    Builder, Entry, File, ImportError, Kind, Locator, Options, ProblemKind, check_next_page,
    member_file, shape_error,
};

pub(crate) fn read(
    files: &[File<'_>],
    options: &Options,
    builder: &mut Builder,
) -> Result<(), Vec<ImportError>> {
    let attribute = options
        .email_attribute
        .as_deref()
        .unwrap_or("userPrincipalName");
    let names: HashSet<&str> = files.iter().map(|f| f.name).collect();
    let is_member_file = |file: &File<'_>| member_file(file).is_some();
    super::read_json_files(
        files,
        builder,
        &mut (),
        is_member_file,
        is_member_file,
        |file, root, _, builder| read_file(file, root, attribute, &names, builder),
        |file, root, _, builder| read_file(file, root, attribute, &names, builder),
    )
}

fn read_file(
    file: &File<'_>,
    root: &Node<'_>,
    attribute: &str,
    names: &HashSet<&str>,
    builder: &mut Builder,
) -> Result<(), ImportError> {
    let mut locator = Locator::new(file.name, file.text);
    let Some(value) = root.get("value") else {
        return Err(shape_error(
            &mut locator,
            root,
            format!(
                "expected a Microsoft Graph collection (an object with `value`), found {}",
                if matches!(root.value, Value::Object(_)) {
                    "an object without `value`"
                } else {
                    root.kind()
                }
            ),
        ));
    };
    let Some(items) = value.as_array() else {
        return Err(shape_error(
            &mut locator,
            value,
            format!("expected `value` to be an array, found {}", value.kind()),
        ));
    };
    let (stem, _) = file.stem_and_page();
    match (stem, member_file(file)) {
        (_, Some((group_id, transitive))) => {
            let index = builder.group(group_id, None, || locator.at(0, 0));
            for item in items {
                // A transitive listing repeats the direct members: its oddities are said once,
                // from the direct listing.
                let entry = member(item, attribute, &mut locator, builder, index, !transitive)?;
                if let Some(entry) = entry {
                    if transitive {
                        builder.transitive_member(index, entry);
                    } else {
                        builder.member(index, entry);
                    }
                }
            }
        }
        ("groups", None) => {
            for item in items {
                let id = super::required_id(item, "group", &mut locator)?;
                let name_node = item.get("displayName").filter(|n| n.as_str().is_some());
                let name = name_node.and_then(Node::as_str).unwrap_or(id);
                let location = locator.node(name_node.unwrap_or(item));
                let index = builder.define(id, name, location);
                if let Some(members) = item.get("members").and_then(Node::as_array) {
                    for m in members {
                        if let Some(entry) =
                            member(m, attribute, &mut locator, builder, index, true)?
                        {
                            builder.member(index, entry);
                        }
                    }
                }
            }
        }
        ("users", None) => {
            for item in items {
                let id = super::required_id(item, "user", &mut locator)?;
                let email = item.str_at(attribute).map(str::to_lowercase);
                builder.users.insert(id.to_string(), email);
            }
        }
        _ => {
            return Err(ImportError {
                location: locator.at(0, 0),
                message: "expected a file named `groups.json`, `users.json`, `members-<group id>.json` or `transitive-members-<group id>.json` (further pages `.2.json`, `.3.json`, ...)".to_string(),
            });
        }
    }
    if let Some(next) = root.get("@odata.nextLink") {
        check_next_page(builder, names, file, &mut locator, next);
    }
    Ok(())
}

/// One member object, or `None` when it is left out (with a problem).
fn member(
    item: &Node<'_>,
    attribute: &str,
    locator: &mut Locator<'_>,
    builder: &mut Builder,
    group: usize,
    report: bool,
) -> Result<Option<Entry>, ImportError> {
    let id = super::required_id(item, "member", locator)?;
    let email_node = item.get(attribute).filter(|n| n.as_str().is_some());
    let location = locator.node(email_node.or_else(|| item.get("id")).unwrap_or(item));
    let group_name = || builder.group_name(group);
    let kind = match item.str_at("@odata.type") {
        Some("#microsoft.graph.user") => Kind::User,
        Some("#microsoft.graph.group") => Kind::Group,
        Some(other) => {
            let problem = ProblemKind::NotAPerson {
                group: group_name(),
                member: id.to_string(),
                kind: other.to_string(),
            };
            if report {
                builder.problem(problem, location);
            }
            return Ok(None);
        }
        None => {
            let told = if item.get("userPrincipalName").is_some() {
                Some((Kind::User, "userPrincipalName"))
            } else if item.get("groupTypes").is_some() {
                Some((Kind::Group, "groupTypes"))
            } else if item.get("securityEnabled").is_some() {
                Some((Kind::Group, "securityEnabled"))
            } else {
                None
            };
            match told {
                Some((kind, from)) => {
                    let problem = ProblemKind::TypeInferred {
                        group: group_name(),
                        member: id.to_string(),
                        from,
                    };
                    if report {
                        builder.problem(problem, location.clone());
                    }
                    kind
                }
                None => Kind::Unknown,
            }
        }
    };
    Ok(Some(Entry {
        kind,
        id: Some(id.to_string()),
        email: email_node.and_then(Node::as_str).map(str::to_string),
        display: None,
        status: None,
        active: true,
        location,
    }))
}
