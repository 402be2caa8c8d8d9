//! The course model: plain data produced by `parse` and consumed by `render`.
//!
//! No I/O and no rendering here. Spans are byte ranges into the page's source
//! text, so diagnostics can point at them and the mdBook front-end can splice
//! rendered blocks back into the chapter by range.

pub mod attrs;
pub mod flow;
pub mod parts;

use std::ops::Range;
use std::sync::Arc;

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
    /// Every link and image the author wrote on the page, in its prose and in
    /// its blocks' texts, located where it is written (shared, as `blocks`).
    pub links: Arc<[Link]>,
    /// The `id` (if any) of each steps block whose YAML could not be read: its
    /// rows exist in the author's mind, so links to them are not reported as
    /// well (the block's own error says what to fix).
    pub unreadable_steps: Arc<[Option<String>]>,
    /// The code fences written inside the blocks' texts (a sample in a quiz
    /// prompt), read by the parser like the page's own.
    pub snippet_code: Arc<SnippetCode>,
    /// The file as written, when mdBook's directives were expanded in it
    /// (then `text` is the expansion), and where its parts came from.
    pub included: Option<Arc<Included>>,
}

/// A page whose `{{#include}}`-like directives were expanded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Included {
    pub original: Arc<str>,
    pub map: crate::source::directive::SourceMap,
    /// `{{#title}}`'s text.
    pub title: Option<String>,
}

/// The info strings of the fenced code in author texts that came out of YAML
/// or TOML, by text, in the order their fences come: the renderer shows each
/// fence with what the parser read, and reads no info string itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnippetCode(std::collections::BTreeMap<String, Vec<CodeInfo>>);

impl SnippetCode {
    /// For texts rendered alone, with no page (tests): one address, which
    /// the renderer's check that every text was read knows.
    pub fn none() -> &'static SnippetCode {
        static NONE: SnippetCode = SnippetCode(std::collections::BTreeMap::new());
        &NONE
    }

    /// Whether `text` may have a fence: nearly every text has none, and is
    /// neither parsed for fences nor kept.
    pub fn may_fence(text: &str) -> bool {
        text.contains("```") || text.contains("~~~")
    }

    /// Records the fences of `text`, which [`SnippetCode::may_fence`].
    pub fn insert(&mut self, text: &str, fences: Vec<CodeInfo>) {
        self.0.insert(text.to_string(), fences);
    }

    /// Whether the parser saw `text` (a text that may have fences and was not
    /// seen is one [`Block::each_text`] forgot).
    pub fn saw(&self, text: &str) -> bool {
        !Self::may_fence(text) || self.0.contains_key(text)
    }

    /// The fences of `text`, in order; none for a text the parser saw none in.
    pub fn of(&self, text: &str) -> &[CodeInfo] {
        self.0.get(text).map_or(&[], Vec::as_slice)
    }
}

impl Page {
    /// The file as the author wrote it.
    pub fn written_text(&self) -> &Arc<str> {
        self.included.as_ref().map_or(&self.text, |i| &i.original)
    }

    /// The steps block a tracker derives from (see [`tracker_source`]).
    pub fn tracker_source(&self, t: &TrackerBlock) -> Option<&StepsBlock> {
        tracker_source(&self.blocks, t.from.as_ref().map(|f| f.value.as_str()))
    }
}

/// The steps block a tracker derives from: the one named by `from`, else the
/// page's block without an id, else its only steps block.
pub fn tracker_source<'b>(blocks: &'b [Block], from: Option<&str>) -> Option<&'b StepsBlock> {
    let mut steps = blocks.iter().filter_map(|b| if let Block::Steps(s) = b { Some(s) } else { None });
    match from {
        Some(id) => steps.find(|s| s.label.id() == Some(id)),
        None => {
            let all: Vec<&StepsBlock> = steps.collect();
            all.iter().find(|s| s.label.id().is_none()).copied().or(if all.len() == 1 { all.first().copied() } else { None })
        }
    }
}

/// A link or image in an author's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (`b.md#key-moments`, `#step-2`).
    pub dest: String,
    /// Where it is written, in `file` (the page when `None`).
    pub span: Range<usize>,
    /// The file it is written in when that is not the page: a quiz file.
    pub file: Option<String>,
    pub image: bool,
    /// Which text of the page holds it, for messages.
    pub place: Place,
}

/// Which author text a link is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The page's Markdown.
    Prose,
    /// Question `n` (1-based) of a quiz: its prompt, options, hint, explanation
    /// or feedback.
    Question(usize),
    /// Row `n` (1-based) of an execution table: its cells or note.
    Step(usize),
    /// The exit note under an execution table.
    Exit,
    /// Key moment `n` (1-based): its question or insight.
    Moment(usize),
    /// Takeaway `n` (1-based) of a concept snapshot.
    Takeaway(usize),
    /// Paragraph `n` (1-based) of a transcript.
    Narration(usize),
}

impl Place {
    /// How a message names the place, after the link (` in question 2`); empty
    /// for the page's prose.
    pub fn phrase(self) -> String {
        match self {
            Place::Prose => String::new(),
            Place::Question(n) => format!(" in question {n}"),
            Place::Step(n) => format!(" in step {n}"),
            Place::Exit => " in the exit note".to_string(),
            Place::Moment(n) => format!(" in key moment {n}"),
            Place::Takeaway(n) => format!(" in takeaway {n}"),
            Place::Narration(n) => format!(" in paragraph {n} of the transcript"),
        }
    }
}

/// A name written in a block's info string (`id=sample`, `code=sample`), with
/// where: the `key=value` pair in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub value: String,
    pub span: Range<usize>,
}

/// What every block's info string may say about the block itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Label {
    /// `id=`: names the block so others can point at it; also its HTML id.
    pub id: Option<Name>,
    /// `title=`: its caption.
    pub title: Option<String>,
}

impl Label {
    pub fn id(&self) -> Option<&str> {
        self.id.as_ref().map(|n| n.value.as_str())
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

/// The anchor of step `n` (1-based) of the steps block with id `block_id`:
/// `step-N` for the block without an id, `ID-step-N` for one with.
pub fn step_anchor(block_id: Option<&str>, n: usize) -> String {
    match block_id {
        Some(id) => format!("{id}-step-{n}"),
        None => format!("step-{n}"),
    }
}

/// Whether `anchor` has the shape of a step row's anchor: `step-3`, `loop-step-3`.
pub fn is_step_anchor(anchor: &str) -> bool {
    let Some(i) = anchor.rfind("step-") else { return false };
    let (before, n) = (&anchor[..i], &anchor[i + 5..]);
    (before.is_empty() || before.ends_with('-')) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
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
    /// ```` ```moments ````, ```` ```snapshot ```` or ```` ```transcript ````.
    Part(parts::PartBlock),
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
            Block::Part(b) => b.span.clone(),
        }
    }

    /// Every Markdown text of the block that is shown as Markdown (cells,
    /// notes, values, prompts, hints, options, feedback, lines to order):
    /// the one list the parser reads their fences from.
    pub fn each_text(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Block::Code(_) | Block::Flow(_) | Block::Tracker(_) => {}
            Block::Steps(s) => {
                s.columns.iter().chain(s.start.iter().map(|(_, v)| v)).for_each(|t| f(t));
                for step in &s.steps {
                    step.cells.iter().chain(step.set.iter().map(|(_, v)| v)).chain(&step.note).for_each(|t| f(t));
                }
                s.exit.iter().for_each(|t| f(t));
            }
            Block::Quiz(q) => {
                for question in &q.questions {
                    question.each_text(f);
                }
            }
            Block::Part(p) => match &p.part {
                parts::Part::Moments(m) => m.iter().for_each(|m| [&m.question, &m.insight].into_iter().for_each(|t| f(t))),
                parts::Part::Snapshot(s) => s.iter().for_each(|t| f(t)),
                parts::Part::Transcript(t) => t.iter().for_each(|n| f(&n.text)),
            },
        }
    }
}

impl Question {
    /// See [`Block::each_text`].
    fn each_text(&self, f: &mut dyn FnMut(&str)) {
        std::iter::once(&self.prompt).chain(&self.hint).chain(&self.explain).for_each(|t| f(t));
        match &self.answer {
            Answer::Choice { options, .. } => options.iter().for_each(|o| o.feedback.iter().chain([&o.text]).for_each(|t| f(t))),
            Answer::Order { lines } => lines.iter().for_each(|t| f(t)),
            Answer::Short { .. } | Answer::Output { .. } | Answer::Tracing { .. } => {}
        }
    }
}

/// A fenced code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub span: Range<usize>,
    pub info: CodeInfo,
    /// The code, without the fences.
    pub code: String,
}

/// How a code sample is shown: its language and label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeInfo {
    /// The language to highlight as; may be empty.
    pub lang: String,
    pub label: Label,
    /// The bare words after the language (mdBook's `ignore`, `should_panic`,
    /// `editable`…), shown as classes as mdBook shows them.
    pub flags: Vec<String>,
    /// `linenos=true|false`: the author's choice of a line-number gutter;
    /// `None` follows the course's `line-numbers` setting.
    pub line_numbers: Option<bool>,
}

impl CodeInfo {
    /// A sample with an id is one a steps block may point at, so its lines are
    /// numbered for the step player to mark.
    pub fn numbered_lines(&self) -> bool {
        self.label.id.is_some()
    }
}

/// A flow diagram's source.
#[derive(Debug, Clone)]
pub struct FlowBlock {
    pub span: Range<usize>,
    pub label: Label,
    /// The parsed diagram, or the source of one that is not drawn.
    pub drawing: flow::Drawing,
    /// Written as ```` ```mermaid ```` rather than ```` ```flow ````.
    pub mermaid: bool,
}

/// An execution table.
#[derive(Debug, Clone)]
pub struct StepsBlock {
    pub span: Range<usize>,
    pub label: Label,
    /// `code=`: the code block whose lines the steps point at.
    pub code: Option<Name>,
    /// Column titles after the Step column.
    pub columns: Vec<String>,
    /// Variables before the first step, in the order written.
    pub start: Vec<(String, String)>,
    pub steps: Vec<Step>,
    /// Why execution stops (the note under the table).
    pub exit: Option<String>,
}

impl StepsBlock {
    /// The anchor of step `n` (1-based).
    pub fn anchor(&self, n: usize) -> String {
        step_anchor(self.label.id(), n)
    }
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
    pub label: Label,
    /// `from=`: the steps block a derived tracker follows.
    pub from: Option<Name>,
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
    pub label: Label,
    /// Where the questions came from.
    pub origin: QuizOrigin,
    pub questions: Vec<Question>,
}

impl QuizBlock {
    /// The HTML id of the `n`th quiz of a page (1-based): its `id=`, else `quiz-N`.
    pub fn element_id(&self, n: usize) -> String {
        self.label.id().map_or_else(|| format!("quiz-{n}"), str::to_string)
    }
}

impl FlowBlock {
    /// The HTML id of the `n`th flow of a page (1-based): its `id=`, else `flow-N`.
    pub fn element_id(&self, n: usize) -> String {
        self.label.id().map_or_else(|| format!("flow-{n}"), str::to_string)
    }
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
    /// mdbook-quiz's Tracing: the output as in `Output`, or (`None`) that the
    /// program does not compile, offered as a choice beside the output box.
    Tracing { output: Option<String> },
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
