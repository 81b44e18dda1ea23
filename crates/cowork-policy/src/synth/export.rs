//! The synthetic org's groups written as an identity provider's export, in the layouts the
//! readers of [`crate::import`] document (file names, paging), with the page sizes the export
//! commands of `docs/idp/` ask for: SCIM 100 resources a page (`count=100`), Graph 999
//! (`$top=999`), Okta 200 (`limit=200`), Google 200 (`maxResults=200`, the API's maximum), GAM
//! one CSV.
//!
//! Okta groups cannot nest: a nested group of the plan is left out of the Okta export (each
//! group lists its direct users only), so the Okta org has no IDP001 findings where the others
//! have one per nested group. An Okta group rule (`isMemberOfAnyGroup`) would not be nesting
//! either: Okta makes the matching users direct members, so the parent would list them.

use std::fmt::Write as _;

use super::PlannedGroup;
use crate::import::Format;

/// The domain of the Google and GAM groups' emails; distinct from the users' so that a group's
/// email is never taken for a user's.
pub(super) const GROUP_DOMAIN: &str = "groups.synth.example";

/// A group's name as the export names it: its email for GAM (whose CSV has no other name),
/// else the plan's name.
pub(super) fn exported_name(format: Format, name: &str) -> String {
    match format {
        Format::Gam => format!("{name}@{GROUP_DOMAIN}"),
        _ => name.to_string(),
    }
}

/// splitmix64's finaliser: a stable, well-spread number for `(kind, index)`, to make ids look
/// like the IdP's opaque ones.
fn mix(kind: u64, index: usize) -> u64 {
    let mut z = (kind << 48 ^ index as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A GUID (Entra and SCIM ids). Unique per `(kind, index)` for the sizes synth writes: the
/// index is in the last group of digits.
fn guid(kind: u64, index: usize) -> String {
    let a = mix(kind, index);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        kind & 0xfff,
        index
    )
}

const USER: u64 = 1;
const GROUP: u64 = 2;

/// The files of the export, paths relative to the export folder.
pub(super) fn files(
    format: Format,
    groups: &[PlannedGroup],
    emails: &[String],
) -> Vec<(String, String)> {
    match format {
        Format::Scim => scim(groups, emails),
        Format::Msgraph => msgraph(groups, emails),
        Format::Okta => okta(groups, emails),
        Format::Google => google(groups, emails),
        Format::Gam => vec![("group-members.csv".to_string(), gam(groups, emails))],
    }
}

/// `name.json`, `name.2.json`, ...: the pages of one listing, as the readers expect them.
fn page_name(stem: &str, page: usize) -> String {
    if page == 0 {
        format!("{stem}.json")
    } else {
        format!("{stem}.{}.json", page + 1)
    }
}

/// A member of a group: a user (by index) or a nested group (by index).
#[derive(Clone, Copy)]
enum Member {
    User(usize),
    Group(usize),
}

fn members_of(group: &PlannedGroup, with_nested: bool) -> Vec<Member> {
    let mut members: Vec<Member> = group.members.iter().map(|&u| Member::User(u)).collect();
    if with_nested && let Some(nested) = group.nests {
        members.push(Member::Group(nested));
    }
    members
}

/// `Groups-1.json`, `Groups-101.json`, ... and `Users-1.json`, ...: SCIM `ListResponse` pages
/// by `startIndex`, 100 resources each. Members are named by id only (with `$ref` and `type`),
/// as Entra and Okta's SCIM servers do; the emails come from the Users pages (`userName`).
fn scim(groups: &[PlannedGroup], emails: &[String]) -> Vec<(String, String)> {
    const PAGE: usize = 100;
    const BASE: &str = "https://scim.synth.example/scim/v2";
    let list = |text: &mut String, total: usize, start: usize, len: usize| {
        let _ = write!(
            text,
            "{{\n  \"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\n  \"totalResults\": {total},\n  \"startIndex\": {},\n  \"itemsPerPage\": {len},\n  \"Resources\": [\n",
            start + 1
        );
    };
    let mut files = Vec::new();
    for start in (0..emails.len()).step_by(PAGE) {
        let end = (start + PAGE).min(emails.len());
        let mut text = String::new();
        list(&mut text, emails.len(), start, end - start);
        for (i, email) in emails.iter().enumerate().take(end).skip(start) {
            let _ = writeln!(
                text,
                "    {{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"id\": \"{}\", \"userName\": \"{email}\", \"active\": true, \"emails\": [{{\"value\": \"{email}\", \"type\": \"work\", \"primary\": true}}], \"meta\": {{\"resourceType\": \"User\"}}}}{}",
                guid(USER, i),
                if i + 1 < end { "," } else { "" }
            );
        }
        text.push_str("  ]\n}\n");
        files.push((format!("Users-{}.json", start + 1), text));
    }
    for start in (0..groups.len()).step_by(PAGE) {
        let end = (start + PAGE).min(groups.len());
        let mut text = String::new();
        list(&mut text, groups.len(), start, end - start);
        for (g, group) in groups.iter().enumerate().take(end).skip(start) {
            let id = guid(GROUP, g);
            let _ = write!(
                text,
                "    {{\n      \"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\n      \"id\": \"{id}\",\n      \"displayName\": \"{}\",\n      \"meta\": {{\"resourceType\": \"Group\", \"location\": \"{BASE}/Groups/{id}\"}},\n      \"members\": [",
                group.name
            );
            let members = members_of(group, true);
            for (m, member) in members.iter().enumerate() {
                let (id, kind) = match *member {
                    Member::User(u) => (guid(USER, u), "User"),
                    Member::Group(n) => (guid(GROUP, n), "Group"),
                };
                let _ = write!(
                    text,
                    "\n        {{\"value\": \"{id}\", \"$ref\": \"{BASE}/{kind}s/{id}\", \"type\": \"{kind}\"}}{}",
                    if m + 1 < members.len() { "," } else { "" }
                );
            }
            let _ = writeln!(
                text,
                "\n      ]\n    }}{}",
                if g + 1 < end { "," } else { "" }
            );
        }
        text.push_str("  ]\n}\n");
        files.push((format!("Groups-{}.json", start + 1), text));
    }
    files
}

/// `groups.json` and `members-<group id>.json` (direct members), Graph response pages of 999
/// (`$top=999`), each but the last with its `@odata.nextLink`, further pages `.2.json`, ...
fn msgraph(groups: &[PlannedGroup], emails: &[String]) -> Vec<(String, String)> {
    const PAGE: usize = 999;
    const GRAPH: &str = "https://graph.microsoft.com/v1.0";
    let mut files = Vec::new();
    let pages = |stem: &str, context: &str, url: &str, items: Vec<String>| {
        let count = items.len().div_ceil(PAGE).max(1);
        let mut out = Vec::with_capacity(count);
        for page in 0..count {
            let mut text = format!(
                "{{\n  \"@odata.context\": \"{GRAPH}/$metadata#{context}\",\n  \"value\": ["
            );
            let chunk = items.get(page * PAGE..((page + 1) * PAGE).min(items.len()));
            for (i, item) in chunk.unwrap_or(&[]).iter().enumerate() {
                text.push_str(if i == 0 { "\n    " } else { ",\n    " });
                text.push_str(item);
            }
            text.push_str("\n  ]");
            if page + 1 < count {
                let _ = write!(
                    text,
                    ",\n  \"@odata.nextLink\": \"{url}&$skiptoken=RFNwdAIAAQAAAB{:08x}\"",
                    mix(3, page + 1) as u32
                );
            }
            text.push_str("\n}\n");
            out.push((page_name(stem, page), text));
        }
        out
    };
    let listed: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            format!(
                "{{\"id\": \"{}\", \"displayName\": \"{}\", \"securityEnabled\": true, \"groupTypes\": []}}",
                guid(GROUP, g),
                group.name
            )
        })
        .collect();
    files.extend(pages(
        "groups",
        "groups",
        &format!("{GRAPH}/groups?$top=999"),
        listed,
    ));
    for (g, group) in groups.iter().enumerate() {
        let id = guid(GROUP, g);
        let items = members_of(group, true)
            .into_iter()
            .map(|member| match member {
                Member::User(u) => {
                    let email = emails.get(u).map_or("", String::as_str);
                    format!(
                        "{{\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"{}\", \"mail\": \"{email}\", \"userPrincipalName\": \"{email}\"}}",
                        guid(USER, u)
                    )
                }
                Member::Group(n) => format!(
                    "{{\"@odata.type\": \"#microsoft.graph.group\", \"id\": \"{}\", \"displayName\": \"{}\", \"securityEnabled\": true}}",
                    guid(GROUP, n),
                    groups.get(n).map_or("", |g| g.name.as_str())
                ),
            })
            .collect();
        files.extend(pages(
            &format!("members-{id}"),
            "directoryObjects",
            &format!("{GRAPH}/groups/{id}/members?$top=999"),
            items,
        ));
    }
    files
}

/// Okta's ids: `00g` or `00u` and 17 characters.
fn okta_id(prefix: &str, kind: u64, index: usize) -> String {
    format!("{prefix}{:09x}{:08x}", mix(kind, index) >> 28, index)
}

/// `groups.json` and `members-<group id>.json`, top-level arrays of 200 (`limit=200`), further
/// pages `.2.json`, ... Nested groups are left out: Okta groups do not nest.
fn okta(groups: &[PlannedGroup], emails: &[String]) -> Vec<(String, String)> {
    const PAGE: usize = 200;
    let pages = |stem: &str, items: Vec<String>| {
        let count = items.len().div_ceil(PAGE).max(1);
        (0..count)
            .map(|page| {
                let chunk = items
                    .get(page * PAGE..((page + 1) * PAGE).min(items.len()))
                    .unwrap_or(&[]);
                let mut text = String::from("[");
                for (i, item) in chunk.iter().enumerate() {
                    text.push_str(if i == 0 { "\n  " } else { ",\n  " });
                    text.push_str(item);
                }
                text.push_str("\n]\n");
                (page_name(stem, page), text)
            })
            .collect::<Vec<_>>()
    };
    let listed: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            format!(
                "{{\"id\": \"{}\", \"created\": \"2025-01-06T09:00:00.000Z\", \"type\": \"OKTA_GROUP\", \"profile\": {{\"name\": \"{}\", \"description\": null}}}}",
                okta_id("00g", GROUP, g),
                group.name
            )
        })
        .collect();
    let mut files = pages("groups", listed);
    for (g, group) in groups.iter().enumerate() {
        let items = group
            .members
            .iter()
            .map(|&u| {
                let email = emails.get(u).map_or("", String::as_str);
                format!(
                    "{{\"id\": \"{}\", \"status\": \"ACTIVE\", \"type\": {{\"id\": \"oty1\"}}, \"profile\": {{\"login\": \"{email}\", \"email\": \"{email}\"}}}}",
                    okta_id("00u", USER, u)
                )
            })
            .collect();
        files.extend(pages(
            &format!("members-{}", okta_id("00g", GROUP, g)),
            items,
        ));
    }
    files
}

/// `groups.json` and `members-<group email>.json`, Directory API pages of 200 (`maxResults`),
/// each but the last with a `nextPageToken`, further pages `.2.json`, ...
fn google(groups: &[PlannedGroup], emails: &[String]) -> Vec<(String, String)> {
    const PAGE: usize = 200;
    let pages = |stem: &str, kind: &str, key: &str, items: Vec<String>| {
        let count = items.len().div_ceil(PAGE).max(1);
        (0..count)
            .map(|page| {
                let chunk = items
                    .get(page * PAGE..((page + 1) * PAGE).min(items.len()))
                    .unwrap_or(&[]);
                let mut text = format!(
                    "{{\n  \"kind\": \"admin#directory#{kind}\",\n  \"etag\": \"\\\"synth\\\"\",\n  \"{key}\": ["
                );
                for (i, item) in chunk.iter().enumerate() {
                    text.push_str(if i == 0 { "\n    " } else { ",\n    " });
                    text.push_str(item);
                }
                text.push_str("\n  ]");
                if page + 1 < count {
                    let _ = write!(
                        text,
                        ",\n  \"nextPageToken\": \"{:016x}\"",
                        mix(4, page + 1)
                    );
                }
                text.push_str("\n}\n");
                (page_name(stem, page), text)
            })
            .collect::<Vec<_>>()
    };
    let group_email = |g: usize| {
        groups
            .get(g)
            .map_or(String::new(), |g| format!("{}@{GROUP_DOMAIN}", g.name))
    };
    let listed: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            format!(
                "{{\"kind\": \"admin#directory#group\", \"id\": \"0{:014x}\", \"email\": \"{}\", \"name\": \"{}\"}}",
                mix(GROUP, g) >> 8,
                group_email(g),
                group.name
            )
        })
        .collect();
    let mut files = pages("groups", "groups", "groups", listed);
    for (g, group) in groups.iter().enumerate() {
        let items = members_of(group, true)
            .into_iter()
            .map(|member| match member {
                Member::User(u) => format!(
                    "{{\"kind\": \"admin#directory#member\", \"email\": \"{}\", \"role\": \"MEMBER\", \"type\": \"USER\", \"status\": \"ACTIVE\", \"id\": \"1{:020}\"}}",
                    emails.get(u).map_or("", String::as_str),
                    u
                ),
                Member::Group(n) => format!(
                    "{{\"kind\": \"admin#directory#member\", \"email\": \"{}\", \"role\": \"MEMBER\", \"type\": \"GROUP\", \"id\": \"0{:014x}\"}}",
                    group_email(n),
                    mix(GROUP, n) >> 8
                ),
            })
            .collect();
        files.extend(pages(
            &format!("members-{}", group_email(g)),
            "members",
            "members",
            items,
        ));
    }
    files
}

/// `gam print group-members`: one CSV, GAM's default columns, one row per member; a nested
/// group is a `GROUP` row.
fn gam(groups: &[PlannedGroup], emails: &[String]) -> String {
    let mut text = String::from("group,type,role,id,status,email\n");
    for group in groups {
        for member in members_of(group, true) {
            match member {
                Member::User(u) => {
                    let _ = writeln!(
                        text,
                        "{},USER,MEMBER,1{u:020},ACTIVE,{}",
                        group.name,
                        emails.get(u).map_or("", String::as_str)
                    );
                }
                Member::Group(n) => {
                    let _ = writeln!(
                        text,
                        "{},GROUP,MEMBER,0{:014x},,{}",
                        group.name,
                        mix(GROUP, n) >> 8,
                        groups.get(n).map_or("", |g| g.name.as_str())
                    );
                }
            }
        }
    }
    text
}
