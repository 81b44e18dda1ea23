//! Checking a managed file admins already ship against the key reference: values written as
//! native structures or types the app cannot read, registry subkeys and user policy the app
//! ignores, unknown and former key names, values out of range or outside their enum. The
//! findings are those of the `managed` rules (MDM001 to MDM005), located in the file.

use std::ops::Range;
use std::sync::Arc;

use super::read::{Entry, Hive, Raw, read};
use crate::desktop::keys::{
    CLAUDE_CODE_DEFAULT_MODES, CLAUDE_CODE_KEYS, Key, Kind, json_problem, key, keys, problem,
    range_problem, string_problem, successor,
};
use crate::desktop::settings::Setting;
use crate::diagnostic::{Finding, Report};
use crate::error::{LoadError, LoadErrors};
use crate::model::rollout::egress_allows;
use crate::model::{FileId, Policy, Span};
use crate::rules::Rule;
use crate::rules::managed::{
    differs_from_policy, hkcu_policy_ignored, invalid_default_mode, managed_value_invalid,
    marketplaces_locked_down, native_structure, unknown_managed_key, unreadable_value_type,
};

/// A managed file checked: its findings, and the file as a one-file [`Policy`] that
/// [`crate::render::human`] can show the lines of.
#[derive(Debug)]
pub struct Checked {
    /// The findings, by position.
    pub report: Report,
    /// The file's text (decoded), for the renderers that show source lines.
    pub source: Policy,
}

/// Check a managed file: a `.mobileconfig` or `.plist`, a `.reg` export, or a `.json` file,
/// by `name`'s extension. A file that cannot be read is a load error at its line and column.
///
/// ```
/// let checked = cowork_policy::managed::check_file(
///     "claude.reg",
///     b"Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\n\"isDxtEnabled\"=\"false\"\n",
/// )?;
/// assert_eq!(checked.report.findings[0].code, "MDM003");
/// # Ok::<(), cowork_policy::LoadErrors>(())
/// ```
pub fn check_file(name: &str, bytes: &[u8]) -> Result<Checked, LoadErrors> {
    check(name, bytes, None)
}

/// [`check_file`], and the file compared with what the policy decides (`expected`, from
/// [`super::desktop_settings`]): a setting the policy decides that the file leaves out or
/// writes otherwise is MDM008.
pub fn check_file_against(
    name: &str,
    bytes: &[u8],
    expected: &[Setting],
) -> Result<Checked, LoadErrors> {
    check(name, bytes, Some(expected))
}

/// The findings of the managed files a policy carries (Claude Code's `managed-settings.json`,
/// found in the policy folder or named by a `desktop:` section), located in those files: what
/// `check` adds to the rules' findings. The loader made sure each file reads as JSON.
pub(crate) fn carried_findings(policy: &Policy) -> Vec<Finding> {
    policy
        .managed_files
        .iter()
        .filter_map(|file| check(&file.path, file.text.as_bytes(), None).ok())
        .flat_map(|checked| checked.report.findings)
        .collect()
}

fn check(name: &str, bytes: &[u8], expected: Option<&[Setting]>) -> Result<Checked, LoadErrors> {
    if bytes.len() as u64 > crate::load::MAX_FILE_BYTES {
        return Err(LoadErrors::one(LoadError::TooLarge {
            path: name.to_string(),
            size: bytes.len() as u64,
            limit: crate::load::MAX_FILE_BYTES,
        }));
    }
    let mut source = Policy::default();
    let file = match read(name, bytes) {
        Ok(file) => file,
        Err(e) => {
            let text: Arc<str> = super::read::decode(bytes)
                .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
                .into();
            let id = source.sources.add(name.to_string(), text.clone());
            let at = (e.offset.min(text.len())) as u32;
            return Err(LoadErrors::one(LoadError::Invalid {
                location: source.sources.locate(Span {
                    file: id,
                    start: at,
                    end: at,
                }),
                message: e.message,
                help: None,
            }));
        }
    };
    let id = source
        .sources
        .add(name.to_string(), file.text.clone().into());
    let mut out = Out {
        file: id,
        findings: Vec::new(),
        source: &source,
        redact: Vec::new(),
    };
    // Claude Code's managed-settings.json has the same name as the desktop app's Linux file:
    // it is told apart by its keys.
    let claude_code = file.entries.iter().all(|e| key(&e.key).is_none())
        && file
            .entries
            .iter()
            .any(|e| CLAUDE_CODE_KEYS.contains(&e.key.as_str()));
    for entry in &file.entries {
        if claude_code {
            check_claude_code(&mut out, entry, &file.text);
        } else {
            check_entry(&mut out, entry);
        }
    }
    for (path, span, _) in &file.subkeys {
        out.push(
            &native_structure::RULE,
            span.clone(),
            format!("registry key `{path}` is below the policy key: the app never reads subkeys"),
            "subkey",
            "write each setting as a `REG_SZ` value directly under the policy key, arrays and objects as JSON",
        );
    }
    if !claude_code {
        collector_allowed(&mut out, &file.entries);
    }
    if let Some(expected) = expected {
        against_policy(&mut out, &file.entries, expected);
    }
    let machine = file.entries.iter().any(|e| e.hive == Some(Hive::Machine));
    if machine {
        for entry in file.entries.iter().filter(|e| e.hive == Some(Hive::User)) {
            out.push(
                &hkcu_policy_ignored::RULE,
                entry.key_span.clone(),
                format!(
                    "`{}` is user policy (`HKCU`), which the app ignores while machine policy (`HKLM`) is present",
                    entry.key
                ),
                "ignored",
                "move the value under `HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude`",
            );
        }
    }
    let Out {
        mut findings,
        redact,
        ..
    } = out;
    for span in redact {
        source.sources.redact(Span {
            file: id,
            start: span.start as u32,
            end: span.end as u32,
        });
    }
    findings.sort_by(|a, b| {
        (a.location.line, a.location.column, a.code).cmp(&(
            b.location.line,
            b.location.column,
            b.code,
        ))
    });
    Ok(Checked {
        report: Report {
            findings,
            files: 1,
            ..Report::default()
        },
        source,
    })
}

struct Out<'a> {
    file: FileId,
    findings: Vec<Finding>,
    source: &'a Policy,
    /// Values holding an inline credential, masked in every output.
    redact: Vec<Range<usize>>,
}

impl Out<'_> {
    fn push(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        message: String,
        label: &str,
        help: &str,
    ) {
        // INVARIANT: only the rules of the managed stage, and SEC005 for inline credentials, are
        // reported here.
        debug_assert!(
            matches!(
                rule.check,
                crate::rules::Check::Stage(crate::rules::Stage::Managed)
            ) || rule.code == "SEC005"
                || rule.code == "OBS003"
        );
        let location = self.source.sources.locate(Span {
            file: self.file,
            start: span.start as u32,
            end: span.end as u32,
        });
        self.findings.push(Finding {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            message,
            location,
            label: label.to_string(),
            related: Vec::new(),
            help: Some(help.to_string()),
            entity: String::new(),
        });
    }
}

fn check_entry(out: &mut Out<'_>, entry: &Entry) {
    let Some(found) = keys().iter().find(|k| k.name == entry.key) else {
        let (message, help) = match successor(&entry.key) {
            Some(new) => (
                format!(
                    "`{}` is a former name the app no longer reads: it is now `{}`",
                    entry.key, new.name
                ),
                format!("rename it `{}`", new.name),
            ),
            None => (
                format!("`{}` is not a key the app reads: it is ignored", entry.key),
                match crate::suggest::did_you_mean(&entry.key, keys().iter().map(|k| k.name)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "`cowork-policy explain` names every key of the reference".to_string(),
                },
            ),
        };
        out.push(
            &unknown_managed_key::RULE,
            entry.key_span.clone(),
            message,
            "unknown key",
            &help,
        );
        return;
    };
    inline_credentials(out, found, entry);
    match &entry.value {
        Raw::String(text) => check_value(out, found, text, entry.value_span.clone()),
        Raw::Plist(tag) if tag == "array" || tag == "dict" => out.push(
            &native_structure::RULE,
            entry.value_span.clone(),
            format!(
                "`{}` is written as a native plist `<{tag}>`: the app reads only a JSON string",
                found.name
            ),
            "native structure",
            "write one `<string>` holding the JSON, such as `<string>[\"a.com\"]</string>`",
        ),
        Raw::Plist(tag) => out.push(
            &unreadable_value_type::RULE,
            entry.value_span.clone(),
            format!(
                "`{}` is a plist `<{tag}>`: the app reads every value as a string",
                found.name
            ),
            "not a string",
            "write a `<string>`, such as `<string>true</string>` or `<string>24</string>`",
        ),
        Raw::Dword(number) if matches!(found.kind, Kind::Bool | Kind::Integer) => {
            let problem = match (found.kind, number) {
                (_, None) => Some("expected a `dword:` of eight hex digits".to_string()),
                (Kind::Bool, Some(n)) if *n > 1 => Some("expected `0` or `1`".to_string()),
                (_, Some(n)) => range_problem(found, i64::from(*n)),
            };
            if let Some(problem) = problem {
                let shown = number.map_or_else(|| "dword".to_string(), |n| n.to_string());
                invalid(out, found, &shown, entry.value_span.clone(), &problem);
            }
        }
        Raw::Dword(_) => out.push(
            &unreadable_value_type::RULE,
            entry.value_span.clone(),
            format!(
                "`{}` is a `REG_DWORD`, which the app reads only for a boolean or an integer",
                found.name
            ),
            "unreadable type",
            "write a `REG_SZ` value",
        ),
        Raw::Registry("REG_MULTI_SZ") => out.push(
            &native_structure::RULE,
            entry.value_span.clone(),
            format!(
                "`{}` is a `REG_MULTI_SZ` list: the app reads only a `REG_SZ` holding JSON",
                found.name
            ),
            "native structure",
            "write one `REG_SZ` value holding the JSON array",
        ),
        Raw::Registry(kind) => {
            let why = if *kind == "REG_EXPAND_SZ" {
                "counts as policy present but cannot be read, so it sets nothing and still disables local settings"
            } else {
                "is a type the app cannot read"
            };
            out.push(
                &unreadable_value_type::RULE,
                entry.value_span.clone(),
                format!("`{}` is a `{kind}`, which {why}", found.name),
                "unreadable type",
                "write a `REG_SZ` value",
            );
        }
        // The Linux file is JSON itself: a native value is read as that value.
        Raw::Json(value) => check_json(out, found, value, entry.value_span.clone()),
    }
}

/// A string value as the app reads it: JSON for a list or object key, else the text; a native
/// JSON value (the Linux file) as it is. `None` for a value the app cannot read.
fn app_value(entry: &Entry) -> Option<serde_json::Value> {
    let kind = keys().iter().find(|k| k.name == entry.key)?.kind;
    match &entry.value {
        Raw::String(text) if kind.is_json() => serde_json::from_str(text).ok(),
        Raw::String(text) if kind == Kind::Bool => match text.trim() {
            "true" | "1" => Some(serde_json::Value::Bool(true)),
            "false" | "0" => Some(serde_json::Value::Bool(false)),
            _ => None,
        },
        Raw::String(text) if kind == Kind::Integer => {
            text.trim().parse::<i64>().ok().map(serde_json::Value::from)
        }
        Raw::String(text) => Some(serde_json::Value::String(text.clone())),
        Raw::Json(value) => Some(value.clone()),
        Raw::Dword(Some(n)) if kind == Kind::Bool => Some(serde_json::Value::Bool(*n != 0)),
        Raw::Dword(Some(n)) => Some(serde_json::Value::from(*n)),
        _ => None,
    }
}

/// OBS003 on the file itself: its OTEL collector's host is not on its own egress list, where it
/// has one.
fn collector_allowed(out: &mut Out<'_>, entries: &[Entry]) {
    let find = |key: &str| entries.iter().find(|e| e.key == key);
    let (Some(endpoint), Some(egress)) = (find("otlpEndpoint"), find("coworkEgressAllowedHosts"))
    else {
        return;
    };
    let (Some(serde_json::Value::String(url)), Some(serde_json::Value::Array(hosts))) =
        (app_value(endpoint), app_value(egress))
    else {
        return;
    };
    let Some(parsed) = crate::model::Endpoint::parse(&url) else {
        return;
    };
    let host = parsed.host.trim_end_matches('.');
    if hosts
        .iter()
        .filter_map(serde_json::Value::as_str)
        .any(|entry| egress_allows(entry, host))
    {
        return;
    }
    out.push(
        crate::rules::otel_collector_rule(),
        endpoint.value_span.clone(),
        format!(
            "the OTEL collector `{host}` is not on this file's `coworkEgressAllowedHosts`: its telemetry is silently dropped"
        ),
        "host not allowlisted",
        &format!("add `{host}` to `coworkEgressAllowedHosts`"),
    );
}

/// MDM008: each setting the policy decides, left out of the file or written otherwise.
fn against_policy(out: &mut Out<'_>, entries: &[Entry], expected: &[Setting]) {
    for setting in expected {
        let want = setting.value.json();
        let Some(entry) = entries.iter().find(|e| e.key == setting.key) else {
            out.push(
                &differs_from_policy::RULE,
                0..0,
                format!(
                    "the policy sets `{}` but this file leaves it out",
                    setting.key
                ),
                "not in this file",
                &format!(
                    "compile the file again with `cowork-policy managed-settings`, or add `{}`",
                    setting.key
                ),
            );
            continue;
        };
        let Some(have) = app_value(entry) else {
            // Unreadable: MDM001, MDM002 or MDM004 already says so.
            continue;
        };
        // A list is a set here: the policy's lists (hosts, folders) do not depend on order.
        let sorted = |v: &serde_json::Value| match v {
            serde_json::Value::Array(items) => {
                let mut items: Vec<String> = items.iter().map(ToString::to_string).collect();
                items.sort();
                items
            }
            other => vec![other.to_string()],
        };
        if sorted(&have) == sorted(&want) {
            continue;
        }
        let detail = match (&have, &want) {
            (serde_json::Value::Array(have), serde_json::Value::Array(want)) => {
                let names = |items: Vec<&serde_json::Value>| {
                    items
                        .iter()
                        .map(|v| {
                            format!(
                                "`{}`",
                                v.as_str().map_or_else(|| v.to_string(), str::to_string)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let extra: Vec<_> = have.iter().filter(|v| !want.contains(v)).collect();
                let missing: Vec<_> = want.iter().filter(|v| !have.contains(v)).collect();
                let mut parts = Vec::new();
                if !extra.is_empty() {
                    parts.push(format!("{} only here", names(extra)));
                }
                if !missing.is_empty() {
                    parts.push(format!("{} only in the policy", names(missing)));
                }
                parts.join("; ")
            }
            _ if SECRET_BEARING.contains(&setting.key) => "another value".to_string(),
            _ => format!("`{}` here, `{}` in the policy", have, want),
        };
        out.push(
            &differs_from_policy::RULE,
            entry.value_span.clone(),
            format!("`{}` differs from the policy: {detail}", setting.key),
            "differs from the policy",
            "compile the file again with `cowork-policy managed-settings`, or change the policy",
        );
    }
}

/// Keys whose value may hold a credential: never quoted in a message.
const SECRET_BEARING: &[&str] = &["otlpHeaders", "otlpEndpoint", "inferenceGatewayApiKey"];

/// SEC005 in a managed file: a credential header of `otlpHeaders`, credentials in the
/// `otlpEndpoint` URL, or the gateway's API key, written inline rather than as a reference the
/// MDM substitutes. The value is masked in every output.
fn inline_credentials(out: &mut Out<'_>, key: &Key, entry: &Entry) {
    use crate::model::Secret;
    let text = match &entry.value {
        Raw::String(text) => text.clone(),
        Raw::Json(value) => value.to_string(),
        _ => return,
    };
    let inline = |value: &str| matches!(Secret::classify(value), Secret::Plaintext { .. });
    let what = match key.name {
        "otlpHeaders" => serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
            .ok()
            .and_then(|map| {
                map.iter()
                    .find(|(name, value)| {
                        crate::model::rollout::is_credential_header(name)
                            && value.as_str().is_some_and(inline)
                    })
                    .map(|(name, _)| format!("the OTEL header `{name}` in `otlpHeaders`"))
            }),
        "otlpEndpoint" => crate::model::Endpoint::parse(&text)
            .and_then(|e| e.credentials)
            .filter(|c| matches!(c, Secret::Plaintext { .. }))
            .map(|_| "the credentials in `otlpEndpoint`'s URL".to_string()),
        "inferenceGatewayApiKey" => inline(&text).then(|| "`inferenceGatewayApiKey`".to_string()),
        _ => None,
    };
    if let Some(what) = what {
        out.redact.push(entry.value_span.clone());
        out.push(
            crate::rules::plaintext_secret_rule(),
            entry.value_span.clone(),
            format!("{what} is a credential written inline in a managed file"),
            "inline credential",
            "keep the file's secret out of the repository: write a reference such as `Bearer ${OTEL_TOKEN}` that your MDM substitutes, or use `otlpHeadersHelper`",
        );
    }
}

/// Claude Code's settings: a marketplace lockdown that blocks the official marketplace too, and
/// a `permissions.defaultMode` that discards the whole `permissions` object.
fn check_claude_code(out: &mut Out<'_>, entry: &Entry, text: &str) {
    match (entry.key.as_str(), &entry.value) {
        ("strictKnownMarketplaces", Raw::Json(serde_json::Value::Array(items)))
            if items.is_empty() =>
        {
            out.push(
                &marketplaces_locked_down::RULE,
                entry.value_span.clone(),
                "`strictKnownMarketplaces` is `[]`: every plugin marketplace is blocked, the official one included".to_string(),
                "complete lockdown",
                "list the marketplaces users may add, or leave the key out to allow any",
            );
        }
        ("permissions", Raw::Json(serde_json::Value::Object(map))) => {
            let Some(mode) = map.get("defaultMode") else {
                return;
            };
            if mode
                .as_str()
                .is_some_and(|m| CLAUDE_CODE_DEFAULT_MODES.contains(&m))
            {
                return;
            }
            let inner = text.get(entry.value_span.clone()).unwrap_or("");
            let span = super::read::top_level_spans(inner)
                .into_iter()
                .find(|(k, _, _)| k == "defaultMode")
                .map_or(entry.value_span.clone(), |(_, _, v)| {
                    entry.value_span.start + v.start..entry.value_span.start + v.end
                });
            out.push(
                &invalid_default_mode::RULE,
                span,
                format!(
                    "`permissions.defaultMode` is `{}`, not a permission mode: Claude Code discards the whole `permissions` object",
                    mode.as_str().map_or_else(|| mode.to_string(), str::to_string)
                ),
                "invalid mode",
                &format!(
                    "use one of {}",
                    CLAUDE_CODE_DEFAULT_MODES
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        _ => {}
    }
}

/// Check a string value against its key's type and constraint.
fn check_value(out: &mut Out<'_>, key: &Key, text: &str, span: Range<usize>) {
    let problem = match key.kind {
        Kind::Bool => (!matches!(text.trim(), "true" | "false" | "1" | "0"))
            .then(|| "expected `true` or `false`".to_string()),
        Kind::Integer => match text.trim().parse::<i64>() {
            Err(_) => Some("expected a whole number in decimal".to_string()),
            Ok(n) => range_problem(key, n),
        },
        Kind::String => string_problem(key, text),
        Kind::StringList | Kind::Object | Kind::ObjectList => {
            match serde_json::from_str::<serde_json::Value>(text) {
                Err(_) => Some(format!(
                    "expected {}: the text is not JSON",
                    key.kind.as_str()
                )),
                Ok(value) => json_problem(key, &value),
            }
        }
    };
    if let Some(problem) = problem {
        invalid(out, key, text, span, &problem);
    }
}

fn check_json(out: &mut Out<'_>, key: &Key, value: &serde_json::Value, span: Range<usize>) {
    if let Some(problem) = problem(key, value) {
        invalid(out, key, &value.to_string(), span, &problem);
    }
}

fn invalid(out: &mut Out<'_>, key: &Key, text: &str, span: Range<usize>, problem: &str) {
    let message = if SECRET_BEARING.contains(&key.name) {
        format!("`{}` is invalid: {problem}", key.name)
    } else {
        let shown: String = text.chars().take(60).collect();
        let more = if text.chars().count() > 60 { "..." } else { "" };
        format!("`{}` is `{shown}{more}`: {problem}", key.name)
    };
    out.push(
        &managed_value_invalid::RULE,
        span,
        message,
        "invalid value",
        &format!(
            "allowed: {} (`cowork-policy explain {}`)",
            crate::desktop::keys::constraint_text(key),
            key.name
        ),
    );
}
