use crate::diagnostic::{RELATED_SHOWN, loop_names};
use crate::rules::Context;
use crate::rules::Draft;

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
        // Start from the cycle's first group and its first nesting that stays in the cycle.
        let from = cycle[0];
        let Some(to) = policy
            .group(from)
            .member_groups
            .iter()
            .map(|g| g.value)
            .find(|g| cycle.binary_search(g).is_ok())
        else {
            continue;
        };
        let chain = cx.graph.group_walk(&cycle, from, to);
        let names: Vec<&str> = chain
            .iter()
            .map(|&g| policy.group(g).name.value.as_str())
            .collect();
        let message = if cycle.len() == 1 {
            format!("group `{}` nests itself", names[0])
        } else {
            format!("groups contain each other: {}", loop_names(&names, "group"))
        };
        // The first nesting, and the next few as related locations: a long loop names the rest
        // by count in the message.
        let edges: Vec<_> = chain
            .windows(2)
            .filter_map(|pair| Some((pair[0], pair[1], cx.graph.nesting_span(pair[0], pair[1])?)))
            .take(1 + RELATED_SHOWN)
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
