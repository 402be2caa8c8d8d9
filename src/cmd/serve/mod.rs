//! `coursegen serve`: builds the course in memory with the same pipeline as
//! `build`, serves it over HTTP on loopback, rebuilds when a source changes and
//! tells open pages to reload. Nothing is written to disk.
//!
//! Threads: the [`server`] accepts connections and gives each a thread of its
//! own ([`conn`]: [`request`] parses, [`http`] checks, [`respond`] answers from
//! the current [`reload::Snapshot`]), within the [`limits`]; one thread writes
//! reload events to every open stream ([`streams`]); the [`watch`]er feeds the
//! rebuild loop here, which publishes each result. Content problems never stop
//! the server: a failed build keeps the last good pages and shows an [`overlay`].

pub mod conn;
pub mod http;
pub mod limits;
pub mod overlay;
pub mod reload;
pub mod request;
pub mod respond;
pub mod server;
pub mod streams;
pub mod watch;

use std::net::{IpAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::pipeline::memo::Memo;
use crate::pipeline::site::{self, Site, Tools};
use crate::source::config::Config;
use crate::source::load;
use reload::Shared;

/// What `coursegen serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The course folder.
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    /// Address to listen on (`127.0.0.1` unless the user says otherwise).
    pub hostname: String,
    /// Open the URL in a browser.
    pub open: bool,
    /// Quiet time of the whole tree before a batch of changes triggers a rebuild.
    pub debounce: Duration,
    /// Watch by polling instead of inotify.
    pub poll: bool,
    /// Stop after this long (for tests and benchmarks; `None`: run until killed).
    pub stop_after: Option<Duration>,
}

/// Serves the course until killed (or `stop_after`). Errors are only for what
/// stops it from starting: no course folder, an address that cannot be bound.
pub fn serve(options: &Options) -> Result<(), Error> {
    let root = std::fs::canonicalize(&options.root).map_err(|_| Error::NotACourse(options.root.clone()))?;
    let tools = Tools { highlighter: crate::render::highlight::Highlighter::memoized() };
    let shared = Arc::new(Shared::default());
    let mut memo = Memo::default();
    let mut loaded = None;
    let first = rebuild(&root, &tools, Kept { memo: &mut memo, loaded: &mut loaded }, &[], &shared)?;
    let listener = bind(&options.hostname, options.port)?;
    let addr = listener.local_addr().map_err(|e| Error::Bind { addr: options.hostname.clone(), source: e })?;
    if let Some(warning) = exposure_warning(addr.ip()) {
        eprintln!("coursegen: warning: {warning}");
    }
    let ctx = Arc::new(server::Context::new(Arc::clone(&shared), options.hostname.clone(), addr.port()));
    server::start(listener, ctx).map_err(|e| Error::Serve(e.to_string()))?;
    let (tx, rx) = channel();
    let scope = watch::Scope::of(&root, &loaded.as_ref().map(|l| l.input.config.clone()).unwrap_or_default());
    let watching = match watch::start(scope, watch::WatchOptions { poll: options.poll }, tx) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("coursegen: warning: cannot watch the course ({e}); serving without rebuilding");
            None
        }
    };
    // Printed once watching, so a change made right after seeing the URL is not missed.
    let url = url_of(&options.hostname, addr.ip(), addr.port());
    if first.failed {
        eprintln!("coursegen: the build failed; serving an error page until it is fixed");
    }
    eprintln!("coursegen: built in {} ms; serving at {url} (Ctrl-C to stop)", first.took.as_millis());
    if options.open {
        open_in_browser(&url);
    }
    let started = Instant::now();
    let quiet = options.debounce;
    std::thread::spawn(move || rebuild_loop(&root, &tools, (memo, loaded), &shared, &rx, quiet, watching));
    match options.stop_after {
        Some(limit) => {
            std::thread::sleep(limit.saturating_sub(started.elapsed()));
            eprintln!("coursegen: stopping after {} s (--stop-after)", limit.as_secs());
        }
        None => loop {
            std::thread::park();
        },
    }
    Ok(())
}

/// Binds the front listener; a port in use gets its own error.
fn bind(hostname: &str, port: u16) -> Result<TcpListener, Error> {
    let addrs: Vec<_> =
        (hostname, port).to_socket_addrs().map_err(|e| Error::Bind { addr: format!("{hostname}:{port}"), source: e })?.collect();
    let mut last = None;
    for a in addrs {
        match TcpListener::bind(a) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(Error::PortInUse { addr: a.to_string() }),
            Err(e) => last = Some((a, e)),
        }
    }
    let (a, e) =
        last.map_or_else(|| (format!("{hostname}:{port}"), std::io::Error::other("no address found")), |(a, e)| (a.to_string(), e));
    Err(Error::Bind { addr: a, source: e })
}

/// A warning when `ip` is reachable from other machines.
fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback())
        .then(|| format!("listening on {ip}, so other machines can reach this server; use `-n 127.0.0.1` to keep it private"))
}

fn url_of(hostname: &str, ip: IpAddr, port: u16) -> String {
    let host = if ip.is_unspecified() {
        "127.0.0.1".to_string()
    } else if hostname.parse::<IpAddr>().is_ok_and(|h| h.is_ipv6()) {
        format!("[{hostname}]")
    } else {
        hostname.to_string()
    };
    format!("http://{host}:{port}/")
}

/// `xdg-open` when there is one; otherwise the URL is already printed.
fn open_in_browser(url: &str) {
    match std::process::Command::new("xdg-open").arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn() {
        Ok(_) => eprintln!("coursegen: opening {url} in your browser"),
        Err(_) => eprintln!("coursegen: cannot run xdg-open; open {url} in your browser"),
    }
}

/// Rebuilds once the tree has been quiet for `quiet` after a change (by
/// default 0: at once, since the watcher already waits for each file to be
/// quiet); changes during a rebuild are merged into the next one, so a burst
/// of saves (a `git checkout`, a search-and-replace) gives a rebuild or two. The watches follow
/// the folders book.toml names.
fn rebuild_loop(
    root: &Path,
    tools: &Tools,
    kept: (Memo, Option<load::Loaded>),
    shared: &Shared,
    rx: &Receiver<Vec<PathBuf>>,
    quiet: Duration,
    mut watching: Option<watch::Watching>,
) {
    let (mut memo, mut loaded) = kept;
    let book_toml = root.join("book.toml");
    let mut again = None;
    while let Some(mut paths) = again.take().or_else(|| rx.recv().ok()) {
        while let Ok(more) = rx.recv_timeout(quiet) {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        // Watched before they are read, so that nothing written in a folder
        // book.toml now names falls between the load and its watch.
        if paths.contains(&book_toml) {
            follow(&mut watching, root, load::settings(root).as_ref());
        }
        match rebuild(root, tools, Kept { memo: &mut memo, loaded: &mut loaded }, &paths, shared) {
            Ok(r) => eprintln!("coursegen: {}", r.describe(paths.len())),
            // The folder itself went away: say so in the pages and keep serving.
            Err(e) => {
                eprintln!("coursegen: error: {e}");
                shared.publish(None, Some(overlay::overlay_text(&e.to_string())));
            }
        }
        // book.toml changed again while it was read: what the load read may
        // come from folders that were not watched yet, so read it all again.
        let read = loaded.as_ref().filter(|l| l.config_ok).map(|l| &l.input.config);
        if follow(&mut watching, root, read) {
            again = Some(vec![book_toml.clone()]);
        }
    }
}

/// Points the watches at the folders `config` names; `true` when they moved.
fn follow(watching: &mut Option<watch::Watching>, root: &Path, config: Option<&Config>) -> bool {
    match (watching, config) {
        (Some(w), Some(config)) => w.follow(watch::Scope::of(root, config)),
        _ => false,
    }
}

/// Loads and builds the course, prints its diagnostics and publishes the
/// result: the new site, or the old one with an overlay. Only a course folder
/// that cannot be read at all is an error.
fn rebuild(root: &Path, tools: &Tools, kept: Kept<'_>, changed: &[PathBuf], shared: &Shared) -> Result<Rebuilt, Error> {
    let started = Instant::now();
    let Kept { memo, loaded: slot } = kept;
    let loaded = match slot.take() {
        Some(previous) if !changed.is_empty() => load::reload(root, previous, changed)?,
        _ => load::load(root)?,
    };
    let loaded = &*slot.insert(loaded);
    let outcome = if loaded.config_ok {
        site::build_with(&loaded.input, tools, memo)
    } else {
        site::Outcome { site: None, diags: Vec::new(), pages: Vec::new() }
    };
    let mut diags: Vec<Diagnostic> = loaded.diags.clone();
    diags.extend(outcome.diags);
    eprint!("{}", diag::report(&diags, |p| loaded.text_of(p)));
    let site: Option<Site> = outcome.site.filter(|_| !diags.iter().any(Diagnostic::is_error));
    let overlay = site.is_none().then(|| {
        let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
        overlay::overlay(&errors, |p| loaded.text_of(p))
    });
    let failed = overlay.is_some();
    let event = shared.publish(site, overlay);
    Ok(Rebuilt { took: started.elapsed(), failed, event, stats: memo.stats })
}

/// What one rebuild keeps for the next: the memo and the files as read.
struct Kept<'a> {
    memo: &'a mut Memo,
    loaded: &'a mut Option<load::Loaded>,
}

/// How a rebuild went, for the log.
struct Rebuilt {
    took: Duration,
    /// The build had errors; the last good site is still served.
    failed: bool,
    /// What open pages were told to do.
    event: Option<reload::Event>,
    /// What was parsed and rendered again.
    stats: crate::pipeline::memo::Stats,
}

impl Rebuilt {
    /// One line for the terminal.
    fn describe(&self, changed: usize) -> String {
        let what = match (&self.event, self.failed) {
            (_, true) => "build failed; still serving the last good pages, with the errors shown on them".to_string(),
            (None, false) => "nothing changed in the site".to_string(),
            (Some(reload::Event::Reload), false) => "pages reload".to_string(),
            (Some(reload::Event::Css(p)), false) => format!("stylesheets swapped: {}", p.join(", ")),
        };
        let s = if changed == 1 { "" } else { "s" };
        let st = &self.stats;
        format!(
            "rebuilt in {} ms ({changed} changed path{s}; parsed {}, rendered {} of {} pages): {what}",
            self.took.as_millis(),
            st.parsed,
            st.rendered,
            st.rendered + st.reused_html
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_off_loopback() {
        assert!(exposure_warning("127.0.0.1".parse().unwrap()).is_none());
        assert!(exposure_warning("::1".parse().unwrap()).is_none());
        assert!(exposure_warning("0.0.0.0".parse().unwrap()).unwrap().contains("other machines"));
        assert_eq!(url_of("0.0.0.0", "0.0.0.0".parse().unwrap(), 80), "http://127.0.0.1:80/");
        assert_eq!(url_of("::1", "::1".parse().unwrap(), 3000), "http://[::1]:3000/");
    }
}
