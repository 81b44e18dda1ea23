declare_rule! {
    /// ## What it flags
    ///
    /// Claude Code's `managed-settings.json` whose `permissions.defaultMode` is not one of its
    /// permission modes (`default`, `acceptEdits`, `plan`, `auto`, `dontAsk`,
    /// `bypassPermissions`, or `manual`, the alias of `default`).
    ///
    /// `cowork-policy check` reads the file when the policy folder holds one
    /// (`managed-settings.json` or `claude-code/managed-settings.json`) or a `desktop:` section
    /// names it (`claudeCodeSettings`); `cowork-policy managed-settings --check` reads any.
    ///
    /// ## Why it matters
    ///
    /// The modes are listed at <https://code.claude.com/docs/en/permission-modes>. Claude Code
    /// does not apply an invalid value, and one invalid value can discard the whole object it is
    /// in: an invalid `defaultMode` drops the entire `permissions` object, its `deny` rules
    /// included, on every machine, with no warning.
    ///
    /// ## Example
    ///
    /// ```json
    /// {
    ///   "permissions": {
    ///     "defaultMode": "acceptAll",
    ///     "deny": ["Read(./.env)"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Instead
    ///
    /// ```json
    /// {
    ///   "permissions": {
    ///     "defaultMode": "acceptEdits",
    ///     "deny": ["Read(./.env)"]
    ///   }
    /// }
    /// ```
    pub(crate) static RULE = {
        code: "MDM007",
        name: "invalid-default-mode",
        area: Managed,
        severity: Error,
        stage: Managed,
    };
}
