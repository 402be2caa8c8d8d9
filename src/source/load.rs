//! Reads a course from disk into an [`Input`]: the only place the build's inputs
//! touch the file system. Size limits, UTF-8, line endings and where each file
//! really is (symbolic links) are checked here, so the core only ever sees
//! strings it can trust, from files inside the course folder.

mod include;
mod text;
mod tree;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::error::Error;
use crate::source::config::{self, Config};
use crate::source::input::Overrides;
use crate::source::input::{FileData, Input};
use tree::{Read, Refusal, Tree};

/// Largest book.toml read. It holds settings only, and cannot be bounded by
/// `max-file-size`, which is written inside it.
pub const MAX_BOOK_TOML: u64 = 1024 * 1024;

/// A course read from disk, with the problems found while reading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub input: Input,
    /// Problems found while reading (invalid UTF-8, oversize files, bad book.toml,
    /// links out of the course folder).
    pub diags: Vec<Diagnostic>,
    /// Texts of files that are not pages but may be quoted in diagnostics
    /// (book.toml, files with invalid UTF-8 shown lossily).
    pub other_texts: BTreeMap<String, String>,
    /// book.toml was valid (or absent) and the source folder is inside the
    /// course folder, so there is something to build.
    pub config_ok: bool,
}

impl Loaded {
    /// The text of a file as diagnostics name it.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.other_texts.get(path).map(String::as_str).or_else(|| self.input.text_of(path))
    }
}

/// Reads the course at `root`. Fatal problems (no such folder) are errors;
/// problems in the author's files are diagnostics, all of them in one run.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    if !root.is_dir() {
        return Err(Error::NotACourse(root.to_path_buf()));
    }
    // Every file read must resolve inside this folder, so neither `src`, the
    // theme nor a link can publish /etc/passwd (issue 23).
    let course = fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let mut loaded = Loaded { config_ok: true, ..Loaded::default() };
    let Some(config) = read_config(root, &course, &mut loaded) else {
        loaded.config_ok = false;
        return Ok(loaded);
    };
    let src = root.join(&config.src);
    if !src.is_dir() {
        return Err(Error::NoSourceFolder(src));
    }
    match folder_inside(&course, &src) {
        Ok(dir) => {
            let tree = Tree { dir: &dir, label: &config.src, course: &course, max_size: config.max_file_size, only: None };
            let (files, unreadable) = tree.read(&mut loaded);
            loaded.input.files = files;
            loaded.input.unreadable = unreadable;
        }
        Err(refusal) => {
            let why = format!("source folder `{}`", config.src);
            loaded.diags.push(folder_refused(&loaded, "src", &config.src, &why, refusal));
            loaded.config_ok = false;
        }
    }
    if let Some(name) = &config.theme {
        read_theme(root, &course, name, config.max_file_size, &mut loaded);
    }
    loaded.input.config = config;
    include::read_outside(&course, &mut loaded);
    include::read_assets(&course, &mut loaded);
    Ok(loaded)
}

/// The files of `themes/<name>`, which must be inside the course folder.
fn read_theme(root: &Path, course: &Path, name: &str, max_size: u64, loaded: &mut Loaded) {
    let dir = root.join("themes").join(name);
    let label = format!("themes/{name}");
    if !dir.is_dir() {
        let span = loaded.other_texts.get("book.toml").and_then(|t| t.find("theme")).map_or(0..0, |i| i..i + 5);
        loaded.diags.push(
            Diagnostic::error("book.toml", span, format!("theme folder `{label}` not found"))
                .with_hint("create it and put the files you want to override in it, or remove `theme`"),
        );
        return;
    }
    match folder_inside(course, &dir) {
        Ok(dir) => {
            let (files, _) = Tree { dir: &dir, label: &label, course, max_size, only: None }.read(loaded);
            loaded.input.theme = Overrides { dir: label, files: files.into_iter().map(|f| (f.rel, into_bytes(f.data))).collect() };
        }
        Err(refusal) => {
            let d = folder_refused(loaded, "theme", &label, &format!("theme folder `{label}`"), refusal);
            loaded.diags.push(d);
        }
    }
}

/// Most quiz files one book may include: each is read whole, so this bounds
/// the work a hostile book can ask for.
pub const MAX_QUIZ_FILES: usize = 10_000;

/// The files `wanted` (paths relative to the book's folder at `root`), read
/// with the same checks as [`load`], by that path: what `{{#quiz file.toml}}`
/// may include in the mdBook front-end, which may be anywhere inside the
/// book's folder (mdbook-quiz's own layout puts `quizzes/` beside `src/`). A
/// file missing is left out (the include says so, where it is written); a file
/// that is, or sits under, a link out of the book's folder is refused.
pub fn quiz_files(root: &Path, wanted: &[String], max_size: u64) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut loaded = Loaded::default();
    let mut texts = BTreeMap::new();
    let Ok(course) = fs::canonicalize(root) else { return (texts, Vec::new()) };
    for rel in wanted.iter().take(MAX_QUIZ_FILES) {
        let path = root.join(rel);
        let real = match fs::canonicalize(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                loaded.diags.push(Refusal::Broken(e.to_string()).diagnostic(rel));
                continue;
            }
            Ok(real) if !real.starts_with(&course) => {
                loaded.diags.push(Refusal::Outside(real).diagnostic(rel));
                continue;
            }
            Ok(real) => real,
        };
        // Opening a named pipe would wait for a writer forever.
        if !real.is_file() {
            loaded.diags.push(Diagnostic::error(rel.as_str(), 0..0, "is not a file").with_hint("a quiz file is a TOML file"));
            continue;
        }
        let bytes = match read_limited(&real, max_size) {
            Ok(b) => b,
            Err(e) => {
                loaded.diags.push(Diagnostic::error(rel.as_str(), 0..0, format!("cannot read: {e}")));
                continue;
            }
        };
        if let Read::File(f) = tree::accept(rel.clone(), rel, &real, max_size, bytes, &mut loaded)
            && let FileData::Text(t) = f.data
        {
            texts.insert(f.rel, t.to_string());
        }
    }
    (texts, loaded.diags)
}

/// book.toml's settings as [`load`] reads them, without reading anything
/// else: what `serve` must watch before it loads. `None` when unusable.
pub fn settings(root: &Path) -> Option<Config> {
    let course = fs::canonicalize(root).ok()?;
    read_config(root, &course, &mut Loaded::default())
}

/// book.toml's settings, or `None` when they are unusable (the problems are in
/// `loaded`). No book.toml gives the defaults.
fn read_config(root: &Path, course: &Path, loaded: &mut Loaded) -> Option<Config> {
    const NAME: &str = "book.toml";
    let path = root.join(NAME);
    let meta = match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Config::default()),
        Err(e) => return refuse(loaded, Diagnostic::error(NAME, 0..0, format!("cannot read: {e}"))),
        Ok(m) if m.is_symlink() => match tree::link_target(&path, course, course) {
            Ok(_) => fs::metadata(&path).ok()?,
            Err(refusal) => return refuse(loaded, refusal.diagnostic(NAME)),
        },
        Ok(m) => m,
    };
    // Opening a named pipe would wait for a writer forever.
    if !meta.is_file() {
        return refuse(loaded, Diagnostic::error(NAME, 0..0, "book.toml is not a file").with_hint("make book.toml a TOML file"));
    }
    let bytes = match read_limited(&path, MAX_BOOK_TOML) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let d = Diagnostic::error(NAME, 0..0, format!("book.toml is over the limit of {MAX_BOOK_TOML} bytes"))
                .with_hint("book.toml holds settings only; move long text into the source folder");
            return refuse(loaded, d);
        }
        Err(e) => return refuse(loaded, Diagnostic::error(NAME, 0..0, format!("cannot read: {e}"))),
    };
    let text = text::decode(bytes, NAME, true, loaded)?;
    let parsed = config::parse(NAME, &text);
    if let Ok(c) = &parsed {
        loaded.diags.extend(c.warnings.iter().cloned());
    }
    loaded.other_texts.insert(NAME.into(), text.to_string());
    parsed.map_err(|d| loaded.diags.extend(d)).ok()
}

fn refuse<T>(loaded: &mut Loaded, d: Diagnostic) -> Option<T> {
    loaded.diags.push(d);
    None
}

/// `dir` with links resolved, when it is inside `course`.
fn folder_inside(course: &Path, dir: &Path) -> Result<PathBuf, Refusal> {
    let real = fs::canonicalize(dir).map_err(|e| Refusal::Broken(e.to_string()))?;
    if real.starts_with(course) { Ok(real) } else { Err(Refusal::Outside(real)) }
}

/// The error for a folder named by book.toml's `key` that is not inside the
/// course folder, at that key when book.toml has it.
fn folder_refused(loaded: &Loaded, key: &str, label: &str, what: &str, refusal: Refusal) -> Diagnostic {
    let (path, span) = match loaded.other_texts.get("book.toml").and_then(|t| config::key_span(t, key)) {
        Some(span) => ("book.toml", span),
        None => (label, 0..0),
    };
    let message = match &refusal {
        Refusal::Outside(real) if real == Path::new(label) => format!("{what} is outside the course folder"),
        Refusal::Outside(real) => format!("{what} leads outside the course folder, to `{}`", real.display()),
        Refusal::Loop(_) | Refusal::Broken(_) => format!("{what} cannot be read: {}", refusal.reason()),
    };
    Diagnostic::error(path, span, message)
        .with_hint(format!("`{key}` names a folder inside the course folder (where book.toml is); move it in, or point the link inside"))
}

/// The bytes of the file at `path`, or `None` when it holds more than `max`.
/// The limit is counted while reading, not taken from the file's reported
/// size: files such as those under /proc report 0 bytes and hold more.
pub(crate) fn read_limited(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = fs::File::open(path)?;
    // The same one fstat `fs::read` makes: a file that fits is read in one go.
    let size = file.metadata().map_or(0, |m| m.len()).min(max);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

fn into_bytes(d: FileData) -> Vec<u8> {
    match d {
        FileData::Text(t) => t.as_bytes().to_vec(),
        FileData::Binary(b) => b,
    }
}

/// `previous` brought up to date after the files at `changed` (absolute paths)
/// changed: only those are read again. Falls back to a full [`load`] when a
/// change is not a plain file under the source folder (book.toml, the theme,
/// a new folder, a link), so the result is always what `load` would give.
pub fn reload(root: &Path, mut previous: Loaded, changed: &[PathBuf]) -> Result<Loaded, Error> {
    let src = root.join(&previous.input.config.src);
    let label = previous.input.config.src.clone();
    let mut todo = Vec::new();
    for path in changed {
        let Some(rel) = path.strip_prefix(&src).ok().and_then(|_| tree::relative(&src, path)) else { return load(root) };
        if rel.is_empty() || !previous.config_ok {
            return load(root);
        }
        // Hidden files and folders are never read (see Tree::read).
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        match fs::symlink_metadata(path) {
            Ok(m) if m.is_file() => todo.push((path, rel, true)),
            // Links, folders, pipes: the full walk checks where they lead.
            Ok(_) => return load(root),
            // A folder that went away takes its files with it: read everything.
            Err(_) if previous.input.files.iter().any(|f| f.rel.starts_with(&format!("{rel}/"))) => return load(root),
            Err(_) => todo.push((path, rel, false)),
        }
    }
    let max_size = previous.input.config.max_file_size;
    for (path, rel, exists) in todo {
        let shown = format!("{label}/{rel}");
        let input = &mut previous.input;
        input.files.retain(|f| f.rel != rel);
        input.unreadable.retain(|u| *u != rel);
        previous.diags.retain(|d| d.path != shown);
        previous.other_texts.remove(&shown);
        if !exists {
            continue;
        }
        // Gone again, or unreadable, since we looked: a full load reports it properly.
        let Ok(bytes) = read_limited(path, max_size) else { return load(root) };
        match tree::accept(rel, &shown, path, max_size, bytes, &mut previous) {
            Read::File(f) => {
                let files = &mut previous.input.files;
                let at = files.partition_point(|x| x.rel < f.rel);
                files.insert(at, f);
            }
            Read::Unreadable(rel) => previous.input.unreadable.push(rel),
        }
    }
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// /proc files report a size of 0: the limit must hold anyway.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_limit_is_counted_not_taken_from_the_reported_size() {
        let path = Path::new("/proc/self/maps");
        assert_eq!(fs::metadata(path).map(|m| m.len()).ok(), Some(0));
        assert_eq!(read_limited(path, 16).expect("read"), None);
        assert!(read_limited(path, 1 << 24).expect("read").is_some_and(|b| b.len() > 16));
    }
}
