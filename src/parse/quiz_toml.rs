//! `{{#quiz path.toml}}`: mdbook-quiz's TOML files, read as they are.
//!
//! ShortAnswer, MultipleChoice (one or several answers; `answerIndex`,
//! `sortAnswers`) and Tracing (as a predict-the-output question), multipart
//! context, and `context` as the explanation. The author's file is never written.
//! mdbook-quiz shuffles options on every page load; we shuffle once, seeded by the
//! prompt, so every build shows the same order.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::yaml_types::OneOrMany;
use super::{Files, PageSource};
use crate::diag::Diagnostic;
use crate::fence::Attrs;
use crate::model::{Answer, Block, ChoiceOption, Question, QuestionCode, QuizBlock, QuizOrigin};

/// A `{{#quiz ...}}` paragraph of a page.
pub struct Include<'a, 'p> {
    pub page: &'a PageSource<'p>,
    /// The paragraph's span in the page.
    pub span: Range<usize>,
    /// The path as written.
    pub path: &'a str,
}

/// The path in `{{#quiz path}}` when `paragraph` is exactly that.
pub fn include_path(paragraph: &str) -> Option<&str> {
    let inner = paragraph.trim().strip_prefix("{{#quiz")?.strip_suffix("}}")?;
    let path = inner.trim();
    (inner.starts_with(char::is_whitespace) && !path.is_empty() && !path.contains(char::is_whitespace)).then_some(path)
}

#[derive(Deserialize)]
struct RawFile {
    questions: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    multipart: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawQuestion {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    id: Option<String>,
    multipart: Option<Spanned<String>>,
    prompt: RawPrompt,
    answer: RawAnswer,
    context: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPrompt {
    prompt: Option<String>,
    distractors: Option<Vec<String>>,
    answer_index: Option<usize>,
    sort_answers: Option<bool>,
    program: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnswer {
    answer: Option<OneOrMany>,
    alternatives: Option<Vec<String>>,
    does_compile: Option<bool>,
    stdout: Option<String>,
    line_number: Option<usize>,
}

/// Reads the included file and turns it into a quiz block.
pub fn include(inc: &Include<'_, '_>, files: &Files<'_>, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let page_path = inc.page.path;
    let Some(rel) = resolve(inc.page.rel, inc.path) else {
        diags.push(
            Diagnostic::error(page_path, inc.span.clone(), format!("`{}` points outside the course's source folder", inc.path))
                .with_hint("quiz files live under the source folder; the path is relative to this page"),
        );
        return None;
    };
    let file_path = format!("{}/{rel}", inc.page.src_dir);
    let Some(text) = files(&rel) else {
        diags.push(
            Diagnostic::error(page_path, inc.span.clone(), format!("quiz file `{}` not found (looked for {file_path})", inc.path))
                .with_hint("the path is relative to this page, as in mdbook-quiz"),
        );
        return None;
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let message = e.message().trim().trim_end_matches('.').replace('\n', " ");
            diags.push(
                Diagnostic::error(file_path, e.span().unwrap_or(0..0), message)
                    .with_hint("mdbook-quiz files list `[[questions]]` with `type`, `prompt` and `answer`"),
            );
            return None;
        }
    };
    let before = diags.len();
    let questions: Vec<Question> = raw
        .questions
        .into_iter()
        .enumerate()
        .filter_map(|(i, q)| question(&file_path, i + 1, q, &raw.multipart, diags))
        .collect();
    (diags.len() == before).then(|| {
        Block::Quiz(QuizBlock {
            span: inc.span.clone(),
            attrs: Attrs::default(),
            origin: QuizOrigin::File(file_path),
            questions,
        })
    })
}

fn question(
    path: &str,
    n: usize,
    q: Spanned<RawQuestion>,
    multipart: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Question> {
    let at = q.span();
    let q = q.into_inner();
    let mut err = |span: Range<usize>, msg: String| diags.push(Diagnostic::error(path, span, msg));
    let mut prompt = q.prompt.prompt.clone().unwrap_or_default();
    if let Some(key) = &q.multipart {
        match multipart.get(key.get_ref()) {
            Some(context) => prompt = format!("{context}\n\n{prompt}"),
            None => err(key.span(), format!("question {n}: multipart `{}` is not in the `[multipart]` table", key.get_ref())),
        }
    }
    let kind = q.kind.get_ref().as_str();
    let answer = match kind {
        "ShortAnswer" => match q.answer.answer {
            Some(OneOrMany::One(answer)) => Some(Answer::Short { answer, accept: q.answer.alternatives.unwrap_or_default() }),
            _ => {
                err(at.clone(), format!("question {n}: a ShortAnswer needs `answer.answer` as one string"));
                None
            }
        },
        "MultipleChoice" => choice(&q.prompt, q.answer.answer).or_else(|| {
            err(at.clone(), format!("question {n}: a MultipleChoice needs `answer.answer` and `prompt.distractors`"));
            None
        }),
        "Tracing" => {
            if q.prompt.program.is_none() {
                err(at.clone(), format!("question {n}: a Tracing question needs `prompt.program`"));
            }
            tracing(&q.answer)
        }
        other => {
            err(q.kind.span(), format!("question {n}: unknown question type `{other}`"));
            None
        }
    }?;
    if prompt.trim().is_empty() && kind != "Tracing" {
        err(at, format!("question {n} has an empty prompt"));
        return None;
    }
    let (prompt, code) = match &q.prompt.program {
        Some(program) => {
            let p = if prompt.trim().is_empty() { TRACING_PROMPT.to_string() } else { prompt };
            (p, Some(QuestionCode { code: program.clone(), lang: Some("rust".into()) }))
        }
        None => (prompt, None),
    };
    Some(Question { id: q.id, prompt, code, hint: None, explain: q.context, answer })
}

const TRACING_PROMPT: &str = "What does this program print? If it does not compile, answer `does not compile`.";

fn tracing(a: &RawAnswer) -> Option<Answer> {
    let output = if a.does_compile.unwrap_or(true) {
        a.stdout.clone().unwrap_or_default()
    } else {
        "does not compile".to_string()
    };
    let _ = a.line_number; // Shown by mdbook-quiz as a follow-up; our explanation carries it.
    Some(Answer::Output { output })
}

fn choice(p: &RawPrompt, answer: Option<OneOrMany>) -> Option<Answer> {
    let distractors = p.distractors.clone()?;
    let (answers, multiple) = match answer? {
        OneOrMany::One(a) => (vec![a], false),
        OneOrMany::Many(v) => (v, true),
    };
    let mut texts: Vec<(String, bool)> = answers.iter().map(|a| (a.clone(), true)).collect();
    texts.extend(distractors.into_iter().map(|d| (d, false)));
    if p.sort_answers == Some(true) {
        texts.sort();
    } else if let (Some(i), false) = (p.answer_index, multiple) {
        let first = texts.remove(0);
        texts.insert(i.min(texts.len()), first);
    } else {
        shuffle(&mut texts, p.prompt.as_deref().unwrap_or(""));
    }
    let correct = texts.iter().enumerate().filter(|(_, t)| t.1).map(|(i, _)| i).collect();
    let options = texts.into_iter().map(|(text, _)| ChoiceOption { text, feedback: None }).collect();
    Some(Answer::Choice { options, correct, multiple })
}

/// A Fisher–Yates shuffle driven by an FNV-1a hash of `seed`: the same prompt gives
/// the same order on every build and every machine.
pub(crate) fn shuffle<T>(items: &mut [T], seed: &str) {
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

/// `rel` of the page joined with `path`, normalised; `None` if it climbs out.
fn resolve(page_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_rel.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_syntax() {
        assert_eq!(include_path("{{#quiz ../quizzes/extra.toml}}"), Some("../quizzes/extra.toml"));
        assert_eq!(include_path("{{#quiz}}"), None);
        assert_eq!(include_path("text {{#quiz a.toml}}"), None);
    }

    #[test]
    fn paths_resolve_against_the_page() {
        assert_eq!(resolve("flask/quiz.md", "../quizzes/extra.toml").as_deref(), Some("quizzes/extra.toml"));
        assert_eq!(resolve("quiz.md", "q.toml").as_deref(), Some("q.toml"));
        assert_eq!(resolve("quiz.md", "../q.toml"), None);
    }

    #[test]
    fn shuffle_is_stable() {
        let mut a = [1, 2, 3, 4, 5];
        let mut b = a;
        shuffle(&mut a, "What is 1 + 1?");
        shuffle(&mut b, "What is 1 + 1?");
        assert_eq!(a, b);
        let mut sorted = a;
        sorted.sort_unstable();
        assert_eq!(sorted, [1, 2, 3, 4, 5]);
    }
}
