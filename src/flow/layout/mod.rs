//! Layered layout of a flow graph: sizes every node from its text, runs the layering steps
//! on each connected component, packs the components side by side and turns the result to
//! the graph's direction; the output is geometry only, no SVG.

mod geom;
mod loops;
mod order;
pub(crate) mod outline;
mod place;
mod rank;
mod route;

pub(crate) use self::geom::{Path, Point, Rect, Seg, pt};

use super::text::{self, Wrapped};
use crate::model::flow::{Direction, Graph};

/// Empty space around the drawing, so strokes at the edge are not clipped.
pub(crate) const MARGIN: f64 = 8.0;
/// Space between two disconnected parts of a graph.
const COMPONENT_GAP: f64 = 40.0;
/// The widest an edge label line may be.
const EDGE_LABEL_WIDTH: f64 = 132.0;
/// Padding inside an edge label's background.
const LABEL_PAD_X: f64 = 6.0;
const LABEL_PAD_Y: f64 = 3.0;

/// A laid-out graph in diagram coordinates (CSS pixels, y down, origin top left).
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub width: f64,
    pub height: f64,
    /// Bounding box of each node, indexed like `Graph::nodes`.
    pub nodes: Vec<Rect>,
    /// Each node's label, wrapped to fit its box.
    pub node_text: Vec<Wrapped>,
    /// Every drawable edge, in edge order.
    pub edges: Vec<EdgeDraw>,
    /// The box of each subgraph, indexed like `Graph::subgraphs`.
    pub clusters: Vec<Rect>,
}

/// Room between a subgraph's box and the nodes inside it.
const CLUSTER_PAD: f64 = 10.0;
/// Extra room at the top of a subgraph's box for its title.
const CLUSTER_TITLE: f64 = 22.0;
/// The title's baseline below the box's top.
pub(crate) const CLUSTER_TITLE_BASELINE: f64 = 18.0;

/// How one edge is drawn.
#[derive(Debug, Clone)]
pub(crate) struct EdgeDraw {
    /// Index into `Graph::edges`.
    pub edge: usize,
    /// The line, from the source's outline to the target's.
    pub path: Path,
    /// The label's background box and wrapped text.
    pub label: Option<(Rect, Wrapped)>,
    pub kind: RouteKind,
}

/// Which routing an edge got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RouteKind {
    /// Along the flow, through the layers.
    Forward,
    /// Closing a cycle: against the flow, around the outer side.
    Back,
    /// From a node to itself.
    SelfLoop,
}

/// A size in rank space: (across the layer, along the flow).
pub(super) type Span = (f64, f64);

/// Every size the layering needs, in rank space.
pub(super) struct Sizes {
    pub node: Vec<Span>,
    pub node_text: Vec<Wrapped>,
    pub label: Vec<Option<Span>>,
    pub label_text: Vec<Option<Wrapped>>,
    /// Room beside a node for its self-loops and their labels.
    pub loop_room: Vec<f64>,
    pub horizontal: bool,
}

impl Sizes {
    /// A real (width, height) as a rank-space span.
    fn span(&self, (w, h): (f64, f64)) -> Span {
        if self.horizontal { (h, w) } else { (w, h) }
    }
}

fn measure(graph: &Graph) -> Sizes {
    let mut sizes = Sizes {
        node: Vec::new(),
        node_text: Vec::new(),
        label: Vec::new(),
        label_text: Vec::new(),
        loop_room: Vec::new(),
        horizontal: graph.direction.is_horizontal(),
    };
    let degree = busiest_side(graph);
    for (v, node) in graph.nodes.iter().enumerate() {
        let text = outline::wrap_label(node.shape, &node.label, sizes.horizontal);
        let size = outline::node_size(node.shape, &text, sizes.horizontal);
        let span = outline::room_for_ports(node.shape, sizes.span(size), degree[v]);
        sizes.node.push(span);
        sizes.node_text.push(text);
    }
    for edge in &graph.edges {
        let text = edge.label.as_deref().map(|l| text::wrap(l, EDGE_LABEL_WIDTH));
        let size = text.as_ref().map(|t| {
            let w = (t.width + 2.0 * LABEL_PAD_X).ceil();
            sizes.span((w, (t.height() + 2.0 * LABEL_PAD_Y).ceil()))
        });
        sizes.label.push(size);
        sizes.label_text.push(text);
    }
    sizes.loop_room = loops::loop_room(graph, &sizes);
    sizes
}

/// The most edges that may meet one side of each node: its in- or out-degree.
fn busiest_side(graph: &Graph) -> Vec<usize> {
    let n = graph.nodes.len();
    let (mut ins, mut outs) = (vec![0usize; n], vec![0usize; n]);
    for e in graph.edges.iter().filter(|e| e.from != e.to && e.from < n && e.to < n) {
        outs[e.from] += 1;
        ins[e.to] += 1;
    }
    ins.iter().zip(&outs).map(|(&i, &o)| i.max(o)).collect()
}

/// Lays out `graph`. Edges that name missing nodes are skipped rather than trusted.
pub(crate) fn layout(graph: &Graph) -> Layout {
    let sizes = measure(graph);
    let ranking = rank::rank(graph);
    let mut nodes = vec![Rect { cx: 0.0, cy: 0.0, w: 0.0, h: 0.0 }; graph.nodes.len()];
    let mut edges = Vec::new();
    let (mut across, mut along) = (0.0f64, 0.0f64);
    for comp in &ranking.components {
        let l = order::build(graph, &ranking, comp, &sizes);
        let p = place::place(&l);
        let shift = |q: Point| pt(q.x + across, q.y);
        for (&v, &item) in &l.node_item {
            let (b, d) = sizes.node[v];
            nodes[v] = Rect { cx: p.x[item] + across, cy: p.mid(l.items[item].rank), w: b, h: d };
        }
        for mut e in route::route(graph, &l, &p, &sizes).into_iter().chain(loops::self_loops(graph, &l, &p, &sizes)) {
            e.path = e.path.map(shift);
            if let Some((r, _)) = &mut e.label {
                r.cx += across;
            }
            edges.push(e);
        }
        across += p.width + COMPONENT_GAP;
        along = along.max(p.height);
    }
    across = (across - COMPONENT_GAP).max(0.0);
    edges.sort_by_key(|e| e.edge);
    let mut out = Layout { width: 0.0, height: 0.0, nodes, node_text: sizes.node_text, edges, clusters: Vec::new() };
    orient(&mut out, graph.direction, across, along);
    clusters(graph, &mut out);
    out
}

/// Boxes around each subgraph's nodes (and nested boxes), innermost first, then edges
/// written to or from a subgraph cut at its box; the drawing grows to hold the boxes.
fn clusters(graph: &Graph, l: &mut Layout) {
    let mut boxes: Vec<Option<Rect>> = vec![None; graph.subgraphs.len()];
    for i in (0..graph.subgraphs.len()).rev() {
        let sg = &graph.subgraphs[i];
        let mut rects: Vec<Rect> = sg.nodes.iter().filter_map(|&v| l.nodes.get(v).copied()).collect();
        rects.extend(graph.subgraphs.iter().zip(&boxes).filter(|(c, _)| c.parent == Some(i)).filter_map(|(_, b)| *b));
        let Some(first) = rects.first() else { continue };
        let (mut x0, mut y0, mut x1, mut y1) = (first.left(), first.top(), first.right(), first.bottom());
        for r in &rects {
            (x0, y0, x1, y1) = (x0.min(r.left()), y0.min(r.top()), x1.max(r.right()), y1.max(r.bottom()));
        }
        let title_w = if sg.title.is_empty() { 0.0 } else { text::width(&text::one_line(&sg.title)) + 2.0 * CLUSTER_PAD };
        let (x0, x1) = (x0 - CLUSTER_PAD, x1 + CLUSTER_PAD);
        let grow = ((title_w - (x1 - x0)) / 2.0).max(0.0);
        let top = y0 - CLUSTER_PAD - if sg.title.is_empty() { 0.0 } else { CLUSTER_TITLE };
        let (x0, x1, y1) = (x0 - grow, x1 + grow, y1 + CLUSTER_PAD);
        boxes[i] = Some(Rect { cx: (x0 + x1) / 2.0, cy: (top + y1) / 2.0, w: x1 - x0, h: y1 - top });
    }
    l.clusters = boxes.into_iter().map(|b| b.unwrap_or(Rect { cx: 0.0, cy: 0.0, w: 0.0, h: 0.0 })).collect();
    for d in &mut l.edges {
        let Some(edge) = graph.edges.get(d.edge) else { continue };
        if let Some(r) = edge.to_box.and_then(|b| l.clusters.get(b)) {
            d.path = d.path.until_inside(r);
        }
        if let Some(r) = edge.from_box.and_then(|b| l.clusters.get(b)) {
            d.path = d.path.reversed().until_inside(r).reversed();
        }
    }
    // Boxes may reach past the margin: shift everything so the drawing starts at the margin.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (MARGIN, MARGIN, l.width - MARGIN, l.height - MARGIN);
    for r in &l.clusters {
        (min_x, min_y, max_x, max_y) = (min_x.min(r.left()), min_y.min(r.top()), max_x.max(r.right()), max_y.max(r.bottom()));
    }
    let (dx, dy) = (MARGIN - min_x, MARGIN - min_y);
    if dx > 0.0 || dy > 0.0 {
        let f = |q: Point| pt(q.x + dx, q.y + dy);
        let shift = |r: &mut Rect| {
            r.cx += dx;
            r.cy += dy;
        };
        l.nodes.iter_mut().chain(l.clusters.iter_mut()).for_each(shift);
        for e in &mut l.edges {
            e.path = e.path.map(f);
            if let Some((r, _)) = &mut e.label {
                shift(r);
            }
        }
    }
    l.width = max_x + dx + MARGIN;
    l.height = max_y + dy + MARGIN;
}

/// Turns rank space (ranks running down, size `across` × `along`) into the graph's
/// direction, adding the margin.
fn orient(l: &mut Layout, dir: Direction, across: f64, along: f64) {
    let f = |q: Point| {
        let p = match dir {
            Direction::TopDown => q,
            Direction::BottomUp => pt(q.x, along - q.y),
            Direction::LeftRight => pt(q.y, q.x),
            Direction::RightLeft => pt(along - q.y, q.x),
        };
        pt(p.x + MARGIN, p.y + MARGIN)
    };
    let turn = |r: &mut Rect| {
        let c = f(pt(r.cx, r.cy));
        let (w, h) = if dir.is_horizontal() { (r.h, r.w) } else { (r.w, r.h) };
        *r = Rect { cx: c.x, cy: c.y, w, h };
    };
    for r in &mut l.nodes {
        turn(r);
    }
    for e in &mut l.edges {
        e.path = e.path.map(f);
        if let Some((r, _)) = &mut e.label {
            turn(r);
        }
    }
    let (w, h) = if dir.is_horizontal() { (along, across) } else { (across, along) };
    l.width = w + 2.0 * MARGIN;
    l.height = h + 2.0 * MARGIN;
}
