//! The style statements of a flowchart (`classDef`, `class`, `style`, `linkStyle`, and
//! `:::name` after a node): reads their `key:value` lists into the model's safe [`Style`]
//! subset and reports each property it drops; it applies nothing to the graph.

use std::ops::Range;

use super::FlowError;
use crate::model::flow::Style;

/// The properties that are drawn, as written in Mermaid.
pub(super) const SUPPORTED: &str = "`fill`, `stroke`, `stroke-width`, `stroke-dasharray`, `color` and `font-weight`";

/// Reads `fill:#f9f,stroke:#333,stroke-width:4px` (the text starting at body offset
/// `offset`); each property that is unknown or whose value is not a plain CSS value is
/// left out with a warning.
pub(super) fn parse(text: &str, offset: usize, warnings: &mut Vec<FlowError>) -> Style {
    let mut style = Style::default();
    let mut at = 0;
    for part in split_props(text) {
        let start = offset + at;
        at += part.len() + 1;
        let span = start + (part.len() - part.trim_start().len())..start + part.trim_end().len();
        let part = part.trim().trim_end_matches(';');
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once(':') else {
            warnings.push(dropped(span, part, "it is not written `property:value`"));
            continue;
        };
        let (key, value) = (key.trim(), value.trim().trim_end_matches("!important").trim());
        let slot = match key {
            "fill" | "background" | "background-color" => &mut style.fill,
            "stroke" => &mut style.stroke,
            "stroke-width" => &mut style.stroke_width,
            "stroke-dasharray" => &mut style.stroke_dasharray,
            "color" => &mut style.color,
            "font-weight" => &mut style.font_weight,
            _ => {
                warnings.push(dropped(span, key, "only these properties are drawn"));
                continue;
            }
        };
        let ok = match key {
            "stroke-width" => is_length(value),
            "stroke-dasharray" => value.split([' ', ',']).filter(|v| !v.is_empty()).all(is_length) && !value.is_empty(),
            "font-weight" => matches!(value, "bold" | "bolder" | "lighter" | "normal") || is_weight(value),
            _ => is_colour(value),
        };
        if ok {
            *slot = Some(value.to_string());
        } else {
            warnings.push(dropped(span, part, "its value is not a plain colour or length"));
        }
    }
    style
}

/// Splits on commas outside parentheses, so `rgb(1,2,3)` stays whole.
fn split_props(text: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn dropped(span: Range<usize>, what: &str, why: &str) -> FlowError {
    FlowError::new(span, format!("style `{what}` is not drawn: {why}"), format!("a diagram may set {SUPPORTED}"))
}

/// `2`, `2px`, `1.5px`.
fn is_length(v: &str) -> bool {
    let n = v.strip_suffix("px").unwrap_or(v);
    !n.is_empty() && n.len() <= 8 && n.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn is_weight(v: &str) -> bool {
    v.len() == 3 && v.ends_with("00") && v.starts_with(|c: char| ('1'..='9').contains(&c))
}

/// `#f9f`, `#ff99ffcc`, a colour name, `rgb(…)`/`rgba(…)`/`hsl(…)`/`hsla(…)` of numbers.
fn is_colour(v: &str) -> bool {
    if let Some(hex) = v.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some((func, args)) = v.strip_suffix(')').and_then(|r| r.split_once('(')) {
        return matches!(func, "rgb" | "rgba" | "hsl" | "hsla")
            && args.len() <= 40
            && args.chars().all(|c| c.is_ascii_digit() || " ,.%/".contains(c) || c == 'd' || c == 'e' || c == 'g');
    }
    !v.is_empty() && v.len() <= 24 && v.chars().all(|c| c.is_ascii_alphabetic())
}

/// The CSS text for a style, in a fixed order; values were checked when read, so they
/// can go into a `style` attribute as they are.
pub(super) fn css(style: &Style, text: bool) -> String {
    let mut out = String::new();
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.push_str(k);
            out.push(':');
            out.push_str(v);
            out.push(';');
        }
    };
    if text {
        put("fill", &style.color);
        put("font-weight", &style.font_weight);
        if style.italic {
            out.push_str("font-style:italic;");
        }
    } else {
        put("fill", &style.fill);
        put("stroke", &style.stroke);
        put("stroke-width", &style.stroke_width);
        put("stroke-dasharray", &style.stroke_dasharray);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_safe_subset() {
        let mut w = Vec::new();
        let s = parse("fill:#f9f,stroke:#333,stroke-width:4px,color:#fff,stroke-dasharray: 5 5,font-weight:bold", 10, &mut w);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.fill.as_deref(), Some("#f9f"));
        assert_eq!(s.stroke_width.as_deref(), Some("4px"));
        assert_eq!(s.stroke_dasharray.as_deref(), Some("5 5"));
        assert_eq!(css(&s, false), "fill:#f9f;stroke:#333;stroke-width:4px;stroke-dasharray:5 5;");
        assert_eq!(css(&s, true), "fill:#fff;font-weight:bold;");
        assert_eq!(parse("fill:rgb(255, 0, 0)", 0, &mut w).fill.as_deref(), Some("rgb(255, 0, 0)"));
    }

    #[test]
    fn drops_the_rest_with_a_located_warning() {
        let mut w = Vec::new();
        let text = "fill:url(javascript:x),font-size:20px,stroke:red;background:x}";
        let s = parse(text, 100, &mut w);
        assert!(s.fill.is_none() && s.stroke.is_none());
        assert_eq!(w.len(), 3, "{w:?}");
        assert_eq!(w[1].span, 100 + text.find("font-size").unwrap_or(0)..100 + text.find(",stroke").unwrap_or(0));
        assert!(w[1].message.contains("font-size"));
    }
}
