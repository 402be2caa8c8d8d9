//! Which URLs from author text may reach a page: http, https, mailto and
//! relative ones. Everything else (`javascript:`, `data:`, `vbscript:`, …) runs
//! or shows content of the author's choosing when clicked, even with raw HTML
//! off, so links and images with another scheme are not emitted.
//!
//! The check reads a URL as a browser would before it looks for a scheme, and
//! errs on the side of refusing: character references are decoded (a URL may
//! have come from HTML), ASCII tabs and newlines anywhere and control
//! characters and spaces at the ends are dropped (the URL parser ignores them),
//! and the scheme is compared without regard to case.

/// Schemes a link or image may use; anything without a scheme is relative.
const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The scheme of `url`, lower case, when it is not one a page may link to;
/// `None` for http, https, mailto and relative URLs.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    let decoded = decode_references(url);
    let cleaned: String = decoded.trim_matches(|c: char| c.is_control() || c.is_whitespace()).chars().filter(|c| !c.is_control()).collect();
    let scheme = scheme(&cleaned)?.to_ascii_lowercase();
    (!SAFE_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// The scheme of a cleaned URL: letters, digits, `+`, `-` and `.` after a
/// letter, up to the first `:`. `None` when the URL is relative (a `/`, `?`
/// or `#` comes first, or there is no `:`).
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    let scheme = &url[..end];
    let valid = url[end..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// `url` with its numeric character references (`&#106;`, `&#x6A`, with or
/// without the `;`) and the named ones that can hide a scheme (`&colon;`,
/// `&Tab;`, `&NewLine;`) decoded.
fn decode_references(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        match reference(tail) {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference after `&` stands for, and its length.
fn reference(tail: &str) -> Option<(char, usize)> {
    if let Some(num) = tail.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        let code = u32::from_str_radix(&digits[..len], radix).ok()?;
        let semicolon = usize::from(digits[len..].starts_with(';'));
        return Some((char::from_u32(code).unwrap_or('\u{FFFD}'), skip + len + semicolon));
    }
    let name_len = tail.find(';')?;
    let c = match tail[..name_len].to_ascii_lowercase().as_str() {
        "colon" => ':',
        "tab" => '\t',
        "newline" => '\n',
        _ => return None,
    };
    Some((c, name_len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> bool {
        unsafe_scheme(url).is_some()
    }

    #[test]
    fn safe_schemes_and_relative_urls_pass() {
        for url in [
            "http://example.org/",
            "HTTPS://example.org/a?b=1&c=2",
            "mailto:someone@example.org",
            "page.html",
            "./javascript:alert(1).html",
            "../javascript:alert(1).html",
            "dir/a:b.html",
            "#step-2",
            "?q=javascript:x",
            "/abs/path",
            "//example.org/x",
            "",
            "a&b.html",
            "&amp;",
        ] {
            assert!(!refused(url), "{url:?} is safe");
        }
    }

    #[test]
    fn other_schemes_are_refused_whatever_their_case() {
        for url in
            ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:x", "vbscript:msgbox(1)", "data:text/html,x", "file:///etc/passwd"]
        {
            assert!(refused(url), "{url:?} is refused");
        }
        assert_eq!(unsafe_scheme("JavaScript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(unsafe_scheme("javascript:alert(1).md").as_deref(), Some("javascript"), "a page name that reads as a scheme");
    }

    #[test]
    fn character_references_cannot_hide_a_scheme() {
        for url in [
            "&#106;avascript:alert(1)",
            "&#0000106avascript:alert(1)",
            "&#x6A;avascript&#x3A;alert(1)",
            "&#X6a;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "javascript&COLON;alert(1)",
            "java&Tab;script:alert(1)",
            "java&NewLine;script:alert(1)",
            "&#x09;javascript:alert(1)",
            "data&#58;text/html,x",
        ] {
            assert!(refused(url), "{url:?} is refused");
        }
    }

    #[test]
    fn whitespace_and_control_characters_cannot_hide_a_scheme() {
        for url in [
            " javascript:alert(1)",
            "\t\n javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java\rscript:alert(1)",
            "\u{0}javascript:alert(1)",
            "\u{1}\u{1f}javascript:alert(1)",
            "java\u{0}script:alert(1)",
            "javascript\t:alert(1)",
            "\u{a0}javascript:alert(1)",
            "javascript:alert(1) ",
        ] {
            assert!(refused(url), "{url:?} is refused");
        }
    }

    #[test]
    fn broken_references_stay_as_written() {
        assert_eq!(decode_references("a&#;b&#xZZ;&unknown;&"), "a&#;b&#xZZ;&unknown;&");
        assert_eq!(decode_references("&#x110000;x"), "\u{FFFD}x", "past Unicode: the replacement character");
    }
}
