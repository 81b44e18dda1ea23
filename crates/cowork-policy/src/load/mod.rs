//! Loading: the only code that knows YAML.
//!
//! Files are found (honouring `.gitignore`), read and parsed in parallel, then converted into the
//! [`Policy`] model in path order, so the result never depends on thread timing. Every value that
//! a finding may point at keeps its span; every error names the file, line and column.
//!
//! Which files are policy: a `.yaml` or `.yml` file with a line that starts with
//! `apiVersion: cowork-policy/`. Other YAML files (CI configs, `.pre-commit-config.yaml`) are
//! skipped and listed, never parsed.

mod convert;
mod error;
pub(crate) mod raw;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_saphyr::Spanned;

pub use error::{LoadError, LoadErrors};

use crate::diagnostic::Location;
use crate::model::{FileId, Policy, Sources, Span};
use crate::suggest::did_you_mean;
use raw::{API_VERSION, Document};

/// The largest policy file read: 16 MiB. Larger files are refused, not truncated.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Nesting deeper than this is refused (the format needs six levels).
const MAX_DEPTH: usize = 64;

/// Load every policy file under `path` (a directory, or one file).
///
/// Paths in locations are relative to `path` (for a file: its name), with `/` separators.
pub fn load_dir(path: impl AsRef<Path>) -> Result<Policy, LoadErrors> {
    let root = path.as_ref();
    let metadata = std::fs::metadata(root).map_err(|e| {
        LoadErrors::one(LoadError::Io {
            path: root.display().to_string(),
            reason: e.to_string(),
        })
    })?;
    let (base, files) = if metadata.is_file() {
        let base = root.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        (base, vec![root.to_path_buf()])
    } else {
        (root.to_path_buf(), find_yaml(root)?)
    };

    let read: Vec<Result<(String, Arc<str>), LoadError>> = files
        .par_iter()
        .map(|file| read_text(&base, file))
        .collect();
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for result in read {
        match result {
            Ok(text) => texts.push(text),
            Err(error) => errors.push(error),
        }
    }
    let (policy_texts, skipped): (Vec<_>, Vec<_>) = texts
        .into_iter()
        .partition(|(_, text)| metadata.is_file() || looks_like_policy(text));
    let skipped: Vec<String> = skipped.into_iter().map(|(path, _)| path).collect();
    if policy_texts.is_empty() && errors.is_empty() {
        return Err(LoadErrors::one(LoadError::NoPolicy {
            path: root.display().to_string(),
            skipped,
        }));
    }
    load_texts(policy_texts, skipped, errors)
}

/// Load a policy from texts held in memory, as `(name, text)` pairs. Every text is policy: there
/// is no skipping by content. Names are used in locations as given.
pub fn load_sources<N, T>(sources: impl IntoIterator<Item = (N, T)>) -> Result<Policy, LoadErrors>
where
    N: Into<String>,
    T: AsRef<str>,
{
    let texts: Vec<(String, Arc<str>)> = sources
        .into_iter()
        .map(|(name, text)| (name.into(), Arc::from(text.as_ref())))
        .collect();
    if texts.is_empty() {
        return Err(LoadErrors::one(LoadError::NoPolicy {
            path: "(in-memory sources)".into(),
            skipped: Vec::new(),
        }));
    }
    load_texts(texts, Vec::new(), Vec::new())
}

fn load_texts(
    texts: Vec<(String, Arc<str>)>,
    skipped: Vec<String>,
    mut errors: Vec<LoadError>,
) -> Result<Policy, LoadErrors> {
    let mut sources = Sources::default();
    let ids: Vec<FileId> = texts
        .iter()
        .map(|(path, text)| sources.add(path.clone(), Arc::clone(text)))
        .collect();
    let parsed: Vec<Result<Vec<Document>, LoadError>> = texts
        .par_iter()
        .map(|(path, text)| parse(path, text))
        .collect();
    let mut documents = Vec::new();
    for (id, result) in ids.into_iter().zip(parsed) {
        match result {
            Ok(docs) => {
                for doc in &docs {
                    if doc.api_version.0.value != API_VERSION {
                        errors.push(LoadError::UnsupportedVersion {
                            location: sources.locate(span(id, &doc.api_version.0)),
                            found: doc.api_version.0.value.clone(),
                            expected: API_VERSION,
                        });
                    }
                }
                documents.push((id, docs));
            }
            Err(error) => errors.push(error),
        }
    }
    let failed = |mut errors: Vec<LoadError>| {
        errors.sort_by(|a, b| a.location().cmp(&b.location()));
        LoadErrors {
            errors,
            sources: texts.clone(),
        }
    };
    if !errors.is_empty() {
        return Err(failed(errors));
    }
    convert::build(sources, documents, skipped).map_err(failed)
}

/// Every `.yaml` and `.yml` file under `root`, honouring `.gitignore` even outside a git
/// checkout, skipping hidden files and folders; sorted so that loading is deterministic.
fn find_yaml(root: &Path) -> Result<Vec<PathBuf>, LoadErrors> {
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(root).require_git(false).build() {
        let entry = entry.map_err(|e| {
            LoadErrors::one(LoadError::Io {
                path: root.display().to_string(),
                reason: e.to_string(),
            })
        })?;
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if is_yaml && entry.file_type().is_some_and(|t| t.is_file()) {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

fn read_text(base: &Path, file: &Path) -> Result<(String, Arc<str>), LoadError> {
    let relative = file.strip_prefix(base).unwrap_or(file);
    let path = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let io = |e: std::io::Error| LoadError::Io {
        path: path.clone(),
        reason: e.to_string(),
    };
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path,
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(file).map_err(io)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok((path, Arc::from(text))),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            // INVARIANT: `valid` is the UTF-8 prefix that `from_utf8` accepted.
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() as u32 + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Err(LoadError::NotUtf8 {
                location: Location {
                    file: path,
                    line,
                    column,
                    end_line: line,
                    end_column: column + 1,
                    bytes: valid.len()..valid.len() + 1,
                },
            })
        }
    }
}

/// Whether a YAML text is a cowork-policy file: some line starts with
/// `apiVersion: cowork-policy/` (the value may be quoted).
fn looks_like_policy(text: &str) -> bool {
    text.lines().any(|line| {
        line.trim_start_matches('\u{feff}')
            .strip_prefix("apiVersion:")
            .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
            .is_some_and(|v| v.starts_with("cowork-policy/"))
    })
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_documents: 10_000,
        },
    }
}

/// Parse every document of one file.
fn parse(path: &str, text: &str) -> Result<Vec<Document>, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::Invalid {
            location: token_location(path, text, 1, 1),
            message: format!(
                "empty file: expected a document starting with `apiVersion: {API_VERSION}`"
            ),
            help: None,
        });
    }
    let documents: Vec<Document> = serde_saphyr::from_str_multiple_with_options(text, options())
        .map_err(|e| yaml_error(path, text, &e))?;
    if documents.is_empty() {
        return Err(LoadError::Invalid {
            location: token_location(path, text, 1, 1),
            message: format!("no document: expected one starting with `apiVersion: {API_VERSION}`"),
            help: None,
        });
    }
    Ok(documents)
}

/// Turn a serde-saphyr error into a [`LoadError`] with a plain message and, for a misspelt field
/// or keyword, a "did you mean".
fn yaml_error(path: &str, text: &str, error: &serde_saphyr::Error) -> LoadError {
    let (line, column) = error
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    let location = token_location(path, text, line as u32, column as u32);
    let full = error.to_string();
    // serde-saphyr appends " at line L, column C"; the location is shown separately.
    let raw = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    for (prefix, what) in [("unknown field `", "field"), ("unknown variant `", "value")] {
        if let Some(rest) = raw.strip_prefix(prefix) {
            let (word, expected) = rest.split_once('`').unwrap_or((rest, ""));
            let known: Vec<&str> = expected
                .split_once("expected ")
                .map(|(_, list)| list.trim_start_matches("one of "))
                .unwrap_or("")
                .split(", ")
                .map(|s| s.trim().trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect();
            let help = match did_you_mean(word, known.iter().copied()) {
                Some(near) => Some(format!("did you mean `{near}`?")),
                None if known.is_empty() => None,
                None => Some(format!(
                    "expected one of {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            return LoadError::Invalid {
                location,
                message: format!("unknown {what} `{word}`"),
                help,
            };
        }
    }
    let (message, help) = if raw.starts_with("missing field `apiVersion`") {
        (
            "missing field `apiVersion`".to_string(),
            Some(format!(
                "every document starts with `apiVersion: {API_VERSION}`"
            )),
        )
    } else if let Some(kind) = raw
        .strip_prefix("invalid ")
        .filter(|k| ["u8", "u16", "u32", "u64", "i64"].contains(k))
    {
        let _ = kind;
        ("expected a whole number, 0 or more".to_string(), None)
    } else {
        (raw.to_string(), None)
    };
    let is_syntax = !(message.starts_with("missing field")
        || message.starts_with("invalid type")
        || message.starts_with("invalid boolean")
        || message.starts_with("expected ")
        || message.starts_with("amount ")
        || message.starts_with('`'));
    if is_syntax && help.is_none() {
        LoadError::Syntax { location, message }
    } else {
        LoadError::Invalid {
            location,
            message,
            help,
        }
    }
}

/// A location for a parser position: the token that starts at 1-based `line` and `column`
/// (characters), up to the next space or YAML punctuation.
fn token_location(path: &str, text: &str, line: u32, column: u32) -> Location {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    let start = line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(rest.len(), |(i, _)| i);
    let token = text
        .get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| !c.is_whitespace() && !":,[]{}#".contains(*c))
        .count()
        .max(1) as u32;
    let end = text
        .get(start..)
        .unwrap_or("")
        .char_indices()
        .nth(token as usize)
        .map_or(text.len(), |(i, _)| start + i);
    Location {
        file: path.to_string(),
        line,
        column,
        end_line: line,
        end_column: column + token,
        bytes: start..end.max(start),
    }
}

/// The span a spanned value was written at.
pub(crate) fn span<T>(file: FileId, value: &Spanned<T>) -> Span {
    let location = value.referenced.span();
    let start = location.byte_offset().unwrap_or(0) as u32;
    let len = location.byte_len().unwrap_or(0) as u32;
    Span {
        file,
        start,
        end: start + len,
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_policy;

    #[test]
    fn recognises_policy_files_by_their_version_line() {
        assert!(looks_like_policy("apiVersion: cowork-policy/v1\n"));
        assert!(looks_like_policy("# c\napiVersion: \"cowork-policy/v2\"\n"));
        assert!(!looks_like_policy("repos:\n  - repo: local\n"));
        assert!(!looks_like_policy(
            "apiVersion: apps/v1\nkind: Deployment\n"
        ));
        assert!(!looks_like_policy("  apiVersion: cowork-policy/v1\n"));
    }
}
