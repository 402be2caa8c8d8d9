//! Benchmark of the flow diagram module: parse, layout and SVG for a 50-node flowchart, a
//! 200-node one with subgraphs and styles, and the largest chart of the real-world corpus,
//! printing the median time per run (targets: 5 ms for 50 nodes, 20 ms for 200). Std only,
//! no harness: `cargo bench --bench flow`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use coursegen::flow::{RenderOptions, parse, render};

/// A deterministic `n`-node flowchart: a spine with branches, merges, loops and labels,
/// like a large lesson diagram; with `groups`, every 20 nodes are a subgraph and some nodes
/// carry a class.
fn flowchart(n: u64, groups: bool) -> String {
    let mut state: u64 = 0x5eed;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let shapes = [("[", "]"), ("(", ")"), ("{", "}"), ("([", "])"), ("[(", ")]"), ("{{", "}}")];
    let mut s = String::from("flowchart TD\n  classDef hot fill:#f96,stroke:#333\n");
    for i in 0..n {
        if groups && i % 20 == 0 {
            s.push_str(&format!("  subgraph G{i} [Group {i}]\n"));
        }
        let (open, close) = shapes[next(shapes.len() as u64) as usize];
        let class = if groups && i % 7 == 0 { ":::hot" } else { "" };
        s.push_str(&format!("  N{i}{open}Step {i}: do the thing number {i}{close}{class}\n"));
        if groups && (i % 20 == 19 || i == n - 1) {
            s.push_str("  end\n");
        }
    }
    for i in 1..n {
        let from = i.saturating_sub(1 + next(3));
        let label = if next(4) == 0 { "|yes|" } else { "" };
        s.push_str(&format!("  N{from} -->{label} N{i}\n"));
    }
    for _ in 0..n / 6 {
        let (a, b) = (next(n), next(n));
        s.push_str(&format!("  N{a} -.-> N{b}\n"));
    }
    s
}

/// Median, min and p90 of `runs` timed runs of parse + layout + SVG.
fn measure(name: &str, src: &str, runs: usize) {
    let opts = RenderOptions { id: "bench", title: Some("Benchmark") };
    let run = || {
        let graph = parse(black_box(src)).expect("the benchmark graph parses");
        black_box(render(&graph, &opts))
    };
    for _ in 0..runs / 10 {
        run();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let pct = |p: usize| times[(times.len() - 1) * p / 100];
    println!(
        "flow: {name}, parse + layout + SVG: median {:.3} ms (min {:.3} ms, p90 {:.3} ms, {} runs)",
        pct(50).as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        pct(90).as_secs_f64() * 1e3,
        times.len()
    );
}

fn main() {
    measure("50-node flowchart", &flowchart(50, false), 500);
    measure("200-node flowchart with subgraphs", &flowchart(200, true), 100);
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mermaid/25-mermaid-js-flowchart-code-flow.mmd");
    if let Ok(src) = std::fs::read_to_string(corpus) {
        measure("largest corpus chart", &src, 200);
    }
}
