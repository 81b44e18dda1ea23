//! Identity-provider exports, read as plain data: the groups an IdP really has.
//!
//! Group membership lives in the identity provider. Admins export it on a schedule; these
//! readers turn such an export into [`Group`]s with their direct user members (by email where
//! the export tells it), their nested groups, and where in the export each came from, plus the
//! [`Problem`]s found on the way (a member named only by id, a missing page, a whole-domain
//! member, a circular nesting, ...). A file that cannot be read at all is an [`ImportError`]
//! with its file, line and column; a reader never panics.
//!
//! One reader per format ([`Format`]): SCIM 2.0 ([`scim`]), Microsoft Graph ([`msgraph`]), Okta
//! ([`okta`]), the Google Directory API ([`google`]) and GAM's CSV ([`gam`]). Each takes the
//! texts of the export's files as `(name, text)` pairs, as [`crate::load_sources`] does, and
//! never touches the file system; [`read_dir`] reads a folder of them first. The file layout
//! each reader expects is in its module's documentation and in `docs/idp/`.
//!
//! Emails are compared case-insensitively: every email a reader yields is lowercased.
//! [`normalize_patch`] turns the SCIM PATCH bodies Microsoft Entra sends without its compliance
//! flag into the compliant form.

pub mod gam;
pub mod google;
mod json;
pub mod msgraph;
pub mod okta;
mod patch;
pub mod scim;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use rayon::prelude::*;

use crate::model::Location;

pub use patch::{PatchOp, PatchOperation, normalize_patch};

/// The most bytes one export file may hold: 512 MiB. A 100,000-user Graph export is about
/// 60 MB.
pub const MAX_EXPORT_BYTES: usize = 512 * 1024 * 1024;

/// An export format: which IdP, read through which API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// SCIM 2.0 (RFC 7643, RFC 7644): `ListResponse`s of Groups and Users.
    Scim,
    /// Microsoft Graph (Entra ID): `/groups`, `/groups/{id}/members`, `/transitiveMembers`.
    Msgraph,
    /// Okta: `/api/v1/groups`, `/api/v1/groups/{id}/users`, `/api/v1/groups/rules`.
    Okta,
    /// Google Workspace Directory API: `members.list`.
    Google,
    /// GAM's `print group-members` CSV.
    Gam,
}

impl Format {
    /// Every format, in the order of the docs.
    pub const ALL: [Format; 5] = [
        Format::Scim,
        Format::Msgraph,
        Format::Okta,
        Format::Google,
        Format::Gam,
    ];

    /// The name used on the command line and in a policy: `scim`, `msgraph`, `okta`, `google`,
    /// `gam`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Scim => "scim",
            Format::Msgraph => "msgraph",
            Format::Okta => "okta",
            Format::Google => "google",
            Format::Gam => "gam",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    /// A format by its [`Format::name`]; the error names the known ones and the nearest.
    fn from_str(s: &str) -> Result<Format, String> {
        if let Some(format) = Format::ALL.into_iter().find(|f| f.name() == s) {
            return Ok(format);
        }
        let names = Format::ALL.map(Format::name);
        let hint = crate::suggest::did_you_mean(s, names)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        Err(format!(
            "unknown export format `{s}`{hint}: expected one of `{}`",
            names.join("`, `")
        ))
    }
}

/// How to read an export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Which user attribute is the email that SSO and SCIM use (the admin's choice, as rule
    /// IDP010 says). `None` takes the format's default:
    ///
    /// - `scim`: `userName`, or `emails` for the primary email (else the `work` one, else the
    ///   first);
    /// - `msgraph`: `userPrincipalName`, or `mail`;
    /// - `okta`: `login` (`profile.login`), or `email`, or any other `profile` attribute;
    /// - `google`, `gam`: the member's `email` (the only one these exports carry).
    pub email_attribute: Option<String>,
}

/// What an export holds: its groups, and what was odd in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The format it was read as.
    pub format: Format,
    /// The groups, in the order the export first names them.
    pub groups: Vec<Group>,
    /// What was found odd on the way, in the order found; none stops the reading.
    pub problems: Vec<Problem>,
}

impl Export {
    /// The group with this id, if any.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The users of the groups nested in `group`, at any depth through this export's groups,
    /// that are not its direct members: who reaches it only through nesting, computed from the
    /// export when it has no transitive listing ([`Group::only_through_nesting`]). Each group
    /// is visited once, so circular nesting ends the walk. In the order met, once each.
    pub fn reachable_only_through_nesting<'a>(&'a self, group: &'a Group) -> Vec<&'a User> {
        let index: HashMap<&'a str, &'a Group> =
            self.groups.iter().map(|g| (g.id.as_str(), g)).collect();
        let mut seen: HashSet<&'a str> = group.users.iter().map(User::name).collect();
        let mut visited: HashSet<&'a str> = HashSet::from([group.id.as_str()]);
        let mut stack: Vec<&'a Group> = Vec::new();
        let mut found = Vec::new();
        let push = |from: &'a Group, stack: &mut Vec<&'a Group>, visited: &mut HashSet<&'a str>| {
            for nested in from.groups.iter().rev() {
                if let Some(&g) = index.get(nested.id.as_str())
                    && visited.insert(g.id.as_str())
                {
                    stack.push(g);
                }
            }
        };
        push(group, &mut stack, &mut visited);
        while let Some(nested) = stack.pop() {
            for user in &nested.users {
                if seen.insert(user.name()) {
                    found.push(user);
                }
            }
            push(nested, &mut stack, &mut visited);
        }
        found
    }
}

/// A group of the IdP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The IdP's id: the SCIM `id`, the Graph object id, the Okta id, the Google group's email
    /// (as the export's file names it).
    pub id: String,
    /// The display name (`displayName`, `profile.name`, the Google group email); the id when
    /// the export names none.
    pub name: String,
    /// Where the group is defined: its name in a group listing, else the start of its first
    /// member file.
    pub location: Location,
    /// The IdP's kind of group, when the export says: Okta's `OKTA_GROUP`, `APP_GROUP` or
    /// `BUILT_IN`.
    pub kind: Option<String>,
    /// Its members are already flat: an Okta `APP_GROUP` is imported from Active Directory or
    /// LDAP with nesting resolved there, so nested groups in the source do not show here.
    pub flattened: bool,
    /// The direct user members that count as provisioned, in export order, once each.
    pub users: Vec<User>,
    /// Direct members that are users but do not count as provisioned (an Okta user whose
    /// `status` is not `ACTIVE`).
    pub inactive: Vec<User>,
    /// The nested groups (direct members that are groups), in export order.
    pub groups: Vec<NestedGroup>,
    /// Users reachable only through nesting, as the IdP's own transitive listing tells: the
    /// transitive members minus the direct ones, from a `transitiveMembers` (Graph) or
    /// `includeDerivedMembership` (Google) file. Empty without one: then
    /// [`Export::reachable_only_through_nesting`] computes it from the export's nesting.
    pub only_through_nesting: Vec<User>,
    /// The Okta group rules that assign users to this group: membership that no one typed.
    pub rules: Vec<GroupRule>,
}

/// A user member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The email, lowercased, when the export or its users listing tells it.
    pub email: Option<String>,
    /// The IdP's id of the user, when the export has one.
    pub id: Option<String>,
    /// The user's status, when the export says (Okta `status`, Google `status`).
    pub status: Option<String>,
    /// Where the member entry names the user.
    pub location: Location,
}

impl User {
    /// The email when known, else the id.
    pub fn name(&self) -> &str {
        self.email
            .as_deref()
            .or(self.id.as_deref())
            .unwrap_or_default()
    }
}

/// A group that is a member of another group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedGroup {
    /// The nested group's id, as the member entry names it.
    pub id: String,
    /// Where the member entry names it.
    pub location: Location,
}

/// An Okta group rule: users matching `expression` become direct members of its groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRule {
    /// The rule's id.
    pub id: String,
    /// The rule's name.
    pub name: String,
    /// Whether the rule is `ACTIVE` (an `INACTIVE` rule assigns no one).
    pub active: bool,
    /// The Okta expression (`conditions.expression.value`).
    pub expression: Option<String>,
    /// The group ids the expression tests membership of (`isMemberOfAnyGroup("...")` and the
    /// like): members of these groups end up in the rule's groups.
    pub source_groups: Vec<String>,
    /// Where the rule's name is.
    pub location: Location,
}

/// Something odd in an export that does not stop the reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What.
    pub kind: ProblemKind,
    /// Where.
    pub location: Location,
}

/// What kind of odd thing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A user member is named only by an id, and neither a users listing nor its `display`
    /// gives an email: it is kept under its id.
    UnresolvedMember {
        /// The group's name.
        group: String,
        /// The member's id.
        id: String,
    },
    /// A page says there is a next one (`@odata.nextLink`, `nextPageToken`), and the export has
    /// no file for it: the export is incomplete.
    MissingPage {
        /// The file that would hold the next page.
        expected: String,
    },
    /// Pages of a listing were saved with a number missing between them (`members-x.json` and
    /// `members-x.3.json`, no `members-x.2.json`): the export is incomplete.
    PageGap {
        /// The file missing.
        expected: String,
    },
    /// SCIM pages that do not cover `1..=totalResults` (RFC 7644 section 3.4.2.4): the export
    /// is incomplete.
    MissingScimPage {
        /// `Groups` or `Users`.
        resource: &'static str,
        /// The first `startIndex` that no page read covers.
        start_index: u64,
        /// The `totalResults` the pages announce.
        total: u64,
    },
    /// A Google `CUSTOMER` member: every user of the domain, with no email list. Who the group
    /// provisions is unknown from the export.
    WholeDomain {
        /// The group's name.
        group: String,
        /// The customer id.
        customer: String,
    },
    /// A user member whose status does not count as provisioned (Okta: not `ACTIVE`).
    NotActive {
        /// The group's name.
        group: String,
        /// The user's email or id.
        user: String,
        /// The status.
        status: String,
    },
    /// A member entry does not say its kind (SCIM `type`, Graph `@odata.type`), and another of
    /// its fields told it: a SCIM `$ref` (`.../Users/...`), a Graph `userPrincipalName` (a
    /// user), `groupTypes` or `securityEnabled` (a group).
    TypeInferred {
        /// The group's name.
        group: String,
        /// The member's id.
        member: String,
        /// The field that told it: `$ref`, `userPrincipalName`, `groupTypes`,
        /// `securityEnabled`.
        from: &'static str,
    },
    /// A member entry whose kind nothing tells (no `type`, no `$ref`, no `@odata.type`, not in
    /// a listing): it is left out.
    UnknownMemberType {
        /// The group's name.
        group: String,
        /// The member's id.
        member: String,
    },
    /// A member that is neither a user nor a group (a device, a service principal, an
    /// organisational contact): left out, since it cannot sign in to a Claude seat.
    NotAPerson {
        /// The group's name.
        group: String,
        /// The member's id.
        member: String,
        /// Its kind as the export says (`#microsoft.graph.device`).
        kind: String,
    },
    /// A nested group that the export does not list: its members are unknown.
    UnknownGroup {
        /// The containing group's name.
        group: String,
        /// The nested group's id.
        id: String,
    },
    /// Groups that contain each other, directly or through others. Legal in SCIM (RFC 7644
    /// section 3.7.1) and reported once per cycle; readers never loop on it.
    Cycle {
        /// The groups' names, in the order of the cycle.
        groups: Vec<String>,
    },
}

impl ProblemKind {
    /// The name of the group the problem is in, when it is in one.
    fn group_mut(&mut self) -> Option<&mut String> {
        match self {
            ProblemKind::UnresolvedMember { group, .. }
            | ProblemKind::WholeDomain { group, .. }
            | ProblemKind::NotActive { group, .. }
            | ProblemKind::TypeInferred { group, .. }
            | ProblemKind::UnknownMemberType { group, .. }
            | ProblemKind::NotAPerson { group, .. }
            | ProblemKind::UnknownGroup { group, .. } => Some(group),
            ProblemKind::MissingPage { .. }
            | ProblemKind::PageGap { .. }
            | ProblemKind::MissingScimPage { .. }
            | ProblemKind::Cycle { .. } => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::UnresolvedMember { group, id } => write!(
                f,
                "member `{id}` of group `{group}` is named only by its id: no users listing or display gives its email"
            ),
            ProblemKind::MissingPage { expected } => write!(
                f,
                "the export is incomplete: this page says a next one follows, and `{expected}` is missing"
            ),
            ProblemKind::PageGap { expected } => write!(
                f,
                "the export is incomplete: `{expected}` is missing between the pages saved"
            ),
            ProblemKind::MissingScimPage {
                resource,
                start_index,
                total,
            } => write!(
                f,
                "the export is incomplete: no {resource} page starts at `startIndex` {start_index}, and `totalResults` is {total}"
            ),
            ProblemKind::WholeDomain { group, customer } => write!(
                f,
                "group `{group}` has every user of customer `{customer}` as a member: who it provisions is unknown from the export"
            ),
            ProblemKind::NotActive {
                group,
                user,
                status,
            } => write!(
                f,
                "member `{user}` of group `{group}` is `{status}`, not `ACTIVE`: not counted as provisioned"
            ),
            ProblemKind::TypeInferred {
                group,
                member,
                from,
            } => write!(
                f,
                "member `{member}` of group `{group}` does not say whether it is a user or a group: its `{from}` tells"
            ),
            ProblemKind::UnknownMemberType { group, member } => write!(
                f,
                "member `{member}` of group `{group}` has no `type`, `$ref` or `@odata.type`, and no listing names it: left out"
            ),
            ProblemKind::NotAPerson {
                group,
                member,
                kind,
            } => write!(
                f,
                "member `{member}` of group `{group}` is a `{kind}`, not a user or a group: left out"
            ),
            ProblemKind::UnknownGroup { group, id } => write!(
                f,
                "group `{group}` contains group `{id}`, which the export does not list: its members are unknown"
            ),
            ProblemKind::Cycle { groups } => {
                write!(f, "groups contain each other: ")?;
                for group in groups {
                    write!(f, "`{group}` → ")?;
                }
                match groups.first() {
                    Some(first) => write!(f, "`{first}`"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// A file that could not be read as an export: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Where: the file, line and column.
    pub location: Location,
    /// What was expected there: lowercase, no final period.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for ImportError {}

/// Read an export held in memory, as `(name, text)` pairs (the layout of names each format
/// expects is in its module). Every file that cannot be read is an error; when there is none,
/// the export with its problems.
pub fn read<N, T>(
    format: Format,
    files: &[(N, T)],
    options: &Options,
) -> Result<Export, Vec<ImportError>>
where
    N: AsRef<str>,
    T: AsRef<str>,
{
    let mut files: Vec<File<'_>> = files
        .iter()
        .map(|(name, text)| File {
            name: name.as_ref(),
            text: text.as_ref(),
        })
        .collect();
    // Pages in order: `members-x.json` before `members-x.2.json` before `members-x.10.json`.
    // Each file's key is made once (a name is built for it), not at every comparison.
    files.sort_by_cached_key(|file| (file.page_name(1), file.stem_and_page().1, file.name));
    let mut errors = Vec::new();
    for file in &files {
        if file.text.len() > MAX_EXPORT_BYTES {
            errors.push(ImportError {
                location: Locator::new(file.name, file.text).at(0, 0),
                message: format!(
                    "the file holds more than {} MiB, the most an export file may hold",
                    MAX_EXPORT_BYTES / (1024 * 1024)
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut builder = Builder::new(format);
    match format {
        Format::Scim => scim::read(&files, options, &mut builder)?,
        Format::Msgraph => msgraph::read(&files, options, &mut builder)?,
        Format::Okta => okta::read(&files, options, &mut builder)?,
        Format::Google => google::read(&files, &mut builder)?,
        Format::Gam => gam::read(&files, &mut builder)?,
    }
    Ok(builder.finish())
}

/// Read every `.json` (or, for GAM, `.csv`) file of the folder `root`, and its subfolders,
/// as [`read`] does; names are relative to `root`, with `/`. Each file is read through the
/// crate's confined reader: a regular file inside `root` once links are followed, of at most
/// [`MAX_EXPORT_BYTES`].
pub fn read_dir(
    format: Format,
    root: &Path,
    options: &Options,
) -> Result<Export, Vec<ImportError>> {
    let extension = if format == Format::Gam { "csv" } else { "json" };
    let mut names = Vec::new();
    let mut pending = vec![std::path::PathBuf::new()];
    let folder_error = |name: &str, error: std::io::Error| ImportError {
        location: Locator::new(name, "").at(0, 0),
        message: format!("cannot read this folder: {}", error.kind()),
    };
    while let Some(relative) = pending.pop() {
        let shown = if relative.as_os_str().is_empty() {
            root.display().to_string()
        } else {
            relative.display().to_string()
        };
        let entries = std::fs::read_dir(root.join(&relative))
            .map_err(|error| vec![folder_error(&shown, error)])?;
        for entry in entries {
            let entry = entry.map_err(|error| vec![folder_error(&shown, error)])?;
            let path = relative.join(entry.file_name());
            let kind = entry
                .file_type()
                .map_err(|error| vec![folder_error(&shown, error)])?;
            if kind.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                names.push(path);
            }
        }
    }
    names.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in names {
        let name = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match crate::confined::read(root, &path, MAX_EXPORT_BYTES as u64) {
            Ok(text) => files.push((name, text)),
            Err(refused) => errors.push(ImportError {
                location: Locator::new(&name, "").at(0, 0),
                message: format!(
                    "cannot read this export file: {}",
                    refused.reason("the export folder")
                ),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    read(format, &files, options)
}

/// One file of an export.
#[derive(Debug, Clone, Copy)]
pub(crate) struct File<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl<'a> File<'a> {
    /// The file read as strict JSON, or a located error.
    pub fn json(&self) -> Result<json::Node<'a>, ImportError> {
        json::parse(self.text).map_err(|error| ImportError {
            location: Locator::new(self.name, self.text).at(error.at, error.at + 1),
            message: error.message,
        })
    }

    /// The last component of the name, without its extension and page number, and the page
    /// number (1 when there is none): `exports/members-00g1.2.json` is `("members-00g1", 2)`.
    pub fn stem_and_page(&self) -> (&'a str, u32) {
        let base = self.name.rsplit('/').next().unwrap_or(self.name);
        let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
        if let Some((before, page)) = stem.rsplit_once('.')
            && !page.is_empty()
            && page.bytes().all(|b| b.is_ascii_digit())
            && let Ok(page) = page.parse::<u32>()
        {
            return (before, page);
        }
        (stem, 1)
    }

    /// The name of the file for page `page` of the listing this file is a page of.
    pub fn page_name(&self, page: u32) -> String {
        let (stem, _) = self.stem_and_page();
        let folder = self
            .name
            .rsplit_once('/')
            .map(|(folder, _)| format!("{folder}/"))
            .unwrap_or_default();
        let extension = self
            .name
            .rsplit_once('.')
            .map_or("", |(_, extension)| extension);
        if page == 1 {
            format!("{folder}{stem}.{extension}")
        } else {
            format!("{folder}{stem}.{page}.{extension}")
        }
    }
}

/// The `id` of a listed item (a group, a user, a member) as a string, else a shape error at
/// the item or at its `id`.
pub(crate) fn required_id<'n>(
    item: &'n json::Node<'_>,
    what: &str,
    locator: &mut Locator<'_>,
) -> Result<&'n str, ImportError> {
    match item.get("id") {
        Some(id) => id.as_str().ok_or_else(|| {
            shape_error(
                locator,
                id,
                format!(
                    "expected the {what}'s `id` to be a string, found {}",
                    id.kind()
                ),
            )
        }),
        None => Err(shape_error(
            locator,
            item,
            format!("expected an `id` in this {what}, found {}", item.kind()),
        )),
    }
}

/// An error at a node of a file: the node's place, and what was expected there.
pub(crate) fn shape_error(
    locator: &mut Locator<'_>,
    node: &json::Node<'_>,
    message: impl Into<String>,
) -> ImportError {
    ImportError {
        location: locator.at(node.start, node.start + 1),
        message: message.into(),
    }
}

/// Turns byte offsets of one file into line-and-column [`Location`]s. The line is found among
/// the line starts, found once; the column is counted from the line's start, or from the last
/// place asked when it is on the same line before it, so a file on one line (`curl` output)
/// is not rescanned for every member.
#[derive(Clone)]
pub(crate) struct Locator<'t> {
    file: &'t str,
    text: &'t str,
    /// Where each line starts (shared by the clones that read parts of one file).
    lines: std::sync::Arc<[usize]>,
    /// The last place asked: its offset, line index and column.
    cursor: (usize, usize, u32),
}

impl<'t> Locator<'t> {
    pub fn new(file: &'t str, text: &'t str) -> Locator<'t> {
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            file,
            text,
            lines,
            cursor: (0, 0, 1),
        }
    }

    /// The line index and column of offset `to` (a char boundary), counted from `from` when
    /// it is on the same line at or before `to`.
    fn position(&self, from: (usize, usize, u32), to: usize) -> (usize, usize, u32) {
        let line = self
            .lines
            .partition_point(|&start| start <= to)
            .saturating_sub(1);
        let (offset, column) = if from.1 == line && from.0 <= to {
            (from.0, from.2)
        } else {
            (self.lines.get(line).copied().unwrap_or(0), 1)
        };
        let counted = self.text.get(offset..to).map_or(0, |s| s.chars().count());
        (to, line, column + counted as u32)
    }

    /// The location of bytes `start..end`.
    pub fn at(&mut self, start: usize, end: usize) -> Location {
        let start = floor(self.text, start.min(self.text.len()));
        let end = end.max(start);
        let begin = self.position(self.cursor, start);
        let finish = self.position(begin, floor(self.text, end.min(self.text.len())));
        self.cursor = begin;
        Location {
            file: self.file.to_string(),
            line: begin.1 as u32 + 1,
            column: begin.2,
            end_line: finish.1 as u32 + 1,
            end_column: finish
                .2
                .max(begin.2 + u32::from(finish.1 == begin.1 && end > start)),
            bytes: start..end,
        }
    }

    /// The location of a node.
    pub fn node(&mut self, node: &json::Node<'_>) -> Location {
        self.at(node.start, node.end)
    }
}

/// The largest char boundary at or before `at`.
fn floor(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What a member entry is, as far as the export says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    User,
    Group,
    /// Not said: resolved against the listings at the end.
    Unknown,
}

/// A member entry as read, before ids are resolved.
#[derive(Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    pub id: Option<String>,
    pub email: Option<String>,
    /// SCIM `display`: used as the email when it is one and nothing else gives it.
    pub display: Option<String>,
    pub status: Option<String>,
    pub active: bool,
    pub location: Location,
}

/// What resolving one group's member entries gives: its members, and the problems found.
#[derive(Default)]
struct Resolved {
    users: Vec<User>,
    inactive: Vec<User>,
    groups: Vec<NestedGroup>,
    problems: Vec<Problem>,
}

/// Gathers groups, members and problems while a reader walks the files, then resolves ids.
pub(crate) struct Builder {
    format: Format,
    groups: Vec<Group>,
    index: HashMap<String, usize>,
    /// Each group's entries, resolved at the end.
    entries: Vec<Vec<Entry>>,
    /// Each group's transitive members, when a transitive file was read.
    transitive: Vec<Option<Vec<Entry>>>,
    /// User id to email, from the users listings.
    pub users: HashMap<String, Option<String>>,
    pub problems: Vec<Problem>,
}

impl Builder {
    fn new(format: Format) -> Builder {
        Builder {
            format,
            groups: Vec::new(),
            index: HashMap::new(),
            entries: Vec::new(),
            transitive: Vec::new(),
            users: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// The group with this id, created at `location` when new. A name or kind given here
    /// replaces the placeholder a member file gave.
    pub fn group(
        &mut self,
        id: &str,
        name: Option<&str>,
        location: impl FnOnce() -> Location,
    ) -> usize {
        if let Some(&index) = self.index.get(id) {
            if let Some(name) = name {
                let group = &mut self.groups[index];
                if group.name == group.id {
                    group.name = name.to_string();
                }
            }
            return index;
        }
        let index = self.groups.len();
        self.groups.push(Group {
            id: id.to_string(),
            name: name.unwrap_or(id).to_string(),
            location: location(),
            kind: None,
            flattened: false,
            users: Vec::new(),
            inactive: Vec::new(),
            groups: Vec::new(),
            only_through_nesting: Vec::new(),
            rules: Vec::new(),
        });
        self.entries.push(Vec::new());
        self.transitive.push(None);
        self.index.insert(id.to_string(), index);
        index
    }

    /// A group's definition (from a group listing): its name and location replace those a
    /// member file gave first.
    pub fn define(&mut self, id: &str, name: &str, location: Location) -> usize {
        let index = self.group(id, Some(name), || location.clone());
        let group = &mut self.groups[index];
        group.name = name.to_string();
        group.location = location;
        index
    }

    pub fn group_name(&self, index: usize) -> String {
        self.groups[index].name.clone()
    }

    pub fn group_mut(&mut self, index: usize) -> &mut Group {
        &mut self.groups[index]
    }

    pub fn member(&mut self, group: usize, entry: Entry) {
        self.entries[group].push(entry);
    }

    pub fn transitive_member(&mut self, group: usize, entry: Entry) {
        self.transitive[group]
            .get_or_insert_with(Vec::new)
            .push(entry);
    }

    pub fn problem(&mut self, kind: ProblemKind, location: Location) {
        self.problems.push(Problem { kind, location });
    }

    /// Room for this many more users (of the users listings) and groups.
    fn reserve(&mut self, users: usize, groups: usize) {
        self.users.reserve(users);
        self.groups.reserve(groups);
        self.index.reserve(groups);
        self.entries.reserve(groups);
        self.transitive.reserve(groups);
    }

    /// Take in what a builder of its own read from one file: its groups (found or created
    /// here, where the file first named them), their member entries after those already here,
    /// and its problems, whose group names become the names the groups have here (a member
    /// file read on its own knew its group only by id).
    fn take(&mut self, own: Builder) {
        let Builder {
            groups,
            entries,
            transitive,
            users,
            problems,
            ..
        } = own;
        let mut names: HashMap<String, String> = HashMap::new();
        let mut here = Vec::with_capacity(groups.len());
        for group in groups {
            let named = (group.name != group.id).then_some(group.name.as_str());
            let index = self.group(&group.id, named, || group.location.clone());
            names.insert(group.name, self.groups[index].name.clone());
            here.push(index);
        }
        for (index, entries) in here.iter().zip(entries) {
            self.entries[*index].extend(entries);
        }
        for (index, transitive) in here.iter().zip(transitive) {
            if let Some(entries) = transitive {
                self.transitive[*index]
                    .get_or_insert_with(Vec::new)
                    .extend(entries);
            }
        }
        self.users.extend(users);
        for mut problem in problems {
            if let Some(group) = problem.kind.group_mut()
                && let Some(name) = names.get(group.as_str())
            {
                group.clone_from(name);
            }
            self.problems.push(problem);
        }
    }

    /// Resolve every entry, compute what is reachable only through nesting, find cycles.
    fn finish(mut self) -> Export {
        let entries = std::mem::take(&mut self.entries);
        let transitive = std::mem::take(&mut self.transitive);
        // Each group's entries are resolved on its own (on every core: half a million members
        // in a large export), then added in group order, so the result never depends on timing.
        let resolved: Vec<Resolved> = {
            let this = &self;
            entries
                .into_par_iter()
                .enumerate()
                .map(|(index, entries)| {
                    let mut out = Resolved::default();
                    for entry in entries {
                        this.resolve(index, entry, &mut out);
                    }
                    once_each(&mut out.users, User::name);
                    once_each(&mut out.inactive, User::name);
                    once_each(&mut out.groups, |n| n.id.as_str());
                    out
                })
                .collect()
        };
        for (index, out) in resolved.into_iter().enumerate() {
            let group = &mut self.groups[index];
            group.users = out.users;
            group.inactive = out.inactive;
            group.groups = out.groups;
            self.problems.extend(out.problems);
        }
        // Nested ids that the export does not list.
        for index in 0..self.groups.len() {
            for n in 0..self.groups[index].groups.len() {
                let nested = &self.groups[index].groups[n];
                if !self.index.contains_key(&nested.id) {
                    let kind = ProblemKind::UnknownGroup {
                        group: self.groups[index].name.clone(),
                        id: nested.id.clone(),
                    };
                    let location = nested.location.clone();
                    self.problem(kind, location);
                }
            }
        }
        self.cycles();
        for (index, transitive) in transitive.into_iter().enumerate() {
            if let Some(entries) = transitive {
                self.only_through_nesting_from(index, entries);
            }
        }
        Export {
            format: self.format,
            groups: self.groups,
            problems: self.problems,
        }
    }

    fn resolve(&self, index: usize, entry: Entry, out: &mut Resolved) {
        let kind = match entry.kind {
            Kind::Unknown => {
                let id = entry.id.as_deref().unwrap_or_default();
                if self.index.contains_key(id) {
                    Kind::Group
                } else if self.users.contains_key(id) || entry.email.is_some() {
                    Kind::User
                } else {
                    out.problems.push(Problem {
                        kind: ProblemKind::UnknownMemberType {
                            group: self.groups[index].name.clone(),
                            member: id.to_string(),
                        },
                        location: entry.location,
                    });
                    return;
                }
            }
            kind => kind,
        };
        if kind == Kind::Group {
            out.groups.push(NestedGroup {
                id: entry.id.unwrap_or_default(),
                location: entry.location,
            });
            return;
        }
        let active = entry.active;
        let Some(user) = self.user(index, entry, &mut out.problems) else {
            return;
        };
        if active {
            out.users.push(user);
        } else {
            out.inactive.push(user);
        }
    }

    /// A user from an entry's fields: the email from the entry, else the users listing, else
    /// a `display` that is an email; else the id, with a problem.
    fn user(&self, group: usize, entry: Entry, problems: &mut Vec<Problem>) -> Option<User> {
        let Entry {
            id,
            email,
            display,
            status,
            location,
            ..
        } = entry;
        let email = email
            .or_else(|| {
                id.as_deref()
                    .and_then(|id| self.users.get(id).cloned().flatten())
            })
            .or_else(|| display.filter(|d| looks_like_email(d)))
            .map(lowercase);
        if email.is_none() {
            let id = id.as_deref()?;
            problems.push(Problem {
                kind: ProblemKind::UnresolvedMember {
                    group: self.groups[group].name.clone(),
                    id: id.to_string(),
                },
                location: location.clone(),
            });
        }
        Some(User {
            email,
            id,
            status,
            location,
        })
    }

    fn only_through_nesting_from(&mut self, index: usize, entries: Vec<Entry>) {
        let direct: HashSet<String> = self.groups[index]
            .users
            .iter()
            .chain(&self.groups[index].inactive)
            .flat_map(|u| [u.id.clone(), u.email.clone()])
            .flatten()
            .collect();
        let mut seen = HashSet::new();
        for entry in entries {
            if entry.kind == Kind::Group
                || (entry.kind == Kind::Unknown
                    && entry
                        .id
                        .as_deref()
                        .is_some_and(|id| self.index.contains_key(id)))
            {
                continue;
            }
            let known_by_id = entry.id.as_ref().is_some_and(|id| direct.contains(id));
            let known_by_email = entry
                .email
                .as_ref()
                .is_some_and(|e| direct.contains(&e.to_lowercase()));
            if known_by_id || known_by_email {
                continue;
            }
            let mut problems = Vec::new();
            let user = self.user(index, entry, &mut problems);
            self.problems.extend(problems);
            if let Some(user) = user
                && seen.insert(user.name().to_string())
            {
                self.groups[index].only_through_nesting.push(user);
            }
        }
    }

    /// Report each set of groups that contain each other once (Tarjan's strongly connected
    /// components, without recursion), in the order of the cycle from its first group.
    fn cycles(&mut self) {
        let edges: Vec<Vec<usize>> = self
            .groups
            .iter()
            .map(|g| {
                g.groups
                    .iter()
                    .filter_map(|n| self.index.get(&n.id).copied())
                    .collect()
            })
            .collect();
        let count = edges.len();
        let mut order = vec![usize::MAX; count];
        let mut low = vec![0; count];
        let mut on_stack = vec![false; count];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut components = Vec::new();
        for root in 0..count {
            if order[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            order[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (node, ref mut edge)) = work.last_mut() {
                if let Some(&target) = edges[node].get(*edge) {
                    *edge += 1;
                    if order[target] == usize::MAX {
                        order[target] = next;
                        low[target] = next;
                        next += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        work.push((target, 0));
                    } else if on_stack[target] {
                        low[node] = low[node].min(order[target]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == order[node] {
                    let mut component = Vec::new();
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component.push(member);
                        if member == node {
                            break;
                        }
                    }
                    let looped = component.len() > 1 || edges[node].contains(&node);
                    if looped {
                        components.push(component);
                    }
                }
            }
        }
        components.sort_by_key(|c| c.iter().copied().min());
        for component in components {
            let members: HashSet<usize> = component.iter().copied().collect();
            let Some(&first) = component.iter().min() else {
                continue;
            };
            // Walk the cycle from its first group, along edges that stay in the component.
            let mut path = vec![first];
            let mut visited = HashSet::from([first]);
            let mut at = first;
            while let Some(&step) = edges[at]
                .iter()
                .find(|t| members.contains(t) && !visited.contains(*t))
            {
                path.push(step);
                visited.insert(step);
                at = step;
            }
            let names = path.iter().map(|&g| self.groups[g].name.clone()).collect();
            let location = self.groups[first]
                .groups
                .iter()
                .find(|n| self.index.get(&n.id).is_some_and(|t| members.contains(t)))
                .map_or_else(
                    || self.groups[first].location.clone(),
                    |n| n.location.clone(),
                );
            self.problem(ProblemKind::Cycle { groups: names }, location);
        }
    }
}

/// Keep the first of the items with the same key, in order, without copying keys.
fn once_each<T>(items: &mut Vec<T>, key: impl Fn(&T) -> &str) {
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(items.len());
        items.iter().map(|item| seen.insert(key(item))).collect()
    };
    let mut keep = keep.into_iter();
    items.retain(|_| keep.next().unwrap_or(true));
}

/// A text lowercased, without a copy when it already is (most emails in exports are).
pub(crate) fn lowercase(text: String) -> String {
    if text.chars().any(char::is_uppercase) {
        text.to_lowercase()
    } else {
        text
    }
}

/// Whether a text is shaped like an email: something, `@`, something with a dot.
pub(crate) fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
    })
}

/// Problems for a page that says a next one follows when the export has no such file.
pub(crate) fn check_next_page(
    builder: &mut Builder,
    names: &HashSet<&str>,
    file: &File<'_>,
    locator: &mut Locator<'_>,
    marker: &json::Node<'_>,
) {
    let (_, page) = file.stem_and_page();
    let expected = file.page_name(page + 1);
    if !names.contains(expected.as_str()) {
        builder.problem(ProblemKind::MissingPage { expected }, locator.node(marker));
    }
}

/// How many files are parsed (and member files read) at once: enough to keep every core busy
/// on ten thousand small member files, few enough that a large export never holds more than a
/// batch of trees.
const PARSE_BATCH: usize = 256;

/// Read each JSON file of an export, in the order `rank` gives (listings before member files,
/// so member files find their groups named), then look for missing pages. Every file's error
/// is kept, not just the first.
///
/// Files are parsed in batches on every core. A file for which `alone` holds (a member file:
/// it only adds members to its own group) is also read there, by `read_alone` into a builder
/// of its own, given the state the files before it left (`state`, read-only); the others are
/// read one after another by `read_file`, which may change `state`. Both kinds are taken into
/// `builder` in file order, so the export never depends on thread timing. A batch holds files
/// of one kind, so every member file sees the state all listings before it left.
pub(crate) fn read_json_files<'a, K: Ord, S: Sync>(
    files: &[File<'a>],
    builder: &mut Builder,
    state: &mut S,
    rank: impl Fn(&File<'_>) -> K,
    alone: impl Fn(&File<'_>) -> bool,
    mut read_file: impl FnMut(
        &File<'_>,
        &json::Node<'_>,
        &mut S,
        &mut Builder,
    ) -> Result<(), ImportError>,
    read_alone: impl Fn(&File<'_>, &json::Node<'_>, &S, &mut Builder) -> Result<(), ImportError> + Sync,
) -> Result<(), Vec<ImportError>> {
    let mut order: Vec<(bool, &File<'a>)> = files.iter().map(|f| (alone(f), f)).collect();
    order.sort_by_key(|(_, file)| rank(file));
    let mut errors = Vec::new();
    for run in order.chunk_by(|a, b| a.0 == b.0) {
        let read_here = run[0].0;
        let run: Vec<&File<'a>> = run.iter().map(|&(_, file)| file).collect();
        for batch in run.chunks(PARSE_BATCH) {
            if read_here {
                let shared = &*state;
                let format = builder.format;
                let read: Vec<Result<Builder, ImportError>> = batch
                    .par_iter()
                    .map(|file| {
                        let mut own = Builder::new(format);
                        read_alone(file, &file.json()?, shared, &mut own)?;
                        Ok(own)
                    })
                    .collect();
                for result in read {
                    match result {
                        Ok(own) => builder.take(own),
                        Err(error) => errors.push(error),
                    }
                }
            } else {
                for (file, root) in batch.iter().zip(parse_all(batch)) {
                    let read = root.and_then(|root| read_file(file, &root, state, builder));
                    if let Err(error) = read {
                        errors.push(error);
                    }
                }
            }
        }
    }
    check_page_gaps(files, builder);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Each file parsed as strict JSON, on every core, in the files' order.
pub(crate) fn parse_all<'a>(files: &[&File<'a>]) -> Vec<Result<json::Node<'a>, ImportError>> {
    files.par_iter().map(|file| file.json()).collect()
}

/// A [`ProblemKind::PageGap`] for each page number missing below the highest page of a
/// listing: `members-x.json` and `members-x.3.json` without `members-x.2.json`.
pub(crate) fn check_page_gaps(files: &[File<'_>], builder: &mut Builder) {
    let mut listings: HashMap<String, (Vec<u32>, usize)> = HashMap::new();
    for (index, file) in files.iter().enumerate() {
        let key = file.page_name(1);
        let (_, page) = file.stem_and_page();
        let entry = listings.entry(key).or_insert_with(|| (Vec::new(), index));
        entry.0.push(page);
        if page > files[entry.1].stem_and_page().1 {
            entry.1 = index;
        }
    }
    let mut listings: Vec<_> = listings.into_values().collect();
    listings.sort_by_key(|(_, last)| *last);
    for (mut pages, last) in listings {
        pages.sort_unstable();
        pages.dedup();
        let Some(&highest) = pages.last() else {
            continue;
        };
        for page in 1..highest {
            if pages.binary_search(&page).is_err() {
                let file = &files[last];
                builder.problem(
                    ProblemKind::PageGap {
                        expected: file.page_name(page),
                    },
                    Locator::new(file.name, file.text).at(0, 0),
                );
            }
        }
    }
}

/// The group id in a member file's name: `members-<id>` or `transitive-members-<id>`, and
/// whether it is transitive.
pub(crate) fn member_file<'a>(file: &File<'a>) -> Option<(&'a str, bool)> {
    let (stem, _) = file.stem_and_page();
    if let Some(id) = stem.strip_prefix("transitive-members-") {
        return Some((id, true));
    }
    stem.strip_prefix("members-").map(|id| (id, false))
}

#[cfg(test)]
mod tests {
    use super::{File, Format, Locator};

    #[test]
    fn page_names() {
        let file = File {
            name: "x/members-eng@acme.com.3.json",
            text: "",
        };
        assert_eq!(file.stem_and_page(), ("members-eng@acme.com", 3));
        assert_eq!(file.page_name(4), "x/members-eng@acme.com.4.json");
        let first = File {
            name: "groups.json",
            text: "",
        };
        assert_eq!(first.stem_and_page(), ("groups", 1));
        assert_eq!(first.page_name(2), "groups.2.json");
    }

    #[test]
    fn locations_in_order_and_out_of_order() {
        let text = "ab\ncdé\nfg";
        let mut locator = Locator::new("f", text);
        let l = locator.at(7, 8);
        assert_eq!((l.line, l.column), (2, 4));
        let l = locator.at(8, 9);
        assert_eq!((l.line, l.column, l.end_column), (3, 1, 2));
        let l = locator.at(1, 2);
        assert_eq!((l.line, l.column), (1, 2));
    }

    #[test]
    fn every_location_agrees_with_counting_from_the_top_whatever_the_order_asked() {
        let text = "ab\ncdé\n\nfg{\"x\": [1, 2]}\né";
        let naive = |at: usize| {
            let before = &text[..at];
            let line = before.matches('\n').count() as u32 + 1;
            let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count() as u32
                + 1;
            (line, column)
        };
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut locator = Locator::new("f", text);
        // Forward, backward and jumping about, as readers ask.
        let mut order: Vec<usize> = boundaries.clone();
        order.extend(boundaries.iter().rev());
        order.extend(
            boundaries
                .iter()
                .step_by(3)
                .chain(boundaries.iter().step_by(2)),
        );
        for (i, &start) in order.iter().enumerate() {
            let end = boundaries[(i * 7) % boundaries.len()].max(start);
            let l = locator.at(start, end);
            assert_eq!((l.line, l.column), naive(start), "start {start}");
            let (end_line, end_column) = naive(end);
            assert_eq!(l.end_line, end_line, "end {end}");
            assert_eq!(
                l.end_column,
                end_column.max(l.column + u32::from(end_line == l.line && end > start))
            );
            assert_eq!(l.bytes, start..end);
        }
    }

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        let error = "gooogle".parse::<Format>().unwrap_err();
        assert!(error.contains("did you mean `google`"), "{error}");
    }
}
