//! Markdown → HTML with pulldown-cmark, through small event adapters:
//! our blocks spliced in by span, code highlighted, headings given ids and
//! self-links, `.md` links rewritten to `.html`, links and images with an
//! unsafe scheme shown as text, GitHub alerts, and raw HTML escaped unless the
//! course opts in.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::code;
use super::highlight::Highlighter;
use super::url::unsafe_scheme;
use crate::diag::Diagnostic;
use crate::html::escape_html;
use crate::parse::markdown_options;
use crate::render::text::{Collector, Sections};
use crate::render::view::HeadingView;

/// Settings shared by every Markdown rendering of a build.
pub struct Markdown<'a> {
    pub highlighter: &'a Highlighter,
    /// Let raw HTML through (`raw-html = true`).
    pub raw_html: bool,
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
    pub fn page(&self, path: &str, text: &str, start: usize, splices: &[Splice<'_>], mut collector: Collector<'_>) -> Body {
        let mut body = Body::default();
        let mut ids = BTreeSet::new();
        let events = self.events(path, text, start, splices, &mut body.diags, Some(&mut collector));
        let events = headings(events, &mut ids, &mut body.headings);
        pulldown_cmark::html::push_html(&mut body.html, events.into_iter());
        body.sections = collector.finish(&body.headings).into();
        body
    }

    /// Renders a snippet of Markdown (a quiz prompt, a table cell) as block HTML.
    pub fn fragment(&self, md: &str) -> String {
        self.fragment_with_diags(md).0
    }

    /// Renders a snippet as inline HTML: a lone paragraph loses its `<p>`.
    pub fn inline(&self, md: &str) -> String {
        inline_of(self.fragment(md))
    }

    /// [`Markdown::fragment`] and the links it dropped, as warnings with no
    /// path, located in the snippet.
    fn fragment_with_diags(&self, md: &str) -> (String, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let events = self.events("", md, 0, &[], &mut diags, None);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, diags)
    }

    /// Every event of `text[start..]` through the adapters. Unsafe links are
    /// reported to `diags` even without a `path` (a snippet's caller locates
    /// them); raw HTML only with one.
    fn events<'t>(
        &self,
        path: &str,
        text: &'t str,
        start: usize,
        splices: &[Splice<'_>],
        diags: &mut Vec<Diagnostic>,
        mut collector: Option<&mut Collector<'_>>,
    ) -> Vec<Event<'t>> {
        let mut out = Vec::new();
        // Every event, also those consumed below (code, spliced blocks), goes
        // by the collector, with its offset in the page.
        let mut parser = pulldown_cmark::Parser::new_ext(&text[start..], markdown_options()).into_offset_iter().map(|(e, r)| {
            let r = r.start + start..r.end + start;
            if let Some(c) = collector.as_deref_mut() {
                c.event(&e, &r);
            }
            (e, r)
        });
        let mut next_splice = splices.iter().peekable();
        // Links and images do not nest in each other, so one flag pairs a
        // dropped start with its end.
        let mut dropped: Option<TagEnd> = None;
        while let Some((event, range)) = parser.next() {
            if let Some(s) = next_splice.peek()
                && range.start >= s.span.start
                && range.start < s.span.end
            {
                out.push(Event::Html(CowStr::from(s.html.to_string())));
                skip_through(&mut parser, &event);
                next_splice.next();
                continue;
            }
            match event {
                Event::Html(h) | Event::InlineHtml(h) if !self.raw_html => {
                    if !path.is_empty() && !h.trim().is_empty() {
                        warn_raw_html(path, text, &range, diags);
                    }
                    out.push(Event::Text(h));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let code = collect_code(&mut parser);
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => crate::parse::fence::raw_info(&text[range.clone()]).unwrap_or(&info).to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    out.push(Event::Html(code::code_block(self.highlighter, &crate::parse::fence::code_info(&info), &code).into()));
                }
                Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) if unsafe_scheme(dest_url).is_some() => {
                    let image = matches!(event, Event::Start(Tag::Image { .. }));
                    diags.push(refused(path, range, dest_url, image));
                    dropped = Some(if image { TagEnd::Image } else { TagEnd::Link });
                }
                Event::End(end) if dropped == Some(end) => dropped = None,
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let dest_url = rewrite_link(&dest_url).map_or(dest_url, CowStr::from);
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
                // Wide tables scroll inside a focusable box instead of widening the page.
                Event::Start(Tag::Table(_)) => {
                    out.push(Event::Html("<div class=\"cg-table-scroll\" tabindex=\"0\">".into()));
                    out.push(event);
                }
                Event::End(TagEnd::Table) => {
                    out.push(event);
                    out.push(Event::Html("</div>\n".into()));
                }
                // pulldown-cmark's checkbox has no accessible name.
                Event::TaskListMarker(done) => {
                    let (checked, name) = if done { (" checked", "done") } else { ("", "not done") };
                    out.push(Event::Html(format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{name}\"> ").into()));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => out.push(Event::Html(alert_open(kind).into())),
                Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) if !self.raw_html => {}
                e => out.push(e),
            }
        }
        out
    }
}

/// Consumes events up to the end of `first` (a block start).
fn skip_through<'t, I>(parser: &mut I, first: &Event<'t>)
where
    I: Iterator<Item = (Event<'t>, Range<usize>)>,
{
    if !matches!(first, Event::Start(_)) {
        return;
    }
    let mut depth = 1usize;
    for (e, _) in parser.by_ref() {
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

fn collect_code<'t, I>(parser: &mut I) -> String
where
    I: Iterator<Item = (Event<'t>, Range<usize>)>,
{
    let mut code = String::new();
    for (e, _) in parser.by_ref() {
        match e {
            Event::Text(t) => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    code
}

/// `lesson.md#x` → `lesson.html#x` for relative links; `None` to keep the link.
pub fn rewrite_link(dest: &str) -> Option<String> {
    if dest.starts_with('#') || dest.starts_with('/') || dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    let (path, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
    let stem = path.strip_suffix(".md")?;
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
    diags: RefCell<Vec<Diagnostic>>,
}

impl<'m, 'a> Snippets<'m, 'a> {
    pub fn new(md: &'m Markdown<'a>) -> Self {
        Snippets { md, diags: RefCell::new(Vec::new()) }
    }

    /// The highlighter of the build.
    pub fn highlighter(&self) -> &'a Highlighter {
        self.md.highlighter
    }

    /// [`Markdown::fragment`], keeping its warnings.
    pub fn fragment(&self, md: &str) -> String {
        let (html, diags) = self.md.fragment_with_diags(md);
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

/// Gives every heading an id (its `{#id}` or a slug) and a self-link, and lists it.
fn headings<'t>(events: Vec<Event<'t>>, ids: &mut BTreeSet<String>, out: &mut Vec<HeadingView>) -> Vec<Event<'t>> {
    let mut result = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(e) = iter.next() {
        let Event::Start(Tag::Heading { level, id, classes, .. }) = e else {
            result.push(e);
            continue;
        };
        let inner: Vec<Event<'t>> = iter.by_ref().take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_)))).collect();
        let text = plain_text(&inner);
        let id = unique(id.map_or_else(|| slug(&text), |i| i.to_string()), ids);
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
        let n = level as u8;
        let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", escape_html(&classes.join(" "))) };
        let id_html = escape_html(&id);
        result.push(Event::Html(
            format!("<h{n} id=\"{id_html}\"{class}>{inner_html} <a class=\"cg-anchor\" href=\"#{id_html}\"><span class=\"cg-visually-hidden\">Link to this section</span>#</a></h{n}>\n").into(),
        ));
        out.push(HeadingView { level: n, id, text });
    }
    result
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

fn unique(id: String, ids: &mut BTreeSet<String>) -> String {
    if ids.insert(id.clone()) {
        return id;
    }
    (1..).map(|n| format!("{id}-{n}")).find(|candidate| ids.insert(candidate.clone())).unwrap_or(id)
}

#[cfg(test)]
mod tests;
