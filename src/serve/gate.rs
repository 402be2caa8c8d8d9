//! The TCP front door of `coursegen serve`: accepts connections, caps how many
//! are open at once and closes idle ones, then hands each to tiny_http over a
//! private Unix socket.
//!
//! This exists because tiny_http accepts on its own thread with no connection
//! cap and no read timeout, so a few idle sockets could pin its threads for
//! ever. Owning `accept` is the only way to add both without forking it.
//! It knows nothing of HTTP.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How the gate limits clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// A connection with no traffic either way for this long is closed.
    pub idle: Duration,
}

/// Most bytes one connection may send. Requests have no bodies here, so this
/// only stops a client that streams endless headers into tiny_http's buffers.
const MAX_UPLOAD: usize = 4 << 20;

/// Stack of the two pump threads per connection: they only copy bytes.
const PUMP_STACK: usize = 64 * 1024;

/// A private listener for tiny_http and the address to reach it. On Linux it
/// is an abstract socket: nothing on disk to clean up or to collide with.
pub fn backend() -> io::Result<(UnixListener, SocketAddr)> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let name = format!("coursegen-serve-{}-{nanos}", std::process::id());
    #[cfg(target_os = "linux")]
    let addr = {
        use std::os::linux::net::SocketAddrExt;
        SocketAddr::from_abstract_name(name.as_bytes())?
    };
    #[cfg(not(target_os = "linux"))]
    let addr = SocketAddr::from_pathname(std::env::temp_dir().join(name))?;
    let listener = UnixListener::bind_addr(&addr)?;
    Ok((listener, addr))
}

/// Accepts on `front` for ever, bridging each connection to `backend`.
pub fn run(front: TcpListener, backend: SocketAddr, limits: Limits) {
    let backend = Arc::new(backend);
    let slots = Arc::new((Mutex::new(0usize), Condvar::new()));
    loop {
        wait_for_slot(&slots, limits.max_connections);
        let client = match front.accept() {
            Ok((c, _)) => c,
            Err(e) => {
                release(&slots);
                // Out of file descriptors and the like: back off instead of spinning.
                eprintln!("coursegen: serve: accept failed: {e}");
                thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let (slots2, backend) = (Arc::clone(&slots), Arc::clone(&backend));
        let spawned = thread::Builder::new().stack_size(PUMP_STACK).spawn(move || {
            let _ = bridge(client, &backend, limits.idle);
            release(&slots2);
        });
        if spawned.is_err() {
            release(&slots);
        }
    }
}

fn wait_for_slot(slots: &(Mutex<usize>, Condvar), max: usize) {
    let (count, cv) = slots;
    let mut n = count.lock().unwrap_or_else(|p| p.into_inner());
    while *n >= max {
        n = cv.wait(n).unwrap_or_else(|p| p.into_inner());
    }
    *n += 1;
}

fn release(slots: &(Mutex<usize>, Condvar)) {
    let (count, cv) = slots;
    let mut n = count.lock().unwrap_or_else(|p| p.into_inner());
    *n = n.saturating_sub(1);
    cv.notify_one();
}

/// Copies bytes both ways between `client` and tiny_http until either side
/// closes or nothing moved for `idle`.
fn bridge(client: TcpStream, backend: &SocketAddr, idle: Duration) -> io::Result<()> {
    let server = UnixStream::connect_addr(backend)?;
    client.set_nodelay(true)?;
    // Wake up regularly to check for idleness; a write that cannot go out
    // within `idle` means the reader stopped reading.
    client.set_read_timeout(Some(idle / 4))?;
    client.set_write_timeout(Some(idle))?;
    let start = Instant::now();
    let last = Arc::new(AtomicU64::new(0));
    let (client2, server2) = (client.try_clone()?, server.try_clone()?);
    let last2 = Arc::clone(&last);
    let down = thread::Builder::new().stack_size(PUMP_STACK).spawn(move || {
        pump_down(server2, &client2, &last2, start);
    })?;
    pump_up(&client, &server, &last, start, idle);
    let _ = server.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
    let _ = down.join();
    Ok(())
}

/// Client → tiny_http, closing the connection once it has been idle too long.
fn pump_up(mut client: &TcpStream, mut server: &UnixStream, last: &AtomicU64, start: Instant, idle: Duration) {
    let mut buf = [0u8; 8192];
    let mut sent = 0usize;
    loop {
        match client.read(&mut buf) {
            Ok(0) => {
                // Half-close: the client is done sending; let the response finish.
                let _ = server.shutdown(Shutdown::Write);
                wait_while_active(last, start, idle);
                return;
            }
            Ok(n) => {
                touch(last, start);
                sent += n;
                if sent > MAX_UPLOAD || server.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                if idle_for(last, start) >= idle {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// tiny_http → client. Ends when tiny_http closes its side or the client is gone.
fn pump_down(mut server: UnixStream, mut client: &TcpStream, last: &AtomicU64, start: Instant) {
    let mut buf = [0u8; 16384];
    loop {
        match server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                touch(last, start);
                if client.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = client.shutdown(Shutdown::Both);
    // Marks the bridge as finished for `wait_while_active`.
    last.store(u64::MAX, Ordering::Release);
}

/// After the client half-closed: waits until the response is done or stalls.
fn wait_while_active(last: &AtomicU64, start: Instant, idle: Duration) {
    while last.load(Ordering::Acquire) != u64::MAX && idle_for(last, start) < idle {
        thread::sleep(Duration::from_millis(20));
    }
}

fn touch(last: &AtomicU64, start: Instant) {
    let now = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
    // Never overwrite the "finished" mark.
    let _ = last.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| (v != u64::MAX).then_some(now));
}

fn idle_for(last: &AtomicU64, start: Instant) -> Duration {
    let at = last.load(Ordering::Acquire);
    if at == u64::MAX {
        return Duration::MAX;
    }
    start.elapsed().saturating_sub(Duration::from_millis(at))
}
