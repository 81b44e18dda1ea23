declare_rule! {
    /// ## What it flags
    ///
    /// A managed value that does not fit its key's type, range or enum in the key reference.
    ///
    /// That is a boolean that is not `true` or `false`, an integer out of its range
    /// (`autoUpdaterEnforcementHours` 1 to 72, `inferenceTokenWindowHours` 1 to 720), text
    /// outside its enum (`otlpProtocol`, `otlpDesktopLogLevel`), JSON that does not parse or has
    /// the wrong shape, a banner whose text is over 200 characters, whose colours are not
    /// `#RRGGBB` or whose link is not `https:`.
    ///
    /// ## Why it matters
    ///
    /// The app drops a value it cannot use, and one invalid value can discard a whole object:
    /// the setting silently keeps its default. The types, ranges and enums are the key
    /// reference's (<https://claude.com/docs/cowork/3p/configuration>), kept with their date in
    /// `docs/managed-settings.md`.
    ///
    /// ## Example
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "autoUpdaterEnforcementHours"="168"
    /// ```
    ///
    /// ## Instead
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "autoUpdaterEnforcementHours"="24"
    /// ```
    pub(crate) static RULE = {
        code: "MDM004",
        name: "managed-value-invalid",
        area: Managed,
        severity: Error,
        stage: Managed,
    };
}
