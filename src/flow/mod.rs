//! Flow diagrams: parses a ```` ```flow ```` block body and draws it as inline SVG at build
//! time; it takes strings and returns strings, and never touches the disk or the clock.
//!
//! The pipeline, one module per step:
//!
//! 1. [`parse`] reads either syntax into a [`Graph`]: the straight form (`straight.rs`, one
//!    node per line) or the Mermaid flowchart subset (`mermaid.rs`, with `link.rs` and
//!    `shape.rs` for the tokens), collecting every problem as a located [`FlowError`].
//! 2. `text.rs` measures labels with a character-width table and wraps them, so every node
//!    is sized to its text.
//! 3. `layout/` places the graph in layers (Sugiyama style): cycle breaking and ranks
//!    (`rank.rs`), dummy nodes and crossing reduction (`order.rs`), coordinates
//!    (`place.rs`), then edge routes (`route.rs`, `loops.rs` for back edges and self-loops).
//!    All of it works in "rank space" (ranks run down) and is turned to the requested
//!    direction at the end.
//! 4. [`render`] writes the `<figure>`: the SVG (`svg.rs`) and the text alternative
//!    (`html.rs`).
//!
//! Output is deterministic: no hash maps, and every float is computed in a fixed order,
//! so the same input gives byte-identical HTML.

mod html;
mod keyword;
mod label;
mod layout;
mod link;
mod mermaid;
mod shape;
mod straight;
mod style;
mod svg;
mod text;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use crate::model::flow::{Direction, Drawing, Edge, Graph, MAX_EDGES, MAX_NODES, Mark, Node, Shape, Stroke, Style, Subgraph};

/// A problem in a flow block; `span` is a byte range into the `body` passed to [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    /// The offending token, as a byte range into the block body.
    pub span: Range<usize>,
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The feature, when the source is valid Mermaid that coursegen does not draw (rather
    /// than a mistake): the block is then shown as its source, with a warning.
    pub unsupported: Option<String>,
}

impl FlowError {
    fn new(span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        FlowError { span, message: message.into(), hint: Some(hint.into()), unsupported: None }
    }

    /// Valid Mermaid that is not drawn; `feature` names it ("the `bolt` shape").
    fn unsupported(span: Range<usize>, feature: impl Into<String>) -> Self {
        let feature = feature.into();
        FlowError {
            span,
            message: format!("{feature} is valid Mermaid that coursegen does not draw; the diagram is shown as its source"),
            hint: Some("use one of the shapes and forms listed in the guide's Mermaid section".to_string()),
            unsupported: Some(feature),
        }
    }
}

/// True when the body's first non-empty, non-`%%` line after any front matter starts with
/// the word `flowchart` or `graph` (a Mermaid flowchart); otherwise it is a straight flow.
pub fn is_flowchart(body: &str) -> bool {
    let (_, start) = mermaid::front_matter(body);
    significant_lines(body).find(|&(offset, _)| offset >= start).is_some_and(|(_, line)| header_keyword(line).is_some())
}

/// Parses either syntax: a flowchart (see [`is_flowchart`]) or the straight form (one node
/// per line). Reports every problem found, not just the first; warnings are dropped.
pub fn parse(body: &str) -> Result<Graph, Vec<FlowError>> {
    parse_with_warnings(body, &mut Vec::new())
}

/// [`parse`], with the problems that do not stop the drawing (dropped styles, `click`,
/// a likely typo in a node id) added to `warnings`.
pub fn parse_with_warnings(body: &str, warnings: &mut Vec<FlowError>) -> Result<Graph, Vec<FlowError>> {
    if significant_lines(body).next().is_none() {
        let hint = "write one step per line, or start with `flowchart TD` for branches";
        return Err(vec![FlowError::new(0..body.len(), "the flow block is empty", hint)]);
    }
    if is_flowchart(body) { mermaid::parse(body, warnings) } else { straight::parse(body) }
}

/// Settings for one [`render`] call.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Unique per diagram on the page, e.g. `"flow-1"`; prefix of every id inside the SVG.
    pub id: &'a str,
    /// The caption, also used as the SVG's `<title>`.
    pub title: Option<&'a str>,
}

/// The HTML for a block: the drawing, or the source of a diagram that is not drawn.
pub fn render_drawing(drawing: &Drawing, opts: &RenderOptions) -> String {
    match drawing {
        Drawing::Graph(graph) => render(graph, opts),
        Drawing::Source { code, feature } => html::source_figure(code, feature),
    }
}

/// The complete HTML for the diagram: a `<figure class="cg-flow">` with the inline `<svg>`,
/// the text alternative, and a `<figcaption>` from the title when given.
pub fn render(graph: &Graph, opts: &RenderOptions) -> String {
    let layout = layout::layout(graph);
    html::figure(graph, &layout, opts)
}

/// The lines that carry content, with their byte offset: not blank, not a `%%` comment.
fn significant_lines(body: &str) -> impl Iterator<Item = (usize, &str)> {
    lines_with_offsets(body).filter(|(_, line)| {
        let t = line.trim();
        !t.is_empty() && !t.starts_with("%%")
    })
}

/// Every line of `body` without its line ending, with the byte offset where it starts.
fn lines_with_offsets(body: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    body.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        (start, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// The header keyword (`flowchart` or `graph`) when `line` starts with one as a whole word.
fn header_keyword(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    ["flowchart", "graph"]
        .into_iter()
        .find(|kw| t.strip_prefix(kw).is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ';')))
}
