//! Cutting a TCP byte stream into SIP messages by Content-Length (RFC 3261 18.3).

use super::header_lines::HeaderLines;
use super::message::parse_length;
use super::start_line::{first_line, parse_start_line};
use super::HeaderName;
use memchr::memmem;
use std::collections::HashMap;
use std::hash::Hash;

/// Headers larger than this are not SIP; the stream resynchronises.
const MAX_HEADERS: usize = 64 * 1024;
const MAX_BODY: usize = 1 << 20;
/// Streams with a partial message held at once, and bytes held across them;
/// beyond either, every held partial message is dropped.
const MAX_STREAMS: usize = 65_536;
const MAX_HELD_BYTES: usize = 64 << 20;

/// One buffer per stream direction, holding at most one partial message.
pub struct StreamFramer<K> {
    buffers: HashMap<K, Vec<u8>>,
    /// Bytes held in `buffers`.
    held: usize,
    /// Bytes thrown away while looking for a message start.
    skipped: u64,
}

impl<K: Eq + Hash + Copy> Default for StreamFramer<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Eq + Hash + Copy> StreamFramer<K> {
    pub fn new() -> Self {
        StreamFramer {
            buffers: HashMap::new(),
            held: 0,
            skipped: 0,
        }
    }

    pub fn skipped_bytes(&self) -> u64 {
        self.skipped
    }

    /// Forgets a stream's partial message (connection reset or restarted).
    pub fn reset(&mut self, key: &K) {
        if let Some(b) = self.buffers.remove(key) {
            self.held -= b.len();
        }
    }

    /// Adds stream bytes and calls `out` with every complete message.
    pub fn push(&mut self, key: K, bytes: &[u8], out: &mut dyn FnMut(&[u8])) {
        let held = self.buffers.remove(&key);
        if let Some(b) = &held {
            self.held -= b.len();
        }
        let mut buf = match held {
            // Fast path: nothing held, frame straight from the segment.
            None => {
                let used = frame(bytes, &mut self.skipped, out);
                if used == bytes.len() {
                    return;
                }
                bytes[used..].to_vec()
            }
            Some(mut held) => {
                held.extend_from_slice(bytes);
                let used = frame(&held, &mut self.skipped, out);
                held.drain(..used);
                held
            }
        };
        if buf.is_empty() {
            return;
        }
        if self.buffers.len() >= MAX_STREAMS || self.held + buf.len() > MAX_HELD_BYTES {
            self.skipped += self.held as u64;
            self.buffers.clear();
            self.held = 0;
        }
        buf.shrink_to_fit();
        self.held += buf.len();
        self.buffers.insert(key, buf);
    }
}

/// Frames as many whole messages as `buf` holds; returns the bytes used.
fn frame(buf: &[u8], skipped: &mut u64, out: &mut dyn FnMut(&[u8])) -> usize {
    let mut at = 0;
    loop {
        // Keep-alive CRLFs (RFC 5626) between messages.
        while at < buf.len() && (buf[at] == b'\r' || buf[at] == b'\n') {
            at += 1;
        }
        let rest = &buf[at..];
        if rest.is_empty() {
            return at;
        }
        let Some(line) = first_line(rest) else {
            if rest.len() > MAX_HEADERS {
                *skipped += rest.len() as u64;
                return buf.len();
            }
            return at;
        };
        if parse_start_line(line).is_none() {
            let skip = resync(rest);
            *skipped += skip as u64;
            at += skip;
            continue;
        }
        let Some(header_end) = header_end(rest) else {
            if rest.len() > MAX_HEADERS {
                let skip = line.len() + 1;
                *skipped += skip as u64;
                at += skip;
                continue;
            }
            return at;
        };
        let body_len = content_length(&rest[..header_end]).unwrap_or(0);
        if body_len > MAX_BODY {
            let skip = header_end;
            *skipped += skip as u64;
            at += skip;
            continue;
        }
        let total = header_end + body_len;
        if rest.len() < total {
            return at;
        }
        out(&rest[..total]);
        at += total;
    }
}

/// Bytes to drop to reach the next line that starts a SIP message (or all
/// but a short tail that may hold the beginning of one).
fn resync(rest: &[u8]) -> usize {
    let mut from = 1;
    while let Some(nl) = memchr::memchr(b'\n', &rest[from.min(rest.len())..]) {
        let mut start = from + nl + 1;
        // Blank lines and stray CRs are skipped here exactly as between
        // messages, so framing does not depend on where segments were cut.
        while rest.get(start).is_some_and(|&b| b == b'\r' || b == b'\n') {
            start += 1;
        }
        if start >= rest.len() {
            return start.min(rest.len());
        }
        match first_line(&rest[start..]) {
            Some(l) if parse_start_line(l).is_some() => return start,
            None => return start,
            Some(_) => from = start,
        }
    }
    rest.len()
}

/// Offset just past the blank line ending the headers.
fn header_end(rest: &[u8]) -> Option<usize> {
    let crlf = memmem::find(rest, b"\r\n\r\n").map(|i| i + 4);
    let lf = memmem::find(rest, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn content_length(head: &[u8]) -> Option<usize> {
    let header_start = memchr::memchr(b'\n', head)? + 1;
    HeaderLines::new(&head[header_start..])
        .find(|h| HeaderName::classify(h.name) == HeaderName::ContentLength)
        .and_then(|h| parse_length(&h.value))
}
