//! The policy as plain domain types: orgs, identity providers, groups, users, roles, spend limits
//! and rollout steps, with every name and reference already resolved to an id.
//!
//! Nothing here knows YAML or petgraph. Every value that a finding may point at carries the
//! [`Span`] it was written at, so rules can name the exact line without knowing where it came from.

mod amount;
mod date;
mod platform;
pub(crate) mod rollout;
mod source;
pub(crate) mod steps;
mod waiver;

pub(crate) use amount::Amount;
pub use amount::Spend;
pub use date::Date;
pub(crate) use platform::{LimitResolution, Overrides};
pub(crate) use rollout::{
    Champions, Checklist, CommKind, Communication, Connector, ConnectorState, DeployMethod,
    DeployState, Deployment, Desktop, DesktopSetting, Distribution, Endpoint, Header, Launch, List,
    ManagedFile, Marketplace, Metric, MetricQuestion, MinOsVersions, Network, Observability,
    OtelProtocol, Plugin, Secret, Security, TargetPlatform, Team, Verified, Version,
    WindowsInstaller, for_org,
};
pub use source::Location;
pub(crate) use source::{FileId, Sources, Span};
pub(crate) use waiver::InlineWaiver;

/// A value and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At<T> {
    pub value: T,
    pub span: Span,
}

impl<T> At<T> {
    pub fn new(value: T, span: Span) -> Self {
        At { value, span }
    }
}

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// An index into [`Policy::orgs`].
    OrgId,
    /// An index into [`Policy::idps`].
    IdpId,
    /// An index into [`Policy::groups`].
    GroupId,
    /// An index into [`Policy::users`].
    UserId,
    /// An index into [`Policy::roles`].
    RoleId,
    /// An index into [`Policy::limits`].
    LimitId,
    /// An index into [`Policy::steps`].
    StepId,
    /// An index into [`Policy::connectors`].
    ConnectorId,
}

/// A Claude plan. Only paid plans can use Cowork.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Plan {
    /// Free.
    Free,
    /// Pro.
    Pro,
    /// Max.
    Max,
    /// Team.
    Team,
    /// Enterprise.
    Enterprise,
}

impl Plan {
    /// The plan as the policy writes it: `free`, `pro`, `max`, `team`, `enterprise`.
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
            Plan::Max => "max",
            Plan::Team => "team",
            Plan::Enterprise => "enterprise",
        }
    }
}

/// How users get into an org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Provisioning {
    InviteOnly,
    Jit,
    Scim,
}

impl Provisioning {
    pub fn as_str(self) -> &'static str {
        match self {
            Provisioning::InviteOnly => "invite-only",
            Provisioning::Jit => "jit",
            Provisioning::Scim => "scim",
        }
    }
}

/// How the organisation is split into Claude orgs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Architecture {
    Single,
    ParentChild,
    MultiParent,
}

/// How the org pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Billing {
    Seats,
    Consumption,
}

/// How far single sign-on has got. Ordered: each state implies the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SsoState {
    /// Planned, not set up yet.
    Planned,
    /// Set up in the admin console.
    Configured,
    /// Tried with real users.
    Tested,
    /// "Require SSO": other sign-in methods are off.
    Enforced,
}

impl SsoState {
    /// The state as the policy writes it: `planned`, `configured`, `tested`, `enforced`.
    pub fn as_str(self) -> &'static str {
        match self {
            SsoState::Planned => "planned",
            SsoState::Configured => "configured",
            SsoState::Tested => "tested",
            SsoState::Enforced => "enforced",
        }
    }
}

/// How far role-based access control has got. Ordered like [`SsoState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RbacState {
    /// No custom roles: every member has what the org enables.
    Off,
    /// Roles are set up, members not migrated yet.
    Configured,
    /// Roles are tried with real users, members not migrated yet.
    Tested,
    /// Members are migrated to enforcement: roles decide, and a member with none has nothing.
    Enforced,
}

impl RbacState {
    /// The state as the policy writes it: `off`, `configured`, `tested`, `enforced`.
    pub fn as_str(self) -> &'static str {
        match self {
            RbacState::Off => "off",
            RbacState::Configured => "configured",
            RbacState::Tested => "tested",
            RbacState::Enforced => "enforced",
        }
    }
}

/// The kind of identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdpKind {
    /// Okta.
    Okta,
    /// Microsoft Entra ID.
    EntraId,
    /// Google Workspace.
    GoogleWorkspace,
    /// Any other identity provider.
    Other,
}

impl IdpKind {
    /// The kind as the policy writes it: `okta`, `entra-id`, `google-workspace`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            IdpKind::Okta => "okta",
            IdpKind::EntraId => "entra-id",
            IdpKind::GoogleWorkspace => "google-workspace",
            IdpKind::Other => "other",
        }
    }
}

/// What a role can grant. Kept as a small closed set so a user's entitlements fit in a bitset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Entitlement {
    /// Claude Cowork.
    Cowork,
    /// Claude chat.
    Chat,
    /// Claude Code.
    ClaudeCode,
}

impl Entitlement {
    /// Every entitlement, in the order the policy format lists them.
    pub const ALL: [Entitlement; 3] = [
        Entitlement::Cowork,
        Entitlement::Chat,
        Entitlement::ClaudeCode,
    ];

    /// The entitlement as the policy writes it: `cowork`, `chat`, `claude-code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Entitlement::Cowork => "cowork",
            Entitlement::Chat => "chat",
            Entitlement::ClaudeCode => "claude-code",
        }
    }
}

/// Where a rollout step stands. A built-in step the policy does not list is pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum StepState {
    /// Not started.
    Pending,
    /// Started, not finished.
    InProgress,
    /// Finished.
    Done,
    /// Deliberately left out; later steps may rely on it as if done.
    Skipped,
}

/// The name the rest of the crate knows [`StepState`] by (the policy's `status:`).
pub(crate) type StepStatus = StepState;

impl StepState {
    /// The state as the policy writes it: `pending`, `in-progress`, `done`, `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::InProgress => "in-progress",
            StepState::Done => "done",
            StepState::Skipped => "skipped",
        }
    }

    /// Whether later steps may rely on this one.
    pub(crate) fn is_settled(self) -> bool {
        matches!(self, StepState::Done | StepState::Skipped)
    }
}

macro_rules! display_as_str {
    ($($ty:ident),*) => {$(
        /// As the policy writes it; width and alignment apply (`{:<12}`).
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    )*};
}

display_as_str!(Plan, SsoState, RbacState, IdpKind, Entitlement, StepState);

/// A Claude org: the parent, a child, or the only one.
#[derive(Debug)]
pub(crate) struct Org {
    pub name: At<String>,
    pub plan: Option<At<Plan>>,
    pub architecture: Option<At<Architecture>>,
    pub billing: Option<At<Billing>>,
    pub seats: Option<At<u64>>,
    pub cowork_enabled: Option<At<bool>>,
    pub rbac: Option<At<RbacState>>,
    pub default_limit: Option<At<Amount>>,
    pub idp: Option<IdpId>,
    pub parent: Option<OrgId>,
    pub provisioning: Option<At<Provisioning>>,
    pub usage_credits: Option<At<bool>>,
    pub skills_enabled: Option<At<bool>>,
    pub analytics_api: Option<At<bool>>,
    pub data_isolation: Option<At<bool>>,
    /// Lowercased.
    pub verified_domains: Vec<At<String>>,
}

impl Org {
    pub fn rbac_state(&self) -> RbacState {
        self.rbac.map_or(RbacState::Off, |r| r.value)
    }

    pub fn cowork_enabled(&self) -> bool {
        self.cowork_enabled.is_some_and(|c| c.value)
    }

    /// Whether users reach the org by SCIM: `provisioning: scim`, or, with provisioning not
    /// recorded, an identity provider with SCIM on.
    pub fn provisions_by_scim(&self, policy: &Policy) -> bool {
        match self.provisioning {
            Some(p) => p.value == Provisioning::Scim,
            None => self
                .idp
                .is_some_and(|idp| policy.idps[idp.index()].scim.is_some_and(|s| s.value)),
        }
    }
}

/// An identity provider and how far SSO and SCIM have got with it.
#[derive(Debug)]
pub(crate) struct Idp {
    pub name: At<String>,
    pub kind: Option<At<IdpKind>>,
    pub sso: Option<At<SsoState>>,
    pub scim: Option<At<bool>>,
    /// Lowercased.
    pub domains: Vec<At<String>>,
    pub sso_email_attribute: Option<At<String>>,
    pub scim_email_attribute: Option<At<String>>,
    pub scim_token: Option<At<Secret>>,
    pub client_secret: Option<At<Secret>>,
}

/// An IdP group as Claude sees it: its direct members, and the groups nested in it.
#[derive(Debug)]
pub(crate) struct Group {
    pub name: At<String>,
    pub org: Option<OrgId>,
    pub idp: Option<IdpId>,
    pub scim: Option<At<bool>>,
    /// Users listed directly, each with where it was listed. Sorted by user id, no repeats.
    pub members: Vec<At<UserId>>,
    /// Groups listed as members, each with where it was listed.
    pub member_groups: Vec<At<GroupId>>,
}

impl Group {
    pub fn scim_synced(&self) -> bool {
        self.scim.is_some_and(|s| s.value)
    }
}

/// A user, known by email (compared case-insensitively).
#[derive(Debug)]
pub(crate) struct User {
    pub email: String,
}

/// A custom role: what it grants, what its author meant it to withhold, and the groups it is on.
#[derive(Debug)]
pub(crate) struct Role {
    pub name: At<String>,
    pub entitlements: Vec<At<Entitlement>>,
    pub withholds: Vec<At<Entitlement>>,
    pub groups: Vec<At<GroupId>>,
}

impl Role {
    pub fn grant(&self, entitlement: Entitlement) -> Option<&At<Entitlement>> {
        self.entitlements.iter().find(|e| e.value == entitlement)
    }
}

/// A monthly spend limit per member, attached to groups.
#[derive(Debug)]
pub(crate) struct Limit {
    pub name: At<String>,
    pub amount: At<Amount>,
    pub groups: Vec<At<GroupId>>,
}

/// A rollout step: every built-in step is here, mentioned in the policy or not, plus the
/// policy's custom steps.
#[derive(Debug)]
pub(crate) struct Step {
    pub name: String,
    /// The org this entry is for; `None` for an entry that applies to every org without its own
    /// entry of the same step (see [`Policy::step_in`]).
    pub org: Option<OrgId>,
    /// Where the policy mentions the step; `None` for a built-in step it leaves out.
    pub span: Option<Span>,
    pub status: Option<At<StepStatus>>,
    pub date: Option<At<Date>>,
    /// Prerequisites written in the policy, on top of the built-in ones.
    pub after: Vec<At<StepId>>,
    pub builtin: bool,
}

impl Step {
    pub fn status(&self) -> StepStatus {
        self.status.map_or(StepStatus::Pending, |s| s.value)
    }
}

/// What kind of thing a name refers to. Used in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Org,
    Idp,
    Group,
    Role,
    Limit,
    Step,
    Connector,
    Plugin,
    /// A section that exists once per org; the name says which.
    Section(&'static str),
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::Idp => "identity provider",
            Kind::Group => "group",
            Kind::Role => "role",
            Kind::Limit => "spend limit",
            Kind::Step => "rollout step",
            Kind::Connector => "connector",
            Kind::Plugin => "plugin",
            Kind::Section(name) => name,
        }
    }

    /// The kind as the first half of an entity key (`group/engineering`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::Idp => "identity-provider",
            Kind::Group => "group",
            Kind::Role => "role",
            Kind::Limit => "spend-limit",
            Kind::Step => "step",
            Kind::Connector => "connector",
            Kind::Plugin => "plugin",
            Kind::Section(name) => name,
        }
    }
}

/// Where an entity's definition starts, and its key (`group/engineering`). A finding belongs to
/// the entity whose definition starts last before it in the same file.
#[derive(Debug)]
pub(crate) struct EntityStart {
    pub span: Span,
    pub key: String,
}

/// A reference to a name that no entity of the expected kind has.
#[derive(Debug)]
pub(crate) struct Unresolved {
    pub kind: Kind,
    pub name: At<String>,
    /// Who refers to it, as "role `x`".
    pub from: String,
    /// The whole message, when the problem is not a misspelt name (an omitted `org:`).
    pub message: Option<String>,
    /// The help, when a "did you mean" does not fit.
    pub help: Option<String>,
    pub candidates: Vec<String>,
}

/// A role or limit that names a user where RBAC takes only groups.
#[derive(Debug)]
pub(crate) struct UserAssignment {
    pub kind: Kind,
    pub owner: String,
    pub email: At<String>,
}

/// A whole policy repo, loaded. Build one with [`crate::load_dir`] or [`crate::load_sources`].
#[derive(Debug, Default)]
pub struct Policy {
    pub(crate) sources: Sources,
    pub(crate) orgs: Vec<Org>,
    pub(crate) idps: Vec<Idp>,
    pub(crate) groups: Vec<Group>,
    pub(crate) users: Vec<User>,
    pub(crate) roles: Vec<Role>,
    pub(crate) limits: Vec<Limit>,
    pub(crate) steps: Vec<Step>,
    /// Each step name's entries (the shared one and the orgs' own), in id order: what
    /// [`Policy::step_in`] looks a step up by, so that a long step list costs no scan per
    /// question.
    pub(crate) step_entries: std::collections::HashMap<String, Vec<StepId>>,
    pub(crate) unresolved: Vec<Unresolved>,
    pub(crate) user_assignments: Vec<UserAssignment>,
    pub(crate) skipped: Vec<String>,
    /// Sorted by file, then start.
    pub(crate) entities: Vec<EntityStart>,
    pub(crate) connectors: Vec<Connector>,
    pub(crate) plugins: Vec<Plugin>,
    pub(crate) marketplaces: Vec<Marketplace>,
    pub(crate) security: Vec<Security>,
    pub(crate) networks: Vec<Network>,
    pub(crate) deployments: Vec<Deployment>,
    pub(crate) observability: Vec<Observability>,
    /// The `desktop:` sections: managed settings set directly.
    pub(crate) desktop: Vec<Desktop>,
    /// Managed-settings files the policy carries (Claude Code's `managed-settings.json`).
    pub(crate) managed_files: Vec<ManagedFile>,
    pub(crate) teams: Vec<Team>,
    pub(crate) launches: Vec<Launch>,
    /// The policy's `platform:` section.
    pub(crate) platform: Overrides,
    /// `# cowork-policy: allow ...` comments, in file order.
    pub(crate) waivers: Vec<InlineWaiver>,
    /// How many of [`Policy::sources`] are identity-provider exports (`directoryExports:`):
    /// the last ones added, after every policy file.
    pub(crate) export_files: usize,
    /// What the exports left unknown, for rules IDP012 to IDP014.
    pub(crate) export_problems: Vec<ExportProblem>,
}

/// Something an identity provider's export leaves unknown, found while reading it.
#[derive(Debug)]
pub(crate) struct ExportProblem {
    pub kind: ExportProblemKind,
    /// Where in the export.
    pub span: Span,
    /// What, in the words of a finding: names the group, the member, the missing page.
    pub message: String,
    /// The group whose members it leaves unknown, for a whole-domain member.
    pub group: Option<GroupId>,
}

/// What kind of unknown an export leaves, and so which rule reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportProblemKind {
    /// A page or a range of results is missing (IDP012).
    Incomplete,
    /// A member is named only by an id, or is of a kind nothing tells, or is a group the
    /// export does not list, or its email is not one (IDP013).
    Unresolved,
    /// A member is the whole domain, with no email list (IDP014).
    WholeDomain,
}

impl Policy {
    /// The policy files read, as paths relative to the loaded directory (or the names given to
    /// [`crate::load_sources`]), in the order they were read.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.sources.paths().take(self.policy_file_count())
    }

    /// How many policy files were read (identity-provider exports not counted).
    pub(crate) fn policy_file_count(&self) -> usize {
        self.sources.len() - self.export_files
    }

    /// The identity-provider exports read (`directoryExports:`), as paths relative to the
    /// loaded directory (or the names given to [`crate::load_sources`]), in the order read.
    pub fn export_files(&self) -> impl Iterator<Item = &str> {
        self.sources.paths().skip(self.policy_file_count())
    }

    /// YAML files found under the directory that are not policy (no
    /// `apiVersion: cowork-policy/...` line), so they were left alone.
    pub fn skipped_files(&self) -> &[String] {
        &self.skipped
    }

    /// How many distinct users (by email) the policy names.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// How many groups the policy defines.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The key of the entity whose definition encloses `span`, or an empty string when the span is
    /// outside every entity (an `apiVersion` line).
    pub(crate) fn entity_key(&self, span: Span) -> String {
        let after = self
            .entities
            .partition_point(|e| (e.span.file, e.span.start) <= (span.file, span.start));
        match after.checked_sub(1).map(|i| &self.entities[i]) {
            Some(e) if e.span.file == span.file => e.key.clone(),
            _ => String::new(),
        }
    }

    pub(crate) fn org(&self, id: OrgId) -> &Org {
        &self.orgs[id.index()]
    }

    pub(crate) fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.index()]
    }

    pub(crate) fn user(&self, id: UserId) -> &User {
        &self.users[id.index()]
    }

    pub(crate) fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.index()]
    }

    pub(crate) fn limit(&self, id: LimitId) -> &Limit {
        &self.limits[id.index()]
    }

    pub(crate) fn step(&self, id: StepId) -> &Step {
        &self.steps[id.index()]
    }

    pub(crate) fn connector(&self, id: ConnectorId) -> &Connector {
        &self.connectors[id.index()]
    }

    pub(crate) fn connector_ids(&self) -> impl Iterator<Item = ConnectorId> {
        (0..self.connectors.len() as u32).map(ConnectorId)
    }

    pub(crate) fn org_ids(&self) -> impl Iterator<Item = OrgId> {
        (0..self.orgs.len() as u32).map(OrgId)
    }

    pub(crate) fn group_ids(&self) -> impl Iterator<Item = GroupId> {
        (0..self.groups.len() as u32).map(GroupId)
    }

    pub(crate) fn role_ids(&self) -> impl Iterator<Item = RoleId> {
        (0..self.roles.len() as u32).map(RoleId)
    }

    pub(crate) fn limit_ids(&self) -> impl Iterator<Item = LimitId> {
        (0..self.limits.len() as u32).map(LimitId)
    }

    pub(crate) fn step_ids(&self) -> impl Iterator<Item = StepId> {
        (0..self.steps.len() as u32).map(StepId)
    }

    /// The entry of step `name` that applies to `org`: the org's own, else the one that names
    /// no org. With `org` `None`, only the latter. `None` when there is neither, as for a custom
    /// step declared for other orgs only.
    pub(crate) fn step_in(&self, org: Option<OrgId>, name: &str) -> Option<StepId> {
        let mut shared = None;
        for &id in self.step_entries.get(name)? {
            let step = self.step(id);
            if org.is_some() && step.org == org {
                return Some(id);
            }
            if step.org.is_none() {
                shared = Some(id);
            }
        }
        shared
    }

    /// A step entry's name, prefixed with its org for an org's own entry: `pilot-launch`,
    /// `acme-emea/pilot-launch`. What diagrams and diffs tell entries apart by.
    pub(crate) fn step_key(&self, id: StepId) -> String {
        let step = self.step(id);
        match step.org {
            Some(org) => format!("{}/{}", self.org(org).name.value, step.name),
            None => step.name.clone(),
        }
    }

    /// The orgs whose rollouts the steps describe, each seeing its own entries of a step and
    /// the shared ones (see [`Policy::step_in`]): every org, or `None` alone for a policy that
    /// defines no org.
    pub(crate) fn step_scopes(&self) -> Vec<Option<OrgId>> {
        if self.orgs.is_empty() {
            vec![None]
        } else {
            self.org_ids().map(Some).collect()
        }
    }

    /// The orgs a step entry applies to: its org, or every org without its own entry of the
    /// same step (`[None]` for a policy that defines no org). Empty for a shared entry every
    /// org replaces with its own.
    pub(crate) fn step_orgs(&self, step: StepId) -> Vec<Option<OrgId>> {
        let s = self.step(step);
        match s.org {
            Some(org) => vec![Some(org)],
            None => self
                .step_scopes()
                .into_iter()
                .filter(|&scope| self.step_in(scope, &s.name) == Some(step))
                .collect(),
        }
    }
}
