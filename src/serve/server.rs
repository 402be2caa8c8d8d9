//! Answers HTTP requests from the in-memory site: tiny_http parses, [`http`]
//! decides, this module responds. It never opens a file.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use super::http::{self, Bound, Head, Reject, Route};
use super::overlay;
use super::reload::Shared;

/// Open event streams at most; more get 503.
const MAX_EVENT_STREAMS: usize = 32;
/// A comment line on idle event streams this often, so the gate does not see them as idle.
const KEEPALIVE: Duration = Duration::from_secs(3);

/// The 404 page before any build succeeded.
const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1></body></html>\n";

/// What every handler needs.
pub struct Context {
    /// What is served now.
    pub shared: Arc<Shared>,
    /// `--hostname`, for the Host check.
    pub hostname: String,
    /// The port actually bound (`-p 0` picks one).
    pub port: u16,
    streams: AtomicUsize,
}

impl Context {
    /// A context for a server bound to `hostname:port`.
    pub fn new(shared: Arc<Shared>, hostname: String, port: u16) -> Self {
        Self { shared, hostname, port, streams: AtomicUsize::new(0) }
    }
}

/// Runs `workers` threads taking requests from `server` for ever.
pub fn spawn_workers(server: Arc<Server>, ctx: Arc<Context>, workers: usize) {
    for _ in 0..workers {
        let (server, ctx) = (Arc::clone(&server), Arc::clone(&ctx));
        thread::spawn(move || {
            for request in server.incoming_requests() {
                handle(request, &ctx);
            }
        });
    }
}

/// Answers one request.
pub fn handle(request: Request, ctx: &Arc<Context>) {
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
    let has_body = request.body_length().is_some_and(|n| n > 0) || request.headers().iter().any(|h| h.field.equiv("Transfer-Encoding"));
    let method = request.method().as_str().to_string();
    let head = Head { method: &method, url: request.url(), host: host.as_deref(), has_body };
    let bound = Bound { hostname: &ctx.hostname, port: ctx.port };
    let result = match http::check(&head, &bound) {
        Ok(Route::File(key)) => serve_file(request, &key, ctx),
        Ok(Route::Events { .. }) if method == "HEAD" => request.respond(with(Response::empty(200), "Content-Type", "text/event-stream")),
        Ok(Route::Events { since }) => open_stream(request, since, ctx),
        Err(reject) => refuse(request, reject),
    };
    // A client that went away mid-response is not our problem.
    drop(result);
}

/// `response` with a header added. Names and values here are ASCII constants,
/// so `from_bytes` cannot fail; if it did, the header would be left out.
fn with<R: std::io::Read>(mut response: Response<R>, name: &str, value: &str) -> Response<R> {
    if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(h);
    }
    response
}

fn refuse(request: Request, reject: Reject) -> std::io::Result<()> {
    let mut response = Response::from_string(format!("{} {}\n", reject.status(), reject.reason())).with_status_code(reject.status());
    response = with(response, "Content-Type", "text/plain; charset=utf-8");
    if reject == Reject::MethodNotAllowed {
        response = with(response, "Allow", "GET, HEAD");
    }
    if matches!(reject, Reject::PayloadTooLarge | Reject::UriTooLong | Reject::BadRequest(_)) {
        response = with(response, "Connection", "close");
    }
    request.respond(response)
}

/// A file of the site, or its 404 page; HTML gets the reload script and the
/// error overlay. tiny_http leaves the body out for HEAD.
fn serve_file(request: Request, key: &str, ctx: &Context) -> std::io::Result<()> {
    let snap = ctx.shared.snapshot();
    let (status, key, body) = match snap.site.files.get(key) {
        Some(b) => (200, key, &**b),
        None => match snap.site.files.get("404.html") {
            Some(b) => (404, "404.html", &**b),
            // No site yet (the first build failed): a bare page to carry the overlay.
            None => (404, "404.html", FALLBACK_404.as_bytes()),
        },
    };
    let content_type = http::content_type(key);
    let body = if content_type.starts_with("text/html") {
        let mut extra = super::reload::script(snap.generation);
        if let Some(o) = &snap.overlay {
            extra.insert_str(0, o);
        }
        overlay::inject(body, &extra)
    } else {
        body.to_vec()
    };
    let mut response = Response::from_data(body).with_status_code(status);
    for (name, value) in [("Content-Type", content_type), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")] {
        response = with(response, name, value);
    }
    request.respond(response)
}

/// Holds the connection open and writes reload events as they come, each
/// flushed at once. Runs on its own thread so streams never block page requests.
fn open_stream(request: Request, since: Option<u64>, ctx: &Arc<Context>) -> std::io::Result<()> {
    if ctx.streams.fetch_add(1, Ordering::AcqRel) >= MAX_EVENT_STREAMS {
        ctx.streams.fetch_sub(1, Ordering::AcqRel);
        let response = Response::from_string("503 too many open pages\n").with_status_code(503);
        return request.respond(response);
    }
    let ctx = Arc::clone(ctx);
    thread::spawn(move || {
        let mut out = request.into_writer();
        let _ = stream_events(&mut out, since, &ctx);
        ctx.streams.fetch_sub(1, Ordering::AcqRel);
    });
    Ok(())
}

fn stream_events(out: &mut dyn Write, since: Option<u64>, ctx: &Context) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    out.flush()?;
    let mut seen = ctx.shared.snapshot().generation;
    // The page was served before a rebuild this stream did not see: reload now.
    if since.is_some_and(|s| s < seen) {
        out.write_all(super::reload::Event::Reload.to_sse(seen).as_bytes())?;
        out.flush()?;
    }
    loop {
        match ctx.shared.wait_after(seen, KEEPALIVE) {
            Some((generation, event)) => {
                seen = generation;
                out.write_all(event.to_sse(generation).as_bytes())?;
            }
            None => out.write_all(b": keepalive\n\n")?,
        }
        out.flush()?;
    }
}
