declare_rule! {
    /// ## What it flags
    ///
    /// A `.reg` file that writes values under `HKCU\SOFTWARE\Policies\Claude` while it also
    /// writes machine policy under `HKLM\SOFTWARE\Policies\Claude`: each user value is flagged.
    ///
    /// ## Why it matters
    ///
    /// The app reads machine policy (`HKLM`) or user policy (`HKCU`), not both: once machine
    /// policy is present, user policy is ignored entirely
    /// (<https://claude.com/docs/cowork/3p/configuration>, "How keys are read"). The user values
    /// look deployed and set nothing.
    ///
    /// ## Example
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "disableNonessentialTelemetry"="true"
    ///
    /// [HKEY_CURRENT_USER\SOFTWARE\Policies\Claude]
    /// "autoUpdaterEnforcementHours"="24"
    /// ```
    ///
    /// ## Instead
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "disableNonessentialTelemetry"="true"
    /// "autoUpdaterEnforcementHours"="24"
    /// ```
    pub(crate) static RULE = {
        code: "MDM005",
        name: "hkcu-policy-ignored",
        area: Managed,
        severity: Warning,
        stage: Managed,
    };
}
