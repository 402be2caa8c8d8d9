//! `coursegen serve` watching and live reload: edits, editors' atomic saves,
//! renames, deletes, bursts, the error overlay, CSS swaps, polling, and the
//! browser test of reload and the overlay (`tests/browser/reload.mjs`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::serve::{QUIZ_PAGE, Served, course};
use crate::support::write_files;

/// An open event stream, read as text.
struct Events(TcpStream, String);

impl Events {
    fn open(served: &Served) -> Events {
        let (_, _, body) = served.get("/one.html");
        let html = String::from_utf8_lossy(&body);
        let since = html.split("since=").nth(1).and_then(|r| r.split('\'').next()).expect("generation in the page").to_string();
        let mut s = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
        let req = format!("GET /__coursegen/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", served.port);
        s.write_all(req.as_bytes()).expect("write");
        Events(s, String::new())
    }

    /// Reads until `needle` arrives; panics after `secs`.
    fn wait_for(&mut self, needle: &str, secs: u64) {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while !self.1.contains(needle) {
            assert!(start.elapsed() < Duration::from_secs(secs), "no {needle:?} in the event stream:\n{}", self.1);
            if let Ok(n) = self.0.read(&mut buf) {
                self.1.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    }
}

/// Polls `path` until its body contains (or, with `present = false`, lacks) `needle`.
pub fn wait_for_page(served: &Served, path: &str, needle: &str, present: bool) -> String {
    let start = Instant::now();
    loop {
        let (_, _, body) = served.get(path);
        let body = String::from_utf8_lossy(&body).into_owned();
        if body.contains(needle) == present {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{path} never {} {needle:?}; stderr:\n{}",
            if present { "showed" } else { "lost" },
            served.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn edits_atomic_saves_renames_and_deletes_are_picked_up() {
    let dir = course("serve-watch");
    let served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    let mut events = Events::open(&served);
    let content = dir.path().join("content");
    std::fs::write(content.join("one.md"), "# One\n\nEdited in place.\n").expect("write");
    wait_for_page(&served, "/one.html", "Edited in place.", true);
    events.wait_for("event: reload", 30);
    // An editor's atomic save: write a temp file, rename it over the lesson.
    std::fs::write(content.join(".one.md.tmp"), "# One\n\nSaved atomically.\n").expect("write");
    std::fs::rename(content.join(".one.md.tmp"), content.join("one.md")).expect("rename");
    wait_for_page(&served, "/one.html", "Saved atomically.", true);
    // vim with `backupcopy=no`: the original becomes `one.md~`, a new file is written.
    std::fs::rename(content.join("one.md"), content.join("one.md~")).expect("rename");
    std::fs::write(content.join("one.md"), "# One\n\nSaved by vim.\n").expect("write");
    std::fs::remove_file(content.join("one.md~")).expect("remove");
    wait_for_page(&served, "/one.html", "Saved by vim.", true);
    // A new file and a SUMMARY entry for it; then a rename and a delete.
    std::fs::write(content.join("three.md"), "# Three\n\nBrand new.\n").expect("write");
    std::fs::write(content.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Three](three.md)\n").expect("write");
    wait_for_page(&served, "/three.html", "Brand new.", true);
    std::fs::rename(content.join("three.md"), content.join("four.md")).expect("rename");
    std::fs::write(content.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Four](four.md)\n").expect("write");
    wait_for_page(&served, "/four.html", "Brand new.", true);
    wait_for_page(&served, "/three.html", "Brand new.", false);
    std::fs::write(content.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n").expect("write");
    std::fs::remove_file(content.join("four.md")).expect("remove");
    wait_for_page(&served, "/four.html", "Brand new.", false);
    assert!(!dir.path().join("book").exists(), "serve writes nothing to disk");
}

#[test]
fn two_hundred_files_changed_at_once_give_one_rebuild() {
    let dir = course("serve-burst");
    let mut summary = String::from("# Summary\n\n");
    for i in 0..200 {
        summary.push_str(&format!("- [L{i}](l{i}.md)\n"));
        std::fs::write(dir.path().join(format!("content/l{i}.md")), format!("# L{i}\n\nbefore\n")).expect("write");
    }
    std::fs::write(dir.path().join("content/SUMMARY.md"), summary).expect("write");
    // A wide debounce window, so a slow machine still writes all 200 inside it.
    let served = Served::start(dir.path(), &["--debounce-ms", "700"]);
    for i in 0..200 {
        std::fs::write(dir.path().join(format!("content/l{i}.md")), format!("# L{i}\n\nafter\n")).expect("write");
    }
    wait_for_page(&served, "/l199.html", "after", true);
    wait_for_page(&served, "/l0.html", "after", true);
    // Give a second rebuild, if there were to be one, time to show up.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(served.count("rebuilt in"), 1, "stderr:\n{}", served.log());
}

#[test]
fn a_broken_quiz_shows_the_overlay_until_fixed() {
    let dir = course("serve-overlay");
    let mut served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    let two = dir.path().join("content/two.md");
    std::fs::write(&two, "# Two\n\n```quiz\n- prompt: Pick one\n  options: [Yes, No\n  answer: <b>A\n```\n").expect("write");
    let page = wait_for_page(&served, "/one.html", "coursegen-overlay", true);
    assert!(page.contains("content/two.md:"), "diagnostic with its place: {page}");
    assert!(page.contains("First lesson text."), "the last good page is still served");
    assert!(!page.contains("<b>A"), "source text is escaped");
    served.wait_for("build failed", 1, 30);
    std::fs::write(&two, QUIZ_PAGE).expect("write");
    wait_for_page(&served, "/one.html", "coursegen-overlay", false);
    served.assert_alive();
}

#[test]
fn a_css_only_change_swaps_the_stylesheet() {
    let dir = course("serve-css");
    write_files(
        dir.path(),
        &[
            ("book.toml", b"[book]\ntitle = \"Serve test\"\nsrc = \"content\"\n\n[preprocessor.coursegen]\ntheme = \"mine\"\n"),
            ("themes/mine/css/extra.css", b"body { color: black; }\n"),
        ],
    );
    let served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    let (status, _, _) = served.get("/css/extra.css");
    assert_eq!(status, 200, "{}", served.log());
    let mut events = Events::open(&served);
    std::fs::write(dir.path().join("themes/mine/css/extra.css"), "body { color: navy; }\n").expect("write");
    events.wait_for("event: css\ndata: /css/extra.css\n", 30);
    assert!(!events.1.contains("event: reload"), "{}", events.1);
    wait_for_page(&served, "/css/extra.css", "navy", true);
}

#[test]
fn polling_picks_up_edits_too() {
    let dir = course("serve-poll");
    let served = Served::start(dir.path(), &["--poll", "--debounce-ms", "50"]);
    assert!(served.log().contains("polling"), "{}", served.log());
    std::fs::write(dir.path().join("content/one.md"), "# One\n\nSeen by polling.\n").expect("write");
    wait_for_page(&served, "/one.html", "Seen by polling.", true);
}

#[test]
fn chromium_sees_edits_and_the_overlay_without_a_manual_reload() {
    if !crate::browser::browser_ready() {
        return;
    }
    let dir = course("serve-browser");
    let one: String = std::iter::once("# One\n\n".to_string())
        .chain((1..=40).map(|i| format!("Paragraph {i}. Some lesson text, long enough to scroll the page.\n\n")))
        .collect();
    std::fs::write(dir.path().join("content/one.md"), one).expect("write");
    let served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    let url = format!("http://127.0.0.1:{}/", served.port);
    let out = crate::node::run("reload.mjs", &[Path::new(&url), dir.path()]);
    assert!(
        out.status.success(),
        "node reload.mjs exited with {}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--- server ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        served.log()
    );
    print!("{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_course_broken_from_the_start_is_served_with_the_overlay() {
    let dir = course("serve-broken-start");
    let two = dir.path().join("content/two.md");
    std::fs::write(&two, "# Two\n\n```quiz\n- prompt: Pick one\n  options: [Yes, No\n```\n").expect("write");
    let mut served = Served::start(dir.path(), &["--debounce-ms", "50"]);
    let (status, _, body) = served.get("/one.html");
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, 404, "no good build yet");
    assert!(body.contains("coursegen-overlay") && body.contains("content/two.md:"), "{body}");
    std::fs::write(&two, QUIZ_PAGE).expect("write");
    let page = wait_for_page(&served, "/one.html", "First lesson text.", true);
    assert!(!page.contains("coursegen-overlay"));
    served.assert_alive();
}
