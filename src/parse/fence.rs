//! Fenced-code info strings: the language and `key=value` attributes after it.
//!
//! ```text
//! python id=sample title="app.py"
//! ```
//!
//! Bare words after the language (mdBook's `ignore`, `editable`) are kept as flags.

use std::ops::Range;

use crate::model::CodeInfo;
pub use crate::model::attrs::{Attr, Attrs};

/// A problem in an info string, located within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrError {
    pub span: Range<usize>,
    pub message: String,
}

/// A code sample's info string as the model keeps it; an info string that
/// cannot be read shows the sample without language or label (the page
/// parser reports it).
pub fn code_info(info: &str) -> CodeInfo {
    let attrs = parse(info).unwrap_or_default();
    CodeInfo { label: attrs.label(), line_numbers: line_numbers(&attrs).ok().flatten(), lang: attrs.lang, flags: attrs.flags }
}

/// `linenos=true|false` of a code sample: `Ok(None)` when not written, an
/// error naming the attribute for any other value.
pub fn line_numbers(attrs: &Attrs) -> Result<Option<bool>, &Attr> {
    match attrs.attr("linenos") {
        None => Ok(None),
        Some(a) if a.value == "true" => Ok(Some(true)),
        Some(a) if a.value == "false" => Ok(Some(false)),
        Some(a) => Err(a),
    }
}

/// The info string as the author wrote it: the rest of the opening fence line
/// of `fenced` (a block's source, from its fence). `None` when `fenced` does
/// not start with a fence.
///
/// This exists because pulldown-cmark applies CommonMark's backslash escapes
/// to the info string it hands out: `title="say \"hi\""` arrives as
/// `title="say "hi""`, and the quoted value can no longer be read as written.
pub fn raw_info(fenced: &str) -> Option<&str> {
    let line = fenced.lines().next()?.trim_start();
    let rest = line.trim_start_matches(['`', '~']);
    (line.len() - rest.len() >= 3).then(|| rest.trim())
}

/// Parses an info string. mdBook also accepts commas between words
/// (`rust,ignore`), so commas outside quotes separate like spaces.
pub fn parse(info: &str) -> Result<Attrs, AttrError> {
    let mut attrs = Attrs::default();
    let mut words = Words { s: info, pos: 0 };
    if let Some((word, _)) = words.next_word()? {
        attrs.lang = word;
    }
    while let Some((word, span)) = words.next_word()? {
        match word.split_once('=') {
            Some((k, v)) if !k.is_empty() => attrs.pairs.push(Attr { key: k.to_string(), value: v.to_string(), span }),
            Some(_) => {
                return Err(AttrError { span, message: "attribute without a name before `=`".into() });
            }
            None => attrs.flags.push(word),
        }
    }
    Ok(attrs)
}

/// What separates words outside quotes. Skipping and splitting must agree on
/// it: when the skip knew only ASCII spaces and the split stopped at any
/// Unicode space, a no-break space after the language made an endless run of
/// empty words (issue 23).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ','
}

struct Words<'a> {
    s: &'a str,
    pos: usize,
}

impl Words<'_> {
    /// Next word with quotes removed (`title="a b"` → `title=a b`), and its span.
    /// Every word found moves `pos` forward, so a loop over words ends.
    fn next_word(&mut self) -> Result<Option<(String, Range<usize>)>, AttrError> {
        let rest = &self.s[self.pos..];
        self.pos += rest.find(|c: char| !is_separator(c)).unwrap_or(rest.len());
        if self.pos >= self.s.len() {
            return Ok(None);
        }
        let start = self.pos;
        let mut word = String::new();
        let mut chars = self.s[start..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => self.quoted(start + i, &mut chars, &mut word)?,
                c if is_separator(c) => {
                    self.pos = start + i;
                    return Ok(Some((word, start..self.pos)));
                }
                c => word.push(c),
            }
        }
        self.pos = self.s.len();
        Ok(Some((word, start..self.pos)))
    }

    /// The rest of a quoted value after its opening `"` at `quote_at`. `\"` is a
    /// quote (the guide's one escape) and `\\` a backslash, so a value may end
    /// in one; any other backslash is kept, so `"C:\temp"` means what it shows.
    fn quoted(&self, quote_at: usize, chars: &mut std::str::CharIndices<'_>, word: &mut String) -> Result<(), AttrError> {
        loop {
            match chars.next() {
                Some((_, '"')) => return Ok(()),
                Some((_, '\\')) => match chars.clone().next() {
                    Some((_, e @ ('"' | '\\'))) => {
                        chars.next();
                        word.push(e);
                    }
                    _ => word.push('\\'),
                },
                Some((_, ch)) => word.push(ch),
                None => {
                    return Err(AttrError { span: quote_at..self.s.len(), message: "unclosed `\"` in the code block's attributes".into() });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_and_pairs() {
        let a = parse(r#"python id=sample title="app.py""#).unwrap();
        assert_eq!(a.lang, "python");
        assert_eq!(a.get("id"), Some("sample"));
        assert_eq!(a.get("title"), Some("app.py"));
        assert_eq!(a.attr("title").unwrap().span, 17..31);
    }

    #[test]
    fn quoted_values_keep_spaces_and_escapes() {
        let a = parse(r#"flow title="Concept flow: a \"b\"""#).unwrap();
        assert_eq!(a.get("title"), Some(r#"Concept flow: a "b""#));
    }

    #[test]
    fn mdbook_flags_and_commas() {
        let a = parse("rust,ignore editable").unwrap();
        assert_eq!(a.lang, "rust");
        assert_eq!(a.flags, vec!["ignore", "editable"]);
    }

    #[test]
    fn a_unicode_space_after_the_language_separates() {
        let a = parse("python\u{a0}id=x\u{3000}title=\"a\u{a0}b\"").unwrap();
        assert_eq!((a.lang.as_str(), a.get("id"), a.get("title")), ("python", Some("x"), Some("a\u{a0}b")));
        assert_eq!(parse("python\u{a0}").unwrap().flags, Vec::<String>::new());
    }

    #[test]
    fn backslashes_in_quotes() {
        let a = parse(r#"python title="say \"hi\"" path="C:\temp\\" end="\\""#).unwrap();
        assert_eq!(a.get("title"), Some(r#"say "hi""#));
        assert_eq!(a.get("path"), Some(r"C:\temp\"));
        assert_eq!(a.get("end"), Some(r"\"));
        assert!(parse(r#"python title="x\""#).is_err(), "an escaped quote does not close the value");
    }

    #[test]
    fn raw_info_is_the_fence_line_as_written() {
        assert_eq!(raw_info("```python title=\"say \\\"hi\\\"\"\ncode\n```"), Some(r#"python title="say \"hi\"""#));
        assert_eq!(raw_info("  ~~~~ quiz \r\n"), Some("quiz"));
        assert_eq!(raw_info("```\n"), Some(""));
        assert_eq!(raw_info("`` x"), None);
    }

    /// Random info strings from the characters that have broken word splitters:
    /// every Unicode space, quotes, backslashes, `=`, braces, NUL, commas and
    /// multi-byte letters. Each word must move the position forward, so no
    /// input can loop; and nothing may panic.
    #[test]
    fn random_info_strings_always_make_progress() {
        const WHITE_SPACE: [char; 25] = [
            '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}',
            '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}',
            '\u{205f}', '\u{3000}',
        ];
        const OTHERS: [char; 14] = ['"', '\\', '=', '{', '}', '\0', ',', 'a', 'é', '日', '🦀', '\'', '`', '\u{feff}'];
        let alphabet: Vec<char> = WHITE_SPACE.iter().chain(OTHERS.iter()).copied().collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5_000 {
            let len = (next() % 24) as usize;
            let info: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let mut words = Words { s: &info, pos: 0 };
            let mut count = 0;
            loop {
                let before = words.pos;
                match words.next_word() {
                    Ok(Some((_, span))) => {
                        assert!(words.pos > before, "no progress at byte {before} of {info:?}");
                        assert!(span.start >= before && span.end <= info.len(), "{span:?} in {info:?}");
                    }
                    Ok(None) | Err(_) => break,
                }
                count += 1;
                assert!(count <= info.len(), "more words than bytes in {info:?}");
            }
            let _ = parse(&info);
        }
    }

    #[test]
    fn empty_and_errors() {
        assert_eq!(parse("").unwrap(), Attrs::default());
        let e = parse(r#"quiz title="oops"#).unwrap_err();
        assert_eq!(e.span, 11..16);
        assert!(parse("quiz =x").is_err());
    }
}
