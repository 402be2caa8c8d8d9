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
use crate::model::{Block, Page};
use crate::render::text::Collector;
use markdown::{Body, Markdown, Snippets, Splice};

/// Which fenced code samples [`blocks`] renders besides coursegen's own blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Samples {
    /// All of them, from the model (`coursegen build`): their info strings
    /// were read once, by the parser.
    All,
    /// Those a steps block points at by id (mdBook renders the others; it drops
    /// the `id=` of a fenced block, and the step player finds a sample by its id).
    PointedAt,
}

/// Every coursegen block of a page rendered to HTML, with its span: the one
/// place that decides how a block looks, for every front-end. Also returns
/// the warnings about links the blocks' Markdown dropped, each at the first
/// line of its block.
pub fn blocks(md: &Markdown<'_>, page: &Page, samples: Samples) -> (Vec<(Range<usize>, String)>, Vec<Diagnostic>) {
    let mut ids = Vec::new();
    blocks_and_ids(md, page, samples, &mut ids)
}

/// [`blocks`], adding to `ids` every id the blocks' HTML has that a link may
/// point at: step rows, questions, and the blocks' own ids. They are the
/// rendered truth the cross-reference checker compares links with.
pub fn blocks_and_ids(
    md: &Markdown<'_>,
    page: &Page,
    samples: Samples,
    ids: &mut Vec<String>,
) -> (Vec<(Range<usize>, String)>, Vec<Diagnostic>) {
    let pointed_at: Vec<&str> = match samples {
        Samples::All => Vec::new(),
        Samples::PointedAt => page
            .blocks
            .iter()
            .filter_map(|b| if let Block::Steps(s) = b { s.code.as_ref() } else { None })
            .map(|c| c.value.as_str())
            .collect(),
    };
    let (mut flows, mut quizzes) = (0, 0);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for block in page.blocks.iter() {
        let snippets = Snippets::new(md);
        let html = match block {
            Block::Code(c) if samples == Samples::All || c.info.label.id().is_some_and(|id| pointed_at.contains(&id)) => {
                ids.extend(c.info.label.id().map(str::to_string));
                diags.extend(markdown::unhighlighted(md.highlighter, &page.path, &page.text, &c.span, &c.info.lang, &c.code));
                code::code_block(md.highlighter, &c.info, &c.code)
            }
            Block::Code(_) => continue,
            Block::Flow(f) => {
                flows += 1;
                let id = f.element_id(flows);
                let html = flow::render_drawing(&f.drawing, &flow::RenderOptions { id: &id, title: f.label.title() });
                ids.push(id);
                html
            }
            Block::Steps(s) => steps::steps(&snippets, s, ids),
            // A tracker without a source was reported when the page was parsed.
            Block::Tracker(t) => {
                ids.extend(t.label.id().map(str::to_string));
                steps::tracker(&snippets, t, page.tracker_source(t))
            }
            Block::Quiz(q) => {
                quizzes += 1;
                quiz::quiz(&snippets, q, quizzes, ids)
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

/// Renders a page's body: Markdown with every coursegen block and code sample
/// spliced in. The body lists the ids it has (headings' and blocks').
pub fn page_body(md: &Markdown<'_>, page: &Page) -> Body {
    let mut ids = Vec::new();
    let (rendered, diags) = blocks_and_ids(md, page, Samples::All, &mut ids);
    let splices: Vec<Splice<'_>> = rendered.iter().map(|(span, html)| Splice { span: span.clone(), html }).collect();
    let mut body = md.page(&page.path, &page.text, page.body_start, &splices, Collector::new(&page.blocks));
    body.diags.extend(diags);
    body.diags.sort_by_key(|d| d.span.start);
    body.block_ids = ids;
    body
}
