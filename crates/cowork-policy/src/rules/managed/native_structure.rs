declare_rule! {
    /// ## What it flags
    ///
    /// A list or object setting written as a native structure: a plist `<array>` or `<dict>`, a
    /// `REG_MULTI_SZ` value, or a registry key below `SOFTWARE\Policies\Claude`.
    ///
    /// ## Why it matters
    ///
    /// The desktop app stores every managed value as a string, arrays and objects as JSON inside
    /// one string. The vendor's configuration reference
    /// (<https://claude.com/docs/cowork/3p/configuration>): "The most common configuration
    /// mistake is writing array-typed keys as native arrays", and in a `.mobileconfig` "a single
    /// `<string>` element containing `[...]`, not an `<array>`". A native structure is not read:
    /// the setting silently keeps its default on every laptop.
    ///
    /// ## Example
    ///
    /// ```xml
    /// <?xml version="1.0" encoding="UTF-8"?>
    /// <plist version="1.0">
    /// <dict>
    ///   <key>coworkEgressAllowedHosts</key>
    ///   <array><string>github.com</string></array>
    /// </dict>
    /// </plist>
    /// ```
    ///
    /// ## Instead
    ///
    /// ```xml
    /// <?xml version="1.0" encoding="UTF-8"?>
    /// <plist version="1.0">
    /// <dict>
    ///   <key>coworkEgressAllowedHosts</key>
    ///   <string>["github.com"]</string>
    /// </dict>
    /// </plist>
    /// ```
    pub(crate) static RULE = {
        code: "MDM001",
        name: "native-structure",
        area: Managed,
        severity: Error,
        stage: Managed,
    };
}
