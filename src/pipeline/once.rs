//! The pages made once per build, from what every page shares: the home page,
//! the 404 page and the contents (`toc.html`, `js/toc.js`), plus the sitemap.

use std::fmt::Write as _;

use super::cache::Cache;
use super::pages::Common;
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::pipeline::memo::hash_of;
use crate::pipeline::sink::Sink;
use crate::pipeline::site::Bytes;
use crate::render as r;
use crate::render::view::{IndexView, LinkView, NotFoundView, QuizProgressView, TocView};
use crate::source::config::Config;

/// The output paths of these pages: a course's own file never replaces them.
pub(super) const PAGES: [&str; 4] = ["index.html", "404.html", "toc.html", "js/toc.js"];

/// What these pages gave: their HTML with the hash of what it was made from
/// (for a cache to keep), and template errors.
#[derive(Default)]
pub(super) struct OnceMade {
    pub html: Vec<(String, u64, Bytes)>,
    pub diags: Vec<Diagnostic>,
}

/// Makes the home, 404 and contents pages into `sink`, each reused from
/// `cache` when what it shows is unchanged.
pub(super) fn pages(
    c: &Common<'_>,
    config: &Config,
    quizzes: &[QuizProgressView],
    cache: &dyn Cache,
    sink: &dyn Sink,
) -> Result<OnceMade, Error> {
    let mut made = OnceMade::default();
    home_pages(c, config, quizzes, cache, sink, &mut made)?;
    contents(c, cache, sink, &mut made)?;
    Ok(made)
}

/// The home and 404 pages; they depend on shared things only.
fn home_pages(
    c: &Common<'_>,
    config: &Config,
    quizzes: &[QuizProgressView],
    cache: &dyn Cache,
    sink: &dyn Sink,
    made: &mut OnceMade,
) -> Result<(), Error> {
    // The home page lists each lesson's questions: a changed id changes it.
    let key = hash_of(&(c.key, &config.site_url, quizzes));
    // A chapter README.md is the home page, as in mdBook.
    let readme_home = c.order.iter().any(|(out, _)| out == "index.html");
    for name in ["index.html", "404.html"].into_iter().filter(|n| !(readme_home && *n == "index.html")) {
        if let Some(html) = cache.html(name, key) {
            put(name, key, Ok(html), sink, made)?;
            continue;
        }
        let first = c.order.first().map(|(out, title)| LinkView { title: title.clone(), url: r::nav::relative("index.html", out) });
        let nav = &c.nav;
        let html = if name == "index.html" {
            let quizzes = quizzes.to_vec();
            c.theme.render(name, &IndexView { course: &c.course, root: String::new(), nav, path: "index.html", first, quizzes })
        } else {
            let root = config.site_url.clone().unwrap_or_default();
            c.theme.render(name, &NotFoundView { course: &c.course, root, path: "404.html" })
        };
        put(name, key, html.map(|h| Bytes::from(h.into_bytes())), sink, made)?;
    }
    Ok(())
}

/// The course's contents, drawn once for every page: `toc.js` puts them in
/// each page's sidebar, `toc.html` is what the sidebar frames without scripts.
fn contents(c: &Common<'_>, cache: &dyn Cache, sink: &dyn Sink, made: &mut OnceMade) -> Result<(), Error> {
    let mut missing = Vec::new();
    for (template, out) in [("toc.html", "toc.html"), ("toc.js", "js/toc.js")] {
        match cache.html(out, c.key) {
            Some(h) => put(out, c.key, Ok(h), sink, made)?,
            None => missing.push((template, out)),
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let nav = &c.nav;
    let nav_html = match c.theme.nav_tree(nav) {
        Ok(h) => h,
        Err(d) => {
            made.diags.push(d);
            return Ok(());
        }
    };
    let nav_json = crate::html::js_string(&nav_html);
    let view = TocView { course: &c.course, root: String::new(), nav, nav_html, nav_json };
    for (template, out) in missing {
        put(out, c.key, c.theme.render(template, &view).map(|h| Bytes::from(h.into_bytes())), sink, made)?;
    }
    Ok(())
}

/// A page made (or reused) under `key`: to `sink`, and into `made`; a
/// template error goes to its diagnostics.
fn put(out: &str, key: u64, html: Result<Bytes, Diagnostic>, sink: &dyn Sink, made: &mut OnceMade) -> Result<(), Error> {
    match html {
        Ok(h) => {
            made.html.push((out.to_string(), key, Bytes::clone(&h)));
            sink.put(out, h)
        }
        Err(d) => {
            made.diags.push(d);
            Ok(())
        }
    }
}

/// `sitemap.xml` for a course published at `base`.
pub(super) fn sitemap(base: &str, order: &[(String, String)]) -> String {
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for out in std::iter::once("index.html").chain(order.iter().map(|(o, _)| o.as_str())) {
        let _ = writeln!(s, "  <url><loc>{}</loc></url>", crate::html::escape_html(&format!("{base}{out}")));
    }
    s.push_str("</urlset>\n");
    s
}
