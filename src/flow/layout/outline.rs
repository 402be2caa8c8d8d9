//! Node outlines: how big each shape must be to hold its wrapped label, and where an edge
//! that arrives perpendicular to a side meets the outline; no placement here.

use std::f64::consts::{FRAC_1_SQRT_2, SQRT_2};

use super::super::text::{self, Wrapped};
use crate::model::flow::Shape;

/// Padding between a label and a rectangular outline.
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 9.0;
/// Smallest box, so one-letter nodes are still easy to hit with the eye.
const MIN_W: f64 = 48.0;
const MIN_H: f64 = 36.0;
/// Corner radius of `(rounded)` nodes.
pub(crate) const ROUNDED_RADIUS: f64 = 10.0;
/// Corner radius of `[box]` nodes: just enough to soften the corners.
const BOX_RADIUS: f64 = 2.0;

/// The widest a label line may be, per shape: narrower for the shapes whose outline grows
/// faster than their text.
pub(crate) fn wrap_width(shape: Shape) -> f64 {
    match shape {
        Shape::Decision | Shape::Hexagon => 140.0,
        Shape::Circle | Shape::DoubleCircle => 100.0,
        _ => 168.0,
    }
}

/// Wraps a node's label for its shape; narrower when ranks run across the page, where
/// width is what a flow uses up.
pub(crate) fn wrap_label(shape: Shape, label: &str, horizontal: bool) -> Wrapped {
    let scale = if horizontal { 0.75 } else { 1.0 };
    text::wrap(label, wrap_width(shape) * scale)
}

/// Rounds up to an even number of pixels, so centres and sides land on whole pixels.
fn even(v: f64) -> f64 {
    (v / 2.0).ceil() * 2.0
}

/// The outline size (width, height) that holds `text`; diamonds grow across the flow
/// (`horizontal`: the flow runs left or right) rather than along it.
pub(crate) fn node_size(shape: Shape, text: &Wrapped, horizontal: bool) -> (f64, f64) {
    let (tw, th) = (text.width, text.height());
    let (w, h) = match shape {
        Shape::Box | Shape::Rounded => ((tw + 2.0 * PAD_X).max(MIN_W), (th + 2.0 * PAD_Y).max(MIN_H)),
        Shape::Stadium => {
            let h = (th + 2.0 * PAD_Y).max(MIN_H);
            ((tw + h).max(MIN_W + h / 2.0), h)
        }
        Shape::Decision => {
            // A diamond holds a w×h box when w/W + h/H ≤ 1; W = w + k·√(wh) and
            // H = h + √(wh)/k meets that with equality; k = √2 keeps it wide rather than
            // tall, which suits a top-down flow, and 1/√2 the other way round.
            let (w, h) = (tw + 8.0, th + 4.0);
            let g = (w * h).sqrt();
            let k = if horizontal { FRAC_1_SQRT_2 } else { SQRT_2 };
            (w + k * g, h + g / k)
        }
        Shape::Circle => {
            let d = (tw + 8.0).hypot(th + 4.0).max(MIN_H + 8.0);
            (d, d)
        }
        Shape::DoubleCircle => {
            let d = (tw + 8.0).hypot(th + 4.0).max(MIN_H + 8.0) + 2.0 * DOUBLE_GAP;
            (d, d)
        }
        Shape::Cylinder => {
            let w = (tw + 2.0 * PAD_X).max(MIN_W);
            (w, (th + 2.0 * PAD_Y).max(MIN_H) + 2.0 * cap_height(w))
        }
        Shape::Subroutine => ((tw + 2.0 * PAD_X + 2.0 * FRAME).max(MIN_W), (th + 2.0 * PAD_Y).max(MIN_H)),
        Shape::Hexagon | Shape::Parallelogram | Shape::ParallelogramAlt | Shape::Trapezoid | Shape::TrapezoidAlt => {
            let h = (th + 2.0 * PAD_Y).max(MIN_H);
            // The text sits between the slanted sides, each `slant(h)` wide at its worst.
            ((tw + 2.0 * PAD_X + 2.0 * slant(h)).max(MIN_W), h)
        }
        Shape::Asymmetric => {
            let h = (th + 2.0 * PAD_Y).max(MIN_H);
            ((tw + 2.0 * PAD_X + slant(h)).max(MIN_W), h)
        }
    };
    (even(w), even(h))
}

/// Space between the two rings of a double circle.
pub(crate) const DOUBLE_GAP: f64 = 4.0;
/// Inset of a subroutine's inner side lines.
pub(crate) const FRAME: f64 = 8.0;

/// Height of a cylinder's elliptic cap, from its width.
pub(crate) fn cap_height(w: f64) -> f64 {
    (w / 14.0).clamp(4.0, 10.0)
}

/// How far a slanted side (hexagon, parallelogram, trapezoid, the flag's notch) leans
/// over the height `h`.
pub(crate) fn slant(h: f64) -> f64 {
    (h / 4.0).round()
}

/// Corner radius when the shape is drawn as a rounded rectangle (all but the diamond).
pub(crate) fn corner_radius(shape: Shape, w: f64, h: f64) -> f64 {
    match shape {
        Shape::Box => BOX_RADIUS.min(w / 2.0).min(h / 2.0),
        Shape::Rounded => ROUNDED_RADIUS.min(w / 2.0).min(h / 2.0),
        Shape::Stadium | Shape::Circle | Shape::DoubleCircle => w.min(h) / 2.0,
        _ => 0.0,
    }
}

/// How far an edge may land from the middle of a side of length `along` (the other side
/// is `across`), so that it still meets the outline nearly head-on.
pub(crate) fn port_reach(shape: Shape, along: f64, across: f64) -> f64 {
    match shape {
        Shape::Decision => along * 0.25,
        Shape::Hexagon | Shape::Parallelogram | Shape::ParallelogramAlt | Shape::Trapezoid | Shape::TrapezoidAlt | Shape::Asymmetric => {
            (along / 2.0 - slant(across.min(along))).max(along * 0.15)
        }
        _ => {
            let r = corner_radius(shape, along, across);
            (along / 2.0 - r).max(0.0) + r * 0.45
        }
    }
}

/// Least distance between two edges that meet the same side, so arrowheads stay apart.
pub(crate) const MIN_PORT_SPACING: f64 = 12.0;

/// Widens a node (a rank-space span: across, along) until `edges` edges fit along one
/// side at [`MIN_PORT_SPACING`]; a circle grows both ways to stay round.
pub(crate) fn room_for_ports(shape: Shape, (mut across, mut along): (f64, f64), edges: usize) -> (f64, f64) {
    let need = edges.saturating_sub(1) as f64 * MIN_PORT_SPACING;
    // Bounded: each step adds 4px and the reach grows with the width for every shape.
    for _ in 0..2000 {
        if 2.0 * port_reach(shape, across, along) >= need {
            break;
        }
        across += 4.0;
        if matches!(shape, Shape::Circle | Shape::DoubleCircle) {
            along = across;
        }
    }
    (across, along)
}

/// How far inside the bounding box the outline is, at `offset` from the middle of a side
/// of length `along`, looking perpendicular to that side (whose box depth is `across`).
pub(crate) fn inset(shape: Shape, along: f64, across: f64, offset: f64) -> f64 {
    let t = offset.abs().min(along / 2.0);
    match shape {
        Shape::Decision => {
            if along <= 0.0 {
                0.0
            } else {
                across / 2.0 * t / (along / 2.0)
            }
        }
        _ => {
            let r = corner_radius(shape, along, across);
            let straight = along / 2.0 - r;
            if t <= straight {
                0.0
            } else {
                let d = t - straight;
                r - (r * r - d * d).max(0.0).sqrt()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_fit_their_text() {
        for shape in Shape::ALL {
            let t = wrap_label(shape, "Use secret_key for sessions & security in every request", false);
            let (w, h) = node_size(shape, &t, false);
            assert!(w >= t.width && h >= t.height(), "{shape:?}");
            if shape == Shape::Decision {
                assert!(t.width / w + t.height() / h <= 1.0);
            }
        }
    }

    #[test]
    fn insets_meet_the_outline() {
        assert_eq!(inset(Shape::Box, 100.0, 40.0, 30.0), 0.0);
        assert!(inset(Shape::Box, 100.0, 40.0, 50.0) > 0.0);
        assert!((inset(Shape::Decision, 100.0, 40.0, 25.0) - 10.0).abs() < 1e-9);
        assert!((inset(Shape::Circle, 40.0, 40.0, 20.0) - 20.0).abs() < 1e-9);
        assert_eq!(inset(Shape::Stadium, 100.0, 40.0, 0.0), 0.0);
    }
}
