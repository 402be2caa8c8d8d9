//! The HTTP side of `coursegen serve`: accepts connections and gives each its
//! own thread ([`super::conn`]) while there are fewer than
//! [`MAX_CONNECTIONS`]; starts the thread that writes the event streams.
//!
//! This exists because tiny_http answered on a fixed pool of workers with no
//! read or write deadlines, so a few clients that sent or read slowly took
//! every worker (issues 15 and 23), and putting a TCP-to-Unix-socket proxy in
//! front to add them made the crate unbuildable on Windows. Here nothing
//! waits on a client except that client's own thread, and only `std::net` is
//! used. The server speaks HTTP/1.0 and 1.1, GET and HEAD, without bodies.

use std::net::TcpListener;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use super::conn;
use super::limits::{CONNECTION_STACK, MAX_CONNECTIONS};
use super::reload::Shared;
use super::streams::Streams;

/// What every connection needs.
pub struct Context {
    /// What is served now.
    pub shared: Arc<Shared>,
    /// `--hostname`, for the Host check.
    pub hostname: String,
    /// The port actually bound (`-p 0` picks one).
    pub port: u16,
    /// The open live-reload streams.
    pub streams: Streams,
}

impl Context {
    /// A context for a server bound to `hostname:port`.
    pub fn new(shared: Arc<Shared>, hostname: String, port: u16) -> Self {
        Self { shared, hostname, port, streams: Streams::default() }
    }
}

/// Starts the stream writer and the accept loop, each on a thread of its own.
pub fn start(listener: TcpListener, ctx: Arc<Context>) -> std::io::Result<()> {
    let streams_ctx = Arc::clone(&ctx);
    thread::Builder::new().name("coursegen streams".into()).spawn(move || streams_ctx.streams.run(&streams_ctx.shared))?;
    thread::Builder::new().name("coursegen accept".into()).spawn(move || accept_loop(&listener, &ctx))?;
    Ok(())
}

/// Accepts for ever. At [`MAX_CONNECTIONS`] it stops accepting until one
/// closes: new clients wait in the kernel's listen backlog rather than being
/// refused, so a burst of page loads is served, only later.
fn accept_loop(listener: &TcpListener, ctx: &Arc<Context>) {
    let slots = Arc::new(Slots::default());
    let mut failing = false;
    loop {
        let permit = Slots::acquire(&slots);
        match listener.accept() {
            Ok((socket, _)) => {
                failing = false;
                let ctx = Arc::clone(ctx);
                // If the thread cannot be made, the closure (socket and permit
                // inside) is dropped: the client sees a close, the slot is freed.
                let spawned = thread::Builder::new().stack_size(CONNECTION_STACK).spawn(move || {
                    conn::serve(socket, &ctx);
                    drop(permit);
                });
                if let Err(e) = spawned {
                    eprintln!("coursegen: serve: cannot start a thread for a connection: {e}");
                }
            }
            Err(e) => {
                drop(permit);
                // Out of file descriptors and the like: say so once per
                // streak, and back off instead of spinning.
                if !failing {
                    eprintln!("coursegen: serve: accept failed: {e}");
                }
                failing = true;
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Counts connection threads against [`MAX_CONNECTIONS`].
#[derive(Default)]
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

/// One connection's place; freed on drop.
struct Permit(Arc<Slots>);

impl Slots {
    /// Waits for a free place.
    fn acquire(slots: &Arc<Slots>) -> Permit {
        let mut used = slots.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used >= MAX_CONNECTIONS {
            used = slots.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += 1;
        Permit(Arc::clone(slots))
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut used = self.0.used.lock().unwrap_or_else(|p| p.into_inner());
        *used = used.saturating_sub(1);
        self.0.freed.notify_one();
    }
}
