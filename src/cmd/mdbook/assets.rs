//! The CSS and JavaScript our blocks need, inlined into every chapter that has
//! a block, so they reach mdBook's page with no copying by the user.
//!
//! Inlining, rather than writing files into the book, exists because any file
//! a preprocessor writes under the book's folder wakes `mdbook serve`'s watcher
//! and starts a rebuild loop. Every `css/` and `js/` file of the default theme
//! goes in except the standalone site's chrome (layout, navigation, theme
//! switch), which would fight mdBook's own. Added to them: `mdbook.css` maps
//! our colour palette onto mdBook's five themes, the syntax stylesheet colours
//! the code we highlight, and `mdbook.js` keeps mdBook's highlight.js off that
//! code and tells the syntax stylesheet whether the mdBook theme is dark.

use crate::html::escape_html;
use crate::render::highlight;
use crate::render::theme::DEFAULT_FILES;

/// Files of the default theme that style or script the standalone site itself.
pub const SITE_CHROME: &[&str] = &["css/coursegen.css", "js/coursegen.js"];

/// The `--cg-*` palette in terms of mdBook's theme variables.
const BRIDGE_CSS: &str = include_str!("mdbook.css");

/// Glue run before the block scripts: mirrors mdBook's theme into
/// `data-theme` and keeps highlight.js off the code we highlighted.
const BRIDGE_JS: &str = include_str!("mdbook.js");

/// Theme files that go into mdBook pages, `(path, text)`, in path order.
pub fn files() -> Vec<(&'static str, &'static str)> {
    DEFAULT_FILES
        .iter()
        .filter(|(p, _)| (p.starts_with("css/") && p.ends_with(".css")) || (p.starts_with("js/") && p.ends_with(".js")))
        .filter(|(p, _)| !SITE_CHROME.contains(p))
        .filter_map(|(p, b)| Some((*p, std::str::from_utf8(b).ok()?)))
        .collect()
}

/// The `<style>` and `<script>` elements appended to a chapter, as HTML blocks
/// (each starts a line and contains no `</style>` or `</script>` before its end).
/// `course` names the book for scripts that keep state per course (the quiz
/// script reads `data-course` from its own tag, as on the standalone site).
pub fn tags(course: &str) -> String {
    let mut css = format!("/* coursegen: mdbook.css */\n{BRIDGE_CSS}\n/* coursegen: syntax highlighting */\n{}", highlight::stylesheet());
    let mut js = format!("/* coursegen: mdbook.js */\n{BRIDGE_JS}\n;\n");
    for (path, text) in files() {
        if path.ends_with(".css") {
            css.push_str(&format!("\n/* coursegen: {path} */\n{text}\n"));
        } else {
            // `;` so a file without a final semicolon cannot join the next one.
            js.push_str(&format!("\n/* coursegen: {path} */\n{text}\n;\n"));
        }
    }
    let mut out = format!("<style class=\"coursegen\">\n{}\n</style>\n", css.replace("</style", "<\\/style"));
    out.push_str(&format!(
        "<script class=\"coursegen\" data-course=\"{}\">\n{}\n</script>\n",
        escape_html(course),
        js.replace("</script", "<\\/script")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_stylesheet_and_script_is_included_but_not_the_site_chrome() {
        let tags = tags("A \"book\"");
        assert!(tags.contains("<script class=\"coursegen\" data-course=\"A &quot;book&quot;\">"), "{tags}");
        for (path, _) in DEFAULT_FILES.iter().filter(|(p, _)| p.starts_with("css/") || p.starts_with("js/")) {
            let marker = format!("/* coursegen: {path} */");
            assert_eq!(tags.contains(&marker), !SITE_CHROME.contains(path), "{path}");
        }
        assert!(tags.starts_with("<style class=\"coursegen\">\n"));
        assert!(tags.contains("flow.css"));
    }

    #[test]
    fn every_palette_variable_a_block_stylesheet_reads_is_defined() {
        // Without this, blocks would silently lose their colours inside mdBook when
        // a stylesheet starts using a --cg-* property that only coursegen.css defines.
        let css: Vec<(&str, &str)> = files().into_iter().filter(|(p, _)| p.ends_with(".css")).collect();
        let defined = |name: &str| {
            let decl = format!("--cg-{name}:");
            BRIDGE_CSS.contains(&decl) || css.iter().any(|(_, t)| t.contains(&decl))
        };
        for (path, text) in &css {
            for name in text.split("var(--cg-").skip(1).filter_map(|s| s.split([')', ',', ' ']).next()) {
                assert!(defined(name), "{path} reads --cg-{name}, which neither mdbook.css nor a block stylesheet defines");
            }
        }
    }
}
