//! coursegen in place of mdbook-quiz, through real mdBook 0.5 and 0.4, on
//! tests/fixtures/mdbook-quiz (the layout of the Brown University Rust Book:
//! `quizzes/` beside `src/`, `[preprocessor.quiz]`).
//!
//! mdBook 0.5 is `mdbook` on PATH, as in mdbook.rs; mdBook 0.4 is the binary
//! named by `COURSEGEN_MDBOOK_04`, else `mdbook-0.4` on PATH (tests/run.sh
//! installs both). A missing one skips with a banner, or fails under
//! `COURSEGEN_BROWSER_TESTS=require`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::mdbook::{assert_same_trees, copy_dir, mdbook_build, path_with_coursegen, plain_book, ready};
use crate::support::{TempDir, repo_root, stderr, write_files};

/// mdBook 0.4's binary, when it can run here.
fn mdbook_04() -> Option<PathBuf> {
    let named = std::env::var_os("COURSEGEN_MDBOOK_04").map_or_else(|| PathBuf::from("mdbook-0.4"), PathBuf::from);
    let o = Command::new(&named).arg("--version").env("PATH", path_with_coursegen()).output();
    let ok = o.is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(" v0.4."));
    if !ok {
        assert!(
            std::env::var("COURSEGEN_BROWSER_TESTS").as_deref() != Ok("require"),
            "COURSEGEN_BROWSER_TESTS=require, but mdBook 0.4 cannot be run as {} (set COURSEGEN_MDBOOK_04; tests/run.sh installs it)",
            named.display()
        );
        eprintln!("!! MDBOOK 0.4 TESTS SKIPPED: {} does not run as mdBook 0.4", named.display());
    }
    ok.then_some(named)
}

fn mdbook_04_build(bin: &Path, book: &Path, out: &Path) -> Output {
    let mut c = Command::new(bin);
    c.arg("build").arg(book).arg("-d").arg(out).env("PATH", path_with_coursegen()).env_remove("RUST_LOG");
    c.output().expect("cannot run mdbook 0.4")
}

/// The fixture book copied into a new temporary folder.
fn fixture(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    copy_dir(&repo_root().join("tests/fixtures/mdbook-quiz"), dir.path());
    dir
}

/// The fixture built by mdBook 0.5, or by the 0.4 binary `v04`: the folder
/// (kept alive), the built book and mdBook's log.
fn built(name: &str, v04: Option<&Path>) -> (TempDir, PathBuf, String) {
    let dir = fixture(name);
    let out = dir.path().join("book");
    let o = match v04 {
        Some(bin) => mdbook_04_build(bin, dir.path(), &out),
        None => mdbook_build(dir.path(), &out),
    };
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, out, stderr(&o))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a built fixture book must show, whichever mdBook built it.
fn assert_quizzes_in_place(out: &Path, log: &str) {
    // Questions per chapter, as the quiz files have them.
    for (page, questions) in [("ch01-numbers.html", 3), ("ch01-01-borrowing.html", 3), ("ch02-designs.html", 3), ("ch03-cycles.html", 1)] {
        let html = read(&out.join(page));
        assert_eq!(html.matches("<section class=\"cg-quiz\"").count(), 1, "{page}");
        assert_eq!(html.matches("<li class=\"cg-question\"").count(), questions, "{page}");
        assert!(!html.contains("{{#quiz"), "{page} still shows the include");
        let quiz = &html[html.find("<section class=\"cg-quiz\"").unwrap()..];
        let quiz = &quiz[..quiz.find("</section>").unwrap()];
        assert!(!quiz.contains("playground") && !quiz.contains("language-rust"), "{page}: our code became a playground snippet");
        assert!(!quiz.contains("fn main() {\n# ") && !quiz.contains("#![allow(unused)]"), "{page}: mdBook wrapped our code");
    }
    let numbers = read(&out.join("ch01-numbers.html"));
    assert!(numbers.contains("2<sup>127</sup> - 1"), "mdbook-quiz renders the formatting tags of its text as HTML");
    let designs = read(&out.join("ch02-designs.html"));
    assert_eq!(designs.matches("You are designing a serialization library").count(), 1, "a multipart context is shown once");
    assert!(!read(&out.join("foreword.html")).contains("coursegen"), "a chapter without blocks carries nothing of ours");
    let has_toml = walkdir::WalkDir::new(out).into_iter().flatten().any(|e| e.path().extension().is_some_and(|x| x == "toml"));
    assert!(!has_toml, "quiz files are not published");
    assert!(log.contains("`fullscreen` is not supported"), "{log}");
    assert!(!log.contains("`cache-answers`") && !log.contains("error"), "{log}");
}

/// print.html: every quiz once, ids and radio groups unique across chapters.
fn assert_print_page(out: &Path) {
    let print = read(&out.join("print.html"));
    assert_eq!(print.matches("<section class=\"cg-quiz\"").count(), 4);
    let ids: Vec<&str> = print.split(" id=\"quiz-").skip(1).filter_map(|s| s.split('"').next()).collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "a quiz id repeats in print.html: {ids:?}");
    // mdBook 0.5 renames repeated ids on this page, but not radio groups' names.
    let groups: std::collections::BTreeSet<&str> = print.split(" name=\"quiz-").skip(1).filter_map(|s| s.split('"').next()).collect();
    let choices = print.matches("data-kind=\"choice\"").count();
    assert_eq!(groups.len(), choices, "radio groups of different chapters joined: {groups:?}");
    // Each copy of a script runs only if no copy ran before it on the page.
    let copies = print.matches("/* coursegen: js/quiz.js */\nif (!window.coursegenRan[\"js/quiz.js\"]) {").count();
    assert_eq!(copies, 4, "every chapter page keeps its own copy, guarded");
}

#[test]
fn mdbook_quiz_book_builds_with_every_quiz_in_place_on_mdbook_05() {
    if !ready(false) {
        return;
    }
    let (_dir, out, log) = built("mdquiz-05", None);
    assert_quizzes_in_place(&out, &log);
    assert_print_page(&out);
}

#[test]
fn mdbook_quiz_book_builds_with_every_quiz_in_place_on_mdbook_04() {
    let Some(bin) = mdbook_04() else { return };
    let (_dir, out, log) = built("mdquiz-04", Some(&bin));
    assert_quizzes_in_place(&out, &log);
    assert_print_page(&out);
}

#[test]
fn quiz_paths_leaving_the_book_are_located_errors() {
    if !ready(false) {
        return;
    }
    let outside = TempDir::new("mdquiz-outside");
    write_files(
        outside.path(),
        &[("secret.toml", b"[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"x\"\nanswer.answer = \"y\"\n")],
    );
    let dir = fixture("mdquiz-leave");
    let secret = outside.path().join("secret.toml");
    std::os::unix::fs::symlink(&secret, dir.path().join("quizzes/linked.toml")).expect("symlink");
    let text =
        format!("# Out\n\n{{{{#quiz ../../x.toml}}}}\n\n{{{{#quiz {}}}}}\n\n{{{{#quiz ../quizzes/linked.toml}}}}\n", secret.display());
    write_files(dir.path(), &[("src/ch03-cycles.md", text.as_bytes())]);
    let o = mdbook_build(dir.path(), &dir.path().join("book"));
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("src/ch03-cycles.md:3:9: error: `../../x.toml` points outside the book's folder"), "{err}");
    assert!(err.contains(&format!("src/ch03-cycles.md:5:9: error: `{}` is an absolute path", secret.display())), "{err}");
    assert!(err.contains("quizzes/linked.toml: error: symbolic link leads outside the course folder"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn book_without_our_blocks_is_byte_identical_on_mdbook_04() {
    let Some(bin) = mdbook_04() else { return };
    let (with, without) = (TempDir::new("mdbook04-with"), TempDir::new("mdbook04-without"));
    plain_book(with.path(), 30, true);
    plain_book(without.path(), 30, false);
    let (a, b) = (with.path().join("book"), without.path().join("book"));
    for (book, out) in [(with.path(), &a), (without.path(), &b)] {
        let o = mdbook_04_build(&bin, book, out);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_same_trees(&a, &b, 30);
}

#[test]
fn print_page_gives_each_question_one_set_of_controls_in_chromium() {
    if !ready(true) {
        return;
    }
    let (_dir, out, _) = built("mdquiz-print", None);
    let args: Vec<&Path> = vec![&out, Path::new("--print"), Path::new("ch01-numbers.html")];
    let o = crate::node::run("mdbook.mjs", &args);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "node tests/browser/mdbook.mjs --print failed:\n{stdout}\n{}", stderr(&o));
    print!("{stdout}");
}
