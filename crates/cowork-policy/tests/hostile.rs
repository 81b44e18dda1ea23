//! Hostile names through every text output: a policy is written by whoever opens a pull
//! request, and its outputs go to CI logs, terminals and pull-request comments. A name must be
//! shown, never obeyed: no line feed that starts a GitHub workflow command (`::error`,
//! `::add-mask::`), no terminal escape sequence, no HTML or code span that Markdown would
//! render from it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::render::{self, CiOptions, Compared, HumanOptions};
use cowork_policy::{
    CheckOptions, Date, Policy, Report, access::EffectiveAccess, baseline::Baseline,
};

/// A group name that, printed raw, forges an annotation in a GitHub Actions log and masks a
/// word of it.
const FORGE: &str = "g\n::error file=README.md,line=1::forged\n::add-mask::x";
/// A group name with an OSC 8 hyperlink (hiding its target) and an SGR colour.
const ESCAPES: &str = "c\u{1b}]8;;http://evil/\u{1b}\\link\u{1b}]8;;\u{1b}\\ \u{1b}[31mred";
/// An org name that is HTML, which GitHub would render in a pull-request comment.
const HTML: &str = "<img src=x onerror=alert(1)>";
/// A role name that closes a code span, then writes HTML and a table cell break.
const TICKS: &str = "r`ole` <b>bold</b>|cell ``x";

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The hostile policy: `FORGE` nests `ESCAPES` (IDP001), `TICKS` grants cowork on `FORGE`,
/// in the org `HTML`. Without `roles`, the diff's base.
fn policy_text(with_role: bool) -> String {
    let mut text = format!(
        "apiVersion: cowork-policy/v1\norgs:\n  - name: {org}\n    plan: enterprise\n    coworkEnabled: true\n    rbac: tested\n    defaultSpendLimit: 50\ngroups:\n  - name: {forge}\n    scim: true\n    members: [ana@acme.com]\n    memberGroups: [{escapes}]\n  - name: {escapes}\n    members: [bob@acme.com]\n",
        org = quoted(HTML),
        forge = quoted(FORGE),
        escapes = quoted(ESCAPES),
    );
    if with_role {
        text.push_str(&format!(
            "roles:\n  - name: {ticks}\n    entitlements: [cowork]\n    groups: [{forge}]\n",
            ticks = quoted(TICKS),
            forge = quoted(FORGE),
        ));
    }
    text
}

/// The hostile policy in a file whose name holds a line feed and a workflow command.
const FILE: &str = "org\n::error::file.yaml";

fn policy(with_role: bool) -> Policy {
    cowork_policy::load_sources([(FILE, policy_text(with_role))]).unwrap()
}

fn report(policy: &Policy) -> Report {
    let report = common::check(policy);
    assert!(
        report.findings.iter().any(|f| f.code == "IDP001"),
        "the hostile policy no longer fires IDP001: {:?}",
        report.findings
    );
    report
}

fn options() -> CheckOptions {
    CheckOptions::default().today(Date::parse(common::TODAY).unwrap())
}

/// A text output obeys none of the hostile names: no control character but the line feeds
/// the renderer writes itself, and no line that a GitHub runner would read as a workflow
/// command.
fn assert_inert(what: &str, text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n' || !c.is_control(),
            "{what}: U+{:04X} written raw in:\n{text}",
            c as u32
        );
    }
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a line reads as a workflow command: {line:?}\n{text}"
        );
    }
}

#[test]
fn check_text_outputs_show_names_without_obeying_them() {
    let policy = policy(true);
    let report = report(&policy);
    let ci = CiOptions::new();
    assert_inert(
        "full",
        &render::human(&report, &policy, &HumanOptions::new(false)),
    );
    assert_inert("concise", &render::concise(&report, &ci));
    assert_inert("markdown", &render::markdown(&report, &ci));
    // Every line of the GitHub format is one workflow command per finding, and nothing else.
    let github = render::github(&report, &ci);
    assert_eq!(github.lines().count(), report.findings.len(), "{github}");
    for line in github.lines() {
        assert!(line.starts_with("::error ") || line.starts_with("::warning "));
        assert!(!line.contains('\u{1b}'), "{line}");
    }
}

#[test]
fn load_errors_show_names_without_obeying_them() {
    let errors = cowork_policy::load_sources([(
        FILE,
        format!(
            "apiVersion: cowork-policy/v1\ngroups:\n  - name: {}\n    membrs: [a@b.co]\n",
            quoted(FORGE)
        ),
    )])
    .unwrap_err();
    let ci = CiOptions::new();
    assert_inert(
        "full",
        &render::human_load_errors(&errors, &HumanOptions::new(false)),
    );
    assert_inert("concise", &render::concise_load_errors(&errors, &ci));
    assert_inert("markdown", &render::markdown_load_errors(&errors, &ci));
}

#[test]
fn access_and_diff_texts_show_names_without_obeying_them() {
    let head = policy(true);
    let access = EffectiveAccess::new(&head, &options());
    assert_inert(
        "access --user",
        &render::access_human(&access.user("bob@acme.com").unwrap()),
    );
    assert_inert(
        "access --user",
        &render::access_human(&access.user("ana@acme.com").unwrap()),
    );
    assert_inert(
        "access --group",
        &render::group_human(&access.group(FORGE).unwrap()),
    );
    let diff = cowork_policy::diff::diff_with(&policy(false), &head, &options(), &options());
    assert!(!diff.entitlements.is_empty());
    assert_inert("diff", &render::diff_human(&diff));
    assert_inert("diff --format markdown", &render::diff_markdown(&diff));
}

#[test]
fn stale_baseline_entries_show_names_without_obeying_them() {
    let policy = policy(true);
    let report = report(&policy);
    let baseline = Baseline::from_json(&format!(
        r#"{{"version": 1, "findings": [{{"code": "IDP001", "file": {file}, "entity": {entity}, "message": {message}}}]}}"#,
        file = quoted(FILE),
        entity = quoted(&format!("group/{ESCAPES}\n::add-mask::y")),
        message = quoted(FORGE),
    ))
    .unwrap();
    let (_, stale) = baseline.filter(&report);
    assert_eq!(stale.len(), 1);
    let compared = Compared::Baseline {
        file: format!("base\n::error::{ESCAPES}.json"),
        hidden: 0,
        stale,
        pruned: false,
    };
    assert_inert("baseline summary", &compared.summary());
    assert_inert(
        "markdown",
        &render::markdown_compared(&report, &CiOptions::new(), &compared),
    );
}

/// What GitHub would render from a Markdown text, as pulldown-cmark parses it with GitHub's
/// tables and strikethrough: its HTML (inline or block) and its code spans.
fn markdown_parts(text: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser};
    let mut html = Vec::new();
    let mut code = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
            Event::Code(c) => code.push(c.to_string()),
            _ => {}
        }
    }
    (html, code)
}

/// The HTML a Markdown output may hold is its own: collapsible blocks, code in their
/// summaries and line breaks. Any other tag came from user data.
fn assert_only_own_html(what: &str, text: &str) {
    let (html, _) = markdown_parts(text);
    for fragment in &html {
        let mut rest = fragment.clone();
        for own in [
            "<details>",
            "</details>",
            "<summary>",
            "</summary>",
            "<br>",
            "<code>",
            "</code>",
        ] {
            rest = rest.replace(own, "");
        }
        assert!(
            !rest.contains(['<', '>']),
            "{what}: user data became HTML: {fragment:?}\n{text}"
        );
    }
}

/// Every cell of every table row has as many cells as the header: no name splits a cell.
fn assert_tables_whole(what: &str, text: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut columns = 0;
    let mut cells = 0;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(alignments)) => columns = alignments.len(),
            Event::Start(Tag::TableRow | Tag::TableHead) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                assert_eq!(cells, columns, "{what}: a row has {cells} cells\n{text}");
            }
            _ => {}
        }
    }
}

#[test]
fn diff_markdown_escapes_every_name() {
    let diff =
        cowork_policy::diff::diff_with(&policy(false), &policy(true), &options(), &options());
    let text = render::diff_markdown(&diff);
    assert_only_own_html("diff markdown", &text);
    assert_tables_whole("diff markdown", &text);
    let (_, code) = markdown_parts(&text);
    // Names in code spans read back exactly as written (but for the sanitised line feeds).
    assert!(code.iter().any(|c| c == TICKS), "{code:?}\n{text}");
    assert!(
        code.iter().any(|c| c == &*render::sanitize(FORGE)),
        "{code:?}\n{text}"
    );
    // Outside code spans the tag is escaped; inside one (a finding's message quotes the org
    // name) it is shown as code, which `assert_only_own_html` has parsed above.
    assert_eq!(
        text.matches("<img").count(),
        text.matches("\\<img").count() + text.matches("`<img").count(),
        "{text}"
    );
}

#[test]
fn check_markdown_escapes_every_name() {
    let policy = policy(true);
    let report = report(&policy);
    for options in [
        CiOptions::new().path_prefix("<b>x</b>"),
        CiOptions::new().link_base("https://github.com/o/r/blob/abc"),
    ] {
        let text = render::markdown(&report, &options);
        assert_only_own_html("markdown", &text);
        assert_tables_whole("markdown", &text);
        assert!(!text.contains("<b>x</b>"), "{text}");
        let (_, code) = markdown_parts(&text);
        assert!(
            code.iter().any(|c| c == &*render::sanitize(FORGE)),
            "{code:?}\n{text}"
        );
        // The `<summary>` of a finding's details names its file as text: HTML-escaped, and
        // neither a code span nor a link that GitHub would render inside it.
        for line in text.lines().filter(|l| l.starts_with("<details><summary>")) {
            assert!(!line.contains("<b>"), "{line}");
            assert!(!line.contains('\n'));
        }
    }
}
