//! Edge tokens of a Mermaid flowchart (`-->`, `---`, `-.->`, `==>`, `~~~`, end marks `<`,
//! `o`, `x`, longer links, labels as `-->|x|` or `-- x -->`); it knows nothing about nodes
//! or statements.

use super::FlowError;
use super::label::label;
use super::mermaid::Cursor;
use crate::model::flow::{Mark, Stroke};

/// One edge token.
pub(super) struct LinkToken {
    pub stroke: Stroke,
    pub arrow: bool,
    pub head: Mark,
    pub tail: Mark,
    pub length: usize,
    pub label: Option<String>,
    pub span: std::ops::Range<usize>,
}

const LINK_HINT: &str =
    "edges are written `-->`, `---`, `-.->`, `==>`, `~~~`, `<-->`, `--o` or `--x`, with a label as `-->|label|` or `-- label -->`";

/// True when the cursor is at something that starts an edge: a line, or an `o`/`x`/`<`
/// end mark right before one.
pub(super) fn at_link(cur: &Cursor) -> bool {
    let rest = cur.rest();
    let mut chars = rest.chars();
    match chars.next() {
        Some('-' | '=' | '<' | '~' | '.') => true,
        Some('o' | 'x') => matches!(chars.next(), Some('-' | '=' | '.')) && matches!(chars.next(), Some('-' | '=' | '.')),
        _ => false,
    }
}

/// The shape of the line between the end marks.
struct Body {
    stroke: Stroke,
    arrow: bool,
    head: Mark,
    length: usize,
    label: Option<String>,
}

/// Reads the edge at the cursor, which [`at_link`] said is there.
pub(super) fn scan(cur: &mut Cursor) -> Result<LinkToken, FlowError> {
    let start = cur.pos;
    let tail = match cur.peek() {
        Some('<') => Mark::Arrow,
        Some('o') => Mark::Circle,
        Some('x') => Mark::Cross,
        _ => Mark::None,
    };
    if tail != Mark::None {
        cur.bump();
    }
    let rest = cur.rest();
    let body = match rest.chars().next() {
        Some('~') if rest.starts_with("~~~") => {
            let n = rest.chars().take_while(|&x| x == '~').count();
            cur.pos += n;
            Body { stroke: Stroke::Invisible, arrow: false, head: Mark::None, length: n - 2, label: None }
        }
        Some('-') if rest.starts_with("-.") => dotted(cur)?,
        Some(c @ ('-' | '=')) => plain(cur, c)?,
        _ => {
            let len = cur.rest().find(char::is_whitespace).unwrap_or(cur.rest().len()).max(1);
            return Err(FlowError::new(cur.span(start, cur.pos + len), "unknown edge", LINK_HINT));
        }
    };
    let span = cur.span(start, cur.pos);
    let label = match body.label {
        Some(label) => Some(label),
        None => pipe_label(cur)?,
    };
    let Body { stroke, arrow, head, length, .. } = body;
    Ok(LinkToken { stroke, arrow, head, tail, length: length.clamp(1, MAX_LENGTH), label: label.filter(|l| !l.is_empty()), span })
}

/// The longest an edge may be drawn, in ranks: more is read as this many.
const MAX_LENGTH: usize = 8;

/// The end of a line: `>`, an `o`/`x` mark not followed by a word, or nothing.
fn end_mark(cur: &mut Cursor) -> Option<(bool, Mark)> {
    let mut chars = cur.rest().chars();
    match chars.next() {
        Some('>') => {
            cur.bump();
            Some((true, Mark::None))
        }
        Some(c @ ('o' | 'x')) if !chars.next().is_some_and(|n| n.is_alphanumeric() || n == '_') => {
            cur.bump();
            Some((false, if c == 'o' { Mark::Circle } else { Mark::Cross }))
        }
        _ => None,
    }
}

/// `-->`, `---`, `==>`, `===`, `--o` (with any extra length) or the label form `-- x -->`.
fn plain(cur: &mut Cursor, c: char) -> Result<Body, FlowError> {
    let start = cur.pos;
    let stroke = if c == '=' { Stroke::Thick } else { Stroke::Solid };
    let n = cur.rest().chars().take_while(|&x| x == c).count();
    cur.pos += n;
    if n >= 2
        && let Some((arrow, head)) = end_mark(cur)
    {
        return Ok(Body { stroke, arrow, head, length: n - 1, label: None });
    }
    if n >= 3 {
        return Ok(Body { stroke, arrow: false, head: Mark::None, length: n - 2, label: None });
    }
    if n == 2 {
        let closer = if c == '=' { "==" } else { "--" };
        return labelled(cur, start, stroke, closer);
    }
    Err(FlowError::new(cur.span(start, cur.pos), format!("unknown edge `{c}`"), LINK_HINT))
}

/// `-.->`, `-.-` (any number of dots) or the label form `-. x .->`.
fn dotted(cur: &mut Cursor) -> Result<Body, FlowError> {
    let start = cur.pos;
    cur.bump();
    let dots = cur.rest().chars().take_while(|&x| x == '.').count();
    cur.pos += dots;
    if cur.peek() == Some('-') {
        cur.bump();
        let (arrow, head) = end_mark(cur).unwrap_or((false, Mark::None));
        return Ok(Body { stroke: Stroke::Dotted, arrow, head, length: dots, label: None });
    }
    labelled(cur, start, Stroke::Dotted, ".-")
}

/// The text of `-- x -->` up to the first `closer` that ends an edge; leaves the cursor
/// after the edge's end.
fn labelled(cur: &mut Cursor, start: usize, stroke: Stroke, closer: &str) -> Result<Body, FlowError> {
    let text_start = cur.pos;
    let fill = closer.chars().last().unwrap_or('-');
    let mut from = 0;
    while let Some(i) = cur.rest().get(from..).and_then(|r| r.find(closer)) {
        let at = text_start + from + i;
        let raw = &cur.line[text_start..at];
        cur.pos = at + closer.len();
        let extra = cur.rest().chars().take_while(|&x| x == fill).count();
        cur.pos += extra;
        let end = end_mark(cur);
        let open = stroke != Stroke::Dotted && extra >= 1;
        if end.is_some() || open || stroke == Stroke::Dotted {
            let (arrow, head) = end.unwrap_or((false, Mark::None));
            let length = if stroke == Stroke::Dotted { 1 } else { extra + usize::from(end.is_some()) };
            return Ok(Body { stroke, arrow, head, length: length.max(1), label: Some(label(raw).text) });
        }
        cur.pos = text_start;
        from = at - text_start + closer.len();
    }
    let opener = &cur.line[start..text_start];
    let end = if stroke == Stroke::Dotted {
        ".->"
    } else if fill == '=' {
        "==>"
    } else {
        "-->"
    };
    Err(FlowError::new(
        cur.span(start, text_start),
        format!("edge label opened with `{opener}` is never closed"),
        format!("end the label with `{end}`, e.g. `A {opener} yes {end} B`"),
    ))
}

/// An optional `|label|` right after an edge token.
fn pipe_label(cur: &mut Cursor) -> Result<Option<String>, FlowError> {
    let save = cur.pos;
    cur.skip_ws();
    if cur.peek() != Some('|') {
        cur.pos = save;
        return Ok(None);
    }
    let open = cur.pos;
    cur.bump();
    let Some(len) = cur.rest().find('|') else {
        return Err(FlowError::new(cur.span(open, open + 1), "unclosed `|` in an edge label", "end the label with `|`, e.g. `-->|yes| B`"));
    };
    let raw = cur.rest()[..len].trim();
    let raw = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(raw);
    cur.pos += len + 1;
    Ok(Some(label(raw).text))
}
