//! ```` ```steps ````: an execution table, as YAML.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::yaml_types::{OrderedMap, Scalar};
use super::{Fragment, links, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::model::{Block, Label, LineRange, Link, Name, Place, Step, StepsBlock};
use crate::parse::yaml::{self, Spanned};

/// The default columns after Step.
pub const DEFAULT_COLUMNS: [&str; 3] = ["Action", "Value/Result", "Effect"];

/// Most values a steps block may track: variables × (steps + 1), one for
/// each variable before the first step and after each. The step player's
/// data and a derived tracker hold them all, so a block whose every step
/// sets a new variable grows as the square of its length (issue 21: 163 KB
/// of steps made a 257 MB page in 41 s).
pub const MAX_TRACKED_VALUES: usize = 20_000;

/// Most bytes those values may add up to, carried from step to step: a long
/// value set once is repeated in every state after it.
pub const MAX_TRACKED_BYTES: usize = 4 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSteps {
    columns: Option<Vec<Scalar>>,
    start: Option<OrderedMap>,
    steps: Spanned<Vec<Spanned<RawStep>>>,
    exit: Option<Spanned<String>>,
}

/// A step: a list of cells, or a map with `cells` and optional `line`, `set`, `note`.
#[derive(Default)]
struct RawStep {
    cells: Vec<Spanned<Scalar>>,
    line: Option<String>,
    set: OrderedMap,
    note: Option<Spanned<Scalar>>,
}

impl<'de> Deserialize<'de> for RawStep {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StepVisitor)
    }
}

struct StepVisitor;

impl<'de> Visitor<'de> for StepVisitor {
    type Value = RawStep;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step: a list of cells, or a map with `cells` and optional `line`, `set`, `note`")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawStep, A::Error> {
        let mut cells = Vec::new();
        while let Some(c) = seq.next_element::<Spanned<Scalar>>()? {
            cells.push(c);
        }
        Ok(RawStep { cells, ..RawStep::default() })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawStep, A::Error> {
        let mut step = RawStep::default();
        let mut has_cells = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "cells" => {
                    step.cells = map.next_value()?;
                    has_cells = true;
                }
                "line" => step.line = Some(map.next_value::<Scalar>()?.0),
                "set" => step.set = map.next_value()?,
                "note" => step.note = Some(map.next_value()?),
                other => {
                    return Err(de::Error::unknown_field(other, &["cells", "line", "set", "note"]));
                }
            }
        }
        if !has_cells {
            return Err(de::Error::missing_field("cells"));
        }
        Ok(step)
    }
}

/// Parses a steps block; `None` (with diagnostics) when it cannot be used.
/// The links of its cells and notes go to `links`.
pub fn parse(
    path: &str,
    span: Range<usize>,
    label: Label,
    code: Option<Name>,
    body: &Fragment,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<Link>,
) -> Option<Block> {
    let raw: RawSteps = match yaml::from_str(&body.text) {
        Ok(r) => r,
        Err(e) => {
            let hint = "a steps block is YAML with `steps:` (a list of rows) and optional `columns:`, `start:` and `exit:`";
            diags.push(yaml_diagnostic(path, body, e, hint));
            return None;
        }
    };
    let columns: Vec<String> = match raw.columns {
        Some(c) => c.into_iter().map(|s| s.0).collect(),
        None => DEFAULT_COLUMNS.iter().map(|s| s.to_string()).collect(),
    };
    if raw.steps.value.is_empty() {
        let at = body.range_to_file(&yaml::span_of(&body.text, &raw.steps));
        diags.push(Diagnostic::error(path, at, "a steps block needs at least one step"));
    }
    let mut steps = Vec::new();
    for (i, s) in raw.steps.value.into_iter().enumerate() {
        let at = body.range_to_file(&yaml::span_of(&body.text, &s));
        let lines = s.value.line.as_deref().and_then(|l| match parse_lines(l) {
            Some(r) => Some(r),
            None => {
                diags.push(
                    Diagnostic::error(path, at.clone(), format!("step {}: `line: {l}` is not a line or a range", i + 1))
                        .with_hint("write a line number such as `line: 3` or a range such as `line: 5-7`"),
                );
                None
            }
        });
        if s.value.cells.len() != columns.len() {
            diags.push(
                Diagnostic::error(
                    path,
                    at.clone(),
                    format!(
                        "step {} has {} cell{} but the table has {} column{}",
                        i + 1,
                        s.value.cells.len(),
                        plural(s.value.cells.len()),
                        columns.len(),
                        plural(columns.len())
                    ),
                )
                .with_hint(format!("the columns are {}; the Step number is added for you", columns.join(", "))),
            );
        }
        let texts = s.value.cells.iter().chain(&s.value.note);
        texts.for_each(|t| links::in_body(body, yaml::span_of(&body.text, t).start, &t.value.0, Place::Step(i + 1), links));
        let cells = s.value.cells.into_iter().map(|c| c.value.0).collect();
        steps.push(Step { span: at, cells, lines, set: s.value.set.0, note: s.value.note.map(|n| n.value.0) });
    }
    if let Some(exit) = &raw.exit {
        links::in_body(body, yaml::span_of(&body.text, exit).start, &exit.value, Place::Exit, links);
    }
    let mut start = raw.start.unwrap_or_default().0;
    if let Some(d) = over_budget(path, &start, &steps) {
        diags.push(d);
        // Reported; without its variables the block still renders at the
        // size of its source, and its anchors are there for the page's checks.
        start.clear();
        steps.iter_mut().for_each(|s| s.set.clear());
    }
    // Kept even with ragged rows (already reported), so the page's other checks
    // still see this block and report their problems in the same run.
    let exit = raw.exit.map(|e| e.value);
    Some(Block::Steps(StepsBlock { span, label, code, columns, start, steps, exit }))
}

/// The error for a block that tracks more than [`MAX_TRACKED_VALUES`]
/// values or [`MAX_TRACKED_BYTES`] bytes of them, at the step that reaches
/// the limit. Linear in the block's source, as every check must be.
fn over_budget(path: &str, start: &[(String, String)], steps: &[Step]) -> Option<Diagnostic> {
    let names: HashSet<&str> = start.iter().chain(steps.iter().flat_map(|s| &s.set)).map(|(n, _)| n.as_str()).collect();
    let vars = names.len();
    if vars == 0 {
        return None;
    }
    // The bytes of each variable's current value: "—" before it is set.
    let mut current: std::collections::HashMap<&str, usize> = names.iter().map(|n| (*n, "—".len())).collect();
    start.iter().for_each(|(n, v)| _ = current.insert(n.as_str(), v.len()));
    let mut state_bytes: usize = current.values().sum();
    let (mut values, mut bytes) = (vars, state_bytes);
    let total = vars.saturating_mul(steps.len() + 1);
    for (i, s) in steps.iter().enumerate() {
        for (n, v) in &s.set {
            let was = current.insert(n.as_str(), v.len()).unwrap_or_default();
            state_bytes = state_bytes - was + v.len();
        }
        values += vars;
        bytes = bytes.saturating_add(state_bytes);
        let hint = |what: &str| format!("split the block into several, or {what}; the limit is reached at this step, step {}", i + 1);
        if values > MAX_TRACKED_VALUES {
            let message = format!(
                "this steps block tracks {vars} variable{} over {} steps, {total} values, more than the {MAX_TRACKED_VALUES} a block may hold",
                plural(vars),
                steps.len()
            );
            return Some(Diagnostic::error(path, s.span.clone(), message).with_hint(hint("`set` fewer variables")));
        }
        if bytes > MAX_TRACKED_BYTES {
            let message = format!(
                "the values this steps block carries from step to step come to more than {} MiB, the most a block may hold",
                MAX_TRACKED_BYTES >> 20
            );
            return Some(Diagnostic::error(path, s.span.clone(), message).with_hint(hint("give long values shorter names")));
        }
    }
    None
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `3` or `5-7` (also `5..7` and `5–7`).
fn parse_lines(s: &str) -> Option<LineRange> {
    let s = s.trim();
    let (a, b) = s.split_once("..").or_else(|| s.split_once('-')).or_else(|| s.split_once('–')).unwrap_or((s, s));
    let first: u32 = a.trim().parse().ok()?;
    let last: u32 = b.trim().parse().ok()?;
    (first >= 1 && last >= first).then_some(LineRange { first, last })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_body(text: &str) -> (Option<StepsBlock>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut body = Fragment::empty_at(0);
        body.push(text, 0);
        let block = parse("a.md", 0..text.len(), Label::default(), None, &body, &mut diags, &mut Vec::new());
        (block.map(|b| if let Block::Steps(s) = b { s } else { panic!("not steps") }), diags)
    }

    #[test]
    fn steps_as_lists_or_maps_with_default_columns() {
        let text = "start: {x: 0}\nsteps:\n  - [a, \"**b**\", c]\n  - cells: [d, e, f]\n    line: 5-7\n    set: {x: 1, y: two}\n    note: N\nexit: Done\n";
        let (b, d) = parse_body(text);
        assert!(d.is_empty(), "{d:?}");
        let b = b.unwrap();
        assert_eq!(b.columns, DEFAULT_COLUMNS);
        assert_eq!(b.start, [("x".to_string(), "0".to_string())]);
        assert_eq!(b.steps[0].cells, ["a", "**b**", "c"]);
        assert_eq!(b.steps[0].lines, None);
        assert_eq!(b.steps[1].lines, Some(LineRange { first: 5, last: 7 }));
        assert_eq!(b.steps[1].set, [("x".to_string(), "1".to_string()), ("y".to_string(), "two".to_string())]);
        assert_eq!((b.steps[1].note.as_deref(), b.exit.as_deref()), (Some("N"), Some("Done")));
    }

    #[test]
    fn custom_columns_and_every_step_problem() {
        let text = "columns: [What]\nsteps:\n  - [a, b]\n  - cells: [c]\n    line: x\n";
        let (b, d) = parse_body(text);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["step 1 has 2 cells but the table has 1 column", "step 2: `line: x` is not a line or a range"]);
        assert!(text[d[0].span.start..].starts_with("[a, b]"));
        assert!(text[d[1].span.start..].starts_with("cells: [c]"), "{:?}", d[1].span);
        assert_eq!(b.unwrap().columns, ["What"], "kept, so the page's other checks still run");
    }

    #[test]
    fn a_step_map_needs_cells_and_known_keys() {
        let (b, d) = parse_body("steps:\n  - {line: 1}\n");
        assert!(b.is_none() && d[0].message.contains("cells"), "{d:?}");
        let (b, d) = parse_body("steps:\n  - {cells: [a, b, c], lines: 1}\n");
        assert!(b.is_none() && d[0].message.contains("lines"), "{d:?}");
        let (_, d) = parse_body("steps: []\n");
        assert_eq!(d[0].message, "a steps block needs at least one step");
    }

    fn new_variable_every_step(n: usize) -> String {
        let rows: String = (0..n).map(|i| format!("  - cells: [s{i}, v, e]\n    set: {{var{i}: {i}}}\n")).collect();
        format!("steps:\n{rows}")
    }

    #[test]
    fn steps_times_variables_over_the_budget_is_an_error_at_the_step_that_reaches_it() {
        let text = new_variable_every_step(150);
        let (b, d) = parse_body(&text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("this steps block tracks 150 variables over 150 steps, 22650 values"), "{}", d[0].message);
        // 150 variables in 134 states (start and 133 steps) are 20,100 values.
        assert!(text[d[0].span.start..].starts_with("cells: [s132,"), "{:?}", &text[d[0].span.start..][..20]);
        assert!(d[0].hint.as_deref().unwrap_or_default().ends_with("step 133"), "{:?}", d[0].hint);
        let b = b.expect("kept, for the page's other checks");
        assert_eq!(b.steps.len(), 150);
        assert!(b.start.is_empty() && b.steps.iter().all(|s| s.set.is_empty()), "rendered without its variables");
        let (_, d) = parse_body(&new_variable_every_step(140));
        assert!(d.is_empty(), "140 × 141 = 19,740 values fit: {d:?}");
    }

    #[test]
    fn a_long_value_carried_over_many_steps_is_over_the_byte_budget() {
        let long = "x".repeat(100_000);
        let text = format!("steps:\n  - cells: [a, b, c]\n    set: {{v: {long}}}\n{}", "  - [a, b, c]\n".repeat(60));
        let (_, d) = parse_body(&text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("more than 4 MiB"), "{}", d[0].message);
        // 100,000 bytes in each state after step 1: 4 MiB is passed at step 42.
        assert!(d[0].hint.as_deref().unwrap_or_default().ends_with("step 42"), "{:?}", d[0].hint);
    }

    #[test]
    fn line_ranges() {
        assert_eq!(parse_lines("3"), Some(LineRange { first: 3, last: 3 }));
        assert_eq!(parse_lines("5-7"), Some(LineRange { first: 5, last: 7 }));
        assert_eq!(parse_lines("7-5"), None);
        assert_eq!(parse_lines("0"), None);
        assert_eq!(parse_lines("x"), None);
    }
}
