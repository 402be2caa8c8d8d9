//! ```` ```quiz ````: a YAML list of questions, checked into [`Question`]s.
//!
//! The kind is inferred (`options` → choice, `lines` → order, `output` → output,
//! else short) unless `kind:` says it. Answers are resolved here, so a letter
//! that names no option is an error at build time, not a broken page.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::yaml_types::{OneOrMany, Scalar};
use super::{Fragment, links, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::model::{Answer, Block, ChoiceOption, Label, Link, Place, Question, QuestionCode, QuizBlock, QuizOrigin};
use crate::parse::yaml::{self, Spanned};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    prompt: Option<Spanned<String>>,
    options: Option<Spanned<Vec<Spanned<RawOption>>>>,
    answer: Option<Spanned<OneOrMany>>,
    accept: Option<Spanned<Vec<Scalar>>>,
    output: Option<Spanned<Scalar>>,
    lines: Option<Spanned<Vec<Scalar>>>,
    hint: Option<Spanned<String>>,
    explain: Option<Spanned<String>>,
    code: Option<String>,
    lang: Option<String>,
}

/// An option: a string, or a map with `text` and `feedback`.
struct RawOption {
    text: String,
    /// `text:` when the option is a map (else the option itself is its text).
    text_at: Option<Spanned<Scalar>>,
    feedback: Option<Spanned<Scalar>>,
}

impl<'de> Deserialize<'de> for RawOption {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawOption;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an option: text, or a map with `text` and `feedback`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawOption, E> {
                Ok(RawOption { text: v.to_string(), text_at: None, feedback: None })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawOption, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawOption, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawOption, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawOption, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawOption, A::Error> {
                let (mut text_at, mut feedback) = (None::<Spanned<Scalar>>, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => text_at = Some(map.next_value()?),
                        "feedback" => feedback = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &["text", "feedback"])),
                    }
                }
                let text = text_at.as_ref().ok_or_else(|| de::Error::missing_field("text"))?.value.0.clone();
                Ok(RawOption { text, text_at, feedback })
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a quiz block. Once the YAML is read the block is kept even when its
/// questions have problems (all reported): the page's checks then still see
/// its links and ids, so one run reports everything. A build with errors
/// writes nothing, so a block kept this way is never shown. `None` when the
/// YAML cannot be read. The links of its texts go to `links`.
pub fn parse_block(
    path: &str,
    span: Range<usize>,
    label: Label,
    body: &Fragment,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<Link>,
) -> Option<Block> {
    const HINT: &str = "a quiz is a YAML list of questions, each starting with `- prompt:`";
    let mut check = Check { path, body, text: &body.text, offset: 0, diags, ids: BTreeMap::new(), links };
    let raw: Vec<Spanned<RawQuestion>> = match yaml::from_str(&body.text) {
        Ok(r) => r,
        Err(e) => {
            check.each_item(e, HINT);
            return None;
        }
    };
    if raw.is_empty() {
        check.error(span.clone(), "a quiz block needs at least one question".into(), HINT);
        return None;
    }
    let questions: Vec<Question> = raw.into_iter().enumerate().map(|(i, q)| check.question(i + 1, q)).collect();
    Some(Block::Quiz(QuizBlock { span, label, origin: QuizOrigin::Inline, questions }))
}

/// Byte ranges of the questions of a block-style YAML list: each starts at a
/// line `- key: …` (or a lone `-`) at the left margin. A line such as `- a`
/// there is not a question but a list item the author did not indent (under
/// `options:`), so it stays with the question above and is reported once,
/// there, instead of once more as a question of its own.
fn items(text: &str) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "-" || line.strip_prefix("- ").is_some_and(starts_with_key) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(text.len()));
    starts.iter().copied().zip(ends).map(|(a, b)| a..b).collect()
}

/// `key: value` or `key:` with a plain key.
fn starts_with_key(s: &str) -> bool {
    let key_end = s.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(s.len());
    key_end > 0 && s[key_end..].strip_prefix(':').is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

struct Check<'a> {
    path: &'a str,
    body: &'a Fragment,
    /// The YAML being checked: the whole body, or one item of it.
    text: &'a str,
    /// Where `text` starts in the body.
    offset: usize,
    diags: &'a mut Vec<Diagnostic>,
    ids: BTreeMap<String, usize>,
    links: &'a mut Vec<Link>,
}

impl Check<'_> {
    fn at<T>(&self, v: &Spanned<T>) -> Range<usize> {
        let r = yaml::span_of(self.text, v);
        self.body.range_to_file(&(r.start + self.offset..r.end + self.offset))
    }

    /// Keeps the links of `md`, the value `v` of question `n`.
    fn links_of<T>(&mut self, n: usize, v: &Spanned<T>, md: &str) {
        let start = yaml::span_of(self.text, v).start + self.offset;
        links::in_body(self.body, start, md, Place::Question(n), self.links);
    }

    /// Keeps the links of every Markdown text of question `n`.
    fn texts(&mut self, n: usize, q: &RawQuestion) {
        if let Some(p) = &q.prompt {
            self.links_of(n, p, &p.value);
        }
        for o in q.options.iter().flat_map(|o| &o.value) {
            match &o.value.text_at {
                Some(t) => self.links_of(n, t, &t.value.0),
                None => self.links_of(n, o, &o.value.text),
            }
            if let Some(f) = &o.value.feedback {
                self.links_of(n, f, &f.value.0);
            }
        }
        for t in q.hint.iter().chain(&q.explain) {
            self.links_of(n, t, &t.value);
        }
    }

    /// After the whole list failed to parse: parses each item alone, so every
    /// question's problems are reported, not just the first.
    fn each_item(&mut self, whole: yaml::YamlError, hint: &str) {
        let items = items(self.text);
        if items.len() < 2 {
            self.diags.push(yaml_diagnostic(self.path, self.body, whole, hint));
            return;
        }
        let all = self.text;
        for (i, r) in items.into_iter().enumerate() {
            self.text = &all[r.clone()];
            self.offset = r.start;
            match yaml::from_str::<Vec<Spanned<RawQuestion>>>(self.text) {
                Ok(qs) => {
                    for q in qs {
                        self.question(i + 1, q);
                    }
                }
                Err(e) => {
                    let e = yaml::YamlError { span: e.span.start + r.start..e.span.end + r.start, ..e };
                    self.diags.push(yaml_diagnostic(self.path, self.body, e, hint));
                }
            }
        }
    }

    fn error(&mut self, span: Range<usize>, message: String, hint: &str) {
        let d = Diagnostic::error(self.path, span, message);
        self.diags.push(if hint.is_empty() { d } else { d.with_hint(hint) });
    }

    /// Checks question `n` and builds it as written; a missing or unusable
    /// answer is reported and left empty, so the question's links and id are
    /// still checked with the rest of the page.
    fn question(&mut self, n: usize, q: Spanned<RawQuestion>) -> Question {
        let at = self.at(&q);
        let q = q.value;
        if let Some(id) = &q.id {
            let span = self.at(id);
            if self.ids.insert(id.value.clone(), n).is_some() {
                self.error(span, format!("question {n}: id `{}` is used twice in this quiz", id.value), "give every question its own id");
            }
        }
        let prompt = match &q.prompt {
            Some(p) if !p.value.trim().is_empty() => p.value.clone(),
            Some(p) => {
                let span = self.at(p);
                self.error(span, format!("question {n} has an empty prompt"), "");
                String::new()
            }
            None => {
                self.error(at.clone(), format!("question {n} has no `prompt`"), "start each question with `- prompt: ...`");
                String::new()
            }
        };
        let answer = self.answer(n, &at, &q);
        self.texts(n, &q);
        let code = q.code.map(|code| QuestionCode { code, lang: q.lang });
        let (hint, explain) = (q.hint.map(|h| h.value), q.explain.map(|e| e.value));
        Question { id: q.id.map(|i| i.value), prompt, code, hint, explain, answer }
    }

    fn answer(&mut self, n: usize, at: &Range<usize>, q: &RawQuestion) -> Answer {
        let inferred = if q.options.is_some() {
            "choice"
        } else if q.lines.is_some() {
            "order"
        } else if q.output.is_some() {
            "output"
        } else {
            "short"
        };
        let kind = match &q.kind {
            Some(k) if !KINDS.contains(&k.value.as_str()) => {
                let span = self.at(k);
                self.error(
                    span,
                    format!("question {n}: unknown kind `{}`", k.value),
                    "the kinds are `choice`, `short`, `output` and `order`",
                );
                // Check the rest as the kind its keys suggest, so its other
                // problems are found in this run too.
                inferred
            }
            Some(k) => k.value.as_str(),
            None => inferred,
        };
        self.stray_keys(n, kind, q);
        match kind {
            "choice" => self.choice(n, at, q),
            "short" => self.short(n, at, q),
            "output" => {
                if q.output.is_none() {
                    self.error(
                        at.clone(),
                        format!("question {n} has no `output`"),
                        "an output question needs `output:` with what the program prints",
                    );
                }
                Answer::Output { output: q.output.as_ref().map(|o| o.value.0.clone()).unwrap_or_default() }
            }
            _ => {
                let lines: Vec<String> = q.lines.iter().flat_map(|l| l.value.iter().map(|s| s.0.clone())).collect();
                if lines.len() < 2 {
                    self.error(at.clone(), format!("question {n}: an order question needs at least two `lines`"), "");
                }
                Answer::Order { lines }
            }
        }
    }

    fn short(&mut self, n: usize, at: &Range<usize>, q: &RawQuestion) -> Answer {
        let accept = q.accept.iter().flat_map(|a| a.value.iter().map(|s| s.0.clone())).collect();
        let answer = match &q.answer {
            None => {
                self.error(
                    at.clone(),
                    format!("question {n} has no `answer`"),
                    "a short-answer question needs `answer:` with the expected text",
                );
                String::new()
            }
            Some(a) => match &a.value {
                OneOrMany::One(s) => s.clone(),
                OneOrMany::Many(_) => {
                    let span = self.at(a);
                    self.error(span, format!("question {n}: a short answer is one text"), "put other accepted answers in `accept: [...]`");
                    String::new()
                }
            },
        };
        Answer::Short { answer, accept }
    }

    /// Reports answer keys that another kind uses: `accept` on a choice question
    /// would be ignored silently, and the author would never know.
    fn stray_keys(&mut self, n: usize, kind: &str, q: &RawQuestion) {
        let spans = [
            ("options", q.options.as_ref().map(|v| self.at(v))),
            ("answer", q.answer.as_ref().map(|v| self.at(v))),
            ("accept", q.accept.as_ref().map(|v| self.at(v))),
            ("output", q.output.as_ref().map(|v| self.at(v))),
            ("lines", q.lines.as_ref().map(|v| self.at(v))),
        ];
        let allowed: &[&str] = match kind {
            "choice" => &["options", "answer"],
            "short" => &["answer", "accept"],
            "output" => &["output"],
            "order" => &["lines"],
            _ => return,
        };
        for (key, span) in spans {
            if let Some(span) = span.filter(|_| !allowed.contains(&key)) {
                let a = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                let hint = format!("{a} {kind} question takes {}", super::list(allowed));
                self.error(span, format!("question {n}: `{key}` does not apply to {a} {kind} question"), &hint);
            }
        }
    }

    fn choice(&mut self, n: usize, at: &Range<usize>, q: &RawQuestion) -> Answer {
        let Some(opts) = &q.options else {
            self.error(at.clone(), format!("question {n} has no `options`"), "a choice question lists its `options:`");
            return Answer::Choice { options: Vec::new(), correct: Vec::new(), multiple: false };
        };
        let opts_at = self.at(opts);
        if opts.value.len() < 2 {
            self.error(opts_at.clone(), format!("question {n} needs at least two options"), "");
        }
        let options: Vec<ChoiceOption> = opts
            .value
            .iter()
            .map(|o| ChoiceOption { text: o.value.text.clone(), feedback: o.value.feedback.as_ref().map(|f| f.value.0.clone()) })
            .collect();
        for (i, o) in options.iter().enumerate() {
            if options[..i].iter().any(|p| p.text.trim() == o.text.trim()) {
                let span = self.at(&opts.value[i]);
                self.error(span, format!("question {n}: option `{}` is listed twice", o.text), "every option needs its own text");
            }
        }
        let Some(a) = &q.answer else {
            self.error(
                at.clone(),
                format!("question {n} has no `answer`"),
                "name the correct option by letter (`answer: B`) or by its text",
            );
            return Answer::Choice { options, correct: Vec::new(), multiple: false };
        };
        let a_at = self.at(a);
        let (wanted, multiple) = match &a.value {
            OneOrMany::One(s) => (vec![s.clone()], false),
            OneOrMany::Many(v) => (v.clone(), true),
        };
        let mut correct = Vec::new();
        for w in &wanted {
            match resolve(w, &options) {
                Some(i) => correct.push(i),
                None => self.error(
                    a_at.clone(),
                    format!("question {n}: answer `{w}` is not one of the options"),
                    &format!("use a letter from A to {} or an option's exact text", letter(options.len().saturating_sub(1))),
                ),
            }
        }
        if multiple && correct.is_empty() && wanted.is_empty() {
            self.error(a_at, format!("question {n}: the answer list is empty"), "");
        }
        correct.sort_unstable();
        correct.dedup();
        Answer::Choice { options, correct, multiple }
    }
}

/// The question kinds `kind:` may name.
const KINDS: [&str; 4] = ["choice", "short", "output", "order"];

/// `A` → 0 …; else the option whose text is exactly `w`.
fn resolve(w: &str, options: &[ChoiceOption]) -> Option<usize> {
    let t = w.trim();
    if let [c] = t.as_bytes()
        && c.is_ascii_uppercase()
    {
        let i = usize::from(c - b'A');
        return (i < options.len()).then_some(i);
    }
    options.iter().position(|o| o.text.trim() == t)
}

/// 0 → `A`, 25 → `Z`.
pub fn letter(i: usize) -> char {
    u8::try_from(i).ok().filter(|i| *i < 26).map_or('?', |i| char::from(b'A' + i))
}
