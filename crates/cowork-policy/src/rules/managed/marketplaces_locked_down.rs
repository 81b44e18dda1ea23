declare_rule! {
    /// ## What it flags
    ///
    /// Claude Code's `managed-settings.json` with `strictKnownMarketplaces: []`.
    ///
    /// `cowork-policy check` reads the file when the policy folder holds one
    /// (`managed-settings.json` or `claude-code/managed-settings.json`) or a `desktop:` section
    /// names it (`claudeCodeSettings`); `cowork-policy managed-settings --check` reads any.
    ///
    /// ## Why it matters
    ///
    /// `strictKnownMarketplaces` is the list of plugin marketplaces users may add; an empty list
    /// allows none, the official marketplace included: a complete lockdown
    /// (<https://code.claude.com/docs/en/settings-reference#strictknownmarketplaces>). It is
    /// often written meaning "no extra marketplaces", and leaves developers with no plugins at
    /// all. Warn, so that a lockdown is a decision, not an accident.
    ///
    /// ## Example
    ///
    /// ```json
    /// {
    ///   "strictKnownMarketplaces": []
    /// }
    /// ```
    ///
    /// ## Instead
    ///
    /// ```json
    /// {
    ///   "strictKnownMarketplaces": [{ "source": "github", "repo": "acme/claude-plugins" }]
    /// }
    /// ```
    pub(crate) static RULE = {
        code: "MDM006",
        name: "marketplaces-locked-down",
        area: Managed,
        severity: Warning,
        stage: Managed,
    };
}
