//! The mdBook preprocessor (`coursegen mdbook`): the protocol on its own, then
//! against a real mdBook 0.5 (`mdbook` on PATH) and, in Chromium, mdBook's page.
//!
//! The real-mdBook tests need `mdbook` 0.5 on PATH; `bash tests/run.sh` installs
//! it. Without it they are skipped with a banner, unless
//! `COURSEGEN_BROWSER_TESTS=require` (set by tests/run.sh, hence CI) makes that
//! a failure. mdBook finds `coursegen` because the tests put the folder of the
//! binary under test first on its PATH.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;

use crate::support::{TempDir, repo_root, stderr, write_files};

static SKIP_BANNER: Once = Once::new();

/// PATH with the folder of the `coursegen` under test first.
pub(crate) fn path_with_coursegen() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_coursegen")).parent().expect("binary has a folder").to_path_buf();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).expect("PATH is joinable")
}

/// Why these tests cannot run here, or `None`.
fn missing(browser: bool) -> Option<String> {
    let version = Command::new("mdbook").arg("--version").env("PATH", path_with_coursegen()).output();
    match version {
        Ok(o) if o.status.success() && String::from_utf8_lossy(&o.stdout).contains(" v0.5.") => {}
        Ok(o) => return Some(format!("`mdbook --version` says {:?}, not 0.5", String::from_utf8_lossy(&o.stdout).trim())),
        Err(e) => return Some(format!("`mdbook` cannot be run: {e} (cargo install mdbook --locked --version ^0.5)")),
    }
    if browser {
        if !Path::new("/usr/bin/chromium").is_file() {
            return Some("/usr/bin/chromium does not exist".into());
        }
        if !repo_root().join("tests/browser/node_modules/playwright-core").is_dir() {
            return Some("tests/browser/node_modules/playwright-core does not exist (npm ci)".into());
        }
    }
    None
}

/// True when the test can go on; a skip banner or (when required) a panic otherwise.
pub(crate) fn ready(browser: bool) -> bool {
    let Some(why) = missing(browser) else { return true };
    assert!(
        std::env::var("COURSEGEN_BROWSER_TESTS").as_deref() != Ok("require"),
        "COURSEGEN_BROWSER_TESTS=require, but the mdBook tests cannot run: {why}\n`bash tests/run.sh` installs mdBook."
    );
    SKIP_BANNER.call_once(|| {
        let line = "!".repeat(72);
        let _ = writeln!(
            std::io::stderr(),
            "\n{line}\n!! MDBOOK TESTS SKIPPED: {why}\n!! They pass here without having run. `bash tests/run.sh` installs mdBook.\n{line}\n"
        );
    });
    false
}

/// `mdbook build <book> -d <out>` with our binary on PATH.
pub(crate) fn mdbook_build(book: &Path, out: &Path) -> Output {
    Command::new("mdbook")
        .arg("build")
        .arg(book)
        .arg("-d")
        .arg(out)
        .env("PATH", path_with_coursegen())
        .env_remove("RUST_LOG")
        .output()
        .expect("cannot run mdbook")
}

use crate::support::preprocess;

#[test]
fn supports_only_the_html_renderer() {
    assert!(preprocess(b"", &["supports", "html"]).status.success());
    for other in ["markdown", "latex", "epub"] {
        assert!(!preprocess(b"", &["supports", other]).status.success(), "{other}");
    }
}

#[test]
fn malformed_json_is_a_clear_error_with_exit_1() {
    let o = preprocess(b"[{\"root\": ", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "stdout is the protocol: nothing may be written there on failure");
    assert!(stderr(&o).contains("coursegen: error: stdin is not the `[context, book]` JSON"), "{}", stderr(&o));
}

#[test]
fn mdbook_04_book_comes_back_in_04_shape() {
    let input = br#"[{"root":"/x","config":{"book":{"src":"src"},"preprocessor":{"coursegen":{"command":"coursegen mdbook"}}},"renderer":"html","mdbook_version":"0.4.52"},{"sections":[{"Chapter":{"name":"A","content":"---\ntitle: A\n---\n# A\n\n```flow\nStart\nEnd\n```\n","number":[1],"sub_items":[],"path":"a.md","source_path":"a.md","parent_names":[]}},"Separator"],"__non_exhaustive":null}]"#;
    let o = preprocess(input, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let book: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert!(book.get("items").is_none());
    assert_eq!(book["sections"][1], "Separator");
    let content = book["sections"][0]["Chapter"]["content"].as_str().unwrap();
    assert!(content.starts_with("# A\n\n<figure class=\"cg-flow\""), "{content}");
    assert!(o.stderr.is_empty(), "a clean run says nothing: {}", stderr(&o));
}

/// The example course (book.toml + content/ at the repository root) in a temp
/// folder, with `after` set as the guide tells users to.
fn example_book(dir: &Path) {
    let toml = std::fs::read_to_string(repo_root().join("book.toml")).expect("book.toml");
    let toml = if toml.contains("after =") {
        toml
    } else {
        toml.replace("command = \"coursegen mdbook\"", "command = \"coursegen mdbook\"\nafter = [\"links\", \"index\"]")
    };
    std::fs::write(dir.join("book.toml"), toml).expect("write book.toml");
    copy_dir(&repo_root().join("content"), &dir.join("content"));
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).expect("under from");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Builds the book in `dir` (see [`example_book`]) with mdBook into
/// `<dir>/book`; returns that folder.
fn build_example_with_mdbook(dir: &Path) -> PathBuf {
    let out = dir.join("book");
    let o = mdbook_build(dir, &out);
    assert!(o.status.success(), "mdbook build failed:\n{}", stderr(&o));
    out
}

#[test]
fn example_course_builds_with_real_mdbook() {
    if !ready(false) {
        return;
    }
    let dir = TempDir::new("mdbook-example");
    example_book(dir.path());
    let before = sources(dir.path());
    let out = build_example_with_mdbook(dir.path());
    // mdbook serve rebuilds whenever a file under the book changes: a
    // preprocessor that writes there (assets, caches) starts a rebuild loop.
    assert_eq!(sources(dir.path()), before, "the preprocessor wrote to the book's folder");
    let page = std::fs::read_to_string(out.join("flask/secret-key.html")).expect("chapter page");
    for needle in [
        "class=\"cg-flow\"",
        "class=\"cg-steps\"",
        "id=\"step-2\"",
        "class=\"cg-quiz\"",
        "<style class=\"coursegen\">",
        "/* coursegen: css/flow.css */",
    ] {
        assert!(page.contains(needle), "{needle} missing from mdBook's page");
    }
    // Our stylesheet's comments may quote block names: look at the chapter only.
    let chapter = page.split("<style class=\"coursegen\">").next().unwrap_or_default();
    for leftover in ["```steps", "```flow", "```quiz", "minutes:"] {
        assert!(!chapter.contains(leftover), "{leftover} reached mdBook's page");
    }
    let quiz_page = std::fs::read_to_string(out.join("flask/secret-key-quiz.html")).expect("quiz page");
    assert!(!quiz_page.contains("{{#quiz"), "the included quiz file was not expanded");
    assert_eq!(quiz_page.matches("<section class=\"cg-quiz\"").count(), count_quizzes("content/flask/secret-key-quiz.md"));
}

/// Every file of the book outside its output folder, with size and mtime
/// (folders are left out: creating the output folder touches the root).
fn sources(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "book")
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().expect("metadata");
            (e.path().to_path_buf(), m.len(), m.modified().expect("mtime"))
        })
        .collect()
}

/// Quiz blocks and quiz includes in a source file of the example course.
fn count_quizzes(rel: &str) -> usize {
    let text = std::fs::read_to_string(repo_root().join(rel)).expect("source");
    text.lines().filter(|l| l.starts_with("```quiz") || l.trim_start().starts_with("{{#quiz ")).count()
}

#[test]
fn chapter_error_names_the_file_and_line_and_stops_mdbook() {
    if !ready(false) {
        return;
    }
    let dir = TempDir::new("mdbook-error");
    write_files(
        dir.path(),
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"E\"\n\n[preprocessor.coursegen]\ncommand = \"coursegen mdbook\"\nafter = [\"links\", \"index\"]\n",
            ),
            ("src/SUMMARY.md", b"# Summary\n\n- [Ok](ok.md)\n- [Bad](part/bad.md)\n"),
            ("src/ok.md", b"# Ok\n"),
            ("src/part/bad.md", b"# Bad\n\nText.\n\n```quiz\n- prompt: Which?\n  options: [a, b]\n  answr: A\n```\n"),
        ],
    );
    let o = mdbook_build(dir.path(), &dir.path().join("book"));
    assert!(!o.status.success(), "mdbook build succeeded with a broken quiz");
    let err = stderr(&o);
    assert!(err.contains("src/part/bad.md:8:3: error"), "{err}");
    assert!(err.contains("did you mean `answer`?"), "{err}");
    assert!(!dir.path().join("book/part/bad.html").exists(), "mdBook wrote pages after a failed preprocessor");
}

/// A book of `n` chapters using most of Markdown and mdBook (includes, HTML,
/// tables, footnotes, code of several languages, nested chapters, `---` at the
/// top) and none of our blocks.
pub(crate) fn plain_book(dir: &Path, n: usize, with_coursegen: bool) {
    let mut summary = String::from("# Summary\n\n[Intro](intro.md)\n\n# Part one\n\n");
    let mut files: Vec<(String, String)> = vec![
        ("intro.md".into(), "# Intro\n\nNo front matter here --- just a thematic break:\n\n---\n\nDone.\n".into()),
        ("shared/snippet.rs".into(), "fn shared() -> u32 {\n    42\n}\n".into()),
    ];
    for i in 0..n {
        let indent = if i % 5 == 0 { "" } else { "  " };
        summary.push_str(&format!("{indent}- [Chapter {i}](ch{i}/page.md)\n"));
        // A chapter may open with a thematic break or another tool's front
        // matter: mdBook shows both as Markdown, and so must we.
        let opening = match i % 13 {
            3 => "---\n\n",
            7 => "---\ntags: [intro, basics]\n---\n",
            _ => "",
        };
        let text = format!(
            "{opening}# Chapter {i}\n\nSome *emphasis*, **strong**, `code`, ~~gone~~ and a [link](../intro.md#intro).\n\n\
             | a | b |\n|---|:-:|\n| {i} | x |\n\n- [ ] task\n- [x] done\n\n> [!NOTE]\n> A note {i}.[^f]\n\n[^f]: Footnote.\n\n\
             ```rust\n{{{{#include ../shared/snippet.rs}}}}\n```\n\n```python id=x{i} title=\"t\"\nprint({i})\n```\n\n\
             ```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n\n<div class=\"raw\">raw <b>html</b></div>\n\n  indented code\n\n\
             Term with trailing spaces  \nand a hard break.\r\nCRLF line.\n{}",
            if i % 7 == 0 { "\nNo newline at the end." } else { "" }
        );
        files.push((format!("ch{i}/page.md"), text));
    }
    files.push(("SUMMARY.md".into(), summary));
    let mut toml = String::from("[book]\ntitle = \"Plain\"\nlanguage = \"en\"\n");
    if with_coursegen {
        toml.push_str("\n[preprocessor.coursegen]\ncommand = \"coursegen mdbook\"\nafter = [\"links\", \"index\"]\n");
    }
    std::fs::write(dir.join("book.toml"), toml).expect("book.toml");
    for (rel, text) in files {
        write_files(&dir.join("src"), &[(rel.as_str(), text.as_bytes())]);
    }
}

/// Every file under `dir`, by relative path.
pub(crate) fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).expect("under dir").to_path_buf(), std::fs::read(e.path()).expect("read")))
        .collect()
}

#[test]
fn book_without_our_blocks_is_byte_identical_with_and_without_coursegen() {
    if !ready(false) {
        return;
    }
    let (with, without) = (TempDir::new("mdbook-with"), TempDir::new("mdbook-without"));
    plain_book(with.path(), 120, true);
    plain_book(without.path(), 120, false);
    let (a, b) = (with.path().join("book"), without.path().join("book"));
    let o = mdbook_build(with.path(), &a);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mdbook_build(without.path(), &b);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_same_trees(&a, &b, 120);
}

/// The two built books `a` (with the preprocessor) and `b` (without) hold the
/// same files, byte for byte, and more than `min` of them.
pub(crate) fn assert_same_trees(a: &Path, b: &Path, min: usize) {
    let (a, b) = (tree(a), tree(b));
    assert!(a.len() > min, "only {} files were built", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs with the preprocessor", path.display());
    }
}

#[test]
fn byte_identity_check_can_fail() {
    // The same comparison must notice a chapter that does change: one block.
    if !ready(false) {
        return;
    }
    let (with, without) = (TempDir::new("mdbook-with1"), TempDir::new("mdbook-without1"));
    plain_book(with.path(), 3, true);
    plain_book(without.path(), 3, false);
    for d in [with.path(), without.path()] {
        let page = d.join("src/ch1/page.md");
        let text = std::fs::read_to_string(&page).expect("page");
        std::fs::write(&page, format!("{text}\n\n```flow\nStart\nEnd\n```\n")).expect("write");
    }
    assert!(mdbook_build(with.path(), &with.path().join("book")).status.success());
    assert!(mdbook_build(without.path(), &without.path().join("book")).status.success());
    let (a, b) = (tree(&with.path().join("book")), tree(&without.path().join("book")));
    let differ: Vec<_> = a.iter().filter(|(p, bytes)| b.get(*p) != Some(*bytes)).map(|(p, _)| p.clone()).collect();
    // Every page names the search index by its hash, so all pages differ; the
    // chapter itself must be among them.
    assert!(differ.contains(&PathBuf::from("ch1/page.html")), "{differ:?}");
}

#[test]
fn blocks_work_in_mdbook_page_in_every_theme() {
    if !ready(true) {
        return;
    }
    let dir = TempDir::new("mdbook-browser");
    example_book(dir.path());
    let out = build_example_with_mdbook(dir.path());
    let o = crate::node::run("mdbook.mjs", &[&out]);
    assert!(
        o.status.success(),
        "node tests/browser/mdbook.mjs failed ({}):\n{}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    print!("{}", String::from_utf8_lossy(&o.stdout));
}

/// Runs `tests/browser/mdbook.mjs <book> <args>` in the shared browser runner.
fn browser_check(book: &Path, args: &[&str]) -> Output {
    let args: Vec<&Path> = std::iter::once(book).chain(args.iter().map(Path::new)).collect();
    crate::node::run("mdbook.mjs", &args)
}

#[test]
fn browser_check_rejects_the_example_built_without_coursegen() {
    if !ready(true) {
        return;
    }
    let dir = TempDir::new("mdbook-without-coursegen");
    example_book(dir.path());
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).expect("book.toml");
    let toml = toml.split("[preprocessor.coursegen]").next().expect("text before the table").to_string();
    std::fs::write(dir.path().join("book.toml"), toml).expect("write book.toml");
    let o = mdbook_build(dir.path(), &dir.path().join("book"));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = browser_check(&dir.path().join("book"), &[]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{}", stderr(&o));
    assert!(stdout.contains("PROBLEM light: <style class=\"coursegen\"> is not on the page"), "{stdout}");
    assert!(stdout.contains("no quiz on the quiz page"), "{stdout}");
}

/// What `flow::render` draws, in miniature: an SVG with the camelCase
/// attributes mdBook 0.5 writes in lowercase.
const SVG_CHAPTER: &str = "# Diagram\n\n<figure class=\"cg-flow\" id=\"flow-1\"><svg class=\"cg-flow-svg\" viewBox=\"0 0 200 100\" width=\"200\" height=\"100\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"d\"><defs><marker id=\"m\" markerWidth=\"10\" markerHeight=\"10\" refX=\"5\" refY=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10z\"/></marker></defs><rect x=\"10\" y=\"10\" width=\"80\" height=\"40\" rx=\"6\"/><text x=\"20\" y=\"35\" textLength=\"50\">Start</text><path d=\"M50 50 L50 90\" marker-end=\"url(#m)\" stroke=\"black\"/></svg></figure>\n";

#[test]
fn svg_attributes_mdbook_lowercases_still_draw_in_chromium() {
    if !ready(true) {
        return;
    }
    let dir = TempDir::new("mdbook-svg");
    write_files(
        dir.path(),
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"S\"\n\n[preprocessor.coursegen]\ncommand = \"coursegen mdbook\"\nafter = [\"links\", \"index\"]\n",
            ),
            ("src/SUMMARY.md", b"# Summary\n\n- [Diagram](a.md)\n"),
            ("src/a.md", SVG_CHAPTER.as_bytes()),
        ],
    );
    let book = dir.path().join("book");
    let o = mdbook_build(dir.path(), &book);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(book.join("a.html")).expect("page");
    if !html.contains("viewbox=") {
        println!("note: this mdBook keeps SVG attribute case; the check below still applies");
    }
    let o = browser_check(&book, &["--svg", "a.html"]);
    assert!(o.status.success(), "{}\n{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    // And the check notices a page without a diagram.
    let o = browser_check(&book, &["--svg", "404.html"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn every_format_example_builds_through_mdbook_as_written() {
    // FORMAT.md: "Every example on this page must build exactly as written, in
    // `coursegen build` and through the mdBook preprocessor" (its book.toml too,
    // which has no `after`).
    if !ready(false) {
        return;
    }
    let text = crate::format::format_md();
    let book = crate::format::examples(&text, "```", "toml");
    let front = crate::format::examples(&text, "```", "markdown");
    let blocks = crate::format::examples(&text, "````", "markdown");
    assert!(book.len() == 1 && front.len() == 1 && blocks.len() >= 7, "FORMAT.md's examples changed shape");
    let lesson = format!("{}\n{}", front[0], blocks.join("\n"));
    let extra = "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"What is 1 + 1?\"\nprompt.distractors = [\"1\", \"3\"]\nanswer.answer = [\"2\"]\ncontext = \"Arithmetic.\"\n";
    let dir = TempDir::new("mdbook-format");
    write_files(
        dir.path(),
        &[
            ("book.toml", book[0].as_bytes()),
            ("content/SUMMARY.md", b"- [Secret key](flask/secret-key.md)\n- [Quiz](flask/secret-key-quiz.md)\n"),
            ("content/flask/secret-key.md", lesson.as_bytes()),
            ("content/flask/secret-key-quiz.md", b"# Quiz\n\n{{#quiz ../quizzes/extra.toml}}\n"),
            ("content/quizzes/extra.toml", extra.as_bytes()),
        ],
    );
    let o = mdbook_build(dir.path(), &dir.path().join("book"));
    assert!(o.status.success(), "FORMAT.md's examples must build through mdBook:\n{}", stderr(&o));
    assert!(!stderr(&o).contains("coursegen:") && !stderr(&o).contains("WARN"), "and without warnings:\n{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("book/flask/secret-key.html")).expect("page");
    for must in crate::format::RENDERED {
        assert!(html.contains(must), "the examples render {must}");
    }
    assert_eq!(html.matches("class=\"cg-flow\"").count(), 2, "both flow examples are drawn");
    let quiz = std::fs::read_to_string(dir.path().join("book/flask/secret-key-quiz.html")).expect("quiz page");
    assert!(quiz.contains("What is 1 + 1?") && !quiz.contains("{{#quiz"), "the quiz file is included");
}

#[test]
fn quiz_file_error_names_the_toml_file_and_shows_the_line() {
    if !ready(false) {
        return;
    }
    let dir = TempDir::new("mdbook-toml-error");
    write_files(
        dir.path(),
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"E\"\n\n[preprocessor.coursegen]\ncommand = \"coursegen mdbook\"\nafter = [\"links\", \"index\"]\n",
            ),
            ("src/SUMMARY.md", b"# Summary\n\n- [Quiz](ch/quiz.md)\n"),
            ("src/ch/quiz.md", b"# Quiz\n\n{{#quiz ../quizzes/q.toml}}\n"),
            ("src/quizzes/q.toml", b"[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"Say hi\"\nanswer.answer = \n"),
        ],
    );
    let o = mdbook_build(dir.path(), &dir.path().join("book"));
    assert!(!o.status.success(), "mdbook build succeeded with a broken quiz file");
    let err = stderr(&o);
    assert!(err.contains("src/quizzes/q.toml:4:"), "{err}");
    assert!(err.contains("4 | answer.answer ="), "the line is shown: {err}");
}
