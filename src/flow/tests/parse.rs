//! Parser tests: both syntaxes, every supported form, and each diagnostic pinned with its
//! exact message, hint and span.

use super::super::{Direction, FlowError, MAX_EDGES, MAX_NODES, Mark, Shape, Stroke, is_flowchart, parse};
use super::graph;
use super::quality::{FLOWCHART, STRAIGHT};

/// The only error `src` produces.
fn error(src: &str) -> FlowError {
    match parse(src) {
        Ok(g) => panic!("{src:?} parsed: {g:?}"),
        Err(mut errors) => {
            assert_eq!(errors.len(), 1, "{src:?}: {errors:#?}");
            errors.remove(0)
        }
    }
}

/// The byte range of the first `needle` in `src`.
fn at(src: &str, needle: &str) -> std::ops::Range<usize> {
    let i = src.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {src:?}"));
    i..i + needle.len()
}

#[test]
fn detects_flowcharts() {
    assert!(is_flowchart("flowchart TD\nA-->B"));
    assert!(is_flowchart("\n%% comment\n  graph LR\nA-->B"));
    assert!(is_flowchart("graph"));
    assert!(is_flowchart("graph;A-->B"));
    assert!(!is_flowchart("graphs are fun\nEnd"));
    assert!(!is_flowchart("Start Flask App\nflowchart TD"));
    assert!(!is_flowchart(""));
}

#[test]
fn straight_flow_from_format_md() {
    let g = graph(STRAIGHT);
    assert_eq!(g.direction, Direction::TopDown);
    let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(labels[2], "Use secret_key for sessions & security");
    let shapes: Vec<Shape> = g.nodes.iter().map(|n| n.shape).collect();
    assert_eq!(shapes, [Shape::Stadium, Shape::Box, Shape::Box, Shape::Box, Shape::Stadium]);
    assert_eq!(g.edges.len(), 4);
    assert!(g.edges.iter().enumerate().all(|(i, e)| e.from == i && e.to == i + 1 && e.arrow));
    assert_eq!(g.nodes[1].span, at(STRAIGHT, "Set app.secret_key"));
}

#[test]
fn straight_flow_skips_blank_and_comment_lines_and_trims() {
    let g = graph("\n  First  \r\n%% note\n\nSecond\n");
    let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(labels, ["First", "Second"]);
    assert_eq!(g.nodes[0].span, 3..8);
}

#[test]
fn flowchart_from_format_md() {
    let g = graph(FLOWCHART);
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E", "F"]);
    assert_eq!(g.nodes[0].shape, Shape::Stadium);
    assert_eq!(g.nodes[1].shape, Shape::Decision);
    assert_eq!(g.nodes[1].label, "SECRET_KEY set?");
    assert_eq!(g.edges[1].label.as_deref(), Some("yes"));
    assert_eq!(g.edges[4].stroke, Stroke::Dotted);
    assert_eq!((g.edges[5].from, g.edges[5].to), (5, 0));
    assert_eq!(g.nodes[0].span, at(FLOWCHART, "A"));
    assert_eq!(g.edges[4].span, at(FLOWCHART, "-.->"));
}

#[test]
fn every_edge_form() {
    let g = graph(
        "graph LR\nA --> B\nA --- C\nA -.-> D\nA -.- E\nA ==> F\nA === G\nA -- yes --> H\nA -. maybe .-> I\nA == sure ==> J\nA --->|long| K\nA-->L\n",
    );
    let forms: Vec<(Stroke, bool, Option<&str>)> = g.edges.iter().map(|e| (e.stroke, e.arrow, e.label.as_deref())).collect();
    use Stroke::*;
    assert_eq!(
        forms,
        [
            (Solid, true, None),
            (Solid, false, None),
            (Dotted, true, None),
            (Dotted, false, None),
            (Thick, true, None),
            (Thick, false, None),
            (Solid, true, Some("yes")),
            (Dotted, true, Some("maybe")),
            (Thick, true, Some("sure")),
            (Solid, true, Some("long")),
            (Solid, true, None),
        ]
    );
    assert_eq!(g.direction, Direction::LeftRight);
}

#[test]
fn every_shape_and_label_form() {
    let g = graph(
        "flowchart TD\nA[box] --> B(rounded) --> C([stadium]) --> D{decision} --> E((circle))\nF[\"text with (parens) and ]\"] --> G\nH[one<br>two<br/>three] --> I[f(x) and g(y)]\nJ(call f(x))\n",
    );
    let got: Vec<(&str, Shape, &str)> = g.nodes.iter().map(|n| (n.id.as_str(), n.shape, n.label.as_str())).collect();
    assert_eq!(
        got[..5],
        [
            ("A", Shape::Box, "box"),
            ("B", Shape::Rounded, "rounded"),
            ("C", Shape::Stadium, "stadium"),
            ("D", Shape::Decision, "decision"),
            ("E", Shape::Circle, "circle")
        ]
    );
    assert_eq!(got[5], ("F", Shape::Box, "text with (parens) and ]"));
    assert_eq!(got[6], ("G", Shape::Box, "G"), "a node without a shape is labelled with its id");
    assert_eq!(got[7].2, "one\ntwo\nthree");
    assert_eq!(got[8].2, "f(x) and g(y)");
    assert_eq!(got[9].2, "call f(x)");
}

#[test]
fn chains_groups_semicolons_and_comments() {
    let g = graph("graph TD; A --> B --> C\n%% a comment\nD & E --> F & G; X\n");
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(edges, [(0, 1), (1, 2), (3, 5), (3, 6), (4, 5), (4, 6)]);
    assert_eq!(g.nodes.len(), 8);
}

#[test]
fn later_shapes_replace_earlier_ones_and_styling_is_ignored() {
    let g = graph(
        "flowchart TD\nA --> B\nB{Decide}\nclassDef hot fill:#f00\nclass B hot\nstyle A fill:#0f0\nsubgraph one [Group]\n  C --> D\nend\nlinkStyle 0 stroke:#f00\n",
    );
    assert_eq!(g.nodes[1].shape, Shape::Decision);
    assert_eq!(g.nodes[1].label, "Decide");
    assert_eq!(g.nodes.len(), 4);
}

#[test]
fn ids_may_hold_dashes_and_dots_between_words() {
    let g = graph("flowchart TD\nstep-1 --> step.2-->C\n");
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["step-1", "step.2", "C"]);
}

#[test]
fn empty_block() {
    for src in ["", "   \n\n", "%% only a comment\n"] {
        let e = error(src);
        assert_eq!(e.message, "the flow block is empty");
        assert_eq!(e.span, 0..src.len());
        assert_eq!(e.hint.as_deref(), Some("write one step per line, or start with `flowchart TD` for branches"));
    }
    let e = error("flowchart TD\n");
    assert_eq!(e.message, "the flowchart has no nodes");
    assert_eq!(e.span, 0..12);
}

#[test]
fn dangling_edge() {
    let src = "flowchart TD\n  A -->\n";
    let e = error(src);
    assert_eq!(e.message, "edge from `A` has no target");
    assert_eq!(e.span, 17..20);
    assert_eq!(e.hint.as_deref(), Some("write the target node after the edge, e.g. `A --> B`, or delete the edge"));
    let e = error("flowchart TD\nA --> B -->|yes|;");
    assert_eq!(e.message, "edge from `B` has no target");
    let e = error("flowchart TD\n--> B\n");
    assert_eq!((e.message.as_str(), e.span), ("edge has no source node", 13..14));
}

#[test]
fn every_mermaid_shape() {
    let src = "flowchart TD\nA[(db)] --> B{{hex}} --> C[[sub]] --> D[/in/] --> E[\\alt\\] --> F[/trap\\]\n\
               F --> G[\\inv/] --> H(((stop))) --> I>flag] --> J([pill]) --> K((c)) --> L(r) --> M{d} --> N[b]\n\
               O@{ shape: cyl, label: \"Orders\" } --> P@{ shape: lean-r } --> Q@{shape: dbl-circ, label: \"x\"}\n";
    let g = graph(src);
    let shapes: Vec<Shape> = g.nodes.iter().map(|n| n.shape).collect();
    assert_eq!(
        shapes,
        [
            Shape::Cylinder,
            Shape::Hexagon,
            Shape::Subroutine,
            Shape::Parallelogram,
            Shape::ParallelogramAlt,
            Shape::Trapezoid,
            Shape::TrapezoidAlt,
            Shape::DoubleCircle,
            Shape::Asymmetric,
            Shape::Stadium,
            Shape::Circle,
            Shape::Rounded,
            Shape::Decision,
            Shape::Box,
            Shape::Cylinder,
            Shape::Parallelogram,
            Shape::DoubleCircle,
        ]
    );
    let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(&labels[..9], ["db", "hex", "sub", "in", "alt", "trap", "inv", "stop", "flag"]);
    assert_eq!(&labels[14..], ["Orders", "P", "x"]);
}

#[test]
fn shapes_mermaid_has_that_we_do_not_draw_are_unsupported_not_wrong() {
    let src = "flowchart TD\nA@{ shape: bolt } --> B\n";
    let e = error(src);
    assert_eq!(e.unsupported.as_deref(), Some("the `bolt` shape"));
    assert_eq!(e.span, at(src, "shape"));
    let e = error("flowchart TD\nA@{ img: \"x.png\" }\n");
    assert_eq!(e.unsupported.as_deref(), Some("node attribute `img`"));
    // A real mistake stays an error, not "unsupported".
    assert!(error("flowchart TD\nA[x --> B\n").unsupported.is_none());
}

#[test]
fn every_mermaid_edge() {
    let g = graph(
        "flowchart LR\nA <--> B\nA o--o C\nA x--x D\nA --o E\nA --x F\nA ~~~ G\nA ---> H\nA -...-> I\nA ===> J\nA e1@--> K\n\
         A <-- both --> L\nA -- text ---> M\nA == thick ==> N\nA -. dots .-> O\n",
    );
    let e: Vec<(Stroke, bool, Mark, Mark, usize)> = g.edges.iter().map(|e| (e.stroke, e.arrow, e.tail, e.head, e.length)).collect();
    use Stroke::*;
    assert_eq!(
        e,
        [
            (Solid, true, Mark::Arrow, Mark::None, 1),
            (Solid, false, Mark::Circle, Mark::Circle, 1),
            (Solid, false, Mark::Cross, Mark::Cross, 1),
            (Solid, false, Mark::None, Mark::Circle, 1),
            (Solid, false, Mark::None, Mark::Cross, 1),
            (Invisible, false, Mark::None, Mark::None, 1),
            (Solid, true, Mark::None, Mark::None, 2),
            (Dotted, true, Mark::None, Mark::None, 3),
            (Thick, true, Mark::None, Mark::None, 2),
            (Solid, true, Mark::None, Mark::None, 1),
            (Solid, true, Mark::Arrow, Mark::None, 1),
            (Solid, true, Mark::None, Mark::None, 2),
            (Thick, true, Mark::None, Mark::None, 1),
            (Dotted, true, Mark::None, Mark::None, 1),
        ]
    );
    let labels: Vec<Option<&str>> = g.edges[10..].iter().map(|e| e.label.as_deref()).collect();
    assert_eq!(labels, [Some("both"), Some("text"), Some("thick"), Some("dots")]);
    assert_eq!(g.nodes.len(), 15);
    let g = graph("flowchart TD\nA & B --> C & D\n");
    let pairs: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(pairs, [(0, 2), (0, 3), (1, 2), (1, 3)]);
}

#[test]
fn labels_hold_brackets_breaks_entities_and_markdown() {
    let g = graph(
        "flowchart TD\nA[\"f(x) [i] {k}\"] --> B[\"`**Bold**`\"]\nC[one<br>two<br/>three\\nfour] --> D[#quot;q#quot; #9829;]\n\
         E[<i>it</i> H<sub>2</sub>O] --> F[fa:fa-car Car]\n",
    );
    let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(labels, ["f(x) [i] {k}", "Bold", "one\ntwo\nthree\nfour", "\"q\" \u{2665}", "it H2O", "Car"]);
    assert_eq!(g.nodes[1].style.font_weight.as_deref(), Some("bold"));
    // Only markup: the id stands in, the tag never reaches the drawing.
    assert_eq!(graph("flowchart TD\nB{\"<img src=x onerror=alert(1)>\"}\n").nodes[0].label, "B");
}

#[test]
fn subgraphs_group_nodes_and_edges_attach_to_their_box() {
    let src = "flowchart LR\nsubgraph api [API layer]\n  direction TB\n  A --> B\n  subgraph db[\"Store\"]\n    C[(Orders)]\n  end\nend\n\
               subgraph Plain title\nD\nend\nX --> api\napi --> D\ndb --> X\n";
    let g = graph(src);
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "X"], "no node is invented for a subgraph id");
    let sg: Vec<(&str, &str, Vec<usize>, Option<usize>)> =
        g.subgraphs.iter().map(|s| (s.id.as_str(), s.title.as_str(), s.nodes.clone(), s.parent)).collect();
    assert_eq!(
        sg,
        [("api", "API layer", vec![0, 1, 2], None), ("db", "Store", vec![2], Some(0)), ("Plain title", "Plain title", vec![3], None)]
    );
    let ends: Vec<(usize, usize, Option<usize>, Option<usize>)> = g.edges.iter().map(|e| (e.from, e.to, e.from_box, e.to_box)).collect();
    assert_eq!(ends, [(0, 1, None, None), (4, 0, None, Some(0)), (2, 3, Some(0), None), (2, 4, Some(1), None)]);
    assert_eq!(error("flowchart TD\nsubgraph a\nA\n").message, "`subgraph` is never closed");
    assert_eq!(error("flowchart TD\nA\nend\n").message, "`end` without an open `subgraph`");
}

#[test]
fn styles_apply_the_safe_subset_and_warn_about_the_rest() {
    let src = "flowchart TD\nA:::hot --> B\nB --> C\nclassDef hot fill:#f96,stroke-width:3px,font-size:30px\nclass B,C cool\n\
               classDef cool stroke:#00f\nstyle C fill:url(x),color:#fff\nlinkStyle 1 stroke:red\nlinkStyle 9 stroke:red\n\
               click A href \"https://x\"\nclass A missing\n";
    let mut warnings = Vec::new();
    let g = super::super::parse_with_warnings(src, &mut warnings).expect("parses");
    assert_eq!(g.nodes[0].style.fill.as_deref(), Some("#f96"));
    assert_eq!(g.nodes[0].style.stroke_width.as_deref(), Some("3px"));
    assert_eq!(g.nodes[1].style.stroke.as_deref(), Some("#00f"));
    assert_eq!((g.nodes[2].style.fill.as_deref(), g.nodes[2].style.color.as_deref()), (None, Some("#fff")));
    assert_eq!((g.edges[0].style.stroke.as_deref(), g.edges[1].style.stroke.as_deref()), (None, Some("red")));
    let found: Vec<(&str, std::ops::Range<usize>)> = warnings.iter().map(|w| (w.message.as_str(), w.span.clone())).collect();
    assert_eq!(
        found,
        [
            ("style `font-size` is not drawn: only these properties are drawn", at(src, "font-size:30px")),
            ("style `fill:url(x)` is not drawn: its value is not a plain colour or length", at(src, "fill:url(x)")),
            ("`click` is ignored: a diagram drawn at build time has no click handlers", at(src, "click A href \"https://x\"")),
            ("class `missing` is never defined", at(src, "missing")),
            ("`linkStyle` names edge 9, but the diagram has 2 edges", at(src, "9 stroke").start..at(src, "9 stroke").start + 1),
        ]
    );
}

#[test]
fn front_matter_init_and_accessibility_lines() {
    let src = "---\ntitle: Order flow\n---\n%%{init: {\"theme\": \"dark\"}}%%\nflowchart TD\naccTitle: Orders\n\
               accDescr {\n  How an order\n  is paid\n}\nA --> B\n";
    assert!(is_flowchart(src));
    let g = graph(src);
    assert_eq!(g.title.as_deref(), Some("Orders"));
    assert_eq!(g.description.as_deref(), Some("How an order is paid"));
    let g = graph("---\ntitle: \"Order flow\"\n---\ngraph LR\nA --> B\n");
    assert_eq!((g.title.as_deref(), g.direction), (Some("Order flow"), Direction::LeftRight));
}

#[test]
fn a_stray_id_one_letter_from_a_labelled_node_gets_did_you_mean() {
    let src = "flowchart TD\nB[Backend] --> C[Cache]\nE[Edge] --> BB\nE --> Z\n";
    let mut warnings = Vec::new();
    let g = super::super::parse_with_warnings(src, &mut warnings).expect("parses");
    assert_eq!(g.nodes.len(), 5);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].span, at(src, "BB"));
    assert_eq!(warnings[0].hint.as_deref(), Some("did you mean `B`?"));
}

#[test]
fn unbalanced_brackets() {
    let src = "flowchart TD\nA[label --> B\n";
    let e = error(src);
    assert_eq!((e.message.as_str(), e.span.clone()), ("unclosed `[`", 14..15));
    assert_eq!(e.hint.as_deref(), Some("close the label with `]`"));
    let e = error("flowchart TD\nA((circle) --> B\n");
    assert_eq!((e.message.as_str(), e.span), ("unclosed `((`", 14..16));
    let src = "flowchart TD\nA --> B]\n";
    let e = error(src);
    assert_eq!((e.message.as_str(), e.span), ("unexpected `]`", 20..21));
    let e = error("flowchart TD\nA[\"open quote] --> B\n");
    assert_eq!((e.message.as_str(), e.span), ("unclosed `\"` in a label", 15..16));
    let e = error("flowchart TD\nA[\"q\" x] --> B\n");
    assert_eq!((e.message.as_str(), e.span), ("expected `]` after the quoted label", 19..20));
    let e = error("flowchart TD\nA -->|yes B\n");
    assert_eq!((e.message.as_str(), e.span), ("unclosed `|` in an edge label", 18..19));
    let e = error("flowchart TD\nA -- yes B\n");
    assert_eq!((e.message.as_str(), e.span), ("edge label opened with `--` is never closed", 15..17));
    let e = error("flowchart TD\nA[]\n");
    assert_eq!((e.message.as_str(), e.span), ("the label of `A` is empty", 14..16));
}

#[test]
fn unknown_direction() {
    let src = "flowchart XY\nA --> B\n";
    let e = error(src);
    assert_eq!(e.message, "unknown direction `XY`");
    assert_eq!(e.span, 10..12);
    assert_eq!(e.hint.as_deref(), Some("use one of `TD`, `TB`, `LR`, `BT`, `RL`"));
    let e = error("graph TD LR\nA\n");
    assert_eq!((e.message.as_str(), e.span), ("unexpected `LR` after the direction", 9..11));
    assert_eq!(graph("graph\nA\n").direction, Direction::TopDown);
    assert_eq!(graph("flowchart TB\nA\n").direction, Direction::TopDown);
    assert_eq!(graph("flowchart BT\nA\n").direction, Direction::BottomUp);
    assert_eq!(graph("flowchart RL\nA\n").direction, Direction::RightLeft);
}

#[test]
fn a_line_ending_in_an_edge_continues_on_the_next() {
    let g = graph("flowchart TD\nA --- B ---\n  C --> D\n");
    let pairs: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(pairs, [(0, 1), (1, 2), (2, 3)]);
}

#[test]
fn broken_edges() {
    let e = error("flowchart TD\nA -x B\n");
    assert_eq!(e.message, "unknown edge `-`");
    let e = error("flowchart TD\nA + B\n");
    assert_eq!((e.message.as_str(), e.span), ("unexpected `+`", 15..16));
}

#[test]
fn too_many_nodes() {
    let straight: String = (0..=MAX_NODES).map(|i| format!("step {i}\n")).collect();
    let e = error(&straight);
    assert_eq!(e.message, "the diagram has more than 200 nodes");
    assert_eq!(e.span, at(&straight, "step 200"));
    assert_eq!(e.hint.as_deref(), Some("split it into several smaller diagrams"));
    let mut chart = String::from("flowchart TD\n");
    for i in 0..=MAX_NODES {
        chart.push_str(&format!("N{i} --> M{i}\n"));
    }
    let errors = parse(&chart).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span, at(&chart, "N100"), "node 201 is N100, the 201st id mentioned");
    let exactly: String = (0..MAX_NODES).map(|i| format!("step {i}\n")).collect();
    assert_eq!(graph(&exactly).nodes.len(), MAX_NODES);
}

#[test]
fn reports_every_problem() {
    let src = "flowchart XY\nB -x C\nC --> D\nE[oops\nA -->\n";
    let errors = parse(src).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["unknown direction `XY`", "unknown edge `-`", "unclosed `[`", "edge from `A` has no target"]);
    for e in &errors {
        assert!(e.span.end <= src.len() && e.span.start <= e.span.end);
        assert!(!e.message.ends_with('.') && e.message.chars().next().is_some_and(|c| !c.is_uppercase()));
    }
}

#[test]
fn too_many_edges() {
    let mut chart = String::from("flowchart TD\n");
    for i in 0..=MAX_EDGES {
        chart.push_str(&format!("A{} --> A{}\n", i % 10, (i + 1) % 10));
    }
    let e = error(&chart);
    assert_eq!(e.message, "the diagram has more than 500 edges");
    // Edge 501 is on line 502 (after the header), its arrow 3 bytes in (`A0 -->`).
    let start: usize = chart.lines().take(501).map(|l| l.len() + 1).sum();
    assert_eq!(e.span, start + 3..start + 6);
}
