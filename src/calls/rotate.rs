//! Forgetting the oldest calls when a live capture reaches its message limit
//! (`-R`). The store is compacted where it lies: the kept messages, calls
//! and bytes move down and every index in them is renumbered, so indices
//! stay dense and every later stage sees an ordinary store. Nothing is
//! parsed again and no second store is built, so a rotation under a flood
//! costs neither a second copy of the store in memory nor the time to fill
//! one.

use super::{CallStore, MessageBytes, StoreStats};

/// Marks an index that was dropped in an old-to-new table.
const GONE: u32 = u32::MAX;

/// What a rotation did to the numbers, for the stages that keep call and
/// message numbers of their own (the media tracker).
#[derive(Debug, Clone, Default)]
pub struct Renumbering {
    /// Calls below it are gone; the others moved down by it.
    pub first_kept: u32,
    /// Old message index -> new one (`None`: nothing moved).
    messages: Option<Vec<u32>>,
}

impl Renumbering {
    pub fn call(&self, old: u32) -> Option<u32> {
        old.checked_sub(self.first_kept)
    }

    pub fn message(&self, old: u32) -> Option<u32> {
        match &self.messages {
            None => Some(old),
            Some(map) => map.get(old as usize).copied().filter(|&n| n != GONE),
        }
    }
}

impl CallStore {
    /// Forgets the first `drop_calls` calls, their messages and the
    /// messages that belong to no call; the rest keep their order.
    pub fn forget_oldest(&mut self, drop_calls: usize) -> Renumbering {
        let first_kept = drop_calls.min(self.calls.len()) as u32;
        if first_kept == 0 && self.stats.without_call_id == 0 {
            return Renumbering::default();
        }
        let kept = |call: Option<u32>| call.is_some_and(|c| c >= first_kept);

        // Old message index -> new one.
        let mut new_index = vec![GONE; self.messages.len()];
        let mut next = 0u32;
        for (old, rec) in self.messages.iter().enumerate() {
            if kept(rec.call) {
                if let Some(slot) = new_index.get_mut(old) {
                    *slot = next;
                }
                next += 1;
            }
        }
        let renumber = |i: u32| match new_index.get(i as usize) {
            Some(&n) if n != GONE => Some(n),
            _ => None,
        };

        // Messages, with their bytes moved down the arena: a message's bytes
        // always follow those of the messages before it, so each copy goes
        // to a place already read.
        let mut write = 0usize;
        let arena = &mut self.arena;
        self.messages.retain(|rec| kept(rec.call));
        for rec in &mut self.messages {
            rec.call = rec.call.map(|c| c - first_kept);
            rec.request = rec.request.and_then(renumber);
            if let MessageBytes::Arena { offset, len } = &mut rec.bytes {
                let (from, n) = (*offset as usize, *len as usize);
                if from + n <= arena.len() {
                    arena.copy_within(from..from + n, write);
                }
                *offset = write as u64;
                write += n;
            }
        }
        arena.truncate(write);

        // Calls and their transaction trackers.
        self.calls.drain(..first_kept as usize);
        self.trackers
            .drain(..(first_kept as usize).min(self.trackers.len()));
        let shift = |c: u32| c.checked_sub(first_kept);
        for (pos, call) in self.calls.iter_mut().enumerate() {
            call.index = pos as u32 + 1;
            call.messages.retain_mut(|m| match renumber(*m) {
                Some(n) => {
                    *m = n;
                    true
                }
                None => false,
            });
            call.related = call.related.iter().filter_map(|&r| shift(r)).collect();
            call.info_dtmf.retain_mut(|d| match renumber(d.message) {
                Some(n) => {
                    d.message = n;
                    true
                }
                None => false,
            });
        }
        for tracker in &mut self.trackers {
            tracker.requests.retain_mut(|(_, m)| match renumber(*m) {
                Some(n) => {
                    *m = n;
                    true
                }
                None => false,
            });
        }
        self.by_id.retain(|_, c| match shift(*c) {
            Some(n) => {
                *c = n;
                true
            }
            None => false,
        });
        self.waiting_related.retain(|_, waiting| {
            *waiting = waiting.iter().filter_map(|&c| shift(c)).collect();
            !waiting.is_empty()
        });

        // Only the addresses still used keep a number.
        let mut used = vec![false; self.endpoints.len()];
        let mut mark = |id: u32| {
            if let Some(u) = used.get_mut(id as usize) {
                *u = true;
            }
        };
        for rec in &self.messages {
            mark(rec.src);
            mark(rec.dst);
        }
        for call in &self.calls {
            mark(call.src);
            mark(call.dst);
        }
        let (endpoints, map) = self.endpoints.compacted(&used);
        let id = |old: u32| map.get(old as usize).copied().unwrap_or(GONE);
        for rec in &mut self.messages {
            rec.src = id(rec.src);
            rec.dst = id(rec.dst);
        }
        for call in &mut self.calls {
            call.src = id(call.src);
            call.dst = id(call.dst);
        }
        self.endpoints = endpoints;

        // The figures describe what the store holds.
        self.call_id_bytes = self.calls.iter().map(|c| c.call_id.len() as u64).sum();
        self.stats = StoreStats {
            sip_messages: self.messages.len() as u64,
            malformed: self
                .messages
                .iter()
                .filter(|m| !m.malformed.is_empty())
                .count() as u64,
            retransmissions: self.messages.iter().filter(|m| m.retransmission).count() as u64,
            without_call_id: 0,
        };
        Renumbering {
            first_kept,
            messages: Some(new_index),
        }
    }
}
