//! One chapter through the same parser and block renderers as `coursegen
//! build`, then its rendered blocks spliced back into its Markdown.
//!
//! Pure: the chapter's text and the quiz files come in as strings. Only our
//! blocks are rendered here; the Markdown around them is mdBook's to render.

use std::collections::BTreeMap;

use super::assets::Needs;
use super::splice::{self, Fragment};
use crate::diag::Diagnostic;
use crate::model::Page;
use crate::parse::{self, PageSource};
use crate::render::markdown::Markdown;
use crate::render::url::unsafe_scheme;
use crate::render::{self, Numbers, Samples};
use pulldown_cmark::{Event, Tag};

/// Where a chapter comes from.
pub struct Source<'a> {
    /// `[book] src` (`content`).
    pub src_dir: &'a str,
    /// Path relative to the source folder (`flask/secret-key.md`).
    pub rel: &'a str,
    /// The chapter's Markdown as mdBook hands it over.
    pub text: &'a str,
}

/// What became of a chapter.
pub struct Processed {
    /// The new text; `None` when the chapter had neither blocks nor front matter
    /// and must be passed on exactly as it came.
    pub text: Option<String>,
    pub diags: Vec<Diagnostic>,
}

/// Parses and renders one chapter. `files` holds the course's quiz files by
/// path relative to the source folder; `assets` gives what is appended to
/// any chapter that has a block, from what its blocks need.
/// `numbers` counts the book's quizzes and flowcharts so far, so that every
/// id is unique across the book (print.html shows every chapter on one page).
pub fn process(
    md: &Markdown<'_>,
    src: &Source<'_>,
    files: &BTreeMap<String, String>,
    assets: &dyn Fn(Needs) -> String,
    numbers: &mut Numbers,
) -> Processed {
    let path = format!("{}/{}", src.src_dir, src.rel);
    let lookup = |rel: &str| files.get(rel).map(String::as_str);
    let parse = |text: &str| parse::page(&PageSource { path: &path, rel: src.rel, src_dir: src.src_dir, text: &text.into() }, &lookup);
    let (mut page, mut diags) = parse(src.text);
    if let Some(not_ours) = foreign_front_matter(&page, &mut diags) {
        // Read the chapter again as if the first `---` were `***` (the same
        // thematic break, the same length, so every span still fits the text).
        let (again, d) = parse(&format!("***{}", &src.text[3..]));
        page = again;
        diags = d;
        diags.extend(not_ours);
    }
    let (fragments, dropped) = fragments(md, &page, numbers);
    diags.extend(dropped);
    diags.extend(prose_links(&path, src.text, page.body_start));
    if fragments.is_empty() && page.body_start == 0 {
        return Processed { text: None, diags };
    }
    let mut text = splice::splice(src.text, page.body_start, &fragments);
    if !fragments.is_empty() {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&assets(Needs::of(&page)));
    }
    Processed { text: Some(text), diags }
}

/// Front matter that is not coursegen's: an opening `---` never closed (a
/// thematic break), or YAML for another tool. This exists because any mdBook
/// book may start a chapter that way, and mdBook shows it as Markdown; failing
/// the build, or cutting the chapter, would break books that worked. Returns
/// its errors as warnings, and takes them out of `diags`; `None` when the
/// front matter is ours (or absent).
fn foreign_front_matter(page: &Page, diags: &mut Vec<Diagnostic>) -> Option<Vec<Diagnostic>> {
    let in_front = |d: &Diagnostic| page.body_start > 0 && d.span.start < page.body_start;
    if !diags.iter().any(|d| d.is_error() && in_front(d)) {
        return None;
    }
    let (front, rest): (Vec<Diagnostic>, Vec<Diagnostic>) = std::mem::take(diags).into_iter().partition(in_front);
    *diags = rest;
    Some(
        front
            .into_iter()
            .map(|d| Diagnostic {
                severity: crate::diag::Severity::Warning,
                hint: Some(
                    "mdBook shows this `---` block as Markdown; coursegen's front matter is YAML with `title`, `minutes` and `summary`"
                        .into(),
                ),
                ..d
            })
            .collect(),
    )
}

/// Each block rendered by the same function as `coursegen build`, with its
/// span, and the warnings about links it dropped and the errors about links
/// to step rows it does not have.
fn fragments(md: &Markdown<'_>, page: &Page, numbers: &mut Numbers) -> (Vec<Fragment>, Vec<Diagnostic>) {
    let mut ids = Vec::new();
    let (blocks, mut diags) = render::blocks_numbered(md, page, Samples::PointedAt, &mut ids, numbers);
    diags.extend(crate::pipeline::xref::step_rows(page, &ids));
    (blocks.into_iter().map(|(span, html)| Fragment { span, html: off_the_playground(&html) }).collect(), diags)
}

/// Our code without its `language-*` class, the language kept in `data-lang`.
/// This exists because mdBook 0.4 turns every `<code class="language-rust">`
/// of a chapter's HTML into a playground snippet (a Run button that reveals a
/// Tracing question's answer, and a hidden `fn main` wrapped round the code),
/// and highlight.js re-highlights any code with a `language-` or `lang-`
/// class, dropping our highlighting and line marks.
fn off_the_playground(html: &str) -> String {
    html.replace("<code class=\"language-", "<code data-lang=\"")
}

/// Warnings for the links and images of the chapter's own Markdown whose URL
/// has an unsafe scheme. That Markdown is mdBook's to render, and it renders
/// such a link as written (a `javascript:` link runs when clicked); the text is
/// left byte for byte as it came, so the author is told instead.
fn prose_links(path: &str, text: &str, start: usize) -> Vec<Diagnostic> {
    let events = pulldown_cmark::Parser::new_ext(&text[start..], parse::markdown_options()).into_offset_iter();
    events
        .filter_map(|(e, range)| {
            let (what, dest) = match e {
                Event::Start(Tag::Link { dest_url, .. }) => ("link", dest_url),
                Event::Start(Tag::Image { dest_url, .. }) => ("image", dest_url),
                _ => return None,
            };
            let scheme = unsafe_scheme(&dest)?;
            let url = dest.trim().chars().take(80).collect::<String>().escape_debug().to_string();
            let message = format!("{what} `{url}` uses the unsafe scheme `{scheme}:`; mdBook renders it as written");
            let span = range.start + start..range.end + start;
            Some(Diagnostic::warning(path, span, message).with_hint("links and images may use http:, https:, mailto: or a relative path"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::highlight::Highlighter;

    fn run(text: &str) -> Processed {
        let highlighter = Highlighter::new();
        let md = Markdown { highlighter: &highlighter, raw_html: false, line_numbers: true };
        let mut files = BTreeMap::new();
        files.insert(
            "quizzes/q.toml".to_string(),
            "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"Say hi\"\nanswer.answer = \"hi\"\n".to_string(),
        );
        process(
            &md,
            &Source { src_dir: "content", rel: "ch/a.md", text },
            &files,
            &|_| "<style>/*assets*/</style>\n".into(),
            &mut Numbers::default(),
        )
    }

    #[test]
    fn chapter_without_blocks_is_untouched() {
        let p = run("# Title\n\n```python id=x\nprint(1)\n```\n\n<div>raw</div>\n");
        assert!(p.text.is_none());
        assert!(p.diags.is_empty());
    }

    #[test]
    fn front_matter_is_removed() {
        let p = run("---\ntitle: T\nminutes: 5\n---\n# Title\n");
        assert_eq!(p.text.as_deref(), Some("# Title\n"));
    }

    #[test]
    fn blocks_become_html_and_prose_stays_byte_for_byte() {
        let text = "# T\n\nBefore *this*.\n\n```quiz\n- prompt: Two?\n  options: [\"1\", \"2\"]\n  answer: B\n```\n\nAfter  `that`.\n\n{{#quiz ../quizzes/q.toml}}\n";
        let p = run(text);
        assert!(p.diags.is_empty(), "{:?}", p.diags);
        let out = p.text.unwrap();
        assert!(out.starts_with("# T\n\nBefore *this*.\n\n<section class=\"cg-quiz\" id=\"quiz-1\""), "{out}");
        assert!(out.contains("\nAfter  `that`.\n\n<section class=\"cg-quiz\" id=\"quiz-2\""), "{out}");
        assert!(!out.contains("```quiz") && !out.contains("{{#quiz"));
        assert!(out.ends_with("\n\n<style>/*assets*/</style>\n"));
        assert!(!out.split("<style>").next().unwrap().contains("\n\n<li"), "no blank line may end the HTML block early");
    }

    #[test]
    fn quiz_files_anywhere_in_the_book_and_their_warnings_at_their_own_lines() {
        let highlighter = Highlighter::new();
        let md = Markdown { highlighter: &highlighter, raw_html: false, line_numbers: true };
        let toml = "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"\"\"\nRead\n[this](javascript:alert(1)) first.\n\"\"\"\nanswer.answer = \"hi\"\n";
        let files = BTreeMap::from([("../../quizzes/q.toml".to_string(), toml.to_string())]);
        let src = Source { src_dir: "book/src", rel: "a.md", text: "# A\n\n{{#quiz ../../quizzes/q.toml}}\n" };
        let p = process(&md, &src, &files, &|_| String::new(), &mut Numbers::default());
        assert!(p.text.is_some_and(|t| t.contains("cg-quiz")), "a quiz beside the source folder is found");
        assert_eq!(p.diags.len(), 1, "{:?}", p.diags);
        assert_eq!(p.diags[0].path, "quizzes/q.toml", "named from the book's folder");
        assert_eq!(&toml[p.diags[0].span.clone()], "[this](javascript:alert(1))", "at the link, in the TOML file");
        for (path, message) in [
            ("../../../x.toml", "`../../../x.toml` points outside the book's folder"),
            ("/etc/q.toml", "`/etc/q.toml` is an absolute path"),
        ] {
            let text = format!("# A\n\n{{{{#quiz {path}}}}}\n");
            let p = process(
                &md,
                &Source { src_dir: "book/src", rel: "a.md", text: &text },
                &files,
                &|_| String::new(),
                &mut Numbers::default(),
            );
            let e = p.diags.iter().find(|d| d.is_error()).expect("an error");
            assert_eq!((e.path.as_str(), e.message.as_str(), &text[e.span.clone()]), ("book/src/a.md", message, path));
        }
    }

    #[test]
    fn errors_name_the_chapter_path() {
        let p = run("# T\n\n```quiz\n- prompt: x\n  answr: B\n```\n");
        let e = p.diags.iter().find(|d| d.is_error()).expect("an error");
        assert_eq!(e.path, "content/ch/a.md");
    }

    #[test]
    fn code_pointed_at_by_steps_keeps_its_id() {
        let text = "```python id=sample\nx = 1\n```\n\n```steps code=sample\nsteps:\n  - cells: [Set x, \"1\", stored]\n    line: 1\n```\n";
        let out = run(text).text.unwrap();
        assert!(out.contains("id=\"sample\""), "{out}");
        assert!(out.contains("data-lines=\"1-1\""), "{out}");
    }

    #[test]
    fn block_inside_a_list_item_stays_in_the_item() {
        let text = "1. First\n\n   ```quiz\n   - prompt: Two?\n     options: [\"1\", \"2\"]\n     answer: B\n   ```\n2. Second\n";
        let out = run(text).text.unwrap();
        let body = out.split("<style>").next().unwrap();
        assert!(body.starts_with("1. First\n\n   <section class=\"cg-quiz\""), "{body}");
        for line in body.lines().skip(2).take_while(|l| !l.starts_with("2.")) {
            assert!(line.is_empty() || line.starts_with("   "), "{line:?} leaves the list item:\n{body}");
        }
        assert!(body.contains("\n\n2. Second\n"), "{body}");
    }

    #[test]
    fn a_thematic_break_at_the_top_is_not_front_matter() {
        let text = "---\n\n# Title\n\n```quiz\n- prompt: Two?\n  answer: two\n```\n";
        let p = run(text);
        assert!(p.diags.iter().all(|d| !d.is_error()), "{:?}", p.diags);
        let out = p.text.unwrap();
        assert!(out.starts_with("---\n\n# Title\n\n<section class=\"cg-quiz\""), "{out}");
        let plain = run("---\n\n# Title\n\nText.\n");
        assert!(plain.text.is_none(), "a chapter without blocks stays as it came");
        assert!(plain.diags.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn unsafe_links_in_the_chapters_markdown_are_warned_about_and_left_to_mdbook() {
        let text = "# T\n\n[a](javascript:alert(1)) ![b](&#106;avascript:x) [ok](https://x.org)\n";
        let p = run(text);
        assert!(p.text.is_none(), "the chapter stays byte for byte");
        let at: Vec<&str> = p.diags.iter().map(|d| &text[d.span.clone()]).collect();
        assert_eq!(at, ["[a](javascript:alert(1))", "![b](&#106;avascript:x)"]);
        assert!(p.diags.iter().all(|d| !d.is_error() && d.message.ends_with("mdBook renders it as written")), "{:?}", p.diags);
        assert!(p.diags[1].message.starts_with("image `javascript:x`"), "{:?}", p.diags[1]);
    }

    #[test]
    fn another_tools_front_matter_warns_and_stays() {
        let text = "---\ntags: [a, b]\n---\n# Title\n";
        let p = run(text);
        assert!(p.text.is_none(), "kept byte for byte for mdBook to show");
        assert_eq!(p.diags.len(), 1, "{:?}", p.diags);
        assert!(!p.diags[0].is_error() && p.diags[0].path == "content/ch/a.md", "{:?}", p.diags);
    }
}
