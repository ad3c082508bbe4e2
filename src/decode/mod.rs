//! Stage 2: link-layer packets in, transport payloads out.
//!
//! Peels link headers (Ethernet + VLAN/QinQ, Linux cooked v1/v2, raw IP, BSD
//! loopback), IP (v4/v6, extension headers, tunnels, fragments) and delivers
//! UDP datagrams, in-order TCP stream bytes and WebSocket messages. It knows
//! nothing about SIP: framing a stream into messages is the next stage's job.

mod cooked;
mod defrag;
mod ip;
mod link;
mod sctp;
mod segment;
mod tcp;
mod tunnel;
mod websocket;

pub use segment::{FlowKey, Payload, Segment, Transport};
pub use tunnel::{TunnelPorts, MAX_TUNNEL_PORTS};

use crate::capture::Packet;
use defrag::Defragmenter;
use sctp::SctpReassembler;
use tcp::TcpReassembler;

/// Counters for what the decoder saw and skipped.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DecodeStats {
    /// Packets whose link type sipview does not decode.
    pub unsupported_link: u64,
    /// Packets that are not IP or whose headers are damaged.
    pub not_ip: u64,
    /// GRE packets of a version or protocol sipview does not peel.
    pub tunnel_unsupported: u64,
    /// TCP segments that start with a TLS record (SIP over TLS, port 5061
    /// or another): not decrypted.
    pub tls_segments: u64,
    /// UDP datagrams shaped like VXLAN on a port not read as VXLAN, and
    /// the port of the last of them (read them with `--vxlan-port`).
    pub vxlan_other_port: u64,
    pub vxlan_other_port_last: u16,
    pub ip_fragments: u64,
    pub reassembled_datagrams: u64,
    /// Fragment sets dropped unfinished (timed out or evicted under load).
    pub fragments_evicted: u64,
    pub tcp_retransmitted_segments: u64,
    /// TCP bytes skipped because a gap never filled.
    pub tcp_gap_bytes: u64,
    pub tcp_flows_evicted: u64,
    /// SCTP DATA chunks, those seen before (retransmitted), and fragments
    /// that could not be put together (no start, a gap, too long).
    pub sctp_data_chunks: u64,
    pub sctp_retransmitted_chunks: u64,
    pub sctp_fragments_dropped: u64,
}

/// Stateful decoder: fragment and TCP reassembly live here.
pub struct Decoder {
    tunnel_ports: TunnelPorts,
    defrag: Defragmenter,
    tcp: TcpReassembler,
    sctp: SctpReassembler,
    stats: DecodeStats,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    pub fn new() -> Self {
        Decoder {
            tunnel_ports: TunnelPorts::configured(),
            defrag: Defragmenter::new(),
            tcp: TcpReassembler::new(),
            sctp: SctpReassembler::default(),
            stats: DecodeStats::default(),
        }
    }

    /// Bytes held while putting fragments, segments and chunks back
    /// together, for the byte budget.
    pub fn held_bytes(&self) -> usize {
        self.defrag.held_bytes() + self.tcp.held_bytes() + self.sctp.held_bytes()
    }

    pub fn stats(&self) -> DecodeStats {
        let mut s = self.stats.clone();
        s.fragments_evicted = self.defrag.evicted();
        s.tcp_retransmitted_segments = self.tcp.retransmitted();
        s.tcp_gap_bytes = self.tcp.gap_bytes();
        s.tcp_flows_evicted = self.tcp.evicted();
        let sctp = self.sctp.stats();
        s.sctp_data_chunks = sctp.data_chunks;
        s.sctp_retransmitted_chunks = sctp.retransmitted_chunks;
        s.sctp_fragments_dropped = sctp.fragments_dropped;
        s
    }

    /// Decodes one packet, calling `sink` for every transport payload in it.
    pub fn decode(&mut self, packet: &Packet<'_>, sink: &mut dyn FnMut(Segment<'_>)) {
        let Some(ip_bytes) = link::ip_payload(packet.link, packet.data) else {
            if link::is_supported(packet.link) {
                self.stats.not_ip += 1;
            } else {
                self.stats.unsupported_link += 1;
            }
            return;
        };
        let offset = packet
            .file_offset
            .map(|o| o + (ip_bytes.as_ptr() as usize - packet.data.as_ptr() as usize) as u64);
        let ctx = ip::Context {
            packet,
            ip_offset: offset,
        };
        ip::decode_ip(self, &ctx, ip_bytes, 0, sink);
    }
}
