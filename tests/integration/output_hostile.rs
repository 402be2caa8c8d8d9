//! The output folder under attack: a build killed with SIGKILL halfway, a full
//! disk, a read-only disk and a read-only mount as the output folder. Each
//! time: exit 1 (or death), a message naming the path, no panic, and the
//! previous output byte for byte as it was.
//!
//! The disks are tmpfs mounts in a user and mount namespace of the test's own
//! (`unshare -U -r -m`), so nothing outside the test is touched. Where that is
//! not permitted the tests skip with a banner, unless
//! `COURSEGEN_BROWSER_TESTS=require` (CI) makes that a failure.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::output::{assert_fails_with, assert_same, build, course, snapshot};
use crate::support::{TempDir, stderr, write_files};

/// Prints the skip banner once per test binary, not once per test.
static SKIP_BANNER: Once = Once::new();

/// Writes `n` lessons (each with a code sample to highlight) and a SUMMARY.md
/// listing them into the source folder of the course at `course`.
fn lessons(course: &Path, n: usize) {
    let mut summary = String::from("# Summary\n\n");
    for i in 0..n {
        summary.push_str(&format!("- [Lesson {i}](l{i:04}.md)\n"));
        let text = format!(
            "# Lesson {i}\n\nSome text about lesson {i}, long enough to make a page of a few kilobytes. {}\n\n```python\ndef f{i}(x):\n    return x * {i}\n```\n",
            "More words. ".repeat(40)
        );
        write_files(course, &[(&format!("content/l{i:04}.md"), text.as_bytes())]);
    }
    std::fs::write(course.join("content/SUMMARY.md"), summary).expect("write SUMMARY.md");
}

/// Names in `dir` that a build uses for its staging and old folders.
fn leftovers(dir: &Path) -> Vec<String> {
    let names = std::fs::read_dir(dir).expect("ls").flatten().map(|e| e.file_name().to_string_lossy().into_owned());
    names.filter(|n| n.contains(".coursegen-")).collect()
}

#[test]
fn a_build_killed_halfway_leaves_the_old_output_and_the_next_build_cleans_up() {
    let dir = course("output-kill", "");
    let root = dir.path().join("course");
    assert!(build(dir.path(), &[]).status.success());
    let book = root.join("book");
    let before = snapshot(&book);
    lessons(&root, 2000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .args(["build", "course"])
        .current_dir(dir.path())
        .env("HOME", dir.path().join("home"))
        .stderr(Stdio::null())
        .spawn()
        .expect("run coursegen");
    let staging = root.join(format!(".book.coursegen-staging-{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(120);
    // Pages are written as they are rendered: wait for some, then kill.
    while std::fs::read_dir(&staging).map_or(0, Iterator::count) < 100 {
        assert!(child.try_wait().expect("wait").is_none(), "the build ended before it could be killed");
        assert!(Instant::now() < deadline, "no pages in {} after 120 s", staging.display());
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    assert!(staging.is_dir(), "the killed build left its staging folder");
    assert_same(&before, &snapshot(&book), "the old output after SIGKILL");
    let o = build(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    assert!(book.join("l1999.html").is_file(), "the next build is complete");
    assert_eq!(leftovers(&root), Vec::<String>::new(), "the next build leaves no staging folder behind");
}

/// Whether a user and mount namespace with a tmpfs can be made here; when
/// not, prints why (or fails, when the environment requires these tests).
fn namespaces_available() -> bool {
    let mut probe = Command::new("unshare");
    probe.args(["-U", "-r", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /tmp"]);
    crate::support::can_run(&mut probe, "full and read-only disk", "unshare -U -r -m", &SKIP_BANNER)
}

/// Runs `script` in a namespace of its own, where `$MNT` (`mnt/` of `dir`) is
/// a tmpfs of `size`, `$BIN` the coursegen binary and `$D` is `dir`. The
/// script builds into `$MNT/book` and copies it out to look at afterwards.
fn in_namespace(dir: &Path, size: &str, script: &str) -> Output {
    std::fs::create_dir_all(dir.join("mnt")).expect("mkdir mnt");
    let full = format!("set -u\nmount -t tmpfs -o size={size} tmpfs \"$MNT\" || exit 90\n{script}");
    let o = Command::new("unshare")
        .args(["-U", "-r", "-m", "sh", "-c", &full])
        .env("MNT", dir.join("mnt"))
        .env("BIN", env!("CARGO_BIN_EXE_coursegen"))
        .env("D", dir)
        .output()
        .expect("run unshare");
    assert!(o.status.success(), "the namespace script failed ({}): {}", o.status, stderr(&o));
    o
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The second build's result as the script saved it: exit status and stderr.
fn second(dir: &Path) -> (String, String) {
    (read(&dir.join("rc2")).trim().to_string(), read(&dir.join("log2")))
}

/// First a build that fits, saved as `$D/snap1`; then `$BEFORE`; then a build
/// of `$D/$SECOND`, its status and stderr saved as `$D/rc2` and `$D/log2`,
/// its result as `$D/snap2`, and what is left beside it as `$D/ls`.
const TWO_BUILDS: &str = r#"
"$BIN" build "$D/small" -d "$MNT/book" 2>"$D/log1" || { cat "$D/log1" >&2; exit 91; }
cp -a "$MNT/book" "$D/snap1"
eval "$BEFORE"
"$BIN" build "$D/$SECOND" -d "$MNT/book" 2>"$D/log2"; echo $? > "$D/rc2"
cp -a "$MNT/book" "$D/snap2"
ls -A "$MNT" > "$D/ls"
"#;

/// A folder with `small/` (two lessons) and `big/` (300 long ones, a few MB
/// of pages).
fn two_courses(label: &str) -> TempDir {
    let dir = TempDir::new(label);
    for (name, n) in [("small", 2), ("big", 300)] {
        let course = dir.path().join(name);
        write_files(&course, &[("book.toml", b"[book]\nsrc = \"content\"\n")]);
        lessons(&course, n);
    }
    dir
}

fn run_two_builds(dir: &Path, size: &str, before: &str, second: &str) {
    let script = format!("BEFORE='{before}'\nSECOND='{second}'\n{TWO_BUILDS}");
    in_namespace(dir, size, &script);
    assert!(read(&dir.join("log1")).starts_with("coursegen: wrote 2 pages"), "{}", read(&dir.join("log1")));
}

#[test]
fn a_full_disk_is_reported_with_the_path_and_the_old_output_kept() {
    if !namespaces_available() {
        return;
    }
    let dir = two_courses("output-full");
    run_two_builds(dir.path(), "512k", ":", "big");
    let (rc, log) = second(dir.path());
    assert_eq!(rc, "1", "{log}");
    let mnt = dir.path().join("mnt").display().to_string();
    for needle in [mnt.as_str(), "No space left on device", "the previous output in", "is unchanged"] {
        assert!(log.contains(needle), "stderr lacks {needle:?}:\n{log}");
    }
    assert!(!log.contains("panicked"), "{log}");
    assert_same(&snapshot(&dir.path().join("snap1")), &snapshot(&dir.path().join("snap2")), "the first build's output");
    assert_eq!(read(&dir.path().join("ls")), "book\n", "the staging folder is gone");
}

#[test]
fn a_read_only_disk_is_reported_with_the_path_and_the_old_output_kept() {
    if !namespaces_available() {
        return;
    }
    let dir = two_courses("output-ro");
    run_two_builds(dir.path(), "4m", "mount -o remount,ro \"$MNT\"", "small");
    let (rc, log) = second(dir.path());
    assert_eq!(rc, "1", "{log}");
    let mnt = dir.path().join("mnt").display().to_string();
    for needle in [mnt.as_str(), "Read-only file system", "is unchanged"] {
        assert!(log.contains(needle), "stderr lacks {needle:?}:\n{log}");
    }
    assert!(!log.contains("panicked"), "{log}");
    assert_same(&snapshot(&dir.path().join("snap1")), &snapshot(&dir.path().join("snap2")), "the first build's output");
}

#[test]
fn a_read_only_mount_as_the_output_folder_is_reported_and_kept() {
    if !namespaces_available() {
        return;
    }
    let dir = two_courses("output-ro-bind");
    run_two_builds(dir.path(), "4m", "mount --bind \"$MNT/book\" \"$MNT/book\" && mount -o remount,bind,ro \"$MNT/book\"", "small");
    let (rc, log) = second(dir.path());
    assert_eq!(rc, "1", "{log}");
    let book = dir.path().join("mnt/book").display().to_string();
    let named = format!("error: {book}: cannot replace this folder");
    for needle in [named.as_str(), "the previous output is unchanged", "hint: it is a mount point"] {
        assert!(log.contains(needle), "stderr lacks {needle:?}:\n{log}");
    }
    assert!(!log.contains("panicked"), "{log}");
    assert_same(&snapshot(&dir.path().join("snap1")), &snapshot(&dir.path().join("snap2")), "the first build's output");
    assert_eq!(read(&dir.path().join("ls")), "book\n", "the staging folder is gone");
}

#[test]
fn an_output_path_that_is_a_file_is_refused_and_the_file_kept() {
    let dir = course("output-file", "");
    std::fs::write(dir.path().join("site.html"), "<p>my page</p>\n").expect("write");
    let before = snapshot(dir.path());
    let o = build(dir.path(), &["-d", "../site.html"]);
    assert_fails_with(&o, &["course/../site.html", "it is a file, not a folder"], "a file");
    assert_same(&before, &snapshot(dir.path()), "a file");
}
