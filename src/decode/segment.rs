use crate::capture::Timestamp;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Udp,
    Tcp,
    /// SIP over WebSocket (RFC 7118) on a plain TCP connection.
    Ws,
    /// SIP over SCTP (RFC 4168).
    Sctp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Ws => "WS",
            Transport::Sctp => "SCTP",
        }
    }
}

/// One direction of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlowKey {
    pub src: SocketAddr,
    pub dst: SocketAddr,
}

#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// A whole UDP datagram; `file_offset` is set when its bytes sit
    /// contiguously in the capture file (not reassembled from fragments).
    Datagram {
        bytes: &'a [u8],
        file_offset: Option<u64>,
    },
    /// The next in-order bytes of a TCP stream; message framing is up to the reader.
    Stream { bytes: &'a [u8] },
    /// One complete message of a transport that frames them: a WebSocket
    /// message (RFC 7118) or an SCTP user message (RFC 4168), one SIP
    /// message each; `file_offset` as for a datagram (None when unmasked
    /// or put together from fragments).
    Message {
        bytes: &'a [u8],
        file_offset: Option<u64>,
    },
    /// The stream (re)started or ended: bytes buffered for it are void.
    StreamReset,
}

/// A transport payload with where and when it was seen.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// Frame number of the packet that completed this payload.
    pub packet_number: u64,
    pub ts: Timestamp,
    pub flow: FlowKey,
    pub transport: Transport,
    pub payload: Payload<'a>,
}
