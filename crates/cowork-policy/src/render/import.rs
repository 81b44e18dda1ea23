//! An identity-provider export written as policy YAML (`cowork-policy import`), for small orgs
//! that prefer to commit their groups as YAML: the same groups, direct members and nested
//! groups the policy would see through `directoryExports:`, under a header that names the source
//! files and the day.
//!
//! Every value is a YAML scalar written plain only when it cannot be read as anything else
//! (`ana@acme.com`, `engineering`), else double-quoted with JSON's escapes, so no name can
//! start a new key, a comment or a document, and no control character reaches the file.
//! Comments (file names, what the export left unknown) go through [`sanitize`].

use std::borrow::Cow;
use std::fmt::Write as _;

use super::sanitize::sanitize;
use crate::import::{Export, Group};
use crate::model::Date;

/// What the YAML says beyond the export: the identity provider and org of its groups, which
/// groups are assigned to the Claude app, and the day of the import.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportOptions {
    /// The identity provider the groups live in (`idp:` on each group). Default: left out.
    pub idp: Option<String>,
    /// The org the groups belong to (`org:` on each group). Default: left out.
    pub org: Option<String>,
    /// The groups assigned to the Claude app, by name or id: `scim: true` on them and
    /// `scim: false` on the others. Empty: `scim` is left out (not recorded).
    pub assigned: Vec<String>,
    /// The day the header names. Default: left out.
    pub date: Option<Date>,
}

impl ImportOptions {
    /// With this identity provider on every group.
    pub fn idp(mut self, idp: impl Into<String>) -> ImportOptions {
        self.idp = Some(idp.into());
        self
    }

    /// With this org on every group.
    pub fn org(mut self, org: impl Into<String>) -> ImportOptions {
        self.org = Some(org.into());
        self
    }

    /// With these groups (names or ids) assigned to the Claude app.
    pub fn assigned<S: Into<String>>(
        mut self,
        groups: impl IntoIterator<Item = S>,
    ) -> ImportOptions {
        self.assigned = groups.into_iter().map(Into::into).collect();
        self
    }

    /// Naming this day in the header.
    pub fn date(mut self, date: Date) -> ImportOptions {
        self.date = Some(date);
        self
    }
}

/// `export`, read from `files`, as a policy document of `groups:`.
pub fn import_yaml(export: &Export, files: &[&str], options: &ImportOptions) -> String {
    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=");
    out.push_str(&crate::schema::published_url("policy.schema.json"));
    out.push('\n');
    let _ = write!(
        out,
        "# Imported by `cowork-policy import {}`",
        export.format.name()
    );
    if let Some(date) = options.date {
        let _ = write!(out, " on {date}");
    }
    out.push_str(" from:\n");
    for file in files {
        let _ = writeln!(out, "#   {}", one_line(file));
    }
    if !export.problems.is_empty() {
        out.push_str("# What the export leaves unknown (cowork-policy check reports it too):\n");
        for problem in &export.problems {
            let _ = writeln!(
                out,
                "#   {}:{}: {}",
                one_line(&problem.location.file),
                problem.location.line,
                one_line(&problem.to_string())
            );
        }
    }
    out.push_str("apiVersion: cowork-policy/v1\n");
    if export.groups.is_empty() {
        out.push_str("groups: []\n");
        return out;
    }
    out.push_str("groups:\n");
    for group in &export.groups {
        write_group(&mut out, export, group, options);
    }
    out
}

fn write_group(out: &mut String, export: &Export, group: &Group, options: &ImportOptions) {
    let _ = writeln!(out, "  - name: {}", scalar(&group.name));
    if let Some(org) = &options.org {
        let _ = writeln!(out, "    org: {}", scalar(org));
    }
    if let Some(idp) = &options.idp {
        let _ = writeln!(out, "    idp: {}", scalar(idp));
    }
    if !options.assigned.is_empty() {
        let assigned = options
            .assigned
            .iter()
            .any(|a| *a == group.name || *a == group.id);
        let _ = writeln!(out, "    scim: {assigned}");
    }
    let emails: Vec<&str> = group
        .users
        .iter()
        .filter_map(|u| u.email.as_deref())
        .collect();
    if emails.is_empty() {
        out.push_str("    members: []\n");
    } else {
        out.push_str("    members:\n");
        for email in emails {
            let _ = writeln!(out, "      - {}", scalar(email));
        }
    }
    let nested: Vec<&str> = group
        .groups
        .iter()
        .filter_map(|n| export.group(&n.id).map(|g| g.name.as_str()))
        .collect();
    if !nested.is_empty() {
        out.push_str("    memberGroups:\n");
        for name in nested {
            let _ = writeln!(out, "      - {}", scalar(name));
        }
    }
}

/// A comment's text on one line, control characters shown.
fn one_line(text: &str) -> Cow<'_, str> {
    sanitize(text)
}

/// `text` as a YAML scalar: plain when it is made only of letters, digits and `@._+-`, starts
/// with a letter or digit, and is not a word or number YAML would read as something else; else
/// double-quoted, with JSON's escapes (a JSON string is a YAML double-quoted scalar).
fn scalar(text: &str) -> Cow<'_, str> {
    let plain_chars = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '+' | '-'));
    let starts_well = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let lower = text.to_ascii_lowercase();
    let special = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
    );
    let numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_'));
    if plain_chars && starts_well && !special && !numeric {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::scalar;

    #[test]
    fn scalars_are_plain_only_when_nothing_else_can_be_read() {
        assert_eq!(scalar("ana@acme.com"), "ana@acme.com");
        assert_eq!(scalar("engineering-emea"), "engineering-emea");
        assert_eq!(scalar("Sales Team"), "\"Sales Team\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("1e3"), "\"1e3\"");
        assert_eq!(scalar("-x"), "\"-x\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("# not a comment"), "\"# not a comment\"");
        assert_eq!(scalar("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
