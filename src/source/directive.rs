//! mdBook's `{{#…}}` directives, found in a text as mdBook finds them (its
//! links preprocessor), and the paths they name resolved as it resolves them:
//! relative to the file that holds the directive. Lexing only; the loader
//! reads what they name from outside the source folder, and
//! `parse::include` expands them, keeping a [`SourceMap`] of the result.

use std::ops::Range;

/// One directive found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive<'t> {
    /// The whole `{{#…}}` (with its `\` when escaped).
    pub span: Range<usize>,
    pub kind: Kind<'t>,
}

/// What a directive does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind<'t> {
    /// `\{{#…}}`: shown as written, without the backslash.
    Escaped,
    /// `{{#include path[:range|:anchor]}}`; `part` is what follows the first `:`.
    Include { path: &'t str, part: Option<&'t str> },
    /// `{{#rustdoc_include path[:range|:anchor]}}`.
    RustdocInclude { path: &'t str, part: Option<&'t str> },
    /// `{{#playground path attr…}}` (and its old name `playpen`).
    Playground { path: &'t str, attrs: Vec<&'t str> },
    /// `{{#title text}}`.
    Title(&'t str),
}

impl<'t> Kind<'t> {
    /// The file the directive includes, as written.
    pub fn path(&self) -> Option<&'t str> {
        match self {
            Kind::Include { path, .. } | Kind::RustdocInclude { path, .. } | Kind::Playground { path, .. } => Some(path),
            Kind::Escaped | Kind::Title(_) => None,
        }
    }
}

/// The directives of `text`, in order. Others (`{{#quiz}}`, unknown names)
/// are not returned: they stay in the text as mdBook leaves them.
pub fn find(text: &str) -> Vec<Directive<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("{{").map(|k| k + i) {
        let escaped = at > 0 && bytes[at - 1] == b'\\' && bytes.get(at + 2) == Some(&b'#');
        if escaped {
            // mdBook's `\\\{\{\#.*\}\}`: up to the line's last `}}`.
            let line_end = text[at..].find('\n').map_or(text.len(), |k| at + k);
            if let Some(close) = text[at..line_end].rfind("}}") {
                let end = at + close + 2;
                found.push(Directive { span: at - 1..end, kind: Kind::Escaped });
                i = end;
                continue;
            }
        }
        match directive_at(text, at) {
            Some((end, kind)) => {
                found.extend(kind.map(|kind| Directive { span: at..end, kind }));
                i = end;
            }
            None => i = at + 1,
        }
    }
    found
}

/// `{{\s*#name\s+args}}` at `at`: its end and what it is (`None` for a name
/// mdBook does not know), or `None` when the text there is not one.
fn directive_at(text: &str, at: usize) -> Option<(usize, Option<Kind<'_>>)> {
    let rest = &text[at + 2..];
    let after_space = rest.trim_start();
    let name_and_args = after_space.strip_prefix('#')?;
    let name_len = name_and_args.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name_and_args.len());
    let (name, after_name) = name_and_args.split_at(name_len);
    if name.is_empty() || !after_name.starts_with(char::is_whitespace) {
        return None;
    }
    let close = after_name.find('}')?;
    if !after_name[close..].starts_with("}}") {
        return None;
    }
    let args = after_name[..close].trim();
    if args.is_empty() {
        return None;
    }
    let end = text.len() - after_name.len() + close + 2;
    Some((end, kind(name, args, after_name[..close].trim_start())))
}

fn kind<'t>(name: &str, args: &'t str, title: &'t str) -> Option<Kind<'t>> {
    let mut words = args.split_whitespace();
    let first = words.next()?;
    let split = |w: &'t str| w.split_once(':').map_or((w, None), |(p, part)| (p, Some(part)));
    Some(match name {
        "title" => Kind::Title(title.trim_end()),
        "include" => {
            let (path, part) = split(first);
            Kind::Include { path, part }
        }
        "rustdoc_include" => {
            let (path, part) = split(first);
            Kind::RustdocInclude { path, part }
        }
        "playground" | "playpen" => Kind::Playground { path: first, attrs: words.collect() },
        _ => return None,
    })
}

/// `path` (as written in a directive of the file at `from`, both relative to
/// the book's folder) relative to the book's folder, `/`-separated and with
/// `.` and `..` resolved; `None` when it is absolute or leaves the folder.
pub fn resolve(from: &str, path: &str) -> Option<String> {
    if super::relpath::is_absolute(path) {
        return None;
    }
    // mdBook books written on Windows separate with `\`.
    super::relpath::resolve(from, &path.replace('\\', "/"))
}

/// Where each stretch of an expanded page comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceMap {
    /// Paths relative to the book's folder; the page itself first.
    files: Vec<String>,
    segs: Vec<Seg>,
}

/// `len` bytes at `out` of the expanded text: copied from `files[file]` at
/// `at`, or (not `copied`) made here, standing for the position `at`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Seg {
    pub out: usize,
    pub len: usize,
    pub file: usize,
    pub at: usize,
    pub copied: bool,
}

impl SourceMap {
    pub(crate) fn new(files: Vec<String>, segs: Vec<Seg>) -> Self {
        SourceMap { files, segs }
    }

    /// The file and span that `span` of the expanded text came from.
    pub fn locate(&self, span: &Range<usize>) -> (&str, Range<usize>) {
        let Some(last) = self.segs.len().checked_sub(1) else { return (&self.files[0], span.clone()) };
        let i = self.segs.partition_point(|s| s.out + s.len <= span.start).min(last);
        let s = &self.segs[i];
        if !s.copied {
            return (&self.files[s.file], s.at..s.at);
        }
        let start = s.at + span.start.saturating_sub(s.out).min(s.len);
        let end = s.at + span.end.saturating_sub(s.out).min(s.len);
        (&self.files[s.file], start..end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind<'_>> {
        find(text).into_iter().map(|d| d.kind).collect()
    }

    #[test]
    fn directives_are_found_as_mdbook_finds_them() {
        let text = "a {{#include x.rs:2:5}} b {{ #rustdoc_include ../l/m.rs:all }} {{#playground p.rs editable}} {{#title A  B }}";
        assert_eq!(
            kinds(text),
            [
                Kind::Include { path: "x.rs", part: Some("2:5") },
                Kind::RustdocInclude { path: "../l/m.rs", part: Some("all") },
                Kind::Playground { path: "p.rs", attrs: vec!["editable"] },
                Kind::Title("A  B"),
            ]
        );
        assert_eq!(&text[find(text)[0].span.clone()], "{{#include x.rs:2:5}}");
    }

    #[test]
    fn escaped_unknown_and_broken_ones_stay_text() {
        assert_eq!(kinds(r"\{{#include x.rs}}"), [Kind::Escaped]);
        assert_eq!(find(r"x \{{#include x.rs}} y").first().map(|d| d.span.clone()), Some(2..20));
        assert!(kinds("{{#quiz q.toml}} {{#include}} {{#include x} }} {{include x}}").is_empty());
    }

    #[test]
    fn paths_resolve_inside_the_book_only() {
        assert_eq!(resolve("src/ch/a.md", "../../listings/x.rs").as_deref(), Some("listings/x.rs"));
        assert_eq!(resolve("src/a.md", "./b/./c.md").as_deref(), Some("src/b/c.md"));
        assert_eq!(resolve("src/a.md", "../../etc/passwd"), None);
        assert_eq!(resolve("src/a.md", "/etc/passwd"), None);
    }
}
