//! The whole build as one pure function: loaded files in, site files out.
//!
//! `build` (write to disk), `serve` (keep in memory) and the tests all call
//! [`build`]; only where the input comes from and where the output goes differ.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::memo::Memo;
use crate::model::Page;
use crate::pipeline::{self, Cache, NoCache};
use crate::render::highlight::Highlighter;
use crate::sink::{self, Sink};
use crate::theme::Overrides;

/// A file under the source folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the source folder, `/`-separated.
    pub rel: String,
    pub data: FileData,
}

/// Text files are checked for UTF-8 when loaded; the rest is copied as is.
/// A page's text is shared with its parsed [`Page`], so `serve` tells an
/// unchanged page by its address, not by comparing 22 MB at 5,000 lessons.
#[derive(Debug, Clone)]
pub enum FileData {
    Text(Arc<str>),
    Binary(Vec<u8>),
}

/// Everything a build reads.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub config: Config,
    /// Files under the source folder, sorted by path.
    pub files: Vec<SourceFile>,
    pub theme: Overrides,
    /// Files under the source folder that exist but could not be read (their
    /// problem is already reported); not "missing" for SUMMARY.md.
    pub unreadable: Vec<String>,
}

impl Input {
    /// The text of a file named as diagnostics name it (relative to the course
    /// folder), for printing snippets.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        let rel = path.strip_prefix(&self.config.src)?.strip_prefix('/')?;
        self.text(rel)
    }

    /// The text of the file at `rel` under the source folder.
    pub(crate) fn text(&self, rel: &str) -> Option<&str> {
        self.shared_text(rel).map(|t| &**t)
    }

    pub(crate) fn shared_text(&self, rel: &str) -> Option<&Arc<str>> {
        let i = self.files.binary_search_by(|f| f.rel.as_str().cmp(rel)).ok()?;
        match &self.files[i].data {
            FileData::Text(t) => Some(t),
            FileData::Binary(_) => None,
        }
    }
}

/// Things expensive to make, made once and reused across builds.
#[derive(Default)]
pub struct Tools {
    pub highlighter: Highlighter,
}

/// The contents of one output file. Shared, so `serve` keeps a page that did
/// not change from one build to the next without copying it (a page of a
/// 1,000-lesson course is ~250 KB, most of it navigation).
pub type Bytes = std::sync::Arc<[u8]>;

/// The finished site: output paths (relative, `/`-separated) and contents.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: BTreeMap<String, Bytes>,
    /// How many lesson pages (not counting the home and 404 pages).
    pub pages: usize,
}

/// What a build produced: a site when there were no errors, every diagnostic,
/// and the parsed pages (for `check`).
pub struct Outcome {
    pub site: Option<Site>,
    pub diags: Vec<Diagnostic>,
    pub pages: Vec<Page>,
}

/// What [`build_into`] produced: how many lesson pages it wrote (`None`: the
/// build had errors, and what was written must be discarded), every
/// diagnostic, and the parsed pages.
pub struct Streamed {
    pub written: Option<usize>,
    pub diags: Vec<Diagnostic>,
    pub pages: Vec<Page>,
}

/// Builds the site from `input`, in memory.
pub fn build(input: &Input, tools: &Tools) -> Outcome {
    in_memory(input, tools, &mut NoCache::default())
}

/// [`build`], putting every file into `sink` as soon as it is made and keeping
/// none of them: the files of `coursegen build` (issue 8). Only `sink` fails.
pub fn build_into(input: &Input, tools: &Tools, sink: &dyn Sink) -> Result<Streamed, Error> {
    pipeline::build(input, tools, &mut NoCache::default(), sink)
}

/// [`build`], reusing what `memo` kept from the previous build of the same
/// course (unchanged pages are neither parsed nor rendered again) and keeping
/// this build's results in it. The output is the same as [`build`]'s.
pub fn build_with(input: &Input, tools: &Tools, memo: &mut Memo) -> Outcome {
    in_memory(input, tools, memo)
}

fn in_memory(input: &Input, tools: &Tools, cache: &mut dyn Cache) -> Outcome {
    let files = sink::Memory::default();
    match pipeline::build(input, tools, cache, &files) {
        Ok(s) => Outcome { site: s.written.map(|n| files.into_site(n)), diags: s.diags, pages: s.pages },
        // The memory sink does not fail; should it, say so rather than panic.
        Err(e) => Outcome { site: None, diags: vec![Diagnostic::error(String::new(), 0..0, e.to_string())], pages: Vec::new() },
    }
}
