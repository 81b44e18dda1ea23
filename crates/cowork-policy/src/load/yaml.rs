//! From serde-saphyr's errors to [`LoadError`]s an admin can act on: the place (the offending
//! key or value, not the start of its mapping), what was expected and what was found, in words
//! of the policy format rather than of YAML parsers or Rust types.

use serde_saphyr::Error as YamlError;
use serde_saphyr::budget::BudgetBreach;

use super::raw::API_VERSION;
use super::{
    MAX_ALIASES, MAX_ANCHORS, MAX_DEPTH, MAX_DOCUMENTS, MAX_NODES, MAX_REPLAYED, MAX_TOTAL_BYTES,
};
use crate::error::LoadError;
use crate::model::Location;
use crate::suggest::did_you_mean;

/// Turn a serde-saphyr error into a [`LoadError`] for the file `path` holding `text`.
pub(super) fn yaml_error(path: &str, text: &str, error: &YamlError) -> LoadError {
    let mut error = error.without_snippet();
    // An error inside a value reached through an alias: point at the alias, say where the
    // value is defined.
    let mut used_at = None;
    let mut defined_at = None;
    while let YamlError::AliasError {
        error: inner,
        locations,
        ..
    } = error
    {
        if used_at.is_none() {
            used_at = known(locations.reference_location);
        }
        defined_at = known(locations.defined_location).or(defined_at);
        error = inner.without_snippet();
    }
    let value_at = error
        .location()
        .and_then(known)
        .map_or(0, |l| offset(text, l));
    let at = used_at.map_or(value_at, |l| offset(text, l));
    let found = || describe(text, value_at);
    let mut location = location_at(path, text, key_of_empty_value(text, at));

    let (mut message, mut help, syntax) = explain(error, text, value_at, &found);
    // A bracket left open swallows the lines after it, and the parser gives up somewhere
    // below: blame the bracket.
    let parser_gave_up = matches!(
        error,
        YamlError::ExternalMessage { .. } | YamlError::Eof { .. }
    );
    if parser_gave_up
        && !message.starts_with("unclosed `")
        && !message.starts_with("nesting deeper")
        && let Some(open) = unclosed_flow(text, at)
    {
        let bracket = &text[open..=open];
        let close = if bracket == "[" { "]" } else { "}" };
        help = Some(format!(
            "YAML read on to line {}, column {} looking for the `{close}`, and gave up there",
            location.line, location.column
        ));
        message = format!("unclosed `{bracket}`: expected a matching `{close}`");
        location = location_at(path, text, open);
    }
    if let Some(defined) = defined_at.map(|l| offset(text, l))
        && defined != at
        && help.is_none()
    {
        let d = location_at(path, text, defined);
        help = Some(format!(
            "the alias stands for the value defined at line {}, column {}",
            d.line, d.column
        ));
    }
    let message = tidy(&message);
    if syntax {
        LoadError::Syntax {
            location,
            message,
            help,
        }
    } else {
        LoadError::Invalid {
            location,
            message,
            help,
        }
    }
}

/// Whether the error is a budget breach: the file expands to more than the loader reads.
pub(super) fn over_budget(error: &YamlError) -> bool {
    let mut error = error.without_snippet();
    while let YamlError::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    matches!(
        error,
        YamlError::Budget { .. }
            | YamlError::AliasReplayLimitExceeded { .. }
            | YamlError::AliasExpansionLimitExceeded { .. }
            | YamlError::AliasReplayStackDepthExceeded { .. }
            | YamlError::AliasReplayCounterOverflow { .. }
    )
}

/// The message, the help, and whether the error is about YAML itself (or a budget) rather than
/// the policy format.
fn explain(
    error: &YamlError,
    text: &str,
    value_at: usize,
    found: &dyn Fn() -> String,
) -> (String, Option<String>, bool) {
    match error {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let place = field_owner(expected).map_or(String::new(), |o| format!(" in {o}"));
            let help = match did_you_mean(field, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("expected one of {}", or_list(expected)),
            };
            (format!("unknown field `{field}`{place}"), Some(help), false)
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let noun = keyword_noun(expected);
            let help = did_you_mean(variant, expected.iter().copied())
                .map(|n| format!("did you mean `{n}`?"));
            (
                format!("unknown {noun} `{variant}`: expected {}", or_list(expected)),
                help,
                false,
            )
        }
        YamlError::SerdeMissingField { field, .. } => {
            let help = match *field {
                "apiVersion" => {
                    format!("every document starts with `apiVersion: {API_VERSION}`")
                }
                "name" => "every org, identity provider, group, role, spend limit and step has a `name`".into(),
                "amount" => {
                    "a spend limit needs an `amount`: a number such as `150` or `19.99`, or `unlimited`".into()
                }
                _ => format!("add `{field}:`"),
            };
            (format!("missing field `{field}`"), Some(help), false)
        }
        YamlError::Unexpected { expected, .. } => {
            let (what, help) = match *expected {
                "sequence start" => (
                    "a list",
                    Some("write a list as `[a, b]`, or as one `- item` per line"),
                ),
                "mapping start" => ("a mapping of `key: value` fields", None),
                "string scalar" | "scalar" | "plain scalar" => ("a single value", None),
                other => (other, None),
            };
            let what = if *expected == "string scalar" {
                "a string"
            } else {
                what
            };
            let found = found();
            let help = match help {
                Some(help) if found == "nothing" => Some(format!("{help}; `[]` for none")),
                Some(help) => Some(help.to_string()),
                None if *expected == "mapping start" && found.starts_with('`') => {
                    Some("write fields as `key: value`, with a space after the `:`".to_string())
                }
                None => None,
            };
            (format!("expected {what}, found {found}"), help, false)
        }
        YamlError::InvalidScalar { ty, .. } => {
            let found = found();
            let message = match expected_scalar(ty) {
                Number::Whole if found.trim_matches('`').chars().all(|c| c.is_ascii_digit()) => {
                    format!(
                        "{found} is too large: expected a whole number up to {}",
                        u64::MAX
                    )
                }
                Number::Whole => format!("expected a whole number, 0 or more, found {found}"),
                Number::Signed => format!("expected a whole number, found {found}"),
                Number::Float => format!("expected a number, found {found}"),
                Number::Bool => format!("expected `true` or `false`, found {found}"),
                Number::Other => format!("expected a single value, found {found}"),
            };
            (message, None, false)
        }
        YamlError::InvalidBooleanStrict { .. } => {
            let found = found();
            let word = found.trim_matches('`').to_ascii_lowercase();
            let help = ["yes", "no", "y", "n", "on", "off"]
                .contains(&word.as_str())
                .then(|| {
                    "YAML 1.1 words such as `yes`, `no`, `on` and `off` are not booleans here: write `true` or `false`".to_string()
                });
            (
                format!("expected `true` or `false`, found {found}"),
                help,
                false,
            )
        }
        YamlError::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
        | YamlError::UnexpectedValueForUnitEnumVariant { .. } => (
            format!("expected one keyword, found {}", found()),
            None,
            false,
        ),
        YamlError::NullIntoString { .. } => (
            "expected a string, found nothing".into(),
            Some("write a value after the `:`, or leave the key out".into()),
            false,
        ),
        YamlError::SerdeInvalidType { expected, .. }
        | YamlError::SerdeInvalidValue { expected, .. } => (
            format!("expected {}, found {}", plain_expected(expected), found()),
            None,
            false,
        ),
        YamlError::SerdeInvalidLength { expected, len, .. } => (
            format!(
                "expected {}, found {}",
                plain_expected(expected),
                crate::diagnostic::plural(*len, "item")
            ),
            None,
            false,
        ),
        YamlError::Message { msg, .. } => (msg.clone(), None, false),
        YamlError::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".into(),
            },
            Some("a key appears once per mapping: merge the two or remove one".into()),
            false,
        ),
        YamlError::Eof { .. } => ("unexpected end of file".into(), None, true),
        YamlError::UnknownAnchor { .. } => (
            format!("alias {} names no anchor", found()),
            Some(
                "define the value with `&name` before using it as `*name`, in the same document"
                    .into(),
            ),
            true,
        ),
        YamlError::Budget { breach, .. } => {
            let (message, help) = budget(breach);
            (message, Some(help.into()), true)
        }
        YamlError::AliasReplayLimitExceeded {
            max_total_replayed_events,
            ..
        } => (
            format!(
                "over budget: aliases expand to more than {} values",
                thousands(*max_total_replayed_events)
            ),
            Some(ALIAS_HELP.into()),
            true,
        ),
        YamlError::AliasExpansionLimitExceeded {
            max_expansions_per_anchor,
            ..
        } => (
            format!(
                "over budget: an anchor is used more than {} times",
                thousands(*max_expansions_per_anchor)
            ),
            Some(ALIAS_HELP.into()),
            true,
        ),
        YamlError::AliasReplayStackDepthExceeded { max_depth, .. } => (
            format!("over budget: aliases nest more than {max_depth} levels deep"),
            Some(ALIAS_HELP.into()),
            true,
        ),
        YamlError::AliasReplayCounterOverflow { .. } => (
            "over budget: aliases expand too far".into(),
            Some(ALIAS_HELP.into()),
            true,
        ),
        YamlError::ExternalMessage { msg, .. } => {
            let (message, help) = parser_message(msg, text, value_at);
            (message, help, true)
        }
        other => {
            use serde_saphyr::MessageFormatter;
            let message = serde_saphyr::UserMessageFormatter
                .format_message(other)
                .into_owned();
            (message, None, true)
        }
    }
}

const ALIAS_HELP: &str = "anchors and aliases (`&name`, `*name`) that nest multiply what they expand to: write the values out";

/// A budget breach in words.
fn budget(breach: &BudgetBreach) -> (String, &'static str) {
    const SPLIT: &str = "split the policy over several files: a folder may hold any number";
    const DEPTH: &str =
        "a policy needs six levels of nesting at most: look for unclosed or runaway brackets";
    match breach {
        BudgetBreach::Depth { .. } => (format!("nesting deeper than {MAX_DEPTH} levels"), DEPTH),
        BudgetBreach::Aliases { .. } => (
            format!(
                "over budget: more than {} aliases (`*name`)",
                thousands(MAX_ALIASES)
            ),
            ALIAS_HELP,
        ),
        BudgetBreach::Anchors { .. } => (
            format!(
                "over budget: more than {} anchors (`&name`)",
                thousands(MAX_ANCHORS)
            ),
            ALIAS_HELP,
        ),
        BudgetBreach::Documents { .. } => (
            format!(
                "over budget: more than {} documents in one file",
                thousands(MAX_DOCUMENTS)
            ),
            SPLIT,
        ),
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => (
            format!(
                "over budget: more than {} values in one file, counting what aliases expand to",
                thousands(MAX_NODES)
            ),
            SPLIT,
        ),
        BudgetBreach::ScalarBytes { .. } => (
            format!(
                "over budget: more than {} MiB of text in one file, counting what aliases expand to",
                MAX_TOTAL_BYTES / (1024 * 1024)
            ),
            ALIAS_HELP,
        ),
        BudgetBreach::RecordedAnchorEvents { .. } => (
            format!(
                "over budget: anchors hold more than {} values once the aliases in them expand",
                thousands(MAX_REPLAYED)
            ),
            ALIAS_HELP,
        ),
        BudgetBreach::RecordedAnchorBytes { .. } | BudgetBreach::AliasAnchorRatio { .. } => (
            "over budget: aliases expand too far".to_string(),
            ALIAS_HELP,
        ),
        _ => (
            "over budget: the file is too large or too complex to load".to_string(),
            SPLIT,
        ),
    }
}

/// A YAML parser error in words, with a hint for the usual causes.
fn parser_message(msg: &str, text: &str, at: usize) -> (String, Option<String>) {
    let lower = msg.to_ascii_lowercase();
    let at = floor_boundary(text, at.min(text.len()));
    let here = text[at..].chars().next();
    // Whether the offending token starts its line (after indentation and `- `).
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let starts_line = text[line_start..at]
        .chars()
        .all(|c| c == ' ' || c == '-' || c == '\t');
    let indent = "indent the keys of one mapping by the same number of spaces, and start each list item with `- `";
    let quote = "quote the value: `\"...\"`";
    let some = |s: &str| Some(s.to_string());
    let (message, help) = if let Some(c) = here.filter(|&c| is_forbidden_control(c)) {
        // Wherever it stands, in a value, a quoted string or a comment: say what it is.
        (
            format!(
                "{CONTROL_CHARACTER} U+{:04X} in the text: YAML does not allow it",
                c as u32
            ),
            some(
                "remove it: a control character often comes from a binary tool or a copy from a terminal",
            ),
        )
    } else if lower.contains("unclosed bracket") {
        let open = if msg.contains('{') { '{' } else { '[' };
        let close = if open == '{' { '}' } else { ']' };
        (
            format!("unclosed `{open}`: expected a matching `{close}`"),
            None,
        )
    } else if lower.contains("mismatched bracket") {
        let open = if msg.contains('{') { '{' } else { '[' };
        let close = if open == '{' { '}' } else { ']' };
        let got = if close == '}' { ']' } else { '}' };
        (
            format!("`{open}` closed by `{got}`: expected `{close}`"),
            None,
        )
    } else if lower.contains("misplaced bracket") {
        let what = here.map_or(String::new(), |c| format!(" `{c}`"));
        (format!("closing bracket{what} with no opening one"), None)
    } else if lower.contains("expected ',' or ']'") {
        ("expected `,` or `]` in this `[...]` list".into(), None)
    } else if lower.contains("expected ',' or '}'") {
        ("expected `,` or `}` in this `{...}` mapping".into(), None)
    } else if (lower.contains("did not find expected key")
        || lower.contains("expected node content"))
        && !starts_line
    {
        (
            format!(
                "unexpected {} after a value: expected the end of the line",
                describe(text, at)
            ),
            some(
                "put each `key: value` on its own line; quote a value that has spaces and punctuation in it",
            ),
        )
    } else if lower.contains("did not find expected '-' indicator")
        || lower.contains("did not find expected key")
        || lower.contains("invalid indentation")
    {
        (
            "bad indentation: this line does not line up with the lines above it".into(),
            some(indent),
        )
    } else if lower.contains("mapping values are not allowed")
        || lower.contains("mapping keys are not allowed")
    {
        (
            "unexpected `:`: a key indented deeper than the keys above it, or a value with `: ` in it".into(),
            Some(format!("{indent}; quote a value that contains `: `")),
        )
    } else if lower.contains("illegal placement of ':'") || lower.contains("':' may not precede") {
        (
            "unexpected `:` here".into(),
            some("quote a value that contains `:`, and write fields as `key: value`"),
        )
    } else if lower.contains("block sequence entries are not allowed") {
        (
            "a `- ` list item cannot start here".into(),
            some("start the list on the lines below its key, or write it as `[a, b]`"),
        )
    } else if lower.contains("'-' must be followed") {
        (
            "expected a space after `-`".into(),
            some("write list items as `- item`"),
        )
    } else if lower.contains("tab") {
        (
            "tab in indentation: YAML indents with spaces only".into(),
            some("replace the tabs at the start of the line with spaces"),
        )
    } else if lower.contains("recursion limit") {
        (
            format!("nesting deeper than {MAX_DEPTH} levels"),
            some(
                "a policy needs six levels of nesting at most: look for unclosed or runaway brackets",
            ),
        )
    } else if lower.contains("unknown anchor") {
        (
            "alias names no anchor".into(),
            some("define the value with `&name` before using it as `*name`, in the same document"),
        )
    } else if lower.contains("unclosed quote")
        || lower.contains("quoted scalar") && lower.contains("end of")
    {
        let q = if here == Some('\'') { '\'' } else { '"' };
        (format!("unclosed quote: expected a closing `{q}`"), None)
    } else if lower.contains("trailing content after") {
        (
            "unexpected text after a quoted value".into(),
            some("quote the whole value, or put the rest on its own line"),
        )
    } else if lower.contains("unexpected character") || lower.contains("cannot start any token") {
        let what = here.map_or(String::new(), |c| format!(" with `{c}`"));
        (format!("a plain value cannot start{what}"), some(quote))
    } else if lower.starts_with("unexpected eof") || lower.contains("unexpected end") {
        ("unexpected end of file".into(), None)
    } else if lower.contains("simple key expected") || lower.contains("could not find expected ':'")
    {
        (
            "expected `:` after a key".into(),
            some("write fields as `key: value`"),
        )
    } else {
        (msg.replace('\'', "`"), None)
    };
    (message, help)
}

/// How a message about a control character starts.
pub(super) const CONTROL_CHARACTER: &str = "control character";

/// A character YAML does not allow in a file: C0 controls other than tab and line breaks, DEL,
/// and C1 controls other than NEL.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}')
}

/// A readable sentence fragment: lowercase first, no final period, on one line.
fn tidy(message: &str) -> String {
    let one_line: String = message
        .split(['\n', '\r'])
        .map(|l| l.trim().trim_end_matches('.'))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let trimmed = one_line.as_str();
    let mut chars = trimmed.chars();
    match chars.next() {
        // Keep an acronym (`YAML`, `SSO`) as written.
        Some(first) if chars.next().is_some_and(|c| c.is_lowercase()) => first
            .to_lowercase()
            .chain(trimmed.chars().skip(1))
            .collect(),
        _ => trimmed.to_string(),
    }
}

/// Which entity a list of expected fields belongs to.
fn field_owner(expected: &[&str]) -> Option<&'static str> {
    let has = |f: &str| expected.contains(&f);
    Some(if has("apiVersion") {
        "a document"
    } else if has("plan") {
        "an org"
    } else if has("protocol") {
        "an identity provider"
    } else if has("memberGroups") {
        "a group"
    } else if has("entitlements") {
        "a role"
    } else if has("amount") {
        "a spend limit"
    } else if has("after") {
        "a step"
    } else {
        return None;
    })
}

/// What kind of keyword a list of expected values is.
fn keyword_noun(expected: &[&str]) -> &'static str {
    match expected.first().copied() {
        Some("free") => "plan",
        Some("single") => "architecture",
        Some("seats") => "billing",
        Some("off") => "RBAC state",
        Some("planned") => "SSO state",
        Some("okta") => "identity provider kind",
        Some("saml") => "protocol",
        Some("cowork") => "entitlement",
        Some("pending") => "step status",
        _ => "value",
    }
}

/// `` `a`, `b` or `c` ``.
fn or_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => "nothing".into(),
        Some((last, [])) => last.clone(),
        Some((last, head)) => format!("{} or {last}", head.join(", ")),
    }
}

enum Number {
    Whole,
    Signed,
    Float,
    Bool,
    Other,
}

fn expected_scalar(ty: &str) -> Number {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Number::Whole,
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => Number::Signed,
        "f32" | "f64" => Number::Float,
        "bool" | "boolean" => Number::Bool,
        _ => Number::Other,
    }
}

/// Serde's "expected" in the words of the format: never a Rust type name.
fn plain_expected(expected: &str) -> String {
    let e = expected.trim();
    if e.starts_with("struct ") || e.starts_with("enum ") || e == "a map" || e == "map" {
        return "a mapping of `key: value` fields".into();
    }
    if e.contains("sequence") {
        return "a list".into();
    }
    match e {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" | "bool" => "`true` or `false`".into(),
        "a string" | "string" => "a string".into(),
        _ if e.contains("::") || e.starts_with("Raw") => "a different kind of value".into(),
        _ => e.to_string(),
    }
}

/// The location of a parser position, or `None` when the parser did not know it.
fn known(location: serde_saphyr::Location) -> Option<serde_saphyr::Location> {
    (location != serde_saphyr::Location::UNKNOWN && location.line() > 0).then_some(location)
}

/// The byte offset of a parser location in `text`.
fn offset(text: &str, location: serde_saphyr::Location) -> usize {
    if let Some(offset) = location.span().byte_offset()
        && let Ok(offset) = usize::try_from(offset)
        && text.is_char_boundary(offset)
    {
        return offset;
    }
    let line = usize::try_from(location.line()).unwrap_or(1).max(1);
    let column = usize::try_from(location.column()).unwrap_or(1).max(1);
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start
        + rest
            .char_indices()
            .take_while(|&(_, c)| c != '\n')
            .nth(column - 1)
            .map_or_else(|| rest.find('\n').unwrap_or(rest.len()), |(i, _)| i)
}

/// The location of the token (key, value, bracket) that starts at byte `start` of `text`.
pub(super) fn location_at(path: &str, text: &str, start: usize) -> Location {
    let start = floor_boundary(text, start.min(text.len()));
    let end = start + token_len(&text[start..]);
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let width = text[start..end].chars().count().max(1);
    Location {
        file: path.to_string(),
        line: line as u32,
        column: column as u32,
        end_line: line as u32,
        end_column: (column + width) as u32,
        bytes: start..end.max(start + usize::from(start < text.len())),
    }
}

/// The first `[` or `{` that opens before byte `before`, on an earlier line, and is never
/// closed in the whole text. Quoted strings and comments are skipped.
fn unclosed_flow(text: &str, before: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let after_blank =
            i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        match c {
            b'"' | b'\'' if after_blank => {
                // Skip the quoted string.
                i += 1;
                while i < bytes.len() {
                    if c == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == c {
                        if c == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'[' | b'{' => open.push(i),
            b']' | b'}' => {
                let opener = if c == b']' { b'[' } else { b'{' };
                if open.last().is_some_and(|&o| bytes[o] == opener) {
                    open.pop();
                }
            }
            _ => {}
        }
        i += 1;
    }
    let line_start = text[..before.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    open.into_iter().find(|&o| o < line_start)
}

/// A missing value is reported at the `:` after its key: point at the key instead.
fn key_of_empty_value(text: &str, at: usize) -> usize {
    if !text.get(at..).is_some_and(|r| r.starts_with(':')) {
        return at;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..at];
    let mut key = prefix.trim_start();
    while let Some(rest) = key.strip_prefix("- ") {
        key = rest.trim_start();
    }
    if key.is_empty() {
        at
    } else {
        line_start + prefix.len() - key.len()
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The length in bytes of the token at the start of `rest`: a quoted string with its quotes, one
/// punctuation character, or a plain scalar up to the end of the line, a comment, a `: ` or
/// flow punctuation. Never crosses a line.
fn token_len(rest: &str) -> usize {
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    let mut chars = line.char_indices();
    match chars.next() {
        None => 0,
        Some((_, q @ ('"' | '\''))) => {
            let mut escaped = false;
            for (i, c) in chars {
                if c == q && !escaped {
                    return i + 1;
                }
                escaped = q == '"' && c == '\\' && !escaped;
            }
            line.len()
        }
        Some((_, c)) if "[]{},#".contains(c) => c.len_utf8(),
        Some(_) => {
            let bytes = line.as_bytes();
            let mut end = line.len();
            for (i, c) in line.char_indices() {
                let next_is_blank = bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t');
                if ",[]{}".contains(c)
                    || (c == ':' && next_is_blank)
                    || (c == '#' && i > 0 && bytes[i - 1] == b' ')
                {
                    end = i;
                    break;
                }
            }
            line[..end].trim_end().len()
        }
    }
}

/// What is written at byte `at`, in words: `a list`, `a mapping`, `nothing` or the value itself.
fn describe(text: &str, at: usize) -> String {
    let mut rest = text
        .get(floor_boundary(text, at.min(text.len()))..)
        .unwrap_or("");
    // Skip an anchor or a tag in front of the value.
    while rest.starts_with('&') || rest.starts_with('!') {
        let skip = rest.find([' ', '\t', '\n']).unwrap_or(rest.len());
        rest = rest[skip..].trim_start_matches([' ', '\t']);
    }
    let first_line = rest.split(['\n', '\r']).next().unwrap_or("");
    match first_line.chars().next() {
        None | Some('#' | ':') => "nothing".into(),
        Some('[') => "a list".into(),
        Some('{') => "a mapping".into(),
        Some('-') if first_line.len() == 1 || first_line[1..].starts_with(' ') => "a list".into(),
        _ => {
            let len = token_len(rest);
            let token = &rest[..len];
            let after = &first_line[len.min(first_line.len())..];
            if !token.starts_with(['"', '\''])
                && (after.starts_with(": ") || after == ":" || after.starts_with(":\t"))
            {
                "a mapping".into()
            } else if ["~", "null", "Null", "NULL", ""].contains(&token) {
                "nothing".into()
            } else {
                format!("`{}`", elide(token))
            }
        }
    }
}

/// `250,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// At most 40 characters of a value, for a message.
fn elide(value: &str) -> String {
    if value.chars().count() <= 40 {
        value.to_string()
    } else {
        let head: String = value.chars().take(37).collect();
        format!("{head}...")
    }
}

#[cfg(test)]
mod tests {
    use super::{describe, thousands, tidy, token_len, unclosed_flow};

    #[test]
    fn finds_brackets_left_open() {
        let text = "a: [x, y\nb: c\n";
        assert_eq!(unclosed_flow(text, 9), Some(3));
        assert_eq!(unclosed_flow("a: [x,\n  y]\nb: {\n", 14), None);
        assert_eq!(unclosed_flow("a: \"[\" # [\nb: ]\n", 14), None);
        assert_eq!(unclosed_flow("a: O'Brien [x\nb\n", 14), Some(11));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(250_000), "250,000");
        assert_eq!(thousands(64), "64");
        assert_eq!(thousands(1_000), "1,000");
    }

    #[test]
    fn tokens_stop_at_yaml_punctuation() {
        assert_eq!(token_len("membrs: [a]"), 6);
        assert_eq!(token_len("\"a: b\", c"), 6);
        assert_eq!(token_len("big corp # note"), 8);
        assert_eq!(token_len("x@y.com, z"), 7);
        assert_eq!(token_len("[a]"), 1);
        assert_eq!(token_len("\nnext"), 0);
    }

    #[test]
    fn describes_what_was_written() {
        assert_eq!(describe("[a, b]", 0), "a list");
        assert_eq!(describe("- a\n", 0), "a list");
        assert_eq!(describe("{a: b}", 0), "a mapping");
        assert_eq!(describe("name: acme\n", 0), "a mapping");
        assert_eq!(describe("lots\n", 0), "`lots`");
        assert_eq!(describe("&x [a]", 0), "a list");
        assert_eq!(describe("\n", 0), "nothing");
        assert_eq!(describe("~\n", 0), "nothing");
    }

    #[test]
    fn tidies_messages() {
        assert_eq!(tidy("Unexpected thing.\nmore"), "unexpected thing; more");
        assert_eq!(tidy("YAML is odd."), "YAML is odd");
    }
}
