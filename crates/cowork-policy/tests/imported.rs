//! Imported groups are checked exactly like written ones: for every readable export under
//! `fixtures/import/`, and for a larger generated one, a policy that names the export under
//! `directoryExports:` and a policy that holds the same groups as YAML (what `cowork-policy
//! import` prints) give the same IDP001, IDP002, SEAT001 and SEAT002 findings, word for word,
//! and the same effective access for every user.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use std::fmt::Write as _;

use cowork_policy::access::EffectiveAccess;
use cowork_policy::import::{self, Format};
use cowork_policy::render::{ImportOptions, import_yaml};
use cowork_policy::{Policy, Report};

/// The rules whose answers must not depend on where a group was written.
const COMPARED: [&str; 4] = ["IDP001", "IDP002", "SEAT001", "SEAT002"];

/// The org, identity provider and a role on every group, with `groups` appended.
fn head(groups: &[String], seats: usize) -> String {
    let mut text = format!(
        "apiVersion: cowork-policy/v1
identityProviders:
  - name: idp
    kind: other
orgs:
  - name: acme
    plan: enterprise
    seats: {seats}
    identityProvider: idp
    coworkEnabled: true
    rbac: enforced
"
    );
    if !groups.is_empty() {
        text.push_str("roles:\n  - name: cowork\n    entitlements: [cowork]\n    groups:\n");
        for group in groups {
            let _ = writeln!(text, "      - {}", serde_json::to_string(group).unwrap());
        }
    }
    text
}

/// The format of a fixture folder, from its name (`msgraph-missing-page`).
fn format_of(folder: &str) -> Format {
    folder.split('-').next().unwrap().parse().unwrap()
}

/// The same export checked both ways; `assigned` of every group but the first, so that some
/// nesting goes unsynced and some does not.
fn both_ways(
    format: Format,
    files: &[(String, String)],
    options: &import::Options,
) -> Option<(Policy, Policy)> {
    let export = import::read(format, files, options).ok()?;
    let names: Vec<String> = export.groups.iter().map(|g| g.name.clone()).collect();
    let assigned: Vec<String> = names.iter().skip(1).cloned().collect();
    let seats = export.groups.iter().map(|g| g.users.len()).sum::<usize>() / 2 + 1;

    let mut imported = head(&names, seats);
    imported.push_str("directoryExports:\n  - idp: idp\n    format: ");
    imported.push_str(format.name());
    imported.push_str("\n    files: [\"exports/**\"]\n    assigned: [");
    let quoted: Vec<String> = assigned
        .iter()
        .map(|name| serde_json::to_string(name).unwrap())
        .collect();
    imported.push_str(&quoted.join(", "));
    imported.push_str("]\n");
    if let Some(attribute) = &options.email_attribute {
        let _ = writeln!(imported, "    emailAttribute: {attribute}");
    }
    let mut sources = vec![("policy.yaml".to_string(), imported)];
    sources.extend(
        files
            .iter()
            .map(|(name, text)| (format!("exports/{name}"), text.clone())),
    );
    let from_export = cowork_policy::load_sources(sources)
        .unwrap_or_else(|e| panic!("the policy naming the export does not load:\n{e}"));

    let names_of_files: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let yaml = import_yaml(
        &export,
        &names_of_files,
        &ImportOptions::default().idp("idp").assigned(assigned),
    );
    let written = format!("{}---\n{yaml}", head(&names, seats));
    let from_yaml = cowork_policy::load_sources([("policy.yaml", written.as_str())])
        .unwrap_or_else(|e| panic!("the imported YAML does not load:\n{e}\n{written}"));
    Some((from_export, from_yaml))
}

/// The compared findings, without their locations (which differ by design).
fn answers(report: &Report) -> Vec<String> {
    let mut answers: Vec<String> = report
        .findings
        .iter()
        .filter(|f| COMPARED.contains(&f.code))
        .map(|f| format!("{} {}", f.code, f.message))
        .collect();
    answers.sort();
    answers
}

/// Every user's access, as entitlements and groups per org.
fn access(policy: &Policy) -> Vec<String> {
    let mut lines = Vec::new();
    let table = EffectiveAccess::new(policy, &cowork_policy::CheckOptions::default());
    for user in policy.users() {
        let explained = table.user(user.email()).unwrap();
        for org in &explained.orgs {
            let groups: Vec<&str> = org.groups.iter().map(|g| g.name.as_str()).collect();
            let nested: Vec<&str> = org.nested_only.iter().map(|n| n.group.as_str()).collect();
            let entitlements: Vec<&str> = org
                .entitlements
                .iter()
                .map(|e| e.entitlement.as_str())
                .collect();
            lines.push(format!(
                "{} {}: groups {groups:?}, only through nesting {nested:?}, gets {entitlements:?}",
                explained.user, org.org
            ));
        }
    }
    lines.sort();
    lines
}

fn assert_same(label: &str, from_export: &Policy, from_yaml: &Policy) {
    let a = cowork_policy::check(from_export);
    let b = cowork_policy::check(from_yaml);
    assert_eq!(answers(&a), answers(&b), "{label}: findings differ");
    assert_eq!(
        access(from_export),
        access(from_yaml),
        "{label}: access differs"
    );
}

#[test]
fn every_readable_fixture_export_checks_the_same_written_or_imported() {
    let root = common::root().join("fixtures").join("import");
    let mut compared = 0;
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        let format = format_of(&name);
        let mut files: Vec<(String, String)> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "csv"))
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        let options = import::Options {
            email_attribute: std::fs::read_to_string(folder.join("options.txt"))
                .ok()
                .and_then(|t| {
                    t.lines()
                        .find_map(|l| l.strip_prefix("email-attribute:"))
                        .map(|v| v.trim().to_string())
                }),
        };
        // Malformed exports are load errors, tested elsewhere.
        let Some((from_export, from_yaml)) = both_ways(format, &files, &options) else {
            continue;
        };
        assert_same(&name, &from_export, &from_yaml);
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} fixture exports compared");
}

/// A GAM export of `groups` groups: each group lists a window of neighbouring users, and every
/// tenth group nests the next one, so nesting leaves some users out.
fn generated_gam(users: usize, groups: usize) -> String {
    let mut csv = String::from("group,type,role,id,status,email\n");
    for g in 0..groups {
        let group = format!("team-{g:03}@acme.com");
        for u in (g * 7)..(g * 7 + 12) {
            let user = u % users;
            let _ = writeln!(
                csv,
                "{group},USER,MEMBER,{user},ACTIVE,User{user:04}@Acme.com"
            );
        }
        if g % 10 == 0 && g + 1 < groups {
            let _ = writeln!(
                csv,
                "{group},GROUP,MEMBER,g{},,team-{:03}@acme.com",
                g + 1,
                g + 1
            );
        }
    }
    csv
}

#[test]
fn a_generated_org_checks_the_same_written_or_imported() {
    let files = vec![("members.csv".to_string(), generated_gam(1_500, 200))];
    let (from_export, from_yaml) =
        both_ways(Format::Gam, &files, &import::Options::default()).unwrap();
    assert_eq!(from_export.group_count(), 200);
    assert_eq!(from_export.user_count(), from_yaml.user_count());
    assert_same("generated", &from_export, &from_yaml);
    let report = cowork_policy::check(&from_export);
    // Nesting without sync and seats below the target are there to compare.
    assert!(report.findings.iter().any(|f| f.code == "IDP001"));
    assert!(report.findings.iter().any(|f| f.code == "SEAT001"));
}
