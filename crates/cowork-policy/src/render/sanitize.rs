//! The one sanitiser of every text output: what a policy, a config or a command line says is
//! shown, never obeyed.
//!
//! Names, emails, file names, waiver reasons and load errors all come from files that anyone
//! who can open a pull request writes. Printed raw, a line feed in a group name starts a new
//! line of the CI log, where `::error ...` or `::add-mask::` is a GitHub workflow command; an
//! ESC starts a terminal escape sequence (colours, cursor moves, OSC 8 hyperlinks that hide
//! their target). So every text renderer passes each value it takes from user data through
//! [`sanitize`] before it writes it: `full` (its titles too, which annotate-snippets would
//! only partly clean: it shows ESC as `␛` but keeps line feeds), `concise`, `github`,
//! `markdown` (before its own Markdown escaping), the `access` and `diff` texts, the summaries
//! of [`super::Compared`], and the command line's own messages. The DOT and Mermaid drawings
//! keep their own escaping of line breaks and show every other control character the same way
//! ([`shown`]).
//!
//! The replacements are the ones rustc and annotate-snippets show in source lines, so a value
//! reads the same in a title as in the line it came from: each C0 control character (line feed,
//! carriage return and tab included) and DEL become their Unicode Control Picture (`␊`, `␍`,
//! `␉`, `␛`, `␡`, ...); the C1 controls (U+0080 to U+009F, which include the one-byte CSI and
//! OSC of some terminals), the bidirectional embeddings, overrides and isolates (which make a
//! line read differently from its bytes) and the line and paragraph separators become `�`.
//! Everything else, including every printable non-ASCII character, is kept.
//!
//! The machine formats do not need it: JSON, SARIF and GitLab escape every control character
//! as JSON does, and JUnit replaces those XML cannot hold.

use std::borrow::Cow;

/// What a character is shown as, when it must not be written as is.
fn replacement(c: char) -> Option<char> {
    match c {
        // Control Pictures: U+2400 for NUL, then one per C0 code, in order.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}'
        | '\u{2029}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// One character as [`sanitize`] shows it, for a format that escapes line breaks its own way
/// (the DOT and Mermaid labels) and shows every other control character the common way.
pub(crate) fn shown(c: char) -> char {
    replacement(c).unwrap_or(c)
}

/// A value from a policy, a config or a command line, made safe to write into a text output:
/// on one line, with no control character and no bidirectional override. Borrowed when there
/// was nothing to replace.
///
/// ```
/// use cowork_policy::render::sanitize;
///
/// assert_eq!(sanitize("eng\n::error::forged"), "eng␊::error::forged");
/// assert_eq!(sanitize("\u{1b}[31mred"), "␛[31mred");
/// assert_eq!(sanitize("équipe `data`"), "équipe `data`");
/// ```
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| replacement(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| replacement(c).unwrap_or(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn every_control_character_is_shown_not_obeyed() {
        assert_eq!(sanitize("a\r\nb\tc\0"), "a␍␊b␉c␀");
        assert_eq!(sanitize("\u{1b}]8;;http://x/\u{1b}\\"), "␛]8;;http://x/␛\\");
        assert_eq!(sanitize("del\u{7f} csi\u{9b}31m"), "del␡ csi�31m");
        assert_eq!(sanitize("abc\u{202e}fed\u{2066}"), "abc�fed�");
        assert_eq!(sanitize("one\u{2028}two"), "one�two");
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let shown = sanitize(c.encode_utf8(&mut [0; 4])).into_owned();
            assert!(
                !shown.chars().any(char::is_control),
                "U+{:04X} kept as {shown:?}",
                c as u32
            );
        }
    }

    #[test]
    fn plain_text_is_borrowed() {
        for text in ["", "group `r&d|ops`", "équipe 東京 ✓"] {
            assert!(matches!(
                sanitize(text),
                std::borrow::Cow::Borrowed(t) if t == text
            ));
        }
    }
}
