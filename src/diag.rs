//! Located diagnostics: problems in the author's files, as data with a place.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first problem, so
//! one run reports them all. A diagnostic points at a byte range of a source file;
//! line and column are computed once, here, from a [`LineIndex`]. This module does
//! not print: the front-ends decide where the text goes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build still succeeds.
    Warning,
    /// The build fails (after every problem has been collected).
    Error,
}

/// A problem at a place in an author's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the author knows it: relative to the course folder, `/`-separated.
    pub path: String,
    /// Byte range in that file; empty ranges point at a position.
    pub span: Range<usize>,
    /// Lowercase, no trailing period: `unknown key \`titel\``.
    pub message: String,
    /// What to do about it, when we can say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span` of `path`.
    pub fn error(path: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, path: path.into(), span, message: message.into(), hint: None }
    }

    /// A warning at `span` of `path`.
    pub fn warning(path: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(path, span, message) }
    }

    /// Adds a hint line.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Moves the span by `offset` bytes: for problems found in a slice of a file
    /// (a YAML block inside a Markdown page) that were located within the slice.
    #[must_use]
    pub fn shifted(mut self, offset: usize) -> Self {
        self.span = self.span.start + offset..self.span.end + offset;
        self
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Byte offsets of line starts in one text, for offset → (line, column).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// 1-based line and 1-based column (in characters) of byte `offset` in `text`,
    /// which must be the text this index was built from. Offsets past the end or
    /// inside a character are clamped, never a panic.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line, col + 1)
    }

    /// Byte offset where 1-based `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        let i = line.clamp(1, self.starts.len()) - 1;
        self.starts[i]
    }
}

/// Renders diagnostics as the text users see:
///
/// ```text
/// content/quiz.md:12:11: error: unknown key `answr`
///    |
/// 12 |   answr: B
///    |   ^^^^^
///    = hint: did you mean `answer`?
/// ```
///
/// `source` finds the text of a path (`None` when the file is gone: the header
/// line is still printed, without a snippet).
pub fn render_text<'s>(diags: &[Diagnostic], source: impl Fn(&str) -> Option<&'s str>) -> String {
    let mut out = String::new();
    // One index per file, not per diagnostic: 20,000 broken links on one
    // page made each diagnostic index (and excerpt) the whole page again,
    // 25 s of a build (issue 23).
    let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
    for d in diags {
        let text = source(&d.path);
        let index = text.map(|t| &*indexes.entry(d.path.as_str()).or_insert_with(|| LineIndex::new(t)));
        render_one(&mut out, d, text.zip(index));
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, source: Option<(&str, &LineIndex)>) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let (path, message) = (printable(&d.path), printable(&d.message));
    let Some((text, index)) = source else {
        let _ = writeln!(out, "{path}: {level}: {message}");
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "  = hint: {}", printable(h));
        }
        return;
    };
    let (line, col) = index.line_col(text, d.span.start);
    let _ = writeln!(out, "{path}:{line}:{col}: {level}: {message}");
    out.push_str(&snippet(d, text, index));
}

/// The source excerpt under the header line, drawn by annotate-snippets from
/// the lines the span covers only (with their numbers), so a diagnostic costs
/// its own lines, not the whole file.
fn snippet(d: &Diagnostic, text: &str, index: &LineIndex) -> String {
    let span = clamp_span(text, &d.span);
    let (first, _) = index.line_col(text, span.start);
    let (last, _) = index.line_col(text, span.end);
    let from = index.line_start(first);
    let to = if last < index.starts.len() { index.line_start(last + 1) } else { text.len() };
    let to = to.max(span.end);
    let (excerpt, span) = printable_source(&text[from..to], span.start - from..span.end - from);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let source = Snippet::source(excerpt).line_start(first).fold(true).annotation(AnnotationKind::Primary.span(span));
    let mut group = Group::with_level(level).element(source);
    let hint = d.hint.as_deref().map(printable);
    if let Some(h) = &hint {
        group = group.element(Level::HELP.with_name("hint").message(h.as_ref()));
    }
    let rendered = Renderer::plain().render(&[group]);
    let mut s = rendered.trim_end().to_string();
    s.push('\n');
    s
}

/// Characters that must not reach a terminal as they are: control characters
/// (an ESC in a file name recolours or rewrites the screen, a CR overwrites
/// the line) and the bidirectional controls that reorder what a line shows.
fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`unprintable`] character written as Rust writes it
/// (`\u{1b}`, `\n`), so a hostile file name stays readable and harmless.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.contains(unprintable) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if unprintable(c) { c.escape_debug().to_string() } else { c.to_string() }).collect())
}

/// A source text for the snippet, escaped as by [`printable`] but keeping its
/// line breaks (`\n`, `\r\n`) and tabs, with `span` moved to match.
fn printable_source(text: &str, span: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    let kept = |i: usize, c: char| matches!(c, '\n' | '\t') || (c == '\r' && text[i + 1..].starts_with('\n'));
    if !text.char_indices().any(|(i, c)| unprintable(c) && !kept(i, c)) {
        return (Cow::Borrowed(text), span);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut start, mut end) = (span.start, span.end);
    for (i, c) in text.char_indices() {
        if i == span.start {
            start = out.len();
        }
        if i == span.end {
            end = out.len();
        }
        if unprintable(c) && !kept(i, c) {
            let _ = write!(out, "{}", c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if span.end >= text.len() {
        end = out.len();
    }
    if span.start >= text.len() {
        start = out.len();
    }
    (Cow::Owned(out), start..end)
}

/// Keeps a span inside the text and on character boundaries.
fn clamp_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Counts errors and warnings: `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// Every diagnostic of a run as the terminal shows it, in the one order all
/// front-ends use (warnings first, errors last so they stay in view; by file
/// and place within each), closed by the count: what `build`, `check`,
/// `serve` (terminal and overlay) and `mdbook` print. Empty for none.
pub fn report<'s>(diags: &[Diagnostic], source: impl Fn(&str) -> Option<&'s str>) -> String {
    if diags.is_empty() {
        return String::new();
    }
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.path, a.span.start).cmp(&(b.severity, &b.path, b.span.start)));
    let sorted: Vec<Diagnostic> = sorted.into_iter().cloned().collect();
    format!("{}coursegen: {}\n", render_text(&sorted, source), summary(&sorted))
}

/// "did you mean `answer`?" for an unknown-key message naming the expected keys.
pub fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (wrong, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected one of ").map(|(_, e)| e).or_else(|| rest.split_once("expected ").map(|(_, e)| e))?;
    expected
        .split(", ")
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .map(|k| (distance(wrong, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| format!("did you mean `{k}`?"))
}

/// The candidate closest to `wrong`, when one is close enough to be the word
/// meant (as [`did_you_mean`] judges keys).
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates.into_iter().map(|k| (distance(wrong, k), k)).filter(|(d, k)| *d <= 2.max(k.len() / 3)).min().map(|(_, k)| k)
}

/// Levenshtein distance, for suggestions between short keys.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nçd x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // "ç" is two bytes: `x` is at byte 7, character column 4.
        assert_eq!(idx.line_col(text, 7), (2, 4));
        assert_eq!(idx.line_col(text, 999), (3, 1));
    }

    #[test]
    fn renders_header_snippet_and_hint() {
        let text = "---\ntitel: X\n---\n";
        let d = Diagnostic::error("a.md", 4..9, "unknown key `titel`").with_hint("did you mean `title`?");
        let out = render_text(&[d], |_| Some(text));
        assert!(out.starts_with("a.md:2:1: error: unknown key `titel`\n"), "{out}");
        assert!(out.contains("2 | titel: X"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(out.contains("hint: did you mean `title`?"), "{out}");
    }

    #[test]
    fn span_inside_a_character_does_not_panic() {
        let text = "é";
        let d = Diagnostic::error("a.md", 1..1, "x");
        assert!(render_text(&[d], |_| Some(text)).starts_with("a.md:1:1: error: x"));
    }

    #[test]
    fn control_characters_are_escaped_in_paths_messages_and_snippets() {
        let text = "# A\n\nbad \x1b[31mred\x07 here\r\nnext\tline\n";
        let at = text.find("red").unwrap();
        let d = Diagnostic::error("content/\x1b[2Jx.md", at..at + 3, "answer `\x1b]0;t\x07` is wrong").with_hint("see \u{202e}this");
        let out = render_text(std::slice::from_ref(&d), |_| Some(text));
        assert!(!out.contains(['\x1b', '\x07', '\u{202e}']), "{out:?}");
        assert!(out.starts_with("content/\\u{1b}[2Jx.md:3:10: error: answer `\\u{1b}]0;t\\u{7}` is wrong\n"), "{out}");
        assert!(out.contains("3 | bad \\u{1b}[31mred\\u{7} here\n"), "{out}");
        let marker = out.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(marker.find('^'), out.lines().find(|l| l.starts_with("3 |")).unwrap().find("red"), "the marker moved with the text");
        assert_eq!(marker.matches('^').count(), 3, "{out}");
        assert!(out.contains("hint: see \\u{202e}this"), "{out}");
        let gone = render_text(&[d], |_| None);
        assert!(gone.starts_with("content/\\u{1b}[2Jx.md: error:") && !gone.contains('\x1b'), "{gone:?}");
    }

    #[test]
    fn printable_keeps_ordinary_text_borrowed() {
        assert!(matches!(printable("content/é 日.md"), Cow::Borrowed(_)));
        assert_eq!(printable("a\nb\tc\u{9b}"), "a\\nb\\tc\\u{9b}");
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(did_you_mean("unknown field `answr`, expected one of id, prompt, answer").as_deref(), Some("did you mean `answer`?"));
        assert_eq!(did_you_mean("unknown field `titel`, expected one of `title`, `minutes`").as_deref(), Some("did you mean `title`?"));
        assert_eq!(did_you_mean("unknown field `zzzzzz`, expected one of id, prompt"), None);
    }

    #[test]
    fn summary_words() {
        let e = Diagnostic::error("a", 0..0, "x");
        let w = Diagnostic::warning("a", 0..0, "x");
        assert_eq!(summary(std::slice::from_ref(&e)), "1 error");
        assert_eq!(summary(&[e.clone(), e.clone(), w.clone()]), "2 errors, 1 warning");
        assert_eq!(summary(&[w]), "1 warning");
    }
}
