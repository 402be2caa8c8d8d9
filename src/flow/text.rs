//! Text metrics for diagram labels: a per-character width table for the theme's sans-serif
//! stack at 14px, and word wrapping to a maximum width; it draws nothing.

/// Font size of every diagram label, in CSS pixels (flow.css uses the same).
pub(super) const FONT_SIZE: f64 = 14.0;
/// Distance between baselines of wrapped lines.
pub(super) const LINE_HEIGHT: f64 = 18.0;

/// Widths of the printable ASCII characters (space to `~`) in 1/1000 em: the larger of
/// Helvetica/Arial and DejaVu Sans for each, since `system-ui` may resolve to either, so a
/// label measured here fits in whichever the reader's browser picks.
const ASCII_WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, // ' ' to '/'
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, // '0' to '9'
    337, 337, 838, 838, 838, 556, 1015, // ':' to '@'
    684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787, 667, // 'A' to 'P'
    787, 722, 667, 611, 732, 684, 989, 685, 667, 685, // 'Q' to 'Z'
    390, 337, 390, 838, 556, 500, // '[' to '`'
    613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, // 'a' to 'p'
    635, 411, 521, 392, 634, 592, 818, 592, 592, 525, // 'q' to 'z'
    636, 337, 636, 838, // '{' to '~'
];

/// Extra room on every measured line, for fonts a little wider than the table.
const SLACK: f64 = 1.04;

/// The width of one character in 1/1000 em.
fn char_width(c: char) -> u16 {
    let code = c as u32;
    if (0x20..0x7f).contains(&code) {
        return ASCII_WIDTHS.get((code - 0x20) as usize).copied().unwrap_or(600);
    }
    match code {
        // Combining marks and zero-width characters add nothing.
        0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f => 0,
        // East Asian wide characters and emoji take a full em.
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd => 1000,
        // Arrows and other symbols are about as wide as a digit or more.
        0x2190..=0x2bff => 838,
        _ if c.is_control() => 0,
        _ => 680,
    }
}

/// The rendered width of `s` in pixels at [`FONT_SIZE`].
pub(super) fn width(s: &str) -> f64 {
    let units: u32 = s.chars().map(|c| u32::from(char_width(c))).sum();
    f64::from(units) * FONT_SIZE / 1000.0 * SLACK
}

/// A label on one line, breaks turned into spaces.
pub(super) fn one_line(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A label broken into lines no wider than the limit (a word longer than the limit is
/// broken between characters), with the widest line's width.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Wrapped {
    pub lines: Vec<String>,
    pub width: f64,
}

impl Wrapped {
    /// Height of the text block.
    pub fn height(&self) -> f64 {
        self.lines.len() as f64 * LINE_HEIGHT
    }
}

/// Wraps `label` to `max_width` pixels; `\n` in the label forces a break. Lines are
/// balanced: the narrowest width that needs no more lines than `max_width` is used, so a
/// label never ends in a lone short word when it could be spread evenly; that width is never
/// below the widest word that fits, so balancing never breaks a word.
pub(super) fn wrap(label: &str, max_width: f64) -> Wrapped {
    let greedy = wrap_lines(label, max_width);
    let widest_word = tokens(label).iter().map(|t| width(t.text)).filter(|&w| w <= max_width).fold(0.0, f64::max);
    let (mut lo, mut hi) = ((max_width / 2.0).max(widest_word), max_width);
    if greedy.len() > 1 && lo < hi {
        for _ in 0..10 {
            let mid = (lo + hi) / 2.0;
            if wrap_lines(label, mid).len() <= greedy.len() {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    }
    let lines = if hi < max_width { wrap_lines(label, hi) } else { greedy };
    let width = lines.iter().map(|l| width(l)).fold(0.0, f64::max);
    Wrapped { lines, width }
}

/// Greedy wrapping to `max_width`.
fn wrap_lines(label: &str, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in label.split('\n') {
        wrap_paragraph(paragraph, max_width, &mut lines);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A piece of text a line may break before: a word, or one CJK character (those scripts
/// break between any two characters and join without a space).
struct Token<'a> {
    text: &'a str,
    space_before: bool,
}

/// True for characters of scripts written without spaces between words.
fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32, 0x2e80..=0x9fff | 0xac00..=0xd7a3 | 0xf900..=0xfaff | 0xff00..=0xff60 | 0x20000..=0x3fffd)
}

fn tokens(paragraph: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for word in paragraph.split_whitespace() {
        let mut space_before = true;
        let mut start = 0;
        for (i, c) in word.char_indices() {
            if breaks_anywhere(c) {
                if i > start {
                    out.push(Token { text: &word[start..i], space_before });
                    space_before = false;
                }
                let end = i + c.len_utf8();
                // Closing punctuation stays with the character before it.
                out.push(Token { text: &word[i..end], space_before });
                space_before = false;
                start = end;
            }
        }
        if start < word.len() {
            let rest = &word[start..];
            match out.last_mut() {
                Some(last) if !space_before && rest.chars().all(|c| !c.is_alphanumeric()) => {
                    let from = last.text.as_ptr() as usize - word.as_ptr() as usize;
                    last.text = &word[from..];
                }
                _ => out.push(Token { text: rest, space_before }),
            }
        }
    }
    out
}

fn wrap_paragraph(paragraph: &str, max_width: f64, lines: &mut Vec<String>) {
    let space = width(" ");
    let mut line = String::new();
    let mut line_width = 0.0;
    for token in tokens(paragraph) {
        let w = width(token.text);
        let gap = if token.space_before { space } else { 0.0 };
        if !line.is_empty() && line_width + gap + w <= max_width {
            if token.space_before {
                line.push(' ');
            }
            line.push_str(token.text);
            line_width += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= max_width {
            line.push_str(token.text);
            line_width = w;
        } else {
            line_width = break_word(token.text, max_width, lines, &mut line);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
}

/// Splits a word wider than the line into pieces that fit, each ending after the last
/// `-`, `.`, `_` or `/` that fits where there is one (`app.secret_` / `key`), else between
/// characters; full pieces go to `lines`, the tail stays in `line`. Returns its width.
fn break_word(word: &str, max_width: f64, lines: &mut Vec<String>, line: &mut String) -> f64 {
    let mut rest = word;
    loop {
        if width(rest) <= max_width {
            line.push_str(rest);
            return width(rest);
        }
        let mut fit = 0;
        let mut used = 0.0;
        for (i, c) in rest.char_indices() {
            used += width(c.encode_utf8(&mut [0; 4]));
            if used > max_width {
                break;
            }
            fit = i + c.len_utf8();
        }
        let fit = fit.max(rest.chars().next().map_or(1, char::len_utf8));
        let cut = rest[..fit].rfind(['-', '.', '_', '/']).map(|i| i + 1).filter(|&i| i > 1).unwrap_or(fit);
        lines.push(rest[..cut].to_string());
        rest = &rest[cut..];
        if rest.is_empty() {
            return 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_table() {
        assert!(width("iii") < width("mmm"));
        assert_eq!(width(""), 0.0);
        assert!((width("a") - 613.0 * 14.0 / 1000.0 * SLACK).abs() < 1e-9);
        assert_eq!(width("e\u{301}"), width("e"));
    }

    #[test]
    fn wraps_at_word_boundaries() {
        let w = wrap("Use secret_key for sessions & security", 150.0);
        assert!(w.lines.len() >= 2);
        assert!(w.lines.iter().all(|l| width(l) <= 150.0));
        assert_eq!(w.lines.join(" "), "Use secret_key for sessions & security");
    }

    #[test]
    fn breaks_words_longer_than_the_line() {
        let w = wrap("SUPERCALIFRAGILISTICEXPIALIDOCIOUS", 80.0);
        assert!(w.lines.len() > 2);
        assert!(w.lines.iter().all(|l| width(l) <= 80.0));
        assert_eq!(w.lines.concat(), "SUPERCALIFRAGILISTICEXPIALIDOCIOUS");
        // At a dot, hyphen or underscore when the word has one.
        let w = wrap("use configuration.secret_key_base_value", 120.0);
        assert_eq!(w.lines[0], "use");
        let seps = ['.', '_', '-', '/'];
        assert!(w.lines[1..].windows(2).all(|p| p[0].ends_with(seps) || p[1].starts_with(seps)), "{:?}", w.lines);
        assert!(w.lines.iter().all(|l| width(l) <= 120.0));
    }

    #[test]
    fn balancing_never_breaks_a_word_that_fits() {
        // 126px is a node in a left-to-right flow; it once drew "Backend Au" / "thentication".
        for label in ["Backend Authentication", "Use app.secret_key for sessions", "Generate API Documentation Automatically"] {
            let w = wrap(label, 126.0);
            let words: Vec<&str> = label.split(' ').collect();
            assert!(w.lines.iter().flat_map(|l| l.split(' ')).all(|piece| words.contains(&piece)), "{label}: {:?}", w.lines);
        }
    }

    #[test]
    fn cjk_wraps_between_characters_and_rtl_keeps_its_words() {
        let w = wrap("用户登录后服务器验证令牌并返回数据", 100.0);
        assert!(w.lines.len() > 1);
        assert!(w.lines.iter().all(|l| width(l) <= 100.0));
        assert_eq!(w.lines.concat(), "用户登录后服务器验证令牌并返回数据");
        let w = wrap("المستخدمون تجار أفراد إدارة", 130.0);
        let words: Vec<&str> = "المستخدمون تجار أفراد إدارة".split(' ').collect();
        assert!(w.lines.iter().flat_map(|l| l.split(' ')).all(|p| words.contains(&p)), "{:?}", w.lines);
    }

    #[test]
    fn forced_breaks_and_empty_labels() {
        assert_eq!(wrap("a\nb", 200.0).lines, vec!["a", "b"]);
        assert_eq!(wrap("", 200.0).lines, vec![""]);
    }
}
