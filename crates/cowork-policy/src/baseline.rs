//! Which findings are new: baselines and comparisons, for adopting the checker on a policy that
//! already has findings, and for pull requests.
//!
//! Two ways, both pure functions of reports (no files, no git):
//!
//! - a [`Baseline`] records the findings of a report as accepted for now. It is a small JSON
//!   file (`cowork-policy baseline` writes it), and [`Baseline::filter`] splits a later report
//!   into the findings it does not list and the entries that no longer occur;
//! - [`compare`] splits two reports of the same policy, before and after a change (`check
//!   --new-since REF`: the policy at a git revision and now), into introduced, fixed and
//!   unchanged findings.
//!
//! Both identify a finding by its **key**: the rule code, the file (relative to the policy root)
//! and the entity (`group/engineering`), the same three things the fingerprint of SARIF and
//! GitLab hashes, and never line numbers nor the message. Adding lines above a finding, or a user
//! to the group its message names, keeps it the same finding; moving the definition to another
//! file, or renaming the entity, makes it a new one. Several findings may share a key (two
//! unknown groups in one role): they are counted. With two in the baseline and three now, one is
//! new, and it is the last of them in report order, the one whose fingerprint ranks highest.
//!
//! Only the findings that count take part: waived findings ([`Report::waived`]) are neither
//! recorded in a baseline nor compared, so a finding waived since the earlier report counts as
//! fixed (it no longer fails).
//!
//! ```
//! use cowork_policy::baseline::{Baseline, compare};
//!
//! let before = cowork_policy::load_sources([("p.yaml", "apiVersion: cowork-policy/v1
//! orgs:
//!   - {name: acme, plan: enterprise, seats: 1}
//! groups:
//!   - {name: staff, scim: true, members: [ana@acme.com, bo@acme.com]}
//! ")])?;
//! let report = cowork_policy::check(&before);
//! assert_eq!(report.findings[0].code, "SEAT001");
//!
//! // Accept today's findings; a later report shows only what is new.
//! let baseline = Baseline::from_report(&report);
//! let (new, stale) = baseline.filter(&report);
//! assert!(new.is_empty() && stale.is_empty());
//!
//! // Or compare two reports: the same finding before and after is unchanged.
//! let comparison = compare(&report, &report);
//! assert!(comparison.introduced.is_empty());
//! assert_eq!(comparison.unchanged.len(), report.findings.len());
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostic::{Finding, Report};

/// The version of the baseline file format. Fields are only ever added within a version; a
/// file of another version is refused rather than misread.
const VERSION: u64 = 1;

/// The findings of a report, accepted for now: what `check --baseline FILE` does not report
/// again.
///
/// Write it with [`Baseline::from_report`] and [`Baseline::to_json`], read it back with
/// [`Baseline::from_json`]. Entries are sorted by file, code and entity, so rewriting a baseline
/// after lines move changes nothing, and a diff of the file shows what was accepted or fixed.
///
/// ```
/// let policy = cowork_policy::load_sources([(
///     "org.yaml",
///     "apiVersion: cowork-policy/v1
/// orgs:
///   - name: acme
///     seats: 1
/// groups:
///   - name: everyone
///     scim: true
///     members: [ana@acme.com, bo@acme.com]
/// ",
/// )])?;
/// let report = cowork_policy::check(&policy);
/// let baseline = cowork_policy::baseline::Baseline::from_report(&report);
/// let baseline = cowork_policy::baseline::Baseline::from_json(&baseline.to_json()).unwrap();
/// let (new, stale) = baseline.filter(&report);
/// assert!(new.is_empty() && stale.is_empty());
/// # Ok::<(), cowork_policy::LoadErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<BaselineEntry>,
}

/// One finding in a [`Baseline`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BaselineEntry {
    /// The rule's code, such as `IDP001`.
    pub code: String,
    /// The file, relative to the policy root, with `/` separators.
    pub file: String,
    /// The entity the finding is about, as `kind/name` (`group/engineering`); may be empty.
    pub entity: String,
    /// The finding's fingerprint when the baseline was written: the one SARIF and GitLab
    /// carry, so the entry can be found in their reports. Informational: matching uses the
    /// code, file and entity. Empty when the file leaves it out.
    pub fingerprint: String,
    /// The finding's message when the baseline was written, for people reading the file.
    /// Informational: it plays no part in matching. Empty when the file leaves it out.
    pub message: String,
}

/// Why a text is not a baseline this version can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BaselineError {
    message: String,
}

impl BaselineError {
    fn new(message: impl Into<String>) -> BaselineError {
        BaselineError {
            message: message.into(),
        }
    }
}

/// How the findings of two reports of the same policy relate: what [`compare`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Comparison {
    /// Findings of the later report that the earlier one does not have, in report order.
    pub introduced: Vec<Finding>,
    /// Findings of the earlier report that the later one no longer has (fixed, or waived
    /// since), in the earlier report's order and with its locations.
    pub fixed: Vec<Finding>,
    /// Findings of the later report that the earlier one had too, as they are now.
    pub unchanged: Vec<Finding>,
}

/// What identifies a finding across edits: code, file, entity.
type Key<'a> = (&'a str, &'a str, &'a str);

fn finding_key(finding: &Finding) -> Key<'_> {
    (finding.code, &finding.location.file, &finding.entity)
}

fn entry_key(entry: &BaselineEntry) -> Key<'_> {
    (&entry.code, &entry.file, &entry.entity)
}

/// How many of `items` have each key.
fn counts<'a, T>(items: &'a [T], key: fn(&T) -> Key<'_>) -> HashMap<Key<'a>, usize> {
    let mut counts = HashMap::new();
    for item in items {
        *counts.entry(key(item)).or_insert(0) += 1;
    }
    counts
}

/// For each of `items`, whether one of the `available` findings of its key is left to match
/// it. The first ones of each key match, the last ones do not: so with two of a key before and
/// three now, the third is the new one.
fn matched<'a, T>(
    items: &'a [T],
    key: fn(&T) -> Key<'_>,
    mut available: HashMap<Key<'a>, usize>,
) -> Vec<bool> {
    items
        .iter()
        .map(|item| match available.get_mut(&key(item)) {
            Some(left) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        })
        .collect()
}

/// Split two reports of the same policy, `before` and `after` a change, into the findings the
/// change introduced, fixed and left unchanged. Findings are matched by code, file and entity,
/// with counting (see the [module documentation](self)); their lines and messages may differ.
///
/// `check --new-since REF` fails on the introduced ones only. Compare with an empty report
/// ([`Report::default`]) to count every finding as introduced, as the command does when the
/// policy did not load at the revision.
pub fn compare(before: &Report, after: &Report) -> Comparison {
    let after_kept = matched(
        &after.findings,
        finding_key,
        counts(&before.findings, finding_key),
    );
    let before_kept = matched(
        &before.findings,
        finding_key,
        counts(&after.findings, finding_key),
    );
    let mut comparison = Comparison::default();
    for (finding, kept) in after.findings.iter().zip(after_kept) {
        if kept {
            comparison.unchanged.push(finding.clone());
        } else {
            comparison.introduced.push(finding.clone());
        }
    }
    comparison.fixed = before
        .findings
        .iter()
        .zip(before_kept)
        .filter(|(_, kept)| !kept)
        .map(|(finding, _)| finding.clone())
        .collect();
    comparison
}

impl Baseline {
    /// A baseline of every finding of a report that counts (waived findings are left out: a
    /// waiver already accepts them), with their fingerprints as SARIF and GitLab show them.
    pub fn from_report(report: &Report) -> Baseline {
        let all = report.every_finding();
        let prints = crate::fingerprint::fingerprints(&all);
        let mut entries: Vec<BaselineEntry> = all
            .iter()
            .zip(prints)
            .filter(|((_, waived), _)| waived.is_none())
            .map(|((finding, _), fingerprint)| BaselineEntry {
                code: finding.code.to_string(),
                file: finding.location.file.clone(),
                entity: finding.entity.clone(),
                fingerprint,
                message: finding.message.clone(),
            })
            .collect();
        // A stable sort: findings that share a key stay in report order, as their
        // fingerprints' ranks go.
        entries.sort_by(|a, b| {
            a.file
                .split('/')
                .cmp(b.file.split('/'))
                .then_with(|| (&a.code, &a.entity).cmp(&(&b.code, &b.entity)))
        });
        Baseline { entries }
    }

    /// The entries, in the file's order.
    pub fn entries(&self) -> &[BaselineEntry] {
        &self.entries
    }

    /// Split a report's findings into those the baseline does not list (the new ones, in report
    /// order), and the entries that match no finding any more (stale: fixed, or waived since).
    ///
    /// Matching is by code, file and entity, with counting (see the [module
    /// documentation](self)): lines and messages may have changed.
    pub fn filter(&self, report: &Report) -> (Vec<Finding>, Vec<BaselineEntry>) {
        let new = matched(
            &report.findings,
            finding_key,
            counts(&self.entries, entry_key),
        )
        .into_iter()
        .zip(&report.findings)
        .filter(|(kept, _)| !kept)
        .map(|(_, finding)| finding.clone())
        .collect();
        let stale = self
            .stale(report)
            .into_iter()
            .zip(&self.entries)
            .filter(|(stale, _)| *stale)
            .map(|(_, entry)| entry.clone())
            .collect();
        (new, stale)
    }

    /// Remove the entries that match no finding of the report any more, keeping the others as
    /// they are (it never adds an entry): what `check --baseline FILE --update-baseline`
    /// writes back. Returns how many were removed.
    pub fn prune(&mut self, report: &Report) -> usize {
        let stale = self.stale(report);
        let before = self.entries.len();
        let mut stale = stale.into_iter();
        self.entries.retain(|_| !stale.next().unwrap_or(false));
        before - self.entries.len()
    }

    /// For each entry, whether it matches no finding of the report.
    fn stale(&self, report: &Report) -> Vec<bool> {
        matched(
            &self.entries,
            entry_key,
            counts(&report.findings, finding_key),
        )
        .into_iter()
        .map(|kept| !kept)
        .collect()
    }

    /// The baseline as a JSON document: pretty-printed, ending with a newline.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct File<'a> {
            version: u64,
            tool: Tool,
            findings: Vec<Entry<'a>>,
        }
        #[derive(Serialize)]
        struct Tool {
            name: &'static str,
            version: &'static str,
        }
        #[derive(Serialize)]
        struct Entry<'a> {
            code: &'a str,
            file: &'a str,
            entity: &'a str,
            fingerprint: &'a str,
            message: &'a str,
        }
        let file = File {
            version: VERSION,
            tool: Tool {
                name: "cowork-policy",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: self
                .entries
                .iter()
                .map(|e| Entry {
                    code: &e.code,
                    file: &e.file,
                    entity: &e.entity,
                    fingerprint: &e.fingerprint,
                    message: &e.message,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Read a baseline written by [`Baseline::to_json`] (or by hand: `fingerprint` and
    /// `message` may be left out, and fields this version does not know are ignored).
    ///
    /// # Errors
    ///
    /// When the text is not JSON, is not a baseline, is of another format version, or has an
    /// entry without a `code`, `file` or `entity` string. The error says which.
    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| BaselineError::new(format!("not valid JSON: {e}")))?;
        let Some(object) = value.as_object() else {
            return Err(BaselineError::new(
                "not a cowork-policy baseline: expected a JSON object with `version` and `findings`",
            ));
        };
        match object.get("version") {
            None => {
                return Err(BaselineError::new(
                    "not a cowork-policy baseline: it has no `version`",
                ));
            }
            Some(version) if version.as_u64() == Some(VERSION) => {}
            Some(version) => {
                return Err(BaselineError::new(format!(
                    "baseline format version {version} is not one this cowork-policy reads (it reads version {VERSION}): write the baseline again with `cowork-policy baseline`"
                )));
            }
        }
        let Some(findings) = object.get("findings").and_then(|f| f.as_array()) else {
            return Err(BaselineError::new(
                "not a cowork-policy baseline: `findings` is missing or not a list",
            ));
        };
        let entries = findings
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let field = |name: &str, required: bool| -> Result<String, BaselineError> {
                    match entry.get(name) {
                        Some(serde_json::Value::String(s)) => Ok(s.clone()),
                        None if !required => Ok(String::new()),
                        _ => Err(BaselineError::new(format!(
                            "entry {} of `findings` has no `{name}` string",
                            i + 1
                        ))),
                    }
                };
                Ok(BaselineEntry {
                    code: field("code", true)?,
                    file: field("file", true)?,
                    entity: field("entity", true)?,
                    fingerprint: field("fingerprint", false)?,
                    message: field("message", false)?,
                })
            })
            .collect::<Result<Vec<_>, BaselineError>>()?;
        Ok(Baseline { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::{Baseline, BaselineEntry};

    fn entry(code: &str, entity: &str) -> BaselineEntry {
        BaselineEntry {
            code: code.into(),
            file: "a.yaml".into(),
            entity: entity.into(),
            fingerprint: String::new(),
            message: String::new(),
        }
    }

    #[test]
    fn an_empty_report_makes_every_entry_stale() {
        let mut baseline = Baseline {
            entries: vec![entry("IDP001", "group/a"), entry("IDP001", "group/a")],
        };
        let (new, stale) = baseline.filter(&crate::Report::default());
        assert!(new.is_empty());
        assert_eq!(stale.len(), 2);
        assert_eq!(baseline.prune(&crate::Report::default()), 2);
        assert!(baseline.entries().is_empty());
    }
}
