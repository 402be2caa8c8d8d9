//! `coursegen serve` while the course's folders themselves change (issue 23,
//! point 4): the source folder deleted and recreated or swapped by renames (what
//! `git checkout` of another branch does), a theme folder appearing and
//! disappearing, and book.toml naming another source folder. After each, the
//! served site is what a fresh `coursegen build` of the new tree gives, and an
//! ordinary edit afterwards is still seen, by inotify and by polling.

use std::path::Path;
use std::time::Duration;

use crate::serve::{Served, course};
use crate::serve_watch::wait_for_page;
use crate::support::{TempDir, coursegen, write_files};

/// How the reload script starts, and what ends it, in every served HTML page.
const SCRIPT_START: &str = "<script>/* coursegen serve: live reload */";
const SCRIPT_END: &str = "</script>\n";

/// A served page as `coursegen build` writes it: without the reload script.
fn without_reload_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let Some(start) = text.find(SCRIPT_START) else { return body.to_vec() };
    let end = start + text[start..].find(SCRIPT_END).expect("the script ends") + SCRIPT_END.len();
    [&body[..start], &body[end..]].concat()
}

/// Every file under `dir` but hidden ones (the build's own manifest),
/// relative to it, with `/` separators.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            } else if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                found.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    found.sort();
    found
}

/// Builds the course at `dir` afresh and asserts that the server serves each of
/// its files byte for byte (HTML without the reload script), with no overlay.
fn assert_serves_a_fresh_build(served: &Served, dir: &Path) {
    let out = TempDir::new("serve-tree-fresh");
    let run = coursegen(dir, &["build", ".", "-d", out.path().to_str().expect("UTF-8 temp path")]);
    assert!(run.status.success(), "fresh build failed:\n{}", String::from_utf8_lossy(&run.stderr));
    let files = files_under(out.path());
    assert!(files.iter().any(|f| f.ends_with(".html")), "{files:?}");
    for rel in files {
        let built = std::fs::read(out.path().join(&rel)).expect("read built file");
        let (status, _, body) = served.get(&format!("/{rel}"));
        assert_eq!(status, 200, "/{rel}; stderr:\n{}", served.log());
        let body = if rel.ends_with(".html") { without_reload_script(&body) } else { body };
        assert!(!String::from_utf8_lossy(&body).contains("coursegen-overlay"), "/{rel} has the overlay:\n{}", served.log());
        assert!(
            body == built,
            "/{rel} differs from a fresh build:\n--- served ---\n{}\n--- built ---\n{}",
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(&built)
        );
    }
}

/// `n` lessons `<prefix>-<i>.md` and their SUMMARY.md, under `dir/<folder>`.
fn write_lessons(dir: &Path, folder: &str, prefix: &str, n: usize) {
    let mut summary = String::from("# Summary\n\n");
    for i in 1..=n {
        summary.push_str(&format!("- [{prefix} {i}]({prefix}-{i}.md)\n"));
        let text = format!("# {prefix} {i}\n\nText of {prefix} lesson {i}.\n\n```python\nprint({i})\n```\n");
        write_files(dir, &[(&format!("{folder}/{prefix}-{i}.md"), text.as_bytes())]);
    }
    write_files(dir, &[(&format!("{folder}/SUMMARY.md"), summary.as_bytes())]);
}

/// Edits lesson `rel` of the served course and waits for the page to show it:
/// the proof that the folder it is in is watched.
fn assert_an_edit_is_seen(served: &Served, dir: &Path, rel: &str, page: &str) {
    let line = format!("Edited after the tree changed ({rel}).");
    std::fs::write(dir.join(rel), format!("# Edited\n\n{line}\n")).expect("write");
    wait_for_page(served, page, &line, true);
}

fn assert_gone(served: &Served, page: &str) {
    let (status, _, _) = served.get(page);
    assert_eq!(status, 404, "{page} is still served; stderr:\n{}", served.log());
}

/// `rm -rf content`, then a new `content/` with other lessons.
fn delete_and_recreate(dir: &Path) {
    std::fs::remove_dir_all(dir.join("content")).expect("remove content");
    write_lessons(dir, "content", "fresh", 3);
}

#[test]
fn a_source_folder_deleted_and_recreated_is_served_and_watched_again() {
    let dir = course("serve-tree-recreate");
    let served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    wait_for_page(&served, "/one.html", "First lesson text.", true);
    delete_and_recreate(dir.path());
    wait_for_page(&served, "/fresh-2.html", "Text of fresh lesson 2.", true);
    assert_gone(&served, "/one.html");
    assert_an_edit_is_seen(&served, dir.path(), "content/fresh-2.md", "/fresh-2.html");
}

/// What `git checkout other-branch` does to the source folder: deletes it and
/// writes it again with other files, some with the same names.
fn checkout(dir: &Path) {
    std::fs::remove_dir_all(dir.join("content")).expect("remove content");
    write_lessons(dir, "content", "branch", 40);
    write_files(dir, &[("content/one.md", b"# One\n\nOne, as the other branch has it.\n")]);
    let summary = std::fs::read_to_string(dir.join("content/SUMMARY.md")).expect("read");
    std::fs::write(dir.join("content/SUMMARY.md"), format!("{summary}- [One](one.md)\n")).expect("write");
}

/// One rebuild after the checkout, equal to a fresh build, and the new folder watched.
fn one_rebuild_after_a_checkout(label: &str, extra: &[&str]) {
    let dir = course(label);
    std::fs::remove_dir_all(dir.path().join("content")).expect("remove content");
    write_lessons(dir.path(), "content", "main", 40);
    // A wide debounce window, so a slow machine still writes every file inside it.
    let served = Served::start(dir.path(), &[extra, &["--debounce-ms", "700"]].concat());
    checkout(dir.path());
    wait_for_page(&served, "/branch-40.html", "Text of branch lesson 40.", true);
    // Give a second rebuild, if there were to be one, time to show up.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(served.count("rebuilt in"), 1, "stderr:\n{}", served.log());
    assert_eq!(served.count("error"), 0, "stderr:\n{}", served.log());
    assert_serves_a_fresh_build(&served, dir.path());
    assert_gone(&served, "/main-1.html");
    assert_an_edit_is_seen(&served, dir.path(), "content/branch-7.md", "/branch-7.html");
}

#[test]
fn a_checkout_swapping_the_source_folder_gives_one_rebuild_equal_to_a_fresh_build() {
    one_rebuild_after_a_checkout("serve-tree-checkout", &[]);
}

#[test]
fn a_checkout_seen_by_polling_gives_one_rebuild_equal_to_a_fresh_build() {
    one_rebuild_after_a_checkout("serve-tree-checkout-poll", &["--poll"]);
}

#[test]
fn a_source_folder_swapped_by_renames_is_followed() {
    let dir = course("serve-tree-rename");
    write_lessons(dir.path(), "other", "other", 3);
    let served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    std::fs::rename(dir.path().join("content"), dir.path().join("content.old")).expect("mv content content.old");
    std::fs::rename(dir.path().join("other"), dir.path().join("content")).expect("mv other content");
    wait_for_page(&served, "/other-3.html", "Text of other lesson 3.", true);
    assert_gone(&served, "/one.html");
    assert_an_edit_is_seen(&served, dir.path(), "content/other-1.md", "/other-1.html");
    // The old folder, under its new name, is no source any more.
    std::fs::write(dir.path().join("content.old/SUMMARY.md"), "# Summary\n\n- [Gone](gone.md)\n").expect("write");
    assert_an_edit_is_seen(&served, dir.path(), "content/other-2.md", "/other-2.html");
    assert_serves_a_fresh_build(&served, dir.path());
}

/// book.toml for the test course, naming `theme` when given.
fn book_toml(src: &str, theme: Option<&str>) -> String {
    let theme = theme.map_or(String::new(), |t| format!("\n[preprocessor.coursegen]\ntheme = \"{t}\"\n"));
    format!("[book]\ntitle = \"Serve test\"\nsrc = \"{src}\"\n{theme}")
}

/// A page template that shows which version of the theme made it.
fn page_template(version: &str) -> String {
    format!(
        "<!doctype html>\n<html><head><title>{{{{ title }}}}</title></head>\n<body><p>Theme mine {version}: {{{{ title }}}}</p></body></html>\n"
    )
}

fn a_theme_folder_created_while_serving(label: &str, extra: &[&str]) {
    let dir = course(label);
    std::fs::write(dir.path().join("book.toml"), book_toml("content", Some("mine"))).expect("write");
    let served = Served::start(dir.path(), &[extra, &["--debounce-ms", "50"]].concat());
    // book.toml names a theme that is not there yet: the build says so.
    let page = wait_for_page(&served, "/one.html", "coursegen-overlay", true);
    assert!(page.contains("themes/mine"), "{page}");
    write_files(dir.path(), &[("themes/mine/page.html", page_template("v1").as_bytes())]);
    wait_for_page(&served, "/one.html", "Theme mine v1: One", true);
    write_files(dir.path(), &[("themes/mine/page.html", page_template("v2").as_bytes())]);
    wait_for_page(&served, "/one.html", "Theme mine v2: One", true);
    assert_serves_a_fresh_build(&served, dir.path());
}

#[test]
fn a_theme_folder_created_while_serving_takes_effect_and_is_watched() {
    a_theme_folder_created_while_serving("serve-tree-theme-new", &[]);
}

#[test]
fn polling_sees_a_theme_folder_created_while_serving() {
    a_theme_folder_created_while_serving("serve-tree-theme-new-poll", &["--poll"]);
}

#[test]
fn a_theme_folder_deleted_while_serving_fails_like_a_build_then_the_default_theme_returns() {
    let dir = course("serve-tree-theme-gone");
    let served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    // The author makes a theme while serving, and selects it.
    write_files(dir.path(), &[("themes/mine/page.html", page_template("v1").as_bytes())]);
    std::fs::write(dir.path().join("book.toml"), book_toml("content", Some("mine"))).expect("write");
    wait_for_page(&served, "/one.html", "Theme mine v1: One", true);
    // Then deletes it: as in `coursegen build`, a theme that is named but gone
    // is an error, shown over the last good pages.
    std::fs::remove_dir_all(dir.path().join("themes/mine")).expect("remove the theme");
    let page = wait_for_page(&served, "/one.html", "coursegen-overlay", true);
    assert!(page.contains("theme folder `themes/mine` not found"), "{page}");
    // No longer named: back to the default theme.
    std::fs::write(dir.path().join("book.toml"), book_toml("content", None)).expect("write");
    wait_for_page(&served, "/one.html", "coursegen-overlay", false);
    let page = wait_for_page(&served, "/one.html", "Theme mine", false);
    assert!(page.contains("First lesson text."), "{page}");
    assert_serves_a_fresh_build(&served, dir.path());
}

fn another_source_folder(label: &str, extra: &[&str]) {
    let dir = course(label);
    write_lessons(dir.path(), "lessons", "moved", 3);
    let mut served = Served::start(dir.path(), &[extra, &["--debounce-ms", "50"]].concat());
    std::fs::write(dir.path().join("book.toml"), book_toml("lessons", None)).expect("write");
    wait_for_page(&served, "/moved-1.html", "Text of moved lesson 1.", true);
    assert_gone(&served, "/one.html");
    assert_an_edit_is_seen(&served, dir.path(), "lessons/moved-2.md", "/moved-2.html");
    // One rebuild for book.toml, one for the edit: the new folder was watched
    // before it was read, so nothing had to be read again.
    assert_eq!(served.count("rebuilt in"), 2, "stderr:\n{}", served.log());
    assert_serves_a_fresh_build(&served, dir.path());
    // And back: the first folder is watched again.
    std::fs::write(dir.path().join("book.toml"), book_toml("content", None)).expect("write");
    wait_for_page(&served, "/one.html", "First lesson text.", true);
    assert_an_edit_is_seen(&served, dir.path(), "content/one.md", "/one.html");
    served.assert_alive();
}

#[test]
fn book_toml_naming_another_source_folder_is_followed() {
    another_source_folder("serve-tree-src", &[]);
}

#[test]
fn polling_follows_book_toml_naming_another_source_folder() {
    another_source_folder("serve-tree-src-poll", &["--poll"]);
}
