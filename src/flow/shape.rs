//! Node shapes in the Mermaid flowchart subset: the bracket pair after a node id and the
//! label inside it; it knows nothing about edges or statements.

use super::FlowError;
use super::mermaid::Cursor;
use crate::model::flow::Shape;

/// A shape with its label, as written after a node id.
pub(super) struct ShapeToken {
    pub shape: Shape,
    pub label: String,
}

/// The supported shapes: opener, closer, shape. Longer openers come first so that `((`
/// is not read as `(`.
const SHAPES: [(&str, &str, Shape); 5] = [
    ("((", "))", Shape::Circle),
    ("([", "])", Shape::Stadium),
    ("[", "]", Shape::Box),
    ("(", ")", Shape::Rounded),
    ("{", "}", Shape::Decision),
];

const SHAPE_HINT: &str = "use one of `[box]`, `(rounded)`, `([stadium])`, `{decision}`, `((circle))`";

/// True when the cursor is at something that opens a shape (supported or not).
pub(super) fn at_shape(cur: &Cursor) -> bool {
    matches!(cur.peek(), Some('[' | '(' | '{' | '>'))
}

/// Reads the shape at the cursor, which [`at_shape`] said is there; `id` names the node in
/// messages.
pub(super) fn scan(cur: &mut Cursor, id: &str) -> Result<ShapeToken, FlowError> {
    let start = cur.pos;
    for unsupported in ["(((", ">"] {
        if cur.rest().starts_with(unsupported) {
            return Err(unknown_shape(cur.span(start, start + unsupported.len()), unsupported));
        }
    }
    let Some(&(open, close, shape)) = SHAPES.iter().find(|(open, ..)| cur.rest().starts_with(open)) else {
        return Err(unknown_shape(cur.span(start, start + 1), &cur.rest()[..1]));
    };
    cur.pos += open.len();
    let raw = if cur.rest().trim_start().starts_with('"') {
        quoted_label(cur, close)?
    } else {
        let raw = bare_label(cur, open, close, start)?;
        if let Some(kind) = nested_shape(raw) {
            return Err(unknown_shape(cur.span(start, cur.pos), kind));
        }
        raw
    };
    let label = clean_label(raw);
    if label.is_empty() {
        return Err(FlowError::new(
            cur.span(start, cur.pos),
            format!("the label of `{id}` is empty"),
            "write text between the brackets, or leave the brackets off to use the id as the label",
        ));
    }
    Ok(ShapeToken { shape, label })
}

fn unknown_shape(span: std::ops::Range<usize>, written: &str) -> FlowError {
    FlowError::new(span, format!("unknown shape `{written}`"), SHAPE_HINT)
}

/// Reads an unquoted label up to `close`, letting brackets of the same kind nest so that
/// `C(f(x))` keeps its parentheses; leaves the cursor after `close`.
fn bare_label<'a>(cur: &mut Cursor<'a>, open: &str, close: &str, start: usize) -> Result<&'a str, FlowError> {
    let close_char = close.chars().next().unwrap_or(']');
    let open_char = match close_char {
        ')' => '(',
        '}' => '{',
        _ => '[',
    };
    let text_start = cur.pos;
    let mut depth = 0usize;
    while let Some(c) = cur.peek() {
        if depth == 0 && cur.rest().starts_with(close) {
            let raw = &cur.line[text_start..cur.pos];
            cur.pos += close.len();
            return Ok(raw);
        }
        if c == open_char {
            depth += 1;
        } else if c == close_char {
            depth = depth.saturating_sub(1);
        }
        cur.bump();
    }
    Err(FlowError::new(cur.span(start, start + open.len()), format!("unclosed `{open}`"), format!("close the label with `{close}`")))
}

/// Reads `"text"` followed by `close`; the quotes let a label hold any bracket.
fn quoted_label<'a>(cur: &mut Cursor<'a>, close: &str) -> Result<&'a str, FlowError> {
    cur.skip_ws();
    let quote = cur.pos;
    cur.bump();
    let Some(len) = cur.rest().find('"') else {
        return Err(FlowError::new(cur.span(quote, quote + 1), "unclosed `\"` in a label", "end the label with `\"`"));
    };
    let raw = &cur.rest()[..len];
    cur.pos += len + 1;
    cur.skip_ws();
    if !cur.rest().starts_with(close) {
        let at = cur.pos;
        let end = cur.rest().chars().next().map_or(at, |c| at + c.len_utf8());
        return Err(FlowError::new(
            cur.span(at, end),
            format!("expected `{close}` after the quoted label"),
            format!("close the shape right after the closing quote, e.g. `A[\"text\"]` ending in `{close}`"),
        ));
    }
    cur.pos += close.len();
    Ok(raw)
}

/// Mermaid shapes we do not draw look like a supported shape with a bracketed label:
/// `[[subroutine]]`, `[(database)]`, `[/parallelogram/]`, `{{hexagon}}`.
fn nested_shape(raw: &str) -> Option<&'static str> {
    let pairs = [
        ("[", "]", "[["),
        ("(", ")", "[("),
        ("/", "/", "[/"),
        ("\\", "\\", "[\\"),
        ("/", "\\", "[/"),
        ("\\", "/", "[\\"),
        ("{", "}", "{{"),
    ];
    if raw.len() < 2 {
        return None;
    }
    pairs.iter().find(|(a, b, _)| raw.starts_with(a) && raw.ends_with(b)).map(|&(.., name)| name)
}

/// Trims a label and turns Mermaid's `<br>` into a line break.
pub(super) fn clean_label(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let tag_len = ["<br>", "<br/>", "<br />"]
            .iter()
            .find(|tag| tail.get(..tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag)))
            .map(|tag| tag.len());
        match tag_len {
            Some(len) => {
                out.push('\n');
                rest = &tail[len..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}
