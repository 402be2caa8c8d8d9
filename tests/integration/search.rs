//! Search (issue 9): the index stays under 30% of the text it covers on the
//! example course and on the CJK fixture, author text cannot break out of the
//! index script, and `tests/browser/search.mjs` drives the search box in
//! headless Chromium on `tests/fixtures/search`.

use std::path::{Path, PathBuf};
use std::process::Command;

use coursegen::pipeline::site::{Tools, build};
use coursegen::render::highlight::Highlighter;
use coursegen::render::markdown::Markdown;
use coursegen::render::{nav, page_body};

use crate::browser::{assert_script_passes, browser_ready};
use crate::support::{TempDir, repo_root, write_files};

fn fixture() -> PathBuf {
    repo_root().join("tests").join("fixtures").join("search")
}

/// The built index script and the bytes of text it indexes.
fn index_of(root: &Path) -> (String, usize) {
    let input = coursegen::source::load::load(root).expect("load the course").input;
    let outcome = build(&input, &Tools::default());
    let site = outcome.site.expect("the course builds");
    let js = String::from_utf8(site.files[coursegen::search::INDEX_PATH].to_vec()).expect("UTF-8");
    // The text measured again from the same pages, as the build saw them.
    let highlighter = Highlighter::default();
    let md = Markdown { highlighter: &highlighter, raw_html: input.config.raw_html, line_numbers: input.config.line_numbers };
    let bodies: Vec<_> = outcome.pages.iter().map(|p| page_body(&md, p)).collect();
    let order: Vec<(String, String)> = outcome
        .pages
        .iter()
        .map(|p| (nav::output_path(&p.rel), p.front.title.clone().or_else(|| p.first_heading.clone()).unwrap_or_default()))
        .collect();
    let sections: Vec<_> = bodies.into_iter().map(|b| Some(b.sections)).collect();
    let index = coursegen::search::build(&outcome.pages, &order, sections, coursegen::search::Rules::for_language(&input.config.language));
    (js, index.text_bytes)
}

fn assert_small(name: &str, root: &Path) {
    let (js, text) = index_of(root);
    let ratio = js.len() as f64 / text as f64;
    println!("{name}: index {} bytes, text {text} bytes, ratio {ratio:.3}", js.len());
    assert!(ratio < 0.30, "{name}: the index is {:.1}% of the text ({} of {text} bytes)", ratio * 100.0, js.len());
}

#[test]
fn index_is_under_30_percent_of_the_example_course_text() {
    assert_small("example course", repo_root());
}

#[test]
fn index_is_under_30_percent_of_the_cjk_fixture_text() {
    assert_small("CJK fixture", &fixture());
}

#[test]
fn index_script_escapes_author_text() {
    let (js, _) = index_of(&fixture());
    assert!(js.starts_with("window.coursegenSearchIndex = {"), "{}", &js[..80]);
    assert!(!js.contains('<') && !js.contains('>') && !js.contains('\u{2028}'), "raw < or > in the index");
    assert!(js.contains("中文课程") && js.contains("zh/keys.html"), "CJK title and URL are kept");
}

#[test]
fn page_texts_escape_author_text() {
    let input = coursegen::source::load::load(&fixture()).expect("load the fixture").input;
    let site = build(&input, &Tools::default()).site.expect("the fixture builds");
    let texts: Vec<String> = site
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("js/search/"))
        .map(|(_, bytes)| String::from_utf8(bytes.to_vec()).expect("UTF-8"))
        .collect();
    assert_eq!(texts.len(), 1, "three small pages share one text script");
    assert_eq!(texts[0].matches("coursegenSearchText(").count(), 3, "one call per page");
    assert!(texts.iter().all(|t| t.starts_with("coursegenSearchText(") && !t.contains('<') && !t.contains('>')));
    // sessions.md has `</script><script>alert(1)</script>` in code: it is there, escaped.
    assert!(texts.iter().any(|t| t.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)")), "{texts:?}");
}

#[test]
fn search_works_in_the_browser() {
    if !browser_ready() {
        return;
    }
    let course = fixture_with_long_page();
    let out = TempDir::new("search");
    let o = Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .arg("build")
        .arg(course.path())
        .arg("-d")
        .arg(out.path())
        .output()
        .expect("run coursegen");
    assert!(o.status.success(), "the search fixture builds:\n{}", String::from_utf8_lossy(&o.stderr));
    assert_script_passes("search.mjs", out.path());
}

/// The search fixture with a page of over 32 KB of text before the Chinese
/// one, so the pages' texts fill three scripts (the two first pages, the long
/// one, the Chinese one): search.mjs checks a query loads the right one.
fn fixture_with_long_page() -> TempDir {
    let dir = TempDir::new("search-course");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for rel in ["book.toml", "content/sessions.md", "content/quiz.md", "content/zh/keys.md"] {
        files.push((rel.into(), std::fs::read(fixture().join(rel)).expect("read the fixture")));
    }
    let summary = std::fs::read_to_string(fixture().join("content/SUMMARY.md")).expect("read SUMMARY.md");
    let summary = summary.replace("- [中文课程]", "- [Long](long.md)\n- [中文课程]");
    assert!(summary.contains("long.md"), "the fixture's SUMMARY.md lists the Chinese page");
    files.push(("content/SUMMARY.md".into(), summary.into_bytes()));
    let long: String = (0..600).map(|i| format!("Paragraph {i} counts {i} marmalade jars on the windowsill today.\n\n")).collect();
    files.push(("content/long.md".into(), format!("# Long\n\n{long}").into_bytes()));
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    write_files(dir.path(), &refs);
    dir
}

/// The index entry of the page at `url` in the index script `js`, and its
/// Bloom filter.
fn entry_of(js: &str, url: &str) -> (serde_json::Value, Vec<u8>) {
    let json = js.trim_start_matches("window.coursegenSearchIndex = ").trim_end().trim_end_matches(';');
    let index: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let page = index["pages"].as_array().expect("pages").iter().find(|p| p["u"] == url).expect("the page is indexed").clone();
    let filter = base64_decode(page["b"].as_str().expect("a filter"));
    (page, filter)
}

fn base64_decode(s: &str) -> Vec<u8> {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextets: Vec<u32> = s.bytes().filter(|&b| b != b'=').map(|b| ABC.iter().position(|&a| a == b).expect("base64") as u32).collect();
    let mut out = Vec::new();
    for chunk in sextets.chunks(4) {
        let n = chunk.iter().enumerate().fold(0, |n, (i, &v)| n | (v << (18 - 6 * i)));
        out.extend((0..chunk.len() - 1).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    out
}

/// Issue 19 and 22: a word's prefix, its unaccented spelling, a diagram's
/// labels and a quiz's code are in a page's filter; the text shown under a
/// result is text, not Markdown.
#[test]
fn prefixes_accents_diagrams_and_quiz_code_are_found() {
    use coursegen::search::terms::may_hold;
    let (js, _) = index_of(&fixture());
    let (sessions, f) = entry_of(&js, "sessions.html");
    assert!(may_hold(&f, "sess*"), "\"sess\" finds \"session\" by its prefix key");
    assert!(may_hold(&f, "lecon"), "\"lecon\" finds \"leçon\"");
    assert!(may_hold(&f, "wombat") && may_hold(&f, "signature"), "a diagram's boxes are indexed");
    let (_, f) = entry_of(&js, "quiz.html");
    assert!(may_hold(&f, "okapi"), "a quiz's code is indexed");
    assert!(may_hold(&f, "okap*"), "and its words' prefixes");
    let site = build(&coursegen::source::load::load(&fixture()).expect("load").input, &Tools::default()).site.expect("builds");
    let text = String::from_utf8(site.files["js/search/0.js"].to_vec()).expect("UTF-8");
    assert!(text.contains("Wombat check") && text.contains("okapi_count * 2"), "{text}");
    assert!(sessions["x"].as_str().is_some_and(|x| !x.contains('`')), "{sessions}");
}

/// Prompts and table cells are inline Markdown: their text goes to the
/// index without its marks.
#[test]
fn quiz_prompts_are_indexed_as_text() {
    let course = crate::support::Course::new("search-markdown")
        .lesson("a.md", "# A\n\n```quiz\n- prompt: What is `app.secret_key` after **step 2**?\n  options: [a, b]\n  answer: A\n```\n");
    let run = course.build();
    assert!(run.ok(), "{}", run.stderr());
    let text = course.read("book/js/search/0.js");
    assert!(text.contains("What is app.secret_key after step 2?"), "{text}");
}
