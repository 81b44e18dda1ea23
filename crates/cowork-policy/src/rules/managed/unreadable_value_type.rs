declare_rule! {
    /// ## What it flags
    ///
    /// A managed value of a type the desktop app does not read: a plist `<integer>`, `<true/>`,
    /// `<false/>`, `<real>`, `<date>` or `<data>`, or a registry value of type `REG_EXPAND_SZ`,
    /// `REG_QWORD`, `REG_BINARY` or `REG_NONE`, or a `REG_DWORD` for a key that is not a boolean
    /// or an integer.
    ///
    /// ## Why it matters
    ///
    /// "All values are stored as strings in the OS preference store, even booleans and arrays"
    /// (<https://claude.com/docs/cowork/3p/configuration>): a boolean is `"true"` or `"false"`,
    /// an integer a decimal string. A `REG_EXPAND_SZ` is worse than ignored: it counts as policy
    /// present, so local settings are disabled, while its value is never read.
    ///
    /// ## Example
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "otlpEndpoint"=hex(2):68,00,74,00,00,00
    /// ```
    ///
    /// ## Instead
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "otlpEndpoint"="https://otel.acme.com:4318"
    /// ```
    pub(crate) static RULE = {
        code: "MDM002",
        name: "unreadable-value-type",
        area: Managed,
        severity: Error,
        stage: Managed,
    };
}
