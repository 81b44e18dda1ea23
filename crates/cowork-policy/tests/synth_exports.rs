//! The synthetic org written as YAML and as each identity provider's export
//! (`cowork_policy::synth::generate_export`) is the same org: both load, and IDP001, IDP002 and
//! SEAT001 say the same thing, word for word, as does everyone's effective access. Two
//! differences are by design and compared as such: GAM names a group by its email
//! (`x@groups.synth.example`), and Okta groups cannot nest, so the Okta export has no nesting
//! and no IDP001 (the nested group's users were never members of the parent anyway).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

use cowork_policy::access::EffectiveAccess;
use cowork_policy::import::Format;
use cowork_policy::synth::{Params, generate, generate_export, generate_export_with_counts};
use cowork_policy::{CheckOptions, Policy, Report};

const COMPARED: [&str; 3] = ["IDP001", "IDP002", "SEAT001"];

/// GAM's group names without their domain, so that they read as the YAML's.
fn unexported(format: Format, text: &str) -> String {
    match format {
        Format::Gam => text.replace("@groups.synth.example", ""),
        _ => text.to_string(),
    }
}

fn answers(report: &Report, format: Format) -> Vec<String> {
    let mut answers: Vec<String> = report
        .findings
        .iter()
        .filter(|f| COMPARED.contains(&f.code))
        .map(|f| unexported(format, &format!("{} {}", f.code, f.message)))
        .collect();
    answers.sort();
    answers
}

/// Every user's groups, groups reached only through nesting, and entitlements.
fn access(policy: &Policy, format: Format) -> Vec<String> {
    let table = EffectiveAccess::new(policy, &CheckOptions::default());
    let mut lines = Vec::new();
    for user in policy.users() {
        let explained = table.user(user.email()).unwrap();
        for org in &explained.orgs {
            let mut groups: Vec<String> = org
                .groups
                .iter()
                .map(|g| unexported(format, &g.name))
                .collect();
            groups.sort();
            let mut entitlements: Vec<&str> = org
                .entitlements
                .iter()
                .map(|e| e.entitlement.as_str())
                .collect();
            entitlements.sort_unstable();
            // Okta has no nesting: no one is reached only through it.
            let mut nested: Vec<String> = match format {
                Format::Okta => Vec::new(),
                _ => org
                    .nested_only
                    .iter()
                    .map(|n| unexported(format, &n.group))
                    .collect(),
            };
            nested.sort();
            lines.push(format!(
                "{}: {groups:?} only through nesting {nested:?} {entitlements:?} {:?}",
                explained.user, org.limit.amount
            ));
        }
    }
    lines.sort();
    lines
}

/// The org's seats cut below the SCIM target (2,000 users), so that SEAT001 has something to
/// say: the synthetic org has seats to spare.
fn fewer_seats(mut files: Vec<(String, String)>) -> Vec<(String, String)> {
    let org = files
        .iter_mut()
        .find(|(path, _)| path == "org.yaml")
        .unwrap();
    assert!(org.1.contains("    seats: 2510\n"), "{}", org.1);
    org.1 = org.1.replace("    seats: 2510\n", "    seats: 1500\n");
    files
}

#[test]
fn every_export_checks_like_the_yaml_org() {
    let params = Params::for_users(2_000);
    let yaml = cowork_policy::load_sources(fewer_seats(generate(&params))).unwrap();
    let yaml_report = cowork_policy::check(&yaml);
    for format in Format::ALL {
        let (files, counts) = generate_export_with_counts(&params, format);
        assert!(
            files
                .iter()
                .any(|(path, _)| path.starts_with("groups/export/")),
            "{format:?}: no export files"
        );
        let exported = cowork_policy::load_sources(fewer_seats(files))
            .unwrap_or_else(|e| panic!("{format:?}: the export does not load:\n{e}"));
        assert_eq!(exported.user_count(), yaml.user_count(), "{format:?}");
        assert_eq!(exported.group_count(), yaml.group_count(), "{format:?}");
        let report = cowork_policy::check(&exported);
        // What the export leaves unknown or refers to wrongly would be a finding here.
        for finding in &report.findings {
            assert!(
                !matches!(finding.code, "IDP003" | "IDP012" | "IDP013" | "IDP014"),
                "{format:?}: {} {}",
                finding.code,
                finding.message
            );
        }
        let mut expected = answers(&yaml_report, Format::Scim);
        assert!(
            expected.iter().any(|a| a.starts_with("SEAT001")),
            "{expected:?}"
        );
        if format == Format::Okta {
            assert_eq!(counts.nested_groups, 0);
            let nested = expected.iter().filter(|a| a.starts_with("IDP001")).count();
            assert_eq!(nested, params.groups / 100, "the YAML org nests 1%");
            expected.retain(|a| !a.starts_with("IDP001"));
        } else {
            assert_eq!(counts.nested_groups, params.groups / 100, "{format:?}");
        }
        assert_eq!(
            answers(&report, format),
            expected,
            "{format:?}: findings differ"
        );
        assert_eq!(
            access(&exported, format),
            access(&yaml, format),
            "{format:?}: access differs"
        );
    }
}

/// The large listings are paged as the APIs page them, every page but the last saying that
/// another follows.
#[test]
fn large_listings_are_paged() {
    let params = Params::for_users(2_000);
    let has = |format: Format, name: &str| {
        generate_export(&params, format)
            .into_iter()
            .find(|(path, _)| path.ends_with(name))
            .map(|(_, text)| text)
    };
    // `all-staff` (2,000 members) is the first group.
    let graph = has(Format::Msgraph, "groups.json").unwrap();
    assert!(
        !graph.contains("@odata.nextLink"),
        "200 groups fit one page of 999"
    );
    let google = has(
        Format::Google,
        "members-all-staff@groups.synth.example.json",
    )
    .unwrap();
    assert!(google.contains("\"nextPageToken\""));
    assert!(
        has(
            Format::Google,
            "members-all-staff@groups.synth.example.10.json"
        )
        .is_some()
    );
    assert!(
        has(
            Format::Google,
            "members-all-staff@groups.synth.example.11.json"
        )
        .is_none()
    );
    assert!(has(Format::Scim, "Users-1901.json").is_some());
    assert!(has(Format::Scim, "Groups-101.json").is_some());
    assert!(
        has(Format::Okta, "groups.json")
            .unwrap()
            .matches("OKTA_GROUP")
            .count()
            == 200
    );
}
