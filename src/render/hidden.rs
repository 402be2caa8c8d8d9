//! Code samples as mdBook shows them: the words after the language
//! (`ignore`, `should_panic`, `no_run`, `compile_fail`, `editable`, …) become
//! classes of the `<code>` element, as mdBook writes them (the Rust Book's
//! scripts and styles read them), and Rust's hidden lines (`# ` in front)
//! are kept out of view behind a toggle that works without scripts.

use super::code::{self, wrap_lines};
use super::markdown::Markdown;
use crate::html::escape_html;
use crate::model::CodeInfo;

/// A code sample: [`code::code_block`], with mdBook's flags and hidden lines.
pub fn code_sample(md: &Markdown<'_>, info: &CodeInfo, code: &str) -> String {
    let hidden = if info.lang == "rust" { rust_lines(code) } else { None };
    let shown = hidden.as_ref().map_or(code, |(c, _)| c.as_str());
    let mut html = code::code_block(md, info, shown);
    let classes: Vec<String> = info.flags.iter().filter(|f| is_class(f)).map(|f| escape_html(f)).collect();
    if !classes.is_empty()
        && let Some(at) = html.find("<code class=\"language-").and_then(|i| html[i..].find('"').map(|j| i + j + 1))
        && let Some(end) = html[at..].find('"').map(|j| at + j)
    {
        html.insert_str(end, &format!(" {}", classes.join(" ")));
    }
    match hidden {
        Some((_, lines)) if lines.iter().any(|h| *h) => with_hidden(&html, &lines),
        _ => html,
    }
}

/// mdBook's words are plain identifiers; anything else is not made a class.
fn is_class(flag: &str) -> bool {
    !flag.is_empty() && flag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// mdBook's Rust rule, line by line: `# x` and a lone `#` are hidden (shown
/// as `x`), `##x` is shown as `#x`, anything else as it is. `None` when no
/// line starts with `#`.
pub fn rust_lines(code: &str) -> Option<(String, Vec<bool>)> {
    if !code.lines().any(|l| l.trim_start().starts_with('#')) {
        return None;
    }
    let mut shown = String::with_capacity(code.len());
    let mut hidden = Vec::new();
    for line in code.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let indent = &body[..body.len() - body.trim_start().len()];
        let rest = &body[indent.len()..];
        let (text, hide) = match rest.strip_prefix('#') {
            Some(after) if after.starts_with('#') => (format!("{indent}{after}"), false),
            Some("") => (indent.to_string(), true),
            Some(after) if after.starts_with(' ') => (format!("{indent}{}", &after[1..]), true),
            _ => (body.to_string(), false),
        };
        shown.push_str(&text);
        shown.push_str(newline);
        hidden.push(hide);
    }
    Some((shown, hidden))
}

/// `html` (one sample) with its hidden lines marked and a toggle before it.
/// Without scripts the toggle is a checkbox the stylesheet reads (`:has`).
fn with_hidden(html: &str, hidden: &[bool]) -> String {
    let Some(open) = html.find("<code").and_then(|i| html[i..].find('>').map(|j| i + j + 1)) else { return html.to_string() };
    let Some(close) = html.rfind("</code>") else { return html.to_string() };
    let inner = &html[open..close];
    let wrapped = if inner.starts_with("<span class=\"cg-line\"") { inner.to_string() } else { wrap_lines(inner, None) };
    // Line k's element is the k-th: one pass, whatever the number of lines.
    const LINE: &str = "<span class=\"cg-line\" ";
    let mut body = String::with_capacity(wrapped.len() + 12 * hidden.len());
    for (k, piece) in wrapped.split(LINE).enumerate() {
        if k > 0 {
            body.push_str(if hidden.get(k - 1) == Some(&true) { "<span class=\"cg-line cg-boring\" " } else { LINE });
        }
        body.push_str(piece);
    }
    let toggle = "<label class=\"cg-boring-toggle\"><input type=\"checkbox\"> Show hidden lines</label>";
    format!("<div class=\"cg-has-boring\">{toggle}{}{body}{}</div>\n", &html[..open], html[close..].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_lines_follow_mdbooks_rule() {
        let (shown, hidden) = rust_lines("# use a;\n#\nfn main() {\n    # let x = 1;\n    ##[x]\n    #[derive(Debug)]\n}\n").unwrap();
        assert_eq!(shown, "use a;\n\nfn main() {\n    let x = 1;\n    #[x]\n    #[derive(Debug)]\n}\n");
        assert_eq!(hidden, [true, true, false, true, false, false, false]);
        assert!(rust_lines("fn main() {}\n").is_none());
    }

    #[test]
    fn hidden_lines_are_marked_and_flags_become_classes() {
        let highlighter = crate::render::highlight::Highlighter::default();
        let h = Markdown { highlighter: &highlighter, raw_html: false, line_numbers: true };
        let info = CodeInfo { lang: "rust".into(), flags: vec!["ignore".into(), "x\"y".into()], ..CodeInfo::default() };
        let html = code_sample(&h, &info, "# fn hidden() {}\nfn main() {}\n");
        assert!(html.contains("class=\"language-rust ignore\""), "{html}");
        assert!(!html.contains("x&quot;y"), "{html}");
        assert!(html.contains("<span class=\"cg-line cg-boring\" data-line=\"1\">"), "{html}");
        assert!(html.contains("<span class=\"cg-line\" data-line=\"2\">"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        let plain = code_sample(&h, &crate::parse::fence::code_info("python"), "# a comment\n");
        assert!(!plain.contains("cg-boring"), "{plain}");
    }
}
