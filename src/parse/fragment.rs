//! A piece of a page's text as a block sees it, with the way back to file offsets.
//!
//! A fenced block inside a list or a blockquote has its indentation removed by the
//! Markdown parser, so the YAML we parse is not a plain slice of the file. This
//! keeps, for each line, where it came from, so a YAML error at offset `n` of the
//! block still points at the right line and column of the file.

use std::ops::Range;

/// Text assembled from pieces of a source file.
#[derive(Debug, Clone, Default)]
pub struct Fragment {
    pub text: String,
    /// `(offset in text, offset in file)` at the start of each piece, ascending.
    pieces: Vec<(usize, usize)>,
    /// File offset just past the last piece (or where an empty body would be).
    end: usize,
}

impl Fragment {
    /// An empty fragment located at file offset `at`.
    pub fn empty_at(at: usize) -> Self {
        Self { text: String::new(), pieces: Vec::new(), end: at }
    }

    /// Appends `s`, which was read from file offset `at`.
    pub fn push(&mut self, s: &str, at: usize) {
        self.pieces.push((self.text.len(), at));
        self.text.push_str(s);
        self.end = at + s.len();
    }

    /// File offset of fragment offset `off`.
    pub fn to_file(&self, off: usize) -> usize {
        let i = self.pieces.partition_point(|&(t, _)| t <= off);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(t, f)) => f + (off - t),
            None => self.end,
        }
    }

    /// File range of a fragment range.
    pub fn range_to_file(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.to_file(r.start);
        start..self.to_file(r.end).max(start)
    }

    /// File offset where the fragment starts.
    pub fn start(&self) -> usize {
        self.pieces.first().map_or(self.end, |&(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_across_pieces() {
        // "  > a: 1\n  > b: 2\n" with the "  > " prefixes stripped.
        let mut f = Fragment::default();
        f.push("a: 1\n", 4);
        f.push("b: 2\n", 13);
        assert_eq!(f.text, "a: 1\nb: 2\n");
        assert_eq!(f.to_file(0), 4);
        assert_eq!(f.to_file(5), 13);
        assert_eq!(f.to_file(8), 16);
        assert_eq!(f.range_to_file(&(5..6)), 13..14);
        assert_eq!(Fragment::empty_at(7).to_file(0), 7);
    }
}
