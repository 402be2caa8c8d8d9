//! Incremental builds for `serve`: `site::build_with` and `load::reload` give
//! exactly what a full build and a full load give, redoing only what changed.

use crate::serve::{QUIZ_PAGE, course};
use crate::support::write_files;

/// Replaces the text of source file `rel` in `input`.
fn edit(input: &mut coursegen::source::input::Input, rel: &str, f: impl Fn(&str) -> String) {
    let file = input.files.iter_mut().find(|x| x.rel == rel).expect("file in the course");
    if let coursegen::source::input::FileData::Text(t) = &mut file.data {
        *t = f(t).into();
    }
}

#[test]
fn incremental_rebuilds_match_full_builds_and_redo_only_what_changed() {
    use coursegen::pipeline::memo::Memo;
    use coursegen::pipeline::site::{Tools, build, build_with};
    let mut input = coursegen::source::load::load(crate::support::repo_root()).expect("load the example course").input;
    let tools = Tools::default();
    let mut memo = Memo::default();
    let first = build_with(&input, &tools, &mut memo).site.expect("builds");
    let pages = first.pages;
    assert!(pages > 3);
    assert_eq!(memo.stats.parsed, pages);
    let lesson = input.files.iter().find(|f| f.rel.ends_with(".md") && f.rel != "SUMMARY.md").expect("a lesson").rel.clone();
    let full_and_incremental = |input: &coursegen::source::input::Input, memo: &mut Memo| {
        let full = build(input, &tools).site.expect("full build");
        let incremental = build_with(input, &tools, memo).site.expect("incremental build");
        assert_eq!(full.files.keys().collect::<Vec<_>>(), incremental.files.keys().collect::<Vec<_>>());
        for (k, v) in &full.files {
            assert!(incremental.files[k] == *v, "{k} differs between full and incremental builds");
        }
    };
    // Nothing changed: nothing parsed or rendered again.
    full_and_incremental(&input, &mut memo);
    assert_eq!((memo.stats.parsed, memo.stats.rendered, memo.stats.indexed), (0, 0, 0), "{:?}", memo.stats);
    // A body edit: that page only.
    edit(&mut input, &lesson, |t| format!("{t}\n\nA new closing paragraph.\n"));
    full_and_incremental(&input, &mut memo);
    assert_eq!((memo.stats.parsed, memo.stats.rendered, memo.stats.indexed), (1, 1, 1), "{:?}", memo.stats);
    // A new front-matter title: only the page and the two whose previous and
    // next links name it are rendered again, not every page.
    assert_eq!(lesson, "flask/missing-secret-key.md", "a lesson with a page before and after it");
    edit(&mut input, &lesson, |t| t.replacen("title: ", "title: Retitled ", 1));
    full_and_incremental(&input, &mut memo);
    assert_eq!((memo.stats.parsed, memo.stats.rendered), (1, 3), "{:?}", memo.stats);
    // (The menu shows SUMMARY.md's titles, so js/toc.js is unchanged.)
}

/// What a load read, comparable: files, unreadable paths and sorted diagnostics.
fn loaded_summary(l: &coursegen::source::load::Loaded) -> String {
    let mut diags: Vec<String> = l.diags.iter().map(|d| format!("{d:?}")).collect();
    diags.sort();
    let mut unreadable = l.input.unreadable.clone();
    unreadable.sort();
    format!("{:?}\n{unreadable:?}\n{diags:?}\n{:?}", l.input.files, l.other_texts)
}

#[test]
fn reloading_changed_files_gives_what_a_full_load_gives() {
    use coursegen::source::load::{load, reload};
    let dir = course("serve-reload");
    let root = std::fs::canonicalize(dir.path()).expect("root");
    let content = root.join("content");
    let mut loaded = load(&root).expect("load");
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, Vec<std::path::PathBuf>);
    let steps: Vec<Step<'_>> = vec![
        ("edit", Box::new(|| std::fs::write(content.join("one.md"), "# One\n\nChanged.\n").expect("write")), vec![content.join("one.md")]),
        ("new file", Box::new(|| std::fs::write(content.join("img.svg"), "<svg/>").expect("write")), vec![content.join("img.svg")]),
        (
            "invalid UTF-8",
            Box::new(|| std::fs::write(content.join("two.md"), b"# Two\n\xff\n").expect("write")),
            vec![content.join("two.md")],
        ),
        ("fixed", Box::new(|| std::fs::write(content.join("two.md"), QUIZ_PAGE).expect("write")), vec![content.join("two.md")]),
        ("hidden", Box::new(|| std::fs::write(content.join(".one.md.swp"), "x").expect("write")), vec![content.join(".one.md.swp")]),
        ("delete", Box::new(|| std::fs::remove_file(content.join("img.svg")).expect("remove")), vec![content.join("img.svg")]),
        ("new folder", Box::new(|| write_files(&content, &[("deep/er/x.md", b"# X\n")])), vec![content.join("deep")]),
        ("folder gone", Box::new(|| std::fs::remove_dir_all(content.join("deep")).expect("remove")), vec![content.join("deep")]),
        (
            "book.toml",
            Box::new(|| std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T2\"\nsrc = \"content\"\n").expect("write")),
            vec![root.join("book.toml")],
        ),
    ];
    for (what, step, changed) in steps {
        step();
        let stale = format!("{:?}", loaded.input.files);
        loaded = reload(&root, loaded, &changed).expect("reload");
        if !matches!(what, "hidden" | "book.toml") {
            assert_ne!(stale, format!("{:?}", loaded.input.files), "{what}: reload changed nothing");
        }
        assert_eq!(loaded_summary(&loaded), loaded_summary(&load(&root).expect("load")), "after {what}");
    }
}
