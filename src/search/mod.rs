//! The search index (issue 9), built with the site and shipped as a script.
//!
//! A script (`js/search-index.js` assigning a global), not JSON, because a
//! page opened from `file://` may not `fetch()`; the search box loads it with a
//! `<script>` element on first use. Per page it keeps the title, the URL
//! (relative to the site root), the section anchors, a short excerpt and a
//! Bloom filter of the page's terms ([`terms`]), which keeps the index well
//! under a third of the text it covers. The pages' texts go to scripts of
//! about [`SCRIPT_BYTES`] each (`js/search/<n>.js`), loaded only when a query
//! lists one of their pages. Pure: pages in, strings out.

pub mod terms;

pub use terms::Rules;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::Serialize;

use crate::html::json_for_script;
use crate::model::Page;
use crate::render::markdown::slug;
use crate::render::text::{Section, Sections};

use rayon::prelude::*;

/// Where the index goes in the site; `base.html` and `search.js` name it too.
pub const INDEX_PATH: &str = "js/search-index.js";

/// Columns of page text kept to show under a result (a CJK character takes
/// two, as on screen).
const EXCERPT_COLUMNS: usize = 80;

/// Bytes of page text per script, about: pages are packed in index order, a
/// page larger than this getting a script of its own. Issue 8: a script per
/// page doubled the files a build creates (1,000 lessons made 2,015 files),
/// and creating files is a good part of a build's system time; a query's ten
/// results now load a few scripts of this size instead of ten small ones.
pub const SCRIPT_BYTES: usize = 32 * 1024;

/// Sections listed per page: enough to point a result at the section whose
/// heading matched, few enough that a long page does not weigh on the index.
const MAX_SECTIONS: usize = 16;

/// The index script and what it was built from.
#[derive(Debug, Clone)]
pub struct Index {
    /// The contents of [`INDEX_PATH`].
    pub js: String,
    /// Bytes of text indexed (titles, headings, prose, code, quiz prompts):
    /// what the index's size is measured against.
    pub text_bytes: usize,
    /// The text scripts, `js/search/<n>.js` for `scripts[n]`: the pages'
    /// sections as text, packed in index order (see [`SCRIPT_BYTES`]),
    /// loaded only for the pages a query lists, to show the excerpt around
    /// the match and to drop the filters' false positives.
    pub scripts: Vec<Arc<str>>,
    /// How many pages were indexed afresh (the others' parts came from the cache).
    pub indexed: usize,
}

impl Index {
    /// Every file of the index: `(site path, contents)`.
    pub fn files(self) -> impl Iterator<Item = (String, Arc<str>)> {
        let scripts = self.scripts.into_iter().enumerate().map(|(n, js)| (text_path(n), js));
        std::iter::once((INDEX_PATH.to_string(), Arc::from(self.js))).chain(scripts)
    }
}

/// Where text script `n` goes; `search.js` makes the same path.
pub fn text_path(n: usize) -> String {
    format!("js/search/{n}.js")
}

/// What the script reads, `{"k": probes per term in the filters, "f": the
/// first page of each text script, "pages": [Entry, …]}`: kept terse, since
/// every byte is downloaded.
#[derive(Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// URL relative to the site root.
    u: String,
    /// The page's sections after its title.
    s: Vec<SectionEntry>,
    /// Excerpt: the summary, else the start of the text.
    x: String,
    /// The Bloom filter of the page's terms, base64.
    b: String,
}

/// A section: its heading alone when the anchor is the heading's slug (the
/// script makes the slug as the build does), else `[anchor, heading]`.
#[derive(Serialize)]
#[serde(untagged)]
enum SectionEntry {
    Slug(String),
    Anchor(String, String),
}

impl SectionEntry {
    fn new(anchor: String, heading: String) -> SectionEntry {
        if slug(&heading) == anchor { SectionEntry::Slug(heading) } else { SectionEntry::Anchor(anchor, heading) }
    }
}

/// Builds the index of `pages`; `order` holds each page's output path and
/// title, `sections` its text as its rendered body gave it, index by index.
/// The pipeline makes each part with its page instead ([`part`], [`index`]).
pub fn build(pages: &[Page], order: &[(String, String)], sections: Vec<Option<Sections>>, rules: Rules) -> Index {
    let listed: Vec<_> =
        pages.iter().zip(order).zip(sections).filter_map(|((page, (url, title)), s)| Some((page, url, title, s?))).collect();
    let parts =
        listed.into_par_iter().enumerate().map(|(n, (page, url, title, s))| Arc::new(part(n, page, url, title, &s, rules))).collect();
    index(parts, |_, _| None, false, rules).0
}

/// A text script and the parts it was made of.
pub type MadeScript = (Vec<Arc<Part>>, Arc<str>);

/// One page's part of the index: made for each page on its own, on any core
/// ([`part`]), then put together in order ([`index`]).
#[derive(Debug)]
pub struct Part {
    /// Its entry in the index, as JSON (safe inside a script).
    entry: String,
    /// Its text script.
    text: String,
    text_bytes: usize,
}

/// The index of the pages whose parts, in order, are `parts` (one per page
/// with a body, page `n` made by [`part`] with `n`). `reuse(n, parts)` may
/// give text script `n` as an earlier build made it of these very parts
/// (see [`same_parts`]); the others are made. With `keep`, each script is
/// also returned with its parts, for a cache to offer next time.
pub fn index(
    parts: Vec<Arc<Part>>,
    reuse: impl Fn(usize, &[Arc<Part>]) -> Option<Arc<str>> + Sync,
    keep: bool,
    rules: Rules,
) -> (Index, Vec<MadeScript>) {
    let mut made = Vec::new();
    let index = assemble(parts, |n, parts| reuse(n, parts).unwrap_or_else(|| concat(parts)), keep.then_some(&mut made), rules);
    (index, made)
}

/// Whether two runs of parts are the very same parts (not equal copies): a
/// text script made of them can be reused without comparing 32 KB of text.
pub fn same_parts(a: &[Arc<Part>], b: &[Arc<Part>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

/// A text script: its pages' texts end to end.
fn concat(parts: &[Arc<Part>]) -> Arc<str> {
    let mut js = String::with_capacity(parts.iter().map(|p| p.text.len()).sum());
    parts.iter().for_each(|p| js.push_str(&p.text));
    js.into()
}

/// Puts the parts together in order. `script(n, parts)` makes text script
/// `n` of its parts; `scripts_made`, when given, gets each script with its
/// parts.
fn assemble(
    parts: Vec<Arc<Part>>,
    script: impl Fn(usize, &[Arc<Part>]) -> Arc<str> + Sync,
    scripts_made: Option<&mut Vec<MadeScript>>,
    rules: Rules,
) -> Index {
    let firsts = pack(parts.iter().map(|p| p.text.len()), SCRIPT_BYTES);
    let range = |i: usize| firsts[i]..firsts.get(i + 1).copied().unwrap_or(parts.len());
    // Made on every core: copying 22 MB of text on one core ended a
    // 5,000-lesson build (issue 8).
    let scripts: Vec<Arc<str>> = (0..firsts.len()).into_par_iter().map(|i| script(i, &parts[range(i)])).collect();
    if let Some(made) = scripts_made {
        *made = scripts.iter().enumerate().map(|(i, js)| (parts[range(i)].to_vec(), Arc::clone(js))).collect();
    }
    let firsts: Vec<String> = firsts.iter().map(usize::to_string).collect();
    // "p": the prefix length, "s": whether a plural `s` is dropped (the
    // language's rules, which the script applies to the query).
    let head = format!(
        "window.coursegenSearchIndex = {{\"k\":{},\"p\":{},\"s\":{},\"f\":[{}],\"pages\":[",
        terms::HASHES,
        terms::PREFIX_CHARS,
        u8::from(rules.plural_s),
        firsts.join(",")
    );
    // The same bytes as serializing `Data { k, f, pages }` at once: serde_json
    // writes no spaces, and escaping is per character.
    let mut js = String::with_capacity(head.len() + parts.iter().map(|p| p.entry.len() + 1).sum::<usize>() + 4);
    js.push_str(&head);
    let mut text_bytes = 0;
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            js.push(',');
        }
        js.push_str(&part.entry);
        text_bytes += part.text_bytes;
    }
    js.push_str("]};\n");
    Index { js, text_bytes, scripts, indexed: 0 }
}

/// Packs pages of the given text sizes, in order, into scripts of at most
/// `budget` bytes (a larger page alone in its own): the index of the first
/// page of each script.
fn pack(sizes: impl Iterator<Item = usize>, budget: usize) -> Vec<usize> {
    let mut firsts = Vec::new();
    let mut filled = usize::MAX; // no script yet
    for (n, size) in sizes.enumerate() {
        match filled.checked_add(size) {
            Some(total) if total <= budget => filled = total,
            _ => {
                firsts.push(n);
                filled = size;
            }
        }
    }
    firsts
}

/// What a page's part depends on besides the page itself (for a page not
/// parsed again: its text is unchanged).
pub fn inputs_key(n: usize, url: &str, title: &str, sections: &[Section]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (n, url, title).hash(&mut h);
    for x in sections {
        (&x.anchor, &x.heading).hash(&mut h);
    }
    h.finish()
}

/// Page `n`'s part of the index (`n` counts the pages with a body, in
/// order); `url` and `title` as in [`build`].
pub fn part(n: usize, page: &Page, url: &str, title: &str, sections: &[Section], rules: Rules) -> Part {
    let (entry, text, text_bytes) = entry(n, page, url, title, sections, rules);
    // json_for_script escapes `<`, `>`, `&`, U+2028 and U+2029: author text
    // cannot end a script element or a JavaScript string.
    Part { entry: json_for_script(&entry), text, text_bytes }
}

/// Page `n`'s index entry, its text script, and how many bytes of text it covers.
fn entry<'a>(n: usize, page: &Page, url: &'a str, title: &'a str, sections: &[Section], rules: Rules) -> (Entry<'a>, String, usize) {
    let mut words = terms::TermSet::new(rules);
    words.add_text(title);
    let mut text_bytes = title.len();
    for s in sections {
        words.add_text(&s.heading);
        words.add_text(&s.text);
        text_bytes += s.heading.len() + s.text.len();
    }
    let parts: Vec<(&str, &str)> = sections.iter().map(|s| (s.anchor.as_str(), s.text.as_str())).collect();
    let text = format!("coursegenSearchText({n}, {});\n", json_for_script(&parts));
    let x = excerpt(page.front.summary.as_deref().unwrap_or(&opening(sections)));
    // The heading that repeats the title is the page itself.
    let s = sections
        .iter()
        .filter(|s| !s.anchor.is_empty() && s.heading != *title)
        .take(MAX_SECTIONS)
        .map(|s| SectionEntry::new(s.anchor.clone(), s.heading.clone()))
        .collect();
    let b = terms::base64(&words.filter());
    // Not `url` itself: a page named like a scheme needs a `./` before it.
    let u = crate::render::nav::relative("index.html", url);
    (Entry { t: title, u, s, x, b }, text, text_bytes)
}

/// The start of the page's text, sections joined by a space: enough of it
/// for [`excerpt`] to cut where it would cut the whole.
fn opening(sections: &[Section]) -> String {
    // A column is at most 4 bytes: past this, the excerpt is cut before the end.
    let enough = 4 * (EXCERPT_COLUMNS + 1);
    let mut all = String::new();
    for t in sections.iter().map(|s| s.text.as_str()).filter(|t| !t.is_empty()) {
        if all.len() > enough {
            break;
        }
        if !all.is_empty() {
            all.push(' ');
        }
        all.push_str(t);
    }
    all
}

/// The first [`EXCERPT_COLUMNS`] columns of `text`, cut at a space when
/// there is one near the end, with `…` when cut.
fn excerpt(text: &str) -> String {
    let mut columns = 0;
    let Some((cut, _)) = text.char_indices().find(|&(_, c)| {
        columns += if terms::is_cjk(c) { 2 } else { 1 };
        columns > EXCERPT_COLUMNS
    }) else {
        return text.to_string();
    };
    let head = &text[..cut];
    let head = match head.rfind(' ') {
        Some(i) if i > cut * 2 / 3 => &head[..i],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_a_space() {
        assert_eq!(excerpt("short"), "short");
        let long = "word ".repeat(40);
        let e = excerpt(&long);
        assert!(e.ends_with("word…") && e.chars().count() <= EXCERPT_COLUMNS + 1, "{e}");
        let cjk = "中文".repeat(80);
        assert_eq!(excerpt(&cjk).chars().count(), EXCERPT_COLUMNS / 2 + 1);
    }

    /// Pages of about 20 KB of text each: every page gets a script of its own.
    fn long_pages(n: usize) -> (Vec<Page>, Vec<(String, String)>) {
        let pages = (0..n)
            .map(|i| Page {
                path: format!("content/p{i}.md"),
                rel: format!("p{i}.md"),
                text: "".into(),
                front: Default::default(),
                body_start: 0,
                first_heading: None,
                blocks: Arc::from(Vec::new()),
                links: Arc::from(Vec::new()),
                unreadable_steps: Arc::from(Vec::new()),
                snippet_code: Default::default(),
                included: None,
            })
            .collect();
        let order = (0..n).map(|i| (format!("p{i}.html"), format!("Page {i}"))).collect();
        (pages, order)
    }

    fn sections(words: &str) -> Option<Sections> {
        Some(Arc::from(vec![Section {
            anchor: String::new(),
            heading: String::new(),
            text: format!("{words} ").repeat(20_000 / (words.len() + 1)),
        }]))
    }

    #[test]
    fn an_edit_makes_only_its_own_script_again() {
        let (pages, order) = long_pages(5);
        let texts = |edited: &str| (0..5).map(|i| sections(if i == 2 { edited } else { "steady" })).collect::<Vec<_>>();
        let parts = |texts: Vec<Option<Sections>>| -> Vec<Arc<Part>> {
            texts
                .iter()
                .enumerate()
                .map(|(n, s)| Arc::new(part(n, &pages[n], &order[n].0, &order[n].1, s.as_ref().unwrap(), Rules::ENGLISH)))
                .collect()
        };
        let before = parts(texts("before"));
        let (first, kept) = index(before.clone(), |_, _| None, true, Rules::ENGLISH);
        assert_eq!(first.scripts.len(), 5, "a script per page");
        // What a cache does: the unchanged pages' parts, the edited one's anew.
        let mut after = before;
        after[2] = parts(texts("after the edit")).swap_remove(2);
        let reuse = |n: usize, ps: &[Arc<Part>]| kept.get(n).filter(|(was, _)| same_parts(was, ps)).map(|(_, js)| Arc::clone(js));
        let (second, _) = index(after, reuse, true, Rules::ENGLISH);
        let whole = build(&pages, &order, texts("after the edit"), Rules::ENGLISH);
        assert_eq!(second.js, whole.js);
        assert_eq!(second.scripts, whole.scripts, "the same index as a build from scratch");
        for (i, (a, b)) in first.scripts.iter().zip(&second.scripts).enumerate() {
            assert_eq!(Arc::ptr_eq(a, b), i != 2, "script {i}: kept only when its page is unchanged");
        }
    }

    #[test]
    fn texts_are_packed_in_order_within_the_budget() {
        let texts = ["aaaa", "bbb", "cc", "dddddddddd", "e", "f"];
        assert_eq!(pack(texts.iter().map(|t| t.len()), 8), [0, 2, 3, 4], "the first page of each script: aaaabbb, cc, dddddddddd, ef");
        assert_eq!(pack([0, 0].into_iter(), 8), [0], "empty texts share a script");
        assert_eq!(pack(std::iter::empty(), 8), Vec::<usize>::new());
    }
}
