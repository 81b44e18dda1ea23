//! `cowork-policy managed-settings`: compiling the policy into the files an MDM deploys, checking
//! the files admins ship, and `explain` on a managed-settings key.

use super::{run, stderr, stdout, temp_dir};

#[test]
fn compiles_each_platform_to_stdout_or_a_file() {
    let policy = "fixtures/MDM008-differs-from-policy/policy.yaml";
    let reg = run(&[
        "managed-settings",
        policy,
        "--platform",
        "windows",
        "--format",
        "reg",
    ]);
    assert_eq!(reg.status.code(), Some(0), "{}", stderr(&reg));
    let text = stdout(&reg);
    assert!(
        text.starts_with("Windows Registry Editor Version 5.00\n"),
        "{text}"
    );
    assert!(
        text.contains(r#""isDesktopExtensionEnabled"="false""#),
        "{text}"
    );
    let dir = std::env::temp_dir().join(format!("cowork-policy-managed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("acme.mobileconfig");
    let written = run(&[
        "managed-settings",
        policy,
        "--platform",
        "macos",
        "--format",
        "mobileconfig",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(stdout(&written).is_empty());
    let checked = run(&[
        "managed-settings",
        policy,
        "--check",
        out.to_str().unwrap(),
        "--compare",
    ]);
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    let _ = std::fs::remove_dir_all(&dir);
    let wrong = run(&[
        "managed-settings",
        policy,
        "--platform",
        "linux",
        "--format",
        "reg",
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        stderr(&wrong).contains("a Linux MDM deploys json, not `reg`"),
        "{}",
        stderr(&wrong)
    );
}

#[test]
fn check_reports_findings_with_exit_1_and_compare_names_the_drift() {
    let fail = run(&[
        "managed-settings",
        "--check",
        "fixtures/MDM003-unknown-managed-key/fail.reg",
    ]);
    assert_eq!(fail.status.code(), Some(1));
    let text = stdout(&fail);
    assert!(text.contains("error[MDM003]"), "{text}");
    assert!(text.contains("fail.reg:8:1"), "{text}");
    let drift = run(&[
        "managed-settings",
        "fixtures/MDM008-differs-from-policy/policy.yaml",
        "--check",
        "fixtures/MDM008-differs-from-policy/fail.reg",
        "--compare",
    ]);
    assert_eq!(drift.status.code(), Some(1));
    assert!(
        stdout(&drift).contains("`pastebin.com` only here"),
        "{}",
        stdout(&drift)
    );
    let unreadable = run(&["managed-settings", "--check", "Cargo.toml.reg"]);
    assert_eq!(unreadable.status.code(), Some(2));
}

#[test]
fn explain_shows_a_managed_settings_key_and_finds_a_former_name() {
    let key = run(&["explain", "autoUpdaterEnforcementHours"]);
    assert_eq!(key.status.code(), Some(0));
    let text = stdout(&key);
    assert!(
        text.starts_with("# autoUpdaterEnforcementHours\n"),
        "{text}"
    );
    assert!(text.contains("- allowed: 1 to 72"), "{text}");
    assert!(text.contains("checked 2026-12-06"), "{text}");
    let old = stdout(&run(&["explain", "isDxtSignatureRequired"]));
    assert!(
        old.starts_with(
            "`isDxtSignatureRequired` is a former name of `isDesktopExtensionSignatureRequired`"
        ),
        "{old}"
    );
}

/// `--org` compiles that org's `desktop:` section (and the sections shared by every org), with
/// each value in the encoding the platform reads: a string, a whole number as decimal text, a
/// list as JSON.
#[test]
fn org_compiles_that_orgs_desktop_section() {
    let dir = temp_dir("desktop-org");
    std::fs::write(
        dir.join("policy.yaml"),
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    architecture: parent-child
  - name: acme-eu
    parent: acme
    plan: enterprise
security:
  egressAllowlist: [github.com]
---
apiVersion: cowork-policy/v1
desktop:
  org: acme
  autoUpdaterEnforcementHours: 24
---
apiVersion: cowork-policy/v1
desktop:
  org: acme-eu
  autoUpdaterEnforcementHours: 8
  disableNonessentialTelemetry: true
  otlpContentCapture: []
",
    )
    .unwrap();
    let policy = dir.join("policy.yaml");
    let compile = |org: &str, platform: &str, format: &str| {
        let out = run(&[
            "managed-settings",
            policy.to_str().unwrap(),
            "--org",
            org,
            "--platform",
            platform,
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let eu = compile("acme-eu", "windows", "reg");
    assert!(eu.contains(r#""autoUpdaterEnforcementHours"="8""#), "{eu}");
    assert!(
        eu.contains(r#""disableNonessentialTelemetry"="true""#),
        "{eu}"
    );
    assert!(eu.contains(r#""otlpContentCapture"="[]""#), "{eu}");
    assert!(
        eu.contains(r#""coworkEgressAllowedHosts"="[\"github.com\"]""#),
        "{eu}"
    );
    let parent = compile("acme", "linux", "json");
    assert!(
        parent.contains(r#""autoUpdaterEnforcementHours": "24""#),
        "{parent}"
    );
    assert!(!parent.contains("disableNonessentialTelemetry"), "{parent}");
    let profile = compile("acme", "macos", "mobileconfig");
    assert!(
        profile.contains("<key>autoUpdaterEnforcementHours</key>\n      <string>24</string>"),
        "{profile}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Compiling the day-one example writes its profile, and shows on stderr the policy's findings
/// about what the profile carries and how it is deployed: the `.exe` installer where MSIX is
/// needed (DEPLOY001), the collector off the egress allowlist (OBS003), the inline OTEL key
/// (SEC005, left out of the file); nothing from other areas.
#[test]
fn compiling_day_one_shows_the_findings_about_its_profile() {
    let out = run(&[
        "managed-settings",
        "policies/day-one",
        "--platform",
        "windows",
        "--format",
        "reg",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(r#""otlpEndpoint"="https://collector.northwind-ops.net:4318""#));
    let notes = stderr(&out);
    assert!(
        notes.starts_with("note: 4 findings of the policy bear on this profile or its deployment"),
        "{notes}"
    );
    for code in ["DEPLOY001", "DEPLOY004", "OBS003", "SEC005"] {
        assert!(notes.contains(&format!("[{code}]")), "{code}: {notes}");
    }
    assert!(
        notes.contains("the Windows installer for org `northwind` is `exe`, not `msix`"),
        "{notes}"
    );
    assert!(!notes.contains("IDP001"), "{notes}");
    // The config's selection applies, as in `check`.
    let ignored = run(&[
        "managed-settings",
        "policies/day-one",
        "--platform",
        "windows",
        "--format",
        "reg",
        "--ignore",
        "DEPLOY004,SEC",
    ]);
    let notes = stderr(&ignored);
    assert!(notes.starts_with("note: 2 findings"), "{notes}");
    assert!(
        !notes.contains("DEPLOY004") && !notes.contains("SEC005"),
        "{notes}"
    );
}

/// The README's day-one profile block is what the command prints.
#[test]
fn readme_shows_the_day_one_profile_notes_as_they_are() {
    let readme = std::fs::read_to_string(super::root().join("README.md")).unwrap();
    let block = readme
        .split("<!-- day-one-profile:begin")
        .nth(1)
        .and_then(|rest| rest.split("<!-- day-one-profile:end -->").next())
        .unwrap();
    let mut lines = block.lines().skip_while(|l| !l.starts_with("$ "));
    let command = lines
        .next()
        .unwrap()
        .strip_prefix("$ cowork-policy ")
        .unwrap();
    let shown: Vec<&str> = lines.take_while(|l| *l != "```").collect();
    let dir = temp_dir("readme-profile");
    let out_file = dir.join("northwind.reg");
    let mut args: Vec<String> = command.split(' ').map(str::to_string).collect();
    let last = args.len() - 1;
    args[last] = out_file.to_string_lossy().into_owned();
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out_file.exists());
    assert_eq!(stderr(&out).lines().collect::<Vec<_>>(), shown);
    let _ = std::fs::remove_dir_all(&dir);
}
