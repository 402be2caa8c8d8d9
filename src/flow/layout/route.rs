//! Edge routes in rank space: where each edge meets its nodes (ports spread along a side,
//! on the outline) and the path between them. Forward edges bend only in the gaps between
//! layers; back edges run up a lane on the outer side. Nothing here moves a node.

use std::collections::BTreeMap;

use super::geom::{Path, Point, Rect, pt};
use super::order::{Chain, Kind, Layered};
use super::outline;
use super::place::Placed;
use super::{EdgeDraw, RouteKind, Sizes};
use crate::model::flow::{Graph, Shape};

/// Spacing between edges that meet the same side of a node.
const PORT_SPACING: f64 = 14.0;
/// Spacing between back-edge runs that cross the same gap.
const TRACK_SPACING: f64 = 7.0;

/// A side of an item's box, in rank space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Side {
    Top,
    Bottom,
    Right,
}

/// One end of one chain, waiting for its place along a side.
struct End {
    chain: usize,
    item: usize,
    side: Side,
    /// Sort key along the side: ends are ordered so that their lines do not cross.
    key: (u8, f64, usize),
}

/// Where the ends of every chain meet their nodes.
struct Ports {
    /// Per chain: (at the top item, at the bottom item).
    at: Vec<(Point, Point)>,
    /// Per chain: (bottom end leaves sideways, top end enters sideways), for back edges.
    sideways: Vec<(bool, bool)>,
}

/// Routes every chain of a component.
pub(super) fn route(graph: &Graph, l: &Layered, p: &Placed, sizes: &Sizes) -> Vec<EdgeDraw> {
    let ports = place_ports(graph, l, p);
    let tracks = gap_tracks(l, p, &ports);
    let mut out = Vec::with_capacity(l.chains.len());
    for (ci, c) in l.chains.iter().enumerate() {
        let (top, bottom) = ports.at[ci];
        let path = if c.back { back_path(l, p, ci, &ports, &tracks) } else { forward_path(l, p, c, top, bottom) };
        let label = c.inner.iter().find(|&&i| l.items[i].breadth > 0.0).and_then(|&i| {
            let item = &l.items[i];
            let text = sizes.label_text.get(c.edge)?.clone()?;
            Some((Rect { cx: p.x[i], cy: p.mid(item.rank), w: item.breadth, h: item.depth }, text))
        });
        let kind = if c.back { RouteKind::Back } else { RouteKind::Forward };
        out.push(EdgeDraw { edge: c.edge, path, label, kind });
    }
    out
}

/// The shape of the node behind an item (bends and lanes have none).
fn shape_of(graph: &Graph, l: &Layered, item: usize) -> Shape {
    match l.items[item].kind {
        Kind::Node(v) => graph.nodes.get(v).map_or(Shape::Box, |n| n.shape),
        _ => Shape::Box,
    }
}

/// True when a back edge can leave or enter `item` from the outer side: nothing drawn as
/// a box lies between the item and the lane, and no self-loop is there.
fn clear_outside(l: &Layered, item: usize, edge: usize) -> bool {
    let it = &l.items[item];
    if it.right_extra > 0.0 {
        return false;
    }
    let layer = &l.layers[it.rank];
    let Some(pos) = layer.iter().position(|&i| i == item) else {
        return false;
    };
    layer[pos + 1..].iter().all(|&i| {
        let other = &l.items[i];
        other.kind == Kind::Lane(edge) || !other.is_box()
    })
}

fn place_ports(graph: &Graph, l: &Layered, p: &Placed) -> Ports {
    let mut ends = Vec::with_capacity(2 * l.chains.len());
    let mut sideways = Vec::with_capacity(l.chains.len());
    for ci in 0..l.chains.len() {
        let (pair, side) = chain_ends(l, p, ci);
        ends.extend(pair);
        sideways.push(side);
    }
    let mut groups: BTreeMap<(usize, Side), Vec<usize>> = BTreeMap::new();
    for (i, e) in ends.iter().enumerate() {
        groups.entry((e.item, e.side)).or_default().push(i);
    }
    let mut at = vec![(pt(0.0, 0.0), pt(0.0, 0.0)); l.chains.len()];
    for ((item, side), mut members) in groups {
        members.sort_by(|&a, &b| {
            let (ka, kb) = (ends[a].key, ends[b].key);
            ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(ka.2.cmp(&kb.2))
        });
        let shape = shape_of(graph, l, item);
        for (k, &m) in members.iter().enumerate() {
            let offset = spread(l, item, side, shape, k, members.len());
            let point = port(l, p, item, side, shape, offset);
            let e = &ends[m];
            if e.item == l.chains[e.chain].top {
                at[e.chain].0 = point;
            } else {
                at[e.chain].1 = point;
            }
        }
    }
    Ports { at, sideways }
}

/// The two ends of chain `ci` (top item's, then bottom item's) and, for a back edge,
/// whether each can use the outer side.
fn chain_ends(l: &Layered, p: &Placed, ci: usize) -> ([End; 2], (bool, bool)) {
    let c = &l.chains[ci];
    let first = c.inner.first().copied().unwrap_or(c.bottom);
    let last = c.inner.last().copied().unwrap_or(c.top);
    let end = |item, side, key| End { chain: ci, item, side, key };
    if !c.back {
        let ends = [end(c.top, Side::Bottom, (0, p.x[first], c.edge)), end(c.bottom, Side::Top, (0, p.x[last], c.edge))];
        return (ends, (false, false));
    }
    let lane = p.x[first];
    let out_side = clear_outside(l, c.bottom, c.edge);
    let in_side = clear_outside(l, c.top, c.edge);
    // On an outer side, lanes going up (from sources) sit above lanes coming from below
    // (into targets); among the first inner lanes are higher, among the second outer
    // ones, so that no lane's run to its node crosses another lane.
    let top = if in_side { end(c.top, Side::Right, (1, -lane, c.edge)) } else { end(c.top, Side::Bottom, (0, lane, c.edge)) };
    let bottom_side = if out_side { Side::Right } else { Side::Top };
    ([top, end(c.bottom, bottom_side, (0, lane, c.edge))], (out_side, in_side))
}

/// Offset of the `k`-th of `n` ends along a side, centred on the side's middle.
fn spread(l: &Layered, item: usize, side: Side, shape: Shape, k: usize, n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let it = &l.items[item];
    let (along, across) = if side == Side::Right { (it.depth, it.breadth) } else { (it.breadth, it.depth) };
    let reach = outline::port_reach(shape, along, across);
    let step = PORT_SPACING.min(2.0 * reach / (n - 1) as f64);
    (k as f64 - (n - 1) as f64 / 2.0) * step
}

/// The point where an edge at `offset` along `side` meets the item's outline.
fn port(l: &Layered, p: &Placed, item: usize, side: Side, shape: Shape, offset: f64) -> Point {
    let it = &l.items[item];
    let (cx, cy, b, d) = (p.x[item], p.mid(it.rank), it.breadth, it.depth);
    match side {
        Side::Top => pt(cx + offset, cy - d / 2.0 + outline::inset(shape, b, d, offset)),
        Side::Bottom => pt(cx + offset, cy + d / 2.0 - outline::inset(shape, b, d, offset)),
        Side::Right => pt(cx + b / 2.0 - outline::inset(shape, d, b, offset), cy + offset),
    }
}

/// Down from the top node, through each bend (straight within a band, an S-bend across
/// each gap), into the bottom node.
fn forward_path(l: &Layered, p: &Placed, c: &Chain, from: Point, to: Point) -> Path {
    let mut path = Path::new(from);
    path.line_to(pt(from.x, p.band_bottom[l.items[c.top].rank]));
    for &item in &c.inner {
        let r = l.items[item].rank;
        path.bend_to(pt(p.x[item], p.band_top[r]));
        path.line_to(pt(p.x[item], p.band_bottom[r]));
    }
    path.bend_to(pt(to.x, p.band_top[l.items[c.bottom].rank]));
    path.line_to(to);
    path
}

/// The height at which each back edge crosses a gap it runs along: (chain, gap) → y,
/// where gap `g` lies between ranks `g` and `g + 1`.
type Tracks = BTreeMap<(usize, usize), f64>;

/// Gives every back-edge run across a gap its own height, so two runs never overlap.
fn gap_tracks(l: &Layered, p: &Placed, ports: &Ports) -> Tracks {
    let mut by_gap: BTreeMap<usize, Vec<(f64, usize)>> = BTreeMap::new();
    for (ci, c) in l.chains.iter().enumerate().filter(|(_, c)| c.back) {
        let (out_side, in_side) = ports.sideways[ci];
        let lane = c.inner.first().map_or(0.0, |&i| p.x[i]);
        let (rt, rb) = (l.items[c.top].rank, l.items[c.bottom].rank);
        let mut gaps = Vec::new();
        if !in_side {
            gaps.push(rt);
        }
        if !out_side && !is_direct(rt, rb, ports.sideways[ci]) {
            gaps.push(rb - 1);
        }
        for g in gaps {
            by_gap.entry(g).or_default().push((lane, ci));
        }
    }
    let mut tracks = Tracks::new();
    for (g, mut runs) in by_gap {
        runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mid = (p.band_bottom[g] + p.band_top[g + 1]) / 2.0;
        let n = runs.len() as f64;
        for (k, (_, ci)) in runs.into_iter().enumerate() {
            tracks.insert((ci, g), mid + (k as f64 - (n - 1.0) / 2.0) * TRACK_SPACING);
        }
    }
    tracks
}

/// True when a back edge joins adjacent ranks with both ends on the gap between them:
/// then it needs no lane, just a run across that gap.
fn is_direct(rt: usize, rb: usize, (out_side, in_side): (bool, bool)) -> bool {
    rb == rt + 1 && !out_side && !in_side
}

/// From the bottom node up to the top node: out sideways to the lane (or up into the gap
/// above and across to it), up the lane, and in sideways (or across the gap below the top
/// node and up into it).
fn back_path(l: &Layered, p: &Placed, ci: usize, ports: &Ports, tracks: &Tracks) -> Path {
    let c = &l.chains[ci];
    let (top, bottom) = ports.at[ci];
    let (out_side, in_side) = ports.sideways[ci];
    let lane = c.inner.first().map_or(bottom.x, |&i| p.x[i]);
    let (rt, rb) = (l.items[c.top].rank, l.items[c.bottom].rank);
    let direct = is_direct(rt, rb, ports.sideways[ci]);
    let mut path = Path::new(bottom);
    if out_side {
        path.line_to(pt(lane, bottom.y));
    } else {
        path.line_to(pt(bottom.x, p.band_top[rb]));
        let g = if direct { rt } else { rb - 1 };
        let y = tracks.get(&(ci, g)).copied().unwrap_or(p.band_top[rb]);
        path.line_to(pt(bottom.x, y));
        if !direct {
            path.line_to(pt(lane, y));
        }
    }
    if in_side {
        path.line_to(pt(lane, top.y));
    } else {
        let y = tracks.get(&(ci, rt)).copied().unwrap_or(p.band_bottom[rt]);
        if !direct {
            path.line_to(pt(lane, y));
        }
        path.line_to(pt(top.x, y));
        path.line_to(pt(top.x, p.band_bottom[rt]));
    }
    path.line_to(top);
    path
}
