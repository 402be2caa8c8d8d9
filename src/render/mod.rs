//! Course model → HTML. Pure: pages and blocks in, strings out.

pub mod code;
pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod nav;
pub mod quiz;
pub mod steps;

use crate::flow;
use crate::model::{Block, Page, StepsBlock};
use markdown::{Body, Markdown, Splice};

/// Renders a page's body: Markdown with every coursegen block spliced in.
pub fn page_body(md: &Markdown<'_>, page: &Page) -> Body {
    let mut rendered: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let (mut flows, mut quizzes) = (0, 0);
    for block in &page.blocks {
        let html = match block {
            Block::Code(_) => continue,
            Block::Flow(f) => {
                flows += 1;
                let id = f.attrs.get("id").map_or_else(|| format!("flow-{flows}"), str::to_string);
                flow::render(&f.graph, &flow::RenderOptions { id: &id, title: f.attrs.get("title") })
            }
            Block::Steps(s) => steps::steps(md, s),
            Block::Tracker(t) => {
                // A tracker without a source was reported when the page was parsed.
                steps::tracker(md, t, tracker_source(page, t.attrs.get("from")))
            }
            Block::Quiz(q) => {
                quizzes += 1;
                quiz::quiz(md, q, quizzes)
            }
        };
        rendered.push((block.span(), html));
    }
    let splices: Vec<Splice<'_>> = rendered.iter().map(|(span, html)| Splice { span: span.clone(), html }).collect();
    md.page(&page.path, &page.text, page.body_start, &splices)
}

/// The steps block a tracker derives from: the one named by `from`, else the
/// page's block without an id, else its only steps block.
pub fn tracker_source<'p>(page: &'p Page, from: Option<&str>) -> Option<&'p StepsBlock> {
    let steps: Vec<&StepsBlock> = page
        .blocks
        .iter()
        .filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None })
        .collect();
    match from {
        Some(id) => steps.into_iter().find(|s| s.attrs.get("id") == Some(id)),
        None => steps
            .iter()
            .find(|s| s.attrs.get("id").is_none())
            .copied()
            .or_else(|| if steps.len() == 1 { steps.first().copied() } else { None }),
    }
}
