//! SCIM 2.0 exports: `ListResponse`s of Groups and Users (RFC 7643, RFC 7644).
//!
//! # Layout
//!
//! Any number of JSON files, named freely. Each is one of:
//!
//! - a `ListResponse` (RFC 7644 section 3.4.2: `schemas`, `totalResults`, `startIndex`,
//!   `itemsPerPage`, `Resources`), the answer to `GET /Groups` or `GET /Users`, one file per
//!   page;
//! - a single Group or User resource (RFC 7643 sections 4.1 and 4.2), the answer to
//!   `GET /Groups/{id}`.
//!
//! A resource is a Group when its `schemas` name `urn:ietf:params:scim:schemas:core:2.0:Group`
//! (or its `meta.resourceType` is `Group`, or it has `members`), a User when they name
//! `...:core:2.0:User` (or `meta.resourceType` is `User`, or it has `userName`).
//!
//! # Quirks
//!
//! - A Group's `members[]` name members by `value`, the member's **id** (RFC 7643 section
//!   4.2), not its email. Emails come from the Users resources of the export (`userName` by
//!   default, or the primary of `emails[]`: [`super::Options::email_attribute`]), else from
//!   the member's `display` when it is an email, else the member is kept by id with an
//!   [`super::ProblemKind::UnresolvedMember`].
//! - `type` (`User` or `Group`) is optional; without it the `$ref` (`.../Users/{id}` or
//!   `.../Groups/{id}`) tells, with a [`super::ProblemKind::TypeInferred`], else the listings.
//! - Paging (RFC 7644 section 3.4.2.4): `startIndex` is 1-based; the pages read must cover
//!   `1..=totalResults` for Groups and for Users, else a [`super::ProblemKind::MissingScimPage`]
//!   names the first `startIndex` missing.
//! - Groups may contain groups, and contain each other (RFC 7644 section 3.7.1 creates two such
//!   groups in one bulk request): reported as a [`super::ProblemKind::Cycle`].

use rayon::prelude::*;

use super::json::{Node, Value};
use super::{Builder, Entry, File, ImportError, Kind, Locator, Options, ProblemKind, shape_error};

const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Resource {
    Group,
    User,
}

/// What one file gave: its users and groups, and its page; or what is wrong in it.
type FileRead = Result<(Builder, Option<Page>), Vec<ImportError>>;

/// One page of a listing: its kind, first index, item count, and where `totalResults` is.
struct Page {
    kind: Resource,
    start: u64,
    count: u64,
    total: u64,
    file: usize,
    total_at: (usize, usize),
}

pub(crate) fn read(
    files: &[File<'_>],
    options: &Options,
    builder: &mut Builder,
) -> Result<(), Vec<ImportError>> {
    let attribute = options.email_attribute.as_deref().unwrap_or("userName");
    // Each file is parsed and read on any core into a builder of its own (groups name their
    // members by user id, resolved once every file is in), then taken in file order, so the
    // export never depends on timing.
    let format = builder.format;
    let read: Vec<FileRead> = files
        .par_iter()
        .enumerate()
        .map(|(index, file)| {
            let mut own = Builder::new(format);
            let root = file.json().map_err(|error| vec![error])?;
            let page = read_file(index, file, &root, attribute, &mut own)?;
            Ok((own, page))
        })
        .collect();
    // Room for every file's users and groups at once, not grown (and copied) file by file.
    let own = || {
        read.iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|(own, _)| own)
    };
    builder.reserve(
        own().map(|o| o.users.len()).sum(),
        own().map(|o| o.groups.len()).sum(),
    );
    let mut errors = Vec::new();
    let mut pages = Vec::new();
    for result in read {
        match result {
            Ok((own, page)) => {
                builder.take(own);
                pages.extend(page);
            }
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    missing_pages(&mut pages, files, builder);
    Ok(())
}

/// The users and groups of one file, and its page when it is a `ListResponse` page.
fn read_file(
    index: usize,
    file: &File<'_>,
    root: &Node<'_>,
    attribute: &str,
    builder: &mut Builder,
) -> Result<Option<Page>, Vec<ImportError>> {
    let mut locator = Locator::new(file.name, file.text);
    let resources = resources(root, &mut locator).map_err(|error| vec![error])?;
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    for resource in resources {
        match kind(resource) {
            Some(Resource::User) => {
                kinds.push(Resource::User);
                match user(resource, attribute, &mut locator) {
                    Ok((id, email)) => {
                        builder.users.insert(id, email);
                    }
                    Err(error) => errors.push(error),
                }
            }
            Some(Resource::Group) => {
                kinds.push(Resource::Group);
                if let Err(error) = group(resource, &mut locator, builder) {
                    errors.push(error);
                }
            }
            None => errors.push(shape_error(
                &mut locator,
                resource,
                format!(
                    "expected a SCIM Group or User resource (with `schemas` naming `{GROUP_SCHEMA}` or `{USER_SCHEMA}`), found {} without them",
                    resource.kind()
                ),
            )),
        }
    }
    let mut page_read = None;
    if root.get("Resources").is_some() {
        match page(root, &kinds, index, &mut locator) {
            Ok(page) => page_read = page,
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(page_read)
    } else {
        Err(errors)
    }
}

/// The resources of a file: the `Resources` of a `ListResponse`, or the file itself.
fn resources<'n, 'a>(
    root: &'n Node<'a>,
    locator: &mut Locator<'_>,
) -> Result<Vec<&'n Node<'a>>, ImportError> {
    if !matches!(root.value, Value::Object(_)) {
        return Err(shape_error(
            locator,
            root,
            format!(
                "expected a SCIM `ListResponse` or resource (an object), found {}",
                root.kind()
            ),
        ));
    }
    match root.get("Resources") {
        Some(list) => match list.as_array() {
            Some(items) => Ok(items.iter().collect()),
            None => Err(shape_error(
                locator,
                list,
                format!("expected `Resources` to be an array, found {}", list.kind()),
            )),
        },
        None if root.get("totalResults").is_some() => Ok(Vec::new()),
        None => Ok(vec![root]),
    }
}

fn kind(resource: &Node<'_>) -> Option<Resource> {
    if let Some(schemas) = resource.get("schemas").and_then(Node::as_array) {
        for schema in schemas.iter().filter_map(Node::as_str) {
            if schema.eq_ignore_ascii_case(GROUP_SCHEMA) {
                return Some(Resource::Group);
            }
            if schema.eq_ignore_ascii_case(USER_SCHEMA) {
                return Some(Resource::User);
            }
        }
    }
    match resource.get("meta").and_then(|m| m.str_at("resourceType")) {
        Some("Group") => return Some(Resource::Group),
        Some("User") => return Some(Resource::User),
        _ => {}
    }
    if resource.get("members").is_some() {
        Some(Resource::Group)
    } else if resource.get("userName").is_some() {
        Some(Resource::User)
    } else {
        None
    }
}

/// A user's id and email, by the email attribute.
fn user(
    resource: &Node<'_>,
    attribute: &str,
    locator: &mut Locator<'_>,
) -> Result<(String, Option<String>), ImportError> {
    let id = super::required_id(resource, "SCIM User", locator)?;
    let email = if attribute == "emails" {
        let emails = resource
            .get("emails")
            .and_then(Node::as_array)
            .unwrap_or(&[]);
        let pick = |test: &dyn Fn(&Node<'_>) -> bool| {
            emails
                .iter()
                .find(|e| test(e))
                .and_then(|e| e.str_at("value"))
        };
        pick(&|e| matches!(e.get("primary").map(|p| &p.value), Some(Value::Bool(true))))
            .or_else(|| pick(&|e| e.str_at("type") == Some("work")))
            .or_else(|| pick(&|_| true))
    } else {
        resource.str_at(attribute)
    };
    Ok((id.to_string(), email.map(str::to_lowercase)))
}

fn group(
    resource: &Node<'_>,
    locator: &mut Locator<'_>,
    builder: &mut Builder,
) -> Result<(), ImportError> {
    let id = super::required_id(resource, "SCIM Group", locator)?;
    let name_node = resource.get("displayName").filter(|n| n.as_str().is_some());
    let name = name_node.and_then(Node::as_str).unwrap_or(id);
    let location = locator.node(name_node.unwrap_or(resource));
    let index = builder.define(id, name, location);
    let Some(members) = resource.get("members") else {
        return Ok(());
    };
    let Some(members) = members.as_array() else {
        return Err(shape_error(
            locator,
            members,
            format!(
                "expected `members` to be an array, found {}",
                members.kind()
            ),
        ));
    };
    for member in members {
        let Some(value) = member.get("value") else {
            return Err(shape_error(
                locator,
                member,
                "expected a `value` (the member's id) in this member",
            ));
        };
        let Some(member_id) = value.as_str() else {
            return Err(shape_error(
                locator,
                value,
                format!(
                    "expected the member's `value` to be a string id, found {}",
                    value.kind()
                ),
            ));
        };
        let location = locator.node(value);
        let told = member.str_at("type");
        let kind = match told {
            Some(t) if t.eq_ignore_ascii_case("User") => Kind::User,
            Some(t) if t.eq_ignore_ascii_case("Group") => Kind::Group,
            _ => match member.str_at("$ref") {
                Some(reference)
                    if reference.contains("/Users/") || reference.contains("/Groups/") =>
                {
                    let kind = if reference.contains("/Users/") {
                        Kind::User
                    } else {
                        Kind::Group
                    };
                    if told.is_none() {
                        builder.problem(
                            ProblemKind::TypeInferred {
                                group: name.to_string(),
                                member: member_id.to_string(),
                                from: "$ref",
                            },
                            location.clone(),
                        );
                    }
                    kind
                }
                _ => Kind::Unknown,
            },
        };
        builder.member(
            index,
            Entry {
                kind,
                id: Some(member_id.to_string()),
                email: None,
                display: member.str_at("display").map(str::to_string),
                status: None,
                active: true,
                location,
            },
        );
    }
    Ok(())
}

/// A `ListResponse`'s paging, when it has resources.
fn page(
    root: &Node<'_>,
    kinds: &[Resource],
    file: usize,
    locator: &mut Locator<'_>,
) -> Result<Option<Page>, ImportError> {
    let Some(&kind) = kinds.first() else {
        return Ok(None);
    };
    type Number = Option<(u64, (usize, usize))>;
    let number = |key: &str, locator: &mut Locator<'_>| -> Result<Number, ImportError> {
        let Some(node) = root.get(key) else {
            return Ok(None);
        };
        match node.value {
            Value::Number(text) => text
                .parse::<u64>()
                .map(|n| Some((n, (node.start, node.end))))
                .map_err(|_| {
                    shape_error(
                        locator,
                        node,
                        format!("expected `{key}` to be a whole number of at most 20 digits, found `{text}`"),
                    )
                }),
            _ => Err(shape_error(
                locator,
                node,
                format!("expected `{key}` to be a number, found {}", node.kind()),
            )),
        }
    };
    let Some((total, total_at)) = number("totalResults", locator)? else {
        return Ok(None);
    };
    let start = number("startIndex", locator)?.map_or(1, |(n, _)| n);
    Ok(Some(Page {
        kind,
        start,
        count: kinds.len() as u64,
        total,
        file,
        total_at,
    }))
}

/// For Groups and for Users, the first `startIndex` that no page read covers.
fn missing_pages(pages: &mut [Page], files: &[File<'_>], builder: &mut Builder) {
    pages.sort_by_key(|p| (p.kind == Resource::User, p.start));
    for kind in [Resource::Group, Resource::User] {
        let mut expected = 1u64;
        let mut last = None;
        for page in pages.iter().filter(|p| p.kind == kind) {
            if page.start > expected {
                break;
            }
            expected = expected.max(page.start.saturating_add(page.count));
            last = Some(page);
        }
        let Some(last) = last.or_else(|| pages.iter().find(|p| p.kind == kind)) else {
            continue;
        };
        let total = pages
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.total)
            .max()
            .unwrap_or(0);
        if expected <= total {
            let file = &files[last.file];
            let location = Locator::new(file.name, file.text).at(last.total_at.0, last.total_at.1);
            let resource = if kind == Resource::Group {
                "Groups"
            } else {
                "Users"
            };
            builder.problem(
                ProblemKind::MissingScimPage {
                    resource,
                    start_index: expected,
                    total,
                },
                location,
            );
        }
    }
}
