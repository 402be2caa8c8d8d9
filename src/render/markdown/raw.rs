//! The few pieces of raw HTML that are let through or dropped whatever
//! `raw-html` says: comments (dropped) and empty `<a id="…"></a>` anchors
//! (kept: they carry no content and no script, and books keep old link
//! targets alive with them).

/// Whether `html` opens a comment that does not end in it.
pub(super) fn opens_comment(html: &str) -> bool {
    html.trim_start().strip_prefix("<!--").is_some_and(|rest| !rest.contains("-->"))
}

/// The id of `<a id="…"></a>` (alone, maybe with white space around it).
pub(super) fn id_anchor(html: &str) -> Option<&str> {
    let rest = html.trim().strip_prefix("<a id=\"")?;
    let (id, after) = rest.split_once('"')?;
    let after = after.strip_prefix('>')?.trim_start();
    let ok = !id.is_empty() && !id.contains(|c: char| c.is_whitespace() || "<>&'".contains(c));
    (ok && (after == "</a>" || after.is_empty())).then_some(id)
}

/// The ids of the `<a id="…">` anchors in a page's finished HTML: author
/// text in it is escaped, so each one is an anchor the page really has.
pub(super) fn anchor_ids(html: &str) -> Vec<String> {
    html.match_indices("<a id=\"").filter_map(|(i, m)| html[i + m.len()..].split_once('"').map(|(id, _)| id.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_id_anchors_pass() {
        assert_eq!(id_anchor("<a id=\"old-name\"></a>\n"), Some("old-name"));
        assert_eq!(id_anchor("<a id=\"x\" onclick=\"y\"></a>"), None);
        assert_eq!(id_anchor("<a id=\"x\">text</a>"), None);
        assert_eq!(id_anchor("<a id=\"x\"><script>"), None);
        assert!(opens_comment("<!-- a\n") && !opens_comment("<!-- a -->") && !opens_comment("<p>"));
    }
}
