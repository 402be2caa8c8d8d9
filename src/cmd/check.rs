//! `coursegen check`: what a build does not stop for but a course should not
//! ship with. Internal links and their anchors (`#step-N` included), images,
//! and questions without an explanation, each located in its source file.
//!
//! Pure: it reads the parsed pages and the built site (whose ids are the truth
//! about which anchors exist), and returns diagnostics.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag};

use crate::diag::Diagnostic;
use crate::model::{Block, Page};
use crate::parse::markdown_options;
use crate::pipeline::site::Site;
use crate::render::nav;
use crate::source::input::Input;

/// Checks every page against the site it built into.
pub fn course(input: &Input, pages: &[Page], site: &Site) -> Vec<Diagnostic> {
    let ids: BTreeMap<&str, BTreeSet<String>> = site
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p.as_str(), ids_in(&String::from_utf8_lossy(bytes))))
        .collect();
    let files: BTreeSet<&str> = input.files.iter().map(|f| f.rel.as_str()).collect();
    let mut diags = Vec::new();
    for page in pages {
        let from = nav::output_path(&page.rel);
        for link in links(&page.text[page.body_start..], page.body_start) {
            if let Some(d) = check_link(page, &from, &link, &ids, &files) {
                diags.push(d);
            }
        }
        explanations(page, &mut diags);
    }
    diags
}

/// Every `http(s)://` link of the pages, with where it is written (page path
/// for diagnostics, span): the input of `coursegen check --external`.
pub fn external_links(pages: &[Page]) -> Vec<(String, Range<usize>, String)> {
    let mut out = Vec::new();
    for page in pages {
        for link in links(&page.text[page.body_start..], page.body_start) {
            if !link.image && (link.dest.starts_with("http://") || link.dest.starts_with("https://")) {
                out.push((page.path.clone(), link.span, link.dest));
            }
        }
    }
    out
}

/// A link or image in a page's Markdown.
struct Link {
    dest: String,
    span: Range<usize>,
    image: bool,
}

fn links(text: &str, offset: usize) -> Vec<Link> {
    pulldown_cmark::Parser::new_ext(text, markdown_options())
        .into_offset_iter()
        .filter_map(|(e, r)| {
            let span = r.start + offset..r.end + offset;
            match e {
                Event::Start(Tag::Link { dest_url, link_type, .. }) if link_type != LinkType::Email => {
                    Some(Link { dest: dest_url.to_string(), span, image: false })
                }
                Event::Start(Tag::Image { dest_url, .. }) => Some(Link { dest: dest_url.to_string(), span, image: true }),
                _ => None,
            }
        })
        .collect()
}

fn check_link(page: &Page, from: &str, link: &Link, ids: &BTreeMap<&str, BTreeSet<String>>, files: &BTreeSet<&str>) -> Option<Diagnostic> {
    let dest = link.dest.as_str();
    if dest.is_empty() || dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') {
        return None;
    }
    let (path, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
    let Some(rel) = crate::parse::relpath::resolve(&page.rel, &percent_decode(path)) else {
        return Some(Diagnostic::error(&page.path, link.span.clone(), format!("link `{dest}` points outside the course")));
    };
    if link.image {
        return (!files.contains(rel.as_str())).then(|| {
            Diagnostic::error(&page.path, link.span.clone(), format!("image `{path}` not found"))
                .with_hint("images are looked up relative to the page, under the source folder")
        });
    }
    let target = if path.is_empty() { from.to_string() } else { nav::output_path(&rel) };
    let Some(anchors) = ids.get(target.as_str()) else {
        if path.ends_with(".md") || path.ends_with(".html") {
            return Some(
                Diagnostic::error(&page.path, link.span.clone(), format!("link to `{path}`, which is not a page of this course"))
                    .with_hint("link to a file listed in SUMMARY.md, with its `.md` name"),
            );
        }
        return (!files.contains(rel.as_str()))
            .then(|| Diagnostic::error(&page.path, link.span.clone(), format!("link to `{path}`, which does not exist")));
    };
    let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
    (!anchors.contains(fragment)).then(|| {
        let on = if path.is_empty() { "this page".to_string() } else { format!("`{path}`") };
        Diagnostic::error(&page.path, link.span.clone(), format!("`#{fragment}` is not an anchor on {on}"))
            .with_hint("anchors are heading ids (`## Key moments` → `#key-moments`), step rows (`#step-2`) and block ids")
    })
}

/// Every question should say why its answer is right.
fn explanations(page: &Page, diags: &mut Vec<Diagnostic>) {
    for b in page.blocks.iter() {
        let Block::Quiz(q) = b else { continue };
        let at = q.span.start..q.span.start + page.text[q.span.clone()].find('\n').unwrap_or(0);
        for (i, question) in q.questions.iter().enumerate() {
            if question.explain.as_deref().is_none_or(|e| e.trim().is_empty()) {
                diags.push(
                    Diagnostic::warning(&page.path, at.clone(), format!("question {} has no explanation", i + 1))
                        .with_hint("add `explain:` so learners learn why, not just whether"),
                );
            }
        }
    }
}

/// The `id="…"` values in an HTML page.
fn ids_in(html: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.insert(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    ids
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
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
mod tests {
    use super::*;

    #[test]
    fn ids_and_paths() {
        let ids = ids_in(r#"<h2 id="a-b">x</h2><tr id="step-1"><div data-id="no">"#);
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["a-b", "step-1"]);
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
    }
}
