//! Tests of the whole flow module: parser diagnostics, layout quality checked geometrically,
//! determinism, and odd inputs that must not panic.

mod corpus;
mod fuzz;
mod parse;
mod quality;
mod render;

use super::layout::{Layout, Point, Rect, RouteKind, layout};
use super::{Graph, parse};

/// Parses `src`, failing the test with the diagnostics when it does not parse.
fn graph(src: &str) -> Graph {
    match parse(src) {
        Ok(g) => g,
        Err(errors) => panic!("{src:?} did not parse: {errors:#?}"),
    }
}

/// Lays out `g` and checks every geometric promise the diagram makes; returns the layout
/// for further checks. `name` identifies the graph in failure messages.
fn check_layout(name: &str, g: &Graph) -> Layout {
    let l = layout(g);
    check_bounds(name, &l);
    check_nodes_apart(name, g, &l);
    check_text_fits(name, g, &l);
    check_labels(name, g, &l);
    check_edges_avoid_boxes(name, g, &l);
    check_edge_ends(name, g, &l);
    check_no_shared_runs(name, &l);
    l
}

fn check_bounds(name: &str, l: &Layout) {
    let inside = |p: Point| p.x >= -0.01 && p.y >= -0.01 && p.x <= l.width + 0.01 && p.y <= l.height + 0.01;
    let rect_inside = |r: &Rect| inside(Point { x: r.left(), y: r.top() }) && inside(Point { x: r.right(), y: r.bottom() });
    for (i, r) in l.nodes.iter().enumerate() {
        assert!(rect_inside(r), "{name}: node {i} {r:?} leaves the {}×{} view box", l.width, l.height);
    }
    for e in &l.edges {
        for p in e.path.flatten() {
            assert!(inside(p), "{name}: edge {} point {p:?} leaves the view box", e.edge);
        }
        if let Some((r, _)) = &e.label {
            assert!(rect_inside(r), "{name}: label of edge {} leaves the view box", e.edge);
        }
    }
}

fn check_nodes_apart(name: &str, g: &Graph, l: &Layout) {
    for i in 0..l.nodes.len() {
        for j in i + 1..l.nodes.len() {
            assert!(
                !l.nodes[i].inflate(4.0).overlaps(&l.nodes[j].inflate(4.0)),
                "{name}: nodes `{}` and `{}` are closer than 8px: {:?} {:?}",
                g.nodes[i].id,
                g.nodes[j].id,
                l.nodes[i],
                l.nodes[j]
            );
        }
    }
}

fn check_text_fits(name: &str, g: &Graph, l: &Layout) {
    use crate::model::flow::Shape;
    for (i, (r, t)) in l.nodes.iter().zip(&l.node_text).enumerate() {
        let (tw, th) = (t.width, t.height());
        let fits = match g.nodes[i].shape {
            Shape::Decision => tw / r.w + th / r.h <= 1.0 + 1e-9,
            Shape::Circle => tw.hypot(th) <= r.w + 1e-9,
            _ => tw + 16.0 <= r.w && th + 8.0 <= r.h,
        };
        assert!(fits, "{name}: the label of `{}` ({tw}×{th}) does not fit its box {r:?}", g.nodes[i].id);
    }
}

fn check_labels(name: &str, g: &Graph, l: &Layout) {
    let labels: Vec<(usize, &Rect)> = l.edges.iter().filter_map(|e| e.label.as_ref().map(|(r, _)| (e.edge, r))).collect();
    for (k, &(e, r)) in labels.iter().enumerate() {
        for (n, node) in l.nodes.iter().enumerate() {
            assert!(!r.overlaps(node), "{name}: the label of edge {e} overlaps node `{}`", g.nodes[n].id);
        }
        for &(e2, r2) in &labels[k + 1..] {
            assert!(!r.overlaps(r2), "{name}: the labels of edges {e} and {e2} overlap");
        }
        if let Some((_, text)) = l.edges.iter().find(|d| d.edge == e).and_then(|d| d.label.as_ref()) {
            assert!(text.width <= r.w && text.height() <= r.h, "{name}: the label of edge {e} is larger than its box");
        }
    }
}

/// No edge passes through a node it does not connect, nor through another edge's label.
fn check_edges_avoid_boxes(name: &str, g: &Graph, l: &Layout) {
    for e in &l.edges {
        let edge = &g.edges[e.edge];
        let pts = e.path.flatten();
        for (n, node) in l.nodes.iter().enumerate() {
            if n == edge.from || n == edge.to {
                continue;
            }
            let shrunk = node.inflate(-0.5);
            for w in pts.windows(2) {
                assert!(
                    !shrunk.hit_by_segment(w[0], w[1]),
                    "{name}: edge {} (`{}`→`{}`) crosses node `{}` between {:?} and {:?}",
                    e.edge,
                    g.nodes[edge.from].id,
                    g.nodes[edge.to].id,
                    g.nodes[n].id,
                    w[0],
                    w[1]
                );
            }
        }
        for other in l.edges.iter().filter(|o| o.edge != e.edge) {
            if let Some((r, _)) = &other.label {
                let shrunk = r.inflate(-0.5);
                for w in pts.windows(2) {
                    assert!(!shrunk.hit_by_segment(w[0], w[1]), "{name}: edge {} crosses the label of edge {}", e.edge, other.edge);
                }
            }
        }
    }
}

/// Edges written to or from a subgraph id whose end is not on the subgraph's box (the
/// layout does not yet keep other nodes out of a box, so the cut can miss).
fn box_ends_missed(g: &Graph, l: &Layout) -> usize {
    let on_outline = |r: &Rect, p: Point| r.inflate(1.0).contains(p) && !r.inflate(-1.0).contains(p);
    let missed = |b: Option<usize>, p: Point| b.and_then(|b| l.clusters.get(b)).is_some_and(|r| !on_outline(r, p));
    l.edges.iter().filter(|e| missed(g.edges[e.edge].from_box, e.path.start) || missed(g.edges[e.edge].to_box, e.path.end())).count()
}

/// Every edge starts on its source's box and ends on its target's box; an edge written to
/// or from a subgraph id is counted by [`box_ends_missed`] instead.
fn check_edge_ends(name: &str, g: &Graph, l: &Layout) {
    let on = |r: &Rect, p: Point| r.inflate(1.0).contains(p);
    for e in &l.edges {
        let edge = &g.edges[e.edge];
        if edge.from_box.is_none() {
            assert!(on(&l.nodes[edge.from], e.path.start), "{name}: edge {} does not start at its source", e.edge);
        }
        if edge.to_box.is_none() {
            assert!(on(&l.nodes[edge.to], e.path.end()), "{name}: edge {} does not end at its target", e.edge);
        }
        let outside = e.path.flatten().iter().any(|&p| !l.nodes[edge.from].inflate(1.0).contains(p));
        assert!(outside, "{name}: edge {} never leaves its source", e.edge);
    }
}

/// No two edges run along the same straight line for more than a few pixels, so every edge
/// (back edges in particular) can be followed on its own.
fn check_no_shared_runs(name: &str, l: &Layout) {
    let runs: Vec<(usize, Point, Point)> =
        l.edges.iter().flat_map(|e| e.path.flatten().windows(2).map(|w| (e.edge, w[0], w[1])).collect::<Vec<_>>()).collect();
    for (i, &(e1, a1, b1)) in runs.iter().enumerate() {
        for &(e2, a2, b2) in &runs[i + 1..] {
            if e1 == e2 {
                continue;
            }
            let vertical = (a1.x - b1.x).abs() < 0.01 && (a2.x - b2.x).abs() < 0.01 && (a1.x - a2.x).abs() < 1.0;
            let horizontal = (a1.y - b1.y).abs() < 0.01 && (a2.y - b2.y).abs() < 0.01 && (a1.y - a2.y).abs() < 1.0;
            let overlap = if vertical {
                overlap_len((a1.y, b1.y), (a2.y, b2.y))
            } else if horizontal {
                overlap_len((a1.x, b1.x), (a2.x, b2.x))
            } else {
                0.0
            };
            assert!(overlap <= 2.0, "{name}: edges {e1} and {e2} share a {overlap}px run near {a1:?}");
        }
    }
}

fn overlap_len(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (a0, a1) = (a.0.min(a.1), a.0.max(a.1));
    let (b0, b1) = (b.0.min(b.1), b.0.max(b.1));
    (a1.min(b1) - a0.max(b0)).max(0.0)
}

/// The kinds of route each edge got, in edge order.
fn kinds(l: &Layout) -> Vec<RouteKind> {
    l.edges.iter().map(|e| e.kind).collect()
}
