//! What both conversion passes share: the [`Builder`] that collects the model and the errors
//! while documents are converted, the names defined so far, and small helpers that keep a
//! value's span. `convert.rs` names every entity first; `rollout.rs` then converts the rest.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::{Entry, RandomState};
use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::raw::S;
use super::span;
use crate::error::LoadError;
use crate::model::{
    At, EntityStart, FileId, GroupId, Kind, OrgId, Secret, Sources, Unresolved, User,
    UserAssignment, UserId,
};

/// Everything collected while converting; turned into a [`Policy`](crate::model::Policy) when no error was found.
pub(super) struct Builder {
    pub sources: Sources,
    pub errors: Vec<LoadError>,
    pub users: Vec<User>,
    /// Each user's lowercased email and id, found by [`UserKeys::hash`].
    pub user_ids: HashTable<(Box<str>, UserId)>,
    pub user_keys: UserKeys,
    pub unresolved: Vec<Unresolved>,
    pub user_assignments: Vec<UserAssignment>,
    pub entities: Vec<EntityStart>,
}

/// How users are keyed: by their email lowercased, hashed with a per-process random key (so a
/// hostile export cannot pick emails that collide). Shared by reference with the threads that
/// hash a large export's members before they are interned in order.
#[derive(Default)]
pub(super) struct UserKeys(RandomState);

impl UserKeys {
    /// The key of an email (lowercased; most are lowercase ASCII already and are borrowed) and
    /// its hash.
    pub fn key<'t>(&self, text: &'t str) -> (Cow<'t, str>, u64) {
        let key = if text
            .bytes()
            .all(|c| c.is_ascii() && !c.is_ascii_uppercase())
        {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text.to_lowercase())
        };
        let hash = self.hash(&key);
        (key, hash)
    }

    /// The hash of a key.
    pub fn hash(&self, key: &str) -> u64 {
        self.0.hash_one(key)
    }
}

/// Names of one kind of entity, with where each was first defined.
pub(super) struct Names {
    pub kind: Kind,
    pub ids: HashMap<String, (u32, crate::model::Span)>,
    pub order: Vec<String>,
}

impl Names {
    pub fn new(kind: Kind) -> Names {
        Names {
            kind,
            ids: HashMap::new(),
            order: Vec::new(),
        }
    }

    /// Register a name; a second definition is an error pointing at both.
    pub fn define(&mut self, b: &mut Builder, name: &At<String>) -> bool {
        let next = self.order.len() as u32;
        match self.ids.entry(name.value.clone()) {
            Entry::Occupied(first) => {
                let first = first.get().1;
                b.errors.push(LoadError::Duplicate {
                    kind: self.kind.noun(),
                    name: name.value.clone(),
                    location: b.sources.locate(name.span),
                    first: b.sources.locate(first),
                });
                false
            }
            Entry::Vacant(slot) => {
                slot.insert((next, name.span));
                self.order.push(name.value.clone());
                true
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).map(|&(id, _)| id)
    }

    /// Resolve a reference, or record it as unresolved with the nearest names.
    pub fn resolve(&self, b: &mut Builder, name: &At<String>, from: &str) -> Option<u32> {
        if let Some(id) = self.get(&name.value) {
            return Some(id);
        }
        b.unresolved.push(Unresolved {
            kind: self.kind,
            name: name.clone(),
            from: from.to_string(),
            message: None,
            help: None,
            candidates: self.order.clone(),
        });
        None
    }
}

pub(super) fn at<T, U>(file: FileId, value: &S<T>, f: impl FnOnce(&T) -> U) -> At<U> {
    At::new(f(&value.0.value), span(file, &value.0))
}

pub(super) fn string(file: FileId, value: &S<String>) -> At<String> {
    at(file, value, Clone::clone)
}

pub(super) fn opt<T, U>(
    file: FileId,
    value: &Option<S<T>>,
    f: impl FnOnce(&T) -> U,
) -> Option<At<U>> {
    value.as_ref().map(|v| at(file, v, f))
}

impl Builder {
    /// The org an entity names with `org:`. It may be left out when the policy has exactly one
    /// org; otherwise leaving it out is an unresolved reference that says which orgs there are.
    pub(super) fn owner_org(
        &mut self,
        file: FileId,
        org: &Option<S<String>>,
        org_names: &Names,
        name: &At<String>,
        from: &str,
    ) -> Option<OrgId> {
        if let Some(o) = org {
            return org_names.resolve(self, &string(file, o), from).map(OrgId);
        }
        if org_names.order.len() == 1 {
            return Some(OrgId(0));
        }
        self.unresolved.push(Unresolved {
            kind: Kind::Org,
            name: name.clone(),
            from: from.to_string(),
            message: Some(format!(
                "{from} names no `org:` and the policy defines {}",
                crate::diagnostic::plural(org_names.order.len(), "org")
            )),
            help: Some(if org_names.order.is_empty() {
                "define the org under `orgs:`".into()
            } else {
                format!(
                    "add `org:` with one of {}",
                    crate::diagnostic::list_names(&org_names.order, 5)
                )
            }),
            candidates: org_names.order.clone(),
        });
        None
    }

    /// Record where a section without a name starts, with its key.
    pub(super) fn entity_at(&mut self, span: crate::model::Span, key: String) {
        self.entities.push(EntityStart { span, key });
    }

    /// Record where an entity's definition starts, for [`Policy::entity_key`](crate::model::Policy::entity_key).
    pub(super) fn entity<T>(
        &mut self,
        file: FileId,
        at: &serde_saphyr::Spanned<T>,
        kind: Kind,
        name: &S<String>,
    ) {
        self.entities.push(EntityStart {
            span: span(file, at),
            key: format!("{}/{}", kind.key(), name.0.value),
        });
    }

    /// Intern a member email; an invalid one is an error that says what was expected.
    pub(super) fn user(
        &mut self,
        email: &str,
        span: crate::model::Span,
        groups: Option<&Names>,
    ) -> Option<UserId> {
        let text = email.trim();
        if !is_email(text) {
            let help = match groups {
                Some(groups) if groups.get(text).is_some() => format!(
                    "`{text}` is a group: list it under `memberGroups` to nest it (nested groups do not sync)"
                ),
                Some(_) => {
                    "list users by email under `members`, and nested groups under `memberGroups`"
                        .into()
                }
                None => "name people by their email address, such as `ana@acme.com`".into(),
            };
            self.errors.push(LoadError::Invalid {
                location: self.sources.locate(span),
                message: format!("`{text}` is not an email address"),
                help: Some(help),
            });
            return None;
        }
        Some(self.intern_user(text))
    }

    /// Intern an email already known to be one (trimmed).
    pub(super) fn intern_user(&mut self, text: &str) -> UserId {
        let (key, hash) = self.user_keys.key(text);
        self.intern_hashed(text, &key, hash)
    }

    /// Intern an email whose key and hash [`UserKeys::key`] gave (on any thread).
    pub(super) fn intern_hashed(&mut self, text: &str, key: &str, hash: u64) -> UserId {
        if let Some((_, id)) = self.user_ids.find(hash, |(k, _)| **k == *key) {
            return *id;
        }
        let id = UserId(self.users.len() as u32);
        let keys = &self.user_keys;
        self.user_ids
            .insert_unique(hash, (key.into(), id), |(k, _)| keys.hash(k));
        self.users.push(User {
            email: text.to_string(),
        });
        id
    }

    /// A value written in a secret-bearing field. [`super::rollout::redact_secrets`] has
    /// already masked it in the sources if it is inline.
    pub(super) fn secret(&mut self, file: FileId, value: &S<String>) -> At<Secret> {
        At::new(Secret::classify(&value.0.value), span(file, &value.0))
    }

    /// Resolve the `groups:` of a role or limit.
    pub(super) fn assignments(
        &mut self,
        file: FileId,
        names: &[S<String>],
        groups: &Names,
        kind: Kind,
        from: &str,
    ) -> Vec<At<GroupId>> {
        let mut resolved = Vec::new();
        for name in names {
            let name = string(file, name);
            // An email where a group belongs is a user assignment (IDP004), unless a group
            // with an email-like name is so close that this is a misspelling of it (IDP003).
            // One edit at most: emails differ from each other by a few letters all the time.
            // The nearest-name search scans every group name, so it comes last: it runs only for
            // an email that names no group, not for every reference of a large org.
            let is_user = name.value.contains('@')
                && groups.get(&name.value).is_none()
                && crate::suggest::nearest(&name.value, groups.order.iter().map(String::as_str), 1)
                    .is_none();
            if is_user {
                self.user_assignments.push(UserAssignment {
                    kind,
                    owner: from.to_string(),
                    email: name,
                });
            } else if let Some(id) = groups.resolve(self, &name, from) {
                resolved.push(At::new(GroupId(id), name.span));
            }
        }
        resolved
    }
}

/// Whether `text` is an email as the loader takes one (`raw::EMAIL_PATTERN` says the same for
/// the schema): something before the `@`, a domain with a dot that neither starts nor ends it,
/// no second `@` and no whitespace.
pub(super) fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}
