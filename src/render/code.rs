//! Code samples: highlighted, in a captioned figure when they have `title=` or
//! `id=`. A sample with an `id` is one a steps block may point at, so each of
//! its lines is wrapped in `<span class="cg-line" data-line="N">` for the step
//! player to highlight. Knows nothing about steps beyond that.

use super::highlight::Highlighter;
use crate::html::escape_html;
use crate::model::CodeInfo;

/// A highlighted code block shown as `info` says.
pub fn code_block(highlighter: &Highlighter, info: &CodeInfo, code: &str) -> String {
    let lang = info.lang.as_str();
    let body = highlighter.highlight(code, lang).unwrap_or_else(|| escape_html(code));
    let (id, title) = (info.label.id(), info.label.title());
    let body = if info.numbered_lines() { wrap_lines(&body) } else { body };
    let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_html(lang)) };
    let pre = format!("<pre class=\"cg-code\" tabindex=\"0\"><code{class}>{body}</code></pre>\n");
    if id.is_none() && title.is_none() {
        return pre;
    }
    let id_attr = id.map(|i| format!(" id=\"{}\"", escape_html(i))).unwrap_or_default();
    let caption = title.map(|t| format!("<figcaption>{}</figcaption>", escape_html(t))).unwrap_or_default();
    format!("<figure class=\"cg-code-figure\"{id_attr}>{caption}{pre}</figure>\n")
}

/// Wraps each line of highlighted HTML (text, `<span …>` and `</span>` only, as
/// the highlighter and `escape_html` write it) in a `cg-line` span numbered
/// from 1. Highlighting spans may cross line breaks, so the spans open at the
/// end of a line are closed there and reopened on the next line: every line
/// element then holds well-nested markup. The newline stays outside the line
/// element so the `<pre>` lays out exactly as before. Nothing after the last
/// newline but closing tags makes no extra, empty line.
pub fn wrap_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut open: Vec<&str> = Vec::new();
    let mut line = 1;
    let last_text = last_text_end(html);
    out.push_str(&line_start(line));
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
                    out.push_str(&line_start(line));
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

fn line_start(n: usize) -> String {
    format!("<span class=\"cg-line\" data-line=\"{n}\">")
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
        let html = wrap_lines("a = 1\nb &lt; 2\n");
        assert_eq!(html, "<span class=\"cg-line\" data-line=\"1\">a = 1</span>\n<span class=\"cg-line\" data-line=\"2\">b &lt; 2</span>\n");
    }

    #[test]
    fn without_final_newline_the_last_line_is_closed() {
        assert_eq!(wrap_lines("x"), "<span class=\"cg-line\" data-line=\"1\">x</span>");
    }

    #[test]
    fn spans_crossing_lines_are_closed_and_reopened() {
        let html = wrap_lines("<span class=\"a\">x\n<span class=\"b\">y\nz</span></span>\n");
        assert_eq!(
            html,
            "<span class=\"cg-line\" data-line=\"1\"><span class=\"a\">x</span></span>\n\
             <span class=\"cg-line\" data-line=\"2\"><span class=\"a\"><span class=\"b\">y</span></span></span>\n\
             <span class=\"cg-line\" data-line=\"3\"><span class=\"a\"><span class=\"b\">z</span></span></span>\n"
        );
    }

    #[test]
    fn blank_lines_keep_their_number() {
        let html = wrap_lines("a\n\nb\n");
        assert!(html.contains("data-line=\"2\"></span>\n"), "{html}");
        assert!(html.contains("data-line=\"3\">b</span>"), "{html}");
        assert!(!html.contains("data-line=\"4\""), "{html}");
    }

    #[test]
    fn highlighted_python_is_wrapped_line_by_line() {
        let h = Highlighter::new();
        let code = "from flask import Flask\napp = Flask(__name__)\n\ndef f():\n    return 'x'\n";
        let html = code_block(&h, &info("python id=sample"), code);
        assert_eq!(html.matches("class=\"cg-line\"").count(), 5, "{html}");
        assert!(html.contains("data-line=\"5\""), "{html}");
        let inner = html.split_once("<code").unwrap().1;
        assert_nested(inner.split_once("</code>").unwrap().0);
        // The text is unchanged once the tags are removed.
        let text: String = strip_tags(&html);
        assert!(text.contains("app = Flask(__name__)\n\ndef f():\n    return &#39;x&#39;"), "{text}");
    }

    #[test]
    fn samples_without_id_are_not_wrapped() {
        let h = Highlighter::new();
        assert!(!code_block(&h, &info("python"), "x = 1\n").contains("cg-line"));
        assert!(
            code_block(&h, &info("nosuchlang id=plain"), "x < 1\n").contains("<span class=\"cg-line\" data-line=\"1\">x &lt; 1</span>")
        );
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
