//! mdBook's preprocessor protocol: `[context, book]` as JSON on stdin, the book
//! as JSON on stdout. Our own serde types, not mdBook's crates, so one binary
//! speaks to mdBook 0.4 (`sections`) and 0.5 (`items`).
//!
//! This exists because mdBook 0.5 renamed `sections` to `items` and broke the
//! preprocessors that deserialised its types strictly (mdbook-admonish#233,
//! mdbook-toc#53). Every field we do not use is kept as JSON and written back
//! unchanged, and unknown fields never fail the parse. No I/O here.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What mdBook sends: `[context, book]`.
#[derive(Debug)]
pub struct Input {
    pub context: Context,
    pub book: Book,
}

impl Input {
    /// Reads `[context, book]` from JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Input, serde_json::Error> {
        let (context, book) = serde_json::from_slice(bytes)?;
        Ok(Input { context, book })
    }
}

/// The preprocessor context; only the fields we read.
#[derive(Debug, Deserialize)]
pub struct Context {
    /// The book's folder on disk.
    #[serde(default)]
    pub root: std::path::PathBuf,
    /// book.toml as mdBook read it.
    #[serde(default)]
    pub config: Value,
    #[serde(default)]
    pub renderer: String,
    #[serde(default)]
    pub mdbook_version: String,
}

impl Context {
    /// `[book] src`, default `src` as in mdBook.
    pub fn src(&self) -> String {
        self.config.pointer("/book/src").and_then(Value::as_str).map_or_else(|| "src".to_string(), |s| s.trim_end_matches('/').to_string())
    }

    /// `[preprocessor.coursegen]`, if present.
    pub fn settings(&self) -> Option<&Value> {
        self.config.pointer("/preprocessor/coursegen")
    }
}

/// The book. mdBook 0.5 calls its list `items`, 0.4 `sections`; the answer uses
/// the name the question used.
#[derive(Debug, Serialize, Deserialize)]
pub struct Book {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<Item>>,
    /// Whatever else mdBook puts there (0.4's `__non_exhaustive`), kept.
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl Book {
    /// Calls `f` on every chapter, depth first, in reading order.
    pub fn for_each_chapter_mut(&mut self, f: &mut dyn FnMut(&mut Chapter)) {
        for list in [&mut self.items, &mut self.sections].into_iter().flatten() {
            each(list, f);
        }
    }
}

fn each(items: &mut [Item], f: &mut dyn FnMut(&mut Chapter)) {
    for item in items {
        if let Item::Chapter { chapter } = item {
            f(chapter);
            each(&mut chapter.sub_items, f);
        }
    }
}

/// A book item: `{"Chapter": {..}}`, or anything else (`"Separator"`,
/// `{"PartTitle": ".."}`, kinds a later mdBook adds) kept as it came.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Item {
    Chapter {
        #[serde(rename = "Chapter")]
        chapter: Chapter,
    },
    Other(Value),
}

/// A chapter; only `content` is changed.
#[derive(Debug, Serialize, Deserialize)]
pub struct Chapter {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub sub_items: Vec<Item>,
    /// `path`, `source_path`, `number`, `parent_names` and anything newer,
    /// written back exactly as they came (a missing field stays missing).
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl Chapter {
    /// The source file relative to the source folder, `/`-separated: 0.5's
    /// `source_path` (which differs from `path` for a README turned into
    /// index.md), else `path`; `None` for a draft.
    pub fn source(&self) -> Option<String> {
        ["source_path", "path"].iter().find_map(|k| self.rest.get(*k).and_then(Value::as_str)).map(|p| p.replace('\\', "/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(json: &str) -> Value {
        let input = Input::from_json(json.as_bytes()).unwrap();
        serde_json::to_value(&input.book).unwrap()
    }

    #[test]
    fn reads_mdbook_05_items_and_writes_them_back_unchanged() {
        let book = r#"{"items":[{"Chapter":{"name":"A","content":"x","number":[1],"sub_items":[{"Chapter":{"name":"B","content":"y","number":[1,1],"sub_items":[],"path":"b.md","source_path":"b.md","parent_names":["A"]}}],"path":"a.md","source_path":"a.md","parent_names":[]}},"Separator",{"PartTitle":"P"}]}"#;
        let json =
            format!(r#"[{{"root":"/b","config":{{"book":{{"src":"content"}}}},"renderer":"html","mdbook_version":"0.5.4"}},{book}]"#);
        assert_eq!(roundtrip(&json), serde_json::from_str::<Value>(book).unwrap());
    }

    #[test]
    fn reads_mdbook_04_sections_and_unknown_fields() {
        let book = r#"{"sections":[{"Chapter":{"name":"A","content":"x","number":null,"sub_items":[],"path":"a.md","source_path":"a.md","parent_names":[],"future":1}},{"NewKind":{"x":1}}],"__non_exhaustive":null}"#;
        let json = format!(r#"[{{"root":"/b","config":{{}},"renderer":"html","mdbook_version":"0.4.40","extra":true}},{book}]"#);
        assert_eq!(roundtrip(&json), serde_json::from_str::<Value>(book).unwrap());
    }

    #[test]
    fn visits_nested_chapters_in_order() {
        let json = r#"[{},{"items":[{"Chapter":{"name":"A","content":"","path":"a.md","sub_items":[{"Chapter":{"name":"B","content":"","path":null,"sub_items":[]}}]}}]}]"#;
        let mut input = Input::from_json(json.as_bytes()).unwrap();
        let mut names = Vec::new();
        input.book.for_each_chapter_mut(&mut |c| names.push(c.name.clone()));
        assert_eq!(names, ["A", "B"]);
        assert_eq!(input.context.src(), "src");
    }
}
