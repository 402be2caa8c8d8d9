//! The input of a build: the course's files as loaded, in memory. Everything
//! after loading reads these, never the disk.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::source::config::Config;

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
    /// Files outside the source folder that mdBook's `{{#include}}`
    /// directives name, by path relative to the course folder.
    pub outside: BTreeMap<String, Arc<str>>,
}

impl Input {
    /// The text of a file named as diagnostics name it (relative to the course
    /// folder), for printing snippets.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        match path.strip_prefix(&self.config.src).and_then(|p| p.strip_prefix('/')) {
            Some(rel) => self.text(rel).or_else(|| self.included(path)),
            None => self.outside.get(path).map(|t| &**t),
        }
    }

    /// The text of a file that a directive may include, by its path relative
    /// to the course folder: under the source folder any UTF-8 file (code
    /// listings are not read as text otherwise), else one read for includes.
    pub fn included(&self, path: &str) -> Option<&str> {
        let Some(rel) = path.strip_prefix(&self.config.src).and_then(|p| p.strip_prefix('/')) else {
            return self.outside.get(path).map(|t| &**t);
        };
        let i = self.files.binary_search_by(|f| f.rel.as_str().cmp(rel)).ok()?;
        match &self.files[i].data {
            FileData::Text(t) => Some(t),
            FileData::Binary(b) => std::str::from_utf8(b).ok(),
        }
    }

    /// The text of a file a page's parse read, by its path relative to the
    /// source folder, which may lead out of it (`../listings/a.rs`).
    pub fn lookup(&self, rel: &str) -> Option<&str> {
        if rel.starts_with("../") {
            let path = crate::source::directive::resolve(&format!("{}/.", self.config.src), rel)?;
            return self.included(&path);
        }
        self.text(rel)
    }

    /// `path` (relative to the course folder) relative to the source folder,
    /// as [`Input::lookup`] takes it.
    pub fn relative_to_src(&self, path: &str) -> String {
        match path.strip_prefix(&self.config.src).and_then(|p| p.strip_prefix('/')) {
            Some(rel) => rel.to_string(),
            None => format!("{}{path}", "../".repeat(self.config.src.split('/').filter(|p| !p.is_empty() && *p != ".").count())),
        }
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

/// A course's own theme files that override the default's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `themes/<name>`, relative to the course folder.
    pub dir: String,
    /// `(path relative to dir, bytes)`.
    pub files: Vec<(String, Vec<u8>)>,
}
