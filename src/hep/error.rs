use std::net::SocketAddr;

/// Why a HEP packet could not be read, built or sent. Packets come from the
/// network, so every bound is checked and named here instead of panicking.
#[derive(Debug, thiserror::Error)]
pub enum HepError {
    #[error("not a HEP packet (starts with {0:02x?})")]
    NotHep(Vec<u8>),
    #[error("HEP packet cut short: {need} bytes needed, {have} present")]
    Truncated { need: usize, have: usize },
    #[error("HEP3 length field says {declared} bytes but the packet has {actual}")]
    LengthMismatch { declared: usize, actual: usize },
    #[error("HEP3 chunk {chunk} at byte {at} has length {len}, less than its 6-byte header")]
    ChunkTooShort { chunk: u16, at: usize, len: usize },
    #[error("HEP3 chunk {chunk} at byte {at} claims {len} bytes, only {left} left")]
    ChunkOverrun {
        chunk: u16,
        at: usize,
        len: usize,
        left: usize,
    },
    #[error("HEP3 chunk {chunk} ({name}) should hold {expected} bytes, holds {actual}")]
    ChunkSize {
        chunk: u16,
        name: &'static str,
        expected: &'static str,
        actual: usize,
    },
    #[error("HEP packet has no {0}")]
    Missing(&'static str),
    #[error("HEP packet has an unknown address family {0}")]
    Family(u8),
    #[error("HEP packet's source and destination are not of the same IP version")]
    MixedFamilies,
    #[error("HEP packet carries a compressed payload, which sipview does not inflate")]
    Compressed,
    #[error("HEP packet would be {0} bytes, more than the 65,535 HEP3 allows")]
    TooLarge(usize),
    #[error("cannot rebuild an IP packet around the HEP payload: {0}")]
    Rebuild(String),
    #[error("bad HEP address {spec:?}: {why} (expected udp:ADDR:PORT, e.g. udp:127.0.0.1:9060)")]
    Endpoint { spec: String, why: String },
    #[error("cannot listen for HEP on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot send HEP to {addr}: {source}")]
    Send {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}
