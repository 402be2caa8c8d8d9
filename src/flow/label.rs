//! Label text as Mermaid authors write it: `<br>` and `\n` breaks, `#quot;`-style and HTML
//! entities, `"`…`"` Markdown strings, Font Awesome `fa:` icons and inline HTML tags, all
//! turned into plain text with at most a whole-label bold or italic; nothing here is HTML.

use crate::model::flow::Style;

/// A label's plain text and the styling its markup asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Label {
    /// Plain text; `\n` is a line break.
    pub text: String,
    /// Bold or italic, when the whole label was marked so.
    pub style: Style,
}

/// Most characters a label keeps; a longer one is cut, since no diagram node can show it.
const MAX_LABEL_CHARS: usize = 2000;

/// Reads a label as written between a shape's brackets or an edge's bars, quotes removed.
pub(super) fn label(raw: &str) -> Label {
    let raw: String = raw.chars().take(MAX_LABEL_CHARS).collect();
    let (body, markdown) = match raw.trim().strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Some(inner) => (inner.to_string(), true),
        None => (raw, false),
    };
    let mut style = Style::default();
    let text = strip_tags(&body, &mut style);
    let text = decode_entities(&text);
    let text = strip_icons(&text);
    let text = if markdown { markdown_text(&text, &mut style) } else { text };
    let text = text.replace("\\n", "\n");
    let text = text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty());
    Label { text: text.collect::<Vec<_>>().join("\n"), style }
}

/// `<br>` in any spelling becomes a break; `<b>`/`<strong>` and `<i>`/`<em>` around the
/// whole label become bold or italic; every other tag is dropped, its text kept.
fn strip_tags(s: &str, style: &mut Style) -> String {
    let lower = s.trim().to_ascii_lowercase();
    let wrapped = |open: &[&str], close: &[&str]| open.iter().any(|o| lower.starts_with(o)) && close.iter().any(|c| lower.ends_with(c));
    if wrapped(&["<b>", "<strong>"], &["</b>", "</strong>"]) {
        style.font_weight = Some("bold".to_string());
    }
    if wrapped(&["<i>", "<em>"], &["</i>", "</em>"]) {
        style.italic = true;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let tag_end = tail.find('>').filter(|&end| is_tag(&tail[1..end]));
        match tag_end {
            Some(end) => {
                let name = tail[1..end].trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
                if name.eq_ignore_ascii_case("br") {
                    out.push('\n');
                } else if ["sub", "sup", "span", "small"].iter().any(|t| name.eq_ignore_ascii_case(t)) {
                    // Keep the words of `H<sub>2</sub>O` apart from nothing, together.
                } else if !out.ends_with(char::is_whitespace) {
                    out.push(' ');
                }
                rest = &tail[end + 1..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// True for the inside of `<…>` that looks like an HTML tag (`b`, `/i`, `br/`, `a href=x`),
/// so `a < b > c` stays text.
fn is_tag(inner: &str) -> bool {
    let name = inner.strip_prefix('/').unwrap_or(inner);
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.split(|c: char| c.is_whitespace() || c == '/').next().is_some_and(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The named entities authors use in diagram labels, Mermaid's `#name;` and HTML's `&name;`.
const ENTITIES: [(&str, char); 12] = [
    ("quot", '"'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("hearts", '\u{2665}'),
    ("rarr", '\u{2192}'),
    ("larr", '\u{2190}'),
    ("copy", '\u{a9}'),
    ("mdash", '\u{2014}'),
    ("ndash", '\u{2013}'),
];

/// Decodes `#quot;`, `#9829;`, `&amp;` and `&#x2665;`; anything else is left as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['#', '&']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let decoded = tail.find(';').filter(|&end| end > 0 && end <= 10).and_then(|end| entity(&tail[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str(&rest[i..=i]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#').or(Some(name)).filter(|n| n.starts_with(|c: char| c.is_ascii_digit() || c == 'x')) {
        let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || *c == '\n');
    }
    ENTITIES.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)
}

/// Drops Font Awesome icon names (`fa:fa-car`, `fab:fa-github`): we draw no icon font.
fn strip_icons(s: &str) -> String {
    let is_icon = |w: &str| {
        w.split_once(':')
            .is_some_and(|(prefix, name)| matches!(prefix, "fa" | "fab" | "fas" | "far" | "fal" | "fak") && name.starts_with("fa-"))
    };
    if !s.contains("fa") {
        return s.to_string();
    }
    s.lines().map(|l| l.split(' ').filter(|w| !is_icon(w)).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

/// A Markdown string: `**bold**` and `*italic*` (or `__`/`_`) markers are removed; when one
/// covers the whole label it styles the node's text.
fn markdown_text(s: &str, style: &mut Style) -> String {
    let t = s.trim();
    for marker in ["**", "__"] {
        if t.len() > 4 && t.starts_with(marker) && t.ends_with(marker) && !t[2..t.len() - 2].contains(marker) {
            style.font_weight = Some("bold".to_string());
        }
    }
    for marker in ['*', '_'] {
        let inner = t.strip_prefix(marker).and_then(|r| r.strip_suffix(marker));
        if inner.is_some_and(|i| !i.is_empty() && !i.starts_with(marker) && !i.contains(marker)) {
            style.italic = true;
        }
    }
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        // `*` and `_` are markers next to a word edge; `snake_case` keeps its underscore.
        let word = |o: Option<char>| o.is_some_and(char::is_alphanumeric);
        let marker = c == '*' || (c == '_' && !(word(prev) && word(next)));
        if !marker {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_entities_and_tags() {
        assert_eq!(label("a<br>b<BR/>c<br />d").text, "a\nb\nc\nd");
        assert_eq!(label("one\\ntwo").text, "one\ntwo");
        assert_eq!(label("say #quot;hi#quot; #9829; &amp; &lt;x&gt;").text, "say \"hi\" \u{2665} & <x>");
        assert_eq!(label("H<sub>2</sub>O and <i>this</i>").text, "H2O and this");
        assert_eq!(label("a < b > c").text, "a < b > c");
        assert_eq!(label("#1 issue; C# rocks").text, "#1 issue; C# rocks");
        let bold = label("<b>Warning</b>");
        assert_eq!((bold.text.as_str(), bold.style.font_weight.as_deref()), ("Warning", Some("bold")));
    }

    #[test]
    fn markdown_strings_and_icons() {
        let l = label("`**Bold** and *italic* snake_case`");
        assert_eq!(l.text, "Bold and italic snake_case");
        assert!(l.style.font_weight.is_none() && !l.style.italic);
        assert_eq!(label("`**All bold**`").style.font_weight.as_deref(), Some("bold"));
        assert!(label("`_tilted_`").style.italic);
        assert_eq!(label("fa:fa-car Car").text, "Car");
        assert_eq!(label("fab:fa-github GitHub repo").text, "GitHub repo");
    }
}
