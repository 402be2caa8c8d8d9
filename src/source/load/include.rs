//! The files mdBook's `{{#include}}` directives name outside the source
//! folder (the Rust Book keeps its listings in `../listings`), read as the
//! directives are found, following includes in included files. Only files
//! inside the book's folder are read, links resolved; each is bounded by
//! `max-file-size`, and all of them together by [`MAX_INCLUDED_BYTES`] and
//! [`MAX_INCLUDED_FILES`].

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use super::Loaded;
use crate::diag::Diagnostic;
use crate::source::directive::{self, Directive};
use crate::source::input::FileData;

/// Most bytes read for includes outside the source folder, all files together.
pub const MAX_INCLUDED_BYTES: u64 = 256 * 1024 * 1024;
/// Most files read for includes outside the source folder.
pub const MAX_INCLUDED_FILES: usize = 20_000;

/// Reads into `loaded.input.outside` every file outside the source folder
/// that a text under it includes, directly or through other included files.
/// A file that is missing is left for the page's parse to report, at the
/// directive; one that may not be read is reported here, at the directive.
pub(super) fn read_outside(course: &Path, loaded: &mut Loaded) {
    let src = loaded.input.config.src.clone();
    let max_size = loaded.input.config.max_file_size;
    let mut todo: Vec<(String, Arc<str>)> = loaded
        .input
        .files
        .iter()
        .filter_map(|f| match &f.data {
            FileData::Text(t) if t.contains("{{") => Some((format!("{src}/{}", f.rel), Arc::clone(t))),
            _ => None,
        })
        .collect();
    let mut read: BTreeMap<String, Arc<str>> = BTreeMap::new();
    let mut refused: BTreeMap<String, ()> = BTreeMap::new();
    let mut total = 0u64;
    while let Some((from, text)) = todo.pop() {
        for d in directive::find(&text) {
            let Some(target) = d.kind.path().and_then(|p| directive::resolve(&from, p)) else { continue };
            if target.starts_with(&format!("{src}/")) || read.contains_key(&target) || refused.contains_key(&target) {
                continue;
            }
            let at = Located { from: &from, d: &d, loaded: &mut *loaded };
            if read.len() >= MAX_INCLUDED_FILES || total > MAX_INCLUDED_BYTES {
                at.error(
                    format!(
                        "the book includes more than {MAX_INCLUDED_FILES} files or {} MiB from outside `{src}`",
                        MAX_INCLUDED_BYTES >> 20
                    ),
                    "include fewer or smaller files",
                );
                refused.insert(target, ());
                continue;
            }
            match one(course, &target, max_size) {
                Ok(Some(t)) => {
                    total += t.len() as u64;
                    read.insert(target.clone(), Arc::clone(&t));
                    todo.push((target, t));
                }
                Ok(None) => {}
                Err((message, hint)) => {
                    at.error(message, hint);
                    refused.insert(target, ());
                }
            }
        }
    }
    loaded.input.outside.extend(read);
}

/// Reads `[output.html]`'s `additional-css` and `additional-js` files into
/// `loaded.input.outside`, reporting at book.toml's line one that is missing.
pub(super) fn read_assets(course: &Path, loaded: &mut Loaded) {
    let html = loaded.input.config.html.clone();
    let max_size = loaded.input.config.max_file_size;
    for (key, list) in [("additional-css", &html.additional_css), ("additional-js", &html.additional_js)] {
        for path in list {
            let Some(rel) = directive::resolve("book.toml", path) else { continue };
            let span = loaded.other_texts.get("book.toml").and_then(|t| crate::source::config::key_span(t, key)).unwrap_or(0..0);
            match one(course, &rel, max_size) {
                Ok(Some(text)) => {
                    loaded.input.outside.insert(rel, text);
                }
                Ok(None) => loaded.diags.push(
                    Diagnostic::warning("book.toml", span, format!("`{path}` in `{key}` not found"))
                        .with_hint("paths are relative to the book's folder"),
                ),
                Err((message, hint)) => loaded.diags.push(Diagnostic::warning("book.toml", span, message).with_hint(hint)),
            }
        }
    }
}

/// A directive in the file `from`, to report a problem at.
struct Located<'a> {
    from: &'a str,
    d: &'a Directive<'a>,
    loaded: &'a mut Loaded,
}

impl Located<'_> {
    fn error(self, message: String, hint: &str) {
        self.loaded.diags.push(Diagnostic::error(self.from, self.d.span.clone(), message).with_hint(hint));
    }
}

/// The text of `target` (relative to the book's folder at `course`), `None`
/// when it is not there, or why it may not be included.
fn one(course: &Path, target: &str, max_size: u64) -> Result<Option<Arc<str>>, (String, &'static str)> {
    let path = course.join(target);
    let Ok(real) = fs::canonicalize(&path) else { return Ok(None) };
    if !real.starts_with(course) {
        return Err((
            format!("`{target}` leads outside the book's folder, to `{}`", real.display()),
            "coursegen includes only files inside the book's folder (where book.toml is); copy the file in",
        ));
    }
    // A pipe or a device would block the build, or never end.
    if !real.is_file() {
        return Ok(None);
    }
    match super::read_limited(&real, max_size) {
        Ok(Some(bytes)) => match String::from_utf8(bytes) {
            Ok(t) => Ok(Some(t.replace("\r\n", "\n").into())),
            Err(e) => {
                Err((format!("`{target}` is not UTF-8 text (invalid byte at {})", e.utf8_error().valid_up_to()), "include text files only"))
            }
        },
        Ok(None) => Err((
            format!("`{target}` is over the limit of {max_size} bytes"),
            "make the file smaller, or raise `max-file-size` under [preprocessor.coursegen]",
        )),
        Err(e) => Err((format!("cannot read `{target}`: {e}"), "check the file's permissions")),
    }
}
