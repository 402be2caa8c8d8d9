//! Titles agree (issue 19): the sidebar (in every page and in the no-script
//! contents), Previous/Next, Continue (`data-cg-title`) and the home page's
//! quiz progress list name a page alike: by its own title by default, by its
//! SUMMARY.md entry with `nav-titles = "summary"`.

use crate::support::Course;

const QUIZ: &str = "# Own quiz title\n\n```quiz\n- prompt: Pick one.\n  options: [a, b]\n  answer: A\n```\n";

/// A course whose SUMMARY.md entries (`first`, `second`) differ from the
/// pages' own titles.
fn course(label: &str, nav_titles: Option<&str>) -> Course {
    let c = Course::new(label).lesson("first.md", "# Own first title\n\nText.\n").lesson("second.md", QUIZ);
    match nav_titles {
        Some(t) => {
            let toml = format!("[book]\ntitle = \"{label}\"\nsrc = \"content\"\n[preprocessor.coursegen]\nnav-titles = \"{t}\"\n");
            c.file("book.toml", toml.as_bytes())
        }
        None => c,
    }
}

/// Every place `course` names the second page, as `(where, what it says)`.
fn names_of_second(course: &Course) -> Vec<(&'static str, String)> {
    let run = course.build();
    assert!(run.ok(), "{}", run.stderr());
    let link_text = |html: &str, href: &str| -> String {
        let needle = format!("href=\"{href}\"");
        // The first `<a` with that href (not a `<link rel=next>`).
        let at = html
            .match_indices(&needle)
            .map(|(i, _)| i)
            .find(|&i| html[..i].rfind('<').is_some_and(|t| html[t..].starts_with("<a ")))
            .unwrap_or_else(|| panic!("no link to {href} in\n{html}"));
        let text = &html[at..];
        let start = text.find('>').expect("a link's text") + 1;
        let end = text[start..].find("</a>").expect("the link ends") + start;
        // The text without tags (a pager link holds spans).
        let mut plain = String::new();
        let mut in_tag = false;
        for c in text[start..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        // Without the chapter number the sidebar puts first (`2.`).
        let words = plain.split_whitespace().skip_while(|w| w.trim_end_matches('.').chars().all(|c| c.is_ascii_digit() || c == '.'));
        words.collect::<Vec<_>>().join(" ")
    };
    let first = course.read("book/first.html");
    let pager = &first[first.find("cg-pager-next").expect("a Next link")..];
    let pager_title = pager.split("cg-pager-title\">").nth(1).and_then(|t| t.split('<').next()).expect("the Next title").to_string();
    let second = course.read("book/second.html");
    let continue_title = second.split("data-cg-title=\"").nth(1).and_then(|t| t.split('"').next()).expect("data-cg-title").to_string();
    let home = course.read("book/index.html");
    // The sidebar every page injects is the contents page's list.
    let toc_js = course.read("book/js/toc.js").replace("\\u003c", "<").replace("\\\"", "\"");
    let progress = &home[home.find("cg-progress-list").expect("the quiz progress list")..];
    vec![
        ("sidebar", link_text(&toc_js, "second.html")),
        ("contents", link_text(&course.read("book/toc.html"), "second.html")),
        ("home contents", link_text(&home, "second.html")),
        ("next", pager_title),
        ("continue", continue_title),
        ("progress", link_text(progress, "second.html")),
    ]
}

#[test]
fn every_link_to_a_page_uses_its_own_title_by_default() {
    for (place, name) in names_of_second(&course("own-titles", None)) {
        assert_eq!(name, "Own quiz title", "{place}");
    }
    for (place, name) in names_of_second(&course("own-titles-page", Some("page"))) {
        assert_eq!(name, "Own quiz title", "{place}, nav-titles = \"page\"");
    }
}

#[test]
fn a_course_can_ask_for_summary_titles() {
    for (place, name) in names_of_second(&course("summary-titles", Some("summary"))) {
        assert_eq!(name, "second", "{place}");
    }
}
