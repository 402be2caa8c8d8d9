//! Escaping author text for the places it lands: HTML text and attributes, and
//! JSON inside `<script>`.

/// Escapes `& < > " '` for HTML text and double- or single-quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&`
/// are written as `\u` escapes, so author text can never close the script
/// element or open a comment; U+2028/2029 are escaped for old parsers.
pub fn json_for_script<T: serde::Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    // Copies the stretches between escapes whole: a character at a time made
    // this a fifth of building the search index (issue 8).
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 16);
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (escape, len) = match b {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA8]) => ("\\u2028", 3),
            0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA9]) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&json[copied..i]);
        out.push_str(escape);
        copied = i + len;
    }
    out.push_str(&json[copied..]);
    out
}

/// A JavaScript string literal of `text` (JSON), compact for markup: only the
/// `<` of `</` and `<!--` is escaped, which is all a script element needs so
/// that the literal can never close it or open a comment; U+2028/2029 are
/// escaped for old parsers. For long HTML strings such as the contents tree,
/// where [`json_for_script`] would escape every tag.
pub fn js_string(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(json.len() + 16);
    let mut rest = json.as_str();
    while let Some(i) = rest.find(['<', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let c = tail.chars().next().unwrap_or('<');
        if c == '<' && !(tail.starts_with("</") || tail.starts_with("<!")) {
            out.push('<');
        } else {
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{:04x}", c as u32));
        }
        rest = &tail[c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html() {
        assert_eq!(escape_html(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn json_cannot_close_a_script() {
        let text = "</script><!-- & \u{2028}\u{2029} é–中 \u{2027}";
        let s = json_for_script(&text);
        assert!(!s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{s}");
        assert!(s.contains("é–中 \u{2027}"), "other characters stay as they are: {s}");
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn js_string_cannot_close_a_script_and_keeps_other_tags() {
        let text = "<ol class=\"x\"><li>a</li></ol></SCRIPT><!-- \u{2028}\u{2029} é";
        let s = js_string(text);
        assert!(!s.contains("</") && !s.contains("<!") && !s.contains('\u{2028}') && !s.contains('\u{2029}'), "{s}");
        assert!(s.contains("<ol class=\\\"x\\\"><li>"), "plain tags stay short: {s}");
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, text);
    }
}
