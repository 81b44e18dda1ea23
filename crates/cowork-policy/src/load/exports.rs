//! The identity-provider exports a policy names under `directoryExports:`: their files found
//! (on disk, or among the texts given to `load_sources`) and read by [`crate::import`], before
//! conversion, so that imported groups are named with the written ones and every reference may
//! point at either.
//!
//! A pattern is relative to the folder of the policy file that declares it, and never leaves the
//! loaded folder: on disk each file is opened through [`crate::confined::read`]. A pattern that
//! matches no file, a file that cannot be read and an export that cannot be parsed are load
//! errors at their place; what an export leaves unknown (a member named only by id, a missing
//! page) is not, and rules IDP012 to IDP014 report it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};

use super::raw::{Document, RawExportFormat};
use super::span;
use crate::confined::Refused;
use crate::error::LoadError;
use crate::import::{self, Export, Format, MAX_EXPORT_BYTES};
use crate::model::{FileId, Sources};

/// Where the files of exports come from.
pub(super) enum ExportFiles {
    /// Under this folder, the one the policy was loaded from.
    Disk(PathBuf),
    /// These texts, by name (the `.json` and `.csv` texts given to `load_sources`).
    Memory(Vec<(String, Arc<str>)>),
}

/// The exports of every `directoryExports:` entry, in document order (file by file, entry by
/// entry), their files added to `sources` after the policy files. Errors are load errors.
pub(super) fn read(
    sources: &mut Sources,
    documents: &[(FileId, Vec<Document>)],
    files: &ExportFiles,
    errors: &mut Vec<LoadError>,
) -> Vec<Export> {
    let mut exports = Vec::new();
    let mut added: HashMap<String, Arc<str>> = HashMap::new();
    for (file, docs) in documents {
        let policy_path = sources
            .paths()
            .nth(file.0 as usize)
            .unwrap_or_default()
            .to_string();
        let folder = match policy_path.rfind('/') {
            Some(i) => &policy_path[..i],
            None => "",
        };
        for entry in docs.iter().flat_map(|d| &d.directory_exports) {
            let entry = &entry.0.value;
            let mut texts: Vec<(String, Arc<str>)> = Vec::new();
            // A file two patterns match is read once.
            let mut seen: HashSet<String> = HashSet::new();
            for pattern in &entry.files {
                let joined = join(folder, &pattern.0.value);
                let found = match find(files, &joined) {
                    Ok(found) => found,
                    Err(reason) => {
                        errors.push(LoadError::Invalid {
                            location: sources.locate(span(*file, &pattern.0)),
                            message: format!("cannot read `{joined}`: {reason}"),
                            help: None,
                        });
                        continue;
                    }
                };
                if found.is_empty() {
                    errors.push(LoadError::Invalid {
                        location: sources.locate(span(*file, &pattern.0)),
                        message: format!("no file matches `{joined}`"),
                        help: Some(
                            "paths are relative to the folder of this policy file; run the export (docs/idp/) or fix the pattern".into(),
                        ),
                    });
                }
                for (path, text) in found {
                    if seen.insert(path.clone()) {
                        texts.push((path, text));
                    }
                }
            }
            let format = match entry.format.0.value {
                RawExportFormat::Scim => Format::Scim,
                RawExportFormat::Msgraph => Format::Msgraph,
                RawExportFormat::Okta => Format::Okta,
                RawExportFormat::Google => Format::Google,
                RawExportFormat::Gam => Format::Gam,
            };
            let options = import::Options {
                email_attribute: entry.email_attribute.as_ref().map(|a| a.0.value.clone()),
            };
            for (path, text) in &texts {
                added
                    .entry(path.clone())
                    .or_insert_with(|| Arc::clone(text));
            }
            match import::read(format, &texts, &options) {
                Ok(export) => exports.push(export),
                Err(found) => errors.extend(found.into_iter().map(|e| LoadError::Invalid {
                    location: e.location,
                    message: e.message,
                    help: Some(format!(
                        "is this a `{}` export? docs/idp/ shows the shapes each format reads",
                        format.name()
                    )),
                })),
            }
        }
    }
    let mut files: Vec<(String, Arc<str>)> = added.into_iter().collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    sources.add_all(files);
    exports
}

/// `pattern` relative to `folder`, with `.` and `..` taken out lexically; `/` separators.
fn join(folder: &str, pattern: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in pattern.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// The files a pattern names, sorted by path: the file itself when it has no glob character,
/// else every file under the pattern's literal folder that it matches. The reason when a file
/// or folder cannot be read.
fn find(files: &ExportFiles, pattern: &str) -> Result<Vec<(String, Arc<str>)>, String> {
    let is_glob = pattern.contains(['*', '?', '[', '{']);
    let matcher: Option<GlobMatcher> = if is_glob {
        Some(
            GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("not a glob pattern: {}", e.kind()))?
                .compile_matcher(),
        )
    } else {
        None
    };
    let matches = |path: &str| match &matcher {
        Some(m) => m.is_match(path),
        None => path == pattern,
    };
    match files {
        ExportFiles::Memory(texts) => {
            let mut found: Vec<(String, Arc<str>)> = texts
                .iter()
                .filter(|(name, _)| matches(name))
                .map(|(name, text)| (name.clone(), Arc::clone(text)))
                .collect();
            found.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(found)
        }
        ExportFiles::Disk(root) => {
            let names = if is_glob {
                let literal: Vec<&str> = pattern
                    .split('/')
                    .take_while(|p| !p.contains(['*', '?', '[', '{']))
                    .collect();
                let mut names = Vec::new();
                walk(root, &literal.join("/"), &mut names)?;
                names.retain(|n| matches(n));
                names.sort();
                names
            } else {
                vec![pattern.to_string()]
            };
            // Read on every core (a Graph export is ten thousand small files), kept in name
            // order; the first file refused, in that order, is the error.
            let limit = MAX_EXPORT_BYTES as u64;
            let read = crate::confined::read_all(root, names, limit);
            let mut found = Vec::with_capacity(read.len());
            for (name, text) in read {
                match text {
                    Ok(text) => found.push((name, text)),
                    Err(Refused::Io(e)) if !is_glob && e.kind() == std::io::ErrorKind::NotFound => {
                        return Ok(Vec::new());
                    }
                    Err(refused) => {
                        return Err(format!(
                            "`{name}` is {}",
                            refused.reason("the policy folder")
                        ));
                    }
                }
            }
            Ok(found)
        }
    }
}

/// Every file under `root/folder`, as paths relative to `root` with `/` separators. Links are
/// not followed into folders (a file is then refused by `confined::read` if it leads out).
fn walk(root: &Path, folder: &str, out: &mut Vec<String>) -> Result<(), String> {
    let mut pending = vec![folder.to_string()];
    while let Some(relative) = pending.pop() {
        let entries = match std::fs::read_dir(root.join(&relative)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(crate::confined::io_reason(&e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| crate::confined::io_reason(&e))?;
            let name = entry.file_name().to_string_lossy().to_string();
            let path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(kind) if kind.is_file() || kind.is_symlink() => out.push(path),
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn patterns_are_relative_to_the_policy_files_folder_and_stay_in_the_root() {
        assert_eq!(join("", "exports/a.json"), "exports/a.json");
        assert_eq!(join("org/acme", "../exports/*.json"), "org/exports/*.json");
        assert_eq!(join("org", "./x/../y.csv"), "org/y.csv");
        assert_eq!(join("", "../../etc/passwd"), "etc/passwd");
    }
}
