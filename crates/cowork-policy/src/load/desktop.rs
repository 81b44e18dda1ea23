//! The `desktop:` section: each key looked up in the desktop app's managed-settings reference
//! and its value judged by the same function the managed-file check uses, so a setting the
//! policy accepts is one the app reads. A key another section decides, a former name, an
//! unknown key or a value the app would discard is a load error at its place.

use super::builder::Builder;
use super::raw::{RawDesktop, S};
use super::span;
use crate::desktop::keys::{Kind, constraint_text, keys, problem, successor};
use crate::desktop::settings::OWNED;
use crate::error::LoadError;
use crate::model::{At, Desktop, DesktopSetting, FileId, OrgId, Secret, Span};

/// Keys whose value is a credential: a `desktop:` section gives a reference, never the secret.
const CREDENTIALS: &[&str] = &["inferenceGatewayApiKey"];

pub(super) fn desktop(
    b: &mut Builder,
    file: FileId,
    raw: &RawDesktop,
    org: Option<OrgId>,
) -> Desktop {
    let mut settings = Vec::new();
    for (key, value) in &raw.settings {
        let name = key.0.value.as_str();
        let key_at = span(file, &key.0);
        let value_at = span(file, &value.0);
        let Some(found) = keys().iter().find(|k| k.name == name) else {
            let (message, help) = match successor(name) {
                Some(new) => (
                    format!(
                        "`{name}` is a former name the desktop app no longer reads: it is now `{}`",
                        new.name
                    ),
                    format!("rename it `{}`", new.name),
                ),
                None => (
                    format!("`{name}` is not a key of the desktop app's managed settings"),
                    match crate::suggest::did_you_mean(
                        name,
                        keys()
                            .iter()
                            .map(|k| k.name)
                            .chain(["org", "claudeCodeSettings"]),
                    ) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "`cowork-policy explain KEY` shows a key of the reference; docs/managed-settings.md lists them all".to_string(),
                    },
                ),
            };
            invalid(b, key_at, message, help);
            continue;
        };
        if let Some((_, field)) = OWNED.iter().find(|(k, _)| *k == name) {
            invalid(
                b,
                key_at,
                format!("`{name}` is decided by `{field}`, not by the `desktop:` section"),
                format!("set `{field}` instead: the compiled profile writes `{name}` from it"),
            );
            continue;
        }
        if CREDENTIALS.contains(&name)
            && let Some(text) = value.0.value.as_str()
            && matches!(Secret::classify(text), Secret::Plaintext { .. })
        {
            invalid(
                b,
                value_at,
                format!("`{name}` is a credential written inline"),
                "write a reference such as `${GATEWAY_KEY}` that your MDM substitutes, never the key itself".to_string(),
            );
            continue;
        }
        let fits = found.kind.fits(&value.0.value);
        let problem = if fits {
            problem(found, &value.0.value)
        } else {
            Some(format!("expected {}", found.kind.in_yaml()))
        };
        if let Some(problem) = problem {
            // `"true"` or `"24"`: the string form the vendor's pages show for a plist.
            let quoted = !fits
                && matches!(&value.0.value, serde_json::Value::String(_))
                && matches!(found.kind, Kind::Bool | Kind::Integer);
            let message = match &value.0.value {
                serde_json::Value::String(t) if found.kind != Kind::String => {
                    format!("`{name}` is the string `\"{t}\"`: {problem}")
                }
                serde_json::Value::String(t) => format!("`{name}` is `{t}`: {problem}"),
                serde_json::Value::Null => format!("`{name}` is empty: {problem}"),
                serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                    format!("`{name}` is invalid: {problem}")
                }
                other => format!("`{name}` is `{other}`: {problem}"),
            };
            let unquote = if quoted {
                "write it without quotes (the compiled profile turns it into the string the app reads); "
            } else {
                ""
            };
            invalid(
                b,
                value_at,
                message,
                format!(
                    "{unquote}allowed: {} (`cowork-policy explain {name}`)",
                    constraint_text(found)
                ),
            );
            continue;
        }
        settings.push(DesktopSetting {
            key: At::new(found.name, key_at),
            value: At::new(value.0.value.clone(), value_at),
        });
    }
    Desktop {
        org,
        settings,
        claude_code_settings: raw
            .claude_code_settings
            .as_ref()
            .map(|path| super::builder::string(file, path)),
    }
}

/// Mask an inline credential of a `desktop:` section before anything can show it.
pub(super) fn redact(b: &mut Builder, file: FileId, raw: &S<RawDesktop>) {
    for (key, value) in &raw.0.value.settings {
        if CREDENTIALS.contains(&key.0.value.as_str())
            && value
                .0
                .value
                .as_str()
                .is_none_or(|t| Secret::classify(t) != Secret::Reference)
        {
            b.sources.redact(span(file, &value.0));
        }
    }
}

fn invalid(b: &mut Builder, at: Span, message: String, help: String) {
    b.errors.push(LoadError::Invalid {
        location: b.sources.locate(at),
        message,
        help: Some(help),
    });
}
