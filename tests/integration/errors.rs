//! UI tests: broken courses and the exact text an author sees for them
//! (`tests/ui/<case>.stderr`). Also: a failed build exits 1 and leaves the
//! previous output byte for byte as it was.

use std::path::Path;

use crate::support::{TempDir, coursegen, repo_root, stderr, write_files};

const BOOK: &[u8] = b"[book]\ntitle = \"Broken\"\nsrc = \"content\"\n";

/// Builds a course made of `files` and compares stderr with `tests/ui/<case>.stderr`.
fn ui(case: &str, files: &[(&str, &[u8])]) {
    ui_for(&["build"], case, files);
}

/// Runs `coursegen <args>` on a course made of `files`; it must fail, and its
/// stderr must match `tests/ui/<case>.stderr`.
fn ui_for(args: &[&str], case: &str, files: &[(&str, &[u8])]) {
    let dir = TempDir::new(&format!("ui-{case}"));
    write_files(dir.path(), files);
    let o = coursegen(dir.path(), args);
    assert_eq!(o.status.code(), Some(1), "{case}: a failed build exits with 1:\n{}", stderr(&o));
    assert!(!dir.path().join("book").exists(), "{case}: nothing is written");
    let got = stderr(&o);
    assert!(!got.contains("panicked"), "{got}");
    let want = repo_root().join("tests/ui").join(format!("{case}.stderr"));
    if std::env::var_os("COURSEGEN_BLESS").is_some() {
        std::fs::write(&want, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&want).unwrap_or_else(|e| panic!("{}: {e}", want.display()));
    assert_eq!(got, want, "{case}: the error text changed (COURSEGEN_BLESS=1 to update)");
}

#[test]
fn front_matter() {
    ui(
        "front_matter",
        &[
            ("book.toml", BOOK),
            ("content/SUMMARY.md", b"- [A](a.md)\n- [B](b.md)\n"),
            ("content/a.md", b"---\ntitle: A\nminuts: 5\n---\nText.\n"),
            ("content/b.md", b"---\ntitle: B\nminutes: ten\n---\nText.\n"),
        ],
    );
}

#[test]
fn quiz_yaml() {
    ui("quiz_yaml", &[
        ("book.toml", BOOK),
        ("content/SUMMARY.md", b"- [Q](q.md)\n"),
        ("content/q.md", b"# Quiz\n\n```quiz\n- prompt: Pick one\n  options: [a, b]\n  answer: C\n- prompt: Second\n  options: [x, y]\n  answr: A\n```\n\n```quiz\n- prompt: [unclosed\n```\n"),
    ]);
}

#[test]
fn summary_links_to_missing_files() {
    ui(
        "summary_missing",
        &[
            ("book.toml", BOOK),
            ("content/SUMMARY.md", b"# Course\n\n- [One](one.md)\n- [Two](two.md)\n- not a link\n"),
            ("content/one.md", b"# One\n"),
            ("content/stray.md", b"# Stray\n"),
        ],
    );
}

#[test]
fn invalid_utf8() {
    ui(
        "invalid_utf8",
        &[("book.toml", BOOK), ("content/SUMMARY.md", b"- [A](a.md)\n"), ("content/a.md", b"# A\n\nfine line\nbad \xff byte\n")],
    );
}

#[test]
fn oversize_file() {
    ui(
        "oversize",
        &[
            ("book.toml", b"[book]\nsrc = \"content\"\n[preprocessor.coursegen]\nmax-file-size = 64\n"),
            ("content/SUMMARY.md", b"- [A](a.md)\n"),
            ("content/a.md", "# A\n\nThis page is longer than sixty-four bytes, so it is refused.\n".as_bytes()),
        ],
    );
}

#[test]
fn book_toml() {
    ui(
        "book_toml",
        &[
            ("book.toml", b"[book]\nsrc = \"content\"\n\n[preprocessor.coursegen]\nraw-htm = true\n"),
            ("content/SUMMARY.md", b"- [A](a.md)\n"),
            ("content/a.md", b"# A\n"),
        ],
    );
}

#[test]
fn steps_and_links() {
    ui(
        "steps",
        &[
            ("book.toml", BOOK),
            ("content/SUMMARY.md", b"- [S](s.md)\n"),
            (
                "content/s.md",
                b"# S\n\n```python id=code\nx = 1\n```\n\n```steps code=cod\nsteps:\n  - [a, b]\n```\n\nSee [step 3](#step-3).\n",
            ),
        ],
    );
}

#[test]
fn check_finds_broken_links_anchors_and_images() {
    ui_for(&["check"], "check", &[
        ("book.toml", BOOK),
        ("content/SUMMARY.md", b"- [A](a.md)\n- [B](sub/b.md)\n"),
        ("content/a.md", b"# A\n\n## Key moments\n\nGood: [B](sub/b.md#deep), [here](#key-moments), [top](#top).\n\nBad: [gone](nope.md), [anchor](sub/b.md#nowhere), [local](#key-moment).\n\n![missing](img/x.png)\n\n```quiz\n- prompt: P\n  answer: a\n```\n"),
        ("content/sub/b.md", b"# B\n\n## Deep\n\n[up](../a.md) and [out](../../x.md).\n"),
    ]);
}

#[test]
fn flow_errors() {
    ui("flow", &[
        ("book.toml", BOOK),
        ("content/SUMMARY.md", b"- [F](f.md)\n"),
        ("content/f.md", b"# F\n\n```flow\nflowchart TD\n  A[Start] -->\n  B{Decide --> C\n  C((x)) --> D[/sub]\n```\n\n```flow\n```\n\n```mermaid\nflowchart XY\n  A --> B\n```\n\n```mermaid\nflowchart LR\n  A[Api] --> B\n  click A href \"https://example.com\"\n  style B font-size:20px\n```\n"),
    ]);
}

#[test]
fn yaml_limits() {
    // 150 aliases of one long option: the types accept it, so only the alias
    // budget stands between this block and a large expansion.
    let long = "x".repeat(2_000);
    let aliases = vec!["*o"; 150].join(", ");
    let page = format!("```quiz\n- prompt: P\n  hint: &o {long}\n  options: [{aliases}]\n  answer: A\n```\n");
    ui("yaml_limits", &[("book.toml", BOOK), ("content/SUMMARY.md", b"- [A](a.md)\n"), ("content/a.md", page.as_bytes())]);
}

#[test]
fn control_characters_in_names_and_text_are_escaped() {
    // An ESC in a file name or in the quoted line must not reach the terminal:
    // it would recolour or rewrite what the author reads.
    ui(
        "control_chars",
        &[
            ("book.toml", BOOK),
            ("content/SUMMARY.md", b"- [A](red\x1b[31m.md)\n"),
            ("content/red\x1b[31m.md", b"# A\n\n```quiz\n- prompt: P\n  options: [a, b]\n  answer: \"\x1b[0mC\"\n```\n"),
        ],
    );
}

#[test]
fn common_yaml_mistakes_in_plain_words() {
    // One mistake per question, as authors make them; each is reported at the
    // place to change, with what to write instead.
    let quiz = "# Q\n\n```quiz\n- prompt: Note: flask needs a key\n  answer: a\n\
        - prompt: P\n  hint: *bold* text\n  answer: a\n\
        - prompt: `app.secret_key` is\n  answer: a\n\
        - prompt: P\n  options: [a, b\n  answer: A\n\
        - prompt: [step 2](#step-2) shows it\n  answer: a\n\
        - prompt: \"unclosed\n  answer: a\n\
        - prompt: 'it's'\n  answer: a\n\
        - prompt: P\n  options:\n    - a\n   - b\n  answer: A\n```\n";
    let steps = "# S\n\n```steps\nsteps:\n\t- [a, b, c]\n```\n";
    ui(
        "yaml_mistakes",
        &[
            ("book.toml", BOOK),
            ("content/SUMMARY.md", b"- [F](f.md)\n- [Q](q.md)\n- [S](s.md)\n"),
            ("content/f.md", b"---\ntitle: Flask: the basics\n---\n"),
            ("content/q.md", quiz.as_bytes()),
            ("content/s.md", steps.as_bytes()),
        ],
    );
}

#[test]
fn every_quiz_mistake_in_one_run() {
    // Independent mistakes in several questions, a bad answer letter and a bad
    // hint link in the same question among them: all are reported at once.
    let page = "# Q\n\n```steps\nsteps:\n  - [a, b, c]\n```\n\n```quiz\n\
        - prompt: Which one?\n  options: [x, y]\n  answer: C\n  hint: See [step 2](#step-2).\n\
        - kind: choise\n  prompt: And now?\n  options: [x, x]\n  answer: A\n\
        - prompt: ''\n  answer: [a, b]\n```\n";
    ui("quiz_mistakes", &[("book.toml", BOOK), ("content/SUMMARY.md", b"- [Q](q.md)\n"), ("content/q.md", page.as_bytes())]);
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let dir = TempDir::new("intact");
    write_files(dir.path(), &[("book.toml", BOOK), ("content/SUMMARY.md", b"- [A](a.md)\n"), ("content/a.md", b"# A\n")]);
    let o = coursegen(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&dir.path().join("book"));
    assert!(before.iter().any(|(p, _)| p == "a.html"));
    write_files(dir.path(), &[("content/a.md", b"---\ntitle: [broken\n---\n")]);
    let o = coursegen(dir.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).ends_with("coursegen: error: build failed with 1 error; the previous output is unchanged\n"), "{}", stderr(&o));
    assert_eq!(snapshot(&dir.path().join("book")), before, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 3, "no staging folder is left behind: {leftovers:?}");
}

#[test]
fn unicode_spaces_in_info_strings_and_quiz_langs_build() {
    let dir = TempDir::new("nbsp");
    let page = "# A\n\n```python\u{a0}title=\"say \\\"hi\\\"\"\nx = 1\n```\n\n```quiz\n- prompt: P\n  answer: a\n  code: x = 1\n  lang: \"python\u{a0}\u{3000}\"\n```\n";
    write_files(dir.path(), &[("book.toml", BOOK), ("content/SUMMARY.md", b"- [A](a.md)\n"), ("content/a.md", page.as_bytes())]);
    let o = crate::support::coursegen_bounded(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("book/a.html")).unwrap();
    assert!(html.contains("<figcaption>say &quot;hi&quot;</figcaption>"), "the escaped quotes are kept");
    assert!(html.contains("class=\"language-python\""), "the language is the word before the no-break space");
}
