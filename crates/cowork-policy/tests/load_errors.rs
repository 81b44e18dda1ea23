//! Bad input gets a clear error naming the file, line and column and what was expected: never a
//! panic, never silence. Each test feeds one kind of mistake through the public API and asserts
//! the exact place, message and help.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use common::TempDir;
use std::time::{Duration, Instant};

use cowork_policy::render::{HumanOptions, human_load_errors};
use cowork_policy::{LoadError, LoadErrors, MAX_FILE_BYTES, Policy, load_dir, load_sources};

const V1: &str = "apiVersion: cowork-policy/v1\n";

/// An error as `(file:line:column, message, help)`; the place is empty when there is none.
type Seen = (String, String, Option<String>);

fn seen(error: &LoadError) -> Seen {
    (
        error
            .location()
            .map_or_else(String::new, ToString::to_string),
        error.message(),
        error.help().map(str::to_string),
    )
}

fn expect_errors(result: Result<Policy, LoadErrors>) -> LoadErrors {
    match result {
        Ok(_) => panic!("the policy loaded, but an error was expected"),
        Err(errors) => errors,
    }
}

/// Every error from loading these in-memory files.
fn errors_of(sources: &[(&str, &str)]) -> Vec<Seen> {
    let errors = expect_errors(load_sources(sources.iter().copied()));
    for error in errors.errors() {
        assert_plain(&error.message());
        if let Some(help) = error.help() {
            assert_plain(help);
        }
    }
    errors.errors().iter().map(seen).collect()
}

/// The only error from loading one in-memory file.
fn error_of(name: &str, text: &str) -> Seen {
    let mut errors = errors_of(&[(name, text)]);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.remove(0)
}

fn s(place: &str, message: &str, help: Option<&str>) -> Seen {
    (place.into(), message.into(), help.map(str::to_string))
}

/// The house style: one line, no Rust type names, no final period.
fn assert_plain(text: &str) {
    assert!(!text.contains('\n'), "line break in {text:?}");
    assert!(!text.ends_with('.'), "final period in {text:?}");
    for rust in [
        "u64", "u32", "i64", "f64", "Raw", "Option<", "struct ", "enum ", "Vec<", "::",
    ] {
        assert!(!text.contains(rust), "Rust type name `{rust}` in {text:?}");
    }
}

// Malformed YAML.

#[test]
fn unclosed_bracket_points_at_the_bracket() {
    let text = format!("{V1}groups:\n  - name: eng\n    members: [ana@acme.com, bo@acme.com\n");
    assert_eq!(
        error_of("groups.yaml", &text),
        s(
            "groups.yaml:4:14",
            "unclosed `[`: expected a matching `]`",
            None
        )
    );
    assert_eq!(
        error_of(
            "orgs.yaml",
            &format!("{V1}orgs: [{{name: acme, plan: team\n")
        ),
        s(
            "orgs.yaml:2:8",
            "unclosed `{`: expected a matching `}`",
            None
        )
    );
}

#[test]
fn bad_indentation_points_at_the_misaligned_key() {
    let indent = "indent the keys of one mapping by the same number of spaces, and start each list item with `- `";
    // One space short of the key above.
    assert_eq!(
        error_of(
            "orgs.yaml",
            &format!("{V1}orgs:\n  - name: acme\n   plan: team\n")
        ),
        s(
            "orgs.yaml:4:4",
            "bad indentation: this line does not line up with the lines above it",
            Some(indent)
        )
    );
    // Deeper than the key above: YAML reads `acme plan` as one value, then trips on the `:`.
    assert_eq!(
        error_of(
            "orgs.yaml",
            &format!("{V1}orgs:\n  - name: acme\n      plan: team\n")
        ),
        s(
            "orgs.yaml:4:7",
            "unexpected `:`: a key indented deeper than the keys above it, or a value with `: ` in it",
            Some(&format!("{indent}; quote a value that contains `: `"))
        )
    );
    assert_eq!(
        error_of("orgs.yaml", &format!("{V1}orgs:\n\t- name: acme\n")),
        s(
            "orgs.yaml:3:2",
            "tab in indentation: YAML indents with spaces only",
            Some("replace the tabs at the start of the line with spaces")
        )
    );
}

#[test]
fn other_malformed_yaml_says_what_was_expected() {
    assert_eq!(
        error_of("orgs.yaml", &format!("{V1}orgs:\n  - name: \"acme\n")),
        s(
            "orgs.yaml:3:11",
            "unclosed quote: expected a closing `\"`",
            None
        )
    );
    assert_eq!(
        error_of("orgs.yaml", &format!("{V1}orgs:\n  - name: @acme\n")),
        s(
            "orgs.yaml:3:11",
            "a plain value cannot start with `@`",
            Some("quote the value: `\"...\"`")
        )
    );
    assert_eq!(
        error_of(
            "groups.yaml",
            &format!("{V1}groups:\n  - name: eng\n    members: [ana@acme.com] bo@acme.com\n")
        ),
        s(
            "groups.yaml:4:29",
            "unexpected `bo@acme.com` after a value: expected the end of the line",
            Some(
                "put each `key: value` on its own line; quote a value that has spaces and punctuation in it"
            )
        )
    );
    assert_eq!(
        error_of("orgs.yaml", &format!("{V1}orgs: []\norgs: []\n")),
        s(
            "orgs.yaml:3:1",
            "duplicate key `orgs`",
            Some("a key appears once per mapping: merge the two or remove one")
        )
    );
    assert_eq!(
        error_of("orgs.yaml", &format!("{V1}orgs:\n  - name: *acme\n")),
        s(
            "orgs.yaml:3:11",
            "alias `*acme` names no anchor",
            Some("define the value with `&name` before using it as `*name`, in the same document")
        )
    );
}

// Wrong types.

#[test]
fn a_string_where_seats_is_a_number() {
    let org = |seats: &str| format!("{V1}orgs:\n  - name: acme\n    seats: {seats}\n");
    assert_eq!(
        error_of("org.yaml", &org("lots")),
        s(
            "org.yaml:4:12",
            "expected a whole number, 0 or more, found `lots`",
            None
        )
    );
    assert_eq!(
        error_of("org.yaml", &org("-3")),
        s(
            "org.yaml:4:12",
            "expected a whole number, 0 or more, found `-3`",
            None
        )
    );
    assert_eq!(
        error_of("org.yaml", &org("2.5")),
        s(
            "org.yaml:4:12",
            "expected a whole number, 0 or more, found `2.5`",
            None
        )
    );
    assert_eq!(
        error_of("org.yaml", &org("99999999999999999999999")),
        s(
            "org.yaml:4:12",
            "`99999999999999999999999` is too large: expected a whole number up to 18446744073709551615",
            None
        )
    );
}

#[test]
fn a_list_where_a_string_is_expected_and_back() {
    assert_eq!(
        error_of("org.yaml", &format!("{V1}orgs:\n  - name: [acme, beta]\n")),
        s("org.yaml:3:11", "expected a string, found a list", None)
    );
    assert_eq!(
        error_of("org.yaml", &format!("{V1}orgs:\n  - name: {{a: b}}\n")),
        s("org.yaml:3:11", "expected a string, found a mapping", None)
    );
    assert_eq!(
        error_of(
            "groups.yaml",
            &format!("{V1}groups:\n  - name: eng\n    members: ana@acme.com\n")
        ),
        s(
            "groups.yaml:4:14",
            "expected a list, found `ana@acme.com`",
            Some("write a list as `[a, b]`, or as one `- item` per line")
        )
    );
    assert_eq!(
        error_of("org.yaml", &format!("{V1}orgs:\n  name: acme\n")),
        s(
            "org.yaml:3:3",
            "expected a list, found a mapping",
            Some("write a list as `[a, b]`, or as one `- item` per line")
        )
    );
    assert_eq!(
        error_of("org.yaml", &format!("{V1}orgs:\n  - acme\n")),
        s(
            "org.yaml:3:5",
            "expected a mapping of `key: value` fields, found `acme`",
            Some("write fields as `key: value`, with a space after the `:`")
        )
    );
    assert_eq!(
        error_of(
            "org.yaml",
            &format!("{V1}orgs:\n  - name: acme\n    plan: [team]\n")
        ),
        s("org.yaml:4:11", "expected one keyword, found a list", None)
    );
}

#[test]
fn a_missing_value_points_at_its_key() {
    assert_eq!(
        error_of("org.yaml", &format!("{V1}orgs:\n  - name:\n")),
        s(
            "org.yaml:3:5",
            "expected a string, found nothing",
            Some("write a value after the `:`, or leave the key out")
        )
    );
    assert_eq!(
        error_of(
            "groups.yaml",
            &format!("{V1}groups:\n  - name: eng\n    members:\n")
        ),
        s(
            "groups.yaml:4:5",
            "expected a list, found nothing",
            Some("write a list as `[a, b]`, or as one `- item` per line; `[]` for none")
        )
    );
    assert_eq!(
        error_of("limits.yaml", &format!("{V1}spendLimits:\n  - name: std\n")),
        s(
            "limits.yaml:3:5",
            "missing field `amount`",
            Some(
                "a spend limit needs an `amount`: a number such as `150` or `19.99`, or `unlimited`"
            )
        )
    );
}

// Unknown fields and keywords.

#[test]
fn unknown_field_with_did_you_mean() {
    assert_eq!(
        error_of(
            "groups.yaml",
            &format!("{V1}groups:\n  - name: eng\n    membrs: [ana@acme.com]\n")
        ),
        s(
            "groups.yaml:4:5",
            "unknown field `membrs` in a group",
            Some("did you mean `members`?")
        )
    );
    assert_eq!(
        error_of("org.yaml", &format!("{V1}org:\n  - name: acme\n")),
        s(
            "org.yaml:2:1",
            "unknown field `org` in a document",
            Some("did you mean `orgs`?")
        )
    );
}

#[test]
fn unknown_field_far_from_any_lists_the_expected_ones() {
    assert_eq!(
        error_of(
            "groups.yaml",
            &format!("{V1}groups:\n  - name: eng\n    xyzzyplugh: 1\n")
        ),
        s(
            "groups.yaml:4:5",
            "unknown field `xyzzyplugh` in a group",
            Some("expected one of `name`, `org`, `idp`, `scim`, `members` or `memberGroups`")
        )
    );
    assert_eq!(
        error_of("policy.yaml", &format!("{V1}widgets: []\n")),
        s(
            "policy.yaml:2:1",
            "unknown field `widgets` in a document",
            Some(
                "expected one of `apiVersion`, `orgs`, `identityProviders`, `groups`, `directoryExports`, `roles`, `spendLimits`, `steps`, `connectors`, `plugins`, `pluginMarketplace`, `security`, `network`, `deployment`, `observability`, `desktop`, `team`, `launch` or `platform`"
            )
        )
    );
}

#[test]
fn unknown_keyword_values() {
    assert_eq!(
        error_of(
            "org.yaml",
            &format!("{V1}orgs:\n  - name: acme\n    plan: enterprize\n")
        ),
        s(
            "org.yaml:4:11",
            "unknown plan `enterprize`: expected `free`, `pro`, `max`, `team` or `enterprise`",
            Some("did you mean `enterprise`?")
        )
    );
    assert_eq!(
        error_of(
            "roles.yaml",
            &format!("{V1}roles:\n  - name: users\n    entitlements: [chat, cowrk]\n")
        ),
        s(
            "roles.yaml:4:26",
            "unknown entitlement `cowrk`: expected `cowork`, `chat` or `claude-code`",
            Some("did you mean `cowork`?")
        )
    );
    assert_eq!(
        error_of(
            "org.yaml",
            &format!("{V1}orgs:\n  - name: acme\n    rbac: mandatory\n")
        ),
        s(
            "org.yaml:4:11",
            "unknown RBAC state `mandatory`: expected `off`, `configured`, `tested` or `enforced`",
            None
        )
    );
}

#[test]
fn booleans_are_strict() {
    let yaml11 = "YAML 1.1 words such as `yes`, `no`, `on` and `off` are not booleans here: write `true` or `false`";
    let group = |scim: &str| format!("{V1}groups:\n  - name: eng\n    scim: {scim}\n");
    assert_eq!(
        error_of("groups.yaml", &group("yes")),
        s(
            "groups.yaml:4:11",
            "expected `true` or `false`, found `yes`",
            Some(yaml11)
        )
    );
    assert_eq!(
        error_of("groups.yaml", &group("NO")),
        s(
            "groups.yaml:4:11",
            "expected `true` or `false`, found `NO`",
            Some(yaml11)
        )
    );
    assert_eq!(
        error_of("groups.yaml", &group("1")),
        s(
            "groups.yaml:4:11",
            "expected `true` or `false`, found `1`",
            None
        )
    );
    assert!(load_sources([("groups.yaml", group("false"))]).is_ok());
}

// Format versions.

#[test]
fn unknown_api_version() {
    let expected = (
        "policy.yaml:1:13".to_string(),
        "unsupported format version `cowork-policy/v2`: expected `cowork-policy/v1`".to_string(),
        Some("upgrade cowork-policy, or write the version this build reads".to_string()),
    );
    assert_eq!(
        error_of("policy.yaml", "apiVersion: cowork-policy/v2\norgs: []\n"),
        expected
    );
    // A newer format may have fields this build does not know: the version is the error.
    assert_eq!(
        error_of(
            "policy.yaml",
            "apiVersion: cowork-policy/v2\nwidgets: [a]\n"
        ),
        expected
    );
    assert_eq!(
        error_of(
            "policy.yaml",
            &format!("{V1}orgs: []\n---\napiVersion: \"cowork-policy/v2\" # next\nwidgets: []\n")
        ),
        s(
            "policy.yaml:4:13",
            "unsupported format version `cowork-policy/v2`: expected `cowork-policy/v1`",
            Some("upgrade cowork-policy, or write the version this build reads")
        )
    );
}

#[test]
fn missing_api_version_in_the_second_document() {
    let text = format!("{V1}orgs:\n  - name: acme\n---\ngroups:\n  - name: eng\n");
    assert_eq!(
        error_of("policy.yaml", &text),
        s(
            "policy.yaml:5:1",
            "missing field `apiVersion`",
            Some("every document starts with `apiVersion: cowork-policy/v1`")
        )
    );
}

// Names.

#[test]
fn duplicate_names_across_files_point_at_the_second_and_name_the_first() {
    let a = format!("{V1}groups:\n  - name: eng\n");
    let b = format!("{V1}groups:\n  - name: sales\n  - name: eng\n");
    let errors = errors_of(&[("a.yaml", &a), ("b.yaml", &b)]);
    assert_eq!(
        errors,
        vec![s(
            "b.yaml:4:11",
            "duplicate group `eng`: first defined at a.yaml:3:11",
            Some("names are unique per kind: rename or merge one")
        )]
    );
}

#[test]
fn a_step_may_be_listed_once_per_org_and_once_for_every_org() {
    let orgs = "orgs:\n  - name: acme-us\n  - name: acme-eu\n";
    // Once without `org:` and once per org: fine.
    let ok = format!(
        "{V1}{orgs}steps:\n  - name: pilot-launch\n  - name: pilot-launch\n    org: acme-us\n  - name: pilot-launch\n    org: acme-eu\n"
    );
    assert!(load_sources([("ok.yaml", ok.as_str())]).is_ok());
    // Twice for the same org: an error naming the org and the step.
    let twice = format!(
        "{V1}{orgs}steps:\n  - name: pilot-launch\n    org: acme-eu\n  - name: pilot-launch\n    org: acme-eu\n"
    );
    assert_eq!(
        error_of("steps.yaml", &twice),
        s(
            "steps.yaml:8:11",
            "duplicate rollout step `acme-eu/pilot-launch`: first defined at steps.yaml:6:11",
            Some("names are unique per kind: rename or merge one")
        )
    );
}

// Empty files and directories.

#[test]
fn empty_files_in_memory_are_errors() {
    let expected = |place: &str| {
        s(
            place,
            "empty file: expected a document starting with `apiVersion: cowork-policy/v1`",
            None,
        )
    };
    assert_eq!(error_of("empty.yaml", ""), expected("empty.yaml:1:1"));
    assert_eq!(error_of("blank.yaml", "  \n\n"), expected("blank.yaml:1:1"));
    assert_eq!(
        error_of("comments.yaml", "# nothing yet\n---\n"),
        s(
            "comments.yaml:1:1",
            "no document: expected one starting with `apiVersion: cowork-policy/v1`",
            Some("the file holds only comments or `---`")
        )
    );
    let none: [(&str, &str); 0] = [];
    let errors = expect_errors(load_sources(none));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s(
            "",
            "(in-memory sources): no policy files found: expected YAML files whose documents start with `apiVersion: cowork-policy/v1`",
            None
        )]
    );
}

#[test]
fn an_empty_yaml_file_in_a_directory_is_listed_as_skipped() {
    let dir = TempDir::new("empty-skipped");
    dir.write("policy.yaml", format!("{V1}orgs:\n  - name: acme\n"))
        .write("empty.yaml", "");
    let policy = load_dir(dir.path()).unwrap();
    assert_eq!(policy.skipped_files(), ["empty.yaml"]);
    let report = cowork_policy::check(&policy);
    assert_eq!(report.skipped_files, ["empty.yaml"]);
}

#[test]
fn a_directory_with_no_policy_names_the_skipped_files() {
    let dir = TempDir::new("no-policy");
    dir.write("empty.yaml", "")
        .write("ci/build.yml", "jobs:\n  test: {}\n")
        .write(".hidden.yaml", "apiVersion: cowork-policy/v1\n");
    let errors = expect_errors(load_dir(dir.path()));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s(
            "",
            &format!(
                "{}: no policy files found: expected YAML files whose documents start with `apiVersion: cowork-policy/v1` (skipped 2 YAML files: ci/build.yml, empty.yaml)",
                dir.path().display()
            ),
            Some(
                "a policy file has a line `apiVersion: cowork-policy/v1`; the skipped files have none"
            )
        )]
    );
}

#[test]
fn an_empty_directory_has_no_policy() {
    let dir = TempDir::new("empty-dir");
    let errors = expect_errors(load_dir(dir.path()));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s(
            "",
            &format!(
                "{}: no policy files found: expected YAML files whose documents start with `apiVersion: cowork-policy/v1`",
                dir.path().display()
            ),
            None
        )]
    );
}

#[test]
fn a_path_that_does_not_exist() {
    let missing = std::env::temp_dir().join(format!(
        "cowork-policy-load-errors-missing-{}",
        std::process::id()
    ));
    let errors = expect_errors(load_dir(&missing));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s(
            "",
            &format!(
                "{}: cannot read: no such file or directory",
                missing.display()
            ),
            None
        )]
    );
}

#[test]
fn an_empty_file_given_by_path_is_an_error_not_a_skip() {
    let dir = TempDir::new("empty-file-path");
    dir.write("empty.yaml", "");
    let errors = expect_errors(load_dir(dir.path().join("empty.yaml")));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s(
            "empty.yaml:1:1",
            "empty file: expected a document starting with `apiVersion: cowork-policy/v1`",
            None
        )]
    );
}

// Files that are not text, or too large.

#[test]
fn a_non_utf8_file_names_the_bad_byte() {
    let dir = TempDir::new("not-utf8");
    let mut bytes = format!("{V1}orgs:\n  - name: ünï").into_bytes();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(b"\n");
    dir.write("orgs/latin.yaml", bytes);
    let errors = expect_errors(load_dir(dir.path()));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s(
            "orgs/latin.yaml:3:14",
            "not UTF-8 text: expected a YAML file encoded as UTF-8",
            None
        )]
    );
}

#[test]
fn a_file_over_the_size_limit() {
    let dir = TempDir::new("too-large");
    let size = MAX_FILE_BYTES + 1;
    let mut text = V1.to_string();
    text.push_str(&"#".repeat(size as usize - V1.len()));
    dir.write("big.yaml", &text);
    let message = format!(
        "big.yaml: file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit for one policy file"
    );
    let help = "split the policy over several files: a folder may hold any number";
    let errors = expect_errors(load_dir(dir.path()));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s("", &message, Some(help))]
    );
    // The same limit holds for text given in memory.
    let errors = expect_errors(load_sources([("big.yaml", text.as_str())]));
    assert_eq!(
        errors.errors().iter().map(seen).collect::<Vec<_>>(),
        vec![s("", &message, Some(help))]
    );
}

#[test]
fn other_yaml_never_stops_a_check_however_large_or_encoded() {
    let dir = TempDir::new("other-yaml");
    dir.write("org.yaml", format!("{V1}orgs:\n  - name: acme\n"));
    // A data export over the size limit, and a file in Latin-1: neither is policy.
    let mut big = String::from("rows:\n");
    while (big.len() as u64) <= MAX_FILE_BYTES {
        big.push_str("  - {id: 1, name: row}\n");
    }
    dir.write("exports/rows.yaml", &big);
    let mut latin = b"name: caf".to_vec();
    latin.push(0xe9);
    latin.push(b'\n');
    dir.write("legacy.yml", latin);
    let policy = load_dir(dir.path()).unwrap();
    assert_eq!(policy.files().collect::<Vec<_>>(), ["org.yaml"]);
    assert_eq!(policy.skipped_files(), ["exports/rows.yaml", "legacy.yml"]);
}

// Budgets: hostile input fails fast.

#[test]
fn an_alias_bomb_fails_fast_with_a_budget_error() {
    // "Billion laughs": nine levels of nine aliases each would expand to 9^9 strings.
    let mut text = format!("{V1}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
    }
    let started = Instant::now();
    let errors = errors_of(&[("bomb.yaml", &text)]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        errors,
        vec![s(
            "bomb.yaml:7:16",
            "over budget: anchors hold more than 250,000 values once the aliases in them expand",
            Some(
                "anchors and aliases (`&name`, `*name`) that nest multiply what they expand to: write the values out"
            )
        )]
    );
}

#[test]
fn aliases_within_the_format_are_held_to_the_budget_too() {
    // Every group is a valid copy of the first: the bomb fits the format, so only the budget
    // can stop it.
    let members: Vec<String> = (0..1000).map(|i| format!("u{i}@acme.com")).collect();
    let mut text = format!(
        "{V1}groups:\n  - &g {{name: eng, members: [{}]}}\n",
        members.join(", ")
    );
    for _ in 0..2000 {
        text.push_str("  - *g\n");
    }
    let started = Instant::now();
    let errors = errors_of(&[("groups.yaml", &text)]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(
        errors,
        vec![s(
            "groups.yaml:252:5",
            "over budget: aliases expand to more than 250,000 values",
            Some(
                "anchors and aliases (`&name`, `*name`) that nest multiply what they expand to: write the values out"
            )
        )]
    );
}

#[test]
fn an_alias_to_the_wrong_kind_of_value_names_both_places() {
    let text = format!(
        "{V1}groups:\n  - name: eng\n    members: &people [ana@acme.com]\n  - name: all\n    members: [*people]\n"
    );
    assert_eq!(
        error_of("groups.yaml", &text),
        s(
            "groups.yaml:6:15",
            "expected a string, found a list",
            Some("the alias stands for the value defined at line 4, column 22")
        )
    );
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{V1}orgs: {}\n", "[".repeat(10_000));
    let started = Instant::now();
    let errors = errors_of(&[("deep.yaml", &text)]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(
        errors,
        vec![s(
            "deep.yaml:2:71",
            "nesting deeper than 64 levels",
            Some(
                "a policy needs six levels of nesting at most: look for unclosed or runaway brackets"
            )
        )]
    );
    let text = format!("{V1}orgs: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(errors_of(&[("deep.yaml", &text)]).len(), 1);
}

// Values the format checks after parsing.

#[test]
fn an_invalid_email_in_members() {
    let text = format!(
        "{V1}groups:\n  - name: eng\n  - name: all\n    members: [ana@acme.com, eng, bo@acme, \"cy @acme.com\"]\n"
    );
    let errors = errors_of(&[("groups.yaml", &text)]);
    let plain = "list users by email under `members`, and nested groups under `memberGroups`";
    assert_eq!(
        errors,
        vec![
            s(
                "groups.yaml:5:29",
                "`eng` is not an email address",
                Some(
                    "`eng` is a group: list it under `memberGroups` to nest it (nested groups do not sync)"
                )
            ),
            s(
                "groups.yaml:5:34",
                "`bo@acme` is not an email address",
                Some(plain)
            ),
            s(
                "groups.yaml:5:43",
                "`cy @acme.com` is not an email address",
                Some(plain)
            ),
        ]
    );
}

#[test]
fn an_invalid_date_in_steps() {
    let step = |date: &str| format!("{V1}steps:\n  - name: planning\n    date: {date}\n");
    assert_eq!(
        error_of("steps.yaml", &step("2025-02-30")),
        s(
            "steps.yaml:4:11",
            "`2025-02-30` is not a date: expected `YYYY-MM-DD`",
            None
        )
    );
    assert_eq!(
        error_of("steps.yaml", &step("next week")),
        s(
            "steps.yaml:4:11",
            "`next week` is not a date: expected `YYYY-MM-DD`",
            None
        )
    );
}

#[test]
fn amounts_with_three_decimals_or_negative() {
    let limit = |amount: &str| format!("{V1}spendLimits:\n  - name: std\n    amount: {amount}\n");
    let expected = "an amount such as `150` or `19.99`, or `unlimited`";
    let cases = [
        (
            "19.999",
            "amount `19.999` has more than two decimals: expected whole cents, such as `19.99`"
                .to_string(),
        ),
        ("-5", format!("amount `-5` is negative: expected {expected}")),
        (
            "-0.5",
            format!("amount `-0.5` is negative: expected {expected}"),
        ),
        ("lots", format!("`lots` is not an amount: expected {expected}")),
        (
            "\"150\"",
            "amount `150` is quoted text: expected a number without quotes, such as `150` or `19.99`"
                .to_string(),
        ),
        ("[150]", format!("expected {expected}, found a list")),
    ];
    for (amount, message) in cases {
        assert_eq!(
            error_of("limits.yaml", &limit(amount)),
            s("limits.yaml:4:13", &message, None),
            "amount: {amount}"
        );
    }
    assert!(load_sources([("limits.yaml", limit("19.99"))]).is_ok());
    assert!(load_sources([("limits.yaml", limit("unlimited"))]).is_ok());
}

// Several files.

#[test]
fn errors_from_several_files_are_reported_together_in_path_order() {
    let dir = TempDir::new("several");
    dir.write(
        "b.yaml",
        format!("{V1}groups:\n  - name: eng\n    membrs: []\n"),
    )
    .write(
        "a/x.yaml",
        format!("{V1}groups:\n  - name: ops\n    scim: yes\n"),
    )
    .write(
        "a-b.yaml",
        format!("{V1}orgs:\n  - name: acme\n    plan: gold\n"),
    )
    .write(
        "c.yaml",
        [b"apiVersion: cowork-policy/v1\n\xff".as_slice()].concat(),
    )
    .write("fine.yaml", format!("{V1}roles: []\n"));
    let errors = expect_errors(load_dir(dir.path()));
    let places: Vec<String> = errors
        .errors()
        .iter()
        .map(|e| e.location().unwrap().to_string())
        .collect();
    assert_eq!(
        places,
        ["a/x.yaml:4:11", "a-b.yaml:4:11", "b.yaml:4:5", "c.yaml:2:1"]
    );

    // In memory, with errors found after parsing too: still by file, then position.
    let one = format!("{V1}groups:\n  - name: eng\n    members: [nobody]\n");
    let two = format!(
        "{V1}groups:\n  - name: eng\n---\n{V1}steps:\n  - name: planning\n    date: soon\n"
    );
    let errors = errors_of(&[("one.yaml", &one), ("two.yaml", &two)]);
    let places: Vec<&str> = errors.iter().map(|(place, _, _)| place.as_str()).collect();
    assert_eq!(places, ["one.yaml:4:15", "two.yaml:3:11", "two.yaml:8:11"]);
}

// Rendered output.

fn render(sources: &[(&str, &str)]) -> String {
    let errors = expect_errors(load_sources(sources.iter().copied()));
    human_load_errors(&errors, &HumanOptions::new(false))
}

#[test]
fn snapshot_typo_in_a_field() {
    let text = format!(
        "{V1}groups:\n  - name: eng\n    scim: true\n    membrs: [ana@acme.com, bo@acme.com]\n"
    );
    insta::assert_snapshot!("typo_in_a_field", render(&[("groups/eng.yaml", &text)]));
}

#[test]
fn snapshot_duplicate_across_two_files() {
    let a = format!("{V1}groups:\n  - name: eng\n    members: [ana@acme.com]\n");
    let b = format!("{V1}groups:\n  - name: sales\n  - name: eng\n    members: [bo@acme.com]\n");
    insta::assert_snapshot!(
        "duplicate_across_two_files",
        render(&[("groups/a.yaml", &a), ("groups/b.yaml", &b)])
    );
}

#[test]
fn snapshot_malformed_yaml() {
    let text = format!(
        "{V1}orgs:\n  - name: acme\n    plan: enterprise\ngroups:\n  - name: eng\n    members: [ana@acme.com, bo@acme.com\n  - name: ops\n"
    );
    insta::assert_snapshot!("malformed_yaml", render(&[("policy.yaml", &text)]));
}

#[test]
fn places_are_right_with_a_byte_order_mark_crlf_and_wide_characters() {
    let cases = [
        (
            "\u{feff}apiVersion: cowork-policy/v1\nwidgets: []\n",
            "x.yaml:2:1",
        ),
        (
            "\u{feff}apiVersion: cowork-policy/v1\ngroups:\n  - name: g\n    members: [nope]\n",
            "x.yaml:4:15",
        ),
        (
            "apiVersion: cowork-policy/v1\r\ngroups:\r\n  - name: g\r\n    scim: yes\r\n",
            "x.yaml:4:11",
        ),
        (
            "apiVersion: cowork-policy/v1\r\ngroups:\r\n  - name: g\r\n    members: [nope]\r\n",
            "x.yaml:4:15",
        ),
        (
            "apiVersion: cowork-policy/v1\ngroups:\n  - {name: \"\u{fc}n\u{ef}\", membrs: []}\n",
            "x.yaml:3:19",
        ),
    ];
    for (text, place) in cases {
        assert_eq!(error_of("x.yaml", text).0, place, "{text:?}");
    }
}

#[test]
fn load_errors_never_show_inline_secrets() {
    // A load error found after parsing (a bad date) on a file that also holds inline secrets: the
    // source lines shown are masked, and a malformed endpoint URL is not quoted back.
    let text = format!(
        "{V1}identityProviders:\n  - {{name: okta}}\n  - {{name: okta, scimToken: tok-9f8e7d6c5b}}\nobservability:\n  otelEndpoint: \"otel:hunter2@collector\"\nlaunch:\n  date: soon\n"
    );
    let shown = render(&[("policy.yaml", &text)]);
    // The duplicate's line holds the token: it is shown, masked.
    assert!(shown.contains("policy.yaml:4:12"), "{shown}");
    assert!(shown.contains("scimToken: **************"), "{shown}");
    assert!(shown.contains("policy.yaml:8:9"), "{shown}");
    assert!(shown.contains("the OTEL endpoint is not a URL"), "{shown}");
    for secret in ["tok-9f8e7d6c5b", "hunter2"] {
        assert!(!shown.contains(secret), "{secret} shown in:\n{shown}");
    }
}

/// A `desktop:` section takes the keys of the desktop app's managed-settings reference, typed
/// from it: an unknown key (with the nearest), a former name (with its successor), a key another
/// section decides, a value of the wrong type, out of range or outside its enum, an `http:`
/// banner link and an inline gateway key are each an error at their place; a clean section
/// loads.
#[test]
fn desktop_section_keys_and_values_are_checked_against_the_reference() {
    let text = format!(
        "{V1}orgs:\n  - name: acme\ndesktop:\n  autoUpdaterEnforcementHour: 24\n  isDxtEnabled: false\n  coworkEgressAllowedHosts: [a.com]\n  disableAutoUpdates: \"true\"\n  autoUpdaterEnforcementHours: 100\n  otlpDesktopLogLevel: verbose\n  banner:\n    text: hi\n    linkUrl: http://intranet.acme.com\n  inferenceGatewayApiKey: sk-ant-inline-123\n  disabledBuiltinTools: bash\n"
    );
    let errors = errors_of(&[("p.yaml", &text)]);
    let explain =
        |key: &str, allowed: &str| format!("allowed: {allowed} (`cowork-policy explain {key}`)");
    assert_eq!(
        errors,
        [
            s(
                "p.yaml:5:3",
                "`autoUpdaterEnforcementHour` is not a key of the desktop app's managed settings",
                Some("did you mean `autoUpdaterEnforcementHours`?"),
            ),
            s(
                "p.yaml:6:3",
                "`isDxtEnabled` is a former name the desktop app no longer reads: it is now `isDesktopExtensionEnabled`",
                Some("rename it `isDesktopExtensionEnabled`"),
            ),
            s(
                "p.yaml:7:3",
                "`coworkEgressAllowedHosts` is decided by `security.egressAllowlist`, not by the `desktop:` section",
                Some(
                    "set `security.egressAllowlist` instead: the compiled profile writes `coworkEgressAllowedHosts` from it"
                ),
            ),
            s(
                "p.yaml:8:23",
                "`disableAutoUpdates` is the string `\"true\"`: expected a boolean",
                Some(&format!(
                    "write it without quotes (the compiled profile turns it into the string the app reads); {}",
                    explain("disableAutoUpdates", "`true`, `false`")
                )),
            ),
            s(
                "p.yaml:9:32",
                "`autoUpdaterEnforcementHours` is `100`: outside 1 to 72",
                Some(&explain("autoUpdaterEnforcementHours", "1 to 72")),
            ),
            s(
                "p.yaml:10:24",
                "`otlpDesktopLogLevel` is `verbose`: expected one of `off`, `error`, `warn`, `info`, `debug`",
                Some(&explain(
                    "otlpDesktopLogLevel",
                    "`off`, `error`, `warn`, `info`, `debug`"
                )),
            ),
            s(
                "p.yaml:12:5",
                "`banner` is invalid: the banner's `linkUrl` is not an `https://` URL",
                Some(&explain(
                    "banner",
                    "`text` up to 200 characters, `#RRGGBB` colours, an `https://` `linkUrl`"
                )),
            ),
            s(
                "p.yaml:14:27",
                "`inferenceGatewayApiKey` is a credential written inline",
                Some(
                    "write a reference such as `${GATEWAY_KEY}` that your MDM substitutes, never the key itself"
                ),
            ),
            s(
                "p.yaml:15:25",
                "`disabledBuiltinTools` is the string `\"bash\"`: expected a list of strings",
                Some(&explain("disabledBuiltinTools", "any")),
            ),
        ]
    );
    // The inline key never reaches an error's snippet.
    let errors = expect_errors(load_sources([("p.yaml", text.as_str())]));
    let shown = human_load_errors(&errors, &HumanOptions::default());
    assert!(!shown.contains("sk-ant-inline"), "{shown}");

    let clean = format!(
        "{V1}orgs:\n  - name: acme\ndesktop:\n  org: acme\n  autoUpdaterEnforcementHours: 24\n  disableNonessentialTelemetry: true\n  otlpContentCapture: []\n  inferenceGatewayApiKey: ${{GATEWAY_KEY}}\n"
    );
    load_sources([("p.yaml", clean.as_str())]).unwrap();
}
