//! `cowork_policy::drift`: a snapshot built by hand, as an admin bot would, against one policy.
//! An org that matches gives no finding; the same org drifted in every way gives every code; an
//! endpoint that did not answer says nothing; the config selects drift rules as it does others.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

use cowork_policy::live::{
    EffectiveLimit, EndpointRecord, Group, GroupSource, Invite, Manifest, Member, Organization,
    Scope, Setting, SettingValue, Snapshot, Status,
};

const POLICY: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    provisioning: scim
    seats: 4
    rbac: enforced
    usageCredits: true
    defaultSpendLimit: 50
groups:
  - name: everyone
    scim: true
    members: [ana@acme.com, bo@acme.com, cy@acme.com]
  - name: pilots
    scim: false
    members: [bo@acme.com]
spendLimits:
  - name: pilots
    amount: 150
    groups: [pilots]
";

fn policy() -> cowork_policy::Policy {
    cowork_policy::load_sources([("policy.yaml", POLICY)]).unwrap()
}

/// The org as the policy says it is: every endpoint drift reads answered.
fn matching() -> Snapshot {
    let mut manifest = Manifest::new("2026-11-24T03:00:00Z", "2023-06-01", "https://example");
    for name in ["users", "invites", "rbac_groups", "effective_spend_limits"] {
        manifest.endpoints.push(EndpointRecord::answered(
            name,
            format!("/v1/organizations/{name}"),
            format!("{name}.json"),
            1,
        ));
    }
    let mut snapshot = Snapshot::new(manifest);
    snapshot.members = vec![
        Member::new("user_01", "ana@acme.com", "primary_owner"),
        Member::new("user_02", "BO@acme.com", "managed"),
        Member::new("user_03", "cy@acme.com", "managed"),
    ];
    snapshot.invites = vec![
        Invite::new("invite_01", "dan@acme.com", "managed", "pending"),
        Invite::new("invite_02", "old@acme.com", "managed", "expired"),
    ];
    snapshot.groups = vec![
        Group::new("rbac_group_01", "everyone", GroupSource::Scim),
        Group::new("rbac_group_02", "pilots", GroupSource::Direct),
    ];
    let pilots = Scope::RbacGroup {
        rbac_group_id: "rbac_group_02".into(),
    };
    snapshot.effective_limits = vec![
        EffectiveLimit::new("user_01", Some(5_000), Scope::Organization),
        EffectiveLimit::new("user_02", Some(15_000), pilots),
        EffectiveLimit::new("user_03", Some(5_000), Scope::Organization),
    ];
    let mut org = Organization::new("org-1", "acme");
    org.settings = Some(vec![Setting::new(
        "sso_provisioning_mode",
        SettingValue::Text("scim_permissive".into()),
    )]);
    snapshot.organizations.push(org);
    snapshot.manifest.endpoints.push(
        EndpointRecord::answered(
            "compliance_settings",
            "/v1/compliance/organizations/org-1/settings",
            "compliance_settings/00001.json",
            1,
        )
        .with_parent("org-1"),
    );
    snapshot
}

/// The same org, drifted in every way drift compares.
fn drifted() -> Snapshot {
    let mut snapshot = matching();
    snapshot.members[1].role = "user".into(); // DRIFT008
    snapshot.members[0].role = "owner".into(); // DRIFT007
    snapshot.members[2] = Member::new("user_04", "eve@acme.com", "managed"); // DRIFT001, DRIFT002
    snapshot.invites[1].status = "pending".into(); // 3 members + 2 invites > 4 seats: DRIFT003
    snapshot.groups[0].source = GroupSource::Direct; // DRIFT006
    snapshot.groups[1].name = "pilot".into(); // DRIFT005 (and `pilots` is not synced: no DRIFT004)
    snapshot
        .groups
        .push(Group::new("rbac_group_03", "ghosts", GroupSource::Scim));
    snapshot.effective_limits[0].amount = None; // DRIFT009
    snapshot.organizations[0].settings = Some(vec![Setting::new(
        "sso_provisioning_mode",
        SettingValue::Text("login_only".into()),
    )]); // DRIFT010
    snapshot
}

fn codes(report: &cowork_policy::Report) -> Vec<&'static str> {
    let mut codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes
}

#[test]
fn a_matching_org_gives_no_finding() {
    let report = cowork_policy::drift(&policy(), &matching());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn a_drifted_org_gives_every_code() {
    let report = cowork_policy::drift(&policy(), &drifted());
    assert_eq!(
        codes(&report),
        [
            "DRIFT001", "DRIFT002", "DRIFT003", "DRIFT005", "DRIFT006", "DRIFT007", "DRIFT008",
            "DRIFT009", "DRIFT010"
        ]
    );
    let message = |code: &str| {
        report
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap()
            .message
            .clone()
    };
    assert_eq!(
        message("DRIFT003"),
        "org `acme` has 4 seats but `users.json` lists 3 members and `invites.json` 2 pending invites (5 taken, 1 over)"
    );
    assert_eq!(
        message("DRIFT005"),
        "`rbac_groups.json` lists 2 groups that the policy of org `acme` lacks: `pilot` and `ghosts`"
    );
    assert_eq!(
        message("DRIFT010"),
        "org `acme` records provisioning `scim` but `compliance_settings/00001.json` has `sso_provisioning_mode` `login_only`"
    );
    assert_eq!(
        message("DRIFT009"),
        "`effective_spend_limits.json` gives 1 member another monthly limit than the default of org `acme` (50.00/month): `ana@acme.com` unlimited from `organization`"
    );
    // Every finding is at a line of the policy.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.location.file == "policy.yaml")
    );
}

#[test]
fn an_endpoint_that_did_not_answer_says_nothing() {
    let mut snapshot = drifted();
    for record in &mut snapshot.manifest.endpoints {
        record.status = Status::NotPermitted;
        record.http_status = Some(403);
        record.file = None;
    }
    let report = cowork_policy::drift(&policy(), &snapshot);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);

    // Only the invites missing: the seats are not counted, the members still are.
    let mut snapshot = drifted();
    snapshot.manifest.endpoints[1].status = Status::HttpError;
    let report = cowork_policy::drift(&policy(), &snapshot);
    assert!(!codes(&report).contains(&"DRIFT003"));
    assert!(codes(&report).contains(&"DRIFT001"));
}

#[test]
fn the_config_selects_drift_rules_and_check_never_reports_them() {
    let config = cowork_policy::config::Config::from_str(
        "cowork-policy.toml",
        "select = [\"DRIFT\"]\nignore = [\"DRIFT001\"]\n[severity]\nDRIFT002 = \"error\"\n",
    )
    .unwrap();
    let options = cowork_policy::CheckOptions::default().config(config);
    let report = cowork_policy::drift_with(&policy(), &drifted(), &options);
    let codes = codes(&report);
    assert!(!codes.contains(&"DRIFT001"));
    let missing = report
        .findings
        .iter()
        .find(|f| f.code == "DRIFT002")
        .unwrap();
    assert_eq!(missing.severity, cowork_policy::Severity::Error);
    assert!(
        cowork_policy::check(&policy())
            .findings
            .iter()
            .all(|f| !f.code.starts_with("DRIFT"))
    );
}
