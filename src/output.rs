//! Writes a site to disk: into a staging folder beside the output folder,
//! which replaces it only once everything is written. A failed build or a
//! failed write leaves the previous output as it was.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;
use crate::sink::Sink;
use crate::site::{Bytes, Site};

/// Writes `site` to `out`, replacing what was there.
pub fn write(site: &Site, out: &Path, course_root: &Path) -> Result<(), Error> {
    let staging = Staging::begin(out, course_root)?;
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
    out: PathBuf,
    old: PathBuf,
    done: bool,
    /// Folders made so far: asking the kernel again for each of 1,000 pages
    /// in one folder cost two system calls per file (issue 8).
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Creates an empty staging folder for `out`; refuses an `out` that
    /// contains the course at `course_root`.
    pub fn begin(out: &Path, course_root: &Path) -> Result<Staging, Error> {
        guard(out, course_root)?;
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = out.file_name().map_or_else(|| "book".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.coursegen-staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.coursegen-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { dir, out: out.to_path_buf(), old, done: false, made: Mutex::default() })
    }

    /// Writes `bytes` at `rel` in the staging folder.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path: PathBuf = rel.split('/').fold(self.dir.clone(), |p, part| p.join(part));
        if let Some(parent) = path.parent().filter(|p| *p != self.dir) {
            let mut made = self.made.lock().unwrap_or_else(|p| p.into_inner());
            if !made.contains(parent) {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                made.insert(parent.to_path_buf());
            }
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Replaces the output folder with everything put so far.
    pub fn finish(mut self) -> Result<(), Error> {
        self.done = true;
        swap(&self.dir, &self.out, &self.old)
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
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Refuses an output folder that is the course folder or contains it.
fn guard(out: &Path, root: &Path) -> Result<(), Error> {
    let abs = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (out_abs, root_abs) = (abs(out), abs(root));
    if root_abs.starts_with(&out_abs) {
        return Err(Error::UnsafeOutput { out: out.to_path_buf(), root: root.to_path_buf() });
    }
    Ok(())
}

/// Moves `staging` to `out`, moving the old `out` aside first and deleting it after.
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<(), Error> {
    let had_old = out.exists();
    if had_old {
        fs::rename(out, old).map_err(|e| Error::io(out, e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(old, out);
        }
        let _ = fs::remove_dir_all(staging);
        return Err(Error::io(out, e));
    }
    if had_old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_old_output_and_refuses_the_course_folder() {
        let base = std::env::temp_dir().join(format!("cg-output-{}", std::process::id()));
        let out = base.join("book");
        fs::create_dir_all(out.join("stale")).unwrap();
        let mut site = Site::default();
        site.files.insert("a/b.html".into(), b"hi".as_slice().into());
        write(&site, &out, &base.join("course")).unwrap();
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"hi");
        assert!(!out.join("stale").exists());
        assert!(matches!(write(&site, &base, &base.join("course")), Err(Error::UnsafeOutput { .. })));
        fs::remove_dir_all(&base).unwrap();
    }

    /// A fresh folder `cg-<label>-<pid>` holding an output folder `book`
    /// with an `old.html`: (the folder, the output folder).
    fn old_output(label: &str) -> (PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!("cg-{label}-{}", std::process::id()));
        let out = base.join("book");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("old.html"), b"old").unwrap();
        (base, out)
    }

    #[test]
    fn a_failed_write_is_reported_and_the_output_kept() {
        let (base, out) = old_output("failed");
        let mut site = Site::default();
        // `a` is a file, so the folder for `a/b.html` cannot be made.
        site.files.insert("a".into(), b"file".as_slice().into());
        site.files.insert("a/b.html".into(), b"x".as_slice().into());
        let err = write(&site, &out, &base.join("course")).expect_err("a/b.html cannot be written");
        assert!(err.to_string().contains("/a:"), "the error names the folder that could not be made: {err}");
        assert_eq!(fs::read(out.join("old.html")).unwrap(), b"old", "the old output is kept");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "the staging folder is gone");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn an_unfinished_staging_folder_is_deleted_and_the_output_kept() {
        let (base, out) = old_output("staging");
        let staging = Staging::begin(&out, &base.join("course")).unwrap();
        staging.put("new/page.html", Bytes::from(b"new".as_slice())).unwrap();
        drop(staging);
        assert_eq!(fs::read(out.join("old.html")).unwrap(), b"old");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "only the output folder is left");
        fs::remove_dir_all(&base).unwrap();
    }
}
