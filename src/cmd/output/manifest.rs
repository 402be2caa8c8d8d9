//! The marker file that every build leaves in its output, listing each file
//! it wrote. It is how the next build tells its own folder from someone
//! else's (issue 15: a folder of notes was emptied), and how leftovers of a
//! killed build are told from anything else that happens to be beside them.
//! Deleting goes by the list, so what coursegen did not write stays.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use crate::error::Error;
use crate::error::Refusal;

/// The marker's name, at the top of the output folder.
pub const MARKER: &str = ".coursegen-output";

/// The marker's first line; a file of that name without it is not ours.
const HEADER: &str =
    "# coursegen output 1: `coursegen build` wrote the files listed below and replaces this folder only while it holds nothing else";

/// How many stray files a refusal names.
const EXAMPLES: usize = 3;

/// The marker's text for `files` (sorted, `/`-separated).
pub fn render(files: &[String]) -> String {
    let mut text = String::with_capacity(HEADER.len() + 1 + files.iter().map(|f| f.len() + 1).sum::<usize>());
    text.push_str(HEADER);
    text.push('\n');
    for f in files {
        // A newline is a legal character in a file name.
        text.push_str(&f.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r"));
        text.push('\n');
    }
    text
}

/// The files listed by the marker in `dir`, or `None` when it has none of ours.
pub fn read(dir: &Path) -> Option<Vec<String>> {
    let text = fs::read_to_string(dir.join(MARKER)).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return None;
    }
    Some(lines.map(unescape).collect())
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// What an output folder held before this build.
#[derive(Debug, Default)]
pub struct Previous {
    /// It exists (it may be empty).
    pub exists: bool,
    /// The files its marker lists: the ones to delete once it is replaced.
    pub files: Vec<String>,
}

/// What `out` (a folder or nothing) holds, or why it must not be replaced:
/// it has files and no marker, or files its marker does not list. Reads the
/// marker and walks the folder once.
pub fn previous(out: &Path) -> Result<Result<Previous, Refusal>, Error> {
    let mut names: Vec<String> = match fs::read_dir(out) {
        Ok(entries) => entries
            .map(|e| {
                let e = e.map_err(|err| Error::io(out, err))?;
                let slash = if e.file_type().is_ok_and(|t| t.is_dir()) { "/" } else { "" };
                Ok(format!("{}{slash}", e.file_name().to_string_lossy()))
            })
            .collect::<Result<_, Error>>()?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Ok(Previous::default())),
        Err(e) => return Err(Error::io(out, e)),
    };
    if names.is_empty() {
        return Ok(Ok(Previous { exists: true, files: Vec::new() }));
    }
    let Some(files) = read(out) else {
        names.sort();
        let count = names.len();
        names.truncate(EXAMPLES);
        return Ok(Err(Refusal::Foreign { examples: names, count }));
    };
    let listed: HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut examples = Vec::new();
    let mut count = 0;
    for entry in walkdir::WalkDir::new(out).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Walk(out.to_path_buf(), e.to_string()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(out, entry.path());
        if rel != MARKER && !listed.contains(rel.as_str()) {
            count += 1;
            if examples.len() < EXAMPLES {
                examples.push(rel);
            }
        }
    }
    if count > 0 {
        return Ok(Err(Refusal::Added { examples, count }));
    }
    Ok(Ok(Previous { exists: true, files }))
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Deletes from `dir` the `files` a build wrote there, then the folders left
/// empty, then the marker and `dir` itself if nothing else is left. Whether
/// `dir` is gone.
pub fn remove_listed(dir: &Path, files: &[String]) -> bool {
    for rel in files {
        let _ = fs::remove_file(rel.split('/').fold(dir.to_path_buf(), |p, part| p.join(part)));
    }
    let folders = walkdir::WalkDir::new(dir).min_depth(1).contents_first(true).into_iter().flatten();
    for entry in folders.filter(|e| e.file_type().is_dir()) {
        // Fails, as it should, on a folder that still holds something.
        let _ = fs::remove_dir(entry.path());
    }
    remove_marker_and_folder(dir)
}

/// Deletes a staging folder: everything in it was put there by the build
/// that made it. The marker goes last, so a folder half deleted by a killed
/// build is still recognised as ours. Whether `dir` is gone.
pub fn remove_staging(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else { return false };
    for entry in entries.flatten() {
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
    }
    remove_marker_and_folder(dir)
}

fn remove_marker_and_folder(dir: &Path) -> bool {
    let only_marker = fs::read_dir(dir).is_ok_and(|mut e| e.all(|e| e.is_ok_and(|e| e.file_name() == MARKER)));
    if only_marker {
        let _ = fs::remove_file(dir.join(MARKER));
    }
    fs::remove_dir(dir).is_ok()
}

/// Deletes what killed builds left beside the output folder `name` in
/// `parent`: `.<name>.coursegen-staging-<pid>` and `.<name>.coursegen-old-<pid>`
/// folders of processes that no longer run, and only when they carry our
/// marker (or are empty).
pub fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.coursegen-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let Some((kind, pid)) = rest.split_once('-') else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        // A symbolic link to a folder is not a folder we made.
        if pid == std::process::id() || running(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        match (kind, read(&dir)) {
            ("staging", Some(_)) => {
                remove_staging(&dir);
            }
            ("old", Some(files)) => {
                remove_listed(&dir, &files);
            }
            ("staging" | "old", None) => {
                // Killed before the marker was written: empty, or not ours.
                let _ = fs::remove_dir(&dir);
            }
            _ => {}
        }
    }
}

/// Whether process `pid` runs. Without /proc, every process is taken to be
/// gone: then a build running at the same time into the same folder can lose
/// its staging folder and fail, but nobody's files are lost.
fn running(pid: u32) -> bool {
    Path::new("/proc/self").exists() && Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_file_name_survives_the_marker() {
        let files: Vec<String> = ["index.html", "a b/c.html", "odd\nname\\x.png", "cr\r.txt", "#hash.md"].map(String::from).to_vec();
        let dir = std::env::temp_dir().join(format!("cg-manifest-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(MARKER), render(&files)).unwrap();
        assert_eq!(read(&dir), Some(files));
        fs::write(dir.join(MARKER), "index.html\n").unwrap();
        assert_eq!(read(&dir), None, "a marker without our header is not ours");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_listed_files_are_deleted() {
        let dir = std::env::temp_dir().join(format!("cg-remove-{}", std::process::id()));
        fs::create_dir_all(dir.join("a/b")).unwrap();
        for f in ["a/b/page.html", "a/notes.txt", "index.html"] {
            fs::write(dir.join(f), f).unwrap();
        }
        fs::write(dir.join(MARKER), render(&["a/b/page.html".into(), "index.html".into()])).unwrap();
        assert!(!remove_listed(&dir, &["a/b/page.html".into(), "index.html".into()]), "notes.txt keeps the folder");
        assert_eq!(fs::read(dir.join("a/notes.txt")).unwrap(), b"a/notes.txt");
        assert!(!dir.join("a/b").exists() && !dir.join("index.html").exists());
        fs::remove_file(dir.join("a/notes.txt")).unwrap();
        assert!(remove_listed(&dir, &[]));
        assert!(!dir.exists());
    }
}
