//! What the fuzz targets run, outside `fuzz_targets/` so that a saved input can be replayed
//! and read (`docs/fuzzing.md`).
//!
//! An input is text (invalid UTF-8 is replaced, as `String::from_utf8_lossy` does) holding one
//! or several files. A line `%% NAME` starts the file `NAME`; text before the first such line is
//! the file `policy.yaml`. In a name, `\n`, `\r`, `\t`, `\e` (ESC) and `\\` are escapes, so a
//! file name may hold the characters a file system allows and a terminal or a CI log misreads.
//!
//! - A name ending in `.toml` is the config (`cowork-policy.toml`), read with
//!   [`Config::from_str`]; the last one counts.
//! - A name starting with `head/` belongs to the second policy of a diff (the prefix dropped).
//!   Without any, the policy is diffed with itself, which must show no change.
//! - Every other file is a policy file, loaded with [`cowork_policy::load_sources`].
//!
//! Then, when the policy loads: every rule ([`cowork_policy::check_with`] with every rule on),
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
//! - `control`: a control character other than line feed and tab in a text output (item 10);
//! - `sarif`: a SARIF log without `results` for a policy that failed to load (item 13).

use std::sync::OnceLock;

use cowork_policy::render::{self, CiOptions, Compared, HumanOptions};
use cowork_policy::{
    Baseline, CheckOptions, Config, Date, EffectiveAccess, LoadErrors, Policy, Report,
};

/// At most this many files per input; the rest are dropped.
const MAX_FILES: usize = 32;
/// How many users and groups are explained one by one.
const EXPLAINED: usize = 3;

/// The files of one input, as [`split`] reads them.
#[derive(Debug, Default)]
pub struct Input {
    /// The policy files, `(name, text)`.
    pub base: Vec<(String, String)>,
    /// The other side of the diff: the files named `head/...`.
    pub head: Vec<(String, String)>,
    /// The config file, `(name, text)`.
    pub config: Option<(String, String)>,
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
    let text = String::from_utf8_lossy(data);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut name = "policy.yaml".to_string();
    let mut body = String::new();
    let mut named = false;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("%% ") {
            if named || !body.is_empty() {
                files.push((name, std::mem::take(&mut body)));
            }
            name = unescape(rest.strip_suffix('\n').unwrap_or(rest));
            named = true;
        } else {
            body.push_str(line);
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

/// Whether the check of an open defect named `check` fails the run (`COWORK_FUZZ_STRICT`).
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
fn known(check: &str, ok: bool, what: &str, output: &str) {
    if !ok && strict(check) {
        panic!("{what}\n--- output ---\n{}", head(output));
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

/// A text output must not carry raw control characters (issue 10, item 10).
fn text(output: &str, what: &str) {
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
    text(output, what);
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
    let comparison = cowork_policy::compare(report, report);
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
        if let Ok(diagram) = cowork_policy::groups_diagram(policy, None, Some(group)) {
            text(&render::to_dot(&diagram), "to_dot (around a group)");
            text(&render::to_mermaid(&diagram), "to_mermaid (around a group)");
        }
    }

    let rollout = cowork_policy::rollout_diagram(policy);
    text(&render::to_dot(&rollout), "to_dot (rollout)");
    text(&render::to_mermaid(&rollout), "to_mermaid (rollout)");
    if let Ok(diagram) = cowork_policy::groups_diagram(policy, None, None) {
        text(&render::to_dot(&diagram), "to_dot (groups)");
        text(&render::to_mermaid(&diagram), "to_mermaid (groups)");
    }
}

fn diff_renderers(base: &Policy, head: &Policy, options: &CheckOptions, same: bool) {
    let diff = cowork_policy::diff_with(base, head, options, options);
    if same {
        assert!(diff.is_empty(), "a policy differs from itself: {diff:?}");
    }
    text(&render::diff_headline(&diff), "diff_headline");
    text(&render::diff_human(&diff), "diff_human");
    text(&render::diff_markdown(&diff), "diff_markdown");
    json(&render::diff_json(&diff), "diff_json");
}

/// Run one input through the loader, the rules and every renderer, checking the outputs.
pub fn run(data: &[u8]) {
    let input = split(data);
    let config = match &input.config {
        None => Config::default(),
        Some((name, text)) => match Config::from_str(name, text) {
            Ok(config) => config,
            Err(errors) => {
                load_errors(&errors);
                Config::default()
            }
        },
    };
    let options = options(config);
    let base = match cowork_policy::load_sources(input.base.iter().map(|(n, t)| (n.as_str(), t))) {
        Ok(policy) => policy,
        Err(errors) => {
            load_errors(&errors);
            return;
        }
    };
    let report = cowork_policy::check_with(&base, &options);
    assert_eq!(report.files, base.files().count(), "Report::files");
    report_renderers(&report, &base);
    access_renderers(&base, &options);
    if input.head.is_empty() {
        diff_renderers(&base, &base, &options, true);
    } else {
        match cowork_policy::load_sources(input.head.iter().map(|(n, t)| (n.as_str(), t))) {
            Ok(head) => diff_renderers(&base, &head, &options, false),
            Err(errors) => load_errors(&errors),
        }
    }
}
