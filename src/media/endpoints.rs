//! The addresses the calls' SDP announced, and which calls a flow between
//! two of them belongs to.
//!
//! An address can be announced by several calls: a PBX or sipp reuses one
//! media port for calls at once, Asterisk's port range comes round again, a
//! B2BUA's legs (or their direct-media re-INVITEs) announce the same two
//! ends. The newest announcement of an address answers the hot-path lookup;
//! the claims of live calls it displaced are kept beside it (a few per
//! address), so a flow is given to the call that announced both of its
//! ends, a stream keeps its call while that call lives, and a stream both
//! of whose ends several live calls announced belongs to each of them.

use super::stream::Side;
use crate::calls::Renumbering;
use foldhash::HashMap;
use std::net::SocketAddr;

/// Displaced claims kept per address (the newest first).
const EARLIER_PER_ADDRESS: usize = 3;

/// An announced address: whose, and for what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Endpoint {
    pub call: u32,
    pub announcement: u32,
    pub side: Side,
    pub rtcp: bool,
    /// The call ended (BYE, CANCEL, a failure): its claim still holds the
    /// streams it has, and is given up when another call announces the
    /// address.
    pub ended: bool,
}

/// Who a flow between two addresses belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Owners {
    /// The call that takes the flow, with its claim on an address of it.
    pub first: Endpoint,
    /// Other live calls that announced both ends too.
    pub also: Vec<u32>,
}

#[derive(Debug, Default)]
pub(super) struct AnnouncedAddresses {
    newest: HashMap<SocketAddr, Endpoint>,
    earlier: HashMap<SocketAddr, Vec<Endpoint>>,
}

impl AnnouncedAddresses {
    /// Heap bytes held, for the byte budget.
    pub fn memory_bytes(&self) -> usize {
        (self.newest.len() + self.earlier.len() * 4) * (std::mem::size_of::<Endpoint>() + 48)
    }

    pub fn len(&self) -> usize {
        self.newest.len()
    }

    /// The newest claim on an address.
    pub fn get(&self, addr: &SocketAddr) -> Option<&Endpoint> {
        self.newest.get(addr)
    }

    /// Records `ep`'s claim on `addr`; false when the address is new and
    /// `room` is false. An RTCP claim does not replace an RTP claim of the
    /// same announcement (port + 1 of one section may be another's port).
    pub fn claim(&mut self, addr: SocketAddr, ep: Endpoint, room: bool) -> bool {
        let Some(old) = self.newest.get(&addr).copied() else {
            if room {
                self.newest.insert(addr, ep);
            }
            return room;
        };
        if ep.rtcp && old.announcement == ep.announcement {
            return true;
        }
        if old.call != ep.call {
            let earlier = self.earlier.entry(addr).or_default();
            earlier.retain(|e| e.call != ep.call && !e.ended);
            if !old.ended {
                earlier.insert(0, old);
                earlier.truncate(EARLIER_PER_ADDRESS);
            }
            if earlier.is_empty() {
                self.earlier.remove(&addr);
            }
        }
        self.newest.insert(addr, ep);
        true
    }

    /// Every call's claim on an address, the newest first.
    pub fn claims(&self, addr: &SocketAddr) -> impl Iterator<Item = &Endpoint> + '_ {
        let newest = self.newest.get(addr).into_iter();
        newest.chain(self.earlier.get(addr).into_iter().flatten())
    }

    /// `call`'s claim on an address, if it announced it.
    pub fn claim_of(&self, call: u32, addr: &SocketAddr) -> Option<&Endpoint> {
        self.claims(addr).find(|e| e.call == call)
    }

    /// True when `call` announced both addresses.
    pub fn announced_both(&self, call: u32, src: &SocketAddr, dst: &SocketAddr) -> bool {
        self.claim_of(call, src).is_some() && self.claim_of(call, dst).is_some()
    }

    /// Who a new flow from `src` to `dst` belongs to: the calls whose
    /// claim on both ends still `holds` (the newest claim of the receiver
    /// first); else the newest live claim of the receiver, else of the
    /// sender, else any claim of them.
    pub fn owners(
        &self,
        src: &SocketAddr,
        dst: &SocketAddr,
        holds: impl Fn(&Endpoint) -> bool,
    ) -> Option<Owners> {
        let mut both = self
            .claims(dst)
            .filter(|e| !e.ended && holds(e) && self.claim_of(e.call, src).is_some());
        if let Some(first) = both.next().copied() {
            let mut also: Vec<u32> = Vec::new();
            for e in both {
                if e.call != first.call && !also.contains(&e.call) {
                    also.push(e.call);
                }
            }
            return Some(Owners { first, also });
        }
        let (d, s) = (self.get(dst), self.get(src));
        let first = [d, s]
            .into_iter()
            .flatten()
            .find(|e| !e.ended)
            .or(d)
            .or(s)
            .copied()?;
        Some(Owners {
            first,
            also: Vec::new(),
        })
    }

    /// Marks `call`'s claims on `addrs` ended; they go when another call
    /// announces the address.
    pub fn call_ended(&mut self, call: u32, addrs: impl Iterator<Item = SocketAddr>) {
        for addr in addrs {
            if let Some(e) = self.newest.get_mut(&addr).filter(|e| e.call == call) {
                e.ended = true;
            }
            for e in self.earlier.get_mut(&addr).into_iter().flatten() {
                if e.call == call {
                    e.ended = true;
                }
            }
        }
    }

    /// Follows a rotation: claims of forgotten calls or announcements go,
    /// the others are renumbered.
    pub fn forget_calls(&mut self, r: &Renumbering, announcement: impl Fn(u32) -> Option<u32>) {
        let keep = |e: &mut Endpoint| match (r.call(e.call), announcement(e.announcement)) {
            (Some(c), Some(a)) => {
                e.call = c;
                e.announcement = a;
                true
            }
            _ => false,
        };
        self.newest.retain(|_, e| keep(e));
        self.earlier.retain(|_, list| {
            list.retain_mut(|e| keep(e));
            !list.is_empty()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().expect("address")
    }

    fn ep(call: u32, side: Side) -> Endpoint {
        Endpoint {
            call,
            announcement: call,
            side,
            rtcp: false,
            ended: false,
        }
    }

    #[test]
    fn a_flow_goes_to_the_call_that_announced_both_ends() {
        let (a, b, shared) = (
            addr("10.0.0.1:4000"),
            addr("10.0.0.3:4000"),
            addr("10.0.0.2:6000"),
        );
        let mut t = AnnouncedAddresses::default();
        t.claim(a, ep(0, Side::Caller), true);
        t.claim(shared, ep(0, Side::Callee), true);
        t.claim(b, ep(1, Side::Caller), true);
        t.claim(shared, ep(1, Side::Callee), true);
        assert_eq!(t.get(&shared).map(|e| e.call), Some(1));
        assert_eq!(
            t.owners(&a, &shared, |_| true).map(|o| o.first.call),
            Some(0)
        );
        assert_eq!(
            t.owners(&shared, &a, |_| true).map(|o| o.first.call),
            Some(0)
        );
        assert_eq!(
            t.owners(&a, &shared, |e| e.call != 0).map(|o| o.first.call),
            Some(1)
        );
        assert_eq!(
            t.owners(&b, &shared, |_| true).map(|o| o.first.call),
            Some(1)
        );
        // Once the first call ended, another call's announcement of the
        // address takes it whole.
        t.call_ended(0, [a, shared].into_iter());
        t.claim(shared, ep(2, Side::Callee), true);
        assert_eq!(
            t.claims(&shared).map(|e| e.call).collect::<Vec<_>>(),
            [2, 1]
        );
    }

    #[test]
    fn live_calls_that_announced_both_ends_share_the_flow() {
        let (a, b) = (addr("10.0.0.1:4000"), addr("10.0.0.2:5000"));
        let mut t = AnnouncedAddresses::default();
        for call in [0, 1] {
            t.claim(a, ep(call, Side::Caller), true);
            t.claim(b, ep(call, Side::Callee), true);
        }
        let o = t.owners(&a, &b, |_| true).expect("owners");
        assert_eq!((o.first.call, o.also), (1, vec![0]));
    }

    #[test]
    fn no_room_refuses_new_addresses_only() {
        let a = addr("10.0.0.1:4000");
        let mut t = AnnouncedAddresses::default();
        assert!(!t.claim(a, ep(0, Side::Caller), false));
        assert!(t.claim(a, ep(0, Side::Caller), true));
        assert!(t.claim(a, ep(1, Side::Caller), false));
        assert_eq!(t.len(), 1);
    }
}
