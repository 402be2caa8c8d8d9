//! `[preprocessor.quiz]` when coursegen stands in for mdbook-quiz
//! (`command = "coursegen mdbook"`): which of mdbook-quiz's settings coursegen
//! honours, and a warning naming each one it does not, so no setting a reader
//! would notice is dropped silently. Pure: the settings in, warnings out.

use serde_json::{Map, Value};

use crate::diag::Diagnostic;

/// mdBook's own keys of any preprocessor table.
const MDBOOK_KEYS: &[&str] = &["command", "before", "after", "renderers", "renderer", "optional"];

/// The settings table of mdbook-quiz's name, when it runs coursegen.
pub fn table(config: &Value) -> Option<&Map<String, Value>> {
    let quiz = config.pointer("/preprocessor/quiz")?.as_object()?;
    let command = quiz.get("command")?.as_str()?;
    command.contains("coursegen").then_some(quiz)
}

/// A warning for each setting of `quiz` coursegen does not honour as
/// mdbook-quiz does.
pub fn check(quiz: &Map<String, Value>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, value) in quiz.iter().filter(|(k, _)| !MDBOOK_KEYS.contains(&k.as_str())) {
        let on = value.as_bool();
        let why = match key.as_str() {
            // Always true here: quiz.js keeps each page's answers in localStorage.
            "cache-answers" if on != Some(false) => continue,
            "cache-answers" => "answers are always kept in the reader's browser (localStorage)",
            // coursegen checks every quiz file on every build, errors included.
            "validate" => continue,
            "fullscreen" if on != Some(true) => continue,
            "fullscreen" => "quizzes stay in the page; there is no full-screen mode",
            "spellcheck" | "more-words" => "quiz text is not spell-checked",
            "default-language" if value.as_str() == Some("rust") => continue,
            "default-language" => "code in quiz text without a language is not highlighted as this language",
            "show-bug-reporter" => "there is no bug reporter (it needs mdbook-quiz's telemetry)",
            "initial-text" => "a quiz shows its questions at once; there is no start button to label",
            "dev-mode" => continue,
            _ => "mdbook-quiz has no such setting",
        };
        let message = format!("[preprocessor.quiz] `{key}` is not supported by coursegen: {why}");
        out.push(
            Diagnostic::warning("book.toml", 0..0, message)
                .with_hint("coursegen reads mdbook-quiz's files as they are; remove the setting to silence this, or see docs/guide.md"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(table: &str) -> Value {
        let v: toml::Table = toml::from_str(table).unwrap();
        serde_json::to_value(v).unwrap()
    }

    #[test]
    fn settings_readers_notice_are_honoured_or_named() {
        let c = config(
            "[preprocessor.quiz]\ncommand = \"coursegen mdbook\"\nfullscreen = true\nvalidate = true\ncache-answers = true\nmore-words = \"words.dic\"\n",
        );
        let warned: Vec<String> = check(table(&c).expect("ours")).into_iter().map(|d| d.message).collect();
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert!(warned[0].starts_with("[preprocessor.quiz] `fullscreen` is not supported"), "{warned:?}");
        assert!(warned[1].starts_with("[preprocessor.quiz] `more-words` is not supported"), "{warned:?}");
        let off = config("[preprocessor.quiz]\ncommand = \"coursegen mdbook\"\ncache-answers = false\nfullscreen = false\n");
        let warned: Vec<String> = check(table(&off).unwrap()).into_iter().map(|d| d.message).collect();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].contains("`cache-answers`"), "{warned:?}");
    }

    #[test]
    fn mdbook_quiz_itself_is_not_us() {
        assert!(table(&config("[preprocessor.quiz]\nfullscreen = true\n")).is_none());
        assert!(table(&config("[preprocessor.quiz]\ncommand = \"mdbook-quiz\"\n")).is_none());
    }
}
