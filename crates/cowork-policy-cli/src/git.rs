//! The policy as it was at a git revision, for `check --new-since REF` and `diff`, read with the `git`
//! command-line tool and written to a temporary folder.
//!
//! `git rev-parse` finds the repository and the commit, `git ls-tree` lists the files under the
//! policy path at that commit, and one `git cat-file --batch` reads them all. They are written
//! below a temporary folder that stands for the repository root, with the same layout, so file
//! paths relative to the policy root are the same on both sides. Only what the loader reads is
//! written: `.yaml` and `.yml` files, the identity-provider exports a policy may name
//! (`.json`, `.csv`), and the `.gitignore` and `.ignore` files it honours (those of the folders
//! above the policy too). The repository is only read, never changed (no
//! worktree, no checkout), and the folder is removed when the [`Snapshot`] is dropped.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The policy at a revision, in a temporary folder that is removed on drop.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The temporary folder, standing for the repository root.
    root: PathBuf,
    /// The repository root as reached from the checked path (absolute, symlinks not resolved,
    /// as the config's folder is), when it could be worked out that way.
    repo_root: Option<PathBuf>,
    /// The checked path, inside the snapshot.
    path: PathBuf,
    /// How many YAML files the revision has under the checked path.
    yaml_files: usize,
}

impl Snapshot {
    /// The checked path as of the revision: load this.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The repository root this snapshot stands for, and the folder standing for it, to
    /// relocate the config with.
    pub(crate) fn relocation(&self) -> Option<(&Path, &Path)> {
        self.repo_root
            .as_deref()
            .map(|from| (from, self.root.as_path()))
    }

    /// Whether the revision has any YAML file under the checked path.
    pub(crate) fn is_empty(&self) -> bool {
        self.yaml_files == 0
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Run `git -C dir args...`. An error is a sentence for the user.
///
/// Paths given to git are paths, never pathspecs: `GIT_LITERAL_PATHSPECS=1` (git's
/// `--literal-pathspecs`) turns off globbing and pathspec magic, so a folder called `:x`,
/// `:(exclude)x` or `x*` means that folder. The other global pathspec settings are removed from
/// the environment, since git refuses to combine them with literal pathspecs.
fn git(dir: &Path, args: &[&str]) -> Result<Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env_remove("GIT_GLOB_PATHSPECS")
        .env_remove("GIT_NOGLOB_PATHSPECS")
        .env_remove("GIT_ICASE_PATHSPECS")
        .stdin(Stdio::null())
        .output()
        .map_err(|error| spawn_error(&error))
}

fn spawn_error(error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        "comparing with a git revision runs the `git` command, which was not found: install git, or put it on PATH"
            .to_string()
    } else {
        format!("comparing with a git revision could not run the `git` command: {error}")
    }
}

/// The first line of git's standard error, for a message.
fn git_says(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Write the policy at `path` (a folder or a file, in a git working tree) as of `revision` to a
/// temporary folder. An error is a usage error, worded for the user: no git, not in a
/// repository, no such revision.
pub(crate) fn snapshot(path: &Path, revision: &str) -> Result<Snapshot, String> {
    let (dir, file_name) = if path.is_file() {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        (dir, path.file_name())
    } else {
        (path, None)
    };
    let prefix = git(dir, &["rev-parse", "--show-prefix"])?;
    if !prefix.status.success() {
        return Err(format!(
            "`{}` is not in a git repository, so `{revision}` cannot be read from it ({})",
            path.display(),
            git_says(&prefix)
        ));
    }
    let prefix = String::from_utf8_lossy(&prefix.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_string();
    if revision.is_empty() || revision.starts_with('-') {
        return Err(format!(
            "`{revision}` is not a git revision: name a branch, a tag or a commit"
        ));
    }
    let commit = git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )?;
    if !commit.status.success() {
        return Err(format!(
            "`{revision}` is not a commit of the git repository that holds `{}`: name a branch, a tag or a commit (a shallow clone in CI may need to fetch it first)",
            path.display()
        ));
    }
    let commit = String::from_utf8_lossy(&commit.stdout).trim().to_string();

    // The policy path relative to the repository root, and the folders above it.
    let prefix = prefix.trim_end_matches('/');
    let mut target = prefix.to_string();
    if let Some(name) = file_name {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str(&name.to_string_lossy());
    }
    let mut pathspecs: Vec<String> = Vec::new();
    if !target.is_empty() {
        pathspecs.push(target.clone());
        if file_name.is_none() {
            // The ignore files of the folders above the policy folder, which the loader
            // honours too. (A single file is read whatever they say.)
            let folders: Vec<&str> = prefix.split('/').collect();
            for depth in 0..folders.len() {
                let above: String = folders[..depth].iter().map(|f| format!("{f}/")).collect();
                pathspecs.push(format!("{above}.gitignore"));
                pathspecs.push(format!("{above}.ignore"));
            }
        }
    }
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit.as_str(), "--"];
    args.extend(pathspecs.iter().map(String::as_str));
    let listing = git(dir, &args)?;
    if !listing.status.success() {
        return Err(format!(
            "`git ls-tree` failed on `{revision}`: {}",
            git_says(&listing)
        ));
    }
    let blobs = blobs(&listing.stdout);

    let root = temp_dir().map_err(|e| format!("could not make a temporary folder: {e}"))?;
    let mut snapshot = Snapshot {
        path: if target.is_empty() {
            root.clone()
        } else {
            root.join(&target)
        },
        repo_root: repo_root(dir, prefix),
        root,
        yaml_files: 0,
    };
    let contents = cat_files(dir, &blobs)?;
    for ((_, relative), content) in blobs.iter().zip(contents) {
        let file = snapshot.root.join(relative);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                format!("could not write the policy at `{revision}` to a temporary folder: {e}")
            })?;
        }
        std::fs::write(&file, content).map_err(|e| {
            format!("could not write the policy at `{revision}` to a temporary folder: {e}")
        })?;
        if is_yaml(relative) {
            snapshot.yaml_files += 1;
        }
    }
    if !snapshot.path.exists() && !target.is_empty() && file_name.is_none() {
        // The folder did not exist at the revision: the load will say there is no policy.
        let _ = std::fs::create_dir_all(&snapshot.path);
    }
    Ok(snapshot)
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// An identity-provider export, which `directoryExports:` may name.
fn is_export(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".json") || lower.ends_with(".csv")
}

/// The blobs of an `ls-tree -r -z` listing that the loader reads, as (object id, path): YAML,
/// exports and ignore files, not symlinks, with plain relative paths.
fn blobs(listing: &[u8]) -> Vec<(String, String)> {
    listing
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let entry = std::str::from_utf8(entry).ok()?;
            let (meta, path) = entry.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (mode, kind, id) = (meta.next()?, meta.next()?, meta.next()?);
            let name = path.rsplit('/').next().unwrap_or(path);
            let wanted =
                is_yaml(path) || is_export(path) || name == ".gitignore" || name == ".ignore";
            let plain = Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
            (kind == "blob" && mode != "120000" && wanted && plain)
                .then(|| (id.to_string(), path.to_string()))
        })
        .collect()
}

/// The contents of blobs, in order, from one `git cat-file --batch`.
fn cat_files(dir: &Path, blobs: &[(String, String)]) -> Result<Vec<Vec<u8>>, String> {
    if blobs.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| spawn_error(&error))?;
    let input: String = blobs.iter().map(|(id, _)| format!("{id}\n")).collect();
    let stdin = child.stdin.take();
    // Written from another thread: git writes its answers while it reads the questions, and
    // both pipes have a limited size.
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(input.as_bytes());
        }
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("`git cat-file` failed: {e}"))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(format!("`git cat-file` failed: {}", git_says(&output)));
    }
    let mut rest = output.stdout.as_slice();
    let mut contents = Vec::with_capacity(blobs.len());
    for (id, path) in blobs {
        let unreadable = || format!("`git cat-file` did not return `{path}` ({id})");
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(unreadable)?;
        let header = std::str::from_utf8(&rest[..end]).map_err(|_| unreadable())?;
        let size: usize = match header.split(' ').collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size.parse().map_err(|_| unreadable())?,
            _ => return Err(unreadable()),
        };
        let body = rest.get(end + 1..end + 1 + size).ok_or_else(unreadable)?;
        contents.push(body.to_vec());
        // The content is followed by a newline.
        rest = rest.get(end + 2 + size..).unwrap_or_default();
    }
    Ok(contents)
}

/// The repository root as reached from `dir`: `dir`, made absolute without resolving symlinks,
/// less one folder per component of `prefix` (its path below the root). `None` when `dir` does
/// not end in those folders (it ends in `..`, or a symlink is on the way).
fn repo_root(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut root = std::path::absolute(dir).ok()?;
    for folder in prefix.split('/').filter(|p| !p.is_empty()).rev() {
        if root.file_name()? != folder {
            return None;
        }
        root.pop();
    }
    Some(root)
}

/// A new, empty folder in the system's temporary folder.
fn temp_dir() -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let base = std::env::temp_dir();
    let mut attempt = 0u32;
    loop {
        let dir = base.join(format!(
            "cowork-policy-{}-{nanos:x}-{attempt}",
            std::process::id()
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::blobs;

    #[test]
    fn listings_keep_yaml_exports_and_ignore_files_only() {
        let listing = b"100644 blob aa\tp/a.yaml\0\
120000 blob bb\tp/link.yaml\0\
160000 commit cc\tp/sub\0\
100644 blob dd\tp/README.md\0\
100644 blob ee\t.gitignore\0\
100644 blob ff\tp/../escape.yaml\0\
100755 blob 11\tp/b c.yml\0\
100644 blob 22\tp/exports/members-g1.json\0\
100644 blob 33\tp/exports/gam.CSV\0";
        assert_eq!(
            blobs(listing),
            [
                ("aa".to_string(), "p/a.yaml".to_string()),
                ("ee".to_string(), ".gitignore".to_string()),
                ("11".to_string(), "p/b c.yml".to_string()),
                ("22".to_string(), "p/exports/members-g1.json".to_string()),
                ("33".to_string(), "p/exports/gam.CSV".to_string()),
            ]
        );
    }
}
