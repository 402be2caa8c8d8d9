//! Request checks for `coursegen serve`: pure functions from what a request says
//! to what the server may do with it. No sockets and no file system here, so every
//! hostile request is a unit test.
//!
//! This exists because `zola serve` joined request paths onto the output folder
//! and shipped a path traversal (CVE-2023-52492 class). Here a request path only
//! ever becomes a key into the in-memory site map; anything odd is refused before.

use std::net::IpAddr;

/// Longest request target accepted; longer ones get 414.
pub const MAX_URL: usize = 2048;

/// The Server-Sent Events endpoint pages listen on for reloads.
pub const EVENTS_PATH: &str = "/__coursegen/events";

/// What a request asks for, once it passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the site, by its key in the site map (`guide/a.html`).
    File(String),
    /// The reload event stream; `since` is the build generation the page was served from.
    Events { since: Option<u64> },
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// Malformed or hostile target (`..`, encoded slashes, NUL, not origin-form).
    BadRequest(&'static str),
    /// The Host header names neither the bound address nor localhost (DNS rebinding).
    ForbiddenHost,
    /// Not GET or HEAD.
    MethodNotAllowed,
    /// The request has a body; this server never reads one.
    PayloadTooLarge,
    /// The request target is longer than [`MAX_URL`].
    UriTooLong,
    /// The request head is larger than the server reads.
    HeadTooLarge,
}

impl Reject {
    /// The HTTP status code.
    pub fn status(self) -> u16 {
        match self {
            Reject::BadRequest(_) => 400,
            Reject::ForbiddenHost => 403,
            Reject::MethodNotAllowed => 405,
            Reject::PayloadTooLarge => 413,
            Reject::UriTooLong => 414,
            Reject::HeadTooLarge => 431,
        }
    }

    /// A one-line explanation for the response body.
    pub fn reason(self) -> &'static str {
        match self {
            Reject::BadRequest(why) => why,
            Reject::ForbiddenHost => "the Host header must name this server (localhost or its address)",
            Reject::MethodNotAllowed => "only GET and HEAD are allowed",
            Reject::PayloadTooLarge => "request bodies are not accepted",
            Reject::UriTooLong => "request target too long",
            Reject::HeadTooLarge => "request head too large",
        }
    }
}

/// The parts of a request the checks look at.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    /// `GET`, `HEAD`, …, as sent.
    pub method: &'a str,
    /// The request target as sent (`/a/b.html?x=1`).
    pub url: &'a str,
    /// The Host header, if any.
    pub host: Option<&'a str>,
    /// A Content-Length above zero or a Transfer-Encoding was sent.
    pub has_body: bool,
}

/// Where the server listens, as the Host check needs it.
#[derive(Debug, Clone, Copy)]
pub struct Bound<'a> {
    /// The `--hostname` the user gave.
    pub hostname: &'a str,
    /// The port actually bound.
    pub port: u16,
}

/// Checks a request; on success, what it asks for and whether it is a HEAD.
pub fn check(head: &Head<'_>, bound: &Bound<'_>) -> Result<Route, Reject> {
    if head.url.len() > MAX_URL {
        return Err(Reject::UriTooLong);
    }
    if head.method != "GET" && head.method != "HEAD" {
        return Err(Reject::MethodNotAllowed);
    }
    if head.has_body {
        return Err(Reject::PayloadTooLarge);
    }
    if !host_allowed(head.host, bound) {
        return Err(Reject::ForbiddenHost);
    }
    let (path, query) = match head.url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (head.url, None),
    };
    let path = path.split('#').next().unwrap_or(path);
    if path == EVENTS_PATH {
        let since = query.into_iter().flat_map(|q| q.split('&')).find_map(|kv| kv.strip_prefix("since=")?.parse().ok());
        return Ok(Route::Events { since });
    }
    site_key(path).map(Route::File)
}

/// The site-map key for a URL path (without query), or why it is refused.
/// `/` and `/dir/` name `index.html` and `dir/index.html`.
pub fn site_key(path: &str) -> Result<String, Reject> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Reject::BadRequest("the request target must start with `/`"));
    };
    if rest.contains('\\') {
        return Err(Reject::BadRequest("backslashes are not allowed in paths"));
    }
    let mut segments: Vec<String> = Vec::new();
    let parts: Vec<&str> = rest.split('/').collect();
    for (i, raw) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if raw.is_empty() {
            if last {
                break;
            }
            return Err(Reject::BadRequest("empty path segments are not allowed"));
        }
        let seg = decode_segment(raw)?;
        if seg == "." || seg == ".." {
            return Err(Reject::BadRequest("`.` and `..` are not allowed in paths"));
        }
        segments.push(seg);
    }
    if rest.is_empty() || rest.ends_with('/') {
        segments.push("index.html".into());
    }
    Ok(segments.join("/"))
}

/// Percent-decodes one path segment, refusing what could change its meaning:
/// encoded slashes and backslashes, control characters (NUL among them) and
/// anything that is not UTF-8.
fn decode_segment(raw: &str) -> Result<String, Reject> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3).ok_or(Reject::BadRequest("bad percent-encoding"))?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| Reject::BadRequest("bad percent-encoding"))?;
            i += 3;
            if b == b'/' || b == b'\\' {
                return Err(Reject::BadRequest("encoded slashes are not allowed in paths"));
            }
            b
        } else {
            i += 1;
            bytes[i - 1]
        };
        if b < 0x20 || b == 0x7f {
            return Err(Reject::BadRequest("control characters are not allowed in paths"));
        }
        out.push(b);
    }
    String::from_utf8(out).map_err(|_| Reject::BadRequest("paths must be UTF-8"))
}

/// True when `host` names this server: `localhost`, an IP address (a DNS
/// rebinding attack needs a name it controls, never a bare IP) or the hostname
/// given on the command line; with the bound port, or no port only on port 80.
pub fn host_allowed(host: Option<&str>, bound: &Bound<'_>) -> bool {
    let Some(host) = host.map(str::trim) else { return false };
    let (name, port) = split_host_port(host);
    let port_ok = match port {
        Some(p) => p.parse::<u16>().ok() == Some(bound.port),
        None => bound.port == 80,
    };
    if !port_ok || name.is_empty() {
        return false;
    }
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok() || name.eq_ignore_ascii_case(bound.hostname)
}

/// `example:3000` → (`example`, `3000`); `[::1]:3000` → (`[::1]`, `3000`).
fn split_host_port(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => (&host[..=end], host[end + 1..].strip_prefix(':')),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    }
}

/// The Content-Type for a site file, by extension.
pub fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
