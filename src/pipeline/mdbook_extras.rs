//! What an mdBook book's `[output.html]` adds to the site besides its pages:
//! its own stylesheets and scripts (`additional-css`, `additional-js`),
//! copied where mdBook puts them, and a redirect page for each entry of
//! `[output.html.redirect]`. Neither replaces a file the build made.

use std::collections::HashSet;

use crate::diag::Diagnostic;
use crate::error::Error;
use crate::html::escape_html;
use crate::pipeline::sink::Sink;
use crate::pipeline::site::Bytes;
use crate::source::directive::resolve;
use crate::source::input::Input;

/// Writes the extras of `input` into `sink`, leaving alone what is `taken`.
pub(super) fn write(input: &Input, taken: &HashSet<&str>, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Error> {
    let html = &input.config.html;
    let mut diags = Vec::new();
    // Missing files and bad paths were reported at their line when loaded.
    let at = |_: &str| 0..0;
    for (key, list) in [("additional-css", &html.additional_css), ("additional-js", &html.additional_js)] {
        for path in list {
            let Some(rel) = resolve("book.toml", path) else { continue };
            match input.included(&rel) {
                Some(text) if !taken.contains(rel.as_str()) => sink.put(&rel, Bytes::from(text.as_bytes().to_vec()))?,
                Some(_) => diags.push(Diagnostic::warning(
                    "book.toml",
                    at(key),
                    format!("`{path}` would replace a file coursegen makes; it is left out"),
                )),
                None => {}
            }
        }
    }
    for (old, new) in &html.redirects {
        let Some(rel) = resolve("book.toml", old).filter(|r| r.ends_with(".html")) else { continue };
        if taken.contains(rel.as_str()) {
            let d = Diagnostic::warning(
                "book.toml",
                at(old),
                format!("redirect from `{old}` would replace a page of the course; it is left out"),
            );
            diags.push(d);
            continue;
        }
        sink.put(&rel, Bytes::from(redirect_page(new).into_bytes()))?;
    }
    Ok(diags)
}

/// A page that sends the reader to `to`, with a link for when it does not.
fn redirect_page(to: &str) -> String {
    let to = escape_html(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<meta http-equiv=\"refresh\" content=\"0; URL={to}\">\n<link rel=\"canonical\" href=\"{to}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_escaped() {
        let page = redirect_page("new.html\"><script>x</script>");
        assert!(!page.contains("<script>x"), "{page}");
        assert!(page.contains("URL=new.html&quot;&gt;"), "{page}");
    }
}
