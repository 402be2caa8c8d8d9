//! What one build keeps for the next build of the same course, so `serve`
//! re-parses and re-renders only what an edit touched: the
//! [`Cache`](crate::pipeline::cache::Cache) of `serve`. Plain data, passed in
//! and out explicitly (no hidden cache): `coursegen build` runs the same
//! pipeline with a cache that keeps nothing, so both produce the same bytes.
//!
//! Every entry is keyed by everything its result depends on and is reused only
//! when all of it is unchanged:
//! - a parsed page and its rendered body: the page text, the text of every file
//!   the parse read (quiz TOML), and the config;
//! - a page's finished HTML: a hash of its body, title and front matter, and of
//!   everything every page shares (outline, titles, order, course, theme);
//! - a page's search part: its place, URL, title and headings, for a page not
//!   parsed again.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::pipeline::cache::{Cache, Made};
use crate::pipeline::site::Bytes;
use crate::render::markdown::Body;
use crate::render::theme::Theme;
use crate::search::{MadeScript, Part};
use crate::source::config::Config;
use crate::source::input::Input;
use crate::source::input::Overrides;

/// Results of the previous build, for [`crate::pipeline::site::build_with`].
#[derive(Default)]
pub struct Memo {
    config: Option<Config>,
    /// This build's parses; the last build's until [`Cache::start`].
    pages: HashMap<String, MemoPage>,
    /// The last build's parses, while this build takes what it reuses.
    previous: HashMap<String, MemoPage>,
    /// Output path → (hash of the inputs, HTML).
    html: HashMap<String, (u64, Bytes)>,
    theme: Option<(Overrides, Arc<Theme>)>,
    /// Bumped whenever the theme is loaded again, so its pages render again.
    theme_generation: u64,
    syntax_css: Option<Bytes>,
    /// URL → each page's part of the search index and its inputs' hash
    /// (shared with the index, not copied: 22 MB at 5,000 lessons).
    parts: HashMap<String, (u64, Arc<Part>)>,
    /// The last index's text scripts, each with the parts it was made of:
    /// after an edit, only the script holding the edited page is made again
    /// (and `serve` sees the others unchanged without comparing them).
    scripts: Vec<MadeScript>,
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
pub struct MemoPage {
    /// Files the parse read, and their text then (`None`: missing).
    pub deps: Vec<(String, Option<String>)>,
    pub page: Page,
    pub parse_diags: Vec<Diagnostic>,
    pub body: Option<Arc<Body>>,
}

impl Cache for Memo {
    fn start(&mut self, config: &Config) {
        if self.config.as_ref() != Some(config) {
            *self = Memo { syntax_css: self.syntax_css.take(), ..Memo::default() };
            self.config = Some(config.clone());
        }
        self.previous = std::mem::take(&mut self.pages);
        self.stats = Stats::default();
    }

    fn keeps(&self) -> bool {
        true
    }

    fn take_parse(&mut self, rel: &str, input: &Input) -> Option<MemoPage> {
        let text = input.text(rel)?;
        self.previous
            .remove(rel)
            .filter(|e| same_text(e.page.written_text(), text) && e.deps.iter().all(|(d, t)| input.lookup(d) == t.as_deref()))
    }

    fn keep_parse(&mut self, rel: &str, parsed: MemoPage) {
        self.pages.insert(rel.to_string(), parsed);
    }

    fn theme(&mut self, overrides: &Overrides) -> Result<(Arc<Theme>, u64), Vec<Diagnostic>> {
        match &self.theme {
            Some((o, theme)) if o.dir == overrides.dir && o.files == overrides.files => Ok((Arc::clone(theme), self.theme_generation)),
            _ => {
                self.theme = None;
                let theme = Arc::new(Theme::load(overrides)?);
                self.theme_generation += 1;
                self.theme = Some((overrides.clone(), Arc::clone(&theme)));
                Ok((theme, self.theme_generation))
            }
        }
    }

    fn syntax_css(&mut self) -> Bytes {
        Bytes::clone(self.syntax_css.get_or_insert_with(|| Bytes::from(crate::render::highlight::stylesheet().into_bytes())))
    }

    fn body(&self, rel: &str) -> Option<Arc<Body>> {
        self.pages.get(rel)?.body.clone()
    }

    fn html(&self, out: &str, key: u64) -> Option<Bytes> {
        self.html.get(out).filter(|(k, _)| *k == key).map(|(_, html)| Bytes::clone(html))
    }

    fn part(&self, url: &str, key: u64) -> Option<Arc<Part>> {
        self.parts.get(url).filter(|(k, _)| *k == key).map(|(_, part)| Arc::clone(part))
    }

    fn script(&self, n: usize, parts: &[Arc<Part>]) -> Option<Arc<str>> {
        self.scripts.get(n).filter(|(was, _)| same_parts(was, parts)).map(|(_, js)| Arc::clone(js))
    }

    fn keep(&mut self, made: Made) {
        for (rel, body) in made.bodies {
            if let Some(entry) = self.pages.get_mut(&rel) {
                entry.body = Some(body);
            }
        }
        // Replaced whole: what this build did not make (a page gone) is dropped.
        self.html = made.html.into_iter().map(|(out, key, html)| (out, (key, html))).collect();
        self.parts = made.parts.into_iter().map(|(url, key, part)| (url, (key, part))).collect();
        self.scripts = made.scripts;
        self.previous.clear();
    }

    fn stats(&mut self) -> &mut Stats {
        &mut self.stats
    }
}

/// Whether two texts are equal; the same bytes (a page's text and the input
/// it was parsed from, while the file is unchanged) are known at once.
fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Whether two runs of parts are the very same parts (not equal copies).
fn same_parts(a: &[Arc<Part>], b: &[Arc<Part>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

/// A hash of what a result is made from (a tuple of its inputs). Issue 8:
/// hashing their `Debug` text instead took a fifth of a rebuild at 5,000
/// lessons.
pub(crate) fn hash_of<T: Hash + ?Sized>(inputs: &T) -> u64 {
    let mut h = DefaultHasher::new();
    inputs.hash(&mut h);
    h.finish()
}
