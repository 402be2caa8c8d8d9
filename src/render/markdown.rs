//! Markdown → HTML with pulldown-cmark, through small event adapters:
//! our blocks spliced in by span, code highlighted, headings given ids and
//! self-links, `.md` links rewritten to `.html`, links and images with an
//! unsafe scheme shown as text, GitHub alerts, and raw HTML escaped unless the
//! course opts in.

mod headings;
mod raw;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt;
use std::iter::Peekable;
use std::ops::Range;
use std::slice;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, OffsetIter, Tag, TagEnd};

use super::highlight::{self, Highlighter, TooLarge};
use super::math::{Math, MathSyntax};
use super::url::unsafe_scheme;
use crate::diag::Diagnostic;
use crate::model::{CodeInfo, SnippetCode};
use crate::parse::markdown_options;
use crate::render::text::{Collector, Sections};
use crate::render::view::HeadingView;
pub use headings::slug;
use headings::{Headings, Ids};

/// Most bytes of HTML a page may have (its body and its contents). Issue 23:
/// a 9 MB page of one-letter headings made 350 MB of HTML; past this the
/// page is an error, found while it is written, before the rest is made.
pub const MAX_PAGE_HTML: usize = 32 * 1024 * 1024;

/// Settings shared by every Markdown rendering of a build.
pub struct Markdown<'a> {
    pub highlighter: &'a Highlighter,
    /// Let raw HTML through (`raw-html = true`).
    pub raw_html: bool,
    /// Show code samples' line-number gutter unless a sample says otherwise
    /// (`line-numbers`).
    pub line_numbers: bool,
}

/// A rendered page body.
#[derive(Debug, Default)]
pub struct Body {
    pub html: String,
    pub headings: Vec<HeadingView>,
    /// The page's text by section, for the search index (shared: `serve`
    /// hands every page's to the index after each edit).
    pub sections: Sections,
    /// Warnings (raw HTML escaped, unsafe links dropped), located in the page.
    pub diags: Vec<Diagnostic>,
    /// The ids coursegen's blocks gave their elements (step rows, questions,
    /// samples); with the headings', every anchor of the page.
    pub block_ids: Vec<String>,
}

/// HTML that replaces a span of the source (a rendered coursegen block).
pub struct Splice<'a> {
    pub span: Range<usize>,
    pub html: &'a str,
}

impl Markdown<'_> {
    /// Renders `text[start..]` (the body of the page at `path`), replacing each
    /// splice's span with its HTML. Splices must be sorted and not overlap.
    /// `collector` gathers the page's search text on the way.
    pub fn page(&self, path: &str, text: &str, start: usize, splices: &[Splice<'_>], collector: Collector<'_>) -> Body {
        self.page_within(&Source { path, text, start, splices, code: &[], flavour: Flavour::default() }, collector, MAX_PAGE_HTML)
    }

    /// [`Markdown::page`] read with the book's `flavour`.
    pub fn book_page(&self, page: (&str, &str, usize), splices: &[Splice<'_>], collector: Collector<'_>, flavour: Flavour) -> Body {
        let (path, text, start) = page;
        self.page_within(&Source { path, text, start, splices, code: &[], flavour }, collector, MAX_PAGE_HTML)
    }

    /// [`Markdown::page`] with at most `max_html` bytes of HTML (the body and
    /// what the page's contents list of it): past them the body is empty and
    /// has an error where it ran out.
    fn page_within(&self, src: &Source<'_, '_>, mut collector: Collector<'_>, max_html: usize) -> Body {
        let mut body = Body::default();
        let mut ids = Ids::default();
        let (listed, at) = (Cell::new(0), Cell::new(src.start));
        let mut math_diags = Vec::new();
        let written = {
            let events = Events::new(self, src, &mut body.diags, Some(&mut collector));
            let events = Math::new(events, src.flavour.math.unwrap_or_default(), src.path, &mut math_diags);
            let events = Headings::new(events, &mut ids, &mut body.headings, &listed).map(|(e, r)| {
                at.set(r.start);
                e
            });
            // Written as they come, none kept: a 5 MB paragraph held all its
            // events twice over (1 GB for 1.25 million `[a]`).
            pulldown_cmark::html::write_html_fmt(Bounded { html: &mut body.html, listed: &listed, max: max_html }, events)
        };
        body.diags.append(&mut math_diags);
        if written.is_err() {
            body.html = String::new();
            body.headings = Vec::new();
            body.diags.push(too_large(src.path, at.get(), max_html));
            return body;
        }
        body.sections = collector.finish(&body.headings).into();
        body.block_ids = raw::anchor_ids(&body.html);
        body
    }

    /// Renders a snippet of Markdown (a quiz prompt, a table cell) as block
    /// HTML; `code` is what the parser read of its fences, in order.
    pub fn fragment(&self, md: &str, code: &[CodeInfo]) -> String {
        self.fragment_with_diags(md, code).0
    }

    /// Renders a snippet as inline HTML: a lone paragraph loses its `<p>`.
    pub fn inline(&self, md: &str, code: &[CodeInfo]) -> String {
        inline_of(self.fragment(md, code))
    }

    /// [`Markdown::fragment`] and the links it dropped, as warnings with no
    /// path, located in the snippet.
    fn fragment_with_diags(&self, md: &str, code: &[CodeInfo]) -> (String, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let src = Source { path: "", text: md, start: 0, splices: &[], code, flavour: Flavour::default() };
        let events = Events::new(self, &src, &mut diags, None);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.map(|(e, _)| e));
        (html, diags)
    }
}

/// The Markdown to render: `text[start..]` of the page at `path` (empty for
/// a snippet), and the HTML of the blocks spliced into it.
struct Source<'t, 's> {
    path: &'t str,
    text: &'t str,
    start: usize,
    splices: &'s [Splice<'s>],
    /// The info of each fence of a snippet, as the parser read it. A page's
    /// own samples are spliced in: the fences of a page that reach the
    /// Markdown are those whose info string is an error, shown plain.
    code: &'s [CodeInfo],
    flavour: Flavour,
}

/// What a book's settings change in how its pages' Markdown is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flavour {
    /// `[output.html] smart-punctuation`: “quotes”, – and — and ….
    pub smart_punctuation: bool,
    /// Math turned into MathML, and which delimiters (`None`: no math).
    pub math: Option<MathSyntax>,
}

impl Flavour {
    fn options(self) -> pulldown_cmark::Options {
        let mut options = markdown_options();
        options.set(pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION, self.smart_punctuation);
        options.set(pulldown_cmark::Options::ENABLE_MATH, self.math.is_some());
        options
    }
}

/// The page's HTML, refusing to grow past `max` bytes with what its
/// contents will list (`listed`): the writer's error stops the rendering.
struct Bounded<'b> {
    html: &'b mut String,
    listed: &'b Cell<usize>,
    max: usize,
}

impl fmt::Write for Bounded<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.html.len() + s.len() + self.listed.get() > self.max {
            return Err(fmt::Error);
        }
        self.html.push_str(s);
        Ok(())
    }
}

fn too_large(path: &str, at: usize, max: usize) -> Diagnostic {
    Diagnostic::error(path, at..at, format!("this page's HTML would be over {} MiB; the limit is reached here", max >> 20))
        .with_hint("split the page into several pages, each listed in SUMMARY.md")
}

/// Every event of a page or snippet through the adapters, with its offset
/// in the page. Unsafe links are reported to `diags` even without a `path`
/// (a snippet's caller locates them); raw HTML only with one.
struct Events<'m, 't, 's, 'd, 'c, 'p> {
    md: &'m Markdown<'m>,
    src: &'s Source<'t, 's>,
    parser: OffsetIter<'t, pulldown_cmark::DefaultBrokenLinkCallback>,
    next_splice: Peekable<slice::Iter<'s, Splice<'s>>>,
    next_code: slice::Iter<'s, CodeInfo>,
    diags: &'d mut Vec<Diagnostic>,
    /// Every event, also those consumed here (code, spliced blocks), goes
    /// by the collector, with its offset in the page.
    collector: Option<&'c mut Collector<'p>>,
    /// Links and images do not nest in each other, so one flag pairs a
    /// dropped start with its end.
    dropped: Option<TagEnd>,
    /// An event made here that goes out after the one just returned.
    queued: Option<(Event<'t>, Range<usize>)>,
    /// Inside an HTML comment that spans lines of an HTML block.
    in_comment: bool,
    /// An `<a id>` anchor was let through, its `</a>` not yet seen.
    open_anchor: bool,
}

impl<'m, 't, 's, 'd, 'c, 'p> Events<'m, 't, 's, 'd, 'c, 'p> {
    fn new(
        md: &'m Markdown<'m>,
        src: &'s Source<'t, 's>,
        diags: &'d mut Vec<Diagnostic>,
        collector: Option<&'c mut Collector<'p>>,
    ) -> Self {
        let parser = pulldown_cmark::Parser::new_ext(&src.text[src.start..], src.flavour.options()).into_offset_iter();
        Events {
            md,
            src,
            parser,
            next_splice: src.splices.iter().peekable(),
            next_code: src.code.iter(),
            diags,
            collector,
            dropped: None,
            queued: None,
            in_comment: false,
            open_anchor: false,
        }
    }

    /// The parser's next event, shown to the collector, with its offset in the page.
    fn pull(&mut self) -> Option<(Event<'t>, Range<usize>)> {
        let (e, r) = self.parser.next()?;
        let r = r.start + self.src.start..r.end + self.src.start;
        if let Some(c) = self.collector.as_deref_mut() {
            c.event(&e, &r);
        }
        Some((e, r))
    }
}

impl<'t> Iterator for Events<'_, 't, '_, '_, '_, '_> {
    type Item = (Event<'t>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(queued) = self.queued.take() {
            return Some(queued);
        }
        loop {
            let (event, range) = self.pull()?;
            if let Some(s) = self.next_splice.peek()
                && range.start >= s.span.start
                && range.start < s.span.end
            {
                let html = Event::Html(CowStr::from(s.html.to_string()));
                self.next_splice.next();
                self.skip_through(&event);
                return Some((html, range));
            }
            if let Some(out) = self.adapt(event, &range) {
                return Some((out, range));
            }
        }
    }
}

impl<'t> Events<'_, 't, '_, '_, '_, '_> {
    /// What goes out for `event`; `None` for an event dropped.
    fn adapt(&mut self, event: Event<'t>, range: &Range<usize>) -> Option<Event<'t>> {
        let (path, text) = (self.src.path, self.src.text);
        Some(match event {
            // Authors' notes to themselves (the Rust Book has 476 `<!-- ignore -->`):
            // dropped silently, as a browser would hide them.
            Event::Html(h) | Event::InlineHtml(h) if self.in_comment || h.trim_start().starts_with("<!--") => {
                self.in_comment = raw::opens_comment(&h) || self.in_comment && !h.contains("-->");
                return None;
            }
            // An empty `<a id="…"></a>` (the Rust Book keeps old anchors so)
            // is safe: kept, and a target for links, also without raw HTML.
            Event::Html(ref h) | Event::InlineHtml(ref h) if let Some(id) = raw::id_anchor(h) => {
                self.open_anchor = !h.contains("</a>");
                Event::Html(format!("<a id=\"{}\"></a>", crate::html::escape_html(id)).into())
            }
            Event::InlineHtml(h) if self.open_anchor && h.trim() == "</a>" => {
                self.open_anchor = false;
                return None;
            }
            Event::Html(h) | Event::InlineHtml(h) if !self.md.raw_html => {
                if !path.is_empty() && !h.trim().is_empty() {
                    warn_raw_html(path, text, range, self.diags);
                }
                Event::Text(h)
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let code = self.collect_code();
                let info = match kind {
                    CodeBlockKind::Fenced(_) => self.next_code.next().cloned().unwrap_or_default(),
                    CodeBlockKind::Indented => CodeInfo::default(),
                };
                if !path.is_empty() {
                    self.diags.extend(unhighlighted(self.md.highlighter, path, text, range, &info.lang, &code));
                }
                Event::Html(super::hidden::code_sample(self.md, &info, &code).into())
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) if unsafe_scheme(dest_url).is_some() => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                self.diags.push(refused(path, range.clone(), dest_url, image));
                self.dropped = Some(if image { TagEnd::Image } else { TagEnd::Link });
                return None;
            }
            Event::End(end) if self.dropped == Some(end) => {
                self.dropped = None;
                return None;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = rewrite_link(&dest_url).map_or(dest_url, CowStr::from);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            // Wide tables scroll inside a focusable box instead of widening the page.
            Event::Start(Tag::Table(_)) => {
                self.queued = Some((event, range.clone()));
                Event::Html("<div class=\"cg-table-scroll\" tabindex=\"0\">".into())
            }
            Event::End(TagEnd::Table) => {
                self.queued = Some((Event::Html("</div>\n".into()), range.clone()));
                event
            }
            // pulldown-cmark's checkbox has no accessible name.
            Event::TaskListMarker(done) => {
                let (checked, name) = if done { (" checked", "done") } else { ("", "not done") };
                Event::Html(format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{name}\"> ").into())
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(alert_open(kind).into()),
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) if !self.md.raw_html => return None,
            e => e,
        })
    }

    /// Consumes events up to the end of `first` (a block start).
    fn skip_through(&mut self, first: &Event<'t>) {
        if !matches!(first, Event::Start(_)) {
            return;
        }
        let mut depth = 1usize;
        while let Some((e, _)) = self.pull() {
            match e {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                return;
            }
        }
    }

    /// The text of the code block just started, consumed up to its end.
    fn collect_code(&mut self) -> String {
        let mut code = String::new();
        while let Some((e, _)) = self.pull() {
            match e {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        code
    }
}

/// `lesson.md#x` → `lesson.html#x` for relative links; `None` to keep the link.
pub fn rewrite_link(dest: &str) -> Option<String> {
    if dest.starts_with('#') || dest.starts_with('/') || dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    let (path, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
    let stem = super::nav::index_stem(path.strip_suffix(".md")?);
    Some(match fragment {
        Some(f) => format!("{stem}.html#{f}"),
        None => format!("{stem}.html"),
    })
}

/// The warning for a link or image whose URL has an unsafe scheme, which is
/// shown as its text instead.
fn refused(path: &str, range: Range<usize>, url: &str, image: bool) -> Diagnostic {
    let scheme = unsafe_scheme(url).unwrap_or_default();
    let (what, shown) = if image { ("image", "its alt text") } else { ("link", "plain text") };
    let hint = if url.contains(".md") {
        format!("a page whose name has a `:` is linked as `./{}`", url.trim())
    } else {
        "links and images may use http:, https:, mailto: or a relative path".to_string()
    };
    // Named in full: a warning about a snippet points at its block, not at the URL.
    let url: String =
        url.trim().chars().take(80).flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] }).collect();
    Diagnostic::warning(path, range, format!("{what} `{url}` uses the unsafe scheme `{scheme}:`; it is shown as {shown}")).with_hint(hint)
}

/// A snippet's HTML as inline HTML: a lone paragraph loses its `<p>`.
fn inline_of(html: String) -> String {
    let trimmed = html.trim_end();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Snippets of one block (quiz prompts, table cells) rendered as Markdown,
/// keeping the warnings about links they dropped, so that the block can be
/// named in them: a snippet has no place of its own in the page (it may come
/// from a YAML string or a quiz file).
pub struct Snippets<'m, 'a> {
    md: &'m Markdown<'a>,
    code: &'m SnippetCode,
    diags: RefCell<Vec<Diagnostic>>,
}

impl<'m, 'a> Snippets<'m, 'a> {
    /// Snippets of a page whose texts' fences the parser read into `code`.
    pub fn new(md: &'m Markdown<'a>, code: &'m SnippetCode) -> Self {
        Snippets { md, code, diags: RefCell::new(Vec::new()) }
    }

    /// The build's settings, for a code sample inside a block.
    pub fn markdown(&self) -> &'m Markdown<'a> {
        self.md
    }

    /// [`Markdown::fragment`], keeping its warnings.
    pub fn fragment(&self, md: &str) -> String {
        debug_assert!(std::ptr::eq(self.code, SnippetCode::none()) || self.code.saw(md), "a text the parser did not read: {md:?}");
        let (html, diags) = self.md.fragment_with_diags(md, self.code.of(md));
        self.diags.borrow_mut().extend(diags);
        html
    }

    /// [`Markdown::inline`], keeping its warnings.
    pub fn inline(&self, md: &str) -> String {
        inline_of(self.fragment(md))
    }

    /// The warnings of every snippet rendered, moved to `span` of `path`, each
    /// once (a quiz shows an option's text twice: as the option and in Show answer).
    pub fn diags_at(self, path: &str, span: &Range<usize>) -> Vec<Diagnostic> {
        let mut seen = BTreeSet::new();
        let diags = self.diags.into_inner().into_iter().filter(|d| seen.insert(d.message.clone()));
        diags.map(|d| Diagnostic { path: path.to_string(), span: span.clone(), ..d }).collect()
    }
}

fn alert_open(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!("<div class=\"markdown-alert markdown-alert-{class}\"><p class=\"markdown-alert-title\">{title}</p>\n")
}

/// The warning for a fenced block of a known language that is too large to
/// highlight, at its fence or at its long line.
pub(crate) fn unhighlighted(h: &Highlighter, path: &str, text: &str, block: &Range<usize>, lang: &str, code: &str) -> Option<Diagnostic> {
    let why = highlight::too_large(code)?;
    if !h.knows(lang) {
        return None;
    }
    let (at, message) = match why {
        TooLarge::Block { len } => {
            (block.start, format!("this code block is {len} bytes, over the {} KiB that are highlighted", highlight::MAX_BLOCK_BYTES >> 10))
        }
        TooLarge::Line { line, len } => {
            // The block's source is its fence line, then one line per line of code.
            let at = text[block.clone()].split_inclusive('\n').take(line + 1).map(str::len).sum::<usize>() + block.start;
            (
                at,
                format!(
                    "this line of code is {len} bytes, over the {} KiB that a line highlighted may have",
                    highlight::MAX_LINE_BYTES >> 10
                ),
            )
        }
    };
    let hint = "the block is shown as plain text; split it, or shorten its lines, to have it highlighted";
    Some(Diagnostic::warning(path, at..at, message).with_hint(hint))
}

fn warn_raw_html(path: &str, text: &str, range: &Range<usize>, diags: &mut Vec<Diagnostic>) {
    // One warning per stretch of HTML: a block arrives one line at a time, and
    // `<b>x</b>` as two tags on one line.
    if let Some(last) = diags.last_mut()
        && last.span.end <= range.start
        && (last.span.end == range.start || !text[last.span.end..range.start].contains('\n'))
    {
        last.span.end = range.end;
        return;
    }
    diags.push(
        Diagnostic::warning(path, range.clone(), "raw HTML is shown as text")
            .with_hint("set `raw-html = true` under [preprocessor.coursegen] in book.toml to let it through"),
    );
}

#[cfg(test)]
mod tests;
