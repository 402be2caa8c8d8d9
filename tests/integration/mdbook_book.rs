//! `coursegen build` on mdBook books (issue 18, points 3 and 4): the layouts
//! of the Rust Book and of `mdbook init` in `tests/fixtures/mdbook-book`,
//! and broken includes, each a located error.

use std::path::{Path, PathBuf};

use crate::support::{Course, TempDir, coursegen, repo_root, stderr};

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/mdbook-book")
}

/// The fixture built into a temp folder, and the build's stderr.
fn built() -> (TempDir, String) {
    let out = TempDir::new("mdbook-book");
    let run = coursegen(&fixture(), &["build", ".", "-d", &out.path().display().to_string()]);
    assert!(run.status.success(), "{}", stderr(&run));
    (out, stderr(&run))
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn heading_ids(html: &str) -> Vec<&str> {
    html.match_indices("<h").filter_map(|(i, _)| html[i..].strip_prefix("<h")?.get(2..)?.strip_prefix("id=\"")?.split('"').next()).collect()
}

#[test]
fn directives_are_expanded_and_none_is_left_as_text() {
    let (out, _) = built();
    let listings = read(out.path(), "listings.html");
    for page in ["index.html", "chapter_1.html", "listings.html", "math.html"] {
        let html = read(out.path(), page);
        let left = html.matches("{{#").count();
        // The one escaped `\{{#include}}` is shown as written, as in mdBook.
        assert_eq!(left, usize::from(page == "listings.html"), "{page}: {left} directives left");
    }
    assert!(listings.contains("{{#include not-expanded.rs}}"), "the escaped directive is shown without its backslash");
    assert!(listings.contains("shown") && listings.contains("helper"), "the rustdoc_include brought the whole file");
    assert!(listings.contains("inner text, included twice removed"), "a nested include, relative to its own file");
    assert!(listings.contains("class=\"language-rust editable\"") && listings.contains("play"), "the playground is a Rust block");
    assert!(listings.contains("class=\"language-rust ignore\""), "mdBook's flags are classes");
    assert!(!listings.contains("ANCHOR_END: body</span>\n</code>"), "an include by anchor drops the markers");
    assert!(read(out.path(), "chapter_1.html").contains("<title>Chapter One, Custom"), "{{#title}} titles the page");
}

#[test]
fn rustdoc_include_hides_the_lines_around_the_anchor() {
    let (out, _) = built();
    let html = read(out.path(), "listings.html");
    let sample = &html[html.find("cg-has-boring").expect("a sample with hidden lines")..];
    let sample = &sample[..sample.find("</pre>").unwrap()];
    assert_eq!(sample.matches("cg-line cg-boring").count(), 2, "`use std::fmt;` and `fn helper() {{}}` are hidden: {sample}");
    assert!(sample.contains("Show hidden lines") && sample.contains("type=\"checkbox\""));
    assert!(!sample.contains("# "), "the `# ` markers are not shown");
}

#[test]
fn heading_ids_are_mdbooks_and_titles_are_shown_once() {
    let (out, _) = built();
    let chapter = read(out.path(), "chapter_1.html");
    // As mdBook 0.5.4 writes them for the same file.
    assert_eq!(heading_ids(&chapter), ["chapter-1", "same", "same-1", "my-id", "hello-world", "code-and--two-spaces"]);
    assert!(!chapter.contains("class=\"cg-title\""), "the page's own # Chapter 1 is its only title");
    assert_eq!(chapter.matches("<h1").count(), 1);
    assert!(chapter.contains("<a id=\"old-anchor\"></a>"), "an empty id anchor is kept");
    for page in ["index.html", "chapter_1.html"] {
        assert!(!read(out.path(), page).contains("&lt;!--"), "{page}: comments are dropped, not shown");
    }
}

#[test]
fn summary_paths_and_readme_are_read_as_mdbook_reads_them() {
    let (out, _) = built();
    let index = read(out.path(), "index.html");
    assert!(index.contains("<h1 id=\"introduction\""), "README.md is the home page");
    assert!(index.contains("href=\"chapter_1.html#same-1\"") && index.contains("href=\"./listings.html#a-listing\""));
    assert!(read(out.path(), "chapter_1.html").contains("href=\"index.html\""), "a link to README.md goes to index.html");
    assert!(!out.path().join("README.html").exists());
}

#[test]
fn output_html_settings_are_honoured_and_the_rest_named() {
    let (out, log) = built();
    let chapter = read(out.path(), "chapter_1.html");
    assert!(chapter.contains("href=\"theme/extra.css\""), "additional-css linked");
    assert!(out.path().join("theme/extra.css").is_file(), "additional-css copied");
    assert!(chapter.contains("href=\"https://example.org/small-book/edit/main/src/chapter_1.md\""), "the edit link");
    assert!(chapter.contains("href=\"https://example.org/small-book\""), "git-repository-url");
    assert!(read(out.path(), "old-chapter.html").contains("URL=chapter_1.html"), "a redirect page");
    assert!(log.contains("book.toml:12:1: warning: `[output.html] print` is not supported"), "{log}");
    assert!(!log.contains("default-theme"), "a key that only dresses mdBook's theme is not warned about: {log}");
    assert!(log.contains("preprocessor `homemade` is not run"), "{log}");
}

#[test]
fn math_becomes_mathml_with_no_script() {
    let (out, _) = built();
    let math = read(out.path(), "math.html");
    assert_eq!(math.matches("<math").count(), 4, "two dollar forms and two MathJax forms");
    assert!(!math.contains("mathjax") && !math.contains("katex"), "no math script");
}

#[test]
fn the_fixture_has_no_broken_internal_link() {
    let run = coursegen(&fixture(), &["check", "."]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains(": error:"), "{}", stderr(&run));
}

/// A course in mdBook's layout: `src/` and a `listings/` folder beside it.
fn book(files: &[(&str, &str)]) -> Course {
    let mut course = Course::new("mdbook-includes").file("book.toml", b"[book]\ntitle = \"B\"\nsrc = \"content\"\n");
    for (rel, text) in files {
        course = course.file(rel, text.as_bytes());
    }
    course
}

#[test]
fn problems_inside_included_files_are_located_there() {
    let course = book(&[
        ("listings/part.md", "Intro.\n\n```flow bogus=1\nA\nB\n```\n\n{{#include gone.rs}}\n"),
        ("listings/loop.md", "{{#include loop.md}}\n"),
    ])
    .lesson("a.md", "# A\n\n{{#include ../listings/part.md}}\n\n{{#include ../listings/loop.md}}\n\n{{#include ../../outside.md}}\n");
    let run = course.build();
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let errors = run.errors();
    assert!(errors.iter().any(|e| e.starts_with("listings/part.md:3:9: error: unknown attribute `bogus`")), "{errors:#?}");
    assert!(errors.iter().any(|e| e.starts_with("listings/part.md:8:1: error: cannot include `gone.rs`")), "{errors:#?}");
    assert!(errors.iter().any(|e| e.starts_with("listings/loop.md:1:1: error: this include makes a cycle")), "{errors:#?}");
    assert!(
        errors.iter().any(|e| e.starts_with("content/a.md:7:1: error: `../../outside.md` is outside the book's folder")),
        "{errors:#?}"
    );
    assert!(!course.path().join("book").exists(), "nothing is written");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_book_is_not_followed() {
    let outside = TempDir::new("mdbook-outside");
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    let course = book(&[]).lesson("a.md", "# A\n\n```text\n{{#include ../listings/secret.txt}}\n```\n");
    std::fs::create_dir_all(course.path().join("listings")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), course.path().join("listings/secret.txt")).unwrap();
    let run = course.build();
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert!(
        run.errors().iter().any(|e| e.starts_with("content/a.md:4:1: error: `listings/secret.txt` leads outside the book's folder")),
        "{:#?}",
        run.errors()
    );
}

#[test]
fn hidden_lines_toggle_in_a_browser() {
    if !crate::browser::browser_ready() {
        return;
    }
    let (out, _) = built();
    let run = crate::node::run("hidden-lines.mjs", &[out.path(), Path::new("listings.html")]);
    assert!(run.status.success(), "{}\n{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
}

/// `serve`'s cache: a page keeps the files its includes read as dependencies,
/// so a changed listing re-parses the page that includes it, and only that one.
#[test]
fn a_changed_included_file_rebuilds_the_page_that_includes_it() {
    use coursegen::pipeline::memo::Memo;
    use coursegen::pipeline::site::{Tools, build_with};
    let mut input = coursegen::source::load::load(&fixture()).expect("load the fixture").input;
    let tools = Tools::default();
    let mut memo = Memo::default();
    build_with(&input, &tools, &mut memo).site.expect("builds");
    build_with(&input, &tools, &mut memo).site.expect("builds");
    assert_eq!(memo.stats.parsed, 0, "nothing changed: {:?}", memo.stats);
    let inner = input.outside.get_mut("listings/ch01/nested/inner.txt").expect("the nested include was read");
    *inner = "changed listing\n".into();
    let site = build_with(&input, &tools, &mut memo).site.expect("builds");
    assert_eq!(memo.stats.parsed, 1, "only listings.md, which includes it through part.md: {:?}", memo.stats);
    let html = String::from_utf8_lossy(&site.files["listings.html"]).into_owned();
    assert!(html.contains("changed listing"), "the page shows the new text");
}
