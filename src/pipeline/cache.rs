//! What a build may reuse from the last build of the same course, and keep
//! for the next: the one thing in which `coursegen build` and `serve` differ.
//! The pipeline asks the same questions of both; [`NoCache`] (build) answers
//! "nothing" and keeps nothing, so each page leaves memory once written, and
//! [`Memo`](crate::pipeline::memo::Memo) (serve) answers from what the last build kept.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::pipeline::memo::{MemoPage, Stats};
use crate::pipeline::site::Bytes;
use crate::render::markdown::Body;
use crate::render::theme::Theme;
use crate::search::{MadeScript, Part};
use crate::source::config::Config;
use crate::source::input::Input;
use crate::source::input::Overrides;

/// What one build made that a cache may keep for the next: handed over once,
/// at the end of the build, and only when [`Cache::keeps`] said so.
#[derive(Default)]
pub struct Made {
    /// Each page's rendered body, by source path.
    pub bodies: Vec<(String, Arc<Body>)>,
    /// Every HTML file the theme made, by output path, with the hash of what
    /// it was made from.
    pub html: Vec<(String, u64, Bytes)>,
    /// Each page's part of the search index, by URL, with its inputs' hash.
    pub parts: Vec<(String, u64, Arc<Part>)>,
    /// The search text scripts with the parts they hold.
    pub scripts: Vec<MadeScript>,
}

/// The build's questions to what came before it. Lookups take `&self`, so
/// the pages ask them from every core at once.
pub trait Cache: Sync {
    /// Starts a build with `config`: anything kept under another is dropped.
    fn start(&mut self, config: &Config);

    /// Whether this build's results are kept ([`Cache::keep`]): when not,
    /// the pipeline keeps no page past writing it.
    fn keeps(&self) -> bool;

    /// The last build's parse of the page at `rel`, taken out, when its text
    /// and every file it read are unchanged in `input`.
    fn take_parse(&mut self, rel: &str, input: &Input) -> Option<MemoPage>;

    /// Keeps this build's parse of a page.
    fn keep_parse(&mut self, rel: &str, parsed: MemoPage);

    /// The theme for `overrides`, and a number that changes whenever it is
    /// loaded again (its pages must then render again).
    fn theme(&mut self, overrides: &Overrides) -> Result<(Arc<Theme>, u64), Vec<Diagnostic>>;

    /// The syntax stylesheet.
    fn syntax_css(&mut self) -> Bytes;

    /// The last build's body of a page not parsed again.
    fn body(&self, rel: &str) -> Option<Arc<Body>>;

    /// The HTML the last build made at `out` from inputs hashing to `key`.
    fn html(&self, out: &str, key: u64) -> Option<Bytes>;

    /// The last build's search part for `url` made from inputs hashing to `key`.
    fn part(&self, url: &str, key: u64) -> Option<Arc<Part>>;

    /// The last build's text script `n`, if it was made of these very parts.
    fn script(&self, n: usize, parts: &[Arc<Part>]) -> Option<Arc<str>>;

    /// Keeps what this build made, replacing what the last one kept.
    fn keep(&mut self, made: Made);

    /// Counts of what this build reused and made, for logs and tests.
    fn stats(&mut self) -> &mut Stats;
}

/// The cache of a one-shot build: nothing to reuse, nothing kept; it only
/// holds the theme for the build's length.
#[derive(Default)]
pub struct NoCache {
    theme: Option<Arc<Theme>>,
    stats: Stats,
}

impl Cache for NoCache {
    fn start(&mut self, _: &Config) {}

    fn keeps(&self) -> bool {
        false
    }

    fn take_parse(&mut self, _: &str, _: &Input) -> Option<MemoPage> {
        None
    }

    fn keep_parse(&mut self, _: &str, _: MemoPage) {}

    fn theme(&mut self, overrides: &Overrides) -> Result<(Arc<Theme>, u64), Vec<Diagnostic>> {
        if let Some(theme) = &self.theme {
            return Ok((Arc::clone(theme), 0));
        }
        let theme = Arc::new(Theme::load(overrides)?);
        self.theme = Some(Arc::clone(&theme));
        Ok((theme, 0))
    }

    fn syntax_css(&mut self) -> Bytes {
        Bytes::from(crate::render::highlight::stylesheet().into_bytes())
    }

    fn body(&self, _: &str) -> Option<Arc<Body>> {
        None
    }

    fn html(&self, _: &str, _: u64) -> Option<Bytes> {
        None
    }

    fn part(&self, _: &str, _: u64) -> Option<Arc<Part>> {
        None
    }

    fn script(&self, _: usize, _: &[Arc<Part>]) -> Option<Arc<str>> {
        None
    }

    fn keep(&mut self, _: Made) {}

    fn stats(&mut self) -> &mut Stats {
        &mut self.stats
    }
}
