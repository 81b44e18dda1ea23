//! The policy compiled into the file an MDM deploys: a `.mobileconfig` for macOS, a `.reg` file
//! for Windows, the Linux JSON file. Every value is written as the key reference requires: a
//! string, with lists and objects JSON-encoded inside it.

use crate::desktop::keys::{MACOS_DOMAIN, WINDOWS_KEY};
use crate::desktop::settings::{Setting, desktop_settings};
use crate::model::{OrgId, Policy};

/// The platform a managed file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// A configuration profile for the preference domain `com.anthropic.claudefordesktop`.
    Macos,
    /// Registry values under `HKLM\SOFTWARE\Policies\Claude`.
    Windows,
    /// `/etc/claude-desktop/managed-settings.json`.
    Linux,
}

/// The file format written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An XML `.mobileconfig` configuration profile (macOS).
    Mobileconfig,
    /// A registry export, `.reg` (Windows).
    Reg,
    /// JSON (Linux).
    Json,
}

/// Why a policy could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// The format is not one the platform reads.
    #[error("a {platform} MDM deploys {expected}, not `{format}`")]
    Format {
        /// The platform asked for.
        platform: &'static str,
        /// The format asked for.
        format: &'static str,
        /// The format that platform reads.
        expected: &'static str,
    },
    /// No org of that name.
    #[error("no org is called `{0}`")]
    NoSuchOrg(String),
    /// The policy has several orgs and none was named.
    #[error("the policy has {0} orgs: name one with `--org`")]
    WhichOrg(usize),
    /// The policy has no org.
    #[error("the policy defines no org")]
    NoOrg,
}

/// Compile the desktop settings the policy decides for one org (`org`, or the only one) into the
/// file an MDM deploys for `platform`, in `format`.
///
/// ```
/// use cowork_policy::managed::{Format, Platform, compile};
/// let policy = cowork_policy::load_sources([(
///     "policy.yaml",
///     "apiVersion: cowork-policy/v1
/// orgs:
///   - name: acme
///     plan: enterprise
/// security:
///   egressAllowlist: [github.com]
/// ",
/// )])?;
/// let reg = compile(&policy, None, Platform::Windows, Format::Reg)?;
/// assert!(reg.contains(r#""coworkEgressAllowedHosts"="[\"github.com\"]""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compile(
    policy: &Policy,
    org: Option<&str>,
    platform: Platform,
    format: Format,
) -> Result<String, CompileError> {
    let expected = match platform {
        Platform::Macos => Format::Mobileconfig,
        Platform::Windows => Format::Reg,
        Platform::Linux => Format::Json,
    };
    if format != expected {
        return Err(CompileError::Format {
            platform: platform_name(platform),
            format: format_name(format),
            expected: format_name(expected),
        });
    }
    let id = pick_org(policy, org)?;
    let org_name = &policy.org(id).name.value;
    let settings = desktop_settings(policy, id);
    Ok(match format {
        Format::Mobileconfig => mobileconfig(org_name, &settings),
        Format::Reg => reg(&settings),
        Format::Json => json(&settings),
    })
}

/// [`compile`] for every org of the policy, in the policy's order: each org's name and file.
pub fn compile_each(
    policy: &Policy,
    platform: Platform,
    format: Format,
) -> Result<Vec<(String, String)>, CompileError> {
    policy
        .org_ids()
        .map(|id| {
            let name = policy.org(id).name.value.clone();
            let text = compile(policy, Some(&name), platform, format)?;
            Ok((name, text))
        })
        .collect()
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Macos => "macOS",
        Platform::Windows => "Windows",
        Platform::Linux => "Linux",
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Mobileconfig => "mobileconfig",
        Format::Reg => "reg",
        Format::Json => "json",
    }
}

fn pick_org(policy: &Policy, org: Option<&str>) -> Result<OrgId, CompileError> {
    match org {
        Some(name) => policy
            .org_ids()
            .find(|&id| policy.org(id).name.value == name)
            .ok_or_else(|| CompileError::NoSuchOrg(name.to_string())),
        None => match policy.orgs.len() {
            0 => Err(CompileError::NoOrg),
            1 => Ok(OrgId(0)),
            n => Err(CompileError::WhichOrg(n)),
        },
    }
}

/// XML text content: `&`, `<` and `>` escaped.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A name-based UUID (RFC 9562 version 8, the custom version) from `name`: the same input gives
/// the same UUID on every run, so a re-run diffs clean. Two FNV-1a 64-bit hashes with different
/// offsets fill its 128 bits.
pub(crate) fn name_uuid(name: &str) -> String {
    let fnv = |seed: u64| {
        name.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let hi = fnv(0xcbf2_9ce4_8422_2325);
    let lo = fnv(0x84222325_cbf29ce4);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hi.to_be_bytes());
    bytes[8..].copy_from_slice(&lo.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn mobileconfig(org: &str, settings: &[Setting]) -> String {
    let id = format!("{MACOS_DOMAIN}.cowork-policy.{org}");
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n",
    );
    let pair = |out: &mut String, indent: &str, key: &str, value: &str| {
        out.push_str(&format!(
            "{indent}<key>{}</key>\n{indent}<string>{}</string>\n",
            xml(key),
            xml(value)
        ));
    };
    out.push_str("  <key>PayloadContent</key>\n  <array>\n    <dict>\n");
    let inner = "      ";
    pair(
        &mut out,
        inner,
        "PayloadDisplayName",
        "Claude desktop managed settings",
    );
    pair(
        &mut out,
        inner,
        "PayloadIdentifier",
        &format!("{id}.settings"),
    );
    pair(&mut out, inner, "PayloadType", MACOS_DOMAIN);
    pair(
        &mut out,
        inner,
        "PayloadUUID",
        &name_uuid(&format!("{id}.settings")),
    );
    out.push_str(&format!(
        "{inner}<key>PayloadVersion</key>\n{inner}<integer>1</integer>\n"
    ));
    for setting in settings {
        pair(&mut out, inner, setting.key, &setting.value.encoded());
    }
    out.push_str("    </dict>\n  </array>\n");
    pair(
        &mut out,
        "  ",
        "PayloadDisplayName",
        &format!("Claude desktop ({org})"),
    );
    pair(&mut out, "  ", "PayloadIdentifier", &id);
    pair(&mut out, "  ", "PayloadScope", "System");
    pair(&mut out, "  ", "PayloadType", "Configuration");
    pair(&mut out, "  ", "PayloadUUID", &name_uuid(&id));
    out.push_str("  <key>PayloadVersion</key>\n  <integer>1</integer>\n</dict>\n</plist>\n");
    out
}

/// A `.reg` string: `\` and `"` escaped.
fn reg_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn reg(settings: &[Setting]) -> String {
    let mut out = format!("Windows Registry Editor Version 5.00\n\n[{WINDOWS_KEY}]\n");
    for setting in settings {
        out.push_str(&format!(
            "{}={}\n",
            reg_string(setting.key),
            reg_string(&setting.value.encoded())
        ));
    }
    out
}

fn json(settings: &[Setting]) -> String {
    let mut out = String::from("{\n");
    for (i, setting) in settings.iter().enumerate() {
        let key = serde_json::Value::from(setting.key).to_string();
        let value = serde_json::Value::from(setting.value.encoded()).to_string();
        let comma = if i + 1 < settings.len() { "," } else { "" };
        out.push_str(&format!("  {key}: {value}{comma}\n"));
    }
    out.push_str("}\n");
    out
}
