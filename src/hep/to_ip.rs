//! A HEP payload wrapped back into the IP packet it was captured from, so
//! it goes through the same decoder as a packet from a file (link type RAW).

use super::message::HepPacket;
use super::HepError;
use etherparse::PacketBuilder;
use std::net::IpAddr;

const TTL: u8 = 64;
const TCP_WINDOW: u16 = 65_535;

/// Writes the raw IPv4/IPv6 + UDP or TCP packet carrying `hep`'s payload
/// between its original addresses and ports into `out` (cleared first).
///
/// A TCP payload goes out as one segment with SYN and FIN set: HEP sends a
/// whole message per packet with no sequence numbers, so each one is a
/// stream of its own. The decoder then frames it alone and keeps no state
/// for it, and a damaged message cannot swallow the next one.
pub fn ip_packet(hep: &HepPacket<'_>, out: &mut Vec<u8>) -> Result<(), HepError> {
    out.clear();
    let ip = match (hep.src.ip(), hep.dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => PacketBuilder::ipv4(s.octets(), d.octets(), TTL),
        (IpAddr::V6(s), IpAddr::V6(d)) => PacketBuilder::ipv6(s.octets(), d.octets(), TTL),
        _ => return Err(HepError::MixedFamilies),
    };
    let (sport, dport) = (hep.src.port(), hep.dst.port());
    let written = if hep.is_tcp() {
        ip.tcp(sport, dport, 0, TCP_WINDOW)
            .syn()
            .fin()
            .write(out, hep.payload)
    } else {
        // UDP, and anything else (SCTP) as a datagram: one message each.
        ip.udp(sport, dport).write(out, hep.payload)
    };
    written.map_err(|e| HepError::Rebuild(e.to_string()))
}
