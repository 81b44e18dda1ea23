//! Where a YAML text holds secret values, found from the YAML events alone, before and whatever
//! the typed parse says.
//!
//! The typed conversion knows exactly which values are inline secrets, but only once every file
//! has parsed. A file that stops at a wrong value (`scim: yes` beside `scimToken: sk-...`), a list
//! or tagged secret, a repeated key or a syntax error never gets that far, and its error shows a
//! source line. So every text is scanned first: every value of a secret-bearing field that is not
//! exactly a reference is masked in whatever is shown, load errors included. The scan fails
//! closed: a secret written as a list, a mapping, a block or with a tag is masked whole, and when
//! the YAML is too broken to read, every line of a secret-bearing key is masked from its `:`.

use std::collections::HashMap;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle};

use crate::model::rollout::is_credential_header;
use crate::model::{Endpoint, Secret};

/// Keys whose value is always a secret.
const SECRET_KEYS: [&str; 2] = ["scimToken", "clientSecret"];

/// What the scan found in one text.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// Byte ranges to mask: inline secrets, and whatever could be one.
    pub masked: Vec<Range<usize>>,
    /// Secret values that carry a tag (`!!null`), which the typed parse may drop silently: the
    /// byte offset of the tag, the key, and the tag as written.
    pub tagged: Vec<(usize, String, String)>,
}

/// One open mapping or sequence.
enum Frame {
    Sequence,
    Mapping {
        /// The key whose value comes next, or `None` when a key comes next.
        key: Option<String>,
        /// The scalar `name:` of the mapping, for a header.
        name: Option<String>,
        /// Ranges of a `value:` scalar that are masked if `name` says it is a credential.
        value: Vec<Range<usize>>,
    },
}

/// Scan a text. Texts that mention no secret-bearing key are not read at all.
pub(super) fn scan(text: &str) -> Scan {
    let mut scan = Scan::default();
    if !mentions_secret_key(text) {
        return scan;
    }
    let mut stack: Vec<Frame> = Vec::new();
    // While inside a secret collection: the stack depth it was opened at.
    let mut secret_depth: Option<usize> = None;
    let mut anchors: HashMap<usize, Range<usize>> = HashMap::new();
    let mut broken = false;
    for next in Parser::new_from_str(text) {
        let Ok((event, span)) = next else {
            broken = true;
            break;
        };
        let range = span.byte_range().unwrap_or(0..0);
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
                | Event::Alias(_)
        );
        // The key this node is the value of, when it is a value in a mapping.
        let mut parent_key = None;
        if is_node && let Some(Frame::Mapping { key, .. }) = stack.last_mut() {
            match key.take() {
                Some(k) => parent_key = Some(k),
                None => {
                    // A key: remember it for the value that follows.
                    *key = Some(match &event {
                        Event::Scalar(value, ..) => value.to_string(),
                        _ => String::new(),
                    });
                    continue;
                }
            }
        }
        let inside_secret = secret_depth.is_some();
        let secret_key = parent_key.as_deref().is_some_and(is_secret_key);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 {
                    anchors.insert(anchor, range.clone());
                }
                let plain_string = matches!(
                    style,
                    ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                );
                let tag_not_str = tag
                    .as_ref()
                    .is_some_and(|t| !t.is_yaml_core_schema_tag("str"));
                if inside_secret {
                    scan.masked.push(range);
                } else if secret_key {
                    if tag_not_str {
                        let tag_span = span.tag_span().and_then(|t| t.byte_range());
                        let written = tag_span
                            .as_ref()
                            .and_then(|r| text.get(r.clone()))
                            .map_or_else(
                                || tag.as_ref().map_or_else(String::new, |t| t.original()),
                                str::to_string,
                            );
                        scan.tagged.push((
                            tag_span.map_or(range.start, |r| r.start),
                            parent_key.clone().unwrap_or_default(),
                            written,
                        ));
                    }
                    if tag_not_str || !plain_string || Secret::classify(&value) != Secret::Reference
                    {
                        scan.masked.push(range);
                    }
                } else {
                    match (parent_key.as_deref(), stack.last_mut()) {
                        (Some("name"), Some(Frame::Mapping { name, .. })) => {
                            *name = Some(value.to_string());
                        }
                        (Some("value"), Some(Frame::Mapping { value: pending, .. }))
                            if tag_not_str
                                || !plain_string
                                || Secret::classify(&value) != Secret::Reference =>
                        {
                            pending.push(range);
                        }
                        (Some("otelEndpoint"), _) => {
                            let credentials = Endpoint::parse(&value).map(|e| e.credentials);
                            if !matches!(credentials, Some(None | Some(Secret::Reference))) {
                                scan.masked.push(range);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Event::Alias(anchor) => {
                if (inside_secret || secret_key)
                    && let Some(defined) = anchors.get(&anchor)
                {
                    scan.masked.push(defined.clone());
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let header_value = parent_key.as_deref() == Some("value")
                    && matches!(stack.last(), Some(Frame::Mapping { name, .. })
                        if name.as_deref().is_none_or(is_credential_header));
                if !inside_secret && (secret_key || header_value) {
                    secret_depth = Some(stack.len());
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence
                } else {
                    Frame::Mapping {
                        key: None,
                        name: None,
                        value: Vec::new(),
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Frame::Mapping {
                    name: Some(name),
                    value,
                    ..
                }) = stack.pop()
                    && is_credential_header(&name)
                {
                    scan.masked.extend(value);
                }
                if secret_depth == Some(stack.len()) {
                    secret_depth = None;
                }
            }
            _ => {}
        }
    }
    if broken {
        // The events stopped at a syntax error: mask by lines too, so that nothing after it, or
        // a block the parser did not finish, is shown.
        scan.masked.extend(by_lines(text));
    }
    scan
}

/// Whether any `key:` in the text is a secret-bearing key (or a misspelling of one), `headers`
/// or `otelEndpoint`: a quick pass, so that the files of groups and members are not parsed twice.
fn mentions_secret_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(':').any(|(i, _)| {
        if !matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r')) {
            return false;
        }
        // A quoted key: the word before the closing quote.
        let end = if i > 0 && matches!(bytes[i - 1], b'"' | b'\'') {
            i - 1
        } else {
            i
        };
        let start = text[..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let key = &text[start..end];
        key == "headers" || key == "otelEndpoint" || (key.len() >= 6 && is_secret_key(key))
    })
}

/// Whether a key is a secret-bearing field, or a misspelling of one (`scimtoken`,
/// `clientSecrets`): the typed parse refuses a misspelt key, and its error shows the line.
fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.contains(&key) || crate::suggest::did_you_mean(key, SECRET_KEYS).is_some()
}

/// Every line of a secret-bearing key (`scimToken:`, `clientSecret:`, `value:`) masked from
/// after its `:` to the end of the line, unless what follows is a reference, with the more
/// indented lines that follow it (where a block or a scalar broken over lines goes on).
fn by_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block_indent: Option<usize> = None;
    for (offset, line) in super::classify::lines(text) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(key_indent) = block_indent {
            if line.trim().is_empty() || indent > key_indent {
                out.push(offset + indent..offset + line.len());
                continue;
            }
            block_indent = None;
        }
        for key in SECRET_KEYS.iter().chain(&["value", "otelEndpoint"]) {
            let Some(at) = line.find(&format!("{key}:")) else {
                continue;
            };
            let after = &line[at + key.len() + 1..];
            let start = line.len() - after.trim_start().len();
            let rest = after.trim();
            let unquoted = rest.trim_matches(|c| c == '"' || c == '\'');
            // An inline value may go on over more indented lines (a block, a quoted or plain
            // scalar broken over lines): mask those too.
            if rest.is_empty() || Secret::classify(unquoted) != Secret::Reference {
                block_indent = Some(indent);
            }
            if !rest.is_empty() && Secret::classify(unquoted) != Secret::Reference {
                out.push(offset + start..offset + line.len());
            }
        }
    }
    out
}

/// The text with every masked range replaced by `*`, byte for byte, keeping line breaks, so that
/// offsets, lines and columns still match the text as written.
pub(super) fn masked<'a>(text: &'a str, ranges: &[Range<usize>]) -> std::borrow::Cow<'a, str> {
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        let end = range.end.min(bytes.len());
        for byte in bytes
            .get_mut(range.start.min(end)..end)
            .into_iter()
            .flatten()
        {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b'*';
            }
        }
    }
    // Every byte of a multi-byte character is replaced, so the result is still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::{masked, scan};

    fn shown(text: &str) -> String {
        masked(text, &scan(text).masked).into_owned()
    }

    #[test]
    fn masks_secret_values_whatever_their_shape() {
        assert_eq!(shown("scimToken: abc\n"), "scimToken: ***\n");
        assert_eq!(shown("scimToken: ${X}\n"), "scimToken: ${X}\n");
        assert_eq!(shown("scimtokn: abc\n"), "scimtokn: ***\n");
        assert_eq!(shown("scheme: abc\n"), "scheme: abc\n");
        assert_eq!(
            shown("{\"scimToken\": \"abc\"}\n"),
            "{\"scimToken\": *****}\n"
        );
        assert!(!super::mentions_secret_key(
            "groups:\n  - name: eng\n    scim: true\n"
        ));
        assert_eq!(
            shown("a: {scimToken: [ab, c]}\n"),
            "a: {scimToken: [**, *]}\n"
        );
        assert_eq!(
            shown(
                "headers:\n  - value: Bearer x\n    name: Authorization\n  - {name: Accept, value: json}\n"
            ),
            "headers:\n  - value: ********\n    name: Authorization\n  - {name: Accept, value: json}\n"
        );
        let broken = "a:\n  scimToken: \"ab\n    cd\"\n  kind: okta\nx: [\n";
        assert_eq!(
            masked(broken, &super::by_lines(broken)),
            "a:\n  scimToken: ***\n    ***\n  kind: okta\nx: [\n"
        );
        assert_eq!(
            shown("clientSecret: ab\nx: [\n"),
            "clientSecret: **\nx: [\n"
        );
        assert_eq!(
            shown("otelEndpoint: https://u:p@h\n"),
            "otelEndpoint: *************\n"
        );
    }

    #[test]
    fn never_panics_on_any_prefix_of_awkward_text() {
        let text = "\u{feff}é: x\r\n  scimToken: \"é${X}\"\r- ü:\n  clientSecret: |\n    é\u{0}\n\
                    headers: [{name: Authorization, value: 'é'}]\notelEndpoint: https://é:é@h\n\
                    \"scimToken\": é\n'clientSecret': [é, *a]\nscimToken: &a é\n";
        for (i, _) in text.char_indices() {
            let prefix = &text[..i];
            let found = scan(prefix);
            let _ = masked(prefix, &found.masked);
            let _ = crate::load::classify::classify(prefix);
        }
    }

    #[test]
    fn reports_tagged_secrets() {
        let found = scan("scimToken: !!null abc\nclientSecret: !!str ${X}\n");
        assert_eq!(
            found.tagged,
            [(11, "scimToken".to_string(), "!!null".to_string())]
        );
    }
}
