//! A strict JSON reader (RFC 8259) that keeps where every value starts and ends.
//!
//! `serde_json` says where a syntax error is, but gives no position for a value it read, and an
//! import finding must point at the member in the export (`members.json:4812:17`), not at the
//! first line. So exports are read here into a small tree of [`Node`]s, each with its byte range. Strings
//! without escapes borrow from the text (most of an export), so reading allocates only the
//! arrays and objects themselves.
//!
//! Strict means what RFC 8259 allows and nothing else: no trailing comma (one of Microsoft's
//! own documented Graph responses has one, as the project's notes on IdP exports record, and a
//! hand-edited export often does), no comments, no single quotes, no `NaN`, no leading zeros, no control characters in
//! strings, no lone surrogate escapes. A leading byte-order mark is skipped: Windows PowerShell
//! 5.1's `Out-File` writes one. Every refusal names the place and what was expected there.
//! Nesting is limited to [`MAX_DEPTH`] levels, so a hostile file cannot exhaust the stack.

use std::borrow::Cow;

/// The deepest nesting of arrays and objects read. Exports nest four or five levels.
pub(crate) const MAX_DEPTH: usize = 128;

/// A JSON value and the byte range of its text.
#[derive(Debug)]
pub(crate) struct Node<'a> {
    /// The first byte of the value.
    pub start: usize,
    /// Just past the last byte of the value.
    pub end: usize,
    /// The value.
    pub value: Value<'a>,
}

/// A JSON value. Numbers are kept as written: an export's numbers are counts, and a count of
/// `1e999` must be refused by its reader with a place, not turned into infinity here.
#[derive(Debug)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

/// One `"key": value` pair of an object.
#[derive(Debug)]
pub(crate) struct Member<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// The value.
    pub value: Node<'a>,
}

/// Why a text is not strict JSON: at byte `at`, what was expected.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// The byte where the problem is.
    pub at: usize,
    /// What was expected there, and what was found: lowercase, no final period.
    pub message: String,
}

impl<'a> Node<'a> {
    /// The value of `key`, when this is an object that has it (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The string value of `key`, when this is an object whose `key` is a string.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The items, when this is an array.
    pub fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A short name of the kind of value, for messages: `an object`, `a string`.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "`null`",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Read `text` as one strict JSON value.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        items: Vec::new(),
        members: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        parser.at = '\u{feff}'.len_utf8();
    }
    parser.blank();
    if parser.at >= parser.bytes.len() {
        return Err(parser.error("expected a JSON value, found an empty file"));
    }
    let node = parser.value(0)?;
    parser.blank();
    if parser.at < parser.bytes.len() {
        return Err(parser.error(format!(
            "expected the end of the file after the JSON value, found {}",
            parser.found()
        )));
    }
    Ok(node)
}

/// Where the plain run of a string's text from `at` ends: at the first `"`, `\\` or control
/// character, or the end. Eight bytes are tested at once (most of an export is the text of
/// strings); a word that may hold one is looked at byte by byte, so a false alarm costs time,
/// never a wrong answer, and none is missed.
fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte of `word` is below `n` (at most 0x80) where its high bit is set in this.
    let below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGH;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let special = below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20);
        if special != 0 {
            break;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// The items of the arrays being read, innermost last: each array's items are gathered
    /// here and moved into a vector of exactly their number when it closes, rather than grown
    /// by doubling (a large export has millions of small arrays and objects).
    items: Vec<Node<'a>>,
    /// The same for the members of the objects being read.
    members: Vec<Member<'a>>,
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            at: self.at.min(self.bytes.len()),
            message: message.into(),
        }
    }

    /// What is at the cursor, for a message: `` `]` ``, `the end of the file`.
    fn found(&self) -> String {
        match self
            .text
            .get(self.at..)
            .and_then(|rest| rest.chars().next())
        {
            None => "the end of the file".to_string(),
            Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }

    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        let start = self.at;
        let value = match self.bytes.get(self.at) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'\'') => {
                return Err(
                    self.error("expected a JSON value, found `'`: JSON strings take double quotes")
                );
            }
            _ => return Err(self.error(format!("expected a JSON value, found {}", self.found()))),
        };
        Ok(Node {
            start,
            end: self.at,
            value,
        })
    }

    fn word(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, SyntaxError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn nested(&self, depth: usize) -> Result<usize, SyntaxError> {
        if depth >= MAX_DEPTH {
            Err(self.error(format!(
                "arrays and objects nest deeper than {MAX_DEPTH} levels here"
            )))
        } else {
            Ok(depth + 1)
        }
    }

    /// Past the `[` or `{` at the cursor and the blanks after it: the depth inside, and
    /// whether `close` follows at once (consumed: the array or object is empty).
    fn open(&mut self, depth: usize, close: u8) -> Result<(usize, bool), SyntaxError> {
        let depth = self.nested(depth)?;
        self.at += 1;
        self.blank();
        let empty = self.bytes.get(self.at) == Some(&close);
        if empty {
            self.at += 1;
        }
        Ok((depth, empty))
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        let (depth, empty) = self.open(depth, b']')?;
        if empty {
            return Ok(Value::Array(Vec::new()));
        }
        let mark = self.items.len();
        loop {
            let item = self.value(depth)?;
            self.items.push(item);
            self.blank();
            if self.comma_or_close(b']', "an array item")? {
                return Ok(Value::Array(self.items.split_off(mark)));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        let (depth, empty) = self.open(depth, b'}')?;
        if empty {
            return Ok(Value::Object(Vec::new()));
        }
        let mark = self.members.len();
        loop {
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.error(format!(
                    "expected a key in double quotes, found {}",
                    self.found()
                )));
            }
            let key = self.string()?;
            self.blank();
            if self.bytes.get(self.at) != Some(&b':') {
                return Err(self.error(format!(
                    "expected `:` after the key `{key}`, found {}",
                    self.found()
                )));
            }
            self.at += 1;
            self.blank();
            let value = self.value(depth)?;
            self.members.push(Member { key, value });
            self.blank();
            if self.comma_or_close(b'}', "an object member")? {
                return Ok(Value::Object(self.members.split_off(mark)));
            }
        }
    }

    /// After an item of an array or object: `true` once `close` ends it (consumed), `false`
    /// after a `,` (consumed, with the blanks after it). A `,` right before `close` is a
    /// trailing comma, refused at the comma.
    fn comma_or_close(&mut self, close: u8, after: &str) -> Result<bool, SyntaxError> {
        match self.bytes.get(self.at) {
            Some(b',') => {
                let comma = self.at;
                self.at += 1;
                self.blank();
                if self.bytes.get(self.at) == Some(&close) {
                    self.at = comma;
                    return Err(self.error(format!(
                        "trailing comma: JSON allows no `,` before `{}`, remove it",
                        close as char
                    )));
                }
                Ok(false)
            }
            Some(&b) if b == close => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(self.error(format!(
                "expected `,` or `{}` after {after}, found {}",
                close as char,
                self.found()
            ))),
        }
    }

    fn number(&mut self) -> Result<&'a str, SyntaxError> {
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes.get(self.at) {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.bytes.get(self.at) {
                    return Err(self.error("a JSON number has no leading zero"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error(format!("expected a digit, found {}", self.found()))),
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !matches!(self.bytes.get(self.at), Some(b'0'..=b'9')) {
                return Err(self.error(format!(
                    "expected a digit after `.`, found {}",
                    self.found()
                )));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if !matches!(self.bytes.get(self.at), Some(b'0'..=b'9')) {
                return Err(self.error(format!(
                    "expected a digit in the exponent, found {}",
                    self.found()
                )));
            }
            self.digits();
        }
        Ok(&self.text[start..self.at])
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// A string at the cursor (on its `"`). Borrowed when it has no escape.
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let start = self.at;
        self.at = plain_run(self.bytes, self.at);
        match self.bytes.get(self.at) {
            Some(b'"') => {
                let s = &self.text[start..self.at];
                self.at += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => {
                return Err(self.error(format!(
                    "a JSON string holds no raw {}: write it as an escape",
                    self.found()
                )));
            }
            None => {
                self.at = open;
                return Err(self.error("this string is never closed by a `\"`"));
            }
        }
        let mut out = String::from(&self.text[start..self.at]);
        loop {
            let run = self.at;
            self.at = plain_run(self.bytes, self.at);
            out.push_str(&self.text[run..self.at]);
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.error(format!(
                        "a JSON string holds no raw {}: write it as an escape",
                        self.found()
                    )));
                }
                None => {
                    self.at = open;
                    return Err(self.error("this string is never closed by a `\"`"));
                }
            }
        }
    }

    /// The escape after a `\` (the cursor is past it).
    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let c = match self.bytes.get(self.at) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    if !self.bytes[self.at..].starts_with(b"\\u") {
                        return Err(self.error(
                            "a high surrogate escape must be followed by a low one (`\\uDC00` to `\\uDFFF`)",
                        ));
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        self.at -= 4;
                        return Err(self.error(
                            "expected a low surrogate escape (`\\uDC00` to `\\uDFFF`) here",
                        ));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..0xE000).contains(&high) {
                    self.at -= 4;
                    return Err(self.error("a low surrogate escape without a high one before it"));
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                return Ok(());
            }
            _ => {
                self.at -= 1;
                return Err(self.error(
                    "unknown escape: JSON knows `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`",
                ));
            }
        };
        self.at += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.bytes.get(self.at) {
                Some(&b) => (b as char).to_digit(16),
                None => None,
            };
            let Some(digit) = digit else {
                return Err(self.error(format!(
                    "expected four hexadecimal digits after `\\u`, found {}",
                    self.found()
                )));
            };
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::{Value, parse, plain_run};

    #[test]
    fn a_plain_run_ends_where_counting_byte_by_byte_does() {
        let naive = |bytes: &[u8], at: usize| {
            (at..bytes.len())
                .find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(bytes.len())
        };
        // Every special byte at every place of a run of plain ASCII and UTF-8, from every start.
        let plain = "abcdefgh-é-ijklmnop~\u{7f}-\u{80}qrstuvwxyz0123".as_bytes();
        for special in [b'"', b'\\', 0x00, 0x0a, 0x1f] {
            for place in 0..=plain.len() {
                let mut bytes = plain.to_vec();
                bytes.insert(place, special);
                for start in 0..bytes.len() {
                    assert_eq!(
                        plain_run(&bytes, start),
                        naive(&bytes, start),
                        "{special} at {place} from {start}"
                    );
                }
            }
        }
        assert_eq!(plain_run(plain, 0), plain.len());
    }

    #[test]
    fn keeps_ranges_and_borrows_plain_strings() {
        let text = "\u{feff}{ \"a\": [1, -2.5e3, \"x\\ny\", true, null], \"b\": \"plain\" }";
        let node = parse(text).unwrap();
        let a = node.get("a").unwrap();
        assert_eq!(&text[a.start..a.end], "[1, -2.5e3, \"x\\ny\", true, null]");
        let items = a.as_array().unwrap();
        assert!(matches!(items[1].value, Value::Number("-2.5e3")));
        assert_eq!(items[2].as_str(), Some("x\ny"));
        assert!(matches!(
            node.get("b").unwrap().value,
            Value::String(std::borrow::Cow::Borrowed("plain"))
        ));
    }

    #[test]
    fn refuses_what_is_not_strict_json() {
        for (text, at, start) in [
            ("[1, 2,]", 5, "trailing comma"),
            ("{\"a\": 1,\n}", 7, "trailing comma"),
            ("{'a': 1}", 1, "expected a key"),
            ("[01]", 2, "a JSON number has no leading zero"),
            ("[NaN]", 1, "expected a JSON value"),
            ("\"a\tb\"", 2, "a JSON string holds no raw"),
            ("\"\\ud800\"", 7, "a high surrogate"),
            ("\"\\udc00\"", 3, "a low surrogate"),
            ("[1] x", 4, "expected the end of the file"),
            ("", 0, "expected a JSON value"),
            ("{\"a\" 1}", 5, "expected `:`"),
            ("\"open", 0, "this string is never closed"),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.at, at, "{text:?}: {}", error.message);
            assert!(
                error.message.starts_with(start),
                "{text:?}: {}",
                error.message
            );
        }
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(10_000);
        let error = parse(&deep).unwrap_err();
        assert!(error.message.contains("nest deeper"));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok).is_ok());
    }
}
