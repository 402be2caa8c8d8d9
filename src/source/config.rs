//! book.toml: the raw layer (exactly what the user wrote) and the validated [`Config`].
//!
//! mdBook's keys are accepted and ignored where they don't apply, so one book.toml
//! serves `coursegen build` and `mdbook build`. coursegen's own keys live under
//! `[preprocessor.coursegen]` (mdBook 0.5 rejects unknown top-level tables) and are
//! strict: a typo there is an error with its line. Nothing past this module sees
//! the raw structs.

use serde::Deserialize;

use crate::diag::Diagnostic;

/// Largest source file read by default: 10 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// The validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `[book] title`; `None` lets SUMMARY.md's title stand in.
    pub title: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    /// `[book] language`, default `en`.
    pub language: String,
    /// `[book] src`, relative to the course folder, default `src` as in mdBook
    /// (our scaffold and example use `content`).
    pub src: String,
    /// `[build] build-dir`, relative to the course folder, default `book`.
    pub build_dir: String,
    /// `[preprocessor.coursegen] theme`: a folder under `themes/`.
    pub theme: Option<String>,
    /// `[preprocessor.coursegen] raw-html`: let raw HTML in Markdown through.
    pub raw_html: bool,
    /// `[preprocessor.coursegen] line-numbers`: a line-number gutter on code
    /// samples (default on); a sample's `linenos=` overrides it.
    pub line_numbers: bool,
    /// `[preprocessor.coursegen] site-url`: absolute URL of the published site,
    /// always ending in `/`.
    pub site_url: Option<String>,
    /// `[preprocessor.coursegen] max-file-size`, bytes.
    pub max_file_size: u64,
    /// mdBook's `[output.html]`, as far as it is honoured.
    pub html: crate::source::output_html::HtmlOutput,
    /// What book.toml asks that coursegen does not do (warnings).
    pub warnings: Vec<Diagnostic>,
    /// `[preprocessor.coursegen] nav-titles = "summary"`: the sidebar,
    /// Previous/Next, Continue and the progress list call a page by its
    /// SUMMARY.md entry; by default (`"page"`) by the page's own title.
    pub summary_titles: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: None,
            description: None,
            authors: Vec::new(),
            language: "en".into(),
            src: "src".into(),
            build_dir: "book".into(),
            theme: None,
            raw_html: false,
            line_numbers: true,
            site_url: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            html: Default::default(),
            warnings: Vec::new(),
            summary_titles: false,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct RawBookToml {
    #[serde(default)]
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    preprocessor: RawPreprocessors,
    output: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
struct RawBook {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Option<String>,
    src: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawBuild {
    build_dir: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawPreprocessors {
    coursegen: Option<RawCoursegen>,
    /// The others, by name: only their names are read.
    #[serde(flatten)]
    others: toml::Table,
}

/// `[preprocessor.coursegen]`, strict.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawCoursegen {
    // mdBook's own keys for any preprocessor: accepted, used by mdBook only.
    #[allow(dead_code)]
    command: Option<String>,
    #[allow(dead_code)]
    before: Option<Vec<String>>,
    #[allow(dead_code)]
    after: Option<Vec<String>>,
    #[allow(dead_code)]
    renderers: Option<Vec<String>>,
    #[allow(dead_code)]
    optional: Option<bool>,
    // coursegen's keys.
    theme: Option<String>,
    raw_html: Option<bool>,
    line_numbers: Option<bool>,
    site_url: Option<String>,
    max_file_size: Option<u64>,
    nav_titles: Option<String>,
}

/// Parses and validates book.toml. `path` is for diagnostics.
pub fn parse(path: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawBookToml = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().trim_end_matches('.').replace('\n', " ");
        let mut d = Diagnostic::error(path, span, message);
        if let Some(h) = crate::diag::did_you_mean(e.message()) {
            d = d.with_hint(h);
        } else if e.message().contains("unknown field") {
            d = d.with_hint("coursegen's keys under [preprocessor.coursegen] are theme, raw-html, line-numbers, site-url and max-file-size (plus mdBook's command, before, after, renderers, optional)");
            d = d.with_hint("coursegen's keys under [preprocessor.coursegen] are theme, raw-html, site-url, max-file-size and nav-titles (plus mdBook's command, before, after, renderers, optional)");
        }
        vec![d]
    })?;
    validate(path, text, raw)
}

/// The span of the line `key = ...` in book.toml's `text` (its first such
/// line, so a key repeated in another table is found there too), or `None`.
pub fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_start();
        let Some(after) = body.strip_prefix(key) else { continue };
        if after.trim_start().starts_with('=') {
            let at = start + (line.len() - body.len());
            return Some(at..at + body.trim_end().len());
        }
    }
    None
}

fn validate(path: &str, text: &str, raw: RawBookToml) -> Result<Config, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let cg = raw.preprocessor.coursegen.unwrap_or_default();
    let defaults = Config::default();
    let locate = |needle: &str| text.find(needle).map_or(0..0, |i| i..i + needle.len());
    if let Some(theme) = &cg.theme
        && (theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.'))
    {
        diags.push(
            Diagnostic::error(path, locate("theme"), format!("theme `{theme}` is not a folder name"))
                .with_hint("name a folder under themes/, such as `theme = \"mine\"`"),
        );
    }
    let site_url = cg.site_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    if let Some(u) = &site_url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        diags.push(
            Diagnostic::error(path, locate("site-url"), format!("site-url `{u}` is not an absolute http(s) URL"))
                .with_hint("write the published address, such as `site-url = \"https://example.org/course/\"`"),
        );
    }
    if cg.max_file_size == Some(0) {
        diags.push(Diagnostic::error(path, locate("max-file-size"), "max-file-size must be more than 0"));
    }
    if let Some(t) = cg.nav_titles.as_deref().filter(|t| !matches!(*t, "page" | "summary")) {
        diags.push(
            Diagnostic::error(path, locate("nav-titles"), format!("nav-titles `{t}` is neither `page` nor `summary`"))
                .with_hint("`nav-titles = \"page\"` names pages by their own titles, `\"summary\"` by their SUMMARY.md entries"),
        );
    }
    for (key, value) in [("src", &raw.book.src), ("build-dir", &raw.build.build_dir)] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            diags.push(Diagnostic::error(path, locate(key), format!("`{key}` is empty")));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let others: Vec<String> = raw.preprocessor.others.keys().cloned().collect();
    let (html, warnings) = crate::source::output_html::read(path, text, raw.output.as_ref(), &others);
    Ok(Config {
        title: raw.book.title.filter(|t| !t.trim().is_empty()),
        description: raw.book.description,
        authors: raw.book.authors,
        language: raw.book.language.unwrap_or(defaults.language),
        src: raw.book.src.unwrap_or(defaults.src),
        build_dir: raw.build.build_dir.unwrap_or(defaults.build_dir),
        theme: cg.theme,
        raw_html: cg.raw_html.unwrap_or(false),
        line_numbers: cg.line_numbers.unwrap_or(true),
        site_url: site_url
            .or_else(|| html.site_url.as_ref().filter(|u| u.starts_with("http")).map(|u| format!("{}/", u.trim_end_matches('/')))),
        html,
        warnings,
        max_file_size: cg.max_file_size.unwrap_or(defaults.max_file_size),
        summary_titles: cg.nav_titles.as_deref() == Some("summary"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_example_parses() {
        let text = "[book]\ntitle = \"Flask Essentials\"\nauthors = [\"Course Team\"]\nlanguage = \"en\"\nsrc = \"content\"\n\n[preprocessor.coursegen]\ncommand = \"coursegen mdbook\"\n";
        let c = parse("book.toml", text).unwrap();
        assert_eq!(c.title.as_deref(), Some("Flask Essentials"));
        assert_eq!(c.src, "content");
        assert_eq!(c.build_dir, "book");
        assert!(!c.raw_html);
    }

    #[test]
    fn line_numbers_are_on_unless_the_course_turns_them_off() {
        assert!(parse("book.toml", "[book]\n").unwrap().line_numbers);
        let off = parse("book.toml", "[preprocessor.coursegen]\nline-numbers = false\n").unwrap();
        assert!(!off.line_numbers);
        assert!(parse("book.toml", "[preprocessor.coursegen]\nline-numbers = \"no\"\n").is_err());
    }

    #[test]
    fn mdbook_keys_are_ignored() {
        let text = "[book]\nmultilingual = false\n[output.html]\ndefault-theme = \"rust\"\n[preprocessor.links]\n[build]\ncreate-missing = false\nbuild-dir = \"out\"\n";
        let c = parse("book.toml", text).unwrap();
        assert_eq!(c.build_dir, "out");
    }

    #[test]
    fn unknown_coursegen_key_is_located() {
        let text = "[book]\ntitle = \"x\"\n[preprocessor.coursegen]\nraw-htm = true\n";
        let d = parse("book.toml", text).unwrap_err();
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("raw-htm"), "{:?}", d[0]);
        assert_eq!(&text[d[0].span.clone()], "raw-htm");
    }

    #[test]
    fn key_span_finds_the_setting_line() {
        let text = "[book]\nsrcdir = 1\n  src = \"/etc\"\r\n";
        assert_eq!(key_span(text, "src").map(|s| &text[s]), Some("src = \"/etc\""));
        assert_eq!(key_span(text, "theme"), None);
    }

    #[test]
    fn nav_titles_is_page_or_summary() {
        assert!(!parse("b", "").unwrap().summary_titles, "the page's own title by default");
        assert!(parse("b", "[preprocessor.coursegen]\nnav-titles = \"summary\"\n").unwrap().summary_titles);
        assert!(!parse("b", "[preprocessor.coursegen]\nnav-titles = \"page\"\n").unwrap().summary_titles);
        let text = "[preprocessor.coursegen]\nnav-titles = \"toc\"\n";
        let d = parse("b", text).unwrap_err();
        assert!(d[0].message.contains("`toc`") && &text[d[0].span.clone()] == "nav-titles", "{d:?}");
    }

    #[test]
    fn site_url_gets_a_slash_and_must_be_absolute() {
        let c = parse("b", "[preprocessor.coursegen]\nsite-url = \"https://x.org/c\"\n").unwrap();
        assert_eq!(c.site_url.as_deref(), Some("https://x.org/c/"));
        assert!(parse("b", "[preprocessor.coursegen]\nsite-url = \"/c/\"\n").is_err());
    }
}
