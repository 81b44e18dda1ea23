//! The finding a rule builds: spans, not yet locations; `check` turns it into a [`Finding`](crate::diagnostic::Finding).

use crate::diagnostic::Severity;
use crate::model::Span;
use crate::rules::Rule;

/// A finding as a rule builds it: spans, not yet locations.
#[derive(Debug)]
pub(crate) struct Draft {
    pub rule: &'static Rule,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub related: Vec<(Span, String)>,
    pub help: Option<String>,
    /// Set when this finding is milder or worse than the rule's default.
    pub severity: Option<Severity>,
}

impl Draft {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Draft {
        Draft {
            rule,
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
            severity: None,
        }
    }

    /// Report this finding at another severity than the rule's default (TEAM003 reports too
    /// many champions as info, too few as a warning).
    pub fn severity(mut self, severity: Severity) -> Draft {
        self.severity = Some(severity);
        self
    }

    /// The label under the primary span.
    pub fn label(mut self, label: impl Into<String>) -> Draft {
        self.label = label.into();
        self
    }

    /// Add a related location.
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Draft {
        self.related.push((span, label.into()));
        self
    }

    /// Set the help line.
    pub fn help(mut self, help: impl Into<String>) -> Draft {
        self.help = Some(help.into());
        self
    }
}
