//! What a build gives, and the three ways the front-ends call it: in memory
//! ([`build`], for `check` and the tests), streamed to a sink ([`build_into`],
//! for `coursegen build`) and with the last build's results ([`build_with`],
//! for `serve`). All three are [`crate::pipeline::build`] with another sink
//! or cache.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::Page;
use crate::pipeline::memo::Memo;
use crate::pipeline::sink::{self, Sink};
use crate::pipeline::{self, Cache, NoCache};
use crate::render::highlight::Highlighter;
use crate::source::input::Input;

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
