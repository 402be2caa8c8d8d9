//! Which folders a build may replace, judged by where they are: never the
//! course, its sources, its themes, a file, the home folder or `/`. Whether
//! a folder holds files coursegen did not write is [`super::manifest`]'s part.
//!
//! Paths are compared after resolving them, so `-d a/missing/../content` or a
//! symbolic link to the lessons cannot slip past a comparison of spellings.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Refusal};

impl Refusal {
    /// What to do instead; `flag` is whether `-d` named the folder (else book.toml did).
    pub fn hint(&self, flag: bool) -> String {
        let elsewhere = if flag {
            "pick another output folder with `-d`"
        } else {
            "set `build-dir` under [build] in book.toml to another folder (or pass `-d`)"
        };
        match self {
            Refusal::InSource { src_is_root: true, .. } => {
                format!("{elsewhere}, outside the source folder; or move the lessons into a subfolder and set `src` to it")
            }
            Refusal::Foreign { .. } | Refusal::Added { .. } => {
                format!("{elsewhere}; or, if nothing in it is needed, empty or delete it yourself and build again")
            }
            _ => format!("{elsewhere}, such as `book` in the course folder"),
        }
    }
}

/// The folders an output folder must keep clear of, resolved.
#[derive(Debug, Clone)]
pub struct Keep {
    pub root: PathBuf,
    pub src: PathBuf,
    pub themes: PathBuf,
    pub home: Option<PathBuf>,
}

impl Keep {
    /// The course at `root` with its sources at `src`, and the user's home folder.
    pub fn new(root: &Path, src: &Path) -> Result<Keep, Error> {
        let root = resolve(root)?.path;
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        let home = match home {
            Some(h) => Some(resolve(&h)?.path),
            None => None,
        };
        Ok(Keep { themes: root.join("themes"), src: resolve(src)?.path, root, home })
    }

    /// Refuses `out` (resolved) when it is one of the folders to keep, holds
    /// one, or is not a folder.
    pub fn check(&self, out: &Path) -> Result<(), Refusal> {
        if out.parent().is_none() {
            return Err(Refusal::FileSystemRoot);
        }
        if let Some(home) = self.home.as_ref().filter(|h| h.starts_with(out)) {
            return Err(Refusal::Home { home: home.clone() });
        }
        if self.root.starts_with(out) {
            return Err(Refusal::ContainsCourse { root: self.root.clone() });
        }
        // mdBook copies the source folder to the output but skips the output
        // folder when it lies inside; our loader reads every file under the
        // source folder, so the output would come back as lessons and assets
        // in the next build. Refusing is the safer of the two.
        if out.starts_with(&self.src) {
            return Err(Refusal::InSource { src: self.src.clone(), src_is_root: self.src == self.root });
        }
        if self.src.starts_with(out) {
            return Err(Refusal::ContainsSource { src: self.src.clone() });
        }
        if out.starts_with(&self.themes) {
            return Err(Refusal::InThemes { themes: self.themes.clone() });
        }
        match std::fs::symlink_metadata(out) {
            Ok(m) if !m.is_dir() => Err(Refusal::NotAFolder),
            _ => Ok(()),
        }
    }
}

/// A path made absolute, with its symbolic links resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub path: PathBuf,
    /// A symbolic link made it differ from the path as written (with `..`
    /// and `.` taken lexically): worth showing beside it.
    pub moved: bool,
}

/// `path` made absolute (against the current folder), each existing part
/// resolved as the kernel would (symbolic links followed, `..` taken from
/// the real parent) and the parts that do not exist yet applied lexically.
/// A dangling link is [`Refusal::BrokenLink`]'s business: it comes back as
/// an `Err` of kind `NotFound` naming the link.
pub fn resolve(path: &Path) -> Result<Resolved, Error> {
    let abs =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?.join(path) };
    let mut out = PathBuf::new();
    let mut lexical = PathBuf::new();
    for part in abs.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => {
                out.push(part);
                lexical.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
                lexical.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                lexical.push(name);
                match std::fs::symlink_metadata(&out) {
                    Ok(m) if m.file_type().is_symlink() => {
                        out = std::fs::canonicalize(&out).map_err(|e| Error::io(&out, e))?;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(&out, e)),
                }
            }
        }
    }
    Ok(Resolved { moved: out != lexical, path: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cg-guard-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("course/content")).unwrap();
        std::fs::canonicalize(dir).unwrap()
    }

    // Symbolic links as Unix makes them; the rule is the same elsewhere.
    #[cfg(unix)]
    #[test]
    fn missing_parts_and_dot_dots_are_applied_after_the_real_ones() {
        let dir = base("resolve");
        let course = dir.join("course");
        let r = resolve(&course.join("a/missing/../content")).unwrap();
        assert_eq!(r, Resolved { path: course.join("a/content"), moved: false });
        assert_eq!(resolve(&course.join("missing/../content")).unwrap().path, course.join("content"));
        // `missing/..` goes back into what exists: a link there is followed.
        std::os::unix::fs::symlink(course.join("content"), course.join("lessons")).unwrap();
        assert_eq!(resolve(&course.join("missing/../lessons")).unwrap(), Resolved { path: course.join("content"), moved: true });
        assert_eq!(resolve(&course.join("lessons/new")).unwrap().path, course.join("content/new"));
        let plain = resolve(&course.join("book")).unwrap();
        assert_eq!(plain, Resolved { path: course.join("book"), moved: false });
        std::os::unix::fs::symlink(dir.join("nowhere"), course.join("dangling")).unwrap();
        assert!(resolve(&course.join("dangling")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_course_its_sources_themes_home_and_files_are_refused() {
        let dir = base("check");
        let root = dir.join("course");
        std::fs::write(root.join("book.toml"), "").unwrap();
        let mut keep = Keep::new(&root, &root.join("content")).unwrap();
        keep.home = Some(dir.join("home"));
        assert_eq!(keep.check(&root.join("book")), Ok(()));
        assert_eq!(keep.check(&dir.join("elsewhere/site")), Ok(()));
        assert_eq!(keep.check(Path::new("/")), Err(Refusal::FileSystemRoot));
        assert!(matches!(keep.check(&dir.join("home")), Err(Refusal::Home { .. })));
        assert!(matches!(keep.check(&dir), Err(Refusal::Home { .. }) | Err(Refusal::ContainsCourse { .. })));
        assert!(matches!(keep.check(&root), Err(Refusal::ContainsCourse { .. })));
        assert!(matches!(keep.check(&root.join("content")), Err(Refusal::InSource { src_is_root: false, .. })));
        assert!(matches!(keep.check(&root.join("content/out")), Err(Refusal::InSource { .. })));
        assert!(matches!(keep.check(&root.join("themes/mine")), Err(Refusal::InThemes { .. })));
        assert_eq!(keep.check(&root.join("book.toml")), Err(Refusal::NotAFolder));
        let flat = Keep::new(&root, &root).unwrap();
        assert!(matches!(flat.check(&root.join("book")), Err(Refusal::InSource { src_is_root: true, .. })));
        let outside = Keep::new(&root, &dir.join("lessons")).unwrap();
        assert!(matches!(outside.check(&dir.join("lessons/out")), Err(Refusal::InSource { .. })));
        std::fs::create_dir_all(dir.join("shared/lessons")).unwrap();
        let shared = Keep::new(&root, &dir.join("shared/lessons")).unwrap();
        assert!(matches!(shared.check(&dir.join("shared")), Err(Refusal::ContainsSource { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
