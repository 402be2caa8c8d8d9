//! The course model: plain data produced by `parse` and consumed by `render`.
//!
//! No I/O and no rendering here. Spans are byte ranges into the page's source
//! text, so diagnostics can point at them and the mdBook front-end can splice
//! rendered blocks back into the chapter by range.

pub mod attrs;
pub mod flow;

use std::ops::Range;
use std::sync::Arc;

use attrs::Attrs;

/// One source page (lesson, quiz page, introduction…).
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the course folder, `/`-separated, for diagnostics
    /// (`content/flask/secret-key.md`).
    pub path: String,
    /// Path relative to the source folder (`flask/secret-key.md`).
    pub rel: String,
    /// The whole file as read (shared with the loaded input: see
    /// [`crate::source::input::FileData`]).
    pub text: Arc<str>,
    /// Front matter, when the page has it.
    pub front: FrontMatter,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_start: usize,
    /// The first `#` heading's text, for a title when front matter has none.
    pub first_heading: Option<String>,
    /// coursegen's blocks and the code samples they may point at, in order
    /// (shared: `serve` hands every kept page to each rebuild).
    pub blocks: Arc<[Block]>,
}

/// YAML front matter of a page; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub minutes: Option<u32>,
    pub summary: Option<String>,
}

/// A block of a page that coursegen treats specially. Prose is not listed: it is
/// everything between blocks and is rendered as Markdown.
#[derive(Debug, Clone)]
pub enum Block {
    /// A fenced code block (any language that is not one of ours), kept because
    /// steps point at its lines by `id=`.
    Code(CodeBlock),
    /// ```` ```flow ```` or a ```` ```mermaid ```` flowchart.
    Flow(FlowBlock),
    /// ```` ```steps ````: an execution table.
    Steps(StepsBlock),
    /// ```` ```tracker ````: a variable tracker.
    Tracker(TrackerBlock),
    /// ```` ```quiz ```` or `{{#quiz file.toml}}`.
    Quiz(QuizBlock),
}

impl Block {
    /// Byte range of the whole block in the page text (fences included).
    pub fn span(&self) -> Range<usize> {
        match self {
            Block::Code(b) => b.span.clone(),
            Block::Flow(b) => b.span.clone(),
            Block::Steps(b) => b.span.clone(),
            Block::Tracker(b) => b.span.clone(),
            Block::Quiz(b) => b.span.clone(),
        }
    }
}

/// A fenced code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub span: Range<usize>,
    pub attrs: Attrs,
    /// The code, without the fences.
    pub code: String,
}

/// A flow diagram's source.
#[derive(Debug, Clone)]
pub struct FlowBlock {
    pub span: Range<usize>,
    pub attrs: Attrs,
    /// The parsed diagram.
    pub graph: flow::Graph,
    /// Written as ```` ```mermaid ```` rather than ```` ```flow ````.
    pub mermaid: bool,
}

/// An execution table.
#[derive(Debug, Clone)]
pub struct StepsBlock {
    pub span: Range<usize>,
    pub attrs: Attrs,
    /// Column titles after the Step column.
    pub columns: Vec<String>,
    /// Variables before the first step, in the order written.
    pub start: Vec<(String, String)>,
    pub steps: Vec<Step>,
    /// Why execution stops (the note under the table).
    pub exit: Option<String>,
}

/// One row of an execution table.
#[derive(Debug, Clone)]
pub struct Step {
    /// Where the step is written in the page.
    pub span: Range<usize>,
    /// Inline Markdown, one per column.
    pub cells: Vec<String>,
    /// Lines of the `code=` block this step executes (1-based, inclusive).
    pub lines: Option<LineRange>,
    /// Variables set by this step, in the order written.
    pub set: Vec<(String, String)>,
    pub note: Option<String>,
}

/// An inclusive 1-based line range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRange {
    pub first: u32,
    pub last: u32,
}

/// A variable tracker.
#[derive(Debug, Clone)]
pub struct TrackerBlock {
    pub span: Range<usize>,
    pub attrs: Attrs,
    pub kind: Tracker,
}

/// How a tracker gets its rows.
#[derive(Debug, Clone)]
pub enum Tracker {
    /// Derived from the page's steps block (`from=` names one by id).
    Derived,
    /// Written out by the author.
    Written { columns: Vec<String>, rows: Vec<(String, Vec<String>)> },
}

/// A set of quiz questions.
#[derive(Debug, Clone)]
pub struct QuizBlock {
    pub span: Range<usize>,
    pub attrs: Attrs,
    /// Where the questions came from.
    pub origin: QuizOrigin,
    pub questions: Vec<Question>,
}

/// Where a quiz was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizOrigin {
    /// A ```` ```quiz ```` block in the page.
    Inline,
    /// `{{#quiz path}}`: an mdbook-quiz TOML file, path relative to the course folder.
    File(String),
}

/// One question.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Option<String>,
    /// Markdown.
    pub prompt: String,
    /// A code sample shown with the prompt.
    pub code: Option<QuestionCode>,
    pub hint: Option<String>,
    /// Shown after an answer.
    pub explain: Option<String>,
    pub answer: Answer,
}

/// A question's code sample.
#[derive(Debug, Clone)]
pub struct QuestionCode {
    pub code: String,
    pub lang: Option<String>,
}

/// What kind of question, with what is needed to check it.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Pick among options; several correct options make checkboxes.
    Choice {
        options: Vec<ChoiceOption>,
        /// Indexes of the correct options, ascending.
        correct: Vec<usize>,
        /// The author gave a list: checkboxes, even for one correct option.
        multiple: bool,
    },
    /// Type a word: trimmed, case-insensitive, against `answer` and `accept`.
    Short { answer: String, accept: Vec<String> },
    /// Predict the output: compared line by line, trailing spaces ignored.
    Output { output: String },
    /// Put lines in order; `lines` is the correct order.
    Order { lines: Vec<String> },
}

/// One option of a choice question.
#[derive(Debug, Clone)]
pub struct ChoiceOption {
    /// Markdown.
    pub text: String,
    /// Shown when this option is chosen.
    pub feedback: Option<String>,
}
