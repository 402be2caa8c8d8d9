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
use crate::model::{Block, Page};
use crate::render::highlight;
use crate::render::theme::DEFAULT_FILES;

/// Files of the default theme that style or script the standalone site itself
/// (its layout, navigation, theme switch and search; mdBook has its own).
pub const SITE_CHROME: &[&str] = &["css/coursegen.css", "js/coursegen.js", "css/search.css", "js/search.js"];

/// The `--cg-*` palette in terms of mdBook's theme variables.
const BRIDGE_CSS: &str = include_str!("mdbook.css");

/// Glue run before the block scripts: mirrors mdBook's theme into
/// `data-theme` and keeps highlight.js off the code we highlighted.
const BRIDGE_JS: &str = include_str!("mdbook.js");

/// Which kinds of block a chapter has, so it carries only the styles and
/// scripts those need: print.html repeats what every chapter carries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    pub quiz: bool,
    pub flow: bool,
    pub steps: bool,
    /// Key moments, snapshots, transcripts.
    pub parts: bool,
    /// Highlighted code: a sample, an execution table's code, a question's program.
    pub code: bool,
}

impl Needs {
    /// What the blocks of `page` need.
    pub fn of(page: &Page) -> Needs {
        let mut n = Needs::default();
        for b in page.blocks.iter() {
            match b {
                Block::Code(_) => n.code = true,
                Block::Flow(_) => n.flow = true,
                Block::Steps(_) | Block::Tracker(_) => (n.steps, n.code) = (true, true),
                Block::Quiz(q) => {
                    n.quiz = true;
                    n.code |= q.questions.iter().any(|q| q.code.is_some());
                }
                Block::Part(_) => n.parts = true,
            }
        }
        n
    }

    fn wants(&self, path: &str) -> bool {
        match path {
            "css/quiz.css" | "js/quiz.js" => self.quiz,
            "css/flow.css" => self.flow,
            "css/steps.css" | "js/steps.js" => self.steps,
            "css/parts.css" | "js/parts.js" => self.parts,
            // A stylesheet or script added to the theme later goes everywhere.
            _ => true,
        }
    }
}

/// A script that runs only if no copy of it ran before on the page. Each file
/// is one function expression, so the `if` block declares nothing; a `;` ends
/// it so a file without a final semicolon cannot join the next one.
fn once(path: &str, text: &str) -> String {
    format!("\n/* coursegen: {path} */\nif (!window.coursegenRan[\"{path}\"]) {{\nwindow.coursegenRan[\"{path}\"] = true;\n{text}\n;\n}}\n")
}

/// Theme files that go into mdBook pages, `(path, text)`, in path order.
pub fn files() -> Vec<(&'static str, &'static str)> {
    DEFAULT_FILES
        .iter()
        .filter(|(p, _)| (p.starts_with("css/") && p.ends_with(".css")) || (p.starts_with("js/") && p.ends_with(".js")))
        .filter(|(p, _)| !SITE_CHROME.contains(p))
        .filter_map(|(p, b)| Some((*p, std::str::from_utf8(b).ok()?)))
        .collect()
}

/// The `<style>` and `<script>` elements appended to a chapter whose blocks
/// need `needs`, as HTML blocks (each starts a line and contains no
/// `</style>` or `</script>` before its end). `course` names the book for
/// scripts that keep state per course (the quiz script reads `data-course`
/// from its own tag, as on the standalone site).
///
/// The scripts run once per page however many chapters carry them: mdBook's
/// print.html holds every chapter, and each copy would otherwise add its own
/// set of controls to every quiz on the page.
pub fn tags(course: &str, needs: Needs) -> String {
    let mut css = format!("/* coursegen: mdbook.css */\n{BRIDGE_CSS}\n");
    if needs.code {
        css.push_str(&format!("/* coursegen: syntax highlighting */\n{}", highlight::stylesheet()));
    }
    let mut js = String::from("window.coursegenRan = window.coursegenRan || {};\n");
    js.push_str(&once("mdbook.js", BRIDGE_JS));
    for (path, text) in files().into_iter().filter(|(p, _)| needs.wants(p)) {
        if path.ends_with(".css") {
            css.push_str(&format!("\n/* coursegen: {path} */\n{text}\n"));
        } else {
            js.push_str(&once(path, text));
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
        let all = Needs { quiz: true, flow: true, steps: true, code: true, parts: true };
        let tags = tags("A \"book\"", all);
        assert!(tags.contains("<script class=\"coursegen\" data-course=\"A &quot;book&quot;\">"), "{tags}");
        for (path, _) in DEFAULT_FILES.iter().filter(|(p, _)| p.starts_with("css/") || p.starts_with("js/")) {
            let marker = format!("/* coursegen: {path} */");
            assert_eq!(tags.contains(&marker), !SITE_CHROME.contains(path), "{path}");
        }
        assert!(tags.starts_with("<style class=\"coursegen\">\n"));
        assert!(tags.contains("flow.css"));
        let quiz_only = super::tags("B", Needs { quiz: true, ..Needs::default() });
        assert!(quiz_only.contains("/* coursegen: js/quiz.js */") && !quiz_only.contains("steps.js"), "{quiz_only}");
        assert!(!quiz_only.contains("flow.css") && !quiz_only.contains("syntax highlighting"));
        assert!(quiz_only.contains("if (!window.coursegenRan[\"js/quiz.js\"]) {"), "once per page: {quiz_only}");
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
