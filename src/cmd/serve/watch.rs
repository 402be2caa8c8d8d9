//! Watches a course's sources (content, book.toml, the theme folder) and reports
//! batches of changed paths. It decides which paths matter; it does not build.
//!
//! The course root is watched non-recursively (book.toml, even when an editor
//! replaces it by a rename), the source and theme folders recursively. The
//! output folder is never watched and never written by `serve`, so a rebuild
//! cannot trigger another one.
//!
//! inotify needs one watch per folder. When the user's limit runs out, at the
//! start or later for a new folder, watching switches to polling with a message.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache, new_debouncer_opt};

/// How long a file must be quiet before notify-debouncer-full reports it.
/// Short, because it is per file: a burst over many files is merged again by
/// the rebuild loop, which waits for the whole tree to be quiet.
pub const FILE_QUIET: Duration = Duration::from_millis(5);
/// How often the debouncer looks for quiet files (200 cheap wake-ups a second).
const TICK: Duration = Duration::from_millis(5);

/// How to watch.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// Poll instead of using inotify (also the fallback when inotify runs out).
    pub poll: bool,
}

/// A running watcher; dropping it stops watching.
///
/// The watcher itself lives on a thread of its own (see [`supervise`]), so
/// that inotify can be replaced by polling while `serve` runs.
pub struct Watching {
    control: Sender<Control>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        // The native handler holds a sender too, so the channel never closes
        // by itself: say so explicitly.
        let _ = self.control.send(Control::Stop);
    }
}

/// What the thread that owns the watcher is told.
enum Control {
    /// inotify could not watch a folder created after the start.
    OutOfWatches,
    /// [`Watching`] was dropped.
    Stop,
}

/// The watcher in use; held, not called: dropping it stops watching.
enum Active {
    Native { _debouncer: Debouncer<RecommendedWatcher, RecommendedCache> },
    Polling { _debouncer: Debouncer<PollWatcher, NoCache> },
}

/// What to watch in a course, and what to ignore.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The course folder, absolute.
    pub root: PathBuf,
    /// The source folder (`content`), absolute.
    pub src: PathBuf,
    /// `themes/`, absolute.
    pub themes: PathBuf,
}

impl Scope {
    /// Whether a change at `path` can change the site. Editor debris (hidden
    /// files, `foo~` backups, vim's swap and `4913` probe files) does not.
    pub fn relevant(&self, path: &Path) -> bool {
        if path == self.root.join("book.toml") {
            return true;
        }
        if !(path.starts_with(&self.src) || path.starts_with(&self.themes)) {
            return false;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        let debris = name.starts_with('.')
            || name.ends_with('~')
            || name == "4913"
            || [".swp", ".swx", ".swo", ".tmp"].iter().any(|e| name.ends_with(e));
        !debris
    }
}

/// Starts watching `scope`; every batch of relevant changed paths goes to `tx`.
/// Falls back to polling (with a message on stderr) when inotify cannot watch
/// everything, typically because `fs.inotify.max_user_watches` is used up:
/// at the start, or later, when a new folder is one watch too many.
pub fn start(scope: Scope, options: WatchOptions, tx: Sender<Vec<PathBuf>>) -> Result<Watching, notify::Error> {
    let (control, orders) = channel();
    let first = if options.poll {
        eprintln!("coursegen: watching by polling every 500 ms");
        Active::Polling { _debouncer: polling(&scope, tx.clone())? }
    } else {
        match native(&scope, tx.clone(), control.clone()) {
            Ok(d) => Active::Native { _debouncer: d },
            Err(e) => {
                eprintln!("{}", fallback_message(&e));
                Active::Polling { _debouncer: polling(&scope, tx.clone())? }
            }
        }
    };
    std::thread::Builder::new()
        .name("coursegen watch".into())
        .spawn(move || supervise(first, &orders, &scope, &tx))
        .map_err(notify::Error::io)?;
    Ok(Watching { control })
}

/// Owns the watcher until [`Watching`] is dropped, and swaps inotify for
/// polling when the handler reports that a new folder could not be watched.
/// notify's inotify backend watches new folders itself and only reports the
/// failure, so without this a new chapter's lessons would never rebuild,
/// with only notify's terse error on stderr. The swap happens here because the handler runs inside the very
/// debouncer that has to go.
fn supervise(mut active: Active, orders: &Receiver<Control>, scope: &Scope, tx: &Sender<Vec<PathBuf>>) {
    while let Ok(Control::OutOfWatches) = orders.recv() {
        if matches!(active, Active::Polling { .. }) {
            continue; // errors already queued before the swap
        }
        eprintln!("{}", fallback_message(&notify::Error::new(notify::ErrorKind::MaxFilesWatch)));
        match polling(scope, tx.clone()) {
            Ok(d) => {
                active = Active::Polling { _debouncer: d };
                // What was written in the unwatched folder before polling
                // took its first look was missed: the source folder as the
                // changed path makes the next rebuild read everything.
                let _ = tx.send(vec![scope.src.clone()]);
            }
            Err(e) => eprintln!("coursegen: warning: cannot poll either ({e}); changes in new folders are not seen"),
        }
    }
}

/// The line printed when inotify gives up, naming the limit when that is why.
fn fallback_message(e: &notify::Error) -> String {
    let why = if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
        "the inotify watch limit is reached (raise fs.inotify.max_user_watches)".to_string()
    } else {
        e.to_string()
    };
    format!("coursegen: cannot watch with inotify: {why}; polling every 500 ms instead")
}

fn native(
    scope: &Scope,
    tx: Sender<Vec<PathBuf>>,
    control: Sender<Control>,
) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>, notify::Error> {
    let config = notify::Config::default();
    let mut d = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
        FILE_QUIET,
        Some(TICK),
        handler(scope.clone(), tx, Some(control)),
        RecommendedCache::new(),
        config,
    )?;
    watch_all(&mut d, scope)?;
    Ok(d)
}

fn polling(scope: &Scope, tx: Sender<Vec<PathBuf>>) -> Result<Debouncer<PollWatcher, NoCache>, notify::Error> {
    // Contents, not mtimes: the poll watcher keeps mtimes in whole seconds and
    // would miss a second save within the same second.
    let config = notify::Config::default().with_poll_interval(Duration::from_millis(500)).with_compare_contents(true);
    let mut d = new_debouncer_opt::<_, PollWatcher, NoCache>(FILE_QUIET, Some(TICK), handler(scope.clone(), tx, None), NoCache, config)?;
    watch_all(&mut d, scope)?;
    Ok(d)
}

fn watch_all<W: Watcher, C: FileIdCache>(d: &mut Debouncer<W, C>, scope: &Scope) -> Result<(), notify::Error> {
    d.watch(&scope.root, RecursiveMode::NonRecursive)?;
    d.watch(&scope.src, RecursiveMode::Recursive)?;
    if scope.themes.is_dir() {
        d.watch(&scope.themes, RecursiveMode::Recursive)?;
    }
    Ok(())
}

/// The debouncer's callback: keeps relevant paths, reports errors on stderr.
/// `limit` is told when inotify runs out of watches (polling has no limit).
fn handler(scope: Scope, tx: Sender<Vec<PathBuf>>, limit: Option<Sender<Control>>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| match result {
        Ok(events) => {
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .filter(|p| scope.relevant(p))
                .cloned()
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
        Err(errors) => {
            for e in errors {
                match (&e.kind, &limit) {
                    (notify::ErrorKind::MaxFilesWatch, Some(control)) => {
                        let _ = control.send(Control::OutOfWatches);
                    }
                    _ => eprintln!("coursegen: watching: {e}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_debris_and_output_are_ignored() {
        let scope = Scope { root: "/c".into(), src: "/c/content".into(), themes: "/c/themes".into() };
        for p in ["/c/book.toml", "/c/content/a.md", "/c/content/img/x.png", "/c/themes/mine/page.html"] {
            assert!(scope.relevant(Path::new(p)), "{p}");
        }
        for p in [
            "/c/book/a.html",
            "/c/content/.a.md.swp",
            "/c/content/a.md~",
            "/c/content/4913",
            "/c/content/.#a.md",
            "/c/README.md",
            "/c/content/a.md.tmp",
        ] {
            assert!(!scope.relevant(Path::new(p)), "{p}");
        }
    }
}
