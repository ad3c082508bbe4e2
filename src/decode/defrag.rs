use crate::capture::Timestamp;
use etherparse::defrag::{IpDefragPayloadVec, IpDefragPool};
use etherparse::{Ipv6ExtensionSlice, NetSlice, SlicedPacket};
use std::collections::HashMap;
use std::net::IpAddr;

/// Unfinished fragment sets kept at once. Each holds at most 64 KiB, so a
/// flood of never-finished fragments costs at most 64 MiB before eviction.
const MAX_PENDING: usize = 1024;
/// Linux gives up on a fragment set after 30 s (ipfrag_time); so do we.
const TIMEOUT_NS: u64 = 30_000_000_000;
const SWEEP_EVERY_NS: u64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FragKey {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
}

/// etherparse's defragmentation pool with the eviction it leaves to its user:
/// the pool itself grows without bound under a fragment flood.
pub struct Defragmenter {
    pool: IpDefragPool<u64, ()>,
    /// Mirror of the pool's open sets (the pool does not expose its size),
    /// with the capture time each was last touched.
    pending: HashMap<FragKey, u64>,
    last_sweep: u64,
    evicted: u64,
}

impl Defragmenter {
    pub fn new() -> Self {
        Defragmenter {
            pool: IpDefragPool::new(),
            pending: HashMap::new(),
            last_sweep: 0,
            evicted: 0,
        }
    }

    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// An estimate for the byte budget: the pool does not say what it
    /// holds, so each open datagram counts as two full-size fragments (a SIP
    /// message over UDP that fragments is usually two or three).
    pub fn held_bytes(&self) -> usize {
        self.pending.len() * 3_000
    }

    /// Adds one fragment; returns the whole datagram when it is complete.
    pub fn process(
        &mut self,
        packet: &SlicedPacket<'_>,
        ts: Timestamp,
    ) -> Option<IpDefragPayloadVec> {
        let key = frag_key(packet)?;
        let now = ts.0;
        if now.saturating_sub(self.last_sweep) >= SWEEP_EVERY_NS {
            self.last_sweep = now;
            self.evict_older_than(now.saturating_sub(TIMEOUT_NS));
        }
        if self.pending.len() >= MAX_PENDING && !self.pending.contains_key(&key) {
            self.evict_oldest_half();
        }
        match self.pool.process_sliced_packet(packet, now, ()) {
            Ok(Some(whole)) => {
                self.pending.remove(&key);
                Some(whole)
            }
            Ok(None) | Err(_) => {
                // A bad fragment (overlap with a different end, unaligned
                // length) leaves its set to time out like an unfinished one.
                self.pending.insert(key, now);
                None
            }
        }
    }

    /// Hands a finished buffer back for reuse.
    pub fn recycle(&mut self, buf: IpDefragPayloadVec) {
        self.pool.return_buf(buf);
    }

    fn evict_older_than(&mut self, cutoff: u64) {
        let before = self.pending.len();
        self.pool.retain(|t| *t >= cutoff);
        self.pending.retain(|_, t| *t >= cutoff);
        self.evicted += (before - self.pending.len()) as u64;
    }

    fn evict_oldest_half(&mut self) {
        let mut times: Vec<u64> = self.pending.values().copied().collect();
        let mid = times.len() / 2;
        let (_, cutoff, _) = times.select_nth_unstable(mid);
        // Strictly newer than the median survives, so at least half goes.
        let cutoff = cutoff.saturating_add(1);
        self.evict_older_than(cutoff);
    }
}

fn frag_key(packet: &SlicedPacket<'_>) -> Option<FragKey> {
    match packet.net.as_ref()? {
        NetSlice::Ipv4(v4) => {
            let h = v4.header();
            Some(FragKey {
                src: IpAddr::V4(h.source_addr()),
                dst: IpAddr::V4(h.destination_addr()),
                id: h.identification() as u32,
            })
        }
        NetSlice::Ipv6(v6) => {
            let id = v6
                .extensions()
                .clone()
                .into_iter()
                .find_map(|ext| match ext {
                    Ipv6ExtensionSlice::Fragment(f) => Some(f.identification()),
                    _ => None,
                })?;
            let h = v6.header();
            Some(FragKey {
                src: IpAddr::V6(h.source_addr()),
                dst: IpAddr::V6(h.destination_addr()),
                id,
            })
        }
        NetSlice::Arp(_) => None,
    }
}
