//! No input makes the build panic: the example course's pages, damaged in
//! thousands of deterministic ways (bytes cut, doubled, swapped, fences and
//! brackets inserted), go through the whole pipeline in memory.

use coursegen::pipeline::site::{self, Tools};
use coursegen::source::config::Config;
use coursegen::source::input::{FileData, Input, SourceFile};

use crate::support::repo_root;

/// A small deterministic generator (xorshift), so failures replay exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

const INSERTS: &[&str] = &[
    "```",
    "```quiz\n",
    "```steps\n",
    "```flow\n",
    "---\n",
    "[",
    "]",
    "(",
    "{",
    "}",
    "- ",
    "  ",
    "\n",
    ":",
    "&a ",
    "*a",
    "|",
    "#",
    "{{#quiz x.toml}}",
    "<div>",
    "é",
    "\u{0}",
    "\t",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if at < chars.len() => {
                let len = 1 + rng.below(40).min(chars.len() - at);
                chars.drain(at..at + len.min(chars.len() - at));
            }
            1 => {
                let ins = INSERTS[rng.below(INSERTS.len())];
                chars.splice(at..at, ins.chars());
            }
            2 if at + 1 < chars.len() => chars.swap(at, at + 1),
            _ => {
                let end = (at + rng.below(60)).min(chars.len());
                let copy: Vec<char> = chars[at.min(end)..end].to_vec();
                chars.splice(at..at, copy);
            }
        }
    }
    chars.into_iter().collect()
}

fn example_files() -> Vec<SourceFile> {
    let src = repo_root().join("content");
    let mut files = Vec::new();
    for rel in [
        "SUMMARY.md",
        "introduction.md",
        "flask/secret-key.md",
        "flask/missing-secret-key.md",
        "flask/secret-key-quiz.md",
        "quizzes/extra.toml",
    ] {
        let text = std::fs::read_to_string(src.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        files.push(SourceFile { rel: rel.into(), data: FileData::Text(text.into()) });
    }
    files
}

#[test]
fn damaged_pages_never_panic() {
    let tools = Tools::default();
    let base = example_files();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut failed_builds = 0;
    for _ in 0..300 {
        let mut files = base.clone();
        let i = rng.below(files.len());
        if let FileData::Text(t) = &files[i].data {
            files[i].data = FileData::Text(mutate(t, &mut rng).into());
        }
        let input = Input { config: Config { src: "content".into(), ..Config::default() }, files, ..Input::default() };
        let outcome = site::build(&input, &tools);
        failed_builds += usize::from(outcome.site.is_none());
        // Every diagnostic must be printable against its file.
        let _ = coursegen::diag::render_text(&outcome.diags, |p| input.text_of(p));
    }
    // The damage is real: a good share of the builds must have failed.
    assert!(failed_builds > 30, "only {failed_builds} of 300 damaged builds failed; the mutations are too gentle");
}
