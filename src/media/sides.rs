//! Which side of a call each media address belongs to, read from the
//! call's own SDP: the side that announced an address first owns it (a
//! proxy relaying the offer announces it again). A stream shared by two
//! calls has a direction in each.

use super::stream::{Side, Stream};
use super::tracker::MediaTracker;
use std::net::SocketAddr;

#[derive(Debug, Clone, Default)]
pub struct CallSides {
    /// (address, side that announced it first), over all the call's SDP.
    announced: Vec<(SocketAddr, Side)>,
}

impl CallSides {
    pub fn of(media: &MediaTracker, call: u32) -> CallSides {
        let all = &media.announcements;
        let mut announced: Vec<(SocketAddr, Side)> = Vec::new();
        let mut oldest_first: Vec<_> = media.call_announcements(call).collect();
        oldest_first.reverse();
        for a in oldest_first {
            for m in all.media(a) {
                if !announced.iter().any(|(addr, _)| *addr == m.rtp()) {
                    announced.push((m.rtp(), a.side));
                }
            }
        }
        CallSides { announced }
    }

    /// The side whose SDP announced `addr`, if the call's did.
    pub fn side_of(&self, addr: SocketAddr) -> Option<Side> {
        self.announced
            .iter()
            .find(|(a, _)| *a == addr)
            .map(|(_, s)| *s)
    }

    /// The addresses one side announced, in the order it announced them.
    pub fn announced_by(&self, side: Side) -> impl Iterator<Item = SocketAddr> + '_ {
        self.announced
            .iter()
            .filter(move |(_, s)| *s == side)
            .map(|(a, _)| *a)
    }

    /// A stream's direction in this call: the side its packets go to.
    pub fn towards(&self, s: &Stream) -> Option<Side> {
        self.side_of(s.dst)
            .or_else(|| self.side_of(s.src).map(Side::other))
    }
}
