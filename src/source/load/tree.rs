//! Walking one folder of the course (the source folder or a theme): which
//! entries are read, which are refused (links out of the course folder, link
//! loops, pipes and devices), and what each file read gives.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Loaded, read_limited, text};
use crate::diag::Diagnostic;
use crate::source::input::{FileData, SourceFile};

/// Deepest folder nesting read under a folder.
const MAX_DEPTH: usize = 32;
/// Most files read from one folder.
const MAX_FILES: usize = 100_000;

/// A folder to read.
pub(super) struct Tree<'a> {
    /// The folder, links resolved.
    pub dir: &'a Path,
    /// The folder as diagnostics name it (`content`, `themes/mine`).
    pub label: &'a str,
    /// The course folder, links resolved: nothing outside it is read.
    pub course: &'a Path,
    pub max_size: u64,
    /// Reads only the files whose relative path passes, when set.
    pub only: Option<fn(&str) -> bool>,
}

/// Why a link (or a folder named by book.toml) is not followed.
#[derive(Debug)]
pub(super) enum Refusal {
    /// It leads to this path, outside the course folder.
    Outside(PathBuf),
    /// It leads to this folder, which contains the link.
    Loop(PathBuf),
    /// It cannot be resolved (dangling, or a cycle of links): the system's words.
    Broken(String),
}

impl Refusal {
    pub const HINT: &'static str =
        "coursegen reads only files inside the course folder (where book.toml is); copy the file in, or point the link inside";

    /// The problem in words, after "cannot be read: ".
    pub fn reason(&self) -> String {
        match self {
            Refusal::Outside(real) => format!("it leads outside the course folder, to `{}`", real.display()),
            Refusal::Loop(real) => format!("it loops back to `{}`, a folder that contains it", real.display()),
            Refusal::Broken(e) => e.clone(),
        }
    }

    /// The error at `shown`, the link as diagnostics name it.
    pub fn diagnostic(&self, shown: &str) -> Diagnostic {
        let message = match self {
            Refusal::Outside(real) => format!("symbolic link leads outside the course folder, to `{}`", real.display()),
            Refusal::Loop(real) => format!("symbolic link loops back to `{}`, a folder that contains it", real.display()),
            Refusal::Broken(e) => format!("cannot follow this symbolic link: {e}"),
        };
        let hint = match self {
            Refusal::Outside(_) => Self::HINT,
            Refusal::Loop(_) => "a link may point at a file or a sibling folder, not at a folder it is in",
            Refusal::Broken(_) => "point the link at a file inside the course folder, or remove it",
        };
        Diagnostic::error(shown, 0..0, message).with_hint(hint)
    }
}

/// Where the link at `path` leads, when that is inside `course` and is not a
/// folder containing `dir` (the folder being read, links resolved).
pub(super) fn link_target(path: &Path, course: &Path, dir: &Path) -> Result<PathBuf, Refusal> {
    let real = std::fs::canonicalize(path).map_err(|e| Refusal::Broken(e.to_string()))?;
    if !real.starts_with(course) {
        Err(Refusal::Outside(real))
    } else if dir.starts_with(&real) && real.is_dir() {
        Err(Refusal::Loop(real))
    } else {
        Ok(real)
    }
}

/// What reading one file gave.
pub(super) enum Read {
    File(SourceFile),
    /// It exists but could not be used (its problem is reported).
    Unreadable(String),
}

impl Tree<'_> {
    fn shown(&self, rel: &str) -> String {
        if rel.is_empty() { self.label.to_string() } else { format!("{}/{rel}", self.label) }
    }

    fn wanted(&self, rel: &str) -> bool {
        self.only.is_none_or(|only| only(rel))
    }

    /// Every file under the folder (hidden files skipped), sorted, and the paths
    /// of files that exist but could not be read. Every problem goes to `loaded`;
    /// none stops the walk.
    pub fn read(&self, loaded: &mut Loaded) -> (Vec<SourceFile>, Vec<String>) {
        let mut unreadable = Vec::new();
        let found = self.walk(loaded, &mut unreadable);
        // Read on every core: a file not in the page cache waits on the disk
        // (5,000 lessons: 60 ms warm, 290 ms cold, read one after another).
        let contents: Vec<_> = found.par_iter().map(|(path, _)| read_limited(path, self.max_size)).collect();
        let mut files = Vec::with_capacity(found.len());
        for ((path, rel), bytes) in found.into_iter().zip(contents) {
            let shown = self.shown(&rel);
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(e) => {
                    loaded.diags.push(Diagnostic::error(shown, 0..0, format!("cannot read: {e}")));
                    unreadable.push(rel);
                    continue;
                }
            };
            match accept(rel, &shown, &path, self.max_size, bytes, loaded) {
                Read::File(f) => files.push(f),
                Read::Unreadable(rel) => unreadable.push(rel),
            }
        }
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        (files, unreadable)
    }

    /// The files to read, as (path, path relative to the folder).
    fn walk(&self, loaded: &mut Loaded, unreadable: &mut Vec<String>) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        // Links are followed, as mdBook does (courses share a folder of images
        // or quizzes through one), but only when they stay inside the course
        // folder: a link then publishes nothing the author did not put there.
        // walkdir stats links only, and reports links back to a folder it is in.
        let mut walker = walkdir::WalkDir::new(self.dir)
            .follow_links(true)
            .max_depth(MAX_DEPTH)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    if let Some((rel, d)) = self.walk_problem(&e) {
                        loaded.diags.push(d);
                        unreadable.push(rel);
                    }
                    continue;
                }
            };
            let Some(rel) = relative(self.dir, entry.path()) else { continue };
            let is_dir = entry.file_type().is_dir();
            if !is_dir && !self.wanted(&rel) {
                continue;
            }
            if entry.path_is_symlink()
                && entry.depth() > 0
                && let Err(refusal) = link_target(entry.path(), self.course, self.dir)
            {
                loaded.diags.push(refusal.diagnostic(&self.shown(&rel)));
                if is_dir {
                    walker.skip_current_dir();
                }
                unreadable.push(rel);
                continue;
            }
            if is_dir {
                continue;
            }
            if !entry.file_type().is_file() {
                // Opening a named pipe waits for a writer: the build would hang.
                loaded.diags.push(
                    Diagnostic::warning(self.shown(&rel), 0..0, "not a regular file (a named pipe, socket or device): skipped")
                        .with_hint("only files and folders are read; move it out of the folder"),
                );
                continue;
            }
            if found.len() >= MAX_FILES {
                loaded.diags.push(Diagnostic::error(self.shown(&rel), 0..0, format!("more than {MAX_FILES} files under {}", self.label)));
                break;
            }
            found.push((entry.into_path(), rel));
        }
        found
    }

    /// A failure of the walk as an error at the entry, with its relative path.
    fn walk_problem(&self, e: &walkdir::Error) -> Option<(String, Diagnostic)> {
        let path = e.path().unwrap_or(self.dir);
        let rel = relative(self.dir, path)?;
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
        if is_link && !self.wanted(&rel) && !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            return None;
        }
        let shown = self.shown(&rel);
        let d = match (e.loop_ancestor(), e.io_error()) {
            (Some(ancestor), _) => Refusal::Loop(ancestor.to_path_buf()).diagnostic(&shown),
            (None, Some(io)) if is_link => Refusal::Broken(io.to_string()).diagnostic(&shown),
            (None, io) => Diagnostic::error(shown, 0..0, format!("cannot read: {}", io.map_or_else(|| e.to_string(), ToString::to_string))),
        };
        Some((rel, d))
    }
}

/// What the file `rel` (shown as `shown`, read from `path`) gives, its bytes
/// read unless it holds more than `max_size`; its problems go to `loaded`.
pub(super) fn accept(rel: String, shown: &str, path: &Path, max_size: u64, bytes: Option<Vec<u8>>, loaded: &mut Loaded) -> Read {
    let Some(bytes) = bytes else {
        // Only for the rare file over the limit: its size, when it tells the truth.
        let message = match std::fs::metadata(path).map(|m| m.len()) {
            Ok(size) if size > max_size => format!("file is {size} bytes, over the limit of {max_size} bytes"),
            _ => format!("file holds more than the limit of {max_size} bytes"),
        };
        loaded.diags.push(
            Diagnostic::error(shown, 0..0, message)
                .with_hint("make the file smaller, or raise `max-file-size` under [preprocessor.coursegen]"),
        );
        return Read::Unreadable(rel);
    };
    let parsed = rel.ends_with(".md") || rel.ends_with(".toml");
    if !parsed && !rel.ends_with(".html") {
        return Read::File(SourceFile { rel, data: FileData::Binary(bytes) });
    }
    match text::decode(bytes, shown, parsed, loaded) {
        Some(t) => Read::File(SourceFile { rel, data: FileData::Text(t) }),
        None => Read::Unreadable(rel),
    }
}

/// `path` relative to `base`, `/`-separated.
pub(super) fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}
