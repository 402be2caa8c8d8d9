//! coursegen turns Markdown lessons and quizzes into a static HTML course.
//!
//! One model, three front-ends (`build`, `serve`, `mdbook`, all in [`cmd`]).
//! The modules are the stages of the pipeline, in order, and each imports only
//! the ones before it (and the leaves [`diag`], [`error`] and [`html`]):
//!
//! 1. **Source** ([`source`]): book.toml ([`source::config`]), then every file
//!    under the source folder and the theme ([`source::load`]), read into
//!    memory with size limits and UTF-8 checks as a [`source::input::Input`].
//!    The only stage of the core that touches the disk.
//! 2. **Model** ([`model`]): plain data for a page and its blocks (flow, steps,
//!    tracker, quiz), with the flow graph ([`model::flow`]) and the parsed
//!    info strings ([`model::attrs`]).
//! 3. **Flow** ([`flow`]): flow and Mermaid diagrams, parsed into the model's
//!    graph and laid out as SVG.
//! 4. **Parse** ([`parse`]): SUMMARY.md ([`parse::summary`]) and each page into
//!    a [`model::Page`], blocks checked, problems collected as
//!    [`diag::Diagnostic`]s; info strings ([`parse::fence`]) and YAML
//!    ([`parse::yaml`]) with plain-worded errors.
//! 5. **Render** ([`render`]): pages to HTML through pulldown-cmark, syntect and
//!    the theme's tera templates ([`render::theme`]) fed with typed views
//!    ([`render::view`]); each page's text for search ([`render::text`]).
//! 6. **Search** ([`search`]): the index, made of one part per page.
//! 7. **Pipeline** ([`pipeline`]): the build, once for every front-end: outline,
//!    parse, render and index, each file going to a [`pipeline::sink::Sink`]
//!    as soon as it is made, with a [`pipeline::Cache`] that is the only
//!    difference between `build` (nothing kept) and `serve`
//!    ([`pipeline::memo::Memo`]).
//! 8. **Front-ends** ([`cmd`]): `build` (into a staging folder that replaces
//!    the output only when the whole build succeeded, [`cmd::output`]),
//!    `check`, `init`, `serve` ([`cmd::serve`]) and `mdbook` ([`cmd::mdbook`]).
//!
//! Stages 2–7 are pure (strings in, values out), so `build`, `serve` and the
//! tests run exactly the same code.

pub mod cmd;
pub mod diag;
pub mod error;
pub mod flow;
pub mod html;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod source;
