//! The links of an author's text that came out of YAML or TOML (a quiz hint, a
//! step cell), located in the file where they are written.
//!
//! A decoded string is not a slice of its file: quotes, escapes and the
//! indentation of a block scalar are gone. So the decoded text is aligned with
//! its source, character by character, which puts each link back at the bytes
//! the author wrote. The cross-reference checker reports broken links there.

use pulldown_cmark::{Event, LinkType, Tag};

use super::{Fragment, markdown_options};
use crate::model::{Link, Place};

/// How far ahead in the source a decoded character is looked for: past a
/// quote, an escape (`\u00e9`) or a block scalar's indentation, not further,
/// so one character that is not in the source (an escaped `\n`) cannot make
/// the rest of the text skip ahead.
const LOOKAHEAD: usize = 64;

/// Where an author's text came from.
pub struct Written<'a> {
    /// The source from where the value starts (its quote, `|` or first
    /// character) to the end of what was parsed: the alignment stops when
    /// the decoded text does.
    pub source: &'a str,
    /// The file offset of a byte offset in `source`.
    pub to_file: &'a dyn Fn(usize) -> usize,
    /// The file, when it is not the page (a quiz file).
    pub file: Option<&'a str>,
    pub place: Place,
}

/// Adds the links and images of the Markdown text `md`, written at `at`, to `out`.
pub fn collect(md: &str, at: &Written<'_>, out: &mut Vec<Link>) {
    // Nearly every text has no link: no Markdown parse for those.
    if !md.contains('[') {
        return;
    }
    let found = of_markdown(md);
    if found.is_empty() {
        return;
    }
    let mut wanted: Vec<usize> = found.iter().flat_map(|(_, r, _)| [r.start, r.end]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let placed = align(md, at.source, &wanted);
    let source_of = |decoded: usize| placed[wanted.partition_point(|&w| w < decoded)];
    for (dest, r, image) in found {
        let start = (at.to_file)(source_of(r.start).0);
        let end = (at.to_file)(source_of(r.end).1).max(start);
        out.push(Link { dest, span: start..end, file: at.file.map(str::to_string), image, place: at.place });
    }
}

/// [`collect`] for a text of a block's body whose value starts at `start` of
/// the body's text.
pub fn in_body(body: &Fragment, start: usize, md: &str, place: Place, out: &mut Vec<Link>) {
    let to_file = |i: usize| body.to_file(start + i);
    collect(md, &Written { source: body.text.get(start..).unwrap_or_default(), to_file: &to_file, file: None, place }, out);
}

/// The links and images of a Markdown text, with their ranges in it. Email
/// autolinks are not links to check.
pub fn of_markdown(md: &str) -> Vec<(String, std::ops::Range<usize>, bool)> {
    pulldown_cmark::Parser::new_ext(md, markdown_options())
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Link { dest_url, link_type, .. }) if link_type != LinkType::Email => Some((dest_url.to_string(), r, false)),
            Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url.to_string(), r, true)),
            _ => None,
        })
        .collect()
}

/// For each offset in `wanted` (ascending char boundaries of `decoded`, its
/// end included), its offset in `source` as the start of a link and as the
/// end of one: each decoded character is matched with the next equal
/// character of the source within [`LOOKAHEAD`] bytes, else stays where the
/// last match ended. Linear in the text.
fn align(decoded: &str, source: &str, wanted: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(wanted.len());
    // Just past the source character matched last.
    let mut j = 0;
    for (i, c) in decoded.char_indices() {
        if out.len() == wanted.len() {
            break;
        }
        let window = source.get(j..).unwrap_or_default();
        let found = window.char_indices().take_while(|(k, _)| *k < LOOKAHEAD).find(|(_, s)| *s == c).map(|(k, _)| k);
        let at = found.map_or(j, |k| j + k);
        while wanted.get(out.len()) == Some(&i) {
            out.push((at, j));
        }
        if let Some(k) = found {
            j += k + c.len_utf8();
        }
    }
    out.resize(wanted.len(), (j, j));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(md: &str, source: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let to_file = |i: usize| i;
        collect(md, &Written { source, to_file: &to_file, file: None, place: Place::Prose }, &mut out);
        out.into_iter().map(|l| (l.dest, source[l.span].to_string())).collect()
    }

    #[test]
    fn a_plain_scalar_is_its_source() {
        assert_eq!(located("See [s](#step-2).", "See [s](#step-2).\n"), [("#step-2".to_string(), "[s](#step-2)".to_string())]);
    }

    #[test]
    fn quotes_and_escapes_are_stepped_over() {
        let source = r#""say \"hi\" at [row](#step-2)""#;
        assert_eq!(located("say \"hi\" at [row](#step-2)", source)[0].1, "[row](#step-2)");
    }

    #[test]
    fn a_block_scalar_loses_its_indentation() {
        let source = "|\n      First line.\n      See [b](b.md#x) and ![i](i.png).\n  next: key\n";
        let got = located("First line.\nSee [b](b.md#x) and ![i](i.png).\n", source);
        assert_eq!(got, [("b.md#x".into(), "[b](b.md#x)".into()), ("i.png".into(), "![i](i.png)".into())]);
    }

    #[test]
    fn a_folded_scalar_keeps_links_on_later_lines_in_place() {
        let source = ">-\n    Flask opens the session\n    first; see [step 2](#step-2).\n";
        assert_eq!(located("Flask opens the session first; see [step 2](#step-2).", source)[0].1, "[step 2](#step-2)");
    }
}
