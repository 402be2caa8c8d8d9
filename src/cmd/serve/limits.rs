//! Every limit `coursegen serve` puts on its clients, in one place, each with
//! why it has its value. The server is for one author on their own machine,
//! so the limits are there to keep a stuck or hostile client (a slowloris, a
//! tab that stopped reading, a script opening streams in a loop) from taking
//! the server from everyone else, not to share it fairly among many users.

use std::time::Duration;

/// Connections being read from or answered at once, each on its own thread.
/// Event streams do not count: they leave this pool once their head is read.
/// 1,024 is far above what a browser opens (6 per host) and what the load
/// tests throw at it (200 slowloris sockets with 32 stalled readers beside
/// them); with [`MAX_STREAMS`] it keeps the server near 3,000 descriptors,
/// under the common hard limit of 4,096. More wait in the listen backlog
/// until a slot frees, which takes at most [`HEAD_DEADLINE`] or [`WRITE_STALL`].
pub const MAX_CONNECTIONS: usize = 1024;

/// Stack of a connection thread. It parses a head and copies bytes to a
/// socket, nothing recursive; 256 KiB leaves a debug build room to spare, and
/// only the pages touched count towards memory.
pub const CONNECTION_STACK: usize = 256 * 1024;

/// A whole request head must arrive within this long of the server starting
/// to wait for it (after accepting, or after the previous response on a kept
/// connection). A browser sends its head in one packet; 10 s is generous for
/// a human typing into `nc` and short enough that a slowloris trickling a
/// byte at a time loses its slot quickly.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// Largest request head read. Browsers send 1–2 KiB (cookies of other
/// localhost apps included); 16 KiB is what common servers allow by default
/// (Node's default is 16 KiB), and it bounds the memory a connection can hold.
pub const MAX_HEAD: usize = 16 * 1024;

/// A response is written in pieces of [`WRITE_CHUNK`]; each must be taken by
/// the client within this long, or the client is taken not to be reading and
/// dropped. On loopback a reading client takes 64 KiB in microseconds; 10 s
/// covers a phone on weak Wi-Fi when the author serves on the LAN.
pub const WRITE_STALL: Duration = Duration::from_secs(10);

/// See [`WRITE_STALL`]: 64 KiB per 10 s is a floor of 6.4 KiB/s that any
/// working client exceeds by orders of magnitude.
pub const WRITE_CHUNK: usize = 64 * 1024;

/// After a response that closes the connection, unread request bytes are
/// drained for up to this long (and [`LINGER_BYTES`]) before closing, so the
/// kernel does not answer them with a reset that could destroy the response
/// before the client read it (a 413 for a request with a body, for example).
pub const LINGER: Duration = Duration::from_millis(500);

/// See [`LINGER`]: a client still sending after this much is flooding.
pub const LINGER_BYTES: usize = 64 * 1024;

/// Live-reload event streams open at once. One per open tab of the course;
/// 2,000 is far more tabs than anyone keeps open, and a stream costs a socket
/// and a few bytes, no thread. Beyond it a new stream gets 503.
pub const MAX_STREAMS: usize = 2000;

/// Seconds a refused stream is told to wait (`Retry-After`) before trying
/// again; the reload script spreads its retries around this, so a thousand
/// refused tabs do not come back in the same instant.
pub const STREAM_RETRY_AFTER_SECS: u64 = 10;

/// How often quiet event streams get a comment line. It is only there to find
/// streams whose tab has closed (the write or a read of their EOF fails) and to
/// free their slot; 15 s costs at most [`MAX_STREAMS`] tiny writes per 15 s.
pub const STREAM_KEEPALIVE: Duration = Duration::from_secs(15);
