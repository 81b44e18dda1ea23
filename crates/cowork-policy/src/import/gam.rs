//! GAM exports: the CSV of `gam print group-members`.
//!
//! # Layout
//!
//! One or more CSV files (RFC 4180: `,` separated, `"` quoted, `""` for a quote), each with a
//! header row. GAM's default columns are `group,type,role,id,status,email`; columns are found
//! by name, in any order, and others are ignored. `group` and `email` are required. Each row is
//! one member of the group in its `group` column. A header row repeated further down (files
//! appended to each other) is skipped.
//!
//! # Quirks
//!
//! - `type` is `USER`, `GROUP` (nesting, by the nested group's email), `CUSTOMER` (every user
//!   of the domain, with no email: [`super::ProblemKind::WholeDomain`]) or `EXTERNAL`.
//! - Group ids are the groups' emails, lowercased; member emails are lowercased.
//! - Positions point at the member's `email` cell (line and column in the CSV).

use rayon::prelude::*;

use super::{Builder, Entry, File, ImportError, Kind, Locator, ProblemKind};

/// One cell: its text (unquoted) and its byte range.
#[derive(Debug)]
struct Cell<'a> {
    text: std::borrow::Cow<'a, str>,
    start: usize,
    end: usize,
}

/// The rows of a CSV text, one at a time, each a list of cells; or the place of a quote never
/// closed. Rows are read as they are used, so a large file is never held as cells whole.
struct Rows<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Rows<'a> {
    fn new(text: &'a str) -> Rows<'a> {
        Rows {
            text,
            at: usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8(),
        }
    }

    /// The rows of the bytes `part` of `text` (which start a row), at their places in `text`.
    /// A quoted cell that runs past the part's end is never closed here.
    fn part(text: &'a str, part: std::ops::Range<usize>) -> Rows<'a> {
        Rows {
            text: text.get(..part.end).unwrap_or(text),
            at: part.start,
        }
    }
}

impl<'a> Iterator for Rows<'a> {
    type Item = Result<Vec<Cell<'a>>, (usize, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = self.at;
        while at < bytes.len() {
            let row = self.row(text, bytes, &mut at);
            self.at = at;
            match row {
                Ok(row) if row.len() == 1 && row[0].text.is_empty() => {}
                other => return Some(other),
            }
        }
        self.at = at;
        None
    }
}

impl<'a> Rows<'a> {
    /// One row from byte `at`, which moves past its line end. A blank line is one empty cell.
    fn row(
        &self,
        text: &'a str,
        bytes: &[u8],
        at: &mut usize,
    ) -> Result<Vec<Cell<'a>>, (usize, String)> {
        let mut row = Vec::new();
        loop {
            let start = *at;
            if bytes.get(*at) == Some(&b'"') {
                *at += 1;
                let mut out = String::new();
                let mut run = *at;
                loop {
                    match bytes.get(*at) {
                        None => {
                            *at = bytes.len();
                            return Err((
                                start,
                                "this quoted cell is never closed by a `\"`".to_string(),
                            ));
                        }
                        Some(b'"') if bytes.get(*at + 1) == Some(&b'"') => {
                            out.push_str(&text[run..=*at]);
                            *at += 2;
                            run = *at;
                        }
                        Some(b'"') => {
                            out.push_str(&text[run..*at]);
                            *at += 1;
                            break;
                        }
                        Some(_) => *at += 1,
                    }
                }
                if !matches!(bytes.get(*at), None | Some(b',' | b'\n' | b'\r')) {
                    let place = *at;
                    *at = bytes.len();
                    return Err((
                        place,
                        "expected `,` or the end of the line after a quoted cell".to_string(),
                    ));
                }
                row.push(Cell {
                    text: out.into(),
                    start,
                    end: *at,
                });
            } else {
                while !matches!(bytes.get(*at), None | Some(b',' | b'\n' | b'\r')) {
                    *at += 1;
                }
                row.push(Cell {
                    text: text[start..*at].into(),
                    start,
                    end: *at,
                });
            }
            match bytes.get(*at) {
                Some(b',') => *at += 1,
                Some(b'\r') => {
                    *at += 1;
                    if bytes.get(*at) == Some(&b'\n') {
                        *at += 1;
                    }
                    return Ok(row);
                }
                Some(b'\n') => {
                    *at += 1;
                    return Ok(row);
                }
                _ => return Ok(row),
            }
        }
    }
}

pub(crate) fn read(files: &[File<'_>], builder: &mut Builder) -> Result<(), Vec<ImportError>> {
    let mut errors = Vec::new();
    for file in files {
        if let Err(error) = read_file(file, builder, rayon::current_num_threads() * 4) {
            errors.push(error);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where a file's columns are, from its header row.
struct Columns {
    group: usize,
    email: usize,
    kind: Option<usize>,
    id: Option<usize>,
    status: Option<usize>,
    /// The header's cells, to skip the header where it is repeated.
    names: Vec<String>,
}

/// One file, its rows read in about `parts` parts.
fn read_file(file: &File<'_>, builder: &mut Builder, parts: usize) -> Result<(), ImportError> {
    let mut locator = Locator::new(file.name, file.text);
    let mut rows = Rows::new(file.text);
    let Some(header) = rows
        .next()
        .transpose()
        .map_err(|error| located(&mut locator, error))?
    else {
        return Err(ImportError {
            location: locator.at(0, 0),
            message:
                "expected a header row (`group,type,role,id,status,email`), found an empty file"
                    .to_string(),
        });
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|c| c.text.trim().eq_ignore_ascii_case(name))
    };
    let (Some(group), Some(email)) = (column("group"), column("email")) else {
        let first = &header[0];
        return Err(ImportError {
            location: locator.at(first.start, first.end),
            message: "expected a header row with a `group` and an `email` column (GAM's `print group-members` writes `group,type,role,id,status,email`)".to_string(),
        });
    };
    let columns = Columns {
        group,
        email,
        kind: column("type"),
        id: column("id"),
        status: column("status"),
        names: header.iter().map(|c| c.text.to_string()).collect(),
    };
    // A large file is read in parts on every core, each into a builder of its own, taken in
    // order. A part starts after a line end, which is the start of a row unless the line end
    // is inside a quoted cell: then the part before ends in a quoted cell never closed. Any
    // error in any part, that one or a real one, and the file is read again in one piece, so
    // errors are always those of reading it from the top.
    let parts = self::parts(file.text, rows.at, parts);
    if parts.len() > 1
        && let Ok(read) = read_parts(file, &parts, &columns, &locator, builder.format)
    {
        for own in read {
            builder.take(own);
        }
        return Ok(());
    }
    read_rows(rows, &columns, &mut locator, builder)
}

/// The rows of each part on any core, each part into a builder of its own; the first error.
fn read_parts(
    file: &File<'_>,
    parts: &[std::ops::Range<usize>],
    columns: &Columns,
    locator: &Locator<'_>,
    format: super::Format,
) -> Result<Vec<Builder>, ImportError> {
    parts
        .par_iter()
        .map(|part| {
            let mut own = Builder::new(format);
            let rows = Rows::part(file.text, part.clone());
            read_rows(rows, columns, &mut locator.clone(), &mut own)?;
            Ok(own)
        })
        .collect()
}

/// Where a CSV text's rows after byte `body` are cut into about `count` parts: each after a
/// line end. At least 1 MiB each; one part when the text is smaller.
fn parts(text: &str, body: usize, count: usize) -> Vec<std::ops::Range<usize>> {
    const LEAST: usize = 1 << 20;
    let size = (text.len().saturating_sub(body) / count.max(1)).max(LEAST);
    let mut parts = Vec::new();
    let mut start = body;
    while start < text.len() {
        let end = text
            .as_bytes()
            .get(start + size..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .map_or(text.len(), |i| start + size + i + 1);
        parts.push(start..end);
        start = end;
    }
    parts
}

fn located(locator: &mut Locator<'_>, (at, message): (usize, String)) -> ImportError {
    ImportError {
        location: locator.at(at, at + 1),
        message,
    }
}

/// The members in `rows`, the rows after the header.
fn read_rows(
    rows: Rows<'_>,
    columns: &Columns,
    locator: &mut Locator<'_>,
    builder: &mut Builder,
) -> Result<(), ImportError> {
    let mut last: Option<(String, usize)> = None;
    for row in rows {
        let row = row.map_err(|error| located(locator, error))?;
        if row
            .iter()
            .map(|c| c.text.as_ref())
            .eq(columns.names.iter().map(String::as_str))
        {
            continue;
        }
        if row.len() != columns.names.len() {
            let first = &row[0];
            return Err(ImportError {
                location: locator.at(first.start, first.end),
                message: format!(
                    "expected {} cells, as in the header row, found {}",
                    columns.names.len(),
                    row.len()
                ),
            });
        }
        let group_cell = &row[columns.group];
        let group_text = group_cell.text.trim();
        if group_text.is_empty() {
            return Err(ImportError {
                location: locator.at(group_cell.start, group_cell.end),
                message: "expected the group's email in the `group` cell, found it empty"
                    .to_string(),
            });
        }
        // GAM writes a group's rows together: the last group is looked up once.
        let index = match &last {
            Some((text, index)) if text == group_text => *index,
            _ => {
                let id = group_text.to_lowercase();
                let index =
                    builder.group(&id, None, || locator.at(group_cell.start, group_cell.end));
                last = Some((group_text.to_string(), index));
                index
            }
        };
        let email_cell = &row[columns.email];
        let email = email_cell.text.trim();
        let id = columns
            .id
            .map(|i| row[i].text.trim())
            .filter(|t| !t.is_empty());
        let location = if email.is_empty() {
            let cell = columns.id.map_or(email_cell, |i| &row[i]);
            locator.at(cell.start, cell.end)
        } else {
            locator.at(email_cell.start, email_cell.end)
        };
        let kind = match columns
            .kind
            .map(|i| row[i].text.trim().to_ascii_uppercase())
            .as_deref()
        {
            Some("USER" | "EXTERNAL") => Kind::User,
            Some("GROUP") => Kind::Group,
            Some("CUSTOMER") => {
                let problem = ProblemKind::WholeDomain {
                    group: builder.group_name(index),
                    customer: id.unwrap_or("(no id)").to_string(),
                };
                builder.problem(problem, location);
                continue;
            }
            _ => Kind::Unknown,
        };
        if email.is_empty() && id.is_none() {
            return Err(ImportError {
                location,
                message: "expected the member's email in the `email` cell, found it empty"
                    .to_string(),
            });
        }
        let key = if kind == Kind::User {
            id.map(str::to_string)
                .or_else(|| Some(email.to_lowercase()))
        } else {
            Some(email.to_lowercase())
                .filter(|e| !e.is_empty())
                .or(id.map(str::to_string))
        };
        builder.member(
            index,
            Entry {
                // Without a `type` column: a listed group's email is nesting, else a user.
                kind,
                id: key,
                email: Some(email.to_string()).filter(|e| !e.is_empty()),
                display: None,
                status: columns
                    .status
                    .map(|i| row[i].text.trim().to_string())
                    .filter(|s| !s.is_empty()),
                active: true,
                location,
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Columns, Rows, parts, read_file, read_parts};
    use crate::import::{Builder, File, Format, Locator};

    /// A file read in parts gives the export it gives read from the top, quoted cells across
    /// line ends included, and one across a cut (then read again in one piece).
    #[test]
    fn a_file_read_in_parts_is_the_file_read_whole() {
        let mut text = String::from("group,type,role,id,status,email\n");
        for i in 0..60_000 {
            let group = i / 37;
            match i % 5_000 {
                17 => text.push_str(&format!(
                    "g{group}@x.com,USER,\"MEMBER\nwith, a line\",{i},ACTIVE,u{i}@x.com\n"
                )),
                99 => text.push_str(&format!("g{group}@x.com,CUSTOMER,MEMBER,C0{i},,\n")),
                _ => text.push_str(&format!(
                    "g{group}@x.com,USER,MEMBER,{i},ACTIVE,U{i}@x.com\n"
                )),
            }
        }
        let long = format!(
            "g1@x.com,USER,\"{}\",1,ACTIVE,long@x.com\n",
            "a\n".repeat(700_000)
        );
        for (name, text) in [
            ("plain.csv", text.clone()),
            ("long.csv", text.clone() + &long + &text),
        ] {
            assert!(parts(&text, 0, 8).len() > 1, "{name} is cut");
            let file = File { name, text: &text };
            let read = |count| {
                let mut builder = Builder::new(Format::Gam);
                read_file(&file, &mut builder, count).unwrap();
                builder.finish()
            };
            let whole = read(1);
            // The parts are read as parts (not again as a whole) exactly when no cut is inside a
            // quoted cell.
            let columns = Columns {
                group: 0,
                kind: Some(1),
                id: Some(3),
                status: Some(4),
                email: 5,
                names: ["group", "type", "role", "id", "status", "email"]
                    .map(String::from)
                    .into(),
            };
            let body = text.find('\n').unwrap() + 1;
            let in_parts = read_parts(
                &file,
                &parts(&text, body, 8),
                &columns,
                &Locator::new(name, &text),
                Format::Gam,
            );
            assert_eq!(in_parts.is_ok(), name == "plain.csv", "{name}");
            assert_eq!(read(8), whole, "{name}");
            assert_eq!(read(64), whole, "{name}");
            assert!(whole.groups.len() > 1_000 && !whole.problems.is_empty());
        }
    }

    #[test]
    fn quoted_cells_and_line_ends() {
        let rows: Vec<_> = Rows::new("a,\"b,\"\"c\"\"\"\r\n\n d ,e")
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1].text, "b,\"c\"");
        assert_eq!((rows[0][1].start, rows[0][1].end), (2, 11));
        assert_eq!(rows[1][0].text, " d ");
        let error = Rows::new("a,\"b")
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert_eq!(error.0, 2);
    }
}
