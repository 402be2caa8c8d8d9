//! The source-format contract: every example in `docs/FORMAT.md` must build
//! exactly as written. The examples are read from the file itself, so a change
//! to the contract is tested the moment it lands. `docs/FORMAT.md` is the
//! repository's copy of the team's `../shared/FORMAT.md`, so a clone alone
//! passes; where the shared one is present, the two must agree.

use crate::support::{TempDir, coursegen, repo_root, stderr, write_files};

/// The contract, as the repository carries it.
pub(crate) fn format_md() -> String {
    let path = repo_root().join("docs/FORMAT.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The team's copy lives beside the repository (`../shared`), where a clone
/// may not have it; where it is there, the repository's copy must not drift
/// from it, or the tests would check an old contract.
#[test]
fn the_format_contract_is_the_shared_one() {
    let shared = repo_root().join("../shared/FORMAT.md");
    let Ok(theirs) = std::fs::read_to_string(&shared) else {
        eprintln!("note: {} is not beside this checkout; docs/FORMAT.md is checked alone", shared.display());
        return;
    };
    assert!(format_md() == theirs, "docs/FORMAT.md differs from {}: copy the shared contract into docs/", shared.display());
}

/// What the examples render, in both modes: a step row, every kind of
/// question and the sample's caption.
pub(crate) const RENDERED: [&str; 6] = [
    "id=\"step-6\"",
    "data-kind=\"order\"",
    "data-kind=\"output\"",
    "data-kind=\"short\"",
    "type=\"checkbox\"",
    "<figcaption>app.py</figcaption>",
];

/// Bodies of the fenced blocks whose info string is `lang`, for the given fence.
pub(crate) fn examples(text: &str, fence: &str, lang: &str) -> Vec<String> {
    let open = format!("{fence}{lang}");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_end() == open => current = Some(String::new()),
            Some(body) if line.trim_end() == fence => {
                out.push(std::mem::take(body));
                current = None;
            }
            Some(body) => {
                body.push_str(line);
                body.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn every_format_example_builds() {
    let text = format_md();
    let book = examples(&text, "```", "toml");
    assert_eq!(book.len(), 1, "FORMAT.md shows one book.toml");
    let front = examples(&text, "```", "markdown");
    assert_eq!(front.len(), 1, "FORMAT.md shows one front matter example");
    let blocks = examples(&text, "````", "markdown");
    assert!(blocks.len() >= 7, "FORMAT.md's block examples: found {}", blocks.len());
    // One lesson holding every example in the order FORMAT.md gives them: the
    // steps example points at the code sample, the quiz at the steps' rows.
    let lesson = format!("{}\n{}", front[0], blocks.join("\n"));
    let quiz_page = "# Quiz\n\n{{#quiz ../quizzes/extra.toml}}\n";
    let extra = "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"What is 1 + 1?\"\nprompt.distractors = [\"1\", \"3\"]\nanswer.answer = [\"2\"]\ncontext = \"Arithmetic.\"\n";
    let dir = TempDir::new("format");
    write_files(
        dir.path(),
        &[
            ("book.toml", book[0].as_bytes()),
            ("content/SUMMARY.md", b"- [Secret key](flask/secret-key.md)\n- [Quiz](flask/secret-key-quiz.md)\n"),
            ("content/flask/secret-key.md", lesson.as_bytes()),
            ("content/flask/secret-key-quiz.md", quiz_page.as_bytes()),
            ("content/quizzes/extra.toml", extra.as_bytes()),
        ],
    );
    let o = coursegen(dir.path(), &["build"]);
    assert!(o.status.success(), "FORMAT.md's examples must build:\n{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "and without warnings:\n{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("book/flask/secret-key.html")).unwrap();
    for must in RENDERED {
        assert!(html.contains(must), "the examples render {must}");
    }
    assert_eq!(html.matches("class=\"cg-flow\"").count(), 2, "both flow examples are drawn");
}
