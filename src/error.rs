//! Fatal failures: the ones that are not about a place in an author's file
//! (those are [`Diagnostic`](crate::diag::Diagnostic)s). Every variant names the
//! path involved in its message.

use std::fmt;
use std::path::{Path, PathBuf};

/// A failure that stops a command.
#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file or folder failed.
    Io { path: PathBuf, source: std::io::Error },
    /// The course folder does not exist or is not a folder.
    NotACourse(PathBuf),
    /// The source folder named by `[book] src` is missing.
    NoSourceFolder(PathBuf),
    /// Walking a folder failed.
    Walk(PathBuf, String),
    /// The output folder would replace the course itself.
    UnsafeOutput { out: PathBuf, root: PathBuf },
    /// `coursegen init` into a folder that already has a course.
    AlreadyACourse(PathBuf),
    /// The build found errors; they were printed as diagnostics.
    BuildFailed { errors: usize },
    /// `check` found errors; they were printed as diagnostics.
    CheckFailed { errors: usize },
    /// `serve`: another program listens on the port.
    PortInUse { addr: String },
    /// `serve`: the address cannot be bound or resolved.
    Bind { addr: String, source: std::io::Error },
    /// `serve`: the HTTP server could not start.
    Serve(String),
}

impl Error {
    /// An I/O error at `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::NotACourse(p) => write!(f, "{}: no such folder", p.display()),
            Error::NoSourceFolder(p) => {
                write!(f, "{}: source folder not found (set `src` under [book] in book.toml, or run `coursegen init`)", p.display())
            }
            Error::Walk(p, e) => write!(f, "{}: {e}", p.display()),
            Error::UnsafeOutput { out, root } => {
                write!(f, "{}: refusing to replace this folder, it contains the course at {}", out.display(), root.display())
            }
            Error::AlreadyACourse(p) => write!(f, "{}: already has a book.toml; not overwriting", p.display()),
            Error::CheckFailed { errors } => write!(f, "check found {errors} error{}", if *errors == 1 { "" } else { "s" }),
            Error::BuildFailed { errors } => {
                write!(f, "build failed with {errors} error{}; the previous output is unchanged", if *errors == 1 { "" } else { "s" })
            }
            Error::PortInUse { addr } => {
                write!(f, "{addr}: port already in use (stop the other server, or pick another port with `-p`, or `-p 0` for any free one)")
            }
            Error::Bind { addr, source } => write!(f, "{addr}: cannot listen there: {source}"),
            Error::Serve(e) => write!(f, "cannot start the HTTP server: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}
