//! YAML front matter between `---` lines at the very top of a page.

use serde::Deserialize;

use super::{Fragment, yaml_diagnostic};
use crate::diag::Diagnostic;
use crate::model::FrontMatter;
use crate::parse::yaml;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<String>,
    minutes: Option<u32>,
    summary: Option<String>,
}

/// Splits off and parses the front matter; returns it and where the body starts.
/// A page without front matter has an empty one and a body starting at 0.
pub fn split(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> (FrontMatter, usize) {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (FrontMatter::default(), 0);
    };
    let yaml_start = text.len() - rest.len();
    let Some((yaml_len, body_start)) = closing_fence(rest) else {
        diags.push(Diagnostic::error(path, 0..3, "front matter is not closed").with_hint("end the front matter with a line `---`"));
        return (FrontMatter::default(), text.len());
    };
    let mut body = Fragment::default();
    body.push(&rest[..yaml_len], yaml_start);
    let body_start = yaml_start + body_start;
    if body.text.trim().is_empty() {
        return (FrontMatter::default(), body_start);
    }
    match yaml::from_str::<RawFront>(&body.text) {
        Ok(raw) => {
            (FrontMatter { title: raw.title.filter(|t| !t.trim().is_empty()), minutes: raw.minutes, summary: raw.summary }, body_start)
        }
        Err(e) => {
            let hint = if e.message.contains("unknown field") {
                "front matter takes `title`, `minutes` and `summary`"
            } else {
                "front matter is YAML, such as `title: Sessions` and `minutes: 10`"
            };
            diags.push(yaml_diagnostic(path, &body, e, hint));
            (FrontMatter::default(), body_start)
        }
    }
}

/// Length of the YAML and offset of the body, both relative to `rest`.
fn closing_fence(rest: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_fields() {
        let text = "---\ntitle: Secret keys\nminutes: 10\nsummary: Why.\n---\n# Body\n";
        let mut d = Vec::new();
        let (f, start) = split("a.md", text, &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.title.as_deref(), Some("Secret keys"));
        assert_eq!(f.minutes, Some(10));
        assert_eq!(&text[start..], "# Body\n");
    }

    #[test]
    fn no_front_matter() {
        let mut d = Vec::new();
        assert_eq!(split("a.md", "# Hi\n---\n", &mut d), (FrontMatter::default(), 0));
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "---\ntitle: A\nminutes: ten\n---\n";
        let mut d = Vec::new();
        split("a.md", text, &mut d);
        assert_eq!(d.len(), 1);
        assert!(d[0].span.start >= 13, "{:?}", d[0]);
        let text = "---\ntitle: A\n";
        let mut d = Vec::new();
        split("a.md", text, &mut d);
        assert_eq!(d[0].message, "front matter is not closed");
    }
}
