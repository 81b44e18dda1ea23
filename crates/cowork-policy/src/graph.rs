//! The dependency graph of a policy: who is in which group, which groups nest, which roles and
//! limits sit on which groups, what each entity references, and which rollout steps come first.
//!
//! petgraph stays inside this module: the rest of the crate asks questions in domain ids
//! ([`GroupId`], [`StepId`], ...) and gets domain ids back.

//!
//! Every walk here is a loop over an explicit stack or queue, never a recursion, so a chain of
//! a hundred thousand groups or steps cannot overflow the stack (rayon's threads have small
//! ones); and none is repeated per group or per step where one pass over the graph answers for
//! all of them.

use std::collections::{BTreeSet, VecDeque};

use petgraph::Direction;
use petgraph::algo::kosaraju_scc;
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

/// What a nested group brings into the group that nests it: see [`Graph::nested_only`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NestedOnly {
    pub group: GroupId,
    pub nested: GroupId,
    /// How many distinct users.
    pub count: usize,
    /// The first few of them, by id.
    pub first: Vec<UserId>,
    /// How many of them the caller's `held` says are still held elsewhere (IDP001: listed
    /// directly by another synced group of the org).
    pub held: usize,
    /// The first few of those, by id.
    pub held_first: Vec<UserId>,
    /// The first few of the others, by id.
    pub unheld_first: Vec<UserId>,
}

/// The users of a nesting component in [`Graph::nested_only`], and how many of them are held
/// for each kind of nesting group.
struct Users {
    users: BTreeSet<u32>,
    held: Vec<usize>,
}

/// One nesting edge's users, as [`Graph::nested_only`] counts them.
#[derive(Debug, Clone, Default)]
struct Measured {
    count: usize,
    first: Vec<UserId>,
    held: usize,
    held_first: Vec<UserId>,
    unheld_first: Vec<UserId>,
}

/// The graph, with node indices laid out by kind so that an id maps to its node by arithmetic.
pub(crate) struct Graph {
    graph: DiGraph<Node, Edge, u32>,
    group_base: u32,
    user_base: u32,
    step_base: u32,
    /// How many groups and how many steps.
    groups: u32,
    steps: u32,
    /// Every nesting edge, as (group, nested group) ids: what [`Graph::group_cycles`] searches.
    nesting: Vec<(u32, u32)>,
    /// Every prerequisite edge, as (prerequisite, step) ids: what [`Graph::step_cycles`] searches.
    prerequisite_edges: Vec<(u32, u32)>,
    /// For each step, the steps that need it directly, each once, in id order.
    dependents: Vec<Vec<StepId>>,
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
        let mut dependents: Vec<Vec<StepId>> = vec![Vec::new(); policy.steps.len()];
        for &(from, to) in &prerequisite_edges {
            dependents[from as usize].push(StepId(to));
        }
        for next in &mut dependents {
            next.sort_unstable();
            next.dedup();
        }
        Graph {
            graph,
            group_base,
            user_base,
            step_base,
            groups: policy.groups.len() as u32,
            steps: policy.steps.len() as u32,
            nesting,
            prerequisite_edges,
            dependents,
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
        let mut seen = vec![false; self.groups as usize];
        let mut stack = vec![self.group_node(group)];
        let mut found = Vec::new();
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges_directed(node, Direction::Outgoing) {
                if !matches!(edge.weight(), Edge::Nests(_)) {
                    continue;
                }
                let target = edge.target();
                let index = target.index() - self.group_base as usize;
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
        let mut seen = vec![false; self.groups as usize];
        let mut stack = vec![self.group_node(group)];
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges_directed(node, Direction::Incoming) {
                if !matches!(edge.weight(), Edge::Nests(_)) {
                    continue;
                }
                let source = edge.source();
                let id = GroupId((source.index() as u32) - self.group_base);
                if !std::mem::replace(&mut seen[id.index()], true) {
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

    /// Every step `step` needs before it, directly or through other steps, each once. (The
    /// rules ask [`Graph::first_upstream`], which answers for every step in one pass; the tests
    /// check it against this.)
    #[cfg(test)]
    pub fn step_ancestors(&self, step: StepId) -> Vec<StepId> {
        let mut seen = vec![false; self.steps as usize];
        seen[step.index()] = true;
        let mut stack = vec![step];
        let mut found = Vec::new();
        while let Some(current) = stack.pop() {
            for p in self.prerequisites(current) {
                if !std::mem::replace(&mut seen[p.step.index()], true) {
                    found.push(p.step);
                    stack.push(p.step);
                }
            }
        }
        found
    }

    /// The steps that need `step` directly, each once, in id order.
    pub fn dependents(&self, step: StepId) -> &[StepId] {
        self.dependents
            .get(step.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// For every step, the `k` first by `rank` (lowest first, then by id) among the step itself
    /// and every step it needs, directly or through a chain; steps that `rank` gives `None` are
    /// left out. Indexed by step.
    ///
    /// One pass over the prerequisite graph's strongly connected components, prerequisites
    /// first: the first `k` of a union are among the first `k` of each part, so each component
    /// needs only the lists of the components it needs, not every step before it.
    pub fn first_upstream<K: Ord>(
        &self,
        k: usize,
        rank: impl Fn(StepId) -> Option<K>,
    ) -> Vec<Vec<StepId>> {
        let steps = self.steps as usize;
        let ranks: Vec<Option<K>> = (0..self.steps).map(|s| rank(StepId(s))).collect();
        let order = |a: &u32, b: &u32| ranks[*a as usize].cmp(&ranks[*b as usize]).then(a.cmp(b));
        let (components, component) = components(steps, &self.prerequisite_edges);
        let mut needs: Vec<Vec<u32>> = vec![Vec::new(); components.len()];
        for &(from, to) in &self.prerequisite_edges {
            let (c_from, c_to) = (component[from as usize], component[to as usize]);
            if c_from != c_to {
                needs[c_to as usize].push(c_from);
            }
        }
        let mut first: Vec<Vec<u32>> = vec![Vec::new(); components.len()];
        // `components` comes sinks first (the last steps): walk it backwards, so that each
        // component comes after every component it needs.
        for c in (0..components.len()).rev() {
            let mut candidates: Vec<u32> = components[c]
                .iter()
                .copied()
                .filter(|&s| ranks[s as usize].is_some())
                .collect();
            for &d in &needs[c] {
                candidates.extend_from_slice(&first[d as usize]);
            }
            candidates.sort_unstable_by(order);
            candidates.dedup();
            candidates.truncate(k);
            first[c] = candidates;
        }
        (0..steps)
            .map(|s| {
                first[component[s] as usize]
                    .iter()
                    .map(|&s| StepId(s))
                    .collect()
            })
            .collect()
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

    /// For every nesting edge `group` → `nested`, but a group nesting itself, the users reached
    /// only through it: direct members of `nested` or of a group nested under it, directly or
    /// through a chain, who are not direct members of `group`; how many, and the first `few` by
    /// id. In the order of the edges: by group, then as listed.
    ///
    /// One pass over the nesting graph's strongly connected components, nested ones first. Each
    /// component's users are a sorted set made from the sets of the components it nests, taking
    /// over the largest one that no other component still needs, so a chain or a tree of groups
    /// costs about its size times a logarithm, where a walk per edge would cost its size squared.
    ///
    /// `held(kind, user)` splits each edge's users in two, counted and listed apart, where
    /// `kind(group)` (below `kinds`) says which split applies to the nesting group: how many
    /// users are held is kept for each kind as users join a set, so the split costs no walk.
    pub fn nested_only(
        &self,
        few: usize,
        kinds: usize,
        kind: impl Fn(GroupId) -> usize,
        held: impl Fn(usize, UserId) -> bool,
    ) -> Vec<NestedOnly> {
        let groups = self.groups as usize;
        let (components, component) = components(groups, &self.nesting);
        let count = components.len();
        // Each group's nesting edges, as (edge index, nested group).
        let mut out: Vec<Vec<(usize, u32)>> = vec![Vec::new(); groups];
        // The components each one nests, and how many components nest each one: a component's
        // set is kept until the last one that nests it has used it.
        let mut nests: Vec<Vec<u32>> = vec![Vec::new(); count];
        let mut nested_by = vec![0u32; count];
        let mut looped = vec![false; count];
        for (edge, &(group, nested)) in self.nesting.iter().enumerate() {
            out[group as usize].push((edge, nested));
            let (c, d) = (component[group as usize], component[nested as usize]);
            if c == d {
                looped[c as usize] = true;
            } else {
                nests[c as usize].push(d);
            }
        }
        for list in &mut nests {
            list.sort_unstable();
            list.dedup();
            for &d in list.iter() {
                nested_by[d as usize] += 1;
            }
        }
        let members = |group: u32| {
            let mut m: Vec<u32> = self.direct_members(GroupId(group)).map(|u| u.0).collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        // Each component's set of users, with how many of them `held` says are held for each
        // kind of nesting group: counted as users join a set, so an edge is measured in time
        // proportional to its group's own members and the few names shown.
        let insert = |set: &mut Users, u: u32| {
            if set.users.insert(u) {
                for (k, count) in set.held.iter_mut().enumerate() {
                    *count += usize::from(held(k, UserId(u)));
                }
            }
        };
        let measure = |set: &Users, group: u32| {
            let own = members(group);
            let k = kind(GroupId(group));
            let own_inside: Vec<u32> = own
                .iter()
                .copied()
                .filter(|u| set.users.contains(u))
                .collect();
            let mut found = Measured {
                count: set.users.len() - own_inside.len(),
                held: set.held[k] - own_inside.iter().filter(|&&u| held(k, UserId(u))).count(),
                ..Measured::default()
            };
            let unheld = found.count - found.held;
            let done = |f: &Measured| {
                f.first.len() == f.count.min(few)
                    && f.held_first.len() == f.held.min(few)
                    && f.unheld_first.len() == unheld.min(few)
            };
            for &u in &set.users {
                if done(&found) {
                    break;
                }
                if own.binary_search(&u).is_ok() {
                    continue;
                }
                let user = UserId(u);
                if found.first.len() < few {
                    found.first.push(user);
                }
                if held(k, user) {
                    if found.held_first.len() < few {
                        found.held_first.push(user);
                    }
                } else if found.unheld_first.len() < few {
                    found.unheld_first.push(user);
                }
            }
            found
        };
        let mut sets: Vec<Option<Users>> = (0..count).map(|_| None).collect();
        let mut found: Vec<Option<Measured>> = vec![None; self.nesting.len()];
        // `components` comes sinks first: a component after every component it nests.
        for c in 0..count {
            // Edges into other components, against their sets.
            for &group in &components[c] {
                for &(edge, nested) in &out[group as usize] {
                    let d = component[nested as usize] as usize;
                    if d != c
                        && let Some(set) = &sets[d]
                    {
                        found[edge] = Some(measure(set, group));
                    }
                }
            }
            // This component's set, if a component nests it or it loops.
            if nested_by[c] > 0 || looped[c] {
                let largest = nests[c]
                    .iter()
                    .copied()
                    .filter(|&d| nested_by[d as usize] == 1)
                    .max_by_key(|&d| sets[d as usize].as_ref().map_or(0, |s| s.users.len()));
                let mut set = largest
                    .and_then(|d| sets[d as usize].take())
                    .unwrap_or_else(|| Users {
                        users: BTreeSet::new(),
                        held: vec![0; kinds],
                    });
                for &d in &nests[c] {
                    if let Some(other) = &sets[d as usize] {
                        for &u in &other.users {
                            insert(&mut set, u);
                        }
                    }
                }
                for &g in &components[c] {
                    for u in members(g) {
                        insert(&mut set, u);
                    }
                }
                sets[c] = Some(set);
            }
            for &d in &nests[c] {
                nested_by[d as usize] -= 1;
                if nested_by[d as usize] == 0 {
                    sets[d as usize] = None;
                }
            }
            // Edges inside this component's loop, against its own set.
            if looped[c] {
                for &group in &components[c] {
                    for &(edge, nested) in &out[group as usize] {
                        if nested != group
                            && component[nested as usize] as usize == c
                            && let Some(set) = &sets[c]
                        {
                            found[edge] = Some(measure(set, group));
                        }
                    }
                }
            }
        }
        self.nesting
            .iter()
            .zip(found)
            .filter_map(|(&(group, nested), found)| {
                let found = found?;
                Some(NestedOnly {
                    group: GroupId(group),
                    nested: GroupId(nested),
                    count: found.count,
                    first: found.first,
                    held: found.held,
                    held_first: found.held_first,
                    unheld_first: found.unheld_first,
                })
            })
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
    // Kosaraju's algorithm as petgraph writes it walks with an explicit stack; its Tarjan
    // recurses once per node of a path and overflows the stack on a long chain.
    kosaraju_scc(&graph)
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
/// (sorted): breadth-first from `to` until `from` comes round again, over the edges inside
/// `within` in the order of `edges`. Just `[from, to]` when no path leads back, which cannot
/// happen inside a cycle.
fn walk(edges: &[(u32, u32)], within: &[u32], from: u32, to: u32) -> Vec<u32> {
    if from == to {
        return vec![from, from];
    }
    let local = |id: u32| within.binary_search(&id).ok();
    let (Some(start), Some(goal)) = (local(to), local(from)) else {
        return vec![from, to];
    };
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); within.len()];
    for &(a, b) in edges {
        if let (Some(a), Some(b)) = (local(a), local(b)) {
            next[a].push(b);
        }
    }
    let mut parent: Vec<Option<usize>> = vec![None; within.len()];
    parent[start] = Some(start);
    let mut queue = VecDeque::from([start]);
    while let Some(current) = queue.pop_front() {
        if current == goal {
            break;
        }
        for &b in &next[current] {
            if parent[b].is_none() {
                parent[b] = Some(current);
                queue.push_back(b);
            }
        }
    }
    // Follow the parents back from `from` to `to`, then turn the path round.
    let mut back = vec![from];
    let mut current = goal;
    while current != start {
        match parent[current] {
            Some(previous) => {
                back.push(within[previous]);
                current = previous;
            }
            None => return vec![from, to],
        }
    }
    back.push(from);
    back.reverse();
    back
}

/// The strongly connected components of the graph of `nodes` nodes (ids `0..nodes`) made of
/// `edges`, sinks first: a component comes after every component it has an edge to. With the
/// component of each node.
fn components(nodes: usize, edges: &[(u32, u32)]) -> (Vec<Vec<u32>>, Vec<u32>) {
    let mut graph: DiGraph<(), (), u32> = DiGraph::with_capacity(nodes, edges.len());
    for _ in 0..nodes {
        graph.add_node(());
    }
    for &(from, to) in edges {
        graph.add_edge(
            NodeIndex::new(from as usize),
            NodeIndex::new(to as usize),
            (),
        );
    }
    // petgraph's Kosaraju returns the components in postorder, sinks first, and walks with an
    // explicit stack.
    let components: Vec<Vec<u32>> = kosaraju_scc(&graph)
        .into_iter()
        .map(|scc| {
            let mut ids: Vec<u32> = scc.into_iter().map(|n| n.index() as u32).collect();
            ids.sort_unstable();
            ids
        })
        .collect();
    let mut component = vec![0u32; nodes];
    for (c, ids) in components.iter().enumerate() {
        for &id in ids {
            component[id as usize] = c as u32;
        }
    }
    debug_assert!(
        edges
            .iter()
            .all(|&(from, to)| component[to as usize] <= component[from as usize]),
        "components come sinks first"
    );
    (components, component)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        reason = "a test fails loudly by design"
    )]

    use std::fmt::Write as _;

    use super::Graph;
    use crate::model::{GroupId, StepId, UserId};

    /// A small deterministic PRNG (splitmix64), to draw graphs with chains, diamonds and loops.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % n
        }
    }

    /// `first_upstream` agrees with sorting every step's ancestors, on random step graphs.
    #[test]
    fn first_upstream_is_the_first_of_each_steps_ancestors() {
        let mut loops = 0;
        for seed in 0..40 {
            let mut rng = Rng(seed);
            let n = 2 + rng.below(40) as usize;
            let mut text = String::from("apiVersion: cowork-policy/v1\nsteps:\n");
            for i in 0..n {
                let _ = writeln!(text, "  - name: s{i}");
                if rng.below(4) > 0 {
                    let _ = writeln!(text, "    date: 2025-01-{:02}", 1 + rng.below(5));
                }
                let after: Vec<String> = (0..rng.below(3))
                    .map(|_| {
                        // Mostly earlier steps; sometimes a later one, which may close a loop.
                        let to = if rng.below(6) == 0 {
                            rng.below(n as u64)
                        } else {
                            rng.below(i as u64 + 1)
                        };
                        format!("s{to}")
                    })
                    .collect();
                if !after.is_empty() {
                    let _ = writeln!(text, "    after: [{}]", after.join(", "));
                }
            }
            let policy = crate::load_sources([("p.yaml", text.as_str())]).unwrap();
            let graph = Graph::build(&policy);
            loops += usize::from(!graph.step_cycles().is_empty());
            let rank = |s: StepId| {
                let step = policy.step(s);
                step.date
                    .map(|d| (std::cmp::Reverse(d.value), step.name.as_str()))
            };
            let first = graph.first_upstream(3, rank);
            for s in policy.step_ids() {
                let mut all: Vec<StepId> = graph.step_ancestors(s);
                all.push(s);
                all.retain(|&a| rank(a).is_some());
                all.sort_by(|&a, &b| rank(a).cmp(&rank(b)).then(a.cmp(&b)));
                all.dedup();
                all.truncate(3);
                assert_eq!(first[s.index()], all, "seed {seed}, step {s:?}:\n{text}");
            }
        }
        assert!(loops > 5, "the draws must have loops too: {loops}");
    }

    /// `nested_only` agrees with walking from each nested group, on random nesting graphs.
    #[test]
    fn nested_only_counts_what_a_walk_from_each_nesting_finds() {
        for seed in 0..40 {
            let mut rng = Rng(seed);
            let n = 2 + rng.below(30) as usize;
            let mut text =
                String::from("apiVersion: cowork-policy/v1\norgs:\n  - name: acme\ngroups:\n");
            for i in 0..n {
                let _ = writeln!(text, "  - name: g{i}");
                let members: Vec<String> = (0..rng.below(5))
                    .map(|_| format!("u{}@acme.com", rng.below(12)))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let _ = writeln!(text, "    members: [{}]", members.join(", "));
                let nested: Vec<String> = (0..rng.below(3))
                    .map(|_| format!("g{}", rng.below(n as u64)))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                if !nested.is_empty() {
                    let _ = writeln!(text, "    memberGroups: [{}]", nested.join(", "));
                }
            }
            let policy = crate::load_sources([("p.yaml", text.as_str())]).unwrap();
            let graph = Graph::build(&policy);
            // An arbitrary split, to check that each side is counted and listed apart.
            let kind = |g: GroupId| (g.0 % 2) as usize;
            let held = |g: GroupId, u: UserId| (kind(g) + u.0 as usize).is_multiple_of(3);
            let found = graph.nested_only(3, 2, kind, |k, u| (k + u.0 as usize).is_multiple_of(3));
            let mut expected = Vec::new();
            for group in policy.group_ids() {
                for nested in &policy.group(group).member_groups {
                    let nested = nested.value;
                    if nested == group {
                        continue;
                    }
                    let own: Vec<UserId> = graph.direct_members(group).collect();
                    let mut reached: Vec<GroupId> = vec![nested];
                    reached.extend(graph.nested_groups(nested));
                    let mut users: Vec<UserId> = reached
                        .iter()
                        .flat_map(|&g| graph.direct_members(g))
                        .filter(|u| !own.contains(u))
                        .collect();
                    users.sort_unstable();
                    users.dedup();
                    let (kept, others): (Vec<UserId>, Vec<UserId>) =
                        users.iter().partition(|&&u| held(group, u));
                    expected.push((
                        group,
                        nested,
                        users.len(),
                        users[..users.len().min(3)].to_vec(),
                        kept.len(),
                        kept[..kept.len().min(3)].to_vec(),
                        others[..others.len().min(3)].to_vec(),
                    ));
                }
            }
            let found: Vec<_> = found
                .into_iter()
                .map(|f| {
                    (
                        f.group,
                        f.nested,
                        f.count,
                        f.first,
                        f.held,
                        f.held_first,
                        f.unheld_first,
                    )
                })
                .collect();
            assert_eq!(found, expected, "seed {seed}:\n{text}");
        }
    }
}
