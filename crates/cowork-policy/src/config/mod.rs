//! The config file, `cowork-policy.toml`: which rules run and how loud they are, what fails a
//! check, rule options, the platform profile, which files to read, and governed waivers.
//!
//! The config is the only code that knows TOML, as `load` is the only code that knows YAML:
//! `raw.rs` mirrors the file, and this module turns it into a [`Config`] whose every setting
//! remembers where it came from (a default, the file at a line, or a command-line flag), so
//! `cowork-policy config` can say why a setting has the value it has. A config that does not
//! parse, or names a rule, profile or pattern that does not exist, is a load error with its place.
//!
//! Precedence: flags ([`Config::with_overrides`]) over the file over the defaults.
//!
//! ```
//! use cowork_policy::config::{Config, Overrides};
//! use cowork_policy::{CheckOptions, Severity};
//!
//! let config = Config::from_str(
//!     "cowork-policy.toml",
//!     "ignore = [\"SEAT001\"]\n",
//! )?;
//! let config = config.with_overrides(&Overrides::default().fail_level(Severity::Warning))?;
//! assert_eq!(config.fail_level(), Severity::Warning);
//!
//! let policy = cowork_policy::load_sources([("p.yaml", "apiVersion: cowork-policy/v1
//! orgs:
//!   - {name: acme, plan: enterprise, seats: 1}
//! groups:
//!   - {name: staff, scim: true, members: [ana@acme.com, bo@acme.com]}
//! ")])?;
//! let report = cowork_policy::check_with(&policy, &CheckOptions::default().config(config));
//! assert!(report.findings.iter().all(|f| f.code != "SEAT001"));
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

mod raw;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use schemars::generate::SchemaSettings;

use crate::confined::{self, MAX_CONFIG_BYTES, Refused};
use crate::diagnostic::Severity;
use crate::error::{LoadError, LoadErrors};
use crate::load::PathFilter;
use crate::model::Location;
use crate::model::{FileId, Sources, Span};
use crate::profile::Profile;
use crate::rules::{Rule, RuleOptions};
use crate::suggest;
use raw::{RawConfig, RawLevel, RawSeverity, RawWaiver, RawWaiverFile, Sp};

/// The name of the config file that [`Config::discover`] looks for.
pub const CONFIG_FILE_NAME: &str = "cowork-policy.toml";

/// The rules no waiver may accept unless the config says otherwise: the lockout and
/// zero-permission rules.
const NON_WAIVABLE: [&str; 3] = ["IDP005", "RBAC001", "SEAT001"];
/// SEAT002's default threshold, in percent of seats.
const SEAT_HEADROOM_PERCENT: u64 = 90;
/// PLAT001's default: platform facts older than this many days are reported.
const PLATFORM_MAX_AGE_DAYS: u32 = 180;
/// WAIVE003's default window, in days.
const EXPIRING_WITHIN_DAYS: u32 = 14;

/// How to check a policy: rule selection and severities, the fail level, rule options, the
/// platform profile, the files to read, and waivers. Read it from `cowork-policy.toml` with
/// [`Config::discover`] or [`Config::load`], apply command-line flags with
/// [`Config::with_overrides`], and pass it in [`crate::CheckOptions`] and to
/// [`crate::load_dir_with`]. The default is what a repo without a config file gets.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file as shown in locations, if the config was read from one.
    file: Option<String>,
    profile: Option<Set<Profile>>,
    fail_level: Set<Severity>,
    select: Set<Vec<Selector>>,
    ignore: Set<Vec<Selector>>,
    severity: Vec<SeverityEntry>,
    include: Set<Vec<String>>,
    exclude: Set<Vec<String>>,
    filter: PathFilter,
    seat_headroom_percent: Set<u64>,
    platform_max_age_days: Set<u32>,
    inline_waivers: Set<bool>,
    non_waivable: Set<Vec<Selector>>,
    expiring_within_days: Set<u32>,
    waivers_file: Option<Set<String>>,
    waivers: Vec<ConfigWaiver>,
}

/// A setting's value and where it came from.
#[derive(Debug, Clone)]
struct Set<T> {
    value: T,
    source: SettingSource,
}

impl<T> Set<T> {
    fn default(value: T) -> Set<T> {
        Set {
            value,
            source: SettingSource::Default,
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingSource {
    /// The built-in default.
    Default,
    /// The config file, at this place.
    File(Location),
    /// A command-line flag, such as `--select`.
    Flag(String),
}

impl std::fmt::Display for SettingSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingSource::Default => f.write_str("default"),
            SettingSource::File(location) => write!(f, "{location}"),
            SettingSource::Flag(flag) => f.write_str(flag),
        }
    }
}

/// One effective setting, for `cowork-policy config`: its key as written in the config file
/// (`fail-level`, `severity.SEAT002`, `rules.seat-headroom.threshold-percent`), its value in
/// TOML syntax, and where the value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// The key, dotted as in TOML.
    pub key: String,
    /// The value, as it would be written in the config file.
    pub value: String,
    /// Where it came from.
    pub source: SettingSource,
}

/// Command-line flags that override the config file. Each replaces the file's value for its key.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Overrides {
    /// `--profile NAME`.
    pub profile: Option<String>,
    /// `--fail-level LEVEL`.
    pub fail_level: Option<Severity>,
    /// `--select RULE,...`.
    pub select: Option<Vec<String>>,
    /// `--ignore RULE,...`.
    pub ignore: Option<Vec<String>>,
}

impl Overrides {
    /// `--profile NAME`: check against this built-in platform profile.
    pub fn profile(mut self, name: impl Into<String>) -> Overrides {
        self.profile = Some(name.into());
        self
    }

    /// `--fail-level LEVEL`: the lowest severity that fails the check.
    pub fn fail_level(mut self, level: Severity) -> Overrides {
        self.fail_level = Some(level);
        self
    }

    /// `--select RULE,...`: run only these rules (codes, code prefixes or names).
    pub fn select<S: Into<String>>(mut self, selectors: impl IntoIterator<Item = S>) -> Overrides {
        self.select = Some(selectors.into_iter().map(Into::into).collect());
        self
    }

    /// `--ignore RULE,...`: do not run these rules (codes, code prefixes or names).
    pub fn ignore<S: Into<String>>(mut self, selectors: impl IntoIterator<Item = S>) -> Overrides {
        self.ignore = Some(selectors.into_iter().map(Into::into).collect());
        self
    }
}

/// A rule selector: a code (`IDP001`), a code prefix (`IDP`) or a name (`nested-idp-group`),
/// resolved to the code prefix it stands for.
#[derive(Debug, Clone)]
struct Selector {
    /// As written.
    text: String,
    /// The code prefix it matches: the whole code for a code or a name.
    prefix: String,
}

impl Selector {
    /// Resolve a selector against the registry, or say why it names no rule.
    fn parse(text: &str) -> Result<Selector, (String, Option<String>)> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err((
                "empty rule selector: expected a code, a code prefix or a name".into(),
                None,
            ));
        }
        if let Some(rule) = crate::rules::find(trimmed) {
            return Ok(Selector {
                text: text.to_string(),
                prefix: rule.code.to_string(),
            });
        }
        let upper = trimmed.to_ascii_uppercase();
        if crate::rules::all()
            .iter()
            .any(|r| r.code.starts_with(&upper))
        {
            return Ok(Selector {
                text: text.to_string(),
                prefix: upper,
            });
        }
        let mut known: Vec<&str> = Vec::new();
        for rule in crate::rules::all() {
            known.push(rule.code);
            known.push(rule.name);
            known.push(rule.code.trim_end_matches(|c: char| c.is_ascii_digit()));
        }
        known.dedup();
        let help = match did_you_mean(trimmed, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "`cowork-policy rules` lists every code and name".into(),
        };
        Err((format!("unknown rule `{trimmed}`"), Some(help)))
    }

    /// How specifically this selector matches a code (the length of the prefix), if it does.
    fn specificity(&self, code: &str) -> Option<usize> {
        code.starts_with(&self.prefix).then_some(self.prefix.len())
    }
}

/// One `[severity]` entry.
#[derive(Debug, Clone)]
struct SeverityEntry {
    selector: Selector,
    /// `None` for `off`.
    severity: Option<Severity>,
    source: SettingSource,
}

/// What the config makes of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The rule does not run (not selected, ignored, or `off`).
    Off,
    /// The rule runs, at its own severity.
    Default,
    /// The rule runs, and its findings have this severity.
    Severity(Severity),
}

/// A `[[waiver]]` entry, with the places of its values. Validated by the waiver stage, which
/// reports a bad entry as a finding (WAIVE001) rather than failing the load.
#[derive(Debug, Clone)]
pub(crate) struct ConfigWaiver {
    pub rule: (String, Location),
    pub entity: (String, Location),
    pub file: Option<String>,
    pub reason: Option<(String, Location)>,
    pub until: Option<(String, Location)>,
    pub owner: Option<String>,
    pub ticket: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            file: None,
            profile: None,
            fail_level: Set::default(Severity::Error),
            select: Set::default(Vec::new()),
            ignore: Set::default(Vec::new()),
            severity: Vec::new(),
            include: Set::default(Vec::new()),
            exclude: Set::default(Vec::new()),
            filter: PathFilter::default(),
            seat_headroom_percent: Set::default(SEAT_HEADROOM_PERCENT),
            platform_max_age_days: Set::default(PLATFORM_MAX_AGE_DAYS),
            inline_waivers: Set::default(true),
            non_waivable: Set::default(
                NON_WAIVABLE
                    .iter()
                    .map(|code| Selector {
                        text: (*code).to_string(),
                        prefix: (*code).to_string(),
                    })
                    .collect(),
            ),
            expiring_within_days: Set::default(EXPIRING_WITHIN_DAYS),
            waivers_file: None,
            waivers: Vec::new(),
        }
    }
}

/// A config text being read: its name in locations and its text, to locate byte ranges and
/// collect every error rather than the first.
struct Reader {
    name: String,
    sources: Sources,
    errors: Vec<LoadError>,
}

impl Reader {
    fn new(name: &str, text: &str) -> Reader {
        let mut sources = Sources::default();
        sources.add(name.to_string(), Arc::from(text));
        Reader {
            name: name.to_string(),
            sources,
            errors: Vec::new(),
        }
    }

    fn locate(&self, range: Range<usize>) -> Location {
        self.sources.locate(Span {
            file: FileId(0),
            start: range.start as u32,
            end: range.end as u32,
        })
    }

    fn error(&mut self, range: Range<usize>, message: String, help: Option<String>) {
        let location = self.locate(range);
        self.errors.push(LoadError::Invalid {
            location,
            message,
            help,
        });
    }

    fn source<T>(&self, value: &Sp<T>) -> SettingSource {
        SettingSource::File(self.locate(value.span()))
    }

    /// A TOML error as a load error: the place, and what was expected in the config's words.
    fn toml_error(&mut self, text: &str, error: &toml::de::Error) {
        let range = error.span().unwrap_or(0..0);
        let range = range.start.min(text.len())..range.end.min(text.len());
        let (message, help) = toml_message(error.message());
        self.error(range, message, help);
    }

    fn finish(self, text: &str) -> LoadErrors {
        LoadErrors {
            errors: self.errors,
            sources: vec![(self.name, Arc::from(text))],
        }
    }
}

/// serde's and toml's words for a config error turned into the config's: "unknown key" with a
/// "did you mean", one line, no final period.
fn toml_message(message: &str) -> (String, Option<String>) {
    let one_line = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let one_line = one_line.trim_end_matches('.').to_string();
    let quoted = |text: &str| -> Vec<String> {
        text.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    for (prefix, noun) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        if one_line.starts_with(prefix) {
            let names = quoted(&one_line);
            let Some((found, expected)) = names.split_first() else {
                break;
            };
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            let list = or_list(&expected);
            let help = did_you_mean(found, expected.iter().copied())
                .map(|near| format!("did you mean `{near}`?"));
            let message = if expected.is_empty() {
                format!("unknown {noun} `{found}`")
            } else if noun == "key" {
                format!("unknown key `{found}`: expected {list}")
            } else {
                format!("unknown value `{found}`: expected {list}")
            };
            return (message, help);
        }
    }
    if let Some(field) = one_line.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or(field);
        return (format!("missing key `{field}`"), None);
    }
    let mut chars = one_line.chars();
    let message = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid config".into(),
    };
    (message, None)
}

/// The candidate nearest to a misspelt `word`, or the only one that starts with it (`threshold`
/// for `threshold-percent`).
fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    suggest::did_you_mean(word, candidates.clone()).or_else(|| {
        let lower = word.to_lowercase();
        let mut starting = candidates
            .into_iter()
            .filter(|c| lower.len() >= 3 && c.to_lowercase().starts_with(&lower));
        match (starting.next(), starting.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

/// `` `a`, `b` or `c` ``.
fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [head @ .., last] => format!(
            "{} or `{last}`",
            head.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Config {
    /// Find `cowork-policy.toml` in the folder of `start` (the path to check: a folder or a
    /// file) or the nearest folder above it, and read it. The search stops at the root of the
    /// git checkout (the first folder that holds `.git`), or of the file system. Without a
    /// config file, the default config.
    ///
    /// Locations in the config are shown relative to the checked folder
    /// (`../cowork-policy.toml`), like the policy's own files.
    pub fn discover(start: impl AsRef<Path>) -> Result<Config, LoadErrors> {
        let start = start.as_ref();
        let dir = if start.is_file() {
            start
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        } else {
            start
        };
        let absolute = std::path::absolute(dir).map_err(|e| {
            LoadErrors::one(LoadError::Io {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })
        })?;
        for (depth, folder) in absolute.ancestors().enumerate() {
            let candidate = folder.join(CONFIG_FILE_NAME);
            // Whatever it is (a link, a folder, a device), a config that is there is read or
            // refused, never passed over: the check must not run without it by accident.
            if candidate.symlink_metadata().is_ok() {
                let shown = format!("{}{CONFIG_FILE_NAME}", "../".repeat(depth));
                return Config::read(&candidate, &shown);
            }
            if folder.join(".git").exists() {
                break;
            }
        }
        Ok(Config::default())
    }

    /// Read a config file. Paths in it (`include`, `exclude`, `[waivers] file`) are relative
    /// to its folder.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, LoadErrors> {
        let path = path.as_ref();
        let shown = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Config::read(path, &shown)
    }

    /// Read a config file through the confined reader: a regular file of at most
    /// [`MAX_CONFIG_BYTES`] in its own folder, once links are followed (a link to
    /// `/proc/self/environ` or out of the repository is refused, naming the config only).
    fn read(path: &Path, shown: &str) -> Result<Config, LoadErrors> {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().map_or(path, Path::new);
        let text = confined::read(folder, name, MAX_CONFIG_BYTES).map_err(|refused| {
            LoadErrors::one(LoadError::Io {
                path: shown.to_string(),
                reason: match refused {
                    Refused::Outside => {
                        "a link to a file outside the folder it is in: a config is read from its own folder only".to_string()
                    }
                    refused => refused.reason("its folder"),
                },
            })
        })?;
        let dir = std::path::absolute(folder).ok();
        Config::parse(shown, &text, dir)
    }

    /// Read a config from text. `name` is the file name shown in locations. Relative paths
    /// (`include`, `exclude`) are taken relative to the checked folder; a `[waivers] file` needs a
    /// config read from a file ([`Config::load`]), so here it is an error.
    pub fn from_str(name: &str, text: &str) -> Result<Config, LoadErrors> {
        Config::parse(name, text, None)
    }

    fn parse(name: &str, text: &str, dir: Option<PathBuf>) -> Result<Config, LoadErrors> {
        let mut reader = Reader::new(name, text);
        let raw: RawConfig = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => {
                reader.toml_error(text, &error);
                return Err(reader.finish(text));
            }
        };
        let mut config = Config {
            file: Some(name.to_string()),
            ..Config::default()
        };
        if let Some(profile) = &raw.profile {
            match Profile::named(profile.value()) {
                Some(p) => {
                    config.profile = Some(Set {
                        value: p,
                        source: reader.source(profile),
                    });
                }
                None => {
                    let (message, help) = unknown_profile(profile.value());
                    reader.error(profile.span(), message, help);
                }
            }
        }
        if let Some(level) = &raw.fail_level {
            config.fail_level = Set {
                value: match level.value() {
                    RawLevel::Error => Severity::Error,
                    RawLevel::Warning => Severity::Warning,
                    RawLevel::Info => Severity::Info,
                },
                source: reader.source(level),
            };
        }
        if let Some(list) = &raw.select {
            config.select = Set {
                value: selectors(&mut reader, list),
                source: reader.source(list),
            };
        }
        if let Some(list) = &raw.ignore {
            config.ignore = Set {
                value: selectors(&mut reader, list),
                source: reader.source(list),
            };
        }
        let mut severity: Vec<(&Sp<String>, &Sp<RawSeverity>)> = raw.severity.iter().collect();
        severity.sort_by_key(|(key, _)| key.span().start);
        for (key, level) in severity {
            match Selector::parse(key.value()) {
                Ok(selector) => config.severity.push(SeverityEntry {
                    selector,
                    severity: match level.value() {
                        RawSeverity::Error => Some(Severity::Error),
                        RawSeverity::Warning => Some(Severity::Warning),
                        RawSeverity::Info => Some(Severity::Info),
                        RawSeverity::Off => None,
                    },
                    source: reader.source(level),
                }),
                Err((message, help)) => reader.error(key.span(), message, help),
            }
        }
        let include = raw.include.as_ref().map(|l| patterns(&mut reader, l));
        let exclude = raw.exclude.as_ref().map(|l| patterns(&mut reader, l));
        if let (Some(list), Some((patterns, _))) = (&raw.include, &include) {
            config.include = Set {
                value: patterns.clone(),
                source: reader.source(list),
            };
        }
        if let (Some(list), Some((patterns, _))) = (&raw.exclude, &exclude) {
            config.exclude = Set {
                value: patterns.clone(),
                source: reader.source(list),
            };
        }
        config.filter = PathFilter {
            base: dir.clone(),
            include: include.and_then(|(_, set)| set),
            exclude: exclude.and_then(|(_, set)| set),
        };
        if let Some(rules) = &raw.rules
            && let Some(headroom) = &rules.value().seat_headroom
            && let Some(percent) = &headroom.value().threshold_percent
        {
            match u64::try_from(*percent.value()) {
                Ok(value) if value <= 100 => {
                    config.seat_headroom_percent = Set {
                        value,
                        source: reader.source(percent),
                    };
                }
                _ => reader.error(
                    percent.span(),
                    format!(
                        "`threshold-percent` is {}: expected a percentage from 0 to 100",
                        percent.value()
                    ),
                    None,
                ),
            }
        }
        if let Some(rules) = &raw.rules
            && let Some(stale) = &rules.value().stale_platform_facts
            && let Some(days) = &stale.value().max_age_days
        {
            match u32::try_from(*days.value()) {
                Ok(value) => {
                    config.platform_max_age_days = Set {
                        value,
                        source: reader.source(days),
                    };
                }
                Err(_) => reader.error(
                    days.span(),
                    format!(
                        "`max-age-days` is {}: expected a whole number of days, 0 or more",
                        days.value()
                    ),
                    None,
                ),
            }
        }
        if let Some(waivers) = &raw.waivers {
            let w = waivers.value();
            if let Some(inline) = &w.inline {
                config.inline_waivers = Set {
                    value: *inline.value(),
                    source: reader.source(inline),
                };
            }
            if let Some(list) = &w.non_waivable {
                config.non_waivable = Set {
                    value: selectors(&mut reader, list),
                    source: reader.source(list),
                };
            }
            if let Some(days) = &w.expiring_within_days {
                match u32::try_from(*days.value()) {
                    Ok(value) => {
                        config.expiring_within_days = Set {
                            value,
                            source: reader.source(days),
                        };
                    }
                    Err(_) => reader.error(
                        days.span(),
                        format!(
                            "`expiring-within-days` is {}: expected a number of days, 0 or more",
                            days.value()
                        ),
                        None,
                    ),
                }
            }
            if let Some(file) = &w.file {
                config.waivers_file = Some(Set {
                    value: file.value().clone(),
                    source: reader.source(file),
                });
            }
        }
        config.waivers = raw.waiver.iter().map(|w| waiver(&reader, w)).collect();
        let waivers_file = raw.waivers.as_ref().and_then(|w| w.value().file.as_ref());
        if !reader.errors.is_empty() {
            return Err(reader.finish(text));
        }
        if let Some(file) = waivers_file {
            let Some(dir) = &dir else {
                reader.error(
                    file.span(),
                    "`[waivers] file` needs a config read from a file".into(),
                    Some("move the entries into this config as `[[waiver]]` tables".into()),
                );
                return Err(reader.finish(text));
            };
            let waivers = match confined::read(dir, Path::new(file.value()), MAX_CONFIG_BYTES) {
                Ok(waivers) => waivers,
                Err(refused) => {
                    let help = match refused {
                        Refused::Outside | Refused::NotRegular => Some(
                            "name a file in the folder of this config, or in a folder under it"
                                .to_string(),
                        ),
                        _ => None,
                    };
                    reader.error(
                        file.span(),
                        format!(
                            "`[waivers] file` names `{}`, {}",
                            file.value(),
                            refused.reason("the folder of this config")
                        ),
                        help,
                    );
                    return Err(reader.finish(text));
                }
            };
            config
                .waivers
                .extend(read_waiver_file(name, file.value(), &waivers)?);
        }
        Ok(config)
    }

    /// Apply command-line flags: each replaces the file's value for its key. A flag that names
    /// no rule or profile is an error that names the flag.
    pub fn with_overrides(mut self, overrides: &Overrides) -> Result<Config, LoadErrors> {
        let mut errors = Vec::new();
        if let Some(name) = &overrides.profile {
            match Profile::named(name) {
                Some(profile) => {
                    self.profile = Some(Set {
                        value: profile,
                        source: SettingSource::Flag("--profile".into()),
                    });
                }
                None => {
                    let (message, help) = unknown_profile(name);
                    errors.push(LoadError::Flag {
                        flag: "--profile".into(),
                        message,
                        help,
                    });
                }
            }
        }
        if let Some(level) = overrides.fail_level {
            self.fail_level = Set {
                value: level,
                source: SettingSource::Flag("--fail-level".into()),
            };
        }
        for (flag, list, slot) in [
            ("--select", &overrides.select, &mut self.select),
            ("--ignore", &overrides.ignore, &mut self.ignore),
        ] {
            let Some(list) = list else { continue };
            let mut value = Vec::new();
            for text in list {
                match Selector::parse(text) {
                    Ok(selector) => value.push(selector),
                    Err((message, help)) => errors.push(LoadError::Flag {
                        flag: flag.into(),
                        message,
                        help,
                    }),
                }
            }
            *slot = Set {
                value,
                source: SettingSource::Flag(flag.into()),
            };
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(LoadErrors {
                errors,
                sources: Vec::new(),
            })
        }
    }

    /// The same config, for a copy of the policy tree that lives elsewhere, such as the policy
    /// as of a git revision written to a temporary folder: `include` and `exclude`, relative to
    /// the config's folder under `from`, apply to the same paths under `to`. A config whose
    /// folder is not `from` or under it is returned unchanged (its patterns are then relative
    /// to the checked folder, wherever it is).
    pub fn relocated(mut self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Config {
        let (Ok(from), Ok(to)) = (
            std::path::absolute(from.as_ref()),
            std::path::absolute(to.as_ref()),
        ) else {
            return self;
        };
        if let Some(base) = &self.filter.base
            && let Ok(inside) = base.strip_prefix(&from)
        {
            self.filter.base = Some(to.join(inside));
        }
        self
    }

    /// The config file this config was read from, as shown in locations; `None` for the
    /// default config.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The lowest severity that fails a check: [`crate::Report::fails_at`] this level.
    pub fn fail_level(&self) -> Severity {
        self.fail_level.value
    }

    /// The severity the config gives a rule's findings, or `None` when the rule does not run
    /// (not selected, ignored, or `off`). Rules that report some findings milder or worse than
    /// their default keep doing so unless the config sets a severity.
    pub fn rule_severity(&self, rule: &Rule) -> Option<Severity> {
        match self.verdict(rule) {
            Verdict::Off => None,
            Verdict::Default => Some(rule.severity),
            Verdict::Severity(severity) => Some(severity),
        }
    }

    /// Every effective setting, with where its value came from, in the order of
    /// `docs/config.md`.
    pub fn settings(&self) -> Vec<Setting> {
        let mut out = Vec::new();
        let mut push = |key: &str, value: String, source: &SettingSource| {
            out.push(Setting {
                key: key.to_string(),
                value,
                source: source.clone(),
            });
        };
        match &self.profile {
            Some(p) => push("profile", quote(p.value.name()), &p.source),
            None => push("profile", "none".into(), &SettingSource::Default),
        }
        push(
            "fail-level",
            quote(self.fail_level.value.as_str()),
            &self.fail_level.source,
        );
        let texts = |s: &[Selector]| list(s.iter().map(|s| s.text.as_str()));
        push("select", texts(&self.select.value), &self.select.source);
        push("ignore", texts(&self.ignore.value), &self.ignore.source);
        push(
            "include",
            list(self.include.value.iter().map(String::as_str)),
            &self.include.source,
        );
        push(
            "exclude",
            list(self.exclude.value.iter().map(String::as_str)),
            &self.exclude.source,
        );
        for entry in &self.severity {
            push(
                &format!("severity.{}", toml_key(&entry.selector.text)),
                quote(entry.severity.map_or("off", Severity::as_str)),
                &entry.source,
            );
        }
        push(
            "rules.seat-headroom.threshold-percent",
            self.seat_headroom_percent.value.to_string(),
            &self.seat_headroom_percent.source,
        );
        push(
            "rules.stale-platform-facts.max-age-days",
            self.platform_max_age_days.value.to_string(),
            &self.platform_max_age_days.source,
        );
        push(
            "waivers.inline",
            self.inline_waivers.value.to_string(),
            &self.inline_waivers.source,
        );
        push(
            "waivers.non-waivable",
            texts(&self.non_waivable.value),
            &self.non_waivable.source,
        );
        push(
            "waivers.expiring-within-days",
            self.expiring_within_days.value.to_string(),
            &self.expiring_within_days.source,
        );
        if let Some(file) = &self.waivers_file {
            push("waivers.file", quote(&file.value), &file.source);
        }
        for waiver in &self.waivers {
            let mut fields = vec![
                format!("rule = {}", quote(&waiver.rule.0)),
                format!("entity = {}", quote(&waiver.entity.0)),
            ];
            if let Some(file) = &waiver.file {
                fields.push(format!("file = {}", quote(file)));
            }
            if let Some((reason, _)) = &waiver.reason {
                fields.push(format!("reason = {}", quote(reason)));
            }
            if let Some((until, _)) = &waiver.until {
                fields.push(format!("until = {}", quote(until)));
            }
            if let Some(owner) = &waiver.owner {
                fields.push(format!("owner = {}", quote(owner)));
            }
            if let Some(ticket) = &waiver.ticket {
                fields.push(format!("ticket = {}", quote(ticket)));
            }
            push(
                "waiver",
                format!("{{ {} }}", fields.join(", ")),
                &SettingSource::File(waiver.rule.1.clone()),
            );
        }
        out
    }

    /// The JSON Schema (draft-07) of `cowork-policy.toml`, pretty-printed. Editors with TOML
    /// support (Taplo, Even Better TOML) use it; `docs/config.schema.json` is this text.
    pub fn schema() -> String {
        let generator = SchemaSettings::draft07().into_generator();
        let mut value = serde_json::Value::from(generator.into_root_schema_for::<RawConfig>());
        without_null(&mut value);
        if let Some(object) = value.as_object_mut() {
            let id = crate::schema::published_url("config.schema.json");
            object.insert("$id".into(), id.into());
        }
        // Back into a schema, which prints its keywords in the conventional order.
        let schema = schemars::Schema::try_from(value).unwrap_or_default();
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The profile the config chooses, if any.
    pub(crate) fn profile(&self) -> Option<&Profile> {
        self.profile.as_ref().map(|p| &p.value)
    }

    /// What the config makes of a rule: `select` and `ignore` (the most specific selector
    /// decides, `ignore` on a tie), then `[severity]` (the most specific key, the later on a tie).
    pub(crate) fn verdict(&self, rule: &Rule) -> Verdict {
        let best = |selectors: &[Selector]| {
            selectors
                .iter()
                .filter_map(|s| s.specificity(rule.code))
                .max()
        };
        let selected = if self.select.value.is_empty() {
            Some(0)
        } else {
            best(&self.select.value)
        };
        match (selected, best(&self.ignore.value)) {
            (None, _) => return Verdict::Off,
            (Some(s), Some(i)) if i >= s => return Verdict::Off,
            _ => {}
        }
        let mut chosen: Option<(usize, Option<Severity>)> = None;
        for entry in &self.severity {
            if let Some(specificity) = entry.selector.specificity(rule.code)
                && chosen.is_none_or(|(best, _)| specificity >= best)
            {
                chosen = Some((specificity, entry.severity));
            }
        }
        match chosen {
            None => Verdict::Default,
            Some((_, None)) => Verdict::Off,
            Some((_, Some(severity))) => Verdict::Severity(severity),
        }
    }

    /// The options rules read.
    pub(crate) fn rule_options(&self) -> RuleOptions {
        RuleOptions {
            seat_headroom_percent: self.seat_headroom_percent.value,
            platform_max_age_days: self.platform_max_age_days.value,
        }
    }

    /// Which files to read.
    pub(crate) fn filter(&self) -> &PathFilter {
        &self.filter
    }

    /// Whether inline waivers may waive.
    pub(crate) fn inline_waivers(&self) -> bool {
        self.inline_waivers.value
    }

    /// Whether no waiver may accept findings of this rule.
    pub(crate) fn non_waivable(&self, code: &str) -> bool {
        self.non_waivable
            .value
            .iter()
            .any(|s| s.specificity(code).is_some())
    }

    /// WAIVE003's window, in days.
    pub(crate) fn expiring_within_days(&self) -> u32 {
        self.expiring_within_days.value
    }

    /// The `[[waiver]]` entries, of the config and its waivers file.
    pub(crate) fn waivers(&self) -> &[ConfigWaiver] {
        &self.waivers
    }
}

/// TOML has no null: an absent key is how a value is left out. Drop the `null` that the schema
/// generator allows for every optional key.
fn without_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(options)) = map.get_mut("anyOf") {
                options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
                if let [only] = options.as_slice() {
                    let only = only.clone();
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (key, value) in inner {
                            map.entry(key).or_insert(value);
                        }
                    }
                }
            }
            map.values_mut().for_each(without_null);
        }
        Value::Array(items) => items.iter_mut().for_each(without_null),
        _ => {}
    }
}

fn unknown_profile(name: &str) -> (String, Option<String>) {
    let names: Vec<&'static str> = Profile::all().iter().map(Profile::name).collect();
    let help = match did_you_mean(name, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("expected {}", or_list(&names)),
    };
    (format!("unknown platform profile `{name}`"), Some(help))
}

/// Resolve a list of selectors, reporting each that names no rule.
fn selectors(reader: &mut Reader, list: &Sp<Vec<Sp<String>>>) -> Vec<Selector> {
    let mut out = Vec::new();
    for item in list.value() {
        match Selector::parse(item.value()) {
            Ok(selector) => out.push(selector),
            Err((message, help)) => reader.error(item.span(), message, help),
        }
    }
    out
}

/// Compile a list of glob patterns, reporting each that does not parse. Returns the patterns
/// as written and the compiled set (`None` when the list is empty).
fn patterns(reader: &mut Reader, list: &Sp<Vec<Sp<String>>>) -> (Vec<String>, Option<GlobSet>) {
    let mut builder = GlobSetBuilder::new();
    let mut written = Vec::new();
    for item in list.value() {
        let text = item.value();
        // `./x` and `/x` both mean `x` under the config's folder; `x/` means the folder `x`.
        let pattern = text.trim_start_matches("./").trim_start_matches('/');
        let pattern = pattern.trim_end_matches('/');
        if pattern.is_empty() {
            reader.error(
                item.span(),
                format!("empty path pattern `{text}`"),
                Some("write a glob such as `drafts/**`".into()),
            );
            continue;
        }
        match GlobBuilder::new(pattern).literal_separator(true).build() {
            Ok(glob) => {
                builder.add(glob);
                written.push(text.clone());
            }
            Err(error) => reader.error(
                item.span(),
                format!("invalid path pattern `{text}`: {}", error.kind()),
                None,
            ),
        }
    }
    if written.is_empty() {
        return (written, None);
    }
    match builder.build() {
        Ok(set) => (written, Some(set)),
        Err(error) => {
            reader.error(
                list.span(),
                format!("invalid path patterns: {}", error.kind()),
                None,
            );
            (written, None)
        }
    }
}

fn waiver(reader: &Reader, raw: &Sp<RawWaiver>) -> ConfigWaiver {
    let w = raw.value();
    let located = |value: &Sp<String>| (value.value().clone(), reader.locate(value.span()));
    ConfigWaiver {
        rule: located(&w.rule),
        entity: located(&w.entity),
        file: w.file.as_ref().map(|f| f.value().clone()),
        reason: w.reason.as_ref().map(located),
        until: w
            .until
            .as_ref()
            .map(|u| (u.value().0.clone(), reader.locate(u.span()))),
        owner: w.owner.as_ref().map(|o| o.value().clone()),
        ticket: w.ticket.as_ref().map(|t| t.value().clone()),
    }
}

/// The `[[waiver]]` entries of a waivers file named by `[waivers] file`, from its text.
fn read_waiver_file(
    config_name: &str,
    file: &str,
    text: &str,
) -> Result<Vec<ConfigWaiver>, LoadErrors> {
    let folder = config_name
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    let shown = if folder.is_empty() {
        file.to_string()
    } else {
        format!("{folder}/{file}")
    };
    let mut reader = Reader::new(&shown, text);
    match toml::from_str::<RawWaiverFile>(text) {
        Ok(raw) => Ok(raw.waiver.iter().map(|w| waiver(&reader, w)).collect()),
        Err(error) => {
            reader.toml_error(text, &error);
            Err(reader.finish(text))
        }
    }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A TOML array of strings.
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    format!("[{}]", items.map(quote).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::toml_message;

    #[test]
    fn words_serde_errors_in_the_configs_terms() {
        let (message, help) = toml_message(
            "unknown field `fail-levl`, expected one of `profile`, `fail-level`, `select`",
        );
        assert_eq!(
            message,
            "unknown key `fail-levl`: expected `profile`, `fail-level` or `select`"
        );
        assert_eq!(help.as_deref(), Some("did you mean `fail-level`?"));
        let (message, help) =
            toml_message("unknown variant `errors`, expected one of `error`, `warning`, `info`\n");
        assert_eq!(
            message,
            "unknown value `errors`: expected `error`, `warning` or `info`"
        );
        assert_eq!(help.as_deref(), Some("did you mean `error`?"));
        let (message, _) = toml_message("Invalid type: string \"x\", expected a boolean.");
        assert_eq!(message, "invalid type: string \"x\", expected a boolean");
    }
}
