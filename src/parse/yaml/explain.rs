//! The YAML parser's syntax messages in an author's words, each pointing at
//! the place to change and saying what to write instead.
//!
//! serde-saphyr words its errors for people who know YAML's grammar ("mapping
//! values are not allowed in this context") and often places them where the
//! parser gave up, a line after the mistake. Authors of quizzes and step tables
//! make a handful of mistakes again and again: an unquoted `: ` in a prompt, a
//! value starting with `*`, `` ` ``, `@` or `[`, a tab, a line out of step with
//! its neighbours, an unclosed quote. Each gets its own words here. The texts
//! matched are serde-saphyr 2.1.1's (pinned in Cargo.toml); a message not known
//! here is passed on as it is.

use std::ops::Range;

/// A parser message reworded, with the place it should point at.
pub struct Explained {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// Rewords `message`, which the parser placed at `span` of `text`.
pub fn explain(text: &str, span: Range<usize>, message: &str) -> Explained {
    let at = span.start.min(text.len());
    let line = Line::at(text, at);
    let found = match message {
        m if m.contains("found a tab") || m.contains("tabs disallowed") => tab(text, &line),
        "mapping values are not allowed in this context" => colon(&line, at),
        "alias references unknown anchor" => {
            line.value_at(at).map(|v| quote(&line, v, "a value starting with `*` is read as a reference to a YAML anchor (`*name`)".into()))
        }
        m if m.starts_with("unexpected character: `") => unexpected(&line, at, m),
        "while parsing a block mapping, did not find expected key" => bracketed(&line, at).or_else(|| misaligned(&line, at)),
        "while parsing a block collection, did not find expected '-' indicator" => misaligned(&line, at),
        "invalid indentation in multiline quoted scalar" => unclosed_quote(text, at),
        "invalid trailing content after single-quoted scalar" => after_quote(&line, '\''),
        "invalid trailing content after double-quoted scalar" => after_quote(&line, '"'),
        "while scanning a block scalar, did not find expected comment or line break" => line.value_at(at).map(|v| {
            let c = line.text[v.start..].chars().next().unwrap_or('|');
            quote(&line, v, format!("`{c}` at the start of a value begins a block of text on the lines below"))
        }),
        m if m.starts_with("while parsing a flow")
            || m.starts_with("mismatched bracket")
            || m.starts_with("unclosed bracket")
            || m == "illegal placement of ':' indicator" =>
        {
            unclosed_bracket(text, &line).or_else(|| flow_item(&line, at))
        }
        "simple key expected ':'" => Some(hinted(
            line.start + line.indent()..at.max(line.start + line.indent()),
            "a key needs `: ` after it",
            "put a space after the colon: `key: value`",
        )),
        m if m.starts_with("duplicate mapping key: ") => {
            let key = m["duplicate mapping key: ".len()..].split(", set ").next().unwrap_or_default();
            Some(hinted(span.clone(), &format!("`{key}` is given twice"), "write each key once; delete or rename one of them"))
        }
        "expected string scalar" => Some(not_text(&line, span.clone())),
        "expected mapping start" => Some(hinted(
            span.clone(),
            "expected `key: value` lines here",
            "if this line belongs to the key above it, indent it further than that key",
        )),
        "expected sequence start" => {
            Some(hinted(span.clone(), "expected a list here", "write a list as `[a, b]` or as lines starting with `- `"))
        }
        _ => None,
    };
    found.unwrap_or_else(|| Explained { span, message: message.to_string(), hint: None })
}

fn hinted(span: Range<usize>, message: &str, hint: &str) -> Explained {
    Explained { span, message: message.into(), hint: Some(hint.into()) }
}

/// One line of the parsed text, and where it starts.
struct Line<'t> {
    start: usize,
    /// Without its line break.
    text: &'t str,
}

impl<'t> Line<'t> {
    fn at(text: &'t str, offset: usize) -> Self {
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        Line { start, text: text[start..end].trim_end_matches('\r') }
    }

    /// Every line of `text` up to and including the one at `offset`, last first.
    fn before(text: &'t str, offset: usize) -> impl Iterator<Item = Line<'t>> {
        let first = Line::at(text, offset);
        std::iter::successors(Some(first), move |l| (l.start > 0).then(|| Line::at(text, l.start - 1)))
    }

    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    /// Where the content starts after indentation and `- ` list markers.
    fn content(&self) -> usize {
        let mut i = self.indent();
        while let Some(rest) = self.text[i..].strip_prefix("- ") {
            i = self.text.len() - rest.trim_start_matches(' ').len();
        }
        i
    }

    /// The key written at the start of the content (`prompt` in `- prompt: x`),
    /// and where its value starts.
    fn key(&self) -> Option<(&'t str, usize)> {
        let c = self.content();
        let rest = &self.text[c..];
        let colon = rest.find(": ").or_else(|| rest.ends_with(':').then(|| rest.len() - 1))?;
        let key = &rest[..colon];
        let plain = !key.is_empty() && !key.starts_with(['"', '\'', '[', '{']) && !key.contains(char::is_whitespace);
        plain.then(|| (key, c + colon + 1 + rest[colon + 1..].len() - rest[colon + 1..].trim_start().len()))
    }

    /// The value of this line (after its key, or the list item) as a range of
    /// this line.
    fn value(&self) -> Range<usize> {
        let start = self.key().map_or(self.content(), |(_, v)| v);
        start..self.text.len().max(start)
    }

    /// The value containing file offset `at`, as a range of this line.
    fn value_at(&self, at: usize) -> Option<Range<usize>> {
        let v = self.value();
        (self.start + v.start <= at && v.start < v.end).then_some(v)
    }

    fn file(&self, r: &Range<usize>) -> Range<usize> {
        self.start + r.start..self.start + r.end
    }
}

/// The value at `v` of `line` pointed at, with a hint showing it quoted.
fn quote(line: &Line<'_>, v: Range<usize>, message: String) -> Explained {
    let value = &line.text[v.clone()];
    let hint = match line.key() {
        _ if value.len() > 60 => "put the whole value in double quotes".to_string(),
        Some((key, _)) => format!("quote the value: `{key}: \"{}\"`", value.replace('\\', "\\\\").replace('"', "\\\"")),
        None => format!("quote the item: `- \"{}\"`", value.replace('\\', "\\\\").replace('"', "\\\"")),
    };
    Explained { span: line.file(&v), message, hint: Some(hint) }
}

/// A tab where YAML wants spaces: the parser names the scalar before it, so
/// point at the first tab indenting this line or one below it.
fn tab(text: &str, line: &Line<'_>) -> Option<Explained> {
    let mut offset = line.start;
    let found = text[line.start..].split_inclusive('\n').find_map(|l| {
        let at = l.find(|c| c != ' ').filter(|&i| l[i..].starts_with('\t')).map(|i| offset + i);
        offset += l.len();
        at
    });
    let at = found.or_else(|| text[line.start..].find('\t').map(|i| line.start + i))?;
    Some(hinted(at..at + 1, "a tab is used for indentation", "indent with spaces: YAML does not allow tabs there"))
}

/// `: ` where the parser did not expect a key: in the middle of a value (which
/// then needs quotes), or after a key that is indented deeper than its map.
fn colon(line: &Line<'_>, at: usize) -> Option<Explained> {
    match line.key() {
        Some((_, v)) if line.start + v <= at => {
            let r = line.value();
            Some(quote(line, r, "this value contains `: `, which YAML reads as the start of another key".into()))
        }
        _ => Some(out_of_step(line)),
    }
}

/// A line whose indentation does not match its neighbours, when the parser
/// reports it at the line's first item or key.
fn misaligned(line: &Line<'_>, at: usize) -> Option<Explained> {
    let before_at = line.text.get(line.indent()..at.saturating_sub(line.start))?;
    before_at.trim_start_matches(['-', ' ']).is_empty().then(|| out_of_step(line))
}

/// Points at the first word of a line whose indentation is wrong.
fn out_of_step(line: &Line<'_>) -> Explained {
    let first = line.indent();
    let word = line.text[first..].split(' ').next().unwrap_or_default();
    hinted(
        line.file(&(first..first + word.len())),
        "this line is not lined up with the lines above it",
        "the keys of one map, and the `- ` items of one list, start in the same column; indent with spaces",
    )
}

/// A value such as `[link](#x) more`: YAML reads the list, then finds text.
fn bracketed(line: &Line<'_>, at: usize) -> Option<Explained> {
    let v = line.value();
    let open = line.text[v.clone()].chars().next().filter(|c| matches!(c, '[' | '{'))?;
    (line.start + v.start < at).then(|| {
        let what = if open == '[' { "list" } else { "map" };
        quote(line, v, format!("a value starting with `{open}` is read as a {what}, and text cannot follow it"))
    })
}

/// A typed field wanted text and found a list or a map: usually a prompt or
/// option that starts with `[` or `{`.
fn not_text(line: &Line<'_>, span: Range<usize>) -> Explained {
    match line.text.get(span.start.saturating_sub(line.start)..).and_then(|s| s.chars().next()) {
        Some(open @ ('[' | '{')) => {
            let v = line.value();
            let what = if open == '[' { "list" } else { "map" };
            let message = format!("a value starting with `{open}` is read as a {what}, not as text");
            if line.start + v.start == span.start { quote(line, v, message) } else { hinted(span, &message, "quote the value") }
        }
        _ => hinted(span, "expected text here", "write one value, not a list or a map"),
    }
}

/// A character that cannot start a plain value, or cannot appear at all.
fn unexpected(line: &Line<'_>, at: usize, message: &str) -> Option<Explained> {
    // The parser writes control characters escaped: `\u{1b}'.
    let shown = message.strip_prefix("unexpected character: `")?.strip_suffix('\'')?;
    let c = match shown.strip_prefix("\\u{").and_then(|h| h.strip_suffix('}')) {
        Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?,
        None => shown.chars().next()?,
    };
    if c.is_control() {
        let shown = c.escape_debug();
        let message = format!("control character `{shown}` in the text");
        return Some(hinted(at..at + c.len_utf8(), &message, "YAML does not allow control characters; delete it"));
    }
    let v = line.value_at(at).filter(|v| line.start + v.start == at)?;
    let name = if c == '`' { "a backtick".to_string() } else { format!("`{c}`") };
    Some(quote(line, v, format!("a value cannot start with {name}")))
}

/// An opening quote whose value runs past its line: the parser reports the
/// next line, so look back for the quote.
fn unclosed_quote(text: &str, at: usize) -> Option<Explained> {
    Line::before(text, at).take(50).find_map(|l| {
        let v = l.value();
        let value = &l.text[v.clone()];
        let q = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let closed = match q {
            '"' => value[1..].replace("\\\\", "").replace("\\\"", "").contains('"'),
            _ => value[1..].replace("''", "").contains('\''),
        };
        (!closed).then(|| {
            hinted(
                l.file(&(v.start..v.start + 1)),
                "this quoted value is not closed",
                &format!("end the value with `{q}` on the same line"),
            )
        })
    })
}

/// Text after a quoted value's closing quote (`'it's'`, `"a" b`).
fn after_quote(line: &Line<'_>, q: char) -> Option<Explained> {
    let v = line.value();
    let message = "the value goes on after its closing quote".to_string();
    let hint = if q == '\'' {
        "inside '…', write an apostrophe as `''`, or use double quotes: `\"it's\"`"
    } else {
        "quote the whole value, and write a `\"` inside it as `\\\"`"
    };
    Some(Explained { span: line.file(&v), message, hint: Some(hint.into()) })
}

/// The `[` or `{` of a flow list or map that its line does not close: the
/// parser notices only where the next line looks wrong.
fn unclosed_bracket(text: &str, line: &Line<'_>) -> Option<Explained> {
    Line::before(text, line.start).take(50).find_map(|l| {
        let v = l.value();
        let value = &l.text[v.clone()];
        let open = value.chars().next().filter(|c| matches!(c, '[' | '{'))?;
        let close = if open == '[' { ']' } else { '}' };
        (value.matches(open).count() > value.matches(close).count()).then(|| {
            hinted(
                l.file(&(v.start..v.start + 1)),
                &format!("this `{open}` is not closed on its line"),
                &format!("close it with `{close}`, or quote the value if the `{open}` is text"),
            )
        })
    })
}

/// An item of a `[...]` list that YAML cannot read (`[session['user'], b]`).
fn flow_item(line: &Line<'_>, at: usize) -> Option<Explained> {
    (line.start <= at).then(|| {
        hinted(
            at..at,
            "this item of a `[...]` list cannot be read",
            "quote an item that contains `[`, `]`, `{`, `}`, `,` or `: `, or starts with a quote: `[\"Write session['user']\", b]`",
        )
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::parse::yaml::{YamlError, from_str};

    /// The shape of a quiz question, for the mistakes only a typed field sees.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Question {
        prompt: Option<String>,
        options: Option<Vec<String>>,
        answer: Option<String>,
    }

    fn untyped(text: &str) -> YamlError {
        from_str::<serde_json::Value>(text).unwrap_err()
    }

    fn typed(text: &str) -> YamlError {
        from_str::<Vec<Question>>(text).unwrap_err()
    }

    /// Message, the text pointed at, and the hint.
    fn shown<'t>(text: &'t str, e: &YamlError) -> (String, &'t str, String) {
        (e.message.clone(), &text[e.span.clone()], e.hint.clone().unwrap_or_default())
    }

    #[test]
    fn values_that_need_quotes_point_at_the_value_and_show_it_quoted() {
        let cases: [(&str, &str, &str, &str); 7] = [
            (
                "- prompt: Note: this is it\n  answer: a\n",
                "this value contains `: `, which YAML reads as the start of another key",
                "Note: this is it",
                "quote the value: `prompt: \"Note: this is it\"`",
            ),
            (
                "- prompt: P\n  hint: *bold* text\n",
                "a value starting with `*` is read as a reference to a YAML anchor (`*name`)",
                "*bold* text",
                "quote the value: `hint: \"*bold* text\"`",
            ),
            ("- prompt: @user here\n", "a value cannot start with `@`", "@user here", "quote the value: `prompt: \"@user here\"`"),
            ("- prompt: P\n  options:\n    - `a`\n    - b\n", "a value cannot start with a backtick", "`a`", "quote the item: `- \"`a`\"`"),
            (
                "- prompt: [link](#step-1) here\n  answer: a\n",
                "a value starting with `[` is read as a list, and text cannot follow it",
                "[link](#step-1) here",
                "quote the value: `prompt: \"[link](#step-1) here\"`",
            ),
            (
                "- prompt: | x\n  answer: a\n",
                "`|` at the start of a value begins a block of text on the lines below",
                "| x",
                "quote the value: `prompt: \"| x\"`",
            ),
            ("- prompt: %d \"f\"\n", "a value cannot start with `%`", "%d \"f\"", "quote the value: `prompt: \"%d \\\"f\\\"\"`"),
        ];
        for (text, message, at, hint) in cases {
            assert_eq!(shown(text, &untyped(text)), (message.into(), at, hint.into()), "{text:?}");
        }
    }

    #[test]
    fn a_list_where_text_is_expected() {
        let text = "- prompt: [link](#step-1) here\n  answer: a\n";
        let (m, at, hint) = shown(text, &typed(text));
        assert_eq!((m.as_str(), at), ("a value starting with `[` is read as a list, not as text", "[link](#step-1) here"));
        assert_eq!(hint, "quote the value: `prompt: \"[link](#step-1) here\"`");
    }

    #[test]
    fn tabs_are_found_where_they_are() {
        for text in ["- prompt: P\n\tanswer: a\n", "- prompt: P\n  options:\n\t- a\n\t- b\n"] {
            let e = untyped(text);
            assert_eq!(e.message, "a tab is used for indentation", "{text:?}");
            assert_eq!(e.span.start, text.find('\t').unwrap(), "{text:?}");
            assert_eq!(e.hint.as_deref(), Some("indent with spaces: YAML does not allow tabs there"));
        }
    }

    #[test]
    fn lines_out_of_step_point_at_their_first_word() {
        // Each text, and its line that is out of step.
        let cases = [
            ("- prompt: P\n answer: a\n", " answer: a"),
            ("- prompt: P\n   answer: a\n", "   answer: a"),
            ("- prompt: P\n  options:\n    - a\n   - b\n", "   - b"),
            ("- prompt: P\n  options:\n  - a\n  - b\n    answer: A\n", "    answer: A"),
            ("steps:\n  - [a, b, c]\n - [a, b, c]\n", " - [a, b, c]\n"),
        ];
        for (text, line) in cases {
            let e = untyped(text);
            assert_eq!(e.message, "this line is not lined up with the lines above it", "{text:?}");
            let word = line.split_whitespace().next().unwrap();
            let start = text.find(&format!("\n{line}")).unwrap() + 1 + line.find(word).unwrap();
            assert_eq!(e.span, start..start + word.len(), "{text:?}");
        }
    }

    #[test]
    fn an_unclosed_quote_is_found_at_its_opening() {
        for text in ["- prompt: \"P\n  answer: a\n", "- prompt: P\n  answer: 'a\n", "- prompt: \"P \\\" q\n- prompt: Q\n"] {
            let e = untyped(text);
            assert_eq!(e.message, "this quoted value is not closed", "{text:?}");
            let q = text.find(['"', '\'']).unwrap();
            assert_eq!(e.span, q..q + 1, "{text:?}");
        }
    }

    #[test]
    fn text_after_a_closing_quote() {
        let text = "- prompt: 'it's'\n";
        let (m, at, hint) = shown(text, &untyped(text));
        assert_eq!((m.as_str(), at), ("the value goes on after its closing quote", "'it's'"));
        assert!(hint.contains("`''`"), "{hint}");
    }

    #[test]
    fn brackets_inside_lists() {
        let text = "- prompt: P\n  options: [a, b\n  answer: A\n";
        let (m, at, _) = shown(text, &untyped(text));
        assert_eq!((m.as_str(), at), ("this `[` is not closed on its line", "["));
        assert_eq!(untyped(text).span.start, text.find('[').unwrap());
        let text = "- prompt: P\n  answer: [x\n";
        assert_eq!(shown(text, &untyped(text)).0, "this `[` is not closed on its line");
        let text = "steps:\n  - [Write session['user'], b, c]\n";
        let e = untyped(text);
        assert_eq!(e.message, "this item of a `[...]` list cannot be read");
        assert!(e.hint.unwrap().contains("[\"Write session['user']\", b]"));
    }

    #[test]
    fn other_mistakes_in_words() {
        let e = untyped("- prompt: P\n  prompt: Q\n");
        assert_eq!((e.message.as_str(), e.hint.is_some()), ("`prompt` is given twice", true));
        let e = untyped("- prompt: \"\u{1b}[0m\"\n");
        assert_eq!(e.message, "control character `\\u{1b}` in the text");
        let e = typed("- a\n- prompt: Q\n");
        assert_eq!(e.message, "expected `key: value` lines here");
        let e = typed("- prompt: P\n  options: a\n");
        assert_eq!(e.message, "expected a list here");
        let e = untyped("- prompt: P\n  answer:a\n");
        assert_eq!(e.message, "a key needs `: ` after it");
    }

    #[test]
    fn unknown_messages_pass_through() {
        let e = untyped(&format!("{}{}", "[".repeat(100), "]".repeat(100)));
        assert!(e.message.contains("nested more than"), "{e:?}");
        assert_eq!(e.hint, None);
    }
}
