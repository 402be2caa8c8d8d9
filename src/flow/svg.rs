//! SVG output: turns a layout into an inline `<svg>` element whose colours come from CSS
//! classes (flow.css), with presentation attributes as a fallback when no CSS applies; it
//! makes no layout decisions.

use std::fmt::Write;

use super::html::escape;
use super::layout::outline::corner_radius;
use super::layout::{EdgeDraw, Layout, Path, Point, Rect, RouteKind, Seg, pt};
use super::text::{FONT_SIZE, LINE_HEIGHT, Wrapped};
use crate::model::flow::{Graph, Shape, Stroke};

/// Fallback colours, used only where flow.css is not loaded (GitHub-like light palette).
const FALLBACK_FG: &str = "#1f2328";
const FALLBACK_LINE: &str = "#57606a";
const FALLBACK_SURFACE: &str = "#f6f8fa";
const FALLBACK_BG: &str = "#ffffff";
const FONT_STACK: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// The path stops this far before the outline and the arrowhead covers the rest, so the
/// line's square end never shows beside the arrow's tip.
const ARROW_SETBACK: f64 = 3.0;
/// Arrowhead length in pixels (the marker's 10-unit box scaled to this).
const ARROW_SIZE: f64 = 9.0;
/// Moves a label's baseline from the line's centre down to where the text looks centred.
const BASELINE_SHIFT: f64 = 0.35 * FONT_SIZE;

/// What the SVG needs besides the layout.
pub(super) struct SvgText<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// Writes the `<svg>` element.
pub(super) fn svg(graph: &Graph, layout: &Layout, text: &SvgText) -> String {
    let mut s = String::with_capacity(4096 + 600 * graph.nodes.len());
    let id = escape(text.id);
    let (w, h) = (num(layout.width), num(layout.height));
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cg-flow-svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         style=\"max-width:100%;height:auto\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"{FONT_STACK}\" font-size=\"{}\">",
        num(FONT_SIZE)
    );
    let _ = write!(s, "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>", escape(text.title), escape(text.desc));
    let ref_x = 10.0 - ARROW_SETBACK * 10.0 / ARROW_SIZE;
    let _ = write!(
        s,
        "<defs><marker id=\"{id}-arrow\" class=\"cg-flow-arrow\" viewBox=\"0 0 10 10\" refX=\"{}\" refY=\"5\" \
         markerWidth=\"{a}\" markerHeight=\"{a}\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"{FALLBACK_LINE}\"/></marker></defs>",
        num(ref_x),
        a = num(ARROW_SIZE)
    );
    s.push_str("<g class=\"cg-flow-edges\">");
    for e in &layout.edges {
        edge(&mut s, graph, e, &id);
    }
    s.push_str("</g><g class=\"cg-flow-nodes\">");
    for (i, node) in graph.nodes.iter().enumerate() {
        if let (Some(rect), Some(label)) = (layout.nodes.get(i), layout.node_text.get(i)) {
            node_group(&mut s, &node.id, node.shape, rect, label);
        }
    }
    s.push_str("</g><g class=\"cg-flow-edge-labels\">");
    for e in &layout.edges {
        if let Some((rect, label)) = &e.label {
            let _ = write!(
                s,
                "<g class=\"cg-flow-edge-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{FALLBACK_BG}\"/>",
                num(rect.left()),
                num(rect.top()),
                num(rect.w),
                num(rect.h)
            );
            text_lines(&mut s, pt(rect.cx, rect.cy), label);
            s.push_str("</g>");
        }
    }
    s.push_str("</g></svg>");
    s
}

fn edge(s: &mut String, graph: &Graph, e: &EdgeDraw, id: &str) {
    let Some(edge) = graph.edges.get(e.edge) else {
        return;
    };
    let mut class = String::from("cg-flow-edge");
    let (dash, width) = match edge.stroke {
        Stroke::Solid => ("", 1.5),
        Stroke::Dotted => (" stroke-dasharray=\"5 4\"", 1.5),
        Stroke::Thick => ("", 3.0),
    };
    match edge.stroke {
        Stroke::Solid => {}
        Stroke::Dotted => class.push_str(" cg-flow-edge--dotted"),
        Stroke::Thick => class.push_str(" cg-flow-edge--thick"),
    }
    match e.kind {
        RouteKind::Forward => {}
        RouteKind::Back => class.push_str(" cg-flow-edge--back"),
        RouteKind::SelfLoop => class.push_str(" cg-flow-edge--loop"),
    }
    let mut path = e.path.clone();
    let marker = if edge.arrow {
        path.trim_end(ARROW_SETBACK);
        format!(" marker-end=\"url(#{id}-arrow)\"")
    } else {
        String::new()
    };
    let _ = write!(
        s,
        "<path class=\"{class}\" d=\"{}\" fill=\"none\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"{}\"{dash}{marker}/>",
        path_data(&path),
        num(width)
    );
}

/// The `d` attribute of a path.
fn path_data(p: &Path) -> String {
    let mut d = format!("M{}", point(p.start));
    for seg in &p.segs {
        match *seg {
            Seg::Line(q) => {
                let _ = write!(d, "L{}", point(q));
            }
            Seg::Cubic(a, b, q) => {
                let _ = write!(d, "C{} {} {}", point(a), point(b), point(q));
            }
        }
    }
    d
}

fn node_group(s: &mut String, id: &str, shape: Shape, r: &Rect, label: &Wrapped) {
    let kind = match shape {
        Shape::Box => "box",
        Shape::Rounded => "rounded",
        Shape::Stadium => "stadium",
        Shape::Decision => "decision",
        Shape::Circle => "circle",
    };
    let _ = write!(s, "<g class=\"cg-flow-node cg-flow-node--{kind}\" data-node=\"{}\">", escape(id));
    let paint = format!("fill=\"{FALLBACK_SURFACE}\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"1.5\"");
    match shape {
        Shape::Decision => {
            let pts = [pt(r.cx, r.top()), pt(r.right(), r.cy), pt(r.cx, r.bottom()), pt(r.left(), r.cy)];
            let pts: Vec<String> = pts.iter().map(|&p| point(p)).collect();
            let _ = write!(s, "<polygon class=\"cg-flow-shape\" points=\"{}\" {paint}/>", pts.join(" "));
        }
        Shape::Circle => {
            let _ = write!(
                s,
                "<circle class=\"cg-flow-shape\" cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>",
                num(r.cx),
                num(r.cy),
                num(r.w.min(r.h) / 2.0)
            );
        }
        _ => {
            let _ = write!(
                s,
                "<rect class=\"cg-flow-shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {paint}/>",
                num(r.left()),
                num(r.top()),
                num(r.w),
                num(r.h),
                num(corner_radius(shape, r.w, r.h))
            );
        }
    }
    text_lines(s, pt(r.cx, r.cy), label);
    s.push_str("</g>");
}

/// Writes wrapped lines centred on `c`.
fn text_lines(s: &mut String, c: Point, label: &Wrapped) {
    let _ = write!(s, "<text class=\"cg-flow-text\" text-anchor=\"middle\" fill=\"{FALLBACK_FG}\">");
    let first = c.y - (label.lines.len().saturating_sub(1)) as f64 * LINE_HEIGHT / 2.0;
    for (i, line) in label.lines.iter().enumerate() {
        let y = first + i as f64 * LINE_HEIGHT + BASELINE_SHIFT;
        let _ = write!(s, "<tspan x=\"{}\" y=\"{}\">{}</tspan>", num(c.x), num(y), escape(line));
    }
    s.push_str("</text>");
}

fn point(p: Point) -> String {
    format!("{},{}", num(p.x), num(p.y))
}

/// A coordinate with at most one decimal, without trailing zeros or a negative zero.
pub(super) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 || !r.is_finite() {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}
