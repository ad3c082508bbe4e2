//! WebSocket (RFC 6455) under SIP (RFC 7118): spots the HTTP upgrade at the
//! start of a TCP stream and turns the frames after it into whole messages.

use super::{Payload, Transport};
use memchr::memmem;

/// The upgrade request or response must fit in this much.
const MAX_HANDSHAKE: usize = 16 * 1024;
/// A SIP message over WebSocket is far smaller than this; larger is damage.
const MAX_MESSAGE: u64 = 1 << 20;

#[derive(Default)]
pub enum WsLayer {
    /// Not enough bytes yet to tell plain SIP from an HTTP upgrade.
    #[default]
    Undecided,
    Handshake(Vec<u8>),
    /// Plain TCP: bytes go up as they are.
    Plain,
    WebSocket {
        buf: Vec<u8>,
        message: Vec<u8>,
    },
    /// HTTP that is not a WebSocket upgrade, or broken framing: ignored.
    Ignored,
}

impl WsLayer {
    pub fn is_websocket(&self) -> bool {
        matches!(self, WsLayer::WebSocket { .. })
    }

    pub fn feed(&mut self, bytes: &[u8], out: &mut dyn FnMut(Payload<'_>, Transport)) {
        match self {
            WsLayer::Plain => out(Payload::Stream { bytes }, Transport::Tcp),
            WsLayer::Ignored => {}
            WsLayer::Undecided => {
                if starts_http(bytes) {
                    *self = WsLayer::Handshake(Vec::new());
                    self.feed(bytes, out);
                } else {
                    *self = WsLayer::Plain;
                    out(Payload::Stream { bytes }, Transport::Tcp);
                }
            }
            WsLayer::Handshake(buf) => {
                buf.extend_from_slice(bytes);
                let Some(end) = memmem::find(buf, b"\r\n\r\n") else {
                    if buf.len() > MAX_HANDSHAKE {
                        *self = WsLayer::Ignored;
                    }
                    return;
                };
                let head = &buf[..end];
                if is_upgrade(head) {
                    let rest = buf[end + 4..].to_vec();
                    *self = WsLayer::WebSocket {
                        buf: Vec::new(),
                        message: Vec::new(),
                    };
                    self.feed(&rest, out);
                } else {
                    *self = WsLayer::Ignored;
                }
            }
            WsLayer::WebSocket { buf, message } => {
                buf.extend_from_slice(bytes);
                let mut used = 0;
                loop {
                    match next_frame(&buf[used..]) {
                        Frame::Incomplete => break,
                        Frame::Broken => {
                            *self = WsLayer::Ignored;
                            return;
                        }
                        Frame::Whole {
                            len,
                            fin,
                            opcode,
                            mask,
                            payload,
                        } => {
                            let start = used + len - payload;
                            let body = &buf[start..used + len];
                            if opcode <= 2 {
                                // Text, binary and continuation frames carry data.
                                let at = message.len();
                                message.extend_from_slice(body);
                                if let Some(key) = mask {
                                    for (i, b) in message[at..].iter_mut().enumerate() {
                                        *b ^= key[i % 4];
                                    }
                                }
                                if message.len() as u64 > MAX_MESSAGE {
                                    *self = WsLayer::Ignored;
                                    return;
                                }
                                if fin {
                                    out(
                                        Payload::Message {
                                            bytes: message,
                                            file_offset: None,
                                        },
                                        Transport::Ws,
                                    );
                                    message.clear();
                                }
                            }
                            used += len;
                        }
                    }
                }
                buf.drain(..used);
            }
        }
    }
}

fn starts_http(bytes: &[u8]) -> bool {
    bytes.starts_with(b"GET ") || bytes.starts_with(b"HTTP/1.")
}

/// An upgrade request (`Upgrade: websocket`) or its `101` answer.
fn is_upgrade(head: &[u8]) -> bool {
    let first_line_end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    let first = &head[..first_line_end];
    if first.starts_with(b"HTTP/1.") {
        return first.get(9..12) == Some(b"101");
    }
    head.split(|&b| b == b'\n').any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with(b"upgrade:") && memmem::find(&line, b"websocket").is_some()
    })
}

enum Frame {
    Incomplete,
    Broken,
    Whole {
        /// Whole frame length, header included.
        len: usize,
        fin: bool,
        opcode: u8,
        mask: Option<[u8; 4]>,
        /// Payload length (the last bytes of the frame).
        payload: usize,
    },
}

fn next_frame(buf: &[u8]) -> Frame {
    let (Some(&b0), Some(&b1)) = (buf.first(), buf.get(1)) else {
        return Frame::Incomplete;
    };
    let mut at = 2usize;
    let len = match b1 & 0x7f {
        126 => {
            let Some(b) = buf.get(2..4) else {
                return Frame::Incomplete;
            };
            at = 4;
            u16::from_be_bytes([b[0], b[1]]) as u64
        }
        127 => {
            let Some(b) = buf.get(2..10) else {
                return Frame::Incomplete;
            };
            at = 10;
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_be_bytes(a)
        }
        n => n as u64,
    };
    if len > MAX_MESSAGE {
        return Frame::Broken;
    }
    let mask = if b1 & 0x80 != 0 {
        let Some(k) = buf.get(at..at + 4) else {
            return Frame::Incomplete;
        };
        at += 4;
        Some([k[0], k[1], k[2], k[3]])
    } else {
        None
    };
    let total = at + len as usize;
    if buf.len() < total {
        return Frame::Incomplete;
    }
    Frame::Whole {
        len: total,
        fin: b0 & 0x80 != 0,
        opcode: b0 & 0x0f,
        mask,
        payload: len as usize,
    }
}
