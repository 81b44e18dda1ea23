//! Findings: what a rule reports, where, and what to do about it.
//!
//! Rules build [`Finding`]s from spans; [`crate::check()`] turns spans into line-and-column
//! [`Location`]s once, at the end, and sorts the findings so every run prints the same thing.

use std::fmt;

use crate::model::Location;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a check.
    Info,
    /// Likely to hurt; fails a check run with `--deny warnings`.
    Warning,
    /// Will hurt; fails a check by default.
    Error,
}

impl Severity {
    /// The lowercase name used in output: `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place that tells the rest of a finding's story ("limit set here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What is there, as a short lowercase phrase.
    pub label: String,
}

/// One problem found in a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable code, such as `IDP001`.
    pub code: &'static str,
    /// The rule's kebab-case name, such as `nested-idp-group`.
    pub name: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, naming the concrete groups, users and amounts. Lowercase, no final period.
    pub message: String,
    /// Where the problem is.
    pub location: Location,
    /// A short label for the primary location.
    pub label: String,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// What to do about it.
    pub help: Option<String>,
    /// The entity the finding is about, as `kind/name` (`group/engineering`): the definition
    /// that encloses [`Finding::location`]. With the code and the file it identifies a finding
    /// across edits that move lines, for waivers, baselines and fingerprints. Empty when the
    /// location is outside every entity.
    pub entity: String,
}

/// Why a finding is accepted: a governed waiver, from the config or an inline comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// Why the finding is accepted. Always present: a waiver without a reason is refused.
    pub reason: String,
    /// The last day the waiver holds (`YYYY-MM-DD`), if it expires.
    pub until: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The ticket that tracks the fix.
    pub ticket: Option<String>,
    /// Where the waiver is written: the inline comment, or the entry in the config.
    pub location: Option<Location>,
    /// Whether it is an inline `# cowork-policy: allow` comment (else a config entry).
    pub inline: bool,
}

/// A finding that a waiver accepts. It does not count towards failing a check, but every
/// output still shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waived {
    /// The finding, as the rule reported it.
    pub finding: Finding,
    /// The waiver that accepts it.
    pub waiver: Waiver,
}

/// Which platform facts a check assumed: the base profile, the day its facts were last checked,
/// and the facts the policy's `platform:` section overrode. Every output names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformInfo {
    /// The base profile, such as `rollout-guide`. Empty in a report not made by a check.
    pub profile: String,
    /// The day its facts were last checked against their sources (`YYYY-MM-DD`).
    pub date: String,
    /// The `platform:` keys of the facts the policy overrides, such as `groupLimit`.
    pub overrides: Vec<String>,
    /// The day the policy says its overrides were last checked (`checkedOn`), if it says.
    pub overrides_checked_on: Option<String>,
}

impl PlatformInfo {
    /// One line for a summary: `platform profile rollout-guide (2026-11-24), overriding groupLimit`.
    pub fn summary(&self) -> String {
        let mut line = format!("platform profile {} ({})", self.profile, self.date);
        if !self.overrides.is_empty() {
            line.push_str(&format!(", overriding {}", self.overrides.join(", ")));
            match &self.overrides_checked_on {
                Some(day) => line.push_str(&format!(" (checked {day})")),
                None => line.push_str(" (checkedOn not recorded)"),
            }
        }
        line
    }
}

/// What [`crate::check()`] found, in a stable order: by file, line, column, then code.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The findings that count: not waived.
    pub findings: Vec<Finding>,
    /// Findings accepted by a waiver, in the same order.
    pub waived: Vec<Waived>,
    /// How many policy files were read.
    pub files: usize,
    /// YAML files under the policy root that are not policy, so were left alone.
    pub skipped_files: Vec<String>,
    /// The platform facts the check assumed.
    pub platform: PlatformInfo,
}

impl Report {
    /// Every finding of a report, waived ones included, in report order (by location, code,
    /// message), each with its waiver if it has one.
    pub(crate) fn every_finding(&self) -> Vec<(&Finding, Option<&Waived>)> {
        let mut all: Vec<(&Finding, Option<&Waived>)> = self
            .findings
            .iter()
            .map(|f| (f, None))
            .chain(self.waived.iter().map(|w| (&w.finding, Some(w))))
            .collect();
        all.sort_by(|(a, _), (b, _)| {
            (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message))
        });
        all
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether any finding is at or above `level`: what decides a failing exit code.
    pub fn fails_at(&self, level: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= level)
    }
}

/// Join names for a message: `` `a`, `b`, `c` and 4 more ``. Shows at most `few` of them.
pub(crate) fn list_names<S: AsRef<str>>(names: &[S], few: usize) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(few)
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    let rest = names.len().saturating_sub(few);
    match (shown.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (_, 0) => {
            let (last, head) = shown
                .split_last()
                .map_or((&shown[0], &[][..]), |(l, h)| (l, h));
            format!("{} and {last}", head.join(", "))
        }
        (_, rest) => format!("{} and {rest} more", shown.join(", ")),
    }
}

/// [`list_names`] when only the first few names are at hand: `` `a`, `b`, `c` and 4 more ``, where
/// `total` counts every name, shown or not.
pub(crate) fn list_first<S: AsRef<str>>(shown: &[S], total: usize) -> String {
    let rest = total.saturating_sub(shown.len());
    if rest == 0 || shown.is_empty() {
        return list_names(shown, shown.len());
    }
    let shown: Vec<String> = shown.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    format!("{} and {rest} more", shown.join(", "))
}

/// How many names [`loop_names`] shows before and after the `…` of a long loop.
const LOOP_HEAD: usize = 4;
const LOOP_TAIL: usize = 2;

/// A loop for a message, its first name repeated at the end: `` `a` → `b` → `c` → `a` ``. A long
/// one shows its first four names and its last two around `…`, then how long it is:
/// `` `a` → `b` → `c` → `d` → … → `y` → `a`, a loop of 25 groups `` (with `noun` = `group`).
pub(crate) fn loop_names<S: AsRef<str>>(names: &[S], noun: &str) -> String {
    let quoted = |n: &S| format!("`{}`", n.as_ref());
    if names.len() <= LOOP_HEAD + LOOP_TAIL + 1 {
        return names.iter().map(quoted).collect::<Vec<_>>().join(" → ");
    }
    let head: Vec<String> = names[..LOOP_HEAD].iter().map(quoted).collect();
    let tail: Vec<String> = names[names.len() - LOOP_TAIL..]
        .iter()
        .map(quoted)
        .collect();
    format!(
        "{} → … → {}, a loop of {}",
        head.join(" → "),
        tail.join(" → "),
        plural(names.len() - 1, noun)
    )
}

/// How many related locations a finding about a long chain or loop points at: the first few.
pub(crate) const RELATED_SHOWN: usize = 5;

/// `1 user`, `3 users`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::{list_names, plural};

    #[test]
    fn lists_a_few_then_counts() {
        assert_eq!(list_names(&["a"], 3), "`a`");
        assert_eq!(list_names(&["a", "b"], 3), "`a` and `b`");
        assert_eq!(list_names(&["a", "b", "c"], 3), "`a`, `b` and `c`");
        assert_eq!(
            list_names(&["a", "b", "c", "d", "e"], 3),
            "`a`, `b`, `c` and 2 more"
        );
        assert_eq!(plural(1, "user"), "1 user");
        assert_eq!(plural(2, "user"), "2 users");
    }
}
