//! Pictures of a policy, as plain data: the rollout dependency graph with each step's state and
//! the prerequisites taken out of order, and the group structure of an org (nesting, roles,
//! limits). [`crate::render::to_dot`] and [`crate::render::to_mermaid`] draw a [`Diagram`]; a tool
//! that wants another format reads the same data.
//!
//! The diagram says what the checker sees, from the same graph and the same order test as the
//! rules: a red edge here is a prerequisite that rule ORDER001 reports, a dashed nesting edge is
//! what rule IDP001 reports.
//!
//! ```
//! let policy = cowork_policy::load_sources([(
//!     "policy.yaml",
//!     "apiVersion: cowork-policy/v1
//! orgs:
//!   - name: acme
//!     plan: enterprise
//!     coworkEnabled: true
//!     rbac: enforced
//! groups:
//!   - name: staff
//!     members: [ana@acme.com]
//!     memberGroups: [interns]
//!   - name: interns
//!     members: [bo@acme.com]
//! roles:
//!   - name: worker
//!     entitlements: [cowork, chat]
//!     groups: [staff]
//! ",
//! )])?;
//! let diagram = cowork_policy::diagram::groups_diagram(&policy, None, None).unwrap();
//! let dot = cowork_policy::render::to_dot(&diagram);
//! assert!(dot.starts_with("digraph"));
//! let mermaid = cowork_policy::render::to_mermaid(&cowork_policy::diagram::rollout_diagram(&policy));
//! assert!(mermaid.starts_with("flowchart"));
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use crate::graph::Graph;
use crate::model::{GroupId, Policy};
use crate::order;
use crate::suggest::did_you_mean;

/// A directed graph to draw: nodes and the edges between them, each sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagram {
    /// Every node, sorted by id.
    pub nodes: Vec<DiagramNode>,
    /// Every edge, sorted by source, then target, then kind.
    pub edges: Vec<DiagramEdge>,
}

/// One box of a [`Diagram`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiagramNode {
    /// Unique within the diagram: the entity's kind and name, as in `group/engineering` or
    /// `step/sso-configured`. Renderers may turn it into an identifier of their own.
    pub id: String,
    /// What the box says, possibly over several lines (separated by `\n`): the name first, then
    /// details such as a step's state and date or a group's member count.
    pub label: String,
    /// What the node stands for.
    pub kind: NodeKind,
    /// A step's state; `None` for nodes that are not steps.
    pub state: Option<StepState>,
}

/// What a [`DiagramNode`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NodeKind {
    /// One of the rollout guide's built-in steps.
    Step,
    /// A step the policy adds with its own name.
    CustomStep,
    /// An IdP group.
    Group,
    /// A custom role.
    Role,
    /// A spend limit.
    Limit,
}

pub use crate::model::StepState;

/// One arrow of a [`Diagram`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiagramEdge {
    /// The id of the node the arrow leaves.
    pub from: String,
    /// The id of the node the arrow points at.
    pub to: String,
    /// Text on the arrow, if any.
    pub label: Option<String>,
    /// What the arrow means.
    pub kind: EdgeKind,
    /// Whether the arrow shows a problem: a prerequisite taken out of order (the test of rule
    /// ORDER001).
    pub violated: bool,
}

/// What a [`DiagramEdge`] means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EdgeKind {
    /// Step to step: the first must be settled before the second, by the rollout guide or by
    /// the policy's `after:`.
    Prerequisite,
    /// Group to group: the second is listed in the first's `memberGroups`. Its members do not
    /// sync into the first.
    Nests,
    /// Role to group: the role is assigned to the group. The role's node lists its
    /// entitlements.
    Role,
    /// Spend limit to group: the limit is attached to the group. The limit's node gives its
    /// amount.
    Limit,
}

/// Why [`groups_diagram`] could not draw what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiagramError {
    /// No org has this name.
    #[error("no org is called `{name}`")]
    UnknownOrg {
        /// The name asked for.
        name: String,
        /// What to do: the nearest org name, or the names there are.
        help: String,
    },
    /// No group has this name (in the org asked for, when one was).
    #[error("no group is called `{name}`{}", org.as_ref().map(|o| format!(" in org `{o}`")).unwrap_or_default())]
    UnknownGroup {
        /// The name asked for.
        name: String,
        /// The org it was looked for in, if one was given.
        org: Option<String>,
        /// What to do: the nearest group name, or the names there are.
        help: String,
    },
}

impl DiagramError {
    /// What to do about it, such as "did you mean `engineering`?".
    pub fn help(&self) -> &str {
        match self {
            DiagramError::UnknownOrg { help, .. } | DiagramError::UnknownGroup { help, .. } => help,
        }
    }
}

/// The rollout dependency graph: every built-in step and every step the policy adds, coloured
/// by state, with an edge from each prerequisite (built in or declared with `after:`) to the step
/// that needs it. An edge is [`violated`](DiagramEdge::violated) when the step is done while the
/// prerequisite is neither done nor skipped, or dated before the prerequisite or before a step
/// the prerequisite needs: the tests of rule ORDER001.
pub fn rollout_diagram(policy: &Policy) -> Diagram {
    let graph = Graph::build(policy);
    let latest = order::Latest::build(policy, &graph);
    // The facts the policy itself names, as `check` reads them without a profile option.
    let facts = crate::profile::resolve(&policy.platform, None);
    let mut diagram = Diagram::default();
    for id in policy.step_ids() {
        let step = policy.step(id);
        // A built-in step every org lists for itself: the shared entry stands for no org.
        if step.span.is_none() && policy.step_orgs(id).is_empty() {
            continue;
        }
        let state = step.status();
        let mut details = vec![if step.span.is_none() {
            "not listed".to_string()
        } else {
            state.as_str().to_string()
        }];
        if let Some(date) = step.date {
            details.push(date.value.to_string());
        }
        if !step.builtin {
            details.push("custom".to_string());
        }
        diagram.nodes.push(DiagramNode {
            id: step_id(&policy.step_key(id)),
            label: format!("{}\n{}", policy.step_key(id), details.join(" · ")),
            kind: if step.builtin {
                NodeKind::Step
            } else {
                NodeKind::CustomStep
            },
            state: Some(state),
        });
        for prerequisite in graph.prerequisites(id) {
            let violated = order::edge_broken(policy, &facts, &latest, prerequisite.step, id);
            diagram.edges.push(DiagramEdge {
                from: step_id(&policy.step_key(prerequisite.step)),
                to: step_id(&policy.step_key(id)),
                label: violated.then(|| "out of order".to_string()),
                kind: EdgeKind::Prerequisite,
                violated,
            });
        }
    }
    diagram.sort();
    diagram
}

/// The group structure: groups with their direct member counts, which groups nest which
/// (labelled as not syncing), the roles on them with their entitlements and the spend limits on
/// them with their amounts.
///
/// With `org`, only that org's groups. With `around_group`, only that group, the groups nested
/// in it and the groups it is nested in (directly or through a chain), and the roles and limits
/// on those groups. Names are matched exactly; an unknown one is an error with a "did you mean".
pub fn groups_diagram(
    policy: &Policy,
    org: Option<&str>,
    around_group: Option<&str>,
) -> Result<Diagram, DiagramError> {
    let graph = Graph::build(policy);
    let org_id = match org {
        None => None,
        Some(name) => Some(
            policy
                .org_ids()
                .find(|&o| policy.org(o).name.value == name)
                .ok_or_else(|| DiagramError::UnknownOrg {
                    name: name.to_string(),
                    help: suggestion(
                        name,
                        policy.orgs.iter().map(|o| o.name.value.as_str()).collect(),
                        "orgs",
                    ),
                })?,
        ),
    };
    let in_org = |g: GroupId| org_id.is_none() || policy.group(g).org == org_id;
    let mut shown: Vec<GroupId> = match around_group {
        None => policy.group_ids().filter(|&g| in_org(g)).collect(),
        Some(name) => {
            let focus = policy
                .group_ids()
                .find(|&g| in_org(g) && policy.group(g).name.value == name)
                .ok_or_else(|| DiagramError::UnknownGroup {
                    name: name.to_string(),
                    org: org.map(str::to_string),
                    help: suggestion(
                        name,
                        policy
                            .group_ids()
                            .filter(|&g| in_org(g))
                            .map(|g| policy.group(g).name.value.as_str())
                            .collect(),
                        "groups",
                    ),
                })?;
            let mut around = vec![focus];
            around.extend(graph.nested_groups(focus));
            around.extend(graph.nesting_groups(focus));
            around
        }
    };
    shown.sort_unstable();
    shown.dedup();
    let is_shown = |g: GroupId| shown.binary_search(&g).is_ok();

    let mut diagram = Diagram::default();
    for &id in &shown {
        let group = policy.group(id);
        let members = group.members.len();
        let mut details = vec![format!(
            "{members} direct member{}",
            if members == 1 { "" } else { "s" }
        )];
        if group.scim_synced() {
            details.push("SCIM".to_string());
        }
        diagram.nodes.push(DiagramNode {
            id: group_id(&group.name.value),
            label: format!("{}\n{}", group.name.value, details.join(" · ")),
            kind: NodeKind::Group,
            state: None,
        });
        for nested in &group.member_groups {
            if is_shown(nested.value) {
                diagram.edges.push(DiagramEdge {
                    from: group_id(&group.name.value),
                    to: group_id(&policy.group(nested.value).name.value),
                    label: Some("nested: does not sync".to_string()),
                    kind: EdgeKind::Nests,
                    violated: false,
                });
            }
        }
    }
    for id in policy.role_ids() {
        let role = policy.role(id);
        let targets: Vec<GroupId> = role
            .groups
            .iter()
            .map(|g| g.value)
            .filter(|&g| is_shown(g))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let granted: Vec<&str> = role.entitlements.iter().map(|e| e.value.as_str()).collect();
        let mut label = if granted.is_empty() {
            "no entitlements".to_string()
        } else {
            granted.join(", ")
        };
        if !role.withholds.is_empty() {
            let withheld: Vec<&str> = role.withholds.iter().map(|e| e.value.as_str()).collect();
            label.push_str(&format!("\nwithholds {}", withheld.join(", ")));
        }
        diagram.nodes.push(DiagramNode {
            id: format!("role/{}", role.name.value),
            label: format!("role {}\n{label}", role.name.value),
            kind: NodeKind::Role,
            state: None,
        });
        for g in targets {
            diagram.edges.push(DiagramEdge {
                from: format!("role/{}", role.name.value),
                to: group_id(&policy.group(g).name.value),
                label: None,
                kind: EdgeKind::Role,
                violated: false,
            });
        }
    }
    for id in policy.limit_ids() {
        let limit = policy.limit(id);
        let targets: Vec<GroupId> = limit
            .groups
            .iter()
            .map(|g| g.value)
            .filter(|&g| is_shown(g))
            .collect();
        if targets.is_empty() {
            continue;
        }
        diagram.nodes.push(DiagramNode {
            id: format!("limit/{}", limit.name.value),
            label: format!("limit {}\n{}", limit.name.value, limit.amount.value),
            kind: NodeKind::Limit,
            state: None,
        });
        for g in targets {
            diagram.edges.push(DiagramEdge {
                from: format!("limit/{}", limit.name.value),
                to: group_id(&policy.group(g).name.value),
                label: None,
                kind: EdgeKind::Limit,
                violated: false,
            });
        }
    }
    diagram.sort();
    Ok(diagram)
}

impl Diagram {
    /// Sort nodes by id and edges by source, target and kind, dropping exact repeats.
    fn sort(&mut self) {
        self.nodes.sort_by(|a, b| a.id.cmp(&b.id));
        self.nodes.dedup_by(|a, b| a.id == b.id);
        self.edges
            .sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
        self.edges.dedup();
    }
}

fn step_id(name: &str) -> String {
    format!("step/{name}")
}

fn group_id(name: &str) -> String {
    format!("group/{name}")
}

/// "did you mean `x`?", or the names there are when none is close.
fn suggestion(name: &str, mut candidates: Vec<&str>, what: &str) -> String {
    if let Some(near) = did_you_mean(name, candidates.iter().copied()) {
        return format!("did you mean `{near}`?");
    }
    candidates.sort_unstable();
    if candidates.is_empty() {
        format!("the policy defines no {what}")
    } else {
        let quoted: Vec<String> = candidates.iter().map(|n| format!("`{n}`")).collect();
        format!("the {what} are {}", quoted.join(", "))
    }
}
