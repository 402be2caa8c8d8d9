//! The raw HTML of mdbook-quiz's TOML text (`2<sup>127</sup>`), which
//! mdbook-quiz renders as HTML: the formatting tags that carry no attribute
//! (so no script, style or URL) are kept as HTML, everything else stays
//! escaped as in the rest of coursegen unless the book opts in (`raw-html`).
//!
//! The parser swaps each such tag for one private-use character, which
//! Markdown passes through as text, and the quiz renderer swaps it back. Only
//! tags Markdown reads as inline HTML are swapped: `` `<sup>` `` in a code
//! span stays code.

use std::borrow::Cow;

/// The tags kept, in the order of their private-use characters.
const TAGS: &[&str] = &[
    "<sup>",
    "</sup>",
    "<sub>",
    "</sub>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<em>",
    "</em>",
    "<strong>",
    "</strong>",
    "<u>",
    "</u>",
    "<s>",
    "</s>",
    "<small>",
    "</small>",
    "<mark>",
    "</mark>",
    "<kbd>",
    "</kbd>",
    "<br>",
    "<br/>",
    "<br />",
];

/// The first private-use character: U+F700 onwards, far from the ranges fonts
/// and input methods use at the start of the area.
const BASE: u32 = 0xF700;

fn mark(i: usize) -> char {
    char::from_u32(BASE + i as u32).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn is_mark(c: char) -> bool {
    (BASE..BASE + TAGS.len() as u32).contains(&u32::from(c))
}

/// `text` with its formatting tags swapped for their marks. A mark already
/// in the text becomes U+FFFD, so author text can never forge one.
pub fn keep_tags(text: &str) -> String {
    let text: Cow<'_, str> =
        if text.chars().any(is_mark) { text.chars().map(|c| if is_mark(c) { '\u{FFFD}' } else { c }).collect() } else { text.into() };
    if !text.contains('<') {
        return text.into_owned();
    }
    let mut found = Vec::new();
    for (event, range) in pulldown_cmark::Parser::new_ext(&text, super::markdown_options()).into_offset_iter() {
        let pulldown_cmark::Event::InlineHtml(tag) = event else { continue };
        if let Some(i) = TAGS.iter().position(|t| t.eq_ignore_ascii_case(tag.trim())) {
            found.push((range, i));
        }
    }
    // An unclosed `<b>` would run on into the rest of the quiz: only well
    // nested tags are kept, else the text is left to be escaped whole.
    if !nested(found.iter().map(|(_, i)| *i)) {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (range, i) in found.into_iter() {
        if range.start < pos {
            continue;
        }
        out.push_str(&text[pos..range.start]);
        out.push(mark(i));
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// True when the tags `TAGS[i]`, in order, open and close in pairs; the `<br>`s
/// (the last three) stand alone.
fn nested(tags: impl Iterator<Item = usize>) -> bool {
    let mut open = Vec::new();
    for i in tags.filter(|&i| i < TAGS.len() - 3) {
        if i % 2 == 0 {
            open.push(i);
        } else if open.pop() != Some(i - 1) {
            return false;
        }
    }
    open.is_empty()
}

/// Rendered HTML with every mark turned back into its tag.
pub fn restore(html: &str) -> Cow<'_, str> {
    if !html.chars().any(is_mark) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 16);
    for c in html.chars() {
        match TAGS.get((u32::from(c).wrapping_sub(BASE)) as usize) {
            Some(tag) if is_mark(c) => out.push_str(tag),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_tags_survive_and_nothing_else_does() {
        let text = "2<sup>127</sup> - 1, `<sup>` <img src=x onerror=alert(1)> <b>b</b> <BR>";
        let kept = keep_tags(text);
        assert!(kept.starts_with("2\u{F700}127\u{F701} - 1, `<sup>` <img src=x onerror=alert(1)> \u{F704}b"), "{kept:?}");
        assert_eq!(restore(&kept), "2<sup>127</sup> - 1, `<sup>` <img src=x onerror=alert(1)> <b>b</b> <br>");
        for unbalanced in ["<b>runs on", "a</b>", "<b><i>x</b></i>", "<b class=x>b</b>"] {
            assert_eq!(keep_tags(unbalanced), unbalanced, "left to be escaped");
        }
    }

    #[test]
    fn a_mark_in_the_authors_text_cannot_forge_a_tag() {
        let kept = keep_tags(&format!("{}script <sup>1</sup>", mark(0)));
        assert_eq!(restore(&kept), "\u{FFFD}script <sup>1</sup>");
    }
}
