//! Checks across the blocks of one page: `code=` names a code block, `line` lies
//! inside it (and has a `code=` block to point into), at most one steps block
//! without an id, and `from=` names a steps block. Links, to step rows too,
//! are the cross-reference checker's (`crate::pipeline::xref`): it knows what was rendered.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::model::parts::{Part, PartBlock};
use crate::model::{Block, Name, StepsBlock, Tracker, TrackerBlock, tracker_source};

/// What the page parser found, for the checks.
pub struct Found<'a> {
    pub blocks: &'a [Block],
    /// The `id`s of steps blocks that could not be read (already reported).
    pub unreadable_steps: &'a [Option<String>],
}

/// Runs every check on the page's blocks.
pub fn page(path: &str, text: &str, found: &Found<'_>, diags: &mut Vec<Diagnostic>) {
    let blocks = found.blocks;
    let steps: Vec<&StepsBlock> = blocks.iter().filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None }).collect();
    code_links(path, text, blocks, &steps, diags);
    let mut unnamed = steps.iter().filter(|s| s.label.id.is_none());
    if let (Some(_), Some(second)) = (unnamed.next(), unnamed.next()) {
        diags.push(
            Diagnostic::error(path, fence_line(text, &second.span), "a page may have only one steps block without an id")
                .with_hint("give this block an id, such as ```steps id=loop; its rows become #loop-step-1, …"),
        );
    }
    for b in blocks {
        match b {
            Block::Tracker(t) => tracker_has_source(path, text, (blocks, t), found.unreadable_steps, diags),
            Block::Part(p) => part_steps(path, text, (blocks, p), found.unreadable_steps, diags),
            _ => {}
        }
    }
    question_ids(path, text, blocks, diags);
}

/// Saved progress is keyed by question id, so an id may be used once per page.
/// (Within one quiz the quiz parser already reports it, at the id itself.)
fn question_ids(path: &str, text: &str, blocks: &[Block], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (n, b) in blocks.iter().enumerate() {
        let Block::Quiz(q) = b else { continue };
        let ids: BTreeSet<&str> = q.questions.iter().filter_map(|q| q.id.as_deref()).collect();
        for id in ids {
            if seen.get(id).is_some_and(|&first| first != n) {
                diags.push(
                    Diagnostic::error(
                        path,
                        fence_line(text, &q.span),
                        format!("question id `{id}` is also used by an earlier quiz on this page"),
                    )
                    .with_hint("saved progress is kept per question id: give each question on a page its own id"),
                );
            } else {
                seen.insert(id, n);
            }
        }
    }
}

/// A tracker must be able to find the steps block it follows (by the model's
/// rule, [`tracker_source`]).
fn tracker_has_source(
    path: &str,
    text: &str,
    (blocks, t): (&[Block], &TrackerBlock),
    unreadable: &[Option<String>],
    diags: &mut Vec<Diagnostic>,
) {
    let needs = matches!(t.kind, Tracker::Derived);
    let follows = Follows {
        span: &t.span,
        from: t.from.as_ref(),
        needs,
        what: "an empty tracker",
        it: "the tracker",
        fix: "add a ```steps block, or write the tracker out with `columns:` and `rows:`",
        kind: "tracker",
    };
    source_of(path, text, blocks, &follows, unreadable, diags);
}

/// A block that counts in a steps block's rows.
struct Follows<'a> {
    span: &'a Range<usize>,
    from: Option<&'a Name>,
    /// It must have one (an empty tracker, a part that names steps).
    needs: bool,
    /// How a message names the block: what needs a source, and which block
    /// to say it follows.
    what: &'a str,
    it: &'a str,
    /// What to do when the page has no steps block.
    fix: &'a str,
    /// The block's info word, for the `from=` to write.
    kind: &'a str,
}

/// The steps block `f` follows, reporting why there is none. A steps block
/// that could not be read may be the one meant: then nothing more is said.
fn source_of<'b>(
    path: &str,
    text: &str,
    blocks: &'b [Block],
    f: &Follows<'_>,
    unreadable: &[Option<String>],
    diags: &mut Vec<Diagnostic>,
) -> Option<&'b StepsBlock> {
    if let Some(from) = f.from {
        let named = |id: Option<&str>| id == Some(from.value.as_str());
        let found = tracker_source(blocks, Some(&from.value));
        if found.is_none() && !unreadable.iter().any(|id| named(id.as_deref())) {
            diags.push(
                Diagnostic::error(path, from.span.clone(), format!("`from={}` names no steps block on this page", from.value))
                    .with_hint("use the id of a ```steps block on this page"),
            );
        }
        return found;
    }
    let found = tracker_source(blocks, None);
    if !f.needs || found.is_some() || !unreadable.is_empty() {
        return found;
    }
    let steps: Vec<&StepsBlock> = blocks.iter().filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None }).collect();
    let d = if steps.is_empty() {
        Diagnostic::error(path, fence_line(text, f.span), format!("{} needs a steps block on this page", f.what)).with_hint(f.fix)
    } else {
        let ids: Vec<&str> = steps.iter().filter_map(|s| s.label.id()).collect();
        Diagnostic::error(
            path,
            fence_line(text, f.span),
            format!("this page has {} steps blocks; say which one {} follows", steps.len(), f.it),
        )
        .with_hint(format!("write ```{} from=ID, with one of: {}", f.kind, ids.join(", ")))
    };
    diags.push(d);
    None
}

/// The step numbers of key moments and transcripts name rows of the steps
/// block they follow.
fn part_steps(path: &str, text: &str, (blocks, p): (&[Block], &PartBlock), unreadable: &[Option<String>], diags: &mut Vec<Diagnostic>) {
    let refs = p.part.step_refs();
    let (what, it) = match p.part {
        Part::Moments(_) => ("a key moment that names a step", "the moments block"),
        _ => ("a transcript that names a step", "the transcript"),
    };
    let fix = "add the ```steps block its step numbers count in, or leave the numbers out";
    let follows = Follows { span: &p.span, from: p.from.as_ref(), needs: !refs.is_empty(), what, it, fix, kind: p.part.kind() };
    let Some(source) = source_of(path, text, blocks, &follows, unreadable, diags) else { return };
    let count = source.steps.len();
    for r in refs.into_iter().filter(|r| r.n == 0 || r.n > count) {
        let table = source.label.id().map_or_else(|| "the execution table".to_string(), |id| format!("`{id}`"));
        diags.push(
            Diagnostic::error(path, r.span.clone(), format!("there is no step {} in {table}: it has {count} step{}", r.n, plural(count)))
                .with_hint("steps count from 1, as in the table's Step column"),
        );
    }
}

/// The opening fence line of a block, to point at.
fn fence_line(text: &str, span: &Range<usize>) -> Range<usize> {
    let end = text[span.start..].find('\n').map_or(span.end, |i| span.start + i);
    span.start..end
}

fn code_links(path: &str, text: &str, blocks: &[Block], steps: &[&StepsBlock], diags: &mut Vec<Diagnostic>) {
    for s in steps {
        let Some(code) = &s.code else {
            for (i, _) in s.steps.iter().enumerate().filter(|(_, st)| st.lines.is_some()) {
                diags.push(
                    Diagnostic::error(
                        path,
                        line_value(text, &step_extent(s, i)),
                        format!("step {} has `line` but the steps block has no `code=`", i + 1),
                    )
                    .with_hint("name the code sample the lines are in: ```steps code=sample, with ```python id=sample on the sample"),
                );
            }
            continue;
        };
        let sample = blocks.iter().find_map(|b| match b {
            Block::Code(c) if c.info.label.id() == Some(code.value.as_str()) => Some(c),
            _ => None,
        });
        let Some(sample) = sample else {
            diags.push(
                Diagnostic::error(path, code.span.clone(), format!("`code={}` names no code block on this page", code.value))
                    .with_hint(format!("give the code sample an id: ```python id={}", code.value)),
            );
            continue;
        };
        let count = sample.code.lines().count();
        for (i, step) in s.steps.iter().enumerate() {
            if let Some(l) = step.lines
                && l.last as usize > count
            {
                diags.push(
                    Diagnostic::error(
                        path,
                        line_value(text, &step_extent(s, i)),
                        format!("step {} points at line {}, but `{}` has {count} line{}", i + 1, l.last, code.value, plural(count)),
                    )
                    .with_hint("line numbers count from 1 at the first line of the code block"),
                );
            }
        }
    }
}

/// Where step `i` of `s` is written: from its start to the next step's, or to
/// the end of the block (a step's own span marks only where it starts).
fn step_extent(s: &StepsBlock, i: usize) -> Range<usize> {
    let start = s.steps[i].span.start;
    let end = s.steps.get(i + 1).map_or(s.span.end, |n| n.span.start);
    start..end.max(start)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The value of a step's `line:` key in `step`, to point at; the step's start
/// if it is not found.
fn line_value(text: &str, step: &Range<usize>) -> Range<usize> {
    let Some(written) = text.get(step.clone()) else { return step.start..step.start };
    let found = written
        .match_indices("line:")
        .find(|(i, _)| *i == 0 || written[..*i].ends_with(|c: char| c.is_whitespace() || c == '{' || c == ','));
    let Some((i, key)) = found else { return step.start..step.start };
    let after = &written[i + key.len()..];
    let value = after.trim_start_matches([' ', '\t']);
    let start = step.start + i + key.len() + (after.len() - value.len());
    let len = value.find(['\n', ',', '}', '#']).unwrap_or(value.len());
    start..start + value[..len].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::parse::{PageSource, page};

    fn check(text: &str) -> Vec<Diagnostic> {
        page(&PageSource { path: "content/a.md", rel: "a.md", src_dir: "content", text: &text.into() }, &|_| None).1
    }

    /// The one diagnostic of `text`: its message and the text it points at.
    fn only(text: &str) -> (String, &str) {
        let d = check(text);
        assert_eq!(d.len(), 1, "{d:?}");
        (d[0].message.clone(), &text[d[0].span.clone()])
    }

    const SAMPLE: &str = "```python id=s\na = 1\nb = 2\n```\n\n";

    #[test]
    fn a_well_formed_page_has_no_problems() {
        let text = format!(
            "{SAMPLE}```steps code=s\nstart: {{a: None}}\nsteps:\n  - cells: [x, y, z]\n    line: 1-2\n    set: {{a: 1}}\n  - [x, y, z]\n```\n\n\
             ```steps id=loop\nsteps:\n  - [x, y, z]\n```\n\n```tracker\n```\n\n```tracker from=loop\n```\n\n\
             See [1](#step-1), [2](#step-2) and [loop](#loop-step-1), and [elsewhere](#not-a-step).\n\n\
             ```quiz\n- prompt: At [step 2](#step-2)?\n  answer: a\n  hint: See [loop](#loop-step-1).\n```\n"
        );
        assert_eq!(check(&text), []);
    }

    #[test]
    fn code_must_name_a_sample_on_the_page() {
        let (m, at) = only("```steps code=nope\nsteps:\n  - [a, b, c]\n```\n");
        assert_eq!((m.as_str(), at), ("`code=nope` names no code block on this page", "code=nope"));
    }

    #[test]
    fn a_line_outside_the_sample_points_at_the_line() {
        let text = format!("{SAMPLE}```steps code=s\nsteps:\n  - cells: [a, b, c]\n    line: 2-3\n```\n");
        let (m, at) = only(&text);
        assert_eq!((m.as_str(), at), ("step 1 points at line 3, but `s` has 2 lines", "2-3"));
    }

    #[test]
    fn a_line_needs_a_code_sample() {
        let (m, at) = only("```steps\nsteps:\n  - {cells: [a, b, c], line: 4}\n```\n");
        assert_eq!((m.as_str(), at), ("step 1 has `line` but the steps block has no `code=`", "4"));
    }

    #[test]
    fn only_one_steps_block_without_an_id() {
        let (m, at) = only("```steps\nsteps:\n  - [a, b, c]\n```\n\n```steps\nsteps:\n  - [a, b, c]\n```\n");
        assert_eq!(m, "a page may have only one steps block without an id");
        assert_eq!(at, "```steps");
        let text = "```steps\nsteps:\n  - [a, b, c]\n```\n\n```steps\nsteps:\n  - [a, b, c]\n```\n";
        assert_eq!(check(text)[0].span.start, text.rfind("```steps").unwrap(), "the second block");
    }

    #[test]
    fn from_must_name_a_steps_block() {
        let (m, at) = only("```steps id=a\nsteps:\n  - [a, b, c]\n```\n\n```tracker from=b\n```\n");
        assert_eq!((m.as_str(), at), ("`from=b` names no steps block on this page", "from=b"));
    }

    #[test]
    fn a_ragged_step_is_reported_at_the_step() {
        let text = "```steps\nsteps:\n  - [a, b, c]\n  - [a, b]\n```\n";
        let d = check(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "step 2 has 2 cells but the table has 3 columns");
        assert!(text[d[0].span.start..].starts_with("[a, b]\n"), "{:?}", d[0].span);
    }
}
