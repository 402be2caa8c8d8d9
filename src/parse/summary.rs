//! SUMMARY.md in mdBook's syntax: the course's table of contents.
//!
//! ```text
//! # Course title            (optional, first line)
//! [Introduction](intro.md)  (prefix chapter: unnumbered)
//! # Part one                (part heading)
//! - [Lesson](a.md)          (numbered chapter; nest by indenting)
//!   - [Draft]()             (draft: listed, no page)
//! ---                       (separator)
//! [Appendix](z.md)          (suffix chapter: unnumbered)
//! ```
//!
//! Pure: text in, tree and diagnostics out. Whether the files exist is checked by
//! the caller, which knows the disk.

use std::ops::Range;

use crate::diag::Diagnostic;

/// Deepest nesting of chapters. The theme draws the contents tree with a
/// recursive template component, and tera stops such recursion at a depth
/// that 20 levels reach: past this limit the build would fail inside the
/// template, with no line of SUMMARY.md to point at.
pub const MAX_NESTING: usize = 16;

/// The parsed table of contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Summary {
    /// `# Title` on the first line.
    pub title: Option<String>,
    pub items: Vec<SummaryItem>,
}

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SummaryItem {
    Part { title: String },
    Separator,
    Chapter(Chapter),
}

/// A chapter entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chapter {
    pub title: String,
    /// Source path relative to the source folder; `None` for a draft.
    pub path: Option<String>,
    /// Byte range of the link target in SUMMARY.md (of `[..]()` for a draft).
    pub path_span: Range<usize>,
    /// `1.2.` for numbered chapters; `None` for prefix and suffix chapters.
    pub number: Option<String>,
    pub children: Vec<SummaryItem>,
}

impl Summary {
    /// Every chapter in reading order (depth first).
    pub fn chapters(&self) -> Vec<&Chapter> {
        fn walk<'a>(items: &'a [SummaryItem], out: &mut Vec<&'a Chapter>) {
            for item in items {
                if let SummaryItem::Chapter(c) = item {
                    out.push(c);
                    walk(&c.children, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }
}

/// A list item waiting to be nested: its indentation and the chapter.
struct Flat {
    indent: usize,
    chapter: Chapter,
}

/// Parses SUMMARY.md. `path` is used in diagnostics only.
pub fn parse(path: &str, text: &str) -> (Summary, Vec<Diagnostic>) {
    let mut summary = Summary::default();
    let mut diags = Vec::new();
    let mut list: Vec<Flat> = Vec::new();
    let mut seen_entry = false;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end();
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let body_start = line_start + indent;
        if body.is_empty() {
            continue;
        }
        if let Some(heading) = body.strip_prefix('#') {
            flush(&mut list, &mut summary.items, &mut diags, path);
            let title = heading.trim_start_matches('#').trim().to_string();
            if !seen_entry && summary.title.is_none() {
                summary.title = Some(title);
            } else {
                summary.items.push(SummaryItem::Part { title });
            }
            continue;
        }
        seen_entry = true;
        if is_separator(body) {
            flush(&mut list, &mut summary.items, &mut diags, path);
            summary.items.push(SummaryItem::Separator);
            continue;
        }
        let (is_item, link_text) = match body.strip_prefix("- ").or_else(|| body.strip_prefix("* ")) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, body),
        };
        let link_start = body_start + (body.len() - link_text.len());
        match parse_link(link_text, link_start) {
            Ok(chapter) if is_item => list.push(Flat { indent, chapter }),
            Ok(mut chapter) => {
                chapter.number = None;
                flush(&mut list, &mut summary.items, &mut diags, path);
                summary.items.push(SummaryItem::Chapter(chapter));
            }
            Err(d) => diags.push(d(path.to_string())),
        }
    }
    flush(&mut list, &mut summary.items, &mut diags, path);
    number(&mut summary.items, &[]);
    (summary, diags)
}

fn is_separator(s: &str) -> bool {
    s.len() >= 3 && (s.chars().all(|c| c == '-') || s.chars().all(|c| c == '*') || s.chars().all(|c| c == '_'))
}

/// Nests the pending list items by indentation and appends them to `items`;
/// an item nested deeper than [`MAX_NESTING`] is an error (in `path`) and is
/// left out with the items under it.
fn flush(list: &mut Vec<Flat>, items: &mut Vec<SummaryItem>, diags: &mut Vec<Diagnostic>, path: &str) {
    let flat = std::mem::take(list);
    let mut iter = flat.into_iter().peekable();
    while let Some(first) = iter.next() {
        items.push(SummaryItem::Chapter(nest(first, 1, &mut iter, &mut |span| {
            diags.push(
                Diagnostic::error(path, span, format!("chapter nested more than {MAX_NESTING} levels deep"))
                    .with_hint(format!("indent it less: SUMMARY.md nests chapters at most {MAX_NESTING} levels deep")),
            );
        })));
    }
}

/// Takes following items indented deeper than `parent` (at nesting `level`)
/// as its children, reporting the span of each one too deep.
fn nest(
    mut parent: Flat,
    level: usize,
    iter: &mut std::iter::Peekable<std::vec::IntoIter<Flat>>,
    too_deep: &mut dyn FnMut(Range<usize>),
) -> Chapter {
    while iter.peek().is_some_and(|next| next.indent > parent.indent) {
        let Some(child) = iter.next() else { break };
        if level == MAX_NESTING {
            too_deep(child.chapter.path_span.clone());
            while iter.peek().is_some_and(|next| next.indent > child.indent) {
                iter.next();
            }
            continue;
        }
        let child = nest(child, level + 1, iter, too_deep);
        parent.chapter.children.push(SummaryItem::Chapter(child));
    }
    parent.chapter
}

/// Numbers list chapters `1.`, `1.1.`…; chapters outside lists stay unnumbered.
/// Numbering continues across parts, as in mdBook.
fn number(items: &mut [SummaryItem], prefix: &[u32]) {
    let mut n = 0;
    for item in items {
        if let SummaryItem::Chapter(c) = item {
            // List items carry a placeholder `Some("")`; prefix and suffix chapters `None`.
            if c.number.is_none() {
                continue;
            }
            n += 1;
            let mut path = prefix.to_vec();
            path.push(n);
            c.number = Some(path.iter().map(|p| format!("{p}.")).collect());
            number(&mut c.children, &path);
        }
    }
}

type DiagFn = Box<dyn FnOnce(String) -> Diagnostic>;

/// Parses `[Title](path.md)` starting at byte `at` of the file.
fn parse_link(s: &str, at: usize) -> Result<Chapter, DiagFn> {
    let fail = move |span: Range<usize>, msg: &'static str| -> DiagFn {
        Box::new(move |path| {
            Diagnostic::error(path, span, msg).with_hint("each entry is a link such as `- [Title](path.md)`; a draft is `- [Title]()`")
        })
    };
    if !s.starts_with('[') {
        return Err(fail(at..at + s.len(), "expected a link to a chapter"));
    }
    let close = matching(s, 0, b'[', b']').ok_or_else(|| fail(at..at + s.len(), "unclosed `[` in a chapter link"))?;
    let title = unescape(&s[1..close]);
    let rest = &s[close + 1..];
    if !rest.starts_with('(') {
        return Err(fail(at..at + s.len(), "expected `(path.md)` after the chapter title"));
    }
    let open = close + 1;
    let end = matching(s, open, b'(', b')').ok_or_else(|| fail(at + open..at + s.len(), "unclosed `(` in a chapter link"))?;
    if !s[end + 1..].trim().is_empty() {
        return Err(fail(at + end + 1..at + s.len(), "unexpected text after a chapter link"));
    }
    let dest = s[open + 1..end].trim();
    // mdBook (and `mdbook init`) write `./chapter_1.md`.
    let path = (!dest.is_empty()).then(|| without_dots(&dest.replace("%20", " ")));
    let path_span = if path.is_some() { at + open + 1..at + end } else { at..at + end + 1 };
    Ok(Chapter {
        title,
        path,
        path_span,
        // Placeholder telling `number` this came from a list item.
        number: Some(String::new()),
        children: Vec::new(),
    })
}

/// Index of the bracket closing the one at `open`, skipping escapes and nesting.
fn matching(s: &str, open: usize, o: u8, c: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b if b == o => depth += 1,
            b if b == c => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `path` without its `.` segments (`./a/./b.md` → `a/b.md`).
fn without_dots(path: &str) -> String {
    path.split('/').filter(|p| *p != ".").collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "# Flask Essentials\n\n[Introduction](intro.md)\n\n# Basics\n\n- [One](a/one.md)\n  - [Sub](a/sub.md)\n  - [Draft]()\n- [Two](two.md)\n\n---\n\n# More\n- [Three](three.md)\n\n[Appendix](z.md)\n";

    fn chapter(item: &SummaryItem) -> &Chapter {
        match item {
            SummaryItem::Chapter(c) => c,
            other => panic!("not a chapter: {other:?}"),
        }
    }

    #[test]
    fn parses_every_construct() {
        let (s, d) = parse("SUMMARY.md", FULL);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.title.as_deref(), Some("Flask Essentials"));
        let kinds: Vec<String> = s
            .items
            .iter()
            .map(|i| match i {
                SummaryItem::Part { title } => format!("part {title}"),
                SummaryItem::Separator => "---".into(),
                SummaryItem::Chapter(c) => match &c.number {
                    Some(n) => format!("{n} {}", c.title),
                    None => c.title.clone(),
                },
            })
            .collect();
        let expected = ["Introduction", "part Basics", "1. One", "2. Two", "---", "part More", "3. Three", "Appendix"];
        assert_eq!(kinds, expected);
        let one = chapter(&s.items[2]);
        assert_eq!(one.children.len(), 2);
        let sub = chapter(&one.children[0]);
        assert_eq!(sub.number.as_deref(), Some("1.1."));
        let draft = chapter(&one.children[1]);
        assert_eq!(draft.path, None);
        assert_eq!(draft.number.as_deref(), Some("1.2."));
        assert_eq!(chapter(&s.items[0]).number, None);
        let paths: Vec<_> = s.chapters().iter().filter_map(|c| c.path.clone()).collect();
        assert_eq!(paths, ["intro.md", "a/one.md", "a/sub.md", "two.md", "three.md", "z.md"]);
    }

    #[test]
    fn dot_slash_paths_are_the_same_chapters() {
        let (s, d) = parse("SUMMARY.md", "# Summary\n\n- [One](./chapter_1.md)\n  - [Two](./a/./two.md)\n");
        assert!(d.is_empty(), "{d:?}");
        let paths: Vec<_> = s.chapters().iter().filter_map(|c| c.path.clone()).collect();
        assert_eq!(paths, ["chapter_1.md", "a/two.md"]);
    }

    #[test]
    fn path_span_points_at_the_target() {
        let (s, _) = parse("SUMMARY.md", FULL);
        let c = chapter(&s.items[2]);
        assert_eq!(&FULL[c.path_span.clone()], "a/one.md");
    }

    /// `levels` chapters, each nested under the one before.
    fn nested(levels: usize) -> String {
        (0..levels).map(|i| format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i))).collect()
    }

    #[test]
    fn nesting_is_limited_with_an_error_at_the_first_line_too_deep() {
        let (s, d) = parse("SUMMARY.md", &nested(MAX_NESTING));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.chapters().len(), MAX_NESTING);
        let text = format!("{}- [Next](next.md)\n", nested(MAX_NESTING + 3));
        let (s, d) = parse("SUMMARY.md", &text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "chapter nested more than 16 levels deep");
        assert_eq!(&text[d[0].span.clone()], "c16.md");
        let paths: Vec<_> = s.chapters().iter().filter_map(|c| c.path.clone()).collect();
        assert_eq!(paths.len(), MAX_NESTING + 1, "the too deep ones are left out, the next top-level one kept");
        assert_eq!(paths.last().map(String::as_str), Some("next.md"));
    }

    #[test]
    fn bad_lines_are_reported_and_parsing_goes_on() {
        let text = "- [One](one.md)\n- just text\n- [Two](two.md\n- [Three](three.md)\n";
        let (s, d) = parse("SUMMARY.md", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].message, "expected a link to a chapter");
        assert_eq!(&text[d[0].span.clone()], "just text");
        assert_eq!(d[1].message, "unclosed `(` in a chapter link");
        assert_eq!(s.chapters().len(), 2);
    }
}
