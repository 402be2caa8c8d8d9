//! The whole build as one pure function: loaded files in, site files out.
//!
//! `build` (write to disk), `serve` (keep in memory) and the tests all call
//! [`build`]; only where the input comes from and where the output goes differ.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::Page;
use crate::parse::{self, PageSource};
use crate::render::highlight::{self, Highlighter};
use crate::render::markdown::Markdown;
use crate::render::{self as r, nav};
use crate::summary::{self, Chapter, Summary, SummaryItem};
use crate::theme::{Overrides, Theme};
use crate::view::{CourseView, IndexView, LinkView, NotFoundView, PageView};

/// A file under the source folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the source folder, `/`-separated.
    pub rel: String,
    pub data: FileData,
}

/// Text files are checked for UTF-8 when loaded; the rest is copied as is.
#[derive(Debug, Clone)]
pub enum FileData {
    Text(String),
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

/// The finished site: output paths (relative, `/`-separated) and contents.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
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

/// Builds the site from `input`.
pub fn build(input: &Input, tools: &Tools) -> Outcome {
    let mut diags = Vec::new();
    let src = input.config.src.as_str();
    let summary_path = format!("{src}/SUMMARY.md");
    let (outline, listed) = outline(input, &summary_path, &mut diags);
    let files = |rel: &str| input.text(rel);
    let mut pages: Vec<Page> = Vec::new();
    for rel in &listed {
        let Some(text) = input.text(rel) else { continue };
        let path = format!("{src}/{rel}");
        let (page, d) = parse::page(&PageSource { path: &path, rel, src_dir: src, text }, &files);
        diags.extend(d);
        pages.push(page);
    }
    let outline = outline.unwrap_or_else(|| implicit_summary(&pages));
    let theme = match Theme::load(&input.theme) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let site = theme.and_then(|theme| render(input, tools, &theme, &outline, &pages, &mut diags));
    let failed = diags.iter().any(Diagnostic::is_error);
    Outcome { site: if failed { None } else { site }, diags, pages }
}

/// The table of contents and the source paths of the pages, in reading order.
fn outline(input: &Input, summary_path: &str, diags: &mut Vec<Diagnostic>) -> (Option<Summary>, Vec<String>) {
    let markdown: Vec<&str> = input
        .files
        .iter()
        .filter(|f| f.rel.ends_with(".md") && f.rel != "SUMMARY.md")
        .map(|f| f.rel.as_str())
        .collect();
    let Some(text) = input.text("SUMMARY.md") else {
        return (None, markdown.iter().map(|s| s.to_string()).collect());
    };
    let (s, d) = summary::parse(summary_path, text);
    diags.extend(d);
    let mut listed: Vec<String> = Vec::new();
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
        } else if !listed.contains(p) {
            listed.push(p.clone());
        }
    }
    let in_summary: Vec<&str> = s.chapters().iter().filter_map(|c| c.path.as_deref()).collect();
    for m in markdown.iter().filter(|m| !in_summary.contains(m)) {
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

fn render(input: &Input, tools: &Tools, theme: &Theme, outline: &Summary, pages: &[Page], diags: &mut Vec<Diagnostic>) -> Option<Site> {
    let config = &input.config;
    let title = config.title.clone().or_else(|| outline.title.clone()).unwrap_or_else(|| "Course".into());
    let course = CourseView { title: &title, description: config.description.as_deref(), authors: &config.authors, language: &config.language };
    let md = Markdown { highlighter: &tools.highlighter, raw_html: config.raw_html };
    let listed_titles: BTreeMap<&str, &str> = outline.chapters().into_iter().filter_map(|c| Some((c.path.as_deref()?, c.title.as_str()))).collect();
    let by_rel: BTreeMap<&str, &Page> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    let outs: BTreeMap<&str, String> = pages.iter().map(|p| (p.rel.as_str(), nav::output_path(&p.rel))).collect();
    let info = |rel: &str| by_rel.get(rel).map(|p| nav::PageInfo { out: outs[rel].as_str(), minutes: p.front.minutes });
    let order: Vec<(String, String)> = pages.iter().map(|p| (outs[p.rel.as_str()].clone(), title_of(p, listed_titles.get(p.rel.as_str()).copied()))).collect();
    let mut site = Site::default();
    for (page, (out, title)) in pages.iter().zip(&order) {
        let body = r::page_body(&md, page);
        diags.extend(body.diags);
        let (prev, next) = nav::neighbours(&order, out);
        let view = PageView {
            course: &course,
            root: nav::relative(out, ""),
            title,
            minutes: page.front.minutes,
            summary: page.front.summary.as_deref(),
            content: &body.html,
            headings: &body.headings,
            nav: nav::tree(outline, out, &info),
            prev,
            next,
            path: out,
        };
        match theme.render("page.html", &view) {
            Ok(html) => {
                site.files.insert(out.clone(), html.into_bytes());
            }
            Err(d) => diags.push(d),
        }
        site.pages += 1;
    }
    let first = order.first().map(|(out, title)| LinkView { title: title.clone(), url: out.clone() });
    let index = IndexView { course: &course, root: String::new(), nav: nav::tree(outline, "", &info), first };
    let not_found = NotFoundView { course: &course, root: config.site_url.clone().unwrap_or_default(), nav: nav::tree(outline, "", &info) };
    for (name, html) in [("index.html", theme.render("index.html", &index)), ("404.html", theme.render("404.html", &not_found))] {
        match html {
            Ok(h) => {
                site.files.insert(name.to_string(), h.into_bytes());
            }
            Err(d) => diags.push(d),
        }
    }
    for (path, bytes) in theme.assets() {
        site.files.insert(path.to_string(), bytes.to_vec());
    }
    site.files.insert("css/syntax.css".into(), highlight::stylesheet().into_bytes());
    copy_static(input, &mut site);
    if let Some(url) = &config.site_url {
        site.files.insert("sitemap.xml".into(), sitemap(url, &order).into_bytes());
    }
    Some(site)
}

/// Images and other files under the source folder are copied as they are;
/// Markdown and quiz TOML are sources, not output.
fn copy_static(input: &Input, site: &mut Site) {
    for f in &input.files {
        if f.rel.ends_with(".md") || f.rel.ends_with(".toml") {
            continue;
        }
        let bytes = match &f.data {
            FileData::Text(t) => t.as_bytes().to_vec(),
            FileData::Binary(b) => b.clone(),
        };
        site.files.entry(f.rel.clone()).or_insert(bytes);
    }
}

fn sitemap(base: &str, order: &[(String, String)]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for out in std::iter::once("index.html").chain(order.iter().map(|(o, _)| o.as_str())) {
        let _ = writeln!(s, "  <url><loc>{}</loc></url>", r::escape::escape_html(&format!("{base}{out}")));
    }
    s.push_str("</urlset>\n");
    s
}
