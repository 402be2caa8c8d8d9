//! Puts rendered blocks back into a chapter's Markdown by byte range, as HTML
//! blocks mdBook's Markdown parser passes through untouched.
//!
//! The text around the blocks is copied byte for byte: nothing is re-serialised,
//! so a chapter without our blocks comes back identical. Pure string work.

use std::ops::Range;

/// Rendered HTML that replaces a byte range of the chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub span: Range<usize>,
    pub html: String,
}

/// `text` without its first `body_start` bytes (the front matter), with each
/// fragment in place of its span. Fragments must be sorted and not overlap.
pub fn splice(text: &str, body_start: usize, fragments: &[Fragment]) -> String {
    let mut out = String::with_capacity(text.len() + fragments.iter().map(|f| f.html.len()).sum::<usize>());
    let mut pos = body_start.min(text.len());
    for f in fragments {
        if f.span.start < pos || f.span.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..f.span.start]);
        pos = html_block(text, &f.span, &f.html, &mut out);
    }
    out.push_str(&text[pos..]);
    out
}

/// Writes `html` as an HTML block in place of `span`; returns where the copy of
/// the original text resumes.
///
/// CommonMark ends an HTML block at a blank line, and a block inside a list
/// item or block quote must keep that container's prefix on every line, so
/// blank lines become `<!---->` (invisible, even inside `<pre>`) and every line
/// after the first repeats the prefix the block's first line had. A blank line
/// after the block keeps the Markdown that follows from being read as HTML.
fn html_block(text: &str, span: &Range<usize>, html: &str, out: &mut String) -> usize {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    // A span may start before the container's indentation or `>`; keep those bytes.
    let lead = text[span.start..span.end].len() - text[span.start..span.end].trim_start_matches([' ', '\t', '>']).len();
    out.push_str(&text[span.start..span.start + lead]);
    let prefix = container_prefix(&text[line_start..span.start + lead]);
    for (i, line) in html.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            out.push_str(&prefix);
        }
        out.push_str(if line.trim().is_empty() { "<!---->" } else { line });
        out.push('\n');
    }
    let mut end = span.end;
    // The rest of the block's last line (its newline, or trailing spaces) is ours.
    let rest_of_line = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    if text[end..rest_of_line].trim().is_empty() {
        end = rest_of_line;
    }
    let next_line = &text[end..text[end..].find('\n').map_or(text.len(), |i| end + i)];
    if !strip_container(next_line, &prefix).trim().is_empty() {
        out.push_str(prefix.trim_end());
        out.push('\n');
    }
    end
}

/// The prefix continuation lines need: `>` kept, list markers and anything else
/// turned into spaces of the same width.
fn container_prefix(before: &str) -> String {
    before.chars().map(|c| if c == '>' || c == '\t' { c } else { ' ' }).collect()
}

fn strip_container<'a>(line: &'a str, prefix: &str) -> &'a str {
    let quotes = prefix.matches('>').count();
    let mut rest = line;
    for _ in 0..quotes {
        rest = rest.trim_start().strip_prefix('>').unwrap_or(rest);
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, needle: &str, html: &str) -> String {
        let start = text.find(needle).unwrap();
        splice(text, 0, &[Fragment { span: start..start + needle.len(), html: html.into() }])
    }

    #[test]
    fn nothing_to_splice_is_identity() {
        let text = "# T\n\nsome *text*\r\n\n```rust\nfn x() {}\n```\n";
        assert_eq!(splice(text, 0, &[]), text);
    }

    #[test]
    fn front_matter_is_dropped() {
        assert_eq!(splice("---\ntitle: x\n---\n# T\n", 17, &[]), "# T\n");
    }

    #[test]
    fn blank_lines_inside_the_html_become_comments() {
        let out = one("a\n\n```flow\nA\n```\n\nb\n", "```flow\nA\n```\n", "<figure>\n<pre>x\n\ny</pre>\n</figure>\n");
        assert_eq!(out, "a\n\n<figure>\n<pre>x\n<!---->\ny</pre>\n</figure>\n\nb\n");
    }

    #[test]
    fn markdown_right_after_the_block_is_separated() {
        let out = one("```quiz\nq\n```\nnext *para*\n", "```quiz\nq\n```", "<section>\n</section>\n");
        assert_eq!(out, "<section>\n</section>\n\nnext *para*\n");
    }

    #[test]
    fn block_in_a_list_item_keeps_its_indent() {
        let out = one("- item\n\n  ```flow\n  A\n  ```\n- next\n", "```flow\n  A\n  ```\n", "<figure>\n<svg></svg>\n</figure>\n");
        assert_eq!(out, "- item\n\n  <figure>\n  <svg></svg>\n  </figure>\n\n- next\n");
    }

    #[test]
    fn block_in_a_quote_keeps_its_marker() {
        let out = one("> ```flow\n> A\n> ```\n> after\n", "```flow\n> A\n> ```\n", "<figure>\n</figure>\n");
        assert_eq!(out, "> <figure>\n> </figure>\n>\n> after\n");
    }

    #[test]
    fn end_of_text_needs_no_separator() {
        assert_eq!(one("x\n\n```flow\nA\n```", "```flow\nA\n```", "<figure></figure>"), "x\n\n<figure></figure>\n");
    }
}
