use crate::diagnostic::plural;
use crate::model::{Secret, Span};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A secret written inline in the policy instead of a reference to where it is kept: an
    /// identity provider's `scimToken` or `clientSecret`, a connector's `clientSecret`, an OTEL
    /// header whose name says it carries a credential (`Authorization`, `X-API-Key`, anything
    /// with `token`, `secret`, `password`, ...), or credentials inside the OTEL endpoint URL
    /// (`https://user:password@host`). A value is a reference only in the documented forms:
    /// `secret:<path>`, or `${NAME}` (after a scheme word such as `Bearer `, or several joined
    /// by `:`). Anything else is inline: `secret: sk-...`, `${}`, text beside a reference.
    ///
    /// The finding names the field and the secret's length, never its content, and every
    /// output masks the value in the lines it shows.
    ///
    /// ## Why it matters
    ///
    /// A policy repo is read by everyone who reviews a change to it, cloned onto laptops and CI
    /// runners, and kept in history forever: a SCIM token committed there can provision and
    /// deprovision the whole organisation, and a client secret lets anyone act as the
    /// connector. Keep the secret in the environment or a secret store, and write where it is.
    /// A secret that was committed is exposed: rotate it, as removing it from the file leaves
    /// it in history.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// connectors:
    ///   - name: slack
    ///     clientSecret: not-a-real-secret-7c1e
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// connectors:
    ///   - name: slack
    ///     clientSecret: ${SLACK_CLIENT_SECRET}
    /// ```
    pub(crate) static RULE = {
        code: "SEC005",
        name: "plaintext-secret",
        area: Security,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for idp in &policy.idps {
        let name = &idp.name.value;
        for (secret, field, suffix) in [
            (idp.scim_token, "SCIM token (`scimToken`)", "SCIM_TOKEN"),
            (
                idp.client_secret,
                "client secret (`clientSecret`)",
                "CLIENT_SECRET",
            ),
        ] {
            if let Some(s) = secret
                && let Secret::Plaintext { chars } = s.value
            {
                out.push(inline(
                    s.span,
                    chars,
                    format!("the {field} of identity provider `{name}`"),
                    variable(name, suffix),
                ));
            }
        }
    }
    for connector in &policy.connectors {
        if let Some(s) = connector.client_secret
            && let Secret::Plaintext { chars } = s.value
        {
            let name = &connector.name.value;
            out.push(inline(
                s.span,
                chars,
                format!("the client secret (`clientSecret`) of connector `{name}`"),
                variable(name, "CLIENT_SECRET"),
            ));
        }
    }
    for section in &policy.observability {
        let orgs = orgs_phrase(policy, &orgs_of(policy, &policy.observability, section));
        if let Some(endpoint) = &section.otel_endpoint
            && let Some(Secret::Plaintext { chars }) = endpoint.value.credentials
        {
            out.push(
                Draft::new(
                    &RULE,
                    endpoint.span,
                    format!(
                        "the OTEL endpoint URL for {orgs} has credentials written inline ({})",
                        plural(chars, "character")
                    ),
                )
                .label("credentials written inline")
                .help("take the credentials out of the URL and send them in a header whose value is a reference, such as `Authorization: Bearer ${OTEL_TOKEN}`"),
            );
        }
        for header in &section.headers {
            if let Some(s) = header.secret
                && let Secret::Plaintext { chars } = s.value
            {
                let name = &header.name.value;
                out.push(inline(
                    s.span,
                    chars,
                    format!("the OTEL header `{name}` for {orgs} carries a credential that"),
                    variable("otel", name),
                ));
            }
        }
    }
}

/// The finding for a secret field written inline: `what` names the field, `variable` is the
/// environment variable the help suggests.
fn inline(span: Span, chars: usize, what: String, variable: String) -> Draft {
    Draft::new(
        &RULE,
        span,
        format!("{what} is written inline ({})", plural(chars, "character")),
    )
    .label("secret written inline")
    .help(format!(
        "write a reference instead, such as `${{{variable}}}` or `secret:<path>`, and rotate the secret: it stays in the repo's history"
    ))
}

/// An environment variable name for a secret: `OKTA_SCIM_TOKEN`, `OTEL_AUTHORIZATION`.
fn variable(owner: &str, what: &str) -> String {
    let mut name = String::new();
    for c in format!("{owner}_{what}").chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_uppercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    name.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::variable;

    #[test]
    fn names_variables_after_the_owner() {
        assert_eq!(variable("okta", "SCIM_TOKEN"), "OKTA_SCIM_TOKEN");
        assert_eq!(
            variable("google-drive", "CLIENT_SECRET"),
            "GOOGLE_DRIVE_CLIENT_SECRET"
        );
        assert_eq!(variable("otel", "X-API-Key"), "OTEL_X_API_KEY");
    }
}
