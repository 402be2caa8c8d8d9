//! Output tests: the figure's structure, ids, accessibility attributes, escaping and the
//! text alternative.

use super::super::{RenderOptions, render};
use super::graph;
use super::quality::{FLOWCHART, STRAIGHT};

fn html(src: &str, id: &str, title: Option<&str>) -> String {
    render(&graph(src), &RenderOptions { id, title })
}

/// Every `id="…"` in the output.
fn ids(s: &str) -> Vec<&str> {
    s.match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &s[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect()
}

#[test]
fn figure_structure_and_accessibility() {
    let s = html(FLOWCHART, "flow-3", Some("Session signing"));
    assert!(s.starts_with(
        "<figure class=\"cg-flow\"><figcaption class=\"cg-flow-caption\">Session signing</figcaption><div class=\"cg-flow-scroll\"><svg "
    ));
    assert!(s.ends_with("</details></figure>"));
    assert!(s.contains("role=\"img\" aria-labelledby=\"flow-3-title flow-3-desc\""));
    assert!(s.contains("<title id=\"flow-3-title\">Session signing</title>"));
    assert!(s.contains("<desc id=\"flow-3-desc\">A flowchart of 6 steps and 6 connections, starting at \u{201c}Request arrives\u{201d}"));
    assert!(s.contains("viewBox=\"0 0 "));
    // Shrinks to fit a narrow page down to 11/14 of its size, then scrolls in its figure.
    let width: f64 = s.split("width=\"").nth(1).and_then(|w| w.split('"').next()).and_then(|w| w.parse().ok()).unwrap_or(0.0);
    let min = (width * 11.0 / 14.0).ceil();
    assert!(s.contains(&format!("style=\"width:100%;max-width:{width}px;min-width:{min}px;height:auto\"")), "{s}");
    assert!(s.contains("marker-end=\"url(#flow-3-arrow)\""));
    assert!(s.contains("<details class=\"cg-flow-alt\"><summary>Diagram as text</summary><ol>"));
    for id in ids(&s) {
        assert!(id.starts_with("flow-3-"), "{id} is not prefixed");
    }
    let untitled = html(FLOWCHART, "f", None);
    assert!(!untitled.contains("<figcaption"));
    assert!(untitled.contains("<title id=\"f-title\">Flow diagram</title>"));
}

#[test]
fn two_diagrams_on_a_page_share_no_id() {
    let page = html(FLOWCHART, "flow-1", None) + &html(FLOWCHART, "flow-2", None);
    let mut all = ids(&page);
    let count = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), count);
}

#[test]
fn text_alternative_reads_steps_and_branches() {
    let s = html(FLOWCHART, "f", None);
    let alt = &s[s.find("<ol>").unwrap_or(0)..];
    assert_eq!(
        alt,
        "<ol><li>Request arrives</li>\
         <li>SECRET_KEY set?<ul><li>yes \u{2192} Sign the session cookie (step 3)</li><li>no \u{2192} RuntimeError when the session is written (step 5)</li></ul></li>\
         <li>Sign the session cookie</li>\
         <li>Response sent (end)</li>\
         <li>RuntimeError when the session is written</li>\
         <li>Set app.secret_key and retry \u{2192} Request arrives (step 1)</li></ol></details></figure>"
    );
    let straight = html(STRAIGHT, "s", None);
    assert!(
        straight.contains("<ol><li>Start Flask App</li><li>Set app.secret_key</li><li>Use secret_key for sessions &amp; security</li>")
    );
    assert!(
        straight.contains("<desc id=\"s-desc\">A flow of 5 steps, from \u{201c}Start Flask App\u{201d} to \u{201c}End\u{201d}.</desc>")
    );
}

#[test]
fn all_label_text_is_escaped() {
    let s = html("flowchart TD\nA[\"<script>&'quotes' 1 < 2</script>\"] -->|\"a<b\"| B\n", "x\"<", Some("<T&'\">"));
    assert!(!s.contains("<script>") && !s.contains("&lt;script"));
    assert!(s.contains("&amp;&#39;quotes&#39; 1 &lt; 2"));
    assert!(s.contains("a&lt;b"));
    assert!(s.contains("&lt;T&amp;&#39;&quot;&gt;"));
    assert!(s.contains("id=\"x&quot;&lt;-title\""));
}

#[test]
fn fallback_paint_without_css() {
    let s = html(STRAIGHT, "p", None);
    assert!(s.contains("fill=\"#f6f8fa\" stroke=\"#57606a\""));
    assert!(s.contains("<text class=\"cg-flow-text\" text-anchor=\"middle\" fill=\"#1f2328\">"));
}
