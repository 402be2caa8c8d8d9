//! Self-loops: an edge from a node to itself is drawn as a loop on the node's outer side,
//! in room the coordinate step keeps free for it; this module sizes that room and draws
//! the loops.

use super::geom::{Path, Rect, Seg, pt};
use super::order::Layered;
use super::outline;
use super::place::Placed;
use super::{EdgeDraw, RouteKind, Sizes};
use crate::model::flow::Graph;

/// How far the first loop reaches out from the node, and how much further each next one.
const REACH: f64 = 36.0;
const REACH_STEP: f64 = 14.0;
/// Gap between the outermost loop and its labels.
const LABEL_GAP: f64 = 6.0;
/// Gap between stacked labels.
const LABEL_STACK_GAP: f64 = 4.0;

/// The self-loop edges of each node, in edge order.
fn loops_by_node(graph: &Graph) -> Vec<Vec<usize>> {
    let mut by_node = vec![Vec::new(); graph.nodes.len()];
    for (i, e) in graph.edges.iter().enumerate() {
        if e.from == e.to && e.from < graph.nodes.len() {
            by_node[e.from].push(i);
        }
    }
    by_node
}

/// A cubic loop whose control points stand `reach` out reaches 3/4 of that far.
fn drawn_reach(count: usize) -> f64 {
    0.75 * (REACH + REACH_STEP * count.saturating_sub(1) as f64)
}

/// Room to keep free beside each node for its loops and their labels.
pub(super) fn loop_room(graph: &Graph, sizes: &Sizes) -> Vec<f64> {
    loops_by_node(graph)
        .iter()
        .map(|loops| {
            if loops.is_empty() {
                return 0.0;
            }
            let label = loops.iter().filter_map(|&e| sizes.label[e]).map(|(b, _)| b).fold(0.0, f64::max);
            drawn_reach(loops.len()) + if label > 0.0 { LABEL_GAP + label } else { 0.0 } + 2.0
        })
        .collect()
}

/// Draws the self-loops of a component's nodes.
pub(super) fn self_loops(graph: &Graph, l: &Layered, p: &Placed, sizes: &Sizes) -> Vec<EdgeDraw> {
    let by_node = loops_by_node(graph);
    let mut out = Vec::new();
    for (&v, &item) in &l.node_item {
        let loops = &by_node[v];
        if loops.is_empty() {
            continue;
        }
        let Some(node) = graph.nodes.get(v) else {
            continue;
        };
        let it = &l.items[item];
        let (cx, cy, b, d) = (p.x[item], p.mid(it.rank), it.breadth, it.depth);
        let right = cx + b / 2.0;
        let labels: Vec<f64> = loops.iter().filter_map(|&e| sizes.label[e]).map(|(_, depth)| depth).collect();
        let stack = labels.iter().sum::<f64>() + LABEL_STACK_GAP * labels.len().saturating_sub(1) as f64;
        let mut label_y = cy - stack / 2.0;
        let label_x = right + drawn_reach(loops.len()) + LABEL_GAP;
        let reach_on_side = outline::port_reach(node.shape, d, b).max(2.0);
        for (k, &e) in loops.iter().enumerate() {
            let reach = REACH + REACH_STEP * k as f64;
            let q = (11.0 + 3.0 * k as f64).min(reach_on_side);
            let inset = outline::inset(node.shape, d, b, q);
            let (from, to) = (pt(right - inset, cy - q), pt(right - inset, cy + q));
            let mut path = Path::new(from);
            path.segs.push(Seg::Cubic(pt(right + reach, cy - q - 6.0), pt(right + reach, cy + q + 6.0), to));
            let label = match (sizes.label[e], sizes.label_text.get(e).cloned().flatten()) {
                (Some((lb, ld)), Some(text)) => {
                    let rect = Rect { cx: label_x + lb / 2.0, cy: label_y + ld / 2.0, w: lb, h: ld };
                    label_y += ld + LABEL_STACK_GAP;
                    Some((rect, text))
                }
                _ => None,
            };
            out.push(EdgeDraw { edge: e, path, label, kind: RouteKind::SelfLoop });
        }
    }
    out
}
