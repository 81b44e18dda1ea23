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
        if let Err(error) = read_file(file, builder) {
            errors.push(error);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn read_file(file: &File<'_>, builder: &mut Builder) -> Result<(), ImportError> {
    let mut locator = Locator::new(file.name, file.text);
    let located = |(at, message): (usize, String)| ImportError {
        location: Locator::new(file.name, file.text).at(at, at + 1),
        message,
    };
    let mut rows = Rows::new(file.text);
    let Some(header) = rows.next().transpose().map_err(located)? else {
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
    let (Some(group_at), Some(email_at)) = (column("group"), column("email")) else {
        let first = &header[0];
        return Err(ImportError {
            location: locator.at(first.start, first.end),
            message: "expected a header row with a `group` and an `email` column (GAM's `print group-members` writes `group,type,role,id,status,email`)".to_string(),
        });
    };
    let type_at = column("type");
    let id_at = column("id");
    let status_at = column("status");
    let names: Vec<String> = header.iter().map(|c| c.text.to_string()).collect();
    let mut last: Option<(String, usize)> = None;
    for row in rows {
        let row = row.map_err(located)?;
        if row
            .iter()
            .map(|c| c.text.as_ref())
            .eq(names.iter().map(String::as_str))
        {
            continue;
        }
        if row.len() != header.len() {
            let first = &row[0];
            return Err(ImportError {
                location: locator.at(first.start, first.end),
                message: format!(
                    "expected {} cells, as in the header row, found {}",
                    header.len(),
                    row.len()
                ),
            });
        }
        let group_cell = &row[group_at];
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
        let email_cell = &row[email_at];
        let email = email_cell.text.trim();
        let id = id_at.map(|i| row[i].text.trim()).filter(|t| !t.is_empty());
        let location = if email.is_empty() {
            let cell = id_at.map_or(email_cell, |i| &row[i]);
            locator.at(cell.start, cell.end)
        } else {
            locator.at(email_cell.start, email_cell.end)
        };
        let kind = match type_at
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
                status: status_at
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
    use super::Rows;

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
