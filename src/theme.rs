//! The theme: tera templates plus static assets, the default one compiled in and
//! any single file of it overridable by a course's `themes/<name>/`.
//!
//! `.html` files at the theme's top level are templates (`page.html`,
//! `index.html`, `404.html` and the partials they use); every other file is
//! copied to the site as it is. Templates are parsed once per theme.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Diagnostic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::SCAFFOLD;

/// The default theme's files, `(relative path, bytes)`.
pub const DEFAULT_FILES: &[(&str, &[u8])] = embedded::DEFAULT_THEME;

/// A loaded theme.
pub struct Theme {
    tera: tera::Tera,
    assets: BTreeMap<String, Vec<u8>>,
    /// Where overrides came from (`themes/mine`), for diagnostics.
    origin: String,
    /// `nav.html` is the default theme's, so [`crate::render::nav::html`]
    /// renders its navigation exactly.
    default_nav: bool,
}

/// A course's own theme files that override the default's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `themes/<name>`, relative to the course folder.
    pub dir: String,
    /// `(path relative to dir, bytes)`.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The default theme with `overrides` laid over it.
    pub fn load(overrides: &Overrides) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: BTreeMap<String, Vec<u8>> =
            DEFAULT_FILES.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        for (p, b) in &overrides.files {
            files.insert(p.clone(), b.clone());
        }
        let default_nav = !overrides.files.iter().any(|(p, _)| p == "nav.html");
        let origin = if overrides.dir.is_empty() { "themes/default".to_string() } else { overrides.dir.clone() };
        let (templates, assets): (BTreeMap<_, _>, BTreeMap<_, _>) =
            files.into_iter().partition(|(p, _)| p.ends_with(".html") && !p.contains('/'));
        let mut diags = Vec::new();
        let mut sources = Vec::new();
        for (name, bytes) in templates {
            match String::from_utf8(bytes) {
                Ok(text) => sources.push((name, text)),
                Err(_) => diags.push(Diagnostic::error(format!("{origin}/{name}"), 0..0, "template is not valid UTF-8")),
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            diags.push(
                Diagnostic::error(origin.clone(), 0..0, format!("theme template error: {}", one_line(&e)))
                    .with_hint("check the templates you override against themes/default"),
            );
        }
        if diags.is_empty() { Ok(Theme { tera, assets, origin, default_nav }) } else { Err(diags) }
    }

    /// Renders template `name` with a typed view.
    pub fn render<V: Serialize>(&self, name: &str, view: &V) -> Result<String, Diagnostic> {
        let fail = |msg: String| Diagnostic::error(format!("{}/{name}", self.origin), 0..0, msg);
        let context = tera::Context::from_serialize(view).map_err(|e| fail(format!("cannot pass the page to the template: {}", one_line(&e))))?;
        self.tera.render(name, &context).map_err(|e| fail(format!("template error: {}", one_line(&e))))
    }

    /// Whether the theme's `nav.html` is the default one (not overridden).
    pub fn default_nav(&self) -> bool {
        self.default_nav
    }

    /// Files copied to the site as they are.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.assets.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }
}

/// An error and its causes on one line.
fn one_line(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
