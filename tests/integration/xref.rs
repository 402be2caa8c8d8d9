//! Cross-references end to end: a link that lands nowhere, in any text an
//! author writes, fails `build` and `check` with a located error, in the same
//! run as the course's other problems, and leaves the previous output as it was.

use crate::output::snapshot;
use crate::support::Course;

const GOOD: &str = "# A\n\n## Key moments\n\n```steps\nsteps:\n  - [a, b, c]\n```\n\n\
    ```quiz\n- prompt: P\n  answer: x\n  hint: See [row 1](#step-1) and [B](b.md#deep).\n  explain: Done.\n```\n";

/// `GOOD` with a broken link in a quiz hint, a broken one in a quiz file, and
/// an unrelated error (an unknown attribute) on the same page.
fn broken() -> String {
    GOOD.replace("(#step-1) and [B](b.md#deep)", "(#step-1) and [B](b.md#dep) and [C](c.md)").replace("```steps\n", "```steps titel=x\n")
        + "\n{{#quiz q.toml}}\n"
}

const QUIZ_FILE: &str =
    "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"Read [this](#key-moment).\"\nanswer.answer = \"x\"\ncontext = \"C.\"\n";

fn course(label: &str, a: &str) -> Course {
    Course::new(label).lesson("a.md", a).lesson("b.md", "# B\n\n## Deep\n").file("content/q.toml", QUIZ_FILE.as_bytes())
}

#[test]
fn a_broken_link_in_a_quiz_fails_the_build_where_it_is_written() {
    let c = course("xref-build", GOOD);
    let run = c.build();
    assert!(run.ok(), "{}", run.stderr());
    let before = snapshot(&c.path().join("book"));
    let c = c.file("content/a.md", broken().as_bytes());
    let run = c.build();
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let err = run.stderr();
    assert_eq!(
        run.errors(),
        [
            "content/a.md:5:10: error: unknown attribute `titel` on a `steps` block",
            "content/a.md:13:34: error: `#dep` in question 1 is not an anchor on `b.md`",
            "content/a.md:13:52: error: link to `c.md` in question 1, which is not a page of this course",
            "content/q.toml:3:23: error: `#key-moment` in question 1 is not an anchor on this page",
        ],
        "{err}"
    );
    assert!(err.contains("hint: did you mean `#deep`?"), "{err}");
    assert!(err.contains("hint: did you mean `#key-moments`?"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(&c.path().join("book")), before, "the previous output is left as it was");
}

#[test]
fn check_reports_links_while_the_build_has_other_errors() {
    let c = course("xref-check", &broken());
    let run = c.run(&["check"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert_eq!(run.errors().len(), 4, "{}", run.stderr());
    assert!(run.stderr().ends_with("coursegen: error: check found 4 errors\n"), "{}", run.stderr());
    assert!(!c.path().join("book").exists(), "check writes nothing");
}
