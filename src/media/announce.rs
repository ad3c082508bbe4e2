//! What an SDP body announced for media: where each side wants RTP and RTCP,
//! and which payload type means which codec at which clock rate.

use super::stats::static_clock_rate;
use super::stream::Side;
use crate::calls::{Interner, Sym};
use crate::capture::Timestamp;
use crate::sip::Sdp;
use std::net::SocketAddr;

/// One payload type of an `m=` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadMap {
    pub pt: u8,
    /// Codec name as in `a=rtpmap` (without the rate), or RFC 3551's name.
    pub name: Sym,
    pub clock_rate: u32,
    pub telephone_event: bool,
}

/// One `m=` section with a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncedMedia {
    pub rtp: SocketAddr,
    pub rtcp: SocketAddr,
    pub payloads: Vec<PayloadMap>,
    /// sendrecv / sendonly / recvonly / inactive, when given (media level).
    pub direction: Option<Sym>,
}

/// The media an SDP body of one SIP message announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub call: u32,
    /// The SIP message that carried it.
    pub message: u32,
    pub ts: Timestamp,
    /// Where that message came from: tells the caller's side from the callee's.
    pub signalled_from: SocketAddr,
    /// The caller's SDP or the callee's.
    pub side: Side,
    pub media: Vec<AnnouncedMedia>,
}

impl Announcement {
    /// Reads the `m=` sections that can carry RTP (a port, an address that
    /// is not 0.0.0.0 / hold).
    pub fn from_sdp(
        sdp: &Sdp,
        names: &mut Interner,
        call: u32,
        message: u32,
        ts: Timestamp,
        signalled_from: SocketAddr,
        side: Side,
    ) -> Announcement {
        let media = sdp
            .media
            .iter()
            .filter(|m| m.port != 0)
            .filter_map(|m| {
                let ip = sdp.media_address(m).filter(|ip| !ip.is_unspecified())?;
                let (rtcp_port, rtcp_ip) = m
                    .rtcp
                    .unwrap_or((m.port.checked_add(1).unwrap_or(m.port), None));
                Some(AnnouncedMedia {
                    rtp: SocketAddr::new(ip, m.port),
                    rtcp: SocketAddr::new(rtcp_ip.unwrap_or(ip), rtcp_port),
                    payloads: payload_maps(m, names),
                    direction: m.direction.as_deref().map(|d| names.intern(d)),
                })
            })
            .collect();
        Announcement {
            call,
            message,
            ts,
            signalled_from,
            side,
            media,
        }
    }

    /// The payload map of `pt` in any section.
    pub fn payload(&self, pt: u8) -> Option<&PayloadMap> {
        self.media
            .iter()
            .flat_map(|m| m.payloads.iter())
            .find(|p| p.pt == pt)
    }

    pub fn has_telephone_event(&self) -> bool {
        self.media
            .iter()
            .flat_map(|m| m.payloads.iter())
            .any(|p| p.telephone_event)
    }
}

fn payload_maps(m: &crate::sip::Media, names: &mut Interner) -> Vec<PayloadMap> {
    m.payloads
        .iter()
        .map(|&pt| {
            let mapped = m.rtpmap.iter().find(|(p, _)| *p == pt).map(|(_, n)| n);
            let (name, rate) = match mapped {
                // "PCMA/8000" or "opus/48000/2"
                Some(n) => {
                    let mut parts = n.split('/');
                    let name = parts.next().unwrap_or("").trim().to_owned();
                    let rate = parts.next().and_then(|r| r.trim().parse().ok());
                    (name, rate)
                }
                None => (m.codec(pt), None),
            };
            let clock_rate = rate.or_else(|| static_clock_rate(pt)).unwrap_or(8000);
            PayloadMap {
                pt,
                telephone_event: name.eq_ignore_ascii_case("telephone-event"),
                name: names.intern(&name),
                clock_rate,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtp_and_rtcp_addresses_and_payload_maps() {
        let sdp = Sdp::parse(
            b"v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 6130 RTP/AVP 8 101 0\r\na=rtpmap:8 PCMA/8000\r\n\
              a=rtpmap:101 telephone-event/8000\r\nm=video 0 RTP/AVP 96\r\n",
        );
        let mut names = Interner::default();
        let from: SocketAddr = "127.0.0.1:5060".parse().expect("addr");
        let a = Announcement::from_sdp(&sdp, &mut names, 0, 3, Timestamp(1), from, Side::Caller);
        assert_eq!(a.media.len(), 1);
        let m = &a.media[0];
        assert_eq!(m.rtp.to_string(), "127.0.0.1:6130");
        assert_eq!(m.rtcp.to_string(), "127.0.0.1:6131");
        let te = a.payload(101).expect("101");
        assert!(te.telephone_event);
        assert_eq!(names.get(a.payload(0).expect("0").name), "PCMU");
        assert_eq!(a.payload(8).expect("8").clock_rate, 8000);
        assert!(a.has_telephone_event());
    }

    #[test]
    fn hold_address_is_not_an_endpoint() {
        let sdp = Sdp::parse(b"v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 6130 RTP/AVP 0\r\n");
        let mut names = Interner::default();
        let from: SocketAddr = "127.0.0.1:5060".parse().expect("addr");
        let a = Announcement::from_sdp(&sdp, &mut names, 0, 0, Timestamp(0), from, Side::Callee);
        assert!(a.media.is_empty());
    }
}
