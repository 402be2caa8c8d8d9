//! Code samples: highlighted, in a captioned figure when they have `title=` or
//! `id=`. Each line is wrapped in `<span class="cg-line" data-line="N">`: the
//! gutter shows N (a CSS counter of the attribute, so copying the code copies
//! no numbers), a sample with an `id` gives every line an `ID-LN` anchor that
//! step rows link to, and the step player marks lines by it. Knows nothing
//! about steps beyond that.

use super::markdown::Markdown;
use crate::html::escape_html;
use crate::model::CodeInfo;

/// A highlighted code block shown as `info` says, with the line-number
/// gutter unless the sample or the course turns it off.
pub fn code_block(md: &Markdown<'_>, info: &CodeInfo, code: &str) -> String {
    let lang = info.lang.as_str();
    let body = md.highlighter.highlight(code, lang).unwrap_or_else(|| escape_html(code));
    let (id, title) = (info.label.id(), info.label.title());
    let gutter = info.line_numbers.unwrap_or(md.line_numbers);
    let body = if gutter || info.numbered_lines() { wrap_lines(&body, id) } else { body };
    let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_html(lang)) };
    let numbered = if gutter { gutter_attrs(code) } else { String::new() };
    let pre = format!("<pre class=\"cg-code{numbered}\" tabindex=\"0\"><code{class}>{body}</code></pre>\n");
    if id.is_none() && title.is_none() {
        return pre;
    }
    let id_attr = id.map(|i| format!(" id=\"{}\"", escape_html(i))).unwrap_or_default();
    let caption = title.map(|t| format!("<figcaption>{}</figcaption>", escape_html(t))).unwrap_or_default();
    format!("<figure class=\"cg-code-figure\"{id_attr}>{caption}{pre}</figure>\n")
}

/// The rest of the `<pre>`'s class and its gutter width: the stylesheet
/// sizes the gutter by the number of digits of the last line's number.
fn gutter_attrs(code: &str) -> String {
    let lines = code.lines().count().max(1);
    format!(" cg-numbered\" data-digits=\"{}", lines.to_string().len())
}

/// The anchor of line `n` of the sample with id `id`: `sample-L3`.
pub fn line_anchor(id: &str, n: impl std::fmt::Display) -> String {
    format!("{id}-L{n}")
}

/// The anchors [`code_block`] gives the lines of a sample: none without an id.
pub fn line_ids(info: &CodeInfo, code: &str) -> Vec<String> {
    let Some(id) = info.label.id() else { return Vec::new() };
    (1..=code.lines().count()).map(|n| line_anchor(id, n)).collect()
}

/// Wraps each line of highlighted HTML (text, `<span …>` and `</span>` only, as
/// the highlighter and `escape_html` write it) in a `cg-line` span numbered
/// from 1. Highlighting spans may cross line breaks, so the spans open at the
/// end of a line are closed there and reopened on the next line: every line
/// element then holds well-nested markup. The newline stays outside the line
/// element so the `<pre>` lays out exactly as before. Nothing after the last
/// newline but closing tags makes no extra, empty line.
pub fn wrap_lines(html: &str, id: Option<&str>) -> String {
    let id = id.map(escape_html);
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut open: Vec<&str> = Vec::new();
    let mut line = 1;
    let last_text = last_text_end(html);
    out.push_str(&line_start(line, id.as_deref()));
    let mut rest = html;
    let mut at = 0;
    while !rest.is_empty() {
        if rest.starts_with("</") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            open.pop();
            out.push_str(&rest[..end]);
            (rest, at) = (&rest[end..], at + end);
        } else if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            open.push(&rest[..end]);
            out.push_str(&rest[..end]);
            (rest, at) = (&rest[end..], at + end);
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            for (i, part) in rest[..end].split('\n').enumerate() {
                if i > 0 {
                    out.push_str(&"</span>".repeat(open.len() + 1));
                    out.push('\n');
                    if at >= last_text {
                        // The final newline: what follows only closes spans.
                        return out;
                    }
                    line += 1;
                    out.push_str(&line_start(line, id.as_deref()));
                    open.iter().for_each(|t| out.push_str(t));
                }
                out.push_str(part);
                at += part.len() + 1;
            }
            at -= 1;
            rest = &rest[end..];
        }
    }
    out.push_str(&"</span>".repeat(open.len() + 1));
    out
}

/// The opening tag of line `n`; `id` is the sample's id, already escaped.
fn line_start(n: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("<span class=\"cg-line\" id=\"{}\" data-line=\"{n}\">", line_anchor(id, n)),
        None => format!("<span class=\"cg-line\" data-line=\"{n}\">"),
    }
}

/// Byte offset just past the last text character (outside tags) of `html`.
fn last_text_end(html: &str) -> usize {
    let mut in_tag = false;
    let mut end = 0;
    for (i, c) in html.char_indices() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => end = i + c.len_utf8(),
            _ => {}
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::highlight::Highlighter;

    fn md(h: &Highlighter, line_numbers: bool) -> Markdown<'_> {
        Markdown { highlighter: h, raw_html: false, line_numbers }
    }

    fn info(s: &str) -> CodeInfo {
        crate::parse::fence::code_info(s)
    }

    /// Checks that every `<span` has its `</span>` inside the same line element.
    fn assert_nested(html: &str) {
        for line in html.split('\n') {
            let opens = line.matches("<span").count();
            let closes = line.matches("</span>").count();
            assert_eq!(opens, closes, "unbalanced line: {line}");
        }
    }

    #[test]
    fn plain_text_lines_are_numbered() {
        let html = wrap_lines("a = 1\nb &lt; 2\n", None);
        assert_eq!(html, "<span class=\"cg-line\" data-line=\"1\">a = 1</span>\n<span class=\"cg-line\" data-line=\"2\">b &lt; 2</span>\n");
    }

    #[test]
    fn without_final_newline_the_last_line_is_closed() {
        assert_eq!(wrap_lines("x", None), "<span class=\"cg-line\" data-line=\"1\">x</span>");
    }

    #[test]
    fn spans_crossing_lines_are_closed_and_reopened() {
        let html = wrap_lines("<span class=\"a\">x\n<span class=\"b\">y\nz</span></span>\n", None);
        assert_eq!(
            html,
            "<span class=\"cg-line\" data-line=\"1\"><span class=\"a\">x</span></span>\n\
             <span class=\"cg-line\" data-line=\"2\"><span class=\"a\"><span class=\"b\">y</span></span></span>\n\
             <span class=\"cg-line\" data-line=\"3\"><span class=\"a\"><span class=\"b\">z</span></span></span>\n"
        );
    }

    #[test]
    fn blank_lines_keep_their_number() {
        let html = wrap_lines("a\n\nb\n", None);
        assert!(html.contains("data-line=\"2\"></span>\n"), "{html}");
        assert!(html.contains("data-line=\"3\">b</span>"), "{html}");
        assert!(!html.contains("data-line=\"4\""), "{html}");
    }

    #[test]
    fn highlighted_python_is_wrapped_line_by_line() {
        let h = Highlighter::new();
        let code = "from flask import Flask\napp = Flask(__name__)\n\ndef f():\n    return 'x'\n";
        let html = code_block(&md(&h, true), &info("python id=sample"), code);
        assert_eq!(html.matches("class=\"cg-line\"").count(), 5, "{html}");
        assert!(html.contains("id=\"sample-L5\" data-line=\"5\""), "{html}");
        let inner = html.split_once("<code").unwrap().1;
        assert_nested(inner.split_once("</code>").unwrap().0);
        // The text is unchanged once the tags are removed.
        let text: String = strip_tags(&html);
        assert!(text.contains("app = Flask(__name__)\n\ndef f():\n    return &#39;x&#39;"), "{text}");
    }

    #[test]
    fn samples_without_id_are_not_wrapped_when_the_gutter_is_off() {
        let h = Highlighter::new();
        assert!(!code_block(&md(&h, false), &info("python"), "x = 1\n").contains("cg-line"));
        assert!(!code_block(&md(&h, true), &info("python linenos=false"), "x = 1\n").contains("cg-line"));
        let html = code_block(&md(&h, false), &info("nosuchlang id=plain"), "x < 1\n");
        assert!(html.contains("<span class=\"cg-line\" id=\"plain-L1\" data-line=\"1\">x &lt; 1</span>"), "{html}");
        assert!(!html.contains("cg-numbered"), "the player's line marks need no gutter: {html}");
    }

    #[test]
    fn the_gutter_follows_the_sample_then_the_course() {
        let h = Highlighter::new();
        let code = (1..=12).map(|i| format!("x{i}\n")).collect::<String>();
        let on = code_block(&md(&h, true), &info("python"), &code);
        assert!(on.contains("<pre class=\"cg-code cg-numbered\" data-digits=\"2\""), "{on}");
        assert!(on.contains("data-line=\"12\""), "{on}");
        assert!(!on.contains(" id="), "no anchors without the sample's id: {on}");
        assert!(code_block(&md(&h, false), &info("python linenos=true"), &code).contains("cg-numbered"));
        assert!(!code_block(&md(&h, true), &info("python linenos=false"), &code).contains("cg-numbered"));
        assert!(!code_block(&md(&h, false), &info("python"), &code).contains("cg-numbered"));
    }

    #[test]
    fn line_anchors_are_escaped_and_listed() {
        let h = Highlighter::new();
        let html = code_block(&md(&h, true), &info("text id=\"a<b\""), "x\ny\n");
        assert!(html.contains("id=\"a&lt;b-L2\""), "{html}");
        assert_eq!(line_ids(&info("text id=s"), "x\ny\n"), ["s-L1", "s-L2"]);
        assert!(line_ids(&info("text"), "x\n").is_empty());
    }

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }
}
