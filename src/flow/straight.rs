//! The straight form of a flow block: one node per line, top to bottom, the first and last
//! drawn as start and end; no syntax inside a line is interpreted.

use super::{FlowError, significant_lines};
use crate::model::flow::{Direction, Edge, Graph, MAX_NODES, Node, Shape};

/// Parses a straight flow; the body is known to have at least one significant line.
pub(super) fn parse(body: &str) -> Result<Graph, Vec<FlowError>> {
    let mut nodes: Vec<Node> = Vec::new();
    for (offset, line) in significant_lines(body) {
        let lead = line.len() - line.trim_start().len();
        let text = line.trim();
        let start = offset + lead;
        let span = start..start + text.len();
        if nodes.len() == MAX_NODES {
            return Err(vec![too_many_nodes(span)]);
        }
        let mut node = Node::named(&format!("n{}", nodes.len() + 1), span);
        node.label = text.to_string();
        node.declared = true;
        nodes.push(node);
    }
    let last = nodes.len().saturating_sub(1);
    for i in [0, last] {
        if let Some(node) = nodes.get_mut(i) {
            node.shape = Shape::Stadium;
        }
    }
    let edges = nodes.windows(2).enumerate().map(|(i, pair)| Edge::arrow(i, i + 1, pair[1].span.clone())).collect();
    Ok(Graph::new(Direction::TopDown, nodes, edges))
}

/// The error for the node that goes past [`MAX_NODES`], pointing at its first mention.
pub(super) fn too_many_nodes(span: std::ops::Range<usize>) -> FlowError {
    FlowError::new(span, format!("the diagram has more than {MAX_NODES} nodes"), "split it into several smaller diagrams")
}
