//! What a build reads: book.toml ([`config`]), and every file of the source
//! folder and the theme, read into memory ([`load`]) as an [`input::Input`].
//! The only stage of the core that touches the disk; all that follows is pure.

pub mod config;
pub mod directive;
pub mod input;
pub mod load;
pub mod output_html;
pub mod relpath;
