//! Code samples: highlighted, in a captioned figure when they have `title=` or
//! `id=` (steps point at a sample by its id).

use super::escape::escape_html;
use super::highlight::Highlighter;
use crate::fence;

/// A highlighted code block for the info string `info`.
pub fn code_block(highlighter: &Highlighter, info: &str, code: &str) -> String {
    let attrs = fence::parse(info).unwrap_or_default();
    let lang = attrs.lang.as_str();
    let body = highlighter.highlight(code, lang).unwrap_or_else(|| escape_html(code));
    let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_html(lang)) };
    let pre = format!("<pre class=\"cg-code\" tabindex=\"0\"><code{class}>{body}</code></pre>\n");
    let (id, title) = (attrs.get("id"), attrs.get("title"));
    if id.is_none() && title.is_none() {
        return pre;
    }
    let id_attr = id.map(|i| format!(" id=\"{}\"", escape_html(i))).unwrap_or_default();
    let caption = title.map(|t| format!("<figcaption>{}</figcaption>", escape_html(t))).unwrap_or_default();
    format!("<figure class=\"cg-code-figure\"{id_attr}>{caption}{pre}</figure>\n")
}
