//! Page parsing: which fences become blocks, where their spans point, and what
//! problems are reported.

use super::*;
use crate::model::{Answer, Tracker};

fn parse_with(text: &str, files: &[(&str, &str)]) -> (Page, Vec<Diagnostic>) {
    let lookup = |rel: &str| files.iter().find(|(p, _)| *p == rel).map(|(_, t)| *t);
    page(&PageSource { path: "content/a.md", rel: "a.md", src_dir: "content", text: &text.into() }, &lookup)
}

fn parse(text: &str) -> (Page, Vec<Diagnostic>) {
    parse_with(text, &[])
}

#[test]
fn recognises_every_block_kind() {
    let text = "# Title\n\n```python id=sample\nx = 1\n```\n\n```flow\nA\nB\n```\n\n```mermaid\nflowchart TD\nA --> B\n```\n\n```mermaid\nsequenceDiagram\nA->>B: hi\n```\n\n```steps code=sample\nsteps:\n  - cells: [a, b, c]\n    line: 1\n```\n\n```tracker\n```\n\n```quiz\n- prompt: Q\n  answer: x\n```\n\n```moments\n- question: Q\n  insight: I\n```\n\n```snapshot\n- S\n```\n\n```transcript\nT\n```\n";
    let (p, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let kinds: Vec<&str> = p
        .blocks
        .iter()
        .map(|b| match b {
            Block::Code(c) => {
                if c.info.lang == "mermaid" {
                    "mermaid-code"
                } else {
                    "code"
                }
            }
            Block::Flow(f) => {
                if f.mermaid {
                    "mermaid-flow"
                } else {
                    "flow"
                }
            }
            Block::Steps(_) => "steps",
            Block::Tracker(t) => match t.kind {
                Tracker::Derived => "tracker",
                Tracker::Written { .. } => "written",
            },
            Block::Quiz(_) => "quiz",
            Block::Part(p) => p.part.kind(),
        })
        .collect();
    assert_eq!(kinds, ["code", "flow", "mermaid-flow", "mermaid-code", "steps", "tracker", "quiz", "moments", "snapshot", "transcript"]);
    assert_eq!(p.first_heading.as_deref(), Some("Title"));
    let flow = &p.blocks[1];
    assert!(text[flow.span()].starts_with("```flow\n"));
}

#[test]
fn yaml_errors_inside_a_list_item_point_at_the_file() {
    // The block is indented inside a list item; its YAML error must still land on
    // the right line and column of the file.
    let text = "- item\n\n  ```quiz\n  - prompt: Q\n    answr: x\n  ```\n";
    let (_, d) = parse(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(&text[d[0].span.clone()], "answr");
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `answer`?"));
}

#[test]
fn choice_answers_resolve_by_letter_or_text() {
    let text = "```quiz\n- prompt: P\n  options: [x, y, z]\n  answer: y\n- prompt: Q\n  options: [x, y]\n  answer: [A, B]\n```\n";
    let (p, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let Block::Quiz(q) = &p.blocks[0] else { panic!() };
    let Answer::Choice { correct, multiple, .. } = &q.questions[0].answer else { panic!() };
    assert_eq!((correct.as_slice(), *multiple), (&[1][..], false));
    let Answer::Choice { correct, multiple, .. } = &q.questions[1].answer else { panic!() };
    assert_eq!((correct.as_slice(), *multiple), (&[0, 1][..], true));
}

#[test]
fn every_quiz_problem_is_reported() {
    let text = "```quiz\n- prompt: P\n  options: [x, x]\n  answer: E\n- prompt: ''\n  answer: a\n- kind: essay\n  prompt: R\n- prompt: S\n  id: s\n  answer: a\n- prompt: T\n  id: s\n  answer: b\n```\n";
    let (_, d) = parse(text);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "question 1: option `x` is listed twice",
            "question 1: answer `E` is not one of the options",
            "question 2 has an empty prompt",
            "question 3: unknown kind `essay`",
            "question 3 has no `answer`",
            "question 5: id `s` is used twice in this quiz",
        ]
    );
}

#[test]
fn unknown_attributes_are_errors() {
    let text = "```quiz titel=\"x\"\n- prompt: P\n  answer: a\n```\n";
    let (p, d) = parse(text);
    assert_eq!(p.blocks.len(), 1, "the block is still read, for its own problems");
    assert_eq!(d[0].message, "unknown attribute `titel` on a `quiz` block");
    assert_eq!(&text[d[0].span.clone()], "titel=\"x\"");
}

#[test]
fn linenos_is_true_or_false() {
    let text = "```python linenos=no\nx = 1\n```\n\n```python id=s linenos=false\ny = 2\n```\n";
    let (p, d) = parse(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "`linenos=no` is neither true nor false");
    assert_eq!(&text[d[0].span.clone()], "linenos=no");
    assert!(d[0].hint.as_deref().is_some_and(|h| h.contains("linenos=false")), "{d:?}");
    let Block::Code(c) = &p.blocks[1] else { panic!() };
    assert_eq!(c.info.line_numbers, Some(false));
}

#[test]
fn quiz_files_are_included_relative_to_the_page() {
    let toml = "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"1 + 1?\"\nprompt.distractors = [\"1\", \"3\"]\nanswer.answer = \"2\"\ncontext = \"Arithmetic.\"\n\n[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"Keyword?\"\nanswer.answer = \"let\"\nanswer.alternatives = [\"LET\"]\n";
    let (p, d) = parse_with("Text\n\n{{#quiz quizzes/q.toml}}\n", &[("quizzes/q.toml", toml)]);
    assert!(d.is_empty(), "{d:?}");
    let Block::Quiz(q) = &p.blocks[0] else { panic!() };
    assert_eq!(q.questions.len(), 2);
    let Answer::Choice { options, correct, .. } = &q.questions[0].answer else { panic!() };
    assert_eq!(options[correct[0]].text, "2");
    assert_eq!(q.questions[0].explain.as_deref(), Some("Arithmetic."));
    let (_, d) = parse("{{#quiz nope.toml}}\n");
    assert_eq!(d[0].message, "quiz file `nope.toml` not found (looked for content/nope.toml)");
}

#[test]
fn hostile_input_does_not_panic() {
    let inputs = [
        "```quiz\n",
        "```steps\nsteps: [[[[[[[[\n```",
        "---\n---\n```quiz\n- \n```",
        "```tracker\nrows: {a: [1]}\ncolumns: []\n```",
        "\u{0}\u{feff}```flow\n```",
        "```quiz\n- prompt: P\n  options: []\n  answer: []\n```",
        "{{#quiz ../../../etc/passwd}}",
        "```steps\nsteps:\n  - cells: [a, b, c]\n    line: 99999999999999999999\n```",
    ];
    for input in inputs {
        let _ = parse(input);
    }
}

#[test]
fn a_tracker_must_find_its_steps() {
    let (_, d) = parse("```tracker\n```\n");
    assert_eq!(d.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["an empty tracker needs a steps block on this page"]);
    let two = "```steps id=a\nsteps:\n  - [a, b, c]\n```\n\n```steps id=b\nsteps:\n  - [a, b, c]\n```\n\n```tracker\n```\n";
    let (_, d) = parse(two);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "this page has 2 steps blocks; say which one the tracker follows");
    assert_eq!(d[0].hint.as_deref(), Some("write ```tracker from=ID, with one of: a, b"));
    let (_, d) = parse(&two.replace("```tracker\n", "```tracker from=b\n"));
    assert!(d.is_empty(), "{d:?}");
    // An unknown `from=` gets one error, not two.
    let (_, d) = parse(&two.replace("```tracker\n", "```tracker from=zz\n"));
    assert_eq!(d.len(), 1, "{d:?}");
}

#[test]
fn question_ids_are_unique_across_a_page() {
    let text = "```quiz\n- id: a\n  prompt: P\n  answer: x\n```\n\n```quiz\n- id: a\n  prompt: Q\n  answer: y\n```\n";
    let (_, d) = parse(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "question id `a` is also used by an earlier quiz on this page");
    assert_eq!(&text[d[0].span.clone()], "```quiz");
    assert!(d[0].span.start > 10, "points at the second quiz");
}

#[test]
fn escaped_quotes_in_attributes_are_read_as_written() {
    // pulldown-cmark has already applied backslash escapes to the info string it
    // reports; the attributes must come from the fence line itself.
    let text = "```python id=s title=\"say \\\"hi\\\"\"\nx\n```\n\n> ```quiz title=\"in \\\"q\\\"\"\n> - prompt: P\n>   answer: a\n> ```\n";
    let (p, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let titles: Vec<(&str, Option<&str>)> = p
        .blocks
        .iter()
        .map(|b| match b {
            Block::Code(c) => (c.info.label.title().unwrap_or_default(), c.info.label.id()),
            Block::Quiz(q) => (q.label.title().unwrap_or_default(), q.label.id()),
            _ => ("", None),
        })
        .collect();
    assert_eq!(titles, [("say \"hi\"", Some("s")), ("in \"q\"", None)]);
    let Block::Code(c) = &p.blocks[0] else { panic!() };
    assert_eq!(&text[c.info.label.id.as_ref().unwrap().span.clone()], "id=s");
}

#[test]
fn a_no_break_space_after_the_language_does_not_hang() {
    let text = "```python\u{a0}\nx\n```\n";
    let (p, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let Block::Code(c) = &p.blocks[0] else { panic!() };
    assert_eq!(c.info.lang, "python");
}

#[test]
fn an_unreadable_steps_block_does_not_make_its_links_errors() {
    // The block's YAML error is the one problem; the links to its rows and the
    // tracker that follows it would be right once it is fixed.
    let text = "```steps id=loop\nsteps:\n  - [a, b, c]\n - [d, e, f]\n```\n\n```tracker from=loop\n```\n\n\
        See [row 2](#loop-step-2) and [row 9](#step-9).\n";
    let (p, d) = parse(text);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["this line is not lined up with the lines above it"]);
    // The checker of links is told which rows may exist (`crate::pipeline::xref`).
    assert_eq!(&*p.unreadable_steps, [Some("loop".to_string())]);
    assert_eq!(p.links.iter().map(|l| l.dest.as_str()).collect::<Vec<_>>(), ["#loop-step-2", "#step-9"]);
}

#[test]
fn an_item_left_at_the_margin_is_one_error() {
    // `- b` belongs under `options:`; it is not a question of its own.
    let text = "```quiz\n- prompt: P\n  options:\n- a\n- b\n  answer: A\n- prompt: Q\n  answer: [x\n```\n";
    let (_, d) = parse(text);
    let got: Vec<(&str, &str)> = d.iter().map(|d| (d.message.as_str(), &text[d.span.clone()])).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], ("expected `key: value` lines here", "a"));
    assert_eq!(got[1].0, "this `[` is not closed on its line");
}
