//! Why a policy could not be loaded, with the place and what was expected.

use std::fmt;

use crate::model::Location;

/// One reason a policy could not be loaded. Each names the file and, where there is one, the
/// line and column, and says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("{path}: cannot read: {reason}")]
    Io {
        /// The path as given or found.
        path: String,
        /// The operating system's words.
        reason: String,
    },
    /// A file is larger than the loader accepts.
    #[error("{path}: file is {size} bytes, over the {limit}-byte limit for one policy file")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A file is not UTF-8 text.
    #[error("{location}: not UTF-8 text: expected a YAML file encoded as UTF-8")]
    NotUtf8 {
        /// Where the first invalid byte is.
        location: Location,
    },
    /// The YAML itself is malformed, or breaks a budget (nesting depth, aliases).
    #[error("{location}: {message}")]
    Syntax {
        /// Where the parser stopped.
        location: Location,
        /// What went wrong.
        message: String,
        /// What usually causes it, or how to fix it.
        help: Option<String>,
    },
    /// The YAML is well-formed but does not fit the policy format: an unknown field, a wrong
    /// type, an unknown keyword, a missing field, an invalid email, date or amount.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
        /// A suggestion such as "did you mean `members`?".
        help: Option<String>,
    },
    /// A document declares a format version this build does not read.
    #[error("{location}: unsupported format version `{found}`: expected `{expected}`")]
    UnsupportedVersion {
        /// Where the version is written.
        location: Location,
        /// What it says.
        found: String,
        /// What this build reads.
        expected: &'static str,
    },
    /// Two entities of one kind share a name.
    #[error("{location}: duplicate {kind} `{name}`: first defined at {first}")]
    Duplicate {
        /// The kind of entity, such as `group`.
        kind: &'static str,
        /// The shared name.
        name: String,
        /// The second definition.
        location: Location,
        /// The first definition.
        first: Location,
    },
    /// A command-line flag names something that does not exist, such as an unknown rule.
    #[error("{flag}: {message}")]
    Flag {
        /// The flag, such as `--select`.
        flag: String,
        /// What is wrong.
        message: String,
        /// A suggestion such as "did you mean `IDP001`?".
        help: Option<String>,
    },
    /// The path holds no policy file.
    #[error("{path}: no policy files found: expected YAML files whose documents start with `apiVersion: cowork-policy/v1`{}", skipped_note(.skipped))]
    NoPolicy {
        /// The directory.
        path: String,
        /// YAML files that were found but are not policy.
        skipped: Vec<String>,
    },
}

fn skipped_note(skipped: &[String]) -> String {
    if skipped.is_empty() {
        String::new()
    } else {
        format!(
            " (skipped {}: {})",
            crate::diagnostic::plural(skipped.len(), "YAML file"),
            skipped.join(", ")
        )
    }
}

impl LoadError {
    /// The primary location, when the error has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            LoadError::NotUtf8 { location }
            | LoadError::Syntax { location, .. }
            | LoadError::Invalid { location, .. }
            | LoadError::UnsupportedVersion { location, .. }
            | LoadError::Duplicate { location, .. } => Some(location),
            LoadError::Io { .. }
            | LoadError::TooLarge { .. }
            | LoadError::NoPolicy { .. }
            | LoadError::Flag { .. } => None,
        }
    }

    /// A suggestion, when there is one.
    pub fn help(&self) -> Option<&str> {
        match self {
            LoadError::Invalid { help, .. }
            | LoadError::Syntax { help, .. }
            | LoadError::Flag { help, .. } => help.as_deref(),
            LoadError::TooLarge { .. } => {
                Some("split the policy over several files: a folder may hold any number")
            }
            LoadError::NoPolicy { skipped, .. } if !skipped.is_empty() => Some(
                "a policy file has a line `apiVersion: cowork-policy/v1`; the skipped files have none",
            ),
            LoadError::UnsupportedVersion { .. } => {
                Some("upgrade cowork-policy, or write the version this build reads")
            }
            LoadError::Duplicate { .. } => Some("names are unique per kind: rename or merge one"),
            _ => None,
        }
    }

    /// The file the error is about, or the path that was given.
    pub(crate) fn file(&self) -> &str {
        match self {
            LoadError::Io { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::NoPolicy { path, .. } => path,
            _ => self.location().map_or("", |l| l.file.as_str()),
        }
    }

    /// The message without the location prefix.
    pub fn message(&self) -> String {
        let full = self.to_string();
        match self.location() {
            Some(location) => full
                .strip_prefix(&format!("{location}: "))
                .map_or(full.clone(), str::to_string),
            None => full,
        }
    }
}

/// Errors in the order files are loaded (by path, folder by folder), then by position; errors
/// about a whole file come before errors inside it.
pub(crate) fn in_path_order(a: &LoadError, b: &LoadError) -> std::cmp::Ordering {
    let position = |e: &LoadError| {
        e.location()
            .map(|l| (l.line, l.column, l.end_line, l.end_column))
    };
    a.file()
        .split('/')
        .cmp(b.file().split('/'))
        .then_with(|| position(a).cmp(&position(b)))
}

/// Everything that stopped a policy from loading: every file's errors, not just the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors {
    pub(crate) errors: Vec<LoadError>,
    pub(crate) sources: Vec<(String, std::sync::Arc<str>)>,
}

impl LoadErrors {
    pub(crate) fn one(error: LoadError) -> LoadErrors {
        LoadErrors {
            errors: vec![error],
            sources: Vec::new(),
        }
    }

    /// The errors, ordered by file and position.
    pub fn errors(&self) -> &[LoadError] {
        &self.errors
    }

    pub(crate) fn source(&self, path: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, text)| &**text)
    }
}

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
            if let Some(help) = error.help() {
                write!(f, " ({help})")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}
