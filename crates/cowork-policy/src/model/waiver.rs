//! Inline waivers as written in the policy files: `# cowork-policy: allow CODE reason="..."`
//! comments, read by `load` (the only code that knows the YAML text) and judged by the waiver
//! stage of `check`.

use super::{At, Span};

/// One `# cowork-policy: allow ...` comment. Nothing here is validated beyond its syntax: the
/// waiver stage decides whether the codes exist, the date is a date and the waiver applies.
#[derive(Debug)]
pub(crate) struct InlineWaiver {
    /// The comment, from `#` to the end of the line.
    pub span: Span,
    /// The line the waiver applies to, without its line break: the comment's own line, or for a
    /// comment alone on its line, the next line that is neither blank nor a comment.
    pub target: Span,
    /// The rule codes (or names) after `allow`, as written.
    pub codes: Vec<At<String>>,
    /// `reason="..."`.
    pub reason: Option<At<String>>,
    /// `until=YYYY-MM-DD`, not yet parsed: a malformed date is reported by the waiver stage.
    pub until: Option<At<String>>,
    /// `owner=...`.
    pub owner: Option<At<String>>,
    /// `ticket=...`.
    pub ticket: Option<At<String>>,
    /// Why the comment could not be read, and where. A malformed comment waives nothing.
    pub malformed: Option<At<String>>,
}
