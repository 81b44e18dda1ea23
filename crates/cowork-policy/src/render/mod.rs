//! Renderers: each turns a [`crate::Report`] into one output format. They change how findings
//! look, never which findings exist.
//!
//! - [`human`](fn@human): for a terminal, like rustc, with the source lines.
//! - [`concise`](fn@concise): one line per finding, for logs, editors and `grep`.
//! - [`json`](fn@json): the versioned JSON of `docs/json-format.md`, for tools.
//! - [`sarif`](fn@sarif): SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//! - [`github`](fn@github): GitHub Actions workflow commands, which annotate the pull request's diff.
//! - [`junit`](fn@junit): JUnit XML, for CI test reports (GitLab, Jenkins, Azure Pipelines).
//! - [`gitlab`](fn@gitlab): GitLab Code Quality JSON, for the merge request widget.
//! - [`markdown`](fn@markdown): a summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
//! - [`statistics`](fn@statistics): how many findings each rule has, one line per rule (`check --statistics`).
//!
//! [`import_yaml`] writes an identity provider's export as policy YAML (`cowork-policy import`).
//!
//! Effective access (`cowork-policy access`) has its own: [`access_human`], [`access_json`],
//! [`group_human`], [`group_json`] for one user or group, and [`access_csv`] and
//! [`access_table_json`], which stream the whole table.
//!
//! Each is a pure function of the report and small explicit options ([`CiOptions`]); each has a
//! `*_load_errors` sibling for a policy that did not load. `docs/output-formats.md` describes
//! every format.
//!
//! When the report holds only the new findings (`check --new-since REF`, `check --baseline
//! FILE`), [`Compared`] says what they were compared with: [`json_compared`] and
//! [`markdown_compared`] add it to their summaries, and [`Compared::summary`] is the text the
//! `full` and `concise` outputs end with.
//!
//! A diff of two policies ([`crate::diff`]) has [`diff_human`], [`diff_json`] and
//! [`diff_markdown`], each headed by [`diff_headline`].
//!
//! Two more draw a [`crate::diagram::Diagram`] rather than a report (`docs/graph.md`):
//!
//! - [`to_dot`]: Graphviz DOT.
//! - [`to_mermaid`]: a Mermaid flowchart, which GitHub draws in Markdown.
//!
//! ```
//! use cowork_policy::render::{self, CiOptions, HumanOptions};
//!
//! let policy = cowork_policy::load_sources([("p.yaml", "apiVersion: cowork-policy/v1
//! orgs:
//!   - {name: acme, plan: enterprise, seats: 1}
//! groups:
//!   - {name: staff, scim: true, members: [ana@acme.com, bo@acme.com]}
//! ")])?;
//! let report = cowork_policy::check(&policy);
//! let text = render::concise(&report, &CiOptions::default());
//! assert!(text.starts_with("p.yaml:3:43: error[SEAT001]: org `acme` would provision 2 users"));
//! let terminal = render::human(&report, &policy, &HumanOptions::new(false));
//! assert!(terminal.contains("SEAT001"));
//! let sarif: serde_json::Value = serde_json::from_str(&render::sarif(&report, &CiOptions::default(), 1)).unwrap();
//! assert_eq!(sarif["version"], "2.1.0");
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

mod access;
mod concise;
mod diff;
mod dot;
mod github;
mod gitlab;
mod human;
mod import;
mod json;
mod junit;
mod markdown;
mod mermaid;
mod sanitize;
mod sarif;
mod statistics;

pub use access::{
    ACCESS_CSV_HEADER, ACCESS_FORMAT_VERSION, access_csv, access_human, access_json,
    access_table_json, group_human, group_json,
};
pub use concise::{concise, concise_load_errors};
pub use diff::{
    DIFF_FORMAT_VERSION, MARKDOWN_ROWS, diff_headline, diff_human, diff_json, diff_markdown,
};
pub use dot::to_dot;
pub use github::{github, github_load_errors};
pub use gitlab::{gitlab, gitlab_load_errors};
pub use human::{HumanOptions, human, human_load_errors};
pub use import::{ImportOptions, import_yaml};
pub use json::{JSON_FORMAT_VERSION, json, json_compared, json_load_errors};
pub use junit::{junit, junit_load_errors};
pub use markdown::{markdown, markdown_compared, markdown_load_errors};
pub use mermaid::to_mermaid;
pub use sanitize::sanitize;
pub use sarif::{sarif, sarif_load_errors};
pub use statistics::{statistics, statistics_json};

use crate::baseline::BaselineEntry;
use crate::diagnostic::{Report, Severity, plural};
use crate::model::Location;

/// What the findings of a report were compared with, when the report holds only the new ones:
/// the summaries of [`json_compared`], [`markdown_compared`] and [`Compared::summary`] say it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compared {
    /// `check --new-since REF`: the report holds the findings introduced since a git revision
    /// ([`crate::baseline::compare`]'s `introduced`).
    Revision {
        /// The revision as the user named it, such as `origin/main`.
        revision: String,
        /// How many findings were introduced: the report's findings.
        introduced: usize,
        /// How many findings at the revision no longer occur.
        fixed: usize,
        /// How many findings occur at the revision and now.
        unchanged: usize,
        /// Whether the policy loaded at the revision. When it did not (or did not exist yet),
        /// every finding counts as introduced.
        loaded: bool,
    },
    /// `check --baseline FILE`: the report holds the findings the baseline does not list
    /// ([`crate::baseline::Baseline::filter`]).
    Baseline {
        /// The baseline file as the user named it.
        file: String,
        /// How many findings the baseline lists, so were left out of the report.
        hidden: usize,
        /// The baseline's entries that match no finding any more.
        stale: Vec<BaselineEntry>,
        /// Whether those entries were removed from the file (`--update-baseline`).
        pruned: bool,
    },
}

impl Compared {
    /// The lines the `full` and `concise` outputs end with, after their summary line:
    /// `2 introduced, 1 fixed, 14 unchanged since origin/main`; or how many findings a
    /// baseline hid, then a warning naming its stale entries. Each line ends with a newline.
    pub fn summary(&self) -> String {
        match self {
            Compared::Revision {
                revision,
                introduced,
                fixed,
                unchanged,
                loaded: true,
            } => format!(
                "{introduced} introduced, {fixed} fixed, {unchanged} unchanged since {}\n",
                sanitize(revision)
            ),
            Compared::Revision {
                revision,
                introduced,
                loaded: false,
                ..
            } => format!(
                "{introduced} introduced since {}, where the policy did not load: every finding counts as introduced\n",
                sanitize(revision)
            ),
            Compared::Baseline {
                file,
                hidden,
                stale,
                pruned,
            } => {
                let file = sanitize(file);
                let mut out = format!("{} in {file} not shown\n", plural(*hidden, "finding"));
                if !stale.is_empty() {
                    let (entries, verb, them) = match stale.len() {
                        1 => ("1 entry".to_string(), "occurs", "it"),
                        n => (format!("{n} entries"), "occur", "them"),
                    };
                    if *pruned {
                        out.push_str(&format!(
                            "removed {entries} that no longer {verb} from {file}:\n"
                        ));
                    } else {
                        out.push_str(&format!(
                            "warning: {entries} of {file} no longer {verb}: `--update-baseline` removes {them}\n"
                        ));
                    }
                    for entry in stale {
                        out.push_str(&format!("  {}\n", sanitize(&stale_entry(entry))));
                    }
                }
                out
            }
        }
    }
}

/// A stale baseline entry on one line: `IDP001 group/engineering in groups.yaml`.
fn stale_entry(entry: &BaselineEntry) -> String {
    let entity = if entry.entity.is_empty() {
        String::new()
    } else {
        format!(" {}", entry.entity)
    };
    format!("{}{entity} in {}", entry.code, entry.file)
}

/// Options of the formats read outside the policy directory: [`concise`](fn@concise), [`sarif`](fn@sarif),
/// [`github`](fn@github), [`junit`](fn@junit), [`gitlab`](fn@gitlab) and [`markdown`](fn@markdown).
///
/// Findings name their files relative to the policy root. CI systems want them relative to the
/// repository root, so these formats put [`CiOptions::path_prefix`] in front.
#[derive(Debug, Clone, Default)]
pub struct CiOptions {
    path_prefix: String,
    link_base: Option<String>,
    quiet: bool,
}

impl CiOptions {
    /// No prefix and no links: paths as the findings give them.
    pub fn new() -> CiOptions {
        CiOptions::default()
    }

    /// The policy directory relative to the repository root, such as `policies/acme`, with `/`
    /// separators. Empty (or `.`) when the policy is the repository root.
    pub fn path_prefix(mut self, prefix: &str) -> CiOptions {
        let prefix = prefix.replace('\\', "/");
        let mut prefix = prefix.as_str();
        while let Some(rest) = prefix.strip_prefix("./") {
            prefix = rest;
        }
        let prefix = prefix.trim_end_matches('/');
        self.path_prefix = if prefix == "." {
            String::new()
        } else {
            prefix.to_string()
        };
        self
    }

    /// For [`markdown`](fn@markdown): the URL that a path relative to the repository root is appended to, to
    /// link a finding to its line, such as `https://github.com/acme/policy/blob/<commit>`.
    /// Without it, locations are plain text.
    pub fn link_base(mut self, url: &str) -> CiOptions {
        let url = url.trim_end_matches('/');
        self.link_base = (!url.is_empty()).then(|| url.to_string());
        self
    }

    /// For [`concise`](fn@concise) and [`statistics`](fn@statistics): leave out the summary line, printing only the
    /// findings (`check --quiet`). The other formats are complete whatever it says.
    pub fn quiet(mut self, quiet: bool) -> CiOptions {
        self.quiet = quiet;
        self
    }

    /// A policy-relative file as a path relative to the repository root.
    pub(crate) fn repo_path(&self, file: &str) -> String {
        if self.path_prefix.is_empty() {
            file.to_string()
        } else {
            format!("{}/{file}", self.path_prefix)
        }
    }

    /// The link to a line of a policy-relative file, when there is a link base.
    pub(crate) fn line_link(&self, file: &str, line: u32) -> Option<String> {
        let base = self.link_base.as_deref()?;
        Some(format!(
            "{base}/{}#L{line}",
            uri_path(&self.repo_path(file))
        ))
    }
}

/// The web page of the repository, from `Cargo.toml`.
pub(crate) const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The documentation of a rule: its section of `docs/rules.md` on the repository's web page.
/// The anchor is the one GitHub derives from the heading `## IDP001: nested-idp-group`:
/// lowercased, the colon dropped, the space turned into a hyphen.
/// What every output says of a YAML file skipped as not policy.
pub(crate) const SKIPPED_NOTE: &str =
    "not policy (no `apiVersion: cowork-policy/...` line), so not checked";

pub(crate) fn rule_doc_url(code: &str, name: &str) -> String {
    format!(
        "{REPOSITORY}/blob/main/docs/rules.md#{}-{}",
        code.to_lowercase(),
        name
    )
}

/// A relative path as a URI reference: bytes other than unreserved characters and `/` are
/// percent-encoded, so `a b.yaml` becomes `a%20b.yaml` and a `:` cannot read as a scheme.
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `2 errors, 1 warning and 1 info`, leaving out severities with no finding; empty when there
/// is none.
pub(crate) fn severity_counts(report: &Report) -> String {
    let counts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .iter()
    .map(|&(severity, noun)| (report.count(severity), noun))
    .filter(|&(n, _)| n > 0)
    .map(|(n, noun)| plural(n, noun))
    .collect();
    match counts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `path:line:column`, with the path relative to the repository root.
pub(crate) fn position(options: &CiOptions, location: &Location) -> String {
    format!(
        "{}:{}:{}",
        options.repo_path(&location.file),
        location.line,
        location.column
    )
}

#[cfg(test)]
mod tests {
    use super::{CiOptions, uri_path};

    #[test]
    fn prefixes_normalise_to_a_plain_relative_path() {
        for (given, expected) in [
            ("", "a.yaml"),
            (".", "a.yaml"),
            ("./", "a.yaml"),
            ("./policies/acme/", "policies/acme/a.yaml"),
            ("policies\\acme", "policies/acme/a.yaml"),
        ] {
            let options = CiOptions::new().path_prefix(given);
            assert_eq!(options.repo_path("a.yaml"), expected, "{given:?}");
        }
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("policies/acme/a.yaml"), "policies/acme/a.yaml");
        assert_eq!(
            uri_path("my groups/a:b,c%.yaml"),
            "my%20groups/a%3Ab%2Cc%25.yaml"
        );
        assert_eq!(uri_path("équipe.yaml"), "%C3%A9quipe.yaml");
    }

    #[test]
    fn line_links_need_a_base() {
        let options = CiOptions::new().path_prefix("p");
        assert_eq!(options.line_link("a b.yaml", 3), None);
        let options = options.link_base("https://github.com/o/r/blob/abc/");
        assert_eq!(
            options.line_link("a b.yaml", 3).as_deref(),
            Some("https://github.com/o/r/blob/abc/p/a%20b.yaml#L3")
        );
    }
}
