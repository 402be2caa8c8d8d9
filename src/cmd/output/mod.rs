//! Writes a site to disk: into a staging folder beside the output folder,
//! which replaces it only once everything is written. A failed build or a
//! failed write leaves the previous output as it was.
//!
//! A folder is replaced only when coursegen wrote it (issue 15): its marker
//! ([`manifest`]) lists every file in it. Where the folder is matters too
//! ([`guard`]): never the course, its sources or themes, a file, home or `/`.

mod guard;
mod manifest;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use crate::error::Refusal;
pub use guard::{Keep, Resolved, resolve};
pub use manifest::MARKER;

use crate::error::Error;
use crate::pipeline::sink::Sink;
use crate::pipeline::site::{Bytes, Site};

/// An output folder and the course it must keep clear of.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The output folder as the user named it (relative: to the current folder).
    pub out: &'a Path,
    /// `-d` named it; else book.toml or the default did (for the hint of a refusal).
    pub by_flag: bool,
    /// The course folder.
    pub root: &'a Path,
    /// The source folder.
    pub src: &'a Path,
}

/// Writes `site` to `target`, replacing what was there. The old output folder
/// when it could not be deleted entirely (someone put files in it meanwhile).
pub fn write(site: &Site, target: &Target) -> Result<Option<PathBuf>, Error> {
    let staging = Staging::begin(target)?;
    for (rel, bytes) in &site.files {
        staging.put(rel, Bytes::clone(bytes))?;
    }
    staging.finish()
}

/// A [`Sink`] that writes each file into a fresh staging folder as soon as it
/// is put; [`Staging::finish`] swaps it in for the output folder. Dropped
/// unfinished (the build failed), it deletes the staging folder and leaves the
/// output folder untouched.
pub struct Staging {
    dir: PathBuf,
    /// The output folder, resolved.
    out: PathBuf,
    /// The output folder as the user named it.
    shown: PathBuf,
    by_flag: bool,
    old: PathBuf,
    done: bool,
    written: Mutex<Written>,
}

/// What the staging folder holds so far.
#[derive(Default)]
struct Written {
    /// Folders made so far: asking the kernel again for each of 1,000 pages
    /// in one folder cost two system calls per file (issue 8).
    made: HashSet<PathBuf>,
    /// Every file put, for the marker: collected here rather than found by
    /// walking the staging folder again at the end.
    files: Vec<String>,
}

impl Staging {
    /// Creates an empty staging folder for the output folder of `target`, or
    /// refuses it (see [`Refusal`]). Deletes what killed builds left beside
    /// it, and nothing else.
    pub fn begin(target: &Target) -> Result<Staging, Error> {
        let refuse = |why: Refusal, resolved: Option<&Path>| refusal(target.out, resolved, target.by_flag, why);
        let resolved = match resolve(target.out) {
            Ok(r) => r,
            Err(Error::Io { path, source }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Err(refuse(Refusal::BrokenLink { link: path }, None));
            }
            Err(e) => return Err(e),
        };
        let out = resolved.path.clone();
        let shown_resolved = resolved.moved.then_some(out.as_path());
        Keep::new(target.root, target.src)?.check(&out).map_err(|why| refuse(why, shown_resolved))?;
        manifest::previous(&out)?.map_err(|why| refuse(why, shown_resolved))?;
        // `check` refused `/`, so there is a parent and a name.
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(refuse(Refusal::FileSystemRoot, shown_resolved));
        };
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = name.to_string_lossy().into_owned();
        manifest::remove_leftovers(parent, &name);
        let dir = parent.join(format!(".{name}.coursegen-staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.coursegen-old-{}", std::process::id()));
        // Left by a process that had our id before us.
        if manifest::read(&dir).is_some() {
            manifest::remove_staging(&dir);
        }
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        let staging =
            Staging { dir, out, shown: target.out.to_path_buf(), by_flag: target.by_flag, old, done: false, written: Mutex::default() };
        // First, so that a killed build's staging folder is known to be ours.
        staging.write_marker(&[])?;
        Ok(staging)
    }

    fn write_marker(&self, files: &[String]) -> Result<(), Error> {
        let path = self.dir.join(MARKER);
        fs::write(&path, manifest::render(files)).map_err(|e| Error::io(&path, e))
    }

    /// Writes `bytes` at `rel` in the staging folder.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path: PathBuf = rel.split('/').fold(self.dir.clone(), |p, part| p.join(part));
        if rel == MARKER {
            let why = std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("`{MARKER}` is coursegen's own file in the output"));
            return Err(Error::io(&path, why));
        }
        {
            let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(parent) = path.parent().filter(|p| *p != self.dir)
                && !written.made.contains(parent)
            {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                written.made.insert(parent.to_path_buf());
            }
            written.files.push(rel.to_string());
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Replaces the output folder with everything put so far. The old output
    /// folder when it could not be deleted entirely.
    pub fn finish(mut self) -> Result<Option<PathBuf>, Error> {
        let mut files = std::mem::take(&mut self.written.get_mut().unwrap_or_else(|p| p.into_inner()).files);
        files.sort_unstable();
        files.dedup();
        self.write_marker(&files)?;
        // Again: files may have been put in the output folder during the build.
        let previous = manifest::previous(&self.out)?.map_err(|why| refusal(&self.shown, Some(&self.out), self.by_flag, why))?;
        let kept = swap(&self.dir, &self.out, &self.old, &previous)?;
        self.done = true;
        Ok(kept)
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: Bytes) -> Result<(), Error> {
        self.write(rel, &bytes)
    }

    fn put_owned(&self, rel: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.write(rel, &bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            manifest::remove_staging(&self.dir);
        }
    }
}

fn refusal(out: &Path, resolved: Option<&Path>, by_flag: bool, why: Refusal) -> Error {
    Error::OutputRefused { out: out.to_path_buf(), resolved: resolved.map(Path::to_path_buf), hint: why.hint(by_flag), why }
}

/// Moves `staging` to `out`, moving the old `out` aside first and deleting
/// the files it listed after. The old folder when something else is left in it.
fn swap(staging: &Path, out: &Path, old: &Path, previous: &manifest::Previous) -> Result<Option<PathBuf>, Error> {
    if previous.exists {
        fs::rename(out, old).map_err(|e| Error::Replace { out: out.to_path_buf(), source: e })?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if previous.exists {
            let _ = fs::rename(old, out);
        }
        return Err(Error::Replace { out: out.to_path_buf(), source: e });
    }
    if previous.exists && !manifest::remove_listed(old, &previous.files) {
        return Ok(Some(old.to_path_buf()));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        let mut site = Site::default();
        for (rel, text) in files {
            site.files.insert(rel.to_string(), text.as_bytes().into());
        }
        site
    }

    /// A fresh folder `cg-<label>-<pid>` holding a course folder and an
    /// output folder `book` that coursegen wrote, with an `old.html`.
    fn old_output(label: &str) -> (PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!("cg-{label}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(base.join("course/content")).unwrap();
        let out = base.join("book");
        write(&site(&[("old.html", "old"), ("a/stale.html", "stale")]), &target(&base, &out)).unwrap();
        (base, out)
    }

    fn target<'a>(base: &'a Path, out: &'a Path) -> Target<'a> {
        // Leaked: a test's paths live as long as the test anyway.
        let root: &'a Path = Box::leak(base.join("course").into_boxed_path());
        let src: &'a Path = Box::leak(root.join("content").into_boxed_path());
        Target { out, by_flag: true, root, src }
    }

    #[test]
    fn replaces_its_own_output_and_refuses_the_course_folder() {
        let (base, out) = old_output("replace");
        assert_eq!(manifest::read(&out), Some(vec!["a/stale.html".to_string(), "old.html".to_string()]));
        assert_eq!(write(&site(&[("a/b.html", "hi")]), &target(&base, &out)).unwrap(), None);
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"hi");
        assert!(!out.join("a/stale.html").exists() && !out.join("old.html").exists());
        assert_eq!(fs::read_dir(&base).unwrap().count(), 2, "only the course and the output folder are left");
        let err = write(&site(&[("x.html", "x")]), &target(&base, &base)).expect_err("the course is inside");
        assert!(matches!(err, Error::OutputRefused { why: Refusal::ContainsCourse { .. }, .. }), "{err}");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn files_added_to_the_output_make_it_refused_and_stay() {
        let (base, out) = old_output("added");
        fs::write(out.join("a/notes.txt"), "mine").unwrap();
        let err = write(&site(&[("new.html", "new")]), &target(&base, &out)).expect_err("notes.txt is not ours");
        let text = err.to_string();
        assert!(text.contains("files were added to it since coursegen wrote it: a/notes.txt"), "{text}");
        assert!(text.contains(&out.display().to_string()), "{text}");
        assert_eq!(fs::read(out.join("a/notes.txt")).unwrap(), b"mine");
        assert_eq!(fs::read(out.join("old.html")).unwrap(), b"old");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 2, "no staging folder is left");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failed_write_is_reported_and_the_output_kept() {
        let (base, out) = old_output("failed");
        // `a` is a file, so the folder for `a/b.html` cannot be made.
        let err = write(&site(&[("a", "file"), ("a/b.html", "x")]), &target(&base, &out)).expect_err("a/b.html cannot be written");
        assert!(err.to_string().contains("/a:"), "the error names the folder that could not be made: {err}");
        assert_eq!(fs::read(out.join("old.html")).unwrap(), b"old", "the old output is kept");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 2, "the staging folder is gone");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn an_unfinished_staging_folder_is_deleted_and_the_output_kept() {
        let (base, out) = old_output("staging");
        let staging = Staging::begin(&target(&base, &out)).unwrap();
        staging.put("new/page.html", Bytes::from(b"new".as_slice())).unwrap();
        drop(staging);
        assert_eq!(fs::read(out.join("old.html")).unwrap(), b"old");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 2, "only the course and the output folder are left");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn leftovers_of_killed_builds_are_deleted_only_when_ours() {
        let (base, out) = old_output("leftovers");
        // Above the kernel's largest process id: never a running build.
        let dead = 4_194_305;
        let ours = base.join(format!(".book.coursegen-staging-{dead}"));
        fs::create_dir_all(ours.join("css")).unwrap();
        fs::write(ours.join("css/x.css"), "x").unwrap();
        fs::write(ours.join(MARKER), manifest::render(&[])).unwrap();
        let old = base.join(format!(".book.coursegen-old-{}", dead + 1));
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("page.html"), "p").unwrap();
        fs::write(old.join("notes.txt"), "mine").unwrap();
        fs::write(old.join(MARKER), manifest::render(&["page.html".into()])).unwrap();
        let unmarked = base.join(format!(".book.coursegen-staging-{}", dead + 2));
        fs::create_dir_all(&unmarked).unwrap();
        fs::write(unmarked.join("keep.txt"), "mine").unwrap();
        write(&site(&[("new.html", "new")]), &target(&base, &out)).unwrap();
        assert!(!ours.exists(), "a marked staging folder is deleted");
        assert!(!old.join("page.html").exists(), "the listed file of an old output is deleted");
        assert_eq!(fs::read(old.join("notes.txt")).unwrap(), b"mine", "an unlisted one stays");
        assert_eq!(fs::read(unmarked.join("keep.txt")).unwrap(), b"mine", "a folder without our marker stays");
        fs::remove_dir_all(&base).unwrap();
    }
}
