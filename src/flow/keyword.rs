//! The keyword statements of a flowchart (`subgraph`/`end`, `direction`, `classDef`,
//! `class`, `style`, `linkStyle`, `click`, `accTitle`, `accDescr`) and the last pass that
//! resolves what they name: styles onto nodes and edges, edges onto subgraph boxes, and
//! "did you mean" for stray node ids.

use std::collections::BTreeMap;
use std::ops::Range;

use super::mermaid::{Builder, Cursor, read_id};
use super::{FlowError, style};
use crate::model::flow::{Direction, Graph, Node, Style, Subgraph};

/// What the keyword statements collect until the graph is complete.
#[derive(Default)]
pub(super) struct Styles {
    classes: BTreeMap<String, Style>,
    /// `style id …`: the id, its style, where the id is written.
    nodes: Vec<(String, Style, Range<usize>)>,
    /// `linkStyle`: edge numbers with their spans (`None` for `default`), and the style.
    links: Vec<(Option<Vec<Numbered>>, Style)>,
}

/// An edge number as written, with its span.
type Numbered = (usize, Range<usize>);

/// Reads `line` when it starts with a keyword; false when it is a node or edge statement.
pub(super) fn statement(b: &mut Builder, line: &str, offset: usize) -> bool {
    let lead = line.len() - line.trim_start().len();
    let text = line.trim();
    let word = text.split(|c: char| c.is_whitespace() || c == ':' || c == ';').next().unwrap_or("");
    let rest_at = offset + lead + word.len();
    let rest = text[word.len()..].trim_start();
    let rest_at = rest_at + (text.len() - word.len() - rest.len());
    let rest = rest.trim_end_matches(';').trim_end();
    let word_span = offset + lead..offset + lead + word.len();
    match word {
        "subgraph" => open_subgraph(b, rest, rest_at, word_span),
        "end" if rest.is_empty() => {
            if b.open.pop().is_none() {
                b.errors.push(FlowError::new(
                    word_span,
                    "`end` without an open `subgraph`",
                    "delete the line, or open a group with `subgraph id [Title]`",
                ));
            }
        }
        "direction" => {
            if !matches!(rest, "TB" | "TD" | "BT" | "LR" | "RL") {
                b.errors.push(FlowError::new(word_span, format!("unknown direction `{rest}`"), "use one of `TD`, `TB`, `LR`, `BT`, `RL`"));
            }
        }
        "classDef" => {
            let (names, props_at) = split_word(rest, rest_at);
            let style = style::parse(&rest[props_at - rest_at..], props_at, &mut b.warnings);
            for name in names.split(',').filter(|n| !n.is_empty()) {
                b.styles.classes.entry(name.to_string()).or_default().merge(&style);
            }
        }
        "class" => {
            let (ids, name_at) = split_word(rest, rest_at);
            let name = rest[name_at - rest_at..].trim();
            for id in ids.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                b.class_uses.push((id.to_string(), name.to_string(), name_at..name_at + name.len()));
            }
        }
        "style" => {
            let (id, props_at) = split_word(rest, rest_at);
            let style = style::parse(&rest[props_at - rest_at..], props_at, &mut b.warnings);
            b.styles.nodes.push((id.to_string(), style, rest_at..rest_at + id.len()));
        }
        "linkStyle" => link_style(b, rest, rest_at),
        "click" => b.warnings.push(FlowError::new(
            offset + lead..offset + line.trim_end().len(),
            "`click` is ignored: a diagram drawn at build time has no click handlers",
            "put the link in the text next to the diagram",
        )),
        "accTitle" | "accDescr" => {
            let value = rest.strip_prefix(':').unwrap_or(rest).trim().to_string();
            if word == "accTitle" { b.title = Some(value) } else { b.description = Some(value) }
        }
        _ => return edge_attributes(b, line, offset),
    }
    true
}

/// `e1@{ animate: true }` for an edge id: a still drawing has no motion, so it is dropped
/// with a warning.
fn edge_attributes(b: &mut Builder, line: &str, offset: usize) -> bool {
    let mut cur = Cursor::new(line, offset);
    cur.skip_ws();
    let start = cur.pos;
    let id = read_id(&mut cur);
    if id.is_empty() || !b.edge_ids.contains_key(id) || !cur.rest().starts_with("@{") {
        return false;
    }
    let end = line.trim_end().len();
    b.warnings.push(FlowError::new(cur.span(start, end), "edge animation is not drawn", "the edge is drawn still"));
    true
}

/// The first word of `rest` and the body offset where the text after it starts.
fn split_word(rest: &str, rest_at: usize) -> (&str, usize) {
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let after = &rest[end..];
    (&rest[..end], rest_at + end + (after.len() - after.trim_start().len()))
}

/// `subgraph id [Title]`, `subgraph id["Title"]`, `subgraph "Title"` or `subgraph Title`.
fn open_subgraph(b: &mut Builder, rest: &str, rest_at: usize, span: Range<usize>) {
    let auto = format!("subGraph{}", b.subgraphs.len());
    let (id, title) = if let Some(q) = rest.strip_prefix('"') {
        (auto, q.trim_end_matches('"').to_string())
    } else {
        let mut cur = Cursor::new(rest, rest_at);
        let id = read_id(&mut cur);
        cur.skip_ws();
        let bracket = cur.rest();
        match bracket.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            Some(title) if !id.is_empty() => (id.to_string(), title.trim().trim_matches('"').to_string()),
            _ if id.is_empty() => (auto, rest.to_string()),
            _ => (if bracket.is_empty() { id.to_string() } else { rest.to_string() }, rest.to_string()),
        }
    };
    let title = super::label::label(&title).text;
    let parent = b.open.last().copied();
    b.subgraphs.push(Subgraph { id, title, nodes: Vec::new(), parent, style: Style::default(), span });
    b.open.push(b.subgraphs.len() - 1);
}

/// `linkStyle 0,2 stroke:#f00` or `linkStyle default …`, with an optional
/// `interpolate basis` first (our curves are our own, so it is accepted and not used).
fn link_style(b: &mut Builder, rest: &str, rest_at: usize) {
    let (list, mut props_at) = split_word(rest, rest_at);
    let mut props = &rest[props_at - rest_at..];
    if let Some(after) = props.strip_prefix("interpolate") {
        let (_, at) = split_word(after.trim_start(), props_at + (props.len() - after.trim_start().len()));
        props_at = at;
        props = &rest[(props_at - rest_at).min(rest.len())..];
    }
    let style = style::parse(props, props_at, &mut b.warnings);
    let targets = if list == "default" {
        None
    } else {
        let mut at = rest_at;
        let mut out = Vec::new();
        for n in list.split(',') {
            let span = at..at + n.len();
            at += n.len() + 1;
            match n.trim().parse::<usize>() {
                Ok(i) => out.push((i, span)),
                Err(_) => b.errors.push(FlowError::new(
                    span,
                    format!("`{n}` is not an edge number"),
                    "count edges from 0 in the order they are written, or write `default`",
                )),
            }
        }
        Some(out)
    };
    b.styles.links.push((targets, style));
}

/// Builds the graph: styles applied, subgraph ids turned into boxes, stray ids reported.
pub(super) fn finish(b: &mut Builder, direction: Direction) -> Graph {
    apply_styles(b);
    let subgraphs = resolve_subgraphs(b);
    did_you_mean(b);
    let mut g = Graph::new(direction, std::mem::take(&mut b.nodes), std::mem::take(&mut b.edges));
    g.subgraphs = subgraphs;
    g.title = b.title.take();
    g.description = b.description.take();
    g
}

fn apply_styles(b: &mut Builder) {
    if let Some(default) = b.styles.classes.get("default") {
        for node in &mut b.nodes {
            let mut s = default.clone();
            s.merge(&node.style);
            node.style = s;
        }
    }
    for (id, name, span) in std::mem::take(&mut b.class_uses) {
        let Some(style) = b.styles.classes.get(&name) else {
            let hint = crate::diag::closest(&name, b.styles.classes.keys().map(String::as_str))
                .map_or("define it with `classDef NAME fill:#eef`".to_string(), |c| format!("did you mean `{c}`?"));
            b.warnings.push(FlowError::new(span, format!("class `{name}` is never defined"), hint));
            continue;
        };
        match (b.by_id.get(&id), b.subgraphs.iter_mut().find(|s| s.id == id)) {
            (_, Some(sg)) => sg.style.merge(style),
            (Some(&v), None) => b.nodes[v].style.merge(style),
            (None, None) => {}
        }
    }
    for (id, style, span) in std::mem::take(&mut b.styles.nodes) {
        match (b.subgraphs.iter_mut().find(|s| s.id == id), b.by_id.get(&id)) {
            (Some(sg), _) => sg.style.merge(&style),
            (None, Some(&v)) => b.nodes[v].style.merge(&style),
            (None, None) => b.warnings.push(FlowError::new(
                span,
                format!("`style` names `{id}`, which is not in the diagram"),
                "style a node or subgraph id that is used",
            )),
        }
    }
    for (targets, style) in std::mem::take(&mut b.styles.links) {
        match targets {
            None => b.edges.iter_mut().for_each(|e| e.style.merge(&style)),
            Some(list) => {
                for (i, span) in list {
                    match b.edges.get_mut(i) {
                        Some(e) => e.style.merge(&style),
                        None => b.warnings.push(FlowError::new(
                            span,
                            format!("`linkStyle` names edge {i}, but the diagram has {} edges", b.edges.len()),
                            "edges are counted from 0 in the order they are written",
                        )),
                    }
                }
            }
        }
    }
}

/// Fills each subgraph's node list (nested ones count for their parents too) and turns
/// every node that is only a subgraph's id into edges that attach to the box. A subgraph
/// without nodes is dropped; when edges name it, it stays a plain node with its title.
fn resolve_subgraphs(b: &mut Builder) -> Vec<Subgraph> {
    let mut subgraphs = std::mem::take(&mut b.subgraphs);
    let box_of: Vec<Option<usize>> =
        b.nodes.iter().map(|n| if n.declared { None } else { subgraphs.iter().position(|s| s.id == n.id) }).collect();
    for (v, member) in b.member_of.iter().enumerate() {
        let mut at = if box_of[v].is_some() { None } else { *member };
        while let Some(s) = at {
            subgraphs[s].nodes.push(v);
            at = subgraphs[s].parent;
        }
    }
    let mut keep = vec![true; b.nodes.len()];
    for (v, s) in box_of.iter().enumerate() {
        let Some(s) = *s else { continue };
        let members = &subgraphs[s].nodes;
        if let (Some(&first), Some(&last)) = (members.first(), members.last()) {
            keep[v] = false;
            for e in &mut b.edges {
                if e.from == v {
                    (e.from, e.from_box) = (last, Some(s));
                }
                if e.to == v {
                    (e.to, e.to_box) = (first, Some(s));
                }
            }
        } else {
            b.nodes[v].label.clone_from(&subgraphs[s].title);
        }
    }
    let mut new_index = vec![0usize; b.nodes.len()];
    let mut next = 0;
    for (v, k) in keep.iter().enumerate() {
        new_index[v] = next;
        next += usize::from(*k);
    }
    let mut k = keep.iter();
    b.nodes.retain(|_| *k.next().unwrap_or(&true));
    for e in &mut b.edges {
        (e.from, e.to) = (new_index[e.from], new_index[e.to]);
    }
    // Drop empty subgraphs, renumbering parents and box references.
    let kept: Vec<bool> = subgraphs.iter().map(|s| !s.nodes.is_empty()).collect();
    let mut sg_index = vec![None; subgraphs.len()];
    let mut n = 0;
    for (i, &k) in kept.iter().enumerate() {
        if k {
            sg_index[i] = Some(n);
            n += 1;
        }
    }
    for e in &mut b.edges {
        e.from_box = e.from_box.and_then(|s| sg_index[s]);
        e.to_box = e.to_box.and_then(|s| sg_index[s]);
    }
    let parents: Vec<Option<usize>> = subgraphs.iter().map(|s| s.parent).collect();
    let mut out = Vec::new();
    for (i, mut sg) in subgraphs.into_iter().enumerate() {
        if kept[i] {
            sg.nodes = sg.nodes.iter().map(|&v| new_index[v]).collect();
            sg.nodes.sort_unstable();
            // A kept subgraph's parent has its nodes too, so it is kept as well.
            sg.parent = parents[i].and_then(|p| sg_index[p]);
            out.push(sg);
        }
    }
    out
}

/// An id used only by edges, one letter away from a node that has a label, is most likely
/// a typo: `E --> BB` when `B[Backend]` exists.
fn did_you_mean(b: &mut Builder) {
    let declared: Vec<&Node> = b.nodes.iter().filter(|n| n.declared).collect();
    for n in b.nodes.iter().filter(|n| !n.declared) {
        if let Some(near) = declared.iter().find(|d| one_letter_apart(&n.id, &d.id)) {
            b.warnings.push(FlowError::new(
                n.span.clone(),
                format!("`{}` is never given a label and is drawn as a box of its own", n.id),
                format!("did you mean `{}`?", near.id),
            ));
        }
    }
}

/// True when one substitution, insertion or deletion turns `a` into `b`.
fn one_letter_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    // Between one- and two-letter ids one change is no evidence of a typo (`A` and `B`).
    if long.len() - short.len() > 1 || a == b || long.len() < 2 || (long.len() == short.len() && long.len() < 3) {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    let skip = usize::from(long.len() > short.len());
    let tail_short = short.get(prefix + 1 - skip..).unwrap_or(&[]);
    let tail_long = long.get(prefix + 1..).unwrap_or(&[]);
    tail_short == tail_long
}

#[cfg(test)]
mod tests {
    use super::one_letter_apart;

    #[test]
    fn one_letter() {
        assert!(one_letter_apart("BB", "B"));
        assert!(one_letter_apart("Bcd", "Bxd"));
        assert!(one_letter_apart("ab", "abc"));
        assert!(!one_letter_apart("ab", "ba"));
        assert!(!one_letter_apart("A", "A"));
        assert!(!one_letter_apart("abc", "a"));
        assert!(!one_letter_apart("Z", "B"));
        assert!(!one_letter_apart("AB", "AC"));
    }
}
