//! Cutting a TCP byte stream into SIP messages by Content-Length (RFC 3261 18.3).
//!
//! Every decision depends only on the bytes seen so far, never on where the
//! segments were cut, and each byte is looked at a bounded number of times:
//! a stream is a sequence of phases (between messages, in a junk line, in
//! the headers, in the body) and each remembers how far it has scanned.
//! Whatever precedes a message (an endless line, a lying Content-Length,
//! binary junk), the next start line at a line start is found.

use super::header_lines::HeaderLines;
use super::message::parse_length;
use super::start_line::parse_start_line;
use super::HeaderName;
use std::collections::HashMap;
use std::hash::Hash;

/// Headers larger than this are not SIP: the message is cut at the line
/// that crosses it and kept as malformed.
const MAX_HEADERS: usize = 64 * 1024;
/// Body bytes held for one message; a longer Content-Length is not waited
/// for: the message is cut at the next start line or at this many bytes.
const MAX_BODY: usize = 1 << 20;
/// A line longer than this cannot be a start line (as in `first_line`).
const MAX_START_LINE: usize = 8 * 1024;
/// Streams with a partial message held at once, and bytes held across them;
/// beyond either, every held partial message is dropped.
const MAX_STREAMS: usize = 65_536;
const MAX_HELD_BYTES: usize = 64 << 20;

/// Where a stream is; offsets count from its first held byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between messages; the first `scan` held bytes have no line end.
    Start {
        scan: usize,
    },
    /// In a line that cannot start a message: dropped up to its end.
    Junk,
    /// The held bytes begin with a start line; `line` is the next header
    /// line to look at, `scan` how much of it has no line end.
    Headers {
        line: usize,
        scan: usize,
    },
    Body(Body),
}

/// The body of the held message, after headers of `head` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Body {
    head: usize,
    /// Content-Length, which may be a lie.
    len: usize,
    /// End the message at a start line inside the body (not for bodies that
    /// may carry SIP themselves, message/sipfrag for one).
    watch: bool,
    line: usize,
    scan: usize,
}

impl Body {
    /// Where the message ends if no start line cuts it first.
    fn end(&self) -> usize {
        self.head + self.len.min(MAX_BODY)
    }
}

/// One stream direction: its partial message (or line) and phase.
struct Held {
    buf: Vec<u8>,
    phase: Phase,
}

/// One buffer per stream direction, holding at most one partial message.
pub struct StreamFramer<K> {
    streams: HashMap<K, Held>,
    /// Bytes held in `streams`.
    held: usize,
    /// Bytes thrown away while looking for a message start.
    skipped: u64,
    /// Messages handed on cut short (headers too long, body not delivered).
    cut: u64,
}

impl<K: Eq + Hash + Copy> Default for StreamFramer<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Eq + Hash + Copy> StreamFramer<K> {
    pub fn new() -> Self {
        StreamFramer {
            streams: HashMap::new(),
            held: 0,
            skipped: 0,
            cut: 0,
        }
    }

    /// Bytes of partial messages held across all streams.
    pub fn held_bytes(&self) -> usize {
        self.held + self.streams.len() * 64
    }

    pub fn skipped_bytes(&self) -> u64 {
        self.skipped
    }

    /// Messages handed on cut short: they parse as malformed (no header
    /// end, or a body shorter than its Content-Length).
    pub fn cut_messages(&self) -> u64 {
        self.cut
    }

    /// Forgets a stream's partial message (connection reset or restarted).
    pub fn reset(&mut self, key: &K) {
        if let Some(h) = self.streams.remove(key) {
            self.held -= h.buf.len();
        }
    }

    /// Adds stream bytes and calls `out` with every complete message, and
    /// with every message cut short by the next start line or a cap.
    pub fn push(&mut self, key: K, bytes: &[u8], out: &mut dyn FnMut(&[u8])) {
        let (mut buf, phase) = match self.streams.remove(&key) {
            Some(h) => {
                self.held -= h.buf.len();
                (h.buf, h.phase)
            }
            None => (Vec::new(), Phase::Start { scan: 0 }),
        };
        let mut f = Framing {
            phase,
            skipped: 0,
            cut: 0,
        };
        if buf.is_empty() {
            // Fast path: nothing held, frame straight from the segment.
            let used = f.frame(bytes, out);
            buf.extend_from_slice(&bytes[used..]);
        } else {
            buf.extend_from_slice(bytes);
            let used = f.frame(&buf, out);
            buf.drain(..used);
        }
        self.skipped += f.skipped;
        self.cut += f.cut;
        self.keep(key, buf, f.phase);
    }

    /// Stores what a stream holds, unless the caps say to give up.
    fn keep(&mut self, key: K, mut buf: Vec<u8>, phase: Phase) {
        // Nothing held between messages: nothing to remember.
        if buf.is_empty() && phase == (Phase::Start { scan: 0 }) {
            return;
        }
        if self.streams.len() >= MAX_STREAMS || self.held + buf.len() > MAX_HELD_BYTES {
            self.skipped += self.held as u64;
            self.streams.clear();
            self.held = 0;
        }
        // Shrinking on every push would copy a growing buffer per segment
        // (quadratic for a big body in small segments); only give back
        // memory that is mostly unused.
        if buf.capacity() > 4 * buf.len().max(4096) {
            buf.shrink_to_fit();
        }
        self.held += buf.len();
        self.streams.insert(key, Held { buf, phase });
    }
}

/// What one phase did with the held bytes.
enum Step {
    /// Needs more bytes to decide.
    Wait,
    /// Consumed this many bytes (a message, keep-alives or junk), or none
    /// and moved to another phase.
    Used(usize),
}

/// The state of one stream while its bytes are framed.
struct Framing {
    phase: Phase,
    skipped: u64,
    cut: u64,
}

impl Framing {
    /// Frames what `buf` holds; returns the bytes used (the rest is held).
    fn frame(&mut self, buf: &[u8], out: &mut dyn FnMut(&[u8])) -> usize {
        let mut at = 0;
        loop {
            let rest = &buf[at..];
            let step = match self.phase {
                Phase::Start { scan } => self.start(rest, scan),
                Phase::Junk => self.junk(rest),
                Phase::Headers { line, scan } => self.headers(rest, line, scan, out),
                Phase::Body(body) => self.body(rest, body, out),
            };
            match step {
                Step::Wait => return at,
                Step::Used(n) => at += n,
            }
        }
    }

    /// Between messages: keep-alives, then a line that starts a message or
    /// is skipped.
    fn start(&mut self, rest: &[u8], scan: usize) -> Step {
        // Keep-alive CRLFs (RFC 5626) and stray CRs between messages.
        let crlf = rest
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .unwrap_or(rest.len());
        if crlf > 0 {
            return Step::Used(crlf);
        }
        if rest.is_empty() {
            return Step::Wait;
        }
        let window = &rest[..rest.len().min(MAX_START_LINE)];
        let Some(nl) = memchr::memchr(b'\n', &window[scan..]).map(|i| i + scan) else {
            if window.len() == MAX_START_LINE {
                // Too long for a start line: junk up to its end.
                self.phase = Phase::Junk;
                return Step::Used(0);
            }
            self.phase = Phase::Start { scan: window.len() };
            return Step::Wait;
        };
        if parse_start_line(strip_cr(&rest[..nl])).is_some() {
            self.phase = Phase::Headers {
                line: nl + 1,
                scan: 0,
            };
            return Step::Used(0);
        }
        self.phase = Phase::Start { scan: 0 };
        self.skip(nl + 1)
    }

    /// Drops a line that cannot start a message, without holding it.
    fn junk(&mut self, rest: &[u8]) -> Step {
        match memchr::memchr(b'\n', rest) {
            Some(nl) => {
                self.phase = Phase::Start { scan: 0 };
                self.skip(nl + 1)
            }
            None if rest.is_empty() => Step::Wait,
            None => self.skip(rest.len()),
        }
    }

    /// Counts bytes dropped while looking for a message start.
    fn skip(&mut self, n: usize) -> Step {
        self.skipped += n as u64;
        Step::Used(n)
    }

    /// Header lines up to the blank line; a start line among them, or
    /// headers past `MAX_HEADERS`, cut the message there.
    fn headers(
        &mut self,
        rest: &[u8],
        mut line: usize,
        mut scan: usize,
        out: &mut dyn FnMut(&[u8]),
    ) -> Step {
        let window = &rest[..rest.len().min(MAX_HEADERS)];
        loop {
            let from = (line + scan).min(window.len());
            let Some(nl) = memchr::memchr(b'\n', &window[from..]).map(|i| i + from) else {
                if window.len() == MAX_HEADERS {
                    return self.cut_at(rest, line, out);
                }
                self.phase = Phase::Headers {
                    line,
                    scan: window.len() - line,
                };
                return Step::Wait;
            };
            let text = strip_cr(&rest[line..nl]);
            if text.is_empty() {
                self.phase = Phase::Body(body_of(&rest[..nl + 1]));
                return Step::Used(0);
            }
            if is_start_line(text) {
                return self.cut_at(rest, line, out);
            }
            line = nl + 1;
            scan = 0;
        }
    }

    /// The body: complete at its Content-Length, or cut at a start line
    /// that begins (and ends) inside what it claims.
    fn body(&mut self, rest: &[u8], mut b: Body, out: &mut dyn FnMut(&[u8])) -> Step {
        let end = b.end();
        if !b.watch {
            if rest.len() < end {
                return Step::Wait;
            }
            return self.emit(rest, end, out);
        }
        let window = &rest[..rest.len().min(end)];
        loop {
            // Blank lines and stray CRs are skipped as between messages, so
            // a message behind keep-alives is found the same way.
            while window
                .get(b.line)
                .is_some_and(|&c| c == b'\r' || c == b'\n')
            {
                b.line += 1;
                b.scan = 0;
            }
            let from = (b.line + b.scan).min(window.len());
            let Some(nl) = memchr::memchr(b'\n', &window[from..]).map(|i| i + from) else {
                if window.len() == end {
                    // No start line inside: the body is complete (or, past
                    // MAX_BODY, as much of it as is kept).
                    if b.len > MAX_BODY {
                        self.cut += 1;
                    }
                    return self.emit(rest, end, out);
                }
                b.scan = window.len() - b.line;
                self.phase = Phase::Body(b);
                return Step::Wait;
            };
            let text = strip_cr(&rest[b.line..nl]);
            if is_start_line(text) {
                return self.cut_at(rest, b.line, out);
            }
            b.line = nl + 1;
            b.scan = 0;
        }
    }

    /// Hands on the held message cut short at `at` (malformed: no header
    /// end, or its body short), and looks for the next one from there.
    fn cut_at(&mut self, rest: &[u8], at: usize, out: &mut dyn FnMut(&[u8])) -> Step {
        self.cut += 1;
        self.emit(rest, at, out)
    }

    fn emit(&mut self, rest: &[u8], end: usize, out: &mut dyn FnMut(&[u8])) -> Step {
        out(&rest[..end]);
        self.phase = Phase::Start { scan: 0 };
        Step::Used(end)
    }
}

/// A start line (as `first_line` would find it), with a cheap look at
/// where "SIP/2.0" must be first: most header and body lines fail it.
fn is_start_line(line: &[u8]) -> bool {
    let version = |v: &[u8]| v.eq_ignore_ascii_case(b"SIP/2.0");
    let may = line.len() >= 8 && (version(&line[..7]) || version(&line[line.len() - 7..]));
    may && line.len() < MAX_START_LINE && parse_start_line(line).is_some()
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// How the body after these headers is framed.
fn body_of(head: &[u8]) -> Body {
    let mut len = None;
    let mut carries_sip = false;
    let header_start = memchr::memchr(b'\n', head).map_or(head.len(), |i| i + 1);
    for h in HeaderLines::new(&head[header_start..]) {
        match HeaderName::classify(h.name) {
            HeaderName::ContentLength if len.is_none() => len = Some(parse_length(&h.value)),
            HeaderName::ContentType => carries_sip |= may_carry_sip(&h.value),
            _ => {}
        }
    }
    // A bad Content-Length frames as none (the parser flags it).
    let len = len.flatten().unwrap_or(0);
    Body {
        head: head.len(),
        len,
        watch: !carries_sip || len > MAX_BODY,
        line: head.len(),
        scan: 0,
    }
}

/// message/sipfrag, message/sip and multipart bodies may hold start lines.
fn may_carry_sip(content_type: &[u8]) -> bool {
    let v = content_type.trim_ascii_start();
    let starts = |p: &[u8]| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p);
    starts(b"message/") || starts(b"multipart/")
}
