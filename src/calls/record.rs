use super::Sym;
use crate::capture::Timestamp;
use crate::decode::Transport;
use crate::sip::Malformed;
use std::net::SocketAddr;

/// Where a message's bytes can be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageBytes {
    /// Contiguous in the capture file.
    File { offset: u64, len: u32 },
    /// Copied into the store's arena (reassembled or unmasked bytes).
    Arena { offset: u64, len: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request(Sym),
    Response(u16),
}

/// One SIP message as the views need it: about 80 bytes, no payload.
#[derive(Debug, Clone)]
pub struct MessageRecord {
    /// Index of the call, `None` for a message without a Call-ID.
    pub call: Option<u32>,
    pub packet_number: u64,
    pub ts: Timestamp,
    pub src: u32,
    pub dst: u32,
    pub transport: Transport,
    pub kind: Kind,
    pub cseq: Option<(u32, Sym)>,
    /// Reason phrase of a response.
    pub reason: Option<Sym>,
    pub bytes: MessageBytes,
    /// Index of the request a response answers.
    pub request: Option<u32>,
    pub retransmission: bool,
    pub has_sdp: bool,
    pub malformed: Malformed,
}

/// Where and when a message was seen, and how to find its bytes again.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    pub packet_number: u64,
    pub ts: Timestamp,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub transport: Transport,
    /// Offset of the message in the capture file when it sits there whole.
    pub file_offset: Option<u64>,
    pub bytes: &'a [u8],
}
