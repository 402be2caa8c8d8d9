//! coursegen turns Markdown lessons and quizzes into a static HTML course.
//!
//! One model, three front-ends (`build`, `serve`, `mdbook`). The pipeline:
//!
//! 1. **Load** (`load`, the only part of the core's inputs that touches the disk):
//!    book.toml, SUMMARY.md, every file under the source folder and the theme,
//!    read into memory with size limits and UTF-8 checks.
//! 2. **Configure** (`config`): book.toml → validated [`config::Config`].
//! 3. **Outline** (`summary`): SUMMARY.md → the table of contents.
//! 4. **Parse** (`parse`): each page → [`model::Page`] with its blocks (flow,
//!    steps, tracker, quiz) parsed and checked, problems collected as
//!    [`diag::Diagnostic`]s.
//! 5. **Render** (`render`): pages → HTML through pulldown-cmark, syntect and the
//!    theme's tera templates fed with typed [`view`]s.
//!    The search index (`search`) is made from the same pages and their headings.
//!    Every link the authors wrote is then checked (`xref`) against the pages
//!    and the ids the renderer reports having written.
//! 6. **Write** (`sink`, `output`): each file goes to a [`sink::Sink`] as soon as
//!    it is rendered; for `build`, a staging folder that replaces the output
//!    folder only when the whole build succeeded.
//!
//! `serve` (`serve`) runs steps 1–5 and keeps the site in memory instead of
//! step 6, rebuilding when a source changes.
//!
//! Steps 2–5 are pure (strings in, values out), so `build`, `serve` and the
//! tests run exactly the same code.

pub mod check;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod error;
pub mod fence;
pub mod flow;
pub mod linkcheck;
pub mod load;
pub mod mdbook;
pub mod memo;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod relpath;
pub mod render;
pub mod search;
pub mod serve;
pub mod sink;
pub mod site;
pub mod summary;
pub mod theme;
pub mod view;
pub mod xref;
pub mod yaml;
