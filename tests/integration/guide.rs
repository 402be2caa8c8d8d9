//! The guide documents the theme contract (issue 16): every field of every
//! view a template receives (`src/render/view.rs`) is named in the guide's
//! "Templates" section, so a theme author never has to read the Rust code.

use crate::support::repo_root;

/// The fields of every struct and enum variant in `view.rs`: `(type, field)`.
fn view_fields(text: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("pub struct ").or_else(|| t.strip_prefix("pub enum ")) {
            current = Some(rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_string());
        } else if let (Some(ty), Some(rest)) = (&current, t.strip_prefix("pub ").or_else(|| inline_variant_field(t)))
            && let Some((name, _)) = rest.split_once(':')
        {
            fields.push((ty.clone(), name.trim().to_string()));
        }
    }
    fields
}

/// A field of an enum variant written `name: Type,` (no `pub`), or a
/// one-line variant `Part { title: String },`.
fn inline_variant_field(t: &str) -> Option<&str> {
    if t.starts_with("//") || t.starts_with('#') {
        return None;
    }
    let t = t.split_once('{').map_or(t, |(_, inner)| inner);
    (t.contains(':') && !t.contains("::") && t.ends_with(',') || t.ends_with("},")).then_some(t)
}

#[test]
fn every_view_field_is_in_the_guide() {
    let view = std::fs::read_to_string(repo_root().join("src/render/view.rs")).expect("view.rs");
    let guide = std::fs::read_to_string(repo_root().join("docs/guide.md")).expect("guide.md");
    let start = guide.find("### Templates").expect("the guide has a Templates section");
    let section = &guide[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let fields = view_fields(&view);
    assert!(fields.len() >= 30, "the views' fields were found: {fields:?}");
    let missing: Vec<String> = fields
        .iter()
        .filter(|(_, f)| !section.contains(&format!("`{f}`")) && !section.contains(&format!(".{f}`")))
        .map(|(t, f)| format!("{t}.{f}"))
        .collect();
    assert!(missing.is_empty(), "fields of src/render/view.rs not documented under \"Templates\" in docs/guide.md: {missing:?}");
}
