//! IP packets made up around a SIP payload, for messages whose original
//! packet is not at hand: HEP gives only the payload and its addresses, and
//! a live capture keeps only the messages.

use etherparse::PacketBuilder;
use std::net::{IpAddr, SocketAddr};

const TTL: u8 = 64;
const TCP_WINDOW: u16 = 65_535;

#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("source and destination are of different IP versions")]
    MixedFamilies,
    #[error("cannot build the packet: {0}")]
    Build(String),
}

/// Writes the raw IPv4/IPv6 + UDP or TCP packet carrying `payload` from
/// `src` to `dst` into `out` (cleared first); link type RAW.
///
/// A TCP payload goes out as one segment with SYN and FIN set: there are no
/// sequence numbers to keep, so each message is a stream of its own. A
/// decoder frames it alone and keeps no state for it, and a damaged message
/// cannot swallow the next one.
pub fn ip_packet(
    src: SocketAddr,
    dst: SocketAddr,
    tcp: bool,
    payload: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), RebuildError> {
    out.clear();
    let ip = match (src.ip(), dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => PacketBuilder::ipv4(s.octets(), d.octets(), TTL),
        (IpAddr::V6(s), IpAddr::V6(d)) => PacketBuilder::ipv6(s.octets(), d.octets(), TTL),
        _ => return Err(RebuildError::MixedFamilies),
    };
    let written = if tcp {
        ip.tcp(src.port(), dst.port(), 0, TCP_WINDOW)
            .syn()
            .fin()
            .write(out, payload)
    } else {
        ip.udp(src.port(), dst.port()).write(out, payload)
    };
    written.map_err(|e| RebuildError::Build(e.to_string()))
}
