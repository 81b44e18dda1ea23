//! The desktop app's managed-configuration keys, as dated data: one row per key, with its type,
//! default, constraint, whether only MDM may set it, the names it was known by, and the page
//! that documents it. A new key is one row. The policy's `desktop:` section, the compiler, the
//! checker and `cowork-policy explain` all read this table, and judge a value with one function,
//! [`problem`]; `docs/managed-settings.md` lists it and a test keeps the two equal.

/// The value type the app expects. In a plist or the registry every value is a string: a
/// boolean or integer as text, an array or object as JSON inside one string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `"true"` or `"false"` (or `1` / `0`).
    Bool,
    /// A decimal string.
    Integer,
    /// Plain text.
    String,
    /// A JSON array of strings, written as one string.
    StringList,
    /// A JSON object, written as one string.
    Object,
    /// A JSON array of objects, written as one string.
    ObjectList,
}

impl Kind {
    /// The name the vendor's reference uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bool => "boolean",
            Kind::Integer => "integer",
            Kind::String => "string",
            Kind::StringList => "string[] (JSON)",
            Kind::Object => "object (JSON)",
            Kind::ObjectList => "object[] (JSON)",
        }
    }

    /// What a value of this type is in the policy's YAML.
    pub(crate) fn in_yaml(self) -> &'static str {
        match self {
            Kind::Bool => "a boolean",
            Kind::Integer => "a whole number",
            Kind::String => "a string",
            Kind::StringList => "a list of strings",
            Kind::Object => "a mapping",
            Kind::ObjectList => "a list of mappings",
        }
    }

    /// Whether a YAML value has this type's shape (its items and constraint aside).
    pub(crate) fn fits(self, value: &serde_json::Value) -> bool {
        use serde_json::Value as V;
        matches!(
            (self, value),
            (Kind::Bool, V::Bool(_))
                | (Kind::Integer, V::Number(_))
                | (Kind::String, V::String(_))
                | (Kind::StringList | Kind::ObjectList, V::Array(_))
                | (Kind::Object, V::Object(_))
        )
    }

    /// Whether the value is JSON inside a string.
    pub fn is_json(self) -> bool {
        matches!(self, Kind::StringList | Kind::Object | Kind::ObjectList)
    }
}

/// What a value must be beyond its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// Nothing more.
    None,
    /// An integer from `min` to `max`, both included.
    Range {
        /// The lowest value allowed.
        min: i64,
        /// The highest value allowed.
        max: i64,
    },
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A JSON array whose items are each one of these strings.
    ItemsOneOf(&'static [&'static str]),
    /// A JSON object whose values are each one of these strings.
    ValuesOneOf(&'static [&'static str]),
    /// A URL starting with `https://` (or blank, which turns the feature off).
    HttpsUrl,
    /// The banner object: `text` of at most 200 characters, `#RRGGBB` colours, an `https:` link.
    Banner,
}

/// One managed-configuration key of the desktop app.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Key {
    /// The key as written in the profile, such as `coworkEgressAllowedHosts`.
    pub name: &'static str,
    /// Its value type.
    pub kind: Kind,
    /// The documented default, as text, when the documentation gives one.
    pub default: Option<&'static str>,
    /// What a value must be beyond its type.
    pub constraint: Constraint,
    /// Whether only a managed (MDM) source may set it.
    pub mdm_only: bool,
    /// Whether the documentation marks it deprecated.
    pub deprecated: bool,
    /// Earlier names of this key, which the app no longer reads.
    pub formerly: &'static [&'static str],
    /// What it controls, in a few words.
    pub summary: &'static str,
    /// The page that documents it.
    pub source: &'static str,
    /// The day it was last checked against `source` (`YYYY-MM-DD`).
    pub checked: &'static str,
}

/// The platforms whose MDM files carry these keys: a macOS configuration profile (preference
/// domain [`MACOS_DOMAIN`]), Windows registry values under [`WINDOWS_KEY`], and the Linux JSON
/// file [`LINUX_PATH`].
pub const PLATFORMS: &[&str] = &["macos", "windows", "linux"];

/// The macOS preference domain of the desktop app's configuration profile.
pub const MACOS_DOMAIN: &str = "com.anthropic.claudefordesktop";
/// The Windows registry key of machine policy (`HKCU` has the same path for user policy).
pub const WINDOWS_KEY: &str = r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude";
/// The Linux managed-settings file.
pub const LINUX_PATH: &str = "/etc/claude-desktop/managed-settings.json";

/// Claude Code's `permissions.defaultMode` values: its permission modes, and `manual`, the alias
/// of `default` from v2.1.200 (<https://code.claude.com/docs/en/permission-modes>, checked
/// 2026-12-06). Any other value discards the whole `permissions` object.
pub const CLAUDE_CODE_DEFAULT_MODES: &[&str] = &[
    "default",
    "acceptEdits",
    "plan",
    "auto",
    "dontAsk",
    "bypassPermissions",
    "manual",
];

/// Top-level keys of Claude Code's settings that tell its `managed-settings.json` from the
/// desktop app's (<https://code.claude.com/docs/en/settings-reference>, checked 2026-12-06).
pub(crate) const CLAUDE_CODE_KEYS: &[&str] = &[
    "permissions",
    "env",
    "hooks",
    "model",
    "apiKeyHelper",
    "enabledPlugins",
    "extraKnownMarketplaces",
    "strictKnownMarketplaces",
    "blockedMarketplaces",
    "allowedMcpServers",
    "deniedMcpServers",
    "allowManagedHooksOnly",
    "allowManagedMcpServersOnly",
    "allowManagedPermissionRulesOnly",
    "forceLoginMethod",
    "forceLoginOrgUUID",
    "availableModels",
    "companyAnnouncements",
    "sandbox",
];

/// The configuration reference page.
const CONFIG: &str = "https://claude.com/docs/cowork/3p/configuration";
/// The telemetry page.
const TELEMETRY: &str = "https://claude.com/docs/cowork/3p/telemetry";
/// The local-access page (workspace folders).
const LOCAL: &str = "https://claude.com/docs/cowork/3p/local-access";
/// The configuration changelog.
const CHANGELOG: &str = "https://claude.com/docs/cowork/3p/configuration-changelog";
/// The day the rows were last checked.
const CHECKED: &str = "2026-12-06";

const PROTOCOLS: &[&str] = &["http/protobuf", "http/json", "grpc"];
const LOG_LEVELS: &[&str] = &["off", "error", "warn", "info", "debug"];
const CONTENT: &[&str] = &[
    "userPrompts",
    "assistantResponses",
    "toolDetails",
    "toolContent",
    "rawApiBodies",
];

macro_rules! key {
    ($name:literal, $kind:ident, $default:expr, $constraint:expr, $source:expr, $summary:literal $(, $flag:ident)* $(; formerly $($old:literal),+)?) => {
        Key {
            name: $name,
            kind: Kind::$kind,
            default: $default,
            constraint: $constraint,
            mdm_only: key!(@has mdm_only $($flag)*),
            deprecated: key!(@has deprecated $($flag)*),
            formerly: &[$($($old),+)?],
            summary: $summary,
            source: $source,
            checked: CHECKED,
        }
    };
    (@has $want:ident) => { false };
    (@has mdm_only mdm_only $($rest:ident)*) => { true };
    (@has deprecated deprecated $($rest:ident)*) => { true };
    (@has $want:ident $other:ident $($rest:ident)*) => { key!(@has $want $($rest)*) };
}

use Constraint::{Banner, HttpsUrl, ItemsOneOf, None as Free, OneOf, Range, ValuesOneOf};

/// Every key, by section of the reference: one row per key.
#[rustfmt::skip]
static KEYS: &[Key] = &[
    // Surfaces.
    key!("coworkTabEnabled", Bool, Some("true"), Free, CONFIG, "Show the Cowork tab"),
    key!("chatTabEnabled", Bool, None, Free, CHANGELOG, "Show the Chat tab"),
    key!("isClaudeCodeForDesktopEnabled", Bool, Some("true"), Free, CONFIG, "Show the Code tab"),
    key!("disableDeploymentModeChooser", Bool, None, Free, CONFIG, "Hide the deployment mode chooser", mdm_only),
    key!("disableDeepLinkRegistration", Bool, None, Free, CONFIG, "Do not register the app's deep links", mdm_only),
    // Workspace and sandbox.
    key!("allowedWorkspaceFolders", ObjectList, None, Free, LOCAL, "Folders users may attach as workspace folders; unset allows any, `[]` none"),
    key!("coworkEgressAllowedHosts", StringList, None, Free, CONFIG, "Hosts Cowork's sandbox may reach; unset allows only the inference endpoint"),
    key!("disabledBuiltinTools", StringList, None, Free, CONFIG, "Built-in tools removed from Cowork and Code sessions"),
    key!("builtinToolPolicy", Object, None, ValuesOneOf(&["ask", "allow"]), CONFIG, "Per built-in tool, whether it asks or is allowed"),
    key!("autoModeEnabled", Bool, Some("false"), Free, CHANGELOG, "Allow Auto mode"),
    key!("requireCoworkFullVmSandbox", Bool, None, Free, CONFIG, "Require the full VM sandbox", deprecated),
    // Extensions and MCP.
    key!("isDesktopExtensionEnabled", Bool, None, Free, CONFIG, "Allow desktop extensions"; formerly "isDxtEnabled"),
    key!("isDesktopExtensionSignatureRequired", Bool, Some("false"), Free, CONFIG, "Install only signed desktop extensions"; formerly "isDxtSignatureRequired"),
    key!("isDesktopExtensionDirectoryEnabled", Bool, None, Free, CONFIG, "Show the desktop extension directory"),
    key!("isLocalDevMcpEnabled", Bool, Some("true"), Free, CONFIG, "Allow locally configured MCP servers"),
    key!("managedMcpServers", ObjectList, None, Free, CONFIG, "MCP servers the organization provides"),
    key!("orgPluginSettings", Object, None, Free, CONFIG, "Settings of the organization's plugins"),
    key!("allowedPluginMarketplaces", ObjectList, None, Free, CONFIG, "Plugin marketplaces users may install from"),
    key!("organizationPluginsUrl", String, None, HttpsUrl, CHANGELOG, "The organization plugins endpoint"),
    // Inference.
    key!("inferenceProvider", String, None, Free, CONFIG, "The inference backend"),
    key!("inferenceModels", StringList, None, Free, CONFIG, "The models of the model picker, the first the default"),
    key!("inferenceGatewayBaseUrl", String, None, HttpsUrl, CONFIG, "The gateway's base URL"),
    key!("inferenceGatewayApiKey", String, None, Free, CONFIG, "The gateway's API key: a credential"),
    key!("inferenceGatewayAuthScheme", String, None, Free, CONFIG, "How the gateway key is sent"),
    key!("inferenceMaxTokensPerWindow", Integer, None, Free, CONFIG, "Tokens a user may spend per window (not a server-enforced quota)"),
    key!("inferenceTokenWindowHours", Integer, None, Range { min: 1, max: 720 }, CONFIG, "The length of the token window, in hours"),
    // Telemetry and updates.
    key!("deploymentOrganizationUuid", String, None, Free, TELEMETRY, "Attributes telemetry to the organization"),
    key!("disableEssentialTelemetry", Bool, Some("false"), Free, TELEMETRY, "No crash or error data leaves the device", mdm_only),
    key!("disableNonessentialTelemetry", Bool, Some("false"), Free, TELEMETRY, "No product analytics leave the device"),
    key!("disableNonessentialServices", Bool, Some("false"), Free, TELEMETRY, "No favicon or artifact-preview fetches"),
    key!("disableAutoUpdates", Bool, None, Free, CONFIG, "Turn automatic updates off"),
    key!("autoUpdaterEnforcementHours", Integer, Some("72"), Range { min: 1, max: 72 }, CONFIG, "Hours before a downloaded update is forced"),
    // OpenTelemetry.
    key!("otlpEndpoint", String, None, Free, CONFIG, "The OTLP collector; blank turns the export off"),
    key!("otlpProtocol", String, Some("http/protobuf"), OneOf(PROTOCOLS), CONFIG, "The OTLP protocol"),
    key!("otlpHeaders", Object, None, Free, CONFIG, "Headers sent with every export"),
    key!("otlpResourceAttributes", Object, None, Free, CONFIG, "Resource attributes of every export"),
    key!("otlpDesktopLogLevel", String, Some("error"), OneOf(LOG_LEVELS), CONFIG, "Which desktop logs are exported"),
    key!("otlpAuthMode", String, None, Free, CONFIG, "How the export authenticates (newer versions)"),
    key!("otlpHeadersHelper", String, None, Free, CONFIG, "A program that prints the export's headers (newer versions)"),
    key!("otlpContentCapture", StringList, None, ItemsOneOf(CONTENT), CONFIG, "Which content the export carries; `[]` redacts all"),
    // Banner.
    key!("banner", Object, None, Banner, CONFIG, "A banner shown to every user"),
];

/// Every documented key, in the reference's order.
pub fn keys() -> &'static [Key] {
    KEYS
}

/// The key with this name, or the key that replaced a former name (`isDxtEnabled`).
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter()
        .find(|k| k.name == name)
        .or_else(|| KEYS.iter().find(|k| k.formerly.contains(&name)))
}

/// The key that replaced `name`, when `name` is a former name.
pub(crate) fn successor(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.formerly.contains(&name))
}

/// The text of `cowork-policy explain <key>`.
pub fn explain(key: &Key) -> String {
    let mut out = format!("# {}\n\n{}.\n\n", key.name, key.summary);
    out.push_str(&format!("- type: {}\n", key.kind.as_str()));
    out.push_str(&format!("- default: {}\n", key.default.unwrap_or("unset")));
    out.push_str(&format!("- allowed: {}\n", constraint_text(key)));
    out.push_str(&format!("- platforms: {}\n", PLATFORMS.join(", ")));
    if key.mdm_only {
        out.push_str("- only a managed (MDM) source may set it\n");
    }
    if key.deprecated {
        out.push_str("- deprecated\n");
    }
    if !key.formerly.is_empty() {
        out.push_str(&format!("- formerly: {}\n", key.formerly.join(", ")));
    }
    out.push_str(&format!(
        "- source: {} (checked {})\n",
        key.source, key.checked
    ));
    out
}

/// The constraint, in words, for the reference table and `explain`.
pub fn constraint_text(key: &Key) -> String {
    let list = |values: &[&str]| {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match key.constraint {
        Free => match key.kind {
            Kind::Bool => "`true`, `false`".into(),
            _ => "any".into(),
        },
        Range { min, max } => format!("{min} to {max}"),
        OneOf(values) => list(values),
        ItemsOneOf(values) => format!("items among {}", list(values)),
        ValuesOneOf(values) => format!("values among {}", list(values)),
        HttpsUrl => "an `https://` URL".into(),
        Banner => "`text` up to 200 characters, `#RRGGBB` colours, an `https://` `linkUrl`".into(),
    }
}

/// What is wrong with `value` (as the app reads it: a boolean, a number, a string, or the JSON a
/// list or object key holds) for `key`: its type, its range, its enum, its shape. `None` when
/// the app takes it. The policy's `desktop:` section and the managed-file check both judge
/// values here.
pub(crate) fn problem(key: &Key, value: &serde_json::Value) -> Option<String> {
    use serde_json::Value as V;
    match (key.kind, value) {
        (Kind::Bool, V::Bool(_)) => None,
        (Kind::Integer, V::Number(n)) => match n.as_i64() {
            Some(n) => range_problem(key, n),
            None => Some("expected a whole number".to_string()),
        },
        (Kind::String, V::String(text)) => string_problem(key, text),
        (Kind::StringList | Kind::Object | Kind::ObjectList, v) => json_problem(key, v),
        _ => Some(format!("expected {}", key.kind.as_str())),
    }
}

/// An integer outside the key's range.
pub(crate) fn range_problem(key: &Key, n: i64) -> Option<String> {
    match key.constraint {
        Range { min, max } if n < min || n > max => Some(format!("outside {min} to {max}")),
        _ => None,
    }
}

/// A string outside the key's enum, or not the `https://` URL it must be.
pub(crate) fn string_problem(key: &Key, text: &str) -> Option<String> {
    match key.constraint {
        OneOf(values) if !values.contains(&text) => {
            Some(format!("expected one of {}", constraint_text(key)))
        }
        HttpsUrl if !text.trim().is_empty() && !text.starts_with("https://") => {
            Some("expected an `https://` URL".to_string())
        }
        _ => None,
    }
}

/// A list or object of the wrong shape, or with items or values outside the key's enum.
pub(crate) fn json_problem(key: &Key, value: &serde_json::Value) -> Option<String> {
    use serde_json::Value as V;
    let shape_ok = match (key.kind, value) {
        (Kind::StringList, V::Array(items)) => items.iter().all(V::is_string),
        // `allowedWorkspaceFolders` documents `{path, isDefaultSelected}` objects and shows a
        // list of plain paths too (https://claude.com/docs/cowork/3p/local-access).
        (Kind::ObjectList, V::Array(items)) => items.iter().all(|i| i.is_object() || i.is_string()),
        (Kind::Object, V::Object(_)) => true,
        _ => false,
    };
    if !shape_ok {
        return Some(format!("expected {}", key.kind.as_str()));
    }
    match (key.constraint, value) {
        (ItemsOneOf(allowed), V::Array(items)) => items
            .iter()
            .filter_map(V::as_str)
            .find(|i| !allowed.contains(i))
            .map(|bad| format!("`{bad}` is not one of its values")),
        (ValuesOneOf(allowed), V::Object(map)) => map
            .iter()
            .find(|(_, v)| !v.as_str().is_some_and(|s| allowed.contains(&s)))
            .map(|(k, _)| format!("the value of `{k}` is not one of its values")),
        (Banner, V::Object(map)) => banner_problem(map),
        _ => None,
    }
}

fn banner_problem(map: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let text = |k: &str| map.get(k).and_then(serde_json::Value::as_str);
    if text("text").is_some_and(|t| t.chars().count() > 200) {
        return Some("the banner's `text` is longer than 200 characters".into());
    }
    for colour in ["backgroundColor", "textColor"] {
        if let Some(c) = text(colour) {
            let hex = c.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                return Some(format!("the banner's `{colour}` is not `#RRGGBB`"));
            }
        }
    }
    if text("linkUrl").is_some_and(|u| !u.starts_with("https://")) {
        return Some("the banner's `linkUrl` is not an `https://` URL".into());
    }
    None
}
