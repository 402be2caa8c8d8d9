//! Step tables end to end: the HTML a steps block, its code sample and a
//! tracker become; every cross-block check as an author sees it; and the step
//! player in headless Chromium (`tests/browser/steps.mjs`) on the example
//! course and on a page with two independent tables, plus proof that the
//! browser check fails when the player script is missing.

use std::path::Path;

use crate::browser::{assert_script_fails_with, assert_script_passes, browser_ready, build_example_course};
use crate::support::{Course, TempDir, stderr};

/// Two samples, two tables with ids, trackers for each, and links to rows from
/// prose and from a quiz hint.
const TWO_TABLES: &str = r#"# Two tables

```python id=count title="count.py"
total = 0
for n in [1, 2]:
    total += n
```

```steps id=loop code=count title="Counting"
columns: [Action, total]
start: {total: None}
steps:
  - cells: [Set total, "0"]
    line: 1
    set: {total: 0}
  - cells: ["Add `n`", "1"]
    line: 2-3
    set: {total: 1, n: 1}
    note: First pass.
  - cells: ["Add `n` again", "3"]
    line: 3
    set: {total: 3, n: 2}
exit: The list is exhausted.
```

```tracker from=loop
```

```python id=greet
name = "Ada"
print(f"Hi {name}")
```

```steps id=hello code=greet title="Greeting"
start: {name: None}
steps:
  - cells: [Bind name, "'Ada'", name is set]
    line: 1
    set: {name: "'Ada'"}
  - cells: [Print, "Hi Ada", Output written]
    line: 2
```

See [the second pass](#loop-step-2) and [the greeting](#hello-step-2).

```quiz
- prompt: What is `total` at the end?
  options: ["1", "3"]
  answer: B
  hint: Look at [step 3 of the loop](#loop-step-3).
```
"#;

/// Builds a one-page course whose page is `page`; returns the folder and output.
fn build(label: &str, page: &str) -> (Course, std::process::Output) {
    let course = Course::new(label).lesson("a.md", page);
    let run = course.build();
    (course, run.0)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn rows_code_lines_player_data_and_trackers_are_in_the_html() {
    let (dir, o) = build("steps-html", TWO_TABLES);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&dir.path().join("book/a.html"));
    for must in [
        // Each row links to the lines its step runs, anchors of the sample's lines.
        "<tr id=\"loop-step-2\" data-lines=\"2-3\"><th scope=\"row\"><a href=\"#loop-step-2\">2</a> <a class=\"cg-step-lines\" href=\"#count-L2\" title=\"Runs lines 2\u{2013}3\">L2\u{2013}3</a></th>",
        "<tr id=\"hello-step-1\" data-lines=\"1-1\">",
        "<span class=\"cg-line\" id=\"count-L3\" data-line=\"3\">",
        "<pre class=\"cg-code cg-numbered\" data-digits=\"1\" tabindex=\"0\">",
        "<caption>Counting</caption>",
        "<th scope=\"col\">Step</th><th scope=\"col\">Action</th><th scope=\"col\">total</th>",
        // The default columns when `columns` is left out.
        "<th scope=\"col\">Action</th><th scope=\"col\">Value/Result</th><th scope=\"col\">Effect</th>",
        "<td>Add <code>n</code></td>",
        "<tr class=\"cg-step-note\"><td colspan=\"3\">First pass.</td></tr>",
        "<p class=\"cg-steps-exit\"><strong>Exit:</strong> The list is exhausted.</p>",
        "<div class=\"cg-player\" hidden>",
        "aria-label=\"Step through: Counting\"",
        "role=\"status\" aria-live=\"polite\"",
        // Start, then after each step; `n` first appears at step 2; values carried forward.
        "<script type=\"application/json\" class=\"cg-steps-data\">[[\"None\",\"—\"],[\"0\",\"—\"],[\"1\",\"1\"],[\"3\",\"2\"]]</script>",
        "<script type=\"application/json\" class=\"cg-steps-data\">[[\"None\"],[\"'Ada'\"],[\"'Ada'\"]]</script>",
        // The tracker `from=loop`: a column after each step that sets something.
        "<figure class=\"cg-tracker\" data-steps=\"loop\">",
        "<th scope=\"col\" data-step=\"0\">Start</th><th scope=\"col\" data-step=\"1\">After Step 1</th><th scope=\"col\" data-step=\"2\">After Step 2</th><th scope=\"col\" data-step=\"3\">After Step 3</th><th scope=\"col\" data-step=\"3\">Final</th>",
        "<tr><th scope=\"row\"><code>n</code></th><td>—</td><td>—</td><td>1</td><td>2</td><td>2</td></tr>",
        "js/steps.js\" defer></script>",
        "css/steps.css\">",
    ] {
        assert!(html.contains(must), "page lacks {must}");
    }
    // A sample nothing points at by id keeps plain lines.
    assert_eq!(html.matches("class=\"cg-line\"").count(), 5, "3 lines of count.py and 2 of greet");
}

#[test]
fn every_check_is_reported_where_the_author_wrote_it() {
    let page = r#"# Broken

```python id=s
a = 1
```

```steps code=nope
steps:
  - [a, b, c]
```

```steps code=s
steps:
  - cells: [a, b, c]
    line: 1-4
  - [a, b]
```

```tracker from=zz
```

```tracker
columns: [Start, Final]
rows:
  x: [1]
```

See [step 9](#step-9).

```quiz
- prompt: P
  answer: a
  hint: See [step 8](#s-step-8).
```
"#;
    let (_, o) = build("steps-errors", page);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for line in [
        "content/a.md:16:5: error: step 2 has 2 cells but the table has 3 columns",
        "content/a.md:25:6: error: row `x` has 1 value but the tracker has 2 columns",
        "content/a.md:7:10: error: `code=nope` names no code block on this page",
        "content/a.md:15:11: error: step 1 points at line 4, but `s` has 1 line",
        "content/a.md:12:1: error: a page may have only one steps block without an id",
        "content/a.md:19:12: error: `from=zz` names no steps block on this page",
        "content/a.md:28:5: error: link to `#step-9`, but there is no such step row",
        "content/a.md:33:13: error: link to `#s-step-8` in question 1, but there is no such step row",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
}

#[test]
fn the_player_works_on_the_example_course() {
    if !browser_ready() {
        return;
    }
    let site = TempDir::new("steps-example");
    build_example_course(site.path());
    assert_script_passes("steps.mjs", site.path());
}

#[test]
fn two_players_on_one_page_work_independently() {
    if !browser_ready() {
        return;
    }
    let (dir, o) = build("steps-two", TWO_TABLES);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_script_passes("steps.mjs", &dir.path().join("book"));
}

/// Two tables stepping through one sample (issue 19: they cleared each
/// other's marks).
const ONE_SAMPLE_TWO_TABLES: &str = r#"# Shared

```python id=s
a = 1
b = 2
```

```steps id=first code=s
steps:
  - cells: [Set a, "1", a is 1]
    line: 1
```

```steps id=second code=s
steps:
  - cells: [Set b, "2", b is 2]
    line: 2
  - cells: [Both, "-", done]
    line: 1-2
```
"#;

#[test]
fn two_tables_on_one_sample_keep_their_own_marks() {
    if !browser_ready() {
        return;
    }
    let (dir, o) = build("steps-shared", ONE_SAMPLE_TWO_TABLES);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_script_passes("steps.mjs", &dir.path().join("book"));
    // With one set of lines for every player, as before, the check fails.
    let js = dir.path().join("book/js/steps.js");
    let shared = read(&js).replace(
        "this.lines = this.pane ? this.pane.querySelectorAll(\".cg-line\") : [];",
        "this.lines = document.querySelectorAll(\".cg-player-code .cg-line\");",
    );
    std::fs::write(&js, shared).expect("write steps.js");
    assert_script_fails_with("steps.mjs", &dir.path().join("book"), "on the same sample, moved");
}

#[test]
fn the_player_check_fails_without_the_player_script() {
    if !browser_ready() {
        return;
    }
    let site = TempDir::new("steps-self-test");
    build_example_course(site.path());
    std::fs::write(site.path().join("js/steps.js"), "").expect("empty steps.js");
    assert_script_fails_with("steps.mjs", site.path(), "the player controls are not shown with scripts on");
}

/// The 10-step loop lesson of `tests/fixtures/player` (issue 19), built.
fn player_fixture(label: &str) -> TempDir {
    let site = TempDir::new(label);
    let fixture = crate::support::repo_root().join("tests/fixtures/player");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .arg("build")
        .arg(&fixture)
        .arg("-d")
        .arg(site.path())
        .output()
        .expect("run coursegen");
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

#[test]
fn every_step_shows_its_row_and_its_code_lines_together_at_both_sizes() {
    if !browser_ready() {
        return;
    }
    let site = player_fixture("player");
    assert_script_passes("player.mjs", site.path());
    assert_script_passes("steps.mjs", site.path());
    // The player's and the quiz's states, both sizes, both themes.
    assert_script_passes("axe.mjs", site.path());
}

#[test]
fn the_together_check_fails_when_the_player_does_not_stick() {
    if !browser_ready() {
        return;
    }
    let site = player_fixture("player-self-test");
    let css = site.path().join("css/steps.css");
    let loose = read(&css).replace("position: sticky;", "position: static;");
    std::fs::write(&css, loose).expect("write steps.css");
    assert_script_fails_with("player.mjs", site.path(), "not inside the viewport and the code pane");
}
