//! The one door to YAML: serde-saphyr, pinned, with our limits and our error shape.
//!
//! This exists because serde_yaml is archived; serde-saphyr forbids unsafe code,
//! bounds alias expansion and nesting, and locates its errors. No other module
//! names serde-saphyr: they use [`from_str`] and [`Spanned`] from here.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, DuplicateKeyPolicy, MessageFormatter};

pub use serde_saphyr::Spanned;

use crate::diag::LineIndex;

mod explain;

/// Deepest nesting accepted in a YAML block: far beyond any quiz or step table,
/// low enough that hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;
/// Most aliases (`*name`) one block may use: guards against "billion laughs".
pub const MAX_ALIASES: usize = 100;
/// Most nodes in one block.
pub const MAX_NODES: usize = 100_000;

/// A YAML problem located in the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Byte range in the parsed text.
    pub span: Range<usize>,
    /// The parser's message, without its own location suffix, in plain words
    /// where we know them.
    pub message: String,
    /// What to write instead, for the syntax mistakes authors often make.
    pub hint: Option<String>,
}

/// Deserializes `text` into `T` with coursegen's limits: duplicate keys are errors,
/// `yes`/`no` are strings (only `true`/`false` are booleans), depth and aliases
/// are bounded.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = MAX_ALIASES;
    budget.max_nodes = MAX_NODES;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        duplicate_keys: DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| to_error(text, &e))
}

fn to_error(text: &str, e: &serde_saphyr::Error) -> YamlError {
    let message = serde_saphyr::DefaultMessageFormatter.format_message(e);
    let message = friendly(message.trim().trim_end_matches('.'));
    let span = e.location().map_or(0..0, |loc| location_span(text, &loc));
    let explained = explain::explain(text, span, &message);
    YamlError { span: explained.span, message: explained.message, hint: explained.hint }
}

/// Byte range of a location in `text`; from the byte offset when the parser
/// recorded one, else from line and column.
fn location_span(text: &str, loc: &serde_saphyr::Location) -> Range<usize> {
    let span = loc.span();
    if let Some(start) = span.byte_offset().and_then(|o| usize::try_from(o).ok()) {
        let len = span.byte_len().and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
        let start = start.min(text.len());
        return start..(start + len).min(text.len());
    }
    let line = usize::try_from(loc.line()).unwrap_or(1);
    let col = usize::try_from(loc.column()).unwrap_or(1);
    let start = LineIndex::new(text).line_start(line);
    let offset = text[start..].char_indices().nth(col.saturating_sub(1)).map_or(text.len(), |(i, _)| start + i);
    offset..offset
}

/// The parser's terse type names in words an author knows.
fn friendly(message: &str) -> String {
    match message {
        "invalid u8" | "invalid u16" | "invalid u32" | "invalid u64" | "invalid usize" => "expected a whole number".into(),
        "invalid i8" | "invalid i16" | "invalid i32" | "invalid i64" => "expected a whole number".into(),
        "invalid bool" => "expected `true` or `false`".into(),
        m if m.starts_with("budget breached") => {
            let what = m.trim_start_matches("budget breached").trim_start_matches(':').trim();
            if what.starts_with("Aliases") {
                format!("more than {MAX_ALIASES} aliases (`*name`) in one block; write the values out")
            } else if what.starts_with("Depth") {
                format!("nested more than {MAX_DEPTH} levels deep")
            } else if what.starts_with("Nodes") {
                format!("more than {MAX_NODES} values in one block")
            } else {
                "this block is too large to read safely".into()
            }
        }
        m => m.to_string(),
    }
}

/// Byte range of a spanned YAML value in the parsed text (where it is used,
/// which differs from where it is defined only for aliases).
pub fn span_of<T>(text: &str, value: &Spanned<T>) -> Range<usize> {
    location_span(text, &value.referenced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
    }

    #[test]
    fn unknown_key_is_located() {
        let text = "title: a\ntitel: b\n";
        let e = from_str::<Doc>(text).unwrap_err();
        assert!(e.message.contains("titel"), "{e:?}");
        assert_eq!(&text[e.span.start..e.span.start + 5], "titel");
    }

    #[test]
    fn syntax_error_is_located() {
        let text = "title: [a\n";
        let e = from_str::<Doc>(text).unwrap_err();
        assert!(e.span.start <= text.len(), "{e:?}");
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9u8 {
            let prev = (b'a' + i) as char;
            let name = (b'b' + i) as char;
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let r = from_str::<serde_json::Value>(&text);
        assert!(r.is_err(), "alias expansion must be bounded");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert!(from_str::<serde_json::Value>(&text).is_err());
    }

    #[test]
    fn spanned_values_locate() {
        #[derive(Deserialize)]
        struct Plain {
            #[allow(dead_code)]
            x: u8,
            answer: Spanned<String>,
        }
        let text = "x: 1\nanswer: B\n";
        let p: Plain = from_str(text).unwrap();
        let span = span_of(text, &p.answer);
        assert_eq!(&text[span.start..span.start + 1], "B");
    }
}
