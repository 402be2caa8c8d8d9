//! `coursegen serve` from the outside: the real binary on 127.0.0.1 with an
//! ephemeral port, hostile requests and load. Watching and live reload are in
//! `serve_watch`, incremental builds in `incremental`.
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
        Served::start_via(&[], dir, extra)
    }

    /// Like [`Served::start`], but through `wrapper`: a program and its first
    /// arguments, followed by the coursegen binary and its arguments. The
    /// wrapper must end by exec'ing coursegen, so that killing the child kills
    /// the server.
    pub fn start_via(wrapper: &[&str], dir: &std::path::Path, extra: &[&str]) -> Served {
        let bin = env!("CARGO_BIN_EXE_coursegen");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = command
            .arg("serve")
            .arg(dir)
            .args(["-p", "0", "--stop-after", STOP_AFTER])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {wrapper:?} {bin}: {e}"));
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

    /// The server's process id (for its memory and threads in /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
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
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no header end in {:?}", String::from_utf8_lossy(&buf))))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status =
        head.split(' ').nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| std::io::Error::other(format!("bad status line: {head}")))?;
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
            "/etc/passwd",
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "/index.html%00",
            "/%00",
            "/a%00b.html",
            "/book.toml",
            "/content/one.md",
            "/C:%5cWindows%5cwin.ini",
            "/c:/windows/win.ini",
            "/%5c%5cserver%5cshare",
            "/.%2e/.%2e/etc/passwd",
            "/css/..%2f..%2f..%2fetc/passwd",
            "/css/%2e%2e/%2e%2e/Cargo.toml",
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
    let (status, _, _) = served
        .raw(&format!("GET http://127.0.0.1:{0}/../book.toml HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\nConnection: close\r\n\r\n", served.port));
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
    let (status, head, _) =
        served.raw(&format!("HEAD /__coursegen/events HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200, "HEAD of the event stream answers at once: {head}");
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"] {
        let (status, head, _) =
            served.raw(&format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");
    }
    let (status, _, _) =
        served.raw(&format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"));
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
