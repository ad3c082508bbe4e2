//! Forgetting the oldest calls when a live capture reaches its message limit
//! (`-R`): the store is rebuilt from the calls kept, so indices stay dense
//! and every later stage sees an ordinary store.

use super::{CallStore, MessageBytes, MessageRecord, Observation};
use crate::sip;

impl CallStore {
    /// A store without the first `drop_calls` calls (and without messages
    /// that belong to no call). `read` gives a message's bytes back.
    pub fn without_oldest(
        &self,
        drop_calls: usize,
        read: impl Fn(&MessageRecord) -> Option<Vec<u8>>,
    ) -> CallStore {
        let mut fresh = CallStore::new();
        let first_kept = drop_calls.min(self.calls().len()) as u32;
        for rec in self.messages() {
            if rec.call.is_none_or(|c| c < first_kept) {
                continue;
            }
            let Some(bytes) = read(rec) else { continue };
            let Some(msg) = sip::parse(&bytes) else {
                continue;
            };
            let file_offset = match rec.bytes {
                MessageBytes::File { offset, .. } => Some(offset),
                MessageBytes::Arena { .. } => None,
            };
            let seen = Observation {
                packet_number: rec.packet_number,
                ts: rec.ts,
                src: self.endpoints.addr(rec.src),
                dst: self.endpoints.addr(rec.dst),
                transport: rec.transport,
                file_offset,
                bytes: &bytes,
            };
            fresh.add(&seen, &msg);
        }
        fresh
    }
}
