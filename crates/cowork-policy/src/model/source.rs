//! The texts of the files a policy was read from, and byte spans into them.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

/// An index into [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FileId(pub u32);

/// Where something was written: a byte range in one file. Twelve bytes, so every member entry of
/// a large org can keep one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

struct File {
    path: String,
    text: Arc<str>,
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
}

/// The path and size only: the text may hold inline secrets (SEC005), and a `Debug` of a
/// policy ends up in logs and panic messages.
impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("path", &self.path)
            .field("bytes", &self.text.len())
            .field("lines", &self.line_starts.len())
            .finish()
    }
}

/// Where each line of `text` starts.
fn line_starts(text: &str) -> Vec<u32> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
        .collect()
}

/// The files of a policy, with what is needed to turn a [`Span`] into line and column.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    files: Vec<File>,
    /// Inline secrets: never shown, whatever the output.
    redacted: Vec<Span>,
}

impl Sources {
    pub fn add(&mut self, path: String, text: Arc<str>) -> FileId {
        let line_starts = line_starts(&text);
        self.files.push(File {
            path,
            text,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }

    /// [`Sources::add`] for many files at once, their lines found on every core (the ten
    /// thousand files of a large export), added in the order given.
    pub fn add_all(&mut self, files: Vec<(String, Arc<str>)>) {
        let found: Vec<Vec<u32>> = files
            .par_iter()
            .map(|(_, text)| line_starts(text))
            .collect();
        for ((path, text), line_starts) in files.into_iter().zip(found) {
            self.files.push(File {
                path,
                text,
                line_starts,
            });
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.path.as_str())
    }

    /// Mark a span as an inline secret, so that [`Sources::display_text`] masks it.
    pub fn redact(&mut self, span: Span) {
        self.redacted.push(span);
    }

    /// [`Sources::display_text`] as a shared text: the file's own text, not copied, when
    /// nothing in it is redacted.
    pub fn shared_text(&self, file: FileId) -> Arc<str> {
        match self.display_text(file) {
            std::borrow::Cow::Borrowed(_) => Arc::clone(&self.files[file.0 as usize].text),
            std::borrow::Cow::Owned(text) => Arc::from(text),
        }
    }

    /// A file's text as it may be shown: every inline secret replaced by `*`, byte for byte,
    /// so spans and columns still line up.
    pub fn display_text(&self, file: FileId) -> std::borrow::Cow<'_, str> {
        let text = &self.files[file.0 as usize].text;
        let mut spans = self.redacted.iter().filter(|s| s.file == file).peekable();
        if spans.peek().is_none() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut bytes = text.as_bytes().to_vec();
        for span in spans {
            let end = (span.end as usize).min(bytes.len());
            for byte in bytes
                .get_mut(span.start as usize..end)
                .into_iter()
                .flatten()
            {
                // Keep line breaks so a multi-line secret does not join lines.
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b'*';
                }
            }
        }
        // Every byte of a multi-byte character is replaced, so the result is still UTF-8.
        std::borrow::Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, file: &File, offset: u32) -> (u32, u32) {
        let line = file.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = file.line_starts[line] as usize;
        let end = (offset as usize).min(file.text.len());
        let column = file
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }

    /// Turn a span into the public, line-and-column location.
    pub fn locate(&self, span: Span) -> Location {
        let file = &self.files[span.file.0 as usize];
        let (line, column) = self.line_col(file, span.start);
        let (end_line, end_column) = self.line_col(file, span.end.max(span.start));
        Location {
            file: file.path.clone(),
            line,
            column,
            end_line,
            end_column,
            bytes: span.start as usize..span.end.max(span.start) as usize,
        }
    }
}

/// A place in a policy file. Lines and columns start at 1; columns count characters; the end is
/// exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, relative to the policy root, with `/` separators.
    pub file: String,
    /// The line of the first character.
    pub line: u32,
    /// The column of the first character.
    pub column: u32,
    /// The line of the end.
    pub end_line: u32,
    /// The column just past the last character.
    pub end_column: u32,
    pub(crate) bytes: Range<usize>,
}

/// Locations order by file, then position. Files order by path component, as they are read
/// (`a/x.yaml` before `a-c.yaml`).
impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.file
            .split('/')
            .cmp(other.file.split('/'))
            .then_with(|| {
                (self.line, self.column, self.end_line, self.end_column).cmp(&(
                    other.line,
                    other.column,
                    other.end_line,
                    other.end_column,
                ))
            })
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
