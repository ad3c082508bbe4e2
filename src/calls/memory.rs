//! What the call store holds in memory, for the byte budget (`--max-memory`).
//!
//! Counted in O(1) from the vectors' lengths and running totals, so the
//! budget can be checked as packets arrive. Lengths, not capacities: after a
//! rotation the vectors keep their room for what comes next, and counting
//! it would leave the store over budget for good. The allocator's headroom
//! (up to as much again right after a vector grows) comes on top. Small
//! per-call and per-message pieces (hash entries, index vectors) are counted
//! at fixed sizes rather than walked.

use super::call::Call;
use super::transactions::CallTracker;
use super::{CallStore, MessageRecord};
use std::mem::size_of;

/// Per message beyond its record: its index in the call, its fingerprint
/// and (for requests) its transaction entry.
const PER_MESSAGE_EXTRA: usize = 4 + 8 + 16;
/// Per call beyond its struct: the Call-ID map entry, vector headroom,
/// From / To texts.
const PER_CALL_EXTRA: usize = 160;
/// Per address: the map entry and the address.
const PER_ENDPOINT: usize = 64;

impl CallStore {
    /// Bytes held by the store: message bytes copied into the arena, message
    /// records, calls and their Call-IDs, interned strings, addresses.
    pub fn memory_bytes(&self) -> u64 {
        let bytes = self.arena.len()
            + self.messages.len() * size_of::<MessageRecord>()
            + self.messages.len() * PER_MESSAGE_EXTRA
            + self.calls.len() * size_of::<Call>()
            + self.trackers.len() * size_of::<CallTracker>()
            + self.calls.len() * PER_CALL_EXTRA
            + self.strings.bytes()
            + self.endpoints.len() * PER_ENDPOINT;
        bytes as u64 + 2 * self.call_id_bytes
    }
}
