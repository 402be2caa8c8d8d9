//! SVG output: turns a layout into an inline `<svg>` element whose colours come from CSS
//! classes (flow.css), with presentation attributes as a fallback when no CSS applies; it
//! makes no layout decisions.

use std::fmt::Write;

use super::html::escape;
use super::layout::outline::{DOUBLE_GAP, FRAME, cap_height, corner_radius, slant};
use super::layout::{CLUSTER_TITLE_BASELINE, EdgeDraw, Layout, Path, Point, Rect, RouteKind, Seg, pt};
use super::style::css;
use super::text::{FONT_SIZE, LINE_HEIGHT, Wrapped};
use crate::model::flow::{Graph, Mark, Node, Shape, Stroke, Style};

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

/// The smallest the drawing may be scaled to fit a narrow page, so labels stay 11px or more.
const MIN_SCALE: f64 = 11.0 / FONT_SIZE;

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
         style=\"width:100%;max-width:{w}px;min-width:{}px;height:auto\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"{FONT_STACK}\" font-size=\"{}\">",
        num((layout.width * MIN_SCALE).ceil()),
        num(FONT_SIZE)
    );
    let _ = write!(s, "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>", escape(text.title), escape(text.desc));
    markers(&mut s, &id);
    clusters(&mut s, graph, layout);
    s.push_str("<g class=\"cg-flow-edges\">");
    for e in &layout.edges {
        edge(&mut s, graph, e, &id);
    }
    s.push_str("</g><g class=\"cg-flow-nodes\">");
    for (i, node) in graph.nodes.iter().enumerate() {
        if let (Some(rect), Some(label)) = (layout.nodes.get(i), layout.node_text.get(i)) {
            node_group(&mut s, node, rect, label);
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
            text_lines(&mut s, pt(rect.cx, rect.cy), label, "");
            s.push_str("</g>");
        }
    }
    s.push_str("</g></svg>");
    s
}

/// The end markers: the arrowhead (also used reversed at a source end), a circle and a
/// cross.
fn markers(s: &mut String, id: &str) {
    let ref_x = 10.0 - ARROW_SETBACK * 10.0 / ARROW_SIZE;
    let _ = write!(
        s,
        "<defs><marker id=\"{id}-arrow\" class=\"cg-flow-arrow\" viewBox=\"0 0 10 10\" refX=\"{}\" refY=\"5\" \
         markerWidth=\"{a}\" markerHeight=\"{a}\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"{FALLBACK_LINE}\"/></marker>\
         <marker id=\"{id}-circle\" class=\"cg-flow-arrow\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" \
         markerWidth=\"{a}\" markerHeight=\"{a}\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
         <circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"{FALLBACK_LINE}\"/></marker>\
         <marker id=\"{id}-cross\" class=\"cg-flow-cross\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" \
         markerWidth=\"{a}\" markerHeight=\"{a}\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
         <path d=\"M1,1L9,9M9,1L1,9\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"2\"/></marker></defs>",
        num(ref_x),
        a = num(ARROW_SIZE)
    );
}

/// Subgraph boxes, outermost first so nested ones are drawn on top, each with its title.
fn clusters(s: &mut String, graph: &Graph, layout: &Layout) {
    if graph.subgraphs.is_empty() {
        return;
    }
    s.push_str("<g class=\"cg-flow-clusters\">");
    for (sg, r) in graph.subgraphs.iter().zip(&layout.clusters) {
        let _ = write!(
            s,
            "<g class=\"cg-flow-cluster\" data-subgraph=\"{}\"><rect class=\"cg-flow-cluster-box\" x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"{}\" rx=\"4\" fill=\"{FALLBACK_BG}\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"1\"{}/>",
            escape(&sg.id),
            num(r.left()),
            num(r.top()),
            num(r.w),
            num(r.h),
            style_attr(&css(&sg.style, false))
        );
        if !sg.title.is_empty() {
            let _ = write!(
                s,
                "<text class=\"cg-flow-cluster-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\" fill=\"{FALLBACK_FG}\"{}>{}</text>",
                num(r.cx),
                num(r.top() + CLUSTER_TITLE_BASELINE),
                style_attr(&css(&sg.style, true)),
                escape(&super::text::one_line(&sg.title))
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</g>");
}

/// ` style="…"` when there is something to say; the values were checked when read.
fn style_attr(css: &str) -> String {
    if css.is_empty() { String::new() } else { format!(" style=\"{}\"", escape(css)) }
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
        // Invisible edges only shape the layout.
        Stroke::Invisible => return,
    };
    match edge.stroke {
        Stroke::Solid | Stroke::Invisible => {}
        Stroke::Dotted => class.push_str(" cg-flow-edge--dotted"),
        Stroke::Thick => class.push_str(" cg-flow-edge--thick"),
    }
    match e.kind {
        RouteKind::Forward => {}
        RouteKind::Back => class.push_str(" cg-flow-edge--back"),
        RouteKind::SelfLoop => class.push_str(" cg-flow-edge--loop"),
    }
    let mut path = e.path.clone();
    let mut marker = String::new();
    let end = if edge.arrow { Some("arrow") } else { mark_name(edge.head) };
    if let Some(name) = end {
        if name == "arrow" {
            path.trim_end(ARROW_SETBACK);
        }
        let _ = write!(marker, " marker-end=\"url(#{id}-{name})\"");
    }
    if let Some(name) = mark_name(edge.tail) {
        if name == "arrow" {
            path = path.reversed();
            path.trim_end(ARROW_SETBACK);
            path = path.reversed();
        }
        let _ = write!(marker, " marker-start=\"url(#{id}-{name})\"");
    }
    let _ = write!(
        s,
        "<path class=\"{class}\" d=\"{}\" fill=\"none\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"{}\"{dash}{marker}{}/>",
        path_data(&path),
        num(width),
        style_attr(&css(&Style { fill: None, ..edge.style.clone() }, false))
    );
}

fn mark_name(m: Mark) -> Option<&'static str> {
    match m {
        Mark::None => None,
        Mark::Arrow => Some("arrow"),
        Mark::Circle => Some("circle"),
        Mark::Cross => Some("cross"),
    }
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

fn node_group(s: &mut String, node: &Node, r: &Rect, label: &Wrapped) {
    let shape = node.shape;
    let _ = write!(s, "<g class=\"cg-flow-node cg-flow-node--{}\" data-node=\"{}\">", shape.name(), escape(&node.id));
    let paint =
        format!("fill=\"{FALLBACK_SURFACE}\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"1.5\"{}", style_attr(&css(&node.style, false)));
    let polygon = |s: &mut String, pts: &[Point]| {
        let pts: Vec<String> = pts.iter().map(|&p| point(p)).collect();
        let _ = write!(s, "<polygon class=\"cg-flow-shape\" points=\"{}\" {paint}/>", pts.join(" "));
    };
    let (l, t, rt, b) = (r.left(), r.top(), r.right(), r.bottom());
    let k = slant(r.h);
    match shape {
        Shape::Decision => polygon(s, &[pt(r.cx, t), pt(rt, r.cy), pt(r.cx, b), pt(l, r.cy)]),
        Shape::Hexagon => polygon(s, &[pt(l + k, t), pt(rt - k, t), pt(rt, r.cy), pt(rt - k, b), pt(l + k, b), pt(l, r.cy)]),
        Shape::Parallelogram => polygon(s, &[pt(l + k, t), pt(rt, t), pt(rt - k, b), pt(l, b)]),
        Shape::ParallelogramAlt => polygon(s, &[pt(l, t), pt(rt - k, t), pt(rt, b), pt(l + k, b)]),
        Shape::Trapezoid => polygon(s, &[pt(l + k, t), pt(rt - k, t), pt(rt, b), pt(l, b)]),
        Shape::TrapezoidAlt => polygon(s, &[pt(l, t), pt(rt, t), pt(rt - k, b), pt(l + k, b)]),
        Shape::Asymmetric => polygon(s, &[pt(l, t), pt(rt, t), pt(rt, b), pt(l, b), pt(l + k, r.cy)]),
        Shape::Circle | Shape::DoubleCircle => {
            let radius = r.w.min(r.h) / 2.0;
            let _ = write!(s, "<circle class=\"cg-flow-shape\" cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>", num(r.cx), num(r.cy), num(radius));
            if shape == Shape::DoubleCircle {
                let _ = write!(
                    s,
                    "<circle class=\"cg-flow-shape\" cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>",
                    num(r.cx),
                    num(r.cy),
                    num(radius - DOUBLE_GAP)
                );
            }
        }
        Shape::Cylinder => {
            let (rx, ry) = (r.w / 2.0, cap_height(r.w));
            let _ = write!(
                s,
                "<path class=\"cg-flow-shape\" d=\"M{},{}a{},{} 0 0 0 {},0a{},{} 0 0 0 {},0v{}a{},{} 0 0 0 {},0v{}\" {paint}/>",
                num(l),
                num(t + ry),
                num(rx),
                num(ry),
                num(r.w),
                num(rx),
                num(ry),
                num(-r.w),
                num(r.h - 2.0 * ry),
                num(rx),
                num(ry),
                num(r.w),
                num(-(r.h - 2.0 * ry))
            );
        }
        _ => {
            let _ = write!(
                s,
                "<rect class=\"cg-flow-shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {paint}/>",
                num(l),
                num(t),
                num(r.w),
                num(r.h),
                num(corner_radius(shape, r.w, r.h))
            );
            if shape == Shape::Subroutine {
                let _ = write!(
                    s,
                    "<path class=\"cg-flow-shape\" d=\"M{a},{t}V{b}M{c},{t}V{b}\" fill=\"none\" stroke=\"{FALLBACK_LINE}\" stroke-width=\"1.5\"/>",
                    a = num(l + FRAME),
                    c = num(rt - FRAME),
                    t = num(t),
                    b = num(b)
                );
            }
        }
    }
    let text_style = style_attr(&css(&node.style, true));
    let centre = if shape == Shape::Cylinder { pt(r.cx, r.cy + cap_height(r.w) / 2.0) } else { pt(r.cx, r.cy) };
    text_lines(s, centre, label, &text_style);
    s.push_str("</g>");
}

/// Writes wrapped lines centred on `c`.
fn text_lines(s: &mut String, c: Point, label: &Wrapped, style: &str) {
    let _ = write!(s, "<text class=\"cg-flow-text\" text-anchor=\"middle\" fill=\"{FALLBACK_FG}\"{style}>");
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
