//! The flow diagram model: plain data produced by the parser and read by the layout; no text
//! syntax and no geometry lives here.

use std::ops::Range;

/// The most nodes one diagram may have; more is reported as an error, because a diagram that
/// large is unreadable at any page width.
pub const MAX_NODES: usize = 200;

/// The most edges one diagram may have; more is reported as an error, because the layout
/// time grows with edges times layers.
pub const MAX_EDGES: usize = 500;

/// What a flow block shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drawing {
    /// The diagram, drawn as SVG.
    Graph(Graph),
    /// Valid Mermaid that is not drawn: its source, and the feature that stopped it.
    Source { code: String, feature: String },
}

/// A parsed flow diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Which way the flow runs.
    pub direction: Direction,
    /// The nodes, in order of first mention.
    pub nodes: Vec<Node>,
    /// The edges, in source order; `from` and `to` index `nodes`.
    pub edges: Vec<Edge>,
    /// `subgraph … end` groups, parents before their children.
    pub subgraphs: Vec<Subgraph>,
    /// The figure's title (front matter `title:` or `accTitle:`), when the source gives one.
    pub title: Option<String>,
    /// `accDescr:`: a description for screen readers, used as the SVG's `<desc>`.
    pub description: Option<String>,
}

impl Graph {
    /// A graph with the given parts and no subgraphs, title or description.
    pub fn new(direction: Direction, nodes: Vec<Node>, edges: Vec<Edge>) -> Self {
        Graph { direction, nodes, edges, subgraphs: Vec::new(), title: None, description: None }
    }
}

/// A `subgraph id [Title]` … `end` group, drawn as a titled box around its nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph {
    /// The name edges use to point at the box.
    pub id: String,
    /// The text drawn at the top of the box.
    pub title: String,
    /// Indices of the nodes declared inside, nested subgraphs' nodes included.
    pub nodes: Vec<usize>,
    /// The enclosing subgraph, as an index into `Graph::subgraphs`.
    pub parent: Option<usize>,
    /// Colours and line set by `style` or `class`.
    pub style: Style,
    /// Where `subgraph` is written, as a byte range into the block body.
    pub span: Range<usize>,
}

/// The safe subset of CSS a diagram may set on a node, subgraph or edge: colours are kept
/// only when they are a plain colour value, so no author text reaches a style sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Style {
    pub fill: Option<String>,
    pub stroke: Option<String>,
    pub stroke_width: Option<String>,
    pub stroke_dasharray: Option<String>,
    /// The text colour.
    pub color: Option<String>,
    pub font_weight: Option<String>,
    /// `font-style: italic`, set by a Markdown string written all in `*italic*`.
    pub italic: bool,
}

impl Style {
    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Style::default()
    }

    /// Every property `other` sets replaces this one's.
    pub fn merge(&mut self, other: &Style) {
        let pick = |a: &mut Option<String>, b: &Option<String>| {
            if b.is_some() {
                a.clone_from(b);
            }
        };
        pick(&mut self.fill, &other.fill);
        pick(&mut self.stroke, &other.stroke);
        pick(&mut self.stroke_width, &other.stroke_width);
        pick(&mut self.stroke_dasharray, &other.stroke_dasharray);
        pick(&mut self.color, &other.color);
        pick(&mut self.font_weight, &other.font_weight);
        self.italic |= other.italic;
    }
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
    /// Colours and line set by `style`, `class` or `:::name`.
    pub style: Style,
    /// True once the node was written with a shape and label, not just named by an edge.
    pub declared: bool,
}

impl Node {
    /// A box labelled with its id, as a node first named by an edge is.
    pub fn named(id: &str, span: Range<usize>) -> Self {
        Node { id: id.to_string(), label: id.to_string(), shape: Shape::Box, span, style: Style::default(), declared: false }
    }
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
    /// `A[(text)]`: a cylinder, for a database.
    Cylinder,
    /// `A{{text}}`: a hexagon, for preparation.
    Hexagon,
    /// `A[[text]]`: a box with double sides, for a subroutine.
    Subroutine,
    /// `A[/text/]`: leaning right, for input and output.
    Parallelogram,
    /// `A[\text\]`: leaning left.
    ParallelogramAlt,
    /// `A[/text\]`: wide at the bottom.
    Trapezoid,
    /// `A[\text/]`: wide at the top.
    TrapezoidAlt,
    /// `A(((text)))`: a circle inside a circle, for a stop.
    DoubleCircle,
    /// `A>text]`: a flag with a notch on the left.
    Asymmetric,
}

impl Shape {
    /// Every shape, for tests and documentation tables.
    pub const ALL: [Shape; 14] = [
        Shape::Box,
        Shape::Rounded,
        Shape::Stadium,
        Shape::Decision,
        Shape::Circle,
        Shape::Cylinder,
        Shape::Hexagon,
        Shape::Subroutine,
        Shape::Parallelogram,
        Shape::ParallelogramAlt,
        Shape::Trapezoid,
        Shape::TrapezoidAlt,
        Shape::DoubleCircle,
        Shape::Asymmetric,
    ];

    /// The CSS class suffix (`cg-flow-node--NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Shape::Box => "box",
            Shape::Rounded => "rounded",
            Shape::Stadium => "stadium",
            Shape::Decision => "decision",
            Shape::Circle => "circle",
            Shape::Cylinder => "cylinder",
            Shape::Hexagon => "hexagon",
            Shape::Subroutine => "subroutine",
            Shape::Parallelogram => "parallelogram",
            Shape::ParallelogramAlt => "parallelogram-alt",
            Shape::Trapezoid => "trapezoid",
            Shape::TrapezoidAlt => "trapezoid-alt",
            Shape::DoubleCircle => "double-circle",
            Shape::Asymmetric => "asymmetric",
        }
    }
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
    /// The mark at the target end when it is not an arrowhead (`--o`, `--x`).
    pub head: Mark,
    /// The mark at the source end (`<-->`, `o--o`, `x--x`).
    pub tail: Mark,
    /// How many ranks the edge spans at least: `--->` is one more than `-->`.
    pub length: usize,
    /// `linkStyle` colours and line.
    pub style: Style,
    /// The subgraph whose box the edge leaves, when it was written from a subgraph id;
    /// `from` is then one of its nodes.
    pub from_box: Option<usize>,
    /// The subgraph whose box the edge enters, as `from_box`.
    pub to_box: Option<usize>,
    /// Where the edge's link token is, as a byte range into the block body.
    pub span: Range<usize>,
}

impl Edge {
    /// A plain solid arrow from `from` to `to`.
    pub fn arrow(from: usize, to: usize, span: Range<usize>) -> Self {
        Edge {
            from,
            to,
            label: None,
            stroke: Stroke::Solid,
            arrow: true,
            head: Mark::None,
            tail: Mark::None,
            length: 1,
            style: Style::default(),
            from_box: None,
            to_box: None,
            span,
        }
    }
}

/// An end mark other than the arrowhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mark {
    /// No mark (or the arrowhead, for the target end, when `arrow` is set).
    #[default]
    None,
    /// An arrowhead at the source end (`<-->`).
    Arrow,
    /// `o`: a small circle.
    Circle,
    /// `x`: a cross.
    Cross,
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
    /// `~~~`: not drawn; it only keeps its nodes in order.
    Invisible,
}
