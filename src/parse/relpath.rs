//! Paths between files of the source folder, as authors write them in links and
//! includes: relative to the page, `/`-separated, never climbing out.

/// The path `path`, written in the page at `page_rel`, as a path relative to the
/// source folder (`flask/quiz.md` + `../quizzes/a.toml` → `quizzes/a.toml`);
/// `None` if it climbs out of the source folder.
pub fn resolve(page_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_rel.split('/').collect();
    parts.pop();
    parts.retain(|p| !p.is_empty());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_page() {
        assert_eq!(resolve("flask/quiz.md", "../quizzes/extra.toml").as_deref(), Some("quizzes/extra.toml"));
        assert_eq!(resolve("quiz.md", "q.toml").as_deref(), Some("q.toml"));
        assert_eq!(resolve("a/b.md", "./c/../d.md").as_deref(), Some("a/d.md"));
        assert_eq!(resolve("quiz.md", "../q.toml"), None);
    }
}
