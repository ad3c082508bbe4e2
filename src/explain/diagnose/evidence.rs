//! Evidence from the whole capture that one call's messages cannot give:
//! whether two addresses talked at all, who registered where and when, who
//! authenticated, which software an address runs, and which RTP streams
//! touch an address. Built once per capture (one pass over the store and
//! the streams), then read by every call's diagnosis.

use super::guessing::Burst;
use crate::calls::{CallStore, Kind};
use crate::capture::Timestamp;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::net::{IpAddr, SocketAddr};

/// An accepted REGISTER of an address of record.
#[derive(Debug, Clone, Copy)]
pub struct Registered {
    pub at: Timestamp,
    /// The registrar's address (the 2xx came from it).
    pub registrar: SocketAddr,
    /// The phone's address.
    pub phone: SocketAddr,
}

#[derive(Debug, Default)]
pub struct CaptureEvidence {
    /// (from, to) endpoint ids -> times of the messages sent that way.
    talked: HashMap<(u32, u32), Vec<Timestamp>>,
    /// AoR user -> accepted registrations, in time order.
    registered: HashMap<String, Vec<Registered>>,
    /// From users that got a 2xx to a request that was challenged first.
    authenticated: HashSet<String>,
    /// Server strings (of responses) by the address the call went to.
    software: HashMap<IpAddr, String>,
    /// Calls started by each address (call indices, in arrival order).
    calls_from: HashMap<IpAddr, Vec<u32>>,
    /// Bursts of refused REGISTERs that read as password guessing.
    guessing: Vec<Burst>,
    /// The time of the capture's last SIP message.
    pub end: Timestamp,
}

impl CaptureEvidence {
    pub fn build(store: &CallStore) -> CaptureEvidence {
        let mut e = CaptureEvidence {
            talked: HashMap::with_capacity(store.endpoints.len()),
            registered: HashMap::new(),
            authenticated: HashSet::new(),
            software: HashMap::new(),
            calls_from: HashMap::new(),
            guessing: super::guessing::bursts(store),
            end: Timestamp::default(),
        };
        for m in store.messages() {
            e.end = e.end.max(m.ts);
            e.talked.entry((m.src, m.dst)).or_default().push(m.ts);
        }
        for times in e.talked.values_mut() {
            times.sort_unstable();
        }
        for (n, c) in store.calls().iter().enumerate() {
            let endpoint = |id: u32| store.endpoints.addr(id);
            e.calls_from
                .entry(endpoint(c.src).ip())
                .or_default()
                .push(n as u32);
            if let Some(s) = c.server {
                e.software
                    .entry(endpoint(c.dst).ip())
                    .or_insert_with(|| store.strings.get(s).to_owned());
            }
            let mut challenged: Vec<&str> = Vec::new();
            for m in c.messages.iter().filter_map(|&i| store.message(i)) {
                let Kind::Response(code) = m.kind else {
                    continue;
                };
                let method = m.cseq.map_or("", |(_, s)| store.strings.get(s));
                if matches!(code, 401 | 407) {
                    challenged.push(method);
                } else if (200..300).contains(&code) {
                    if challenged.contains(&method) {
                        if let Some(u) = c.from.user.as_deref() {
                            e.authenticated.insert(u.to_owned());
                        }
                    }
                    if method == "REGISTER" && !m.retransmission {
                        if let Some(u) = c.to.user.as_deref() {
                            e.registered
                                .entry(u.to_owned())
                                .or_default()
                                .push(Registered {
                                    at: m.ts,
                                    registrar: endpoint(m.src),
                                    phone: endpoint(m.dst),
                                });
                        }
                    }
                }
            }
        }
        e
    }

    /// The time nearest `at` that `from` sent anything to `to`.
    pub fn nearest_message(&self, from: u32, to: u32, at: Timestamp) -> Option<Timestamp> {
        let times = self.talked.get(&(from, to))?;
        let after = times.partition_point(|t| *t < at);
        let candidates = [after.checked_sub(1), Some(after)];
        candidates
            .into_iter()
            .flatten()
            .filter_map(|k| times.get(k).copied())
            .min_by_key(|t| t.micros_since(at).unsigned_abs())
    }

    /// Accepted registrations of an AoR user, oldest first.
    pub fn registrations(&self, user: &str) -> &[Registered] {
        self.registered.get(user).map_or(&[], Vec::as_slice)
    }

    /// True when this user got through a digest challenge somewhere.
    pub fn authenticated(&self, user: &str) -> bool {
        self.authenticated.contains(user)
    }

    /// What an address says it runs, as seen anywhere in the capture.
    pub fn software(&self, ip: IpAddr) -> Option<&str> {
        self.software.get(&ip).map(String::as_str)
    }

    /// The calls an address started (call indices, in arrival order).
    pub fn calls_from(&self, ip: IpAddr) -> &[u32] {
        self.calls_from.get(&ip).map_or(&[], Vec::as_slice)
    }

    /// The capture's password-guessing bursts, oldest first.
    pub fn guessing(&self) -> &[Burst] {
        &self.guessing
    }
}
