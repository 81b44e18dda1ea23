//! Effective access explained: `explain_access`, `explain_group` and the table, on small inline
//! policies, and snapshots of the text and JSON of `policies/okta-single-org`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::render;
use cowork_policy::{
    CheckOptions, Policy,
    access::{
        AccessExplanation, EffectiveAccess, LimitSource, OrgAccess, Spend, explain_access,
        explain_group,
    },
};

fn load(yaml: &str) -> Policy {
    cowork_policy::load_sources([("policy.yaml", yaml)]).unwrap()
}

fn user(policy: &Policy, email: &str) -> AccessExplanation {
    explain_access(policy, email).unwrap()
}

fn only_org(e: &AccessExplanation) -> &OrgAccess {
    assert_eq!(e.orgs.len(), 1, "{e:#?}");
    &e.orgs[0]
}

/// `org/group` pairs: who grants each entitlement, in order.
fn grants(org: &OrgAccess) -> Vec<String> {
    org.entitlements
        .iter()
        .map(|e| {
            let by: Vec<String> = e
                .granted_by
                .iter()
                .map(|g| format!("{}@{}", g.role, g.group))
                .collect();
            format!("{}: {}", e.entitlement, by.join(" "))
        })
        .collect()
}

const ACME: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    coworkEnabled: true
    defaultSpendLimit: 40
    rbac: enforced
groups:
  - name: power
    members: [ana@acme.com]
  - name: interns
    members: [ana@acme.com, cy@acme.com]
  - name: chatters
    members: [bo@acme.com]
  - name: all-staff
    members: [dee@acme.com]
    memberGroups: [chatters]
roles:
  - name: cowork-users
    entitlements: [cowork]
    groups: [power, interns]
  - name: chat-users
    entitlements: [chat]
    groups: [power, chatters]
  - name: staff
    entitlements: [chat]
    withholds: [cowork]
    groups: [all-staff]
spendLimits:
  - name: power-budget
    amount: unlimited
    groups: [power]
  - name: intern-cap
    amount: 25
    groups: [interns]
";

#[test]
fn roles_add_up_with_every_grant_named() {
    let policy = load(ACME);
    let ana = user(&policy, "ANA@acme.com");
    assert_eq!(ana.user, "ana@acme.com");
    let org = only_org(&ana);
    let groups: Vec<&str> = org.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["power", "interns"]);
    assert_eq!(
        grants(org),
        [
            "cowork: cowork-users@power cowork-users@interns",
            "chat: chat-users@power"
        ]
    );
    assert_eq!(org.groups[0].location.to_string(), "policy.yaml:9:15");
    assert_eq!(
        org.entitlements[0].granted_by[0].location.to_string(),
        "policy.yaml:20:14"
    );
}

#[test]
fn the_lowest_limit_wins_and_the_higher_ones_are_named() {
    let policy = load(ACME);
    let org = user(&policy, "ana@acme.com").orgs.remove(0);
    assert_eq!(org.limit.amount, Spend::Cents(2_500));
    assert_eq!(
        org.limit.decided_by,
        LimitSource::Group {
            group: "interns".into(),
            limit: "intern-cap".into()
        }
    );
    assert_eq!(org.limit.resolution, "min");
    let overridden: Vec<(String, Spend)> = org
        .limit
        .overridden
        .iter()
        .map(|o| (o.limit.clone(), o.amount))
        .collect();
    assert_eq!(overridden, [("power-budget".to_string(), Spend::Unlimited)]);

    let bo = user(&policy, "bo@acme.com").orgs.remove(0);
    assert_eq!(bo.limit.amount, Spend::Cents(4_000));
    assert_eq!(bo.limit.decided_by, LimitSource::OrgDefault);
    assert_eq!(bo.limit.location.unwrap().to_string(), "policy.yaml:5:24");
}

#[test]
fn the_highest_limit_wins_under_limit_resolution_max() {
    let policy = load(&format!("{ACME}platform:\n  limitResolution: max\n"));
    let org = user(&policy, "ana@acme.com").orgs.remove(0);
    assert_eq!(org.limit.amount, Spend::Unlimited);
    assert_eq!(org.limit.resolution, "max");
    assert_eq!(org.limit.overridden.len(), 1);
    assert_eq!(org.limit.overridden[0].amount, Spend::Cents(2_500));
    let text = render::access_human(&user(&policy, "ana@acme.com"));
    assert!(text.contains("the most generous wins"), "{text}");
}

#[test]
fn nesting_alone_gives_nothing_and_says_why() {
    let policy = load(ACME);
    let dee = user(&policy, "dee@acme.com");
    let org = only_org(&dee);
    assert_eq!(org.groups.len(), 1);
    assert!(org.nested_only.is_empty());
    // bo is in `chatters`, which `all-staff` nests: all-staff does not count for bo.
    let bo = user(&policy, "bo@acme.com");
    let org = only_org(&bo);
    let groups: Vec<&str> = org.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["chatters"]);
    assert_eq!(org.nested_only.len(), 1);
    assert_eq!(org.nested_only[0].group, "all-staff");
    assert_eq!(org.nested_only[0].through, ["chatters"]);
    assert_eq!(org.nested_only[0].location.to_string(), "policy.yaml:16:20");
    // all-staff's `staff` role (chat) does not reach bo.
    assert_eq!(grants(org), ["chat: chat-users@chatters"]);

    let group = explain_group(&policy, "all-staff").unwrap();
    assert_eq!(group.members, 1);
    assert_eq!(group.nested_only.len(), 1);
    assert_eq!(group.nested_only[0].user, "bo@acme.com");
}

#[test]
fn nesting_counts_where_the_profile_says_it_syncs() {
    let yaml =
        ACME.replace(
            "orgs:",
            "identityProviders:\n  - name: gw\n    kind: google-workspace\norgs:",
        )
        .replace(
            "  - name: all-staff\n",
            "  - name: all-staff\n    idp: gw\n",
        ) + "platform:\n  nestedGroupsSync: [google-workspace]\n";
    let policy = load(&yaml);
    let bo = user(&policy, "bo@acme.com");
    let org = only_org(&bo);
    let groups: Vec<(&str, &[String])> = org
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.synced_through.as_slice()))
        .collect();
    assert_eq!(
        groups,
        [
            ("chatters", &[][..]),
            ("all-staff", &["chatters".to_string()][..])
        ]
    );
    assert!(org.nested_only.is_empty());
}

#[test]
fn rbac_and_sso_say_what_they_mean_today() {
    let policy = load(ACME);
    let cy = user(&policy, "cy@acme.com");
    assert!(only_org(&cy).rbac.enforced);
    assert_eq!(
        only_org(&cy).notes[0],
        "RBAC is enforced: this user has exactly `cowork`"
    );
    // A role meant to withhold cowork, while another grants it.
    let policy = load(&ACME.replace(
        "members: [dee@acme.com]",
        "members: [dee@acme.com, cy@acme.com]",
    ));
    let cy = user(&policy, "cy@acme.com");
    assert!(
        only_org(&cy).notes.iter().any(|n| n
            == "role `staff` on `all-staff` means to withhold `cowork`, but roles are additive: role `cowork-users` on `interns` grants it"),
        "{:#?}",
        only_org(&cy).notes
    );

    let policy = load(
        "apiVersion: cowork-policy/v1
identityProviders:
  - name: okta
    sso: enforced
orgs:
  - name: acme
    identityProvider: okta
    provisioning: scim
    rbac: configured
groups:
  - name: synced
    scim: true
    members: [ana@acme.com]
  - name: local
    scim: false
    members: [bo@acme.com]
",
    );
    let bo = user(&policy, "bo@acme.com");
    assert_eq!(
        only_org(&bo).notes,
        [
            "RBAC is `configured`, not enforced: roles do not decide access yet; once RBAC is enforced this user gets zero permissions",
            "SSO through `okta` is enforced and no SCIM-synced group lists this user: they are not provisioned, so they are locked out",
        ]
    );
    let ana = user(&policy, "ana@acme.com");
    assert_eq!(
        only_org(&ana).notes[1],
        "SSO is enforced: this user signs in through `okta` only"
    );
    // A group that does not record `scim` may sync: unknown, not locked out.
    let policy = load(&policy_text_without_local_scim());
    let bo = user(&policy, "bo@acme.com");
    assert_eq!(
        only_org(&bo).notes[1..],
        [
            "no group that lists this user records `scim: true`, and some do not record `scim` at all: whether SCIM provisions them is not recorded",
            "SSO is enforced: this user signs in through `okta` only",
        ]
    );
}

#[test]
fn a_plan_without_custom_roles_says_roles_never_decide() {
    // A Team-plan org: RBAC never comes, so the note must not promise "once RBAC is enforced".
    let policy = load(&ACME.replace("  - name: acme\n", "  - name: acme\n    plan: team\n"));
    let cy = user(&policy, "cy@acme.com");
    assert_eq!(
        only_org(&cy).notes[0],
        "plan `team` has no custom roles, so roles never decide access: this user has every feature the org enables"
    );
    let interns = explain_group(&policy, "interns").unwrap();
    assert!(
        interns.notes[0].starts_with("plan `team` has no custom roles"),
        "{:#?}",
        interns.notes
    );
    // The same org on Enterprise keeps the RBAC note.
    let policy = load(&ACME.replace("  - name: acme\n", "  - name: acme\n    plan: enterprise\n"));
    let cy = user(&policy, "cy@acme.com");
    assert_eq!(
        only_org(&cy).notes[0],
        "RBAC is enforced: this user has exactly `cowork`"
    );
}

/// The SCIM org of `rbac_and_sso_say_what_they_mean_today`, with `local` not recording `scim`.
fn policy_text_without_local_scim() -> String {
    "apiVersion: cowork-policy/v1
identityProviders:
  - name: okta
    sso: enforced
orgs:
  - name: acme
    identityProvider: okta
    provisioning: scim
    rbac: configured
groups:
  - name: synced
    scim: true
    members: [ana@acme.com]
  - name: local
    members: [bo@acme.com]
"
    .to_string()
}

#[test]
fn a_user_in_two_orgs_gets_each_org_on_its_own() {
    let policy = load(
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    defaultSpendLimit: 40
  - name: acme-eu
    defaultSpendLimit: 10
groups:
  - name: us
    org: acme
    members: [ana@acme.com]
  - name: eu
    org: acme-eu
    members: [ana@acme.com]
roles:
  - name: chat
    entitlements: [chat]
    groups: [us]
",
    );
    let ana = user(&policy, "ana@acme.com");
    let orgs: Vec<(&str, Spend, usize)> = ana
        .orgs
        .iter()
        .map(|o| (o.org.as_str(), o.limit.amount, o.entitlements.len()))
        .collect();
    assert_eq!(
        orgs,
        [
            ("acme", Spend::Cents(4_000), 1),
            ("acme-eu", Spend::Cents(1_000), 0)
        ]
    );
    let access = EffectiveAccess::new(&policy, &CheckOptions::default());
    let table = access.table();
    let rows: Vec<(&str, &str)> = table
        .rows()
        .map(|r| (r.user, r.access.org.as_str()))
        .collect();
    assert_eq!(
        rows,
        [("ana@acme.com", "acme"), ("ana@acme.com", "acme-eu")]
    );
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let policy = load(ACME);
    let error = explain_access(&policy, "an@acme.com").unwrap_err();
    assert_eq!(error.to_string(), "no user `an@acme.com` in the policy");
    assert_eq!(error.did_you_mean.as_deref(), Some("ana@acme.com"));
    let error = explain_group(&policy, "internz").unwrap_err();
    assert_eq!(error.did_you_mean.as_deref(), Some("interns"));
    assert!(
        explain_group(&policy, "nothing-like-it")
            .unwrap_err()
            .did_you_mean
            .is_none()
    );
}

#[test]
fn the_table_streams_csv_and_json() {
    let policy = load(ACME);
    let access = EffectiveAccess::new(&policy, &CheckOptions::default());
    let table = access.table();
    let mut csv = Vec::new();
    render::access_csv(&table, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    insta::assert_snapshot!("table_csv", csv);
    let mut json = Vec::new();
    render::access_table_json(&table, &mut json).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["rows"].as_array().unwrap().len(), 4);
    assert_eq!(value["rows"][0]["user"], "ana@acme.com");
    assert_eq!(value["rows"][0]["limit"]["cents"], 2500);
}

fn okta() -> Policy {
    cowork_policy::load_dir(common::root().join("policies/okta-single-org")).unwrap()
}

#[test]
fn snapshot_of_a_pilot_user() {
    let policy = okta();
    // In the pilot and in engineering: cowork from the pilot, a 150 budget over the default.
    let e = explain_access(&policy, "alexis.kim@fabrikam.com").unwrap();
    insta::assert_snapshot!("okta_user_human", render::access_human(&e));
    insta::assert_snapshot!("okta_user_json", render::access_json(&e));
}

#[test]
fn snapshot_of_a_group() {
    let policy = okta();
    let e = explain_group(&policy, "cowork-pilot").unwrap();
    insta::assert_snapshot!("okta_group_human", render::group_human(&e));
    insta::assert_snapshot!("okta_group_json", render::group_json(&e));
}
