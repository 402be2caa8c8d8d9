//! The commands behind the CLI, one function each. They do the I/O around the
//! pure core and report through the writer they are given (stderr in the CLI).

pub mod check;
pub mod linkcheck;
pub mod mdbook;
pub mod output;
pub mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diag;
use crate::error::Error;
use crate::source::load;

use crate::pipeline::site::{self, Tools};
use crate::render::theme::SCAFFOLD;

/// What `coursegen build` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub pages: usize,
    pub out: PathBuf,
}

/// Builds the course at `root` into `out` (default: `[build] build-dir`,
/// relative to `root`). Diagnostics go to `log`.
pub fn build(root: &Path, out: Option<&Path>, log: &mut dyn Write) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let loaded = load::load(root)?;
    let by_flag = out.is_some();
    let out = match out {
        Some(o) if o.is_absolute() => o.to_path_buf(),
        Some(o) => root.join(o),
        None => root.join(&loaded.input.config.build_dir),
    };
    // As messages show it: `.` rather than `./.`.
    let out: PathBuf = out.components().collect();
    let src = root.join(&loaded.input.config.src);
    // Build even when some files could not be read, so one run reports every
    // problem; only a broken book.toml (no source folder known) stops here.
    // Files go to the staging folder as they are made (issue 8); on failure
    // it is deleted and the previous output stays as it was.
    let target = output::Target { out: &out, by_flag, root, src: &src };
    let unwritten = |e: Error| match e {
        Error::Io { .. } => Error::Unwritten { out: out.clone(), source: Box::new(e) },
        e => e,
    };
    let staging = if loaded.config_ok { Some(output::Staging::begin(&target).map_err(unwritten)?) } else { None };
    let streamed = match &staging {
        Some(staging) => site::build_into(&loaded.input, &Tools::default(), staging).map_err(unwritten)?,
        None => site::Streamed { written: None, diags: Vec::new(), pages: Vec::new() },
    };
    let mut diags = loaded.diags.clone();
    diags.extend(streamed.diags);
    report(&diags, &loaded, log);
    let Some(pages) = streamed.written.filter(|_| !diags.iter().any(diag::Diagnostic::is_error)) else {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        return Err(Error::BuildFailed { errors });
    };
    if pages == 0 {
        return Err(no_pages(&loaded, &src));
    }
    if let Some(staging) = staging
        && let Some(kept) = staging.finish().map_err(unwritten)?
    {
        let _ = writeln!(log, "coursegen: warning: kept {}: files were added to it during the build", kept.display());
    }
    let _ = writeln!(
        log,
        "coursegen: wrote {} page{} to {} in {} ms",
        pages,
        if pages == 1 { "" } else { "s" },
        out.display(),
        started.elapsed().as_millis()
    );
    Ok(BuildReport { pages, out })
}

/// The error for a course that yields no page: it names where coursegen
/// looked, SUMMARY.md when there is one, else the source folder `src`.
fn no_pages(loaded: &load::Loaded, src: &Path) -> Error {
    let summary = loaded.input.files.iter().any(|f| f.rel == "SUMMARY.md");
    Error::NoPages { looked: if summary { src.join("SUMMARY.md") } else { src.to_path_buf() }, summary }
}

/// What `coursegen check` looks at besides the course itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Internal links only (no network).
    Internal,
    /// Also ask the servers of `http(s)://` links.
    External,
}

/// Checks the course at `root` without writing anything: every build problem,
/// then links, anchors, images and missing explanations. Fails on any error.
pub fn check(root: &Path, links: Links, log: &mut dyn Write) -> Result<usize, Error> {
    let loaded = load::load(root)?;
    let mut diags = loaded.diags.clone();
    let mut pages = 0;
    if loaded.config_ok {
        let outcome = site::build(&loaded.input, &Tools::default());
        diags.extend(outcome.diags);
        let mut checked = crate::cmd::check::course(&outcome.pages);
        crate::pipeline::locate_in_pages(&mut checked, &outcome.pages);
        diags.extend(checked);
        pages = outcome.site.as_ref().map_or(0, |site| site.pages);
        if links == Links::External && !diags.iter().any(diag::Diagnostic::is_error) {
            diags.extend(external(&outcome.pages, log));
        }
    }
    report(&diags, &loaded, log);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        return Err(Error::CheckFailed { errors });
    }
    // A course that would publish nothing is not "no errors" (issue 15).
    if loaded.config_ok && pages == 0 {
        return Err(no_pages(&loaded, &root.join(&loaded.input.config.src)));
    }
    let _ = writeln!(log, "coursegen: checked {pages} page{}: no errors", if pages == 1 { "" } else { "s" });
    Ok(pages)
}

/// Asks the servers of the pages' external links; a diagnostic at each link to
/// a URL that failed.
fn external(pages: &[crate::model::Page], log: &mut dyn Write) -> Vec<diag::Diagnostic> {
    let links = crate::cmd::check::external_links(pages);
    let mut urls: Vec<&str> = links.iter().map(|(_, _, u)| u.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    if urls.len() > crate::cmd::linkcheck::MAX_URLS {
        let _ = writeln!(log, "coursegen: checking the first {} of {} external links", crate::cmd::linkcheck::MAX_URLS, urls.len());
    }
    let failed = crate::cmd::linkcheck::probe(&urls);
    links
        .into_iter()
        .filter_map(|(path, span, url)| {
            let problem = failed.get(&url)?;
            let message = match problem {
                crate::cmd::linkcheck::Problem::Status(code) => format!("`{url}` answers {code}"),
                crate::cmd::linkcheck::Problem::Unreachable(why) => format!("`{url}` cannot be reached: {why}"),
            };
            Some(
                diag::Diagnostic::error(path, span, message)
                    .with_hint("fix or remove the link; `coursegen check` without --external skips the network"),
            )
        })
        .collect()
}

/// Prints diagnostics as every front-end does ([`diag::report`]).
fn report(diags: &[diag::Diagnostic], loaded: &load::Loaded, log: &mut dyn Write) {
    let _ = log.write_all(diag::report(diags, |p| loaded.text_of(p)).as_bytes());
}

/// Writes the scaffold course into `dir` (created if needed), with a
/// `.gitignore` for its output folder. Refuses a folder that has files, but
/// for a `.git`; with `force`, adds the scaffold's missing files to it and
/// overwrites nothing.
pub fn init(dir: &Path, force: bool, log: &mut dyn Write) -> Result<(), Error> {
    let mut found: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n != ".git").collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(dir, e)),
    };
    if !found.is_empty() && !force {
        found.sort();
        let count = found.len();
        found.truncate(3);
        return Err(Error::InitNotEmpty { dir: dir.to_path_buf(), examples: found, count });
    }
    let mut skipped = Vec::new();
    for (rel, bytes) in scaffold() {
        let path = rel.split('/').fold(dir.to_path_buf(), |p, part| p.join(part));
        if std::fs::symlink_metadata(&path).is_ok() {
            skipped.push(rel);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        // `create_new`: a file that appeared since the check above is kept too.
        let written = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).and_then(|mut f| f.write_all(&bytes));
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => skipped.push(rel),
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(
            log,
            "coursegen: kept {} file{} already there: {}",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            skipped.join(", ")
        );
    }
    let _ = writeln!(log, "coursegen: created a course in {}; build it with `coursegen build {}`", dir.display(), dir.display());
    Ok(())
}

/// The scaffold's files and a `.gitignore` naming its output folder.
fn scaffold() -> Vec<(String, std::borrow::Cow<'static, [u8]>)> {
    let mut files: Vec<(String, std::borrow::Cow<'static, [u8]>)> =
        SCAFFOLD.iter().map(|(rel, bytes)| (rel.to_string(), (*bytes).into())).collect();
    let build_dir = SCAFFOLD
        .iter()
        .find(|(rel, _)| *rel == "book.toml")
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
        .and_then(|text| crate::source::config::parse("book.toml", text).ok())
        .map_or_else(|| crate::source::config::Config::default().build_dir, |c| c.build_dir);
    files.push((".gitignore".into(), format!("/{}/\n", build_dir.trim_matches('/')).into_bytes().into()));
    files
}
