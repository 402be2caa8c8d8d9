//! mdBook's `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` and
//! `{{#title}}` expanded in a page's text before it is parsed, as mdBook 0.5's
//! links preprocessor expands them (paths relative to the file holding the
//! directive, includes inside included files), with a [`SourceMap`] so that
//! a problem found in the expanded text is reported in the file it came from.
//! Only the standalone build expands: under mdBook, mdBook already has.
//!
//! Bounded: includes nest at most [`MAX_DEPTH`] deep, a cycle is an error at
//! the directive that closes it, and a page grows to at most [`MAX_EXPANDED`]
//! bytes. Files come in through a lookup by path relative to the book's folder.

use std::ops::Range;

use crate::diag::Diagnostic;
use crate::source::directive::{self, Directive, Kind, Seg, SourceMap};

/// Deepest nesting of includes (mdBook's own limit).
pub const MAX_DEPTH: usize = 10;
/// Most bytes a page may have once its includes are expanded.
pub const MAX_EXPANDED: usize = 32 * 1024 * 1024;

/// Looks up a file by its path relative to the book's folder.
pub type Lookup<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

/// A page's text with its directives expanded.
#[derive(Debug)]
pub struct Expansion {
    pub text: String,
    pub map: SourceMap,
    /// The last `{{#title}}`'s text: the page's title for the browser.
    pub title: Option<String>,
    pub diags: Vec<Diagnostic>,
}

/// `text` (the file at `path`, relative to the book's folder) with its
/// directives expanded, or `None` when it has none.
pub fn expand(path: &str, text: &str, lookup: &Lookup<'_>) -> Option<Expansion> {
    if !text.contains("{{") || directive::find(text).is_empty() {
        return None;
    }
    let mut x = Expander { files: vec![path.to_string()], lookup, diags: Vec::new(), title: None, total: text.len() };
    let mut page = Mapped::default();
    page.copy(text, 0, 0);
    let out = x.expand(&page, path, 0, &mut vec![path.to_string()]);
    Some(Expansion { text: out.text, map: SourceMap::new(x.files, out.segs), title: x.title, diags: x.diags })
}

/// Text with the origin of each stretch.
#[derive(Debug, Default)]
struct Mapped {
    text: String,
    segs: Vec<Seg>,
}

impl Mapped {
    fn push(&mut self, s: &str, file: usize, at: usize, copied: bool) {
        if s.is_empty() {
            return;
        }
        let out = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.segs.last_mut()
            && copied
            && last.copied
            && last.file == file
            && last.at + last.len == at
        {
            last.len += s.len();
            return;
        }
        self.segs.push(Seg { out, len: s.len(), file, at, copied });
    }

    fn copy(&mut self, s: &str, file: usize, at: usize) {
        self.push(s, file, at, true);
    }

    /// `range` of `from`, with its origins.
    fn splice(&mut self, from: &Mapped, range: Range<usize>) {
        let first = from.segs.partition_point(|s| s.out + s.len <= range.start);
        for s in from.segs[first..].iter().take_while(|s| s.out < range.end) {
            let (start, end) = (s.out.max(range.start), (s.out + s.len).min(range.end));
            let at = if s.copied { s.at + (start - s.out) } else { s.at };
            self.push(&from.text[start..end], s.file, at, s.copied);
        }
    }

    /// The file and offset where `pos` came from, and whether it was copied.
    fn origin(&self, pos: usize) -> (usize, usize, bool) {
        let i = self.segs.partition_point(|s| s.out + s.len <= pos).min(self.segs.len().saturating_sub(1));
        self.segs
            .get(i)
            .map_or((0, 0, true), |s| if s.copied { (s.file, s.at + pos.saturating_sub(s.out), true) } else { (s.file, s.at, false) })
    }
}

struct Expander<'l, 'a> {
    files: Vec<String>,
    lookup: &'l Lookup<'a>,
    diags: Vec<Diagnostic>,
    title: Option<String>,
    /// Bytes of the page so far, for [`MAX_EXPANDED`].
    total: usize,
}

impl Expander<'_, '_> {
    /// `m` (text of the file `from`) with its directives expanded.
    fn expand(&mut self, m: &Mapped, from: &str, depth: usize, stack: &mut Vec<String>) -> Mapped {
        let mut out = Mapped::default();
        let mut prev = 0;
        for d in directive::find(&m.text) {
            out.splice(m, prev..d.span.start);
            prev = d.span.end;
            match &d.kind {
                Kind::Escaped => out.splice(m, d.span.start + 1..d.span.end),
                Kind::Title(t) => self.title = Some(t.to_string()),
                kind => {
                    if let Some(inner) = self.include(m, &d, kind, from, depth, stack) {
                        out.splice(&inner, 0..inner.text.len());
                    }
                }
            }
        }
        out.splice(m, prev..m.text.len());
        out
    }

    /// What the include `d` of `m` (in the file `from`) brings in, its own
    /// directives expanded; `None` after reporting why it cannot.
    fn include(
        &mut self,
        m: &Mapped,
        d: &Directive<'_>,
        kind: &Kind<'_>,
        from: &str,
        depth: usize,
        stack: &mut Vec<String>,
    ) -> Option<Mapped> {
        let written = kind.path()?;
        let Some(target) = directive::resolve(from, written) else {
            return self.fail(
                m,
                d,
                format!("`{written}` is outside the book's folder"),
                "include files inside the folder of book.toml, by a path relative to this file",
            );
        };
        if let Some(i) = stack.iter().position(|s| *s == target) {
            let chain = stack[i..].iter().chain([&target]).map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" → ");
            return self.fail(
                m,
                d,
                format!("this include makes a cycle: {chain}"),
                "remove the include that leads back to a file already being included",
            );
        }
        if depth >= MAX_DEPTH {
            return self.fail(m, d, format!("includes are nested more than {MAX_DEPTH} deep here"), "include the innermost file directly");
        }
        let Some(text) = (self.lookup)(&target) else {
            return self.fail(
                m,
                d,
                format!("cannot include `{written}`: `{target}` not found"),
                "the path is relative to the file that holds the directive",
            );
        };
        let file = self.file(&target);
        let selected = match kind {
            Kind::Include { part, .. } => select(text, file, part.as_deref(), false),
            Kind::RustdocInclude { part, .. } => select(text, file, part.as_deref(), true),
            Kind::Playground { attrs, .. } => playground(text, file, attrs, m.origin(d.span.start)),
            Kind::Escaped | Kind::Title(_) => return None,
        };
        if let Selected::NoAnchor(anchor) = &selected {
            let (f, at, _) = m.origin(d.span.start);
            let span = at..at + d.span.len();
            self.diags.push(
                Diagnostic::warning(&self.files[f], span, format!("anchor `{anchor}` not found in `{target}`; nothing is included"))
                    .with_hint("mark the lines with `ANCHOR: name` and `ANCHOR_END: name` comments"),
            );
            return None;
        }
        let Selected::Lines(selected) = selected else { return None };
        self.total += selected.text.len();
        if self.total > MAX_EXPANDED {
            return self.fail(
                m,
                d,
                format!("with its includes this page is over {} MiB", MAX_EXPANDED >> 20),
                "include smaller parts of the files",
            );
        }
        stack.push(target.clone());
        let inner = self.expand(&selected, &target, depth + 1, stack);
        stack.pop();
        Some(inner)
    }

    fn file(&mut self, path: &str) -> usize {
        self.files.iter().position(|f| f == path).unwrap_or_else(|| {
            self.files.push(path.to_string());
            self.files.len() - 1
        })
    }

    fn fail(&mut self, m: &Mapped, d: &Directive<'_>, message: String, hint: &str) -> Option<Mapped> {
        let (file, at, copied) = m.origin(d.span.start);
        let span = if copied { at..at + d.span.len() } else { at..at };
        self.diags.push(Diagnostic::error(&self.files[file], span, message).with_hint(hint));
        None
    }
}

enum Selected {
    Lines(Mapped),
    NoAnchor(String),
}

/// The lines `part` names (`3`, `3:7`, `3:`, `:7`, an anchor name, or all),
/// as mdBook takes them; `hide`: the other lines are kept behind `# ` (rustdoc).
fn select(text: &str, file: usize, part: Option<&str>, hide: bool) -> Selected {
    let lines = lines(text);
    let (keep, by_anchor): (Vec<bool>, bool) = match range_or_anchor(part.unwrap_or("")) {
        Ok(range) => ((0..lines.len()).map(|i| range.contains(&i)).collect(), false),
        Err(anchor) => match anchored(text, &lines, anchor, !hide) {
            Some(keep) => (keep, true),
            None => return Selected::NoAnchor(anchor.to_string()),
        },
    };
    let mut out = Mapped::default();
    let mut first = true;
    for (i, line) in lines.iter().enumerate() {
        // Only an anchor's lines lose their markers, as in mdBook.
        let l = &text[line.clone()];
        let marker = by_anchor && (anchor_name(l, "ANCHOR:").is_some() || anchor_name(l, "ANCHOR_END:").is_some());
        if marker || !keep[i] && !hide {
            continue;
        }
        if !first {
            out.push("\n", file, line.start, false);
        }
        first = false;
        if !keep[i] {
            out.push("# ", file, line.start, false);
        }
        out.copy(l, file, line.start);
    }
    Selected::Lines(out)
}

/// Which lines lie between `ANCHOR: anchor` and `ANCHOR_END: anchor` (the
/// markers themselves are dropped by the caller); `None` without that anchor.
/// `once`: the first such stretch only (an include; rustdoc's takes all).
fn anchored(text: &str, lines: &[Range<usize>], anchor: &str, once: bool) -> Option<Vec<bool>> {
    let mut inside = false;
    let mut found = false;
    let keep = lines
        .iter()
        .map(|l| {
            let l = &text[l.clone()];
            if inside && anchor_name(l, "ANCHOR_END:") == Some(anchor) {
                inside = false;
            } else if !(inside || once && found) && anchor_name(l, "ANCHOR:") == Some(anchor) {
                inside = true;
                found = true;
            }
            inside
        })
        .collect();
    found.then_some(keep)
}

/// The name after `marker` in `line` (mdBook's `ANCHOR:\s*([\w_-]+)`).
fn anchor_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let rest = line[line.find(marker)? + marker.len()..].trim_start();
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// mdBook's reading of what follows the path: `a:b` is lines a to b
/// (1-based, inclusive), `a` line a, `a:` from a, `:b` up to b, anything
/// else not a number an anchor name.
fn range_or_anchor(part: &str) -> Result<Range<usize>, &str> {
    let mut parts = part.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return Err(first),
    };
    let end = parts.next().map(str::parse::<usize>);
    Ok(match (start, end) {
        (Some(s), Some(Ok(e))) => s..e,
        (Some(s), Some(Err(_))) => s..usize::MAX,
        (Some(s), None) => s..s + 1,
        (None, Some(Ok(e))) => 0..e,
        (None, _) => 0..usize::MAX,
    })
}

/// Line ranges as `str::lines` gives them.
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        out.push(start..i);
        start = i + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// `{{#playground}}`: the whole file as a Rust code block, its fences made
/// here and standing for the directive at `at`.
fn playground(text: &str, file: usize, attrs: &[&str], (dfile, at, _): (usize, usize, bool)) -> Selected {
    let mut out = Mapped::default();
    let info = if attrs.is_empty() { "rust".to_string() } else { format!("rust,{}", attrs.join(",")) };
    out.push(&format!("```{info}\n"), dfile, at, false);
    out.copy(text, file, 0);
    if !text.ends_with('\n') {
        out.push("\n", dfile, at, false);
    }
    out.push("```\n", dfile, at, false);
    Selected::Lines(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&'static str, &'static str)]) -> Expansion {
        let lookup = |p: &str| files.iter().find(|(n, _)| *n == p).map(|(_, t)| *t);
        expand(files[0].0, files[0].1, &lookup).expect("has directives")
    }

    #[test]
    fn ranges_and_anchors_take_the_lines_mdbook_takes() {
        let code = "l1\nl2\nl3\nl4\n// ANCHOR: mid\nm1\n// ANCHOR: other\nm2\n// ANCHOR_END: mid\nl5\n";
        let page = "a\n{{#include x.rs:2:3}}\nb\n{{#include x.rs:mid}}\nc\n{{#include x.rs:9}}|{{#include x.rs::2}}";
        let x = run(&[("src/a.md", page), ("src/x.rs", code)]);
        assert_eq!(x.text, "a\nl2\nl3\nb\nm1\nm2\nc\n// ANCHOR_END: mid|l1\nl2");
        assert!(x.diags.is_empty(), "{:?}", x.diags);
    }

    #[test]
    fn rustdoc_include_hides_the_other_lines() {
        let code = "use a;\n// ANCHOR: here\nfn f() {}\n// ANCHOR_END: here\nfn main() {}\n";
        let x = run(&[("src/a.md", "{{#rustdoc_include x.rs:here}}\n{{#rustdoc_include x.rs:2}}"), ("src/x.rs", code)]);
        assert_eq!(
            x.text,
            "# use a;\nfn f() {}\n# fn main() {}\n# use a;\n// ANCHOR: here\n# fn f() {}\n# // ANCHOR_END: here\n# fn main() {}"
        );
    }

    #[test]
    fn nested_includes_are_relative_to_their_file_and_located_there() {
        let x = run(&[
            ("src/ch/a.md", "# A\n\n{{#include ../../listings/one.md}}\n{{#title Custom}}"),
            ("listings/one.md", "one\n{{#include sub/two.md}}"),
            ("listings/sub/two.md", "two {{#include missing.rs}}"),
        ]);
        assert_eq!(x.text, "# A\n\none\ntwo \n");
        assert_eq!(x.title.as_deref(), Some("Custom"));
        assert_eq!(x.diags.len(), 1);
        assert_eq!(x.diags[0].path, "listings/sub/two.md");
        assert_eq!(x.diags[0].span, 4..27);
        let at = x.text.find("two").unwrap();
        assert_eq!(x.map.locate(&(at..at + 3)), ("listings/sub/two.md", 0..3));
        assert_eq!(x.map.locate(&(0..3)), ("src/ch/a.md", 0..3));
    }

    #[test]
    fn cycles_depth_and_escapes_are_errors_at_the_directive() {
        let x = run(&[("src/a.md", "{{#include b.md}} {{#include ../../x}} \\{{#include b.md}}"), ("src/b.md", "b{{#include a.md}}")]);
        assert_eq!(x.text, "b  {{#include b.md}}");
        let messages: Vec<(&str, &str)> = x.diags.iter().map(|d| (d.path.as_str(), d.message.as_str())).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].0 == "src/b.md" && messages[0].1.contains("cycle"), "{messages:?}");
        assert!(messages[1].1.contains("outside the book"), "{messages:?}");
        let deep: Vec<(String, String)> = (0..12).map(|i| (format!("src/{i}.md"), format!("{{{{#include {}.md}}}}", i + 1))).collect();
        let lookup = |p: &str| deep.iter().find(|(n, _)| n == p).map(|(_, t)| t.as_str()).or(Some("end"));
        let x = expand("src/0.md", &deep[0].1, &lookup).unwrap();
        assert_eq!(x.diags.len(), 1);
        assert!(x.diags[0].message.contains("nested more than 10"), "{:?}", x.diags);
    }

    #[test]
    fn playground_is_a_rust_block() {
        let x = run(&[("src/a.md", "{{#playground p.rs editable}}"), ("src/p.rs", "fn main() {}")]);
        assert_eq!(x.text, "```rust,editable\nfn main() {}\n```\n");
    }
}
