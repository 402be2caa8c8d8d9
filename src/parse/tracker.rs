//! ```` ```tracker ````: empty (derived from the page's steps) or written out.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::yaml_types::Scalar;
use super::{Fragment, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::model::{Block, Label, Name, Tracker, TrackerBlock};
use crate::parse::yaml::{self, Spanned};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTracker {
    columns: Vec<Scalar>,
    rows: Spanned<Rows>,
}

/// Rows in the order written: variable → values, each list with its place so a
/// ragged row is reported where it is written.
struct Rows(Vec<(String, Spanned<Vec<Scalar>>)>);

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Rows;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of variables to their values, such as `x: [0, 1, 1]`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rows, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<Scalar, Spanned<Vec<Scalar>>>()? {
                    out.push((k.0, v));
                }
                Ok(Rows(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses a tracker block; `None` (with diagnostics) when its YAML cannot be
/// read. Ragged rows are reported and the block kept, so the page's checks
/// (`from=`) still run on it in the same build.
pub fn parse(
    path: &str,
    span: Range<usize>,
    label: Label,
    from: Option<Name>,
    body: &Fragment,
    diags: &mut Vec<Diagnostic>,
) -> Option<Block> {
    if body.text.trim().is_empty() {
        return Some(Block::Tracker(TrackerBlock { span, label, from, kind: Tracker::Derived }));
    }
    let raw: RawTracker = match yaml::from_str(&body.text) {
        Ok(r) => r,
        Err(e) => {
            let hint = "leave a tracker empty to derive it from the steps, or write `columns:` and `rows:`";
            diags.push(yaml_diagnostic(path, body, e, hint));
            return None;
        }
    };
    let columns: Vec<String> = raw.columns.into_iter().map(|s| s.0).collect();
    let mut rows = Vec::new();
    for (name, values) in raw.rows.value.0 {
        if values.value.len() != columns.len() {
            let at = body.range_to_file(&yaml::span_of(&body.text, &values));
            diags.push(
                Diagnostic::error(
                    path,
                    at,
                    format!(
                        "row `{name}` has {} value{} but the tracker has {} columns",
                        values.value.len(),
                        if values.value.len() == 1 { "" } else { "s" },
                        columns.len()
                    ),
                )
                .with_hint(format!("the columns are {}", columns.join(", "))),
            );
        }
        rows.push((name, values.value.into_iter().map(|s| s.0).collect()));
    }
    Some(Block::Tracker(TrackerBlock { span, label, from, kind: Tracker::Written { columns, rows } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_body(text: &str) -> (Option<Block>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut body = Fragment::empty_at(0);
        body.push(text, 0);
        let block = parse("a.md", 0..text.len(), Label::default(), None, &body, &mut diags);
        (block, diags)
    }

    #[test]
    fn a_ragged_row_is_reported_at_its_values() {
        let text = "columns: [Start, Final]\nrows:\n  a: [1, 2]\n  b: [1, 2, 3]\n  c: [1]\n";
        let (block, d) = parse_body(text);
        assert!(block.is_some(), "kept, so the page's other checks still run");
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["row `b` has 3 values but the tracker has 2 columns", "row `c` has 1 value but the tracker has 2 columns"]);
        assert!(text[d[0].span.start..].starts_with("[1, 2, 3]\n"), "{:?}", d[0].span);
        assert!(text[d[1].span.start..].starts_with("[1]\n"), "{:?}", d[1].span);
    }

    #[test]
    fn written_rows_keep_their_order() {
        let (block, d) = parse_body("columns: [Start]\nrows:\n  z: [1]\n  a: [2]\n");
        assert!(d.is_empty(), "{d:?}");
        let Some(Block::Tracker(TrackerBlock { kind: Tracker::Written { rows, .. }, .. })) = block else { panic!() };
        assert_eq!(rows, [("z".to_string(), vec!["1".to_string()]), ("a".to_string(), vec!["2".to_string()])]);
    }

    #[test]
    fn an_empty_tracker_is_derived() {
        let (block, d) = parse_body("\n");
        assert!(d.is_empty());
        assert!(matches!(block, Some(Block::Tracker(TrackerBlock { kind: Tracker::Derived, .. }))));
    }
}
