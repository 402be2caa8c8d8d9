//! The lesson's own parts as HTML: key moments as questions that open on
//! their insight, the concept snapshot as a card, the transcript as
//! paragraphs. Each step they name is a link to its row, which works without
//! scripts; with scripts, an open moment also marks its rows.

use std::fmt::Write;

use super::markdown::Snippets;
use crate::html::escape_html;
use crate::model::parts::{Part, PartBlock, StepRef};
use crate::model::{StepsBlock, step_anchor};

/// One part; `source` is the steps block its step numbers count in. Its id,
/// if it has one, goes to `ids`.
pub fn part(md: &Snippets<'_, '_>, p: &PartBlock, source: Option<&StepsBlock>, ids: &mut Vec<String>) -> String {
    let kind = p.part.kind();
    let mut h = String::new();
    let id = p.label.id().map(|id| format!(" id=\"{}\"", escape_html(id))).unwrap_or_default();
    ids.extend(p.label.id().map(str::to_string));
    let _ = writeln!(h, "<div class=\"cg-part cg-{kind}\" data-part=\"{kind}\"{id}>");
    if let Some(title) = p.label.title() {
        let _ = writeln!(h, "<p class=\"cg-part-title\">{}</p>", escape_html(title));
    }
    let anchor = |r: &StepRef| step_anchor(source.and_then(|s| s.label.id()), r.n);
    match &p.part {
        Part::Moments(moments) => {
            for m in moments {
                let rows: Vec<String> = m.steps.iter().map(anchor).collect();
                let data = if rows.is_empty() { String::new() } else { format!(" data-steps=\"{}\"", escape_html(&rows.join(" "))) };
                let _ = write!(h, "<details class=\"cg-moment\"{data}><summary>{}</summary>", md.inline(&m.question));
                let _ = write!(h, "<div class=\"cg-insight\">{}", md.fragment(&m.insight));
                h.push_str(&step_links(&m.steps, &rows));
                h.push_str("</div></details>\n");
            }
        }
        Part::Snapshot(takeaways) => {
            h.push_str("<ul class=\"cg-takeaways\">\n");
            for t in takeaways {
                let _ = writeln!(h, "<li>{}</li>", md.inline(t));
            }
            h.push_str("</ul>\n");
        }
        Part::Transcript(paragraphs) => {
            for n in paragraphs {
                let Some(step) = &n.step else {
                    let _ = writeln!(h, "<div class=\"cg-narration\">{}</div>", md.fragment(&n.text));
                    continue;
                };
                let row = anchor(step);
                let _ = write!(
                    h,
                    "<div class=\"cg-narration\" data-step=\"{}\"><p class=\"cg-narration-step\"><a href=\"#{}\">Step {}</a></p>",
                    escape_html(&row),
                    escape_html(&row),
                    step.n
                );
                let _ = writeln!(h, "{}</div>", md.fragment(&n.text));
            }
        }
    }
    h.push_str("</div>\n");
    h
}

/// "Step 5, Step 6" as links to their rows (each link says where it goes);
/// nothing for a moment that names none.
fn step_links(steps: &[StepRef], rows: &[String]) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let links: Vec<String> = steps.iter().zip(rows).map(|(s, row)| format!("<a href=\"#{}\">Step {}</a>", escape_html(row), s.n)).collect();
    format!("<p class=\"cg-moment-steps\">{}</p>", links.join(", "))
}
