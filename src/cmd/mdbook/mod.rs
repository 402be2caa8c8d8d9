//! The mdBook front-end: coursegen as an mdBook preprocessor.
//!
//! mdBook's JSON on stdin → chapters as (path, text) → the same parser and
//! block renderers as `coursegen build` → rendered blocks spliced back into the
//! chapters → the book as JSON on stdout. Stdout carries only the protocol;
//! every message goes to the log (stderr). The disk is read only for quiz files
//! (`{{#quiz file.toml}}`), and nothing is ever written under the book.

mod assets;
mod chapter;
pub mod protocol;
mod quiz_settings;
mod splice;

use std::collections::BTreeMap;
use std::io::{Read, Write};

use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::render::highlight::Highlighter;
use crate::render::markdown::Markdown;
use crate::source::config::{self, Config};
use protocol::{Book, Context, Input};

pub use assets::SITE_CHROME;

/// True when our output suits `renderer`: inline HTML only means something to
/// mdBook's `html` renderer.
pub fn supports(renderer: &str) -> bool {
    renderer == "html"
}

/// Runs the preprocessor: `[context, book]` from `input`, the book to `output`,
/// messages to `log`.
pub fn run(input: &mut dyn Read, output: &mut dyn Write, log: &mut dyn Write) -> Result<(), Error> {
    let mut raw = Vec::new();
    input.read_to_end(&mut raw).map_err(|e| Error::MdbookInput(e.to_string()))?;
    let mut input = Input::from_json(&raw).map_err(|e| Error::MdbookInput(e.to_string()))?;
    let ctx = &input.context;
    let version = &ctx.mdbook_version;
    if !(version.is_empty() || version.starts_with("0.4.") || version.starts_with("0.5.")) {
        let _ = writeln!(log, "coursegen: warning: made for mdBook 0.5 (and 0.4's book format), running under {version}");
    }
    let config = settings(ctx, log)?;
    let quiz_warnings = quiz_settings::table(&ctx.config).map(quiz_settings::check).unwrap_or_default();
    let _ = log.write_all(diag::report(&quiz_warnings, |_| None).as_bytes());
    let wanted = quiz_includes(&config.src, &mut input.book);
    let (by_root, mut read_diags) = crate::source::load::quiz_files(&ctx.root, &wanted, config.max_file_size);
    let key = |root: &str| crate::source::relpath::key_of(&config.src, root);
    let files: BTreeMap<String, String> = by_root.into_iter().map(|(root, text)| (key(&root), text)).collect();
    let highlighter = Highlighter::new();
    let md = Markdown { highlighter: &highlighter, raw_html: config.raw_html, line_numbers: config.line_numbers };
    let course = config.title.as_deref().unwrap_or("course");
    let assets = |needs| assets::tags(course, needs);
    let (diags, chapters) = preprocess(&md, &config.src, &files, &assets, &mut input.book);
    read_diags.extend(diags);
    let diags = read_diags;
    let source = |p: &str| chapters.get(p).or_else(|| files.get(&key(p))).map(String::as_str);
    let _ = log.write_all(diag::report(&diags, source).as_bytes());
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        return Err(Error::MdbookFailed { errors });
    }
    serde_json::to_writer(&mut *output, &input.book).map_err(|e| Error::MdbookOutput(e.into()))?;
    output.flush().map_err(Error::MdbookOutput)
}

/// Every chapter of `book` through [`chapter::process`], `assets` appended to
/// those with blocks. Returns the diagnostics and, by the path diagnostics
/// use, the original text of each chapter they point into.
fn preprocess(
    md: &Markdown<'_>,
    src_dir: &str,
    files: &BTreeMap<String, String>,
    assets: &dyn Fn(assets::Needs) -> String,
    book: &mut Book,
) -> (Vec<Diagnostic>, BTreeMap<String, String>) {
    let mut diags = Vec::new();
    let mut sources = BTreeMap::new();
    let mut numbers = crate::render::Numbers::default();
    book.for_each_chapter_mut(&mut |ch| {
        let Some(rel) = ch.source() else { return };
        let processed = chapter::process(md, &chapter::Source { src_dir, rel: &rel, text: &ch.content }, files, assets, &mut numbers);
        if !processed.diags.is_empty() {
            sources.insert(format!("{src_dir}/{rel}"), ch.content.clone());
            diags.extend(processed.diags);
        }
        if let Some(text) = processed.text {
            ch.content = text;
        }
    });
    (diags, sources)
}

/// The files, relative to the book's folder, that the chapters' `{{#quiz
/// path}}` lines may include, so only those are read. A line is taken
/// wherever it stands (in a code block too): reading a file the parser then
/// does not ask for costs a read, never a diagnostic it would not give.
fn quiz_includes(src_dir: &str, book: &mut Book) -> Vec<String> {
    let mut wanted = std::collections::BTreeSet::new();
    book.for_each_chapter_mut(&mut |ch| {
        let Some(rel) = ch.source() else { return };
        for line in ch.content.lines().filter(|l| l.contains("{{#quiz")) {
            let Some(at) = line.find("{{#quiz") else { continue };
            let call = line[at..].find("}}").map_or(&line[at..], |end| &line[at..at + end + 2]);
            let path = crate::parse::include_path(call);
            if let Some(p) = path.and_then(|p| crate::source::relpath::in_book(src_dir, &rel, p).ok()) {
                wanted.insert(p.root);
            }
        }
    });
    wanted.into_iter().collect()
}

/// `[preprocessor.coursegen]` checked by the same code as `coursegen build`.
fn settings(ctx: &Context, log: &mut dyn Write) -> Result<Config, Error> {
    let mut table = serde_json::Map::new();
    let mut book = serde_json::json!({ "src": ctx.src() });
    if let Some(title) = ctx.config.pointer("/book/title") {
        book["title"] = title.clone();
    }
    table.insert("book".into(), book);
    if let Some(s) = ctx.settings() {
        table.insert("preprocessor".into(), serde_json::json!({ "coursegen": s }));
    }
    // JSON → TOML cannot fail for a table that came from TOML; if it somehow
    // does, an empty book.toml gives the defaults.
    let text = toml::to_string(&serde_json::Value::Object(table)).unwrap_or_default();
    // The TOML above is ours, not the author's book.toml (mdBook sent its
    // settings as JSON): its lines would point nowhere, so none are cited.
    config::parse("book.toml", &text).map_err(|diags| {
        let _ = log.write_all(diag::report(&diags, |_| None).as_bytes());
        Error::MdbookSettings
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(json: &str) -> (Result<(), Error>, String, String) {
        let (mut out, mut log) = (Vec::new(), Vec::new());
        let r = run(&mut json.as_bytes(), &mut out, &mut log);
        (r, String::from_utf8(out).unwrap(), String::from_utf8(log).unwrap())
    }

    #[test]
    fn malformed_input_is_a_clear_error_and_writes_nothing() {
        let (r, out, _) = run_str("{not json");
        let e = r.unwrap_err();
        assert!(matches!(e, Error::MdbookInput(_)));
        assert!(e.to_string().contains("[context, book]"), "{e}");
        assert!(out.is_empty());
    }

    #[test]
    fn unknown_setting_is_reported() {
        let json = r#"[{"root":"/nonexistent","config":{"book":{"src":"src"},"preprocessor":{"coursegen":{"command":"coursegen mdbook","raw-htm":true}}},"renderer":"html","mdbook_version":"0.5.4"},{"items":[]}]"#;
        let (r, out, log) = run_str(json);
        assert!(matches!(r, Err(Error::MdbookSettings)));
        assert!(log.contains("raw-htm"), "{log}");
        assert!(log.contains("book.toml: error:") && !log.contains("book.toml:1"), "no line of a book.toml mdBook never showed us: {log}");
        assert!(out.is_empty());
    }

    #[test]
    fn chapter_errors_name_path_and_line_and_fail() {
        let json = r#"[{"root":"/nonexistent","config":{"book":{"src":"content"}},"renderer":"html","mdbook_version":"0.5.4"},{"items":[{"Chapter":{"name":"A","content":"\n# A\n\n```quiz\n- prompt: x\n  answr: B\n```\n","path":"a.md","source_path":"a.md","sub_items":[],"parent_names":[],"number":null}}]}]"#;
        let (r, out, log) = run_str(json);
        assert!(matches!(r, Err(Error::MdbookFailed { errors: 1.. })), "{log}");
        assert!(log.contains("content/a.md:6:"), "{log}");
        assert!(out.is_empty());
    }

    #[test]
    fn settings_come_from_the_context() {
        let json = |raw: bool| {
            format!(
                r#"[{{"root":"/nonexistent","config":{{"book":{{"src":"src","title":"T"}},"preprocessor":{{"coursegen":{{"command":"coursegen mdbook","raw-html":{raw}}}}}}},"renderer":"html","mdbook_version":"0.5.4"}},{{"items":[{{"Chapter":{{"name":"A","content":"```quiz\n- prompt: Is <b>this</b> bold?\n  answer: yes\n```\n","path":"a.md","sub_items":[]}}}}]}}]"#
            )
        };
        let (r, with, _) = run_str(&json(true));
        assert!(r.is_ok());
        assert!(with.contains("Is <b>this</b> bold?"), "{with}");
        let (r, without, _) = run_str(&json(false));
        assert!(r.is_ok());
        assert!(without.contains("Is &lt;b&gt;this&lt;/b&gt; bold?"), "{without}");
        assert!(without.contains(r#"data-course=\"T\""#), "the book title names the course");
    }
}
