//! The HTML around a diagram: the `<figure>`, its caption, and the text alternative that
//! lists the steps and branches for screen readers and for when the SVG cannot be shown.

use std::fmt::Write;

use super::RenderOptions;
use super::layout::Layout;
use super::svg::{SvgText, svg};
use crate::model::flow::Graph;

/// One escaper for all author text, here as in the rest of the crate.
pub(crate) use crate::html::escape_html as escape;

/// A Mermaid block we do not draw: its source, with a note saying why.
pub(super) fn source_figure(source: &str, feature: &str) -> String {
    format!(
        "<figure class=\"cg-flow cg-flow--source\"><pre class=\"cg-flow-source\"><code class=\"language-mermaid\">{}</code></pre>\
         <figcaption class=\"cg-flow-note\">This Mermaid diagram uses {}, which coursegen does not draw; it is shown as written.</figcaption></figure>",
        escape(source),
        escape(feature)
    )
}

/// The whole figure.
pub(super) fn figure(graph: &Graph, layout: &Layout, opts: &RenderOptions) -> String {
    let caption = opts.title.or(graph.title.as_deref());
    let title = caption.unwrap_or("Flow diagram");
    let desc = match &graph.description {
        Some(d) => format!("{d} {}", summary(graph)),
        None => summary(graph),
    };
    let mut s = String::from("<figure class=\"cg-flow\">");
    if let Some(t) = caption {
        let _ = write!(s, "<figcaption class=\"cg-flow-caption\">{}</figcaption>", escape(t));
    }
    // The drawing scrolls inside its figure rather than shrinking its text below 11px.
    s.push_str("<div class=\"cg-flow-scroll\">");
    s.push_str(&svg(graph, layout, &SvgText { id: opts.id, title, desc: &desc }));
    s.push_str("</div><details class=\"cg-flow-alt\"><summary>Diagram as text</summary>");
    s.push_str(&steps_list(graph));
    s.push_str("</details></figure>");
    s
}

/// A label on one line, for running text.
fn flat(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One sentence describing the diagram, for the SVG's `<desc>`.
fn summary(graph: &Graph) -> String {
    let n = graph.nodes.len();
    let steps = if n == 1 { "1 step".to_string() } else { format!("{n} steps") };
    let Some(first) = graph.nodes.first() else {
        return "An empty flow diagram.".to_string();
    };
    let chain =
        graph.edges.iter().enumerate().all(|(i, e)| e.from == i && e.to == i + 1 && e.label.is_none()) && graph.edges.len() + 1 == n;
    if chain {
        let last = graph.nodes.last().map_or(String::new(), |l| flat(&l.label));
        if n == 1 {
            return format!("A flow of 1 step: {}.", flat(&first.label));
        }
        return format!("A flow of {steps}, from \u{201c}{}\u{201d} to \u{201c}{last}\u{201d}.", flat(&first.label));
    }
    let links = graph.edges.len();
    let links = if links == 1 { "1 connection".to_string() } else { format!("{links} connections") };
    format!(
        "A flowchart of {steps} and {links}, starting at \u{201c}{}\u{201d}; the steps are listed under \u{201c}Diagram as text\u{201d}.",
        flat(&first.label)
    )
}

/// The order steps are listed in: depth first from the nodes nothing points at, following
/// edges as written, so each branch is read to its end before the next.
fn reading_order(graph: &Graph) -> Vec<usize> {
    let n = graph.nodes.len();
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_in = vec![false; n];
    for (i, e) in graph.edges.iter().enumerate() {
        if e.from < n && e.to < n {
            out_edges[e.from].push(i);
            if e.from != e.to {
                has_in[e.to] = true;
            }
        }
    }
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for root in (0..n).filter(|&v| !has_in[v]).chain(0..n) {
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            order.push(v);
            stack.extend(out_edges[v].iter().rev().map(|&e| graph.edges[e].to));
        }
    }
    order
}

/// The text alternative: an ordered list of steps; where a step does not simply lead to
/// the next one, where it leads is said, with branches as a nested list.
fn steps_list(graph: &Graph) -> String {
    let order = reading_order(graph);
    let mut step_of = vec![0usize; graph.nodes.len()];
    for (i, &v) in order.iter().enumerate() {
        step_of[v] = i + 1;
    }
    let steps = Steps { graph, step_of };
    let mut s = String::from("<ol>");
    for (i, &v) in order.iter().enumerate() {
        let Some(node) = graph.nodes.get(v) else {
            continue;
        };
        let _ = write!(s, "<li>{}", escape(&flat(&node.label)));
        steps.links(&mut s, v, order.get(i + 1).copied());
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    s
}

/// The graph with each node's step number in the text alternative.
struct Steps<'a> {
    graph: &'a Graph,
    step_of: Vec<usize>,
}

impl Steps<'_> {
    /// Where node `v` leads, unless it is just `next`; "(end)" when it leads nowhere but
    /// more steps follow.
    fn links(&self, s: &mut String, v: usize, next: Option<usize>) {
        let n = self.graph.nodes.len();
        let outs: Vec<_> = self.graph.edges.iter().filter(|e| e.from == v && e.to < n).collect();
        match outs.as_slice() {
            [] if next.is_some() => s.push_str(" (end)"),
            [] => {}
            [e] if e.label.is_none() && Some(e.to) == next => {}
            [e] if e.label.is_none() => {
                let _ = write!(s, " {} {}", connector(e.arrow), self.target(e.to, v));
            }
            _ => {
                s.push_str("<ul>");
                for e in outs {
                    let label = e.label.as_deref().map(|l| format!("{} ", escape(&flat(l))));
                    let (label, arrow) = (label.unwrap_or_default(), connector(e.arrow));
                    let _ = write!(s, "<li>{label}{arrow} {}</li>", self.target(e.to, v));
                }
                s.push_str("</ul>");
            }
        }
    }

    /// How a link from `from` names its target.
    fn target(&self, to: usize, from: usize) -> String {
        if to == from {
            return "this step again".to_string();
        }
        let label = self.graph.nodes.get(to).map_or(String::new(), |n| flat(&n.label));
        let step = self.step_of.get(to).copied().unwrap_or(0);
        format!("{} (step {step})", escape(&label))
    }
}

fn connector(arrow: bool) -> &'static str {
    if arrow { "\u{2192}" } else { "\u{2014}" }
}
