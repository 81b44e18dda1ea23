//! Graphviz DOT: a [`Diagram`] as a `digraph`, for `dot -Tsvg` or any Graphviz viewer.
//!
//! Steps are filled by state (done green, in progress amber, pending grey, skipped white with a
//! dashed border); a violated prerequisite is a bold red edge; a nesting edge is dashed. Node
//! ids are the diagram's own ids, quoted, so the output reads like the policy. Nodes and edges
//! come out sorted, so the same diagram always gives the same text.

use crate::diagram::{Diagram, DiagramEdge, DiagramNode, EdgeKind, NodeKind, StepState};

/// Render a diagram as Graphviz DOT.
pub fn to_dot(diagram: &Diagram) -> String {
    let mut nodes: Vec<&DiagramNode> = diagram.nodes.iter().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut edges: Vec<&DiagramEdge> = diagram.edges.iter().collect();
    edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));

    let mut out = String::from("digraph {\n");
    out.push_str("  rankdir=LR;\n");
    // Lay unconnected parts (groups with no role, limit or nesting) out in a grid, not a column.
    out.push_str("  pack=true;\n  packmode=\"array_u3\";\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#616161\"];\n");
    for node in nodes {
        let (shape, style, fill, stroke) = node_style(node);
        out.push_str(&format!(
            "  {} [label={}, shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{stroke}\"];\n",
            quote(&node.id),
            quote(&node.label)
        ));
    }
    for edge in edges {
        let mut attributes: Vec<String> = Vec::new();
        if let Some(label) = &edge.label {
            attributes.push(format!("label={}", quote(label)));
        }
        if edge.violated {
            attributes.push(
                "color=\"#d32f2f\", fontcolor=\"#d32f2f\", penwidth=2.5, style=bold".to_string(),
            );
        } else if edge.kind == EdgeKind::Nests {
            attributes.push("style=dashed, color=\"#c62828\", fontcolor=\"#c62828\"".to_string());
        }
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        out.push_str(&format!(
            "  {} -> {}{attributes};\n",
            quote(&edge.from),
            quote(&edge.to)
        ));
    }
    out.push_str("}\n");
    out
}

/// Shape, style, fill and border colour of a node.
fn node_style(node: &DiagramNode) -> (&'static str, &'static str, &'static str, &'static str) {
    match (node.kind, node.state) {
        (NodeKind::Step | NodeKind::CustomStep, state) => {
            let shape = if node.kind == NodeKind::CustomStep {
                "note"
            } else {
                "box"
            };
            match state {
                Some(StepState::Done) => (shape, "rounded,filled", "#c8e6c9", "#2e7d32"),
                Some(StepState::InProgress) => (shape, "rounded,filled", "#ffe0a3", "#b26a00"),
                Some(StepState::Skipped) => (shape, "rounded,filled,dashed", "#ffffff", "#757575"),
                _ => (shape, "rounded,filled", "#eeeeee", "#9e9e9e"),
            }
        }
        (NodeKind::Group, _) => ("box", "rounded,filled", "#e3f2fd", "#1565c0"),
        (NodeKind::Role, _) => ("ellipse", "filled", "#ede7f6", "#5e35b1"),
        (NodeKind::Limit, _) => ("hexagon", "filled", "#fff8e1", "#8d6e63"),
    }
}

/// A DOT quoted string: backslashes and quotes escaped, line breaks as `\n` (centred lines).
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(super::sanitize::shown(c)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_backslashes_and_line_breaks() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quote("a\\nb"), "\"a\\\\nb\"");
        assert_eq!(quote("one\r\ntwo"), "\"one\\ntwo\"");
        // Other control characters are shown, as in every text output.
        assert_eq!(quote("a\u{1b}[31m\u{202e}"), "\"a␛[31m�\"");
    }
}
