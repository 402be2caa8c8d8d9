//! The real-world Mermaid corpus (`tests/fixtures/mermaid/`) built as a course: every chart
//! builds, is drawn as SVG with its subgraph titles, and no author text escapes as markup.

use crate::support::{Course, repo_root};

/// Every corpus chart as (file name, source), in name order.
fn charts() -> Vec<(String, String)> {
    let dir = repo_root().join("tests/fixtures/mermaid");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "mmd"))
        .map(|p| {
            let name = p.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read_to_string(&p).unwrap_or_default())
        })
        .collect();
    out.sort();
    out
}

/// A course with one lesson per corpus chart.
fn corpus_course(label: &str, charts: &[(String, String)]) -> Course {
    let mut course = Course::new(label);
    for (name, src) in charts {
        course = course.lesson(&format!("{name}.md"), &format!("# {name}\n\n```mermaid\n{src}```\n"));
    }
    course
}

#[test]
fn corpus_drawings_measure_clean_in_chromium() {
    if !crate::browser::browser_ready() {
        return;
    }
    let course = corpus_course("flow-corpus-browser", &charts());
    let run = course.build();
    assert!(run.ok(), "{}", run.stderr());
    crate::browser::assert_script_passes("flow.mjs", &course.path().join("book"));
}

#[test]
fn every_corpus_chart_builds_and_is_drawn() {
    let charts = charts();
    assert!(charts.len() >= 40, "{} charts", charts.len());
    let course = corpus_course("flow-corpus", &charts);
    let run = course.build();
    assert!(run.ok(), "{}", run.stderr());
    assert!(run.errors().is_empty(), "{:?}", run.errors());
    let mut shown_as_source = Vec::new();
    for (name, src) in &charts {
        let page = course.read(&format!("book/{name}.html"));
        if page.contains("class=\"cg-flow-source\"") {
            shown_as_source.push(name.as_str());
            continue;
        }
        assert!(page.contains("class=\"cg-flow-svg\""), "{name}: not drawn");
        assert!(!page.contains("<br") && !page.contains("<sub>"), "{name}: a label's HTML reached the page");
        let subgraphs = src.lines().filter(|l| l.trim_start().starts_with("subgraph")).count();
        let boxes = page.matches("<g class=\"cg-flow-cluster\"").count();
        assert!(boxes > 0 || subgraphs == 0, "{name}: {subgraphs} subgraphs, no box");
        assert_eq!(page.matches("class=\"cg-flow-cluster\"").count(), page.matches("cg-flow-cluster-box").count(), "{name}");
    }
    // Only the two charts made of v11 shapes that have no bracket spelling are not drawn.
    assert_eq!(shown_as_source, ["23-aprettycoo-mermaid-js", "24-aprettycoo-mermaid-js"]);
}

#[test]
fn valid_mermaid_we_do_not_draw_is_shown_as_source_with_a_warning() {
    let course = Course::new("flow-fallback")
        .lesson("a.md", "# A\n\n```mermaid\nflowchart LR\n  A@{ shape: bolt, label: \"Zap\" } --> B\n```\n\nAfter.\n");
    let run = course.build();
    assert!(run.ok(), "{}", run.stderr());
    let stderr = run.stderr();
    assert!(stderr.contains("content/a.md:5:7: warning: the `bolt` shape is valid Mermaid that coursegen does not draw"), "{stderr}");
    let page = course.read("book/a.html");
    assert!(
        page.contains(
            "<pre class=\"cg-flow-source\"><code class=\"language-mermaid\">flowchart LR\n  A@{ shape: bolt, label: &quot;Zap&quot; }"
        ),
        "{page}"
    );
    assert!(page.contains("uses the `bolt` shape, which coursegen does not draw"));
    assert!(page.contains("After."));
}

#[test]
fn a_typo_in_a_node_id_is_a_located_warning() {
    let course = Course::new("flow-typo").lesson("a.md", "# A\n\n```mermaid\nflowchart TD\n  B[Backend] --> C\n  E[Edge] --> BB\n```\n");
    let run = course.build();
    assert!(run.ok(), "{}", run.stderr());
    let stderr = run.stderr();
    assert!(stderr.contains("content/a.md:6:15: warning: `BB` is never given a label"), "{stderr}");
    assert!(stderr.contains("did you mean `B`?"), "{stderr}");
}

/// Two overlapping nodes, an edge through a third, a clipped label and an untitled box:
/// the Chromium check must report each.
const BROKEN_DIAGRAM: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Broken</title></head><body>
<svg xmlns="http://www.w3.org/2000/svg" class="cg-flow-svg" viewBox="0 0 400 300" width="400" height="300">
<g class="cg-flow-cluster" data-subgraph="s"><rect x="0" y="0" width="400" height="300"/></g>
<path class="cg-flow-edge" d="M10,150L390,150" fill="none" stroke="black"/>
<g class="cg-flow-node" data-node="A"><rect class="cg-flow-shape" x="20" y="20" width="80" height="40"/><text x="30" y="45">A label far too long for it</text></g>
<g class="cg-flow-node" data-node="B"><rect class="cg-flow-shape" x="60" y="30" width="80" height="40"/><text x="70" y="55">B</text></g>
<g class="cg-flow-node" data-node="C"><rect class="cg-flow-shape" x="180" y="130" width="60" height="40"/><text x="200" y="155">C</text></g>
</svg></body></html>"#;

#[test]
fn the_chromium_check_rejects_a_broken_drawing() {
    if !crate::browser::browser_ready() {
        return;
    }
    let site = crate::support::TempDir::new("flow-broken");
    std::fs::write(site.path().join("index.html"), BROKEN_DIAGRAM).expect("write index.html");
    for expected in ["nodes `A` and `B` overlap", "edge 1 passes through `C`", "the label of `A` is clipped", "subgraph `s` has no title"] {
        crate::browser::assert_script_fails_with("flow.mjs", site.path(), expected);
    }
}
