//! mdBook's `[output.html]` settings, as far as `coursegen build` honours
//! them; every other key there (and every preprocessor coursegen does not
//! run) is a warning naming it, so a book moved from mdBook learns what it
//! loses instead of finding out later.

use crate::diag::Diagnostic;

/// What `[output.html]` asks of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct HtmlOutput {
    /// Stylesheets and scripts of the book's own, relative to the book's folder.
    pub additional_css: Vec<String>,
    pub additional_js: Vec<String>,
    /// `[output.html.redirect]`: old page path → where it went.
    pub redirects: Vec<(String, String)>,
    pub git_repository_url: Option<String>,
    /// `{path}` is the page's path relative to the book's folder.
    pub edit_url_template: Option<String>,
    /// `\( \)` and `\[ \]` are math too.
    pub mathjax_support: bool,
    /// Quotes and dashes made typographic (mdBook 0.5's default for a book).
    pub smart_punctuation: bool,
    /// `site-url`, for the 404 page's links.
    pub site_url: Option<String>,
    /// An mdBook book (one with `[output.html]`) has no `$` math in mdBook,
    /// and the Rust Book's `*$HOME/…* … `$PATH`` would become a formula:
    /// such a book gets `$…$` only with `mathjax-support`.
    pub mdbook: bool,
}

impl HtmlOutput {
    /// Whether `$…$` and `$$…$$` are math.
    pub fn dollar_math(&self) -> bool {
        !self.mdbook || self.mathjax_support
    }
}

/// Keys of `[output.html]` that only dress mdBook's own theme: coursegen's
/// theme has its own counterpart or no need of them, so a book.toml shared
/// by both tools is read without a warning for each.
const THEME_ONLY: &[&str] = &[
    "default-theme",
    "preferred-dark-theme",
    "copy-fonts",
    "no-section-label",
    "git-repository-icon",
    "input-404",
    "cname",
    "live-reload-endpoint",
    "hash-files",
    "sidebar-header-nav",
    "fold",
    "theme",
    "curly-quotes",
];

/// Keys whose effect readers would miss: named in a warning.
const NOT_DONE: &[(&str, &str)] = &[
    ("playground", "code is not run in the page (no playground)"),
    ("print", "there is no print page"),
    ("search", "coursegen's own search is used"),
    ("code", "hidden lines follow Rust's `# ` rule only"),
];

/// Preprocessors that are mdBook's own, or coursegen's: not warned about.
const KNOWN_PREPROCESSORS: &[&str] = &["coursegen", "links", "index", "quiz"];

/// Reads `[output.html]` of book.toml's `text` (`output` is its `[output]`
/// table, `preprocessors` the names under `[preprocessor]`).
pub fn read(path: &str, text: &str, output: Option<&toml::Table>, preprocessors: &[String]) -> (HtmlOutput, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let at = |key: &str| {
        let table = format!("[output.html.{key}]");
        crate::source::config::key_span(text, key).or_else(|| text.find(&table).map(|i| i..i + table.len())).unwrap_or(0..0)
    };
    for name in preprocessors.iter().filter(|p| !KNOWN_PREPROCESSORS.contains(&p.as_str())) {
        let span = text.find(&format!("[preprocessor.{name}]")).map_or(0..0, |i| i..i + name.len() + 15);
        warnings.push(
            Diagnostic::warning(path, span, format!("preprocessor `{name}` is not run by `coursegen build`"))
                .with_hint("what it adds to the chapters is missing from the course; it still runs under `mdbook build`"),
        );
    }
    let Some(html) = output.and_then(|o| o.get("html")).and_then(toml::Value::as_table) else {
        return (HtmlOutput::default(), warnings);
    };
    let strings = |key: &str| -> Vec<String> {
        html.get(key)
            .and_then(toml::Value::as_array)
            .map_or_else(Vec::new, |a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
    };
    let string = |key: &str| html.get(key).and_then(toml::Value::as_str).map(str::to_string);
    let flag = |key: &str| html.get(key).and_then(toml::Value::as_bool);
    let redirects = html.get("redirect").and_then(toml::Value::as_table).map_or_else(Vec::new, |t| {
        t.iter().filter_map(|(k, v)| Some((k.trim_start_matches('/').to_string(), v.as_str()?.to_string()))).collect()
    });
    let mut out = HtmlOutput {
        additional_css: strings("additional-css"),
        additional_js: strings("additional-js"),
        redirects,
        git_repository_url: string("git-repository-url"),
        edit_url_template: string("edit-url-template"),
        mathjax_support: flag("mathjax-support").unwrap_or(false),
        // An mdBook book (one with [output.html]) gets mdBook 0.5's default.
        smart_punctuation: flag("smart-punctuation").or(flag("curly-quotes")).unwrap_or(true),
        site_url: string("site-url"),
        mdbook: true,
    };
    let known = [
        "additional-css",
        "additional-js",
        "redirect",
        "git-repository-url",
        "edit-url-template",
        "mathjax-support",
        "smart-punctuation",
        "site-url",
    ];
    for key in html.keys().filter(|k| !known.contains(&k.as_str()) && !THEME_ONLY.contains(&k.as_str())) {
        let why = NOT_DONE.iter().find(|(k, _)| k == key).map_or("it is not a key coursegen knows", |(_, why)| why);
        warnings.push(
            Diagnostic::warning(path, at(key), format!("`[output.html] {key}` is not supported by `coursegen build`: {why}"))
                .with_hint("coursegen honours additional-css, additional-js, redirect, site-url, git-repository-url, edit-url-template, mathjax-support and smart-punctuation"),
        );
    }
    for (key, list) in [("additional-css", &out.additional_css), ("additional-js", &out.additional_js)] {
        for p in list.iter().filter(|p| crate::source::directive::resolve("book.toml", p).is_none()) {
            warnings.push(Diagnostic::warning(path, at(key), format!("`{p}` in `{key}` is outside the book's folder; it is left out")));
        }
    }
    for (key, url) in [("git-repository-url", &mut out.git_repository_url), ("edit-url-template", &mut out.edit_url_template)] {
        if url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
            warnings.push(Diagnostic::warning(path, at(key), format!("`{key}` is not an http(s) URL; it is left out")));
            *url = None;
        }
    }
    for (old, _) in &out.redirects {
        if crate::source::directive::resolve("book.toml", old).is_none_or(|r| !r.ends_with(".html")) {
            let span = text.find(old.as_str()).map_or(0..0, |i| i..i + old.len());
            warnings.push(Diagnostic::warning(
                path,
                span,
                format!("redirect from `{old}` is not an .html page inside the site; it is left out"),
            ));
        }
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (HtmlOutput, Vec<Diagnostic>) {
        let table: toml::Table = toml::from_str(text).unwrap();
        let pre: Vec<String> = table.get("preprocessor").and_then(|p| p.as_table()).map_or_else(Vec::new, |t| t.keys().cloned().collect());
        read("book.toml", text, table.get("output").and_then(|o| o.as_table()), &pre)
    }

    #[test]
    fn honoured_settings_are_read_and_the_rest_named() {
        let text = "[output.html]\nadditional-css = [\"a.css\"]\nedit-url-template = \"https://x/{path}\"\nmathjax-support = true\ndefault-theme = \"rust\"\n[output.html.playground]\nrunnable = true\n[output.html.redirect]\n\"/old.html\" = \"new.html\"\n[preprocessor.trpl-note]\ncommand = \"x\"\n";
        let (h, w) = run(text);
        assert_eq!(h.additional_css, ["a.css"]);
        assert_eq!(h.redirects, [("old.html".to_string(), "new.html".to_string())]);
        assert!(h.mathjax_support && h.smart_punctuation);
        let messages: Vec<&str> = w.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("trpl-note")) && messages.iter().any(|m| m.contains("playground")), "{messages:?}");
        assert!(!messages.iter().any(|m| m.contains("default-theme")), "a theme-only key is not warned about");
        assert_eq!(&text[w.iter().find(|d| d.message.contains("playground")).unwrap().span.clone()], "[output.html.playground]");
    }

    #[test]
    fn without_output_html_nothing_changes() {
        assert_eq!(run("[book]\ntitle = \"x\"\n").0, HtmlOutput::default());
    }
}
