//! Human output, rendered like rustc's errors with `annotate-snippets`: code, message, the source
//! line underlined at file:line:column, related locations, and a help line.

use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostic::{Finding, Report, Severity, plural};
use crate::error::LoadErrors;
use crate::model::Location;
use crate::model::Policy;

use super::sanitize::sanitize;

/// How to render human output.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HumanOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Print only the findings: no waived findings, no platform line, no summary
    /// (`check --quiet`).
    pub quiet: bool,
}

impl HumanOptions {
    /// Options with colour on or off.
    pub fn new(color: bool) -> HumanOptions {
        HumanOptions {
            color,
            quiet: false,
        }
    }

    /// Print only the findings, or everything (the default).
    pub fn quiet(mut self, quiet: bool) -> HumanOptions {
        self.quiet = quiet;
        self
    }

    fn renderer(&self) -> Renderer {
        if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// The lines of `text` that cover `locations`, as (first line number, byte offset, slice).
fn excerpt<'t>(text: &'t str, locations: &[&Location]) -> (usize, usize, &'t str) {
    let first = locations.iter().min_by_key(|l| l.bytes.start);
    let start = first.map_or(0, |l| l.bytes.start).min(text.len());
    let end = locations
        .iter()
        .map(|l| l.bytes.end)
        .max()
        .unwrap_or(0)
        .min(text.len());
    let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    // A CRLF file's `\r` would otherwise show at the end of every snippet line.
    let to = if text[..to].ends_with('\r') {
        to - 1
    } else {
        to
    };
    // The first location's line, not the lines counted from the top: an export is one file
    // of 50 MB, and counting them again for each finding took seconds.
    let line = first.map_or(1, |l| l.line as usize);
    (line, from, &text[from..to.max(from)])
}

/// One snippet per file: the primary location first, then related ones in the same file, then
/// other files. A file whose text is not at hand (the config file, for a waiver) still gets its
/// `--> file:line:column` line, with each label as a note.
fn snippets<'b, 's: 'b>(
    source: &dyn Fn(&str) -> Option<&'s str>,
    primary: (&'b Location, &'b str),
    related: &'b [(Location, String)],
) -> Vec<Element<'b>> {
    let mut files: Vec<&str> = vec![primary.0.file.as_str()];
    for (location, _) in related {
        if !files.contains(&location.file.as_str()) {
            files.push(&location.file);
        }
    }
    let mut out = Vec::new();
    for file in files {
        let Some(text) = source(file) else {
            let here = std::iter::once(primary)
                .filter(|(l, _)| l.file == file)
                .chain(
                    related
                        .iter()
                        .filter(|(l, _)| l.file == file)
                        .map(|(l, label)| (l, label.as_str())),
                );
            for (location, label) in here {
                out.push(
                    Origin::path(sanitize(file))
                        .line(location.line as usize)
                        .char_column(location.column as usize)
                        .into(),
                );
                if !label.is_empty() {
                    out.push(Level::NOTE.message(sanitize(label)).into());
                }
            }
            continue;
        };
        let primary_here = primary.0.file == file;
        let mut annotations: Vec<(&Location, AnnotationKind, &str)> = Vec::new();
        if primary_here {
            annotations.push((primary.0, AnnotationKind::Primary, primary.1));
        }
        for (location, label) in related {
            if location.file == file {
                annotations.push((location, AnnotationKind::Context, label));
            }
        }
        for cluster in clusters(&annotations, primary_here) {
            let locations: Vec<&Location> = cluster.iter().map(|&i| annotations[i].0).collect();
            let (line, offset, slice) = excerpt(text, &locations);
            let snippet = Snippet::source(slice)
                .line_start(line)
                .path(sanitize(file))
                .annotations(cluster.iter().map(|&i| {
                    let (location, kind, label) = annotations[i];
                    let range = &location.bytes;
                    let start = range.start.saturating_sub(offset).min(slice.len());
                    let end = range.end.saturating_sub(offset).clamp(start, slice.len());
                    kind.span(start..end).label(sanitize(label))
                }));
            out.push(snippet.into());
        }
    }
    out
}

/// How far apart, in bytes, two places of one file are shown in separate snippets rather than
/// one excerpt spanning both. No policy file comes near; a finding in a 50 MB export that names
/// a place 100,000 lines away would otherwise copy and lay out everything between them.
const SEPARATE: usize = 64 * 1024;

/// The annotations of one file (indices, each group in order), grouped where they are within
/// [`SEPARATE`] bytes of each other; the group holding the primary one (the first) first.
fn clusters(
    annotations: &[(&Location, AnnotationKind, &str)],
    primary_here: bool,
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..annotations.len()).collect();
    order.sort_by_key(|&i| annotations[i].0.bytes.start);
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let mut end: usize = 0;
    for i in order {
        let bytes = &annotations[i].0.bytes;
        match clusters.last_mut() {
            Some(cluster) if bytes.start <= end.saturating_add(SEPARATE) => cluster.push(i),
            _ => clusters.push(vec![i]),
        }
        end = end.max(bytes.end);
    }
    for cluster in &mut clusters {
        cluster.sort_unstable();
    }
    clusters.sort_by_key(|cluster| !(primary_here && cluster.contains(&0)));
    clusters
}

/// Render a report for a terminal: every finding, then a summary line.
pub fn human(report: &Report, policy: &Policy, options: &HumanOptions) -> String {
    let renderer = options.renderer();
    // Inline secrets are masked in every line shown (SEC005 points at them).
    let texts: Vec<std::borrow::Cow<'_, str>> = (0..policy.sources.len())
        .map(|id| policy.sources.display_text(crate::model::FileId(id as u32)))
        .collect();
    let source = |path: &str| -> Option<&str> {
        let id = policy.sources.paths().position(|p| p == path)?;
        texts.get(id).map(|t| &**t)
    };
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&render_finding(&renderer, &source, finding));
        out.push_str("\n\n");
    }
    if options.quiet {
        return out;
    }
    // Waived findings do not count, but are never hidden: one line each, with the reason.
    for waived in &report.waived {
        let f = &waived.finding;
        let w = &waived.waiver;
        let mut line = format!(
            "waived[{}]: {} at {}: \"{}\"",
            f.code, f.message, f.location, w.reason
        );
        if let Some(until) = &w.until {
            line.push_str(&format!(" until {until}"));
        }
        if let Some(at) = &w.location {
            line.push_str(&format!(
                " ({} at {at})",
                if w.inline { "inline waiver" } else { "waiver" }
            ));
        }
        out.push_str(&sanitize(&line));
        out.push('\n');
    }
    if !report.waived.is_empty() {
        out.push('\n');
    }
    if !report.platform.profile.is_empty() {
        out.push_str(&format!("checked against {}\n", report.platform.summary()));
    }
    out.push_str(&summary(report));
    if !report.waived.is_empty() {
        out.push_str(&format!(
            "; {}",
            plural(report.waived.len(), "waived finding")
        ));
    }
    out.push('\n');
    out
}

fn render_finding<'a>(
    renderer: &Renderer,
    source: &dyn Fn(&str) -> Option<&'a str>,
    finding: &'a Finding,
) -> String {
    let related: Vec<(Location, String)> = finding
        .related
        .iter()
        .map(|r| (r.location.clone(), r.label.clone()))
        .collect();
    let snippets = snippets(source, (&finding.location, &finding.label), &related);
    let mut group = level(finding.severity)
        .primary_title(sanitize(&finding.message))
        .id(finding.code)
        .elements(snippets);
    if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(sanitize(help)));
    }
    let note = format!(
        "rule `{}`: `cowork-policy explain {}` says why it matters",
        finding.name, finding.code
    );
    group = group.element(Level::NOTE.message(note.as_str()));
    renderer.render(&[group])
}

/// The closing line: counts by severity and files read.
pub(super) fn summary(report: &Report) -> String {
    let counts = [
        (report.count(Severity::Error), "error"),
        (report.count(Severity::Warning), "warning"),
        (report.count(Severity::Info), "info"),
    ];
    let found: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|&(n, noun)| plural(n, noun))
        .collect();
    let files = plural(report.files, "policy file");
    let mut line = if found.is_empty() {
        format!("no findings in {files}")
    } else {
        format!("found {} in {files}", found.join(", "))
    };
    if !report.skipped_files.is_empty() {
        line.push_str(&format!(
            " (skipped {} without `apiVersion: cowork-policy/...`: {})",
            plural(report.skipped_files.len(), "YAML file"),
            report.skipped_files.join(", ")
        ));
    }
    sanitize(&line).into_owned()
}

/// Render the errors that stopped a policy from loading, with source lines where known.
pub fn human_load_errors(errors: &LoadErrors, options: &HumanOptions) -> String {
    let renderer = options.renderer();
    let source = |path: &str| errors.source(path);
    let mut out = String::new();
    for error in errors.errors() {
        let message = error.message();
        let rendered = match error.location() {
            Some(location) if source(&location.file).is_some() => {
                let mut related = Vec::new();
                if let crate::error::LoadError::Duplicate { first, .. } = error {
                    related.push((first.clone(), "first defined here".to_string()));
                }
                let snippets = snippets(&source, (location, ""), &related);
                let mut group: Group<'_> = Level::ERROR
                    .primary_title(sanitize(&message))
                    .elements(snippets);
                if let Some(help) = error.help() {
                    group = group.element(Level::HELP.message(sanitize(help)));
                }
                renderer.render(&[group])
            }
            _ => {
                let title = sanitize(&error.to_string()).into_owned();
                let mut group: Group<'_> = Group::with_title(Level::ERROR.primary_title(title));
                if let Some(help) = error.help() {
                    group = group.element(Level::HELP.message(sanitize(help)));
                }
                renderer.render(&[group])
            }
        };
        out.push_str(&rendered);
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "could not load the policy: {}\n",
        plural(errors.errors().len(), "error")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(bytes: std::ops::Range<usize>, line: u32) -> Location {
        Location {
            file: "export.csv".into(),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            bytes,
        }
    }

    #[test]
    fn places_far_apart_in_one_file_get_a_snippet_each_the_primary_first() {
        let (far, near, nearer) = (at(200_000..200_010, 5000), at(10..20, 2), at(100..110, 3));
        let annotations = [
            (&far, AnnotationKind::Primary, "here"),
            (&near, AnnotationKind::Context, "first"),
            (&nearer, AnnotationKind::Context, "then"),
        ];
        assert_eq!(clusters(&annotations, true), [vec![0], vec![1, 2]]);
        // Not the primary's file: in the file's order.
        assert_eq!(clusters(&annotations, false), [vec![1, 2], vec![0]]);
        let close = at(200_020..200_030, 5001);
        let annotations = [
            (&close, AnnotationKind::Primary, "here"),
            (&far, AnnotationKind::Context, "before"),
        ];
        assert_eq!(clusters(&annotations, true), [vec![0, 1]]);
    }

    #[test]
    fn an_excerpt_starts_at_its_first_places_line_without_counting_lines() {
        let text = "a\nbb\nccc\ndddd\n";
        let (line, offset, slice) = excerpt(text, &[&at(6..8, 3), &at(9..11, 4)]);
        assert_eq!((line, offset, slice), (3, 5, "ccc\ndddd"));
    }
}
