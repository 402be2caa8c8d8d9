//! The XSS corpus (`tests/fixtures/xss`, every author field carrying a payload)
//! through `coursegen build`, in Chromium (`tests/browser/xss.mjs`), and through
//! `coursegen mdbook` (its JSON on stdout, and mdBook's pages when `mdbook` is
//! on PATH).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::browser::{assert_script_fails_with, assert_script_passes, browser_ready};
use crate::support::{TempDir, coursegen, repo_root, stderr};

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/xss")
}

/// `coursegen build` of the corpus into `out`; returns its stderr.
fn build_corpus(out: &Path) -> String {
    let o = coursegen(&fixture(), &["build", "-d", out.to_str().expect("utf-8 temp path")]);
    assert!(o.status.success(), "the corpus builds (its payloads are warnings):\n{}", stderr(&o));
    stderr(&o)
}

/// Whether a URL as written in an attribute could run or show content of
/// the author's choosing: anything but http, https, mailto and relative
/// URLs. Written apart from the build's own filter, on purpose.
fn scheme_is_unsafe(value: &str) -> bool {
    let v: String = value.replace("&#x27;", "'").replace("&amp;", "&").chars().filter(|c| !c.is_control()).collect();
    let v = v.trim().to_ascii_lowercase();
    let Some(colon) = v.find(':') else { return false };
    let before = &v[..colon];
    let is_scheme = !before.contains(['/', '?', '#']);
    is_scheme && !["http", "https", "mailto"].contains(&before)
}

/// A tag as read from the HTML: its lower-case name, its attributes and its text.
type Tag<'a> = (String, Vec<(String, String)>, &'a str);

/// The tags of `html` (from `<` and a letter to `>`: in coursegen's output a
/// `>` inside an attribute value is always `&gt;`).
fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let text = &rest[i..end];
        rest = &rest[i + 1..];
        let name: String = text[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        out.push((name.clone(), attributes(&text[1 + name.len()..]), text));
    }
    out
}

/// `name="value"`, `name='value'`, `name=value` and bare names, as HTML reads them.
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let name_len = s.find(|c: char| c.is_whitespace() || "=>/".contains(c)).unwrap_or(s.len());
        if name_len == 0 {
            return out;
        }
        let name = s[..name_len].to_ascii_lowercase();
        s = s[name_len..].trim_start();
        let value = match s.strip_prefix('=').map(str::trim_start) {
            Some(v) if v.starts_with(['"', '\'']) => {
                let q = &v[..1];
                let close = v[1..].find(q).map_or(v.len(), |j| j + 1);
                s = v.get(close + 1..).unwrap_or_default();
                v[1..close].to_string()
            }
            Some(v) => {
                let len = v.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(v.len());
                s = &v[len..];
                v[..len].to_string()
            }
            None => String::new(),
        };
        out.push((name, value));
    }
}

/// Every URL attribute (`href`, `src`, `xlink:href`) value of the tags of `html`.
fn url_attributes(html: &str) -> Vec<String> {
    let urls = tags(html).into_iter().flat_map(|(_, attrs, _)| attrs);
    urls.filter(|(name, _)| ["href", "src", "xlink:href"].contains(&name.as_str())).map(|(_, v)| v).collect()
}

/// Problems in HTML that coursegen wrote around author text: a tag with an
/// inline event handler, an element a payload would bring (`<img>`, `<iframe>`,
/// a second `<svg>`…), a script that is not a JSON island, an unsafe URL, a
/// raw U+2028/U+2029 or `<` inside a JSON island.
fn live_payloads(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for (name, attrs, text) in tags(html) {
        if attrs.iter().any(|(a, _)| a.starts_with("on")) {
            bad.push(format!("an inline event handler: {text}"));
        }
        if ["img", "iframe", "object", "embed", "foreignobject", "image", "base", "meta", "form"].contains(&name.as_str()) {
            bad.push(format!("an injected element: {text}"));
        }
        if name == "svg" && !attrs.iter().any(|(a, v)| a == "class" && v == "cg-flow-svg") {
            bad.push(format!("an injected svg: {text}"));
        }
        if name == "script" && !attrs.iter().any(|(a, v)| a == "type" && v == "application/json") {
            bad.push(format!("a script that runs: {text}"));
        }
    }
    for island in html.split("<script type=\"application/json\"").skip(1) {
        let body = island.split_once('>').map_or("", |(_, b)| b);
        let body = &body[..body.find("</script>").unwrap_or(body.len())];
        if body.contains(['<', '\u{2028}', '\u{2029}']) {
            bad.push(format!("a JSON island with `<` or a raw line separator: {body}"));
        }
    }
    bad.extend(url_attributes(html).into_iter().filter(|u| scheme_is_unsafe(u)).map(|u| format!("an unsafe URL: {u}")));
    bad
}

#[test]
fn corpus_builds_with_located_warnings_and_no_unsafe_url() {
    let site = TempDir::new("xss-build");
    let log = build_corpus(site.path());
    for expected in [
        "content/intro.md:23:1: warning: link `javascript:alert('plain')` uses the unsafe scheme `javascript:`; it is shown as plain text",
        "content/intro.md:26:1: warning: link `javascript:alert('decimal')` uses the unsafe scheme `javascript:`",
        "content/intro.md:29:1: warning: link `java\\tscript:alert('tab')` uses the unsafe scheme `javascript:`",
        "content/intro.md:31:1: warning: link `javascript:alert('space')` uses the unsafe scheme `javascript:`",
        "content/intro.md:35:1: warning: link `data:text/html,<script>alert('data2')</script>` uses the unsafe scheme `data:`",
        "content/intro.md:37:1: warning: link `javascript:alert(1).md` uses the unsafe scheme `javascript:`",
        "hint: a page whose name has a `:` is linked as `./javascript:alert(1).md`",
        "content/intro.md:48:9: warning: image `javascript:alert('img')` uses the unsafe scheme `javascript:`; it is shown as its alt text",
        "content/quizzes.md:8:14: warning: link `JAVASCRIPT:alert('option-link')` uses the unsafe scheme `javascript:`",
        "content/payload.toml:4:77: warning: link `javascript:alert('toml-link')` uses the unsafe scheme `javascript:`",
        "content/steps.md:20:16: warning: image `javascript:alert('cell-img')` uses the unsafe scheme `javascript:`",
        "content/steps.md:27:1: warning: link `javascript:alert('tlink')` uses the unsafe scheme `javascript:`",
    ] {
        assert!(log.contains(expected), "the build says {expected:?}:\n{log}");
    }
    let mut files = 0;
    for entry in walkdir::WalkDir::new(site.path()).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let name = entry.path().to_string_lossy().into_owned();
        if !(name.ends_with(".html") || name.ends_with(".js")) || name.contains("/js/search/") || name.ends_with("index.js") {
            continue;
        }
        // Markup inside a JavaScript string (the sidebar in toc.js) has its quotes escaped.
        let text = std::fs::read_to_string(entry.path()).expect("read output").replace("\\\"", "\"");
        let unsafe_urls: Vec<String> = url_attributes(&text).into_iter().filter(|u| scheme_is_unsafe(u)).collect();
        assert!(unsafe_urls.is_empty(), "{name}: {unsafe_urls:?}");
        files += 1;
    }
    assert!(files >= 9, "the pages, toc.js and the theme scripts were read: {files}");
    let read = |rel: &str| std::fs::read_to_string(site.path().join(rel)).expect(rel);
    let link = "href=\"./javascript:alert(1).html\"";
    assert!(read("index.html").contains(&format!("<a class=\"cg-contents-link\" {link}>")), "home page contents");
    assert!(read("toc.html").contains(&format!("<a class=\"cg-nav-link\" {link}>")), "sidebar without scripts");
    assert!(read("js/toc.js").contains("href=\\\"./javascript:alert(1).html\\\""), "sidebar");
    assert!(read("intro.html").contains(&format!("<a class=\"cg-pager-link cg-pager-next\" {link} rel=\"next\">")), "pager");
    assert!(read("flows.html").contains("<link rel=\"prev\" href=\"./javascript:alert(1).html\">"), "head links");
    assert!(read("deep/page.html").contains("href=\"../javascript:alert(1).html\""), "one folder down: ../ is enough");
    assert!(read("js/search-index.js").contains("\"u\":\"./javascript:alert(1).html\""), "search results");
    // The page links to itself (Markdown link with ./) and keeps working.
    assert!(read("intro.html").contains("<a href=\"./javascript:alert(1).html\">script-named page</a>"));
}

#[test]
fn corpus_runs_no_script_in_the_browser() {
    if !browser_ready() {
        return;
    }
    let site = TempDir::new("xss-browser");
    build_corpus(site.path());
    assert_script_passes("xss.mjs", site.path());
    // The check fails on a page where a payload runs, and on a script URL
    // that only runs when clicked.
    let page = site.path().join("intro.html");
    let html = std::fs::read_to_string(&page).expect("intro.html");
    let live = html.replacen("</main>", "<img src=x onerror=\"alert('live')\"><a href=\" JaVa&#x09;script:void(0)\">x</a></main>", 1);
    std::fs::write(&page, live).expect("write intro.html");
    assert_script_fails_with("xss.mjs", site.path(), "FAIL intro.html: a payload ran: alert(\"live\")");
    assert_script_fails_with("xss.mjs", site.path(), "script:void(0)\">: javascript:");
    // A search index whose URL reads as a scheme (as before this was fixed).
    std::fs::write(&page, html).expect("restore intro.html");
    let index = site.path().join("js/search-index.js");
    let js = std::fs::read_to_string(&index).expect("search index").replace("\"u\":\"./javascript:", "\"u\":\"javascript:");
    std::fs::write(&index, js).expect("write search index");
    assert_script_fails_with("xss.mjs", site.path(), "search result javascript:alert(1).html resolves to javascript:");
}

/// The corpus's pages with coursegen blocks, as mdBook hands them to the
/// preprocessor (`{{#quiz}}` included by the preprocessor itself).
fn mdbook_input() -> Vec<u8> {
    let chapter = |name: &str, rel: &str| {
        let content = std::fs::read_to_string(fixture().join("content").join(rel)).expect(rel);
        serde_json::json!({ "Chapter": { "name": name, "content": content, "number": null, "sub_items": [], "path": rel, "source_path": rel, "parent_names": [] } })
    };
    let items = vec![chapter("Flows", "flows.md"), chapter("Steps", "steps.md"), chapter("Quizzes", "quizzes.md")];
    let context = serde_json::json!({
        "root": fixture(),
        "config": { "book": { "src": "content", "title": "XSS </title><script>alert(1)</script>" }, "preprocessor": { "coursegen": { "command": "coursegen mdbook" } } },
        "renderer": "html",
        "mdbook_version": "0.5.0",
    });
    serde_json::to_vec(&serde_json::json!([context, { "items": items }])).expect("json")
}

fn preprocess(stdin: &[u8]) -> Output {
    crate::support::preprocess(stdin, &[])
}

#[test]
fn preprocessor_output_for_the_corpus_carries_no_live_payload() {
    let o = preprocess(&mdbook_input());
    assert!(o.status.success(), "{}", stderr(&o));
    let log = stderr(&o);
    assert!(log.contains("content/payload.toml:4:77: warning: link `javascript:alert('toml-link')`"), "located warnings: {log}");
    let book: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the book as JSON");
    let chapters = book["items"].as_array().expect("items");
    assert_eq!(chapters.len(), 3);
    for ch in chapters {
        let content = ch["Chapter"]["content"].as_str().expect("content");
        let path = ch["Chapter"]["path"].as_str().unwrap_or_default();
        // The theme's styles and scripts follow the last block; they are not author text.
        let (blocks, assets) = content.split_once("<style class=\"coursegen\">").expect("assets appended");
        assert!(assets.contains("<script class=\"coursegen\" data-course=\"XSS &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"));
        assert!(!blocks.contains("```"), "{path}: every block was rendered");
        let bad = live_payloads(blocks);
        assert!(bad.is_empty(), "{path}:\n{}", bad.join("\n"));
    }
    // The check sees a payload that got through.
    assert_eq!(live_payloads("<p>x</p><IMG SRC=x><b onclick=\"x\">").len(), 2);
    assert_eq!(live_payloads("<a href=\"JavaScript:x\">x</a><script>alert(1)</script>").len(), 2);
    assert!(
        live_payloads("<a href=\"./javascript:alert(1).html\">x</a><script type=\"application/json\">[\"\\u003c\"]</script>").is_empty()
    );
}

#[test]
fn corpus_through_real_mdbook_runs_no_script_in_its_blocks() {
    let mdbook = Command::new("mdbook").arg("--version").output();
    if !mdbook.is_ok_and(|o| o.status.success()) || !browser_ready() {
        return;
    }
    let book = TempDir::new("xss-mdbook");
    crate::support::write_files(
        book.path(),
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"XSS {{ 7*7 }}\"\nsrc = \"content\"\n\n[preprocessor.coursegen]\ncommand = \"coursegen mdbook\"\n",
            ),
            // mdBook renders the Markdown around the blocks itself, raw HTML and all: only the
            // pages whose author text is in coursegen's blocks.
            ("content/SUMMARY.md", b"# Summary\n\n- [Flows](flows.md)\n- [Steps](steps.md)\n- [Quizzes](quizzes.md)\n"),
        ],
    );
    for rel in ["flows.md", "steps.md", "quizzes.md", "payload.toml"] {
        std::fs::copy(fixture().join("content").join(rel), book.path().join("content").join(rel)).expect("copy the corpus");
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_coursegen")).parent().expect("binary folder").to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())))
        .expect("PATH");
    let out = book.path().join("book");
    let o = Command::new("mdbook").arg("build").arg(book.path()).arg("-d").arg(&out).env("PATH", path).output().expect("mdbook runs");
    assert!(o.status.success(), "mdbook build:\n{}", stderr(&o));
    let run = crate::node::run("xss.mjs", &[&out, Path::new("--blocks-only")]);
    assert!(run.status.success(), "{}\n{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    print!("{}", String::from_utf8_lossy(&run.stdout));
}
