//! `coursegen serve` from the outside: the real binary on 127.0.0.1 with an
//! ephemeral port, hostile requests, load, watching and live reload, and the
//! browser test of reload and the error overlay (`tests/browser/reload.mjs`).
//!
//! Every server is started with `--stop-after`, so it stops by itself even when
//! a test dies before killing it; [`Served`] kills it on drop too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use crate::support::{TempDir, write_files};

/// The longest any test server lives.
const STOP_AFTER: &str = "180";

/// A running `coursegen serve` and what it printed.
pub struct Served {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Served {
    /// Starts `coursegen serve <dir> -p 0 <extra>` and waits for its URL.
    pub fn start(dir: &std::path::Path, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coursegen"))
            .arg("serve")
            .arg(dir)
            .args(["-p", "0", "--stop-after", STOP_AFTER])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot run the coursegen binary");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let log2 = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(port) = line.split("serving at http://127.0.0.1:").nth(1).and_then(|r| r.split('/').next()) {
                    let _ = tx.send(port.parse::<u16>().ok());
                }
                log2.lock().unwrap().push(line);
            }
        });
        let port = rx.recv_timeout(Duration::from_secs(60)).ok().flatten();
        let mut served = Served { child, port: 0, log };
        served.port = port.unwrap_or_else(|| panic!("no URL printed; stderr:\n{}", served.log()));
        served
    }

    /// Everything printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// How many printed lines contain `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.log.lock().unwrap().iter().filter(|l| l.contains(needle)).count()
    }

    /// Waits until `count(needle) >= n`; panics with the log after `secs`.
    pub fn wait_for(&self, needle: &str, n: usize, secs: u64) {
        let start = Instant::now();
        while self.count(needle) < n {
            assert!(start.elapsed() < Duration::from_secs(secs), "waited {secs} s for {n}× {needle:?}; stderr:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends a raw request and returns (status, head, body).
    pub fn raw(&self, request: &str) -> (u16, String, Vec<u8>) {
        raw_request(self.port, request.as_bytes()).unwrap_or_else(|e| panic!("request failed: {e}; stderr:\n{}", self.log()))
    }

    /// GET `path` with a proper Host header.
    pub fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.raw(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port))
    }

    /// Asserts the process is still running.
    pub fn assert_alive(&mut self) {
        assert!(self.child.try_wait().expect("try_wait").is_none(), "server exited; stderr:\n{}", self.log());
        let (status, _, _) = self.get("/");
        assert_eq!(status, 200);
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on a fresh connection; reads until the server closes it.
pub fn raw_request(port: u16, request: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.write_all(request)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| std::io::Error::other(format!("no header end in {:?}", String::from_utf8_lossy(&buf))))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| std::io::Error::other(format!("bad status line: {head}")))?;
    Ok((status, head, buf[split + 4..].to_vec()))
}

/// A lesson with a valid quiz.
pub const QUIZ_PAGE: &str = "# Two\n\n```quiz\n- prompt: Pick one\n  options: [Yes, No]\n  answer: A\n```\n";

/// A small course: two lessons and a quiz.
pub fn course(label: &str) -> TempDir {
    let dir = TempDir::new(label);
    write_files(
        dir.path(),
        &[
            ("book.toml", b"[book]\ntitle = \"Serve test\"\nsrc = \"content\"\n"),
            ("content/SUMMARY.md", b"# Summary\n\n- [One](one.md)\n- [Two](two.md)\n"),
            ("content/one.md", b"# One\n\nFirst lesson text.\n"),
            ("content/two.md", QUIZ_PAGE.as_bytes()),
        ],
    );
    dir
}

/// Every way we know to climb out of the site, several times over.
fn traversal_payloads() -> Vec<String> {
    let dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..%00", "%c0%ae%c0%ae", "%252e%252e", "...", ".."];
    let seps = ["/", "%2f", "%2F", "\\", "%5c", "%5C", "//", "/./"];
    let targets = ["etc/passwd", "book.toml", "Cargo.toml", "content/SUMMARY.md"];
    let mut out = Vec::new();
    for (i, dot) in dots.iter().enumerate() {
        for sep in seps {
            for depth in 1..=3 {
                let target = targets[(i + depth) % targets.len()];
                out.push(format!("/{}{target}", format!("{dot}{sep}").repeat(depth)));
            }
        }
    }
    out.extend(
        [
            "/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd", "/index.html%00", "/%00", "/a%00b.html", "/book.toml",
            "/content/one.md", "/C:%5cWindows%5cwin.ini", "/c:/windows/win.ini", "/%5c%5cserver%5cshare", "/.%2e/.%2e/etc/passwd",
            "/css/..%2f..%2f..%2fetc/passwd", "/css/%2e%2e/%2e%2e/Cargo.toml",
        ]
        .map(String::from),
    );
    out
}

#[test]
fn traversal_payloads_get_400_or_404_and_the_server_stays_up() {
    let dir = course("serve-traversal");
    let mut served = Served::start(dir.path(), &[]);
    let payloads = traversal_payloads();
    assert!(payloads.len() >= 200, "only {} payloads", payloads.len());
    let mut statuses = std::collections::BTreeMap::new();
    for p in &payloads {
        let (status, _, body) = served.get(p);
        let body = String::from_utf8_lossy(&body);
        assert!(status == 400 || status == 404, "{p} gave {status}");
        assert!(!body.contains("root:") && !body.contains("[book]") && !body.contains("[package]"), "{p} leaked a file");
        *statuses.entry(status).or_insert(0) += 1;
    }
    // Absolute-form targets are refused too.
    let (status, _, _) = served.raw(&format!("GET http://127.0.0.1:{0}/../book.toml HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\nConnection: close\r\n\r\n", served.port));
    assert_eq!(status, 400);
    println!("{} traversal payloads: {statuses:?}", payloads.len());
    served.assert_alive();
}

#[test]
fn methods_hosts_bodies_and_long_urls_are_refused() {
    let dir = course("serve-refuse");
    let mut served = Served::start(dir.path(), &[]);
    let port = served.port;
    let (status, head, body) = served.raw(&format!("HEAD /one.html HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/html"), "{head}");
    assert!(body.is_empty(), "HEAD has no body");
    let (status, head, _) = served.raw(&format!("HEAD /__coursegen/events HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200, "HEAD of the event stream answers at once: {head}");
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"] {
        let (status, head, _) = served.raw(&format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");
    }
    let (status, _, _) = served.raw(&format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"));
    assert_eq!(status, 413);
    for host in ["evil.example", "evil.example:{port}", "localhost:1", ""] {
        let host = host.replace("{port}", &port.to_string());
        let (status, _, _) = served.raw(&format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(status, 403, "Host: {host}");
    }
    let (status, _, _) = served.get(&format!("/{}", "a".repeat(5000)));
    assert_eq!(status, 414);
    let (status, head, body) = served.get("/one.html");
    assert_eq!(status, 200);
    assert!(!head.to_ascii_lowercase().contains("access-control"), "no CORS headers: {head}");
    assert!(String::from_utf8_lossy(&body).contains("__coursegen/events"), "reload script injected");
    let (status, _, css) = served.get("/css/coursegen.css");
    assert_eq!(status, 200);
    assert!(!String::from_utf8_lossy(&css).contains("__coursegen"), "only HTML gets the script");
    let (status, _, body) = served.get("/missing.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("__coursegen/events"));
    served.assert_alive();
}

#[test]
fn a_thousand_concurrent_requests_all_succeed() {
    let dir = course("serve-load");
    let mut served = Served::start(dir.path(), &[]);
    let port = served.port;
    let n = 1000;
    let barrier = Arc::new(Barrier::new(n));
    let paths = ["/", "/one.html", "/two.html", "/css/coursegen.css", "/js/coursegen.js"];
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            let path = paths[i % paths.len()];
            std::thread::Builder::new()
                .stack_size(128 * 1024)
                .spawn(move || {
                    barrier.wait();
                    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
                    raw_request(port, req.as_bytes()).map(|(s, _, b)| (s, b.len())).map_err(|e| e.to_string())
                })
                .expect("spawn")
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().expect("client thread")).collect();
    let errors: Vec<_> = results.iter().filter(|r| !matches!(r, Ok((200, len)) if *len > 0)).collect();
    assert!(errors.is_empty(), "{} of {n} failed, first: {:?}", errors.len(), errors.first());
    println!("{n} concurrent requests, 0 errors");
    served.assert_alive();
}

#[test]
fn idle_connections_are_closed_and_cannot_starve_the_server() {
    let dir = course("serve-idle");
    let mut served = Served::start(dir.path(), &[]);
    // More idle sockets than the connection cap (128), one with half a request.
    let mut idle: Vec<TcpStream> = (0..150).map(|_| TcpStream::connect(("127.0.0.1", served.port)).expect("connect")).collect();
    idle[0].write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("write");
    let (status, _, _) = served.get("/one.html");
    assert_eq!(status, 200, "a real request gets through once idle sockets time out");
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        let mut buf = [0u8; 64];
        // Closed by the server: EOF or a reset, never a hang.
        let n = s.read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0, "idle socket got data: {:?}", String::from_utf8_lossy(&buf[..n]));
    }
    served.assert_alive();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let dir = course("serve-port");
    let out = Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .arg("serve")
        .arg(dir.path())
        .args(["-p", &port, "--stop-after", "5"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains(&format!("127.0.0.1:{port}: port already in use")), "{stderr}");
}

#[test]
fn open_without_xdg_open_prints_the_url() {
    let dir = course("serve-open");
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .arg("serve")
        .arg(dir.path())
        .args(["-p", "0", "-o", "--stop-after", "3"])
        .env("PATH", "")
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read");
    let _ = child.wait();
    assert!(stderr.contains("cannot run xdg-open; open http://127.0.0.1:"), "{stderr}");
}

#[test]
fn build_output_has_no_live_reload() {
    let dir = course("serve-build");
    let out = crate::support::coursegen(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    for page in ["index.html", "one.html", "two.html", "404.html"] {
        let html = std::fs::read_to_string(dir.path().join("book").join(page)).expect("page");
        assert!(!html.contains("__coursegen") && !html.contains("coursegen-overlay"), "{page}");
    }
}

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
fn wait_for_page(served: &Served, path: &str, needle: &str, present: bool) -> String {
    let start = Instant::now();
    loop {
        let (_, _, body) = served.get(path);
        let body = String::from_utf8_lossy(&body).into_owned();
        if body.contains(needle) == present {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{path} never {} {needle:?}; stderr:\n{}", if present { "showed" } else { "lost" }, served.log());
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
    let script = crate::browser::browser_dir().join("reload.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}/", served.port))
        .arg(dir.path())
        .output()
        .expect("cannot run node");
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

/// Replaces the text of source file `rel` in `input`.
fn edit(input: &mut coursegen::site::Input, rel: &str, f: impl Fn(&str) -> String) {
    let file = input.files.iter_mut().find(|x| x.rel == rel).expect("file in the course");
    if let coursegen::site::FileData::Text(t) = &mut file.data {
        *t = f(t);
    }
}

#[test]
fn incremental_rebuilds_match_full_builds_and_redo_only_what_changed() {
    use coursegen::memo::Memo;
    use coursegen::site::{Tools, build, build_with};
    let mut input = coursegen::load::load(crate::support::repo_root()).expect("load the example course").input;
    let tools = Tools::default();
    let mut memo = Memo::default();
    let first = build_with(&input, &tools, &mut memo).site.expect("builds");
    let pages = first.pages;
    assert!(pages > 3);
    assert_eq!(memo.stats.parsed, pages);
    let lesson = input.files.iter().find(|f| f.rel.ends_with(".md") && f.rel != "SUMMARY.md").expect("a lesson").rel.clone();
    let full_and_incremental = |input: &coursegen::site::Input, memo: &mut Memo| {
        let full = build(input, &tools).site.expect("full build");
        let incremental = build_with(input, &tools, memo).site.expect("incremental build");
        assert_eq!(full.files.keys().collect::<Vec<_>>(), incremental.files.keys().collect::<Vec<_>>());
        for (k, v) in &full.files {
            assert!(incremental.files[k] == *v, "{k} differs between full and incremental builds");
        }
    };
    // Nothing changed: nothing parsed or rendered again.
    full_and_incremental(&input, &mut memo);
    assert_eq!((memo.stats.parsed, memo.stats.rendered), (0, 0), "{:?}", memo.stats);
    // A body edit: that page only.
    edit(&mut input, &lesson, |t| format!("{t}\n\nA new closing paragraph.\n"));
    full_and_incremental(&input, &mut memo);
    assert_eq!((memo.stats.parsed, memo.stats.rendered), (1, 1), "{:?}", memo.stats);
    // A new title changes every page's navigation: one parse, every page rendered.
    edit(&mut input, &lesson, |t| t.replacen("title: ", "title: Retitled ", 1));
    full_and_incremental(&input, &mut memo);
    assert_eq!(memo.stats.parsed, 1, "{:?}", memo.stats);
    assert_eq!(memo.stats.rendered, pages, "{:?}", memo.stats);
}

/// What a load read, comparable: files, unreadable paths and sorted diagnostics.
fn loaded_summary(l: &coursegen::load::Loaded) -> String {
    let mut diags: Vec<String> = l.diags.iter().map(|d| format!("{d:?}")).collect();
    diags.sort();
    let mut unreadable = l.input.unreadable.clone();
    unreadable.sort();
    format!("{:?}\n{unreadable:?}\n{diags:?}\n{:?}", l.input.files, l.other_texts)
}

#[test]
fn reloading_changed_files_gives_what_a_full_load_gives() {
    use coursegen::load::{load, reload};
    let dir = course("serve-reload");
    let root = std::fs::canonicalize(dir.path()).expect("root");
    let content = root.join("content");
    let mut loaded = load(&root).expect("load");
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, Vec<std::path::PathBuf>);
    let steps: Vec<Step<'_>> = vec![
        ("edit", Box::new(|| std::fs::write(content.join("one.md"), "# One\n\nChanged.\n").expect("write")), vec![content.join("one.md")]),
        ("new file", Box::new(|| std::fs::write(content.join("img.svg"), "<svg/>").expect("write")), vec![content.join("img.svg")]),
        ("invalid UTF-8", Box::new(|| std::fs::write(content.join("two.md"), b"# Two\n\xff\n").expect("write")), vec![content.join("two.md")]),
        ("fixed", Box::new(|| std::fs::write(content.join("two.md"), QUIZ_PAGE).expect("write")), vec![content.join("two.md")]),
        ("hidden", Box::new(|| std::fs::write(content.join(".one.md.swp"), "x").expect("write")), vec![content.join(".one.md.swp")]),
        ("delete", Box::new(|| std::fs::remove_file(content.join("img.svg")).expect("remove")), vec![content.join("img.svg")]),
        ("new folder", Box::new(|| write_files(&content, &[("deep/er/x.md", b"# X\n")])), vec![content.join("deep")]),
        ("folder gone", Box::new(|| std::fs::remove_dir_all(content.join("deep")).expect("remove")), vec![content.join("deep")]),
        (
            "book.toml",
            Box::new(|| std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T2\"\nsrc = \"content\"\n").expect("write")),
            vec![root.join("book.toml")],
        ),
    ];
    for (what, step, changed) in steps {
        step();
        let stale = format!("{:?}", loaded.input.files);
        loaded = reload(&root, loaded, &changed).expect("reload");
        if !matches!(what, "hidden" | "book.toml") {
            assert_ne!(stale, format!("{:?}", loaded.input.files), "{what}: reload changed nothing");
        }
        assert_eq!(loaded_summary(&loaded), loaded_summary(&load(&root).expect("load")), "after {what}");
    }
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

#[test]
fn endless_headers_are_cut_off() {
    let dir = course("serve-flood");
    let mut served = Served::start(dir.path(), &[]);
    let mut s = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
    s.set_write_timeout(Some(Duration::from_secs(30))).expect("timeout");
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("write");
    let line = format!("X-Flood: {}\r\n", "a".repeat(1000));
    let mut sent = 0usize;
    // The server must hang up long before 64 MiB.
    while sent < 64 << 20 {
        if s.write_all(line.as_bytes()).is_err() {
            break;
        }
        sent += line.len();
    }
    assert!(sent < 64 << 20, "the server kept reading {sent} bytes of headers");
    served.assert_alive();
}
