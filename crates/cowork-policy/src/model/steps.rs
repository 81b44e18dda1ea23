//! The rollout guide's dependency graph of steps, as data.
//!
//! Source: `rules.md` ("The built-in rollout dependency graph"), from the guide's "SSO before
//! RBAC", "Configure [connectors] after RBAC is in place", "Deploy ... after identity, access, and
//! connectors are all confirmed working" and "Migrate to enforcement last". A policy's own steps
//! add edges to this table; they never replace it.

/// Each built-in step and the steps it directly needs, in rollout order.
pub(crate) const BUILTIN: &[(&str, &[&str])] = &[
    ("planning", &[]),
    ("sso-configured", &["planning"]),
    ("idp-groups", &["sso-configured"]),
    ("rbac-roles-configured", &["idp-groups"]),
    ("rbac-tested", &["rbac-roles-configured"]),
    ("sso-enforced", &["rbac-tested"]),
    ("connectors-live", &["rbac-roles-configured"]),
    ("plugins-approved", &["connectors-live"]),
    ("security-controls", &["planning"]),
    ("observability-live", &["planning"]),
    (
        "desktop-deployed",
        &["sso-configured", "rbac-tested", "connectors-live"],
    ),
    ("deployment-verified", &["desktop-deployed"]),
    ("prelaunch-checklist", &["planning"]),
    (
        "pilot-launch",
        &[
            "security-controls",
            "observability-live",
            "deployment-verified",
            "prelaunch-checklist",
        ],
    ),
    (
        "rbac-enforced",
        &["sso-enforced", "plugins-approved", "pilot-launch"],
    ),
];
