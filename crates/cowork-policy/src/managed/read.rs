//! Reading the managed files admins already have, with the byte range of every key and value:
//! an XML plist or `.mobileconfig`, a `.reg` export (UTF-16 with a byte-order mark, or UTF-8),
//! a JSON file. A reader knows file formats, not keys: what the entries mean is `check`'s.

use std::ops::Range;

use crate::desktop::keys::MACOS_DOMAIN;

/// How a value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Raw {
    /// A string: a plist `<string>`, a `REG_SZ`, a JSON string.
    String(String),
    /// A plist element other than `<string>` (`array`, `dict`, `integer`, `true`, ...).
    Plist(String),
    /// A `REG_DWORD`, with its number when it reads as one.
    Dword(Option<u32>),
    /// A registry value of another type than `REG_SZ` and `REG_DWORD` (`REG_EXPAND_SZ`, ...).
    Registry(&'static str),
    /// A JSON value other than a string.
    Json(serde_json::Value),
}

/// Where a `.reg` value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hive {
    Machine,
    User,
}

/// One key and its value.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Raw,
    pub value_span: Range<usize>,
    /// The hive, for a `.reg` value.
    pub hive: Option<Hive>,
}

/// A managed file, read.
#[derive(Debug, Default)]
pub(crate) struct ManagedFile {
    /// The text, decoded: spans index into it.
    pub text: String,
    pub entries: Vec<Entry>,
    /// `.reg` keys below the policy key, which the app never reads: (path, span, hive).
    pub subkeys: Vec<(String, Range<usize>, Hive)>,
}

/// Why a file could not be read: a byte offset and what was expected.
#[derive(Debug)]
pub(crate) struct ReadError {
    pub offset: usize,
    pub message: String,
}

fn error(offset: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        offset,
        message: message.into(),
    }
}

/// Decode a file's bytes: UTF-16 LE or BE with a byte-order mark, else UTF-8 (with or without
/// its mark).
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| error(0, "the file is not valid UTF-16"))
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            String::from_utf8(bytes.to_vec()).map_err(|e| {
                error(
                    e.utf8_error().valid_up_to(),
                    "the file is not UTF-8 nor UTF-16 with a byte-order mark",
                )
            })
        }
    }
}

/// Read a file by its name's extension: `.reg`, `.json`, else an XML plist.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<ManagedFile, ReadError> {
    let text = decode(bytes)?;
    let lower = name.to_ascii_lowercase();
    let mut file = if lower.ends_with(".reg") {
        registry(&text)?
    } else if lower.ends_with(".json") {
        json(&text)?
    } else {
        plist(&text)?
    };
    file.text = text;
    Ok(file)
}

/// An XML plist or `.mobileconfig`: the settings of the desktop app's payloads (a payload whose
/// `PayloadType` is the app's domain, or the `Forced` preferences of a managed-client payload),
/// else, in a plain plist, the top dictionary.
fn plist(text: &str) -> Result<ManagedFile, ReadError> {
    // A DTD is allowed (every plist has one), with a bound on nodes, entities included.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| error(offset_of(text, e.pos()), format!("not XML: {e}")))?;
    let root = doc.root_element();
    let top = root
        .children()
        .find(roxmltree::Node::is_element)
        .filter(|n| root.has_tag_name("plist") && n.has_tag_name("dict"))
        .ok_or_else(|| error(root.range().start, "expected `<plist>` holding a `<dict>`"))?;
    let mut file = ManagedFile::default();
    let mut dicts = Vec::new();
    settings_dicts(top, &mut dicts, 0);
    let is_profile = pairs(top).any(|(k, _)| k == "PayloadContent" || k == "PayloadType");
    if dicts.is_empty() && !is_profile {
        dicts.push(top);
    }
    for dict in dicts {
        for (key, (key_node, value)) in pairs(dict) {
            if key.starts_with("Payload") {
                continue;
            }
            let raw = if value.has_tag_name("string") {
                Raw::String(value.text().unwrap_or("").to_string())
            } else {
                Raw::Plist(value.tag_name().name().to_string())
            };
            file.entries.push(Entry {
                key: key.to_string(),
                key_span: key_node.range(),
                value: raw,
                value_span: value.range(),
                hive: None,
            });
        }
    }
    Ok(file)
}

fn offset_of(text: &str, pos: roxmltree::TextPos) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(pos.row.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start
        + rest
            .char_indices()
            .nth(pos.col.saturating_sub(1) as usize)
            .map_or(rest.len(), |(i, _)| i)
}

/// A `<dict>`'s pairs: each `<key>`'s text with the key node and the value element after it.
fn pairs<'a, 'i>(
    dict: roxmltree::Node<'a, 'i>,
) -> impl Iterator<Item = (&'a str, (roxmltree::Node<'a, 'i>, roxmltree::Node<'a, 'i>))> {
    let elements: Vec<_> = dict
        .children()
        .filter(roxmltree::Node::is_element)
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < elements.len() {
        if elements[i].has_tag_name("key") {
            out.push((
                elements[i].text().unwrap_or(""),
                (elements[i], elements[i + 1]),
            ));
            i += 2;
        } else {
            i += 1;
        }
    }
    out.into_iter()
}

/// The dictionaries holding the app's settings, found below `node`.
fn settings_dicts<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    out: &mut Vec<roxmltree::Node<'a, 'i>>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    if node.has_tag_name("array") {
        for child in node.children().filter(roxmltree::Node::is_element) {
            settings_dicts(child, out, depth + 1);
        }
        return;
    }
    if !node.has_tag_name("dict") {
        return;
    }
    let payload_type = pairs(node)
        .find(|(k, _)| *k == "PayloadType")
        .and_then(|(_, (_, v))| v.text());
    if payload_type == Some(MACOS_DOMAIN) {
        out.push(node);
        return;
    }
    for (key, (_, value)) in pairs(node) {
        match key {
            // A managed-client payload: `PayloadContent` > domain > `Forced` >
            // `mcx_preference_settings`.
            "PayloadContent" | "Forced" | "mcx_preference_settings" => {
                if key == "mcx_preference_settings" && value.has_tag_name("dict") {
                    out.push(value);
                } else {
                    settings_dicts(value, out, depth + 1);
                }
            }
            MACOS_DOMAIN => settings_dicts(value, out, depth + 1),
            _ => {}
        }
    }
}

/// A `.reg` export: the values under `HKLM` or `HKCU` `\SOFTWARE\Policies\Claude`, and the keys
/// below it.
fn registry(text: &str) -> Result<ManagedFile, ReadError> {
    let mut file = ManagedFile::default();
    let mut section: Option<Hive> = None;
    // Logical lines: a line ending in `\` continues (hex data).
    let mut offset = 0;
    // Each logical line: where it starts, where its first physical line ends (spans stop there),
    // and its text.
    let mut lines: Vec<(usize, usize, String)> = Vec::new();
    let mut pending: Option<(usize, usize, String)> = None;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let (at, first_end, mut joined) =
            pending
                .take()
                .unwrap_or((start, start + line.len(), String::new()));
        joined.push_str(if joined.is_empty() {
            line
        } else {
            line.trim_start()
        });
        if joined.ends_with('\\') {
            joined.pop();
            pending = Some((at, first_end, joined));
        } else {
            lines.push((at, first_end, joined));
        }
    }
    if let Some(rest) = pending {
        lines.push(rest);
    }
    let mut saw_header = false;
    for (at, first_end, line) in lines {
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
        if trimmed.is_empty() || trimmed.starts_with(';') {
            continue;
        }
        if !saw_header {
            if trimmed != "Windows Registry Editor Version 5.00" && trimmed != "REGEDIT4" {
                return Err(error(
                    at,
                    "expected `Windows Registry Editor Version 5.00` on the first line",
                ));
            }
            saw_header = true;
            continue;
        }
        if let Some(path) = trimmed.strip_prefix('[') {
            let path = path.trim_end_matches(']');
            section = None;
            if path.starts_with('-') {
                continue;
            }
            let (hive, rest) = match path.split_once('\\') {
                Some((h, rest)) => (h.to_ascii_uppercase(), rest),
                None => continue,
            };
            let hive = match hive.as_str() {
                "HKEY_LOCAL_MACHINE" | "HKLM" => Hive::Machine,
                "HKEY_CURRENT_USER" | "HKCU" => Hive::User,
                _ => continue,
            };
            let lower = rest.to_ascii_lowercase();
            if lower == r"software\policies\claude" {
                section = Some(hive);
            } else if lower.starts_with(r"software\policies\claude\") {
                file.subkeys
                    .push((path.to_string(), at + lead..at + lead + trimmed.len(), hive));
            }
            continue;
        }
        let Some(hive) = section else { continue };
        let Some(body) = trimmed.strip_prefix('"') else {
            continue;
        };
        let (name, after) =
            reg_quoted(body).ok_or_else(|| error(at + lead, "expected `\"name\"=value`"))?;
        let name_span = at + lead..at + lead + after.0;
        let rest = &body[after.0 - 1..];
        let Some(value) = rest.strip_prefix('=') else {
            return Err(error(
                at + lead + after.0,
                "expected `=` after the value's name",
            ));
        };
        let value_at = at + lead + 1 + after.0;
        let value_trim = value.trim_end();
        let raw = if let Some(s) = value_trim.strip_prefix('"') {
            match reg_quoted(s) {
                Some((text, _)) => Raw::String(text),
                None => return Err(error(value_at, "a string value without its closing quote")),
            }
        } else if value_trim == "-" {
            continue;
        } else if let Some(hex) = value_trim
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("dword:"))
            .and_then(|_| value_trim.get(6..))
        {
            Raw::Dword(u32::from_str_radix(hex.trim(), 16).ok())
        } else {
            let lower = value_trim.to_ascii_lowercase();
            Raw::Registry(match lower.split(':').next().unwrap_or("") {
                "hex(2)" => "REG_EXPAND_SZ",
                "hex(7)" => "REG_MULTI_SZ",
                "hex(b)" => "REG_QWORD",
                "hex" | "hex(3)" => "REG_BINARY",
                "hex(0)" => "REG_NONE",
                _ => "an unknown type",
            })
        };
        file.entries.push(Entry {
            key: name,
            key_span: name_span,
            value: raw,
            value_span: value_at..(value_at + value_trim.len()).min(first_end),
            hive: Some(hive),
        });
    }
    if !saw_header {
        return Err(error(0, "an empty `.reg` file"));
    }
    Ok(file)
}

/// A `.reg` quoted string from just after its opening quote: the text unescaped and the byte
/// index just past its closing quote, counted from the opening quote.
fn reg_quoted(body: &str) -> Option<(String, (usize,))> {
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, (i + 2,))),
            c => out.push(c),
        }
    }
    None
}

/// A JSON file: its top-level members.
fn json(text: &str) -> Result<ManagedFile, ReadError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let at = offset_of(
            text,
            roxmltree::TextPos::new(e.line() as u32, e.column() as u32),
        );
        error(at, format!("not JSON: {e}"))
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(error(0, "expected a JSON object"));
    };
    let spans = top_level_spans(text);
    let mut file = ManagedFile::default();
    for (key, key_span, value_span) in spans {
        let Some(value) = map.get(&key) else { continue };
        file.entries.push(Entry {
            key,
            key_span,
            value: match value {
                serde_json::Value::String(s) => Raw::String(s.clone()),
                other => Raw::Json(other.clone()),
            },
            value_span,
            hive: None,
        });
    }
    Ok(file)
}

/// The top-level members of a JSON object that parsed: each key (unescaped), its span with
/// quotes, and its value's span.
pub(crate) fn top_level_spans(text: &str) -> Vec<(String, Range<usize>, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut expect_key = false;
    let mut current: Option<(String, Range<usize>)> = None;
    let mut value_start = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let span = start..(i + 1).min(bytes.len());
                if depth == 1 && expect_key {
                    let key =
                        serde_json::from_str::<String>(&text[span.clone()]).unwrap_or_default();
                    current = Some((key, span));
                    expect_key = false;
                } else if depth == 1 && value_start.is_none() {
                    value_start = Some(start);
                }
            }
            b'{' | b'[' => {
                if depth == 1 && value_start.is_none() {
                    value_start = Some(i);
                }
                depth += 1;
                if depth == 1 {
                    expect_key = true;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    finish(&mut out, &mut current, &mut value_start, text, i);
                }
            }
            b',' if depth == 1 => {
                finish(&mut out, &mut current, &mut value_start, text, i);
                expect_key = true;
            }
            b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                if depth == 1 && value_start.is_none() && current.is_some() {
                    value_start = Some(i);
                }
            }
        }
        i += 1;
    }
    out
}

fn finish(
    out: &mut Vec<(String, Range<usize>, Range<usize>)>,
    current: &mut Option<(String, Range<usize>)>,
    value_start: &mut Option<usize>,
    text: &str,
    end: usize,
) {
    if let (Some((key, key_span)), Some(start)) = (current.take(), value_start.take()) {
        let value_end = start + text[start..end].trim_end().len();
        out.push((key, key_span, start..value_end));
    }
}
