//! ```` ```tracker ````: empty (derived from the page's steps) or written out.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::yaml_types::Scalar;
use super::{Fragment, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::fence::Attrs;
use crate::model::{Block, Tracker, TrackerBlock};
use crate::yaml::{self, Spanned};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTracker {
    columns: Vec<Scalar>,
    rows: Spanned<Rows>,
}

/// Rows in the order written: variable → values.
struct Rows(Vec<(String, Vec<String>)>);

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
                while let Some((k, v)) = map.next_entry::<Scalar, Vec<Scalar>>()? {
                    out.push((k.0, v.into_iter().map(|s| s.0).collect()));
                }
                Ok(Rows(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses a tracker block; `None` (with diagnostics) when it cannot be used.
pub fn parse(path: &str, span: Range<usize>, attrs: Attrs, body: &Fragment, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    if body.text.trim().is_empty() {
        return Some(Block::Tracker(TrackerBlock { span, attrs, kind: Tracker::Derived }));
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
    let at = body.range_to_file(&yaml::span_of(&body.text, &raw.rows));
    let mut ok = true;
    for (name, values) in &raw.rows.value.0 {
        if values.len() != columns.len() {
            ok = false;
            diags.push(Diagnostic::error(
                path,
                at.clone(),
                format!("row `{name}` has {} values but the tracker has {} columns", values.len(), columns.len()),
            ));
        }
    }
    ok.then_some(Block::Tracker(TrackerBlock {
        span,
        attrs,
        kind: Tracker::Written { columns, rows: raw.rows.value.0 },
    }))
}
