//! The command line: help, version, init, default paths.

use crate::support::{TempDir, coursegen, stderr};

#[test]
fn help_and_version() {
    let dir = TempDir::new("help");
    for args in [&["--help"][..], &["build", "--help"], &["init", "--help"]] {
        let o = coursegen(dir.path(), args);
        assert!(o.status.success());
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("Usage: coursegen"), "{out}");
    }
    let o = coursegen(dir.path(), &["--version"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), format!("coursegen {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn init_makes_a_course_that_builds_with_every_block() {
    let dir = TempDir::new("init");
    let o = coursegen(dir.path(), &["init", "new"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = coursegen(&dir.path().join("new"), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "no warnings: {}", stderr(&o));
    let book = dir.path().join("new/book");
    let mut all = String::new();
    for e in std::fs::read_dir(&book).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    for kind in ["cg-flow", "cg-steps", "cg-tracker", "data-kind=\"choice\"", "data-kind=\"short\"", "data-kind=\"output\"", "data-kind=\"order\""] {
        assert!(all.contains(kind), "the scaffold shows {kind}");
    }
    let again = coursegen(dir.path(), &["init", "new"]);
    assert_eq!(again.status.code(), Some(1), "init refuses an existing course");
}

#[test]
fn missing_folder_is_a_clear_error() {
    let dir = TempDir::new("nofolder");
    let o = coursegen(dir.path(), &["build", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "coursegen: error: nope: no such folder\n");
}
