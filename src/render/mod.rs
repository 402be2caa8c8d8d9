//! Course model → HTML. Pure: pages and blocks in, strings out.

pub mod code;
pub mod highlight;
pub mod markdown;
pub mod nav;
pub mod quiz;
pub mod steps;
pub mod text;
pub mod theme;
pub mod url;
pub mod view;

use std::ops::Range;

use crate::diag::Diagnostic;
use crate::flow;
use crate::model::{Block, Page, StepsBlock};
use crate::render::text::Collector;
use markdown::{Body, Markdown, Snippets, Splice};

/// Which fenced code samples [`blocks`] renders besides coursegen's own blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Samples {
    /// None: the Markdown renderer draws them (`coursegen build`).
    Skip,
    /// Those a steps block points at by id (mdBook drops the `id=` of a fenced
    /// block, and the step player finds a sample by its id).
    PointedAt,
}

/// Every coursegen block of a page rendered to HTML, with its span: the one
/// place that decides how a block looks, for every front-end. Also returns
/// the warnings about links the blocks' Markdown dropped, each at the first
/// line of its block.
pub fn blocks(md: &Markdown<'_>, page: &Page, samples: Samples) -> (Vec<(Range<usize>, String)>, Vec<Diagnostic>) {
    let pointed_at: Vec<&str> = match samples {
        Samples::Skip => Vec::new(),
        Samples::PointedAt => page.blocks.iter().filter_map(|b| if let Block::Steps(s) = b { s.attrs.get("code") } else { None }).collect(),
    };
    let (mut flows, mut quizzes) = (0, 0);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for block in page.blocks.iter() {
        let snippets = Snippets::new(md);
        let html = match block {
            Block::Code(c) if c.attrs.get("id").is_some_and(|id| pointed_at.contains(&id)) => {
                code::code_block(md.highlighter, info_string(&page.text[c.span.clone()]), &c.code)
            }
            Block::Code(_) => continue,
            Block::Flow(f) => {
                flows += 1;
                let id = f.attrs.get("id").map_or_else(|| format!("flow-{flows}"), str::to_string);
                flow::render(&f.graph, &flow::RenderOptions { id: &id, title: f.attrs.get("title") })
            }
            Block::Steps(s) => steps::steps(&snippets, s),
            // A tracker without a source was reported when the page was parsed.
            Block::Tracker(t) => steps::tracker(&snippets, t, tracker_source(page, t.attrs.get("from"))),
            Block::Quiz(q) => {
                quizzes += 1;
                quiz::quiz(&snippets, q, quizzes)
            }
        };
        diags.extend(snippets.diags_at(&page.path, &first_line(&page.text, block.span())));
        out.push((block.span(), html));
    }
    (out, diags)
}

/// The first line of `span` in `text`, without its newline.
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let line = text.get(span.clone()).unwrap_or_default();
    span.start..span.start + line.find('\n').unwrap_or(line.len())
}

/// The info string of a fenced block's source: its first line after the fence.
fn info_string(fenced: &str) -> &str {
    let first = fenced.lines().next().unwrap_or_default().trim_start();
    first.trim_start_matches(['`', '~']).trim()
}

/// Renders a page's body: Markdown with every coursegen block spliced in.
pub fn page_body(md: &Markdown<'_>, page: &Page) -> Body {
    let (rendered, diags) = blocks(md, page, Samples::Skip);
    let splices: Vec<Splice<'_>> = rendered.iter().map(|(span, html)| Splice { span: span.clone(), html }).collect();
    let mut body = md.page(&page.path, &page.text, page.body_start, &splices, Collector::new(&page.blocks));
    body.diags.extend(diags);
    body.diags.sort_by_key(|d| d.span.start);
    body
}

/// The steps block a tracker derives from: the one named by `from`, else the
/// page's block without an id, else its only steps block.
pub fn tracker_source<'p>(page: &'p Page, from: Option<&str>) -> Option<&'p StepsBlock> {
    let steps: Vec<&StepsBlock> = page.blocks.iter().filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None }).collect();
    match from {
        Some(id) => steps.into_iter().find(|s| s.attrs.get("id") == Some(id)),
        None => steps
            .iter()
            .find(|s| s.attrs.get("id").is_none())
            .copied()
            .or_else(|| if steps.len() == 1 { steps.first().copied() } else { None }),
    }
}
