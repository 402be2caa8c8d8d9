//! The whole build as one pure function: loaded files in, site files out.
//!
//! `build` (write to disk), `serve` (keep in memory) and the tests all call
//! [`build`]; only where the input comes from and where the output goes differ.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::sink::{self, Sink};
use rayon::prelude::*;

use crate::memo::{self, HtmlStore, Memo, MemoPage};
use crate::model::{Block, Page};
use crate::parse::{self, PageSource};
use crate::render::highlight::{self, Highlighter};
use crate::render::markdown::Markdown;
use crate::render::{self as r, nav};
use crate::search::text::Sections;
use crate::summary::{self, Chapter, Summary, SummaryItem};
use crate::theme::{Overrides, Theme};
use crate::view::{CourseView, IndexView, LinkView, NotFoundView, PageView, QuizProgressView, TocView};

/// A file under the source folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the source folder, `/`-separated.
    pub rel: String,
    pub data: FileData,
}

/// Text files are checked for UTF-8 when loaded; the rest is copied as is.
/// A page's text is shared with its parsed [`Page`], so `serve` tells an
/// unchanged page by its address, not by comparing 22 MB at 5,000 lessons.
#[derive(Debug, Clone)]
pub enum FileData {
    Text(Arc<str>),
    Binary(Vec<u8>),
}

/// Everything a build reads.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub config: Config,
    /// Files under the source folder, sorted by path.
    pub files: Vec<SourceFile>,
    pub theme: Overrides,
    /// Files under the source folder that exist but could not be read (their
    /// problem is already reported); not "missing" for SUMMARY.md.
    pub unreadable: Vec<String>,
}

impl Input {
    /// The text of a file named as diagnostics name it (relative to the course
    /// folder), for printing snippets.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        let rel = path.strip_prefix(&self.config.src)?.strip_prefix('/')?;
        self.text(rel)
    }

    fn text(&self, rel: &str) -> Option<&str> {
        self.shared_text(rel).map(|t| &**t)
    }

    fn shared_text(&self, rel: &str) -> Option<&Arc<str>> {
        let i = self.files.binary_search_by(|f| f.rel.as_str().cmp(rel)).ok()?;
        match &self.files[i].data {
            FileData::Text(t) => Some(t),
            FileData::Binary(_) => None,
        }
    }
}

/// Things expensive to make, made once and reused across builds.
#[derive(Default)]
pub struct Tools {
    pub highlighter: Highlighter,
}

/// The contents of one output file. Shared, so `serve` keeps a page that did
/// not change from one build to the next without copying it (a page of a
/// 1,000-lesson course is ~250 KB, most of it navigation).
pub type Bytes = std::sync::Arc<[u8]>;

/// The finished site: output paths (relative, `/`-separated) and contents.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: BTreeMap<String, Bytes>,
    /// How many lesson pages (not counting the home and 404 pages).
    pub pages: usize,
}

/// What a build produced: a site when there were no errors, every diagnostic,
/// and the parsed pages (for `check`).
pub struct Outcome {
    pub site: Option<Site>,
    pub diags: Vec<Diagnostic>,
    pub pages: Vec<Page>,
}

/// What [`build_into`] produced: how many lesson pages it wrote (`None`: the
/// build had errors, and what was written must be discarded), every
/// diagnostic, and the parsed pages.
pub struct Streamed {
    pub written: Option<usize>,
    pub diags: Vec<Diagnostic>,
    pub pages: Vec<Page>,
}

/// Builds the site from `input`, in memory.
pub fn build(input: &Input, tools: &Tools) -> Outcome {
    in_memory(input, tools, &mut Memo::one_shot())
}

/// [`build`], putting every file into `sink` as soon as it is made and keeping
/// none of them: the files of `coursegen build` (issue 8). Only `sink` fails.
pub fn build_into(input: &Input, tools: &Tools, sink: &dyn Sink) -> Result<Streamed, Error> {
    stream(input, tools, &mut Memo::one_shot(), sink)
}

/// [`build`], reusing what `memo` kept from the previous build of the same
/// course (unchanged pages are neither parsed nor rendered again) and keeping
/// this build's results in it. The output is the same as [`build`]'s.
pub fn build_with(input: &Input, tools: &Tools, memo: &mut Memo) -> Outcome {
    in_memory(input, tools, memo)
}

fn in_memory(input: &Input, tools: &Tools, memo: &mut Memo) -> Outcome {
    let files = sink::Memory::default();
    match stream(input, tools, memo, &files) {
        Ok(s) => Outcome { site: s.written.map(|n| files.into_site(n)), diags: s.diags, pages: s.pages },
        // The memory sink does not fail; should it, say so rather than panic.
        Err(e) => Outcome { site: None, diags: vec![Diagnostic::error(String::new(), 0..0, e.to_string())], pages: Vec::new() },
    }
}

fn stream(input: &Input, tools: &Tools, memo: &mut Memo, sink: &dyn Sink) -> Result<Streamed, Error> {
    memo.start(&input.config);
    let mut diags = Vec::new();
    let src = input.config.src.as_str();
    let summary_path = format!("{src}/SUMMARY.md");
    let (outline, listed) = outline(input, &summary_path, &mut diags);
    let mut previous = std::mem::take(&mut memo.pages);
    // Keep what is unchanged; parse the rest on every core.
    let mut entries: Vec<(&String, Option<MemoPage>)> = listed
        .iter()
        .filter(|rel| input.text(rel).is_some())
        .map(|rel| {
            let text = input.text(rel);
            let kept = previous
                .remove(rel.as_str())
                .filter(|e| text.is_some_and(|t| same_text(&e.page.text, t)) && e.deps.iter().all(|(d, t)| input.text(d) == t.as_deref()));
            (rel, kept)
        })
        .collect();
    let reused = entries.iter().filter(|(_, e)| e.is_some()).count();
    memo.stats.reused_pages += reused;
    memo.stats.parsed += entries.len() - reused;
    entries.par_iter_mut().filter(|(_, e)| e.is_none()).for_each(|(rel, e)| {
        *e = input.shared_text(rel).map(|text| parse_page(input, rel, text));
    });
    let mut pages: Vec<Page> = Vec::with_capacity(entries.len());
    for (rel, entry) in entries {
        let Some(entry) = entry else { continue };
        if memo.forget {
            diags.extend(entry.parse_diags);
            pages.push(entry.page);
        } else {
            diags.extend(entry.parse_diags.iter().cloned());
            pages.push(entry.page.clone());
            memo.pages.insert(rel.clone(), entry);
        }
    }
    let outline = outline.unwrap_or_else(|| implicit_summary(&pages));
    tools.highlighter.expect_repeats(pages.iter().flat_map(code_samples));
    let written = match memo.theme(&input.theme) {
        Ok(_) => render(input, tools, &outline, &pages, memo, &mut diags, sink)?,
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let failed = diags.iter().any(Diagnostic::is_error);
    Ok(Streamed { written: if failed { None } else { written }, diags, pages })
}

/// Whether two texts are equal; the same bytes (a page's text and the input
/// it was parsed from, while the file is unchanged) are known at once.
fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Every code sample of `page` as `(code, language)`, as they are highlighted.
fn code_samples(page: &Page) -> impl Iterator<Item = (&str, &str)> {
    page.blocks.iter().flat_map(|b| {
        let (code, quiz) = match b {
            Block::Code(c) => (Some((c.code.as_str(), c.attrs.lang.as_str())), None),
            Block::Quiz(q) => {
                (None, Some(q.questions.iter().filter_map(|q| q.code.as_ref()).map(|c| (c.code.as_str(), c.lang.as_deref().unwrap_or("")))))
            }
            _ => (None, None),
        };
        code.into_iter().chain(quiz.into_iter().flatten())
    })
}

/// Parses one page, recording the files the parse read (quiz TOML) so the
/// memo knows when they change.
fn parse_page(input: &Input, rel: &str, text: &Arc<str>) -> MemoPage {
    let deps: RefCell<Vec<(String, Option<String>)>> = RefCell::new(Vec::new());
    let files = |r: &str| {
        let t = input.text(r);
        deps.borrow_mut().push((r.to_string(), t.map(str::to_string)));
        t
    };
    let path = format!("{}/{rel}", input.config.src);
    // The page keeps the input's text: one copy of it, and an unchanged page
    // is known by its address at the next rebuild.
    let (page, parse_diags) = parse::page(&PageSource { path: &path, rel, src_dir: &input.config.src, text }, &files);
    MemoPage { deps: deps.into_inner(), page, parse_diags, body: None }
}

/// The table of contents and the source paths of the pages, in reading order.
fn outline(input: &Input, summary_path: &str, diags: &mut Vec<Diagnostic>) -> (Option<Summary>, Vec<String>) {
    let markdown: Vec<&str> =
        input.files.iter().filter(|f| f.rel.ends_with(".md") && f.rel != "SUMMARY.md").map(|f| f.rel.as_str()).collect();
    let Some(text) = input.text("SUMMARY.md") else {
        return (None, markdown.iter().map(|s| s.to_string()).collect());
    };
    let (s, d) = summary::parse(summary_path, text);
    diags.extend(d);
    let mut listed: Vec<String> = Vec::new();
    // Sets, not `Vec::contains`: with 1,000 chapters the scans were a million compares.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for c in s.chapters() {
        let Some(p) = &c.path else { continue };
        if input.unreadable.contains(p) {
            continue;
        }
        if input.text(p).is_none() {
            diags.push(
                Diagnostic::error(summary_path, c.path_span.clone(), format!("chapter file `{p}` not found"))
                    .with_hint(format!("create {}/{p}, fix the path, or make it a draft with `[{}]()`", input.config.src, c.title)),
            );
        } else if seen.insert(p.as_str()) {
            listed.push(p.clone());
        }
    }
    let in_summary: std::collections::HashSet<&str> = s.chapters().iter().filter_map(|c| c.path.as_deref()).collect();
    for m in markdown.iter().filter(|m| !in_summary.contains(*m)) {
        diags.push(
            Diagnostic::warning(format!("{}/{m}", input.config.src), 0..0, "this file is not in SUMMARY.md, so it is not a page")
                .with_hint(format!("add `- [Title]({m})` to SUMMARY.md to publish it")),
        );
    }
    (Some(s), listed)
}

/// Without SUMMARY.md: every page in path order, titled by its own title.
fn implicit_summary(pages: &[Page]) -> Summary {
    let items = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            SummaryItem::Chapter(Chapter {
                title: title_of(p, None),
                path: Some(p.rel.clone()),
                path_span: 0..0,
                number: Some(format!("{}.", i + 1)),
                children: Vec::new(),
            })
        })
        .collect();
    Summary { title: None, items }
}

/// Front matter title, else first heading, else the SUMMARY entry, else the file name.
fn title_of(p: &Page, listed_as: Option<&str>) -> String {
    p.front
        .title
        .clone()
        .or_else(|| p.first_heading.clone())
        .or_else(|| listed_as.map(str::to_string))
        .unwrap_or_else(|| p.rel.rsplit('/').next().unwrap_or(&p.rel).trim_end_matches(".md").to_string())
}

/// What every page of one build shares.
struct Common<'a> {
    theme: &'a Theme,
    course: CourseView<'a>,
    /// Output path and title of every page, in reading order.
    order: &'a [(String, String)],
    /// The navigation tree seen from the root: the contents.
    nav: Vec<crate::view::NavItem>,
    md: Markdown<'a>,
    /// A hash of all of the above: when it is unchanged, the home page and
    /// the contents are kept from the last build.
    key: u64,
    /// A hash of what every lesson page shows of the course (its title, the
    /// theme): a page whose body was reused keeps its HTML when this, its own
    /// title and its neighbours are unchanged. Other pages' titles are not in
    /// it: the menu is in `js/toc.js`, so a retitled lesson re-renders itself,
    /// its two neighbours and the contents, not every page.
    page_key: u64,
}

/// Renders the pages into `sink`, reusing the bodies and HTML `memo` kept for
/// pages that did not change, and keeping this build's in it. Returns how
/// many lesson pages there are.
fn render(
    input: &Input,
    tools: &Tools,
    outline: &Summary,
    pages: &[Page],
    memo: &mut Memo,
    diags: &mut Vec<Diagnostic>,
    sink: &dyn Sink,
) -> Result<Option<usize>, Error> {
    let Memo { theme, html, pages: memo_pages, stats, theme_generation, syntax_css, forget, search: search_cache, .. } = memo;
    let Some((_, theme)) = theme.as_ref() else { return Ok(None) };
    let config = &input.config;
    let title = config.title.clone().or_else(|| outline.title.clone()).unwrap_or_else(|| "Course".into());
    let course =
        CourseView { title: &title, description: config.description.as_deref(), authors: &config.authors, language: &config.language };
    let md = Markdown { highlighter: &tools.highlighter, raw_html: config.raw_html };
    let listed_titles: BTreeMap<&str, &str> =
        outline.chapters().into_iter().filter_map(|c| Some((c.path.as_deref()?, c.title.as_str()))).collect();
    let by_rel: BTreeMap<&str, &Page> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    let outs: BTreeMap<&str, String> = pages.iter().map(|p| (p.rel.as_str(), nav::output_path(&p.rel))).collect();
    let info = |rel: &str| by_rel.get(rel).map(|p| nav::PageInfo { out: outs[rel].as_str(), minutes: p.front.minutes });
    let order: Vec<(String, String)> =
        pages.iter().map(|p| (outs[p.rel.as_str()].clone(), title_of(p, listed_titles.get(p.rel.as_str()).copied()))).collect();
    let minutes: Vec<Option<u32>> = pages.iter().map(|p| p.front.minutes).collect();
    let key = memo::hash_of(&(outline, &order, &minutes, &course, *theme_generation));
    let page_key = memo::hash_of(&(&course, *theme_generation));
    let nav = nav::tree(outline, "", &info);
    let common = Common { theme, course, order: &order, nav, md, key, page_key };
    let mut store = HtmlStore::new(html, !*forget);
    // Pages parsed again this build (their bodies are not remembered yet).
    let fresh: Vec<bool> =
        if *forget { Vec::new() } else { pages.iter().map(|p| memo_pages.get(&p.rel).is_none_or(|e| e.body.is_none())).collect() };
    // The home page and contents need no page body: they are made beside
    // the pages (the home page of 1,000 lessons alone took 20 ms on one core).
    let once = |store: &mut HtmlStore<'_>, diags: &mut Vec<Diagnostic>| -> Result<(), Error> {
        home_pages(&common, config, &quiz_progress(pages, &order), store, sink, diags)?;
        contents(&common, store, sink, diags)
    };
    let (written, index) = if *forget {
        stats.rendered += pages.len();
        let mut once_diags = Vec::new();
        let (made, once) = rayon::join(|| pages_at_once(&common, pages, sink, diags), || once(&mut store, &mut once_diags));
        let (written, parts) = made?;
        once?;
        diags.extend(once_diags);
        (written, crate::search::from_parts(parts))
    } else {
        let (written, texts) = remembered_pages(&common, pages, memo_pages, &mut store, stats, sink, diags)?;
        let (once, index) =
            rayon::join(|| once(&mut store, diags), || crate::search::build_cached(pages, &order, texts, search_cache, &fresh));
        once?;
        (written, index)
    };
    store.finish();
    stats.indexed += index.indexed;
    let css = syntax_css.get_or_insert_with(|| Bytes::from(highlight::stylesheet().into_bytes()));
    // A theme asset replaces a search file of the same path, as before.
    let generated: BTreeMap<String, Bytes> = index
        .files()
        .map(|(path, js)| (path, Bytes::from(js)))
        .chain(theme.assets().map(|(path, bytes)| (path.to_string(), Bytes::from(bytes))))
        .chain([("css/syntax.css".to_string(), Bytes::clone(css))])
        .collect();
    // On every core: creating files costs the kernel more than writing them.
    generated.par_iter().try_for_each(|(path, bytes)| sink.put(path, Bytes::clone(bytes)))?;
    // The course's own static files never replace a generated one.
    let mut taken: HashSet<&str> =
        order.iter().map(|(out, _)| out.as_str()).chain(["index.html", "404.html", "toc.html", "js/toc.js"]).collect();
    taken.extend(generated.keys().map(String::as_str));
    copy_static(input, &taken, sink)?;
    if let Some(url) = &config.site_url {
        sink.put("sitemap.xml", Bytes::from(sitemap(url, &order).into_bytes()))?;
    }
    Ok(Some(written))
}

/// Each page's text by section, for the search index (`None`: the page has no body).
type PageTexts = Vec<Option<Sections>>;

/// Each page's body, HTML and part of the search index, in one pass on every
/// core, each page going to `sink` once made and leaving memory: a build that
/// keeps nothing (issue 8). Returns how many lesson pages there are, and
/// their parts of the index in order.
fn pages_at_once(
    c: &Common<'_>,
    pages: &[Page],
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> Result<(usize, Vec<crate::search::Part>), Error> {
    let made: Vec<(Vec<Diagnostic>, Option<Diagnostic>, crate::search::Part)> = pages
        .par_iter()
        // A page is worth a task of its own: left to itself, rayon splits
        // the list in runs of about N/8 pages that no idle core can steal
        // from, and a build ended with one core rendering the last run
        // alone (60 ms of 900 at N = 1000).
        .with_max_len(1)
        .enumerate()
        .map(|(i, page)| {
            let body = r::page_body(&c.md, page);
            let (url, title) = &c.order[i];
            let part = crate::search::part(i, page, url, title, &body.sections);
            match page_html(c, page, &body, i) {
                Ok(h) => sink.put_owned(url, h.into_bytes()).map(|()| (body.diags, None, part)),
                Err(d) => Ok((body.diags, Some(d), part)),
            }
        })
        .collect::<Result<_, Error>>()?;
    // Body warnings first, then template errors, as the memo path reports them.
    let mut failed = Vec::new();
    let mut parts = Vec::with_capacity(made.len());
    for (body_diags, template, part) in made {
        diags.extend(body_diags);
        failed.extend(template);
        parts.push(part);
    }
    diags.extend(failed);
    Ok((pages.len(), parts))
}

/// The pages for `serve`: bodies and HTML that `memo_pages` and `store` kept
/// for unchanged pages are reused; this build's are kept for the next.
/// Returns how many lesson pages there are.
fn remembered_pages(
    common: &Common<'_>,
    pages: &[Page],
    memo_pages: &mut HashMap<String, MemoPage>,
    store: &mut HtmlStore<'_>,
    stats: &mut memo::Stats,
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> Result<(usize, PageTexts), Error> {
    let order = common.order;
    let mut written = 0;
    // Bodies of changed pages, on every core.
    let fresh: Vec<Option<r::markdown::Body>> = pages
        .par_iter()
        .map(|page| match memo_pages.get(&page.rel).and_then(|e| e.body.as_ref()) {
            Some(_) => None,
            None => Some(r::page_body(&common.md, page)),
        })
        .collect();
    // Which pages need their HTML made again; the rest keep last build's.
    let bodies: Vec<Option<&r::markdown::Body>> =
        pages.iter().zip(&fresh).map(|(page, f)| f.as_ref().or_else(|| memo_pages.get(&page.rel).and_then(|e| e.body.as_ref()))).collect();
    let mut jobs: Vec<(usize, u64, &r::markdown::Body)> = Vec::new();
    for (i, (page, (out, title))) in pages.iter().zip(order).enumerate() {
        let Some(body) = bodies[i] else { continue };
        diags.extend(body.diags.iter().cloned());
        written += 1;
        let key = memo::hash_of(&(common.page_key, out, title, &page.front, &body.headings, &nav::neighbours(order, i)));
        match store.reuse(out, key).filter(|_| fresh[i].is_none()) {
            Some(html) => {
                stats.reused_html += 1;
                sink.put(out, html)?;
            }
            None => jobs.push((i, key, body)),
        }
    }
    stats.rendered += jobs.len();
    // Each page goes to the sink as soon as it is made.
    let made: Vec<(usize, u64, Result<Bytes, Diagnostic>)> = jobs
        .par_iter()
        .map(|&(i, key, body)| {
            let out = &order[i].0;
            let html = match page_html(common, &pages[i], body, i) {
                Ok(h) => Bytes::from(h.into_bytes()),
                Err(d) => return Ok((i, key, Err(d))),
            };
            sink.put(out, Bytes::clone(&html))?;
            Ok((i, key, Ok(html)))
        })
        .collect::<Result<_, Error>>()?;
    for (i, key, html) in made {
        match html {
            Ok(html) => store.keep(&order[i].0, key, html),
            Err(d) => diags.push(d),
        }
    }
    let texts: PageTexts = bodies.iter().map(|b| b.map(|b| Arc::clone(&b.sections))).collect();
    for (page, body) in pages.iter().zip(fresh) {
        if let (Some(body), Some(entry)) = (body, memo_pages.get_mut(&page.rel)) {
            entry.body = Some(body);
        }
    }
    Ok((written, texts))
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

/// One lesson page through the theme's `page.html`.
/// `i`: the page's place in the reading order.
fn page_html(c: &Common<'_>, page: &Page, body: &r::markdown::Body, i: usize) -> Result<String, Diagnostic> {
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
    };
    c.theme.render("page.html", &view)
}

/// The home and 404 pages; they depend on shared things only.
fn home_pages(
    c: &Common<'_>,
    config: &Config,
    quizzes: &[QuizProgressView],
    store: &mut HtmlStore<'_>,
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    // The home page lists each lesson's questions: a changed id changes it.
    let key = memo::hash_of(&(c.key, &config.site_url, quizzes));
    for name in ["index.html", "404.html"] {
        if let Some(html) = store.reuse(name, key) {
            sink.put(name, html)?;
            continue;
        }
        let first = c.order.first().map(|(out, title)| LinkView { title: title.clone(), url: nav::relative("index.html", out) });
        let nav = &c.nav;
        let html = if name == "index.html" {
            let quizzes = quizzes.to_vec();
            c.theme.render(name, &IndexView { course: &c.course, root: String::new(), nav, path: "index.html", first, quizzes })
        } else {
            let root = config.site_url.clone().unwrap_or_default();
            c.theme.render(name, &NotFoundView { course: &c.course, root, path: "404.html" })
        };
        put_rendered(name, key, html, store, sink, diags)?;
    }
    Ok(())
}

/// A page made once per build (home, 404, contents): to `sink`, and kept in
/// `store` under `key`; a template error goes to `diags`.
fn put_rendered(
    out: &str,
    key: u64,
    made: Result<String, Diagnostic>,
    store: &mut HtmlStore<'_>,
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    match made {
        Ok(h) => {
            let h = Bytes::from(h.into_bytes());
            store.keep(out, key, Bytes::clone(&h));
            sink.put(out, h)
        }
        Err(d) => {
            diags.push(d);
            Ok(())
        }
    }
}

/// The course's contents, drawn once for every page: `toc.js` puts them in
/// each page's sidebar, `toc.html` is what the sidebar frames without scripts.
fn contents(c: &Common<'_>, store: &mut HtmlStore<'_>, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) -> Result<(), Error> {
    let mut missing = Vec::new();
    for (template, out) in [("toc.html", "toc.html"), ("toc.js", "js/toc.js")] {
        match store.reuse(out, c.key) {
            Some(h) => sink.put(out, h)?,
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
            diags.push(d);
            return Ok(());
        }
    };
    let nav_json = r::escape::js_string(&nav_html);
    let view = TocView { course: &c.course, root: String::new(), nav, nav_html, nav_json };
    for (template, out) in missing {
        put_rendered(out, c.key, c.theme.render(template, &view), store, sink, diags)?;
    }
    Ok(())
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

fn sitemap(base: &str, order: &[(String, String)]) -> String {
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for out in std::iter::once("index.html").chain(order.iter().map(|(o, _)| o.as_str())) {
        let _ = writeln!(s, "  <url><loc>{}</loc></url>", r::escape::escape_html(&format!("{base}{out}")));
    }
    s.push_str("</urlset>\n");
    s
}
