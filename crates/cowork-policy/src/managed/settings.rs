//! What a policy says the desktop app's managed settings of one org are: the one reading of the
//! security and observability sections that the compiler writes out and the cross-checks compare
//! with a file admins already ship.

use crate::model::{OrgId, Policy, for_org};

/// A setting's value, before it is written in a file's encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// Plain text.
    Text(String),
    /// A list of strings (written as a JSON array).
    List(Vec<String>),
    /// Name-value pairs (written as a JSON object).
    Object(Vec<(String, String)>),
}

impl Value {
    /// The value as the app reads it from a plist or the registry: a string, with lists and
    /// objects JSON-encoded.
    pub fn encoded(&self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Text(t) => t.clone(),
            Value::List(items) => serde_json::Value::from(items.clone()).to_string(),
            Value::Object(pairs) => {
                let map: serde_json::Map<String, serde_json::Value> = pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                serde_json::Value::Object(map).to_string()
            }
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

/// The desktop settings the policy decides for `org`, in the key reference's order:
///
/// - `security.egressAllowlist` is `coworkEgressAllowedHosts`;
/// - `security.mountAllowlist` is `allowedWorkspaceFolders`;
/// - `security.extensionAllowlist: []` is `isDesktopExtensionEnabled: false` (a list of
///   extension ids has no managed key: the app cannot be told which extensions to allow);
/// - `observability.otelEndpoint`, `protocol` and `headers` are `otlpEndpoint`, `otlpProtocol`
///   and `otlpHeaders`. A header whose value is an inline secret is left out (SEC005 reports it
///   in the policy); a reference such as `Bearer ${OTEL_TOKEN}` is written as it is.
pub(crate) fn desktop_settings(policy: &Policy, org: OrgId) -> Vec<Setting> {
    let mut out = Vec::new();
    let list = |l: &crate::model::rollout::List<String>| {
        l.value.iter().map(|e| e.value.clone()).collect::<Vec<_>>()
    };
    if let Some(security) = for_org(&policy.security, org) {
        if let Some(mounts) = &security.mount_allowlist {
            out.push(Setting {
                key: "allowedWorkspaceFolders",
                value: Value::List(list(mounts)),
            });
        }
        if let Some(egress) = &security.egress_allowlist {
            out.push(Setting {
                key: "coworkEgressAllowedHosts",
                value: Value::List(list(egress)),
            });
        }
        if security
            .extension_allowlist
            .as_ref()
            .is_some_and(|l| l.value.is_empty())
        {
            out.push(Setting {
                key: "isDesktopExtensionEnabled",
                value: Value::Bool(false),
            });
        }
    }
    if let Some(obs) = for_org(&policy.observability, org) {
        if let Some(endpoint) = &obs.otel_endpoint {
            out.push(Setting {
                key: "otlpEndpoint",
                value: Value::Text(endpoint.value.url.clone()),
            });
        }
        if let Some(protocol) = obs.protocol {
            out.push(Setting {
                key: "otlpProtocol",
                value: Value::Text(protocol.value.as_str().to_string()),
            });
        }
        let headers: Vec<(String, String)> = obs
            .headers
            .iter()
            .filter_map(|h| Some((h.name.value.clone(), h.value.clone()?)))
            .collect();
        if !headers.is_empty() {
            out.push(Setting {
                key: "otlpHeaders",
                value: Value::Object(headers),
            });
        }
    }
    let order = |key: &str| super::keys::keys().iter().position(|k| k.name == key);
    out.sort_by_key(|s| order(s.key));
    out
}
