//! Where a build puts its finished files, one at a time, as soon as each is
//! made. The build does not know whether they go to memory (`serve`, tests)
//! or to disk (`coursegen build`, see [`crate::cmd::output::Staging`]).
//!
//! This exists because of issue 8: holding every page of a 1,000-lesson course
//! until the end of the build cost ~250 MiB; a sink lets each page leave
//! memory as soon as it is rendered.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::error::Error;
use crate::pipeline::site::{Bytes, Site};

/// Receives finished site files. Called from every core at once.
pub trait Sink: Sync {
    /// Stores `bytes` at `path` (relative, `/`-separated), replacing any file
    /// an earlier call put there.
    fn put(&self, path: &str, bytes: Bytes) -> Result<(), Error>;

    /// [`Sink::put`] for bytes nobody else holds: a sink that only writes
    /// them needs no shared copy (a page is tens of KB; issue 8).
    fn put_owned(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.put(path, Bytes::from(bytes))
    }
}

/// Keeps the files in memory, for `serve` and the tests.
#[derive(Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Bytes>>,
}

impl Memory {
    /// The files put so far, as a site with `pages` lesson pages.
    pub fn into_site(self, pages: usize) -> Site {
        Site { files: self.files.into_inner().unwrap_or_else(|p| p.into_inner()), pages }
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: Bytes) -> Result<(), Error> {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_string(), bytes);
        Ok(())
    }
}
