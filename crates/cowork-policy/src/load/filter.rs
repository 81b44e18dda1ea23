//! Which files under a policy folder to read: the config's `include` and `exclude` patterns,
//! compiled by `crate::config`, applied while the folder is walked.

use std::path::{Path, PathBuf};

use globset::GlobSet;

/// Which files under a policy folder to read: `include` and `exclude` glob patterns, relative to
/// the config file's folder (else to the checked folder).
#[derive(Debug, Clone, Default)]
pub(crate) struct PathFilter {
    /// The config file's folder, absolute, when there is a config file.
    pub base: Option<PathBuf>,
    /// Read only what these match, when set.
    pub include: Option<GlobSet>,
    /// Never read what these match.
    pub exclude: Option<GlobSet>,
}

impl PathFilter {
    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    /// The path the patterns see: relative to the config's folder when `path` is under it,
    /// else to `root`; with `/` separators.
    fn relative(&self, root: &Path, path: &Path) -> String {
        let under_base = self.base.as_ref().and_then(|base| {
            let absolute = std::path::absolute(path).ok()?;
            absolute.strip_prefix(base).ok().map(Path::to_path_buf)
        });
        let relative =
            under_base.unwrap_or_else(|| path.strip_prefix(root).unwrap_or(path).to_path_buf());
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Whether `set` matches `relative` or one of the folders it is in.
    fn matches(set: &GlobSet, relative: &str) -> bool {
        if set.is_match(relative) {
            return true;
        }
        relative
            .match_indices('/')
            .any(|(i, _)| set.is_match(&relative[..i]))
    }

    /// Whether a folder found under `root` is excluded, so need not be walked.
    pub fn excludes_dir(&self, root: &Path, dir: &Path) -> bool {
        let relative = self.relative(root, dir);
        !relative.is_empty()
            && self
                .exclude
                .as_ref()
                .is_some_and(|set| Self::matches(set, &relative))
    }

    /// Whether to read a file found under `root`.
    pub fn keeps(&self, root: &Path, file: &Path) -> bool {
        let relative = self.relative(root, file);
        if self
            .exclude
            .as_ref()
            .is_some_and(|set| Self::matches(set, &relative))
        {
            return false;
        }
        self.include
            .as_ref()
            .is_none_or(|set| Self::matches(set, &relative))
    }
}
