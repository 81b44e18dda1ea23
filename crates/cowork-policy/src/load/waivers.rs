//! Inline waivers: `# cowork-policy: allow CODE[,CODE...] reason="..." [until=YYYY-MM-DD]
//! [owner=...] [ticket=...]` comments in the policy files.
//!
//! YAML parsers drop comments, so the text is scanned line by line after parsing. A comment is a
//! `#` at the start of a line or after a space, outside quotes. A comment that starts with
//! `cowork-policy:` is a waiver directive; one that cannot be read is kept with what is wrong
//! with it, for the waiver stage to report: a malformed waiver is a finding, never a load error.

use crate::model::{At, FileId, InlineWaiver, Span};
use crate::suggest::did_you_mean;

/// The keys a waiver comment takes after its codes.
const KEYS: [&str; 4] = ["reason", "until", "owner", "ticket"];

/// Every waiver comment of one file, in line order.
pub(super) fn parse(file: FileId, text: &str) -> Vec<InlineWaiver> {
    let mut out = Vec::new();
    // Only lines that hold `cowork-policy` then a colon (possibly after spaces) are looked at,
    // so a large file costs one substring search. (`apiVersion: cowork-policy/v1` has none.)
    let mut last_line = None;
    for (at, marker) in text.match_indices("cowork-policy") {
        let after = &text[at + marker.len()..];
        if !after.trim_start_matches([' ', '\t']).starts_with(':') {
            continue;
        }
        let (start, line) = line_around(text, at);
        if last_line == Some(start) {
            continue;
        }
        last_line = Some(start);
        if let Some(waiver) = directive_on_line(file, text, start, line) {
            out.push(waiver);
        }
    }
    out
}

/// The line holding byte `at`: its start and its text, without the line break.
fn line_around(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    (start, line.strip_suffix('\r').unwrap_or(line))
}

/// The first line after the line starting at `start` that is neither blank nor a comment.
fn next_code_line(text: &str, start: usize) -> Option<(usize, &str)> {
    let mut offset = start + text[start..].find('\n')? + 1;
    while offset < text.len() {
        let (line_start, line) = line_around(text, offset);
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return Some((line_start, line));
        }
        offset = line_start + text[line_start..].find('\n')? + 1;
    }
    None
}

/// The waiver directive on one line, if the line has a comment that starts with
/// `cowork-policy:`.
fn directive_on_line(file: FileId, text: &str, start: usize, line: &str) -> Option<InlineWaiver> {
    let hash = comment_start(line)?;
    let body = &line[hash + 1..];
    let lead = body.len() - body.trim_start().len();
    let after_marker = body.trim_start().strip_prefix("cowork-policy")?;
    let after_marker_trimmed = after_marker.trim_start();
    let rest = after_marker_trimmed.strip_prefix(':')?;
    let rest_at = start
        + hash
        + 1
        + lead
        + "cowork-policy".len()
        + (after_marker.len() - after_marker_trimmed.len())
        + 1;
    let standalone = line[..hash].trim().is_empty();
    let target = if standalone {
        next_code_line(text, start).unwrap_or((start, line))
    } else {
        (start, line)
    };
    let span = |from: usize, to: usize| Span {
        file,
        start: from as u32,
        end: to as u32,
    };
    let mut waiver = InlineWaiver {
        span: span(start + hash, start + line.len()),
        target: span(target.0, target.0 + target.1.len()),
        codes: Vec::new(),
        reason: None,
        until: None,
        owner: None,
        ticket: None,
        malformed: None,
    };
    if let Err((at, len, message)) = directive(rest, rest_at, &mut waiver, file) {
        waiver.malformed = Some(At::new(message, span(at, at + len.max(1))));
    }
    Some(waiver)
}

/// The byte index of the `#` that starts a comment on this line, if any: at the start of the
/// line or after whitespace, outside single and double quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            // `\"` inside double quotes, `''` inside single quotes.
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some('\'') if c == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && previous.is_whitespace() => return Some(i),
            // A quote opens a string only where a value starts, not inside a plain word
            // (`it's`).
            None if (c == '"' || c == '\'')
                && (previous.is_whitespace()
                    || matches!(previous, ':' | '-' | '[' | '{' | ',')) =>
            {
                quote = Some(c);
            }
            None => {}
        }
        previous = c;
    }
    None
}

/// What went wrong: the byte offset in the file, the length, and the message.
type Malformed = (usize, usize, String);

/// Read `allow CODE[,CODE...] key=value...` from `rest`, which starts at byte `at` of the file.
fn directive(
    rest: &str,
    at: usize,
    waiver: &mut InlineWaiver,
    file: FileId,
) -> Result<(), Malformed> {
    let mut cursor = Cursor { text: rest, pos: 0 };
    cursor.skip_spaces();
    let word_at = cursor.pos;
    let word = cursor.word();
    if word != "allow" {
        return Err((
            at + word_at,
            word.len(),
            if word.is_empty() {
                "waiver comment has nothing after `cowork-policy:`: expected `allow`".into()
            } else {
                format!("unknown waiver directive `{word}`: expected `allow`")
            },
        ));
    }
    let span = |from: usize, to: usize| Span {
        file,
        start: (at + from) as u32,
        end: (at + to) as u32,
    };
    // Codes: separated by commas and spaces, up to the first `key=`.
    loop {
        cursor.skip_spaces_and_commas();
        let save = cursor.pos;
        let token = cursor.word();
        if token.is_empty() {
            break;
        }
        cursor.skip_spaces();
        if cursor.peek() == Some('=') {
            cursor.pos = save;
            break;
        }
        waiver
            .codes
            .push(At::new(token.to_string(), span(save, save + token.len())));
    }
    if waiver.codes.is_empty() {
        return Err((
            at + word_at,
            word.len(),
            "waiver comment names no rule after `allow`".into(),
        ));
    }
    // Then `key=value` pairs.
    loop {
        cursor.skip_spaces();
        if cursor.peek().is_none() {
            return Ok(());
        }
        let key_at = cursor.pos;
        let key = cursor.word();
        cursor.skip_spaces();
        if key.is_empty() || cursor.peek() != Some('=') {
            let shown = if key.is_empty() {
                cursor
                    .rest()
                    .chars()
                    .next()
                    .map_or(String::new(), String::from)
            } else {
                key.to_string()
            };
            return Err((
                at + key_at,
                shown.len(),
                format!("unexpected `{shown}` in waiver comment: expected `key=value`"),
            ));
        }
        cursor.pos += 1;
        cursor.skip_spaces();
        let value_at = cursor.pos;
        let value = cursor
            .value()
            .map_err(|message| (at + value_at, cursor.pos.saturating_sub(value_at), message))?;
        let value = At::new(value, span(value_at, cursor.pos));
        let slot = match key {
            "reason" => &mut waiver.reason,
            "until" => &mut waiver.until,
            "owner" => &mut waiver.owner,
            "ticket" => &mut waiver.ticket,
            _ => {
                let hint = did_you_mean(key, KEYS)
                    .map_or_else(String::new, |k| format!(" (did you mean `{k}`?)"));
                return Err((
                    at + key_at,
                    key.len(),
                    format!(
                        "unknown key `{key}` in waiver comment: expected `reason`, `until`, `owner` or `ticket`{hint}"
                    ),
                ));
            }
        };
        if slot.is_some() {
            return Err((
                at + key_at,
                key.len(),
                format!("`{key}` is given twice in waiver comment"),
            ));
        }
        *slot = Some(value);
    }
}

/// A position in the text after `cowork-policy:`.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn skip_spaces_and_commas(&mut self) {
        let rest = self.rest();
        self.pos += rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
                .len();
    }

    /// A run of letters, digits, `-` and `_`.
    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    /// A `"quoted"` value (with `\"` and `\\` escapes) or a bare one, up to the next space.
    fn value(&mut self) -> Result<String, String> {
        let rest = self.rest();
        let Some(quoted) = rest.strip_prefix('"') else {
            let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            self.pos += len;
            return Ok(rest[..len].to_string());
        };
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += 1 + i + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, e)) => value.push(e),
                    None => break,
                },
                _ => value.push(c),
            }
        }
        self.pos += rest.len();
        Err("unclosed `\"` in waiver comment".into())
    }
}

#[cfg(test)]
mod tests {
    use super::{comment_start, parse};
    use crate::model::FileId;

    fn text_at(text: &str, span: crate::model::Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn finds_comments_outside_quotes() {
        assert_eq!(comment_start("a: 1 # c"), Some(5));
        assert_eq!(comment_start("# c"), Some(0));
        assert_eq!(comment_start("a: \"x # y\" # c"), Some(11));
        assert_eq!(comment_start("a: 'it''s # y' # c"), Some(15));
        assert_eq!(comment_start("a: b#c"), None);
        assert_eq!(comment_start("note: it's # c"), Some(11));
    }

    #[test]
    fn reads_codes_and_keys_with_extra_spaces() {
        let text = "a: 1  #  cowork-policy :  allow  IDP001 ,IDP002  reason = \"two \\\"quoted\\\" words\"  until=2027-01-31 owner=ana ticket=IT-42\n";
        let waivers = parse(FileId(0), text);
        assert_eq!(waivers.len(), 1);
        let w = &waivers[0];
        assert!(w.malformed.is_none(), "{:?}", w.malformed);
        let codes: Vec<&str> = w.codes.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(codes, ["IDP001", "IDP002"]);
        assert_eq!(text_at(text, w.codes[1].span), "IDP002");
        let reason = w.reason.as_ref().unwrap();
        assert_eq!(reason.value, "two \"quoted\" words");
        assert_eq!(text_at(text, reason.span), "\"two \\\"quoted\\\" words\"");
        assert_eq!(w.until.as_ref().unwrap().value, "2027-01-31");
        assert_eq!(w.owner.as_ref().unwrap().value, "ana");
        assert_eq!(w.ticket.as_ref().unwrap().value, "IT-42");
        assert_eq!(text_at(text, w.target), text.trim_end());
    }

    #[test]
    fn a_comment_alone_applies_to_the_next_line_of_yaml() {
        let text =
            "groups:\n  # cowork-policy: allow IDP001 reason=\"x\"\n\n  # other\n  - name: a\n";
        let w = &parse(FileId(0), text)[0];
        assert_eq!(text_at(text, w.target), "  - name: a");
        let crlf = "a: 1\r\n# cowork-policy: allow IDP001 reason=x\r\n\r\nb: 2\r\n";
        let w = &parse(FileId(0), crlf)[0];
        assert_eq!(text_at(crlf, w.target), "b: 2");
        assert_eq!(
            text_at(crlf, w.span),
            "# cowork-policy: allow IDP001 reason=x"
        );
        // Alone on the last line, it applies to its own line, where nothing is.
        let last = "a: 1\n# cowork-policy: allow IDP001 reason=x";
        let w = &parse(FileId(0), last)[0];
        assert_eq!(
            text_at(last, w.target),
            "# cowork-policy: allow IDP001 reason=x"
        );
    }

    #[test]
    fn malformed_comments_say_what_is_wrong() {
        let cases = [
            ("# cowork-policy: allow", "names no rule"),
            (
                "# cowork-policy: permit IDP001",
                "unknown waiver directive `permit`",
            ),
            ("# cowork-policy:", "nothing after"),
            ("# cowork-policy: allow IDP001 reason=\"open", "unclosed"),
            (
                "# cowork-policy: allow IDP001 reson=\"x\"",
                "did you mean `reason`?",
            ),
            (
                "# cowork-policy: allow IDP001 reason=a reason=b",
                "given twice",
            ),
            (
                "# cowork-policy: allow IDP001 reason=\"x\" !",
                "unexpected `!`",
            ),
        ];
        for (text, expected) in cases {
            let waivers = parse(FileId(0), text);
            let malformed = waivers[0].malformed.as_ref().map(|m| m.value.as_str());
            assert!(
                malformed.is_some_and(|m| m.contains(expected)),
                "{text}: {malformed:?}"
            );
        }
        assert!(parse(FileId(0), "# cowork-policy is great").is_empty());
        assert!(parse(FileId(0), "apiVersion: cowork-policy/v1").is_empty());
    }
}
