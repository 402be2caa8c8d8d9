//! Cross-references: every link and image an author wrote, in prose and in
//! the blocks' texts (quiz prompts, hints, explanations, feedback, step cells
//! and notes), against what the build made: the pages, the ids the renderer
//! reports having written, and the source files.
//!
//! The one place that decides whether a link lands: `build`, `serve` and
//! `check` all run it, and it runs whatever else is wrong with the course.
//! Linear in links and ids: every lookup is in a hash map or set. Pure.

use std::collections::{HashMap, HashSet};

use crate::diag::{self, Diagnostic};
use crate::model::{Block, Link, Page, is_step_anchor};
use crate::render::nav;
use crate::render::url::unsafe_scheme;

/// Most "did you mean" searches for one page: each scans the target page's
/// ids, and a page of broken links must not make a build quadratic.
const SUGGESTIONS_PER_PAGE: usize = 50;

/// What the build made that links may point at.
pub struct Targets<'a> {
    /// The pages, in any order, with the ids rendered into each (headings,
    /// step rows, questions, blocks), as `ids[i]` for `pages[i]`.
    pub pages: &'a [Page],
    pub ids: &'a [Vec<String>],
    /// Every file under the source folder, relative to it.
    pub files: HashSet<&'a str>,
}

/// Checks every link of every page; one diagnostic per link that lands nowhere.
pub fn check(t: &Targets<'_>) -> Vec<Diagnostic> {
    let by_out: HashMap<String, usize> = t.pages.iter().enumerate().map(|(i, p)| (nav::output_path(&p.rel), i)).collect();
    let ids: Vec<HashSet<&str>> = t.ids.iter().map(|ids| ids.iter().map(String::as_str).collect()).collect();
    let mut diags = Vec::new();
    for (i, page) in t.pages.iter().enumerate() {
        let mut c = Checker { t, by_out: &by_out, ids: &ids, page: (i, page), suggestions: SUGGESTIONS_PER_PAGE };
        diags.extend(page.links.iter().filter_map(|l| c.link(l)));
    }
    diags
}

/// For a front-end that renders only coursegen's blocks (mdBook renders the
/// rest, and names its headings itself): the page's links to its own step
/// rows, against the ids its blocks were given.
pub fn step_rows(page: &Page, ids: &[String]) -> Vec<Diagnostic> {
    let t = Targets { pages: std::slice::from_ref(page), ids: &[], files: HashSet::new() };
    let by_out = HashMap::new();
    let sets: Vec<HashSet<&str>> = vec![ids.iter().map(String::as_str).collect()];
    let mut c = Checker { t: &t, by_out: &by_out, ids: &sets, page: (0, page), suggestions: SUGGESTIONS_PER_PAGE };
    let own_rows = |l: &&Link| !l.image && l.dest.strip_prefix('#').is_some_and(is_step_anchor);
    page.links.iter().filter(own_rows).filter_map(|l| c.link(l)).collect()
}

struct Checker<'a, 't> {
    t: &'a Targets<'t>,
    /// Page index by output path (`sub/b.html`).
    by_out: &'a HashMap<String, usize>,
    ids: &'a [HashSet<&'t str>],
    /// The page whose links are checked, and its index.
    page: (usize, &'a Page),
    /// "Did you mean" searches left for this page.
    suggestions: usize,
}

impl Checker<'_, '_> {
    fn link(&mut self, link: &Link) -> Option<Diagnostic> {
        let (here, page) = self.page;
        let dest = link.dest.as_str();
        // Other sites, the site root, and what the renderer refuses (and warns about).
        if dest.is_empty() || dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') || unsafe_scheme(dest).is_some()
        {
            return None;
        }
        let at = link.place.phrase();
        let error = |message: String| Diagnostic::error(link.file.as_deref().unwrap_or(&page.path), link.span.clone(), message);
        let (path, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
        let Some(rel) = crate::source::relpath::resolve(&page.rel, &percent_decode(path)) else {
            // The Rust Book links `../std/index.html`: a sibling site where it
            // is published. Only a page of the course's own would be `.md`.
            if !link.image && !path.ends_with(".md") {
                return Some(
                    Diagnostic::warning(
                        link.file.as_deref().unwrap_or(&page.path),
                        link.span.clone(),
                        format!("link `{dest}`{at} leaves the course, so it is not checked"),
                    )
                    .with_hint("it works only where the site is published beside its target; an absolute URL works everywhere"),
                );
            }
            return Some(error(format!("link `{dest}`{at} points outside the course")));
        };
        if link.image {
            return (!self.t.files.contains(rel.as_str())).then(|| {
                error(format!("image `{path}`{at} not found"))
                    .with_hint("images are looked up relative to the page, under the source folder")
            });
        }
        let target = if path.is_empty() { Some(here) } else { self.by_out.get(&nav::output_path(&rel)).copied() };
        let Some(target) = target else {
            if path.ends_with(".md") || path.ends_with(".html") {
                let d = error(format!("link to `{path}`{at}, which is not a page of this course"));
                return Some(d.with_hint("link to a file listed in SUMMARY.md, with its `.md` name"));
            }
            return (!self.t.files.contains(rel.as_str())).then(|| error(format!("link to `{path}`{at}, which does not exist")));
        };
        let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
        let ids = &self.ids[target];
        let target_page = &self.t.pages[target];
        if ids.contains(fragment) || (is_step_anchor(fragment) && in_unreadable_steps(target_page, fragment)) {
            return None;
        }
        let close = self.closest(fragment, ids);
        if target == here && is_step_anchor(fragment) {
            // A row number past the end is told best by the rows there are; a
            // misspelt block id by the row meant.
            let same_row = close.filter(|c| is_step_anchor(c) && row_number(c) == row_number(fragment));
            let hint = same_row.map_or_else(|| rows(page), |c| format!("did you mean `#{c}`?"));
            return Some(error(format!("link to `#{fragment}`{at}, but there is no such step row")).with_hint(hint));
        }
        let on = if path.is_empty() { "this page".to_string() } else { format!("`{path}`") };
        let hint = close.map_or_else(
            || "anchors are heading ids (`## Key moments` → `#key-moments`), step rows (`#step-2`) and block ids".to_string(),
            |c| format!("did you mean `#{c}`?"),
        );
        Some(error(format!("`#{fragment}`{at} is not an anchor on {on}")).with_hint(hint))
    }

    /// The id of `ids` closest to `wrong`, within this page's budget of searches.
    fn closest<'i>(&mut self, wrong: &str, ids: &HashSet<&'i str>) -> Option<&'i str> {
        self.suggestions = self.suggestions.checked_sub(1)?;
        // Sorted, so that of two ids as close, the same one is named every build.
        let mut sorted: Vec<&str> = ids.iter().copied().collect();
        sorted.sort_unstable();
        diag::closest(wrong, sorted)
    }
}

/// The number at the end of a step anchor (`loop-step-3` → `3`).
fn row_number(anchor: &str) -> &str {
    anchor.rsplit('-').next().unwrap_or_default()
}

/// Whether `anchor` may be a row of a steps block of `page` that could not be
/// read: a link to it is not an error of its own (the block's error says what
/// to fix).
fn in_unreadable_steps(page: &Page, anchor: &str) -> bool {
    page.unreadable_steps.iter().any(|id| match id {
        Some(id) => anchor.strip_prefix(id.as_str()).is_some_and(|rest| rest.starts_with("-step-")),
        None => anchor.starts_with("step-"),
    })
}

/// The step rows of `page`, for a hint: "this page's rows are `#step-1` to `#step-4`".
fn rows(page: &Page) -> String {
    let ranges: Vec<String> = page
        .blocks
        .iter()
        .filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None })
        .map(|s| format!("`#{}` to `#{}`", s.anchor(1), s.anchor(s.steps.len())))
        .collect();
    if ranges.is_empty() { "this page has no step rows".to_string() } else { format!("this page's rows are {}", ranges.join(", and ")) }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
pub(crate) mod tests;
