//! What one build keeps for the next build of the same course, so `serve`
//! re-parses and re-renders only what an edit touched. Plain data, passed in
//! and out explicitly (no hidden cache): `coursegen build` starts from an empty
//! [`Memo`], so both front-ends run the same code and produce the same bytes.
//!
//! Every entry is keyed by everything its result depends on and is reused only
//! when all of it is unchanged:
//! - a parsed page and its rendered body: the page text, the text of every file
//!   the parse read (quiz TOML), and the config;
//! - a page's finished HTML: a hash of its body, title and front matter, and of
//!   everything every page shares (outline, titles, order, course, theme).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::Page;
use crate::render::markdown::Body;
use crate::site::Bytes;
use crate::theme::{Overrides, Theme};

/// Results of the previous build, for [`crate::site::build_with`].
#[derive(Default)]
pub struct Memo {
    config: Option<Config>,
    pub(crate) pages: HashMap<String, MemoPage>,
    /// Output path → (hash of the inputs, HTML).
    pub(crate) html: HashMap<String, (u64, Bytes)>,
    pub(crate) theme: Option<(Overrides, Theme)>,
    /// Bumped whenever the theme is loaded again, so its pages render again.
    pub(crate) theme_generation: u64,
    pub(crate) syntax_css: Option<Bytes>,
    /// Each page's part of the search index.
    pub(crate) search: crate::search::Cache,
    /// Set by [`Memo::one_shot`]: keep nothing of pages (parses, bodies,
    /// HTML) past the build.
    pub(crate) forget: bool,
    /// How much the last build reused, for logs and tests.
    pub stats: Stats,
}

/// What the last build parsed and rendered afresh, and what it reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pages parsed (and their bodies rendered) afresh.
    pub parsed: usize,
    /// Pages whose parse and body were reused.
    pub reused_pages: usize,
    /// Pages put through the theme's template afresh.
    pub rendered: usize,
    /// Pages whose finished HTML was reused.
    pub reused_html: usize,
    /// Pages indexed for search afresh.
    pub indexed: usize,
}

/// One page as parsed and rendered, with what it was made from.
pub(crate) struct MemoPage {
    /// Files the parse read, and their text then (`None`: missing).
    pub deps: Vec<(String, Option<String>)>,
    pub page: Page,
    pub parse_diags: Vec<Diagnostic>,
    pub body: Option<Body>,
}

impl Memo {
    /// A memo for a single build (`coursegen build`): it holds the theme, and
    /// nothing of the pages, so each page's HTML leaves memory once written.
    pub(crate) fn one_shot() -> Memo {
        Memo { forget: true, ..Memo::default() }
    }

    /// Starts a build with `config`: anything kept under another config is dropped.
    pub(crate) fn start(&mut self, config: &Config) {
        if self.config.as_ref() != Some(config) {
            *self = Memo { syntax_css: self.syntax_css.take(), forget: self.forget, ..Memo::default() };
            self.config = Some(config.clone());
        }
        self.stats = Stats::default();
    }

    /// The theme for `overrides`, loaded again only when they changed.
    pub(crate) fn theme(&mut self, overrides: &Overrides) -> Result<&Theme, Vec<Diagnostic>> {
        let same = self.theme.as_ref().is_some_and(|(o, _)| o.dir == overrides.dir && o.files == overrides.files);
        if !same {
            self.theme = None;
            let theme = Theme::load(overrides)?;
            self.theme_generation += 1;
            self.theme = Some((overrides.clone(), theme));
        }
        match &self.theme {
            Some((_, t)) => Ok(t),
            None => Err(Vec::new()),
        }
    }
}

/// Finished HTML: what the last build left (`old`) and what this one keeps
/// (`new`, which replaces it in [`HtmlStore::finish`]), so pages that are gone
/// are dropped.
pub(crate) struct HtmlStore<'m> {
    old: &'m mut HashMap<String, (u64, Bytes)>,
    new: HashMap<String, (u64, Bytes)>,
    /// `false` for a one-shot build: nothing is kept.
    keep: bool,
}

impl<'m> HtmlStore<'m> {
    pub(crate) fn new(old: &'m mut HashMap<String, (u64, Bytes)>, keep: bool) -> Self {
        HtmlStore { old, new: HashMap::new(), keep }
    }

    /// The HTML the last build made for `out` from inputs hashing to `key`.
    pub(crate) fn reuse(&mut self, out: &str, key: u64) -> Option<Bytes> {
        let (k, html) = self.old.remove(out).filter(|(k, _)| *k == key)?;
        self.new.insert(out.to_string(), (k, Bytes::clone(&html)));
        Some(html)
    }

    /// Keeps freshly made HTML for the next build.
    pub(crate) fn keep(&mut self, out: &str, key: u64, html: Bytes) {
        if self.keep {
            self.new.insert(out.to_string(), (key, html));
        }
    }

    pub(crate) fn finish(self) {
        *self.old = self.new;
    }
}

/// A hash of what a result is made from (a tuple of its inputs). Issue 8:
/// hashing their `Debug` text instead took a fifth of a rebuild at 5,000
/// lessons.
pub(crate) fn hash_of<T: Hash + ?Sized>(inputs: &T) -> u64 {
    let mut h = DefaultHasher::new();
    inputs.hash(&mut h);
    h.finish()
}
