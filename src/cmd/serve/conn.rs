//! One client connection, on its own thread: reads each request head within
//! a deadline and a size cap, answers it, and keeps the connection for the
//! next request, closes it, or hands it over as an event stream.
//!
//! Every read and write has a deadline, so a client that sends too slowly or
//! stops reading only ever holds its own thread, and only for that long.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Instant;

use super::http::Reject;
use super::limits::{HEAD_DEADLINE, LINGER, LINGER_BYTES, MAX_HEAD, WRITE_CHUNK, WRITE_STALL};
use super::request;
use super::respond::{self, Answer, Response};
use super::server::Context;

/// Why a connection stops waiting for a request head.
enum Stop {
    /// The head outgrew [`MAX_HEAD`]: answer `Reject`, then close.
    TooLarge(Reject),
    /// Closed, reset, or not complete within [`HEAD_DEADLINE`]: close without a
    /// word, since a client that sent nothing usable will not read an answer.
    Quiet,
}

/// Serves `socket` until it closes, misbehaves or becomes an event stream.
pub fn serve(socket: TcpStream, ctx: &Context) {
    let _ = socket.set_nodelay(true);
    // Bytes read past one head belong to the next (pipelining).
    let mut buf = Vec::new();
    loop {
        let end = match read_head(&socket, &mut buf) {
            Ok(end) => end,
            Err(Stop::TooLarge(reject)) => {
                let _ = send(&socket, &respond::refusal(reject));
                return linger(&socket);
            }
            Err(Stop::Quiet) => return,
        };
        let answer = match request::parse(&buf[..end]) {
            Ok(req) => respond::answer(&req, ctx),
            Err(reject) => Answer::Response(respond::refusal(reject)),
        };
        buf.drain(..end);
        match answer {
            Answer::Stream { since } => return open_stream(socket, since, ctx),
            Answer::Response(response) => {
                if send(&socket, &response).is_err() {
                    return;
                }
                if response.close {
                    return linger(&socket);
                }
            }
        }
    }
}

/// Reads into `buf` until it holds a whole head; returns where the head ends.
fn read_head(mut socket: &TcpStream, buf: &mut Vec<u8>) -> Result<usize, Stop> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut scanned = 0;
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = request::head_end(buf, scanned) {
            return Ok(end);
        }
        scanned = buf.len();
        if buf.len() >= MAX_HEAD {
            // No line end at all: it is the request line that is too long.
            let reject = if buf.contains(&b'\n') { Reject::HeadTooLarge } else { Reject::UriTooLong };
            return Err(Stop::TooLarge(reject));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || socket.set_read_timeout(Some(left)).is_err() {
            return Err(Stop::Quiet);
        }
        let room = (MAX_HEAD - buf.len()).min(chunk.len());
        match socket.read(&mut chunk[..room]) {
            Ok(0) => return Err(Stop::Quiet),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            // A timeout comes back as WouldBlock on Unix, TimedOut on Windows;
            // the deadline check above ends the wait.
            Err(e) if matches!(e.kind(), ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Err(Stop::Quiet),
        }
    }
}

/// Writes `response`, each piece of at most [`WRITE_CHUNK`] within [`WRITE_STALL`].
fn send(socket: &TcpStream, response: &Response) -> io::Result<()> {
    let head = response.head();
    let body = response.body();
    let len: usize = body.iter().map(|p| p.len()).sum();
    if head.len() + len <= WRITE_CHUNK {
        // One write, so a small response is one packet, not a head and a body.
        let mut all = head.into_bytes();
        body.iter().for_each(|p| all.extend_from_slice(p));
        return write_within(socket, &all);
    }
    write_within(socket, head.as_bytes())?;
    for chunk in body.iter().flat_map(|p| p.chunks(WRITE_CHUNK)) {
        write_within(socket, chunk)?;
    }
    Ok(())
}

/// Writes all of `bytes` or fails once [`WRITE_STALL`] has passed.
fn write_within(mut socket: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    let deadline = Instant::now() + WRITE_STALL;
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(ErrorKind::TimedOut, "the client stopped reading"));
        }
        socket.set_write_timeout(Some(left))?;
        match socket.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if matches!(e.kind(), ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Closes after a response: says so with a FIN, then reads what the client
/// still sends for a moment (see [`LINGER`]) so the close is not a reset.
fn linger(mut socket: &TcpStream) {
    let _ = socket.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut drained = 0;
    let mut buf = [0u8; 4096];
    while drained < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || socket.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match socket.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

/// Hands `socket` to the event streams, or refuses it when they are full.
fn open_stream(socket: TcpStream, since: Option<u64>, ctx: &Context) {
    let Some(slot) = ctx.streams.reserve() else {
        let _ = send(&socket, &respond::streams_full());
        return linger(&socket);
    };
    if socket.set_write_timeout(Some(WRITE_STALL)).is_ok() {
        // A stream whose head cannot be written is simply gone.
        let _ = ctx.streams.open(socket, since, slot, &ctx.shared);
    }
}
