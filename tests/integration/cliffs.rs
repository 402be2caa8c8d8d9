//! Work and memory cliffs (issues 21 and 23): inputs of a few megabytes that
//! took minutes or gigabytes build, or fail with a located error, through
//! the real binary. Bounds are on the work's outcome; the time bound only
//! says "does not hang" (bench/cliffs.py measures time and memory).

use crate::support::{Course, Run, coursegen_bounded};

/// `stderr` from the first `prefix` on.
fn said<'a>(stderr: &'a str, prefix: &str) -> &'a str {
    let at = stderr.find(prefix).unwrap_or_else(|| panic!("no `{prefix}` in:\n{}", &stderr[..stderr.len().min(4000)]));
    &stderr[at..]
}

#[test]
fn twenty_thousand_identical_headings_get_mdbooks_ids() {
    let course = Course::new("cliff-headings").lesson("page.md", &format!("# Page\n\n{}", "## Same\n\n".repeat(20_000)));
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    assert!(run.ok(), "{}", run.stderr());
    let html = course.read("book/page.html");
    assert!(html.contains("<h2 id=\"same\">") && html.contains("<h2 id=\"same-1\">"), "mdBook's ids");
    assert!(html.contains("<h2 id=\"same-19999\">") && !html.contains("id=\"same-20000\""));
    assert_eq!(html.matches("<h2 id=\"same-").count(), 19_999);
}

#[test]
fn a_long_line_and_wide_tables_build_whole() {
    let cells = 100_000;
    let row = format!("|{}|\n", (0..cells).map(|i| format!("c{i}")).collect::<Vec<_>>().join("|"));
    let rule = format!("|{}|\n", vec!["-"; cells].join("|"));
    let prose = "the *quick* [brown](fox.md) fox &amp; ".repeat(20_000);
    let page = format!("# Page\n\n{prose}\n\n{row}{rule}{row}");
    // The links land on a page: 20,000 broken ones would test the error
    // report instead (a build checks every link).
    let course = Course::new("cliff-wide").lesson("page.md", &page).lesson("fox.md", "# Fox\n");
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    assert!(run.ok(), "{}", run.stderr());
    let html = course.read("book/page.html");
    assert_eq!(html.matches("<th>").count(), cells, "every header cell");
    assert_eq!(html.matches("<td>").count(), cells, "every body cell");
    assert!(html.contains(&format!("<td>c{}</td></tr>", cells - 1)));
    assert_eq!(html.matches("<a href=\"fox.html\">brown</a>").count(), 20_000, "the whole paragraph");
}

/// A steps block of `n` steps, each setting a variable of its own.
fn new_variable_every_step(n: usize) -> String {
    let rows: String = (0..n).map(|i| format!("  - cells: [s{i}, v, e]\n    set: {{var{i}: {i}}}\n")).collect();
    format!("```steps\nsteps:\n{rows}```\n\n```tracker\n```\n")
}

#[test]
fn budgets_are_located_errors_all_in_one_run_and_the_last_output_stays() {
    let course = Course::new("cliff-budgets").lesson("big.md", "# Big\n").lesson("steps.md", "# Steps\n");
    assert!(course.build().ok());
    let before = course.read("book/big.html");
    // 300,000 headings of 4 bytes make about 128 bytes of HTML each, 38 MB.
    let steps = format!("# Steps\n\n{}", new_variable_every_step(2000));
    let course = course.file("content/big.md", "# a\n".repeat(300_000).as_bytes()).file("content/steps.md", steps.as_bytes());
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    let stderr = run.stderr();
    assert_eq!(run.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let big = said(&stderr, "content/big.md:");
    let (line, rest) = big.split_once(":1: error: ").expect("a located error");
    let line: usize = line.trim_start_matches("content/big.md:").parse().expect("a line number");
    assert!((250_000..270_000).contains(&line), "where 32 MiB ran out: line {line}");
    assert!(rest.starts_with("this page's HTML would be over 32 MiB"), "{rest}");
    assert!(said(big, "hint:").starts_with("hint: split the page into several pages"), "{big}");
    // 2,000 variables pass 20,000 values in the 11th state, after step 10,
    // whose `cells:` is on line 5 + 2 × 9.
    let steps = said(&stderr, "content/steps.md:23:5: error: this steps block tracks 2000 variables over 2000 steps");
    assert!(said(steps, "hint:").contains("the limit is reached at this step, step 10"), "{steps}");
    assert_eq!(run.errors().len(), 2, "{stderr}");
    assert_eq!(course.read("book/big.html"), before, "the last good build is left as it was");
}

#[test]
fn code_too_large_to_highlight_is_plain_text_with_a_warning() {
    let line = "*em* **strong** `code` [link](u) ".repeat(6000);
    let page = format!("# Code\n\n```markdown\n{line}\n```\n\n```ruby\nx = 1\n```\n");
    let course = Course::new("cliff-code").lesson("page.md", &page);
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    let stderr = run.stderr();
    assert!(run.ok(), "{stderr}");
    let warning = said(&stderr, "content/page.md:4:1: warning: this line of code is 198000 bytes, over the 8 KiB");
    assert!(said(warning, "hint:").starts_with("hint: the block is shown as plain text"), "{warning}");
    let html = course.read("book/page.html");
    let (long, short) = html.split_once("language-ruby").expect("both blocks");
    assert!(long.contains("*em* **strong** `code` [link](u) ") && !long.contains("hl-"), "plain text");
    assert!(short.split_once("</pre>").expect("a block").0.contains("hl-"), "the short block is highlighted");
}

#[test]
fn forty_thousand_quizzes_on_a_page_are_all_rendered_and_searchable() {
    let quizzes: String = (0..40_000).map(|i| format!("Text {i}.\n\n```quiz\n- prompt: Prompt{i}\n  answer: b\n```\n\n")).collect();
    let course = Course::new("cliff-quizzes").lesson("page.md", &format!("# Quizzes\n\n{quizzes}"));
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    assert!(run.ok(), "{}", run.stderr());
    assert_eq!(course.read("book/page.html").matches("Prompt39999").count(), 1);
    let search: String = std::fs::read_dir(course.path().join("book/js/search"))
        .expect("search scripts")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert!(search.contains("Prompt0 ") && search.contains("Text 39999. Prompt39999"), "every quiz's prompt, in place");
}

#[test]
fn twenty_thousand_broken_links_are_twenty_thousand_located_errors() {
    // Each diagnostic once indexed and quoted the whole page: quadratic.
    let page = format!("# Links\n\n{}", "See [x](nope.md).\n\n".repeat(20_000));
    let course = Course::new("cliff-links").lesson("links.md", &page);
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    assert_eq!(run.code(), Some(1), "{}", &run.stderr()[..2000]);
    let errors = run.errors();
    assert_eq!(errors.len(), 20_000);
    assert!(errors.last().is_some_and(|e| e.starts_with("content/links.md:40001:5: error: ")), "{:?}", errors.last());
}

/// Issue 21: a paragraph of `[a]` (each one a possible link whose definition
/// never comes) peaked at 595 MiB in release at 5 MB. Every bracket is kept
/// as text and none becomes a link, all in one page.
#[test]
fn a_paragraph_of_bracketed_words_is_text() {
    let n = 200_000;
    let course = Course::new("cliff-brackets").lesson("page.md", &format!("# Page\n\n{}\n", "[a] ".repeat(n)));
    let run = Run(coursegen_bounded(course.path(), &["build"]));
    assert!(run.ok(), "{}", run.stderr());
    let html = course.read("book/page.html");
    assert_eq!(html.matches("[a]").count(), n, "every bracket pair is shown as written");
    assert!(!html.contains("<a href=\"a\""), "none is a link");
}
