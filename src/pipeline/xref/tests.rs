//! The cross-reference checker on pages parsed and rendered as a build does
//! them: each author text that may hold a link, each kind of target.

use super::*;
use crate::parse::{PageSource, page};
use crate::render::highlight::Highlighter;
use crate::render::markdown::Markdown;

/// Parses and renders each `(rel, text)` page under `content/`, with the quiz
/// files and other source files in `files`, and checks their links: the
/// parse's diagnostics, then the checker's.
pub(crate) fn build(pages: &[(&str, &str)], files: &[(&str, &str)]) -> (Vec<Page>, Vec<Diagnostic>) {
    let lookup = |rel: &str| files.iter().find(|(p, _)| *p == rel).map(|(_, t)| *t);
    let mut diags = Vec::new();
    let parsed: Vec<Page> = pages
        .iter()
        .map(|(rel, text)| {
            let path = format!("content/{rel}");
            let (p, d) = page(&PageSource { path: &path, rel, src_dir: "content", text: &(*text).into() }, &lookup);
            diags.extend(d);
            p
        })
        .collect();
    let highlighter = Highlighter::new();
    let md = Markdown { highlighter: &highlighter, raw_html: false, line_numbers: true };
    let ids: Vec<Vec<String>> = parsed
        .iter()
        .map(|p| {
            let body = crate::render::page_body(&md, p);
            body.headings.iter().map(|h| h.id.clone()).chain(body.block_ids).collect()
        })
        .collect();
    let files = pages.iter().map(|(rel, _)| *rel).chain(files.iter().map(|(rel, _)| *rel)).collect();
    diags.extend(check(&Targets { pages: &parsed, ids: &ids, files }));
    (parsed, diags)
}

/// [`build`] of the one page `a.md`.
fn one_page(text: &str) -> (Page, Vec<Diagnostic>) {
    let (mut pages, d) = build(&[("a.md", text)], &[]);
    (pages.remove(0), d)
}

/// The checker's diagnostics for `pages`: message, hint, and the text pointed at
/// (in the page, or in the quiz file `q.toml`).
fn problems(pages: &[(&str, &str)], files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let (_, d) = build(pages, files);
    d.into_iter()
        .map(|d| {
            let text = pages.iter().chain(files).find(|(rel, _)| d.path == format!("content/{rel}")).map_or("", |(_, t)| *t);
            (d.message, d.hint.unwrap_or_default(), text.get(d.span).unwrap_or("?").to_string())
        })
        .collect()
}

fn one(message: &str, hint: &str, at: &str) -> (String, String, String) {
    (message.to_string(), hint.to_string(), at.to_string())
}

const B: (&str, &str) = ("b.md", "# B\n\n## Key moments\n\nText.\n");
const STEPS: &str = "```steps id=loop\nsteps:\n  - [a, b, c]\n  - [d, e, f]\n```\n\n## Setup\n\n";

#[test]
fn a_quiz_hint_to_a_missing_page() {
    let a = format!("{STEPS}```quiz\n- prompt: P\n  answer: x\n  hint: Read [the page](gone.md) first.\n```\n");
    assert_eq!(
        problems(&[("a.md", &a), B], &[]),
        [one(
            "link to `gone.md` in question 1, which is not a page of this course",
            "link to a file listed in SUMMARY.md, with its `.md` name",
            "[the page](gone.md)"
        )]
    );
}

#[test]
fn a_quiz_explanation_to_a_missing_heading_on_another_page() {
    let a = format!("{STEPS}```quiz\n- prompt: P\n  answer: x\n  explain: |\n    Two lines,\n    see [moments](b.md#key-moment).\n```\n");
    assert_eq!(
        problems(&[("a.md", &a), B], &[]),
        [one("`#key-moment` in question 1 is not an anchor on `b.md`", "did you mean `#key-moments`?", "[moments](b.md#key-moment)")]
    );
}

#[test]
fn option_feedback_to_a_missing_heading_on_the_page() {
    let a = format!(
        "{STEPS}```quiz\n- prompt: P\n  options:\n    - x\n    - text: y\n      feedback: \"See [setup](#setp).\"\n  answer: A\n```\n"
    );
    assert_eq!(
        problems(&[("a.md", &a)], &[]),
        [one("`#setp` in question 1 is not an anchor on this page", "did you mean `#setup`?", "[setup](#setp)")]
    );
}

#[test]
fn a_step_cell_to_a_missing_row_or_a_misspelt_block() {
    let a = "```steps id=loop\nsteps:\n  - [\"[next](#loop-step-3)\", b, c]\n  - ['[first](#lop-step-1)', e, f]\n```\n";
    assert_eq!(
        problems(&[("a.md", a)], &[]),
        [
            one(
                "link to `#loop-step-3` in step 1, but there is no such step row",
                "this page's rows are `#loop-step-1` to `#loop-step-2`",
                "[next](#loop-step-3)"
            ),
            one("link to `#lop-step-1` in step 2, but there is no such step row", "did you mean `#loop-step-1`?", "[first](#lop-step-1)"),
        ]
    );
}

#[test]
fn a_step_note_to_a_missing_step_on_another_page() {
    let a = "```steps\nsteps:\n  - cells: [a, b, c]\n    note: Compare with [its row](b.md#step-1).\n```\n";
    assert_eq!(
        problems(&[("a.md", a), B], &[]),
        [one(
            "`#step-1` in step 1 is not an anchor on `b.md`",
            "anchors are heading ids (`## Key moments` → `#key-moments`), step rows (`#step-2`) and block ids",
            "[its row](b.md#step-1)"
        )]
    );
}

#[test]
fn prose_to_a_missing_heading_and_a_missing_page() {
    let a = format!("{STEPS}See [b](b.md#key-momentz), [setup](#setup-), [gone](c.md) and [ok](b.md#key-moments), [row](#loop-step-2).\n");
    assert_eq!(
        problems(&[("a.md", &a), B], &[]),
        [
            one("`#key-momentz` is not an anchor on `b.md`", "did you mean `#key-moments`?", "[b](b.md#key-momentz)"),
            one("`#setup-` is not an anchor on this page", "did you mean `#setup`?", "[setup](#setup-)"),
            one(
                "link to `c.md`, which is not a page of this course",
                "link to a file listed in SUMMARY.md, with its `.md` name",
                "[gone](c.md)"
            ),
        ]
    );
}

#[test]
fn a_quiz_file_prompt_is_reported_in_the_file() {
    let toml = "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"As [step 7](#step-7) shows?\"\nanswer.answer = \"x\"\n";
    let a = "```steps\nsteps:\n  - [a, b, c]\n```\n\n{{#quiz q.toml}}\n";
    assert_eq!(
        problems(&[("a.md", a)], &[("q.toml", toml)]),
        [one(
            "link to `#step-7` in question 1, but there is no such step row",
            "this page's rows are `#step-1` to `#step-1`",
            "[step 7](#step-7)"
        )]
    );
}

#[test]
fn links_that_land_are_not_reported() {
    let a = format!(
        "{STEPS}```python id=sample\nx = 1\n```\n\n```quiz\n- prompt: \"[q](#quiz-1-q1), [s](#sample), [top](#top)\"\n  answer: x\n  hint: \"[b](b.md), [k](b.md#key-moments), [r](#loop-step-2), [x](https://example.com/#nope)\"\n```\n\n![img](img/a.png) [f](img/a.png) [m](mailto:a@b.c)\n"
    );
    assert_eq!(problems(&[("a.md", &a), B], &[("img/a.png", "")]), []);
}

#[test]
fn images_and_paths_outside_the_course() {
    let a = "```quiz\n- prompt: \"![x](img/x.png)\"\n  answer: x\n```\n\n[up](../x.md) and [file](notes.txt)\n";
    assert_eq!(
        problems(&[("a.md", a)], &[]),
        [
            one(
                "image `img/x.png` in question 1 not found",
                "images are looked up relative to the page, under the source folder",
                "![x](img/x.png)"
            ),
            one("link `../x.md` points outside the course", "", "[up](../x.md)"),
            one("link to `notes.txt`, which does not exist", "", "[file](notes.txt)"),
        ]
    );
}

#[test]
fn rows_of_an_unreadable_steps_block_are_not_reported() {
    // The block's YAML error is the one problem; the links to its rows would
    // be right once it is fixed.
    let a = "```steps id=loop\nsteps:\n  - [a, b, c]\n - [d, e, f]\n```\n\nSee [row 2](#loop-step-2) and [row 9](#step-9).\n";
    let (_, d) = one_page(a);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["this line is not lined up with the lines above it", "link to `#step-9`, but there is no such step row"]);
}

#[test]
fn mdbook_checks_only_links_to_its_own_step_rows() {
    let a = "```steps\nsteps:\n  - [a, b, c]\n```\n\n[r](#step-1) [bad](#step-2) [heading](#mdbooks-own) [p](other.md)\n";
    let (p, _) = one_page(a);
    let d = step_rows(&p, &["step-1".to_string()]);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["link to `#step-2`, but there is no such step row"]);
}

// Checks of a whole page that need the checker: they were the parser's own
// before links were checked against what was rendered.

#[test]
fn one_mistake_does_not_hide_the_next() {
    // Several independent mistakes in several questions, and an unknown
    // attribute on the block: each is reported, and the links of every
    // question are still checked against the page's steps.
    let text = "```steps\nsteps:\n  - [a, b, c]\n```\n\n```quiz titel=x\n\
        - prompt: P\n  options: [x, y]\n  answer: C\n  hint: See [step 4](#step-4).\n\
        - kind: choise\n  prompt: Q\n  options: [x, y]\n  answer: Z\n  explain: \"[e](#step-5)\"\n\
        - prompt: R\n  options: [x, y]\n  hint: \"[h](#step-6)\"\n\
        - prompt: S\n  answer: [a, b]\n  accept: [c]\n  lines: [d]\n```\n";
    let (p, d) = one_page(text);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown attribute `titel` on a `quiz` block",
            "question 1: answer `C` is not one of the options",
            "question 2: unknown kind `choise`",
            "question 2: answer `Z` is not one of the options",
            "question 3 has no `answer`",
            "question 4: `answer` does not apply to an order question",
            "question 4: `accept` does not apply to an order question",
            "question 4: an order question needs at least two `lines`",
            "link to `#step-4` in question 1, but there is no such step row",
            "link to `#step-5` in question 2, but there is no such step row",
            "link to `#step-6` in question 3, but there is no such step row",
        ]
    );
    assert_eq!(p.blocks.len(), 2, "the quiz is kept for the checks (the build fails on its errors)");
}

#[test]
fn cross_block_checks() {
    let text = "```python id=s\na\nb\n```\n\n```steps code=nope\nsteps:\n  - [a, b, c]\n```\n\n```steps code=s\nsteps:\n  - cells: [a, b, c]\n    line: 3\n```\n\n```tracker from=zz\n```\n\nSee [step 9](#step-9).\n";
    let (_, d) = one_page(text);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`code=nope` names no code block on this page",
            "step 1 points at line 3, but `s` has 2 lines",
            "a page may have only one steps block without an id",
            "`from=zz` names no steps block on this page",
            "link to `#step-9`, but there is no such step row",
        ]
    );
    assert_eq!(&text[d[0].span.clone()], "code=nope");
}

#[test]
fn quiz_hint_links_to_missing_rows_are_errors() {
    let text = "```steps\nsteps:\n  - [a, b, c]\n```\n\n```quiz\n- prompt: P\n  answer: a\n  hint: See [step 2](#step-2).\n```\n";
    let (_, d) = one_page(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "link to `#step-2` in question 1, but there is no such step row");
}
