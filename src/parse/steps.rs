//! ```` ```steps ````: an execution table, as YAML.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::yaml_types::{OrderedMap, Scalar};
use super::{Fragment, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::fence::Attrs;
use crate::model::{Block, LineRange, Step, StepsBlock};
use crate::yaml::{self, Spanned};

/// The default columns after Step.
pub const DEFAULT_COLUMNS: [&str; 3] = ["Action", "Value/Result", "Effect"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSteps {
    columns: Option<Vec<Scalar>>,
    start: Option<OrderedMap>,
    steps: Spanned<Vec<Spanned<RawStep>>>,
    exit: Option<String>,
}

/// A step: a list of cells, or a map with `cells` and optional `line`, `set`, `note`.
#[derive(Default)]
struct RawStep {
    cells: Vec<String>,
    line: Option<String>,
    set: OrderedMap,
    note: Option<String>,
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
        while let Some(c) = seq.next_element::<Scalar>()? {
            cells.push(c.0);
        }
        Ok(RawStep { cells, ..RawStep::default() })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawStep, A::Error> {
        let mut step = RawStep::default();
        let mut has_cells = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "cells" => {
                    step.cells = map.next_value::<Vec<Scalar>>()?.into_iter().map(|s| s.0).collect();
                    has_cells = true;
                }
                "line" => step.line = Some(map.next_value::<Scalar>()?.0),
                "set" => step.set = map.next_value()?,
                "note" => step.note = Some(map.next_value::<Scalar>()?.0),
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
pub fn parse(path: &str, span: Range<usize>, attrs: Attrs, body: &Fragment, diags: &mut Vec<Diagnostic>) -> Option<Block> {
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
                    format!("step {} has {} cells but the table has {} columns", i + 1, s.value.cells.len(), columns.len()),
                )
                .with_hint(format!("the columns are {}; the Step number is added for you", columns.join(", "))),
            );
        }
        steps.push(Step { span: at, cells: s.value.cells, lines, set: s.value.set.0, note: s.value.note });
    }
    // Kept even with ragged rows (already reported), so the page's other checks
    // still see this block and report their problems in the same run.
    Some(Block::Steps(StepsBlock {
        span,
        attrs,
        columns,
        start: raw.start.unwrap_or_default().0,
        steps,
        exit: raw.exit,
    }))
}

/// `3` or `5-7` (also `5..7` and `5–7`).
fn parse_lines(s: &str) -> Option<LineRange> {
    let s = s.trim();
    let (a, b) = s
        .split_once("..")
        .or_else(|| s.split_once('-'))
        .or_else(|| s.split_once('–'))
        .unwrap_or((s, s));
    let first: u32 = a.trim().parse().ok()?;
    let last: u32 = b.trim().parse().ok()?;
    (first >= 1 && last >= first).then_some(LineRange { first, last })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges() {
        assert_eq!(parse_lines("3"), Some(LineRange { first: 3, last: 3 }));
        assert_eq!(parse_lines("5-7"), Some(LineRange { first: 5, last: 7 }));
        assert_eq!(parse_lines("7-5"), None);
        assert_eq!(parse_lines("0"), None);
        assert_eq!(parse_lines("x"), None);
    }
}
