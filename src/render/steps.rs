//! Execution tables and variable trackers as plain, accessible HTML tables,
//! plus what the step player (`js/steps.js`) needs and cannot work out cheaply:
//! its hidden controls and each step's variable values, computed here.
//!
//! Rows carry `id="step-N"` (or `ID-step-N`) anchors and `data-lines` for the
//! player; everything reads without JavaScript.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::code::line_anchor;
use super::markdown::Snippets;
use crate::html::{escape_html, json_for_script};
use crate::model::{StepsBlock, Tracker, TrackerBlock};

/// An execution table, with the step player's controls (hidden until the
/// script shows them) and its data: the variables' values before the first step
/// and after each step, as rendered HTML in JSON. The ids it gives (the
/// block's, each row's) are added to `ids`.
pub fn steps(md: &Snippets<'_, '_>, b: &StepsBlock, ids: &mut Vec<String>) -> String {
    let id = b.label.id();
    let mut h = String::new();
    ids.extend(id.map(str::to_string));
    let fig_id = id.map(|i| format!(" id=\"{}\"", escape_html(i))).unwrap_or_default();
    let code = b.code.as_ref().map(|c| format!(" data-code=\"{}\"", escape_html(&c.value))).unwrap_or_default();
    let _ = writeln!(h, "<figure class=\"cg-steps\"{fig_id}{code}>");
    h.push_str(&player(md, b));
    h.push_str("<div class=\"cg-table-scroll\" tabindex=\"0\"><table class=\"cg-steps-table\">\n");
    if let Some(t) = b.label.title() {
        let _ = writeln!(h, "<caption>{}</caption>", escape_html(t));
    }
    h.push_str("<thead><tr><th scope=\"col\">Step</th>");
    for c in &b.columns {
        let _ = write!(h, "<th scope=\"col\">{}</th>", md.inline(c));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, s) in b.steps.iter().enumerate() {
        let raw = b.anchor(i + 1);
        let anchor = escape_html(&raw);
        ids.push(raw);
        let lines = s.lines.map(|l| format!(" data-lines=\"{}-{}\"", l.first, l.last)).unwrap_or_default();
        let to_code = s.lines.zip(b.code.as_ref()).map(|(l, c)| lines_link(&c.value, l.first, l.last)).unwrap_or_default();
        let _ = write!(h, "<tr id=\"{anchor}\"{lines}><th scope=\"row\"><a href=\"#{anchor}\">{}</a>{to_code}</th>", i + 1);
        for c in &s.cells {
            let _ = write!(h, "<td>{}</td>", md.inline(c));
        }
        h.push_str("</tr>\n");
        if let Some(note) = &s.note {
            let span = b.columns.len() + 1;
            let _ = writeln!(h, "<tr class=\"cg-step-note\"><td colspan=\"{span}\">{}</td></tr>", md.inline(note));
        }
    }
    h.push_str("</tbody></table></div>\n");
    if let Some(exit) = &b.exit {
        let _ = writeln!(h, "<p class=\"cg-steps-exit\"><strong>Exit:</strong> {}</p>", md.inline(exit));
    }
    h.push_str("</figure>\n");
    h
}

/// A row's link to the first line its step runs (`#sample-L3`), which works
/// without scripts: the line is an anchor of the sample, marked as `:target`.
fn lines_link(sample: &str, first: u32, last: u32) -> String {
    let (href, what) = (escape_html(&line_anchor(sample, first)), if first == last { "line" } else { "lines" });
    let shown = if first == last { format!("L{first}") } else { format!("L{first}\u{2013}{last}") };
    format!(" <a class=\"cg-step-lines\" href=\"#{href}\" title=\"Runs {what} {}\">{shown}</a>", &shown[1..])
}

/// The player's controls, live status and variables, `hidden` so that a page
/// read without scripts shows only the table; then its data for the script.
fn player(md: &Snippets<'_, '_>, b: &StepsBlock) -> String {
    let (names, states) = states(b);
    let what = b.label.title().unwrap_or("the execution table");
    let mut h = String::from("<div class=\"cg-player\" hidden>\n");
    let _ = writeln!(
        h,
        "<div class=\"cg-player-controls\" role=\"group\" aria-label=\"Step through: {}\">\
         <button type=\"button\" class=\"cg-player-prev\" aria-keyshortcuts=\"ArrowLeft\">Previous</button>\
         <button type=\"button\" class=\"cg-player-next\" aria-keyshortcuts=\"ArrowRight\">Next</button>\
         <button type=\"button\" class=\"cg-player-reset\">Reset</button></div>",
        escape_html(what)
    );
    h.push_str("<p class=\"cg-player-status\" role=\"status\" aria-live=\"polite\"></p>\n");
    let values: Vec<Vec<String>> = states.iter().map(|s| s.iter().map(|v| md.inline(v)).collect()).collect();
    if !names.is_empty() {
        h.push_str("<dl class=\"cg-player-vars\" aria-label=\"Variables at this step\">");
        for (name, v) in names.iter().zip(&values[0]) {
            let _ = write!(h, "<div><dt><code>{}</code></dt><dd>{v}</dd></div>", escape_html(name));
        }
        h.push_str("</dl>\n");
    }
    h.push_str("</div>\n");
    let _ = writeln!(h, "<script type=\"application/json\" class=\"cg-steps-data\">{}</script>", json_for_script(&values));
    h
}

/// The variables in order of first appearance, and their values before the
/// first step (`start`, or "—" for a variable first set later) and after each
/// step, carried forward.
pub fn states(b: &StepsBlock) -> (Vec<String>, Vec<Vec<String>>) {
    // By name, not by scanning `names`: a block may track thousands of
    // variables (up to the parser's budget), and scans made that quadratic.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    for (n, _) in b.start.iter().chain(b.steps.iter().flat_map(|s| &s.set)) {
        index.entry(n.as_str()).or_insert_with(|| {
            names.push(n.clone());
            names.len() - 1
        });
    }
    let mut current: Vec<String> = vec!["—".to_string(); names.len()];
    // The first value written in `start` for a name, as before.
    for (n, v) in b.start.iter().rev() {
        current[index[n.as_str()]].clone_from(v);
    }
    let mut out = Vec::with_capacity(b.steps.len() + 1);
    out.push(current.clone());
    for s in &b.steps {
        for (name, value) in &s.set {
            current[index[name.as_str()]].clone_from(value);
        }
        out.push(current.clone());
    }
    (names, out)
}

/// Columns and rows of a tracker derived from a steps block: a row per variable in
/// order of first appearance, Start, a column after each step that sets
/// something, Final; values carried forward.
pub fn derive(b: &StepsBlock) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let (names, states) = states(b);
    let picked = derived_steps(b);
    let last = picked.len() - 1;
    let columns = picked
        .iter()
        .enumerate()
        .map(|(i, k)| match i {
            0 => "Start".to_string(),
            i if i == last => "Final".to_string(),
            _ => format!("After Step {k}"),
        })
        .collect();
    let rows = names.into_iter().enumerate().map(|(j, n)| (n, picked.iter().map(|&k| states[k][j].clone()).collect())).collect();
    (columns, rows)
}

/// The step each column of a derived tracker shows the state after: 0 for
/// Start, each step that sets something, and the last step for Final.
fn derived_steps(b: &StepsBlock) -> Vec<usize> {
    let mut picked = vec![0];
    picked.extend(b.steps.iter().enumerate().filter(|(_, s)| !s.set.is_empty()).map(|(i, _)| i + 1));
    picked.push(b.steps.len());
    picked
}

/// A variable tracker; `source` is the steps block a derived tracker reads. A
/// derived tracker names its block (`data-steps`, empty for the block without
/// an id) and each column's step (`data-step`), so the player can mark the
/// column that holds the current step's values.
pub fn tracker(md: &Snippets<'_, '_>, t: &TrackerBlock, source: Option<&StepsBlock>) -> String {
    let (columns, rows, steps) = match (&t.kind, source) {
        (Tracker::Written { columns, rows }, _) => (columns.clone(), rows.clone(), None),
        (Tracker::Derived, Some(s)) => {
            let (columns, rows) = derive(s);
            (columns, rows, Some((s.label.id().unwrap_or_default(), derived_steps(s))))
        }
        (Tracker::Derived, None) => return String::new(),
    };
    let mut h = String::new();
    let id = t.label.id().map(|i| format!(" id=\"{}\"", escape_html(i))).unwrap_or_default();
    let from = steps.as_ref().map(|(f, _)| format!(" data-steps=\"{}\"", escape_html(f))).unwrap_or_default();
    let _ = write!(
        h,
        "<figure class=\"cg-tracker\"{id}{from}>\n<div class=\"cg-table-scroll\" tabindex=\"0\"><table class=\"cg-tracker-table\">\n"
    );
    let title = t.label.title().unwrap_or("Variable tracker");
    let _ = writeln!(h, "<caption>{}</caption>", escape_html(title));
    h.push_str("<thead><tr><th scope=\"col\">Variable</th>");
    for (i, c) in columns.iter().enumerate() {
        let step = steps.as_ref().and_then(|(_, k)| k.get(i)).map(|k| format!(" data-step=\"{k}\"")).unwrap_or_default();
        let _ = write!(h, "<th scope=\"col\"{step}>{}</th>", md.inline(c));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (name, values) in &rows {
        let _ = write!(h, "<tr><th scope=\"row\"><code>{}</code></th>", escape_html(name));
        for v in values {
            let _ = write!(h, "<td>{}</td>", md.inline(v));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n</figure>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Label, SnippetCode, Step, step_anchor};

    fn step(set: &[(&str, &str)]) -> Step {
        Step { span: 0..0, cells: vec![], lines: None, set: set.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(), note: None }
    }

    #[test]
    fn derived_tracker_carries_values_forward() {
        let b = StepsBlock {
            span: 0..0,
            label: Label::default(),
            code: None,
            columns: vec![],
            start: vec![("app".into(), "None".into()), ("app.secret_key".into(), "None".into())],
            steps: vec![step(&[("app", "Flask instance")]), step(&[("app.secret_key", "'k'")]), step(&[]), step(&[("n", "1")])],
            exit: None,
        };
        let (cols, rows) = derive(&b);
        assert_eq!(cols, ["Start", "After Step 1", "After Step 2", "After Step 4", "Final"]);
        assert_eq!(
            rows[0],
            (
                "app".to_string(),
                vec!["None", "Flask instance", "Flask instance", "Flask instance", "Flask instance"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        assert_eq!(rows[1].1, ["None", "None", "'k'", "'k'", "'k'"]);
        assert_eq!(rows[2].1, ["—", "—", "—", "1", "1"]);
    }

    fn block(ids: Option<&str>, steps: Vec<Step>) -> StepsBlock {
        let info = ids.map_or("steps".to_string(), |i| format!("steps id={i} title=\"T\""));
        StepsBlock {
            span: 0..0,
            label: crate::parse::fence::parse(&info).unwrap().label(),
            code: None,
            columns: vec!["Action".into()],
            start: vec![("x".into(), "0".into())],
            steps,
            exit: None,
        }
    }

    #[test]
    fn the_player_is_hidden_and_its_data_cannot_close_the_script() {
        let h = crate::render::highlight::Highlighter::new();
        for raw_html in [false, true] {
            let md = crate::render::markdown::Markdown { highlighter: &h, raw_html, line_numbers: true };
            let mut s = step(&[("x", "</script><img src=x onerror=alert(1)>")]);
            s.cells = vec!["Do it".into()];
            let html = steps(&Snippets::new(&md, SnippetCode::none()), &block(Some("t"), vec![s]), &mut Vec::new());
            assert!(html.contains("<div class=\"cg-player\" hidden>"), "{html}");
            assert!(html.contains("aria-label=\"Step through: T\""), "{html}");
            assert_eq!(html.matches("</script>").count(), 1, "only the data's own end tag: {html}");
            let data = html.split_once("cg-steps-data\">").unwrap().1.split_once("</script>").unwrap().0;
            let values: Vec<Vec<String>> = serde_json::from_str(data).unwrap();
            assert_eq!(values.len(), 2, "start and after step 1");
            assert_eq!(values[0], ["0"]);
            assert!(values[1][0].contains("onerror") && (raw_html || !values[1][0].contains("<img")), "{values:?}");
        }
    }

    #[test]
    fn rows_link_to_the_lines_their_step_runs() {
        let h = crate::render::highlight::Highlighter::new();
        let md = crate::render::markdown::Markdown { highlighter: &h, raw_html: false, line_numbers: true };
        let mut b = block(None, vec![step(&[]), step(&[]), step(&[])]);
        b.code = Some(crate::model::Name { value: "loop".into(), span: 0..0 });
        b.steps[0].lines = Some(crate::model::LineRange { first: 3, last: 3 });
        b.steps[1].lines = Some(crate::model::LineRange { first: 5, last: 7 });
        let html = steps(&Snippets::new(&md, SnippetCode::none()), &b, &mut Vec::new());
        assert!(
            html.contains("<a href=\"#step-1\">1</a> <a class=\"cg-step-lines\" href=\"#loop-L3\" title=\"Runs line 3\">L3</a></th>"),
            "{html}"
        );
        assert!(html.contains("href=\"#loop-L5\" title=\"Runs lines 5\u{2013}7\">L5\u{2013}7</a>"), "{html}");
        assert!(html.contains("<a href=\"#step-3\">3</a></th>"), "a step that runs no line links to none: {html}");
    }

    #[test]
    fn anchors_follow_the_block_id() {
        assert_eq!(step_anchor(None, 2), "step-2");
        assert_eq!(step_anchor(Some("loop"), 3), "loop-step-3");
        let h = crate::render::highlight::Highlighter::new();
        let md = crate::render::markdown::Markdown { highlighter: &h, raw_html: false, line_numbers: true };
        let mut ids = Vec::new();
        let html = steps(&Snippets::new(&md, SnippetCode::none()), &block(None, vec![step(&[]), step(&[])]), &mut ids);
        assert!(html.contains("<tr id=\"step-2\"><th scope=\"row\"><a href=\"#step-2\">2</a></th>"), "{html}");
        assert_eq!(ids, ["step-1", "step-2"], "the ids written are reported");
        let mut ids = Vec::new();
        steps(&Snippets::new(&md, SnippetCode::none()), &block(Some("loop"), vec![step(&[])]), &mut ids);
        assert_eq!(ids, ["loop", "loop-step-1"]);
        assert!(html.contains("aria-label=\"Step through: the execution table\""), "{html}");
    }
}
