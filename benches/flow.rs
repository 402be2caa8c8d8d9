//! Benchmark of the flow diagram module: parse, layout and SVG for a 50-node flowchart,
//! many runs, printing the median time per run (target: under 5 ms). Std only, no harness:
//! `cargo bench --bench flow`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use coursegen::flow::{RenderOptions, parse, render};

/// A deterministic 50-node flowchart: a spine with branches, merges, loops and labels,
/// like a large lesson diagram.
fn fifty_node_flowchart() -> String {
    let mut state: u64 = 0x5eed;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let shapes = [("[", "]"), ("(", ")"), ("{", "}"), ("([", "])")];
    let mut s = String::from("flowchart TD\n");
    for i in 0..50 {
        let (open, close) = shapes[next(shapes.len() as u64) as usize];
        s.push_str(&format!("  N{i}{open}Step {i}: do the thing number {i}{close}\n"));
    }
    for i in 1..50u64 {
        let from = i.saturating_sub(1 + next(3));
        let label = if next(4) == 0 { "|yes|" } else { "" };
        s.push_str(&format!("  N{from} -->{label} N{i}\n"));
    }
    for _ in 0..8 {
        let (a, b) = (next(50), next(50));
        s.push_str(&format!("  N{a} -.-> N{b}\n"));
    }
    s
}

fn main() {
    let src = fifty_node_flowchart();
    let opts = RenderOptions { id: "bench", title: Some("Benchmark") };
    let run = || {
        let graph = parse(black_box(&src)).expect("the benchmark graph parses");
        black_box(render(&graph, &opts))
    };
    for _ in 0..50 {
        run();
    }
    let mut times: Vec<Duration> = (0..500)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let pct = |p: usize| times[(times.len() - 1) * p / 100];
    println!(
        "flow: 50-node flowchart, parse + layout + SVG: median {:.3} ms (min {:.3} ms, p90 {:.3} ms, {} runs)",
        pct(50).as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        pct(90).as_secs_f64() * 1e3,
        times.len()
    );
}
