//! ```` ```moments ````, ```` ```snapshot ```` and ```` ```transcript ````: the
//! lesson's own parts, as YAML lists. A transcript may also be plain Markdown
//! paragraphs, as authors paste it.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::yaml_types::Scalar;
use super::{Fragment, links, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::model::parts::{Moment, Narration, Part, PartBlock, StepRef};
use crate::model::{Block, Label, Link, Name, Place};
use crate::parse::yaml::{self, Spanned};

/// Most items one part may have: far past any lesson, low enough that a
/// pasted log is an error rather than a page no one can read.
pub const MAX_ITEMS: usize = 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoment {
    question: Spanned<String>,
    insight: Spanned<String>,
    #[serde(default)]
    steps: Option<Spanned<OneOrMany>>,
}

/// `steps: 5` or `steps: [5, 6]`; a lone number is located by its key's value.
enum OneOrMany {
    One(usize),
    Many(Vec<Spanned<usize>>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step number or a list of them, such as `steps: [5]`")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<OneOrMany, E> {
                usize::try_from(n).map(OneOrMany::One).map_err(|_| E::custom("a step number is too large"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<usize>>()? {
                    out.push(n);
                }
                Ok(OneOrMany::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A paragraph: its text alone (located by the item), or `text:` with the
/// `step:` it narrates.
enum RawNarration {
    Text(String),
    Tied { text: Spanned<String>, step: Option<Spanned<usize>> },
}

impl<'de> Deserialize<'de> for RawNarration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawNarration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a paragraph of text, or a map with `text:` and optional `step:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNarration, E> {
                Ok(RawNarration::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNarration, A::Error> {
                let (mut text, mut step) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => text = Some(map.next_value()?),
                        "step" => step = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &["text", "step"])),
                    }
                }
                Ok(RawNarration::Tied { text: text.ok_or_else(|| de::Error::missing_field("text"))?, step })
            }
        }
        d.deserialize_any(V)
    }
}

/// The fence's parts of a block being read.
pub struct Head<'a> {
    pub path: &'a str,
    pub span: Range<usize>,
    pub label: Label,
    pub from: Option<Name>,
}

/// Parses one part (`kind` is its info string's word); `None`, with a
/// located error, when it cannot be read. The links of its texts go to `links`.
pub fn parse(kind: &str, head: Head<'_>, body: &Fragment, diags: &mut Vec<Diagnostic>, links: &mut Vec<Link>) -> Option<Block> {
    let mut texts = Texts { body, links };
    let part = match kind {
        "moments" => Part::Moments(moments(head.path, body, diags, &mut texts)?),
        "snapshot" => Part::Snapshot(snapshot(head.path, body, diags, &mut texts)?),
        _ => Part::Transcript(transcript(head.path, body, diags, &mut texts)?),
    };
    let empty = match &part {
        Part::Moments(m) => m.is_empty(),
        Part::Snapshot(s) => s.is_empty(),
        Part::Transcript(t) => t.is_empty(),
    };
    if empty {
        let at = head.span.start..head.span.start + 3 + kind.len();
        diags.push(Diagnostic::error(head.path, at, format!("this {kind} block is empty")).with_hint(example(kind)));
        return None;
    }
    Some(Block::Part(PartBlock { span: head.span, label: head.label, from: head.from, part }))
}

/// What to write, for the hint of a block that cannot be read.
fn example(kind: &str) -> &'static str {
    match kind {
        "moments" => "write a list of moments: `- question: Why …?` with `insight: …` and optional `steps: [5]`",
        "snapshot" => "write the takeaways as a list: `- Flask signs the session cookie.` (quote one that has `: ` in it)",
        _ => "write paragraphs of text, or a list of `- text: …` with optional `step: 3`",
    }
}

/// Reads `T` from the body, or says why not.
fn read<T: serde::de::DeserializeOwned>(kind: &str, path: &str, body: &Fragment, diags: &mut Vec<Diagnostic>) -> Option<Vec<Spanned<T>>> {
    let items: Vec<Spanned<T>> = match yaml::from_str(&body.text) {
        Ok(items) => items,
        Err(e) => {
            diags.push(yaml_diagnostic(path, body, e, example(kind)));
            return None;
        }
    };
    if items.len() > MAX_ITEMS {
        let at = body.range_to_file(&yaml::span_of(&body.text, &items[MAX_ITEMS]));
        diags.push(
            Diagnostic::error(path, at, format!("a {kind} block may have at most {MAX_ITEMS} items; this one has {}", items.len()))
                .with_hint("split the lesson, or keep the part to what a learner reads"),
        );
        return None;
    }
    Some(items)
}

/// The texts of one block, whose links are collected where they are written.
struct Texts<'b, 'l> {
    body: &'b Fragment,
    links: &'l mut Vec<Link>,
}

impl Texts<'_, '_> {
    fn take(&mut self, text: Spanned<String>, place: Place) -> String {
        links::in_body(self.body, yaml::span_of(&self.body.text, &text).start, &text.value, place, self.links);
        text.value
    }

    /// Step `n`, written where `at` (a value of the body) is.
    fn step<T>(&self, n: usize, at: &Spanned<T>) -> StepRef {
        StepRef { n, span: self.body.range_to_file(&number_span(&self.body.text, at)) }
    }
}

/// Where a step number is written: the parser may give its start only.
fn number_span<T>(text: &str, n: &Spanned<T>) -> Range<usize> {
    let at = yaml::span_of(text, n);
    let digits = text.get(at.start..).map_or(0, |t| t.bytes().take_while(u8::is_ascii_digit).count());
    at.start..at.start + digits.max(at.len())
}

fn moments(path: &str, body: &Fragment, diags: &mut Vec<Diagnostic>, texts: &mut Texts<'_, '_>) -> Option<Vec<Moment>> {
    let raw: Vec<Spanned<RawMoment>> = read("moments", path, body, diags)?;
    let moments = raw.into_iter().enumerate().map(|(i, m)| {
        let m = m.value;
        let steps = match &m.steps {
            None => Vec::new(),
            Some(at @ Spanned { value: OneOrMany::One(n), .. }) => vec![texts.step(*n, at)],
            Some(Spanned { value: OneOrMany::Many(ns), .. }) => ns.iter().map(|n| texts.step(n.value, n)).collect(),
        };
        let place = Place::Moment(i + 1);
        Moment { question: texts.take(m.question, place), insight: texts.take(m.insight, place), steps }
    });
    Some(moments.collect())
}

fn snapshot(path: &str, body: &Fragment, diags: &mut Vec<Diagnostic>, texts: &mut Texts<'_, '_>) -> Option<Vec<String>> {
    let raw: Vec<Spanned<Scalar>> = read("snapshot", path, body, diags)?;
    let takeaways = raw.into_iter().enumerate().map(|(i, t)| {
        let text = Spanned { value: t.value.0, referenced: t.referenced, defined: t.defined };
        texts.take(text, Place::Takeaway(i + 1))
    });
    Some(takeaways.collect())
}

fn transcript(path: &str, body: &Fragment, diags: &mut Vec<Diagnostic>, texts: &mut Texts<'_, '_>) -> Option<Vec<Narration>> {
    if !body.text.trim_start().starts_with('-') {
        return Some(paragraphs(&body.text, texts));
    }
    let raw: Vec<Spanned<RawNarration>> = read("transcript", path, body, diags)?;
    let paragraphs = raw.into_iter().enumerate().map(|(i, n)| {
        let place = Place::Narration(i + 1);
        match n.value {
            RawNarration::Text(text) => {
                let text = Spanned { value: text, referenced: n.referenced, defined: n.defined };
                Narration { text: texts.take(text, place), step: None }
            }
            RawNarration::Tied { text, step } => {
                Narration { step: step.as_ref().map(|s| texts.step(s.value, s)), text: texts.take(text, place) }
            }
        }
    });
    Some(paragraphs.collect())
}

/// A transcript written as Markdown: one narration per paragraph (text
/// between blank lines), none tied to a step.
fn paragraphs(text: &str, texts: &mut Texts<'_, '_>) -> Vec<Narration> {
    let mut out = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        match (line.trim().is_empty(), start) {
            (false, None) => start = Some(offset),
            (true, Some(s)) => {
                out.push(narration(text, s..offset, out.len() + 1, texts));
                start = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(narration(text, s..text.len(), out.len() + 1, texts));
    }
    out
}

fn narration(text: &str, r: Range<usize>, n: usize, texts: &mut Texts<'_, '_>) -> Narration {
    let md = text[r.clone()].trim_end().to_string();
    links::in_body(texts.body, r.start, &md, Place::Narration(n), texts.links);
    Narration { text: md, step: None }
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostic;
    use crate::model::Block;
    use crate::model::parts::Part;
    use crate::parse::{PageSource, page};

    const STEPS: &str = "```steps id=loop\nsteps:\n  - [a, b, c]\n  - [a, b, c]\n```\n\n";

    fn parsed(text: &str) -> (Vec<Block>, Vec<Diagnostic>) {
        let (p, d) = page(&PageSource { path: "content/a.md", rel: "a.md", src_dir: "content", text: &text.into() }, &|_| None);
        (p.blocks.to_vec(), d)
    }

    /// Each diagnostic's message and the text it points at.
    fn said(text: &str) -> Vec<(String, String)> {
        parsed(text).1.into_iter().map(|d| (d.message, text[d.span].to_string())).collect()
    }

    fn part(text: &str) -> Part {
        let (blocks, d) = parsed(text);
        assert!(d.is_empty(), "{d:?}");
        blocks.into_iter().find_map(|b| if let Block::Part(p) = b { Some(p.part) } else { None }).expect("a part")
    }

    #[test]
    fn moments_keep_their_questions_insights_and_steps() {
        let text = format!(
            "{STEPS}```moments\n- question: Why?\n  insight: Because [row 2](#loop-step-2).\n  steps: [1, 2]\n- question: And?\n  insight: So.\n  steps: 2\n```\n"
        );
        let Part::Moments(m) = part(&text) else { panic!() };
        assert_eq!((m[0].question.as_str(), m[0].insight.as_str()), ("Why?", "Because [row 2](#loop-step-2)."));
        assert_eq!(m[0].steps.iter().map(|s| s.n).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(&text[m[0].steps[1].span.clone()], "2");
        assert_eq!(m[1].steps.iter().map(|s| s.n).collect::<Vec<_>>(), [2], "a lone number");
        let (page, _) = page(&PageSource { path: "a.md", rel: "a.md", src_dir: "", text: &text.as_str().into() }, &|_| None);
        assert!(page.links.iter().any(|l| l.dest == "#loop-step-2" && text[l.span.clone()].starts_with("[row 2]")), "links located");
    }

    #[test]
    fn a_step_past_the_table_is_an_error_at_the_number() {
        let text =
            format!("{STEPS}```moments\n- question: Q\n  insight: I\n  steps: [2, 7]\n```\n\n```transcript\n- step: 0\n  text: T\n```\n");
        assert_eq!(
            said(&text),
            [
                ("there is no step 7 in `loop`: it has 2 steps".to_string(), "7".to_string()),
                ("there is no step 0 in `loop`: it has 2 steps".to_string(), "0".to_string()),
            ]
        );
    }

    #[test]
    fn steps_need_a_table_to_count_in() {
        let text = "```moments\n- question: Q\n  insight: I\n  steps: [1]\n```\n\n```transcript from=nope\n- step: 1\n  text: T\n```\n";
        assert_eq!(
            said(text),
            [
                ("a key moment that names a step needs a steps block on this page".to_string(), "```moments".to_string()),
                ("`from=nope` names no steps block on this page".to_string(), "from=nope".to_string()),
            ]
        );
        assert!(said("```moments\n- question: Q\n  insight: I\n```\n").is_empty(), "a moment without steps needs no table");
    }

    #[test]
    fn bad_parts_are_located_errors() {
        let text = "```moments\n- question: Q\n  insigt: I\n```\n\n```snapshot\n```\n\n```snapshot\n- a: b\n```\n";
        let found = said(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].0.contains("insigt") && found[0].1.starts_with("insigt"), "{found:?}");
        assert_eq!(found[1], ("this snapshot block is empty".to_string(), "```snapshot".to_string()));
        let map = &parsed(text).1[2];
        assert!(map.message.contains("map") && text[map.span.start..].starts_with("a: b"), "{map:?}");
        assert!(map.hint.as_deref().is_some_and(|h| h.contains("quote")), "{map:?}");
    }

    #[test]
    fn a_transcript_is_paragraphs_or_a_list() {
        let Part::Transcript(t) = part("```transcript\nOne, and\nstill one.\n\n\nTwo.\n```\n") else { panic!() };
        assert_eq!(t.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["One, and\nstill one.", "Two."]);
        let Part::Transcript(t) = part(&format!("{STEPS}```transcript\n- Plain.\n- step: 2\n  text: Tied.\n```\n")) else { panic!() };
        assert_eq!((t[0].step.as_ref(), t[1].step.as_ref().map(|s| s.n)), (None, Some(2)));
        let Part::Snapshot(s) = part("```snapshot\n- Keys sign cookies.\n- 42\n```\n") else { panic!() };
        assert_eq!(s, ["Keys sign cookies.", "42"]);
    }

    #[test]
    fn a_part_has_at_most_max_items() {
        let body: String = (0..=super::MAX_ITEMS).map(|i| format!("- t{i}\n")).collect();
        let found = said(&format!("```snapshot\n{body}```\n"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.contains("at most 1000 items") && found[0].1.starts_with("t1000"), "{found:?}");
    }
}
