//! Typed views handed to the theme's tera templates: the documented contract for
//! theme authors. Nothing here renders or reads files; `render::page` fills these.
//!
//! Every URL in a view is relative to the page being rendered (so a site works
//! from a subpath and from `file://`); `root` is the prefix from that page to the
//! site root (`""`, `"../"`, `"../../"`, …) for theme assets.

use serde::Serialize;

/// The course as a whole, the same on every page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct CourseView<'a> {
    /// `[book] title`.
    pub title: &'a str,
    /// `[book] description`, if any.
    pub description: Option<&'a str>,
    /// `[book] authors`.
    pub authors: &'a [String],
    /// `[book] language` (defaults to `en`); goes in `<html lang>`.
    pub language: &'a str,
    /// `[output.html] additional-css` and `additional-js`: the book's own
    /// stylesheets and scripts, relative to the site root.
    pub additional_css: &'a [String],
    pub additional_js: &'a [String],
    /// `[output.html] git-repository-url`.
    pub git_repository_url: Option<&'a str>,
}

/// One entry of the navigation tree (the SUMMARY.md structure).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NavItem {
    /// A `# Part` heading.
    Part { title: String },
    /// A `---` separator.
    Separator,
    /// A chapter (linked) or a draft chapter (`url` is `None`: listed, not linked).
    Chapter {
        title: String,
        /// Section number such as `"1.2."`, for numbered chapters; `None` for prefix
        /// and suffix chapters.
        number: Option<String>,
        /// Relative URL from the current page; `None` for a draft chapter.
        url: Option<String>,
        /// This entry is the page being rendered.
        current: bool,
        /// The page being rendered is somewhere below this entry.
        open: bool,
        /// Minutes from the page's front matter, if given.
        minutes: Option<u32>,
        children: Vec<NavItem>,
    },
}

/// A link to another page (previous/next).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct LinkView {
    pub title: String,
    /// Relative URL from the current page.
    pub url: String,
}

/// A heading of the page, for an on-page table of contents.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct HeadingView {
    /// 1–6.
    pub level: u8,
    /// The anchor id (without `#`).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// Context of `page.html`: one lesson or quiz page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub course: &'a CourseView<'a>,
    /// Prefix from this page to the site root: `""`, `"../"`, …
    pub root: String,
    /// The page's title (front matter, else first heading, else SUMMARY entry).
    pub title: &'a str,
    /// `minutes` from front matter.
    pub minutes: Option<u32>,
    /// `summary` from front matter.
    pub summary: Option<&'a str>,
    /// The rendered page body: trusted HTML (author text already escaped).
    pub content: &'a str,
    /// The page's headings in order.
    pub headings: &'a [HeadingView],
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// Output path of this page relative to the site root, with `/` separators.
    pub path: &'a str,
    /// The body opens with its own `# Title`: the theme does not print the
    /// title a second time (issue 18: 25 pages of the Rust Book had two).
    pub title_in_body: bool,
    /// `[output.html] edit-url-template` filled in for this page.
    pub edit_url: Option<String>,
}

/// Context of `index.html`: the course home.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView<'a> {
    pub course: &'a CourseView<'a>,
    /// Always `""`: the home page sits at the root.
    pub root: String,
    /// The navigation tree, with URLs relative to the root (the home page
    /// lists the contents).
    pub nav: &'a [NavItem],
    /// Always `"index.html"`.
    pub path: &'static str,
    /// The first page of the course, for a "Start" link.
    pub first: Option<LinkView>,
    /// Pages with quiz questions, in reading order, for the progress summary.
    pub quizzes: Vec<QuizProgressView>,
}

/// A page's quiz questions, for the home page's progress summary: the quiz
/// script reads what the learner saved for `url` and counts it over `questions`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct QuizProgressView {
    pub title: String,
    /// Relative URL from the home page; without a leading `./` (which a page
    /// whose name reads as a scheme gets), also the page's key in saved progress.
    pub url: String,
    /// The progress keys of the page's questions (see `render::quiz::question_keys`).
    pub questions: Vec<String>,
}

/// Context of `404.html`.
#[derive(Debug, Clone, Serialize)]
pub struct NotFoundView<'a> {
    pub course: &'a CourseView<'a>,
    /// `site-url` from the config when set (absolute, ends with `/`), because a 404
    /// page is served at any depth and relative links would break; else `""`.
    pub root: String,
    /// Always `"404.html"`.
    pub path: &'static str,
}

/// Context of `toc.html` and `toc.js`: the course's contents, drawn once and
/// shared by every page. Issue 8: drawn into each page, the menu made a
/// build's time and output grow with the square of the number of pages, so
/// the page views have no `nav`.
#[derive(Debug, Clone, Serialize)]
pub struct TocView<'a> {
    pub course: &'a CourseView<'a>,
    /// Always `""`: both files' URLs are relative to the root.
    pub root: String,
    /// The navigation tree, with URLs relative to the root and no page current.
    pub nav: &'a [NavItem],
    /// `nav` drawn by the theme's `nav_tree` component: trusted HTML.
    pub nav_html: String,
    /// `nav_html` as a JavaScript string literal, safe anywhere in a script
    /// (see `html::js_string`).
    pub nav_json: String,
}
