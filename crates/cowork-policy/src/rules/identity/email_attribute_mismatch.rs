use crate::diagnostic::Draft;
use crate::rules::Context;

declare_rule! {
    /// ## What it flags
    ///
    /// An identity provider whose SSO and SCIM take the user's email from different IdP
    /// attributes: `ssoEmailAttribute` and `scimEmailAttribute` are both set and differ, case
    /// aside. Left alone when either is left out.
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
