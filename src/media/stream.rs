//! One RTP stream: the packets of one SSRC from one address to another,
//! folded into counters as they arrive. Payloads are not kept.

use super::dtmf::DtmfEvents;
use super::rtp::RtpPacket;
use super::stats::{Jitter, SeqTracker};
use crate::capture::Timestamp;
use std::net::SocketAddr;

/// What sipview knows about a payload type when a packet carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadInfo {
    pub clock_rate: u32,
    pub telephone_event: bool,
}

/// Which side of the call announced an address in its SDP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Caller,
    Callee,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Caller => Side::Callee,
            Side::Callee => Side::Caller,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Stream {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub ssrc: u32,
    /// Index of the call whose SDP announced one of the two addresses;
    /// `None` for RTP found by the heuristic alone.
    pub call: Option<u32>,
    /// The announcement whose payload types name the codec: the receiver's,
    /// else the sender's.
    pub announcement: Option<u32>,
    /// Which side's SDP announced `src` / `dst` (None: not announced).
    pub src_side: Option<Side>,
    pub dst_side: Option<Side>,
    /// The first payload type that is not a telephone-event (the event
    /// type when the stream carries nothing else).
    pub payload_type: u8,
    /// Frame number of the first packet.
    pub first_packet: u64,
    pub first: Timestamp,
    pub last: Timestamp,
    pub packets: u64,
    /// Packets of RFC 4733 telephone-events.
    pub event_packets: u64,
    pub seq: SeqTracker,
    pub jitter: Jitter,
    /// Largest gap between two packets in arrival order, microseconds.
    pub max_delta_us: i64,
    pub dtmf: DtmfEvents,
    /// Payload type of the last packet and what it means, so the SDP is
    /// looked up only when the type changes.
    last_pt: Option<(u8, PayloadInfo)>,
    /// Every payload type seen that is not a telephone-event, one bit each
    /// (RTP's are 7 bits): a re-INVITE may change the codec on one SSRC.
    media_pts: u128,
    has_media: bool,
    /// Other calls that announced both ends while `call` did (B2BUA legs,
    /// direct media): the stream is theirs too.
    pub shared_with: Vec<u32>,
    /// The call's previous stream (see the tracker's chains).
    pub(crate) prev_of_call: u32,
}

impl Stream {
    pub fn new(
        src: SocketAddr,
        dst: SocketAddr,
        packet: &RtpPacket<'_>,
        ts: Timestamp,
        packet_number: u64,
    ) -> Stream {
        Stream {
            src,
            dst,
            ssrc: packet.ssrc,
            call: None,
            announcement: None,
            src_side: None,
            dst_side: None,
            shared_with: Vec::new(),
            payload_type: packet.payload_type,
            first_packet: packet_number,
            first: ts,
            last: ts,
            packets: 0,
            event_packets: 0,
            seq: SeqTracker::default(),
            jitter: Jitter::default(),
            max_delta_us: 0,
            dtmf: DtmfEvents::default(),
            last_pt: None,
            media_pts: 0,
            has_media: false,
            prev_of_call: super::announce::NONE,
        }
    }

    /// The payload info cached for `pt`, if it is the last one seen.
    pub fn cached_payload(&self, pt: u8) -> Option<PayloadInfo> {
        self.last_pt.filter(|(p, _)| *p == pt).map(|(_, i)| i)
    }

    /// Folds one packet in; `info` says what its payload type is.
    pub fn push(&mut self, packet: &RtpPacket<'_>, ts: Timestamp, info: PayloadInfo) {
        self.last_pt = Some((packet.payload_type, info));
        if self.packets > 0 {
            self.max_delta_us = self.max_delta_us.max(ts.micros_since(self.last));
        }
        self.packets += 1;
        self.first = self.first.min(ts);
        self.last = self.last.max(ts);
        self.seq.push(packet.seq);
        if info.telephone_event {
            self.event_packets += 1;
            self.dtmf.push(packet.timestamp, packet.payload, ts);
            // An event's timestamp is the moment the key went down, not a
            // sampling instant: it says nothing about jitter.
            return;
        }
        if !self.has_media {
            self.has_media = true;
            self.payload_type = packet.payload_type;
        }
        self.media_pts |= 1u128 << (packet.payload_type & 0x7f);
        self.jitter.push(ts.0, packet.timestamp, info.clock_rate);
    }

    /// The payload types the stream carried other than telephone-events,
    /// lowest first.
    pub fn media_payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        (0u8..128).filter(|&pt| self.media_pts & (1u128 << pt) != 0)
    }

    /// Only telephone-events (a DTMF stream of its own).
    pub fn events_only(&self) -> bool {
        self.packets > 0 && self.event_packets == self.packets
    }

    pub fn lost(&self) -> u64 {
        self.seq.lost()
    }

    /// Lost over expected, 0.0 to 1.0.
    pub fn loss_ratio(&self) -> f64 {
        match self.seq.expected() {
            0 => 0.0,
            n => self.lost() as f64 / n as f64,
        }
    }
}
