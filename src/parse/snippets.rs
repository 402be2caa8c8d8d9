//! The code fences inside author texts that came out of YAML or TOML.
//!
//! A quiz prompt may show a sample in a fence. Its info string is read here,
//! with the page's own, so the model holds every sample's language and label
//! and the renderer reads none.

use pulldown_cmark::{CodeBlockKind, Event, Tag};

use super::{fence, markdown_options};
use crate::model::{Block, CodeInfo, SnippetCode};

/// The fences of every text of `blocks`, by text.
pub fn code(blocks: &[Block]) -> SnippetCode {
    let mut code = SnippetCode::default();
    for block in blocks {
        block.each_text(&mut |text| {
            if SnippetCode::may_fence(text) {
                code.insert(text, fences(text));
            }
        });
    }
    code
}

/// The info of each fenced code block of the Markdown text `md`, in order.
pub fn fences(md: &str) -> Vec<CodeInfo> {
    pulldown_cmark::Parser::new_ext(md, markdown_options())
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Some(fence::code_info(fence::raw_info(&md[r]).unwrap_or(&info))),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_read_in_order_with_their_escapes_as_written() {
        let md = "Look:\n\n```python title=\"say \\\"hi\\\"\"\nx\n```\n\n    indented\n\n~~~rust\ny\n~~~\n";
        let infos = fences(md);
        let langs: Vec<&str> = infos.iter().map(|i| i.lang.as_str()).collect();
        assert_eq!(langs, ["python", "rust"]);
        assert_eq!(infos[0].label.title(), Some("say \"hi\""));
    }
}
