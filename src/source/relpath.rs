//! Paths between files of the source folder, as authors write them in links and
//! includes: relative to the page, `/`-separated, never climbing out.

/// The path `path`, written in the page at `page_rel`, as a path relative to the
/// source folder (`flask/quiz.md` + `../quizzes/a.toml` → `quizzes/a.toml`);
/// `None` if it climbs out of the source folder.
pub fn resolve(page_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_rel.split('/').collect();
    parts.pop();
    parts.retain(|p| !p.is_empty() && *p != ".");
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A file named by `{{#quiz path}}`, which may be anywhere inside the book's
/// folder (where book.toml is), as in mdbook-quiz, whose documented layout puts
/// `quizzes/` beside `src/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookPath {
    /// Relative to the book's folder (`quizzes/a.toml`): how diagnostics name it.
    pub root: String,
    /// Relative to the source folder, `../` first when it is outside it
    /// (`../quizzes/a.toml`): the key source files are looked up by.
    pub key: String,
}

/// Why a path in a page cannot name a file of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// `/etc/x`, `\\server\x` or `C:\x`: a page names files relative to itself.
    Absolute,
    /// It climbs out of the book's folder.
    Leaves,
}

/// `path`, written in the page at `page_rel` under the source folder `src_dir`,
/// as a file of the book. Symbolic links are the reader's to check: this is
/// about the words of the path only.
pub fn in_book(src_dir: &str, page_rel: &str, path: &str) -> Result<BookPath, Outside> {
    if is_absolute(path) {
        return Err(Outside::Absolute);
    }
    let src = folders(src_dir);
    let page = if src.is_empty() { page_rel.to_string() } else { format!("{}/{page_rel}", src.join("/")) };
    let root = resolve(&page, path).filter(|r| !r.is_empty()).ok_or(Outside::Leaves)?;
    Ok(BookPath { key: key_of(src_dir, &root), root })
}

/// `/etc/x`, `\\server\x` or `C:\x`: a path no page may name, whatever the
/// system the book is built on.
pub fn is_absolute(path: &str) -> bool {
    let drive = path.len() > 1 && path.as_bytes()[1] == b':' && path.as_bytes()[0].is_ascii_alphabetic();
    path.starts_with(['/', '\\']) || drive
}

fn folders(src_dir: &str) -> Vec<&str> {
    src_dir.split('/').filter(|p| !p.is_empty() && *p != ".").collect()
}

/// `root`, a path relative to the book's folder, as a [`BookPath::key`]:
/// relative to the source folder `src_dir`.
pub fn key_of(src_dir: &str, root: &str) -> String {
    let src = folders(src_dir);
    let parts: Vec<&str> = root.split('/').collect();
    let shared = src.iter().zip(&parts).take_while(|(a, b)| a == b).count();
    let mut key: Vec<&str> = vec![".."; src.len() - shared];
    key.extend(&parts[shared..]);
    key.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiz_paths_may_be_anywhere_in_the_book() {
        let p = in_book("src", "ch01.md", "../quizzes/a.toml").unwrap();
        assert_eq!((p.root.as_str(), p.key.as_str()), ("quizzes/a.toml", "../quizzes/a.toml"));
        let p = in_book("src", "part/ch.md", "../q/b.toml").unwrap();
        assert_eq!((p.root.as_str(), p.key.as_str()), ("src/q/b.toml", "q/b.toml"));
        let p = in_book("book/src", "ch.md", "../../q.toml").unwrap();
        assert_eq!((p.root.as_str(), p.key.as_str()), ("q.toml", "../../q.toml"));
        let p = in_book("book/src", "ch.md", "../other/q.toml").unwrap();
        assert_eq!((p.root.as_str(), p.key.as_str()), ("book/other/q.toml", "../other/q.toml"));
        assert_eq!(key_of("book/src", "q.toml"), "../../q.toml");
        assert_eq!(key_of("./", "q/a.toml"), "q/a.toml");
        assert_eq!(in_book("src", "ch.md", "../../etc/passwd"), Err(Outside::Leaves));
        assert_eq!(in_book("src", "ch.md", ".."), Err(Outside::Leaves));
        for abs in ["/etc/passwd", "\\\\srv\\q.toml", "C:\\q.toml", "c:/q.toml"] {
            assert_eq!(in_book("src", "ch.md", abs), Err(Outside::Absolute), "{abs}");
        }
    }

    #[test]
    fn paths_resolve_against_the_page() {
        assert_eq!(resolve("flask/quiz.md", "../quizzes/extra.toml").as_deref(), Some("quizzes/extra.toml"));
        assert_eq!(resolve("quiz.md", "q.toml").as_deref(), Some("q.toml"));
        assert_eq!(resolve("a/b.md", "./c/../d.md").as_deref(), Some("a/d.md"));
        assert_eq!(resolve("quiz.md", "../q.toml"), None);
    }
}
