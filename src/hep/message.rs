use crate::capture::Timestamp;
use std::net::SocketAddr;

/// IP protocol numbers HEP's "IP protocol ID" chunk (and v2 header) carries.
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;

/// HEP "protocol type" of a SIP payload; other types (RTCP, logs, DNS, ...)
/// are not SIP and are skipped by the receiver.
pub const PROTO_TYPE_SIP: u8 = 1;

/// Generic chunk types (vendor 0) of HEP3 used here.
pub mod chunk {
    pub const IP_FAMILY: u16 = 1;
    pub const IP_PROTO: u16 = 2;
    pub const IPV4_SRC: u16 = 3;
    pub const IPV4_DST: u16 = 4;
    pub const IPV6_SRC: u16 = 5;
    pub const IPV6_DST: u16 = 6;
    pub const SRC_PORT: u16 = 7;
    pub const DST_PORT: u16 = 8;
    pub const TS_SECS: u16 = 9;
    pub const TS_USECS: u16 = 10;
    pub const PROTO_TYPE: u16 = 11;
    pub const CAPTURE_ID: u16 = 12;
    pub const AUTH_KEY: u16 = 14;
    pub const PAYLOAD: u16 = 15;
    pub const COMPRESSED_PAYLOAD: u16 = 16;
    pub const CORRELATION_ID: u16 = 17;
}

/// Address family numbers in the HEP family chunk (Linux AF_INET, AF_INET6).
pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;

/// One HEP packet: a captured payload and where and when it was seen.
/// Borrowed from the datagram it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HepPacket<'a> {
    /// 1, 2 or 3.
    pub version: u8,
    /// IP protocol of the original packet (6 TCP, 17 UDP, 132 SCTP, ...).
    pub ip_proto: u8,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// Capture time; HEP v1 has none, and a v3 sender may leave it out.
    pub ts: Option<Timestamp>,
    /// What the payload is (1 = SIP); `None` when the packet does not say.
    pub proto_type: Option<u8>,
    /// The capture agent's id (HOMER's node id).
    pub capture_id: Option<u32>,
    /// Authentication key (password), sent in clear.
    pub auth_key: Option<&'a [u8]>,
    pub correlation_id: Option<&'a [u8]>,
    pub payload: &'a [u8],
}

impl HepPacket<'_> {
    /// True when the payload is SIP, or the packet does not say what it is
    /// (old agents leave the type out; the SIP parser rejects the rest).
    pub fn is_sip(&self) -> bool {
        self.proto_type.is_none_or(|t| t == PROTO_TYPE_SIP)
    }

    pub fn is_tcp(&self) -> bool {
        self.ip_proto == IPPROTO_TCP
    }
}
