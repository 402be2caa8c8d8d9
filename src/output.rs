//! Writes a finished site to disk: into a staging folder beside the output
//! folder, which replaces it only once everything is written. A failed build
//! never gets here, and a failed write leaves the previous output as it was.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::site::Site;

/// Writes `site` to `out`, replacing what was there.
pub fn write(site: &Site, out: &Path, course_root: &Path) -> Result<(), Error> {
    guard(out, course_root)?;
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = out.file_name().map_or_else(|| "book".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.coursegen-staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.coursegen-old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    if let Err(e) = write_all(site, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap(&staging, out, &old)
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

fn write_all(site: &Site, dir: &Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (rel, bytes) in &site.files {
        let path: PathBuf = rel.split('/').fold(dir.to_path_buf(), |p, part| p.join(part));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
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
}
