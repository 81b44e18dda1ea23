//! The waiver stage of [`crate::check_with`]: after every rule has run and the config has chosen
//! the rules and their severities, waivers accept findings, and the waivers themselves are
//! judged (rules WAIVE001 to WAIVE003, which have no check function of their own).
//!
//! A waiver accepts the findings of one rule: on one entity (a `[[waiver]]` entry in the config),
//! or on one line (a `# cowork-policy: allow` comment, at the end of the line or alone on the
//! line above). Governance, in order:
//!
//! - a waiver that cannot be applied (no reason, a malformed date, an unknown or non-waivable
//!   rule, an inline comment the config forbids, a comment that cannot be read) waives nothing
//!   and is an error (WAIVE001): it fails closed;
//! - a waiver past its `until` date waives nothing, and the finding says its waiver expired;
//! - a waiver that matches no finding is stale (WAIVE002);
//! - a waiver in use that expires within the config's window gets an info (WAIVE003).
//!
//! Findings of the waiver rules are never waivable themselves.

use std::collections::HashMap;
use std::ops::Range;

use crate::config::{Config, Verdict};
use crate::diagnostic::{Finding, Related, Waived, Waiver};
use crate::model::Location;
use crate::model::{Date, InlineWaiver, Policy};
use crate::rules::waivers::{invalid_waiver, stale_waiver, waiver_expiring};
use crate::rules::{Area, Rule};
use crate::suggest::did_you_mean;

/// The syntax of an inline waiver, for the help of a malformed one.
const INLINE_SYNTAX: &str = "write `# cowork-policy: allow CODE reason=\"...\"`, optionally followed by `until=YYYY-MM-DD`, `owner=...` and `ticket=...`";

/// Apply the waivers to `findings`: the findings that still count (with the waiver rules'
/// own findings added) and those a waiver accepts. Neither list is sorted.
pub(crate) fn apply(
    policy: &Policy,
    config: &Config,
    today: Date,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Waived>) {
    let mut stage = Stage {
        config,
        verdicts: HashMap::new(),
        out: Vec::new(),
    };
    let mut candidates = Vec::new();
    for waiver in &policy.waivers {
        stage.inline(policy, waiver, &mut candidates);
    }
    for waiver in config.waivers() {
        stage.configured(waiver, &mut candidates);
    }
    for candidate in &mut candidates {
        if let State::Valid = candidate.state
            && let Some(until) = candidate.until
            && until < today
        {
            candidate.state = State::Expired(until);
        }
    }

    let mut active = Vec::with_capacity(findings.len());
    let mut waived = Vec::new();
    for mut finding in findings {
        let mut accepted = None;
        let mut notes = Vec::new();
        for (i, candidate) in candidates.iter_mut().enumerate() {
            if !candidate.matches(&finding) {
                continue;
            }
            match &candidate.state {
                State::Valid => {
                    candidate.matched += 1;
                    accepted.get_or_insert(i);
                }
                State::Expired(until) => {
                    candidate.matched += 1;
                    notes.push(Related {
                        location: candidate
                            .waiver
                            .location
                            .clone()
                            .unwrap_or_else(|| candidate.at.clone()),
                        label: format!("waiver expired on {until}"),
                    });
                }
                State::Refused(why) => notes.push(Related {
                    location: candidate.at.clone(),
                    label: format!("waiver not applied: {why}"),
                }),
            }
        }
        match accepted {
            Some(i) => waived.push(Waived {
                finding,
                waiver: candidates[i].waiver.clone(),
            }),
            None => {
                finding.related.extend(notes);
                active.push(finding);
            }
        }
    }

    for candidate in &candidates {
        let waives = matches!(candidate.state, State::Valid | State::Expired(_));
        let what = candidate.what();
        if waives && candidate.matched == 0 {
            let off = config.verdict(candidate.rule) == Verdict::Off;
            let (message, help) = if off {
                (
                    format!(
                        "{what} matches no finding: the config turns `{}` off",
                        candidate.rule.code
                    ),
                    "remove the waiver, or turn the rule back on",
                )
            } else {
                (
                    format!("{what} matches no finding"),
                    "remove the waiver: the finding it accepted is gone",
                )
            };
            stage.emit(
                &stale_waiver::RULE,
                candidate.at.clone(),
                &candidate.entity,
                message,
                "nothing to waive",
                Some(help.into()),
            );
        }
        if let (State::Valid, Some(until)) = (&candidate.state, candidate.until)
            && candidate.matched > 0
        {
            let days = today.days_until(until);
            if days <= i64::from(config.expiring_within_days()) {
                let when = match days {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                };
                stage.emit(
                    &waiver_expiring::RULE,
                    candidate.until_at.clone().unwrap_or_else(|| candidate.at.clone()),
                    &candidate.entity,
                    format!("{what} expires {when}, on {until}"),
                    "expires soon",
                    Some(
                        "fix the finding, or renew the waiver with a later `until`: after that day the finding fails the check again"
                            .into(),
                    ),
                );
            }
        }
    }
    active.extend(stage.out);
    (active, waived)
}

/// A waiver of one rule, ready to match findings.
struct Candidate {
    rule: &'static Rule,
    target: Target,
    state: State,
    /// The parsed `until` date, when there is a valid one.
    until: Option<Date>,
    /// Where the `until` date is written.
    until_at: Option<Location>,
    /// The public record of the waiver, for [`Waived`].
    waiver: Waiver,
    /// Where findings about this waiver point: the code in the comment, or the entry's `rule`.
    at: Location,
    /// The entity the waiver's own findings are about.
    entity: String,
    /// How many findings it matched.
    matched: usize,
    /// `for `group/engineering`` for a config waiver, empty for an inline one.
    scope: String,
}

impl Candidate {
    fn matches(&self, finding: &Finding) -> bool {
        if finding.code != self.rule.code {
            return false;
        }
        match &self.target {
            Target::Entity { key, file } => {
                finding.entity == *key && file.as_ref().is_none_or(|f| *f == finding.location.file)
            }
            Target::Line {
                file,
                bytes,
                entities,
            } => {
                finding.location.file == *file
                    && (bytes.contains(&finding.location.bytes.start)
                        || entities.contains(&finding.entity))
            }
        }
    }

    /// `waiver of `IDP001`` and, for a config waiver, `for `group/engineering``.
    fn what(&self) -> String {
        format!("waiver of `{}`{}", self.rule.code, self.scope)
    }
}

/// What a waiver applies to.
enum Target {
    /// A `[[waiver]]` entry: an entity, optionally in one file.
    Entity { key: String, file: Option<String> },
    /// An inline comment: a line (byte range) of a file, and the entities whose definition
    /// starts on it.
    Line {
        file: String,
        bytes: Range<usize>,
        entities: Vec<String>,
    },
}

/// Whether a waiver waives.
enum State {
    Valid,
    /// Past its `until` date: matches, but does not waive.
    Expired(Date),
    /// Cannot be applied (a WAIVE001 says why): the short reason for the finding's note.
    Refused(String),
}

/// What the stage collects: the waiver rules' findings, at the config's severities.
struct Stage<'a> {
    config: &'a Config,
    verdicts: HashMap<&'static str, Verdict>,
    out: Vec<Finding>,
}

impl Stage<'_> {
    /// Report a finding of a waiver rule, unless the config turns the rule off.
    fn emit(
        &mut self,
        rule: &'static Rule,
        location: Location,
        entity: &str,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        let config = self.config;
        let verdict = *self
            .verdicts
            .entry(rule.code)
            .or_insert_with(|| config.verdict(rule));
        let severity = match verdict {
            Verdict::Off => return,
            Verdict::Default => rule.severity,
            Verdict::Severity(severity) => severity,
        };
        self.out.push(Finding {
            code: rule.code,
            name: rule.name,
            severity,
            message,
            location,
            label: label.to_string(),
            related: Vec::new(),
            help,
            entity: entity.to_string(),
        });
    }

    fn invalid(&mut self, location: Location, entity: &str, message: String, help: String) {
        self.emit(
            &invalid_waiver::RULE,
            location,
            entity,
            message,
            "waiver not applied",
            Some(help),
        );
    }

    /// Resolve a rule named by a waiver, reporting a code that is unknown or not waivable by
    /// nature. `None` when the waiver can accept nothing of it.
    fn rule(
        &mut self,
        written: &str,
        at: &Location,
        entity: &str,
        how_to_fix: &str,
    ) -> Option<&'static Rule> {
        let Some(rule) = crate::rules::find(written) else {
            let known = crate::rules::all().iter().flat_map(|r| [r.code, r.name]);
            let help = match did_you_mean(written, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("`cowork-policy rules` lists every rule; {how_to_fix}"),
            };
            self.invalid(
                at.clone(),
                entity,
                format!("waiver names unknown rule `{written}`"),
                help,
            );
            return None;
        };
        if rule.area == Area::Waivers {
            self.invalid(
                at.clone(),
                entity,
                format!(
                    "waiver of `{}` refused: findings about waivers cannot be waived",
                    rule.code
                ),
                "fix or remove the waiver the finding is about".into(),
            );
            return None;
        }
        Some(rule)
    }

    /// Read an inline waiver into one candidate per code.
    fn inline(&mut self, policy: &Policy, waiver: &InlineWaiver, out: &mut Vec<Candidate>) {
        let sources = &policy.sources;
        let location = sources.locate(waiver.span);
        let entity = policy.entity_key(waiver.span);
        if let Some(malformed) = &waiver.malformed {
            self.invalid(
                sources.locate(malformed.span),
                &entity,
                malformed.value.clone(),
                INLINE_SYNTAX.into(),
            );
            return;
        }
        let codes = waiver
            .codes
            .iter()
            .map(|c| format!("`{}`", c.value))
            .collect::<Vec<_>>()
            .join(", ");
        let mut refused: Option<String> = None;
        if !self.config.inline_waivers() {
            self.invalid(
                location.clone(),
                &entity,
                format!("inline waiver of {codes} refused: the config forbids inline waivers"),
                "move it to a `[[waiver]]` entry of the config, or set `[waivers] inline = true`"
                    .into(),
            );
            refused = Some("the config forbids inline waivers".into());
        }
        let reason = waiver
            .reason
            .as_ref()
            .map(|r| r.value.trim().to_string())
            .filter(|r| !r.is_empty());
        if refused.is_none() && reason.is_none() {
            let at = waiver.reason.as_ref().map_or(waiver.span, |r| r.span);
            self.invalid(
                sources.locate(at),
                &entity,
                format!("waiver of {codes} has no reason"),
                "add `reason=\"...\"`: a waiver says why the finding is accepted".into(),
            );
            refused = Some("it has no reason".into());
        }
        let until_at = waiver.until.as_ref().map(|u| sources.locate(u.span));
        let until = match &waiver.until {
            Some(text) => match Date::parse(&text.value) {
                Some(date) => Some(date),
                None => {
                    if refused.is_none() {
                        self.invalid(
                            sources.locate(text.span),
                            &entity,
                            format!(
                                "waiver of {codes} has a malformed `until` date `{}`",
                                text.value
                            ),
                            "write the last day the waiver holds as `YYYY-MM-DD`; until then the finding stays active".into(),
                        );
                        refused = Some(format!("its `until` date `{}` is malformed", text.value));
                    }
                    None
                }
            },
            None => None,
        };
        let file = location.file.clone();
        let target = sources.locate(waiver.target).bytes;
        let entities: Vec<String> = policy
            .entities
            .iter()
            .filter(|e| {
                e.span.file == waiver.target.file && target.contains(&(e.span.start as usize))
            })
            .map(|e| e.key.clone())
            .collect();
        for code in &waiver.codes {
            let at = sources.locate(code.span);
            let how_to_fix = "name the rule by its code or name";
            let Some(rule) = self.rule(&code.value, &at, &entity, how_to_fix) else {
                continue;
            };
            let mut state = refused.clone().map_or(State::Valid, State::Refused);
            if matches!(state, State::Valid) && self.config.non_waivable(rule.code) {
                self.not_waivable(rule, &at, &entity);
                state = State::Refused(format!("`{}` is not waivable", rule.code));
            }
            out.push(Candidate {
                rule,
                target: Target::Line {
                    file: file.clone(),
                    bytes: target.clone(),
                    entities: entities.clone(),
                },
                state,
                until,
                until_at: until_at.clone(),
                waiver: Waiver {
                    reason: reason.clone().unwrap_or_default(),
                    until: waiver.until.as_ref().map(|u| u.value.clone()),
                    owner: waiver.owner.as_ref().map(|o| o.value.clone()),
                    ticket: waiver.ticket.as_ref().map(|t| t.value.clone()),
                    location: Some(location.clone()),
                    inline: true,
                },
                at,
                entity: entity.clone(),
                matched: 0,
                scope: String::new(),
            });
        }
    }

    fn not_waivable(&mut self, rule: &Rule, at: &Location, entity: &str) {
        self.invalid(
            at.clone(),
            entity,
            format!("waiver of `{}` refused: the rule is not waivable", rule.code),
            "fix the finding instead; the config's `[waivers] non-waivable` lists the rules no waiver may accept".into(),
        );
    }

    /// Read a `[[waiver]]` entry into a candidate.
    fn configured(&mut self, waiver: &crate::config::ConfigWaiver, out: &mut Vec<Candidate>) {
        let (written, at) = &waiver.rule;
        let how_to_fix = "set `rule` to a code or a name";
        let Some(rule) = self.rule(written, at, "", how_to_fix) else {
            return;
        };
        let key = waiver.entity.0.trim().to_string();
        let scope = format!(" for `{key}`");
        let what = format!("waiver of `{}`{scope}", rule.code);
        let mut refused: Option<String> = None;
        if key.is_empty() {
            self.invalid(
                waiver.entity.1.clone(),
                "",
                format!("waiver of `{}` names no entity", rule.code),
                "set `entity` to the finding's entity, such as `group/engineering`".into(),
            );
            refused = Some("it names no entity".into());
        }
        let reason = waiver
            .reason
            .as_ref()
            .map(|(r, _)| r.trim().to_string())
            .filter(|r| !r.is_empty());
        if refused.is_none() && reason.is_none() {
            let location = waiver.reason.as_ref().map_or(at, |(_, l)| l);
            self.invalid(
                location.clone(),
                "",
                format!("{what} has no reason"),
                "add `reason = \"...\"`: a waiver says why the finding is accepted".into(),
            );
            refused = Some("it has no reason".into());
        }
        let until = match &waiver.until {
            Some((text, location)) => match Date::parse(text) {
                Some(date) => Some(date),
                None => {
                    if refused.is_none() {
                        self.invalid(
                            location.clone(),
                            "",
                            format!("{what} has a malformed `until` date `{text}`"),
                            "write the last day the waiver holds as `YYYY-MM-DD`; until then the finding stays active".into(),
                        );
                        refused = Some(format!("its `until` date `{text}` is malformed"));
                    }
                    None
                }
            },
            None => None,
        };
        let mut state = refused.map_or(State::Valid, State::Refused);
        if matches!(state, State::Valid) && self.config.non_waivable(rule.code) {
            self.not_waivable(rule, at, "");
            state = State::Refused(format!("`{}` is not waivable", rule.code));
        }
        out.push(Candidate {
            rule,
            target: Target::Entity {
                key,
                file: waiver.file.clone(),
            },
            state,
            until,
            until_at: waiver.until.as_ref().map(|(_, l)| l.clone()),
            waiver: Waiver {
                reason: reason.unwrap_or_default(),
                until: waiver.until.as_ref().map(|(u, _)| u.clone()),
                owner: waiver.owner.clone(),
                ticket: waiver.ticket.clone(),
                location: Some(at.clone()),
                inline: false,
            },
            at: at.clone(),
            entity: String::new(),
            matched: 0,
            scope,
        });
    }
}
