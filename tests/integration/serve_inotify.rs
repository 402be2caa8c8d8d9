//! `coursegen serve` when inotify really runs out of watches, at the start and
//! later when a new folder appears: a message naming the limit, then polling.
//!
//! The server runs in a user namespace of its own (`unshare -U -r`) with a tiny
//! `max_inotify_watches`. That limit is per user namespace, so nothing outside
//! the test is touched. Where `unshare -U -r` is not permitted the tests skip
//! with a banner, unless `COURSEGEN_BROWSER_TESTS=require` (CI, which runs as
//! root) makes that a failure.

use std::path::Path;
use std::sync::Once;

use crate::serve::{Served, course};
use crate::serve_watch::wait_for_page;
use crate::support::{TempDir, write_files};

/// What the server prints when it falls back because of the limit.
const LIMIT_MESSAGE: &str =
    "cannot watch with inotify: the inotify watch limit is reached (raise fs.inotify.max_user_watches); polling every 500 ms instead";

/// Prints the skip banner once per test binary, not once per test.
static SKIP_BANNER: Once = Once::new();

/// The shell line run inside the namespace: set the limit, then become the
/// server (`$0` is the coursegen binary, `$@` its arguments).
fn limit_script(watches: usize) -> String {
    format!("echo {watches} > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"")
}

/// Whether a user namespace with its own watch limit can be made here; when
/// not, prints why (or fails, when the environment requires these tests).
fn namespaces_available() -> bool {
    let mut probe = std::process::Command::new("unshare");
    probe.args(["-U", "-r", "sh", "-c", &limit_script(8)]).arg("true");
    crate::support::can_run(&mut probe, "inotify limit", "unshare -U -r", &SKIP_BANNER)
}

/// Starts the server on `dir` in a namespace allowing `watches` inotify watches.
fn serve_with_limit(dir: &Path, watches: usize) -> Served {
    let script = limit_script(watches);
    Served::start_via(&["unshare", "-U", "-r", "sh", "-c", &script], dir, &["--debounce-ms", "50"])
}

/// A course with `n` chapter folders `ch1/`..`chN/`, each holding one lesson
/// listed in SUMMARY.md (besides the two top-level lessons of [`course`]).
fn course_with_chapters(label: &str, n: usize) -> TempDir {
    let dir = course(label);
    let mut summary = String::from("# Summary\n\n- [One](one.md)\n- [Two](two.md)\n");
    for i in 1..=n {
        summary.push_str(&format!("- [Chapter {i}](ch{i}/lesson.md)\n"));
        write_files(dir.path(), &[(&format!("content/ch{i}/lesson.md"), format!("# Chapter {i}\n\nOriginal text {i}.\n").as_bytes())]);
    }
    std::fs::write(dir.path().join("content/SUMMARY.md"), summary).expect("write");
    dir
}

/// Watches inotify needs at the start: the course root, `content/` and each chapter folder.
fn startup_watches(chapters: usize) -> usize {
    2 + chapters
}

fn assert_no_panic(served: &Served) {
    assert!(!served.log().contains("panicked"), "stderr:\n{}", served.log());
}

#[test]
fn too_few_watches_at_the_start_gives_a_message_and_polling() {
    if !namespaces_available() {
        return;
    }
    let dir = course_with_chapters("serve-inotify-start", 4);
    let mut served = serve_with_limit(dir.path(), 3);
    assert!(startup_watches(4) > 3);
    assert_eq!(served.count(LIMIT_MESSAGE), 1, "stderr:\n{}", served.log());
    // Nothing is watched by inotify now: only polling can see this edit.
    std::fs::write(dir.path().join("content/ch4/lesson.md"), "# Chapter 4\n\nSeen by polling.\n").expect("write");
    wait_for_page(&served, "/ch4/lesson.html", "Seen by polling.", true);
    assert_no_panic(&served);
    served.assert_alive();
}

#[test]
fn a_new_folder_one_watch_too_many_switches_to_polling() {
    if !namespaces_available() {
        return;
    }
    let dir = course_with_chapters("serve-inotify-later", 2);
    let mut served = serve_with_limit(dir.path(), startup_watches(2));
    // Exactly enough for the start: inotify is in use.
    assert!(!served.log().contains("polling"), "fell back at the start; stderr:\n{}", served.log());
    let content = dir.path().join("content");
    std::fs::create_dir(content.join("ch3")).expect("mkdir");
    std::fs::write(content.join("ch3/lesson.md"), "# Chapter 3\n\nA new chapter.\n").expect("write");
    let summary = std::fs::read_to_string(content.join("SUMMARY.md")).expect("read");
    std::fs::write(content.join("SUMMARY.md"), format!("{summary}- [Chapter 3](ch3/lesson.md)\n")).expect("write");
    wait_for_page(&served, "/ch3/lesson.html", "A new chapter.", true);
    served.wait_for(LIMIT_MESSAGE, 1, 30);
    // inotify has no watch on ch3/: only polling sees this edit.
    std::fs::write(content.join("ch3/lesson.md"), "# Chapter 3\n\nEdited in the new chapter.\n").expect("write");
    wait_for_page(&served, "/ch3/lesson.html", "Edited in the new chapter.", true);
    assert_eq!(served.count(LIMIT_MESSAGE), 1, "one switch, one message; stderr:\n{}", served.log());
    assert_no_panic(&served);
    served.assert_alive();
}
