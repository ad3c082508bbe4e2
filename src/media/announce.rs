//! What SDP bodies announced for media: where each side wants RTP, and
//! which payload type means which codec at which clock rate.
//!
//! One announcement per SIP message with SDP, so this is sized per call:
//! the records are small and flat (media sections in one table, payload
//! type lists interned, since most SDPs of a capture offer the same few),
//! and the announcements of a call are chained from the newest.

use super::stats::static_clock_rate;
use super::stream::Side;
use crate::calls::Renumbering;
use crate::calls::{Interner, Sym};
use crate::capture::Timestamp;
use crate::sip::{sdp_lines, SdpLine};
use foldhash::HashMap;
use std::net::{IpAddr, SocketAddr};

/// End of a chain.
pub(crate) const NONE: u32 = u32::MAX;

/// One payload type of an `m=` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayloadMap {
    pub pt: u8,
    /// Codec name as in `a=rtpmap` (without the rate), or RFC 3551's name.
    pub name: Sym,
    pub clock_rate: u32,
    pub telephone_event: bool,
}

/// `a=sendrecv` and its kin (RFC 4566 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

impl Direction {
    fn of(attribute: &str) -> Option<Direction> {
        Some(match attribute {
            "sendrecv" => Direction::SendRecv,
            "sendonly" => Direction::SendOnly,
            "recvonly" => Direction::RecvOnly,
            "inactive" => Direction::Inactive,
            _ => return None,
        })
    }
}

/// One `m=` section with a port; kept small (one or two per SIP message
/// with SDP), addresses built on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnouncedMedia {
    ip: IpAddr,
    port: u16,
    /// Port + 1, or `a=rtcp`'s (whose own address, rarely given, is not
    /// kept: RTCP is looked for at the media address).
    rtcp_port: u16,
    /// The section's payload types (see [`Announcements::payloads`]).
    payloads: u32,
    /// The section's, else the session's, when given.
    pub direction: Option<Direction>,
}

impl AnnouncedMedia {
    pub fn rtp(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.port)
    }

    pub fn rtcp(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.rtcp_port)
    }
}

/// The media an SDP body of one SIP message announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Announcement {
    pub call: u32,
    /// The SIP message that carried it.
    pub message: u32,
    pub ts: Timestamp,
    /// The caller's SDP or the callee's.
    pub side: Side,
    media_start: u32,
    media_len: u16,
    /// The call's previous announcement.
    prev: u32,
}

/// Every announcement of a capture.
#[derive(Debug, Default)]
pub struct Announcements {
    list: Vec<Announcement>,
    media: Vec<AnnouncedMedia>,
    sets: Vec<Box<[PayloadMap]>>,
    set_ids: HashMap<Box<[PayloadMap]>, u32>,
    /// Codec names.
    names: Interner,
    /// Newest announcement per call index.
    heads: Vec<u32>,
    /// The section being read: its payload types and rtpmap lines, then
    /// its payload list; kept to reuse their memory.
    pts: Vec<u8>,
    maps: Vec<(u8, Sym, Option<u32>)>,
    scratch: Vec<PayloadMap>,
}

/// Session-level lines that apply to every `m=` section without its own.
#[derive(Debug, Clone, Copy, Default)]
struct Session {
    connection: Option<IpAddr>,
    direction: Option<Direction>,
}

/// An `m=` section while its lines are read.
struct Section {
    port: u16,
    connection: Option<IpAddr>,
    rtcp: Option<u16>,
    direction: Option<Direction>,
}

impl Announcements {
    /// Heap bytes held, for the byte budget (payload sets are shared and
    /// few; counted at a fixed size each).
    pub fn memory_bytes(&self) -> usize {
        self.list.len() * std::mem::size_of::<Announcement>()
            + self.media.len() * std::mem::size_of::<AnnouncedMedia>()
            + self.sets.len() * 256
            + self.heads.len() * 4
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, index: u32) -> Option<&Announcement> {
        self.list.get(index as usize)
    }

    /// A codec name.
    pub fn name(&self, sym: Sym) -> &str {
        self.names.get(sym)
    }

    /// Stores the `m=` sections of an SDP body that can carry RTP (a port,
    /// an address that is not 0.0.0.0 / hold); `None` when there is none.
    /// Reads the body line by line without allocating (one SDP per SIP
    /// message that has one: this runs for the whole capture).
    pub fn add(
        &mut self,
        body: &[u8],
        call: u32,
        message: u32,
        ts: Timestamp,
        side: Side,
    ) -> Option<u32> {
        let start = self.media.len();
        let mut session = Session::default();
        let mut section: Option<Section> = None;
        for line in sdp_lines(body) {
            match (line, section.as_mut()) {
                (SdpLine::Media(m), _) => {
                    if let Some(done) = section.take() {
                        self.close(done, session);
                    }
                    self.pts.clear();
                    self.pts.extend(m.payload_types());
                    self.maps.clear();
                    section = Some(Section {
                        port: m.port,
                        connection: None,
                        rtcp: None,
                        direction: None,
                    });
                }
                (SdpLine::Connection(addr), None) => session.connection = addr,
                (SdpLine::Direction(d), None) => session.direction = Direction::of(d),
                (SdpLine::Connection(addr), Some(sec)) => sec.connection = addr,
                (SdpLine::Rtpmap { pt, name }, Some(_)) => {
                    // "PCMA/8000" or "opus/48000/2"
                    let mut parts = name.split('/');
                    let codec = parts.next().unwrap_or("").trim();
                    let rate = parts.next().and_then(|r| r.trim().parse().ok());
                    let sym = self.names.intern(codec);
                    self.maps.push((pt, sym, rate));
                }
                (SdpLine::Rtcp { port, .. }, Some(sec)) => sec.rtcp = Some(port),
                (SdpLine::Direction(d), Some(sec)) => sec.direction = Direction::of(d),
                _ => {}
            }
        }
        if let Some(done) = section {
            self.close(done, session);
        }
        let media_len = u16::try_from(self.media.len() - start).unwrap_or(u16::MAX);
        if media_len == 0 {
            return None;
        }
        let index = self.list.len() as u32;
        if self.heads.len() <= call as usize {
            self.heads.resize(call as usize + 1, NONE);
        }
        let prev = std::mem::replace(&mut self.heads[call as usize], index);
        self.list.push(Announcement {
            call,
            message,
            ts,
            side,
            media_start: start as u32,
            media_len,
            prev,
        });
        Some(index)
    }

    /// Drops the announcements of the calls a rotation forgot and renumbers
    /// the rest (calls, messages, chains, media sections); returns each old
    /// announcement's new index, [`NONE`] for those dropped.
    pub(super) fn forget_calls(&mut self, r: &Renumbering) -> Vec<u32> {
        let mut map = vec![NONE; self.list.len()];
        let mut list = Vec::with_capacity(self.list.len());
        let mut media = Vec::with_capacity(self.media.len());
        for (old, a) in self.list.iter().enumerate() {
            let (Some(call), Some(message)) = (r.call(a.call), r.message(a.message)) else {
                continue;
            };
            if let Some(slot) = map.get_mut(old) {
                *slot = list.len() as u32;
            }
            let media_start = media.len() as u32;
            media.extend_from_slice(self.media(a));
            list.push(Announcement {
                call,
                message,
                media_start,
                ..*a
            });
        }
        let renumber = |i: u32| map.get(i as usize).copied().unwrap_or(NONE);
        for a in &mut list {
            a.prev = renumber(a.prev);
        }
        let first = (r.first_kept as usize).min(self.heads.len());
        self.heads.drain(..first);
        for h in &mut self.heads {
            *h = renumber(*h);
        }
        self.list = list;
        self.media = media;
        map
    }

    /// Stores a finished `m=` section whose payload types are in `pts` and
    /// `maps`, unless it cannot carry RTP.
    fn close(&mut self, sec: Section, session: Session) {
        let Some(ip) = sec
            .connection
            .or(session.connection)
            .filter(|ip| !ip.is_unspecified())
        else {
            return;
        };
        if sec.port == 0 {
            return;
        }
        let payloads = self.payload_set();
        self.media.push(AnnouncedMedia {
            ip,
            port: sec.port,
            rtcp_port: sec.rtcp.unwrap_or(sec.port.saturating_add(1)),
            payloads,
            direction: sec.direction.or(session.direction),
        });
    }

    /// The payload types of the section in `pts` / `maps`, interned.
    fn payload_set(&mut self) -> u32 {
        self.scratch.clear();
        for &pt in &self.pts {
            let mapped = self.maps.iter().find(|(p, _, _)| *p == pt);
            let (name, rate) = match mapped {
                Some(&(_, name, rate)) => (name, rate),
                None => (
                    self.names
                        .intern(crate::sip::static_codec(pt).unwrap_or("unknown")),
                    None,
                ),
            };
            self.scratch.push(PayloadMap {
                pt,
                telephone_event: self.names.get(name).eq_ignore_ascii_case("telephone-event"),
                name,
                clock_rate: rate.or_else(|| static_clock_rate(pt)).unwrap_or(8000),
            });
        }
        if let Some(&id) = self.set_ids.get(&self.scratch[..]) {
            return id;
        }
        let id = self.sets.len() as u32;
        let set: Box<[PayloadMap]> = self.scratch.as_slice().into();
        self.sets.push(set.clone());
        self.set_ids.insert(set, id);
        id
    }

    pub fn media(&self, a: &Announcement) -> &[AnnouncedMedia] {
        let start = a.media_start as usize;
        self.media
            .get(start..start + usize::from(a.media_len))
            .unwrap_or(&[])
    }

    pub fn payloads(&self, m: &AnnouncedMedia) -> &[PayloadMap] {
        self.sets.get(m.payloads as usize).map_or(&[], |s| s)
    }

    /// The payload map of `pt` in any section of `a`.
    pub fn payload(&self, a: &Announcement, pt: u8) -> Option<&PayloadMap> {
        self.media(a)
            .iter()
            .flat_map(|m| self.payloads(m))
            .find(|p| p.pt == pt)
    }

    pub fn has_telephone_event(&self, a: &Announcement) -> bool {
        self.media(a)
            .iter()
            .flat_map(|m| self.payloads(m))
            .any(|p| p.telephone_event)
    }

    /// A call's announcements, newest first.
    pub fn of_call(&self, call: u32) -> impl Iterator<Item = &Announcement> + '_ {
        let mut next = self.heads.get(call as usize).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            let a = self.list.get(next as usize)?;
            next = a.prev;
            Some(a)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtp_and_rtcp_addresses_and_payload_maps() {
        let sdp: &[u8] = b"v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 6130 RTP/AVP 8 101 0\r\na=rtpmap:8 PCMA/8000\r\n\
              a=rtpmap:101 telephone-event/8000\r\nm=video 0 RTP/AVP 96\r\n";
        let mut all = Announcements::default();
        let i = all
            .add(sdp, 0, 3, Timestamp(1), Side::Caller)
            .expect("media");
        let a = *all.get(i).expect("announcement");
        assert_eq!(all.media(&a).len(), 1);
        let m = all.media(&a)[0];
        assert_eq!(m.rtp().to_string(), "127.0.0.1:6130");
        assert_eq!(m.rtcp().to_string(), "127.0.0.1:6131");
        assert!(all.payload(&a, 101).expect("101").telephone_event);
        assert_eq!(all.name(all.payload(&a, 0).expect("0").name), "PCMU");
        assert_eq!(all.payload(&a, 8).expect("8").clock_rate, 8000);
        assert!(all.has_telephone_event(&a));
        // The same offer again shares its payload list.
        let j = all
            .add(sdp, 0, 5, Timestamp(2), Side::Caller)
            .expect("media");
        assert_eq!(all.sets.len(), 1);
        let order: Vec<u32> = all.of_call(0).map(|a| a.message).collect();
        assert_eq!(order, [5, 3]);
        assert_eq!(j, 1);
        assert_eq!(all.of_call(7).count(), 0);
    }

    #[test]
    fn session_direction_applies_to_sections_without_their_own() {
        let sdp = b"v=0\r\nc=IN IP4 10.0.0.1\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n\
                    m=audio 4002 RTP/AVP 0\r\na=inactive\r\n";
        let mut all = Announcements::default();
        let i = all
            .add(sdp, 0, 0, Timestamp(0), Side::Caller)
            .expect("media");
        let a = *all.get(i).expect("announcement");
        let dirs: Vec<_> = all.media(&a).iter().map(|m| m.direction).collect();
        assert_eq!(dirs, [Some(Direction::SendOnly), Some(Direction::Inactive)]);
    }

    #[test]
    fn hold_address_is_not_an_endpoint() {
        let sdp = b"v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 6130 RTP/AVP 0\r\n";
        let mut all = Announcements::default();
        assert_eq!(all.add(sdp, 0, 0, Timestamp(0), Side::Callee), None);
        assert!(all.is_empty());
    }
}
