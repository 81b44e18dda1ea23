//! Google Workspace exports: the Directory API's `members.list` (and optionally `groups.list`).
//!
//! # Layout
//!
//! `members.list` (`GET admin/directory/v1/groups/{groupKey}/members`) answers
//! `{"kind": "admin#directory#members", "members": [...], "nextPageToken": ...}` and does not
//! name its group, so the file name does. Files:
//!
//! - `members-<group email>.json`: one group's direct members;
//! - `transitive-members-<group email>.json`: the same with `includeDerivedMembership=true`, the
//!   flattened set (optional);
//! - `groups.json`: `GET admin/directory/v1/groups` (`id`, `email`, `name`; optional), to name
//!   the groups and to map a file named by the group's unique id to its email.
//!
//! Further pages go in `<name>.2.json`, `<name>.3.json`, ...
//!
//! # Quirks
//!
//! - Each member has `email`, `role` (`OWNER`, `MANAGER`, `MEMBER`), `type` (`USER`, `GROUP`,
//!   `CUSTOMER`, `EXTERNAL`) and `status`. `type: GROUP` is nesting, by the nested group's
//!   email.
//! - `type: CUSTOMER` means every user of the domain, with no email list: who the group
//!   provisions is unknown, and said so ([`super::ProblemKind::WholeDomain`]), never guessed.
//! - `nextPageToken` says a next page exists: without its file, a
//!   [`super::ProblemKind::MissingPage`].
//! - Group ids here are the groups' emails, lowercased.

use std::collections::{HashMap, HashSet};

use super::json::Node;
use super::{
    Builder, Entry, File, ImportError, Kind, Locator, ProblemKind, check_next_page, member_file,
    shape_error,
};

pub(crate) fn read(files: &[File<'_>], builder: &mut Builder) -> Result<(), Vec<ImportError>> {
    let names: HashSet<&str> = files.iter().map(|f| f.name).collect();
    // A group's unique id to its email, from `groups.json`.
    let mut aliases: HashMap<String, String> = HashMap::new();
    let is_member_file = |file: &File<'_>| member_file(file).is_some();
    super::read_json_files(
        files,
        builder,
        &mut aliases,
        is_member_file,
        is_member_file,
        |file, root, aliases, builder| {
            let found = read_file(file, root, &names, aliases, builder)?;
            aliases.extend(found);
            Ok(())
        },
        |file, root, aliases, builder| read_file(file, root, &names, aliases, builder).map(drop),
    )
}

/// Read one file; a group listing gives the groups' ids and emails, for member files named by
/// id (`aliases` holds those of the listings read before).
fn read_file(
    file: &File<'_>,
    root: &Node<'_>,
    names: &HashSet<&str>,
    aliases: &HashMap<String, String>,
    builder: &mut Builder,
) -> Result<Vec<(String, String)>, ImportError> {
    let mut found = Vec::new();
    let mut locator = Locator::new(file.name, file.text);
    if !matches!(root.value, super::json::Value::Object(_)) {
        return Err(shape_error(
            &mut locator,
            root,
            format!(
                "expected a Directory API response (an object), found {}",
                root.kind()
            ),
        ));
    }
    let list_key = match (file.stem_and_page().0, member_file(file)) {
        (_, Some(_)) => "members",
        ("groups", None) => "groups",
        _ => {
            return Err(ImportError {
                location: locator.at(0, 0),
                message: "expected a file named `groups.json`, `members-<group email>.json` or `transitive-members-<group email>.json` (further pages `.2.json`, `.3.json`, ...)".to_string(),
            });
        }
    };
    // An empty group's response has no `members` at all.
    let items = match root.get(list_key) {
        None => &[][..],
        Some(list) => list.as_array().ok_or_else(|| {
            shape_error(
                &mut locator,
                list,
                format!(
                    "expected `{list_key}` to be an array, found {}",
                    list.kind()
                ),
            )
        })?,
    };
    if let Some((key, transitive)) = member_file(file) {
        let key = key.to_lowercase();
        let id = aliases.get(&key).cloned().unwrap_or(key);
        let index = builder.group(&id, None, || locator.at(0, 0));
        for item in items {
            let Some(entry) = member(item, &mut locator, builder, index)? else {
                continue;
            };
            if transitive {
                builder.transitive_member(index, entry);
            } else {
                builder.member(index, entry);
            }
        }
    } else {
        for item in items {
            let email_node = item.get("email").filter(|n| n.as_str().is_some());
            let Some(email) = email_node.and_then(Node::as_str) else {
                return Err(shape_error(
                    &mut locator,
                    item,
                    "expected an `email` (a string) in this group",
                ));
            };
            let email = email.to_lowercase();
            let name = item.str_at("name").unwrap_or(&email).to_string();
            let location = locator.node(email_node.unwrap_or(item));
            builder.define(&email, &name, location);
            if let Some(id) = item.str_at("id") {
                found.push((id.to_lowercase(), email));
            }
        }
    }
    if let Some(next) = root.get("nextPageToken") {
        check_next_page(builder, names, file, &mut locator, next);
    }
    Ok(found)
}

fn member(
    item: &Node<'_>,
    locator: &mut Locator<'_>,
    builder: &mut Builder,
    group: usize,
) -> Result<Option<Entry>, ImportError> {
    let email_node = item.get("email").filter(|n| n.as_str().is_some());
    let email = email_node.and_then(Node::as_str);
    let id = item.str_at("id");
    let location = locator.node(email_node.or_else(|| item.get("id")).unwrap_or(item));
    let kind = match item.str_at("type") {
        Some("USER" | "EXTERNAL") => Kind::User,
        Some("GROUP") => Kind::Group,
        Some("CUSTOMER") => {
            let problem = ProblemKind::WholeDomain {
                group: builder.group_name(group),
                customer: id.unwrap_or("(no id)").to_string(),
            };
            builder.problem(problem, location);
            return Ok(None);
        }
        _ => Kind::Unknown,
    };
    if email.is_none() && id.is_none() {
        return Err(shape_error(
            locator,
            item,
            "expected an `email` or an `id` in this member",
        ));
    }
    // Groups are known by their email here, so a nested group's id is its email.
    let key = if kind == Kind::Group || kind == Kind::Unknown {
        email.map(str::to_lowercase).or(id.map(str::to_string))
    } else {
        id.map(str::to_string)
    };
    Ok(Some(Entry {
        kind,
        id: key,
        email: email.map(str::to_string),
        display: None,
        status: item.str_at("status").map(str::to_string),
        active: true,
        location,
    }))
}
