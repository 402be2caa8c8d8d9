//! The Mermaid flowchart subset: the `flowchart`/`graph` header and statement lines (node
//! references, `&` groups, chains of edges); tokens are read by `shape.rs` and `link.rs`.

use std::collections::BTreeMap;
use std::ops::Range;

use super::straight::too_many_nodes;
use super::{FlowError, header_keyword, lines_with_offsets, significant_lines};
use super::{keyword, link, shape};
use crate::model::flow::{Direction, Edge, Graph, MAX_EDGES, MAX_NODES, Node, Subgraph};

/// A read position inside one line; spans it hands out are relative to the block body.
pub(super) struct Cursor<'a> {
    pub line: &'a str,
    pub pos: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(line: &'a str, base: usize) -> Self {
        Cursor { line, pos: 0, base }
    }

    /// The unread part of the line.
    pub fn rest(&self) -> &'a str {
        self.line.get(self.pos..).unwrap_or("")
    }

    /// The next character, if any.
    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Steps over one character.
    pub fn bump(&mut self) {
        self.pos += self.peek().map_or(0, char::len_utf8);
    }

    /// Steps over whitespace.
    pub fn skip_ws(&mut self) {
        self.pos += self.rest().len() - self.rest().trim_start().len();
    }

    /// A span in body coordinates from line positions.
    pub fn span(&self, start: usize, end: usize) -> Range<usize> {
        self.base + start..self.base + end
    }

    /// The span of the character at the cursor (empty at the end of the line).
    pub fn char_span(&self) -> Range<usize> {
        let len = self.peek().map_or(0, char::len_utf8);
        self.span(self.pos, self.pos + len)
    }

    fn at_end_of_statement(&self) -> bool {
        matches!(self.peek(), None | Some(';'))
    }
}

/// Collects nodes and edges while the statements are read.
#[derive(Default)]
pub(super) struct Builder {
    pub nodes: Vec<Node>,
    pub by_id: BTreeMap<String, usize>,
    pub edges: Vec<Edge>,
    pub errors: Vec<FlowError>,
    pub warnings: Vec<FlowError>,
    pub subgraphs: Vec<Subgraph>,
    /// The subgraphs open at the current line, innermost last.
    pub open: Vec<usize>,
    /// Per node: the innermost subgraph it was first mentioned in.
    pub member_of: Vec<Option<usize>>,
    /// `e1@-->`: edge ids, with the first edge each names.
    pub edge_ids: BTreeMap<String, usize>,
    /// `:::name` and `class` uses: node ids, class name, where the name is written.
    pub class_uses: Vec<(String, String, Range<usize>)>,
    pub styles: keyword::Styles,
    /// A line that ended in an edge: its sources, the edge, and its id.
    pub dangling: Option<(Vec<usize>, link::LinkToken, Option<String>)>,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// Parses a body that [`super::is_flowchart`] accepted; warnings go to `warnings`.
pub(super) fn parse(body: &str, warnings: &mut Vec<FlowError>) -> Result<Graph, Vec<FlowError>> {
    let mut b = Builder::default();
    let (title, content_start) = front_matter(body);
    b.title = title;
    let mut lines = significant_lines(body).filter(|&(offset, _)| offset >= content_start);
    let mut direction = Direction::TopDown;
    if let Some((offset, line)) = lines.next() {
        let (dir, rest) = header(line, offset, &mut b.errors);
        direction = dir;
        if let Some((rest_offset, rest)) = rest {
            b.line(rest, rest_offset);
        }
    }
    let mut multi_line_descr: Option<String> = None;
    for (offset, line) in lines {
        if let Some(d) = &mut multi_line_descr {
            match line.trim().strip_suffix('}') {
                Some(last) => {
                    d.push_str(last.trim());
                    b.description = multi_line_descr.take().map(|d| d.trim().to_string());
                }
                None => {
                    d.push_str(line.trim());
                    d.push(' ');
                }
            }
            continue;
        }
        if line.trim_start().starts_with("accDescr") && line.trim_end().ends_with('{') {
            multi_line_descr = Some(String::new());
            continue;
        }
        if b.dangling.is_some() || !keyword::statement(&mut b, line, offset) {
            b.line(line, offset);
        }
    }
    if let Some((sources, token, _)) = b.dangling.take() {
        let e = b.no_target(&sources, &token);
        b.errors.push(e);
    }
    for &open in &b.open {
        if let Some(sg) = b.subgraphs.get(open) {
            let span = sg.span.clone();
            b.errors.push(FlowError::new(span, "`subgraph` is never closed", "end the subgraph with a line `end`"));
        }
    }
    if let Some(node) = b.nodes.get(MAX_NODES) {
        b.errors.push(too_many_nodes(node.span.clone()));
    }
    if let Some(edge) = b.edges.get(MAX_EDGES) {
        b.errors.push(FlowError::new(
            edge.span.clone(),
            format!("the diagram has more than {MAX_EDGES} edges"),
            "split it into several smaller diagrams",
        ));
    }
    if b.nodes.is_empty() && b.subgraphs.is_empty() && b.errors.is_empty() {
        let span = body.len() - body.trim_start().len()..body.trim_end().len();
        b.errors.push(FlowError::new(span, "the flowchart has no nodes", "add a node or an edge such as `A --> B` below the header"));
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    let graph = keyword::finish(&mut b, direction);
    warnings.append(&mut b.warnings);
    Ok(graph)
}

/// YAML front matter before the header (`---`, `title: …`, `---`): the title, and the
/// byte offset where the flowchart itself starts (0 without front matter).
pub(super) fn front_matter(body: &str) -> (Option<String>, usize) {
    let mut lines = lines_with_offsets(body).skip_while(|(_, l)| l.trim().is_empty());
    if lines.next().is_none_or(|(_, l)| l.trim() != "---") {
        return (None, 0);
    }
    let mut title = None;
    for (offset, line) in lines {
        if line.trim() == "---" {
            return (title, offset + line.len());
        }
        if let Some(t) = line.strip_prefix("title:") {
            let t = t.trim();
            let t = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(t);
            title = Some(t.to_string()).filter(|t| !t.is_empty());
        }
    }
    (None, 0)
}

/// Reads `flowchart TD`, returning the direction and any statements after a `;`.
fn header<'a>(line: &'a str, offset: usize, errors: &mut Vec<FlowError>) -> (Direction, Option<(usize, &'a str)>) {
    let lead = line.len() - line.trim_start().len();
    let keyword_len = header_keyword(line).map_or(0, str::len);
    let after = lead + keyword_len;
    let (head, rest) = match line[after..].find(';') {
        Some(i) => (&line[after..after + i], Some((offset + after + i + 1, &line[after + i + 1..]))),
        None => (&line[after..], None),
    };
    let mut words = word_spans(head, offset + after);
    let direction = match words.next() {
        None => Direction::TopDown,
        Some((word, span)) => match word {
            "TD" | "TB" => Direction::TopDown,
            "BT" => Direction::BottomUp,
            "LR" => Direction::LeftRight,
            "RL" => Direction::RightLeft,
            _ => {
                errors.push(FlowError::new(span, format!("unknown direction `{word}`"), "use one of `TD`, `TB`, `LR`, `BT`, `RL`"));
                Direction::TopDown
            }
        },
    };
    if let Some((word, span)) = words.next() {
        errors.push(FlowError::new(
            span,
            format!("unexpected `{word}` after the direction"),
            "put each statement on its own line below the header",
        ));
    }
    (direction, rest)
}

/// The whitespace-separated words of `s` with their spans, `s` starting at `offset`.
fn word_spans(s: &str, offset: usize) -> impl Iterator<Item = (&str, Range<usize>)> {
    s.split_whitespace().map(move |w| {
        let start = offset + (w.as_ptr() as usize - s.as_ptr() as usize);
        (w, start..start + w.len())
    })
}

impl Builder {
    /// Reads every `;`-separated statement on a line; an error ends the line.
    pub fn line(&mut self, line: &str, offset: usize) {
        let mut cur = Cursor::new(line, offset);
        loop {
            cur.skip_ws();
            match cur.peek() {
                None => return,
                Some(';') => cur.bump(),
                Some(_) => {
                    if let Err(e) = self.statement(&mut cur) {
                        self.errors.push(e);
                        return;
                    }
                }
            }
        }
    }

    /// `group (link group)*`, where a group is `node (& node)*`. A line that ends in an
    /// edge continues on the next one, as Mermaid allows.
    fn statement(&mut self, cur: &mut Cursor) -> Result<(), FlowError> {
        let mut sources = match self.dangling.take() {
            Some((sources, token, id)) => {
                let targets = self.group(cur, false)?;
                self.connect(&sources, &targets, &token, id.as_deref());
                targets
            }
            None => self.group(cur, true)?,
        };
        loop {
            cur.skip_ws();
            if cur.at_end_of_statement() {
                return Ok(());
            }
            let edge_id = edge_id(cur);
            if !link::at_link(cur) {
                return Err(unexpected(cur, "expected an edge such as `-->` or the end of the line"));
            }
            let token = link::scan(cur)?;
            cur.skip_ws();
            if cur.peek().is_none() {
                self.dangling = Some((sources, token, edge_id.map(str::to_string)));
                return Ok(());
            }
            if cur.at_end_of_statement() {
                return Err(self.no_target(&sources, &token));
            }
            let targets = self.group(cur, false)?;
            self.connect(&sources, &targets, &token, edge_id);
            sources = targets;
        }
    }

    /// The error for an edge with nothing after it.
    pub fn no_target(&self, sources: &[usize], token: &link::LinkToken) -> FlowError {
        let from = sources.last().and_then(|&i| self.nodes.get(i)).map_or("", |n| n.id.as_str());
        FlowError::new(
            token.span.clone(),
            format!("edge from `{from}` has no target"),
            format!("write the target node after the edge, e.g. `{from} --> B`, or delete the edge"),
        )
    }

    /// An edge from every source to every target.
    fn connect(&mut self, sources: &[usize], targets: &[usize], token: &link::LinkToken, id: Option<&str>) {
        if let Some(id) = id {
            self.edge_ids.insert(id.to_string(), self.edges.len());
        }
        for &from in sources {
            for &to in targets {
                let mut edge = Edge::arrow(from, to, token.span.clone());
                edge.label.clone_from(&token.label);
                edge.stroke = token.stroke;
                edge.arrow = token.arrow;
                edge.head = token.head;
                edge.tail = token.tail;
                edge.length = token.length;
                self.edges.push(edge);
            }
        }
    }

    /// `node (& node)*`, returning node indices.
    fn group(&mut self, cur: &mut Cursor, first_in_statement: bool) -> Result<Vec<usize>, FlowError> {
        let mut nodes = vec![self.node(cur, first_in_statement)?];
        loop {
            let save = cur.pos;
            cur.skip_ws();
            if cur.peek() != Some('&') {
                cur.pos = save;
                return Ok(nodes);
            }
            cur.bump();
            cur.skip_ws();
            nodes.push(self.node(cur, false)?);
        }
    }

    /// A node id with an optional shape and `:::class`; creates the node on first mention,
    /// and a later shape replaces an earlier one, as in Mermaid.
    fn node(&mut self, cur: &mut Cursor, first_in_statement: bool) -> Result<usize, FlowError> {
        let start = cur.pos;
        let id = read_id(cur);
        if id.is_empty() {
            return Err(missing_id(cur, first_in_statement));
        }
        let id_span = cur.span(start, cur.pos);
        let save = cur.pos;
        cur.skip_ws();
        let token = if shape::at_shape(cur) {
            Some(shape::scan(cur, id)?)
        } else {
            cur.pos = save;
            None
        };
        let index = match self.by_id.get(id) {
            Some(&i) => i,
            None => {
                self.nodes.push(Node::named(id, id_span));
                self.member_of.push(None);
                self.by_id.insert(id.to_string(), self.nodes.len() - 1);
                self.nodes.len() - 1
            }
        };
        if let (Some(&open), Some(slot)) = (self.open.last(), self.member_of.get_mut(index))
            && slot.is_none()
        {
            *slot = Some(open);
        }
        if let (Some(token), Some(node)) = (token, self.nodes.get_mut(index)) {
            node.shape = token.shape;
            node.label = token.label.text;
            node.style.merge(&token.label.style);
            node.declared = true;
        }
        if cur.rest().starts_with(":::") {
            cur.pos += 3;
            let name_start = cur.pos;
            let name = read_id(cur);
            self.class_uses.push((id.to_string(), name.to_string(), cur.span(name_start, cur.pos)));
        }
        Ok(index)
    }
}

/// An edge id before a link (`e1@-->`), stepped over.
fn edge_id<'a>(cur: &mut Cursor<'a>) -> Option<&'a str> {
    let save = cur.pos;
    let id = read_id(cur);
    if !id.is_empty() && cur.peek() == Some('@') {
        cur.bump();
        if link::at_link(cur) {
            return Some(id);
        }
    }
    cur.pos = save;
    None
}

/// A node id: letters, digits and `_`, with single `-` or `.` between them (`step-2`).
pub(super) fn read_id<'a>(cur: &mut Cursor<'a>) -> &'a str {
    let start = cur.pos;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    while let Some(c) = cur.peek() {
        let joiner = (c == '-' || c == '.') && cur.pos > start && cur.rest()[1..].starts_with(is_word);
        if !is_word(c) && !joiner {
            break;
        }
        cur.bump();
    }
    &cur.line[start..cur.pos]
}

fn missing_id(cur: &Cursor, first_in_statement: bool) -> FlowError {
    match cur.peek() {
        Some('[' | '(' | '{') => FlowError::new(cur.char_span(), "a shape needs a node id before it", "name the node, e.g. `A[text]`"),
        Some(_) if first_in_statement && link::at_link(cur) => {
            FlowError::new(cur.char_span(), "edge has no source node", "write the source node before the edge, e.g. `A --> B`")
        }
        _ => unexpected(cur, "node ids are letters, digits and `_`; put other text in a label such as `A[text]`"),
    }
}

/// An error for the character at the cursor; closing brackets and `|` get the hint that
/// explains them, anything else `hint`.
fn unexpected(cur: &Cursor, hint: &str) -> FlowError {
    let what = cur.peek().map_or("the end of the line".to_string(), |c| format!("`{c}`"));
    let hint = match cur.peek() {
        Some(']' | ')' | '}') => "no bracket is open here; quote labels that contain brackets, e.g. `A[\"f(x)\"]`",
        Some('|') => "an edge label goes right after the edge, e.g. `A -->|yes| B`",
        _ => hint,
    };
    FlowError::new(cur.char_span(), format!("unexpected {what}"), hint)
}
