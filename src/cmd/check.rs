//! `coursegen check`: what a build does not stop for but a course should not
//! ship with: questions without an explanation, hints that link to the very
//! step that answers their question, each located in its source file; and
//! the external links `--external` asks about. Links inside the
//! course are checked by every build (`crate::pipeline::xref`).
//!
//! Pure: it reads the parsed pages and returns diagnostics.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diag::Diagnostic;
use crate::model::{Answer, Block, Page, Place, Question, is_step_anchor};

/// Checks every page.
pub fn course(pages: &[Page]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for page in pages {
        explanations(page, &mut diags);
        hints_giving_answers(page, &mut diags);
    }
    diags
}

/// Every `http(s)://` link the pages' authors wrote, with where it is written
/// (the file for diagnostics, span): the input of `coursegen check --external`.
pub fn external_links(pages: &[Page]) -> Vec<(String, Range<usize>, String)> {
    let mut out = Vec::new();
    for page in pages {
        for link in page.links.iter() {
            if !link.image && (link.dest.starts_with("http://") || link.dest.starts_with("https://")) {
                let file = link.file.clone().unwrap_or_else(|| page.path.clone());
                out.push((file, link.span.clone(), link.dest.clone()));
            }
        }
    }
    out
}

/// Every question should say why its answer is right.
fn explanations(page: &Page, diags: &mut Vec<Diagnostic>) {
    for b in page.blocks.iter() {
        let Block::Quiz(q) = b else { continue };
        let at = q.span.start..q.span.start + page.text[q.span.clone()].find('\n').unwrap_or(0);
        for (i, question) in q.questions.iter().enumerate() {
            if question.explain.as_deref().is_none_or(|e| e.trim().is_empty()) {
                diags.push(
                    Diagnostic::warning(&page.path, at.clone(), format!("question {} has no explanation", i + 1))
                        .with_hint("add `explain:` so learners learn why, not just whether"),
                );
            }
        }
    }
}

/// A hint that links to the step row whose number is the answer (issue 19)
/// gives the answer away: "At which step does the loop stop?" with the hint
/// "look at [step 9](#trace-step-9)". Located at the link when it is written
/// in the page, else at the quiz's first line.
fn hints_giving_answers(page: &Page, diags: &mut Vec<Diagnostic>) {
    for b in page.blocks.iter() {
        let Block::Quiz(q) = b else { continue };
        let fence = q.span.start..q.span.start + page.text[q.span.clone()].find('\n').unwrap_or(0);
        for (i, question) in q.questions.iter().enumerate() {
            let Some(hint) = question.hint.as_deref() else { continue };
            let answers = answer_steps(question);
            for dest in step_links(hint).filter(|(_, n)| answers.contains(n)).map(|(d, _)| d) {
                let written = page
                    .links
                    .iter()
                    .find(|l| l.file.is_none() && l.place == Place::Question(i + 1) && l.dest == dest && q.span.contains(&l.span.start));
                let at = written.map_or_else(|| fence.clone(), |l| l.span.clone());
                diags.push(
                    Diagnostic::warning(
                        &page.path,
                        at,
                        format!("the hint of question {} links to `{dest}`, the step that is its answer", i + 1),
                    )
                    .with_hint("point the hint at the step before, or say what to look for without naming the answer's row"),
                );
            }
        }
    }
}

/// Links to step rows in Markdown `text`, with the step's number.
fn step_links(text: &str) -> impl Iterator<Item = (String, u64)> {
    Parser::new(text).filter_map(|e| match e {
        Event::Start(Tag::Link { dest_url, .. }) => {
            let anchor = dest_url.strip_prefix('#').filter(|a| is_step_anchor(a))?;
            Some((dest_url.to_string(), step_number(anchor)?))
        }
        _ => None,
    })
}

/// The number of `step-3`, `loop-step-3`.
fn step_number(anchor: &str) -> Option<u64> {
    anchor.rsplit_once("step-").map_or(anchor, |(_, n)| n).parse().ok()
}

/// The step numbers a question's correct answers name: an answer written
/// `3`, `Step 3` or `[step 3](#step-3)`.
fn answer_steps(q: &Question) -> Vec<u64> {
    let texts: Vec<&str> = match &q.answer {
        Answer::Choice { options, correct, .. } => correct.iter().filter_map(|&i| options.get(i)).map(|o| o.text.as_str()).collect(),
        Answer::Short { answer, accept } => std::iter::once(answer).chain(accept).map(String::as_str).collect(),
        Answer::Output { .. } | Answer::Tracing { .. } | Answer::Order { .. } => Vec::new(),
    };
    let mut steps = Vec::new();
    for t in texts {
        steps.extend(step_links(t).map(|(_, n)| n));
        let plain: String = t.chars().filter(|c| !matches!(c, '`' | '*' | '_')).collect();
        let plain = plain.trim().to_ascii_lowercase();
        let number = plain.strip_prefix("step").map_or(plain.as_str(), str::trim_start);
        steps.extend(number.parse::<u64>().ok());
    }
    steps
}
