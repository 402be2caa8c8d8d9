//! The navigation tree and links between pages, relative to the page shown.

use crate::summary::{Summary, SummaryItem};
use crate::view::{LinkView, Nav, NavItem};

/// What the navigation knows of each chapter's page.
pub struct PageInfo<'a> {
    /// Output path relative to the site root (`flask/a.html`).
    pub out: &'a str,
    pub minutes: Option<u32>,
}

/// The URL of `to` (a site-root-relative path) from the page at `from`.
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// `flask/a.md` → `flask/a.html`.
pub fn output_path(src_rel: &str) -> String {
    match src_rel.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html"),
        None => src_rel.to_string(),
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
                    title: c.title.clone(),
                    number: c.number.clone(),
                    url: page.as_ref().map(|p| format!("{}{}", here.prefix, p.out)),
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

/// Adds the output path of every page at or below `item` to `outs`.
fn pages_in<'a>(item: &SummaryItem, info: &dyn Fn(&str) -> Option<PageInfo<'a>>, outs: &mut Vec<String>) {
    let SummaryItem::Chapter(c) = item else { return };
    if let Some(p) = c.path.as_deref().and_then(info) {
        outs.push(p.out.to_string());
    }
    for child in &c.children {
        pages_in(child, info, outs);
    }
}

/// The navigation of every page of one build, made once per folder depth.
///
/// This exists because of issue 8: each page's `nav` holds every chapter of
/// the course, and making it afresh for each of 1,000 pages (then copying it
/// into the template context) cost more than the Markdown. Seen from pages at
/// the same depth, a top-level entry that does not contain the current page is
/// the same everywhere, so it is made once, as template data (shared, not
/// copied, by tera); each page makes only the entries around it. (The default
/// theme draws the sidebar from one shared file, `js/toc.js`, instead; `nav`
/// is there for themes that draw their own.)
pub struct Shared {
    /// Folder depth → each top-level entry as seen from a page at that depth
    /// that is not below it.
    by_depth: std::collections::BTreeMap<usize, Vec<tera::Value>>,
    /// Output path of a page → the top-level entries it is at or below (one,
    /// unless SUMMARY.md lists the page twice).
    owners: std::collections::HashMap<String, Vec<usize>>,
}

impl Shared {
    /// The entries of `summary` for pages at each of `depths`.
    pub fn new<'a>(summary: &Summary, depths: impl IntoIterator<Item = usize>, info: &dyn Fn(&str) -> Option<PageInfo<'a>>) -> Shared {
        let mut by_depth = std::collections::BTreeMap::new();
        for depth in depths {
            by_depth.entry(depth).or_insert_with(|| {
                let prefix = "../".repeat(depth);
                let (tree, _) = items(&summary.items, &Here { current: None, prefix: &prefix }, info);
                tree.iter().map(value).collect()
            });
        }
        let mut owners: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, item) in summary.items.iter().enumerate() {
            let mut outs = Vec::new();
            pages_in(item, info, &mut outs);
            for out in outs {
                owners.entry(out).or_default().push(i);
            }
        }
        Shared { by_depth, owners }
    }

    /// The navigation of the page at `current`.
    pub fn page<'a>(&self, summary: &Summary, current: &str, info: &dyn Fn(&str) -> Option<PageInfo<'a>>) -> Nav {
        let prefix = relative(current, "");
        let here = Here { current: Some(current), prefix: &prefix };
        let shared = self.by_depth.get(&current.matches('/').count());
        let mine = self.owners.get(current).map_or(&[][..], Vec::as_slice);
        let values = summary
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| match shared.and_then(|s| s.get(i)).filter(|_| !mine.contains(&i)) {
                Some(v) => v.clone(),
                None => value(&items(std::slice::from_ref(item), &here, info).0.remove(0)),
            })
            .collect();
        Nav(values)
    }
}

/// One top-level entry as template data.
fn value(item: &NavItem) -> tera::Value {
    // A NavItem is strings, numbers and lists: serializing it cannot fail.
    tera::Value::from_serializable(item)
}

/// Previous and next pages in reading order, as links from `current`.
pub fn neighbours(order: &[(String, String)], current: &str) -> (Option<LinkView>, Option<LinkView>) {
    let Some(i) = order.iter().position(|(out, _)| out == current) else { return (None, None) };
    let link = |j: usize| {
        order.get(j).map(|(out, title)| LinkView { title: title.clone(), url: relative(current, out) })
    };
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
    fn prev_and_next() {
        let order = vec![("a.html".to_string(), "A".to_string()), ("d/b.html".into(), "B".into()), ("c.html".into(), "C".into())];
        let (p, n) = neighbours(&order, "d/b.html");
        assert_eq!(p.unwrap().url, "../a.html");
        assert_eq!(n.unwrap().url, "../c.html");
        assert!(neighbours(&order, "a.html").0.is_none());
    }

    #[test]
    fn shared_entries_make_the_same_nav_as_a_fresh_tree() {
        let text = "# Course\n\n[Intro](intro.md)\n\n# Part\n\n- [A](a/a.md)\n  - [B](a/b/b.md)\n  - [Draft]()\n---\n- [C](c.md)\n- [A again](a/a.md)\n";
        let (summary, _) = crate::summary::parse("src/SUMMARY.md", text);
        assert_eq!(summary.chapters().len(), 6, "the summary parsed as meant");
        let outs = ["intro.html", "a/a.html", "a/b/b.html", "c.html"];
        let info = |rel: &str| outs.iter().find(|o| **o == output_path(rel)).map(|o| PageInfo { out: o, minutes: None });
        let shared = Shared::new(&summary, [0, 1, 2], &info);
        for current in ["", "intro.html", "a/a.html", "a/b/b.html", "c.html"] {
            let fresh = tree(&summary, current, &info);
            let nav = shared.page(&summary, current, &info);
            assert_eq!(tera::Value::from_serializable(&nav), tera::Value::from_serializable(&fresh), "{current}");
        }
    }
}
