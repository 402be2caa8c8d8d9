//! The Markdown adapters: links, headings, alerts, raw HTML, splices.

use super::*;
use crate::diag::Severity;

fn md(raw_html: bool) -> (Highlighter, bool) {
    (Highlighter::new(), raw_html)
}

fn render(text: &str, raw_html: bool) -> Body {
    let (h, raw) = md(raw_html);
    Markdown { highlighter: &h, raw_html: raw, line_numbers: true }.page("a.md", text, 0, &[], Collector::new(&[]))
}

/// A page as the pipeline renders it: parsed first, so its code samples come
/// from the model.
fn parsed(text: &str) -> Body {
    let (h, _) = md(false);
    let src = crate::parse::PageSource { path: "a.md", rel: "a.md", src_dir: "", text: &text.into() };
    let page = crate::parse::page(&src, &|_| None).0;
    crate::render::page_body(&Markdown { highlighter: &h, raw_html: false, line_numbers: true }, &page)
}

#[test]
fn md_links_become_html_links() {
    assert_eq!(rewrite_link("b/c.md#x").as_deref(), Some("b/c.html#x"));
    assert_eq!(rewrite_link("../c.md").as_deref(), Some("../c.html"));
    assert_eq!(rewrite_link("https://x.org/a.md"), None);
    assert_eq!(rewrite_link("#top"), None);
    assert_eq!(rewrite_link("img.png"), None);
    let body = render("[x](other.md#part)", false);
    assert!(body.html.contains(r#"href="other.html#part""#), "{}", body.html);
}

#[test]
fn headings_get_unique_ids_and_self_links() {
    let body = render("## Key moments\n\n## Key moments\n\n### Café `x` {#custom}\n", false);
    let ids: Vec<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["key-moments", "key-moments-1", "custom"]);
    assert!(body.html.contains(r##"<h2 id="key-moments">Key moments <a class="cg-anchor" href="#key-moments">"##), "{}", body.html);
    assert_eq!(body.headings[2].text, "Café x");
    assert_eq!(slug("中文 标题"), "中文-标题");
}

#[test]
fn raw_html_is_text_with_one_warning_per_stretch() {
    let body = render("Some <b>bold</b> text.\n\n<div>\nblock\n</div>\n", false);
    assert!(body.html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{}", body.html);
    assert!(!body.html.contains("<div>"), "{}", body.html);
    assert_eq!(body.diags.len(), 2, "{:?}", body.diags);
    assert!(body.diags.iter().all(|d| d.message == "raw HTML is shown as text"));
    let allowed = render("Some <b>bold</b>.", true);
    assert!(allowed.html.contains("<b>bold</b>"));
    assert!(allowed.diags.is_empty());
}

#[test]
fn alerts_and_code() {
    let body = parsed("> [!WARNING]\n> Careful.\n\n```python title=\"a <b>.py\"\nx = 1\n```\n");
    assert!(
        body.html.contains(r#"<div class="markdown-alert markdown-alert-warning"><p class="markdown-alert-title">Warning</p>"#),
        "{}",
        body.html
    );
    assert!(body.html.contains("<figcaption>a &lt;b&gt;.py</figcaption>"), "{}", body.html);
    assert!(body.html.contains("hl-"), "{}", body.html);
}

#[test]
fn splices_replace_their_span() {
    let text = "Before\n\n```quiz\n- x\n```\n\nAfter\n";
    let start = text.find("```quiz").unwrap();
    let end = text.find("After").unwrap() - 1;
    let (h, _) = md(false);
    let body = Markdown { highlighter: &h, raw_html: false, line_numbers: true }.page(
        "a.md",
        text,
        0,
        &[Splice { span: start..end, html: "<p>QUIZ</p>" }],
        Collector::new(&[]),
    );
    assert_eq!(body.html, "<p>Before</p>\n<p>QUIZ</p>\n<p>After</p>\n");
}

#[test]
fn a_splice_ends_with_its_block_even_inside_a_quote_or_after_front_matter() {
    // A span that stops short of its block's end (here, before the closing
    // fence) must not swallow what follows the block, nor underflow at the
    // quote's end.
    let text = "---\ntitle: x\n---\n> ```quiz\n> - x\n> ```\n\nAfter\n";
    let start = text.find("```quiz").unwrap();
    let end = text.rfind("> ```").unwrap();
    let (h, _) = md(false);
    let body_start = text.find("> ").unwrap();
    let body = Markdown { highlighter: &h, raw_html: false, line_numbers: true }.page(
        "a.md",
        text,
        body_start,
        &[Splice { span: start..end, html: "<p>QUIZ</p>" }],
        Collector::new(&[]),
    );
    assert!(body.html.contains("<p>QUIZ</p>") && body.html.contains("<p>After</p>"), "{}", body.html);
}

#[test]
fn inline_drops_the_paragraph() {
    let (h, _) = md(false);
    let m = Markdown { highlighter: &h, raw_html: false, line_numbers: true };
    assert_eq!(m.inline("a *b*", &[]), "a <em>b</em>");
    assert_eq!(m.inline("<script>x</script>", &[]), "&lt;script&gt;x&lt;/script&gt;");
}

#[test]
fn links_and_images_with_an_unsafe_scheme_are_text_with_a_located_warning() {
    let text = "[a](javascript:alert(1)) ![b *c*](JAVASCRIPT:x) [d](&#106;avascript:x) <vbscript:x>\n\n\
                [ok](https://x.org) [page](./javascript:alert(1).md) [e][r]\n\n[r]: data:text/html,x\n";
    let body = render(text, false);
    let html = &body.html;
    assert!(!html.contains("<img") && !html.contains("href=\"javascript") && !html.contains("href=\"data"), "{html}");
    assert!(html.starts_with("<p>a b <em>c</em> d vbscript:x</p>"), "the text stays, without its link: {html}");
    assert!(html.contains(r#"<a href="https://x.org">ok</a> <a href="./javascript:alert(1).html">page</a> e</p>"#), "{html}");
    let at: Vec<(&str, Severity)> = body.diags.iter().map(|d| (&text[d.span.clone()], d.severity)).collect();
    let w = Severity::Warning;
    assert_eq!(
        at,
        [("[a](javascript:alert(1))", w), ("![b *c*](JAVASCRIPT:x)", w), ("[d](&#106;avascript:x)", w), ("<vbscript:x>", w), ("[e][r]", w)]
    );
    assert!(body.diags[1].message.starts_with("image `JAVASCRIPT:x` uses the unsafe scheme `javascript:`"), "{:?}", body.diags[1]);
    let hint = render("[p](javascript:alert(1).md)", false).diags[0].hint.clone().unwrap_or_default();
    assert!(hint.contains("`./javascript:alert(1).md`"), "{hint}");
}

#[test]
fn snippets_keep_their_unsafe_links_for_the_block() {
    let (h, _) = md(false);
    let m = Markdown { highlighter: &h, raw_html: false, line_numbers: true };
    let snippets = Snippets::new(&m, SnippetCode::none());
    assert_eq!(snippets.inline("[x](javascript:alert(1)) and [y](java&#9;script:1)"), "x and y");
    assert_eq!(snippets.fragment("[x](javascript:alert(1))"), "<p>x</p>\n");
    assert_eq!(snippets.inline("[ok](#step-1)"), "<a href=\"#step-1\">ok</a>");
    let diags = snippets.diags_at("content/a.md", &(7..12));
    let said: Vec<(&str, &std::ops::Range<usize>, &str)> = diags.iter().map(|d| (d.path.as_str(), &d.span, d.message.as_str())).collect();
    assert_eq!(
        said,
        [
            ("content/a.md", &(7..12), "link `javascript:alert(1)` uses the unsafe scheme `javascript:`; it is shown as plain text"),
            ("content/a.md", &(7..12), "link `java\\tscript:1` uses the unsafe scheme `javascript:`; it is shown as plain text"),
        ],
        "each once, at the block"
    );
}

fn render_within(text: &str, max_html: usize) -> Body {
    let (h, _) = md(false);
    let src = Source { path: "a.md", text, start: 0, splices: &[], code: &[], flavour: Flavour::default() };
    Markdown { highlighter: &h, raw_html: false, line_numbers: true }.page_within(&src, Collector::new(&[]), max_html)
}

#[test]
fn a_page_over_its_html_budget_is_one_located_error_and_nothing_else() {
    let text = "Intro.\n\n".to_string() + &"# a\n".repeat(1000);
    let body = render_within(&text, 4096);
    assert!(body.html.is_empty() && body.headings.is_empty() && body.sections.is_empty(), "{:?}", body.headings.len());
    assert_eq!(body.diags.len(), 1, "{:?}", body.diags);
    let d = &body.diags[0];
    assert!(d.is_error() && d.message.contains("HTML would be over"), "{d:?}");
    assert!(text[d.span.start..].starts_with("# a\n"), "located at the heading that ran out: {:?}", d.span);
    // About 4 KiB of headings fit: the rendering stopped there.
    assert!((20..40).contains(&(d.span.start / 4)), "{:?}", d.span);
    assert!(render_within(&text, 1 << 20).diags.is_empty(), "the same page fits in 1 MiB");
}

#[test]
fn the_budget_counts_the_contents_too() {
    // Levels 2 and 3 are listed in the page's contents as well: the same
    // body HTML with them runs out where one with level 1 does not.
    let (listed, plain) = ("## a\n".repeat(10), "# a\n".repeat(10));
    let (listed_len, plain_len) = (render(&listed, false).html.len(), render(&plain, false).html.len());
    assert_eq!(listed_len, plain_len, "`<h2>` is as long as `<h1>`");
    assert!(render_within(&plain, plain_len).diags.is_empty());
    assert_eq!(render_within(&listed, listed_len).diags.len(), 1);
}

#[test]
fn twenty_thousand_identical_headings_get_mdbooks_ids() {
    let body = render(&"## Same\n\n".repeat(20_000), false);
    let ids: Vec<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!((ids.len(), ids[0], ids[1], ids[19_999]), (20_000, "same", "same-1", "same-19999"));
}

#[test]
fn code_too_large_to_highlight_is_plain_with_a_warning_where_it_is() {
    let long = "a = 1 ".repeat(2000);
    let text = format!("Intro\n\n> ```ruby\n> x = 1\n> {long}\n> ```\n\n```nosuchlang\n{long}\n```\n");
    let body = parsed(&text);
    assert_eq!(body.diags.len(), 1, "only the known language is worth a warning: {:?}", body.diags);
    let d = &body.diags[0];
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("12000 bytes, over the 8 KiB"), "{}", d.message);
    assert!(text[d.span.start..].starts_with(&format!("> {long}")), "at the long line: {:?}", d.span);
    assert!(!body.html.contains("hl-") && body.html.contains("a = 1 a = 1"), "plain text");
    assert!(parsed("```ruby\nx = 1\n```\n").diags.is_empty());
}

/// The renderer shows a snippet's fence with the info the parser read, and
/// reads none itself: the same fence is plain without it.
#[test]
fn snippet_fences_are_shown_with_what_the_parser_read() {
    let (h, _) = md(false);
    let m = Markdown { highlighter: &h, raw_html: false, line_numbers: true };
    let prompt = "What runs?\n\n```python id=probe title=\"A \\\"probe\\\"\"\nx = 1\n```\n";
    let mut code = SnippetCode::default();
    code.insert(prompt, crate::parse::snippet_fences(prompt));
    let shown = Snippets::new(&m, &code).fragment(prompt);
    assert!(shown.contains("id=\"probe\"") && shown.contains("A &quot;probe&quot;"), "{shown}");
    assert!(shown.contains("<span class=\"cg-line\" id=\"probe-L1\" data-line=\"1\">"), "numbered as a sample with an id: {shown}");
    let unread = Snippets::new(&m, SnippetCode::none()).fragment(prompt);
    assert!(!unread.contains("probe"), "nothing of the info string is read at render time: {unread}");
}
