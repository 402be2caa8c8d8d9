//! Edge tokens in the Mermaid flowchart subset (`-->`, `---`, `-.->`, `==>`, with labels
//! as `-->|x|` or `-- x -->`); it knows nothing about nodes or statements.

use super::FlowError;
use super::mermaid::Cursor;
use super::shape::clean_label;
use crate::model::flow::Stroke;

/// One edge token.
pub(super) struct LinkToken {
    pub stroke: Stroke,
    pub arrow: bool,
    pub label: Option<String>,
    pub span: std::ops::Range<usize>,
}

const LINK_HINT: &str = "edges are written `-->`, `---`, `-.->`, `==>`, with a label as `-->|label|` or `-- label -->`";

/// True when the cursor is at something that starts an edge.
pub(super) fn at_link(cur: &Cursor) -> bool {
    matches!(cur.peek(), Some('-' | '=' | '<' | '~' | '.'))
}

/// Reads the edge at the cursor, which [`at_link`] said is there.
pub(super) fn scan(cur: &mut Cursor) -> Result<LinkToken, FlowError> {
    let start = cur.pos;
    let rest = cur.rest();
    if rest.starts_with('<') {
        return Err(unsupported(cur, start, "two-way edges are not supported", "write two edges, `A --> B` and `B --> A`"));
    }
    if rest.starts_with("~~~") {
        return Err(unsupported(cur, start, "invisible edges `~~~` are not supported", "leave the edge out"));
    }
    let (stroke, arrow, inline_label) = match rest.chars().next() {
        Some('-') if rest.starts_with("-.") => dotted(cur)?,
        Some(c @ ('-' | '=')) => plain(cur, c)?,
        _ => return Err(unsupported(cur, start, "unknown edge", LINK_HINT)),
    };
    let span = cur.span(start, cur.pos);
    let label = match inline_label {
        Some(label) => Some(label),
        None => pipe_label(cur)?,
    };
    Ok(LinkToken { stroke, arrow, label: label.filter(|l| !l.is_empty()), span })
}

fn unsupported(cur: &Cursor, start: usize, message: &str, hint: &str) -> FlowError {
    let len = cur.rest().find(char::is_whitespace).unwrap_or(cur.rest().len()).max(1);
    FlowError::new(cur.span(start, start + len), message, hint)
}

/// `-->`, `---`, `==>`, `===` (with any extra length) or the label form `-- x -->`.
fn plain(cur: &mut Cursor, c: char) -> Result<(Stroke, bool, Option<String>), FlowError> {
    let start = cur.pos;
    let stroke = if c == '=' { Stroke::Thick } else { Stroke::Solid };
    let n = cur.rest().chars().take_while(|&x| x == c).count();
    cur.pos += n;
    if n >= 2 && cur.peek() == Some('>') {
        cur.bump();
        return Ok((stroke, true, None));
    }
    if n >= 3 {
        return Ok((stroke, false, None));
    }
    if n == 2 {
        let closers: [&str; 2] = if c == '=' { ["==>", "==="] } else { ["-->", "---"] };
        return labelled(cur, start, stroke, &closers);
    }
    Err(FlowError::new(cur.span(start, cur.pos), format!("unknown edge `{c}`"), LINK_HINT))
}

/// `-.->`, `-.-` (any number of dots) or the label form `-. x .->`.
fn dotted(cur: &mut Cursor) -> Result<(Stroke, bool, Option<String>), FlowError> {
    let start = cur.pos;
    cur.bump();
    let dots = cur.rest().chars().take_while(|&x| x == '.').count();
    cur.pos += dots;
    if cur.peek() == Some('-') {
        cur.bump();
        let arrow = cur.peek() == Some('>');
        if arrow {
            cur.bump();
        }
        return Ok((Stroke::Dotted, arrow, None));
    }
    labelled(cur, start, Stroke::Dotted, &[".->", ".-"])
}

/// The text of `-- x -->` up to the first closer; leaves the cursor after the closer.
fn labelled(cur: &mut Cursor, start: usize, stroke: Stroke, closers: &[&str]) -> Result<(Stroke, bool, Option<String>), FlowError> {
    let rest = cur.rest();
    // The earliest closer wins; at the same place the longer one (`.->` over `.-`).
    let found = closers.iter().filter_map(|c| rest.find(c).map(|i| (i, *c))).min_by_key(|&(i, c)| (i, std::cmp::Reverse(c.len())));
    let Some((i, closer)) = found else {
        let opener = &cur.line[start..cur.pos];
        return Err(FlowError::new(
            cur.span(start, cur.pos),
            format!("edge label opened with `{opener}` is never closed"),
            format!("end the label with `{}`, e.g. `A {opener} yes {} B`", closers[0], closers[0]),
        ));
    };
    let label = clean_label(&rest[..i]);
    cur.pos += i + closer.len();
    let arrow = closer.ends_with('>');
    // A longer closer (`--->`) is the same edge drawn longer in Mermaid; we accept it as is.
    if !arrow && stroke != Stroke::Dotted {
        let fill = closer.chars().next().unwrap_or('-');
        cur.pos += cur.rest().chars().take_while(|&x| x == fill).count();
        if cur.peek() == Some('>') {
            cur.bump();
            return Ok((stroke, true, Some(label)));
        }
    }
    Ok((stroke, arrow, Some(label)))
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
    Ok(Some(clean_label(raw)))
}
