//! What to answer to a parsed request: a file of the in-memory site (HTML with
//! the reload script and the error overlay added), a refusal, or "open an
//! event stream". It never opens a file and never touches a socket.
//!
//! Bodies are never copied: a response holds the site's own bytes and the
//! small text inserted into them, so a thousand clients stalled on a big page
//! cost one copy of it, not a thousand.

use super::http::{self, Bound, Head, Reject, Route};
use super::limits::STREAM_RETRY_AFTER_SECS;
use super::overlay;
use super::request::RequestHead;
use super::server::Context;
use crate::pipeline::site::Bytes;

/// The 404 page before any build succeeded.
const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1></body></html>\n";

/// What a request gets.
pub enum Answer {
    /// A response, written at once.
    Response(Response),
    /// The live-reload stream, from build generation `since` on.
    Stream { since: Option<u64> },
}

/// A complete response.
pub struct Response {
    /// The status code.
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
    /// Close the connection after it (a refusal, or the client asked to).
    pub close: bool,
    /// The request was HEAD: the head says what GET would get, nothing follows.
    pub head_only: bool,
}

/// `bytes` with `insert` spliced in at `at`, without copying `bytes`.
struct Body {
    bytes: Bytes,
    at: usize,
    insert: String,
}

impl Response {
    fn new(status: u16, content_type: &str, body: Body) -> Self {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body, close: false, head_only: false }
    }

    /// A short plain-text response.
    fn text(status: u16, text: String) -> Self {
        Response::new(status, "text/plain; charset=utf-8", Body { bytes: Bytes::from(text.into_bytes()), at: 0, insert: String::new() })
    }

    fn with_type(mut self, content_type: &str) -> Self {
        self.headers[0].1 = content_type.to_string();
        self
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status line and header fields, ending with the blank line.
    pub fn head(&self) -> String {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason_phrase(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\n", self.body.bytes.len() + self.body.insert.len()));
        out.push_str(if self.close { "Connection: close\r\n\r\n" } else { "Connection: keep-alive\r\n\r\n" });
        out
    }

    /// The body in the order it is sent (empty for HEAD).
    pub fn body(&self) -> [&[u8]; 3] {
        if self.head_only {
            return [&[], &[], &[]];
        }
        let b = &self.body;
        [&b.bytes[..b.at], b.insert.as_bytes(), &b.bytes[b.at..]]
    }
}

/// What `req` gets from the site `ctx` serves.
pub fn answer(req: &RequestHead<'_>, ctx: &Context) -> Answer {
    let head = Head { method: req.method, url: req.target, host: req.host, has_body: req.has_body };
    let bound = Bound { hostname: &ctx.hostname, port: ctx.port };
    let head_only = req.method == "HEAD";
    let mut response = match http::check(&head, &bound) {
        Ok(Route::Events { since }) if !head_only => return Answer::Stream { since },
        // A HEAD says whether a stream would be accepted now: the reload
        // script asks this way after a refusal, since EventSource hides the
        // status and headers of a failed stream from the page.
        Ok(Route::Events { .. }) if ctx.streams.is_full() => streams_full(),
        Ok(Route::Events { .. }) => Response::text(200, String::new()).with_type("text/event-stream"),
        Ok(Route::File(key)) => file(&key, ctx),
        Err(reject) => refusal(reject),
    };
    response.head_only = head_only;
    response.close |= !req.keep_alive;
    Answer::Response(response)
}

/// A file of the site, or its 404 page; HTML gets the reload script and the
/// error overlay before `</body>`.
fn file(key: &str, ctx: &Context) -> Response {
    let snap = ctx.shared.snapshot();
    let found = snap.site.files.get(key).map(|b| (200, key, Bytes::clone(b)));
    let (status, key, bytes) = found.unwrap_or_else(|| match snap.site.files.get("404.html") {
        Some(b) => (404, "404.html", Bytes::clone(b)),
        // No site yet (the first build failed): a bare page to carry the overlay.
        None => (404, "404.html", Bytes::from(FALLBACK_404.as_bytes())),
    });
    let content_type = http::content_type(key);
    let body = if content_type.starts_with("text/html") {
        let mut insert = super::reload::script(snap.generation);
        if let Some(o) = &snap.overlay {
            insert.insert_str(0, o);
        }
        Body { at: overlay::insertion_point(&bytes), bytes, insert }
    } else {
        Body { bytes, at: 0, insert: String::new() }
    };
    Response::new(status, content_type, body).with("Cache-Control", "no-store").with("X-Content-Type-Options", "nosniff")
}

/// The answer to a request refused for `reject`. The connection is closed
/// after it: a refused request may have a body that was never read, or be
/// garbage whose end cannot be trusted.
pub fn refusal(reject: Reject) -> Response {
    let mut response = Response::text(reject.status(), format!("{} {}\n", reject.status(), reject.reason()));
    if reject == Reject::MethodNotAllowed {
        response = response.with("Allow", "GET, HEAD");
    }
    response.close = true;
    response
}

/// The answer to a new event stream when [`super::limits::MAX_STREAMS`] are open.
pub fn streams_full() -> Response {
    let mut response = Response::text(503, "503 too many open pages; close some tabs of this course\n".to_string())
        .with("Retry-After", STREAM_RETRY_AFTER_SECS.to_string());
    response.close = true;
    response
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_carry_length_and_connection() {
        let r = refusal(Reject::MethodNotAllowed);
        let head = r.head();
        assert!(head.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"), "{head}");
        assert!(head.contains("Allow: GET, HEAD\r\n") && head.contains("Connection: close\r\n"), "{head}");
        let len: usize = r.body().iter().map(|p| p.len()).sum();
        assert!(head.contains(&format!("Content-Length: {len}\r\n")) && head.ends_with("\r\n\r\n"), "{head}");
        let full = streams_full();
        assert!(full.head().contains(&format!("Retry-After: {STREAM_RETRY_AFTER_SECS}\r\n")));
    }

    #[test]
    fn the_body_is_spliced_without_copying() {
        let page = Bytes::from(&b"<p>x</p></body>"[..]);
        let r = Response::new(200, "text/html", Body { at: 8, bytes: Bytes::clone(&page), insert: "<s>".into() });
        assert_eq!(r.body().concat(), b"<p>x</p><s></body>");
        assert!(std::ptr::eq(r.body()[0].as_ptr(), page.as_ptr()), "the page's own bytes are sent");
        assert!(r.head().contains("Content-Length: 18\r\n"));
    }
}
