//! The read-API examples (`examples/cowork_per_org.rs`, `examples/nested_drops.rs`) run on the
//! repository's example policies, and their output checked line by line. Each example is
//! compiled in here as a module, so the test runs the very code `cargo run --example` runs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

#[path = "../examples/cowork_per_org.rs"]
#[allow(
    dead_code,
    reason = "the example's `main` is run by `cargo run --example`, not here"
)]
mod cowork_per_org;
#[path = "../examples/nested_drops.rs"]
#[allow(
    dead_code,
    reason = "the example's `main` is run by `cargo run --example`, not here"
)]
mod nested_drops;

use cowork_policy::Policy;

fn example(name: &str) -> Policy {
    let path = format!("{}/../../policies/{name}", env!("CARGO_MANIFEST_DIR"));
    cowork_policy::load_dir(&path).unwrap()
}

fn output(
    report: fn(&Policy, &mut dyn std::io::Write) -> std::io::Result<()>,
    policy: &Policy,
) -> String {
    let mut out = Vec::new();
    report(policy, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn counts_cowork_per_org() {
    assert_eq!(
        output(cowork_per_org::report, &example("okta-single-org")),
        "fabrikam: roles give Cowork to 48 of 300 members; Cowork is off, so no one has it yet\n"
    );
    assert_eq!(
        output(cowork_per_org::report, &example("entra-parent-child")),
        "contoso-americas: roles give Cowork to 69 of 2000 members; Cowork is off, so no one has it yet\n\
         contoso-emea: roles give Cowork to 48 of 1200 members; Cowork is off, so no one has it yet\n\
         contoso: roles give Cowork to 0 of 0 members; Cowork is not recorded as on, so no one can rely on it\n"
    );
    assert_eq!(
        output(cowork_per_org::report, &example("day-one")),
        "northwind: roles give Cowork to 50 of 140 members; RBAC is tested, so every member has it until RBAC is enforced\n"
    );
}

#[test]
fn counts_cowork_where_roles_decide() {
    let policy = cowork_policy::load_sources([(
        "policy.yaml",
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    coworkEnabled: true
    rbac: enforced
groups:
  - name: pilot
    members: [ana@acme.com, bo@acme.com]
  - name: staff
    members: [ana@acme.com, cy@acme.com, dee@acme.com]
roles:
  - name: cowork-pilot
    entitlements: [cowork]
    groups: [pilot]
",
    )])
    .unwrap();
    assert_eq!(
        output(cowork_per_org::report, &policy),
        "acme: roles give Cowork to 2 of 4 members; RBAC is enforced, so the roles decide\n"
    );
}

#[test]
fn lists_the_users_nesting_drops() {
    assert_eq!(
        output(nested_drops::report, &example("day-one")),
        "engineering (groups/engineering.yaml:5:11): 6 users reached only through memberGroups
  uma.okafor@northwind.io via data-platform: synced by `all-staff`, misses this group's roles
  leon.okafor@northwind.io via data-platform: synced by `all-staff`, misses this group's roles
  xavier.jensen@northwind.io via data-platform: synced by `all-staff`, misses this group's roles
  priya.zimmer@northwind.io via data-platform: synced by `all-staff`, misses this group's roles
  liam.weber@northwind.io via data-platform: synced by `all-staff`, misses this group's roles
  kira.jensen@northwind.io via data-platform: synced by `all-staff`, misses this group's roles
"
    );
    assert_eq!(
        output(nested_drops::report, &example("okta-single-org")),
        "no group nests another\n"
    );
}

#[test]
fn tells_users_who_never_sync() {
    // `contractors` is not synced, so `eve`, whom only it lists, is never provisioned; `bo` is
    // listed directly by `staff` (synced) too; `ana` is a direct member of `all`.
    let policy = cowork_policy::load_sources([(
        "policy.yaml",
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme
groups:
  - name: all
    scim: true
    members: [ana@acme.com]
    memberGroups: [staff]
  - name: staff
    scim: true
    members: [ana@acme.com, bo@acme.com]
    memberGroups: [contractors]
  - name: contractors
    scim: false
    members: [bo@acme.com, eve@acme.com]
",
    )])
    .unwrap();
    assert_eq!(
        output(nested_drops::report, &policy),
        "all (policy.yaml:5:11): 2 users reached only through memberGroups
  bo@acme.com via staff: synced by `staff`, misses this group's roles
  eve@acme.com via staff > contractors: never synced
staff (policy.yaml:9:11): 1 user reached only through memberGroups
  eve@acme.com via contractors: never synced
"
    );
}
