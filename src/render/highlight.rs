//! Server-side code highlighting: syntect scopes as `hl-` classes, and the
//! stylesheet for them, light and dark, generated from syntect's themes.
//!
//! This exists because highlighting in the browser (mdBook's highlight.js) costs
//! every reader JavaScript and fails without it. Built once per build and passed in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Class prefix of every highlighting span.
const PREFIX: &str = "hl-";
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: PREFIX };

/// Code background the light and dark palettes are checked against; the theme's
/// `--cg-surface` uses the same colours.
pub const LIGHT_BG: Color = Color { r: 0xf6, g: 0xf8, b: 0xfa, a: 0xff };
pub const DARK_BG: Color = Color { r: 0x16, g: 0x1b, b: 0x22, a: 0xff };

/// Most remembered blocks of a memoizing highlighter; past it, it starts over.
const MEMO_MAX: usize = 50_000;

/// Longest line highlighted: a block with a longer line is shown as plain
/// text. Issue 23: syntect searches the rest of the line again each time a
/// grammar changes context, so a line costs the square of its length in
/// some grammars (a 256 KB line of Markdown took 20 s, of Ruby 4 s). 1 MB
/// of Ruby in lines of 4, 8, 16 and 32 KiB cost 1.07, 1.17, 1.43 and 1.8
/// times as much CPU as in lines of 1 KiB; Markdown about the same up to
/// 8 KiB, then 1.2 and 1.35 times. Longer lines than this are minified or
/// generated text, not read as code.
pub const MAX_LINE_BYTES: usize = 8 * 1024;

/// Largest block highlighted: highlighted HTML is up to 75 times the code
/// (2 MB of dense Python made 148 MB in 8 s), so a larger block is shown as
/// plain text, which keeps its page within the page size budget.
pub const MAX_BLOCK_BYTES: usize = 256 * 1024;

/// Why a block of a known language is shown as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    /// Line `line` (0-based) is `len` bytes, over [`MAX_LINE_BYTES`].
    Line { line: usize, len: usize },
    /// The block is `len` bytes, over [`MAX_BLOCK_BYTES`].
    Block { len: usize },
}

/// Whether `code` is too large to highlight, and why.
pub fn too_large(code: &str) -> Option<TooLarge> {
    if code.len() > MAX_BLOCK_BYTES {
        return Some(TooLarge::Block { len: code.len() });
    }
    if code.len() <= MAX_LINE_BYTES {
        return None;
    }
    code.split('\n').enumerate().find(|(_, l)| l.len() > MAX_LINE_BYTES).map(|(line, l)| TooLarge::Line { line, len: l.len() })
}

/// `(language, code)` → highlighted HTML (`None`: unknown language).
type Remembered = Mutex<HashMap<(String, String), Option<String>>>;

/// `(language, code)` of each block that occurs more than once in a build →
/// its result, once the first page that needs it has made it.
type Repeats = HashMap<(String, String), Arc<OnceLock<Option<String>>>>;

/// Highlights code; holds the syntax set, loaded once.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    /// `(language, code)` → result, when built with [`Highlighter::memoized`].
    memo: Option<Remembered>,
    /// The blocks this build has more than once (see
    /// [`Highlighter::expect_repeats`]): each is highlighted once and shared,
    /// while nothing is kept of the blocks that occur once.
    repeats: RwLock<Repeats>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads syntect's bundled syntaxes.
    pub fn new() -> Self {
        Self { syntaxes: SyntaxSet::load_defaults_newlines(), memo: None, repeats: RwLock::default() }
    }

    /// A highlighter that remembers every block it highlighted, for `serve`:
    /// after an edit, only code blocks whose text changed are highlighted again.
    pub fn memoized() -> Self {
        Self { memo: Some(Mutex::new(HashMap::new())), ..Self::new() }
    }

    /// Highlighted HTML for `code` (spans only, no `<pre>`), or `None` when the
    /// language is unknown or the code [`too_large`] (the caller escapes the
    /// code as plain text).
    pub fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        if too_large(code).is_some() {
            return None;
        }
        let Some(memo) = &self.memo else { return self.highlight_once(code, lang) };
        let key = (lang.to_string(), code.to_string());
        if let Some(hit) = memo.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return hit.clone();
        }
        let html = self.highlight_now(code, lang);
        let mut memo = memo.lock().unwrap_or_else(|p| p.into_inner());
        if memo.len() >= MEMO_MAX {
            memo.clear();
        }
        memo.insert(key, html.clone());
        html
    }

    /// Tells the highlighter every `(code, language)` the coming build will
    /// ask for. Those that occur more than once are then highlighted once
    /// (a page that needs one being highlighted waits for it). Issue 8: a
    /// course that repeats a sample in many lessons, as the block-heavy bench
    /// corpus does, highlighted it on every page.
    pub fn expect_repeats<'a>(&self, blocks: impl IntoIterator<Item = (&'a str, &'a str)>) {
        if self.memo.is_some() {
            return; // it remembers every block anyway
        }
        let mut count: HashMap<(&str, &str), usize> = HashMap::new();
        for (code, lang) in blocks {
            *count.entry((lang, code)).or_default() += 1;
        }
        let repeats =
            count.into_iter().filter(|(_, n)| *n > 1).map(|((l, c), _)| ((l.to_string(), c.to_string()), Arc::default())).collect();
        *self.repeats.write().unwrap_or_else(|p| p.into_inner()) = repeats;
    }

    /// Whether `lang` names a language this highlighter knows.
    pub fn knows(&self, lang: &str) -> bool {
        self.syntax(lang).is_some()
    }

    fn syntax(&self, lang: &str) -> Option<&syntect::parsing::SyntaxReference> {
        let lang = lang.trim();
        if lang.is_empty() {
            return None;
        }
        self.syntaxes.find_syntax_by_token(lang).or_else(|| self.syntaxes.find_syntax_by_extension(lang))
    }

    /// How many distinct blocks [`Highlighter::expect_repeats`] found repeated.
    pub fn repeated_blocks(&self) -> usize {
        self.repeats.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    fn highlight_once(&self, code: &str, lang: &str) -> Option<String> {
        let shared = {
            let repeats = self.repeats.read().unwrap_or_else(|p| p.into_inner());
            if repeats.is_empty() {
                return self.highlight_now(code, lang);
            }
            repeats.get(&(lang.to_string(), code.to_string())).map(Arc::clone)
        };
        match shared {
            Some(once) => once.get_or_init(|| self.highlight_now(code, lang)).clone(),
            None => self.highlight_now(code, lang),
        }
    }

    fn highlight_now(&self, code: &str, lang: &str) -> Option<String> {
        let syntax = self.syntax(lang)?;
        let mut spans = Spans::with_capacity(code.len());
        let mut state = ParseState::new(syntax);
        CLASSES.with_borrow_mut(|classes| {
            for line in LinesWithEndings::from(code) {
                // A line the grammar cannot handle falls back to plain text for the block.
                let ops = state.parse_line(line, &self.syntaxes).ok()?;
                spans.line(line, &ops, classes)?;
            }
            Some(spans.finish())
        })
    }
}

thread_local! {
    /// Each scope's `class` value ("hl-source hl-python"), made once per
    /// thread. Scopes are process-wide (syntect's global scope repository),
    /// so any highlighter may share it.
    static CLASSES: RefCell<ClassCache> = RefCell::default();
}

/// Scope → its `class` value. Looked up for every span of every line, so
/// hashed with [`ScopeHasher`], not SipHash: the keys are syntect's, not
/// an attacker's.
type ClassCache = HashMap<Scope, Box<str>, BuildHasherDefault<ScopeHasher>>;

/// A multiply-rotate hash (as rustc's FxHash) of the two words a `Scope`
/// hashes as.
#[derive(Default)]
struct ScopeHasher(u64);

impl Hasher for ScopeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(u64::from(b)));
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The `class` value of `scope`, from `cache` or made (and kept) there.
fn classes_of(cache: &mut ClassCache, scope: Scope) -> &str {
    cache.entry(scope).or_insert_with(|| {
        if scope.is_empty() {
            return Box::default();
        }
        // Locks the global scope repository: once per scope and thread.
        let name = scope.build_string();
        let classes: Vec<String> = name.split('.').map(|atom| format!("{PREFIX}{atom}")).collect();
        classes.join(" ").into_boxed_str()
    })
}

/// A block's highlighted HTML as it is written, line by line: the same bytes
/// as syntect's `ClassedHTMLGenerator` with [`STYLE`] (tested below), cheaper.
///
/// Issue 8: for every span it opens, syntect locks its global scope
/// repository and builds the class string anew, and it allocates a String per
/// line. Here class strings come from a per-thread cache ([`CLASSES`]; one
/// `RwLock`ed map on the highlighter measured the same, and would be touched
/// by every thread on every token) and the block is written into one String.
/// Measured on the bench corpus's 3,000 blocks: 2.8 % fewer instructions
/// (callgrind) and 2-4 % less CPU than syntect's generator, about 3 % of a
/// build's user time. That is all there is to gain here: `parse_line` is
/// 96 % of highlighting.
struct Spans {
    html: String,
    stack: ScopeStack,
    /// Spans opened minus spans closed, as syntect counts them (it may go
    /// below zero; then `finish` closes none).
    open: isize,
}

impl Spans {
    fn with_capacity(len: usize) -> Self {
        // Spans make the HTML a few times longer than the code: a first guess.
        Self { html: String::with_capacity(len * 2), stack: ScopeStack::new(), open: 0 }
    }

    /// Writes one line (with its newline) given its scope operations; `None`
    /// when the operations do not fit the stack or the line.
    ///
    /// As syntect's `line_tokens_to_classed_spans`: a span closed right after
    /// it was opened, with no text in between on this line, is removed.
    fn line(&mut self, line: &str, ops: &[(usize, ScopeStackOp)], cache: &mut ClassCache) -> Option<()> {
        let Self { html, stack, open } = self;
        let mut written = 0;
        // Where the last opened span starts, while it holds nothing yet.
        let mut empty_since: Option<usize> = None;
        for (at, op) in ops {
            if *at > written {
                empty_since = None;
                escape_into(html, line.get(written..*at)?);
                written = *at;
            }
            let applied = stack.apply_with_hook(op, |op, _| match op {
                BasicScopeStackOp::Push(scope) => {
                    empty_since = Some(html.len());
                    html.push_str("<span class=\"");
                    html.push_str(classes_of(cache, scope));
                    html.push_str("\">");
                    *open += 1;
                }
                BasicScopeStackOp::Pop => {
                    match empty_since.take() {
                        Some(start) => html.truncate(start),
                        None => html.push_str("</span>"),
                    }
                    *open -= 1;
                }
            });
            applied.ok()?;
        }
        escape_into(html, line.get(written..)?);
        Some(())
    }

    /// The HTML, with the spans still open closed.
    fn finish(mut self) -> String {
        for _ in 0..self.open {
            self.html.push_str("</span>");
        }
        self.html
    }
}

/// Appends `text` HTML-escaped exactly as `syntect::escape::Escape` writes it.
fn escape_into(out: &mut String, text: &str) {
    let mut plain = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'\'' => "&#39;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
}

/// The stylesheet for highlighted code: light by default, dark when the system
/// prefers it (unless the reader chose light) or when the reader chose dark.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::from("/* Generated by coursegen from syntect's themes; colours adjusted for WCAG AA contrast. */\n");
    if let Some(light) = themes.themes.get("InspiredGitHub") {
        css.push_str(&theme_css(light, LIGHT_BG));
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark") {
        let rules = theme_css(dark, DARK_BG);
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&scoped(&rules, ":root:not([data-theme=\"light\"])"));
        css.push_str("}\n");
        css.push_str(&scoped(&rules, ":root[data-theme=\"dark\"]"));
    }
    css
}

/// A theme's CSS with its background replaced by ours and every colour raised to
/// a 4.5:1 contrast against it.
fn theme_css(theme: &Theme, bg: Color) -> String {
    let mut theme = theme.clone();
    theme.settings.background = Some(bg);
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = readable(*fg, bg);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = readable(*fg, bg);
        }
        // Per-token backgrounds (e.g. "invalid") would need their own checks.
        item.style.background = None;
    }
    css_for_theme_with_class_style(&theme, STYLE).unwrap_or_default()
}

/// Prefixes every selector of `css` (flat rules, as syntect writes them) with `scope`.
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let selectors = rest[..open].trim();
        // Drop comments syntect puts before rules.
        let selectors = selectors.rsplit("*/").next().unwrap_or(selectors).trim();
        let prefixed: Vec<String> = selectors.split(',').map(|s| format!("{scope} {}", s.trim())).collect();
        out.push_str(&prefixed.join(", "));
        out.push_str(" {");
        out.push_str(&rest[open + 1..close]);
        out.push_str("}\n");
        rest = &rest[close + 1..];
    }
    out
}

/// `fg`, moved towards black or white until it reaches 4.6:1 against `bg`.
fn readable(fg: Color, bg: Color) -> Color {
    let target = if luminance(bg) > 0.5 { 0.0 } else { 1.0 };
    let mut c = fg;
    for step in 0..=20 {
        if contrast(c, bg) >= 4.6 {
            return Color { a: 0xff, ..c };
        }
        let t = f64::from(step + 1) / 20.0;
        c = mix(fg, target, t);
    }
    Color { a: 0xff, ..c }
}

fn mix(c: Color, target: f64, t: f64) -> Color {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        ((v + (target - v) * t) * 255.0).round().clamp(0.0, 255.0) as u8
    };
    Color { r: ch(c.r), g: ch(c.g), b: ch(c.b), a: 0xff }
}

/// WCAG relative luminance.
fn luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// WCAG contrast ratio.
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_and_escapes() {
        let h = Highlighter::new();
        let html = h.highlight("x = '<b>'\n", "python").unwrap();
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(h.highlight("x", "no-such-language").is_none());
        let m = Highlighter::memoized();
        assert_eq!(m.highlight("x = '<b>'\n", "python"), Some(html.clone()));
        assert_eq!(m.highlight("x = '<b>'\n", "python"), Some(html), "remembered result is the same");
        assert_eq!(m.memo.as_ref().map(|x| x.lock().unwrap().len()), Some(1));
    }

    #[test]
    fn repeated_blocks_are_kept_and_single_ones_are_not() {
        let h = Highlighter::new();
        let (a, b) = ("x = 1\n", "y = 2\n");
        h.expect_repeats([(a, "python"), (b, "python"), (a, "python"), (a, "rust")]);
        assert_eq!(h.repeated_blocks(), 1, "only python `a` occurs twice");
        let plain = Highlighter::new();
        for (code, lang) in [(a, "python"), (b, "python"), (a, "rust"), (a, "python")] {
            assert_eq!(h.highlight(code, lang), plain.highlight(code, lang), "{lang} {code:?}");
        }
        {
            let repeats = h.repeats.read().unwrap();
            let once = &repeats[&("python".to_string(), a.to_string())];
            assert!(once.get().is_some(), "the repeated block was highlighted and kept");
        }
        h.expect_repeats([(b, "python")]);
        assert_eq!(h.repeated_blocks(), 0, "a new build forgets the last one's repeats");
    }

    /// What syntect's own generator makes of `code`, which ours must match byte for byte.
    fn syntect_html(h: &Highlighter, code: &str, lang: &str) -> Option<String> {
        use syntect::html::ClassedHTMLGenerator;
        let syntax = h.syntaxes.find_syntax_by_token(lang).or_else(|| h.syntaxes.find_syntax_by_extension(lang))?;
        let mut html_gen = ClassedHTMLGenerator::new_with_class_style(syntax, &h.syntaxes, STYLE);
        for line in LinesWithEndings::from(code) {
            html_gen.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(html_gen.finalize())
    }

    #[test]
    fn same_bytes_as_syntects_generator() {
        let samples = [
            ("python", "def f(x: int) -> str:\n    \"\"\"Doc\n    over lines & <tags>\n    \"\"\"\n    return f'{x!r}' # done\n"),
            (
                "rust",
                "/* a comment\n   spanning lines */\nfn main() {\n    let s = r#\"raw \"quoted\" <b>\"#;\n    println!(\"{s} é 日本\");\n}",
            ),
            ("js", "const a = `template\n${1 + 2} line two`;\nif (a < 3 && b > 'x') { /* c */ }\n"),
            ("html", "<!DOCTYPE html>\n<p class=\"x\">a &amp; b <!-- note\n still --></p>\n<script>let x = 1 < 2;</script>\n"),
            ("bash", "#!/bin/bash\nfor f in *.md; do echo \"$f\" > /dev/null & done\ncat <<EOF\nheredoc $HOME\nEOF\n"),
            ("json", "{\"a\": [1, 2.5e3, true, null], \"b\": \"<&>\"}\n"),
            ("css", "a > b::after { content: \"&\"; /* c\n d */ color: #fff; }\n"),
            ("sql", "SELECT * FROM t WHERE a < 'x' -- c\n  AND b = \"y\";\n"),
            ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old <\n+new &\n"),
            ("md", "# Title\n\n```python\nx = 1\n```\n*em* <b>\n"),
            ("yaml", "key: value\nlist:\n  - 'a'\n  - \"b & c\"\nblock: |\n  text <here>\n"),
            ("python", ""),
            ("python", "x = 1"),
            ("python", "x = 1\r\ny = '''a\r\nb'''\r\n"),
            ("c", "#include <stdio.h>\nint main(void) { return 0; } // ✓\n"),
            ("sh", "\n\n"),
        ];
        let h = Highlighter::new();
        for (lang, code) in samples {
            let ours = h.highlight(code, lang);
            assert!(ours.is_some(), "{lang} is known");
            assert_eq!(ours, syntect_html(&h, code, lang), "{lang} {code:?}");
        }
        assert_eq!(h.highlight("x", "no-such-language"), None);
        assert_eq!(h.highlight("a = 1\n", "toml"), None, "syntect's defaults have no TOML");
    }

    #[test]
    fn code_too_large_is_not_highlighted() {
        let h = Highlighter::new();
        let line = "x = 'a' ".repeat(MAX_LINE_BYTES / 8);
        assert_eq!(line.len(), MAX_LINE_BYTES);
        let fits = format!("y = 1\n{line}\n");
        assert!(h.highlight(&fits, "python").is_some(), "a line of the limit is highlighted");
        let long = format!("y = 1\n{line}x\n");
        assert_eq!(too_large(&long), Some(TooLarge::Line { line: 1, len: MAX_LINE_BYTES + 1 }));
        assert_eq!(h.highlight(&long, "python"), None);
        assert_eq!(Highlighter::memoized().highlight(&long, "python"), None);
        let block = "x = 1\n".repeat(MAX_BLOCK_BYTES / 6 + 1);
        assert_eq!(too_large(&block), Some(TooLarge::Block { len: block.len() }));
        assert_eq!(h.highlight(&block, "python"), None);
        assert!(h.knows("python") && h.knows(" rb ") && !h.knows("") && !h.knows("no-such-language"));
    }

    #[test]
    fn class_strings_are_syntects() {
        let mut cache = ClassCache::default();
        for name in ["source.python", "text.html.basic", "punctuation.definition.string.begin.python"] {
            let scope = Scope::new(name).unwrap();
            let want: Vec<String> = name.split('.').map(|a| format!("hl-{a}")).collect();
            assert_eq!(classes_of(&mut cache, scope), want.join(" "));
        }
        assert_eq!(classes_of(&mut cache, Scope::default()), "", "the empty scope has no classes");
    }

    /// Every `color: #rrggbb` in `css`.
    fn colours(css: &str) -> Vec<Color> {
        css.match_indices("color: #")
            .filter(|(i, _)| !css[..*i].ends_with('-'))
            .filter_map(|(i, m)| css.get(i + m.len()..i + m.len() + 6))
            .filter_map(|hex| u32::from_str_radix(hex, 16).ok())
            .map(|v| Color { r: (v >> 16) as u8, g: (v >> 8) as u8, b: v as u8, a: 0xff })
            .collect()
    }

    #[test]
    fn every_colour_in_the_stylesheet_is_readable() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media").unwrap();
        assert!(dark.contains(":root[data-theme=\"dark\"] .hl-"), "dark rules are scoped");
        for (part, bg) in [(light, LIGHT_BG), (dark, DARK_BG)] {
            let cs = colours(part);
            assert!(cs.len() > 10, "{part}");
            for c in cs {
                assert!(contrast(c, bg) >= 4.5, "{c:?} on {bg:?}");
            }
        }
    }
}
