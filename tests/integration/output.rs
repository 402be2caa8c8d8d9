//! The output folder is ours or it is refused (issue 15, issue 23): every way
//! of naming a folder that a build must not replace fails with exit 1 and a
//! message naming it, and leaves every file byte for byte as it was. Also
//! `init` into a folder with files, a course without pages, and `serve`
//! writing nothing. Killed builds, full and read-only disks: `output_hostile`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{TempDir, coursegen, stderr, write_files};

/// What a tree holds: each path under it (relative) and what is there.
pub type Snapshot = BTreeMap<PathBuf, Entry>;

/// One thing in a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Folder,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Everything under `dir`, links not followed.
pub fn snapshot(dir: &Path) -> Snapshot {
    let mut map = Snapshot::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(folder) = todo.pop() {
        for e in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())).flatten() {
            let path = e.path();
            let rel = path.strip_prefix(dir).expect("under dir").to_path_buf();
            let kind = e.file_type().expect("file type");
            let entry = if kind.is_symlink() {
                Entry::Link(std::fs::read_link(&path).expect("read link"))
            } else if kind.is_dir() {
                todo.push(path.clone());
                Entry::Folder
            } else {
                Entry::File(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
            };
            map.insert(rel, entry);
        }
    }
    map
}

/// Fails with the first difference between two snapshots.
pub fn assert_same(before: &Snapshot, after: &Snapshot, what: &str) {
    for (path, entry) in before {
        match after.get(path) {
            None => panic!("{what}: {} is gone", path.display()),
            Some(e) if e != entry => panic!("{what}: {} changed", path.display()),
            Some(_) => {}
        }
    }
    if let Some(new) = after.keys().find(|p| !before.contains_key(*p)) {
        panic!("{what}: {} appeared", new.display());
    }
}

/// Exit 1, no panic, and `needles` in stderr.
pub fn assert_fails_with(o: &Output, needles: &[&str], what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{what}: exit status; stderr:\n{err}");
    assert!(!err.contains("panicked"), "{what}: panicked:\n{err}");
    for n in needles {
        assert!(err.contains(n), "{what}: stderr lacks {n:?}:\n{err}");
    }
}

/// A course with two lessons, a custom theme, a `.git` and book.toml
/// `extra` lines, in `course/` of a fresh folder that also holds `notes/`
/// (someone else's) and `home/`.
pub fn course(label: &str, extra: &str) -> TempDir {
    let dir = TempDir::new(label);
    let toml = format!("[book]\ntitle = \"T\"\nsrc = \"content\"\n{extra}");
    write_files(
        dir.path(),
        &[
            ("course/book.toml", toml.as_bytes()),
            ("course/content/SUMMARY.md", b"# Summary\n\n- [One](one.md)\n- [Two](sub/two.md)\n"),
            ("course/content/one.md", b"# One\n\nFirst.\n"),
            ("course/content/sub/two.md", b"# Two\n\nSecond.\n"),
            ("course/themes/mine/page.html", b"{{ content | safe }}\n"),
            ("course/.git/HEAD", b"ref: refs/heads/main\n"),
            ("notes/todo.txt", b"call Alice\n"),
            ("notes/ideas/a.md", b"# Ideas\n"),
        ],
    );
    std::fs::create_dir(dir.path().join("home")).expect("mkdir home");
    dir
}

/// `coursegen build course <args>` run in `dir`, with `home/` as the home folder.
pub fn build(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["build", "course"];
    all.extend_from_slice(args);
    std::process::Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .args(&all)
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .output()
        .expect("run coursegen")
}

#[test]
fn every_folder_it_must_not_replace_is_refused_and_kept_byte_for_byte() {
    let dir = course("output-refused", "");
    let base = dir.path().to_str().expect("utf-8 path").to_string();
    std::os::unix::fs::symlink("content", dir.path().join("course/lessons")).expect("symlink");
    // (-d as given, what the message must say)
    let cases: &[(String, &str)] = &[
        ("content".into(), "the source folder"),
        ("content/sub".into(), "the source folder"),
        ("missing/../content".into(), "the source folder"),
        ("lessons".into(), "the source folder"),
        ("lessons/out".into(), "the source folder"),
        (format!("{base}/course/./content"), "the source folder"),
        ("themes".into(), "the themes folder"),
        ("themes/mine".into(), "the themes folder"),
        ("book.toml".into(), "it is a file, not a folder"),
        ("content/one.md".into(), "the source folder"),
        (".".into(), "the course folder"),
        ("..".into(), "the course folder"),
        (".git".into(), "it holds files that coursegen did not write: HEAD"),
        ("../notes".into(), "it holds files that coursegen did not write: ideas/, todo.txt"),
        (format!("{base}/home"), "your home folder"),
        ("/".into(), "the root of the file system"),
    ];
    for (out, says) in cases {
        let before = snapshot(dir.path());
        let o = build(dir.path(), &["-d", out]);
        // Named as given, relative to the folder the command ran in.
        let shown: PathBuf = Path::new("course").join(out).components().collect();
        let shown = format!("error: {}", shown.display());
        assert_fails_with(&o, &[&shown, "refusing to build into this folder", says, "hint: pick another output folder with `-d`"], out);
        assert_same(&before, &snapshot(dir.path()), out);
    }
}

#[test]
fn build_dir_in_book_toml_is_held_to_the_same_rules() {
    for (build_dir, says) in [
        ("content", "the source folder"),
        ("missing/../content", "the source folder"),
        (".git", "coursegen did not write"),
        (".", "the course folder"),
        ("book.toml", "not a folder"),
        ("themes", "the themes folder"),
        ("../notes", "coursegen did not write"),
    ] {
        let dir = course("output-build-dir", &format!("[build]\nbuild-dir = \"{build_dir}\"\n"));
        let before = snapshot(dir.path());
        let o = build(dir.path(), &[]);
        assert_fails_with(&o, &[says, "set `build-dir` under [build] in book.toml"], build_dir);
        assert_same(&before, &snapshot(dir.path()), build_dir);
    }
    let dir = course("output-build-dir-abs", "");
    let notes = dir.path().join("notes");
    std::fs::write(
        dir.path().join("course/book.toml"),
        format!("[book]\nsrc = \"content\"\n[build]\nbuild-dir = {:?}\n", notes.display().to_string()),
    )
    .expect("write");
    let before = snapshot(dir.path());
    assert_fails_with(&build(dir.path(), &[]), &[&notes.display().to_string(), "todo.txt"], "absolute build-dir");
    assert_same(&before, &snapshot(dir.path()), "absolute build-dir");
}

#[test]
fn a_source_folder_that_is_the_course_folder_cannot_hold_the_output() {
    let dir = TempDir::new("output-flat");
    write_files(
        dir.path(),
        &[("course/book.toml", b"[book]\nsrc = \".\"\n"), ("course/SUMMARY.md", b"- [One](one.md)\n"), ("course/one.md", b"# One\n")],
    );
    std::fs::create_dir(dir.path().join("home")).expect("mkdir");
    let before = snapshot(dir.path());
    let o = build(dir.path(), &[]);
    assert_fails_with(&o, &["course/book", "`src = \".\"`", "move the lessons into a subfolder"], "src = .");
    assert_same(&before, &snapshot(dir.path()), "src = .");
    let o = build(dir.path(), &["-d", "../site"]);
    assert!(o.status.success(), "outside the source folder it builds: {}", stderr(&o));
    assert!(dir.path().join("site/one.html").is_file());
}

#[test]
fn files_added_to_its_own_output_make_it_refused() {
    let dir = course("output-added", "");
    let o = build(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let book = dir.path().join("course/book");
    assert!(book.join(".coursegen-output").is_file(), "the output carries the marker");
    write_files(&book, &[("sub/my-notes.txt", b"keep me\n")]);
    let before = snapshot(dir.path());
    let o = build(dir.path(), &[]);
    assert_fails_with(
        &o,
        &["course/book", "files were added to it since coursegen wrote it: sub/my-notes.txt", "empty or delete it yourself"],
        "added",
    );
    assert_same(&before, &snapshot(dir.path()), "added");
    // Without the stranger, the folder is ours again and is replaced.
    std::fs::remove_file(book.join("sub/my-notes.txt")).expect("rm");
    std::fs::write(dir.path().join("course/content/one.md"), "# One\n\nChanged.\n").expect("write");
    let o = build(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(book.join("one.html")).expect("read").contains("Changed."));
    let left: Vec<_> = std::fs::read_dir(dir.path().join("course")).expect("ls").flatten().map(|e| e.file_name()).collect();
    assert!(!left.iter().any(|n| n.to_string_lossy().contains("coursegen-")), "no staging or old folder is left: {left:?}");
}

#[test]
fn an_empty_folder_is_fine_and_becomes_ours() {
    let dir = course("output-empty", "");
    std::fs::create_dir(dir.path().join("site")).expect("mkdir");
    let o = build(dir.path(), &["-d", "../site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let marker = std::fs::read_to_string(dir.path().join("site/.coursegen-output")).expect("marker");
    let mut listed: Vec<&str> = marker.lines().skip(1).collect();
    let mut present: Vec<String> = snapshot(&dir.path().join("site"))
        .into_iter()
        .filter(|(_, e)| *e != Entry::Folder)
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .filter(|p| p != ".coursegen-output")
        .collect();
    listed.sort_unstable();
    present.sort_unstable();
    assert_eq!(listed, present, "the marker lists every file written, and only those");
}

#[test]
fn a_course_without_pages_is_an_error_and_the_output_stays() {
    let dir = course("output-no-pages", "");
    assert!(build(dir.path(), &[]).status.success());
    std::fs::write(dir.path().join("course/content/SUMMARY.md"), "# Summary\n\n- [Later]()\n").expect("write");
    let before = snapshot(dir.path());
    let o = build(dir.path(), &[]);
    assert_fails_with(&o, &["course/content/SUMMARY.md: lists no pages", "hint: add a chapter"], "drafts only");
    assert_same(&before, &snapshot(dir.path()), "drafts only");
    let o = coursegen(dir.path(), &["check", "course"]);
    assert_fails_with(&o, &["course/content/SUMMARY.md: lists no pages"], "check of drafts only");
    assert!(!stderr(&o).contains("checked 0 pages"), "{}", stderr(&o));
    for f in ["SUMMARY.md", "one.md", "sub/two.md"] {
        std::fs::remove_file(dir.path().join("course/content").join(f)).expect("rm");
    }
    let o = build(dir.path(), &[]);
    assert_fails_with(&o, &["course/content: no pages found", "no SUMMARY.md and no .md file", "coursegen init"], "empty source folder");
    assert!(!stderr(&o).contains("wrote 0 pages"));
}

#[test]
fn serve_writes_nothing() {
    let dir = course("output-serve", "");
    let before = snapshot(dir.path());
    let o = coursegen(dir.path(), &["serve", "course", "-p", "0", "--stop-after", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("serving at"), "{}", stderr(&o));
    assert_same(&before, &snapshot(dir.path()), "serve");
}

#[test]
fn init_refuses_a_folder_with_files_and_with_force_adds_only_what_is_missing() {
    let dir = TempDir::new("output-init");
    write_files(dir.path(), &[("mine/book.toml", b"[book]\ntitle = \"Mine\"\n"), ("mine/content/welcome.md", b"# My own welcome\n")]);
    let before = snapshot(dir.path());
    let o = coursegen(dir.path(), &["init", "mine"]);
    assert_fails_with(&o, &["mine: refusing to create a course in a folder that already has files: book.toml, content", "--force"], "init");
    assert_same(&before, &snapshot(dir.path()), "init");
    let o = coursegen(dir.path(), &["init", "mine", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("kept 2 files already there: book.toml, content/welcome.md"), "{}", stderr(&o));
    let after = snapshot(dir.path());
    for (path, entry) in &before {
        assert_eq!(after.get(path), Some(entry), "{} is untouched", path.display());
    }
    assert!(after.contains_key(Path::new("mine/content/check.md")), "missing files are added");
    assert_eq!(after.get(Path::new("mine/.gitignore")), Some(&Entry::File(b"/book/\n".to_vec())));
}

#[test]
fn init_makes_a_course_that_builds_and_checks_without_a_warning() {
    let dir = TempDir::new("output-init-clean");
    std::fs::create_dir_all(dir.path().join("new/.git")).expect("mkdir");
    let o = coursegen(dir.path(), &["init", "new"]);
    assert!(o.status.success(), "a folder with only .git is empty enough: {}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("new/.gitignore")).expect(".gitignore"), "/book/\n");
    let o = coursegen(&dir.path().join("new"), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "coursegen: checked 2 pages: no errors\n", "no warning");
    let o = coursegen(&dir.path().join("new"), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}
