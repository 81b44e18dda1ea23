use crate::diagnostic::Draft;
use crate::model::GroupId;
use crate::rules::Context;

declare_rule! {
    /// ## What it flags
    ///
    /// Groups that contain each other through `memberGroups`, directly or through a chain
    /// (`a` nests `b`, `b` nests `a`), and a group that nests itself.
    ///
    /// ## Why it matters
    ///
    /// Nesting does not sync at all ("Nested IdP groups are not supported; only direct members
    /// sync"), and a cycle is the clearest sign that the group structure was copied from a
    /// directory that Claude will not read. SCIM 2.0 allows such groups (RFC 7644 shows two
    /// groups that contain each other), so importers and admins meet them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: sales
    ///     members: [ana@acme.com]
    ///     memberGroups: [sales-emea]
    ///   - name: sales-emea
    ///     members: [bo@acme.com]
    ///     memberGroups: [sales]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: sales
    ///     members: [ana@acme.com, bo@acme.com]
    ///   - name: sales-emea
    ///     members: [bo@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "IDP002",
        name: "group-cycle",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for cycle in cx.graph.group_cycles() {
        let chain = chain_through(cx, &cycle);
        let names: Vec<String> = chain
            .iter()
            .map(|&g| format!("`{}`", policy.group(g).name.value))
            .collect();
        let message = if cycle.len() == 1 {
            format!("group {} nests itself", names[0])
        } else {
            format!("groups contain each other: {}", names.join(" → "))
        };
        let edges: Vec<_> = chain
            .windows(2)
            .filter_map(|pair| Some((pair[0], pair[1], cx.graph.nesting_span(pair[0], pair[1])?)))
            .collect();
        let Some(&(_, first_to, first_span)) = edges.first() else {
            continue;
        };
        let mut draft = Draft::new(&RULE, first_span, message)
            .label(format!("nests `{}`", policy.group(first_to).name.value))
            .help("nesting does not sync: list users directly in each group and remove the `memberGroups` that close the loop");
        for &(from, to, span) in &edges[1..] {
            draft = draft.related(
                span,
                format!(
                    "`{}` nests `{}` here",
                    policy.group(from).name.value,
                    policy.group(to).name.value
                ),
            );
        }
        out.push(draft);
    }
}

/// A closed walk through the cycle from its first group back to it: `[a, b, a]`.
fn chain_through(cx: &Context<'_>, cycle: &[GroupId]) -> Vec<GroupId> {
    let start = cycle[0];
    // Depth-first search inside the cycle's groups for a path back to `start`.
    let mut path = vec![start];
    let mut visited = vec![start];
    while let Some(&current) = path.last() {
        let next = cx
            .policy
            .group(current)
            .member_groups
            .iter()
            .map(|g| g.value)
            .filter(|g| cycle.binary_search(g).is_ok())
            .find(|g| *g == start || !visited.contains(g));
        match next {
            Some(g) if g == start => {
                path.push(start);
                return path;
            }
            Some(g) => {
                visited.push(g);
                path.push(g);
            }
            None => {
                path.pop();
            }
        }
    }
    vec![start, start]
}
