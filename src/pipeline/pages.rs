//! Rendering: every page's body, HTML and search part in one task per page,
//! on every core, each page going to the sink as soon as it is made; then the
//! search index and the site's other files. What the cache offers is reused,
//! and what it keeps is handed to it at the end; a cache that keeps nothing
//! lets each page leave memory once written (issue 8).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{Cache, Made};
use super::once;
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::Page;
use crate::parse::summary::Summary;
use crate::pipeline::memo::hash_of;
use crate::pipeline::sink::Sink;
use crate::pipeline::site::{Bytes, Tools};
use crate::render::markdown::{Body, Markdown};
use crate::render::theme::Theme;
use crate::render::view::{CourseView, NavItem, PageView, QuizProgressView};
use crate::render::{self as r, nav};
use crate::search::{self, Part};
use crate::source::input::{FileData, Input};

/// What the render step is given besides the pages.
pub(super) struct Shared<'a> {
    pub input: &'a Input,
    pub tools: &'a Tools,
    pub outline: &'a Summary,
    pub theme: &'a Theme,
    /// Changes whenever the theme is loaded again.
    pub generation: u64,
}

/// What every page of one build shares.
pub(super) struct Common<'a> {
    pub theme: &'a Theme,
    pub course: CourseView<'a>,
    /// Output path and title of every page, in reading order.
    pub order: &'a [(String, String)],
    /// The navigation tree seen from the root: the contents.
    pub nav: Vec<NavItem>,
    /// `[output.html] edit-url-template`.
    edit_url_template: Option<&'a str>,
    /// How the book's Markdown reads (smart punctuation, math).
    flavour: crate::render::markdown::Flavour,
    md: Markdown<'a>,
    /// How the course's language is searched.
    rules: search::Rules,
    /// A hash of all of the above: when it is unchanged, the home page and
    /// the contents are kept from the last build.
    pub key: u64,
    /// A hash of what every lesson page shows of the course (its title, the
    /// theme): a page whose body was reused keeps its HTML when this, its own
    /// title and its neighbours are unchanged. Other pages' titles are not in
    /// it: the menu is in `js/toc.js`, so a retitled lesson re-renders itself,
    /// its two neighbours and the contents, not every page.
    page_key: u64,
}

/// One page's results.
struct PageMade {
    diags: Vec<Diagnostic>,
    /// The theme's template failed on it.
    template: Option<Diagnostic>,
    part: Arc<Part>,
    /// Kept only for a cache that keeps: the body, the HTML and the hashes
    /// of what they were made from.
    body: Option<Arc<Body>>,
    html: Option<(u64, Bytes)>,
    part_key: u64,
    reused_html: bool,
    indexed: bool,
    /// The ids the page's body has, for the cross-reference check.
    ids: Vec<String>,
}

/// Renders `pages` (`reparsed[i]`: page `i` was parsed afresh) and the rest of
/// the site into `sink`. Returns how many lesson pages there are.
pub(super) fn render(
    s: &Shared<'_>,
    pages: &[Page],
    reparsed: &[bool],
    cache: &mut dyn Cache,
    diags: &mut Vec<Diagnostic>,
    sink: &dyn Sink,
) -> Result<usize, Error> {
    let config = &s.input.config;
    let title = config.title.clone().or_else(|| s.outline.title.clone()).unwrap_or_else(|| "Course".into());
    let course = CourseView {
        title: &title,
        description: config.description.as_deref(),
        authors: &config.authors,
        language: &config.language,
        additional_css: &config.html.additional_css,
        additional_js: &config.html.additional_js,
        git_repository_url: config.html.git_repository_url.as_deref(),
    };
    let listed_titles: BTreeMap<&str, &str> =
        s.outline.chapters().into_iter().filter_map(|c| Some((c.path.as_deref()?, c.title.as_str()))).collect();
    // One title per page for every place that names it (issue 19): the
    // sidebar, Previous/Next, Continue and the progress list.
    let order: Vec<(String, String)> = pages
        .iter()
        .map(|p| (nav::output_path(&p.rel), super::nav_title(p, listed_titles.get(p.rel.as_str()).copied(), config.summary_titles)))
        .collect();
    let by_rel: BTreeMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.rel.as_str(), i)).collect();
    let info = |rel: &str| {
        by_rel.get(rel).map(|&i| nav::PageInfo { out: order[i].0.as_str(), title: order[i].1.as_str(), minutes: pages[i].front.minutes })
    };
    let minutes: Vec<Option<u32>> = pages.iter().map(|p| p.front.minutes).collect();
    let common = Common {
        theme: s.theme,
        key: hash_of(&(s.outline, &order, &minutes, &course, s.generation)),
        page_key: hash_of(&(&course, s.generation)),
        course,
        order: &order,
        nav: nav::tree(s.outline, "", &info),
        edit_url_template: config.html.edit_url_template.as_deref(),
        flavour: crate::render::markdown::Flavour {
            smart_punctuation: config.html.smart_punctuation,
            math: config.html.dollar_math().then_some(crate::render::math::MathSyntax { mathjax: config.html.mathjax_support }),
        },
        md: Markdown { highlighter: &s.tools.highlighter, raw_html: config.raw_html, line_numbers: config.line_numbers },
        rules: search::Rules::for_language(&config.language),
    };
    let syntax_css = cache.syntax_css();
    let keeps = cache.keeps();
    let quizzes = quiz_progress(pages, &order);
    let view: &dyn Cache = cache;
    // The home page and contents need no page body: they are made beside the
    // pages (the home page of 1,000 lessons alone took 20 ms on one core).
    let (made, once) = rayon::join(
        || {
            pages
                .par_iter()
                // A page is worth a task of its own: left to itself, rayon
                // splits the list in runs of about N/8 pages that no idle core
                // can steal from, and a build ended with one core rendering the
                // last run alone (60 ms of 900 at N = 1000).
                .with_max_len(1)
                .enumerate()
                .map(|(i, page)| one_page(&common, i, page, reparsed[i], view, keeps, sink))
                .collect::<Result<Vec<PageMade>, Error>>()
        },
        || once::pages(&common, config, &quizzes, view, sink),
    );
    let (made, once) = (made?, once?);
    let mut kept = Made::default();
    let mut parts = Vec::with_capacity(made.len());
    let mut failed = Vec::new();
    let (mut rendered, mut reused_html, mut indexed) = (0, 0, 0);
    let mut ids = Vec::with_capacity(made.len());
    for ((m, page), (out, _)) in made.into_iter().zip(pages).zip(&order) {
        diags.extend(m.diags);
        ids.push(m.ids);
        failed.extend(m.template);
        rendered += usize::from(!m.reused_html);
        reused_html += usize::from(m.reused_html);
        indexed += usize::from(m.indexed);
        if keeps {
            kept.parts.push((out.clone(), m.part_key, Arc::clone(&m.part)));
            kept.bodies.extend(m.body.map(|b| (page.rel.clone(), b)));
            kept.html.extend(m.html.map(|(key, html)| (out.clone(), key, html)));
        }
        parts.push(m.part);
    }
    let files = s.input.files.iter().map(|f| f.rel.as_str()).collect();
    diags.extend(crate::pipeline::xref::check(&crate::pipeline::xref::Targets { pages, ids: &ids, files }));
    // Body warnings first, then template errors.
    diags.extend(failed);
    diags.extend(once.diags);
    let (index, scripts) = search::index(parts, |n, parts| view.script(n, parts), keeps, common.rules);
    // A theme asset replaces a search file of the same path, as before.
    let generated: BTreeMap<String, Bytes> = index
        .files()
        .map(|(path, js)| (path, Bytes::from(js)))
        .chain(s.theme.assets().map(|(path, bytes)| (path.to_string(), Bytes::from(bytes))))
        .chain([("css/syntax.css".to_string(), syntax_css)])
        .collect();
    // On every core: creating files costs the kernel more than writing them.
    generated.par_iter().try_for_each(|(path, bytes)| sink.put(path, Bytes::clone(bytes)))?;
    // The course's own static files never replace a generated one.
    let mut taken: HashSet<&str> = order.iter().map(|(out, _)| out.as_str()).chain(once::PAGES).collect();
    taken.extend(generated.keys().map(String::as_str));
    copy_static(s.input, &taken, sink)?;
    diags.extend(super::mdbook_extras::write(s.input, &taken, sink)?);
    if let Some(url) = &config.site_url {
        sink.put("sitemap.xml", Bytes::from(once::sitemap(url, &order).into_bytes()))?;
    }
    let stats = cache.stats();
    stats.rendered += rendered;
    stats.reused_html += reused_html;
    stats.indexed += indexed;
    if keeps {
        kept.html.extend(once.html);
        kept.scripts = scripts;
        cache.keep(kept);
    }
    Ok(pages.len())
}

/// Page `i` of the reading order: its body (the cache's, for a page not
/// parsed again), its HTML (the cache's when nothing it shows changed),
/// written to `sink`, and its part of the search index.
fn one_page(
    c: &Common<'_>,
    i: usize,
    page: &Page,
    reparsed: bool,
    cache: &dyn Cache,
    keeps: bool,
    sink: &dyn Sink,
) -> Result<PageMade, Error> {
    let (out, title) = &c.order[i];
    let prior = if reparsed { None } else { cache.body(&page.rel) };
    let reused_body = prior.is_some();
    let body = prior.unwrap_or_else(|| Arc::new(r::book_page_body(&c.md, page, c.flavour)));
    // Hashes only where something may be reused or kept: a one-shot build
    // of 1,000 pages need not hash their headings twice.
    let hashed = keeps || reused_body;
    let key = if hashed { hash_of(&(c.page_key, out, title, &page.front, &body.headings, &nav::neighbours(c.order, i))) } else { 0 };
    let part_key = if hashed { search::inputs_key(i, out, title, &body.sections) } else { 0 };
    let (mut template, mut html, mut reused_html) = (None, None, false);
    match cache.html(out, key).filter(|_| reused_body) {
        Some(kept) => {
            sink.put(out, Bytes::clone(&kept))?;
            reused_html = true;
            html = keeps.then_some((key, kept));
        }
        None => match page_html(c, page, &body, i) {
            Ok(h) if keeps => {
                let h = Bytes::from(h.into_bytes());
                sink.put(out, Bytes::clone(&h))?;
                html = Some((key, h));
            }
            // Nobody else holds it: to the sink without a shared copy.
            Ok(h) => sink.put_owned(out, h.into_bytes())?,
            Err(d) => template = Some(d),
        },
    }
    let kept_part = cache.part(out, part_key).filter(|_| reused_body);
    let indexed = kept_part.is_none();
    let part = kept_part.unwrap_or_else(|| Arc::new(search::part(i, page, out, title, &body.sections, c.rules)));
    let ids = body.headings.iter().map(|h| h.id.clone()).chain(body.block_ids.iter().cloned()).collect();
    Ok(PageMade { diags: body.diags.clone(), template, part, body: keeps.then_some(body), html, part_key, reused_html, indexed, ids })
}

/// One lesson page through the theme's `page.html`.
/// `i`: the page's place in the reading order.
fn page_html(c: &Common<'_>, page: &Page, body: &Body, i: usize) -> Result<String, Diagnostic> {
    let (out, title) = (c.order[i].0.as_str(), c.order[i].1.as_str());
    let (prev, next) = nav::neighbours(c.order, i);
    let view = PageView {
        course: &c.course,
        root: nav::relative(out, ""),
        title,
        minutes: page.front.minutes,
        summary: page.front.summary.as_deref(),
        content: &body.html,
        headings: &body.headings,
        prev,
        next,
        path: out,
        title_in_body: opens_with_h1(&body.html),
        edit_url: c.edit_url_template.map(|t| t.replace("{path}", &page.path)),
    };
    c.theme.render("page.html", &view)
}

/// Whether a page's body begins with its `<h1>`, after any `<a id>` anchors
/// (the Rust Book keeps old anchors above its chapter titles).
fn opens_with_h1(html: &str) -> bool {
    let mut rest = html.trim_start();
    while let Some(anchor) = rest.strip_prefix("<a id=\"").or_else(|| rest.strip_prefix("<p><a id=\"")) {
        rest = anchor.split_once("</a>").map_or("", |(_, r)| r);
        rest = rest.strip_prefix("</p>").unwrap_or(rest).trim_start();
    }
    rest.starts_with("<h1 ")
}

/// The pages that have quiz questions, with their questions' progress keys.
fn quiz_progress(pages: &[Page], order: &[(String, String)]) -> Vec<QuizProgressView> {
    pages
        .iter()
        .zip(order)
        .filter_map(|(page, (url, title))| {
            let questions = r::quiz::question_keys(page);
            (!questions.is_empty()).then(|| QuizProgressView { title: title.clone(), url: nav::relative("index.html", url), questions })
        })
        .collect()
}

/// Images and other files under the source folder are copied as they are;
/// Markdown and quiz TOML are sources, not output.
fn copy_static(input: &Input, taken: &HashSet<&str>, sink: &dyn Sink) -> Result<(), Error> {
    for f in &input.files {
        if f.rel.ends_with(".md") || f.rel.ends_with(".toml") || taken.contains(f.rel.as_str()) {
            continue;
        }
        let bytes: Bytes = match &f.data {
            FileData::Text(t) => Bytes::from(t.as_bytes()),
            FileData::Binary(b) => Bytes::from(b.as_slice()),
        };
        sink.put(&f.rel, bytes)?;
    }
    Ok(())
}
