//! Bytes of a text file → the text the parsers see: UTF-8 or a located error,
//! and for the files we parse, no byte order mark and `\n` line ends.

use std::sync::Arc;

use super::Loaded;
use crate::diag::Diagnostic;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of `bytes` (the file `shown`), or `None` after reporting where it
/// is not UTF-8. For `parsed` files (Markdown, TOML) a UTF-8 byte order mark is
/// dropped, since Windows editors write one and front matter after it would
/// not be seen, and CRLF or CR line ends become `\n`, since the parsers and the
/// line table count `\n` only.
pub(super) fn decode(mut bytes: Vec<u8>, shown: &str, parsed: bool, loaded: &mut Loaded) -> Option<Arc<str>> {
    let bom = if parsed && bytes.starts_with(BOM) { BOM.len() } else { 0 };
    bytes.drain(..bom);
    match String::from_utf8(bytes) {
        Ok(t) if parsed => Some(unix_newlines(t).into()),
        Ok(t) => Some(t.into()),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The line and column are those of the text shown, which is
            // changed the same way as valid text would have been.
            let (shown_text, span_at) =
                if parsed { (unix_newlines(lossy.clone()), unix_newlines(lossy[..at].to_string()).len()) } else { (lossy, at) };
            loaded.diags.push(
                Diagnostic::error(shown, span_at..span_at, format!("invalid UTF-8 at byte {}", at + bom))
                    .with_hint("save the file as UTF-8"),
            );
            loaded.other_texts.insert(shown.to_string(), shown_text);
            None
        }
    }
}

/// `text` with every `\r\n` and lone `\r` made `\n`; unchanged (no copy)
/// when it has no `\r`, as nearly every file.
fn unix_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_become_newlines() {
        assert_eq!(unix_newlines("a\r\nb\rc\n\r\rd\r".into()), "a\nb\nc\n\n\nd\n");
        assert_eq!(unix_newlines("plain\n".into()), "plain\n");
    }

    #[test]
    fn a_bom_is_dropped_from_parsed_files_only() {
        let mut loaded = Loaded::default();
        let md = decode(b"\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\n".to_vec(), "a.md", true, &mut loaded);
        assert_eq!(md.as_deref(), Some("---\ntitle: T\n---\n"));
        let html = decode(b"\xEF\xBB\xBF<p>\r\n".to_vec(), "a.html", false, &mut loaded);
        assert_eq!(html.as_deref(), Some("\u{feff}<p>\r\n"));
        assert!(loaded.diags.is_empty());
    }

    #[test]
    fn invalid_utf8_names_the_byte_and_points_at_it() {
        let mut loaded = Loaded::default();
        let bytes = b"\xEF\xBB\xBFok\r\nbad \xff\r\n".to_vec();
        assert!(decode(bytes, "a.md", true, &mut loaded).is_none());
        let d = &loaded.diags[0];
        assert_eq!(d.message, "invalid UTF-8 at byte 11");
        let shown = &loaded.other_texts["a.md"];
        let text = crate::diag::render_text(std::slice::from_ref(d), |_| Some(shown.as_str()));
        assert!(text.starts_with("a.md:2:5: error: invalid UTF-8 at byte 11"), "{text}");
    }
}
