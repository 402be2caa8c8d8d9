//! A fenced block's info string as parsed (`python id=sample title="app.py"`):
//! its language, its `key=value` attributes with where each was written, and
//! its bare words. Parsed by `parse::fence`; the blocks of the model keep it.

use std::ops::Range;

use super::{Label, Name};

/// The parsed info string of a fenced code block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    /// The first word (`python`, `flow`…); may be empty.
    pub lang: String,
    /// `key=value` pairs in the order written.
    pub pairs: Vec<Attr>,
    /// Bare words after the language.
    pub flags: Vec<String>,
}

/// One `key=value` attribute, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub key: String,
    pub value: String,
    /// Byte range of `key=value`: within the info string from [`parse`]; the page
    /// parser moves it to the page's offsets.
    pub span: Range<usize>,
}

impl Attrs {
    /// The value of `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|a| a.key == key).map(|a| a.value.as_str())
    }

    /// The attribute `key`, with its span.
    pub fn attr(&self, key: &str) -> Option<&Attr> {
        self.pairs.iter().find(|a| a.key == key)
    }

    /// The value of `key` with where it is written, as the model keeps it.
    pub fn name(&self, key: &str) -> Option<Name> {
        self.attr(key).map(|a| Name { value: a.value.clone(), span: a.span.clone() })
    }

    /// `id=` and `title=`, as every block's [`Label`].
    pub fn label(&self) -> Label {
        Label { id: self.name("id"), title: self.get("title").map(str::to_string) }
    }
}
