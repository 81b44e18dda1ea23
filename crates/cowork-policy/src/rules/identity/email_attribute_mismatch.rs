use crate::model::{Idp, SsoState};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An identity provider whose SSO and SCIM take the user's email from different IdP
    /// attributes: `ssoEmailAttribute` and `scimEmailAttribute` are both set and differ, case
    /// aside.
    ///
    /// An identity provider that runs both SSO (`sso` configured or further) and SCIM
    /// (`scim: true`) but leaves either attribute out has not recorded it: unknown, not the same
    /// as the other. It is flagged too, naming the attribute that is not recorded (see
    /// "Settings not recorded" in docs/format.md). One that runs only one of them is left
    /// alone: there is nothing to join.
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: email is the join key between SSO logins and
    /// provisioned seats, and "SSO and SCIM must take the email from the same IdP attribute (a
    /// mismatch blocks access)". Where the two attributes hold different addresses for a user
    /// (a UPN and a primary email, say), the user signs in as someone SCIM never provisioned and
    /// gets no seat, no groups and no roles.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: entra
    ///     kind: entra-id
    ///     ssoEmailAttribute: user.userprincipalname
    ///     scimEmailAttribute: user.mail
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: entra
    ///     kind: entra-id
    ///     ssoEmailAttribute: user.mail
    ///     scimEmailAttribute: user.mail
    /// ```
    pub(crate) static RULE = {
        code: "IDP010",
        name: "email-attribute-mismatch",
        area: Identity,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    for idp in &cx.policy.idps {
        let (Some(sso), Some(scim)) = (&idp.sso_email_attribute, &idp.scim_email_attribute) else {
            not_recorded(idp, out);
            continue;
        };
        if sso.value.trim().eq_ignore_ascii_case(scim.value.trim()) {
            continue;
        }
        out.push(
            Draft::new(
                &RULE,
                scim.span,
                format!(
                    "identity provider `{}` takes the email from `{}` for SSO but from `{}` for SCIM",
                    idp.name.value, sso.value, scim.value
                ),
            )
            .label("SCIM's email attribute")
            .related(sso.span, "SSO's email attribute")
            .help(format!(
                "map SSO and SCIM of `{}` to the same IdP attribute: email joins a sign-in to a provisioned seat",
                idp.name.value
            )),
        );
    }
}

/// An identity provider running SSO and SCIM with an email attribute not recorded.
fn not_recorded(idp: &Idp, out: &mut Vec<Draft>) {
    let sso_on = idp.sso.is_some_and(|s| s.value >= SsoState::Configured);
    let Some(scim) = idp.scim.filter(|s| s.value && sso_on) else {
        return;
    };
    let missing: Vec<&str> = [
        ("`ssoEmailAttribute`", idp.sso_email_attribute.is_none()),
        ("`scimEmailAttribute`", idp.scim_email_attribute.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, missing)| missing.then_some(key))
    .collect();
    let recorded = idp
        .sso_email_attribute
        .as_ref()
        .or(idp.scim_email_attribute.as_ref());
    let (span, label) = match recorded {
        Some(attribute) => (attribute.span, "the only email attribute recorded"),
        None => (scim.span, "SCIM on"),
    };
    out.push(
        Draft::new(
            &RULE,
            span,
            format!(
                "identity provider `{}` runs SSO and SCIM, but {} {} not recorded: whether both take the email from the same attribute is unknown",
                idp.name.value,
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" }
            ),
        )
        .label(label)
        .help(format!(
            "record the IdP attribute SSO and SCIM of `{}` each take the email from (`ssoEmailAttribute`, `scimEmailAttribute`): they must be the same, as email joins a sign-in to a provisioned seat",
            idp.name.value
        )),
    );
}
