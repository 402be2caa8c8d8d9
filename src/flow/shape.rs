//! Node shapes in the Mermaid flowchart subset: the bracket pair after a node id and the
//! label inside it; it knows nothing about edges or statements.

use super::FlowError;
use super::label::{Label, label};
use super::mermaid::Cursor;
use crate::model::flow::Shape;

/// A shape with its label, as written after a node id.
pub(super) struct ShapeToken {
    pub shape: Shape,
    pub label: Label,
}

/// The bracket shapes: opener, closer, shape. Longer openers come first so that `((` is
/// not read as `(`; `[/` and `[\\` each close two ways.
const SHAPES: [(&str, &str, Shape); 14] = [
    ("(((", ")))", Shape::DoubleCircle),
    ("((", "))", Shape::Circle),
    ("([", "])", Shape::Stadium),
    ("[(", ")]", Shape::Cylinder),
    ("[[", "]]", Shape::Subroutine),
    ("[/", "/]", Shape::Parallelogram),
    ("[/", "\\]", Shape::Trapezoid),
    ("[\\", "\\]", Shape::ParallelogramAlt),
    ("[\\", "/]", Shape::TrapezoidAlt),
    ("{{", "}}", Shape::Hexagon),
    ("[", "]", Shape::Box),
    ("(", ")", Shape::Rounded),
    ("{", "}", Shape::Decision),
    (">", "]", Shape::Asymmetric),
];

const SHAPE_HINT: &str = "use a Mermaid shape such as `[box]`, `(rounded)`, `([stadium])`, `{decision}`, `((circle))`, \
                          `[(database)]` or `{{hexagon}}`";

/// The v11 `@{ shape: … }` names of the shapes that also have a bracket spelling.
const SHAPE_NAMES: [(&str, Shape); 38] = [
    ("rect", Shape::Box),
    ("rectangle", Shape::Box),
    ("proc", Shape::Box),
    ("process", Shape::Box),
    ("rounded", Shape::Rounded),
    ("event", Shape::Rounded),
    ("stadium", Shape::Stadium),
    ("pill", Shape::Stadium),
    ("terminal", Shape::Stadium),
    ("diam", Shape::Decision),
    ("diamond", Shape::Decision),
    ("decision", Shape::Decision),
    ("question", Shape::Decision),
    ("circle", Shape::Circle),
    ("circ", Shape::Circle),
    ("cyl", Shape::Cylinder),
    ("cylinder", Shape::Cylinder),
    ("database", Shape::Cylinder),
    ("db", Shape::Cylinder),
    ("hex", Shape::Hexagon),
    ("hexagon", Shape::Hexagon),
    ("prepare", Shape::Hexagon),
    ("subproc", Shape::Subroutine),
    ("subprocess", Shape::Subroutine),
    ("subroutine", Shape::Subroutine),
    ("fr-rect", Shape::Subroutine),
    ("framed-rectangle", Shape::Subroutine),
    ("lean-r", Shape::Parallelogram),
    ("lean-right", Shape::Parallelogram),
    ("in-out", Shape::Parallelogram),
    ("lean-l", Shape::ParallelogramAlt),
    ("lean-left", Shape::ParallelogramAlt),
    ("out-in", Shape::ParallelogramAlt),
    ("trap-b", Shape::Trapezoid),
    ("trapezoid-bottom", Shape::Trapezoid),
    ("trap-t", Shape::TrapezoidAlt),
    ("trapezoid-top", Shape::TrapezoidAlt),
    ("dbl-circ", Shape::DoubleCircle),
];

/// True when the cursor is at something that opens a shape (supported or not).
pub(super) fn at_shape(cur: &Cursor) -> bool {
    matches!(cur.peek(), Some('[' | '(' | '{' | '>')) || cur.rest().starts_with("@{")
}

/// Reads the shape at the cursor, which [`at_shape`] said is there; `id` names the node in
/// messages.
pub(super) fn scan(cur: &mut Cursor, id: &str) -> Result<ShapeToken, FlowError> {
    let start = cur.pos;
    if cur.rest().starts_with("@{") {
        return attributes(cur, id);
    }
    let Some(&(open, ..)) = SHAPES.iter().find(|(open, ..)| cur.rest().starts_with(open)) else {
        return Err(FlowError::new(cur.span(start, start + 1), format!("unknown shape `{}`", &cur.rest()[..1]), SHAPE_HINT));
    };
    let closers: Vec<(&str, Shape)> = SHAPES.iter().filter(|(o, ..)| *o == open).map(|&(_, c, s)| (c, s)).collect();
    cur.pos += open.len();
    let (raw, shape) =
        if cur.rest().trim_start().starts_with('"') { quoted_label(cur, &closers)? } else { bare_label(cur, open, &closers, start)? };
    let mut label = label(raw);
    // A label that is only markup (`<img …>`) keeps the node's id rather than vanishing.
    if label.text.is_empty() && !raw.trim().is_empty() {
        label.text = id.to_string();
    }
    if label.text.is_empty() {
        return Err(FlowError::new(
            cur.span(start, cur.pos),
            format!("the label of `{id}` is empty"),
            "write text between the brackets, or leave the brackets off to use the id as the label",
        ));
    }
    Ok(ShapeToken { shape, label })
}

/// Reads an unquoted label up to a closer, letting brackets of the opener's kind nest so
/// that `C(f(x))` keeps its parentheses; leaves the cursor after the closer.
fn bare_label<'a>(cur: &mut Cursor<'a>, open: &str, closers: &[(&str, Shape)], start: usize) -> Result<(&'a str, Shape), FlowError> {
    let open_char = open.chars().next().unwrap_or('[');
    let close_char = match open_char {
        '(' => ')',
        '{' => '}',
        _ => ']',
    };
    let text_start = cur.pos;
    let mut depth = 0usize;
    while let Some(c) = cur.peek() {
        if depth == 0
            && let Some(&(close, shape)) = closers.iter().find(|(close, _)| cur.rest().starts_with(close))
        {
            let raw = &cur.line[text_start..cur.pos];
            cur.pos += close.len();
            return Ok((raw, shape));
        }
        if c == open_char && open_char != '>' {
            depth += 1;
        } else if c == close_char {
            depth = depth.saturating_sub(1);
        }
        cur.bump();
    }
    let close = closers.first().map_or("]", |c| c.0);
    Err(FlowError::new(cur.span(start, start + open.len()), format!("unclosed `{open}`"), format!("close the label with `{close}`")))
}

/// Reads `"text"` followed by a closer; the quotes let a label hold any bracket.
fn quoted_label<'a>(cur: &mut Cursor<'a>, closers: &[(&str, Shape)]) -> Result<(&'a str, Shape), FlowError> {
    let raw = quoted(cur)?;
    cur.skip_ws();
    let Some(&(close, shape)) = closers.iter().find(|(close, _)| cur.rest().starts_with(close)) else {
        let close = closers.first().map_or("]", |c| c.0);
        let at = cur.pos;
        let end = cur.rest().chars().next().map_or(at, |c| at + c.len_utf8());
        return Err(FlowError::new(
            cur.span(at, end),
            format!("expected `{close}` after the quoted label"),
            format!("close the shape right after the closing quote, e.g. `A[\"text\"]` ending in `{close}`"),
        ));
    };
    cur.pos += close.len();
    Ok((raw, shape))
}

/// `"text"` at the cursor (after spaces), returning the text between the quotes.
pub(super) fn quoted<'a>(cur: &mut Cursor<'a>) -> Result<&'a str, FlowError> {
    cur.skip_ws();
    let quote = cur.pos;
    cur.bump();
    let Some(len) = cur.rest().find('"') else {
        return Err(FlowError::new(cur.span(quote, quote + 1), "unclosed `\"` in a label", "end the label with `\"`"));
    };
    let raw = &cur.rest()[..len];
    cur.pos += len + 1;
    Ok(raw)
}

/// The v11 form `A@{ shape: cyl, label: "Orders" }`; shapes without a bracket spelling
/// are valid Mermaid we do not draw.
fn attributes(cur: &mut Cursor, id: &str) -> Result<ShapeToken, FlowError> {
    let start = cur.pos;
    cur.pos += 2;
    let Some(len) = cur.rest().find('}') else {
        return Err(FlowError::new(cur.span(start, start + 2), "unclosed `@{`", "close the node's attributes with `}`"));
    };
    let body_at = cur.pos;
    let body = &cur.rest()[..len];
    cur.pos += len + 1;
    let (mut shape, mut text) = (Shape::Box, None);
    for (key, value, at) in pairs(body) {
        let span = cur.span(body_at + at, body_at + at + key.len());
        match key {
            "shape" => match SHAPE_NAMES.iter().find(|(n, _)| *n == value) {
                Some(&(_, s)) => shape = s,
                None => return Err(FlowError::unsupported(span, format!("the `{value}` shape"))),
            },
            "label" => text = Some(value),
            _ => return Err(FlowError::unsupported(span, format!("node attribute `{key}`"))),
        }
    }
    let label = label(text.unwrap_or(id));
    Ok(ShapeToken { shape, label })
}

/// `key: value` pairs separated by commas, values optionally quoted, with each key's
/// offset in `body`.
fn pairs(body: &str) -> Vec<(&str, &str, usize)> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut at = 0;
    while let Some(colon) = rest.find(':') {
        let key_raw = &rest[..colon];
        let key = key_raw.trim().trim_start_matches(',').trim();
        let key_at = at + key_raw.find(key).unwrap_or(0);
        let after = &rest[colon + 1..];
        let trimmed = after.trim_start();
        let skip = after.len() - trimmed.len();
        let (value, used) = match trimmed.strip_prefix('"') {
            Some(q) => {
                let end = q.find('"').unwrap_or(q.len());
                (&q[..end], skip + end + 2)
            }
            None => {
                let end = trimmed.find(',').unwrap_or(trimmed.len());
                (trimmed[..end].trim(), skip + end)
            }
        };
        out.push((key, value, key_at));
        let consumed = (colon + 1 + used).min(rest.len());
        at += consumed;
        rest = &rest[consumed..];
    }
    out
}
