//! Course model → HTML. Pure: pages and blocks in, strings out.

pub mod code;
pub mod hidden;
pub mod highlight;
pub mod markdown;
pub mod math;
pub mod nav;
pub mod parts;
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
    blocks_numbered(md, page, samples, ids, &mut Numbers::default())
}

/// How many quizzes and flowcharts came before a page, so numbered ids
/// (`quiz-3`, `flow-2`) continue from there. This exists because mdBook's
/// print.html puts every chapter on one page: ids numbered per chapter would
/// repeat there, and radio groups of one name would join across chapters.
#[derive(Debug, Default, Clone, Copy)]
pub struct Numbers {
    pub quizzes: usize,
    pub flows: usize,
}

/// [`blocks_and_ids`], numbering blocks on from `numbers`, which it advances.
pub fn blocks_numbered(
    md: &Markdown<'_>,
    page: &Page,
    samples: Samples,
    ids: &mut Vec<String>,
    numbers: &mut Numbers,
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
    let Numbers { mut flows, mut quizzes } = *numbers;
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for block in page.blocks.iter() {
        let snippets = Snippets::new(md, &page.snippet_code);
        let html = match block {
            Block::Code(c) if samples == Samples::All || c.info.label.id().is_some_and(|id| pointed_at.contains(&id)) => {
                ids.extend(c.info.label.id().map(str::to_string));
                ids.extend(code::line_ids(&c.info, &c.code));
                diags.extend(markdown::unhighlighted(md.highlighter, &page.path, &page.text, &c.span, &c.info.lang, &c.code));
                hidden::code_sample(md, &c.info, &c.code)
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
            Block::Part(p) => {
                let source = crate::model::tracker_source(&page.blocks, p.from.as_ref().map(|f| f.value.as_str()));
                parts::part(&snippets, p, source, ids)
            }
        };
        let located = snippets.diags_at(&page.path, &first_line(&page.text, block.span()));
        diags.extend(located.into_iter().map(|d| at_its_link(d, page, block)));
        out.push((block.span(), html));
    }
    *numbers = Numbers { quizzes, flows };
    (out, diags)
}

/// A warning about a link a block's Markdown dropped, moved from the block's
/// first line to where the link is written, when the parser located it: in
/// the quiz file a `{{#quiz}}` includes, or in the block's body. This exists
/// because a warning at the `{{#quiz}}` line names the wrong file and line for
/// every link of a quiz file (issue 18).
fn at_its_link(d: Diagnostic, page: &Page, block: &Block) -> Diagnostic {
    let Some(url) = d.message.split('`').nth(1).filter(|_| d.message.contains("uses the unsafe scheme")) else { return d };
    let file = match block {
        Block::Quiz(q) => match &q.origin {
            crate::model::QuizOrigin::File(f) => Some(f.as_str()),
            _ => None,
        },
        _ => None,
    };
    let span = block.span();
    let inside = |l: &&crate::model::Link| match (file, &l.file) {
        (Some(f), Some(lf)) => f == lf,
        (None, None) => l.span.start >= span.start && l.span.end <= span.end,
        _ => false,
    };
    // As the warning names it: trimmed, at most 80 characters, control characters escaped.
    let named = |dest: &str| -> String {
        dest.trim().chars().take(80).flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] }).collect()
    };
    match page.links.iter().filter(inside).find(|l| named(&l.dest) == url) {
        Some(l) => Diagnostic { path: l.file.clone().unwrap_or_else(|| page.path.clone()), span: l.span.clone(), ..d },
        None => d,
    }
}

/// The first line of `span` in `text`, without its newline.
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let line = text.get(span.clone()).unwrap_or_default();
    span.start..span.start + line.find('\n').unwrap_or(line.len())
}

/// Renders a page's body: Markdown with every coursegen block and code sample
/// spliced in. The body lists the ids it has (headings' and blocks').
pub fn page_body(md: &Markdown<'_>, page: &Page) -> Body {
    book_page_body(md, page, markdown::Flavour::default())
}

/// [`page_body`] read with a book's [`markdown::Flavour`].
pub fn book_page_body(md: &Markdown<'_>, page: &Page, flavour: markdown::Flavour) -> Body {
    let mut ids = Vec::new();
    let (rendered, diags) = blocks_and_ids(md, page, Samples::All, &mut ids);
    let splices: Vec<Splice<'_>> = rendered.iter().map(|(span, html)| Splice { span: span.clone(), html }).collect();
    let text = (page.path.as_str(), &*page.text, page.body_start);
    let mut body = md.book_page(text, &splices, Collector::new(&page.blocks), flavour);
    body.diags.extend(diags);
    body.diags.sort_by_key(|d| d.span.start);
    body.block_ids.extend(ids);
    body
}
