//! Helpers shared by the integration tests: where the repo's folders are, and fixture headers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The day every test checks as of, so that dated rules give the same findings on any day.
pub const TODAY: &str = "2026-11-24";

/// Check a policy as of [`TODAY`], with its own platform profile.
pub fn check(policy: &cowork_policy::Policy) -> cowork_policy::Report {
    let today = cowork_policy::Date::parse(TODAY).unwrap();
    cowork_policy::check_with(policy, &cowork_policy::CheckOptions::default().today(today))
}

/// Check a policy as of `today` (`YYYY-MM-DD`), with its own platform profile.
pub fn check_on(policy: &cowork_policy::Policy, today: &str) -> cowork_policy::Report {
    let today = cowork_policy::Date::parse(today).unwrap();
    cowork_policy::check_with(policy, &cowork_policy::CheckOptions::default().today(today))
}

/// A fixture's `# today: YYYY-MM-DD` line, if it checks as of another day than [`TODAY`].
pub fn today_of(text: &str) -> &str {
    text.lines()
        .find_map(|line| line.strip_prefix("# today:"))
        .map_or(TODAY, str::trim)
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The rule fixture folders (`fixtures/<CODE>-<name>/`), sorted.
pub fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        })
        .collect();
    dirs.sort();
    dirs
}

/// The example policy repos under `policies/`, sorted.
pub fn example_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Every `.yaml` file under a folder, recursively, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The `# expect: CODE LINE:COLUMN` lines of a fixture, sorted; empty for `# expect: none`.
pub fn expectations(text: &str) -> Vec<(String, u32, u32)> {
    let mut expected = Vec::new();
    let mut saw_header = false;
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# expect:") else {
            continue;
        };
        saw_header = true;
        let rest = rest.trim();
        if rest == "none" {
            continue;
        }
        let (code, position) = rest.split_once(' ').expect("`# expect: CODE LINE:COLUMN`");
        let (line, column) = position.trim().split_once(':').expect("LINE:COLUMN");
        expected.push((
            code.to_string(),
            line.parse().unwrap(),
            column.parse().unwrap(),
        ));
    }
    assert!(saw_header, "fixture has no `# expect:` line");
    expected.sort();
    expected
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// An empty directory named after `test`, this test binary's process and a count, so two
    /// tests (or two calls of one helper) running at once never share it.
    pub fn new(test: &str) -> TempDir {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "cowork-policy-test-{test}-{}-{n}",
            std::process::id()
        ));
        if path.exists() {
            std::fs::remove_dir_all(&path).unwrap();
        }
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    /// Write `bytes` to `relative`, creating its folders.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> &TempDir {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether a rule fixture folder holds managed files (`fail.mobileconfig`, `fail.reg`, ...),
/// checked by `cowork_policy::managed::check_file`, rather than `fail.yaml`.
pub fn is_managed_fixture(dir: &Path) -> bool {
    !dir.join("fail.yaml").exists()
        && dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("MDM"))
}

/// A managed fixture's case files (`fail.*`, `pass.*`, then any other), with their bytes.
pub fn managed_cases(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !n.ends_with(".expect") && n != "policy.yaml")
        .collect();
    names.sort_by_key(|n| (!n.starts_with("fail."), !n.starts_with("pass."), n.clone()));
    names
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// The `expect: CODE LINE:COLUMN` lines of a managed fixture case, from its `<case>.expect`
/// file when it has one (JSON has no comments), else from the case itself.
pub fn managed_case_expectations(dir: &Path, case: &str, bytes: &[u8]) -> Vec<(String, u32, u32)> {
    match std::fs::read(dir.join(format!("{case}.expect"))) {
        Ok(sidecar) => managed_expectations(&sidecar),
        Err(_) => managed_expectations(bytes),
    }
}

/// The `expect: CODE LINE:COLUMN` lines of a managed fixture (in an XML `<!-- -->` or a `.reg`
/// `;` comment), sorted; empty for `expect: none`. The bytes may be UTF-16 LE with a BOM.
pub fn managed_expectations(bytes: &[u8]) -> Vec<(String, u32, u32)> {
    let text = match bytes {
        [0xFF, 0xFE, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        }
        _ => String::from_utf8(bytes.to_vec()).unwrap(),
    };
    let header: String = text
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start_matches([' ', ';', '<', '!', '-']).trim_start();
            rest.starts_with("expect:")
                .then(|| format!("# {}\n", rest.trim_end()))
        })
        .collect();
    expectations(&header)
}

/// Check a managed fixture case: against the folder's `policy.yaml` when it has one (MDM008),
/// else on its own.
pub fn check_managed_case(dir: &Path, name: &str, bytes: &[u8]) -> cowork_policy::managed::Checked {
    let policy = dir.join("policy.yaml");
    let checked = if policy.is_file() {
        let text = std::fs::read_to_string(&policy).unwrap();
        let policy = cowork_policy::load_sources([("policy.yaml", text)]).unwrap();
        let expected = cowork_policy::managed::desktop_settings(&policy, None).unwrap();
        cowork_policy::managed::check_file_against(name, bytes, &expected)
    } else {
        cowork_policy::managed::check_file(name, bytes)
    };
    checked.unwrap_or_else(|e| panic!("{name} does not read:\n{e}"))
}

/// Whether a rule fixture folder is a drift rule's (`fixtures/DRIFT*/`): each case `<case>.yaml`
/// is a policy compared with the snapshot folder `<case>.live/` by `cowork_policy::drift`.
pub fn is_drift_fixture(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("DRIFT"))
}

/// Compare a drift fixture case (`fail.yaml`) with its snapshot (`fail.live/`), as of [`TODAY`]
/// or the case's `# today:`. The policy is named `<folder>/<case>` in locations.
pub fn drift_case(dir: &Path, case: &str) -> (cowork_policy::Policy, cowork_policy::Report) {
    let folder = dir.file_name().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(dir.join(case)).unwrap();
    let policy = cowork_policy::load_sources([(format!("{folder}/{case}"), text.clone())])
        .unwrap_or_else(|e| panic!("{folder}/{case} does not load:\n{e}"));
    let live = dir.join(case.replace(".yaml", ".live"));
    let snapshot = cowork_policy::live::Snapshot::read_dir(&live)
        .unwrap_or_else(|e| panic!("{}: {e}", live.display()));
    let today = cowork_policy::Date::parse(today_of(&text)).unwrap();
    let options = cowork_policy::CheckOptions::default().today(today);
    let report = cowork_policy::drift_with(&policy, &snapshot, &options);
    (policy, report)
}

/// A drift fixture's cases: `fail.yaml`, `pass.yaml`, then any other `.yaml`.
pub fn drift_cases(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort_by_key(|n| (n != "fail.yaml", n != "pass.yaml", n.clone()));
    names
}
