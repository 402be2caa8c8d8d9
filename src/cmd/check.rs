//! `coursegen check`: what a build does not stop for but a course should not
//! ship with: questions without an explanation, each located in its source
//! file; and the external links `--external` asks about. Links inside the
//! course are checked by every build (`crate::pipeline::xref`).
//!
//! Pure: it reads the parsed pages and returns diagnostics.

use std::ops::Range;

use crate::diag::Diagnostic;
use crate::model::{Block, Page};

/// Checks every page.
pub fn course(pages: &[Page]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for page in pages {
        explanations(page, &mut diags);
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
