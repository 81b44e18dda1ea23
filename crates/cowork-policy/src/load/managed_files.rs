//! Claude Code's `managed-settings.json`, which the same admins ship beside the desktop app's
//! profile: found at a documented path in the policy folder, or named by a `desktop:` section's
//! `claudeCodeSettings`, read (on disk through [`crate::confined::read`], so a name cannot reach
//! out of the folder) and kept in the policy for `check`. A file that cannot be read, or is not
//! JSON, is a load error at its place.

use std::path::Path;
use std::sync::Arc;

use super::MAX_FILE_BYTES;
use super::yaml::location_at;
use crate::error::{LoadError, LoadErrors};
use crate::model::{ManagedFile, Policy, Span};

/// Where in the policy folder a Claude Code `managed-settings.json` is found without being
/// named: at the root, or in a `claude-code/` folder.
pub(crate) const DOCUMENTED: &[&str] =
    &["managed-settings.json", "claude-code/managed-settings.json"];

/// Where the files are read from.
pub(super) enum Files<'a> {
    /// The folder (or, for a single file, the folder it is in) the policy was loaded from;
    /// `folder` when a whole folder was loaded, so the documented paths apply.
    Disk { base: &'a Path, folder: bool },
    /// The in-memory sources given with the policy, by name.
    Memory(&'a [(String, Arc<str>)]),
}

/// Read the managed files of `policy` into it.
pub(super) fn attach(
    policy: Result<Policy, LoadErrors>,
    files: Files<'_>,
) -> Result<Policy, LoadErrors> {
    let mut policy = policy?;
    let mut wanted: Vec<(String, Option<Span>)> = Vec::new();
    for &candidate in DOCUMENTED {
        let present = match &files {
            Files::Disk { base, folder: true } => base.join(candidate).is_file(),
            Files::Disk { .. } => false,
            Files::Memory(texts) => texts.iter().any(|(name, _)| name == candidate),
        };
        if present {
            wanted.push((candidate.to_string(), None));
        }
    }
    let paths: Vec<&str> = policy.sources.paths().collect();
    for section in &policy.desktop {
        if let Some(named) = &section.claude_code_settings {
            let from = paths.get(named.span.file.0 as usize).copied().unwrap_or("");
            let dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
            let path = normalize(&format!("{dir}/{}", named.value.replace('\\', "/")));
            if !wanted.iter().any(|(p, _)| *p == path) {
                wanted.push((path, Some(named.span)));
            }
        }
    }
    let mut errors = Vec::new();
    let mut shown = Vec::new();
    for (path, named_at) in wanted {
        let text: Result<Arc<str>, String> = match &files {
            Files::Disk { base, .. } => {
                crate::confined::read(base, Path::new(&path), MAX_FILE_BYTES)
                    .map(Arc::from)
                    .map_err(|refused| refused.reason("the policy folder"))
            }
            Files::Memory(texts) => texts
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| Arc::clone(text))
                .ok_or_else(|| "not among the sources given".to_string()),
        };
        let text = match text {
            Ok(text) => text,
            Err(reason) => {
                errors.push(LoadError::Invalid {
                    location: match named_at {
                        Some(span) => policy.sources.locate(span),
                        None => location_at(&path, "", 0),
                    },
                    message: format!("Claude Code's managed settings `{path}` cannot be read: {reason}"),
                    help: Some("name a `managed-settings.json` inside the policy folder, relative to the file that names it".into()),
                });
                continue;
            }
        };
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&text) {
            let line_start: usize = text
                .split_inclusive('\n')
                .take(error.line().saturating_sub(1))
                .map(str::len)
                .sum();
            let at = line_start + error.column().saturating_sub(1);
            let what = error.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what).to_string();
            errors.push(LoadError::Invalid {
                location: location_at(&path, &text, at),
                message: format!("Claude Code's managed settings are not JSON: {what}"),
                help: Some("Claude Code reads `managed-settings.json` as one JSON object".into()),
            });
            shown.push((path, text));
            continue;
        }
        policy.managed_files.push(ManagedFile { path, text });
    }
    if errors.is_empty() {
        return Ok(policy);
    }
    let sources = (0..policy.sources.len())
        .map(|id| {
            let id = crate::model::FileId(id as u32);
            let path = policy
                .sources
                .paths()
                .nth(id.0 as usize)
                .unwrap_or("")
                .to_string();
            (path, Arc::from(&*policy.sources.display_text(id)))
        })
        .chain(shown)
        .collect();
    Err(LoadErrors { errors, sources })
}

/// `a/./b/../c` as `a/c`, without a leading `/` for a path relative to the root.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                // Past the root: kept, so the reader refuses it as outside the folder.
                if parts.last().is_none_or(|p| *p == "..") {
                    parts.push("..");
                } else {
                    parts.pop();
                }
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}
