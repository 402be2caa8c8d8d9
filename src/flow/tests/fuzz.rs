//! Odd and hostile inputs: nothing may panic, every error span must lie inside the body on
//! character boundaries, and whatever parses must render.

use super::super::{RenderOptions, parse, render};
use super::check_layout;
use super::quality::Lcg;

fn survive(src: &str) {
    match parse(src) {
        Ok(g) => {
            let html = render(&g, &RenderOptions { id: "z", title: Some(src) });
            assert!(html.ends_with("</figure>"));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.span.start <= e.span.end && e.span.end <= src.len(), "{src:?}: {e:?}");
                assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end), "{src:?}: {e:?}");
                assert!(!e.message.is_empty());
            }
        }
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    let cases = [
        "[",
        "]",
        "(",
        "{",
        "flowchart",
        "graph TD\n[",
        "graph TD\n]",
        "graph TD\nA[",
        "graph TD\nA(",
        "graph TD\nA{",
        "graph TD\nA((",
        "graph TD\nA([",
        "graph TD\nA[\"",
        "graph TD\nA -->|",
        "graph TD\nA --",
        "graph TD\nA -.",
        "graph TD\nA ==",
        "graph TD\nA -",
        "graph TD\n-->",
        "graph TD\n&",
        "graph TD\nA &",
        "graph TD\nA & -->",
        "graph TD\n;;;",
        "graph TD\nA-->A-->A",
        "graph TD\né --> ü",
        "graph TD\n日本 --> 語",
        "graph TD\nA[🚀] --> B{é\u{301}}",
        "graph TD\nA[\u{0}] --> B",
        "graph TD\nA -->|\u{200b}| B",
        "graph TD\r\nA --> B\r\n",
        "graph TD\nend\nend",
        "graph TD\nsubgraph\nA\nend",
        "flowchart TD;",
        "graph TD\nA---->B",
        "graph TD\nA-.-.->B",
        "graph TD\nA===>B",
        "graph TD\nA --> B -- x",
        "graph TD\nA[a]]",
        "graph TD\nA[[a]",
        "graph TD\nA(((a",
        "%%",
        "%%\n%%",
        "\u{feff}Step",
        "\t\t",
        "graph TD\n\tA\t-->\tB",
        "graph TD\nA[<br><br>] --> B",
        "graph TD\nA -->|<br>| B",
        "graph TD\nA-->B\nB-->A\nA-->A\nB-->B",
        "graph TD\nA --> B & & C",
    ];
    for src in cases {
        survive(src);
    }
}

#[test]
fn random_byte_soup_does_not_panic() {
    let alphabet: Vec<char> = "AB ->-.=|[](){}&;\"%\n\té🚀<>x~/\\".chars().collect();
    let mut rng = Lcg(99);
    for round in 0..400 {
        let len = 1 + rng.below(60);
        let body: String = (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect();
        let src = if round % 2 == 0 { format!("flowchart TD\n{body}") } else { body };
        survive(&src);
    }
}

#[test]
fn the_node_limit_renders() {
    let mut src = String::from("flowchart TD\n");
    for i in 0..199 {
        src.push_str(&format!("N{i} --> N{}\n", i + 1));
        if i % 7 == 0 {
            src.push_str(&format!("N{} --> N{}\n", i + 1, i / 2));
        }
    }
    let g = parse(&src).expect("200 nodes parse");
    assert_eq!(g.nodes.len(), 200);
    check_layout("200 nodes", &g);
}

#[test]
fn dangling_indices_in_a_hand_built_graph_are_skipped() {
    use super::super::{Direction, Edge, Graph, Node};
    let node = |id: &str| Node::named(id, 0..0);
    let edge = |from, to| Edge::arrow(from, to, 0..0);
    let g = Graph::new(Direction::LeftRight, vec![node("A"), node("B")], vec![edge(0, 1), edge(0, 9), edge(7, 7)]);
    let html = render(&g, &RenderOptions { id: "h", title: None });
    assert!(html.contains("data-node=\"B\""));
    let empty = Graph::new(Direction::TopDown, vec![], vec![]);
    assert!(render(&empty, &RenderOptions { id: "e", title: None }).contains("<svg"));
}
