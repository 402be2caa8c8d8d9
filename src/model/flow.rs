//! The flow diagram model: plain data produced by the parser and read by the layout; no text
//! syntax and no geometry lives here.

use std::ops::Range;

/// The most nodes one diagram may have; more is reported as an error, because a diagram that
/// large is unreadable at any page width.
pub const MAX_NODES: usize = 200;

/// The most edges one diagram may have; more is reported as an error, because the layout
/// time grows with edges times layers.
pub const MAX_EDGES: usize = 500;

/// A parsed flow diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Which way the flow runs.
    pub direction: Direction,
    /// The nodes, in order of first mention.
    pub nodes: Vec<Node>,
    /// The edges, in source order; `from` and `to` index `nodes`.
    pub edges: Vec<Edge>,
}

/// Which way the flow runs (Mermaid's `TD`/`TB`, `BT`, `LR`, `RL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Top to bottom (`TD` or `TB`), the default.
    #[default]
    TopDown,
    /// Bottom to top (`BT`).
    BottomUp,
    /// Left to right (`LR`).
    LeftRight,
    /// Right to left (`RL`).
    RightLeft,
}

impl Direction {
    /// True when ranks run along the x axis.
    pub fn is_horizontal(self) -> bool {
        matches!(self, Direction::LeftRight | Direction::RightLeft)
    }
}

/// One step of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The name edges use (for the straight form, `n1`, `n2`, …).
    pub id: String,
    /// The text drawn in the node; `\n` forces a line break.
    pub label: String,
    /// The outline drawn around the label.
    pub shape: Shape,
    /// Where the node is first mentioned, as a byte range into the block body.
    pub span: Range<usize>,
}

/// The outline of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// `A[text]`: a rectangle; also a node mentioned without a shape.
    #[default]
    Box,
    /// `A(text)`: a rectangle with rounded corners.
    Rounded,
    /// `A([text])`: a pill, used for the start and end of a straight flow.
    Stadium,
    /// `A{text}`: a diamond, for a question with branches.
    Decision,
    /// `A((text))`: a circle.
    Circle,
}

/// A connection between two nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Index of the node the edge leaves.
    pub from: usize,
    /// Index of the node the edge enters.
    pub to: usize,
    /// Text written on the edge (`-->|yes|` or `-- yes -->`).
    pub label: Option<String>,
    /// How the line is drawn.
    pub stroke: Stroke,
    /// True when the edge ends in an arrowhead (`-->`), false for a plain line (`---`).
    pub arrow: bool,
    /// Where the edge's link token is, as a byte range into the block body.
    pub span: Range<usize>,
}

/// How an edge's line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stroke {
    /// `-->` and `---`.
    #[default]
    Solid,
    /// `-.->` and `-.-`.
    Dotted,
    /// `==>` and `===`.
    Thick,
}
