//! Source text → course model, collecting every problem as a [`Diagnostic`].
//!
//! A page is read once with pulldown-cmark's offset iterator; fenced blocks with
//! one of our info strings (`flow`, `steps`, `tracker`, `quiz`, and `mermaid`
//! flowcharts) and `{{#quiz file.toml}}` paragraphs become [`Block`]s carrying
//! their byte spans. Everything else is left to the renderer. Never panics, never
//! touches the disk: files a page refers to come in through [`Files`].

mod checks;
pub mod fence;
mod fragment;
mod frontmatter;
pub mod include;
mod links;
mod parts;
mod quiz;
pub mod quiz_html;
mod quiz_toml;
mod snippets;
mod steps;
pub mod summary;
mod tracker;
pub mod yaml;
mod yaml_types;

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Tag, TagEnd};

pub use fragment::Fragment;
pub use quiz::letter;
pub use quiz_toml::include_path;
pub(crate) use quiz_toml::shuffle;
pub use snippets::fences as snippet_fences;

use crate::diag::Diagnostic;
use crate::flow;
use crate::model::{Block, CodeBlock, CodeInfo, FlowBlock, Link, Page, Place};
use crate::parse::yaml::YamlError;
use fence::Attrs;

/// Looks up another source file by its path relative to the source folder
/// (`quizzes/extra.toml`); a file of the book outside that folder starts with
/// `../` (`../quizzes/extra.toml`, see [`crate::source::relpath::in_book`]).
pub type Files<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

/// Markdown extensions used everywhere a page is read or rendered.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a page parser needs besides the page.
pub struct PageSource<'a> {
    /// Path relative to the course folder (`content/flask/a.md`), for diagnostics.
    pub path: &'a str,
    /// Path relative to the source folder (`flask/a.md`).
    pub rel: &'a str,
    /// The source folder relative to the course folder (`content`).
    pub src_dir: &'a str,
    /// The whole file, kept by the page as it is (not copied).
    pub text: &'a Arc<str>,
}

/// Parses one page. The page is returned even when there are errors, so later
/// checks can still run and report their own problems in the same build.
pub fn page<'a, 'f>(src: &PageSource<'a>, files: &Files<'f>) -> (Page, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (front, body_start) = frontmatter::split(src.path, src.text, &mut diags);
    let mut scan =
        Scan { src, files, diags: &mut diags, blocks: Vec::new(), first_heading: None, links: Vec::new(), unreadable_steps: Vec::new() };
    scan.run(body_start);
    let Scan { blocks, first_heading, links, unreadable_steps, .. } = scan;
    let found = checks::Found { blocks: &blocks, unreadable_steps: &unreadable_steps };
    checks::page(src.path, src.text, &found, &mut diags);
    let snippet_code = snippets::code(&blocks);
    let page = Page {
        path: src.path.to_string(),
        rel: src.rel.to_string(),
        text: Arc::clone(src.text),
        front,
        body_start,
        first_heading,
        blocks: blocks.into(),
        links: links.into(),
        unreadable_steps: unreadable_steps.into(),
        snippet_code: snippet_code.into(),
        included: None,
    };
    (page, diags)
}

struct Scan<'s, 'a, 'f> {
    src: &'s PageSource<'a>,
    files: &'s Files<'f>,
    diags: &'s mut Vec<Diagnostic>,
    blocks: Vec<Block>,
    first_heading: Option<String>,
    /// Every link of the page's texts, located (gathered here, so the page
    /// is parsed once).
    links: Vec<Link>,
    /// See [`Page::unreadable_steps`].
    unreadable_steps: Vec<Option<String>>,
}

/// A fenced block being read: its info string, whole span and body.
struct Fence {
    info: String,
    info_at: usize,
    span: Range<usize>,
    body: Fragment,
}

impl Scan<'_, '_, '_> {
    fn run(&mut self, body_start: usize) {
        let text = self.src.text;
        let body = &text[body_start..];
        let parser = pulldown_cmark::Parser::new_ext(body, markdown_options()).into_offset_iter();
        let mut fence: Option<Fence> = None;
        let mut heading: Option<String> = None;
        let mut paragraph: Option<Range<usize>> = None;
        for (event, range) in parser {
            let range = range.start + body_start..range.end + body_start;
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    let info = fence::raw_info(&text[range.clone()]).unwrap_or(&info).to_string();
                    let info_at = info_offset(text, &range, &info);
                    fence = Some(Fence { info, info_at, span: range.clone(), body: Fragment::empty_at(body_line_start(text, &range)) });
                }
                Event::Text(t) if fence.is_some() => {
                    if let Some(f) = fence.as_mut() {
                        f.body.push(&t, range.start);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(f) = fence.take() {
                        self.fenced(f);
                    }
                }
                Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if self.first_heading.is_none() => {
                    heading = Some(String::new());
                }
                Event::Text(t) | Event::Code(t) if heading.is_some() => {
                    if let Some(h) = heading.as_mut() {
                        h.push_str(&t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(h) = heading.take() {
                        self.first_heading = Some(h.trim().to_string());
                    }
                }
                Event::Start(Tag::Link { dest_url, link_type, .. }) if link_type != LinkType::Email => {
                    self.links.push(Link { dest: dest_url.to_string(), span: range, file: None, image: false, place: Place::Prose });
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    self.links.push(Link { dest: dest_url.to_string(), span: range, file: None, image: true, place: Place::Prose });
                }
                Event::Start(Tag::Paragraph) => paragraph = Some(range),
                Event::End(TagEnd::Paragraph) => {
                    if let Some(p) = paragraph.take() {
                        self.quiz_include(p);
                    }
                }
                _ => {}
            }
        }
    }

    fn fenced(&mut self, f: Fence) {
        let attrs = match fence::parse(&f.info) {
            Ok(mut a) => {
                // Make attribute spans point into the file, for later checks.
                for attr in &mut a.pairs {
                    attr.span = attr.span.start + f.info_at..attr.span.end + f.info_at;
                }
                a
            }
            Err(e) => {
                let span = f.info_at + e.span.start..f.info_at + e.span.end;
                self.diags.push(
                    Diagnostic::error(self.src.path, span, e.message)
                        .with_hint("write attributes as `key=value` or `key=\"value with spaces\"`"),
                );
                return;
            }
        };
        let path = self.src.path;
        // An unknown attribute is reported, and the block is still read: its
        // own problems belong in the same run.
        let block = match attrs.lang.as_str() {
            "flow" => self.flow(f, attrs, false),
            "mermaid" if flow::is_flowchart(&f.body.text) => self.flow(f, attrs, true),
            "steps" => {
                self.keys(&attrs, &["id", "code", "title"]);
                let id = attrs.get("id").map(str::to_string);
                let block = steps::parse(path, f.span, attrs.label(), attrs.name("code"), &f.body, self.diags, &mut self.links);
                if block.is_none() {
                    self.unreadable_steps.push(id);
                }
                block
            }
            "tracker" => {
                self.keys(&attrs, &["id", "from", "title"]);
                tracker::parse(path, f.span, attrs.label(), attrs.name("from"), &f.body, self.diags)
            }
            "quiz" => {
                self.keys(&attrs, &["id", "title"]);
                quiz::parse_block(path, f.span, attrs.label(), &f.body, self.diags, &mut self.links)
            }
            kind @ ("moments" | "snapshot" | "transcript") => {
                self.keys(&attrs, &["id", "from", "title"]);
                let head = parts::Head { path, span: f.span, label: attrs.label(), from: attrs.name("from") };
                parts::parse(kind, head, &f.body, self.diags, &mut self.links)
            }
            _ => {
                let line_numbers = fence::line_numbers(&attrs).unwrap_or_else(|a| {
                    let d = Diagnostic::error(self.src.path, a.span.clone(), format!("`linenos={}` is neither true nor false", a.value));
                    self.diags
                        .push(d.with_hint("write `linenos=false` to hide this sample's line numbers, or `linenos=true` to show them"));
                    None
                });
                let info = CodeInfo { label: attrs.label(), line_numbers, lang: attrs.lang, flags: attrs.flags };
                Some(Block::Code(CodeBlock { span: f.span, info, code: f.body.text }))
            }
        };
        self.blocks.extend(block);
    }

    fn flow(&mut self, f: Fence, attrs: Attrs, mermaid: bool) -> Option<Block> {
        self.keys(&attrs, &["id", "title"]);
        let mut warnings = Vec::new();
        let result = flow::parse_with_warnings(&f.body.text, &mut warnings);
        let block = |drawing| Some(Block::Flow(FlowBlock { span: f.span.clone(), label: attrs.label(), drawing, mermaid }));
        match result {
            Ok(graph) => {
                self.flow_diags(&f, warnings, false);
                block(flow::Drawing::Graph(graph))
            }
            // Valid Mermaid we cannot draw is shown as its source, so the build goes on.
            Err(errors) if mermaid && errors.iter().all(|e| e.unsupported.is_some()) => {
                let feature = errors.iter().find_map(|e| e.unsupported.clone()).unwrap_or_default();
                self.flow_diags(&f, errors, false);
                block(flow::Drawing::Source { code: f.body.text.clone(), feature })
            }
            Err(errors) => {
                let errors = errors.into_iter().map(|mut e| {
                    e.unsupported = None;
                    e
                });
                self.flow_diags(&f, errors.collect(), true);
                None
            }
        }
    }

    /// Flow problems as diagnostics located in the page.
    fn flow_diags(&mut self, f: &Fence, problems: Vec<flow::FlowError>, errors: bool) {
        for e in problems {
            let span = f.body.range_to_file(&e.span);
            let mut d = if errors && e.unsupported.is_none() {
                Diagnostic::error(self.src.path, span, e.message)
            } else {
                Diagnostic::warning(self.src.path, span, e.message)
            };
            if e.span.is_empty() && f.body.text.trim().is_empty() {
                d.span = f.span.clone();
            }
            if let Some(h) = e.hint {
                d = d.with_hint(h);
            }
            self.diags.push(d);
        }
    }

    /// Reports attributes a block does not know.
    fn keys(&mut self, attrs: &Attrs, known: &[&str]) {
        for a in attrs.pairs.iter().filter(|a| !known.contains(&a.key.as_str())) {
            self.diags.push(
                Diagnostic::error(self.src.path, a.span.clone(), format!("unknown attribute `{}` on a `{}` block", a.key, attrs.lang))
                    .with_hint(format!("a `{}` block takes {}", attrs.lang, list(known))),
            );
        }
    }

    /// `{{#quiz path.toml}}` alone in a paragraph.
    fn quiz_include(&mut self, p: Range<usize>) {
        let Some(path) = quiz_toml::include_path(&self.src.text[p.clone()]) else { return };
        let block = quiz_toml::include(&quiz_toml::Include { page: self.src, span: p, path }, self.files, self.diags, &mut self.links);
        self.blocks.extend(block);
    }
}

/// `a`, `a and b`, `a, b and c`, each in backticks.
fn list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Where the info string starts in the file: after the fence characters.
fn info_offset(text: &str, range: &Range<usize>, info: &str) -> usize {
    let line_end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
    text[range.start..line_end].find(info).map_or(range.start, |i| range.start + i)
}

/// Where an empty block's body would start: the line after the opening fence.
fn body_line_start(text: &str, range: &Range<usize>) -> usize {
    text[range.start..].find('\n').map_or(range.end, |i| range.start + i + 1)
}

/// A YAML error inside a block, as a diagnostic located in the page.
/// The hint is the nearest known key for a misspelt one, else the YAML
/// layer's own for a syntax mistake, else `hint` (what the block looks like).
pub(crate) fn yaml_diagnostic(path: &str, body: &Fragment, e: YamlError, hint: &str) -> Diagnostic {
    let span = body.range_to_file(&e.span);
    let hint = crate::diag::did_you_mean(&e.message).or(e.hint).unwrap_or_else(|| hint.to_string());
    Diagnostic::error(path, span, e.message).with_hint(hint)
}

#[cfg(test)]
mod tests;
