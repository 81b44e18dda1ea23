use crate::desktop::settings::workspace_folders;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::security::{unsecured, unsecured_subject};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// Missing or toothless mount controls: a `security:` section without a `mountAllowlist`,
    /// or an entry of it that mounts a whole home folder or the root of a disk (`/`, `C:\`,
    /// `~`, `$HOME`, `%USERPROFILE%`, `/Users/ana`, `/home`, `C:\Users`, ...). With no
    /// `security:` section for an org at all, it fires once the rollout has reached the
    /// `security-controls` step (that step, or a later one that needs it, is in progress or
    /// done), at that step's status. An explicitly empty list lets users mount nothing: it is
    /// not flagged.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Harden your deployment by configuring network egress allowlists,
    /// mount controls, and desktop extension allowlists." Cowork reads and writes the folders
    /// users mount into it. A whole home folder holds SSH keys, cloud credentials, browser
    /// profiles and every other project; the root holds everyone's. Mount controls that allow
    /// either control nothing.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// security:
    ///   egressAllowlist: [api.acme.com]
    ///   mountAllowlist: ["~/"]
    ///   extensionAllowlist: []
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// security:
    ///   egressAllowlist: [api.acme.com]
    ///   mountAllowlist: [~/Documents/Cowork, ~/Projects]
    ///   extensionAllowlist: []
    /// ```
    pub(crate) static RULE = {
        code: "SEC002",
        name: "mount-controls-missing",
        area: Security,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for section in &policy.security {
        let orgs = orgs_phrase(policy, &orgs_of(policy, &policy.security, section));
        // The list the compiled profile writes as `allowedWorkspaceFolders`.
        let Some(list) = workspace_folders(section) else {
            out.push(
                Draft::new(
                    &RULE,
                    section.span,
                    format!("no mount controls for {orgs}: users may mount any folder into Cowork"),
                )
                .label("no `mountAllowlist`")
                .help("add `mountAllowlist:` with the folders users work in, such as `~/Documents/Cowork`"),
            );
            continue;
        };
        for entry in &list.value {
            let Some(mount) = Mount::of(&entry.value) else {
                continue;
            };
            out.push(
                Draft::new(
                    &RULE,
                    entry.span,
                    format!(
                        "mount allowlist for {orgs} lets users mount `{}`, {}",
                        entry.value,
                        mount.what()
                    ),
                )
                .label(mount.what())
                .help("allow the folders users work in, such as `~/Documents/Cowork`, not a whole home folder or disk"),
            );
        }
    }
    if let Some((orgs, span, label)) = unsecured(cx) {
        let subject = unsecured_subject(policy, &orgs);
        out.push(
            Draft::new(
                &RULE,
                span,
                format!(
                    "no mount controls for {}, which has no `security:` section, though the rollout has reached `security-controls`",
                    subject
                ),
            )
            .label(label)
            .help(format!(
                "add a `security:` section for {subject} with a `mountAllowlist` of the folders users may mount, such as `~/Documents/Cowork`"
            )),
        );
    }
}

/// A mount that gives away too much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mount {
    /// The root of a disk: `/`, `C:\`.
    Root,
    /// One user's whole home folder: `~`, `$HOME`, `/Users/ana`, `C:\Users\ana`.
    Home,
    /// The folder of every user's home: `/home`, `/Users`, `C:\Users`.
    AllHomes,
}

/// Ways of writing the current user's home folder, lowercased, as a path's first segment.
const HOME_VARIABLES: &[&str] = &[
    "~",
    "$home",
    "${home}",
    "$env:home",
    "%userprofile%",
    "${userprofile}",
    "$env:userprofile",
    "%homedrive%%homepath%",
    "%homepath%",
];

/// Folders directly under a home root that are not anyone's home.
const NOT_A_HOME: &[&str] = &["shared", "public", "default", "default user", "all users"];

impl Mount {
    /// Whether a mount path is a whole home folder, every home, or the root of a disk. Case,
    /// `\` or `/`, trailing separators and trailing `*` or `**` globs do not matter.
    fn of(path: &str) -> Option<Mount> {
        let lowered = path.trim().to_lowercase().replace('\\', "/");
        let mut segments: Vec<&str> = lowered.split('/').collect();
        // A trailing glob mounts the folder it is in; `.` is the folder itself.
        while segments.len() > 1 && matches!(segments.last(), Some(&("" | "*" | "**" | "."))) {
            segments.pop();
        }
        let first = *segments.first()?;
        let rest = &segments[1..];
        if HOME_VARIABLES.contains(&first) {
            return rest.is_empty().then_some(Mount::Home);
        }
        if first.starts_with('~') && rest.is_empty() {
            // `~ana`: another user's home.
            return Some(Mount::Home);
        }
        // The part after the root: `/x` splits into `["", "x"]`, `C:\x` into `["c:", "x"]`,
        // and `%SystemDrive%\x` into `["%systemdrive%", "x"]`.
        let is_drive = first.len() == 2
            && first.ends_with(':')
            && first.starts_with(|c: char| c.is_ascii_alphabetic());
        if !(first.is_empty() || is_drive || first == "%systemdrive%") {
            // A relative path, or a network share (`//server/share`).
            return None;
        }
        match rest {
            [] => Some(Mount::Root),
            ["home" | "users"] => Some(Mount::AllHomes),
            ["root"] if first.is_empty() => Some(Mount::Home),
            ["home" | "users", name] if !NOT_A_HOME.contains(name) && !name.is_empty() => {
                Some(Mount::Home)
            }
            _ => None,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Mount::Root => "the root of the disk",
            Mount::Home => "a whole home folder",
            Mount::AllHomes => "every user's home folder",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mount;

    #[test]
    fn flags_whole_homes_and_roots() {
        let cases = [
            ("/", Some(Mount::Root)),
            ("/*", Some(Mount::Root)),
            ("/**", Some(Mount::Root)),
            ("C:\\", Some(Mount::Root)),
            ("c:", Some(Mount::Root)),
            ("C:/", Some(Mount::Root)),
            ("D:\\*", Some(Mount::Root)),
            ("%SystemDrive%\\", Some(Mount::Root)),
            ("~", Some(Mount::Home)),
            ("~/", Some(Mount::Home)),
            ("~/*", Some(Mount::Home)),
            ("~/.", Some(Mount::Home)),
            (" ~/ ", Some(Mount::Home)),
            ("~ana", Some(Mount::Home)),
            ("$HOME", Some(Mount::Home)),
            ("${HOME}/", Some(Mount::Home)),
            ("%USERPROFILE%", Some(Mount::Home)),
            ("%UserProfile%\\", Some(Mount::Home)),
            ("$env:USERPROFILE", Some(Mount::Home)),
            ("%HOMEDRIVE%%HOMEPATH%", Some(Mount::Home)),
            ("/root", Some(Mount::Home)),
            ("/home", Some(Mount::AllHomes)),
            ("/home/*", Some(Mount::AllHomes)),
            ("/Users", Some(Mount::AllHomes)),
            ("/Users/", Some(Mount::AllHomes)),
            ("C:\\Users", Some(Mount::AllHomes)),
            ("C:\\Users\\**", Some(Mount::AllHomes)),
            ("/Users/ana", Some(Mount::Home)),
            ("/Users/ana/", Some(Mount::Home)),
            ("/home/ana.silva", Some(Mount::Home)),
            ("C:\\Users\\ana", Some(Mount::Home)),
            ("c:/users/ana/", Some(Mount::Home)),
            ("C:\\Users\\%USERNAME%", Some(Mount::Home)),
        ];
        for (path, expected) in cases {
            assert_eq!(Mount::of(path), expected, "{path}");
        }
    }

    #[test]
    fn leaves_project_folders_alone() {
        for path in [
            "~/Documents/Cowork",
            "~/Projects",
            "~/Projects/*",
            "$HOME/Documents",
            "%USERPROFILE%\\Documents",
            "/Users/ana/Documents",
            "/Users/Shared",
            "/Users/Shared/Cowork",
            "C:\\Users\\Public",
            "C:\\Users\\ana\\Documents",
            "C:\\Users\\%USERNAME%\\Documents\\Cowork",
            "/home/ana/projects",
            "/srv/data",
            "/rooted",
            "/homes",
            "D:\\Projects",
            "\\\\fileserver\\share",
            "projects",
        ] {
            assert_eq!(Mount::of(path), None, "{path}");
        }
    }
}
