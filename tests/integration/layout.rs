//! The shape of the code itself (issue 16): the top-level modules of `src/`
//! are the pipeline's stages and import each other in one direction only, the
//! folder stays small enough to read at a glance, and no file grows past what
//! one can hold in mind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo_root;

/// Entries directly under `src/`, at most.
const MAX_ENTRIES: usize = 15;

/// Lines in one source file, at most.
const MAX_LINES: usize = 600;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(repo_root()).expect("under the repository").to_string_lossy().into_owned();
            out.push((rel, std::fs::read_to_string(&path).expect("read a source file")));
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None`: lib.rs, main.rs).
fn top_module(rel: &str) -> Option<String> {
    let first = rel.strip_prefix("src/")?.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// The top-level modules `text` names through `crate::`, comments left out.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::c}`: every first segment in the group.
                let inner = group.split('}').next().unwrap_or("");
                found.extend(inner.split(',').filter_map(|p| p.trim().split("::").next()).filter(|n| !n.is_empty()).map(str::to_string));
            } else {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                found.insert(name);
            }
        }
    }
    found
}

/// A cycle in `graph`, as the modules on it, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_import_each_other_in_one_direction() {
    let mut files = Vec::new();
    sources(&repo_root().join("src"), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &files {
        let Some(top) = top_module(rel) else { continue };
        let uses: Vec<String> = imports(text).into_iter().filter(|m| *m != top).collect();
        graph.entry(top).or_default().extend(uses);
    }
    assert!(graph.len() >= 8, "the stages were found: {graph:?}");
    if let Some(c) = cycle(&graph) {
        panic!("the top-level modules import each other in a cycle: {}", c.join(" -> "));
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("render".to_string(), ["search".to_string()].into()),
        ("search".to_string(), ["render".to_string()].into()),
        ("html".to_string(), BTreeSet::new()),
    ]
    .into();
    assert_eq!(cycle(&graph), Some(vec!["render".to_string(), "search".to_string()]));
    assert_eq!(
        imports("use crate::{diag::Diagnostic, model};\nlet x = crate::html::escape(y); // crate::error"),
        ["diag".to_string(), "html".to_string(), "model".to_string()].into()
    );
}

#[test]
fn src_stays_small_enough_to_read() {
    let entries = std::fs::read_dir(repo_root().join("src")).expect("read src").count();
    assert!(entries <= MAX_ENTRIES, "src/ has {entries} entries; at most {MAX_ENTRIES}");
    let mut files = Vec::new();
    sources(&repo_root().join("src"), &mut files);
    let long: Vec<String> =
        files.iter().filter(|(_, t)| t.lines().count() > MAX_LINES).map(|(r, t)| format!("{r}: {} lines", t.lines().count())).collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

/// The code of `text` that ships: what comes before its unit tests.
fn shipped(rel: &str, text: &str) -> Option<String> {
    let test_file = rel.ends_with("/tests.rs") || rel.contains("/tests/");
    (!test_file).then(|| text.split("#[cfg(test)]").next().unwrap_or("").to_string())
}

/// Issue 16, point 3: the parser reads every info string once, into the typed
/// model, and nothing after it reads one again (a quiz prompt's fence
/// included): a stage after parse that calls the fence reader is a failure.
#[test]
fn only_the_parser_reads_info_strings() {
    let mut files = Vec::new();
    sources(&repo_root().join("src"), &mut files);
    let readers: Vec<&str> = files
        .iter()
        .filter(|(rel, _)| !rel.starts_with("src/parse/"))
        .filter(|(rel, text)| {
            shipped(rel, text).is_some_and(|code| code.lines().any(|l| l.split("//").next().unwrap_or("").contains("fence::")))
        })
        .map(|(rel, _)| rel.as_str())
        .collect();
    assert!(readers.is_empty(), "read info strings after the parser: {readers:?}");
    assert!(shipped("src/render/markdown.rs", "a\n#[cfg(test)]\nfence::x").is_some_and(|c| !c.contains("fence::")));
}
