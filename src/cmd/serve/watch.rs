//! Watches a course's sources (content, book.toml, the theme folder) and reports
//! batches of changed paths. It decides which paths matter; it does not build.
//!
//! The course root is watched non-recursively (book.toml, even when an editor
//! replaces it by a rename, and the source and theme folders appearing), the
//! source and theme folders recursively. The output folder is never watched
//! and never written by `serve`, so a rebuild cannot trigger another one.
//!
//! The watches follow the tree (issue 23): when a watched folder, or one on
//! the way to it, is created, removed or renamed (a `git checkout`), they are
//! made again and the rebuild loop is told to read everything; when book.toml
//! names other folders, the rebuild loop hands over a new [`Scope`].
//!
//! inotify needs one watch per folder. When the user's limit runs out, at the
//! start or later for a new folder, watching switches to polling with a message.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt};

use crate::source::config::Config;

/// How long a file must be quiet before notify-debouncer-full reports it:
/// long enough for an editor's truncate-then-write to arrive as one change,
/// and short, because every millisecond of it is one the author waits to see
/// the page (issue 21: 5 ms of quiet and a 5 ms tick were a third of the
/// time from a save to the reload). A burst over many files is merged by the
/// rebuild loop: what arrives during a rebuild goes into the next one.
pub const FILE_QUIET: Duration = Duration::from_millis(2);
/// How often the debouncer looks for quiet files (a thousand cheap wake-ups
/// a second: a lock and a look at an empty queue).
const TICK: Duration = Duration::from_millis(1);
/// How often watching is tried again when a folder vanishes while it is being
/// watched: the tree is still changing (a checkout is running).
const ATTEMPTS: usize = 5;

/// How to watch.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// Poll instead of using inotify (also the fallback when inotify runs out).
    pub poll: bool,
}

/// A running watcher; dropping it stops watching.
///
/// The watcher itself lives on a thread of its own (see [`Supervisor`]), so
/// that it can be re-armed, and inotify replaced by polling, while `serve` runs.
pub struct Watching {
    control: Sender<Control>,
    /// What is watched now.
    scope: Scope,
}

impl Watching {
    /// Watches what `scope` names from now on, when that is not what is
    /// watched already (book.toml changed `src`, `theme` or `build-dir`).
    /// Returns once the new watches are in place, so that a load started
    /// afterwards misses nothing; `true` when the watches moved.
    pub fn follow(&mut self, scope: Scope) -> bool {
        if scope == self.scope {
            return false;
        }
        let (done, armed) = channel();
        if self.control.send(Control::Follow(scope.clone(), done)).is_ok() {
            let _ = armed.recv();
        }
        self.scope = scope;
        true
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        // The handlers hold senders too, so the channel never closes by
        // itself: say so explicitly.
        let _ = self.control.send(Control::Stop);
    }
}

/// What the thread that owns the watcher is told.
enum Control {
    /// inotify could not watch a folder created after the start.
    OutOfWatches,
    /// A watched folder or one on the way to it was created, removed or
    /// renamed, or the kernel dropped events: watch again, read everything.
    Moved,
    /// Watch this from now on; `done` is told once the watches are in place.
    Follow(Scope, Sender<()>),
    /// [`Watching`] was dropped.
    Stop,
}

/// What to watch in a course, and what to ignore, as book.toml sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The course folder, absolute.
    pub root: PathBuf,
    /// The source folder (`content`), absolute.
    pub src: PathBuf,
    /// `themes/<theme>`, absolute, when book.toml names a theme.
    pub theme: Option<PathBuf>,
    /// The output folder (`[build] build-dir`), absolute: what a
    /// `coursegen build` run beside `serve` writes is never a source.
    pub build: PathBuf,
}

impl Scope {
    /// The folders `config` names in the course at `root`.
    pub fn of(root: &Path, config: &Config) -> Scope {
        // Components, so that `./content/` and `content` are the same folder.
        let at = |rel: &Path| root.join(rel).components().collect::<PathBuf>();
        Scope {
            root: root.to_path_buf(),
            src: at(Path::new(&config.src)),
            theme: config.theme.as_ref().map(|t| at(&Path::new("themes").join(t))),
            build: at(Path::new(&config.build_dir)),
        }
    }

    /// The folders watched recursively when they exist.
    fn trees(&self) -> impl Iterator<Item = &PathBuf> {
        std::iter::once(&self.src).chain(&self.theme)
    }

    /// Whether a change at `path` can change the site. Editor debris (hidden
    /// files, `foo~` backups, vim's swap and `4913` probe files) does not, nor
    /// anything in a hidden folder, which the loader never reads either.
    pub fn relevant(&self, path: &Path) -> bool {
        if path == self.root.join("book.toml") || self.leads_to_a_tree(path) {
            return true;
        }
        if self.is_output(path) {
            return false;
        }
        let Some(rel) = self.trees().find_map(|t| path.strip_prefix(t).ok()) else { return false };
        let hidden = rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        let debris = hidden || name.ends_with('~') || name == "4913" || [".swp", ".swx", ".swo", ".tmp"].iter().any(|e| name.ends_with(e));
        !debris
    }

    /// Whether `path` is a watched folder or a folder on the way to one, so
    /// that creating, removing or renaming it changes what must be watched.
    fn leads_to_a_tree(&self, path: &Path) -> bool {
        path != self.root && path.starts_with(&self.root) && self.trees().any(|t| t.starts_with(path))
    }

    /// Whether `path` is in the output folder. One that is the course folder
    /// or holds a source is a mistake `build` refuses; it hides nothing here.
    fn is_output(&self, path: &Path) -> bool {
        path.starts_with(&self.build) && self.build != self.root && !self.trees().any(|t| t.starts_with(&self.build))
    }

    /// The folders to watch now: the course folder for book.toml; the source
    /// and theme folders recursively; for each of those that does not exist
    /// yet, the nearest folder above it that does, to see it appear. A folder
    /// that leads out of the course is not watched: it is not read either.
    fn plan(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut plan = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        let course = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        for tree in self.trees() {
            let in_recursive =
                |plan: &[(PathBuf, RecursiveMode)], p: &Path| plan.iter().any(|(w, m)| *m == RecursiveMode::Recursive && p.starts_with(w));
            if tree.is_dir() {
                if !std::fs::canonicalize(tree).is_ok_and(|real| real.starts_with(&course)) || in_recursive(&plan, tree) {
                    continue;
                }
                if *tree == self.root {
                    plan[0].1 = RecursiveMode::Recursive;
                } else {
                    plan.push((tree.clone(), RecursiveMode::Recursive));
                }
            } else if let Some(above) = tree.ancestors().skip(1).take_while(|a| a.starts_with(&self.root)).find(|a| a.is_dir())
                && !in_recursive(&plan, above)
                && !plan.iter().any(|(w, _)| w == above)
            {
                plan.push((above.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        plan
    }
}

/// Starts watching `scope`; every batch of relevant changed paths goes to `tx`.
/// Falls back to polling (with a message on stderr) when inotify cannot watch
/// everything, typically because `fs.inotify.max_user_watches` is used up:
/// at the start, or later, when a new folder is one watch too many.
pub fn start(scope: Scope, options: WatchOptions, tx: Sender<Vec<PathBuf>>) -> Result<Watching, notify::Error> {
    let (control, orders) = channel();
    let shared = Arc::new(Mutex::new(scope.clone()));
    let mut supervisor = Supervisor { active: None, watched: Vec::new(), scope: shared, tx, control: control.clone() };
    if options.poll {
        eprintln!("coursegen: watching by polling every 500 ms");
        supervisor.active = Some(Active::Polling(supervisor.polling()?));
    } else {
        supervisor.active = Some(match supervisor.native() {
            Ok(d) => Active::Native(d),
            Err(e) => {
                eprintln!("{}", fallback_message(&e));
                Active::Polling(supervisor.polling()?)
            }
        });
    }
    supervisor.arm()?;
    std::thread::Builder::new().name("coursegen watch".into()).spawn(move || supervisor.run(&orders)).map_err(notify::Error::io)?;
    Ok(Watching { control, scope })
}

/// The watcher in use.
enum Active {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

impl Active {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), notify::Error> {
        match self {
            Active::Native(d) => d.watch(path, mode),
            Active::Polling(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> Result<(), notify::Error> {
        match self {
            Active::Native(d) => d.unwatch(path),
            Active::Polling(d) => d.unwatch(path),
        }
    }
}

/// Owns the watcher until [`Watching`] is dropped: re-arms it when the tree
/// or the scope changes, and swaps inotify for polling when the handler
/// reports that a new folder could not be watched. notify's inotify backend
/// watches new folders itself and only reports the failure, so without this
/// a new chapter's lessons would never rebuild. This happens on a thread of
/// its own because the handler runs inside the very debouncer that may go.
struct Supervisor {
    /// `None` once neither inotify nor polling can watch.
    active: Option<Active>,
    /// What `active` watches, to undo when watching again.
    watched: Vec<(PathBuf, RecursiveMode)>,
    /// Shared with the handler, which filters events with it.
    scope: Arc<Mutex<Scope>>,
    tx: Sender<Vec<PathBuf>>,
    control: Sender<Control>,
}

impl Supervisor {
    fn run(mut self, orders: &Receiver<Control>) {
        let mut next = None;
        while let Some(order) = next.take().or_else(|| orders.recv().ok()) {
            match order {
                Control::Stop => return,
                // Errors already queued before the swap.
                Control::OutOfWatches if !matches!(self.active, Some(Active::Native(_))) => {}
                Control::OutOfWatches => {
                    eprintln!("{}", fallback_message(&notify::Error::new(notify::ErrorKind::MaxFilesWatch)));
                    self.use_polling();
                    self.arm_or_warn();
                    self.read_everything();
                }
                Control::Moved => {
                    // A checkout moves folders in several batches: one re-arm
                    // for all those already reported.
                    next = std::iter::from_fn(|| orders.try_recv().ok()).find(|o| !matches!(o, Control::Moved));
                    self.arm_or_warn();
                    self.read_everything();
                }
                Control::Follow(scope, done) => {
                    *self.scope.lock().unwrap_or_else(PoisonError::into_inner) = scope;
                    self.arm_or_warn();
                    let _ = done.send(());
                }
            }
        }
    }

    /// Tells the rebuild loop to read every file: what changed while nothing
    /// watched it (a folder just created or swapped, or just polled for the
    /// first time) was not seen. The source folder as the changed path does it.
    fn read_everything(&self) {
        let src = self.scope.lock().unwrap_or_else(PoisonError::into_inner).src.clone();
        let _ = self.tx.send(vec![src]);
    }

    fn arm_or_warn(&mut self) {
        if let Err(e) = self.arm() {
            eprintln!("coursegen: warning: cannot watch the course ({e}); changes may be missed until a watched folder changes");
        }
    }

    /// Watches what the scope names now, in place of what was watched.
    /// Falls back from inotify to polling when inotify cannot watch it all.
    fn arm(&mut self) -> Result<(), notify::Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let Err(e) = self.try_arm() else { return Ok(()) };
            if vanished(&e) && attempt < ATTEMPTS {
                continue;
            }
            if vanished(&e) || !matches!(self.active, Some(Active::Native(_))) {
                return Err(e);
            }
            eprintln!("{}", fallback_message(&e));
            self.use_polling();
        }
    }

    fn try_arm(&mut self) -> Result<(), notify::Error> {
        let Some(active) = self.active.as_mut() else { return Ok(()) };
        let plan = self.scope.lock().unwrap_or_else(PoisonError::into_inner).plan();
        // The course folder's watch stays when it can, so that no save of
        // book.toml falls between two watches.
        let root = &plan[0];
        for (path, mode) in std::mem::take(&mut self.watched) {
            if (&path, mode) == (&root.0, root.1) {
                self.watched.push((path, mode));
            } else if let Err(e) = active.unwatch(&path)
                // Often gone already, with its folder.
                && !vanished(&e)
            {
                eprintln!("coursegen: watching: {e}");
            }
        }
        for (path, mode) in plan {
            if !self.watched.contains(&(path.clone(), mode)) {
                // Recorded first: a recursive watch that fails half-way has
                // watched some folders, which the next attempt must undo.
                self.watched.push((path.clone(), mode));
                active.watch(&path, mode)?;
            }
        }
        Ok(())
    }

    /// Replaces inotify by polling (or by nothing, with a warning).
    fn use_polling(&mut self) {
        self.active = None;
        self.watched.clear();
        match self.polling() {
            Ok(d) => self.active = Some(Active::Polling(d)),
            Err(e) => eprintln!("coursegen: warning: cannot poll either ({e}); changes in new folders are not seen"),
        }
    }

    fn native(&self) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>, notify::Error> {
        let handler = handler(Arc::clone(&self.scope), self.tx.clone(), self.control.clone());
        new_debouncer_opt(FILE_QUIET, Some(TICK), handler, RecommendedCache::new(), notify::Config::default())
    }

    fn polling(&self) -> Result<Debouncer<PollWatcher, NoCache>, notify::Error> {
        // Contents, not mtimes: the poll watcher keeps mtimes in whole seconds and
        // would miss a second save within the same second.
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500)).with_compare_contents(true);
        let handler = handler(Arc::clone(&self.scope), self.tx.clone(), self.control.clone());
        new_debouncer_opt(FILE_QUIET, Some(TICK), handler, NoCache, config)
    }
}

/// Whether `e` says a path is not there (any more).
fn vanished(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound | notify::ErrorKind::WatchNotFound => true,
        notify::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
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

/// Whether an event of this kind can make or unmake a folder.
fn reshapes(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Any
            | EventKind::Other
    )
}

/// The debouncer's callback: keeps relevant paths, reports errors on stderr,
/// and tells the supervisor when the watches must be made again.
fn handler(
    scope: Arc<Mutex<Scope>>,
    tx: Sender<Vec<PathBuf>>,
    control: Sender<Control>,
) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| match result {
        Ok(events) => {
            let scope = scope.lock().unwrap_or_else(PoisonError::into_inner).clone();
            let moved = events.iter().any(|e| e.need_rescan() || (reshapes(&e.kind) && e.paths.iter().any(|p| scope.leads_to_a_tree(p))));
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
            if moved {
                let _ = control.send(Control::Moved);
            }
        }
        Err(errors) => {
            for e in errors {
                match &e.kind {
                    notify::ErrorKind::MaxFilesWatch => {
                        let _ = control.send(Control::OutOfWatches);
                    }
                    // A watched folder went away: the watch on the folder
                    // above it reports that, and watching is made again.
                    _ if vanished(&e) => {}
                    _ => eprintln!("coursegen: watching: {e}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(theme: Option<&str>) -> Scope {
        let config = Config { src: "./content/".into(), theme: theme.map(String::from), ..Config::default() };
        Scope::of(Path::new("/c"), &config)
    }

    #[test]
    fn editor_debris_hidden_folders_and_output_are_ignored() {
        let scope = scope(Some("mine"));
        for p in ["/c/book.toml", "/c/content/a.md", "/c/content/img/x.png", "/c/themes/mine/page.html", "/c/content", "/c/themes"] {
            assert!(scope.relevant(Path::new(p)), "{p}");
        }
        for p in [
            "/c/book/a.html",
            "/c/content/.a.md.swp",
            "/c/content/a.md~",
            "/c/content/4913",
            "/c/content/.#a.md",
            "/c/content/.git/index",
            "/c/README.md",
            "/c/content/a.md.tmp",
            "/c/themes/other/page.html",
            "/c",
        ] {
            assert!(!scope.relevant(Path::new(p)), "{p}");
        }
        // The output folder inside the source folder, as with `src = "."`.
        let at_root = Scope::of(Path::new("/c"), &Config { src: ".".into(), ..Config::default() });
        assert!(at_root.relevant(Path::new("/c/a.md")));
        assert!(!at_root.relevant(Path::new("/c/book/a.html")));
    }

    #[test]
    fn the_source_folder_and_the_folders_above_it_lead_to_a_tree() {
        let scope = Scope::of(Path::new("/c"), &Config { src: "a/content".into(), theme: Some("t".into()), ..Config::default() });
        for p in ["/c/a", "/c/a/content", "/c/themes", "/c/themes/t"] {
            assert!(scope.leads_to_a_tree(Path::new(p)), "{p}");
        }
        for p in ["/c", "/c/a/content/x", "/c/b", "/c/themes/u", "/c/book.toml", "/"] {
            assert!(!scope.leads_to_a_tree(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn missing_folders_are_watched_from_the_nearest_folder_above() {
        let root = std::env::temp_dir().join(format!("cg-watch-plan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content/ch1")).expect("mkdir");
        std::fs::create_dir_all(root.join("themes")).expect("mkdir");
        let config = Config { src: "content".into(), theme: Some("mine".into()), ..Config::default() };
        let plan = Scope::of(&root, &config).plan();
        let (non, rec) = (RecursiveMode::NonRecursive, RecursiveMode::Recursive);
        assert_eq!(plan, vec![(root.clone(), non), (root.join("content"), rec), (root.join("themes"), non)]);
        std::fs::create_dir(root.join("themes/mine")).expect("mkdir");
        std::fs::remove_dir_all(root.join("content")).expect("rm");
        let plan = Scope::of(&root, &config).plan();
        assert_eq!(plan, vec![(root.clone(), non), (root.join("themes/mine"), rec)], "the root already sees content/ appear");
        let plan = Scope::of(&root, &Config { src: ".".into(), ..config }).plan();
        assert_eq!(plan, vec![(root.clone(), rec)], "the theme is inside the source folder");
        std::fs::remove_dir_all(&root).expect("rm");
    }
}
