//! What the fuzz targets run, outside `fuzz_targets/` so that a saved input can be replayed
//! and read (`docs/fuzzing.md`).
//!
//! An input holds one or several files (the `policy` target replaces invalid UTF-8 in them, as
//! `String::from_utf8_lossy` does; the `dir` target writes them as they are). A line `%% NAME` starts the file `NAME`; text before the first such line is
//! the file `policy.yaml`. In a name, `\n`, `\r`, `\t`, `\e` (ESC) and `\\` are escapes, so a
//! file name may hold the characters a file system allows and a terminal or a CI log misreads.
//!
//! - A name ending in `.toml` is the config (`cowork-policy.toml`), read with
//!   [`Config::from_str`]; the last one counts.
//! - A name starting with `head/` belongs to the second policy of a diff (the prefix dropped).
//!   Without any, the policy is diffed with itself, which must show no change.
//! - Every other file is a policy file.
//!
//! [`run`] loads the files from memory, [`run_dir`] from a directory. Then, when the policy
//! loads: every rule ([`cowork_policy::check_with`] with every rule on),
//! every report renderer, the baseline, the effective-access renderers (the whole table, and the
//! first users and groups one by one), both diagrams in DOT and Mermaid, and the diff renderers.
//! When it does not load, every `*_load_errors` renderer.
//!
//! Besides "no panic, no abort, no timeout", the outputs are checked: JSON outputs parse, JUnit
//! is well-formed XML, SARIF runs have `results`, GitHub output is one annotation per line, a
//! baseline of a report reads back and hides all of it, a policy diffed with itself shows no
//! change. Two checks are of defects still open in issue 10: they fail the run only when named
//! in `COWORK_FUZZ_STRICT` (comma-separated, or `all`), so that a long run finds other defects
//! first:
//!
//! - `control`: a control character other than line feed and tab in a text output, or a line
//!   of one that starts a GitHub workflow command (`::`) (item 10);
//! - `sarif`: a SARIF log without `results` for a policy that failed to load (item 13).
//!
//! With `COWORK_FUZZ_LIST` set, they print what failed instead, to list what one input breaks.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use cowork_policy::render::{self, CiOptions, Compared, HumanOptions};
use cowork_policy::{
    CheckOptions, Date, LoadErrors, Policy, Report, access::EffectiveAccess, baseline::Baseline,
    config::Config,
};

/// At most this many files per input; the rest are dropped.
const MAX_FILES: usize = 32;
/// How many users and groups are explained one by one.
const EXPLAINED: usize = 3;

/// The files of one input, as [`split`] reads them. Texts are bytes: the `dir` target writes
/// them as they are, the `policy` target replaces invalid UTF-8.
#[derive(Debug, Default)]
pub struct Input {
    /// The policy files, `(name, text)`.
    pub base: Vec<(String, Vec<u8>)>,
    /// The other side of the diff: the files named `head/...`.
    pub head: Vec<(String, Vec<u8>)>,
    /// The config file, `(name, text)`.
    pub config: Option<(String, Vec<u8>)>,
}

/// Read a name after `%% `, with its escapes.
fn unescape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('e') => out.push('\u{1b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Split an input into its files.
pub fn split(data: &[u8]) -> Input {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut name = "policy.yaml".to_string();
    let mut body = Vec::new();
    let mut named = false;
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"%% ") {
            if named || !body.is_empty() {
                files.push((name, std::mem::take(&mut body)));
            }
            let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
            name = unescape(&String::from_utf8_lossy(rest));
            named = true;
        } else {
            body.extend_from_slice(line);
        }
    }
    files.push((name, body));
    files.truncate(MAX_FILES);
    let mut input = Input::default();
    for (name, text) in files {
        if name.ends_with(".toml") {
            input.config = Some((name, text));
        } else if let Some(rest) = name.strip_prefix("head/") {
            input.head.push((rest.to_string(), text));
        } else {
            input.base.push((name, text));
        }
    }
    input
}

fn strict(check: &str) -> bool {
    static STRICT: OnceLock<Vec<String>> = OnceLock::new();
    let names = STRICT.get_or_init(|| {
        std::env::var("COWORK_FUZZ_STRICT")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .collect()
    });
    names.iter().any(|n| n == check || n == "all")
}

/// The start of an output, for a failure message.
fn head(output: &str) -> &str {
    let mut end = output.len().min(2000);
    while !output.is_char_boundary(end) {
        end -= 1;
    }
    &output[..end]
}

/// A check of a defect still open (`control` or `sarif`): fails only when strict about it.
/// With `COWORK_FUZZ_LIST` set, every failure is printed instead, to replay one input and see
/// every output it affects.
fn known(check: &str, ok: bool, what: &str, output: &str) {
    if ok {
        return;
    }
    if strict(check) {
        panic!("{what}\n--- output ---\n{}", head(output));
    }
    if std::env::var_os("COWORK_FUZZ_LIST").is_some() {
        eprintln!("{check}: {what}");
    }
}

/// The first character that has no place in text for a terminal or a CI log: a control
/// character other than line feed and tab (C0, DEL and C1, carriage return included).
pub fn raw_control(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|&(_, c)| c.is_control() && c != '\n' && c != '\t')
}

/// The text without the colour sequences (`ESC [ ... m`) a coloured renderer adds.
pub fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let params = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            // Not a colour: keep the ESC, for `raw_control` to see.
            out.push_str("\u{1b}[");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A text output must not carry raw control characters, nor a line that GitHub Actions reads as
/// a workflow command (issue 10, item 10).
fn text(output: &str, what: &str) {
    controls(output, what);
    // A CI log shows a text output as it is: a line of it must not be a workflow command.
    if let Some(line) = output.lines().find(|l| l.trim_start().starts_with("::")) {
        known(
            "control",
            false,
            &format!("{what}: a line GitHub Actions reads as a workflow command: {line:?}"),
            output,
        );
    }
}

/// No raw control characters, for [`text`] and the GitHub output (whose lines are commands).
fn controls(output: &str, what: &str) {
    if let Some((at, c)) = raw_control(output) {
        // Show the line around it.
        let start = output[..at].rfind('\n').map_or(0, |i| i + 1);
        known(
            "control",
            false,
            &format!("{what}: raw control character {c:?} at byte {at}"),
            &output[start..],
        );
    }
}

fn json(output: &str, what: &str) -> serde_json::Value {
    match serde_json::from_str(output) {
        Ok(value) => value,
        Err(e) => panic!("{what} is not JSON: {e}\n--- output ---\n{}", head(output)),
    }
}

fn xml(output: &str, what: &str) {
    if let Err(e) = roxmltree::Document::parse(output) {
        // A control character is not allowed in XML 1.0: the open sanitiser defect.
        if raw_control(output).is_some() {
            known("control", false, &format!("{what} is not XML: {e}"), output);
        } else {
            panic!("{what} is not XML: {e}\n--- output ---\n{}", head(output));
        }
    }
}

fn sarif(output: &str, what: &str, loaded: bool) {
    let value = json(output, what);
    assert_eq!(value["version"], "2.1.0", "{what}: SARIF version");
    let results = value["runs"][0]["results"].is_array();
    if loaded {
        assert!(results, "{what}: a run without a `results` array");
    } else {
        // GitHub's upload action rejects a run without `results` (issue 10, item 13).
        let what = format!("{what}: a run without a `results` array");
        known("sarif", results, &what, output);
    }
}

/// `::error ...`, `::warning ...` or `::notice ...`, one line per annotation: a finding's text
/// must never start a line of its own, or it could forge a workflow command.
fn github(output: &str, what: &str, lines: usize) {
    assert_eq!(
        output.lines().count(),
        lines,
        "{what}: one line per annotation\n{}",
        head(output)
    );
    for line in output.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p)),
            "{what}: a line that is not an annotation: {line:?}"
        );
    }
    controls(output, what);
}

fn load_errors(errors: &LoadErrors) {
    assert!(!errors.errors().is_empty(), "a load error without errors");
    let ci = CiOptions::new().path_prefix("policies/acme");
    for color in [false, true] {
        let out = render::human_load_errors(errors, &HumanOptions::new(color));
        text(&strip_sgr(&out), "human_load_errors");
    }
    text(
        &render::concise_load_errors(errors, &ci),
        "concise_load_errors",
    );
    json(&render::json_load_errors(errors), "json_load_errors");
    sarif(
        &render::sarif_load_errors(errors, &ci),
        "sarif_load_errors",
        false,
    );
    github(
        &render::github_load_errors(errors, &ci),
        "github_load_errors",
        errors.errors().len(),
    );
    xml(&render::junit_load_errors(errors, &ci), "junit_load_errors");
    json(
        &render::gitlab_load_errors(errors, &ci),
        "gitlab_load_errors",
    );
    text(
        &render::markdown_load_errors(errors, &ci),
        "markdown_load_errors",
    );
}

fn options(config: Config) -> CheckOptions {
    let today = Date::parse("2026-06-15").unwrap_or_else(|| panic!("a valid date"));
    CheckOptions::default().today(today).config(config)
}

fn report_renderers(report: &Report, policy: &Policy) {
    let plain = render::human(report, policy, &HumanOptions::new(false));
    text(&plain, "human");
    let colored = render::human(report, policy, &HumanOptions::new(true));
    text(&strip_sgr(&colored), "human (colour)");

    for ci in [
        CiOptions::new(),
        CiOptions::new()
            .path_prefix("./policies/acme/")
            .link_base("https://github.com/acme/policy/blob/0123abc"),
    ] {
        text(&render::concise(report, &ci), "concise");
        sarif(&render::sarif(report, &ci, 1), "sarif", true);
        github(
            &render::github(report, &ci),
            "github",
            report.findings.len(),
        );
        xml(&render::junit(report, &ci), "junit");
        let gitlab = json(&render::gitlab(report, &ci), "gitlab");
        assert!(gitlab.is_array(), "gitlab: not an array");
        text(&render::markdown(report, &ci), "markdown");
    }
    json(&render::json(report), "json");

    // A baseline of the report hides every finding of it, and survives its own JSON.
    let baseline = Baseline::from_report(report);
    let saved = baseline.to_json();
    json(&saved, "baseline");
    let read = Baseline::from_json(&saved)
        .unwrap_or_else(|e| panic!("a baseline does not read back: {e:?}\n{}", head(&saved)));
    assert_eq!(read.entries(), baseline.entries(), "baseline round trip");
    let (new, stale) = read.filter(report);
    assert!(new.is_empty(), "a baseline of a report hides all of it");
    assert!(
        stale.is_empty(),
        "a baseline of a report has no stale entry"
    );
    let comparison = cowork_policy::baseline::compare(report, report);
    assert!(comparison.introduced.is_empty() && comparison.fixed.is_empty());

    let compared = [
        Compared::Revision {
            revision: "origin/main".into(),
            introduced: report.findings.len(),
            fixed: 0,
            unchanged: 0,
            loaded: true,
        },
        Compared::Baseline {
            file: "baseline.json".into(),
            hidden: 1,
            stale: baseline.entries().iter().take(2).cloned().collect(),
            pruned: false,
        },
    ];
    for compared in &compared {
        text(&compared.summary(), "Compared::summary");
        json(&render::json_compared(report, compared), "json_compared");
        text(
            &render::markdown_compared(report, &CiOptions::new(), compared),
            "markdown_compared",
        );
    }
}

fn access_renderers(policy: &Policy, options: &CheckOptions) {
    let access = EffectiveAccess::new(policy, options);
    let table = access.table();
    let mut csv = Vec::new();
    render::access_csv(&table, &mut csv).unwrap_or_else(|e| panic!("access_csv: {e}"));
    let csv = String::from_utf8(csv).unwrap_or_else(|e| panic!("access_csv: not UTF-8: {e}"));
    text(&csv, "access_csv");
    let mut table_json = Vec::new();
    render::access_table_json(&table, &mut table_json)
        .unwrap_or_else(|e| panic!("access_table_json: {e}"));
    let table_json =
        String::from_utf8(table_json).unwrap_or_else(|e| panic!("access_table_json: {e}"));
    let value = json(&table_json, "access_table_json");
    assert_eq!(
        value["rows"].as_array().map(Vec::len),
        Some(table.rows().len()),
        "access_table_json: one row per row"
    );

    let mut users: Vec<&str> = table.rows().map(|r| r.user).take(EXPLAINED).collect();
    users.push("nobody@example.invalid");
    for user in users {
        match access.user(user) {
            Ok(explanation) => {
                text(&render::access_human(&explanation), "access_human");
                json(&render::access_json(&explanation), "access_json");
            }
            Err(unknown) => assert_eq!(user, "nobody@example.invalid", "{unknown:?}"),
        }
    }
    let mut groups: Vec<String> = Vec::new();
    for class in table.classes() {
        for group in &class.groups {
            if groups.len() < EXPLAINED && !groups.contains(group) {
                groups.push(group.clone());
            }
        }
    }
    groups.push("no-such-group".into());
    for group in &groups {
        if let Ok(explanation) = access.group(group) {
            text(&render::group_human(&explanation), "group_human");
            json(&render::group_json(&explanation), "group_json");
        }
        if let Ok(diagram) = cowork_policy::diagram::groups_diagram(policy, None, Some(group)) {
            text(&render::to_dot(&diagram), "to_dot (around a group)");
            text(&render::to_mermaid(&diagram), "to_mermaid (around a group)");
        }
    }

    let rollout = cowork_policy::diagram::rollout_diagram(policy);
    text(&render::to_dot(&rollout), "to_dot (rollout)");
    text(&render::to_mermaid(&rollout), "to_mermaid (rollout)");
    if let Ok(diagram) = cowork_policy::diagram::groups_diagram(policy, None, None) {
        text(&render::to_dot(&diagram), "to_dot (groups)");
        text(&render::to_mermaid(&diagram), "to_mermaid (groups)");
    }
}

fn diff_renderers(base: &Policy, head: &Policy, options: &CheckOptions, same: bool) {
    let diff = cowork_policy::diff::diff_with(base, head, options, options);
    if same {
        assert!(diff.is_empty(), "a policy differs from itself: {diff:?}");
    }
    text(&render::diff_headline(&diff), "diff_headline");
    text(&render::diff_human(&diff), "diff_human");
    text(&render::diff_markdown(&diff), "diff_markdown");
    json(&render::diff_json(&diff), "diff_json");
}

fn config(input: &Input) -> Config {
    match &input.config {
        None => Config::default(),
        Some((name, text)) => match Config::from_str(name, &String::from_utf8_lossy(text)) {
            Ok(config) => config,
            Err(errors) => {
                load_errors(&errors);
                Config::default()
            }
        },
    }
}

fn load(files: &[(String, Vec<u8>)]) -> Result<Policy, LoadErrors> {
    cowork_policy::load_sources(
        files
            .iter()
            .map(|(name, text)| (name.as_str(), String::from_utf8_lossy(text))),
    )
}

/// Everything after loading: the rules and every renderer, then the diff with `head` (or with
/// itself).
fn checked(base: &Policy, head: &[(String, Vec<u8>)], options: &CheckOptions) -> Report {
    let report = cowork_policy::check_with(base, options);
    assert_eq!(report.files, base.files().count(), "Report::files");
    report_renderers(&report, base);
    access_renderers(base, options);
    if head.is_empty() {
        diff_renderers(base, base, options, true);
    } else {
        match load(head) {
            Ok(head) => diff_renderers(base, &head, options, false),
            Err(errors) => load_errors(&errors),
        }
    }
    report
}

/// The `policy` target: one input through [`cowork_policy::load_sources`], the rules and every
/// renderer, checking the outputs.
pub fn run(data: &[u8]) {
    let input = split(data);
    let options = options(config(&input));
    match load(&input.base) {
        Ok(policy) => {
            checked(&policy, &input.head, &options);
        }
        Err(errors) => load_errors(&errors),
    }
}

/// A file name the loader reads back under the same name from a directory: components of
/// letters, digits, `-` and `_` (no hidden file, no `.gitignore`), ending in `.yaml`.
fn plain_path(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".yaml") else {
        return false;
    };
    stem.split('/').all(|c| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A name as a path under the directory, or `None` when no file can have it there.
fn relative(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let normal = path.components().all(|c| matches!(c, Component::Normal(_)));
    (normal && !name.is_empty() && !name.contains('\0')).then(|| path.to_path_buf())
}

/// The `dir` target: the files written (as bytes) to a fresh directory and read back with
/// [`cowork_policy::load_dir_with`], which tells policy from other YAML, checks UTF-8 and
/// honours `.gitignore`; then the rules and every renderer. When every file has a plain name
/// and is UTF-8 policy, the result must be the one [`cowork_policy::load_sources`] gives.
pub fn run_dir(data: &[u8]) {
    let input = split(data);
    let root = std::env::temp_dir().join(format!("cowork-policy-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let mut written: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, text) in input.base.iter().chain(&input.config) {
        let Some(path) = relative(name).map(|p| root.join(p)) else {
            continue;
        };
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            continue;
        }
        // A name may also be a folder another file made, or too long: then it is not written.
        // A name given twice holds its last text.
        if std::fs::write(&path, text).is_ok() && !name.ends_with(".toml") {
            written.retain(|(n, _)| n != name);
            written.push((name.clone(), text.clone()));
        }
    }
    let options = options(config(&input));
    let loaded = cowork_policy::load_dir_with(&root, &options.config);
    let report = match &loaded {
        Ok(policy) => Some(checked(policy, &input.head, &options)),
        Err(errors) => {
            load_errors(errors);
            None
        }
    };

    // The same files from memory, in the directory's order, when nothing may differ.
    let comparable = !written.is_empty()
        && input.config.is_none()
        && written.iter().all(|(name, text)| {
            plain_path(name)
                && std::str::from_utf8(text).is_ok_and(|t| {
                    t.lines()
                        .any(|l| l.starts_with("apiVersion: cowork-policy/"))
                })
        });
    if comparable {
        written.sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)));
        let from_memory = load(&written);
        match (&report, &from_memory) {
            (Some(report), Ok(policy)) => {
                let again = cowork_policy::check_with(policy, &options);
                assert_eq!(
                    render::json(report),
                    render::json(&again),
                    "load_dir and load_sources disagree on the findings"
                );
            }
            (None, Err(memory)) => {
                let Err(dir) = &loaded else { unreachable!() };
                assert_eq!(
                    render::json_load_errors(dir),
                    render::json_load_errors(memory),
                    "load_dir and load_sources disagree on the load errors"
                );
            }
            (dir, memory) => panic!(
                "load_dir {} and load_sources {}",
                if dir.is_some() { "loads" } else { "fails" },
                if memory.is_ok() { "loads" } else { "fails" },
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// The `import_readers` target: the files of one input (a line `%% NAME` starts the file
/// `NAME`, as for `policy`; invalid UTF-8 is replaced) through every IdP export reader
/// (`cowork_policy::import::read`, all five formats) and the SCIM PATCH normaliser. Besides not
/// panicking or stalling: every location is inside its file (line and column from 1, at most
/// the file's line count), every message is one line and non-empty, and reading is
/// deterministic.
pub fn run_import(data: &[u8]) {
    use cowork_policy::Location;
    use cowork_policy::import::{self, Format, Options};

    let input = split(data);
    let files: Vec<(String, String)> = input
        .base
        .iter()
        .chain(&input.head)
        .chain(&input.config)
        .map(|(name, text)| (name.clone(), String::from_utf8_lossy(text).into_owned()))
        .collect();
    let lines = |file: &str| {
        files
            .iter()
            .filter(|(name, _)| name == file)
            .map(|(_, text)| text.split('\n').count())
            .max()
            .unwrap_or(1)
    };
    let located = |location: &Location, what: &str| {
        assert!(
            location.line >= 1 && location.column >= 1,
            "{what}: a location before the file's start: {location}"
        );
        assert!(
            location.line as usize <= lines(&location.file),
            "{what}: a location past the file's end: {location}"
        );
        assert!(
            (location.end_line, location.end_column) >= (location.line, location.column),
            "{what}: an end before the start: {location:?}"
        );
    };
    let one_line = |message: &str, what: &str| {
        assert!(!message.is_empty(), "{what}: an empty message");
        assert!(
            !message.contains('\n'),
            "{what}: a message on several lines: {message:?}"
        );
    };
    for format in Format::ALL {
        for options in [
            Options::default(),
            Options {
                email_attribute: Some("email".to_string()),
            },
        ] {
            let result = import::read(format, &files, &options);
            match &result {
                Ok(export) => {
                    for group in &export.groups {
                        located(&group.location, "a group");
                        for user in group.users.iter().chain(&group.inactive) {
                            located(&user.location, "a user");
                            if let Some(email) = &user.email {
                                assert_eq!(email, &email.to_lowercase(), "an email not lowercased");
                            }
                        }
                        for nested in &group.groups {
                            located(&nested.location, "a nested group");
                        }
                        let _ = export.reachable_only_through_nesting(group);
                    }
                    for problem in &export.problems {
                        located(&problem.location, "a problem");
                        one_line(&problem.to_string(), "a problem");
                    }
                }
                Err(errors) => {
                    assert!(!errors.is_empty(), "an error without errors");
                    for error in errors {
                        located(&error.location, "an error");
                        one_line(&error.message, "an error");
                    }
                }
            }
            assert_eq!(
                result,
                import::read(format, &files, &options),
                "reading the same files twice gave different answers"
            );
        }
    }
    for (name, text) in &files {
        match import::normalize_patch(name, text) {
            Ok(operations) => {
                // Normalised operations are a fixed point: written back and read again, the same.
                let body = serde_json::json!({
                    "Operations": operations.iter().map(|o| {
                        let mut op = serde_json::json!({"op": match o.op {
                            import::PatchOp::Add => "add",
                            import::PatchOp::Remove => "remove",
                            import::PatchOp::Replace => "replace",
                        }});
                        if let Some(path) = &o.path {
                            op["path"] = serde_json::json!(path);
                        }
                        if let Some(value) = &o.value {
                            op["value"] = value.clone();
                        }
                        op
                    }).collect::<Vec<_>>()
                });
                let again = import::normalize_patch(name, &body.to_string())
                    .unwrap_or_else(|e| panic!("a normalised PATCH does not read back: {e}"));
                assert_eq!(
                    again, operations,
                    "normalising a normalised PATCH changed it"
                );
            }
            Err(error) => {
                located(&error.location, "a PATCH error");
                one_line(&error.message, "a PATCH error");
            }
        }
    }
}

/// Split an input of the `live` target into its files: text before the first `%% NAME` line is
/// `manifest.json`.
pub fn split_snapshot(data: &[u8]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut name = cowork_policy::live::MANIFEST.to_string();
    let mut body = Vec::new();
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"%% ") {
            files.push((
                name,
                String::from_utf8_lossy(&std::mem::take(&mut body)).into_owned(),
            ));
            let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
            name = unescape(&String::from_utf8_lossy(rest));
        } else {
            body.extend_from_slice(line);
        }
    }
    files.push((name, String::from_utf8_lossy(&body).into_owned()));
    files.truncate(MAX_FILES);
    files
}

/// The `live` target: read a snapshot from memory with `live::Snapshot::from_files`. Besides
/// "no panic", reading is deterministic, and an error has a message, and either no place in
/// its file or a line and a column, both from 1.
pub fn run_live(data: &[u8]) {
    use cowork_policy::live::Snapshot;
    let files = split_snapshot(data);
    let first = Snapshot::from_files(files.clone());
    let again = Snapshot::from_files(files.clone());
    assert_eq!(first, again, "reading the same files twice differs");
    match first {
        Ok(snapshot) => {
            for group in &snapshot.groups {
                let _ = snapshot.group(&group.id);
            }
            let _ = snapshot.answered("users");
        }
        Err(error) => {
            assert!(!error.message.is_empty(), "an error without a message");
            assert!(error.line.is_none_or(|line| line >= 1), "{error}");
            assert!(error.column.is_none_or(|column| column >= 1), "{error}");
            assert_eq!(error.line.is_some(), error.column.is_some(), "{error}");
        }
    }
}

/// The managed-file targets (`managed_plist`, `managed_reg`, `managed_json`): the input's bytes
/// as a managed file named `managed.<extension>`, checked on its own and against a fixed
/// policy's settings, then rendered. A file that cannot be read is a load error with a place;
/// a read file's findings lie inside it, their JSON parses, and no output panics.
pub fn run_managed(data: &[u8], extension: &str) {
    use cowork_policy::managed;
    static EXPECTED: std::sync::OnceLock<Vec<managed::Setting>> = std::sync::OnceLock::new();
    let expected = EXPECTED.get_or_init(|| {
        let policy = cowork_policy::load_sources([(
            "policy.yaml",
            "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n    plan: enterprise\nsecurity:\n  egressAllowlist: [github.com, \"*.acme.com\"]\n  mountAllowlist: [~/Work]\n  extensionAllowlist: []\nobservability:\n  otelEndpoint: https://otel.acme.com:4318\n  protocol: grpc\n  headers:\n    - name: Authorization\n      value: Bearer ${OTEL_TOKEN}\n",
        )])
        .unwrap_or_else(|e| panic!("the fixed policy does not load: {e}"));
        managed::desktop_settings(&policy, None).unwrap_or_default()
    });
    let name = format!("managed.{extension}");
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count() as u32;
    for result in [
        managed::check_file(&name, data),
        managed::check_file_against(&name, data, expected),
    ] {
        match result {
            Ok(checked) => {
                for finding in &checked.report.findings {
                    let at = &finding.location;
                    assert!(at.line >= 1 && at.column >= 1, "{at:?}");
                    // UTF-16 halves the line count at most; a UTF-8 file keeps it.
                    assert!(at.line <= lines.max(1) + 1, "{at:?} past {lines} lines");
                }
                let human = cowork_policy::render::human(
                    &checked.report,
                    &checked.source,
                    &cowork_policy::render::HumanOptions::new(false),
                );
                let _ = cowork_policy::render::concise(&checked.report, &Default::default());
                let json = cowork_policy::render::json(&checked.report);
                serde_json::from_str::<serde_json::Value>(&json)
                    .unwrap_or_else(|e| panic!("{e}: {json}"));
                drop(human);
            }
            Err(errors) => {
                let text = cowork_policy::render::human_load_errors(&errors, &Default::default());
                assert!(text.contains(&name), "{text}");
            }
        }
    }
}
