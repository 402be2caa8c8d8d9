//! The live-reload event streams (`/__coursegen/events`): their budget, and
//! the one thread that writes every reload event to every open stream.
//!
//! This exists because a thread per stream made a thousand open tabs a
//! thousand threads, and streams sharing the page workers made them block page
//! requests (issue 23). Here a stream is a non-blocking socket in a list: its
//! head is written by the connection that asked for it, which then returns to
//! serving pages; after that only this module writes to it. It never reads a
//! request and never builds.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::limits::{MAX_STREAMS, STREAM_KEEPALIVE};
use super::reload::{Event, Shared};

/// The head of every stream, and how long the browser waits before
/// reconnecting one that dropped (the server restarting, say).
const STREAM_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";

/// The open streams and the ones waiting to join them.
#[derive(Default)]
pub struct Streams {
    /// Open streams, counting the ones not yet adopted by the writer thread.
    open: Arc<AtomicUsize>,
    joining: Mutex<Vec<Stream>>,
}

/// One stream: its socket, the generation its page last heard of, and its
/// place in the budget (given back when the stream is dropped).
struct Stream {
    socket: TcpStream,
    seen: u64,
    _slot: Slot,
}

/// A place in the stream budget, held for as long as the stream is open.
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Streams {
    /// Whether a new stream would be refused now.
    pub fn is_full(&self) -> bool {
        self.open.load(Ordering::Acquire) >= MAX_STREAMS
    }

    /// A place for one more stream, unless [`MAX_STREAMS`] are open.
    pub fn reserve(&self) -> Option<Slot> {
        let taken = self.open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < MAX_STREAMS).then_some(n + 1));
        taken.ok().map(|_| Slot(Arc::clone(&self.open)))
    }

    /// Starts the stream on `socket` for a page served at generation `since`:
    /// writes its head (and a reload when the page is already stale), then
    /// hands it to the writer thread. Called on the connection's own thread,
    /// with the socket's write timeout set; the first bytes fit in any socket
    /// buffer, so a client that never reads cannot hold the thread here.
    pub fn open(&self, mut socket: TcpStream, since: Option<u64>, slot: Slot, shared: &Shared) -> std::io::Result<()> {
        let seen = shared.snapshot().generation;
        let mut first = STREAM_HEAD.to_vec();
        // The page was served before a rebuild this stream did not see: reload now.
        if since.is_some_and(|s| s < seen) {
            first.extend_from_slice(Event::Reload.to_sse(seen).as_bytes());
        }
        socket.write_all(&first)?;
        socket.set_nonblocking(true)?;
        self.joining.lock().unwrap_or_else(|p| p.into_inner()).push(Stream { socket, seen, _slot: slot });
        Ok(())
    }

    /// Writes every event to every stream, for ever; run on a thread of its own.
    ///
    /// A write that would block means a client with a full socket buffer,
    /// hundreds of KiB of unread events: it is dropped, never waited for, so
    /// one stuck tab cannot delay the others. A partly written event is
    /// dropped too: the rest could not follow without waiting.
    pub fn run(&self, shared: &Shared) {
        let mut streams: Vec<Stream> = Vec::new();
        let mut last: Option<(u64, Event)> = None;
        let mut heard = shared.snapshot().generation;
        loop {
            let news = shared.wait_after(heard, STREAM_KEEPALIVE);
            streams.append(&mut self.joining.lock().unwrap_or_else(|p| p.into_inner()));
            match news {
                Some((generation, event)) => {
                    heard = generation;
                    last = Some((generation, event));
                }
                None => streams.retain_mut(|s| s.alive() && s.send(b": keepalive\n\n")),
            }
            if let Some((generation, event)) = &last {
                // Streams that joined after an event went out catch up here too.
                streams.retain_mut(|s| s.catch_up(*generation, event));
            }
        }
    }

    /// Open streams, for tests and the log.
    pub fn count(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }
}

impl Stream {
    /// Sends what a page at `self.seen` needs to reach `generation`: `event`
    /// when it is the next one, a reload when it missed more. False when the
    /// stream is gone.
    fn catch_up(&mut self, generation: u64, event: &Event) -> bool {
        if self.seen >= generation {
            return true;
        }
        let event = if self.seen + 1 == generation { event } else { &Event::Reload };
        self.seen = generation;
        self.send(event.to_sse(generation).as_bytes())
    }

    fn send(&mut self, bytes: &[u8]) -> bool {
        matches!(self.socket.write(bytes), Ok(n) if n == bytes.len())
    }

    /// False once the client closed its end (a closed tab): noticed here at
    /// the next keepalive instead of after two failed writes.
    fn alive(&mut self) -> bool {
        let mut buf = [0u8; 512];
        // Whatever a client sends on a stream is ignored; a few reads a wake,
        // so one that sends without end cannot keep this thread for itself.
        for _ in 0..16 {
            match self.socket.read(&mut buf) {
                Ok(0) => return false,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Duration;

    /// A stream at generation `seen` and the client's end of it.
    fn pair(seen: u64, streams: &Streams) -> (Stream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (socket, _) = listener.accept().unwrap();
        socket.set_nonblocking(true).unwrap();
        client.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        (Stream { socket, seen, _slot: streams.reserve().unwrap() }, client)
    }

    fn read_some(client: &mut TcpStream) -> String {
        let mut buf = [0u8; 256];
        let n = client.read(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    #[test]
    fn the_budget_is_given_back_when_a_stream_goes() {
        let streams = Streams::default();
        let slots: Vec<Slot> = (0..MAX_STREAMS).map(|_| streams.reserve().expect("room")).collect();
        assert!(streams.is_full() && streams.reserve().is_none());
        drop(slots);
        assert_eq!(streams.count(), 0);
        assert!(streams.reserve().is_some());
    }

    #[test]
    fn a_stream_gets_the_next_event_or_a_reload_when_it_missed_some() {
        let streams = Streams::default();
        let (mut stream, mut client) = pair(1, &streams);
        let css = Event::Css(vec!["/a.css".into()]);
        assert!(stream.catch_up(1, &css), "nothing new: nothing sent");
        assert!(stream.catch_up(2, &css));
        assert_eq!(read_some(&mut client), css.to_sse(2));
        assert!(stream.catch_up(4, &css));
        assert_eq!(read_some(&mut client), Event::Reload.to_sse(4));
        assert!(stream.alive());
        drop(client);
        assert!(!stream.alive(), "a closed tab is noticed");
        drop(stream);
        assert_eq!(streams.count(), 0);
    }
}
