//! Per-call memory of what was already seen, to match responses to requests
//! and spot retransmissions.
//!
//! Kept per call rather than in one global table: lookups stay in a few cache
//! lines, and the cost per message does not grow with the size of the capture.
//! Retransmissions come within a transaction's lifetime (Timer B/F, 32 s), so
//! looking back over a call's last messages is enough even for a flood call.

/// How many recent messages and requests of a call are looked back at.
const WINDOW: usize = 512;

#[derive(Debug, Default)]
pub struct CallTracker {
    /// Fingerprints of the call's messages (transaction, kind, direction).
    prints: Vec<u64>,
    /// (transaction key, message index) of the call's requests.
    pub(super) requests: Vec<(u64, u32)>,
}

impl CallTracker {
    /// Records a message's fingerprint; true when an earlier one matched.
    pub fn seen_before(&mut self, print: u64) -> bool {
        let from = self.prints.len().saturating_sub(WINDOW);
        let resend = self.prints[from..].iter().rev().any(|&p| p == print);
        if !resend {
            self.prints.push(print);
        }
        resend
    }

    /// Remembers the first request of a transaction.
    pub fn add_request(&mut self, key: u64, index: u32) {
        if self.request(key).is_none() {
            self.requests.push((key, index));
        }
    }

    /// The request a response with this transaction key answers.
    pub fn request(&self, key: u64) -> Option<u32> {
        let from = self.requests.len().saturating_sub(WINDOW);
        self.requests[from..]
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|&(_, i)| i)
    }
}
