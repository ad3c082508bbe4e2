use crate::capture::Timestamp;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Udp,
    Tcp,
    /// SIP over WebSocket (RFC 7118) on a plain TCP connection.
    Ws,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Ws => "WS",
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
    /// One complete WebSocket message (RFC 7118 carries one SIP message per message).
    WsMessage { bytes: &'a [u8] },
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
