//! The navigation tree and links between pages, relative to the page shown.

use std::fmt::Write as _;

use crate::render::escape::escape_html;
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
/// copied, by tera) and as HTML; each page makes only the entries around it.
pub struct Shared {
    /// Folder depth → each top-level entry as seen from a page at that depth
    /// that is not below it.
    by_depth: std::collections::BTreeMap<usize, Vec<Entry>>,
    /// Output path of a page → the top-level entries it is at or below (one,
    /// unless SUMMARY.md lists the page twice).
    owners: std::collections::HashMap<String, Vec<usize>>,
    /// Also make the HTML (the theme's `nav.html` is the default one).
    html: bool,
}

struct Entry {
    value: tera::Value,
    html: String,
}

impl Shared {
    /// The entries of `summary` for pages at each of `depths`.
    pub fn new<'a>(summary: &Summary, depths: impl IntoIterator<Item = usize>, info: &dyn Fn(&str) -> Option<PageInfo<'a>>, html: bool) -> Shared {
        let mut by_depth = std::collections::BTreeMap::new();
        for depth in depths {
            by_depth.entry(depth).or_insert_with(|| {
                let prefix = "../".repeat(depth);
                let (tree, _) = items(&summary.items, &Here { current: None, prefix: &prefix }, info);
                tree.iter().map(|item| entry(item, html)).collect()
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
        Shared { by_depth, owners, html }
    }

    /// The navigation of the page at `current`: `nav` and, when the theme's
    /// `nav.html` is the default one, `nav_html` of its view.
    pub fn page<'a>(&self, summary: &Summary, current: &str, info: &dyn Fn(&str) -> Option<PageInfo<'a>>) -> (Nav, Option<String>) {
        let prefix = relative(current, "");
        let here = Here { current: Some(current), prefix: &prefix };
        let shared = self.by_depth.get(&current.matches('/').count());
        let mine = self.owners.get(current).map_or(&[][..], Vec::as_slice);
        let mut values = Vec::with_capacity(summary.items.len());
        let mut html = self.html.then(|| String::from("<ol class=\"cg-nav-list\">"));
        for (i, item) in summary.items.iter().enumerate() {
            let made;
            let e = match shared.and_then(|s| s.get(i)).filter(|_| !mine.contains(&i)) {
                Some(e) => e,
                None => {
                    let (mut one, _) = items(std::slice::from_ref(item), &here, info);
                    made = entry(&one.remove(0), self.html);
                    &made
                }
            };
            values.push(e.value.clone());
            if let Some(h) = &mut html {
                h.push_str(&e.html);
            }
        }
        if let Some(h) = &mut html {
            h.push_str("\n</ol>");
        }
        (Nav(values), html)
    }
}

/// One top-level entry as template data and, if wanted, as HTML.
fn entry(item: &NavItem, html: bool) -> Entry {
    let mut h = String::new();
    if html {
        item_html(item, 0, &mut h);
    }
    // A NavItem is strings, numbers and lists: serializing it cannot fail.
    Entry { value: tera::Value::from_serializable(item), html: h }
}

/// The navigation tree as HTML, byte for byte what the default theme's
/// `nav_tree` component in `nav.html` makes of it.
///
/// This exists because of issue 8: every page carries the whole course's
/// navigation, and rendering 1,000 entries through tera's recursive
/// components on each of 1,000 pages cost more than all the Markdown. A test
/// below keeps the two in step.
pub fn html(items: &[NavItem]) -> String {
    let mut out = String::with_capacity(items.len() * 160);
    list(items, 0, &mut out);
    out
}

fn list(items: &[NavItem], depth: usize, out: &mut String) {
    out.push_str(if depth > 0 { "<ol class=\"cg-nav-list cg-nav-sub\">" } else { "<ol class=\"cg-nav-list\">" });
    for item in items {
        item_html(item, depth, out);
    }
    out.push_str("\n</ol>");
}

fn item_html(item: &NavItem, depth: usize, out: &mut String) {
    match item {
        NavItem::Part { title } => {
            let _ = write!(out, "\n<li class=\"cg-nav-part\">{}</li>", escape_html(title));
        }
        NavItem::Separator => out.push_str("\n<li class=\"cg-nav-sep\" aria-hidden=\"true\"><hr></li>"),
        NavItem::Chapter { title, number, url, current, open, children, .. } => {
            // Empty strings are false in tera's `{% if %}`, as missing ones are.
            let url = url.as_deref().filter(|u| !u.is_empty());
            out.push_str("\n<li class=\"cg-nav-item");
            out.push_str(if *current { " is-current" } else { "" });
            out.push_str(if *open { " is-open" } else { "" });
            out.push_str(if children.is_empty() { "\">" } else { " has-children\">" });
            match url {
                Some(u) => {
                    let aria = if *current { " aria-current=\"page\"" } else { "" };
                    let _ = write!(out, "<a class=\"cg-nav-link\" href=\"{}\"{aria}>", escape_html(u));
                }
                None => out.push_str("<span class=\"cg-nav-link cg-nav-draft\">"),
            }
            if let Some(n) = number.as_deref().filter(|n| !n.is_empty()) {
                let _ = write!(out, "<span class=\"cg-nav-num\">{}</span> ", escape_html(n));
            }
            let _ = write!(out, "<span class=\"cg-nav-title\">{}</span>", escape_html(title));
            out.push_str(if url.is_some() { "</a>" } else { " <span class=\"cg-nav-badge\">(draft)</span></span>" });
            if !children.is_empty() {
                out.push('\n');
                list(children, depth + 1, out);
            }
            out.push_str("\n</li>");
        }
    }
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

    fn chapter(title: &str, number: Option<&str>, url: Option<&str>, flags: (bool, bool), children: Vec<NavItem>) -> NavItem {
        let (current, open) = flags;
        NavItem::Chapter { title: title.into(), number: number.map(Into::into), url: url.map(Into::into), current, open, minutes: Some(5), children }
    }

    #[test]
    fn nav_html_is_what_the_default_nav_tree_component_makes() {
        let deep = vec![chapter("Deep 'one'", Some("1.1.1."), Some("a/b/c.html"), (true, false), Vec::new())];
        let inner = vec![
            chapter("Draft <one>", None, None, (false, false), Vec::new()),
            chapter("Inner \"q\"", Some("1.1."), Some("x&y.html"), (false, true), deep),
            chapter("Empty number", Some(""), Some(""), (false, false), Vec::new()),
        ];
        let nav = vec![
            NavItem::Part { title: "Part & <b>".into() },
            chapter("Intro", None, Some("intro.html"), (false, true), inner),
            NavItem::Separator,
            chapter("Last", Some("2."), Some("../last.html"), (false, false), Vec::new()),
        ];
        #[derive(serde::Serialize)]
        struct View<'a> {
            nav: &'a [NavItem],
        }
        let probe = ("probe.html".to_string(), b"{{ <nav_tree items={nav} /> }}".to_vec());
        let theme = crate::theme::Theme::load(&crate::theme::Overrides { dir: String::new(), files: vec![probe] }).expect("theme");
        let by_tera = theme.render("probe.html", &View { nav: &nav }).expect("renders");
        assert_eq!(html(&nav), by_tera);
        assert_eq!(html(&[]), theme.render("probe.html", &View { nav: &[] }).expect("renders"));
    }

    #[test]
    fn shared_entries_make_the_same_nav_as_a_fresh_tree() {
        let text = "# Course\n\n[Intro](intro.md)\n\n# Part\n\n- [A](a/a.md)\n  - [B](a/b/b.md)\n  - [Draft]()\n---\n- [C](c.md)\n- [A again](a/a.md)\n";
        let (summary, _) = crate::summary::parse("src/SUMMARY.md", text);
        assert_eq!(summary.chapters().len(), 6, "the summary parsed as meant");
        let outs = ["intro.html", "a/a.html", "a/b/b.html", "c.html"];
        let info = |rel: &str| outs.iter().find(|o| **o == output_path(rel)).map(|o| PageInfo { out: o, minutes: None });
        for html_too in [true, false] {
            let shared = Shared::new(&summary, [0, 1, 2], &info, html_too);
            for current in ["", "intro.html", "a/a.html", "a/b/b.html", "c.html"] {
                let fresh = tree(&summary, current, &info);
                let (nav, h) = shared.page(&summary, current, &info);
                assert_eq!(tera::Value::from_serializable(&nav), tera::Value::from_serializable(&fresh), "{current}");
                assert_eq!(h, html_too.then(|| html(&fresh)), "{current}");
            }
        }
    }
}
