//! coursegen's integration tests: one binary, one module per concern.
//!
//! Snapshots (`tests/fixtures/*/expected/`) are rewritten with
//! `COURSEGEN_BLESS=1 cargo test`; read every diff before committing it.

mod browser;
mod build;
mod cli;
mod cliffs;
mod errors;
mod flow_corpus;
mod format;
mod guide;
mod hostile_files;
mod incremental;
mod layout;
mod mdbook;
mod mdbook_book;
mod mdbook_quiz;
mod nav;
mod node;
mod output;
mod output_hostile;
mod quiz;
mod robust;
mod search;
mod serve;
mod serve_inotify;
mod serve_load;
mod serve_tree;
mod serve_watch;
mod steps;
mod support;
mod xref;
mod xss;
