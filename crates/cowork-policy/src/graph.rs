//! The dependency graph of a policy: who is in which group, which groups nest, which roles and
//! limits sit on which groups, what each entity references, and which rollout steps come first.
//!
//! petgraph stays inside this module: the rest of the crate asks questions in domain ids
//! ([`GroupId`], [`StepId`], ...) and gets domain ids back.

use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{GroupId, IdpId, LimitId, OrgId, Policy, RoleId, Span, StepId, UserId, steps};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Org(OrgId),
    Idp(IdpId),
    Group(GroupId),
    User(UserId),
    Role(RoleId),
    Limit(LimitId),
    Step(StepId),
}

/// What an edge means. Edges point from the thing that holds to the thing held, and from a
/// prerequisite to the step that needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Group to user: a direct member.
    Member,
    /// Group to group: the second is listed in the first's `memberGroups`.
    Nests(Span),
    /// Role to group.
    AssignedRole,
    /// Limit to group.
    AttachedLimit,
    /// Entity to entity: a group's org or IdP, an org's IdP or parent.
    References,
    /// Step to step: the first must be settled before the second. `None` for built-in edges.
    Prerequisite(Option<Span>),
}

/// A prerequisite of a step: which step, and where the policy declared it (`None` when it is one
/// of the rollout guide's built-in edges).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prerequisite {
    pub step: StepId,
    pub declared_at: Option<Span>,
}

/// The graph, with node indices laid out by kind so that an id maps to its node by arithmetic.
pub(crate) struct Graph {
    graph: DiGraph<Node, Edge, u32>,
    group_base: u32,
    user_base: u32,
    step_base: u32,
    /// Every nesting edge, as (group, nested group) ids: what [`Graph::group_cycles`] searches.
    nesting: Vec<(u32, u32)>,
    /// Every prerequisite edge, as (prerequisite, step) ids: what [`Graph::step_cycles`] searches.
    prerequisite_edges: Vec<(u32, u32)>,
}

impl Graph {
    pub fn build(policy: &Policy) -> Graph {
        let nodes = policy.orgs.len()
            + policy.idps.len()
            + policy.groups.len()
            + policy.users.len()
            + policy.roles.len()
            + policy.limits.len()
            + policy.steps.len();
        let memberships: usize = policy.groups.iter().map(|g| g.members.len()).sum();
        let mut graph = DiGraph::with_capacity(nodes, memberships + policy.groups.len() * 2);

        // INVARIANT: nodes are added kind by kind in id order, so `base + id` is a node index.
        let org_base = graph.node_count() as u32;
        for id in policy.org_ids() {
            graph.add_node(Node::Org(id));
        }
        let idp_base = graph.node_count() as u32;
        for i in 0..policy.idps.len() as u32 {
            graph.add_node(Node::Idp(IdpId(i)));
        }
        let group_base = graph.node_count() as u32;
        for id in policy.group_ids() {
            graph.add_node(Node::Group(id));
        }
        let user_base = graph.node_count() as u32;
        for i in 0..policy.users.len() as u32 {
            graph.add_node(Node::User(UserId(i)));
        }
        let role_base = graph.node_count() as u32;
        for id in policy.role_ids() {
            graph.add_node(Node::Role(id));
        }
        let limit_base = graph.node_count() as u32;
        for id in policy.limit_ids() {
            graph.add_node(Node::Limit(id));
        }
        let step_base = graph.node_count() as u32;
        for id in policy.step_ids() {
            graph.add_node(Node::Step(id));
        }
        let n = NodeIndex::new;
        let mut nesting: Vec<(u32, u32)> = Vec::new();
        let mut prerequisite_edges: Vec<(u32, u32)> = Vec::new();

        for org in policy.org_ids() {
            let o = policy.org(org);
            let from = n((org_base + org.0) as usize);
            if let Some(idp) = o.idp {
                graph.add_edge(from, n((idp_base + idp.0) as usize), Edge::References);
            }
            if let Some(parent) = o.parent {
                graph.add_edge(from, n((org_base + parent.0) as usize), Edge::References);
            }
        }
        for group in policy.group_ids() {
            let g = policy.group(group);
            let from = n((group_base + group.0) as usize);
            if let Some(org) = g.org {
                graph.add_edge(from, n((org_base + org.0) as usize), Edge::References);
            }
            if let Some(idp) = g.idp {
                graph.add_edge(from, n((idp_base + idp.0) as usize), Edge::References);
            }
            for member in &g.members {
                graph.add_edge(from, n((user_base + member.value.0) as usize), Edge::Member);
            }
            for nested in &g.member_groups {
                let to = n((group_base + nested.value.0) as usize);
                graph.add_edge(from, to, Edge::Nests(nested.span));
                nesting.push((group.0, nested.value.0));
            }
        }
        for role in policy.role_ids() {
            for group in &policy.role(role).groups {
                graph.add_edge(
                    n((role_base + role.0) as usize),
                    n((group_base + group.value.0) as usize),
                    Edge::AssignedRole,
                );
            }
        }
        for limit in policy.limit_ids() {
            for group in &policy.limit(limit).groups {
                graph.add_edge(
                    n((limit_base + limit.0) as usize),
                    n((group_base + group.value.0) as usize),
                    Edge::AttachedLimit,
                );
            }
        }
        // Per org, each step entry and the entries it needs (`steps::edges`).
        for (from, to, declared_at) in steps::edges(policy) {
            prerequisite_edges.push((from.0, to.0));
            graph.add_edge(
                n((step_base + from.0) as usize),
                n((step_base + to.0) as usize),
                Edge::Prerequisite(declared_at),
            );
        }
        Graph {
            graph,
            group_base,
            user_base,
            step_base,
            nesting,
            prerequisite_edges,
        }
    }

    fn group_node(&self, id: GroupId) -> NodeIndex<u32> {
        NodeIndex::new((self.group_base + id.0) as usize)
    }

    fn step_node(&self, id: StepId) -> NodeIndex<u32> {
        NodeIndex::new((self.step_base + id.0) as usize)
    }

    /// Groups that contain each other, directly or through a chain: each cycle once, as the
    /// groups in it, starting from its lowest id. A group nested in itself is a cycle of one.
    pub fn group_cycles(&self) -> Vec<Vec<GroupId>> {
        // Only groups that nest or are nested can be in a cycle: search a graph of just those,
        // not every user node of the full graph.
        let mut cycles: Vec<Vec<GroupId>> = cycles_among(&self.nesting)
            .into_iter()
            .map(|scc| scc.into_iter().map(GroupId).collect())
            .collect();
        cycles.sort();
        cycles
    }

    /// Every group reachable from `group` through nesting, not counting `group` itself unless a
    /// cycle leads back to it.
    pub fn nested_groups(&self, group: GroupId) -> Vec<GroupId> {
        let mut seen = vec![false; 0];
        let mut stack = vec![self.group_node(group)];
        let mut found = Vec::new();
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges_directed(node, Direction::Outgoing) {
                if !matches!(edge.weight(), Edge::Nests(_)) {
                    continue;
                }
                let target = edge.target();
                let index = target.index() - self.group_base as usize;
                if seen.len() <= index {
                    seen.resize(index + 1, false);
                }
                if !seen[index] {
                    seen[index] = true;
                    found.push(GroupId(index as u32));
                    stack.push(target);
                }
            }
        }
        found
    }

    /// Every group that contains `group` through nesting, directly or through a chain, not
    /// counting `group` itself unless a cycle leads back to it. Sorted.
    pub fn nesting_groups(&self, group: GroupId) -> Vec<GroupId> {
        let mut found: Vec<GroupId> = Vec::new();
        let mut stack = vec![self.group_node(group)];
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges_directed(node, Direction::Incoming) {
                if !matches!(edge.weight(), Edge::Nests(_)) {
                    continue;
                }
                let source = edge.source();
                let id = GroupId((source.index() as u32) - self.group_base);
                if !found.contains(&id) {
                    found.push(id);
                    stack.push(source);
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// The direct members of a group, as the graph holds them.
    pub fn direct_members(&self, group: GroupId) -> impl Iterator<Item = UserId> + '_ {
        self.graph
            .edges_directed(self.group_node(group), Direction::Outgoing)
            .filter(|e| matches!(e.weight(), Edge::Member))
            .map(|e| UserId((e.target().index() as u32) - self.user_base))
    }

    /// The steps `step` directly needs, built-in and declared.
    pub fn prerequisites(&self, step: StepId) -> Vec<Prerequisite> {
        let mut found: Vec<Prerequisite> = self
            .graph
            .edges_directed(self.step_node(step), Direction::Incoming)
            .filter_map(|e| match *e.weight() {
                Edge::Prerequisite(declared_at) => Some(Prerequisite {
                    step: StepId((e.source().index() as u32) - self.step_base),
                    declared_at,
                }),
                _ => None,
            })
            .collect();
        found.sort_by_key(|p| p.step);
        found.dedup_by_key(|p| p.step);
        found
    }

    /// Every step `step` needs before it, directly or through other steps, each once.
    pub fn step_ancestors(&self, step: StepId) -> Vec<StepId> {
        let mut seen = vec![step];
        let mut stack = vec![step];
        let mut found = Vec::new();
        while let Some(current) = stack.pop() {
            for p in self.prerequisites(current) {
                if !seen.contains(&p.step) {
                    seen.push(p.step);
                    found.push(p.step);
                    stack.push(p.step);
                }
            }
        }
        found
    }

    /// The steps that directly need `step`, built-in and declared, each once, sorted.
    pub fn step_successors(&self, step: StepId) -> Vec<StepId> {
        let mut found: Vec<StepId> = self
            .prerequisite_edges
            .iter()
            .filter(|&&(from, _)| from == step.0)
            .map(|&(_, to)| StepId(to))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Steps that need each other, directly or through a chain: each cycle once, sorted.
    pub fn step_cycles(&self) -> Vec<Vec<StepId>> {
        // Only step nodes have prerequisite edges: search a graph of just the steps.
        let mut cycles: Vec<Vec<StepId>> = cycles_among(&self.prerequisite_edges)
            .into_iter()
            .map(|scc| scc.into_iter().map(StepId).collect())
            .collect();
        cycles.sort();
        cycles
    }

    /// The shortest loop of nesting through the edge `from` → `to`, inside `cycle` (one of
    /// [`Graph::group_cycles`]): `[from, to, ..., from]`.
    pub fn group_walk(&self, cycle: &[GroupId], from: GroupId, to: GroupId) -> Vec<GroupId> {
        let within: Vec<u32> = cycle.iter().map(|g| g.0).collect();
        walk(&self.nesting, &within, from.0, to.0)
            .into_iter()
            .map(GroupId)
            .collect()
    }

    /// The shortest loop of prerequisites through the edge `from` → `to`, inside `cycle` (one
    /// of [`Graph::step_cycles`]), in rollout order: `[from, to, ..., from]`.
    pub fn step_walk(&self, cycle: &[StepId], from: StepId, to: StepId) -> Vec<StepId> {
        let within: Vec<u32> = cycle.iter().map(|s| s.0).collect();
        walk(&self.prerequisite_edges, &within, from.0, to.0)
            .into_iter()
            .map(StepId)
            .collect()
    }

    /// The nesting edge from `group` to `nested`, where it was written.
    pub fn nesting_span(&self, group: GroupId, nested: GroupId) -> Option<Span> {
        self.graph
            .edges_connecting(self.group_node(group), self.group_node(nested))
            .find_map(|e| match *e.weight() {
                Edge::Nests(span) => Some(span),
                _ => None,
            })
    }
}

/// The strongly connected components of the graph made of `edges` (by id) that are cycles: more
/// than one node, or one node with an edge to itself. Each is sorted.
fn cycles_among(edges: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut ids: Vec<u32> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let local = |id: u32| NodeIndex::new(ids.partition_point(|&x| x < id));
    let mut graph: DiGraph<u32, (), u32> = DiGraph::with_capacity(ids.len(), edges.len());
    for &id in &ids {
        graph.add_node(id);
    }
    for &(from, to) in edges {
        graph.add_edge(local(from), local(to), ());
    }
    tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| {
            scc.len() > 1
                || scc
                    .first()
                    .is_some_and(|&node| graph.contains_edge(node, node))
        })
        .map(|scc| {
            let mut members: Vec<u32> = scc.into_iter().map(|node| graph[node]).collect();
            members.sort_unstable();
            members
        })
        .collect()
}

/// The shortest closed walk `[from, to, ..., from]` over `edges`, staying inside `within`
/// (sorted): breadth-first from `to` until `from` comes round again. Just `[from, to]` when no
/// path leads back, which cannot happen inside a cycle.
fn walk(edges: &[(u32, u32)], within: &[u32], from: u32, to: u32) -> Vec<u32> {
    if from == to {
        return vec![from, from];
    }
    let inside = |id: u32| within.binary_search(&id).is_ok();
    let mut parent: Vec<(u32, u32)> = vec![(to, to)];
    let mut queue = std::collections::VecDeque::from([to]);
    while let Some(current) = queue.pop_front() {
        if current == from {
            break;
        }
        for &(a, b) in edges {
            if a == current && inside(b) && !parent.iter().any(|&(node, _)| node == b) {
                parent.push((b, current));
                queue.push_back(b);
            }
        }
    }
    // Follow the parents back from `from` to `to`, then turn the path round.
    let mut back = vec![from];
    let mut current = from;
    while current != to {
        match parent.iter().find(|&&(node, _)| node == current) {
            Some(&(_, previous)) => {
                back.push(previous);
                current = previous;
            }
            None => return vec![from, to],
        }
    }
    back.push(from);
    back.reverse();
    back
}
