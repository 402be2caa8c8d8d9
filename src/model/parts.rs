//! The lesson's own parts, after its flow, tables and quizzes: key moments,
//! the concept snapshot and the full transcript. Each may point at the rows
//! of a steps block, checked when the page is parsed.

use std::ops::Range;

use super::{Label, Name};

/// A ```` ```moments ````, ```` ```snapshot ```` or ```` ```transcript ```` block.
#[derive(Debug, Clone)]
pub struct PartBlock {
    pub span: Range<usize>,
    pub label: Label,
    /// `from=`: the steps block its step numbers count in (by the tracker's
    /// rule, [`super::tracker_source`]).
    pub from: Option<Name>,
    pub part: Part,
}

#[derive(Debug, Clone)]
pub enum Part {
    /// Question and insight pairs.
    Moments(Vec<Moment>),
    /// Takeaways, Markdown each.
    Snapshot(Vec<String>),
    /// The narration, in paragraphs.
    Transcript(Vec<Narration>),
}

impl Part {
    /// The info string's word for the part, which is also its class and its
    /// name for the learning modes.
    pub fn kind(&self) -> &'static str {
        match self {
            Part::Moments(_) => "moments",
            Part::Snapshot(_) => "snapshot",
            Part::Transcript(_) => "transcript",
        }
    }

    /// Every step number the part points at.
    pub fn step_refs(&self) -> Vec<&StepRef> {
        match self {
            Part::Moments(m) => m.iter().flat_map(|m| &m.steps).collect(),
            Part::Snapshot(_) => Vec::new(),
            Part::Transcript(t) => t.iter().filter_map(|n| n.step.as_ref()).collect(),
        }
    }
}

/// One key moment: a question a learner asks, and the insight that answers it.
#[derive(Debug, Clone)]
pub struct Moment {
    /// Markdown, shown as the moment's summary.
    pub question: String,
    /// Markdown.
    pub insight: String,
    /// The rows it is about, highlighted while it is open.
    pub steps: Vec<StepRef>,
}

/// One paragraph of the transcript, perhaps tied to the step it narrates.
#[derive(Debug, Clone)]
pub struct Narration {
    /// Markdown.
    pub text: String,
    pub step: Option<StepRef>,
}

/// A step number as written, with where, so a number past the table's last
/// row is reported at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRef {
    /// 1-based.
    pub n: usize,
    pub span: Range<usize>,
}
