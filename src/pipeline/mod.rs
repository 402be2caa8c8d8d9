//! The build, once, for every front-end: loaded files in, site files out
//! through a [`Sink`], with a [`Cache`] that is the only difference between
//! `coursegen build` (nothing kept: [`cache::NoCache`]) and `serve` (the last
//! build's results: [`crate::pipeline::memo::Memo`]). One code path per page and one for
//! the search index, whatever the cache.
//!
//! 1. outline: SUMMARY.md, or every page in path order;
//! 2. parse: each listed page, on every core, unless the cache has it;
//! 3. render ([`pages`]): each page's body, HTML and search part in one task,
//!    written at once; the home page, 404 and contents beside them ([`once`]);
//! 4. the index, the theme's assets and the course's own files.

pub mod cache;
mod mdbook_extras;
pub mod memo;
mod once;
mod pages;
pub mod sink;
pub mod site;
pub mod xref;

use std::cell::RefCell;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::{Block, Included, Page};
use crate::parse::summary::{self, Chapter, Summary, SummaryItem};
use crate::parse::{self, PageSource};
use crate::pipeline::memo::MemoPage;
use crate::pipeline::sink::Sink;
use crate::pipeline::site::{Streamed, Tools};
use crate::source::input::Input;
pub use cache::{Cache, NoCache};

/// Builds the course in `input`, putting each file into `sink` as soon as it
/// is made, reusing what `cache` offers and giving it what it keeps. Only
/// `sink` fails; everything wrong with the course is a diagnostic.
pub fn build(input: &Input, tools: &Tools, cache: &mut dyn Cache, sink: &dyn Sink) -> Result<Streamed, Error> {
    cache.start(&input.config);
    let mut diags = Vec::new();
    let summary_path = format!("{}/SUMMARY.md", input.config.src);
    let (outline, listed) = outline(input, &summary_path, &mut diags);
    let pages = parse_pages(input, &listed, cache, &mut diags);
    let outline = outline.unwrap_or_else(|| implicit_summary(&pages.pages));
    tools.highlighter.expect_repeats(pages.pages.iter().flat_map(code_samples));
    let written = match cache.theme(&input.theme) {
        Ok((theme, generation)) => {
            let shared = pages::Shared { input, tools, outline: &outline, theme: &theme, generation };
            let before = diags.len();
            let written = pages::render(&shared, &pages.pages, &pages.reparsed, cache, &mut diags, sink)?;
            locate_in_pages(&mut diags[before..], &pages.pages);
            Some(written)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let failed = diags.iter().any(Diagnostic::is_error);
    Ok(Streamed { written: if failed { None } else { written }, diags, pages: pages.pages })
}

/// The parsed pages in reading order, and which of them were parsed afresh
/// (the others' bodies may come from the cache).
struct Parsed {
    pages: Vec<Page>,
    reparsed: Vec<bool>,
}

/// Parses the listed pages on every core, taking from `cache` those whose
/// inputs are unchanged.
fn parse_pages(input: &Input, listed: &[String], cache: &mut dyn Cache, diags: &mut Vec<Diagnostic>) -> Parsed {
    let mut entries: Vec<(&String, Option<MemoPage>, bool)> = listed
        .iter()
        .filter(|rel| input.text(rel).is_some())
        .map(|rel| {
            let kept = cache.take_parse(rel, input);
            let reparsed = kept.is_none();
            (rel, kept, reparsed)
        })
        .collect();
    let reused = entries.iter().filter(|(_, _, reparsed)| !reparsed).count();
    let stats = cache.stats();
    stats.reused_pages += reused;
    stats.parsed += entries.len() - reused;
    entries.par_iter_mut().filter(|(_, e, _)| e.is_none()).for_each(|(rel, e, _)| {
        *e = input.shared_text(rel).map(|text| parse_page(input, rel, text));
    });
    let mut parsed = Parsed { pages: Vec::with_capacity(entries.len()), reparsed: Vec::with_capacity(entries.len()) };
    let keeps = cache.keeps();
    for (rel, entry, reparsed) in entries {
        let Some(entry) = entry else { continue };
        parsed.reparsed.push(reparsed);
        if keeps {
            diags.extend(entry.parse_diags.iter().cloned());
            parsed.pages.push(entry.page.clone());
            cache.keep_parse(rel, entry);
        } else {
            diags.extend(entry.parse_diags);
            parsed.pages.push(entry.page);
        }
    }
    parsed
}

/// Every code sample of `page` as `(code, language)`, as they are highlighted.
fn code_samples(page: &Page) -> impl Iterator<Item = (&str, &str)> {
    page.blocks.iter().flat_map(|b| {
        let (code, quiz) = match b {
            Block::Code(c) => (Some((c.code.as_str(), c.info.lang.as_str())), None),
            Block::Quiz(q) => {
                (None, Some(q.questions.iter().filter_map(|q| q.code.as_ref()).map(|c| (c.code.as_str(), c.lang.as_deref().unwrap_or("")))))
            }
            _ => (None, None),
        };
        code.into_iter().chain(quiz.into_iter().flatten())
    })
}

/// Parses one page, recording the files the parse read (quiz TOML, included
/// files) so a cache knows when they change. mdBook's directives are
/// expanded first, and the parse's problems located in the files they came from.
fn parse_page(input: &Input, rel: &str, text: &Arc<str>) -> MemoPage {
    let deps: RefCell<Vec<(String, Option<String>)>> = RefCell::new(Vec::new());
    let files = |r: &str| {
        let t = input.text(r);
        deps.borrow_mut().push((r.to_string(), t.map(str::to_string)));
        t
    };
    let path = format!("{}/{rel}", input.config.src);
    let included = |p: &str| {
        let t = input.included(p);
        deps.borrow_mut().push((input.relative_to_src(p), t.map(str::to_string)));
        t
    };
    let expansion = parse::include::expand(&path, text, &included);
    let expanded = expansion.as_ref().map(|x| Arc::<str>::from(x.text.as_str()));
    // The page keeps the input's text: one copy of it, and an unchanged page
    // is known by its address at the next rebuild.
    let source = PageSource { path: &path, rel, src_dir: &input.config.src, text: expanded.as_ref().unwrap_or(text) };
    let (mut page, mut parse_diags) = parse::page(&source, &files);
    if let Some(x) = expansion {
        let included = Included { original: Arc::clone(text), map: x.map, title: x.title };
        locate(&mut parse_diags, &path, &included);
        parse_diags.extend(x.diags);
        page.included = Some(Arc::new(included));
    }
    MemoPage { deps: deps.into_inner(), page, parse_diags, body: None }
}

/// `diags` about the expanded page at `path` moved to the files their
/// places came from.
fn locate(diags: &mut [Diagnostic], path: &str, included: &Included) {
    for d in diags.iter_mut().filter(|d| d.path == path) {
        let (file, span) = included.map.locate(&d.span);
        d.path = file.to_string();
        d.span = span;
    }
}

/// [`locate`] for problems found after the parse (rendering, links), by page.
pub fn locate_in_pages(diags: &mut [Diagnostic], pages: &[Page]) {
    let by_path: std::collections::HashMap<&str, &Included> =
        pages.iter().filter_map(|p| Some((p.path.as_str(), p.included.as_deref()?))).collect();
    if by_path.is_empty() {
        return;
    }
    for d in diags.iter_mut() {
        if let Some(included) = by_path.get(d.path.as_str()) {
            let (file, span) = included.map.locate(&d.span);
            d.path = file.to_string();
            d.span = span;
        }
    }
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

/// What the navigation calls page `p`, listed in SUMMARY.md as `listed_as`:
/// that entry when the course asks for SUMMARY titles, else its own title.
fn nav_title(p: &Page, listed_as: Option<&str>, summary_titles: bool) -> String {
    match listed_as.filter(|_| summary_titles) {
        Some(t) => t.to_string(),
        None => title_of(p, listed_as),
    }
}

/// Front matter title, else first heading, else the SUMMARY entry, else the file name.
fn title_of(p: &Page, listed_as: Option<&str>) -> String {
    p.front
        .title
        .clone()
        .or_else(|| p.included.as_ref().and_then(|i| i.title.clone()))
        .or_else(|| p.first_heading.clone())
        .or_else(|| listed_as.map(str::to_string))
        .unwrap_or_else(|| p.rel.rsplit('/').next().unwrap_or(&p.rel).trim_end_matches(".md").to_string())
}
