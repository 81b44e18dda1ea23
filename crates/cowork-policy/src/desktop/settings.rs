//! What a policy says the desktop app's managed settings of one org are: the one reading of the
//! `security:`, `observability:` and `desktop:` sections that the compiler writes out, the
//! cross-checks compare with a file admins already ship, and the rules that judge those sections
//! (SEC001 to SEC003, OBS001 to OBS005) read.
//!
//! Each policy field that becomes a key is read by one function here ([`egress_hosts`],
//! [`workspace_folders`], [`extensions`], [`otlp_endpoint`], [`otlp_protocol`]); the settings
//! of a section are built from those functions, and the rules call the same ones, so a rule and
//! the compiled file cannot see two different things.

use crate::model::{
    At, Desktop, Endpoint, List, Observability, OrgId, OtelProtocol, Policy, Security, for_org,
};

use super::keys::{Kind, keys};

/// A setting's value, before it is written in a file's encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// Plain text.
    Text(String),
    /// A list of strings (written as a JSON array).
    List(Vec<String>),
    /// Name-value pairs (written as a JSON object).
    Object(Vec<(String, String)>),
    /// Any other list or object, as its JSON text (`banner`, `managedMcpServers`).
    Json(String),
}

impl Value {
    /// The value as the app reads it from a plist or the registry: a string, with lists and
    /// objects JSON-encoded.
    pub fn encoded(&self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Integer(n) => n.to_string(),
            Value::Text(t) => t.clone(),
            Value::List(items) => serde_json::Value::from(items.clone()).to_string(),
            Value::Object(pairs) => {
                let map: serde_json::Map<String, serde_json::Value> = pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                serde_json::Value::Object(map).to_string()
            }
            Value::Json(text) => text.clone(),
        }
    }

    /// The value as JSON: what the app reads once a string is decoded.
    pub(crate) fn json(&self) -> serde_json::Value {
        match self {
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Integer(n) => serde_json::Value::from(*n),
            Value::Text(t) => serde_json::Value::String(t.clone()),
            Value::List(items) => serde_json::Value::from(items.clone()),
            Value::Object(pairs) => serde_json::Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect(),
            ),
            Value::Json(text) => serde_json::from_str(text).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// One managed setting the policy decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The key, from the key reference.
    pub key: &'static str,
    /// Its value.
    pub value: Value,
}

/// The fields of other sections that decide a key: a `desktop:` section may not set these
/// keys, so each key has one source in the policy.
pub(crate) const OWNED: &[(&str, &str)] = &[
    ("coworkEgressAllowedHosts", "security.egressAllowlist"),
    ("allowedWorkspaceFolders", "security.mountAllowlist"),
    ("isDesktopExtensionEnabled", "security.extensionAllowlist"),
    ("otlpEndpoint", "observability.otelEndpoint"),
    ("otlpProtocol", "observability.protocol"),
    ("otlpHeaders", "observability.headers"),
];

/// `coworkEgressAllowedHosts`: `security.egressAllowlist`, its hosts as the loader read them
/// (trimmed and lowercased). `None`: no allowlist, and the key left unset.
pub(crate) fn egress_hosts(security: &Security) -> Option<&List<String>> {
    security.egress_allowlist.as_ref()
}

/// `allowedWorkspaceFolders`: `security.mountAllowlist`, as plain paths (the local-access page
/// shows a list of paths: <https://claude.com/docs/cowork/3p/local-access>).
pub(crate) fn workspace_folders(security: &Security) -> Option<&List<String>> {
    security.mount_allowlist.as_ref()
}

/// What a `security:` section says about desktop extensions.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Extensions {
    /// No `extensionAllowlist`: users may install any extension.
    Unset,
    /// `extensionAllowlist: []`: no extension, written as `isDesktopExtensionEnabled: false`.
    Off,
    /// A list of extension ids. No managed key names extensions one by one, so it sets no key.
    Allowlist,
}

/// `isDesktopExtensionEnabled`: `security.extensionAllowlist`.
pub(crate) fn extensions(security: &Security) -> Extensions {
    match &security.extension_allowlist {
        None => Extensions::Unset,
        Some(list) if list.value.is_empty() => Extensions::Off,
        Some(_) => Extensions::Allowlist,
    }
}

/// `otlpEndpoint`: `observability.otelEndpoint`, written as the URL the policy gives.
pub(crate) fn otlp_endpoint(obs: &Observability) -> Option<&At<Endpoint>> {
    obs.otel_endpoint.as_ref()
}

/// `otlpProtocol`: `observability.protocol`.
pub(crate) fn otlp_protocol(obs: &Observability) -> Option<At<OtelProtocol>> {
    obs.protocol
}

/// The settings a `security:` section decides.
pub(crate) fn security_settings(security: &Security) -> Vec<Setting> {
    let list = |l: &List<String>| l.value.iter().map(|e| e.value.clone()).collect::<Vec<_>>();
    let mut out = Vec::new();
    if let Some(mounts) = workspace_folders(security) {
        out.push(decided(
            "allowedWorkspaceFolders",
            Value::List(list(mounts)),
        ));
    }
    if let Some(egress) = egress_hosts(security) {
        out.push(decided(
            "coworkEgressAllowedHosts",
            Value::List(list(egress)),
        ));
    }
    if let Extensions::Off = extensions(security) {
        out.push(decided("isDesktopExtensionEnabled", Value::Bool(false)));
    }
    out
}

/// The settings an `observability:` section decides. A header whose value is an inline secret
/// is left out (SEC005 reports it in the policy); a reference such as `Bearer ${OTEL_TOKEN}` is
/// written as it is.
pub(crate) fn observability_settings(obs: &Observability) -> Vec<Setting> {
    let mut out = Vec::new();
    if let Some(endpoint) = otlp_endpoint(obs) {
        out.push(decided(
            "otlpEndpoint",
            Value::Text(endpoint.value.url.clone()),
        ));
    }
    if let Some(protocol) = otlp_protocol(obs) {
        out.push(decided(
            "otlpProtocol",
            Value::Text(protocol.value.as_str().to_string()),
        ));
    }
    let headers: Vec<(String, String)> = obs
        .headers
        .iter()
        .filter_map(|h| Some((h.name.value.clone(), h.value.clone()?)))
        .collect();
    if !headers.is_empty() {
        out.push(decided("otlpHeaders", Value::Object(headers)));
    }
    out
}

/// The settings a `desktop:` section sets, each as its key's type says.
pub(crate) fn desktop_section_settings(section: &Desktop) -> Vec<Setting> {
    section
        .settings
        .iter()
        .filter_map(|s| {
            let kind = keys().iter().find(|k| k.name == s.key.value)?.kind;
            let value = match (kind, &s.value.value) {
                (Kind::Bool, serde_json::Value::Bool(b)) => Value::Bool(*b),
                (Kind::Integer, serde_json::Value::Number(n)) => Value::Integer(n.as_i64()?),
                (Kind::String, serde_json::Value::String(t)) => Value::Text(t.clone()),
                (Kind::StringList, serde_json::Value::Array(items)) => Value::List(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<_>>()?,
                ),
                (Kind::Object | Kind::ObjectList, v) => Value::Json(v.to_string()),
                // The loader refused any other value.
                _ => return None,
            };
            Some(decided(s.key.value, value))
        })
        .collect()
}

fn decided(key: &'static str, value: Value) -> Setting {
    Setting { key, value }
}

/// The desktop settings the policy decides for `org`, in the key reference's order: those of
/// the `security:`, `observability:` and `desktop:` sections that apply to it.
pub(crate) fn desktop_settings(policy: &Policy, org: OrgId) -> Vec<Setting> {
    let mut out = Vec::new();
    if let Some(security) = for_org(&policy.security, org) {
        out.extend(security_settings(security));
    }
    if let Some(obs) = for_org(&policy.observability, org) {
        out.extend(observability_settings(obs));
    }
    if let Some(desktop) = for_org(&policy.desktop, org) {
        out.extend(desktop_section_settings(desktop));
    }
    let order = |key: &str| keys().iter().position(|k| k.name == key);
    out.sort_by_key(|s| order(s.key));
    out
}

#[cfg(test)]
mod tests {
    use super::{OWNED, desktop_settings};
    use crate::desktop::keys::key;
    use crate::model::OrgId;

    /// Every key the `security:` and `observability:` sections write is one a `desktop:` section
    /// may not set (so each key has one source), and every such key is in the reference.
    #[test]
    fn the_keys_other_sections_write_are_owned() {
        let policy = crate::load_sources([(
            "p.yaml",
            "apiVersion: cowork-policy/v1
orgs:
  - name: acme
security:
  egressAllowlist: [github.com]
  mountAllowlist: [~/Work]
  extensionAllowlist: []
observability:
  otelEndpoint: https://otel.acme.com:4318
  protocol: http/protobuf
  headers:
    - name: X-Team
      value: data
desktop:
  autoUpdaterEnforcementHours: 24
",
        )])
        .unwrap();
        let written: Vec<&str> = desktop_settings(&policy, OrgId(0))
            .iter()
            .map(|s| s.key)
            .filter(|k| *k != "autoUpdaterEnforcementHours")
            .collect();
        let mut owned: Vec<&str> = OWNED.iter().map(|(k, _)| *k).collect();
        let mut sorted = written.clone();
        sorted.sort_unstable();
        owned.sort_unstable();
        assert_eq!(sorted, owned);
        for (name, _) in OWNED {
            assert_eq!(key(name).map(|k| k.name), Some(*name));
        }
    }
}
