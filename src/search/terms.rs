//! Search terms and the Bloom filter that records them: the one place that
//! decides what a "term" is. `themes/default/js/search.js` repeats these rules
//! (tokenizing, folding, hashing, bit positions) and must change with them.
//!
//! A Bloom filter per page, not a term → pages table, because it keeps the
//! index small. Chinese, Japanese and Korean are written without spaces
//! between words, so each of their characters is a term and a query must find
//! all of its characters. Character bigrams would also check that they are
//! neighbours, but nearly every bigram of a page is distinct: their filter
//! alone came to 40% of the text's bytes, over issue 9's bound of 30%, while a
//! page repeats its characters often enough that theirs stays near 20%.
//!
//! Issue 19: "sess" must find "session". A filter answers "is this term
//! there", not "which terms start so", so a word of more than
//! [`PREFIX_CHARS`] characters also records its first [`PREFIX_CHARS`]
//! followed by `*` (a character no term has): a query word of that length or
//! more is looked up as itself or as that prefix, and the page's text, once
//! loaded, confirms it. Longer or more prefixes cost more than they find:
//! prefixes of 3, 4 and 5 characters made a page's terms 2.5 times as many;
//! this one, 1.5 times. A list of the course's words to expand a query
//! against came to a third of a small course's text on its own.
//!
//! Issue 22: letters are folded to their base letter ("leçon" is "lecon",
//! "Łódź" is "lodz"; æ and ß stay), so a reader need not type accents; and
//! the plural `s` is dropped only in languages whose plurals end so.

/// Bits of filter per distinct term: with [`HASHES`] probes, about 5.6% of
/// absent terms look present (a query of two terms, about 0.3%); a result's
/// text, once loaded, drops them. Seven bits (3.5%) put the CJK fixture's
/// index over 30% of its text once prefixes were recorded too.
pub const BITS_PER_TERM: usize = 6;

/// Probes per term (≈ 0.69 × [`BITS_PER_TERM`], the optimum).
pub const HASHES: u32 = 4;

/// Characters of a word's prefix recorded beside it (see the module doc).
pub const PREFIX_CHARS: usize = 4;

/// How the course's language is searched: what [`terms`] does beyond
/// lowercasing, folding and splitting, which are the same in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rules {
    /// Drop a plural `s` ("keys" is "key").
    pub plural_s: bool,
}

impl Rules {
    /// English's rules, the default language's.
    pub const ENGLISH: Rules = Rules { plural_s: true };

    /// The rules for a `[book] language` tag (`en`, `fr-CA`, `zh`).
    pub fn for_language(tag: &str) -> Rules {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        // Languages whose regular plural adds an `s`; a German or Italian
        // word that ends in one is not a plural, and must stay as it is.
        Rules { plural_s: matches!(primary.as_str(), "en" | "fr" | "es" | "pt" | "ca" | "gl") }
    }
}

/// Latin letters U+00C0..=U+024F folded to their base letter (lowercase), `.`
/// for a letter kept as it is (æ, ß, þ, ×). Made from Unicode's canonical
/// decompositions, plus the letters with a stroke (ø, đ, ł, ħ, ŧ) that have
/// none; `search.js` holds the same table.
const FOLD_LATIN: &str = concat!(
    "aaaaaa.ceeeeiiii.nooooo.ouuuuy..aaaaaa.ceeeeiiii.nooooo.ouuuuy.y",
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.llllll.",
    ".llnnnnnn...oooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzz.",
    "b......................i........oo.............uu....zz.........",
    ".............aaiioouuuuuuuuuu.aaaa..ggggkkoooo..j...gg..nnaa....",
    "aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy......acc.t.",
    "......ee........",
);

/// U+1E00..=U+1EFF (Latin Extended Additional: Vietnamese and more), as
/// [`FOLD_LATIN`].
const FOLD_EXTENDED: &str = concat!(
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm",
    "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv",
    "wwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee",
    "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......",
);

/// `c` without its accents, when it is a Latin letter that has them.
pub fn fold(c: char) -> char {
    let at = |table: &str, first: u32| {
        let b = table.as_bytes()[(c as u32 - first) as usize];
        if b == b'.' { c } else { char::from(b) }
    };
    match c as u32 {
        0xC0..=0x24F => at(FOLD_LATIN, 0xC0),
        0x1E00..=0x1EFF => at(FOLD_EXTENDED, 0x1E00),
        _ => c,
    }
}

/// Whether `c` is a combining accent (U+0300..=U+036F): text written
/// decomposed ("c" then U+0327) folds as the composed letter does, so the
/// accent is dropped without ending the word.
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F)
}

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
/// digits, accents folded (two characters or more, a plural `s` dropped where
/// `rules` say), and each CJK character on its own.
pub fn terms(text: &str, rules: Rules) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, &mut String::new(), rules, |t, _| out.push(t.to_string()));
    out
}

/// Calls `f` with each term of `text`, in order, and its length in
/// characters; `word` is scratch space.
fn each_term(text: &str, word: &mut String, rules: Rules, mut f: impl FnMut(&str, usize)) {
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
                end_word(word, &mut n, rules, &mut f);
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        for c in c.to_lowercase() {
            if is_cjk(c) {
                end_word(word, &mut n, rules, &mut f);
                f(c.encode_utf8(&mut one), 1);
            } else if is_combining(c) {
                continue;
            } else if c.is_alphanumeric() {
                word.push(fold(c));
                n += 1;
            } else {
                end_word(word, &mut n, rules, &mut f);
            }
        }
    }
    end_word(word, &mut n, rules, &mut f);
}

/// Ends the word of `n` characters being read, giving it to `f` when it is a term.
fn end_word(word: &mut String, n: &mut usize, rules: Rules, f: &mut impl FnMut(&str, usize)) {
    if *n >= 2 {
        // "keys" finds "key": the cheapest stemming that helps English.
        let stem = rules.plural_s && *n > 3 && word.ends_with('s') && !word.ends_with("ss");
        f(if stem { &word[..word.len() - 1] } else { word }, *n - usize::from(stem));
    }
    word.clear();
    *n = 0;
}

/// The prefix key of a term of `n` characters (see the module doc), written
/// into `key`; `false` when the term is too short to have one.
pub fn prefix_key(term: &str, n: usize, key: &mut String) -> bool {
    if n <= PREFIX_CHARS {
        return false;
    }
    let end = term.char_indices().nth(PREFIX_CHARS).map_or(term.len(), |(i, _)| i);
    key.clear();
    key.push_str(&term[..end]);
    key.push('*');
    true
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
    key: String,
    rules: Rules,
}

impl TermSet {
    /// An empty set for a course with these rules.
    pub fn new(rules: Rules) -> TermSet {
        TermSet { rules, ..TermSet::default() }
    }

    /// Adds the terms of `text` (see [`terms`]) and their prefix keys.
    pub fn add_text(&mut self, text: &str) {
        let TermSet { hashes: set, word, key, rules } = self;
        each_term(text, word, *rules, |t, n| {
            set.push(pair(hashes(t)));
            if prefix_key(t, n, key) {
                set.push(pair(hashes(key)));
            }
        });
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
        assert_eq!(terms("Flask's secret_key signs Cookies, v2!", Rules::ENGLISH), ["flask", "secret", "key", "sign", "cookie", "v2"]);
        assert_eq!(terms("class is a", Rules::ENGLISH), ["class", "is"]);
    }

    #[test]
    fn accents_are_folded_and_plurals_follow_the_language() {
        let fr = Rules::for_language("fr-CA");
        assert_eq!(terms("Leçons ÉLÈVES naïve", fr), ["lecon", "eleve", "naive"]);
        // Written decomposed: `c` and a combining cedilla.
        assert_eq!(terms("lec\u{327}on", fr), ["lecon"]);
        assert_eq!(terms("Tiếng Việt Łódź Øre Straße æble", Rules::for_language("vi")), ["tieng", "viet", "lodz", "ore", "straße", "æble"]);
        let de = Rules::for_language("de");
        assert_eq!(terms("Schlüssels Haus", de), ["schlussels", "haus"], "German keeps its final s");
        assert_eq!(terms("Haus", Rules::for_language("EN")), ["hau"]);
        // Every letter the tables fold becomes one ASCII letter, so the
        // script's folded text keeps its length (marks are placed by index).
        for c in (0xC0..=0x24F).chain(0x1E00..=0x1EFF).filter_map(char::from_u32) {
            let f = fold(c);
            assert!(f == c || f.is_ascii_lowercase(), "{c:?} folds to {f:?}");
        }
    }

    #[test]
    fn long_words_record_their_prefix() {
        let mut key = String::new();
        assert!(prefix_key("session", 7, &mut key) && key == "sess*");
        assert!(!prefix_key("sess", 4, &mut key), "a word of four characters is its own prefix");
        assert!(prefix_key("ключевой", 8, &mut key) && key == "ключ*", "by characters, not bytes");
        let mut set = TermSet::new(Rules::ENGLISH);
        set.add_text("Sessions");
        let f = set.filter();
        assert!(may_hold(&f, "session") && may_hold(&f, "sess*"));
        let absent = (0..1000).filter(|i| may_hold(&f, &format!("absent{i}"))).count();
        assert!(absent < 120, "{absent} false positives in 1000");
    }

    #[test]
    fn cjk_is_indexed_by_character() {
        assert_eq!(terms("学习中文 ok", Rules::ENGLISH), ["学", "习", "中", "文", "ok"]);
        assert_eq!(terms("한국어", Rules::ENGLISH), ["한", "국", "어"]);
    }

    #[test]
    fn filter_holds_its_terms() {
        let words = terms("the secret key signs the session cookie 中文课程", Rules::ENGLISH);
        let f = filter(words.iter().map(String::as_str));
        assert_eq!(f.len() % 3, 0);
        assert!(words.iter().all(|w| may_hold(&f, w)));
        let absent = (0..1000).filter(|i| may_hold(&f, &format!("absent{i}"))).count();
        assert!(absent < 120, "{absent} false positives in 1000");
    }

    #[test]
    fn a_page_set_gives_the_filter_of_its_distinct_terms() {
        let text = "Keys and keys: the KEY, 中文 and 中";
        let mut set = TermSet::new(Rules::ENGLISH);
        set.add_text(text);
        set.add_text("");
        let words = terms(text, Rules::ENGLISH);
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
