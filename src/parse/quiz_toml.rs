//! `{{#quiz path.toml}}`: mdbook-quiz's TOML files, read as they are.
//!
//! ShortAnswer, MultipleChoice (one or several answers; `answerIndex`,
//! `sortAnswers`) and Tracing (as a predict-the-output question), multipart
//! context, and `context` as the explanation. The author's file is never written.
//! Errors point at the TOML node at fault (a key, a list, a value).
//! mdbook-quiz shuffles options on every page load; we shuffle once, seeded by the
//! prompt, so every build shows the same order.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::links::{self, Written};
use super::quiz_html::keep_tags;
use super::yaml_types::OneOrMany;
use super::{Files, PageSource};
use crate::diag::Diagnostic;
use crate::model::{Answer, Block, ChoiceOption, Label, Link, Place, Question, QuestionCode, QuizBlock, QuizOrigin};
use crate::source::relpath::{self, Outside};

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

// No `deny_unknown_fields`: mdbook-quiz ignores keys it does not know, so a
// file it accepts must not fail here; [`unknown_keys`] warns about them instead.
#[derive(Deserialize)]
struct RawFile {
    questions: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    multipart: BTreeMap<String, String>,
}

// The fields are mdbook-quiz's, so a file it accepts is accepted here.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawQuestion {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    id: Option<Spanned<String>>,
    multipart: Option<Spanned<String>>,
    prompt: Spanned<RawPrompt>,
    answer: Spanned<RawAnswer>,
    context: Option<Spanned<String>>,
    #[allow(dead_code)] // mdbook-quiz's own display option; read so it is not an error
    prompt_explanation: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPrompt {
    prompt: Option<Spanned<String>>,
    distractors: Option<Spanned<Vec<String>>>,
    answer_index: Option<Spanned<usize>>,
    sort_answers: Option<bool>,
    program: Option<String>,
    #[allow(dead_code)] // ShortAnswer's "short" or "long" input: one text box serves both
    response: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnswer {
    answer: Option<Spanned<OneOrMany>>,
    alternatives: Option<Vec<String>>,
    does_compile: Option<bool>,
    stdout: Option<String>,
    line_number: Option<usize>,
}

/// Reads the included file and turns it into a quiz block; the links of its
/// prompts and explanations go to `links`, located in the file.
pub fn include(inc: &Include<'_, '_>, files: &Files<'_>, diags: &mut Vec<Diagnostic>, links: &mut Vec<Link>) -> Option<Block> {
    let page_path = inc.page.path;
    // Errors point at the path itself, not the whole paragraph.
    let at = inc.page.text.get(inc.span.clone()).and_then(|p| p.find(inc.path)).map_or(inc.span.clone(), |i| {
        let start = inc.span.start + i;
        start..start + inc.path.len()
    });
    let book_path = match relpath::in_book(inc.page.src_dir, inc.page.rel, inc.path) {
        Ok(p) => p,
        Err(why) => {
            let message = match why {
                Outside::Absolute => format!("`{}` is an absolute path", inc.path),
                Outside::Leaves => format!("`{}` points outside the book's folder", inc.path),
            };
            diags.push(
                Diagnostic::error(page_path, at, message)
                    .with_hint("a quiz file may be anywhere inside the folder of book.toml; the path is relative to this page"),
            );
            return None;
        }
    };
    let file_path = book_path.root;
    let Some(text) = files(&book_path.key) else {
        let hint = if book_path.key.starts_with("../") {
            "the path is relative to this page; outside the source folder, only `coursegen mdbook` reads quiz files (`coursegen build` does not yet)"
        } else {
            "the path is relative to this page, as in mdbook-quiz"
        };
        diags
            .push(Diagnostic::error(page_path, at, format!("quiz file `{}` not found (looked for {file_path})", inc.path)).with_hint(hint));
        return None;
    };
    let questions = parse_file(&file_path, text, diags, links)?;
    Some(Block::Quiz(QuizBlock { span: inc.span.clone(), label: Label::default(), origin: QuizOrigin::File(file_path), questions }))
}

/// Parses a quiz file's text; `None` (with diagnostics located in the file)
/// when any question is unusable.
pub fn parse_file(file_path: &str, text: &str, diags: &mut Vec<Diagnostic>, links: &mut Vec<Link>) -> Option<Vec<Question>> {
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let message = e.message().trim().trim_end_matches('.').replace('\n', " ");
            let d = Diagnostic::error(file_path, e.span().unwrap_or(0..0), message);
            let hint = crate::diag::did_you_mean(e.message())
                .unwrap_or_else(|| "mdbook-quiz files list `[[questions]]` with `type`, `prompt` and `answer`".into());
            diags.push(d.with_hint(hint));
            return None;
        }
    };
    let before = diags.iter().filter(|d| d.is_error()).count();
    diags.extend(unknown_keys(file_path, text));
    let mut check = Check { path: file_path, text, diags, ids: BTreeMap::new(), multipart: &raw.multipart, group: None, links };
    let questions: Vec<Question> = raw.questions.into_iter().enumerate().filter_map(|(i, q)| check.question(i + 1, q)).collect();
    (diags.iter().filter(|d| d.is_error()).count() == before).then_some(questions)
}

/// The keys mdbook-quiz reads, by table: the file, a question, its prompt, its answer.
const FILE_KEYS: &[&str] = &["questions", "multipart"];
const QUESTION_KEYS: &[&str] = &["type", "id", "multipart", "prompt", "answer", "context", "promptExplanation"];
const PROMPT_KEYS: &[&str] = &["prompt", "distractors", "answerIndex", "sortAnswers", "program", "response"];
const ANSWER_KEYS: &[&str] = &["answer", "alternatives", "doesCompile", "stdout", "lineNumber"];

/// A warning at every key mdbook-quiz ignores (it reads a file with a typo in
/// a key as if the key were absent), with the key probably meant.
fn unknown_keys(path: &str, text: &str) -> Vec<Diagnostic> {
    use toml::de::{DeTable, DeValue};
    let mut out = Vec::new();
    let Ok(doc) = DeTable::parse(text) else { return out };
    let mut check = |table: &DeTable<'_>, known: &[&str], whose: &str| {
        for key in table.keys().filter(|k| !known.contains(&k.get_ref().as_ref())) {
            let name = key.get_ref().as_ref();
            let d = Diagnostic::warning(path, key.span(), format!("{whose}`{name}` is not a key mdbook-quiz reads; it is ignored"));
            let hint = crate::diag::closest(name, known.iter().copied())
                .map_or_else(|| format!("the keys here are {}", super::list(known)), |k| format!("did you mean `{k}`?"));
            out.push(d.with_hint(hint));
        }
    };
    check(doc.get_ref(), FILE_KEYS, "");
    let Some(DeValue::Array(questions)) = doc.get_ref().get("questions").map(|v| v.get_ref()) else { return out };
    for (n, q) in questions.iter().enumerate() {
        let DeValue::Table(q) = q.get_ref() else { continue };
        let whose = format!("question {}: ", n + 1);
        check(q, QUESTION_KEYS, &whose);
        for (key, known) in [("prompt", PROMPT_KEYS), ("answer", ANSWER_KEYS)] {
            if let Some(DeValue::Table(t)) = q.get(key).map(|v| v.get_ref()) {
                check(t, known, &whose);
            }
        }
    }
    out.sort_by_key(|d| d.span.start);
    out
}

struct Check<'a> {
    path: &'a str,
    /// The file's text.
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    /// Question ids seen so far, for duplicates.
    ids: BTreeMap<String, usize>,
    multipart: &'a BTreeMap<String, String>,
    /// The multipart group of the question before, whose context was shown.
    group: Option<String>,
    links: &'a mut Vec<Link>,
}

impl Check<'_> {
    /// Keeps the links of `md`, the string `v` of question `n`.
    fn links_of(&mut self, n: usize, v: &Spanned<String>) {
        let start = v.span().start;
        let to_file = |i: usize| start + i;
        let at = Written {
            source: self.text.get(start..).unwrap_or_default(),
            to_file: &to_file,
            file: Some(self.path),
            place: Place::Question(n),
        };
        links::collect(v.get_ref(), &at, self.links);
    }

    fn error(&mut self, span: Range<usize>, message: String, hint: &str) {
        let d = Diagnostic::error(self.path, span, message);
        self.diags.push(if hint.is_empty() { d } else { d.with_hint(hint) });
    }

    /// What mdbook-quiz accepts but is likely a slip: the question is still shown.
    fn warn(&mut self, span: Range<usize>, message: String, hint: &str) {
        self.diags.push(Diagnostic::warning(self.path, span, message).with_hint(hint));
    }

    fn question(&mut self, n: usize, q: Spanned<RawQuestion>) -> Option<Question> {
        let q = q.into_inner();
        if let Some(id) = &q.id
            && self.ids.insert(id.get_ref().clone(), n).is_some()
        {
            self.error(
                id.span(),
                format!("question {n}: id `{}` is used twice in this file", id.get_ref()),
                "give every question its own id",
            );
        }
        for text in q.prompt.get_ref().prompt.iter().chain(&q.context) {
            self.links_of(n, text);
        }
        let mut prompt = q.prompt.get_ref().prompt.as_ref().map(|p| p.get_ref().clone()).unwrap_or_default();
        let group = q.multipart.as_ref().map(|k| k.get_ref().clone());
        let previous = std::mem::replace(&mut self.group, group.clone());
        let follows = group.is_some() && previous == group;
        if let Some(key) = &q.multipart {
            match self.multipart.get(key.get_ref()) {
                // Once per group, before its first part, as mdbook-quiz shows it:
                // the parts that follow it on the page read the same context.
                Some(_) if follows => {}
                Some(context) => prompt = format!("{context}\n\n{prompt}"),
                None => self.error(
                    key.span(),
                    format!("question {n}: multipart `{}` is not in the `[multipart]` table", key.get_ref()),
                    "add it under `[multipart]` at the top of the file",
                ),
            }
        }
        let program = q.prompt.get_ref().program.clone();
        let kind = q.kind.get_ref().as_str();
        let answer = match kind {
            "ShortAnswer" => self.short(n, &q),
            "MultipleChoice" => self.choice(n, &q),
            "Tracing" => self.tracing(n, &q),
            other => {
                self.error(
                    q.kind.span(),
                    format!("question {n}: unknown question type `{other}`"),
                    "the types are `ShortAnswer`, `MultipleChoice` and `Tracing`",
                );
                None
            }
        };
        if program.is_none() && prompt.trim().is_empty() {
            let span = q.prompt.get_ref().prompt.as_ref().map_or(q.prompt.span(), Spanned::span);
            self.error(span, format!("question {n} has an empty prompt"), "write the question in `prompt.prompt`");
            return None;
        }
        let answer = answer?;
        let (prompt, code) = match program {
            Some(code) => {
                let p = if prompt.trim().is_empty() { TRACING_PROMPT.to_string() } else { prompt };
                (p, Some(QuestionCode { code, lang: Some("rust".into()) }))
            }
            None => (prompt, None),
        };
        let explain = tracing_note(q.answer.get_ref().does_compile, q.answer.get_ref().line_number, q.context.map(Spanned::into_inner));
        let (prompt, explain) = (keep_tags(&prompt), explain.as_deref().map(keep_tags));
        Some(Question { id: q.id.map(Spanned::into_inner), prompt, code, hint: None, explain, answer })
    }

    fn short(&mut self, n: usize, q: &RawQuestion) -> Option<Answer> {
        let a = q.answer.get_ref();
        match a.answer.as_ref().map(Spanned::get_ref) {
            Some(OneOrMany::One(answer)) if !answer.trim().is_empty() => {
                Some(Answer::Short { answer: answer.clone(), accept: a.alternatives.clone().unwrap_or_default() })
            }
            _ => {
                let span = a.answer.as_ref().map_or(q.answer.span(), Spanned::span);
                self.error(
                    span,
                    format!("question {n}: a ShortAnswer needs `answer.answer` as one text"),
                    "put other accepted answers in `answer.alternatives`",
                );
                None
            }
        }
    }

    fn choice(&mut self, n: usize, q: &RawQuestion) -> Option<Answer> {
        let (p, a) = (q.prompt.get_ref(), q.answer.get_ref());
        let Some(answer) = &a.answer else {
            self.error(
                q.answer.span(),
                format!("question {n} has no `answer.answer`"),
                "a MultipleChoice names its correct option(s) in `answer.answer`",
            );
            return None;
        };
        let Some(distractors) = &p.distractors else {
            self.error(
                q.prompt.span(),
                format!("question {n} has no `prompt.distractors`"),
                "list the wrong options in `prompt.distractors`",
            );
            return None;
        };
        let (answers, multiple) = match answer.get_ref() {
            OneOrMany::One(a) => (vec![a.clone()], false),
            OneOrMany::Many(v) => (v.clone(), true),
        };
        if answers.is_empty() {
            self.error(answer.span(), format!("question {n}: the answer list is empty"), "");
            return None;
        }
        let texts: Vec<&String> = answers.iter().chain(distractors.get_ref()).collect();
        if texts.len() < 2 {
            // mdbook-quiz shows a lone option; so do we, but it is likely a slip.
            self.warn(distractors.span(), format!("question {n} has only one option"), "add a distractor");
        }
        if let Some(dup) = texts.iter().enumerate().find_map(|(i, t)| texts[..i].iter().any(|u| u.trim() == t.trim()).then_some(t)) {
            self.error(
                distractors.span(),
                format!("question {n}: option `{dup}` is listed twice"),
                "an answer must not also be a distractor",
            );
            return None;
        }
        if let Some(i) = &p.answer_index {
            let last = distractors.get_ref().len();
            if *i.get_ref() > last {
                let message = format!("question {n}: `answerIndex` {} is past the last option; the answer goes last", i.get_ref());
                self.warn(i.span(), message, &format!("use 0 to {last}"));
            }
            if p.sort_answers.is_some() {
                self.warn(
                    i.span(),
                    format!("question {n}: `answerIndex` and `sortAnswers` together"),
                    "mdbook-quiz places the answer at `answerIndex` and ignores `sortAnswers`",
                );
            }
        }
        Some(choice(p, answers, distractors.get_ref().clone(), multiple))
    }

    fn tracing(&mut self, n: usize, q: &RawQuestion) -> Option<Answer> {
        let a = q.answer.get_ref();
        if q.prompt.get_ref().program.is_none() {
            self.error(q.prompt.span(), format!("question {n}: a Tracing question needs `prompt.program`"), "");
            return None;
        }
        match (a.does_compile, &a.stdout) {
            (None, _) => {
                self.error(q.answer.span(), format!("question {n}: a Tracing question needs `answer.doesCompile`"), "");
                None
            }
            (Some(true), stdout) => Some(Answer::Tracing { output: Some(stdout.clone().unwrap_or_default()) }),
            (Some(false), _) => Some(Answer::Tracing { output: None }),
        }
    }
}

const TRACING_PROMPT: &str = "What does this program print? Or does it not compile?";

/// The explanation: mdbook-quiz's `context`, after the line a non-compiling
/// program fails at (mdbook-quiz asks for that line as a second step).
fn tracing_note(does_compile: Option<bool>, line: Option<usize>, context: Option<String>) -> Option<String> {
    let note = match (does_compile, line) {
        (Some(false), Some(l)) => format!("This program does not compile: the compiler rejects line {l}."),
        _ => return context,
    };
    Some(match context {
        Some(c) => format!("{note}\n\n{c}"),
        None => note,
    })
}

/// The options in the order mdbook-quiz gives them: the answers (all of a
/// list, in order) placed at `answerIndex` among the distractors, else sorted
/// (`sortAnswers`), else shuffled once (seeded by the prompt).
fn choice(p: &RawPrompt, answers: Vec<String>, distractors: Vec<String>, multiple: bool) -> Answer {
    let mut texts: Vec<(String, bool)> = distractors.into_iter().map(|d| (d, false)).collect();
    if let Some(i) = &p.answer_index {
        let at = (*i.get_ref()).min(texts.len());
        texts.splice(at..at, answers.into_iter().map(|a| (a, true)));
    } else {
        texts.splice(0..0, answers.into_iter().map(|a| (a, true)));
        if p.sort_answers == Some(true) {
            texts.sort();
        } else {
            shuffle(&mut texts, p.prompt.as_ref().map_or("", |s| s.get_ref()));
        }
    }
    let correct = texts.iter().enumerate().filter(|(_, t)| t.1).map(|(i, _)| i).collect();
    let options = texts.into_iter().map(|(text, _)| ChoiceOption { text: keep_tags(&text), feedback: None }).collect();
    Answer::Choice { options, correct, multiple }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_syntax() {
        assert_eq!(include_path("{{#quiz ../quizzes/extra.toml}}"), Some("../quizzes/extra.toml"));
        assert_eq!(include_path("{{#quiz}}"), None);
        assert_eq!(include_path("text {{#quiz a.toml}}"), None);
    }

    fn parse(text: &str) -> Result<Vec<Question>, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        parse_file("content/q.toml", text, &mut diags, &mut Vec::new()).ok_or(diags)
    }

    fn options(q: &Question) -> (Vec<&str>, &[usize]) {
        let Answer::Choice { options, correct, .. } = &q.answer else { panic!("not a choice: {q:?}") };
        (options.iter().map(|o| o.text.as_str()).collect(), correct)
    }

    const MC: &str =
        "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = [\"c\", \"a\"]\nanswer.answer = \"b\"\n";

    #[test]
    fn multiple_choice_order_follows_mdbook_quiz() {
        let sorted = parse(&format!("{MC}prompt.sortAnswers = true\n")).unwrap();
        assert_eq!(options(&sorted[0]), (vec!["a", "b", "c"], &[1][..]));
        let placed = parse(&format!("{MC}prompt.answerIndex = 2\n")).unwrap();
        assert_eq!(options(&placed[0]), (vec!["c", "a", "b"], &[2][..]));
        let a = parse(MC).unwrap();
        let b = parse(MC).unwrap();
        assert_eq!(options(&a[0]), options(&b[0]), "shuffled the same way every time");
    }

    #[test]
    fn several_answers_make_checkboxes() {
        let q = parse("[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = [\"x\"]\nanswer.answer = [\"a\", \"b\"]\nprompt.sortAnswers = true\n").unwrap();
        let Answer::Choice { correct, multiple, .. } = &q[0].answer else { panic!() };
        assert_eq!((correct.as_slice(), *multiple), (&[0, 1][..], true));
    }

    #[test]
    fn tracing_predicts_the_output_or_the_failure() {
        let q = parse("[[questions]]\ntype = \"Tracing\"\nprompt.program = \"fn main() {}\"\nanswer.doesCompile = true\nanswer.stdout = \"hi\"\n[[questions]]\ntype = \"Tracing\"\nprompt.program = \"fn main() { x }\"\nanswer.doesCompile = false\nanswer.lineNumber = 1\ncontext = \"No x.\"\n").unwrap();
        assert!(matches!(&q[0].answer, Answer::Tracing { output: Some(output) } if output == "hi"));
        assert_eq!(q[0].code.as_ref().and_then(|c| c.lang.as_deref()), Some("rust"));
        assert!(matches!(&q[1].answer, Answer::Tracing { output: None }), "does not compile: a choice, not text to type");
        assert_eq!(q[1].explain.as_deref(), Some("This program does not compile: the compiler rejects line 1.\n\nNo x."));
    }

    #[test]
    fn multipart_context_leads_the_prompt() {
        let q = parse("[multipart]\nA = \"Context.\"\n[[questions]]\ntype = \"ShortAnswer\"\nmultipart = \"A\"\nprompt.prompt = \"Q?\"\nanswer.answer = \"a\"\n").unwrap();
        assert_eq!(q[0].prompt, "Context.\n\nQ?");
        let part = "[[questions]]\ntype = \"ShortAnswer\"\nmultipart = \"A\"\nprompt.prompt = \"Q?\"\nanswer.answer = \"a\"\n";
        let alone = "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"R?\"\nanswer.answer = \"a\"\n";
        let q = parse(&format!("[multipart]\nA = \"Context.\"\n{part}{part}{alone}{part}")).unwrap();
        let prompts: Vec<&str> = q.iter().map(|q| q.prompt.as_str()).collect();
        assert_eq!(prompts, ["Context.\n\nQ?", "Q?", "R?", "Context.\n\nQ?"], "once per run of a group");
    }

    /// Every diagnostic, questions or not.
    fn all(text: &str) -> (Option<Vec<Question>>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        (parse_file("content/q.toml", text, &mut diags, &mut Vec::new()), diags)
    }

    #[test]
    fn a_misspelt_key_is_a_warning_at_the_key_with_a_suggestion() {
        let text = "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"P\"\nanswer.answer = \"a\"\nanswer.alternativs = [\"b\"]\ncontxt = \"C\"\n";
        let (q, d) = all(text);
        assert!(q.is_some_and(|q| q.len() == 1), "mdbook-quiz ignores the key and shows the question: {d:?}");
        let at: Vec<(&str, bool)> = d.iter().map(|d| (&text[d.span.clone()], d.is_error())).collect();
        assert_eq!(at, [("alternativs", false), ("contxt", false)]);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `alternatives`?"));
        assert_eq!(d[1].message, "question 1: `contxt` is not a key mdbook-quiz reads; it is ignored");
        // What the missing key then lacks is still an error, located too.
        let (q, d) = all("[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"P\"\nanswer.answr = \"a\"\n");
        assert!(q.is_none());
        assert_eq!(d.iter().map(Diagnostic::is_error).collect::<Vec<_>>(), [false, true], "{d:?}");
    }

    #[test]
    fn what_mdbook_quiz_accepts_but_looks_like_a_slip_is_a_warning() {
        let one = "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = []\nanswer.answer = \"only\"\n";
        let (q, d) = all(one);
        assert_eq!(q.map(|q| options(&q[0]).0.len()), Some(1), "{d:?}");
        assert_eq!((d.len(), d[0].is_error(), d[0].message.as_str()), (1, false, "question 1 has only one option"));
        let (q, d) = all(&format!("{MC}prompt.answerIndex = 9\n"));
        assert_eq!(q.map(|q| options(&q[0]).1.to_vec()), Some(vec![2]), "the answer goes last, as mdbook-quiz's splice puts it");
        assert!(!d[0].is_error() && d[0].message.contains("past the last option"), "{d:?}");
    }

    #[test]
    fn answer_index_places_every_answer_of_a_list() {
        let text = "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = [\"x\", \"y\"]\nanswer.answer = [\"a\", \"b\"]\nprompt.answerIndex = 1\n";
        let q = parse(text).unwrap();
        assert_eq!(options(&q[0]), (vec!["x", "a", "b", "y"], &[1, 2][..]));
        let one_in_list = parse(&text.replace("[\"a\", \"b\"]", "[\"a\"]")).unwrap();
        let Answer::Choice { multiple, .. } = &one_in_list[0].answer else { panic!() };
        assert!(*multiple, "a list, even of one, gives checkboxes in mdbook-quiz");
        let both = parse(&format!("{MC}prompt.answerIndex = 0\nprompt.sortAnswers = true\n"));
        assert_eq!(options(&both.unwrap()[0]), (vec!["b", "c", "a"], &[0][..]), "answerIndex wins over sortAnswers");
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
