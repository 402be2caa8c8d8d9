//! Math made at build time: `$…$` and `$$…$$` (pulldown-cmark's math
//! extension) and, when `[output.html] mathjax-support` is set, mdBook's
//! `\\( … \\)` and `\\[ … \\]`, turned into MathML by math-core, so the page
//! needs no script and no network. A formula that does not parse is a
//! located warning, and its source is shown as code.

use std::ops::Range;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event};

use crate::diag::Diagnostic;
use crate::html::escape_html;

/// Longest formula converted; past it the source is shown (math-core's work
/// grows with the formula, and no real formula comes near this).
pub const MAX_FORMULA: usize = 64 * 1024;

/// Which math a page has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MathSyntax {
    /// mdBook's MathJax delimiters as well as dollars.
    pub mathjax: bool,
}

/// Events with math turned into MathML; problems go to `diags`, located in
/// the page at `path` (empty for a snippet: not reported).
pub struct Math<'d, I> {
    events: I,
    syntax: MathSyntax,
    converter: Option<LatexToMathML>,
    path: &'d str,
    diags: &'d mut Vec<Diagnostic>,
    /// Events made from one run of text, handed out one at a time.
    pending: std::collections::VecDeque<(Event<'static>, Range<usize>)>,
}

impl<'d, I> Math<'d, I> {
    pub fn new(events: I, syntax: MathSyntax, path: &'d str, diags: &'d mut Vec<Diagnostic>) -> Self {
        Math { events, syntax, converter: None, path, diags, pending: Default::default() }
    }

    fn convert(&mut self, tex: &str, display: MathDisplay, range: &Range<usize>) -> String {
        let converter = self.converter.get_or_insert_with(|| {
            LatexToMathML::new(MathCoreConfig::default())
                .unwrap_or_else(|_| unreachable!("the default configuration has no macros to fail"))
        });
        let result = if tex.len() > MAX_FORMULA {
            Err(format!("this formula is {} bytes, over the {} KiB converted", tex.len(), MAX_FORMULA >> 10))
        } else {
            converter.convert_with_local_counter(tex, display).map_err(|e| e.error_message())
        };
        match result {
            Ok(mathml) => mathml,
            Err(message) => {
                if !self.path.is_empty() {
                    self.diags.push(
                        Diagnostic::warning(self.path, range.clone(), format!("this formula cannot be read: {message}"))
                            .with_hint("it is shown as its LaTeX source; fix the formula to have it drawn"),
                    );
                }
                let class = if display == MathDisplay::Block { "cg-math-error cg-math-block" } else { "cg-math-error" };
                format!("<code class=\"{class}\">{}</code>", escape_html(tex))
            }
        }
    }

    /// A run of text with `\(…\)` and `\[…\]` in it, as text and MathML.
    fn delimited(&mut self, text: &str, range: Range<usize>) {
        let mut rest = 0;
        while let Some((open, display, close)) = next_delimited(&text[rest..]) {
            let (open, close) = (rest + open, rest + close);
            if open > rest {
                self.pending.push_back((Event::Text(CowStr::from(text[rest..open].to_string())), range.clone()));
            }
            let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
            let html = self.convert(&text[open + 2..close], mode, &range);
            self.pending.push_back((Event::InlineHtml(html.into()), range.clone()));
            rest = close + 2;
        }
        if rest < text.len() {
            self.pending.push_back((Event::Text(CowStr::from(text[rest..].to_string())), range));
        }
    }
}

/// Where the next `\(…\)` or `\[…\]` of `text` opens, whether it is display
/// math, and where it closes.
fn next_delimited(text: &str) -> Option<(usize, bool, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find('\\').map(|i| i + from) {
        let (display, close) = match text.as_bytes().get(i + 1) {
            Some(b'(') => (false, "\\)"),
            Some(b'[') => (true, "\\]"),
            _ => {
                from = i + 1;
                continue;
            }
        };
        if let Some(end) = text[i + 2..].find(close) {
            return Some((i, display, i + 2 + end));
        }
        from = i + 2;
    }
    None
}

impl<'t, I> Iterator for Math<'_, I>
where
    I: Iterator<Item = (Event<'t>, Range<usize>)>,
{
    type Item = (Event<'t>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(p) = self.pending.pop_front() {
            return Some(p);
        }
        let (event, range) = self.events.next()?;
        Some(match event {
            Event::InlineMath(tex) => (Event::InlineHtml(self.convert(&tex, MathDisplay::Inline, &range).into()), range),
            Event::DisplayMath(tex) => (Event::InlineHtml(self.convert(&tex, MathDisplay::Block, &range).into()), range),
            Event::Text(t) if self.syntax.mathjax && t.contains('\\') => {
                // pulldown-cmark splits text at escapes (`\\(` is one), so the
                // run is gathered before the delimiters are looked for.
                let mut text = t.to_string();
                let mut span = range;
                loop {
                    match self.events.next() {
                        Some((Event::Text(more), r)) => {
                            text.push_str(&more);
                            span.end = r.end;
                        }
                        Some(other) => {
                            self.delimited(&text, span);
                            self.pending.push_back(into_static(other));
                            break;
                        }
                        None => {
                            self.delimited(&text, span);
                            break;
                        }
                    }
                }
                return self.pending.pop_front();
            }
            e => (e, range),
        })
    }
}

fn into_static((e, r): (Event<'_>, Range<usize>)) -> (Event<'static>, Range<usize>) {
    (e.into_static(), r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str, mathjax: bool) -> (String, Vec<Diagnostic>) {
        let options = crate::parse::markdown_options() | pulldown_cmark::Options::ENABLE_MATH;
        let events = pulldown_cmark::Parser::new_ext(md, options).into_offset_iter();
        let mut diags = Vec::new();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Math::new(events, MathSyntax { mathjax }, "a.md", &mut diags).map(|(e, _)| e));
        (html, diags)
    }

    #[test]
    fn dollars_become_mathml() {
        let (html, diags) = render("Euler: $e^{i\\pi} + 1 = 0$ and\n\n$$\\frac{a}{b}$$\n", false);
        assert!(html.contains("<math") && html.contains("<mfrac>"), "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(diags.is_empty(), "{diags:?}");
        let (money, _) = render("It costs $5 and $10.", false);
        assert!(!money.contains("<math"), "{money}");
    }

    #[test]
    fn mathjax_delimiters_only_when_asked() {
        let md = "Inline \\\\( x^2 \\\\) and\n\n\\\\[ y_1 \\\\]\n";
        let (html, _) = render(md, true);
        assert_eq!(html.matches("<math").count(), 2, "{html}");
        let (plain, _) = render(md, false);
        assert!(!plain.contains("<math") && plain.contains("\\( x^2 \\)"), "{plain}");
    }

    #[test]
    fn a_bad_formula_is_a_located_warning_with_its_source_shown() {
        let md = "ok $\\frac{a}$ end";
        let (html, diags) = render(md, false);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(&md[diags[0].span.clone()], "$\\frac{a}$");
        assert!(html.contains("<code class=\"cg-math-error\">\\frac{a}</code>"), "{html}");
        let (evil, _) = render("$\\text{<script>}$", false);
        assert!(!evil.contains("<script>"), "{evil}");
    }
}
