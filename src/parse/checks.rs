//! Checks across the blocks of one page: `code=` names a code block, `line` lies
//! inside it, at most one steps block without an id, `from=` names a steps
//! block, and every link to a step row (`#step-N`, `#ID-step-N`) in the prose
//! or in a quiz has a row to land on.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::markdown_options;
use crate::diag::Diagnostic;
use crate::model::{Answer, Block, StepsBlock};

/// Runs every check on the page's blocks.
pub fn page(path: &str, text: &str, blocks: &[Block], diags: &mut Vec<Diagnostic>) {
    let steps: Vec<&StepsBlock> = blocks.iter().filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None }).collect();
    code_links(path, blocks, &steps, diags);
    let mut unnamed = steps.iter().filter(|s| s.attrs.get("id").is_none());
    if let (Some(_), Some(second)) = (unnamed.next(), unnamed.next()) {
        diags.push(
            Diagnostic::error(path, fence_line(text, &second.span), "a page may have only one steps block without an id")
                .with_hint("give this block an id, such as ```steps id=loop; its rows become #loop-step-1, …"),
        );
    }
    for b in blocks {
        if let Block::Tracker(t) = b
            && let Some(from) = t.attrs.attr("from")
            && !steps.iter().any(|s| s.attrs.get("id") == Some(from.value.as_str()))
        {
            diags.push(
                Diagnostic::error(path, from.span.clone(), format!("`from={}` names no steps block on this page", from.value))
                    .with_hint("use the id of a ```steps block on this page"),
            );
        }
    }
    step_links(path, text, blocks, &steps, diags);
}

/// The opening fence line of a block, to point at.
fn fence_line(text: &str, span: &Range<usize>) -> Range<usize> {
    let end = text[span.start..].find('\n').map_or(span.end, |i| span.start + i);
    span.start..end
}

fn code_links(path: &str, blocks: &[Block], steps: &[&StepsBlock], diags: &mut Vec<Diagnostic>) {
    for s in steps {
        let Some(code) = s.attrs.attr("code") else { continue };
        let sample = blocks.iter().find_map(|b| match b {
            Block::Code(c) if c.attrs.get("id") == Some(code.value.as_str()) => Some(c),
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
                    Diagnostic::error(path, step.span.clone(), format!("step {} points at line {}, but `{}` has {count} lines", i + 1, l.last, code.value))
                        .with_hint("line numbers count from 1 at the first line of the code block"),
                );
            }
        }
    }
}

/// Every `#…step-N` link on the page must name a row.
fn step_links(path: &str, text: &str, blocks: &[Block], steps: &[&StepsBlock], diags: &mut Vec<Diagnostic>) {
    let anchors: BTreeSet<String> = steps
        .iter()
        .flat_map(|s| {
            let id = s.attrs.get("id").map(str::to_string);
            (1..=s.steps.len()).map(move |n| match &id {
                Some(id) => format!("{id}-step-{n}"),
                None => format!("step-{n}"),
            })
        })
        .collect();
    let ranges: Vec<String> = steps
        .iter()
        .map(|s| {
            let id = s.attrs.get("id");
            let anchor = |n| match id {
                Some(id) => format!("#{id}-step-{n}"),
                None => format!("#step-{n}"),
            };
            format!("`{}` to `{}`", anchor(1), anchor(s.steps.len()))
        })
        .collect();
    let known = if ranges.is_empty() {
        "this page has no step rows".to_string()
    } else {
        format!("this page's rows are {}", ranges.join(", and "))
    };
    let mut check = |target: &str, span: Range<usize>, where_: &str| {
        if is_step_anchor(target) && !anchors.contains(target) {
            let known = known.clone();
            diags.push(Diagnostic::error(path, span, format!("link to `#{target}`{where_}, but there is no such step row")).with_hint(known));
        }
    };
    let covered: Vec<Range<usize>> = blocks.iter().filter(|b| matches!(b, Block::Quiz(_))).map(Block::span).collect();
    for (target, span) in fragment_links(text) {
        if !covered.iter().any(|c| c.contains(&span.start)) {
            check(&target, span, "");
        }
    }
    for b in blocks {
        let Block::Quiz(q) = b else { continue };
        for (n, question) in q.questions.iter().enumerate() {
            for t in question_texts(question) {
                for (target, _) in fragment_links(t) {
                    check(&target, fence_line(text, &q.span), &format!(" in question {}", n + 1));
                }
            }
        }
    }
}

fn question_texts(q: &crate::model::Question) -> Vec<&str> {
    let mut v: Vec<&str> = vec![q.prompt.as_str()];
    v.extend(q.hint.as_deref());
    v.extend(q.explain.as_deref());
    if let Answer::Choice { options, .. } = &q.answer {
        for o in options {
            v.push(&o.text);
            v.extend(o.feedback.as_deref());
        }
    }
    v
}

/// `step-3` or `loop-step-3`.
fn is_step_anchor(target: &str) -> bool {
    let Some(i) = target.rfind("step-") else { return false };
    let (before, n) = (&target[..i], &target[i + 5..]);
    (before.is_empty() || before.ends_with('-')) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// Same-page links (`#x`) in Markdown text, with their spans.
fn fragment_links(text: &str) -> Vec<(String, Range<usize>)> {
    pulldown_cmark::Parser::new_ext(text, markdown_options())
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url.strip_prefix('#').map(|t| (t.to_string(), r)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_anchor_shapes() {
        assert!(is_step_anchor("step-2"));
        assert!(is_step_anchor("loop-step-10"));
        assert!(!is_step_anchor("step-"));
        assert!(!is_step_anchor("footstep-1"));
        assert!(!is_step_anchor("key-moments"));
    }
}
