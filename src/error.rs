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
    /// The output folder is not one a build may replace: `out` as named,
    /// `resolved` when links or `..` made it another path.
    OutputRefused { out: PathBuf, resolved: Option<PathBuf>, why: Refusal, hint: String },
    /// The old output folder could not be moved aside, or the new one into its place.
    Replace { out: PathBuf, source: std::io::Error },
    /// Writing the new output failed; the previous output in `out` is as it was.
    Unwritten { out: PathBuf, source: Box<Error> },
    /// The course has no page: `looked` is SUMMARY.md when there is one, else the source folder.
    NoPages { looked: PathBuf, summary: bool },
    /// `coursegen init` into a folder that already has files: a few of them, and how many.
    InitNotEmpty { dir: PathBuf, examples: Vec<String>, count: usize },
    /// The build found errors; they were printed as diagnostics.
    BuildFailed { errors: usize },
    /// `check` found errors; they were printed as diagnostics.
    CheckFailed { errors: usize },
    /// `serve`: another program listens on the port.
    PortInUse { addr: String },
    /// `serve`: the address cannot be bound or resolved.
    Bind { addr: String, source: std::io::Error },
    /// `mdbook`: stdin was not the `[context, book]` JSON mdBook sends.
    MdbookInput(String),
    /// `mdbook`: `[preprocessor.coursegen]` has errors (already printed).
    MdbookSettings,
    /// `mdbook`: chapters have errors (already printed).
    MdbookFailed { errors: usize },
    /// `mdbook`: writing the book to stdout failed.
    MdbookOutput(std::io::Error),
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
            Error::OutputRefused { out, resolved, why, hint } => {
                write!(f, "{}", out.display())?;
                if let Some(r) = resolved {
                    write!(f, " (that is {})", r.display())?;
                }
                write!(f, ": refusing to build into this folder: {why}\n  = hint: {hint}")
            }
            Error::Replace { out, source } => {
                write!(f, "{}: cannot replace this folder: {source}; the previous output is unchanged", out.display())?;
                if source.raw_os_error() == Some(16) {
                    write!(
                        f,
                        "\n  = hint: it is a mount point, and a build replaces its output folder by renaming; build into a folder inside it"
                    )?;
                }
                Ok(())
            }
            Error::Unwritten { out, source } => write!(f, "{source}; the previous output in {} is unchanged", out.display()),
            Error::NoPages { looked, summary: true } => write!(
                f,
                "{}: lists no pages, so there is nothing to build\n  = hint: add a chapter such as `- [Welcome](welcome.md)` (a draft `- [Title]()` is not built)",
                looked.display()
            ),
            Error::NoPages { looked, summary: false } => write!(
                f,
                "{}: no pages found: this source folder has no SUMMARY.md and no .md file\n  = hint: put your lessons there as .md files listed in SUMMARY.md, check `src` under [book] in book.toml, or start from an example with `coursegen init`",
                looked.display()
            ),
            Error::InitNotEmpty { dir, examples, count } => {
                let more = if count > &examples.len() { format!(" and {} more", count - examples.len()) } else { String::new() };
                write!(
                    f,
                    "{}: refusing to create a course in a folder that already has files: {}{more}\n  = hint: pick an empty or new folder, or pass --force to add only the scaffold's missing files (nothing is overwritten)",
                    dir.display(),
                    examples.join(", ")
                )
            }
            Error::CheckFailed { errors } => write!(f, "check found {errors} error{}", if *errors == 1 { "" } else { "s" }),
            Error::BuildFailed { errors } => {
                write!(f, "build failed with {errors} error{}; the previous output is unchanged", if *errors == 1 { "" } else { "s" })
            }
            Error::PortInUse { addr } => {
                write!(f, "{addr}: port already in use (stop the other server, or pick another port with `-p`, or `-p 0` for any free one)")
            }
            Error::Bind { addr, source } => write!(f, "{addr}: cannot listen there: {source}"),
            Error::MdbookInput(e) => write!(
                f,
                "stdin is not the `[context, book]` JSON mdBook sends to a preprocessor: {e} \
                 (run `coursegen mdbook` from mdBook: add [preprocessor.coursegen] to book.toml)"
            ),
            Error::MdbookSettings => write!(f, "[preprocessor.coursegen] in book.toml has errors"),
            Error::MdbookFailed { errors } => {
                write!(f, "the book has {errors} error{}; mdBook stops here", if *errors == 1 { "" } else { "s" })
            }
            Error::MdbookOutput(e) => write!(f, "cannot write the book to stdout: {e}"),
            Error::Serve(e) => write!(f, "cannot start the HTTP server: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Bind { source, .. } | Error::Replace { source, .. } => Some(source),
            Error::Unwritten { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// Why an output folder is refused (see `cmd::output`).
/// Why a folder is refused as the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `/` (or a drive root).
    FileSystemRoot,
    /// The home folder, or a folder that contains it.
    Home { home: PathBuf },
    /// The course folder or a folder that contains it.
    ContainsCourse { root: PathBuf },
    /// The source folder or a folder inside it; `src_is_root` when the
    /// source folder is the course folder itself (`src = "."`).
    InSource { src: PathBuf, src_is_root: bool },
    /// A folder that contains the source folder (which lies outside the course).
    ContainsSource { src: PathBuf },
    /// The themes folder or a folder inside it.
    InThemes { themes: PathBuf },
    /// Something that is not a folder: a file, a device, a socket.
    NotAFolder,
    /// The path goes through `link`, a symbolic link to nothing.
    BrokenLink { link: PathBuf },
    /// A folder holding files that coursegen did not write: up to a few of
    /// them, and how many there are in all.
    Foreign { examples: Vec<String>, count: usize },
    /// A folder coursegen wrote, where files were added since: up to a few
    /// of them, and how many there are in all.
    Added { examples: Vec<String>, count: usize },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::FileSystemRoot => write!(f, "it is the root of the file system"),
            Refusal::Home { home } => write!(f, "it is, or contains, your home folder {}", home.display()),
            Refusal::ContainsCourse { root } => write!(f, "it is, or contains, the course folder {}", root.display()),
            Refusal::InSource { src_is_root: true, .. } => {
                write!(
                    f,
                    "it is inside the source folder, which is the course folder itself (`src = \".\"`), so the next build would read the output back as lessons"
                )
            }
            Refusal::InSource { src, .. } => write!(f, "it is, or is inside, the source folder {}", src.display()),
            Refusal::ContainsSource { src } => write!(f, "it contains the source folder {}", src.display()),
            Refusal::InThemes { themes } => write!(f, "it is, or is inside, the themes folder {}", themes.display()),
            Refusal::NotAFolder => write!(f, "it is a file, not a folder, and coursegen never replaces a file"),
            Refusal::BrokenLink { link } => write!(f, "{} is a symbolic link to something that does not exist", link.display()),
            Refusal::Foreign { examples, count } => write!(f, "it holds files that coursegen did not write: {}", listing(examples, *count)),
            Refusal::Added { examples, count } => {
                write!(f, "files were added to it since coursegen wrote it: {}", listing(examples, *count))
            }
        }
    }
}

/// `a, b, c and 4 more`.
fn listing(examples: &[String], count: usize) -> String {
    let mut s = examples.join(", ");
    if count > examples.len() {
        s.push_str(&format!(" and {} more", count - examples.len()));
    }
    s
}
