//! Sorts the UDP datagrams that are not SIP into RTP streams and RTCP flows,
//! each tied to the call whose SDP announced its address.
//!
//! The hot path is one or two hash lookups per datagram (is the destination,
//! else the source, an announced address?), a header read and a counter
//! update. Everything is bounded: streams, announced addresses and flows on
//! probation have caps, and what did not fit is counted.

use super::announce::{Announcement, Announcements, PayloadMap, NONE};
use super::endpoints::{AnnouncedAddresses, Endpoint, Owners};
use super::rtcp::{self, ReportBlock};
use super::rtp::{self, RtpPacket};
use super::stats::static_clock_rate;
use super::stream::{PayloadInfo, Side, Stream};
use crate::calls::Renumbering;
use crate::capture::Timestamp;
use foldhash::HashMap;
use std::net::SocketAddr;

/// Streams kept; RTP of further streams is counted, not followed.
pub const MAX_STREAMS: usize = 100_000;
/// Announced RTP and RTCP addresses kept.
pub const MAX_ENDPOINTS: usize = 400_000;
/// SDP announcements kept (one per SIP message with SDP).
pub const MAX_ANNOUNCEMENTS: usize = 1_000_000;
/// RTCP flows kept.
pub const MAX_RTCP_FLOWS: usize = 100_000;
/// Unannounced flows on probation at once. RTP leaves probation within 8
/// packets (160 ms at 20 ms), so when this is full the flows quiet for
/// [`STALE_US`] are dropped, at most once per [`SWEEP_EVERY_US`]; new flows
/// that still do not fit are not followed (and counted).
pub const MAX_CANDIDATES: usize = 50_000;
const STALE_US: i64 = 2_000_000;
const SWEEP_EVERY_US: i64 = 100_000;
/// Packets of one SSRC with rising sequence numbers before an unannounced
/// flow is taken for RTP.
pub const PROBATION: u32 = 8;
/// Largest sequence step accepted during probation (a few packets lost).
const PROBATION_STEP: u16 = 10;
/// A stream that sent within this long before another call announced one
/// of its addresses was still flowing, and keeps its call.
const STILL_FLOWING_US: i64 = 5_000_000;
/// Report blocks remembered per RTCP flow (one per reported SSRC).
const MAX_BLOCKS: usize = 8;
/// Sender SSRCs whose SRs are counted apart per RTCP flow.
const MAX_SENDERS: usize = 8;

/// A UDP datagram that is not SIP.
#[derive(Debug, Clone, Copy)]
pub struct Datagram<'a> {
    pub packet_number: u64,
    pub ts: Timestamp,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub bytes: &'a [u8],
}

/// Counters for what the tracker saw and what did not fit.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MediaStats {
    /// UDP datagrams that were not SIP.
    pub datagrams: u64,
    pub rtp_packets: u64,
    pub rtcp_packets: u64,
    /// Datagrams to or from an announced address that were neither RTP
    /// nor RTCP (STUN, keep-alives, damage).
    pub not_rtp: u64,
    /// RTP packets still on probation, or never out of it (not counted in
    /// any stream).
    pub unannounced_probation_packets: u64,
    pub streams_dropped: u64,
    /// RTP packets of the streams that did not fit.
    pub packets_dropped: u64,
    pub endpoints_dropped: u64,
    pub announcements_dropped: u64,
    pub rtcp_flows_dropped: u64,
    /// Flows dropped from probation, quiet while it was full.
    pub candidates_evicted: u64,
    /// Datagrams of new unannounced flows not put on probation (full).
    pub candidates_refused: u64,
}

/// RTCP between two addresses.
#[derive(Debug, Clone)]
pub struct RtcpFlow {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub call: Option<u32>,
    pub packets: u64,
    pub sender_reports: u64,
    pub receiver_reports: u64,
    /// SSRC of the reporter (from its first SR or RR).
    pub sender_ssrc: Option<u32>,
    /// SRs counted per sender SSRC: a sender may change its SSRC and keep
    /// its ports (a PBX re-bridging a call does), and each SSRC is an RTP
    /// stream of its own.
    pub senders: Vec<(u32, u64)>,
    /// What the flow said about each reported SSRC.
    pub blocks: Vec<BlockSeen>,
    pub first: Timestamp,
    pub last: Timestamp,
    /// The call's previous flow.
    prev_of_call: u32,
}

/// The report blocks of one RTCP flow about one SSRC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockSeen {
    /// The newest of them (by capture time).
    pub block: ReportBlock,
    /// How many there were.
    pub count: u64,
    /// When the newest was captured.
    pub at: Timestamp,
}

/// What RTCP said about one stream.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RtcpView {
    /// SRs sent by the stream's own sender (same SSRC).
    pub sender_reports: u64,
    /// Report blocks about the stream, from its receiver.
    pub receiver_reports: u64,
    /// The newest of those blocks, over all the call's flows.
    pub last: Option<ReportBlock>,
}

/// A flow on probation: RTP-looking, not announced.
#[derive(Debug, Clone)]
struct Candidate {
    stream: Stream,
    last_seq: u16,
    run: u32,
}

type StreamKey = (SocketAddr, SocketAddr, u32);
type FlowKey = (SocketAddr, SocketAddr);

#[derive(Debug, Default)]
pub struct MediaTracker {
    pub announcements: Announcements,
    endpoints: AnnouncedAddresses,
    streams: Vec<Stream>,
    /// Streams of a call other than the call they are chained to (see
    /// [`Stream::shared_with`]), by call.
    shared: HashMap<u32, Vec<u32>>,
    by_key: HashMap<StreamKey, u32>,
    candidates: HashMap<FlowKey, Candidate>,
    rtcp: Vec<RtcpFlow>,
    rtcp_by_key: HashMap<FlowKey, u32>,
    /// Newest stream and RTCP flow per call index (each chains to the
    /// call's previous one): a few bytes per call instead of a map of lists.
    stream_heads: Vec<u32>,
    rtcp_heads: Vec<u32>,
    /// When probation was last swept for quiet flows.
    last_sweep: Option<Timestamp>,
    stats: MediaStats,
}

/// Streams and RTCP flows: items of a call, chained newest first.
trait ChainedToCall {
    fn call_mut(&mut self) -> &mut Option<u32>;
    fn prev_mut(&mut self) -> &mut u32;
}

impl ChainedToCall for Stream {
    fn call_mut(&mut self) -> &mut Option<u32> {
        &mut self.call
    }
    fn prev_mut(&mut self) -> &mut u32 {
        &mut self.prev_of_call
    }
}

impl ChainedToCall for RtcpFlow {
    fn call_mut(&mut self) -> &mut Option<u32> {
        &mut self.call
    }
    fn prev_mut(&mut self) -> &mut u32 {
        &mut self.prev_of_call
    }
}

/// After a rotation: keeps the items of the kept calls (renumbered, with
/// their chains, lookup keys and per-call heads), drops the rest and those
/// of no call.
fn forget_chained<T: ChainedToCall, K>(
    items: &mut Vec<T>,
    by_key: &mut HashMap<K, u32>,
    heads: &mut Vec<u32>,
    r: &Renumbering,
) {
    let mut map = vec![NONE; items.len()];
    let old = std::mem::take(items);
    for (i, mut item) in old.into_iter().enumerate() {
        let Some(call) = item.call_mut().and_then(|c| r.call(c)) else {
            continue;
        };
        if let Some(slot) = map.get_mut(i) {
            *slot = items.len() as u32;
        }
        *item.call_mut() = Some(call);
        items.push(item);
    }
    let renumber = |i: u32| map.get(i as usize).copied().unwrap_or(NONE);
    for item in items.iter_mut() {
        let prev = item.prev_mut();
        *prev = renumber(*prev);
    }
    by_key.retain(|_, i| {
        *i = renumber(*i);
        *i != NONE
    });
    let first = (r.first_kept as usize).min(heads.len());
    heads.drain(..first);
    for h in heads.iter_mut() {
        *h = renumber(*h);
    }
}

/// Makes `index` the newest of `call`'s chain; returns the one before.
fn link(heads: &mut Vec<u32>, call: u32, index: u32) -> u32 {
    let slot = call as usize;
    if heads.len() <= slot {
        heads.resize(slot + 1, NONE);
    }
    std::mem::replace(&mut heads[slot], index)
}

impl MediaTracker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn stats(&self) -> &MediaStats {
        &self.stats
    }

    /// True when the capture holds any RTP at all (the "no RTP" diagnosis
    /// means nothing for a capture filtered to SIP).
    pub fn has_rtp(&self) -> bool {
        self.stats.rtp_packets > 0
    }

    pub fn streams(&self) -> &[Stream] {
        &self.streams
    }

    pub fn rtcp_flows(&self) -> &[RtcpFlow] {
        &self.rtcp
    }

    pub fn announcement(&self, index: u32) -> Option<&Announcement> {
        self.announcements.get(index)
    }

    /// The streams of a call: its own newest first, then those it shares
    /// with the call they were first given to (both ends announced by
    /// both).
    pub fn call_streams(&self, call: u32) -> impl Iterator<Item = &Stream> + '_ {
        let mut next = self
            .stream_heads
            .get(call as usize)
            .copied()
            .unwrap_or(NONE);
        let own = std::iter::from_fn(move || {
            let s = self.streams.get(next as usize)?;
            next = s.prev_of_call;
            Some(s)
        });
        let shared = self.shared.get(&call).into_iter().flatten();
        own.chain(shared.filter_map(|&i| self.streams.get(i as usize)))
    }

    /// The streams of some calls, each once, in order of their first packet.
    /// Heap bytes held, for the byte budget: streams, flows on probation,
    /// RTCP flows, announcements and the addresses they claim, each with a
    /// fixed cost for its lookup entry.
    pub fn memory_bytes(&self) -> u64 {
        use std::mem::size_of;
        let bytes = self.streams.len() * (size_of::<Stream>() + 64)
            + self.candidates.len() * (size_of::<Candidate>() + 64)
            + self.rtcp.len() * (size_of::<RtcpFlow>() + 64)
            + (self.stream_heads.len() + self.rtcp_heads.len()) * 4
            + self.announcements.memory_bytes()
            + self.endpoints.memory_bytes();
        bytes as u64
    }

    pub fn streams_of_calls(&self, calls: &[u32]) -> Vec<&Stream> {
        let mut out: Vec<&Stream> = calls.iter().flat_map(|&c| self.call_streams(c)).collect();
        out.sort_by_key(|s| (s.first, s.first_packet, s.src, s.dst, s.ssrc));
        out.dedup_by(|a, b| std::ptr::eq(*a, *b));
        out
    }

    /// Other calls that carry a stream of this call: legs of one call
    /// through a B2BUA, or a call and the one its media moved to.
    pub fn calls_sharing_media(&self, call: u32) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for s in self.call_streams(call) {
            for c in s.call.into_iter().chain(s.shared_with.iter().copied()) {
                if c != call && !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// The RTCP flows of a call, newest first.
    pub fn call_rtcp(&self, call: u32) -> impl Iterator<Item = &RtcpFlow> + '_ {
        let mut next = self.rtcp_heads.get(call as usize).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            let f = self.rtcp.get(next as usize)?;
            next = f.prev_of_call;
            Some(f)
        })
    }

    /// The SDP announcements of a call, newest first.
    pub fn call_announcements(&self, call: u32) -> impl Iterator<Item = &Announcement> + '_ {
        self.announcements.of_call(call)
    }

    /// Registers the media addresses of an SDP body carried by message
    /// `message` of `call`; `side` is who sent it. A re-INVITE's new
    /// addresses are added; an address announced again moves to the newer
    /// announcement.
    pub fn announce(&mut self, call: u32, message: u32, ts: Timestamp, side: Side, body: &[u8]) {
        if self.announcements.len() >= MAX_ANNOUNCEMENTS {
            self.stats.announcements_dropped += 1;
            return;
        }
        let Some(index) = self.announcements.add(body, call, message, ts, side) else {
            return;
        };
        let Some(&a) = self.announcements.get(index) else {
            return;
        };
        let Self {
            announcements,
            endpoints,
            stats,
            ..
        } = self;
        for m in announcements.media(&a) {
            for (addr, rtcp) in [(m.rtp(), false), (m.rtcp(), true)] {
                let ep = Endpoint {
                    call,
                    announcement: index,
                    side,
                    rtcp,
                    ended: false,
                };
                if !endpoints.claim(addr, ep, endpoints.len() < MAX_ENDPOINTS) {
                    stats.endpoints_dropped += 1;
                }
            }
        }
    }

    /// The call ended (a BYE, a CANCEL, a failure): the addresses it
    /// announced keep the streams they have and go to the next call that
    /// announces them.
    pub fn call_ended(&mut self, call: u32) {
        let Self {
            announcements,
            endpoints,
            ..
        } = self;
        let addrs = announcements
            .of_call(call)
            .flat_map(|a| announcements.media(a))
            .flat_map(|m| [m.rtp(), m.rtcp()]);
        endpoints.call_ended(call, addrs);
    }

    /// Follows a rotation of the call store (`-R`): the streams, RTCP flows
    /// and announced addresses of the forgotten calls go, the others are
    /// renumbered and keep their counters. Streams that belong to no call
    /// go too (they come back through probation if they still flow), so
    /// rotations keep the tracker bounded like the store.
    pub fn forget_calls(&mut self, r: &Renumbering) {
        let announcements = self.announcements.forget_calls(r);
        let announcement = |a: u32| {
            announcements
                .get(a as usize)
                .copied()
                .filter(|&n| n != NONE)
        };
        forget_chained(
            &mut self.streams,
            &mut self.by_key,
            &mut self.stream_heads,
            r,
        );
        // The kept streams keep their order, so the index in the new list
        // is the stream's new number.
        self.shared.clear();
        for (i, s) in self.streams.iter_mut().enumerate() {
            s.announcement = s.announcement.and_then(announcement);
            s.shared_with.retain_mut(|c| match r.call(*c) {
                Some(n) => {
                    *c = n;
                    true
                }
                None => false,
            });
            for &c in &s.shared_with {
                self.shared.entry(c).or_default().push(i as u32);
            }
        }
        forget_chained(
            &mut self.rtcp,
            &mut self.rtcp_by_key,
            &mut self.rtcp_heads,
            r,
        );
        self.endpoints.forget_calls(r, announcement);
    }

    /// One datagram that SIP did not claim.
    pub fn push(&mut self, d: &Datagram<'_>) {
        self.stats.datagrams += 1;
        let hit = match self.endpoints.get(&d.dst) {
            Some(e) => Some(*e),
            None => self.endpoints.get(&d.src).copied(),
        };
        let Some(ep) = hit else {
            self.push_unannounced(d);
            return;
        };
        if ep.rtcp || rtp::looks_like_rtcp(d.bytes) {
            self.push_rtcp(d, Some(ep.call));
            return;
        }
        match rtp::parse(d.bytes) {
            Ok(p) => self.push_announced(d, &p, ep),
            Err(_) => self.stats.not_rtp += 1,
        }
    }

    fn push_announced(&mut self, d: &Datagram<'_>, p: &RtpPacket<'_>, ep: Endpoint) {
        let key = (d.src, d.dst, p.ssrc);
        // A stream keeps its call while that call's claim on both ends
        // holds: another call announcing one of them (a media port shared
        // by calls at once) does not take it, a call that announced both
        // after this one ended does (ports reused by a device with a fixed
        // SSRC).
        let existing = self.by_key.get(&key).copied().filter(|&i| {
            self.streams.get(i as usize).is_some_and(|s| {
                let flowing = || {
                    self.announcements
                        .get(ep.announcement)
                        .is_none_or(|a| a.ts.micros_since(s.last) <= STILL_FLOWING_US)
                };
                s.call == Some(ep.call)
                    || s.call.is_some_and(|c| {
                        self.endpoints.announced_both(c, &d.src, &d.dst) && flowing()
                    })
            })
        });
        let index = match existing {
            Some(i) => i,
            None => {
                let owners = self.owners(d);
                let (ep, also) = owners.map_or((ep, Vec::new()), |o| (o.first, o.also));
                let mut s = Stream::new(d.src, d.dst, p, d.ts, d.packet_number);
                s.call = Some(ep.call);
                let side_of = |addr: &SocketAddr| {
                    self.endpoints
                        .claim_of(ep.call, addr)
                        .filter(|e| !e.rtcp)
                        .map(|e| (e.side, e.announcement))
                };
                let (src, dst) = (side_of(&d.src), side_of(&d.dst));
                s.src_side = src.map(|(side, _)| side);
                s.dst_side = dst.map(|(side, _)| side);
                s.announcement = dst.or(src).map(|(_, a)| a).or(Some(ep.announcement));
                s.shared_with = also;
                match self.add_stream(s) {
                    Some(i) => i,
                    None => return,
                }
            }
        };
        self.update(index, d, p);
    }

    /// Who a new flow belongs to. A call's claim on both its ends holds
    /// while the call has RTP flowing, or when it announced them about
    /// when the newest claimant of the receiver did (the legs of a B2BUA
    /// set up direct media together); an old claim of a silent call does
    /// not take the flow from the call that announced its receiver since.
    fn owners(&self, d: &Datagram<'_>) -> Option<Owners> {
        let ts = |e: &Endpoint| self.announcements.get(e.announcement).map(|a| a.ts);
        let newest = self.endpoints.get(&d.dst).and_then(ts);
        self.endpoints.owners(&d.src, &d.dst, |e| {
            let together = match (ts(e), newest) {
                (Some(t), Some(n)) => n.micros_since(t) <= STILL_FLOWING_US,
                _ => true,
            };
            together
                || self
                    .call_streams(e.call)
                    .any(|s| d.ts.micros_since(s.last) <= STILL_FLOWING_US)
        })
    }

    /// Stores a new stream; `None` when the cap is reached.
    fn add_stream(&mut self, s: Stream) -> Option<u32> {
        if self.streams.len() >= MAX_STREAMS {
            self.stats.streams_dropped += 1;
            self.stats.packets_dropped += 1;
            return None;
        }
        let mut s = s;
        let index = self.streams.len() as u32;
        self.by_key.insert((s.src, s.dst, s.ssrc), index);
        if let Some(call) = s.call {
            s.prev_of_call = link(&mut self.stream_heads, call, index);
        }
        for &c in &s.shared_with {
            self.shared.entry(c).or_default().push(index);
        }
        self.streams.push(s);
        Some(index)
    }

    fn update(&mut self, index: u32, d: &Datagram<'_>, p: &RtpPacket<'_>) {
        let Some(s) = self.streams.get(index as usize) else {
            return;
        };
        let info = match s.cached_payload(p.payload_type) {
            Some(i) => i,
            None => self.payload_info(s.call, s.announcement, p.payload_type),
        };
        if let Some(s) = self.streams.get_mut(index as usize) {
            s.push(p, d.ts, info);
            self.stats.rtp_packets += 1;
        }
    }

    /// What a payload type means to the SDP: the given announcement's, else
    /// any of the call's (an answer without telephone-event does not stop
    /// the caller sending the events the offer named).
    fn announced_payload(
        &self,
        call: Option<u32>,
        announcement: Option<u32>,
        pt: u8,
    ) -> Option<&PayloadMap> {
        let all = &self.announcements;
        announcement
            .and_then(|a| all.get(a))
            .and_then(|a| all.payload(a, pt))
            .or_else(|| call.and_then(|c| all.of_call(c).find_map(|a| all.payload(a, pt))))
    }

    /// What a payload type means: the SDP's word, else RFC 3551.
    fn payload_info(&self, call: Option<u32>, announcement: Option<u32>, pt: u8) -> PayloadInfo {
        match self.announced_payload(call, announcement, pt) {
            Some(m) => PayloadInfo {
                clock_rate: m.clock_rate,
                telephone_event: m.telephone_event,
            },
            None => PayloadInfo {
                clock_rate: static_clock_rate(pt).unwrap_or(8000),
                telephone_event: false,
            },
        }
    }

    /// The codec name of a stream's payload type.
    pub fn codec(&self, s: &Stream) -> String {
        self.payload_codec(s, s.payload_type)
    }

    /// The codec name payload type `pt` of stream `s` has: the SDP's, else
    /// RFC 3551's ("unknown" for a dynamic type no SDP named).
    pub fn payload_codec(&self, s: &Stream, pt: u8) -> String {
        match self.announced_payload(s.call, s.announcement, pt) {
            Some(m) => self.announcements.name(m.name).to_owned(),
            None => crate::sip::static_codec(pt).unwrap_or("unknown").to_owned(),
        }
    }

    /// The clock rate of a stream's payload type, when known.
    pub fn codec_clock_rate(&self, s: &Stream) -> Option<u32> {
        self.announced_payload(s.call, s.announcement, s.payload_type)
            .map(|m| m.clock_rate)
            .or_else(|| static_clock_rate(s.payload_type))
    }

    /// RTP on no announced address: followed once [`PROBATION`] packets of
    /// one SSRC came with rising sequence numbers on a flow with an even
    /// port (RTP's convention, RFC 3550 11) and no well-known port.
    fn push_unannounced(&mut self, d: &Datagram<'_>) {
        if rtp::looks_like_rtcp(d.bytes) {
            if let Some(&i) = self.rtcp_by_key.get(&(d.src, d.dst)) {
                let call = self.rtcp.get(i as usize).and_then(|f| f.call);
                self.push_rtcp(d, call);
            }
            return;
        }
        let Ok(p) = rtp::parse(d.bytes) else {
            self.stats.not_rtp += 1;
            if !self.candidates.is_empty() {
                self.candidates.remove(&(d.src, d.dst));
            }
            return;
        };
        if let Some(&i) = self.by_key.get(&(d.src, d.dst, p.ssrc)) {
            self.update(i, d, &p);
            return;
        }
        self.stats.unannounced_probation_packets += 1;
        let flow = (d.src, d.dst);
        let info = PayloadInfo {
            clock_rate: static_clock_rate(p.payload_type).unwrap_or(8000),
            telephone_event: false,
        };
        if let Some(c) = self.candidates.get_mut(&flow) {
            let step = p.seq.wrapping_sub(c.last_seq);
            let same = c.stream.ssrc == p.ssrc && c.stream.payload_type == p.payload_type;
            if same && (1..=PROBATION_STEP).contains(&step) {
                c.stream.push(&p, d.ts, info);
                c.last_seq = p.seq;
                c.run += 1;
                if c.run >= PROBATION && plausible_ports(d.src, d.dst) {
                    if let Some(c) = self.candidates.remove(&flow) {
                        let packets = c.stream.packets;
                        if self.add_stream(c.stream).is_some() {
                            self.stats.unannounced_probation_packets -= packets;
                            self.stats.rtp_packets += packets;
                        }
                    }
                }
                return;
            }
        }
        if self.candidates.len() >= MAX_CANDIDATES
            && !self.candidates.contains_key(&flow)
            && !self.make_room(d.ts)
        {
            self.stats.candidates_refused += 1;
            return;
        }
        let mut stream = Stream::new(d.src, d.dst, &p, d.ts, d.packet_number);
        stream.push(&p, d.ts, info);
        self.candidates.insert(
            flow,
            Candidate {
                stream,
                last_seq: p.seq,
                run: 1,
            },
        );
    }

    /// Drops the flows on probation that went quiet; false when none did
    /// (or the last sweep was too recent to try again).
    fn make_room(&mut self, now: Timestamp) -> bool {
        if self
            .last_sweep
            .is_some_and(|t| now.micros_since(t) < SWEEP_EVERY_US)
        {
            return false;
        }
        self.last_sweep = Some(now);
        let before = self.candidates.len();
        self.candidates
            .retain(|_, c| now.micros_since(c.stream.last) < STALE_US);
        self.stats.candidates_evicted += (before - self.candidates.len()) as u64;
        self.candidates.len() < MAX_CANDIDATES
    }

    fn push_rtcp(&mut self, d: &Datagram<'_>, call: Option<u32>) {
        let Ok(summary) = rtcp::parse(d.bytes) else {
            self.stats.not_rtp += 1;
            return;
        };
        self.stats.rtcp_packets += 1;
        let key = (d.src, d.dst);
        let index = match self.rtcp_by_key.get(&key) {
            Some(&i) => i,
            None => {
                if self.rtcp.len() >= MAX_RTCP_FLOWS {
                    self.stats.rtcp_flows_dropped += 1;
                    return;
                }
                self.rtcp.push(RtcpFlow {
                    src: d.src,
                    dst: d.dst,
                    call,
                    packets: 0,
                    sender_reports: 0,
                    receiver_reports: 0,
                    sender_ssrc: None,
                    senders: Vec::new(),
                    blocks: Vec::new(),
                    first: d.ts,
                    last: d.ts,
                    prev_of_call: NONE,
                });
                let i = (self.rtcp.len() - 1) as u32;
                self.rtcp_by_key.insert(key, i);
                if let (Some(call), Some(f)) = (call, self.rtcp.last_mut()) {
                    f.prev_of_call = link(&mut self.rtcp_heads, call, i);
                }
                i
            }
        };
        let Some(f) = self.rtcp.get_mut(index as usize) else {
            return;
        };
        f.packets += 1;
        f.last = f.last.max(d.ts);
        f.sender_reports += u64::from(summary.sender_reports);
        f.receiver_reports += u64::from(summary.receiver_reports);
        if f.sender_ssrc.is_none() {
            f.sender_ssrc = summary.sender_ssrc;
        }
        if let (Some(ssrc), n @ 1..) = (summary.sender_ssrc, summary.sender_reports) {
            match f.senders.iter().position(|(x, _)| *x == ssrc) {
                Some(i) => f.senders[i].1 += u64::from(n),
                None if f.senders.len() < MAX_SENDERS => f.senders.push((ssrc, u64::from(n))),
                None => {}
            }
        }
        for b in summary.blocks {
            match f.blocks.iter().position(|o| o.block.ssrc == b.ssrc) {
                Some(i) => {
                    let o = &mut f.blocks[i];
                    o.count += 1;
                    // A packet captured out of order does not replace a
                    // newer block.
                    if d.ts >= o.at {
                        o.block = b;
                        o.at = d.ts;
                    }
                }
                None if f.blocks.len() < MAX_BLOCKS => f.blocks.push(BlockSeen {
                    block: b,
                    count: 1,
                    at: d.ts,
                }),
                None => {}
            }
        }
    }

    /// What RTCP said about a stream: its sender's SRs (same SSRC, from the
    /// sender's address) and the receiver's report blocks about its SSRC,
    /// counted one by one (a report without a block about it, such as one
    /// sent before any RTP arrived, says nothing about it).
    pub fn rtcp_about(&self, s: &Stream) -> RtcpView {
        let mut v = RtcpView::default();
        let Some(call) = s.call else {
            return v;
        };
        let mut newest: Option<Timestamp> = None;
        // Newest flow first: on equal times its block wins.
        for f in self.call_rtcp(call) {
            if f.src.ip() == s.src.ip() {
                v.sender_reports += f
                    .senders
                    .iter()
                    .filter(|(x, _)| *x == s.ssrc)
                    .map(|(_, n)| n)
                    .sum::<u64>();
            }
            if f.src.ip() == s.dst.ip() {
                if let Some(seen) = f.blocks.iter().find(|b| b.block.ssrc == s.ssrc) {
                    v.receiver_reports += seen.count;
                    if newest.is_none_or(|t| seen.at > t) {
                        v.last = Some(seen.block);
                        newest = Some(seen.at);
                    }
                }
            }
        }
        v
    }
}

/// Ports RTP can plausibly use: not the privileged ones, one of them even.
fn plausible_ports(src: SocketAddr, dst: SocketAddr) -> bool {
    src.port() >= 1024
        && dst.port() >= 1024
        && (src.port().is_multiple_of(2) || dst.port().is_multiple_of(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().expect("address")
    }

    fn rtp(pt: u8, seq: u16, ts: u32, ssrc: u32, payload: &[u8]) -> Vec<u8> {
        let mut b = vec![0x80, pt];
        b.extend_from_slice(&seq.to_be_bytes());
        b.extend_from_slice(&ts.to_be_bytes());
        b.extend_from_slice(&ssrc.to_be_bytes());
        b.extend_from_slice(payload);
        b
    }

    fn push(t: &mut MediaTracker, n: u64, src: &str, dst: &str, bytes: &[u8]) {
        t.push(&Datagram {
            packet_number: n,
            ts: Timestamp(1_000_000_000 + n * 20_000_000),
            src: addr(src),
            dst: addr(dst),
            bytes,
        });
    }

    /// Caller 10.0.0.1:4000 offers PCMU + telephone-event, callee
    /// 10.0.0.2:5000 answers PCMU only.
    fn call() -> MediaTracker {
        let mut t = MediaTracker::new();
        let offer: &[u8] = b"v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";
        let answer: &[u8] = b"v=0\r\nc=IN IP4 10.0.0.2\r\nm=audio 5000 RTP/AVP 0\r\n";
        t.announce(0, 0, Timestamp(1), Side::Caller, offer);
        t.announce(0, 2, Timestamp(2), Side::Callee, answer);
        t
    }

    #[test]
    fn announced_rtp_belongs_to_the_call_with_codec_sides_and_digits() {
        let mut t = call();
        for i in 0..50u16 {
            let b = rtp(0, 100 + i, 160 * u32::from(i), 7, &[0; 160]);
            push(&mut t, u64::from(i), "10.0.0.1:4000", "10.0.0.2:5000", &b);
        }
        // Key 5, end packet three times, same SSRC as the audio.
        for (i, end) in [false, false, true, true, true].iter().enumerate() {
            let flags = if *end { 0x80 } else { 0 };
            let b = rtp(101, 150 + i.min(2) as u16, 8000, 7, &[5, flags, 1, 0]);
            push(&mut t, 60 + i as u64, "10.0.0.1:4000", "10.0.0.2:5000", &b);
        }
        let s = &t.streams()[0];
        assert_eq!(t.streams().len(), 1);
        assert_eq!(s.call, Some(0));
        assert_eq!(
            (s.src_side, s.dst_side),
            (Some(Side::Caller), Some(Side::Callee))
        );
        assert_eq!(t.codec(s), "PCMU");
        assert_eq!(
            (s.packets, s.event_packets, s.lost(), s.seq.duplicates),
            (55, 5, 0, 2)
        );
        assert_eq!(s.dtmf.text(), "5");
        assert!(
            s.jitter.jitter.abs() < 1e-9,
            "even spacing: {}",
            s.jitter.jitter
        );
        assert_eq!(t.call_streams(0).count(), 1);
        assert!(t.has_rtp());
    }

    #[test]
    fn rtcp_on_port_plus_one_is_summarised_for_the_stream() {
        let mut t = call();
        push(
            &mut t,
            1,
            "10.0.0.1:4000",
            "10.0.0.2:5000",
            &rtp(0, 1, 0, 0xaa, &[0; 160]),
        );
        // RR from the callee about SSRC 0xaa: 25 % lost, jitter 80 units.
        let mut rr = vec![0x81, 201, 0, 7, 0, 0, 0, 0xbb, 0, 0, 0, 0xaa, 64, 0, 0, 3];
        rr.extend_from_slice(&[0, 0, 0, 9, 0, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0]);
        push(&mut t, 2, "10.0.0.2:5001", "10.0.0.1:4001", &rr);
        assert_eq!(t.stats().rtcp_packets, 1);
        let v = t.rtcp_about(&t.streams()[0]);
        assert_eq!(v.receiver_reports, 1);
        let b = v.last.expect("block");
        assert_eq!((b.fraction_lost, b.cumulative_lost, b.jitter), (64, 3, 80));
    }

    /// An SR (or RR, `sr` false) from `ssrc` with one block per
    /// `(about, fraction, cumulative lost, jitter)`.
    fn report(sr: bool, ssrc: u32, blocks: &[(u32, u8, u8, u32)]) -> Vec<u8> {
        let info = if sr { 20 } else { 0 };
        let words = (4 + info + 24 * blocks.len()) / 4;
        let mut p = vec![
            0x80 | blocks.len() as u8,
            if sr { 200 } else { 201 },
            0,
            words as u8,
        ];
        p.extend_from_slice(&ssrc.to_be_bytes());
        p.extend_from_slice(&vec![0; info]);
        for &(about, fraction, lost, jitter) in blocks {
            p.extend_from_slice(&about.to_be_bytes());
            p.extend_from_slice(&[fraction, 0, 0, lost, 0, 0, 0, 9]);
            p.extend_from_slice(&jitter.to_be_bytes());
            p.extend_from_slice(&[0; 8]);
        }
        p
    }

    #[test]
    fn receiver_reports_count_the_blocks_about_the_stream_and_the_newest_is_last() {
        let mut t = call();
        push(
            &mut t,
            1,
            "10.0.0.1:4000",
            "10.0.0.2:5000",
            &rtp(0, 1, 0, 0xaa, &[0; 160]),
        );
        // The callee's first RR comes before it has heard anything: no
        // block, so nothing about the stream.
        push(
            &mut t,
            2,
            "10.0.0.2:5001",
            "10.0.0.1:4001",
            &report(false, 0xbb, &[]),
        );
        push(
            &mut t,
            3,
            "10.0.0.2:5001",
            "10.0.0.1:4001",
            &report(true, 0xbb, &[(0xaa, 64, 3, 80)]),
        );
        let v = t.rtcp_about(&t.streams()[0]);
        assert_eq!((v.sender_reports, v.receiver_reports), (0, 1));
        // Later its reports leave from the RTP port (rtcp-mux after a
        // re-INVITE, say): a second flow, created after the first, whose
        // block is the newest.
        push(
            &mut t,
            4,
            "10.0.0.2:5000",
            "10.0.0.1:4001",
            &report(false, 0xbb, &[(0xaa, 0, 4, 40)]),
        );
        // And a last report on the first flow, newer still.
        push(
            &mut t,
            5,
            "10.0.0.2:5001",
            "10.0.0.1:4001",
            &report(false, 0xbb, &[(0xaa, 16, 5, 20)]),
        );
        let v = t.rtcp_about(&t.streams()[0]);
        assert_eq!(v.receiver_reports, 3);
        let b = v.last.expect("block");
        assert_eq!((b.fraction_lost, b.cumulative_lost, b.jitter), (16, 5, 20));
        push(
            &mut t,
            6,
            "10.0.0.2:5000",
            "10.0.0.1:4001",
            &report(false, 0xbb, &[(0xaa, 0, 5, 10)]),
        );
        let b = t.rtcp_about(&t.streams()[0]).last.expect("block");
        assert_eq!((b.fraction_lost, b.cumulative_lost, b.jitter), (0, 5, 10));
    }

    #[test]
    fn sender_reports_follow_the_ssrc_when_a_sender_changes_it() {
        let mut t = call();
        // The caller's SSRC changes midway (as a PBX's does when it
        // re-bridges), on the same ports: two RTP streams, one RTCP flow.
        for (n, ssrc) in [(1, 0xaa), (4, 0xcc)] {
            push(
                &mut t,
                n,
                "10.0.0.1:4000",
                "10.0.0.2:5000",
                &rtp(0, n as u16, 0, ssrc, &[0; 160]),
            );
        }
        for (n, ssrc) in [(2, 0xaa), (3, 0xaa), (5, 0xcc)] {
            push(
                &mut t,
                n,
                "10.0.0.1:4001",
                "10.0.0.2:5001",
                &report(true, ssrc, &[]),
            );
        }
        assert_eq!(t.streams().len(), 2);
        let srs: Vec<u64> = t
            .streams()
            .iter()
            .map(|s| t.rtcp_about(s).sender_reports)
            .collect();
        assert_eq!(srs, [2, 1]);
    }

    #[test]
    fn unannounced_rtp_needs_eight_rising_packets_on_an_even_port() {
        let mut t = MediaTracker::new();
        for i in 0..7u16 {
            push(
                &mut t,
                u64::from(i),
                "192.0.2.1:20000",
                "192.0.2.2:30000",
                &rtp(8, i, 0, 1, &[0; 20]),
            );
        }
        assert!(t.streams().is_empty());
        push(
            &mut t,
            7,
            "192.0.2.1:20000",
            "192.0.2.2:30000",
            &rtp(8, 7, 0, 1, &[0; 20]),
        );
        assert_eq!(t.streams().len(), 1);
        let s = &t.streams()[0];
        assert_eq!((s.call, s.packets, t.codec(s).as_str()), (None, 8, "PCMA"));
        push(
            &mut t,
            8,
            "192.0.2.1:20000",
            "192.0.2.2:30000",
            &rtp(8, 8, 0, 1, &[0; 20]),
        );
        assert_eq!(t.streams()[0].packets, 9);
        assert_eq!(t.stats().rtp_packets, 9);

        // Odd ports both ends, or a sequence that jumps about: not RTP.
        let mut t = MediaTracker::new();
        for i in 0..20u16 {
            push(
                &mut t,
                u64::from(i),
                "192.0.2.1:20001",
                "192.0.2.2:30001",
                &rtp(8, i, 0, 1, &[]),
            );
            push(
                &mut t,
                u64::from(i),
                "192.0.2.1:20000",
                "192.0.2.2:30000",
                &rtp(8, i * 997, 0, 1, &[]),
            );
        }
        assert!(t.streams().is_empty());
        assert_eq!(t.stats().rtp_packets, 0);
    }

    #[test]
    fn a_full_probation_drops_quiet_flows_not_live_ones() {
        let mut t = MediaTracker::new();
        let flow = |i: usize| {
            let i = i as u32;
            (
                format!("10.1.{}.{}:20000", i / 250, i % 250),
                format!("10.2.{}.{}:30000", i / 250, i % 250),
            )
        };
        // Fill probation with one packet per flow, all at the same time.
        for i in 0..MAX_CANDIDATES {
            let (src, dst) = flow(i);
            push(&mut t, 0, &src, &dst, &rtp(0, 0, 0, 1, &[]));
        }
        // Right away, a new flow does not fit and is refused...
        push(
            &mut t,
            1,
            "192.0.2.1:20000",
            "192.0.2.2:30000",
            &rtp(0, 0, 0, 9, &[]),
        );
        assert_eq!(t.stats().candidates_refused, 1);
        // ...but once the others have been quiet long enough, it gets a
        // place and is found after its 8 packets.
        for k in 0..8u16 {
            t.push(&Datagram {
                packet_number: 0,
                ts: Timestamp(1_000_000_000 + 3_000_000_000 + u64::from(k) * 20_000_000),
                src: addr("192.0.2.1:20000"),
                dst: addr("192.0.2.2:30000"),
                bytes: &rtp(0, k, 160 * u32::from(k), 9, &[]),
            });
        }
        assert_eq!(t.stats().candidates_evicted, MAX_CANDIDATES as u64);
        assert_eq!(t.streams().len(), 1);
        assert_eq!(t.streams()[0].ssrc, 9);
    }

    #[test]
    fn same_addresses_and_ssrc_in_a_later_call_start_a_new_stream() {
        let mut t = call();
        let b = rtp(0, 1, 0, 7, &[0; 10]);
        push(&mut t, 1, "10.0.0.1:4000", "10.0.0.2:5000", &b);
        let sdp: &[u8] = b"v=0\r\nc=IN IP4 10.0.0.2\r\nm=audio 5000 RTP/AVP 8\r\n";
        t.announce(1, 9, Timestamp(u64::MAX / 2), Side::Callee, sdp);
        t.push(&Datagram {
            packet_number: 2,
            ts: Timestamp(u64::MAX / 2 + 1),
            src: addr("10.0.0.1:4000"),
            dst: addr("10.0.0.2:5000"),
            bytes: &rtp(8, 2, 160, 7, &[0; 10]),
        });
        assert_eq!(t.streams().len(), 2);
        assert_eq!(t.streams()[1].call, Some(1));
        assert_eq!(t.codec(&t.streams()[1]), "PCMA");
    }

    #[test]
    fn streams_past_the_cap_are_counted_not_kept() {
        let mut t = call();
        for ssrc in 0..(MAX_STREAMS as u32 + 5) {
            let b = rtp(0, 1, 0, ssrc, &[]);
            push(&mut t, 1, "10.0.0.1:4000", "10.0.0.2:5000", &b);
        }
        assert_eq!(t.streams().len(), MAX_STREAMS);
        assert_eq!(t.stats().streams_dropped, 5);
    }

    proptest! {
        #[test]
        fn any_bytes_to_an_announced_address_do_not_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
            rtcp in any::<bool>(),
        ) {
            let mut t = call();
            let (src, dst) = if rtcp { ("10.0.0.2:5001", "10.0.0.1:4001") } else { ("10.0.0.1:4000", "10.0.0.2:5000") };
            push(&mut t, 1, src, dst, &bytes);
            push(&mut t, 2, src, dst, &bytes);
            for s in t.streams() {
                let _ = (t.codec(s), t.rtcp_about(s), s.loss_ratio(), s.dtmf.text());
            }
        }

        #[test]
        fn any_rtp_shaped_bytes_on_an_unknown_flow_do_not_panic(
            packets in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 1..40),
        ) {
            let mut t = MediaTracker::new();
            for (i, mut p) in packets.into_iter().enumerate() {
                if let Some(b0) = p.first_mut() {
                    *b0 = 0x80 | (*b0 & 0x3f);
                }
                push(&mut t, i as u64, "192.0.2.1:20000", "192.0.2.2:30000", &p);
            }
            prop_assert!(t.stats().rtp_packets <= 40);
        }
    }
}
