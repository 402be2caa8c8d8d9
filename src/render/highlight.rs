//! Server-side code highlighting: syntect scopes as `hl-` classes, and the
//! stylesheet for them, light and dark, generated from syntect's themes.
//!
//! This exists because highlighting in the browser (mdBook's highlight.js) costs
//! every reader JavaScript and fails without it. Built once per build and passed in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of every highlighting span.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code background the light and dark palettes are checked against; the theme's
/// `--cg-surface` uses the same colours.
pub const LIGHT_BG: Color = Color { r: 0xf6, g: 0xf8, b: 0xfa, a: 0xff };
pub const DARK_BG: Color = Color { r: 0x16, g: 0x1b, b: 0x22, a: 0xff };

/// Most remembered blocks of a memoizing highlighter; past it, it starts over.
const MEMO_MAX: usize = 50_000;

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
    /// language is unknown (the caller escapes the code as plain text).
    pub fn highlight(&self, code: &str, lang: &str) -> Option<String> {
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
        let repeats = count.into_iter().filter(|(_, n)| *n > 1).map(|((l, c), _)| ((l.to_string(), c.to_string()), Arc::default())).collect();
        *self.repeats.write().unwrap_or_else(|p| p.into_inner()) = repeats;
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
        let lang = lang.trim();
        if lang.is_empty() {
            return None;
        }
        let syntax = self
            .syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| self.syntaxes.find_syntax_by_extension(lang))?;
        let mut html_gen = ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, STYLE);
        for line in LinesWithEndings::from(code) {
            // A line the grammar cannot handle falls back to plain text for the block.
            html_gen.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(html_gen.finalize())
    }
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
