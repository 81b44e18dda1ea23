//! Mermaid: a [`Diagram`] as a `flowchart`, which GitHub and GitLab draw inside a ```` ```mermaid ````
//! block of Markdown, such as a pull-request summary.
//!
//! Node ids are `n0`, `n1`, ... in the order of the diagram's sorted ids, so no name can clash
//! with Mermaid's keywords (`end`, `graph`) or syntax. Labels are quoted (`n0["label"]`) with
//! Mermaid's entity codes for the characters that would end or change them: `"` as `#quot;`, `#`
//! as `#35;`, `<`, `>` and `&` as `#lt;`, `#gt;` and `#amp;`, and a backtick as `#96;`; line
//! breaks become `<br/>`. Colours and dashes match [`super::to_dot`]: by state for steps, bold
//! red for violated edges, dashed for nesting.

use crate::diagram::{Diagram, DiagramEdge, DiagramNode, EdgeKind, NodeKind, StepState};

/// Render a diagram as a Mermaid flowchart (without the surrounding ```` ```mermaid ```` fence).
pub fn to_mermaid(diagram: &Diagram) -> String {
    let mut nodes: Vec<&DiagramNode> = diagram.nodes.iter().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut edges: Vec<&DiagramEdge> = diagram.edges.iter().collect();
    edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    let short = |id: &str| {
        nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .map(|i| format!("n{i}"))
    };

    let mut out = String::from("flowchart LR\n");
    for (i, node) in nodes.iter().enumerate() {
        let label = escape(&node.label);
        let shape = match node.kind {
            NodeKind::Role => format!("([\"{label}\"])"),
            NodeKind::Limit => format!("{{{{\"{label}\"}}}}"),
            NodeKind::CustomStep => format!("[/\"{label}\"/]"),
            NodeKind::Step | NodeKind::Group => format!("[\"{label}\"]"),
        };
        out.push_str(&format!("  n{i}{shape}:::{}\n", class(node)));
    }
    let mut red: Vec<usize> = Vec::new();
    let mut dashed: Vec<usize> = Vec::new();
    let mut index = 0;
    for edge in edges {
        // An edge to a node the diagram does not have cannot be drawn; the builders never make one.
        let (Ok(from), Ok(to)) = (short(&edge.from), short(&edge.to)) else {
            continue;
        };
        let arrow = if edge.violated {
            "==>"
        } else if edge.kind == EdgeKind::Nests {
            "-.->"
        } else {
            "-->"
        };
        let label = edge
            .label
            .as_ref()
            .map(|l| format!("|\"{}\"|", escape(l)))
            .unwrap_or_default();
        out.push_str(&format!("  {from} {arrow}{label} {to}\n"));
        if edge.violated {
            red.push(index);
        } else if edge.kind == EdgeKind::Nests {
            dashed.push(index);
        }
        index += 1;
    }
    for (class, style) in CLASSES {
        out.push_str(&format!("  classDef {class} {style}\n"));
    }
    let list = |indices: &[usize]| {
        indices
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    if !red.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} stroke:#d32f2f,stroke-width:3px,color:#d32f2f\n",
            list(&red)
        ));
    }
    if !dashed.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} stroke:#c62828,color:#c62828\n",
            list(&dashed)
        ));
    }
    out
}

/// The class of each kind of node, and its style: the colours of [`super::to_dot`].
const CLASSES: [(&str, &str); 7] = [
    ("done", "fill:#c8e6c9,stroke:#2e7d32,color:#000"),
    ("inProgress", "fill:#ffe0a3,stroke:#b26a00,color:#000"),
    ("pending", "fill:#eeeeee,stroke:#9e9e9e,color:#000"),
    (
        "skipped",
        "fill:#ffffff,stroke:#757575,stroke-dasharray:5 5,color:#000",
    ),
    ("group", "fill:#e3f2fd,stroke:#1565c0,color:#000"),
    ("role", "fill:#ede7f6,stroke:#5e35b1,color:#000"),
    ("limit", "fill:#fff8e1,stroke:#8d6e63,color:#000"),
];

fn class(node: &DiagramNode) -> &'static str {
    match (node.kind, node.state) {
        (NodeKind::Group, _) => "group",
        (NodeKind::Role, _) => "role",
        (NodeKind::Limit, _) => "limit",
        (_, Some(StepState::Done)) => "done",
        (_, Some(StepState::InProgress)) => "inProgress",
        (_, Some(StepState::Skipped)) => "skipped",
        _ => "pending",
    }
}

/// A label for inside Mermaid's double quotes, with entity codes for what would break it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c => out.push(super::sanitize::shown(c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_would_end_or_change_a_label() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("say \"hi\""), "say #quot;hi#quot;");
        assert_eq!(escape("#1 <b> & `x`"), "#35;1 #lt;b#gt; #amp; #96;x#96;");
        assert_eq!(escape("one\r\ntwo"), "one<br/>two");
        // Other control characters are shown, as in every text output.
        assert_eq!(escape("a\u{1b}[31m\u{202e}"), "a␛[31m�");
    }
}
