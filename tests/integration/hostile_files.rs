//! Hostile files in a course (issues 15 and 23): links out of the course
//! folder, link loops, pipes, odd encodings and line ends, oversize and deeply
//! nested files. Each case runs the real binary and checks the exit status,
//! the located message, that nothing panicked, and for `build` that the
//! previous output is left byte for byte as it was.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use crate::support::{TempDir, stderr, write_files};

const BOOK: &str = "[book]\ntitle = \"Hostile\"\nsrc = \"content\"\n";
const SUMMARY: &str = "# Hostile\n\n- [A](a.md)\n- [B](b.md)\n";
const PAGE_A: &str = "---\ntitle: Front matter title\nminutes: 5\n---\n\n# A\n\n```python id=s\nx = 1\ny = 2\n```\n\n```steps code=s\nsteps:\n  - cells: [Set x, \"1\", x bound]\n    line: 1\n    set: {x: \"1\"}\n  - [Set y, \"2\", y bound]\n```\n\n```quiz\n- prompt: What is `x` after [step 1](#step-1)?\n  options: [\"1\", \"2\"]\n  answer: A\n```\n\n{{#quiz quizzes/q.toml}}\n";
const PAGE_B: &str = "# B\n\nPlain text.\n";
const QUIZ_TOML: &str =
    "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"\"\"\nKeyword?\nTwo lines.\n\"\"\"\nanswer.answer = \"let\"\n";

/// Rewrites a text file's contents (to CRLF line ends, say).
type Convert<'a> = &'a dyn Fn(&str) -> String;

/// The course every case starts from, its text files passed through `convert`.
fn write_course(dir: &Path, convert: Convert<'_>) {
    let files = [
        ("book.toml", BOOK),
        ("content/SUMMARY.md", SUMMARY),
        ("content/a.md", PAGE_A),
        ("content/b.md", PAGE_B),
        ("content/quizzes/q.toml", QUIZ_TOML),
    ];
    for (rel, text) in files {
        write_files(dir, &[(rel, convert(text).as_bytes())]);
    }
}

fn course(label: &str) -> TempDir {
    let dir = TempDir::new(label);
    write_course(dir.path(), &|t| t.to_string());
    dir
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base").to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Builds the course at `dir`, which must succeed; its output tree.
fn built(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let o = crate::support::coursegen_bounded(dir, &["build"]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    tree(&dir.join("book"))
}

/// Builds again, which must fail with exit status 1, printing each of
/// `wanted`, without a panic, leaving the output as `before`. Its stderr.
fn fails_keeping_output(dir: &Path, before: &BTreeMap<String, Vec<u8>>, wanted: &[&str]) -> String {
    let o = crate::support::coursegen_bounded(dir, &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in wanted {
        assert!(err.contains(w), "missing {w:?} in:\n{err}");
    }
    assert!(tree(&dir.join("book")) == *before, "the previous output changed:\n{err}");
    err
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).expect("read");
    old.push_str(text);
    std::fs::write(path, old).expect("write");
}

#[test]
fn links_out_of_the_course_are_refused_in_one_run() {
    let dir = course("links-out");
    let before = built(dir.path());
    let outside = TempDir::new("outside");
    write_files(
        outside.path(),
        &[
            ("secret.md", b"# Secret\n\nTOP-SECRET\n"),
            ("q.toml", QUIZ_TOML.replace("let", "TOP-SECRET").as_bytes()),
            ("dir/x.png", b"TOP-SECRET"),
        ],
    );
    let content = dir.path().join("content");
    // A chapter named in SUMMARY.md, a quiz file a page includes, a folder, a
    // file at the top of the source folder.
    symlink(outside.path().join("secret.md"), content.join("leak.md")).expect("link");
    symlink(outside.path().join("q.toml"), content.join("quizzes/leak.toml")).expect("link");
    symlink(outside.path().join("dir"), content.join("images")).expect("link");
    symlink(outside.path().join("dir/x.png"), content.join("x.png")).expect("link");
    append(&content.join("SUMMARY.md"), "- [Leak](leak.md)\n");
    append(&content.join("b.md"), "\n{{#quiz quizzes/leak.toml}}\n");
    let err = fails_keeping_output(
        dir.path(),
        &before,
        &[
            "content/leak.md: error: symbolic link leads outside the course folder, to `",
            "content/quizzes/leak.toml: error: symbolic link leads outside the course folder",
            "content/images: error: symbolic link leads outside the course folder",
            "content/x.png: error: symbolic link leads outside the course folder",
            "hint: coursegen reads only files inside the course folder",
        ],
    );
    assert!(!err.contains("TOP-SECRET"), "{err}");
    assert!(!err.contains("chapter file `leak.md` not found"), "the link is reported, not a missing chapter:\n{err}");
    // `check` reads the course the same way.
    let o = crate::support::coursegen_bounded(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("content/leak.md: error: symbolic link leads outside"), "{}", stderr(&o));
}

#[test]
fn the_source_folder_and_the_theme_must_be_inside_the_course() {
    let dir = course("folders-out");
    let before = built(dir.path());
    let outside = TempDir::new("outside-folders");
    write_course(outside.path(), &|t| t.replace("Plain text.", "TOP-SECRET"));
    write_files(outside.path(), &[("theme/page.html", b"TOP-SECRET {{ page.title }}")]);
    let elsewhere = outside.path().join("content");
    let book = dir.path().join("book.toml");

    std::fs::write(&book, format!("[book]\ntitle = \"Hostile\"\nsrc = \"{}\"\n", elsewhere.display())).expect("write");
    fails_keeping_output(
        dir.path(),
        &before,
        &["book.toml:3:1: error: source folder `", "outside the course folder", "= hint: `src` names a folder inside"],
    );

    std::fs::write(&book, BOOK).expect("write");
    std::fs::rename(dir.path().join("content"), dir.path().join("mine")).expect("rename");
    symlink(&elsewhere, dir.path().join("content")).expect("link");
    fails_keeping_output(dir.path(), &before, &["book.toml:3:1: error: source folder `content` leads outside the course folder, to `"]);

    std::fs::remove_file(dir.path().join("content")).expect("unlink");
    std::fs::rename(dir.path().join("mine"), dir.path().join("content")).expect("rename");
    std::fs::create_dir(dir.path().join("themes")).expect("mkdir");
    symlink(outside.path().join("theme"), dir.path().join("themes/mine")).expect("link");
    std::fs::write(&book, format!("{BOOK}\n[preprocessor.coursegen]\ntheme = \"mine\"\n")).expect("write");
    fails_keeping_output(dir.path(), &before, &["book.toml:6:1: error: theme folder `themes/mine` leads outside the course folder"]);

    std::fs::write(&book, BOOK).expect("write");
    std::fs::rename(&book, outside.path().join("book.toml")).expect("move");
    symlink(outside.path().join("book.toml"), &book).expect("link");
    fails_keeping_output(dir.path(), &before, &["book.toml: error: symbolic link leads outside the course folder"]);
}

#[test]
fn links_that_stay_inside_the_course_are_followed() {
    let dir = course("links-in");
    write_files(dir.path(), &[("shared/pic.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]);
    let content = dir.path().join("content");
    symlink("../shared", content.join("shared")).expect("link");
    symlink("b.md", content.join("alias.md")).expect("link");
    append(&content.join("SUMMARY.md"), "- [Alias](alias.md)\n");
    let out = built(dir.path());
    assert_eq!(out.get("shared/pic.svg").map(Vec::as_slice), Some(&b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..]));
    assert!(out.get("alias.html").is_some_and(|h| String::from_utf8_lossy(h).contains("Plain text.")), "{:?}", out.keys());
}

#[test]
fn link_loops_and_dangling_links_are_errors_in_one_run() {
    let dir = course("link-loops");
    let before = built(dir.path());
    let content = dir.path().join("content");
    symlink(".", content.join("here")).expect("link");
    symlink("..", content.join("up")).expect("link");
    symlink("self.md", content.join("self.md")).expect("link");
    symlink("missing.md", content.join("gone.md")).expect("link");
    fails_keeping_output(
        dir.path(),
        &before,
        &[
            "content/here: error: symbolic link loops back to `",
            "content/up: error: symbolic link loops back to `",
            "content/self.md: error: cannot follow this symbolic link",
            "content/gone.md: error: cannot follow this symbolic link",
            "coursegen: 4 errors",
        ],
    );
}

#[test]
fn a_named_pipe_is_skipped_with_a_warning_not_waited_for() {
    let dir = course("fifo");
    let made = Command::new("mkfifo").arg(dir.path().join("content/pipe.md")).status().expect("mkfifo");
    assert!(made.success());
    let o = crate::support::coursegen_bounded(dir.path(), &["build"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("content/pipe.md: warning: not a regular file (a named pipe, socket or device): skipped"), "{err}");
}

#[test]
fn crlf_cr_and_a_byte_order_mark_build_exactly_like_lf() {
    let lf = course("lf");
    let want = built(lf.path());
    let forms: [(&str, Convert<'_>); 4] = [
        ("crlf", &|t| t.replace('\n', "\r\n")),
        ("cr", &|t| t.replace('\n', "\r")),
        ("bom", &|t| format!("\u{feff}{t}")),
        ("bom-crlf", &|t| format!("\u{feff}{}", t.replace('\n', "\r\n"))),
    ];
    for (label, convert) in forms {
        let dir = TempDir::new(label);
        write_course(dir.path(), convert);
        let got = built(dir.path());
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{label}");
        for (path, bytes) in &want {
            assert!(got[path] == *bytes, "{label}: {path} differs from the LF build");
        }
    }
}

#[test]
fn every_problem_of_every_file_is_reported_in_one_run() {
    let dir = course("all-problems");
    let before = built(dir.path());
    let content = dir.path().join("content");
    let mut summary = SUMMARY.to_string();
    for page in ["utf8", "nul", "surrogate", "big", "folder"] {
        summary.push_str(&format!("- [{page}]({page}.md)\n"));
    }
    write_files(
        &content,
        &[
            ("SUMMARY.md", summary.as_bytes()),
            ("utf8.md", b"# U\n\nfine\nbad \xc3\x28 byte\n"),
            ("nul.md", b"# N\n\nA NUL \0 in prose.\n\n```quiz\n- prompt: \"n\0ul\"\n  answer: yes\n```\n"),
            ("surrogate.md", b"# S\n\n```quiz\n- prompt: \"lone \\ud800 half\"\n  answer: yes\n```\n"),
            ("big.md", &[b'x'; 2048]),
        ],
    );
    symlink("nowhere.md", content.join("dangling.md")).expect("link");
    std::fs::create_dir(content.join("folder.md")).expect("mkdir");
    append(&dir.path().join("book.toml"), "[preprocessor.coursegen]\nmax-file-size = 1024\n");
    fails_keeping_output(
        dir.path(),
        &before,
        &[
            "content/utf8.md:4:5: error: invalid UTF-8 at byte 14",
            "content/nul.md:6:13: error: ",
            "content/surrogate.md:4:11: error: ",
            "high surrogate",
            "content/big.md: error: file is 2048 bytes, over the limit of 1024 bytes",
            "content/dangling.md: error: cannot follow this symbolic link",
            "error: chapter file `folder.md` not found",
            "coursegen: 6 errors",
        ],
    );
}

#[test]
fn book_toml_has_a_size_limit() {
    let dir = course("big-book-toml");
    let before = built(dir.path());
    let padding = format!("# {}\n", "x".repeat(coursegen::source::load::MAX_BOOK_TOML as usize));
    append(&dir.path().join("book.toml"), &padding);
    fails_keeping_output(dir.path(), &before, &["book.toml: error: book.toml is over the limit of 1048576 bytes"]);
}

/// A SUMMARY.md with `levels` chapters, each under the one before, and their pages.
fn nested_course(dir: &Path, levels: usize) {
    let summary: String = (0..levels).map(|i| format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i))).collect();
    write_files(dir, &[("content/SUMMARY.md", summary.as_bytes())]);
    for i in 0..levels {
        write_files(dir, &[(&format!("content/c{i}.md"), format!("# C{i}\n").as_bytes())]);
    }
}

#[test]
fn summary_nesting_has_a_limit_the_theme_can_draw() {
    let dir = TempDir::new("nesting");
    write_files(dir.path(), &[("book.toml", BOOK.as_bytes())]);
    nested_course(dir.path(), coursegen::parse::summary::MAX_NESTING);
    let before = built(dir.path());
    nested_course(dir.path(), 40);
    let err = fails_keeping_output(
        dir.path(),
        &before,
        &["content/SUMMARY.md:17:41: error: chapter nested more than 16 levels deep", "hint: indent it less", "coursegen: 1 error"],
    );
    assert!(!err.contains("template"), "{err}");
}

/// The mdBook front-end reads quiz files through the same walk as `build`.
#[test]
fn mdbook_quiz_includes_refuse_links_out_of_the_book() {
    let dir = course("mdbook-links");
    let outside = TempDir::new("mdbook-outside");
    write_files(outside.path(), &[("q.toml", QUIZ_TOML.replace("let", "TOP-SECRET").as_bytes())]);
    symlink(outside.path().join("q.toml"), dir.path().join("content/quizzes/leak.toml")).expect("link");
    let root = serde_json::Value::String(dir.path().display().to_string());
    let chapter = r##"{"Chapter":{"name":"B","content":"# B\n\n{{#quiz quizzes/leak.toml}}\n","path":"b.md","source_path":"b.md","sub_items":[],"parent_names":[],"number":null}}"##;
    let json = format!(
        r#"[{{"root":{root},"config":{{"book":{{"src":"content"}}}},"renderer":"html","mdbook_version":"0.5.4"}},{{"items":[{chapter}]}}]"#
    );
    let o = crate::support::preprocess(json.as_bytes(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("content/quizzes/leak.toml: error: symbolic link leads outside the course folder"), "{err}");
    assert!(!err.contains("panicked") && !String::from_utf8_lossy(&o.stdout).contains("TOP-SECRET"), "{err}");
}

/// `serve` reads the course with the same `load`, and `reload` after a change.
#[test]
fn serve_loads_refuse_links_out_of_the_course() {
    use coursegen::source::load::{load, reload};
    let dir = course("serve-links");
    let outside = TempDir::new("serve-outside");
    write_files(outside.path(), &[("secret.md", b"TOP-SECRET")]);
    let root = std::fs::canonicalize(dir.path()).expect("root");
    let link = root.join("content/leak.md");
    let loaded = load(&root).expect("load");
    assert!(loaded.diags.is_empty(), "{:?}", loaded.diags);
    symlink(outside.path().join("secret.md"), &link).expect("link");
    let reloaded = reload(&root, loaded, std::slice::from_ref(&link)).expect("reload");
    for l in [reloaded, load(&root).expect("load")] {
        assert!(l.input.files.iter().all(|f| f.rel != "leak.md"), "{:?}", l.input.files);
        assert_eq!(l.input.unreadable, ["leak.md"]);
        assert_eq!(l.diags.len(), 1, "{:?}", l.diags);
        assert_eq!(l.diags[0].path, "content/leak.md");
        assert!(l.diags[0].message.starts_with("symbolic link leads outside the course folder"), "{:?}", l.diags);
    }
}
