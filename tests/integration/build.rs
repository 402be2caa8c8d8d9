//! Fixture courses built with the real binary; each page's content is compared
//! with its snapshot. The fixture's theme prints only `{{ content }}`, so theme
//! changes never touch these snapshots (and the per-file override is tested).

use std::path::Path;

use crate::support::{TempDir, coursegen, repo_root, stderr};

fn fixture(name: &str) -> std::path::PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn basic_fixture_matches_its_snapshots() {
    let out = TempDir::new("basic");
    let o = coursegen(repo_root(), &["build", fixture("basic").to_str().unwrap(), "-d", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = fixture("basic").join("expected");
    let bless = std::env::var_os("COURSEGEN_BLESS").is_some();
    for page in ["welcome.html", "guide/markdown.html", "guide/nested.html", "blocks.html"] {
        let got = read(&out.path().join(page));
        let want = expected.join(page);
        if bless {
            std::fs::create_dir_all(want.parent().unwrap()).unwrap();
            std::fs::write(&want, &got).unwrap();
            continue;
        }
        assert_eq!(got, read(&want), "{page} differs from its snapshot (COURSEGEN_BLESS=1 to update)");
    }
}

#[test]
fn site_structure_and_publishing_files() {
    let out = TempDir::new("structure");
    let o = coursegen(repo_root(), &["build", fixture("basic").to_str().unwrap(), "-d", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["index.html", "404.html", "sitemap.xml", "css/syntax.css", "css/coursegen.css", "js/coursegen.js", "images/dot.svg"] {
        assert!(out.path().join(f).is_file(), "{f} missing");
    }
    assert!(!out.path().join("SUMMARY.html").exists(), "SUMMARY.md is not a page");
    let sitemap = read(&out.path().join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/course/guide/nested.html</loc>"), "{sitemap}");
    let index = read(&out.path().join("index.html"));
    assert!(index.contains("href=\"guide/markdown.html\""), "{index}");
    assert!(index.contains("Later"), "draft chapters are listed");
    assert!(!index.contains("href=\"\""), "draft chapters are not linked");
    // No page loads anything from another host. (404.html links to `site-url`
    // absolutely on purpose: it is served at any depth.)
    for entry in walk(out.path()) {
        if entry.extension().is_some_and(|e| e == "html") && !entry.ends_with("404.html") {
            let html = read(&entry);
            for attr in ["src=\"http", "href=\"//", "src=\"//"] {
                assert!(!html.contains(attr), "{} loads from another host ({attr})", entry.display());
            }
        }
    }
    // The one-line report.
    let err = stderr(&o);
    assert!(err.starts_with("coursegen: wrote 4 pages to "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn example_course_builds_cleanly() {
    let out = TempDir::new("example");
    let o = coursegen(repo_root(), &["build", ".", "-d", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "the example course builds without warnings:\n{}", stderr(&o));
    let lesson = read(&out.path().join("flask/secret-key.html"));
    for must in ["id=\"step-2\"", "<details class=\"cg-answer\">", "cg-flow", "Variable tracker"] {
        assert!(lesson.contains(must), "lesson lacks {must}");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
