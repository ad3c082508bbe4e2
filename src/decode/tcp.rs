use super::websocket::WsLayer;
use super::{FlowKey, Payload, Segment, Transport};
use crate::capture::Timestamp;
use etherparse::TcpSlice;
use std::collections::{BTreeMap, HashMap};

/// Connections tracked at once; the least recently seen go first beyond this.
const MAX_FLOWS: usize = 65_536;
/// Out-of-order bytes held per direction while waiting for a gap to fill.
const MAX_PENDING_BYTES: usize = 1 << 20;
/// Out-of-order bytes held across all connections; past this every held
/// segment is given up (a flood of gapped streams must not grow memory).
const MAX_TOTAL_PENDING_BYTES: usize = 64 << 20;
/// A direction silent for this long (capture time) is forgotten.
const IDLE_NS: u64 = 300_000_000_000;
const SWEEP_EVERY_NS: u64 = 10_000_000_000;

#[derive(Default)]
struct Direction {
    /// Sequence number of the next byte expected; unknown until data or SYN.
    next_seq: Option<u32>,
    /// Bytes delivered so far: the position of `next_seq` in a wrap-free space.
    delivered: u64,
    /// Early segments keyed by their position in the same space.
    pending: BTreeMap<u64, Vec<u8>>,
    pending_bytes: usize,
    last_seen: u64,
    layer: WsLayer,
}

pub struct TcpReassembler {
    flows: HashMap<FlowKey, Direction>,
    retransmitted: u64,
    gap_bytes: u64,
    evicted: u64,
    last_sweep: u64,
    /// Upper estimate of out-of-order bytes held by all flows (exact after a sweep).
    held_estimate: usize,
}

pub struct Meta {
    pub packet_number: u64,
    pub ts: Timestamp,
    pub flow: FlowKey,
}

impl TcpReassembler {
    pub fn new() -> Self {
        TcpReassembler {
            flows: HashMap::new(),
            retransmitted: 0,
            gap_bytes: 0,
            evicted: 0,
            last_sweep: 0,
            held_estimate: 0,
        }
    }

    pub fn retransmitted(&self) -> u64 {
        self.retransmitted
    }
    pub fn gap_bytes(&self) -> u64 {
        self.gap_bytes
    }
    /// Out-of-order bytes held (an upper estimate) plus a fixed cost per
    /// connection, for the byte budget.
    pub fn held_bytes(&self) -> usize {
        self.held_estimate + self.flows.len() * 96
    }
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    pub fn segment(&mut self, meta: &Meta, tcp: &TcpSlice<'_>, sink: &mut dyn FnMut(Segment<'_>)) {
        self.sweep(meta.ts.0);
        let seq = tcp.sequence_number();
        let data = tcp.payload();
        if tcp.syn() {
            let dir = self.direction(meta);
            *dir = Direction {
                next_seq: Some(seq.wrapping_add(1)),
                last_seen: meta.ts.0,
                ..Direction::default()
            };
            emit(meta, &dir.layer, Payload::StreamReset, sink);
            if data.is_empty() {
                return;
            }
        }
        let dir = self.direction(meta);
        dir.last_seen = meta.ts.0;
        if !data.is_empty() {
            let seq = if tcp.syn() { seq.wrapping_add(1) } else { seq };
            let next = *dir.next_seq.get_or_insert(seq);
            let ahead = seq.wrapping_sub(next) as i32;
            let (retrans, gap) = if ahead <= 0 {
                let overlap = ahead.unsigned_abs() as usize;
                let retrans = overlap > 0;
                if overlap < data.len() {
                    deliver(dir, meta, &data[overlap..], sink);
                    drain(dir, meta, sink);
                }
                (retrans, 0)
            } else {
                store_early(dir, meta, ahead as u64, data, sink)
            };
            if ahead > 0 {
                self.held_estimate += data.len();
            }
            self.retransmitted += retrans as u64;
            self.gap_bytes += gap;
            if self.held_estimate > MAX_TOTAL_PENDING_BYTES {
                self.bound_held_bytes();
            }
        }
        if tcp.fin() || tcp.rst() {
            if let Some(dir) = self.flows.remove(&meta.flow) {
                emit(meta, &dir.layer, Payload::StreamReset, sink);
            }
        }
    }

    fn direction(&mut self, meta: &Meta) -> &mut Direction {
        if self.flows.len() >= MAX_FLOWS && !self.flows.contains_key(&meta.flow) {
            self.evict_least_recent();
        }
        self.flows.entry(meta.flow).or_default()
    }

    fn sweep(&mut self, now: u64) {
        if now.saturating_sub(self.last_sweep) < SWEEP_EVERY_NS {
            return;
        }
        self.last_sweep = now;
        let before = self.flows.len();
        self.flows
            .retain(|_, d| now.saturating_sub(d.last_seen) < IDLE_NS);
        self.evicted += (before - self.flows.len()) as u64;
        self.held_estimate = self.flows.values().map(|d| d.pending_bytes).sum();
    }

    fn bound_held_bytes(&mut self) {
        self.held_estimate = self.flows.values().map(|d| d.pending_bytes).sum();
        if self.held_estimate <= MAX_TOTAL_PENDING_BYTES {
            return;
        }
        for dir in self.flows.values_mut() {
            self.gap_bytes += dir.pending_bytes as u64;
            dir.pending.clear();
            dir.pending_bytes = 0;
        }
        self.held_estimate = 0;
    }

    fn evict_least_recent(&mut self) {
        let mut seen: Vec<u64> = self.flows.values().map(|d| d.last_seen).collect();
        let mid = seen.len() / 2;
        let (_, cutoff, _) = seen.select_nth_unstable(mid);
        let cutoff = *cutoff;
        let before = self.flows.len();
        self.flows.retain(|_, d| d.last_seen > cutoff);
        self.evicted += (before - self.flows.len()) as u64;
    }
}

/// Keeps a segment that arrived before the bytes preceding it. Returns
/// (was a retransmission, bytes given up because a gap never filled).
fn store_early(
    dir: &mut Direction,
    meta: &Meta,
    ahead: u64,
    data: &[u8],
    sink: &mut dyn FnMut(Segment<'_>),
) -> (bool, u64) {
    let pos = dir.delivered + ahead;
    if dir
        .pending
        .get(&pos)
        .is_some_and(|held| held.len() >= data.len())
    {
        return (true, 0);
    }
    dir.pending_bytes += data.len();
    if let Some(old) = dir.pending.insert(pos, data.to_vec()) {
        dir.pending_bytes -= old.len();
    }
    if dir.pending_bytes <= MAX_PENDING_BYTES {
        return (false, 0);
    }
    // The gap is not going to fill: skip to the earliest held bytes and let the
    // layer above resynchronise on the next message start.
    let Some((&first, _)) = dir.pending.first_key_value() else {
        return (false, 0);
    };
    let skipped = first - dir.delivered;
    dir.next_seq = dir.next_seq.map(|s| s.wrapping_add(skipped as u32));
    dir.delivered = first;
    emit(meta, &dir.layer, Payload::StreamReset, sink);
    dir.layer = WsLayer::default();
    drain(dir, meta, sink);
    (false, skipped)
}

/// Delivers held segments that are now in order.
fn drain(dir: &mut Direction, meta: &Meta, sink: &mut dyn FnMut(Segment<'_>)) {
    while let Some((&pos, _)) = dir.pending.first_key_value() {
        if pos > dir.delivered {
            break;
        }
        let Some(bytes) = dir.pending.remove(&pos) else {
            break;
        };
        dir.pending_bytes -= bytes.len();
        let overlap = (dir.delivered - pos) as usize;
        if overlap < bytes.len() {
            deliver(dir, meta, &bytes[overlap..], sink);
        }
    }
}

fn deliver(dir: &mut Direction, meta: &Meta, bytes: &[u8], sink: &mut dyn FnMut(Segment<'_>)) {
    dir.delivered += bytes.len() as u64;
    dir.next_seq = dir.next_seq.map(|s| s.wrapping_add(bytes.len() as u32));
    dir.layer.feed(bytes, &mut |payload, transport| {
        sink(Segment {
            packet_number: meta.packet_number,
            ts: meta.ts,
            flow: meta.flow,
            transport,
            payload,
        })
    });
}

fn emit(meta: &Meta, layer: &WsLayer, payload: Payload<'_>, sink: &mut dyn FnMut(Segment<'_>)) {
    sink(Segment {
        packet_number: meta.packet_number,
        ts: meta.ts,
        flow: meta.flow,
        transport: if layer.is_websocket() {
            Transport::Ws
        } else {
            Transport::Tcp
        },
        payload,
    });
}
