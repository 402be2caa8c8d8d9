//! Quizzes as HTML that works without JavaScript: every question shows its
//! options, and a `<details>` "Show answer" holds the answer and explanation.
//! The answers also go into a JSON island for `themes/default/js/quiz.js` to check
//! against; everything the script shows (feedback, explanations) is already in
//! the page as rendered, escaped HTML, so the script never builds HTML from text.

use crate::html::{escape_html, json_for_script};
use std::fmt::Write as _;

use serde::Serialize;

use super::markdown::Snippets;
use crate::model::{Answer, Block, ChoiceOption, CodeInfo, Page, Question, QuizBlock};
use crate::parse::{letter, shuffle};

/// What the quiz script needs to check one question.
#[derive(Serialize)]
struct QuestionData<'a> {
    kind: &'static str,
    /// Correct option indexes (choice), accepted texts (short), the expected
    /// output (output), or the correct order of line indexes as shown (order).
    answer: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
}

/// The key a question's saved progress is stored under: the author's `id` when
/// given (stable when questions move), else its position (`quiz-1-q2`).
fn question_key(q: &Question, quiz_id: &str, i: usize) -> String {
    q.id.clone().unwrap_or_else(|| format!("{quiz_id}-q{}", i + 1))
}

/// The progress keys of every question on a page, in page order, numbered as
/// [`quiz`] numbers them: the home page summarises progress by these.
pub fn question_keys(page: &Page) -> Vec<String> {
    let quizzes = page.blocks.iter().filter_map(|b| if let Block::Quiz(q) = b { Some(q) } else { None });
    quizzes
        .enumerate()
        .flat_map(|(n, q)| {
            let qid = q.element_id(n + 1);
            q.questions.iter().enumerate().map(move |(i, question)| question_key(question, &qid, i))
        })
        .collect()
}

/// A quiz block; `n` numbers quizzes on the page so ids never collide. The
/// quiz's and its questions' ids are added to `ids`.
pub fn quiz(md: &Snippets<'_, '_>, q: &QuizBlock, n: usize, ids: &mut Vec<String>) -> String {
    let raw_id = q.element_id(n);
    let qid = escape_html(&raw_id);
    ids.push(raw_id.clone());
    let mut h = String::new();
    // Landmarks need distinct names when a page has several quizzes.
    let name = q.label.title().map_or_else(|| format!("Quiz {n}"), str::to_string);
    let _ = writeln!(h, "<section class=\"cg-quiz\" id=\"{qid}\" aria-label=\"{}\">", escape_html(&name));
    if let Some(t) = q.label.title() {
        let _ = writeln!(h, "<p class=\"cg-quiz-title\">{}</p>", escape_html(t));
    }
    h.push_str("<ol class=\"cg-questions\">\n");
    let mut data = Vec::new();
    for (i, question) in q.questions.iter().enumerate() {
        let id = format!("{qid}-q{}", i + 1);
        ids.push(format!("{raw_id}-q{}", i + 1));
        let key = question_key(question, &raw_id, i);
        h.push_str(&render_question(md, question, (&id, &key), &mut data));
    }
    h.push_str("</ol>\n");
    let _ = writeln!(h, "<script type=\"application/json\" class=\"cg-quiz-data\">{}</script>", json_for_script(&data));
    h.push_str("</section>\n");
    // The formatting tags of mdbook-quiz text, kept as HTML (see parse::quiz_html).
    crate::parse::quiz_html::restore(&h).into_owned()
}

/// One question; `id` is its element id and `key` its progress key.
fn render_question<'a>(md: &Snippets<'_, '_>, q: &'a Question, (id, key): (&str, &str), data: &mut Vec<QuestionData<'a>>) -> String {
    let mut h = String::new();
    let kind = match q.answer {
        Answer::Choice { .. } => "choice",
        Answer::Short { .. } => "short",
        Answer::Output { .. } => "output",
        Answer::Tracing { .. } => "tracing",
        Answer::Order { .. } => "order",
    };
    let _ = writeln!(h, "<li class=\"cg-question\" id=\"{id}\" data-kind=\"{kind}\" data-key=\"{}\">", escape_html(key));
    let _ = writeln!(h, "<div role=\"group\" aria-labelledby=\"{id}-prompt\">");
    let _ = writeln!(h, "<div class=\"cg-prompt\" id=\"{id}-prompt\">{}</div>", md.fragment(&q.prompt));
    if let Some(code) = &q.code {
        let info = CodeInfo { lang: code.lang.clone().unwrap_or_default(), ..CodeInfo::default() };
        h.push_str(&super::code::code_block(md.markdown(), &info, &code.code));
    }
    let (inputs, answer_html, answer_data) = answer(md, q, id);
    h.push_str(&inputs);
    if let Some(hint) = &q.hint {
        let _ = writeln!(h, "<details class=\"cg-hint\"><summary>Hint</summary>{}</details>", md.fragment(hint));
    }
    let explain = q.explain.as_deref().map(|e| format!("<div class=\"cg-explain\">{}</div>", md.fragment(e))).unwrap_or_default();
    let _ = writeln!(h, "<details class=\"cg-answer\"><summary>Show answer</summary>{answer_html}{explain}</details>");
    h.push_str("</div>\n</li>\n");
    data.push(QuestionData { kind, answer: answer_data, id: q.id.as_deref() });
    h
}

/// The inputs, the revealed answer, and the checking data of one question.
fn answer(md: &Snippets<'_, '_>, q: &Question, id: &str) -> (String, String, serde_json::Value) {
    match &q.answer {
        Answer::Choice { options, correct, multiple } => choice(md, options, correct, *multiple, id),
        Answer::Short { answer, accept } => {
            let h = format!(
                "<p><label for=\"{id}-input\">Your answer</label> <input type=\"text\" id=\"{id}-input\" autocomplete=\"off\" spellcheck=\"false\"></p>\n"
            );
            let shown = format!("<p class=\"cg-correct\">Answer: <code>{}</code></p>", escape_html(answer));
            let mut all = vec![answer.clone()];
            all.extend(accept.iter().cloned());
            (h, shown, serde_json::json!(all))
        }
        Answer::Output { output } => {
            let rows = output.lines().count().clamp(2, 12);
            let h = format!(
                "<p><label for=\"{id}-input\">Predicted output</label><br><textarea id=\"{id}-input\" rows=\"{rows}\" spellcheck=\"false\"></textarea></p>\n"
            );
            let shown = format!(
                "<p class=\"cg-correct\">Output:</p><pre class=\"cg-code\" tabindex=\"0\"><code>{}</code></pre>",
                escape_html(output)
            );
            (h, shown, serde_json::json!(output))
        }
        Answer::Tracing { output } => tracing(output.as_deref(), id),
        Answer::Order { lines } => order(md, lines, &q.prompt),
    }
}

/// The output box of a Tracing question and, beside it, "It does not
/// compile" as a choice of its own, as mdbook-quiz asks it.
fn tracing(output: Option<&str>, id: &str) -> (String, String, serde_json::Value) {
    let rows = output.map_or(2, |o| o.lines().count().clamp(2, 12));
    let h = format!(
        "<p><label for=\"{id}-input\">Predicted output</label><br><textarea id=\"{id}-input\" rows=\"{rows}\" spellcheck=\"false\"></textarea></p>\n\
         <p><label><input type=\"checkbox\" class=\"cg-no-compile\" id=\"{id}-fails\"> It does not compile</label></p>\n"
    );
    let shown = match output {
        Some(o) => {
            format!("<p class=\"cg-correct\">Output:</p><pre class=\"cg-code\" tabindex=\"0\"><code>{}</code></pre>", escape_html(o))
        }
        None => "<p class=\"cg-correct\">Answer: it does not compile.</p>".to_string(),
    };
    (h, shown, serde_json::json!(output))
}

/// Radio buttons (one answer) or checkboxes (a list); each option's feedback
/// hidden beside it for the script, and listed under Show answer for readers
/// without scripts, where it would otherwise never show.
fn choice(
    md: &Snippets<'_, '_>,
    options: &[ChoiceOption],
    correct: &[usize],
    multiple: bool,
    id: &str,
) -> (String, String, serde_json::Value) {
    let ty = if multiple { "checkbox" } else { "radio" };
    let mut h = String::from("<ul class=\"cg-options\">\n");
    for (i, o) in options.iter().enumerate() {
        let letter = letter(i);
        let _ = writeln!(
            h,
            "<li><label><input type=\"{ty}\" name=\"{id}\" value=\"{i}\"> <span class=\"cg-letter\">{letter}.</span> <span class=\"cg-option-text\">{}</span></label>{}</li>",
            md.inline(&o.text),
            o.feedback.as_deref().map(|f| format!("<div class=\"cg-feedback\" hidden>{}</div>", md.inline(f))).unwrap_or_default(),
        );
    }
    h.push_str("</ul>\n");
    let right: Vec<String> =
        correct.iter().filter_map(|&i| options.get(i).map(|o| format!("{}. {}", letter(i), md.inline(&o.text)))).collect();
    let mut shown = format!("<p class=\"cg-correct\">Answer: {}</p>", right.join("; "));
    let why: String = options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            Some(format!("<li><span class=\"cg-letter\">{}.</span> {}</li>", letter(i), md.inline(o.feedback.as_deref()?)))
        })
        .collect();
    if !why.is_empty() {
        let _ = write!(shown, "<ul class=\"cg-why\">{why}</ul>");
    }
    (h, shown, serde_json::json!(correct))
}

/// The lines in a shuffled order that is the same on every build (seeded by the
/// prompt) and never already solved.
fn order(md: &Snippets<'_, '_>, lines: &[String], prompt: &str) -> (String, String, serde_json::Value) {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    shuffle(&mut order, prompt);
    if order.iter().enumerate().all(|(i, &j)| i == j) {
        order.rotate_left(1);
    }
    let mut h = String::from("<ol class=\"cg-order\">\n");
    for &i in &order {
        let _ = writeln!(h, "<li data-line=\"{i}\">{}</li>", md.inline(&lines[i]));
    }
    h.push_str("</ol>\n");
    let mut shown = String::from("<p class=\"cg-correct\">Correct order:</p><ol>");
    for l in lines {
        let _ = write!(shown, "<li>{}</li>", md.inline(l));
    }
    shown.push_str("</ol>");
    // For each shown position, the index in the correct order.
    (h, shown, serde_json::json!(order))
}
