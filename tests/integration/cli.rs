//! The command line: help, version, init, default paths.

use crate::support::{TempDir, coursegen, stderr};

#[test]
fn help_and_version() {
    let dir = TempDir::new("help");
    for args in [&["--help"][..], &["build", "--help"], &["init", "--help"]] {
        let o = coursegen(dir.path(), args);
        assert!(o.status.success());
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("Usage: coursegen"), "{out}");
    }
    let o = coursegen(dir.path(), &["--version"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), format!("coursegen {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn init_makes_a_course_that_builds_with_every_block() {
    let dir = TempDir::new("init");
    let o = coursegen(dir.path(), &["init", "new"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = coursegen(&dir.path().join("new"), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "no warnings: {}", stderr(&o));
    let book = dir.path().join("new/book");
    let mut all = String::new();
    for e in std::fs::read_dir(&book).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    for kind in
        ["cg-flow", "cg-steps", "cg-tracker", "data-kind=\"choice\"", "data-kind=\"short\"", "data-kind=\"output\"", "data-kind=\"order\""]
    {
        assert!(all.contains(kind), "the scaffold shows {kind}");
    }
    let again = coursegen(dir.path(), &["init", "new"]);
    assert_eq!(again.status.code(), Some(1), "init refuses an existing course");
}

#[test]
fn missing_folder_is_a_clear_error() {
    let dir = TempDir::new("nofolder");
    let o = coursegen(dir.path(), &["build", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "coursegen: error: nope: no such folder\n");
}

/// A server on 127.0.0.1 standing in for the web: `/ok` answers 200, the rest
/// 404; it stops after `requests` requests.
fn fake_web(requests: usize) -> (u16, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("an address").port();
    // Non-blocking accept, so that the server gives up after 20 s without requests.
    listener.set_nonblocking(true).expect("non-blocking");
    let handle = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut answered = 0;
        while answered < requests && std::time::Instant::now() < deadline {
            let Ok((socket, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            };
            let _ = socket.set_nonblocking(false);
            let _ = socket.set_read_timeout(Some(std::time::Duration::from_secs(20)));
            let mut reader = std::io::BufReader::new(&socket);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let code = if line.split(' ').nth(1) == Some("/ok") { "200 OK" } else { "404 Not Found" };
            // The rest of the head, up to its blank line.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let _ = (&socket).write_all(format!("HTTP/1.1 {code}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
            answered += 1;
        }
    });
    (port, handle)
}

#[test]
fn check_external_asks_the_servers_only_when_told() {
    let (port, web) = fake_web(2);
    // A closed port: bind one, note it, close it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let page = format!(
        "# A\n\n[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone) and [down](http://127.0.0.1:{closed}/x).\n"
    );
    let dir = TempDir::new("external");
    crate::support::write_files(
        dir.path(),
        &[("book.toml", b"[book]\nsrc = \"content\"\n"), ("content/SUMMARY.md", b"- [A](a.md)\n"), ("content/a.md", page.as_bytes())],
    );
    let offline = coursegen(dir.path(), &["check"]);
    assert!(offline.status.success(), "without --external no server is asked: {}", stderr(&offline));
    let o = coursegen(dir.path(), &["check", "--external"]);
    web.join().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let col = page.lines().nth(2).and_then(|l| l.find("[gone]")).unwrap() + 1;
    assert!(err.contains(&format!("content/a.md:3:{col}: error: `http://127.0.0.1:{port}/gone` answers 404")), "{err}");
    assert!(err.contains(&format!("`http://127.0.0.1:{closed}/x` cannot be reached")), "{err}");
    assert!(!err.contains("/ok`"), "a working link is not reported: {err}");
    assert!(err.ends_with("coursegen: error: check found 2 errors\n"), "{err}");
}
