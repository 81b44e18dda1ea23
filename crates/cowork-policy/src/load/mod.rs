//! Loading: the only code that knows YAML.
//!
//! Files are found (honouring `.gitignore`), read and parsed in parallel, then converted into the
//! [`Policy`] model in path order, so the result never depends on thread timing. Every value that
//! a finding may point at keeps its span; every error names the file, line and column.
//!
//! Which files are policy: a `.yaml` or `.yml` file with a line that starts with
//! `apiVersion: cowork-policy/` (`classify.rs`, from the file's first bytes). A file that looks
//! like policy without that line is an error; other YAML files (CI configs, a Kubernetes
//! manifest) are skipped and listed, never parsed, however large or oddly encoded; hidden files
//! and folders (`.pre-commit-config.yaml`, `.github/`) are not even listed.
//!
//! Bad input is an error, never a panic and never silence: `yaml.rs` turns every parser and
//! format error into a [`LoadError`] that points at the offending key or value and says what was
//! expected. Hostile input (alias bombs, runaway nesting) is held to a budget and fails fast.

mod builder;
mod classify;
mod convert;
mod desktop;
mod exports;
mod filter;
mod managed_files;
pub(crate) mod raw;
mod rollout;
mod secret_scan;
mod waivers;
mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_saphyr::Spanned;

pub use crate::error::{LoadError, LoadErrors};

use crate::model::{FileId, Location, Policy, Sources, Span};
pub(crate) use filter::PathFilter;
use raw::{API_VERSION, Document};
use yaml::{location_at, yaml_error};

/// The largest policy file read: 16 MiB. Larger files are refused, not truncated.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Nesting deeper than this is refused (the format needs six levels).
const MAX_DEPTH: usize = 64;
/// More aliases (`*name`) than this in one file are refused.
const MAX_ALIASES: usize = 10_000;
/// More anchors (`&name`) than this in one file are refused.
const MAX_ANCHORS: usize = 10_000;
/// More documents than this in one file are refused.
const MAX_DOCUMENTS: usize = 10_000;
/// More values (scalars, lists and mappings, counting what aliases expand to) than this in one
/// file are refused: a 16 MiB file of emails holds about 600,000.
const MAX_NODES: usize = 2_000_000;
/// More text than this in one file, counting what aliases expand to, is refused.
const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// More values than this replayed from aliases, or held by anchors once the aliases in them
/// expand, in one file are refused: reusing a list of 5,000 members 50 times stays within it,
/// and a "billion laughs" alias bomb fails fast.
const MAX_REPLAYED: usize = 250_000;

/// Load every policy file under `path` (a directory, or one file).
///
/// Paths in locations are relative to `path` (for a file: its name), with `/` separators.
pub fn load_dir(path: impl AsRef<Path>) -> Result<Policy, LoadErrors> {
    load_filtered(path.as_ref(), &PathFilter::default())
}

/// Load the policy files under `root` that `filter` lets through.
pub(crate) fn load_filtered(root: &Path, filter: &PathFilter) -> Result<Policy, LoadErrors> {
    let metadata = std::fs::metadata(root).map_err(|e| {
        LoadErrors::one(LoadError::Io {
            path: root.display().to_string(),
            reason: crate::confined::io_reason(&e),
        })
    })?;
    let (base, files) = if metadata.is_file() {
        let base = root.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        (base, vec![root.to_path_buf()])
    } else {
        (root.to_path_buf(), find_yaml(root, filter)?)
    };

    // A file given by path is policy whatever it holds; under a directory, only files with an
    // `apiVersion: cowork-policy/` line are, so other YAML never stops a check (not even a huge
    // or non-UTF-8 one), and a file that looks like policy without the line is an error.
    let explicit = metadata.is_file();
    let read: Vec<Result<Read, LoadError>> = files
        .par_iter()
        .map(|file| read_text(&base, file, explicit))
        .collect();
    let mut policy_texts = Vec::new();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    let mut shown = Vec::new();
    for result in read {
        match result {
            Ok(Read::Policy(path, text)) => policy_texts.push((path, text)),
            Ok(Read::Skipped(defines)) => skipped.push(defines),
            Ok(Read::NearPolicy(error, path, text)) => {
                errors.push(error);
                shown.push((path, text));
            }
            Err(error) => errors.push(error),
        }
    }
    if policy_texts.is_empty() && errors.is_empty() {
        return Err(LoadErrors::one(LoadError::NoPolicy {
            path: root.display().to_string(),
            skipped: skipped.into_iter().map(|d| d.path).collect(),
        }));
    }
    let policy = load_texts(
        policy_texts,
        skipped,
        errors,
        shown,
        exports::ExportFiles::Disk(base.clone()),
    );
    let folder = !explicit;
    managed_files::attach(
        policy,
        managed_files::Files::Disk {
            base: &base,
            folder,
        },
    )
}

/// Load a policy from texts held in memory, as `(name, text)` pairs. Every text is policy: there
/// is no skipping by content. Names are used in locations as given, so each must be unique: a
/// repeated name is a load error (a duplicate `file`).
pub fn load_sources<N, T>(sources: impl IntoIterator<Item = (N, T)>) -> Result<Policy, LoadErrors>
where
    N: Into<String>,
    T: AsRef<str>,
{
    let texts: Vec<(String, Arc<str>)> = sources
        .into_iter()
        .map(|(name, text)| (name.into(), text_with_line_breaks(text.as_ref())))
        .collect();
    if texts.is_empty() {
        return Err(LoadErrors::one(LoadError::NoPolicy {
            path: "(in-memory sources)".into(),
            skipped: Vec::new(),
        }));
    }
    // JSON and CSV texts are identity-provider exports, for `directoryExports:` to name.
    let (export_texts, texts): (Vec<_>, Vec<_>) = texts.into_iter().partition(|(path, _)| {
        let lower = path.to_ascii_lowercase();
        lower.ends_with(".json") || lower.ends_with(".csv")
    });
    let mut errors = Vec::new();
    // Locations name files by name: a second source of the same name is refused, or every
    // location in either would point into both.
    let mut names = std::collections::HashSet::new();
    let texts = texts
        .into_iter()
        .filter(|(path, text)| {
            if !names.insert(path.clone()) {
                let start = Location {
                    file: path.clone(),
                    line: 1,
                    column: 1,
                    end_line: 1,
                    end_column: 1,
                    bytes: 0..0,
                };
                errors.push(LoadError::Duplicate {
                    kind: "file",
                    name: path.clone(),
                    location: start.clone(),
                    first: start,
                });
                return false;
            }
            let size = text.len() as u64;
            if size > MAX_FILE_BYTES {
                errors.push(LoadError::TooLarge {
                    path: path.clone(),
                    size,
                    limit: MAX_FILE_BYTES,
                });
            }
            size <= MAX_FILE_BYTES
        })
        .collect();
    let managed = export_texts.clone();
    let policy = load_texts(
        texts,
        Vec::new(),
        errors,
        Vec::new(),
        exports::ExportFiles::Memory(export_texts),
    );
    managed_files::attach(policy, managed_files::Files::Memory(&managed))
}

/// Load one policy file from a reader, such as standard input (`cowork-policy check -`), as if
/// it were a file called `name`: what it holds is policy, as for a file given by path. At most
/// [`MAX_FILE_BYTES`] are read; more is refused, as are bytes that are not UTF-8.
pub fn load_reader(name: &str, reader: impl std::io::Read) -> Result<Policy, LoadErrors> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            LoadErrors::one(LoadError::Io {
                path: name.to_string(),
                reason: crate::confined::io_reason(&e),
            })
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadErrors::one(LoadError::TooLarge {
            path: name.to_string(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        }));
    }
    let text = utf8_text(name.to_string(), bytes).map_err(LoadErrors::one)?;
    load_texts(
        vec![text],
        Vec::new(),
        Vec::new(),
        Vec::new(),
        exports::ExportFiles::Memory(Vec::new()),
    )
}

/// A lone CR is a line break in YAML, but the parser reads it as part of a line: make each one
/// an LF, byte for byte, so that lines, columns and snippets match what an editor shows and
/// spans still match the file. CRLF is left alone.
fn lone_cr_to_lf(bytes: &mut [u8]) {
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
}

/// [`lone_cr_to_lf`] on a text.
fn text_with_line_breaks(text: &str) -> Arc<str> {
    // Nearly every text has no lone CR: copy it once, not three times (a 100 MB export).
    if !text.contains('\r') {
        return Arc::from(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    lone_cr_to_lf(&mut bytes);
    // Only ASCII bytes changed, so the text is still UTF-8.
    Arc::from(String::from_utf8_lossy(&bytes))
}

/// Load the policy texts. `skipped` are the other YAML files, `errors` what reading found, and
/// `shown` the texts of files that are not loaded but that errors point into.
fn load_texts(
    texts: Vec<(String, Arc<str>)>,
    skipped: Vec<classify::Defines>,
    mut errors: Vec<LoadError>,
    shown: Vec<(String, Arc<str>)>,
    export_files: exports::ExportFiles,
) -> Result<Policy, LoadErrors> {
    let mut sources = Sources::default();
    let ids: Vec<FileId> = texts
        .iter()
        .map(|(path, text)| sources.add(path.clone(), Arc::clone(text)))
        .collect();
    // Secret values are found from the YAML events first, so that no error, whatever stops the
    // parse, shows one.
    let scans: Vec<secret_scan::Scan> = texts
        .par_iter()
        .map(|(_, text)| secret_scan::scan(text))
        .collect();
    let parsed: Vec<Result<Vec<Document>, Vec<LoadError>>> = texts
        .par_iter()
        .zip(&scans)
        .map(|((path, text), scan)| parse(path, text, &secret_scan::masked(text, &scan.masked)))
        .collect();
    let mut documents = Vec::new();
    for ((id, result), scan) in ids.into_iter().zip(parsed).zip(&scans) {
        for range in &scan.masked {
            sources.redact(Span {
                file: id,
                start: range.start as u32,
                end: range.end as u32,
            });
        }
        for (at, key, tag) in &scan.tagged {
            let (path, text) = &texts[id.0 as usize];
            errors.push(LoadError::Invalid {
                location: location_at(path, text, *at),
                message: format!(
                    "the secret `{key}` carries the tag `{tag}`: expected a plain reference such as `${{NAME}}` or `secret:path`"
                ),
                help: Some("remove the tag: a tagged value may be read as something else, or as nothing".into()),
            });
        }
        match result {
            Ok(docs) => {
                for doc in &docs {
                    if doc.api_version.0.value != API_VERSION {
                        errors.push(LoadError::UnsupportedVersion {
                            location: sources.locate(span(id, &doc.api_version.0)),
                            found: doc.api_version.0.value.clone(),
                            expected: API_VERSION,
                        });
                    }
                }
                documents.push((id, docs));
            }
            Err(file_errors) => errors.extend(file_errors),
        }
    }
    let exports = exports::read(&mut sources, &documents, &export_files, &mut errors);
    let export_count = sources.len() - texts.len();
    // The exports' texts, for the snippets of errors that point into them.
    let export_texts: Vec<(String, Arc<str>)> = sources
        .paths()
        .enumerate()
        .skip(texts.len())
        .map(|(i, path)| (path.to_string(), sources.shared_text(FileId(i as u32))))
        .collect();
    let failed = |mut errors: Vec<LoadError>| {
        errors.sort_by(crate::error::in_path_order);
        let policy_texts = texts.iter().zip(&scans).map(|((path, text), scan)| {
            let shown: Arc<str> = Arc::from(&*secret_scan::masked(text, &scan.masked));
            (path.clone(), shown)
        });
        let other_texts = shown.iter().map(|(path, text)| {
            let scan = secret_scan::scan(text);
            let shown: Arc<str> = Arc::from(&*secret_scan::masked(text, &scan.masked));
            (path.clone(), shown)
        });
        LoadErrors {
            errors,
            sources: policy_texts
                .chain(other_texts)
                .chain(export_texts.iter().cloned())
                .collect(),
        }
    };
    if !errors.is_empty() {
        return Err(failed(errors));
    }
    let mut policy = convert::build(sources, documents, skipped, exports, export_count).map_err(
        |(mut errors, sources)| {
            // Conversion knows which values are inline secrets: show the texts with them masked.
            errors.sort_by(crate::error::in_path_order);
            let sources = texts
                .iter()
                .enumerate()
                .map(|(id, (path, _))| {
                    let shown = sources.display_text(FileId(id as u32));
                    (path.clone(), Arc::from(&*shown))
                })
                .chain(export_texts.iter().cloned())
                .collect();
            LoadErrors { errors, sources }
        },
    )?;
    // INVARIANT: `Sources::add` numbered the files in the order of `texts`.
    policy.waivers = texts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, (_, text))| waivers::parse(FileId(i as u32), text))
        .collect();
    Ok(policy)
}

/// Every `.yaml` and `.yml` file under `root` that `filter` keeps, honouring `.gitignore` even
/// outside a git checkout, skipping hidden files and folders; sorted so that loading is
/// deterministic.
fn find_yaml(root: &Path, filter: &PathFilter) -> Result<Vec<PathBuf>, LoadErrors> {
    let mut files = Vec::new();
    let mut walk = ignore::WalkBuilder::new(root);
    walk.require_git(false);
    if !filter.is_empty() {
        // Excluded folders are not walked at all.
        let filter = filter.clone();
        let base = root.to_path_buf();
        walk.filter_entry(move |entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && filter.excludes_dir(&base, entry.path()))
        });
    }
    for entry in walk.build() {
        let entry = entry.map_err(|e| {
            let (path, reason) = match &e {
                ignore::Error::WithPath { path, err } => {
                    (path.display().to_string(), err.to_string())
                }
                other => (root.display().to_string(), other.to_string()),
            };
            let reason = match e.io_error() {
                Some(io) => crate::confined::io_reason(io),
                None => crate::confined::lowercase_first(&reason),
            };
            LoadErrors::one(LoadError::Io { path, reason })
        })?;
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if is_yaml
            && entry.file_type().is_some_and(|t| t.is_file())
            && filter.keeps(root, entry.path())
        {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

/// What reading one file found.
enum Read {
    /// A policy file and its text.
    Policy(String, Arc<str>),
    /// YAML that is not policy, with what it seems to define.
    Skipped(classify::Defines),
    /// A file that looks like policy but lacks the line that marks one: the error, the path and
    /// the first bytes of the text, which the error points into.
    NearPolicy(LoadError, String, Arc<str>),
}

fn read_text(base: &Path, file: &Path, explicit: bool) -> Result<Read, LoadError> {
    use std::io::Read as _;
    let relative = file.strip_prefix(base).unwrap_or(file);
    let path = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let io = |e: std::io::Error| LoadError::Io {
        path: path.clone(),
        reason: crate::confined::io_reason(&e),
    };
    let too_large = |size: u64| LoadError::TooLarge {
        path: path.clone(),
        size,
        limit: MAX_FILE_BYTES,
    };
    let mut handle = std::fs::File::open(file).map_err(io)?;
    let size = handle.metadata().map_err(io)?.len();
    let mut bytes = Vec::new();
    if explicit {
        if size > MAX_FILE_BYTES {
            return Err(too_large(size));
        }
    } else {
        // Only the first bytes decide, so a huge file beside the policy is never read whole.
        (&mut handle)
            .take(classify::PREFIX_BYTES as u64)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let prefix = String::from_utf8_lossy(&bytes);
        match classify::classify(&prefix) {
            classify::Class::Policy if size > MAX_FILE_BYTES => return Err(too_large(size)),
            classify::Class::Policy => {}
            classify::Class::Other(mut defines) => {
                defines.path = path;
                return Ok(Read::Skipped(defines));
            }
            classify::Class::NearPolicy {
                offset,
                message,
                help,
            } => {
                let text: Arc<str> = Arc::from(&*prefix);
                let error = LoadError::Invalid {
                    location: location_at(&path, &text, offset),
                    message,
                    help: Some(help),
                };
                return Ok(Read::NearPolicy(error, path, text));
            }
        }
    }
    // The rest, never more than the limit: the file may have grown since.
    (&mut handle)
        .take(MAX_FILE_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(size.max(bytes.len() as u64)));
    }
    utf8_text(path, bytes).map(|(path, text)| Read::Policy(path, text))
}

/// A file's bytes as its text, lone CRs made line breaks; or where the first byte that is not
/// UTF-8 is.
fn utf8_text(path: String, mut bytes: Vec<u8>) -> Result<(String, Arc<str>), LoadError> {
    lone_cr_to_lf(&mut bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Ok((path, Arc::from(text))),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            // INVARIANT: `valid` is the UTF-8 prefix that `from_utf8` accepted.
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() as u32 + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Err(LoadError::NotUtf8 {
                location: Location {
                    file: path,
                    line,
                    column,
                    end_line: line,
                    end_column: column + 1,
                    bytes: valid.len()..valid.len() + 1,
                },
            })
        }
    }
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_documents: MAX_DOCUMENTS,
            max_nodes: MAX_NODES,
            max_events: 2 * MAX_NODES,
            max_total_scalar_bytes: MAX_TOTAL_BYTES,
            max_recorded_anchor_events: MAX_REPLAYED,
            // The ratio heuristic would refuse one anchor used a hundred times, which is fine;
            // the limits on what aliases expand to catch bombs.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED,
            max_replay_stack_depth: MAX_DEPTH,
        },
    }
}

/// Parse every document of one file. `shown` is the text with its secrets masked, which errors
/// quote from.
fn parse(path: &str, text: &str, shown: &str) -> Result<Vec<Document>, Vec<LoadError>> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(vec![LoadError::Invalid {
            location: location_at(path, text, 0),
            message: format!(
                "empty file: expected a document starting with `apiVersion: {API_VERSION}`"
            ),
            help: None,
        }]);
    }
    // Anchors and aliases can make a small file expand enormously. The typed pass below stops at
    // the first value that does not fit the format, which may come before the aliases expand;
    // this pass expands them all, within the budget, so an alias bomb is named as such.
    if text.contains('&') && text.contains('*') {
        use serde::de::IgnoredAny;
        let expanded = serde_saphyr::from_str_multiple_with_options::<IgnoredAny, Vec<IgnoredAny>>(
            text,
            options(),
        );
        if let Err(e) = expanded
            && yaml::over_budget(&e)
        {
            return Err(vec![yaml_error(path, shown, &e)]);
        }
    }
    let documents: Vec<Document> = serde_saphyr::from_str_multiple_with_options(text, options())
        .map_err(|e| {
            let error = yaml_error(path, shown, &e);
            // A document of another format version may well not parse as this one: say so
            // rather than report the first field this version does not know.
            let versions = foreign_versions(path, text);
            let first_version = versions
                .first()
                .and_then(LoadError::location)
                .map(|l| l.line);
            let control = error.message().starts_with(yaml::CONTROL_CHARACTER);
            match first_version {
                // A control character may sit in the version line itself: it is the cause.
                _ if control => vec![error],
                Some(line) if error.location().is_none_or(|l| l.line >= line) => versions,
                Some(_) => versions.into_iter().chain([error]).collect(),
                None => vec![error],
            }
        })?;
    if documents.is_empty() {
        return Err(vec![LoadError::Invalid {
            location: location_at(path, text, 0),
            message: format!("no document: expected one starting with `apiVersion: {API_VERSION}`"),
            help: Some("the file holds only comments or `---`".into()),
        }]);
    }
    Ok(documents)
}

/// Every top-level `apiVersion:` line whose value is not the version this build reads.
fn foreign_versions(path: &str, text: &str) -> Vec<LoadError> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches('\u{feff}');
        let bom = line.len() - content.len();
        if let Some(rest) = content.strip_prefix("apiVersion:") {
            let value_part = rest.split(" #").next().unwrap_or("");
            let value = value_part.trim().trim_matches(|c| c == '"' || c == '\'');
            let lead = value_part.len() - value_part.trim_start().len();
            if !value.is_empty() && value != API_VERSION {
                out.push(LoadError::UnsupportedVersion {
                    location: location_at(path, text, offset + bom + "apiVersion:".len() + lead),
                    found: value.to_string(),
                    expected: API_VERSION,
                });
            }
        }
        offset += line.len();
    }
    out
}

/// The span a spanned value was written at.
pub(crate) fn span<T>(file: FileId, value: &Spanned<T>) -> Span {
    let location = value.referenced.span();
    let start = location.byte_offset().unwrap_or(0) as u32;
    let len = location.byte_len().unwrap_or(0) as u32;
    Span {
        file,
        start,
        end: start + len,
    }
}

/// The JSON Schema (draft-07) of one policy document, pretty-printed. Editors use it through the
/// `# yaml-language-server: $schema=...` modeline; `docs/policy.schema.json` is this text.
pub fn schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<Document>();
    schema.insert(
        "$id".into(),
        crate::schema::published_url("policy.schema.json").into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
