//! What ships, checked where it cannot run here: the release workflow and the action against
//! SchemaStore's JSON schemas (actionlint, in `.ci/lint-workflows`, checks them further), the
//! platforms the release builds against those the action downloads, the repository's address
//! kept in one place, the packages' metadata (crates and wheels), the licence files and the
//! profiles. The wheel itself is built, installed and run by `.ci/test-wheel`.

use std::path::Path;

use serde_json::Value;

use super::root;

/// A file of the repository, as text.
fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A YAML file of the repository, as a JSON value.
fn yaml(path: &str) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A TOML file of the repository.
fn toml(path: &str) -> toml::Table {
    read(path).parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The errors of `document` against the vendored schema `tests/data/<schema>`, one a line.
fn schema_errors(schema: &str, document: &Value) -> String {
    let schema: Value = serde_json::from_str(&read(&format!(
        "crates/cowork-policy-cli/tests/data/{schema}"
    )))
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The release workflows: every file of `.github/workflows/`.
fn workflows() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| {
            format!(
                ".github/workflows/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_workflows_and_the_action_match_schemastores_schemas() {
    let mut files = workflows();
    assert!(files.contains(&".github/workflows/release.yml".to_string()));
    files.push("docs/ci/github-workflow.yml".to_string());
    for file in files {
        let errors = schema_errors("github-workflow.json", &yaml(&file));
        assert!(errors.is_empty(), "{file}:\n{errors}");
    }
    let errors = schema_errors("github-action.json", &yaml("action.yml"));
    assert!(errors.is_empty(), "action.yml:\n{errors}");
}

#[test]
fn the_drift_workflow_of_the_docs_matches_schemastores_schema() {
    let doc = read("docs/drift.md");
    let start = doc.find("# .github/workflows/live-drift.yml").unwrap();
    let block = &doc[start..start + doc[start..].find("```").unwrap()];
    let workflow: Value = serde_saphyr::from_str(block).unwrap();
    let errors = schema_errors("github-workflow.json", &workflow);
    assert!(errors.is_empty(), "docs/drift.md:\n{errors}");
    let steps = workflow["jobs"]["drift"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.starts_with("cowork-policy pull --out"))
    );
    assert!(
        runs.iter()
            .any(|r| r.contains("cowork-policy drift") && r.contains("--format sarif"))
    );
}

#[test]
fn the_schemas_catch_a_broken_workflow() {
    // The check above can fail: a job without `runs-on` and a misspelt trigger are refused.
    let mut workflow = yaml(".github/workflows/release.yml");
    workflow["jobs"]["sdist"]
        .as_object_mut()
        .unwrap()
        .remove("runs-on");
    assert!(!schema_errors("github-workflow.json", &workflow).is_empty());
    let mut workflow = yaml(".github/workflows/release.yml");
    workflow["on"] = serde_json::json!({"tag": null});
    assert!(!schema_errors("github-workflow.json", &workflow).is_empty());
    let mut action = yaml("action.yml");
    action["runs"]["using"] = "bash".into();
    assert!(!schema_errors("github-action.json", &action).is_empty());
}

/// The `target` of each build of the release workflow.
fn release_targets() -> Vec<String> {
    let workflow = yaml(".github/workflows/release.yml");
    workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|build| build["target"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_release_builds_every_platform_the_issue_names_and_the_action_downloads() {
    let targets = release_targets();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.iter().any(|t| t == target), "no build for {target}");
    }
    // Every target the action's download step picks has a build.
    let script = read("scripts/action-install.sh");
    let picked: Vec<&str> = script
        .lines()
        .filter_map(|l| l.trim().split_once(") target="))
        .map(|(_, target)| target.trim_end_matches(" ;;"))
        .filter(|t| !t.starts_with('"'))
        .collect();
    assert_eq!(picked.len(), 5, "{picked:?}");
    for target in picked {
        assert!(
            targets.iter().any(|t| t == target),
            "the action downloads {target}, which the release does not build"
        );
    }
    // The archives are named as the action expects, with checksums beside them.
    let text = read(".github/workflows/release.yml");
    assert!(text.contains("\"../dist/cowork-policy-$TARGET.tar.gz\""));
    assert!(text.contains("\"../dist/cowork-policy-$TARGET.zip\""));
    assert!(script.contains("archive=cowork-policy-$target.tar.gz"));
    assert!(script.contains("archive=cowork-policy-$target.zip"));
    assert!(text.contains("sha256sum -- * >SHA256SUMS"));
    assert!(script.contains("\"$releases/$tag/SHA256SUMS\""));
}

#[test]
fn the_release_publishes_with_trusted_publishing_only() {
    let workflow = yaml(".github/workflows/release.yml");
    assert_eq!(workflow["permissions"]["contents"], "read");
    let jobs = workflow["jobs"].as_object().unwrap();
    for (name, job) in jobs {
        let writes: Vec<&String> = job["permissions"]
            .as_object()
            .map(|p| p.keys().filter(|k| p[*k] == "write").collect())
            .unwrap_or_default();
        match name.as_str() {
            "github-release" => assert_eq!(writes, ["contents"]),
            "pypi" | "crates-io" => {
                assert_eq!(writes, ["id-token"], "{name}");
                assert!(job["environment"]["name"].is_string(), "{name}");
            }
            _ => assert!(writes.is_empty(), "{name} writes {writes:?}"),
        }
    }
    let text = read(".github/workflows/release.yml");
    assert!(!text.contains("secrets."), "no stored token");
    assert!(text.contains("uses: pypa/gh-action-pypi-publish@release/v1"));
    assert!(text.contains("uses: rust-lang/crates-io-auth-action@v1"));
    // The library first: the CLI depends on the published version.
    let library = text
        .find("cargo publish --locked -p cowork-policy\n")
        .unwrap();
    let cli = text
        .find("cargo publish --locked -p cowork-policy-cli")
        .unwrap();
    assert!(library < cli);
}

/// The workspace's `repository`, the one place the repository's address is written.
fn repository() -> String {
    toml("Cargo.toml")["workspace"]["package"]["repository"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The files that name the repository's address: the docs, the snippets, the packages' metadata
/// and the scripts a policy repo uses.
fn files_naming_the_repository() -> Vec<String> {
    let mut files = vec![
        "README.md".to_string(),
        "ARCHITECTURE.md".to_string(),
        "Cargo.toml".to_string(),
        "pyproject.toml".to_string(),
        "action.yml".to_string(),
        ".pre-commit-hooks.yaml".to_string(),
    ];
    for dir in [
        "docs",
        "docs/ci",
        "crates/cowork-policy",
        "crates/cowork-policy-cli",
        ".github/workflows",
        "scripts",
        ".ci",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_file() && !name.ends_with(".json") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    files
}

/// Each `https://github.com/OWNER/cowork-policy` of a text (the address of this repository,
/// whoever the owner), and each `uses: OWNER/cowork-policy@`, as its byte range and owner.
fn addresses(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    for prefix in ["https://github.com/", "uses: "] {
        for (at, _) in text.match_indices(prefix) {
            let start = at + prefix.len();
            let rest = &text[start..];
            let Some(slash) = rest.find('/') else {
                continue;
            };
            let owner = &rest[..slash];
            let valid = !owner.is_empty()
                && owner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let name = &rest[slash + 1..];
            let ends = name.strip_prefix("cowork-policy").is_some_and(|after| {
                !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
            if valid && ends {
                let end = start + slash + 1 + "cowork-policy".len();
                found.push((at..end, owner));
            }
        }
    }
    found
}

#[test]
fn the_repository_address_is_written_once_and_every_place_derives_from_it() {
    let address = repository();
    let owner = address
        .strip_prefix("https://github.com/")
        .and_then(|rest| rest.strip_suffix("/cowork-policy"))
        .unwrap_or_else(|| panic!("{address} is not https://github.com/OWNER/cowork-policy"));
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut wrong = Vec::new();
    let mut count = 0;
    for file in files_naming_the_repository() {
        let text = read(&file);
        let found = addresses(&text);
        count += found.len();
        let mut fixed = String::new();
        let mut last = 0;
        for (range, found_owner) in found {
            if found_owner != owner {
                wrong.push(format!("{file}: `{}`", &text[range.clone()]));
                fixed.push_str(&text[last..range.start]);
                let prefix = &text[range.start..range.end - "cowork-policy".len() - 1];
                let prefix = prefix.strip_suffix(found_owner).unwrap();
                fixed.push_str(&format!("{prefix}{owner}/cowork-policy"));
                last = range.end;
            }
        }
        if update && last > 0 {
            fixed.push_str(&text[last..]);
            std::fs::write(root().join(&file), fixed).unwrap();
        }
    }
    assert!(count > 10, "the address is named in {count} places only");
    assert!(
        update || wrong.is_empty(),
        "these do not name {address}, the workspace's `repository` in Cargo.toml (run with \
         `UPDATE_DOCS=1` to rewrite them):\n{}",
        wrong.join("\n")
    );
    // The other keys that hold the address are the same address.
    assert_eq!(
        toml("Cargo.toml")["workspace"]["package"]["homepage"].as_str(),
        Some(address.as_str())
    );
    for pyproject in ["pyproject.toml", "crates/cowork-policy-cli/pyproject.toml"] {
        assert_eq!(
            toml(pyproject)["project"]["urls"]["Repository"].as_str(),
            Some(address.as_str()),
            "{pyproject}"
        );
    }
    // No address left from before there was one source.
    for file in files_naming_the_repository() {
        assert!(
            !read(&file).contains("example.invalid/cowork-policy"),
            "{file}"
        );
    }
}

#[test]
fn the_address_finder_sees_each_form_and_nothing_else() {
    let text = "repo: https://github.com/acme/cowork-policy\n- uses: acme/cowork-policy@v1\n\
                crates/cowork-policy-cli https://github.com/acme/cowork-policy-fork \
                https://github.com/acme/cowork-policy#readme $RUNNER_TEMP/cowork-policy";
    let owners: Vec<&str> = addresses(text).into_iter().map(|(_, o)| o).collect();
    assert_eq!(owners, ["acme", "acme", "acme"]);
}

/// The workspace's version.
fn version() -> String {
    toml("Cargo.toml")["workspace"]["package"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_wheel_and_the_pre_commit_package_follow_the_workspace() {
    let wheel = toml("crates/cowork-policy-cli/pyproject.toml");
    assert_eq!(wheel["project"]["name"].as_str(), Some("cowork-policy"));
    // The version is the crate's (maturin reads it), not written twice.
    assert_eq!(
        wheel["project"]["dynamic"].as_array().unwrap(),
        &[toml::Value::from("version")]
    );
    assert_eq!(wheel["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    assert_eq!(
        wheel["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    let readme = wheel["project"]["readme"].as_str().unwrap();
    assert!(
        root()
            .join("crates/cowork-policy-cli")
            .join(readme)
            .is_file()
    );
    let license = toml("Cargo.toml")["workspace"]["package"]["license"].clone();
    assert_eq!(wheel["project"]["license"], license);

    // pre-commit's package at the root depends on the wheel of the same version.
    let hook = toml("pyproject.toml");
    assert_eq!(
        hook["project"]["version"].as_str(),
        Some(version().as_str())
    );
    assert_eq!(
        hook["project"]["dependencies"].as_array().unwrap(),
        &[toml::Value::from(format!("cowork-policy=={}", version()))]
    );
    let hooks = yaml(".pre-commit-hooks.yaml");
    let python = hooks
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["language"] == "python")
        .expect("a `language: python` hook");
    assert_eq!(python["entry"], "cowork-policy check");
    // The hook's command is the wheel's binary: the CLI's `[[bin]]`.
    let cli = toml("crates/cowork-policy-cli/Cargo.toml");
    assert_eq!(cli["bin"][0]["name"].as_str(), Some("cowork-policy"));
    // Every snippet and script that pins a release pins this version.
    for (file, pin) in [
        (
            "docs/ci/pre-commit-config.yaml",
            format!("rev: v{}", version()),
        ),
        (
            "docs/ci/pre-commit-config-wheel.yaml",
            format!("rev: v{}", version()),
        ),
        (
            "docs/ci/github-workflow.yml",
            format!("/cowork-policy@v{} ", version()),
        ),
        (
            "docs/ci/gitlab-ci.yml",
            format!("COWORK_POLICY_VERSION: {} ", version()),
        ),
    ] {
        assert!(read(file).contains(&pin), "{file} does not pin `{pin}`");
    }
}

#[test]
fn the_published_crates_carry_what_crates_io_shows() {
    // crates.io's category slugs (https://crates.io/category_slugs) that fit this project.
    const CATEGORIES: &[&str] = &[
        "command-line-utilities",
        "config",
        "development-tools",
        "development-tools::testing",
        "parser-implementations",
    ];
    let workspace = toml("Cargo.toml");
    let shared = &workspace["workspace"]["package"];
    for shared_key in ["license", "repository", "homepage", "rust-version"] {
        assert!(shared.get(shared_key).is_some(), "{shared_key}");
    }
    for dir in ["crates/cowork-policy", "crates/cowork-policy-cli"] {
        let manifest = toml(&format!("{dir}/Cargo.toml"));
        let package = &manifest["package"];
        assert!(package.get("publish").is_none(), "{dir} is published");
        for inherited in ["license", "repository", "homepage", "version"] {
            assert_eq!(
                package[inherited]["workspace"].as_bool(),
                Some(true),
                "{dir}: {inherited}"
            );
        }
        let readme = package["readme"].as_str().unwrap();
        assert!(Path::new(&root().join(dir).join(readme)).is_file(), "{dir}");
        assert!(package["description"].as_str().unwrap().len() > 20);
        assert!(
            package["documentation"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        let keywords = package["keywords"].as_array().unwrap();
        assert!(
            (1..=5).contains(&keywords.len()),
            "{dir}: at most 5 keywords"
        );
        for keyword in keywords {
            let keyword = keyword.as_str().unwrap();
            assert!(
                keyword.len() <= 20
                    && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
                    && keyword
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{dir}: crates.io refuses the keyword `{keyword}`"
            );
        }
        let categories = package["categories"].as_array().unwrap();
        assert!((1..=5).contains(&categories.len()));
        for category in categories {
            let category = category.as_str().unwrap();
            assert!(CATEGORIES.contains(&category), "{dir}: `{category}`");
        }
        // The licence texts travel with the package (links to the root's files).
        for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert_eq!(read(&format!("{dir}/{licence}")), read(licence), "{dir}");
        }
        // Test data that is not ours stays out of the package.
        let excluded = package["exclude"].as_array().unwrap();
        assert!(
            excluded.contains(&toml::Value::from("/tests/data/")),
            "{dir}"
        );
    }
    // The OASIS-licensed SARIF schema is among the excluded test data.
    assert!(
        root()
            .join("crates/cowork-policy/tests/data/sarif-schema-2.1.0.json")
            .is_file()
    );
    // The licences the `license` expression names, with the copyright holder.
    assert_eq!(shared["license"].as_str(), Some("MIT OR Apache-2.0"));
    let mit = read("LICENSE-MIT");
    assert!(mit.starts_with("MIT License\n\nCopyright (c) the cowork-policy authors\n"));
    assert!(mit.contains("THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.trim_start().starts_with("Apache License\n"));
    assert!(apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
}

#[test]
fn the_release_binary_has_no_debug_information_and_the_benchmarks_keep_line_tables() {
    let workspace = toml("Cargo.toml");
    let profiles = &workspace["profile"];
    assert_eq!(profiles["release"]["debug"].as_bool(), Some(false));
    assert_eq!(profiles["release"]["strip"].as_bool(), Some(true));
    // `cargo bench` builds with the bench profile, which inherits the release one: it must
    // turn line tables on and stripping off.
    assert_eq!(
        profiles["bench"]["debug"].as_str(),
        Some("line-tables-only")
    );
    assert_eq!(profiles["bench"]["strip"].as_str(), Some("none"));
}
