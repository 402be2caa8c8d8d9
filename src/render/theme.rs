//! The theme: tera templates plus static assets, the default one compiled in and
//! any single file of it overridable by a course's `themes/<name>/`.
//!
//! `.html` and `.js` files at the theme's top level are templates (`page.html`,
//! `index.html`, `404.html`, `toc.html`, `toc.js` and the partials they use);
//! every other file is copied to the site as it is. Templates are parsed once
//! per theme.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::source::input::Overrides;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::SCAFFOLD;

/// The default theme's files, `(relative path, bytes)`.
pub const DEFAULT_FILES: &[(&str, &[u8])] = embedded::DEFAULT_THEME;

/// Our own template that draws a navigation tree (ends in `.html`: escaped).
const NAV_TREE: &str = "coursegen-nav-tree.html";

/// A loaded theme.
pub struct Theme {
    tera: tera::Tera,
    assets: BTreeMap<String, Vec<u8>>,
    /// Where overrides came from (`themes/mine`), for diagnostics.
    origin: String,
}

impl Theme {
    /// The default theme with `overrides` laid over it.
    pub fn load(overrides: &Overrides) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: BTreeMap<String, Vec<u8>> = DEFAULT_FILES.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        for (p, b) in &overrides.files {
            files.insert(p.clone(), b.clone());
        }
        let origin = if overrides.dir.is_empty() { "themes/default".to_string() } else { overrides.dir.clone() };
        let (templates, assets): (BTreeMap<_, _>, BTreeMap<_, _>) =
            files.into_iter().partition(|(p, _)| (p.ends_with(".html") || p.ends_with(".js")) && !p.contains('/'));
        let mut diags = Vec::new();
        let mut sources = Vec::new();
        for (name, bytes) in templates {
            match String::from_utf8(bytes) {
                Ok(text) => sources.push((name, text)),
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let message = format!("template is not valid UTF-8 at byte {at}");
                    diags.push(Diagnostic::error(format!("{origin}/{name}"), 0..0, message).with_hint("save the file as UTF-8"));
                }
            }
        }
        // The contents tree is made once per build by the theme's own
        // `nav_tree` component, through this template of ours.
        sources.push((NAV_TREE.to_string(), "{{ <nav_tree items={nav} /> }}".to_string()));
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            diags.push(
                Diagnostic::error(origin.clone(), 0..0, format!("theme template error: {}", one_line(&e)))
                    .with_hint("check the templates you override against themes/default"),
            );
        }
        if diags.is_empty() { Ok(Theme { tera, assets, origin }) } else { Err(diags) }
    }

    /// Renders template `name` with a typed view.
    pub fn render<V: Serialize>(&self, name: &str, view: &V) -> Result<String, Diagnostic> {
        let fail = |msg: String| Diagnostic::error(format!("{}/{name}", self.origin), 0..0, msg);
        let context =
            tera::Context::from_serialize(view).map_err(|e| fail(format!("cannot pass the page to the template: {}", one_line(&e))))?;
        self.tera.render(name, &context).map_err(|e| fail(format!("template error: {}", one_line(&e))))
    }

    /// The navigation tree as HTML, drawn by the theme's `nav_tree` component.
    pub fn nav_tree(&self, nav: &[crate::render::view::NavItem]) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct View<'a> {
            nav: &'a [crate::render::view::NavItem],
        }
        self.render(NAV_TREE, &View { nav })
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
