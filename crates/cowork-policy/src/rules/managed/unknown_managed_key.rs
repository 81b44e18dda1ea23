declare_rule! {
    /// ## What it flags
    ///
    /// A key of a managed file that is not in the key reference, with the nearest key it may be
    /// a misspelling of, or a former name (`isDxtEnabled`) with the key that replaced it.
    ///
    /// ## Why it matters
    ///
    /// The app ignores a key it does not know, without a word: a misspelt or renamed key is
    /// dropped on every laptop and the setting keeps its default. The key reference and former
    /// names are in `docs/managed-settings.md`, from
    /// <https://claude.com/docs/cowork/3p/configuration>.
    ///
    /// ## Example
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "isDxtEnabled"="false"
    /// ```
    ///
    /// ## Instead
    ///
    /// ```reg
    /// Windows Registry Editor Version 5.00
    ///
    /// [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
    /// "isDesktopExtensionEnabled"="false"
    /// ```
    pub(crate) static RULE = {
        code: "MDM003",
        name: "unknown-managed-key",
        area: Managed,
        severity: Error,
        stage: Managed,
    };
}
