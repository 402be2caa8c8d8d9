//! Layout quality over a corpus of graphs: every check in `check_layout` must hold for each,
//! and particular graphs get particular promises (back edges around the side, directions).

use super::super::layout::RouteKind;
use super::super::{Direction, RenderOptions, render};
use super::{check_layout, graph, kinds};

pub(super) const STRAIGHT: &str =
    "Start Flask App\nSet app.secret_key\nUse secret_key for sessions & security\nApp runs with secure session handling\nEnd\n";
pub(super) const FLOWCHART: &str = "flowchart TD\n  A([Request arrives]) --> B{SECRET_KEY set?}\n  B -->|yes| C[Sign the session cookie]\n  B -->|no| D[RuntimeError when the session is written]\n  C --> E([Response sent])\n  D -.-> F[Set app.secret_key and retry]\n  F --> A\n";

/// A deterministic pseudo-random number generator (64-bit LCG), so "random" graphs are
/// the same on every run.
pub(super) struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// A flowchart of `n` nodes, mostly flowing forward, with some back edges, labels, shapes
/// and self-loops.
pub(super) fn random_flowchart(seed: u64, n: usize, dir: &str) -> String {
    let mut rng = Lcg(seed);
    let shapes = [("[", "]"), ("(", ")"), ("([", "])"), ("{", "}"), ("((", "))")];
    let words = ["load", "check the configuration", "retry", "ok", "send the response to the client", "x", "parse"];
    let mut s = format!("flowchart {dir}\n");
    for i in 0..n {
        let (o, c) = shapes[rng.below(shapes.len())];
        s.push_str(&format!("  N{i}{o}{} {i}{c}\n", words[rng.below(words.len())]));
    }
    for i in 1..n {
        let from = rng.below(i);
        let label = if rng.below(4) == 0 { format!("|{}|", words[rng.below(words.len())]) } else { String::new() };
        s.push_str(&format!("  N{from} -->{label} N{i}\n"));
    }
    for _ in 0..n / 4 {
        let (a, b) = (rng.below(n), rng.below(n));
        let link = ["-->", "-.->", "==>", "---"][rng.below(4)];
        s.push_str(&format!("  N{a} {link} N{b}\n"));
    }
    s
}

const CORPUS: &[(&str, &str)] = &[
    ("straight", STRAIGHT),
    ("format flowchart", FLOWCHART),
    ("single node", "Only step\n"),
    ("branch", "flowchart TD\n  A --> B\n  A --> C\n"),
    (
        "diamond merge",
        "flowchart TD\n  S([Start]) --> Q{Cached?}\n  Q -->|yes| R[Read cache]\n  Q -->|no| L[Load from disk]\n  R --> M[Render]\n  L --> M\n  M --> X([Done])\n",
    ),
    ("loop", "flowchart TD\n  A --> B --> C --> A\n"),
    (
        "nested loops",
        "flowchart TD\n  A[Init] --> B[Outer loop]\n  B --> C[Inner loop]\n  C --> D{Inner done?}\n  D -->|no| C\n  D -->|yes| E{Outer done?}\n  E -->|no| B\n  E -->|yes| F([Finish])\n",
    ),
    (
        "long labels",
        "flowchart TD\n  A[This label is long enough that it has to wrap over several lines to stay readable in a narrow column] -->|and this edge label is also rather long for an edge| B{Is Supercalifragilisticexpialidocious_and_a_long_identifier set?}\n  B -->|yes, of course it is| C((A circle with a long label inside))\n  B --> D([A stadium with a long label that wraps])\n",
    ),
    ("LR", "flowchart LR\n  A[Write code] --> B{Tests pass?}\n  B -->|no| C[Fix the bug]\n  C --> A\n  B -->|yes| D([Ship it])\n"),
    ("BT", "flowchart BT\n  A --> B --> C\n  A --> C\n  C -->|again| A\n"),
    ("RL", "graph RL\n  A((Start)) --> B(Rounded step) ==> C[Box]\n  C -.- D{Choice}\n  D -->|back| B\n"),
    ("self-loop", "flowchart TD\n  A[Poll the queue] -->|empty| A\n  A --> B[Handle the message]\n  B --> B\n  B -->|again| B\n"),
    ("decision self-loop", "flowchart LR\n  Q{Ready?} -->|no| Q\n  Q -->|yes| Go\n"),
    ("disconnected", "flowchart TD\n  A --> B\n  C --> D\n  E\n  F --> G --> F\n"),
    ("two-cycle", "flowchart TD\n  A --> B\n  B --> A\n  B -->|x| A\n"),
    ("multi-edges", "flowchart TD\n  A -->|one| B\n  A -->|two| B\n  A --> B\n  A ==> B\n"),
    ("fan out and in", "flowchart TD\n  S --> A & B & C & D & E & F & G & H\n  A & B & C & D & E & F & G & H --> T\n"),
    ("skip levels", "flowchart TD\n  A --> B --> C --> D --> E\n  A --> E\n  B -->|skip| D\n  A --> D\n"),
    ("all shapes", "flowchart TD\n  A[box] --> B(rounded) --> C([stadium]) --> D{decision} --> E((circle))\n  E --> A\n"),
    (
        "unicode",
        "flowchart TD\n  A[日本語のラベル] --> B[Ünïcödé e\u{301} 🚀 rocket]\n  B -->|✓ oui| C[\"quoted (with) [brackets] & <html>\"]\n",
    ),
    ("adjacent labelled back edge", "flowchart TD\n  A --> B\n  B -->|retry| A\n  B --> C\n  C --> D\n  D -->|again| C\n"),
    ("back edges from inner nodes", "flowchart TD\n  A --> B & C & D\n  C --> A\n  B --> E\n  D --> E\n  C --> E\n  E --> C\n"),
];

#[test]
fn every_corpus_graph_keeps_its_promises() {
    for &(name, src) in CORPUS {
        check_layout(name, &graph(src));
    }
}

#[test]
fn a_thirty_node_graph_keeps_its_promises() {
    let src = random_flowchart(30, 30, "TD");
    let g = graph(&src);
    assert_eq!(g.nodes.len(), 30);
    check_layout("30 nodes", &g);
}

#[test]
fn random_graphs_in_every_direction_keep_their_promises() {
    for seed in 0..40u64 {
        let dir = ["TD", "LR", "BT", "RL"][(seed % 4) as usize];
        let n = 4 + (seed as usize * 7) % 37;
        let src = random_flowchart(seed, n, dir);
        check_layout(&format!("seed {seed}:\n{src}"), &graph(&src));
    }
}

#[test]
fn the_loop_back_edge_goes_around_the_side() {
    let g = graph(FLOWCHART);
    let l = check_layout("format flowchart", &g);
    let back = l.edges.iter().find(|e| e.kind == RouteKind::Back).expect("a back edge");
    assert_eq!(back.edge, 5, "F --> A closes the loop");
    let rightmost_node = l.nodes.iter().map(|r| r.right()).fold(0.0, f64::max);
    let lane = back.path.flatten().iter().map(|p| p.x).fold(0.0, f64::max);
    assert!(lane > rightmost_node + 10.0, "the lane ({lane}) runs right of every node ({rightmost_node})");
    let (a, f) = (l.nodes[0], l.nodes[5]);
    assert!(back.path.end().x >= a.right() - 1.0, "enters `A` from its side");
    assert!(back.path.start.x >= f.right() - 1.0, "leaves `F` from its side");
}

#[test]
fn nodes_follow_the_direction() {
    for (dir, d) in [("TD", Direction::TopDown), ("BT", Direction::BottomUp), ("LR", Direction::LeftRight), ("RL", Direction::RightLeft)] {
        let g = graph(&format!("flowchart {dir}\n  A --> B --> C\n"));
        assert_eq!(g.direction, d);
        let l = check_layout(dir, &g);
        let (a, c) = (l.nodes[0], l.nodes[2]);
        let ok = match d {
            Direction::TopDown => a.bottom() < c.top(),
            Direction::BottomUp => a.top() > c.bottom(),
            Direction::LeftRight => a.right() < c.left(),
            Direction::RightLeft => a.left() > c.right(),
        };
        assert!(ok, "{dir}: A {a:?} C {c:?}");
    }
}

#[test]
fn self_loops_and_back_edges_get_their_own_routes() {
    let l = check_layout("self-loop", &graph("flowchart TD\n  A -->|empty| A\n  A --> B\n  B --> A\n"));
    assert_eq!(kinds(&l), vec![RouteKind::SelfLoop, RouteKind::Forward, RouteKind::Back]);
}

#[test]
fn branches_keep_the_written_order() {
    let l = check_layout("branch", &graph("flowchart TD\n  A{ok?} -->|yes| B\n  A -->|no| C\n"));
    assert!(l.nodes[1].cx < l.nodes[2].cx, "yes is drawn left of no, as written");
    let lr = check_layout("branch LR", &graph("flowchart LR\n  A{ok?} -->|yes| B\n  A -->|no| C\n"));
    assert!(lr.nodes[1].cy < lr.nodes[2].cy, "yes is drawn above no, as written");
}

#[test]
fn same_input_gives_byte_identical_html() {
    let opts = RenderOptions { id: "flow-1", title: Some("T") };
    for &(name, src) in CORPUS {
        let (a, b) = (render(&graph(src), &opts), render(&graph(src), &opts));
        assert_eq!(a, b, "{name}");
    }
    let src = random_flowchart(7, 50, "LR");
    assert_eq!(render(&graph(&src), &opts), render(&graph(&src), &opts));
}
