//! A read-only view of a loaded [`Policy`]: its orgs, identity providers, groups, users, roles,
//! spend limits and rollout steps, for programs that build on it (an admin bot, a SCIM bridge, a
//! provisioning job).
//!
//! Each item is a small `Copy` handle that borrows the policy: [`Org`], [`IdentityProvider`],
//! [`Group`], [`User`], [`Role`], [`SpendLimit`], [`Step`]. Handles answer with names, numbers,
//! the enums of this module and other handles, and each says where it was written
//! ([`Location`]). Start from [`Policy::orgs`], [`Policy::groups`], ... or look one up by name
//! ([`Policy::find_group`], [`Policy::find_user`], ...).
//!
//! The view shows what the policy says. What users end up with (only direct members sync, roles
//! add up, the lowest limit wins) is effective access: [`crate::access::EffectiveAccess`], whose
//! [`has`](crate::access::EffectiveAccess::has) and [`users_with`](crate::access::EffectiveAccess::users_with)
//! take these handles.
//!
//! ```
//! use cowork_policy::policy::{Entitlement, RbacState};
//!
//! let policy = cowork_policy::load_sources([(
//!     "policy.yaml",
//!     "apiVersion: cowork-policy/v1
//! orgs:
//!   - name: acme
//!     rbac: enforced
//! groups:
//!   - name: pilot
//!     members: [ana@acme.com, Bo@acme.com]
//!   - name: everyone
//!     members: [cy@acme.com]
//!     memberGroups: [pilot]
//! roles:
//!   - name: cowork-pilot
//!     entitlements: [cowork, chat]
//!     groups: [pilot]
//! ",
//! )])?;
//! let acme = policy.find_org("acme").unwrap();
//! assert_eq!(acme.rbac(), RbacState::Enforced);
//!
//! let everyone = policy.find_group("everyone").unwrap();
//! let nested: Vec<&str> = everyone.member_groups().map(|g| g.name()).collect();
//! assert_eq!(nested, ["pilot"]);
//! assert_eq!(everyone.location().to_string(), "policy.yaml:8:11");
//!
//! let role = policy.find_role("cowork-pilot").unwrap();
//! assert!(role.grants(Entitlement::Cowork));
//! assert_eq!(role.groups().next().map(|g| g.name()), Some("pilot"));
//!
//! // Emails are compared in any case; a user keeps the spelling first written.
//! let bo = policy.find_user("bo@ACME.com").unwrap();
//! assert_eq!(bo.email(), "Bo@acme.com");
//! assert_eq!(bo.groups().map(|g| g.name()).collect::<Vec<_>>(), ["pilot"]);
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::model::Date;
use crate::model::Location;
use crate::model::{self, GroupId, IdpId, LimitId, OrgId, Policy, RoleId, StepId, UserId};
pub use crate::model::{Entitlement, IdpKind, Plan, RbacState, Spend, SsoState, StepState};

/// A handle: the policy it reads and the id of one item. Equal handles name the same item of
/// the same policy (compared by address).
macro_rules! handle {
    ($(#[$meta:meta])* $name:ident($id:ident), $label:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            policy: &'a Policy,
            id: $id,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(policy: &'a Policy, id: $id) -> Self {
                $name { policy, id }
            }
        }

        impl PartialEq for $name<'_> {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.policy, other.policy) && self.id == other.id
            }
        }

        impl Eq for $name<'_> {}

        impl Hash for $name<'_> {
            fn hash<H: Hasher>(&self, state: &mut H) {
                std::ptr::hash(self.policy, state);
                self.id.hash(state);
            }
        }

        /// The name only: a handle's policy is too large to print.
        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.$label()).finish()
            }
        }
    };
}

handle! {
    /// A Claude org: the only one, a parent or a child.
    Org(OrgId), name
}

handle! {
    /// An identity provider: where users sign in, and whether it provisions them by SCIM.
    IdentityProvider(IdpId), name
}

handle! {
    /// An IdP group as Claude sees it: its direct members and the groups nested in it.
    Group(GroupId), name
}

handle! {
    /// A user, known by email. A user is not defined in one place: groups (and other sections)
    /// name them, and [`Group::member_location`] says where a group does.
    User(UserId), email
}

handle! {
    /// A custom role: what it grants and the groups it is assigned to.
    Role(RoleId), name
}

handle! {
    /// A monthly spend limit per member, and the groups it applies to.
    SpendLimit(LimitId), name
}

handle! {
    /// An entry of a rollout step: a built-in step (listed in the policy or not) or a custom
    /// one, for one org or shared by the orgs without their own entry.
    Step(StepId), name
}

impl Policy {
    /// Every org, in the order the policy defines them.
    pub fn orgs(&self) -> impl ExactSizeIterator<Item = Org<'_>> {
        (0..self.orgs.len() as u32).map(|i| Org::new(self, OrgId(i)))
    }

    /// Every identity provider, in the order the policy defines them.
    pub fn identity_providers(&self) -> impl ExactSizeIterator<Item = IdentityProvider<'_>> {
        (0..self.idps.len() as u32).map(|i| IdentityProvider::new(self, IdpId(i)))
    }

    /// Every group, in the order the policy defines them.
    pub fn groups(&self) -> impl ExactSizeIterator<Item = Group<'_>> {
        (0..self.groups.len() as u32).map(|i| Group::new(self, GroupId(i)))
    }

    /// Every user (each email once, in any case), in the order the policy first names them.
    pub fn users(&self) -> impl ExactSizeIterator<Item = User<'_>> {
        (0..self.users.len() as u32).map(|i| User::new(self, UserId(i)))
    }

    /// Every role, in the order the policy defines them.
    pub fn roles(&self) -> impl ExactSizeIterator<Item = Role<'_>> {
        (0..self.roles.len() as u32).map(|i| Role::new(self, RoleId(i)))
    }

    /// Every spend limit, in the order the policy defines them.
    pub fn spend_limits(&self) -> impl ExactSizeIterator<Item = SpendLimit<'_>> {
        (0..self.limits.len() as u32).map(|i| SpendLimit::new(self, LimitId(i)))
    }

    /// Every step entry: each built-in step (pending when the policy does not list it), then
    /// the policy's own entries, per org ones included. [`Org::steps`] gives the entries one
    /// org sees.
    pub fn steps(&self) -> impl ExactSizeIterator<Item = Step<'_>> {
        (0..self.steps.len() as u32).map(|i| Step::new(self, StepId(i)))
    }

    /// The org with this name.
    pub fn find_org(&self, name: &str) -> Option<Org<'_>> {
        self.orgs().find(|o| o.name() == name)
    }

    /// The identity provider with this name.
    pub fn find_identity_provider(&self, name: &str) -> Option<IdentityProvider<'_>> {
        self.identity_providers().find(|i| i.name() == name)
    }

    /// The group with this name.
    pub fn find_group(&self, name: &str) -> Option<Group<'_>> {
        self.groups().find(|g| g.name() == name)
    }

    /// The role with this name.
    pub fn find_role(&self, name: &str) -> Option<Role<'_>> {
        self.roles().find(|r| r.name() == name)
    }

    /// The spend limit with this name.
    pub fn find_spend_limit(&self, name: &str) -> Option<SpendLimit<'_>> {
        self.spend_limits().find(|l| l.name() == name)
    }

    /// The user with this email, compared in any case as the loader does.
    pub fn find_user(&self, email: &str) -> Option<User<'_>> {
        let wanted = email.to_lowercase();
        self.users().find(|u| {
            let email = u.email();
            // An ASCII email lowercases to ASCII: compare without allocating.
            if email.is_ascii() {
                email.eq_ignore_ascii_case(&wanted)
            } else {
                email.to_lowercase() == wanted
            }
        })
    }
}

impl<'a> Org<'a> {
    pub(crate) fn id(self) -> OrgId {
        self.id
    }

    pub(crate) fn policy(self) -> &'a Policy {
        self.policy
    }

    fn get(self) -> &'a model::Org {
        self.policy.org(self.id)
    }

    /// The org's name.
    pub fn name(self) -> &'a str {
        &self.get().name.value
    }

    /// Where its name is written.
    pub fn location(self) -> Location {
        self.policy.sources.locate(self.get().name.span)
    }

    /// The Claude plan; `None` when not recorded.
    pub fn plan(self) -> Option<Plan> {
        self.get().plan.map(|p| p.value)
    }

    /// How many seats it has; `None` when not recorded.
    pub fn seats(self) -> Option<u64> {
        self.get().seats.map(|s| s.value)
    }

    /// `coworkEnabled`: whether Cowork is turned on in the org's settings; `None` when not
    /// recorded (no role can then be relied on to grant it).
    pub fn cowork_enabled(self) -> Option<bool> {
        self.get().cowork_enabled.map(|c| c.value)
    }

    /// How far RBAC has got; [`RbacState::Off`] when left out.
    pub fn rbac(self) -> RbacState {
        self.get().rbac_state()
    }

    /// `defaultSpendLimit`: the limit of members none of whose groups has one; `None` when
    /// left out (those members are unlimited).
    pub fn default_spend_limit(self) -> Option<Spend> {
        self.get().default_limit.map(|d| d.value)
    }

    /// The identity provider the org names in `identityProvider`.
    pub fn identity_provider(self) -> Option<IdentityProvider<'a>> {
        self.get()
            .idp
            .map(|id| IdentityProvider::new(self.policy, id))
    }

    /// For a child org, its parent.
    pub fn parent(self) -> Option<Org<'a>> {
        self.get().parent.map(|id| Org::new(self.policy, id))
    }

    /// The org's groups, in the policy's order.
    pub fn groups(self) -> impl Iterator<Item = Group<'a>> {
        self.policy
            .groups()
            .filter(move |g| g.policy.group(g.id).org == Some(self.id))
    }

    /// The step entries this org sees: its own entry of each step, else the shared one.
    pub fn steps(self) -> impl Iterator<Item = Step<'a>> {
        self.policy
            .steps()
            .filter(move |s| self.policy.step_in(Some(self.id), &s.get().name) == Some(s.id))
    }

    /// The entry of step `name` this org sees: its own, else the shared one.
    pub fn step(self, name: &str) -> Option<Step<'a>> {
        self.policy
            .step_in(Some(self.id), name)
            .map(|id| Step::new(self.policy, id))
    }
}

impl<'a> IdentityProvider<'a> {
    fn get(self) -> &'a model::Idp {
        &self.policy.idps[self.id.index()]
    }

    /// The identity provider's name.
    pub fn name(self) -> &'a str {
        &self.get().name.value
    }

    /// Where its name is written.
    pub fn location(self) -> Location {
        self.policy.sources.locate(self.get().name.span)
    }

    /// Which product it is; `None` when left out.
    pub fn kind(self) -> Option<IdpKind> {
        self.get().kind.map(|k| k.value)
    }

    /// How far SSO has got; `None` when left out.
    pub fn sso(self) -> Option<SsoState> {
        self.get().sso.map(|s| s.value)
    }

    /// Whether SCIM provisioning is on; `None` when left out.
    pub fn scim(self) -> Option<bool> {
        self.get().scim.map(|s| s.value)
    }

    /// The email domains it signs users in for, lowercased.
    pub fn domains(self) -> impl ExactSizeIterator<Item = &'a str> {
        self.get().domains.iter().map(|d| d.value.as_str())
    }

    /// The groups that live in it: those naming it in `idp`, and those of an org that signs in
    /// with it that name no `idp`.
    pub fn groups(self) -> impl Iterator<Item = Group<'a>> {
        self.policy
            .groups()
            .filter(move |g| g.policy.group(g.id).idp == Some(self.id))
    }
}

impl<'a> Group<'a> {
    fn get(self) -> &'a model::Group {
        self.policy.group(self.id)
    }

    /// The group's name.
    pub fn name(self) -> &'a str {
        &self.get().name.value
    }

    /// Where its name is written.
    pub fn location(self) -> Location {
        self.policy.sources.locate(self.get().name.span)
    }

    /// Its org: the one it names, or the policy's only one. `None` for a group that counts for
    /// no org.
    pub fn org(self) -> Option<Org<'a>> {
        self.get().org.map(|id| Org::new(self.policy, id))
    }

    /// The identity provider it lives in: the one it names, else its org's.
    pub fn identity_provider(self) -> Option<IdentityProvider<'a>> {
        self.get()
            .idp
            .map(|id| IdentityProvider::new(self.policy, id))
    }

    /// Whether SCIM syncs it; `None` when not recorded.
    pub fn scim(self) -> Option<bool> {
        self.get().scim.map(|s| s.value)
    }

    /// The users it lists under `members` (its direct members), each once, in the order the
    /// policy first names them.
    pub fn members(self) -> impl ExactSizeIterator<Item = User<'a>> {
        self.get()
            .members
            .iter()
            .map(move |m| User::new(self.policy, m.value))
    }

    /// Where it lists `user` under `members`; `None` when it does not.
    pub fn member_location(self, user: User<'_>) -> Option<Location> {
        if !std::ptr::eq(self.policy, user.policy) {
            return None;
        }
        let members = &self.get().members;
        let index = members.binary_search_by_key(&user.id, |m| m.value).ok()?;
        Some(self.policy.sources.locate(members[index].span))
    }

    /// The groups nested in it (`memberGroups`), as listed. Their members do not become its
    /// members: only direct members sync.
    pub fn member_groups(self) -> impl ExactSizeIterator<Item = Group<'a>> {
        self.get()
            .member_groups
            .iter()
            .map(move |g| Group::new(self.policy, g.value))
    }

    /// The roles assigned to it, in the policy's order.
    pub fn roles(self) -> impl Iterator<Item = Role<'a>> {
        self.policy
            .roles()
            .filter(move |r| r.get().groups.iter().any(|g| g.value == self.id))
    }

    /// The spend limits on it, in the policy's order.
    pub fn spend_limits(self) -> impl Iterator<Item = SpendLimit<'a>> {
        self.policy
            .spend_limits()
            .filter(move |l| l.get().groups.iter().any(|g| g.value == self.id))
    }
}

impl<'a> User<'a> {
    pub(crate) fn id(self) -> UserId {
        self.id
    }

    pub(crate) fn policy(self) -> &'a Policy {
        self.policy
    }

    /// The email, as first written in the policy.
    pub fn email(self) -> &'a str {
        &self.policy.user(self.id).email
    }

    /// The groups that list the user directly, in the policy's order. Groups that reach them
    /// only through `memberGroups` are not among them.
    pub fn groups(self) -> impl Iterator<Item = Group<'a>> {
        self.policy.groups().filter(move |g| {
            g.get()
                .members
                .binary_search_by_key(&self.id, |m| m.value)
                .is_ok()
        })
    }
}

impl<'a> Role<'a> {
    fn get(self) -> &'a model::Role {
        self.policy.role(self.id)
    }

    /// The role's name.
    pub fn name(self) -> &'a str {
        &self.get().name.value
    }

    /// Where its name is written.
    pub fn location(self) -> Location {
        self.policy.sources.locate(self.get().name.span)
    }

    /// What it grants, as listed.
    pub fn entitlements(self) -> impl ExactSizeIterator<Item = Entitlement> + 'a {
        self.get().entitlements.iter().map(|e| e.value)
    }

    /// Whether it grants `entitlement`.
    pub fn grants(self, entitlement: Entitlement) -> bool {
        self.get().grant(entitlement).is_some()
    }

    /// The groups it is assigned to, as listed.
    pub fn groups(self) -> impl ExactSizeIterator<Item = Group<'a>> {
        self.get()
            .groups
            .iter()
            .map(move |g| Group::new(self.policy, g.value))
    }
}

impl<'a> SpendLimit<'a> {
    fn get(self) -> &'a model::Limit {
        self.policy.limit(self.id)
    }

    /// The spend limit's name.
    pub fn name(self) -> &'a str {
        &self.get().name.value
    }

    /// Where its name is written.
    pub fn location(self) -> Location {
        self.policy.sources.locate(self.get().name.span)
    }

    /// The amount per member per month.
    pub fn amount(self) -> Spend {
        self.get().amount.value
    }

    /// The groups it applies to, as listed. Its orgs are theirs.
    pub fn groups(self) -> impl ExactSizeIterator<Item = Group<'a>> {
        self.get()
            .groups
            .iter()
            .map(move |g| Group::new(self.policy, g.value))
    }
}

impl<'a> Step<'a> {
    fn get(self) -> &'a model::Step {
        self.policy.step(self.id)
    }

    /// The step's name: a built-in step (`sso-configured`) or a custom one.
    pub fn name(self) -> &'a str {
        &self.get().name
    }

    /// Where the policy lists the entry (its name); `None` for a built-in step it does not
    /// list.
    pub fn location(self) -> Option<Location> {
        self.get().span.map(|span| self.policy.sources.locate(span))
    }

    /// The org of an org's own entry; `None` for an entry shared by the orgs without their own.
    pub fn org(self) -> Option<Org<'a>> {
        self.get().org.map(|id| Org::new(self.policy, id))
    }

    /// Where it stands; [`StepState::Pending`] when not recorded.
    pub fn status(self) -> StepState {
        self.get().status()
    }

    /// When it was done, or is planned.
    pub fn date(self) -> Option<Date> {
        self.get().date.map(|d| d.value)
    }

    /// Whether it is one of the rollout guide's steps, as opposed to the policy's own.
    pub fn is_builtin(self) -> bool {
        self.get().builtin
    }
}
