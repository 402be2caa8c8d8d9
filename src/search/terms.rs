//! Search terms and the Bloom filter that records them: the one place that
//! decides what a "term" is. `themes/default/js/search.js` repeats these rules
//! (tokenizing, hashing, bit positions) and must change with them.
//!
//! A Bloom filter per page, not a term → pages table, because it keeps the
//! index small. Chinese, Japanese and Korean are written without spaces
//! between words, so each of their characters is a term and a query must find
//! all of its characters. Character bigrams would also check that they are
//! neighbours, but nearly every bigram of a page is distinct: their filter
//! alone came to 40% of the text's bytes, over issue 9's bound of 30%, while a
//! page repeats its characters often enough that theirs stays near 20%.

/// Bits of filter per distinct term: with [`HASHES`] probes, about 3.5% of
/// absent terms look present (a query of two terms, about 0.1%). Eight bits
/// would halve that but put the CJK fixture's index over 30% of its text.
pub const BITS_PER_TERM: usize = 7;

/// Probes per term (≈ 0.69 × [`BITS_PER_TERM`], the optimum).
pub const HASHES: u32 = 5;

/// Whether `c` is written without spaces between words (Han, kana, Hangul):
/// such text is indexed character by character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // Han extension A
        | 0x4E00..=0x9FFF   // Han
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0x1100..=0x11FF   // Hangul jamo
        | 0x3130..=0x318F   // Hangul compatibility jamo
        | 0xF900..=0xFAFF   // Han compatibility
        | 0x20000..=0x2FA1F // Han extensions B–F
    )
}

/// The terms of `text`, in order, with repeats: lowercase words of letters and
/// digits (two characters or more, a plural `s` dropped), and each CJK
/// character on its own.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each term of `text`, in order; `word` is scratch space.
fn each_term(text: &str, word: &mut String, mut f: impl FnMut(&str)) {
    word.clear();
    let mut n = 0; // characters in `word`
    let mut one = [0u8; 4];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII (most text, and all code) skips the Unicode tables: this
        // loop is most of indexing's time (issue 8).
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                word.push(char::from(b.to_ascii_lowercase()));
                n += 1;
            } else {
                end_word(word, &mut n, &mut f);
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        for c in c.to_lowercase() {
            if is_cjk(c) {
                end_word(word, &mut n, &mut f);
                f(c.encode_utf8(&mut one));
            } else if c.is_alphanumeric() {
                word.push(c);
                n += 1;
            } else {
                end_word(word, &mut n, &mut f);
            }
        }
    }
    end_word(word, &mut n, &mut f);
}

/// Ends the word of `n` characters being read, giving it to `f` when it is a term.
fn end_word(word: &mut String, n: &mut usize, f: &mut impl FnMut(&str)) {
    if *n >= 2 {
        // "keys" finds "key": the cheapest stemming that helps English.
        let stem = *n > 3 && word.ends_with('s') && !word.ends_with("ss");
        f(if stem { &word[..word.len() - 1] } else { word });
    }
    word.clear();
    *n = 0;
}

/// The two hashes a term's probes are made from: 32-bit FNV-1a over the
/// term's code points (not bytes: the script sees UTF-16, and code points are
/// what both sides agree on), from two seeds.
fn hashes(term: &str) -> (u32, u32) {
    let step = |(a, b): (u32, u32), c: u32| ((a ^ c).wrapping_mul(16_777_619), (b ^ c).wrapping_mul(16_777_619));
    let seeds = (2_166_136_261, 0x5bd1_e995);
    // An ASCII byte is its code point.
    let (a, b) =
        if term.is_ascii() { term.bytes().map(u32::from).fold(seeds, step) } else { term.chars().map(u32::from).fold(seeds, step) };
    (a, b | 1)
}

/// The bit positions of `term` in a filter of `bits` bits (double hashing).
pub fn probes(term: &str, bits: u32) -> impl Iterator<Item = u32> {
    probes_of(hashes(term), bits)
}

fn probes_of((h1, h2): (u32, u32), bits: u32) -> impl Iterator<Item = u32> {
    (0..HASHES).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % bits)
}

/// The distinct terms of a page, kept as their two hashes, which is all the
/// filter needs. Issue 8: a `String` per word and a sorted set of them made
/// indexing a tenth of a build's time; this allocates nothing per word.
/// (Two terms whose hashes both collide count once: one in 2⁶³.)
#[derive(Debug, Default)]
pub struct TermSet {
    hashes: Vec<u64>,
    word: String,
}

impl TermSet {
    /// Adds the terms of `text` (see [`terms`]).
    pub fn add_text(&mut self, text: &str) {
        let TermSet { hashes: set, word } = self;
        each_term(text, word, |t| set.push(pair(hashes(t))));
    }

    /// Adds one term as it is.
    pub fn add_term(&mut self, term: &str) {
        self.hashes.push(pair(hashes(term)));
    }

    /// A Bloom filter holding the terms, sized for how many distinct ones
    /// there are; its length is a multiple of 3 bytes so its base64 has no
    /// padding.
    pub fn filter(mut self) -> Vec<u8> {
        self.hashes.sort_unstable();
        self.hashes.dedup();
        let bytes = (self.hashes.len() * BITS_PER_TERM).div_ceil(8).max(3).div_ceil(3) * 3;
        let mut f = vec![0u8; bytes];
        let bits = (bytes * 8) as u32;
        for &h in &self.hashes {
            for p in probes_of(((h >> 32) as u32, h as u32), bits) {
                f[(p / 8) as usize] |= 1 << (p % 8);
            }
        }
        f
    }
}

fn pair((h1, h2): (u32, u32)) -> u64 {
    (u64::from(h1) << 32) | u64::from(h2)
}

/// A Bloom filter holding `terms` (see [`TermSet::filter`]).
pub fn filter<'a>(terms: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let mut set = TermSet::default();
    terms.into_iter().for_each(|t| set.add_term(t));
    set.filter()
}

/// Whether `filter` may hold `term` (false positives, never false negatives).
pub fn may_hold(filter: &[u8], term: &str) -> bool {
    let bits = (filter.len() * 8) as u32;
    bits > 0 && probes(term, bits).all(|p| filter[(p / 8) as usize] & (1 << (p % 8)) != 0)
}

/// Standard base64 (the script decodes it with `atob`).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_split_and_folded() {
        assert_eq!(terms("Flask's secret_key signs Cookies, v2!"), ["flask", "secret", "key", "sign", "cookie", "v2"]);
        assert_eq!(terms("class is a"), ["class", "is"]);
    }

    #[test]
    fn cjk_is_indexed_by_character() {
        assert_eq!(terms("学习中文 ok"), ["学", "习", "中", "文", "ok"]);
        assert_eq!(terms("한국어"), ["한", "국", "어"]);
    }

    #[test]
    fn filter_holds_its_terms() {
        let words = terms("the secret key signs the session cookie 中文课程");
        let f = filter(words.iter().map(String::as_str));
        assert_eq!(f.len() % 3, 0);
        assert!(words.iter().all(|w| may_hold(&f, w)));
        let absent = (0..1000).filter(|i| may_hold(&f, &format!("absent{i}"))).count();
        assert!(absent < 80, "{absent} false positives in 1000");
    }

    #[test]
    fn a_page_set_gives_the_filter_of_its_distinct_terms() {
        let text = "Keys and keys: the KEY, 中文 and 中";
        let mut set = TermSet::default();
        set.add_text(text);
        set.add_text("");
        let words = terms(text);
        assert_eq!(words.iter().filter(|w| *w == "key").count(), 3, "{words:?}");
        assert_eq!(set.filter(), filter(words.iter().map(String::as_str)), "repeats count once");
        let distinct = filter(["key", "and", "the", "中", "文"]);
        assert_eq!(filter(words.iter().map(String::as_str)), distinct);
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
