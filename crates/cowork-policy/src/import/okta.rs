//! Okta exports: `/api/v1/groups`, `/api/v1/groups/{id}/users`, `/api/v1/groups/rules`.
//!
//! # Layout
//!
//! Okta answers with top-level JSON arrays, and pages through the `Link` response header
//! (`rel="next"`), which is not in the body. Files:
//!
//! - `groups.json`: `GET /api/v1/groups` (`id`, `type`, `profile.name`);
//! - `members-<group id>.json`: `GET /api/v1/groups/{id}/users`, the group's users;
//! - `rules.json`: `GET /api/v1/groups/rules` (optional).
//!
//! Further pages go in `<name>.2.json`, `<name>.3.json`, ...: a gap in the numbers is a
//! [`super::ProblemKind::PageGap`]. A last page that was never saved cannot be told from
//! the bodies: the export commands in `docs/idp/okta.md` follow `Link` until it has no `next`.
//!
//! # Quirks
//!
//! - `type` is `OKTA_GROUP`, `APP_GROUP` (imported from Active Directory or LDAP, read-only in
//!   Okta, membership already flattened there: [`super::Group::flattened`]) or `BUILT_IN`
//!   (`Everyone`). Okta groups do not nest.
//! - A user whose `status` is not `ACTIVE` (`STAGED`, `PROVISIONED`, `SUSPENDED`,
//!   `DEPROVISIONED`, ...) is not counted as provisioned: it goes to
//!   [`super::Group::inactive`], with a [`super::ProblemKind::NotActive`].
//! - `profile.login` need not equal `profile.email`: which one is the email is
//!   [`super::Options::email_attribute`] (`login` by default; any `profile` attribute).
//! - A group rule makes the users matching its expression **direct** members of the groups in
//!   `actions.assignUserToGroups.groupIds`: not nesting, but membership no one typed. Each such
//!   group lists the rule in [`super::Group::rules`], with the groups its expression tests
//!   (`isMemberOfAnyGroup("...")`).

use std::collections::HashSet;

use super::json::{Node, Value};
use super::{
    Builder, Entry, File, GroupRule, ImportError, Kind, Locator, Options, ProblemKind, member_file,
    shape_error,
};

pub(crate) fn read(
    files: &[File<'_>],
    options: &Options,
    builder: &mut Builder,
) -> Result<(), Vec<ImportError>> {
    let attribute = options.email_attribute.as_deref().unwrap_or("login");
    let rank = |file: &File<'_>| match (file.stem_and_page().0, member_file(file)) {
        (_, Some(_)) => 1,
        ("rules", None) => 2,
        _ => 0,
    };
    super::read_json_files(
        files,
        builder,
        &mut (),
        rank,
        |file| member_file(file).is_some(),
        |file, root, _, builder| read_file(file, root, attribute, builder),
        |file, root, _, builder| read_file(file, root, attribute, builder),
    )
}

fn read_file(
    file: &File<'_>,
    root: &Node<'_>,
    attribute: &str,
    builder: &mut Builder,
) -> Result<(), ImportError> {
    let mut locator = Locator::new(file.name, file.text);
    let Some(items) = root.as_array() else {
        return Err(shape_error(
            &mut locator,
            root,
            format!(
                "expected an Okta listing (a JSON array), found {}",
                root.kind()
            ),
        ));
    };
    match (file.stem_and_page().0, member_file(file)) {
        (_, Some((_, true))) => Err(ImportError {
            location: locator.at(0, 0),
            message: "Okta groups do not nest, so there is no transitive member listing: name the file `members-<group id>.json`".to_string(),
        }),
        (_, Some((group_id, false))) => {
            let index = builder.group(group_id, None, || locator.at(0, 0));
            for item in items {
                let entry = user(item, attribute, &mut locator, builder, index)?;
                builder.member(index, entry);
            }
            Ok(())
        }
        ("groups", None) => {
            for item in items {
                let id = string_at(item, "id", "group", &mut locator)?;
                let name_node = item
                    .get("profile")
                    .and_then(|p| p.get("name"))
                    .filter(|n| n.as_str().is_some());
                let name = name_node.and_then(Node::as_str).unwrap_or(id);
                let location = locator.node(name_node.unwrap_or(item));
                let index = builder.define(id, name, location);
                let kind = item.str_at("type").map(str::to_string);
                let group = builder.group_mut(index);
                group.flattened = kind.as_deref() == Some("APP_GROUP");
                group.kind = kind;
            }
            Ok(())
        }
        ("rules", None) => {
            for item in items {
                rule(item, &mut locator, builder)?;
            }
            Ok(())
        }
        _ => Err(ImportError {
            location: locator.at(0, 0),
            message: "expected a file named `groups.json`, `rules.json` or `members-<group id>.json` (further pages `.2.json`, `.3.json`, ...)".to_string(),
        }),
    }
}

fn string_at<'n>(
    item: &'n Node<'_>,
    key: &str,
    what: &str,
    locator: &mut Locator<'_>,
) -> Result<&'n str, ImportError> {
    match item.get(key) {
        Some(value) => value.as_str().ok_or_else(|| {
            shape_error(
                locator,
                value,
                format!(
                    "expected the {what}'s `{key}` to be a string, found {}",
                    value.kind()
                ),
            )
        }),
        None => Err(shape_error(
            locator,
            item,
            format!(
                "expected `{key}` in this {what}, found {} without it",
                item.kind()
            ),
        )),
    }
}

fn user(
    item: &Node<'_>,
    attribute: &str,
    locator: &mut Locator<'_>,
    builder: &mut Builder,
    group: usize,
) -> Result<Entry, ImportError> {
    let id = string_at(item, "id", "user", locator)?;
    let email_node = item
        .get("profile")
        .and_then(|p| p.get(attribute))
        .filter(|n| n.as_str().is_some());
    let location = locator.node(email_node.or_else(|| item.get("id")).unwrap_or(item));
    let status = item.str_at("status");
    let active = status.is_none_or(|s| s == "ACTIVE");
    let email = email_node.and_then(Node::as_str);
    if let Some(status) = status
        && !active
    {
        let problem = ProblemKind::NotActive {
            group: builder.group_name(group),
            user: email.unwrap_or(id).to_lowercase(),
            status: status.to_string(),
        };
        builder.problem(problem, location.clone());
    }
    Ok(Entry {
        kind: Kind::User,
        id: Some(id.to_string()),
        email: email.map(str::to_string),
        display: None,
        status: status.map(str::to_string),
        active,
        location,
    })
}

fn rule(
    item: &Node<'_>,
    locator: &mut Locator<'_>,
    builder: &mut Builder,
) -> Result<(), ImportError> {
    let id = string_at(item, "id", "group rule", locator)?;
    let name_node = item.get("name").filter(|n| n.as_str().is_some());
    let name = name_node.and_then(Node::as_str).unwrap_or(id);
    let location = locator.node(name_node.unwrap_or(item));
    let expression = item
        .get("conditions")
        .and_then(|c| c.get("expression"))
        .and_then(|e| e.str_at("value"));
    let targets = item
        .get("actions")
        .and_then(|a| a.get("assignUserToGroups"))
        .and_then(|a| a.get("groupIds"));
    let Some(targets) = targets else {
        return Ok(());
    };
    let Some(targets) = targets.as_array() else {
        return Err(shape_error(
            locator,
            targets,
            format!(
                "expected `groupIds` to be an array of group ids, found {}",
                targets.kind()
            ),
        ));
    };
    let rule = GroupRule {
        id: id.to_string(),
        name: name.to_string(),
        active: item.str_at("status") == Some("ACTIVE"),
        expression: expression.map(str::to_string),
        source_groups: expression.map(tested_groups).unwrap_or_default(),
        location,
    };
    let mut seen = HashSet::new();
    for target in targets {
        let Value::String(group_id) = &target.value else {
            return Err(shape_error(
                locator,
                target,
                format!("expected a group id (a string), found {}", target.kind()),
            ));
        };
        if !seen.insert(group_id.as_ref()) {
            continue;
        }
        let location = locator.node(target);
        let index = builder.group(group_id, None, || location);
        builder.group_mut(index).rules.push(rule.clone());
    }
    Ok(())
}

/// The quoted arguments of the `isMemberOf...` calls of an Okta expression:
/// `isMemberOfAnyGroup("00g1", "00g2")` tests `00g1` and `00g2`.
fn tested_groups(expression: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = expression;
    while let Some(at) = rest.find("isMemberOf") {
        rest = &rest[at..];
        let Some(open) = rest.find('(') else { break };
        let close = rest[open..].find(')').map_or(rest.len(), |c| open + c);
        let args = &rest[open + 1..close];
        let mut chars = args.char_indices();
        while let Some((start, c)) = chars.next() {
            if c == '"' || c == '\'' {
                let body = &args[start + 1..];
                let end = body.find(c).unwrap_or(body.len());
                let value = &body[..end];
                if !out.iter().any(|v: &String| v == value) {
                    out.push(value.to_string());
                }
                for _ in 0..value.chars().count() + 1 {
                    chars.next();
                }
            }
        }
        rest = &rest[close.min(rest.len())..];
        if close == 0 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tested_groups;

    #[test]
    fn groups_tested_by_an_expression() {
        assert_eq!(
            tested_groups(r#"isMemberOfAnyGroup("00g1", '00g2') AND isMemberOfGroup("00g1")"#),
            ["00g1", "00g2"]
        );
        assert!(tested_groups("user.department == \"eng\"").is_empty());
        assert!(tested_groups("isMemberOfAnyGroup(\"open").len() == 1);
    }
}
