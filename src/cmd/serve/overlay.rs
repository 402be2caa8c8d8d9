//! What `serve` adds to HTML pages on the way out: the live-reload script and,
//! after a failed build, an overlay with the diagnostics. Only served bytes are
//! changed; the site in memory (and so `coursegen build` output) never is.

use crate::diag::{self, Diagnostic};
use crate::html::escape_html;

/// Id of the overlay element (tests and the reload script look for it).
pub const OVERLAY_ID: &str = "coursegen-overlay";

/// The overlay for a failed build: every diagnostic as the terminal shows it,
/// escaped. `source` finds a file's text for the snippets.
pub fn overlay<'s>(diags: &[Diagnostic], source: impl Fn(&str) -> Option<&'s str>) -> String {
    overlay_text(&diag::report(diags, source))
}

/// The overlay showing `text` (already rendered diagnostics, or a fatal error).
pub fn overlay_text(text: &str) -> String {
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,20,20,.94);color:#f8f8f2;padding:2rem;font:14px/1.5 ui-monospace,monospace\">\
         <h2 style=\"color:#ff8080;margin-top:0;font:bold 18px sans-serif\">coursegen: the last build failed; showing the last good pages</h2>\
         <pre style=\"white-space:pre-wrap\">{}</pre>\
         <p style=\"font:14px sans-serif\">Fix the file and save: this page reloads by itself.</p></div>\n",
        escape_html(text)
    )
}

/// Where the served page gets the reload script and the overlay: before the
/// last `</body>`, or at the end. The bytes are spliced as they are sent
/// (`respond`), so the page itself is never copied.
pub fn insertion_point(html: &[u8]) -> usize {
    find_last_ci(html, b"</body>").unwrap_or(html.len())
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?).rev().find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end_and_escapes() {
        assert_eq!(insertion_point(b"<p>x</p></BODY></html>"), 8);
        assert_eq!(insertion_point(b"<p>x</body></p></body>"), 15, "the last one");
        assert_eq!(insertion_point(b"<p>x</p>"), 8);
        let d = [Diagnostic::error("content/a.md", 0..1, "bad <script>")];
        let html = overlay(&d, |_| Some("x\n"));
        assert!(html.contains("content/a.md:1:1: error: bad &lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
    }
}
