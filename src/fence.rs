//! Fenced-code info strings: the language and `key=value` attributes after it.
//!
//! ```text
//! python id=sample title="app.py"
//! ```
//!
//! Bare words after the language (mdBook's `ignore`, `editable`) are kept as flags.

use std::ops::Range;

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

/// A problem in an info string, located within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrError {
    pub span: Range<usize>,
    pub message: String,
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

struct Words<'a> {
    s: &'a str,
    pos: usize,
}

impl Words<'_> {
    /// Next word with quotes removed (`title="a b"` → `title=a b`), and its span.
    fn next_word(&mut self) -> Result<Option<(String, Range<usize>)>, AttrError> {
        let bytes = self.s.as_bytes();
        while self.pos < bytes.len() && (bytes[self.pos].is_ascii_whitespace() || bytes[self.pos] == b',') {
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return Ok(None);
        }
        let start = self.pos;
        let mut word = String::new();
        let mut chars = self.s[start..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    let quote_at = start + i;
                    loop {
                        match chars.next() {
                            Some((_, '"')) => break,
                            Some((_, '\\')) => {
                                if let Some((_, e)) = chars.next() {
                                    word.push(e);
                                }
                            }
                            Some((_, ch)) => word.push(ch),
                            None => {
                                return Err(AttrError {
                                    span: quote_at..self.s.len(),
                                    message: "unclosed `\"` in the code block's attributes".into(),
                                });
                            }
                        }
                    }
                }
                c if c.is_whitespace() || c == ',' => {
                    self.pos = start + i;
                    return Ok(Some((word, start..self.pos)));
                }
                c => word.push(c),
            }
        }
        self.pos = self.s.len();
        Ok(Some((word, start..self.pos)))
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
    fn empty_and_errors() {
        assert_eq!(parse("").unwrap(), Attrs::default());
        let e = parse(r#"quiz title="oops"#).unwrap_err();
        assert_eq!(e.span, 11..16);
        assert!(parse("quiz =x").is_err());
    }
}
