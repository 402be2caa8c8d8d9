//! Heading ids and self-links: each heading of a page gets its `{#id}` or a
//! slug of its text, made unique in the page as mdBook does (`same`,
//! `same-1`, `same-2`, …), and is listed for the page's contents.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::html::escape_html;
use crate::render::view::HeadingView;

/// The ids taken in one page.
///
/// Issue 23: ids were made unique by trying `id-1`, `id-2`, … from 1 each
/// time, so 20,000 `## Same` tried 200 million candidates (115 s). Each base
/// id now remembers the next suffix to try: a suffix is skipped only when
/// its candidate is taken, and each taken id blocks at most one base's
/// suffix once, so a page's ids cost as many tries as headings plus ids.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    /// Candidates tried so far (work done, for tests).
    tried: usize,
}

impl Ids {
    /// `id` if it is free, else `id-N` with the smallest free N; then taken.
    pub fn unique(&mut self, id: String) -> String {
        self.tried += 1;
        if self.taken.insert(id.clone()) {
            return id;
        }
        let mut n = self.next_suffix.get(&id).copied().unwrap_or(1);
        let found = loop {
            self.tried += 1;
            let candidate = format!("{id}-{n}");
            n += 1;
            if self.taken.insert(candidate.clone()) {
                break candidate;
            }
        };
        self.next_suffix.insert(id, n);
        found
    }

    /// Candidates tried so far.
    #[cfg(test)]
    pub fn tried(&self) -> usize {
        self.tried
    }
}

/// What the contents of a page cost per heading listed there (an `<li>` and
/// a link around its id and text), for the page's size budget.
pub const LISTED_HEADING_BYTES: usize = 48;

/// Events with each heading replaced by its HTML (id, classes, self-link);
/// the headings are kept in `out`, and what the page's contents will spend on
/// each one in `listed_bytes`.
pub struct Headings<'h, I> {
    events: I,
    ids: &'h mut Ids,
    out: &'h mut Vec<HeadingView>,
    listed_bytes: &'h Cell<usize>,
}

impl<'h, I> Headings<'h, I> {
    pub fn new(events: I, ids: &'h mut Ids, out: &'h mut Vec<HeadingView>, listed_bytes: &'h Cell<usize>) -> Self {
        Headings { events, ids, out, listed_bytes }
    }
}

impl<'t, I> Iterator for Headings<'_, I>
where
    I: Iterator<Item = (Event<'t>, Range<usize>)>,
{
    type Item = (Event<'t>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (e, range) = self.events.next()?;
        let Event::Start(Tag::Heading { level, id, classes, .. }) = e else { return Some((e, range)) };
        let inner: Vec<Event<'t>> =
            self.events.by_ref().map(|(e, _)| e).take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_)))).collect();
        let text = plain_text(&inner);
        // As mdBook 0.5: a `{#custom}` id is kept as written and takes no
        // part in making the others unique, so links agree with mdBook's.
        let id = match id {
            Some(custom) => custom.to_string(),
            None => self.ids.unique(id_from_content(&text)),
        };
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
        let n = level as u8;
        let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", escape_html(&classes.join(" "))) };
        let id_html = escape_html(&id);
        let html = format!(
            "<h{n} id=\"{id_html}\"{class}>{inner_html} <a class=\"cg-anchor\" href=\"#{id_html}\"><span class=\"cg-visually-hidden\">Link to this section</span>#</a></h{n}>\n"
        );
        // The theme lists levels 2 and 3 in the page's contents.
        if n == 2 || n == 3 {
            self.listed_bytes.set(self.listed_bytes.get() + LISTED_HEADING_BYTES + id_html.len() + escape_html(&text).len());
        }
        self.out.push(HeadingView { level: n, id, text });
        Some((Event::Html(html.into()), range))
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s.trim().to_string()
}

/// mdBook 0.5's heading id (its `id_from_content`): the text lowercased,
/// letters, digits, `_` and `-` kept, each white space a `-`, the rest
/// dropped. Unlike [`slug`], runs of spaces are not merged.
pub fn id_from_content(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// GitHub-style slug: lowercase letters and digits (any script), `-` for spaces.
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            s.extend(c.to_lowercase());
        } else if c.is_whitespace() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "section".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique_all(ids: &[&str]) -> (Vec<String>, usize) {
        let mut taken = Ids::default();
        let out = ids.iter().map(|i| taken.unique(i.to_string())).collect();
        (out, taken.tried())
    }

    #[test]
    fn ids_are_mdbooks() {
        // From mdBook 0.5's own tests and the Rust Book's headings.
        assert_eq!(id_from_content("`--passes`: add more rustdoc passes"), "--passes-add-more-rustdoc-passes");
        assert_eq!(id_from_content("Hello, World!"), "hello-world");
        assert_eq!(id_from_content("Storing Values with  `let`"), "storing-values-with--let");
        assert_eq!(id_from_content("Über “quotes” – dash"), "über-quotes--dash");
        assert_eq!(id_from_content("!!"), "");
    }

    #[test]
    fn repeated_ids_count_up_past_taken_ones() {
        let (ids, _) = unique_all(&["same", "same-1", "same", "same", "same-1", "other"]);
        assert_eq!(ids, ["same", "same-1", "same-2", "same-3", "same-1-1", "other"]);
        let (ids, _) = unique_all(&["a-2", "a", "a", "a", "a"]);
        assert_eq!(ids, ["a-2", "a", "a-1", "a-3", "a-4"], "a written `a-2` is skipped once");
    }

    #[test]
    fn twenty_thousand_identical_headings_cost_linear_work() {
        let n = 20_000;
        let (ids, tried) = unique_all(&vec!["same"; n]);
        assert_eq!((ids[1].as_str(), ids[n - 1].as_str()), ("same-1", "same-19999"));
        // From 1 each time, this was n²/2 = 200 million tries.
        assert!(tried <= 2 * n, "{tried} candidates tried for {n} headings");
    }
}
