//! Which YAML files under a folder are policy, told from their first bytes.
//!
//! A policy file has a line that starts, at the first column, with `apiVersion:
//! cowork-policy/`. Skipping every other file silently would let a check pass by accident: delete
//! that line from the file of spend limits and every limit would vanish. So a file that misses the
//! line but looks like policy is a load error with a "did you mean": one whose top-level keys are
//! the format's sections, or whose version line is near ours (`apiversion:`, `apiVersion: v1`,
//! `apiVersion: cowork-policy`, indented). YAML that other tools read (CI configs, Kubernetes
//! manifests, `mkdocs.yml`) has top-level keys the format does not know, and is still skipped.
//!
//! Only the first [`PREFIX_BYTES`] of a file are read to decide, so that a huge data export
//! beside the policy costs neither memory nor time.

use crate::suggest::did_you_mean;

use super::raw::API_VERSION;

/// How much of a file is read to tell whether it is policy: 1 MiB. A policy file's version line
/// is, by convention, its first line.
pub(super) const PREFIX_BYTES: usize = 1024 * 1024;

/// The top-level sections of a policy document.
pub(super) const SECTIONS: [&str; 17] = [
    "orgs",
    "identityProviders",
    "groups",
    "roles",
    "spendLimits",
    "steps",
    "connectors",
    "plugins",
    "pluginMarketplace",
    "security",
    "network",
    "deployment",
    "observability",
    "desktop",
    "team",
    "launch",
    "platform",
];

/// Sections that no other YAML format we know of uses as a top-level key: one of them marks a
/// file as meant for policy even beside keys the format does not know.
const DISTINCTIVE: [&str; 3] = ["identityProviders", "spendLimits", "pluginMarketplace"];

/// At most this many `name:` values are kept from a skipped file.
const MAX_NAMES: usize = 10_000;

/// What the first bytes of a file say it is.
#[derive(Debug)]
pub(super) enum Class {
    /// Policy: it has the version line.
    Policy,
    /// Meant as policy, by the look of it, but it would be skipped: a load error at `offset`.
    NearPolicy {
        offset: usize,
        message: String,
        help: String,
    },
    /// Other YAML, with what it seems to define.
    Other(Defines),
}

/// What a skipped file seems to define, to tell when a reference that names nothing is defined
/// only there.
#[derive(Debug, Clone, Default)]
pub(crate) struct Defines {
    /// The file, relative to the policy root.
    pub path: String,
    /// Its top-level keys that are policy sections (`orgs`).
    pub sections: Vec<String>,
    /// Every `name:` value in it.
    pub names: Vec<String>,
}

/// Classify a file from its first bytes (decoded leniently).
pub(super) fn classify(text: &str) -> Class {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut top: Vec<(usize, &str)> = Vec::new();
    // The first version-like line whose value names `cowork-policy` (in any case or spelling),
    // and the first with another value.
    let mut cowork: Option<Version<'_>> = None;
    let mut other: Option<Version<'_>> = None;
    let mut names = Vec::new();
    for (offset, line) in lines(&text[bom..]) {
        let offset = offset + bom;
        if is_version_line(line) {
            return Class::Policy;
        }
        let indented = line.starts_with([' ', '\t']);
        let mut content = line.trim_start_matches([' ', '\t']);
        let mut in_list = false;
        while let Some(rest) = content.strip_prefix("- ") {
            content = rest.trim_start_matches([' ', '\t']);
            in_list = true;
        }
        let Some((key, rest)) = key_value(content) else {
            continue;
        };
        if !indented && !in_list {
            top.push((offset, key));
        }
        if is_version_key(key) {
            let version = Version {
                offset: offset + line.len() - content.len(),
                written: content,
                indented: indented || in_list,
            };
            let folded: String = scalar(rest)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .flat_map(|c| c.to_lowercase())
                .collect();
            let slot = if folded.contains("coworkpolicy") {
                &mut cowork
            } else {
                &mut other
            };
            slot.get_or_insert(version);
        }
        if key == "name" && names.len() < MAX_NAMES {
            names.push(scalar(rest).to_string());
        }
    }

    let sections: Vec<(usize, &str)> = top
        .iter()
        .copied()
        .filter(|(_, key)| SECTIONS.contains(key))
        .collect();
    // A misspelt section counts as the format's beside a real one; alone, only when it is long
    // enough not to be another tool's word: `rules:` (semgrep) is not a misspelt `roles:`,
    // `spendlimits:` is.
    let ours = |key: &str| {
        key == "apiVersion"
            || is_version_key(key)
            || SECTIONS.contains(&key)
            || ((!sections.is_empty() || key.chars().count() >= 7)
                && did_you_mean(key, SECTIONS).is_some())
    };
    let foreign = top.iter().any(|&(_, key)| !ours(key));

    if let Some(version) = cowork.take_if(|v| !v.indented || !foreign) {
        return version.near();
    }
    let distinctive = sections.iter().any(|(_, key)| DISTINCTIVE.contains(key));
    // With no key the format does not know, a misspelt section (`spendlimits`) counts too.
    let misspelt = || {
        top.iter()
            .copied()
            .find(|&(_, key)| key != "apiVersion" && !is_version_key(key))
    };
    let first = match sections.first() {
        Some(&first) if !foreign || distinctive => Some(first),
        None if !foreign => misspelt(),
        _ => None,
    };
    if let Some((offset, key)) = first {
        return match other.or(cowork) {
            Some(version) => version.near(),
            None => Class::NearPolicy {
                offset,
                message: format!(
                    "the file has top-level `{key}` but no `apiVersion: {API_VERSION}` line, so it would be skipped"
                ),
                help: format!(
                    "add `apiVersion: {API_VERSION}` as its first line; if the file is not policy, list it under `exclude` in `cowork-policy.toml`"
                ),
            },
        };
    }
    let mut sections: Vec<String> = sections.iter().map(|(_, k)| k.to_string()).collect();
    sections.sort_unstable();
    sections.dedup();
    Class::Other(Defines {
        path: String::new(),
        sections,
        names,
    })
}

/// A line that looks like a version line.
struct Version<'a> {
    offset: usize,
    written: &'a str,
    indented: bool,
}

impl Version<'_> {
    fn near(self) -> Class {
        let written = strip_comment(self.written).trim_end();
        let written: String = if written.chars().count() > 60 {
            format!("{}...", written.chars().take(57).collect::<String>())
        } else {
            written.to_string()
        };
        Class::NearPolicy {
            offset: self.offset,
            message: format!(
                "`{written}` is not the line that marks a policy file, so the file would be skipped"
            ),
            help: if self.indented && written.starts_with(&format!("apiVersion: {API_VERSION}")) {
                format!(
                    "did you mean `apiVersion: {API_VERSION}` at the start of the line, not indented?"
                )
            } else {
                format!("did you mean `apiVersion: {API_VERSION}`?")
            },
        }
    }
}

/// Whether a line is a policy file's version line: `apiVersion: cowork-policy/...` at the first
/// column (the value may be quoted).
pub(super) fn is_version_line(line: &str) -> bool {
    line.trim_start_matches('\u{feff}')
        .strip_prefix("apiVersion:")
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
        .is_some_and(|v| v.starts_with("cowork-policy/"))
}

/// Whether a key is `apiVersion` in another case, spelling or with a typo.
fn is_version_key(key: &str) -> bool {
    let folded: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    folded == "apiversion" || did_you_mean(key, ["apiVersion"]).is_some()
}

/// The key of a `key: value` line and the text after the `:`; `None` for a comment, a document
/// marker, a directive, a flow collection or a line with no key.
fn key_value(content: &str) -> Option<(&str, &str)> {
    let first = content.chars().next()?;
    if matches!(first, '#' | '%' | '[' | '{' | '&' | '*' | '!' | '|' | '>')
        || content.starts_with("---")
        || content.starts_with("...")
    {
        return None;
    }
    let (key, after) = match first {
        q @ ('"' | '\'') => {
            let end = content[1..].find(q)? + 1;
            (&content[1..end], &content[end + 1..])
        }
        _ => {
            let colon = content.match_indices(':').map(|(i, _)| i).find(|&i| {
                content[i + 1..].is_empty() || content[i + 1..].starts_with([' ', '\t'])
            })?;
            let key = content[..colon].trim_end();
            if key.contains(" #") {
                return None;
            }
            (key, &content[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((key, rest))
}

/// A one-line scalar as written: without its comment and quotes.
fn scalar(rest: &str) -> &str {
    strip_comment(rest)
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
}

fn strip_comment(text: &str) -> &str {
    let mut previous_blank = true;
    for (i, c) in text.char_indices() {
        if c == '#' && previous_blank {
            return &text[..i];
        }
        previous_blank = c == ' ' || c == '\t';
    }
    text
}

/// Every line with its byte offset, split at LF, CRLF and a lone CR, as YAML does.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let from = start;
        let mut i = start;
        while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
            i += 1;
        }
        let line = &text[from..i];
        start = if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        Some((from, line))
    })
}

#[cfg(test)]
mod tests {
    use super::{Class, classify, key_value, lines};

    fn near(text: &str) -> Option<(usize, String)> {
        match classify(text) {
            Class::NearPolicy {
                offset, message, ..
            } => Some((offset, message)),
            _ => None,
        }
    }

    #[test]
    fn tells_policy_from_other_yaml() {
        assert!(matches!(
            classify("apiVersion: cowork-policy/v1\n"),
            Class::Policy
        ));
        assert!(matches!(
            classify("\u{feff}# c\napiVersion: \"cowork-policy/v2\"\n"),
            Class::Policy
        ));
        assert!(matches!(
            classify("repos:\n  - repo: local\n"),
            Class::Other(_)
        ));
        assert!(matches!(
            classify("apiVersion: apps/v1\nkind: Deployment\n"),
            Class::Other(_)
        ));
        assert!(near("  apiVersion: cowork-policy/v1\n").is_some());
        assert!(near("orgs: []\n").is_some());
        assert!(near("orgs: []\nkind: X\n").is_none());
        assert!(near("# limits\nspendlimits: []\n").is_some());
        assert!(near("networks: {}\nservices: {}\n").is_none());
        assert!(near("rules:\n  - id: x\n").is_none());
        assert!(near("apiVersion: cowork.example.com/v1\nkind: Desk\n").is_none());
        assert!(near("apiVersion: cowork_policy/v1\nkind: X\n").is_some());
        assert!(near("spendLimits: []\nkind: X\n").is_some());
        assert_eq!(
            near("# x\r  groups: []\rroles: []\r").map(|n| n.0),
            Some(17)
        );
    }

    #[test]
    fn skipped_files_say_what_they_define() {
        let Class::Other(defines) = classify("orgs:\n  - name: acme\nmetadata: {name: x}\n") else {
            panic!("not skipped")
        };
        assert_eq!(defines.sections, ["orgs"]);
        assert_eq!(defines.names, ["acme"]);
    }

    #[test]
    fn reads_keys() {
        assert_eq!(key_value("a: b"), Some(("a", " b")));
        assert_eq!(key_value("\"a b\": c"), Some(("a b", " c")));
        assert_eq!(key_value("url: http://x"), Some(("url", " http://x")));
        assert_eq!(key_value("a:b"), None);
        assert_eq!(key_value("# a: b"), None);
    }

    #[test]
    fn splits_lines_at_every_line_break() {
        let split: Vec<_> = lines("a\r\nb\rc\nd").collect();
        assert_eq!(split, [(0, "a"), (3, "b"), (5, "c"), (7, "d")]);
    }
}
