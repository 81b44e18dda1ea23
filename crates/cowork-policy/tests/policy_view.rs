//! The read-only view of a loaded policy (`cowork_policy::policy`): every accessor, on a small
//! policy of three orgs in three files, with where each item was written.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

use cowork_policy::policy::{
    Entitlement, Group, IdpKind, Plan, RbacState, SsoState, StepState, User,
};
use cowork_policy::{
    CheckOptions, Date, Policy,
    access::{EffectiveAccess, Spend},
};

const ORGS: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    architecture: parent-child
    plan: enterprise
  - name: acme-us
    parent: acme
    plan: enterprise
    seats: 50
    coworkEnabled: true
    rbac: enforced
    identityProvider: okta
    defaultSpendLimit: 40
  - name: acme-eu
    parent: acme
    plan: team
    seats: 20
    coworkEnabled: false
identityProviders:
  - name: okta
    kind: okta
    sso: enforced
    scim: true
    domains: [Acme.com, acme.io]
  - name: entra
    kind: entra-id
";

const GROUPS: &str = "apiVersion: cowork-policy/v1
groups:
  - name: us-pilot
    org: acme-us
    scim: true
    members: [Ana@Acme.com, bo@acme.com]
  - name: us-all
    org: acme-us
    scim: true
    members: [cy@acme.com]
    memberGroups: [us-pilot]
  - name: eu-staff
    org: acme-eu
    idp: entra
    scim: false
    members: [ana@acme.com, dee@acme.com]
  - name: orphans
    members: [eve@acme.com]
";

const ACCESS: &str = "apiVersion: cowork-policy/v1
roles:
  - name: cowork-pilot
    entitlements: [cowork, chat]
    groups: [us-pilot]
  - name: chat-all
    entitlements: [chat]
    groups: [us-all, eu-staff]
spendLimits:
  - name: pilot-budget
    amount: 150.5
    groups: [us-pilot]
  - name: no-cap
    amount: unlimited
    groups: [us-all, eu-staff]
steps:
  - name: sso-configured
    status: done
    date: 2026-01-26
  - name: pilot-launch
    org: acme-us
    status: in-progress
    date: 2026-03-01
  - name: works-council
    org: acme-eu
    after: [rbac-tested]
";

fn policy() -> Policy {
    cowork_policy::load_sources([
        ("org.yaml", ORGS),
        ("groups.yaml", GROUPS),
        ("access.yaml", ACCESS),
    ])
    .unwrap()
}

fn names<'a>(groups: impl Iterator<Item = Group<'a>>) -> Vec<&'a str> {
    groups.map(|g| g.name()).collect()
}

fn emails<'a>(users: impl Iterator<Item = User<'a>>) -> Vec<&'a str> {
    users.map(|u| u.email()).collect()
}

#[test]
fn lists_every_kind_in_policy_order() {
    let policy = policy();
    let orgs: Vec<&str> = policy.orgs().map(|o| o.name()).collect();
    assert_eq!(orgs, ["acme", "acme-us", "acme-eu"]);
    let idps: Vec<&str> = policy.identity_providers().map(|i| i.name()).collect();
    assert_eq!(idps, ["okta", "entra"]);
    assert_eq!(
        names(policy.groups()),
        ["us-pilot", "us-all", "eu-staff", "orphans"]
    );
    // Each email once, spelt as first written, in the order first named.
    assert_eq!(
        emails(policy.users()),
        [
            "Ana@Acme.com",
            "bo@acme.com",
            "cy@acme.com",
            "dee@acme.com",
            "eve@acme.com"
        ]
    );
    let roles: Vec<&str> = policy.roles().map(|r| r.name()).collect();
    assert_eq!(roles, ["cowork-pilot", "chat-all"]);
    let limits: Vec<&str> = policy.spend_limits().map(|l| l.name()).collect();
    assert_eq!(limits, ["pilot-budget", "no-cap"]);
    assert_eq!(policy.users().len(), policy.user_count());
    assert_eq!(policy.groups().len(), policy.group_count());
}

#[test]
fn reads_orgs() {
    let policy = policy();
    let us = policy.find_org("acme-us").unwrap();
    assert_eq!(us.name(), "acme-us");
    assert_eq!(us.location().to_string(), "org.yaml:6:11");
    assert_eq!(us.plan(), Some(Plan::Enterprise));
    assert_eq!(us.seats(), Some(50));
    assert_eq!(us.cowork_enabled(), Some(true));
    assert_eq!(us.rbac(), RbacState::Enforced);
    assert_eq!(us.default_spend_limit(), Some(Spend::Cents(4_000)));
    assert_eq!(us.identity_provider().map(|i| i.name()), Some("okta"));
    assert_eq!(us.parent().map(|p| p.name()), Some("acme"));
    assert_eq!(names(us.groups()), ["us-pilot", "us-all"]);

    let eu = policy.find_org("acme-eu").unwrap();
    assert_eq!(eu.plan(), Some(Plan::Team));
    assert_eq!(eu.cowork_enabled(), Some(false));
    assert_eq!(eu.rbac(), RbacState::Off, "left out means off");
    assert_eq!(eu.default_spend_limit(), None);
    assert_eq!(eu.identity_provider(), None);
    assert_eq!(names(eu.groups()), ["eu-staff"]);

    let parent = policy.find_org("acme").unwrap();
    assert_eq!(parent.parent(), None);
    assert_eq!(parent.seats(), None);
    assert_eq!(parent.cowork_enabled(), None, "not recorded");
    assert_eq!(names(parent.groups()), Vec::<&str>::new());
    assert_eq!(us.parent(), Some(parent));
    assert_ne!(us, parent);
    assert_eq!(format!("{us:?}"), "Org(\"acme-us\")");
}

#[test]
fn reads_identity_providers() {
    let policy = policy();
    let okta = policy.find_identity_provider("okta").unwrap();
    assert_eq!(okta.location().to_string(), "org.yaml:20:11");
    assert_eq!(okta.kind(), Some(IdpKind::Okta));
    assert_eq!(okta.sso(), Some(SsoState::Enforced));
    assert_eq!(okta.scim(), Some(true));
    let domains: Vec<&str> = okta.domains().collect();
    assert_eq!(domains, ["acme.com", "acme.io"], "lowercased");
    // Groups of acme-us name no `idp`: they live in their org's.
    assert_eq!(names(okta.groups()), ["us-pilot", "us-all"]);

    let entra = policy.find_identity_provider("entra").unwrap();
    assert_eq!(entra.kind(), Some(IdpKind::EntraId));
    assert_eq!(
        entra.kind().map(|k| k.to_string()).as_deref(),
        Some("entra-id")
    );
    assert_eq!((entra.sso(), entra.scim()), (None, None));
    assert_eq!(entra.domains().len(), 0);
    assert_eq!(names(entra.groups()), ["eu-staff"]);
}

#[test]
fn reads_groups_with_nesting_and_without_an_org() {
    let policy = policy();
    let all = policy.find_group("us-all").unwrap();
    assert_eq!(all.location().to_string(), "groups.yaml:7:11");
    assert_eq!(all.org().map(|o| o.name()), Some("acme-us"));
    assert_eq!(all.identity_provider().map(|i| i.name()), Some("okta"));
    assert_eq!(all.scim(), Some(true));
    // Direct members only: the nested group's members are not the group's.
    assert_eq!(emails(all.members()), ["cy@acme.com"]);
    assert_eq!(names(all.member_groups()), ["us-pilot"]);
    let roles: Vec<&str> = all.roles().map(|r| r.name()).collect();
    assert_eq!(roles, ["chat-all"]);
    let limits: Vec<&str> = all.spend_limits().map(|l| l.name()).collect();
    assert_eq!(limits, ["no-cap"]);

    let pilot = policy.find_group("us-pilot").unwrap();
    assert_eq!(emails(pilot.members()), ["Ana@Acme.com", "bo@acme.com"]);
    assert_eq!(pilot.member_groups().len(), 0);
    let ana = policy.find_user("ana@acme.com").unwrap();
    assert_eq!(
        pilot.member_location(ana).map(|l| l.to_string()).as_deref(),
        Some("groups.yaml:6:15")
    );
    assert_eq!(
        all.member_location(ana),
        None,
        "listed only through nesting"
    );

    let eu = policy.find_group("eu-staff").unwrap();
    assert_eq!(eu.scim(), Some(false));
    assert_eq!(eu.identity_provider().map(|i| i.name()), Some("entra"));
    assert_eq!(
        eu.member_location(ana).map(|l| l.to_string()).as_deref(),
        Some("groups.yaml:16:15"),
        "where this group lists her, in its own spelling"
    );

    // With several orgs, a group that names none counts for none.
    let orphans = policy.find_group("orphans").unwrap();
    assert_eq!(orphans.org(), None);
    assert_eq!(orphans.identity_provider(), None);
    assert_eq!(orphans.scim(), None, "not recorded");
    assert_eq!(orphans.roles().count(), 0);
    assert_eq!(orphans.spend_limits().count(), 0);
}

#[test]
fn finds_users_in_any_case() {
    let policy = policy();
    let ana = policy.find_user("ANA@acme.COM").unwrap();
    assert_eq!(ana.email(), "Ana@Acme.com");
    assert_eq!(policy.find_user("ana@acme.com"), Some(ana));
    assert_eq!(names(ana.groups()), ["us-pilot", "eu-staff"]);
    // cy is in us-all directly; bo only in us-pilot, not in us-all through nesting.
    let bo = policy.find_user("bo@acme.com").unwrap();
    assert_eq!(names(bo.groups()), ["us-pilot"]);
    assert_eq!(format!("{bo:?}"), "User(\"bo@acme.com\")");
}

#[test]
fn reads_roles_and_spend_limits() {
    let policy = policy();
    let role = policy.find_role("cowork-pilot").unwrap();
    assert_eq!(role.location().to_string(), "access.yaml:3:11");
    let entitlements: Vec<Entitlement> = role.entitlements().collect();
    assert_eq!(entitlements, [Entitlement::Cowork, Entitlement::Chat]);
    assert!(role.grants(Entitlement::Cowork));
    assert!(!role.grants(Entitlement::ClaudeCode));
    assert_eq!(names(role.groups()), ["us-pilot"]);
    let chat = policy.find_role("chat-all").unwrap();
    assert_eq!(names(chat.groups()), ["us-all", "eu-staff"]);
    assert_eq!(Entitlement::ClaudeCode.as_str(), "claude-code");
    assert_eq!(Entitlement::Cowork.to_string(), "cowork");

    let budget = policy.find_spend_limit("pilot-budget").unwrap();
    assert_eq!(budget.location().to_string(), "access.yaml:10:11");
    assert_eq!(budget.amount(), Spend::Cents(15_050));
    assert_eq!(budget.amount().to_string(), "150.50/month");
    assert_eq!(names(budget.groups()), ["us-pilot"]);
    let no_cap = policy.find_spend_limit("no-cap").unwrap();
    assert_eq!(no_cap.amount(), Spend::Unlimited);
    // A limit's orgs are its groups'.
    let orgs: Vec<&str> = no_cap
        .groups()
        .filter_map(|g| g.org())
        .map(|o| o.name())
        .collect();
    assert_eq!(orgs, ["acme-us", "acme-eu"]);
}

#[test]
fn reads_steps_shared_and_per_org() {
    let policy = policy();
    // Every built-in step is there, listed or not.
    let planning = policy.steps().find(|s| s.name() == "planning").unwrap();
    assert!(planning.is_builtin());
    assert_eq!(planning.status(), StepState::Pending);
    assert_eq!(planning.location(), None, "not listed");
    assert_eq!((planning.org(), planning.date()), (None, None));

    let sso = policy
        .steps()
        .find(|s| s.name() == "sso-configured")
        .unwrap();
    assert_eq!(sso.status(), StepState::Done);
    assert_eq!(sso.date(), Date::parse("2026-01-26"));
    assert_eq!(
        sso.location().map(|l| l.to_string()).as_deref(),
        Some("access.yaml:17:11")
    );

    let us = policy.find_org("acme-us").unwrap();
    let eu = policy.find_org("acme-eu").unwrap();
    let launch = us.step("pilot-launch").unwrap();
    assert_eq!(launch.org(), Some(us));
    assert_eq!(launch.status(), StepState::InProgress);
    assert_eq!(launch.status().to_string(), "in-progress");
    assert!(launch.is_builtin());
    // acme-eu has no entry of its own: it sees the shared, unlisted one.
    let eu_launch = eu.step("pilot-launch").unwrap();
    assert_eq!(
        (eu_launch.org(), eu_launch.status()),
        (None, StepState::Pending)
    );
    assert_ne!(launch, eu_launch);

    let council = eu.step("works-council").unwrap();
    assert!(!council.is_builtin());
    assert_eq!(council.org(), Some(eu));
    assert_eq!(
        us.step("works-council"),
        None,
        "a custom step for acme-eu only"
    );

    // Each org sees one entry of every built-in step, plus its own custom ones.
    let builtin = policy
        .steps()
        .filter(|s| s.is_builtin() && s.org().is_none())
        .count();
    assert_eq!(us.steps().count(), builtin);
    assert_eq!(eu.steps().count(), builtin + 1);
    assert!(us.steps().any(|s| s == launch));
    assert!(!us.steps().any(|s| s == eu_launch));
}

#[test]
fn unknown_names_are_none() {
    let policy = policy();
    assert_eq!(policy.find_org("acme-apac"), None);
    assert_eq!(policy.find_org("ACME"), None, "names are exact");
    assert_eq!(policy.find_identity_provider("google"), None);
    assert_eq!(policy.find_group("us-pilots"), None);
    assert_eq!(policy.find_role("admin"), None);
    assert_eq!(policy.find_spend_limit("cap"), None);
    assert_eq!(policy.find_user("zed@acme.com"), None);
    assert_eq!(policy.find_user("ana@acme"), None);
    assert_eq!(
        policy.find_org("acme-us").unwrap().step("no-such-step"),
        None
    );
}

#[test]
fn effective_access_answers_with_handles() {
    let policy = policy();
    let access = EffectiveAccess::new(&policy, &CheckOptions::default());
    let us = policy.find_org("acme-us").unwrap();
    let eu = policy.find_org("acme-eu").unwrap();
    let user = |email| policy.find_user(email).unwrap();

    assert!(access.has(user("ana@acme.com"), us, Entitlement::Cowork));
    assert!(access.has(user("ana@acme.com"), eu, Entitlement::Chat));
    assert!(!access.has(user("ana@acme.com"), eu, Entitlement::Cowork));
    // cy is in us-all, whose role grants chat only; bo's us-all membership is nesting only.
    assert!(access.has(user("cy@acme.com"), us, Entitlement::Chat));
    assert!(!access.has(user("cy@acme.com"), us, Entitlement::Cowork));
    assert!(!access.has(user("bo@acme.com"), us, Entitlement::ClaudeCode));
    // eve's group has no org: she lands nowhere.
    assert!(!access.has(user("eve@acme.com"), us, Entitlement::Chat));

    let mut cowork = emails(access.users_with(us, Entitlement::Cowork));
    cowork.sort_unstable();
    assert_eq!(cowork, ["Ana@Acme.com", "bo@acme.com"]);
    let mut chat = emails(access.users_with(us, Entitlement::Chat));
    chat.sort_unstable();
    assert_eq!(chat, ["Ana@Acme.com", "bo@acme.com", "cy@acme.com"]);
    assert_eq!(access.users_with(eu, Entitlement::Cowork).count(), 0);

    // Handles of another policy get no answer, never another user's.
    let other = self::policy();
    let other_us = other.find_org("acme-us").unwrap();
    let other_ana = other.find_user("ana@acme.com").unwrap();
    assert!(!access.has(other_ana, us, Entitlement::Cowork));
    assert_eq!(access.users_with(other_us, Entitlement::Cowork).count(), 0);
    assert_ne!(other_us, us);
    assert_eq!(
        policy
            .find_group("us-pilot")
            .unwrap()
            .member_location(other_ana),
        None
    );
}

/// Every keyword the format takes for a plan, an SSO or RBAC state, an IdP kind, an entitlement
/// and a step status reads back as written through `as_str` and `Display`.
#[test]
fn enums_print_as_the_policy_writes_them() {
    let plans = ["free", "pro", "max", "team", "enterprise"];
    let rbac = ["off", "configured", "tested", "enforced"];
    let sso = ["planned", "configured", "tested", "enforced"];
    let kinds = ["okta", "entra-id", "google-workspace", "other"];
    let statuses = ["pending", "in-progress", "done", "skipped"];
    let mut yaml = String::from("apiVersion: cowork-policy/v1\norgs:\n");
    for (i, plan) in plans.iter().enumerate() {
        let rbac = rbac[i % rbac.len()];
        yaml += &format!("  - name: o{i}\n    plan: {plan}\n    rbac: {rbac}\n");
    }
    yaml += "identityProviders:\n";
    for (i, (sso, kind)) in sso.iter().zip(kinds).enumerate() {
        yaml += &format!("  - name: i{i}\n    sso: {sso}\n    kind: {kind}\n");
    }
    yaml += "roles:\n  - name: all\n    entitlements: [cowork, chat, claude-code]\nsteps:\n";
    for (i, status) in statuses.iter().enumerate() {
        yaml += &format!("  - name: custom-{i}\n    status: {status}\n    after: []\n");
    }
    let policy = cowork_policy::load_sources([("policy.yaml", yaml.as_str())]).unwrap();

    let read: Vec<String> = policy
        .orgs()
        .map(|o| o.plan().unwrap().to_string())
        .collect();
    assert_eq!(read, plans);
    let read: Vec<&str> = policy.orgs().take(4).map(|o| o.rbac().as_str()).collect();
    assert_eq!(read, rbac);
    let read: Vec<String> = policy
        .identity_providers()
        .map(|i| i.sso().unwrap().to_string())
        .collect();
    assert_eq!(read, sso);
    let read: Vec<&str> = policy
        .identity_providers()
        .map(|i| i.kind().unwrap().as_str())
        .collect();
    assert_eq!(read, kinds);
    let role = policy.find_role("all").unwrap();
    let read: Vec<String> = role.entitlements().map(|e| e.to_string()).collect();
    assert_eq!(read, ["cowork", "chat", "claude-code"]);
    let read: Vec<&str> = policy
        .steps()
        .filter(|s| !s.is_builtin())
        .map(|s| s.status().as_str())
        .collect();
    assert_eq!(read, statuses);
    assert_eq!(Plan::Team.as_str(), "team");
    assert_eq!(RbacState::Off.to_string(), "off");
    assert_eq!(SsoState::Planned.as_str(), "planned");
    assert_eq!(StepState::InProgress.to_string(), "in-progress");
}
