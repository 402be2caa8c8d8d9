//! Layering, step two: one item per node, edge bend, edge label and back-edge lane in each
//! rank, ordered within ranks to reduce crossings; sizes are read, positions are not made.

use std::collections::BTreeMap;

use super::rank::Ranking;
use super::{Sizes, Span};
use crate::model::flow::Graph;

/// What an item in a layer stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A graph node (index into `Graph::nodes`).
    Node(usize),
    /// A bend point of a long edge (edge index).
    Dummy(usize),
    /// The label box of an edge, on the edge's path.
    Label(usize),
    /// A point of a back edge's lane, kept at the outer side of every layer it crosses;
    /// carries the label box when the back edge has one.
    Lane(usize),
}

/// One element of a layer.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub kind: Kind,
    pub rank: usize,
    /// Size across the layer (along x in rank space).
    pub breadth: f64,
    /// Size along the flow.
    pub depth: f64,
    /// Room kept free on the outer side, for self-loops.
    pub right_extra: f64,
}

impl Item {
    /// True for items drawn as boxes that nothing else may cross.
    pub fn is_box(&self) -> bool {
        matches!(self.kind, Kind::Node(_) | Kind::Label(_)) || self.breadth > 0.0
    }
}

/// The items of one edge between its two end nodes, top to bottom in rank space.
#[derive(Debug, Clone)]
pub(super) struct Chain {
    pub edge: usize,
    pub top: usize,
    pub bottom: usize,
    pub inner: Vec<usize>,
    /// True for a back edge: drawn from `bottom` up to `top`, along a lane.
    pub back: bool,
}

/// A component as ordered layers.
#[derive(Debug, Clone, Default)]
pub(super) struct Layered {
    pub items: Vec<Item>,
    pub layers: Vec<Vec<usize>>,
    pub node_item: BTreeMap<usize, usize>,
    pub chains: Vec<Chain>,
    /// Item pairs (upper, lower) in adjacent ranks, counted as crossings when they cross.
    pub order_links: Vec<(usize, usize)>,
    /// Item pairs pulled into line by the coordinate step, with their weight.
    pub place_links: Vec<(usize, usize, f64)>,
}

/// How strongly an edge piece is kept straight: long edges and lanes more than short ones.
fn weight(a: Kind, b: Kind) -> f64 {
    match (matches!(a, Kind::Node(_)), matches!(b, Kind::Node(_))) {
        (true, true) => 1.0,
        (false, false) => 8.0,
        _ => 2.0,
    }
}

impl Layered {
    fn add(&mut self, kind: Kind, rank: usize, (breadth, depth): Span) -> usize {
        self.items.push(Item { kind, rank, breadth, depth, right_extra: 0.0 });
        self.items.len() - 1
    }

    fn link(&mut self, a: usize, b: usize, ordered: bool, placed: bool) {
        if ordered {
            self.order_links.push((a, b));
        }
        if placed {
            let w = weight(self.items[a].kind, self.items[b].kind);
            self.place_links.push((a, b, w));
        }
    }
}

/// Builds the layered graph of one component and orders it.
pub(super) fn build(graph: &Graph, ranking: &Ranking, comp: &[usize], sizes: &Sizes) -> Layered {
    let mut l = Layered::default();
    for &v in comp {
        let item = l.add(Kind::Node(v), ranking.rank[v], sizes.node[v]);
        l.items[item].right_extra = sizes.loop_room[v];
        l.node_item.insert(v, item);
    }
    for (e, edge) in graph.edges.iter().enumerate() {
        let (Some(&a), Some(&b)) = (l.node_item.get(&edge.from), l.node_item.get(&edge.to)) else {
            continue;
        };
        if !ranking.ranked[e] {
            continue;
        }
        if ranking.reversed[e] { back_chain(&mut l, e, b, a, sizes) } else { forward_chain(&mut l, e, a, b, sizes) }
    }
    let ranks = l.items.iter().map(|i| i.rank + 1).max().unwrap_or(0);
    l.layers = vec![Vec::new(); ranks];
    initial_order(&mut l);
    reduce_crossings(&mut l);
    l
}

fn forward_chain(l: &mut Layered, e: usize, top: usize, bottom: usize, sizes: &Sizes) {
    let (ra, rb) = (l.items[top].rank, l.items[bottom].rank);
    let mut inner = Vec::new();
    let mut prev = top;
    for r in ra + 1..rb {
        // The label sits right below the source, where a reader looks for a branch's name.
        let item = match sizes.label[e] {
            Some(size) if r == ra + 1 => l.add(Kind::Label(e), r, size),
            _ => l.add(Kind::Dummy(e), r, (0.0, 0.0)),
        };
        l.link(prev, item, true, true);
        inner.push(item);
        prev = item;
    }
    l.link(prev, bottom, true, true);
    l.chains.push(Chain { edge: e, top, bottom, inner, back: false });
}

/// A back edge from `bottom` up to `top`: lane items in every rank from the top node's to
/// the bottom node's, so the lane's whole height is kept free.
fn back_chain(l: &mut Layered, e: usize, top: usize, bottom: usize, sizes: &Sizes) {
    let (ra, rb) = (l.items[top].rank, l.items[bottom].rank);
    let label_rank = ra + (rb - ra) / 2;
    let mut inner = Vec::new();
    for r in ra..=rb {
        let size = match sizes.label[e] {
            Some(size) if r == label_rank && r != ra && r != rb => size,
            _ => (0.0, 0.0),
        };
        inner.push(l.add(Kind::Lane(e), r, size));
    }
    for pair in inner.windows(2) {
        l.link(pair[0], pair[1], false, true);
    }
    // For ordering, the lane runs from the top node to the bottom one: this pulls both
    // towards the outer side, where the lane can reach them without crossing anything.
    let middle = &inner[1..inner.len() - 1];
    let mut prev = top;
    for &item in middle {
        l.link(prev, item, true, false);
        prev = item;
    }
    l.link(prev, bottom, true, false);
    l.chains.push(Chain { edge: e, top, bottom, inner, back: true });
}

/// Depth-first from the nodes in declaration order, so that with no crossings to remove
/// branches appear left to right as written; lanes go last, inner (shorter) lanes first.
fn initial_order(l: &mut Layered) {
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); l.items.len()];
    for &(a, b) in &l.order_links {
        down[a].push(b);
    }
    let mut seen = vec![false; l.items.len()];
    let starts: Vec<usize> = l.node_item.values().copied().collect();
    for start in starts {
        let mut stack = vec![start];
        while let Some(item) = stack.pop() {
            if seen[item] {
                continue;
            }
            seen[item] = true;
            if !matches!(l.items[item].kind, Kind::Lane(_)) {
                l.layers[l.items[item].rank].push(item);
            }
            stack.extend(down[item].iter().rev().copied());
        }
    }
    let mut lanes: Vec<(usize, usize, usize)> = Vec::new();
    for c in l.chains.iter().filter(|c| c.back) {
        let span = c.inner.len();
        lanes.extend(c.inner.iter().map(|&i| (span, c.edge, i)));
    }
    lanes.sort();
    for (.., item) in lanes {
        l.layers[l.items[item].rank].push(item);
    }
}

/// Alternating barycentre sweeps, keeping the best order seen; lanes never move.
fn reduce_crossings(l: &mut Layered) {
    let n = l.items.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &l.order_links {
        down[a].push(b);
        up[b].push(a);
    }
    // Among equals, the ends of back edges go to the outer side, where their lane is.
    let mut outward = vec![false; n];
    for c in l.chains.iter().filter(|c| c.back) {
        outward[c.top] = true;
        outward[c.bottom] = true;
    }
    let mut pos = vec![0usize; n];
    refresh_positions(&l.layers, &mut pos);
    let mut best = l.layers.clone();
    let mut best_count = count_crossings(l, &pos);
    for sweep in 0..16 {
        if best_count == 0 {
            break;
        }
        let layer_count = l.layers.len();
        if sweep % 2 == 0 {
            for r in 1..layer_count {
                sort_layer(l, r, &up, &outward, &mut pos);
            }
        } else {
            for r in (0..layer_count.saturating_sub(1)).rev() {
                sort_layer(l, r, &down, &outward, &mut pos);
            }
        }
        let count = count_crossings(l, &pos);
        if count < best_count {
            best_count = count;
            best = l.layers.clone();
        }
    }
    l.layers = best;
}

fn refresh_positions(layers: &[Vec<usize>], pos: &mut [usize]) {
    for layer in layers {
        for (i, &item) in layer.iter().enumerate() {
            pos[item] = i;
        }
    }
}

/// Sorts the movable items of layer `r` by the mean position of their neighbours in
/// `adj`; an item without neighbours keeps its place as its key, and `outward` items go
/// last among equal keys. The sort is stable.
fn sort_layer(l: &mut Layered, r: usize, adj: &[Vec<usize>], outward: &[bool], pos: &mut [usize]) {
    let layer = &l.layers[r];
    let movable = layer.iter().take_while(|&&i| !matches!(l.items[i].kind, Kind::Lane(_))).count();
    let mut keyed: Vec<(f64, usize)> = layer[..movable]
        .iter()
        .map(|&item| {
            let ns = &adj[item];
            let key = if ns.is_empty() { pos[item] as f64 } else { ns.iter().map(|&x| pos[x] as f64).sum::<f64>() / ns.len() as f64 };
            (key, item)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(outward[a.1].cmp(&outward[b.1])));
    for (i, (_, item)) in keyed.into_iter().enumerate() {
        l.layers[r][i] = item;
        pos[item] = i;
    }
}

/// The number of crossing link pairs over all adjacent layer pairs: with links sorted by
/// their upper end, two cross when a later one has a lower end further left, counted with
/// a Fenwick tree in O(E log V).
fn count_crossings(l: &Layered, pos: &[usize]) -> usize {
    let mut by_rank: Vec<Vec<(usize, usize)>> = vec![Vec::new(); l.layers.len()];
    for &(a, b) in &l.order_links {
        by_rank[l.items[a].rank].push((pos[a], pos[b]));
    }
    let mut total = 0;
    for (r, links) in by_rank.iter_mut().enumerate() {
        links.sort_unstable();
        let size = l.layers.get(r + 1).map_or(0, Vec::len) + 1;
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, v)) in links.iter().enumerate() {
            // Links seen so far whose lower end is at or left of `v` do not cross this one.
            let mut i = v + 1;
            let mut not_crossing = 0;
            while i > 0 {
                not_crossing += tree[i];
                i &= i - 1;
            }
            total += seen - not_crossing;
            let mut i = v + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}
