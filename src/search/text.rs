//! The searchable text of a page: its sections' headings and prose, code
//! samples and quiz prompts, as plain text. Pure; reads the parsed page and
//! the heading ids its rendered body gave out.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::model::{Block, Page};
use crate::parse::markdown_options;
use crate::view::HeadingView;

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

/// The page's sections, in order. `headings` are those of the rendered body,
/// in the same order as the Markdown's headings, so anchors match the page.
pub fn sections(page: &Page, headings: &[HeadingView]) -> Vec<Section> {
    let start = page.body_start.min(page.text.len());
    let events = pulldown_cmark::Parser::new_ext(&page.text[start..], markdown_options()).into_offset_iter();
    // Our blocks arrive as fenced code: their text comes from the model.
    let ours: Vec<&Block> = page.blocks.iter().filter(|b| !matches!(b, Block::Code(_))).collect();
    let mut done = vec![false; ours.len()];
    let mut out = vec![Section::default()];
    let mut in_heading = false;
    let mut next_heading = headings.iter();
    for (event, range) in events {
        let at = range.start + start;
        if let Some(i) = ours.iter().position(|b| b.span().contains(&at)) {
            if !std::mem::replace(&mut done[i], true) {
                block_text(ours[i], &mut out.last_mut().expect("one section at least").text);
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let h = next_heading.next();
                let anchor = h.map(|h| h.id.clone()).unwrap_or_default();
                let heading = h.map(|h| h.text.clone()).unwrap_or_default();
                out.push(Section { anchor, heading, text: String::new() });
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => out.last_mut().expect("one section").text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.last_mut().expect("one section").text.push(' '),
            // The end of a block (paragraph, item, cell) separates words; the
            // end of emphasis or a link does not.
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image) => {}
            Event::End(_) => out.last_mut().expect("one section").text.push(' '),
            _ => {}
        }
    }
    for s in &mut out {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out.retain(|s| !(s.anchor.is_empty() && s.text.is_empty()));
    out
}

/// The words a reader sees in one of our blocks: quiz prompts (not answers,
/// so a search cannot give them away) and the rows of a table of steps.
/// Diagrams and trackers repeat names said in the prose around them.
fn block_text(block: &Block, to: &mut String) {
    let mut push = |s: &str| {
        to.push(' ');
        to.push_str(s);
        to.push(' ');
    };
    match block {
        Block::Quiz(q) => q.questions.iter().for_each(|question| push(&question.prompt)),
        Block::Steps(s) => {
            for step in &s.steps {
                step.cells.iter().for_each(|c| push(c));
                step.note.iter().for_each(|n| push(n));
            }
            s.exit.iter().for_each(|e| push(e));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{self, PageSource};

    fn page(text: &str) -> Page {
        let src = PageSource { path: "content/a.md", rel: "a.md", src_dir: "content", text };
        parse::page(&src, &|_| None).0
    }

    #[test]
    fn splits_at_headings_and_keeps_quiz_prompts() {
        let p = page("Intro *text*.\n\n## Keys {#k}\n\nSee `app.secret_key`.\n\n```quiz\n- prompt: Which zebra signs?\n  answer: yes\n```\n\n```flow\na --> b\n```\n");
        let hs = [HeadingView { level: 2, id: "k".into(), text: "Keys".into() }];
        let s = sections(&p, &hs);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].text, "Intro text.");
        assert_eq!((s[1].anchor.as_str(), s[1].heading.as_str()), ("k", "Keys"));
        assert_eq!(s[1].text, "See app.secret_key. Which zebra signs?");
    }
}
