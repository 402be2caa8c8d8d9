//! Unit tests of the request checks: hostile paths, hosts, methods.

use super::*;

const BOUND: Bound<'static> = Bound { hostname: "127.0.0.1", port: 3000 };

fn get(url: &str) -> Result<Route, Reject> {
    check(&Head { method: "GET", url, host: Some("127.0.0.1:3000"), has_body: false }, &BOUND)
}

#[test]
fn ordinary_paths_become_site_keys() {
    assert_eq!(get("/"), Ok(Route::File("index.html".into())));
    assert_eq!(get("/guide/"), Ok(Route::File("guide/index.html".into())));
    assert_eq!(get("/guide/a.html?x=1#top"), Ok(Route::File("guide/a.html".into())));
    assert_eq!(get("/caf%C3%A9.html"), Ok(Route::File("café.html".into())));
    assert_eq!(get("/a%20b.html"), Ok(Route::File("a b.html".into())));
    assert_eq!(get("/__coursegen/events?since=7"), Ok(Route::Events { since: Some(7) }));
    assert_eq!(get("/__coursegen/events"), Ok(Route::Events { since: None }));
}

#[test]
fn traversal_and_odd_paths_are_refused() {
    for url in [
        "/../etc/passwd",
        "/a/../../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/.%2e/x",
        "/./index.html",
        "/a%2f..%2f..%2fetc%2fpasswd",
        "/a%2F..",
        "/..%5c..%5cwindows",
        "/..\\..\\windows",
        "/a\\b",
        "//etc/passwd",
        "/a//b",
        "etc/passwd",
        "http://127.0.0.1:3000/index.html",
        "*",
        "/index.html%00.css",
        "/%00",
        "/%0a",
        "/%",
        "/%zz",
        "/%c0%ae%c0%ae/etc",
        "/%ff",
    ] {
        let r = get(url);
        assert!(matches!(r, Err(Reject::BadRequest(_))), "{url} gave {r:?}");
    }
}

#[test]
fn long_urls_get_414_before_anything_else() {
    let url = format!("/{}", "a".repeat(MAX_URL));
    let head = Head { method: "POST", url: &url, host: None, has_body: true };
    assert_eq!(check(&head, &BOUND), Err(Reject::UriTooLong));
    assert_eq!(Reject::UriTooLong.status(), 414);
}

#[test]
fn methods_bodies_and_hosts() {
    let head = |method, host, has_body| Head { method, url: "/", host, has_body };
    assert!(check(&head("HEAD", Some("localhost:3000"), false), &BOUND).is_ok());
    for m in ["POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "get"] {
        assert_eq!(check(&head(m, Some("localhost:3000"), false), &BOUND), Err(Reject::MethodNotAllowed), "{m}");
    }
    assert_eq!(check(&head("GET", Some("localhost:3000"), true), &BOUND), Err(Reject::PayloadTooLarge));
    for host in [None, Some("evil.example:3000"), Some("localhost:3001"), Some("localhost"), Some(":3000"), Some("127.0.0.1:x")] {
        assert_eq!(check(&head("GET", host, false), &BOUND), Err(Reject::ForbiddenHost), "{host:?}");
    }
    for host in ["127.0.0.1:3000", "LOCALHOST:3000", "[::1]:3000", "192.168.1.5:3000"] {
        assert!(host_allowed(Some(host), &BOUND), "{host}");
    }
    let named = Bound { hostname: "devbox.lan", port: 80 };
    assert!(host_allowed(Some("devbox.lan"), &named));
    assert!(!host_allowed(Some("rebind.example"), &named));
}

#[test]
fn content_types() {
    assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
    assert_eq!(content_type("css/x.CSS"), "text/css; charset=utf-8");
    assert_eq!(content_type("noext"), "application/octet-stream");
}
