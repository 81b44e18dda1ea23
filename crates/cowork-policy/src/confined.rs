//! The one reader of a file that a config names, the config itself included.
//!
//! A `cowork-policy.toml` comes with the repository being checked, so whoever can open a pull
//! request writes it. Read without care, `[waivers] file = "/proc/self/environ"` printed the CI
//! job's environment in the TOML error's source line, `/dev/zero` filled the memory,
//! `/dev/stdin` blocked the job, and a `cowork-policy.toml` that was a link to any of these did
//! the same. So every such file goes through [`read`], which reads a file only when:
//!
//! - it is inside a root folder, after every link is followed: the folder of the config for a
//!   file it names, the config's own folder for the config (a link that stays inside is fine);
//! - it is a regular file (not a device, a pipe, a socket or a folder), checked before it is
//!   opened, since opening a pipe can block;
//! - it holds at most `limit` bytes, and reading stops there even if it grows meanwhile.
//!
//! Why a file is refused ([`Refused`]) says nothing of what the file holds, so that the error
//! the caller builds names the setting or the file, never the content.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

/// The most bytes a config or waivers file may hold: 1 MiB, room for thousands of waivers.
pub(crate) const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum Refused {
    /// It is outside the root folder, once links are followed.
    Outside,
    /// It is not a regular file.
    NotRegular,
    /// It holds more than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The operating system could not read it, or it is not UTF-8.
    Io(std::io::Error),
}

impl Refused {
    /// Why, in a few words that fit after the file's name: `outside the folder of the config`.
    /// `root` names the root folder as the message's reader knows it.
    pub(crate) fn reason(&self, root: &str) -> String {
        match self {
            Refused::Outside => format!("outside {root}"),
            Refused::NotRegular => "not a regular file".to_string(),
            Refused::TooLarge { limit } => {
                format!("larger than {} KiB, the most it may hold", limit / 1024)
            }
            Refused::Io(error) if error.kind() == std::io::ErrorKind::InvalidData => {
                "not UTF-8 text".to_string()
            }
            Refused::Io(error) => io_reason(error),
        }
    }
}

/// Read `path` (relative to `root`, or absolute) as UTF-8 text, if it is a regular file of at
/// most `limit` bytes inside `root` once every link is followed.
pub(crate) fn read(root: &Path, path: &Path, limit: u64) -> Result<String, Refused> {
    // First as written, so that a path out of the root is refused as such even when it does
    // not exist (`/proc/self/environ` on a system without `/proc`).
    let absolute = std::path::absolute(root).map_err(Refused::Io)?;
    if !lexical(&absolute.join(path)).starts_with(lexical(&absolute)) {
        return Err(Refused::Outside);
    }
    // Then once every link is followed.
    let root = std::fs::canonicalize(root).map_err(Refused::Io)?;
    let resolved = std::fs::canonicalize(root.join(path)).map_err(Refused::Io)?;
    if !resolved.starts_with(&root) {
        return Err(Refused::Outside);
    }
    // `resolved` has no link left, so this is the file itself; it is not opened yet.
    let metadata = std::fs::metadata(&resolved).map_err(Refused::Io)?;
    read_resolved(&resolved, &metadata, limit)
}

/// [`read`] for many files under one root, on every core, in the order given. Each folder is
/// resolved once, not once per file (a large export is ten thousand files in one folder); a
/// file that is not plainly a regular file in a folder inside the root (a link, a folder,
/// missing) goes through [`read`], which says why it is refused.
pub(crate) fn read_all(
    root: &Path,
    paths: Vec<String>,
    limit: u64,
) -> Vec<(String, Result<Arc<str>, Refused>)> {
    let canonical_root = std::fs::canonicalize(root).ok();
    let absolute = std::path::absolute(root).ok().map(|a| lexical(&a));
    let mut folders: HashMap<&Path, Option<PathBuf>> = HashMap::new();
    for path in &paths {
        let folder = Path::new(path).parent().unwrap_or(Path::new(""));
        folders.entry(folder).or_insert_with(|| {
            let resolved = std::fs::canonicalize(root.join(folder)).ok()?;
            resolved
                .starts_with(canonical_root.as_ref()?)
                .then_some(resolved)
        });
    }
    // The file itself when it is plainly a regular file in a folder inside the root.
    let plain = |path: &str| -> Option<(PathBuf, Metadata)> {
        let written = Path::new(path);
        let inside = lexical(&absolute.as_ref()?.join(written)).starts_with(absolute.as_ref()?);
        let folder = folders
            .get(written.parent().unwrap_or(Path::new("")))?
            .as_ref()?;
        let resolved = folder.join(written.file_name()?);
        let metadata = std::fs::symlink_metadata(&resolved).ok()?;
        (inside && metadata.is_file()).then_some((resolved, metadata))
    };
    let read: Vec<Result<Arc<str>, Refused>> = paths
        .par_iter()
        .map_init(Vec::new, |bytes, path| match plain(path) {
            Some((resolved, metadata)) => {
                read_into(&resolved, &metadata, limit, bytes)?;
                let text = std::str::from_utf8(bytes).map_err(not_utf8)?;
                Ok(Arc::from(text))
            }
            None => read(root, Path::new(path), limit).map(Arc::from),
        })
        .collect();
    paths.into_iter().zip(read).collect()
}

/// Read a file whose path has no link left, given its metadata: refused unless it is a regular
/// file of at most `limit` bytes.
fn read_resolved(resolved: &Path, metadata: &Metadata, limit: u64) -> Result<String, Refused> {
    let mut bytes = Vec::new();
    read_into(resolved, metadata, limit, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| not_utf8(e.utf8_error()))
}

/// [`read_resolved`] into `bytes` (emptied first): a buffer used again for the next file is
/// memory the system does not have to hand out, and clear, once more.
fn read_into(
    resolved: &Path,
    metadata: &Metadata,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), Refused> {
    if !metadata.is_file() {
        return Err(Refused::NotRegular);
    }
    if metadata.len() > limit {
        return Err(Refused::TooLarge { limit });
    }
    let file = std::fs::File::open(resolved).map_err(Refused::Io)?;
    // The file could have been swapped between the check and the open: check what was opened.
    if !file.metadata().map_err(Refused::Io)?.is_file() {
        return Err(Refused::NotRegular);
    }
    // Sized from the metadata: `take` hides the file's length from `read_to_end`, which would
    // otherwise grow the buffer by doubling (a tenth of loading a 100 MB export).
    bytes.clear();
    bytes.reserve(usize::try_from(metadata.len()).unwrap_or(0) + 1);
    file.take(limit.saturating_add(1))
        .read_to_end(bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge { limit });
    }
    Ok(())
}

fn not_utf8(error: std::str::Utf8Error) -> Refused {
    Refused::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, error))
}

/// A path with its `.` and `..` components resolved as written, without asking the file
/// system (so without following links).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An I/O error in words: lowercase, without the OS error number.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            let text = match text.find(" (os error") {
                Some(i) => &text[..i],
                None => &text,
            };
            lowercase_first(text)
        }
    }
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Refused, read};
    use std::path::Path;

    #[test]
    fn only_regular_files_inside_the_root_up_to_the_limit() {
        let root =
            std::env::temp_dir().join(format!("cowork-policy-confined-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("in/sub")).unwrap();
        std::fs::write(root.join("in/a.toml"), "a = 1\n").unwrap();
        std::fs::write(root.join("out.toml"), "b = 2\n").unwrap();
        let inside = root.join("in");
        assert_eq!(read(&inside, Path::new("a.toml"), 100).unwrap(), "a = 1\n");
        assert_eq!(
            read(&inside, Path::new("sub/../a.toml"), 100).unwrap(),
            "a = 1\n"
        );
        assert!(matches!(
            read(&inside, Path::new("../out.toml"), 100),
            Err(Refused::Outside)
        ));
        assert!(matches!(
            read(&inside, &root.join("out.toml"), 100),
            Err(Refused::Outside)
        ));
        assert!(matches!(
            read(&inside, Path::new("sub"), 100),
            Err(Refused::NotRegular)
        ));
        assert!(matches!(
            read(&inside, Path::new("a.toml"), 3),
            Err(Refused::TooLarge { limit: 3 })
        ));
        assert!(matches!(
            read(Path::new("/dev"), Path::new("zero"), 100),
            Err(Refused::NotRegular)
        ));
        assert!(matches!(
            read(&inside, Path::new("../no-such-file.toml"), 100),
            Err(Refused::Outside)
        ));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
