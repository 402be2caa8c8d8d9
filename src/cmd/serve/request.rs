//! Parses an HTTP/1.x request head (request line and header fields) from the
//! bytes a client sent. Pure: no sockets, so every malformed head is a unit
//! test. What the request may do is decided later, by [`super::http::check`].
//!
//! Only what a GET/HEAD-only server needs is kept: method, target, version,
//! Host, whether a body was announced, and whether the connection stays open.

use super::http::Reject;

/// The HTTP version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// HTTP/1.0: the connection closes after the response unless asked otherwise.
    Http10,
    /// HTTP/1.1: the connection stays open unless asked otherwise.
    Http11,
}

/// A request head, borrowed from the bytes it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestHead<'a> {
    /// `GET`, `HEAD`, …, as sent.
    pub method: &'a str,
    /// The request target as sent.
    pub target: &'a str,
    /// HTTP/1.0 or HTTP/1.1.
    pub version: Version,
    /// The Host header, if any.
    pub host: Option<&'a str>,
    /// A Content-Length above zero or a Transfer-Encoding was sent.
    pub has_body: bool,
    /// The client wants the connection kept open for another request.
    pub keep_alive: bool,
}

/// Where the head in `buf` ends (just past its blank line), searching from
/// `from` on so that a head arriving byte by byte is not rescanned from the
/// start each time. Bare `\n` line ends are accepted, as RFC 9112 allows.
pub fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    let body = buf.get(start..)?;
    body.iter().enumerate().find_map(|(i, &b)| {
        if b != b'\n' {
            return None;
        }
        let at = start + i;
        // Blank lines before the request line are skipped, not taken as the end.
        let prefix = &buf[..at];
        let blank = prefix.ends_with(b"\n") || prefix.ends_with(b"\n\r");
        let leading = buf[..=at].iter().all(|&c| c == b'\r' || c == b'\n');
        (blank && !leading).then_some(at + 1)
    })
}

/// Parses a complete head (as delimited by [`head_end`]).
pub fn parse(head: &[u8]) -> Result<RequestHead<'_>, Reject> {
    let text = std::str::from_utf8(head).map_err(|_| Reject::BadRequest("the request head is not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).skip_while(|l| l.is_empty());
    let request_line = lines.next().ok_or(Reject::BadRequest("no request line"))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(Reject::BadRequest("the request line must be `METHOD target HTTP/1.1`"));
    };
    if method.is_empty() || target.is_empty() || !method.bytes().all(is_token) {
        return Err(Reject::BadRequest("the request line must be `METHOD target HTTP/1.1`"));
    }
    let version = match version {
        "HTTP/1.1" => Version::Http11,
        "HTTP/1.0" => Version::Http10,
        _ => return Err(Reject::BadRequest("only HTTP/1.0 and HTTP/1.1 are spoken here")),
    };
    let mut head = RequestHead { method, target, version, host: None, has_body: false, keep_alive: version == Version::Http11 };
    for line in lines.take_while(|l| !l.is_empty()) {
        header(line, &mut head)?;
    }
    Ok(head)
}

/// Applies one header line to `head`.
fn header<'a>(line: &'a str, head: &mut RequestHead<'a>) -> Result<(), Reject> {
    let Some((name, value)) = line.split_once(':') else {
        return Err(Reject::BadRequest("a header line has no `:`"));
    };
    // RFC 9112 §5.1: no whitespace before the colon, and no line folding
    // (a line starting with whitespace): both have been used to smuggle requests.
    if name.is_empty() || !name.bytes().all(is_token) {
        return Err(Reject::BadRequest("bad header name"));
    }
    let value = value.trim_matches([' ', '\t']);
    if name.eq_ignore_ascii_case("host") {
        if head.host.is_some() {
            return Err(Reject::BadRequest("more than one Host header"));
        }
        head.host = Some(value);
    } else if name.eq_ignore_ascii_case("content-length") {
        let n: u64 = value.parse().map_err(|_| Reject::BadRequest("bad Content-Length"))?;
        head.has_body |= n > 0;
    } else if name.eq_ignore_ascii_case("transfer-encoding") {
        head.has_body = true;
    } else if name.eq_ignore_ascii_case("connection") {
        for token in value.split(',').map(str::trim) {
            if token.eq_ignore_ascii_case("close") {
                head.keep_alive = false;
            } else if token.eq_ignore_ascii_case("keep-alive") {
                head.keep_alive = true;
            }
        }
    }
    Ok(())
}

/// RFC 9110 `tchar`: what method and header names are made of.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(s: &str) -> Option<usize> {
        head_end(s.as_bytes(), 0)
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(end("GET / HTTP/1.1\r\nHost: a\r\n\r\nrest"), Some(27));
        assert_eq!(end("GET / HTTP/1.1\nHost: a\n\nrest"), Some(24));
        assert_eq!(end("GET / HTTP/1.1\r\nHost: a\r\n"), None);
        assert_eq!(end("\r\n\r\nGET / HTTP/1.1\r\n\r\n"), Some(22), "leading blank lines are skipped");
        // Resuming the search where the last read ended finds an end split across reads.
        let s = b"GET / HTTP/1.1\r\n\r\n";
        assert_eq!(head_end(s, 17), Some(18));
        assert_eq!(head_end(s, 18), Some(18));
    }

    #[test]
    fn fields_and_connection_handling() {
        let h = parse(b"GET /a?b HTTP/1.1\r\nhOsT:  127.0.0.1:3000 \r\nX-Other: y\r\n\r\n").unwrap();
        assert_eq!((h.method, h.target, h.host, h.has_body, h.keep_alive), ("GET", "/a?b", Some("127.0.0.1:3000"), false, true));
        assert!(!parse(b"GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").unwrap().keep_alive);
        assert!(!parse(b"GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        assert!(parse(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").unwrap().keep_alive);
        assert!(parse(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").unwrap().has_body);
        assert!(!parse(b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap().has_body);
        assert!(parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap().has_body);
        assert_eq!(parse(b"\r\nGET / HTTP/1.1\r\n\r\n").unwrap().target, "/");
    }

    #[test]
    fn malformed_heads_are_bad_requests() {
        for head in [
            "",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 x\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "G(T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n",
        ] {
            assert!(matches!(parse(head.as_bytes()), Err(Reject::BadRequest(_))), "{head:?}");
        }
        assert!(matches!(parse(b"GET /\xff HTTP/1.1\r\n\r\n"), Err(Reject::BadRequest(_))));
    }
}
