//! The navigation tree and links between pages, relative to the page shown.

use crate::parse::summary::{Summary, SummaryItem};
use crate::render::view::{LinkView, NavItem};

/// What the navigation knows of each chapter's page.
pub struct PageInfo<'a> {
    /// Output path relative to the site root (`flask/a.html`).
    pub out: &'a str,
    /// What every link to it says (see `pipeline::pages`), in place of the
    /// SUMMARY.md entry's text.
    pub title: &'a str,
    pub minutes: Option<u32>,
}

/// The URL of `to` (a site-root-relative path) from the page at `from`.
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    join(&"../".repeat(depth), to)
}

/// `prefix` (`""`, `"../"`, …) and then `to`, a site-root-relative path.
/// This exists because a page may be named `javascript:alert(1).md`: a URL
/// whose first segment has a `:` reads as a scheme, so it gets a `./`.
fn join(prefix: &str, to: &str) -> String {
    let first_segment = to.split(['/', '?', '#']).next().unwrap_or_default();
    if prefix.is_empty() && first_segment.contains(':') { format!("./{to}") } else { format!("{prefix}{to}") }
}

/// `flask/a.md` → `flask/a.html`.
pub fn output_path(src_rel: &str) -> String {
    match src_rel.strip_suffix(".md") {
        Some(stem) => format!("{}.html", index_stem(stem)),
        None => src_rel.to_string(),
    }
}

/// A chapter `README.md` is its folder's `index.html`, as in mdBook.
pub fn index_stem(stem: &str) -> String {
    match stem.strip_suffix("README") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index"),
        _ => stem.to_string(),
    }
}

/// The navigation tree as seen from the page at `current` (a site-root-relative
/// output path; `""` for the home page). `info` finds a chapter's page by its
/// source path.
pub fn tree<'a>(summary: &Summary, current: &str, info: &dyn Fn(&str) -> Option<PageInfo<'a>>) -> Vec<NavItem> {
    items(&summary.items, &Here { current: Some(current), prefix: &relative(current, "") }, info).0
}

/// Where the tree is seen from: the current page, if any, and the prefix from
/// it to the site root.
struct Here<'h> {
    current: Option<&'h str>,
    prefix: &'h str,
}

/// Items and whether the current page is among them.
fn items<'a>(items: &[SummaryItem], here: &Here<'_>, info: &dyn Fn(&str) -> Option<PageInfo<'a>>) -> (Vec<NavItem>, bool) {
    let mut out = Vec::with_capacity(items.len());
    let mut found = false;
    for item in items {
        out.push(match item {
            SummaryItem::Part { title } => NavItem::Part { title: title.clone() },
            SummaryItem::Separator => NavItem::Separator,
            SummaryItem::Chapter(c) => {
                let page = c.path.as_deref().and_then(info);
                let is_current = page.as_ref().is_some_and(|p| Some(p.out) == here.current);
                let (children, below) = self::items(&c.children, here, info);
                found |= is_current || below;
                NavItem::Chapter {
                    title: page.as_ref().map_or(c.title.as_str(), |p| p.title).to_string(),
                    number: c.number.clone(),
                    url: page.as_ref().map(|p| join(here.prefix, p.out)),
                    current: is_current,
                    open: below,
                    minutes: page.and_then(|p| p.minutes),
                    children,
                }
            }
        });
    }
    (out, found)
}

/// The pages before and after page `i` in reading order (`order` holds
/// output paths and titles), as links from it. By index, not by path: found
/// by path, every page of a 5,000-page course scanned the order.
pub fn neighbours(order: &[(String, String)], i: usize) -> (Option<LinkView>, Option<LinkView>) {
    let Some((current, _)) = order.get(i) else { return (None, None) };
    let link = |j: usize| order.get(j).map(|(out, title)| LinkView { title: title.clone(), url: relative(current, out) });
    (i.checked_sub(1).and_then(link), link(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative("index.html", "a/b.html"), "a/b.html");
        assert_eq!(relative("a/b.html", "c.html"), "../c.html");
        assert_eq!(relative("a/b/c.html", "css/x.css"), "../../css/x.css");
        assert_eq!(relative("", "a.html"), "a.html");
    }

    #[test]
    fn a_page_named_like_a_scheme_is_linked_with_a_dot_segment() {
        assert_eq!(relative("index.html", "javascript:alert(1).html"), "./javascript:alert(1).html");
        assert_eq!(relative("", "javascript:alert(1).html"), "./javascript:alert(1).html");
        assert_eq!(relative("a/b.html", "javascript:alert(1).html"), "../javascript:alert(1).html");
        assert_eq!(relative("index.html", "dir/a:b.html"), "dir/a:b.html", "a colon past the first segment is no scheme");
        let order = vec![("a.html".to_string(), "A".to_string()), ("javascript:x.html".into(), "J".into())];
        assert_eq!(neighbours(&order, 0).1.unwrap().url, "./javascript:x.html");
        let (summary, _) = crate::parse::summary::parse("src/SUMMARY.md", "- [J](javascript:x.md)\n");
        let info = |rel: &str| (rel == "javascript:x.md").then_some(PageInfo { out: "javascript:x.html", title: "J", minutes: None });
        let NavItem::Chapter { url, .. } = &tree(&summary, "", &info)[0] else { panic!("a chapter") };
        assert_eq!(url.as_deref(), Some("./javascript:x.html"));
    }

    #[test]
    fn prev_and_next() {
        let order = vec![("a.html".to_string(), "A".to_string()), ("d/b.html".into(), "B".into()), ("c.html".into(), "C".into())];
        let (p, n) = neighbours(&order, 1);
        assert_eq!(p.unwrap().url, "../a.html");
        assert_eq!(n.unwrap().url, "../c.html");
        assert!(neighbours(&order, 0).0.is_none());
        assert!(neighbours(&order, 2).1.is_none());
        let (p, n) = neighbours(&order, 3);
        assert!(p.is_none() && n.is_none(), "past the end: nothing");
    }

    #[test]
    fn tree_marks_the_current_page_and_the_chapters_above_it() {
        let text = "# Course\n\n[Intro](intro.md)\n\n# Part\n\n- [A](a/a.md)\n  - [B](a/b/b.md)\n  - [Draft]()\n---\n- [C](c.md)\n";
        let (summary, _) = crate::parse::summary::parse("src/SUMMARY.md", text);
        let outs = ["intro.html", "a/a.html", "a/b/b.html", "c.html"];
        let info = |rel: &str| outs.iter().find(|o| **o == output_path(rel)).map(|o| PageInfo { out: o, title: o, minutes: None });
        let nav = tree(&summary, "a/b/b.html", &info);
        let NavItem::Chapter { url, open, current, children, .. } = &nav[2] else { panic!("A is the third item: {nav:?}") };
        assert_eq!((url.as_deref(), *open, *current), (Some("../../a/a.html"), true, false));
        let NavItem::Chapter { url, current, .. } = &children[0] else { panic!("B: {children:?}") };
        assert_eq!((url.as_deref(), *current), (Some("../../a/b/b.html"), true));
        assert!(matches!(&children[1], NavItem::Chapter { url: None, .. }), "the draft has no link");
        let home = tree(&summary, "", &info);
        assert!(matches!(&home[2], NavItem::Chapter { open: false, current: false, .. }), "nothing is current from the root");
    }
}
