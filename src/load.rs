//! Reads a course from disk into an [`Input`]: the only place the build's inputs
//! touch the file system. Size limits and UTF-8 are checked here, so the core
//! only ever sees strings it can trust.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::site::{FileData, Input, SourceFile};
use crate::theme::Overrides;

/// Deepest folder nesting read under the source folder.
const MAX_DEPTH: usize = 32;
/// Most files read from the source folder.
const MAX_FILES: usize = 100_000;

/// A course read from disk, with the problems found while reading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub input: Input,
    /// Problems found while reading (invalid UTF-8, oversize files, bad book.toml).
    pub diags: Vec<Diagnostic>,
    /// Texts of files that are not pages but may be quoted in diagnostics
    /// (book.toml, files with invalid UTF-8 shown lossily).
    pub other_texts: BTreeMap<String, String>,
    /// book.toml was valid (or absent), so the source folder is known.
    pub config_ok: bool,
}

impl Loaded {
    /// The text of a file as diagnostics name it.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.other_texts.get(path).map(String::as_str).or_else(|| self.input.text_of(path))
    }
}

/// Reads the course at `root`. Fatal problems (no such folder) are errors;
/// problems in the author's files are diagnostics.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    if !root.is_dir() {
        return Err(Error::NotACourse(root.to_path_buf()));
    }
    let mut loaded = Loaded { config_ok: true, ..Loaded::default() };
    let toml_path = root.join("book.toml");
    let config = if toml_path.exists() {
        let text = fs::read_to_string(&toml_path).map_err(|e| Error::io(&toml_path, e))?;
        let parsed = config::parse("book.toml", &text);
        loaded.other_texts.insert("book.toml".into(), text);
        match parsed {
            Ok(c) => c,
            Err(d) => {
                loaded.diags.extend(d);
                loaded.config_ok = false;
                return Ok(loaded);
            }
        }
    } else {
        Config::default()
    };
    let src = root.join(&config.src);
    if !src.is_dir() {
        return Err(Error::NoSourceFolder(src));
    }
    let (files, unreadable) = read_tree(&src, &config.src, config.max_file_size, &mut loaded)?;
    loaded.input.files = files;
    loaded.input.unreadable = unreadable;
    if let Some(name) = &config.theme {
        let dir = root.join("themes").join(name);
        let label = format!("themes/{name}");
        if dir.is_dir() {
            let (files, _) = read_tree(&dir, &label, config.max_file_size, &mut loaded)?;
            loaded.input.theme = Overrides { dir: label, files: files.into_iter().map(|f| (f.rel, into_bytes(f.data))).collect() };
        } else {
            let span = loaded.other_texts.get("book.toml").and_then(|t| t.find("theme")).map_or(0..0, |i| i..i + 5);
            loaded.diags.push(
                Diagnostic::error("book.toml", span, format!("theme folder `{label}` not found"))
                    .with_hint("create it and put the files you want to override in it, or remove `theme`"),
            );
        }
    }
    loaded.input.config = config;
    Ok(loaded)
}

fn into_bytes(d: FileData) -> Vec<u8> {
    match d {
        FileData::Text(t) => t.as_bytes().to_vec(),
        FileData::Binary(b) => b,
    }
}

/// Every file under `dir` (hidden files skipped, links not followed), sorted, and
/// the paths of files that exist but could not be read (already reported).
/// `label` is `dir` as diagnostics name it.
fn read_tree(dir: &Path, label: &str, max_size: u64, loaded: &mut Loaded) -> Result<(Vec<SourceFile>, Vec<String>), Error> {
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| Error::Walk(dir.to_path_buf(), e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = relative(dir, entry.path()) else { continue };
        if found.len() >= MAX_FILES {
            let shown = format!("{label}/{rel}");
            loaded.diags.push(Diagnostic::error(shown, 0..0, format!("more than {MAX_FILES} files under {label}")));
            break;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        found.push((entry.into_path(), rel, size));
    }
    // Read on every core: a file not in the page cache waits on the disk
    // (5,000 lessons: 60 ms warm, 290 ms cold, read one after another).
    let contents: Vec<Result<Option<Vec<u8>>, Error>> = found.par_iter().map(|(path, _, size)| read_bytes(path, *size, max_size)).collect();
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for ((_, rel, size), bytes) in found.into_iter().zip(contents) {
        match accept(rel, label, size, max_size, bytes?, loaded) {
            Read::File(f) => files.push(f),
            Read::Unreadable(rel) => unreadable.push(rel),
            Read::Skipped => {}
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok((files, unreadable))
}

/// What reading one file gave.
enum Read {
    File(SourceFile),
    /// It exists but could not be used (its problem is reported).
    Unreadable(String),
    Skipped,
}

/// Reads one file of `size` bytes at `path` (`rel` under the folder `label`),
/// checking the size limit and, for sources, UTF-8.
fn read_file(path: &Path, rel: String, label: &str, size: u64, max_size: u64, loaded: &mut Loaded) -> Result<Read, Error> {
    let bytes = read_bytes(path, size, max_size)?;
    Ok(accept(rel, label, size, max_size, bytes, loaded))
}

/// The bytes of the file at `path`, unless its `size` is over the limit.
fn read_bytes(path: &Path, size: u64, max_size: u64) -> Result<Option<Vec<u8>>, Error> {
    if size > max_size {
        return Ok(None);
    }
    fs::read(path).map(Some).map_err(|e| Error::io(path, e))
}

/// What the file `rel` (under the folder `label`) of `size` bytes gives, its
/// bytes read unless it was over the limit; its problems go to `loaded`.
fn accept(rel: String, label: &str, size: u64, max_size: u64, bytes: Option<Vec<u8>>, loaded: &mut Loaded) -> Read {
    let shown = format!("{label}/{rel}");
    let before = loaded.diags.len();
    let Some(bytes) = bytes else {
        loaded.diags.push(
            Diagnostic::error(shown, 0..0, format!("file is {} bytes, over the limit of {max_size} bytes", size))
                .with_hint("make the file smaller, or raise `max-file-size` under [preprocessor.coursegen]"),
        );
        return Read::Unreadable(rel);
    };
    let data = if is_text(&rel) { text(bytes, &shown, loaded) } else { Some(FileData::Binary(bytes)) };
    match data {
        Some(data) => Read::File(SourceFile { rel, data }),
        None if loaded.diags.len() > before => Read::Unreadable(rel),
        None => Read::Skipped,
    }
}

/// `previous` brought up to date after the files at `changed` (absolute paths)
/// changed: only those are read again. Falls back to a full [`load`] when a
/// change is not a plain file under the source folder (book.toml, the theme,
/// a new folder), so the result is always what `load` would give.
pub fn reload(root: &Path, mut previous: Loaded, changed: &[PathBuf]) -> Result<Loaded, Error> {
    let src = root.join(&previous.input.config.src);
    let label = previous.input.config.src.clone();
    let mut todo = Vec::new();
    for path in changed {
        let Some(rel) = path.strip_prefix(&src).ok().and_then(|_| relative(&src, path)) else { return load(root) };
        if rel.is_empty() || !previous.config_ok {
            return load(root);
        }
        // Hidden files and folders are never read (see read_tree).
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        match fs::symlink_metadata(path) {
            Ok(m) if m.is_file() => todo.push((path, rel, Some(m.len()))),
            Ok(m) if m.is_symlink() => todo.push((path, rel, None)),
            Ok(_) => return load(root),
            // A folder that went away takes its files with it: read everything.
            Err(_) if previous.input.files.iter().any(|f| f.rel.starts_with(&format!("{rel}/"))) => return load(root),
            Err(_) => todo.push((path, rel, None)),
        }
    }
    let max_size = previous.input.config.max_file_size;
    for (path, rel, size) in todo {
        let shown = format!("{label}/{rel}");
        let input = &mut previous.input;
        input.files.retain(|f| f.rel != rel);
        input.unreadable.retain(|u| *u != rel);
        previous.diags.retain(|d| d.path != shown);
        previous.other_texts.remove(&shown);
        let Some(size) = size else { continue };
        // Gone again, or unreadable, since we looked: a full load reports it properly.
        let Ok(read) = read_file(path, rel, &label, size, max_size, &mut previous) else { return load(root) };
        match read {
            Read::File(f) => {
                let files = &mut previous.input.files;
                let at = files.partition_point(|x| x.rel < f.rel);
                files.insert(at, f);
            }
            Read::Unreadable(rel) => previous.input.unreadable.push(rel),
            Read::Skipped => {}
        }
    }
    Ok(previous)
}

/// Sources we parse must be UTF-8; the error names the line of the first bad byte.
fn text(bytes: Vec<u8>, shown: &str, loaded: &mut Loaded) -> Option<FileData> {
    match String::from_utf8(bytes) {
        Ok(t) => Some(FileData::Text(t.into())),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            loaded.diags.push(Diagnostic::error(shown, at..at, "invalid UTF-8").with_hint("save the file as UTF-8"));
            loaded.other_texts.insert(shown.to_string(), lossy);
            None
        }
    }
}

fn is_text(rel: &str) -> bool {
    [".md", ".toml", ".html"].iter().any(|ext| rel.ends_with(ext))
}

fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel: PathBuf = path.strip_prefix(base).ok()?.to_path_buf();
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}
