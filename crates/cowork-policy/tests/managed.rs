//! Desktop managed settings: every example policy compiles for the three platforms; each
//! generated file parses with an independent reader (the `plist` crate, a `.reg` parse written
//! here, `serde_json`), holds every value as a string whose JSON decodes to what the policy says,
//! checks clean and is the same on every run; and `docs/managed-settings.md` lists the key
//! reference as the code has it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::managed::{self, Format, Platform, Value};

const TARGETS: [(Platform, Format, &str); 3] = [
    (Platform::Macos, Format::Mobileconfig, "acme.mobileconfig"),
    (Platform::Windows, Format::Reg, "acme.reg"),
    (Platform::Linux, Format::Json, "managed-settings.json"),
];

/// The policy every round trip compiles: each setting the compiler writes, with characters that
/// need escaping in XML, `.reg` strings and JSON.
const POLICY: &str = r##"apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
security:
  egressAllowlist: [github.com, "*.acme.com", otel.acme.com]
  mountAllowlist: ['~/Documents/R&D <2026>', 'C:\Users\Shared\Cowork']
  extensionAllowlist: []
observability:
  otelEndpoint: https://otel.acme.com:4318/v1
  protocol: http/protobuf
  headers:
    - name: Authorization
      value: Bearer ${OTEL_TOKEN}
    - name: X-Team
      value: 'a "quoted" team'
desktop:
  autoUpdaterEnforcementHours: 24
  disableNonessentialTelemetry: true
  deploymentOrganizationUuid: 0b5c6a2e-1d7f-4c3a-9e8b-2f4d6a8c0e1f
  otlpDesktopLogLevel: warn
  otlpContentCapture: [userPrompts, toolDetails]
  inferenceModels: [claude-sonnet-4, "model <with> & \"quotes\""]
  banner:
    enabled: true
    text: Managed by IT & Security <it@acme.com>
    backgroundColor: "#1F2937"
    textColor: "#FFFFFF"
    linkUrl: https://intranet.acme.com/claude
"##;

/// What `value` is once its string is decoded: JSON for lists and objects, else the text.
fn decoded(value: &Value) -> serde_json::Value {
    match value {
        Value::Bool(b) => serde_json::Value::String(b.to_string()),
        Value::Integer(n) => serde_json::Value::String(n.to_string()),
        Value::Json(text) => serde_json::from_str(text).unwrap(),
        Value::Text(t) => serde_json::Value::String(t.clone()),
        Value::List(items) => serde_json::json!(items),
        Value::Object(pairs) => serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        ),
        other => panic!("a value this test does not know: {other:?}"),
    }
}

/// The string as the app decodes it: JSON for a list or object key, else the text itself.
fn app_reads(key: &str, text: &str) -> serde_json::Value {
    if managed::key(key).unwrap().kind.is_json() {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("`{key}` is not JSON: {e}"))
    } else {
        serde_json::Value::String(text.to_string())
    }
}

/// The settings of a `.mobileconfig`, read with the `plist` crate: the payload of the app's
/// domain, its `Payload*` keys left out. Every value must be a string.
fn from_mobileconfig(text: &str) -> Vec<(String, String)> {
    let profile: plist::Value = plist::from_bytes(text.as_bytes()).unwrap();
    let top = profile.as_dictionary().unwrap();
    assert_eq!(
        top.get("PayloadType").and_then(plist::Value::as_string),
        Some("Configuration")
    );
    let uuid = top
        .get("PayloadUUID")
        .and_then(plist::Value::as_string)
        .unwrap();
    assert_eq!(uuid.len(), 36, "a UUID: {uuid}");
    let payloads = top.get("PayloadContent").unwrap().as_array().unwrap();
    assert_eq!(payloads.len(), 1);
    let payload = payloads[0].as_dictionary().unwrap();
    assert_eq!(
        payload.get("PayloadType").and_then(plist::Value::as_string),
        Some(managed::MACOS_DOMAIN)
    );
    assert_ne!(
        payload.get("PayloadUUID").and_then(plist::Value::as_string),
        Some(uuid)
    );
    payload
        .iter()
        .filter(|(k, _)| !k.starts_with("Payload"))
        .map(|(k, v)| {
            let text = v
                .as_string()
                .unwrap_or_else(|| panic!("`{k}` is not a <string>: {v:?}"));
            (k.clone(), text.to_string())
        })
        .collect()
}

/// The values of a `.reg` file, parsed here: the header, one section (the machine policy key)
/// and only `"name"="string"` lines (REG_SZ).
fn from_reg(text: &str) -> Vec<(String, String)> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Windows Registry Editor Version 5.00"));
    assert_eq!(lines.next(), Some(""));
    assert_eq!(
        lines.next(),
        Some(r"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]")
    );
    let unquote = |s: &str| -> (String, usize) {
        assert!(s.starts_with('"'), "a REG_SZ string: {s}");
        let mut out = String::new();
        let mut chars = s.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => out.push(chars.next().unwrap().1),
                '"' => return (out, i + 1),
                c => out.push(c),
            }
        }
        panic!("unterminated string: {s}")
    };
    lines
        .map(|line| {
            let (name, end) = unquote(line);
            let rest = line[end..].strip_prefix('=').unwrap();
            let (value, end) = unquote(rest);
            assert_eq!(end, rest.len(), "one value per line: {line}");
            (name, value)
        })
        .collect()
}

fn from_json(text: &str) -> Vec<(String, String)> {
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let text = v
                .as_str()
                .unwrap_or_else(|| panic!("`{k}` is not a string"));
            (k.clone(), text.to_string())
        })
        .collect()
}

#[test]
fn every_generated_file_parses_and_says_what_the_policy_says() {
    let policy = cowork_policy::load_sources([("policy.yaml", POLICY)]).unwrap();
    let settings = managed::desktop_settings(&policy, None).unwrap();
    let keys: Vec<&str> = settings.iter().map(|s| s.key).collect();
    assert_eq!(
        keys,
        [
            "allowedWorkspaceFolders",
            "coworkEgressAllowedHosts",
            "isDesktopExtensionEnabled",
            "inferenceModels",
            "deploymentOrganizationUuid",
            "disableNonessentialTelemetry",
            "autoUpdaterEnforcementHours",
            "otlpEndpoint",
            "otlpProtocol",
            "otlpHeaders",
            "otlpDesktopLogLevel",
            "otlpContentCapture",
            "banner",
        ]
    );
    for (platform, format, name) in TARGETS {
        let text = managed::compile(&policy, None, platform, format).unwrap();
        let read = match format {
            Format::Mobileconfig => from_mobileconfig(&text),
            Format::Reg => from_reg(&text),
            Format::Json => from_json(&text),
        };
        let mut read = read;
        let order = |k: &str| keys.iter().position(|x| *x == k);
        read.sort_by_key(|(k, _)| order(k));
        assert_eq!(read.len(), settings.len(), "{name}: {read:?}");
        for ((key, text), setting) in read.iter().zip(&settings) {
            assert_eq!(key, setting.key, "{name}");
            assert_eq!(
                app_reads(key, text),
                decoded(&setting.value),
                "{name}: `{key}`"
            );
        }
        let checked = managed::check_file(name, text.as_bytes()).unwrap();
        assert!(
            checked.report.findings.is_empty(),
            "{name} does not check clean: {:?}",
            checked.report.findings
        );
        assert_eq!(
            managed::compile(&policy, None, platform, format).unwrap(),
            text,
            "{name}: a re-run differs"
        );
    }
}

#[test]
fn inline_secrets_never_reach_a_generated_file() {
    let policy = cowork_policy::load_sources([(
        "policy.yaml",
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
observability:
  otelEndpoint: https://collector:hunter2@otel.acme.com:4318
  headers:
    - name: Authorization
      value: Bearer sk-inline-123
",
    )])
    .unwrap();
    for (platform, format, _) in TARGETS {
        let text = managed::compile(&policy, None, platform, format).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("sk-inline"), "{text}");
        assert!(text.contains("otel.acme.com:4318"), "{text}");
        assert!(!text.contains("otlpHeaders"), "{text}");
    }
}

/// Every example compiles for the three platforms. A clean example's files check clean; the
/// day-one example's files show the policy's own findings about what they carry (its OTEL
/// collector is not on its egress allowlist: OBS003 in the policy and in the file), nothing else.
#[test]
fn every_example_policy_compiles_for_every_platform_and_checks_as_the_policy_does() {
    for dir in common::example_dirs() {
        let policy = cowork_policy::load_dir(&dir).unwrap();
        let policy_codes: Vec<&str> = common::check(&policy)
            .findings
            .iter()
            .map(|f| f.code)
            .collect();
        let day_one = dir.ends_with("day-one");
        for (platform, format, name) in TARGETS {
            let files = managed::compile_each(&policy, platform, format)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            assert!(!files.is_empty());
            let mut codes = Vec::new();
            for (org, text) in files {
                let checked = managed::check_file(name, text.as_bytes()).unwrap();
                for finding in &checked.report.findings {
                    assert!(
                        day_one && policy_codes.contains(&finding.code),
                        "{} ({org}, {name}): {finding:?}",
                        dir.display()
                    );
                    codes.push(finding.code);
                }
            }
            if day_one {
                assert_eq!(codes, ["OBS003"], "{name}");
            }
        }
    }
}

#[test]
fn compile_refuses_a_format_the_platform_does_not_read_and_an_unnamed_org() {
    let two = cowork_policy::load_sources([(
        "policy.yaml",
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme-us
    plan: enterprise
  - name: acme-eu
    plan: enterprise
",
    )])
    .unwrap();
    let err = |r: Result<String, managed::CompileError>| r.unwrap_err().to_string();
    assert_eq!(
        err(managed::compile(
            &two,
            Some("acme-us"),
            Platform::Macos,
            Format::Reg
        )),
        "a macOS MDM deploys mobileconfig, not `reg`"
    );
    assert_eq!(
        err(managed::compile(&two, None, Platform::Windows, Format::Reg)),
        "the policy has 2 orgs: name one with `--org`"
    );
    assert_eq!(
        err(managed::compile(
            &two,
            Some("acme"),
            Platform::Windows,
            Format::Reg
        )),
        "no org is called `acme`"
    );
    let eu =
        managed::compile(&two, Some("acme-eu"), Platform::Macos, Format::Mobileconfig).unwrap();
    let us =
        managed::compile(&two, Some("acme-us"), Platform::Macos, Format::Mobileconfig).unwrap();
    assert_ne!(
        eu, us,
        "each org's profile has its own identifier and UUIDs"
    );
}

#[test]
fn a_file_that_cannot_be_read_is_a_load_error_at_its_place() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "a.mobileconfig",
            b"<plist>\n<dict>\n</plist>",
            "a.mobileconfig:3:",
        ),
        ("a.reg", b"REGEDIT5\n", "a.reg:1:1"),
        ("a.json", b"{\n  \"otlpEndpoint\": ,\n}", "a.json:2:"),
        ("a.reg", &[0xFF, 0xFE, 0x00, 0xD8], "a.reg:1:1"),
    ];
    for (name, bytes, at) in cases {
        let errors = managed::check_file(name, bytes).unwrap_err();
        let text = errors.to_string();
        assert!(text.contains(at), "{name}: {text}");
    }
}

#[test]
fn json_files_take_native_values_and_strings_and_point_at_the_key() {
    let text = "{\n  \"autoUpdaterEnforcementHours\": 100,\n  \"coworkEgressAllowedHosts\": [\"github.com\"],\n  \"isDxtEnabled\": \"true\"\n}\n";
    let checked = managed::check_file("managed-settings.json", text.as_bytes()).unwrap();
    let found: Vec<(&str, u32, u32)> = checked
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.location.line, f.location.column))
        .collect();
    assert_eq!(found, [("MDM004", 2, 34), ("MDM003", 4, 3)]);
}

/// `docs/managed-settings.md`'s key table is the key reference as the code has it. With
/// `UPDATE_DOCS=1` the test rewrites it.
#[test]
fn the_docs_key_table_is_the_key_reference() {
    let path = common::root().join("docs/managed-settings.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let begin = "<!-- keys:begin (generated by tests/managed.rs: UPDATE_DOCS=1 cargo test -p cowork-policy --test managed) -->\n";
    let end = "<!-- keys:end -->";
    let start = doc.find(begin).expect("the keys:begin marker") + begin.len();
    let stop = doc.find(end).expect("the keys:end marker");
    let mut table = String::from(
        "| Key | Type | Default | Allowed | MDM only | Formerly | Source | Checked |\n|---|---|---|---|---|---|---|---|\n",
    );
    for key in managed::keys() {
        let name = if key.deprecated {
            format!("`{}` (deprecated)", key.name)
        } else {
            format!("`{}`", key.name)
        };
        table.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | [page]({}) | {} |\n",
            key.kind.as_str(),
            key.default
                .map_or("unset".to_string(), |d| format!("`{d}`")),
            managed::constraint_text(key).replace('|', "\\|"),
            if key.mdm_only { "yes" } else { "" },
            key.formerly
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", "),
            key.source,
            key.checked,
        ));
    }
    let current = &doc[start..stop];
    if current != table {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}{table}{}", &doc[..start], &doc[stop..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/managed-settings.md's key table is stale: run UPDATE_DOCS=1 cargo test -p cowork-policy --test managed"
            );
        }
    }
}

/// An inline credential in a managed file is SEC005 at its value, and no output shows it.
#[test]
fn inline_credentials_in_a_managed_file_are_sec005_and_masked() {
    let text = r#"Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
"otlpHeaders"="{\"Authorization\":\"Bearer sk-live-4242\",\"X-Org\":\"team1\"}"
"inferenceGatewayApiKey"="gw-secret-777"
"otlpEndpoint"="https://ops:pa55word@otel.acme.com:4318"
"#;
    let checked = managed::check_file("claude.reg", text.as_bytes()).unwrap();
    let found: Vec<(&str, u32)> = checked
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.location.line))
        .collect();
    assert_eq!(found, [("SEC005", 4), ("SEC005", 5), ("SEC005", 6)]);
    let human = cowork_policy::render::human(
        &checked.report,
        &checked.source,
        &cowork_policy::render::HumanOptions::new(false),
    );
    let json = cowork_policy::render::json(&checked.report);
    for secret in ["sk-live-4242", "gw-secret-777", "pa55word"] {
        assert!(!human.contains(secret), "{human}");
        assert!(!json.contains(secret), "{json}");
    }
    assert!(
        human.contains("the OTEL header `Authorization` in `otlpHeaders`"),
        "{human}"
    );
    // References the MDM substitutes are not inline secrets.
    let references = r#"Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
"otlpHeaders"="{\"Authorization\":\"Bearer ${OTEL_TOKEN}\"}"
"#;
    let checked = managed::check_file("claude.reg", references.as_bytes()).unwrap();
    assert!(
        checked.report.findings.is_empty(),
        "{:?}",
        checked.report.findings
    );
}

/// A `REG_DWORD` is read for a boolean or an integer key, and its number checked like a string's.
#[test]
fn dword_values_are_checked_as_numbers() {
    let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"autoUpdaterEnforcementHours\"=dword:000000a8\r\n\"isLocalDevMcpEnabled\"=dword:00000002\r\n\"disableAutoUpdates\"=dword:00000001\r\n\"inferenceTokenWindowHours\"=dword:00000018\r\n";
    let checked = managed::check_file("claude.reg", text.as_bytes()).unwrap();
    let found: Vec<(&str, u32, &str)> = checked
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.location.line, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "MDM004",
                4,
                "`autoUpdaterEnforcementHours` is `168`: outside 1 to 72"
            ),
            (
                "MDM004",
                5,
                "`isLocalDevMcpEnabled` is `2`: expected `0` or `1`"
            ),
        ]
    );
}

/// Every managed fixture, mutated a few hundred ways (bytes flipped, cut, repeated, quotes and
/// escapes inserted), is read or refused with a load error, never a panic, and every finding it
/// gives lies inside the file and renders. A deterministic complement of the fuzz targets.
#[test]
fn mutated_managed_files_never_panic() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound.max(1) as u64) as usize
    };
    const INSERTS: [&[u8]; 8] = [
        b"\"",
        b"\\",
        b"<",
        b"\n",
        b"\r\n",
        &[0xFF, 0xFE],
        b"]]>",
        b"\\\n",
    ];
    for dir in common::fixture_dirs() {
        if !common::is_managed_fixture(&dir) {
            continue;
        }
        for (name, original) in common::managed_cases(&dir) {
            for _ in 0..150 {
                let mut bytes = original.clone();
                match next(4) {
                    0 => {
                        let at = next(bytes.len());
                        bytes[at] ^= 1 << next(8);
                    }
                    1 => {
                        let at = next(bytes.len());
                        let len = next(bytes.len() - at);
                        bytes.drain(at..at + len);
                    }
                    2 => {
                        let at = next(bytes.len());
                        let len = next(64).min(bytes.len() - at);
                        let slice = bytes[at..at + len].to_vec();
                        bytes.splice(at..at, slice);
                    }
                    _ => {
                        let at = next(bytes.len());
                        let insert = INSERTS[next(INSERTS.len())];
                        bytes.splice(at..at, insert.iter().copied());
                    }
                }
                match managed::check_file(&name, &bytes) {
                    Ok(checked) => {
                        let human = cowork_policy::render::human(
                            &checked.report,
                            &checked.source,
                            &cowork_policy::render::HumanOptions::new(false),
                        );
                        let json = cowork_policy::render::json(&checked.report);
                        serde_json::from_str::<serde_json::Value>(&json).unwrap();
                        assert!(human.ends_with('\n'));
                    }
                    Err(errors) => assert!(errors.to_string().contains(&name), "{errors}"),
                }
            }
        }
    }
}

/// The rules that judge the sections a profile is compiled from read them through the same
/// reading as the compiler: what SEC001, SEC003 and OBS003 say about the policy, the compiled
/// file says too (the `*` it allows, the extensions it turns off or leaves on, the collector off
/// its egress list).
#[test]
fn the_rules_and_the_compiled_file_see_the_same_settings() {
    let cases = [
        // (security and observability, SEC001 fires, SEC003 fires, OBS003 fires)
        (
            "security:\n  egressAllowlist: [\"*\"]\n  mountAllowlist: [~/Work]\n  extensionAllowlist: []\n",
            true,
            false,
            false,
        ),
        (
            "security:\n  egressAllowlist: [GitHub.com]\n  mountAllowlist: [~/Work]\nobservability:\n  otelEndpoint: https://otel.acme.com:4318\n  protocol: http/protobuf\n",
            false,
            true,
            true,
        ),
        (
            "security:\n  egressAllowlist: [\"*.acme.com\"]\n  mountAllowlist: [~/Work]\n  extensionAllowlist: [com.acme.crm]\nobservability:\n  otelEndpoint: https://otel.acme.com:4318\n  protocol: http/protobuf\n",
            false,
            false,
            false,
        ),
    ];
    for (sections, sec001, sec003, obs003) in cases {
        let text = format!(
            "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n    plan: enterprise\n{sections}"
        );
        let policy = cowork_policy::load_sources([("policy.yaml", text.as_str())]).unwrap();
        let codes: Vec<&str> = common::check(&policy)
            .findings
            .iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes.contains(&"SEC001"), sec001, "{sections}: {codes:?}");
        assert_eq!(codes.contains(&"SEC003"), sec003, "{sections}: {codes:?}");
        assert_eq!(codes.contains(&"OBS003"), obs003, "{sections}: {codes:?}");
        let settings = managed::desktop_settings(&policy, None).unwrap();
        let get = |key: &str| settings.iter().find(|s| s.key == key).map(|s| &s.value);
        let Some(Value::List(hosts)) = get("coworkEgressAllowedHosts") else {
            panic!("{sections}: no egress list in {settings:?}");
        };
        assert_eq!(hosts.iter().any(|h| h == "*"), sec001, "{sections}");
        // Extensions are turned off only by `extensionAllowlist: []`, which SEC003 accepts.
        let off = get("isDesktopExtensionEnabled") == Some(&Value::Bool(false));
        assert!(!(off && sec003), "{sections}");
        for (platform, format, name) in TARGETS {
            let file = managed::compile(&policy, None, platform, format).unwrap();
            let checked = managed::check_file(name, file.as_bytes()).unwrap();
            let in_file = checked.report.findings.iter().any(|f| f.code == "OBS003");
            assert_eq!(in_file, obs003, "{sections} ({name})");
        }
    }
}

/// Claude Code's `managed-settings.json` in the policy folder (at the root or in
/// `claude-code/`), or named by a `desktop:` section's `claudeCodeSettings`, is checked by
/// `check`, its findings at their line and column in that file; a named file that is missing,
/// outside the folder or not JSON is a load error at its place.
#[test]
fn claude_code_managed_settings_in_the_policy_folder_are_checked() {
    const POLICY: &str =
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n    plan: enterprise\n";
    const LOCKED: &str = "{\n  \"permissions\": {\n    \"defaultMode\": \"yolo\"\n  },\n  \"strictKnownMarketplaces\": []\n}\n";
    let located = |policy: &cowork_policy::Policy| -> Vec<String> {
        common::check(policy)
            .findings
            .iter()
            .filter(|f| f.code.starts_with("MDM"))
            .map(|f| {
                format!(
                    "{}:{}:{} {}",
                    f.location.file, f.location.line, f.location.column, f.code
                )
            })
            .collect()
    };
    // Found at the documented paths.
    for path in ["managed-settings.json", "claude-code/managed-settings.json"] {
        let dir = common::TempDir::new("claude-code-found");
        dir.write("policy.yaml", POLICY).write(path, LOCKED);
        let policy = cowork_policy::load_dir(dir.path()).unwrap();
        assert_eq!(
            located(&policy),
            [format!("{path}:3:20 MDM007"), format!("{path}:5:30 MDM006")]
        );
    }
    // Named by a desktop section, relative to the file that names it.
    let dir = common::TempDir::new("claude-code-named");
    dir.write(
        "org/policy.yaml",
        format!("{POLICY}desktop:\n  claudeCodeSettings: ../mdm/claude-code.json\n"),
    )
    .write("mdm/claude-code.json", "{\"strictKnownMarketplaces\": []}");
    let policy = cowork_policy::load_dir(dir.path()).unwrap();
    assert_eq!(located(&policy), ["mdm/claude-code.json:1:29 MDM006"]);
    // A clean file adds nothing.
    let dir = common::TempDir::new("claude-code-clean");
    dir.write("policy.yaml", POLICY).write(
        "managed-settings.json",
        "{\"permissions\": {\"defaultMode\": \"plan\"}}",
    );
    assert!(located(&cowork_policy::load_dir(dir.path()).unwrap()).is_empty());
    // Load errors: missing, outside the folder, not JSON.
    let error = |yaml_line: &str, files: &[(&str, &str)]| -> (String, String) {
        let dir = common::TempDir::new("claude-code-errors");
        dir.write("policy.yaml", format!("{POLICY}{yaml_line}"));
        for (path, text) in files {
            dir.write(path, text);
        }
        let errors = cowork_policy::load_dir(dir.path()).unwrap_err();
        let error = &errors.errors()[0];
        (
            error
                .location()
                .map(ToString::to_string)
                .unwrap_or_default(),
            error.message(),
        )
    };
    let (at, message) = error("desktop:\n  claudeCodeSettings: missing.json\n", &[]);
    assert_eq!(at, "policy.yaml:6:23");
    assert!(
        message.starts_with("Claude Code's managed settings `missing.json` cannot be read: "),
        "{message}"
    );
    let (at, message) = error("desktop:\n  claudeCodeSettings: ../../etc/passwd\n", &[]);
    assert_eq!(at, "policy.yaml:6:23");
    assert!(message.ends_with("outside the policy folder"), "{message}");
    let (at, message) = error("", &[("managed-settings.json", "{\n  \"env\": {,}\n}\n")]);
    assert_eq!(at, "managed-settings.json:2:11");
    assert!(
        message.starts_with("Claude Code's managed settings are not JSON: "),
        "{message}"
    );
}

/// A policy loaded from memory finds its Claude Code file among the JSON sources given, and a
/// file compiled with a `desktop:` section compares clean with the policy until a value of that
/// section differs (MDM008).
#[test]
fn in_memory_claude_code_files_and_desktop_settings_compared() {
    let policy = cowork_policy::load_sources([
        (
            "p.yaml",
            "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\ndesktop:\n  claudeCodeSettings: mdm/cc.json\n  autoUpdaterEnforcementHours: 24\n  banner: {enabled: true, text: hi}\n",
        ),
        ("mdm/cc.json", "{\"strictKnownMarketplaces\": []}"),
    ])
    .unwrap();
    let codes: Vec<&str> = common::check(&policy)
        .findings
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(codes.contains(&"MDM006"), "{codes:?}");
    let expected = managed::desktop_settings(&policy, None).unwrap();
    for (platform, format, name) in TARGETS {
        let file = managed::compile(&policy, None, platform, format).unwrap();
        let checked = managed::check_file_against(name, file.as_bytes(), &expected).unwrap();
        assert!(
            checked.report.findings.is_empty(),
            "{name}: {:?}",
            checked.report.findings
        );
        let changed = file.replace("24", "48");
        let checked = managed::check_file_against(name, changed.as_bytes(), &expected).unwrap();
        let messages: Vec<&str> = checked
            .report
            .findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "`autoUpdaterEnforcementHours` differs from the policy: `48` here, `24` in the policy"
            ],
            "{name}"
        );
    }
}
