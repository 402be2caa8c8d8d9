//! The floor coursegen's build is measured against: every `.md` file under a
//! folder parsed by pulldown-cmark and its code highlighted by syntect into
//! `hl-` class spans (coursegen's settings), on all cores, nothing else.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut files = Vec::new();
    collect(Path::new(&dir), &mut files);
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let bytes: usize = files.par_iter().map(|f| render(&std::fs::read_to_string(f).unwrap_or_default(), &syntaxes).len()).sum();
    eprintln!("floor: {} files, {bytes} bytes of HTML", files.len());
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn render(text: &str, ss: &SyntaxSet) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_GFM;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for e in Parser::new_ext(text, opts) {
        match e {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = if let CodeBlockKind::Fenced(i) = kind { i.split_whitespace().next().unwrap_or("").to_string() } else { String::new() };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, c)) = code.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, c)) = code.take() {
                    events.push(Event::Html(highlight(&c, &lang, ss).into()));
                }
            }
            e => events.push(e),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn highlight(code: &str, lang: &str, ss: &SyntaxSet) -> String {
    let syntax = ss.find_syntax_by_token(lang).unwrap_or_else(|| ss.find_syntax_plain_text());
    let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, ss, ClassStyle::SpacedPrefixed { prefix: "hl-" });
    for line in LinesWithEndings::from(code) {
        let _ = g.parse_html_for_line_which_includes_newline(line);
    }
    format!("<pre><code>{}</code></pre>", g.finalize())
}
