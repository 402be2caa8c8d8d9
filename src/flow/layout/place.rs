//! Layering, step three: coordinates. Positions across each layer minimise the weighted
//! squared length of edge pieces under the layer's order and spacing (solved layer by layer
//! with pool-adjacent-violators), and ranks become bands along the flow; nothing is drawn.

use super::order::{Item, Kind, Layered};

/// Room between two boxes side by side.
const NODE_GAP: f64 = 28.0;
/// Room between an edge bend and anything else.
const BEND_GAP: f64 = 14.0;
/// Room between a lane and a box: enough for an arrowhead to enter the box from the lane.
const LANE_GAP: f64 = 24.0;
/// Room between two lanes.
const LANE_LANE_GAP: f64 = 12.0;
/// Gap between two ranks of nodes, and the smaller gap next to a rank that holds only
/// edge labels and bends.
const RANK_GAP: f64 = 44.0;
const LABEL_RANK_GAP: f64 = 24.0;

/// Coordinates of a layered component, in rank space (ranks run down).
#[derive(Debug, Clone, Default)]
pub(super) struct Placed {
    /// Centre of each item across its layer.
    pub x: Vec<f64>,
    /// Top and bottom of each rank's band.
    pub band_top: Vec<f64>,
    pub band_bottom: Vec<f64>,
    pub width: f64,
    pub height: f64,
}

impl Placed {
    /// The centre line of rank `r`.
    pub fn mid(&self, r: usize) -> f64 {
        (self.band_top[r] + self.band_bottom[r]) / 2.0
    }
}

/// The least distance between the centres of `a` and `b` when `b` follows `a` in a layer.
pub(super) fn min_sep(a: &Item, b: &Item) -> f64 {
    let lane = |i: &Item| matches!(i.kind, Kind::Lane(_));
    let gap = match (lane(a), lane(b)) {
        (true, true) => LANE_LANE_GAP,
        (true, false) | (false, true) => {
            if a.is_box() || b.is_box() {
                LANE_GAP
            } else {
                BEND_GAP
            }
        }
        _ if a.is_box() && b.is_box() => NODE_GAP,
        _ => BEND_GAP,
    };
    a.breadth / 2.0 + a.right_extra + gap + b.breadth / 2.0
}

/// Places a layered component.
pub(super) fn place(l: &Layered) -> Placed {
    let n = l.items.len();
    let mut up: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, w) in &l.place_links {
        down[a].push((b, w));
        up[b].push((a, w));
    }
    let mut x = vec![0.0; n];
    for layer in &l.layers {
        let mut at = 0.0;
        for (i, &item) in layer.iter().enumerate() {
            if i > 0 {
                at += min_sep(&l.items[layer[i - 1]], &l.items[item]);
            }
            x[item] = at;
        }
    }
    let layers = l.layers.len();
    for _ in 0..6 {
        for r in 1..layers {
            relax_layer(l, r, &[&up], &mut x);
        }
        for r in (0..layers.saturating_sub(1)).rev() {
            relax_layer(l, r, &[&down], &mut x);
        }
    }
    for _ in 0..3 {
        for r in 0..layers {
            relax_layer(l, r, &[&up, &down], &mut x);
        }
    }
    straighten_long_edges(l, &mut x);
    straighten_lanes(l, &mut x);
    finish(l, x)
}

/// Moves the items of layer `r` as close as the spacing allows to the weighted mean of
/// their neighbours in `adjs`.
fn relax_layer(l: &Layered, r: usize, adjs: &[&Vec<Vec<(usize, f64)>>], x: &mut [f64]) {
    let layer = &l.layers[r];
    let mut targets = Vec::with_capacity(layer.len());
    for &item in layer {
        let (mut sw, mut swx) = (0.0, 0.0);
        for adj in adjs {
            for &(o, w) in &adj[item] {
                sw += w;
                swx += w * x[o];
            }
        }
        // Items with nothing to follow hold their place, weakly.
        targets.push(if sw > 0.0 { (swx / sw, sw) } else { (x[item], 0.05) });
    }
    let seps: Vec<f64> = layer.windows(2).map(|p| min_sep(&l.items[p[0]], &l.items[p[1]])).collect();
    for (item, value) in layer.iter().zip(project(&targets, &seps)) {
        x[*item] = value;
    }
}

/// The positions closest (in weighted least squares) to `targets` that keep consecutive
/// positions at least `seps` apart: subtracting the running spacing turns the constraint
/// into "non-decreasing", which pool-adjacent-violators solves exactly.
fn project(targets: &[(f64, f64)], seps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(targets.len());
    let mut acc = 0.0;
    for i in 0..targets.len() {
        if i > 0 {
            acc += seps[i - 1];
        }
        offset.push(acc);
    }
    // Blocks of (total weight, weighted sum, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, &(t, w)) in targets.iter().enumerate() {
        blocks.push((w, w * (t - offset[i]), 1));
        while blocks.len() >= 2 {
            let (b, a) = (blocks[blocks.len() - 1], blocks[blocks.len() - 2]);
            if a.1 / a.0 <= b.1 / b.0 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
    }
    let mut out = Vec::with_capacity(targets.len());
    for (w, s, count) in blocks {
        for _ in 0..count {
            out.push(s / w + offset[out.len()]);
        }
    }
    out
}

/// Puts the bends of each long edge on vertical lines: each run of bends that can share
/// one position without crowding a neighbour gets one, so long edges run straight instead
/// of wavering by a few pixels from layer to layer.
fn straighten_long_edges(l: &Layered, x: &mut [f64]) {
    let pos = positions(l);
    for c in l.chains.iter().filter(|c| !c.back && c.inner.len() > 1) {
        let mut start = 0;
        while start < c.inner.len() {
            let (mut lo, mut hi) = free_range(l, &pos, x, c.inner[start]);
            let mut end = start + 1;
            while let Some(&item) = c.inner.get(end) {
                let (a, b) = free_range(l, &pos, x, item);
                if a.max(lo) > b.min(hi) {
                    break;
                }
                (lo, hi) = (a.max(lo), b.min(hi));
                end += 1;
            }
            let run = &c.inner[start..end];
            let mut xs: Vec<f64> = run.iter().map(|&i| x[i]).collect();
            xs.sort_by(f64::total_cmp);
            let at = xs[xs.len() / 2].clamp(lo, hi);
            for &i in run {
                x[i] = at;
            }
            start = end;
        }
    }
}

/// The positions `item` may take without crowding its neighbours where they are now.
fn free_range(l: &Layered, pos: &[usize], x: &[f64], item: usize) -> (f64, f64) {
    let layer = &l.layers[l.items[item].rank];
    let left = pos[item].checked_sub(1).and_then(|p| layer.get(p));
    let right = layer.get(pos[item] + 1);
    let lo = left.map_or(f64::MIN, |&o| x[o] + min_sep(&l.items[o], &l.items[item]));
    let hi = right.map_or(f64::MAX, |&o| x[o] - min_sep(&l.items[item], &l.items[o]));
    (lo, hi.max(lo))
}

/// Each item's index within its layer.
fn positions(l: &Layered) -> Vec<usize> {
    let mut pos = vec![0usize; l.items.len()];
    for layer in &l.layers {
        for (i, &item) in layer.iter().enumerate() {
            pos[item] = i;
        }
    }
    pos
}

/// Puts every back edge's lane on one vertical line, inner lanes first, each as far out
/// as its widest layer needs.
fn straighten_lanes(l: &Layered, x: &mut [f64]) {
    let pos = positions(l);
    let mut lanes: Vec<(usize, usize, usize)> =
        l.chains.iter().enumerate().filter(|(_, c)| c.back).map(|(i, c)| (c.inner.len(), c.edge, i)).collect();
    lanes.sort();
    for (.., chain) in lanes {
        let inner = &l.chains[chain].inner;
        let mut lane_x = f64::MIN;
        for &item in inner {
            let layer = &l.layers[l.items[item].rank];
            let mut need = x[item];
            if let Some(&left) = pos[item].checked_sub(1).and_then(|p| layer.get(p)) {
                need = need.max(x[left] + min_sep(&l.items[left], &l.items[item]));
            }
            lane_x = lane_x.max(need);
        }
        for &item in inner {
            x[item] = lane_x;
        }
    }
}

/// Shifts to start at 0, rounds to whole pixels and stacks the rank bands.
fn finish(l: &Layered, mut x: Vec<f64>) -> Placed {
    let left = l.items.iter().zip(&x).map(|(i, &x)| x - i.breadth / 2.0).fold(f64::INFINITY, f64::min);
    let left = if left.is_finite() { left } else { 0.0 };
    for v in &mut x {
        *v = (*v - left).round();
    }
    let width = l.items.iter().zip(&x).map(|(i, &x)| x + i.breadth / 2.0 + i.right_extra).fold(0.0, f64::max);
    let ranks = l.layers.len();
    let mut depth = vec![0.0f64; ranks];
    let mut has_node = vec![false; ranks];
    for item in &l.items {
        depth[item.rank] = depth[item.rank].max(item.depth);
        has_node[item.rank] |= matches!(item.kind, Kind::Node(_));
    }
    let (mut band_top, mut band_bottom) = (Vec::with_capacity(ranks), Vec::with_capacity(ranks));
    let mut y = 0.0;
    for r in 0..ranks {
        if r > 0 {
            y += if has_node[r] && has_node[r - 1] { RANK_GAP } else { LABEL_RANK_GAP };
        }
        band_top.push(y);
        y += depth[r];
        band_bottom.push(y);
    }
    Placed { x, band_top, band_bottom, width, height: y }
}

#[cfg(test)]
mod tests {
    use super::project;

    #[test]
    fn projection_keeps_spacing_and_targets() {
        let out = project(&[(0.0, 1.0), (0.0, 1.0), (100.0, 1.0)], &[10.0, 10.0]);
        assert_eq!(out, vec![-5.0, 5.0, 100.0]);
    }
}
