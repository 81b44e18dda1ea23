use crate::diagnostic::list_names;
use crate::rules::Context;
use crate::rules::Draft;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it flags
    ///
    /// A reference to something the policy does not define: a group's org or nested group, a
    /// role's or spend limit's group, an org's identity provider or parent, a step's
    /// prerequisite; a group with no `org:` when the policy has several orgs; a step name that is
    /// neither built in nor declared as a custom step with `after:`. It suggests the nearest
    /// name.
    ///
    /// ## Why it matters
    ///
    /// Entities reference each other by name, and a misspelt name is silently nothing: the role
    /// lands on no group, the limit caps no one, the step orders nothing. The rollout guide
    /// builds every later step on earlier ones ("RBAC, connectors, and deployment all reference
    /// the groups you create here").
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [chat]
    ///     groups: [engineerng]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: engineering
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [chat]
    ///     groups: [engineering]
    /// ```
    pub(crate) static RULE = {
        code: "IDP003",
        name: "unknown-reference",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for unresolved in &cx.policy.unresolved {
        let noun = unresolved.kind.noun();
        let name = &unresolved.name.value;
        let message = unresolved
            .message
            .clone()
            .unwrap_or_else(|| format!("{} refers to unknown {noun} `{name}`", unresolved.from));
        let candidates = unresolved.candidates.iter().map(String::as_str);
        let help = match (&unresolved.help, did_you_mean(name, candidates)) {
            (Some(help), _) => help.clone(),
            (None, Some(near)) => format!("did you mean `{near}`?"),
            (None, None) if unresolved.candidates.is_empty() => {
                format!("define the {noun}, or remove the reference")
            }
            (None, None) => format!("known {noun}s: {}", list_names(&unresolved.candidates, 5)),
        };
        out.push(
            Draft::new(&RULE, unresolved.name.span, message)
                .label(if unresolved.message.is_some() {
                    format!("no {noun} resolved")
                } else {
                    format!("no {noun} by this name")
                })
                .help(help),
        );
    }
}
