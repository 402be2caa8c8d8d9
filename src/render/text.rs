//! The searchable text of a page: its sections' headings and prose, code
//! samples and quiz prompts, as plain text. Pure; gathered while the page's
//! body is rendered ([`Collector`]), so the Markdown is parsed once. Issue 8:
//! parsing it again for the index took 40% of indexing.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::model::Block;
use crate::render::view::HeadingView;

/// A stretch of a page from one heading to the next (the first one starts at
/// the top of the page and has no heading).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's anchor id; empty for the text before the first heading.
    pub anchor: String,
    pub heading: String,
    /// Plain text, whitespace collapsed.
    pub text: String,
}

/// A page's sections, shared between its body and the index.
pub type Sections = std::sync::Arc<[Section]>;

/// Gathers the sections from the page's Markdown events, in source order,
/// with their offsets in the page's text.
pub struct Collector<'p> {
    /// Our blocks (not plain code), in source order: their text comes from
    /// the model.
    ours: Vec<&'p Block>,
    done: Vec<bool>,
    out: Vec<Section>,
    in_heading: bool,
}

impl<'p> Collector<'p> {
    pub fn new(blocks: &'p [Block]) -> Self {
        let mut ours: Vec<&Block> = blocks.iter().filter(|b| !matches!(b, Block::Code(_))).collect();
        ours.sort_by_key(|b| b.span().start);
        Collector { done: vec![false; ours.len()], ours, out: vec![Section::default()], in_heading: false }
    }

    /// Takes one event of the page's Markdown; `at` is its offset in the page.
    pub fn event(&mut self, event: &Event<'_>, range: &Range<usize>) {
        let at = range.start;
        // Blocks do not overlap: only the last one starting at or before
        // `at` may hold it. Issue 23: a scan of every block for every event
        // made a page of 40,000 quizzes take 17 s.
        let i = self.ours.partition_point(|b| b.span().start <= at).checked_sub(1);
        if let Some(i) = i.filter(|&i| self.ours[i].span().contains(&at)) {
            if !std::mem::replace(&mut self.done[i], true) {
                block_text(self.ours[i], &mut self.last().text);
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.out.push(Section::default());
                self.in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => self.in_heading = false,
            Event::Text(t) | Event::Code(t) if !self.in_heading => self.last().text.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.last().text.push(' '),
            // The end of a block (paragraph, item, cell) separates words; the
            // end of emphasis or a link does not.
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image) => {}
            Event::End(_) => self.last().text.push(' '),
            _ => {}
        }
    }

    /// The sections; `headings` are those of the rendered body, one per
    /// heading event, in order, so anchors match the page.
    pub fn finish(self, headings: &[HeadingView]) -> Vec<Section> {
        let mut out = self.out;
        for (s, h) in out.iter_mut().skip(1).zip(headings) {
            s.anchor.clone_from(&h.id);
            s.heading.clone_from(&h.text);
        }
        for s in &mut out {
            s.text = collapse(&s.text);
        }
        out.retain(|s| !(s.anchor.is_empty() && s.text.is_empty()));
        out
    }

    fn last(&mut self) -> &mut Section {
        self.out.last_mut().expect("a section from the start")
    }
}

/// `text` with each run of whitespace made one space, trimmed.
fn collapse(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(word);
    }
    s
}

/// The words a reader sees in one of our blocks: quiz prompts and their code
/// (not answers, so a search cannot give them away), the rows of a table of
/// steps, and a diagram's caption, boxes and arrow labels (issue 19: a word
/// said only in a diagram was not found). Trackers repeat the steps' names.
fn block_text(block: &Block, to: &mut String) {
    let push = |s: &str, to: &mut String| {
        to.push(' ');
        plain(s, to);
        to.push(' ');
    };
    match block {
        Block::Quiz(q) => {
            for question in &q.questions {
                push(&question.prompt, to);
                // Code as it is: a `*` or `_` in it is no Markdown.
                if let Some(c) = &question.code {
                    to.push_str(&c.code);
                    to.push(' ');
                }
            }
        }
        Block::Steps(s) => {
            for step in &s.steps {
                step.cells.iter().for_each(|c| push(c, to));
                step.note.iter().for_each(|n| push(n, to));
            }
            s.exit.iter().for_each(|e| push(e, to));
        }
        Block::Flow(f) => {
            f.label.title().into_iter().for_each(|t| push(t, to));
            match &f.drawing {
                crate::model::flow::Drawing::Graph(g) => {
                    g.title.iter().for_each(|t| push(t, to));
                    g.subgraphs.iter().for_each(|s| push(&s.title, to));
                    g.nodes.iter().for_each(|n| push(&n.label, to));
                    g.edges.iter().filter_map(|e| e.label.as_deref()).for_each(|l| push(l, to));
                }
                // Shown as its source: the words are in it.
                crate::model::flow::Drawing::Source { code, .. } => {
                    to.push_str(code);
                    to.push(' ');
                }
            }
        }
        // The parts are the lesson's own words: all of them are found.
        Block::Part(_) => block.each_text(&mut |t| push(t, to)),
        _ => {}
    }
}

/// The text of inline Markdown (a quiz prompt, a table cell): what a reader
/// sees, so that excerpts show `app.secret_key`, not `` `app.secret_key` ``.
fn plain(markdown: &str, to: &mut String) {
    if !markdown.contains(['`', '*', '_', '[', '<', '&', '\\', '~', '!']) {
        to.push_str(markdown);
        return;
    }
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => to.push_str(&t),
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => to.push(' '),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::{self, PageSource};
    use crate::render::highlight::Highlighter;
    use crate::render::markdown::Markdown;
    use crate::render::page_body;

    #[test]
    fn splits_at_headings_and_keeps_quiz_prompts_and_code() {
        let text = "Intro *text*.\n\n## Keys {#k}\n\nSee `app.secret_key`.\n\n```python\nprint(1)\n```\n\n```quiz\n- prompt: Which *zebra* signs `x_y`?\n  code: print(a_b_c * 2)\n  answer: yes\n```\n\n```flow title=\"Okapi run\"\nflowchart TD\n  A[Tapir start] -->|gnu path| B([Emu end])\n```\n\n## Keys\n";
        let src = PageSource { path: "content/a.md", rel: "a.md", src_dir: "content", text: &text.into() };
        let page = parse::page(&src, &|_| None).0;
        let h = Highlighter::new();
        let s = page_body(&Markdown { highlighter: &h, raw_html: false, line_numbers: true }, &page).sections;
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].text, "Intro text.");
        assert_eq!((s[1].anchor.as_str(), s[1].heading.as_str()), ("k", "Keys"));
        assert_eq!(
            s[1].text,
            "See app.secret_key. print(1) Which zebra signs x_y? print(a_b_c * 2) Okapi run Tapir start Emu end gnu path"
        );
        assert_eq!((s[2].anchor.as_str(), s[2].text.as_str()), ("keys", ""), "an empty section keeps its heading");
    }
}
